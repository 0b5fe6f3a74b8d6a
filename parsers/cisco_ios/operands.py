"""Operands of IOS access-list entries: addresses with wildcard masks, ports, ICMP messages.

A wildcard mask's one bits are the address bits an entry ignores (Cisco IOS Security
Configuration Guide, "IP Access List Overview": "a wildcard mask bit 0 means check the
corresponding bit value; 1 means ignore"), and they need not be contiguous: ``10.0.0.0
0.0.255.0`` matches 10.0.x.0 for every x, 256 single addresses.  ``wildcard_set`` builds that
set exactly, one interval per combination of the wildcard bits above its lowest run of ones.
"""

from __future__ import annotations

import ipaddress
from socket import AF_INET as _AF_INET
from socket import inet_pton as _inet_pton

from auditor.core.packets import ALL_PORTS, MAX_PORT, V4_BASE, ISet, network_to_iset
from parsers.cisco_ios import names as N
from parsers.kit.addr import wildcard_blocks

# A wildcard whose free bits above its lowest run of ones are more than this many would make
# more than 2**MAX_SPLIT_BITS intervals: such an entry is reported instead of evaluated.
MAX_SPLIT_BITS = 16


class OperandError(ValueError):
    """An operand this parser does not understand (the message says which)."""


def v4_int(text: str) -> int:
    """A dotted IPv4 address -> 0..2**32-1 (``OperandError`` if it is not one)."""
    try:
        return int.from_bytes(_inet_pton(_AF_INET, text), "big")
    except (OSError, ValueError, TypeError):
        raise OperandError("'%s' is not an IPv4 address" % text) from None


def wildcard_set(addr: str, wildcard: str) -> ISet:
    """The IPv4 addresses ``addr`` with wildcard mask ``wildcard`` matches, exactly."""
    a, w = v4_int(addr), v4_int(wildcard)
    base = a & ~w & 0xFFFFFFFF
    if not w & (w + 1):  # contiguous ones at the bottom: one block
        return ISet.of(V4_BASE + base, V4_BASE + base + w)
    got = wildcard_blocks(a, w, MAX_SPLIT_BITS)
    if got is None:
        raise OperandError("wildcard mask %s has too many non-contiguous bits to evaluate exactly" % wildcard)
    return got


def mask_set(addr: str, mask: str) -> ISet:
    """``A M`` with a subnet mask (interfaces, routes, object-group members): its block."""
    a, m = v4_int(addr), v4_int(mask)
    inv = ~m & 0xFFFFFFFF
    if inv & (inv + 1):
        raise OperandError("'%s' is not a contiguous subnet mask" % mask)
    lo = a & m
    return ISet.of(V4_BASE + lo, V4_BASE + lo + inv)


def prefix_len(mask: str) -> int:
    """The prefix length of a dotted subnet mask."""
    m = v4_int(mask)
    inv = ~m & 0xFFFFFFFF
    if inv & (inv + 1):
        raise OperandError("'%s' is not a contiguous subnet mask" % mask)
    return 32 - inv.bit_length()


def host_set(text: str, family: int) -> ISet:
    """One address of ``family`` (4 or 6) as a set."""
    if family == 4:
        return ISet.of(V4_BASE + v4_int(text))
    try:
        a = ipaddress.IPv6Address(text)
    except ValueError:
        raise OperandError("'%s' is not an IPv6 address" % text) from None
    return ISet.of(int(a))


def prefix_set(text: str, family: int | None = None) -> ISet:
    """``A/len`` (either family, or the one given) as its block."""
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise OperandError("'%s' is not a prefix" % text) from None
    if family is not None and net.version != family:
        raise OperandError("'%s' is not an IPv%d prefix" % (text, family))
    return network_to_iset(net)


# --- ports ------------------------------------------------------------------------

_OPS = ("eq", "neq", "lt", "gt", "range")


def port_value(word: str, names: dict[str, int]) -> int:
    """A port number (ASCII digits: IOS reads no other, Python's int() would) or one of the protocol's IOS port
    names."""
    if word.isascii() and word.isdecimal():
        v = int(word)
        if v > MAX_PORT:
            raise OperandError("port %s out of range" % word)
        return v
    v = names.get(word.lower())
    if v is None:
        raise OperandError("unknown port name '%s'" % word)
    return v


def is_port(word: str, names: dict[str, int]) -> bool:
    """Whether ``word`` is a port number or one of ``names``."""
    return word.isascii() and word.isdecimal() or word.lower() in names


def port_spec(t: list[str], k: int, names: dict[str, int]) -> tuple[ISet | None, int]:
    """The port operator at ``t[k]`` (``eq P [P ...] | neq P [P ...] | lt P | gt P | range A B``)
    -> (ports, index after it); (None, k) when there is none."""
    if k >= len(t):
        return None, k
    op = t[k]
    if op not in _OPS:
        return None, k
    if k + 1 >= len(t):
        raise OperandError("'%s' without a port" % op)
    if op == "range":
        if k + 2 >= len(t):
            raise OperandError("'range' needs two ports")
        lo, hi = port_value(t[k + 1], names), port_value(t[k + 2], names)
        if hi < lo:
            raise OperandError("empty port range %d-%d" % (lo, hi))
        return ISet.of(lo, hi), k + 3
    if op in ("lt", "gt"):
        v = port_value(t[k + 1], names)
        if op == "lt":
            if v == 0:
                raise OperandError("'lt 0' matches no port")
            return ISet.of(0, v - 1), k + 2
        if v == MAX_PORT:
            raise OperandError("'gt 65535' matches no port")
        return ISet.of(v + 1, MAX_PORT), k + 2
    # eq / neq take one port or several (IOS XE: up to ten)
    vals = [port_value(t[k + 1], names)]
    j = k + 2
    while j < len(t) and is_port(t[j], names):
        vals.append(port_value(t[j], names))
        j += 1
    ports = ISet.of(vals[0]) if len(vals) == 1 else ISet([(v, v) for v in vals])
    if op == "neq":
        ports = ALL_PORTS.subtract(ports)
    return ports, j


def names_for(proto: int | None) -> dict[str, int]:
    """The port names an entry of protocol ``proto`` may use (TCP's, UDP's, or either)."""
    if proto == 6:
        return N.TCP_PORTS
    if proto == 17:
        return N.UDP_PORTS
    return N.TCP_UDP_PORTS


# --- ICMP ---------------------------------------------------------------------------

def icmp_values(t: list[str], k: int, family: int) -> tuple[ISet, int]:
    """An optional ICMP message at ``t[k]`` (``TYPE [CODE]`` or a name) -> (dport values, next k).

    ICMP type and code travel in the destination-port dimension as ``type * 256 + code``.
    """
    table = N.ICMP_TYPES if family == 4 else N.ICMP6_TYPES
    if k >= len(t):
        return ALL_PORTS, k
    w = t[k]
    if w.isdecimal():
        ty = int(w)
        if ty > 255:
            raise OperandError("ICMP type %s out of range" % w)
        if k + 1 < len(t) and t[k + 1].isdecimal():
            code = int(t[k + 1])
            if code > 255:
                raise OperandError("ICMP code %s out of range" % t[k + 1])
            return ISet.of(ty * 256 + code), k + 2
        return ISet.of(ty * 256, ty * 256 + 255), k + 1
    m = table.get(w.lower())
    if m is None:
        return ALL_PORTS, k  # not an ICMP message: the caller reads it as an option (or reports it)
    ty, code = m
    if code is None:
        return ISet.of(ty * 256, ty * 256 + 255), k + 1
    return ISet.of(ty * 256 + code), k + 1

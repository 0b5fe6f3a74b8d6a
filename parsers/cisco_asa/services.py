"""Protocols, port operands and ICMP types as the ASA writes them, to sets.

An operand that names no port (``lt 0``, ``gt 65535``), an empty range (``range 500 100``) or
a port beyond 65535 raises ``ValueError``: the line is reported and its rule decides nothing
(``unknown``), as the device would never have accepted it.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.core.packets import ALL_PORTS, ALL_PROTO, MAX_PORT, PROTO_TCP, PROTO_UDP, ISet
from parsers.cisco_asa import names as N
from parsers.kit.names import TCP_UDP, ascii_digits

PORT_OPS = ("eq", "neq", "lt", "gt", "range")
PORTED = TCP_UDP.union(ISet.of(132))
_MAX_TIMEOUT = 1193 * 3600  # (parse_hms)


class AceError(ValueError):
    """An access-list line this parser does not understand."""


@dataclass(frozen=True)
class Svc:
    """A service: protocols x source ports x destination ports (ICMP: type*256+code)."""

    proto: ISet
    sport: ISet = ALL_PORTS
    dport: ISet = ALL_PORTS


SVC_IP = Svc(ALL_PROTO)


decimal = ascii_digits  # (a number as the ASA reads one)


def proto_set(w: str) -> ISet:
    """A protocol operand (a name of the ASA's table, a number, ``ip``, ``tcp-udp``)."""
    if w == "ip":
        return ALL_PROTO
    if decimal(w) and int(w) <= 255:
        return ISet.of(int(w))
    if w in N.PROTOCOLS:
        return ISet.of(N.PROTOCOLS[w])
    if w == "tcp-udp":
        return TCP_UDP
    raise AceError("unknown protocol '%s'" % w)


def port_names(proto: ISet) -> dict[str, int]:
    """The port names valid for a protocol operand: TCP's, UDP's, or either's (tcp-udp, groups)."""
    if proto.iv == ((PROTO_TCP, PROTO_TCP),):
        return N.TCP_PORTS
    if proto.iv == ((PROTO_UDP, PROTO_UDP),):
        return N.UDP_PORTS
    return N.ANY_PORTS


def typed_protos(svc_type: str) -> ISet:
    """The protocols of a typed service object-group (``tcp``, ``udp``, ``tcp-udp``)."""
    return {"tcp": ISet.of(PROTO_TCP), "udp": ISet.of(PROTO_UDP)}.get(svc_type, TCP_UDP)


def port_value(w: str, names: dict[str, int]) -> int:
    """A port number or one of ``names`` (``ValueError`` when neither, or above 65535).  Only ASCII digits make a
    number: Python's int() reads any Unicode digit ('٤٤٥' as 445), the ASA's CLI refuses the line."""
    if decimal(w):
        v = int(w)
        if v > MAX_PORT:
            raise ValueError("port %s out of range" % w)
        return v
    if w in names:
        return names[w]
    raise ValueError("unknown port name '%s'" % w)


def port_spec(t: list[str], names: dict[str, int]) -> tuple[ISet, list[str]]:
    """``eq P | neq P | lt P | gt P | range A B`` -> (ports, remaining tokens)."""
    op = t[0]
    if op == "eq":
        return ISet.of(port_value(t[1], names)), t[2:]
    if op == "neq":
        v = port_value(t[1], names)
        return ISet([(0, v - 1), (v + 1, MAX_PORT)]), t[2:]
    if op == "lt":
        v = port_value(t[1], names)
        if v == 0:
            raise ValueError("'lt 0' names no port")
        return ISet.of(0, v - 1), t[2:]
    if op == "gt":
        v = port_value(t[1], names)
        if v == MAX_PORT:
            raise ValueError("'gt %d' names no port" % MAX_PORT)
        return ISet.of(v + 1, MAX_PORT), t[2:]
    if op == "range":
        lo, hi = port_value(t[1], names), port_value(t[2], names)
        if hi < lo:
            raise ValueError("empty port range %d-%d" % (lo, hi))
        return ISet.of(lo, hi), t[3:]
    raise ValueError("expected a port operator, got '%s'" % op)


def icmp_set(w: str, code: str | None, names: dict[str, int]) -> ISet:
    """An ICMP type (name or number) and optional code -> ``type * 256 + code`` values."""
    if decimal(w):
        ty = int(w)
    elif w in names:
        ty = names[w]
    else:
        raise ValueError("unknown ICMP type '%s'" % w)
    if ty > 255:
        raise ValueError("ICMP type %d out of range" % ty)
    if code is not None:
        if not decimal(code) or int(code) > 255:
            raise ValueError("bad ICMP code '%s'" % code)
        return ISet.of(ty * 256 + int(code))
    return ISet.of(ty * 256, ty * 256 + 255)


def service_words(t: list[str]) -> Svc:
    """``tcp [source OP P] [destination OP P]``, ``tcp eq 80``, ``icmp echo``, ``ip``, ``47``."""
    proto_w = t[0]
    protos = proto_set(proto_w)
    rest = t[1:]
    sport = dport = ALL_PORTS
    if proto_w in ("icmp", "icmp6"):
        names = N.ICMP6_TYPES if proto_w == "icmp6" else N.ICMP_TYPES
        if len(rest) > 2:
            raise ValueError("unexpected '%s'" % rest[2])
        if rest:
            return Svc(protos, ALL_PORTS, icmp_set(rest[0], rest[1] if len(rest) > 1 else None, names))
        return Svc(protos)
    names = port_names(protos)
    while rest:
        if rest[0] == "source":
            sport, rest = port_spec(rest[1:], names)
        elif rest[0] == "destination":
            dport, rest = port_spec(rest[1:], names)
        elif rest[0] in PORT_OPS:
            dport, rest = port_spec(rest, names)
        else:
            raise ValueError("unexpected '%s'" % rest[0])
    return Svc(protos, sport, dport)


def parse_hms(text: str) -> int:
    """``H:MM:SS`` (or ``H:MM``) -> seconds (ASCII digits only: ``decimal``).

    At most 1193:0:0: "All timeout values are in the format hh:mm:ss, with a maximum duration of 1193:0:0"
    (Cisco ASA Series Firewall CLI Configuration Guide, "Connection Settings", "Configure Global Timeouts";
    ``set connection timeout idle``: "between 0:0:1 and 1193:0:0"); the device refuses a longer one, which
    then set nothing (``timeout conn 2000:0:0`` leaves the default hour)."""
    if not all(decimal(p) for p in text.split(":")):
        raise ValueError(text)
    parts = [int(p) for p in text.split(":")]
    if len(parts) == 2:
        parts.append(0)
    if len(parts) != 3 or parts[1] > 59 or parts[2] > 59:
        raise ValueError(text)
    h, m, s = parts
    secs = h * 3600 + m * 60 + s
    if secs > _MAX_TIMEOUT:
        raise ValueError(text)
    return secs

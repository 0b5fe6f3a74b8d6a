"""What iptables and nftables share: names, per-packet conditions, flattening, stages and paths.

Both front ends read a rule into a ``RawRule``: what it matches whatever the packet's place in
its connection (``sure`` / ``possible``), plus conditions that depend on it (``conds``: the
conntrack state, TCP flags, the conntrack direction).  A chain is flattened into a first-match
list once per *kind* of packet the engine evaluates (``"new"``: the first packet of a
connection; ``"established"``: every later packet, replies included) and the two lists are
merged into ``Rule``s whose ``states`` say which kind they match (a rule that matches both
alike is one ``ANY_STATE`` rule).  A rule matching neither (``ct state invalid``) stays in
the filter with ``states`` 0.

Kernel behaviour modelled here, with the documents the tests cite:

* conntrack states (iptables-extensions(8) ``conntrack``/``state``; the nftables wiki,
  "Matching connection tracking stateful metainformation"): the first packet of a
  connection is NEW, every later one (both directions) ESTABLISHED; RELATED packets start
  *related* connections (ICMP errors, FTP data), so ``ESTABLISHED,RELATED`` matches the later
  packets and ``RELATED`` alone matches neither kind; INVALID matches neither; UNTRACKED
  matches the packets a NOTRACK (``-j CT --notrack``, nft ``notrack``) untracked, in either
  kind; the virtual states SNAT/DNAT depend on translations and make the rule uncertain where
  they could decide; chains that run before conntrack (priority < -200: the raw table) see
  every packet as INVALID (or UNTRACKED once untracked);
* a packet that is not untracked itself but is the reply of a connection whose first packet
  was untracked has no conntrack entry to find: it is NEW, not ESTABLISHED; later packets in
  that region are therefore uncertain wherever NEW and ESTABLISHED are matched differently;
* TCP flags: the first packet is a SYN (or SYN with ECE and CWR, ECN set-up), later packets
  carry ACK (SYN-ACK, ACK, PSH, FIN, URG, ECN bits) or RST;
* ``ct direction``/``--ctdir``: the first packet is in the ORIGINAL direction; later packets
  may be either (uncertain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from socket import AF_INET as _AF_INET
from socket import AF_INET6 as _AF_INET6
from socket import inet_pton as _inet_pton

from auditor.core.model import (
    ANY_STATE,
    ESTABLISHED,
    NEW,
    Action,
    AddressRef,
    Filter,
    Impact,
    Interface,
    Path,
    Rule,
    Source,
    Stage,
    Timeout,
    new_rule,
)
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    NOTHING,
    PROTO_TCP,
    V4_BASE,
    Cube,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
    replies,
)
from parsers.kit import names as N
from parsers.kit.nd import LINK_LOCAL, ND, nd_denier, nd_gate

LINUX_ESTABLISHED_DEFAULT = 432000
DEFAULT_TIMEOUT_LABEL = "Linux default nf_conntrack_tcp_timeout_established 432000 s (no sysctl given)"


class ParseError(ValueError):
    """A rule line (or a part of it) the parser does not understand."""


# --- Linux names (as data; the IANA tables are parsers.kit.names) ------------------------

# /etc/protocols of Linux distributions (netbase) where it differs from or adds to IANA's
# keywords, and iptables' own words: '-p all' (or 0) is every protocol; netbase spells
# IP-in-IP (94) 'ipip', while 'ipencap' is 4.
LINUX_PROTOCOLS: dict[str, int | None] = {
    "all": None, "ip": 0, "ipip": 94, "ipv6-mh": 135, "iso-tp4": 29, "xtp": 36, "ddp": 37, "idpr-cmtp": 38,
}

# iptables' ICMP type names (``iptables -p icmp -h``) that IANA's table does not spell
LINUX_ICMP: dict[str, tuple[int, int | None]] = {
    "pong": (0, None), "tos-network-unreachable": (3, 11), "tos-host-unreachable": (3, 12),
    "host-precedence-violation": (3, 14), "precedence-cutoff": (3, 15), "network-redirect": (5, 0),
    "host-redirect": (5, 1), "tos-network-redirect": (5, 2), "tos-host-redirect": (5, 3),
    "ttl-zero-during-transit": (11, 0), "ttl-zero-during-reassembly": (11, 1), "ip-header-bad": (12, 0),
    "required-option-missing": (12, 1),
}
# ip6tables' (``ip6tables -p icmpv6 -h``) and nft's ICMPv6 names that IANA's table does not spell
LINUX_ICMP6: dict[str, tuple[int, int | None]] = {
    "no-route": (1, 0), "communication-prohibited": (1, 1), "beyond-scope": (1, 2),
    "address-unreachable": (1, 3), "port-unreachable": (1, 4), "failed-policy": (1, 5), "reject-route": (1, 6),
    "ttl-exceeded": (3, None), "ttl-zero-during-transit": (3, 0), "ttl-zero-during-reassembly": (3, 1),
    "bad-header": (4, 0), "unknown-header-type": (4, 1), "unknown-option": (4, 2), "pong": (129, None),
    "mld-listener-reduction": (132, None), "nd-router-solicit": (133, None), "nd-router-advert": (134, None),
    "nd-neighbor-solicit": (135, None), "nd-neighbor-advert": (136, None), "nd-redirect": (137, None),
    "ind-neighbor-solicit": (141, None), "ind-neighbor-advert": (142, None),
}
# nft's ICMP code names (nft(8), "ICMP CODE TYPE"; ICMPv6 and icmpx alike where they exist)
ICMP_CODES: dict[str, int] = {
    "net-unreachable": 0, "host-unreachable": 1, "prot-unreachable": 2, "port-unreachable": 3,
    "frag-needed": 4, "net-prohibited": 9, "host-prohibited": 10, "admin-prohibited": 13,
}
ICMP6_CODES: dict[str, int] = {
    "no-route": 0, "admin-prohibited": 1, "addr-unreachable": 3, "port-unreachable": 4,
    "policy-fail": 5, "reject-route": 6,
}
ICMP_NAMES = {**N.ICMP_TYPES, **LINUX_ICMP}
ICMP6_NAMES = {**N.ICMP6_TYPES, **LINUX_ICMP6}
SERVICES = N.SERVICES
PORTED = N.PORTED


# a whole number as C's strtoull(text, NULL, 0) reads it: hexadecimal after 0x, octal after a leading 0
_C_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*", re.ASCII)


def c_number(text: str) -> int | None:
    """``text`` as a number the way iptables and nft read one, else None.  libxtables' ``xtables_strtoul``
    (ports, ICMP types and codes, protocols, prefix lengths) and nft's scanner (its ``numberstring``
    token) both call ``strtoull(s, &end, 0)`` on the whole word: ``0x1bd`` is 445, ``0445`` is octal,
    293, not 445 (netfilter's libxtables/xtables.c; nftables' src/scanner.l, and its commit f0f9cd65
    "scanner: treat invalid octal strings as strings": ``09`` is no number).  Only ASCII digits:
    Python's ``int`` reads any Unicode digit, which neither tool does."""
    if not _C_NUMBER.fullmatch(text):
        return None
    return int(text, 0) if text[:2] in ("0x", "0X") else int(text, 8) if text[0] == "0" else int(text)


@lru_cache(maxsize=1024)
def proto_number(word: str) -> int | None:
    """A protocol name or number -> its number; ``None`` for every protocol (``all``, ``0``)."""
    w = word.strip().lower()
    n = c_number(w)  # (xtables_parse_protocol: xtables_strtoui(s, NULL, &proto, 0, UINT8_MAX); nft alike)
    if n is not None or w.isdecimal():  # (else a name, which may start with a digit: '3pc')
        if n is None or n > 255:
            raise ParseError("unknown protocol '%s'" % word)
        return n or None
    if w in LINUX_PROTOCOLS:
        return LINUX_PROTOCOLS[w]
    n = N.PROTOCOLS.get(w)
    if n is None:
        raise ParseError("unknown protocol '%s'" % word)
    return n


def port_number(word: str) -> int:
    """A port number (``c_number``: ``0x1bd``, ``0445`` octal) or service name (``ParseError`` otherwise)."""
    w = word.strip()
    n = c_number(w)
    if n is not None or w.isdecimal():  # (else a service, whose name may start with a digit: '3com-tsmux')
        if n is None or n > 65535:
            raise ParseError("bad port '%s'" % word)
        return n
    try:
        return N.port_number(word)
    except ValueError as e:
        raise ParseError(str(e)) from None


def icmp_iset(icmp_type: int, code: int | None = None) -> ISet:
    """The destination-port-dimension values of ICMP ``type`` [``code``]."""
    try:
        return N.icmp_values(icmp_type, code)
    except ValueError as e:
        raise ParseError(str(e)) from None


def family_space(fam: int) -> ISet:
    """Every address of family ``fam`` (4 or 6)."""
    return ALL_V4 if fam == 4 else ALL_V6


# the loopback networks: 127.0.0.0/8 and ::1 (RFC 1122 3.2.1.3, RFC 4291 2.5.3)
LOOPBACK = {4: ISet.of(V4_BASE + (127 << 24), V4_BASE + (128 << 24) - 1), 6: ISet.of(1)}

_V4_MASK = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


@lru_cache(maxsize=1 << 16)
def addr_set(text: str, fam: int | None) -> ISet:
    """``10.0.0.0/8``, ``10.0.0.1``, ``10.0.0.0/255.0.0.0``, ``2001:db8::/32`` (host bits ignored).

    ``fam`` (4 or 6) refuses the other family.  (Cached: rulesets repeat their addresses.)
    """
    a, _, plen = text.strip().partition("/")
    v4 = ":" not in a
    if fam is not None and (fam == 4) != v4:
        raise ParseError("IPv%d address '%s' in an IPv%d ruleset" % (4 if v4 else 6, text, fam))
    try:
        base = int.from_bytes(_inet_pton(_AF_INET if v4 else _AF_INET6, a), "big")
    except (OSError, ValueError):
        raise ParseError("bad address '%s'" % text) from None
    bits = 32 if v4 else 128
    if not plen:
        n = bits
    elif (n := c_number(plen)) is not None and n <= bits:  # (libxtables reads it with xtables_strtoui, base 0)
        pass
    elif v4 and _V4_MASK.match(plen):
        m = addr_to_int(plen) - V4_BASE
        inv = (~m) & 0xFFFFFFFF
        if inv & (inv + 1):
            raise ParseError("bad netmask '%s'" % plen)
        n = 32 - inv.bit_length()
    else:
        raise ParseError("bad address '%s'" % text)
    size = 1 << (bits - n)
    lo = (base & ~(size - 1)) + (V4_BASE if v4 else 0)
    return ISet.of(lo, lo + size - 1)


def addr_range(lo: str, hi: str, fam: int | None) -> ISet:
    """``a-b``: every address from ``lo`` to ``hi`` (``ParseError`` when empty)."""
    a, b = addr_set(lo, fam), addr_set(hi, fam)
    if b.lo < a.lo:
        raise ParseError("empty address range '%s-%s'" % (lo, hi))
    return ISet.of(a.lo, b.lo)


# --- TCP flags ---------------------------------------------------------------------------

TCP_FLAGS = {"fin": 1, "syn": 2, "rst": 4, "psh": 8, "ack": 16, "urg": 32, "ece": 64, "cwr": 128}
ALL_FLAGS = 255
_F = TCP_FLAGS
# the first packet of a TCP connection: SYN, or SYN with ECE and CWR when it asks for ECN (RFC 3168 6.1.1)
FIRST_FLAGS = (_F["syn"], _F["syn"] | _F["ece"] | _F["cwr"])
# every later packet of a connection carries ACK (RFC 793 3.4), or is a RST
_LATER = [_F["syn"] | _F["ack"], _F["syn"] | _F["ack"] | _F["ece"], _F["rst"], _F["rst"] | _F["ack"]]
for _base in (0, _F["psh"], _F["fin"], _F["fin"] | _F["psh"], _F["urg"], _F["urg"] | _F["psh"]):
    for _ecn in (0, _F["ece"], _F["cwr"]):
        _LATER.append(_F["ack"] | _base | _ecn)
LATER_FLAGS = tuple(_LATER)


def tcp_flag_bits(text: str) -> int:
    """``SYN,ACK`` / ``syn|ack`` / ``ALL`` / ``NONE`` -> the flags' bits."""
    bits = 0
    for f in re.split(r"[,|]", text.strip().lower()):
        f = f.strip().strip("()")
        if not f or f == "none":
            continue
        if f == "all":
            bits |= ALL_FLAGS
        elif f in TCP_FLAGS:
            bits |= TCP_FLAGS[f]
        else:
            raise ParseError("unknown TCP flag '%s'" % f)
    return bits


# --- conditions that depend on the packet's place in its connection ---------------------

KINDS = ("new", "established")
KIND_STATE = {"new": NEW, "established": ESTABLISHED}


class Ctx:
    """Where in the hooks a chain runs, as its state matches see it.

    ``before_ct``: the chain runs before conntrack (priority below -200, the raw table):
    every packet is INVALID to it.  ``untracked`` / ``untracked_maybe``: the packets a
    NOTRACK certainly / may have untracked before this point (their state is UNTRACKED);
    ``mirrored``: later packets that may be replies of connections whose first packet was
    untracked (NEW to conntrack, not ESTABLISHED).  ``local``: the chain runs only at the hook of
    the packets addressed to the host (``"in"``: INPUT, local-in) or only at the one of the packets
    it sends (``"out"``: OUTPUT, local-out), as ``Path.local``; None elsewhere or where not told
    (``AddrTypeCond``).
    """

    __slots__ = ("before_ct", "untracked", "untracked_maybe", "mirrored", "local", "memo")

    def __init__(self, before_ct: bool = False, untracked: PacketSet = NOTHING, untracked_maybe: PacketSet = NOTHING,
                 mirrored: PacketSet = NOTHING, local: str | None = None):
        self.before_ct = before_ct
        self.untracked, self.untracked_maybe, self.mirrored = untracked, untracked_maybe, mirrored
        self.local = local
        self.memo: dict = {}

    def at(self, local: str | None) -> "Ctx":
        """This context at a hook where the packets are the host's own (``local``, as ``Ctx.local``)."""
        if local == self.local:
            return self
        return Ctx(self.before_ct, self.untracked, self.untracked_maybe, self.mirrored, local)

    @property
    def plain(self) -> bool:
        return not (self.untracked or self.untracked_maybe or self.mirrored)

    def regions(self) -> tuple[PacketSet, PacketSet, PacketSet, PacketSet]:
        """(neither untracked nor mirrored, untracked, maybe untracked, mirrored only): a partition."""
        got = self.memo.get("regions")
        if got is None:
            u, um = self.untracked, self.untracked_maybe.subtract(self.untracked)
            m = self.mirrored.subtract(u).subtract(um)
            rest = ALL.subtract(u).subtract(um).subtract(m)
            got = self.memo["regions"] = (rest, u, um, m)
        return got


PLAIN = Ctx()
RAW = Ctx(before_ct=True)


def _tri(v: bool | None) -> tuple[PacketSet, PacketSet]:
    if v is None:
        return NOTHING, ALL
    return (ALL, ALL) if v else (NOTHING, NOTHING)


def _pieces(parts: list[tuple[PacketSet, bool | None]]) -> tuple[PacketSet, PacketSet]:
    sure = [c for ps, v in parts if v for c in ps.cubes]
    poss = [c for ps, v in parts if v is not False for c in ps.cubes]
    return PacketSet.of_cubes(sure), PacketSet.of_cubes(poss)


class StateCond:
    """``--state``/``--ctstate``/``ct state`` LIST (``negate``: ``!``/``!=``)."""

    __slots__ = ("states", "negate", "dnat")
    REAL = frozenset(("new", "established", "related", "invalid", "untracked"))
    VIRTUAL = frozenset(("snat", "dnat"))

    def __init__(self, states, negate: bool = False, dnat: PacketSet | None = None):
        st = frozenset(s.strip().lower() for s in states if s.strip())
        bad = st - self.REAL - self.VIRTUAL
        if bad:
            raise ParseError("unknown conntrack state '%s'" % sorted(bad)[0])
        self.states, self.negate = st, negate
        # the packets a connection in the DNAT state may have (``translated`` of the input's destination NATs),
        # for a list whose only virtual state is DNAT: where only that state could match, only these may
        self.dnat = dnat if not negate and st & self.VIRTUAL == {"dnat"} else None

    def _dnat_only(self, got: tuple[PacketSet, PacketSet]) -> tuple[PacketSet, PacketSet]:
        if self.dnat is None:
            return got
        sure, poss = got
        return sure, sure.union(poss.intersect(self.dnat))

    def matches(self, state: str) -> bool | None:
        """Does a packet in conntrack state ``state`` match?  ``None``: the virtual SNAT/DNAT
        states (whether the connection was translated) could decide."""
        if state in self.states:
            return not self.negate
        if self.states & self.VIRTUAL:
            return None
        return self.negate

    def never(self) -> bool:
        """True if no packet a chain after conntrack sees can match: a first or later packet of a
        tracked connection, or an untracked one (``INVALID`` alone, ``RELATED`` alone)."""
        return all(self.matches(k) is False for k in ("new", "established", "untracked"))

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        if kind is None:
            return ALL, ALL
        v = self.matches("invalid" if ctx.before_ct else kind)
        if ctx.plain:
            return self._dnat_only(_tri(v))
        key = ("state", self.states, self.negate, kind)
        got = ctx.memo.get(key)
        if got is None:
            rest, u, um, m = ctx.regions()
            vu = self.matches("untracked")
            if ctx.before_ct:  # a NOTRACK earlier in the same raw chain makes the packet UNTRACKED
                vu = v if v == vu else None
            vm = v
            if kind == "established" and not ctx.before_ct and self.matches("new") != v:
                vm = None  # a reply of an untracked connection is NEW to conntrack
            got = ctx.memo[key] = _pieces([(rest, v), (u, vu), (um, v if v == vu else None), (m, vm)])
        return self._dnat_only(got)


class FlagCond:
    """TCP flags ``mask``/``comp`` (``--tcp-flags``, ``--syn``, nft ``tcp flags``): which packets
    of a connection carry such flags."""

    __slots__ = ("mask", "comp", "negate")

    def __init__(self, mask: int, comp: int, negate: bool = False):
        self.mask, self.comp, self.negate = mask, comp, negate

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        if kind is None:
            return ALL, ALL
        flags = FIRST_FLAGS if kind == "new" else LATER_FLAGS
        hits = {((f & self.mask) == self.comp) != self.negate for f in flags}
        return _tri(hits.pop() if len(hits) == 1 else None)


class AnyFlagCond:
    """nft ``tcp flags syn`` (no operator): any of ``flags`` set."""

    __slots__ = ("flags",)

    def __init__(self, flags: int):
        self.flags = flags

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        if kind is None:
            return ALL, ALL
        hits = {bool(f & self.flags) for f in (FIRST_FLAGS if kind == "new" else LATER_FLAGS)}
        return _tri(hits.pop() if len(hits) == 1 else None)


class DirCond:
    """``--ctdir ORIGINAL|REPLY`` / ``ct direction``: the first packet is in the original
    direction; a later packet may be in either."""

    __slots__ = ("original",)

    def __init__(self, original: bool):
        self.original = original

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        if kind is None:
            return ALL, ALL
        return _tri(self.original if kind == "new" else None)


class Never:
    """A condition no packet of a connection meets (e.g. ``-f``: a non-first fragment, which
    the defragmentation before conntrack never lets through)."""

    __slots__ = ()

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        return (ALL, ALL) if kind is None else (NOTHING, NOTHING)


# --- address types (iptables' ``-m addrtype``, nft's ``fib ... type``) --------------------
#
# The kernel's address type of an address (net/netfilter/xt_addrtype.c, iptables-extensions(8)
# ``addrtype``; the types are the route types of rtnetlink, iproute2's ip-route(8) "ROUTE TYPES"):
#
# * IPv4 (``inet_dev_addr_type``, net/ipv4/fib_frontend.c): 0.0.0.0/8 and 255.255.255.255 are
#   BROADCAST and 224.0.0.0/4 MULTICAST whatever the host; any other address has the type of its
#   route in the ``local`` routing table ("a special routing table containing high priority
#   control routes for local and broadcast addresses", ip-rule(8)): LOCAL for the host's own
#   addresses (and 127.0.0.0/8), BROADCAST for its networks' broadcast addresses, UNICAST when
#   the table has no route for it.  ``--limit-iface-in/out`` counts a route of another interface
#   as none (UNICAST).
# * IPv6 (``match_type6``): MULTICAST is ff00::/8, UNSPEC ::, UNICAST any other address
#   (``ipv6_addr_type``; not the v4-mapped ::ffff:0:0/96, left uncertain here); LOCAL, ANYCAST and
#   UNREACHABLE come from a route lookup, and a list of types must *all* hold for the address-defined
#   ones (the kernel's checks are a chain of refusals, not a choice).
#
# The host paths take the packets in INPUT to be addressed to one of the host's own addresses and
# those in OUTPUT to be sent from one (``Path.local``: ``Config.local_addresses``): their
# destination (source) that is neither multicast nor a limited broadcast is LOCAL there.  (A
# packet sent to one of the host's networks' broadcast addresses also reaches INPUT, as a
# broadcast, but no flow the model checks goes to one.)  Anywhere else, or with an interface
# limit, only the types the address itself decides are known.

# (in the order of the kernel's rtnetlink route types)
ADDR_TYPES = ("UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE",
              "PROHIBIT", "THROW", "NAT", "XRESOLVE")


@lru_cache(maxsize=None)
def _addr_regions(fam: int) -> tuple[tuple[str, ISet], ...]:
    """The address family's space cut into the regions whose addresses the types treat alike."""
    if fam == 4:
        m, b = addr_set("224.0.0.0/4", 4), addr_set("0.0.0.0/8", 4).union(addr_set("255.255.255.255", 4))
        return (("multicast", m), ("broadcast", b), ("unicast", ALL_V4.subtract(m).subtract(b)))
    m, a, v4 = addr_set("ff00::/8", 6), addr_set("::", 6), addr_set("::ffff:0:0/96", 6)
    return (("multicast", m), ("any", a), ("mapped", v4), ("unicast", ALL_V6.subtract(m).subtract(a).subtract(v4)))


def _type_match(fam: int, region: str, types: frozenset, own: bool) -> bool | None:
    """Does an address of ``region`` have a type in ``types`` (IPv4) / pass ``types`` (IPv6)?  ``own``:
    the address is one of the host's (and no interface limit); None: the host's routes decide."""
    if fam == 4:
        if region == "multicast":
            return "MULTICAST" in types
        if region == "broadcast":
            return "BROADCAST" in types
        if own:
            return "LOCAL" in types
        # (a route of type multicast "is not present in normal routing tables", ip-route(8))
        return False if types == {"MULTICAST"} else None
    if region == "mapped":
        return None
    if "MULTICAST" in types and region != "multicast" or "UNICAST" in types and region != "unicast" or \
            "UNSPEC" in types and region != "any":
        return False
    if types & {"LOCAL", "ANYCAST", "UNREACHABLE"}:
        # (the host's own address: its route is its local route, RTF_LOCAL, neither anycast nor a reject)
        return "LOCAL" in types if own and region == "unicast" else None
    return True


def addr_type_note(dim: int, types, negate: bool) -> str:
    """What an address-type test leaves to the host, for the reasons of the packets it leaves unknown: the
    type of an address that is not 0.0.0.0/8, 255.255.255.255 or multicast is its route's."""
    return "%s address type %s%s: its route's type in the host's local table, not in the ruleset" % (
        "source" if dim == 0 else "destination", "not " if negate else "", ",".join(sorted(types)))


class AddrTypeCond:
    """``-m addrtype [!] --src-type|--dst-type TYPES`` (``dim`` 0/1), ``iface``: with
    ``--limit-iface-in/out``.  It depends on the hook the chain runs at (``Ctx.local``), not on
    the packet's place in its connection."""

    __slots__ = ("fam", "dim", "types", "negate", "iface")

    def __init__(self, fam: int, dim: int, types: frozenset, negate: bool = False, iface: bool = False):
        self.fam, self.dim, self.types, self.negate, self.iface = fam, dim, types, negate, iface

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        own = not self.iface and ctx.local == ("in" if self.dim == 1 else "out")
        return _addrtype_sets(self.fam, self.dim, self.types, self.negate, own)


class FibTypeCond(AddrTypeCond):
    """nft's ``fib saddr|daddr [. iif|oif] type [!=] TYPES`` (``dim`` 0/1; ``iface``: with ``iif`` or
    ``oif`` in the tuple), of the families ``fams`` (an ``inet`` table's rule looks at both).

    IPv4 is ``addrtype``'s lookup (net/ipv4/netfilter/nft_fib_ipv4.c, ``nft_fib4_eval_type``:
    ``inet_dev_addr_type`` / ``inet_addr_type_dev_table``).  IPv6 is not (nft_fib_ipv6.c,
    ``__nft_fib6_eval_type``): one type from a route lookup (LOCAL for a local route, ANYCAST,
    BLACKHOLE, PROHIBIT, UNREACHABLE... for the others), the address's own class only where the
    lookup finds a plain route: only the host's own address's LOCAL is known."""

    __slots__ = ("fams",)

    def __init__(self, fams: tuple[int, ...], dim: int, types: frozenset, negate: bool = False, iface: bool = False):
        super().__init__(fams[0], dim, types, negate, iface)
        self.fams = fams

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        own = not self.iface and ctx.local == ("in" if self.dim == 1 else "out")
        return _fibtype_sets(self.fams, self.dim, self.types, self.negate, own)


# --- reverse-path lookups (iptables' ``-m rpfilter``, nft's ``fib saddr ... oif missing``) ---------
#
# Both look the packet's source up in the host's routes and ask whether the route leads back out
# through the interface the packet came in on (or, loose, through any): the routes are not in the
# ruleset, so the answer is the host's, except where the kernel ties it to the incoming interface.
# An IPv6 link-local source (``ipv6_addr_type`` LINKLOCAL) is looked up on that interface only
# (RT6_LOOKUP_F_IFACE, ``flowi6_oif`` = the incoming device: net/ipv6/netfilter/nft_fib_ipv6.c,
# ``nft_fib6_flowi_init``; ip6t_rpfilter.c, ``rpfilter_lookup_reverse6``), where the interface's own
# fe80::/64 route (the prefix of the link-local addresses it forms, RFC 4291 2.5.6, RFC 4862 5.3)
# finds it: the lookup succeeds on that interface.  A packet looped back by the host (the loopback
# networks as the model has them) is taken as found by ip6t_rpfilter/ipt_rpfilter (``rpfilter_is_loopback``)
# and by nft in the prerouting hook (``nft_fib_is_loopback``).  The rest of fe80::/10, every other
# source and every IPv4 source: the host's routes decide.

class RpfCond:
    """A reverse-path lookup of the source (``fams``: the families the rule sees) that matches where the
    lookup finds the route (``found``: iptables' ``-m rpfilter``, nft's ``oif exists``/``!= 0``) or where it
    does not (``--invert``, ``oif missing``/``0``).  ``loopback``: the lookup is known to take the host's
    looped-back packets as found (every ``rpfilter``; nft in a prerouting chain).  Decided at parse time:
    the same at every hook it may run at (both lookups are refused outside prerouting, input and
    forward: nft_fib.c, ``nft_fib_validate``; ip6t_rpfilter.c, ``.hooks``)."""

    __slots__ = ("fams", "found", "loopback")

    def __init__(self, fams: tuple[int, ...], found: bool, loopback: bool):
        self.fams, self.found, self.loopback = fams, found, loopback

    def cond(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        return _rpf_sets(self.fams, self.found, self.loopback)


@lru_cache(maxsize=16)
def _rpf_sets(fams: tuple[int, ...], found: bool, loopback: bool) -> tuple[PacketSet, PacketSet]:
    parts = []
    for fam in fams:
        known = LINK_LOCAL if fam == 6 else ISet([])
        if loopback:
            known = known.union(LOOPBACK[fam])
        parts.append((PacketSet([cube(src=known)]), found))
        parts.append((PacketSet([cube(src=family_space(fam).subtract(known))]), None))
    return _pieces(parts)


def rpf_why(fams: tuple[int, ...]) -> str:
    """Why a reverse-path lookup of a rule seeing ``fams`` is uncertain (CFG300)."""
    return ("whether the host's routes lead back to the source through the interface the packet came in on "
            "is not in the ruleset" + (" (IPv6 link-local sources, fe80::/64, are decided: their lookup is tied "
                                       "to that interface, whose own route finds them)" if 6 in fams else ""))


@lru_cache(maxsize=256)
def _fibtype_sets(fams: tuple[int, ...], dim: int, types: frozenset, negate: bool,
                  own: bool) -> tuple[PacketSet, PacketSet]:
    got = [_addrtype_sets(f, dim, types, negate, own, True) for f in fams]
    if len(got) == 1:
        return got[0]
    return got[0][0].union(got[1][0]), got[0][1].union(got[1][1])


@lru_cache(maxsize=256)
def _addrtype_sets(fam: int, dim: int, types: frozenset, negate: bool, own: bool,
                   fib: bool = False) -> tuple[PacketSet, PacketSet]:
    parts = []
    for region, addrs in _addr_regions(fam):
        if fib and fam == 6:
            if region == "mapped":
                continue  # (the model's IPv4 addresses: an inet table's IPv6 lookup never sees them)
            v = ("LOCAL" in types) if own and region == "unicast" else None
        else:
            v = _type_match(fam, region, types, own)
        if v is not None and negate:
            v = not v
        parts.append((PacketSet([cube(src=addrs) if dim == 0 else cube(dst=addrs)]), v))
    return _pieces(parts)


# --- one rule's match ---------------------------------------------------------------------

class Match:
    """What one rule matches: a box narrowed one dimension at a time, extra packet sets it is
    intersected with, the parts not understood (``unsure``) and the per-kind conditions."""

    __slots__ = ("dims", "extra", "never", "unsure", "conds", "space")

    def __init__(self, space: ISet):
        self.space = space
        self.dims = [space, space, ALL_PROTO, ALL_PORTS, ALL_PORTS]
        self.extra: list[PacketSet] = []
        self.never = False
        self.unsure: list[str] = []
        self.conds: list = []

    def restrict(self, dim: int, values: ISet) -> None:
        cur = self.dims[dim]
        c, v = cur.iv, values.iv
        if len(c) == 1 and v and c[0][0] <= v[0][0] and v[-1][1] <= c[0][1]:
            self.dims[dim] = values  # (inside the one interval so far: the values themselves)
        else:
            self.dims[dim] = cur.intersect(values)

    def also(self, ps: PacketSet) -> None:
        self.extra.append(ps)

    def possible(self) -> PacketSet:
        if self.never or not all(self.dims):
            return NOTHING
        ps = PacketSet.of_cubes([Cube(*self.dims)])
        for x in self.extra:
            ps = ps.intersect(x)
        return ps

    def cond(self) -> tuple[PacketSet, PacketSet]:
        """(the packets it certainly matches, the packets it may match), whatever the kind."""
        p = self.possible()
        return (NOTHING if self.unsure else p), p


@dataclass(eq=False, slots=True)
class RawRule:
    """One rule before flattening.

    ``verdict``: accept, drop, return, jump, goto, none (no verdict), unknown (the verdict cannot
    be told) or nat (terminal in its chain).  ``conds``: conditions that depend on the packet's
    kind (``at``).  ``effect``: what a rule without a verdict does that matters
    (``"notrack"``), ``timeout`` a conntrack timeout it sets.  ``index``: its position in its
    chain (keys the flattened entries, so the kinds' lists merge in chain order).
    """

    sure: PacketSet
    possible: PacketSet
    verdict: str
    source: Source
    target: str | None = None
    refs: tuple[AddressRef, ...] = ()
    timeout: Timeout | None = None
    note: str = ""
    opaque: bool = False
    conds: tuple = ()
    effect: str = ""
    index: int = 0

    def at(self, kind: str | None, ctx: Ctx) -> tuple[PacketSet, PacketSet]:
        """(sure, possible) for packets of ``kind`` in a chain running at ``ctx``."""
        s, p = self.sure, self.possible
        for c in self.conds:
            cs, cp = c.cond(kind, ctx)
            if cp is not ALL:
                p = p.intersect(cp)
            if cs is not ALL:
                s = s.intersect(cs) if cs else NOTHING
        if s is not self.sure and s:
            s = s.intersect(p)
        return s, p


@dataclass(eq=False, slots=True)
class Entry:
    """One flattened first-match entry; ``action`` None means 'cannot tell'."""

    sure: PacketSet
    possible: PacketSet
    action: Action | None
    source: Source
    refs: tuple[AddressRef, ...] = ()
    note: str = ""
    timeout: Timeout | None = None
    opaque: bool = False
    key: tuple = ()
    effect: str = ""


# --- an index of cubes by their source addresses ---------------------------------------

class CubeIndex:
    """Cubes indexed by the blocks of source addresses they lie over, so that a query only
    meets the cubes that can overlap it (a set of earlier rules subtracted from a later one
    without rebuilding their union per rule).  ``tests`` counts the cube-overlap tests made."""

    SHIFTS = (8, 24, 72)  # /24 blocks of IPv4, /8 blocks, then /56 blocks (IPv6 networks)
    SPAN = 4
    MAX_BLOCKS = 256
    all_tests = 0  # overlap tests made by every index (the tests count them per shape)

    def __init__(self) -> None:
        self.levels: list[dict[int, list[Cube]]] = [{} for _ in self.SHIFTS]
        self.wide: list[Cube] = []
        self.size = 0
        self.tests = 0

    def __bool__(self) -> bool:
        return self.size > 0

    def add(self, ps: PacketSet) -> None:
        for c in ps.cubes:
            self.size += 1
            iv = c.dims[0].iv
            lo, hi = iv[0][0], iv[-1][1]
            for level, shift in zip(self.levels, self.SHIFTS, strict=False):
                a, b = lo >> shift, hi >> shift
                if b - a < self.SPAN:
                    for k in range(a, b + 1):
                        level.setdefault(k, []).append(c)
                    break
            else:
                self.wide.append(c)

    def meeting(self, ps: PacketSet) -> list[Cube]:
        """The indexed cubes that overlap ``ps``."""
        if not self.size or not ps.cubes:
            return []
        cand: dict[int, Cube] = {id(c): c for c in self.wide}
        for level, shift in zip(self.levels, self.SHIFTS, strict=False):
            if not level:
                continue
            blocks: set[int] = set()
            for q in ps.cubes:
                for lo, hi in q.dims[0].iv:
                    a, b = lo >> shift, hi >> shift
                    if b - a > self.MAX_BLOCKS or len(blocks) > self.MAX_BLOCKS:
                        blocks = set(level)
                        break
                    blocks.update(range(a, b + 1))
            for k in blocks:
                for c in level.get(k, ()):
                    cand[id(c)] = c
        out = []
        tests = 0
        for c in cand.values():
            for q in ps.cubes:
                tests += 1
                if c.overlaps(q):
                    out.append(c)
                    break
        self.tests += tests
        CubeIndex.all_tests += tests
        return out

    def subtract_from(self, ps: PacketSet) -> PacketSet:
        """``ps`` minus every indexed cube."""
        others = self.meeting(ps)
        return ps.subtract(PacketSet.of_cubes(others)) if others else ps


# --- flattening jumps into first-match lists ----------------------------------------------

VERDICT_ACTION = {"accept": Action.PERMIT, "drop": Action.DENY, "nat": Action.PERMIT}
_END = 1 << 62  # key of what a goto leaves behind: after every entry of the chain it went to


class Flattener:
    """Flatten one table's chains into first-match lists for packets of one ``kind``
    (``None``: ignoring the per-kind conditions) in a chain running at ``ctx``.

    ``report(code, message, source, scope)`` receives CFG301 for undefined chains and loops.
    """

    def __init__(self, chains: dict[str, list[RawRule]], report, kind: str | None = "new", ctx: Ctx = PLAIN,
                 shared: "Shared | None" = None):
        self.chains, self.report, self.kind, self.ctx = chains, report, kind, ctx
        self.memo: dict[str, list[Entry]] = {}
        self.active: set[str] = set()
        self.shared = shared
        # the entries made, by what makes them (``Shared.made``)
        self.made: dict[tuple, Entry] = shared.made if shared is not None else {}
        self._jumps_of: dict[int, dict] = {}  # id of a chain's rule list -> its jumps' places (``_later_same``)

    def flatten(self, name: str) -> list[Entry]:
        if name in self.memo:
            return self.memo[name]
        sh = self.shared
        if sh is not None and name in sh.free:
            got = sh.lists.get(name)
            if got is None:
                sh.lists[name] = got = self._flatten(name)
            self.memo[name] = got
            return got
        return self._flatten(name)

    def _flatten(self, name: str) -> list[Entry]:
        self.active.add(name)
        out: list[Entry] = []
        returned = CubeIndex()  # packets that have certainly left this chain
        kind, ctx = self.kind, self.ctx
        made = self.made
        rules = self.chains.get(name, [])
        marks: list[int] = []  # places in ``out`` of the entries of packets that may return
        for k, r in enumerate(rules):
            sure, poss = r.at(kind, ctx) if r.conds else (r.sure, r.possible)
            if returned:
                sure, poss = returned.subtract_from(sure), returned.subtract_from(poss)
            if not poss:
                continue
            key = (r.index,)
            v = r.verdict
            if v in VERDICT_ACTION:
                mk = (r, sure, poss)
                e = made.get(mk)
                if e is None:
                    e = made[mk] = Entry(sure, poss, VERDICT_ACTION[v], r.source, r.refs, r.note, None, r.opaque, key,
                                         "")
                out.append(e)
            elif v == "return":
                rest = poss.subtract(sure)
                if rest:
                    marks.append(len(out))
                    out.append(Entry(NOTHING, rest, None, r.source, r.refs, "may return", key=key))
                returned.add(sure)
            elif v in ("jump", "goto"):
                sub = r.target or ""
                if sub not in self.chains:
                    self.report("CFG301", "jump to undefined chain '%s'" % sub, r.source, name)
                    out.append(Entry(NOTHING, poss, None, r.source, r.refs, "undefined chain %s" % sub, key=key))
                    continue
                if sub in self.active:
                    self.report("CFG301", "jump loop through chain '%s'" % sub, r.source, name)
                    out.append(Entry(NOTHING, poss, None, r.source, r.refs, "jump loop", key=key))
                    continue
                same = sure is not poss and self._later_same(rules, k, r) and \
                    self._taken_anyway(rules, k, r, poss.subtract(sure))
                if same:
                    sure = poss
                sh = self.shared
                if sh is not None and not r.conds and not returned and sub in sh.free:
                    got = sh.jumps.get((id(r), same))  # (the same for every kind: share it)
                    if got is None:
                        got = sh.jumps[(id(r), same)] = self._expand(name, sub, r, sure, poss, key)
                    out += got
                else:
                    out += self._expand(name, sub, r, sure, poss, key)
                if v == "goto":
                    rest = poss.subtract(sure)
                    if rest:
                        rest = self._undecided(sub, rest)
                    if rest:
                        marks.append(len(out))
                        out.append(Entry(NOTHING, rest, None, r.source, r.refs, "may return (goto)",
                                         key=key + (_END,)))
                    returned.add(sure)
            elif v == "none":
                if r.timeout is not None or r.effect:
                    out.append(Entry(sure, poss, None, r.source, r.refs, r.note, timeout=r.timeout, key=key,
                                     effect=r.effect))
            else:  # unknown verdict
                out.append(Entry(NOTHING, poss, None, r.source, r.refs, r.note, opaque=r.opaque, key=key))
        if marks:
            out = _moot_returns_dropped(out, marks)
        self.active.discard(name)
        self.memo[name] = out
        return out

    def _undecided(self, sub: str, ps: PacketSet) -> PacketSet:
        """``ps`` without the packets chain ``sub`` certainly accepts or drops before any rule that may send them
        back: a ``goto`` that may or may not be taken leaves those to the rules after it or decides them in
        ``sub`` (its entries say which way, uncertain); only the others may come back from ``sub``'s end (to
        the chain's caller, or the base chain's policy: the nftables wiki, "Jumping to chain")."""
        done = CubeIndex()
        for e in self.flatten(sub):
            if e.action is None:
                if e.timeout is None and not e.effect:
                    break
                continue
            if e.sure.cubes:
                done.add(e.sure)
        return done.subtract_from(ps) if done else ps

    def _later_same(self, rules: list[RawRule], k: int, r: RawRule) -> bool:
        """Whether a rule after ``rules[k]`` (``r``) jumps to the same chain the same way (``_taken_anyway``
        looks no further otherwise: most jumps are a chain's only one)."""
        where = self._jumps_of.get(id(rules))
        if where is None:
            where = self._jumps_of[id(rules)] = {}
            for i, x in enumerate(rules):
                if x.verdict in ("jump", "goto"):
                    where.setdefault((x.verdict, x.target), []).append(i)
        return where[(r.verdict, r.target)][-1] > k

    def _taken_anyway(self, rules: list[RawRule], k: int, r: RawRule, rest: PacketSet) -> bool:
        """Whether the packets ``rest``, which jump ``rules[k]`` (``r``) may or may not match, are sent to
        the same chain the same way by a later rule that certainly matches them, with no rule between
        that may match them: taken or not, the jump's outcome is theirs (firewalld's ``-i eth0 -g
        IN_public`` before its default zone's ``-g IN_public``)."""
        if not rest:
            return False
        kind, ctx = self.kind, self.ctx
        for r2 in rules[k + 1:]:
            s2, p2 = r2.at(kind, ctx) if r2.conds else (r2.sure, r2.possible)
            if r2.verdict == r.verdict and r2.target == r.target and not rest.subtract(s2):
                return True
            if p2.overlaps(rest):
                return False
        return False

    def _expand(self, name: str, sub: str, r: RawRule, sure: PacketSet, poss: PacketSet, key: tuple) -> list[Entry]:
        """The entries of chain ``sub`` as jumped to by ``r`` from chain ``name``."""
        out: list[Entry] = []
        exact = sure is poss
        # (what the jump itself does not model, where it may not be taken: an interface, a mark...)
        via = "%s -> %s" % (name, sub) if exact or not r.note else "%s -> %s (%s)" % (name, sub, r.note)
        # (the same four sets meet the same way for every kind: met once, the results shared, so
        # that the kinds' lists hold the very same sets where they agree)
        meet = self.shared.meet if self.shared is not None else {}
        made = self.made
        for e in self.flatten(sub):
            mk = (e, r, sure, poss)
            got = made.get(mk, False)
            if got is not False:
                if got is not None:
                    out.append(got)
                continue
            k = (e.possible, e.sure, sure, poss)
            got = meet.get(k)
            if got is None:
                ep = e.possible.intersect(poss)
                if not ep.cubes:
                    ep = NOTHING
                if exact and e.sure is e.possible:
                    es = ep  # (both exact: what it may match it matches)
                else:
                    es = e.sure.intersect(sure) if sure.cubes and e.sure.cubes else NOTHING
                got = meet[k] = (es, ep)
            es, ep = got
            if not ep.cubes:
                made[mk] = None
                continue
            got = made[mk] = Entry(es, ep, e.action, e.source, r.refs + e.refs if r.refs else e.refs,
                                   via + ", " + e.note if e.note else via, e.timeout, e.opaque, key + e.key, e.effect)
            out.append(got)
        return out


def _moot_returns_dropped(out: list[Entry], marks: list[int]) -> list[Entry]:
    """``out`` with its "may return" entries narrowed to the packets a later entry of the chain meets
    (dropped if none): returned or not, the others leave the chain at its end, where a return takes
    them (``iifname "eth0" return`` before jumps to empty chains and a final ``return``)."""
    later = CubeIndex()
    out = list(out)
    j = len(out)
    for m in reversed(marks):
        for e in out[m + 1:j]:
            if e is not None and e.possible.cubes:  # (None: a later return of these, dropped: it meets nothing)
                later.add(e.possible)
        j = m + 1
        e = out[m]
        met = later.meeting(e.possible)
        rest = e.possible.intersect(PacketSet.of_cubes(met)) if met else NOTHING
        out[m] = replace(e, possible=rest) if rest.cubes else None
    return [e for e in out if e is not None]


class Shared:
    """What the flattenings of one table for different kinds and contexts have in common: the
    chains whose first-match list does not depend on them (``free``: no rule with a per-kind
    condition in them or in the chains they jump to), those chains' lists, and the expansions of
    jumps to them from rules without such a condition."""

    def __init__(self, chains: dict[str, list[RawRule]]):
        self.lists: dict[str, list[Entry]] = {}
        self.jumps: dict[int, list[Entry]] = {}
        self.meet: dict[tuple, tuple[PacketSet, PacketSet]] = {}
        # an entry is made of its rule (and, through a jump, the jump's rule and the jumped-to chain's entry) and
        # the packets it meets: where the kinds' flattenings meet the same ones, they share the very same entry
        # (the keys hold the objects themselves: nothing in them is changed once made)
        self.made: dict[tuple, Entry | None] = {}
        targets = {n: {r.target for r in rs if r.verdict in ("jump", "goto")} for n, rs in chains.items()}
        free = {n for n, rs in chains.items() if not any(r.conds for r in rs)}
        changed = True
        while changed:  # (a chain is free if every chain it jumps to is; loops never are)
            changed = False
            for n in list(free):
                if not targets[n] <= free or n in targets[n]:
                    free.discard(n)
                    changed = True
        self.free = free


class Flats:
    """One table's flattenings per (kind, context), each made when first needed; the chains and
    jumps that do not depend on the kind are flattened once (``Shared``)."""

    def __init__(self, rules: dict[str, list[RawRule]], report):
        self.rules, self.report = rules, report
        self.by: dict = {}
        self.zeros: dict[tuple[int, bool], bool] = {}  # (id of a context, first_only) -> ``zero_needed``
        self.conds = any(r.conds for rs in rules.values() for r in rs)
        self.shared = Shared(rules)
        # (a rule whose match depends on the hook: the built-in chains' contexts must say theirs, ``Ctx.local``)
        self.hooked = self.conds and any(isinstance(c, AddrTypeCond) for rs in rules.values() for r in rs
                                         for c in r.conds)

    @property
    def jumps_known(self) -> bool:
        """Whether every jump of the table is known: no rule whose verdict is not understood
        (a line the parser could not read, a target it does not know: it may jump anywhere)."""
        return not any(r.verdict == "unknown" for rs in self.rules.values() for r in rs)

    def flatten(self, name: str, kind: str | None, ctx: Ctx) -> list[Entry]:
        if not self.conds and ctx.plain:
            kind = "new"  # (no rule depends on the kind: one flattening serves every kind)
        key = (kind, id(ctx))
        fl = self.by.get(key)
        if fl is None:
            fl = self.by[key] = Flattener(self.rules, self.report, kind, ctx, self.shared)
        return fl.flatten(name)

    def merged(self, name: str, ctx: Ctx, first_only: bool = False) -> list[tuple[Entry, int]]:
        """Chain ``name``'s entries for both kinds (``merge_kinds``); ``first_only``: a chain
        that only a connection's first packet traverses (nat)."""
        new = self.flatten(name, "new", ctx)
        if name in self.shared.free and not first_only:
            return [(e, ANY_STATE) for e in deciding(new)]
        est = [] if first_only else self.flatten(name, "established", ctx)
        zero = self.flatten(name, None, ctx) if self.conds and self.zero_needed(ctx, first_only) else None
        return merge_kinds(new, est, zero)

    def zero_needed(self, ctx: Ctx, first_only: bool) -> bool:
        """Whether the flattening that ignores the per-kind conditions may hold an entry that neither kind's
        holds (a rule no packet of a connection meets: ``merge_kinds``'s states 0).  Not where no rule returns
        or goes to a chain, no jump has a per-kind condition, and every rule with one may match, for one kind
        (new, or established unless ``first_only``), the very packets it may match ignoring them: the
        flattenings then walk the same jumps with the same packets and nothing returns, so each entry of the
        one ignoring the conditions is in that kind's with the same key and packets.  (What the kinds' states
        say is compared by identity only: where it is computed apart, such as a chain's after a NOTRACK, the
        flattening is made.)"""
        key = (id(ctx), first_only)
        got = self.zeros.get(key)
        if got is None:
            got = self.zeros[key] = self._zero_needed(ctx, first_only)
        return got

    def _zero_needed(self, ctx: Ctx, first_only: bool) -> bool:
        for rs in self.rules.values():
            for r in rs:
                if r.verdict == "return" or r.verdict == "goto":
                    return True
                if r.conds:
                    if r.verdict == "jump":
                        return True
                    p = r.at(None, ctx)[1]
                    if p is not r.at("new", ctx)[1] and (first_only or p is not r.at("established", ctx)[1]):
                        return True
        return False


def deciding(entries: list[Entry]) -> list[Entry]:
    """The entries that decide packets (not the timeout or NOTRACK markers)."""
    return [e for e in entries if e.timeout is None and not e.effect]


def _same(a: Entry, b: Entry) -> bool:
    return a is b or a.action is b.action and (a.possible is b.possible or a.possible.cubes == b.possible.cubes) and (
        a.sure is b.sure or a.sure.cubes == b.sure.cubes)


def merge_kinds(new: list[Entry], est: list[Entry], zero: list[Entry] | None = None) -> list[tuple[Entry, int]]:
    """The two kinds' first-match lists as one, in chain order, each entry with the states it
    applies to: one ``ANY_STATE`` entry where both kinds have the same one.  ``zero``: the
    entries of a flattening that ignores the per-kind conditions; those whose key neither kind
    has (a rule no packet of a connection meets) come with states 0."""
    new, est = deciding(new), deciding(est)
    out: list[tuple[Entry, int]] = []
    i = j = 0
    n, m = len(new), len(est)
    while i < n or j < m:
        a = new[i] if i < n else None
        b = est[j] if j < m else None
        if a is b:  # (the very same entry: the kinds' flattenings share it where they agree, ``Shared.made``)
            out.append((a, ANY_STATE))
            i += 1
            j += 1
        elif b is None or (a is not None and a.key < b.key):
            out.append((a, NEW))
            i += 1
        elif a is None or b.key < a.key:
            out.append((b, ESTABLISHED))
            j += 1
        else:
            if _same(a, b):
                out.append((a, ANY_STATE))
            else:
                out += [(a, NEW), (b, ESTABLISHED)]
            i += 1
            j += 1
    if zero:
        have = {id(e) for e, _ in out}  # (most of its entries are the kinds' own: ``Shared.made``)
        rest = [e for e in deciding(zero) if id(e) not in have]
        seen = {e.key for e, _ in out} if rest else ()
        extra = [(e, 0) for e in rest if e.key not in seen]
        if extra:
            out = sorted(out + extra, key=lambda x: x[0].key)
    return out


def to_rules(fname: str, merged: list[tuple[Entry, int]], final: list[Rule] = ()) -> tuple[Rule, ...]:
    """Model rules of a filter from merged entries, then ``final`` (the policy's rules)."""
    rules: list[Rule] = []
    for e, states in merged:
        if e.action is None:
            rules.append(new_rule(fname, len(rules), Action.DENY, NOTHING, e.source, maybe=e.possible,
                                  opaque=e.opaque, addresses=e.refs, note=e.note, states=states))
        else:
            maybe = NOTHING if e.possible is e.sure else (e.possible.subtract(e.sure) if e.sure else e.possible)
            # (its verdict is known: a match not understood, or a jump's, only makes whether it matches
            # uncertain, ``Rule.sure_action``; a jump that may not be taken leaves the packet to the rules after
            # it, as the rule's not matching does)
            rules.append(new_rule(fname, len(rules), e.action, e.sure, e.source, maybe=maybe,
                                  opaque=e.opaque, addresses=e.refs, note=e.note, states=states,
                                  sure_action=not e.opaque))
    for r in final:
        rules.append(new_rule(fname, len(rules), r.action, r.match, r.source, maybe=r.maybe, note=r.note,
                              states=r.states, builtin=r.builtin))
    return tuple(rules)


_MAY_RETURN = ("may return", "may return (goto)")  # (the notes of the entries ``Flattener`` makes for them)


def _may_return(e: Entry) -> bool:
    """True for a merged entry standing for a ``return`` or ``goto`` whose match is uncertain."""
    return e.action is None and e.note.endswith(_MAY_RETURN)


def moot_returns(merged: list[tuple[Entry, int]], policy: Action) -> list[tuple[Entry, int]]:
    """A base chain's merged entries, the "may return" ones (a ``return`` or ``goto`` whose match is uncertain)
    given the action of the chain's policy where their packets end so whether they return or not: every
    later entry that may take them certainly has that action, and the policy decides what reaches the end.
    A packet that returns goes on at a later entry (nft(8), VERDICT STATEMENT: ``jump`` stores the
    position, "When the end of CHAIN is reached, an implicit return verdict is issued"; a ``goto``'s chain
    ends in the base chain's policy, the nftables wiki, "Jumping to chain"); one that does not, at the next
    entry: either way a later entry or the end takes it, with that action."""
    if not any(_may_return(e) for e, _states in merged):
        return merged
    other = CubeIndex()  # the later entries that may decide otherwise
    out: list[tuple[Entry, int]] = []
    for e, states in reversed(merged):
        if _may_return(e) and not e.opaque and not other.meeting(e.possible):
            # (kept, for the line's findings, as what it comes to: that action, whether it matches or not)
            e = replace(e, action=policy, note=e.note + ", ending as the policy %s either way" % policy.value)
        if e.action is not policy or e.opaque:
            other.add(e.possible)
        out.append((e, states))
    out.reverse()
    return out


def moot_permits(merged: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
    """The entries of a nat chain whose end passes the packet on (a nat base chain of policy accept, a user
    chain only nat chains reach), without the accepts and translations that no later entry may decide
    otherwise.  In a nat chain, ``accept``, ``snat``, ``masquerade`` (``-j ACCEPT``, ``SNAT``, ``MASQUERADE``)
    end the chain's traversal for the connection's first packet, which goes on to the filter chains either way
    (iptables-extensions(8), MASQUERADE, SNAT: "This target is only valid in the nat table"; the nftables wiki,
    "Performing Network Address Translation (NAT)"): where every later entry that may take its packets also
    accepts them, and the chain's end passes them on, the entry decides nothing a filter would, and is no permit
    of any packet (fw4's ``srcnat_wan``, ``meta nfproto ipv4 masquerade``; fw3's ``zone_wan_postrouting -j
    MASQUERADE``: neither is an any-to-any permit).  One before a later drop or a verdict not understood stays."""
    other = CubeIndex()  # the later entries that may decide otherwise
    out: list[tuple[Entry, int]] = []
    for e, states in reversed(merged):
        if e.action is Action.PERMIT and not e.opaque:
            if not other.meeting(e.possible):
                continue
        else:
            other.add(e.possible)
        out.append((e, states))
    out.reverse()
    return out


def returns_before_unknowns(merged: list[tuple[Entry, int]]) -> list[tuple[Entry, int]]:
    """A base chain's merged entries (after ``moot_returns``), each "may return" one without the packets whose
    first later entry that may take them is one of unknown verdict (a destination NAT, a verdict not
    understood): returned or not, those packets are unknown because of that entry, which is the line to name
    (Docker's ``iifname "docker0" return`` before its published port's ``dnat``: the translation is what the
    model cannot follow).  The entry is kept, however narrowed, for the line's findings."""
    marks = [i for i, (e, _st) in enumerate(merged) if _may_return(e)]
    if not marks:
        return merged
    out = list(merged)
    for i in marks:
        e, states = out[i]
        rest, gone = e.possible, []
        for later, st in out[i + 1:]:
            if not rest.cubes:
                break
            if later.action is None and (later.timeout is not None or later.effect):
                continue  # (a record, not a decision)
            met = rest.intersect(later.possible)
            if not met.cubes:
                continue
            if later.action is None and states & st == states:
                gone.append(met)  # (the engine answers unknown there, naming that entry)
            rest = rest.subtract(met)
        if gone:
            possible = e.possible.subtract(PacketSet.of_cubes([c for g in gone for c in g.cubes]))
            out[i] = (replace(e, possible=possible, sure=NOTHING), states)
    return out


def live_returns(merged: list[tuple[Entry, int]]) -> set[int]:
    """The lines of a base chain's merged entries (after ``moot_returns``) that may still return where that
    could change the packet's verdict: a RETURN (or goto) of uncertain match reported only if one is left."""
    return {e.source.line for e, _states in merged if _may_return(e)}


def dnat_image(reach: list[PacketSet], dst: ISet | None, dport: ISet | None) -> PacketSet:
    """The packets a destination NAT sends on: those of ``reach`` (the packets that reach it) with the
    destination ``dst`` (None: any, such as a redirect's host address) and destination port ``dport``
    (None: kept)."""
    cubes = []
    for ps in reach:
        for cb in ps.cubes:
            d = list(cb.dims)
            d[1] = ALL_ADDR if dst is None else dst
            if dport is not None:
                d[4] = dport
            cubes.append(Cube.from_dims(d))
    return PacketSet(cubes)



def reached_from(roots: list[str], targets: dict[str, set[str]]) -> dict[str, list[str]]:
    """For each chain, the ``roots`` (base chains, in their order) whose packets reach it, itself included, through
    ``targets`` (a chain's name -> the chains it jumps or goes to): the hooks the kernel checks a chain's rules
    against (iptables.py ``chain_reach``, nftables.py ``base_reach``)."""
    reach: dict[str, list[str]] = {}
    for b in roots:
        todo, seen = [b], {b}
        while todo:
            for n in targets.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        for n in seen:
            reach.setdefault(n, []).append(b)
    return reach


def translated_cubes(dst: ISet | None, dport: ISet | None) -> list[Cube]:
    """The packets of a connection whose destination a NAT translates to ``dst`` (None: any address, such as a
    redirect's host address) and port ``dport`` (None: any, where it keeps the port), as the chains after it see
    them: to the new destination and, its replies, from it (``translated_packets`` of iptables.py and
    nftables.py)."""
    addrs = ALL_ADDR if dst is None else dst
    ports = ALL_PORTS if dport is None else dport
    return [cube(dst=addrs, dport=ports), cube(src=addrs, sport=ports)]


# (the note of a destination NAT's rule: what ``explain`` says of the packets it makes unknown)
DNAT_NOTE = "destination NAT (%s): the packet's new destination is not followed through the chains after it"
BLIND_DNAT = "a rule of its table whose verdict is not understood may send it packets"


def report_dnat(lines, src: Source, text: str, why: str, scopes) -> None:
    """Report a destination NAT (``text``, its statement): where ``why`` (``BLIND_DNAT``, ``drops_image``, a chain
    it may not be in), it could change any verdict; else the packets that reach it are unknown in ``scopes``
    (the filters it is met in)."""
    if why:
        lines.unrecognized(src, "destination NAT (%s) is not modelled: %s" % (text, why), Impact.GLOBAL)
    else:
        lines.unrecognized(src, "destination NAT (%s): the chains after it see the translated packets, which is "
                                "not modelled: the packets that reach it are unknown" % text,
                           Impact.FILTER, ", ".join(sorted(set(scopes))) or "?")


def drops_image(f: Filter, default: Action, image: PacketSet, nat_lines, memo: dict) -> str:
    """Why filter ``f`` of a chain a translated packet met before its translation (under its first
    destination; its stage's default ``default``) may drop a packet sent straight to the new destination
    (``image``, ``dnat_image``): '' when it cannot.  The destination NATs themselves (``nat_lines``, their
    lines) decide no packet; nor does a "may return" (its packets go on at a later rule or the policy, either
    way one this looks at).  ``memo``: filter name -> its rules that may drop (one dict for every call with
    the same ``nat_lines``: a ruleset with many translations looks at each filter's rules once)."""
    if default is not Action.PERMIT and image:
        return "%s may drop what it translates to (its policy), which the translated packets do not meet" % f.name
    droppers = memo.get(f.name)
    if droppers is None:
        droppers = memo[f.name] = [
            r for r in f.rules
            if not (r.source.line in nat_lines or not (r.action is not Action.PERMIT or r.maybe and not r.sure_action)
                    or r.action is Action.DENY and not r.match and r.note.endswith(_MAY_RETURN))]
    for r in droppers:
        if r.match.overlaps(image) or r.maybe.overlaps(image):
            return "line %d may drop what it translates to, which the translated packets do not meet (they " \
                   "meet it as they were sent)" % r.source.line
    return ""


def accepts_all(merged: list[tuple[Entry, int]], policy: Action | None) -> bool:
    """A chain that accepts every packet: policy ACCEPT and nothing that drops or may drop
    (an accept it is not sure of accepts the packet or leaves it to the policy: the same)."""
    if policy is not Action.PERMIT:
        return False
    return all(e.action is Action.PERMIT for e, _states in merged)


def final_drops(final) -> bool:
    """Whether a policy's rules (``Rule``s) drop, or may drop, packets."""
    return any(r.action is Action.DENY or r.maybe for r in final)


def timeouts_from(entries: list[Entry], report) -> list[Timeout]:
    """``ct timeout set`` entries -> Timeout records for the packets that reach them.

    The packets earlier entries decide are kept in a ``CubeIndex``: a timeout entry only meets
    the earlier entries that overlap it (never a union rebuilt per rule).
    """
    out: list[Timeout] = []
    decided, unsure = CubeIndex(), CubeIndex()
    for e in entries:
        if e.timeout is not None:
            t: Timeout = e.timeout
            if unsure.meeting(e.possible) or e.possible.subtract(e.sure):
                report("CFG300", "cannot tell which traffic reaches this 'ct timeout set': a line before it "
                       "was not fully understood", e.source, "timeouts")
            match = decided.subtract_from(e.sure)
            if match:
                out.append(replace(t, match=t.match.intersect(match)))
            continue
        if e.effect:
            continue
        decided.add(e.possible)
        if e.action is None or (e.possible is not e.sure and e.possible.subtract(e.sure)):
            unsure.add(e.possible)
    return out


def untracked_from(entries: list[Entry]) -> tuple[PacketSet, PacketSet]:
    """(the packets certainly, and those possibly, untracked by the NOTRACK entries of a raw
    chain's first-match list): those that reach a NOTRACK entry."""
    sure: list[Cube] = []
    maybe: list[Cube] = []
    decided_poss, decided_sure = CubeIndex(), CubeIndex()
    for e in entries:
        if e.effect == "notrack":
            s = decided_poss.subtract_from(e.sure)
            p = decided_sure.subtract_from(e.possible)
            sure += s.cubes
            maybe += p.subtract(s).cubes if s else p.cubes
            continue
        if e.timeout is not None or e.effect:
            continue
        decided_poss.add(e.possible)
        if e.action is not None:
            decided_sure.add(e.sure)
    return PacketSet.of_cubes(sure), PacketSet.of_cubes(maybe)


def mirror(ps: PacketSet) -> PacketSet:
    """The replies of ``ps`` (addresses and ports swapped)."""
    return replies(ps) if ps else NOTHING


# RFC 4861 (https://www.rfc-editor.org/rfc/rfc4861) 6.1.1, 6.1.2, 7.1.1, 7.1.2 and 8.1: a node MUST
# silently discard a router solicitation or advertisement, neighbour solicitation or
# advertisement, or redirect (ICMPv6 133-137) whose "IP Hop Limit field" is not 255: on them a hop
# limit test true for 255 matches every packet that counts, one false for 255 none
HOP_LIMIT_255 = ISet([(133 * 256, 137 * 256 + 255)])


def inert_chains(rules: dict[str, list[RawRule]], base: set[str]) -> set[str]:
    """The user (regular) chains of ``rules`` (not in ``base``) whose rules decide no packet and
    change nothing: each returns, only counts or logs (those lines make no rule), or jumps to such
    a chain.  A jump to one (not a goto) hands every packet back to the rule after it unchanged
    (iptables(8), TARGETS: "the next rule in the previous (calling) chain"; nft(8), VERDICT
    STATEMENT, jump), whatever its match."""
    out: set[str] = set()
    grown = True
    while grown:
        grown = False
        for name, rs in rules.items():
            if name in base or name in out:
                continue
            if all(r.verdict == "return" or r.verdict == "none" and not r.effect and r.timeout is None
                   or r.verdict == "jump" and r.target in out for r in rs):
                out.add(name)
                grown = True
    return out


# --- neighbour discovery ---------------------------------------------------------------------
#
# An IPv6 host resolves its neighbours' link-layer addresses with neighbour solicitations and
# advertisements (ICMPv6 135/136, RFC 4861), received through its input hook and sent through its
# output hook.  Conntrack does not track them: nf_conntrack_icmpv6_error (the kernel's
# net/netfilter/nf_conntrack_proto_icmpv6.c, ``noct_valid_new``) marks neighbour discovery and
# MLD packets UNTRACKED, so ``--ctstate ESTABLISHED,RELATED`` / ``ct state established,related``
# never accepts them (``UNTRACKED`` does).  Nor are they seen by nat chains (conntrack-based NAT
# skips packets without a connection).  A chain on the host's input or output path that drops them
# leaves the host unable to reach its IPv6 neighbours: what the ruleset lets through may carry
# nothing, to the host, from it or through it.

def nd_ctx() -> Ctx:
    """The context in which a chain after conntrack sees neighbour discovery: UNTRACKED."""
    return Ctx(False, ND)


def nd_dropper(entries: list[Entry], fname: str, final, st: Stage) -> Source | None:
    """The line of a chain (its first-match ``entries`` for neighbour discovery, then its policy's
    rules ``final``, then its stage's default) that drops, or may drop, neighbour discovery; None
    when the chain lets it all through."""
    rules = to_rules(fname, [(e, ANY_STATE) for e in deciding(entries)], final)
    denier, rest = nd_denier(rules)
    if denier is not None:
        return denier.source
    if rest and st.default is Action.DENY:
        return st.default_source
    return None


_ND_WHY = ("%s drops IPv6 neighbour discovery (neighbour solicitations and advertisements, ICMPv6 135/136; "
           "conntrack leaves them UNTRACKED, so an ESTABLISHED,RELATED accept does not take them): the host "
           "cannot resolve its IPv6 neighbours, so IPv6 traffic to, from and through it is not modelled "
           "(accept ICMPv6 neighbour-solicitation and neighbour-advertisement before this line)")


def nd_stage(lines, dropper: Source, chain: str, what: str, filters: dict[str, Filter]) -> Stage:
    """The stage put at the end of every IPv6 path of a host whose chain ``chain`` (``what``: its kind,
    'base chain') drops neighbour discovery at ``dropper``: what the chains let through is unknown there
    (what they drop stays dropped).  The line is reported on ``lines`` and the stage's filter added
    to ``filters``."""
    lines.unrecognized(dropper, _ND_WHY % ("%s %s" % (what, chain)), Impact.FILTER, chain)
    name = "%s (drops neighbour discovery)" % chain
    filters[name] = nd_gate(name, PacketSet([cube(src=ALL_V6, dst=ALL_V6)]), dropper,
                            "chain %s drops IPv6 neighbour discovery: whether IPv6 packets get through is not "
                            "modelled" % chain, "chain %s dropping IPv6 neighbour discovery" % chain)
    return Stage(name, (name,), Action.PERMIT, dropper, "neighbour discovery is dropped by %s" % chain, stateful=False)


# --- stages and paths -------------------------------------------------------------------------

def stage(name: str, filters: tuple[str, ...], default: Action, source: Source | None, reason: str) -> Stage:
    """A netfilter chain as a stage: stateless (its rules decide every packet, replies too)."""
    return Stage(name, filters, default, source, reason, stateful=False)


LOCAL = {"in": "in", "fwd": None, "out": "out"}


def assemble(fam_paths: dict, first: Source) -> tuple[tuple[Path, ...], tuple[Interface, ...]]:
    """Paths per family, each confined to its family's addresses by a pseudo-interface.

    ``fam_paths``: family -> [(kind "in"/"fwd"/"out", stages, note)].
    """
    paths = []
    interfaces = []
    for fam in sorted(fam_paths):
        name = "ipv%d" % fam
        interfaces.append(Interface(name, family_space(fam), first))
        for kind, stages, note in fam_paths[fam]:
            paths.append(Path(name, name, tuple(stages), note=note, local=LOCAL[kind]))
    return tuple(paths), tuple(interfaces)


def default_timeout() -> Timeout:
    """The kernel's established-TCP conntrack timeout, as the last (default) record."""
    return Timeout(PacketSet([cube(proto=ISet.of(PROTO_TCP))]), LINUX_ESTABLISHED_DEFAULT, None,
                   label=DEFAULT_TIMEOUT_LABEL, default=True)


@dataclass(frozen=True)
class LinuxAux:
    """What ``parsers.linux.sysctl``'s combine needs of a Linux firewall config (``Config.aux``).

    ``families``: the address families the ruleset filters (4, 6); ``idle_transit``: the
    FORWARD paths of a chain left at its boot state, which apply only if the host forwards.
    """

    families: tuple[int, ...]
    idle_transit: tuple[Path, ...]

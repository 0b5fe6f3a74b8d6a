"""What every part of the Junos parser shares: the input's lines and statements, and value readers."""

from __future__ import annotations

from auditor.core.model import Impact, Source
from auditor.core.packets import MAX_PORT, V4_BASE, ISet, addr_to_int
from parsers.junos import data
from parsers.junos.tree import Doc, Stmt
from parsers.kit import Lines
from parsers.kit.addr import cidr_set, wildcard_blocks
from parsers.kit.lines import USED
from parsers.kit.names import ICMP6_TYPES, ICMP_TYPES, ascii_digits, protocol_number

INACTIVE = "inactive (deactivate / inactive:): not part of the active configuration"


class Ctx:
    """One parse: the lines (accounting, sources, diagnostics) and the statements read from them."""

    def __init__(self, lines: Lines, doc: Doc):
        self.lines = lines
        self.doc = doc
        self._sources: dict[int, Source] = {}
        self.unsettled: list[tuple[ISet, Source, str]] = []  # Config.unsettled_routes (groups: a cluster node's own)

    def src(self, st: Stmt) -> Source:
        return self.source(st.line)

    def source(self, line: int) -> Source:
        """``lines.source(line)``, made once per line."""
        s = self._sources.get(line)
        if s is None:
            s = self._sources[line] = self.lines.source(line)
        return s

    def anchor(self, st: Stmt, depth: int) -> int:
        """The line of the block that holds the statement's first ``depth`` words (hierarchical form), else
        the statement's own line: where a policy, term or application starts."""
        for h in st.heads:
            p = self.doc.head_paths.get(h)
            if p is not None and len(p) == depth and st.toks[:depth] == p:
                return h
        return st.line

    def use(self, st: Stmt) -> None:
        i = st.line
        if st.end == i + 1:  # (one line: the usual statement, marked here without a loop)
            state = self.lines.state
            if not state[i]:
                state[i] = USED
        else:
            self.lines.use(i, st.end)

    def ignore(self, st: Stmt, why: str) -> None:
        self.lines.ignore(st.line, why, st.end)

    def unknown(self, st: Stmt, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        self.lines.unrecognized(self.src(st), why, impact, scope)
        self._rest(st)

    def undefined(self, st: Stmt, name: str, kind: str, scope: str = "", impact: Impact = Impact.FILTER) -> None:
        self.lines.undefined(name, kind, self.src(st), scope, impact)
        self._rest(st)

    def _rest(self, st: Stmt) -> None:
        if st.end > st.line + 1:  # a statement written over several lines: reported at its first
            self.lines.ignore(st.line + 1, "rest of a statement reported at line %d" % (st.line + 1), st.end)


is_number = ascii_digits  # (a number as the Junos command line reads one)


def port_range(word: str) -> ISet:
    """``80``, ``1024-65535``, ``http`` (Junos port names) -> the ports; ``ValueError`` otherwise."""
    w = word.strip().lower()
    lo, sep, hi = w.partition("-")
    if sep and lo and hi and w not in data.PORT_NAMES:  # (``ftp-data``, ``netbios-ssn``: names, not ranges)
        a, b = _port(lo), _port(hi)
        if a > b:
            raise ValueError("empty port range '%s'" % word)
        return ISet.of(a, b)
    return ISet.of(_port(w))


def _port(w: str) -> int:
    if is_number(w):
        v = int(w)
        if v > MAX_PORT:
            raise ValueError("port %s out of range" % w)
        return v
    if w in data.PORT_NAMES:
        return data.PORT_NAMES[w]
    raise ValueError("unknown port name '%s'" % w)


# Juniper, "Firewall Filter Match Conditions for IPv6 Traffic": the next-header keywords (with the IANA
# numbers), the ICMPv6 message types of ``icmp-type`` in a ``family inet6`` filter and their codes
# https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-match-conditions-for-ipv6-traffic.html
# (the others, icmp6, ipip, ipv6..., are IANA's names: parsers.kit.names.PROTOCOLS)
_NEXT_HEADERS = {"hop-by-hop": 0, "routing": 43, "fragment": 44, "no-next-header": 59, "dstopts": 60}
ICMP6_NAMES = {
    "destination-unreachable": 1, "packet-too-big": 2, "time-exceeded": 3, "parameter-problem": 4,
    "private-experimentation-100": 100, "private-experimentation-101": 101, "echo-request": 128,
    "echo-reply": 129, "membership-query": 130, "membership-report": 131, "membership-termination": 132,
    "router-solicit": 133, "router-advertisement": 134, "neighbor-solicit": 135, "neighbor-advertisement": 136,
    "redirect": 137, "router-renumbering": 138, "node-information-request": 139, "node-information-reply": 140,
    "inverse-neighbor-discovery-solicitation": 141, "inverse-neighbor-discovery-advertisement": 142,
    "home-agent-address-discovery-request": 144, "home-agent-address-discovery-reply": 145,
    "mobile-prefix-solicitation": 146, "mobile-prefix-advertisement-reply": 147,
    "certificate-path-solicitation": 148, "certificate-path-advertisement": 149,
    "private-experimentation-200": 200, "private-experimentation-201": 201,
}
ICMP6_CODES = {
    "no-route-to-destination": 0, "administratively-prohibited": 1, "address-unreachable": 3,
    "port-unreachable": 4, "ttl-eq-zero-during-transit": 0, "ttl-eq-zero-during-reassembly": 1,
    "ip6-header-bad": 0, "unrecognized-next-header": 1, "unrecognized-option": 2,
}


def protocol(word: str) -> int:
    """A Junos protocol (or IPv6 next-header) keyword or number -> its number; ``ValueError`` otherwise."""
    w = word.lower()
    n = _NEXT_HEADERS.get(w)
    if n is None:
        n = protocol_number(w)
    if n is None:
        raise ValueError("unknown protocol '%s'" % word)
    return n


def icmp_number(word: str, v6: bool = False) -> int:
    """An ICMP type (number or Junos name; ICMPv6's in a ``family inet6`` filter) -> its number."""
    w = word.lower()
    if is_number(w) and int(w) <= 255:
        return int(w)
    if v6:
        got = ICMP6_NAMES.get(w)
        if got is None and w in ICMP6_TYPES:  # (IANA's names, which some generators write)
            got = ICMP6_TYPES[w][0]
        if got is None:
            raise ValueError("unknown ICMPv6 type '%s'" % word)
        return got
    alias = {"echo-request": "echo", "unreachable": "destination-unreachable", "time-exceeded": "time-exceeded",
             "info-request": "information-request", "info-reply": "information-reply",
             "mask-request": "address-mask-request", "mask-reply": "address-mask-reply",
             "router-solicit": "router-solicitation"}.get(w, w)
    if alias in ICMP_TYPES:
        return ICMP_TYPES[alias][0]
    raise ValueError("unknown ICMP type '%s'" % word)


def icmp_code(word: str, v6: bool = False) -> int:
    """An ICMP code (number or Junos name; ICMPv6's in a ``family inet6`` filter) -> its number."""
    w = word.lower()
    if is_number(w) and int(w) <= 255:
        return int(w)
    if v6:
        if w in ICMP6_CODES:
            return ICMP6_CODES[w]
        raise ValueError("unknown ICMPv6 code '%s'" % word)
    codes = {"network-unreachable": 0, "host-unreachable": 1, "protocol-unreachable": 2, "port-unreachable": 3,
             "fragmentation-needed": 4, "source-route-failed": 5, "destination-network-unknown": 6,
             "destination-host-unknown": 7, "source-host-isolated": 8,
             "destination-network-prohibited": 9, "destination-host-prohibited": 10,
             "network-unreachable-for-tos": 11, "host-unreachable-for-tos": 12,
             "communication-prohibited-by-filtering": 13, "host-precedence-violation": 14,
             "precedence-cutoff-in-effect": 15, "redirect-for-network": 0, "redirect-for-host": 1,
             "redirect-for-tos-and-net": 2, "redirect-for-tos-and-host": 3, "ttl-eq-zero-during-transit": 0,
             "ttl-eq-zero-during-reassembly": 1, "ip-header-bad": 0, "required-option-missing": 1}
    if w in codes:
        return codes[w]
    raise ValueError("unknown ICMP code '%s'" % word)


def prefix(text: str) -> ISet:
    """An address or prefix (IPv4 or IPv6) -> its block; ``ValueError`` otherwise."""
    return cidr_set(text)


def wildcard(text: str) -> ISet:
    """``A/MASK`` with a possibly non-contiguous dotted mask (``wildcard-address``) -> the addresses."""
    a, _, m = text.partition("/")
    base = addr_to_int(a) - V4_BASE
    if not 0 <= base < 1 << 32:
        raise ValueError("wildcard-address needs an IPv4 address")
    if "." in m:
        mask = addr_to_int(m) - V4_BASE
    else:
        if not is_number(m) or int(m) > 32:
            raise ValueError("wildcard-address mask '%s' not understood" % m)
        n = int(m)
        mask = ((1 << 32) - 1) ^ ((1 << (32 - n)) - 1)
    got = wildcard_blocks(base, ~mask)
    if got is None:
        raise ValueError("wildcard mask %s selects more than 4096 separate blocks" % m)
    return got

"""An independent oracle: random aerleon policies, rendered by aerleon, judged by aerleon.

``policies()`` draws small aerleon policies (a few terms with random source
and destination prefixes, tcp/udp/icmp, port ranges, accept/deny/reject).
``render()`` turns one into a target's configuration text with aerleon's own
generators (``ciscoasa``, ``iptables``, ``speedway``, ``nftables``), and
``expected()`` asks aerleon's ``AclCheck`` what the policy does with a
packet: the first term that certainly matches decides, else the filter's
default.  The tests parse the rendered text with our parsers and compare our
decision for the same packet.

Everything here is aerleon's code and data; nothing comes from the auditor,
so a disagreement is a bug on one side or the other, never a shared one.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

from hypothesis import HealthCheck
from hypothesis import strategies as st

logging.getLogger("absl").setLevel(logging.ERROR)

from aerleon import api  # noqa: E402
from aerleon.lib import aclcheck, naming, policy, policy_builder  # noqa: E402

TARGETS = ("ciscoasa", "iptables", "speedway", "nftables")

# a small address universe so that random prefixes overlap often
V4_BASES = ["10.0.0.0", "10.0.1.0", "10.0.1.128", "10.0.2.0", "192.168.5.0"]
V6_BASES = ["2001:db8::", "2001:db8::80", "2001:db8:0:1::", "2001:db8:1::"]
V4_LENS = [16, 23, 24, 25, 28, 32]
V6_LENS = [48, 64, 120, 124, 128]
PORT_EDGES = [1, 21, 22, 23, 53, 80, 443, 1023, 1024, 1025, 8080, 33434, 49152, 65535]


@dataclass
class Term:
    name: str
    src: list[str] | None
    dst: list[str] | None
    protos: list[str] | None
    sports: list[tuple[int, int]] | None
    dports: list[tuple[int, int]] | None
    action: str


@dataclass
class Case:
    target: str
    family: int
    terms: list[Term]
    chain: str  # iptables/speedway chain, nftables hook; ASA ACL name
    default: str  # "accept" or "drop" when no term matches
    pol: dict
    defs: naming.Naming

    @property
    def filename(self) -> str:
        return "oracle_" + self.target


def _net(base: str, plen: int) -> str:
    return str(ipaddress.ip_network("%s/%d" % (base, plen), strict=False))


@st.composite
def port_ranges(draw) -> list[tuple[int, int]]:
    out = []
    for _ in range(draw(st.integers(1, 2))):
        a = draw(st.sampled_from(PORT_EDGES))
        b = draw(st.sampled_from([a, a, min(65535, a + 10), 65535]))
        out.append((min(a, b), max(a, b)))
    return out


@st.composite
def terms(draw, target: str, family: int) -> list[Term]:
    bases, lens = (V4_BASES, V4_LENS) if family == 4 else (V6_BASES, V6_LENS)
    actions = ["accept", "deny"] + (["reject"] if target in ("iptables", "speedway", "ciscoasa") else [])
    protos = [["tcp"], ["udp"], ["tcp", "udp"], None]
    if family == 4:
        protos.append(["icmp"])
    out = []
    for i in range(draw(st.integers(1, 5))):
        def addrs():
            if draw(st.booleans()):
                return None
            return sorted({_net(draw(st.sampled_from(bases)), draw(st.sampled_from(lens)))
                           for _ in range(draw(st.integers(1, 2)))})
        src, dst = addrs(), addrs()
        p = draw(st.sampled_from(protos))
        sports = dports = None
        if p is not None and "icmp" not in p:
            if draw(st.booleans()):
                dports = draw(port_ranges())
            if draw(st.integers(0, 3)) == 0:
                sports = draw(port_ranges())
        out.append(Term("t%d" % i, src, dst, p, sports, dports, draw(st.sampled_from(actions))))
    return out


@st.composite
def cases(draw, target: str, family: int = 4) -> Case:
    ts = draw(terms(target, family))
    if target == "ciscoasa":
        chain, default = "ORACLE-ACL", "drop"
    elif target == "nftables":
        chain = draw(st.sampled_from(["input", "output", "forward"]))
        default = draw(st.sampled_from(["accept", "drop"]))
    else:
        chain = draw(st.sampled_from(["INPUT", "OUTPUT", "FORWARD"]))
        default = draw(st.sampled_from(["accept", "drop"]))
    pol, defs = to_aerleon(target, family, ts, chain, default)
    return Case(target, family, ts, chain, default, pol, defs)


def to_aerleon(target: str, family: int, ts: list[Term], chain: str, default: str):
    """The policy dict and naming definitions aerleon takes."""
    networks: dict = {}
    services: dict = {}
    aterms = []
    for t in ts:
        d: dict = {"name": t.name, "action": t.action}
        if t.src:
            networks["S_" + t.name] = {"values": [{"address": a} for a in t.src]}
            d["source-address"] = "S_" + t.name
        if t.dst:
            networks["D_" + t.name] = {"values": [{"address": a} for a in t.dst]}
            d["destination-address"] = "D_" + t.name
        if t.protos:
            d["protocol"] = list(t.protos)
        for key, ranges in (("source-port", t.sports), ("destination-port", t.dports)):
            if ranges:
                name = ("SP_" if key == "source-port" else "DP_") + t.name
                services[name] = [{"port": "%d-%d" % r if r[0] != r[1] else str(r[0]), "protocol": p}
                                  for r in ranges for p in ("tcp", "udp")]
                d[key] = name
        aterms.append(d)
    af = {4: "inet", 6: "inet6"}[family]
    if target == "ciscoasa":
        header = chain if family == 4 else "%s %s" % (chain, af)
    elif target == "nftables":
        header = "%s %s" % (af, chain) + (" ACCEPT" if default == "accept" else "")
    else:
        header = "%s %s %s" % (chain, default.upper(), af)
    pol = {"filename": "oracle_" + target, "filters": [{"header": {"targets": {target: header}}, "terms": aterms}]}
    defs = naming.Naming()
    defs.ParseDefinitionsObject({"networks": networks, "services": services}, "")
    return pol, defs


def render(case: Case) -> str:
    """The configuration text aerleon generates for the case."""
    out = api.Generate([case.pol], case.defs)
    assert len(out) == 1, out.keys()
    return next(iter(out.values()))


class Oracle:
    """aerleon's AclCheck over one policy: what a packet gets."""

    def __init__(self, case: Case):
        self.case = case
        self.pol = policy.FromBuilder(policy_builder.PolicyBuilder(case.pol, case.defs))

    def decision(self, src: str, dst: str, proto: str, sport: int | None, dport: int | None) -> str:
        ported = proto in ("tcp", "udp")
        check = aclcheck.AclCheck(self.pol, src, dst, sport if ported else "any", dport if ported else "any", proto)
        exact = check.ExactMatches()
        if exact:
            return "permit" if exact[0].action == "accept" else "deny"
        return "permit" if self.case.default == "accept" else "deny"


@st.composite
def packets(draw, case: Case) -> tuple[str, str, str, int | None, int | None]:
    """A packet near the policy's prefixes and ports (inside, at the edges, outside)."""
    nets = [ipaddress.ip_network(a) for t in case.terms for a in (t.src or []) + (t.dst or [])]
    if not nets:
        nets = [ipaddress.ip_network(_net((V4_BASES if case.family == 4 else V6_BASES)[0], 24))]

    def addr() -> str:
        return near_address(draw, nets)

    protos = ["tcp", "udp"] + (["icmp"] if case.family == 4 else [])
    proto = draw(st.sampled_from(protos))
    if proto == "icmp":
        return addr(), addr(), proto, None, None
    edges = port_edges(case.terms)
    return addr(), addr(), proto, near_port(draw, edges), near_port(draw, edges)


def near_address(draw, nets: list) -> str:
    """An address of one of ``nets``: its first or last, the one just before or after it, or any inside."""
    n = draw(st.sampled_from(nets))
    pick = draw(st.integers(0, 4))
    if pick == 0:
        a = n.network_address
    elif pick == 1:
        a = n.broadcast_address
    elif pick == 2:
        a = n.network_address - 1 if int(n.network_address) > 0 else n.network_address
    elif pick == 3:
        a = n.broadcast_address + 1 if int(n.broadcast_address) < (1 << n.max_prefixlen) - 1 else n.broadcast_address
    else:
        a = n.network_address + draw(st.integers(0, n.num_addresses - 1))
    return str(a)


def port_edges(terms) -> list[int]:
    """The ports at and next to the edges of the terms' port ranges (80 when they have none)."""
    edges = [p for t in terms for r in (t.sports or []) + (t.dports or []) for p in (r[0] - 1, r[0], r[1], r[1] + 1)]
    return [p for p in edges if 1 <= p <= 65535] or [80]


def near_port(draw, edges: list[int]) -> int:
    """One of ``edges``, or any port."""
    return draw(st.sampled_from(edges)) if draw(st.booleans()) else draw(st.integers(1, 65535))


# --- what every differential test against aerleon shares ---------------------------------------------

PACKETS = 12  # packets drawn per generated policy
SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def our_packet(pkt):
    """The auditor's packet for a packet drawn by ``packets`` (ICMP: an echo request)."""
    from auditor.api import make_packet

    src, dst, proto, sport, dport = pkt
    if proto == "icmp":
        return make_packet(src, dst, proto, None, 8 * 256)  # echo request
    return make_packet(src, dst, proto, sport, dport)

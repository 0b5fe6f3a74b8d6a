"""Address translation and connection states in the engine, against brute force.

The engine works on packet sets; the oracles here decide one concrete packet at a time from the
model records alone (NAT first match, the route by interface networks, the stage's first match
on the form of the packet it sees), so a disagreement is a bug in the set arithmetic.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.model import (
    ESTABLISHED,
    NEW,
    Action,
    Config,
    Filter,
    Interface,
    Nat,
    NatRule,
    Path,
    Rewrite,
    Rule,
    Source,
    Stage,
)
from auditor.core.packets import ISet, PacketSet, cube
from auditor.engine import DENY, NOT_ROUTED, PERMIT, UNKNOWN, connection, decide_packet, evaluate
from auditor.engine.nat import as_sent

SRC = Source("t.cfg", 1, "x")
A_NET, B_NET = ISet.of(0, 3), ISet.of(4, 7)
NETS = {"a": A_NET, "b": B_NET}
UNIVERSE = [p for p in itertools.product(range(8), range(8), range(2), range(2), range(3))]
SMALL = PacketSet([cube(ISet.of(0, 7), ISet.of(0, 7), ISet.of(0, 1), ISet.of(0, 1), ISet.of(0, 2))])


def rng(lo, hi):
    return ISet.of(min(lo, hi), max(lo, hi))


# --- brute force ----------------------------------------------------------------------------

def iface_of(addr):
    return next((n for n, net in NETS.items() if addr in net), None)


def translate(pkt, rules, ingress):
    """(translated packet, rule) or ("unknown", rule), first match, or (pkt, None)."""
    for r in rules:
        if r.ingress and ingress not in r.ingress:
            continue
        if r.match.contains(pkt):
            p = list(pkt)
            for rw in r.rewrites:
                p[rw.dim] += rw.offset
            return tuple(p), r
        if r.maybe.contains(pkt):
            return "unknown", r
    return pkt, None


def first_match(rules, pkt):
    for r in rules:
        if r.match.contains(pkt):
            return "permit" if r.action is Action.PERMIT else "deny"
        if r.maybe.contains(pkt):
            return "unknown"
    return "deny"


def brute(cfg, pkt):
    ingress = iface_of(pkt[0])
    t, r = translate(pkt, cfg.nat[0].rules if cfg.nat else (), ingress)
    if t == "unknown":
        return "unknown"
    egress = iface_of(t[1]) if 0 <= t[1] <= 7 else None
    if ingress is None or egress is None:
        return "not_routed"
    path = next(p for p in cfg.paths if (p.ingress, p.egress) == (ingress, egress))
    stage = path.stages[0]
    seen = pkt if stage.sees == "sent" else t
    return first_match(cfg.filters[stage.filters[0]].rules, seen)


# --- generated devices ----------------------------------------------------------------------

addr = st.integers(0, 7)
small_cube = st.builds(lambda s, d, p, dp: cube(src=s, dst=d, proto=p, dport=dp),
                       st.builds(rng, addr, addr), st.builds(rng, addr, addr),
                       st.sampled_from([ISet.of(0), ISet.of(1), ISet.of(0, 1)]),
                       st.builds(rng, st.integers(0, 2), st.integers(0, 2)))


@st.composite
def nat_rules(draw):
    out = []
    for k in range(draw(st.integers(0, 3))):
        lo = draw(addr)
        hi = draw(st.integers(lo, 7))
        off = draw(st.integers(-lo, 7 - hi))
        dp_off = draw(st.sampled_from([0, 0, 1]))
        match = cube(dst=ISet.of(lo, hi), dport=ISet.of(0, 1) if dp_off else ISet.of(0, 65535))
        rewrites = (Rewrite(1, off),) + ((Rewrite(4, dp_off),) if dp_off else ())
        maybe = PacketSet([draw(small_cube)]) if draw(st.integers(0, 5)) == 0 else PacketSet()
        ingress = draw(st.sampled_from([(), ("a",), ("b",)]))
        out.append(NatRule(PacketSet([match]), rewrites, Source("t.cfg", 10 + k, "nat %d" % k), ingress,
                           maybe=maybe))
    return tuple(out)


@st.composite
def devices(draw):
    rules = []
    for i in range(draw(st.integers(0, 5))):
        action = draw(st.sampled_from([Action.PERMIT, Action.DENY]))
        rules.append(Rule("F", i, action, PacketSet([draw(small_cube)]), Source("t.cfg", 20 + i, "r%d" % i)))
    sees = draw(st.sampled_from(["routed", "sent"]))
    stage = Stage("in", ("F",), Action.DENY, SRC, "default deny", sees=sees)
    paths = tuple(Path(a, b, (stage,)) for a in "ab" for b in "ab")
    ifaces = tuple(Interface(n, net, SRC) for n, net in NETS.items())
    nat = draw(nat_rules())
    return Config("t.cfg", "test", 30, {"F": Filter("F", tuple(rules))}, paths, interfaces=ifaces,
                  nat=(Nat("nat", nat),) if nat else ())


KIND = {PERMIT: "permit", DENY: "deny", UNKNOWN: "unknown", NOT_ROUTED: "not_routed"}


@settings(max_examples=150, deadline=None, derandomize=True)
@given(devices())
def test_nat_evaluation_equals_brute_force(cfg):
    outs = evaluate(cfg, SMALL)
    for pkt in UNIVERSE:
        hits = [o for o in outs if o.packets.contains(pkt)]
        assert len(hits) == 1, "outcomes must partition the input"
        assert KIND[hits[0].kind] == brute(cfg, pkt), pkt
        assert KIND[decide_packet(cfg, pkt).kind] == brute(cfg, pkt), pkt


# --- a static NAT, as a firewall in front of a server has it ---------------------------------

def ip(a):
    from auditor.core.packets import addr_to_int
    return addr_to_int(a)


def host(a):
    return ISet.of(ip(a))


def static_nat_device(sees="routed"):
    """inside 10.20.0.0/24 (the server 10.20.0.10), outside 203.0.113.0/24 and the default route;
    203.0.113.10 is the server's mapped address for clients on the outside."""
    from auditor.core.model import Route
    from auditor.core.packets import ALL_V4, parse_network

    inside = Interface("inside", parse_network("10.20.0.0/24"), SRC)
    outside = Interface("outside", parse_network("203.0.113.0/24"), SRC)
    route = Route(ALL_V4, 0, "outside", SRC)
    real, mapped = ip("10.20.0.10"), ip("203.0.113.10")
    untranslate = NatRule(PacketSet([cube(dst=host("203.0.113.10"))]), (Rewrite(1, real - mapped),),
                          Source("t.cfg", 5, "nat (inside,outside) static 203.0.113.10"), ingress=("outside",))
    target = host("10.20.0.10") if sees == "routed" else host("203.0.113.10")
    permit = Rule("OUT_IN", 0, Action.PERMIT, PacketSet([cube(dst=target, proto=ISet.of(6), dport=ISet.of(445))]),
                  Source("t.cfg", 7, "permit tcp any host ... eq 445"))
    stage = Stage("in:outside", ("OUT_IN",), Action.DENY, Source("t.cfg", 7, ""), "implicit deny", sees=sees)
    inside_out = Stage("in:inside", (), Action.PERMIT, SRC, "higher to lower")
    paths = (Path("outside", "inside", (stage,)), Path("inside", "outside", (inside_out,)),
             Path("outside", "outside", (), crosses=False), Path("inside", "inside", (), crosses=False))
    return Config("t.cfg", "test", 9, {"OUT_IN": Filter("OUT_IN", (permit,))}, paths, interfaces=(inside, outside),
                  routes=(route,), nat=(Nat("nat", (untranslate,)),))


def tcp(src, dst, dport):
    return (ip(src), ip(dst), 6, 40000, dport)


def test_a_packet_to_the_mapped_address_is_untranslated_then_routed_and_filtered_on_the_real_one():
    cfg = static_nat_device()
    o = decide_packet(cfg, tcp("198.51.100.7", "203.0.113.10", 445))
    assert o.kind == PERMIT and o.rule.source.line == 7 and o.path.egress == "inside"
    assert [r.source.line for r in o.xlate.rules] == [5]
    assert decide_packet(cfg, tcp("198.51.100.7", "203.0.113.10", 80)).kind == DENY
    # the real address sent from the outside is routed to the inside too, and the ACL on real addresses permits it
    assert decide_packet(cfg, tcp("198.51.100.7", "10.20.0.10", 445)).kind == PERMIT


def test_rules_that_see_the_packet_as_sent_match_the_mapped_address():
    cfg = static_nat_device(sees="sent")
    assert decide_packet(cfg, tcp("198.51.100.7", "203.0.113.10", 445)).kind == PERMIT
    assert decide_packet(cfg, tcp("198.51.100.7", "10.20.0.10", 445)).kind == DENY


def test_clients_on_the_mapped_side_send_to_the_mapped_address():
    cfg = static_nat_device()
    regions = {"outside": ISet.of(ip("0.0.0.0"), ip("9.255.255.255")), "inside": host("10.20.0.10")}
    flows = PacketSet([cube(src=host("198.51.100.7"), dst=host("10.20.0.10"), proto=ISet.of(6), dport=ISet.of(445))])

    def ingress_of(names):
        out = ISet()
        for n in names:
            out = out.union(regions.get(n, ISet()) if n != "outside" else ISet.of(ip("198.0.0.0"), ip("199.0.0.0")))
        return out

    sent = as_sent(cfg.nat, flows, ingress_of, direct=False)
    assert sent.contains(tcp("198.51.100.7", "203.0.113.10", 445))
    assert not sent.contains(tcp("198.51.100.7", "10.20.0.10", 445))
    both = as_sent(cfg.nat, flows, ingress_of, direct=True)
    assert both.contains(tcp("198.51.100.7", "10.20.0.10", 445)) and both.contains(tcp("198.51.100.7",
                                                                                         "203.0.113.10", 445))


def test_a_nat_line_not_understood_makes_what_reaches_it_unknown():
    cfg = static_nat_device()
    doubtful = NatRule(PacketSet(), (), Source("t.cfg", 4, "nat ???"),
                       maybe=PacketSet([cube(dst=host("203.0.113.10"))]))
    from dataclasses import replace
    cfg = replace(cfg, nat=(Nat("nat", (doubtful,) + cfg.nat[0].rules),))
    o = decide_packet(cfg, tcp("198.51.100.7", "203.0.113.10", 445))
    assert o.kind == UNKNOWN and o.source.line == 4


def test_a_pool_translation_decides_per_packet_only_when_the_whole_pool_agrees():
    # source PAT to a pool of two addresses, then a stage that sees the final packet permitting one of them
    cfg = static_nat_device()
    pool = ISet.of(ip("203.0.113.20"), ip("203.0.113.21"))
    pat = NatRule(PacketSet([cube(src=ISet.of(ip("10.20.0.0"), ip("10.20.0.255")))]), (Rewrite(0, pool=pool),),
                  Source("t.cfg", 6, "nat (inside,outside) dynamic pool"), egress=("outside",))
    for allowed, want in ((pool, PERMIT), (host("203.0.113.20"), UNKNOWN)):
        out_acl = Rule("EGRESS", 0, Action.PERMIT, PacketSet([cube(src=allowed)]), Source("t.cfg", 8, "permit src"))
        stage = Stage("out:outside", ("EGRESS",), Action.DENY, Source("t.cfg", 8, ""), "implicit deny", sees="final")
        from dataclasses import replace
        paths = tuple(replace(p, stages=p.stages + (stage,)) if (p.ingress, p.egress) == ("inside", "outside") else p
                      for p in cfg.paths)
        dev = replace(cfg, paths=paths, filters={**cfg.filters, "EGRESS": Filter("EGRESS", (out_acl,))},
                      nat=cfg.nat + (Nat("snat", (pat,), when="post-routing"),))
        assert decide_packet(dev, tcp("10.20.0.10", "198.51.100.7", 443)).kind == want
        outs = evaluate(dev, PacketSet([cube(src=host("10.20.0.10"), dst=host("198.51.100.7"))]))
        assert {o.kind for o in outs} == {want}


# --- connections through stateless stages -----------------------------------------------------

def linux_host(with_established: bool):
    """A host 10.20.0.10: INPUT permits 445 from the Workshop net, OUTPUT drops by policy
    (optionally after an ESTABLISHED accept); both chains stateless, as netfilter's are."""
    ws = ISet.of(ip("10.30.0.0"), ip("10.30.0.255"))
    inp = (Rule("INPUT", 0, Action.PERMIT, PacketSet([cube(src=ws, proto=ISet.of(6), dport=ISet.of(445))]),
                Source("t.rules", 3, "-A INPUT -s 10.30.0.0/24 -p tcp --dport 445 -j ACCEPT")),)
    out = ()
    if with_established:
        est = Source("t.rules", 5, "-A OUTPUT -m state --state ESTABLISHED -j ACCEPT")
        out = (Rule("OUTPUT", 0, Action.PERMIT, PacketSet([cube()]), est, states=ESTABLISHED),)
    s_in = Stage("INPUT", ("INPUT",), Action.DENY, Source("t.rules", 1, ":INPUT DROP"), "policy DROP", stateful=False)
    s_out = Stage("OUTPUT", ("OUTPUT",), Action.DENY, Source("t.rules", 2, ":OUTPUT DROP"), "policy DROP",
                  stateful=False)
    paths = (Path(None, None, (s_in,), local="in"), Path(None, None, (s_out,), local="out"))
    return Config("t.rules", "test", 6, {"INPUT": Filter("INPUT", inp), "OUTPUT": Filter("OUTPUT", out)}, paths,
                  local_addresses=host("10.20.0.10"))


FLOW = PacketSet([cube(src=ISet.of(ip("10.30.0.0"), ip("10.30.0.255")), dst=host("10.20.0.10"), proto=ISet.of(6),
                       sport=ISet.of(1024, 65535), dport=ISet.of(445))])


def test_replies_dropped_by_a_stateless_output_chain_block_the_connection():
    outs = connection(linux_host(False), FLOW)
    first = [o for o in outs if o.phase == "new"]
    assert {o.kind for o in first} == {PERMIT}
    dropped = [o for o in outs if o.phase == "reply" and o.kind == DENY]
    assert dropped and dropped[0].source.line == 2
    # the reply packets are the server's: from 10.20.0.10:445 back to the client's port
    ex = dropped[0].packets.example()
    assert ex[0] == ip("10.20.0.10") and ex[3] == 445 and ex[4] >= 1024


def test_an_established_accept_lets_the_replies_back():
    outs = connection(linux_host(True), FLOW)
    assert all(o.kind == PERMIT for o in outs)
    assert {o.phase for o in outs} == {"new", "established", "reply"}


def test_later_packets_meet_only_the_rules_that_can_match_them():
    cfg = linux_host(True)
    from dataclasses import replace
    only_new = replace(cfg.filters["INPUT"].rules[0], states=NEW)
    cfg = replace(cfg, filters={**cfg.filters, "INPUT": Filter("INPUT", (only_new,))})
    later = [o for o in connection(cfg, FLOW) if o.phase == "established"]
    assert later and all(o.kind == DENY and o.source.line == 1 for o in later)


def test_stateful_stages_pass_later_packets_and_replies_without_their_rules():
    cfg = static_nat_device()
    flows = PacketSet([cube(src=host("198.51.100.7"), dst=host("203.0.113.10"), proto=ISet.of(6), dport=ISet.of(445))])
    assert [o.phase for o in connection(cfg, flows)] == ["new"]


def test_explain_names_the_translation_it_applied():
    from auditor.api import decision_json

    d = decision_json(static_nat_device(), tcp("198.51.100.7", "203.0.113.10", 445))
    assert d["decision"] == "permit" and d["line"] == 7
    assert d["nat"] == [{"line": 5, "rule": "nat (inside,outside) static 203.0.113.10"}]
    assert d["translated"]["dst"] == "10.20.0.10" and d["translated"]["dport"] == 445


def test_replies_with_no_path_back_are_unknown_not_a_pass():
    # an iptables script that never mentions OUTPUT: the replies' fate is not in the input
    from dataclasses import replace

    cfg = linux_host(True)
    cfg = replace(cfg, paths=cfg.paths[:1], head=Source("t.rules", 1, "*filter"))
    replies_ = [o for o in connection(cfg, FLOW) if o.phase == "reply"]
    assert replies_ and all(o.kind == UNKNOWN for o in replies_)
    assert replies_[0].source.line == 1


def _as_sent_cutting_every_rule(nat, flows, ingress_of, direct):
    """``as_sent`` as it was before the shortcut: every destination NAT rule's matches cut by the
    earlier rules (the reference for the test below)."""
    from auditor.core.packets import MAX_ADDR, MAX_PORT, MAX_PROTO, Cube
    from auditor.engine.nat import Xlate, pre_routing

    mapped = reached = PacketSet()
    for table in pre_routing(nat):
        earlier = PacketSet()
        for r in table.rules:
            dst_rw = tuple(rw for rw in r.rewrites if rw.dim in (1, 4))
            if dst_rw and r.match:
                x = Xlate(dims=tuple((rw.dim, rw.offset, rw.pool) for rw in dst_rw))
                pre = PacketSet(r.match.cubes)
                if r.ingress:
                    pre = pre.intersect(PacketSet([Cube(ingress_of(r.ingress), ISet.of(0, MAX_ADDR),
                                                        ISet.of(0, MAX_PROTO), ISet.of(0, MAX_PORT),
                                                        ISet.of(0, MAX_PORT))]))
                pre = pre.subtract(earlier) if earlier else pre
                got, _doubt = x.back(flows.intersect(x.forward(pre)), pre)
                if got:
                    mapped, reached = mapped.union(got), reached.union(x.forward(got))
            earlier = earlier.union(r.match).union(r.maybe)
    if direct:
        return flows.union(mapped)
    return mapped.union(flows.subtract(reached)) if reached else flows.union(mapped)


_DST_RULE = st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 7), st.integers(0, 7),
                      st.sampled_from(["offset", "pool", "none"]), st.integers(-4, 4), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.lists(_DST_RULE, max_size=6), st.integers(0, 7), st.integers(0, 7), st.booleans())
def test_as_sent_is_the_same_when_rules_whose_translations_miss_the_flows_are_not_cut(spec, f0, f1, direct):
    rules = []
    for s0, s1, d0, d1, kind, k, on_a in spec:
        match = PacketSet([cube(src=rng(s0, s1), dst=rng(d0, d1))])
        rw = () if kind == "none" else ((Rewrite(1, k),) if kind == "offset" else (Rewrite(1, pool=rng(d0 + k, d1)),))
        rules.append(NatRule(match, rw, SRC, ingress=("a",) if on_a else ()))
    nat = (Nat("t", tuple(rules)),)
    flows = PacketSet([cube(src=ISet.of(0, 7), dst=rng(f0, f1))])

    def ingress_of(names):
        out = ISet()
        for n in names:
            out = out.union(NETS[n])
        return out

    got = as_sent(nat, flows, ingress_of, direct)
    want = _as_sent_cutting_every_rule(nat, flows, ingress_of, direct)
    for p in UNIVERSE:
        assert got.contains(p) == want.contains(p), p


def test_destination_nat_rules_that_cannot_reach_the_flows_cost_no_set_subtraction(monkeypatch):
    # 200 rules presenting other servers (the benchmark's PAN-OS NAT) before the one for the flow's:
    # only that one is cut by the rules above it
    counted = []
    real = PacketSet.subtract
    monkeypatch.setattr(PacketSet, "subtract", lambda self, other: counted.append(1) or real(self, other))
    rules = [NatRule(PacketSet([cube(dst=host("203.0.113.%d" % (k + 20)))]),
                     (Rewrite(1, ip("172.16.0.%d" % (k + 20)) - ip("203.0.113.%d" % (k + 20))),), SRC)
             for k in range(200)]
    rules.append(NatRule(PacketSet([cube(dst=host("203.0.113.10"))]),
                         (Rewrite(1, ip("10.20.0.10") - ip("203.0.113.10")),), SRC))
    flows = PacketSet([cube(src=host("198.51.100.7"), dst=host("10.20.0.10"), proto=ISet.of(6), dport=ISet.of(445))])
    sent = as_sent((Nat("nat", tuple(rules)),), flows, lambda names: ISet(), direct=False)
    assert sent.contains(tcp("198.51.100.7", "203.0.113.10", 445))
    assert not sent.contains(tcp("198.51.100.7", "10.20.0.10", 445))
    assert len(counted) <= 2  # (the one rule's cut, and the flows minus what it reaches)

"""``diff.traffic_changes`` evaluates only the packets two configs may decide differently
(``engine.changes.differing_space``); what it finds must be what evaluating every packet finds.

Oracles: brute force packet by packet on generated devices (routing, NAT with offsets and pools
of the engine's NAT tests, rules inserted, deleted, moved, disabled and changed, with the lines
after them renumbered as an edit does), and the whole packet space evaluated in both configs on
the bundled examples of every vendor and on corpus configs, edited line by line.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from pathlib import Path as FilePath

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_engine_nat import SMALL, UNIVERSE, devices, iface_of, small_cube, static_nat_device

from auditor.api import load_config, make_packet
from auditor.core.model import Action, Config, Filter, Interface, Nat, NatRule, Path, Rewrite, Rule, Source, Stage
from auditor.core.packets import ALL, ALL_V4, ALL_V6, ISet, PacketSet, cube, parse_network
from auditor.diff import _at_rule, _behind, _doubts, _line_key, _nat_doubt, decision, moved, traffic_changes
from auditor.diff import _worlds as worlds_of
from auditor.engine import evaluate
from auditor.engine.changes import alike, differing_space
from parsers import InputError

ROOT = FilePath(__file__).resolve().parent.parent
KIND = {"permit": "permitted", "deny": "denied", "unknown": "unknown"}


# --- generated devices, against brute force -------------------------------------------------

def _renumbered(rules: list[Rule]) -> tuple[Rule, ...]:
    """Rules at their new positions, each on the line its position puts it (an edit shifts the lines
    after it): the sources differ from the old config's wherever a rule moved."""
    return tuple(dataclasses.replace(r, index=i, source=Source("t.cfg", 20 + i, r.source.text))
                 for i, r in enumerate(rules))


@st.composite
def edits(draw, long: bool = False, pools: bool = False):
    """(old device, new device): the rules edited, now and then the NAT or a stage's default too;
    ``long``: a list of 140 rules edited near both ends (what lies between is matched up by
    ``difflib``); ``pools``: source NAT pools of several addresses (else of one)."""
    old = draw(devices())
    old = _laid_out(old, draw(st.integers(0, 3)), [draw(_rule("G", k)) for k in range(draw(st.integers(0, 3)))])
    if draw(st.integers(0, 2)) == 0:  # a source NAT to a pool (the device picks the address)
        lo = draw(st.integers(0, 7))
        hi = draw(st.integers(lo, 7)) if pools else lo  # (one address: brute force and the engine agree exactly)
        pool = NatRule(PacketSet([draw(small_cube)]), (Rewrite(0, 0, ISet.of(lo, hi)),),
                       Source("t.cfg", 15, "nat pool"))
        old = dataclasses.replace(old, nat=(Nat("nat", (old.nat[0].rules if old.nat else ()) + (pool,)),))
    rules = list(old.filters["F"].rules)
    if rules and draw(st.integers(0, 3)) == 0:  # a rule uncertain in both versions
        k = draw(st.integers(0, len(rules) - 1))
        rules[k] = dataclasses.replace(rules[k], maybe=PacketSet([draw(small_cube)]),
                                       sure_action=draw(st.booleans()))
        old = dataclasses.replace(old, filters=dict(old.filters, F=Filter("F", tuple(rules))))
    spots = None
    if long:
        rules = _renumbered(rules + [Rule("F", 0, draw(st.sampled_from([Action.PERMIT, Action.DENY])),
                                          PacketSet([draw(small_cube)]), Source("t.cfg", 1, "r"))
                                     for _ in range(140)])
        old = dataclasses.replace(old, filters=dict(old.filters, F=Filter("F", rules)))
        rules = list(rules)
        spots = st.sampled_from([*range(0, 5), *range(70, 75), *range(len(rules) - 5, len(rules))])
    for k in range(draw(st.integers(1, 3) if not long else st.integers(2, 4))):
        op = draw(st.sampled_from(["insert", "delete", "action", "match", "disable", "move", "maybe"]))
        at = draw(st.integers(0, max(len(rules) - 1, 0)) if spots is None else spots)
        at = min(at, max(len(rules) - 1, 0))
        if op == "insert" or not rules:
            act = draw(st.sampled_from([Action.PERMIT, Action.DENY]))
            rules.insert(at, Rule("F", 0, act, PacketSet([draw(small_cube)]), Source("t.cfg", 1, "new %d" % k)))
        elif op == "delete":
            del rules[at]
        elif op == "action":
            r = rules[at]
            rules[at] = dataclasses.replace(r, action=Action.DENY if r.action is Action.PERMIT else Action.PERMIT)
        elif op == "match":
            rules[at] = dataclasses.replace(rules[at], match=PacketSet([draw(small_cube)]))
        elif op == "disable":
            rules[at] = dataclasses.replace(rules[at], enabled=not rules[at].enabled)
        elif op == "move":
            rules.insert(draw(st.integers(0, len(rules) - 1)), rules.pop(at))
        else:
            rules[at] = dataclasses.replace(rules[at], maybe=PacketSet([draw(small_cube)]))
    filters = dict(old.filters, F=Filter("F", _renumbered(rules)))
    if "G" in filters and draw(st.integers(0, 2)) == 0:  # the filter after F edited too
        g = list(filters["G"].rules)
        g.insert(draw(st.integers(0, len(g))), draw(_rule("G", 9)))
        filters["G"] = Filter("G", tuple(g))
    new = dataclasses.replace(old, filters=filters)
    other = draw(st.integers(0, 9))
    if other == 0 and old.nat:  # a NAT rule dropped
        new = dataclasses.replace(new, nat=(dataclasses.replace(old.nat[0], rules=old.nat[0].rules[1:]),))
    elif other == 1:  # the default of the stage turned
        turned = [dataclasses.replace(p, stages=(dataclasses.replace(p.stages[0], default=Action.PERMIT),))
                  for p in old.paths]
        new = dataclasses.replace(new, paths=tuple(turned))
    return old, new


def _rule(name: str, k: int):
    return st.builds(lambda act, c: Rule(name, k, act, PacketSet([c]), Source("t.cfg", 60 + k, "%s %d" % (name, k))),
                     st.sampled_from([Action.PERMIT, Action.DENY]), small_cube)


def _laid_out(cfg: Config, layout: int, g_rules: list) -> Config:
    """The device's stages laid out otherwise: 0 as generated (F alone, default deny); 1 a filter G
    after F (a packet F does not decide goes on to it, as to an ASA's global ACL); 2 the default
    permit (as an iptables chain's ACCEPT policy); 3 the paths from side b through F, G and a default
    permit, those from side a through F alone (one filter in two stages)."""
    if layout == 0:
        return cfg
    stage = cfg.paths[0].stages[0]
    other = dataclasses.replace(stage, name="in2", filters=("F", "G") if layout != 2 else ("F",),
                                default=Action.PERMIT if layout != 1 else Action.DENY)
    paths = tuple(dataclasses.replace(p, stages=(stage if layout == 3 and p.ingress == "a" else other,))
                  for p in cfg.paths)
    filters = dict(cfg.filters, G=Filter("G", tuple(g_rules))) if layout != 2 else cfg.filters
    return dataclasses.replace(cfg, paths=paths, filters=filters)


def _sent_as(pkt, rules, ingress, world=None):
    """The packets a stage may see for ``pkt`` (first NAT rule matching; a pool: one per value), or
    "unknown" (a NAT rule's uncertain part); in a ``world`` (NAT line -> whether it translates the
    packets it may translate), a NAT rule's uncertain part translates them as its match does or not."""
    for r in rules:
        if r.ingress and ingress not in r.ingress:
            continue
        doubt = not r.match.contains(pkt) and r.maybe.contains(pkt)
        if doubt and world is not None:
            if not world[r.source]:
                continue
            doubt = False
        if r.match.contains(pkt) or r.maybe.contains(pkt) and not doubt:
            out = [list(pkt)]
            for rw in r.rewrites:
                if rw.pool is None:
                    for p in out:
                        p[rw.dim] += rw.offset
                else:
                    out = [p[:rw.dim] + [v] + p[rw.dim + 1:] for p in out for lo, hi in rw.pool.iv
                           for v in range(lo, hi + 1)]
            return [tuple(p) for p in out]
        if doubt:
            return "unknown"
    return [pkt]


def _decide(cfg, pkt, world=None) -> str:
    """One packet decided by brute force (as ``test_engine_nat.brute``, with the stage's default, its
    disabled rules left out and a pool's every value tried: one decision if all agree, else unknown),
    as ``diff.decision`` names it ("unknown:nat": a NAT rule may translate it or not; in a ``world``,
    ``_sent_as``, never)."""
    ingress = iface_of(pkt[0])
    seen = _sent_as(pkt, cfg.nat[0].rules if cfg.nat else (), ingress, world)
    if seen == "unknown":
        return "unknown:nat"
    egress = iface_of(seen[0][1])  # (a pool rewrites the source only: one destination)
    if ingress is None or egress is None:
        return "deny"  # (not routed)
    stage = next(p for p in cfg.paths if (p.ingress, p.egress) == (ingress, egress)).stages[0]
    got = {_first(cfg, stage, pkt if stage.sees == "sent" else t) for t in seen}
    return got.pop() if len(got) == 1 else "unknown"


def _first(cfg, stage, seen) -> str:
    """First match over the stage's filters; a rule that may match ``seen`` makes it unknown, unless
    only whether it matches is uncertain (``sure_action``) and every way on ends as it would."""
    rules = [r for name in stage.filters for r in cfg.filters[name].rules if r.enabled]

    def act(r):
        return "permit" if r.action is Action.PERMIT else "deny"

    def from_(k: int) -> str:
        for i in range(k, len(rules)):
            r = rules[i]
            if r.match.contains(seen):
                return act(r)
            if r.maybe.contains(seen):
                if r.sure_action and from_(i + 1) == act(r):
                    return act(r)
                # (undecided at ``r``: named with what it does when it matches and what decides where no rule
                # that may match does, as ``diff._behind`` tells two such apart)
                return "unknown:%s:%s" % (act(r), sure(i + 1))
        return "permit" if stage.default is Action.PERMIT else "deny"

    def sure(k: int) -> str:
        for r in rules[k:]:
            if r.match.contains(seen):
                return act(r)
        return "permit" if stage.default is Action.PERMIT else "deny"

    return from_(0)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(edits())
def test_traffic_changes_equals_brute_force_packet_by_packet(pair):
    _check_brute(*pair)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(edits(long=True))
def test_traffic_changes_of_long_lists_edited_far_apart_equals_brute_force(pair):
    _check_brute(*pair)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(edits(pools=True))
def test_traffic_changes_equal_every_packet_evaluated_with_pools_of_several_addresses(pair):
    """The engine decides a packet translated to a pool only where the whole pool falls in one piece
    of an outcome (else unknown), so its answer depends on the packets evaluated together: where
    such a pool changes what the rules see, every packet is evaluated, as before."""
    old, new = pair
    _same_sets(_kinds(traffic_changes(old, new, space=SMALL)), _kinds_everywhere(old, new, SMALL))


def _kinds(got: dict) -> dict:
    """``traffic_changes``'s answer as one set per kind."""
    return _by_kind(_groups(got))


def _kinds_everywhere(old, new, space) -> dict:
    return _by_kind(_groups_everywhere(old, new, space))


def _by_kind(groups: dict) -> dict:
    out: dict = {}
    for (kind, _old, _new), ps in groups.items():
        out.setdefault(kind, []).extend(ps.cubes)
    return {k: PacketSet(v) for k, v in out.items()}


def _arrives(cfg, pkt, world=None) -> frozenset:
    """The packets ``pkt`` may arrive as (its NAT, by brute force: one per value of a pool)."""
    seen = _sent_as(pkt, cfg.nat[0].rules if cfg.nat else (), iface_of(pkt[0]), world)
    return frozenset() if seen == "unknown" else frozenset(seen)


def _worlds(old, new):
    """Every way the NAT lines of either version that may translate packets or not (``maybe``) may go: each
    such line translating them as its match does, or not (a line by its place: the edits keep NAT lines')."""
    lines = sorted({r.source for cfg in (old, new) for t in cfg.nat for r in t.rules if r.maybe.cubes},
                   key=lambda s: s.line)
    return [dict(zip(lines, ways)) for ways in itertools.product((True, False), repeat=len(lines))]


def _check_brute(old, new) -> None:
    sets = _kinds(traffic_changes(old, new, space=SMALL))
    worlds = _worlds(old, new)
    for pkt in UNIVERSE:
        a, b = _decide(old, pkt), _decide(new, pkt)
        want = KIND[b.split(":")[0]] if a != b else None  # (undecided before and decided now too: by its new decision)
        if a == b == "permit" and _arrives(old, pkt) != _arrives(new, pkt):
            want = "permitted"  # (permitted by both, delivered elsewhere: ``diff._effect``)
        if a == b == "unknown:nat":
            # (a NAT line may translate the packet or not, in both: changed where some way it may go, a world,
            # decides it otherwise in the two versions, or delivers it elsewhere)
            want = "unknown" if any(
                _decide(old, pkt, w) != _decide(new, pkt, w) or _decide(old, pkt, w) == "permit" and
                _arrives(old, pkt, w) != _arrives(new, pkt, w) for w in worlds) else None
        have = [kind for kind, ps in sets.items() if ps.contains(pkt)]
        assert have == ([want] if want else []), (pkt, a, b)


def test_rules_edited_narrow_the_packets_evaluated_to_what_the_edited_rules_match():
    """Only filter rules changed, every later line renumbered: the packets evaluated are the inserted
    rule's (to the server's real address, as the rules see it after NAT) and the packets clients send
    to the mapped address, which the NAT turns into them."""
    old = static_nat_device()
    rules = list(old.filters["OUT_IN"].rules)
    added = Rule("OUT_IN", 0, Action.PERMIT, PacketSet([cube(dst=parse_network("10.20.0.10"), proto=ISet.of(6))]),
                 Source("t.cfg", 7, "permit tcp any host 10.20.0.10"))
    moved = [dataclasses.replace(r, source=Source("t.cfg", r.source.line + 1, r.source.text)) for r in rules]
    new = dataclasses.replace(old, filters={"OUT_IN": Filter("OUT_IN", tuple([added] + moved))})
    space = differing_space(old, new)
    assert space is not ALL
    real, mapped = parse_network("10.20.0.10"), parse_network("203.0.113.10")
    assert sorted(c.dims[1].iv for c in space.cubes) == [real.iv, mapped.iv]
    assert all(c.dims[2].iv == ((6, 6),) for c in space.cubes)
    assert not differing_space(old, old).cubes


def test_anything_but_rules_changed_means_every_packet():
    old = static_nat_device()
    stage = old.paths[0].stages[0]
    route = dataclasses.replace(old.routes[0], interface="inside")
    for new in (dataclasses.replace(old, nat=()),
                dataclasses.replace(old, paths=old.paths[1:]),
                dataclasses.replace(old, routes=(route,)),
                dataclasses.replace(old, learned_routes=(Source("t.cfg", 3, "router ospf 1"),)),
                dataclasses.replace(old, local_addresses=parse_network("10.20.0.1")),
                dataclasses.replace(old, paths=(dataclasses.replace(old.paths[0], stages=(dataclasses.replace(
                    stage, stateful=not stage.stateful),)),) + old.paths[1:])):
        assert differing_space(old, new) is ALL


def test_where_a_record_is_written_decides_nothing():
    s1, s2 = Source("a.cfg", 1, "x"), Source("b.cfg", 9, "y")
    assert alike(Stage("s", ("F",), Action.DENY, s1, "why"), Stage("s", ("F",), Action.DENY, s2, "why"))
    assert not alike(Stage("s", ("F",), Action.DENY, s1, "why"), Stage("s", ("F",), Action.PERMIT, s1, "why"))
    assert not alike((s1,), ())  # (a dynamic routing protocol turned on: a line more, not another line)
    assert not alike(Stage("s", ("F",), Action.DENY, s1, "why"), Stage("s", ("F",), Action.DENY, None, "why"))


# --- real configs, edited line by line, against the whole packet space -----------------------

CONFIGS = ["examples/prinergy-site/asa.cfg", "examples/change/before.cfg", "examples/ios-site/ios.cfg",
           "examples/fortios-site/fortigate.conf", "examples/junos-site/srx.conf",
           "tests/fixtures/corpus/iptables/bf-example-host1.iptables",
           "tests/fixtures/corpus/nftables/aerleon-nftables.nft",
           "tests/fixtures/corpus/panos/bf-destination-nat-panorama.set",
           "tests/fixtures/corpus/aws/bf-hybrid-cloud-SecurityGroups.json"]


# the packets that are ever sent: between two IPv4 or two IPv6 addresses
REAL = PacketSet([cube(src=ALL_V4, dst=ALL_V4), cube(src=ALL_V6, dst=ALL_V6)])


def _groups_everywhere(old, new, space: PacketSet = ALL) -> dict:
    """Every real packet of ``space`` evaluated in both configs: the differing pieces per (kind, old
    line, new line)."""
    space = space.intersect(REAL)
    out: dict = {}
    olds, news = evaluate(old, space), evaluate(new, space)
    changed = differing_space(old, new)
    doubts = (_doubts(old), _doubts(new))
    for o in olds:
        for n in news:
            a, b = decision(o), decision(n)
            if not o.packets.overlaps(n.packets):
                continue
            do, dn = _nat_doubt(o, doubts[0]), _nat_doubt(n, doubts[1])
            if do is not None and dn is not None:  # (at NAT lines that may translate them or not: each way)
                rules = (do,) if alike(do, dn) else (do, dn)
                for _o, _n, ps in worlds_of(old, new, [(rules, [(o, n, o.packets.intersect(n.packets))])]):
                    out.setdefault(("unknown", _line_key(o), _line_key(n)), []).extend(ps.cubes)
                continue
            at_rules = _at_rule(o) and _at_rule(n)
            if at_rules and o.rule.action is n.rule.action:  # (what decides where they do not match)
                # (packets no changed rule matches are decided alike where no rule that may match does: of
                # those the change may decide otherwise, ``differing_space``)
                for _o, _n, ps in _behind(old, new, [(o, n, o.packets.intersect(n.packets))], space):
                    out.setdefault(("unknown", _line_key(o), _line_key(n)), []).extend(ps.intersect(changed).cubes)
                continue
            if a == b and (a != "permit" or o.xlate.dims == n.xlate.dims) and o.may_permit == n.may_permit \
                    and not at_rules:
                continue  # (decided alike; a permit translated alike)
            if b == "deny" and not o.may_permit:
                continue  # (denied wherever it reached the device before, denied now: never let through)
            piece = o.packets.intersect(n.packets)
            if a == b and not at_rules:
                piece = PacketSet([c for c in piece.cubes if moved(o, n, c)])
            if piece:
                out.setdefault((KIND[b], _line_key(o), _line_key(n)), []).extend(piece.cubes)
    return {k: PacketSet(v) for k, v in out.items()}


def _groups(got: dict) -> dict:
    out: dict = {}
    for kind, items in got.items():
        for ch in items:
            out.setdefault((kind, _line_key(ch.old), _line_key(ch.new)), []).extend(ch.packets.cubes)
    return {k: PacketSet(v) for k, v in out.items()}


def _same_sets(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        assert not a[k].subtract(b[k]).cubes and not b[k].subtract(a[k]).cubes, k


@pytest.mark.parametrize("path", CONFIGS)
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_traffic_changes_of_real_configs_edited_equal_every_packet_evaluated(path, data):
    text = (ROOT / path).read_text()
    lines = text.split("\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    op = data.draw(st.sampled_from(["delete", "repeat", "swap"]))
    edited = list(lines)
    if op == "delete":
        del edited[at]
    elif op == "repeat":
        edited.insert(at, lines[at])
    else:
        j = data.draw(st.integers(0, len(lines) - 1))
        edited[at], edited[j] = edited[j], edited[at]
    try:
        old = load_config(str(ROOT / path))
        new = load_config(str(ROOT / path), text="\n".join(edited))
    except InputError:
        assume(False)
    assume(new.vendor == old.vendor)
    _same_sets(_groups(traffic_changes(old, new)), _groups_everywhere(old, new))


def test_a_rule_added_to_a_large_acl_is_the_only_part_evaluated():
    """A one-line change to a 2,000-entry ACL: the part evaluated is what the new line matches (the
    whole packet space took a second here and minutes at 10,000 entries), and the answer is the one
    of every packet evaluated."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_asa import generate

    from auditor.diff import apply_change

    text = generate(2000, seed=3)
    change = "access-list OUTSIDE_IN line 5 extended permit tcp any host 10.2.0.10 eq 445\n"
    old = load_config("fw.cfg", text=text)
    new_text, _ = apply_change(old.vendor, text, "fw.cfg", change, "change.txt")
    new = load_config("fw.cfg", text=new_text)
    space = differing_space(old, new)
    assert space is not ALL and len(space.cubes) == 1
    c = space.cubes[0]
    assert c.dims[1] == parse_network("10.2.0.10") and c.dims[2].iv == ((6, 6),) and c.dims[4].iv == ((445, 445),)
    got = traffic_changes(old, new)
    assert got["permitted"] and not got["denied"] and not got["unknown"]
    _same_sets(_groups(got), _groups_everywhere(old, new))


def test_a_pool_translation_into_the_edited_rules_brings_its_senders_in():
    """A source NAT of side a's hosts (0-3) to one address (6), seen translated by the rules: a deny of
    it inserted changes what side a's hosts may send, though none of them is in the rule; the packets
    evaluated include them, as brute force says they must.  (A pool of several addresses: every packet,
    ``test_traffic_changes_equal_every_packet_evaluated_with_pools_of_several_addresses``.)"""
    old = _pool_device()
    deny = Rule("F", 0, Action.DENY, PacketSet([cube(src=ISet.of(6), dst=ISet.of(4, 7))]), Source("t.cfg", 20, "d"))
    new = dataclasses.replace(old, filters={"F": Filter("F", (deny,))})
    space = differing_space(old, new)
    assert space is not ALL and any(c.dims[0].iv[0][0] == 0 for c in space.cubes)
    _check_brute(old, new)
    denied = PacketSet([c for ch in traffic_changes(old, new, space=SMALL)["denied"] for c in ch.packets.cubes])
    assert denied.contains((1, 5, 0, 0, 0))  # (sent from 1, seen from 6)


def _pool_device():
    rules = (NatRule(PacketSet([cube(src=ISet.of(0, 3))]), (Rewrite(0, 0, ISet.of(6)),), Source("t.cfg", 5, "p")),)
    stage = Stage("in", ("F",), Action.PERMIT, Source("t.cfg", 1, "x"), "default permit")  # (sees "routed")
    paths = tuple(Path(a, b, (stage,)) for a in "ab" for b in "ab")
    src = Source("t.cfg", 1, "x")
    ifaces = (Interface("a", ISet.of(0, 3), src), Interface("b", ISet.of(4, 7), src))
    return Config("t.cfg", "test", 30, {"F": Filter("F", ())}, paths, interfaces=ifaces, nat=(Nat("nat", rules),))


def test_a_pool_of_several_addresses_the_rules_see_means_every_packet():
    """Found by the test above without the guard: ICMP (protocol 1) from 0 to 0 is sent from an
    address of the pool 0-1; the edited rule permits ICMP type 0 from 0.  Evaluated alone, the
    packets of the edited rules come out cut otherwise than among all packets, and the engine, which
    decides a pool's packets only where the whole pool falls in one piece, answered otherwise for
    ICMP type 1: the diff missed it.  Such a pool makes every packet evaluated."""
    src = Source("t.cfg", 1, "x")
    nat = NatRule(PacketSet([cube(src=ISet.of(0), dst=ISet.of(0), proto=ISet.of(1), dport=ISet.of(0, 1))]),
                  (Rewrite(0, 0, ISet.of(0, 1)),), Source("t.cfg", 5, "p"))
    stage = Stage("in", ("F",), Action.DENY, src, "default deny")
    ifaces = (Interface("a", ISet.of(0, 3), src), Interface("b", ISet.of(4, 7), src))
    old = Config("t.cfg", "test", 30, {"F": Filter("F", (Rule("F", 0, Action.PERMIT, PacketSet([cube(
        src=ISet.of(0), dst=ISet.of(0), proto=ISet.of(0), dport=ISet.of(0))]), Source("t.cfg", 20, "r")),))},
        tuple(Path(a, b, (stage,)) for a in "ab" for b in "ab"), interfaces=ifaces, nat=(Nat("nat", (nat,)),))
    new = dataclasses.replace(old, filters={"F": Filter("F", (Rule("F", 0, Action.PERMIT, PacketSet([cube(
        src=ISet.of(0), dst=ISet.of(0), proto=ISet.of(1), dport=ISet.of(0))]), Source("t.cfg", 20, "r")),))})
    assert differing_space(old, new) is ALL
    _same_sets(_kinds(traffic_changes(old, new, space=SMALL)), _kinds_everywhere(old, new, SMALL))


# --- what a changed rule decides: its packets that the rules after it (or a default) decide otherwise --

def test_a_deny_removed_before_an_uncertain_rule_of_its_action_is_evaluated_where_that_rule_may_match():
    """Default deny; a deny of hosts 0-1 removed from before a deny whose match is not understood
    (it may match host 0): nothing after the deny permits anything, yet what it denied for certain
    may now be unknown (a rule of the same action may decide it, or not)."""
    src = Source("t.cfg", 1, "x")
    stage = Stage("in", ("F",), Action.DENY, src, "default deny")
    ifaces = (Interface("a", ISet.of(0, 3), src), Interface("b", ISet.of(4, 7), src))
    unsure = Rule("F", 1, Action.DENY, PacketSet(), Source("t.cfg", 21, "deny object-group UNKNOWN any"),
                  maybe=PacketSet([cube(src=ISet.of(0))]))
    deny = Rule("F", 0, Action.DENY, PacketSet([cube(src=ISet.of(0, 1))]), Source("t.cfg", 20, "deny 0-1"))
    old = Config("t.cfg", "test", 30, {"F": Filter("F", (deny, unsure))},
                 tuple(Path(a, b, (stage,)) for a in "ab" for b in "ab"), interfaces=ifaces)
    new = dataclasses.replace(old, filters={"F": Filter("F", (dataclasses.replace(unsure, index=0),))})
    space = differing_space(old, new)
    assert space.contains((0, 5, 0, 0, 0)) and not space.contains((1, 5, 0, 0, 0))
    _check_brute(old, new)
    assert [ch.new.kind for ch in traffic_changes(old, new, space=SMALL)["unknown"]] == ["unknown"]


def _asa_2000():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_asa import generate

    return generate(2000, seed=3)


def _edited(text: str, change: str):
    from auditor.diff import apply_change

    old = load_config("fw.cfg", text=text)
    new_text, _ = apply_change(old.vendor, text, "fw.cfg", change, "change.txt")
    return old, load_config("fw.cfg", text=new_text)


@pytest.mark.parametrize("change", [
    "access-list OUTSIDE_IN extended deny ip any any\n",  # an explicit deny at the end (to log, say)
    "no access-list OUTSIDE_IN extended deny ip any any log\n",  # (the generator's last line: removed)
    "access-list OUTSIDE_IN extended deny tcp any any eq 445\n",
])
def test_a_deny_at_the_end_of_a_list_that_denies_by_default_changes_nothing_and_nothing_is_evaluated(change):
    """ASA: "ACLs have an implicit deny at the end of the list" (Cisco ASA Series Firewall CLI
    Configuration Guide, Configuring Access Rules, Implicit Deny); before, such a change had every
    packet evaluated (23 s for check-change at 10,000 entries, now about one)."""
    old, new = _edited(_asa_2000(), change)
    assert old.filters["OUTSIDE_IN"].rules != new.filters["OUTSIDE_IN"].rules
    assert not differing_space(old, new).cubes
    assert traffic_changes(old, new) == {"permitted": [], "denied": [], "unknown": []}
    assert _groups_everywhere(old, new) == {}


def test_a_deny_inserted_amid_a_list_is_evaluated_where_later_permits_meet_it():
    """A deny of TCP 445 inserted at line 300 of 1,100: the packets evaluated are those of the permits
    after it that meet it (not every packet of port 445, nor every packet), and the answer is the one of
    every packet evaluated."""
    old, new = _edited(_asa_2000(), "access-list OUTSIDE_IN line 300 extended deny tcp any any eq 445\n")
    space = differing_space(old, new)
    deny = PacketSet([cube(proto=ISet.of(6), dport=ISet.of(445))])
    assert space.cubes and not space.subtract(deny).cubes
    later = [r for r in new.filters["OUTSIDE_IN"].rules[300:] if r.action is Action.PERMIT]
    assert not PacketSet([c for r in later for c in r.match.cubes]).intersect(deny).subtract(space).cubes
    assert deny.subtract(space).cubes  # (the port's packets no later permit meets are left out)
    got = traffic_changes(old, new)
    assert got["denied"] and not got["permitted"]
    _same_sets(_groups(got), _groups_everywhere(old, new))


def test_a_deny_at_the_end_of_an_interface_acl_is_evaluated_where_the_global_acl_permits():
    """ASA: "If you configure a global access rule, then the implicit deny comes after the global rule
    is processed": 1. interface access rule, 2. global access rule, 3. implicit deny (same guide,
    Implicit Deny).  The outside ACL's last line, a deny of everything, removed: what it denied now
    falls through to the global permit, so those packets are evaluated (and only they), and the
    answer is the one of every packet evaluated."""
    text = _asa_2000() + ("access-list GLOBAL extended permit tcp any host 10.2.0.99 eq 8080\n"
                          "access-group GLOBAL global\n")
    old, new = _edited(text, "no access-list OUTSIDE_IN extended deny ip any any log\n")
    space = differing_space(old, new)
    opened = make_packet("198.51.100.7", "10.2.0.99", "tcp", 40000, 8080)
    assert space.contains(opened) and not space.contains(make_packet("198.51.100.7", "10.2.0.99", "tcp", 40000, 8081))
    got = traffic_changes(old, new)
    assert not got["denied"] and any(ch.packets.contains(opened) for ch in got["permitted"])
    _same_sets(_groups(got), _groups_everywhere(old, new))


def test_a_deny_of_everything_inserted_amid_a_list_equals_every_packet_evaluated():
    """A change that decides much of the traffic otherwise: every permit after line 300 now denied.
    The outcomes of both versions are compared only where their cubes differ (``diff._unsettled``:
    the packets of a cube found in both versions with one decision are decided alike), and the answer
    is still the one of every packet evaluated."""
    old, new = _edited(_asa_2000(), "access-list OUTSIDE_IN line 300 extended deny ip any any\n")
    got = traffic_changes(old, new)
    assert len(got["denied"]) > 50 and not got["permitted"]
    _same_sets(_groups(got), _groups_everywhere(old, new))

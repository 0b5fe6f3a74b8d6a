"""``diff.traffic_changes`` evaluates only the packets two configs may decide differently
(``engine.changes.differing_space``); what it finds must be what evaluating every packet finds.

Oracles: brute force packet by packet on generated devices (routing, NAT with offsets and pools
of the engine's NAT tests, rules inserted, deleted, moved, disabled and changed, with the lines
after them renumbered as an edit does), and the whole packet space evaluated in both configs on
the bundled examples of every vendor and on corpus configs, edited line by line.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path as FilePath

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_engine_nat import SMALL, UNIVERSE, devices, iface_of, small_cube, static_nat_device

from auditor.api import load_config
from auditor.core.model import Action, Config, Filter, Interface, Nat, NatRule, Path, Rewrite, Rule, Source, Stage
from auditor.core.packets import ALL, ISet, PacketSet, cube, parse_network
from auditor.diff import _line_key, decision, traffic_changes
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
    if draw(st.integers(0, 2)) == 0:  # a source NAT to a pool (the device picks the address)
        lo = draw(st.integers(0, 7))
        hi = draw(st.integers(lo, 7)) if pools else lo  # (one address: brute force and the engine agree exactly)
        pool = NatRule(PacketSet([draw(small_cube)]), (Rewrite(0, 0, ISet.of(lo, hi)),),
                       Source("t.cfg", 15, "nat pool"))
        old = dataclasses.replace(old, nat=(Nat("nat", (old.nat[0].rules if old.nat else ()) + (pool,)),))
    rules = list(old.filters["F"].rules)
    spots = None
    if long:
        rules = _renumbered(rules + [Rule("F", 0, draw(st.sampled_from([Action.PERMIT, Action.DENY])),
                                          PacketSet([draw(small_cube)]), Source("t.cfg", 1, "r"))
                                     for _ in range(140)])
        old = dataclasses.replace(old, filters={"F": Filter("F", rules)})
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
    new = dataclasses.replace(old, filters={"F": Filter("F", _renumbered(rules))})
    other = draw(st.integers(0, 9))
    if other == 0 and old.nat:  # a NAT rule dropped
        new = dataclasses.replace(new, nat=(dataclasses.replace(old.nat[0], rules=old.nat[0].rules[1:]),))
    elif other == 1:  # the default of the stage turned
        stage = old.paths[0].stages[0]
        turned = dataclasses.replace(stage, default=Action.PERMIT)
        new = dataclasses.replace(new, paths=tuple(dataclasses.replace(p, stages=(turned,)) for p in old.paths))
    return old, new


def _sent_as(pkt, rules, ingress):
    """The packets a stage may see for ``pkt`` (first NAT rule matching; a pool: one per value), or
    "unknown" (a NAT rule's uncertain part)."""
    for r in rules:
        if r.ingress and ingress not in r.ingress:
            continue
        if r.match.contains(pkt):
            out = [list(pkt)]
            for rw in r.rewrites:
                if rw.pool is None:
                    for p in out:
                        p[rw.dim] += rw.offset
                else:
                    out = [p[:rw.dim] + [v] + p[rw.dim + 1:] for p in out for lo, hi in rw.pool.iv
                           for v in range(lo, hi + 1)]
            return [tuple(p) for p in out]
        if r.maybe.contains(pkt):
            return "unknown"
    return [pkt]


def _decide(cfg, pkt) -> str:
    """One packet decided by brute force (as ``test_engine_nat.brute``, with the stage's default, its
    disabled rules left out and a pool's every value tried: one decision if all agree, else unknown),
    as ``diff.decision`` names it."""
    ingress = iface_of(pkt[0])
    seen = _sent_as(pkt, cfg.nat[0].rules if cfg.nat else (), ingress)
    if seen == "unknown":
        return "unknown"
    egress = iface_of(seen[0][1])  # (a pool rewrites the source only: one destination)
    if ingress is None or egress is None:
        return "deny"  # (not routed)
    stage = next(p for p in cfg.paths if (p.ingress, p.egress) == (ingress, egress)).stages[0]
    got = {_first(cfg, stage, pkt if stage.sees == "sent" else t) for t in seen}
    return got.pop() if len(got) == 1 else "unknown"


def _first(cfg, stage, seen) -> str:
    for r in cfg.filters["F"].rules:
        if not r.enabled:
            continue
        if r.match.contains(seen):
            return "permit" if r.action is Action.PERMIT else "deny"
        if r.maybe.contains(seen):
            return "unknown"
    return "permit" if stage.default is Action.PERMIT else "deny"


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


def _check_brute(old, new) -> None:
    sets = _kinds(traffic_changes(old, new, space=SMALL))
    for pkt in UNIVERSE:
        a, b = _decide(old, pkt), _decide(new, pkt)
        want = KIND[b] if a != b and a != "unknown" else None
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


def _groups_everywhere(old, new, space: PacketSet = ALL) -> dict:
    """Every packet of ``space`` evaluated in both configs: the differing pieces per (kind, old line,
    new line)."""
    out: dict = {}
    olds, news = evaluate(old, space), evaluate(new, space)
    for o in olds:
        for n in news:
            a, b = decision(o), decision(n)
            if a == b or a == "unknown" or not o.packets.overlaps(n.packets):
                continue
            piece = o.packets.intersect(n.packets)
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

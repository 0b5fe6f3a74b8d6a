"""The index's one-pass build spells out, for the usual rule (one box, nothing uncertain), what
``box``, ``bounds`` and ``placement`` compute; it must agree with them on every rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.model import Action, Rule, Source
from auditor.core.packets import Cube, ISet, PacketSet, bounds
from auditor.engine.index import RuleIndex, box, placement

ADDR = st.sampled_from([0, 5, 255, 256, 4000, 65535, 1 << 20, (1 << 32) - 1, (1 << 128) - 1])
PORT = st.sampled_from([0, 15, 16, 80, 443, 1024, 4095, 4096, 30000, 65535])


def iset(values):
    def make(pairs):
        return ISet([(min(a, b), max(a, b)) for a, b in pairs])
    return st.lists(st.tuples(values, values), min_size=1, max_size=2).map(make)


cube = st.builds(Cube, iset(ADDR), iset(ADDR), iset(st.sampled_from([0, 1, 6, 17, 255])), iset(PORT), iset(PORT))
rule = st.tuples(st.lists(cube, max_size=2), st.lists(cube, max_size=1))


@settings(max_examples=300, deadline=None)
@given(st.lists(rule, min_size=1, max_size=6))
def test_the_build_agrees_with_box_bounds_and_placement(spec):
    rules = [Rule("F", i, Action.PERMIT, PacketSet(m), Source("t", i + 1, "r"), maybe=PacketSet(u))
             for i, (m, u) in enumerate(spec)]
    idx = RuleIndex(rules)
    for i, r in enumerate(rules):
        cs = r.match.cubes
        assert idx.boxes[i] == box(cs)
        assert idx.hulls[i] == (box(cs) if box(cs) is not None else bounds(cs))
        fam, touched = placement(r)
        assert idx.placements[i][0] == fam
        assert [None if t is None else list(t) for t in idx.placements[i][1]] == \
            [None if t is None else list(t) for t in touched]


def test_rules_with_the_same_address_blocks_and_other_port_widths_get_their_own_families():
    """(The build looks a family up by the number of blocks in each dimension: each counts.)"""
    def host_rule(i, lo, hi):
        c = Cube(ISet.of(10 << 8), ISet.of(20 << 8), ISet.of(6), ISet.of(0, 65535), ISet.of(lo, hi))
        return Rule("F", i, Action.PERMIT, PacketSet([c]), Source("t", i + 1, "r"))

    rules = [host_rule(0, 80, 80), host_rule(1, 1000, 1400), host_rule(2, 0, 65535), host_rule(3, 443, 443)]
    idx = RuleIndex(rules)
    assert [idx.placements[i][0] for i in range(4)] == [placement(r)[0] for r in rules]
    assert idx.placements[0][0] != idx.placements[1][0]

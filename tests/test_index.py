"""The rule index (auditor/index.py) against brute force, on values that span many index blocks.

The engine and anomaly property tests use tiny universes, where every value falls in the
same index block; here the values are chosen so that rules land in different families
(narrow in some dimensions, wide in others), queries probe by composite key, by one
dimension or by the whole family, and candidate lists take both the eager and lazy paths.
"""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.core.model import Action, Rule, Source
from auditor.core.packets import Cube, ISet, PacketSet
from auditor.engine import index as I

ADDR = [0, 1, 255, 256, 300, 511, 512, 5000, 8191, 8192, 9000, 1 << 20, (1 << 20) + 7, 1 << 32]
PROTO = [0, 6, 17, 255]
PORT = [0, 15, 16, 17, 100, 255, 256, 600, 65535]


def interval(values):
    return st.tuples(st.sampled_from(values), st.sampled_from(values)).map(lambda t: (min(t), max(t)))


def iset(values):
    return st.lists(interval(values), min_size=1, max_size=2).map(ISet)


cubes = st.builds(lambda *d: Cube(*d), iset(ADDR), iset(ADDR), iset(PROTO), iset(PORT), iset(PORT))
points = st.tuples(st.sampled_from(ADDR), st.sampled_from(ADDR), st.sampled_from(PROTO),
                   st.sampled_from(PORT), st.sampled_from(PORT))
rule_specs = st.lists(st.tuples(st.sampled_from([Action.PERMIT, Action.DENY]),
                                st.lists(cubes, min_size=0, max_size=2), st.lists(cubes, max_size=1)),
                      min_size=1, max_size=30)


def make(spec) -> list[Rule]:
    return [Rule("F", i, a, PacketSet(m), Source("t.cfg", i + 1, "r%d" % i), maybe=PacketSet(u))
            for i, (a, m, u) in enumerate(spec)]


def _index(rules, data):
    """The rules' index, with rules narrow in every dimension keyed by their addresses
    alone up to a drawn crowd (0: always by all three), so that both placements are met."""
    saved = I._CROWDED
    I._CROWDED = data.draw(st.sampled_from([0, 1, 3, saved]))
    try:
        return I.RuleIndex(rules)
    finally:
        I._CROWDED = saved


def test_rules_sharing_address_blocks_are_keyed_by_port_past_the_crowd():
    full = ISet([(0, 65535)])
    rules = make([(Action.PERMIT, [Cube(ISet([(300, 300)]), ISet([(700, 700)]), ISet([(6, 6)]), full,
                                        ISet([(p * 16, p * 16)]))], []) for p in range(I._CROWDED + 5)])
    idx = I.RuleIndex(rules)
    assert {f.dims: f.all for f in idx.families} == {(0, 1): list(range(I._CROWDED)),
                                                    (0, 1, 2): list(range(I._CROWDED, I._CROWDED + 5))}
    assert idx.first_containing((300, 700, 6, 0, (I._CROWDED + 2) * 16), 0, len(rules)) == I._CROWDED + 2
    # groups of a block of their own (first) and a block they share: crowded on the shared one
    rules = make([(Action.PERMIT, [Cube(ISet([(p * 256, p * 256), (9000, 9000)]), ISet([(700, 700)]),
                                        ISet([(6, 6)]), full, ISet([(p * 16, p * 16)]))], [])
                  for p in range(I._CROWDED + 5)])
    idx = I.RuleIndex(rules)
    assert {f.dims: f.all for f in idx.families} == {(0, 1): list(range(I._CROWDED)),
                                                    (0, 1, 2): list(range(I._CROWDED, I._CROWDED + 5))}


@settings(max_examples=150, deadline=None)
@given(rule_specs, st.lists(points, min_size=1, max_size=6), st.data())
def test_point_lookups_equal_brute_force(spec, pts, data):
    rules = make(spec)
    idx = _index(rules, data)
    n = len(rules)
    for p in pts:
        start = data.draw(st.integers(0, n))
        stop = data.draw(st.integers(start, n))
        inside = [j for j in range(start, stop) if rules[j].match.contains(p)]
        keep = data.draw(st.integers(1, 3))
        wanted = [j for j in inside if j % keep == 0]
        assert idx.first_containing_where(p, start, stop, lambda j, keep=keep: j % keep == 0) == \
            (wanted[0] if wanted else None)
        assert idx.first_containing(p, start, stop) == (inside[0] if inside else None)
        i = data.draw(st.integers(0, n - 1))
        before = any(rules[j].match.contains(p) for j in range(i))
        after = [j for j in range(i + 1, n) if rules[j].match.contains(p)]
        assert idx.around(p, i) == (before, None if before else (after[0] if after else None))


@settings(max_examples=150, deadline=None)
@given(rule_specs, cubes, st.sampled_from([None, Action.PERMIT, Action.DENY]), st.booleans(), st.data())
def test_candidates_hold_every_overlapping_rule(spec, q, action, lazy, data):
    rules = make(spec)
    idx = _index(rules, data)
    n = len(rules)
    start = data.draw(st.integers(0, n))
    stop = data.draw(st.integers(start, n))
    qs = PacketSet([q])
    must = [j for j in range(start, stop) if (action is None or rules[j].action is action)
            and (rules[j].match.overlaps(qs) or rules[j].maybe.overlaps(qs))]
    saved = I._EAGER
    I._EAGER = 0 if lazy else saved  # the merged, lazy path too
    try:
        got = list(idx.candidates((q,), start, stop, action=action))
        lists = idx.lists((q,))
        first = idx.first(lists, start, stop, action, lambda j: rules[j].match.overlaps(qs))
    finally:
        I._EAGER = saved
    assert got == sorted(set(got)), "in rule order, each once"
    assert all(start <= j < stop for j in got)
    assert action is None or all(rules[j].action is action for j in got)
    assert set(must) <= set(got)
    certain = [j for j in must if rules[j].match.overlaps(qs)]
    assert first == (certain[0] if certain else None)


@given(points)
def test_point_blocks_follow_the_dimension_table(p):
    assert I._blocks(p) == tuple(p[dim] >> shift for dim, shift, _most in I._DIMS)


@settings(max_examples=100, deadline=None)
@given(rule_specs)
def test_lists_from_a_rules_placement_hold_every_rule_overlapping_it(spec):
    # the anomaly analysis queries with a rule's own placement blocks (ranges, or sorted
    # lists for several intervals), not blocks computed from the query
    rules = make(spec)
    idx = I.RuleIndex(rules)
    for i, r in enumerate(rules):
        if not r.match:
            continue
        got = set(idx.candidates(r.match.cubes, 0, len(rules), idx.lists(r.match.cubes, idx.placements[i][1])))
        must = {j for j, o in enumerate(rules) if o.match.overlaps(r.match) or o.maybe.overlaps(r.match)}
        assert must <= got


@pytest.mark.parametrize("crowded", [I._CROWDED, 0])  # 0: rules narrow in every dimension keyed by all three
@pytest.mark.parametrize("short", [I._SHORT, 0])  # 0: every partial-key list is planned again
def test_every_family_shape_meets_every_query_shape(short, crowded, monkeypatch):
    monkeypatch.setattr(I, "_SHORT", short)
    monkeypatch.setattr(I, "_CROWDED", crowded)
    # one block, several blocks, or wide, in each indexed dimension: 27 rule shapes land in
    # every family; as queries, the same shapes take every probe (composite key, a key on
    # part of the dimensions, per-dimension lists, whole family).  All of them overlap.
    addr = [(256, 300), (256, 2000), (0, 1 << 32)]
    port = [(16, 20), (16, 100), (0, 65535)]
    shapes = [(d, s, p) for d in addr for s in addr for p in port]
    full = ISet([(0, 65535)])
    rules = make([(Action.PERMIT if k % 2 else Action.DENY,
                   [Cube(ISet([s]), ISet([d]), ISet([(6, 6)]), full, ISet([p]))], [])
                  for k, (d, s, p) in enumerate(shapes)])
    idx = I.RuleIndex(rules)
    assert len(idx.families) == (8 if crowded == 0 else 7)
    every = list(range(len(rules)))
    for i, r in enumerate(rules):
        for touched in (None, idx.placements[i][1]):
            lists = idx.lists(r.match.cubes, touched)
            assert list(idx.candidates(r.match.cubes, 0, len(rules), lists)) == every
            for action in (Action.PERMIT, Action.DENY):
                assert idx.first(lists, 0, len(rules), action, lambda j: True) == (0 if action is Action.DENY else 1)


def _two_in_one_block():
    # two intervals of one dimension in the same block, and one across the next boundary
    d = ISet([(0, 1), (200, 300)])
    return [Cube(d, d, ISet([(6, 6)]), ISet([(0, 65535)]), ISet([(16, 17), (20, 40)]))]


@settings(max_examples=300)
@example(_two_in_one_block(), (0, 8), 40)
@example(_two_in_one_block(), (4, 4), 40)
@given(st.lists(cubes, min_size=1, max_size=2), st.sampled_from([(0, 8), (1, 8), (4, 4)]), st.integers(1, 40))
def test_touched_blocks_are_the_distinct_blocks_of_the_values(cs, dim_shift, most):
    dim, shift = dim_shift
    spans = [(lo >> shift, hi >> shift) for c in cs for lo, hi in c.dims[dim].iv]
    if sum(b - a + 1 for a, b in spans) > 1000:
        blocks = list(range(most + 1))  # (many: only the count matters)
    else:
        blocks = sorted({b for a, z in spans for b in range(a, z + 1)})
    got = I._touched(cs, dim, shift, most)
    if got is None:
        # (a block is counted once per interval in it: None may come before ``most`` blocks)
        assert sum(b - a + 1 for a, b in spans) > most
    else:
        assert list(got) == blocks and len(blocks) <= most

"""Repeated lines (the same certain match as an earlier rule) are decided by hashing: the same
findings as the lookups they replace (against the analysis with no repeats known, on random rule
lists full of repeats, and against brute force), and the lookups per line do not grow with the
number of repeats (an operation count, never wall time)."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.model import Action, Rule, Source
from auditor.core.packets import Cube, ISet, PacketSet
from auditor.engine import anomalies as A
from auditor.engine import index as I
from auditor.engine.anomalies import REDUNDANT_UP, SHADOWED, analyse

R = 4
UNIVERSE = list(itertools.product(range(R), repeat=5))
dim = st.tuples(st.integers(0, R - 1), st.integers(0, R - 1)).map(lambda t: ISet.of(min(t), max(t)))
wide = st.one_of(dim, st.just(ISet.of(0, R - 1)))
cubes = st.lists(st.builds(Cube, wide, wide, wide, wide, wide), min_size=1, max_size=2)
# (action, which of a few matches, uncertain): few matches, so most rules repeat an earlier one
rows = st.lists(st.tuples(st.sampled_from([Action.PERMIT, Action.DENY]), st.integers(0, 3), st.booleans()),
                min_size=1, max_size=9)


def build(matches, rows):
    out = []
    for i, (action, m, unsure) in enumerate(rows):
        maybe = PacketSet([Cube(*(ISet.of(R - 1) for _ in range(5)))]) if unsure and i % 3 == 0 else PacketSet()
        out.append(Rule("F", i, action, PacketSet(matches[m]), Source("t", i + 1, "r%d" % i), maybe=maybe))
    return out


def summary(found):
    return [(a.kind, a.rule.index, tuple(o.index for o in a.others), a.example, a.more) for a in found]


def no_repeats_known(boxes, cubes):
    return list(range(len(cubes)))


@settings(max_examples=300, deadline=None)
@given(st.lists(cubes, min_size=4, max_size=4), rows, st.sampled_from([Action.DENY, Action.PERMIT]))
def test_repeats_get_the_findings_the_lookups_give(matches, rows, default):
    rules = build(matches, rows)
    fast = summary(analyse(rules, default))
    orig = I.first_same
    I.first_same = no_repeats_known
    try:
        slow = summary(analyse(rules, default))
    finally:
        I.first_same = orig
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.lists(cubes, min_size=4, max_size=4), rows)
def test_a_certain_repeat_is_reported_as_deciding_nothing(matches, rows):
    rules = build(matches, rows)
    found = {(a.rule.index, a.kind) for a in analyse(rules, Action.DENY)}
    seen = set()
    for r, (_action, m, _unsure) in zip(rules, rows):
        if m in seen and not r.maybe:
            assert (r.index, SHADOWED) in found or (r.index, REDUNDANT_UP) in found
        seen.add(m)


def _lines(n: int, copies: int) -> list[Rule]:
    """``n`` distinct hosts, then every one of them again ``copies`` times."""
    out = []
    for k in range(n * (1 + copies)):
        host = 0x0A000000 + (k % n)
        c = Cube(ISet.of(host), ISet.of(0x0B000000 + (k % n)), ISet.of(6), ISet.of(0, 65535), ISet.of(80))
        out.append(Rule("F", k, Action.PERMIT, PacketSet([c]), Source("t", k + 1, "r%d" % k)))
    return out


def _cover_lookups(rules) -> int:
    calls = [0]
    orig = A._single_cover

    def counted(*a, **k):
        calls[0] += 1
        return orig(*a, **k)

    A._single_cover = counted
    try:
        found = analyse(rules)
    finally:
        A._single_cover = orig
    assert sum(a.kind == REDUNDANT_UP for a in found) == len(rules) - len({r.match.cubes for r in rules})
    return calls[0]


def test_the_cover_of_a_line_is_looked_up_once_however_often_it_repeats():
    """The old analysis looked up the covering rule of every repeat (point lookups per line);
    now once per distinct line, whatever the number of copies."""
    assert _cover_lookups(_lines(50, 1)) == _cover_lookups(_lines(50, 20)) <= 50


@pytest.mark.parametrize("budget", [0, 1, 64])
def test_repeats_cut_nothing_when_later_rules_are_followed_or_asked(budget):
    """A repeat of a rule already followed (or, once the remainder is frozen, of one after
    the rules it was cut by) is passed over in ``_follow`` and ``_uncovered``: the same
    answers, deciding rules and examples as with no repeats known, with ``maybe`` rules too
    and whether what is left is followed or asked about rule by rule (``_BUDGET``).  (Seeded:
    lists with runs of copies and a few distinct matches.)"""
    rng = random.Random(7)
    dims = [ISet.of(0, R - 1), ISet.of(0, 1), ISet.of(1, 2), ISet.of(2, 3), ISet.of(3)]
    pool = [[Cube(*(rng.choice(dims) for _ in range(5))) for _ in range(rng.randrange(1, 3))] for _ in range(6)]
    saved, orig = A._BUDGET, I.first_same
    A._BUDGET = budget
    try:
        for _ in range(600):
            rules = []
            while len(rules) < rng.randrange(3, 14):
                action, m = rng.choice([Action.PERMIT, Action.DENY]), rng.randrange(len(pool))
                unsure = rng.random() < 0.15
                for _copy in range(rng.choice([1, 1, 1, 2, 4])):
                    k = len(rules)
                    rules.append(Rule("F", k, action, PacketSet(pool[m]), Source("t", k + 1, "r%d" % k),
                                      maybe=PacketSet([Cube(*(ISet.of(R - 1),) * 5)]) if unsure else PacketSet()))
            default = rng.choice([Action.PERMIT, Action.DENY])
            fast = summary(analyse(rules, default))
            I.first_same = no_repeats_known
            try:
                assert summary(analyse(rules, default)) == fast
            finally:
                I.first_same = orig
    finally:
        A._BUDGET, I.first_same = saved, orig

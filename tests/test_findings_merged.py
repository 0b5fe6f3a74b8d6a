"""``findings.merged`` (the cubes of a finding's packets joined for its text): the same packets,
never more cubes, and pieces alike in four dimensions always joined; its work stays linear in
the size of the pieces (issue 20: a 100,000-member group's excess took 17 s, pair by pair)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.packets import ISet, PacketSet, cube
from auditor.findings import merged

ivs = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)).map(lambda t: (t[0], t[0] + t[1])),
               min_size=1, max_size=3).map(ISet)
cubes = st.builds(lambda s, d, p, dp: cube(src=s, dst=d, proto=p, dport=dp), ivs, ivs, ivs, ivs)


def _points(ps: PacketSet) -> set:
    """Every packet of ``ps`` (small sets only: the brute-force oracle)."""
    out = set()
    for c in ps.cubes:
        s, d, p, _sp, dp = c.dims
        for a in (x for lo, hi in s.iv for x in range(lo, hi + 1)):
            for b in (x for lo, hi in d.iv for x in range(lo, hi + 1)):
                for q in (x for lo, hi in p.iv for x in range(lo, hi + 1)):
                    for r in (x for lo, hi in dp.iv for x in range(lo, hi + 1)):
                        out.add((a, b, q, r))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(cubes, max_size=5))
def test_same_packets_no_more_cubes(cs):
    ps = PacketSet(cs)
    m = merged(ps)
    assert _points(m) == _points(ps)
    assert len(m.cubes) <= len(ps.cubes)
    # cubes that were disjoint stay disjoint (a packet in two parts would be described twice)
    def disjoint(cs):
        return all(not a.overlaps(b) for i, a in enumerate(cs) for b in cs[i + 1:])

    if disjoint(ps.cubes):
        assert disjoint(m.cubes)


def test_pieces_alike_but_one_dimension_are_joined():
    pieces = PacketSet([cube(src=ISet.of(k * 10, k * 10 + 3), dst=ISet.of(5), proto=ISet.of(6)) for k in range(50)])
    m = merged(pieces)
    assert len(m.cubes) == 1 and len(m.cubes[0].dims[0].iv) == 50


def test_large_pieces_are_joined_in_one_union(monkeypatch):
    # 200 pieces of a 100,000-host group: one union per group, not one per pair
    import auditor.core.packets as P

    calls = []
    orig = P._normalise
    monkeypatch.setattr(P, "_normalise", lambda ivs: calls.append(1) or orig(ivs))
    big = [cube(src=ISet([(x, x) for x in range(k * 1000, k * 1000 + 500, 2)]), dst=ISet.of(k), proto=ISet.of(6))
           for k in range(200)]
    ps = PacketSet.of_cubes(big)
    calls.clear()
    m = merged(ps)
    assert len(m.cubes) == 200  # (nothing alike: dst differs)
    alike = PacketSet.of_cubes([cube(src=c.dims[0], dst=ISet.of(7), proto=ISet.of(6)) for c in big])
    calls.clear()
    m = merged(alike)
    assert len(m.cubes) == 1 and len(calls) <= 2

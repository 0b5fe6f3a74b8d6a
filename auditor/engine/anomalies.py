"""Exact rule anomalies in one ordered filter: shadowed, redundant, conflicting.

Definitions (first match, over the rules' certain ``match`` sets):

* **shadowed**: the rule matches no packet that no earlier rule matches
  (one or several earlier rules together cover it).  Reported as ACL200
  when some covering rule has the other action, as ACL201 ("redundant,
  upward") when all covering rules have the same action.
* **redundant, downward** (ACL201): the rule decides some packets, but every
  one of them would get the same decision from the rules after it (or the
  filter's default) if it were removed.
* **conflict** (ACL202): the rule is not shadowed and partly overlaps an
  earlier rule of the other action that decides some of its packets (not
  one that earlier rules shadow there).

Each example is a packet decided as its finding says (first match): a
shadowed rule's, one an earlier line it names decides the other way; an
upward-redundant rule's, one an earlier line it names decides; a
downward-redundant rule's, one the rule decides and, without it, a line it
names (the default, when it names none); a conflict's, one the earlier line
decides (``_decided_by``).

Everything is exact.  Speed comes from cheap witnesses first: a point of
the rule that no earlier rule contains proves "not shadowed"; a point that
a later rule of the other action decides proves "not redundant".  Exact set
subtraction runs only when no witness is found, over candidates from an
index (buckets per dimension: /24 address blocks, 16-port blocks), never
over all earlier rules.

Example packets avoid the addresses a filter never sees where the anomaly has another packet
(``away``: as sources, as destinations; ``checks.anomalies.unseen``): a transit filter (an ASA
interface ACL, a zone policy, a FORWARD chain) never sees a packet from or to the firewall itself,
which its access rules do not decide (to-the-box traffic), and an INPUT chain sees only packets to it.
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from auditor.core.model import Action, Rule
from auditor.core.packets import ALL_V4, ALL_V6, NOTHING, V4_BASE, V4_MAX, Cube, Cuts, ISet, PacketSet, cube
from auditor.engine import workers
from auditor.engine.index import RuleIndex

_FULL = (ISet.of(0, (1 << 128) - 1), ISet.of(0, 255), ISet.of(0, 65535), ISet.of(0, 65535))
_FULL = (_FULL[0],) + _FULL
_FULL_HULL = tuple(x for d in _FULL for x in (d.lo, d.hi))  # (its bounds: ``RuleIndex.hulls``)
# every packet of one address family (an 'any4 any4' rule, an iptables chain's policy): at the end of a
# list it restates the default for that family as a catch-all of every address does
_FAMILY_FULL = tuple((a, a) + _FULL[2:] for a in (ALL_V4, ALL_V6))

SHADOWED, REDUNDANT_UP, REDUNDANT_DOWN, CONFLICT = "shadowed", "redundant-upward", "redundant-downward", "conflict"

@dataclass(frozen=True)
class Anomaly:
    kind: str
    rule: Rule
    others: tuple[Rule, ...]  # covering / redundancy-making / conflicting lines
    example: tuple[int, int, int, int, int] | None = None
    more: bool = False  # ``others`` are the first few of more such lines (``LISTED``)
    default: bool = False  # (redundant, downward) the filter's default decides some of its packets too
    # earlier lines that may match (``Rule.maybe``) packets the finding is about before the lines it
    # names: the example, when no packet showing the finding avoids them (then every such packet is
    # one they may decide first); for an upward-redundant rule, some packet they may decide otherwise
    unsure: tuple[Rule, ...] = ()


def _overlap(a: Sequence[Cube], b: Sequence[Cube]) -> bool:
    for x in a:
        for y in b:
            if x.overlaps(y):
                return True
    return False


def _corner(c: Cube) -> tuple:
    """A cube's lowest point (its low corner; spelled out: it is asked for in every exact search)."""
    s, d, p, sp, dp = c.dims
    return (s.iv[0][0], d.iv[0][0], p.iv[0][0], sp.iv[0][0], dp.iv[0][0])


def _random_point(c: Cube, rng: random.Random) -> tuple:
    """A pseudo-random point of a cube (uniform over each dimension's values)."""
    out = []
    for d in c.dims:
        iv = d.iv
        if len(iv) == 1:
            lo, hi = iv[0]
        else:
            lo, hi = iv[rng.randrange(len(iv))]
        out.append(lo if lo == hi else lo + rng.randrange(hi - lo + 1))
    return tuple(out)


_V4_UNICAST = ISet.of(V4_BASE + (1 << 24), V4_MAX - (1 << 28))


def _witnesses(cubes: Sequence[Cube], seed: int) -> Iterator[tuple]:
    """A few concrete points of a rule after its low corner (which the caller tries first),
    cheapest first: other corners, then random inner points.

    A random point of a broad rule is rarely inside the narrow rules before it, so it
    usually proves "not shadowed" at once; corners catch the narrow cases.  Points are
    made lazily: most rules need only the first.  The random ones are seeded per rule,
    so a rule's witnesses do not depend on which other rules were analysed before it.
    """
    c = cubes[0]
    s4, d4 = c.dims[0].intersect(_V4_UNICAST), c.dims[1].intersect(_V4_UNICAST)
    if s4 and d4:
        yield (s4.lo, d4.lo, c.dims[2].lo, c.dims[3].lo, c.dims[4].lo)
        yield (s4.hi, d4.hi, c.dims[2].hi, c.dims[3].hi, c.dims[4].hi)
    yield tuple(d.hi for d in c.dims)
    rng = random.Random(seed)
    yield _random_point(c, rng)
    yield _random_point(cubes[-1], rng)


@dataclass(frozen=True)
class Prepared:
    """One filter made ready for analysis: its live rules and their index."""

    live: list[Rule]
    idx: RuleIndex
    default: Action | None  # what decides packets no rule matches (None: nothing, a user chain's end)
    conflicts: bool
    by_action: dict  # action -> positions in ``live`` of the rules with it, in order
    maybe: bool  # some rule may match more than it surely does
    memo: dict  # (covering rule, cubes) -> the first earlier rule of the other action deciding some of them
    repeats: dict  # (first position, action) -> the finding of every certain repeat of it (``_repeat``)
    avoid: PacketSet | None = None  # the packets examples avoid: from or to the addresses of ``away`` (``_example``)
    doubts: "_Doubts | None" = None  # the rules' maybe parts, when some rule has one (``_sure``)


class _Part:
    """A rule's maybe part as the index takes a rule: its match, with nothing uncertain (a record of
    the three fields the index reads, not a copy of the rule)."""

    __slots__ = ("match", "maybe", "action")

    def __init__(self, r: Rule):
        self.match, self.maybe, self.action = r.maybe, NOTHING, r.action


class _Doubts:
    """Which rules of a filter may match a packet (their ``maybe`` parts: an FQDN object, an App-ID
    application, a schedule, a user), indexed as the certain matches are."""

    def __init__(self, live: Sequence[Rule]):
        self.at = [i for i, r in enumerate(live) if r.maybe]  # (their positions in ``live``)
        self.idx = RuleIndex([_Part(live[i]) for i in self.at])

    def first(self, p: tuple, start: int, stop: int) -> int | None:
        """The first rule in [start, stop) that may match packet ``p``."""
        k = self.idx.first_containing(p, bisect_left(self.at, start), bisect_left(self.at, stop))
        return None if k is None else self.at[k]

    def meeting(self, cubes, stop: int) -> Iterator[int]:
        """The rules before ``stop`` that may match a packet of ``cubes``, in order."""
        for k in self.idx.candidates(cubes, 0, bisect_left(self.at, stop)):
            if _overlap(self.idx.cubes[k], cubes):
                yield self.at[k]


def live_rules(rules: Sequence[Rule]) -> list[Rule]:
    """The rules the analysis looks at (enabled, with something to match), in order."""
    return [r for r in rules if r.enabled and (r.match.cubes or r.maybe.cubes)]


def prepare(rules: Sequence[Rule], default: Action | None = Action.DENY, conflicts: bool = True,
            away: tuple | None = None) -> Prepared:
    """A filter's live rules and their index, ready for ``analyse_part``; ``away``: the addresses
    its examples avoid, as (sources, destinations), each an ``ISet`` or None."""
    live = live_rules(rules)
    idx = RuleIndex(live)
    by_action = {a: [i for i, r in enumerate(live) if r.action is a] for a in (Action.PERMIT, Action.DENY)}
    avoid = None if away is None or not any(away) else PacketSet(
        ([cube(src=away[0])] if away[0] else []) + ([cube(dst=away[1])] if away[1] else []))
    maybe = any(r.maybe for r in live)
    return Prepared(live, idx, default, conflicts, by_action, maybe, {}, {}, avoid, _Doubts(live) if maybe else None)


def analyse(rules: Sequence[Rule], default: Action | None = Action.DENY, conflicts: bool = True,
            away: tuple | None = None) -> list[Anomaly]:
    """Anomalies of an ordered rule list (enabled rules only) with the given default (``None``:
    packets that match no rule are not decided here, as at the end of a user chain; no rule is
    then redundant because the default would decide its packets alike); examples avoid ``away``."""
    from auditor.core.progress import report

    prep = prepare(rules, default, conflicts, away)
    n = len(prep.live)
    out: list[Anomaly] = []
    for lo in range(0, n, 1024):
        report("rule anomalies", lo, n)
        out += analyse_part(prep, lo, min(n, lo + 1024))
    return out


def analyse_part(prep: Prepared, lo: int, hi: int) -> list[Anomaly]:
    """Anomalies of the live rules at positions [lo, hi); each rule's result is independent."""
    live, idx = prep.live, prep.idx
    n = len(live)
    out: list[Anomaly] = []
    for i in range(lo, hi):
        rule = live[i]
        cubes = idx.cubes[i]
        if not cubes:
            continue  # a line not understood: nothing certain to analyse
        certain = not rule.maybe
        witness = later = single = None
        bx = idx.boxes[i]
        first = idx.first_same[i]
        if first != i:  # the same match as an earlier rule's: covered, decided as that rule's repeats are
            if certain:
                found = _repeat(prep, i, first)
                if found is not None:
                    out.append(_anomaly(prep, found[0], i, found[1], found[2]))
                    continue
            else:
                continue  # covered, but the rule itself is uncertain: claim nothing
            single = _first_cover(idx, live, first)  # (no finding that way: the exact search below)
        else:  # the first witness (the low corner), without the generator
            # (a box's, or one cube's: the low ends of its bounds)
            h = bx if bx is not None else idx.hulls[i] if len(cubes) == 1 else None
            corner = (h[0], h[2], h[4], h[6], h[8]) if h is not None else _corner(cubes[0])
            before, later = idx.around(corner, i)
            if not before:
                witness = corner  # (a free corner rules a cover out: no lookup, as for most rules)
            else:
                # one earlier rule containing it all is the usual cover (a repeated line): it holds
                # the corner too; then no point of the rule can be a witness, and the others need
                # not be tried
                single = _single_cover(idx, live, i, cubes, corner)
                if single is None:
                    for p in _witnesses(cubes, i):
                        before, later = idx.around(p, i)
                        if not before:
                            witness = p
                            break
        if witness is None:
            if single is not None and certain:
                found = _by_cover(prep, i, single) if first == i else None
                if found is not None:
                    out.append(_anomaly(prep, found[0], i, found[1], found[2]))
                    continue
            elif single is not None:
                continue  # covered, but the rule itself is uncertain: claim nothing
            if single is not None:  # covered by the rules up to ``single``: which of them cut into it
                witness, cover = None, _cover(idx, live, rule.match, single + 1)
            else:
                witness, cover = _uncovered(idx, live, rule.match, 0, i)
            later = idx.first_containing(witness, i + 1, n) if witness is not None else None
            if witness is None:
                if certain:
                    covering = tuple(live[j] for j in cover)
                    # shadowed: the example is one the first covering rule of the other action
                    # decides (each covering rule decides some of it: it cut what was left)
                    other = next((j for j in cover if live[j].action is not rule.action), None)
                    kind = REDUNDANT_UP if other is None else SHADOWED
                    example = _example(prep, rule.match) if other is None else _decided_by(
                        prep, rule.match.intersect(live[other].match), other)
                    if _doubted(prep, example, i):  # (an earlier rule may match it first)
                        example = _sure_in(prep, rule.match, [j for j in cover if other is None or
                                                              live[j].action is not rule.action]) or example
                    out.append(_anomaly(prep, kind, i, covering, example))
                continue
        lists = None
        # (a cube of everything makes the bounds everything: compared first, as ints)
        catch_all = idx.hulls[i] == _FULL_HULL and any(c.dims == _FULL for c in cubes)
        if prep.conflicts and not catch_all:  # a catch-all overlaps everything: nothing to learn
            lists = idx.rule_lists(i)
            found = _first_conflict(prep, i, lists)
            if found is not None:
                out.append(_anomaly(prep, CONFLICT, i, (live[found[0]],), found[1]))
        if certain and not (i == n - 1 and (catch_all or any(c.dims in _FAMILY_FULL for c in cubes))):
            # (an explicit catch-all at the end restates the default on purpose: not reported)
            red = _downward(prep, i, cubes, witness, later, lists)
            if red is not None:
                out.append(_anomaly(prep, REDUNDANT_DOWN, i, *red))
    return out


def _by_cover(prep: Prepared, i: int, single: int) -> tuple | None:
    """(kind, others, example) of certain rule i, inside the earlier rule ``single`` (its first
    such rule), when that decides it: redundant (upward) or shadowed; None when the exact
    search must decide (``single`` is of the other action and decides none of it)."""
    idx, live = prep.idx, prep.live
    rule = live[i]
    cubes = idx.cubes[i]
    others = (live[single],)
    if live[single].action is rule.action:
        # an earlier rule of the other action may still decide part of it first
        # (the same for every repeat of a line: asked once per covering rule)
        key = (single, cubes)
        c = prep.memo[key] if key in prep.memo else prep.memo.setdefault(
            key, _first_decider(idx, live, single, cubes, _opposite(rule.action)))
        if c is not None:  # shadowed: the example is a packet rule c decides
            example = _decided_by(prep, rule.match.intersect(live[c].match), c)
            # (an earlier rule may match it first: the exact search looks among all covering lines)
            return None if _doubted(prep, example, i) else (SHADOWED, (live[c], live[single]), example)
    # the example is a packet the covering rule decides: earlier rules of the rule's action
    # may decide all of it between them (then the exact search names them)
    example = _decided_by(prep, rule.match, single)
    if example is None or _doubted(prep, example, i):
        return None
    return REDUNDANT_UP if live[single].action is rule.action else SHADOWED, others, example


def _example(prep: Prepared, packets: PacketSet) -> tuple | None:
    """``packets.example()``, or one outside ``prep.avoid`` when it is inside and ``packets`` has
    another (any packet of ``packets`` shows the anomaly it is taken for)."""
    p = packets.example()
    if p is None or prep.avoid is None or not prep.avoid.contains(p):
        return p
    return packets.example(prep.avoid)


def _decided_by(prep: Prepared, packets: PacketSet, stop: int, skip: tuple[int, int] | None = None) -> tuple | None:
    """A packet of ``packets`` that no rule before ``stop`` matches (but those in ``skip``, a range
    [a, b)): ``_example``'s when it is one, else a point of the exact search (``_uncovered``), one
    outside ``prep.avoid`` when there is one; None when the rules before ``stop`` match them all.
    The example of a finding that names a rule deciding some packets (``packets``: of that rule,
    ``stop``: its position) is one it does decide, not one an earlier rule decides first; and one
    that no earlier rule may match either (``Rule.maybe``: it could decide it first), when there is
    one (else ``_doubted`` names those rules)."""
    idx = prep.idx
    ranges = ((0, stop),) if skip is None else ((0, skip[0]), (skip[1], stop))
    p = _example(prep, packets)
    if p is None or _free(idx, p, ranges, prep.doubts):
        return p
    if prep.doubts is not None:
        q = _sure_point(prep, packets, stop, skip)
        if q is not None:
            return q
        if _free(idx, p, ranges):
            return p
    return _search(prep, packets, stop, skip)


def _sure_point(prep: Prepared, packets: PacketSet, stop: int, skip: tuple[int, int] | None = None) -> tuple | None:
    """A packet of ``packets`` that no rule before ``stop`` (but those in ``skip``, none of which may
    match) matches or may match (``Rule.maybe``), or None.  What the few rules that may match some of
    them leave (none: there is no such packet) is searched as ``_decided_by`` does, readable first;
    past a few such rules, exactly with their maybe parts cut too (``_uncovered``)."""
    doubts = prep.doubts
    assert doubts is not None
    ranges = ((0, stop),) if skip is None else ((0, skip[0]), (skip[1], stop))
    unsure = list(itertools.islice(doubts.meeting(packets.cubes, stop), 9))
    if len(unsure) <= 8:
        rest = packets
        for k in unsure:
            rest = rest.subtract(prep.live[k].maybe)
            if not rest:
                return None  # (every one of them may be matched first)
        p = _example(prep, rest)
        return p if p is None or _free(prep.idx, p, ranges) else _search(prep, rest, stop, skip)
    p = _uncovered(prep.idx, prep.live, packets, 0, stop, skip, doubts)[0]
    if p is None or prep.avoid is None or not prep.avoid.contains(p):
        return p
    return _search(prep, packets, stop, skip, doubts) or p


def _search(prep: Prepared, packets: PacketSet, stop: int, skip: tuple[int, int] | None = None,
            doubts: _Doubts | None = None) -> tuple | None:
    """A point of ``packets`` that no rule before ``stop`` (but those in ``skip``) matches, nor, with
    ``doubts``, may match (``_uncovered``), one outside ``prep.avoid`` when there is one."""
    if prep.avoid is not None:
        rest = packets.subtract(prep.avoid)
        if rest:
            p = _uncovered(prep.idx, prep.live, rest, 0, stop, skip, doubts)[0]
            if p is not None:
                return p
    return _uncovered(prep.idx, prep.live, packets, 0, stop, skip, doubts)[0]


def _sure_in(prep: Prepared, packets: PacketSet, deciders: Iterable[int], skip: tuple[int, int] | None = None
             ) -> tuple | None:
    """A packet of ``packets`` that one of the rules ``deciders`` decides (without those in ``skip``;
    None: the default, after the last rule) and no earlier rule may match (``Rule.maybe``), the
    first such rule's, or None."""
    n = len(prep.live)
    for j in deciders:
        part = packets if j is None else packets.intersect(prep.live[j].match)
        p = _sure_point(prep, part, n if j is None else j, skip) if part else None
        if p is not None:
            return p
    return None


def _doubted(prep: Prepared, p: tuple | None, i: int, down: bool = False) -> list[int]:
    """The rules that may match (``Rule.maybe``) the example ``p`` of rule i's finding before the
    line that decides it, the first that matches it for certain (``down``, a downward-redundant
    rule's example: rule i decides it, and without rule i that line does), at most ``LISTED``."""
    if prep.doubts is None or p is None:
        return []
    idx, n = prep.idx, len(prep.live)
    k = prep.doubts.first(p, 0, n if down else i)
    if k is None:
        return []  # (the usual case: no lookup of the line that decides it)
    d = idx.first_containing(p, i + 1, n) if down else idx.first_containing(p, 0, i)
    stop = (n if down else i) if d is None else d
    out: list[int] = []
    while k is not None and k < stop and len(out) < LISTED:
        out.append(k)
        k = prep.doubts.first(p, k + 1, stop)
    return out


def _anomaly(prep: Prepared, kind: str, i: int, others: tuple[Rule, ...], example, more: bool = False,
             default: bool = False) -> Anomaly:
    """The finding, with the earlier rules that may decide its packets otherwise (``Anomaly.unsure``)."""
    unsure: tuple[Rule, ...] = ()
    if prep.doubts is not None:
        live = prep.live
        found = _doubted(prep, example, i, kind == REDUNDANT_DOWN)
        if kind == REDUNDANT_UP:
            # "earlier lines already decide everything it matches as it would": not where an earlier
            # rule may match some of it first and act otherwise (or in a way not known)
            rule = live[i]
            for k in prep.doubts.meeting(prep.idx.cubes[i], i):
                r = live[k]
                if k in found or r.sure_action and r.action is rule.action:
                    continue
                part = rule.match.intersect(r.maybe)
                if part and _reaches(prep.idx, live, part, k + 1):  # (rule k's match decides what it holds)
                    found.append(k)
        unsure = tuple(live[k] for k in sorted(found)[:LISTED])
    return Anomaly(kind, prep.live[i], others, example, more, default, unsure)


def _repeat(prep: Prepared, i: int, first: int) -> tuple | None:
    """``_by_cover`` of certain rule i, whose match is that of the earlier rule ``first`` (the
    first with it): the same for every certain repeat of ``first`` with rule i's action, so
    worked out once per (``first``, action).

    Rule i's first earlier rule holding all of it (``_single_cover``) is ``first``'s (a rule
    holding one of two equal sets holds the other), or ``first`` itself when it has none: a
    dictionary lookup in place of the point lookups per repeat.  What follows from it depends
    only on that rule, rule i's match (equal cubes: the same set, the same example) and its
    action.
    """
    key = (first, prep.live[i].action)
    if key not in prep.repeats:
        prep.repeats[key] = _by_cover(prep, i, _first_cover(prep.idx, prep.live, first))
    return prep.repeats[key]


def _first_cover(idx: RuleIndex, live, first: int) -> int:
    """The first rule holding all of rule ``first``'s match, itself when no earlier one does."""
    cubes = idx.cubes[first]
    single = _single_cover(idx, live, first, cubes, _corner(cubes[0]))
    return first if single is None else single


def _uncovered(idx: RuleIndex, live, target: PacketSet, start: int, stop: int, skip: tuple[int, int] | None = None,
               doubts: _Doubts | None = None):
    """(a point of ``target`` no rule in [start, stop) matches, or None; the rules that cut into it).

    Exact: ``target`` minus every overlapping rule's match, in rule order, so the
    rules that cut into it are the ones that decide its packets first; after each
    cut, corners and random points of what is left are tried as witnesses, so the
    work stops as soon as a point is known to be uncovered.  While the rules cut what is
    left (one cube) in the same dimension only, as a blacklist of hosts cuts "any", the
    cuts are made in place (``packets.Cuts``): a long chain of them stays linear.
    ``skip``: a range [a, b) inside [start, stop) whose rules are left out.  With ``doubts``, a
    point no rule in them may match either (its ``maybe`` part cuts as its match does).
    """
    rng = random.Random(stop)  # deterministic per call: same inputs, same witness
    rem = target
    run = None  # while the rules cut rem's one cube in the same dimension: the Cuts of it
    cover: list[int] = []
    if skip is None:
        ranges = ((start, stop),)
        todo: Iterable[int] = idx.candidates(target.cubes, start, stop)
    else:
        ranges = ((start, skip[0]), (skip[1], stop))
        lists = idx.lists(target.cubes)
        todo = itertools.chain.from_iterable(idx.candidates(target.cubes, a, b, lists) for a, b in ranges)
    same = idx.first_same
    for j in todo:
        other = live[j].match
        if doubts is not None and live[j].maybe:
            other = other.union(live[j].maybe)
        elif not other:
            continue
        f = same[j]
        if f != j and f >= start and (skip is None or not skip[0] <= f < skip[1]) and (
                run is None or run.takes(other)) and (doubts is None or not live[j].maybe):
            # a repeat of rule f, which came before it (in the ranges: a candidate too) and left
            # nothing of it in ``rem``: it cuts nothing (as a run of 5,000 copies of a line)
            continue
        if run is not None and not run.takes(other):
            rem, run = run.packets(), None
        if run is None:
            if not rem.overlaps(other):
                continue
            run = Cuts.of(rem, other)
            if run is None:
                rem = rem.subtract(other)
        if run is not None and not run.cut(other):
            continue  # (a run just begun always cuts: the rule overlaps what is left)
        cover.append(j)
        if not (run.ivs if run is not None else rem):
            return None, cover
        if len(cover) > 16 and len(cover) & 15:
            continue  # on long chains of cuts, look for a witness every 16th cut
        for c in (run.packets() if run is not None else rem).cubes[:4]:
            for p in (_corner(c), _random_point(c, rng)):
                if _free(idx, p, ranges, doubts):
                    return p, cover
    if run is not None:
        rem = run.packets()
    if rem:
        return _corner(rem.cubes[0]), cover
    return None, cover


_PIECES = 32  # cubes what is left of a covered rule may be in before the later rules are asked one by one


def _cover(idx: RuleIndex, live, target: PacketSet, stop: int) -> list[int]:
    """``_uncovered(idx, live, target, 0, stop)[1]`` where the rules before ``stop`` are known to match
    all of ``target`` (a rule before it holds it all): the rules that cut into it, in order.

    No witness is looked for (there is none).  What is left is cut as ``_uncovered`` cuts it until it
    is in more than ``_PIECES`` cubes; from there each later rule is asked on its own whether it cuts
    into it, i.e. whether its part of ``target`` holds a packet that no rule before it matches
    (``_reaches``: mostly a point lookup).  The same rules, without a pass over hundreds of pieces for
    each (a deny-all after 200 zone rules of several address blocks and ports, a permit-all among them:
    the pieces grew to 300, and the search took 48 ms, now 5).
    """
    rem = target
    cover: list[int] = []
    same = idx.first_same
    for j in idx.candidates(target.cubes, 0, stop):
        other = live[j].match
        if not other or same[j] != j:
            continue  # (a repeat of an earlier rule, which cut all of it that was left: it cuts nothing)
        if len(rem.cubes) <= _PIECES:
            if rem.overlaps(other):
                rem = rem.subtract(other)
                cover.append(j)
                if not rem:
                    return cover
        elif target.overlaps(other) and _reaches(idx, live, target.intersect(other), j):
            cover.append(j)
    return cover


def _free(idx: RuleIndex, p: tuple, ranges, doubts: _Doubts | None = None) -> bool:
    """No rule in the (start, stop) ``ranges`` contains point ``p`` (nor, with ``doubts``, may
    contain it)."""
    for a, b in ranges:
        if a < b and (idx.first_containing(p, a, b) is not None or
                      doubts is not None and doubts.first(p, a, b) is not None):
            return False
    return True


def _reaches(idx: RuleIndex, live, target: PacketSet, stop: int, skip: tuple[int, int] | None = None) -> bool:
    """Some packet of ``target`` (not empty) matches no rule before ``stop`` (but those in
    ``skip``, a range [a, b)): its low corner first (point lookups), then exactly (``_uncovered``)."""
    if _free(idx, _corner(target.cubes[0]), ((0, stop),) if skip is None else ((0, skip[0]), (skip[1], stop))):
        return True
    return _uncovered(idx, live, target, 0, stop, skip)[0] is not None


def _cube_le(a: Cube, b: Cube) -> bool:
    for x, y in zip(a.dims, b.dims):
        if not x.issubset(y):
            return False
    return True


def _single_cover(idx: RuleIndex, live, i: int, cubes, point) -> int | None:
    """The first earlier rule one of whose cubes contains each cube of rule i, if any.

    Such a rule contains every point of rule i, so only the rules containing
    one known point of it are candidates: a point lookup, not a scan.
    """
    def holds(j: int) -> bool:
        other = idx.cubes[j]
        return all(any(_cube_le(c, o) for o in other) for c in cubes)

    return idx.first_containing_where(point, 0, i, holds)


def _opposite(action: Action) -> Action:
    return Action.DENY if action is Action.PERMIT else Action.PERMIT


def _first_decider(idx: RuleIndex, live, stop: int, cubes, action: Action) -> int | None:
    """The first rule of ``action`` before ``stop`` that decides a packet of ``cubes``."""
    target = PacketSet.of_cubes(cubes)  # (a rule's own cubes: not empty)

    def decides(j: int) -> bool:
        m = live[j].match
        return bool(m) and target.overlaps(m) and _reaches(idx, live, target.intersect(m), j)

    return idx.first(idx.lists(cubes), 0, stop, action, decides)


def _meets(idx: RuleIndex, i: int, j: int) -> bool:
    """Rules i and j have a packet in common (bounds compared inline: the hulls, which
    decide it for boxes and rule most other pairs out)."""
    a, b = idx.hulls[i], idx.hulls[j]
    if not (a[0] <= b[1] and b[0] <= a[1] and a[2] <= b[3] and b[2] <= a[3] and a[4] <= b[5]
            and b[4] <= a[5] and a[6] <= b[7] and b[6] <= a[7] and a[8] <= b[9] and b[8] <= a[9]):
        return False
    if idx.boxes[i] is None or idx.boxes[j] is None:
        return _overlap(idx.cubes[i], idx.cubes[j])
    return True


def _first_conflict(prep: Prepared, i: int, lists) -> tuple[int, tuple] | None:
    """(the first earlier rule of the other action that decides a packet of rule i, such a packet).

    Not merely the first that overlaps it: where earlier rules decide all of the overlap, that
    rule decides none of rule i's packets, and its overlap's example would be decided by another.
    """
    idx, live = prep.idx, prep.live
    match = live[i].match
    # (a rule with an empty match has an empty hull: it meets nothing)
    other = _opposite(live[i].action)
    j = idx.first(lists, 0, i, other, lambda j: _meets(idx, i, j) and _decides(prep, i, j))
    if j is None:
        return None
    example = _decided_by(prep, match.intersect(live[j].match), j)
    if _doubted(prep, example, i):
        # an earlier rule may match every packet rule j decides first: the first rule of the other
        # action that decides one no earlier rule may match, if any
        k = idx.first(lists, j + 1, i, other, lambda k: _meets(idx, i, k) and _sure_in(prep, match, (k,)) is not None)
        if k is not None:
            return k, _sure_in(prep, match, (k,))
    return j, example


def _decides(prep: Prepared, i: int, j: int, skip: tuple[int, int] | None = None) -> bool:
    """Rule j decides some packet of rule i (they meet: ``_meets``): one no rule before j matches
    (but those in ``skip``); the low corner of their meet first (a point lookup), then exactly."""
    idx, live = prep.idx, prep.live
    both = None
    if idx.boxes[i] is not None and idx.boxes[j] is not None:
        p = _common_point(idx, live[i], i, live[j], j)
    else:
        both = live[i].match.intersect(live[j].match)
        p = _corner(both.cubes[0]) if both else None
    if p is None:
        return False
    ranges = ((0, j),) if skip is None else ((0, skip[0]), (skip[1], j))
    if _free(idx, p, ranges):
        return True
    both = both or live[i].match.intersect(live[j].match)
    return _uncovered(idx, live, both, 0, j, skip)[0] is not None


def _downward(prep: Prepared, i: int, cubes, witness, later: int | None, lists):
    """(deciding later rules, example, ``Anomaly.more``, ``Anomaly.default``) when removing rule i
    changes no decision, else None.

    ``witness`` is a point rule i decides; ``later`` the first rule after i containing it.

    Removing rule i hands the packets it decides (its match minus earlier
    rules) to the later rules.  The rule is redundant unless some later rule
    of the other action, or the default, would decide one of them.
    """
    live, idx, default = prep.live, prep.idx, prep.default
    rule = live[i]
    n = len(live)
    other = _opposite(rule.action)
    # cheap witness: the witness point falls to a later rule (or default) of the other action
    k = later
    if k is None:
        if default is not rule.action:
            return None
    elif live[k].action is not rule.action:
        return None
    # probe points where the rule meets the first few later rules of the other action that
    # meet it (found through the index: a deny to one host meets few of the permits after it)
    met = 0
    for k in idx.candidates(cubes, i + 1, n, idx.rule_lists(i) if lists is None else lists, other):
        if not _meets(idx, i, k):
            continue
        met += 1
        if met > 8:
            break
        p = _common_point(idx, rule, i, live[k], k)
        if p is None:
            continue
        if idx.first_containing(p, 0, i) is not None:
            continue  # decided before rule i: proves nothing
        first = idx.first_containing(p, i + 1, n)
        if first is not None and live[first].action is other:
            return None
    # exact: follow the rule's packets through the later rules (``_follow``)
    got = _follow(prep, i, cubes, lists)
    if got is None:
        return None
    deciders, more, reached = got
    # the example: a packet the rule decides that a line named (the default, when none is)
    # decides without it: a readable one when its preferred one is, else the witness, else
    # one the first line named decides
    nice = _example(prep, rule.match)
    decided = nice is not None and idx.first_containing(nice, 0, i) is None
    after = idx.first_containing(nice, i + 1, n) if decided else -1  # (-1: rule i does not decide it)
    # the lines named are those that decide some packet rule i decides (``_follow`` also lists
    # rules of its action that meet its match only where rules before it decide): the first
    # rules after it holding the witness and the readable packet do (no lookup for them)
    named = [k for k in deciders if k == later or k == after or _decides(prep, i, k, (i, i + 1))]

    def shows(k: int | None) -> bool:  # rule k (None: the default) decides it without rule i
        return k in named if named else k is None

    if after != -1 and shows(after):
        witness = nice
    elif named and not shows(later):
        witness = _decided_by(prep, rule.match.intersect(live[named[0]].match), named[0], (i, i + 1))
    if _doubted(prep, witness, i, True):  # (an earlier rule may match it: rule i may not decide it)
        witness = _sure_in(prep, rule.match, named or [None], (i, i + 1)) or witness
    return tuple(live[k] for k in named), witness, more, reached and bool(named)


def _common_point(idx: RuleIndex, rule: Rule, i: int, other: Rule, k: int) -> tuple | None:
    """A packet both rule i and rule k match (they meet: ``_meets``), or None when they do not.

    Any such point serves as a probe (it proves what it proves, whichever it is), so the
    cheapest: the low corner of the meet, from the bounds when both rules are boxes.
    """
    a, b = idx.boxes[i], idx.boxes[k]
    if a is not None and b is not None:  # (``_meets`` compared their bounds: the boxes meet)
        return (a[0] if a[0] > b[0] else b[0], a[2] if a[2] > b[2] else b[2], a[4] if a[4] > b[4] else b[4],
                a[6] if a[6] > b[6] else b[6], a[8] if a[8] > b[8] else b[8])
    both = rule.match.intersect(other.match)
    return _corner(both.cubes[0]) if both else None


LISTED = 8  # once this many later rules are known to decide a redundant rule's packets, the rest
# of them are not looked for one by one (``Anomaly.more``)
_BUDGET = 64  # intervals what is left of a rule may have before the later rules are asked one by one


def _follow(prep: Prepared, i: int, cubes, lists) -> tuple[list[int], bool, bool] | None:
    """(the positions of the later rules that would decide rule i's packets instead of it (same action), whether
    there are more than those, whether the default would decide some of them), or None when some
    packet it decides would get another decision without it.

    What is left of the rule (``rem``) is followed through the later rules that meet it, in
    order: a rule of the other action (or one that may match, ``maybe``) that would decide a
    packet rule i decides now (one no earlier rule matches) proves it is not redundant.  The
    rules of the same action cut ``rem``; when they have cut it into more than ``_BUDGET``
    intervals (a deny to one host after a blacklist of hosts and host-port pairs: thousands
    of pieces, each tested against every later rule), ``rem`` stays as it is and each later
    rule that could decide otherwise is asked on its own, exactly: does its meet with
    ``rem`` hold a packet that no rule before it matches, other than rule i and the rules
    ``rem`` has been cut by already?  Same answers as following ``rem`` to the end; the
    deciding rules are collected by following it only when the rule is redundant, and once
    ``LISTED`` are known, the asking stops at the next one (a deny to one host after a
    blacklist of thousands of hosts: each of them decides a sliver of it, and asking each was
    the whole cost of the rule).
    """
    live, idx, default = prep.live, prep.idx, prep.default
    rule = live[i]
    n = len(live)
    rem = rule.match
    deciders: list[int] = []
    frozen = -1
    same = idx.first_same  # (a repeat of a rule in the range asked about decides nothing more)
    for j in idx.candidates(cubes, i + 1, n, lists):
        if not rem:
            return deciders, False, False
        r = live[j]
        if not r.maybe and (i < same[j] != j or not _meets(idx, i, j)):
            # (what is left of the rule is inside it; or it repeats a rule after rule i, which
            # was followed before it and left nothing of it in ``rem``)
            continue
        hit = r.match.cubes and rem.overlaps(r.match)
        unsure = r.maybe.cubes and rem.overlaps(r.maybe)
        if not hit and not unsure:
            continue
        if r.action is not rule.action or unsure:
            # would it decide a packet that rule i decides now?
            part = rem.intersect(r.match.union(r.maybe) if unsure else r.match)
            if part and _reaches(idx, live, part, i):
                return None
        else:
            deciders.append(j)
        rem = rem.subtract(r.match)
        if sum(len(d.iv) for c in rem.cubes for d in c.dims) > _BUDGET:
            frozen = j + 1
            break
    if frozen < 0:
        reached = bool(rem) and _reaches(idx, live, rem, i)  # (some of its packets reach the default)
        if reached and prep.default is not rule.action:
            return None
        return deciders, False, reached
    skip = (i, frozen)  # rule i, and the rules ``rem`` is cut by already
    # the first later rule holding all that is left (a point lookup): nothing is left after it
    end = idx.first_containing_where(_corner(rem.cubes[0]), frozen, n,
                                     lambda j: all(any(_cube_le(c, o) for o in idx.cubes[j]) for c in rem.cubes))
    stop = n if end is None else end + 1
    # (rules of rule i's action matter here only where they may match: without such rules,
    # only the other action's index lists are walked)
    for j in idx.candidates(cubes, frozen, stop, lists, None if prep.maybe else _opposite(rule.action)):
        r = live[j]
        if r.action is rule.action and not r.maybe:
            continue
        if not r.maybe and (frozen <= same[j] != j or not _meets(idx, i, j)):
            continue  # (a repeat of a rule before it, after the skipped ones: nothing it decides)
        hit = r.match.cubes and rem.overlaps(r.match)
        doubt = r.maybe.cubes and rem.intersect(r.maybe)
        # (as followed: does what is left of rule i when rule j comes meet its maybe part?)
        unsure = bool(doubt) and _uncovered(idx, live, doubt, frozen, j)[0] is not None
        if not hit and not unsure:
            continue
        if r.action is not rule.action or unsure:
            part = rem.intersect(r.match.union(r.maybe) if unsure else r.match)
            if part and _reaches(idx, live, part, j, skip):
                return None
    reached = end is None and _reaches(idx, live, rem, n, skip)
    if reached and default is not rule.action:
        return None
    # redundant: the rules of its action that decide its packets instead, each asked on its
    # own too: does it meet what is left of rule i when it comes, with no doubt (``maybe``)?
    for j in idx.candidates(cubes, frozen, stop, lists, rule.action):
        if frozen <= same[j] != j or not _meets(idx, i, j):
            continue  # (a repeat of a rule before it, after the skipped ones: decides nothing)
        r = live[j]
        part = rem.intersect(r.match)
        if not part or _uncovered(idx, live, part, frozen, j)[0] is None:
            continue
        doubt = r.maybe.cubes and rem.intersect(r.maybe)
        if doubt and _uncovered(idx, live, doubt, frozen, j)[0] is not None:
            continue
        if len(deciders) >= LISTED:
            return deciders, True, reached
        deciders.append(j)
    return deciders, False, reached


# --- several filters, on several cores ------------------------------------------------------

# Above this many rules in all, filters are analysed in worker processes (forked, so they
# share the parsed rules without copying); below it the start-up is not worth it.
PARALLEL_AT = 30_000
CHUNK = 2048  # rules per task when one filter is shared between processes
_TOKENS = itertools.count()


def analyse_filters(jobs, parallel_at: int | None = None) -> list[list[Anomaly]]:
    """``analyse`` for each (filter, default), in parallel on several cores for large inputs."""
    an = Analysis(jobs, parallel_at)
    try:
        return an.results()
    finally:
        an.close()


class Analysis:
    """The anomalies of each (filter, default, addresses its examples avoid) job, started on construction.

    For large inputs, each filter larger than its share of the work goes to a worker
    that indexes it and then shares its rules, in chunks, with helpers it forks (so
    they share the index without copying); the other filters go whole to workers,
    largest first to the least loaded.  Each rule's result does not depend on which rules were
    analysed with it, so the results are the same as a serial run (tested).  Workers
    return positions, not objects.  Small inputs are analysed in the parent, in ``results``.
    """

    def __init__(self, jobs, parallel_at: int | None = None):
        self.jobs = jobs
        self.crews: list = []
        self.tokens: dict[int, int] = {}
        self.live: dict[int, list] = {}
        limit = PARALLEL_AT if parallel_at is None else parallel_at
        total = self.total = sum(len(job[0].rules) for job in jobs)
        n = workers.cores()
        rest = list(range(len(jobs)))
        parallel = total >= limit and n >= 2
        self.serial = [] if parallel else rest
        if not parallel or not rest:
            return
        split = [k for k in rest if len(jobs[k][0].rules) * n > total]
        whole = sorted((k for k in rest if k not in split), key=lambda k: -len(jobs[k][0].rules))
        groups: list[list[int]] = [[] for _ in range(min(n, len(whole)))]
        loads = [0] * len(groups)
        for k in whole:  # largest first, to the least loaded worker
            g = loads.index(min(loads))
            groups[g].append(k)
            loads[g] += len(jobs[k][0].rules)
        if not workers.fits(len(split) * n + len(groups)):
            self.serial = rest  # more processes would take more memory than the audit may
            return
        crew = workers.Crew()
        self.crews.append(crew)
        try:
            for group in [[k] for k in split] + groups:
                batch = []
                for k in group:
                    self.tokens[token := next(_TOKENS)] = k
                    batch.append((token, *jobs[k]))
                crew.start(_filters_worker, batch, n - 1 if group[0] in split else 0)
        except BaseException:
            self.close()
            raise

    def results(self, convert=None) -> list[list]:
        """Per job, its anomalies in rule order, or ``convert(job number, anomalies)`` of each
        part of them (concatenated), applied as soon as the part is known."""
        from auditor.core import progress

        convert = convert or (lambda _k, anomalies: anomalies)
        parts: dict[int, list] = {k: [] for k in range(len(self.jobs))}
        for k in self.serial:  # (in the parent, while any workers run)
            f, d, away = self.jobs[k]
            parts[k].append((0, convert(k, analyse(f.rules, d, away=away))))
        done = 0
        for token, lo, hi, found in workers.collect(self.crews):
            k = self.tokens[token]
            live = self._live(k)
            anomalies = [Anomaly(kind, live[pos], tuple(live[o] for o in others), ex, more, default,
                                 tuple(live[o] for o in unsure))
                         for kind, pos, others, ex, more, default, unsure in found]
            parts[k].append((lo, convert(k, anomalies)))
            done += hi - lo
            progress.report("rule anomalies", done, self.total)
        self.close()
        return [[x for _lo, part in sorted(parts[k], key=lambda x: x[0]) for x in part] for k in range(len(self.jobs))]

    def _live(self, k: int) -> list:
        if k not in self.live:
            self.live[k] = live_rules(self.jobs[k][0].rules)
        return self.live[k]

    def close(self) -> None:
        for crew in self.crews:
            crew.close()
        self.crews = []


def _filters_worker(out, batch: list, helpers: int) -> list:
    """Analyse (token, filter, default, addresses its examples avoid) jobs one after another, sending each chunk's
    results as (token, lo, hi, found) with rules as positions (each anomaly's fields, ``more`` too); with
    ``helpers``, the chunks of one filter are shared with that many helpers forked once it is indexed.
    Returns the indexes, which the worker then keeps until it has reported its end."""
    from auditor.core import progress

    progress.finish()  # one progress line: the parent's
    built = []
    for token, f, default, away in batch:
        prep = prepare(f.rules, default, away=away)
        built.append(prep)
        live = prep.live
        where = {id(r): n for n, r in enumerate(live)}

        def chunk(c: int, prep=prep, where=where, token=token) -> tuple:
            lo = c * CHUNK
            hi = min(len(prep.live), lo + CHUNK)
            found = analyse_part(prep, lo, hi)
            return token, lo, hi, [(a.kind, where[id(a.rule)], tuple(where[id(o)] for o in a.others), a.example,
                                    a.more, a.default, tuple(where[id(o)] for o in a.unsure)) for a in found]

        workers.share(out, -(-len(live) // CHUNK), helpers, chunk)
    return built

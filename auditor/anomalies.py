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
  earlier rule of the other action; the example packet matches both.

Everything is exact.  Speed comes from cheap witnesses first: a point of
the rule that no earlier rule contains proves "not shadowed"; a point that
a later rule of the other action decides proves "not redundant".  Exact set
subtraction runs only when no witness is found, over candidates from an
index (buckets per dimension: /24 address blocks, 16-port blocks), never
over all earlier rules.
"""

from __future__ import annotations

import heapq
import itertools
import random
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterator, Sequence

from auditor.model import Action, Rule
from auditor.packets import V4_BASE, V4_MAX, Cube, ISet, PacketSet

_FULL = (ISet.of(0, (1 << 128) - 1), ISet.of(0, 255), ISet.of(0, 65535), ISet.of(0, 65535))
_FULL = (_FULL[0],) + _FULL

SHADOWED, REDUNDANT_UP, REDUNDANT_DOWN, CONFLICT = "shadowed", "redundant-upward", "redundant-downward", "conflict"

# (dimension index, bucket shift, most buckets a rule may touch in it and still be bucketed)
_DIMS = ((1, 8, 32), (0, 8, 32), (4, 4, 8))
_MAX_KEYS = 256


@dataclass(frozen=True)
class Anomaly:
    kind: str
    rule: Rule
    others: tuple[Rule, ...]  # covering / redundancy-making / conflicting lines
    example: tuple[int, int, int, int, int] | None = None


class _Family:
    """Rules that are narrow in the same dimensions, under composite and per-dimension keys."""

    __slots__ = ("dims", "by_key", "by_dim", "all")

    def __init__(self, dims: tuple[int, ...]):
        self.dims = dims
        self.by_key: dict[tuple, list[int]] = {}
        self.by_dim: list[dict[int, list[int]]] = [{} for _ in dims]
        self.all: list[int] = []


def _add(d: dict, k, i: int) -> None:
    lst = d.get(k)
    if lst is None:
        d[k] = [i]
    elif lst[-1] != i:
        lst.append(i)


class RuleIndex:
    """Tuple-space index of one filter's rules, for lookups in rule order.

    Each rule joins the family of the dimensions in which it is narrow
    (destination /24 blocks, source /24 blocks, 16-port blocks), keyed by the
    product of its blocks there.  A point probes one key per family; a set
    probes the keys it touches, or a per-dimension key where it is wide.
    """

    def __init__(self, rules: Sequence[Rule], only: Action | None = None, placements=None):
        self.rules = rules
        self.cubes: list[tuple[Cube, ...]] = [r.match.cubes for r in rules]
        self.families: dict[tuple[int, ...], _Family] = {}
        if placements is None:
            placements = [_placement(r) for r in rules]
        for i, (r, (dims, touched)) in enumerate(zip(rules, placements)):
            if only is not None and r.action is not only:
                continue
            fam = self.families.get(dims)
            if fam is None:
                fam = self.families[dims] = _Family(dims)
            fam.all.append(i)
            for key in itertools.product(*(touched[d] for d in dims)):
                _add(fam.by_key, key, i)
            for k, d in enumerate(dims):
                for b in touched[d]:
                    _add(fam.by_dim[k], b, i)

    def _lists(self, q: Sequence[Cube]) -> list:
        out = []
        qt = {d: _touched(q, _DIMS[d][0], _DIMS[d][1], 256) for d in range(len(_DIMS))}
        for dims, fam in self.families.items():
            if not dims:
                out.append(fam.all)
                continue
            if all(qt[d] is not None for d in dims) and _product(qt[d] for d in dims) <= 64:
                for key in itertools.product(*(qt[d] for d in dims)):
                    lst = fam.by_key.get(key)
                    if lst is not None:
                        out.append(lst)
                continue
            # the query is wide in one of the family's dimensions: probe the dimension
            # where it touches the fewest blocks
            best = None
            for k, d in enumerate(dims):
                if qt[d] is not None and (best is None or len(qt[d]) < len(best[1])):
                    best = (k, qt[d])
            if best is not None:
                by = fam.by_dim[best[0]]
                out.extend(by[b] for b in best[1] if b in by)
                continue
            out.append(fam.all)
        return out

    def candidates(self, q: Sequence[Cube], start: int, stop: int) -> Iterator[int]:
        """Indexes in [start, stop) of rules that may overlap ``q``, in increasing order."""
        its = []
        for lst in self._lists(q):
            lo = bisect_left(lst, start)
            hi = bisect_left(lst, stop, lo)
            if lo < hi:
                its.append(_slice(lst, lo, hi))
        if len(its) == 1:
            yield from its[0]
            return
        last = -1
        for i in heapq.merge(*its):
            if i != last:
                yield i
                last = i

    def first_containing(self, p: tuple, start: int, stop: int) -> int | None:
        """The first rule in [start, stop) whose certain match contains point ``p``."""
        best = None
        for dims, fam in self.families.items():
            if dims:
                key = tuple(p[_DIMS[d][0]] >> _DIMS[d][1] for d in dims)
                lst = fam.by_key.get(key)
                if lst is None:
                    continue
            else:
                lst = fam.all
            lo = bisect_left(lst, start)
            hi = bisect_left(lst, stop if best is None else best, lo)
            cubes = self.cubes
            for k in range(lo, hi):
                j = lst[k]
                if _contains(cubes[j], p):
                    best = j
                    break
        return best


def _placement(r: Rule) -> tuple[tuple[int, ...], dict]:
    """The dimensions a rule is narrow in (its family) and the blocks it touches in each."""
    cs = r.match.cubes + r.maybe.cubes if r.maybe else r.match.cubes
    touched = {d: _touched(cs, *_DIMS[d]) for d in range(len(_DIMS))}
    narrow = [d for d in touched if touched[d] is not None]
    while narrow and _product(touched[d] for d in narrow) > _MAX_KEYS:
        narrow.remove(max(narrow, key=lambda d: len(touched[d])))
    return tuple(narrow), touched


def _product(lens) -> int:
    n = 1
    for x in lens:
        n *= len(x)
    return n


def _slice(lst, lo: int, hi: int) -> Iterator[int]:
    for k in range(lo, hi):
        yield lst[k]


def _touched(cubes: Sequence[Cube], dim: int, shift: int, most: int) -> list[int] | None:
    keys: list[int] = []
    n = 0
    for c in cubes:
        for lo, hi in c.dims[dim].iv:
            a, b = lo >> shift, hi >> shift
            n += b - a + 1
            if n > most:
                return None
            keys.extend(range(a, b + 1))
    if len(cubes) > 1 or len(keys) > 1:
        keys = sorted(set(keys))
    return keys


def _contains(cubes: Sequence[Cube], p) -> bool:
    for c in cubes:
        if c.contains(p):
            return True
    return False


def _overlap(a: Sequence[Cube], b: Sequence[Cube]) -> bool:
    for x in a:
        for y in b:
            if x.overlaps(y):
                return True
    return False


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


def _witnesses(cubes: Sequence[Cube], rng: random.Random | None = None) -> list[tuple]:
    """A few concrete points of a rule: its corners and, where it is broad, random inner points.

    A random point of a broad rule is rarely inside the narrow rules before it, so it
    usually proves "not shadowed" at once; corners catch the narrow cases.
    """
    out = []
    c = cubes[0]
    out.append(tuple(d.lo for d in c.dims))
    src, dst = c.dims[0], c.dims[1]
    v4 = ISet.of(V4_BASE + (1 << 24), V4_MAX - (1 << 28))
    s4, d4 = src.intersect(v4), dst.intersect(v4)
    if s4 and d4:
        out.append((s4.lo, d4.lo, c.dims[2].lo, c.dims[3].lo, c.dims[4].lo))
        out.append((s4.hi, d4.hi, c.dims[2].hi, c.dims[3].hi, c.dims[4].hi))
    out.append(tuple(d.hi for d in c.dims))
    if rng is not None:
        out.append(_random_point(c, rng))
        out.append(_random_point(cubes[-1], rng))
    return out


def analyse(rules: Sequence[Rule], default: Action = Action.DENY, conflicts: bool = True) -> list[Anomaly]:
    """Anomalies of an ordered rule list (enabled rules only) with the given default."""
    live = [r for r in rules if r.enabled and (r.match or r.maybe)]
    placements = [_placement(r) for r in live]
    idx = RuleIndex(live, placements=placements)
    # per-action indexes: a conflict is looked for among the other action's rules only
    by_act = {a: RuleIndex(live, a, placements) for a in (Action.PERMIT, Action.DENY)}
    out: list[Anomaly] = []
    rng = random.Random(0)  # witnesses only: the results are exact whatever it draws
    n = len(live)
    by_action = {a: [i for i, r in enumerate(live) if r.action is a] for a in (Action.PERMIT, Action.DENY)}
    from auditor.progress import report

    for i, rule in enumerate(live):
        if not i & 1023:
            report("rule anomalies", i, n)
        cubes = idx.cubes[i]
        if not cubes:
            continue  # a line not understood: nothing certain to analyse
        certain = not rule.maybe
        witness = None
        for p in _witnesses(cubes, rng):
            if idx.first_containing(p, 0, i) is None:
                witness = p
                break
        if witness is None:
            # one earlier rule containing it all is the usual cover: check that first
            single = _single_cover(idx, live, i, cubes)
            if single is not None:
                if certain:
                    kind = SHADOWED if live[single].action is not rule.action else REDUNDANT_UP
                    out.append(Anomaly(kind, rule, (live[single],), PacketSet(cubes).example()))
                continue
            witness, cover = _uncovered(idx, live, PacketSet(cubes), 0, i)
            if witness is None:
                if certain:
                    covering = tuple(live[j] for j in cover)
                    kind = SHADOWED if any(c.action is not rule.action for c in covering) else REDUNDANT_UP
                    out.append(Anomaly(kind, rule, covering, PacketSet(cubes).example()))
                continue
        catch_all = any(c.dims == _FULL for c in cubes)
        if conflicts and not catch_all:  # a catch-all overlaps everything: nothing to learn
            c = _first_conflict(by_act[Action.DENY if rule.action is Action.PERMIT else Action.PERMIT],
                                live, i, cubes)
            if c is not None:
                j, ex = c
                out.append(Anomaly(CONFLICT, rule, (live[j],), ex))
        if certain and not (i == n - 1 and catch_all):
            # (an explicit catch-all at the end restates the default on purpose: not reported)
            red = _downward(idx, live, i, cubes, witness, default, by_action)
            if red is not None:
                out.append(Anomaly(REDUNDANT_DOWN, rule, red[0], red[1]))
    return out


def _uncovered(idx: RuleIndex, live, target: PacketSet, start: int, stop: int):
    rng = random.Random(stop)  # deterministic per call: same inputs, same witness
    """(a point of ``target`` no rule in [start, stop) matches, or None; the rules that cut into it).

    Exact: ``target`` minus every overlapping rule's match, in order; after each
    cut, the lowest corners of what is left are tried as witnesses, so the
    work stops as soon as a point is known to be uncovered.
    """
    rem = target
    cover: list[int] = []
    for j in idx.candidates(target.cubes, start, stop):
        other = live[j].match
        if not other or not rem.overlaps(other):
            continue
        rem = rem.subtract(other)
        cover.append(j)
        if not rem:
            return None, cover
        for c in rem.cubes[:4]:
            for p in (tuple(d.lo for d in c.dims), _random_point(c, rng)):
                if idx.first_containing(p, start, stop) is None:
                    return p, cover
    if rem:
        return tuple(d.lo for d in rem.cubes[0].dims), cover
    return None, cover


def _iset_le(a: ISet, b: ISet) -> bool:
    """a is a subset of b (both normalised)."""
    bi = b.iv
    if not a.iv:
        return True
    if not bi or a.iv[0][0] < bi[0][0] or a.iv[-1][1] > bi[-1][1]:
        return False
    if len(bi) == 1:
        return True
    k = 0
    for lo, hi in a.iv:
        while k < len(bi) and bi[k][1] < lo:
            k += 1
        if k == len(bi) or bi[k][0] > lo or bi[k][1] < hi:
            return False
    return True


def _cube_le(a: Cube, b: Cube) -> bool:
    for x, y in zip(a.dims, b.dims):
        if not _iset_le(x, y):
            return False
    return True


def _single_cover(idx: RuleIndex, live, i: int, cubes) -> int | None:
    """The first earlier rule one of whose cubes contains each cube of rule i, if any."""
    for j in idx.candidates(cubes, 0, i):
        other = idx.cubes[j]
        if other and all(any(_cube_le(c, o) for o in other) for c in cubes):
            return j
    return None


def _first_conflict(idx: RuleIndex, live, i: int, cubes) -> tuple[int, tuple] | None:
    action = live[i].action
    for j in idx.candidates(cubes, 0, i):
        r = live[j]
        if r.action is action or not r.match:
            continue
        if _overlap(idx.cubes[j], cubes):
            both = PacketSet(cubes).intersect(r.match)
            if both:
                return j, both.example()
    return None


def _downward(idx: RuleIndex, live, i: int, cubes, witness, default: Action, by_action):
    """(deciding later rules, example) when removing rule i changes no decision, else None.

    Removing rule i hands the packets it decides (its match minus earlier
    rules) to the later rules.  The rule is redundant unless some later rule
    of the other action, or the default, would decide one of them.
    """
    rule = live[i]
    n = len(live)
    other = Action.DENY if rule.action is Action.PERMIT else Action.PERMIT
    # cheap witness: the witness point falls to a later rule (or default) of the other action
    k = idx.first_containing(witness, i + 1, n)
    if k is None:
        if default is not rule.action:
            return None
    elif live[k].action is not rule.action:
        return None
    # probe points where the rule meets the next few rules of the other action
    opp = by_action[other]
    pos = bisect_left(opp, i + 1)
    for k in opp[pos:pos + 8]:
        if not live[k].match:
            continue
        both = PacketSet(cubes).intersect(live[k].match)
        if not both:
            continue
        p = both.example()
        if idx.first_containing(p, 0, i) is not None:
            continue  # decided before rule i: proves nothing
        first = idx.first_containing(p, i + 1, n)
        if first is not None and live[first].action is other:
            return None
    # exact: follow the rule's packets through the later rules
    rem = PacketSet(cubes)
    deciders: list[Rule] = []
    for j in idx.candidates(cubes, i + 1, n):
        if not rem:
            break
        r = live[j]
        hit = r.match and rem.overlaps(r.match)
        unsure = r.maybe and rem.overlaps(r.maybe)
        if not hit and not unsure:
            continue
        if r.action is not rule.action or unsure:
            # would it decide a packet that rule i decides now?
            part = rem.intersect(r.match.union(r.maybe) if unsure else r.match)
            if part and _uncovered(idx, live, part, 0, i)[0] is not None:
                return None
        else:
            deciders.append(r)
        rem = rem.subtract(r.match)
    if rem and default is not rule.action and _uncovered(idx, live, rem, 0, i)[0] is not None:
        return None
    return tuple(deciders), witness

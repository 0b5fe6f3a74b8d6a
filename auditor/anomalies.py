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
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterator, Sequence

from auditor.model import Action, Rule
from auditor.packets import V4_BASE, V4_MAX, Cube, ISet, PacketSet

_FULL = (ISet.of(0, (1 << 128) - 1), ISet.of(0, 255), ISet.of(0, 65535), ISet.of(0, 65535))
_FULL = (_FULL[0],) + _FULL

SHADOWED, REDUNDANT_UP, REDUNDANT_DOWN, CONFLICT = "shadowed", "redundant-upward", "redundant-downward", "conflict"

# (dimension index, bucket shift, most buckets a rule may touch and still be bucketed)
_DIMS = ((1, 8, 64), (0, 8, 64), (4, 4, 16))


@dataclass(frozen=True)
class Anomaly:
    kind: str
    rule: Rule
    others: tuple[Rule, ...]  # covering / redundancy-making / conflicting lines
    example: tuple[int, int, int, int, int] | None = None


class RuleIndex:
    """Rules of one filter, bucketed per dimension, for candidate lookups in rule order."""

    def __init__(self, rules: Sequence[Rule]):
        self.rules = rules
        self.cubes: list[tuple[Cube, ...]] = [r.match.cubes for r in rules]
        self.buckets: list[dict[int, list[int]]] = [dict() for _ in _DIMS]
        self.wide: list[list[int]] = [[] for _ in _DIMS]
        for i, r in enumerate(rules):
            cs = r.match.cubes + r.maybe.cubes if r.maybe else r.match.cubes
            for d, (dim, shift, most) in enumerate(_DIMS):
                keys = _touched(cs, dim, shift, most)
                if keys is None:
                    self.wide[d].append(i)
                else:
                    b = self.buckets[d]
                    for k in keys:
                        lst = b.get(k)
                        if lst is None:
                            b[k] = [i]
                        elif lst[-1] != i:
                            lst.append(i)

    def candidates(self, q: Sequence[Cube], start: int, stop: int) -> Iterator[int]:
        """Indexes in [start, stop) of rules that may overlap ``q``, in increasing order."""
        best = None
        for d, (dim, shift, most) in enumerate(_DIMS):
            keys = _touched(q, dim, shift, 4096)
            if keys is None:
                continue
            b = self.buckets[d]
            lists = [b[k] for k in keys if k in b]
            cost = sum(len(x) for x in lists) + len(self.wide[d])
            if best is None or cost < best[0]:
                best = (cost, lists + [self.wide[d]])
        lists = best[1] if best is not None else [range(len(self.rules))]
        its = []
        for lst in lists:
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
        q = (Cube(*(ISet.of(x) for x in p)),)
        for j in self.candidates(q, start, stop):
            if _contains(self.cubes[j], p):
                return j
        return None


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


def _witnesses(cubes: Sequence[Cube]) -> list[tuple]:
    """A few concrete points of a rule: its lowest corner, its lowest IPv4 unicast corner, its top."""
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
    return out


def analyse(rules: Sequence[Rule], default: Action = Action.DENY, conflicts: bool = True) -> list[Anomaly]:
    """Anomalies of an ordered rule list (enabled rules only) with the given default."""
    live = [r for r in rules if r.enabled and (r.match or r.maybe)]
    idx = RuleIndex(live)
    out: list[Anomaly] = []
    n = len(live)
    by_action = {a: [i for i, r in enumerate(live) if r.action is a] for a in (Action.PERMIT, Action.DENY)}
    for i, rule in enumerate(live):
        cubes = idx.cubes[i]
        if not cubes:
            continue  # a line not understood: nothing certain to analyse
        certain = not rule.maybe
        witness = None
        for p in _witnesses(cubes):
            if idx.first_containing(p, 0, i) is None:
                witness = p
                break
        effective = None
        if witness is None:
            rem = PacketSet(cubes)
            cover: list[int] = []
            for j in idx.candidates(cubes, 0, i):
                if not rem:
                    break
                other = live[j].match
                if other and rem.overlaps(other):
                    rem = rem.subtract(other)
                    cover.append(j)
            if not rem:
                if certain:
                    covering = tuple(live[j] for j in cover)
                    kind = SHADOWED if any(c.action is not rule.action for c in covering) else REDUNDANT_UP
                    out.append(Anomaly(kind, rule, covering, PacketSet(cubes).example()))
                continue
            effective = rem
        catch_all = PacketSet([Cube.from_dims(_FULL)]).issubset(rule.match)
        if conflicts and not catch_all:  # a catch-all overlaps everything: nothing to learn
            c = _first_conflict(idx, live, i, cubes)
            if c is not None:
                j, ex = c
                out.append(Anomaly(CONFLICT, rule, (live[j],), ex))
        if certain and not (i == n - 1 and catch_all):
            # (an explicit catch-all at the end restates the default on purpose: not reported)
            red = _downward(idx, live, i, cubes, witness, effective, default, by_action)
            if red is not None:
                out.append(Anomaly(REDUNDANT_DOWN, rule, red[0], red[1]))
    return out


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


def _downward(idx: RuleIndex, live, i: int, cubes, witness, effective, default: Action, by_action):
    """(deciding later rules, example) when removing rule i changes no decision, else None."""
    rule = live[i]
    n = len(live)
    other = Action.DENY if rule.action is Action.PERMIT else Action.PERMIT
    # cheap witness: the witness point falls to a later rule (or default) of the other action
    if witness is not None:
        k = idx.first_containing(witness, i + 1, n)
        if (live[k].action if k is not None else default) is not rule.action:
            if k is None or not live[k].maybe:
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
    # exact: run the rule's effective part through the later rules
    if effective is None:
        rem = PacketSet(cubes)
        for j in idx.candidates(cubes, 0, i):
            if not rem:
                return None
            if live[j].match and rem.overlaps(live[j].match):
                rem = rem.subtract(live[j].match)
        effective = rem
    if not effective:
        return None
    rem = effective
    deciders: list[Rule] = []
    for j in idx.candidates(effective.cubes, i + 1, n):
        if not rem:
            break
        r = live[j]
        if not rem.overlaps(r.match) and not (r.maybe and rem.overlaps(r.maybe)):
            continue
        if r.maybe and rem.overlaps(r.maybe):
            return None  # reaches a line not understood: cannot claim redundancy
        if r.action is not rule.action:
            return None
        deciders.append(r)
        rem = rem.subtract(r.match)
    if rem and default is not rule.action:
        return None
    return tuple(deciders), effective.example()

"""A tuple-space index over an ordered rule list, for lookups in rule order.

Used by the anomaly analysis (which earlier or later rules may overlap a
rule) and by single-packet decisions (the first rule containing a packet),
so that both stay fast on ACLs of 100,000 entries.
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left
from typing import Iterator, Sequence

from auditor.model import Action, Rule
from auditor.packets import Cube

# (dimension index, bucket shift, most buckets a rule may touch in it and still be bucketed)
_DIMS = ((1, 8, 32), (0, 8, 32), (4, 4, 8))
_MAX_KEYS = 256


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
            placements = [placement(r) for r in rules]
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

    def containing(self, p: tuple, start: int, stop: int) -> list[int]:
        """Every rule in [start, stop) whose certain match contains point ``p``, in order."""
        out: list[int] = []
        cubes = self.cubes
        for dims, fam in self.families.items():
            if dims:
                lst = fam.by_key.get(tuple(p[_DIMS[d][0]] >> _DIMS[d][1] for d in dims))
                if lst is None:
                    continue
            else:
                lst = fam.all
            lo = bisect_left(lst, start)
            hi = bisect_left(lst, stop, lo)
            out.extend(lst[k] for k in range(lo, hi) if _contains(cubes[lst[k]], p))
        out.sort()
        return out

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


def placement(r: Rule) -> tuple[tuple[int, ...], dict]:
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



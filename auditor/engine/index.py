"""A tuple-space index over an ordered rule list, for lookups in rule order.

Used by the anomaly analysis (which earlier or later rules may overlap a
rule) and by single-packet decisions (the first rule containing a packet),
so that both stay fast on ACLs of 100,000 entries.
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left
from collections import defaultdict
from operator import itemgetter
from typing import Iterable, Iterator, Sequence

from auditor.core.model import Action, Rule
from auditor.core.packets import Cube, bounds

# (dimension index, bucket shift, most buckets a rule may touch in it and still be bucketed)
_DIMS = ((1, 8, 32), (0, 8, 32), (4, 4, 8))
_MAX_KEYS = 256
_MAX_QUERY = 256  # most blocks a query (or a placement's touched blocks) lists in a dimension
_EAGER = 512
_CROWDED = 16  # rules under one key of addresses from which a rule narrow in port is keyed by it too (0: always)
_SHORT = 64  # a list this short is taken as it is, without planning a narrower probe


class _Family:
    """Rules that are narrow in the same dimensions, under composite and per-dimension keys.

    A key's rules are a sorted list, or, when it has one rule only (most composite keys),
    that rule's one-tuple, shared by all such keys of the rule: no list per key.
    """

    __slots__ = ("dims", "mask", "key", "by_key", "by_dim", "proj", "present", "all", "all_by")

    def __init__(self, dims: tuple[int, ...]):
        self.dims = dims
        self.mask = sum(1 << d for d in dims)
        # the whole family per action: what a search wide in all its dimensions walks
        self.all_by: dict[Action, list[int]] = defaultdict(list)
        # a point's key in this family, from its block numbers (a scalar for one dimension)
        self.key = itemgetter(*dims) if dims else None
        self.by_key: dict = {}
        # per-dimension keys; a one-dimension family's composite keys are those already
        self.by_dim: list[dict[int, Sequence[int]]] = [self.by_key] if len(dims) == 1 else [{} for _ in dims]
        self.all: list[int] = []
        # keys on part of the family's dimensions (mask -> (key of a point's blocks, lists)),
        # for a query that is one block in those dimensions and wide in the others
        self.proj: dict[int, tuple] = {}
        if len(dims) > 1:
            for k, d in enumerate(dims):
                self.proj[1 << d] = (itemgetter(d), self.by_dim[k])
        if len(dims) == 3:
            for pair in itertools.combinations(dims, 2):
                self.proj[(1 << pair[0]) | (1 << pair[1])] = (itemgetter(*pair), {})
        # per dimension, the sorted blocks where the family has rules (filled after the build)
        self.present: list[list[int]] = []


def _blocks(p: Sequence[int]) -> tuple[int, int, int]:
    """A point's block number in each indexed dimension (the order of ``_DIMS``; spelled
    out for speed, and checked against it by the tests)."""
    return (p[1] >> 8, p[0] >> 8, p[4] >> 4)


def box(cubes: Sequence[Cube]) -> tuple | None:
    """``bounds`` of the match when it is one single-interval cube (the bounds are then exact)."""
    if len(cubes) != 1:
        return None
    for d in cubes[0].dims:
        if len(d.iv) != 1:
            return None
    return bounds(cubes)


class RuleIndex:
    """Tuple-space index of one filter's rules, for lookups in rule order.

    Each rule joins the family of the dimensions in which it is narrow
    (destination /24 blocks, source /24 blocks, 16-port blocks), keyed by the
    product of its blocks there.  A point probes one key per family; a set
    probes the keys it touches, or a per-dimension key where it is wide.
    Rules whose match is one box are tested by comparing bounds inline.

    A rule narrow in all three dimensions is keyed by its addresses alone, unless
    ``_CROWDED`` rules are keyed by the same address blocks already.  The port
    seldom tells apart rules whose address blocks are the same (in the benchmark,
    165k keys of addresses hold 168k such rules), and a rule keyed without it joins
    fewer lists (composite key, per-dimension, pairs): the analysis of 100k rules
    measured 11-19% faster.  Where many rules share address blocks (a list of ports
    between two hosts), the port keeps them apart: keyed by addresses alone, 20,000
    such rules took 53 s, not 0.4 s.
    """

    def __init__(self, rules: Sequence[Rule]):
        # one pass over the rules (each is visited once, while it is in the cache)
        self.cubes: list[tuple[Cube, ...]] = []
        self.boxes: list[tuple | None] = []
        # every rule's bounds (its box when it is one): a cheap test before the exact one
        self.hulls: list[tuple] = []
        self.actions: list[Action] = []
        self.placements: list[tuple[tuple[int, ...], list]] = []
        # per rule, the first rule with the same certain match (``first_same``)
        self.first_same: list[int]
        families_of: dict[tuple, tuple] = {}  # blocks per dimension -> family (``_family``)
        for r in rules:
            cs = r.match.cubes
            self.cubes.append(cs)
            self.actions.append(r.action)
            if len(cs) == 1 and not r.maybe.cubes:
                # the usual rule, one cube and nothing uncertain: its bounds and placement
                # spelled out (``box``, ``bounds``, ``placement``; tested equal to them), a
                # dimension of one interval (in a box, every one) without a call
                s, d, p, sp, dp = cs[0].dims
                s, d, p, sp, dp = s.iv, d.iv, p.iv, sp.iv, dp.iv
                (s0, s1), (d0, d1), (dp0, dp1) = (s[0][0], s[-1][1]), (d[0][0], d[-1][1]), (dp[0][0], dp[-1][1])
                bx = (s0, s1, d0, d1, p[0][0], p[-1][1], sp[0][0], sp[-1][1], dp0, dp1)
                self.hulls.append(bx)
                if len(s) == 1 and len(d) == 1 and len(p) == 1 and len(sp) == 1 and len(dp) == 1:
                    self.boxes.append(bx)
                else:
                    self.boxes.append(None)
                # (the blocks of _DIMS, in its order: dst, src, dport)
                if len(d) == 1:
                    a, b = d0 >> 8, d1 >> 8
                    t0 = range(a, b + 1) if b - a < _MAX_QUERY else None
                else:
                    t0 = _touched(cs, 1, 8, _MAX_QUERY)
                if len(s) == 1:
                    a, b = s0 >> 8, s1 >> 8
                    t1 = range(a, b + 1) if b - a < _MAX_QUERY else None
                else:
                    t1 = _touched(cs, 0, 8, _MAX_QUERY)
                if len(dp) == 1:
                    a, b = dp0 >> 4, dp1 >> 4
                    t2 = range(a, b + 1) if b - a < _MAX_QUERY else None
                else:
                    t2 = _touched(cs, 4, 4, _MAX_QUERY)
                touched = [t0, t1, t2]
                # (the family depends on the number of blocks in each dimension only)
                key = (-1 if t0 is None else len(t0), -1 if t1 is None else len(t1), -1 if t2 is None else len(t2))
                fam = families_of.get(key)
                if fam is None:
                    fam = families_of[key] = _family(touched)
                self.placements.append((fam, touched))
                continue
            bx = box(cs)
            self.boxes.append(bx)
            self.hulls.append(bx if bx is not None else bounds(cs))
            self.placements.append(placement(r))
        self.first_same = first_same(self.boxes, self.cubes)
        families: dict[tuple, _Family] = {}
        placements, acts = self.placements, self.actions
        # (a rule's blocks in a dimension are distinct, so each key gets each rule once)
        for i, (dims, touched) in enumerate(placements):
            if dims == (0, 1, 2) and not _crowded(families.get((0, 1)), touched):
                dims = (0, 1)  # keyed by its address blocks alone (see the class)
            fam = families.get(dims)
            if fam is None:
                fam = families[dims] = _Family(dims)
            fam.all.append(i)
            fam.all_by[acts[i]].append(i)
            # most keys hold one rule: they share the rule's one-tuple (see ``_add``)
            one = (i,)
            by = fam.by_key
            if len(dims) == 1:
                for key in touched[dims[0]]:
                    if (lst := by.setdefault(key, one)) is not one:
                        _add(by, key, lst, i)
                continue
            if len(dims) == 2:
                t0, t1 = touched[dims[0]], touched[dims[1]]
                keys = ((t0[0], t1[0]),) if len(t0) == 1 and len(t1) == 1 else itertools.product(t0, t1)
            else:
                keys = itertools.product(*[touched[d] for d in dims])
                for da, db in itertools.combinations(dims, 2):
                    pr = fam.proj[(1 << da) | (1 << db)][1]
                    for key in itertools.product(touched[da], touched[db]):
                        if (lst := pr.setdefault(key, one)) is not one:
                            _add(pr, key, lst, i)
            for key in keys:
                if (lst := by.setdefault(key, one)) is not one:
                    _add(by, key, lst, i)
            for k, d in enumerate(dims):
                byd = fam.by_dim[k]
                for b in touched[d]:
                    if (lst := byd.setdefault(b, one)) is not one:
                        _add(byd, b, lst, i)
        for fam in families.values():
            fam.all_by.default_factory = None  # plain lookups from here on
            fam.present = [sorted(byd) for byd in fam.by_dim]
        self.families = list(families.values())
        # what a point probes: one composite key per family with keys, whole keyless families
        self._keyed = [(fam.key, fam.by_key) for fam in self.families if fam.key is not None]
        self._keyless = [fam.all for fam in self.families if fam.key is None]
        self._rows = [(fam, fam.mask, fam.key, fam.by_key, fam.proj) for fam in self.families]
        self._programs: dict[int, tuple] = {}  # query shape -> how it probes the families (``_program``)

    def lists(self, q: Sequence[Cube], touched: list | None = None) -> list[tuple[Action | None, list[int]]]:
        """(action, index list) pairs holding every rule that may overlap ``q``.

        The action is None for lists of mixed actions.  Reusable across ranges and
        actions: see ``candidates``.  ``touched`` is
        a placement's blocks of a superset of ``q`` (rule i's: ``self.placements[i][1]``).
        """
        if touched is None:
            qt = [_touched(q, dim, shift, _MAX_QUERY) for dim, shift, _most in _DIMS]
        elif None in touched:  # (of the superset: the query itself may be narrower)
            qt = [touched[d] if touched[d] is not None else _touched(q, dim, shift, _MAX_QUERY)
                  for d, (dim, shift, _most) in enumerate(_DIMS)]
        else:
            qt = touched
        # dimensions where the query is one block: families narrow only in those
        # take a single composite key, like a point
        q0, q1, q2 = qt  # (the three dimensions of _DIMS, spelled out for speed)
        s0 = q0 is not None and len(q0) == 1
        s1 = q1 is not None and len(q1) == 1
        s2 = q2 is not None and len(q2) == 1
        # dimensions where the query lists its blocks at all (elsewhere it is wide)
        known = (q0 is not None) | (q1 is not None) << 1 | (q2 is not None) << 2
        shape = s0 | s1 << 1 | s2 << 2 | known << 3
        prog = self._programs.get(shape)
        if prog is None:
            prog = self._programs[shape] = self._program(s0 | s1 << 1 | s2 << 2, known)
        keyed, whole, partial, planned = prog
        one = (q0[0] if s0 else -1, q1[0] if s1 else -1, q2[0] if s2 else -1)
        out = [(None, lst) for get, by in keyed if (lst := by.get(get(one))) is not None]
        out += whole
        for fam, get, by in partial:
            # one block in some of the family's dimensions: the rules there
            lst = by.get(get(one))
            if lst is None:
                continue  # none of the family's rules touches those blocks
            if len(lst) <= _SHORT:
                out.append((None, lst))
                continue
            self._planned(fam, qt, out)
        for fam, d in planned:
            if d >= 0 and (keys := qt[d]) is not None:
                # a family keyed by one dimension the query lists its blocks in (``_plan``'s first case,
                # inline: most queries find none of its keys)
                by = fam.by_key
                if type(keys) is range:
                    sb = fam.present[0]
                    lo = bisect_left(sb, keys.start)
                    out.extend([(None, by[k]) for k in sb[lo:bisect_left(sb, keys.stop, lo)]])
                else:
                    out.extend([(None, lst) for k in keys if (lst := by.get(k)) is not None])
                continue
            self._planned(fam, qt, out)
        return out

    def _program(self, single: int, known: int) -> tuple:
        """How a query of this shape probes each family (the same for every query of the
        shape, so worked out once): (families taking one composite key, the (action, list)
        pairs of families it is wide for, families keyed on part of their dimensions,
        families to plan for, with the dimension of those keyed by one, else -1)."""
        keyed, whole, partial, planned = [], [], [], []
        for fam, mask, key, by_key, proj in self._rows:
            part = mask & single
            if key is not None and part == mask:
                keyed.append((key, by_key))
            elif not mask & known:  # wide in every dimension the family is keyed by: all of it
                whole.extend(fam.all_by.items())
            elif part:
                partial.append((fam, *proj[part]))
            else:
                planned.append((fam, fam.dims[0] if len(fam.dims) == 1 else -1))
        return keyed, whole, partial, planned

    @staticmethod
    def _planned(fam: _Family, qt: list, out: list) -> None:
        mode, arg = _plan(fam, qt)
        if mode == 0:
            by = fam.by_key
            for k in arg:
                lst = by.get(k)
                if lst is not None:
                    out.append((None, lst))
        elif mode == 1:
            out.extend((None, lst) for lst in arg)
        else:
            out.extend(fam.all_by.items())

    def rule_lists(self, i: int) -> list[tuple[Action | None, list[int]]]:
        """``lists`` for rule i's own match, probed with the blocks of its placement."""
        return self.lists(self.cubes[i], self.placements[i][1])

    def candidates(self, q: Sequence[Cube], start: int, stop: int, lists=None,
                   action: Action | None = None) -> Iterable[int]:
        """Indexes in [start, stop) of rules that may overlap ``q``, in increasing order.

        Only rules of ``action`` when it is given.  ``lists`` is ``self.lists(q)``
        when the caller already has it.  Up to
        ``_EAGER`` candidates come as a sorted list (set work in C); more come
        lazily, merged, so a caller that stops early does not pay for them all.
        """
        parts = []
        total = 0
        mixed = False
        for act, lst in self.lists(q) if lists is None else lists:
            if action is not None and act is not action:
                if act is not None:
                    continue
                mixed = True
            lo = bisect_left(lst, start)
            hi = bisect_left(lst, stop, lo)
            if lo < hi:
                parts.append((lst, lo, hi))
                total += hi - lo
        if total <= _EAGER:
            if len(parts) == 1:
                lst, lo, hi = parts[0]
                out = lst[lo:hi]
            else:
                seen: set[int] = set()
                for lst, lo, hi in parts:
                    seen.update(lst[lo:hi])
                out = sorted(seen)
        else:
            out = _merged([_slice(lst, lo, hi) for lst, lo, hi in parts])
        if mixed:
            acts = self.actions
            return [j for j in out if acts[j] is action] if total <= _EAGER else (j for j in out if acts[j] is action)
        return out

    def first(self, lists, start: int, stop: int, action: Action | None, pred) -> int | None:
        """The first rule j in [start, stop) of ``action`` (any when None), among ``lists``
        (from ``self.lists``), for which ``pred(j)`` holds.

        Each list is scanned on its own, up to the best found so far: no merging.  (The
        scan stops at the first rule past the best, without bisecting for it: the scan
        visits every rule before it anyway, and a bisection of a long list is a cache
        miss per step on large filters.)
        """
        acts = self.actions
        best = stop
        for act, lst in lists:
            if action is not None and act is not None and act is not action:
                continue
            check = action is not None and act is None
            for j in lst[bisect_left(lst, start):] if start else lst:
                if j >= best:
                    break
                if check and acts[j] is not action:
                    continue
                if pred(j):
                    best = j
                    break
        return None if best == stop else best

    def first_containing_where(self, p: tuple, start: int, stop: int, pred) -> int | None:
        """The first rule j in [start, stop) whose certain match contains point ``p`` and for
        which ``pred(j)`` holds (each list scanned up to the best found so far: rules past
        it are never tested, as ``containing`` would test them all)."""
        best = stop
        for lst in self._point_lists(p):
            k = bisect_left(lst, start) if start else 0
            while (k := self._scan(lst, k, best, p)) >= 0:
                if pred(lst[k]):
                    best = lst[k]
                    break
                k += 1
        return None if best == stop else best

    def _point_lists(self, p: Sequence[int]) -> list[list[int]]:
        """The index lists that hold every rule containing point ``p``."""
        b = _blocks(p)
        out = [lst for get, by in self._keyed if (lst := by.get(get(b))) is not None]
        out += self._keyless
        return out

    def _scan(self, lst: list[int], lo: int, stop: int, p: Sequence[int]) -> int:
        """The first position from ``lo`` in lst of a rule before ``stop`` containing ``p``,
        or -1 (the scan stops at the first rule past ``stop``: see ``first``)."""
        boxes, hulls, cubes = self.boxes, self.hulls, self.cubes
        p0, p1, p2, p3, p4 = p
        for k in range(lo, len(lst)):
            j = lst[k]
            if j >= stop:
                break
            bx = hulls[j]
            if (bx[0] <= p0 <= bx[1] and bx[2] <= p1 <= bx[3] and bx[4] <= p2 <= bx[5]
                    and bx[6] <= p3 <= bx[7] and bx[8] <= p4 <= bx[9]):
                if boxes[j] is not None or _contains(cubes[j], p):
                    return k
        return -1

    def first_containing(self, p: tuple, start: int, stop: int) -> int | None:
        """The first rule in [start, stop) whose certain match contains point ``p``."""
        best = stop
        for lst in self._point_lists(p):
            k = self._scan(lst, bisect_left(lst, start) if start else 0, best, p)
            if k >= 0:
                best = lst[k]
        return None if best == stop else best

    def around(self, p: tuple, i: int) -> tuple[bool, int | None]:
        """(some rule before i contains ``p``, the first rule after i containing it).

        One pass over the point's index lists for both questions; when the first
        answer is yes the second is not computed (None).
        """
        boxes, hulls, cubes = self.boxes, self.hulls, self.cubes
        p0, p1, p2, p3, p4 = p
        stop = len(cubes)
        best = stop
        for lst in self._point_lists(p):
            # the first rule of the list other than i that contains p: ``_scan``'s loop, inline
            # (calling ``_scan``, twice when it finds i, measured 6-10% slower in the analysis)
            for j in lst:
                if j >= best:
                    break
                if j == i:
                    continue
                bx = hulls[j]
                if not (bx[0] <= p0 <= bx[1] and bx[2] <= p1 <= bx[3] and bx[4] <= p2 <= bx[5]
                        and bx[6] <= p3 <= bx[7] and bx[8] <= p4 <= bx[9]):
                    continue
                if boxes[j] is None and not _contains(cubes[j], p):
                    continue
                if j < i:
                    return True, None
                best = j
                break
        return False, None if best == stop else best


def first_same(boxes: Sequence[tuple | None], cubes: Sequence[tuple[Cube, ...]]) -> list[int]:
    """Per rule, the first rule whose certain match has the same cubes (itself when none before
    it has): equal cubes are equal sets, so a repeated line is known by hashing.

    A box is keyed by its bounds (a tuple of ints, hashed in C: a cube's hash is three
    Python calls deep), other matches by their cubes; the two kinds of key never compare equal.
    """
    seen: dict = {}
    return [seen.setdefault(cs if bx is None else bx, i) for i, (bx, cs) in enumerate(zip(boxes, cubes))]


def _crowded(pairs: _Family | None, touched: list) -> bool:
    """``_CROWDED`` rules of the family keyed by address blocks (``pairs``) are keyed by
    one of the address blocks ``touched`` already (or it is 0)."""
    if _CROWDED == 0:
        return True
    if pairs is None:
        return False
    by = pairs.by_key
    for key in itertools.product(touched[0], touched[1]):  # (none for a rule matching nothing)
        lst = by.get(key)
        if lst is not None and len(lst) >= _CROWDED:
            return True
    return False


def _add(by: dict, key, lst, i: int) -> None:
    """Add rule i to the key's list, which holds earlier rules: a one-tuple (shared with
    that rule's other keys) becomes a list of its own."""
    if type(lst) is tuple:
        by[key] = [lst[0], i]
    else:
        lst.append(i)


def _plan(fam: _Family, qt: list) -> tuple[int, object]:
    """How a query touching blocks ``qt`` probes a family.

    (0, composite keys), (1, the per-dimension lists to take) where the query is
    wide in one of the family's dimensions, or (2, None): the whole family.
    """
    dims = fam.dims
    if not dims:
        return 2, None
    if len(dims) == 1:
        keys = qt[dims[0]]
        if keys is not None:
            return 0, _present(fam, 0, keys)
    else:
        n = 1
        for d in dims:
            x = qt[d]
            if x is None:
                n = 0
                break
            n *= len(x)
        if 0 < n <= 64:
            if n == 1:
                return 0, [tuple(qt[d][0] for d in dims)]
            # only blocks where the family has rules at all can make a key
            kept = []
            for k, d in enumerate(dims):
                blocks = _present(fam, k, qt[d])
                if not blocks:
                    return 0, []
                kept.append(blocks)
            return 0, list(itertools.product(*kept))
    # wide in one of the family's dimensions: probe the per-dimension lists of another,
    # the one whose lists for the query's blocks are shortest (a popular port's are long)
    best: list | None = None
    best_size = 0
    for _n, k, d in sorted((len(qt[d]), k, d) for k, d in enumerate(dims) if qt[d] is not None):
        by = fam.by_dim[k]
        found = []
        size = 0
        for b in _present(fam, k, qt[d]):
            lst = by[b]
            found.append(lst)
            size += len(lst)
            if best is not None and size >= best_size:
                break
        else:
            if best is None or size < best_size:
                best, best_size = found, size
    if best is not None:
        return 1, best
    return 2, None


def _present(fam: _Family, k: int, blocks: Sequence[int]) -> Sequence[int]:
    """Those of ``blocks`` (sorted) where the family has rules in its k-th dimension."""
    sb = fam.present[k]
    if type(blocks) is range:  # contiguous: two bisections, not a lookup per block
        return sb[bisect_left(sb, blocks.start):bisect_left(sb, blocks.stop)]
    byd = fam.by_dim[k]
    return [b for b in blocks if b in byd]


def placement(r: Rule) -> tuple[tuple[int, ...], list]:
    """The dimensions a rule is narrow in (its family), and the blocks it touches in each
    (a sorted sequence, None beyond ``_MAX_QUERY``): also its query blocks in ``lists``."""
    cs = r.match.cubes + r.maybe.cubes if r.maybe else r.match.cubes
    touched: list = []
    for dim, shift, _most in _DIMS:
        iv = cs[0].dims[dim].iv if len(cs) == 1 else ()
        if len(iv) == 1:  # the usual case: one interval
            a, b = iv[0][0] >> shift, iv[0][1] >> shift
            touched.append(range(a, b + 1) if b - a < _MAX_QUERY else None)
        else:
            touched.append(_touched(cs, dim, shift, _MAX_QUERY))
    return _family(touched), touched


def _family(touched: list) -> tuple[int, ...]:
    """The dimensions (positions in ``_DIMS``) a rule touching blocks ``touched`` is keyed by."""
    narrow = []
    keys = 1
    for d, (_dim, _shift, most) in enumerate(_DIMS):
        t = touched[d]
        if t is not None and len(t) <= most:
            narrow.append(d)
            keys *= len(t)
    if len(narrow) == 3 and keys > _MAX_KEYS:  # the port first (see ``RuleIndex``)
        narrow.remove(2)
        keys //= len(touched[2])
    while keys > _MAX_KEYS:  # too many composite keys: drop the widest dimension
        d = max(narrow, key=lambda d: len(touched[d]))
        narrow.remove(d)
        keys //= len(touched[d])
    return tuple(narrow)


def _merged(its: list) -> Iterator[int]:
    if len(its) == 1:
        yield from its[0]
        return
    last = -1
    for i in heapq.merge(*its):
        if i != last:
            yield i
            last = i


def _slice(lst, lo: int, hi: int) -> Iterator[int]:
    for k in range(lo, hi):
        yield lst[k]


def _touched(cubes: Sequence[Cube], dim: int, shift: int, most: int) -> Sequence[int] | None:
    """The sorted blocks ``cubes`` touch in a dimension (a range when contiguous), or None
    beyond ``most``."""
    if len(cubes) > 1:
        iv = cubes[0].dims[dim].iv
        for c in cubes:
            if c.dims[dim].iv != iv:
                break
        else:  # (the same in every cube, as the addresses of a rule's TCP and UDP ports: taken once)
            cubes = cubes[:1]
    if len(cubes) == 1:
        ivs = cubes[0].dims[dim].iv
        if len(ivs) == 1:
            lo, hi = ivs[0]
            a, b = lo >> shift, hi >> shift
            return range(a, b + 1) if b - a < most else None
        # sorted, disjoint intervals: their blocks come in order, so duplicates are adjacent.
        # (The limit counts a block once per interval in it: a dimension of many intervals
        # is taken as wide, which measured faster than keying it by every block.)
        keys: list[int] = []
        last = -1
        n = 0
        for lo, hi in ivs:
            a, b = lo >> shift, hi >> shift
            n += b - a + 1
            if n > most:
                return None
            if a <= last:
                a = last + 1
            if a <= b:
                keys.extend(range(a, b + 1))
                last = b
        return keys
    keys = []
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



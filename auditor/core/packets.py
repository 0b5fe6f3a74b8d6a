"""Exact packet-set arithmetic.

A packet is five integers: source address, destination address, IP protocol,
source port and destination port.  Addresses live in one 128-bit space; IPv4
addresses are mapped into ``::ffff:0:0/96`` so that one rule set can hold both
families exactly.  ICMP type and code are carried in the destination-port
dimension as ``type * 256 + code`` (ICMP has no ports, so nothing collides).

Sets are unions of *cubes*.  A cube is a product of five one-dimensional
interval sets (``ISet``), so an ACL line whose source is an object-group of
200 hosts is still one cube, not 200 boxes.  All operations are exact; nothing
here samples.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from functools import lru_cache
from socket import AF_INET as _AF_INET
from socket import AF_INET6 as _AF_INET6
from socket import inet_pton as _inet_pton
from typing import Iterable, Iterator, Sequence

MAX_ADDR = (1 << 128) - 1
_BIG = 1 << 129
V4_BASE = 0xFFFF << 32
V4_MAX = V4_BASE + (1 << 32) - 1
MAX_PORT = 65535
MAX_PROTO = 255

PROTO_ICMP = 1
PROTO_TCP = 6
PROTO_UDP = 17
PROTO_ICMP6 = 58

DIMENSIONS = ("src", "dst", "proto", "sport", "dport")


class ISet:
    """An immutable set of integers stored as sorted, disjoint, inclusive intervals."""

    __slots__ = ("iv", "_hash")

    def __init__(self, intervals: Iterable[tuple[int, int]] = (), *, _normal: bool = False):
        if _normal:
            self.iv: tuple[tuple[int, int], ...] = tuple(intervals)  # type: ignore[arg-type]
        else:
            self.iv = _normalise(intervals)
        self._hash = None

    @staticmethod
    def of(lo: int, hi: int | None = None) -> "ISet":
        """The single interval ``[lo, hi]`` (a single value when ``hi`` is omitted)."""
        if hi is None:
            hi = lo
        elif hi < lo:
            return EMPTY
        s = _new_iset(ISet)
        s.iv = ((lo, hi),)
        s._hash = None
        return s

    def __bool__(self) -> bool:
        return bool(self.iv)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ISet) and self.iv == other.iv

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self.iv)
        return self._hash

    def __repr__(self) -> str:
        return "ISet(%r)" % (self.iv,)

    def __contains__(self, x: int) -> bool:
        iv = self.iv
        if not iv:
            return False
        if len(iv) == 1:
            return iv[0][0] <= x <= iv[0][1]
        i = bisect_right(iv, (x, MAX_ADDR + 1)) - 1
        return i >= 0 and iv[i][0] <= x <= iv[i][1]

    @property
    def lo(self) -> int:
        return self.iv[0][0]

    @property
    def hi(self) -> int:
        return self.iv[-1][1]

    def size(self) -> int:
        """How many integers the set holds."""
        return sum(hi - lo + 1 for lo, hi in self.iv)

    @staticmethod
    def union_of(sets: Iterable["ISet"]) -> "ISet":
        """The union of many sets, normalised once (a group of 20,000 members joined one by
        one re-sorted the growing union each time: quadratic)."""
        sets = [x for x in sets if x.iv]
        if len(sets) <= 1:
            return sets[0] if sets else EMPTY
        return ISet([iv for x in sets for iv in x.iv])

    def union(self, other: "ISet") -> "ISet":
        if not other.iv:
            return self
        if not self.iv:
            return other
        return ISet(self.iv + other.iv)

    __or__ = union

    def intersect(self, other: "ISet") -> "ISet":
        if self is other:
            return self
        a, b = self.iv, other.iv
        if not a or not b:
            return EMPTY
        if len(a) == 1 and len(b) == 1:
            (alo, ahi), (blo, bhi) = a[0], b[0]
            if alo >= blo and ahi <= bhi:
                return self  # (inside the other: itself, not a copy)
            if blo >= alo and bhi <= ahi:
                return other
            lo = alo if alo > blo else blo
            hi = ahi if ahi < bhi else bhi
            return ISet(((lo, hi),), _normal=True) if lo <= hi else EMPTY
        if a[-1][1] < b[0][0] or b[-1][1] < a[0][0]:
            return EMPTY
        if a == b:
            return self  # (equal lists, compared at C speed: the same set, as two outcomes' pieces often hold)
        if len(a) < len(b):
            a, b = b, a
        if len(a) > 16 and len(b) <= 4:
            # a few windows into a long list: slice it around each window
            out = []
            for lo, hi in b:
                k, m = _window(a, lo, hi)
                if k >= m:
                    continue
                part = list(a[k:m])
                if part[0][0] < lo:
                    part[0] = (lo, part[0][1])
                if part[-1][1] > hi:
                    part[-1] = (part[-1][0], hi)
                out.extend(part)
            return ISet(out, _normal=True) if out else EMPTY
        out = []
        i = j = 0
        while i < len(a) and j < len(b):
            lo = max(a[i][0], b[j][0])
            hi = min(a[i][1], b[j][1])
            if lo <= hi:
                out.append((lo, hi))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return ISet(out, _normal=True) if out else EMPTY

    __and__ = intersect

    def overlaps(self, other: "ISet") -> bool:
        a, b = self.iv, other.iv
        if not a or not b or a[-1][1] < b[0][0] or b[-1][1] < a[0][0]:
            return False
        if len(a) == 1 and len(b) == 1:
            return True
        if len(a) > len(b):
            a, b = b, a
        if len(b) == 1:
            blo, bhi = b[0]
            for lo, hi in a:
                if lo <= bhi and blo <= hi:
                    return True
            return False
        # b is sorted and disjoint: the only candidate for (lo, hi) is the last
        # interval of b starting at or before hi
        for lo, hi in a:
            k = bisect_right(b, (hi, _BIG)) - 1
            if k >= 0 and b[k][1] >= lo:
                return True
        return False

    def subtract(self, other: "ISet") -> "ISet":
        a, b = self.iv, other.iv
        if not a or not b or a[-1][1] < b[0][0] or b[-1][1] < a[0][0]:
            return self
        if len(a) > 16 and len(b) <= 4:
            # a few holes in a long list (e.g. "any" minus many blacklisted hosts): splice
            # around each hole instead of walking every interval
            for lo, hi in b:
                k, m = _window(a, lo, hi)
                if k < m:
                    a = a[:k] + _rims(a, k, m, lo, hi) + a[m:]
                    if not a:
                        return EMPTY
            return ISet(a, _normal=True)
        out = []
        j = 0
        for lo, hi in a:
            cur = lo
            while j < len(b) and b[j][1] < cur:
                j += 1
            k = j
            while k < len(b) and b[k][0] <= hi:
                if b[k][0] > cur:
                    out.append((cur, b[k][0] - 1))
                cur = max(cur, b[k][1] + 1)
                if cur > hi:
                    break
                k += 1
            if cur <= hi:
                out.append((cur, hi))
        return ISet(out, _normal=True) if out else EMPTY

    __sub__ = subtract

    def issubset(self, other: "ISet") -> bool:
        a, b = self.iv, other.iv
        if not a:
            return True
        if not b or a[0][0] < b[0][0] or a[-1][1] > b[-1][1]:
            return False
        if len(b) == 1:
            return True
        for lo, hi in a:
            # (intervals are disjoint and never adjacent: each of a's lies inside one of b's)
            k = bisect_right(b, (lo, _BIG)) - 1
            if k < 0 or b[k][1] < hi:
                return False
        return True

_new_iset = object.__new__


def _window(a: Sequence, lo: int, hi: int) -> tuple[int, int]:
    """[k, m): the intervals of sorted, disjoint ``a`` that meet ``[lo, hi]``."""
    k = bisect_right(a, (lo, _BIG)) - 1
    if k < 0 or a[k][1] < lo:
        k += 1
    return k, bisect_right(a, (hi, _BIG))


def _rims(a: Sequence, k: int, m: int, lo: int, hi: int) -> tuple:
    """What is left of a[k:m] (``_window``'s intervals) once ``[lo, hi]`` is cut out:
    the parts of its first and last intervals outside it."""
    first, last = a[k], a[m - 1]
    if first[0] < lo:
        return ((first[0], lo - 1), (hi + 1, last[1])) if last[1] > hi else ((first[0], lo - 1),)
    return ((hi + 1, last[1]),) if last[1] > hi else ()


def _normalise(intervals: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    ivs = sorted((lo, hi) for lo, hi in intervals if lo <= hi)
    if not ivs:
        return ()
    out = [ivs[0]]
    for lo, hi in ivs[1:]:
        plo, phi = out[-1]
        if lo <= phi + 1:
            if hi > phi:
                out[-1] = (plo, hi)
        else:
            out.append((lo, hi))
    return tuple(out)


EMPTY = ISet((), _normal=True)
ALL_ADDR = ISet.of(0, MAX_ADDR)
ALL_V4 = ISet.of(V4_BASE, V4_MAX)
ALL_V6 = ALL_ADDR.subtract(ALL_V4)
ALL_PROTO = ISet.of(0, MAX_PROTO)
_HIGH_PORTS = ISet.of(1024, MAX_PORT)  # source ports an example packet prefers to the well-known ones
# and before those, a client's own: the dynamic ports (RFC 6335, section 6: 49152-65535, where Windows since
# Vista, macOS and Linux's default 32768-60999 take a connection's source port)
_DYNAMIC_PORTS = ISet.of(49152, MAX_PORT)
ALL_PORTS = ISet.of(0, MAX_PORT)


class Cube:
    """A product of five interval sets: src x dst x proto x sport x dport."""

    __slots__ = ("dims",)

    def __init__(self, src: ISet, dst: ISet, proto: ISet, sport: ISet, dport: ISet):
        self.dims = (src, dst, proto, sport, dport)

    @classmethod
    def from_dims(cls, dims: Sequence[ISet]) -> "Cube":
        c = cls.__new__(cls)
        c.dims = tuple(dims)
        return c

    def __repr__(self) -> str:
        return "Cube(%s)" % ", ".join(repr(d) for d in self.dims)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cube) and self.dims == other.dims

    def __hash__(self) -> int:
        return hash(self.dims)

    def contains(self, pkt: Sequence[int]) -> bool:
        for d, x in zip(self.dims, pkt):
            if x not in d:
                return False
        return True

    def overlaps(self, other: "Cube") -> bool:
        for a, b in zip(self.dims, other.dims):
            x, y = a.iv, b.iv
            if len(x) == 1 and len(y) == 1:  # the usual case, inline: two bounds compared
                if x[0][0] > y[0][1] or y[0][0] > x[0][1]:
                    return False
            elif not a.overlaps(b):
                return False
        return True

    def intersect(self, other: "Cube") -> "Cube | None":
        out = []
        inside = True  # (every dimension inside the other's: the cube itself, not a copy)
        for a, b in zip(self.dims, other.dims):
            d = a.intersect(b)
            if not d.iv:  # (emptiness by the intervals: no method call)
                return None
            if d is not a:
                inside = False
            out.append(d)
        return self if inside else Cube.from_dims(out)

    def issubset(self, other: "Cube") -> bool:
        for a, b in zip(self.dims, other.dims):
            if not a.issubset(b):
                return False
        return True

    def subtract(self, other: "Cube") -> list["Cube"]:
        """``self - other`` as a list of pairwise-disjoint cubes."""
        # the usual cases first: ``other`` holds all of ``self`` in every dimension but at
        # most one; then the rest is ``self`` with that one dimension cut, as one cube
        sd, od = self.dims, other.dims
        cut = _unheld(sd, od)
        if cut == -1:
            return []
        if cut >= 0:
            rest = sd[cut].subtract(od[cut])
            if not rest.iv:
                return []
            if rest is sd[cut]:
                return [self]
            dims = list(sd)
            dims[cut] = rest
            return [Cube.from_dims(dims)]
        inter = []
        for a, b in zip(self.dims, other.dims):
            d = a.intersect(b)
            if not d.iv:
                return [self]
            inter.append(d)
        out = []
        dims = list(self.dims)
        for i in range(5):
            rest = dims[i].subtract(other.dims[i])
            if rest.iv:
                piece = dims[:i] + [rest] + dims[i + 1:]
                out.append(Cube.from_dims(piece))
            dims[i] = inter[i]
        return out

    def size(self) -> int:
        n = 1
        for d in self.dims:
            n *= d.size()
        return n


def _unheld(sd: Sequence[ISet], od: Sequence[ISet], skip: int = -1) -> int:
    """The one dimension (other than ``skip``) in which cube dimensions ``od`` do not hold
    all of ``sd``; -1 when they hold it in all, -2 when in more than one they do not.
    (Bounds compared where ``od`` is one interval; elsewhere taken as not holding.)"""
    cut = -1
    for k in range(5):
        if k == skip:
            continue
        b, a = od[k].iv, sd[k].iv
        if len(b) == 1 and b[0][0] <= a[0][0] and a[-1][1] <= b[0][1]:
            continue
        if cut >= 0:
            return -2
        cut = k
    return cut


class Cuts:
    """One cube cut again and again in the same dimension, as a blacklist of hosts cuts
    "any": that dimension's intervals are kept in a list and cut in place, so a cut costs
    a bisection and a move of pointers, not a new cube with the whole list copied (a chain
    of k cuts is then not k times the list).  Exact: ``packets()`` is what is left."""

    __slots__ = ("dims", "d", "ivs")

    def __init__(self, c: Cube, d: int):
        self.dims = c.dims
        self.d = d
        self.ivs = list(c.dims[d].iv)

    @staticmethod
    def of(rem: "PacketSet", other: "PacketSet") -> "Cuts | None":
        """A Cuts of ``rem`` when it is one cube that ``other`` (one cube) cuts in one
        dimension only, holding it in the others; else None."""
        if len(rem.cubes) != 1 or len(other.cubes) != 1:
            return None
        d = _unheld(rem.cubes[0].dims, other.cubes[0].dims)
        return Cuts(rem.cubes[0], d) if d >= 0 else None

    def takes(self, other: "PacketSet") -> bool:
        """``other`` is one cube holding this one in every dimension but the cut one."""
        return len(other.cubes) == 1 and _unheld(self.dims, other.cubes[0].dims, self.d) == -1

    def cut(self, other: "PacketSet") -> bool:
        """Remove ``other`` (which ``takes`` accepts); whether it removed anything."""
        ivs = self.ivs
        met = False
        for lo, hi in other.cubes[0].dims[self.d].iv:
            k, m = _window(ivs, lo, hi)
            if k < m:
                ivs[k:m] = _rims(ivs, k, m, lo, hi)
                met = True
        return met

    def packets(self) -> "PacketSet":
        if not self.ivs:
            return NOTHING
        dims = list(self.dims)
        dims[self.d] = ISet(self.ivs, _normal=True)
        return PacketSet.of_cubes([Cube.from_dims(dims)])


class PacketSet:
    """An immutable union of cubes (not necessarily disjoint)."""

    __slots__ = ("cubes",)

    def __init__(self, cubes: Iterable[Cube] = ()):
        self.cubes: tuple[Cube, ...] = tuple(c for c in cubes if all(c.dims))

    @staticmethod
    def of_cubes(cubes: Sequence[Cube]) -> "PacketSet":
        """From cubes already known to be non-empty (no check: the fast path for parsers)."""
        ps = _new_iset(PacketSet)
        ps.cubes = tuple(cubes)
        return ps

    def __bool__(self) -> bool:
        return bool(self.cubes)

    def __repr__(self) -> str:
        return "PacketSet(%r)" % (self.cubes,)

    def __iter__(self) -> Iterator[Cube]:
        return iter(self.cubes)

    def contains(self, pkt: Sequence[int]) -> bool:
        return any(c.contains(pkt) for c in self.cubes)

    def union(self, other: "PacketSet") -> "PacketSet":
        if not other.cubes:
            return self
        if not self.cubes:
            return other
        return PacketSet.of_cubes(self.cubes + other.cubes)  # (both hold only non-empty cubes)

    def intersect(self, other: "PacketSet") -> "PacketSet":
        out = []
        for a in self.cubes:
            for b in other.cubes:
                c = a.intersect(b)
                if c is not None:
                    out.append(c)
        if len(out) == 1 and out[0] is self.cubes[0] and len(self.cubes) == len(other.cubes) == 1:
            return self  # (one cube inside the other's: the set itself, not a copy, as Cube.intersect)
        return PacketSet.of_cubes(out)  # (an intersection of cubes is None or not empty)

    def overlaps(self, other: "PacketSet") -> bool:
        for b in other.cubes:  # (plain loops: a generator here cost more than the tests)
            s = b.dims[0].iv
            lo, hi = s[0][0], s[-1][1]
            for a in self.cubes:
                s = a.dims[0].iv  # (the source bounds first, without a call: see ``subtract``)
                if s[0][0] <= hi and lo <= s[-1][1] and a.overlaps(b):
                    return True
        return False

    def subtract(self, other: "PacketSet") -> "PacketSet":
        pieces = list(self.cubes)
        for b in other.cubes:
            if not pieces:
                break
            # (b's source and destination bounds, compared without a call: the pieces a long chain of
            # cuts leaves, hundreds of them, mostly lie apart from the next cut there)
            s, d = b.dims[0].iv, b.dims[1].iv
            slo, shi, dlo, dhi = s[0][0], s[-1][1], d[0][0], d[-1][1]
            nxt = []
            for p in pieces:
                s, d = p.dims[0].iv, p.dims[1].iv
                if s[0][0] > shi or s[-1][1] < slo or d[0][0] > dhi or d[-1][1] < dlo or not p.overlaps(b):
                    nxt.append(p)
                else:
                    nxt.extend(p.subtract(b))
            pieces = nxt
        return PacketSet.of_cubes(pieces)  # (the pieces a cube leaves are never empty)

    def issubset(self, other: "PacketSet") -> bool:
        return not self.subtract(other)

    def example(self, avoid: "PacketSet | None" = None) -> tuple[int, int, int, int, int] | None:
        """A concrete packet of the set, chosen to read naturally.

        IPv4 is preferred to IPv6, unicast to special addresses, TCP/UDP source
        ports a client uses (the dynamic ports 49152-65535, else any at or above 1024), and packets
        outside ``avoid`` when possible.  It
        does not depend on the order of the set's cubes.
        """
        if not self.cubes:
            return None
        # (a readable packet inside ``avoid`` is preferred to an unreadable one outside it)
        if avoid is not None:
            rest = self.subtract(avoid)
            if rest:
                p = _preferred(rest.cubes)
                if p is not None:
                    return p
        p = _preferred(self.cubes)
        return p if p is not None else min(_lowest(c) for c in self.cubes)


def _preferred(cubes: Sequence[Cube]) -> tuple[int, int, int, int, int] | None:
    """The lowest packet over all cubes, in the first preference that some cube meets."""
    for pref in _PREF_IV:
        best = None
        for c in cubes:
            p = _lowest_within(c, pref)
            if p is not None and (best is None or p < best):
                best = p
        if best is not None:
            return best
    return None


def _first_common(a: tuple, b: tuple) -> tuple[int, int] | None:
    """The first interval of the intersection of two interval lists, or None."""
    i = j = 0
    na, nb = len(a), len(b)
    while i < na and j < nb:
        x, y = a[i], b[j]
        lo = x[0] if x[0] > y[0] else y[0]
        hi = x[1] if x[1] < y[1] else y[1]
        if lo <= hi:
            return lo, hi
        if x[1] < y[1]:
            i += 1
        else:
            j += 1
    return None


def _lowest_within(c: Cube, pref: tuple) -> tuple[int, int, int, int, int] | None:
    """``_lowest`` of ``c`` intersected with a preference cube (its interval lists), or None."""
    firsts = []
    for dim, allowed in zip(c.dims, pref):  # (the five dimensions; pref[5] is used below)
        first = _first_common(dim.iv, allowed)
        if first is None:
            return None
        firsts.append(first)
    _s, _d, pr, sp, dp = firsts
    # (a client's dynamic source port in it, else one at or above 1024, else the lowest)
    port = _first_common(c.dims[3].iv, pref[6]) or _first_common(c.dims[3].iv, pref[5]) or sp
    src = _host_common(c.dims[0].iv, pref[0])
    return (src, _host_common(c.dims[1].iv, pref[1], src), pr[0], port[0], dp[0])


def _lowest(c: Cube) -> tuple[int, int, int, int, int]:
    src, dst, proto, sport, dport = c.dims
    s = _pick_addr(src)
    return (s, _host_common(dst.iv, _ALL_IV, s), proto.lo, _pick_sport(sport), dport.lo)


def _pick_addr(s: ISet) -> int:
    return _host_common(s.iv, _ALL_IV)


_ALL_IV = ((0, (1 << 128) - 1),)


def _host_common(a: tuple, b: tuple, avoid: int | None = None) -> int:
    """The address an example shows from the intersection of two interval lists (not empty): the
    lowest that reads as a host's, i.e. whose last byte is neither 0 nor 255 (an x.x.x.0 or
    x.x.x.255 address is a network or broadcast address in every /24 or longer subnet, which no
    host sends from or serves on), and is not ``avoid`` (the other end's: a host does not send
    through a firewall to itself), else the lowest.  A workshop network 10.1.0.0/16 less the
    router's own 10.1.0.1 shows 10.1.0.2, not its network address 10.1.0.0.  (At most 64
    common intervals are looked at: a list of thousands of x.x.x.0 hosts costs no more.)"""
    first = second = None
    i = j = 0
    na, nb = len(a), len(b)
    tries = 64
    while i < na and j < nb:
        x, y = a[i], b[j]
        lo = x[0] if x[0] > y[0] else y[0]
        hi = x[1] if x[1] < y[1] else y[1]
        if lo <= hi:
            if first is None:
                first = lo
            host = lo
            while host <= hi:  # (at most four steps: .255, .0, ``avoid``)
                if host & 0xFF in (0, 255):
                    host += 1
                elif host == avoid:
                    second = host if second is None else second
                    host += 1
                else:
                    return host
            tries -= 1
            if not tries:
                break
        if x[1] < y[1]:
            i += 1
        else:
            j += 1
    return second if second is not None else first


def _pick_sport(s: ISet) -> int:
    dynamic = s.intersect(_DYNAMIC_PORTS)
    if dynamic:
        return dynamic.lo
    hi_part = s.intersect(_HIGH_PORTS)
    if hi_part:
        return hi_part.lo
    return s.lo


def cube(src: ISet = ALL_ADDR, dst: ISet = ALL_ADDR, proto: ISet = ALL_PROTO,
         sport: ISet = ALL_PORTS, dport: ISet = ALL_PORTS) -> Cube:
    """A cube with every dimension defaulting to 'any'."""
    return Cube(src, dst, proto, sport, dport)


def one_packet(pkt: Sequence[int]) -> PacketSet:
    """The set of the one packet ``pkt`` (src, dst, proto, sport, dport)."""
    return PacketSet([cube(*(ISet.of(x) for x in pkt))])


# the bounds of no packets: no bounds comparison ever passes
NO_BOUNDS = (_BIG, -1) * 5


def bounds(cubes: Sequence[Cube]) -> tuple:
    """(lo, hi) of each dimension over all of ``cubes``, flattened (``NO_BOUNDS`` for none):
    a cheap overlap filter, since what misses a set's bounds misses the set."""
    if len(cubes) == 1:  # the usual case, spelled out: stage tables take it for every rule
        s, d, p, sp, dp = cubes[0].dims
        s, d, p, sp, dp = s.iv, d.iv, p.iv, sp.iv, dp.iv
        return (s[0][0], s[-1][1], d[0][0], d[-1][1], p[0][0], p[-1][1], sp[0][0], sp[-1][1], dp[0][0], dp[-1][1])
    if not cubes:
        return NO_BOUNDS
    out: list[int] = []
    for k in range(5):
        out += (min(c.dims[k].iv[0][0] for c in cubes), max(c.dims[k].iv[-1][1] for c in cubes))
    return tuple(out)


ALL = PacketSet([cube()])
NOTHING = PacketSet()


def replies(ps: PacketSet) -> PacketSet:
    """The replies of ``ps``: addresses and ports swapped (for ICMP, the type stays: see the engine)."""
    return PacketSet(Cube(c.dims[1], c.dims[0], c.dims[2], c.dims[4], c.dims[3]) for c in ps)

# Address ranges that make poor examples (special purpose); preference order.
_SPECIAL_V4 = [
    "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/3",
]


def _pref_sets() -> list[PacketSet]:
    """Where example packets are looked for, in order: both addresses of one family (IPv4
    first), unicast, TCP/UDP with a client's source port, TCP/UDP from a server's port to a client's
    (a reply: a rule of a fixed source port, e.g. DNS's 53), ports other than 0 (reserved: devices drop
    a TCP or UDP packet of port 0), then anything of one family."""
    special = EMPTY
    for net in _SPECIAL_V4:
        special = special.union(parse_network(net))
    good_v4 = ALL_V4.subtract(special)
    good_v6 = parse_network("2000::/3")
    unicast_ports = _HIGH_PORTS
    tcp_udp = ISet([(6, 6), (17, 17)])
    ports = ISet.of(1, MAX_PORT)
    out = []
    for good in (good_v4, good_v6):
        out += [PacketSet([cube(good, good, tcp_udp, sport=unicast_ports, dport=unicast_ports)]),
                PacketSet([cube(good, good, sport=unicast_ports, dport=ports)]),
                PacketSet([cube(good, good, sport=unicast_ports)]),
                PacketSet([cube(good, good, tcp_udp, sport=ports, dport=unicast_ports)]),
                PacketSet([cube(good, good, sport=ports, dport=ports)]),
                PacketSet([cube(good, good)])]
    return out + [PacketSet([cube(ALL_V4, ALL_V4)]), PacketSet([cube(ALL_V6, ALL_V6)])]


# --- addresses -------------------------------------------------------------

@lru_cache(maxsize=1 << 16)
def addr_to_int(text: str) -> int:
    """Parse an IPv4 or IPv6 address into the shared 128-bit space."""
    try:
        if ":" not in text:
            return V4_BASE + int.from_bytes(_inet_pton(_AF_INET, text), "big")
        return int.from_bytes(_inet_pton(_AF_INET6, text), "big")
    except (OSError, ValueError, TypeError):
        raise ValueError("'%s' is not an IPv4 or IPv6 address" % text) from None


@lru_cache(maxsize=64)
def v4_mask(mask: str) -> int:
    """The prefix length of a dotted IPv4 netmask (ValueError if not contiguous)."""
    m = addr_to_int(mask) - V4_BASE
    if not V4_BASE <= m + V4_BASE <= V4_MAX:
        raise ValueError("bad netmask %s" % mask)
    inv = (~m) & 0xFFFFFFFF
    if inv & (inv + 1):
        raise ValueError("bad netmask %s" % mask)
    return 32 - inv.bit_length()


def v4_net(addr: str, mask: str) -> ISet:
    """``addr``/``mask`` (dotted) as its network block (host bits ignored)."""
    plen = v4_mask(mask)
    a = addr_to_int(addr)
    if not V4_BASE <= a <= V4_MAX:
        raise ValueError("not an IPv4 address: %s" % addr)
    size = 1 << (32 - plen)
    lo = a & ~(size - 1)
    return ISet.of(lo, lo + size - 1)


def network_to_iset(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> ISet:
    """An ``ipaddress`` network as its address set."""
    base = V4_BASE if net.version == 4 else 0
    lo = base + int(net.network_address)
    return ISet.of(lo, lo + net.num_addresses - 1)


def parse_network(text: str) -> ISet:
    """``10.0.0.0/8``, ``10.0.0.1``, ``2001:db8::/32`` or ``a.b.c.d-e.f.g.h``."""
    if "-" in text and "/" not in text:
        lo, hi = text.split("-", 1)
        return ISet.of(addr_to_int(lo.strip()), addr_to_int(hi.strip()))
    return network_to_iset(ipaddress.ip_network(text, strict=False))


def format_addr(x: int) -> str:
    """An address of the shared space as text (IPv4 dotted, IPv6 compressed): IPv4 spelled out
    (as ``ipaddress`` writes it, tested equal; a report formats an address or two per finding)."""
    if V4_BASE <= x <= V4_MAX:
        return "%d.%d.%d.%d" % ((x >> 24) & 255, (x >> 16) & 255, (x >> 8) & 255, x & 255)
    return str(ipaddress.IPv6Address(x))


def format_iset_addrs(s: ISet, limit: int = 4) -> str:
    """Human form of an address set: CIDRs where exact, ranges otherwise, IPv4 before IPv6 (no range
    spans the two), and a family missing only a few blocks as what it misses: ``any except
    192.168.1.0/24`` (every IPv4 and IPv6 address but that block), ``any4 except 10.0.0.0/8``."""
    v4, v6 = s.intersect(ALL_V4), s.intersect(ALL_V6)
    if v6 == ALL_V6 and v4:
        if v4 == ALL_V4:
            return "any"
        rest = ALL_V4.subtract(v4)
        if len(rest.iv) < len(v4.iv):
            return "any except " + _addr_list(rest.iv, limit)
    parts = [p for p in (_family_text(v4, ALL_V4, "any4", limit), _family_text(v6, ALL_V6, "any6", limit)) if p]
    return ", ".join(parts)


def _family_text(part: ISet, universe: ISet, label: str, limit: int) -> str:
    if not part:
        return ""
    if part == universe:
        return label
    rest = universe.subtract(part)
    if len(rest.iv) < len(part.iv):
        return "%s except %s" % (label, _addr_list(rest.iv, limit))
    return _addr_list(part.iv, limit)


def _addr_list(iv, limit: int) -> str:
    """Intervals of one family as CIDRs where exact, ranges otherwise (the first ``limit``)."""
    parts = []
    for lo, hi in iv[:limit]:
        if lo == hi:
            parts.append(format_addr(lo))
            continue
        if V4_BASE <= lo and hi <= V4_MAX:
            nets = list(ipaddress.summarize_address_range(
                ipaddress.IPv4Address(lo - V4_BASE), ipaddress.IPv4Address(hi - V4_BASE)))
        else:
            nets = list(ipaddress.summarize_address_range(ipaddress.IPv6Address(lo), ipaddress.IPv6Address(hi)))
        parts.append(str(nets[0]) if len(nets) == 1 else "%s-%s" % (format_addr(lo), format_addr(hi)))
    if len(iv) > limit:
        return ", ".join(parts) + ", ... (%d more)" % (len(iv) - limit)
    return ", ".join(parts)


PROTO_NAMES = {1: "icmp", 6: "tcp", 17: "udp", 47: "gre", 50: "esp", 51: "ah", 58: "icmp6", 132: "sctp"}


def _with_port(addr: int, port: int) -> str:
    """``10.0.0.1:80``, or ``[2001:db8::1]:80`` for IPv6 (RFC 5952, section 6)."""
    text = format_addr(addr)
    return "%s:%d" % (text, port) if V4_BASE <= addr <= V4_MAX else "[%s]:%d" % (text, port)


def format_packet(pkt: Sequence[int]) -> str:
    """``tcp 10.30.0.1:1024 -> 10.20.0.10:445`` style text for one packet (IPv6 in brackets)."""
    src, dst, proto, sport, dport = pkt
    name = PROTO_NAMES.get(proto, str(proto))
    if proto in (PROTO_TCP, PROTO_UDP, 132):
        return "%s %s -> %s" % (name, _with_port(src, sport), _with_port(dst, dport))
    if proto in (PROTO_ICMP, PROTO_ICMP6):
        return "%s %s -> %s type %d code %d" % (name, format_addr(src), format_addr(dst), dport >> 8, dport & 0xFF)
    return "%s %s -> %s" % (name, format_addr(src), format_addr(dst))


def packet_json(pkt: Sequence[int]) -> dict:
    """One packet as JSON: addresses, protocol name, ports or ICMP type and code."""
    src, dst, proto, sport, dport = pkt
    out: dict = {"src": format_addr(src), "dst": format_addr(dst), "proto": PROTO_NAMES.get(proto, proto)}
    if proto in (PROTO_TCP, PROTO_UDP, 132):
        out["sport"] = sport
        out["dport"] = dport
    elif proto in (PROTO_ICMP, PROTO_ICMP6):
        out["icmp_type"] = dport >> 8
        out["icmp_code"] = dport & 0xFF
    return out


_PREFERENCES = _pref_sets()
# the same, as interval lists per dimension, then the source ports at or above 1024 in each, then its dynamic ones
_PREF_IV = [tuple(d.iv for d in ps.cubes[0].dims) + (ps.cubes[0].dims[3].intersect(_HIGH_PORTS).iv,
                                                     ps.cubes[0].dims[3].intersect(_DYNAMIC_PORTS).iv)
            for ps in _PREFERENCES]

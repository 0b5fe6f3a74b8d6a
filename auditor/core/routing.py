"""The routing table's answer: which destinations each interface reaches.

The engine asks it of every config; a parser may ask it too where the device's own lookup
decides what it builds (PAN-OS NAT rules match the zone the routing table gives).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence, TypeVar

from auditor.core.model import Route
from auditor.core.packets import ALL_V4, ALL_V6, EMPTY, ISet

T = TypeVar("T")


def regions(connected: Iterable[tuple[str, ISet]], routes: Sequence[Route]) -> dict[str, ISet]:
    """Which addresses each interface reaches, by longest-prefix match, as a routing table decides:
    the smaller block wins; a connected network (``(interface, networks)`` pairs) before a static
    route of the same block; of static routes to one block the lowest ``Route.preference``, then the
    first.  Interfaces that reach nothing are left out."""
    entries: list[tuple] = []
    for name, nets in connected:
        for lo, hi in nets.iv:
            entries.append((hi - lo, 0, (), 0, lo, name))
    for i, route in enumerate(routes):
        for lo, hi in route.prefix.iv:
            entries.append((hi - lo, 1, route.preference, i, lo, route.interface))
    entries.sort()
    taken = EMPTY
    out: dict[str, ISet] = {}
    for size, _kind, _pref, _i, lo, name in entries:
        block = ISet.of(lo, lo + size).subtract(taken)
        if block:
            out[name] = out.get(name, EMPTY).union(block)
            taken = taken.union(block)
    return out


def table_regions(connected: Iterable[tuple[str, ISet, str]], routes: Sequence[Route]
                  ) -> dict[str, dict[str, ISet]]:
    """``regions`` of each routing table (``Interface.table``, ``Route.table``): the connected
    networks are ``(interface, networks, table)``.  What a table hands to another table's lookup
    (``Route.next_table``) goes where that table routes it; a loop of tables routes nothing."""
    conn = list(connected)
    names = {t for _n, _s, t in conn} | {r.table for r in routes}
    raw = {t: regions(((n, s) for n, s, tt in conn if tt == t),
                      [r if r.next_table is None else replace(r, interface=_NEXT + r.next_table)
                       for r in routes if r.table == t]) for t in names}
    return {t: _resolved(raw, t, (t,)) for t in names}


_NEXT = "\0next-table:"  # (the region a table hands to another table's lookup)


def _resolved(raw: dict[str, dict[str, ISet]], table: str, seen: tuple[str, ...]) -> dict[str, ISet]:
    out: dict[str, ISet] = {}
    for name, region in raw.get(table, {}).items():
        if not name.startswith(_NEXT):
            out[name] = out.get(name, EMPTY).union(region)
            continue
        target = name[len(_NEXT):]
        if target in seen:
            continue
        for name2, region2 in _resolved(raw, target, seen + (target,)).items():
            part = region.intersect(region2)
            if part:
                out[name2] = out.get(name2, EMPTY).union(part)
    return out


def learned_region(connected: ISet, space: ISet | None) -> ISet:
    """The addresses a learned route (``Config.learned_routes``) may route: every address of the
    families the device has ``connected`` networks in and its protocols route (``space``, None: both),
    but those connected networks."""
    got = EMPTY
    for fam in (ALL_V4, ALL_V6):
        if connected.overlaps(fam) and (space is None or space.overlaps(fam)):
            got = got.union(fam.subtract(connected))
    return got


def unsettled_region(interfaces, learned: bool, space: ISet | None, unsettled) -> ISet:
    """The addresses whose route the configuration does not settle: those a learned route may take when the
    device runs a routing protocol (``learned_region`` of its ``interfaces``' networks) and those of
    ``Config.unsettled_routes`` (``unsettled``: (addresses, line, why) each).  A parser deciding something by a
    route lookup before the engine does (a NAT rule's zone, an ACL's placement) leaves them uncertain."""
    got = learned_region(ISet.union_of(i.networks for i in interfaces), space) if learned else EMPTY
    return got.union(ISet.union_of(nets for nets, _s, _w in unsettled))


def equal_cost(routes: Sequence[tuple[Route, T]]) -> list[tuple[tuple[Route, T], tuple[Route, T]]]:
    """Each (route, what it came from) that ties with an earlier one over another interface: the
    same prefix and ``Route.preference``.  The device spreads sessions over them (ECMP) or chooses
    one the config does not say; ``regions`` takes the first, so a parser reports each such pair and
    leaves unsettled what the two route differently (``parsers.kit.routes.tied``)."""
    first: dict = {}
    out = []
    for item in routes:
        r = item[0]
        f = first.setdefault((r.prefix, r.preference), item)
        if f is not item and f[0].interface != r.interface:
            out.append((f, item))
    return out


def shared_sources(tables: dict[str, list[tuple[ISet, object]]]) -> list[tuple[ISet, tuple[str, str], object]]:
    """Where a device has several routing tables (VRFs, routing instances, virtual routers), the
    addresses that two tables route equally specifically (``tables``: each table's blocks, connected
    networks and route prefixes alike, with what each came from).  A packet from such an address may
    come in through an interface of either table: which one, and so which rules decide it, the config
    does not say.  (A more specific block in one table is taken to hold the address: an aggregate or
    default route of another table does not.)  Each answer: the addresses, the two tables, and what
    the later table's block came from."""
    entries = sorted(((hi - lo, lo, name, what) for name, blocks in tables.items() for nets, what in blocks
                      for lo, hi in nets.iv), key=lambda e: e[:3])
    taken = EMPTY
    out = []
    i = 0
    while i < len(entries):
        size = entries[i][0]
        j = i
        while j < len(entries) and entries[j][0] == size:
            j += 1
        # this size's blocks, per table, less what a more specific block of any table holds
        mine: dict[str, list[tuple[ISet, object]]] = {}
        for _s, lo, name, what in entries[i:j]:
            block = ISet.of(lo, lo + size).subtract(taken)
            if block:
                mine.setdefault(name, []).append((block, what))
        names = list(mine)
        for a, first in enumerate(names):
            held = ISet.union_of(b for b, _w in mine[first])
            for second in names[a + 1:]:
                for block, what in mine[second]:
                    both = block.intersect(held)
                    if both:
                        out.append((both, (first, second), what))
        for blocks in mine.values():
            for block, _w in blocks:
                taken = taken.union(block)
        i = j
    return out

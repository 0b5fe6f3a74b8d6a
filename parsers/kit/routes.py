"""Routing facts every vendor's parser states the same way.

* Routes that drop what they route (to Null0, a blackhole, ``discard``/``reject``): such a route's
  egress is no interface, so each one is given its own egress name (``drop_egress``), the routing table
  sends its block there by longest prefix, and ``drop_paths`` makes, from every interface, a path to it
  whose one stage denies, attributed to the route's line.  A packet the route drops is then denied by
  that line, as the device drops it, rather than left unrouted.
* The address families dynamic routing protocols route (``PROTOCOL_FAMILY``, ``learned_space``): only
  there may a learned route take a packet elsewhere (``Config.learned_space``).
* Routes that may or may not be in the routing table (a tracked route, withdrawn when its tracked object
  goes down; one of two routes of one distance): ``routed_apart`` and ``withdrawn`` give the addresses
  whose interface that decides (``Config.unsettled_routes``), as a source or as a destination.  Routes
  to one prefix of one preference over two interfaces (``routing.equal_cost``: the device spreads
  sessions over them, ECMP, or chooses one at run time): ``tied`` gives the addresses whose interface
  depends on which one forwards them, and ``report_tie`` reports the tie and leaves those unsettled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

from auditor.core import routing
from auditor.core.model import Action, Impact, Path, Route, Source, Stage
from auditor.core.packets import ALL_V4, ALL_V6, EMPTY, ISet
from parsers.kit.lines import Lines

_MARK = "drop:"


def drop_egress(kind: str, source: Source) -> str:
    """The egress name of the drop route of ``kind`` (``Null0``, ``blackhole``...) written at ``source``."""
    return "%s%s:%d" % (_MARK, kind, source.line)


def drop_paths(routes: Iterable[Route], ingress: Iterable[str], why: str) -> list[Path]:
    """From every ``ingress`` interface, a path to each drop route of ``routes``: denied by its line,
    because ``why`` (``"routed to Null0: the ASA drops the packet"``)."""
    names = list(ingress)
    out: list[Path] = []
    for r in routes:
        if is_drop(r):
            stage = Stage("discard:%s" % r.interface, (), Action.DENY, r.source, why, drop_route=True)
            out += [Path(a, r.interface, (stage,)) for a in names]
    return out


def is_drop(route: Route) -> bool:
    """Whether ``route`` drops what it routes (``drop_egress``)."""
    return route.interface.startswith(_MARK)


# the address family a routing protocol of that name routes (4, 6; 0: both, by its address families)
PROTOCOL_FAMILY = {"ospf": 4, "rip": 4, "ospf3": 6, "ospfv3": 6, "ospf6": 6, "ripng": 6, "bgp": 0, "isis": 0}


def learned_space(families: Iterable[int]) -> ISet | None:
    """``Config.learned_space`` of dynamic routing protocols that route these address families (4, 6;
    0 for a protocol that may route both): None when both (or none) are among them."""
    fams = set(families)
    if 0 in fams or fams >= {4, 6} or not fams:
        return None
    return ALL_V4 if 4 in fams else ALL_V6


def routed_apart(connected: Sequence[tuple[str, ISet, str]], one: Sequence[Route], other: Sequence[Route]) -> ISet:
    """The addresses that the routes ``one`` and the routes ``other``, each with the connected networks
    (``(interface, networks, table)``), route differently: through another interface or nowhere, as a
    destination (each routing table's lookup) or as a source (the interface it comes in through, every
    table's blocks at once: ``auditor.core.routing``)."""
    return _apart(_lookups(connected, one), _lookups(connected, other))


_Lookups = tuple[dict[str, ISet], dict[str, dict[str, ISet]]]


def _lookups(connected: Sequence[tuple[str, ISet, str]], routes: Sequence[Route]) -> _Lookups:
    """``routed_apart``'s two views of ``routes``: every table's blocks at once, and each table's lookup."""
    plain = routing.regions([(n, s) for n, s, _t in connected], [r for r in routes if r.next_table is None])
    if all(t == "" for _n, _s, t in connected) and all(r.table == "" and r.next_table is None for r in routes):
        return plain, {"": plain}  # (one table, nothing handed on: its lookup is the same)
    return plain, routing.table_regions(connected, routes)


def _apart(a: _Lookups, b: _Lookups) -> ISet:
    out = EMPTY
    pairs = [(a[0], b[0])] + [(a[1].get(t, {}), b[1].get(t, {})) for t in set(a[1]) | set(b[1])]
    for x, y in pairs:
        for name in set(x) | set(y):
            here, there = x.get(name, EMPTY), y.get(name, EMPTY)
            out = out.union(here.subtract(there)).union(there.subtract(here))
    return out


def tied(connected: Sequence[tuple[str, ISet, str]], routes: Sequence[Route], a: Route, b: Route) -> ISet:
    """The addresses whose interface depends on which of the routes ``a`` and ``b`` (of ``routes``; one
    table, prefix and preference) forwards them: ``routed_apart`` of the routes with ``a`` alone of those
    tied with it, and with ``b`` alone (none where a better route, or more specific ones, take them)."""
    def alone(r: Route) -> list[Route]:
        return [x for x in routes if x is r or (x.table, x.prefix, x.preference) != (r.table, r.prefix, r.preference)]
    return routed_apart(connected, alone(a), alone(b))


def report_tie(lines: Lines, unsettled: list[tuple[ISet, Source, str]], connected: Sequence[tuple[str, ISet, str]],
               routes: Sequence[Route], a: Route, b: Route, why: str) -> ISet:
    """Report the tie of routes ``a`` and ``b`` (``routing.equal_cost``; ``b`` the later), ``why`` the vendor's
    words for it, at ``b``'s line, of no impact: what the two route differently (``tied``, returned) is added to
    ``unsettled`` (``Config.unsettled_routes``) at that line, and only its packets are unknown."""
    lines.unrecognized(b.source, why + ", so packets from or to the addresses they route differently are unknown",
                       Impact.NONE)
    nets = tied(connected, routes, a, b)
    if nets:
        unsettled.append((nets, b.source, why + ", so which interface packets from or to these addresses take is "
                          "not known"))
    return nets


_SUBSETS_UP_TO = 6  # tracked routes whose every combination is tried (beyond: all their prefixes)


def withdrawn(connected: Sequence[tuple[str, ISet, str]], routes: Sequence[Route], tracked: Sequence[Route]) -> ISet:
    """The addresses whose interface depends on which of the ``tracked`` routes (of ``routes``) are in the
    routing table: what any combination of them withdrawn routes elsewhere (``routed_apart``).  Beyond a
    few tracked routes, every address of their prefixes (an address no tracked route covers is routed
    alike whatever becomes of them)."""
    if len(tracked) > _SUBSETS_UP_TO:
        return ISet.union_of(r.prefix for r in tracked)
    every = _lookups(connected, routes)
    out = EMPTY
    for k in range(1, len(tracked) + 1):
        for gone in combinations(tracked, k):
            ids = {id(g) for g in gone}
            out = out.union(_apart(every, _lookups(connected, [r for r in routes if id(r) not in ids])))
    return out

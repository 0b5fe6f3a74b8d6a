"""The routing table's answer: which destinations each interface reaches.

The engine asks it of every config; a parser may ask it too where the device's own lookup
decides what it builds (PAN-OS NAT rules match the zone the routing table gives).
"""

from __future__ import annotations

from typing import Iterable, Sequence, TypeVar

from auditor.core.model import Route
from auditor.core.packets import EMPTY, ISet

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


def equal_cost(routes: Sequence[tuple[Route, T]]) -> list[tuple[tuple[Route, T], tuple[Route, T]]]:
    """Each (route, what it came from) that ties with an earlier one over another interface: the
    same prefix and ``Route.preference``.  The device spreads sessions over them (ECMP) or chooses
    one the config does not say; ``regions`` takes the first, so a parser reports each such pair."""
    first: dict = {}
    out = []
    for item in routes:
        r = item[0]
        f = first.setdefault((r.prefix, r.preference), item)
        if f is not item and f[0].interface != r.interface:
            out.append((f, item))
    return out

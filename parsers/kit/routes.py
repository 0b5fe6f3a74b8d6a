"""Routing facts every vendor's parser states the same way.

* Routes that drop what they route (to Null0, a blackhole, ``discard``/``reject``): such a route's
  egress is no interface, so each one is given its own egress name (``drop_egress``), the routing table
  sends its block there by longest prefix, and ``drop_paths`` makes, from every interface, a path to it
  whose one stage denies, attributed to the route's line.  A packet the route drops is then denied by
  that line, as the device drops it, rather than left unrouted.
* The address families dynamic routing protocols route (``PROTOCOL_FAMILY``, ``learned_space``): only
  there may a learned route take a packet elsewhere (``Config.learned_space``).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.core.model import Action, Path, Route, Source, Stage
from auditor.core.packets import ALL_V4, ALL_V6, ISet

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

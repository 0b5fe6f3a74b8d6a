"""Routes that drop what they route (to Null0, a blackhole, ``discard``/``reject``) in the model.

Such a route's egress is no interface: each one is given its own egress name (``drop_egress``), so
that the routing table sends its block there by longest prefix, and ``drop_paths`` makes, from every
interface, a path to it whose one stage denies, attributed to the route's line.  A packet the route
drops is then denied by that line, as the device drops it, rather than left unrouted.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.core.model import Action, Path, Route, Source, Stage

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
        if r.interface.startswith(_MARK):
            stage = Stage("discard:%s" % r.interface, (), Action.DENY, r.source, why)
            out += [Path(a, r.interface, (stage,)) for a in names]
    return out


def is_drop(route: Route) -> bool:
    """Whether ``route`` drops what it routes (``drop_egress``)."""
    return route.interface.startswith(_MARK)

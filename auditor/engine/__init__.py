"""First-match evaluation of packet sets over the rule graph, exactly.

``evaluate(config, flows)`` splits a packet set by the path it takes through
the device (from interface subnets and routes, after destination NAT), then
runs each part through that path's stages.  Every packet of the input ends up
in exactly one ``Outcome``: permitted, denied, unknown (reached a line that
was not understood), not filtered (does not cross the device) or not routed.
Packets are always those the client sends; a stage whose rules see translated
addresses (``Stage.sees``) is run on their translation and its outcomes taken
back (``auditor.engine.nat``).

``evaluate`` decides the first packet of a connection (state ``NEW``).
``connection(config, flows)`` decides a whole connection: where the device has
stateless stages, also its later packets and its replies (state
``ESTABLISHED``), the replies going the other way through the device.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Sequence

from auditor.core import routing
from auditor.core.model import ESTABLISHED, NEW, USER_CHAIN, Action, Config, NatRule, Path, Rule, Source, Stage
from auditor.core.packets import (
    ALL_ADDR,
    ALL_PORTS,
    EMPTY,
    NO_BOUNDS,
    Cube,
    ISet,
    PacketSet,
    cube,
    format_addr,
    one_packet,
    replies,
)
from auditor.engine import nat as _nat
from auditor.engine.nat import IDENTITY, Xlate

PERMIT = "permit"
DENY = "deny"
UNKNOWN = "unknown"
NOT_FILTERED = "not_filtered"
NOT_ROUTED = "not_routed"


@dataclass(frozen=True)
class Outcome:
    """A part of the evaluated packet set and what decided it."""

    kind: str
    packets: PacketSet
    rule: Rule | None = None
    stage: Stage | None = None
    path: Path | None = None
    source: Source | None = None
    reason: str = ""
    xlate: Xlate = IDENTITY  # the address translation these packets got on the way in (``nat``)
    phase: str = "new"  # new: first packets; established: later packets; reply: the replies (``packets`` are replies)
    # the part of ``xlate`` a stage that sees "routed" packets matches (the destination NAT), where it
    # differs from ``xlate`` (a source NAT after it): ``view``
    routed: Xlate | None = None
    # False for an UNKNOWN that is a deny wherever the packets reach the device, which they may not
    # (``_back_out``): not filtered or denied, never let through by a line of this device
    may_permit: bool = True
    # True for an UNKNOWN of a stage (``run_stage``) whose uncertain lines can only pass these packets on as they
    # are or drop them (``Rule.sure_action``, ``Config.verdicts_only``): the path's later stages still decide the
    # packets it would pass, so one of them that certainly drops them decides them (``_run_stages``)
    onward: bool = False

    def view(self, sees: str) -> Xlate:
        """The translation of ``packets`` (as sent) that rules seeing ``sees`` (``Stage.sees``) match."""
        if sees == "sent":
            return IDENTITY
        return self.routed if sees == "routed" and self.routed is not None else self.xlate

    @property
    def allowed(self) -> bool:
        return self.kind in (PERMIT, NOT_FILTERED)


# --- routing ---------------------------------------------------------------

def interface_regions(config: Config) -> dict[str, ISet]:
    """Which addresses each interface reaches, by longest-prefix match: the sources that come in
    through it.

    Connected interface subnets and static routes compete by specificity
    (the smaller block wins), exactly as a routing table would (``auditor.core.routing``).  With
    several routing tables (``Interface.table``), every table's blocks compete at once: a source
    enters where it is routed most specifically (where two tables route it equally specifically,
    ``_shared_sources`` leaves it unknown).  Where a packet goes is its ingress table's answer
    (``table_regions``).
    """
    cache = _derived(config).get("_regions")
    if cache is not None:
        return cache
    regions: dict[str, ISet] = {i.name: ISet() for i in config.interfaces}
    # (a route into another table says nothing of where a source is: that table's own blocks do)
    regions.update(routing.regions(((i.name, i.networks) for i in config.interfaces),
                                   [r for r in config.routes if r.next_table is None]))
    _derived(config)["_regions"] = regions
    return regions


def _several_tables(config: Config) -> bool:
    """Whether the device's interfaces and routes are in more than one routing table."""
    first = config.interfaces[0].table if config.interfaces else config.routes[0].table if config.routes else ""
    return any(i.table != first for i in config.interfaces) or any(r.table != first for r in config.routes)


def table_regions(config: Config, ingress: str | None) -> dict[str, ISet]:
    """Which destinations each interface reaches for a packet that came in through ``ingress``: its
    routing table's longest-prefix match (``interface_regions`` where the device has one table, or
    for no ingress)."""
    tables = _derived(config).get("_tables")
    if tables is None:
        tables = _derived(config)["_tables"] = {}
        if _several_tables(config):
            tables.update(routing.table_regions(((i.name, i.networks, i.table) for i in config.interfaces),
                                                config.routes))
            tables["_of"] = {i.name: i.table for i in config.interfaces}
    if not tables or ingress is None:
        return interface_regions(config)
    return tables[tables["_of"].get(ingress, "")]


# What the engine derives from a config (its routing regions, its stages' rule tables and
# indexes), kept beside the config while it lives, never inside the frozen record.
_DERIVED: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def _derived(config) -> dict:
    d = _DERIVED.get(config)
    if d is None:
        d = _DERIVED[config] = {}
    return d


def _path_boxes(config: Config) -> list[tuple[Path, ISet, ISet, PacketSet]]:
    """Each path with the sources that enter by its ingress and the destinations its egress
    reaches (regions, narrowed by the device's own addresses for host paths), in order, and the
    packets of both that its scope holds (``Path.scope``)."""
    cache = _derived(config).get("_boxes")
    if cache is not None:
        return cache
    regions = interface_regions(config) if config.interfaces else {}
    has_transit = any(p.local is None for p in config.paths)
    local = config.local_addresses
    out = []
    for path in config.paths:
        src = regions.get(path.ingress, EMPTY) if path.ingress is not None else ALL_ADDR
        reached = table_regions(config, path.ingress) if config.interfaces else {}
        dst = reached.get(path.egress, EMPTY) if path.egress is not None else ALL_ADDR
        if path.local is not None:
            if local is None and has_transit:
                continue  # a router whose own addresses are unknown: transit only
            own = ALL_ADDR if local is None else local
            if path.local == "in":
                dst = dst.intersect(own)
            else:
                src = src.intersect(own)
        elif local is not None:
            src, dst = src.subtract(local), dst.subtract(local)
        if src and dst:
            box = PacketSet([cube(src=src, dst=dst)])
            out.append((path, src, dst, box if path.scope is None else box.intersect(path.scope)))
    _derived(config)["_boxes"] = out
    return out


def split_by_path(config: Config, flows: PacketSet, xlate: Xlate = IDENTITY
                  ) -> list[tuple[Path | None, PacketSet]]:
    """Partition ``flows`` by the path each packet takes; ``None`` for no route.

    With ``xlate`` (the destination NAT the packets get on arrival), the ingress is chosen on
    the packet as sent and the egress on its translation.  Packets whose path depends on the
    device's choice from a NAT pool are left out (see ``_route``).
    """
    out: list[tuple[Path | None, PacketSet]] = []
    if not config.paths:
        return [(None, flows)]
    # the cubes of the paths before (their boxes, or the packets they took): a list, not a
    # union rebuilt per path, and only the cubes meeting a path's part are subtracted from it
    # (a device of 50 interfaces has 2,500 paths)
    covered: list[Cube] = []
    for path, src, dst, box in _path_boxes(config):
        if path.nat and not any(r.source in path.nat for r in xlate.rules):
            continue  # (a path of the packets some NAT rules translated: ``Path.nat``)
        if not xlate:
            part = _minus(flows.intersect(box), covered)
            covered += box.cubes
        else:
            sent = flows.intersect(PacketSet([cube(src=src)]))
            if path.scope is not None:
                # (the scope holds the packets as sent: one sent to a mapped address reaches the device,
                # even when its translation joins two hosts of one subnet)
                sent = sent.intersect(path.scope)
            sure, doubt = xlate.back(PacketSet([cube(dst=dst)]), sent)
            part = _minus(sure, covered)
            covered += sure.cubes + doubt.cubes
        if part:
            out.append((path, part))
    rest = flows.subtract(PacketSet.of_cubes(covered))
    if rest:
        out.append((None, rest))
    return out


def _minus(ps: PacketSet, cubes: list[Cube]) -> PacketSet:
    """``ps`` minus the union of ``cubes`` (the same pieces as subtracting them all: a cube
    that misses ``ps`` cuts none of its pieces)."""
    if not ps or not cubes:
        return ps
    return ps.subtract(PacketSet.of_cubes([c for c in cubes if any(c.overlaps(x) for x in ps.cubes)]))


_LEARNED = "a route learned by dynamic routing may take these packets through another interface, where other " \
           "rules decide them"


def _learned_region(config: Config) -> ISet:
    """The addresses a learned route may route (``Config.learned_routes``): every address of the
    families the device has interfaces in and its protocols route (``Config.learned_space``), but its
    connected networks; none without dynamic routing."""
    got = _derived(config).get("_learned")
    if got is None:
        got = EMPTY
        if config.learned_routes and config.interfaces:
            got = routing.learned_region(ISet.union_of(i.networks for i in config.interfaces), config.learned_space)
        _derived(config)["_learned"] = got
    return got


def _shared_sources(config: Config) -> list[tuple[ISet, str]]:
    """Sources two routing tables route equally specifically (``routing.shared_sources``), each with
    the reason to give; their line is the later table's block's (``_doubt_split``)."""
    got = _derived(config).get("_shared")
    if got is None:
        got = []
        if _several_tables(config):
            tables: dict[str, list] = {}
            for i in config.interfaces:
                tables.setdefault(i.table, []).append((i.networks, i.source))
            for r in config.routes:
                if r.next_table is None:
                    tables.setdefault(r.table, []).append((r.prefix, r.source))
            got = [(nets, src, "routing tables %s and %s both route these sources, equally specifically: which "
                    "interface they come in through, and so which rules decide them, is not known"
                    % tuple(t or "(the main table)" for t in pair))
                   for nets, pair, src in routing.shared_sources(tables)]
        _derived(config)["_shared"] = got
    return got


def _from_or_to(flows: PacketSet, nets: ISet, xlate: Xlate) -> PacketSet:
    """The packets of ``flows`` from ``nets``, or to them once ``xlate`` translated them (whether
    certainly or by the device's choice from a pool)."""
    by_src = flows.intersect(PacketSet([cube(src=nets)]))
    if xlate:
        sure, maybe = xlate.back(PacketSet([cube(dst=nets)]), flows)
        return by_src.union(sure.union(maybe))
    return by_src.union(flows.intersect(PacketSet([cube(dst=nets)])))


def _doubt_split(config: Config, flows: PacketSet, xlate: Xlate = IDENTITY,
                   phase: str = "new") -> tuple[PacketSet, list[Outcome]]:
    """``flows`` less the packets whose path the config does not decide, and those packets as
    unknown outcomes: those a learned route may take (their source, or their destination once
    ``xlate`` translated it, outside the connected networks of a device with dynamic routing), at
    the first routing protocol's line; then those from or to addresses whose route the config does not
    settle (``Config.unsettled_routes``), at its line; then those from sources two routing tables share
    (``_shared_sources``), at the later table's line."""
    out: list[Outcome] = []
    region = _learned_region(config)
    if region and flows:
        doubt = _from_or_to(flows, region, xlate)
        if doubt:
            flows = flows.subtract(doubt)
            out.append(Outcome(UNKNOWN, doubt, source=config.learned_routes[0], reason=_LEARNED, xlate=xlate,
                               phase=phase))
    for nets, src, why in config.unsettled_routes:
        if not flows:
            break
        doubt = _from_or_to(flows, nets, xlate)
        if doubt:
            flows = flows.subtract(doubt)
            out.append(Outcome(UNKNOWN, doubt, source=src, reason=why, xlate=xlate, phase=phase))
    for nets, src, why in _shared_sources(config):
        doubt = flows.intersect(PacketSet([cube(src=nets)])) if flows else flows
        if doubt:
            flows = flows.subtract(doubt)
            out.append(Outcome(UNKNOWN, doubt, source=src, reason=why, xlate=xlate, phase=phase))
    return flows, out


def _ingress_parts(config: Config, flows: PacketSet) -> list[tuple[str | None, PacketSet]]:
    """``flows`` by the interface they enter (their source's region); None: a host's own policy."""
    names = list(dict.fromkeys(p.ingress for p in config.paths))
    if names == [None] or not config.interfaces:
        return [(None, flows)]
    regions = interface_regions(config)
    out, rest = [], flows
    for name in names:
        if name is None or not rest:
            continue
        part = rest.intersect(PacketSet([cube(src=regions.get(name, EMPTY))]))
        if part:
            out.append((name, part))
            rest = rest.subtract(part)
    if rest:
        out.append((None, rest))
    return out


@dataclass(frozen=True)
class _Piece:
    """Packets (as sent) that take one path with one translation."""

    path: Path | None
    packets: PacketSet
    xlate: Xlate = IDENTITY


def _route(config: Config, flows: PacketSet) -> tuple[list[_Piece], list[Outcome]]:
    """The pieces of ``flows`` by path and destination NAT, and the parts NAT leaves unknown."""
    tables = _nat.pre_routing(config.nat)
    if not tables:
        flows, unsure = _doubt_split(config, flows)
        return [_Piece(p, part) for p, part in split_by_path(config, flows)], unsure
    pieces: list[_Piece] = []
    unsure = []
    for ingress, part in _ingress_parts(config, flows):
        todo = [(part, IDENTITY)]
        for table in tables:
            rules = _nat.applicable(table, ingress=ingress)
            nxt = []
            for pkts, x in todo:
                done, doubt = _nat.split(rules, pkts, x)
                nxt += done
                unsure += [Outcome(UNKNOWN, d, None, None, None, r.source, _nat_reason(r)) for d, r in doubt]
            todo = nxt
        for pkts, x in todo:
            pkts, learned = _doubt_split(config, pkts, x)
            unsure += learned
            kept = PacketSet()
            for path, sub in split_by_path(config, pkts, x):
                pieces.append(_Piece(path, sub, x))  # (no path: not routed)
                kept = kept.union(sub)
            doubt = pkts.subtract(kept)
            if doubt:
                unsure.append(Outcome(UNKNOWN, doubt, reason="the address the device chooses from a NAT pool "
                                                             "decides the path", xlate=x))
    return pieces, unsure


def _nat_reason(r: NatRule) -> str:
    # (the rule's label says why: a part not understood, an HA binding, a zone its route does not settle...)
    return ("a NAT rule that may or may not translate these packets (%s)" % r.label if r.label else
            "a NAT line that was not understood, or a translation whose result the device chooses")


# --- first match -------------------------------------------------------------

def stage_rules(config: Config, stage: Stage) -> list[Rule]:
    """The enabled rules of a stage's filters, in evaluation order."""
    rules: list[Rule] = []
    for name in stage.filters:
        f = config.filters.get(name)
        if f is not None:
            rules.extend(r for r in f.rules if r.enabled)
    return rules


def _hull(cubes) -> tuple[int, int, int, int]:
    """(lowest, highest) destination and destination port of some cubes: the part of
    ``packets.bounds`` that stage tables use, kept to those two dimensions because a
    table is built for every rule of every stage (``NO_BOUNDS``'s for none)."""
    if len(cubes) == 1:
        dst, dport = cubes[0].dims[1].iv, cubes[0].dims[4].iv
        return dst[0][0], dst[-1][1], dport[0][0], dport[-1][1]
    if not cubes:
        return NO_BOUNDS[2:4] + NO_BOUNDS[8:10]
    return (min(c.dims[1].iv[0][0] for c in cubes), max(c.dims[1].iv[-1][1] for c in cubes),
            min(c.dims[4].iv[0][0] for c in cubes), max(c.dims[4].iv[-1][1] for c in cubes))


def _per_stage(config: Config, stage: Stage, what: str, build):
    """``build()`` for a stage, made once per config and kept beside it."""
    cache = _derived(config).setdefault(what, {})
    key = (stage.name, stage.filters)
    ent = cache.get(key)
    if ent is None:
        ent = cache[key] = build()
    return ent


def _stage_table(config: Config, stage: Stage, state: int = NEW) -> list[tuple[Rule, tuple]]:
    """A stage's enabled rules that can match packets in ``state``, with their hulls (match and
    maybe): a cheap overlap filter."""
    return _per_stage(config, stage, "_stage_table" if state == NEW else "_stage_table_%d" % state, lambda: [
        (r, _hull(r.match.cubes + r.maybe.cubes if r.maybe.cubes else r.match.cubes))
        for r in stage_rules(config, stage) if r.states & state])


# the stage tables' destination blocks (/16 of IPv4), the most blocks a rule's or flows'
# destinations may span and still be looked up by block, and the shortest table looked up so
_DST_SHIFT, _DST_BLOCKS, _DST_ROWS = 16, 16, 1024


def _stage_rows(config: Config, stage: Stage, state: int, f: tuple) -> list[tuple[Rule, tuple]]:
    """The rows of the stage's table whose destinations may meet those of hull ``f``, in order.

    Every flow of an audit scanned every rule of the stages it crosses: a Check Point layer
    of 20,000 rules cost 0.30 s for its 23 flows.  A long table's rows are kept by the /16
    blocks their destinations touch (``_DST_BLOCKS`` at most, else they are "wide", met by
    every lookup); the rows left out are those ``run_stage``'s hull test would skip."""
    table = _stage_table(config, stage, state)
    a, b = f[0] >> _DST_SHIFT, f[1] >> _DST_SHIFT
    if len(table) < _DST_ROWS or b - a >= _DST_BLOCKS:
        return table
    wide, blocks = _per_stage(config, stage, "_stage_blocks_%d" % state, lambda: _dst_blocks(table))
    rows = set(wide)
    for block in range(a, b + 1):
        rows.update(blocks.get(block, ()))
    return [table[i] for i in sorted(rows)]


def _dst_blocks(table: list[tuple[Rule, tuple]]) -> tuple[list[int], dict[int, list[int]]]:
    """(wide rows, rows per destination block) of a stage table (``_stage_rows``)."""
    wide: list[int] = []
    blocks: dict[int, list[int]] = {}
    for i, (_rule, h) in enumerate(table):
        a, b = h[0] >> _DST_SHIFT, h[1] >> _DST_SHIFT
        if b - a >= _DST_BLOCKS:
            wide.append(i)
        else:
            for block in range(a, b + 1):
                blocks.setdefault(block, []).append(i)
    return wide, blocks


class _Undecided:
    """The packets of a stage's flows that no rule has decided yet, as cubes indexed by
    source block, so that a rule only meets the pieces in its blocks.

    Rules carve the flows into many small pieces (a permit per partner network: a piece
    per network); testing every piece against every rule made set first-match
    quadratic in the number of rules.  A piece lies over a few /24 source blocks, or a
    few /16 blocks (a zone's network: the flows of a zone firewall's path start as its
    region), or a few /8 blocks, or is "wide" (every rule whose sources meet its bounds
    looks at it).
    A wide piece that many narrow rules cut holes into is split by its source intervals
    once they grow past ``MAX_IV``: copying one ever longer interval list on every cut
    was quadratic too.
    """

    SPAN = 4  # a piece over at most this many blocks of a level is indexed at that level
    SHIFTS = (8, 16, 24)  # the levels: /24, /16, then /8 blocks (of IPv4; IPv6 alike)
    MAX_IV = 1024  # most source intervals a piece keeps before it is split
    SCATTER = 16  # most blocks of a level a piece of scattered sources is indexed in
    MAX_SPANS = 256  # most source intervals of a rule looked up by block (more: every piece is a candidate)
    COMPACT_AT = 256  # a rule meeting more pieces than this first joins those alike but in sources

    def __init__(self, cubes) -> None:
        self.pieces: dict[int, Cube] = {}  # in creation order
        self.levels: list[dict[int, dict[int, None]]] = [{} for _ in self.SHIFTS]
        self.wide: dict[int, tuple[int, int]] = {}  # key -> lowest and highest source
        self.where: dict[int, tuple[int, Sequence[int]] | None] = {}  # key -> ``_place``'s answer
        self.count = 0
        self.compacted = self.COMPACT_AT  # how many pieces there were after the last joining
        for c in cubes:
            self._add(c)

    def __bool__(self) -> bool:
        return bool(self.pieces)

    def packets(self) -> PacketSet:
        return PacketSet.of_cubes(list(self.pieces.values()))

    def _place(self, c: Cube) -> tuple[int, Sequence[int]] | None:
        """(level, its blocks) where a piece is indexed; None when it is wide.  A piece of a
        few scattered sources (an address set's hosts, less what rules took) is indexed in the
        blocks its intervals touch, not in every block between its lowest and highest source."""
        iv = c.dims[0].iv
        lo, hi = iv[0][0], iv[-1][1]
        for level, shift in enumerate(self.SHIFTS):
            a, b = lo >> shift, hi >> shift
            if b - a < self.SPAN:
                return level, range(a, b + 1)
            if len(iv) <= self.SCATTER:
                blocks = _blocks(iv, shift, self.SCATTER)
                if blocks is not None:
                    return level, blocks
        return None

    def _add(self, c: Cube) -> None:
        iv = c.dims[0].iv
        if len(iv) > self.MAX_IV:  # in halves: each takes many more cuts before it splits again
            rest = c.dims[1:]
            half = (len(iv) + 1) // 2
            self._add(Cube.from_dims((ISet(iv[:half], _normal=True), *rest)))
            self._add(Cube.from_dims((ISet(iv[half:], _normal=True), *rest)))
            return
        k = self.count
        self.count += 1
        self.pieces[k] = c
        where = self.where[k] = self._place(c)
        if where is None:
            self.wide[k] = (iv[0][0], iv[-1][1])
        else:
            level = self.levels[where[0]]
            for b in where[1]:
                level.setdefault(b, {})[k] = None

    def _drop(self, k: int) -> None:
        del self.pieces[k]
        where = self.where.pop(k)
        if where is None:
            del self.wide[k]
        else:
            level = self.levels[where[0]]
            for b in where[1]:
                at = level[b]
                del at[k]
                if not at:
                    del level[b]  # (a level holds only its occupied blocks: ``_meeting`` may walk them)

    def _meeting(self, cubes) -> list[int]:
        """Keys of the pieces that may meet ``cubes``, in creation order."""
        if sum(len(c.dims[0].iv) for c in cubes) > self.MAX_SPANS:
            return list(self.pieces)  # (a group of thousands of sources: blocks would cost more than they spare)
        first = min(c.dims[0].iv[0][0] for c in cubes) if cubes else 0
        last = max(c.dims[0].iv[-1][1] for c in cubes) if cubes else -1
        # (wide pieces split from one piece lie side by side: most miss the rule's sources)
        keys = {k for k, (a, b) in self.wide.items() if a <= last and first <= b}
        for level, shift in zip(self.levels, self.SHIFTS):
            if not level:
                continue
            spans = [(lo >> shift, hi >> shift) for c in cubes for lo, hi in c.dims[0].iv]
            if sum(b - a + 1 for a, b in spans) <= len(level):
                for a, b in spans:
                    for block in range(a, b + 1):
                        keys.update(level.get(block, ()))
            else:
                # the rule's sources span more blocks than hold pieces (a /16 of a /24 level,
                # "any"): look at each occupied block instead of each of the rule's
                keys.update(k for block in _among(level, spans) for k in level[block])
        return sorted(keys)

    def _compact(self) -> None:
        """Join the pieces alike in every dimension but the sources into one piece each (their
        sources' union: the same packets).  Rules that cut sources and ports at once (a blacklist
        of host-port pairs) leave a piece per host, alike but in the host; every later rule over
        all sources then met each of them."""
        groups: dict[tuple, list[int]] = {}
        for k, c in self.pieces.items():
            groups.setdefault(c.dims[1:], []).append(k)
        for rest, keys in groups.items():
            if len(keys) > 1:
                src = ISet.union_of(self.pieces[k].dims[0] for k in keys)
                for k in keys:
                    self._drop(k)
                self._add(Cube.from_dims((src, *rest)))
        self.compacted = max(self.COMPACT_AT, len(self.pieces))

    def take(self, ps: PacketSet) -> PacketSet:
        """Remove ``ps`` from the undecided packets; what was removed."""
        hit: list[Cube] = []
        keys = self._meeting(ps.cubes)
        if len(keys) > self.COMPACT_AT and len(self.pieces) >= 2 * self.compacted:
            self._compact()
            keys = self._meeting(ps.cubes)
        for k in keys:
            p = self.pieces[k]
            met = [c for c in (p.intersect(b) for b in ps.cubes) if c is not None]
            if not met:
                continue
            hit += met
            rest = [p]
            for b in ps.cubes:
                rest = [x for q in rest for x in (q.subtract(b) if q.overlaps(b) else (q,))]
            self._drop(k)
            for x in rest:
                self._add(x)
        return PacketSet.of_cubes(hit)


def _blocks(iv, shift: int, most: int) -> list[int] | None:
    """The blocks (of ``1 << shift`` values) that intervals ``iv`` touch, in order; None when
    more than ``most``."""
    out: list[int] = []
    for lo, hi in iv:
        a, b = lo >> shift, hi >> shift
        if out and a <= out[-1]:
            a = out[-1] + 1
        if len(out) + b - a + 1 > most:
            return None
        out.extend(range(a, b + 1))
    return out


def _among(level: dict[int, dict], spans: list[tuple[int, int]]) -> list[int]:
    """The occupied blocks of ``level`` inside one of ``spans`` (block ranges)."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(spans):
        if ends and a <= ends[-1] + 1:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    out = []
    for block in level:
        i = bisect_right(starts, block) - 1
        if i >= 0 and block <= ends[i]:
            out.append(block)
    return out


def run_stage(config: Config, stage: Stage, flows: PacketSet, path: Path | None = None,
              state: int = NEW) -> list[Outcome]:
    """First-match over one stage: every packet of ``flows`` lands in one outcome.

    ``state`` is the packets' connection state: ``ESTABLISHED`` packets pass a stateful stage
    (its connection table holds them) and meet only the rules of a stateless one that can
    match them (``Rule.states``).
    """
    if state != NEW and stage.stateful:
        kept = _stateless_part(stage, flows)
        if not kept:
            return [Outcome(PERMIT, flows, None, stage, path, None, "a connection the device keeps state for")]
        # (the protocols it keeps no state for: decided by its rules, as a stateless stage decides them)
        rest = flows.subtract(kept)
        return ([Outcome(PERMIT, rest, None, stage, path, None, "a connection the device keeps state for")] if rest
                else []) + run_stage(config, replace(stage, stateful=False), kept, path, state)
    out: list[Outcome] = []
    remaining = _Undecided(flows.cubes)
    # packets that an uncertain rule of certain action (``Rule.sure_action``) may have decided,
    # still followed through the later rules: certain if those decide them the same way
    pending: list[tuple[Rule, _Undecided]] = []
    plain = config.verdicts_only
    f = _hull(flows.cubes)
    for rule, h in _stage_rows(config, stage, state, f):
        if not remaining.pieces and not pending:
            break
        if h[0] > f[1] or f[0] > h[1] or h[2] > f[3] or f[2] > h[3]:
            continue  # (what remains is inside flows: it cannot meet the rule either)
        if pending:
            _follow(pending, rule, stage, path, out, plain)
        if rule.match.cubes:  # (emptiness by the tuples: no method call per rule)
            hit = remaining.take(rule.match)
            if hit.cubes:
                kind = PERMIT if rule.action is Action.PERMIT else DENY
                out.append(Outcome(kind, hit, rule, stage, path, rule.source))
        if rule.maybe.cubes and remaining.pieces:
            unsure = remaining.take(rule.maybe)
            if unsure:
                if rule.sure_action:
                    pending.append((rule, _Undecided(unsure.cubes)))
                else:
                    out.append(Outcome(UNKNOWN, unsure, rule, stage, path, rule.source, _unsure_reason(rule),
                                       onward=plain))
    kind = PERMIT if stage.default is Action.PERMIT else DENY
    for first, rest in pending:
        if stage.default is first.action:
            out.append(Outcome(kind, rest.packets(), None, stage, path, stage.default_source,
                               _same_way(stage.default_reason, first)))
        else:
            out.append(Outcome(UNKNOWN, rest.packets(), first, stage, path, first.source, _unsure_reason(first),
                               onward=True))
    if remaining:
        out.append(Outcome(kind, remaining.packets(), None, stage, path, stage.default_source, stage.default_reason))
    return out


def _follow(pending: list[tuple[Rule, _Undecided]], rule: Rule, stage: Stage, path: Path | None,
            out: list[Outcome], plain: bool) -> None:
    """``rule`` meets the packets an earlier uncertain rule (``first``) may have decided: those it
    matches for certain are decided, with certainty when it acts as ``first`` would, else unknown;
    those it may match stay followed when it would act the same way, else they are unknown (``plain``:
    the stage's rules of uncertain action only permit or deny, ``Config.verdicts_only``)."""
    for first, rest in pending:
        if rule.match.cubes:
            hit = rest.take(rule.match)
            if hit.cubes:
                if rule.action is first.action:
                    kind = PERMIT if rule.action is Action.PERMIT else DENY
                    out.append(Outcome(kind, hit, rule, stage, path, rule.source, _same_way("", first)))
                else:
                    out.append(Outcome(UNKNOWN, hit, first, stage, path, first.source, _unsure_reason(first),
                                       onward=True))
        if rule.maybe.cubes and rest.pieces and not (rule.sure_action and rule.action is first.action):
            hit = rest.take(rule.maybe)
            if hit:
                out.append(Outcome(UNKNOWN, hit, first, stage, path, first.source, _unsure_reason(first),
                                   onward=rule.sure_action or plain))
    pending[:] = [p for p in pending if p[1].pieces]


def _same_way(reason: str, first: Rule) -> str:
    """The reason of a certain outcome that an earlier uncertain rule may have given first."""
    also = "line %d may decide it first, the same way (%s)" % (first.source.line, _unsure_reason(first))
    return "%s; %s" % (reason, also) if reason else also


def _run_view(config: Config, stage: Stage, flows: PacketSet, path: Path | None, state: int,
              x: Xlate) -> list[Outcome]:
    """``run_stage`` on the packets as translated by ``x``, its outcomes taken back to ``flows``."""
    if not x:
        return run_stage(config, stage, flows, path, state)
    out = []
    for o in run_stage(config, stage, x.forward(flows), path, state):
        sure, doubt = x.back(o.packets, flows)
        if sure:
            out.append(Outcome(o.kind, sure, o.rule, stage, path, o.source, o.reason, onward=o.onward))
        if doubt:
            # (not ``onward``: what the stage does with a packet, and so what a later one meets, depends on an
            # address the device chooses; such a packet may also lie in another outcome of this stage)
            out.append(Outcome(UNKNOWN, doubt, o.rule, stage, path, o.source,
                               "the address the device chooses from a NAT pool decides"))
    return out


def run_path(config: Config, path: Path, flows: PacketSet, state: int = NEW,
             views: dict[str, Xlate] | None = None) -> list[Outcome]:
    """Run ``flows`` through every stage of ``path``; all stages must permit.

    ``views`` maps ``Stage.sees`` to the translation its rules see (none: the packets as they
    are, i.e. no NAT).
    """
    if not path.crosses:
        return [Outcome(NOT_FILTERED, flows, path=path, reason=path.note or "does not cross the device")]
    if _routed_back(path) and not (views and views.get("routed")):
        # (a packet sent to a translated address is sent to the device)
        return _back_out(config, path, flows, state, views)
    return _run_stages(path, config, flows, state, views)


def _back_out(config: Config, path: Path, flows: PacketSet, state: int, views: dict[str, Xlate] | None
              ) -> list[Outcome]:
    """``run_path`` for traffic routed back out of the interface it came in on.

    From a source on one of the interface's connected networks, the device decides it as its stages say
    (a host whose gateway is the device sends it there: an ASA drops it without ``same-security-traffic
    permit intra-interface``).  From any other source, the packet came from a router behind the interface,
    and routes back to a destination behind the same interface: it reaches the device only if that router
    sends it here rather than on to its destination, which the configuration cannot tell (an edge firewall
    whose inside networks a core router joins never sees their traffic), unless it is sent to an address the
    device translates (``_claimed``).  There, what the stages permit is
    permitted either way; what they deny is unknown (blocked only if the traffic reaches the device), and
    never let through by this device (``Outcome.may_permit``).
    """
    nets = _networks(config).get(path.ingress, EMPTY)
    off = flows.subtract(PacketSet([cube(src=nets), cube(dst=_claimed(config))]))
    if not off:
        return _run_stages(path, config, flows, state, views)
    on = flows.subtract(off)
    out = _run_stages(path, config, on, state, views) if on else []
    link = off.intersect(PacketSet([cube(dst=nets)])) if nets else PacketSet()
    for part, on_link in ((off.subtract(link) if link else off, False), (link, True)):
        if part:
            out += [_unreached(o, path, on_link) for o in _run_stages(path, config, part, state, views)]
    return out


def _back_out_of(config: Config, path: Path, pkt: Sequence[int]) -> bool:
    """Whether packet ``pkt`` on ``path`` is routed back out of its ingress from a source off that
    interface's networks (``_back_out``)."""
    return (_routed_back(path) and pkt[0] not in _networks(config).get(path.ingress, EMPTY)
            and pkt[1] not in _claimed(config))


def _routed_back(path: Path) -> bool:
    """Whether ``path`` is transit traffic routed back out of the interface it came in on."""
    return path.ingress is not None and path.ingress == path.egress and path.local is None


def _unreached(o: Outcome, path: Path, on_link: bool) -> Outcome:
    """A deny of traffic that may not reach the device (``_back_out``): unknown, never a permit.  ``on_link``: its
    destination is on the interface's own network, where the router it comes from delivers it itself."""
    if o.kind != DENY:
        return o
    if on_link:
        why = "traffic from a source behind a router on interface %s, to an address of %s's own network: that " \
              "router delivers it there itself, and the device sees it only if it answers for the address, which " \
              "the configuration does not say (no NAT of the device translates it); if it does: " % (
                  path.ingress, path.ingress)
    else:
        why = "traffic from a source not on interface %s's networks, routed back out of it, reaches the device " \
              "only if a router behind %s sends it here rather than to its destination (not in the " \
              "configuration); if it does: " % (path.ingress, path.ingress)
    # (a plain deny line has no reason of its own)
    return replace(o, kind=UNKNOWN, reason=why + (o.reason or "denied"), may_permit=False)


def _claimed(config: Config) -> ISet:
    """The addresses the device's NAT answers for (an ASA's proxy ARP for mapped addresses, a VIP's ``arp-reply``):
    the destinations a destination NAT rule translates, and the addresses a source NAT rule maps sources to.  A
    packet sent to one is sent to the device."""
    got = _derived(config).get("_claimed")
    if got is None:
        parts = []
        for t in config.nat:
            for r in t.rules:
                for w in r.rewrites:
                    if w.dim == 1 and t.when == "pre-routing":
                        parts += [c.dims[1] for c in r.match.cubes + r.maybe.cubes]
                    elif w.dim == 0:
                        parts += [w.pool] if w.pool is not None else [
                            _nat.shifted(c.dims[0], w.offset, 0) for c in r.match.cubes]
        got = _derived(config)["_claimed"] = ISet.union_of(parts)
    return got


def _networks(config: Config) -> dict[str, ISet]:
    """Each interface's connected networks, by name."""
    got = _derived(config).get("_networks")
    if got is None:
        got = _derived(config)["_networks"] = {}
        for i in config.interfaces:
            got[i.name] = got[i.name].union(i.networks) if i.name in got else i.networks
    return got


def _run_stages(path: Path, config: Config, flows: PacketSet, state: int, views: dict[str, Xlate] | None
                ) -> list[Outcome]:
    """Every stage of ``path`` in turn: the packets a stage permits go on to the next, and so do those it leaves
    unknown where its uncertain lines can only pass them on as they are or drop them (``Outcome.onward``): a later
    stage that certainly denies them decides them (whatever the earlier stage does, the later one drops them), one
    that permits them, or leaves them unknown too, leaves them unknown at the earliest unknown's line."""
    # (each outcome decided with the place it would take had the earlier stage's unknown ended its packets there:
    # the outcomes come in the same order as before any was followed on, and findings built from them with it)
    done: list[tuple[int, Outcome]] = []
    pending: list[tuple[int, Outcome]] = [(-1, Outcome(PERMIT, flows, path=path))]
    seq = 0
    for stage in path.stages:
        x = views.get(stage.sees, IDENTITY) if views else IDENTITY
        nxt: list[tuple[int, Outcome]] = []
        for at, prev in pending:
            for o in _run_view(config, stage, prev.packets, path, state, x):
                if prev.kind == UNKNOWN:
                    if o.kind == DENY:
                        done.append((at, o))
                    else:
                        # (permitted or unknown here: still unknown at the earlier line; followed on while this
                        # stage too can only have passed them on unchanged)
                        (nxt if o.kind == PERMIT or o.onward else done).append((at, replace(prev, packets=o.packets)))
                elif o.kind == PERMIT:
                    # keep the first stage's permit as the deciding line, unless it was only that
                    # stage's default and this one's is a rule (``deciding_permit``)
                    nxt.append((-1, o if prev.stage is None or not _keeps(prev, o) else
                                Outcome(PERMIT, o.packets, prev.rule, prev.stage, path, prev.source, prev.reason)))
                else:
                    (nxt if o.kind == UNKNOWN and o.onward else done).append((seq, o))
                    seq += 1
        pending = nxt
    ended = sorted(done + [p for p in pending if p[1].kind != PERMIT], key=lambda p: p[0])
    return [replace(o, onward=False) if o.onward else o for _at, o in ended] + [o for _at, o in pending
                                                                                if o.kind == PERMIT]


_NOT_ROUTED = "no interface or route reaches these addresses"
# (a packet from or to one of the device's own addresses that no path of the device's own traffic takes)
OWN_TRAFFIC = "sent by or addressed to the device itself (one of its own addresses): only traffic through the " \
              "device is evaluated"


def _unrouted(config: Config, ps: PacketSet, xlate: Xlate = IDENTITY, phase: str = "new") -> list[Outcome]:
    """Packets no path takes: those from or to the device's own addresses (``Config.local_addresses``),
    with that reason, and the rest as not routed."""
    own = config.local_addresses
    mine = ps.intersect(PacketSet([cube(src=own), cube(dst=own)])) if own else None
    if not mine:
        return [Outcome(NOT_ROUTED, ps, reason=_NOT_ROUTED, xlate=xlate, phase=phase)]
    rest = ps.subtract(mine)
    return [Outcome(NOT_ROUTED, mine, reason=OWN_TRAFFIC, xlate=xlate, phase=phase)] + (
        [Outcome(NOT_ROUTED, rest, reason=_NOT_ROUTED, xlate=xlate, phase=phase)] if rest else [])


def evaluate(config: Config, flows: PacketSet, state: int = NEW) -> list[Outcome]:
    """Decide every packet of ``flows`` (as clients send them): the exact partition by outcome."""
    if not config.nat:
        flows, out = _doubt_split(config, flows, phase=_PHASE[state])
        for path, part in split_by_path(config, flows):
            if path is None:
                out.extend(_unrouted(config, part, phase=_PHASE[state]))
            else:
                out.extend(_phased(run_path(config, path, part, state), state))
        return out
    pieces, out = _route(config, flows)
    out = _phased(out, state)
    for piece in pieces:
        if piece.path is None:
            out.extend(_unrouted(config, piece.packets, piece.xlate))
            continue
        for pkts, views in _views(config, piece):
            if isinstance(views, NatRule):  # (a source NAT rule may translate them or not: ``_views``)
                out.append(Outcome(UNKNOWN, pkts, None, None, piece.path, views.source,
                                   "%s; a later stage sees the packets as it leaves them" % _nat_reason(views),
                                   piece.xlate, _PHASE[state]))
                continue
            # (the first packets split by what the NAT reverse-path check does to them, when a table has one)
            checks = (_reverse_path(config, piece.path, pkts, piece.xlate) if state == NEW else []) or [(pkts, None)]
            for part, check in checks:
                for o in run_path(config, piece.path, part, state, views):
                    if check is not None:
                        o = _rpf_ended(o, check)
                    out.append(Outcome(o.kind, o.packets, o.rule, o.stage, o.path, o.source, o.reason,
                                       views["final"], _PHASE[state],
                                       views["routed"] if views["routed"] != views["final"] else None, o.may_permit))
    return out


# --- NAT reverse-path check ------------------------------------------------------

_RPF = "NAT reverse-path check: "


def _reverse_path(config: Config, path: Path, packets: PacketSet, pre: Xlate
                  ) -> list[tuple[PacketSet, tuple[str, Source, str] | None]]:
    """``packets`` (first packets as sent on ``path``, translated by ``pre`` on arrival) split by what a NAT
    reverse-path check (``Nat.rpf_check``) does to them: (packets, None) for those it passes, (packets, (kind,
    NAT line, why)) for those it drops (``DENY``) or may drop (``UNKNOWN``).  Empty when no table is checked.

    The reply of a first packet is the packet its receiver sends back: the first packet as it leaves the device
    (its whole translation), addresses and ports swapped.  It is looked up as the device looks up a packet from
    that side: entering the path's egress and leaving by its ingress, through the pre-routing tables and the checked
    post-routing ones, first match in the rules' order (so an identity rule matched first decides, and a rule's
    destination condition or direction is that of its matches).  It must match only rules the first packet matched
    too: one that matched no rule while its reply matches one is dropped; one that matched some rule while its
    reply matches another is unknown (which rule the device holds the connection to is not modelled).
    """
    checked = [t for t in _nat.post_routing(config.nat) if t.rpf_check]
    if not checked or path.local is not None or not path.crosses or path.ingress is None or path.egress is None:
        return []
    fwd, doubt = _source_nat(config, path, packets, pre)
    # (the first packet's matched NAT lines; a source NAT rule that may or may not match it makes the answer
    # unknown wherever the reply matches a rule; its pieces are taken as they arrived)
    todo = [(p, x, False) for p, x in fwd] + [(p, pre, True) for p, _r in doubt]
    out: list[tuple[PacketSet, tuple[str, Source, str] | None]] = []
    ended = PacketSet()
    for pkts, x, unsure in todo:
        matched = {r.source for r in x.rules}
        back = replies(x.forward(pkts) if x else pkts)
        done, maybe = _reply_lookup(_nat.pre_routing(config.nat), checked, path, back)
        found = [(rp, next((r for r in rx.rules if r.source not in matched or unsure), None), False)
                 for rp, rx in done]
        found += [(rp, r, True) for rp, r in maybe]
        for rp, other, may in found:
            if other is None:
                continue
            sure, pool = x.back(replies(rp), pkts) if x else (replies(rp).intersect(pkts), PacketSet())
            hit = sure.union(pool)
            if not hit:
                continue
            ended = ended.union(hit)
            if may:
                out.append((hit, (UNKNOWN, other.source, _RPF + "%s may match the reply: whether the device drops "
                                  "the connection is not known" % _nat_reason(other))))
                continue
            # (the rules by their text, not their line numbers: a check-change report locates the outcome's line in
            # the file it came from, and would not relocate a number in the reason)
            how = "%s by '%s'" % ("translated" if other.rewrites else "matched (identity NAT)",
                                  other.source.text.strip())
            if not unsure and not matched:
                why = (_RPF + "no NAT rule matches this first packet, but its reply would be %s: the device drops the "
                       "connection (asymmetric NAT rules matched for the forward and reverse flows)" % how)
                if sure:
                    out.append((sure, (DENY, other.source, why)))
                if pool:
                    out.append((pool, (UNKNOWN, other.source, why + "; the address the device chooses from a NAT "
                                                                    "pool decides which packets")))
            elif unsure:
                out.append((hit, (UNKNOWN, other.source, _RPF + "its reply would be %s, and a NAT rule may or may not "
                                  "match this first packet: whether the device passes the connection is not known"
                                  % how)))
            else:
                firsts = "; ".join("'%s'" % s.text.strip() for s in sorted(matched, key=lambda s: s.line))
                out.append((hit, (UNKNOWN, other.source, _RPF + "its reply would be %s, a NAT rule this first packet "
                                  "does not match (it matches %s): whether the device passes the connection is not "
                                  "modelled" % (how, firsts))))
    if not out:
        return []
    rest = packets.subtract(ended)
    return ([(rest, None)] if rest else []) + out


def _reply_lookup(pre: list, checked: list, path: Path, back: PacketSet
                  ) -> tuple[list[tuple[PacketSet, Xlate]], list[tuple[PacketSet, NatRule]]]:
    """First match of each table in turn (the pre-routing ``pre``, then the ``checked`` post-routing ones) over
    replies ``back`` of packets on ``path``: they enter by its egress and leave by its ingress.  (pieces with the
    translation they get, pieces a rule may match or not.)

    A rule not understood that a checked table holds too (the same line, its ``maybe``) is met there, in that table's
    order, and not in a pre-routing table, where it would come before every rule of the checked table: one matched
    first in the checked table's order decides the reply whatever that rule does."""
    later = {r.source for t in checked for r in t.rules if r.maybe}
    tables = []
    for table in pre + checked:
        first = table.when == "pre-routing"
        rules = _nat.applicable(table, ingress=path.egress, egress=None if first else path.ingress)
        if first and later:
            rules = [replace(r, maybe=PacketSet()) if r.maybe and r.source in later else r for r in rules]
        tables.append(rules)
    return _first_matches(tables, back, IDENTITY)


def _rpf_ended(o: Outcome, check: tuple[str, Source, str]) -> Outcome:
    """An outcome of packets a NAT reverse-path check drops (or may drop): after the access rules, so what they deny
    stays their deny and what they leave unknown stays unknown; what they permit is decided by the check."""
    if o.kind != PERMIT:
        return o
    kind, src, why = check
    return Outcome(kind, o.packets, None, None, o.path, src, why, o.xlate, o.phase, o.routed)


_PHASE = {NEW: "new", ESTABLISHED: "established"}


def _phased(outs: list[Outcome], state: int) -> list[Outcome]:
    if state == NEW:
        return outs
    return [replace(o, phase=_PHASE[state]) for o in outs]


def _views(config: Config, piece: _Piece) -> list[tuple[PacketSet, dict[str, Xlate] | NatRule]]:
    """The piece's packets with the translation each stage form sees: as sent, after the
    destination NAT (routed) and, when a stage of its path needs it, after source NAT too
    (split by the post-routing rules' first match).  Packets a post-routing rule may translate
    or not (its ``maybe``, a pool's choice) come with that rule instead: what such a stage
    decides for them is not known."""
    pre = piece.xlate
    if not any(s.sees == "final" for s in piece.path.stages) or not _nat.post_routing(config.nat):
        return [(piece.packets, {"sent": IDENTITY, "routed": pre, "final": pre})]
    todo, unsure = _source_nat(config, piece.path, piece.packets, pre)
    return [(pkts, {"sent": IDENTITY, "routed": pre, "final": x}) for pkts, x in todo] + unsure


def _source_nat(config: Config, path: Path, packets: PacketSet, pre: Xlate
                ) -> tuple[list[tuple[PacketSet, Xlate]], list[tuple[PacketSet, NatRule]]]:
    """``packets`` (as sent, translated by ``pre`` on arrival) split by the first matching rule of each
    post-routing (source NAT) table on ``path``: (the pieces with their whole translation, the pieces a
    rule may translate or not, with that rule)."""
    return _first_matches([_nat.applicable(table, ingress=path.ingress, egress=path.egress)
                           for table in _nat.post_routing(config.nat)], packets, pre)


def _first_matches(tables: list, packets: PacketSet, x: Xlate
                   ) -> tuple[list[tuple[PacketSet, Xlate]], list[tuple[PacketSet, NatRule]]]:
    """``packets`` (translated by ``x`` so far) through each NAT table's rules in turn, first match in each:
    (the pieces with their whole translation, the pieces a rule may translate or not, with that rule)."""
    todo = [(packets, x)]
    unsure: list = []
    for rules in tables:
        nxt = []
        for pkts, got in todo:
            done, doubt = _nat.split(rules, pkts, got)
            nxt += done
            unsure += doubt
        todo = nxt
    return todo, unsure


def leaving(config: Config, path: Path, ps: PacketSet, pre: Xlate = IDENTITY) -> Xlate | None:
    """The whole translation the packets ``ps`` (one packet, as sent) get on ``path``: the destination
    NAT ``pre`` they got on arrival, then the first matching rule of each post-routing (source NAT)
    table; None when a rule may or may not translate them.  (``evaluate`` computes the source NAT only
    where a stage sees it; ``explain`` shows it either way.)"""
    if path.local == "in":
        return pre  # (addressed to the device: delivered to it, routed out of no interface, so never source-NATted)
    done, doubt = _source_nat(config, path, ps, pre)
    return None if doubt or not done else done[0][1]


def as_sent(config: Config, flows: PacketSet, direct: bool = False) -> PacketSet:
    """``flows`` (written with real addresses) as clients send them through this device: to a
    mapped address where a destination NAT presents the destination on the client's side
    (``nat.as_sent``); with ``direct``, to the real address as well."""
    if not _nat.pre_routing(config.nat):
        return flows

    def ingress_of(names):
        regions = interface_regions(config)
        out = EMPTY
        for n in names:
            out = out.union(regions.get(n, EMPTY))
        return out

    return _nat.as_sent(config.nat, flows, ingress_of, direct)


def off_target(outcomes: list[Outcome], flows: PacketSet) -> list[Outcome]:
    """``outcomes`` of ``flows`` (as clients send them, ``as_sent``), where the allowed first packets that a
    destination NAT sends somewhere else than the flows' own destinations (another address or port, the device
    itself: a port forward or redirect of "any" destination, a transparent proxy's) are UNKNOWN at that NAT rule:
    they do not reach the server as written, and whether what receives them relays them to it is not modelled.
    (A destination NAT that presents the server on the client's side lands in the flows' destinations: kept.)"""
    target = PacketSet([Cube(ALL_ADDR, c.dims[1], c.dims[2], ALL_PORTS, c.dims[4]) for c in flows.cubes])
    out = []
    for o in outcomes:
        dims = tuple(d for d in o.xlate.dims if d[0] in (1, 4))
        if not (dims and o.allowed and o.phase == "new"):
            out.append(o)
            continue
        x = Xlate(o.xlate.rules, dims)
        sure, unsure = x.back(x.forward(o.packets).intersect(target), o.packets)
        away = o.packets.subtract(sure).subtract(unsure)
        if not away:
            out.append(o)
            continue
        kept = o.packets.subtract(away)
        if kept:
            out.append(replace(o, packets=kept))
        nat = next((r for r in o.xlate.rules if any(rw.dim in (1, 4) for rw in r.rewrites)), None)
        seen = x.forward(PacketSet.of_cubes([away.cubes[0]]))
        ex = seen.example() if seen else None
        to = (("%s port %d" % (format_addr(ex[1]), ex[4]) if ex[2] in (6, 17) else format_addr(ex[1])) if ex
              else "elsewhere")
        out.append(replace(o, kind=UNKNOWN, packets=away, rule=None, source=nat.source if nat else o.source,
                           reason="a destination NAT sends these packets to %s, not to the flow's destination; "
                                  "whether what receives them there relays them to it is not modelled" % to))
    return out


def has_stateless(config: Config) -> bool:
    """Whether a stage of the device decides later packets and replies by its rules."""
    return any(not s.stateful for p in config.paths for s in p.stages)


def _stateless_part(stage: Stage, flows: PacketSet) -> PacketSet:
    """The packets of ``flows`` of the protocols a stateful stage keeps no state for (``Stage.stateless_protocols``)."""
    if not stage.stateless_protocols:
        return PacketSet()
    return flows.intersect(PacketSet([cube(proto=ISet.union_of([ISet.of(p) for p in stage.stateless_protocols]))]))


def _stateless_for(config: Config, flows: PacketSet) -> bool:
    """Whether a stage of the device decides some later packets or replies of ``flows`` by its rules."""
    return any(not s.stateful or _stateless_part(s, flows) for p in config.paths for s in p.stages)


def connection(config: Config, flows: PacketSet) -> list[Outcome]:
    """Decide whole connections: their first packets, and where the device has stateless
    stages, their later packets (``phase="established"``) and their replies
    (``phase="reply"``, the reply packets as the server sends them, decided on the way back).

    The first-packet outcomes partition ``flows``; the other phases cover only the packets
    whose first packet is permitted.
    """
    first = evaluate(config, flows)
    if not _stateless_for(config, flows):
        return first
    out = list(first)
    for o in first:
        if not o.allowed or o.kind == NOT_FILTERED:
            continue
        out += evaluate(config, o.packets, ESTABLISHED)
        pieces, undecided = _left_as(config, o)
        out += undecided
        for sent, x in pieces:
            back = _replies(x.forward(sent) if x else sent)
            views = _reply_views(x)
            routed = views["routed"] if views else IDENTITY
            back, learned = _doubt_split(config, back, phase="reply")
            out += learned
            for path, part in split_by_path(config, routed.forward(back) if routed else back):
                if routed:
                    part = routed.back(part, back)[0]  # (the replies as sent: offsets only, exact)
                if path is None:
                    # (the input has no path for the way back, e.g. a script that never sets OUTPUT: what the
                    # device does with the replies is not in the input, so it is not a pass)
                    out.append(Outcome(UNKNOWN, part, source=config.head,
                                       reason="no path of the input decides the replies", phase="reply"))
                    continue
                for r in run_path(config, path, part, ESTABLISHED, views):
                    out.append(Outcome(r.kind, r.packets, r.rule, r.stage, r.path, r.source, r.reason,
                                       phase="reply", may_permit=r.may_permit))
    return out


# ICMP queries and their replies, by type (RFC 792: echo, timestamp, information, address mask; RFC 4443: echo)
_ICMP_REPLY = {1: ((8, 0), (13, 14), (15, 16), (17, 18)), 58: ((128, 129),)}


def _replies(ps: PacketSet) -> PacketSet:
    """The replies of ``ps`` (``replies``), where an ICMP query's reply is the reply type, of code 0, from the
    queried host (an error or a reply itself gets none); ICMP has no ports: any source "port"."""
    icmp = ps.intersect(PacketSet([cube(proto=ISet([(1, 1), (58, 58)]))]))
    if not icmp:
        return replies(ps)
    out = [c for c in replies(ps.subtract(icmp))]
    for c in icmp:
        for proto, pairs in _ICMP_REPLY.items():
            if not c.dims[2].overlaps(ISet.of(proto)):
                continue
            for query, reply in pairs:
                if c.dims[4].overlaps(ISet([(query << 8, (query << 8) | 0xFF)])):
                    out.append(Cube(c.dims[1], c.dims[0], ISet.of(proto), ALL_PORTS, ISet.of(reply << 8)))
    return PacketSet(out)


def _left_as(config: Config, o: Outcome) -> tuple[list[tuple[PacketSet, Xlate]], list[Outcome]]:
    """(the packets of a permitted outcome with the whole translation they leave the device with, which
    their replies are addressed back through; the unknown replies of those a source NAT rule may translate
    or not, whose address is not known).  The source NAT is worked out here where ``evaluate`` did not
    (it does only where a stage sees it: an IOS router's inside-to-outside NAT, with no outbound list on
    the outside interface, whose replies come back to the global address the outside's inbound list sees)."""
    path = o.path
    if (path is None or path.local == "in" or not _nat.post_routing(config.nat)
            or any(s.sees == "final" for s in path.stages)):
        return [(o.packets, o.xlate)], []  # (no source NAT, or ``o.xlate`` holds it already)
    done, unsure = _source_nat(config, path, o.packets, o.xlate)
    return done, [Outcome(UNKNOWN, replies(pkts), source=rule.source, path=path, phase="reply",
                          reason="%s; where its replies come back to is not known" % _nat_reason(rule))
                  for pkts, rule in unsure]


def _reply_views(x: Xlate) -> dict[str, Xlate] | None:
    """How the replies of packets translated by ``x`` look to the stages once the device has translated them
    back (None: as sent): ``final``, entirely, the same offsets the other way round (where a pool was used, the
    original value is not known: dropped); ``routed``, their destination only (the source NAT is undone before
    routing, the destination NAT after it: a reply is routed with its destination translated back)."""
    swap = {0: 1, 1: 0, 2: 2, 3: 4, 4: 3}
    final = Xlate(dims=tuple((swap[d], -off, None) for d, off, pool in x.dims if pool is None)) if x else IDENTITY
    if not final:
        return None
    return {"routed": Xlate(dims=tuple(d for d in final.dims if d[0] in (1, 4))), "final": final}


def evaluate_filter(config: Config, name: str, flows: PacketSet) -> list[Outcome]:
    """First-match over one named filter on its own, with its implicit deny."""
    return run_stage(config, filter_stage(config, name), flows)


def permitted_by_filter(config: Config, name: str) -> PacketSet:
    """The packets filter ``name``, evaluated on its own with its implicit deny, permits (an
    ASA class-map's ``match access-list``); nothing for an undefined filter."""
    cache = _derived(config).setdefault("_permitted_by", {})
    if name not in cache:
        if name not in config.filters:
            cache[name] = PacketSet()
        else:
            from auditor.core.packets import ALL
            cache[name] = PacketSet([c for o in evaluate_filter(config, name, ALL) if o.kind == PERMIT
                                     for c in o.packets.cubes])
    return cache[name]


def filter_stage(config: Config, name: str) -> Stage:
    """One named filter as a stage of its own, ending in an implicit deny at its last line."""
    f = config.filters[name]
    last = f.rules[-1].source if f.rules else f.source
    return Stage(name, (name,), Action.DENY, last, "implicit deny at the end of %s" % name)


def explained_stage(config: Config, name: str) -> tuple[Stage, str]:
    """One named filter as ``explain --filter`` evaluates it, on its own: the stage that ends it as the device does,
    and, where its end decides nothing, why (else ""): a packet that no rule of a user chain decides goes back to
    the chain that jumped to it; one that no rule of a filter matches goes on to the filter after it wherever
    that filter comes first (an SRX zone pair's policies, then the global ones; a Junos filter list; where no path
    holds the filter, the stages its parser says the device looks it up in: ``Config.lookups``).  Where every
    path's stage ends with this filter and in the same default (a Windows Firewall's outbound allow, an SRX's
    ``default-policy permit-all``, pfSense's generated outbound pass), that default ends it; otherwise (no path or
    lookup holds it, or their defaults differ), as ``filter_stage``, an implicit deny at its last line."""
    cache = _derived(config).setdefault("_explained", {})
    if name not in cache:
        if config.filters[name].kind == USER_CHAIN:
            cache[name] = (filter_stage(config, name), "no rule of %s decides the packet (none matches, or a RETURN "
                                                       "does): it goes back to the chain that jumped to it, which "
                                                       "decides" % name)
            return cache[name]
        holding = [s for p in config.paths for s in p.stages if name in s.filters] or \
            [s for s in config.lookups if name in s.filters]
        after = sorted({s.filters[s.filters.index(name) + 1] for s in holding if s.filters[-1] != name})
        last = [s for s in holding if s.filters[-1] == name]
        if after:
            cache[name] = (filter_stage(config, name), "no rule of %s matches: the device goes on to %s%s" % (
                name, " or ".join(after), ", or ends as the path's default" if last else ""))
        elif last and len({s.default for s in last}) == 1:
            s = last[0]
            cache[name] = (Stage(name, (name,), s.default, s.default_source, s.default_reason), "")
        else:
            cache[name] = (filter_stage(config, name), "")
    return cache[name]


def _unsure_reason(rule: Rule) -> str:
    return rule.note or ("a line that was not understood" if rule.opaque else
                         "a line whose objects are not all defined or understood")


# --- single packets (fast path) -------------------------------------------------

def decide_packet(config: Config, pkt: Sequence[int], filter_name: str | None = None) -> Outcome:
    """The outcome for one concrete packet (indexed: fast on very large filters)."""
    pkt = tuple(pkt)
    ps = one_packet(pkt)
    if filter_name:
        stage, onward = explained_stage(config, filter_name)
        o = _point_stage(config, stage, pkt, ps, None)
        if o.rule is None and onward:  # (its end decides nothing: what comes after it does)
            return replace(o, kind=UNKNOWN, reason=onward)
        return o
    pieces, unsure = _route(config, ps)
    if unsure:
        return unsure[0]
    (piece,) = pieces
    path, x = piece.path, piece.xlate
    if path is None:
        return _unrouted(config, ps, x)[0]
    if not path.crosses:
        return Outcome(NOT_FILTERED, ps, path=path, reason=path.note or "does not cross the device", xlate=x)
    if (any(pool is not None for _d, _o, pool in x.dims) or
            any(s.sees == "final" for s in path.stages) and _nat.post_routing(config.nat)):
        # (a pool address or a source NAT decides: the exact set evaluation, on one packet;
        # where the pool address chosen decides, the packet's outcome is unknown)
        outs = evaluate(config, ps)
        return next((o for o in outs if o.kind == UNKNOWN), outs[0])
    routed = tuple(x.forward(ps).cubes[0].dims[k].iv[0][0] for k in range(5)) if x else pkt
    first = None
    unsure = None  # the first unknown that leaves the packet to the later stages (``_run_stages``)
    for stage in path.stages:
        p = routed if stage.sees != "sent" else pkt
        o = _point_stage(config, stage, p, ps, path)
        if o.kind == PERMIT:
            first = o if first is None or not _keeps(first, o) else first
            continue
        if o.kind == UNKNOWN and o.onward:
            unsure = unsure or o
            continue
        if o.kind == UNKNOWN and unsure is not None:
            break  # (this stage may do more than pass it or drop it: unknown at the earlier line)
        if not x and _back_out_of(config, path, pkt):
            o = _unreached(o, path, pkt[1] in _networks(config).get(path.ingress, EMPTY))
        return _with_xlate(replace(o, onward=False), x)
    if unsure is not None:
        return _with_xlate(replace(unsure, onward=False), x)
    o = first or Outcome(PERMIT, ps, path=path)
    for part, check in _reverse_path(config, path, ps, x):
        if check is not None and part:
            o = _rpf_ended(o, check)
    return _with_xlate(o, x)


def _by_default(o: Outcome) -> bool:
    """A permit that only a stage's default (a chain's policy) made: no rule, or the rule that
    restates the default (its source is the stage's default source, e.g. an iptables
    ':INPUT ACCEPT' line)."""
    return o.rule is None or (o.stage is not None and o.rule.source == o.stage.default_source)


def _keeps(first: Outcome, later: Outcome) -> bool:
    """Whether the permit of an earlier stage stays the deciding line over a later stage's: the
    first stage's permit does, unless only its default made it and a rule of the later stage
    permits (a Linux packet passed by a mangle chain's or an earlier-priority chain's policy and
    accepted by a filter rule is accepted by that rule)."""
    return not (_by_default(first) and not _by_default(later))


def _with_xlate(o: Outcome, x: Xlate) -> Outcome:
    return o if not x else Outcome(o.kind, o.packets, o.rule, o.stage, o.path, o.source, o.reason, x,
                                   may_permit=o.may_permit)


def _stage_index(config: Config, stage: Stage):
    """(rules, index, positions of uncertain rules) of a stage."""
    def build():
        from auditor.engine.index import RuleIndex

        rules = [r for r, _h in _stage_table(config, stage)]
        return rules, RuleIndex(rules), [i for i, r in enumerate(rules) if r.maybe]

    return _per_stage(config, stage, "_point_index", build)


def _point_stage(config: Config, stage: Stage, pkt: tuple, ps: PacketSet, path: Path | None) -> Outcome:
    """First match of one packet in one stage, through a cached rule index."""
    rules, idx, unsure = _stage_index(config, stage)
    j = idx.first_containing(pkt, 0, len(rules))
    first = None  # the first uncertain rule that may match (of certain action: ``run_stage``)
    for m in unsure:
        if j is not None and m >= j:
            break
        r = rules[m]
        if r.maybe.contains(pkt):
            if first is None:
                first = r
            if not r.sure_action or r.action is not first.action:
                return Outcome(UNKNOWN, ps, first, stage, path, first.source, _unsure_reason(first),
                               onward=r.sure_action or config.verdicts_only)
    action = stage.default if j is None else rules[j].action
    if first is not None and action is not first.action:
        return Outcome(UNKNOWN, ps, first, stage, path, first.source, _unsure_reason(first), onward=True)
    kind = PERMIT if action is Action.PERMIT else DENY
    if j is None:
        reason = stage.default_reason if first is None else _same_way(stage.default_reason, first)
        return Outcome(kind, ps, None, stage, path, stage.default_source, reason)
    r = rules[j]
    return Outcome(kind, ps, r, stage, path, r.source, "" if first is None else _same_way("", first))

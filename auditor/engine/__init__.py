"""First-match evaluation of packet sets over the rule graph, exactly.

``evaluate(config, flows)`` splits a packet set by the path it takes through
the device (from interface subnets and routes), then runs each part through
that path's stages.  Every packet of the input ends up in exactly one
``Outcome``: permitted, denied, unknown (reached a line that was not
understood), not filtered (does not cross the device) or not routed.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Sequence

from auditor.core.model import Action, Config, Path, Rule, Source, Stage
from auditor.core.packets import ALL_ADDR, EMPTY, NO_BOUNDS, Cube, ISet, PacketSet, cube

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

    @property
    def allowed(self) -> bool:
        return self.kind in (PERMIT, NOT_FILTERED)


# --- routing ---------------------------------------------------------------

def interface_regions(config: Config) -> dict[str, ISet]:
    """Which addresses each interface reaches, by longest-prefix match.

    Connected interface subnets and static routes compete by specificity
    (the smaller block wins), exactly as a routing table would.
    """
    cache = _derived(config).get("_regions")
    if cache is not None:
        return cache
    entries: list[tuple[int, int, int, str]] = []
    for iface in config.interfaces:
        for lo, hi in iface.networks.iv:
            entries.append((hi - lo, 0, lo, iface.name))
    for i, route in enumerate(config.routes):
        for lo, hi in route.prefix.iv:
            entries.append((hi - lo, 1 + i, lo, route.interface))
    entries.sort()
    taken = ISet()
    regions: dict[str, ISet] = {i.name: ISet() for i in config.interfaces}
    for size, _, lo, name in entries:
        block = ISet.of(lo, lo + size).subtract(taken)
        if not block:
            continue
        regions[name] = regions.get(name, ISet()).union(block)
        taken = taken.union(block)
    _derived(config)["_regions"] = regions
    return regions


# What the engine derives from a config (its routing regions, its stages' rule tables and
# indexes), kept beside the config while it lives, never inside the frozen record.
_DERIVED: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def _derived(config) -> dict:
    d = _DERIVED.get(config)
    if d is None:
        d = _DERIVED[config] = {}
    return d


def split_by_path(config: Config, flows: PacketSet) -> list[tuple[Path | None, PacketSet]]:
    """Partition ``flows`` by the path each packet takes; ``None`` for no route."""
    out: list[tuple[Path | None, PacketSet]] = []
    if not config.paths:
        return [(None, flows)]
    regions = interface_regions(config) if config.interfaces else {}
    has_transit = any(p.local is None for p in config.paths)
    local = config.local_addresses
    covered = PacketSet()
    for path in config.paths:
        src = regions.get(path.ingress, EMPTY) if path.ingress is not None else ALL_ADDR
        dst = regions.get(path.egress, EMPTY) if path.egress is not None else ALL_ADDR
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
        if not src or not dst:
            continue
        box = PacketSet([cube(src=src, dst=dst)])
        if path.scope is not None:
            box = box.intersect(path.scope)
        part = flows.intersect(box).subtract(covered) if covered else flows.intersect(box)
        if part:
            out.append((path, part))
        covered = covered.union(box)
    rest = flows.subtract(covered)
    if rest:
        out.append((None, rest))
    return out


# --- first match -------------------------------------------------------------

def stage_rules(config: Config, stage: Stage) -> list[Rule]:
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


def _stage_table(config: Config, stage: Stage) -> list[tuple[Rule, tuple]]:
    """A stage's enabled rules with their hulls (match and maybe): a cheap overlap filter."""
    return _per_stage(config, stage, "_stage_table", lambda: [
        (r, _hull(r.match.cubes + r.maybe.cubes if r.maybe.cubes else r.match.cubes))
        for r in stage_rules(config, stage)])


class _Undecided:
    """The packets of a stage's flows that no rule has decided yet, as cubes indexed by
    source block, so that a rule only meets the pieces in its blocks.

    Rules carve the flows into many small pieces (a permit per partner network: a piece
    per network); testing every piece against every rule made set first-match
    quadratic in the number of rules.  A piece lies over a few /24 source blocks, or a
    few /8 blocks, or is "wide" (every rule whose sources meet its bounds looks at it).
    A wide piece that many narrow rules cut holes into is split by its source intervals
    once they grow past ``MAX_IV``: copying one ever longer interval list on every cut
    was quadratic too.
    """

    SPAN = 4  # a piece over at most this many blocks of a level is indexed at that level
    SHIFTS = (8, 24)  # the levels: /24 blocks, then /8 blocks (of IPv4; IPv6 alike)
    MAX_IV = 1024  # most source intervals a piece keeps before it is split

    def __init__(self, cubes) -> None:
        self.pieces: dict[int, Cube] = {}  # in creation order
        self.levels: list[dict[int, dict[int, None]]] = [{} for _ in self.SHIFTS]
        self.wide: dict[int, tuple[int, int]] = {}  # key -> lowest and highest source
        self.count = 0
        for c in cubes:
            self._add(c)

    def __bool__(self) -> bool:
        return bool(self.pieces)

    def packets(self) -> PacketSet:
        return PacketSet.of_cubes(list(self.pieces.values()))

    def _place(self, c: Cube) -> tuple[int, range] | None:
        """(level, its blocks) where a piece is indexed; None when it is wide."""
        iv = c.dims[0].iv
        lo, hi = iv[0][0], iv[-1][1]
        for level, shift in enumerate(self.SHIFTS):
            a, b = lo >> shift, hi >> shift
            if b - a < self.SPAN:
                return level, range(a, b + 1)
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
        where = self._place(c)
        if where is None:
            self.wide[k] = (iv[0][0], iv[-1][1])
        else:
            level = self.levels[where[0]]
            for b in where[1]:
                level.setdefault(b, {})[k] = None

    def _drop(self, k: int) -> None:
        where = self._place(self.pieces.pop(k))
        if where is None:
            del self.wide[k]
        else:
            level = self.levels[where[0]]
            for b in where[1]:
                del level[b][k]

    def _meeting(self, cubes) -> list[int]:
        """Keys of the pieces that may meet ``cubes``, in creation order."""
        first = min(c.dims[0].iv[0][0] for c in cubes) if cubes else 0
        last = max(c.dims[0].iv[-1][1] for c in cubes) if cubes else -1
        # (wide pieces split from one piece lie side by side: most miss the rule's sources)
        keys = {k for k, (a, b) in self.wide.items() if a <= last and first <= b}
        for level, shift in zip(self.levels, self.SHIFTS):
            blocks: set[int] = set()
            for c in cubes:
                for lo, hi in c.dims[0].iv:
                    if (hi >> shift) - (lo >> shift) > 256:
                        return list(self.pieces)
                    blocks.update(range(lo >> shift, (hi >> shift) + 1))
                    if len(blocks) > 256:
                        return list(self.pieces)
            for b in blocks:
                keys.update(level.get(b, ()))
        return sorted(keys)

    def take(self, ps: PacketSet) -> PacketSet:
        """Remove ``ps`` from the undecided packets; what was removed."""
        hit: list[Cube] = []
        for k in self._meeting(ps.cubes):
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


def run_stage(config: Config, stage: Stage, flows: PacketSet, path: Path | None = None) -> list[Outcome]:
    """First-match over one stage: every packet of ``flows`` lands in one outcome."""
    out: list[Outcome] = []
    remaining = _Undecided(flows.cubes)
    f = _hull(flows.cubes)
    for rule, h in _stage_table(config, stage):
        if not remaining.pieces:
            break
        if h[0] > f[1] or f[0] > h[1] or h[2] > f[3] or f[2] > h[3]:
            continue  # (what remains is inside flows: it cannot meet the rule either)
        if rule.match.cubes:  # (emptiness by the tuples: no method call per rule)
            hit = remaining.take(rule.match)
            if hit.cubes:
                kind = PERMIT if rule.action is Action.PERMIT else DENY
                out.append(Outcome(kind, hit, rule, stage, path, rule.source))
        if rule.maybe.cubes and remaining.pieces:
            unsure = remaining.take(rule.maybe)
            if unsure:
                out.append(Outcome(UNKNOWN, unsure, rule, stage, path, rule.source, _unsure_reason(rule)))
    if remaining:
        kind = PERMIT if stage.default is Action.PERMIT else DENY
        out.append(Outcome(kind, remaining.packets(), None, stage, path, stage.default_source, stage.default_reason))
    return out


def run_path(config: Config, path: Path, flows: PacketSet) -> list[Outcome]:
    """Run ``flows`` through every stage of ``path``; all stages must permit."""
    if not path.crosses:
        return [Outcome(NOT_FILTERED, flows, path=path, reason=path.note or "does not cross the device")]
    done: list[Outcome] = []
    pending: list[Outcome] = [Outcome(PERMIT, flows, path=path)]
    for stage in path.stages:
        nxt: list[Outcome] = []
        for prev in pending:
            for o in run_stage(config, stage, prev.packets, path):
                if o.kind == PERMIT:
                    # keep the first stage's permit as the deciding line
                    nxt.append(o if prev.rule is None and prev.stage is None else
                               Outcome(PERMIT, o.packets, prev.rule, prev.stage, path, prev.source, prev.reason))
                else:
                    done.append(o)
        pending = nxt
    return done + pending


def evaluate(config: Config, flows: PacketSet) -> list[Outcome]:
    """Decide every packet of ``flows``: the exact partition by outcome."""
    out: list[Outcome] = []
    for path, part in split_by_path(config, flows):
        if path is None:
            out.append(Outcome(NOT_ROUTED, part, reason="no interface or route reaches these addresses"))
        else:
            out.extend(run_path(config, path, part))
    return out


def evaluate_filter(config: Config, name: str, flows: PacketSet) -> list[Outcome]:
    """First-match over one named filter on its own, with its implicit deny."""
    return run_stage(config, filter_stage(config, name), flows)


def filter_stage(config: Config, name: str) -> Stage:
    """One named filter as a stage of its own, ending in an implicit deny at its last line."""
    f = config.filters[name]
    last = f.rules[-1].source if f.rules else f.source
    return Stage(name, (name,), Action.DENY, last, "implicit deny at the end of %s" % name)


def _unsure_reason(rule: Rule) -> str:
    return rule.note or ("a line that was not understood" if rule.opaque else
                         "a line whose objects are not all defined or understood")


# --- single packets (fast path) -------------------------------------------------

def decide_packet(config: Config, pkt: Sequence[int], filter_name: str | None = None) -> Outcome:
    """The outcome for one concrete packet (indexed: fast on very large filters)."""
    pkt = tuple(pkt)
    ps = PacketSet([cube(*(ISet.of(x) for x in pkt))])
    if filter_name:
        return _point_stage(config, filter_stage(config, filter_name), pkt, ps, None)
    (path, part), = split_by_path(config, ps)
    if path is None:
        return Outcome(NOT_ROUTED, ps, reason="no interface or route reaches these addresses")
    if not path.crosses:
        return Outcome(NOT_FILTERED, ps, path=path, reason=path.note or "does not cross the device")
    first = None
    for stage in path.stages:
        o = _point_stage(config, stage, pkt, ps, path)
        if o.kind != PERMIT:
            return o
        first = first or o
    return first or Outcome(PERMIT, ps, path=path)


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
    for m in unsure:
        if j is not None and m >= j:
            break
        if rules[m].maybe.contains(pkt):
            r = rules[m]
            return Outcome(UNKNOWN, ps, r, stage, path, r.source, _unsure_reason(r))
    if j is None:
        kind = PERMIT if stage.default is Action.PERMIT else DENY
        return Outcome(kind, ps, None, stage, path, stage.default_source, stage.default_reason)
    r = rules[j]
    return Outcome(PERMIT if r.action is Action.PERMIT else DENY, ps, r, stage, path, r.source)

"""Where two configs of one device may decide packets differently.

A change request edits a few lines of a config of thousands; evaluating every packet of both
configs to find what it changes (``diff.traffic_changes``) cost minutes on a 10,000-entry ACL.
``differing_space(old, new)`` bounds the packets whose decision can differ, so that only those
are evaluated:

* Both configs must route, translate and stage packets alike: the same paths (interfaces,
  stages with their filters, defaults and state keeping), interfaces and routes, own addresses,
  dynamic routing and NAT.  Where a record came from (its ``Source``) does not count: a line
  inserted above shifts every later line.  Anything else that differs: every packet.
* In each filter, the rules are compared by what they decide (action, match, maybe, enabled,
  states, certainty): the rules of a common subsequence of both lists (their common beginning and
  end, and the blocks ``difflib`` finds in both between them) are common, the others changed.  A
  packet that no changed rule may match meets, in both lists, the same common rules in the same
  order: the same first match, the same decision.  So every packet decided differently is in the
  union of the changed rules' match and maybe sets.  A filter in one version only (or of another
  kind in each): all its rules are changed.
* Of a changed rule, only the packets that a rule of the other action at or after its place (in
  either version, in its filter or in the filters after it in a stage), or a stage's default of the
  other action, may decide: a packet that only rules of its action can decide from there is decided
  alike by both versions (an explicit deny appended to a list that denies by default changes
  nothing; ``_deciding`` has the argument).  A packet some rule may match (its maybe set) is kept.
* Rules match packets as a stage sees them, after NAT, which is the same in both configs. The
  packets as sent that the device may translate into the union are added: through each NAT rule,
  the packets it translates whose translation may land there (the engine's own preimage,
  ``Xlate.back``: an offset taken back; a pool that meets the union, any value), once per NAT
  table, since a packet crosses each table once (an over-approximation: more packets are
  evaluated, none is missed; for a large union and many NAT rules, each rewritten dimension
  widened to every value instead). A NAT rule not understood (``maybe``) may rewrite anything,
  and a pool of several values the stages see makes the engine's answer depend on which packets
  are evaluated together: every packet.

The answer is a superset: evaluating it in both configs finds every packet decided differently,
exactly as evaluating everything would (tested against that on generated and real configs).
"""

from __future__ import annotations

import dataclasses
import difflib

from auditor.core.model import Action, Config, NatRule, Rule, Source
from auditor.core.packets import ALL, Cube, PacketSet
from auditor.engine.nat import IDENTITY

# the fields of a config that decide how its packets are routed, translated and staged
_DECIDING = ("paths", "interfaces", "routes", "local_addresses", "nat", "learned_routes", "learned_space",
             "unsettled_routes")
_EVERY = ALL.cubes[0].dims  # (every value of each dimension)
_FEW = 64  # changed rules past which a list's middle is matched up by difflib
_PREIMAGES = 20_000  # (cube, NAT rule) pairs taken back one by one (beyond: rewritten dimensions widened)
_DISJOINT_AT_MOST = 256  # cubes the union is made disjoint for (beyond: left overlapping, still exact)
_REFINED = 400_000  # pairs of rules compared in one filter to bound what its changed rules decide (``_deciding``)


def differing_space(old: Config, new: Config) -> PacketSet:
    """A set of packets (as sent) holding every packet ``old`` and ``new`` may decide differently
    (``ALL`` when they differ in more than their filters' rules; empty when they decide alike)."""
    for name in _DECIDING:
        if not alike(getattr(old, name), getattr(new, name)):
            return ALL
    cubes: list[Cube] = []
    after = _after(old)
    for name in dict.fromkeys([*old.filters, *new.filters]):
        a, b = old.filters.get(name), new.filters.get(name)
        if a is None or b is None or a.kind != b.kind:
            for r in (r for f in (a, b) if f is not None for r in f.rules):
                cubes.extend(r.match.cubes)
                cubes.extend(r.maybe.cubes)
            continue
        later, defaults = after.get(name, ((), frozenset()))
        tail = [r for n in later for f in (old.filters.get(n), new.filters.get(n)) if f is not None
                for r in f.rules if r.enabled]
        cubes += _deciding(a.rules, b.rules, _blocks(a.rules, b.rules), tail, defaults)
    if not cubes:
        return PacketSet()
    rules = [r for table in old.nat for r in table.rules]
    if any(r.maybe.cubes for r in rules) or _pools_decide(old):
        return ALL
    cubes = list(dict.fromkeys(cubes))
    if rules:
        cubes = _before_nat(cubes, rules, len(old.nat))
    return _disjoint(cubes)


def _pools_decide(cfg: Config) -> bool:
    """Whether a NAT pool of several values may change what a stage sees (a pool before routing,
    where stages see the packets as routed or as they leave, or of destinations, which routing
    reads; a pool after routing, where a stage sees the packets as they leave).  The engine decides
    a packet whose translation the device picks from such a pool only where the whole pool falls in
    one piece of an outcome (else it is unknown), and how outcomes are cut into pieces depends on
    the packets evaluated together: evaluating fewer of them could then answer otherwise."""
    views = {st.sees for p in cfg.paths for st in p.stages}
    for t in cfg.nat:
        pre = t.when == "pre-routing"
        for r in t.rules:
            for w in r.rewrites:
                if w.pool is None or w.pool.size() < 2:
                    continue
                if "final" in views or (pre and ("routed" in views or w.dim == 1)):
                    return True
    return False


def _before_nat(cubes: list[Cube], rules: list[NatRule], tables: int) -> list[Cube]:
    """``cubes`` (packets as a stage sees them) with the packets as sent that the NAT ``rules`` (of
    ``tables`` tables) may translate into them: through each rule, the packets it translates whose
    translation certainly or possibly lands in a cube (``Xlate.back``), once per table (a packet is
    translated by a rule of each table at most).  Past ``_PREIMAGES`` pairs of cubes and rules,
    each dimension some rule rewrites is widened to every value instead."""
    if len(cubes) * len(rules) * tables > _PREIMAGES:
        dims = {w.dim for r in rules for w in r.rewrites}
        return list(dict.fromkeys(Cube.from_dims([_EVERY[d] if d in dims else x for d, x in enumerate(c.dims)])
                                  for c in cubes))
    xlates = [(IDENTITY.then(r), r.match) for r in rules]
    out = cubes
    for _ in range(tables):
        more = []
        for c in out:
            for x, match in xlates:
                sure, unsure = x.back(PacketSet.of_cubes([c]), match)
                more += sure.cubes
                more += unsure.cubes
        out = list(dict.fromkeys(out + more))
    return out


def decides(r: Rule) -> tuple:
    """What of a rule decides packets (not where it is written, nor what it is called)."""
    return (r.action, r.match.cubes, r.maybe.cubes, r.enabled, r.states, r.sure_action, r.opaque, r.builtin)


def _blocks(a: tuple[Rule, ...], b: tuple[Rule, ...]) -> list[tuple[int, int, int, int]]:
    """The parts ``a[a0:a1]``, ``b[b0:b1]`` of lists ``a`` and ``b`` outside a common subsequence of
    both (compared by ``decides``), in list order: past their common beginning and end, the blocks
    ``difflib`` does not find in both (any common subsequence will do; a longer one leaves fewer
    rules changed)."""
    n = min(len(a), len(b))
    i = 0
    while i < n and decides(a[i]) == decides(b[i]):
        i += 1
    j = 0
    while j < n - i and decides(a[-1 - j]) == decides(b[-1 - j]):
        j += 1
    if len(a) - j - i <= _FEW or len(b) - j - i <= _FEW:
        return [(i, len(a) - j, i, len(b) - j)] if i < len(a) - j or i < len(b) - j else []
    ka, kb = [decides(r) for r in a[i:len(a) - j]], [decides(r) for r in b[i:len(b) - j]]
    return [(i + a0, i + a1, i + b0, i + b1)
            for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, ka, kb).get_opcodes() if tag != "equal"]


def _after(cfg: Config) -> dict[str, tuple[tuple[str, ...], frozenset]]:
    """Per filter, the filters after it in the stages that hold it, and those stages' defaults (a
    packet no rule of the filter decides goes on to them)."""
    later: dict[str, dict[str, None]] = {}
    defaults: dict[str, set] = {}
    for p in cfg.paths:
        for st in p.stages:
            for k, name in enumerate(st.filters):
                later.setdefault(name, {}).update(dict.fromkeys(st.filters[k + 1:]))
                defaults.setdefault(name, set()).add(Action.PERMIT if st.default is Action.PERMIT else Action.DENY)
    return {n: (tuple(later[n]), frozenset(defaults[n])) for n in later}


def _deciding(a: tuple[Rule, ...], b: tuple[Rule, ...], blocks, tail: list[Rule], defaults: frozenset) -> list[Cube]:
    """Cubes holding every packet the changed rules of one filter (the ``blocks`` of its versions ``a``
    and ``b``) may make the versions decide differently.

    A packet decided differently meets, in both versions, the same rules up to the first block
    holding an enabled changed rule it may match (the blocks before it, equal or changed, do the same
    with it), and passes them.  From there each version decides it by a rule of that block or after
    it, of the filters after this one in its stages (``tail``), or by a stage's default: if all of
    these that may decide it (certainly) act as that changed rule does, both versions decide it
    alike.  So it lies in the changed rule's maybe set, or in its match and in the match or maybe
    set of a rule there of the other action, or in the maybe set of one of the same action, or
    a default acts otherwise (then the whole match).  Past ``_REFINED`` pairs of rules compared,
    the changed rules' whole sets."""
    changed = [(r, a0, b0) for a0, a1, b0, b1 in blocks for r in (*a[a0:a1], *b[b0:b1]) if r.enabled]
    if sum(len(a) - a0 + len(b) - b0 + len(tail) for _r, a0, b0 in changed) > _REFINED:
        return [c for r, _a0, _b0 in changed for c in (*r.match.cubes, *r.maybe.cubes)]
    out: list[Cube] = []
    for r, a0, b0 in changed:
        out += r.maybe.cubes
        if not r.match.cubes:
            continue
        if any(d is not r.action for d in defaults):
            out += r.match.cubes
            continue
        for s in (*a[a0:], *b[b0:], *tail):
            if s.enabled:
                if s.action is not r.action:
                    out += s.match.intersect(r.match).cubes
                out += s.maybe.intersect(r.match).cubes
    return out


def alike(x, y) -> bool:
    """Whether two parts of configs route, translate or decide packets alike: equal, with any two
    ``Source``s taken as equal (where a record is written decides nothing) and packet sets
    compared by their cubes."""
    if isinstance(x, Source):
        return isinstance(y, Source)
    if type(x) is not type(y):
        return False
    if isinstance(x, PacketSet):
        return x.cubes == y.cubes
    if isinstance(x, (tuple, list)):
        return len(x) == len(y) and all(alike(p, q) for p, q in zip(x, y))
    if isinstance(x, dict):
        return x.keys() == y.keys() and all(alike(x[k], y[k]) for k in x)
    if dataclasses.is_dataclass(x):
        return all(alike(getattr(x, f.name), getattr(y, f.name)) for f in dataclasses.fields(x))
    return x == y


def _disjoint(cubes: list[Cube]) -> PacketSet:
    """The union of ``cubes`` as disjoint cubes (each packet evaluated once), when there are few."""
    if len(cubes) > _DISJOINT_AT_MOST:
        return PacketSet(cubes)
    out = PacketSet()
    for c in cubes:
        part = PacketSet([c]).subtract(out) if out else PacketSet([c])
        out = out.union(part)
    return out


__all__ = ["alike", "decides", "differing_space"]

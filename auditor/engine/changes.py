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

from auditor.core.model import Config, NatRule, Rule, Source
from auditor.core.packets import ALL, Cube, PacketSet
from auditor.engine.nat import IDENTITY

# the fields of a config that decide how its packets are routed, translated and staged
_DECIDING = ("paths", "interfaces", "routes", "local_addresses", "nat", "learned_routes")
_EVERY = ALL.cubes[0].dims  # (every value of each dimension)
_FEW = 64  # changed rules past which a list's middle is matched up by difflib
_PREIMAGES = 20_000  # (cube, NAT rule) pairs taken back one by one (beyond: rewritten dimensions widened)
_DISJOINT_AT_MOST = 256  # cubes the union is made disjoint for (beyond: left overlapping, still exact)


def differing_space(old: Config, new: Config) -> PacketSet:
    """A set of packets (as sent) holding every packet ``old`` and ``new`` may decide differently
    (``ALL`` when they differ in more than their filters' rules; empty when they decide alike)."""
    for name in _DECIDING:
        if not alike(getattr(old, name), getattr(new, name)):
            return ALL
    cubes: list[Cube] = []
    for name in dict.fromkeys([*old.filters, *new.filters]):
        a, b = old.filters.get(name), new.filters.get(name)
        if a is None or b is None or a.kind != b.kind:
            changed = [r for f in (a, b) if f is not None for r in f.rules]
        else:
            changed = _changed(a.rules, b.rules)
        for r in changed:
            cubes.extend(r.match.cubes)
            cubes.extend(r.maybe.cubes)
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


def _decides(r: Rule) -> tuple:
    """What of a rule decides packets (not where it is written, nor what it is called)."""
    return (r.action, r.match.cubes, r.maybe.cubes, r.enabled, r.states, r.sure_action, r.opaque, r.builtin)


def _changed(a: tuple[Rule, ...], b: tuple[Rule, ...]) -> list[Rule]:
    """The rules of lists ``a`` and ``b`` outside a common subsequence of both (compared by
    ``_decides``): past their common beginning and end, the blocks ``difflib`` does not find
    in both (any common subsequence will do; a longer one leaves fewer rules changed)."""
    n = min(len(a), len(b))
    i = 0
    while i < n and _decides(a[i]) == _decides(b[i]):
        i += 1
    j = 0
    while j < n - i and _decides(a[-1 - j]) == _decides(b[-1 - j]):
        j += 1
    a, b = a[i:len(a) - j], b[i:len(b) - j]
    if len(a) <= _FEW or len(b) <= _FEW:
        return [*a, *b]
    ka, kb = [_decides(r) for r in a], [_decides(r) for r in b]
    out: list[Rule] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, ka, kb).get_opcodes():
        if tag != "equal":
            out += a[a0:a1]
            out += b[b0:b1]
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


__all__ = ["alike", "differing_space"]

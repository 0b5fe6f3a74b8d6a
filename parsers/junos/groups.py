"""Configuration groups: ``groups G { ... }`` inherited where ``apply-groups G`` is written.

Juniper, "Configuration Groups" / "apply-groups" (Junos OS CLI User Guide): a group holds
statements written from the root of the hierarchy; ``apply-groups G`` at some level makes the
configuration below that level inherit G's statements under it (at the top level: all of them).
Statements written in the configuration itself take precedence over inherited ones, and
``<...>`` wildcards in a group match names of the configuration.

Expanded here when the result is exact: groups without wildcards or ``${node}`` variables, whose
statements do not add members to an ordered list (policies of one zone pair, terms of one filter,
rules of one NAT rule set) that the configuration or another group also fills, since the order of
such mixed lists is not modelled.  Anything else is reported (CFG300): with no impact when the
group only touches management hierarchies, else as able to change any verdict.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from auditor.core.model import Impact
from parsers.junos.common import Ctx
from parsers.junos.tree import Stmt

_MANAGEMENT = ("system", "chassis", "snmp", "event-options", "version", "protocols", "class-of-service",
               "routing-options", "poe", "services")


def _container(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The ordered list a statement adds a member to, if any."""
    t = toks
    if t[:3] == ("security", "policies", "global") and len(t) >= 5:
        return t[:3]
    if t[:2] == ("security", "policies") and len(t) >= 8 and t[2] == "from-zone":
        return t[:6]
    if t[:1] == ("firewall",):
        for k, w in enumerate(t):
            if w == "term":
                return t[:k]
    if t[:2] == ("security", "nat") and len(t) >= 7 and t[3] == "rule-set" and t[5] == "rule":
        return t[:5]
    return None


def _under(head: tuple[str, ...], path: tuple[str, ...]) -> bool:
    """Whether a group statement starting with ``head`` lies under ``path`` (``<*>``, ``<ge-*>`` in the
    group match the names written there: Juniper, "Using Wildcards with Configuration Groups")."""
    return len(head) == len(path) and all(
        a == b or (a.startswith("<") and a.endswith(">") and fnmatchcase(b, a[1:-1])) for a, b in zip(head, path))


def expand(ctx: Ctx) -> list[Stmt]:
    """The statements with groups inherited (see the module doc); group definitions left out."""
    doc = ctx.doc
    if not doc.may_say("groups") or (
            not doc.may_say("apply-groups") and not any(st.toks[0] == "groups" for st in doc.stmts)):
        return list(doc.stmts)  # (the usual configuration: no groups)
    groups: dict[str, list[Stmt]] = {}
    plain: list[Stmt] = []
    applies: list[tuple[Stmt, tuple[str, ...], str]] = []
    for st in doc.stmts:
        t = st.toks
        if t[0] == "groups":
            if len(t) >= 3:
                groups.setdefault(t[1], []).append(st)
            else:
                ctx.ignore(st, "empty configuration group")
            continue
        if "apply-groups" in t or "apply-groups-except" in t:
            k = t.index("apply-groups") if "apply-groups" in t else t.index("apply-groups-except")
            if t[k] == "apply-groups-except":
                ctx.unknown(st, "apply-groups-except: which inherited statements are left out is not modelled")
                continue
            if len(t) != k + 2:
                ctx.unknown(st, "apply-groups statement not understood")
                continue
            if st.inactive is not None:
                ctx.ignore(st, "inactive apply-groups")
                continue
            applies.append((st, t[:k], t[k + 1]))
            continue
        plain.append(st)
    if not applies:
        for items in groups.values():
            for st in items:
                ctx.ignore(st, "configuration group not applied (apply-groups)")
        return plain
    owners: dict[tuple[str, ...], set[str]] = {}
    for st in plain:
        c = _container(st.toks)
        if c is not None:
            owners.setdefault(c, set()).add("")
    inherited: list[Stmt] = []
    for st, path, name in applies:
        items = groups.get(name)
        if items is None:
            if name.startswith("${") or name.startswith("$"):
                ctx.unknown(st, "apply-groups %s: a variable group (chassis cluster node), not expanded" % name,
                            Impact.NONE if all(g.toks[2:3] and g.toks[2] in _MANAGEMENT
                                                for items in groups.values() for g in items)
                            else Impact.GLOBAL)
            else:
                ctx.undefined(st, name, "configuration group", "", Impact.GLOBAL)
            continue
        under = [g for g in items if _under(g.toks[2:2 + len(path)], path)]
        wild = [g for g in under if any("<" in w and ">" in w for w in g.toks)]
        if wild:
            management = all(g.toks[2] in _MANAGEMENT for g in under)
            ctx.unknown(st, "apply-groups %s: the group uses wildcards (<...>), not expanded" % name,
                        Impact.NONE if management else Impact.GLOBAL)
            continue
        mixed = False
        for g in under:
            c = _container(g.toks[2:])
            if c is not None:
                got = owners.setdefault(c, set())
                if got - {name}:
                    mixed = True
                got.add(name)
        for g in under:
            inherited.append(Stmt(g.toks[2:], g.line, g.end, g.heads, g.inactive, name))
        if mixed:
            ctx.unknown(st, "apply-groups %s adds policies, terms or NAT rules to a list the configuration also "
                            "fills: their order is not modelled" % name)
        else:
            ctx.use(st)
    taken = {g.line for g in inherited}
    for items in groups.values():
        for g in items:
            if g.line not in taken:  # (a variable group's statements: reported at its apply-groups line)
                ctx.ignore(g, "configuration group statement not inherited by any apply-groups")
    return plain + inherited

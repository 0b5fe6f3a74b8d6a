"""Configuration groups: ``groups G { ... }`` inherited where ``apply-groups G`` is written.

Juniper, "Configuration Groups" / "apply-groups" (Junos OS CLI User Guide): a group holds
statements written from the root of the hierarchy; ``apply-groups G`` at some level makes the
configuration below that level inherit G's statements under it (at the top level: all of them).
Statements written in the configuration itself take precedence over inherited ones, and
``<...>`` wildcards in a group match names of the configuration.

Expanded here when the result is exact: groups whose statements do not add members to an ordered list
(policies of one zone pair, terms of one filter, rules of one NAT rule set) that the configuration or
another group also fills, since the order of such mixed lists is not modelled.  A statement with
wildcards is inherited once per object of the configuration whose names match (``_inherit``): a
wildcard names existing objects, it creates none.  Anything else is reported (CFG300): with no impact
when the group only touches management hierarchies, else as able to change any verdict.

``apply-groups "${node}"``, the chassis cluster layout (Juniper, "Chassis Cluster User Guide for SRX
Series Devices", "Example: Configuring the Chassis Cluster Management Interface"; J-series/SRX "CLI
Configuration": ``set groups node0 system host-name ...``, ``set groups node0 interfaces fxp0 unit 0
family inet address ...``, the same for node1, then ``set apply-groups "${node}"``, "This
configuration is not replicated across the two nodes"): one configuration read by two nodes, each
inheriting the group named after itself.  Both readings are taken (``_node``): what groups node0
and node1 both say is inherited as from any group; what only one of them says is the node's own:
management settings (``system``, ``chassis``, ``snmp``...) are ignored, the addresses of the
management and control ports (fxp0, em0...) and static routes make the addresses they cover
unsettled (``Config.unsettled_routes``: packets from or to them are unknown, at the line), and
anything else is reported as able to change any verdict.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from auditor.core.model import Impact
from parsers.junos.common import INACTIVE, Ctx, prefix
from parsers.junos.tree import Stmt

# hierarchies a group may touch without changing what transit traffic meets, when the group is not expanded
# (routing-options and protocols are not among them: a static route, a discard route or a routing protocol's
# learned routes send packets elsewhere)
_MANAGEMENT = ("system", "chassis", "snmp", "event-options", "version", "class-of-service", "poe", "services")


def _harmless(t: tuple[str, ...]) -> bool:
    """Whether a group statement (``t`` from the root) touches only management hierarchies, or a zone's own
    ``host-inbound-traffic`` (what the zone's interfaces accept addressed to the device itself: Juniper,
    "Understanding How to Control Inbound Traffic Based on Traffic Types", no transit traffic)."""
    return bool(t) and (t[0] in _MANAGEMENT or (
        t[:3] == ("security", "zones", "security-zone") and len(t) > 4 and t[4] == "host-inbound-traffic"))


# what one node of a chassis cluster may say for itself without changing what transit traffic meets
# (module doc), with why; 'system management-instance' moves fxp0 into a table of its own (instances.py)
_NODE_OWN = {"system": "host name, logging, services of the node", "chassis": "chassis settings",
             "snmp": "SNMP (management)", "event-options": "event scripts", "version": "software version"}
# the ports of a cluster node that carry no transit traffic of the redundant interfaces: management (fxp0,
# em0), control link (fxp1, em1), fabric (fab0, fab1); their addresses are still routed (module doc)
_NODE_PORTS = ("fxp0", "em0", "fxp1", "em1", "fab0", "fab1")
_PORT_SETTINGS = ("description", "speed", "link-mode", "mtu", "fabric-options", "gigether-options",
                  "ether-options", "traps", "no-traps")


def _node(ctx: Ctx, items0: list[Stmt], items1: list[Stmt]) -> list[Stmt]:
    """The statements of ``groups node0`` and ``groups node1`` (those under the ``apply-groups`` level)
    that both nodes inherit; each node's own are accounted for here (module doc)."""
    keys = [{(g.toks[2:], g.inactive is None) for g in items} for items in (items0, items1)]
    both: list[Stmt] = []
    # the node's own addresses of a management or control port: (port, unit, family) -> [node0's, node1's]
    ports: dict[tuple[str, ...], tuple[list[Stmt], list[Stmt]]] = {}
    for k, items in enumerate((items0, items1)):
        for g in items:
            t = g.toks[2:]
            if (t, g.inactive is None) in keys[1 - k]:
                if k:
                    ctx.use(g)  # (the same statement as node0's, inherited from there)
                else:
                    both.append(g)
                continue
            why = "groups node%d only (chassis cluster node %d): " % (k, k)
            if g.inactive is not None:
                ctx.ignore(g, INACTIVE)
            elif t[0] in _NODE_OWN and t[:2] != ("system", "management-instance"):
                ctx.ignore(g, why + _NODE_OWN[t[0]])
            elif t[:1] == ("interfaces",) and len(t) > 2 and t[1] in _NODE_PORTS and (
                    t[2] in _PORT_SETTINGS or t[2:3] == ("unit",) and len(t) > 4 and t[4] in _PORT_SETTINGS):
                ctx.ignore(g, why + "port settings (no effect on filtering)")
            elif t[:1] == ("interfaces",) and len(t) >= 8 and t[1] in _NODE_PORTS and t[2] == "unit" and (
                    t[4:7] in (("family", "inet", "address"), ("family", "inet6", "address"))):
                ports.setdefault((t[1], t[3], t[5]), ([], []))[k].append(g)
            elif t[:3] == ("routing-options", "static", "route") and len(t) > 4:
                _unsettled(ctx, g, t[3], why + "static route, in force on that node only")
            else:
                ctx.unknown(g, why + "the nodes differ in a statement that may decide transit traffic")
    for (port, unit, _fam), pair in ports.items():
        try:
            nets = [[prefix(g.toks[9]) for g in items] for items in pair]
        except ValueError:
            nets = [[], [None]]
        if set(nets[0]) == set(nets[1]):  # one connected network, each node's address in it: the cluster's own
            both.extend(pair[0] + pair[1])
            continue
        for k, items in enumerate(pair):
            for g in items:
                _unsettled(ctx, g, g.toks[9], "groups node%d only (chassis cluster node %d): address of %s.%s, "
                                               "the node's own, on a network the other node does not have"
                           % (k, k, port, unit))
    return both


def _unsettled(ctx: Ctx, g: Stmt, text: str, why: str) -> None:
    try:
        nets = prefix(text)
    except ValueError:
        ctx.unknown(g, why + ": prefix not understood")
        return
    ctx.unsettled.append((nets, ctx.src(g), why + ": packets from or to %s depend on the node" % text))
    ctx.use(g)


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
    excepts: list[tuple[Stmt, tuple[str, ...], str]] = []
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
                excepts.append((st, t[:k], t[k + 1] if len(t) == k + 2 else ""))
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
    # apply-groups-except G at a level below every apply-groups of G: nothing of G is inherited there (Juniper,
    # "apply-groups-except": "Disable inheritance of a configuration group"; "Disabling Inheritance of a Junos OS
    # Configuration Group": "To disable inheritance of a configuration group at any level except the top level
    # of the hierarchy, include the apply-groups-except statement"); one at or above a level that applies G again,
    # or not understood, is reported
    blocked: dict[str, list[tuple[str, ...]]] = {}
    for st, path, name in excepts:
        if st.inactive is not None:
            ctx.ignore(st, "inactive apply-groups-except")
            continue
        levels = [p for _s, p, n in applies if n == name]
        if name and path and name in groups and all(len(p) < len(path) for p in levels):
            blocked.setdefault(name, []).append(path)
            if levels:
                ctx.use(st)
            else:
                ctx.ignore(st, "apply-groups-except of a group no apply-groups inherits")
            continue
        # (leaving out what a group of management statements only says changes nothing)
        ctx.unknown(st, "apply-groups-except: which inherited statements are left out is not modelled",
                    Impact.NONE if name in groups and all(_harmless(g.toks[2:]) for g in groups[name])
                    else Impact.GLOBAL)
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
    pending: list[tuple[Stmt, tuple[str, ...], str, list[Stmt]]] = []  # apply-groups of groups with wildcards
    for st, path, name in applies:
        items = groups.get(name)
        if name == "${node}" and ("node0" in groups or "node1" in groups):
            items = _node(ctx, *([g for g in groups.get(n, ()) if _under(g.toks[2:2 + len(path)], path)]
                                 for n in ("node0", "node1")))
        if items is None:
            if name.startswith("${") or name.startswith("$"):
                ctx.unknown(st, "apply-groups %s: a variable group (chassis cluster node), not expanded" % name,
                            Impact.NONE if all(_harmless(g.toks[2:]) for items in groups.values() for g in items)
                            else Impact.GLOBAL)
            else:
                ctx.undefined(st, name, "configuration group", "", Impact.GLOBAL)
            continue
        under = [g for g in items if _under(g.toks[2:2 + len(path)], path)]
        # (a statement with wildcards below the apply-groups level: inherited by the configuration's own objects
        # whose names match, made once the configuration's statements are known)
        wild = [g for g in under if any(_wild(w) for w in g.toks[2 + len(path):])]
        if wild:
            pending.append((st, path, name, under))
            continue
        mixed = _inherit(under, name, path, owners, inherited, blocked.get(name, ()))
        if mixed:
            ctx.unknown(st, "apply-groups %s adds policies, terms or NAT rules to a list the configuration also "
                            "fills: their order is not modelled" % name)
        else:
            ctx.use(st)
    if pending:
        # the objects the configuration names (its own statements and those inherited without wildcards): by
        # their first word, for the wildcards to match
        known: dict[str, list[tuple[str, ...]]] = {}
        for x in plain + inherited:
            known.setdefault(x.toks[0], []).append(x.toks)
        for st, path, name, under in pending:
            if _inherit(under, name, path, owners, inherited, blocked.get(name, ()), known):
                ctx.unknown(st, "apply-groups %s adds policies, terms or NAT rules to a list the configuration "
                                "also fills: their order is not modelled" % name)
            else:
                ctx.use(st)
    taken = {g.line for g in inherited}
    for items in groups.values():
        for g in items:
            if g.line not in taken:  # (a variable group's statements: reported at its apply-groups line)
                ctx.ignore(g, "configuration group statement not inherited by any apply-groups (or its wildcards "
                              "match no object of the configuration)")
    return plain + inherited


def _wild(w: str) -> bool:
    """Whether a group's word is a wildcard name (``<*>``, ``<ge-*>``)."""
    return len(w) > 2 and w[0] == "<" and w[-1] == ">"


def _inherit(under: list[Stmt], name: str, path: tuple[str, ...], owners: dict[tuple[str, ...], set[str]],
             inherited: list[Stmt], blocked: list[tuple[str, ...]] | tuple = (),
             known: dict[str, list[tuple[str, ...]]] | None = None) -> bool:
    """Add group ``name``'s statements ``under`` the apply-groups level ``path`` to ``inherited``; whether one
    adds a member to an ordered list another source fills too (``_container``).  With ``known`` (the
    configuration's statements by first word), a statement with wildcards is inherited once per object of the
    configuration whose names match them (Juniper, "Understanding the Junos Configuration Groups": "You can also
    use wildcards in configuration groups. All objects that match the wildcard expression inherit the group
    configuration data"; "Using Wildcards with Configuration Groups": ``<*>``, ``<ge-*>``); one that matches
    none adds nothing.  (The words of ``path`` are the level's own names: a wildcard there matched them.)  A
    statement under a level of ``blocked`` (an ``apply-groups-except`` of the group) is not inherited."""
    mixed = False
    made: list[tuple[Stmt, tuple[str, ...]]] = []
    for g in under:
        t = path + g.toks[2 + len(path):]
        wild = [k for k in range(len(path), len(t)) if _wild(t[k])]
        if not wild or known is None:
            made.append((g, t))
            continue
        last = wild[-1]
        if t[last - 1] == "from-zone" and last + 2 < len(t) and t[last + 1] == "to-zone":
            # (a zone pair's policies are one object named by both zones: 'from-zone <*> to-zone untrust' names
            # the configured pairs whose to-zone is untrust, it makes no pair of its own)
            last += 2
        heads: dict[tuple[str, ...], None] = {}
        for toks in known.get(t[0], ()):
            if len(toks) > last and toks[:last + 1] not in heads and all(
                    a == b or (_wild(a) and fnmatchcase(b, a[1:-1])) for a, b in zip(t[:last + 1], toks)):
                heads[toks[:last + 1]] = None
        made.extend((g, h + t[last + 1:]) for h in heads)
    if blocked:
        made = [(g, t) for g, t in made if not any(t[:len(b)] == b for b in blocked)]
    for _g, t in made:
        c = _container(t)
        if c is not None:
            got = owners.setdefault(c, set())
            if got - {name}:
                mixed = True
            got.add(name)
    for g, t in made:
        inherited.append(Stmt(t, g.line, g.end, g.heads, g.inactive, name))
    return mixed

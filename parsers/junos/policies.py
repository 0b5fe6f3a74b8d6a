"""Security policies: zone-pair policies, then global policies, then the default policy.

Juniper, "Security Policies Overview" / "Global Policies" (Junos OS Security Policies User
Guide): for a new session from zone A to zone B the device looks up the ``from-zone A to-zone
B`` policies in order (first match), then the global policies in order (a global policy may
narrow itself with ``match from-zone``/``to-zone``), then applies the default policy
(``security policies default-policy``; ``deny-all`` unless set to ``permit-all``).  That holds
for traffic within one zone too (A to A): Junos has no implicit intra-zone permit, which is why
the factory configuration carries a ``from-zone trust to-zone trust`` permit policy.

A policy matches ``source-address`` (any of them; ``source-address-excluded`` negates the
list), ``destination-address`` likewise, and ``application`` (any of them); ``then permit``,
``deny`` or ``reject`` decide.  Each zone pair's policies become one filter (``A->B``); the
global policies one filter (``global``), or one per zone pair (``global A->B``) when some of
them match zones.  An inactive policy (``deactivate``/``inactive:``) is a disabled rule.

What a policy adds that cannot be turned into packets (``scheduler-name``, ``dynamic-application``,
identities, URL categories, an application service that may drop traffic, such as IDP, UTM or an
application firewall, or authentication on the permit) makes its packets ``maybe``: the engine
answers ``unknown`` for them.  AppQoS (``application-services application-traffic-control``) does
not refuse traffic and is ignored.

Idle timeouts (``parsers.junos.data``: [TIMEOUT]): a permitted session's timeout is its
application's; one ``Timeout`` record per rule and application term whose timeout is not the
protocol default, then the protocol defaults.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from auditor.core.model import ALL, Action, Impact, Rule, Source, Timeout, new_rule
from auditor.core.packets import ALL_ADDR, EMPTY, NOTHING, Cube, ISet, PacketSet, cube
from parsers.junos import data
from parsers.junos.common import INACTIVE, Ctx
from parsers.junos.objects import NEVER, UNREAD, AddressBooks, Applications
from parsers.junos.tree import Stmt
from parsers.kit.lines import USED

_MATCH_MAYBE = ("source-identity", "url-category", "source-end-user-profile", "dynamic-application",
                "source-identity-feed", "destination-identity-feed")
_ACTIONS = ("permit", "deny", "reject")
_NEW = object.__new__
_PERMIT_OK = ("tunnel", "tcp-options", "services-offload")
# 'then permit application-services S ...' (Juniper, "Example: Enabling IDP in a Security Policy": "then permit
# application-services idp"): the services that cannot refuse traffic the policy permits.  AppQoS
# ('application-traffic-control rule-set R') marks, queues and rate-limits; its rules have no drop or deny
# action (Juniper, "rule-sets (CoS AppQoS)": then dscp-code-point, forwarding-class, log, loss-priority,
# rate-limit).  Every other service (IDP, UTM, the application firewall, security intelligence, SSL proxy,
# anti-malware, GTP, UAC, redirection) may drop some of the traffic: the policy's decision is unknown.
_SERVICES_OK = ("application-traffic-control",)


@dataclass
class Policy:
    """One policy as written: its context, its statements, in order of first appearance."""

    context: tuple[str, str] | None  # (from, to) or None for a global policy
    name: str
    first: Stmt
    stmts: list[Stmt] = field(default_factory=list)
    depth: int = 0  # words up to and including the policy name
    inactive: int = 0  # how many of its statements are inactive
    descriptions: list[Stmt] = field(default_factory=list)  # its active descriptions (remarks)


def pair(a: str, b: str) -> str:
    """The name of the filter of zone pair ``a`` -> ``b``."""
    return "%s->%s" % (a, b)


class Policies:
    """The policies, read in order; ``build()`` makes the pair filters."""

    def __init__(self, ctx: Ctx, books: AddressBooks, apps: Applications):
        self.ctx, self.books, self.apps = ctx, books, apps
        self.policies: dict[tuple, Policy] = {}
        self.default: tuple[Action, Stmt] | None = None
        self.remarks: list[tuple[str, Source]] = []
        self.timeouts: list[Timeout] = []
        self._single: dict[str, tuple] = {}  # application -> (packets, maybe, timeout specs, TCP default names, group)
        self._table: tuple | None = None  # the port-based timeout table and its index (``_port_table``)
        self._table_cache: dict = {}  # the protocols and ports of a policy -> its table records (``_table_records``)
        self._reported: set = set()
        self._zones: set[str] = set()  # the zones defined (``build``; none: not checked)
        self.vpns: set[str] = set()  # the IPsec VPNs defined (``security ipsec vpn NAME``: the reader fills it)
        self._state = ctx.lines.state
        self._release: tuple[int, int] | None | bool = False  # (``release``: not yet read)

    def add(self, st: Stmt) -> None:
        t = st.toks
        if len(t) >= 8 and t[2] == "from-zone" and t[4] == "to-zone" and t[6] == "policy":
            key = (t[3], t[5], t[7])
            p = self.policies.get(key)
            if p is not None:  # (the usual statement: a policy's next one)
                p.stmts.append(st)
                if st.inactive is not None:
                    p.inactive += 1
                return
            ctx, depth = (t[3], t[5]), 8
        elif len(t) >= 5 and t[2] == "global" and t[3] == "policy":
            key, ctx, depth = ("", "", t[4]), None, 5
        elif len(t) >= 4 and t[2] == "default-policy":
            if st.inactive is not None:
                self.ctx.ignore(st, INACTIVE)
            elif t[3] in ("deny-all", "permit-all"):
                self.default = (Action.PERMIT if t[3] == "permit-all" else Action.DENY, st)
                self.ctx.use(st)
            else:
                self.ctx.unknown(st, "default-policy not understood")
            return
        elif len(t) >= 3 and t[2] in ("policy-rematch", "pre-id-default-policy", "traceoptions", "policy-stats",
                                      "stateful-firewall-rule-set"):
            self.ctx.ignore(st, "policy setting %s (does not decide transit traffic here)" % t[2])
            return
        elif len(t) == 6 and t[2] == "from-zone" and t[4] == "to-zone":
            self.ctx.ignore(st, "empty zone-pair context")
            return
        else:
            self.ctx.unknown(st, "security policies statement not understood")
            return
        p = self.policies.get(key)
        if p is None:
            p = self.policies[key] = Policy(ctx, key[2], st, depth=depth)
        p.stmts.append(st)
        if st.inactive is not None:
            p.inactive += 1

    # --- building ----------------------------------------------------------------------------
    def build(self, zones: list[str], filters: dict[str, list[Rule]]) -> dict[str, tuple[str, ...]]:
        """Fill ``filters`` with the policy filters; return each zone pair's filter names, in lookup order."""
        # ("junos-host": the predefined zone of the device itself; with no zone defined at all, the input is a
        # policy compiler's fragment, whose zones are the device's, not its own: not checked)
        self._zones = set(zones) | {"junos-host"} if zones else set()
        zone_rules: dict[str, list[tuple[Rule, Policy, list]]] = {}
        global_rules: list[tuple[Policy, tuple, list, tuple[set[str] | None, set[str] | None]]] = []
        zoned_global = False
        pairs: dict[tuple[str, str], str] = {}  # zone pair -> its filter's name (made once per pair)
        for p in self.policies.values():
            if p.context is None:
                name = "global"
            else:
                name = pairs.get(p.context)
                if name is None:
                    name = pairs[p.context] = pair(*p.context)
            built = self._rule(p, name)
            if built is None:
                continue
            args, terms, zmatch = built
            if p.context is None:
                global_rules.append((p, args, terms, zmatch))
                zoned_global = zoned_global or zmatch != (None, None)
            else:
                zone_rules.setdefault(name, []).append((p, args, terms))
        for name, items in zone_rules.items():
            filters[name] = [self._place(name, k, p, args, terms) for k, (p, args, terms) in enumerate(items)]
        lookup: dict[str, tuple[str, ...]] = {}
        every = sorted(set(zones) | {z for context in pairs for z in context})
        for a in every:
            for b in every:
                names = (pair(a, b),) if pair(a, b) in filters else ()
                if global_rules:
                    if zoned_global:
                        g = "global " + pair(a, b)
                        chosen = [x for x in global_rules if _zone_ok(x[3], a, b)]
                        if chosen:
                            filters[g] = [self._place(g, k, p, args, terms) for k, (p, args, terms, _z)
                                          in enumerate(chosen)]
                            names += (g,)
                    else:
                        names += ("global",)
                lookup[pair(a, b)] = names
        if global_rules and not zoned_global:
            filters["global"] = [self._place("global", k, p, args, terms)
                                 for k, (p, args, terms, _z) in enumerate(global_rules)]
        return lookup

    def _place(self, fname: str, index: int, p: Policy, args: tuple, terms: list) -> Rule:
        action, match, s, enabled, maybe, opaque, refs, note, sure_action = args
        # the hierarchical form's 'policy P {' line does not say which zones: the label does
        label = "" if "policy" in s.text and ("from-zone" in s.text or "global" in s.text) else (
            "from-zone %s to-zone %s policy %s" % (p.context + (p.name,)) if p.context else "global policy %s" % p.name)
        rule = new_rule(fname, index, action, match, s, enabled, maybe, opaque, refs, note, label=label,
                        sure_action=sure_action)
        for st in p.descriptions:
            self.remarks.append((fname, self.ctx.src(st)))
        if self.ctx.doc.comments:
            for line in _comments(self.ctx, p):
                self.remarks.append((fname, self.ctx.source(line)))
        if action is Action.PERMIT and enabled and match.cubes:
            key = (fname, index)
            for got, secs, tsrc, label in terms:
                if type(secs) is _Table:
                    self._table_timeouts(secs, tsrc, label, key)
                elif secs == _RELEASE or secs == UNREAD:  # (the release decides; a timeout line not read)
                    self.timeouts.append(_timeout(got, None, tsrc, label, key, unknown=True))
                else:
                    self.timeouts.append(_timeout(got, None if secs == NEVER else secs, tsrc, label, key))
        return rule

    def _zone_defined(self, zone: str, st: Stmt) -> None:
        """Report (CFG301) a policy's zone that no ``security zones security-zone`` defines.  A policy lives in a
        context of defined zones (Juniper, "Understanding Security Policy Elements", Junos Security 10.2: "To
        define a policy, you need: An incoming zone (the from-zone), An outgoing zone (the to-zone)"; zones are
        defined at [edit security zones]); the commit check refuses a reference to a zone that is not there, as
        it does an undefined NAT zone (``NatReader._context``), so the configuration as given is not one the
        device runs: any verdict (``Impact.GLOBAL``).  ``junos-host``, the device's own zone, is predefined."""
        if self._zones and zone not in self._zones:
            self.ctx.lines.undefined(zone, "security zone", self.ctx.src(st), "", Impact.GLOBAL)

    def _rule(self, p: Policy, scope: str):
        """(Rule args after filter and index, timeout terms, zone match of a global policy) of one policy;
        ``scope``: its filter's name (``pair``, or "global")."""
        ctx = self.ctx
        line = ctx.anchor(p.first, p.depth)
        s = ctx.source(line)
        enabled = p.inactive < len(p.stmts)
        if p.context is not None:
            for z in dict.fromkeys(p.context):
                self._zone_defined(z, p.first)
        src_names: list[Stmt] = []
        dst_names: list[Stmt] = []
        app_names: list[Stmt] = []
        neg = {"source": False, "destination": False}
        zones: dict[str, set[str] | None] = {"from-zone": None, "to-zone": None}
        action: Action | None = None
        unsure: list[str] = []
        doubt = False  # whether what the policy does when it matches is uncertain
        d = p.depth
        state = ctx.lines.state
        for st in p.stmts:
            t = st.toks
            # the usual shapes first (most statements of a large rulebase): one value, active
            if st.inactive is None and len(t) == d + 3 and t[d] == "match":
                k = t[d + 1]
                if k == "source-address":
                    src_names.append(st)
                    continue
                if k == "destination-address":
                    dst_names.append(st)
                    continue
                if k == "application":
                    app_names.append(st)
                    continue
            elif st.inactive is None and len(t) == d + 2 and t[d] == "then" and t[d + 1] in _ACTIONS:
                action = Action.PERMIT if t[d + 1] == "permit" else Action.DENY
                if not state[st.line]:
                    state[st.line] = 1
                continue
            if st.inactive is not None and enabled:
                ctx.ignore(st, INACTIVE)
                continue
            r = st.toks[p.depth:]
            if not r:
                ctx.use(st)
                continue
            if r[0] == "match" and len(r) >= 2:
                key, val = r[1], r[2] if len(r) > 2 else ""
                if not val and not key.endswith("-excluded"):
                    ctx.unknown(st, "policy match '%s' without a value" % key, Impact.FILTER, scope)
                    unsure.append(key)
                    continue
                if key in ("source-address", "destination-address"):
                    (src_names if key[0] == "s" else dst_names).append(st)
                elif key == "application":
                    app_names.append(st)
                elif key in ("source-address-excluded", "destination-address-excluded"):
                    neg[key.split("-")[0]] = True
                    ctx.use(st)
                elif key in ("from-zone", "to-zone") and p.context is None:
                    if val != "any":
                        self._zone_defined(val, st)
                        z = zones[key] if zones[key] is not None else set()
                        z.add(val)
                        zones[key] = z
                    ctx.use(st)
                elif key in _MATCH_MAYBE:
                    if key == "dynamic-application" and val in ("any", "none"):
                        ctx.use(st)
                        continue
                    ctx.unknown(st, "policy %s: match %s is decided by the device at run time (by user, "
                                    "application signature or feed)" % (p.name, key), Impact.FILTER, scope)
                    unsure.append(key)
                else:
                    ctx.unknown(st, "policy match '%s' not understood" % key, Impact.FILTER, scope)
                    unsure.append(key)
            elif r[0] == "then" and len(r) >= 2:
                act = r[1]
                if act in ("permit", "deny", "reject"):
                    action = Action.PERMIT if act == "permit" else Action.DENY
                    if act == "permit" and len(r) > 2:
                        what = r[3] if r[2] == "application-services" and len(r) > 3 else r[2]
                        if r[2] in _PERMIT_OK:
                            ctx.use(st)
                            if r[2:4] == ("tunnel", "ipsec-vpn") and len(r) > 4 and self._zones \
                                    and r[4] not in self.vpns:
                                # (Juniper, "Policy-Based IPsec VPNs": "The policy statement refers to the VPN by
                                # name"; the commit check refuses a reference to a VPN [edit security ipsec] does
                                # not define, as it does an undefined zone: ``_zone_defined``)
                                ctx.lines.undefined(r[4], "IPsec VPN", ctx.src(st), scope, Impact.GLOBAL)
                        elif r[2] == "application-services" and what in _SERVICES_OK:
                            ctx.ignore(st, "application service %s (quality of service): it does not refuse "
                                           "traffic the policy permits" % what)
                        else:
                            ctx.unknown(st, "policy %s: 'permit %s' may refuse some of the traffic it matches "
                                            "(decided at run time)" % (p.name, what), Impact.FILTER, scope)
                            unsure.append(what)
                            doubt = True
                    else:
                        ctx.use(st)
                elif act in ("log", "count"):
                    ctx.ignore(st, "logging/counting")
                else:
                    ctx.unknown(st, "policy action '%s' not understood" % act, Impact.FILTER, scope)
                    unsure.append(act)
                    doubt = True
            elif r[0] == "description":
                ctx.ignore(st, "description")
                if st.inactive is None:
                    p.descriptions.append(st)
            elif r[0] == "scheduler-name":
                ctx.unknown(st, "policy %s is active only during schedule %s (not modelled)" % (p.name, r[1]
                            if len(r) > 1 else "?"), Impact.FILTER, scope)
                unsure.append("scheduler")
            elif r[0] in ("policy-rematch",):
                ctx.ignore(st, "policy setting")
            else:
                ctx.unknown(st, "policy statement '%s' not understood" % r[0], Impact.FILTER, scope)
                unsure.append(r[0])
                doubt = True
        if action is None:
            ctx.lines.unrecognized(s, "policy %s has no 'then permit|deny|reject' (Junos refuses to commit "
                                      "it)" % p.name, Impact.FILTER, scope)
            action = Action.DENY
            unsure.append("action")
            doubt = True
        fz = p.context[0] if p.context else None
        tz = p.context[1] if p.context else None
        got = None
        if len(src_names) == 1 and len(dst_names) == 1 and not neg["source"] and not neg["destination"]:
            got = self._pair(src_names[0], dst_names[0], fz, tz, d, scope)
        if got is not None:  # the usual policy: one source and one destination address, both defined
            sa, sm, da, dm, refs = got
        else:
            sa, sm, refs = self._addresses(src_names, fz, scope, p, "source", neg["source"])
            da, dm, drefs = self._addresses(dst_names, tz, scope, p, "destination", neg["destination"])
            refs += drefs
        pkts, pmaybe, specs, tcp, table = self._applications(app_names, scope, p)
        both = sa.iv and da.iv  # (the sets' intervals tested directly: the same truth as ISet.__bool__)
        match = PacketSet.of_cubes([Cube(sa, da, *c.dims[2:]) for c in pkts.cubes] if both else ())
        maybe = NOTHING
        if sm.iv or dm.iv or pmaybe.cubes:
            wide_s, wide_d = sa.union(sm), da.union(dm)
            maybe = PacketSet([cube(wide_s, wide_d, c.dims[2], c.dims[3], c.dims[4])
                               for c in pkts.union(pmaybe).cubes])
        if unsure:
            maybe = maybe.union(match)
            match = NOTHING
        elif maybe.cubes:
            maybe = maybe.subtract(match)
        note = "policy " + p.name
        if pmaybe.cubes:  # (say why: a predefined application whose packets are partly decided at run time)
            run_time = [n for n in dict.fromkeys(st.toks[d + 2] for st in app_names) if n in data.UNCERTAIN]
            if run_time:
                note += ", whose predefined application %s matches packets the device picks at run time (by its " \
                        "ALG, or the ports an RPC service hands out)" % ", ".join(run_time)
        tlist = []
        # each term's packets the policy matches (its match, by construction); only a permitting policy in force
        # has timeouts (``_place``)
        if not unsure and both and action is Action.PERMIT and enabled:
            # (the applications' timeout specs (``_parts``); a group's port-based table, over all its packets, the
            # match (``_Table``: the records are made when the policy is placed); the TCP default's record for the
            # policy's TCP sessions that no application timeout covers, after the others)
            for term_ps, secs, tsrc, label in specs:
                got = match if term_ps is pkts else PacketSet.of_cubes([Cube(sa, da, *c.dims[2:])
                                                                        for c in term_ps.cubes])
                if got.cubes:
                    tlist.append((got, secs, tsrc or s, label + p.name + ")"))
            if table is not None and match.cubes:
                tlist.append((match, table, s, p.name))
            if tcp is not None:
                head, part, other = tcp
                got = match if part is None else PacketSet.of_cubes([Cube(sa, da, *d) for d in part])
                if got.cubes and other is not None:  # (release-dependent: ``_table_other``)
                    mine = got.intersect(PacketSet([cube(proto=_TCP, dport=other[0])]))
                    if mine.cubes:
                        tlist.append((mine, _RELEASE, s, other[1] + p.name + ")"))
                if got.cubes:
                    tlist.append((got, _TCP_DEFAULT, s, head + p.name + ")"))
        # (what it does when it matches is certain unless an action or a statement was not understood:
        # ``Rule.sure_action``; addresses, applications, schedules and identities only make the match uncertain)
        args = (action, match, s, enabled, maybe, False, refs if type(refs) is tuple else tuple(refs), note, not doubt)
        zm = (zones["from-zone"], zones["to-zone"])
        return args, tlist, zm

    def _pair(self, src: Stmt, dst: Stmt, fz: str | None, tz: str | None, d: int, scope: str):
        """(source, maybe source, destination, maybe destination, refs) of a policy with one source and one
        destination address, or None (nothing reported) when one is undefined: ``_addresses`` then reports it."""
        books, state = self.books, self._state
        a = books.resolve(src.toks[d + 2], fz, src, scope)
        if a is None:
            return None
        b = books.resolve(dst.toks[d + 2], tz, dst, scope)
        if b is None:
            return None
        for st in (src, dst):
            if st.end == st.line + 1 and not state[st.line]:
                state[st.line] = USED
            else:
                self.ctx.use(st)
        return a.addrs, a.maybe, b.addrs, b.maybe, a.refs + b.refs

    def _addresses(self, names: list[Stmt], zone: str | None, scope: str, p: Policy, side: str,
                   negate: bool) -> tuple[ISet, ISet, list]:
        if not names:
            self.ctx.lines.unrecognized(self.ctx.source(self.ctx.anchor(p.first, p.depth)),
                                        "policy %s has no %s-address (Junos refuses to commit it)" % (p.name, side),
                                        Impact.FILTER, scope)
            return EMPTY, ALL_ADDR, []
        sure_iv: list = []
        maybe_iv: list = []
        refs: list = []
        if len(names) == 1 and not negate:  # the usual policy: one address
            st = names[0]
            got = self.books.resolve(st.toks[p.depth + 2], zone, st, scope)
            if got is not None:
                if st.end == st.line + 1 and not self._state[st.line]:
                    self._state[st.line] = USED
                else:
                    self.ctx.use(st)
                return got.addrs, got.maybe, list(got.refs)
        for st in names:
            name = st.toks[p.depth + 2]
            got = self.books.resolve(name, zone, st, scope)
            if got is None:
                self.ctx.undefined(st, name, "address", scope)
                maybe_iv.extend(ALL_ADDR.iv)
                continue
            self.ctx.use(st)
            sure_iv.extend(got.addrs.iv)
            maybe_iv.extend(got.maybe.iv)
            refs.extend(got.refs)
        sure, maybe = ISet(sure_iv), ISet(maybe_iv) if maybe_iv else EMPTY
        if negate:
            # NOT (sure or maybe) is sure; what 'maybe' might remove is uncertain
            return ALL_ADDR.subtract(sure.union(maybe)), maybe.subtract(sure), refs
        return sure, maybe.subtract(sure), refs

    def _applications(self, names: list[Stmt], scope: str, p: Policy):
        """(packets surely matched, packets maybe matched, timeout specs, the TCP default's term or None, the
        port-based table's lookup or None) of the policy's applications, from which ``_rule`` makes the policy's
        timeout terms.  The TCP default's term is its label up to the policy's name and the protocol and ports
        of the TCP part of the packets (``_tcp_part``; None: the packets are all TCP)."""
        if not names:
            self.ctx.lines.unrecognized(self.ctx.source(self.ctx.anchor(p.first, p.depth)),
                                        "policy %s has no application (Junos refuses to commit it)" % p.name,
                                        Impact.FILTER, scope)
            return PacketSet(), ALL, [], None, None
        if len(names) == 1:  # the usual policy: one application, its packets made once per application
            st = names[0]
            name = st.toks[p.depth + 2]
            got = self._single.get(name)
            if got is not None:
                self.ctx.use(st)
                return got
        sure: list = []
        maybe: list = []
        specs: list = []
        tcp_default: list[str] = []
        for st in names:
            name = st.toks[p.depth + 2]
            if name == "any":
                sure.append(cube())
                self.ctx.use(st)
                tcp_default.append("any")  # its TCP sessions get the protocol default
                continue
            parts = self._parts(name, st, scope)
            if parts is None:
                if name.startswith("junos-"):
                    self.ctx.unknown(st, "predefined application %s is not known to the auditor" % name,
                                     Impact.FILTER, scope)
                else:
                    self.ctx.undefined(st, name, "application", scope)
                maybe.append(cube())
                continue
            self.ctx.use(st)
            a_sure, a_maybe, a_specs, a_tcp = parts
            sure.extend(a_sure)
            maybe.extend(a_maybe)
            specs.extend(a_specs)
            if a_tcp and name not in tcp_default:
                tcp_default.append(name)
        ps, pmaybe = _merged(sure), PacketSet(maybe) if maybe else NOTHING
        first = names[0].toks[p.depth + 2]
        # an application group (a set, several applications: a hidden group) or 'any' takes its sessions'
        # timeouts from the port-based table, not from its members (module doc)
        group = len(names) > 1 or first == "any" or first in self.apps.sets or first in data.PREDEFINED_SETS
        # a single application without a timeout of its own: the port-based table's on Junos 12.2 and later, the
        # TCP default on 10.x, either on a release the configuration does not give (``_table_other``)
        release = self.release()
        table_too = group or bool(tcp_default and release is not None and release >= (12, 2))
        if group:
            specs = []
            tcp_default = [first] if len(names) == 1 else ["applications %s" % ", ".join(
                st.toks[p.depth + 2] for st in names[:3])]
        # (what a timeout term of the policy takes from its applications, made here once: the TCP default's label
        # up to the policy's name; a group's ports in the port-based table)
        tcp = None
        if tcp_default:
            part = _tcp_part(ps).cubes
            tcp = ("%s: no inactivity-timeout%s, TCP default %d s (policy " % (
                ", ".join(tcp_default), " in the port-based table" if table_too else "", _TCP_DEFAULT),
                None if len(part) == len(ps.cubes) and all(a is b for a, b in zip(part, ps.cubes))
                else tuple(c.dims[2:] for c in part),
                None if table_too or (release is not None and release < (11, 0)) else
                self._table_other(ISet.union_of([c.dims[4] for c in part]), "%s: no inactivity-timeout of its own"
                                  % ", ".join(tcp_default)))
        out = ps, pmaybe, specs, tcp, _Table(_ports_of(ps)) if table_too and ps.cubes else None
        if len(names) == 1 and (first == "any" or parts is not None):
            self._single[first] = out
        return out

    def _parts(self, name: str, st: Stmt, scope: str):
        """(sure cubes, maybe cubes, timeout term specs, whether some TCP term has no timeout) of one
        application or set, or None when it is undefined.  A spec is (packets, seconds, source or None for
        the policy's line, the label up to the policy's name)."""
        app = self.apps.resolve(name, st, scope)
        if app is None:
            return None
        sure: list = []
        maybe: list = []
        specs = []
        tcp = False
        for t in app.terms:
            sure.extend(t.packets.cubes)
            maybe.extend(t.maybe.cubes)
            if t.protocol is None or not t.packets:
                continue
            secs = t.timeout
            if t.timeout_line is not None:  # the application's own inactivity-timeout
                specs.append((t.packets, secs, self.ctx.src(t.timeout_line),
                              "application %s inactivity-timeout %s (policy " % (
                                  name if not t.predefined else t.predefined,
                                  {NEVER: "never", UNREAD: "not understood"}.get(secs, secs))))
            elif secs is not None:  # a predefined application's own default (the policy is the line)
                specs.append((t.packets, secs, None, "predefined application %s default inactivity timeout %d s "
                                                     "(policy " % (t.predefined, secs)))
            elif t.protocol == 6:  # no timeout set: the protocol default (the default records), TCP ones per policy
                tcp = True
        return sure, maybe, specs, tcp

    def release(self) -> tuple[int, int] | None:
        """The Junos release the configuration was committed on (its ``version`` statement: ``21.4R3-S5``,
        ``12.3X48-D105.4``), as (major, minor); None when it does not say."""
        if self._release is False:
            got = None
            for st in self.ctx.doc.stmts:
                t = st.toks
                if len(t) == 2 and t[0] == "version" and st.inactive is None:
                    m = _RELEASE_WORD.match(t[1].strip('"'))
                    got = (int(m.group(1)), int(m.group(2))) if m else None
                    break
            self._release = got
        return self._release  # type: ignore[return-value]

    def _table_other(self, ports: ISet, what: str) -> tuple[ISet, str] | None:
        """The TCP destination ports of a single application without a timeout of its own on which the port-based
        table holds another application's timeout than the TCP default, and the label of their timeout record up
        to the policy's name; None when there are none.  Which one such a session gets depends on the release:
        "For single application entries ... 1. The specified timeout in the application entry database, if set.
        2. The default timeout ... 3. The protocol-based default timeout table" (Junos Security 10.2, [TIMEOUT]),
        while Junos 12.2 ("Understanding Policy Application Timeout Configuration and Lookup") has "If the
        application that is matched for the traffic has a timeout value, that timeout value is used. Otherwise
        ... The root TCP and UDP port-based timeout table is searched for a timeout value": the configuration does
        not say which, so the record is unknown (``Timeout.unknown``) where the two differ.  ``what``: the label's
        head (whose sessions these are)."""
        if not ports:
            return None
        table, index = self._port_table()
        los, his, where = index[6]
        out: list = []
        apps: list[str] = []
        for lo, hi in ports.iv:
            for k in range(bisect_left(his, lo), bisect_right(los, hi)):
                covering = table[where[k]][3]
                if any(e[2] != _TCP_DEFAULT for e in covering):
                    out.append((max(lo, los[k]), min(hi, his[k])))
                    apps.extend(e[4] for e in covering if e[4] not in apps)
        if not out:
            return None
        return ISet(out), ("%s; the port-based table holds application %s's timeout on these ports, which Junos "
                           "12.2 and later apply, Junos 10.2 the TCP default %d s: the release decides (policy "
                           % (what, ", ".join(apps[:3]), _TCP_DEFAULT))

    def _port_table(self) -> tuple[list, dict]:
        """The TCP and UDP port-based timeout table: for each protocol and block of destination ports, the
        custom application terms whose own ``inactivity-timeout`` covers it (seconds, timeout statement,
        application), every application of the configuration counted, used or not; and per protocol its
        blocks' low and high ports and places in the table (for bisection)."""
        if self._table is not None:
            return self._table
        entries = []
        for name in list(self.apps.apps):
            app = self.apps.resolve(name, None, name)
            for t in app.terms if app is not None else ():
                if t.protocol in (6, 17) and t.timeout_line is not None and t.packets.cubes:
                    entries.append((t.protocol, ISet.union_of([c.dims[4] for c in t.packets.cubes]), t.timeout,
                                    t.timeout_line, name))
        table = []
        for proto in (6, 17):
            mine = [e for e in entries if e[0] == proto]
            # (a sweep over the blocks' bounds: which entries start and end at each; the active ones, in order)
            starts: dict[int, list[int]] = {}
            ends: dict[int, list[int]] = {}
            for k, e in enumerate(mine):
                for lo, hi in e[1].iv:
                    starts.setdefault(lo, []).append(k)
                    ends.setdefault(hi + 1, []).append(k)
            bounds = sorted(set(starts) | set(ends))
            active: set[int] = set()
            prev = None
            for a, b in zip(bounds, bounds[1:]):
                active.difference_update(ends.get(a, ()))
                active.update(starts.get(a, ()))
                covering = tuple(mine[k] for k in sorted(active))
                if not covering:
                    prev = None
                    continue
                if prev is not None and prev[3] == covering and prev[2] == a - 1:
                    table[-1] = prev = (proto, prev[1], b - 1, covering)
                else:
                    table.append((proto, a, b - 1, covering))
                    prev = table[-1]
        index = {proto: ([t[1] for t in table if t[0] == proto], [t[2] for t in table if t[0] == proto],
                         [i for i, t in enumerate(table) if t[0] == proto]) for proto in (6, 17)}
        self._table = (table, index)
        return self._table

    def _table_timeouts(self, table: _Table, psrc: Source, pname: str, key: tuple[str, int]) -> None:
        """A group policy's records from the port-based table (``_port_table``): one per timeout value, over
        the protocols and ports of the policy's packets (the record is the policy's: ``Timeout.rule`` limits it
        to what the policy permits, so the addresses need not be in it).  Where applications of different
        timeouts overlap, which one the device keeps depends on the order they were created (10.2's
        contingencies; later documents give each port its own application's), which the configuration does not
        say: the longest is recorded (a shorter one may be in force) and the later one's timeout line is
        reported, so that the idle-timeout check cannot pass on it.  Policies of the same ports share the
        records' packets (a rulebase of thousands of application-set policies over a table of thousands of
        blocks; a group's are looked up once)."""
        got = table.records
        if got is None:
            got = self._table_cache.get(table.proj)
            if got is None:
                got = self._table_cache[table.proj] = self._table_records(table.proj, pname)
            table.records = got
        for secs, src, head, tail, ps in got:
            self.timeouts.append(_timeout(ps, None if secs == UNREAD else secs, src, head + pname + tail, key,
                                          unknown=secs == UNREAD))

    def _table_records(self, proj: tuple, pname: str) -> list:
        """(seconds or None for never, the timeout line's source, the label before and after the policy's name,
        packets) of the table's blocks that the protocols and ports ``proj`` (``_ports_of``) reach, one per
        timeout value, in the table's order."""
        table, index = self._port_table()
        hit: dict[int, list] = {}  # table block -> the port ranges of ``proj`` in it
        for proto, ivs in proj:
            los, his, where = index[proto]
            for dlo, dhi in ivs:
                for k in range(bisect_left(his, dlo), bisect_right(los, dhi)):
                    hit.setdefault(where[k], []).append((max(dlo, los[k]), min(dhi, his[k])))
        groups: dict = {}  # seconds -> [line, applications, multi, {proto: port ranges}]
        for i in sorted(hit):
            proto, lo, hi, covering = table[i]
            values = sorted({e[2] for e in covering}, key=lambda v: float("inf") if v == NEVER else v)
            # (an application's timeout line not read on these ports: the session's timeout is not known)
            secs = UNREAD if values[0] == UNREAD else values[-1]
            e = next(e for e in covering if e[2] == secs)
            if len(values) > 1 and secs != UNREAD:
                other = next(x for x in reversed(covering) if x[2] != secs)
                where_ = self.ctx.src(other[3])
                if (where_.line, "table") not in self._reported:
                    self._reported.add((where_.line, "table"))
                    why = ("application %s's timeout overlaps application %s's on %s ports %d-%d: in an application "
                           "group (policy %s) the session gets the one created last (Junos 10.2) or the port's own, "
                           "which the configuration does not say"
                           % (other[4], e[4], "TCP" if proto == 6 else "UDP", lo, hi, pname))
                    self.ctx.lines.unrecognized(where_, why, Impact.FILTER, "timeouts")
            g = groups.get(secs)
            if g is None:
                g = groups[secs] = [e[3], [], False, {}]
            if e[4] not in g[1]:
                g[1].append(e[4])
            g[2] = g[2] or len(values) > 1
            g[3].setdefault(proto, []).extend(hit[i])
        out = []
        for secs, (line, apps, multi, ports) in groups.items():
            # (each record: seconds, source, its label around the policy's name, packets)
            head = "port-based timeout table: application%s %s inactivity-timeout %s (policy " % (
                "s" if len(apps) > 1 else "", ", ".join(apps), {NEVER: "never", UNREAD: "not understood"}.get(
                    secs, secs))
            tail = ")" + (", or a shorter one of another application on these ports" if multi else "")
            out.append((None if secs == NEVER else secs, self.ctx.src(line), head, tail,
                        PacketSet.of_cubes([cube(proto=ISet.of(p), dport=ISet(iv)) for p, iv in ports.items()])))
        return out

    def default_timeouts(self) -> list[Timeout]:
        """[TIMEOUT] table 13: the protocol-based defaults, last (a session no application timeout covers)."""
        out = []
        label = "Junos protocol-based default inactivity timeout for %s (%d s; no application timeout applies)"
        for proto, name in ((17, "UDP"), (1, "ICMP"), (89, "OSPF")):
            secs = data.protocol_timeout(proto)
            out.append(Timeout(PacketSet([cube(proto=ISet.of(proto))]), secs, None, label=label % (name, secs),
                               default=True))
        others = ISet.of(0, 255).subtract(ISet([(1, 1), (6, 6), (17, 17), (89, 89)]))
        out.append(Timeout(PacketSet([cube(proto=others)]), data.OTHER_TIMEOUT, None,
                           label=label % ("other protocols", data.OTHER_TIMEOUT), default=True))
        if self.default is not None and self.default[0] is Action.PERMIT:
            # (what 'default-policy permit-all' lets through matched no application: Junos 12.2's lookup takes the
            # port-based table's timeout for it, 10.2's says nothing: unknown where the table holds another one)
            release = self.release()
            if release is not None and release >= (12, 2):
                proj = ((6, ((0, 65535),)),)
                for secs, src, head, tail, ps in self._table_records(proj, "default-policy permit-all"):
                    out.append(Timeout(ps, None if secs == UNREAD else secs, src,
                                       label=head + "default-policy permit-all" + tail, unknown=secs == UNREAD))
                other = None
            else:
                other = self._table_other(ISet.of(0, 65535), "default-policy permit-all (no application)")
            if other is not None:
                out.append(Timeout(PacketSet([cube(proto=_TCP, dport=other[0])]), None, self.ctx.src(self.default[1]),
                                   label=other[1] + "default-policy)", unknown=True))
        out.append(Timeout(PacketSet([cube(proto=ISet.of(6))]), data.protocol_timeout(6), None,
                           label=label % ("TCP", data.protocol_timeout(6)), default=True))
        return out


def _timeout(match: PacketSet, secs: int | None, src: Source, label: str, rule: tuple[str, int],
             unknown: bool = False) -> Timeout:
    """``Timeout(match, secs, src, label=label, rule=rule, unknown=unknown)`` made in one step (a large rulebase
    makes one per permitted application term; the frozen dataclass's field-by-field set-up measured 3x slower)."""
    t = _NEW(Timeout)
    d = {"match": match, "idle_seconds": secs, "source": src, "dcd": False, "reset": False, "interfaces": (),
         "label": label, "default": False, "through": "", "rule": rule, "permitted_by": ""}
    if unknown:
        d["unknown"] = True
    object.__setattr__(t, "__dict__", d)
    return t


_TCP = ISet.of(6)
_RELEASE_WORD = re.compile(r"(\d{1,3})\.(\d{1,3})(?![0-9])")  # (ASCII digits: a release's major.minor)
_TCP_DEFAULT = data.protocol_timeout(6)
_RELEASE = -3  # (a timeout term's seconds: the release decides, ``Policies._table_other``)


class _Table:
    """A timeout term's seconds for an application group: the port-based table's, per port
    (``Policies._table_timeouts``), over the TCP and UDP ports ``proj`` (``_ports_of``) of the group's packets
    (a policy's match has its applications' ports), and the records once made (``_table_records``)."""

    __slots__ = ("proj", "records")

    def __init__(self, proj: tuple):
        self.proj = proj
        self.records: list | None = None


def _ports_of(ps: PacketSet) -> tuple:
    """The TCP and UDP destination ports of ``ps``: ((protocol, port ranges), ...)."""
    out = []
    for proto in (6, 17):
        ports = ISet.union_of([c.dims[4] for c in ps.cubes if proto in c.dims[2]])
        if ports:
            out.append((proto, tuple(ports.iv)))
    return tuple(out)


def _tcp_part(ps: PacketSet) -> PacketSet:
    """The TCP packets of ``ps``."""
    out = []
    for c in ps.cubes:
        p = c.dims[2]
        if p.iv == _TCP.iv:  # (the intervals compared directly: ISet equality)
            out.append(c)
        elif 6 in p:
            out.append(Cube(c.dims[0], c.dims[1], _TCP, c.dims[3], c.dims[4]))
    return PacketSet.of_cubes(out)


def _merged(cubes: list) -> PacketSet:
    """The applications' cubes (any address), those of one protocol and source ports made one (their
    destination ports joined): the same packets in fewer cubes."""
    if len(cubes) <= 1:
        return PacketSet.of_cubes(cubes)
    by: dict = {}
    for c in cubes:
        key = (c.dims[2], c.dims[3])
        by.setdefault(key, []).extend(c.dims[4].iv)
    if len(by) == len(cubes):
        return PacketSet.of_cubes(cubes)
    return PacketSet.of_cubes([cube(proto=p, sport=sp, dport=ISet(iv)) for (p, sp), iv in by.items()])


def _zone_ok(zm: tuple, a: str, b: str) -> bool:
    fz, tz = zm
    return (fz is None or a in fz) and (tz is None or b in tz)


def _comments(ctx: Ctx, p: Policy) -> list[int]:
    """Comment lines written just above the policy (``/* ... */`` annotations, ``#`` lines)."""
    out = []
    k = ctx.anchor(p.first, p.depth) - 1
    while k >= 0 and k in ctx.doc.comments:
        out.append(k)
        k -= 1
    return out

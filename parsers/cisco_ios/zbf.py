"""The zone-based policy firewall (ZBF / ZFW) of IOS and IOS-XE.

How the device decides, as modelled here (Cisco, "Zone-Based Policy Firewall Design and
Application Guide", Document ID 98628; Cisco IOS XE Security Configuration Guide, "Zone-Based
Policy Firewalls"; Cisco Router and Security Device Manager 2.5 User's Guide, "Zone-Based
Policy Firewall", which lists these rules):

* an interface belongs to at most one zone (``zone-member security Z``);
* traffic between two interfaces of one zone flows freely (unless an intrazone zone pair
  ``source Z destination Z`` gives it a policy);
* traffic between interfaces of two different zones is dropped unless a zone pair from the
  source zone to the destination zone has an inspect policy (``service-policy type inspect``)
  that passes or inspects it; "If a policy is not configured between a pair of zones, traffic
  is dropped by default";
* traffic between a zone member and an interface in no zone is dropped;
* the self zone (the router itself) is the exception: traffic to or from the router is allowed
  until a zone pair with ``self`` gives it a policy (a zone pair with ``self`` and no
  ``service-policy`` still allows it: Cisco Press, "CCNA Security 210-260 Official Cert Guide",
  Table 15-4);
* a policy map's classes are tested in order; ``inspect`` permits and tracks the session (its
  replies pass), ``pass`` permits the packets of this direction only, ``drop`` drops;
  ``class class-default`` (always last) drops unless it says ``pass``;
* ``class-map type inspect`` is ``match-all`` unless it says ``match-any``; ``match
  access-group`` classifies by what the access list permits, ``match protocol`` by the
  port-to-application map (``names.PAM`` plus ``ip port-map`` lines), ``match class-map`` by
  another class; a ``match-all`` class with several ``match protocol`` lines matches what no Cisco
  document says (a packet is of one application: the lines' intersection, nothing, or one line
  kept?), reported at its second such line, its packets uncertain; a class with no ``match`` line
  matches what no Cisco document says (it is reported at its line where a policy uses it, its
  packets uncertain);
* idle timeouts come from the ``parameter-map type inspect`` the ``inspect`` action names, else
  the defaults: TCP 3600 s (Cisco IOS Security Command Reference, ``ip inspect tcp idle-time``:
  "Defaults 3600 seconds (1 hour)", the same timer the parameter map's ``tcp idle-time``
  sets), UDP 30 s.  An ``inspect`` naming no map is given the global one's (``parameter-map type
  inspect global`` / ``inspect-global``) where it sets one; that it applies there is in no Cisco
  document found, so its ``tcp idle-time`` line is then also reported (PRN120 'cannot tell' rather
  than a pass).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import Action, Filter, Impact, Rule, Source, new_rule
from auditor.core.packets import ALL, ALL_PORTS, NOTHING, ISet, PacketSet, cube
from parsers.cisco_ios import names as N
from parsers.cisco_ios.operands import OperandError, port_value
from parsers.cisco_ios.scan import indent, kids
from parsers.kit import Lines
from parsers.kit.sets import permitted

TCP_IDLE_DEFAULT = 3600
UDP_IDLE_DEFAULT = 30
SELF = "self"


@dataclass
class ClassMap:
    name: str
    line: int
    match_all: bool
    matches: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class PClass:
    name: str
    line: int
    actions: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class PolicyMap:
    name: str
    line: int
    classes: list[PClass] = field(default_factory=list)
    default: PClass | None = None


@dataclass
class ZonePair:
    name: str
    line: int
    src: str
    dst: str
    policy: tuple[str, int] | None = None


@dataclass
class ParamMap:
    name: str
    line: int
    tcp_idle: tuple[int, int] | None = None  # (seconds, line)
    udp_idle: tuple[int, int] | None = None


@dataclass
class PairRule:
    """What a zone-pair filter's rule came from (for timeouts)."""

    index: int
    cls: str
    action: str  # inspect | pass | drop
    params: str | None  # the parameter map an 'inspect' names
    line: int  # the action's line


@dataclass
class PairPolicy:
    """A zone pair's policy: its filter, its default and the rules' origins."""

    pair: ZonePair
    filter: Filter | None
    default: Action
    default_line: int
    reason: str
    rules: list[PairRule] = field(default_factory=list)
    has_pass: bool = False
    mirror: str | None = None  # the derived filter of its inspected connections' replies


class ZbfReader:
    """Collects the zone-based firewall's definitions; ``policies()`` resolves them."""

    def __init__(self, lines: Lines):
        self.lines = lines
        self.zones: dict[str, int] = {}
        self.pairs: list[ZonePair] = []
        self.class_maps: dict[str, ClassMap] = {}
        self.policy_maps: dict[str, PolicyMap] = {}
        self.param_maps: dict[str, ParamMap] = {}
        self.global_params: ParamMap | None = None
        self.port_maps: dict[str, list[tuple[int, int, int, bool]]] = {}  # app -> (proto, lo, hi, host-specific)
        self._sets: dict[str, tuple[PacketSet, PacketSet]] = {}
        self._busy: set[str] = set()

    @property
    def used(self) -> bool:
        return bool(self.zones or self.pairs)

    # --- reading -------------------------------------------------------------------------
    def read(self, t: list[str], i: int, j: int) -> None:
        lines = self.lines
        w = t[0]
        children = [(k, lines[k].split()) for k in kids(lines.raw, i, j)]
        if w == "zone" and len(t) == 3 and t[1] == "security":
            self.zones[t[2]] = i
            lines.use(i)
            for k, s in children:
                if s[0] in ("description", "!"):
                    lines.ignore(k, "zone description")
                else:
                    lines.unrecognized(lines.source(k), "zone setting not supported", Impact.GLOBAL)
        elif w == "zone-pair" and len(t) == 7 and t[1] == "security" and t[3] == "source" and t[5] == "destination":
            zp = ZonePair(t[2], i, t[4], t[6])
            lines.use(i)
            for k, s in children:
                if s[:3] == ["service-policy", "type", "inspect"] and len(s) == 4:
                    zp.policy = (s[3], k)
                    lines.use(k)
                elif s[0] in ("description", "!"):
                    lines.ignore(k, "zone-pair description")
                else:
                    lines.unrecognized(lines.source(k), "zone-pair setting not supported", Impact.GLOBAL)
            self.pairs.append(zp)
        elif w == "class-map" and len(t) >= 4 and t[2] == "inspect":
            rest = t[3:]
            if len(rest) == 2 and rest[0] in ("match-any", "match-all"):
                cm = ClassMap(rest[1], i, rest[0] == "match-all")
            elif len(rest) == 1:
                cm = ClassMap(rest[0], i, True)  # (match-all is the default)
            else:
                # 'class-map type inspect http ...': a layer-7 class, used only inside a layer-7
                # policy (which a layer-4 class's 'service-policy' reports)
                lines.ignore(i, "layer-7 inspect class map", j)
                return
            lines.use(i)
            for k, s in children:
                if s[0] in ("description", "!"):
                    lines.ignore(k, "class-map description")
                else:
                    cm.matches.append((k, s))
                    lines.use(k)
            self.class_maps[cm.name] = cm
        elif w == "policy-map" and len(t) >= 4 and t[2] == "inspect":
            if len(t) != 4:
                lines.ignore(i, "layer-7 inspect policy map", j)
                return
            self.policy_map(t[3], i, children)
        elif w == "parameter-map" and len(t) >= 3 and t[2] in ("inspect", "inspect-global"):
            if t[2] == "inspect-global" or (len(t) == 4 and t[3] == "global"):
                pm = self.global_params = ParamMap("global", i)
            elif len(t) == 4:
                pm = self.param_maps[t[3]] = ParamMap(t[3], i)
            else:
                lines.unrecognized(lines.source(i), "bad parameter-map", Impact.FILTER, "timeouts")
                return
            lines.use(i)
            for k, s in children:
                self.param_line(pm, s, k)
        else:
            lines.unrecognized(lines.source(i), "zone-based firewall command not understood", Impact.GLOBAL)
            for k, _s in children:
                lines.unrecognized(lines.source(k), "inside a block not understood", Impact.GLOBAL)

    def policy_map(self, name: str, i: int, children: list[tuple[int, list[str]]]) -> None:
        lines = self.lines
        pm = PolicyMap(name, i)
        lines.use(i)
        cur: PClass | None = None
        base = None
        for k, s in children:
            ind = indent(lines[k])
            if base is None:
                base = ind
            if s[0] == "class" and ind == base:
                if s[1:] == ["class-default"]:
                    cur = pm.default = PClass("class-default", k)
                elif len(s) == 4 and s[1:3] == ["type", "inspect"]:
                    cur = PClass(s[3], k)
                    pm.classes.append(cur)
                else:
                    cur = None
                    lines.unrecognized(lines.source(k), "policy-map class not understood", Impact.GLOBAL)
                    continue
                lines.use(k)
            elif s[0] in ("description", "!"):
                lines.ignore(k, "policy-map description")
            elif cur is not None and ind > base:
                cur.actions.append((k, s))
                lines.use(k)
            else:
                lines.unrecognized(lines.source(k), "policy-map line not understood", Impact.GLOBAL)
        self.policy_maps[name] = pm

    def param_line(self, pm: ParamMap, s: list[str], k: int) -> None:
        lines = self.lines
        key = " ".join(s[:2])
        if key in ("tcp idle-time", "udp idle-time") and len(s) >= 3 and N.digits(s[2]):
            if len(s) > 3 and not (len(s) == 5 and s[3] == "ageout-time" and N.digits(s[4])):
                lines.unrecognized(lines.source(k), "bad %s" % key, Impact.FILTER, "timeouts")
                return
            val = (int(s[2]), k)
            if key == "tcp idle-time":
                pm.tcp_idle = val
            else:
                pm.udp_idle = val
            lines.use(k)
            # ('ageout-time' is the shorter value aggressive aging switches to when the session
            # table or half-open thresholds are reached: an overload state, not the idle timeout)
        elif s[0] in ("sessions", "max-incomplete", "one-minute", "alert", "audit-trail", "log", "dns-timeout",
                      "description", "!", "icmp", "tcp", "udp", "application-inspect", "zone-mismatch",
                      "vrf", "per-filter", "lwf-policy", "inspect", "aggressive-aging", "low-priority",
                      "alerts", "max-destination", "multi-tenancy", "session", "consecutive", "ipv6"):
            lines.ignore(k, "inspect parameter (not an idle timeout of TCP or UDP sessions)")
        else:
            lines.unrecognized(lines.source(k), "inspect parameter not understood", Impact.FILTER, "timeouts")

    def port_map(self, t: list[str], i: int) -> None:
        """``ip port-map APP port [tcp|udp] P [P ...] [list ACL] [description ...]``: more ports
        the application is recognised on (host-specific with ``list``)."""
        lines = self.lines
        try:
            if len(t) < 5 or t[3] != "port":
                raise OperandError("bad ip port-map")
            app, k = t[2], 4
            protos = (6, 17) if t[k] not in ("tcp", "udp") else ((6,) if t[k] == "tcp" else (17,))
            if t[k] in ("tcp", "udp"):
                k += 1
            host = False
            entries = []
            while k < len(t):
                if t[k] == "list" and k + 1 < len(t):
                    host, k = True, k + 2
                elif t[k] == "description":
                    break
                elif t[k] == "from" and k + 3 < len(t) and t[k + 2] == "to":
                    lo, hi = port_value(t[k + 1], {}), port_value(t[k + 3], {})
                    entries += [(p, lo, hi) for p in protos]
                    k += 4
                else:
                    v = port_value(t[k], {})
                    entries += [(p, v, v) for p in protos]
                    k += 1
            if not entries:
                raise OperandError("no port")
        except (OperandError, IndexError) as e:
            lines.unrecognized(lines.source(i), "ip port-map (%s)" % e, Impact.FILTER, "zone-based firewall")
            return
        self.port_maps.setdefault(app, []).extend((p, lo, hi, host) for p, lo, hi in entries)
        lines.use(i)

    # --- resolving ---------------------------------------------------------------------
    def class_set(self, name: str, where: Source, filters: dict[str, Filter]) -> tuple[PacketSet, PacketSet]:
        """(packets the class certainly matches, packets it may match)."""
        got = self._sets.get(name)
        if got is not None:
            return got
        lines = self.lines
        cm = self.class_maps.get(name)
        if cm is None:
            lines.undefined(name, "inspect class-map", where, "zone-based firewall")
            return NOTHING, ALL
        if name in self._busy:
            lines.report("CFG301", "circular reference through class-map '%s'" % name, lines.source(cm.line),
                         Impact.FILTER, "zone-based firewall")
            return NOTHING, ALL
        self._busy.add(name)
        parts = [self.match_set(s, lines.source(k), filters) for k, s in cm.matches]
        self._busy.discard(name)
        if not parts:
            # a class with no match criteria: Cisco's documents do not say what it matches
            lines.unrecognized(lines.source(cm.line), "inspect class-map '%s' has no match criteria (what it "
                               "matches is not documented)" % name, Impact.FILTER, "zone-based firewall")
            res = (NOTHING, ALL)
        elif cm.match_all and sum(1 for _k, m in cm.matches if m[1:2] == ["protocol"]) > 1:
            # several 'match protocol' lines in a match-all class: a packet is one application, and no Cisco
            # document says whether the class then matches their intersection, nothing, or keeps one line
            k = [k for k, m in cm.matches if m[1:2] == ["protocol"]][1]
            lines.unrecognized(lines.source(k), "inspect class-map '%s' is match-all with several 'match protocol' "
                               "lines: what it matches is not documented" % name, Impact.FILTER,
                               "zone-based firewall")
            protos, upper = NOTHING, ALL
            for (_k, m), (s2, u2) in zip(cm.matches, parts):
                if m[1:2] == ["protocol"]:
                    protos = protos.union(s2.union(u2))
                else:
                    upper = upper.intersect(s2.union(u2))
            res = (NOTHING, upper.intersect(protos))
        elif cm.match_all:
            sure, upper = parts[0][0], parts[0][0].union(parts[0][1])
            for s2, u2 in parts[1:]:
                sure = sure.intersect(s2)
                upper = upper.intersect(s2.union(u2))
            res = (sure, upper.subtract(sure))
        else:
            sure, unsure = NOTHING, NOTHING
            for s2, u2 in parts:
                sure, unsure = sure.union(s2), unsure.union(u2)
            res = (sure, unsure.subtract(sure))
        self._sets[name] = res
        return res

    def match_set(self, s: list[str], src: Source, filters: dict[str, Filter]) -> tuple[PacketSet, PacketSet]:
        lines = self.lines
        if s[0] != "match" or len(s) < 3:
            lines.unrecognized(src, "class-map line not understood", Impact.FILTER, "zone-based firewall")
            return NOTHING, ALL
        what = s[1]
        if what == "access-group" and len(s) in (3, 4):
            acl = s[3] if len(s) == 4 and s[2] == "name" else s[2]
            if len(s) == 4 and s[2] != "name":
                lines.unrecognized(src, "class-map match not understood", Impact.FILTER, "zone-based firewall")
                return NOTHING, ALL
            f = filters.get(acl)
            if f is None:
                # (an access list that does not exist matches nothing a policy relies on: unknown)
                lines.undefined(acl, "access-list", src, "zone-based firewall")
                return NOTHING, ALL
            return permitted(f.rules, new_only=True)
        if what == "protocol" and len(s) == 3:
            return self.protocol_set(s[2], src)
        if what == "class-map" and len(s) == 3:
            return self.class_set(s[2], src, filters)
        lines.unrecognized(src, "class-map match '%s' is not modelled" % " ".join(s[1:3]), Impact.FILTER,
                           "zone-based firewall")
        return NOTHING, ALL

    def protocol_set(self, app: str, src: Source) -> tuple[PacketSet, PacketSet]:
        base = N.PAM.get(app.lower())
        user = self.port_maps.get(app, [])
        if base is None and not user:
            self.lines.unrecognized(src, "application '%s' is not in the port-to-application map this parser "
                                    "knows" % app, Impact.FILTER, "zone-based firewall")
            return NOTHING, ALL
        sure = [cube(proto=ISet.of(p), dport=ISet.of(lo, hi) if p != 1 else ALL_PORTS)
                for p, lo, hi in (base or ())]
        sure += [cube(proto=ISet.of(p), dport=ISet.of(lo, hi)) for p, lo, hi, host in user if not host]
        unsure = [cube(proto=ISet.of(p), dport=ISet.of(lo, hi)) for p, lo, hi, host in user if host]
        s = PacketSet(sure)
        return s, PacketSet(unsure).subtract(s)

    def params(self, name: str | None) -> ParamMap | None:
        if name is None:
            return self.global_params
        return self.param_maps.get(name)

    def pair_policy(self, zp: ZonePair, filters: dict[str, Filter], src_of) -> PairPolicy:
        """The filter a zone pair's inspect policy makes (rules in class order) and its default."""
        lines = self.lines
        fname = "zone-pair %s" % zp.name
        if zp.policy is None and SELF in (zp.src, zp.dst):
            # ("if there is a zone pair but no policy is applied, the default behavior is to forward all
            # traffic", for the self zone: Cisco Press, "CCNA Security 210-260 Official Cert Guide", Table 15-4)
            return PairPolicy(zp, None, Action.PERMIT, zp.line, "zone-pair %s has no inspect policy: traffic %s "
                              "the router itself is allowed" % (zp.name, "to" if zp.dst == SELF else "from"))
        if zp.policy is None:
            return PairPolicy(zp, None, Action.DENY, zp.line, "zone-pair %s has no inspect policy: IOS drops "
                              "the traffic between its zones" % zp.name)
        pname, pline = zp.policy
        pm = self.policy_maps.get(pname)
        if pm is None:
            lines.undefined(pname, "inspect policy-map", src_of(pline), fname)
            f = Filter(fname, (new_rule(fname, 0, Action.DENY, NOTHING, src_of(pline), maybe=ALL, opaque=True),),
                       src_of(zp.line), kind="zone-pair")
            return PairPolicy(zp, f, Action.DENY, pline, "undefined policy-map %s" % pname)
        rules: list[Rule] = []
        meta: list[PairRule] = []
        has_pass = False
        for c in pm.classes:
            csrc = src_of(c.line)
            sure, unsure = self.class_set(c.name, csrc, filters)
            action, params, aline, note = self.action(c, fname)
            k = len(rules)
            if action is None:
                rules.append(new_rule(fname, k, Action.DENY, NOTHING, csrc, maybe=sure.union(unsure), note=note))
                continue
            if action == "pass" and (sure or unsure):
                has_pass = True
            act = Action.DENY if action == "drop" else Action.PERMIT
            if note:
                rules.append(new_rule(fname, k, act, NOTHING, csrc, maybe=sure.union(unsure), note=note))
            else:
                # (only its class's match is uncertain: ``Rule.sure_action``)
                rules.append(new_rule(fname, k, act, sure, csrc, maybe=unsure, sure_action=True))
            meta.append(PairRule(k, c.name, action, params, aline))
        default, dline = Action.DENY, pm.line
        reason = "class class-default of policy-map %s: IOS drops what no class matches" % pname
        if pm.default is not None:
            action, params, aline, note = self.action(pm.default, fname, default=True)
            dline = aline if aline is not None else pm.default.line
            if action == "pass":
                default, has_pass = Action.PERMIT, True
                reason = "class class-default of policy-map %s: pass" % pname
            elif action == "inspect":
                k = len(rules)
                rules.append(new_rule(fname, k, Action.PERMIT, ALL, src_of(pm.default.line)))
                meta.append(PairRule(k, "class-default", "inspect", params, aline))
            elif action == "drop":
                reason = "class class-default of policy-map %s: drop" % pname
        f = Filter(fname, tuple(rules), src_of(zp.line), kind="zone-pair")
        return PairPolicy(zp, f, default, dline, reason, meta, has_pass)

    def action(self, c: PClass, scope: str, default: bool = False) -> tuple[str | None, str | None, int | None, str]:
        """(inspect | pass | drop | None, parameter map, the action's line, a note when the class's
        packets are not decided here)."""
        lines = self.lines
        action = params = line = None
        note = ""
        for k, s in c.actions:
            w = s[0]
            if w in ("inspect", "pass", "drop") and action is None:
                action, line = w, k
                if w == "inspect" and len(s) == 2:
                    params = s[1]
                    if params not in self.param_maps:
                        lines.undefined(params, "inspect parameter-map", lines.source(k), "timeouts")
                elif len(s) > 1 and s[1:] != ["log"]:
                    lines.unrecognized(lines.source(k), "action not understood", Impact.FILTER, scope)
            elif w in ("service-policy", "urlfilter"):
                # ('urlfilter PARAM-MAP', the older form of 'service-policy urlfilter P': URL filtering, "Content
                # Filter" of the class, blocks the HTTP requests its lists or URL server deny, Cisco Security
                # Manager 4.4 User Guide, "Configuring Content Filtering Maps for Zone-based Firewall Policies")
                note = "a layer-7 policy inspects these connections further (it can reset them)"
                lines.unrecognized(lines.source(k), "layer-7 inspect policies (%s) are not modelled" % w,
                                   Impact.FILTER, scope)
            elif w in ("police", "log", "!"):
                lines.ignore(k, "rate limit or logging of the class (it still passes what it permits)")
            else:
                lines.unrecognized(lines.source(k), "class action not understood", Impact.FILTER, scope)
        if action is None and not default:
            note = "class %s has no action" % c.name
        if action is None and default:
            action = "drop"
        return action, params, line, note

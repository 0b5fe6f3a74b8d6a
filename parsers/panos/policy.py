"""The security rulebase -> one filter per zone pair, and the default rules.

PAN-OS evaluates security rules top-down, first match ("Security Policy Overview"): the
rules Panorama pushed before the firewall's own (``pre-rulebase``), the firewall's
``rulebase security``, then Panorama's ``post-rulebase``; a packet no rule matches meets the
predefined ``intrazone-default`` (allow) or ``interzone-default`` (deny) rule, whose action
``rulebase default-security-rules rules intrazone-default|interzone-default action`` may
override.

A rule applies to the zone pairs of its ``from`` and ``to`` zones (``any``: every zone of the
vsys), as its ``rule-type`` allows ("Components of a Security Policy Rule"): ``universal``
(the default) every pair, ``intrazone`` a zone to itself (for each ``from`` zone),
``interzone`` two different zones.  It appears in each pair's filter with the same ``Source``
(its ``<entry name=...>`` / first line).  ``disabled yes`` keeps it, disabled.  Actions:
``allow`` permits; ``deny``, ``drop``, ``reset-client``, ``reset-server``, ``reset-both``
deny.

What a rule matches: its ``source`` x ``destination`` (``negate-source`` /
``negate-destination`` take the complement) x its applications and services (see
``objects``).  Matching on a user (``source-user``), HIP profile (``any-hip`` and ``no-hip`` too), URL category,
device or schedule depends on facts outside the configuration: such a rule matches nothing certainly,
and what it otherwise matches possibly (``maybe``: the engine answers ``unknown`` there).
A list naming ``any`` beside other members (zones, addresses, applications, services) is matched
by PAN-OS in a way no document gives (``Objects.any_among``): the other members certainly, the rest
possibly.
Security rules match the packet as the client sent it (pre-NAT addresses and port) in the
zone pair after NAT ("NAT Policy Overview"), so their stages see ``"sent"`` packets.
"""

from __future__ import annotations

from auditor.core.model import Action, AddressRef, Impact, Rule, Source, Stage, new_rule
from auditor.core.packets import ALL_ADDR, NOTHING, Cube, ISet, PacketSet
from parsers.panos.collect import Collector, Def
from parsers.panos.objects import SVC_ALL, Addr, Objects
from parsers.panos.scan import PANORAMA, SHARED

ACTIONS = {"allow": Action.PERMIT, "deny": Action.DENY, "drop": Action.DENY, "reset-client": Action.DENY,
           "reset-server": Action.DENY, "reset-both": Action.DENY}
# match settings whose only value that the configuration decides is 'any'
UNKNOWABLE = {"source-user": "a user (User-ID)", "source-hip": "a HIP profile", "destination-hip": "a HIP profile",
              "hip-profiles": "a HIP profile", "category": "a URL category",
              "source-device": "a device object (IoT)", "destination-device": "a device object (IoT)",
              "source-imei": "an IMEI", "source-imsi": "an IMSI", "source-nw-slice": "a network slice"}
# values that match every packet: only "any"; "any-hip" and "no-hip" match by whether the endpoint has
# sent GlobalProtect a HIP report, a run-time fact ("About Host Information", GlobalProtect admin guide)
NOT_RESTRICTING = ("any",)
_SPECIAL = frozenset(UNKNOWABLE) | {"negate-source", "negate-destination", "schedule"}
_NONE: frozenset = frozenset()


class Placed:
    """A security rule as built: its match, and where it was placed ``(filter name, index)``."""

    __slots__ = ("d", "source", "action", "match", "maybe", "services", "apps", "chain", "places")

    def __init__(self, d: Def, source: Source, action: Action, match: PacketSet, maybe: PacketSet,
                 services: list, apps: list, chain: tuple):
        self.d, self.source, self.action, self.match, self.maybe = d, source, action, match, maybe
        self.services, self.apps, self.chain = services, apps, chain  # ((member, line) lists)
        self.places: list[tuple[str, int]] = []


class Policy:
    """One vsys's security policy: pair filters, default stages, remarks, placed rules."""

    def __init__(self, col: Collector, objs: Objects, vsys: str, prefix: str):
        self.col, self.objs, self.lines = col, objs, col.lines
        self.vsys = vsys
        self.prefix = prefix  # '' for a single vsys, 'vsys2/' otherwise
        self.sp = col.space(vsys)
        self.zones = list(self.sp.zone)
        self.implicit = False
        self.filters: dict[str, list[Rule]] = {}
        self.remarks: list[tuple[str, Source]] = []
        self.placed: list[Placed] = []
        self.address_refs: list[AddressRef] = []
        self._traffic: dict = {}
        self._addresses: dict = {}  # (chain, member names) -> Addr, for several members all understood

    def pair(self, a: str, b: str) -> str:
        return "%s%s->%s" % (self.prefix, a, b)

    def rules(self) -> list[tuple[Def, tuple]]:
        """The rules in evaluation order, each with its lookup chain."""
        pano = self.col.spaces.get(PANORAMA)
        own = self.objs.chain(self.vsys, PANORAMA, SHARED)
        from_pano = self.objs.chain(PANORAMA, self.vsys, SHARED)
        out = []
        if pano is not None:
            out += [(d, from_pano) for d in pano.security["pre"].values()]
        out += [(d, own) for d in self.sp.security["local"].values()]
        out += [(d, own) for d in self.sp.security["pre"].values()]  # (a vsys never has these; kept)
        if pano is not None:
            out += [(d, from_pano) for d in pano.security["post"].values()]
        out += [(d, own) for d in self.sp.security["post"].values()]
        return out

    def build(self) -> None:
        rules = self.rules()
        if not self.zones and not any(sp.zone for sp in self.col.spaces.values()) and rules:
            # a rulebase without the device part (as policy compilers write it): its zones are
            # the names its rules use, with no interfaces
            self.implicit = True
            self.zones = list(dict.fromkeys(z for d, _c in rules for k in ("from", "to")
                                            for z, _l in d.members(k) if z != "any"))
            if self.zones:
                why = ("no zones are defined: the rules are filed by the zone names they use (%s), which have no "
                       "interfaces, so no traffic is routed through them" % ", ".join(self.zones[:6]))
            else:  # (every rule's from and to are 'any': there is no name to file them by)
                why = ("no zones are defined, and the rules name none (their from and to are 'any'): no interface "
                       "is in a zone, so no traffic is routed through them")
            self.lines.unrecognized(self.lines.head(), why, Impact.NONE)
        pano = self.col.spaces.get(PANORAMA)
        for d, chain in rules:
            homes = self.col.pushed_homes(d) if pano is not None and chain and chain[0] is pano else None
            if homes and self.vsys not in homes:
                continue  # (pushed to another virtual system: its zones are that one's)
            self.rule(d, chain, homes is not None and len(homes) != 1)

    # --- one rule ------------------------------------------------------------------------------
    def zones_of(self, d: Def, key: str, what: str) -> tuple[list[str], frozenset]:
        """The rule's ``key`` zones, and those of them it applies to only if its ``any`` beside other
        zones means any (``Objects.any_among``)."""
        vals = d.members(key)
        if not vals:  # (PAN-OS requires the zones: not read, they may be any; reported in ``rule``)
            return self.zones, frozenset(self.zones)
        if len(vals) == 1:  # (the usual case)
            z = vals[0][0]
            if z in self.sp.zone:
                return [z], _NONE
            if z == "any":
                return self.zones, _NONE
        out: list[str] = []
        undefined = False
        for z, line in vals:
            if z == "any":
                continue
            if z in self.sp.zone or (self.implicit and z in self.zones):
                out.append(z)
            else:
                self.lines.undefined(z, "zone", self.lines.source(line), what)
                undefined = True
        if self.objs.any_among(vals, key, what) or undefined:
            # (an undefined zone: PAN-OS refuses to commit the rule, so which zones it applies to on the device is
            # not known: its defined zones certainly, the others maybe)
            return self.zones, frozenset(self.zones).difference(out)
        return list(dict.fromkeys(out)), _NONE

    def rule(self, d: Def, chain: tuple, elsewhere: bool = False) -> None:
        """Place security rule ``d`` (``elsewhere``: pushed by Panorama to one of several virtual systems
        that could hold it, ``Collector.pushed_homes``: it matches only maybe)."""
        lines = self.lines
        a = d.attrs
        get = a.get
        what = "security rule '%s'" % d.name
        src = lines.source(d.line)
        why: list[str] = []
        v = get("action")
        action_v, action_line = v[-1] if v else (None, None)
        action = ACTIONS.get(action_v) if isinstance(action_v, str) else None
        if action is None:
            if action_v is None:
                lines.unrecognized(src, "%s has no action" % what, Impact.FILTER, what)
            else:
                lines.unrecognized(lines.source(action_line), "%s: unknown action '%s'" % (what, action_v),
                                   Impact.FILTER, what)
            why.append("its action is not known")
        v = get("disabled")
        enabled = not v or v[-1][0] != "yes"
        sa = self.addresses(d, "source", chain, what, why)
        da = self.addresses(d, "destination", chain, what, why)
        certain = action is not None and not d.unknown
        if elsewhere:
            why.append("Panorama pushed it to one of the virtual systems whose zones it names, and which one is not "
                       "in the configuration (a device group may hold a single virtual system)")
            certain = False
        special = a.keys() & _SPECIAL
        if special:
            if "negate-source" in special and d.last("negate-source")[0] == "yes":
                sa = Addr(ALL_ADDR.subtract(sa.poss), ALL_ADDR.subtract(sa.sure), sa.refs, sa.why)
            if "negate-destination" in special and d.last("negate-destination")[0] == "yes":
                da = Addr(ALL_ADDR.subtract(da.poss), ALL_ADDR.subtract(da.sure), da.refs, da.why)
            for key in sorted(special):  # (a set: sorted, so that the note reads the same in every run)
                meaning = UNKNOWABLE.get(key)
                if meaning is not None and any(x not in NOT_RESTRICTING for x, _ in d.members(key)):
                    why.append("it matches %s" % meaning)
                    certain = False
            sched = d.last("schedule")[0] if "schedule" in special else None
            if sched:
                why.append("it applies only on schedule '%s'" % sched)
                certain = False
        apps = d.members("application")
        services = d.members("service")
        svc_sure, svc_poss = self.traffic(d, chain, apps, services, what, why)
        for key, _line in d.unknown:
            why.append("its setting '%s' is not understood" % key)
        maybe = _cubes(sa.poss, da.poss, svc_poss)
        # ('is' first: the same object as a rule's sets usually are, without ISet.__eq__'s call)
        if certain and svc_sure == svc_poss and (sa.sure is sa.poss or sa.sure == sa.poss) \
                and (da.sure is da.poss or da.sure == da.poss):
            match, maybe = maybe, NOTHING
        else:
            match = _cubes(sa.sure, da.sure, svc_sure) if certain else NOTHING
        note = ("%s is uncertain: %s" % (what, "; ".join(dict.fromkeys(why)))) if maybe.cubes else ""
        refs = sa.refs + da.refs
        if refs:
            self.address_refs.extend(refs)
        act = action or Action.DENY
        pl = Placed(d, src, act, match, maybe, services, apps, chain)
        self.placed.append(pl)
        v = get("rule-type")
        rtype = v[-1][0] if v else "universal"
        frm, frm_any = self.zones_of(d, "from", what)
        to, to_any = self.zones_of(d, "to", what)
        for key, word in (("from", "source"), ("to", "destination")):
            if not get(key):
                why.append("its %s zone is not known" % word)
        if rtype == "universal":
            pairs = [(x, y) for x in frm for y in to]
        elif rtype == "intrazone":
            pairs = [(z, z) for z in frm]
            if get("from") and get("to") and {z for z, _l in d.members("from")} != {z for z, _l in d.members("to")}:
                # ("Components of a Security Policy Rule": an intrazone rule "applies ... within the specified source
                # zones (you cannot specify a destination zone for intrazone rules)"; the web interface writes its
                # 'to' as its 'from'. One whose 'to' differs is no rule the documents describe: Batfish skips it as
                # invalid. It may apply within its source zones, or its destination zones, or not at all: maybe)
                to_line = get("to")[-1][1]
                lines.unrecognized(lines.source(to_line), "%s is an intrazone rule whose destination zones differ "
                                   "from its source zones (an intrazone rule has one zone list): how PAN-OS reads "
                                   "it is not documented" % what, Impact.FILTER, what)
                why.append("it is an intrazone rule whose destination zones differ from its source zones")
                frm_any = frozenset(frm) | frozenset(to)
                pairs = [(z, z) for z in dict.fromkeys(frm + to)]
        elif rtype == "interzone":
            pairs = [(x, y) for x in frm for y in to if x != y]
        else:
            lines.unrecognized(src, "%s: unknown rule-type '%s'" % (what, rtype), Impact.FILTER, what)
            pairs = [(x, y) for x in frm for y in to]
        # (users, HIP, URL categories, schedules, App-ID and the addresses only make its match uncertain:
        # what it does when it matches is certain unless its action or a setting was not understood)
        sure_action = action is not None and not d.unknown and rtype in ("universal", "intrazone", "interzone")
        filters = self.filters
        places = pl.places
        prefix = self.prefix
        if frm_any or to_any:  # the pairs of those zones: all it may match, certain of nothing
            unsure = {p for p in pairs if p[0] in frm_any or p[1] in to_any}
            unsure_note = "%s is uncertain: %s" % (what, "; ".join(dict.fromkeys(
                why if not get("from") or not get("to") else why + ["its zones name 'any' with other zones"])))
        for x, y in pairs:
            name = "%s%s->%s" % (prefix, x, y)
            f = filters.get(name)
            if f is None:
                f = filters[name] = []
            k = len(f)
            places.append((name, k))
            if (frm_any or to_any) and (x, y) in unsure:
                f.append(new_rule(name, k, act, NOTHING, src, enabled, match.union(maybe), False, refs, unsure_note,
                                  sure_action=sure_action))
                continue
            f.append(new_rule(name, k, act, match, src, enabled, maybe, False, refs, note, sure_action=sure_action))
        v = get("description")
        if v and v[-1][0] and pairs:
            desc = lines.source(v[-1][1])
            self.remarks.extend((name, desc) for name, _k in places)
        if not get("from") or not get("to"):
            # (PAN-OS refuses to commit a rule without its zones: those not read, as after a word not understood,
            # may be any; the rule is placed in every pair they may give, matching maybe)
            lines.unrecognized(src, "%s has no %s zone (PAN-OS requires one): it may apply to any zone"
                               % (what, "source" if not get("from") else "destination"), Impact.FILTER, what)

    def addresses(self, d: Def, key: str, chain: tuple, what: str, why: list) -> Addr:
        vals = d.members(key)
        if not vals:
            why.append("its %s is missing" % key)
            return Addr(ISet(), ALL_ADDR)
        mixed = len(vals) > 1 and self.objs.any_among(vals, key, what)
        a = self.addresses_of([v for v in vals if v[0] != "any"] if mixed else vals, chain, what)
        if a.why:
            why.append("its %s includes %s" % (key, a.why))
        if mixed:  # certain: the other members; possible: any
            why.append("its %s names 'any' with other members" % key)
            a = Addr(a.sure, ALL_ADDR, a.refs, a.why)
        return a

    def addresses_of(self, vals: list, chain: tuple, what: str) -> Addr:
        """What the address members ``vals`` stand for together."""
        if len(vals) == 1:
            a = self.objs.address(chain, vals[0][0], vals[0][1], what)
        else:
            ck = (chain, _names(vals))
            a = self._addresses.get(ck)
            if a is None:
                got = [self.objs.address(chain, m, line, what) for m, line in vals]
                sure = ISet.union_of([x.sure for x in got])
                # (members certain of all they may be, as most are: the union once)
                poss = sure if all(x.poss is x.sure for x in got) else ISet.union_of([x.poss for x in got])
                a = Addr(sure, poss, tuple(r for x in got for r in x.refs), next((x.why for x in got if x.why), ""))
                if not a.why:  # (all understood: the same members stand for the same again)
                    self._addresses[ck] = a
        return a

    def traffic(self, d: Def, chain: tuple, apps: list, services: list, what: str, why: list) -> tuple:
        """(certain, possible) (protocol, sport, dport) triples of the rule's applications and services."""
        key = (chain, _names(apps), _names(services))
        got = self._traffic.get(key)
        if got is not None:  # (the same applications and services, all understood: as before)
            return got
        mine: list[str] = []
        got = self._traffic_of(d, chain, apps, services, what, mine)
        if mine:
            why.extend(mine)
        else:
            self._traffic[key] = got
        return got

    def _traffic_of(self, d: Def, chain: tuple, apps: list, services: list, what: str, why: list) -> tuple:
        objs = self.objs
        if not services:
            why.append("its services are missing")
            return (), SVC_ALL
        missing = not apps  # (PAN-OS requires the applications, as the services: not read, they may be any)
        if missing:
            why.append("its applications are missing")
            apps = [("any", d.line)]
        app_any = any(a == "any" for a, _ in apps)
        if len(services) > 1 and objs.any_among(services, "service", what):
            svc_mixed = True  # certain: the other services; possible: any
            services = [x for x in services if x[0] != "any"]
            why.append("its services name 'any' with other services")
        else:
            svc_mixed = False
        names = [s for s, _ in services]
        named_any = objs.named_any_service(chain, d.line, what) if "any" in names else None
        if named_any is not None:
            svc_sure, svc_poss = named_any.sure, named_any.poss
            why.append("its services include %s" % named_any.why)
        elif "any" in names:
            svc_sure, svc_poss = SVC_ALL, SVC_ALL
        else:
            svc_sure, svc_poss = [], []
            for s, line in services:
                if s == "application-default":
                    continue
                x = objs.service(chain, s, line, what)
                svc_sure.extend(x.sure)
                svc_poss.extend(x.poss)
                if x.why:
                    why.append("its services include %s" % x.why)
            if "application-default" in names:
                if app_any:
                    why.append("its services include application-default for any application "
                               "(each application's default ports are App-ID's)")
                    svc_poss = list(SVC_ALL)
                else:
                    for a, line in apps:
                        x = objs.application(chain, a, line, what)
                        svc_poss.extend(x.default if x.default is not None else
                                        (x.scope if x.scope is not None else SVC_ALL))
            if svc_poss == svc_sure:  # (every service understood: its certain packets are its possible ones)
                svc_sure = svc_poss = _merge(svc_sure)
            else:
                svc_sure, svc_poss = _merge(svc_sure), _merge(svc_poss)
            if svc_mixed:
                svc_poss = SVC_ALL
        if app_any and len(apps) > 1 and objs.any_among(apps, "application", what):
            # as 'any', the packets above; as the other applications, some of them (App-ID): certain of none
            for a, line in apps:
                if a != "any":
                    objs.application(chain, a, line, what)
            why.append("its applications name 'any' with other applications")
            return (), svc_poss
        if app_any:
            return ((), svc_poss) if missing else (svc_sure, svc_poss)
        # specific applications: certain of nothing, possibly the services' packets that they may be
        scopes: list | None = []
        for a, line in apps:
            x = objs.application(chain, a, line, what)
            scopes = None if scopes is None or x.scope is None else scopes + list(x.scope)
        why.append("its applications (%s) are identified by App-ID" % ", ".join(a for a, _ in apps[:4]))
        if scopes is not None:
            svc_poss = _meet(svc_poss, scopes)
        return (), svc_poss

    # --- default rules -----------------------------------------------------------------------------
    def default(self, intra: bool) -> tuple[Action, Source | None, str]:
        """The action of the default rule for traffic within a zone (``intra``) or between
        zones, the line that sets it (``None``: the predefined rule), and why."""
        name = "intrazone-default" if intra else "interzone-default"
        for sp in (self.sp, self.col.spaces.get(PANORAMA)):
            if sp is None:
                continue
            d = sp.defaults.get(name)
            if d is None:
                continue
            v, line = d.last("action")
            if v is None:
                continue
            act = ACTIONS.get(v) if isinstance(v, str) else None
            if act is None:
                self.lines.unrecognized(self.lines.source(line), "default rule %s: unknown action '%s'" % (name, v))
                continue
            return act, self.lines.source(line), "%s overridden to %s (PAN-OS default rule)" % (name, v)
        if intra:
            return Action.PERMIT, None, "intrazone default allow (PAN-OS predefined rule intrazone-default)"
        return Action.DENY, None, "interzone default deny (PAN-OS predefined rule interzone-default)"

    def stage(self, a: str, b: str, head: Source | None) -> Stage:
        """The stage deciding traffic from zone ``a`` to zone ``b``."""
        name = self.pair(a, b)
        act, src, why = self.default(a == b)
        filters = (name,) if name in self.filters else ()
        return Stage(name, filters, act, src or head, why, stateful=True, sees="sent")


def _names(members: list) -> tuple:
    """The names of ``(name, line)`` members (usually one)."""
    if len(members) == 1:
        return (members[0][0],)
    return tuple([m for m, _ in members])


def _cubes(src: ISet, dst: ISet, svcs) -> PacketSet:
    if not src or not dst:
        return NOTHING
    return PacketSet.of_cubes([Cube(src, dst, p, sp, dp) for p, sp, dp in svcs if p and sp and dp])


def _merge(svcs) -> tuple:
    """The same packets as ``svcs`` (protocol, sport, dport) triples, in fewer triples: those sharing
    a protocol and source ports joined on their ports, then those sharing ports joined on their
    protocols (a group of TCP services is one triple, as an ASA object-group is one entry)."""
    if len(svcs) < 2:
        return tuple(svcs)
    by_ps: dict = {}
    for p, sp, dp in svcs:
        k = (p, sp)
        by_ps[k] = by_ps[k].union(dp) if k in by_ps else dp
    by_ports: dict = {}
    for (p, sp), dp in by_ps.items():
        k = (sp, dp)
        by_ports[k] = by_ports[k].union(p) if k in by_ports else p
    return tuple((p, sp, dp) for (sp, dp), p in by_ports.items())


def _meet(svcs, scopes) -> tuple:
    """The parts of ``svcs`` triples inside some ``scopes`` triple."""
    out = []
    for p, sp, dp in svcs:
        for q, sq, dq in scopes:
            pi, si, di = p.intersect(q), sp.intersect(sq), dp.intersect(dq)
            if pi and si and di:
                out.append((pi, si, di))
    return tuple(dict.fromkeys(out))

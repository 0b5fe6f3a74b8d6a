"""``config firewall policy`` -> one filter per (source, destination) interface or zone pair, and paths.

A policy applies to every pair of its ``srcintf`` x ``dstintf`` (``any`` is every interface;
a zone stands for its member interfaces); it appears in each pair's filter, in rulebase
order, with the same ``Source`` (its ``edit`` line).  A path from interface A to interface B
evaluates the pair filter of (A's zone or A, B's zone or B), then the implicit deny (policy 0),
or, between two interfaces of one zone with ``intrazone allow``, an implicit permit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import Action, AddressRef, Filter, Impact, Path, Stage, new_rule
from auditor.core.packets import ALL, ALL_ADDR, ALL_V4, ALL_V6, EMPTY, NOTHING, Cube, ISet, PacketSet, cube
from parsers.fortios import ignored as IG
from parsers.fortios import profiles as PROF
from parsers.fortios.services import ANY_SVC, Svc

# settings a policy uses (the rest: ignored with IG.POLICY_NO_EFFECT's reason, or reported)
USED = {"srcintf", "dstintf", "srcaddr", "dstaddr", "srcaddr6", "dstaddr6", "srcaddr4", "dstaddr4", "service",
         "action", "status", "schedule", "srcaddr-negate", "dstaddr-negate", "service-negate", "session-ttl",
         "match-vip", "internet-service", "internet-service-src", "users", "groups", "fsso-groups",
         "application", "app-category", "app-group", "url-category", "vpntunnel", "inbound", "outbound",
         "ztna-status", "ztna-ec-tag", "ztna-tags-match-logic", "ztna-geo-tag", "internet-service-name",
         "internet-service-id", "internet-service-group", "internet-service-custom", "internet-service-custom-group",
         "internet-service-src-name", "internet-service-src-id", "internet-service-src-group",
         "internet-service-src-custom", "internet-service-src-custom-group", "internet-service6",
         "internet-service6-name", "internet-service6-src", "internet-service6-src-name", "srcaddr6-negate",
         "dstaddr6-negate", "internet-service-negate", "internet-service-src-negate", "tos", "tos-mask",
         "tos-negate", "vlan-filter", "sgt-check", "sgt", "reputation-minimum", "reputation-direction",
         "src-vendor-mac", "dynamic-shaping", "match-vip-only", "ip-version-type", "policy-behaviour-type",
         "network-service-dynamic", "network-service-src-dynamic", "auth-cert", "uuid-idx",
         "application-list", "profile-type", "profile-group", "_unknown", "http-policy-redirect",
         "ssh-policy-redirect", "disclaimer", "email-collect", "captive-portal-exempt", "wccp", "nat46", "nat64",
         # (read only with internet-service6 / -src enable, which makes the match unknown)
         "internet-service6-custom", "internet-service6-group", "internet-service6-custom-group",
         "internet-service6-src-custom", "internet-service6-src-group", "internet-service6-src-custom-group",
         "internet-service6-negate", "internet-service6-src-negate", "internet-service-fortiguard",
         "internet-service-src-fortiguard", "internet-service6-fortiguard", "internet-service6-src-fortiguard",
         "reputation-minimum6", "reputation-direction6", "ztna-ems-tag", "ztna-ems-tag-secondary",
         "ztna-device-ownership", "policy-expiry"}


_SPECIAL = {"users", "groups", "fsso-groups", "application", "app-category", "app-group", "url-category",
            "ztna-ec-tag", "ztna-geo-tag", "vlan-filter", "sgt", "reputation-minimum", "src-vendor-mac",
            "network-service-dynamic", "network-service-src-dynamic", "internet-service", "internet-service-src",
            "internet-service6", "internet-service6-src", "ztna-status", "reputation-minimum6", "ztna-ems-tag",
            "ztna-ems-tag-secondary", "ztna-device-ownership", "policy-expiry"}


# conditions a policy may add that are not modelled: the policy's match is unknown
_CONDITIONS = (("users", "users"), ("groups", "user groups"), ("fsso-groups", "FSSO groups"),
              ("application", "applications"), ("app-category", "application categories"),
              ("app-group", "application groups"), ("url-category", "URL categories"),
              ("ztna-ec-tag", "ZTNA tags"), ("ztna-geo-tag", "ZTNA tags"), ("vlan-filter", "VLAN filter"),
              ("sgt", "security group tags"), ("reputation-minimum", "reputation"),
              ("src-vendor-mac", "device vendors"), ("network-service-dynamic", "dynamic services"),
              ("network-service-src-dynamic", "dynamic services"), ("reputation-minimum6", "reputation"),
              ("ztna-ems-tag", "ZTNA tags"), ("ztna-ems-tag-secondary", "ZTNA tags"))
# a condition's value that sets none, as 'show full-configuration' and API-built CLI spell out the default: an empty
# value ('set vlan-filter ""'), a minimum reputation of 0 (FortiOS CLI Reference, "config firewall policy":
# 'reputation-minimum', 0 to 4294967295, default 0: no reputation required)
_NO_CONDITION = {"reputation-minimum": ("", "0"), "reputation-minimum6": ("", "0")}
# switches a policy may turn on that make its match depend on what the configuration does not hold: the time it
# expires ("a policy is inactive due to the policy expiration feature ... the traffic will match the implicit deny",
# Fortinet KB 222790, "Technical Tip: Configuring a schedule firewall policy expiration"), ZTNA device ownership;
# 'disable', their default, changes nothing
_SWITCHES = (("policy-expiry", "policy expiry"), ("ztna-device-ownership", "ZTNA device ownership"))
# settings not otherwise read whose value here is the default that turns their feature off (as 'show
# full-configuration' writes it); any other value is reported as not understood
_OFF = {"wanopt": ("disable",), "permit-any-host": ("disable",), "permit-stun-host": ("disable",)}
_FULL_CONE = {"permit-any-host": "full cone NAT (permit-any-host enable)",
              "permit-stun-host": "NAT open to STUN hosts (permit-stun-host enable)"}


@dataclass
class Built:
    filters: dict = field(default_factory=dict)
    paths: list = field(default_factory=list)
    remarks: list = field(default_factory=list)
    address_refs: list = field(default_factory=list)
    placed: list = field(default_factory=list)  # (policy entry, [(filter name, rule index)])


def build(p, interfaces, vips) -> Built:
    """The pair filters and paths of parser ``p``'s policies over ``interfaces``, with the VIPs ``vips``."""
    ln = p.lines
    out = Built()
    names = [i.name for i in interfaces]
    side_of = {i.name: (i.zone or i.name) for i in interfaces}
    zone_members: dict[str, list[str]] = {}
    for i in interfaces:
        if i.zone:
            zone_members.setdefault(i.zone, []).append(i.name)
    sides = list(dict.fromkeys(side_of[n] for n in names))
    extra_sides: list[str] = []  # names policies use that no interface block defines (partial input)
    per_pair: dict[tuple[str, str], list] = {}
    # which VIPs enabled policies name (a VIP is applied only then, in policy-based NAT)
    vip_like = (p.book.vip, p.book.vipgrp)
    for ent in p.policies:
        if ent.one("status") == "disable":
            continue
        for n in ent.get("dstaddr", []) + ent.get("dstaddr4", []):  # (dstaddr4: a consolidated policy's)
            if n in vip_like[0] or n in vip_like[1]:  # (``Vips.members``: None for any other name)
                for v in vips.members(n) or []:
                    vips.used.add(v)
    translated = vips.translated() if not vips.central else PacketSet()
    active = vips.active()
    mapped = ISet.union_of([v.mapped for v in active])  # (the addresses the active VIPs translate to)
    translated_dst = EMPTY
    for c in translated.cubes:
        translated_dst = translated_dst.union(c.dims[1])
    match_vip_default = _match_vip_default(p.version)

    side_memo: dict[tuple, list[str]] = {}  # the sides of a list of names that needed no diagnostic

    def resolve_sides(ent, setting: str, scope: str) -> list[str] | None:
        """The sides the interfaces or zones of ``ent``'s ``setting`` (srcintf, dstintf) name; None: every side."""
        v = ent.settings.get(setting)
        words = v[0] if v is not None else []
        key = tuple(words)
        got = side_memo.get(key)
        if got is not None:
            return got
        at = ent.at(setting)
        got = []
        clean = True
        for w in words:
            if w.lower() == "any":
                return None  # (every side: placed once every policy has named its sides, below)
            if w in p.down:
                continue  # (an interface set down: no traffic enters or leaves it)
            if w in side_of:
                if side_of[w] != w:
                    clean = False
                    ln.unrecognized(ln.source(at), "interface %s is a member of zone %s: FortiOS lets policies name "
                                    "the zone only; taken as the zone" % (w, side_of[w]), Impact.FILTER, scope)
                got.append(side_of[w])
            elif w in zone_members or w in p.zones or w in p.sdwan_zones:
                got.append(w)
                if w not in sides and w not in extra_sides:
                    extra_sides.append(w)
            elif p.have_interfaces:
                clean = False
                ln.undefined(w, "interface or zone", ln.source(at), scope)
            else:
                if w not in extra_sides:
                    extra_sides.append(w)
                got.append(w)
        got = list(dict.fromkeys(got))
        if clean:
            side_memo[key] = got
        return got

    found: list = []  # (policy, its line, its rule, its source sides, its destination sides)
    for ent in p.policies:
        kind = p.policy_kind[id(ent)]
        scope = "firewall %s %s" % (kind, ent.name)
        src = ln.source(ent.line)
        rule = _policy_rule(p, ent, kind, scope, vips, (translated, translated_dst, active, mapped), match_vip_default)
        if rule is None:
            continue
        out.address_refs.extend(rule[4])
        ssides = resolve_sides(ent, "srcintf", scope)
        dsides = resolve_sides(ent, "dstintf", scope)
        found.append((ent, src, rule, ssides, dsides))
    # 'any' is every interface and zone, those partial input names only in a later policy as well
    # (``show firewall policy`` output, without interface blocks: an any->any deny above a port1->port2
    # accept is still the first match there)
    every = sides + extra_sides
    for ent, src, rule, ssides, dsides in found:
        action, match, maybe, enabled, refs, note, sure_action = rule
        ssides = every if ssides is None else ssides
        dsides = every if dsides is None else dsides
        placed = []
        remark = ln.source(ent.at("comments")) if ent.get("comments") else None
        for a in ssides:
            for b in dsides:
                lst = per_pair.setdefault((a, b), [])
                fname = "%s->%s" % (a, b)
                placed.append((fname, len(lst)))
                lst.append(new_rule(fname, len(lst), action, match, src, enabled, maybe, False, refs, note,
                                    sure_action=sure_action))
                if remark is not None:
                    out.remarks.append((fname, remark))
        out.placed.append((ent, placed))
    for (a, b), rules in per_pair.items():
        fname = "%s->%s" % (a, b)
        out.filters[fname] = Filter(fname, tuple(rules), rules[0].source if rules else None, kind="zone-pair")
    # paths: every ordered pair of interfaces; the implicit deny ends the VDOM's policy table (its
    # 'config firewall policy' line, else policy6's; without one, the input's head)
    at = p.policy_line.get("policy", p.policy_line.get("policy6"))
    head = ln.source(at) if at is not None else ln.head()
    sees = "routed" if vips.central else "sent"
    # (a backup of several VDOMs: the stages and the implicit deny name the VDOM that decides; fix.py reads it off)
    in_vdom = vdom_words(p)
    all_ifaces = names + [s for s in extra_sides if s not in side_of and s not in zone_members
                          and s not in p.zones and s not in p.sdwan_zones]
    side_of.update({s: s for s in all_ifaces if s not in side_of})
    nets_of = {i.name: i.networks for i in interfaces}
    hairpin = _Hairpin(p, out.filters, head, sees, vips.translated())
    for a in all_ifaces:
        for b in all_ifaces:
            if a == b:
                out.paths.extend(hairpin.paths(a, nets_of.get(a, EMPTY), side_of[a]))
                continue
            sa, sb = side_of[a], side_of[b]
            fname = "%s->%s" % (sa, sb)
            filters = (fname,) if fname in out.filters else ()
            default, dsrc, why = Action.DENY, head, "implicit deny (policy 0)%s: no firewall policy from %s to %s " \
                                                     "matches" % (in_vdom, sa, sb)
            if sa == sb and sa in p.zones:
                z = p.zones[sa][1]
                if z.one("intrazone", "deny") == "allow":
                    default, dsrc = Action.PERMIT, ln.source(z.at("intrazone"))
                    why = "intrazone allow: traffic between interfaces of zone %s is permitted when no policy " \
                          "matches it" % sa
            out.paths.append(Path(a, b, (Stage("policy %s%s" % (fname, in_vdom), filters, default, dsrc, why,
                                               sees=sees),)))
    return out


# traffic routed back out of the interface it came in on (Fortinet KB 196651, "Technical Tip: Traffic handled by
# FortiGate for packets with ingress & egress as same interface", FD36468; FortiOS 7.0.18 Administration Guide,
# "Firewall anti-replay option per policy"): see _Hairpin
_KB = "Fortinet KB 196651 (FD36468)"
_GUIDE = "FortiOS 7.0.18 Administration Guide, 'Firewall anti-replay option per policy'"
_SETTING = {4: "allow-traffic-redirect", 6: "ipv6-allow-traffic-redirect"}


def _ver(ver) -> str:
    return ".".join(map(str, ver))


def _redirect_default(ver) -> str | None:
    """``allow-traffic-redirect``'s (and ``ipv6-allow-traffic-redirect``'s) default: ``disable`` from 7.4.10, 7.6.5
    and 8.0.0 (an upgrade to them sets it so), ``enable`` before (KB 196651); None: the version is not known (or a
    7.5 or 7.7 one, which the article does not name)."""
    if ver is None:
        return None
    if ver >= (8, 0, 0) or (7, 6, 5) <= ver < (7, 7, 0) or (7, 4, 10) <= ver < (7, 5, 0):
        return "disable"
    if ver < (7, 5, 0) or ver[:2] == (7, 6):
        return "enable"
    return None


def _redirects_others(ver) -> bool | None:
    """With ``allow-traffic-redirect enable``, whether traffic from a source that is not on the interface's networks
    is forwarded without a policy check: not before 7.0.16, 7.2.11 and 7.4.4 (a policy must match it), from those
    on (KB 196651: "after 7.0.16, 7.2.11, and 7.4.4, the behavior was changed"; the 7.0.18 guide: "either on the
    same network as or on a different subnet ... redirected without the need for a policy"; KB 196651 today: with
    enable "without requiring a matching Firewall Policy"); None: the version is not known, or a 7.1, 7.3 or 7.5
    one, which the documents do not name."""
    if ver is None:
        return None
    if ver < (7, 0, 0):
        return False
    if ver[:2] in ((7, 0), (7, 2), (7, 4)):
        return ver[2] >= {0: 16, 2: 11, 4: 4}[ver[1]]
    return True if ver >= (7, 6, 0) else None


class _Hairpin:
    """The paths from an interface back out of itself.

    Two hosts of one connected network of the interface talk directly (not through the FortiGate).  The rest is
    routed back out of the interface it came in on, which ``config system global`` /
    ``set allow-traffic-redirect enable|disable`` decides (``ipv6-allow-traffic-redirect`` for IPv6, the
    "IPv6-equivalent"), as long as no VIP translates it (KB 196651: "with no VLAN tag change, no DNAT, or no IPSEC
    encapsulation/decapsulation"; a VIP's traffic meets the policies):

    * ``disable``: "the traffic will have to be matched by an IPv4 policy ... If no IPv4 policy matches the
      traffic, then it will match the implicit deny policy" (KB 196651; the 7.0.18 guide): the policies from the
      interface (its zone) to itself, then the implicit deny;
    * ``enable``: traffic from a source on the interface's networks "will be redirected without the need for a
      policy, solely based on the routing decision"; from other sources, per ``_redirects_others``;
    * where which of the two applies is not known (the setting left at a default the version does not tell, or
      the version for other sources), the traffic the policies do not permit is unknown.

    The same-interface traffic of a zone member with ``intrazone allow``: whether that implicit permit ("between
    interfaces of the zone") takes it is not documented, so what no policy decides is unknown.
    """

    def __init__(self, p, filters: dict, head, sees: str, translated: PacketSet):
        self.p, self.filters, self.head, self.sees, self.translated = p, filters, head, sees, translated
        self.gates: dict[str, str] = {}  # reason -> the name of its gate filter (``gate``)

    def paths(self, a: str, nets: ISet, side: str) -> list[Path]:
        out = []
        if self.translated:
            out.append(Path(a, a, (self.policy(a, side, None, "a VIP translates it (KB 196651: only traffic "
                                                               "with no DNAT is redirected)"),),
                            scope=self.translated))
        explicit = self.p.explicit_switches.get(a)
        for lo, hi in nets.iv:
            net = ISet.of(lo, hi)
            scope = PacketSet([cube(src=net, dst=net)])
            if explicit is not None:
                # a software switch whose members' traffic must match a policy (Parser.block): two hosts on one
                # member port still talk directly, and which port each host is on is not in the configuration
                line, value = explicit
                how = ("'intra-switch-policy %s': software switch %s's traffic between its member ports must match "
                       "a firewall policy (CLI Reference, \"config system switch-interface\"); hosts on one member "
                       "port talk directly, and which port each host is on is not in the configuration" % (value, a))
                out.append(Path(a, a, (self.policy(a, side, self.p.lines.source(line), how, how),), scope=scope))
                continue
            out.append(Path(a, a, (), crosses=False, scope=scope,
                            note="both ends are on a connected network of interface %s: the traffic does not "
                                 "reach the FortiGate" % a))
        for fam, universe in ((4, ALL_V4), (6, ALL_V6)):
            local = nets.intersect(universe)
            for scope, on_net in ((PacketSet([cube(src=local, dst=universe)]), True),
                                  (PacketSet([cube(src=universe, dst=universe)]), False)):
                if on_net and not local:
                    continue
                out.append(Path(a, a, (self.stage(a, side, fam, on_net),), scope=scope))
        return out

    def stage(self, a: str, side: str, fam: int, on_net: bool) -> Stage:
        """The stage of the traffic of family ``fam`` routed back out of ``a`` (``on_net``: from its networks)."""
        key = _SETTING[fam]
        ver = self.p.version
        got = self.p.redirect.get(key)
        value = got[0] if got is not None and got[0] in ("enable", "disable") else None
        src = self.p.lines.source(got[1]) if got is not None else self.head
        if got is not None and value is None:
            said = "'%s %s' is not understood" % (key, got[0])
        elif value is not None:
            said = "'set %s %s'" % (key, value)
        else:
            value = _redirect_default(ver)
            said = "%s's default (%s)" % (key, "%s on FortiOS %s" % (value, _ver(ver)) if value else
                                         "disable from 7.4.10, 7.6.5 and 8.0, enable before; the firmware version "
                                         "%s" % ("is not known" if ver is None else "%s is not one it names"
                                                 % _ver(ver)))
        on = "on" if on_net else "not on"
        others = None if on_net else _redirects_others(ver)
        if value == "disable":
            return self.policy(a, side, src, "%s: traffic routed back out of interface %s must match a "
                                                    "firewall policy (%s)" % (said, a, _KB))
        if value == "enable" and (on_net or others):
            return Stage("%s %s" % (key, a), (), Action.PERMIT, src,
                         "%s: traffic routed back out of interface %s, the one it came in on, from a source %s its "
                         "networks, is forwarded without a policy check (%s%s)"
                         % (said, a, on, _KB, "" if on_net else "; " + _GUIDE),
                         sees=self.sees)
        if value == "enable" and others is False:
            return self.policy(a, side, src, "%s: on FortiOS %s, traffic routed back out of interface %s from a "
                               "source not on its networks must still match a firewall policy (%s; redirected without "
                               "one from 7.0.16, 7.2.11 and 7.4.4)" % (said, _ver(ver), a, _KB))
        if value == "enable":
            doubt = "%s, FortiOS %s: whether traffic routed back out of the interface it came in on, from a source " \
                    "not on its networks, is forwarded without a policy check is not known (%s: from 7.0.16, 7.2.11 " \
                    "and 7.4.4 on; before, a policy must match it)" \
                    % (said, "version not known" if ver is None else _ver(ver), _KB)
        else:
            doubt = "%s: whether traffic routed back out of the interface it came in on, from a source %s its " \
                    "networks, is forwarded without a policy check (enable) or must match a policy (disable) is not " \
                    "known (%s)" % (said, on, _KB)
        return self.policy(a, side, src, doubt, doubt)

    def gate(self, src, why: str) -> str:
        """The filter of one rule that may permit anything, certain only where the policies after it permit: what
        they do not is unknown, for ``why`` (one filter for each reason, whichever interface)."""
        name = self.gates.get(why)
        if name is None:
            name = self.gates[why] = "same-interface traffic (%d)" % (len(self.gates) + 1)
            self.filters[name] = Filter(name, (new_rule(name, 0, Action.PERMIT, NOTHING, src, maybe=ALL, note=why,
                                                        builtin=True, sure_action=True),), src, kind="derived")
        return name

    def policy(self, a: str, side: str, src, why: str, doubt: str = "") -> Stage:
        """The policies from ``side`` to itself, then the implicit deny at ``src`` (None: the policy table's line);
        ``doubt``: what no policy permits is unknown, for that reason."""
        fname = "%s->%s" % (side, side)
        names = (fname,) if fname in self.filters else ()
        zone = self.p.zones.get(side)
        src = self.head if src is None else src
        if doubt:  # (before the policies: a deny policy decides nothing when no policy is checked)
            names = (self.gate(src, doubt),) + names
        elif zone is not None and zone[1].one("intrazone", "deny") == "allow":
            names += (self.gate(src, "zone %s has 'intrazone allow', which permits traffic between interfaces of "
                                "the zone that no policy matches: whether it permits traffic routed back out of the "
                                "interface it came in on is not documented" % side),)
        return Stage("policy %s%s" % (fname, vdom_words(self.p)), names, Action.DENY, src, "implicit deny "
                     "(policy 0)%s: %s; no firewall "
                     "policy from %s to %s matches" % (vdom_words(self.p), why, side, side), sees=self.sees)


def vdom_words(p) -> str:
    """`` in VDOM NAME`` for a configuration of several VDOMs (each its own device), else nothing."""
    return " in VDOM %s" % p.vdom if p.multi else ""


def _match_vip_default(ver) -> bool | None:
    """``match-vip``'s default for deny policies: enable from 7.2.4 (None: the version is not known)."""
    if ver is None or ver[:3] == (7, 2, 3):
        return None
    return ver >= (7, 2, 4)


def _meets(a: list, b: list, dst: ISet) -> bool:
    """Whether any of the cubes ``a`` or ``b`` reaches a destination in ``dst`` (a cheap first test)."""
    if not dst:
        return False
    for c in a:
        if c.dims[1].overlaps(dst):
            return True
    for c in b:
        if c.dims[1].overlaps(dst):
            return True
    return False


_V4_FAMILY = (4, "srcaddr", "dstaddr", "srcaddr-negate", "dstaddr-negate")


def _given(settings: dict, key: str) -> bool:
    """Whether ``key`` is set to at least one value (``Entry.get(key)`` is not empty)."""
    v = settings.get(key)
    return v is not None and bool(v[0])


def _not_services(svcs: list[Svc]) -> list[Svc]:
    """Every service but ``svcs`` (a policy's ``service-negate``), as service parts."""
    named = PacketSet([cube(dst=s.dst, proto=s.proto, sport=s.sport, dport=s.dport) for s in svcs])
    return [Svc(c.dims[2], c.dims[3], c.dims[4], ALL_ADDR if c.dims[1] == ALL_ADDR else c.dims[1])
            for c in ALL.subtract(named).cubes]


def _merged(cubes: list) -> list:
    """The same packets in fewer cubes: parts differing only in destination ports (then only in
    protocol) become one cube (a service of several port ranges is one cube, as an ASA service group)."""
    if len(cubes) < 2:
        return cubes
    # (keyed by the sets' intervals, which is what their equality and hash are, without a call of
    # ISet.__hash__ per set; each group keeps its first cube's sets)
    by: dict = {}
    for c in cubes:
        d = c.dims
        k = (d[0].iv, d[1].iv, d[2].iv, d[3].iv)
        got = by.get(k)
        by[k] = (d, d[4]) if got is None else (got[0], got[1].union(d[4]))
    by2: dict = {}
    for d, dp in by.values():
        k = (d[0].iv, d[1].iv, d[3].iv, dp.iv)
        got = by2.get(k)
        by2[k] = (d, dp, d[2]) if got is None else (got[0], got[1], got[2].union(d[2]))
    return [Cube(d[0], d[1], p, d[3], dp) for d, dp, p in by2.values()]


def profile_setting(p, ent, key: str) -> list[str]:
    """The names a policy's security profile setting ``key`` (``application-list``, ``ips-sensor``) gives: its
    own, or with ``profile-type group`` its profile group's (none for a group not in the input)."""
    if ent.one("profile-type") == "group":
        return p.profile_groups.get((ent.get("profile-group") or [""])[0], {}).get(key, [])
    return ent.get(key) or []


def _profiles(p, ent, scope: str, why: list[str]) -> bool:
    """Whether the security profiles of accept policy ``ent`` (its own, or its ``profile-group``'s with
    ``profile-type group``) may drop sessions the policy accepts, whatever application they are: its application
    control list, or an IPS sensor while the input defines custom IPS signatures (reported at the list's or the
    signature's line; ``why`` told).

    Application control acts on the sessions a policy has accepted: an application its list blocks is dropped
    (or reset) whatever later policies say (FortiOS Administration Guide, "Application control").  Which
    application a connection is, FortiGuard's signatures decide, not the configuration: where the list may
    block anything (``build.app_lists``), what the policy does to its traffic is unknown.  An IPS sensor's
    predefined signatures "detect attacks" (FortiOS 6.0 CLI Reference, "ips rule"), which Prinergy's own
    traffic is not taken to be; but "custom signatures can be used to block or allow specific traffic"
    ("ips custom", https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/99874), any TCP port or
    payload, and a sensor's filters (severity, OS, protocol ...) take in custom signatures too."""
    ln = p.lines
    if ent.one("profile-type") == "group":
        gname = (ent.get("profile-group") or [""])[0]
        at = ent.at("profile-group") if "profile-group" in ent.settings else ent.at("profile-type")
        if gname not in p.profile_groups:
            ln.unrecognized(ln.source(at), "policy %s uses security profile group %s, which is not in the input: "
                            "whether its application control drops the traffic it accepts is unknown"
                            % (ent.name, gname), Impact.FILTER, scope)
            why.append("profile group %s not in the input" % gname)
            return True
    else:
        at = ent.at("application-list") if ent.get("application-list") else None
    names = profile_setting(p, ent, "application-list")
    sensors = profile_setting(p, ent, "ips-sensor")
    doubt = False
    for name in names:
        drop = p.app_drop.get(name)
        if drop is None:
            ln.unrecognized(ln.source(at), "policy %s uses application control list %s, which is not in the input: "
                            "whether it drops the traffic the policy accepts is unknown" % (ent.name, name),
                            Impact.FILTER, scope)
            why.append("application list %s not in the input" % name)
            doubt = True
        elif drop:
            line, what = drop[0]
            if name not in p.app_told:
                p.app_told.add(name)
                ln.unrecognized(ln.source(line), "application control list %s may drop sessions its accept policies "
                                "(the first: %s) accept: %s; which application a connection is, FortiGuard's "
                                "signatures decide, so what those policies do to their traffic is unknown"
                                % (name, ent.name, what), Impact.FILTER, "application list %s" % name)
            why.append("application list %s may drop it: %s at line %d" % (name, what, line + 1))
            doubt = True
    if sensors and p.ips_custom is not None:
        if "ips custom" not in p.app_told:
            p.app_told.add("ips custom")
            ln.unrecognized(ln.source(p.ips_custom), "custom IPS signatures may match and block any traffic of the "
                            "accept policies with an IPS sensor (the first: %s): what those policies do to their "
                            "traffic is unknown" % ent.name, Impact.FILTER, "ips custom")
        why.append("IPS sensor %s with custom signatures (line %d)" % (sensors[0], p.ips_custom + 1))
        doubt = True
    return doubt


# accept policy settings that send the traffic elsewhere than the packet's destination (FortiOS CLI Reference,
# "config firewall policy"): "wccp: Enable/disable forwarding traffic matching this policy to a configured WCCP
# server"; 'nat46' / 'nat64': the policy translates IPv4 to IPv6 (or back), so the packet leaves in the other family
_ELSEWHERE = (("wccp", "forwards its traffic to a WCCP cache server (wccp enable)"),
              ("nat46", "translates its IPv4 traffic to IPv6 (nat46 enable)"),
              ("nat64", "translates its IPv6 traffic to IPv4 (nat64 enable)"))


def _held(p, ent, scope: str, why: list[str]) -> bool:
    """Whether accept policy ``ent`` holds its traffic until a user at the source does something the configuration
    does not say (reported at its line, ``why`` told): a disclaimer to accept ("users behind port2 will have to
    accept the disclaimer to get further internet access", Fortinet KB 198703, "Technical Tip: Configuring a
    disclaimer page on a FortiGate"), an e-mail address to give ('email-collect'), or, from an interface with
    'security-mode' (captive portal or 802.1X: "Turn on captive portal authentication for this interface", CLI
    Reference, "config system interface"), a login, unless the policy sets 'captive-portal-exempt enable'."""
    ln = p.lines
    held = False
    for key, what in (("disclaimer", "a disclaimer page its users must accept"),
                      ("email-collect", "a page collecting its users' e-mail addresses")):
        if key in ent.settings and ent.one(key) not in ("disable", ""):
            ln.unrecognized(ln.source(ent.at(key)), "policy %s shows %s before it passes their traffic: whether "
                            "they have is not in the configuration" % (ent.name, what), Impact.FILTER, scope)
            why.append("%s (line %d)" % (key, ent.at(key) + 1))
            held = True
    if p.portal and ent.one("captive-portal-exempt") != "enable":
        names = set(ent.get("srcintf") or ())
        if any(n.lower() == "any" for n in names):
            names = set(p.portal)
        for z, (members, _e) in p.zones.items():
            if z in names:
                names.update(members)
        for z, members in p.sdwan_zones.items():
            if z in names:
                names.update(members)
        for name in sorted(names.intersection(p.portal)):
            line = p.portal[name]
            # (once per interface, at its line: the first policy it holds is named)
            _told(p, scope)(line, "interface %s authenticates its users (captive portal or 802.1X) before its "
                            "accept policies (the first: %s) pass their traffic: who has logged in is not in the "
                            "configuration" % (name, ent.name), "security-mode %s" % name)
            why.append("users of interface %s must log in (line %d)" % (name, line + 1))
            held = True
    return held


_INSPECTING = frozenset(PROF.SETTINGS)


def _told(p, scope: str):
    """``report(line, text, key)`` for ``profiles.scoped``: a profile that may block, reported once at its line."""
    def report(line: int, text: str, key: str) -> None:
        if key not in p.app_told:
            p.app_told.add(key)
            p.lines.unrecognized(p.lines.source(line), text, Impact.FILTER, key)
    return report


def _policy_rule(p, ent, kind, scope, vips, translated_pair, match_vip_default):
    """(action, match, maybe, enabled, address refs, note, whether its action is certain) of one policy."""
    translated, translated_dst, active, mapped = translated_pair
    ln = p.lines
    st = ent.settings
    sget = st.get
    why: list[str] = []
    doubt = False  # whether what it does when it matches is uncertain (not only whether it matches)
    reported: set[str] = set()
    # (the settings not in USED: those are marked with the whole entry below)
    for key, first, last in ln.ignore_settings(ent.history, IG.POLICY_NO_EFFECT):
        off = _OFF.get(key)
        if off is not None and all(v.lower() in off for v in ent.get(key, ())):
            ln.ignore(first, "%s: the default, the feature off" % key, last + 1)
            continue
        if key in _FULL_CONE:
            # full cone NAT (FortiOS CLI Reference, "config firewall policy": "permit-any-host: Enable/disable
            # fullcone NAT. Accept UDP packets from any host"; "permit-stun-host: Accept UDP packets from any
            # Session Traversal Utilities for NAT (STUN) host"; Administration Guide 7.6, "Full cone NAT for fixed
            # port range IP pools": external hosts "send packets to internal hosts through a mapped external IP
            # address and port"): inbound packets to the policy's translated sessions that no policy decides;
            # with policy-based NAT those are unknown (nat.full_cone, which reports the line), with central NAT
            # (whose SNAT maps are not modelled) every verdict is
            if not vips.central:
                ln.use(first, last + 1)
                continue
            ln.unrecognized(ln.source(first), "policy %s: %s: once a session it translates is open, %s may send "
                            "UDP packets to its mapped address and port, and the FortiGate forwards them to the "
                            "inside host with no policy deciding (not modelled)" % (ent.name, _FULL_CONE[key], (
                                "any outside host" if key == "permit-any-host" else "STUN hosts")), Impact.GLOBAL)
            continue
        ln.unrecognized(ln.source(first), "policy setting '%s' is not understood: the policy's match is unknown"
                        % key, Impact.FILTER, scope)
        if key not in reported:
            why.append("setting '%s' not understood" % key)
            reported.add(key)
        doubt = True
    for a, b in ent.spans:
        ln.use_span(a, b)
    if not (ent.name.isascii() and ent.name.isdigit()):
        # ("edit <policyid>", an integer, FortiOS CLI Reference, "config firewall policy"): the CLI refuses
        # another name (Unicode digits, '1a'), so the device has no such policy
        ln.unrecognized(ln.source(ent.line), "policy ID '%s' is not a number: FortiOS refuses the entry, which the "
                        "device does not have" % ent.name, Impact.FILTER, scope)
        why.append("ID not a number")
        doubt = True
    if "_unknown" in st:
        why.append("a block inside it is not understood")
        doubt = True
    v = sget("action")
    act = v[0][0].lower() if v and v[0] else "deny"
    action = Action.PERMIT if act in ("accept", "ipsec") else Action.DENY
    if act not in ("accept", "deny"):
        doubt = True
        if act == "ipsec":
            why.append("action ipsec (permits only traffic of its VPN tunnel)")
        else:
            ln.unrecognized(ln.source(ent.at("action")), "policy action '%s' not understood" % act, Impact.FILTER,
                            scope)
            why.append("action %s" % act)
    v = sget("status")
    enabled = not (v and v[0] and v[0][0].lower() == "disable")
    v = sget("schedule")
    sched = v[0] if v is not None else ["always"]
    if len(sched) != 1 or sched[0].lower() != "always":
        ln.unrecognized(ln.source(ent.at("schedule")), "policy %s applies only during schedule %s: its match is "
                        "unknown" % (ent.name, " ".join(sched)), Impact.FILTER, scope)
        why.append("schedule %s" % " ".join(sched))
    elif p.always_narrowed is not None:
        # (the input redefines 'always': Parser.always_narrowed)
        ln.unrecognized(ln.source(ent.at("schedule")), "policy %s uses schedule "
                        "always, which line %d redefines: its match is unknown"
                        % (ent.name, ln.source(p.always_narrowed[0]).line), Impact.FILTER, scope)
        why.append("schedule always as redefined")
    special = _SPECIAL.intersection(st)
    # "internet-service: ... If enabled, destination address and service are not used"; "internet-service-src:
    # ... If enabled, source address is not used" (FortiOS CLI Reference, "config firewall policy"; internet-service6
    # alike for IPv6): those sides are the ISDB entries' (every address, every service, as far as the model knows)
    isdb_src = isdb_dst = False
    if special:
        for key, what in _CONDITIONS:
            if any(w not in _NO_CONDITION.get(key, ("",)) for w in ent.get(key, ())):
                ln.unrecognized(ln.source(ent.at(key)), "policy %s matches only %s %s: its match is unknown"
                                % (ent.name, what, " ".join(ent.get(key))), Impact.FILTER, scope)
                why.append(what)
        for key in ("internet-service", "internet-service-src", "internet-service6", "internet-service6-src"):
            if key in special and ent.one(key) == "enable":
                src_side = key.endswith("-src")
                ln.unrecognized(ln.source(ent.at(key)), "policy %s uses Internet Service database entries (%s "
                                "enable): its %s are the entries', not in the configuration (%s not used)"
                                % (ent.name, key, "sources" if src_side else "destinations and services",
                                   "srcaddr is" if src_side else "dstaddr and service are"), Impact.FILTER, scope)
                why.append("Internet Service")
                isdb_src = isdb_src or src_side
                isdb_dst = isdb_dst or not src_side
        for key, what in _SWITCHES:
            if key in special and ent.one(key) == "enable":
                ln.unrecognized(ln.source(ent.at(key)), "policy %s has %s enabled: its match is unknown"
                                % (ent.name, what), Impact.FILTER, scope)
                why.append(what)
        if "ztna-status" in special and ent.one("ztna-status") == "enable":
            ln.unrecognized(ln.source(ent.at("ztna-status")), "ZTNA policy: its match is unknown", Impact.FILTER,
                            scope)
            why.append("ZTNA")
    if "tos-mask" in st and ent.get("tos-mask") and ent.one("tos-mask") not in ("0x00", "0"):
        ln.unrecognized(ln.source(ent.at("tos-mask")), "policy matches a TOS value: its match is unknown",
                        Impact.FILTER, scope)
        why.append("TOS")
    # "utm-status: Enable to add one or more security profiles (AV, IPS, etc.) to the firewall policy", default
    # disable (FortiOS CLI Reference 7.4.6, "config firewall policy"): with 'disable' its profiles are not applied.
    # Not set with profiles (a default not confirmed for every version): taken as applied
    utm = action is Action.PERMIT and ent.one("utm-status") != "disable"
    if utm and ("application-list" in st or "profile-group" in st or "ips-sensor" in st):
        doubt = _profiles(p, ent, scope, why) or doubt
    inspected = None  # (the packets its web filter, DLP, AV, SSL, DNS filter ... profiles may drop: profiles.py)
    if utm and (_INSPECTING.intersection(st) or "profile-group" in st):
        said: list[str] = []
        inspected = PROF.scoped(p, ent, lambda key: profile_setting(p, ent, key), _told(p, scope), said)
        if inspected:
            doubt = True
            note_extra = "; ".join(dict.fromkeys(said))
    if action is Action.PERMIT and (ent.one("http-policy-redirect") == "enable"
                                    or ent.one("ssh-policy-redirect") == "enable"):
        said = [note_extra] if inspected else []
        got = PROF.redirected(p, ent, lambda key: profile_setting(p, ent, key), scope, said)
        if got:
            inspected = got.union(inspected) if inspected else got
            doubt = True
            note_extra = "; ".join(dict.fromkeys(said))
    if action is Action.PERMIT:
        doubt = _held(p, ent, scope, why) or doubt
        for key, what in _ELSEWHERE:
            if key in st and ent.one(key) not in ("disable", ""):
                ln.unrecognized(ln.source(ent.at(key)), "policy %s %s: where its traffic goes, and whether it "
                                "arrives, is not modelled" % (ent.name, what), Impact.FILTER, scope)
                why.append("%s (line %d)" % (key, ent.at(key) + 1))
                doubt = True
    for key in ("srcintf", "dstintf"):
        v = sget(key)
        if not (v and v[0]):
            ln.unrecognized(ln.source(ent.line), "policy %s has no %s" % (ent.name, key), Impact.FILTER, scope)
            why.append("no %s" % key)
            doubt = True

    # addresses
    refs: list[AddressRef] = []
    fams = []
    v6_unsure: set[str] = set()  # srcaddr6 / dstaddr6 whose negation is not known: anything, maybe
    if kind == "policy6":
        fams.append((6, "srcaddr", "dstaddr", "srcaddr-negate", "dstaddr-negate"))
    elif "srcaddr4" not in st and "dstaddr4" not in st and "srcaddr6" not in st and "dstaddr6" not in st:
        fams.append(_V4_FAMILY)  # (the usual policy: what follows, when none of those is set)
    else:
        v4_named = _given(st, "srcaddr") or _given(st, "dstaddr") or _given(st, "srcaddr4")
        v6_named = _given(st, "srcaddr6") or _given(st, "dstaddr6")
        if v4_named or not v6_named:
            fams.append((4, "srcaddr4" if _given(st, "srcaddr4") else "srcaddr",
                         "dstaddr4" if _given(st, "dstaddr4") else "dstaddr", "srcaddr-negate", "dstaddr-negate"))
        if v6_named and kind == "consolidated policy":
            # (FortiOS 6.2 CLI Reference, "config firewall consolidated policy": one srcaddr-negate and one
            # dstaddr-negate, "When enabled srcaddr specifies what the source address must NOT be", for the
            # srcaddr4 and srcaddr6 alike: the table has no other)
            fams.append((6, "srcaddr6", "dstaddr6", "srcaddr-negate", "dstaddr-negate"))
        elif v6_named:
            fams.append((6, "srcaddr6", "dstaddr6", "srcaddr6-negate", "dstaddr6-negate"))
            # 'srcaddr-negate enable' beside srcaddr6 with no 'srcaddr6-negate' written (6.4 has no srcaddr6-negate,
            # 7.x has): whether it negates the IPv6 addresses too is not documented for every version, so the
            # IPv6 side it negates is unknown (anything); taken as not negated it could permit what it excludes
            for one, six, key in (("srcaddr-negate", "srcaddr6-negate", "srcaddr6"),
                                  ("dstaddr-negate", "dstaddr6-negate", "dstaddr6")):
                if six not in st and one in st and ent.one(one) == "enable":
                    ln.unrecognized(ln.source(ent.at(one)), "policy %s: whether '%s enable' negates its %s too "
                                    "(no '%s' is written) is not documented for every FortiOS version: its IPv6 "
                                    "match is unknown" % (ent.name, one, key, six), Impact.FILTER, scope)
                    why.append("%s with %s" % (one, key))
                    v6_unsure.add(key)
    # services
    sure_svc: list[Svc] = []
    maybe_svc: list[Svc] = []
    v = sget("service")
    if isdb_dst:
        maybe_svc.append(ANY_SVC)  # (its services are the ISDB entries': unknown, its 'service' not used)
    elif v and v[0]:
        at = v[1][-1]
        for n in v[0]:
            s, m, w = p.book.service(n, at, scope)
            sure_svc += s
            maybe_svc += m
            if w:
                told = [x for x in w if not x.startswith("undefined")]
                if told:
                    ln.unrecognized(ln.source(at), "; ".join(told) + ": packets the policy may match are unknown",
                                    Impact.FILTER, scope)
    else:
        ln.unrecognized(ln.source(ent.line), "policy %s has no service" % ent.name, Impact.FILTER, scope)
        why.append("no service")
    svc_negate = "service-negate" in st and ent.one("service-negate") == "enable" and not isdb_dst
    # the services a VIP's traffic is in for certain (vip_sure) or may be in (vip_all): with service-negate
    # ("When enabled service specifies what the service must NOT be", FortiOS CLI Reference, "config firewall
    # policy"), every service but those named, as the address objects' part below
    if svc_negate:
        vip_sure, vip_all = _not_services(sure_svc + maybe_svc), _not_services(sure_svc)
    else:
        vip_sure, vip_all = sure_svc, sure_svc + maybe_svc

    match_cubes: list = []
    maybe_cubes: list = []
    deny_vip = action is Action.DENY and (ent.one("match-vip") == "enable" if _given(st, "match-vip")
                                         else match_vip_default)
    resolve = p.book.resolve
    vip_like = (p.book.vip, p.book.vipgrp)
    for fam, skey, dkey, sneg, dneg in fams:
        universe = ALL_V4 if fam == 4 else ALL_V6
        sv, dv = sget(skey), sget(dkey)
        snames = sv[0] if sv is not None and not isdb_src else []
        dnames = dv[0] if dv is not None and not isdb_dst else []
        if (not snames and not isdb_src) or (not dnames and not isdb_dst):
            ln.unrecognized(ln.source(ent.line), "policy %s has no %s"
                            % (ent.name, skey if not snames and not isdb_src else dkey), Impact.FILTER, scope)
            why.append("no address")
        s_sure, s_maybe, s_why = EMPTY, universe if isdb_src else EMPTY, []
        for n in snames:
            r = resolve(n, fam, sv[1][-1], scope)
            # (the first name's sets as they are: no union with the empty set, for the usual one-name source)
            s_sure = s_sure.union(r.sure) if s_sure.iv else r.sure
            s_maybe = s_maybe.union(r.maybe) if s_maybe.iv else r.maybe
            refs.extend(r.refs)
            s_why.extend(r.why)
        d_sure, d_maybe, d_why, vip_names = EMPTY, universe if isdb_dst else EMPTY, [], []
        for n in dnames:
            vm = vips.members(n) if fam == 4 and (n in vip_like[0] or n in vip_like[1]) else None
            if vm is not None:
                vip_names.extend(vm)
                continue
            r = resolve(n, fam, dv[1][-1], scope)
            d_sure, d_maybe = d_sure.union(r.sure), d_maybe.union(r.maybe)
            refs.extend(r.refs)
            d_why.extend(r.why)
        if s_why or d_why:
            for w in s_why + d_why:
                if not w.startswith("undefined"):
                    ln.unrecognized(ln.source(ent.at(skey if w in s_why else dkey)), w + ": packets it may match "
                                    "are unknown", Impact.FILTER, scope)
        if skey in v6_unsure:
            s_sure, s_maybe = EMPTY, universe
        elif sneg in st and ent.one(sneg) == "enable" and not isdb_src:
            s_sure, s_maybe = universe.subtract(s_sure.union(s_maybe)), s_maybe
        if dkey in v6_unsure:
            d_sure, d_maybe = EMPTY, universe
        elif dneg in st and ent.one(dneg) == "enable" and not isdb_dst:
            if vip_names:
                why.append("negated destination with VIPs")
            d_sure, d_maybe = universe.subtract(d_sure.union(d_maybe)), d_maybe
        # the plain part: addresses x services
        # (the sets' intervals tested directly: the same truth as ISet.__bool__, without its call)
        if s_sure.iv and d_sure.iv and not svc_negate:
            for sv in sure_svc:
                dst = d_sure if sv.dst is ALL_ADDR else d_sure.intersect(sv.dst)
                if dst.iv:  # (``Cube`` made directly: ``cube`` with every dimension given)
                    match_cubes.append(Cube(s_sure, dst, sv.proto, sv.sport, sv.dport))
        s_all, d_all = s_sure.union(s_maybe), d_sure.union(d_maybe)
        if (s_maybe.iv or d_maybe.iv or maybe_svc) and s_all.iv and d_all.iv and not svc_negate:
            for sv in sure_svc + maybe_svc:
                dst = d_all if sv.dst is ALL_ADDR else d_all.intersect(sv.dst)
                if dst.iv:
                    maybe_cubes.append(Cube(s_all, dst, sv.proto, sv.sport, sv.dport))
        if svc_negate and s_all and d_all:
            svc_sure = PacketSet([cube(dst=sv.dst, proto=sv.proto, sport=sv.sport, dport=sv.dport)
                                  for sv in sure_svc])
            svc_all = svc_sure.union(PacketSet([cube(dst=sv.dst, proto=sv.proto, sport=sv.sport, dport=sv.dport)
                                                for sv in maybe_svc]))
            box_sure = PacketSet([cube(src=s_sure, dst=d_sure)]) if s_sure and d_sure else PacketSet()
            box_all = PacketSet([cube(src=s_all, dst=d_all)])
            match_cubes.extend(box_sure.subtract(svc_all).cubes)
            maybe_cubes.extend(box_all.subtract(svc_sure).cubes)
        # VIPs named in dstaddr: the packets as sent that they translate into the policy's services (kept apart
        # from the address objects' part until that part has lost what VIPs translate, below)
        vipc: list = []
        vipm: list = []
        for vn in vip_names:
            v = vips.vips.get(vn)
            if v is None:
                maybe_cubes.append(cube(src=s_sure.union(s_maybe), dst=ALL_V4))
                why.append("VIP %s not understood" % vn)
                continue
            got = v.sent_for(vip_sure, s_sure)
            if v.sure:
                vipc.extend(got)
            else:
                vipm.extend(got)
            if s_maybe or maybe_svc:
                vipm.extend(v.sent_for(vip_all, s_sure.union(s_maybe)))
        # a deny of every destination with match-vip: it matches what the VIPs translated as translated ("DNAT is
        # applied before the firewall policy check. This means the packet is already translated to the VIP's
        # mapped IP before FortiGate evaluates the policies", Fortinet KB 192456, "Technical Tip: DENY policy for
        # Virtual IP firewall policy"), so its services are compared with the mapped port, as a VIP policy's are
        # (KB 355966, "Traffic intended for a VIP is being dropped by implicit deny"): the packets as sent that
        # the active VIPs translate into its services, not those sent to its services' ports
        every_vip = deny_vip is True and d_sure == ALL_V4
        if fam == 4 and translated and _meets(match_cubes, maybe_cubes, translated_dst):
            # address objects do not match what a VIP translated (policy-based NAT), except deny policies
            # with match-vip; when match-vip's default is not known, that part is unknown
            cut = PacketSet.of_cubes(match_cubes).intersect(translated)
            match_cubes = list(PacketSet.of_cubes(match_cubes).subtract(translated).cubes)
            maybe_cubes = list(PacketSet.of_cubes(maybe_cubes).subtract(translated).cubes)
            if deny_vip is not False and action is Action.DENY and not every_vip:
                # match-vip on a deny policy naming addresses (not 'all'): whether it compares them
                # with the external or the mapped address is not documented; or its default is not
                # known for this firmware: either way that part is unknown
                maybe_cubes.extend(cut.cubes)
        if fam == 4 and translated and every_vip:
            for v in active:
                (vipc if v.sure else vipm).extend(v.sent_for(vip_sure, s_sure))
                if s_maybe or maybe_svc:
                    vipm.extend(v.sent_for(vip_all, s_all))
        match_cubes.extend(vipc)
        maybe_cubes.extend(vipm)
        if fam == 4 and translated and action is Action.DENY and deny_vip is not False \
                and not every_vip and (d_all is ALL_ADDR or d_all.overlaps(mapped)):
            # ... and VIP traffic whose mapped address the policy names: unknown as well (none when its
            # destinations hold no mapped address: ``Vip.sent_for`` keeps only the services reaching one)
            named = [Svc(sv.proto, sv.sport, sv.dport, d_all if sv.dst is ALL_ADDR else d_all.intersect(sv.dst))
                     for sv in vip_all]
            for v in active:
                maybe_cubes.extend(v.sent_for(named, s_all))

    if action is Action.DENY and match_cubes and ent.one("match-vip-only") == "enable":
        # "matching of only those packets that have had their destination addresses changed by a VIP" (FortiOS CLI
        # reference, config firewall policy, 'match-vip-only'): the packets no VIP translates are not matched as
        # the addresses say; how this combines with the rest of the policy is not modelled, so unknown
        matched = PacketSet.of_cubes(match_cubes)
        plain = matched.subtract(translated)
        if plain:
            match_cubes = list(matched.intersect(translated).cubes)
            maybe_cubes.extend(plain.cubes)
    match = PacketSet.of_cubes(_merged(match_cubes)) if match_cubes else NOTHING
    maybe = PacketSet.of_cubes(_merged(maybe_cubes)).subtract(match) if maybe_cubes else NOTHING
    if inspected and match.overlaps(inspected):
        # (what its profiles may drop: matched for certain or not, what it does then is unknown)
        cut = match.intersect(inspected)
        match, maybe = match.subtract(cut), maybe.union(cut)
    if why:
        maybe = match.union(maybe) if match or maybe else ALL
        match = NOTHING
    note = "policy %s" % ent.name
    if why:
        note += " (unknown: %s)" % "; ".join(dict.fromkeys(why))
    elif inspected:
        note += " (unknown where its profiles inspect: %s)" % note_extra
    # (schedules, users, Internet Service, addresses and services only make its match uncertain)
    return action, match, maybe, enabled, tuple(refs), note, not doubt


__all__ = ["Built", "build"]

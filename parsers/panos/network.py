"""Interfaces, zones, virtual routers' static routes, and the paths between interfaces.

* A layer-3 interface (``network interface ethernet E layer3 ip A/L``, its ``units``,
  ``aggregate-ethernet``, ``vlan``, ``loopback`` and ``tunnel`` interfaces) reaches its
  connected networks; an address may be an address object's name.  An interface that is a DHCP
  or PPPoE client learns its address, network and default route at run time: learned routes
  (``Config.learned_routes``; CFG300, any verdict, where no interface has a static IPv4 network);
  a PPPoE ``static-address`` is its own address.
* Zones (``zone Z network layer3 [ interfaces ]``) bind interfaces; an interface belongs to
  one zone.  PAN-OS passes no traffic on an interface in no zone ("Security Zone Overview":
  "An interface on the firewall must be assigned to a security zone before the interface can
  process traffic"), so paths to or from one are denied.  Layer-2 and virtual-wire zones are
  filtered by the same rules but not routed: they are reported (their traffic is not
  modelled); tap zones only watch.
* Routes: ``network virtual-router VR routing-table ip static-route R destination D
  [interface I] [nexthop ip-address X | discard | next-vr V]`` (and ``logical-router``
  VRFs alike).  A next hop without an interface leaves through the connected network that
  holds it; ``discard`` drops (the destination is routed nowhere); ``next-vr`` and enabled
  dynamic protocols are learned routes.  Each virtual router with interfaces is a routing
  table of its own (``Interface.table``; "Virtual Routers": "The firewall uses virtual routers
  to obtain routes to other subnets"; each interface is in one): a ``next-vr`` route hands what
  it routes to the other virtual router's lookup (``Route.next_table``).  Two routes to one
  destination of one admin distance and metric over two interfaces (ECMP, or one the virtual router
  chooses): what they route differently is unsettled (``Config.unsettled_routes``), and a NAT rule's
  destination zone is not certain there (``nat.py``).
* Paths: one per (ingress, egress) interface pair; its stage is the zone pair's (policy).
  Where virtual routers list their interfaces, an addressed layer-3 interface in none of them
  routes nothing for certain (Virtual Routers: "Each Layer 3 interface, loopback interface, and
  VLAN interface defined on the firewall must be associated with a virtual router"; what the
  device does with one that is not is not documented): its paths are unknown.
  Both ends on one connected network of an interface do not cross the firewall.
"""

from __future__ import annotations

from auditor.core import routing
from auditor.core.model import Action, AddressRef, Impact, Interface, Path, Route, Source, Stage, new_rule
from auditor.core.packets import ALL, ALL_PROTO, ALL_V4, ALL_V6, EMPTY, NOTHING, ISet, PacketSet, cube
from auditor.core.routing import equal_cost
from parsers.kit.routes import PROTOCOL_FAMILY, drop_egress, drop_paths, learned_space, report_tie
from parsers.panos.collect import Collector
from parsers.panos.objects import Objects, number, pan_address
from parsers.panos.scan import PANORAMA, SHARED

ROUTED_MODES = ("layer3", "tunnel")
ICMP_PROTO = ISet.of(1)
# a flood protection -> the protocols whose new sessions it counts ("Flood Protection": SYN, UDP, ICMP, ICMPv6, and
# Other IP: the protocols other than those)
_FLOOD_WORDS = {"tcp-syn": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPv6", "other-ip": "other IP"}


class Network:
    """The device's interfaces, zones (per vsys), routes and paths."""

    def __init__(self, col: Collector, objs: Objects, policies: dict, head: Source | None):
        self.col, self.objs, self.lines = col, objs, col.lines
        self.policies = policies  # vsys -> Policy
        self.head = head
        self.zone_of: dict[str, tuple[str, str]] = {}  # interface -> (vsys, zone)
        self.nets: dict[str, list[ISet]] = {}  # interface -> its connected networks, one per address
        self.hosts: dict[str, ISet] = {}  # interface -> its own addresses
        self.interfaces: list[Interface] = []
        self.routes: list[Route] = []
        self.learned: list[Source] = []  # the lines that enable a dynamic routing protocol
        self.learned_space: ISet | None = None  # the addresses they route (Config.learned_space)
        self.unsettled: list[tuple[ISet, Source, str]] = []  # Config.unsettled_routes (routes of one cost)
        # DHCP, PPPoE or DHCPv6 clients: (interface, which, line, the address family they learn)
        self.dhcp: list[tuple[str, str, Source, int]] = []
        self.paths: list[Path] = []
        self.extra_filters: dict = {}
        # interface -> its virtual router, where several have interfaces (else every table is the one: "")
        self.members = {v: {m for m, _ in d.members("interface")} for v, d in col.vrs.items()}  # (VR -> interfaces)
        with_ifaces = [v for v, d in col.vrs.items() if d.attrs.get("interface")]
        self.vr_of = {m: v for v in with_ifaces for m in self.members[v]} if len(with_ifaces) > 1 else {}

    def build(self) -> None:
        self.bind_zones()
        self.addresses()
        self.static_routes()
        self.make_paths()

    # --- zones ------------------------------------------------------------------------------
    def bind_zones(self) -> None:
        lines = self.lines
        for vsys, pol in self.policies.items():
            for z, d in pol.sp.zone.items():
                mode, mline = d.last("mode")
                if mode in ("layer2", "virtual-wire"):
                    lines.unrecognized(lines.source(mline), "zone '%s' is a %s zone: traffic through it is "
                                       "filtered by the rules but not modelled here" % (z, mode), Impact.GLOBAL)
                elif mode == "external":
                    lines.unrecognized(lines.source(mline), "zone '%s' is an external zone (traffic between "
                                       "virtual systems is not modelled)" % z, Impact.GLOBAL)
                elif mode == "tap":
                    lines.unrecognized(lines.source(mline), "zone '%s' is a tap zone: it only watches "
                                       "traffic" % z, Impact.NONE)
                for name, line in d.members("members"):
                    if name not in self.col.interfaces:
                        lines.undefined(name, "interface", lines.source(line), "zone %s" % z)
                        continue
                    if name in self.zone_of and self.zone_of[name] != (vsys, z):
                        lines.unrecognized(lines.source(line), "interface '%s' is in two zones" % name,
                                           Impact.GLOBAL)
                        continue
                    if mode in ROUTED_MODES or mode is None:
                        self.zone_of[name] = (vsys, z)

    # --- interfaces -------------------------------------------------------------------------
    def addresses(self) -> None:
        lines = self.lines
        vsys_of_if = {i: v for i, (v, _z) in self.zone_of.items()}
        for name, d in self.col.interfaces.items():
            mode = d.last("mode")[0] or "layer3"
            if mode not in ROUTED_MODES:
                continue
            nets: list[ISet] = []
            refs: list[AddressRef] = []
            vsys = vsys_of_if.get(name, self.col.vsys_order[0] if self.col.vsys_order else "vsys1")
            chain = self.objs.chain(vsys, PANORAMA, SHARED)
            own = EMPTY
            for key in ("ip", "ipv6"):
                for value, line in d.members(key):
                    s = self.interface_address(chain, str(value), line, name)
                    if s:
                        nets.append(s)
                        refs.append(AddressRef(s, lines.source(line)))
                        own = own.union(_host(value))
            dyn, dline = d.last("dynamic")
            if dyn in ("dhcp-client", "pppoe"):
                self.dhcp.append((name, dyn, lines.source(dline), 4))
                # (a PPPoE 'static-address' the provider assigned is the interface's own address; an object's
                # name is left to the learned route, unknown)
                own = own.union(ISet.union_of(_host(value) for value, _line in d.members("pppoe-static")))
            elif dyn is not None:
                lines.unrecognized(lines.source(dline), "interface '%s' gets its address from %s: the network "
                                   "it reaches is not known" % (name, dyn), Impact.GLOBAL)
            dyn6, dline6 = d.last("dynamic6")
            if dyn6 is not None:
                self.dhcp.append((name, dyn6, lines.source(dline6), 6))
            self.hosts[name] = own
            if name not in self.zone_of and not nets:
                continue
            self.nets[name] = nets
            allnets = EMPTY
            for s in nets:
                allnets = allnets.union(s)
            z = self.zone_of.get(name)
            self.interfaces.append(Interface(name, allnets, lines.source(d.line), zone=z[1] if z else None,
                                             address_refs=tuple(refs), table=self.vr_of.get(name, "")))

    def own_addresses(self) -> ISet | None:
        """The firewall's own addresses, which no transit packet comes from or goes to: those of its routed
        interfaces, and an active/active HA pair's floating and ARP load-sharing addresses
        (``Config.local_addresses``; None when there are none)."""
        own = ISet.union_of(self.hosts.get(i.name, EMPTY) for i in self.interfaces)
        # (an active/active pair's floating or shared addresses; one not an address is left out: transit)
        own = own.union(ISet.union_of(_host(value) for value, _line in self.col.ha_addresses))
        return own or None

    def interface_address(self, chain: tuple, value: str, line: int, iface: str) -> ISet:
        try:
            return pan_address(value)
        except ValueError:
            pass
        a = self.objs.address(chain, value, line, "interface %s" % iface)
        if a.sure != a.poss:
            self.lines.unrecognized(self.lines.source(line), "interface '%s': address '%s' not known"
                                    % (iface, value), Impact.GLOBAL)
        return a.sure

    # --- routes ---------------------------------------------------------------------------
    def static_routes(self) -> None:
        lines = self.lines
        col = self.col
        # (a routing protocol learns routes the configuration does not hold: Config.learned_routes)
        self.learned = [lines.source(line) for _vr, _proto, line in col.dynamic_routing]
        families = [PROTOCOL_FAMILY.get(p, 0) for _vr, p, _line in col.dynamic_routing]
        # an interface that is a DHCP client: "Automatically create default route pointing to default gateway
        # provided by server" (the default) and its own network are learned at run time (PAN-OS, "Configure an
        # Interface as a DHCP Client"; "Default Route Behavior When Using an Interface Acting as DHCP Client":
        # of two default routes of one metric the first installed is used).  Like a routing protocol's routes
        # (Config.learned_routes), they may take any address but the other interfaces' connected networks
        # elsewhere; where no interface has a network of its own (of that family), that is every address: reported.
        # A DHCPv6 client (or an inherited prefix) alike, for IPv6 ("Configure a Layer 3 Interface as a DHCPv6
        # Client", PAN-OS 11.0)
        static = ISet.union_of(s for nets in self.nets.values() for s in nets)
        has_static = {4: static.overlaps(ALL_V4), 6: static.overlaps(ALL_V6)}
        # A PPPoE client alike: it "learns its IPv4 address from the ISP" ("Configure a PPPoE Client on a
        # Subinterface") and "Automatically create default route pointing to peer" (create-default-route,
        # default-route-metric) when connected (web interface help, "Layer 3 Interface" > PPPoE)
        for name, how, src, family in self.dhcp:
            if has_static[family]:
                self.learned.append(src)
                families.append(family)
            elif family == 6:
                # (no static IPv6 network: every IPv6 address may be the client's, or routed by what it learns;
                # IPv4 is not its to decide)
                why = "interface '%s' gets its IPv6 address from %s: the IPv6 networks it reaches are not known" \
                    % (name, how)
                lines.unrecognized(src, why + ", so packets from or to IPv6 addresses are unknown", Impact.NONE)
                self.unsettled.append((ALL_V6, src, why))
            else:
                lines.unrecognized(src, "interface '%s' gets its address from %s: the network it reaches "
                                   "is not known" % (name, how), Impact.GLOBAL)
        self.learned_space = learned_space(families)
        connected = [(s, name) for name, nets in self.nets.items() for s in nets]
        got = []  # (route, its definition)
        for vr, r in col.routes:
            src = lines.source(r.line)
            table, tline = r.last("route-table")
            if isinstance(table, list):  # (a list: an empty 'route-table' element; the default)
                table = table[0] if table else None
            if table in ("no-install", "multicast"):
                continue  # not installed in the unicast routing table: it forwards nothing
            if table not in (None, "unicast", "both"):
                lines.unrecognized(lines.source(tline), "static route '%s': route table '%s' not understood"
                                   % (r.name, table), Impact.GLOBAL)
                continue
            try:
                ad = number(r.last("admin-dist")[0] or 10)
                metric = number(r.last("metric")[0] or 10)
            except (ValueError, TypeError):  # (TypeError: a '[ ]' list)
                lines.unrecognized(src, "static route '%s': admin-dist or metric not understood" % r.name,
                                   Impact.GLOBAL)
                continue
            # (of routes to one destination the lowest admin distance wins, then the lowest metric)
            route = self.static_route(vr, r, src, connected, (ad, metric))
            if route is not None:
                got.append((route, r))
        self.routes = [route for route, _r in got]
        # a tie over two interfaces is ECMP when enabled on the virtual router (sessions spread over them), and
        # without it "the virtual router chooses one of those routes from the routing table and adds it to its
        # forwarding table" (PAN-OS Administrator's Guide, "ECMP"), which one not said: which interface packets
        # from or to what the two route differently take, and so which zone's rules decide them, is not known
        conn = [(name, s, self.vr_of.get(name, "")) for name, nets in self.nets.items() for s in nets]
        ties = [t for vr in dict.fromkeys(route.table for route, _r in got)
                for t in equal_cost([g for g in got if g[0].table == vr])]
        for (a, first), (b, r) in ties:
            why = "static routes '%s' and '%s' to one destination have the same admin distance and metric (over " \
                  "%s and %s): the virtual router spreads sessions over them (ECMP) or chooses one" \
                  % (first.name, r.name, a.interface, b.interface)
            report_tie(lines, self.unsettled, conn, self.routes, a, b, why)

    def static_route(self, vr: str, r, src: Source, connected: list, preference: tuple) -> Route | None:
        """Static route ``r`` of virtual router ``vr`` (None: reported)."""
        lines = self.lines
        col = self.col
        dest, dline = r.last("destination")
        if dest is None:
            lines.unrecognized(src, "static route '%s' has no destination" % r.name, Impact.GLOBAL)
            return None
        try:
            prefix = pan_address(str(dest))
        except ValueError:
            a = self.objs.address(self.objs.chain(*col.vsys_order, PANORAMA, SHARED), str(dest), dline,
                                  "static route %s" % r.name)
            if a.sure != a.poss or not a.sure:
                lines.unrecognized(lines.source(dline), "static route '%s': destination '%s' not known"
                                   % (r.name, dest), Impact.GLOBAL)
                return None
            prefix = a.sure
        size = prefix.iv[-1][1] - prefix.iv[0][0] + 1
        plen = (32 if prefix.issubset(ALL_V4) else 128) - (size.bit_length() - 1)
        iface, _ = r.last("interface")
        hop, hline = r.last("nexthop")
        hop = hop or []
        kind = hop[0] if hop else None
        table = vr if self.vr_of else ""
        if kind == "discard":  # (drops what it routes: a denying path at its line, kit.routes)
            return Route(prefix, plen, drop_egress("discard", src), src, preference, table)
        if kind == "next-vr":
            # (PAN-OS web interface help, "Virtual Router > Static Routes": Next VR "Select a virtual
            # router in the firewall as the next hop": that router's lookup routes the packet)
            other = hop[1] if len(hop) > 1 else None
            if not isinstance(other, str) or other not in col.vrs:
                lines.undefined(str(other), "virtual router", lines.source(hline), "static route %s" % r.name,
                                Impact.GLOBAL)
                return None
            # (one with no interfaces, or into the one table of a firewall with one: routes nothing)
            return Route(prefix, plen, "", src, preference, table, next_table=other)
        if iface is None and kind in ("ip-address", "ipv6-address") and len(hop) > 1:
            try:
                nh = pan_address(str(hop[1]))
            except ValueError:
                # an address object of one host may name the next hop (PAN-OS web interface help, "Virtual
                # Router > Static Routes": Next Hop "IP Address ... or an address object of type IP Netmask")
                a = self.objs.address(self.objs.chain(*col.vsys_order, PANORAMA, SHARED), str(hop[1]), hline,
                                      "static route %s" % r.name)
                nh = a.sure if a.sure and a.sure == a.poss and a.sure.size() == 1 else None
            best = None
            if nh is not None:
                mine = self.members.get(vr) or {name for _s, name in connected}
                for s, name in connected:
                    if name in mine and nh.issubset(s) and (best is None or s.size() < best[0].size()):
                        best = (s, name)
            if best is None:
                lines.unrecognized(lines.source(hline), "static route '%s': next hop '%s' is on no connected "
                                   "network" % (r.name, hop[1]), Impact.GLOBAL)
                return None
            iface = best[1]
        if iface is None:
            lines.unrecognized(src, "static route '%s': its egress is not known" % r.name, Impact.GLOBAL)
            return None
        if iface not in col.interfaces:
            lines.undefined(str(iface), "interface", src, "static route %s" % r.name, Impact.GLOBAL)
            return None
        return Route(prefix, plen, str(iface), src, preference, table)

    def regions(self, vr: str = "") -> dict[str, ISet]:
        """Which destinations each interface reaches from an interface of virtual router ``vr``:
        connected networks and static routes, the longest prefix winning (what PAN-OS's route lookup
        decides)."""
        conn = [(name, s, self.vr_of.get(name, "")) for name, nets in self.nets.items() for s in nets]
        return routing.table_regions(conn, self.routes).get(vr, {})

    # --- paths ------------------------------------------------------------------------------
    def make_paths(self) -> None:
        head = self.head
        stages: dict = {}
        guards: dict = {}  # (vsys, zone) -> the stage of its Zone Protection profile, or None
        names = [i.name for i in self.interfaces]
        nozone = Stage("no zone", (), Action.DENY, head, "an interface in no zone passes no traffic (PAN-OS)")
        # where virtual routers list their interfaces, an addressed interface in none of them
        routed = set().union(*self.members.values())
        orphans = {i for i in names if self.nets.get(i)} - routed if routed else set()
        for a in names:
            za = self.zone_of.get(a)
            for b in names:
                zb = self.zone_of.get(b)
                if a == b:
                    nets = self.nets.get(a) or []
                    if nets:
                        scope = PacketSet([cube(src=s, dst=s) for s in nets])
                        self.paths.append(Path(a, a, (), crosses=False, scope=scope,
                                               note="both ends are on a network of interface %s: the traffic "
                                                    "does not cross the firewall" % a))
                if za is None or zb is None:
                    st = nozone
                elif a in orphans or b in orphans:
                    st = self.no_router(a if a in orphans else b)
                elif za[0] != zb[0]:
                    st = self.inter_vsys(za[0], zb[0])
                else:
                    key = (za, zb)
                    st = stages.get(key)
                    if st is None:
                        st = stages[key] = self.policies[za[0]].stage(za[1], zb[1], head)
                    zp = guards.get(za, False)
                    if zp is False:
                        zp = guards[za] = self.protection(za[0], za[1])
                    if zp is not None:
                        self.paths.append(Path(a, b, (zp, st)))
                        continue
                self.paths.append(Path(a, b, (st,)))
        self.paths += drop_paths(self.routes, names, "routed to a discard route: PAN-OS drops the packet")

    def protection(self, vsys: str, zone: str) -> Stage | None:
        """The stage of ``zone``'s Zone Protection profile (``zone Z network zone-protection-profile P``) on the
        packets entering from it ("Apply a Zone Protection profile to each zone to defend it based on the aggregate
        traffic entering the ingress zone", "Zone Protection Profiles"), or None.

        What drops packets by what they are, which the model does not carry, is a rule that may drop them
        (``maybe``, a certain action: unknown where the later stages would pass them): an ICMP drop ("ICMP Drop":
        ping ID 0, fragments, packets over 1024 bytes, ICMP errors) ICMP packets; Security Group Tag protection,
        packet inspection rules or a setting not understood, every packet.

        What drops by the traffic's rate or behaviour is reported at its line, naming the zone, and leaves the
        verdicts as the policy gives them (as a device's capacity would: the configuration cannot say whether the
        rates are reached, and a flood protection must not make an exposure uncertain): a flood protection enabled
        (or whose ``enable`` is not written) for SYN, UDP, ICMP, ICMPv6 or other IP ("Flood Protection": Random
        Early Drop or SYN cookies above its activation rate, every new session above its maximum rate), and a
        reconnaissance protection of action ``block`` or ``block-ip`` ("Reconnaissance Protection": a source that
        scans ports or sweeps hosts is blocked).

        The other settings (``collect.ZPP_IGNORED``) drop packets the audited ones are not (IP options, fragments,
        TCP segments out of the handshake, IPv6 extension headers, non-IP frames). A profile not defined is taken
        A profile the input does not define (PAN-OS refuses to commit such a reference; a firewall managed by
        Panorama may take it from a template the export leaves out) is CFG301 and may drop any packet entering
        its zones, as a setting not understood."""
        zd = self.policies[vsys].sp.zone.get(zone)
        name, pline = zd.last("protection") if zd is not None else (None, None)
        if not isinstance(name, str):
            return None
        lines = self.lines
        d = self.col.zone_protection.get(name)
        if d is None:
            at = lines.source(pline)
            lines.undefined(name, "zone protection profile", at, "zone %s" % zone)
            return self._may_drop(vsys, zone, name, at, ["the profile is not defined in the input"], [ALL_PROTO])
        rated = []
        for flood in _FLOOD_WORDS:
            got = d.attrs.get("flood:%s" % flood)
            if got:  # (its 'enable' as last written, else its last statement: thresholds with no 'enable' may drop)
                v, ln = next((x for x in reversed(got) if x[0]), got[-1])
                if v != "no":
                    rated.append((flood, ln))
        rated += [("reconnaissance", ln) for act, ln in d.attrs.get("scan", ()) if act not in ("allow", "alert")]
        for what, ln in rated:
            how = ("blocks a source it sees scanning ports or sweeping hosts" if what == "reconnaissance" else
                   "drops new %s sessions entering the zone above its activation rate" % _FLOOD_WORDS[what])
            lines.report("CFG300", "zone protection profile %s on zone %s: its %s protection %s, which the "
                         "configuration cannot tell: the verdicts take it as not triggered" % (name, zone, what, how),
                         lines.source(ln), Impact.FILTER, "zone %s" % zone)
        why: list[str] = []
        protos: list[ISet] = []
        if any(v != "no" for (_k, v), _l in d.attrs.get("icmp", ())):
            why.append("ICMP drops (ping ID 0, fragments, large packets, errors)")
            protos.append(ICMP_PROTO)
        for key, _l in d.attrs.get("all", ()):
            why.append(key)
            protos.append(ALL_PROTO)
        if d.unknown:
            why.append("a setting not understood")
            protos.append(ALL_PROTO)
        if not protos:
            return None
        return self._may_drop(vsys, zone, name, lines.source(d.line), why, protos)

    def _may_drop(self, vsys: str, zone: str, name: str, at: Source, why: list[str], protos: list[ISet]) -> Stage:
        """The stage of zone protection profile ``name`` on ``zone``: a rule that may drop the packets of ``protos``
        (a certain action over an uncertain match), for the reasons ``why``."""
        fname = "zone protection %s (%szone %s)" % (name, "%s/" % vsys if len(self.policies) > 1 else "", zone)
        note = "zone protection profile %s may drop packets entering zone %s: %s" % (name, zone, ", ".join(why))
        maybe = PacketSet([cube(proto=p) for p in protos])
        self.extra_filters[fname] = [new_rule(fname, 0, Action.DENY, NOTHING, at, True, maybe, False, (), note,
                                              sure_action=True)]
        return Stage(fname, (fname,), Action.PERMIT, at, "the zone protection profile passes what it does not drop",
                     sees="sent")

    def no_router(self, iface: str) -> Stage:
        """The stage of a path to or from ``iface``, a layer-3 interface in no virtual router: PAN-OS routes
        through a virtual router's interfaces only, and what it does with the others is not documented
        (unknown)."""
        return self.unknown_stage("%s (no virtual router)" % iface, "interface %s is in no virtual router" % iface,
                                  "an interface in no virtual router")

    def inter_vsys(self, va: str, vb: str) -> Stage:
        return self.unknown_stage("%s->%s" % (va, vb), "traffic between virtual systems is not modelled",
                                  "traffic between virtual systems")

    def unknown_stage(self, name: str, why: str, what: str) -> Stage:
        """A stage whose one rule (``extra_filters[name]``, made once) leaves every packet unknown because ``why``."""
        if name not in self.extra_filters:
            src = self.head or Source("", 1, "")
            self.extra_filters[name] = [new_rule(name, 0, Action.DENY, NOTHING, src, True, ALL, True, (), why)]
        return Stage(name, (name,), Action.DENY, self.head, what, sees="sent")


def _host(value) -> ISet:
    """The address of ``value`` (an interface's ``A/L``, or ``A``) alone; none when it is not an address (an
    address object's name)."""
    try:
        return pan_address(str(value).split("/")[0])
    except ValueError:
        return EMPTY

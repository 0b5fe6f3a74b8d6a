"""From interfaces, access lists and zones to paths: what decides traffic between two interfaces.

On an IOS router a packet from interface A to interface B meets, in order (Cisco, "NAT Order
of Operation", Document ID 6209):

1. A's inbound access list (``ip access-group X in`` / ``ipv6 traffic-filter X in``), on the
   packet as it arrived (before any NAT: ``Stage.sees = "sent"``);
2. the zone-based firewall's policy for A's zone to B's zone (``zbf``), after destination NAT
   (``"routed"``);
3. B's outbound access list, on the packet as it leaves (after NAT: ``"final"``).

Interface access lists are stateless (``Stage.stateful = False``): every packet is decided by
their entries, replies included.  An interface with no access list passes everything; so does
one naming a list that does not exist ("If the specified access list does not exist, all
packets are passed", Cisco IOS command reference, ``ip access-group``) or a list with no
entries ("An interface or command with an empty access list applied to it permits all
traffic", Cisco IOS Security Configuration Guide, "Access List Rules").  An outbound access
list does not filter packets the router itself sends; an inbound one filters packets to the
router too.  IPv4 and IPv6 take separate paths (``Path.scope``), each with its family's lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from auditor.core.model import (
    ESTABLISHED,
    Action,
    AddressRef,
    Filter,
    Impact,
    Interface,
    Nat,
    Path,
    Route,
    Rule,
    Source,
    Stage,
    Timeout,
    new_rule,
)
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    ALL_V4,
    ALL_V6,
    EMPTY,
    NOTHING,
    PROTO_ICMP6,
    PROTO_TCP,
    PROTO_UDP,
    ISet,
    PacketSet,
    cube,
    replies,
)
from auditor.core.routing import equal_cost, regions, shared_sources, unsettled_region
from parsers.cisco_ios.operands import OperandError, host_set
from parsers.cisco_ios.zbf import SELF, TCP_IDLE_DEFAULT, UDP_IDLE_DEFAULT, PairPolicy
from parsers.kit.nd import nd_denier, nd_gate
from parsers.kit.routes import drop_egress, drop_paths, learned_space, report_tie, routed_apart, withdrawn
from parsers.kit.sets import permitted

V4_SCOPE = PacketSet([cube(src=ALL_V4, dst=ALL_V4)])
V6_SCOPE = PacketSet([cube(src=ALL_V6, dst=ALL_V6)])
TCP = PacketSet([cube(proto=ISet.of(PROTO_TCP))])
UDP = PacketSet([cube(proto=ISet.of(PROTO_UDP))])


@dataclass
class Model:
    filters: dict[str, Filter]
    paths: list[Path] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    timeouts: list[Timeout] = field(default_factory=list)
    nat: list[Nat] = field(default_factory=list)
    address_refs: list[AddressRef] = field(default_factory=list)
    local: ISet | None = None
    unsettled: list[tuple[ISet, Source, str]] = field(default_factory=list)  # Config.unsettled_routes


# (the addresses an interface's list of one direction certainly sees, and those it may: _Assembler.placement)
Placement = Callable[[str, str], tuple[ISet, ISet]]


class _Assembler:
    def __init__(self, p):
        self.p = p
        self.lines = p.lines
        self.filters: dict[str, Filter] = {}
        self._regions: dict[str, ISet] | None = None
        self._unplaced = EMPTY  # (the sources, and the destinations, whose interface is not certain: placement)
        self._unplaced_out = EMPTY
        self._src: dict[int, Source] = {}
        self._stages: dict[tuple, Stage | None] = {}
        self.model = Model(self.filters)

    def src(self, k: int) -> Source:
        s = self._src.get(k)
        if s is None:
            s = self._src[k] = self.lines.source(k)
        return s

    # --- interfaces and routes ------------------------------------------------------------
    def interfaces(self) -> None:
        p, m = self.p, self.model
        names = {d.name for d in p.ifaces}
        self.active = [d for d in p.ifaces if not d.shutdown]
        self.by_name = {d.name: d for d in self.active}
        zones = p.zbf.zones
        default_zone = "default" if "default" in zones else None
        self.zone_of: dict[str, tuple[str, int] | None] = {}
        for d in self.active:
            z = d.zone
            if z is not None and z[0] not in zones:
                self.lines.undefined(z[0], "security zone", self.src(z[1]))
            if z is None and default_zone is not None and d.kind == "normal":
                # (IOS XE: with 'zone security default', interfaces in no zone are in it)
                z = ("default", zones["default"])
            self.zone_of[d.name] = z
        for d in self.active:
            if d.kind == "null":
                continue
            nets, refs = EMPTY, []
            for net, _own, k in d.v4 + d.v6:
                nets = nets.union(net)
                refs.append(AddressRef(net, self.src(k)))
            if d.kind == "loopback":
                continue  # its addresses are the router's own (see local paths)
            z = self.zone_of.get(d.name)
            m.interfaces.append(Interface(d.name, nets, self.src(d.line), zone=z[0] if z else None,
                                          address_refs=tuple(refs), table=d.vrf or ""))
            m.address_refs.extend(refs)
        self.routes(names)
        own = EMPTY
        for d in self.active:
            for _net, a, _k in d.v4 + d.v6:
                own = own.union(a)
            own = own.union(d.vip)
            for nets, k in d.vip_doubt:
                m.unsettled.append((nets, self.src(k), "an HSRP IPv6 virtual address not given as one address: "
                                    "which address of these is the router's own is not known"))
        m.local = own or None

    def routes(self, names: set[str]) -> None:
        p, m = self.p, self.model
        dhcp = [d.name for d in self.active if d.dhcp]
        resolved: list[tuple] = []
        pending = []
        tracked = {r.line for r in p.routes if r.track}  # (and the routes whose next hop one of them reaches)
        through: dict[int, int] = {}  # a route's Source.line -> that of the static route its next hop is reached by
        for r in p.routes:
            s = self.src(r.line)
            if r.distance == 255:
                # ("a distance of 255 ... will not be installed in the routing table", 'ip route')
                self.lines.ignore(r.line, "static route of administrative distance 255: never installed")
                continue
            if r.iface == "dhcp":
                if len(dhcp) == 1:
                    resolved.append((r, dhcp[0]))
                else:
                    self.lines.unrecognized(s, "route via the DHCP gateway: %s interface takes its address "
                                            "from DHCP" % ("no" if not dhcp else "more than one"), Impact.NONE)
                continue
            if r.iface is not None:
                if r.iface.lower().startswith("null"):
                    resolved.append((r, r.iface))
                elif r.iface not in names:
                    self.lines.undefined(r.iface, "interface", s)
                elif r.iface in self.by_name:
                    resolved.append((r, r.iface))
                continue
            pending.append(r)
        # next hops: on a connected network, else through another static route (recursively)
        for _round in range(8):
            still = []
            for r in pending:
                hop = r.nexthop.lo
                via = None
                vrf = None if r.global_hop else r.vrf  # (the table the next hop is looked up in)
                for d in self.active:
                    if vrf != d.vrf:
                        continue
                    for net, _own, _k in (d.v4 if r.family == 4 else d.v6):
                        if hop in net:
                            via = d.name
                            break
                    if via:
                        break
                if via is None:
                    # (the route the router uses for the next hop: the longest prefix, then the lowest
                    # administrative distance, as for any destination)
                    best = None
                    for r2, if2 in resolved:
                        if r2.vrf == vrf and hop in r2.prefix and (best is None or (r2.plen, -r2.distance) > best[0]):
                            best = ((r2.plen, -r2.distance), if2, r2.line)
                    via = best[1] if best else None
                    if best:
                        through[self.src(r.line).line] = self.src(best[2]).line
                    if best and best[2] in tracked:
                        tracked.add(r.line)
                if via is None:
                    still.append(r)
                else:
                    resolved.append((r, via))
            if len(still) == len(pending):
                break
            pending = still
        for r in pending:
            self.lines.unrecognized(self.src(r.line), "the next hop is on no connected network and no static "
                                    "route: which interface reaches this prefix is not known (traffic to it "
                                    "is reported as not routed)", Impact.NONE)
        gone: list[Route] = []
        connected = [(i.name, i.networks, i.table) for i in m.interfaces]
        for r, via in sorted(resolved, key=lambda x: x[0].line):
            s = self.src(r.line)
            if via.lower().startswith("null"):  # (drops what it routes: a denying path at its line, kit.routes)
                via = drop_egress(via, s)
            m.routes.append(Route(r.prefix, r.plen, via, s, (r.distance,), table=r.vrf or ""))
            if r.line in tracked:
                gone.append(m.routes[-1])
        # the default route of a DHCP client interface ('ip address dhcp', parser.DHCP_ROUTE_DISTANCE): installed only
        # when the server names a gateway, so what it routes is not settled by the configuration
        for d in self.active:
            got = d.dhcp_route
            if got is None or got[0] < 0 or got[1] is None or got[1] == 255:
                continue
            r = Route(ALL_V4, 0, d.name, self.src(got[0]), (got[1],), table=d.vrf or "")
            m.routes.append(r)
            nets = withdrawn(connected, m.routes, [r])
            if nets:
                m.unsettled.append((nets, r.source, "the default route the DHCP client of %s installs (distance %d): "
                                    "only when the DHCP server names a gateway" % (d.name, got[1])))
        # a tracked route is in the routing table only while its tracked object is up: what its withdrawal
        # routes elsewhere (by the next best route, or nowhere) is not settled by the configuration
        if gone:
            moved = withdrawn(connected, m.routes, gone)
            for r in gone:
                nets = moved.intersect(r.prefix)
                if nets:
                    m.unsettled.append((nets, r.source, "a tracked route (track): the router removes it from the "
                                        "routing table when its tracked object goes down and routes these "
                                        "addresses by the next best route, or not at all"))
        # two routes to one prefix of one distance over two interfaces: IOS shares the load between them (a
        # session takes either: Cisco, "How Does Load Balancing Work?"), so which interface's rules decide
        # the addresses the two route differently is not known; nor those of a route whose next hop one of
        # them reaches (through either)
        why = "static routes to one prefix with the same distance over %s and %s: the router shares the load"
        shared: set[int] = set()
        for table in dict.fromkeys(r.table for r in m.routes):
            for (a, _x), (b, _y) in equal_cost([(r, None) for r in m.routes if r.table == table]):
                if report_tie(self.lines, m.unsettled, connected, m.routes, a, b, why % (a.interface, b.interface)):
                    shared.update((a.source.line, b.source.line))
        for r in m.routes:
            k = through.get(r.source.line)
            while k is not None and k not in shared:
                k = through.get(k)
            if k is not None:
                moved = [replace(x, interface="\0tied") if x is r else x for x in m.routes]
                nets = routed_apart(connected, m.routes, moved)
                if nets:
                    m.unsettled.append((nets, r.source, "its next hop is reached by static routes of the same "
                                        "distance over two interfaces (line %d): the router shares the load, so "
                                        "which interface packets from or to these addresses take is not known" % k))

    def placement(self, iface: str, direction: str) -> tuple[ISet, ISet]:
        """Which packets the list interface ``iface`` applies in ``direction`` (``in``, ``out``) sees, by
        address: inbound, those whose source the routing tables reach through the interface (they come
        in through it); outbound, those whose destination it does (they leave through it); as the
        engine places interfaces (``auditor.core.routing.regions``, every table's blocks at once).  The
        answer: (the addresses certainly so, those that may be).  Not certain: what a learned route may
        route (all but the connected networks, with dynamic routing); with several routing tables
        (VRFs), the sources two tables route equally specifically, and every destination (which table
        routes it depends on where the packet came in); outbound, every destination where NAT may
        translate one after routing (``ip nat outside source``, inside to outside: NAT_ORDER; ``ip nat
        inside source`` translates destinations before routing, sources after; the NAT Virtual Interface's
        ``ip nat source`` after routing, both ways)."""
        m, p = self.model, self.p
        if self._regions is None:
            self._regions = regions([(i.name, i.networks) for i in m.interfaces], m.routes)
            self._unplaced = self._unplaced.union(unsettled_region(m.interfaces, bool(p.learned),
                                                                   learned_space(p.learned_families), m.unsettled))
            self._unplaced_out = self._unplaced
            tables: dict[str, list[tuple[ISet, None]]] = {}
            for i in m.interfaces:
                tables.setdefault(i.table, []).append((i.networks, None))
            for r in m.routes:
                tables.setdefault(r.table, []).append((r.prefix, None))
            if len(tables) > 1:
                self._unplaced = self._unplaced.union(ISet.union_of(nets for nets, _t, _w in shared_sources(tables)))
                self._unplaced_out = ALL_ADDR
            if any(st.toks[2] == "outside" for st in p.nat.statements) or p.nat.nvi:
                self._unplaced_out = ALL_ADDR
        unplaced = self._unplaced if direction == "in" else self._unplaced_out
        mine = self._regions.get(iface, EMPTY)
        return mine.subtract(unplaced), mine.union(unplaced)

    # --- stages ----------------------------------------------------------------------
    def acl_stage(self, d, direction: str, family: int) -> Stage | None:
        key = direction + ("6" if family == 6 else "")
        bound = d.acl.get(key)
        if bound is None:
            return None
        cache_key = ("acl", d.name, key)
        if cache_key in self._stages:
            return self._stages[cache_key]
        name, k = bound
        where = self.src(k)
        acl = self.p.acls.get(name)
        sees = "sent" if direction == "in" else "final"
        sname = "%s%s:%s" % (direction, "6" if family == 6 else "", d.name)
        want = ("ipv6",) if family == 6 else ("standard", "extended")
        if acl is None or acl.kind not in want:
            # (reported, but as a reference whose effect is known: "If the specified access list does not exist, all
            # packets are passed" (IOS command reference, ``ip access-group``); an IPv6 list's implicit deny takes
            # effect only once it has an entry (Catalyst 3560 command reference, ``ipv6 access-list``))
            self.lines.undefined(name, "IPv6 access list" if family == 6 else "IPv4 access list", where,
                                 impact=Impact.NONE)
            st = Stage(sname, (), Action.PERMIT, where, "access list %s is not defined: IOS passes every packet"
                       % name, stateful=False, sees=sees)
        else:
            f = self.filters[name]
            if not f.rules:
                st = Stage(sname, (name,), Action.PERMIT, where, "access list %s has no entries: IOS permits "
                           "every packet" % name, stateful=False, sees=sees)
            elif family == 6:
                nd = self.nd_filter(name, acl.line)
                dropped = self.nd_dropped(name, f.rules) if direction == "in" else None
                st = Stage(sname, ((dropped,) if dropped else ()) + (name, nd), Action.DENY, f.rules[-1].source,
                           "implicit 'deny ipv6 any any' at the end of IPv6 access list %s (%s on %s), after its "
                           "implicit permits of nd-na and nd-ns" % (name, direction, d.name),
                           stateful=False, sees=sees)
            else:
                st = Stage(sname, (name,), Action.DENY, f.rules[-1].source,
                           "implicit deny at the end of access list %s (%s on %s)" % (name, direction, d.name),
                           stateful=False, sees=sees)
            doubt = d.acl_doubt.get(key)
            if doubt is not None and f.rules:
                st = replace(st, filters=(self.maybe_removed(st, name, doubt),) + st.filters)
        self._stages[cache_key] = st
        return st

    def urpf_stage(self, d, family: int) -> Stage | None:
        """Unicast RPF on ``d`` (``parser.Urpf``), after its inbound access list ("If an ACL is specified ...
        the ACL is checked" only for the packets that fail; the input ACL itself is applied first, Cisco IOS
        Security Configuration Guide 12.4T, "Configuring Unicast Reverse Path Forwarding"): a packet arriving on
        ``d`` passes when the routing table of ``d``'s VRF reaches its source through ``d`` (strict) or through
        any interface but Null0 (loose), by a route other than the default route unless ``allow-default``.  The
        sources a learned route or an unsettled one may reach (``unsettled_region``) are unknown; so is every
        source that fails when an access list may forward it."""
        u = d.urpf.get(family)
        if u is None:
            return None
        key = ("urpf", d.name, family)
        if key in self._stages:
            return self._stages[key]
        m, p = self.model, self.p
        table = d.vrf or ""
        ifs = [(i.name, i.networks) for i in m.interfaces if i.table == table]
        routes = [r for r in m.routes if r.table == table and (u.allow_default or r.prefix_len > 0)]
        reached = regions(ifs, routes)
        real = {i.name for i in m.interfaces}
        if u.strict:
            ok = reached.get(d.name, EMPTY)
        else:
            ok = ISet.union_of(nets for name, nets in reached.items() if name in real)
        fam = ALL_V6 if family == 6 else ALL_V4
        doubt = unsettled_region(m.interfaces, bool(p.learned), learned_space(p.learned_families),
                                 m.unsettled).intersect(fam)
        fail = fam.subtract(ok).subtract(doubt)
        if u.acl is not None:
            doubt, fail = doubt.union(fail), EMPTY
        s = self.src(u.line)
        what = "%s mode%s" % ("strict" if u.strict else "loose", ", the default route allowed" if u.allow_default
                                                                     else "")
        name = "unicast RPF %s%s (%s)" % (d.name, " IPv6" if family == 6 else "", what)
        if not fail and not doubt:
            self._stages[key] = None
            return None
        why = ("unicast RPF (%s) on %s: the source is not reached %s%s" % (
            what, d.name, "through this interface" if u.strict else "through any interface",
            "" if u.allow_default else " by a route other than the default route"))
        if u.acl is not None:
            why += "; access list %s may forward it (not modelled)" % u.acl
        self.filters[name] = Filter(name, (new_rule(name, 0, Action.DENY, PacketSet([cube(src=fail)]) if fail
                                                    else NOTHING, s,
                                                    maybe=PacketSet([cube(src=doubt)]) if doubt else NOTHING,
                                                    note=why, builtin=True, label=why),), s, kind="implicit")
        st = Stage("urpf%s:%s" % ("6" if family == 6 else "", d.name), (name,), Action.PERMIT, s,
                   "unicast RPF on %s passes the sources it reaches back" % d.name, stateful=False, sees="sent")
        self._stages[key] = st
        return st

    def crypto_stage(self, d, direction: str, family: int) -> Stage | None:
        """The crypto map on ``d`` (``parser.CRYPTO_DOC``): the packets leaving ``d`` that the permit entries of
        its entries' ``match address`` lists match are encrypted to the peer (dropped while no security
        association is up: "out"); those arriving on ``d`` that the lists match mirrored are dropped when they
        come in clear text and pass when they came through the tunnel ("in").  Neither is in the config: those
        packets are unknown, at the interface's ``crypto map`` line.  An entry of a dynamic map without a
        list, or a GDOI group's (its policy comes from the key server), may protect any packet; an undefined
        list or dynamic map too; a static entry without a list is incomplete and IOS does not use it."""
        got = d.crypto.get(family)
        if got is None:
            return None
        key = ("crypto", d.name, direction, family)
        if key in self._stages:
            return self._stages[key]
        name, k = got
        fam = V6_SCOPE if family == 6 else V4_SCOPE
        entries = self.p.crypto_maps.get(name)
        s = self.src(k)
        if entries is None:
            self.lines.undefined(name, "crypto map", s)
            self._stages[key] = None
            return None
        lists: list[str | None] = []
        for _line, acl, dyn, gdoi in entries:
            if gdoi:
                lists.append(None)
            elif dyn is not None:
                lists += [a for _l, a in self.p.dynamic_maps.get(dyn, [(0, None)])]
            elif acl is not None:
                lists.append(acl)
        match = NOTHING
        for acl in lists:
            f = self.filters.get(acl) if acl is not None else None
            if f is None:
                match = ALL
                break
            sure, unsure = permitted(f.rules)
            match = match.union(sure).union(unsure)
        match = match.intersect(fam)
        if direction == "in":
            match = replies(match)
        if not match:
            self._stages[key] = None
            return None
        why = ("crypto map %s on %s: %s" % (name, d.name, "IPsec encrypts these packets to its peer (dropped "
               "while no security association is up)" if direction == "out" else "these packets are dropped in "
               "clear text and pass through the tunnel") + "; whether the tunnel is up or the packet came through "
               "it is not modelled")
        fname = "crypto map %s %s %s%s" % (name, direction, d.name, " IPv6" if family == 6 else "")
        self.filters[fname] = Filter(fname, (new_rule(fname, 0, Action.DENY, NOTHING, s, maybe=match, note=why,
                                                      builtin=True, label=why),), s, kind="implicit")
        st = Stage("crypto%s:%s:%s" % ("6" if family == 6 else "", direction, d.name), (fname,), Action.PERMIT, s,
                   "crypto map %s on %s: packets its access lists do not protect pass in clear text" % (name, d.name),
                   stateful=False, sees="sent" if direction == "in" else "final")
        self._stages[key] = st
        return st

    def tunnel_stage(self, d, direction: str, family: int) -> Stage | None:
        """A tunnel interface ``d`` (``parser.TUNNEL_DOC``): the packets it carries ("out": routed out of it;
        "in": arriving through it) cross another interface encapsulated, from the tunnel source to the tunnel
        destination, where that interface's access lists, zone or crypto map act on the carrier packets.  Where
        the config does not settle which interface carries them (``carrier``): where another interface of the
        router filters (an access list, a zone where a zone pair names the self zone, a crypto map, unicast RPF),
        every packet through the tunnel is unknown, at its ``tunnel destination`` line; where none does, the
        carrier packets pass and so does the tunnel.  A GRE tunnel whose carrier interface the config settles
        (``carrier``) is unknown only where that interface may drop its GRE packets, and denied where its
        inbound list denies them (``carrier_verdict``)."""
        if d.tunnel is None:
            return None
        key = ("tunnel", d.name, direction, family)
        if key in self._stages:
            return self._stages[key]
        # (a zone: the carrier packets go to or come from the router itself, which zones filter only where a zone
        # pair names the self zone)
        self_pair = any(SELF in k for k in self.policies)
        got = self.carrier(d)
        denied = None
        if got is not None:
            x, gre = got
            verdict, denied = self.carrier_verdict(x, direction, gre, self_pair)
            filtering = [] if verdict == "pass" else [x.name]
        else:
            filtering = [x.name for x in self.active if x is not d and x.kind == "normal" and
                         (x.acl or x.crypto or x.urpf or self_pair and self.zone_of.get(x.name))]
        if not filtering:
            self._stages[key] = None
            return None
        s = self.src(d.tunnel)
        if got is not None:
            why = ("tunnel %s: %s encapsulated in GRE packets (tunnel source to tunnel destination) through %s, "
                   "the interface the route to the tunnel destination takes, whose %s list, crypto map, NAT, zone "
                   "or unicast RPF may drop those: not modelled" % (
                       d.name, "these packets leave" if direction == "out" else "these packets arrived",
                       filtering[0], "outbound" if direction == "out" else "inbound"))
        else:
            why = ("tunnel %s: %s encapsulated (tunnel source to tunnel destination) over another interface, whose "
                   "access lists, zone or crypto map (%s) act on the carrier packets: not modelled" % (
                       d.name, "these packets leave" if direction == "out" else "these packets arrived",
                       ", ".join(sorted(filtering)[:3]) + (", ..." if len(filtering) > 3 else "")))
        fname = "tunnel %s %s%s" % (d.name, direction, " IPv6" if family == 6 else "")
        scope = V6_SCOPE if family == 6 else V4_SCOPE
        if denied is not None:
            why = ("tunnel %s: these packets arrive encapsulated in GRE packets (tunnel destination to tunnel source) "
                   "through %s, the interface the route to the tunnel destination takes, whose inbound access list "
                   "denies those at line %d" % (d.name, filtering[0], denied.line))
            rule = new_rule(fname, 0, Action.DENY, scope, denied, note=why, builtin=True, label=why)
        else:
            rule = new_rule(fname, 0, Action.DENY, NOTHING, s, maybe=scope, note=why, builtin=True, label=why)
        self.filters[fname] = Filter(fname, (rule,), s, kind="implicit")
        st = Stage("tunnel%s:%s:%s" % ("6" if family == 6 else "", direction, d.name), (fname,), Action.PERMIT, s,
                   why, stateful=False, sees="sent" if direction == "in" else "final")
        self._stages[key] = st
        return st

    def carrier(self, d) -> tuple | None:
        """The interface a GRE tunnel ``d``'s carrier packets cross, and those packets (leaving: GRE, protocol 47,
        from the tunnel source to the tunnel destination), or None where that is not settled by the config.

        GRE is the default tunnel mode ("tunnel mode gre ip ... Generic route encapsulation (GRE) ... is the
        default": Cisco IOS Interface and Hardware Component Command Reference, ``tunnel mode``); the carrier
        packets are routed to the tunnel destination like any packet, so they leave through the interface the
        routing table sends it to, and (as the model places any source: ``placement``) the peer's arrive
        through it.  Not settled: another mode (IPsec, multipoint, IP-in-IP...), ``tunnel protection`` (the GRE
        packets leave encrypted) or ``tunnel vrf`` (another table), any other tunnel setting but ``key``; a
        destination or source that is not one IPv4 address of the router (a host name, an interface without
        one); a destination the routing does not place on one interface for certain (dynamic routing, VRFs,
        NAT after routing), or one routed into a tunnel."""
        cmds = d.tunnel_cmds
        if set(cmds) - {"source", "destination", "mode", "key"} or cmds.get("mode", ["gre", "ip"]) != ["gre", "ip"]:
            return None
        dst, src = cmds.get("destination", []), cmds.get("source", [])
        if len(dst) != 1 or len(src) != 1 or d.vrf is not None:
            return None
        try:
            far = host_set(dst[0], 4)
        except (OperandError, ValueError):
            return None
        near = None
        by_name = {x.name: x for x in self.p.ifaces}
        via = by_name.get(self.p.ifnames.resolve(src[0])[0])
        if via is not None:
            near = next((own for _net, own, k in via.v4 if k == via.primary), None)
        else:
            try:
                near = host_set(src[0], 4)
            except (OperandError, ValueError):
                return None
        if near is None or self.model.local is None or near.subtract(self.model.local):
            return None
        out = [i for i in self.model.interfaces if not far.subtract(self.placement(i.name, "out")[0])]
        maybe = [i for i in self.model.interfaces if far.intersect(self.placement(i.name, "out")[1])]
        if len(out) != 1 or len(maybe) != 1 or out[0].name == d.name or out[0].name not in self.by_name:
            return None
        x = self.by_name[out[0].name]
        if x.tunnel is not None or x.vrf is not None:
            return None
        return x, PacketSet([cube(src=near, dst=far, proto=ISet.of(47))])

    def carrier_verdict(self, x, direction: str, gre: PacketSet, self_pair: bool) -> tuple[str, Source | None]:
        """What interface ``x`` does with a tunnel's GRE carrier packets ``gre`` (as they leave, for packets routed
        out of the tunnel: "out"; mirrored, arriving, for packets that came through it: "in"): ("pass", None) where
        its access list of that direction permits all of them for certain and no crypto map, NAT, zone pair with the
        self zone, unicast RPF (inbound) or control-plane policy (inbound: the carrier packets are for the router)
        acts on them; ("deny", the line) where its inbound list denies all of them for certain, by one entry or its
        implicit deny ([GRE-ACL]: the tunnel then carries nothing in); else ("unknown", None).  (Whether an outbound
        list filters the packets the router encapsulates is not said here: it must permit them for certain, else
        the tunnel stays unknown.)"""
        if x.crypto or x.nat or x.acl_doubt.get(direction) is not None:
            return "unknown", None
        if direction == "in":
            gre = replies(gre)
        bound = x.acl.get(direction)
        acl = self.p.acls.get(bound[0]) if bound is not None else None
        f = self.filters.get(bound[0]) if bound is not None else None
        if bound is not None and acl is not None and (acl.kind not in ("standard", "extended") or f is None):
            return "unknown", None
        if f is not None and f.rules:  # (an undefined list, or one without entries, passes every packet: acl_stage)
            left = gre
            for r in f.rules:
                if not r.enabled:
                    continue
                if r.maybe and left.intersect(r.maybe):
                    return "unknown", None
                hit = left.intersect(r.match)
                if not hit:
                    continue
                if left.subtract(r.match):
                    return "unknown", None
                if r.action is not Action.PERMIT:
                    return ("deny", r.source) if direction == "in" else ("unknown", None)
                left = NOTHING
                break
            if left:  # (the implicit deny at the end)
                return ("deny", f.rules[-1].source) if direction == "in" else ("unknown", None)
        if (self_pair and self.zone_of.get(x.name)) or (direction == "in" and (x.urpf or self.p.control_plane_drops)):
            return "unknown", None
        return "pass", None

    def control_plane_stage(self, family: int) -> Stage | None:
        """The control plane's policies (``parser.IosParser.control_plane``), on the packets to the router after
        the inbound checks: a policy that drops a class, or Management Plane Protection, leaves every such packet
        unknown at its line (the first one: each says the same)."""
        drops = self.p.control_plane_drops
        if not drops:
            return None
        key = ("control-plane", family)
        if key in self._stages:
            return self._stages[key]
        k, why = min(drops)
        s = self.src(k)
        fname = "control-plane%s" % (" IPv6" if family == 6 else "")
        self.filters[fname] = Filter(fname, (new_rule(fname, 0, Action.DENY, NOTHING, s,
                                                      maybe=V6_SCOPE if family == 6 else V4_SCOPE, note=why,
                                                      builtin=True, label=why),), s, kind="implicit")
        st = Stage("control-plane%s" % ("6" if family == 6 else ""), (fname,), Action.PERMIT, s, why,
                   stateful=False, sees="sent")
        self._stages[key] = st
        return st

    def vty_stage(self, d, family: int) -> Stage | None:
        """The virtual terminal lines' access classes (``parser.IosParser.vty_block``) on the Telnet and SSH
        connections (TCP 23, 22) to the router arriving through ``d``: a connection takes any free vty line, so a
        source is refused for certain where every vty block's list denies it, and accepted (as before) where every
        block's list, or a block without one, permits it; the rest is unknown at the first ``access-class`` line.
        A standard list (IPv4) or an IPv6 list is read as it reads packets; an extended IPv4 list or an undefined one
        decides nothing for certain; without ``vrf-also`` a block refuses the connections of a VRF interface.
        (Whether SSH or Telnet is enabled, ``transport input``, is not modelled: what is not refused here passes.)"""
        blocks = self.p.vty
        if not any(b.get(family) for b in blocks):
            return None
        key = ("vty", family, d.vrf is not None)
        if key in self._stages:
            return self._stages[key]
        sure, denied = ALL, ALL
        for b in blocks:
            got = b.get(family)
            if got is None:
                yes, no = ALL, NOTHING
            elif d.vrf is not None and not got[2]:
                yes, no = NOTHING, ALL
            else:
                acl, f = self.p.acls.get(got[0]), self.filters.get(got[0])
                if acl is None or f is None or acl.kind != ("ipv6" if family == 6 else "standard"):
                    yes, no = NOTHING, NOTHING
                else:
                    yes, maybe = permitted(f.rules)
                    no = ALL.subtract(yes).subtract(maybe)
            sure, denied = sure.intersect(yes), denied.intersect(no)
        ports = PacketSet([cube(proto=ISet.of(PROTO_TCP), dport=ISet.of(22).union(ISet.of(23)))])
        deny, maybe = ports.intersect(denied), ports.subtract(sure).subtract(denied)
        st = None
        if deny or maybe:
            s = self.src(min(got[1] for b in blocks for got in b.values() if got is not None))
            why = ("the access-class of the vty lines refuses these Telnet/SSH connections to the router"
                   if not maybe else "the access-class of the vty lines may refuse these Telnet/SSH connections to "
                   "the router (which vty line a connection takes, or what the list decides, is not known)")
            fname = "vty access-class%s%s" % (" IPv6" if family == 6 else "", " (VRF)" if d.vrf is not None else "")
            self.filters[fname] = Filter(fname, (new_rule(fname, 0, Action.DENY, deny, s, maybe=maybe, note=why,
                                                          builtin=True, label=why),), s, kind="implicit")
            st = Stage("vty%s%s" % ("6" if family == 6 else "", ":vrf" if d.vrf is not None else ""), (fname,),
                       Action.PERMIT, s, "connections the vty lines' access-class accepts", stateful=False,
                       sees="sent")
        self._stages[key] = st
        return st

    def maybe_removed(self, st: Stage, acl: str, line: int) -> str:
        """The filter put in front of a list that a ``no ip access-group OTHER in|out`` may have removed
        (``Iface.acl_doubt``): with the list, what it does not permit for certain is dropped or unknown; without
        it, everything passes.  Its one rule leaves those packets unknown; what the list permits for certain
        passes either way."""
        name = "%s (maybe removed, line %d)" % (acl, line + 1)
        if name not in self.filters:
            sure, _unsure = permitted(r for f in st.filters for r in self.filters[f].rules)
            s = self.src(line)
            self.filters[name] = Filter(name, (new_rule(name, 0, Action.DENY, NOTHING, s, maybe=ALL.subtract(sure),
                                                        note="the list may have been removed", builtin=True,
                                                        label="'no' of another list than %s" % acl),), s,
                                        kind="implicit")
        return name

    def nd_dropped(self, acl: str, rules: list[Rule]) -> str | None:
        """An inbound IPv6 list whose own entries drop the neighbours' neighbour discovery (NS/NA
        from link-local addresses) before its implicit permits: the router cannot resolve the
        link's neighbours, so what the list permits may carry nothing (unless the neighbours are
        static).  Not modelled: every IPv6 packet it would let in is unknown (a filter put in
        front), and the entry that drops the neighbour discovery is reported.  NetworkLessons, "ACL - IPv6 implicit
        statements": an explicit "deny ipv6 any any" at the end drops neighbor discovery unless
        the two permits come before it; Cisco, "deny (IPv6 access-list configuration)": "To
        disallow ICMPv6 neighbor discovery ... there must be an explicit deny entry"."""
        name = "%s (drops neighbour discovery)" % acl
        if name in self.filters:
            return name
        denier, _rest = nd_denier(rules)
        if denier is None:
            return None
        why = ("IPv6 access list %s drops neighbour discovery (nd-ns/nd-na) before its implicit permits: "
               "inbound, the router cannot resolve the link's neighbours, so IPv6 through the interface is "
               "not modelled (permit 'icmp any any nd-na' and 'nd-ns' before this entry)" % acl)
        self.lines.unrecognized(denier.source, why, Impact.FILTER, acl)
        sure, unsure = permitted(rules)  # (what the list drops is dropped anyway)
        self.filters[name] = nd_gate(name, sure.union(unsure), denier.source,
                                     "the list drops neighbour discovery: whether IPv6 packets get through is not "
                                     "modelled", "IPv6 access list %s dropping neighbour discovery" % acl)
        return name

    def nd_filter(self, acl: str, line: int) -> str:
        """The implicit permits of neighbour discovery every IPv6 access list ends with (Cisco IOS
        XE Security Configuration Guide, "IPv6 Access Control Lists": "permit icmp any any nd-na",
        "permit icmp any any nd-ns", then "deny ipv6 any any")."""
        name = "%s (implicit ND permits)" % acl
        if name not in self.filters:
            s = self.src(line)
            rules = tuple(new_rule(name, k, Action.PERMIT, PacketSet([cube(
                src=ALL_V6, dst=ALL_V6, proto=ISet.of(PROTO_ICMP6), dport=ISet.of(t * 256, t * 256 + 255))]), s,
                note="implicit permit icmp any any %s" % what, builtin=True,
                label="implicit 'permit icmp any any %s' of IPv6 access list %s" % (what, acl))
                for k, (t, what) in enumerate(((136, "nd-na"), (135, "nd-ns"))))
            self.filters[name] = Filter(name, rules, s, kind="implicit")
        return name

    def open_stage(self, d, local: bool = False) -> Stage:
        """The stage of a path through ``d`` that no access list or zone filters (``local``: of a packet addressed
        to the router, which it receives, not forwards: "For ... inbound access lists, after receiving a packet, the
        Cisco IOS software checks ... the packet against the access list"; an outbound list, "after receiving and
        routing a packet to a controlled interface", Cisco IOS command reference, ``ip access-group``)."""
        key = ("open", d.name, local)
        st = self._stages.get(key)
        if st is None:
            st = self._stages[key] = (
                Stage("local:%s" % d.name, (), Action.PERMIT, self.src(d.line), "no inbound access list or zone "
                      "applies: the packet is addressed to the router, which receives it", stateful=False)
                if local else
                Stage("forward:%s" % d.name, (), Action.PERMIT, self.src(d.line),
                      "no access list or zone applies: IOS forwards the packet", stateful=False))
        return st

    # --- the zone-based firewall -----------------------------------------------------
    def zones(self) -> None:
        zbf = self.p.zbf
        self.policies: dict[tuple[str, str], PairPolicy] = {}
        self.stateless = False
        if not zbf.used:
            return
        for zp in zbf.pairs:
            for z in (zp.src, zp.dst):
                if z != SELF and z not in zbf.zones:
                    self.lines.undefined(z, "security zone", self.src(zp.line))
            key = (zp.src, zp.dst)
            if key in self.policies:
                self.lines.unrecognized(self.src(zp.line), "a second zone-pair for zones %s -> %s (IOS allows "
                                        "one)" % key, Impact.GLOBAL)
                continue
            pp = zbf.pair_policy(zp, self.filters, self.src)
            self.policies[key] = pp
            if pp.filter is not None:
                self.filters[pp.filter.name] = pp.filter
        # 'pass' permits one direction only: its replies are decided by the reverse policy, so
        # every zone stage decides each packet (stateless), and an inspected connection's replies
        # are permitted by mirrored rules in the reverse stage
        self.stateless = any(pp.has_pass for pp in self.policies.values())
        if self.stateless:
            for pp in self.policies.values():
                if pp.filter is None:
                    continue
                inspected = {r.index for r in pp.rules if r.action == "inspect"}
                rules = []
                for r in pp.filter.rules:
                    if r.index in inspected:
                        rules.append(new_rule("", 0, Action.PERMIT, replies(r.match), r.source,
                                              maybe=replies(r.maybe), states=ESTABLISHED,
                                              note="replies of connections inspected by zone-pair %s" % pp.pair.name,
                                              sure_action=r.sure_action))
                if rules:
                    name = "zone-pair %s (replies)" % pp.pair.name
                    self.filters[name] = Filter(name, tuple(_named(rules, name)), pp.filter.source, kind="derived")
                    pp.mirror = name
            for pp in self.policies.values():
                self.guard_passed_replies(pp)
        self.zone_timeouts()

    def guard_passed_replies(self, pp: PairPolicy) -> None:
        """The replies of TCP connections the reverse zone pair passes (no state) meet this pair's
        policy as packets of no session: an ``inspect`` class drops them ("return TCP packets ... that
        did not receive the initial synchronization (SYN) message are dropped because they do not belong
        to any known existing session", Cisco, "Interchassis Asymmetric Routing Support for Zone-Based
        Policy Firewalls"), where the later packets of a connection it inspects pass.  Both are later
        packets (``ESTABLISHED``) to the engine: where they meet, before each inspecting rule, a rule makes
        them unknown."""
        back = self.policies.get((pp.pair.dst, pp.pair.src))
        if pp.filter is None or back is None or back.filter is None:
            return
        passed = ALL if back.default is Action.PERMIT else NOTHING
        for r in back.rules:
            if r.action == "pass":
                rule = back.filter.rules[r.index]
                passed = passed.union(rule.match).union(rule.maybe)
        doubt = replies(passed.intersect(TCP))
        inspected = {r.index for r in pp.rules if r.action == "inspect"}
        if not doubt or not inspected:
            return
        rules, moved = [], {}
        for r in pp.filter.rules:
            if r.index in inspected:
                region = r.match.union(r.maybe).intersect(doubt)
                if region:
                    rules.append(new_rule("", 0, Action.DENY, NOTHING, r.source, maybe=region, states=ESTABLISHED,
                                          note="replies of TCP connections zone-pair %s passes (no session: an "
                                               "'inspect' drops them) or later packets of connections this class "
                                               "inspects (they pass): not told apart" % back.pair.name))
            moved[r.index] = len(rules)
            rules.append(r)
        if len(rules) == len(pp.filter.rules):
            return
        f = pp.filter
        pp.filter = self.filters[f.name] = Filter(f.name, tuple(_named(rules, f.name)), f.source, kind=f.kind)
        for pr in pp.rules:
            pr.index = moved[pr.index]

    def zone_stage(self, za, zb, a_line: int, b_line: int, a_name: str, b_name: str) -> Stage | None:
        """The zone firewall's stage from zone ``za`` to ``zb`` (``SELF`` for the router; None
        for an interface in no zone)."""
        # (between a zone member and an interface in no zone the stage names both interfaces: one per pair)
        key = ("zone", za, zb) + ((a_name, b_name) if za is None or zb is None else ())
        if key in self._stages:
            return self._stages[key]
        st = self._zone_stage(za, zb, a_line, b_line, a_name, b_name)
        self._stages[key] = st
        return st

    def _zone_stage(self, za, zb, a_line, b_line, a_name, b_name) -> Stage | None:
        if not self.p.zbf.used or (za is None and zb is None):
            return None
        if za is None or zb is None:
            if SELF in (za, zb):
                return None  # an interface in no zone and the router itself: not a zone matter
            inz, line = (a_name, a_line) if za is not None else (b_name, b_line)
            other = b_name if za is not None else a_name
            return Stage("zones %s->%s" % (za or "(none)", zb or "(none)"), (), Action.DENY, self.src(line),
                         "interface %s is in a security zone and %s is in none: IOS drops traffic between them"
                         % (inz, other), stateful=not self.stateless)
        pp = self.policies.get((za, zb))
        back = self.policies.get((zb, za))
        mirror = back.mirror if back is not None else None
        mirrors = (mirror,) if mirror else ()
        name = "zones %s->%s" % (za, zb)
        if pp is not None:
            fs = mirrors + ((pp.filter.name,) if pp.filter is not None else ())
            return Stage(name, fs, pp.default, self.src(pp.default_line), pp.reason, stateful=not self.stateless)
        if za == zb:
            return Stage(name, mirrors, Action.PERMIT, self.src(a_line),
                         "both interfaces are in zone %s: IOS passes traffic within a zone" % za,
                         stateful=not self.stateless)
        if SELF in (za, zb):
            line = a_line if za != SELF else b_line
            return Stage(name, mirrors, Action.PERMIT, self.src(line),
                         "no zone-pair between zone %s and the self zone: traffic %s the router itself is allowed"
                         % (za if za != SELF else zb, "to" if zb == SELF else "from"), stateful=not self.stateless)
        return Stage(name, mirrors, Action.DENY, self.src(a_line),
                     "no zone-pair from zone %s to zone %s: IOS drops traffic between zones without a policy"
                     % (za, zb), stateful=not self.stateless)

    def zone_timeouts(self) -> None:
        """Idle timeouts of inspected sessions: per inspecting class, from the parameter map its
        ``inspect`` names, else the global one, else the IOS defaults."""
        zbf, m = self.p.zbf, self.model
        ingress = {}
        for d in self.active:
            z = self.zone_of.get(d.name)
            if z:
                ingress.setdefault(z[0], []).append(d.name)
        doubt: set[int] = set()
        for (za, _zb), pp in self.policies.items():
            if pp.filter is None:
                continue
            ifs = tuple(ingress.get(za, ())) if za != SELF else ()
            for pr in pp.rules:
                if pr.action != "inspect":
                    continue
                rule = pp.filter.rules[pr.index]
                pm = zbf.params(pr.params)
                named = pr.params is not None
                for proto, which, default in ((TCP, "tcp", TCP_IDLE_DEFAULT), (UDP, "udp", UDP_IDLE_DEFAULT)):
                    match = rule.match.intersect(proto)
                    if not match:
                        continue
                    val = getattr(pm, which + "_idle") if pm is not None else None
                    where = "zone-pair %s class %s" % (pp.pair.name, pr.cls)
                    if val is not None and not named and which == "tcp":
                        doubt.add(val[1])
                    if val is not None:
                        secs, src = val[0], self.src(val[1])
                        label = "%s: parameter-map type inspect %s %s idle-time" % (where, pm.name, which)
                        is_default = False
                    else:
                        secs = default
                        src = self.src(pr.line) if pr.line is not None else rule.source
                        label = ("%s: IOS default %s idle-time %d s (%s)" % (
                            where, which, default, "not set in parameter-map %s" % pr.params if named else
                            "no parameter-map"))
                        is_default = True
                    m.timeouts.append(Timeout(match, secs, src, interfaces=ifs, label=label, default=is_default,
                                              rule=(pp.filter.name, pr.index)))
        m.timeouts.sort(key=lambda t: t.default)
        for i in sorted(doubt):
            # (that an 'inspect' naming no parameter map takes the global one's idle time is in no Cisco
            # document found: the IOS default, 3600 s, may be in force instead; modelled with the global
            # value, so a finding stays one, and no finding is 'cannot tell')
            self.lines.unrecognized(self.src(i), "whether an 'inspect' without a parameter map takes the global "
                                    "parameter map's tcp idle-time or the IOS default (3600 s) is not known",
                                    Impact.FILTER, "timeouts")

    # --- paths ----------------------------------------------------------------------
    def paths(self) -> None:
        m = self.model
        p = self.p
        transit = [d for d in self.active if d.kind == "normal"]
        has_v6 = any(d.v6 for d in self.active) or any(r.family == 6 for r in p.routes) or any(
            a.kind == "ipv6" for a in p.acls.values())
        fams = ((4, V4_SCOPE), (6, V6_SCOPE)) if has_v6 else ((4, None),)
        zone = self.zone_of
        for a in transit:
            za = zone.get(a.name)
            for b in transit:
                # (a pair of interfaces of two VRFs: the engine routes nothing between them but where a route
                # of the ingress's VRF leads into the other's, as 'ip route vrf V ... global' does)
                zb = zone.get(b.name)
                if a is b:
                    same = PacketSet([cube(src=net, dst=net) for net, _o, _k in a.v4 + a.v6])
                    if same:
                        m.paths.append(Path(a.name, a.name, (), crosses=False, scope=same,
                                            note="both ends are on a subnet of interface %s: the traffic does not "
                                                 "cross the router" % a.name))
                for fam, scope in fams:
                    off = self.routing_off(fam)
                    if off is not None:
                        m.paths.append(Path(a.name, b.name, (off,), scope=scope))
                        continue
                    st = []
                    s1 = self.acl_stage(a, "in", fam)
                    if s1:
                        st.append(s1)
                    rpf = self.urpf_stage(a, fam)
                    if rpf:
                        st.append(rpf)
                    pos = len(st)
                    z = self.zone_stage(za[0] if za else None, zb[0] if zb else None, za[1] if za else a.line,
                                        zb[1] if zb else b.line, a.name, b.name)
                    if z:
                        st.append(z)
                    s2 = self.acl_stage(b, "out", fam)
                    if s2:
                        st.append(s2)
                    if not st:
                        st.append(self.open_stage(a))
                        pos = 1
                    # (a crypto map: after the inbound checks, and after the outbound list: crypto_stage)
                    c1 = self.crypto_stage(a, "in", fam)
                    if c1:
                        st.insert(pos, c1)
                    c2 = self.crypto_stage(b, "out", fam)
                    if c2:
                        st.append(c2)
                    # (a tunnel's carrier packets: tunnel_stage)
                    t1 = self.tunnel_stage(a, "in", fam)
                    if t1:
                        st.insert(pos, t1)
                    t2 = self.tunnel_stage(b, "out", fam)
                    if t2:
                        st.append(t2)
                    m.paths.append(Path(a.name, b.name, tuple(st), scope=scope))
        m.paths += drop_paths(m.routes, (a.name for a in transit), "routed to Null0: IOS discards the packet")
        if m.local:
            self.local_paths(transit, fams)

    def routing_off(self, fam: int) -> Stage | None:
        """The stage that drops the family's transit traffic where the router does not route it, else None.

        IPv4: ``no ip routing`` ("To disable IP routing, use the no form of this command"; "IP routing is
        enabled", Cisco IOS IP Routing: Protocol-Independent Command Reference, ``ip routing``).  IPv6: without
        ``ipv6 unicast-routing`` ("To enable the forwarding of IPv6 unicast datagrams ... Command Default: IPv6
        unicast routing is disabled", Cisco IOS IPv6 Command Reference, ``ipv6 unicast-routing``); IOS XR
        (its ``ipv4 address`` or ``ingress`` syntax) has no such command and routes IPv6.  Traffic to the router
        itself, and between hosts of one subnet, is not routed and keeps its paths."""
        key = ("routing-off", fam)
        if key in self._stages:
            return self._stages[key]
        p = self.p
        st = None
        if fam == 4 and p.no_ip_routing is not None:
            st = Stage("no ip routing", (), Action.DENY, self.src(p.no_ip_routing),
                       "no ip routing: the router does not route IPv4 packets")
        elif fam == 6 and p.ipv6_routing is None and not (p.xr or any(a.xr for a in p.acls.values())):
            st = Stage("no ipv6 unicast-routing", (), Action.DENY, self.lines.head(),
                       "the configuration has no 'ipv6 unicast-routing': IOS does not route IPv6 packets "
                       "(IPv6 unicast routing is off by default)")
        self._stages[key] = st
        return st

    def local_paths(self, transit, fams) -> None:
        """Traffic to the router itself: its inbound access list applies, the zone pair to the self zone if
        there is one, the interface's crypto map, then the control plane's policies (``control_plane_stage``).
        (What the router itself sends is not evaluated: no required flow starts at the router, and a router reaching
        a server is not an exposure.)"""
        m = self.model
        zone = self.zone_of
        for a in transit:
            za = zone.get(a.name)
            for fam, scope in fams:
                st = []
                s1 = self.acl_stage(a, "in", fam)
                if s1:
                    st.append(s1)
                rpf = self.urpf_stage(a, fam)
                if rpf:
                    st.append(rpf)
                pos = len(st)
                z = self.zone_stage(za[0] if za else None, SELF, za[1] if za else a.line, a.line, a.name, "self")
                if z:
                    st.append(z)
                if not st:
                    st.append(self.open_stage(a, local=True))
                    pos = 1
                c1 = self.crypto_stage(a, "in", fam)
                if c1:
                    st.insert(pos, c1)
                t1 = self.tunnel_stage(a, "in", fam)
                if t1:
                    st.insert(pos, t1)
                cp = self.control_plane_stage(fam)
                if cp:
                    st.append(cp)
                vty = self.vty_stage(a, fam)
                if vty:
                    st.append(vty)
                m.paths.append(Path(a.name, None, tuple(st), local="in", scope=scope))

    def nat(self) -> None:
        p = self.p
        inside = tuple(d.name for d in self.active if d.nat == "inside")
        outside = tuple(d.name for d in self.active if d.nat == "outside")
        # (an interface's address; None for one learned at run time, 'ip address dhcp|negotiated')
        own: dict[str, ISet | None] = {d.name: ISet.of(d.v4[0][1].lo) if d.v4 else None for d in self.active
                                       if d.v4 or d.dhcp}
        m = self.model
        m.nat = p.nat.tables(self.filters, inside, outside, own,
                             ISet.union_of(n for d in self.active for n, _a, _k in d.v4),
                             tuple(d.name for d in self.active if d.nat is not None))
        if p.nat.dynamics:
            # (what the main routing table sends out of interfaces other than the outside ones: not
            # translated; a route learned by a routing protocol is not known, its destinations count as outside)
            reached = regions([(i.name, i.networks) for i in m.interfaces if not i.table],
                              [r for r in m.routes if not r.table])
            elsewhere = ISet.union_of(region for name, region in reached.items() if name not in outside)
            m.timeouts = p.nat.translation_timeouts(m.timeouts, inside, outside, elsewhere)
        if p.nat.statements and not (inside and outside):
            self.lines.unrecognized(self.src(p.nat.statements[0].line), "NAT rules but no interface is marked "
                                    "'ip nat inside' and another 'ip nat outside': nothing is translated",
                                    Impact.NONE)


def _named(rules: list[Rule], name: str) -> list[Rule]:
    return [new_rule(name, k, r.action, r.match, r.source, maybe=r.maybe, states=r.states, note=r.note,
                     sure_action=r.sure_action) for k, r in enumerate(rules)]


def assemble(parser, fill: Callable[[Placement], tuple[dict[str, Filter], list[Timeout]]]) -> Model:
    """The model's filters (access lists, zone-pair policies, implicit permits), interfaces,
    routes, paths, timeouts (the zone firewall's, then the reflexive lists', then NAT's) and NAT
    tables.  ``fill`` gives the access lists and the reflexive lists' timeouts once the interfaces
    are placed (what a ``reflect`` entry sees depends on where its list is applied)."""
    a = _Assembler(parser)
    a.interfaces()
    filters, reflexive = fill(a.placement)
    a.filters.update(filters)
    a.zones()
    a.model.timeouts += reflexive
    a.paths()
    a.nat()
    a.model.filters = a.filters
    return a.model


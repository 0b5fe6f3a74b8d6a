"""Interfaces (logical units and their networks), security zones, static routes.

* ``interfaces IF unit N family inet address A/L`` gives logical interface ``IF.N`` the network
  of ``A/L`` (``family inet6`` likewise); ``disable`` on the interface or the unit takes it
  down.  ``family inet filter input|output F`` (and ``input-list``/``output-list``) bind
  firewall filters (``parsers.junos.filters``); a later ``input`` replaces an ``input-list``
  and the other way round (Batfish's Junos tests note the same).
* ``security zones security-zone Z interfaces IF.N`` puts the unit in zone Z (a name without a
  unit means unit 0).  Juniper, "Security Zones" (Junos OS Security Policies User Guide): an
  interface must be in a zone to pass transit traffic; its ``host-inbound-traffic`` concerns
  traffic to the device itself, not transit.
* ``routing-options static route P next-hop A`` reaches P through the interface whose network
  holds A (or the interface named as next hop); ``discard``/``reject`` routes drop the traffic.
  IPv6 static routes are written under ``routing-options rib inet6.0 static`` (Juniper, "rib
  (Routing Options)"; "qualified-next-hop (Static Routes)", hierarchy ``[edit routing-options rib
  inet6.0 static route destination-prefix]``).  ``next-table T`` hands what the route routes to
  table T's lookup (Juniper, "static (Routing Options)": "next-table routing-table-name--Name of
  the next routing table to the destination"): ``Route.next_table``.
* A static route with ``no-install`` (its own, or its table's ``static defaults no-install`` that
  its own ``install`` overrides) is not installed in the forwarding table (Juniper, "install
  (Routing Options)": "Configure whether Junos OS installs all static routes into the forwarding
  table. Even if you configure a route so it is not installed in the forwarding table, the route
  is still eligible to be exported from the routing table to other protocols"): no packet follows
  it, the less specific routes route its prefix (a ``discard no-install`` route that only feeds
  BGP drops nothing).
* ``routing-options aggregate route P`` is installed, while it is active, with a reject next hop (or
  ``discard``): what matches no more specific route is dropped (Juniper, "Understanding Aggregate
  Routes": "An aggregate route becomes active when it has one or more contributing routes. A
  contributing route is an active route that is a more specific match for the aggregate
  destination ... Reject next hop--If a more-specific packet does not match a more-specific route,
  the packet is rejected"; preference 130, "Route Preference Values"; ``passive``: "Routes that
  have been configured to remain continually installed in the routing and forwarding tables are
  marked with reject next hops when they are inactive").  It is active for certain when a static
  route or a connected network of its table lies inside P; with none, inactive, unless a learned
  route may contribute.  Reported (any verdict may change): an aggregate whose ``policy`` chooses
  the contributing routes, one whose only more specific route is the interface's own address (a
  local route), one that only learned routes may make active, and a ``generate`` route that is or
  may be active (it forwards along the next hop of its primary contributing route); an inactive
  one routes nothing.
* Routing instances (``parsers.junos.instances``) have tables of their own: a unit listed in an
  instance is in its table (``Interface.table``), the instance's static routes are in it, and
  their next hops are found among the instance's own interfaces.  Table names: ``inet.0`` and
  ``inet6.0`` are the main instance's (table ``""``), ``NAME.inet.0`` and ``NAME.inet6.0``
  instance NAME's (Juniper, "Routing Instances Overview": "if you configure a routing instance
  with the name my-instance, the corresponding IP unicast table is my-instance.inet.0").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from auditor.core.model import AddressRef, Impact, Interface, Route, Source
from auditor.core.packets import ALL_V6, EMPTY, ISet, addr_to_int
from auditor.core.routing import equal_cost
from parsers.junos.common import INACTIVE, Ctx, is_number, prefix
from parsers.junos.tree import Stmt
from parsers.kit.routes import drop_egress, report_tie

# Juniper, "Understanding Route Preference Values (Administrative Distance)": static routes 5, aggregate 130
DEFAULT_PREFERENCE = 5
AGGREGATE_PREFERENCE = 130
# the options of an aggregate route (Juniper, "aggregate (Routing)": aggregate-options) that do not change where
# it leads ('discard', 'passive', 'preference' and 'metric' are read; 'policy' is reported)
_AGGREGATE_OPTIONS = ("active", "passive", "as-path", "community", "discard", "brief", "full", "metric", "metric2",
                      "metric3", "metric4", "preference", "preference2", "color", "color2", "tag", "tag2", "policy")

_IF_IGNORED = (
    "description", "vlan-tagging", "vlan-id", "native-vlan-id", "mtu", "speed", "link-mode", "gigether-options",
    "ether-options", "encapsulation", "flexible-vlan-tagging", "redundant-ether-options", "fabric-options",
    "aggregated-ether-options", "mac", "traps", "no-traps", "hold-time", "per-unit-scheduler", "damping",
    "fastether-options", "auto-negotiation", "no-auto-negotiation", "tunnel", "vlan-tags", "alias", "apply-macro",
)
_FAM_IGNORED = ("mtu", "sampling", "targeted-broadcast", "no-redirects", "policer", "accounting",
                "primary", "preferred", "mac-validate", "arp-max-cache")


@dataclass
class Unit:
    name: str
    v4: list[tuple[ISet, Stmt]] = field(default_factory=list)
    v6: list[tuple[ISet, Stmt]] = field(default_factory=list)
    disabled: Stmt | None = None
    first: Stmt | None = None
    # family -> direction -> (filter names, the binding statement)
    filters: dict[str, dict[str, tuple[list[str], Stmt]]] = field(default_factory=dict)
    unknown_address: Stmt | None = None
    own: ISet = EMPTY  # its own addresses (the host part of each 'address', VRRP virtual addresses)


class Topology:
    """Units, zones and routes as read; ``interfaces()`` and ``routes()`` give the model's records."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.units: dict[str, Unit] = {}
        self.down: dict[str, Stmt] = {}  # physical interface -> its 'disable'
        # interface ranges: their members ('member NAME' / 'member-range A to B' words), their 'disable' lines
        self.range_members: dict[str, list[tuple[str, ...]]] = {}
        self.range_down: dict[str, Stmt] = {}
        self.zone_of: dict[str, tuple[str, Stmt]] = {}
        self._management: set[str] = set()  # units of the management functional zone (``zone``)
        self.zones: dict[str, Stmt] = {}
        self.screen_of: dict[str, tuple[str, Stmt]] = {}  # zone -> (its screen, the statement binding it)
        self.screens: dict[str, dict[str, Stmt]] = {}  # screen -> {'unknown-protocol' / 'alarm-without-drop': st}
        # (statement, prefix, the words after it, the table it is in)
        self.static: list[tuple[Stmt, str, tuple[str, ...], str]] = []
        # aggregate and generated routes: (statement, aggregate | generate, prefix or "" for defaults, rest, table)
        self.aggregates: list[tuple[Stmt, str, str, tuple[str, ...], str]] = []
        self.table_of: dict[str, tuple[str, Stmt]] = {}  # unit -> its routing instance, and the statement
        self.instances: set[str] = set()  # the routing instances with a table of their own
        self.dhcp: list[Source] = []  # the units' IPv4 DHCP (or PPP) clients: learned routes (``_family``)

    # --- interfaces ------------------------------------------------------------------------
    def interface(self, st: Stmt) -> None:
        t = st.toks
        if len(t) < 3:
            self.ctx.unknown(st, "interface statement not understood")
            return
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return
        phys = t[1]
        if phys == "interface-range":
            self._range(st)
            return
        if phys == "traceoptions":
            self.ctx.ignore(st, "interface traceoptions (logging settings)")
            return
        if t[2] == "disable":
            self.down[phys] = st
            self.ctx.use(st)
            return
        if t[2] == "family":  # (a family, its addresses and filters, belongs to a unit: 'unit N family ...')
            self.ctx.unknown(st, "address family of %s without a unit (the commit refuses it, or it is some unit's: "
                                 "its addresses and filters are not known)" % phys, Impact.GLOBAL)
            return
        if t[2] != "unit":
            self.ctx.ignore(st, "physical interface settings (no effect on filtering)") if t[2] in _IF_IGNORED \
                else self.ctx.unknown(st, "interface setting '%s' not understood" % t[2], Impact.NONE)
            return
        if len(t) < 4:  # ('unit' with no number: a line cut short)
            self.ctx.unknown(st, "interface unit without a number", Impact.NONE)
            return
        if not is_number(t[3]):  # ('unit \u0660': the commit refuses it, so the configuration is not the device's)
            self.ctx.unknown(st, "interface unit number '%s' not understood (a number in ASCII digits)" % t[3],
                             Impact.GLOBAL)
            return
        if len(t) < 5:
            u = self._unit(phys, t[3], st)
            self.ctx.use(st)
            return
        u = self._unit(phys, t[3], st)
        rest = t[4:]
        if rest[0] == "disable":
            u.disabled = st
            self.ctx.use(st)
        elif rest[0] == "family" and len(rest) >= 2:
            self._family(u, rest[1], rest[2:], st)
        elif rest[0] == "filter":
            # a protocol-independent filter (firewall family any) on the unit: not read
            self.ctx.unknown(st, "protocol-independent filter (family any) on %s.%s: not modelled" % (phys, t[3]),
                             Impact.GLOBAL)
        elif rest[0] in _IF_IGNORED:
            self.ctx.ignore(st, "logical interface settings (no effect on filtering)")
        elif rest[0] == "bandwidth":
            # Juniper, "bandwidth (Interfaces)": "Configure an informational-only bandwidth value for an
            # interface" (ifSpeed, and the cost dynamic routing protocols derive from it: learned routes are
            # unknown anyway, ``Config.learned_routes``)
            self.ctx.ignore(st, "informational-only unit bandwidth (ifSpeed, routing protocol cost)")
        elif rest[0] in ("input-vlan-map", "output-vlan-map"):
            # Juniper, "input-vlan-map": "Define the rewrite operation to be applied to the incoming frame on
            # this logical interface" (VLAN tags pushed, popped or swapped: the IP packet is not filtered)
            self.ctx.ignore(st, "VLAN tag rewrites of the unit's frames (no effect on filtering)")
        else:
            self.ctx.unknown(st, "interface unit setting '%s' not understood" % rest[0], Impact.NONE)

    def _range(self, st: Stmt) -> None:
        """``interfaces interface-range R ...``: members and settings common to them.  Juniper, "Interface
        Ranges for Physical Interfaces": the range's configuration applies to every member (appended to or,
        before 14.1X53-D15, overridden by the member's own), so a filter, an address or ``disable`` there
        changes the members' traffic: reported, not expanded."""
        r = st.toks[3:]
        if len(st.toks) >= 3 and (r[:1] == ("member",) and len(r) == 2 or r[:1] == ("member-range",) and len(r) == 4
                                  and r[2] == "to"):
            self.range_members.setdefault(st.toks[2], []).append(r)
        elif r == ("disable",) and len(st.toks) == 4:
            # (the members go down, as with their own 'disable': ``_range_down``)
            self.range_down[st.toks[2]] = st
            return
        unit = r[2:] if r[:1] == ("unit",) else ()
        family = unit[1:] if unit[:1] == ("family",) else ()
        if not r or r[0] in ("member", "member-range") or r[0] in _IF_IGNORED or (
                r[0] == "unit" and (not unit or unit[0] in _IF_IGNORED or (
                    family and (len(family) < 2 or family[1] in _FAM_IGNORED or (
                        family[0] not in ("inet", "inet6") and family[1] != "filter"))))):
            self.ctx.ignore(st, "interface range members and settings (no effect on filtering)")
        else:
            self.ctx.unknown(st, "interface range setting: it applies to each member interface (ranges are not "
                                 "expanded)", Impact.GLOBAL)

    def _unit(self, phys: str, unit: str, st: Stmt) -> Unit:
        name = "%s.%s" % (phys, unit)
        u = self.units.get(name)
        if u is None:
            u = self.units[name] = Unit(name, first=st)
        return u

    def _family(self, u: Unit, fam: str, rest: tuple[str, ...], st: Stmt) -> None:
        if fam not in ("inet", "inet6"):
            if rest[:1] in (("filter",), ("service",)):
                # an EX port filter (family ethernet-switching) or a bridge/VPLS filter matches IP fields too
                what = "firewall filter" if rest[0] == "filter" else "service set"
                self.ctx.unknown(st, "%s of family %s on %s: it filters the IP traffic entering or leaving there "
                                     "too (not modelled)" % (what, fam, u.name), Impact.GLOBAL)
            else:
                self.ctx.ignore(st, "interface family %s (not IP)" % fam)
            return
        if not rest:
            self.ctx.use(st)
            return
        if rest[0] == "address" and len(rest) >= 2:
            try:
                net = prefix(rest[1])
            except ValueError:
                self.ctx.unknown(st, "interface address not understood", Impact.GLOBAL)
                return
            # ('ndp': a static IPv6 neighbour entry, as 'arp' is for IPv4; 'virtual-gateway-address': the
            # gateway address an IRB unit answers for, Juniper, "virtual-gateway-address": the device's own, as
            # a VRRP virtual address)
            if len(rest) > 2 and rest[2] not in ("primary", "preferred", "vrrp-group", "arp", "broadcast",
                                                  "destination", "eui-64", "master-only", "ndp",
                                                  "virtual-gateway-address"):
                self.ctx.unknown(st, "interface address option '%s' not understood" % rest[2], Impact.NONE)
            (u.v4 if fam == "inet" else u.v6).append((net, st))
            if "eui-64" not in rest:  # (an EUI-64 address's host part comes from the MAC address)
                u.own = u.own.union(_own(rest))
            self.ctx.use(st)
        elif rest[0] == "filter" and len(rest) == 3 and rest[1] in ("input", "output", "input-list",
                                                                      "output-list"):
            direction = rest[1].split("-")[0]
            per = u.filters.setdefault(fam, {})
            names, prev = per.get(direction, ([], st))
            is_list = rest[1].endswith("-list")
            was_list = prev.toks[-2].endswith("-list") if direction in per else is_list
            if direction in per and is_list and was_list:
                names = names + [rest[2]]
            else:  # a single filter replaces a list and the other way round
                names = [rest[2]]
            per[direction] = (names, st)
            self.ctx.use(st)
        elif rest[0] == "filter":
            self.ctx.unknown(st, "interface filter binding not understood", Impact.GLOBAL)
        elif rest[0] == "dhcpv6-client" and fam == "inet6":
            # Juniper, "dhcpv6-client (Interfaces)": the unit's IPv6 address (and delegated prefix) come from a
            # DHCPv6 server at run time: every IPv6 address may be on its network or routed by what it learns;
            # IPv4 is not its to decide (``Config.unsettled_routes``: IPv6 packets unknown at this line)
            u.unknown_address = st
            why = "interface %s gets its IPv6 address from DHCPv6 (dhcpv6-client): the IPv6 networks it reaches " \
                  "are not known" % u.name
            self.ctx.unknown(st, why + ", so packets from or to IPv6 addresses are unknown", Impact.NONE)
            self.ctx.unsettled.append((ALL_V6, self.ctx.src(st), why))
        elif rest[0] in ("dhcp", "dhcp-client", "negotiate-address") and fam == "inet":
            # a DHCP client (Juniper, "dhcp-client (Interfaces)"; an SRX's factory default on its untrust port) or
            # an address PPP negotiates: the unit's network and the default route the server gives are learned at
            # run time, as a routing protocol's routes are: packets from or to IPv4 addresses outside the
            # statically addressed units' networks are unknown (``Config.learned_routes``, the builder)
            u.unknown_address = st
            self.ctx.unknown(st, "interface address learned at run time (%s): the networks it reaches are not "
                                 "known, so packets from or to IPv4 addresses outside the statically addressed "
                                 "units' networks are unknown" % rest[0], Impact.NONE)
            self.dhcp.append(self.ctx.src(st))
        elif rest[0] in ("dhcp", "dhcp-client", "dhcpv6-client", "negotiate-address", "unnumbered-address"):
            u.unknown_address = st
            self.ctx.unknown(st, "interface address learned at run time (%s): the networks it reaches are not "
                                 "known" % rest[0], Impact.GLOBAL)
        elif rest[0] == "mac-validate" and rest[1:2] == ("strict",):
            # Juniper, "mac-validate": "strict -- ... Drops packets when the MAC address does not match the tuple's
            # MAC source address, or when IP source address of the incoming packet does not match any of the
            # trusted IP addresses" (static ARP entries, DHCP bindings): which sources pass is not modelled
            # ('loose' drops only a trusted address sent from another MAC address)
            self.ctx.unknown(st, "mac-validate strict on %s: packets from sources without a trusted IP and MAC "
                                 "address pair are dropped (not modelled)" % u.name, Impact.GLOBAL)
        elif rest[0] == "rpf-check":
            # Juniper, "rpf-check (interfaces)": "Check whether traffic is arriving on an expected path ... If the
            # fail filter is not configured, the default action is to silently discard the packet"; "mode
            # (Interfaces)": strict by default (the source must be routed back through the receiving interface),
            # loose drops only sources with no route.  The model already lets a source in only through the
            # interface it is routed through (and reports sources two tables or equal routes share), so the check
            # drops nothing the model lets in
            self.ctx.ignore(st, "unicast RPF check (drops sources not routed back through the interface: the "
                                "model lets a source in only where it is routed)")
        elif rest[0] == "simple-filter":
            # Juniper, "simple-filter (Firewall)" (Junos 9.5 and later): "then { (accept | discard); forwarding-class
            # ...; policer ...; }" (earlier releases: "Simple filters always accept packets"): it may discard some
            # of what enters the unit
            self.ctx.unknown(st, "simple filter on %s (it may discard or police packets entering it): not modelled"
                             % u.name, Impact.GLOBAL)
        elif rest[0] == "service":
            self.ctx.unknown(st, "service set on %s (stateful firewall, NAT or other services of a services "
                                 "card): not modelled" % u.name, Impact.GLOBAL)
        elif rest[0] in _FAM_IGNORED:
            self.ctx.ignore(st, "interface family settings (no effect on filtering)")
        else:
            self.ctx.unknown(st, "interface family setting '%s' not understood" % rest[0], Impact.NONE)

    # --- zones -----------------------------------------------------------------------------
    def zone(self, st: Stmt) -> None:
        """``security zones security-zone Z ...`` (its address book goes to the address books)."""
        t = st.toks
        if len(t) < 4 or t[2] != "security-zone":
            if len(t) >= 3 and t[2] == "functional-zone":
                # Juniper, "Functional Zones" (junos-es92): "Traffic entering management zones does not match
                # policies; therefore, traffic cannot transit out of any other interface if it was received in
                # the management interface"; "Management zones can only be used for dedicated management
                # interfaces": its units pass no transit traffic (as units in no zone); one that a security zone
                # holds too is in two zones
                name = t[5] if len(t) >= 6 and t[3:5] == ("management", "interfaces") and st.inactive is None \
                    else ""
                name = name if "." in name or not name else name + ".0"
                if name in self.zone_of:
                    self.ctx.unknown(st, "interface %s is in two zones (management and %s)"
                                     % (name, self.zone_of[name][0]))
                    return
                if name:
                    self._management.add(name)
                self.ctx.ignore(st, "functional zone (management traffic to the device)")
            else:
                self.ctx.unknown(st, "security zones statement not understood")
            return
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return
        z = t[3]
        self.zones.setdefault(z, st)
        rest = t[4:]
        if not rest:
            self.ctx.use(st)
        elif rest[0] == "interfaces" and len(rest) >= 2:
            name = rest[1] if "." in rest[1] else rest[1] + ".0"
            if len(rest) > 2:
                if rest[2] == "host-inbound-traffic":
                    self.ctx.ignore(st, "host-inbound-traffic (traffic to the device itself, not transit)")
                else:
                    self.ctx.unknown(st, "zone interface option not understood", Impact.NONE)
            if name in self.zone_of and self.zone_of[name][0] != z or name in self._management:
                self.ctx.unknown(st, "interface %s is in two zones" % name)
                return
            self.zone_of[name] = (z, st)
            self.ctx.use(st)
        elif rest[0] == "screen" and len(rest) == 2:
            # the screen checks the packets entering from this zone (its 'ip unknown-protocol' drops)
            self.screen_of[z] = (rest[1], st)
            self.ctx.use(st)
        elif rest[0] in ("host-inbound-traffic", "screen", "tcp-rst", "application-tracking", "description",
                         "enable-reverse-reroute", "source-identity-log", "advance-policy-based-routing-profile"):
            why = {"host-inbound-traffic": "host-inbound-traffic (traffic to the device itself, not transit)",
                   "screen": "screen (attack thresholds, not a policy)"}.get(rest[0], "zone setting %s" % rest[0])
            if rest[0] == "advance-policy-based-routing-profile":
                self.ctx.unknown(st, "advanced policy-based routing: routes chosen by application are not "
                                     "modelled", Impact.GLOBAL)
            else:
                self.ctx.ignore(st, why)
        else:
            self.ctx.unknown(st, "security zone statement not understood")

    # --- routes ----------------------------------------------------------------------------
    def route(self, st: Stmt, at: int = 1, table: str = "") -> None:
        """A static route statement whose word ``at`` is ``static`` (``routing-options static route P
        ...``: 1), of routing table ``table``."""
        t = st.toks
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return
        if len(t) < at + 3 or t[at + 1] != "route":
            if len(t) > at + 1 and t[at + 1] == "defaults":
                self.static.append((st, "", ("defaults",) + tuple(t[at + 2:]), table))  # (read with the routes)
            elif len(t) > at + 1 and t[at + 1] == "rib-group":
                # (a rib group's tables are reported where it is defined, when they are another instance's)
                self.ctx.ignore(st, "static route defaults")
            else:
                self.ctx.unknown(st, "static route statement not understood")
            return
        self.static.append((st, t[at + 2], t[at + 3:], table))

    def aggregate(self, st: Stmt, at: int = 1, table: str = "") -> None:
        """An aggregate or generated route statement whose word ``at`` is ``aggregate`` or ``generate``."""
        t = st.toks
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
        elif len(t) > at + 2 and t[at + 1] == "route":
            self.aggregates.append((st, t[at], t[at + 2], t[at + 3:], table))
        elif len(t) > at + 2 and t[at + 1] == "defaults":
            self.aggregates.append((st, t[at], "", t[at + 2:], table))
        else:
            self.ctx.unknown(st, "%s route statement not understood" % t[at])

    def _range_down(self) -> None:
        """The members of interface ranges whose ``disable`` takes them down (Juniper, "Interface Ranges": the
        range's configuration is applied to each member: ``member NAME``, ``member "ge-0/0/*"``, ``member-range
        START to END``, "the interfaces in lexical order" from START to END), into ``down``; a range whose members
        are not understood is reported at its ``disable`` line, as able to change any verdict."""
        if not self.range_down:
            return
        names = {n.split(".")[0] for n in list(self.units) + list(self.zone_of)}
        ranges, self.range_down = self.range_down, {}  # (read once: the second call finds them in ``down``)
        for rng, st in ranges.items():
            specs = self.range_members.get(rng, [])
            hit = set()
            ok = bool(specs)
            for spec in specs:
                if spec[0] == "member":
                    hit.update(n for n in names if fnmatchcase(n, spec[1]))
                    continue
                lo, hi = _port_key(spec[1]), _port_key(spec[3])
                if lo is None or hi is None or lo[0] != hi[0]:
                    ok = False
                    continue
                hit.update(n for n in names if (k := _port_key(n)) is not None and k[0] == lo[0] and lo <= k <= hi)
            if not ok:
                self.ctx.unknown(st, "interface range %s: its members are not understood, and its 'disable' takes "
                                     "them down" % rng, Impact.GLOBAL)
                continue
            self.ctx.use(st)
            for n in hit:
                self.down.setdefault(n, st)

    def interfaces(self) -> list[Interface]:
        self._range_down()
        out = []
        for name, u in self.units.items():
            if u.disabled is not None or name.split(".")[0] in self.down:
                continue
            nets, refs = EMPTY, []
            for net, st in u.v4 + u.v6:
                nets = nets.union(net)
                refs.append(AddressRef(net, self.ctx.src(st)))
            zone = self.zone_of.get(name, (None,))[0]
            src = self.ctx.src(u.first) if u.first else self.ctx.lines.head()
            out.append(Interface(name, nets, src, zone=zone, address_refs=tuple(refs), table=self.table(name)))
        # a zone member with no 'interfaces' stanza of its own (e.g. a tunnel): known, with no networks
        for name, (z, st) in self.zone_of.items():
            if name not in self.units:
                out.append(Interface(name, EMPTY, self.ctx.src(st), zone=z, table=self.table(name)))
        return out

    def table(self, unit: str) -> str:
        """The routing table of a unit: its routing instance's, else the main one (``""``)."""
        return self.table_of.get(unit, ("",))[0]

    def own_of(self) -> dict[str, ISet]:
        """Each unit's own addresses (of the units that have any)."""
        return {name: u.own for name, u in self.units.items() if u.own}

    def own_addresses(self) -> ISet | None:
        """The device's own addresses, which no transit packet comes from or goes to: those of its
        enabled units, the loopback's too (``Config.local_addresses``; None when there are none)."""
        self._range_down()
        own = EMPTY
        for name, u in self.units.items():
            if u.disabled is None and name.split(".")[0] not in self.down:
                own = own.union(u.own)
        return own or None

    def routes(self, interfaces: list[Interface], learned: bool = False) -> list[Route]:
        """The static routes, each next hop one ``Route`` whose ``preference`` is (preference, metric): the
        route's (``preference``, ``metric``; its table's ``static defaults``; 5 and 0 when none is written),
        or a qualified next hop's own.  Next hops of one prefix that tie at the best preference over two
        interfaces are reported: the device installs one of them at random (or spreads flows over them), so the
        addresses they route differently are unsettled (``Config.unsettled_routes``, ``kit.routes.tied``)."""
        out = []
        live: dict[str, dict[str, Interface]] = {}
        for i in interfaces:
            live.setdefault(i.table, {})[i.name] = i
        defaults: dict[str, dict[str, int]] = {}  # table -> its static defaults
        installed: dict[tuple[str, str], bool] = {}  # (table, prefix or "" for the defaults) -> install | no-install
        for _st, _dest, rest, table in self.static:
            if rest[:1] == ("defaults",) and len(rest) == 3 and rest[1] in ("preference", "metric") \
                    and is_number(rest[2]):
                defaults.setdefault(table, {})[rest[1]] = int(rest[2])
            elif rest[:1] == ("defaults",) and rest[1:] in (("install",), ("no-install",)):
                installed[(table, "")] = rest[1] == "install"
        per_route: dict[tuple[str, str], dict[str, int]] = {}
        qualified: dict[tuple[str, str, str], dict[str, int]] = {}
        for _st, dest, rest, table in self.static:
            if len(rest) == 2 and rest[0] in ("preference", "metric") and is_number(rest[1]):
                per_route.setdefault((table, dest), {})[rest[0]] = int(rest[1])
            elif rest in (("install",), ("no-install",)):
                installed[(table, dest)] = rest[0] == "install"
            elif len(rest) == 4 and rest[0] == "qualified-next-hop" and rest[2] in ("preference", "metric") \
                    and is_number(rest[3]):
                qualified.setdefault((table, dest, rest[1]), {})[rest[2]] = int(rest[3])
        hops: dict[tuple[str, str, str, str], int] = {}  # (table, prefix, kind, next hop) -> its place in ``out``
        for st, dest, rest, table in self.static:
            if rest[:1] == ("defaults",):
                if len(rest) == 3 and rest[1] in ("preference", "metric") and is_number(rest[2]) \
                        or rest[1:] in (("install",), ("no-install",)):
                    self.ctx.use(st)
                elif rest[1:2] in (("preference",), ("metric",)):  # (the commit refuses it, as a route's own)
                    self.ctx.unknown(st, "static route defaults %s not understood (a number in ASCII digits)"
                                     % rest[1], Impact.GLOBAL)
                else:
                    self.ctx.ignore(st, "static route defaults")
                continue
            try:
                net = prefix(dest)
            except ValueError:
                self.ctx.unknown(st, "static route prefix not understood")
                continue
            plen = int(dest.split("/")[1]) if "/" in dest else (32 if ":" not in dest else 128)
            if not rest or rest in (("install",), ("no-install",)):
                self.ctx.use(st)
                continue
            if not installed.get((table, dest), installed.get((table, ""), True)):
                self.ctx.use(st)  # (in the routing table only: no packet follows it; module doc)
                continue
            key = rest[0]
            src = self.ctx.src(st)
            mine = {"preference": DEFAULT_PREFERENCE, "metric": 0}
            mine.update(defaults.get(table, {}))
            mine.update(per_route.get((table, dest), {}))
            if key in ("discard", "reject"):
                out.append(Route(net, plen, drop_egress(key, src), src, (mine["preference"], mine["metric"]),
                                 table=table))
                self.ctx.use(st)
            elif key in ("next-hop", "qualified-next-hop") and len(rest) >= 2:
                iface = self._via(rest[1], live.get(table, {}))
                if iface is None:
                    where = " of routing instance %s" % table if table else ""
                    self.ctx.unknown(st, "static route next hop %s is not on any configured interface%s"
                                     % (rest[1], where), Impact.GLOBAL)
                    continue
                if key == "qualified-next-hop":
                    if len(rest) > 2 and not (len(rest) == 4 and rest[2] in ("preference", "metric")
                                              and is_number(rest[3])):
                        # (a preference or metric the commit refuses: the configuration is not the device's)
                        self.ctx.unknown(st, "qualified next-hop option not understood", Impact.GLOBAL
                                         if rest[2] in ("preference", "metric") else Impact.NONE)
                    mine.update(qualified.get((table, dest, rest[1]), {}))
                self.ctx.use(st)
                hop = (table, dest, key, rest[1])
                if hop in hops:  # (a qualified next hop's further statements: the one route)
                    continue
                hops[hop] = len(out)
                out.append(Route(net, plen, iface, src, (mine["preference"], mine["metric"]), table=table))
            elif key == "next-table" and len(rest) == 2:
                got = table_name(rest[1])
                if got is None:
                    self.ctx.unknown(st, "next-table %s: not a unicast routing table" % rest[1])
                    continue
                target, fam = got
                if target and target not in self.instances:
                    self.ctx.undefined(st, target, "routing instance", "", Impact.GLOBAL)
                    continue
                if (fam == 6) != net.overlaps(ALL_V6):
                    self.ctx.unknown(st, "next-table %s is of the other address family" % rest[1])
                    continue
                out.append(Route(net, plen, "", src, (mine["preference"], mine["metric"]), table=table,
                                 next_table=target))
                self.ctx.use(st)
            elif key in ("preference", "metric"):
                if len(rest) == 2 and is_number(rest[1]):
                    self.ctx.use(st)
                else:  # (the commit refuses it: the configuration as given is not the device's)
                    self.ctx.unknown(st, "static route %s not understood (a number in ASCII digits)" % key,
                                     Impact.GLOBAL)
            elif key in ("tag", "no-readvertise", "readvertise", "retain", "no-retain",
                         "resolve", "community", "active", "passive", "as-path"):
                self.ctx.ignore(st, "static route attribute (no effect on where it leads)")
            else:
                self.ctx.unknown(st, "static route '%s' not understood" % key, Impact.GLOBAL)
        out += self._aggregates(out, interfaces, learned)
        best: dict = {}
        for r in out:
            k = (r.table, r.prefix)
            if best.get(k, r.preference) >= r.preference:
                best[k] = r.preference
        # (Juniper, "Per-Flow and Per-Prefix Load Balancing Overview": "By default, when there are multiple
        # equal-cost paths to the same destination, Junos OS chooses one of the next-hop addresses at random";
        # with a 'load-balance' policy, flows are spread over them: either way which interface packets from or
        # to what two of them route differently take is not known)
        connected = [(i.name, i.networks, i.table) for i in interfaces]
        for table in dict.fromkeys(r.table for r in out):
            ties = [(r, None) for r in out if r.table == table and r.preference == best[(table, r.prefix)]]
            for (a, _x), (b, _y) in equal_cost(ties):
                why = "static route next hops %s and %s of one prefix have the same preference: the device " \
                      "installs one of them at random (or spreads flows over them)" % (a.interface or a.next_table,
                                                                                  b.interface or b.next_table)
                report_tie(self.ctx.lines, self.ctx.unsettled, connected, out, a, b, why)
        return out

    def _aggregates(self, static: list[Route], interfaces: list[Interface], learned: bool) -> list[Route]:
        """The active aggregate routes, each a route that drops what it routes; ``learned``: whether routing
        protocols may learn routes that contribute (module doc)."""
        opts: dict[tuple[str, str, str], dict[str, str]] = {}  # (kind, table, prefix) -> option -> its value
        first: dict[tuple[str, str, str], Stmt] = {}
        for st, kind, dest, rest, table in self.aggregates:
            key = (kind, table, dest)
            first.setdefault(key, st)
            if rest and rest[0] not in _AGGREGATE_OPTIONS or rest[:1] in (("preference",), ("metric",)) and not (
                    len(rest) == 2 and is_number(rest[1])):
                self.ctx.unknown(st, "%s route option '%s' not understood" % (kind, rest[0]), Impact.GLOBAL)
                continue
            self.ctx.use(st)
            if rest and rest[0] in ("active", "passive"):  # (one choice: a route's own overrides the defaults)
                opts.setdefault(key, {})["passive"] = rest[0]
            elif rest:
                opts.setdefault(key, {})[rest[0]] = rest[1] if len(rest) > 1 else ""
        out = []
        for (kind, table, dest), st in first.items():
            if not dest:
                continue
            mine = dict(opts.get((kind, table, ""), {}))
            mine.update(opts.get((kind, table, dest), {}))
            try:
                net = prefix(dest)
            except ValueError:
                self.ctx.unknown(st, "%s route prefix not understood" % kind)
                continue
            plen = int(dest.split("/")[1]) if "/" in dest else (32 if ":" not in dest else 128)
            inside = [i.networks.intersect(net) for i in interfaces if i.table == table]
            active = any(r.table == table and r.prefix_len > plen and r.prefix.issubset(net) for r in static) \
                or any(x and x != net for x in inside)
            passive = mine.get("passive") == "passive"
            why = None
            if any(i.networks == net for i in interfaces if i.table == table):
                continue  # (the interface's direct route, preference 0, routes the same prefix)
            if "policy" in mine:
                why = "%s route with a policy: which routes contribute is not modelled" % kind
            elif not active and net in inside:
                why = "%s route: only the interface's own address (a local route) is more specific; whether it " \
                      "makes the route active is not documented" % kind
            elif not active and not passive and learned:
                why = "%s route: active only while a more specific route exists, and only learned ones may" % kind
            elif kind == "generate" and (active or passive):
                why = "generated route: it forwards along its primary contributing route's next hop (not modelled)"
            if why is not None:
                self.ctx.lines.unrecognized(self.ctx.src(st), why, Impact.GLOBAL)
            elif active or passive:
                pref = int(mine["preference"]) if is_number(mine.get("preference", "")) else AGGREGATE_PREFERENCE
                metric = int(mine["metric"]) if is_number(mine.get("metric", "")) else 0
                src = self.ctx.src(st)
                out.append(Route(net, plen, drop_egress("discard" if "discard" in mine else "reject", src), src,
                                 (pref, metric), table=table))
        return out

    @staticmethod
    def _via(hop: str, live: dict[str, Interface]) -> str | None:
        if hop in live:
            return hop
        if "." not in hop and hop + ".0" in live:
            return hop + ".0"
        try:
            a = addr_to_int(hop)
        except ValueError:
            return None
        for name, i in live.items():
            if a in i.networks:
                return name
        return None

    def head(self) -> Source | None:
        return self.ctx.lines.head()


def table_name(word: str) -> tuple[str, int] | None:
    """A unicast routing table's name -> (its routing instance, ``""`` for the main one; its address
    family, 4 or 6): ``inet.0``, ``inet6.0``, ``NAME.inet.0``, ``NAME.inet6.0`` (module doc).  None
    for any other table (``inet.2``, ``inet.3``, ``mpls.0``, ...)."""
    if word in ("inet.0", "inet6.0"):
        return "", 4 if word == "inet.0" else 6
    for suffix, fam in ((".inet.0", 4), (".inet6.0", 6)):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[:-len(suffix)], fam
    return None


def _own(rest: tuple[str, ...]) -> ISet:
    """The addresses an ``address A/LEN [vrrp-group N virtual-address V | [ V ... ]]`` statement gives the
    device: A, and the VRRP group's virtual addresses, which the device answers for while it is the
    primary (Juniper, "vrrp-group": ``virtual-address [ addresses ]``).  An address it cannot read is
    left out (the prefix alone is what the caller checked)."""
    words = list(rest[1:2])
    for k, tok in enumerate(rest[:-1]):
        if tok in ("virtual-address", "virtual-inet6-address", "virtual-gateway-address"):
            if rest[k + 1] != "[":
                words.append(rest[k + 1])
                continue
            for w in rest[k + 2:]:
                if w == "]":
                    break
                words.append(w)
    own = EMPTY
    for w in words:
        try:
            own = own.union(ISet.of(addr_to_int(w.partition("/")[0])))
        except ValueError:
            pass
    return own


def _port_key(name: str) -> tuple[str, int, int, int] | None:
    """An interface name ``type-fpc/pic/port`` as (type, fpc, pic, port), for a member range's order; None for
    another form."""
    head, _, rest = name.partition("-")
    nums = rest.split("/")
    if not head or len(nums) != 3 or not all(x.isascii() and x.isdigit() for x in nums):
        return None
    return head, int(nums[0]), int(nums[1]), int(nums[2])

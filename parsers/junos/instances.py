"""Routing instances: ``routing-instances NAME { instance-type T; interface IF; routing-options {...} }``.

Juniper, "Routing Instances Overview"
(https://juniper.net/documentation/us/en/software/junos/routing-overview/topics/concept/routing-instances-overview.html):
"A routing instance is a collection of routing tables, interfaces, and routing protocol parameters.
The set of interfaces belongs to the routing tables"; "if you configure a routing instance with the
name my-instance, the corresponding IP unicast table is my-instance.inet.0"; "The default routing
instance, master, refers to the main inet.0 routing table".  A packet is looked up in the table of
the instance its ingress interface is in (Juniper, "Reverse Route Packet Mode using Virtual Router":
"the route lookup uses the VR from the packet incoming interface").  So:

* ``interface IF`` (unit 0 when no unit is written) puts the unit in the instance's table
  (``Interface.table``); ``routing-options static`` and ``routing-options rib NAME.inet6.0 static``
  are the table's static routes, their next hops found among the instance's own interfaces
  (``parsers.junos.topology``); ``next-table`` hands packets to another table's lookup;
* ``protocols`` of the instance: a dynamic routing protocol's routes are learned routes, as the
  main instance's (the builder: ``Config.learned_routes``);
* ``instance-type virtual-router`` and ``vrf`` are the instances that forward with their own table.
  Any other type (``forwarding``, the table of filter-based forwarding; ``no-forwarding``;
  ``virtual-switch``, ``l2vpn``, ``vpls``, ``evpn``, ``mac-vrf``..., layer 2 instances) is reported,
  and so is an instance without ``instance-type``: what it forwards is not modelled;
* ``vrf-target``, ``vrf-import``, ``vrf-export``, ``route-distinguisher``, ``vrf-table-label``: which
  Layer 3 VPN routes the instance takes from and gives to BGP.  Those routes are learned by BGP from
  other routers, which counts as dynamic routing already (the engine leaves the packets a learned
  route may take unknown); between this device's own instances they move routes only with
  ``auto-export`` (a BGP speaker does not take its own routes back: "Auto Export", Juniper Day One
  tips; Junos, "auto-export"), which is reported.  So they are ignored;
* what copies routes between tables is reported (any verdict may change): ``instance-import``,
  ``instance-export``, ``auto-export``, and a ``rib-groups`` group importing into an instance's
  table (Juniper, "Overlapping VPNs Using Routing Table Groups": a rib group "installs a route in
  multiple routing tables"; its uses, ``interface-routes rib-group``, ``static rib-group``, are
  covered by reporting the group's tables).  In a configuration without routing instances those
  statements have no other table to fill: they are ignored there;
* ``mgmt_junos``, the management instance (Juniper, "Management Interface in a Non-Default
  Instance": "The name of the dedicated management VRF instance is reserved and hardcoded as
  mgmt_junos ... not instantiated by default", it is with ``system management-instance``; "the
  non-default management VRF instance supports only the em0 and fxp0 interfaces"): a table of its
  own holding em0 and fxp0, without ``instance-type``.  Without ``system management-instance`` its
  statements are ignored.

Security zones do not depend on instances: a unit's zone is bound under ``security zones`` as on a
device without instances, and policies name zones, not instances (Juniper, "Understanding Security
Zones and Policies for SRX Series": "To group network segments within a zone, you must assign
logical interfaces from the device to a zone"; Juniper KB16453, as quoted at
https://www.mindmeister.com/452277776/junos: "Binding interfaces to zones is configured separately
from binding interfaces to a virtual router (routing instance)").  A zone bound to a VRF (``security
zones security-zone Z vrf``, Juniper, "Security Policies with VRF-Aware Security Zones") is not
modelled: the zone reader reports it.
"""

from __future__ import annotations

from parsers.junos.common import INACTIVE, Ctx
from parsers.junos.topology import Topology, table_name
from parsers.junos.tree import Stmt

ROUTING_TYPES = ("virtual-router", "vrf")
MGMT = "mgmt_junos"
MGMT_PORTS = ("fxp0", "em0")
_TYPE_WHY = {
    "forwarding": "the table of filter-based forwarding",
    "no-forwarding": "a routing table that does not forward",
    "virtual-switch": "layer 2 switching", "mac-vrf": "layer 2 switching (EVPN)", "evpn": "layer 2 VPN (EVPN)",
    "evpn-vpws": "layer 2 VPN (EVPN)", "l2vpn": "layer 2 VPN", "vpls": "layer 2 VPN (VPLS)",
    "l2backhaul-vpn": "layer 2 VPN", "layer2-control": "layer 2 control protocols",
    "mpls-forwarding": "MPLS forwarding", "mpls-internet-multicast": "multicast over MPLS",
}
# Layer 3 VPN route exchange with BGP (module doc)
_VPN = frozenset(("vrf-target", "vrf-import", "vrf-export", "route-distinguisher", "route-distinguisher-id",
                  "vrf-table-label", "vrf-advertise-selective", "no-vrf-advertise", "vrf-propagate-ttl",
                  "no-vrf-propagate-ttl"))
# routing options that copy routes between tables (module doc)
LEAKS = ("instance-import", "instance-export", "auto-export", "rib-groups")
OTHER_OPTIONS = "routing options other than static routes"


class Instances:
    """``routing-instances`` statements, and the main instance's routing options that involve tables;
    ``finish()`` reports what depends on all of them."""

    def __init__(self, ctx: Ctx, topo: Topology, stmts: list[Stmt]):
        self.ctx, self.topo = ctx, topo
        self.first: dict[str, Stmt] = {}  # instance -> its first statement
        self.kind: dict[str, tuple[str, Stmt]] = {}  # instance -> its instance-type, and the statement
        self.leaks: list[tuple[Stmt, str]] = []  # main-instance statements that copy routes between tables
        self.mgmt = ctx.doc.may_say("management-instance") and any(
            s.toks[:2] == ("system", "management-instance") and s.inactive is None for s in stmts)
        if self.mgmt:
            topo.instances.add(MGMT)

    def seen(self, st: Stmt) -> bool:
        """Note the instance of an active ``routing-instances NAME ...`` statement; False (the statement
        ignored) when it is inactive, or of an ``mgmt_junos`` not in use."""
        name = st.toks[1]
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return False
        if name == MGMT and not self.mgmt:
            self.ctx.ignore(st, "management instance mgmt_junos without 'system management-instance': not in use")
            return False
        self.first.setdefault(name, st)
        self.topo.instances.add(name)
        return True

    def add(self, st: Stmt) -> None:
        """``routing-instances NAME ...`` (its ``protocols`` are the builder's)."""
        t = st.toks
        if len(t) < 2:
            self.ctx.unknown(st, "routing instance statement not understood")
            return
        if not self.seen(st):
            return
        name = t[1]
        rest = t[2:]
        key = rest[0] if rest else ""
        if not rest:
            self.ctx.use(st)
        elif key == "instance-type" and len(rest) == 2:
            self.kind[name] = (rest[1], st)  # (the last one written; checked in finish)
        elif key == "interface" and len(rest) >= 2:
            unit = rest[1] if "." in rest[1] else rest[1] + ".0"
            prev = self.topo.table_of.get(unit)
            if prev is not None and prev[0] != name:
                self.ctx.unknown(st, "interface %s is in two routing instances (%s, %s)" % (unit, prev[0], name))
                return
            self.topo.table_of[unit] = (name, st)
            if len(rest) > 2:
                self.ctx.unknown(st, "routing instance interface option '%s' not understood" % rest[2])
            else:
                self.ctx.use(st)
        elif key == "routing-options" and len(rest) >= 2:
            self._options(name, st, rest[1:])
        elif key in _VPN:
            self.ctx.ignore(st, "Layer 3 VPN route exchange with BGP (learned routes; between this device's "
                                "instances only with auto-export, which is reported)")
        elif key in ("description", "apply-macro"):
            self.ctx.ignore(st, "description")
        elif key == "forwarding-options" and rest[1:2] == ("dhcp-relay",):
            self.ctx.ignore(st, "DHCP relay")
        else:
            self.ctx.unknown(st, "routing instance %s: '%s' not modelled" % (name, key))

    def _options(self, name: str, st: Stmt, r: tuple[str, ...]) -> None:
        """``routing-instances NAME routing-options R...``."""
        k = r[0]
        if k == "static":
            self.topo.route(st, 3, name)
        elif k in ("aggregate", "generate"):
            self.topo.aggregate(st, 3, name)
        elif k == "rib" and len(r) >= 2:
            got = table_name(r[1])
            if got is not None and got[0] != name:
                self.ctx.unknown(st, "routing instance %s configures table %s, not its own" % (name, r[1]))
            elif got is not None and r[2:3] == ("static",):
                self.topo.route(st, 5, name)
            elif got is not None and r[2:3] in (("aggregate",), ("generate",)):
                self.topo.aggregate(st, 5, name)
            else:
                self.ctx.ignore(st, OTHER_OPTIONS)
        elif k in LEAKS:
            self.ctx.unknown(st, "routing instance %s: %s copies routes between routing tables (not modelled)"
                             % (name, k))
        else:
            self.ctx.ignore(st, OTHER_OPTIONS)

    def main_option(self, st: Stmt) -> bool:
        """``routing-options ...`` of the main instance: whether it was taken here (static routes of
        its tables, what copies routes between tables); the others are the builder's to ignore."""
        t = st.toks
        k = t[1] if len(t) > 1 else ""
        if k == "static":
            self.topo.route(st, 1, "")
            return True
        if k in ("aggregate", "generate"):
            self.topo.aggregate(st, 1, "")
            return True
        if k == "rib" and len(t) > 3:
            got = table_name(t[2])
            if got is not None and got[0]:
                self.ctx.unknown(st, "table %s of a routing instance configured in the main instance (not "
                                     "modelled)" % t[2])
                return True
            if got is not None and t[3] == "static":
                self.topo.route(st, 3, "")
                return True
            if got is not None and t[3] in ("aggregate", "generate"):
                self.topo.aggregate(st, 3, "")
                return True
            return False
        if k in LEAKS:
            if k == "rib-groups":  # (a group importing only into the main tables copies nothing between them)
                got = table_name(t[4]) if len(t) > 4 and t[3] == "import-rib" else None
                if got is None or not got[0]:
                    return False
            if st.inactive is not None:
                self.ctx.ignore(st, INACTIVE)
            else:
                self.leaks.append((st, k))
            return True
        return False

    def finish(self) -> None:
        """Report the instances that are not of a forwarding type, and what copies routes between
        tables when there are tables to copy between; put the management ports in ``mgmt_junos``."""
        for name, first in self.first.items():
            if name == MGMT:
                continue
            kind = self.kind.get(name)
            if kind is None:
                self.ctx.lines.unrecognized(self.ctx.source(self.ctx.anchor(first, 2)),
                                            "routing instance %s has no instance-type: what it forwards is not "
                                            "known" % name)
            elif kind[0] in ROUTING_TYPES:
                self.ctx.use(kind[1])
            else:
                self.ctx.unknown(kind[1], "routing instance %s of type %s (%s): not modelled"
                                 % (name, kind[0], _TYPE_WHY.get(kind[0], "not a virtual router or VRF")))
        for st, k in self.leaks:
            if self.topo.instances:
                self.ctx.unknown(st, "%s copies routes between routing tables (not modelled)" % k)
            else:
                self.ctx.ignore(st, "%s: the device has no routing instance, no other table to copy into" % k)
        if self.mgmt:
            for unit in self.topo.units:
                if unit.split(".")[0] in MGMT_PORTS:
                    self.topo.table_of.setdefault(unit, (MGMT, self.topo.units[unit].first))


__all__ = ["Instances"]

"""Interfaces, security levels, routes and access-group bindings, and the paths they make.

ASA semantics translated here (Cisco ASA Series General Operations CLI Configuration Guide,
"Interfaces" > "Security Levels" and the command reference for ``same-security-traffic``,
``access-group`` and ``security-level``):

* traffic from a higher to a lower security level is permitted when no access rule is bound
  to the ingress interface (nor a global one); the other way round it is denied;
* once an access list is bound (in on the ingress interface, or global), it decides, and
  its implicit deny ends it; an ``out`` list on the egress interface must permit too;
* interfaces of **equal** security level cannot talk at all, whatever the access lists say,
  unless ``same-security-traffic permit inter-interface``; with it, the access lists apply
  (and with none bound, the traffic is permitted);
* traffic routed back out of the interface it came in on (hairpin) is dropped unless
  ``same-security-traffic permit intra-interface``; with it, the ingress access list applies.
  Two hosts on one connected network of an interface talk directly: the firewall never sees
  their traffic, with or without that command;
* before 8.3, access lists are written on the addresses as seen on the interface they are
  bound to (mapped addresses on the outside: "sent" for an ingress list, "final" for an
  egress one); from 8.3 on, they use real addresses (the packet after untranslation).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from auditor.core.model import ALL, Action, AddressRef, Filter, Impact, Interface, Path, Route, Rule, Source, Stage
from auditor.core.packets import (
    ALL_V4,
    EMPTY,
    NOTHING,
    PROTO_ICMP,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
    network_to_iset,
    v4_mask,
    v4_net,
)
from auditor.core.routing import equal_cost
from parsers.cisco_asa import mpf
from parsers.cisco_asa.names import IGNORED_INTERFACE, IGNORED_INTERFACE_IPV6
from parsers.cisco_asa.objects import addr_text
from parsers.cisco_asa.services import decimal
from parsers.cisco_asa.vpn import gates
from parsers.kit.routes import drop_egress, drop_paths, is_drop, report_tie, tied, withdrawn

if TYPE_CHECKING:
    from parsers.cisco_asa.scan import Asa


@dataclass
class IfDef:
    hw: str
    source: Source
    nameif: str | None = None
    nameif_src: Source | None = None
    level: int | None = None
    level_src: Source | None = None
    v4: list = field(default_factory=list)  # (ISet network, ISet own address, Source), IPv6 too
    standby: list = field(default_factory=list)  # the failover standby unit's addresses: (ISet, Source of the line)
    shutdown: bool = False
    management_only: bool = False
    setroute: Source | None = None  # 'ip address dhcp|pppoe setroute': a default route through it
    track: Source | None = None  # 'dhcp client route track N': that route is withdrawn with the object
    v4_src: Source | None = None  # the line of its IPv4 address, static or DHCP/PPPoE (the ASA has one, no secondaries)
    zone: str | None = None  # 'zone-member Z': its traffic zone (equal-cost routes across the zone's interfaces)


def name(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``name ADDRESS NAME [description ...]``."""
    if len(toks) >= 3 and (len(toks) == 3 or toks[3] == "description"):
        try:
            st.names[toks[2]] = (addr_to_int(toks[1]), st.src(i))
            st.lines.use(i, j)
            return
        except ValueError:
            pass
    st.unrecognized(i, "bad 'name' line", Impact.FILTER, "names")


def interface_block(st: Asa, toks: list[str], i: int, j: int) -> None:
    """An ``interface`` block: every sub-command used, ignored with its reason, or reported.  A second block for
    the same interface (a snippet pasted after a running-config) changes it: 'interface' enters the configuration
    mode of the interface named."""
    hw, why = st.ifnames.resolve(if_name(toks))
    if why is not None:
        # (the ASA refuses an ambiguous abbreviation, or means one of the types: which interface the lines under
        # it change is not known)
        st.unrecognized(i, why)
        for k in range(i + 1, j):
            st.unrecognized(k, "under an interface not known")
        return
    d = next((x for x in st.interfaces if x.hw == hw), None)
    if d is None:
        d = IfDef(hw, st.src(i))
        st.interfaces.append(d)
    setroute = d.setroute
    st.lines.use(i)
    for k in range(i + 1, j):
        t = st.raw[k].split()
        why = _interface_line(st, d, t, k)
        if why:
            st.unrecognized(k, "interface %s: %s" % (d.hw, why))
    if setroute is not None and d.setroute is not setroute:  # (an earlier block's DHCP route, its address replaced)
        st.routes[:] = [r for r in st.routes if r.source is not setroute]
        st.tracked[:] = [x for x in st.tracked if x[0].source is not setroute]
    if d.setroute is not None and d.setroute is not setroute and d.nameif:
        st.routes.append(Route(ALL_V4, 0, d.nameif, d.setroute, (1,)))  # (a DHCP / PPPoE route's distance is 1)
        if d.track is not None:
            st.tracked.append((st.routes[-1], d.track))


def if_name(toks: list[str]) -> str:
    """The interface an ``interface`` line names, as written (``interface gigabitethernet 0/1``, as Cisco's guides
    write it: the number may follow the type after a space); '?' for none."""
    if len(toks) > 2 and decimal(toks[2][:1]):
        return toks[1] + toks[2]
    return toks[1] if len(toks) > 1 else "?"


def _interface_line(st: Asa, d: IfDef, t: list[str], k: int) -> str:
    """Take one interface sub-command; the reason it is not understood, or ''."""
    key = t[0].lower()
    n = len(t)
    if key == "nameif" and n == 2:
        d.nameif, d.nameif_src = t[1], st.src(k)
    elif key == "security-level":
        if n != 2 or not decimal(t[1]) or int(t[1]) > 100:
            return "bad security level '%s' (0-100)" % " ".join(t[1:])
        d.level, d.level_src = int(t[1]), st.src(k)
    elif key == "ip" and n >= 3 and t[1] == "address":
        if t[2] in ("dhcp", "pppoe"):
            if t[3:] not in ([], ["setroute"]):
                return "bad 'ip address %s' options" % t[2]
            _drop_v4(d)  # (the interface's one IPv4 address is now the one DHCP or PPPoE gives it)
            d.v4_src = st.src(k)
            d.setroute = st.src(k) if t[3:] == ["setroute"] else None
        else:
            try:
                if n not in (4, 6) or (n == 6 and t[4] != "standby"):
                    raise ValueError(t[2])
                net, own = v4_net(t[2], t[3]), ISet.of(addr_to_int(t[2]))
                standby = ISet.of(addr_to_int(t[5])) if n == 6 else None
            except ValueError:
                return "bad interface address"
            # (one IPv4 address: 'ip address ip_address [mask] [standby ip_address]' has no secondary form; the
            # line replaces the earlier one, its standby address and a DHCP or PPPoE address with its route)
            _drop_v4(d)
            d.v4_src = st.src(k)
            d.v4.append((net, own, d.v4_src))
            if standby is not None:
                d.standby.append((standby, d.v4_src))
    elif key == "ip" and n >= 2 and t[1] in ("ospf", "rip", "igmp", "pim", "verify"):
        st.lines.ignore(k, "routing protocol settings")
        return ""
    elif key == "ipv6" and n >= 3 and t[1] == "address" and "/" in t[2]:
        try:
            if n not in (3, 5) or (n == 5 and t[3] != "standby"):
                raise ValueError(t[2])
            itf = ipaddress.ip_interface(t[2])
            d.v4.append((network_to_iset(itf.network), ISet.of(addr_to_int(str(itf.ip))), st.src(k)))
            if n == 5:
                d.standby.append((ISet.of(addr_to_int(str(ipaddress.ip_interface(t[4]).ip))), st.src(k)))
        except ValueError:
            return "bad interface address"
    elif key == "ipv6" and n >= 2 and (t[1] in IGNORED_INTERFACE_IPV6 or t[1:3] == ["address", "autoconfig"]
                                       or (t[1] == "address" and n >= 3 and t[-1] == "link-local")):
        st.lines.ignore(k, "IPv6 host settings (no prefix of its own)")
        return ""
    elif key == "dhcp" and [w.lower() for w in t[1:3]] == ["client", "route"]:
        # the route 'ip address dhcp setroute' learns: "You can configure static route tracking for statically
        # defined routes or default routes obtained through DHCP or PPPoE" (ASA CLI configuration guide,
        # "Monitoring a Static or Default Route"): 'track N' withdraws it with its object (_unsettled); its
        # distance ('distance N') decides whether it or a static default route carries the traffic, and is
        # not modelled (the route is taken at distance 1)
        if n == 5 and t[3].lower() == "track" and decimal(t[4]):
            d.track = st.src(k)
        else:
            return "the administrative distance of the default route learned by DHCP ('%s') is not modelled" \
                % " ".join(t)
    elif key == "shutdown" and n == 1:
        d.shutdown = True
    elif key == "management-only" and n == 1:
        d.management_only = True
    elif key == "zone-member" and n == 2:
        d.zone = t[1]
    elif key == "no" and n >= 2 and t[1] in ("nameif", "security-level", "ip", "ipv6", "shutdown",
                                             "management-only", "zone-member"):
        if t[1] == "shutdown":
            d.shutdown = False
        elif t[1:3] == ["ip", "address"]:
            _drop_v4(d)
        elif t[1] == "nameif":
            d.nameif = d.nameif_src = None
        elif t[1] == "security-level":
            d.level = d.level_src = None
        elif t[1] == "management-only":
            d.management_only = False
        elif t[1] == "zone-member":
            d.zone = None
        # 'no nameif', 'no security-level', 'no ip address': nothing set (the default)
    elif key in IGNORED_INTERFACE or (key == "no" and n >= 2 and t[1] in IGNORED_INTERFACE):
        st.lines.ignore(k, IGNORED_INTERFACE[key if key != "no" else t[1]])
        return ""
    else:
        return "sub-command '%s' is not understood" % t[0]
    st.lines.use(k)
    return ""


def _drop_v4(d: IfDef) -> None:
    """Forget the interface's IPv4 address: the static one with its standby address, or DHCP's with its route."""
    if d.v4_src is not None:
        d.v4 = [x for x in d.v4 if x[2] is not d.v4_src]
        d.standby = [x for x in d.standby if x[1] is not d.v4_src]
    d.v4_src = None
    d.setroute = None


def route(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``route IF NETWORK MASK GATEWAY [DISTANCE]``; ``route null0 NETWORK MASK [DISTANCE]`` drops what it
    routes (a route to no interface: its packets take no path through the device)."""
    try:
        if len(toks) == 4 and toks[1].lower() == "null0" or len(toks) == 5 and toks[1].lower() == "null0" \
                and decimal(toks[4]):
            net = v4_net(addr_text(st, toks[2]), toks[3])
            st.routes.append(Route(net, v4_mask(toks[3]), drop_egress("Null0", st.src(i)), st.src(i),
                                   (int(toks[4]) if len(toks) == 5 else 1,)))
            st.lines.use(i, j)
            return
        if len(toks) < 5:
            raise ValueError("short")
        net = v4_net(addr_text(st, toks[2]), toks[3])
        addr_to_int(addr_text(st, toks[4]))  # (the gateway: an address or a 'name'; the device refuses another word)
        distance, tracked, tunneled = _route_tail(toks[5:], v6=False)
        if tunneled:
            # the default route of traffic leaving a VPN tunnel only ("You can define a separate default route
            # for tunneled traffic along with the standard default route"): tunnelled traffic is outside the model
            st.lines.ignore(i, "default route of the traffic leaving VPN tunnels only", j)
            return
        st.routes.append(Route(net, v4_mask(toks[3]), toks[1], st.src(i), (distance,)))
        if tracked:
            # static route tracking: "If an echo reply is not received within a specified time period, the object
            # is considered down and the associated route is removed from the routing table. A previously
            # configured backup route is used in place of the removed route" (ASA CLI configuration guide,
            # "Monitoring a Static or Default Route"): which is in the table is the SLA's state (_unsettled)
            st.tracked.append((st.routes[-1], st.src(i)))
        st.lines.use(i, j)
    except ValueError:
        st.unrecognized(i, "bad route")


def _route_tail(t: list[str], v6: bool) -> tuple[int, bool, bool]:
    """The words after a route's gateway, ``[DISTANCE] [track N]`` (``track``: IPv4 only) or ``[DISTANCE]
    tunneled`` -> (distance, tracked, tunneled); ``ValueError`` for other words, which the device refuses
    (command reference, ``route`` / ``ipv6 route``).

    The distance is ``Route.preference``: "The default is 1 if you do not specify a value" (ASA configuration
    guide, "Configuring Static and Default Routes"); of two routes to one prefix the lower distance is used,
    whatever their order (a floating backup route written first is not the route).  It is 1 to 255 in ASCII
    digits (``services.decimal``: 'route ... ٢' is refused, not a distance of 2)."""
    distance = 1
    if t and decimal(t[0]):
        distance, t = int(t[0]), t[1:]
        if not 1 <= distance <= 255:
            raise ValueError("distance %d" % distance)
    if t == ["tunneled"]:
        return distance, False, True
    tracked = not v6 and len(t) == 2 and t[0].lower() == "track" and decimal(t[1])
    if t and not tracked:
        raise ValueError(" ".join(t))
    return distance, tracked, False


def ipv6(st: Asa, toks: list[str], i: int, j: int) -> None:
    """Top-level ``ipv6``: ``ipv6 route`` is a route; the rest are host settings."""
    if len(toks) > 1 and toks[1] == "route":
        try:
            if len(toks) < 5:
                raise ValueError("short")
            net = ipaddress.ip_network(toks[3], strict=False)
            if net.version != 6 or ipaddress.ip_address(toks[4]).version != 6:
                raise ValueError(toks[3])
            distance, _tracked, tunneled = _route_tail(toks[5:], v6=True)
            if tunneled:  # (as the IPv4 one's, above)
                st.lines.ignore(i, "default route of the traffic leaving VPN tunnels only", j)
                return
            st.routes.append(Route(network_to_iset(net), net.prefixlen, toks[2], st.src(i), (distance,)))
            st.lines.use(i, j)
        except ValueError:
            st.unrecognized(i, "bad ipv6 route")
        return
    if len(toks) > 1 and toks[1] == "access-list":
        # before 9.0, an IPv6 access list of its own (ASA 8.4 configuration guide, "Adding an IPv6 Access
        # List"), bound by 'access-group' beside the interface's IPv4 one: a filter, not modelled
        st.unrecognized(i, "IPv6 access list (before 9.0) is not modelled: it filters the IPv6 traffic of the "
                           "interfaces it is bound to")
        for k in range(i + 1, j):
            st.unrecognized(k, "inside an IPv6 access list")
        return
    if len(toks) > 2 and toks[1] == "router" and toks[2].lower() == "ospf":
        routing_process(st, i, j, 6)  # (OSPFv3: learned IPv6 routes)
        return
    st.lines.ignore(i, "IPv6 host settings of the device (ipv6 route is modelled)", j)


def routing_process(st: Asa, i: int, j: int, family: int) -> None:
    """Lines ``i`` to ``j``: a dynamic routing process (``router ospf``, ``ipv6 router ospf``, ...),
    whose learned routes of address ``family`` (4, 6; 0: both) are not in the configuration
    (``Config.learned_routes``)."""
    st.learned.append(st.src(i))
    st.learned_families.add(family)
    st.lines.use(i)
    st.lines.ignore(i + 1, "dynamic routing process settings (the routes it learns are not in the configuration)", j)


def access_group(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``access-group ACL in|out interface IF`` or ``access-group ACL global``."""
    s = st.src(i)
    if len(toks) > 1 and toks[1] in st.ethertype_acls and toks[1] not in st.acl_lines:
        _ethertype_group(st, toks[1], i, j)
        return
    if len(toks) == 3 and toks[2] == "global":
        st.access_groups.append((toks[1], "global", None, s))
    elif len(toks) in (5, 6) and toks[2] in ("in", "out") and toks[3] == "interface":
        if len(toks) == 6 and toks[5] == "per-user-override" and toks[2] == "in":
            # ("for inbound ACLs only": the ACLs a AAA server downloads for a VPN or cut-through proxy user
            # replace it for that user's traffic, which is outside the model or reported; "If there is no
            # per-user access list associated with a packet, the interface access rule is applied")
            pass
        elif len(toks) == 6:
            if toks[5] != "control-plane":
                st.unrecognized(i, "bad access-group")
                return
            st.lines.ignore(i, "control-plane access list: traffic to the device itself")
            return
        st.access_groups.append((toks[1], toks[2], toks[4], s))
    else:
        st.unrecognized(i, "bad access-group")
        return
    st.lines.use(i, j)


def _ethertype_group(st: Asa, acl: str, i: int, j: int) -> None:
    """``access-group ACL in|out interface IF`` of an EtherType list (transparent mode, bridge groups): bound beside
    the interface's extended list, not instead of it ("You can apply one access rule and one EtherType rule to
    each direction of an interface"), and it filters non-IP frames: "the implicit deny at the end of the ACL does
    not affect IP traffic or ARPs ... However, if you explicitly deny all traffic with an EtherType ACE, then IP
    and ARP traffic is denied" (Cisco ASA 9.1 general configuration guide, "Adding an EtherType Access Control
    List", "Guidelines and Limitations"; ASA 8.4 CLI guide, "Configuring Access Rules", "Using Access Rules and
    EtherType Rules on the Same Interface").  A list with ``deny any`` is not modelled; another changes no IP
    packet's fate."""
    deny_any = st.ethertype_acls[acl]
    if deny_any is None:
        st.lines.ignore(i, "EtherType access list: filters non-IP frames only (its implicit deny does not affect IP "
                           "traffic; the interface's extended list still applies)", j)
    else:
        st.unrecognized(i, "EtherType access list '%s' with 'deny any' (line %d) bound: it denies IP traffic too, "
                           "which is not modelled" % (acl, deny_any.line))


def same_security(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``same-security-traffic permit inter-interface|intra-interface``."""
    if toks[1:] == ["permit", "inter-interface"]:
        st.same_inter = st.src(i)
    elif toks[1:] == ["permit", "intra-interface"]:
        st.same_intra = st.src(i)
    else:
        st.unrecognized(i, "bad same-security-traffic")
        return
    st.lines.use(i, j)


# --- building ------------------------------------------------------------------------------

def _modelled(d: IfDef) -> bool:
    """Whether an interface is one of the model's: named, up, and not for management only."""
    return bool(d.nameif) and not d.shutdown and not d.management_only


def own_addresses(st: Asa) -> ISet | None:
    """The ASA's own addresses, which no transit packet comes from or goes to: those of the interfaces
    in the model, and the failover standby unit's (``Config.local_addresses``; None when no such
    interface has a static address)."""
    own = EMPTY
    for d in st.interfaces:
        if _modelled(d):
            for _net, a, _s in d.v4:
                own = own.union(a)
            own = own.union(ISet.union_of(a for a, _s in d.standby))
    return own or None


def build(st: Asa, filters: dict[str, Filter]) -> tuple[list[Interface], list[Route], list[Path]]:
    """The model's interfaces, routes and paths (``filters`` gains a stand-in for an undefined ACL)."""
    interfaces: list[Interface] = []
    levels: dict[str, tuple[int, Source]] = {}
    for d in st.interfaces:
        if not _modelled(d):
            continue
        refs = tuple(AddressRef(net, s) for net, _own, s in d.v4)
        nets = ISet.union_of(net for net, _own, _s in d.v4)
        # "If you name an interface 'inside' and do not set the security level explicitly,
        # the ASA sets the security level to 100" (command reference, nameif)
        level = d.level if d.level is not None else (100 if d.nameif.lower() == "inside" else 0)
        levels[d.nameif] = (level, d.level_src or d.nameif_src or d.source)
        interfaces.append(Interface(d.nameif, nets, d.source, level, address_refs=refs))
        st.address_refs.extend(refs)
    known = {i.name for i in interfaces}
    named = {d.nameif for d in st.interfaces if d.nameif}
    bound_in: dict[str, tuple[str, Source]] = {}
    bound_out: dict[str, tuple[str, Source]] = {}
    glob: tuple[str, Source] | None = None
    for acl, direction, iface, s in st.access_groups:
        if acl not in filters or acl in st.standard_acls:
            if acl not in filters:
                st.lines.undefined(acl, "access-list", s)
            else:
                # "Standard ACLs cannot be applied to interfaces to control traffic" (Cisco ASA 9.2 general
                # configuration guide, "Standard Access Control Lists"): the ASA refuses this binding, so the
                # text is not what the device runs; what the binding decides is unknown, never the list's answer
                st.unrecognized(s, "access-group of standard access list '%s': standard ACLs cannot be applied to "
                                "interfaces to control traffic (the ASA refuses it): what it would decide is unknown"
                                % acl, Impact.FILTER)
            # (what the binding decides: nothing certain)
            filters[acl] = Filter(acl, (Rule(acl, 0, Action.DENY, NOTHING, s, maybe=ALL, opaque=True),), s)
        if direction == "global":
            glob = (acl, s)
        elif iface not in known:
            if iface not in named:
                st.lines.undefined(iface or "", "interface", s)
        elif direction == "in":
            bound_in[iface] = (acl, s)
        else:
            bound_out[iface] = (acl, s)
    routes = [r for r in st.routes if r.interface in known or is_drop(r)]
    for r in st.routes:
        if r.interface not in named and not is_drop(r):
            st.lines.undefined(r.interface, "interface", r.source)
    st.unsettled = _unsettled(st, interfaces, routes)
    paths = _Paths(st, levels, filters, bound_in, bound_out, glob, gates(st, filters, known)).all(interfaces)
    every, inspected = mpf.icmp_inspected(st)
    if not every:
        # (ICMP without 'inspect icmp': its replies are decided by the access rules: mpf.icmp_inspected)
        paths = [p if p.ingress in inspected or p.egress in inspected else
                 replace(p, stages=tuple(replace(x, stateless_protocols=(PROTO_ICMP,)) for x in p.stages))
                 for p in paths]
    # Cisco, ASA general configuration guide, "Route to null0 Interface to Drop Unwanted Traffic": the
    # traffic a static route sends to null0 is dropped, whatever the access rules would permit
    paths += drop_paths(routes, (i.name for i in interfaces), "routed to Null0: the ASA drops the packet")
    return interfaces, routes, paths


def _unsettled(st: Asa, interfaces: list[Interface], routes: list[Route]) -> list[tuple[ISet, Source, str]]:
    """``Config.unsettled_routes``: the addresses a tracked route's withdrawal routes elsewhere (through its
    backup route, or nowhere), at the line that tracks it; and those a default route learned by DHCP or
    PPPoE ('setroute') and a static default route of the same distance through another interface (or another
    such learned route) route differently (``parsers.kit.routes.tied``: each with the other routes of their
    prefix and distance left out, as every vendor's tie): which of the two the ASA installs, the configuration
    does not say (the model takes the first written), at the static route's line (the later learned one's)."""
    connected = [(i.name, i.networks, "") for i in interfaces]
    out: list[tuple[ISet, Source, str]] = []
    kept = {id(x) for x in routes}
    tracked = [(r, s) for r, s in st.tracked if id(r) in kept]
    if tracked:
        gone = withdrawn(connected, routes, [r for r, _s in tracked])
        for r, s in tracked:
            nets = gone.intersect(r.prefix)
            if nets:
                out.append((nets, s, "a tracked route (track): the ASA removes it from the routing table "
                            "when its tracked object goes down and routes these addresses by the next best "
                            "route, or not at all"))
    setroutes = {id(d.setroute) for d in st.interfaces if d.setroute is not None}
    learned = [r for r in routes if id(r.source) in setroutes]  # (the routes 'setroute' learns)
    for r in routes:
        for d in learned:
            if r.prefix != d.prefix or r.preference != d.preference or r.interface == d.interface:
                continue
            if id(r.source) in setroutes:  # (two learned routes: once, at the later one's line)
                if learned.index(r) <= learned.index(d):
                    continue
                what = "the default routes learned by DHCP or PPPoE on %s and on %s (line %d)" % (
                    r.interface, d.interface, d.source.line)
            else:
                what = "this static route and the default route learned by DHCP or PPPoE on %s (line %d)" % (
                    d.interface, d.source.line)
            nets = tied(connected, routes, r, d)
            if nets:
                out.append((nets, r.source, "%s have the same distance: which one the ASA installs is not known"
                            % what))
    # "If you configure traffic zones to contain a group of interfaces, you can have up to 8 equal cost static or
    # dynamic routes across up to 8 interfaces within each zone"; "The ASA load-balances connections across up to
    # eight equal cost routes on all the interfaces in the zone" (ASA general operations CLI configuration guide,
    # "Routing Overview", "ECMP Across Multiple Interfaces Using Traffic Zones"; "Traffic Zones"): which interface,
    # and so which access lists, a connection takes is the device's hash.  Outside a zone the ASA refuses the
    # later route ("ECMP is not supported across multiple interfaces"): the first written is the route.
    zone = {d.nameif: d.zone for d in st.interfaces if d.nameif and d.zone}
    for (a, _a), (b, _b) in equal_cost([(r, None) for r in routes if not is_drop(r) and id(r.source) not in setroutes]):
        if zone.get(a.interface) is not None and zone.get(a.interface) == zone.get(b.interface):
            report_tie(st.lines, out, connected, routes, a, b,
                       "equal-cost routes through interfaces %s (line %d) and %s of traffic zone %s: the ASA "
                       "load-balances connections across them" % (a.interface, a.source.line, b.interface,
                                                                  zone[a.interface]))
    return out


class _Paths:
    def __init__(self, st: Asa, levels, filters, bound_in, bound_out, glob, vpn_gates: dict[str, str]):
        self.st, self.levels, self.filters = st, levels, filters
        self.bound_in, self.bound_out, self.glob = bound_in, bound_out, glob
        self.vpn_gates = vpn_gates  # interface -> the gate of the VPN traffic that bypasses its lists (vpn)
        self.sees_in = "sent" if st.pre83 else "routed"
        self.sees_out = "final" if st.pre83 else "routed"

    def all(self, interfaces: list[Interface]) -> list[Path]:
        out: list[Path] = []
        for a in interfaces:
            for b in interfaces:
                if a.name == b.name:
                    out.extend(self.hairpin(a))
                    continue
                out.append(Path(a.name, b.name, (self.inbound(a.name, b.name),) + tuple(self.outbound(b.name, a.name))))
        return out

    def hairpin(self, a: Interface) -> list[Path]:
        out = []
        if a.networks:
            # two hosts of one connected network talk directly (the scope holds exactly them)
            scope = PacketSet([cube(src=a.networks, dst=a.networks)])
            out.append(Path(a.name, a.name, (), crosses=False, scope=scope,
                            note="both ends are on a connected network of interface %s: the traffic does not "
                                 "reach the firewall" % a.name))
        if self.st.same_intra is None:
            stage = Stage("in:%s" % a.name, (), Action.DENY, self.levels[a.name][1],
                          "traffic routed back out of interface %s, the one it came in on, is dropped without "
                          "'same-security-traffic permit intra-interface'" % a.name, sees=self.sees_in)
            out.append(Path(a.name, a.name, (stage,)))
        else:
            out.append(Path(a.name, a.name, (self.inbound(a.name, a.name),) + tuple(self.outbound(a.name, a.name))))
        return out

    def inbound(self, a: str, b: str) -> Stage:
        """The stage of the packets entering ``a`` for ``b``: behind the VPN gate of ``a``, if any."""
        stage = self._inbound(a, b)
        gate = self.vpn_gates.get(a)
        return replace(stage, filters=(gate,) + stage.filters) if gate else stage

    def _inbound(self, a: str, b: str) -> Stage:
        la, sa = self.levels[a]
        lb, _ = self.levels[b]
        name = "in:%s" % a
        if a != b and la == lb and self.st.same_inter is None:
            return Stage(name, (), Action.DENY, sa,
                         "interfaces %s and %s have the same security level (%d): traffic between them is dropped "
                         "without 'same-security-traffic permit inter-interface', whatever the access lists say"
                         % (a, b, la), sees=self.sees_in)
        acls = [x for x in (self.bound_in.get(a), self.glob) if x is not None]
        if acls:
            last_acl, last_src = acls[-1]
            return Stage(name, tuple(x for x, _ in acls), Action.DENY, _last(self.filters[last_acl], last_src),
                         "implicit deny at the end of access-list %s" % last_acl, sees=self.sees_in)
        if a == b:
            return Stage(name, (), Action.PERMIT, self.st.same_intra,
                         "same-security-traffic permit intra-interface (no access list on %s)" % a, sees=self.sees_in)
        if la > lb:
            return Stage(name, (), Action.PERMIT, sa,
                         "no access-list on %s: security level %d to %d is permitted" % (a, la, lb), sees=self.sees_in)
        if la == lb:
            return Stage(name, (), Action.PERMIT, self.st.same_inter,
                         "same-security-traffic permit inter-interface (level %d, no access list on %s)" % (la, a),
                         sees=self.sees_in)
        return Stage(name, (), Action.DENY, sa,
                     "no access-list on %s: security level %d to %d is denied" % (a, la, lb), sees=self.sees_in)

    def outbound(self, b: str, a: str) -> list[Stage]:
        """The stage of the packets leaving ``b`` that entered ``a`` (its outbound list; VPN traffic of ``a``
        bypasses it too)."""
        if b not in self.bound_out:
            return []
        acl, s = self.bound_out[b]
        gate = self.vpn_gates.get(a)
        return [Stage("out:%s" % b, ((gate,) if gate else ()) + (acl,), Action.DENY, _last(self.filters[acl], s),
                      "implicit deny at the end of access-list %s (out on %s)" % (acl, b), sees=self.sees_out)]


def _last(f: Filter, fallback: Source) -> Source:
    return f.rules[-1].source if f.rules else fallback


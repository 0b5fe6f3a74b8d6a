"""Statements -> the model: each hierarchy to the part that reads it, then the paths between interfaces.

Paths (Juniper, "Packet Flow in SRX Series Firewalls" / "Junos OS Flow-Based and Packet-Based
Processing": input filter, screens, static and destination NAT, route lookup, zones and policy
lookup, reverse static and source NAT, output filter):

* for each ingress and egress interface: the ingress unit's input filter (stateless, sees the
  packet as sent), the zone pair's policies then the global ones then the default policy
  (stateful, sees it after destination NAT), the egress unit's output filter (stateless, sees
  it after source NAT too);
* the screen of the zone a packet enters from (``security zones security-zone Z screen S``): its
  ``ip unknown-protocol`` drops IPv4 protocols 137 to 255 (``_screen_stage``); its other options
  (attack thresholds, malformed packets) are not a policy and are ignored;
* a device with security zones drops the transit traffic of an interface in no zone (the SRX
  requires every transit interface to be in a zone); a device without any (a router, a switch,
  an SRX in packet mode) forwards what its filters accept;
* IPv6 on an SRX: ``security forwarding-options family inet6 mode`` says what the device does with
  IPv6 (Juniper, "mode (Forwarding-Options)", Junos 10.3 CLI reference: "drop--Drop IPv6 packets.
  This is the default setting. flow-based--Perform flow-based packet forwarding. packet-based--
  Perform simple packet forwarding"; "family inet6", Junos 9.3: "By default, the device drops IPv6
  traffic. Note: JUNOS software security processing is not applied to IPv6 packets forwarded by
  the device" in packet mode).  ``flow-based``: the policies decide IPv6 as IPv4; ``packet-based``:
  only the filters do (no zones, no policies); ``drop``: IPv6 transit is dropped.  Without the
  statement the default depends on the platform and release (drop in the documents above; later
  releases forward IPv6 in flow mode by default on some models), which the configuration does not
  say: on a device with security zones, IPv6 the policies permit is ``unknown`` (a rule that may
  drop it, ahead of the policies), IPv6 they deny is denied.  A mode change that needs a reboot on
  older releases is taken as in force (the configuration as the device runs it after the reboot);
* the loopback ``lo0`` is the Routing Engine's own interface, not a transit one: "Input filters
  applied to a loopback interface affect only traffic destined for the Routing Engine" (Juniper,
  "Applying Firewall Filters to Interfaces"); "Loopback firewall filters are only applied to packets
  sent to the Routing Engine for further processing" ("Firewall Filter Support on Loopback
  Interface").  Its units get no path: an address of theirs (inside a site's network too) is the
  device's own, traffic from or to it is not transit, and its filters decide no transit packet;
* an ``inet6`` input filter that discards the neighbours' neighbour discovery (Junos filters have
  no implicit permits for it) leaves IPv6 through that interface unknown (``_nd_dropped``); one on
  the loopback (which sees the NS/NA sent to the device) leaves all IPv6 transit unknown (``_lo0_nd``);
* two hosts of one interface's subnet talk without crossing the device.
"""

from __future__ import annotations

from dataclasses import replace

from auditor.core.model import DEVICE_ONLY, Action, Config, Filter, Impact, Path, Rule, Source, Stage, new_rule
from auditor.core.packets import ALL, ALL_V4, ALL_V6, ISet, PacketSet, cube
from parsers.junos import groups
from parsers.junos.common import INACTIVE, Ctx, is_number
from parsers.junos.filters import Filters, filter_name
from parsers.junos.instances import Instances
from parsers.junos.nat import NatReader
from parsers.junos.objects import AddressBooks, Applications
from parsers.junos.policies import Policies, pair
from parsers.junos.topology import Topology
from parsers.junos.tree import Doc, Stmt
from parsers.kit import Lines
from parsers.kit.nd import nd_denier, nd_gate
from parsers.kit.routes import PROTOCOL_FAMILY, drop_paths, learned_space
from parsers.kit.sets import permitted

# hierarchies that do not decide transit traffic, with why (longest prefix first wins)
IGNORED: dict[tuple[str, ...], str] = {
    ("version",): "software version",
    ("system",): "device management (system)",
    ("chassis",): "chassis settings",
    ("snmp",): "SNMP (management)",
    ("event-options",): "event scripts",
    ("protocols",): "routing and link protocols (the routes they learn are not in the configuration)",
    ("class-of-service",): "quality of service (no effect on permit or deny)",
    ("access",): "access and authentication profiles",
    ("access-profile",): "access profile",
    ("poe",): "power over Ethernet",
    ("vlans",): "VLAN definitions (layer 2)",
    ("ethernet-switching-options",): "layer 2 switching",
    ("switch-options",): "layer 2 switching",
    ("bridge-domains",): "layer 2 bridging",
    ("schedulers",): "schedulers (a policy using one is reported)",
    ("policy-options",): "routing policy",
    ("routing-options",): "routing options other than static routes",
    ("services",): "services (application identification, logging, RPM)",
    ("security", "screen"): "screens (attack thresholds, not a policy)",
    ("security", "ike"): "VPN settings (IKE)",
    ("security", "ipsec"): "VPN settings (IPsec)",
    ("security", "log"): "security logging",
    ("security", "pki"): "certificates",
    ("security", "certificates"): "certificates",
    ("security", "ssh-known-hosts"): "SSH known hosts",
    ("security", "alg"): "application-level gateways (open related connections of permitted ones)",
    ("security", "utm"): "UTM profiles (inspect permitted traffic)",
    ("security", "idp"): "intrusion prevention (inspects permitted traffic)",
    ("security", "flow"): "flow settings (TCP checks, MSS, aging); idle timeouts are per application",
    ("security", "application-tracking"): "application tracking (logging)",
    ("security", "authentication-key-chains"): "authentication keys",
    ("security", "forwarding-options"): "security forwarding options (IPv6/MPLS processing mode)",
    ("security", "forwarding-process", "application-services"): "how the forwarding process divides its sessions "
                                                                "(maximize-idp-sessions, ...)",
    ("security", "user-identification"): "user identification sources",
    ("security", "application-firewall"): "application firewall rule sets (a policy using one is reported)",
    ("security", "address-book-options"): "address book options",
    ("security", "dynamic-address"): "dynamic address feeds (a policy using one is reported)",
    ("security", "gprs"): "GPRS tunnelling",
    ("security", "ssl"): "SSL proxy profiles",
    ("security", "nat", "traceoptions"): "logging",
    ("security", "policies", "traceoptions"): "logging",
    ("security", "traceoptions"): "logging",
    ("security", "zones", "functional-zone"): "functional zone (management traffic to the device)",
    ("security", "key-chain"): "authentication keys (legacy key chains)",
    # forwarding options that relay, copy or spread packets without filtering them (the others, such as a
    # forwarding-table filter 'forwarding-options family inet filter', are reported: UNMODELLED)
    ("forwarding-options", "dhcp-relay"): "DHCP relay",
    ("forwarding-options", "helpers"): "broadcast relay (BOOTP/DHCP helpers)",
    ("forwarding-options", "sampling"): "traffic sampling (copies packets for flow records)",
    ("forwarding-options", "port-mirroring"): "port mirroring (copies packets)",
    ("forwarding-options", "analyzer"): "port mirroring (copies packets)",
    ("forwarding-options", "hash-key"): "load-balancing hash",
    ("forwarding-options", "enhanced-hash-key"): "load-balancing hash",
    ("forwarding-options", "load-balance"): "load balancing",
    ("forwarding-options", "multicast"): "multicast forwarding",
}
# routing protocols that learn routes from neighbours (``protocols X``; the others, such as lldp, learn none)
LEARNING = frozenset(("ospf", "ospf3", "bgp", "rip", "ripng", "isis"))
# hierarchies that change forwarding or filtering in ways not modelled: any verdict may change
UNMODELLED: dict[tuple[str, ...], str] = {
    ("logical-systems",): "logical system: a separate device inside this one (not modelled)",
    ("tenants",): "tenant system: a separate device inside this one (not modelled)",
    ("forwarding-options",): "forwarding options (filters on the forwarding table, port mirroring: not modelled)",
    ("security", "advance-policy-based-routing"): "advanced policy-based routing (not modelled)",
}


def _classify(table: dict[tuple[str, ...], str], toks: tuple[str, ...]) -> str | None:
    for n in (3, 2, 1):
        why = table.get(toks[:n])
        if why is not None:
            return why
    return None


def build(lines: Lines, doc: Doc, path: str, vendor: str) -> Config:
    """The model of the statements read from ``lines`` (see the module doc)."""
    ctx = Ctx(lines, doc)
    for line, why in doc.bad:
        lines.unrecognized(lines.source(line), why)
    stmts = groups.expand(ctx)
    topo = Topology(ctx)
    books = AddressBooks(ctx)
    apps = Applications(ctx)
    policies = Policies(ctx, books, apps)
    fw = Filters(ctx)
    nat = NatReader(ctx, books)
    instances = Instances(ctx, topo, stmts)
    has_security = False
    learned: list[Source] = []  # the first statement of a dynamic routing protocol (Config.learned_routes)
    families: set[int] = set()  # the address families the protocols route (4, 6; 0: both)
    inet6: tuple[str, Stmt] | None = None  # security forwarding-options family inet6 mode, and its statement
    for st in stmts:
        t = st.toks
        head = t[0]
        if head == "security":
            key = t[1] if len(t) > 1 else ""
            if key == "policies":
                has_security = True
                policies.add(st)
                continue
            if key == "zones" and len(t) > 5 and t[2] == "security-zone" and t[4] == "address-book":
                books.add(st)
                continue
            if key == "zones":
                has_security = has_security or t[2:3] == ("security-zone",)
                topo.zone(st)
                continue
            if key == "address-book":
                books.add(st)
                continue
            if key == "screen" and t[2:3] == ("ids-option",) and len(t) > 4 and st.inactive is None \
                    and (t[4:6] == ("ip", "unknown-protocol") or t[4] == "alarm-without-drop"):
                topo.screens.setdefault(t[3], {})[t[5] if t[4] == "ip" else t[4]] = st
                ctx.use(st)
                continue
            if key == "flow" and t[2:4] == ("aging", "high-watermark") and len(t) == 5 and st.inactive is None \
                    and not (is_number(t[4]) and int(t[4]) >= 100):
                # Juniper, "aging" (security flow): "begin aggressively aging out sessions when the percentage of
                # entries in the session table exceeds the high-watermark setting" (default 100 percent), each
                # after 'early-ageout' seconds (default 20): below 100 percent, under load an idle Prinergy
                # connection is dropped long before its timeout, and how full the table gets is not in the
                # configuration (the idle-timeout check cannot pass on it)
                ctx.unknown(st, "aggressive session aging from %s%% of the session table: idle sessions are then "
                                "aged out after early-ageout seconds (default 20), whatever their timeout"
                            % t[4] if is_number(t[4]) else "high-watermark not understood (a percentage in ASCII "
                            "digits): the session aging in force is not known", Impact.FILTER, "timeouts")
                continue
            if key == "forwarding-options" and t[2:4] == ("family", "inet6"):
                inet6 = _inet6_mode(ctx, st, inet6)
                continue
            if key == "forwarding-options" and t[2:] == ("family", "mpls", "mode", "packet-based") \
                    and st.inactive is None:
                # Juniper, "forwarding-options (Security)" (Junos 12.1X47): "the default mode for processing
                # traffic is flow mode ... Use the set security forwarding-options family mpls mode packet-based
                # statement to configure the SRX device to packet mode. You must reboot the device": after the
                # reboot no zone, policy, NAT or session applies to IPv4 either (and the commit refuses it while
                # security policies are configured): any verdict
                ctx.unknown(st, "MPLS packet-based mode puts the SRX in packet mode (after a reboot): security "
                                "zones, policies and NAT then decide nothing (not modelled)", Impact.GLOBAL)
                continue
            if key == "ipsec" and len(t) > 3 and t[2] == "vpn" and st.inactive is None:
                policies.vpns.add(t[3])  # (the names a policy's 'permit tunnel ipsec-vpn' may refer to; ignored)
            if key == "nat":
                if _classify(IGNORED, t) is None:
                    nat.add(st)
                    continue
        elif head == "interfaces":
            topo.interface(st)
            continue
        elif head == "applications":
            apps.add(st)
            continue
        elif head == "firewall":
            fw.add(st)
            continue
        elif head == "routing-options" and instances.main_option(st):
            continue
        elif head == "protocols" and len(t) > 1 and t[1] in LEARNING:
            _learn(ctx, st, t[1:], learned, families)
            continue
        elif head == "routing-instances" and len(t) > 3 and t[2] == "protocols":
            # (Juniper, "Routing Instances Overview": "You can create multiple instances of BGP, IS-IS, ...
            # OSPF ... RIP ... by including statements at [edit routing-instances routing-instance-name
            # protocols]": the routes they learn are not in the configuration either)
            if not instances.seen(st):
                continue
            if t[3] in LEARNING:
                _learn(ctx, st, t[3:], learned, families)
            else:
                ctx.ignore(st, IGNORED[("protocols",)])
            continue
        elif head == "routing-instances":
            instances.add(st)
            continue
        elif t[:2] == ("policy-options", "prefix-list"):
            fw.prefix_list(st)
            continue
        elif head in ("vlans", "bridge-domains") and "filter" in t[2:4] and st.inactive is None:
            # Juniper, EX Series: a VLAN filter sees the packets entering or leaving the VLAN, routed ones too
            ctx.unknown(st, "firewall filter on %s %s: it filters the IP traffic of the VLAN too (not modelled)"
                        % (head[:-1], t[1] if len(t) > 1 else "?"))
            continue
        for n in (3, 2, 1):  # (the longest prefix either table names decides: forwarding-options is not
            # modelled, its dhcp-relay has no effect; at one length, not modelled first)
            why = UNMODELLED.get(t[:n])
            if why is not None:
                ctx.unknown(st, why)
                break
            why = IGNORED.get(t[:n])
            if why is not None:
                ctx.ignore(st, why)
                break
        else:
            ctx.unknown(st, "'%s' statement not understood" % " ".join(t[:3]))
    instances.finish()
    if topo.dhcp:  # (a DHCP client's network and default route are learned at run time: topology ``_family``)
        learned.extend(src for src in topo.dhcp[:1] if not learned)
        families.add(4)
    return _assemble(ctx, path, vendor, topo, books, apps, policies, fw, nat, has_security, tuple(learned), inet6,
                     learned_space(families))


def _learn(ctx: Ctx, st: Stmt, words: tuple[str, ...], learned: list[Source], families: set[int]) -> None:
    """``protocols P ...`` (of the main instance or of a routing instance; ``words`` from P) of a
    protocol that learns routes: its first active statement is ``Config.learned_routes``."""
    # (Juniper, "Routing Protocols Overview": the routes they learn are not in the configuration)
    if st.inactive is None:
        if not learned:
            learned.append(ctx.src(st))
        # (OSPFv3 routes IPv6, and IPv4 too with 'realm ipv4-unicast')
        families.add(0 if words[0] == "ospf3" and "realm" in words else PROTOCOL_FAMILY.get(words[0], 0))
    ctx.ignore(st, "dynamic routing protocol settings (the routes it learns are not in the configuration)")


INET6_MODES = ("flow-based", "packet-based", "drop")
LOOPBACK = "lo0"  # the Routing Engine's interface (module doc)
INET6_UNSURE = "inet6 forwarding mode"  # the filter of the rule that may drop IPv6 (no mode configured)


def _inet6_mode(ctx: Ctx, st: Stmt, prev: tuple[str, Stmt] | None) -> tuple[str, Stmt] | None:
    """``security forwarding-options family inet6 mode M``: the mode, the last one written."""
    t = st.toks
    if st.inactive is not None:
        ctx.ignore(st, INACTIVE)
        return prev
    if len(t) == 4:  # (the hierarchical form's bare 'inet6' block)
        ctx.use(st)
        return prev
    if len(t) == 6 and t[4] == "mode" and t[5] in INET6_MODES:
        ctx.use(st)
        return t[5], st
    ctx.unknown(st, "IPv6 forwarding mode statement not understood: what the SRX does with IPv6 is not known")
    return prev


def _assemble(ctx: Ctx, path: str, vendor: str, topo: Topology, books: AddressBooks, apps: Applications,
              policies: Policies, fw: Filters, nat: NatReader, has_security: bool,
              learned: tuple[Source, ...], inet6: tuple[str, Stmt] | None = None,
              space: ISet | None = None) -> Config:
    lines = ctx.lines
    interfaces = topo.interfaces()
    has_security = has_security or bool(topo.zone_of)
    zone_ifaces: dict[str, list[str]] = {}
    for i in interfaces:
        if i.zone:
            zone_ifaces.setdefault(i.zone, []).append(i.name)
    for z in topo.zones:
        zone_ifaces.setdefault(z, [])
    rules: dict[str, list[Rule]] = {}
    books.settle()
    lookup = policies.build(sorted(zone_ifaces), rules) if has_security else {}
    if not has_security:
        for p in policies.policies.values():
            for st in p.stmts:
                ctx.ignore(st, "security policy without security zones")
    bound: set[str] = set()
    for u in topo.units.values():
        for fam, per in u.filters.items():
            for _d, (names, _st) in per.items():
                bound.update(filter_name(fam, n) for n in names)
    apps.finish()
    fw_rules = fw.build(bound)
    filters: dict[str, Filter] = {}
    for name, rs in rules.items():
        # (the policies of a zone pair of junos-host, the device's own zone, decide only traffic to or from the
        # device, for which the model has no path: ``DEVICE_ONLY``)
        own = "junos-host" in name.removeprefix("global ").split("->")
        filters[name] = Filter(name, tuple(rs), rs[0].source if rs else None,
                               kind=DEVICE_ONLY if own else "zone-policy")
    for name, rs in fw_rules.items():
        f = fw.filters[name]
        filters[name] = Filter(name, tuple(rs), ctx.lines.source(ctx.anchor(f.first, f.depth)), kind="filter")
    routes = topo.routes(interfaces, bool(learned))
    v6 = _inet6_stage(ctx, inet6, has_security, interfaces, routes, filters)
    paths = _paths(ctx, topo, interfaces, lookup, policies, filters, has_security, v6)
    nat_tables = nat.build(interfaces, zone_ifaces, topo.own_of(), topo.instances) if has_security else ()
    if not has_security:
        for items in list(nat.rule_sets.values()):
            lines.unrecognized(ctx.src(items.first), "NAT without security zones", Impact.GLOBAL)
    defaults = policies.default_timeouts() if has_security else []
    if v6 == "":  # packet-based IPv6 keeps no sessions: the protocol defaults are IPv4's only
        v4 = PacketSet([cube(src=ALL_V4, dst=ALL_V4)])
        defaults = [replace(t, match=t.match.intersect(v4)) for t in defaults]
    timeouts = tuple(policies.timeouts) + tuple(defaults) if has_security else ()
    objects = tuple(books.objects())
    # structure lines, comments and directives
    for k in ctx.doc.structure:
        lines.ignore(k, "block structure (braces)")
    for k in ctx.doc.comments:
        lines.ignore(k, "comment")
    for k, d in ctx.doc.directives.items():
        lines.ignore(k, "load directive %s (the block is taken as the whole of that hierarchy)" % d)
    for k in ctx.doc.commands:
        lines.use(k)
    for k in ctx.doc.deleted:
        lines.ignore(k, "removed by a later delete")
    for k in ctx.doc.cont:
        lines.ignore(k, "rest of a statement reported above")
    for k in ctx.doc.prompts:
        lines.ignore(k, "CLI prompt or banner")
    for k in ctx.doc.session:
        lines.ignore(k, "CLI session command (configure, commit, exit...): changes nothing in the configuration")
    refs = [r for i in interfaces for r in i.address_refs]
    for r in filters.values():
        for rule in r.rules:
            refs.extend(rule.addresses)
    # (Juniper, "static (Routing Options)": discard "Do not forward packets addressed to this destination",
    # reject "Do not forward packets addressed to this destination ... send ICMP unreachable")
    paths = list(paths) + drop_paths(routes, (i.name for i in interfaces if i.name.split(".")[0] != "lo0"),
                                     "routed to a discard or reject route: the device drops the packet")
    return Config(
        path=path, vendor=vendor, lines=len(lines), filters=filters, paths=tuple(paths),
        interfaces=tuple(i for i in interfaces), routes=tuple(routes), timeouts=timeouts,
        diagnostics=tuple(lines.diagnostics), address_refs=tuple(refs), objects=objects,
        ignored_lines=lines.ignored, head=lines.head(), remarks=tuple(policies.remarks), nat=nat_tables,
        learned_routes=learned, learned_space=space, local_addresses=topo.own_addresses(),
        unsettled_routes=tuple(ctx.unsettled), lookups=_lookups(ctx, policies, lookup),
    )


def _inet6_stage(ctx: Ctx, inet6: tuple[str, Stmt] | None, has_security: bool, interfaces, routes,
                 filters: dict[str, Filter]) -> str | Stage | None:
    """What stands for the policy stage on IPv6 paths (module doc): ``None`` the policies, as for
    IPv4 (flow-based, or a device without zones and no mode); ``""`` nothing (packet-based); a
    ``Stage`` that drops (drop); ``INET6_UNSURE`` the policies behind a rule that may drop (no mode
    on a device with zones: the default is the platform's).  A configuration with no IPv6 network or
    route routes no IPv6 through the device: its paths are left as one."""
    if inet6 is not None:
        mode, st = inet6
        if mode == "drop":
            return Stage("inet6 mode drop", (), Action.DENY, ctx.src(st),
                         "security forwarding-options family inet6 mode drop: the SRX drops IPv6 traffic")
        if mode == "packet-based":
            return ""
        return None
    if not has_security or not (any(i.networks.overlaps(ALL_V6) for i in interfaces)
                                or any(r.prefix.overlaps(ALL_V6) for r in routes)):
        return None
    head = ctx.lines.head()
    name = INET6_UNSURE
    while name in filters:  # (a quoted filter name could be the same words)
        name += "'"
    rule = new_rule(name, 0, Action.DENY, PacketSet(), head,
                    maybe=PacketSet([cube(src=ALL_V6, dst=ALL_V6)]), sure_action=True, builtin=True,
                    note="no 'security forwarding-options family inet6 mode': the SRX's IPv6 default (drop or "
                         "flow-based) depends on its model and release, which the configuration does not say")
    filters[name] = Filter(name, (rule,), head, kind="derived")
    return name


def _paths(ctx: Ctx, topo: Topology, interfaces, lookup, policies: Policies, filters: dict[str, Filter],
           has_security: bool, v6: str | Stage | None = None) -> list[Path]:
    head = ctx.lines.head()
    default, dsrc, dwhy = _default_policy(ctx, policies)
    out: list[Path] = []
    transit = []
    for i in interfaces:
        if i.name.split(".")[0] != LOOPBACK:
            transit.append(i)
            continue
        # the loopback: its filters see the traffic to and from the Routing Engine only, never transit
        # traffic, and no transit traffic enters or leaves by it (module doc); its addresses stay the
        # device's own in the routing table, so packets to them are not routed through it
        u = topo.units.get(i.name)
        for fam, per in (u.filters.items() if u is not None else ()):
            for names, st in per.values():
                for n in names:
                    if filter_name(fam, n) not in filters:
                        topo.ctx.undefined(st, n, "firewall filter", filter_name(fam, n), Impact.NONE)
    interfaces = transit
    lo_nd = _lo0_nd(ctx, topo, filters)
    for a in interfaces:
        for b in interfaces:
            if a.name == b.name:
                for lo, hi in a.networks.iv:
                    net = ISet.of(lo, hi)
                    out.append(Path(a.name, a.name, (), crosses=False, scope=PacketSet([cube(src=net, dst=net)]),
                                    note="both ends are on a subnet of %s: the traffic does not cross the "
                                         "device" % a.name))
            per_family = []
            for fam, universe in (("inet", ALL_V4), ("inet6", ALL_V6)):
                stages = []
                fin = _filter_stage(topo, filters, a.name, "input", fam)
                if fin is not None:
                    stages.append(fin)
                scr = _screen_stage(ctx, topo, filters, a.zone) if has_security and a.zone else None
                if scr is not None:
                    stages.append(scr)
                if fam == "inet6" and isinstance(v6, Stage):
                    stages.append(v6)
                elif fam == "inet6" and v6 == "":
                    pass  # packet-based IPv6: no zones, no policies
                elif has_security:
                    st = _policy_stage(a, b, lookup, default, dsrc, dwhy, head)
                    if fam == "inet6" and v6:  # (INET6_UNSURE: may drop, else the policies decide)
                        st = replace(st, filters=(v6,) + st.filters)
                    stages.append(st)
                fout = _filter_stage(topo, filters, b.name, "output", fam)
                if fout is not None:
                    stages.append(fout)
                if fam == "inet6" and lo_nd is not None:
                    stages.append(lo_nd)  # (last: what a filter or policy denies stays denied)
                per_family.append((universe, tuple(stages)))
            if per_family[0][1] == per_family[1][1]:
                out.append(Path(a.name, b.name, per_family[0][1]))
            else:
                for universe, stages in per_family:
                    out.append(Path(a.name, b.name, stages, scope=PacketSet([cube(src=universe, dst=universe)])))
    return out


UNKNOWN_PROTOCOLS = ISet.of(137, 255)  # the protocol numbers the 'ip unknown-protocol' screen drops


def _screen_stage(ctx: Ctx, topo: Topology, filters: dict[str, Filter], zone: str) -> Stage | None:
    """The zone's screen's ``ip unknown-protocol``, on the packets entering from the zone: Juniper,
    "Dropping Packets Using an Unknown Protocol" (Junos Security 10.0): "Protocol types with ID
    numbers of 137 or greater are reserved and undefined ... The specified security zone is the one
    from which the packets originates"; JUNIPER-JS-SCREENING-MIB jnxJsScreenMonIpUnknownProt: "the
    security device drops packets when the protocol field contains a protocol ID number of 137 or
    greater".  IPv4 packets of those protocols are dropped; IPv6 ones (whose next header the
    documents do not discuss) and, with the screen's ``alarm-without-drop``, IPv4 ones too may be."""
    got = topo.screen_of.get(zone)
    if got is None:
        return None
    screen = topo.screens.get(got[0], {})
    st = screen.get("unknown-protocol")
    if st is None:
        return None
    name = "screen %s (zone %s)" % (got[0], zone)
    if name not in filters:
        v4 = PacketSet([cube(src=ALL_V4, dst=ALL_V4, proto=UNKNOWN_PROTOCOLS)])
        v6 = PacketSet([cube(src=ALL_V6, dst=ALL_V6, proto=UNKNOWN_PROTOCOLS)])
        alarm = "alarm-without-drop" in screen
        rule = new_rule(name, 0, Action.DENY, PacketSet() if alarm else v4, ctx.src(st),
                        maybe=v4.union(v6) if alarm else v6, sure_action=True,
                        note="ip unknown-protocol: protocols 137-255 entering from zone %s are dropped%s"
                             % (zone, " (or only alarmed: alarm-without-drop)" if alarm else
                                " (IPv6: not documented)"))
        filters[name] = Filter(name, (rule,), ctx.src(st), kind="derived")
    return Stage(name, (name,), Action.PERMIT, ctx.src(st), "the screen passes the packets it does not drop",
                 stateful=False, sees="sent")


def _default_policy(ctx: Ctx, policies: Policies) -> tuple[Action, Source, str]:
    """(action, line, reason) of the default policy, which ends every zone pair's lookup."""
    if policies.default is not None:
        default = policies.default[0]
        return default, ctx.src(policies.default[1]), "default policy %s (no policy matched)" % (
            "permit-all" if default is Action.PERMIT else "deny-all")
    return Action.DENY, ctx.lines.head(), "default policy deny-all (Junos default: no policy matched)"


def _lookups(ctx: Ctx, policies: Policies, lookup: dict[str, tuple[str, ...]]) -> tuple[Stage, ...]:
    """Each zone pair's policy lookup as a stage (``Config.lookups``), wherever the model has a path through it or
    not (a zone with no interface, a policy fragment with no zone defined): the pair's policies, then the global
    ones, then the default policy (module doc); the pairs of ``junos-host``, the device's own zone, are left out
    (no path: ``DEVICE_ONLY``)."""
    default, dsrc, dwhy = _default_policy(ctx, policies)
    return tuple(Stage("policy %s" % k, names, default, dsrc, dwhy) for k, names in lookup.items()
                 if names and "junos-host" not in k.split("->"))


def _policy_stage(a, b, lookup, default, dsrc, dwhy, head) -> Stage:
    if not a.zone or not b.zone:
        which = a.name if not a.zone else b.name
        return Stage("zones %s->%s" % (a.zone or "-", b.zone or "-"), (), Action.DENY, head,
                     "interface %s is in no security zone: the SRX drops its transit traffic" % which)
    names = lookup.get(pair(a.zone, b.zone), ())
    return Stage("policy %s" % pair(a.zone, b.zone), names, default, dsrc, dwhy)


def _filter_stage(topo: Topology, filters: dict[str, Filter], iface: str, direction: str, fam: str) -> Stage | None:
    u = topo.units.get(iface)
    if u is None:
        return None
    got = u.filters.get(fam, {}).get(direction)
    if got is None:
        return None
    names, st = got
    keys = []
    for n in names:
        k = filter_name(fam, n)
        if k not in filters:
            topo.ctx.undefined(st, n, "firewall filter", k, Impact.GLOBAL)
            filters[k] = Filter(k, (Rule(k, 0, Action.DENY, PacketSet(), topo.ctx.src(st), maybe=PacketSet([cube()]),
                                          opaque=True, note="undefined filter"),), topo.ctx.src(st))
        keys.append(k)
    last = filters[keys[-1]]
    dsrc = last.rules[-1].source if last.rules else topo.ctx.src(st)
    if fam == "inet6" and direction == "input":
        dropped = _nd_dropped(topo.ctx, filters, keys, names, dsrc)
        keys = ([dropped] if dropped else []) + keys
    return Stage("%s %s %s" % (direction, iface, fam), tuple(keys), Action.DENY, dsrc,
                 "implicit discard at the end of filter %s (%s %s)" % (names[-1], direction, iface),
                 stateful=False, sees="sent" if direction == "input" else "final")


def _lo0_nd(ctx: Ctx, topo: Topology, filters: dict[str, Filter]) -> Stage | None:
    """A stage in front of every IPv6 path when the loopback's inet6 input filter discards neighbour
    discovery: "Loopback firewall filters are only applied to packets sent to the Routing Engine"
    (Juniper, "Firewall Filter Support on Loopback Interface"), the neighbours' NS/NA to the device
    among them on the platforms whose Routing Engine answers them, so the device may resolve no IPv6
    neighbour at all: every IPv6 transit packet is unknown (what the filters deny stays denied)."""
    for name, u in topo.units.items():
        if name.split(".")[0] != LOOPBACK:
            continue
        got = u.filters.get("inet6", {}).get("input")
        if got is None:
            continue
        names, st = got
        keys = [filter_name("inet6", n) for n in names]
        if not all(k in filters for k in keys):
            continue  # (reported as undefined by _paths)
        last = filters[keys[-1]]
        dsrc = last.rules[-1].source if last.rules else ctx.src(st)
        dropped = _nd_dropped(ctx, filters, keys, names, dsrc, everything=True, where="the loopback %s" % name)
        if dropped:
            return Stage("input %s inet6 (neighbour discovery)" % name, (dropped,), Action.PERMIT, dsrc,
                         "the loopback's filter accepts neither neighbor-solicit nor neighbor-advertisement",
                         stateful=False)
    return None


def _nd_dropped(ctx: Ctx, filters: dict[str, Filter], keys: list[str], names, dsrc: Source,
                everything: bool = False, where: str = "the interface") -> str | None:
    """An inet6 input filter (or input-list) that discards the neighbours' neighbour discovery.

    Junos filters have no implicit neighbour-discovery permits: every filter ends in an implicit
    discard-all term (Juniper, "How Standard Firewall Filters Evaluate Packets"), and an input
    filter "take[s] action on packets being received on the specified interface" ("Stateless
    Firewall Filter Application Points"), the neighbours' neighbour solicitations and advertisements
    (ICMPv6 135/136 from link-local addresses, "IPv6 Neighbor Discovery": address resolution) among
    them.  A filter that discards them leaves the router unable to resolve the link's neighbours, so
    what it accepts may carry nothing: every IPv6 packet it would accept is unknown (a filter put in
    front), and the term that discards the neighbour discovery (or the filter's implicit discard)
    is reported.  What the filter discards stays discarded."""
    name = "%s (drops neighbour discovery%s)" % (" + ".join(keys), " to the device" if everything else "")
    if name in filters:
        return name
    rules = [(k, r) for k in keys for r in filters[k].rules]
    denier, remaining = nd_denier(r for _k, r in rules)
    first: Source | None = denier.source if denier is not None else None
    scope = next((k for k, r in rules if r is denier), keys[-1])
    if remaining and first is None:
        first = dsrc  # (the implicit discard at the end of the filter)
    if first is None:
        return None
    what = "filter %s" % names[0] if len(names) == 1 else "input-list %s" % " ".join(names)
    ctx.lines.unrecognized(first, "the inet6 %s discards neighbour discovery (neighbor-solicit/neighbor-"
                           "advertisement from link-local addresses; Junos filters have no implicit permits "
                           "for them): the router cannot resolve the link's neighbours, so IPv6 through "
                           "%s is not modelled (accept 'next-header icmp6 icmp-type [neighbor-solicit "
                           "neighbor-advertisement]' before this)" % (what, where), Impact.FILTER, scope)
    if everything:
        may = ALL
    else:
        sure, unsure = permitted(r for _k, r in rules)  # (what the chain may accept, by first match)
        may = sure.union(unsure)
    filters[name] = nd_gate(name, may.intersect(PacketSet([cube(src=ALL_V6, dst=ALL_V6)])), first,
                            "the filter drops neighbour discovery: whether IPv6 packets get through is not modelled",
                            "inet6 %s dropping neighbour discovery" % what)
    return name


__all__ = ["build", "Stmt"]

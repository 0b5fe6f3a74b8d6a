"""The rules pfSense and OPNsense add to every ruleset, before and after the user's rules.

pfSense (src/etc/inc/filter.inc, ``filter_rules_generate``), in the order it writes them:

* unless IPv6 is allowed (System > Advanced > Networking), ``block quick inet6 all``;
* unless ``no_apipa_block``, ``block in quick from/to 169.254.0.0/16`` ("Block IPv4 link-local");
* the non-quick default deny ``block in log inet all`` / ``inet6 all`` (the stages' default here);
* with IPv6 allowed, the ICMPv6 passes it needs to operate (types 1, 2, 135, 136 everywhere; the
  link-local neighbour discovery ones);
* ``block quick proto { tcp udp } from any port = 0`` and ``to any port = 0``;
* with a CARP virtual IP, ``block in quick proto carp from (self)`` and ``pass quick proto carp``;
* per DHCP client interface, ``pass in quick on IF proto udp from any port = 67 to any port = 68``
  (and the DHCPv6 client's), whose packets are tagged so that ``block out quick ... tagged dhcpin``
  stops them being routed on;
* per interface with "Block bogon networks", ``block in quick on IF from <bogons>`` (a downloaded
  list without RFC 1918 space, rc.update_bogons.sh: uncertain here); with "Block private networks",
  ``block in quick on IF from`` 10/8, 127/8, 172.16/12, 192.168/16, fc00::/7;
* PPTP client interfaces: ``pass in on IF proto gre keep state`` (non-quick);
* the non-quick ``pass out all keep state`` ("let out anything from firewall host itself"): what
  leaves an interface passes unless an out-direction rule blocks it (the out stages' default);
* the anti-lockout rule ``pass in quick on LAN proto tcp to (LAN) port { GUI, 80, ssh }`` (on WAN
  when it is the only interface) unless System > Advanced "Disable webConfigurator anti-lockout";
* after the user's rules, with "Static route filtering" (``bypassstaticroutes``), quick passes
  between each static route's network and its interface's subnet.

OPNsense (src/etc/inc/filter.lib.inc, ``filter_core_rules_system``) is similar, with its own lists:
no link-local block, port-0 blocks unless ``no_port0_block``, RFC 4890 ICMPv6 passes unless
``no_ipv6_rfc4890_req``, "private networks" are 10/8, 172.16/12, 192.168/16, 127/8, 100.64/10,
169.254/16 (fd00::/8, fe80::/10, ::1 for IPv6), the anti-lockout rule passes to ``(self)``, DHCP
client replies are not blocked from being routed, and the static route bypass rules are non-quick.

Not modelled, and why: the run-time tables (snort2c, sshguard/sshlockout, virusprot: hosts blocked
for misbehaving, empty on a quiet network); antispoof (non-quick blocks before the user rules: any
user pass overrides them and the default deny blocks the rest, so they change no decision); the
DHCP server and loopback passes (traffic to the firewall itself and broadcasts).
"""

from __future__ import annotations

from auditor.core.model import Source
from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_PROTO, ALL_V4, ALL_V6, EMPTY, ISet, PacketSet, cube
from parsers.kit.addr import cidr_set
from parsers.kit.names import TCP_UDP, icmp_values
from parsers.pfsense.rules import PROTO_ICMP6, PROTO_TCP, PROTO_UDP, PfRule

UDP = ISet.of(PROTO_UDP)
TCP = ISet.of(PROTO_TCP)
ICMP6 = ISet.of(PROTO_ICMP6)
LINK_LOCAL4 = cidr_set("169.254.0.0/16")
PF_PRIVATE = ("10.0.0.0/8", "127.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
OPN_PRIVATE = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16",
               "fd00::/8", "fe80::/10", "::1/128")
# where the bogon lists can hold addresses: not the private space each product strips from them
# (pfSense rc.update_bogons.sh: RFC 1918 and fc00::/7; OPNsense firmware/bogons.sh: RFC 1918, 127/8,
# 100.64/10, 169.254/16, which its 'Block private networks' covers); and what they certainly hold: IANA's
# special-purpose IPv4 blocks (RFC 6890), which Team Cymru's full bogon lists always carry
_RFC1918 = cidr_set("10.0.0.0/8").union(cidr_set("172.16.0.0/12")).union(cidr_set("192.168.0.0/16"))
_OPN_STRIPPED = _RFC1918.union(cidr_set("127.0.0.0/8")).union(cidr_set("100.64.0.0/10")).union(
    cidr_set("169.254.0.0/16"))
BOGON_SPACE = {"pfsense": {4: ALL_V4.subtract(_RFC1918), 6: ALL_V6.subtract(cidr_set("fc00::/7"))},
               "opnsense": {4: ALL_V4.subtract(_OPN_STRIPPED), 6: ALL_V6}}
BOGON_SURE = EMPTY
for _n in ("0.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "192.0.0.0/24", "192.0.2.0/24",
           "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3"):
    BOGON_SURE = BOGON_SURE.union(cidr_set(_n))
FE80, FF02, UNSPEC = cidr_set("fe80::/10"), cidr_set("ff02::/16"), cidr_set("::")


def _types(*ts: int) -> ISet:
    out = EMPTY
    for t in ts:
        out = out.union(icmp_values(t))
    return out


def _rule(src: Source, label: str, action: str, quick: bool, direction: str, ifaces, cubes, maybe=(),
          sure_action: bool = False) -> PfRule:
    return PfRule(src, action, quick, direction, ifaces, PacketSet(cubes), PacketSet(maybe), note=label,
                  tab="generated", generated=True, sure_action=sure_action)


class Generated:
    """The generated rules of one config: ``before`` the user's rules and ``after`` them."""

    def __init__(self, p):
        self.p = p
        self.before: list[PfRule] = []
        self.after: list[PfRule] = []
        if p.dialect.opn:
            self.opnsense()
        else:
            self.pfsense()

    # --- pfSense -------------------------------------------------------------------------------
    def pfsense(self) -> None:
        p, add = self.p, self.before.append
        head = p.head
        if not p.ipv6allow:
            add(_rule(head, "Block all IPv6 (IPv6 is not allowed: System > Advanced > Networking)", "block", True,
                      "any", None, [cube(ALL_V6, ALL_V6)]))
        if not p.setting("no_apipa_block"):
            add(_rule(head, "Block IPv4 link-local (pfSense generated)", "block", True, "in", None,
                      [cube(src=LINK_LOCAL4), cube(dst=LINK_LOCAL4)]))
        if p.ipv6allow:
            self.icmp6_operation(head, pf=True)
        self.port0(head, p.ipv6allow)
        if p.carp:
            self.carp(head)
        for i in p.enabled_ifaces():
            self.dhcp_client(i, pf=True)
            self.bogons(i)
            self.private(i, PF_PRIVATE)
            if i.dynamic.get(4) == "PPTP":
                add(_rule(i.source, "allow PPTP client on %s (pfSense generated, non-quick)" % i.name, "pass",
                          False, "in", (i.key,), [cube(proto=ISet.of(47))]))
        self.antilockout(self_dst=False)
        self.bypass_static_routes(quick=True)

    # --- OPNsense ------------------------------------------------------------------------------
    def opnsense(self) -> None:
        p, add = self.p, self.before.append
        head = p.head
        if not p.ipv6allow:
            add(_rule(head, "Block all IPv6 (IPv6 is not allowed: Interfaces > Settings)", "block", True, "any", None,
                      [cube(ALL_V6, ALL_V6)]))
        elif not p.setting("no_ipv6_rfc4890_req"):
            self.icmp6_operation(head, pf=False)
        if not p.setting("no_port0_block"):
            self.port0(head, True)
        if p.carp:
            add(_rule(head, "CARP defaults (OPNsense generated)", "pass", True, "any", None,
                      [cube(dst=cidr_set(a), proto=ISet.of(112)) for a in ("224.0.0.18", "ff02::12")]))
        for i in p.enabled_ifaces():
            self.dhcp_client(i, pf=False)
        for i in p.enabled_ifaces():
            self.bogons(i)
            self.private(i, OPN_PRIVATE)
        self.antilockout(self_dst=True)
        self.bypass_static_routes(quick=False)

    # --- the pieces ----------------------------------------------------------------------------
    def carp(self, head: Source) -> None:
        """pfSense filter.inc ``filter_process_carp_rules``, with a CARP virtual IP: ``block in quick proto carp
        from (self) to any`` then ``pass quick proto carp no state`` (any interface, either direction); util.inc
        places them (PFCONFIG_FILTER_CARP) after the port 0 blocks and before the interfaces' rules."""
        add, carp = self.before.append, ISet.of(112)
        own = [self.p.addrs.own(f) for f in (4, 6)]
        add(_rule(head, "CARP operation: block CARP from the firewall's own addresses (pfSense generated)", "block",
                  True, "in", None, [cube(src=o.sure, proto=carp) for o in own if o.sure],
                  [cube(src=o.maybe, proto=carp) for o in own if o.maybe]))
        add(_rule(head, "CARP operation (pfSense generated)", "pass", True, "any", None, [cube(proto=carp)]))

    def icmp6_operation(self, head: Source, pf: bool) -> None:
        add = self.before.append
        label = "ICMPv6 operation (%s generated)" % ("pfSense" if pf else "OPNsense RFC 4890")
        need = _types(1, 2, 135, 136) if pf else _types(1, 2, 3, 4, 135, 136)
        add(_rule(head, label, "pass", True, "any", None, [cube(ALL_V6, ALL_V6, ICMP6, ALL_PORTS, need)]))
        nd_in = _types(128, 133, 134, 135, 136)
        if pf:
            nd_out = _types(129, 133, 134, 135, 136)
            add(_rule(head, label, "pass", True, "out", None, [cube(FE80, FE80, ICMP6, ALL_PORTS, nd_out),
                                                                cube(FE80, FF02, ICMP6, ALL_PORTS, nd_out)]))
        else:
            own = self.p.addrs.own(6).sure
            nd_out = _types(128, 129, 133, 134, 135, 136)
            if own:
                add(_rule(head, label, "pass", True, "out", None, [cube(own, FE80.union(FF02), ICMP6, ALL_PORTS,
                                                                        nd_out)]))
        add(_rule(head, label, "pass", True, "in", None, [cube(FE80, FE80, ICMP6, ALL_PORTS, nd_in),
                                                           cube(FF02, FE80, ICMP6, ALL_PORTS, nd_in),
                                                           cube(FE80, FF02, ICMP6, ALL_PORTS, nd_in),
                                                           cube(UNSPEC, FF02, ICMP6, ALL_PORTS, nd_in)]))

    def port0(self, head: Source, v6: bool) -> None:
        space = ALL_ADDR if v6 else ALL_V4
        zero = ISet.of(0)
        self.before.append(_rule(head, "Block traffic from port 0 (generated)", "block", True, "any", None,
                                 [cube(space, space, TCP_UDP, zero, ALL_PORTS)]))
        self.before.append(_rule(head, "Block traffic to port 0 (generated)", "block", True, "any", None,
                                 [cube(space, space, TCP_UDP, ALL_PORTS, zero)]))

    def dhcp_client(self, i, pf: bool) -> None:
        add = self.before.append
        if i.dynamic.get(4) == "DHCP":
            add(_rule(i.source, "allow DHCP client replies in on %s (generated)" % i.name, "pass", True, "in",
                      (i.key,), [cube(proto=UDP, sport=ISet.of(67), dport=ISet.of(68))]))
            add(_rule(i.source, "allow DHCP client out on %s (generated)" % i.name, "pass", True, "out",
                      (i.key,), [cube(proto=UDP, sport=ISet.of(68), dport=ISet.of(67))]))
        if self.p.ipv6allow and i.dynamic.get(6) in ("DHCPv6", "SLAAC"):
            src = i.source6 or i.source
            add(_rule(src, "allow DHCPv6 client in on %s (generated)" % i.name, "pass", True, "in", (i.key,),
                      ([cube(FE80, FE80, UDP, ISet.of(546), ISet.of(546))] if pf else [])
                      + [cube(proto=UDP, sport=ISet.of(547) if pf else ALL_PORTS, dport=ISet.of(546))
                         if pf else cube(dst=FE80, proto=UDP, dport=ISet.of(546))]))
            add(_rule(src, "allow DHCPv6 client out on %s (generated)" % i.name, "pass", True, "out", (i.key,),
                      [cube(proto=UDP, sport=ISet.of(546), dport=ISet.of(547))] if pf else
                      [cube(FE80, FE80.union(FF02), UDP, ISet.of(546), ISet.of(547))]))

    def bogons(self, i) -> None:
        if i.blockbogons is None:
            return
        src = self.p.lines.source(i.blockbogons.line)
        fams = (4, 6) if self.p.ipv6allow else (4,)
        space = BOGON_SPACE[self.p.dialect.name]
        sure = BOGON_SURE.intersect(space[4])
        # (only whether the downloaded list holds a source is uncertain: what it holds is blocked, what it does not
        # goes on to the later rules, so a source every later rule blocks too is blocked either way)
        self.before.append(_rule(
            src, "Block bogon networks from %s: the bogon list is downloaded at run time (IANA's reserved blocks "
                 "are certainly in it)" % i.name, "block", True, "in", (i.key,), [cube(src=sure)],
            [cube(src=space[f].subtract(sure)) for f in fams], sure_action=True))

    def private(self, i, nets) -> None:
        if i.blockpriv is None:
            return
        src = self.p.lines.source(i.blockpriv.line)
        block = EMPTY
        for n in nets:
            if ":" in n and not self.p.ipv6allow and self.p.dialect.opn:
                continue
            block = block.union(cidr_set(n))
        self.before.append(_rule(src, "Block private networks from %s (generated)" % i.name, "block", True, "in",
                                 (i.key,), [cube(src=block)]))

    def antilockout(self, self_dst: bool) -> None:
        p = self.p
        if p.noantilockout:
            return
        iface = p.antilockout_iface()
        if iface is None:
            return
        ports = EMPTY
        for port in p.antilockout_ports():
            ports = ports.union(ISet.of(port))
        if self_dst:
            dst = p.addrs.own(4).sure.union(p.addrs.own(6).sure)
        else:
            dst = iface.addr[4].union(iface.addr[6]).union(iface.vip_addr)  # pf: (IF) = its addresses
        label = "anti-lockout rule (%s generated; System > Advanced > Admin Access)" % p.dialect.title
        if dst:
            self.before.append(_rule(p.webgui_source, label, "pass", True, "in", (iface.key,),
                                     [cube(dst=dst, proto=TCP, dport=ports)]))

    def bypass_static_routes(self, quick: bool) -> None:
        p = self.p
        if not p.bypassstaticroutes:
            return
        for key, net, src in p.route_nets:
            i = p.addrs.by_key.get(key)
            if i is None:
                continue
            fam = 4 if net.issubset(ALL_V4) else 6
            local = i.net[fam]
            if not local:
                continue
            self.after.append(_rule(src, "pass traffic between statically routed subnets (Static route filtering)",
                                    "pass", quick, "any", (key,), [cube(local, net, ALL_PROTO),
                                                                   cube(net, local, ALL_PROTO)]))

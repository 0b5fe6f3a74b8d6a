"""One parse of one IOS / IOS-XE running-config: every line dispatched, every block read.

The top-level commands that build the model are read here (access lists, object groups,
interfaces, static routes) or handed to ``zbf`` (zones, class maps, policy maps, parameter
maps, zone pairs) and ``nat``; ``topology`` assembles paths from them.  A second ``interface X`` block
changes interface X, as the command does on the device (a later ``ip access-group L in`` replaces the list of
that direction, a later primary ``ip address`` the primary address; ``no`` forms remove).  Any other line is
either a command known to have no effect on filtering (``names.IGNORED``, with the reason)
or reported as not understood (CFG300) with the scope it could affect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from auditor.core.model import (
    ESTABLISHED,
    Action,
    Config,
    Filter,
    Impact,
    Rule,
    Source,
    Timeout,
    new_rule,
)
from auditor.core.packets import EMPTY, PROTO_TCP, PROTO_UDP, ISet, PacketSet, cube, replies
from parsers.cisco_ios import names as N
from parsers.cisco_ios.acl import Acl, AclBuilder, numbered_kind, split_entry
from parsers.cisco_ios.objects import Groups
from parsers.cisco_ios.operands import OperandError, host_set, mask_set, prefix_len, prefix_set
from parsers.cisco_ios.scan import blocks, if_name, indent, kids
from parsers.kit import Lines
from parsers.kit.ifnames import IfNames
from parsers.kit.routes import learned_space
from parsers.kit.sets import permitted

NAME = "cisco-ios"
# 'ip reflexive-list timeout' default (Cisco IOS Security Configuration Guide, "Configuring IP
# Session Filtering (Reflexive Access Lists)": reflexive entries expire after 300 seconds idle)
REFLEXIVE_DEFAULT = 300
# the default route a DHCP client interface installs towards the gateway the server names (option 3): "installed
# with the administrative distance 254 (floating static route)"; 'no ip dhcp client request router' turns it off,
# 'ip dhcp client default-router distance N' sets its distance (ipSpace, "DHCP Response Sets the Default Route",
# https://blog.ipspace.net/2007/06/dhcp-response-sets-default-route.html)
DHCP_ROUTE_DISTANCE = 254
# 'cts role-based enforcement' (global, '... vlan-list V', or on an interface) turns on TrustSec's security group
# ACLs: "SGACLs provide a stateless access control mechanism, relying on security group tags rather than
# traditional IP addresses", written with 'cts role-based permission' or downloaded from Cisco ISE (Cisco Catalyst
# 9000 TrustSec Configuration Guide, "Security Group ACL", https://www.cisco.com/c/en/us/td/docs/switches/lan/c9000/
# sec-crypto/cts/cisco-trustsec-configuration-guide/security-group-acls.html); 'vlan-list' enforces them "for
# Layer 2 switched packets and for Layer 3 switched packets on an switched virtual interface (SVI)" (Catalyst 3650
# Command Reference, IOS XE 16.5.1a, 'cts role-based enforcement').  Which tag an address has and what the
# policies permit is not in the config (ISE, SXP, authentication): not modelled.
# A crypto map on an interface (Cisco IOS Security Configuration Guide, "Configuring Security for VPNs with IPsec",
# crypto access lists): the permit entries of the access list an entry's 'match address' names are the packets
# leaving the interface that IPsec encrypts and sends to the peer (dropped while no security association is up);
# "Any unprotected inbound traffic that matches a permit entry in the crypto access list for a crypto map entry
# flagged as IPsec will be dropped, because this traffic was expected to be protected by IPsec" (the list read
# mirrored, source and destination swapped).  Whether the tunnel is up, and whether a packet arrived through it,
# is not in the config: those packets are unknown (topology._Assembler.crypto_stage).
CRYPTO_DOC = "Cisco IOS Security Configuration Guide, 'Configuring Security for VPNs with IPsec'"
# A tunnel interface ('tunnel source', 'tunnel destination', 'tunnel mode'): what it routes out leaves the router
# encapsulated, from the tunnel source to the tunnel destination (GRE, protocol 47, by default; ESP or UDP with
# 'tunnel mode ipsec ...'), over another interface, whose features act on those carrier packets: Cisco's GRE over
# IPsec example applies the crypto map to the physical interface, its crypto list matching "permit gre host <tunnel
# source> host <tunnel destination>" (Cisco, "Configuring a GRE Tunnel over IPsec", document 14125-33,
# https://www.cisco.com/c/en/us/support/docs/ip/generic-routing-encapsulation-gre/14125-33.html); what comes
# through the tunnel arrived as such packets on another interface, whose inbound list sees them (for IPsec VTIs:
# "all the features that are applied on the physical interfaces are applied after applying crypto", Cisco IOS XE
# "IPsec Virtual Tunnel Interfaces", https://cisco.com/en/US/docs/ios-xml/ios/sec_conn_vpnips/configuration/xe-3s/
# sec-ipsec-virt-tunnl.html).  Whether those carrier packets pass the other interfaces' lists, zones and crypto
# maps is not modelled (topology._Assembler.tunnel_stage).
TUNNEL_DOC = "Cisco, 'Configuring a GRE Tunnel over IPsec' (document 14125-33)"
SGACL_WHY = ("TrustSec security group ACL enforcement is not modelled: the SGACLs (written here or downloaded from "
             "ISE) can drop any packet between the tagged hosts")


@dataclass
class Urpf:
    """Unicast RPF on an interface (``Iface.urpf``): ``strict`` (``reachable-via rx``, ``reverse-path``) or
    loose (``reachable-via any``), ``allow_default`` (the default route counts), ``acl`` (the list that may
    forward what fails the check: not modelled), at ``line``."""

    strict: bool
    allow_default: bool
    acl: str | None
    line: int


@dataclass
class Iface:
    name: str
    line: int
    v4: list[tuple[ISet, ISet, int]] = field(default_factory=list)  # (network, own address, line)
    v6: list[tuple[ISet, ISet, int]] = field(default_factory=list)
    acl: dict[str, tuple[str, int]] = field(default_factory=dict)  # "in"/"out"/"in6"/"out6" -> (acl, line)
    acl_doubt: dict[str, int] = field(default_factory=dict)  # direction -> a 'no' line naming another list
    zone: tuple[str, int] | None = None
    nat: str | None = None  # inside | outside | enable (NAT Virtual Interface)
    shutdown: bool = False
    vrf: str | None = None
    dhcp: bool = False
    # 'ip address dhcp': its line, and the distance of the default route the DHCP client installs (None: not asked)
    dhcp_route: tuple[int, int | None] | None = None
    vip: ISet = EMPTY  # the first-hop redundancy groups' virtual addresses (HSRP, VRRP, GLBP)
    vip_doubt: list[tuple[ISet, int]] = field(default_factory=list)  # (addresses that may be one, line)
    qos: list[tuple[str, int]] = field(default_factory=list)  # service-policy input|output NAME: (NAME, line)
    switchport: bool = False  # a Layer 2 port of a switch ('switchport ...' lines)
    primary: int | None = None  # the line of its primary IPv4 address (in v4)
    full: str = ""  # its full name (a config may name it 'Lo0': Loopback0)
    # unicast RPF ('ip verify unicast ...', 'ipv6 verify unicast ...'): family -> Urpf
    urpf: dict[int, Urpf] = field(default_factory=dict)
    crypto: dict[int, tuple[str, int]] = field(default_factory=dict)  # family -> (crypto map name, its line)
    # a tunnel interface's 'tunnel destination' line (else its first 'tunnel source|mode' line): TUNNEL_DOC
    tunnel: int | None = None
    # its 'tunnel WORD ...' lines: WORD -> the words after it (the last line of each: topology._Assembler.carrier)
    tunnel_cmds: dict[str, list[str]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        low = (self.full or self.name).lower()
        if low.startswith("loopback"):
            return "loopback"
        if low.startswith("null"):
            return "null"
        return "normal"


@dataclass
class RouteDef:
    prefix: ISet
    plen: int
    iface: str | None
    nexthop: ISet | None
    vrf: str | None
    line: int
    family: int
    distance: int = 1  # administrative distance ("Static routes have a default administrative distance of 1")
    global_hop: bool = False  # 'ip route vrf V ... NH global': the next hop is in the global table
    track: bool = False  # 'track N': withdrawn when the tracked object goes down (Config.unsettled_routes)


class IosParser:
    """Reads one config; ``build()`` returns the ``Config``."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = Lines(text, path)
        self.groups = Groups(self.lines)
        self.acls: dict[str, Acl] = {}
        self.ifaces: list[Iface] = []
        self.iface_by_name: dict[str, Iface] = {}
        self.routes: list[RouteDef] = []
        self.reflexive_timeout: tuple[int, int] | None = None  # (seconds, line)
        from parsers.cisco_ios.nat import NatReader
        from parsers.cisco_ios.zbf import ZbfReader

        # (one name for each interface, however a line abbreviates it: parsers.kit.ifnames)
        self.ifnames = IfNames(N.IF_PHYSICAL, N.IF_VIRTUAL, (if_name(line.split()) for line in self.lines.raw
                                                             if line.startswith("interface ")))
        self.zbf = ZbfReader(self.lines)
        self.nat = NatReader(self.lines, self.ifnames.resolve)
        # QoS policy maps: name -> (the class and line of a 'drop' in it, the policy maps nested in it)
        self.qos_maps: dict[str, tuple[tuple[str, int] | None, list[str]]] = {}
        self.template_qos: list[tuple[str, int]] = []  # the QoS policies interface templates apply (name, line)
        self.learned: list[Source] = []  # the lines that start a dynamic routing protocol
        self.learned_families: set[int] = set()  # the address families they route (4, 6; 0: both)
        # routing of each family ('no ip routing', 'ipv6 unicast-routing': topology._Assembler.routing_off)
        self.no_ip_routing: int | None = None  # the line of 'no ip routing': IPv4 is not routed
        self.ipv6_routing: int | None = None  # the line of 'ipv6 unicast-routing': IPv6 is routed (off without it)
        self.xr = False  # IOS XR's own interface or list syntax (it routes IPv6 without that command)
        self.xr_groups: list[tuple[list[str], int, int]] = []  # IOS XR's object groups: (words, first, end)
        # crypto maps: name -> its entries (line, the 'match address' list or None, the dynamic map it names or
        # None, whether what it protects is not in the config: a GDOI group's policy); dynamic maps: name ->
        # their entries (line, the 'match address' list or None: without one, what the peer proposes)
        self.crypto_maps: dict[str, list[tuple[int, str | None, str | None, bool]]] = {}
        self.dynamic_maps: dict[str, list[tuple[int, str | None]]] = {}
        # 'control-plane' lines that may drop packets to the router: (line, why) (topology: local paths only)
        self.control_plane_drops: list[tuple[int, str]] = []
        self.copp: list[tuple[str, int]] = []  # its 'service-policy [type T] input NAME' lines: (NAME, line)
        # each 'line vty' block's 'access-class NAME in [vrf-also]' (4) and 'ipv6 access-class NAME in' (6) lines:
        # family -> (NAME, line, vrf-also); a block without one has an empty dict (topology._Assembler.vty_stage)
        self.vty: list[dict[int, tuple[str, int, bool]]] = []

    def routing(self, t: list[str], i: int, j: int, no: bool) -> None:
        """``[no] ip routing`` / ``[no] ipv6 unicast-routing`` at line ``i`` (the last line of each says):
        whether the router routes the family (``topology._Assembler.routing_off``)."""
        if t[0] == "ip":
            self.no_ip_routing = i if no else None
        else:
            self.ipv6_routing = None if no else i
        self.lines.use(i)
        self.children_unknown(i + 1, j, ("no " if no else "") + " ".join(t))

    # --- dispatch --------------------------------------------------------------------
    def scan(self) -> None:
        lines = self.lines
        raw = lines.raw
        for i, j in blocks(raw):
            line = raw[i]
            if line[:1] in " \t":
                lines.unrecognized(lines.source(i), "indented line outside any block", Impact.GLOBAL)
                continue
            t = line.split()
            w = t[0]
            if w == "access-list":
                self.numbered(t, i, j)
            elif w == "ip" and len(t) > 1 and t[1] == "access-list":
                self.named_acl(t, i, j, 4)
            elif (w == "ipv6" or w == "ipv4") and len(t) > 1 and t[1] == "access-list":
                self.named_acl(t, i, j, 6 if w == "ipv6" else 4)
            elif w == "object-group":
                self.object_group(t, i, j)
            elif w == "interface":
                self.interface(t, i, j)
            elif (w == "ip" or w == "ipv6") and len(t) > 1 and t[1] == "route":
                self.route(t, i, w == "ipv6")
                self.children_unknown(i + 1, j, "route")
            elif w == "ip" and len(t) > 1 and t[1] == "nat":
                self.nat.read(t, i, j)
            elif w == "route-map":
                self.nat.route_map(t, i, j, N.IGNORED["route-map"])
            elif w == "ip" and len(t) > 2 and t[1] == "reflexive-list" and t[2] == "timeout":
                self.reflexive(t, i)
            elif w == "ip" and len(t) > 1 and t[1] == "port-map":
                self.zbf.port_map(t, i)
            elif w in ("zone", "zone-pair") or (w in ("class-map", "policy-map", "parameter-map")
                                                 and len(t) > 2 and t[1] == "type"
                                                 and t[2] in ("inspect", "inspect-global")):
                self.zbf.read(t, i, j)
            elif w == "no":
                self.no(t, i, j)
            elif w.startswith("!") or w.startswith("#"):
                lines.ignore(i, "comment", j)
            else:
                self.other(t, i, j)

    def children_unknown(self, i: int, j: int, what: str) -> None:
        for k in kids(self.lines.raw, i - 1, j):
            if self.lines[k].strip() not in ("!", "exit"):
                self.lines.unrecognized(self.lines.source(k), "line under %s" % what, Impact.GLOBAL)
            else:
                self.lines.ignore(k, "comment")

    def other(self, t: list[str], i: int, j: int) -> None:
        if t[0] == "policy-map" and j > i + 1:
            self.qos_map(t, i, j)
        if t == ["router", "static"]:
            self.xr_static(i, j)
            return
        proto = t[2] if t[:2] == ["ipv6", "router"] and len(t) > 2 else (t[1] if t[0] == "router" and len(t) > 1
                                                                        else None)
        if proto in N.DYNAMIC_ROUTING:
            # the routes it learns are not in a running-config (Config.learned_routes)
            if self.learns(proto, i, j):
                self.learned.append(self.lines.source(i))
                self.learned_families.add(_family(t, proto))
            self.lines.use(i)
            self.lines.ignore(i + 1, N.ROUTING_SETTINGS, j)
            return
        if t[:2] in (["vlan", "access-map"], ["vlan", "filter"]):
            # a VLAN map (VACL) filters every packet bridged within, or routed into or out of, the VLANs its
            # 'vlan filter' names (Cisco Catalyst configuration guides, "Configuring VLAN Maps"): not the VLAN
            # database; not modelled
            self.lines.unrecognized(self.lines.source(i), "VLAN map (VLAN access control list) is not modelled: it "
                                    "can drop any packet routed into or out of its VLANs", Impact.GLOBAL)
            for k in kids(self.lines.raw, i, j):
                self.lines.unrecognized(self.lines.source(k), "inside a VLAN map", Impact.GLOBAL)
            return
        if t == ["ip", "routing"] or t == ["ipv6", "unicast-routing"]:
            self.routing(t, i, j, False)
            return
        if t[:2] in (["crypto", "map"], ["crypto", "dynamic-map"]) and len(t) >= 4 and t[3].isdecimal():
            self.crypto_map(t, i, j)
            return
        if t[0] == "control-plane":
            self.control_plane(i, j)
            return
        if t[:3] == ["cts", "role-based", "enforcement"] and (len(t) == 3 or t[3] == "vlan-list"):
            self.lines.unrecognized(self.lines.source(i), SGACL_WHY, Impact.GLOBAL)
            return
        if t[0] == "template" and len(t) == 2:
            self.template(i, j)
            return
        if t[:2] == ["line", "vty"]:
            self.vty_block(i, j)
        why = N.IGNORED.get(" ".join(t[:2])) or N.IGNORED.get(t[0])
        if why is None and t[0] == "ip" and len(t) > 2:
            why = N.IGNORED.get(" ".join(t[:3]))
        if why is not None:
            self.lines.ignore(i, why, j)
            return
        self.lines.unrecognized(self.lines.source(i), "unknown command '%s'" % " ".join(t[:2]), Impact.GLOBAL)
        for k in kids(self.lines.raw, i, j):
            self.lines.unrecognized(self.lines.source(k), "inside the block of an unknown command", Impact.GLOBAL)

    def vty_block(self, i: int, j: int) -> None:
        """A ``line vty`` block's access classes: "access-class ... in: Restricts incoming connections between a
        particular Cisco device and the addresses in the access list"; "vrf-also: Accepts incoming connections from
        interfaces that belong to a VRF" (Cisco IOS Security Command Reference, ``access-class``); IPv6 connections
        are restricted by ``ipv6 access-class`` (Cisco IOS IPv6 Command Reference).  The rest of the block (and
        the block, once read) is ignored as terminal line settings."""
        got: dict[int, tuple[str, int, bool]] = {}
        for k in kids(self.lines.raw, i, j):
            s = self.lines[k].split()
            fam = 6 if s[:1] == ["ipv6"] else 4
            w = s[1:] if fam == 6 else s
            if w[:1] == ["access-class"] and len(w) >= 3 and w[2] == "in":
                got[fam] = (w[1], k, "vrf-also" in w[3:])
                self.lines.use(k)
        self.vty.append(got)

    def crypto_map(self, t: list[str], i: int, j: int) -> None:
        """A crypto map entry ``crypto map NAME SEQ ipsec-isakmp|ipsec-manual|gdoi [dynamic DYN]`` or a dynamic
        map entry ``crypto dynamic-map NAME SEQ``: the access list its ``match address`` names (CRYPTO_DOC); the
        rest (peers, transform sets, lifetimes) decides how, not which packets.  Used by ``crypto_stage``."""
        lines = self.lines
        acl = None
        for k in kids(lines.raw, i, j):
            s = lines[k].split()
            if s[:2] == ["match", "address"] and len(s) == 3:
                acl = s[2]
                lines.use(k)
            else:
                lines.ignore(k, "crypto map setting (peer, transform set, lifetime: how packets are protected, "
                                "not which)")
        lines.use(i)
        if t[1] == "dynamic-map":
            self.dynamic_maps.setdefault(t[2], []).append((i, acl))
            return
        dyn = t[6] if len(t) > 6 and t[5] == "dynamic" else None  # ('... ipsec-isakmp dynamic DYN')
        self.crypto_maps.setdefault(t[2], []).append((i, acl, dyn, len(t) > 4 and t[4] == "gdoi"))

    def control_plane(self, i: int, j: int) -> None:
        """``control-plane [host|transit|cef-exception]``: its ``service-policy [type T] input NAME`` (Control
        Plane Policing and Protection: the policy map acts on the packets punted to the route processor, the
        packets to the router's own addresses; Cisco IOS Quality of Service Solutions Configuration Guide,
        "Control Plane Policing"), whose classes may ``drop`` (``qos_drops`` tells which policies drop; a
        ``police`` rate limit blocks no flow), and ``management-interface IF allow PROTOCOLS`` (Management Plane
        Protection: "all incoming packets through the management interface ... are dropped" but for the
        protocols allowed, and other interfaces drop those protocols: Cisco IOS Security Configuration Guide,
        "Management Plane Protection").  Which packets a class holds is not modelled: the packets to the
        router are unknown at that line (``topology._Assembler.local_paths``); transit traffic is not touched."""
        lines = self.lines
        lines.use(i)
        for k in kids(lines.raw, i, j):
            s = lines[k].split()
            if s[0] == "service-policy" and len(s) in (3, 5) and s[-2] == "input":
                self.copp.append((s[-1], k))
                lines.use(k)
            elif s[0] == "management-interface":
                self.control_plane_drops.append((k, "Management Plane Protection ('%s') drops management "
                                                    "protocols to the router on other interfaces, and other "
                                                    "packets on that one: not modelled" % " ".join(s[:2])))
                lines.use(k)
            else:
                lines.ignore(k, "control-plane setting (what the router sends, or how fast it processes)")

    def learns(self, proto: str, i: int, j: int) -> bool:
        """Whether the routing process of lines ``i`` to ``j`` may learn routes: a BGP process that
        has a neighbour; an OSPF, EIGRP or IS-IS one unless every interface is passive
        (``passive-interface default`` without a ``no passive-interface``: these form neighbours by
        hellos, which a passive interface neither sends nor receives, so no route is learned); any
        other (RIP listens for updates on a passive interface too)."""
        body = [self.lines.raw[k].split() for k in kids(self.lines.raw, i, j)]
        if proto == "bgp":
            return any(w[:1] == ["neighbor"] for w in body)
        if proto not in ("ospf", "ospfv3", "eigrp", "isis"):
            return True
        passive = any(w == ["passive-interface", "default"] for w in body)
        return not passive or any(w[:2] == ["no", "passive-interface"] for w in body)

    def template(self, i: int, j: int) -> None:
        """``template NAME`` (an interface template): its lines configure the ports it is applied to, by
        ``source template NAME`` on an interface or at run time (Autoconf applies a device type's template to
        the port a device is found on; an authentication policy or ISE may apply one too: Cisco Catalyst
        9300 Network Management Configuration Guide 16.6, "Configuring Autoconf").  Which ports those are is
        not modelled, so a line that may filter their traffic (an access list, a dropping QoS policy, any line
        not known to be harmless on an interface) is reported; the lines ``names.IF_IGNORED`` knows to be
        harmless are ignored as on an interface."""
        lines = self.lines
        lines.use(i)
        for k in kids(lines.raw, i, j):
            s = lines[k].split()
            two = " ".join(s[:2])
            if s[0].startswith("!") or s[0] == "exit":
                lines.ignore(k, "comment")
            elif s[0] == "service-policy" and (len(s) == 3 and s[1] in ("input", "output") or
                                              len(s) == 5 and s[1] == "type" and s[3] in ("input", "output")):
                self.template_qos.append((s[-1], k))  # (reported by qos_drops if the policy drops a class)
                lines.ignore(k, N.IF_IGNORED["service-policy"])
            elif two != "cts role-based" and (N.IF_IGNORED.get(two) or N.IF_IGNORED.get(s[0])):
                lines.ignore(k, N.IF_IGNORED.get(two) or N.IF_IGNORED[s[0]])
            else:
                lines.unrecognized(lines.source(k), "interface template line '%s': it applies to the ports the "
                                   "template is applied to (by 'source template' or at run time), which the model "
                                   "cannot place: not modelled" % two, Impact.GLOBAL)

    def qos_map(self, t: list[str], i: int, j: int) -> None:
        """A QoS policy map's 'drop' actions and nested maps (Cisco, "Modular QoS CLI (MQC) Unconditional
        Packet Discard": 'drop' in a class discards every packet of the class)."""
        cls, drop, nested = "?", None, []
        raw = self.lines.raw
        for k in kids(raw, i, j):
            s = raw[k].split()
            if s[:1] == ["class"] and len(s) > 1:
                cls = s[-1]
            elif drop is None and (s == ["drop"] or "conform-action" in s and s[s.index("conform-action") + 1:][:1]
                                   == ["drop"]):
                drop = (cls, k)
            elif s[:1] == ["service-policy"] and len(s) == 2:
                nested.append(s[1])
        self.qos_maps[t[-1]] = (drop, nested)

    def policy_drop(self, name: str) -> tuple[str, int] | None:
        """(class, line) of a ``drop`` in policy map ``name`` or a policy map nested in it, else None."""
        got, seen, todo = None, set(), [name]
        while todo and got is None:
            n = todo.pop()
            if n in seen or n not in self.qos_maps:
                continue
            seen.add(n)
            got, nested = self.qos_maps[n]
            todo.extend(nested)
        return got

    def qos_drops(self) -> None:
        """Report each QoS service policy an interface or an interface template applies that drops a class of
        packets (not modelled); note each control-plane policy that does (``control_plane_drops``)."""
        for name, k in self.copp:
            got = self.policy_drop(name)
            if got is not None:
                self.control_plane_drops.append((k, "control-plane policy-map %s drops the packets of class %s "
                                                    "(line %d) to the router: which packets is not modelled"
                                                 % (name, got[0], got[1] + 1)))
        if not self.qos_maps:
            return
        for name, k in [q for d in self.ifaces for q in d.qos] + self.template_qos:
            got = self.policy_drop(name)
            if got is not None:
                self.lines.unrecognized(self.lines.source(k), "QoS policy-map %s drops the packets of class %s "
                                        "(line %d): which packets is not modelled" % (name, got[0], got[1] + 1),
                                        Impact.GLOBAL)

    def if_rate_limit(self, s: list[str], k: int) -> None:
        """``rate-limit input|output [access-group [rate-limit] N] BPS NORMAL MAX conform-action A exceed-action
        B`` (Committed Access Rate).  Cisco, "Committed Access Rate" (IOS 11.1 feature guide): "Traffic that
        falls within the rate parameters is transmitted, while packets that exceed the acceptable amount of
        traffic are dropped or transmitted with a different priority"; the actions are transmit, drop,
        continue, set-prec-/set-qos-/set-dscp-transmit or -continue.  A rate limit blocks no flow; a
        'conform-action drop' drops the packets it matches even within the rate (which ones: not modelled)."""
        lines = self.lines
        act = s[s.index("conform-action") + 1:][:1] if "conform-action" in s else []
        if act == ["drop"]:
            lines.unrecognized(lines.source(k), "rate-limit with conform-action drop drops the packets it matches "
                               "even within the rate: which packets is not modelled", Impact.GLOBAL)
        elif act and "exceed-action" in s:
            lines.ignore(k, "rate limit (CAR): it limits a rate, it blocks no flow")
        else:
            lines.unrecognized(lines.source(k), "rate-limit not understood", Impact.GLOBAL)

    def no(self, t: list[str], i: int, j: int) -> None:
        """``no ...`` lines: the ones that delete an access list (a change script's reset), or
        the negation of a command with no effect on filtering."""
        rest = t[1:]
        if len(rest) >= 3 and rest[0] in ("ip", "ipv6", "ipv4") and rest[1] == "access-list":
            name = rest[3] if rest[0] == "ip" and rest[2] in ("extended", "standard") and len(rest) > 3 else rest[2]
            self.acls.pop(name, None)
            self.lines.use(i, j)
            return
        if len(rest) == 2 and rest[0] == "access-list":
            self.acls.pop(rest[1], None)
            self.lines.use(i, j)
            return
        if rest == ["ip", "routing"] or rest == ["ipv6", "unicast-routing"]:
            self.routing(rest, i, j, True)
            return
        why = None
        if rest:
            why = N.IGNORED.get(" ".join(rest[:2])) or N.IGNORED.get(rest[0])
            if why is None and rest[0] == "ip" and len(rest) > 2:
                why = N.IGNORED.get(" ".join(rest[:3]))
        if why is not None:
            self.lines.ignore(i, "turned off: " + why, j)
            return
        self.lines.unrecognized(self.lines.source(i), "'no %s' is not supported" % " ".join(rest[:2]),
                                Impact.GLOBAL)
        for k in kids(self.lines.raw, i, j):
            self.lines.unrecognized(self.lines.source(k), "inside the block of an unknown command", Impact.GLOBAL)

    # --- access lists ---------------------------------------------------------------
    def numbered(self, t: list[str], i: int, j: int) -> None:
        lines = self.lines
        if len(t) < 3:
            lines.unrecognized(lines.source(i), "bad access-list", Impact.GLOBAL)
            return
        name = t[1]
        kind = numbered_kind(int(name)) if name.isdecimal() else None
        if kind is None:
            if name.isdecimal():
                n = int(name)
                for lo, hi, what in N.NON_IP_ACL_RANGES:
                    if lo <= n <= hi:
                        lines.ignore(i, "%s access list (not IP)" % what, j)
                        return
            # 'access-list NAME extended ...' is ASA / NX-OS syntax, not IOS: the list is
            # reported, and any use of it is unknown
            acl = self.acls.setdefault(name, Acl(name, "extended", i))
            lines.unrecognized(lines.source(i), "'access-list %s' is not an IOS numbered access list" % name,
                               Impact.FILTER, name)
            acl.add(lines, i, ["?"] + t[2:], None)
            for k in kids(lines.raw, i, j):
                lines.unrecognized(lines.source(k), "inside an access list not understood", Impact.FILTER, name)
            return
        acl = self.acls.get(name)
        if acl is None:
            acl = self.acls[name] = Acl(name, kind, i)
        acl.add(lines, i, t[2:], None)
        self.children_unknown(i + 1, j, "access-list")

    def named_acl(self, t: list[str], i: int, j: int, family: int) -> None:
        lines = self.lines
        if (family == 6 or t[0] == "ipv4") and len(t) == 3:
            kind, name = ("ipv6" if t[0] == "ipv6" else "extended"), t[2]
        elif t[0] == "ip" and len(t) == 4 and t[2] in ("standard", "extended"):
            kind, name = t[2], t[3]
        elif t[0] == "ip" and len(t) >= 3 and t[2] in ("logging", "log-update", "resequence", "helper",
                                                         "persistent"):
            lines.ignore(i, "access list settings", j)
            return
        else:
            # 'ip access-list NAME' (EOS / NX-OS), 'ipv6 access-list standard NAME' (EOS) or a
            # role-based list: not an IOS IP access list; any use of it is unknown
            name = t[-1]
            lines.unrecognized(lines.source(i), "'%s' is not an IOS standard or extended access list"
                               % " ".join(t[:4]), Impact.FILTER, name)
            acl = self.acls.setdefault(name, Acl(name, "extended", i))
            acl.add(lines, i, ["?"], None)
            for k in kids(lines.raw, i, j):
                lines.unrecognized(lines.source(k), "inside an access list not understood", Impact.FILTER, name)
            return
        acl = self.acls.get(name)
        clash = None
        if acl is not None and acl.kind != kind:
            clash = "a %s list named %s already exists" % (acl.kind, name)
        elif kind != "ipv6" and name.isdecimal() and numbered_kind(int(name)) not in (None, kind):
            clash = "number %s is a %s list" % (name, numbered_kind(int(name)))
        if clash:
            # IOS rejects the header (one name, one kind; "An IPv4 ACL and an IPv6 ACL cannot share
            # the same name"), and the entries typed under it with it
            lines.unrecognized(lines.source(i), "%s (IOS rejects this list)" % clash, Impact.FILTER, name)
            for k in kids(lines.raw, i, j):
                lines.unrecognized(lines.source(k), "under a rejected access list header", Impact.FILTER, name)
            return
        if acl is None:
            acl = self.acls[name] = Acl(name, kind, i, xr=t[0] == "ipv4")
        lines.use(i)
        for k in kids(lines.raw, i, j):
            s = lines[k].split()
            if s[0] == "!" or s[0].startswith("!"):
                lines.ignore(k, "comment")
                continue
            if s[0] == "exit":
                lines.ignore(k, "ends a configuration block")
                continue
            seq, words = split_entry(s, kind)
            if not words:
                lines.unrecognized(lines.source(k), "empty access-list entry", Impact.FILTER, name)
                continue
            acl.add(lines, k, words, seq)

    def object_group(self, t: list[str], i: int, j: int) -> None:
        lines = self.lines
        # (IOS XR: 'object-group network ipv4|ipv6 NAME' and 'object-group port NAME', which its lists name as
        # 'net-group NAME' and 'port-group NAME': Cisco IOS XR IP Addresses and Services Command Reference,
        # 'object-group network', 'object-group port')
        xr = (len(t) == 4 and t[1] == "network" and t[2] in ("ipv4", "ipv6")) or (len(t) == 3 and t[1] == "port")
        if (len(t) == 3 and t[1] in ("network", "service", "v6-network")) or xr:
            kind = {"service": "service", "port": "port"}.get(t[1], "network")
            if xr:
                self.xr_groups.append((t, i, j))  # (IOS's own syntax only in an IOS XR config: build)
            lines.use(i)
            children = []
            for k in kids(lines.raw, i, j):
                s = lines[k].split()
                if s[0].startswith("!"):
                    lines.ignore(k, "comment")
                else:
                    children.append((k, s))
            self.groups.define(kind, t[-1], i, children)
            return
        name = t[-1] if len(t) > 2 else "?"
        # (the form as written: 'object-group network ipv4 NAME' is IOS-XR's, not a type IOS lacks)
        lines.unrecognized(lines.source(i), "object-group '%s' is not supported (IOS: object-group network|service "
                                            "NAME)" % " ".join(t[1:]), Impact.FILTER, name)
        for k in kids(lines.raw, i, j):
            lines.unrecognized(lines.source(k), "inside an object-group not understood", Impact.FILTER, name)

    def reflexive(self, t: list[str], i: int) -> None:
        if len(t) == 4 and t[3].isdecimal():
            self.reflexive_timeout = (int(t[3]), i)
            self.lines.use(i)
        else:
            self.lines.unrecognized(self.lines.source(i), "bad 'ip reflexive-list timeout'", Impact.FILTER,
                                    "timeouts")

    # --- interfaces and routes ------------------------------------------------------------
    def interface(self, t: list[str], i: int, j: int) -> None:
        lines = self.lines
        if len(t) < 2:
            lines.unrecognized(lines.source(i), "interface without a name", Impact.GLOBAL)
            return
        name, why = self.ifnames.resolve(if_name(t))
        if t[1].lower() == "range":
            # (a range of interfaces, typed in configure terminal: a running-config prints each one; not modelled)
            why = "'interface range' (the interfaces of a range) is not modelled"
        if why is not None:
            # (IOS answers '% Ambiguous command' and stays in global configuration mode, where the lines under
            # it fail, or means one of the types: which interface they change is not known)
            lines.unrecognized(lines.source(i), why, Impact.GLOBAL)
            for k in kids(lines.raw, i, j):
                lines.unrecognized(lines.source(k), "under an interface not known", Impact.GLOBAL)
            return
        d = self.iface_by_name.get(name)
        if d is None:
            d = self.iface_by_name[name] = Iface(name, i, full=self.ifnames.full(name)[0])
            self.ifaces.append(d)
            if (d.full or d.name).lower().startswith("virtual-template"):
                # a virtual template is cloned into virtual-access interfaces at run time, one per PPP user or
                # IPsec peer ("virtual access interfaces are virtual interfaces that are created, configured
                # dynamically, and freed as needed": Cisco IOS Dial Technologies Configuration Guide, "Configuring
                # Virtual Template Interfaces"; a dynamic VTI's, per peer: Cisco IOS XE "IPsec Virtual Tunnel
                # Interfaces"), with the routes to what is behind each peer installed then: the addresses outside
                # the connected networks may be routed through them (Config.learned_routes)
                self.learned.append(lines.source(i))
                self.learned_families.add(0)
        # (else a second block for the same interface, as a snippet pasted after a running-config:
        # 'interface X' enters the existing interface's configuration mode and its commands change it)
        lines.use(i)
        group = None  # a VRRPv3 group's sub-mode: (its family, the indentation of its 'vrrp' line)
        for k in kids(lines.raw, i, j):
            s = lines[k].split()
            depth = len(lines.raw[k]) - len(lines.raw[k].lstrip())
            if group is not None and (depth > group[1] or s == ["exit-vrrp"]):
                self.vrrp3_line(d, group[0], s, k)
                if s == ["exit-vrrp"]:
                    group = None
                continue
            group = None
            if s[:1] == ["vrrp"] and len(s) == 4 and s[2] == "address-family" and s[3] in ("ipv4", "ipv6"):
                group = (6 if s[3] == "ipv6" else 4, depth)
                lines.ignore(k, N.IF_IGNORED["vrrp"] + " (a VRRPv3 group)")
                continue
            self.if_line(d, s, k)

    def vrrp3_line(self, d: Iface, fam: int, s: list[str], k: int) -> None:
        """A line of a VRRPv3 group (``fhrp version vrrp v3``; Cisco, "VRRPv3 Protocol Support": ``vrrp G
        address-family ipv4|ipv6``, then ``address A [primary|secondary]``, ``priority``, ``preempt``, ``track``,
        ``timers``..., closed by ``exit-vrrp``): its addresses are the virtual router's, the router's own while
        it is the primary (as 'vrrp G ip A'); the rest elects the primary and decides no packet."""
        if s[0] == "address" and len(s) >= 2:
            try:
                d.vip = d.vip.union(host_set(s[1].split("/")[0], fam))
            except OperandError as e:
                self.lines.unrecognized(self.lines.source(k), "VRRPv3 address (%s)" % e, Impact.NONE)
                return
            self.lines.ignore(k, N.IF_IGNORED["vrrp"] + " (its virtual address is the router's own)")
        else:
            self.lines.ignore(k, N.IF_IGNORED["vrrp"] + " (a VRRPv3 group setting, or its end)")

    def port_acls(self, d: Iface) -> None:
        """An access list on a Layer 2 port of a switch (a port ACL, Cisco Catalyst configuration guides,
        "Configuring PACLs") filters the packets of the hosts behind the port, in their VLAN, before any
        routing: the model has no path through a port without an address, so it is reported (every
        verdict unknown) instead of being applied to nothing."""
        for _key, (name, k) in sorted(d.acl.items(), key=lambda x: x[1][1]):
            self.lines.unrecognized(self.lines.source(k), "port ACL %s on Layer 2 interface %s filters the hosts "
                                    "behind that port (which the model cannot place): not modelled" % (name, d.name),
                                    Impact.GLOBAL)

    def if_line(self, d: Iface, s: list[str], k: int) -> None:
        lines = self.lines
        w = s[0]
        two = " ".join(s[:2])
        try:
            if w.startswith("!") or w == "exit":
                lines.ignore(k, "comment")
            elif two == "ip address":
                self.if_address(d, s, k)
            elif two == "ipv4 address":  # (IOS XR's spelling)
                self.xr = True
                self.if_address(d, ["ip"] + s[1:], k)
            elif two in ("ipv4 access-group", "ipv6 access-group") and len(s) == 4 and s[3] in ("ingress", "egress"):
                # IOS XR: 'ipv4|ipv6 access-group NAME ingress|egress' (Cisco IOS XR IP Addresses and Services
                # Command Reference, "ipv4 access-group"): the list filters what enters or leaves the interface
                d.acl[("in" if s[3] == "ingress" else "out") + ("6" if w == "ipv6" else "")] = (s[2], k)
                self.xr = True
                lines.use(k)
            elif two in ("ipv4 access-group", "ipv6 access-group") and len(s) > 2 and s[2] == "common":
                lines.unrecognized(lines.source(k), "an IOS XR common access list (applied before the interface's "
                                   "own, in hardware) is not modelled", Impact.GLOBAL)
            elif two == "ipv6 address":
                self.if_address6(d, s, k)
            elif two in ("ip access-group", "ipv6 traffic-filter") and len(s) in (3, 4):
                direction = s[3] if len(s) == 4 else "out"  # (IOS: 'out' when no keyword is given)
                if direction not in ("in", "out"):
                    raise OperandError("direction '%s'" % direction)
                d.acl[direction + ("6" if w == "ipv6" else "")] = (s[2], k)
                d.acl_doubt.pop(direction + ("6" if w == "ipv6" else ""), None)
                lines.use(k)
            elif two == "ip nat" and len(s) == 3 and s[2] in ("inside", "outside", "enable"):
                # ('enable': the interface takes part in the NAT Virtual Interface's translations, nat.NVI_DOC)
                d.nat = s[2]
                lines.use(k)
            elif two == "zone-member security" and len(s) == 3:
                d.zone = (s[2], k)
                lines.use(k)
            elif w == "shutdown" and len(s) == 1:
                d.shutdown = True
                lines.use(k)
            elif two == "no shutdown" and len(s) == 2:
                d.shutdown = False  # (a later block for the interface can bring it up)
                lines.ignore(k, "interface default restored")
            elif w == "no" and len(s) > 2 and s[2] == "address" and s[1] in ("ip", "ipv6"):
                self.if_no_address(d, s, k)
            elif w == "no" and len(s) in (4, 5) and two + " " + s[2] in ("no ip access-group",
                                                                          "no ipv6 traffic-filter"):
                # removes the list applied in that direction ('no ip access-group NAME {in|out}')
                key = (s[4] if len(s) == 5 else "out") + ("6" if s[1] == "ipv6" else "")
                have = d.acl.get(key)
                if have is not None and have[0] != s[3]:
                    # (naming another list than the one applied: whether IOS removes that direction's list
                    # anyway or refuses the command is not documented; both readings are kept, and what they
                    # decide differently is unknown: topology.acl_stage)
                    d.acl_doubt[key] = k
                    lines.unrecognized(lines.source(k), "'%s' names another list than the one applied %s on %s "
                                       "(%s): whether IOS removes that list is not documented"
                                       % (" ".join(s), s[4] if len(s) == 5 else "out", d.name, have[0]),
                                       Impact.FILTER, have[0])
                    return
                if have is not None:
                    del d.acl[key]
                    d.acl_doubt.pop(key, None)
                lines.use(k)
            elif two in ("no shutdown", "no ip", "no ipv6") and len(s) >= 2 and (
                    len(s) == 2 or s[2] in ("address", "redirects", "unreachables", "proxy-arp", "mroute-cache",
                                           "route-cache", "directed-broadcast", "mask-reply", "nd", "cdp")):
                lines.ignore(k, "interface default restored")
            elif (two in ("vrf forwarding", "ip vrf") and len(s) >= 3) or (two == "vrf member" and len(s) == 3):
                if (d.v4 or d.v6) and d.vrf != s[-1]:
                    # (only in a later block for the interface: a running-config writes the VRF first)
                    lines.unrecognized(lines.source(k), "the VRF of interface %s is changed after its addresses "
                                       "were set: what becomes of them is not modelled" % d.name, Impact.GLOBAL)
                d.vrf = s[-1]
                lines.use(k)
            elif w in ("ip", "ipv6") and s[1:3] == ["verify", "unicast"]:
                self.if_urpf(d, s, k)
            elif s[:5] == ["ip", "dhcp", "client", "default-router", "distance"] and len(s) == 6:
                if not (N.digits(s[5]) and 1 <= int(s[5]) <= 255):
                    raise OperandError("administrative distance %r (1 to 255)" % s[5])
                d.dhcp_route = (d.dhcp_route[0] if d.dhcp_route else -1, int(s[5]))
                lines.use(k)
            elif s == ["no", "ip", "dhcp", "client", "request", "router"]:
                d.dhcp_route = (d.dhcp_route[0] if d.dhcp_route else -1, None)
                lines.use(k)
            elif two == "ip unnumbered":
                lines.ignore(k, "borrows another interface's address (no network of its own)")
            elif (s[:2] == ["crypto", "map"] and len(s) >= 3) or (s[:3] == ["ipv6", "crypto", "map"] and len(s) >= 4):
                # ('crypto map NAME [redundancy ...]': topology._Assembler.crypto_stage)
                d.crypto[6 if w == "ipv6" else 4] = (s[3] if w == "ipv6" else s[2], k)
                lines.use(k)
            elif s[:3] == ["cts", "role-based", "enforcement"]:
                lines.unrecognized(lines.source(k), SGACL_WHY, Impact.GLOBAL)
            elif two in ("ip inspect", "ipv6 inspect"):
                # (scope 'timeouts': the sessions it inspects close after its own idle timer, 'ip inspect name X tcp
                # timeout N', else 'ip inspect tcp idle-time', 3600 s by default: Cisco IOS Security Command
                # Reference, 'ip inspect name', 'ip inspect tcp idle-time'; PRN120 cannot tell, not a pass)
                lines.unrecognized(lines.source(k), "classic IOS firewall (CBAC) inspection is not modelled: "
                                   "it opens access lists to return traffic, and closes the sessions it inspects "
                                   "after its own idle timer", Impact.GLOBAL, "timeouts")
            elif two in ("ip policy", "ipv6 policy"):
                lines.unrecognized(lines.source(k), "policy-based routing is not modelled: it can send "
                                   "traffic out another interface", Impact.GLOBAL)
            elif w == "service-policy" and (len(s) == 3 and s[1] in ("input", "output") or
                                            len(s) == 5 and s[1] == "type" and s[3] in ("input", "output")):
                # (a typed one too: 'service-policy type access-control input P' applies a Flexible Packet
                # Matching policy, whose classes may 'drop'; Cisco, "Flexible Packet Matching")
                d.qos.append((s[-1], k))
                lines.ignore(k, N.IF_IGNORED[w])
            elif w == "rate-limit" and len(s) > 2 and s[1] in ("input", "output"):
                self.if_rate_limit(s, k)
            elif w in ("standby", "vrrp", "glbp") and "ip" in s[1:3] and s.index("ip") + 1 < len(s):
                # 'standby [GROUP] ip A [secondary]', 'vrrp G ip A', 'glbp G ip A': the virtual gateway address,
                # the router's own while its group is active (Cisco, "Configuring HSRP": the virtual IP
                # address is the default gateway of the hosts)
                d.vip = d.vip.union(host_set(s[s.index("ip") + 1], 4))
                lines.ignore(k, N.IF_IGNORED[w] + " (its virtual address is the router's own)")
            elif w == "standby" and "ipv6" in s[1:3] and s.index("ipv6") + 1 < len(s) and \
                    s[s.index("ipv6") + 1] != "autoconfig":
                self.if_standby6(d, s[s.index("ipv6") + 1:], k)
            elif w == "switchport":
                d.switchport = True  # (a Layer 2 port: see ``port_acls``)
                lines.ignore(k, N.IF_IGNORED[w])
            elif two in ("ip port-map",):
                lines.unrecognized(lines.source(k), "interface port map", Impact.GLOBAL)
            elif w == "tunnel" and len(s) > 1:
                # (its carrier packets cross another interface: TUNNEL_DOC, topology._Assembler.tunnel_stage)
                if len(s) > 2 and s[1] in ("source", "destination", "mode") and (s[1] == "destination" or
                                                                                 d.tunnel is None):
                    d.tunnel = k
                d.tunnel_cmds[s[1]] = s[2:]
                lines.ignore(k, N.IF_IGNORED[w])
            else:
                why = N.IF_IGNORED.get(two) or N.IF_IGNORED.get(w)
                if w == "no" and why is None and len(s) > 1:
                    why = N.IF_IGNORED.get(" ".join(s[1:3])) or N.IF_IGNORED.get(s[1])
                if why is None:
                    lines.unrecognized(lines.source(k), "interface command '%s' is not supported" % two,
                                       Impact.GLOBAL)
                else:
                    lines.ignore(k, why)
        except (OperandError, IndexError) as e:
            lines.unrecognized(lines.source(k), "interface line (%s)" % e, Impact.GLOBAL)

    def if_urpf(self, d: Iface, s: list[str], k: int) -> None:
        """``ip|ipv6 verify unicast source reachable-via rx|any [allow-default] [allow-self-ping] [ACL]`` and the
        older ``ip|ipv6 verify unicast reverse-path [ACL]`` (strict).  Cisco IOS Security Configuration Guide 12.4T,
        "Configuring Unicast Reverse Path Forwarding": strict mode forwards a packet only when "the source IP
        address has a reverse path entry in the FIB" through "the interface on which the packet was received";
        loose mode (``any``) when the source "is reachable via any interface"; the Cisco IOS Security Command
        Reference, ``ip verify unicast source reachable-via``: ``allow-default`` "Allows the use of the default
        route for RPF verification" (without it a source only the default route reaches fails), and an access
        list given "is checked" for the packets that fail (a permit forwards them: not modelled, those packets
        are unknown)."""
        rest = s[3:]
        if rest[:1] == ["reverse-path"]:
            strict, opts = True, rest[1:]
        elif rest[:2] == ["source", "reachable-via"] and len(rest) > 2 and rest[2] in ("rx", "any"):
            strict, opts = rest[2] == "rx", rest[3:]
        else:
            raise OperandError("'%s'" % " ".join(s))
        allow = "allow-default" in opts
        others = [o for o in opts if o not in ("allow-default", "allow-self-ping", "l2-src")]
        if len(others) > 1:
            raise OperandError("'%s'" % " ".join(s))
        d.urpf[6 if s[0] == "ipv6" else 4] = Urpf(strict, allow, others[0] if others else None, k)
        self.lines.use(k)

    def if_standby6(self, d: Iface, a: list[str], k: int) -> None:
        """``standby [GROUP] ipv6 LINK-LOCAL | ADDRESS/LEN`` (``a``: the words after ``ipv6``).  Cisco, "HSRP:
        Global IPv6 Address" (https://cisco.com/c/en/us/td/docs/ios-xml/ios/ipapp_fhrp/configuration/xe-3se/3850/fhp-xe-3se-3850-book/ip6-fhrp-hsrp-global.html):
        a group's "nonlink local addresses" are virtual addresses; "If an IPv6 address is used, it must include
        an IPv6 prefix length. If a link-local address is used, it must not have a prefix."  As 'standby ip', the
        address is the router's own while its group is active.  Written as a prefix (its bits past the length
        all zero: no interface identifier) or with more words, which address the group takes is not in those
        documents (one from the group's virtual MAC address, as its link-local one?): any address of the prefix
        may be the router's own, so packets from or to the prefix are unknown at this line (``vip_doubt``)."""
        net = prefix_set(a[0], 6) if "/" in a[0] else None
        own = host_set(a[0].split("/")[0], 6)
        if len(a) == 1 and (net is None or net.size() == 1 or own.lo != net.lo):
            d.vip = d.vip.union(own)
            self.lines.ignore(k, N.IF_IGNORED["standby"] + " (its virtual address is the router's own)")
            return
        self.lines.unrecognized(self.lines.source(k), "HSRP IPv6 virtual address not given as one address: which "
                                "address is the router's own is not known, so packets from or to %s are unknown"
                                % a[0], Impact.NONE)
        d.vip_doubt.append((net if net is not None else own, k))

    def if_address(self, d: Iface, s: list[str], k: int) -> None:
        if len(s) >= 3 and s[2] in ("dhcp", "negotiated", "pool"):
            d.dhcp = True
            if s[2] == "dhcp":
                d.dhcp_route = (k, d.dhcp_route[1] if d.dhcp_route else DHCP_ROUTE_DISTANCE)
            self.lines.ignore(k, "address assigned at run time (its network is not in the config)")
            return
        if len(s) not in (4, 5) or (len(s) == 5 and s[4] != "secondary"):
            raise OperandError("'%s'" % " ".join(s))
        own = host_set(s[2], 4)
        if len(s) == 4:  # the primary address: replaces the one before ("An interface can have one primary IP address")
            if d.primary is not None:
                d.v4 = [x for x in d.v4 if x[2] != d.primary]
            d.primary = k
        d.v4.append((mask_set(s[2], s[3]), own, k))
        self.lines.use(k)

    def if_no_address(self, d: Iface, s: list[str], k: int) -> None:
        """``no ip address`` / ``no ipv6 address`` removes the interface's addresses of that family; ``no ip
        address A M [secondary]`` / ``no ipv6 address A/LEN`` that one (in a later block for the interface; in a
        running-config's own block there is none to remove)."""
        v6 = s[1] == "ipv6"
        if len(s) == 3:
            if v6:
                d.v6 = []
            else:
                d.v4, d.primary = [], None
        elif len(s) == 4 and s[3] in ("dhcp", "negotiated", "pool", "autoconfig"):
            d.dhcp = False
            if not v6:
                d.dhcp_route = None
        elif v6 and len(s) >= 4 and "/" in s[3]:
            own = host_set(s[3].split("/")[0], 6)
            d.v6 = [x for x in d.v6 if x[1] != own]
        elif not v6 and len(s) >= 5:
            own = host_set(s[3], 4)
            d.v4 = [x for x in d.v4 if x[1] != own]
            if d.primary is not None and all(x[2] != d.primary for x in d.v4):
                d.primary = None
        else:
            raise OperandError("'%s'" % " ".join(s))
        self.lines.ignore(k, "interface default restored")

    def if_address6(self, d: Iface, s: list[str], k: int) -> None:
        if len(s) >= 3 and s[2] in ("autoconfig", "dhcp"):
            d.dhcp = True
            self.lines.ignore(k, "address assigned at run time (its network is not in the config)")
            return
        if len(s) >= 3 and "/" in s[2] and (len(s) == 3 or s[3] in ("eui-64", "anycast", "link-local")):
            if len(s) > 3 and s[3] == "link-local":
                self.lines.ignore(k, "link-local address (not routed)")
                return
            net = prefix_set(s[2], 6)
            own = host_set(s[2].split("/")[0], 6)
            d.v6.append((net, own, k))
            self.lines.use(k)
            return
        if len(s) == 4 and s[3] == "link-local":
            self.lines.ignore(k, "link-local address (not routed)")
            return
        raise OperandError("'%s'" % " ".join(s))

    def route(self, t: list[str], i: int, v6: bool) -> None:
        """``ip route [vrf V] PREFIX MASK (IF [NH] | NH) [dist] [name N] [tag T] [permanent] [track N]``
        and ``ipv6 route [vrf V] PREFIX/LEN (IF [NH] | NH) ...``."""
        lines = self.lines
        k = 2
        vrf = None
        try:
            if len(t) > 3 and t[2] == "vrf":
                vrf, k = t[3], 4
            if v6:
                prefix, plen = prefix_set(t[k], 6), int(t[k].split("/")[1])
                k += 1
            else:
                prefix, plen = mask_set(t[k], t[k + 1]), prefix_len(t[k + 1])
                k += 2
            iface = nexthop = None
            w = t[k]
            if w == "dhcp":
                iface = "dhcp"
                k += 1
            elif (":" in w) if v6 else (w[:1].isdecimal() and w.count(".") == 3):
                nexthop = host_set(w, 6 if v6 else 4)
                k += 1
            else:
                iface, why = self.ifnames.resolve(w)
                if why is not None:
                    raise OperandError(why)
                k += 1
                if k < len(t) and ((":" in t[k]) if v6 else (t[k][:1].isdecimal() and t[k].count(".") == 3)):
                    nexthop = host_set(t[k], 6 if v6 else 4)
                    k += 1
            # the rest: distance, name, tag, permanent, track, multicast: no effect on which interface
            # reaches the prefix but 'track N': "Static route is installed only when tracking object is up"
            # (Cisco, "Reliable Static Routing Backup Using Object Tracking", IP SLAs configuration guide)
            distance = None
            global_hop = track = False
            while k < len(t):
                if N.digits(t[k]) and distance is None:
                    distance = int(t[k])  # (the administrative distance: of two routes, the lower is used)
                    k += 1
                elif t[k] == "global" and vrf is not None:
                    # ("global: Specifies that the given next hop address is in the nonVRF routing table",
                    # 'ip route vrf'): the VRF's route leads into the global table's interfaces
                    global_hop = True
                    k += 1
                elif t[k] in ("permanent", "multicast"):
                    k += 1
                elif t[k] == "name" and t[k + 1].startswith('"'):
                    # (a name in quotes, spaces and all, as IOS shows one: up to the closing quote)
                    end = next(n for n in range(k + 1, len(t)) if t[n].endswith('"') and (n > k + 1 or
                                                                                     len(t[n]) > 1))
                    k = end + 1
                elif t[k] in ("name", "tag", "track") and k + 1 < len(t):
                    track = track or t[k] == "track"
                    k += 2
                else:
                    raise OperandError("unexpected '%s'" % t[k])
        except (OperandError, IndexError, ValueError, StopIteration) as e:
            lines.unrecognized(lines.source(i), "static route (%s)" % (str(e) or "a name without its closing quote"),
                               Impact.GLOBAL)
            return
        self.routes.append(RouteDef(prefix, plen, iface, nexthop, vrf, i, 6 if v6 else 4,
                                    1 if distance is None else distance, global_hop, track))
        lines.use(i)

    def xr_static(self, i: int, j: int) -> None:
        """IOS XR's static routes: ``router static`` / [``vrf NAME`` /] ``address-family ipv4|ipv6 unicast`` /
        ``PREFIX/LEN [INTERFACE] [NEXTHOP] [DISTANCE] [tag T] [permanent] [track N]`` (Cisco IOS XR Routing Command
        Reference, "Static Routing Commands"), each read as the ``ip route`` / ``ipv6 route`` it stands for."""
        lines = self.lines
        self.lines.use(i)
        vrf: str | None = None
        fam: int | None = None
        for k in kids(lines.raw, i, j):
            t = lines[k].split()
            depth = indent(lines.raw[k])
            if t[0] in ("!", "exit") or t[0].startswith("!"):
                lines.ignore(k, "comment")
            elif t[0] == "vrf" and len(t) == 2:
                vrf, fam = t[1], None
                lines.use(k)
            elif t[0] == "address-family" and len(t) == 3 and t[1] in ("ipv4", "ipv6") and t[2] == "unicast":
                if depth <= 1:
                    vrf = None
                fam = 6 if t[1] == "ipv6" else 4
                lines.use(k)
            elif fam is not None and "/" in t[0]:
                head = ["ipv6" if fam == 6 else "ip", "route"] + (["vrf", vrf] if vrf else [])
                if fam == 4:
                    net, _sl, plen = t[0].partition("/")
                    if not (plen.isascii() and plen.isdecimal() and int(plen) <= 32):
                        lines.unrecognized(lines.source(k), "static route (bad prefix '%s')" % t[0], Impact.GLOBAL)
                        continue
                    mask = ".".join(str((0xFFFFFFFF << (32 - int(plen)) & 0xFFFFFFFF) >> s & 0xFF)
                                    for s in (24, 16, 8, 0))
                    self.route(head + [net, mask] + t[1:], k, False)
                else:
                    self.route(head + t, k, True)
            else:
                lines.unrecognized(lines.source(k), "line under router static", Impact.GLOBAL)

    # --- assembling -------------------------------------------------------------------
    def build(self) -> Config:
        from parsers.cisco_ios import topology

        lines = self.lines
        self.scan()
        if self.xr_groups and not (self.xr or any(a.xr for a in self.acls.values())):
            # (IOS XR's object groups in a config of IOS syntax: IOS names a group 'object-group network NAME')
            for t, i, j in self.xr_groups:
                self.groups.defs.pop(t[-1], None)
                lines.unrecognized(lines.source(i), "object-group '%s' is not supported (IOS: object-group "
                                   "network|service NAME)" % " ".join(t[1:]), Impact.FILTER, t[-1])
                for k in kids(lines.raw, i, j):
                    if not lines[k].strip().startswith("!"):
                        lines.unrecognized(lines.source(k), "inside an object-group not understood", Impact.FILTER,
                                           t[-1])
        # a subinterface of a shut interface: "The shutdown command disables all functions on the specified
        # interface" (Cisco IOS command reference, 'shutdown (interface)'), its subinterfaces' frames included
        shut = {d.name for d in self.ifaces if d.shutdown}
        for d in self.ifaces:
            if "." in d.name and d.name.rsplit(".", 1)[0] in shut:
                d.shutdown = True
        for d in self.ifaces:
            if d.switchport:
                self.port_acls(d)
        self.qos_drops()
        builder = AclBuilder(lines, self.groups)
        rules: dict[str, list[Rule]] = {}
        for name, acl in self.acls.items():
            rules[name] = builder.rules(acl)

        def fill(place: Callable[[str, str], tuple[ISet, ISet]]) -> tuple[dict[str, Filter], list[Timeout]]:
            reflect_timeouts = self.reflexive_entries(builder, rules, place)
            return {name: Filter(name, tuple(rs), lines.source(self.acls[name].line))
                    for name, rs in rules.items()}, reflect_timeouts

        model = topology.assemble(self, fill)
        return Config(
            path=self.path, vendor=NAME, lines=len(lines), filters=model.filters, paths=tuple(model.paths),
            verdicts_only=True,  # (an ACL entry permits or denies; a zone-pair class inspects, passes or drops)
            interfaces=tuple(model.interfaces), routes=tuple(model.routes), timeouts=tuple(model.timeouts),
            diagnostics=tuple(lines.diagnostics), address_refs=tuple(model.address_refs),
            objects=self.groups.named_objects(), ignored_lines=lines.ignored, head=lines.head(),
            remarks=tuple(builder.remarks), nat=tuple(model.nat), local_addresses=model.local,
            learned_routes=tuple(self.learned), learned_space=learned_space(self.learned_families),
            unsettled_routes=tuple(model.unsettled),
        )

    def reflexive_entries(self, builder: AclBuilder, rules: dict[str, list[Rule]],
                          place: Callable[[str, str], tuple[ISet, ISet]]) -> list[Timeout]:
        """Fill in each ``evaluate NAME`` entry: it permits the replies (addresses and ports
        swapped) of the connections that ``reflect NAME`` entries permit, for packets after a
        connection's first; and the idle timeout of those reflexive entries.

        A reflect entry makes its temporary entries when a packet of a new session matches it as
        its list filters the packet ("reflexive access lists ... are nested within an extended named
        IP access list that is applied to the interface"; the entries are "automatically created
        when a new IP session begins": Cisco IOS Security Configuration Guide 12.1, "Configuring IP
        Session Filtering (Reflexive Access Lists)"): one in a list no interface applies fills nothing,
        and one in a list applied to an interface in one direction only the connections whose packets
        cross it so (``place``, ``topology._Assembler.placement``: inbound, those from sources routed
        through the interface; outbound, to destinations routed through it).  Where that is not known
        (dynamic routing, VRFs, NAT) the connections are reflected or not: ``maybe``."""
        lines = self.lines
        reflected: dict[str, tuple[PacketSet, PacketSet]] = {}
        out: list[Timeout] = []
        glob = self.reflexive_timeout
        for r in builder.reflects:
            v6 = self.acls[r.acl].kind == "ipv6"
            seen = [(d.name, key.rstrip("6")) for d in self.ifaces if not d.shutdown
                    for key, (name, _k) in d.acl.items() if name == r.acl and key.endswith("6") == v6]
            rs = rules[r.acl]
            sure, unsure = permitted(rs[:r.index + 1])
            before_sure, before_unsure = permitted(rs[:r.index])
            sure = sure.subtract(before_sure)
            unsure = unsure.subtract(before_unsure)
            got_sure, got_unsure, timed = PacketSet(), PacketSet(), PacketSet()
            for iface, direction in seen:
                certain, possible = place(iface, direction)
                side = "src" if direction == "in" else "dst"
                certain = PacketSet([cube(**{side: certain})]) if certain else PacketSet()
                possible = PacketSet([cube(**{side: possible})]) if possible else PacketSet()
                got_sure = got_sure.union(sure.intersect(certain))
                got_unsure = got_unsure.union(unsure.intersect(possible)).union(
                    sure.intersect(possible).subtract(certain))
                timed = timed.union(sure.intersect(possible))
            old = reflected.get(r.name, (PacketSet(), PacketSet()))
            reflected[r.name] = (old[0].union(got_sure), old[1].union(got_unsure))
            secs, src, label = REFLEXIVE_DEFAULT, None, "IOS default reflexive entry timeout (300 s)"
            if r.timeout is not None:
                secs, src, label = r.timeout, r.source, "reflect %s timeout" % r.name
            elif glob is not None:
                secs, src, label = glob[0], lines.source(glob[1]), "ip reflexive-list timeout"
            ported = PacketSet([cube(proto=ISet([(PROTO_TCP, PROTO_TCP), (PROTO_UDP, PROTO_UDP)]))])
            match = timed.intersect(ported)
            if match:
                out.append(Timeout(match, secs, src or r.source, label="reflexive access list %s (%s)"
                                   % (r.name, label), rule=(r.acl, r.index)))
        for ev in builder.evaluates:
            got = reflected.get(ev.name)
            rs = rules[ev.acl]
            if got is None:
                lines.undefined(ev.name, "reflexive access list", ev.source, ev.acl)
                rs[ev.index] = new_rule(ev.acl, ev.index, Action.PERMIT, PacketSet(), ev.source,
                                        note="reflexive access list %s is never filled" % ev.name)
                continue
            sure, unsure = got
            unsure = unsure.subtract(sure)
            rs[ev.index] = new_rule(ev.acl, ev.index, Action.PERMIT, replies(sure), ev.source,
                                    maybe=replies(unsure), states=ESTABLISHED,
                                    note="reflexive entries of %s: replies of the connections it permitted" % ev.name)
        return out


def _family(t: list[str], proto: str) -> int:
    """The address family a routing process routes (4, 6; 0: both): ``ipv6 router X`` IPv6; OSPF (v2),
    RIP, IGRP and classic (numbered) EIGRP IPv4; named EIGRP, OSPFv3, BGP, IS-IS and the rest may route
    both (their address families)."""
    if t[0] == "ipv6":
        return 6
    if proto in ("ospf", "rip", "igrp", "odr") or proto == "eigrp" and len(t) > 2 and t[2].isdecimal():
        return 4
    return 0

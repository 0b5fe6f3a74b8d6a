"""Session 29 (io): a tunnel interface (GRE, or 'tunnel mode ipsec ...') on an IOS router.

What a tunnel interface routes out leaves the router encapsulated, from the tunnel source to the tunnel
destination, over another (physical) interface, whose features act on those carrier packets: Cisco's GRE over
IPsec example applies the crypto map to the physical interface, with a crypto list "permit gre host <tunnel
source> host <tunnel destination>" (Cisco, "Configuring a GRE Tunnel over IPsec", document 14125-33,
https://www.cisco.com/c/en/us/support/docs/ip/generic-routing-encapsulation-gre/14125-33.html); what comes through
the tunnel arrived as GRE packets on the physical interface, whose inbound list filters them like any packet
("GRE and Access Lists": to allow GRE "you must configure the firewall to allow protocol 47", Network Warrior,
ch. 12).  Before, the 'tunnel' lines were ignored as "tunnel endpoints": a flow routed into a tunnel whose GRE
packets the WAN interface's lists deny was a certain 'pass'."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide, line_of  # noqa: E402

TUNNEL = """\
interface Tunnel0
 ip address 172.31.0.1 255.255.255.252
 tunnel source GigabitEthernet0/1
 tunnel destination 198.51.100.2
interface GigabitEthernet0/0
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/1
 ip address 198.51.100.1 255.255.255.0
%s
ip route 172.16.0.0 255.255.0.0 Tunnel0
ip access-list extended WAN-IN
 deny ip any any
"""


def test_a_tunnel_over_a_filtering_interface_is_unknown_not_pass():
    # WAN-IN denies the GRE packets the replies come back in: the flow through the tunnel is not a certain pass.
    # (Session 30: the carrier interface is known, Gi0/1, the route to the tunnel destination: the packet out
    # leaves it unfiltered, and what comes back in is denied for certain by WAN-IN, before it was unknown.)
    text = TUNNEL % " ip access-group WAN-IN in"
    c = cfg(text)
    out = decide(c, "10.20.0.10", "172.16.5.5", dport=443)
    assert out["decision"] == "permit"
    back = decide(c, "172.16.5.5", "10.20.0.10", sport=443, dport=50000)
    assert back["decision"] == "deny"
    assert back["line"] == line_of(text, " deny ip any any")
    # traffic that does not use the tunnel is decided as before: the LAN to the WAN's own network
    assert decide(c, "10.20.0.10", "198.51.100.9", dport=443)["decision"] == "permit"


def test_a_tunnel_with_no_filter_elsewhere_passes():
    # no interface filters the carrier packets: the tunnel carries what its own (absent) lists permit
    c = cfg(TUNNEL % "")
    assert decide(c, "10.20.0.10", "172.16.5.5", dport=443)["decision"] == "permit"


def test_the_tunnels_own_list_still_decides_first():
    # a deny on the tunnel interface's own outbound list is certain, whatever the carrier's fate
    text = (TUNNEL % " ip access-group WAN-IN in").replace(
        " tunnel destination 198.51.100.2\n", " tunnel destination 198.51.100.2\n ip access-group TUN-OUT out\n"
    ) + "ip access-list extended TUN-OUT\n deny tcp any any eq 443\n permit ip any any\n"
    c = cfg(text)
    out = decide(c, "10.20.0.10", "172.16.5.5", dport=443)
    assert out["decision"] == "deny"
    assert out["line"] == line_of(text, " deny tcp any any eq 443")
    assert decide(c, "10.20.0.10", "172.16.5.5", dport=80)["decision"] == "permit"  # (Gi0/1 has no list out)


# A dynamic VTI hub: 'interface Virtual-Template1 type tunnel' is cloned into a virtual-access interface per peer
# at run time ("virtual access interfaces are virtual interfaces that are created, configured dynamically, and
# freed as needed", Cisco IOS Dial Technologies Configuration Guide, "Configuring Virtual Template Interfaces",
# http://www.cisco.com/en/US/docs/ios/dial/configuration/guide/dia_virtual_temp_ifs_ps6441_TSD_Products_
# Configuration_Guide_Chapter.html; DVTI: Cisco IOS XE "IPsec Virtual Tunnel Interfaces", https://cisco.com/en/US/
# docs/ios-xml/ios/sec_conn_vpnips/configuration/xe-3s/sec-ipsec-virt-tunnl.html, "all the features that are
# applied on the physical interfaces are applied after applying crypto"), and the remote site's networks are
# routed through it then.  The remote Workshop's traffic arrives decrypted on the virtual-access interface, not as
# clear text on the WAN interface: WAN-IN's 'deny ip any any' does not see it.
DVTI = """\
crypto ipsec profile P
 set transform-set TS
interface Virtual-Template1 type tunnel
 ip unnumbered GigabitEthernet0/1
 tunnel source GigabitEthernet0/1
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile P
interface GigabitEthernet0/0
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/1
 ip address 198.51.100.1 255.255.255.0
 ip access-group WAN-IN in
ip route 0.0.0.0 0.0.0.0 198.51.100.254
ip access-list extended WAN-IN
 permit esp any any
 permit udp any any eq 500
 deny ip any any
"""


def test_a_virtual_template_routes_remote_sites_at_run_time():
    c = cfg(DVTI)
    got = decide(c, "10.30.0.5", "10.20.0.10", dport=445)
    # before: a certain deny at WAN-IN's last line, for traffic that comes through the tunnel
    assert got["decision"] == "unknown"
    assert got["default_line"] == line_of(DVTI, "interface Virtual-Template1 type tunnel")
    # the ESP carrier from a peer on the WAN network arrives on the WAN interface: WAN-IN decides it
    assert decide(c, "198.51.100.2", "198.51.100.1", proto="esp", dport=None)["decision"] == "permit"


# zone-based firewall: the carrier packets go to and come from the router itself; between a zone and the self
# zone, "traffic to the router itself is allowed" until a zone pair names self (the model's zone defaults,
# docs/vendors/cisco-ios.md): zones alone leave the carrier certain, a self zone pair does not
ZBF = """\
zone security LAN
zone security WAN
zone security VPN
class-map type inspect match-any ALL
 match protocol tcp
policy-map type inspect P
 class type inspect ALL
  inspect
zone-pair security L2V source LAN destination VPN
 service-policy type inspect P
zone-pair security V2L source VPN destination LAN
 service-policy type inspect P
%s
interface Tunnel0
 ip address 172.31.0.1 255.255.255.252
 zone-member security VPN
 tunnel source GigabitEthernet0/1
 tunnel destination 198.51.100.2
interface GigabitEthernet0/0
 ip address 10.20.0.1 255.255.255.0
 zone-member security LAN
interface GigabitEthernet0/1
 ip address 198.51.100.1 255.255.255.0
 zone-member security WAN
ip route 172.16.0.0 255.255.0.0 Tunnel0
"""


def test_zones_without_a_self_pair_leave_the_tunnel_decided():
    c = cfg(ZBF % "")
    assert decide(c, "10.20.0.10", "172.16.5.5", dport=443)["decision"] == "permit"


def test_a_self_zone_pair_makes_the_tunnel_unknown():
    text = ZBF % ("policy-map type inspect DROPALL\n class class-default\n  drop\n"
                  "zone-pair security W2S source WAN destination self\n service-policy type inspect DROPALL")
    c = cfg(text)
    got = decide(c, "10.20.0.10", "172.16.5.5", dport=443)
    assert got["decision"] == "unknown"
    assert got["line"] == line_of(text, " tunnel destination 198.51.100.2")

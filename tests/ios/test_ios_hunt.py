"""IOS / IOS-XE (Catalyst layer-3 switches included): filters the parser passed over in silence, so
that a flow the device drops was reported permitted; each checked against Cisco's documentation."""

from __future__ import annotations

from ios_helpers import cfg, decide, line_of

from auditor.api import audit, combine_inputs
from auditor.policy import load_site

SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])

SVIS = """\
interface Vlan30
 ip address 10.30.0.1 255.255.255.0
interface Vlan20
 ip address 10.20.0.1 255.255.255.0
ip access-list extended SMB
 permit tcp any any eq 445
ip access-list extended ALL
 permit ip any any
"""


def verdict(c) -> str:
    return audit(combine_inputs([c], None, SITE), SITE).verdict


# Cisco, Catalyst 4500 Series Switch Cisco IOS Software Configuration Guide (IOS XE 3.9.xE and IOS
# 15.2(5)Ex), "Configuring VLAN Maps" (https://manualshive.com/ru/manual/cisco/catalyst-4500-series/
# catalyst-4500-series_software-configuration-manual_65974-1646.html): "Use the vlan filter global
# configuration command to apply a VLAN map to one or more VLANs"; "If the VLAN map has at least one
# match clause for the type of packet (IP or MAC) and the packet does not match any of these match
# clauses, the default is to drop the packet"; and Catalyst 3750-X and 3560-X Switch Software
# Configuration Guide, "Configuring VLAN Maps" (https://manualsdump.com/en/manuals/cisco_systems-3750-x-
# 3560-x/121000/863): "A permit in the ACL counts as a match. A deny in the ACL means no match."  A VLAN
# map filters every packet routed into or out of the VLAN; read as the 'VLAN database', it was dropped
# in silence and a flow it drops was 'permit'.
VACL = SVIS + """\
vlan access-map BLOCK-SMB 10
 match ip address SMB
 action drop
vlan access-map BLOCK-SMB 20
 match ip address ALL
 action forward
vlan filter BLOCK-SMB vlan-list 30
"""


def test_vlan_map_is_not_the_vlan_database():
    c = cfg(VACL)
    reported = {d.source.line for d in c.unrecognized}
    assert {line_of(VACL, "vlan access-map BLOCK-SMB 10"), line_of(VACL, "vlan filter BLOCK-SMB vlan-list 30")} \
        <= reported
    assert verdict(c) == "unknown"  # (the device drops SMB from VLAN 30: never 'pass')


def test_vlan_database_is_still_ignored():
    # 'vlan 30' / 'name WORKSHOP' only defines the VLAN (no filtering): no report
    c = cfg(SVIS + "vlan 30\n name WORKSHOP\nvlan 20\n name SERVERS\n")
    assert not c.unrecognized
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"
    assert verdict(c) != "unknown"


# Cisco, Catalyst 4500 Series Switch Cisco IOS Software Configuration Guide (IOS XE 3.9.xE and IOS
# 15.2(5)Ex), "Configuring PACLs" (https://www.easymanua.ls/cisco/catalyst-4500-series/manual/47209?p=1655):
# "PACLs ... are used to control filtering on Layer 2 interfaces"; "This example applies the extended
# named IP ACL simple-ip-acl to interface FastEthernet 6/1 ingress traffic: ... ip access-group
# simple-ip-acl in" (p. 1659).  The port has no address: no path of the model goes through it, so the
# list was used and applied to nothing, and what it drops from the hosts behind the port was 'permit'.
PACL = SVIS + """\
ip access-list extended NO-SMB
 deny tcp any any eq 445
 permit ip any any
interface GigabitEthernet1/0/5
 switchport access vlan 30
 switchport mode access
 ip access-group NO-SMB in
"""


def test_port_acl_on_a_switchport_is_not_a_pass():
    c = cfg(PACL)
    assert [d.source.line for d in c.unrecognized] == [line_of(PACL, " ip access-group NO-SMB in")]
    assert verdict(c) == "unknown"


def test_routed_port_acl_is_still_read():
    # 'no switchport' makes the port a routed one: its access list filters what it routes, as on a router
    routed = PACL.replace(" switchport access vlan 30\n switchport mode access\n",
                          " no switchport\n ip address 10.31.0.1 255.255.255.0\n")
    c = cfg(routed)
    assert not c.unrecognized
    got = decide(c, "10.31.0.5", "10.20.0.10", dport=445)
    assert got["decision"] == "deny" and got["line"] == line_of(routed, " deny tcp any any eq 445")


# Cisco IOS command reference, 'ip route' (https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/
# using_cisco_ios_software/cmdrefs/ip_route.htm): "ip route prefix mask {address | interface} [distance]
# ...  Static routes have a default administrative distance of 1."  A floating backup default route
# (distance 250) written before the primary one was the route by its order, past the primary interface's
# outbound list that drops HTTPS.
FLOATING = """\
interface GigabitEthernet0/0
 ip address 198.51.100.1 255.255.255.0
 ip access-group OUT out
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/2
 ip address 192.0.2.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 192.0.2.254 250
ip route 0.0.0.0 0.0.0.0 198.51.100.254 name PRIMARY
ip access-list extended OUT
 deny tcp any any eq 443
 permit ip any any
"""


def test_floating_static_route_is_the_backup_whatever_its_order():
    c = cfg(FLOATING)
    assert not c.unrecognized
    assert [(r.interface, r.preference) for r in c.routes] == [("GigabitEthernet0/2", (250,)),
                                                                ("GigabitEthernet0/0", (1,))]
    got = decide(c, "10.20.0.5", "203.0.113.7", dport=443)
    assert (got["decision"], got["line"]) == ("deny", line_of(FLOATING, " deny tcp any any eq 443"))

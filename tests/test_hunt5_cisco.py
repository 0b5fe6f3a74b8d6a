"""Cisco ASA and IOS: what running real public configurations (ciscoconfparse's and NAPALM's test
configs, Ansible's fixtures, Batfish's test configs) found, each reduced to a small synthetic config."""

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text

ROLES = ["workshop=10.1.0.5", "primary=10.2.0.10"]


def prn130(text: str, path: str) -> list[int]:
    """The lines PRN130 (link-local address) names in the audit of ``text`` for ROLES."""
    cfg = parse_text(text, path)
    return sorted(f.source.line for f in audit([cfg], load_site(None, ROLES)).findings if f.rule_id == "PRN130")


# An object (group) member of every address is 'any': "Use the keyword any as an abbreviation for an address and
# mask of 0.0.0.0 0.0.0.0" (Cisco ASA 5500 Series Configuration Guide using the CLI, "Adding a Standard Access
# List"; IOS writes it with the wildcard mask 0.0.0.0 255.255.255.255).  Real configs name such a group
# ANY_addrs (ciscoconfparse's sample_01.asa); its member was taken for an address written on that line, so
# every rule using it "used the link-local range 169.254.0.0/16" (PRN130, an error: the audit failed).
ASA = """ASA Version 9.16(4)
interface G0
 nameif ws
 security-level 50
 ip address 10.1.0.1 255.255.0.0
interface G1
 nameif srv
 security-level 100
 ip address 10.2.0.1 255.255.255.0
object-group network ANY_addrs
 network-object 0.0.0.0 0.0.0.0
object-group network LL
 network-object 169.254.7.0 255.255.255.0
access-list WS extended permit tcp object-group ANY_addrs host 10.2.0.10 eq 445
access-list WS extended permit tcp 0.0.0.0 0.0.0.0 host 10.2.0.10 range 1024 9000
access-list WS extended permit tcp object-group LL host 10.2.0.10 eq 80
access-list WS extended permit tcp object-group ANY_addrs host 10.2.0.10 eq 80
access-group WS in interface ws
"""


def test_asa_any_written_as_zero_address_and_mask_is_not_a_link_local_address():
    # (the workshop at 10.1.0.5 is not in LL: only the 169.254.7.0/24 member is named, on line 13)
    assert prn130(ASA, "asa.cfg") == []
    lls = ASA.replace("network-object 169.254.7.0 255.255.255.0", "network-object 10.1.0.0 255.255.0.0\n"
                      " network-object 169.254.7.0 255.255.255.0")
    assert prn130(lls, "asa.cfg") == [14]  # (a real link-local member still is)


IOS = """hostname r1
interface GigabitEthernet1
 ip address 10.1.0.1 255.255.0.0
 ip access-group WS in
interface GigabitEthernet2
 ip address 10.2.0.1 255.255.255.0
object-group network ANY_addrs
 0.0.0.0 0.0.0.0
object-group network LL
 10.1.0.0 255.255.0.0
 169.254.7.0 255.255.255.0
ip access-list extended WS
 permit tcp object-group ANY_addrs host 10.2.0.10 eq 445
 permit tcp 0.0.0.0 255.255.255.255 host 10.2.0.10 range 1024 9000
 permit tcp object-group LL host 10.2.0.10 eq 80
"""


def test_ios_any_written_as_zero_address_is_not_a_link_local_address():
    assert prn130(IOS, "ios.cfg") == [11]  # (only the real link-local member)
    assert prn130(IOS.replace("permit tcp object-group LL host 10.2.0.10 eq 80", ""), "ios.cfg") == []


# An ASA 5505's running configuration (ciscoconfparse's sample_01.asa) starts with CLI aliases, assigns its
# switch ports to VLANs and turns off VPN address-assignment methods; each line was 'not understood, could change
# any verdict', so no audit of such a device had a verdict.  Cisco: "command-alias: To create an alias for a
# command" (ASA command reference, A-H); "Switch ports on the same VLAN can communicate with each other using
# hardware switching. But when a switch port on VLAN 1 wants to communicate with a switch port on VLAN 2, then the
# ASA applies the security policy" (ASA 9.2 general configuration guide, "Basic Interface Configuration (ASA
# 5505)": https://www.cisco.com/c/en/us/td/docs/security/asa/asa92/configuration/general/asa-general-cli/
# interface-basic-5505.html); vpn-addr-assign chooses how remote-access VPN clients get their addresses.
ASA5505 = """ASA Version 9.2(4)
command-alias exec slog show log | i Deny|denied
interface Ethernet0/0
 switchport access vlan 100
interface Ethernet0/1
 switchport access vlan 200
interface Ethernet0/2
 switchport mode trunk
 switchport trunk allowed vlan 200,300
 switchport trunk native vlan 200
interface Vlan100
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface Vlan200
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface Vlan300
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0
no vpn-addr-assign aaa
no vpn-addr-assign dhcp
access-list IN extended permit tcp any host 10.2.0.10 eq 445
access-group IN in interface inside
"""


def test_asa_5505_switch_ports_and_cli_aliases_change_no_verdict():
    from auditor.api import decision_json, make_packet

    cfg = parse_text(ASA5505, "asa5505.cfg")
    assert cfg.diagnostics == ()
    smb = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 445))
    ssh = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 22))
    assert (smb["decision"], smb["line"], ssh["decision"]) == ("permit", 25, "deny")
    # (what a VLAN interface forwards is still the policy's: a restricted VLAN is not understood)
    cfg = parse_text(ASA5505.replace(" nameif inside\n", " no forward interface Vlan300\n nameif inside\n"), "a.cfg")
    assert [(d.source.line, d.impact.name) for d in cfg.diagnostics] == [(16, "GLOBAL")]


# Real ISR and CSR 1000v running configurations (ciscoconfparse's sample_01/07/08.ios, NAPALM's IOS mocks) hold
# lines that were each 'not understood, could change any verdict', so those devices had no verdict:
# - spd headroom: "Selective Packet Discard (SPD) is a mechanism to manage the process level input queues on the
#   Route Processor ... to provide priority to routing protocol packets" (Cisco, "Understanding Selective Packet
#   Discard (SPD)", document 29920);
# - network-clock-participate: which network modules use the network clock for timing (Cisco IOS Interface and
#   Hardware Component Command Reference); no ip gratuitous-arps: sending gratuitous ARPs for PPP/SLIP peers'
#   addresses (Cisco IOS IP Addressing Services Command Reference);
# - vpdn enable, bba-group pppoe: PPPoE sessions (Cisco IOS VPDN and Broadband Access Aggregation command
#   references);
# - virtual-service: an application hosting container (Cisco IOS XE "Application Hosting"; a Snort IPS container is
#   bound to traffic by 'utd', which stays reported);
# - full-duplex: the duplex of the port (Cisco IOS Interface Command Reference); ospfv3 network|cost|encryption|
#   demand-circuit|flood-reduction: OSPFv3 interface settings, as 'ipv6 ospf' ones (Cisco IOS IPv6 Command
#   Reference); bundle-enable, vbr-nrt, protocol ppp dialer: an ATM (DSL) link and its PVC (Cisco IOS Wide-Area
#   Networking Command Reference).
ISR = """version 15.1
spd headroom 65535
no network-clock-participate slot 1
no ip gratuitous-arps
vpdn enable
bba-group pppoe global
virtual-service csr_mgmt
 activate
interface FastEthernet0/0
 ip address 10.1.0.1 255.255.0.0
 full-duplex
 ospfv3 network point-to-point
 ospfv3 1 cost 1000
 ip access-group WS in
interface FastEthernet0/1
 ip address 10.2.0.1 255.255.255.0
interface ATM0/0/0
 no ip address
 bundle-enable
 pvc 0/32
  vbr-nrt 704 704
  protocol ppp dialer
ip access-list extended WS
 permit tcp any host 10.2.0.10 eq 445
 deny ip any any
"""


def test_ios_router_settings_of_real_isr_configs_change_no_verdict():
    from auditor.api import decision_json, make_packet

    cfg = parse_text(ISR, "isr.cfg")
    assert cfg.diagnostics == ()
    smb = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 445))
    ssh = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 22))
    assert (smb["decision"], smb["line"], ssh["decision"], ssh["line"]) == ("permit", 24, "deny", 25)
    # (a Snort IPS bound to the traffic is still reported)
    cfg = parse_text(ISR.replace("interface FastEthernet0/0\n", "utd engine standard\ninterface FastEthernet0/0\n"),
                     "isr.cfg")
    assert [(d.source.line, d.impact.name) for d in cfg.diagnostics] == [(9, "GLOBAL")]

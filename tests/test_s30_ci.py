"""Session 30 red team of the Cisco ASA and IOS models (round 3): behaviours checked against Cisco's documents.

Documents cited:

* [ASA-INACTIVE] Cisco ASA Series Command Reference, A-H, "access-list extended": "inactive (Optional) Disables an
  ACE. To reenable it, enter the entire ACE without the inactive keyword. This feature lets you keep a record of an
  inactive ACE in your configuration to make reenabling easier"
  (https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/aa-ac-commands.html).
* [GRE-MODE] Cisco IOS Interface and Hardware Component Command Reference, ``tunnel mode``: GRE over IP ("gre
  ip") is the default mode; the carrier packets are IP protocol 47 from the tunnel source to the tunnel
  destination, routed like any packet.
* [GRE-ACL] Cisco, "Understand GRE Tunnel Keepalives" (document 118370,
  https://www.cisco.com/c/en/us/support/docs/ip/generic-routing-encapsulation-gre/118370-technote-gre-00.html)
  and Network Warrior, ch. 12, "GRE and Access Lists": an access list that filters the GRE packets must permit
  them ("permit gre host <source> host <destination>", "protocol 47"), else the tunnel carries nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_formats import cli

from parsers.cisco_asa.change import apply_change
from parsers.kit import InputError

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide, line_of  # noqa: E402

ASA = """\
ASA Version 9.16(4)
hostname fw
interface GigabitEthernet0/0
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
access-list WS extended deny tcp any host 10.20.0.11 eq 445
access-list WS extended permit tcp any any eq 445
access-list WS extended permit tcp any any eq 80 log
access-group WS in interface workshop
"""
DENY = "access-list WS extended deny tcp any host 10.20.0.11 eq 445"


def acl_lines(text: str) -> list[str]:
    return [x for x in text.splitlines() if x.startswith("access-list WS ")]


def test_asa_retyping_an_entry_with_inactive_disables_it_where_it_stands():
    # [ASA-INACTIVE]: it was refused ("already has this entry with other options")
    out = apply_change(ASA, DENY + " inactive\n", "cr.txt")
    assert acl_lines(out) == [DENY + " inactive", "access-list WS extended permit tcp any any eq 445",
                              "access-list WS extended permit tcp any any eq 80 log"]


def test_asa_retyping_an_inactive_entry_without_the_keyword_enables_it_where_it_stands():
    cfg = ASA.replace(DENY, DENY + " inactive")
    out = apply_change(cfg, DENY + "\n", "cr.txt")
    assert acl_lines(out)[0] == DENY and len(acl_lines(out)) == 3


def test_asa_inactive_toggle_with_a_line_number_elsewhere_is_refused():
    with pytest.raises(InputError):
        apply_change(ASA, "access-list WS line 2 extended deny tcp any host 10.20.0.11 eq 445 inactive\n", "cr.txt")
    # its own line number is that entry
    out = apply_change(ASA, "access-list WS line 1 extended deny tcp any host 10.20.0.11 eq 445 inactive\n", "cr")
    assert acl_lines(out)[0] == DENY + " inactive"


def test_asa_check_change_disabling_a_deny_opens_the_flow(tmp_path):
    cfg, cr = tmp_path / "fw.cfg", tmp_path / "cr.txt"
    cfg.write_text(ASA)
    cr.write_text(DENY + " inactive\n")
    code, out, err = cli("check-change", str(cfg), str(cr), "--role", "workshop=10.30.0.0/24",
                         "--role", "primary=10.20.0.11", "--format", "json")
    assert code != 2, err
    d = json.loads(out)
    # SMB workshop -> primary was denied by line 11; disabled, line 12 permits it
    assert [(f["rule_id"], f["line"]) for f in d["resolved"] if f["rule_id"] == "PRN100"] == [("PRN100", 11)]
    [opened] = d["newly_permitted"]
    assert (opened["old_line"], opened["new_decision"], opened["new_line"]) == (11, "permit", 12), opened


# --- IOS: the interface that carries a GRE tunnel ---------------------------------------------------------------

TUNNEL = """\
interface Tunnel0
 ip address 172.31.0.1 255.255.255.252
 tunnel source GigabitEthernet0/1
 tunnel destination 198.51.100.2
interface GigabitEthernet0/0
 ip address 10.20.0.1 255.255.255.0
 ip access-group LAN-IN in
interface GigabitEthernet0/1
 ip address 198.51.100.1 255.255.255.0
 ip access-group WAN-IN in
ip route 172.16.0.0 255.255.0.0 Tunnel0
ip access-list extended LAN-IN
 permit ip 10.20.0.0 0.0.0.255 any
ip access-list extended WAN-IN
 permit gre host 198.51.100.2 host 198.51.100.1
 deny ip any any
"""
OUT, BACK = ("10.20.0.10", "172.16.5.5"), ("172.16.5.5", "10.20.0.10")


def both(text: str) -> tuple[dict, dict]:
    c = cfg(text)
    return decide(c, *OUT, dport=443), decide(c, *BACK, sport=443, dport=50000)


def test_ios_a_gre_tunnel_whose_carrier_interface_permits_gre_is_decided():
    # [GRE-MODE] [GRE-ACL]: WAN-IN (the interface the route to 198.51.100.2 takes) permits the peer's GRE packets;
    # it was 'unknown' both ways, as if any filtering interface might drop them
    out, back = both(TUNNEL)
    assert out["decision"] == "permit" and out["line"] == line_of(TUNNEL, " permit ip 10.20.0.0 0.0.0.255 any")
    assert back["decision"] == "permit"


def test_ios_the_tunnel_source_may_be_an_address_or_an_abbreviated_interface():
    for src in ("198.51.100.1", "Gi0/1"):
        out, back = both(TUNNEL.replace("tunnel source GigabitEthernet0/1", "tunnel source " + src))
        assert (out["decision"], back["decision"]) == ("permit", "permit"), src


def test_ios_gre_denied_on_the_carrier_interface_denies_what_arrives_through_the_tunnel():
    # [GRE-ACL]: the peer's GRE packets are dropped by WAN-IN, so nothing comes out of the tunnel
    text = TUNNEL.replace(" permit gre host", " deny gre host")
    out, back = both(text)
    assert out["decision"] == "permit"  # (the GRE packets leave: Gi0/1 has no outbound list)
    assert back["decision"] == "deny" and back["line"] == line_of(text, " deny gre host 198.51.100.2 host 198.51.100.1")
    assert back["stage"] == "tunnel:in:Tunnel0", back
    # by the list's implicit deny too: its last entry
    text = TUNNEL.replace(" permit gre host 198.51.100.2 host 198.51.100.1\n deny ip any any\n",
                          " permit tcp any any eq 22\n")
    _out, back = both(text)
    assert back["decision"] == "deny" and back["line"] == line_of(text, " permit tcp any any eq 22")


def test_ios_a_gre_entry_that_may_match_leaves_the_tunnel_unknown():
    text = TUNNEL.replace(" permit gre host 198.51.100.2 host 198.51.100.1",
                          " permit gre host 198.51.100.2 host 198.51.100.1 dscp ef")
    _out, back = both(text)
    assert back["decision"] == "unknown"


def test_ios_an_outbound_list_on_the_carrier_not_surely_permitting_gre_leaves_the_tunnel_unknown():
    # (whether IOS filters the GRE packets it encapsulates with an outbound list is not asserted either way)
    extra = ("interface GigabitEthernet0/1\n ip access-group WOUT out\nip access-list extended WOUT\n deny gre any "
             "any\n permit ip any any\n")
    out, _back = both(TUNNEL + extra)
    assert out["decision"] == "unknown"
    out, _back = both(TUNNEL + extra.replace(" deny gre", " permit gre"))
    assert out["decision"] == "permit"


@pytest.mark.parametrize("line", [" tunnel protection ipsec profile P", " tunnel mode ipsec ipv4",
                                  " tunnel mode gre multipoint", " tunnel vrf WAN"])
def test_ios_tunnels_whose_carrier_is_not_plain_gre_stay_unknown(line):
    # IPsec protection or mode: the carrier packets are ESP/IKE; multipoint: no one destination; tunnel vrf:
    # another routing table
    text = TUNNEL.replace(" tunnel destination 198.51.100.2\n", " tunnel destination 198.51.100.2\n%s\n" % line)
    out, back = both(text)
    assert out["decision"] == "unknown" or back["decision"] == "unknown"
    assert back["decision"] != "permit"


def test_ios_a_tunnel_destination_dynamic_routing_may_move_stays_unknown():
    out, back = both(TUNNEL + "router ospf 1\n network 198.51.100.0 0.0.0.255 area 0\n")
    assert back["decision"] == "unknown"


# --- IOS: a zone member and an interface in no zone ------------------------------------------------------------

ZBF = """\
zone security INSIDE
zone security WS
class-map type inspect match-all SMB
 match access-group name SMB-ACL
policy-map type inspect WS-TO-IN
 class type inspect SMB
  inspect
zone-pair security ws-in source WS destination INSIDE
 service-policy type inspect WS-TO-IN
ip access-list extended SMB-ACL
 permit tcp any any eq 445
interface GigabitEthernet0/0
 no ip address
interface GigabitEthernet0/0.10
 encapsulation dot1Q 10
 ip address 10.20.0.1 255.255.255.0
 zone-member security INSIDE
interface Vlan30
 ip address 10.30.0.1 255.255.255.0
 zone-member security WS
interface GigabitEthernet0/2
 ip address 10.40.0.1 255.255.255.0
interface GigabitEthernet0/3
 ip address 10.50.0.1 255.255.255.0
"""


def test_ios_the_drop_between_a_zone_member_and_no_zone_names_the_interfaces_of_the_packet():
    # Cisco IOS Security Configuration Guide, "Zone-Based Policy Firewall", "Zones and Inter-Zone Traffic":
    # traffic between an interface in a zone and one in no zone is dropped. The explanation named the first
    # unzoned interface seen (GigabitEthernet0/0) for every unzoned one
    c = cfg(ZBF)
    assert decide(c, "10.30.0.5", "10.20.0.5", dport=445)["decision"] == "permit"  # (a subinterface, an SVI)
    for src, name in (("10.40.0.5", "GigabitEthernet0/2"), ("10.50.0.5", "GigabitEthernet0/3")):
        got = decide(c, src, "10.20.0.5", dport=445)
        assert got["decision"] == "deny" and got["default_line"] == line_of(ZBF, " zone-member security INSIDE")
        assert name in got["reason"] and "GigabitEthernet0/0.10" in got["reason"], got


# --- IOS: access-class on the vty lines (connections to the router only) --------------------------------------
# [ACCESS-CLASS] Cisco IOS Security Command Reference, ``access-class``: "in: Restricts incoming connections
# between a particular Cisco device and the addresses in the access list"; "vrf-also: (Optional) Accepts incoming
# connections from interfaces that belong to a VRF"; IPv6: ``ipv6 access-class`` (Cisco IOS IPv6 Command Reference).
# It was ignored as a terminal line setting: SSH to the router from any address was 'permit'.

VTY = """\
interface GigabitEthernet0/0
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/1
 ip address 203.0.113.2 255.255.255.0
ip route 0.0.0.0 0.0.0.0 203.0.113.1
ip access-list standard MGMT
 permit 10.20.0.0 0.0.0.255
line vty 0 4
 access-class MGMT in
 transport input ssh
"""


def test_ios_access_class_refuses_ssh_to_the_router_from_other_sources():
    c = cfg(VTY)
    got = decide(c, "198.51.100.7", "203.0.113.2", dport=22)
    assert got["decision"] == "deny" and got["line"] == line_of(VTY, " access-class MGMT in")
    assert decide(c, "10.20.0.5", "10.20.0.1", dport=22)["decision"] == "permit"
    # other services of the router, and traffic through it, are not the vty's
    assert decide(c, "198.51.100.7", "203.0.113.2", dport=443)["decision"] == "permit"
    assert decide(c, "10.20.0.5", "198.51.100.7", dport=22)["decision"] == "permit"


def test_ios_a_vty_block_without_access_class_leaves_other_sources_unknown():
    # a connection takes any free vty line: 5-15 accept every source
    c = cfg(VTY + "line vty 5 15\n transport input ssh\n")
    assert decide(c, "198.51.100.7", "203.0.113.2", dport=22)["decision"] == "unknown"
    assert decide(c, "10.20.0.5", "10.20.0.1", dport=22)["decision"] == "permit"


def test_ios_access_class_without_vrf_also_refuses_connections_from_a_vrf_interface():
    text = VTY.replace("interface GigabitEthernet0/0\n", "interface GigabitEthernet0/0\n vrf forwarding MGMT\n")
    got = decide(cfg(text), "10.20.0.5", "10.20.0.1", dport=22)
    assert got["decision"] == "deny"
    got = decide(cfg(text.replace("access-class MGMT in", "access-class MGMT in vrf-also")), "10.20.0.5",
                 "10.20.0.1", dport=22)
    assert got["decision"] == "permit"


def test_ios_an_extended_access_class_is_not_taken_as_certain():
    text = VTY.replace("ip access-list standard MGMT\n permit 10.20.0.0 0.0.0.255\n",
                       "ip access-list extended MGMT\n permit tcp 10.20.0.0 0.0.0.255 any eq 22\n")
    assert decide(cfg(text), "198.51.100.7", "203.0.113.2", dport=22)["decision"] == "unknown"

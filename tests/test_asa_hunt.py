"""Cisco ASA: lines of real 9.x configurations the parser reported as not understood although
they cannot change which packets pass (each checked against Cisco's command reference)."""

from auditor.api import decision_json, make_packet
from auditor.core.model import Impact
from parsers.cisco_asa import parse_accounted

HEAD = "ASA Version 9.18(2)\n"


def test_bgp_community_lists_are_routing_policy():
    # ASA command reference, community-list (BGP route filtering by community:
    # https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/co-cz-commands.html):
    # they select routes learned by BGP, which the model does not hold; no packet is filtered
    cfg, lines = parse_accounted(HEAD + "community-list standard CL-A permit 65001:100\n"
                                 "community-list expanded CL-B permit _65001:.*_\n"
                                 "route-map RM permit 10\n match community CL-A\n", "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []
    assert lines.ignored == 4


def test_dns_group_map_is_the_devices_own_resolution():
    # ASA 9.18 general configuration guide, DNS (per-domain server groups for the device's own
    # lookups: https://www.cisco.com/c/en/us/td/docs/security/asa/asa918/configuration/general/asa-918-general-config/basic-dns.html)
    cfg, lines = parse_accounted(HEAD + "dns server-group InsideDNS\n name-server 198.51.100.53\n"
                                 "dns-group-map\n dns-to-domain InsideDNS eng.example.com\n", "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []


# Cisco ASA 5500 Series Configuration Guide using the CLI, 8.4, "Adding an IPv6 Access List"
# (https://www.cisco.com/c/en/us/td/docs/security/asa/asa84/configuration/guide/asa_84_cli_config/acl_ipv6.html):
# "You define IPv6 access lists and set their deny and permit conditions using the ipv6 access-list command";
# "Apply an access list to an interface using the access-group command".  Before 9.0 an interface has an
# IPv4 and an IPv6 list side by side; the IPv6 one was ignored as 'IPv6 host settings', so IPv6 traffic
# was decided by the IPv4 list ('permit ip any any': permit) although the IPv6 list denies it.
IPV6_ACL = """ASA Version 8.4(7)
interface G0
 nameif outside
 security-level 0
 ip address 198.51.100.1 255.255.255.0
 ipv6 address 2001:db8:1::1/64
interface G1
 nameif inside
 security-level 100
 ip address 10.20.0.1 255.255.255.0
 ipv6 address 2001:db8:2::1/64
ipv6 access-list V6 deny tcp any any eq 445
ipv6 access-list V6 permit ip any any
access-group V6 in interface outside
access-list V4 extended permit ip any any
access-group V4 in interface outside
"""


def test_pre_9_ipv6_access_list_is_not_a_host_setting():
    cfg, _lines = parse_accounted(IPV6_ACL, "t.cfg")
    assert [(d.source.line, d.impact) for d in cfg.unrecognized] == [(12, Impact.GLOBAL), (13, Impact.GLOBAL)]
    # other 'ipv6' commands are still the device's own settings
    cfg, lines = parse_accounted(HEAD + "ipv6 icmp permit any outside\nipv6 local pool V6POOL 2001:db8::10/64 10\n",
                                 "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []


# Cisco ASA 5500 Series Configuration Guide using the CLI, "Configuring a Default Static Route"
# (https://www.manualsdir.com/manuals/743833/cisco-asa-5585-x-asa-5555-x-asa-5545-x-asa-5525-x-asa-5515-x-asa-5512-x-asa-5580-asa-5550-asa-5540-asa-5520-asa-5510-asa-5505-asa-5500-series.html?page=450):
# "You can define a separate default route for tunneled traffic along with the standard default route";
# the 'tunneled' route forwards only traffic leaving a VPN tunnel with no other route (the example
# 'route outside 0.0.0.0 0.0.0.0 209.165.201.2 tunneled' beside 'route outside 0.0.0.0 0.0.0.0
# 209.165.201.1' for the non-encrypted traffic).  Read as a plain default route it came first and sent
# the inside's Internet traffic to the DMZ, past the outside's 'out' access list that drops it.
TUNNELED = """ASA Version 9.12(4)
interface G0
 nameif outside
 security-level 0
 ip address 198.51.100.1 255.255.255.0
interface G1
 nameif inside
 security-level 100
 ip address 10.20.0.1 255.255.255.0
interface G2
 nameif dmz
 security-level 50
 ip address 10.50.0.1 255.255.255.0
route dmz 0.0.0.0 0.0.0.0 10.50.0.254 tunneled
route outside 0.0.0.0 0.0.0.0 198.51.100.254 1
access-list OUT extended deny tcp any any eq https
access-list OUT extended permit ip any any
access-group OUT out interface outside
"""


def test_tunneled_default_route_is_not_the_default_route():
    from auditor.api import decision_json, make_packet

    cfg, lines = parse_accounted(TUNNELED, "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []
    assert [(r.interface, r.source.line) for r in cfg.routes] == [("outside", 15)]
    got = decision_json(cfg, make_packet("10.20.0.5", "203.0.113.7", "tcp", None, 443))
    assert (got["decision"], got["line"], got["stage"]) == ("deny", 16, "out:outside")


# Cisco ASA 5500 Series Configuration Guide using ASDM, "Configuring Static and Default Routes"
# (https://manualsdump.com/en/manuals/cisco_systems-asa_5505-asa_5545-x-asa_5540-asa_5550-asa_5525-x-asa_5515-x-asa_5510-asa_5520-asa_5512-x-asa_5555-x/121341/562):
# "The metric or distance is the administrative distance for the route. The default is 1 if you do not
# specify a value".  A floating backup default route (distance 254) written before the primary one was
# taken as the route, by its order: the inside's Internet traffic went to the backup interface in the
# model, past the primary's 'out' access list that drops it.
FLOATING = TUNNELED.replace("interface G2\n nameif dmz\n security-level 50\n ip address 10.50.0.1 255.255.255.0\n",
                            "interface G2\n nameif backup\n security-level 0\n ip address 192.0.2.1 255.255.255.0\n"
                            ).replace("route dmz 0.0.0.0 0.0.0.0 10.50.0.254 tunneled\n",
                                      "route backup 0.0.0.0 0.0.0.0 192.0.2.254 254\n")


def test_floating_static_route_is_the_backup_whatever_its_order():
    from auditor.api import decision_json, make_packet

    cfg, lines = parse_accounted(FLOATING, "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []
    assert [(r.interface, r.preference) for r in cfg.routes] == [("backup", (254,)), ("outside", (1,))]
    got = decision_json(cfg, make_packet("10.20.0.5", "203.0.113.7", "tcp", None, 443))
    assert (got["decision"], got["line"], got["stage"]) == ("deny", 16, "out:outside")


# Cisco ASA Series Firewall CLI Configuration Guide, "Configuring Access Rules"
# (http://office.manualsonline.com/manuals/mfg/cisco_systems/asa_5555x_1.html?p=169): "access-group access_list
# {{in | out} interface interface_name [per-user-override | control-plane] | global}"; "The per-user-override
# keyword (for inbound ACLs only) allows dynamic user ACLs that are downloaded for user authorization to
# override the ACL assigned to the interface"; and ASA 5500 CLI configuration guide, "Per-User Access List
# Guidelines" (https://www.manualsdir.com/manuals/743833/cisco-asa-5585-x-asa-5555-x-asa-5545-x-asa-5525-x-asa-5515-x-asa-5512-x-asa-5580-asa-5550-asa-5540-asa-5520-asa-5510-asa-5505-asa-5500-series.html?page=677):
# "If there is no per-user access list associated with a packet, the interface access rule is applied".
# The binding was 'bad access-group' (every verdict unknown) although it binds the list as usual.
PER_USER = """ASA Version 9.12(4)
interface G0
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface G1
 nameif servers
 security-level 90
 ip address 10.20.0.1 255.255.255.0
access-list WS extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 445
access-group WS in interface workshop per-user-override
"""


def test_per_user_override_binds_the_interface_list():
    from auditor.api import decision_json, make_packet

    cfg, lines = parse_accounted(PER_USER, "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []
    assert decision_json(cfg, make_packet("10.30.0.5", "10.20.0.10", "tcp", None, 445))["line"] == 10
    got = decision_json(cfg, make_packet("10.30.0.5", "10.20.0.10", "tcp", None, 80))
    assert (got["decision"], got["stage"]) == ("deny", "in:workshop")
    # an 'out' list takes no per-user override: still reported
    cfg, _ = parse_accounted(PER_USER.replace(" in interface workshop", " out interface servers"), "t.cfg")
    assert [d.source.line for d in cfg.unrecognized] == [11]


def test_any_in_an_access_list_before_9_0_is_ipv4_only():
    # Cisco ASA firewall configuration guide, "Access Rules", History for Access Rules
    # (https://cisco.com/c/en/us/td/docs/security/asa/asa96/configuration/firewall/asa-96-firewall-config/access-rules.html):
    # 9.0(1) "Unified ACL for IPv4 and IPv6 ... The any keyword was changed to represent IPv4 and IPv6 traffic.
    # The any4 and any6 keywords were added".  Before, an extended list was IPv4 only (IPv6 had lists of its
    # own): an 8.4 'permit ip any any' does not let IPv6 through (it did, in the model: a wrong permit)
    text = IPV6_ACL.replace("ipv6 access-list V6 deny tcp any any eq 445\nipv6 access-list V6 permit ip any any\n"
                            "access-group V6 in interface outside\n", "")
    cfg, _lines = parse_accounted(text, "t.cfg")
    assert not cfg.unrecognized
    v6 = decision_json(cfg, make_packet("2001:db8:1::5", "2001:db8:2::10", "tcp", 40000, 445))
    v4 = decision_json(cfg, make_packet("198.51.100.7", "10.20.0.10", "tcp", 40000, 445))
    assert (v6["decision"], v4["decision"]) == ("deny", "permit")
    # 9.0 and later: 'any' is both families
    cfg, _lines = parse_accounted(text.replace("ASA Version 8.4(7)", "ASA Version 9.1(7)"), "t.cfg")
    assert decision_json(cfg, make_packet("2001:db8:1::5", "2001:db8:2::10", "tcp", 40000, 445))["decision"] == "permit"

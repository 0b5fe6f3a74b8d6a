"""Left-overs of the last review (session 24): each a shape a reviewer reproduced, against the vendor's
documentation."""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers import parse_text
from parsers.kit.addr import cidr_set


def _decide(cfg, src, dst, dport=445):
    return decision_json(cfg, make_packet(src, dst, "tcp", 40000, dport))["decision"]


# --- IOS: 'standby G ipv6 PREFIX/LEN' ---------------------------------------------------------------------------
# Cisco, "HSRP: Global IPv6 Address"
# (https://cisco.com/c/en/us/td/docs/ios-xml/ios/ipapp_fhrp/configuration/xe-3se/3850/fhp-xe-3se-3850-book/ip6-fhrp-hsrp-global.html):
# a group's "nonlink local addresses" are virtual addresses, "If an IPv6 address is used, it must include an IPv6
# prefix length".  Cisco, "HSRP for IPv6": the group's virtual MAC address is one of 0005.73A0.0000-0FFF, its
# link-local address "derived from the HSRP virtual MAC address".  A prefix (no interface identifier) names no
# address those documents give: the parser took the prefix's own address (2001:db8:1::) as the router's, so a
# packet to another address of the prefix (the one an interface identifier from the virtual MAC would make,
# 2001:db8:1::205:73ff:fea0:1) was decided as transit traffic.
IOS_HSRP6 = """\
hostname r1
ipv6 unicast-routing
interface GigabitEthernet0/0
 ipv6 address 2001:DB8:1::2/64
 ipv6 traffic-filter IN6 in
 standby version 2
 standby 1 ipv6 2001:DB8:1::/64
interface GigabitEthernet0/1
 ipv6 address 2001:DB8:2::2/64
interface GigabitEthernet0/2
 ipv6 address 2001:DB8:3::2/64
 standby version 2
 standby 2 ipv6 2001:DB8:3::1/64
ipv6 access-list IN6
 permit tcp any any eq 445
end
"""


def test_ios_hsrp6_prefix_form_leaves_the_prefix_unknown():
    cfg = parse_text(IOS_HSRP6, "r1.cfg")
    assert _decide(cfg, "2001:db8:2::10", "2001:db8:1::205:73ff:fea0:1") == "unknown"  # was: permit (transit)
    (d,) = cfg.diagnostics
    assert (d.code, d.source.line, d.impact.value) == ("CFG300", 7, "none")
    assert [(nets, s.line) for nets, s, _why in cfg.unsettled_routes] == [(cidr_set("2001:db8:1::/64"), 7)]
    assert not cidr_set("2001:db8:1::").issubset(cfg.local_addresses)  # (was taken as the virtual address)
    assert _decide(cfg, "2001:db8:1::10", "2001:db8:2::10") == "unknown"
    # an address with its interface identifier is the virtual address itself; the rest is decided as before
    assert cidr_set("2001:db8:3::1").issubset(cfg.local_addresses)
    assert _decide(cfg, "2001:db8:3::10", "2001:db8:2::10") == "permit"


# --- ASA: a DHCP default route tied with two static ones ------------------------------------------------------
# Cisco ASA Series General Operations CLI Configuration Guide 9.8, "Routing Overview" > "Equal-Cost Multi-Path
# (ECMP) Routing" (https://www.cisco.com/c/en/us/td/docs/security/asa/asa98/configuration/general/asa-98-general-config/route-overview.html):
# "You can have up to 8 equal cost static or dynamic routes per interface", e.g. several default routes on one
# interface with different gateways.  Which of the default route 'ip address dhcp setroute' learns and a static
# default route of the same distance through another interface the ASA installs, no Cisco document says
# (tests/test_routes23.py [ASA-DHCP]): the addresses the two route differently are unknown.  The ASA compared
# the routes with the other ties kept (all routes but one, against all but the other), so a third route of that
# prefix and distance hid the tie: two static default routes through 'backup' (written first) and the DHCP
# route through 'outside' gave nothing unsettled, and the model's first-written route decided the flow.  Now
# the kit's ``parsers.kit.routes.tied`` (each route alone of its ties), as every other vendor.
ASA_TIES = """ASA Version 9.16(1)
hostname fw
route backup 0.0.0.0 0.0.0.0 198.51.100.254
route backup 0.0.0.0 0.0.0.0 198.51.100.253
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address dhcp setroute
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/2
 nameif backup
 security-level 0
 ip address 198.51.100.1 255.255.255.0
access-list IN extended permit ip any any
access-group IN in interface inside
access-list OUT extended deny ip any any
access-group OUT out interface outside
"""


def test_asa_dhcp_route_tie_with_a_third_route_is_unknown():
    c = parse_text(ASA_TIES, "fw.cfg")
    # through backup (the first route written) permit, through outside (the DHCP route) deny: unknown
    got = decision_json(c, make_packet("10.1.0.20", "203.0.113.9", "tcp", 40000, 445))
    assert got["decision"] == "unknown" and got["default_line"] == 3  # was: permit
    assert [s.line for _n, s, _w in c.unsettled_routes] == [3, 4]
    assert _decide(c, "10.1.0.20", "198.51.100.9") == "permit"  # (connected: decided)



# Two interfaces each taking a default route from DHCP ('ip address dhcp setroute': "the ASA uses the default
# route from the DHCP server", Cisco ASA Series Command Reference, 'ip address dhcp'), both at distance 1 as the
# model takes it: which one the ASA installs, no Cisco document says (as above); only a static route was
# compared with a learned one, so the first interface written decided (permit, where the other one's outbound
# list drops it).
ASA_TWO_DHCP = """ASA Version 9.16(1)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address dhcp setroute
interface GigabitEthernet0/3
 nameif outside2
 security-level 0
 ip address dhcp setroute
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
access-list IN extended permit ip any any
access-group IN in interface inside
access-list OUT extended deny ip any any
access-group OUT out interface outside2
"""


def test_asa_two_dhcp_default_routes_tied_are_unknown():
    c = parse_text(ASA_TWO_DHCP, "fw.cfg")
    got = decision_json(c, make_packet("10.1.0.20", "203.0.113.9", "tcp", 40000, 445))
    assert got["decision"] == "unknown" and got["default_line"] == 10  # was: permit (out of outside)
    assert [s.line for _n, s, _w in c.unsettled_routes] == [10]
    # one learned default route (outside2's address static): decided, out of outside
    one = parse_text(ASA_TWO_DHCP.replace(" nameif outside2\n security-level 0\n ip address dhcp setroute\n",
                                          " nameif outside2\n security-level 0\n ip address 192.0.2.1 255.255.255.0\n"),
                     "fw.cfg")
    assert not one.unsettled_routes and _decide(one, "10.1.0.20", "203.0.113.9") == "permit"


# --- Junos check-change: 'exit configuration-mode' below the top ---------------------------------------------
# Juniper, CLI command summary 'exit' (https://juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/exit.html):
# "exit <configuration-mode>" ... "none—Return to the previous edit level. If you are at the top of the statement
# hierarchy, exit configuration mode"; "configuration-mode—(Optional) Exit from configuration mode".  'configure'
# enters configuration mode at the top, "[edit]" ('top': "the top level of configuration command mode, which is
# indicated by the [edit] banner"); "commit and-quit": "commit complete / exiting configuration mode" (Juniper,
# "Committing a Configuration and Exiting Configuration Mode").  The change session kept the edit level across
# 'exit configuration-mode', so a set command after 'configure' was applied below the old level (a path that
# means nothing, the policy unchanged); and a command typed after leaving configuration mode (an operational-mode
# command) was applied as configuration.
JUNOS_FLAT = """\
set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16
set security policies from-zone trust to-zone servers policy p1 then permit
"""
DENY_P1 = "set security policies from-zone trust to-zone servers policy p1 then deny\n"


def test_junos_change_exit_configuration_mode_leaves_the_session():
    import pytest

    from parsers import InputError
    from parsers.junos.change import apply_change

    went = apply_change(JUNOS_FLAT, "configure\nedit security policies from-zone trust to-zone servers\n"
                        "exit configuration-mode\nconfigure\n" + DENY_P1, "c.txt")
    # was: "set security policies from-zone trust to-zone servers security policies ... then deny" (p1 permits)
    assert went.splitlines() == [JUNOS_FLAT.splitlines()[0], DENY_P1.strip()]
    for change, line in (("edit security\nexit configuration-mode\n" + DENY_P1, 3),
                         ("exit\n" + DENY_P1, 2), ("commit and-quit\n" + DENY_P1, 2)):
        with pytest.raises(InputError, match=r"c\.txt:%d: .*configuration mode was left" % line):
            apply_change(JUNOS_FLAT, change, "c.txt")
    # 'exit' below the top still returns to the level before the last 'edit'
    went = apply_change(JUNOS_FLAT, "edit security\nedit policies\nexit\nset policies from-zone trust to-zone "
                        "servers policy p1 then deny\n", "c.txt")
    assert went.splitlines()[1] == DENY_P1.strip()


# --- one packet as a set (auditor.core.packets.one_packet: explain, the packet fast path and diff's example) ---

def test_one_packet_holds_that_packet_alone():
    from auditor.core.packets import one_packet

    pkt = make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445)
    ps = one_packet(pkt)
    assert ps.contains(pkt) and ps.example() == tuple(pkt)
    for k in range(5):  # a packet one off in any dimension is not in it
        assert not ps.contains(tuple(x + (i == k) for i, x in enumerate(pkt)))

"""Left-overs of the last review (session 24): each a shape a reviewer reproduced, against the vendor's documentation."""

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

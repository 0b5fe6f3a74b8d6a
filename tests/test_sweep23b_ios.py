"""Cisco IOS, real-config sweep 23b: a zone-based firewall edge router (a published ISR ``show
running-config``: zones INSIDE and OUTSIDE, zone-pairs to and from ``self``, ``ip nat inside source list
... interface ... overload``).

``explain`` of a packet from an inside host to the router's own address said "source NAT by line N: ip
nat inside source list ... overload / it leaves as tcp <outside address>:[one of 0-65535] -> <router>:22".
The decision (the INSIDE -> self zone-pair) was right; the translation shown was not: the device's own
traffic is never routed out of an interface, so no inside-to-outside translation touches it.  Cisco, "NAT
Order of Operation" (Document ID 6209): inside-to-outside, "routing" comes before "NAT inside to outside
(local to global translation)", the translation of packets routed from an inside to an outside interface;
a packet addressed to the router is delivered to it, not routed out.  The same holds for the post-routing
source NAT of every vendor (netfilter's POSTROUTING sees only packets that leave).
"""

from __future__ import annotations

from auditor.api import explain
from parsers import cisco_ios

ZBF = """version 15.4
hostname edge
class-map type inspect match-any IN-SELF
 match access-group name IN-SELF-ACL
policy-map type inspect IN-SELF-POL
 class type inspect IN-SELF
  pass
 class class-default
  drop
zone security INSIDE
zone security OUTSIDE
zone-pair security IN-TO-SELF source INSIDE destination self
 service-policy type inspect IN-SELF-POL
interface GigabitEthernet0/1
 ip address 10.1.0.1 255.255.255.0
 ip nat inside
 zone-member security INSIDE
interface GigabitEthernet0/2
 ip address 203.0.113.2 255.255.255.252
 ip nat outside
 zone-member security OUTSIDE
ip nat inside source list 100 interface GigabitEthernet0/2 overload
ip route 0.0.0.0 0.0.0.0 203.0.113.1
ip access-list extended IN-SELF-ACL
 permit tcp 10.1.0.0 0.0.0.255 any eq 22
access-list 100 permit ip 10.1.0.0 0.0.0.255 any
"""


def test_traffic_to_the_router_itself_gets_no_source_nat():
    cfg = cisco_ios.parse(ZBF, "edge.cfg")
    for own in ("10.1.0.1", "203.0.113.2"):
        d = explain(cfg, "10.1.0.5", own, "tcp", dport=22)
        assert d["decision"] == "permit" and d["line"] == 6  # the INSIDE -> self class
        assert "nat_out" not in d and "leaves" not in d, d


def test_routed_traffic_still_shows_its_source_nat():
    # (the control: a packet routed from inside to outside is translated by line 22)
    cfg = cisco_ios.parse(ZBF.replace("zone-member security", "description"), "edge.cfg")
    d = explain(cfg, "10.1.0.5", "198.51.100.7", "tcp", dport=443)
    assert d["decision"] == "permit"
    assert [n["line"] for n in d["nat_out"]] == [22]
    assert d["leaves"]["src"] == "203.0.113.2"

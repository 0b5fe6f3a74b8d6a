"""A PAN-OS NAT rule whose destination zone a learned route may change: the rule matches only maybe.

PAN-OS matches a NAT rule on the packet's source zone and destination zone ("NAT Policy Rules",
https://docs.paloaltonetworks.com/ngfw/networking/nat/nat-policy-rules: "You configure a NAT rule to match a
packet's source zone and destination zone"), and the destination zone is the zone the route lookup of the
ORIGINAL destination gives ("Destination NAT Example - One-to-One Mapping", https://docs.paloaltonetworks.com/
pan-os/10-0/pan-os-admin/networking/nat/nat-configuration-examples/destination-nat-exampleone-to-one-mapping:
the rule for the public address routed out Untrust-L3 is "from zone Untrust-L3 to zone Untrust-L3"; only after
the translation does a second route lookup, of the translated address, find the egress).  The routes come from
static routes and from the dynamic routing protocols ("Virtual Router Overview", https://docs.paloaltonetworks.
com/pan-os/10-1/pan-os-networking-admin/virtual-routers/virtual-router-overview: "The firewall uses virtual
routers to obtain Layer 3 routes to other subnets by you manually defining static routes or through
participation in one or more Layer 3 routing protocols (dynamic routes) ... the virtual router obtains the best
route from the RIB"; "The destination zone is derived from the outgoing interface"), and from an interface that
is a DHCP client ("Configure an Interface as a DHCP Client", https://docs.paloaltonetworks.com/pan-os/10-1/
pan-os-networking-admin/dhcp: its network and, by default, a default route are learned at run time).

So with OSPF enabled, or a DHCP-client interface, a learned (e.g. more specific) route may send the original
destination out of another zone: the rule 'from workshop to untrust' then does not match, the packet goes out
untranslated, and no security rule allows it.  The engine checked the learned-route doubt only against the
translated destination (a connected server): the flow was a decided permit.  Now the rule matches maybe for
the original destinations outside the connected networks (as commit 881e256 did for tied static routes).
"""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers import parse_text

PAN = """\
set deviceconfig system hostname site-fw
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 192.0.2.1/24
set network interface ethernet ethernet1/4 layer3 ip 10.50.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ethernet1/4 ]
set network virtual-router default routing-table ip static-route def destination 0.0.0.0/0
set network virtual-router default routing-table ip static-route def nexthop ip-address 192.0.2.254
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set zone untrust network layer3 ethernet1/3
set zone dmz network layer3 ethernet1/4
set rulebase security rules ws from workshop
set rulebase security rules ws to servers
set rulebase security rules ws source any
set rulebase security rules ws destination any
set rulebase security rules ws application any
set rulebase security rules ws service any
set rulebase security rules ws action allow
set rulebase nat rules dn from workshop to untrust source any destination 203.0.113.9 service any \
destination-translation translated-address 10.20.0.9
"""

OSPF = PAN + "set network virtual-router default protocol ospf enable yes\n"
DHCP = PAN.replace("ethernet1/4 layer3 ip 10.50.0.1/24", "ethernet1/4 layer3 dhcp-client create-default-route yes")


def decide(text: str, dst: str) -> dict:
    return decision_json(parse_text(text, "fw.set"), make_packet("10.30.0.5", dst, "tcp", 40000, 445))


def line_of(text: str, needle: str) -> int:
    return [n for n, ln in enumerate(text.splitlines(), 1) if needle in ln][0]


def test_static_routes_alone_decide_the_destination_nat():
    # the default route sends 203.0.113.9 out of untrust: the rule translates it to the server (allowed)
    assert decide(PAN, "203.0.113.9")["decision"] == "permit"


def test_ospf_may_route_the_original_destination_elsewhere():
    got = decide(OSPF, "203.0.113.9")  # (was: permit)
    assert got["decision"] == "unknown" and got["default_line"] == line_of(OSPF, "nat rules dn")
    assert "learned route" in got["reason"]
    # to the server itself (connected, no NAT) it is still decided
    assert decide(OSPF, "10.20.0.9")["decision"] == "permit"


def test_a_dhcp_client_interface_may_route_the_original_destination_elsewhere():
    got = decide(DHCP, "203.0.113.9")  # (was: permit)
    assert got["decision"] == "unknown" and got["default_line"] == line_of(DHCP, "nat rules dn")
    assert decide(DHCP, "10.20.0.9")["decision"] == "permit"


def test_a_nat_rule_to_a_connected_destination_stays_decided():
    # 192.0.2.80 is in untrust's own network: no learned route takes it elsewhere (the engine's model of
    # learned routes, Config.learned_routes), so the rule matches it surely
    text = OSPF.replace("destination 203.0.113.9 service", "destination 192.0.2.80 service")
    assert decide(text, "192.0.2.80")["decision"] == "permit"


def test_the_reason_does_not_call_a_settled_line_not_understood():
    """The NAT rule's line is understood; its match is uncertain for a reason its label gives (the route of its
    original destination): the explanation says so, not "a NAT line that was not understood"."""
    from auditor.core.model import NatRule, Source
    from auditor.core.packets import NOTHING
    from auditor.engine import _nat_reason

    r = NatRule(NOTHING, (), Source("x", 1, "t"), label="NAT rule dn (the zone ... is not settled)")
    assert _nat_reason(r) == "a NAT rule that may or may not translate these packets (NAT rule dn (the zone ... " \
                             "is not settled))"

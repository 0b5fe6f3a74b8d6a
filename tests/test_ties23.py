"""Static routes to one destination of one preference over two interfaces (ECMP, or a tie the device breaks at
run time): only packets from or to the addresses the tied routes route differently are in doubt, not every
verdict (before: CFG300 of GLOBAL impact, the whole audit unknown).  They are ``Config.unsettled_routes`` at the
tie's line; the tie stays reported, of impact NONE.

What each vendor does with such a tie (none documents which route a packet takes):

* [FORTI] FortiOS CLI reference, "router {static | static6}"
  (https://docs.fortinet.com/document/fortigate/6.0.5/cli-reference/524231/router-static-static6): "If both
  administrative distance and priority are tied for two or more routes, an equal cost multi-path (ECMP)
  situation occurs ... By default in ECMP, a source IP address hash will be used"; FortiOS Administration Guide,
  "Equal cost multi-path" (https://docs.fortinet.com/document/fortigate/7.2.13/administration-guide/25967): ECMP
  load-balances routed traffic over the gateways ('v4-ecmp-mode'; no mode sends it all one way).
* [PAN] PAN-OS Administrator's Guide, "ECMP" (https://docs.paloaltonetworks.com/pan-os/9-1/pan-os-admin/
  networking/ecmp.html): with ECMP enabled flows are load balanced over the equal-cost routes; "Without this
  feature, if there are multiple equal-cost routes to the same destination, the virtual router chooses one of
  those routes from the routing table and adds it to its forwarding table" (which one is not said).
* [IOS] Cisco, "How Does Load Balancing Work?" (Cisco IOS applies load balancing across equal-cost paths by
  default; CEF per destination): both static routes are installed and share the load.
* [JUNOS] Juniper, "Per-Flow and Per-Prefix Load Balancing Overview" (https://juniper.net/documentation/us/en/
  software/junos/sampling-forwarding-monitoring/topics/concept/policy-per-flow-per-prefix-load-balancing-
  overview.html): "By default, when there are multiple equal-cost paths to the same destination, Junos OS
  chooses one of the next-hop addresses at random"; with a 'load-balance' policy flows are spread over them.
"""

from __future__ import annotations

from auditor.core.model import Impact
from parsers import parse_text
from tests.test_routes23 import IOS, decide


def line_of(text: str, needle: str, nth: int = 0) -> int:
    return [n for n, ln in enumerate(text.splitlines(), 1) if needle in ln][nth]


def ties(c) -> list[tuple[int, Impact]]:
    return [(d.source.line, d.impact) for d in c.unrecognized]


# --- [FORTI] the Azure templates' route to 168.63.129.16 over port1 and port2 ----------------------------

FGT = """config system interface
    edit "port1"
        set vdom "root"
        set ip 10.1.0.1 255.255.0.0
    next
    edit "port2"
        set vdom "root"
        set ip 10.2.0.1 255.255.0.0
    next
    edit "port3"
        set vdom "root"
        set ip 192.0.2.1 255.255.255.0
    next
end
config router static
    edit 1
        set gateway 192.0.2.254
        set device "port3"
    next
    edit 2
        set dst 168.63.129.16 255.255.255.255
        set gateway 10.1.0.254
        set device "port1"
    next
    edit 3
        set dst 168.63.129.16 255.255.255.255
        set gateway 10.2.0.254
        set device "port2"
    next
{more}end
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_fortios_ecmp_routes_leave_only_their_destination_unknown():
    text = FGT.format(more="")
    c = parse_text(text, "fgt.conf")
    tie = line_of(text, "edit 3")
    assert ties(c) == [(tie, Impact.NONE)]  # (was GLOBAL: every verdict unknown)
    # workshop -> primary is decided (was: unknown, "could change any verdict")
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert decide(c, "10.2.0.10", "10.1.0.5")["decision"] == "deny"
    # to or from the tied destination: port2 (policy 1) or port1 (hairpin, no policy), by the ECMP hash
    for src, dst in (("10.1.0.5", "168.63.129.16"), ("168.63.129.16", "10.2.0.10")):
        got = decide(c, src, dst)
        assert got["decision"] == "unknown" and got["default_line"] == tie and "ECMP" in got["reason"], (src, dst)


def test_fortios_a_tie_a_better_route_overrides_leaves_nothing_unknown():
    # the two routes of distance 10 tie, but a third of distance 5 through port2 is the route ("selects the
    # entries having the lowest distances"): still reported, nothing in doubt (was: GLOBAL, all unknown)
    text = FGT.format(more="    edit 4\n        set dst 168.63.129.16 255.255.255.255\n"
                           "        set gateway 10.2.0.253\n        set device \"port2\"\n"
                           "        set distance 5\n    next\n")
    c = parse_text(text, "fgt.conf")
    assert ties(c) == [(line_of(text, "edit 3"), Impact.NONE)] and not c.unsettled_routes
    assert decide(c, "10.1.0.5", "168.63.129.16")["decision"] == "permit"


# --- [IOS] -----------------------------------------------------------------------------------------------

# (IOS: tests/test_routes23.py's router: Gi0/0 10.1.0.0/16, Gi0/2 192.0.2.0/24, Gi0/3 198.51.100.0/24 denying
# what leaves by it; its static routes are filled in)


def test_ios_equal_distance_routes_leave_only_their_prefix_unknown():
    text = IOS.format(routes="ip route 10.50.0.0 255.255.0.0 192.0.2.254\n"
                             "ip route 10.50.0.0 255.255.0.0 198.51.100.254\n"
                             "ip route 10.50.7.0 255.255.255.0 192.0.2.254\n")
    c = parse_text(text, "r1.cfg")
    tie = line_of(text, "198.51.100.254")
    assert ties(c) == [(tie, Impact.NONE)]
    got = decide(c, "10.1.0.20", "10.50.0.9")  # Gi0/2 (permit) or Gi0/3 (deny)
    assert got["decision"] == "unknown" and got["default_line"] == tie
    # the more specific route takes 10.50.7.0/24 through Gi0/2 alone; the rest is decided
    assert decide(c, "10.1.0.20", "10.50.7.9")["decision"] == "permit"
    assert decide(c, "10.1.0.20", "192.0.2.9")["decision"] == "permit"
    assert decide(c, "10.1.0.20", "198.51.100.9")["decision"] == "deny"


def test_ios_a_route_whose_next_hop_the_tie_reaches_is_unknown_too():
    # 10.70.0.0/16's next hop 10.60.0.1 is reached by the two tied routes: through either interface
    text = IOS.format(routes="ip route 10.60.0.0 255.255.0.0 192.0.2.254\n"
                             "ip route 10.60.0.0 255.255.0.0 198.51.100.254\n"
                             "ip route 10.70.0.0 255.255.0.0 10.60.0.1\n")
    c = parse_text(text, "r1.cfg")
    got = decide(c, "10.1.0.20", "10.70.0.5")
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "10.70.0.0")
    assert decide(c, "10.1.0.20", "192.0.2.9")["decision"] == "permit"


# --- [PAN] -----------------------------------------------------------------------------------------------

PAN = """\
set deviceconfig system hostname site-fw
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 192.0.2.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ]
set network virtual-router default routing-table ip static-route a destination 10.40.0.0/16
set network virtual-router default routing-table ip static-route a nexthop ip-address 10.20.0.254
set network virtual-router default routing-table ip static-route b destination 10.40.0.0/16
set network virtual-router default routing-table ip static-route b nexthop ip-address 192.0.2.254
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set zone untrust network layer3 ethernet1/3
set rulebase security rules ws from workshop
set rulebase security rules ws to servers
set rulebase security rules ws source any
set rulebase security rules ws destination any
set rulebase security rules ws application any
set rulebase security rules ws service any
set rulebase security rules ws action allow
"""


def test_panos_equal_cost_routes_leave_only_their_destination_unknown():
    c = parse_text(PAN, "fw.set")
    tie = line_of(PAN, "static-route b destination")
    assert ties(c) == [(tie, Impact.NONE)]
    got = decide(c, "10.30.0.5", "10.40.0.9")  # servers (allowed) or untrust (no rule)
    assert got["decision"] == "unknown" and got["default_line"] == tie
    assert decide(c, "10.30.0.5", "10.20.0.9")["decision"] == "permit"  # (was unknown)
    assert decide(c, "10.30.0.5", "192.0.2.9")["decision"] == "deny"


# --- [JUNOS] ---------------------------------------------------------------------------------------------

JUNOS = """\
set interfaces ge-0/0/0 unit 0 family inet address 10.30.0.1/24
set interfaces ge-0/0/1 unit 0 family inet address 10.21.0.1/24
set interfaces ge-0/0/2 unit 0 family inet address 203.0.113.1/24
set security zones security-zone workshop interfaces ge-0/0/0.0
set security zones security-zone servers interfaces ge-0/0/1.0
set security zones security-zone untrust interfaces ge-0/0/2.0
set security policies from-zone workshop to-zone servers policy p match source-address any
set security policies from-zone workshop to-zone servers policy p match destination-address any
set security policies from-zone workshop to-zone servers policy p match application any
set security policies from-zone workshop to-zone servers policy p then permit
set routing-options static route 10.20.0.0/24 next-hop 10.21.0.254
set routing-options static route 10.20.0.0/24 next-hop 203.0.113.254
"""


def test_junos_next_hops_of_one_preference_leave_only_their_prefix_unknown():
    c = parse_text(JUNOS, "r.set")
    tie = line_of(JUNOS, "next-hop 203.0.113.254")
    assert ties(c) == [(tie, Impact.NONE)]
    got = decide(c, "10.30.0.5", "10.20.0.10")  # servers (permit) or untrust (no policy)
    assert got["decision"] == "unknown" and got["default_line"] == tie
    assert decide(c, "10.30.0.5", "10.21.0.9")["decision"] == "permit"  # (was unknown)
    assert decide(c, "10.30.0.5", "203.0.113.9")["decision"] == "deny"


def test_panos_a_nat_rule_whose_zone_the_tie_decides_is_not_taken_as_matching():
    # A NAT rule matches the packet's destination zone ("NAT Policy Rules": "You configure a NAT rule to match a
    # packet's source zone and destination zone", https://docs.paloaltonetworks.com/ngfw/networking/nat/
    # nat-policy-rules), the zone of the route to the original destination (parsers/panos/nat.py module doc,
    # "pre-NAT IP, post-NAT zone"); 10.40.0.9 is routed to untrust or to
    # dmz by the tie: through untrust the rule translates it to the server (workshop -> servers: allowed),
    # through dmz it goes out untranslated (no rule: denied).  Taking the first route made it a sure permit.
    text = PAN.replace("set network interface ethernet ethernet1/3 layer3 ip 192.0.2.1/24\n",
                       "set network interface ethernet ethernet1/3 layer3 ip 192.0.2.1/24\n"
                       "set network interface ethernet ethernet1/4 layer3 ip 10.50.0.1/24\n").replace(
        "ethernet1/3 ]", "ethernet1/3 ethernet1/4 ]").replace(
        "static-route a nexthop ip-address 10.20.0.254", "static-route a nexthop ip-address 192.0.2.254").replace(
        "static-route b nexthop ip-address 192.0.2.254", "static-route b nexthop ip-address 10.50.0.254") + (
        "set zone dmz network layer3 ethernet1/4\n"
        "set rulebase nat rules dn from workshop to untrust source any destination 10.40.0.9 service any "
        "destination-translation translated-address 10.20.0.9\n")
    c = parse_text(text, "fw.set")
    assert decide(c, "10.30.0.5", "10.40.0.9")["decision"] == "unknown"
    assert decide(c, "10.30.0.5", "10.20.0.9")["decision"] == "permit"


def test_ios_a_recursive_next_hop_takes_the_route_of_the_lowest_distance():
    """The next hop of a recursive static route is routed as any destination is: the longest prefix, then the
    lowest administrative distance: the next hop is looked up in the routing table (Cisco tech note "Specifying
    a Next Hop IP Address for Static Routes"), and a static route of a higher distance is a "floating" route,
    "inserted into the routing table only when the preferred route is unavailable" (User Guide for Cisco
    Security Manager 4.4, "Static Routing on Cisco IOS Routers").  Before: the first written route of the
    longest prefix, so 10.70.0.5 left through Gi0/2 (the distance-10 route, permit) where the router sends it
    out of Gi0/3 (distance 1), whose list denies all."""
    text = IOS.format(routes="ip route 10.60.0.0 255.255.0.0 192.0.2.254 10\n"
                             "ip route 10.60.0.0 255.255.0.0 198.51.100.254\n"
                             "ip route 10.70.0.0 255.255.0.0 10.60.0.1\n")
    c = parse_text(text, "r1.cfg")
    assert decide(c, "10.1.0.20", "10.60.0.5")["decision"] == "deny"
    assert decide(c, "10.1.0.20", "10.70.0.5")["decision"] == "deny"

"""Dynamic routing: routes the device learns are not in its configuration (``Config.learned_routes``).

A router forwards by the longest prefix that matches, whatever the source of the route; the
administrative distance only chooses between routes to the same prefix (Cisco, "Route Selection in
Cisco Routers", https://www.cisco.com/c/en/us/support/docs/ip/enhanced-interior-gateway-routing-protocol-eigrp/8651-21.html:
"the route with the longest prefix is preferred"; Juniper, "Route Preferences Overview",
https://juniper.net/documentation/en_US/junos12.3/topics/concept/routing-protocols-route-preferences-overview.html:
the active route, learned by any protocol, is the one installed in the forwarding table).
So an OSPF or BGP route more specific than a configured static route takes the destination through
another interface, where other rules decide it.  Only the connected networks are routed for certain:
the engine reports packets from or to any other address of a device with dynamic routing as unknown,
at the line that starts the protocol, and decides the rest as before.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json, make_packet
from auditor.core.packets import ALL, ALL_V4, ALL_V6, PacketSet, addr_to_int, cube, parse_network
from auditor.engine import UNKNOWN, evaluate
from parsers import parse_text

# an IOS router: the workshop LAN and a server LAN connected; a static default towards the WAN; a third
# interface whose outbound list drops everything.  OSPF may learn any remote network through it.
IOS = """hostname r1
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.0.0
 ip access-group IN in
interface GigabitEthernet0/1
 ip address 10.2.0.1 255.255.255.0
interface GigabitEthernet0/2
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/3
 ip address 198.51.100.1 255.255.255.0
 ip access-group BLOCK out
{ospf}ip route 0.0.0.0 0.0.0.0 192.0.2.254
ip access-list extended IN
 deny tcp any any eq 23
 permit ip any any
ip access-list extended BLOCK
 deny ip any any
"""
OSPF = "router ospf 1\n network 198.51.100.0 0.0.0.255 area 0\n"


def cfg(text: str, path: str = "r1.cfg"):
    return parse_text(text, path)


def decide(c, src: str, dst: str, dport: int = 445) -> dict:
    return decision_json(c, make_packet(src, dst, "tcp", 40000, dport))


def line_of(text: str, needle: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_without_dynamic_routing_the_static_default_decides():
    c = cfg(IOS.format(ospf=""))
    assert not c.learned_routes
    assert decide(c, "10.1.0.20", "10.50.0.10")["decision"] == "permit"


def test_ios_router_ospf_makes_remote_destinations_unknown_at_its_line():
    text = IOS.format(ospf=OSPF)
    c = cfg(text)
    assert [s.line for s in c.learned_routes] == [line_of(text, "router ospf 1")]
    got = decide(c, "10.1.0.20", "10.50.0.10")
    # (an OSPF route to 10.50.0.0/16 through Gi0/3 would beat the static default: BLOCK drops it there)
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "router ospf 1")
    assert "dynamic routing" in got["reason"]
    # between connected networks the routes are certain: decided as before
    assert decide(c, "10.1.0.20", "10.2.0.10")["decision"] == "permit"
    assert decide(c, "10.1.0.20", "10.2.0.10", 23)["decision"] == "deny"
    # its settings have no effect of their own: nothing is reported
    assert not c.unrecognized


def test_ios_routing_that_learns_nothing_is_not_dynamic_routing():
    for cmd in ("router ospf 1\n", "router bgp 65001\n neighbor 192.0.2.2 remote-as 65002\n", "router eigrp 10\n",
                "ipv6 router ospf 3\n", "router isis\n", "router rip\n",
                "router ospf 1\n passive-interface default\n no passive-interface GigabitEthernet0/3\n",
                "router rip\n passive-interface default\n network 10.0.0.0\n"):
        assert cfg(IOS.format(ospf=cmd)).learned_routes, cmd
    # OSPF and EIGRP form neighbours by hellos (Cisco, "Troubleshoot OSPF Neighbor Problems",
    # https://www.cisco.com/c/en/us/support/docs/ip/open-shortest-path-first-ospf/13699-29.html), which a
    # passive interface does not exchange: with every interface passive the process learns no route.
    # RIP still listens on a passive interface, so it learns. A BGP process learns only from the
    # neighbours it is given.
    for cmd in ("router ospf 1\n passive-interface default\n network 10.2.0.0 0.0.0.255 area 0\n",
                "router eigrp 10\n passive-interface default\n", "router bgp 65001\n bgp router-id 1.1.1.1\n",
                "route-map RM permit 10\n"):
        c = cfg(IOS.format(ospf=cmd))
        assert not c.learned_routes and not c.unrecognized, cmd


def test_the_audit_says_unknown_where_it_said_pass():
    from auditor import api
    from auditor.policy import load_site

    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.50.0.10"])
    before = api.audit([cfg(IOS.format(ospf=""))], site)
    after = api.audit([cfg(IOS.format(ospf=OSPF))], site)
    assert not [f for f in before.findings if f.rule_id == "PRN100"]  # every required flow passed
    unknown = [f for f in after.findings if f.rule_id == "PRN100" and f.status == "unknown"]
    assert unknown and all(f.source.text == "router ospf 1" for f in unknown)
    assert not [f for f in after.findings if f.rule_id == "PRN100" and f.status == "pass"]


ASA = """ASA Version 9.16(1)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/2
 nameif servers
 security-level 90
 ip address 10.2.0.1 255.255.255.0
access-list IN extended permit ip any any
access-group IN in interface inside
route outside 0.0.0.0 0.0.0.0 192.0.2.254
{routing}"""


def test_asa_router_ospf_and_eigrp_and_bgp():
    # Cisco ASA, "OSPF" / "EIGRP" / "BGP" (CLI book 1, Routing): routes learned from neighbours
    for block in ("router ospf 1\n network 10.2.0.0 255.255.255.0 area 0\n", "router eigrp 10\n",
                  "ipv6 router ospf 1\n",
                  "router bgp 65001\n address-family ipv4 unicast\n  neighbor 192.0.2.2 remote-as 65002\n"):
        text = ASA.format(routing=block)
        c = cfg(text, "fw.cfg")
        assert c.vendor == "cisco-asa" and not c.unrecognized, block
        assert [s.line for s in c.learned_routes] == [line_of(text, block.splitlines()[0])]
        # (OSPFv3 learns IPv6 routes only: the IPv4 destinations stay routed as configured)
        want = "permit" if block.startswith("ipv6") else "unknown"
        assert decide(c, "10.1.0.20", "203.0.113.9")["decision"] == want, block
        assert decide(c, "10.1.0.20", "10.2.0.10")["decision"] == "permit"
    c = cfg(ASA.format(routing=""), "fw.cfg")
    assert not c.learned_routes and decide(c, "10.1.0.20", "203.0.113.9")["decision"] == "permit"


JUNOS = """set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24
set interfaces ge-0/0/2 unit 0 family inet address 192.0.2.1/24
set security zones security-zone trust interfaces ge-0/0/0.0
set security zones security-zone servers interfaces ge-0/0/1.0
set security zones security-zone untrust interfaces ge-0/0/2.0
set security policies from-zone trust to-zone servers policy p1 match source-address any
set security policies from-zone trust to-zone servers policy p1 match destination-address any
set security policies from-zone trust to-zone servers policy p1 match application any
set security policies from-zone trust to-zone servers policy p1 then permit
set routing-options static route 0.0.0.0/0 next-hop 192.0.2.254
{proto}"""


def test_junos_protocols_that_learn_routes():
    text = JUNOS.format(proto="set protocols ospf area 0.0.0.0 interface ge-0/0/2.0\n")
    c = cfg(text, "srx.conf")
    assert [s.line for s in c.learned_routes] == [line_of(text, "protocols ospf")]
    assert decide(c, "10.1.0.20", "10.50.0.10")["decision"] == "unknown"
    assert decide(c, "10.1.0.20", "10.2.0.10")["decision"] == "permit"
    # LLDP learns no routes; an inactive protocol runs nothing
    for proto in ("set protocols lldp interface all\n",
                  "set protocols bgp group g neighbor 192.0.2.2\ndeactivate protocols bgp\n"):
        c = cfg(JUNOS.format(proto=proto), "srx.conf")
        assert not c.learned_routes, proto
        assert decide(c, "10.1.0.20", "10.50.0.10")["decision"] == "deny"  # trust -> untrust: no policy


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["10.1.3.4", "10.2.0.9", "10.50.0.10", "192.0.2.77", "198.51.100.9", "8.8.8.8"]),
       st.sampled_from(["10.1.3.4", "10.2.0.9", "10.50.0.10", "192.0.2.77", "198.51.100.9", "8.8.8.8"]),
       st.sampled_from([23, 445]))
def test_exact_partition_against_the_device_without_dynamic_routing(src, dst, port):
    """Every packet: unknown when its source or destination is outside the connected networks,
    else what the same device without dynamic routing decides (the set evaluation and the point
    evaluation agree)."""
    plain, dyn = cfg(IOS.format(ospf="")), cfg(IOS.format(ospf=OSPF))
    connected = [parse_network(n) for n in ("10.1.0.0/16", "10.2.0.0/24", "192.0.2.0/24", "198.51.100.0/24")]
    inside = all(any(addr_to_int(a) in n for n in connected) for a in (src, dst))
    got, want = decide(dyn, src, dst, port), decide(plain, src, dst, port)
    if inside:
        assert (got["decision"], got["rule"]) == (want["decision"], want["rule"])  # (the same line: its text)
    else:
        assert got["decision"] == "unknown"
    one = PacketSet([cube(src=parse_network(src + "/32"), dst=parse_network(dst + "/32"))]).intersect(ALL)
    kinds = {o.kind for o in evaluate(dyn, one)}
    assert (kinds == {UNKNOWN}) == (not inside)


FORTI = """config system interface
    edit "port1"
        set vdom "root"
        set ip 10.1.0.1 255.255.0.0
    next
    edit "port2"
        set vdom "root"
        set ip 10.2.0.1 255.255.255.0
    next
    edit "wan1"
        set vdom "root"
        set ip 192.0.2.1 255.255.255.0
    next
end
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "wan1"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
config router static
    edit 1
        set gateway 192.0.2.254
        set device "wan1"
    next
end
{router}"""


def test_fortios_routing_blocks_learn_routes_only_with_peers_or_networks():
    # a backup lists the protocols' redistribute tables whether or not they run (FortiOS, "Dynamic routing")
    idle = ('config router bgp\n    config redistribute "connected"\n    end\nend\n'
            'config router ospf\n    config redistribute "static"\n    end\nend\n')
    c = cfg(FORTI.format(router=idle), "fgt.conf")
    assert c.vendor == "fortios" and not c.learned_routes
    assert decide(c, "10.1.0.20", "203.0.113.9")["decision"] == "permit"
    for block in ('config router ospf\n    set router-id 10.2.0.1\n    config area\n        edit 0.0.0.0\n'
                  '        next\n    end\n    config network\n        edit 1\n            set prefix 10.2.0.0 '
                  '255.255.255.0\n        next\n    end\nend\n',
                  'config router bgp\n    set as 65001\n    config neighbor\n        edit "192.0.2.2"\n'
                  '            set remote-as 65002\n        next\n    end\nend\n'):
        text = FORTI.format(router=block)
        c = cfg(text, "fgt.conf")
        assert [s.line for s in c.learned_routes] == [line_of(text, block.splitlines()[0])], block
        assert decide(c, "10.1.0.20", "203.0.113.9")["decision"] == "unknown"
        assert decide(c, "10.1.0.20", "192.0.2.9")["decision"] == "permit"  # a connected network


@pytest.mark.parametrize("text, space", [
    # Cisco IOS: 'router ospf' (OSPFv2), 'router rip' and classic 'router eigrp N' route IPv4; 'ipv6 router
    # ospf|rip|eigrp' IPv6; named EIGRP, 'router ospfv3', BGP and IS-IS have IPv4 and IPv6 address families
    ("router ospf 1\n network 10.2.0.0 0.0.0.255 area 0\n", ALL_V4),
    ("ipv6 router ospf 1\n", ALL_V6),
    ("router eigrp LAB\n address-family ipv6 unicast autonomous-system 10\n", None),
    ("router ospf 1\n network 10.2.0.0 0.0.0.255 area 0\nipv6 router ospf 1\n", None),
])
def test_ios_learned_routes_are_per_address_family(text, space):
    c = cfg(IOS.format(ospf=text), "r.cfg")
    assert c.learned_routes and c.learned_space == space


@pytest.mark.parametrize("proto, space", [
    # Juniper, "OSPFv3 ... realm ipv4-unicast": OSPFv3 routes IPv6, and IPv4 too in that realm; 'ospf'
    # (OSPFv2) and 'rip' route IPv4, 'ripng' IPv6, BGP and IS-IS both
    ("set protocols ospf area 0 interface ge-0/0/2.0\n", ALL_V4),
    ("set protocols ospf3 area 0 interface ge-0/0/2.0\n", ALL_V6),
    ("set protocols ospf3 realm ipv4-unicast area 0 interface ge-0/0/2.0\n", None),
    ("set protocols bgp group ext neighbor 192.0.2.2\n", None),
])
def test_junos_learned_routes_are_per_address_family(proto, space):
    c = cfg(JUNOS.format(proto=proto), "j.set")
    assert c.learned_routes and c.learned_space == space
    want = "unknown" if space is None or space is ALL_V4 else "deny"  # (no policy to untrust: default deny)
    assert decide(c, "10.1.0.20", "203.0.113.9")["decision"] == want, proto


def test_fortios_ospf6_learns_ipv6_routes_only():
    # FortiOS, "config router ospf6": OSPFv3, IPv6 routes; the IPv4 destinations stay routed as configured
    block = ('config router ospf6\n    set router-id 10.2.0.1\n    config area\n        edit 0.0.0.0\n        next\n'
             '    end\n    config ospf6-interface\n        edit "o1"\n            set interface "port2"\n        next\n'
             '    end\nend\n')
    c = cfg(FORTI.format(router=block), "fgt.conf")
    assert c.learned_routes and c.learned_space == ALL_V6
    assert decide(c, "10.1.0.20", "203.0.113.9")["decision"] == "permit"

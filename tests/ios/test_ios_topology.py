"""Cisco IOS interfaces, bindings, routes and paths (citations: ios_helpers)."""

from __future__ import annotations

from ios_helpers import cfg, decide, line_of

from auditor.core.model import Impact

TWO = ("interface GigabitEthernet0/0\n ip address 10.1.0.1 255.255.0.0\n{a}"
       "interface GigabitEthernet0/1\n ip address 10.2.0.1 255.255.0.0\n{b}")


def two(a: str = "", b: str = "", rest: str = "") -> str:
    return TWO.format(a=a, b=b) + rest


def test_no_access_list_forwards_everything():
    text = two()
    c = cfg(text)
    d = decide(c, "10.1.0.5", "10.2.0.5", dport=445)
    assert d["decision"] == "permit" and d["default_line"] == line_of(text, "interface GigabitEthernet0/0")


def test_inbound_list_filters_and_sees_the_packet_as_sent():
    text = two(a=" ip access-group IN in\n", rest="ip access-list extended IN\n permit tcp any any eq 80\n")
    c = cfg(text)
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=80)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=81)["decision"] == "deny"
    # the other direction passes no list
    assert decide(c, "10.2.0.5", "10.1.0.5", dport=81)["decision"] == "permit"
    [st] = {s for p in c.paths for s in p.stages if s.name.startswith("in:")}
    # router access lists are stateless; inbound lists see the packet before NAT, outbound after
    # (ios_helpers.NAT_ORDER)
    assert st.stateful is False and st.sees == "sent"


def test_outbound_list_sees_the_final_packet():
    text = two(b=" ip access-group OUT out\n", rest="ip access-list extended OUT\n deny tcp any any eq 23\n"
                                                   " permit ip any any\n")
    c = cfg(text)
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=23)["decision"] == "deny"
    assert decide(c, "10.2.0.5", "10.1.0.5", dport=23)["decision"] == "permit"
    [st] = {s for p in c.paths for s in p.stages if s.name.startswith("out:")}
    assert st.stateful is False and st.sees == "final"


def test_access_group_without_direction_is_outbound():
    # "if a keyword is not specified, out is the default" (ios_helpers.IP_ACCESS_GROUP)
    c = cfg(two(b=" ip access-group 101\n", rest="access-list 101 deny ip any any\n"))
    assert decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "deny"
    assert decide(c, "10.2.0.5", "10.1.0.5")["decision"] == "permit"


def test_undefined_list_passes_everything_and_is_reported():
    # "If the specified access list does not exist, all packets are passed." (ios_helpers.IP_ACCESS_GROUP)
    text = two(a=" ip access-group MISSING in\n")
    c = cfg(text)
    [d] = c.diagnostics
    assert d.code == "CFG301" and d.source.line == line_of(text, "ip access-group MISSING in")
    got = decide(c, "10.1.0.5", "10.2.0.5")
    assert got["decision"] == "permit" and "not defined" in got["reason"]


def test_empty_list_passes_everything():
    # "An interface or command with an empty access list applied to it permits all traffic"
    # (ios_helpers.ACL_RULES); a list with only remarks has no entries
    c = cfg(two(a=" ip access-group EMPTY in\n", rest="ip access-list extended EMPTY\n remark nothing yet\n"))
    got = decide(c, "10.1.0.5", "10.2.0.5")
    assert got["decision"] == "permit" and "no entries" in got["reason"]


def test_both_ends_on_one_subnet_do_not_cross_the_router():
    c = cfg(two(a=" ip access-group IN in\n", rest="ip access-list extended IN\n deny ip any any\n"))
    assert decide(c, "10.1.0.5", "10.1.0.6")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.6")["decision"] == "deny"


def test_routes_next_hops_and_recursion():
    text = two(a=" ip access-group IN in\n", rest=(
        "ip route 172.16.0.0 255.255.0.0 10.2.0.254\n"
        "ip route 172.17.0.0 255.255.0.0 172.16.0.1\n"
        "ip route 192.168.0.0 255.255.0.0 GigabitEthernet0/1 10.2.0.9 name lab tag 5\n"
        "ip route 10.99.0.0 255.255.0.0 Null0\n"
        "ip route 10.98.0.0 255.255.0.0 198.51.100.1\n"
        "ip access-list extended IN\n permit ip any any\n"))
    c = cfg(text)
    routes = {(r.prefix_len, r.interface) for r in c.routes}
    assert routes == {(16, "GigabitEthernet0/1"), (16, "drop:Null0:11")}
    assert len(c.routes) == 4
    assert decide(c, "10.1.0.5", "172.17.1.1")["decision"] == "permit"
    discard = decide(c, "10.1.0.5", "10.99.1.1")
    assert discard["decision"] == "deny" and "Null0" in discard["reason"]
    # a next hop on no connected network: reported, not guessed (traffic to it is not routed)
    [d] = c.unrecognized
    assert d.impact is Impact.NONE and d.source.line == line_of(text, "ip route 10.98.0.0 255.255.0.0 198.51.100.1")
    assert decide(c, "10.1.0.5", "10.98.1.1")["reason"] == "no interface or route reaches these addresses"


def test_shutdown_interfaces_carry_nothing_and_secondary_addresses_count():
    text = two(a=" ip address 10.3.0.1 255.255.0.0 secondary\n",
               b=" shutdown\n")
    c = cfg(text)
    assert [i.name for i in c.interfaces] == ["GigabitEthernet0/0"]
    # the secondary subnet is routed to the primary one on the same interface: filtered like
    # any routed packet (here: nothing filters it)
    assert decide(c, "10.3.0.5", "10.1.0.5")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.5")["reason"] == "no interface or route reaches these addresses"


def test_traffic_to_the_router_meets_the_inbound_list():
    text = two(a=" ip access-group IN in\n", rest="ip access-list extended IN\n permit tcp any any eq 22\n")
    c = cfg(text)
    assert c.local_addresses is not None
    assert decide(c, "10.1.0.5", "10.1.0.1", dport=22)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.1", dport=23)["decision"] == "deny"


def test_a_packet_to_the_router_without_a_list_is_received_not_forwarded():
    # IP_ACCESS_GROUP: "For ... inbound access lists, after receiving a packet, the Cisco IOS software checks ... the
    # packet against the access list"; an outbound one only "after receiving and routing a packet to a controlled
    # interface".  A packet addressed to the router's own address is not routed: with no inbound list or zone, the
    # router receives it (README, "The device's own addresses").  explain said "IOS forwards the packet".
    text = ("interface GigabitEthernet0/0\n ip address 10.1.0.1 255.255.0.0\n"
            "interface GigabitEthernet0/1\n ip address 10.2.0.10 255.255.0.0\n")
    c = cfg(text)
    d = decide(c, "10.2.0.11", "10.2.0.10", dport=445)
    assert d["decision"] == "permit" and "forwards" not in d["reason"]
    assert d["reason"] == ("no inbound access list or zone applies: the packet is addressed to the router, which "
                           "receives it")
    assert d["default_line"] == line_of(text, "interface GigabitEthernet0/1")
    # a packet routed through the router is still forwarded
    assert decide(c, "10.2.0.11", "10.1.0.5", dport=445)["reason"] == (
        "no access list or zone applies: IOS forwards the packet")


def test_vrfs_keep_their_interfaces_apart():
    text = ("interface Gi1\n vrf forwarding RED\n ip address 10.1.0.1 255.255.0.0\n"
            "interface Gi2\n vrf forwarding BLUE\n ip address 10.2.0.1 255.255.0.0\n"
            "interface Gi3\n vrf forwarding RED\n ip address 10.3.0.1 255.255.0.0\n")
    c = cfg(text)
    assert decide(c, "10.1.0.5", "10.3.0.5")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.5")["reason"] == "no interface or route reaches these addresses"


def test_interface_features_that_change_what_passes_are_reported():
    c = cfg(two(a=" ip inspect FW in\n ip policy route-map PBR\n description uplink\n duplex full\n"))
    assert [d.impact for d in c.unrecognized] == [Impact.GLOBAL, Impact.GLOBAL]


def test_every_line_is_used_ignored_or_reported():
    from parsers.cisco_ios.parser import IosParser

    text = ("version 15.2\n!\nhostname r\nservice timestamps log datetime\nno service pad\n"
            "interface Gi0/0\n ip address 10.0.0.1 255.0.0.0\n no shutdown\n duplex auto\n"
            "router ospf 1\n network 10.0.0.0 0.255.255.255 area 0\nline vty 0 4\n transport input ssh\n"
            "banner motd ^C\nAuthorized access only\n  (really)\n^C\nfrobnicate now\nend\n")
    p = IosParser(text, "r.cfg")
    c = p.build()
    assert p.lines.unaccounted() == []
    [d] = c.unrecognized
    assert d.source.text == "frobnicate now" and d.impact is Impact.GLOBAL
    assert p.lines.ignored_why["login banners"] == 4


# A DHCP client interface installs a default route towards the gateway the server names (option 3), "with the
# administrative distance 254 (floating static route)"; 'no ip dhcp client request router' turns it off (ipSpace,
# "DHCP Response Sets the Default Route", https://blog.ipspace.net/2007/06/dhcp-response-sets-default-route.html;
# 'ip dhcp client default-router distance' sets the distance). Its traffic was "not routed" (not checked, so a
# site whose only WAN takes its address by DHCP passed with its internet flows and exposure unseen).
DHCP_WAN = ("interface Gi0/0\n ip address dhcp\n ip access-group WAN-IN in\n"
            "interface Gi0/1\n ip address 10.20.0.1 255.255.255.0\n"
            "ip access-list extended WAN-IN\n permit tcp any host 10.20.0.20 eq 443\n")


def test_a_dhcp_client_interface_may_route_everything_else():
    c = cfg(DHCP_WAN)
    at = line_of(DHCP_WAN, " ip address dhcp")
    d = decide(c, "10.20.0.10", "198.51.100.7", dport=443)
    assert d["decision"] == "unknown" and d["default_line"] == at and "DHCP" in d["reason"]
    d = decide(c, "198.51.100.7", "10.20.0.20", dport=443)
    assert d["decision"] == "unknown" and d["default_line"] == at and "DHCP" in d["reason"]
    # a configured default route (distance 1) wins over the DHCP one: settled
    c = cfg(DHCP_WAN + "ip route 0.0.0.0 0.0.0.0 Gi0/1 10.20.0.254\n")
    assert decide(c, "10.20.0.10", "198.51.100.7", dport=443)["decision"] == "permit"
    # none asked for: not routed, as before
    c = cfg(DHCP_WAN.replace(" ip address dhcp\n", " no ip dhcp client request router\n ip address dhcp\n"))
    assert decide(c, "10.20.0.10", "198.51.100.7", dport=443)["decision"] == "deny"


def test_a_dhcp_route_distance_not_a_distance_is_a_line_not_understood():
    # 'ip dhcp client default-router distance <1-255>': anything else is reported at its line (it was a
    # ValueError: 'invalid literal for int()' as the whole run's error)
    for bad in ("abc", "0", "256"):
        text = DHCP_WAN.replace(" ip address dhcp\n", " ip address dhcp\n ip dhcp client default-router distance %s\n"
                                % bad)
        c = cfg(text)
        at = line_of(text, " ip dhcp client default-router distance %s" % bad)
        assert [(d.source.line, d.impact) for d in c.unrecognized] == [(at, Impact.GLOBAL)], bad
    c = cfg(DHCP_WAN.replace(" ip address dhcp\n", " ip address dhcp\n ip dhcp client default-router distance 5\n"))
    assert not c.unrecognized

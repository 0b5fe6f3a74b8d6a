"""ASA interfaces, security levels, same-security-traffic and hairpin traffic, as the device does it.

Cisco ASA Series General Operations CLI Configuration Guide (9.x), "Routed and Transparent
Mode Interfaces" > "Security Levels" and "Allow Same Security Level Communication"
(https://www.cisco.com/c/en/us/td/docs/security/asa/asa922/configuration/general/asa-922-general-config/interface-routed-tfw.html),
and the command reference for ``same-security-traffic``
(https://www.cisco.com/en/US/docs/security/asa/asa81/command/reference/s1.html):

* "By default, interfaces on the same security level cannot communicate with each other";
  ``same-security-traffic permit inter-interface`` allows it, and "you can allow traffic to
  flow freely between all same security interfaces without access lists";
* "The same-security-traffic intra-interface command lets traffic enter and exit the same
  interface, which is normally not allowed"; "all traffic allowed by [it] is still subject
  to firewall rules".
"""

import pytest

from auditor.api import decision_json, make_packet
from parsers.cisco_asa import parse

HEAD = "ASA Version 9.12(4)\n"
TWO_EQUAL = ("interface G0\n nameif a\n security-level 50\n ip address 10.1.0.1 255.255.255.0\n"
             "interface G1\n nameif b\n security-level 50\n ip address 10.2.0.1 255.255.255.0\n")
PERMIT_ALL = "access-list A extended permit ip any any\naccess-group A in interface a\n"


def decide(cfg, src, dst, dport=80):
    return decision_json(cfg, make_packet(src, dst, "tcp", None, dport))


def test_equal_levels_drop_traffic_whatever_the_access_list_says():
    # an access list bound on 'a' that permits everything does not open a -> b (level 50 both)
    cfg = parse(HEAD + TWO_EQUAL + PERMIT_ALL, "t.cfg")
    d = decide(cfg, "10.1.0.5", "10.2.0.5")
    assert d["decision"] == "deny"
    assert d["line"] is None and d["default_line"] == 4  # the level line of the ingress interface
    assert "same-security-traffic permit inter-interface" in d["reason"]
    # a global access list changes nothing either
    cfg = parse(HEAD + TWO_EQUAL + "access-list G extended permit ip any any\naccess-group G global\n", "t.cfg")
    assert decide(cfg, "10.1.0.5", "10.2.0.5")["decision"] == "deny"


def test_equal_levels_with_same_security_traffic_apply_the_access_list():
    text = HEAD + TWO_EQUAL + "same-security-traffic permit inter-interface\n"
    acl = ("access-list A extended permit tcp any any eq 80\n"
           "access-group A in interface a\n")
    cfg = parse(text + acl, "t.cfg")
    assert decide(cfg, "10.1.0.5", "10.2.0.5")["line"] == 11
    assert decide(cfg, "10.1.0.5", "10.2.0.5", dport=81)["decision"] == "deny"
    # no access list bound: permitted both ways, by the same-security-traffic line
    cfg = parse(text, "t.cfg")
    d = decide(cfg, "10.2.0.5", "10.1.0.5", dport=22)
    assert d["decision"] == "permit" and d["default_line"] == 10


def test_unequal_levels_are_unchanged():
    text = (HEAD + "interface G0\n nameif inside\n ip address 10.1.0.1 255.255.255.0\n"
            "interface G1\n nameif outside\n ip address 10.2.0.1 255.255.255.0\n")
    cfg = parse(text, "t.cfg")  # 'inside' without a level is 100, any other name 0
    assert decide(cfg, "10.1.0.5", "10.2.0.5")["decision"] == "permit"
    assert decide(cfg, "10.2.0.5", "10.1.0.5")["decision"] == "deny"


HAIRPIN = ("interface G0\n nameif inside\n security-level 100\n ip address 10.1.0.1 255.255.255.0\n"
           "interface G1\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
           "route inside 10.9.0.0 255.255.0.0 10.1.0.254\n"
           "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n")


def test_two_hosts_of_one_connected_network_never_reach_the_firewall():
    for extra in ("", "same-security-traffic permit intra-interface\n"):
        cfg = parse(HEAD + HAIRPIN + extra, "t.cfg")
        d = decide(cfg, "10.1.0.5", "10.1.0.6")
        assert d["decision"] == "permit" and d["reason"].startswith("both ends")


def test_traffic_routed_back_out_of_its_interface_is_dropped_without_intra_interface():
    # 10.9.0.0/16 is behind a router on the inside network: an inside host whose gateway is the
    # firewall, talking to a host there, is hairpinned (in and out of 'inside'): dropped by default
    cfg = parse(HEAD + HAIRPIN + "access-list IN extended permit ip any any\naccess-group IN in interface inside\n",
                "t.cfg")
    d = decide(cfg, "10.1.0.6", "10.9.0.5")
    assert d["decision"] == "deny" and "intra-interface" in d["reason"]
    # the other way, the router at 10.1.0.254 is on 10.1.0.6's network and may deliver it straight there:
    # the drop holds only if it reaches the firewall (tests/test_back_out24.py); internet to internet the same
    for src, dst, why in (("10.9.0.5", "10.1.0.6", "the device sees it only if it answers for the address"),
                          ("198.51.100.1", "192.0.2.1", "reaches the device only")):
        d = decide(cfg, src, dst)
        assert d["decision"] == "unknown" and "intra-interface" in d["reason"] and why in d["reason"]


def test_intra_interface_applies_the_ingress_access_list():
    text = (HEAD + HAIRPIN + "same-security-traffic permit intra-interface\n"
            "access-list IN extended permit tcp host 10.9.0.5 any eq 80\n"
            "access-group IN in interface inside\n")
    cfg = parse(text, "t.cfg")
    assert decide(cfg, "10.9.0.5", "10.1.0.6")["line"] == 13
    d = decide(cfg, "10.9.0.5", "10.1.0.6", dport=81)  # (denied if it reaches the firewall: tests/test_back_out24.py)
    assert d["decision"] == "unknown" and d["default_line"] == 13
    # no access list on outside: permitted by the intra-interface line
    d = decide(cfg, "198.51.100.1", "192.0.2.1")
    assert d["decision"] == "permit" and d["default_line"] == 12


def test_inter_interface_does_not_permit_hairpin_traffic():
    cfg = parse(HEAD + HAIRPIN + "same-security-traffic permit inter-interface\n", "t.cfg")
    assert decide(cfg, "10.1.0.6", "10.9.0.5")["decision"] == "deny"


@pytest.mark.parametrize("version, sees_in, sees_out", [("8.2(5)", "sent", "final"), ("8.4(7)", "routed", "routed"),
                                                        ("9.12(4)", "routed", "routed")])
def test_access_lists_see_mapped_addresses_before_8_3(version, sees_in, sees_out):
    # before 8.3 an access list is written on the addresses valid on the network of its
    # interface (the mapped ones on the outside); from 8.3 on on the real addresses
    # (Cisco ASA 5500 Migration to Version 8.3 and Later, "Real IP Addresses in Access List
    #  Migration": "you used to have to specify the mapped addresses ... in an access list";
    #  http://www.cisco.com/c/en/us/td/docs/security/asa/asa83/upgrading/migrating.html)
    text = ("ASA Version %s\n" % version + HAIRPIN
            + "access-list IN extended permit ip any any\naccess-group IN in interface outside\n"
              "access-list OUT extended permit ip any any\naccess-group OUT out interface inside\n")
    cfg = parse(text, "t.cfg")
    (path,) = [p for p in cfg.paths if (p.ingress, p.egress) == ("outside", "inside")]
    assert [s.sees for s in path.stages] == [sees_in, sees_out]


NULL_ROUTES = """ASA Version 9.12(4)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.30.0.1 255.255.255.0
route outside 0.0.0.0 0.0.0.0 203.0.113.1
route null0 198.51.100.0 255.255.255.0
route Null0 192.0.2.0 255.255.255.0 5
"""


def test_a_route_to_null0_drops_what_it_routes_and_names_its_line():
    # Cisco, ASA general configuration guide, "Static and Default Routes", "Route to null0 Interface to Drop
    # Unwanted Traffic": a static route to the null0 interface drops the traffic to its network (a
    # complement to access rules); the longest prefix still wins over the default route
    # https://www.cisco.com/c/en/us/td/docs/security/asa/asa919/configuration/general/asa-919-general-config/route-static.html
    cfg = parse(NULL_ROUTES, "fw.cfg")
    assert not cfg.diagnostics

    def got(dst):
        d = decision_json(cfg, make_packet("10.30.0.5", dst, "tcp", 40000, 443))
        return d["decision"], d.get("line") or d.get("default_line")

    assert got("198.51.100.7") == ("deny", 12) and got("192.0.2.9") == ("deny", 13)
    assert got("8.8.8.8")[0] == "permit"  # (security level 100 to 0, no access list: the default route)


def test_a_flow_a_null_route_blocks_is_told_to_change_the_route():
    from auditor.api import audit
    from auditor.checks import all_rules
    from auditor.policy import load_site
    from auditor.report import ROUTE_FIX, fix_hint

    cfg = parse(NULL_ROUTES, "fw.cfg")
    res = audit([cfg], load_site(None, ["workshop=10.30.0.0/24", "primary=198.51.100.10"]))
    blocked = [f for f in res.findings if f.rule_id == "PRN100"]
    assert blocked and all(f.source.line == 12 and f.extra.get("blocked_by") == "route" for f in blocked)
    assert fix_hint(res, blocked[0], all_rules()) == ROUTE_FIX


def test_a_client_sent_through_nat_to_a_server_on_its_own_subnet_is_hairpinned():
    # the inside client sends to the server's mapped address (203.0.113.10): the packet reaches the
    # ASA, which untranslates it (twice NAT (inside,inside)) and sends it back out 'inside' — traffic that
    # enters and exits one interface, dropped without 'same-security-traffic permit intra-interface' and,
    # with it, "still subject to firewall rules" (the command reference above).  The translated packet
    # joins two hosts of one subnet, and the engine took it for traffic that never reaches the firewall:
    # a permit in both cases, past the access list's deny.
    text = (HEAD + "interface G0\n nameif inside\n security-level 100\n ip address 10.20.0.1 255.255.255.0\n"
            "interface G1\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
            "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n"
            "object network SRV\n host 10.20.0.10\n nat (inside,outside) static 203.0.113.10\n"
            "object network PUB\n host 203.0.113.10\nobject network LAN\n subnet 10.20.0.0 255.255.255.0\n"
            "nat (inside,inside) source dynamic LAN interface destination static PUB SRV\n"
            "access-list IN extended deny tcp any host 10.20.0.10 eq 445\naccess-list IN extended permit ip any any\n"
            "access-group IN in interface inside\n")
    d = decide(parse(text, "t.cfg"), "10.20.0.5", "203.0.113.10", 443)
    assert d["decision"] == "deny" and "intra-interface" in d["reason"]
    assert d["translated"]["dst"] == "10.20.0.10"
    cfg = parse(text + "same-security-traffic permit intra-interface\n", "t.cfg")
    assert decide(cfg, "10.20.0.5", "203.0.113.10", 443)["decision"] == "permit"
    d = decide(cfg, "10.20.0.5", "203.0.113.10", 445)
    assert d["decision"] == "deny" and d["line"] == 19
    # sent straight to the real address, the packet never reaches the firewall, as before
    d = decide(cfg, "10.20.0.5", "10.20.0.10", 445)
    assert d["decision"] == "permit" and d["reason"].startswith("both ends")

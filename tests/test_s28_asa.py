"""Session 28 red team of the Cisco ASA model: behaviours checked against Cisco's documents.

Documents cited:

* [ASA-ZONES] Cisco ASA Series General Operations CLI Configuration Guide, 9.x, "Routing Overview", "ECMP
  Across Multiple Interfaces Using Traffic Zones": "If you configure traffic zones to contain a group of
  interfaces, you can have up to 8 equal cost static or dynamic routes across up to 8 interfaces within each
  zone"; chapter "Traffic Zones", "Load Balancing": "The ASA load-balances connections across up to eight equal
  cost routes on all the interfaces in the zone"
  (https://www.cisco.com/c/en/us/td/docs/security/asa/asa98/configuration/general/asa-98-general-config/route-overview.html).
  Without zones: "Equal-cost multi-path (ECMP) routing is not supported across multiple interfaces" (ASA CLI
  configuration guide, "Configuring Static and Default Routes"): the ASA refuses the later route.
"""

from __future__ import annotations

import json

from test_formats import cli

# workshop2 and workshop share traffic zone WS; 10.99.0.0/16 is reached through both at distance 1; workshop's
# outbound list permits everything, workshop2's denies everything
ZONED = """\
ASA Version 9.12(4)
hostname fw
zone WS
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/2
 nameif workshop
 security-level 50
 zone-member WS
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/3
 nameif workshop2
 security-level 50
 zone-member WS
 ip address 10.31.0.1 255.255.255.0
route outside 0.0.0.0 0.0.0.0 203.0.113.1 1
route workshop 10.99.0.0 255.255.0.0 10.30.0.254 1
route workshop2 10.99.0.0 255.255.0.0 10.31.0.254 1
access-list W1 extended permit ip any any
access-list W2 extended deny ip any any
access-group W1 out interface workshop
access-group W2 out interface workshop2
"""


def explain(tmp_path, cfg: str, src: str, dst: str, dport: int = 445) -> dict:
    p = tmp_path / "fw.cfg"
    p.write_text(cfg)
    code, out, err = cli("explain", str(p), "--src", src, "--dst", dst, "--proto", "tcp", "--dport", str(dport),
                         "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_equal_cost_routes_across_a_zone_make_the_egress_unknown(tmp_path):
    # [ASA-ZONES]: a connection to 10.99.0.5 leaves through workshop (permitted) or workshop2 (denied), as the
    # ASA's load balancing chooses: not a permit
    d = explain(tmp_path, ZONED, "10.20.0.5", "10.99.0.5")
    assert d["decision"] == "unknown"
    assert d["default_line"] == 24  # the later route, which makes the tie


def test_addresses_the_tie_does_not_route_stay_decided(tmp_path):
    d = explain(tmp_path, ZONED, "10.20.0.5", "8.8.8.8")
    assert d["decision"] == "permit"  # inside (100) to outside (0), no list on inside


def test_without_a_zone_the_first_route_is_the_route(tmp_path):
    # the ASA refuses the second route outside a zone ("ECMP is not supported across multiple interfaces"):
    # 10.99.0.0/16 goes through workshop, whose outbound list permits it
    cfg = ZONED.replace(" zone-member WS\n", "")
    d = explain(tmp_path, cfg, "10.20.0.5", "10.99.0.5")
    assert d["decision"] == "permit"


def test_no_zone_member_leaves_the_zone(tmp_path):
    # a second block for workshop2 removes it from the zone: the routes are no longer a zone's ECMP
    cfg = ZONED + "interface GigabitEthernet0/3\n no zone-member WS\n"
    d = explain(tmp_path, cfg, "10.20.0.5", "10.99.0.5")
    assert d["decision"] == "permit"


def test_check_change_putting_both_interfaces_in_a_zone_makes_the_flows_undecided(tmp_path):
    # [ASA-ZONES] the change's 'zone-member' lines make the two routes a zone's ECMP: the workshop's flows to the
    # primary, permitted through workshop before, may now leave through workshop2, whose outbound list denies
    cfg, cr = tmp_path / "fw.cfg", tmp_path / "cr.txt"
    cfg.write_text(ZONED.replace(" zone-member WS\n", ""))
    cr.write_text("interface GigabitEthernet0/2\n zone-member WS\ninterface GigabitEthernet0/3\n zone-member WS\n")
    code, out, err = cli("check-change", str(cfg), str(cr), "--role", "workshop=10.20.0.0/24",
                         "--role", "primary=10.99.0.5", "--format", "json")
    assert code != 2, err
    d = json.loads(out)
    assert d["verdict"] != "pass"
    assert d["old"]["verdict"] != "unknown" and d["new"]["verdict"] == "unknown"

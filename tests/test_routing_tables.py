"""Devices with several routing tables (VRFs, routing instances, virtual routers).

Cisco, "Multi-VRF CE" (https://www.cisco.com/c/en/us/td/docs/switches/lan/c9000/lyr3-fwd/vrf/
multi-vrf-ce-and-vrf-aware-services/multi-vrf-ce.html): "when packets arrive on these interfaces, the
router uses the input interface to determine the corresponding VRF"; each VRF is "an independent virtual
router ... even when IP address spaces overlaps".  So where a packet goes is its ingress interface's
table's answer, and an address two tables route alike may come in through either.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json, make_packet
from auditor.core.packets import ISet
from auditor.core.routing import shared_sources
from parsers.cisco_ios import parse


def ios(text: str):
    return parse(text, "r.cfg")


def decide(c, src, dst, dport=445):
    return decision_json(c, make_packet(src, dst, "tcp", None, dport))


def line_of(text: str, needle: str) -> int:
    return next(i for i, s in enumerate(text.splitlines(), 1) if needle in s)


# the global table's default route leaves by Gi0, whose outbound list drops 445; VRF RED routes 10.9.0.0/16
ROUTER = """\
interface GigabitEthernet0
 ip address 192.0.2.1 255.255.255.0
 ip access-group OUT out
interface GigabitEthernet1
 vrf forwarding RED
 ip address 10.5.0.1 255.255.0.0
interface GigabitEthernet2
 ip address 10.1.0.1 255.255.0.0
ip route 0.0.0.0 0.0.0.0 192.0.2.254
ip route vrf RED 10.9.0.0 255.255.0.0 10.5.0.254
ip access-list extended OUT
 deny tcp any any eq 445
 permit ip any any
"""


def test_a_packet_is_routed_by_its_ingress_interfaces_table():
    c = ios(ROUTER)
    # from the global table's Gi2 to 10.9.0.5: the global default route takes it out Gi0 (its list drops
    # 445); RED's route to 10.9.0.0/16 is not the global table's (before: taken as Gi1's, where no path
    # from Gi2 leads: not routed)
    d = decide(c, "10.1.0.5", "10.9.0.5")
    assert d["decision"] == "deny" and d["line"] == line_of(ROUTER, "deny tcp any any eq 445")
    assert decide(c, "10.1.0.5", "10.9.0.5", dport=80)["decision"] == "permit"
    # RED's own interfaces reach it; they reach nothing of the global table
    assert decide(c, "10.5.0.7", "10.9.0.5")["decision"] == "permit"
    d = decide(c, "10.5.0.7", "10.1.0.5")
    assert d["decision"] == "deny" and d["reason"] == "no interface or route reaches these addresses"


def test_a_source_two_tables_route_alike_is_unknown():
    # the same /16 connected in the global table (Gi3) and in RED (Gi1): a packet from it may come in
    # through either, and only Gi3's is decided by the global table's lists
    text = ROUTER.replace("interface GigabitEthernet2\n", "interface GigabitEthernet3\n ip address 10.5.0.2 "
                          "255.255.0.0\n ip access-group IN3 in\ninterface GigabitEthernet2\n") + \
        "ip access-list extended IN3\n permit ip any any\n"
    c = ios(text)
    d = decide(c, "10.5.0.7", "10.1.0.5")
    assert d["decision"] == "unknown"
    # (at the later table's block: RED's Gi1)
    assert d["reason"].startswith("routing tables (the main table) and RED both route these sources")
    assert d["default_line"] == line_of(text, "interface GigabitEthernet1")
    # to it, each table's own interface: from the global table's Gi2, Gi3
    assert decide(c, "10.1.0.5", "10.5.0.7")["decision"] == "permit"
    # a source only one table holds is decided as before
    assert decide(c, "10.1.0.5", "10.9.0.5")["decision"] == "deny"


def test_an_aggregate_of_another_table_does_not_claim_a_source():
    # RED's default route covers every address, less specifically than the global table's connected /16:
    # a packet from 10.1.0.5 comes in through Gi2
    c = ios(ROUTER + "ip route vrf RED 0.0.0.0 0.0.0.0 10.5.0.254\n")
    assert decide(c, "10.1.0.5", "10.9.0.5")["decision"] == "deny"
    # from an address both tables reach only by their default routes: unknown
    assert decide(c, "198.51.100.7", "10.1.0.5")["decision"] == "unknown"


def test_null0_routes_drop_at_their_own_lines_in_their_own_tables():
    text = ROUTER + "ip route 10.66.0.0 255.255.0.0 Null0\nip route 10.77.0.0 255.255.0.0 Null0\n" \
                    "ip route vrf RED 10.88.0.0 255.255.0.0 Null0\n"
    c = ios(text)
    # each Null0 route's drops name that route's line (before: every Null0 drop named the first one's)
    for net, needle in (("10.66.0.5", "10.66.0.0"), ("10.77.0.5", "10.77.0.0")):
        d = decide(c, "10.1.0.5", net)
        assert d["decision"] == "deny" and d["default_line"] == line_of(text, needle)
    # RED's null route is not the global table's: from Gi2, 10.88.0.5 follows the default route
    assert decide(c, "10.1.0.5", "10.88.0.5", dport=80)["decision"] == "permit"
    d = decide(c, "10.5.0.7", "10.88.0.5")
    assert d["decision"] == "deny" and d["default_line"] == line_of(text, "10.88.0.0")


def test_one_table_is_decided_as_before():
    # a device of one table: no packet is left unknown for it
    c = ios(ROUTER.replace(" vrf forwarding RED\n", "").replace("ip route vrf RED", "ip route"))
    assert decide(c, "10.1.0.5", "10.9.0.5", dport=80)["decision"] == "permit"
    assert decide(c, "198.51.100.7", "10.1.0.5")["decision"] == "permit"


# --- shared_sources against a brute-force oracle ---------------------------------------------

BLOCKS = st.tuples(st.integers(0, 5), st.integers(0, 63)).map(
    lambda t: ISet.of((t[1] >> t[0]) << t[0], ((t[1] >> t[0]) << t[0]) + (1 << t[0]) - 1))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["", "A", "B"]), st.lists(BLOCKS, min_size=1, max_size=4), min_size=1))
def test_shared_sources_are_the_addresses_two_tables_route_most_specifically(tables):
    # (what a block came from need not be comparable: a Source is not; two of one table may be the same block)
    got = ISet.union_of(nets for nets, _pair, _what in shared_sources(
        {t: [(b, object()) for b in bs + bs[:1]] for t, bs in tables.items()}))
    want = set()
    for a in range(64):
        sizes = {t: min(b.iv[0][1] - b.iv[0][0] for b in bs if b.overlaps(ISet.of(a))) for t, bs in tables.items()
                 if any(b.overlaps(ISet.of(a)) for b in bs)}
        if sizes and sum(1 for s in sizes.values() if s == min(sizes.values())) > 1:
            want.add(a)
    assert {a for a in range(64) if got.overlaps(ISet.of(a))} == want
    # each answer names the later table's block that holds it
    for nets, (_first, second), (table, i) in shared_sources(
            {t: [(b, (t, i)) for i, b in enumerate(bs)] for t, bs in tables.items()}):
        assert table == second and tables[table][i].intersect(nets) == nets


def test_a_vrf_route_to_a_global_next_hop_leads_out_of_the_global_tables_interface():
    # Cisco IOS 'ip route vrf': "global: Specifies that the given next hop address is in the nonVRF routing
    # table" (IP Routing: Protocol-Independent Command Reference, 'ip route vrf'): RED's hosts reach the
    # Internet through the global table's Gi0, whose outbound list drops 445 (before: the next hop was looked
    # up in RED, found nowhere, and the traffic reported as not routed)
    text = ROUTER + "ip route vrf RED 0.0.0.0 0.0.0.0 192.0.2.254 global\n"
    c = ios(text)
    d = decide(c, "10.5.0.7", "198.51.100.7")
    assert d["decision"] == "deny" and d["line"] == line_of(text, "deny tcp any any eq 445")
    assert decide(c, "10.5.0.7", "198.51.100.7", dport=80)["decision"] == "permit"
    # the global table still reaches nothing of RED's: its default route takes 10.5.0.7 out Gi0, not to Gi1
    assert decide(c, "10.1.0.5", "10.5.0.7", dport=80)["stage"] == "out:GigabitEthernet0"


def test_ios_equal_routes_over_two_interfaces_and_distance_255():
    # two routes to one prefix of one distance: IOS shares the load ("Static routes ... equal-cost", the
    # router installs both): reported, packets from or to that prefix unknown (tests/test_ties23.py); a route
    # of distance 255 is never installed
    # (Cisco, "What Is Administrative Distance?": "If the administrative distance is 255, the router does not
    # believe the source of that route and does not install the route in the routing table")
    text = ROUTER + "ip route 10.44.0.0 255.255.0.0 192.0.2.253\nip route 10.44.0.0 255.255.0.0 10.1.0.254\n"
    c = ios(text)
    assert [(d.source.line, d.impact.value) for d in c.diagnostics if "same distance" in d.message] == \
        [(line_of(text, "10.1.0.254"), "none")]
    assert decide(c, "10.1.0.5", "10.44.0.5")["decision"] == "unknown"
    text = ROUTER + "ip route 10.45.0.0 255.255.0.0 10.1.0.254 255\n"
    c = ios(text)
    assert not [r for r in c.routes if r.source.line == line_of(text, "10.45.0.0")]
    # (10.45.0.5 follows the default route out Gi0)
    assert decide(c, "10.1.0.5", "10.45.0.5")["decision"] == "deny"


def test_an_ios_translation_limited_to_a_vrf_is_reported():
    # Cisco IOS 'ip nat inside source': "vrf vrf-name: (Optional) Associates the NAT translation rule with a
    # particular VPN routing and forwarding (VRF) instance" (IP Addressing Services Command Reference): the
    # translation applies to that VRF's traffic only, which the model's NAT tables (one per device) cannot say;
    # before, the words were skipped and the translation applied in every table
    text = ROUTER.replace(" ip address 10.5.0.1 255.255.0.0\n", " ip address 10.5.0.1 255.255.0.0\n ip nat inside\n") \
        .replace(" ip access-group OUT out\n", " ip access-group OUT out\n ip nat outside\n") + \
        "ip nat inside source static 10.5.0.7 192.0.2.50 vrf RED\n"
    c = ios(text)
    [d] = [d for d in c.diagnostics if "VRF RED" in d.message]
    assert d.impact.value == "global" and d.source.line == line_of(text, "ip nat inside source")

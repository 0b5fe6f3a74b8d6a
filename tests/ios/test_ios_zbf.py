"""The IOS zone-based policy firewall (citations: ios_helpers.ZBF_XE, ZBF_RULES, ZBF_GUIDE, TCP_IDLE)."""

from __future__ import annotations

from ios_helpers import cfg, decide, line_of

from auditor.core.model import ESTABLISHED, Action
from auditor.core.packets import PROTO_TCP

IFACES = ("interface Gi1\n ip address 10.1.0.1 255.255.0.0\n zone-member security IN\n"
          "interface Gi2\n ip address 10.2.0.1 255.255.0.0\n zone-member security OUT\n"
          "interface Gi3\n ip address 10.3.0.1 255.255.0.0\n zone-member security IN\n"
          "interface Gi4\n ip address 10.4.0.1 255.255.0.0\n"
          "zone security IN\nzone security OUT\n")

POLICY = ("ip access-list extended WEB\n permit tcp any any eq www\n permit tcp any any eq 443\n"
          "class-map type inspect match-any CM-WEB\n match access-group name WEB\n"
          "class-map type inspect match-all CM-DNS\n match protocol dns\n match access-group name DNS\n"
          "ip access-list extended DNS\n permit udp any host 10.2.0.53\n"
          "policy-map type inspect PM\n class type inspect CM-WEB\n  inspect\n class type inspect CM-DNS\n  pass\n"
          " class class-default\n  drop log\n"
          "zone-pair security ZP source IN destination OUT\n service-policy type inspect PM\n")


def test_no_zone_pair_between_zones_drops():
    # "If a policy is not configured between a pair of zones, traffic is dropped by default." (ZBF_XE)
    text = IFACES
    c = cfg(text)
    d = decide(c, "10.1.0.5", "10.2.0.5")
    assert d["decision"] == "deny" and "no zone-pair" in d["reason"]


def test_traffic_within_a_zone_passes():
    # "Traffic is implicitly allowed to flow by default among interfaces that are members of the
    # same zone." (ZBF_RULES)
    c = cfg(IFACES)
    d = decide(c, "10.1.0.5", "10.3.0.5")
    assert d["decision"] == "permit" and "zone IN" in d["reason"]


def test_zone_member_and_non_member_cannot_talk():
    # "Traffic cannot flow between a zone member interface and any interface that is not a zone
    # member." (ZBF_RULES)
    c = cfg(IFACES)
    for src, dst in (("10.1.0.5", "10.4.0.5"), ("10.4.0.5", "10.1.0.5")):
        d = decide(c, src, dst)
        assert d["decision"] == "deny" and "in none" in d["reason"]


def test_policy_classes_in_order_then_class_default():
    text = IFACES + POLICY
    c = cfg(text)
    f = c.filters["zone-pair ZP"]
    assert [r.action for r in f.rules] == [Action.PERMIT, Action.PERMIT]
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=80)["line"] == line_of(text, "class type inspect CM-WEB")
    # match-all: dns (PAM: udp/tcp 53) AND the list (udp to 10.2.0.53)
    assert decide(c, "10.1.0.5", "10.2.0.53", "udp", 53)["line"] == line_of(text, "class type inspect CM-DNS")
    assert decide(c, "10.1.0.5", "10.2.0.54", "udp", 53)["decision"] == "deny"
    d = decide(c, "10.1.0.5", "10.2.0.5", dport=22)
    assert d["decision"] == "deny" and d["default_line"] == line_of(text, "drop log")
    # the reverse direction has no zone pair: dropped (replies of inspected sessions aside)
    assert decide(c, "10.2.0.5", "10.1.0.5", dport=80)["decision"] == "deny"


def test_inspect_only_policies_are_stateful_and_pass_makes_them_stateless():
    # 'inspect' tracks the session (replies pass); 'pass' permits one direction only, so with a
    # 'pass' the zone stages decide every packet and inspected replies get mirrored rules (ZBF_GUIDE)
    only_inspect = POLICY.replace("  pass\n", "  inspect\n")
    c = cfg(IFACES + only_inspect)
    stages = {s.name: s for p in c.paths for s in p.stages}
    assert stages["zones IN->OUT"].stateful is True
    c = cfg(IFACES + POLICY)
    stages = {s.name: s for p in c.paths for s in p.stages}
    assert stages["zones IN->OUT"].stateful is False
    back = stages["zones OUT->IN"]
    assert back.stateful is False and back.filters == ("zone-pair ZP (replies)",)
    mirror = c.filters["zone-pair ZP (replies)"]
    assert mirror.kind == "derived" and all(r.states == ESTABLISHED for r in mirror.rules)
    # the mirrored rule permits replies: from the web server's port 80 back to the client
    assert mirror.rules[0].match.contains((c.interfaces[1].networks.lo + 5, c.interfaces[0].networks.lo + 5,
                                           PROTO_TCP, 80, 40000))


def test_class_default_pass():
    text = IFACES + POLICY.replace("  drop log\n", "  pass\n")
    c = cfg(text)
    d = decide(c, "10.1.0.5", "10.2.0.5", dport=22)
    assert d["decision"] == "permit" and "pass" in d["reason"]


def test_zone_pair_without_policy_drops():
    text = IFACES + "zone-pair security ZP source IN destination OUT\n"
    c = cfg(text)
    d = decide(c, "10.1.0.5", "10.2.0.5")
    assert d["decision"] == "deny" and d["default_line"] == line_of(text, "zone-pair security ZP source IN "
                                                                         "destination OUT")


def test_self_zone_is_open_until_a_zone_pair_names_it():
    # "The self zone is the only exception to the default deny-all policy. All traffic to any
    # router interface is allowed until traffic is explicitly denied." (ZBF_RULES)
    c = cfg(IFACES)
    assert decide(c, "10.2.0.5", "10.2.0.1", dport=22)["decision"] == "permit"
    text = IFACES + ("class-map type inspect match-any SSH\n match protocol ssh\n"
                     "policy-map type inspect TO-SELF\n class type inspect SSH\n  pass\n"
                     "zone-pair security OUT-SELF source OUT destination self\n service-policy type inspect TO-SELF\n")
    c = cfg(text)
    assert decide(c, "10.2.0.5", "10.2.0.1", dport=22)["decision"] == "permit"
    assert decide(c, "10.2.0.5", "10.2.0.1", dport=23)["decision"] == "deny"
    # other zones to self: still open
    assert decide(c, "10.1.0.5", "10.1.0.1", dport=23)["decision"] == "permit"


def test_match_protocol_uses_the_port_map_and_ip_port_map_extends_it():
    text = IFACES + ("ip port-map http port tcp 8080\n"
                     "class-map type inspect match-any CM\n match protocol http\n"
                     "policy-map type inspect PM\n class type inspect CM\n  inspect\n"
                     "zone-pair security ZP source IN destination OUT\n service-policy type inspect PM\n")
    c = cfg(text)
    for port, want in ((80, "permit"), (8080, "permit"), (443, "deny")):
        assert decide(c, "10.1.0.5", "10.2.0.5", dport=port)["decision"] == want


def test_unknown_application_and_undefined_maps_are_unknown():
    text = IFACES + ("class-map type inspect match-any CM\n match protocol frobnicator\n"
                     "policy-map type inspect PM\n class type inspect CM\n  inspect\n class type inspect NOPE\n"
                     "  inspect\n"
                     "zone-pair security ZP source IN destination OUT\n service-policy type inspect PM\n"
                     "zone-pair security ZP2 source OUT destination IN\n service-policy type inspect MISSING\n")
    c = cfg(text)
    assert {d.code for d in c.diagnostics} == {"CFG300", "CFG301"}
    assert decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "unknown"
    assert decide(c, "10.2.0.5", "10.1.0.5")["decision"] == "unknown"


def test_default_zone_holds_interfaces_in_no_zone():
    # IOS XE: with 'zone security default', interfaces not in a zone are in the default zone
    text = IFACES + "zone security default\n"
    c = cfg(text)
    d = decide(c, "10.4.0.5", "10.1.0.5")
    assert d["decision"] == "deny" and "no zone-pair from zone default to zone IN" in d["reason"]


def test_inspect_timeouts_from_parameter_maps_and_defaults():
    text = IFACES + ("parameter-map type inspect LONG\n tcp idle-time 28800\n udp idle-time 120\n"
                     " sessions maximum 1000\n"
                     "parameter-map type inspect SHORT\n udp idle-time 10\n"
                     "ip access-list extended A\n permit tcp any host 10.2.0.10\n permit udp any host 10.2.0.10\n"
                     "class-map type inspect match-any CA\n match access-group name A\n"
                     "class-map type inspect match-any CB\n match protocol tcp\n match protocol udp\n"
                     "class-map type inspect match-any CC\n match protocol icmp\n"
                     "policy-map type inspect PM\n class type inspect CA\n  inspect LONG\n"
                     " class type inspect CB\n  inspect SHORT\n class type inspect CC\n  inspect\n"
                     "zone-pair security ZP source IN destination OUT\n service-policy type inspect PM\n")
    c = cfg(text)
    by = {(t.rule, t.match.cubes[0].dims[2].iv): t for t in c.timeouts}
    tcp, udp = ((6, 6),), ((17, 17),)
    a_tcp = by[(("zone-pair ZP", 0), tcp)]
    assert a_tcp.idle_seconds == 28800 and a_tcp.source.line == line_of(text, "tcp idle-time 28800")
    assert a_tcp.interfaces == ("Gi1", "Gi3") and not a_tcp.default
    assert by[(("zone-pair ZP", 0), udp)].idle_seconds == 120
    # a named map without 'tcp idle-time': the IOS default 3600 s (TCP_IDLE), attributed to the inspect line
    b_tcp = by[(("zone-pair ZP", 1), tcp)]
    assert b_tcp.idle_seconds == 3600 and b_tcp.default and "default tcp idle-time 3600" in b_tcp.label
    assert by[(("zone-pair ZP", 1), udp)].idle_seconds == 10
    assert not any(t.rule == ("zone-pair ZP", 2) for t in c.timeouts)  # ICMP: no TCP/UDP timeout
    assert [t.default for t in c.timeouts] == sorted(t.default for t in c.timeouts)


def test_global_parameter_map_sets_the_inspect_default():
    text = IFACES + ("parameter-map type inspect global\n tcp idle-time 7200\n"
                     "class-map type inspect match-any CB\n match protocol tcp\n"
                     "policy-map type inspect PM\n class type inspect CB\n  inspect\n"
                     "zone-pair security ZP source IN destination OUT\n service-policy type inspect PM\n")
    c = cfg(text)
    [t] = [t for t in c.timeouts if t.match.cubes[0].dims[2].iv == ((6, 6),)]
    assert t.idle_seconds == 7200 and t.source.line == line_of(text, "tcp idle-time 7200")


def test_layer7_policies_and_classes_without_actions_are_unknown():
    text = IFACES + ("class-map type inspect match-any CM\n match protocol http\n"
                     "class-map type inspect match-any C2\n match protocol ssh\n"
                     "policy-map type inspect PM\n class type inspect CM\n  inspect\n"
                     "  service-policy type inspect http L7\n class type inspect C2\n"
                     "zone-pair security ZP source IN destination OUT\n service-policy type inspect PM\n")
    c = cfg(text)
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=80)["decision"] == "unknown"
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=22)["decision"] == "unknown"


def test_interface_lists_and_zones_together():
    # the inbound list first (before NAT), the zone policy, then the outbound list (NAT_ORDER)
    text = IFACES.replace(" zone-member security IN\n", " zone-member security IN\n ip access-group BLOCK in\n", 1) + \
        POLICY + "ip access-list extended BLOCK\n deny tcp any any eq 443\n permit ip any any\n"
    c = cfg(text)
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=443)["line"] == line_of(text, "deny tcp any any eq 443")
    p = next(p for p in c.paths if p.ingress == "Gi1" and p.egress == "Gi2")
    assert [s.name for s in p.stages] == ["in:Gi1", "zones IN->OUT"]
    assert [s.sees for s in p.stages] == ["sent", "routed"]


def _phases(c, src, dst, dport):
    """{phase: {outcome kinds}} of one TCP connection (first packet, later packets, replies)."""
    from auditor.api import make_packet
    from auditor.core.packets import ISet, PacketSet, cube
    from auditor.engine import connection

    s, d, p, sp, dp = make_packet(src, dst, "tcp", None, dport)
    got: dict[str, set] = {}
    for o in connection(c, PacketSet([cube(src=ISet.of(s), dst=ISet.of(d), proto=ISet.of(p), sport=ISet.of(sp),
                                           dport=ISet.of(dp))])):
        got.setdefault(o.phase, set()).add(o.kind)
    return got


# A 'pass' keeps no state, so the replies of a passed TCP connection meet the reverse zone pair's
# policy as packets of no session; an 'inspect' class there does not pass them: "the return TCP packets
# forwarded to the router that did not receive the initial synchronization (SYN) message are dropped
# because they do not belong to any known existing session" (Cisco IOS Security Configuration Guide,
# "Interchassis Asymmetric Routing Support for Zone-Based Policy Firewalls",
# https://www.cisco.com/en/US/docs/ios-xml/ios/sec_data_zbf/configuration/15-2mt/sec-data-asym-zbf.html);
# 'pass' permits one direction only (ZBF_GUIDE).  The model cannot tell those replies from the later
# packets of a connection the reverse pair inspects (the same packets), so they are unknown, not permitted.
PASS_THEN_INSPECT = IFACES + (
    "class-map type inspect match-any ALL\n match protocol tcp\n match protocol udp\n"
    "ip access-list extended SMB\n permit tcp any any eq 445\n"
    "class-map type inspect match-any CM-SMB\n match access-group name SMB\n"
    "policy-map type inspect PASS\n class type inspect CM-SMB\n  pass\n"
    "policy-map type inspect INSP\n class type inspect ALL\n  inspect\n"
    "zone-pair security ZP source IN destination OUT\n service-policy type inspect PASS\n"
    "zone-pair security ZR source OUT destination IN\n service-policy type inspect INSP\n")


def test_replies_of_a_passed_connection_meeting_an_inspect_class_are_not_permitted():
    c = cfg(PASS_THEN_INSPECT)
    got = _phases(c, "10.1.0.5", "10.2.0.5", 445)
    assert got["new"] == {"permit"}
    assert "permit" not in got["reply"] and "unknown" in got["reply"]
    # a connection the reverse pair inspects (OUT -> IN, to a port no 'pass' replies come from): still permitted
    got = _phases(c, "10.2.0.5", "10.1.0.5", 80)
    assert got == {"new": {"permit"}, "established": {"permit"}, "reply": {"permit"}}
    # replies of a passed connection that the reverse pair itself passes: permitted
    c = cfg(PASS_THEN_INSPECT.replace("policy-map type inspect INSP\n class type inspect ALL\n  inspect\n",
                                      "policy-map type inspect INSP\n class type inspect ALL\n  pass\n"))
    assert _phases(c, "10.1.0.5", "10.2.0.5", 445) == {"new": {"permit"}, "established": {"permit"},
                                                       "reply": {"permit"}}


def test_a_zone_pair_with_the_self_zone_and_no_policy_passes():
    # "Regarding the self zone, if there is a zone pair but no policy is applied, the default behavior is
    # to forward all traffic (which is different from the traffic between manually created zones)"
    # (Cisco Press, Santos, "CCNA Security 210-260 Official Cert Guide", ch. 15 "The Self Zone", Table 15-4,
    # https://www.oreilly.com/library/view/santos-ccna-sec-210-260/9780134077857/ch15lev3sec6.html)
    text = IFACES + "zone-pair security OUT-SELF source OUT destination self\n"
    c = cfg(text)
    d = decide(c, "10.2.0.5", "10.2.0.1", dport=22)
    assert d["decision"] == "permit" and "self" in d["reason"]
    # between two zones, a zone pair without a policy still drops (ZBF_XE)
    c = cfg(IFACES + "zone-pair security ZP source IN destination OUT\n")
    assert decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "deny"


def test_match_all_with_two_match_protocol_lines_is_uncertain():
    # Cisco's MQC guide gives match-all as "a logical AND operator" of its criteria (Cisco cBR Series
    # Configuration Guide, 'Modular Quality of Service Command Line Interface',
    # https://www.cisco.com/c/en/us/td/docs/cable/cbr/configuration/guide/b_cbr_scg_full_book/
    # Modular_Quality_of___Service_Command_Line_Interface_QoS.html), but an inspect class's 'match protocol'
    # also names the application the session is inspected as, and a packet is of one application: no Cisco
    # document found says whether two of them in a match-all class match their intersection (as read before:
    # http's ports, inspected for certain), nothing, or are refused.  So the class's packets are unknown and
    # its second 'match protocol' line is reported.
    policy = ("class-map type inspect match-all CM-2\n match protocol http\n match protocol tcp\n"
              "policy-map type inspect PM\n class type inspect CM-2\n  inspect\n class class-default\n  drop\n"
              "zone-pair security ZP source IN destination OUT\n service-policy type inspect PM\n")
    text = IFACES + policy
    c = cfg(text)
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=80)["decision"] == "unknown"  # before: permit
    assert decide(c, "10.1.0.5", "10.2.0.5", "udp", 53)["decision"] == "deny"  # neither line's packets
    assert [d.source.line for d in c.diagnostics if "several 'match protocol'" in d.message] == [
        line_of(text, " match protocol tcp")]

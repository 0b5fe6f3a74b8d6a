"""Traffic routed back out of the interface it came in on, from a source behind a router (session 24).

An edge firewall whose inside interface faces a core router (the print shop's usual layout: Workshop and
server VLANs joined by the core, the firewall in front of the internet) has every role routed out of
``inside``.  The audit judged each Workshop -> server flow as if it crossed the firewall in and out of
``inside``: on an ASA, "dropped without 'same-security-traffic permit intra-interface'", 19 PRN100 errors,
primary -> secondary (one /24 behind the core) "fully blocked".  The firewall never sees that traffic: the
core routes it.

What the devices document is kept for the traffic that does reach them: an ASA drops traffic routed back out
of the interface it came in on without ``same-security-traffic permit intra-interface`` (Cisco ASA Series
Command Reference, ``same-security-traffic``: "The same-security-traffic intra-interface command lets traffic
enter and exit the same interface"; tests/test_asa_topology.py), FortiOS by ``allow-traffic-redirect``
(tests/test_hunt23_fortios_hairpin.py).  Whether it reaches them is a question of the other routers:

* from a host on one of the interface's connected networks, it does when the host's gateway is the device
  (the documented hairpin case): decided as before;
* from a source behind a router on that interface, to a destination behind the same interface, only when
  that router sends it to the device rather than to its destination (its own route, or its connected network):
  not in the configuration.  What the device would permit is permitted either way; what it would deny is
  ``unknown`` (not a FAIL, never a pass), and no line of the device lets it through (not PRN150 exposure);
* a packet sent to an address the device translates (a mapped address, a VIP: the device answers for it) is
  sent to the device: decided as before.
"""

from __future__ import annotations

from auditor.api import audit, decision_json, make_packet
from auditor.core.packets import ISet, PacketSet, cube
from auditor.engine import UNKNOWN, decide_packet, evaluate
from auditor.policy import load_site
from parsers.cisco_asa import parse

EDGE = """ASA Version 9.16(1)
hostname edge
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.0.0.1 255.255.255.0
access-list OUT extended permit tcp any host 203.0.113.2 eq 443
access-group OUT in interface outside
route outside 0.0.0.0 0.0.0.0 203.0.113.1 1
route inside 10.0.0.0 255.0.0.0 10.0.0.2 1
"""
ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]


def _decide(cfg, src, dst, dport=445):
    return decision_json(cfg, make_packet(src, dst, "tcp", None, dport))


def test_an_edge_firewall_does_not_fail_flows_a_core_router_carries():
    result = audit([parse(EDGE, "edge.cfg")], load_site(None, ROLES))
    prn100 = [f for f in result.findings if f.rule_id == "PRN100"]
    assert prn100 and all(f.severity == "warning" and f.status == "unknown" for f in prn100)
    assert result.verdict == "unknown"  # (was: fail, 19 errors)
    f = next(f for f in prn100 if f.key.startswith("smb:workshop->primary"))
    assert "reaches the device only if a router behind inside sends it here" in f.message
    assert "intra-interface" in f.message and f.source.line == 9  # (the drop, if it reaches the ASA)
    # nothing of that doubt is exposure: the ASA lets none of it through
    assert not [f for f in result.findings if f.rule_id == "PRN150"]


def test_a_host_on_the_interface_network_is_hairpinned_as_before():
    cfg = parse(EDGE, "edge.cfg")
    d = _decide(cfg, "10.0.0.50", "10.2.0.10")  # (its gateway may be the ASA: it drops it)
    assert d["decision"] == "deny" and "intra-interface" in d["reason"]
    d = _decide(cfg, "10.1.0.5", "10.2.0.10")
    assert d["decision"] == "unknown" and "intra-interface" in d["reason"]
    # two hosts of the connected network talk directly, as before
    assert _decide(cfg, "10.0.0.50", "10.0.0.60")["reason"].startswith("both ends")


def test_what_the_device_permits_stays_permitted():
    cfg = parse(EDGE + "same-security-traffic permit intra-interface\n", "edge.cfg")
    d = _decide(cfg, "10.1.0.5", "10.2.0.10")
    assert d["decision"] == "permit" and d["default_line"] == 15
    cfg = parse(EDGE + "same-security-traffic permit intra-interface\naccess-list IN extended deny tcp any any eq "
                       "445\naccess-list IN extended permit ip any any\naccess-group IN in interface inside\n",
                "edge.cfg")
    assert _decide(cfg, "10.1.0.5", "10.2.0.10", 80)["line"] == 17
    d = _decide(cfg, "10.1.0.5", "10.2.0.10", 445)  # (the deny holds only where the traffic reaches the ASA)
    assert d["decision"] == "unknown" and d["line"] == 16
    assert _decide(cfg, "10.0.0.50", "10.2.0.10", 445)["decision"] == "deny"


def test_a_packet_sent_to_an_address_the_device_translates_reaches_it():
    # the ASA answers for a static NAT's mapped address (proxy ARP): a packet to it is sent to the ASA
    nat = ("object network SRV\n host 10.2.0.10\n nat (inside,inside) static 10.0.0.100 service tcp 80 80\n"
           "same-security-traffic permit intra-interface\n"
           "access-list IN extended deny tcp any any eq 22\naccess-list IN extended permit ip any any\n"
           "access-group IN in interface inside\n")
    cfg = parse(EDGE + nat, "edge.cfg")
    assert not cfg.unrecognized
    d = _decide(cfg, "10.1.0.5", "10.0.0.100", 22)
    assert d["decision"] == "deny" and d["line"] == 19, d
    d = _decide(cfg, "10.1.0.5", "10.2.0.10", 22)  # (sent to the server itself: may go through the core only)
    assert d["decision"] == "unknown" and d["line"] == 19, d


def test_explain_agrees_with_the_set_evaluation_packet_by_packet():
    # every packet of a grid across the three cases: decide_packet (explain's indexed path) and evaluate (the
    # audit's set evaluation) give the same outcome and line
    cfg = parse(EDGE + "same-security-traffic permit intra-interface\naccess-list IN extended deny tcp any any eq 445\n"
                       "access-list IN extended permit ip any any\naccess-group IN in interface inside\n", "edge.cfg")
    addrs = ["10.0.0.50", "10.1.0.5", "10.2.0.10", "10.0.0.2", "198.51.100.7", "203.0.113.9"]
    for src in addrs:
        for dst in addrs:
            for dport in (445, 80):
                pkt = make_packet(src, dst, "tcp", None, dport)
                one = decide_packet(cfg, pkt)
                outs = evaluate(cfg, PacketSet([cube(*(ISet.of(x) for x in pkt))]))
                assert len(outs) == 1, (src, dst)
                assert (outs[0].kind, outs[0].source) == (one.kind, one.source), (src, dst, dport)
                assert outs[0].may_permit == one.may_permit
                way = one.path.ingress if one.path is not None and one.path.ingress == one.path.egress else None
                back_out = way is not None and not src.startswith({"inside": "10.0.0.", "outside": "203.0.113."}[way])
                # (the doubt is exactly the off-network traffic back out of an interface that the ASA would deny:
                # on inside, 445 (line 17); on outside, all of it (the implicit deny of OUT))
                doubt = back_out and (way == "outside" or dport == 445)
                assert (one.kind == UNKNOWN and not one.may_permit) == doubt, (src, dst, dport)


def test_the_doubt_says_what_the_device_would_do_at_a_plain_deny_line():
    # an explicit deny line has no reason of its own (the line says it): the doubt still ends in what the device
    # would do with the traffic if it reached it, not in "if it does: " and nothing (session-24 verdict differ:
    # the IOS and pfSense examples' PRN100 messages ended "if it does: )")
    cfg = parse(EDGE + "same-security-traffic permit intra-interface\naccess-list IN extended deny tcp any any eq "
                       "445\naccess-list IN extended permit ip any any\naccess-group IN in interface inside\n",
                "edge.cfg")
    d = _decide(cfg, "10.1.0.5", "10.2.0.10", 445)
    assert d["decision"] == "unknown" and d["line"] == 16
    assert d["reason"].endswith("if it does: denied"), d["reason"]
    result = audit([cfg], load_site(None, ROLES))
    f = next(f for f in result.findings if f.rule_id == "PRN100" and f.key.startswith("smb:workshop->primary"))
    assert f.source.line == 16 and f.message.endswith("if it does: denied)"), f.message

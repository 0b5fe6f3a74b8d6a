"""Session 24 review (rev24): defects found in the session's merged changes, each with the input that shows it."""

from __future__ import annotations

from auditor.api import make_packet
from auditor.core.packets import one_packet
from auditor.engine import PERMIT, UNKNOWN, connection
from parsers.junos import parse_lines

# A Junos SRX whose trust interface faces a core router, with a static NAT rule on trust: a client behind the
# core reaches the server behind it by the mapped address, which the SRX translates (Juniper, "Understanding Static
# NAT", Junos Security 10.2, topic-42805: "The mapping includes destination IP address translation in one
# direction and source IP address translation in the reverse direction",
# https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-42805.html).
# The unit's input filter is stateless (a firewall filter decides every packet), so the replies are decided too.
SRX = """\
set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.1/24
set interfaces ge-0/0/1 unit 0 family inet address 10.0.0.1/24
set interfaces ge-0/0/1 unit 0 family inet filter input IN
set firewall family inet filter IN term a then accept
set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set routing-options static route 0.0.0.0/0 next-hop 203.0.113.254
set routing-options static route 10.0.0.0/8 next-hop 10.0.0.2
set security policies from-zone trust to-zone trust policy p match source-address any
set security policies from-zone trust to-zone trust policy p match destination-address any
set security policies from-zone trust to-zone trust policy p match application any
set security policies from-zone trust to-zone trust policy p then permit
set security nat static rule-set S from zone trust
set security nat static rule-set S rule r match destination-address 10.3.0.100/32
set security nat static rule-set S rule r then static-nat prefix 10.2.0.10/32
"""


def test_replies_routed_back_out_of_their_interface_after_a_nat_are_decided_not_a_crash():
    # connection() decides the replies with only the "final" view ({"final": rx}); run_path looked up
    # views["routed"] for every path that leaves by the interface it came in on: KeyError, and 'audit' stopped
    # with an internal error
    cfg, lines = parse_lines(SRX, "srx.set")
    assert lines.unaccounted() == [] and not cfg.unrecognized
    outs = connection(cfg, one_packet(make_packet("10.1.0.5", "10.3.0.100", "tcp", 40000, 445)))
    assert {(o.phase, o.kind) for o in outs} == {("new", PERMIT), ("established", PERMIT), ("reply", PERMIT)}
    # a filter that drops the replies: they come from a server behind the core router, back out of ge-0/0/1, and
    # reach the SRX only if the core sends them there (tests/test_back_out24.py): unknown, never let through
    cfg, _ = parse_lines(SRX.replace("term a then accept", "term a from source-address 10.1.0.0/16\n"
                                     "set firewall family inet filter IN term a then accept"), "srx.set")
    outs = connection(cfg, one_packet(make_packet("10.1.0.5", "10.3.0.100", "tcp", 40000, 445)))
    reply = [o for o in outs if o.phase == "reply"]
    assert [(o.kind, o.may_permit) for o in reply] == [(UNKNOWN, False)]


def test_a_change_that_lets_through_traffic_the_device_denied_wherever_it_reached_it_is_newly_permitted():
    # tests/test_back_out24.py's edge ASA: Workshop -> server traffic routed back out of 'inside' is unknown
    # (denied if a router behind 'inside' sends it to the ASA: Cisco ASA Series Command Reference,
    # 'same-security-traffic': "The same-security-traffic intra-interface command lets traffic enter and exit the
    # same interface").  Adding that command lets it through; the diff skipped every old 'unknown', so the newly
    # permitted traffic showed only the hosts of the connected network
    from auditor.diff import traffic_changes
    from parsers.cisco_asa import parse
    from tests.test_back_out24 import EDGE

    old = parse(EDGE, "old.cfg")
    new = parse(EDGE + "same-security-traffic permit intra-interface\n", "new.cfg")
    changes = traffic_changes(old, new)
    probe = one_packet(make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445))
    assert any(c.packets.overlaps(probe) for c in changes["permitted"])
    assert not any(c.packets.overlaps(probe) for c in changes["denied"] + changes["unknown"])
    # the other way round it is no longer let through, wherever it reaches the ASA: newly unknown, not a deny
    back = traffic_changes(new, old)
    assert any(c.packets.overlaps(probe) for c in back["unknown"])
    assert not any(c.packets.overlaps(probe) for c in back["denied"] + back["permitted"])

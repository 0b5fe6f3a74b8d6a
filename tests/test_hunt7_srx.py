"""Junos SRX: NAT, security policies, address books, applications and firewall filters checked against
Juniper's documentation with small synthetic configurations (hunt 7)."""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers.junos import parse_lines

BASE = """\
set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.1/24
set interfaces ge-0/0/1 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/2 unit 0 family inet address 10.2.0.1/24
set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone ws interfaces ge-0/0/1.0
set security zones security-zone srv interfaces ge-0/0/2.0
set routing-options static route 0.0.0.0/0 next-hop 203.0.113.254
"""


def parse(text: str):
    cfg, lines = parse_lines(BASE + text, "srx.set")
    assert lines.unaccounted() == []
    return cfg


def decide(cfg, src: str, dst: str, proto: str = "tcp", dport: int = 443, sport: int = 49152) -> str:
    return decision_json(cfg, make_packet(src, dst, proto, sport, dport))["decision"]


def policy(fz: str, tz: str, name: str, *lines: str) -> str:
    return "".join("set security policies from-zone %s to-zone %s policy %s %s\n" % (fz, tz, name, x) for x in lines)


PERMIT_OUT = policy("ws", "untrust", "out", "match source-address any", "match destination-address any",
                    "match application any", "then permit")


def test_source_nat_rule_sets_of_one_from_context_and_overlapping_to_contexts_are_not_a_fall_through():
    # Juniper, "Understanding NAT Rule Sets and Rules" (Junos Security 10.2): "It is possible for a packet to match
    # more than one rule set; in this case, the rule set with the more specific match is used ... In the case where
    # a packet matches more than one source NAT rule set, the rule set chosen is based on the following
    # source/destination conditions (in order of priority): 1. Source interface/destination interface 2. Source
    # zone/destination interface ... 5. Source zone/destination zone"; "Once a rule set is found that matches
    # specific traffic, each rule in the rule set is evaluated for a match."
    # https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-42804.html
    # S2 (to interface) is chosen over S1 (to zone) for every packet leaving by ge-0/0/0.0; its only rule does not
    # match 10.1.0.5, and whether the device then takes S1's rule is not documented.  The model took S1's pool,
    # which the output filter accepts: a pass where the device may send the packet untranslated, discarded.
    text = PERMIT_OUT + """\
set security nat source pool A address 203.0.113.10/32
set security nat source pool B address 203.0.113.20/32
set security nat source rule-set S1 from zone ws
set security nat source rule-set S1 to zone untrust
set security nat source rule-set S1 rule r match source-address 10.1.0.0/16
set security nat source rule-set S1 rule r then source-nat pool A
set security nat source rule-set S2 from zone ws
set security nat source rule-set S2 to interface ge-0/0/0.0
set security nat source rule-set S2 rule r match source-address 10.1.9.0/24
set security nat source rule-set S2 rule r then source-nat pool B
set interfaces ge-0/0/0 unit 0 family inet filter output OUT
set firewall family inet filter OUT term a from source-address 203.0.113.10/32
set firewall family inet filter OUT term a then accept
"""
    cfg = parse(text)
    assert decide(cfg, "10.1.0.5", "198.51.100.1") == "unknown"  # was: permit
    # the less specific rule set (to zone) is the line reported
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(len(BASE.splitlines()) + 7, "global")]
    # rule sets of the same specificity, or whose 'to' contexts do not overlap, are modelled
    cfg = parse(text.replace("S2 to interface ge-0/0/0.0", "S2 to zone srv"))
    assert not cfg.unrecognized
    assert decide(cfg, "10.1.0.5", "198.51.100.1") == "permit"


def test_a_name_in_a_zone_attached_book_and_in_the_global_book_is_not_resolved_by_a_guess():
    # Juniper, "Address Books and Address Sets" (Security Policies User Guide): a zone may be attached to an
    # address book besides the global one, which every zone has; no Juniper document for the device says which
    # entry a policy takes when both books hold the name.  Juniper's "NAT Global Address Book Overview" says only
    # that "Address name overlaps are possible between the global address book and zone address book. For example,
    # Security Director will attempt to match an address in the zone-based address book first" (what the
    # management application does, not the device):
    # https://www.juniper.net/documentation/en_US/junos-space22.2/topics/concept/junos-space-nat-global-address-book-overview.html
    # The parser took the zone's entry for certain: a permit of 10.2.0.10, which the device may not give.
    text = """\
set security address-book global address SRV 10.2.0.99/32
set security address-book B address SRV 10.2.0.10/32
set security address-book B attach zone srv
""" + policy("ws", "srv", "p", "match source-address any", "match destination-address SRV",
             "match application junos-smb-session", "then permit")
    cfg = parse(text)
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=445) == "unknown"  # was: permit
    assert decide(cfg, "10.1.0.5", "10.2.0.99", dport=445) == "unknown"  # was: deny
    assert decide(cfg, "10.1.0.5", "10.2.0.11", dport=445) == "deny"
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(len(BASE.splitlines()) + 2, "filter")]
    # the same addresses in both books, or a name in one book only, are certain
    cfg = parse(text.replace("10.2.0.99/32", "10.2.0.10/32"))
    assert not cfg.unrecognized
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=445) == "permit"
    cfg = parse(text.replace("global address SRV", "global address OTHER"))
    assert not cfg.unrecognized
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=445) == "permit"
    assert decide(cfg, "10.1.0.5", "10.2.0.99", dport=445) == "deny"

"""Junos stateless firewall filters (MX, EX, SRX packet-based paths): port names, configuration groups
inherited into filters and units, and address conditions, checked against Juniper's documentation with
small synthetic configurations (hunt 22)."""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers.junos import parse_lines

BASE = """\
set interfaces ge-0/0/0 unit 0 family inet address 10.30.0.1/24
set interfaces ge-0/0/1 unit 0 family inet address 10.20.0.1/24
"""
N = len(BASE.splitlines())


def parse(text: str):
    cfg, lines = parse_lines(BASE + text, "mx.set")
    assert lines.unaccounted() == []
    return cfg


def decide(cfg, src: str, dst: str, proto: str = "tcp", dport: int = 445, sport: int = 49152) -> str:
    return decision_json(cfg, make_packet(src, dst, proto, sport, dport))["decision"]


def reported(cfg) -> list[int]:
    return [d.source.line for d in cfg.unrecognized]


def test_port_names_with_a_hyphen_are_names_not_ranges():
    # Juniper, "Firewall Filter Match Conditions Based on Numbers or Text Aliases" and the Policy Framework
    # Configuration Guide's example 'source-port [ smtp ftp-data 25 1024-65535 ]' ("20 since it corresponds
    # to the text synonym ftp-data"): ftp-data, netbios-ssn, kerberos-sec... are aliases, not 'ftp' to 'data'
    cfg = parse("""\
set interfaces ge-0/0/0 unit 0 family inet filter input IN
set firewall family inet filter IN term smb from protocol tcp
set firewall family inet filter IN term smb from destination-port [ netbios-ssn 445 ]
set firewall family inet filter IN term smb then discard
set firewall family inet filter IN term rest then accept
""")
    assert not cfg.unrecognized
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=139) == "deny"
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=80) == "permit"
    cfg = parse("""\
set interfaces ge-0/0/0 unit 0 family inet filter input IN
set firewall family inet filter IN term ftp from protocol tcp
set firewall family inet filter IN term ftp from source-port [ ftp-data 1024-65535 ]
set firewall family inet filter IN term ftp then accept
""")
    assert not cfg.unrecognized
    assert decide(cfg, "10.30.0.5", "10.20.0.5", sport=20, dport=3000) == "permit"
    assert decide(cfg, "10.30.0.5", "10.20.0.5", sport=21, dport=3000) == "deny"


def test_a_group_with_wildcards_under_a_unit_or_filter_is_not_dropped():
    # Juniper, "Using Wildcards with Configuration Groups" (Junos CLI User Guide): '<*>' in a group matches
    # the names of the configuration where the group is applied, so 'interfaces <*> unit <*> family inet
    # filter input BLOCK' applied under ge-0/0/0 unit 0 binds BLOCK there (session 30: wildcard groups are
    # expanded over the configured objects whose names match; they were reported, the verdict unknown)
    cfg = parse("""\
set groups G interfaces <*> unit <*> family inet filter input BLOCK
set interfaces ge-0/0/0 unit 0 family inet apply-groups G
set firewall family inet filter BLOCK term all then discard
""")
    assert decide(cfg, "10.30.0.5", "10.20.0.5") == "deny"
    assert N + 2 not in reported(cfg)
    # a group's terms inherited by one filter ('<*>' matching its name)
    cfg = parse("""\
set groups G firewall family inet filter <*> term smb from destination-port 445
set groups G firewall family inet filter <*> term smb then discard
set interfaces ge-0/0/0 unit 0 family inet filter input IN
set firewall family inet filter IN apply-groups G
set firewall family inet filter IN term all then accept
""")
    assert decide(cfg, "10.30.0.5", "10.20.0.5") == "unknown"
    # a wildcard that does not match the name: nothing inherited there
    cfg = parse("""\
set groups G interfaces <xe-*> unit <*> family inet filter input BLOCK
set interfaces ge-0/0/0 unit 0 family inet apply-groups G
set firewall family inet filter BLOCK term all then discard
""")
    assert decide(cfg, "10.30.0.5", "10.20.0.5") == "permit"


def test_an_address_list_and_a_prefix_list_of_one_field_in_one_term_is_not_read_as_both():
    # Juniper, "Firewall Filter Match Conditions for IPv4 Traffic" lists source-address and
    # source-prefix-list as two conditions of the source address field; the documents do not say whether a
    # term naming both needs a packet to match both lists or either (within one condition, a match on any
    # value matches: "Understanding Firewall Filter Match Conditions"). Read as both, this discard term
    # matched nothing and 10.30.0.5 was a sure permit; now it is reported and the term's packets are maybe.
    cfg = parse("""\
set policy-options prefix-list WS 10.30.0.128/26
set interfaces ge-0/0/0 unit 0 family inet filter input IN
set firewall family inet filter IN term block from source-address 10.30.0.0/25
set firewall family inet filter IN term block from source-prefix-list WS
set firewall family inet filter IN term block then discard
set firewall family inet filter IN term rest then accept
""")
    assert decide(cfg, "10.30.0.5", "10.20.0.5") == "unknown"
    assert decide(cfg, "10.30.0.130", "10.20.0.5") == "unknown"
    assert decide(cfg, "10.30.0.200", "10.20.0.5") == "permit"  # in neither list
    assert N + 4 in reported(cfg)
    # one kind only (two prefix lists, or two address lines): either value matches, as before
    cfg = parse("""\
set policy-options prefix-list WS 10.30.0.0/25
set policy-options prefix-list OTHER 10.30.0.128/26
set interfaces ge-0/0/0 unit 0 family inet filter input IN
set firewall family inet filter IN term block from source-prefix-list WS
set firewall family inet filter IN term block from source-prefix-list OTHER
set firewall family inet filter IN term block then discard
set firewall family inet filter IN term rest then accept
""")
    assert not cfg.unrecognized
    assert decide(cfg, "10.30.0.5", "10.20.0.5") == "deny"
    assert decide(cfg, "10.30.0.130", "10.20.0.5") == "deny"
    assert decide(cfg, "10.30.0.200", "10.20.0.5") == "permit"


def test_port_except_matches_only_packets_with_neither_port_in_the_list():
    # Juniper, "Filter Match Conditions" (Policy Framework Configuration Guide): "If a packet matches a negated
    # condition, it is immediately considered not to match the from statement"; 'port 445' matches a packet
    # whose source or destination port is 445, so 'port-except 445' leaves out a packet to port 445 even
    # though its source port is not 445. Read as 'one port not in the list', the accept term below let
    # TCP to 445 through (a wrong permit).
    cfg = parse("""\
set interfaces ge-0/0/0 unit 0 family inet filter input IN
set firewall family inet filter IN term not-smb from protocol tcp
set firewall family inet filter IN term not-smb from port-except 445
set firewall family inet filter IN term not-smb then accept
""")
    assert not cfg.unrecognized
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=445) == "deny"
    assert decide(cfg, "10.30.0.5", "10.20.0.5", sport=445, dport=80) == "deny"
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=80) == "permit"
    # a discard term with 'port-except': a packet with one port in the list does not match it
    cfg = parse("""\
set interfaces ge-0/0/0 unit 0 family inet filter input IN
set firewall family inet filter IN term other from protocol tcp
set firewall family inet filter IN term other from port-except [ 80 443 ]
set firewall family inet filter IN term other then discard
set firewall family inet filter IN term rest then accept
""")
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=443) == "permit"
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=445) == "deny"


def test_a_filter_bound_through_an_interface_range_is_not_ignored():
    # Juniper, "Interface Ranges for Physical Interfaces": "you can apply a common configuration to the
    # specified interface range"; a filter on the range's unit 0 filters each member's unit 0. It was
    # ignored as a member setting, so ge-0/0/0.0 read as unfiltered (a wrong permit): now reported.
    cfg = parse("""\
set interfaces interface-range R member ge-0/0/0
set interfaces interface-range R mtu 9000
set interfaces interface-range R unit 0 family inet filter input BLOCK
set firewall family inet filter BLOCK term all then discard
""")
    assert decide(cfg, "10.30.0.5", "10.20.0.5") == "unknown"
    assert reported(cfg) == [N + 3]
    # members and settings without effect on filtering stay ignored
    cfg = parse("""\
set interfaces interface-range R member-range ge-0/0/2 to ge-0/0/5
set interfaces interface-range R description access
set interfaces interface-range R unit 0 family ethernet-switching vlan members v10
""")
    assert not cfg.unrecognized
    assert decide(cfg, "10.30.0.5", "10.20.0.5") == "permit"

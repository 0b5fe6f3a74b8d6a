"""Junos SRX: static NAT with a source match, application services in a policy's 'then permit', and
malformed statements Junos refuses to commit, checked against Juniper's documentation with small
synthetic configurations (hunt 8)."""

from __future__ import annotations

from auditor.api import make_packet
from tests.test_hunt7_srx import BASE, decide, parse, policy

N = len(BASE.splitlines())


def reported(cfg) -> list[tuple[int, str]]:
    return [(d.source.line, d.impact.value) for d in cfg.unrecognized]


SRV_OUT = policy("srv", "untrust", "o", "match source-address any", "match destination-address any",
                 "match application any", "then permit")
ONLY_PUBLIC = """\
set interfaces ge-0/0/0 unit 0 family inet filter output OUT
set firewall family inet filter OUT term a from source-address 203.0.113.5/32
set firewall family inet filter OUT term a then accept
"""


def test_the_reverse_of_a_static_nat_rule_with_a_source_match_is_not_taken_for_every_destination():
    # Juniper, "Understanding Static NAT" (Junos Security 10.2, topic-42805): "The mapping includes destination IP
    # address translation in one direction and source IP address translation in the reverse direction"
    # https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-42805.html
    # That is documented for rules matching the destination address only.  Newer releases let a static NAT rule
    # match the source address and port too ("Packet information: can be source addresses and ports, and
    # destination addresses and ports"), and no Juniper document found says whether that source match limits the
    # reverse translation, or whether 'mapped-port' is reversed on the source port.  The parser translated every
    # packet from 10.2.0.10 to 203.0.113.5, which the output filter accepts: a pass where the device may send the
    # packet untranslated (dropped by the filter).
    rule = "set security nat static rule-set S rule r "
    text = SRV_OUT + ONLY_PUBLIC + """\
set security nat static rule-set S from zone untrust
""" + rule + """match source-address 198.51.100.0/24
""" + rule + """match destination-address 203.0.113.5/32
""" + rule + """then static-nat prefix 10.2.0.10/32
"""
    cfg = parse(text)
    assert decide(cfg, "10.2.0.10", "192.0.2.1") == "unknown"  # was: permit
    # (reported at the rule, with the affected flows only unknown: the engine takes a post-routing rule's maybe
    # part as unknown where a later stage sees the packets leave)
    assert reported(cfg) == [(N + 9, "filter")]
    (rev,) = [r for n in cfg.nat for r in n.rules if r.label.endswith("(reverse)")]
    # the mirror of the match (to the matched sources) is translated in any reading; the rest may not be
    assert rev.match.contains(make_packet("10.2.0.10", "198.51.100.7", "tcp", 443, 49152))
    assert rev.maybe.contains(make_packet("10.2.0.10", "192.0.2.1", "tcp", 443, 49152))
    assert decide(cfg, "10.2.0.10", "198.51.100.7") == "permit"
    assert decide(cfg, "10.2.0.11", "192.0.2.1") == "deny"
    # a source port match, or a mapped port, is the same question
    cfg = parse(text.replace("match source-address 198.51.100.0/24", "match source-port 1024-65535"))
    assert decide(cfg, "10.2.0.10", "192.0.2.1") == "unknown"  # was: permit
    cfg = parse(text.replace("match source-address 198.51.100.0/24", "match destination-port 80")
                .replace("prefix 10.2.0.10/32", "prefix 10.2.0.10/32 mapped-port 8080"))
    assert decide(cfg, "10.2.0.10", "192.0.2.1", sport=8080) == "unknown"  # was: permit
    assert decide(cfg, "10.2.0.11", "192.0.2.1") == "deny"  # (another host: decided)
    # a rule matching the destination address only: its documented reverse, for every destination
    cfg = parse(text.replace(rule + "match source-address 198.51.100.0/24\n", ""))
    assert not cfg.unrecognized
    assert decide(cfg, "10.2.0.10", "192.0.2.1") == "permit"
    assert decide(cfg, "10.2.0.11", "192.0.2.1") == "deny"


def test_application_services_on_a_permit_are_read_after_the_application_services_keyword():
    # Juniper, "Example: Enabling IDP in a Security Policy (CLI)" (Junos Security 10.2): "set security policies
    # from-zone Zone1 to-zone Zone2 policy idp-app-policy-1 then permit application-services idp": the services
    # follow 'application-services'.  The parser compared the word after 'permit' with the service names, which
    # never matched: every application service was unknown.  AppQoS (application-traffic-control) rules only
    # mark, queue and rate-limit (Juniper, "rule-sets (CoS AppQoS)": then dscp-code-point, forwarding-class, log,
    # loss-priority, rate-limit; no drop or deny action)
    # https://juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/class-of-service-edit-rule-sets.html
    # so the policy permits for certain; IDP, UTM, the application firewall, security intelligence or SSL proxy
    # may drop some of the traffic the policy matches (unknown, at the service's line).
    base = policy("ws", "srv", "p", "match source-address any", "match destination-address any",
                  "match application junos-https")
    line = "set security policies from-zone ws to-zone srv policy p then permit application-services "
    cfg = parse(base + line + "application-traffic-control rule-set QOS\n")
    assert not cfg.unrecognized
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "permit"  # was: unknown
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "deny"
    for service in ("idp", "utm-policy P", "application-firewall rule-set AF", "security-intelligence-policy SI",
                    "ssl-proxy profile-name SP", "advanced-anti-malware-policy AAMW"):
        cfg = parse(base + line + service + "\n")
        assert reported(cfg) == [(N + 4, "filter")], service
        assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown", service
    # the service names are not read without 'application-services' (Junos has no 'then permit idp'): unknown,
    # where the parser took it for inspection that never refuses traffic (a permit)
    cfg = parse(base + "set security policies from-zone ws to-zone srv policy p then permit idp\n")
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"  # was: permit


# a destination NAT rule translating 203.0.113.5 to the pool 10.2.0.10, and a policy letting it in
DNAT_POOL = "set security nat destination pool P address 10.2.0.10/32\n"
DNAT_RULE = "set security nat destination rule-set D rule r "
DNAT = policy("untrust", "srv", "in", "match source-address any", "match destination-address any",
              "match application any", "then permit") + """\
set security nat destination rule-set D from zone untrust
""" + DNAT_RULE + "match destination-address 203.0.113.5/32\n" + DNAT_RULE + "then destination-nat pool P\n" + DNAT_POOL


def test_nat_statements_missing_a_value_are_reported_not_read_as_a_guess():
    # Juniper's statement syntax for these ("destination-address (Destination NAT)": one address or subnet;
    # "address (Security Destination NAT Pool)": 'address ip-address (port port-number | to ip-address)';
    # "security nat" hierarchy, Junos 13.2:
    # https://juniper.net/documentation/en_US/junos13.2/topics/reference/statement-hierarchy/security-nat.html):
    # 'to' and 'port' take a value, and the CLI refuses to commit a statement without it.  The parser read such a
    # statement without its missing part (the lower address alone, the pool's address without its port, the first
    # mapped port), a translation the device never makes.
    pool, text = DNAT_POOL, DNAT
    cfg = parse(text)
    assert not cfg.unrecognized
    assert decide(cfg, "198.51.100.7", "203.0.113.5") == "permit"
    for bad, line in (("match destination-address 203.0.113.5/32 to", N + 6),
                      ("match destination-address 203.0.113.5/32 203.0.113.9/32", N + 6),
                      ("match destination-port 80 to", N + 6)):
        cfg = parse(text.replace("match destination-address 203.0.113.5/32", bad))
        assert reported(cfg) == [(line, "global")], bad  # was: [] (203.0.113.5 alone, 80 alone)
        assert decide(cfg, "198.51.100.7", "203.0.113.5") == "unknown", bad
    for bad in ("address 10.2.0.10/32 to", "address 10.2.0.10/32 port", "address 10.2.0.10/32 10.2.0.11/32"):
        cfg = parse(text.replace(pool, "set security nat destination pool P %s\n" % bad))
        assert (N + 8, "global") in reported(cfg), bad  # was: [] (the pool's address, no port)
        assert decide(cfg, "198.51.100.7", "203.0.113.5") == "unknown", bad
    # a mapped port range on a rule matching one port: not a one-to-one port translation
    static = """\
set security nat static rule-set S from zone untrust
set security nat static rule-set S rule r match destination-address 203.0.113.5/32
set security nat static rule-set S rule r match destination-port 80
set security nat static rule-set S rule r then static-nat prefix 10.2.0.10/32 mapped-port 8080 to 8081
"""
    cfg = parse(SRV_OUT + static)
    # (reported at the rule's first line; was: 8080 taken as the mapped port, only the reverse reported)
    assert reported(cfg) == [(N + 6, "global")]
    assert "static-nat option 'mapped-port' not modelled" in cfg.unrecognized[0].message
    assert decide(cfg, "198.51.100.7", "203.0.113.5", dport=80) == "unknown"


def test_a_static_nat_rule_with_more_than_a_destination_address_leaves_only_the_flows_it_may_translate_unknown():
    # The same rule as above (the reverse of static NAT, Juniper, "Understanding Static NAT", topic-42805): the
    # mirror of the match is translated in any reading, the rest of the host's traffic may or may not be.  That
    # rest is the reverse rule's maybe part, which the engine takes as unknown on paths whose later stage (here
    # the output filter) sees the packets leave; the rest of the device's flows do not depend on it.  The rule was
    # reported with a global impact, every verdict of the configuration unknown.
    rule = "set security nat static rule-set S rule r "
    text = SRV_OUT + ONLY_PUBLIC + policy("ws", "srv", "p", "match source-address any",
                                          "match destination-address any", "match application junos-https",
                                          "then permit") + """\
set security nat static rule-set S from zone untrust
""" + rule + """match destination-address 203.0.113.5/32
""" + rule + """match destination-port 80
""" + rule + """then static-nat prefix 10.2.0.10/32
"""
    cfg = parse(text)
    assert [d.impact.value for d in cfg.unrecognized] == ["filter"]
    assert not cfg.verdict_affecting()
    assert decide(cfg, "10.2.0.10", "192.0.2.1") == "unknown"  # (may leave untranslated: the filter drops it)
    # the mirror of the match: from port 80 of the host, translated to 203.0.113.5 in any reading
    assert decide(cfg, "10.2.0.10", "192.0.2.1", sport=80) == "permit"  # was: unknown
    # flows the rule does not touch: decided
    assert decide(cfg, "10.2.0.11", "192.0.2.1") == "deny"  # was: unknown
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "permit"  # was: unknown
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "deny"  # was: unknown


def test_a_destination_nat_rule_with_two_destination_addresses_is_reported_not_taken_as_both():
    # Juniper, "destination-address (Destination NAT Services Gateway)" (JUNOS Software 9.3 CLI reference,
    # https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/destination-address.html):
    # "destination-address destination-address;" ... "You can configure one address or a subnet", where the
    # rule's source-address is a list ("[source-address]", "You can configure multiple addresses or subnets"); the
    # 'security nat' hierarchy (Junos 13.2) gives static NAT's the same single form.  No Juniper document found says
    # whether a second statement replaces the first or is refused at commit; the device never matches both.  The
    # parser matched the union: 203.0.113.9 was translated to the pool like 203.0.113.5 (a permit).
    rule, text = DNAT_RULE, DNAT
    cfg = parse(text)
    assert not cfg.unrecognized
    assert decide(cfg, "198.51.100.7", "203.0.113.5") == "permit"
    second = rule + "match destination-address 203.0.113.9/32\n"
    cfg = parse(text + second)
    assert reported(cfg) == [(N + 9, "global")]  # was: [] (both addresses translated)
    assert "a second destination address" in cfg.unrecognized[0].message
    assert decide(cfg, "198.51.100.7", "203.0.113.9") == "unknown"  # was: permit
    assert decide(cfg, "198.51.100.7", "203.0.113.5") == "unknown"  # (the first may be replaced)
    # the same address twice: one value either way
    cfg = parse(text + rule + "match destination-address 203.0.113.5/32\n")
    assert not cfg.unrecognized
    assert decide(cfg, "198.51.100.7", "203.0.113.5") == "permit"
    # a source NAT rule's destination-address is a list ("[destination-address]", rule-set (Source NAT Services
    # Gateway), same reference): both are matched
    src = """\
set security nat source rule-set O from zone srv
set security nat source rule-set O to zone untrust
set security nat source rule-set O rule s match destination-address 192.0.2.0/24
set security nat source rule-set O rule s match destination-address 198.51.100.0/24
set security nat source rule-set O rule s then source-nat interface
"""
    cfg = parse(SRV_OUT + ONLY_PUBLIC.replace("203.0.113.5/32", "203.0.113.1/32") + src)
    assert not cfg.unrecognized
    assert decide(cfg, "10.2.0.10", "198.51.100.7") == "permit"
    assert decide(cfg, "10.2.0.10", "192.0.2.1") == "permit"

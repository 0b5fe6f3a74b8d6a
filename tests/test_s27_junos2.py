"""Junos: which decisions of an uncertain policy or filter term are certain (``Rule.sure_action``), and filter
actions that send packets past the security policies (session 27).

Documents cited (Juniper Networks):

* [TERM] "Firewall Filter Terminating Actions", Routing Policies, Firewall Filters and Traffic Policers User Guide
  (https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-actions-terminating.html):
  "A filter-terminating action halts all evaluation of a firewall filter for a specific packet"; accept, discard,
  reject; routing-instance, next-ip, ... send the packet elsewhere.
* [NONTERM] "Firewall Filter Nonterminating Actions" (same guide,
  .../firewall-filter-actions-nonterminating.html): "nonterminating actions ... include an implicit accept action"
  (count, policer, forwarding-class, loss-priority, sample, port-mirror, ...).
* [PKTMODE] KB26757, "How to selectively bypass the flow daemon" (https://kb.juniper.net/InfoCenter/index?page=content&id=KB26757):
  a filter term "then packet-mode" ("Bypass the flow daemon") lets the traffic it matches through "without being
  processed by the flow module"; "Packet-Based Forwarding" (Flow-Based and Packet-Based Processing User Guide):
  in packet mode "filters and policers are applied", no security policy.
* [NHG] Junos XML API configuration reference, firewall filter ``then``: "<next-hop-group>—Use specified next-hop
  group"; "Configuring a Load-Balance Group" (Junos 9.3 policy guide): next-hop groups are "multiple interfaces
  used to forward duplicate packets used in port mirroring" -- not the route the model follows.
* [THEN] "policies" / "permit" statement (Junos Software CLI reference, [edit security policies ... then]):
  ``permit { application-services ...; destination-address { drop-translated; drop-untranslated; }
  firewall-authentication ...; tcp-options ...; tunnel { ipsec-vpn ...; } }``, ``deny``, ``reject``; "Example:
  Enabling IDP in a Security Policy": "then permit application-services idp" -- IDP may drop traffic the policy
  permits.
* [UNIFIED] "Unified Policies" (Security Policies User Guide): a policy matching ``dynamic-application`` acts
  "once the application is identified and a matching policy is found"; else later policies apply.

Expected decisions are read from these documents, not from the tool.
"""

from __future__ import annotations

import pytest

from parsers.junos import parse_lines
from tests.test_hunt7_srx import BASE, decide, policy

N = len(BASE.splitlines())
ALL_OUT = policy("ws", "untrust", "out", "match source-address any", "match destination-address any",
                 "match application any", "then permit")
POLICER = ("set firewall policer P if-exceeding bandwidth-limit 1m\n"
           "set firewall policer P if-exceeding burst-size-limit 15k\n"
           "set firewall policer P then discard\n")


def parse(text: str):
    cfg, _lines = parse_lines(BASE + text, "srx.set")
    return cfg


def uncertain_term(action: str, last: str) -> str:
    """An input filter on ws whose first term's match is not modelled (tcp-flags), then 'term b then LAST'."""
    return ("set interfaces ge-0/0/1 unit 0 family inet filter input IN\n"
            "set firewall family inet filter IN term a from protocol tcp\n"
            "set firewall family inet filter IN term a from tcp-flags \"syn & !ack\"\n"
            "set firewall family inet filter IN term a then %s\n"
            "set firewall family inet filter IN term b then %s\n" % (action, last))


@pytest.mark.parametrize("action", ["accept", "count c", "policer P", "forwarding-class expedited-forwarding",
                                    "loss-priority high", "sample", "port-mirror", "log"])
def test_a_term_that_may_match_accepts_for_certain_with_an_accepting_action(action):  # [TERM] [NONTERM]
    # term a may match (tcp-flags); when it does it accepts, and term b accepts the rest: accepted either way,
    # then the permit-all policy
    cfg = parse(ALL_OUT + POLICER + uncertain_term(action, "accept"))
    assert decide(cfg, "10.1.0.5", "198.51.100.7") == "permit", action
    # against a discarding term b the two ways differ: unknown
    cfg = parse(ALL_OUT + POLICER + uncertain_term(action, "discard"))
    assert decide(cfg, "10.1.0.5", "198.51.100.7") == "unknown", action


@pytest.mark.parametrize("action", ["discard", "reject", "reject tcp-reset"])
def test_a_term_that_may_match_discards_for_certain(action):  # [TERM]
    cfg = parse(ALL_OUT + uncertain_term(action, "discard"))
    assert decide(cfg, "10.1.0.5", "198.51.100.7") == "deny", action
    cfg = parse(ALL_OUT + uncertain_term(action, "accept"))
    assert decide(cfg, "10.1.0.5", "198.51.100.7") == "unknown", action


@pytest.mark.parametrize("action", ["routing-instance R", "next-ip 10.2.0.9/32", "packet-mode", "next-hop-group G"])
def test_a_term_that_sends_its_packets_elsewhere_is_never_certain(action):  # [TERM] [PKTMODE] [NHG]
    # where its packets go is not modelled: whatever term b does, the packets it may match stay unknown
    for last in ("accept", "discard"):
        cfg = parse(ALL_OUT + uncertain_term(action, last))
        assert decide(cfg, "10.1.0.5", "198.51.100.7") == "unknown", (action, last)
        assert not [r for f in cfg.filters.values() for r in f.rules if r.note == "term a"][0].sure_action


def test_next_term_decides_nothing():  # [NONTERM]: 'next term' goes on to term b
    for last, want in (("accept", "permit"), ("discard", "deny")):
        extra = "term a then count c\nset firewall family inet filter IN term a then next term\n"
        text = uncertain_term("next term", last).replace("term a then next term\n", extra)
        cfg = parse(ALL_OUT + text)
        assert decide(cfg, "10.1.0.5", "198.51.100.7") == want


BYPASS = ("set interfaces ge-0/0/1 unit 0 family inet filter input bypass\n"
          "set firewall family inet filter bypass term t1 from destination-address 198.51.100.0/24\n"
          "set firewall family inet filter bypass term t1 then count c1\n"
          "set firewall family inet filter bypass term t1 then packet-mode\n"
          "set firewall family inet filter bypass term t3 then accept\n")


def test_packet_mode_packets_are_not_denied_by_the_security_policies():  # [PKTMODE]
    # before: the packet-mode term was taken as a plain accept, and the policies' default deny-all (or an explicit
    # deny) answered DENY for packets the device forwards without any policy lookup
    deny = policy("ws", "untrust", "no", "match source-address any", "match destination-address any",
                  "match application any", "then deny")
    for text in (BYPASS, BYPASS + deny):
        cfg = parse(text)
        assert decide(cfg, "10.1.0.5", "198.51.100.7") == "unknown"
        # packets the term does not match are flow-processed: the policies decide them
        assert decide(cfg, "10.1.0.5", "192.0.2.7") == "deny"
    assert [d.source.line for d in parse(BYPASS).diagnostics] == [N + 4]


OUT_DENY = ("set interfaces ge-0/0/0 unit 0 family inet filter output OUT\n"
            "set firewall family inet filter OUT term a from destination-address 198.51.100.0/24\n"
            "set firewall family inet filter OUT term a then discard\n"
            "set firewall family inet filter OUT term b then accept\n")


@pytest.mark.parametrize("match", ["match dynamic-application junos:FACEBOOK-ACCESS", "match source-identity alice"])
def test_a_policy_that_may_match_then_an_output_discard_is_denied(match):  # [UNIFIED] [TERM]
    cfg = parse(policy("ws", "untrust", "app", "match source-address any", "match destination-address any",
                       "match application any", match, "then permit") + OUT_DENY)
    # permitted by 'app' or denied by the default: the output filter discards it either way
    assert decide(cfg, "10.1.0.5", "198.51.100.7") == "deny"
    # elsewhere the two ways differ
    assert decide(cfg, "10.1.0.5", "192.0.2.7") == "unknown"


@pytest.mark.parametrize("then", ["then permit application-services idp",
                                  "then permit application-services utm-policy U",
                                  "then permit firewall-authentication pass-through client-match u",
                                  "then permit destination-address drop-untranslated"])
def test_a_permit_that_may_refuse_is_not_a_certain_action(then):  # [THEN]
    cfg = parse(policy("ws", "untrust", "app", "match source-address any", "match destination-address any",
                       "match application any", "match source-identity alice", then) + policy(
        "ws", "untrust", "all", "match source-address any", "match destination-address any",
        "match application any", "then permit"))
    [app] = [r for r in cfg.filters["ws->untrust"].rules if r.note == "policy app"]
    assert not app.sure_action
    assert decide(cfg, "10.1.0.5", "192.0.2.7") == "unknown"
    # the plain permit is certain: 'app' or 'all' permits it
    cfg = parse(policy("ws", "untrust", "app", "match source-address any", "match destination-address any",
                       "match application any", "match source-identity alice", "then permit") + policy(
        "ws", "untrust", "all", "match source-address any", "match destination-address any",
        "match application any", "then permit"))
    assert decide(cfg, "10.1.0.5", "192.0.2.7") == "permit"

"""State timeouts: the optimization profile, pfSense's TCP Established timeout, per-rule state timeouts.

Sources:
* pfctl's optimization hint tables (FreeBSD/OpenBSD sbin/pfctl/pfctl.c ``pf_hint_normal``,
  ``pf_hint_satellite``, ``pf_hint_conservative``, ``pf_hint_aggressive``): tcp.established
  24*60*60 (normal, high-latency = satellite), 5*24*60*60 (conservative), 5*60*60 (aggressive);
* pf.conf(5), OPTIONS "set optimization" (https://man.freebsd.org/pf.conf(5)): "aggressive: Aggressively
  expire connections. This can greatly reduce the memory usage of the firewall at the cost of dropping idle
  connections early"; "set timeout ... tcp.established: The state after a TCP connection is fully
  established"; state options "keep state (tcp.established 60)";
* pfSense filter.inc: ``set optimization`` then ``set timeout { tcp.established N }`` from
  ``system/tcpestablishedtimeout`` (System > Advanced > Firewall & NAT); a rule's ``statetimeout`` is
  ``tcp.established N`` for tcp, tcp/udp and any-protocol rules, ``udp.multiple`` only for udp rules.
"""

import pytest
from pf_helpers import at, line_of, parse, pfsense, rule

from auditor.api import audit
from auditor.policy import load_site

SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])


@pytest.mark.parametrize("profile, secs", [("normal", 86400), ("high-latency", 86400), ("conservative", 432000),
                                           ("aggressive", 18000)])
def test_optimization_profile_sets_tcp_established(profile, secs):
    text = pfsense(rule("opt1", "pass")).replace("<optimization>normal</optimization>",
                                                 "<optimization>%s</optimization>" % profile)
    cfg = parse(text)
    t = cfg.timeouts[-1]
    assert t.idle_seconds == secs and t.source.line == line_of(text, "<optimization>")
    assert profile in t.label


def test_no_optimization_is_normal_the_default():
    text = pfsense(rule("opt1", "pass")).replace("<optimization>normal</optimization>", "")
    t = parse(text).timeouts[-1]
    assert t.idle_seconds == 86400 and t.default and t.source is None


def test_tcp_established_timeout_overrides_the_profile():
    text = pfsense(rule("opt1", "pass"), system="<tcpestablishedtimeout>3600</tcpestablishedtimeout>")
    text = text.replace("<optimization>normal</optimization>", "<optimization>conservative</optimization>")
    t = parse(text).timeouts[-1]
    assert t.idle_seconds == 3600 and t.source.line == line_of(text, "<tcpestablishedtimeout>")


def test_bad_profile_is_reported_in_the_timeouts_scope():
    text = pfsense("").replace("<optimization>normal</optimization>", "<optimization>fast</optimization>")
    cfg = parse(text)
    assert [d.scope for d in cfg.unrecognized] == ["timeouts"]


def test_per_rule_state_timeout_is_a_timeout_of_that_rule():
    text = pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address>",
                        extra="<statetimeout>7200</statetimeout>", descr="short")
                   + rule("opt1", "pass", proto="udp", extra="<statetimeout>60</statetimeout>", descr="udp only"))
    cfg = parse(text)
    per_rule = [t for t in cfg.timeouts if t.rule is not None]
    assert len(per_rule) == 1  # the UDP rule's timeout is udp.multiple: not TCP
    t = per_rule[0]
    f = cfg.filters[t.rule[0]]
    assert f.rules[t.rule[1]].source.line == at(text, "short")
    assert t.idle_seconds == 7200 and t.source.line == line_of(text, "<statetimeout>7200")
    assert t.match.contains((0xFFFF0A1E0005, 0xFFFF0A14000A, 6, 40000, 445))
    assert not t.match.contains((0xFFFF0A1E0005, 0xFFFF0A14000B, 6, 40000, 445))
    assert cfg.timeouts[-1].rule is None  # the global one comes last


def test_prn120_from_the_aggressive_profile_and_a_rule_timeout():
    # connections Workshop -> server take the rule's timeout, server -> Workshop the global one
    text = pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address>",
                        extra="<statetimeout>7200</statetimeout>", descr="short") + rule("lan", "pass"))
    text = text.replace("<optimization>normal</optimization>", "<optimization>aggressive</optimization>")
    result = audit([parse(text)], SITE)
    lines = {f.source.line for f in result.findings if f.rule_id == "PRN120"}
    assert line_of(text, "<statetimeout>") in lines
    assert line_of(text, "<optimization>") in lines


def test_only_connections_the_firewall_passes_count():
    text = pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address>",
                        extra="<statetimeout>7200</statetimeout>", descr="short"))
    text = text.replace("<optimization>normal</optimization>", "<optimization>aggressive</optimization>")
    result = audit([parse(text)], SITE)
    assert {f.source.line for f in result.findings if f.rule_id == "PRN120"} == {line_of(text, "<statetimeout>")}


def test_normal_profile_passes_prn120():
    result = audit([parse(pfsense(rule("opt1", "pass")))], SITE)
    assert not [f for f in result.findings if f.rule_id == "PRN120"]


def test_a_rule_timeout_longer_than_the_global_one_does_not_lift_it():
    # A connection through pfSense has two states, "One entering the firewall and one exiting the firewall"
    # (pfSense documentation, Monitoring, "Show States",
    # https://deploy-preview-90--pfsense-docs.netlify.com/monitoring/show-states): the rule's 24 h is the
    # inbound state's, the outbound one (the generated 'pass out all keep state') keeps the aggressive
    # profile's 5 h, and the connection ends when that one expires.
    text = pfsense(rule("opt1", "pass", proto="tcp", extra="<statetimeout>86400</statetimeout>", descr="long")
                   + rule("lan", "pass", proto="tcp", extra="<statetimeout>86400</statetimeout>", descr="long2"))
    text = text.replace("<optimization>normal</optimization>", "<optimization>aggressive</optimization>")
    cfg = parse(text)
    assert [t.idle_seconds for t in cfg.timeouts] == [18000, 86400, 86400]
    result = audit([cfg], SITE)
    found = [f for f in result.findings if f.rule_id == "PRN120"]
    assert [(f.source.line, f.status) for f in found] == [(line_of(text, "<optimization>"), "fail")]
    assert "5:00:00" in found[0].message


def test_a_rule_timeout_shorter_than_the_global_one_still_applies():
    text = pfsense(rule("opt1", "pass", proto="tcp", extra="<statetimeout>7200</statetimeout>", descr="short")
                   + rule("lan", "pass", proto="tcp", descr="plain"),
                   system="<tcpestablishedtimeout>28800</tcpestablishedtimeout>")
    result = audit([parse(text)], SITE)
    assert {f.source.line for f in result.findings if f.rule_id == "PRN120"} == {line_of(text, "<statetimeout>")}

"""Each anomaly finding's example packet is one that reaches the rules the finding names and is
decided as the finding says (first match over the filter's rules):

* ACL200 (shadowed): an earlier line the finding names decides it, one of the other action;
* ACL201 upward: an earlier line the finding names decides it, as the rule would;
* ACL201 downward: the rule decides it, and without the rule a line the finding names (the
  filter's default, when it names none) decides it the same way; every line named decides some
  packet the rule decides, and the default too when the finding says so ("and the filter's
  default"), and only then;
* ACL202 (conflict): the earlier line the finding names decides it.

First match is the device's order: Cisco ASA, "The order of the access rules is very important.
While processing each packet ... the ASA examines if the packet matches any of the access rule
criterion in a sequential order and if a match happens, it implements the action of that access
rule" (Cisco ASA for Nexus 1000V, technical manual, "access rules"; Cisco ASA 9.1 configuration
guide, "Information About Access Control Lists"); iptables(8), TARGETS: "If the packet does not
match, the next rule in the chain is examined; if it does match, then the next rule is specified by
the value of the target ... ACCEPT, DROP" (https://linux.die.net/man/8/iptables), and a built-in
chain's end applies its policy.
"""

from __future__ import annotations

from hypothesis import given, settings
from test_anomalies import DEFAULTS, UNIVERSE, build, decide, gappy_specs, specs

from auditor.api import audit, decision_json
from auditor.core.model import Action
from auditor.engine.anomalies import CONFLICT, REDUNDANT_DOWN, REDUNDANT_UP, SHADOWED, analyse
from auditor.policy import load_site
from parsers.cisco_asa import parse as parse_asa
from parsers.linux import iptables


def _claim_holds(rules, a, default) -> bool:
    """The finding's claim about its example packet, by first match over ``rules``."""
    p = a.example
    if not a.rule.match.contains(p):
        return False
    first = decide(rules, p, default)[1]
    named = list(a.others)
    if a.kind in (SHADOWED, REDUNDANT_UP):
        return first is not None and any(first is o for o in named) and first.index < a.rule.index and (
            (first.action is a.rule.action) == (a.kind == REDUNDANT_UP))
    if a.kind == CONFLICT:
        return first is named[0]
    assert a.kind == REDUNDANT_DOWN
    without = [r for r in rules if r is not a.rule]
    after = decide(without, p, default)
    if first is not a.rule or after[0] is not a.rule.action:
        return False
    if not named:
        return after[1] is None
    # and every line named decides some packet the rule decides, without it, and the default does
    # when the finding says so
    mine = [q for q in UNIVERSE if a.rule.match.contains(q) and decide(rules, q, default)[1] is a.rule]
    return any(after[1] is o for o in named) and all(
        any(decide(without, q, default)[1] is o for q in mine) for o in named) and (
        a.default == any(decide(without, q, default)[1] is None for q in mine))


def _check(spec, default):
    rules = build(spec)
    for a in analyse(rules, default):
        assert _claim_holds(rules, a, default), (a.kind, a.rule.index, [o.index for o in a.others], a.example)


@settings(max_examples=300, deadline=None)
@given(specs, DEFAULTS)
def test_every_example_is_decided_as_its_finding_says(spec, default):
    _check(spec, default)


@settings(max_examples=200, deadline=None)
@given(gappy_specs, DEFAULTS)
def test_every_example_of_rules_that_are_not_boxes_is_decided_as_its_finding_says(spec, default):
    _check(spec, default)


ASA = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif outside
 security-level 0
 ip address 10.2.0.1 255.255.0.0
%s
access-group IN in interface inside
"""


def _asa_findings(*lines):
    cfg = parse_asa(ASA % "\n".join("access-list IN extended " + x for x in lines), "asa.cfg")
    found = {(f.rule_id, f.source.line): f for f in audit([cfg], load_site(None, [])).findings
             if f.rule_id in ("ACL200", "ACL201", "ACL202")}
    return cfg, found


def _decider(cfg, example) -> int | None:
    """The line of filter IN that decides the packet (``explain``'s answer within the filter)."""
    return decision_json(cfg, example, "IN")["line"]


def test_a_conflict_example_is_one_the_line_it_names_decides():
    """Line 13 (permit tcp any any) overlaps line 12 (deny tcp 10.1.0.0/24), which decides only
    10.1.0.128-255 of it: line 11 permits the lower half first.  The example was 10.1.0.2, which
    line 11 decides, not line 12."""
    cfg, found = _asa_findings("permit tcp 10.1.0.0 255.255.255.128 any", "deny tcp 10.1.0.0 255.255.255.0 any",
                               "permit tcp any any")
    f = found[("ACL202", 13)]
    assert [s.line for s in f.related] == [12]
    assert _decider(cfg, f.example) == 12


def test_no_conflict_with_a_line_that_decides_none_of_the_rule():
    """Line 12 (permit tcp host 10.1.0.5 eq 80) is shadowed by line 11 (deny from that host):
    it decides no packet, so line 13 (deny tcp any any) does not conflict with it: no earlier
    permit decides any packet line 13 matches."""
    _cfg, found = _asa_findings("deny ip host 10.1.0.5 any", "permit tcp host 10.1.0.5 any eq 80",
                                "deny tcp any any")
    assert ("ACL200", 12) in found
    assert ("ACL202", 13) not in found


def test_a_shadowed_rule_example_is_decided_otherwise():
    """Line 13 repeats line 12's permit, but line 11 denies one source first: the rule is
    shadowed (ACL200, covered by lines 11 and 12), and its example is a packet line 11 denies,
    not one line 12 permits as line 13 would."""
    cfg, found = _asa_findings("deny ip host 198.51.100.7 any", "permit udp any host 10.2.0.53 eq domain",
                               "permit udp any host 10.2.0.53 eq domain")
    f = found[("ACL200", 13)]
    assert sorted(s.line for s in f.related) == [11, 12]
    assert _decider(cfg, f.example) == 11


def test_an_upward_redundant_example_is_decided_by_the_line_named():
    """Line 13 (permit udp from 10.1.5.5) is inside line 12 (permit udp from 10.1.5.0/24), but
    line 11 permits its ports 1024-2000 first: the example was udp 10.1.5.5 -> port 1024,
    which line 11 decides; the finding names line 12."""
    cfg, found = _asa_findings("permit udp host 10.1.5.5 any range 1024 2000", "permit udp 10.1.5.0 255.255.255.0 any",
                               "permit udp host 10.1.5.5 any")
    f = found[("ACL201", 13)]
    assert [s.line for s in f.related] == [12]
    assert _decider(cfg, f.example) == 12


def test_a_downward_redundant_rule_names_only_lines_that_decide_its_packets():
    """FORWARD's policy is ACCEPT (line 3, a rule at the chain's end).  Line 6 accepts tcp; line 5
    accepts everything from 10.0.0.0/8 before it, so line 6 decides tcp from elsewhere only.
    Line 7 (accept tcp from 10.1.0.0/16) meets line 6 only where line 5 decides: without line 6
    the policy accepts its packets, line 7 none of them.  The finding named lines 3 and 7."""
    text = "\n".join(["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                      "-A FORWARD -s 10.0.0.0/8 -j ACCEPT", "-A FORWARD -p tcp -j ACCEPT",
                      "-A FORWARD -s 10.1.0.0/16 -p tcp -j ACCEPT", "COMMIT"]) + "\n"
    cfg = iptables.parse(text, "fw.rules")
    found = {(f.rule_id, f.source.line): f for f in audit([cfg], load_site(None, [])).findings}
    f = found[("ACL201", 6)]
    assert [s.line for s in f.related] == [3]
    assert decision_json(cfg, f.example, "FORWARD")["line"] == 6
    without = iptables.parse(text.replace("-A FORWARD -p tcp -j ACCEPT\n", ""), "fw.rules")
    assert decision_json(without, f.example, "FORWARD")["line"] == 3
    assert decision_json(without, f.example, "FORWARD")["decision"] == "permit"


def test_workers_keep_that_a_redundant_rule_has_more_deciders(monkeypatch):
    """A downward-redundant rule whose deciders are the first ``LISTED`` of more says so ("and
    more", ``Anomaly.more``) when analysed in worker processes as when analysed in the parent:
    the workers' results dropped it, so the finding said only the first lines decide its packets."""
    import auditor.engine.anomalies as CA

    lines = ["access-list OUT extended deny ip host 198.51.%d.%d any" % (k // 250, k % 250 + 1) for k in range(300)]
    lines += ["access-list OUT extended deny ip any host 10.1.1.1"]
    lines += ["access-list OUT extended deny ip host 203.0.%d.%d any" % (k // 250, k % 250 + 1) for k in range(100)]
    lines += ["access-list OUT extended deny ip any 10.1.1.0 255.255.255.0",
              "access-list OUT extended permit tcp any any eq https"]
    cfg = parse_asa("\n".join(lines) + "\naccess-group OUT in interface outside\n", "t.cfg")
    jobs = [(cfg.filters["OUT"], Action.DENY, None)]
    monkeypatch.setattr(CA, "_BUDGET", 4)  # (asked one by one: as after a long blacklist)
    monkeypatch.setenv("PRINERGY_AUDIT_WORKERS", "2")  # (whatever the machine's load)

    def line_301(parallel_at):
        return [(a.kind, a.more, len(a.others)) for a in CA.analyse_filters(jobs, parallel_at=parallel_at)[0]
                if a.rule.source.line == 301]

    serial = line_301(10 ** 9)
    assert serial == [(CA.REDUNDANT_DOWN, True, CA.LISTED)]
    assert line_301(0) == serial


def test_a_downward_redundant_rule_says_when_the_default_decides_part_of_its_packets():
    """Without line 11 (deny tcp from 10.1.0.0/16), line 12 (deny tcp from 10.0.0.0/8 to port 80)
    denies its port-80 packets and the implicit deny the rest (Cisco ASA, "Access Rules",
    Implicit Deny: traffic no rule of an interface's access list permits is denied).  The
    finding said only line 12 decides them."""
    cfg, found = _asa_findings("deny tcp 10.1.0.0 255.255.0.0 any", "deny tcp 10.0.0.0 255.0.0.0 any eq www",
                               "permit udp any any")
    f = found[("ACL201", 11)]
    assert f.message == "redundant: without it, line 12 and the filter's default decide the same packets the same way"
    assert _decider(cfg, f.example) == 11

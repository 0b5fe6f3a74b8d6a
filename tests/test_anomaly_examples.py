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

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from test_anomalies import DEFAULTS, UNIVERSE, build, cubes, decide, gappy_specs, specs

from auditor.api import audit, decision_json
from auditor.core.model import Action, Rule, Source
from auditor.core.packets import PacketSet
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


# --- rules that may match (``Rule.maybe``: an FQDN object, an App-ID application, a schedule, a
# user), with their action known (``sure_action``) or not

unsure_specs = st.lists(st.tuples(st.sampled_from([Action.PERMIT, Action.DENY]), st.lists(cubes, max_size=2),
                                  st.lists(cubes, max_size=1), st.booleans()), min_size=1, max_size=7)


def build_unsure(spec):
    return [Rule("F", i, a, PacketSet(cs), Source("t", i + 1, "r%d" % i), maybe=PacketSet(ms), sure_action=sure)
            for i, (a, cs, ms, sure) in enumerate(spec)]


def _worlds(rules, p):
    """Every way the rules that may match ``p`` can go: the set of those that do match it."""
    doubtful = [r for r in rules if not r.match.contains(p) and r.maybe.contains(p)]
    for bits in itertools.product((False, True), repeat=len(doubtful)):
        yield {id(r) for r, b in zip(doubtful, bits, strict=True) if b}


def _decide_in(rules, p, default, world):
    """(action, rule) of the first rule matching ``p`` in ``world``; a rule that may match has an
    unknown action unless ``sure_action`` (a token of its own: neither permit nor deny)."""
    for r in rules:
        if r.match.contains(p):
            return r.action, r
        if id(r) in world:
            return (r.action if r.sure_action else ("unknown", r.index)), r
    return default, None


def _claim_in(rules, a, p, default, world, others) -> bool:
    """The finding's claim about packet ``p`` (naming ``others``) in one world."""
    if not a.rule.match.contains(p):
        return False
    act, first = _decide_in(rules, p, default, world)
    if a.kind in (SHADOWED, REDUNDANT_UP):
        other = Action.DENY if a.rule.action is Action.PERMIT else Action.PERMIT
        return any(first is o for o in others) and first.index < a.rule.index and (
            act is (a.rule.action if a.kind == REDUNDANT_UP else other))
    if a.kind == CONFLICT:
        return first is others[0]
    without = [r for r in rules if r is not a.rule]
    act2, first2 = _decide_in(without, p, default, world)
    return first is a.rule and act2 is a.rule.action and (
        any(first2 is o for o in others) if others else first2 is None)


def _sure(rules, a, p, default, others) -> bool:
    return all(_claim_in(rules, a, p, default, w, others) for w in _worlds(rules, p))


def _check_unsure(spec, default):
    """Each finding's claim about its example holds however the rules that may match go, unless the
    finding names lines that may decide first (``Anomaly.unsure``); it names them only where no packet
    avoids them (or, upward redundant, where they may decide a packet of the rule otherwise), and the
    claim then holds where they do not match."""
    rules = build_unsure(spec)
    for a in analyse(rules, default):
        unsure = getattr(a, "unsure", ())
        why = (a.kind, a.rule.index, [o.index for o in a.others], a.example, [o.index for o in unsure])
        mine = [q for q in UNIVERSE if a.rule.match.contains(q)]
        if not unsure:
            assert _sure(rules, a, a.example, default, a.others), why
            continue
        assert _claim_in(rules, a, a.example, default, set(), a.others), why  # (no rule that may match does)
        for r in unsure:
            assert r.index < a.rule.index and r.maybe, why
        # named only when needed: no packet of the rule shows the finding for sure (a conflict's: with
        # any earlier line of the other action)
        named = [[o] for o in rules[:a.rule.index] if o.action is not a.rule.action] if a.kind == CONFLICT else [
            a.others]
        nowhere = not any(_sure(rules, a, q, default, o) for q in mine for o in named)
        if a.kind == REDUNDANT_UP:
            otherwise = any(_decide_in(rules, q, default, w)[0] is not a.rule.action for q in mine
                            for w in _worlds(rules, q))
            assert nowhere or otherwise, why
        else:
            assert nowhere, why
            assert all(r.maybe.contains(a.example) for r in unsure), why


@settings(max_examples=400, deadline=None)
@given(unsure_specs, DEFAULTS)
def test_examples_avoid_what_uncertain_rules_may_match(spec, default):
    """An earlier rule that may match the example could decide it first: the example is one no such
    rule may match, or the finding says it is uncertain.  Before, ACL200-202 examples were chosen over
    the certain rules only (e.g. line 1 'permit tcp host 10.1.5.1 any time-range WORK', line 2 'deny tcp
    10.1.0.0/16 any', line 3 'permit tcp 10.1.5.0/24 any': line 3's example was from 10.1.5.1, which
    line 1 may permit)."""
    _check_unsure(spec, default)


def test_a_shadowed_rule_example_avoids_an_ace_of_a_time_range():
    """An ACE with a time range is active only while the range is ("You can schedule each ACE to be
    activated at specific times of the day and week by applying a time range to the ACE", Cisco
    Security Appliance Command Line Configuration Guide, "Scheduling Extended Access List
    Activation"): line 11 may permit tcp from 10.1.5.1.  Line 13 is covered by line 12's deny; its
    example was from 10.1.5.1, whose decision is unknown (line 11 may permit it first)."""
    cfg, found = _asa_findings("permit tcp host 10.1.5.1 any time-range WORK", "deny tcp 10.1.0.0 255.255.0.0 any",
                               "permit tcp 10.1.5.0 255.255.255.0 any")
    f = found[("ACL200", 13)]
    assert f.message == "rule never matches: covered by line 12"
    got = decision_json(cfg, f.example, "IN")
    assert (got["line"], got["decision"]) == (12, "deny")


def test_a_shadowed_rule_all_of_whose_packets_an_ace_of_a_time_range_may_decide_says_so():
    """Line 11 (permit tcp any any, time range WORK) may permit every packet of line 13 before line 12
    denies it: no example is decided by line 12 for sure, so the finding says which line may decide
    first (the example's decision is unknown: line 11's)."""
    cfg, found = _asa_findings("permit tcp any any time-range WORK", "deny tcp 10.1.0.0 255.255.0.0 any",
                               "permit tcp 10.1.5.0 255.255.255.0 any")
    f = found[("ACL200", 13)]
    assert f.message == ("rule never matches: covered by line 12; uncertain: line 11 may decide some of its "
                         "packets first")
    assert decision_json(cfg, f.example, "IN")["line"] == 11

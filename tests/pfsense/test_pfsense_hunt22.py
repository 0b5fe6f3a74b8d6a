"""pfSense details checked against its rule generator and pf (hunt 22).

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc filter_generate_user_rule (pfsense/pfsense at 9363ac5b86): the
  action is taken as written ('$type = $rule['type']; if ($type != "pass" && $type != "block" && $type !=
  "reject" && $type != "match") $type = "pass"'); a tab rule whose interface is not one key of the filter's
  interfaces is not loaded ('!array_key_exists($rule['interface'], $FilterIflist)': "# array key ... does not
  exist"), only floating rules take a list ('explode(",", $rule['interface'])'); a rule's state timeout is
  'tcp.established' for no protocol, tcp/udp, tcp and sctp, 'other.multiple' alone for any other protocol;
  tab rules and floating rules with Quick ticked are written 'quick', match rules too;
* [PFC] FreeBSD sys/netpfil/pf/pf.c pf_test_rule (freebsd/freebsd-src at 0015baeb19): after a matching PF_MATCH
  rule, as after any rule, 'if (r->quick) break;', and the decision is '*rm', the last pass/block rule that
  matched; pf.conf(5) (https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5) "quick": "If a packet
  matches a rule which has the quick option set, this rule is considered the last matching rule, and evaluation
  of subsequent rules is skipped".  Netgate's forum (https://forum.netgate.com/topic/153552/match-rule-pass-or-drop)
  says quick has no bearing on match rules: the two disagree, so such packets are unknown.
"""

from pf_helpers import at, decide, floating, line_of, parse, pfsense, rule

from auditor.engine import DENY, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1), a server on LAN


def test_a_quick_match_rule_ends_the_evaluation_so_what_it_matches_is_unknown():
    # [PFC] the quick match rule stops pf before the OPT1 tab's pass: the default deny (a non-quick rule written
    # before it) decides, or, per the forum, the pass does; not 'permit' at the pass
    text = pfsense(floating("match", True, "in", "opt1", proto="tcp", descr="shaper") + rule("opt1", "pass"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "shaper")
    assert any(u.source.line == line_of(text, "<type>match</type>") for u in cfg.unrecognized)
    # what it does not match is decided as before
    assert decide(cfg, WS, SRV, proto="udp", dport=53).kind == PERMIT


def test_a_match_rule_without_quick_still_never_decides():
    # [FILTERINC] a floating rule is quick only when Quick is ticked; a non-quick match rule changes no decision
    text = pfsense(floating("match", False, "in", "opt1", descr="shaper") + rule("opt1", "pass", descr="p"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "p")


def test_a_tab_rule_with_a_list_of_interfaces_is_not_loaded():
    # [FILTERINC] 'lan,opt1' is no key of $FilterIflist: the rule is skipped, the default deny decides
    text = pfsense(rule("lan,opt1", "pass", descr="both"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == DENY and o.source.line != at(text, "both")
    # and a block written so blocks nothing
    text = pfsense(rule("opt1,lan", "block", descr="both") + rule("opt1", "pass", descr="p"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "p")


def test_a_floating_rule_still_takes_a_list_of_interfaces():
    # [FILTERINC] floating rules: 'explode(",", $rule['interface'])'
    text = pfsense(floating("block", True, "in", "lan,opt1", descr="both") + rule("opt1", "pass"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "both")


def test_an_action_not_spelled_as_pfsense_writes_it_is_not_taken_as_a_block():
    # [FILTERINC] 'Block' is not 'block': pfSense makes it a pass rule; not a certain block here
    text = pfsense(rule("opt1", "Block", descr="capital") + rule("opt1", "block", descr="deny"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "capital")
    assert any(u.source.line == line_of(text, "<type>Block</type>") for u in cfg.unrecognized)


def test_a_state_timeout_on_an_any_protocol_rule_is_no_tcp_timeout():
    # [FILTERINC] protocol 'any' (not what the GUI stores, which is none) gets 'other.multiple N' only: its TCP
    # connections keep the global tcp.established; a rule without a protocol gets 'tcp.established N'
    text = pfsense(rule("opt1", "pass", proto="any", extra="<statetimeout>600</statetimeout>", descr="any"))
    assert [t.idle_seconds for t in parse(text).timeouts] == [86400]
    text = pfsense(rule("opt1", "pass", extra="<statetimeout>600</statetimeout>", descr="none"))
    t = parse(text).timeouts
    assert [x.idle_seconds for x in t] == [600, 86400] and t[0].source.line == line_of(text, "<statetimeout>")

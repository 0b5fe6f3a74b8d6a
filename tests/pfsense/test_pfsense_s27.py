"""Session 27: a state timeout that is not a number; a port forward to the firewall itself.

Sources:
* pfSense filter.inc (github.com/pfsense/pfsense, src/etc/inc/filter.inc, filter_configure_sync): the global TCP
  timeouts are written only when ``is_numericint($timeo)`` (``set timeout { tcp.established N }``), so another
  value writes nothing and the optimization's tcp.established (pf's hint table: 'normal' 86400 s) applies;
  filter_generate_user_rule writes a pass rule's ``statetimeout`` as it is (``tcp.established VALUE``) when
  ``!empty()`` (not for '0') and the rule keeps state;
* pf.conf's grammar (FreeBSD sbin/pfctl/parse.y: ``timeout_spec : STRING NUMBER``): a state timeout takes a
  number; anything else is a syntax error, and pfctl loads none of the ruleset (the firewall keeps the old one);
* pf.conf(5), TRANSLATION: "If the pass modifier is given, packets matching the translation rule are passed
  without inspecting the filter rules"; a packet redirected to an address of the firewall (lo0's 127.0.0.1, as a
  transparent proxy's ``rdr ... -> 127.0.0.1 port 3128``) is delivered to the firewall itself, not routed out.
"""

from pf_helpers import at, decide, floating, line_of, parse, pfsense, rule

from auditor.api import audit, decision_json, make_packet
from auditor.core.model import Impact
from auditor.engine import DENY, PERMIT
from auditor.policy import load_site

SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
OUT, WAN_IP = "198.51.100.7", "203.0.113.2"


def _prn120(cfg):
    return [f for f in audit([cfg], SITE).findings if f.rule_id == "PRN120"]


def test_a_global_tcp_established_timeout_not_a_number_is_not_written():
    # filter.inc writes it only if is_numericint: '12h' writes nothing, 'normal' gives 86400 s (not short), known
    text = pfsense(rule("opt1", "pass"), system="<tcpestablishedtimeout>12h</tcpestablishedtimeout>")
    cfg = parse(text)
    t = cfg.timeouts[-1]
    assert t.idle_seconds == 86400 and t.rule is None
    (d,) = [d for d in cfg.diagnostics if "12h" in d.message]
    assert d.impact is Impact.NONE and d.source.line == line_of(text, "<tcpestablishedtimeout>")
    assert "not a whole number" in d.message and "optimization" in d.message
    assert _prn120(cfg) == []  # (before: an 'unknown' PRN120, "cannot tell the idle timeout")


def test_a_global_timeout_not_written_leaves_the_aggressive_profile_in_force():
    text = pfsense(rule("opt1", "pass"), system="<tcpestablishedtimeout>3e4</tcpestablishedtimeout>")
    text = text.replace("<optimization>normal</optimization>", "<optimization>aggressive</optimization>")
    cfg = parse(text)
    assert cfg.timeouts[-1].idle_seconds == 18000
    (f,) = _prn120(cfg)
    assert f.status == "fail" and f.source.line == line_of(text, "<optimization>")


def test_a_rule_state_timeout_not_a_number_makes_pfctl_refuse_the_ruleset():
    text = pfsense(rule("opt1", "pass", proto="tcp", extra="<statetimeout>1h</statetimeout>", descr="odd"))
    cfg = parse(text)
    (d,) = [d for d in cfg.diagnostics if "'1h'" in d.message]
    assert d.impact is Impact.GLOBAL and d.source.line == line_of(text, "<statetimeout>")
    assert all(t.rule is None for t in cfg.timeouts)
    # it could change any verdict: the firewall runs the rules it had before
    assert d in cfg.verdict_affecting()


def test_a_rule_state_timeout_is_not_written_on_a_block_rule_or_a_stateless_one():
    for extra in ("<statetimeout>1h</statetimeout>", "<statetimeout>1h</statetimeout><statetype>none</statetype>"):
        type_ = "block" if "none" not in extra else "pass"
        cfg = parse(pfsense(rule("opt1", type_, proto="tcp", extra=extra)))
        assert not [d for d in cfg.diagnostics if "'1h'" in d.message and d.impact is Impact.GLOBAL]


def test_a_rule_state_timeout_of_zero_is_not_written():
    # PHP's !empty('0') is false: no 'tcp.established 0'; the global timeout holds
    text = pfsense(rule("opt1", "pass", proto="tcp", extra="<statetimeout>0</statetimeout>"))
    cfg = parse(text)
    assert [t.idle_seconds for t in cfg.timeouts] == [86400]
    assert _prn120(cfg) == []


def _forward(dport, target, local, assoc="pass", descr="fwd"):
    return """
		<rule>
			<source><any/></source>
			<destination><network>wanip</network><port>%s</port></destination>
			<protocol>tcp</protocol>
			<target>%s</target>
			<local-port>%s</local-port>
			<interface>wan</interface>
			<descr><![CDATA[%s]]></descr>
			<associated-rule-id>%s</associated-rule-id>
		</rule>""" % (dport, target, local, descr, assoc)


def test_rdr_pass_to_loopback_is_delivered_to_the_firewall_not_routed_out():
    # a quick floating block out on WAN for 445: a packet redirected to 127.0.0.1:445 never leaves by WAN
    text = pfsense(floating("block", True, "out", "wan", "tcp", dst="<any/><port>445</port>", descr="no smb out"),
                   nat=_forward("8445", "127.0.0.1", "445", descr="to the firewall"))
    cfg = parse(text)
    o = decide(cfg, OUT, WAN_IP, "tcp", 8445)
    assert o.kind == PERMIT and o.source.line == at(text, "to the firewall")  # (before: DENY by 'no smb out')
    assert o.path.local == "in" and o.path.egress is None
    j = decision_json(cfg, make_packet(OUT, WAN_IP, "tcp", 40000, 8445))
    assert j["nat"][0]["line"] == at(text, "to the firewall")
    assert j["translated"]["dst"] == "127.0.0.1" and j["translated"]["dport"] == 445
    assert "to the firewall itself" in j["stage"]
    # the other side: a forward to a server behind the firewall is routed out and meets the out rules
    text = pfsense(floating("block", True, "out", "lan", "tcp", dst="<any/><port>445</port>", descr="no smb out"),
                   nat=_forward("8445", "10.20.0.10", "445"))
    o = decide(parse(text), OUT, WAN_IP, "tcp", 8445)
    assert o.kind == DENY and o.source.line == at(text, "no smb out")


def test_forward_to_an_address_of_the_firewall_meets_the_inbound_rules_of_its_interface():
    # no 'pass': the translated packet (to LAN's 10.20.0.1:22, the firewall itself) meets WAN's inbound rules
    fwd = _forward("2222", "10.20.0.1", "22", assoc="", descr="ssh fwd")
    cfg = parse(pfsense(nat=fwd))
    o = decide(cfg, OUT, WAN_IP, "tcp", 2222)
    assert o.kind == DENY and o.rule is None and o.path.local == "in"
    text = pfsense(rule("wan", "pass", proto="tcp", dst="<address>10.20.0.1</address><port>22</port>",
                        descr="ssh ok"), nat=fwd)
    o = decide(parse(text), OUT, WAN_IP, "tcp", 2222)
    assert o.kind == PERMIT and o.source.line == at(text, "ssh ok") and o.path.local == "in"

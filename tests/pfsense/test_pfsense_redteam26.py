"""pfSense / OPNsense behaviours checked against the products' sources and pf's documentation (session 26).

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc (pfsense/pfsense at 9363ac5b86), filter_generate_user_rule: 'if
  ($rule['protocol'] == "icmp" && $rule['icmptype'] && ($rule['icmptype'] != 'any')) { $icmptype_key =
  ($rule['ipprotocol'] == 'inet6' ? 'icmp6-type' : 'icmp-type'); $icmptype_text =
  replace_element_in_list($rule['icmptype'], ',', 'skip', '39'); ...': one field, <icmptype>, for both halves
  of an IPv4+IPv6 rule (filter_generate_rules makes the inet and the inet6 rule of it), written as it is.
  firewall_rules_edit.php offers an IPv4+IPv6 rule only the types valid in both ('valid4' and 'valid6' of
  filter.inc's $icmptypes: 'squench' is IPv4 only, 'neighbrsol' IPv6 only); a config written by other means
  (an API, Ansible's pfsensible, a hand edit) can hold any.
* [FILTERRULE] OPNsense src/opnsense/mvc/app/library/OPNsense/Firewall/FilterRule.php (opnsense/core at
  f95e81516e), "icmp-type switch (ipv4/ipv6)": 'if (!empty($rule['protocol']) && in_array($rule['protocol'],
  ['icmp', 'ipv6-icmp'], true)) { if ($rule['ipprotocol'] == 'inet' && !empty($rule['icmptype'])) {
  $rule['icmp-type'] = $rule['icmptype']; } elseif ($rule['ipprotocol'] == 'inet6' &&
  !empty($rule['icmp6type'])) { $rule['icmp6-type'] = $rule['icmp6type']; } }': an inet6 rule reads
  <icmp6type> only; without it, no icmp6-type: every ICMPv6 type.
* [PARSEY] FreeBSD sbin/pfctl/parse.y, icmp_item / icmp6_item: a name not in pfctl's table for the family is
  'yyerror("unknown icmp-type %s")' / 'yyerror("unknown icmp6-type %s")', a number over 255 "illegal
  icmp-type": a syntax error, the whole ruleset is not loaded (the firewall keeps the rules it had), so every
  verdict is unknown.  pfctl's tables (pf_print_state.c / pfctl_parser.c icmp_type, icmp6_type): 'squench' (4)
  is IPv4 only; 'echoreq' is 8 in IPv4, 128 in IPv6; 'unreach' is 3 in IPv4, 1 in IPv6; 'groupqry' is 130 (IPv6 only).
"""

from pf_helpers import LAN, OPT1, WAN_STATIC, at, decide, line_of, opnsense, parse, pfsense, rule

from auditor.core.model import Impact
from auditor.engine import DENY, PERMIT

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1), a server on LAN
WS6, SRV6 = "2001:db8:30::5", "2001:db8:20::10"
V6 = (LAN.replace("</lan>", "<ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64</subnetv6></lan>") + WAN_STATIC
      + OPT1.replace("</opt1>", "<ipaddrv6>2001:db8:30::1</ipaddrv6><subnetv6>64</subnetv6></opt1>"))
ALLOW6 = "\n\t\t<ipv6allow></ipv6allow>"


def _global(cfg, text, needle):
    return [d for d in cfg.unrecognized if d.impact is Impact.GLOBAL and d.source.line == line_of(text, needle)]


def test_pfsense_ipv4_only_icmp_type_in_an_ipv4_ipv6_rule_makes_pfctl_refuse_the_ruleset():
    # [FILTERINC] the inet6 half is written 'icmp6-type squench'; [PARSEY] 'unknown icmp6-type': the ruleset is
    # not loaded.  Before, 'squench' was silently dropped from the IPv6 half and every verdict stayed decided.
    text = pfsense(rule("opt1", "pass", proto="icmp", ipprotocol="inet46", extra="<icmptype>squench</icmptype>",
                        descr="quench"), interfaces=V6, system=ALLOW6)
    cfg = parse(text)
    assert _global(cfg, text, "<icmptype>squench</icmptype>")


def test_pfsense_icmp_type_names_valid_in_both_families_are_read_per_family():
    # [FILTERINC] 'icmp-type echoreq' in the inet half, 'icmp6-type echoreq' in the inet6 one; [PARSEY] 8 / 128
    text = pfsense(rule("opt1", "pass", proto="icmp", ipprotocol="inet46", extra="<icmptype>echoreq</icmptype>",
                        descr="ping"), interfaces=V6, system=ALLOW6)
    cfg = parse(text)
    assert not [d for d in cfg.unrecognized if d.impact is Impact.GLOBAL]
    o = decide(cfg, WS, SRV, "icmp", 8 * 256, sport=None)
    assert o.kind == PERMIT and o.source.line == at(text, "ping")
    o = decide(cfg, WS6, SRV6, "58", 128 * 256, sport=None)
    assert o.kind == PERMIT and o.source.line == at(text, "ping")
    assert decide(cfg, WS6, SRV6, "58", 130 * 256, sport=None).kind == DENY


def test_pfsense_reads_icmptype_in_the_ipv6_half_not_an_icmp6type_element():
    # [FILTERINC] pfSense has no <icmp6type>: the inet6 rule gets 'icmp6-type' from <icmptype>.  Before, a stray
    # <icmp6type>unreach</icmp6type> was read instead and echo requests over IPv6 were taken as denied.  (Types 1,
    # 2, 135 and 136 are passed by pfSense's generated 'ICMPv6 operation' rule whatever the user's rules say.)
    text = pfsense(rule("opt1", "pass", proto="icmp", ipprotocol="inet6",
                        extra="<icmptype>echoreq</icmptype><icmp6type>unreach</icmp6type>", descr="ping6"),
                   interfaces=V6, system=ALLOW6)
    cfg = parse(text)
    o = decide(cfg, WS6, SRV6, "58", 128 * 256, sport=None)
    assert o.kind == PERMIT and o.source.line == at(text, "ping6")
    assert decide(cfg, WS6, SRV6, "58", 130 * 256, sport=None).kind == DENY


def test_opnsense_ipv6_rule_without_icmp6type_blocks_every_icmpv6_type():
    # [FILTERRULE] an inet6 rule reads <icmp6type> only: a legacy rule with <icmptype>echoreq</icmptype> and no
    # <icmp6type> is 'block in quick ... proto ipv6-icmp' with no type, so it blocks multicast listener queries
    # (130) too.  Before, <icmptype> was read for the IPv6 half: only echo requests were blocked and a type 130
    # packet passed at the later pass rule (a wrong pass).
    legacy = ("""
		<rule>
			<type>block</type>
			<interface>opt1</interface>
			<ipprotocol>inet6</ipprotocol>
			<protocol>icmp</protocol>
			<icmptype>echoreq</icmptype>
			<source><any/></source>
			<destination><any/></destination>
			<descr>no icmp6</descr>
		</rule>
		<rule>
			<type>pass</type>
			<interface>opt1</interface>
			<ipprotocol>inet6</ipprotocol>
			<source><any/></source>
			<destination><any/></destination>
			<descr>all6</descr>
		</rule>""")
    text = opnsense(legacy=legacy, interfaces=V6)
    cfg = parse(text)
    for icmp in (128 * 256, 130 * 256):
        o = decide(cfg, WS6, SRV6, "58", icmp, sport=None)
        assert o.kind == DENY and o.source.line == at(text, "no icmp6"), icmp


def test_opnsense_icmptype_and_icmp6type_each_apply_to_their_own_family():
    # [FILTERRULE] inet: <icmptype>; inet6: <icmp6type>
    legacy = ("""
		<rule>
			<type>pass</type>
			<interface>opt1</interface>
			<ipprotocol>inet46</ipprotocol>
			<protocol>icmp</protocol>
			<icmptype>echoreq</icmptype>
			<icmp6type>groupqry</icmp6type>
			<source><any/></source>
			<destination><any/></destination>
			<descr>icmp both</descr>
		</rule>""")
    text = opnsense(legacy=legacy, interfaces=V6)
    cfg = parse(text)
    assert decide(cfg, WS, SRV, "icmp", 8 * 256, sport=None).kind == PERMIT
    assert decide(cfg, WS, SRV, "icmp", 3 * 256, sport=None).kind == DENY
    assert decide(cfg, WS6, SRV6, "58", 130 * 256, sport=None).kind == PERMIT
    assert decide(cfg, WS6, SRV6, "58", 128 * 256, sport=None).kind == DENY


# [RDR] pf.conf(5), TRANSLATION: "rdr: The packet is redirected to another destination and possibly a different
# port"; Netgate, pfSense documentation, "Redirecting Client DNS Requests"
# (https://docs.netgate.com/pfsense/en/latest/recipes/dns-redirect.html): a port forward on LAN whose destination
# is any address (or 'not LAN address') and whose target is 127.0.0.1 makes every client's request, whatever
# server it was sent to, go to the firewall itself.  A port forward of "any" destination sends the packets of a
# flow to a server elsewhere: the server does not get them as sent (a proxy there may or may not relay them).

REDIRECT = """
		<rule>
			<source><network>opt1</network></source>
			<destination><any/><port>445</port></destination>
			<protocol>tcp</protocol>
			<target>%s</target>
			<local-port>%s</local-port>
			<interface>opt1</interface>
			<descr><![CDATA[redirect smb]]></descr>
			<associated-rule-id>pass</associated-rule-id>
		</rule>"""


def _prn100(text):
    from auditor.api import audit
    from auditor.policy import load_site

    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    result = audit([parse(text)], site)
    return [f for f in result.findings if f.rule_id == "PRN100" and "445/tcp" in f.message]


def test_a_required_flow_redirected_elsewhere_by_a_port_forward_is_not_taken_to_reach_the_server():
    # [RDR] Workshop -> primary:445 is rewritten to 127.0.0.1:8445 (the firewall) or 10.30.0.99:445 (another
    # host) by a port forward on OPT1 with association 'Pass'.  Before, the translated packet passed and the SMB
    # flow was taken to work (no PRN100): a wrong pass.  Now its packets are unknown at the port forward's line.
    for target, port in (("127.0.0.1", "8445"), ("10.30.0.99", "445")):
        text = pfsense(rule("opt1", "pass", src="<network>opt1</network>", descr="ws any"),
                       nat=REDIRECT % (target, port))
        found = _prn100(text)
        assert found, target
        assert {f.status for f in found} == {"unknown"}, target
        assert {f.source.line for f in found} == {at(text, "redirect smb")}, target
        assert all(target in f.message for f in found), target


def test_a_port_forward_onto_the_flows_own_server_still_passes_the_flow():
    # a forward whose target is the server itself (the flow's destination) changes nothing for the flow
    text = pfsense(rule("opt1", "pass", src="<network>opt1</network>", descr="ws any"),
                   nat=REDIRECT % ("10.20.0.10", "445"))
    assert not _prn100(text)


def test_an_optimization_pfctl_does_not_know_makes_every_verdict_unknown():
    # [FILTERINC] 'set optimization {$opt}' as configured (OPNsense filter.inc alike); FreeBSD sbin/pfctl/parse.y
    # 'SET OPTIMIZATION STRING { if (pfctl_set_optimization(pf, $3) != 0) { yyerror("unknown optimization %s",
    # $3); ... YYERROR; } }' (pfctl.c looks the name up with strcasecmp in pf_hints: normal, satellite,
    # high-latency, conservative, aggressive): the ruleset is refused.  Before: reported as touching the timeouts
    # only, and every verdict stayed decided.
    for base in (pfsense(rule("opt1", "pass", descr="all")), opnsense(legacy=rule("opt1", "pass", descr="all"))):
        text = base.replace("<optimization>normal</optimization>", "<optimization>fast</optimization>")
        cfg = parse(text)
        assert _global(cfg, text, "<optimization>fast</optimization>")
        # pfctl compares the name without case: 'Aggressive' is aggressive (18000 s), not an error
        text = base.replace("<optimization>normal</optimization>", "<optimization>Aggressive</optimization>")
        cfg = parse(text)
        assert not [d for d in cfg.unrecognized if d.impact is Impact.GLOBAL]
        assert min(t.idle_seconds for t in cfg.timeouts) == 18000

"""pfSense / OPNsense filter rules: the behaviours modelled, each with the document that says so.

Sources cited below:
* [METHOD] Netgate, pfSense docs "Rule Methodology",
  https://docs.netgate.com/pfsense/en/latest/firewall/rule-methodology.html ("rules on interface tabs are
  applied on a per-interface basis, always in the inbound direction on that interface"; "all rules in pfSense
  software are stateful by default ... All reply traffic is automatically permitted by this state table entry");
* [FLOAT] Netgate, pfSense docs "Floating Rules",
  https://docs.netgate.com/pfsense/en/latest/firewall/floating-rules.html ("Floating Rules are parsed before
  rules on other interfaces ... if a packet matches a floating rule and the Quick option is active on that
  rule, pfSense software will not attempt to filter that packet against any rule on any other group or
  interface tab"; "Apply filtering in a 'last match wins' way rather than 'first match wins' (quick)");
* [PFCONF] pf.conf(5), PACKET FILTERING, https://man.freebsd.org/pf.conf(5) ("For each packet processed by
  the packet filter, the filter rules are evaluated in sequential order, from first to last. The last
  matching rule decides what action is taken"; quick: "If a packet matches a rule which has the quick option
  set, this rule is considered the last matching rule, and evaluation of subsequent rules is skipped");
* [FILTERINC] pfSense src/etc/inc/filter.inc (filter_generate_user_rule, filter_rules_generate), pfsense/pfsense
  at 9363ac5b86: the rules as generated (direction, quick, inet46 split, 'tcp/udp', no-protocol-with-port is
  tcp, the default deny, the anti-lockout rule, block private networks, port 0);
* [OPNRULE] OPNsense src/opnsense/mvc/app/library/OPNsense/Firewall/FilterRule.php and FilterRuleField.php,
  opnsense/core at f95e81516e (quick default, direction default 'in', floating = several/no interfaces,
  new-model rules before legacy ones of the same priority).
"""

import pytest
from pf_helpers import (
    GATEWAYS,
    LAN,
    OPT1,
    WAN_STATIC,
    at,
    decide,
    floating,
    line_of,
    mvc_rule,
    opnsense,
    parse,
    pfsense,
    rule,
)

from auditor.api import make_packet
from auditor.core.model import Action, Impact
from auditor.engine import DENY, NOT_FILTERED, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1 'WORKSHOP') and a server (LAN)


def test_interface_rules_first_match_inbound():
    # [METHOD] inbound on the interface the traffic arrives on; [FILTERINC] 'pass in quick on'
    text = pfsense(rule("opt1", "block", dst="<address>10.20.0.10</address>", proto="tcp", descr="block srv")
                   + rule("opt1", "pass", descr="allow all"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "block srv")
    assert decide(cfg, WS, "10.20.0.11").kind == PERMIT
    # LAN's rules do not apply to traffic arriving on WORKSHOP, and LAN -> WORKSHOP has no rule: default deny
    o = decide(cfg, SRV, WS)
    assert o.kind == DENY and o.rule is None and "Default deny rule" in o.reason
    assert o.source.line == line_of(text, "<lan>")


def test_default_deny_attributed_to_the_interface_with_reason():
    # [FILTERINC] 'block in log inet all ... label "Default deny rule IPv4"' (non-quick, first): attributed to the
    # definition of the interface the traffic enters (WORKSHOP, '<opt1>')
    text = pfsense("")
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.rule is None
    assert o.source.line == line_of(text, "<opt1>") and o.stage.default_source.line == line_of(text, "<opt1>")
    assert "default deny" in o.reason


def test_floating_quick_before_interface_rules():
    # [FLOAT] quick floating rules are parsed before the interface tabs and end the evaluation
    text = pfsense(floating("block", True, "in", "opt1", proto="tcp", descr="float block")
                   + rule("opt1", "pass", descr="allow all"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "float block")


def test_floating_without_quick_is_last_match_and_loses_to_interface_rules():
    # [FLOAT] 'last match wins'; [PFCONF] a later quick rule decides at once, so an interface tab rule
    # (always quick) overrides a non-quick floating rule
    text = pfsense(floating("block", False, "in", "opt1", proto="tcp", descr="float nonquick")
                   + rule("opt1", "pass", dst="<address>10.20.0.10</address>", descr="allow srv"))
    cfg = parse(text)
    assert decide(cfg, WS, SRV).source.line == at(text, "allow srv")
    o = decide(cfg, WS, "10.20.0.11")  # no interface rule matches: the non-quick floating block decides
    assert o.kind == DENY and o.source.line == at(text, "float nonquick")


def test_among_non_quick_floating_rules_the_last_matching_wins():
    # [PFCONF] the last matching rule decides
    text = pfsense(floating("block", False, "in", "opt1", descr="first nq")
                   + floating("pass", False, "in", "opt1", proto="tcp", descr="second nq"))
    cfg = parse(text)
    assert decide(cfg, WS, SRV).source.line == at(text, "second nq")
    o = decide(cfg, WS, SRV, "udp", 53)
    assert o.kind == DENY and o.source.line == at(text, "first nq")


def test_floating_direction_out_applies_on_the_egress_interface():
    # [FLOAT] floating rules can filter outbound; [METHOD] interface tabs only inbound
    text = pfsense(floating("block", True, "out", "lan", proto="tcp", descr="out block")
                   + rule("opt1", "pass", descr="allow all"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "out block")
    assert decide(cfg, SRV, WS).kind == DENY  # LAN has no inbound rule at all
    # 'any' direction: both
    cfg = parse(pfsense(floating("block", True, "any", "lan", proto="tcp", descr="any dir")
                        + rule("opt1", "pass") + rule("lan", "pass")))
    assert decide(cfg, WS, SRV).kind == DENY and decide(cfg, SRV, WS).kind == DENY
    assert decide(cfg, SRV, WS, "udp", 53).kind == PERMIT


def test_floating_without_interfaces_applies_to_all():
    # [FLOAT] "if no interfaces are selected then the rule effectively applies to all interfaces"
    text = pfsense(floating("block", True, "in", "", proto="tcp", dst="<address>10.20.0.10</address>",
                            descr="everywhere") + rule("opt1", "pass") + rule("wan", "pass"))
    cfg = parse(text)
    assert decide(cfg, WS, SRV).kind == DENY
    assert decide(cfg, "198.51.100.7", SRV).kind == DENY
    assert decide(cfg, WS, "10.20.0.11").kind == PERMIT


def test_disabled_rules_do_not_match():
    # [FILTERINC] "don't include disabled rules"
    text = pfsense(rule("opt1", "block", extra="<disabled></disabled>", descr="off") + rule("opt1", "pass"))
    cfg = parse(text)
    assert decide(cfg, WS, SRV).kind == PERMIT
    off = [r for f in cfg.filters.values() for r in f.rules if r.source.line == at(text, "off")]
    assert off and not off[0].enabled


def test_reject_is_a_deny_and_match_rules_never_decide():
    # [FILTERINC] 'reject' is 'block return'; 'match' rules do not pass or block
    text = pfsense(floating("match", False, "in", "opt1", descr="shaper match")
                   + rule("opt1", "reject", proto="tcp", descr="rej") + rule("opt1", "pass"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "rej") and "reject" in o.rule.note
    assert all(r.source.line != at(text, "shaper match") for f in cfg.filters.values() for r in f.rules)


@pytest.mark.parametrize("ipprotocol, v4, v6", [("inet", True, False), ("inet6", False, True), ("inet46", True, True)])
def test_ipprotocol(ipprotocol, v4, v6):
    # [FILTERINC] inet46 is generated as an inet rule and an inet6 rule
    lan6 = LAN.replace("</lan>", "<ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64</subnetv6></lan>")
    ws6 = OPT1.replace("</opt1>", "<ipaddrv6>2001:db8:30::1</ipaddrv6><subnetv6>64</subnetv6></opt1>")
    text = pfsense(rule("opt1", "pass", ipprotocol=ipprotocol), interfaces=lan6 + WAN_STATIC + ws6,
                   system="<ipv6allow></ipv6allow>")
    cfg = parse(text)
    assert (decide(cfg, WS, SRV).kind == PERMIT) is v4
    assert (decide(cfg, "2001:db8:30::5", "2001:db8:20::10").kind == PERMIT) is v6


def test_ipv6_blocked_unless_allowed():
    # [FILTERINC] without System > Advanced > Networking 'Allow IPv6': block quick inet6 all
    lan6 = LAN.replace("</lan>", "<ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64</subnetv6></lan>")
    ws6 = OPT1.replace("</opt1>", "<ipaddrv6>2001:db8:30::1</ipaddrv6><subnetv6>64</subnetv6></opt1>")
    cfg = parse(pfsense(rule("opt1", "pass", ipprotocol="inet46"), interfaces=lan6 + WAN_STATIC + ws6))
    o = decide(cfg, "2001:db8:30::5", "2001:db8:20::10")
    assert o.kind == DENY and "Block all IPv6" in o.rule.note


@pytest.mark.parametrize("proto, pkt, allowed", [
    ("tcp", ("tcp", 445), True), ("tcp", ("udp", 445), False),
    ("udp", ("udp", 445), True), ("tcp/udp", ("udp", 445), True), ("tcp/udp", ("tcp", 445), True),
    ("tcp/udp", ("icmp", 0), False), ("icmp", ("icmp", 0x0800), True), ("icmp", ("tcp", 445), False),
    ("", ("icmp", 0x0800), True), ("any", ("udp", 53), True), ("esp", ("50", 0), True),
])
def test_protocols(proto, pkt, allowed):
    cfg = parse(pfsense(rule("opt1", "pass", proto=proto, dst="<address>10.20.0.10</address>")))
    p, port = pkt
    assert (decide(cfg, WS, SRV, p, port, sport=None if p != "tcp" and p != "udp" else 40000).kind == PERMIT) \
        is allowed


def test_icmp_types_by_pf_name():
    # [FILTERINC] icmptype is pf's 'icmp-type' list (echoreq = 8)
    cfg = parse(pfsense(rule("opt1", "pass", proto="icmp", extra="<icmptype>echoreq,unreach</icmptype>")))
    assert decide(cfg, WS, SRV, "icmp", 8 * 256, sport=None).kind == PERMIT
    assert decide(cfg, WS, SRV, "icmp", 3 * 256 + 1, sport=None).kind == PERMIT
    assert decide(cfg, WS, SRV, "icmp", 13 * 256, sport=None).kind == DENY


def test_ports_ranges_and_no_protocol_with_port_is_tcp():
    # [FILTERINC] ranges 'lo-hi'; a port without a protocol generates 'proto tcp', and the port itself is left
    # out (filter_generate_port writes ports only when the rule's protocol is one of get_ipprotocols('portsonly'):
    # tcp, udp, tcp/udp, sctp; an empty protocol is none of them), so such a rule matches every TCP port
    text = pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address><port>1024-9000</port>")
                   + rule("opt1", "pass", proto="udp", src="<any/><port>5000</port>", descr="sport")
                   + rule("opt1", "pass", dst="<address>10.20.0.11</address><port>80</port>", descr="noproto"))
    cfg = parse(text)
    assert decide(cfg, WS, SRV, "tcp", 1024).kind == PERMIT
    assert decide(cfg, WS, SRV, "tcp", 9000).kind == PERMIT
    assert decide(cfg, WS, SRV, "tcp", 9001).kind == DENY
    assert decide(cfg, WS, SRV, "udp", 2000).kind == DENY
    assert decide(cfg, WS, SRV, "udp", 2000, sport=5000).kind == PERMIT
    assert decide(cfg, WS, "10.20.0.11", "tcp", 80).kind == PERMIT
    assert decide(cfg, WS, "10.20.0.11", "tcp", 445).kind == PERMIT
    assert decide(cfg, WS, "10.20.0.11", "udp", 80).kind == DENY


def test_port_on_a_rule_without_ports_protocol_is_left_out():
    # [FILTERINC] filter_generate_port: no port statement unless the protocol is tcp, udp, tcp/udp or sctp; a
    # block rule written by hand (or by a generator) with a port but no protocol, or protocol 'any', blocks
    # every port (no protocol: 'block in quick ... proto tcp'; 'any': no proto at all)
    text = pfsense(rule("opt1", "block", dst="<address>10.20.0.10</address><port>80</port>", descr="noproto")
                   + rule("opt1", "block", proto="any", dst="<address>10.20.0.11</address><port>80</port>",
                          descr="anyproto")
                   + rule("opt1", "pass", descr="allow all"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV, "tcp", 445)
    assert o.kind == DENY and o.source.line == at(text, "noproto")
    assert decide(cfg, WS, SRV, "udp", 53).kind == PERMIT
    for proto, port in (("tcp", 445), ("udp", 53)):
        o = decide(cfg, WS, "10.20.0.11", proto, port)
        assert o.kind == DENY and o.source.line == at(text, "anyproto")


def test_network_macros_net_ip_self_and_not():
    # [FILTERINC] filter_generate_address: 'lan' = LAN subnet, 'lanip' = LAN address, '(self)' = the firewall
    text = pfsense(rule("opt1", "block", dst="<network>lanip</network>", descr="to lan ip")
                   + rule("opt1", "block", dst="<network>(self)</network>", descr="to self")
                   + rule("opt1", "pass", src="<network>opt1</network>", dst="<not></not><network>lan</network>",
                          descr="not lan")
                   + rule("opt1", "pass", src="<network>opt1</network>", dst="<network>lan</network>", descr="lan"))
    cfg = parse(text)
    assert decide(cfg, WS, "10.20.0.1").source.line == at(text, "to lan ip")
    assert decide(cfg, WS, "203.0.113.2").source.line == at(text, "to self")
    assert decide(cfg, WS, "198.51.100.7").source.line == at(text, "not lan")
    assert decide(cfg, WS, SRV).source.line == at(text, "lan")
    assert decide(cfg, "10.99.0.1", SRV).kind == DENY  # not from the WORKSHOP subnet


def test_same_subnet_traffic_does_not_cross():
    cfg = parse(pfsense(""))
    assert decide(cfg, "10.20.0.5", SRV).kind == NOT_FILTERED


def test_aliases_host_network_port_nested():
    aliases = """
		<alias><name>SERVERS</name><type>host</type><address>10.20.0.10 10.20.0.11</address></alias>
		<alias><name>NETS</name><type>network</type><address>10.30.0.0/25 SERVERS</address></alias>
		<alias><name>PRN_TCP</name><type>port</type><address>445 1024:9000 MORE</address></alias>
		<alias><name>MORE</name><type>port</type><address>49100-49102</address></alias>"""
    text = pfsense(rule("opt1", "pass", src="<address>NETS</address>",
                        dst="<address>SERVERS</address><port>PRN_TCP</port>", proto="tcp"), aliases=aliases)
    cfg = parse(text)
    assert decide(cfg, WS, SRV, "tcp", 445).kind == PERMIT
    assert decide(cfg, WS, "10.20.0.11", "tcp", 49101).kind == PERMIT
    assert decide(cfg, WS, "10.20.0.12", "tcp", 445).kind == DENY
    assert decide(cfg, "10.30.0.200", SRV, "tcp", 445).kind == DENY
    assert decide(cfg, WS, SRV, "tcp", 10000).kind == DENY
    names = {o.name: o for o in cfg.objects}
    assert names["NETS"].complete and names["PRN_TCP"].kind == "service"


def test_url_table_and_host_name_aliases_are_unknown():
    # pfSense docs "Aliases": URL table aliases are downloaded; host names are resolved periodically
    aliases = """
		<alias><name>DROP</name><type>urltable</type><url>https://example.invalid/drop.txt</url>
		<updatefreq>1</updatefreq><address></address></alias>
		<alias><name>NAS</name><type>host</type><address>nas.example.com</address></alias>"""
    text = pfsense(rule("opt1", "block", dst="<address>DROP</address>", descr="drop list")
                   + rule("opt1", "pass", dst="<address>NAS</address>", descr="nas") + rule("opt1", "pass"),
                   aliases=aliases)
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "drop list")
    reported = {d.source.line for d in cfg.unrecognized}
    assert line_of(text, "<name>DROP</name>") in reported and line_of(text, "nas.example.com") in reported


def test_undefined_alias_is_cfg301_and_unknown():
    # [FILTERINC] an unresolvable alias makes pfSense skip the rule; the audit does not guess: unknown
    text = pfsense(rule("opt1", "block", dst="<address>NOSUCH</address>", descr="typo") + rule("opt1", "pass"))
    cfg = parse(text)
    assert [d.code for d in cfg.diagnostics] == ["CFG301"]
    assert decide(cfg, WS, SRV).kind == UNKNOWN


def test_unknown_element_in_rule_is_reported_and_rule_uncertain():
    text = pfsense(rule("opt1", "block", extra="<frobnicate>1</frobnicate>", descr="odd") + rule("opt1", "pass"))
    cfg = parse(text)
    d, = cfg.unrecognized
    assert d.impact is Impact.FILTER and d.source.line == line_of(text, "frobnicate")
    assert decide(cfg, WS, SRV).kind == UNKNOWN


def test_elements_without_filtering_effect_are_ignored_with_their_reason():
    text = pfsense(rule("opt1", "pass", extra="<log></log><tracker>1</tracker><max-src-conn>10</max-src-conn>"
                                              "<created><time>1</time><username>admin</username></created>"))
    cfg = parse(text)
    assert not cfg.diagnostics
    assert decide(cfg, WS, SRV).kind == PERMIT


@pytest.mark.parametrize("extra, why", [
    ("<sched>OFFICEHOURS</sched>", "schedule"),
    ("<statetype>none</statetype>", "state"),
    ("<tagged>X</tagged>", "tagged"),
    ("<os>Windows</os>", "operating system"),
])
def test_conditions_the_config_does_not_describe_make_the_rule_uncertain(extra, why):
    schedules = ("<schedules><schedule><name>OFFICEHOURS</name><timerange><position>1,2,3,4,5</position>"
                 "<hour>8:00-17:00</hour></timerange></schedule></schedules>")
    text = pfsense(rule("opt1", "pass", proto="tcp", extra=extra, descr="cond"), extra=schedules)
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "cond")
    assert any(why in d.message for d in cfg.unrecognized)


@pytest.mark.parametrize("extra, certain", [
    ("<sched>OFFICEHOURS</sched>", True),  # in force only at some times: whether it matches is uncertain
    ("<tagged>X</tagged>", True),
    ("<os>Windows</os>", True),
    ("<statetype>none</statetype>", False),  # its replies' fate is not modelled
])
def test_a_rule_that_may_match_still_has_its_action(extra, certain):
    # a pass rule with a schedule or a tag condition passes what it matches, and the rule below passes it
    # too: passed either way [FILTERINC]; a rule whose pass is not modelled stays unknown
    schedules = ("<schedules><schedule><name>OFFICEHOURS</name><timerange><position>1,2,3,4,5</position>"
                 "<hour>8:00-17:00</hour></timerange></schedule></schedules>")
    text = pfsense(rule("opt1", "pass", proto="tcp", extra=extra, descr="cond") + rule("opt1", "pass", descr="all"),
                   extra=schedules)
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    if certain:
        assert o.kind == PERMIT and o.source.line == at(text, "all")
    else:
        assert o.kind == UNKNOWN and o.source.line == at(text, "cond")


def test_wan_dhcp_address_is_unknown():
    # an address learned by DHCP is not in config.xml: rules using it are uncertain, other rules exact
    wan = WAN_STATIC.replace("<ipaddr>203.0.113.2</ipaddr>", "<ipaddr>dhcp</ipaddr>").replace(
        "<gateway>WANGW</gateway>", "")
    text = pfsense(rule("opt1", "block", dst="<network>wanip</network>", descr="to wan ip")
                   + rule("opt1", "pass"), interfaces=LAN + wan + OPT1, gateways="")
    cfg = parse(text)
    assert decide(cfg, WS, "198.51.100.7").kind == UNKNOWN
    assert decide(cfg, WS, SRV).kind == PERMIT  # not where a WAN address can be
    assert any(r.prefix_len == 0 and r.interface == "WAN" for r in cfg.routes)


def test_generated_block_private_networks_on_wan():
    # [FILTERINC] 'Block private networks' = block in quick on WAN from 10/8, 127/8, 172.16/12, 192.168/16
    wan = WAN_STATIC.replace("</wan>", "<blockpriv></blockpriv></wan>")
    text = pfsense(rule("wan", "pass", dst="<address>10.20.0.10</address>", descr="wan to srv"),
                   interfaces=LAN + wan + OPT1)
    cfg = parse(text)
    o = decide(cfg, "10.99.0.1", SRV)
    assert o.kind == DENY and o.source.line == line_of(text, "<blockpriv>")
    assert decide(cfg, "198.51.100.7", SRV).kind == PERMIT


def test_generated_link_local_and_port0_blocks():
    # [FILTERINC] 'Block IPv4 link-local' and 'Block traffic to port 0' come before the user's rules
    cfg = parse(pfsense(rule("opt1", "pass")))
    assert decide(cfg, WS, "169.254.1.1").kind == DENY
    assert decide(cfg, WS, SRV, "tcp", 0).kind == DENY
    assert decide(cfg, WS, SRV, "tcp", 1).kind == PERMIT


def test_anti_lockout_rule_of_the_default_config():
    # [FILTERINC] pass in quick on LAN proto tcp to (LAN) port {443 80} (HTTPS GUI, HTTP redirect)
    from conftest import FIXTURES
    text = (FIXTURES / "corpus" / "pfsense" / "pfsense-default-config.xml").read_text()
    cfg = parse(text)
    lan_in = cfg.filters["in on LAN: generated"]
    anti = [r for r in lan_in.rules if "anti-lockout" in r.note]
    assert len(anti) == 1 and anti[0].source.line == line_of(text, "<webgui>")
    assert anti[0].match.contains(tuple(decide(cfg, "10.99.0.1", "192.168.1.1", "tcp", 443).packets.cubes[0].dims[k]
                                        .lo for k in range(5)))
    # the default LAN rules: LAN net to any, IPv4 and IPv6
    lan = cfg.filters["in on LAN"]
    assert [r.source.line for r in lan.rules] == [line_of(text, "Default allow LAN to any"),
                                                  line_of(text, "Default allow LAN IPv6")]
    assert decide(cfg, "192.168.1.50", "198.51.100.7").kind == PERMIT
    # WAN: nothing passes in; 'Block bogon networks' blocks IANA's reserved blocks for certain and, for other
    # public addresses, depends on the downloaded list: blocked by it or by the default deny, either way
    o = decide(cfg, "198.51.100.7", "192.168.1.50")
    assert o.kind == DENY and o.source.line == line_of(text, "<blockbogons>")
    o = decide(cfg, "8.8.8.8", "192.168.1.50")
    assert o.kind == DENY and o.source.line == line_of(text, "<wan>")
    assert decide(cfg, "10.1.1.1", "192.168.1.50").source.line == line_of(text, "<blockpriv>")


def test_opnsense_new_model_rules_quick_direction_and_order():
    # [OPNRULE] new-model rules precede legacy rules of the same priority; quick defaults on; floating =
    # several interfaces
    rules = (mvc_rule("block", "opt1", protocol="TCP", dst="10.20.0.10", seq=20, descr="mvc block")
             + mvc_rule("pass", "opt1,lan", quick="0", seq=10, descr="mvc floating nonquick"))
    text = opnsense(rules, legacy=rule("opt1", "pass", descr="legacy pass"))
    cfg = parse(text)
    assert cfg.vendor == "opnsense"
    assert decide(cfg, WS, SRV).source.line == at(text, "mvc block")
    # floating non-quick pass loses to the interface's quick rules, which already pass
    assert decide(cfg, WS, "10.20.0.11").source.line == at(text, "legacy pass")
    assert decide(cfg, SRV, WS).source.line == at(text, "mvc floating nonquick")


def test_opnsense_flags_read_by_value():
    # OPNsense reads <disabled>1</disabled>; an empty <disabled/> does not disable (PHP !empty)
    text = opnsense(legacy=rule("opt1", "block", extra="<disabled>0</disabled>", descr="still on")
                    + rule("opt1", "pass"))
    assert decide(parse(text), WS, SRV).kind == DENY
    text = opnsense(legacy=rule("opt1", "block", extra="<disabled>1</disabled>", descr="off")
                    + rule("opt1", "pass"))
    assert decide(parse(text), WS, SRV).kind == PERMIT


def test_opnsense_alias_content_lines():
    aliases = """
					<alias uuid="1">
						<enabled>1</enabled>
						<name>srv</name>
						<type>host</type>
						<content>10.20.0.10
							10.20.0.11</content>
					</alias>"""
    text = opnsense(mvc_rule("pass", "opt1", dst="srv", protocol="TCP", dport="445"), aliases=aliases)
    cfg = parse(text)
    assert decide(cfg, WS, "10.20.0.11").kind == PERMIT
    srv = next(o for o in cfg.objects if o.name == "srv")
    assert [m.line for m in srv.members] == [line_of(text, "10.20.0.10"), line_of(text, "10.20.0.11")]


def test_interface_groups_rules_apply_to_members_between_floating_and_tabs():
    # [METHOD] interface groups; pfSense get_filter_rules_map: floating, then groups, then interfaces
    groups = "<ifgroups><ifgroupentry><ifname>INTERNAL</ifname><members>lan opt1</members></ifgroupentry></ifgroups>"
    text = pfsense(rule("opt1", "pass", descr="tab pass") + rule("INTERNAL", "block", proto="tcp",
                                                                  descr="group block"), extra=groups)
    cfg = parse(text)
    assert decide(cfg, WS, SRV).source.line == at(text, "group block")
    assert decide(cfg, WS, SRV, "udp", 53).source.line == at(text, "tab pass")


def test_rule_actions_in_filters_are_permit_or_deny():
    cfg = parse(pfsense(rule("opt1", "pass") + rule("opt1", "block")))
    assert [r.action for r in cfg.filters["in on WORKSHOP"].rules] == [Action.PERMIT, Action.DENY]


def test_virtual_ips_are_the_firewalls_addresses_but_not_the_interface_macros():
    # [FILTERINC] '(self)' is every address of the firewall; 'lanip' / 'lan' are the interface's own
    # ('ip', 'sa'/'sn'); the anti-lockout rule's '(em1)' is every address on the interface
    vips = """<virtualip><vip><mode>ipalias</mode><interface>lan</interface><subnet>10.25.0.1</subnet>
    <subnet_bits>24</subnet_bits><type>single</type></vip></virtualip>"""
    text = pfsense(rule("opt1", "block", dst="<network>lanip</network>", descr="to lan ip")
                   + rule("opt1", "block", dst="<network>(self)</network>", descr="to self")
                   + rule("opt1", "pass", descr="rest"), extra=vips)
    cfg = parse(text)
    assert decide(cfg, WS, "10.25.0.1").source.line == at(text, "to self")
    assert decide(cfg, WS, "10.20.0.1").source.line == at(text, "to lan ip")
    assert decide(cfg, WS, "10.25.0.9").source.line == at(text, "rest")  # routed to LAN's VIP subnet
    lan = next(i for i in cfg.interfaces if i.name == "LAN")
    assert make_packet("10.25.0.9", "1.1.1.1", "tcp", 1, 1)[0] in lan.networks
    anti = [r for r in cfg.filters["in on LAN: generated"].rules if "anti-lockout" in r.note]
    assert anti[0].match.contains(make_packet("10.20.0.50", "10.25.0.1", "tcp", 40000, 443))


def test_dhcp_replies_let_in_on_a_dhcp_wan_are_not_routed_on():
    # [FILTERINC] 'pass in quick on $WAN proto udp from any port = 67 to any port = 68 tag "dhcpin" no state' and
    # 'block out quick proto udp from any port = 67 to any port = 68 tagged "dhcpin"'
    wan = WAN_STATIC.replace("<ipaddr>203.0.113.2</ipaddr>", "<ipaddr>dhcp</ipaddr>").replace(
        "<gateway>WANGW</gateway>", "")
    cfg = parse(pfsense(rule("wan", "pass", descr="wan any"), interfaces=LAN + wan + OPT1, gateways=""))
    o = decide(cfg, "198.51.100.7", SRV, "udp", 68, sport=67)
    assert o.kind == DENY and "Prevent routing dhcp responses" in o.rule.label
    assert decide(cfg, "198.51.100.7", SRV, "udp", 69, sport=67).kind == PERMIT


def test_static_route_filtering_passes_between_routed_subnet_and_interface():
    # [FILTERINC] with 'bypassstaticroutes': pass quick on IF from IF's subnet to the route's network, and back
    routes = """<staticroutes><route><network>10.50.0.0/16</network><gateway>LANRTR</gateway></route></staticroutes>
    <gateways><gateway_item><interface>wan</interface><gateway>203.0.113.1</gateway><name>WANGW</name>
    <ipprotocol>inet</ipprotocol></gateway_item><gateway_item><interface>lan</interface><gateway>10.20.0.254</gateway>
    <name>LANRTR</name><ipprotocol>inet</ipprotocol></gateway_item></gateways>"""
    text = pfsense("", gateways=routes)
    assert decide(parse(text), SRV, "10.50.1.1").kind == DENY  # routed back out of LAN: LAN's rules decide
    text = text.replace("<filter>", "<filter>\n\t\t<bypassstaticroutes></bypassstaticroutes>")
    o = decide(parse(text), SRV, "10.50.1.1")
    assert o.kind == PERMIT and "statically routed" in o.rule.label


def test_disabled_packet_filtering_passes_everything():
    cfg = parse(pfsense(rule("opt1", "block"), system="<disablefilter>enabled</disablefilter>"))
    o = decide(cfg, WS, SRV)
    assert o.kind == PERMIT and "disabled" in o.reason


def test_opnsense_private_networks_list():
    # [OPN] filter.lib.inc: 'Block private networks' = 10/8, 172.16/12, 192.168/16, 127/8, 100.64/10, 169.254/16
    wan = WAN_STATIC.replace("</wan>", "<blockpriv>1</blockpriv></wan>")
    text = opnsense(mvc_rule("pass", "wan", protocol="TCP", dst="10.20.0.10", descr="wan in"),
                    interfaces=LAN + wan + OPT1)
    cfg = parse(text)
    assert decide(cfg, "100.64.1.1", SRV).kind == DENY
    assert decide(cfg, "198.51.100.7", SRV).kind == PERMIT


@pytest.mark.parametrize("section, says", [
    ("<installedpackages><package><name>squid</name></package></installedpackages>", "package squid"),
    ("<installedpackages><package><name>Open-VM-Tools</name></package></installedpackages>", None),
    ("<ipsec><phase1><ikeid>1</ikeid></phase1></ipsec>", "IPsec"),
    ("<ipsec></ipsec>", None),
    ("<frobozz><x>1</x></frobozz>", "not known"),
])
def test_sections_that_could_change_any_verdict(section, says):
    cfg = parse(pfsense(rule("opt1", "pass"), extra=section))
    found = [d for d in cfg.unrecognized if d.impact is Impact.GLOBAL]
    if says is None:
        assert not found
    else:
        assert found and (says in found[0].message or says.lower() in found[0].message.lower())


def test_opnsense_legacy_rule_interfacenot_inverts_its_interfaces():
    # [OPNRULE] Rule::parseInterface writes 'on ! IF' when a rule has interfacenot, legacy <filter> rules too
    # (scripts/filter/list_legacy_rules.php carries 'interfacenot' over from them): a floating quick block on
    # "not LAN" applies on every other interface
    blk = rule("lan", "block", extra="<floating>yes</floating><quick>1</quick><interfacenot>1</interfacenot>"
                                     "<direction>in</direction>", descr="block not lan")
    text = opnsense(legacy=blk + rule("opt1", "pass") + rule("lan", "pass"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "block not lan")
    assert decide(cfg, SRV, WS).kind == PERMIT  # arriving on LAN: not matched
    # <interfacenot>0</interfacenot> (what the GUI writes when unticked) does not invert
    text = opnsense(legacy=blk.replace("<interfacenot>1<", "<interfacenot>0<") + rule("opt1", "pass"))
    assert decide(parse(text), WS, SRV).kind == PERMIT


def test_opnsense_address_lists_are_one_rule_per_entry():
    # [OPNRULE] source_net/destination_net are NetworkAliasFields with <Multiple>Y</Multiple> (Filter.xml);
    # Rule::reader expands a comma list into one pf rule per entry, and Rule::mapAddressInfo negates each entry
    # on its own, so a negated list matches what lies outside any one of its entries
    text = opnsense(mvc_rule("block", "opt1", dst="10.20.0.10,lan", seq=1, descr="blk list")
                    + mvc_rule("pass", "opt1", seq=2, descr="all"))
    cfg = parse(text)
    assert not [d for d in cfg.diagnostics if d.code == "CFG301"]
    for dst in (SRV, "10.20.0.200"):
        o = decide(cfg, WS, dst)
        assert o.kind == DENY and o.source.line == at(text, "blk list")
    assert decide(cfg, WS, "192.0.2.7").kind == PERMIT
    # negated: '! 10.20.0.10' or '! 10.20.0.11' -> every address (none is in both)
    neg = mvc_rule("block", "opt1", dst="10.20.0.10,10.20.0.11", seq=1, descr="blk not list",
                   extra="<destination_not>1</destination_not>")
    cfg = parse(opnsense(neg + mvc_rule("pass", "opt1", seq=2)))
    assert decide(cfg, WS, SRV).kind == DENY
    assert decide(cfg, WS, "192.0.2.7").kind == DENY


def test_opnsense_legacy_rule_without_interface_applies_on_every_interface():
    # [OPNRULE] Rule::reader takes an empty interface as [null] and Rule::parseInterface then writes no 'on'
    # clause: the rule ('block in quick ... all') is loaded for every interface (filter.lib.inc registers every
    # legacy rule that is an array; only an empty <rule/> is skipped); pfSense skips such a rule (filter.inc:
    # 'array key ... does not exist')
    blk = """
		<rule>
			<type>block</type>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<source><any/></source>
			<destination><address>10.20.0.10</address></destination>
			<descr><![CDATA[no iface]]></descr>
		</rule>"""
    text = opnsense(legacy=blk + rule("opt1", "pass"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "no iface")
    assert decide(parse(pfsense(blk + rule("opt1", "pass"))), WS, SRV).kind == PERMIT


@pytest.mark.parametrize("src, taken", [
    ("<any/><address>10.9.9.9</address>", "any"),  # <any/> first
    ("<address>10.9.9.9</address><any/>", "any"),
    ("<address>10.9.9.9</address><network>opt1</network>", "network"),  # then <network>
    ("<network>opt1</network><address>10.9.9.9</address>", "network"),
    ("<network></network><address>10.9.9.9</address>", "address"),  # (a <network> without a value is none)
    ("<address>10.30.0.0/24</address><address>10.9.9.9</address>", "address"),  # twice: the last value
])
def test_a_side_with_several_addresses_is_read_as_pfsense_reads_it_and_reported(src, taken):
    # [FILTERINC] filter_generate_address: "if (isset($rule[$target]['any'])) any; else if ($rule[$target]
    # ['network']) ...; else if ($rule[$target]['address']) ..." (pfsense/pfsense src/etc/inc/filter.inc); an
    # element given twice keeps its last value.  No GUI writes such a side: reported, the rule uncertain.
    text = pfsense(rule("opt1", "block", src=src, descr="odd") + rule("opt1", "pass"))
    cfg = parse(text)
    d, = cfg.unrecognized
    assert d.impact is Impact.FILTER and "source" in d.message
    [r] = [r for f in cfg.filters.values() for r in f.rules if r.source.line == at(text, "odd")]
    every = r.match.union(r.maybe)
    ws, other = make_packet(WS, SRV, "tcp", 40000, 445), make_packet("10.9.9.9", SRV, "tcp", 40000, 445)
    assert (every.contains(ws), every.contains(other)) == {"any": (True, True), "network": (True, False),
                                                            "address": (False, True)}[taken]


def test_a_rule_with_two_sources_is_reported_and_uncertain():
    # (every other element given twice is reported so; the second <source> was taken silently, and with it
    # the block below passed the Workshop client, though the config reader merges the two sides' children
    # and filter.inc then reads the first one's <any/>)
    text = pfsense(rule("opt1", "block", src="<any/></source><source><address>10.9.9.9</address>", descr="odd")
                   + rule("opt1", "pass"))
    cfg = parse(text)
    twice, both = cfg.unrecognized
    assert "<source> given twice" in twice.message and "<source> holds <any> and <address>" in both.message
    assert decide(cfg, WS, SRV).kind == UNKNOWN


def test_a_direction_not_understood_is_reported_at_its_element():
    # (found by fuzzing: the report looked for the element under the key that holds its text, a traceback)
    for text in (pfsense(floating("block", True, "sideways", "lan", descr="odd")),
                 opnsense(mvc_rule(direction="sideways", descr="odd"))):
        cfg = parse(text)
        hits = [d for d in cfg.diagnostics if "direction 'sideways' not understood" in d.message]
        assert len(hits) == 1 and "<direction>sideways<" in hits[0].source.text, hits


def test_a_protocol_not_understood_is_reported_at_its_element():
    # (found by fuzzing: as for the direction above, a traceback; no such name in FreeBSD's /etc/protocols, pfctl
    # refuses the ruleset: test_pfsense_leftovers24.py)
    for text in (pfsense(rule("lan", "pass", proto="quic", descr="odd")),
                 opnsense(mvc_rule(protocol="quic", descr="odd"))):
        hits = [d for d in parse(text).diagnostics if "protocol 'quic': pfctl knows no such protocol" in d.message]
        assert len(hits) == 1 and "quic<" in hits[0].source.text, hits


def test_a_static_route_to_the_null4_gateway_drops_at_its_line():
    # pfSense's built-in Null4/Null6 gateways make a static route a null route (Netgate pfSense documentation,
    # "Static Routes"): its packets are dropped, whatever the rules pass
    routes = """<staticroutes><route><network>10.97.0.0/16</network><gateway>Null4</gateway></route></staticroutes>
    <gateways><gateway_item><interface>wan</interface><gateway>203.0.113.1</gateway><name>WANGW</name>
    <ipprotocol>inet</ipprotocol><defaultgw></defaultgw></gateway_item></gateways>"""
    text = pfsense(rule("opt1", "pass", descr="ws any"), gateways=routes)
    cfg = parse(text)
    assert not cfg.unrecognized and not [d for d in cfg.diagnostics if "Null4" in d.message]
    o = decide(cfg, WS, "10.97.1.1")
    assert o.kind == DENY and o.source.line == line_of(text, "<route>") and "Null4" in o.reason
    assert decide(cfg, WS, "8.8.8.8").kind == PERMIT  # (the default gateway's route)


# --- alias exclusions ('!'): the table's most specific entry decides --------------------------------------

def _opn_alias(name: str, typ: str, content: str, n: int) -> str:
    return """
					<alias uuid="22222222-0000-0000-0000-%012d">
						<enabled>1</enabled>
						<name>%s</name>
						<type>%s</type>
						<content>%s</content>
						<description>x</description>
					</alias>""" % (n, name, typ, content.replace(" ", "\n"))


def test_alias_exclusions_are_decided_by_the_most_specific_entry():
    # OPNsense docs, "Aliases" (https://docs.opnsense.org/manual/aliases.html): "Network type Aliases can contain
    # exclusion hosts or networks. Exclusion addresses starts with '!' sign (eg !192.168.0.0/24) and can be used
    # to exclude hosts or networks from current Alias or Network group alias".  The alias is a pf table, and pf
    # matches a table by the most specific entry that holds the address, an excluded ('!') entry not matching
    # (FreeBSD sys/netpfil/pf/pf_table.c, pfr_match_addr: rn_match, the radix tree's longest-prefix match, then
    # 'match = (ke && !ke->pfrke_not)').  Before, every exclusion was subtracted from the whole alias: WS, held by
    # its own /32 entry inside the excluded /25, was taken to be outside the block list, and passed.
    shop = _opn_alias("Shop", "network", "10.30.0.0/24 !10.30.0.0/25 10.30.0.5/32", 1)
    cfg = parse(opnsense(mvc_rule("block", "opt1", src="Shop", seq=1, descr="b")
                         + mvc_rule("pass", "opt1", seq=2, descr="p"), aliases=shop))
    assert not cfg.diagnostics
    assert [decide(cfg, s, SRV).kind for s in (WS, "10.30.0.6", "10.30.0.200")] == [DENY, PERMIT, DENY]


def test_an_exclusion_in_a_member_alias_excludes_from_the_network_group():
    # (same documents: the exclusion works on the "Network group alias" too, whose table holds its members'
    # entries).  Before, the member alias was resolved on its own (an exclusion of nothing) and the group passed
    # 10.30.0.7, which the device's table does not hold: the default deny drops it.
    aliases = (_opn_alias("ShopNet", "network", "10.30.0.0/24", 1) + _opn_alias("NotPlotter", "host", "!10.30.0.7", 2)
               + _opn_alias("Clients", "networkgroup", "ShopNet NotPlotter", 3))
    cfg = parse(opnsense(mvc_rule("pass", "opt1", src="Clients", seq=1, descr="p"), aliases=aliases))
    assert decide(cfg, "10.30.0.8", SRV).kind == PERMIT
    assert decide(cfg, "10.30.0.7", SRV).kind == DENY


def test_policy_routed_pass_takes_local_traffic_without_negate_rules():
    # A pass rule with a gateway is 'route-to': what it passes leaves by that gateway, local destinations and the
    # firewall itself included, unless rules without a gateway pass them first (Netgate docs, "Bypassing Policy
    # Routing", https://docs.netgate.com/pfsense/en/latest/routing/bypassing-policy-routing.html: "Rules that match
    # traffic to send connections out a specific WAN can cause local or VPN traffic destinations to exit the
    # firewall WAN"; OPNsense manual, "Multi WAN", Step 4 "Policy based routing": "traffic intended for the firewall
    # itself will be routed in this (wrong) direction", https://docs.opnsense.org/manual/how-tos/multiwan.html).
    # pfSense's generated negate rules pass without the gateway only <negate_networks>, which holds its VPN networks
    # (pfSense filter.inc: 'table <negate_networks> { $vpns_list }', filter_get_vpns_list: IPsec phase 2 and mobile
    # pool, OpenVPN remote and tunnel networks, PPPoE server subnets), never the connected networks.  Before, a
    # pfSense rule's gateway was taken to change nothing (local traffic bypassing it): WS -> SRV passed.
    gw = "<gateway>WANGW</gateway>"
    for cfg in (parse(pfsense(rule("opt1", "pass", extra=gw))),
                parse(pfsense(rule("opt1", "pass", extra=gw), system="<disablenegate></disablenegate>")),
                parse(opnsense(legacy=rule("opt1", "pass", extra=gw))),
                parse(opnsense(rules=mvc_rule(interface="opt1", extra=gw)))):
        o = decide(cfg, WS, SRV)
        assert o.kind == UNKNOWN and "policy routing" in o.rule.note
        assert decide(cfg, WS, "10.30.0.1").kind == UNKNOWN  # (to the firewall's own address)
        assert decide(cfg, WS, "203.0.113.9").kind == UNKNOWN  # (WAN's subnet: sent to the gateway instead)
        # the routing table sends the Internet out of WAN anyway: the gateway changes nothing there
        assert decide(cfg, WS, "198.51.100.7").kind == PERMIT
        assert any("policy routing" in d.message for d in cfg.diagnostics)
    # without a gateway the same OPNsense rule passes
    assert decide(parse(opnsense(rules=mvc_rule(interface="opt1"))), WS, SRV).kind == PERMIT


def test_policy_routed_pass_with_and_without_out_rules():
    # The destinations the gateway changes nothing for leave by the same interface either way, so an out-direction
    # floating rule on it decides them as it would without the gateway (before, the check meant to tell the two
    # cases apart read the out rules before they were read, and never ran).  The other destinations are unknown
    # either way.
    gw = "<gateway>WANGW</gateway>"
    plain = parse(pfsense(rule("opt1", "pass", extra=gw)))
    text = pfsense(floating("block", True, "out", "wan", "tcp", descr="no smb out") + rule("opt1", "pass", extra=gw))
    outs = parse(text)
    assert decide(plain, WS, "198.51.100.7", dport=445).kind == PERMIT
    o = decide(outs, WS, "198.51.100.7", dport=445)
    assert o.kind == DENY and o.source.line == at(text, "no smb out")
    assert decide(plain, WS, SRV).kind == UNKNOWN and decide(outs, WS, SRV).kind == UNKNOWN


def test_policy_routing_through_a_gateway_group():
    # a gateway group sends out of its members' interfaces: all on one interface, as a gateway of it; members on
    # two interfaces, which one takes a packet is decided at run time (tiers, gateway state): unknown
    second = """
		<gateway_item>
			<interface>opt1</interface>
			<gateway>10.30.0.254</gateway>
			<name>OPTGW</name>
			<ipprotocol>inet</ipprotocol>
		</gateway_item>"""

    def group(*members):
        items = "".join("<item>%s|%d|address</item>" % (m, n + 1) for n, m in enumerate(members))
        return "<gateway_group><name>GRP</name>%s</gateway_group>" % items

    for members, internet in ((("WANGW",), PERMIT), (("WANGW", "OPTGW"), UNKNOWN)):
        gws = GATEWAYS.replace("</gateways>", second + group(*members) + "</gateways>")
        cfg = parse(pfsense(rule("lan", "pass", extra="<gateway>GRP</gateway>"), gateways=gws))
        assert decide(cfg, SRV, "198.51.100.7").kind == internet
        assert decide(cfg, SRV, WS).kind == UNKNOWN



def test_a_block_rule_ignores_its_gateway():
    # The gateway of a block or reject rule has no effect: pfSense filter.inc filter_generate_user_rule writes
    # route-to only 'if ($rule['gateway'] <> "" && $type == "pass")' [FILTERINC]; OPNsense FilterRule.php unsets
    # it ('if (!empty($rule['type']) && $rule['type'] != 'pass') { unset($rule['gateway'], ...); $this->log("Gateway
    # not allowed for block rules"); }' [OPNRULE]).  Before, the rule was taken as policy routing and its packets
    # were unknown (a block with a gateway set by mistake made every packet it blocks unknown).
    gw = "<gateway>WANGW</gateway>"
    for text in (pfsense(rule("opt1", "block", extra=gw, descr="b") + rule("opt1", "pass")),
                 pfsense(rule("opt1", "reject", extra=gw, descr="b") + rule("opt1", "pass")),
                 opnsense(legacy=rule("opt1", "block", extra=gw, descr="b") + rule("opt1", "pass")),
                 opnsense(mvc_rule("block", "opt1", extra=gw, seq=1, descr="b") + mvc_rule("pass", "opt1", seq=2))):
        cfg = parse(text)
        o = decide(cfg, WS, SRV)
        assert o.kind == DENY and o.source.line == at(text, "b")
        assert not [d for d in cfg.diagnostics if "gateway" in d.message]


def test_opnsense_new_model_rules_follow_their_sequence_not_the_file_order():
    # [OPNRULE] plugins.inc.d/pf.inc pf_firewall: 'foreach ($mdlFilter->rules->rule->sortedBy(['sequence']) ...)
    # $fw->registerFilterRule($rule->getPriority(), ...)', registered before filter_core_rules_user's legacy rules
    # (filter.inc filter_configure_sync: plugins_firewall($fw), then filter_core_rules_user($fw)); Plugin.php keeps
    # each priority's rules in registration order (ksort on the priority only)
    rules = (mvc_rule("pass", "opt1", seq=20, descr="mvc pass second")
             + mvc_rule("block", "opt1", protocol="TCP", seq=10, descr="mvc block first"))
    text = opnsense(rules, legacy=rule("opt1", "pass", descr="legacy pass"))
    cfg = parse(text)
    assert decide(cfg, WS, SRV).source.line == at(text, "mvc block first")
    assert decide(cfg, WS, SRV, "udp", 53).source.line == at(text, "mvc pass second")


def test_opnsense_new_model_nat_lists_are_read_not_ignored():
    # OPNsense's Filter model (models/OPNsense/Firewall/Filter.xml, mounted at //OPNsense/Firewall/Filter) holds
    # outbound NAT ('snatrules'), NPTv6 ('npt') and 1:1 NAT ('onetoone') lists beside the rules (pf.inc
    # pf_firewall registers them as source, NPT and static NAT rules): a 1:1 mapping is modelled (its outbound half
    # leaves WAN), an empty list is nothing (test_pfsense_opn26.py: each list in detail)
    one = """
				<onetoone>
					<rule uuid="11111111-0000-0000-0000-000000000001">
						<enabled>1</enabled>
						<interface>wan</interface>
						<source_net>10.20.0.10</source_net>
						<external>203.0.113.10</external>
					</rule>
				</onetoone>
				<snatrules/>"""
    end = "</rules>\n\t\t\t</Filter>"
    text = opnsense(mvc_rule("pass", "opt1")).replace(end, "</rules>" + one + end[len("</rules>"):])
    assert "<onetoone>" in text
    cfg = parse(text)
    assert not [d for d in cfg.diagnostics if "onetoone" in d.message or "snatrules" in d.message]
    post = [r for n in cfg.nat if n.when == "post-routing" for r in n.rules if "1:1" in r.label]
    assert post and post[0].egress == ("WAN",)

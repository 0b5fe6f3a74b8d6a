"""pfSense / OPNsense semantics left open by the previous round (session 24, second pass).

Sources cited below:
* [OPNFILTERLIB] OPNsense src/etc/inc/filter.lib.inc (opnsense/core at f95e81516e), filter_core_rules_user:
  '$ifgroups[(string)$node->ifname] = ...' then for each legacy <filter><rule>: 'if (isset($rule['floating']))
  $prio = 200000; elseif (isset($ifgroups[$rule['interface']])) $prio = 300000 + $ifgroups[...]; else $prio =
  400000;' -- the group is looked up by the whole interface field, so 'grp,lan' is no group.
* [SORTEDBY] OPNsense models/OPNsense/Base/FieldTypes/ArrayField.php sortedBy: the key of each item is
  'sprintf("%30s,", $payload)' of a numeric sequence followed by '$nodeKey' (the uuid), sorted with 'ksort($sortedData,
  SORT_NATURAL | SORT_FLAG_CASE)'; etc/inc/filter.inc sorts the port forwards so ('(new
  OPNsense\\Firewall\\DNat())->rule->sortedBy(['sequence'])'), as pf.inc does the filter rules.  [NATCMP] php-src
  ext/standard/strnatcmp.c strnatcmp_ex: a run of digits that starts with '0' is compared digit by digit from the
  left (compare_left), so 'a01b...' comes before 'a1a...'.
* [PROTOCOLS] FreeBSD lib/libc/net/protocols (freebsd/freebsd-src at 9110719c82), installed as /etc/protocols:
  'ipencap 4 IP-ENCAP', 'st2 5 ST2', 'ipv6-icmp 58 IPV6-ICMP icmp6', '#hopopt 0 HOPOPT' (commented out), 'ip 0 IP';
  no 'ipv4', 'st', 'icmpv6', 'nos', 'pcp', 'mh', 'rspf', 'ethernet' (IANA's keywords).  [GETPROTO]
  lib/libc/net/getprotoname.c compares names and aliases with strcmp.  [PARSEY] sbin/pfctl/parse.y: 'protoval:
  STRING { p = getprotobyname($1); if (p == NULL) { yyerror("unknown protocol %s", $1); ... YYERROR; }', proto_item:
  'if (pr == 0) { yyerror("proto 0 cannot be used"); YYERROR; }'; rule_consistent: '(r->proto == IPPROTO_ICMPV6 &&
  r->af == AF_INET)' -> "proto %s doesn't match address family %s".  A ruleset pfctl refuses is not loaded.
* [FILTERINC] pfSense src/etc/inc/filter.inc filter_generate_user_rule writes any protocol but 'tcp/udp' and 'any'
  as it is (' proto {$rule['protocol']} '); filter_generate_port writes ports for tcp, udp, tcp/udp and sctp
  (get_ipprotocols('portsonly')).  [OPNRULE] OPNsense Rule.php reader lowercases the protocol, PARSE_PROTO writes it
  as it is (but 'tcp/udp', 'a/n'); FilterRule.php turns 'icmp' of an inet6 rule into 'ipv6-icmp', never the reverse:
  an IPv4+IPv6 rule of IPV6-ICMP stops the firewall loading its rules (opnsense/core#4493, "proto icmp6 doesn't
  match address family inet").
* [REPLYTO] pfSense filter.inc filter_generate_user_rule: 'if (($type == "pass") && ($rule['gateway'] == "") &&
  ($aline['direction'] <> "") && (interface_has_gateway($rule['interface']) || interface_has_gatewayv6(...)) &&
  !config_path_enabled('system','disablereplyto') && !isset($rule['disablereplyto']))' writes 'reply-to ( IF GW )'
  with GW the interface's gateway (gwlb.inc get_interface_gateway); the help of System > Advanced > Firewall & NAT
  (system_advanced_firewall.php), 'Disable reply-to on WAN rules': "With Multi-WAN it is generally desired to
  ensure traffic leaves the same interface it arrives on, hence reply-to is added automatically by default"
  (docs.netgate.com, pfSense "Firewall/NAT Tab", Disable reply-to).  FreeBSD pf.conf(5) 'reply-to'
  (https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5): "similar to route-to, but routes packets that pass
  in the opposite direction (replies) to the specified interface" -- the replies leave by the gateway, whatever
  the routing table says.  OPNsense library/OPNsense/Firewall/FilterRule.php convertReplyTo: the rule's own
  reply-to gateway, else unless 'disablereplyto' (the rule's, or system's via Plugin.php) for a direction other
  than 'any', without interface inversion or gateway, the interface's gateway (filter.lib.inc).
"""

from pf_helpers import GATEWAYS, LAN, OPT1, WAN_STATIC, at, decide, line_of, mvc_rule, opnsense, parse, pfsense, rule
from test_pfsense_nat import OUT, WAN_IP, opn_forward, opn_nat, wan_rule

from auditor.core.model import Impact
from auditor.engine import DENY, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1), a server on LAN

_GROUP = """
	<ifgroups>
		<ifgroupentry>
			<ifname>grp</ifname>
			<members>opt1</members>
			<sequence>5</sequence>
		</ifgroupentry>
	</ifgroups>
	<filter>"""


def test_opnsense_legacy_rule_on_a_group_and_an_interface_is_no_group_rule():
    # [OPNFILTERLIB] 'grp,lan' is not a key of $ifgroups: priority 400000, with the interface rules in file order.
    # Before, it was taken as a group rule (300005), ahead of the OPT1 rule before it, and the flow was blocked.
    legacy = rule("opt1", "pass", descr="opt1 pass") + rule("grp,lan", "block", descr="grp block")
    text = opnsense(legacy=legacy).replace("<filter>", _GROUP, 1)
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "opt1 pass")
    # the group alone is a group rule: ahead of the interface rules
    legacy = rule("opt1", "pass", descr="opt1 pass") + rule("grp", "block", descr="grp block")
    text = opnsense(legacy=legacy).replace("<filter>", _GROUP, 1)
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "grp block")


def test_opnsense_forwards_of_one_sequence_follow_the_natural_order_of_their_uuids():
    # [SORTEDBY][NATCMP] 'a01b...' before 'a1a...' ('01' against '1' from the left: 0 < 1).  Before, the uuids were
    # compared by the values of their digit runs (1 = 1, then 'b' > 'a'): the forward to SRV, which the WAN rule
    # admits, took the packet and it passed; OPNsense redirects it to the other server, which no rule admits.
    other = "10.20.0.11"
    for order in (0, 1):
        fwds = [opn_forward(other, seq="100", uuid="a01b0000-0000-4000-8000-000000000001", descr="to other"),
                opn_forward(seq="100", uuid="a1a00000-0000-4000-8000-000000000002", descr="to srv")]
        text = opn_nat("".join(fwds[::-1] if order else fwds), legacy=wan_rule("3389"))
        o = decide(parse(text), OUT, WAN_IP, "tcp", 3389)
        assert o.kind == DENY and [x.source.line for x in o.xlate.rules] == [at(text, "to other")]


def _global(cfg, text, needle):
    return [d for d in cfg.unrecognized if d.impact is Impact.GLOBAL and d.source.line == line_of(text, needle)]


def test_a_lower_case_protocol_freebsd_does_not_name_refuses_the_ruleset():
    # [PROTOCOLS][PARSEY] IANA's keywords that FreeBSD's /etc/protocols lacks, and 'ip' (0): pfctl refuses the whole
    # ruleset.  Before, they were read from IANA's table and the rule passed (or blocked) what it named.
    for proto in ("ipv4", "st", "icmpv6", "nos", "pcp", "mh", "rspf", "ethernet", "hopopt", "ip", "0", "256"):
        text = pfsense(rule("opt1", "pass", proto=proto, descr="p"))
        cfg = parse(text)
        assert _global(cfg, text, "<protocol>%s</protocol>" % proto), proto
        text = opnsense(mvc_rule("pass", "opt1", protocol=proto.upper()))
        cfg = parse(text)
        assert _global(cfg, text, "<protocol>%s</protocol>" % proto.upper()), proto
    # FreeBSD's own names and aliases load: 'ipencap' (4), 'st2' (5), 'vrrp' (carp's alias), upper-case aliases
    for proto in ("ipencap", "st2", "vrrp", "IP-ENCAP", "GGP", "4"):
        text = pfsense(rule("opt1", "pass", proto=proto, descr="p") + rule("opt1", "block", proto="tcp"))
        cfg = parse(text)
        assert not cfg.unrecognized, proto


def test_opnsense_ipv6_icmp_in_an_ipv4_rule_refuses_the_ruleset():
    # [OPNRULE][PARSEY] 'inet proto ipv6-icmp' (an IPv4 rule, or the IPv4 half of an IPv4+IPv6 one): pfctl refuses
    # the ruleset.  Before, the IPv4 half was silently left out and the rest decided as loaded.
    for fam in ("inet", "inet46"):
        text = opnsense(mvc_rule("block", "opt1", protocol="IPV6-ICMP", ipprotocol=fam, descr="b")
                        + mvc_rule("pass", "opt1", seq=2))
        cfg = parse(text)
        assert _global(cfg, text, "<protocol>IPV6-ICMP</protocol>"), fam
        text = opnsense(legacy=rule("opt1", "block", proto="ipv6-icmp", ipprotocol=fam, descr="b"))
        cfg = parse(text)
        assert _global(cfg, text, "<protocol>ipv6-icmp</protocol>"), fam
    # in an IPv6 rule it is ICMPv6, and 'icmp' of an IPv4+IPv6 rule is fine
    for proto, fam in (("IPV6-ICMP", "inet6"), ("ICMP", "inet46")):
        assert not parse(opnsense(mvc_rule("pass", "opt1", protocol=proto, ipprotocol=fam))).unrecognized


def test_sctp_rule_keeps_its_ports():
    # [FILTERINC] sctp is one of the 'portsonly' protocols: 'proto sctp ... port 445'.  Before, the ports were
    # dropped for sctp (written as any other protocol name) and the rule passed every SCTP port.
    for text in (pfsense(rule("opt1", "pass", proto="sctp", dst="<address>10.20.0.10</address><port>445</port>",
                              descr="s")),
                 pfsense(rule("opt1", "pass", proto="SCTP", dst="<address>10.20.0.10</address><port>445</port>",
                              descr="s"))):
        cfg = parse(text)
        o = decide(cfg, WS, SRV, "sctp", 445)
        assert o.kind == PERMIT and o.source.line == at(text, "s")
        assert decide(cfg, WS, SRV, "sctp", 446).kind == DENY


# OPT1 with a gateway of its own (OPTGW, 10.30.0.254) and a network routed through it; LAN's 10.50.0.0/16 is routed
# through a router on LAN
_OPT1GW = OPT1.replace("<subnet>24</subnet>", "<subnet>24</subnet>\n\t\t\t<gateway>OPTGW</gateway>")
_GWS = GATEWAYS.replace("</gateways>", """	<gateway_item>
			<interface>opt1</interface>
			<gateway>10.30.0.254</gateway>
			<name>OPTGW</name>
			<ipprotocol>inet</ipprotocol>
		</gateway_item>
		<gateway_item>
			<interface>lan</interface>
			<gateway>10.20.0.254</gateway>
			<name>LANRTR</name>
			<ipprotocol>inet</ipprotocol>
		</gateway_item>
		<defaultgw4>WANGW</defaultgw4>
	</gateways>
	<staticroutes>
		<route><network>10.99.0.0/16</network><gateway>OPTGW</gateway></route>
		<route><network>10.50.0.0/16</network><gateway>LANRTR</gateway></route>
	</staticroutes>""")


def _replyto(rules: str, system: str = "") -> str:
    return pfsense(rules, interfaces=LAN + WAN_STATIC + _OPT1GW, gateways=_GWS, system=system)


def test_pass_rule_on_an_interface_with_a_gateway_gets_reply_to():
    # [REPLYTO] 'pass in quick on $WORKSHOP reply-to ( em2 10.30.0.254 ) ...': the replies to 10.30.0.5, on OPT1's own
    # subnet, go to 10.30.0.254 instead of straight back.  Before, the flow passed.
    text = _replyto(rule("opt1", "pass", proto="tcp", descr="p"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "p")
    # (reported once, at the interface's gateway that brings it: not at each of a WAN's many rules)
    hits = [d for d in cfg.unrecognized if "reply-to" in d.message]
    assert [d.source.line for d in hits] == [line_of(text, "<gateway>OPTGW</gateway>")]
    assert hits[0].impact is Impact.FILTER and "unknown" in hits[0].message
    assert "reply-to" in o.reason
    # a source routed through that very gateway (10.99.0.0/16 via OPTGW), or the gateway itself: decided
    assert decide(cfg, "10.99.0.5", SRV).kind == PERMIT
    assert decide(cfg, "10.30.0.254", SRV).kind == PERMIT
    # a block rule has no reply-to
    text = _replyto(rule("opt1", "block", proto="tcp", descr="b"))
    assert decide(parse(text), WS, SRV).kind == DENY


def test_reply_to_is_not_written_when_disabled_or_without_a_direction():
    # [REPLYTO] the rule's <disablereplyto>, the system's, a rule with a gateway (route-to instead: reported on its
    # own), a floating rule of direction 'any': no reply-to, the flow passes
    for text in (_replyto(rule("opt1", "pass", proto="tcp", extra="<disablereplyto>yes</disablereplyto>")),
                 _replyto(rule("opt1", "pass", proto="tcp"), system="\n\t\t<disablereplyto>yes</disablereplyto>"),
                 _replyto(rule("opt1", "pass", proto="tcp",
                               extra="<floating>yes</floating><direction>any</direction><quick>yes</quick>"))):
        cfg = parse(text)
        assert decide(cfg, WS, SRV).kind == PERMIT
        assert not [d for d in cfg.unrecognized if "reply-to" in d.message]
    # an interface without a gateway: none (LAN)
    cfg = parse(_replyto(rule("lan", "pass", proto="tcp")))
    assert decide(cfg, "10.20.0.7", "10.30.0.9").kind == PERMIT


def test_opnsense_reply_to():
    # [REPLYTO] OPNsense: the interface's gateway for a direction other than 'any'; the rule's own <replyto>
    text = opnsense(mvc_rule("pass", "opt1", protocol="TCP", descr="m"), interfaces=LAN + WAN_STATIC + _OPT1GW)
    text = text.replace(GATEWAYS, _GWS)
    cfg = parse(text)
    assert decide(cfg, WS, SRV).kind == UNKNOWN
    assert decide(cfg, "10.99.0.5", SRV).kind == PERMIT
    off = text.replace("<description>m</description>", "<disablereplyto>1</disablereplyto><description>m</description>")
    assert decide(parse(off), WS, SRV).kind == PERMIT
    # LAN has no gateway of its own: its rule gets a reply-to only when it names one (LAN's router here)
    text = opnsense(mvc_rule("pass", "lan", protocol="TCP"), interfaces=LAN + WAN_STATIC + _OPT1GW)
    text = text.replace(GATEWAYS, _GWS)
    assert decide(parse(text), "10.20.0.7", "10.30.0.9").kind == PERMIT
    text = text.replace("<description>m</description>", "<replyto>LANRTR</replyto><description>m</description>")
    cfg = parse(text)
    assert decide(cfg, "10.20.0.7", "10.30.0.9").kind == UNKNOWN
    assert decide(cfg, "10.50.0.5", "10.30.0.9").kind == PERMIT

"""pfSense / OPNsense rule generation details, checked against the generators themselves.

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc (filter_generate_user_rule, filter_generate_address,
  filter_get_time_based_rule_status), pfsense/pfsense at 9363ac5b86;
* [OPNRULE] OPNsense src/opnsense/mvc/app/library/OPNsense/Firewall/FilterRule.php, opnsense/core at f95e81516e;
* [PFCONF] pf.conf(5), https://man.freebsd.org/pf.conf(5).
"""

from pf_helpers import LAN, OPT1, WAN_STATIC, at, decide, floating, line_of, parse, pfsense, rule

from auditor.engine import DENY, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1 'WORKSHOP') and a server (LAN)
OPT2 = """
		<opt2>
			<enable></enable>
			<if>em3</if>
			<descr><![CDATA[V4ONLY]]></descr>
			<ipaddr>10.40.0.1</ipaddr>
			<subnet>24</subnet>
		</opt2>"""
_V6 = "<subnet>24</subnet><ipaddrv6>fd00:%d::1</ipaddrv6><subnetv6>64</subnetv6>"
SIX = LAN.replace("<subnet>24</subnet>", _V6 % 20) + OPT1.replace("<subnet>24</subnet>", _V6 % 30)  # dual-stack


def test_a_floating_element_other_than_yes_keeps_no_direction():
    # [FILTERINC] the rule is floating when <floating> is set at all ('isset($rule['floating'])': not quick
    # without <quick>), but its direction is written only 'if (isset($rule['floating']) && $rule['floating'] ==
    # "yes")': a <floating/> rule has no direction and applies in and out. Before: taken as 'in' only, so this
    # block did not stop what leaves by LAN (a wrong pass)
    text = pfsense(rule("lan", "block", proto="tcp", descr="flt", extra="<floating/><direction>in</direction><quick/>")
                   + rule("opt1", "pass", descr="all"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)  # in on WORKSHOP (passed), out on LAN: the floating block
    assert o.kind == DENY and o.source.line == at(text, "flt")
    # written by the GUI ('yes'): its direction holds
    text = pfsense(floating("block", True, "in", "lan", proto="tcp", descr="flt") + rule("opt1", "pass", descr="all"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "all")


def test_an_interface_network_holds_the_subnets_of_its_virtual_ips():
    # [FILTERINC] 'LAN net' is the table <LAN__NETWORK> (filter_generate_address), which
    # filter_generate_aliases fills with the interface's subnet and the subnet of every entry of its 'vips'
    # (filter_generate_optcfg_array: link_interface_to_vips, any mode; no prefix length is /32). Before, the
    # IP alias's subnet 10.25.0.0/24 was left out of 'LAN net', and the block below did not stop traffic to it
    # (a wrong pass); a proxy ARP VIP's subnet (on WAN here) counts too
    vips = """<virtualip>
        <vip><mode>ipalias</mode><interface>lan</interface><subnet>10.25.0.1</subnet><subnet_bits>24</subnet_bits>
        <type>single</type></vip>
        <vip><mode>proxyarp</mode><interface>wan</interface><subnet>198.51.100.8</subnet><subnet_bits>29</subnet_bits>
        <type>network</type></vip>
    </virtualip>"""
    text = pfsense(rule("opt1", "block", dst="<network>lan</network>", descr="to lan net")
                   + rule("opt1", "block", dst="<network>wan</network>", descr="to wan net")
                   + rule("opt1", "pass", descr="rest"), extra=vips)
    cfg = parse(text)
    for dst in (SRV, "10.25.0.9"):
        o = decide(cfg, WS, dst)
        assert o.kind == DENY and o.source.line == at(text, "to lan net")
    o = decide(cfg, WS, "198.51.100.9")
    assert o.kind == DENY and o.source.line == at(text, "to wan net")
    o = decide(cfg, WS, "198.51.100.17")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")


def test_a_negated_interface_address_without_an_address_of_the_family_loads_no_rule():
    # [FILTERINC] filter_generate_address: in an inet6 rule, 'optNip' / 'lanip' without an IPv6 address
    # 'return ""' before the '!' is applied, and filter_generate_user_rule skips the rule ("source address is
    # empty"); the same for 'optN' of an interface with no address at all. Before, '! V4ONLY address' in the
    # IPv6 half of an inet46 rule was every IPv6 address: the rule passed all IPv6 (a wrong pass)
    bare = OPT2.replace("<ipaddr>10.40.0.1</ipaddr>", "").replace("<subnet>24</subnet>", "")
    for dst in ("<network>opt2ip</network><not/>", "<network>opt3</network><not/>"):
        text = pfsense(rule("opt1", "pass", dst=dst, ipprotocol="inet46", descr="not opt2"),
                       interfaces=SIX + WAN_STATIC + OPT2 + bare.replace("opt2", "opt3"), system="<ipv6allow/>")
        cfg = parse(text)
        o = decide(cfg, "fd00:30::5", "fd00:20::10")
        assert o.kind == DENY and o.rule is None, dst  # the default deny: no IPv6 rule loaded
        o = decide(cfg, WS, SRV)
        assert (o.kind == PERMIT) == ("opt2ip" in dst), dst  # its IPv4 half (no IPv4 on opt3: none either)


def test_an_address_of_the_other_family_makes_pfctl_refuse_the_ruleset():
    # [FILTERINC] the address is written as it is; pfctl's parse.y expand_rule skips a host whose family is not
    # the rule's and then fails: "rule expands to no valid combination" (the ruleset is not loaded; the
    # firewall keeps its previous rules). Before: '! 10.20.0.10' in the IPv6 half was every IPv6 address, the
    # rule a plain pass of all IPv6 (a wrong pass), and nothing was reported
    text = pfsense(rule("opt1", "pass", dst="<address>10.20.0.10</address><not/>", ipprotocol="inet46", descr="x"),
                   interfaces=SIX + WAN_STATIC, system="<ipv6allow/>")
    cfg = parse(text)
    got = [d for d in cfg.verdict_affecting() if "no valid combination" in d.message]
    assert got and got[0].source.line == line_of(text, "<address>10.20.0.10")
    # an address of the rule's family is no such case
    text = pfsense(rule("opt1", "pass", dst="<address>10.20.0.10</address><not/>", descr="x"))
    assert not parse(text).verdict_affecting()


def test_tcp_flags_count_only_for_tcp_rules_and_not_with_flags_any():
    # [FILTERINC] filter_generate_user_rule writes 'flags' only 'if ($rule['protocol'] == "tcp")', and 'flags any'
    # when tcpflags_any is set (isset), whatever tcpflags1/2 hold; [OPNRULE] the same ('!empty(tcpflags_any)').
    # Before, such a rule's flags were taken to narrow it: its packets were unknown (a wrong unknown)
    flags = "<tcpflags1>ack</tcpflags1><tcpflags2>ack</tcpflags2>"
    for proto, extra in (("", flags), ("tcp/udp", flags), ("tcp", "<tcpflags_any/>" + flags)):
        text = pfsense(rule("opt1", "pass", proto=proto, extra=extra, descr="r"))
        o = decide(parse(text), WS, SRV)
        assert o.kind == PERMIT and o.source.line == at(text, "r"), proto
    # a TCP rule with flags A/A does not pass a connection's first packet for certain
    o = decide(parse(pfsense(rule("opt1", "pass", proto="tcp", extra=flags))), WS, SRV)
    assert o.kind == UNKNOWN


def test_pfsense_reads_state_type_none_exactly():
    # [FILTERINC] 'case "none": ... no state'; any other value ('default: keep state for unknown options')
    text = pfsense(rule("opt1", "pass", extra="<statetype>None</statetype>", descr="r"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "r")
    o = decide(parse(pfsense(rule("opt1", "pass", extra="<statetype>none</statetype>"))), WS, SRV)
    assert o.kind == UNKNOWN


def test_pfsense_schedule_missing_or_without_time_range():
    # [FILTERINC] filter_generate_user_rule: 'if (!empty($rule['sched']) && !empty(config_get_path('schedules')))'
    # looks the schedule up by name; none found, the rule is written as it is (always in force). One found
    # without a <timerange>: filter_get_time_based_rule_status iterates no range and returns false, the rule
    # is left out ("# schedule finished"). Before, both were unknown (a wrong unknown)
    empty = "<schedules><schedule><name>EMPTY</name><descr>d</descr></schedule></schedules>"
    text = pfsense(rule("opt1", "block", extra="<sched>NOPE</sched>", descr="b") + rule("opt1", "pass", descr="p"),
                   extra=empty)
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "b")
    assert any(d.code == "CFG301" and "NOPE" in d.message for d in cfg.diagnostics)
    text = pfsense(rule("opt1", "block", extra="<sched>EMPTY</sched>", descr="b") + rule("opt1", "pass", descr="p"),
                   extra=empty)
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "p")
    # with a time range: in force only at its times
    timed = empty.replace("<descr>d</descr>", "<timerange><position>1</position><hour>8:00-9:00</hour></timerange>")
    text = pfsense(rule("opt1", "block", extra="<sched>EMPTY</sched>", descr="b") + rule("opt1", "pass", descr="p"),
                   extra=timed)
    assert decide(parse(text), WS, SRV).kind == UNKNOWN

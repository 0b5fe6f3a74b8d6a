"""OPNsense details checked against its generators (hunt 10).

Sources cited below:
* [PFINC] OPNsense src/etc/inc/plugins.inc.d/pf.inc pf_interfaces: each interface group is an interface of the
  mapping with 'if' = the group's name (plugins.inc plugins_interfaces registers it, config.inc
  legacy_config_get_interfaces passes it to the filter), opnsense/core at f95e81516e;
* [RULEPHP] OPNsense src/opnsense/mvc/app/library/OPNsense/Firewall/Rule.php loadAliasMap ('(%s:network)' of the
  mapping's 'if'), mapAddressInfo ("historically pf(4) excludes link-local on :network to avoid anti-spoof overlap":
  an inet6 filter rule naming an interface gets ',fe80::/10', commit c7e67c6752 "firewall: append missing link-local
  to inet6 :network selector #5528"), parsePlainCurly ('from {...}'), opnsense/core at f95e81516e;
* [PFCONF] pf.conf(5) (https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5): "Interface names and interface
  group names can have modifiers appended: :network Translates to the network(s) attached to the interface".
"""

from pf_helpers import LAN, OPT1, WAN_STATIC, at, decide, line_of, mvc_rule, opnsense, parse, pfsense, rule

from auditor.api import make_packet
from auditor.engine import DENY, PERMIT, decide_packet

WS = "10.30.0.5"  # a Workshop client (OPT1)
OPT2 = """
		<opt2>
			<enable></enable>
			<if>em3</if>
			<descr><![CDATA[PLATES]]></descr>
			<ipaddr>10.40.0.1</ipaddr>
			<subnet>24</subnet>
		</opt2>"""
GROUP = "<ifgroups><ifgroupentry><ifname>INSIDE</ifname><members>lan,opt2</members></ifgroupentry></ifgroups>"


def test_opnsense_interface_group_as_network_is_its_members_networks():
    # [PFINC] the group INSIDE is an interface of the mapping with 'if' INSIDE; [RULEPHP] 'INSIDE net' is
    # '(INSIDE:network)'; [PFCONF] a group's ':network' is the networks of its members (members split on '[ |,]+'),
    # their IP alias / CARP subnets included (set on the member with 'ifconfig ... alias'). Before, the group was
    # 'not defined' and the block unknown
    vip = """<virtualip><vip><mode>ipalias</mode><interface>opt2</interface><subnet>10.45.0.1</subnet>
        <subnet_bits>24</subnet_bits><type>single</type></vip></virtualip>"""
    legacy = (rule("opt1", "block", dst="<network>INSIDE</network>", descr="to inside")
              + rule("opt1", "pass", descr="rest"))
    text = opnsense(legacy=legacy, interfaces=LAN + WAN_STATIC + OPT1 + OPT2).replace(
        "<filter>", GROUP + vip + "<filter>", 1)
    cfg = parse(text)
    for dst in ("10.20.0.9", "10.40.0.9", "10.45.0.9"):
        o = decide(cfg, WS, dst)
        assert o.kind == DENY and o.source.line == at(text, "to inside"), dst
    o = decide(cfg, WS, "192.0.2.7")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")
    # as registered in <interfaces> by plugins_interfaces (a virtual interface without address), and in a new-model
    # rule ('destination_net' INSIDE)
    reg = "<INSIDE><internal_dynamic>1</internal_dynamic><enable>1</enable><if>INSIDE</if><descr>INSIDE</descr>" \
          "<virtual>1</virtual><type>group</type></INSIDE>"
    rules = mvc_rule("block", "opt1", dst="INSIDE", descr="to inside", seq=1) + mvc_rule("pass", "opt1", descr="rest",
                                                                                        seq=2)
    text = opnsense(rules, interfaces=LAN + WAN_STATIC + OPT1 + OPT2 + reg).replace("<filter>", GROUP + "<filter>", 1)
    cfg = parse(text)
    o = decide(cfg, WS, "10.40.0.9")
    assert o.kind == DENY and o.source.line == at(text, "to inside")
    o = decide(cfg, WS, "192.0.2.7")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")


LAN6 = LAN.replace("</lan>", "<ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64</subnetv6></lan>")
OPT1_6 = OPT1.replace("</opt1>", "<ipaddrv6>2001:db8:30::1</ipaddrv6><subnetv6>64</subnetv6></opt1>")


def _in_lan(cfg, src: str, dst: str = "2001:db8:30::5"):
    """The outcome of LAN's inbound rules for one TCP packet (a link-local source is not routed: the stage itself)."""
    return decide_packet(cfg, make_packet(src, dst, "tcp", 40000, 445), "in on LAN")


def test_opnsense_inet6_interface_network_includes_link_local():
    # [RULEPHP] mapAddressInfo: an inet6 filter rule from 'LAN net' is 'from {(em1:network),fe80::/10}': a block
    # from 'LAN net' blocks link-local sources too. Before, fe80::/10 fell to the pass after it (a wrong pass)
    rules = (mvc_rule("block", "lan", src="lan", descr="from lan", seq=1, ipprotocol="inet6")
             + mvc_rule("pass", "lan", descr="rest", seq=2, ipprotocol="inet6"))
    text = opnsense(rules, interfaces=LAN6 + WAN_STATIC + OPT1_6)
    cfg = parse(text)
    for src in ("2001:db8:20::5", "fe80::5"):
        o = _in_lan(cfg, src)
        assert o.kind == DENY and o.source.line == at(text, "from lan"), src
    o = _in_lan(cfg, "2001:db8:99::5")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")
    # the legacy rules alike; negated, '{!(em1:network),fe80::/10}' is one pf rule per entry: link-local is matched
    legacy = (rule("lan", "block", src="<network>lan</network><not/>", descr="not lan", ipprotocol="inet6")
              + rule("lan", "pass", descr="rest", ipprotocol="inet6"))
    text = opnsense(legacy=legacy, interfaces=LAN6 + WAN_STATIC + OPT1_6)
    cfg = parse(text)
    for src in ("fe80::5", "2001:db8:99::5"):
        o = _in_lan(cfg, src)
        assert o.kind == DENY and o.source.line == at(text, "not lan"), src
    o = _in_lan(cfg, "2001:db8:20::5")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")
    # 'LAN address' ('(em1)') is no interface name of the mapping, and an IPv4 rule has no link-local: no fe80::/10
    legacy = (rule("lan", "block", src="<network>lanip</network>", descr="lan ip", ipprotocol="inet6")
              + rule("lan", "block", src="<network>lan</network>", descr="v4 lan", ipprotocol="inet")
              + rule("lan", "pass", descr="rest", ipprotocol="inet6"))
    text = opnsense(legacy=legacy, interfaces=LAN6 + WAN_STATIC + OPT1_6)
    o = _in_lan(parse(text), "fe80::5")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")


def test_default_deny_points_at_the_interface_it_belongs_to():
    # The generated 'block in log all' (pfSense filter.inc, OPNsense filter.lib.inc 'Default deny rule') drops what
    # no rule of the interface passes: the finding names the interface's definition in <interfaces>, the line an
    # admin recognises. Before, it quoted the input's first line ('<?xml version="1.0"?>')
    for build in (lambda r: opnsense(legacy=r), lambda r: pfsense(r)):
        text = build(rule("lan", "pass", descr="lan out"))
        o = decide(parse(text), WS, "10.20.0.9")
        assert o.kind == DENY and o.rule is None and "default deny" in o.reason
        assert o.source.line == line_of(text, "<opt1>") and "<opt1>" in o.source.text

"""pfSense / OPNsense details checked against the generators themselves (hunt 9).

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc (filter_generate_address, filter_generate_user_rule),
  pfsense/pfsense at 9363ac5b86;
* [OPNFILTER] OPNsense src/etc/inc/filter.inc (filter_configure_sync), src/etc/inc/plugins.inc.d/pf.inc
  (pf_interfaces, pf_cron), src/opnsense/mvc/app/library/OPNsense/Firewall/Rule.php (loadAliasMap, mapAddressInfo,
  reader), opnsense/core at f95e81516e;
* [PFCONF] pf.conf(5) (https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5), "Interface names and interface
  group names can have modifiers appended: :network Translates to the network(s) attached to the interface ...
  Surrounding the interface name (and optional modifiers) in parentheses changes this behaviour. When the interface
  changes its address, the ruleset doesn't need to be reloaded."
"""

from pf_helpers import DHCP_OPT2, GATEWAYS, LAN, OPT1, WAN_STATIC, at, decide, parse, pfsense, rule

from auditor.engine import DENY, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1 'WORKSHOP') and a server (LAN)


def test_pfsense_negated_network_of_a_dhcp_interface_may_be_no_rule_at_all():
    # [FILTERINC] filter_generate_address writes '! $OPT2__NETWORK' only when the interface has a subnet ('sa', from
    # its current DHCP lease, read at each filter reload) or a virtual IP, else '' and filter_generate_user_rule
    # skips the rule ('source address is empty'). Without a lease the pass rule is not loaded at all: traffic to LAN
    # is not certainly passed by it. Before, LAN's subnet was certainly 'not DYN net' and passed (a wrong pass)
    text = pfsense(rule("opt1", "pass", dst="<network>opt2</network><not/>", descr="not dyn"),
                   interfaces=LAN + WAN_STATIC + OPT1 + DHCP_OPT2)
    o = decide(parse(text), WS, SRV)
    assert o.kind == UNKNOWN
    # its address ('DYN address') alike: '' without a lease ('if (!is_ipaddrv4($src)) return ""')
    text = pfsense(rule("opt1", "pass", dst="<network>opt2ip</network><not/>", descr="not dyn ip"),
                   interfaces=LAN + WAN_STATIC + OPT1 + DHCP_OPT2)
    o = decide(parse(text), WS, SRV)
    assert o.kind == UNKNOWN
    # a block rule that may not be loaded: the pass after it decides or it blocks, unknown
    text = pfsense(rule("opt1", "block", dst="<network>opt2</network><not/>", descr="not dyn")
                   + rule("opt1", "pass", descr="rest"), interfaces=LAN + WAN_STATIC + OPT1 + DHCP_OPT2)
    o = decide(parse(text), WS, SRV)
    assert o.kind == UNKNOWN


LAN6 = LAN.replace("</lan>", "<ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64</subnetv6></lan>")
WAN6 = WAN_STATIC.replace("</wan>", "<ipaddrv6>2001:db8:ff::2</ipaddrv6><subnetv6>64</subnetv6>"
                                    "<gatewayv6>WANGW6</gatewayv6></wan>")
GW6 = GATEWAYS.replace("</gateways>", "<gateway_item><interface>wan</interface><gateway>2001:db8:ff::1</gateway>"
                                      "<name>WANGW6</name><ipprotocol>inet6</ipprotocol></gateway_item></gateways>")
INSIDE = "<alias><name>INSIDE</name><type>network</type><address>10.20.0.0/24 2001:db8:20::/64</address></alias>"
V6 = "<ipv6allow></ipv6allow>"  # System > Advanced > Networking: Allow IPv6
OUTBOUND = """
		<outbound>
			<mode>advanced</mode>
			<rule>
				<source><network>%s</network></source>
				<destination><any/></destination>
				<interface>wan</interface>%s
				<target></target>
				<descr><![CDATA[out]]></descr>
			</rule>
		</outbound>"""


def test_pfsense_outbound_nat_without_a_family_and_no_literal_address_is_written_for_both_families():
    # [FILTERINC] filter_nat_rules_generate: a manual outbound rule with no 'ipprotocol' (Address Family 'IPv4+IPv6')
    # takes the family of an address written in its source, destination or target; with none (an alias, 'any',
    # the interface's address), filter_nat_rules_generate_if writes 'nat on $WAN inet ... -> 203.0.113.2/32' and
    # 'nat on $WAN inet6 ... -> 2001:db8:ff::2/128'. Before, only the IPv4 rule was modelled: IPv6 traffic left WAN
    # untranslated and the block on WAN's translated address did not stop it (a wrong pass)
    from pf_helpers import floating
    out6 = "<floating>yes</floating><direction>out</direction><quick>yes</quick>"
    blocks = (rule("wan", "block", src="<address>2001:db8:ff::2</address>", descr="nat6'd", extra=out6,
                   ipprotocol="inet6")
              + floating("block", True, "out", "wan", src="<address>203.0.113.2</address>", descr="nat4'd"))
    lan = rule("lan", "pass", ipprotocol="inet46")
    ifs = LAN6 + WAN6 + OPT1
    text = pfsense(lan + blocks, interfaces=ifs, gateways=GW6, system=V6, nat=OUTBOUND % ("INSIDE", ""), aliases=INSIDE)
    cfg = parse(text)
    o = decide(cfg, "2001:db8:20::10", "2001:db8:99::7", "tcp", 443)
    assert o.kind == DENY and o.source.line == at(text, "nat6'd")
    o = decide(cfg, SRV, "192.0.2.7", "tcp", 443)
    assert o.kind == DENY and o.source.line == at(text, "nat4'd")
    # an address family set: that family only
    text = pfsense(lan + blocks, interfaces=ifs, gateways=GW6, system=V6, nat=OUTBOUND % ("INSIDE", "<ipprotocol>inet"
                                                                               "</ipprotocol>"), aliases=INSIDE)
    o = decide(parse(text), "2001:db8:20::10", "2001:db8:99::7", "tcp", 443)
    assert o.kind == PERMIT
    # a literal IPv6 source without a family: IPv6 only ('$obent['ipprotocol'] = ... 'inet6''); before, the rule was
    # taken as IPv4, its IPv6 source matching nothing
    text = pfsense(lan + blocks, interfaces=ifs, gateways=GW6, system=V6, nat=OUTBOUND % ("2001:db8:20::/64", ""))
    cfg = parse(text)
    o = decide(cfg, "2001:db8:20::10", "2001:db8:99::7", "tcp", 443)
    assert o.kind == DENY and o.source.line == at(text, "nat6'd")
    o = decide(cfg, SRV, "192.0.2.7", "tcp", 443)
    assert o.kind == PERMIT


def test_opnsense_interface_network_holds_its_ip_alias_and_carp_subnets():
    # [OPNFILTER] Rule.php loadAliasMap writes 'LAN net' as '(em1:network)'; [PFCONF] ':network Translates to the
    # network(s) attached to the interface': OPNsense interfaces.inc interface_ipalias_configure sets an IP alias
    # with 'ifconfig em1 10.25.0.1/24 alias' (interface_carp_configure alike), so its subnet is in 'LAN net'.
    # Before, only the interface's own subnet was: the block to 'LAN net' did not stop traffic to the IP alias's
    # subnet (a wrong pass)
    from pf_helpers import mvc_rule, opnsense
    vip = """<virtualip><vip><mode>%s</mode><interface>lan</interface><subnet>10.25.0.1</subnet>
        <subnet_bits>24</subnet_bits><type>single</type></vip></virtualip>"""
    rules = mvc_rule("block", "opt1", dst="lan", descr="to lan", seq=1) + mvc_rule("pass", "opt1", descr="rest", seq=2)
    for mode in ("ipalias", "carp"):
        text = opnsense(rules).replace("<filter>", vip % mode + "<filter>", 1)
        o = decide(parse(text), WS, "10.25.0.9")
        assert o.kind == DENY and o.source.line == at(text, "to lan"), mode
    # a proxy ARP virtual IP is answered for, not set on the interface
    text = opnsense(rules).replace("<filter>", vip % "proxyarp" + "<filter>", 1)
    o = decide(parse(text), WS, "10.25.0.9")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")

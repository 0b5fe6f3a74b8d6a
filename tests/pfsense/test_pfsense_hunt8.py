"""pfSense / OPNsense details checked against the generators themselves (hunt 8).

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc (filter_generate_optcfg_array, filter_generate_aliases,
  filter_generate_address), pfsense/pfsense at 9363ac5b86;
* [UTILINC] pfSense src/etc/inc/util.inc (get_configured_vip_interface, get_configured_vip_detail);
* [IFINC] pfSense src/etc/inc/interfaces.inc (link_interface_to_vips, interface_ipalias_configure,
  interface_group_setup);
* [AUTONAT] Netgate, "Automatic Outbound NAT rules generation"
  (https://github.com/pfsense/docs/blob/master/source/nat/automatic-nat-rules-generation.rst): NAT rules "for every
  directly connected interface and any networks reachable through internal gateways defined via Static Routes".
"""

from pf_helpers import DHCP_OPT2, at, decide, parse, pfsense, rule

from auditor.core.packets import ISet
from auditor.engine import DENY, PERMIT, UNKNOWN
from parsers.kit.addr import cidr_set

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1 'WORKSHOP') and a server (LAN)

CARP_STACK = """<virtualip>
    <vip><mode>carp</mode><interface>lan</interface><vhid>1</vhid><subnet>10.20.0.100</subnet>
    <subnet_bits>24</subnet_bits><type>single</type><uniqid>5f0c1a2b3c4d5</uniqid></vip>
    <vip><mode>ipalias</mode><interface>_vip5f0c1a2b3c4d5</interface><subnet>10.25.0.1</subnet>
    <subnet_bits>24</subnet_bits><type>single</type><uniqid>5f0c1a2b3c4d6</uniqid></vip>
</virtualip>"""


def test_an_ip_alias_stacked_on_a_carp_vip_belongs_to_the_carp_vips_interface():
    # [IFINC] link_interface_to_vips resolves a VIP whose interface is '_vip<uniqid>' with [UTILINC]
    # get_configured_vip_interface to the interface of the CARP VIP of that uniqid, so [FILTERINC] puts its subnet
    # in that interface's network table (<LAN__NETWORK>), and interface_ipalias_configure sets the address on the
    # CARP VIP's interface (an address of the firewall). Before, the stacked IP alias was ignored: 10.25.0.0/24 was
    # neither in 'LAN net' nor connected to LAN, and the block to 'LAN net' did not stop traffic to it (a wrong pass)
    text = pfsense(rule("opt1", "block", dst="<network>lan</network>", descr="to lan net")
                   + rule("opt1", "block", dst="<network>(self)</network>", descr="to fw")
                   + rule("opt1", "pass", descr="rest"), extra=CARP_STACK)
    cfg = parse(text)
    o = decide(cfg, WS, "10.25.0.9")
    assert o.kind == DENY and o.source.line == at(text, "to lan net")
    # its address is the firewall's own ('This Firewall'), the rule above it not matching
    text = pfsense(rule("opt1", "block", dst="<network>(self)</network>", descr="to fw")
                   + rule("opt1", "pass", descr="rest"), extra=CARP_STACK)
    cfg = parse(text)
    o = decide(cfg, WS, "10.25.0.1")
    assert o.kind == DENY and o.source.line == at(text, "to fw")
    o = decide(cfg, WS, "10.25.0.9")
    assert o.kind == PERMIT and o.source.line == at(text, "rest")


GROUP = "<ifgroups><ifgroupentry><ifname>INSIDE</ifname><members>%s</members></ifgroupentry></ifgroups>"


def test_an_interface_group_as_a_rules_network_is_its_members_subnets_and_vips():
    # [FILTERINC] filter_generate_address: a <network> naming an interface group is the table '$INSIDE__NETWORK'
    # ('Include interface groups; interface groups only have VIPs'), which filter_generate_optcfg_array fills with
    # each member's 'vips' and its address/prefix ('ip'/'sn'); filter_generate_aliases writes them. Before, the
    # group was 'not defined' and the rule unknown (a wrong unknown)
    from pf_helpers import LAN, OPT1, WAN_STATIC
    vip = """<virtualip><vip><mode>ipalias</mode><interface>lan</interface><subnet>10.25.0.1</subnet>
        <subnet_bits>24</subnet_bits><type>single</type></vip></virtualip>"""
    text = pfsense(rule("opt1", "block", dst="<network>INSIDE</network>", descr="to inside")
                   + rule("opt1", "pass", descr="rest"),
                   interfaces=LAN + WAN_STATIC + OPT1 + DHCP_OPT2, extra=GROUP % "lan opt2" + vip)
    cfg = parse(text)
    for dst in (SRV, "10.25.0.9"):  # LAN's subnet and its IP alias's
        o = decide(cfg, WS, dst)
        assert o.kind == DENY and o.source.line == at(text, "to inside"), dst
    o = decide(cfg, WS, "203.0.113.9")  # WAN, not a member
    assert o.kind == PERMIT and o.source.line == at(text, "rest")
    assert not [d for d in cfg.diagnostics if "INSIDE" in d.message]


def test_an_interface_group_without_addresses_as_a_network_loads_no_rule():
    # [FILTERINC] filter_generate_address writes '$GROUP__NETWORK' only when the group has a 'vips' entry (a member
    # with an address or a virtual IP), else '' and filter_generate_user_rule skips the rule ('source address is
    # empty'): a negated empty group matches nothing, not everything
    from pf_helpers import LAN, OPT1, WAN_STATIC
    bare = DHCP_OPT2.replace("<ipaddr>dhcp</ipaddr>", "")
    text = pfsense(rule("opt1", "pass", dst="<network>INSIDE</network><not/>", descr="not inside"),
                   interfaces=LAN + WAN_STATIC + OPT1 + bare, extra=GROUP % "opt2")
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.rule is None


def test_pfsense_splits_group_members_on_spaces_only():
    # pfSense interfaces.inc interface_group_setup: 'explode(" ", $groupname['members'])': 'lan,opt1' is one name,
    # no interface, so the group's rules are on no interface. Before, the comma split it into LAN and WORKSHOP and
    # the group's pass rule passed their traffic (a wrong pass)
    groups = GROUP.replace("INSIDE", "G") % "lan,opt1"
    text = pfsense(rule("G", "pass", descr="grp"), extra=groups)
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.rule is None
    text = pfsense(rule("G", "pass", descr="grp"), extra=groups.replace(",", " "))
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "grp")


def test_a_dynamic_interfaces_network_holds_its_virtual_ips_subnets():
    # [FILTERINC] filter_generate_aliases fills <OPT2__NETWORK> with the interface's run-time subnet and its 'vips'
    # (filter_generate_optcfg_array): the IP alias's subnet is in 'DYN net' whatever DHCP gives. Before, a DHCP
    # interface's network was only the unknown run-time subnet, taken outside every known subnet (the VIP's too):
    # the block to 'DYN net' did not stop traffic to the IP alias's subnet (a wrong pass)
    from pf_helpers import LAN, OPT1, WAN_STATIC
    vip = """<virtualip><vip><mode>ipalias</mode><interface>opt2</interface><subnet>10.26.0.1</subnet>
        <subnet_bits>24</subnet_bits><type>single</type></vip></virtualip>"""
    text = pfsense(rule("opt1", "block", dst="<network>opt2</network>", descr="to dyn")
                   + rule("opt1", "pass", descr="rest"), interfaces=LAN + WAN_STATIC + OPT1 + DHCP_OPT2, extra=vip)
    o = decide(parse(text), WS, "10.26.0.9")
    assert o.kind == DENY and o.source.line == at(text, "to dyn")


def test_pfsense_compares_the_address_family_as_written():
    # [FILTERINC] filter_generate_rules splits a rule in two only 'if ($rule['ipprotocol'] == "inet46")', and
    # filter_generate_user_rule's 'switch ($rule['ipprotocol'])' writes inet6 for "inet6" exactly, inet otherwise.
    # Before, the value was lowercased: 'Inet46' passed IPv6 too (a wrong pass), 'INET6' did not pass IPv4
    from pf_helpers import LAN, OPT1, WAN_STATIC
    six = "<subnet>24</subnet><ipaddrv6>fd00:%d::1</ipaddrv6><subnetv6>64</subnetv6>"
    ifs = LAN.replace("<subnet>24</subnet>", six % 20) + OPT1.replace("<subnet>24</subnet>", six % 30) + WAN_STATIC
    for written in ("Inet46", "INET6"):
        text = pfsense(rule("opt1", "pass", ipprotocol=written, descr="r"), interfaces=ifs, system="<ipv6allow/>")
        cfg = parse(text)
        o = decide(cfg, "fd00:30::5", "fd00:20::10")
        assert o.kind == DENY and o.rule is None, written
        o = decide(cfg, WS, SRV)
        assert o.kind == PERMIT and o.source.line == at(text, "r"), written
    # a port forward alike ([FILTERINC] filter_nat_rules_generate: '$rule['ipprotocol'] == 'inet6'', else inet)
    from test_pfsense_nat import OUT, WAN_IP, forward, wan_rule
    text = pfsense(wan_rule("3389"), nat=forward("3389", assoc="nat_1", extra="<ipprotocol>INET6</ipprotocol>"))
    o = decide(parse(text), OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and [x.source.line for x in o.xlate.rules] == [at(text, "fwd")]


def test_pfsense_a_time_range_with_no_field_set_is_always_in_force():
    # [FILTERINC] filter_get_time_based_rule_status: a time range whose month, day, hour and position are empty
    # (PHP empty(): '' or '0') holds ('$monthstatus = true' ...) and the rule is installed. Before: unknown
    sched = ("<schedules><schedule><name>S</name><timerange><position></position><hour></hour>"
             "<rangedescr>x</rangedescr></timerange>%s</schedule></schedules>")
    later = "<timerange><position>1</position><hour>8:00-9:00</hour></timerange>"
    for extra in ("", later):
        text = pfsense(rule("opt1", "block", extra="<sched>S</sched>", descr="b") + rule("opt1", "pass", descr="p"),
                       extra=sched % extra)
        o = decide(parse(text), WS, SRV)
        assert o.kind == DENY and o.source.line == at(text, "b")
    # a range that sets one field is in force only then
    text = pfsense(rule("opt1", "block", extra="<sched>S</sched>", descr="b") + rule("opt1", "pass", descr="p"),
                   extra=(sched % "").replace("<hour></hour>", "<hour>8:00-9:00</hour>"))
    assert decide(parse(text), WS, SRV).kind == UNKNOWN


def test_a_manual_outbound_nat_rule_matches_its_protocol_and_ports_and_maps_onto_its_target_subnet():
    # [FILTERINC] filter_nat_rules_generate (hybrid/advanced: the manual rules, then the automatic ones) and
    # filter_nat_rules_generate_if: 'nat on $WAN inet proto udp from SRC to any port 53 -> 198.51.100.0/29 port
    # 1024:65535' (the target is 'target/target_subnet'); pf: the first matching nat rule translates (pf.conf(5),
    # TRANSLATION). Before, the protocol and ports were ignored (TCP took the manual rule's pool, not WAN's
    # address) and the <target_subnet> the GUI writes on every rule was reported, with a global impact
    out = """
		<outbound>
			<mode>hybrid</mode>
			<rule>
				<source><network>10.20.0.0/24</network></source>
				<sourceport></sourceport>
				<descr><![CDATA[dns]]></descr>
				<target>198.51.100.0</target>
				<target_subnet>29</target_subnet>
				<interface>wan</interface>
				<poolopts>round-robin</poolopts>
				<protocol>udp</protocol>
				<destination><any></any></destination>
				<dstport>53</dstport>
			</rule>
		</outbound>"""
    from pf_helpers import floating
    text = pfsense(rule("lan", "pass") + floating("block", True, "out", "wan", src="<address>198.51.100.0/29</address>",
                                                  descr="blk"), nat=out)
    cfg = parse(text)
    assert not cfg.verdict_affecting()
    o = decide(cfg, SRV, "192.0.2.7", "udp", 53)  # the manual rule: a source in 198.51.100.0/29
    assert o.kind == DENY and o.source.line == at(text, "blk")
    assert [x.source.line for x in o.xlate.rules] == [at(text, "dns")]
    for proto, port in (("tcp", 53), ("udp", 54)):  # the automatic rule: WAN's address
        o = decide(cfg, SRV, "192.0.2.7", proto, port)
        assert o.kind == PERMIT and "automatic" in o.xlate.rules[0].label, (proto, port)


def test_pfsense_automatic_outbound_nat_sources_and_its_isakmp_rule():
    # [AUTONAT]; [FILTERINC] filter_nat_rules_automatic_tonathosts: the subnets of the interfaces without a gateway
    # and of their virtual IPs, the static routes through a gateway on such an interface whose network is private
    # (pfsense-utils.inc is_private_ip); filter_nat_rules_outbound_automatic: on each interface with a gateway,
    # 'to any port 500' with 'static-port' (ISAKMP) first, then the rest with 'port 1024:65535'. Before, an IP
    # alias's subnet on LAN left WAN untranslated, a private network routed out of WAN was translated, and
    # ISAKMP's source port was taken to change
    from pf_helpers import GATEWAYS, floating
    vip = """<virtualip><vip><mode>ipalias</mode><interface>lan</interface><subnet>10.25.0.1</subnet>
        <subnet_bits>24</subnet_bits><type>single</type></vip></virtualip>
        <staticroutes><route><network>10.99.0.0/16</network><gateway>WANGW</gateway></route></staticroutes>"""
    blocks = (floating("block", True, "out", "wan", src="<address>10.25.0.0/24</address>", descr="vip net")
              + floating("block", True, "out", "wan", src="<address>203.0.113.2</address>", dst="<address>"
                         "192.0.2.0/24</address>", descr="nat'd")
              + floating("block", True, "out", "wan", proto="udp", src="<address>203.0.113.2</address><port>40000"
                         "</port>", dst="<address>198.51.100.0/24</address>", descr="ike"))
    text = pfsense(rule("lan", "pass") + rule("wan", "pass", descr="in wan") + blocks, extra=vip,
                   gateways=GATEWAYS)
    cfg = parse(text)
    o = decide(cfg, "10.25.0.9", "192.0.2.7", "tcp", 443)  # translated: WAN's address
    assert o.kind == DENY and o.source.line == at(text, "nat'd")
    o = decide(cfg, SRV, "198.51.100.7", "udp", 500)  # ISAKMP keeps its source port
    assert o.kind == DENY and o.source.line == at(text, "ike")
    o = decide(cfg, SRV, "198.51.100.7", "udp", 501)  # another port: the source port may become 40000
    assert o.kind == UNKNOWN
    # the sources the automatic rules translate: a private network routed out of WAN is not one of them, one
    # routed through a gateway on LAN is
    lan_gw = "<gateway_item><interface>lan</interface><gateway>10.20.0.254</gateway><name>LANGW</name>" \
             "<ipprotocol>inet</ipprotocol></gateway_item></gateways>"
    routes = vip.replace("</staticroutes>", "<route><network>172.16.50.0/24</network><gateway>LANGW</gateway>"
                                            "</route></staticroutes>")
    cfg = parse(pfsense(rule("lan", "pass"), extra=routes, gateways=GATEWAYS.replace("</gateways>", lan_gw)))
    auto = [r for n in cfg.nat for r in n.rules if r.label.startswith("automatic outbound NAT on WAN (")]
    (c,) = auto[0].match.cubes
    want = ISet.union_of(cidr_set(x) for x in ("10.20.0.0/24", "10.25.0.0/24", "10.30.0.0/24", "172.16.50.0/24"))
    assert c.dims[0] == want

"""OPNsense interface network tables, new-model NAT and rule options (session 25, red team 2).

Sources cited below (opnsense/core at f95e81516e unless said):
* [IFNET] src/opnsense/mvc/app/models/OPNsense/Firewall/DynamicAliases/InterfaceNetworkAliases.php: an alias
  '__KEY_network' ("<descr> net") for every child KEY of <interfaces>; FieldTypes/AliasField.php merges these into the
  alias list, so library/OPNsense/Firewall/Rule.php loadAliasMap maps the name to the table '$__KEY_network';
  service/templates/OPNsense/Filter/filter_tables.conf declares it of type 'interface_net' on the interface's device,
  and scripts/filter/lib/alias/pf.py flush_network fills it with 'pfctl -t __KEY_network -T replace DEVICE:network':
  the network of every address set on the device (pf.conf(5), "Tables": ':network' "the network(s) attached to the
  interface").  OPNsense manual, "Aliases" (https://docs.opnsense.org/manual/aliases.html): interface networks are
  offered as aliases such as "__lan_network".
"""

from pf_helpers import DHCP_OPT2, LAN, OPT1, WAN_STATIC, decide, mvc_rule, opnsense, parse, pfsense, rule

from auditor.engine import DENY, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1, 10.30.0.0/24), a server on LAN (10.20.0.0/24)


def _codes(cfg):
    return [d.code for d in cfg.diagnostics]


def test_opnsense_interface_network_table_is_the_interfaces_subnet():
    # [IFNET] '__lan_network' holds LAN's 10.20.0.0/24: blocked to it, passed elsewhere; no "undefined alias"
    rules = (mvc_rule("block", "opt1", src="__opt1_network", dst="__lan_network", seq=1)
             + mvc_rule("pass", "opt1", src="__opt1_network", seq=2))
    cfg = parse(opnsense(rules))
    assert cfg.diagnostics == ()
    assert decide(cfg, WS, SRV).kind == DENY
    assert decide(cfg, WS, "198.51.100.7").kind == PERMIT


def test_opnsense_interface_network_table_inside_an_alias_and_in_a_legacy_rule():
    # [IFNET] an alias (network group) may name it like any other alias; a legacy rule's <address> too
    alias = """
					<alias uuid="2f1c5a3e-1111-4a55-9d55-000000000001">
						<enabled>1</enabled>
						<name>inside</name>
						<type>networkgroup</type>
						<content>__lan_network
__opt1_network</content>
						<description>d</description>
					</alias>"""
    cfg = parse(opnsense(mvc_rule("pass", "opt1", src="inside", dst="inside", seq=1), aliases=alias))
    assert cfg.diagnostics == ()
    assert decide(cfg, WS, SRV).kind == PERMIT
    assert decide(cfg, WS, "198.51.100.7").kind == DENY
    legacy = rule("opt1", "pass", src="<address>__opt1_network</address>", dst="<address>__lan_network</address>")
    cfg = parse(opnsense(legacy=legacy))
    assert decide(cfg, WS, SRV).kind == PERMIT
    assert decide(cfg, WS, "198.51.100.7").kind == DENY


def test_opnsense_interface_network_table_of_a_dhcp_or_disabled_interface_is_not_known():
    # [IFNET] a DHCP interface's network is learned at run time; a disabled interface sets no address: a pass
    # rule to either passes nothing for sure (unknown), never a certain pass
    rules = mvc_rule("pass", "opt1", dst="__opt2_network", seq=1) + mvc_rule("pass", "opt1", dst="__lan_network",
                                                                             seq=2)
    cfg = parse(opnsense(rules, interfaces=LAN.replace("<enable></enable>", "") + WAN_STATIC + OPT1 + DHCP_OPT2))
    assert "CFG301" not in _codes(cfg)
    assert decide(cfg, WS, SRV).kind != PERMIT
    assert decide(cfg, WS, "198.51.100.7").kind == UNKNOWN  # (may be on DYN's learned subnet)


# [GROUP] plugins.inc.d/openvpn.inc openvpn_interfaces: 'openvpn' => ['enable' => true, 'if' => 'openvpn', 'type' =>
#   'group', 'virtual' => true], written into <interfaces> (interfaces.inc plugins_interfaces); each ovpnsN/ovpncN
#   device joins the group when created.  A user's group (Firewall > Groups) has an entry of type 'group' too
#   (FieldTypes/FilterRuleField.php getPriority reads '$configObj->interfaces->$interface->type == 'group''), its
#   members in <ifgroups> (filter.inc ifgroup_setup: 'ifconfig IF group GROUP').  pfctl expands a group's ':network'
#   to its members' networks (pf.conf(5) "Interface names and interface group names ... ':network'").
_OVPN = """
		<openvpn>
			<internal_dynamic>1</internal_dynamic>
			<if>openvpn</if>
			<descr>OpenVPN</descr>
			<type>group</type>
			<virtual>1</virtual>
			<enable>1</enable>
			<networks/>
		</openvpn>"""
_GROUP = """
		<INSIDE>
			<internal_dynamic>1</internal_dynamic>
			<if>INSIDE</if>
			<descr>INSIDE</descr>
			<type>group</type>
			<virtual>1</virtual>
			<enable>1</enable>
		</INSIDE>
	</interfaces>
	<ifgroups>
		<ifgroupentry>
			<members>lan opt1</members>
			<descr>inside</descr>
			<ifname>INSIDE</ifname>
		</ifgroupentry>
	</ifgroups>"""


def test_opnsense_interface_group_network_is_its_members_and_the_openvpn_groups_is_not_known():
    # [GROUP] a block of '__INSIDE_network' blocks LAN's and OPT1's subnets, not the rest
    rules = mvc_rule("block", "opt1", dst="__INSIDE_network", seq=1) + mvc_rule("pass", "opt1", seq=2)
    cfg = parse(opnsense(rules).replace("\n\t</interfaces>", _GROUP, 1))
    assert decide(cfg, WS, SRV).kind == DENY
    assert decide(cfg, WS, "198.51.100.7").kind == PERMIT
    # [GROUP] the OpenVPN group's networks are its tunnels', not in config.xml: a block of them (by the group or by
    # its table) leaves what the pass rule after it passes unknown -- it was a pass of the tunnel clients' addresses
    for net in ("openvpn", "__openvpn_network"):
        rules = mvc_rule("block", "opt1", dst=net, seq=1) + mvc_rule("pass", "opt1", seq=2)
        cfg = parse(opnsense(rules, interfaces=LAN + WAN_STATIC + OPT1 + _OVPN))
        assert decide(cfg, WS, "10.8.0.5").kind == UNKNOWN
        assert decide(cfg, WS, SRV).kind == PERMIT  # (LAN's subnet is no tunnel's)


def test_pfsense_has_no_interface_network_tables():
    # pfSense names the interface's network 'lan' (table LAN__NETWORK); '__lan_network' is no alias of it
    cfg = parse(pfsense(rule("opt1", "pass", dst="<address>__lan_network</address>")))
    assert "CFG301" in _codes(cfg)
    assert decide(cfg, WS, SRV).kind == UNKNOWN


# --- NAT of the new model ---------------------------------------------------------------------------------------
# [SNAT] plugins.inc.d/pf.inc pf_firewall: 'if (... in_array($config['nat']['outbound']['mode'], ['advanced',
#   'hybrid'])) foreach ($mdlFilter->snatrules->rule->sortedBy(['sequence']) ...) $fw->registerSourceNatRule(50, ...)';
#   filter.inc registers the <nat><outbound> rules at 100 and the automatic ones at 200 (Plugin.php outputNatRules:
#   ksort, lowest first; pf.conf(5) "nat": the first matching rule applies).  FieldTypes/SourceNatRuleField.php
#   serialize maps the fields onto the legacy ones (source_not -> source 'not', target_port -> natport) for
#   SNatRule.php: 'nat on IF from [!]SRC to DST -> TARGET port 1024:65535', no target: the interface's address.
#   OPNsense manual, "Network Address Translation", Outbound/Source NAT (https://docs.opnsense.org/manual/nat.html):
#   "Hybrid outbound NAT rule generation: Automatically generated rules are applied after manual rules", "Manual
#   outbound NAT rule generation: No automatic rules are being generated. Only your manual rules are active."
# [ONE] pf.inc: 'foreach ($mdlFilter->onetoone->rule->sortedBy(['sequence']) ...) registerStaticNatRule(500, ...)';
#   DNatRule.php: '<type> on IF from SOURCE to DESTINATION -> EXTERNAL', type 'binat' (default) or 'nat'.  OPNsense
#   manual, "One-to-One": "BINAT ... bidirectional mapping", "NAT ... one way".
# [OUTNOT] OPNsense www/firewall_nat_out_edit.php (before a9c1bdce85): '$natent['source']['not'] = true' for
#   "Invert" on the source; Rule.php legacyMoveAddressFields 'from_not', mapAddressInfo prefixes '!'.
OUT = "198.51.100.7"


def _with_nat(text: str, mvc: str = "", legacy: str = "") -> str:
    if legacy:
        text = text.replace("</filter>", "</filter>\n\t<nat>%s\n\t</nat>" % legacy, 1)
    return text.replace("</rules>\n\t\t\t</Filter>", "</rules>%s\n\t\t\t</Filter>" % mvc, 1)


def _snat(seq: int, src: str, target: str, src_not: str = "0", descr: str = "snat") -> str:
    return """
				<snatrules>
					<rule uuid="22222222-0000-0000-0000-%012d">
						<enabled>1</enabled>
						<nonat>0</nonat>
						<sequence>%d</sequence>
						<interface>wan</interface>
						<ipprotocol>inet</ipprotocol>
						<protocol>any</protocol>
						<source_net>%s</source_net>
						<source_not>%s</source_not>
						<source_port/>
						<destination_net>any</destination_net>
						<destination_not>0</destination_not>
						<destination_port/>
						<target>%s</target>
						<target_port/>
						<staticnatport>0</staticnatport>
						<log>0</log>
						<categories/>
						<tag/>
						<tagged/>
						<endpoint-independent>0</endpoint-independent>
						<description>%s</description>
					</rule>
				</snatrules>""" % (seq, seq, src, src_not, target, descr)


def _out_block(src: str) -> str:
    # a block on WAN's way out: it sees the source after outbound NAT (pf translates before it filters)
    return mvc_rule("block", "wan", direction="out", src=src, seq=1, descr="out block")


def _post(cfg):
    return [r for n in cfg.nat if n.when == "post-routing" for r in n.rules]


def test_opnsense_source_nat_rules_apply_in_hybrid_and_advanced_mode_before_the_others():
    # [SNAT] LAN's 10.20.0.0/24 leaves WAN as 203.0.113.9: an out block of that address stops it; the
    # <nat><outbound> rule for the same source (priority 100) comes after
    legacy = """
		<outbound>
			<mode>%s</mode>
			<rule>
				<source><network>10.20.0.0/24</network></source>
				<destination><any/></destination>
				<interface>wan</interface>
				<target>203.0.113.8</target>
				<descr><![CDATA[legacy]]></descr>
			</rule>
		</outbound>"""
    rules = _out_block("203.0.113.9") + mvc_rule("pass", "lan", seq=2)
    for mode in ("hybrid", "advanced"):
        cfg = parse(_with_nat(opnsense(rules), _snat(5, "10.20.0.0/24", "203.0.113.9"), legacy % mode))
        assert cfg.diagnostics == ()
        assert [r.label for r in _post(cfg)][:2] == ["outbound NAT rule 'snat'", "outbound NAT rule 'legacy'"]
        assert decide(cfg, SRV, OUT).kind == DENY
    # automatic mode: OPNsense does not load them; LAN leaves with WAN's address, which the block does not name
    cfg = parse(_with_nat(opnsense(rules), _snat(5, "10.20.0.0/24", "203.0.113.9"), legacy % "automatic"))
    assert all("automatic" in r.label for r in _post(cfg))
    assert decide(cfg, SRV, OUT).kind == PERMIT


def test_opnsense_source_nat_rule_with_inverted_source_and_interface_target():
    # [SNAT] 'from !10.30.0.0/24': LAN's source is translated (no target: WAN's address 203.0.113.2), OPT1's is not
    rules = _out_block("203.0.113.2") + mvc_rule("pass", "lan", seq=2) + mvc_rule("pass", "opt1", seq=3)
    cfg = parse(_with_nat(opnsense(rules), _snat(5, "10.30.0.0/24", "", src_not="1"),
                          "<outbound><mode>advanced</mode></outbound>"))
    assert cfg.diagnostics == ()
    assert decide(cfg, SRV, OUT).kind == DENY
    assert decide(cfg, WS, OUT).kind == PERMIT


def test_opnsense_legacy_outbound_rule_with_inverted_source():
    # [OUTNOT] 'nat on WAN from !10.20.0.0/24': LAN's source is left as it is and meets the out block of LAN's
    # network (read as 'from 10.20.0.0/24', it was translated past the block: a wrong pass)
    legacy = """
		<outbound>
			<mode>advanced</mode>
			<rule>
				<source><network>10.20.0.0/24</network><not>1</not></source>
				<destination><any/></destination>
				<interface>wan</interface>
				<target>203.0.113.9</target>
				<descr><![CDATA[not lan]]></descr>
			</rule>
		</outbound>"""
    rules = _out_block("10.20.0.0/24") + mvc_rule("pass", "lan", seq=2) + mvc_rule("pass", "opt1", seq=3)
    cfg = parse(_with_nat(opnsense(rules), legacy=legacy))
    assert decide(cfg, SRV, OUT).kind == DENY
    assert decide(cfg, WS, OUT).kind == PERMIT


def _one(typ: str, enabled: str = "1") -> str:
    return """
				<onetoone>
					<rule uuid="33333333-0000-0000-0000-000000000001">
						<enabled>%s</enabled>
						<log>0</log>
						<sequence>1</sequence>
						<interface>wan</interface>
						<type>%s</type>
						<source_net>10.20.0.50</source_net>
						<source_not>0</source_not>
						<destination_net>any</destination_net>
						<destination_not>0</destination_not>
						<external>203.0.113.50</external>
						<natreflection/>
						<categories/>
						<description>web</description>
					</rule>
				</onetoone>""" % (enabled, typ)


def test_opnsense_one_to_one_binat_and_nat():
    # [ONE] binat: 203.0.113.50 reaches 10.20.0.50 through WAN's pass rule to it, and 10.20.0.50 leaves as
    # 203.0.113.50; 'nat' is one way: nothing inbound, outbound only; a disabled mapping does nothing
    rules = mvc_rule("pass", "wan", dst="10.20.0.50", seq=1, descr="to web") + _out_block("203.0.113.50") \
        + mvc_rule("pass", "lan", seq=2)
    cfg = parse(_with_nat(opnsense(rules), _one("binat")))
    assert [d for d in cfg.diagnostics if "reply-to" not in d.message] == []  # (WAN's pass rule gets its gateway)
    assert decide(cfg, OUT, "203.0.113.50", "tcp", 443).kind == PERMIT
    assert decide(cfg, "10.20.0.50", OUT).kind == DENY
    cfg = parse(_with_nat(opnsense(rules), _one("nat")))
    assert [d for d in cfg.diagnostics if "reply-to" not in d.message] == []
    assert decide(cfg, OUT, "203.0.113.50", "tcp", 443).kind != PERMIT
    assert decide(cfg, "10.20.0.50", OUT).kind == DENY
    cfg = parse(_with_nat(opnsense(rules), _one("binat", enabled="0")))
    assert decide(cfg, OUT, "203.0.113.50", "tcp", 443).kind != PERMIT
    assert decide(cfg, "10.20.0.50", OUT).kind == PERMIT


def test_opnsense_nptv6_rules_are_reported():
    npt = """
				<npt>
					<rule uuid="44444444-0000-0000-0000-000000000001">
						<enabled>1</enabled>
						<log>0</log>
						<sequence>1</sequence>
						<interface>wan</interface>
						<source_net>fd00:20::/64</source_net>
						<destination_net>2001:db8:20::/64</destination_net>
						<trackif/>
						<categories/>
						<description>npt</description>
					</rule>
				</npt>"""
    cfg = parse(_with_nat(opnsense(mvc_rule("pass", "lan")), npt))
    assert [d.message for d in cfg.diagnostics] == [
        "line not understood: NPTv6 rule (IPv6 prefix translation, binat of a prefix) not modelled"]


def test_opnsense_captive_portal_zone_table_is_filled_at_run_time_not_undefined():
    # OPNsense Firewall/DynamicAliases/CaptivePortalAliases.php: '__captiveportal_zone_N', type 'external', of each
    # enabled zone: its logged-in clients, known at run time only (not an undefined alias)
    cfg = parse(opnsense(mvc_rule("pass", "opt1", src="__captiveportal_zone_0", seq=1)))
    assert "CFG301" not in _codes(cfg)
    assert decide(cfg, WS, SRV).kind == UNKNOWN


def test_opnsense_outbound_nat_mode_is_compared_as_written():
    # [SNAT] filter.inc and filter.lib.inc filter_auto_source_nat compare <nat><outbound><mode> exactly: 'Hybrid'
    # is neither automatic nor hybrid, so LAN leaves WAN untranslated and meets an out block of its own subnet
    rules = _out_block("10.20.0.0/24") + mvc_rule("pass", "lan", seq=2)
    cfg = parse(_with_nat(opnsense(rules), legacy="<outbound><mode>hybrid</mode></outbound>"))
    assert _post(cfg) and decide(cfg, SRV, OUT).kind == PERMIT  # (automatic rules: translated past the block)
    cfg = parse(_with_nat(opnsense(rules), legacy="<outbound><mode>Hybrid</mode></outbound>"))
    assert _post(cfg) == [] and decide(cfg, SRV, OUT).kind == DENY
    assert "generates no outbound NAT" in cfg.diagnostics[0].message

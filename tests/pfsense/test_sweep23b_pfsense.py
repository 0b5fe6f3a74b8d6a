"""pfSense / OPNsense config.xml shapes found in public backups and product samples (sweep 23b).

Sources cited below (the vendors' own code, read at the commit given):
* [SNAT] OPNsense src/opnsense/mvc/app/library/OPNsense/Firewall/SNatRule.php (opnsense/core at f95e81516e): an
  outbound NAT rule writes 'tagged X' from its <tagged> field and reads <poolopts_sourcehashkey> only with the
  'source-hash' pool type; Rule.php parsePlain writes nothing for an empty value
  ("return $value == null || $value === '' ? '' : ...").  OPNsense's GUI stores every outbound rule with empty
  <tag/>, <tagged/>, <poolopts/> and <poolopts_sourcehashkey/> (EvilBit-Labs/opnDossier testdata/sample.config.6.xml,
  an OPNsense backup: 51 such rules).
* [ROUTES] OPNsense src/etc/inc/util.inc get_staticroutes: "if (is_subnet($route['network']))" (a route without a
  network is skipped) and "$route_disabled = isset($route['enabled']) ? empty($route['enabled']) :
  !empty($route['disabled'])"; models/OPNsense/Routes/Route.xml version 1.0.1 (OPNsense 26.7, "System: Routing:
  Changed disable option to enable (#10027)") stores <enabled>0</enabled> for a disabled route.
* [BRIDGE] OPNsense src/opnsense/mvc/app/models/OPNsense/Interfaces/Bridge.xml (mount /bridges, ArrayField
  'bridged'): OPNsense 24+ backups hold an empty <bridges><bridged/></bridges> when no bridge is configured.
* [KEA] pfSense src/etc/inc/pfsense-utils.inc dhcp_get_backend (pfsense/pfsense at 9363ac5b86):
  config_get_path('dhcpbackend') picks the DHCP daemon ('isc' or 'kea'); filter.inc never reads it.
* [WIZARD] pfSense src/usr/local/www/wizards/setup_wizard.xml keeps the setup wizard's answers in <wizardtemp>
  (only wizard.php and that file read it).
* [TRUST] OPNsense src/opnsense/mvc/app/models/OPNsense/Trust/General.xml: mount //OPNsense/trust/general, the
  certificate store settings (store_intermediate_certs, install_crls, fetch_crls, OpenSSL cipher settings).
"""

from pf_helpers import decide, line_of, mvc_rule, opnsense, parse, pfsense, rule

from auditor.engine import DENY, PERMIT

WS = "10.30.0.5"  # a Workshop client (OPT1)


def _opn_outbound(tagged: str) -> str:
    nat = """
	<nat>
		<outbound>
			<mode>hybrid</mode>
			<rule>
				<source><network>opt1</network></source>
				<destination><any>1</any></destination>
				<descr>ws out</descr>
				<category/>
				<interface>wan</interface>
				<tag/>
				%s
				<poolopts/>
				<poolopts_sourcehashkey/>
				<ipprotocol>inet</ipprotocol>
				<target>203.0.113.9</target>
				<sourceport/>
			</rule>
		</outbound>
	</nat>""" % tagged
    return opnsense(mvc_rule(interface="opt1", descr="ws any")).replace("\t<OPNsense>", nat + "\n\t<OPNsense>")


def test_an_opnsense_outbound_nat_rule_with_the_guis_empty_fields_is_understood():
    # [SNAT] empty <tagged/> and <poolopts_sourcehashkey/> write nothing: the rule is read, no line is reported
    text = _opn_outbound("<tagged/>")
    cfg = parse(text)
    assert not cfg.unrecognized, [(u.source.line, u.message) for u in cfg.unrecognized]
    assert decide(cfg, WS, "8.8.8.8").kind == PERMIT


def test_an_opnsense_outbound_nat_rule_for_tagged_packets_stays_reported():
    # [SNAT] a tag written in <tagged> limits the rule to packets another rule tagged: not modelled
    text = _opn_outbound("<tagged>VPN</tagged>")
    cfg = parse(text)
    hits = [u for u in cfg.unrecognized if "tagged 'VPN'" in u.message]
    assert len(hits) == 1 and hits[0].source.line == line_of(text, "<tagged>VPN")


_LANRTR = """<gateway_item><interface>lan</interface><gateway>10.20.0.254</gateway><name>LANRTR</name>
		<ipprotocol>inet</ipprotocol></gateway_item></gateways>"""


def _opn_route(route: str) -> str:
    # a block out of LAN: a packet routed out of LAN is denied there, one routed out of WAN is passed
    rules = mvc_rule(interface="opt1", descr="ws any", seq=1) + mvc_rule(
        "block", "lan", direction="out", descr="lan out", seq=2)
    text = opnsense(rules)
    return text.replace("</gateways>", _LANRTR + "\n\t<staticroutes version=\"1.0.1\">%s</staticroutes>" % route)


def test_an_opnsense_static_route_switched_off_with_enabled_0_is_not_used():
    # [ROUTES] OPNsense 26.7: <enabled>0</enabled> is a disabled route; the packet takes the default route (WAN)
    on = _opn_route("<route uuid=\"1\"><network>10.97.0.0/16</network><gateway>LANRTR</gateway>"
                    "<descr>r</descr><enabled>1</enabled></route>")
    o = decide(parse(on), WS, "10.97.1.1")
    assert o.kind == DENY and o.source.line == line_of(on, "lan out")  # (the route is used: out of LAN)
    off = on.replace("<enabled>1</enabled></route>", "<enabled>0</enabled></route>")
    assert decide(parse(off), WS, "10.97.1.1").kind == PERMIT


def test_an_empty_opnsense_route_placeholder_is_not_a_route():
    # [ROUTES] <staticroutes><route/></staticroutes> (no network) is skipped by OPNsense: nothing to report
    cfg = parse(_opn_route("<route/>"))
    assert not [u for u in cfg.unrecognized if "route" in u.message], [u.message for u in cfg.unrecognized]
    assert decide(cfg, WS, "10.97.1.1").kind == PERMIT


def test_an_empty_bridges_placeholder_is_not_a_bridge():
    # [BRIDGE] an empty <bridged/> configures no bridge; one with members stays reported
    text = opnsense(mvc_rule(interface="opt1")).replace("\t<OPNsense>", "\t<bridges><bridged/></bridges>\n\t<OPNsense>")
    assert not parse(text).unrecognized
    text = text.replace("<bridged/>", "<bridged><members>lan,opt1</members><bridgeif>bridge0</bridgeif></bridged>")
    assert [u for u in parse(text).unrecognized if "bridg" in u.message]


def test_pfsense_dhcp_backend_and_opnsense_trust_settings_change_no_verdict():
    # [KEA] pfSense 2.7.1+ <dhcpbackend>kea</dhcpbackend>; [WIZARD] <wizardtemp>;
    # [TRUST] OPNsense <OPNsense><trust><general>
    text = pfsense(rule("opt1", "pass", descr="ws any"), extra="\n\t<dhcpbackend>kea</dhcpbackend>"
                   "\n\t<wizardtemp><system><hostname>fw</hostname></system></wizardtemp>")
    cfg = parse(text)
    assert not cfg.unrecognized and decide(cfg, WS, "8.8.8.8").kind == PERMIT
    trust = ("<trust><general version=\"1.0.1\"><store_intermediate_certs>0</store_intermediate_certs>"
             "<install_crls>0</install_crls><fetch_crls>0</fetch_crls></general></trust>\n\t\t<Firewall>")
    text = opnsense(mvc_rule(interface="opt1", descr="ws any")).replace("<Firewall>", trust, 1)
    cfg = parse(text)
    assert not cfg.unrecognized and decide(cfg, WS, "8.8.8.8").kind == PERMIT


def test_an_unknown_section_is_still_reported():
    # (the sections above are neutral by the vendors' code; an unknown one still makes verdicts unknown)
    text = pfsense(rule("opt1", "pass", descr="ws any"), extra="\n\t<mystery><x>1</x></mystery>")
    cfg = parse(text)
    assert [u for u in cfg.unrecognized if "<mystery>" in u.message]


def test_a_package_known_by_its_internal_name_is_not_reported():
    # pfSense stores a package's display name and its port's name (public backup itsChris/SolviaPfSenseConfigToDocx
    # config.xml: <name>OpenVPN Client Export Utility</name><internal_name>openvpn-client-export</internal_name>);
    # the export utility builds client bundles and adds no rule (its <tabs> only add GUI pages)
    pkg = """
	<installedpackages>
		<package>
			<name>OpenVPN Client Export Utility</name>
			<internal_name>openvpn-client-export</internal_name>
			<version>1.9.2</version>
		</package>
	</installedpackages>"""
    cfg = parse(pfsense(rule("opt1", "pass", descr="ws any"), extra=pkg))
    assert not cfg.unrecognized, [u.message for u in cfg.unrecognized]
    # an unknown package stays reported
    cfg = parse(pfsense(rule("opt1", "pass", descr="ws any"), extra=pkg.replace("openvpn-client-export", "squid")
                        .replace("OpenVPN Client Export Utility", "squid")))
    assert [u for u in cfg.unrecognized if "package squid" in u.message]

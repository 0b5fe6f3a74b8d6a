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


def test_pfsense_has_no_interface_network_tables():
    # pfSense names the interface's network 'lan' (table LAN__NETWORK); '__lan_network' is no alias of it
    cfg = parse(pfsense(rule("opt1", "pass", dst="<address>__lan_network</address>")))
    assert "CFG301" in _codes(cfg)
    assert decide(cfg, WS, SRV).kind == UNKNOWN

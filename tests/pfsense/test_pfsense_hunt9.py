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

from pf_helpers import LAN, OPT1, WAN_STATIC, at, decide, parse, pfsense, rule

from auditor.engine import DENY, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1 'WORKSHOP') and a server (LAN)
DHCP_OPT2 = """
		<opt2>
			<enable></enable>
			<if>em3</if>
			<descr><![CDATA[DYN]]></descr>
			<ipaddr>dhcp</ipaddr>
		</opt2>"""


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

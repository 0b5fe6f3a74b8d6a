"""pfSense / OPNsense details checked against the generators themselves (hunt 8).

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc (filter_generate_optcfg_array, filter_generate_aliases,
  filter_generate_address), pfsense/pfsense at 9363ac5b86;
* [UTILINC] pfSense src/etc/inc/util.inc (get_configured_vip_interface, get_configured_vip_detail);
* [IFINC] pfSense src/etc/inc/interfaces.inc (link_interface_to_vips, interface_ipalias_configure).
"""

from pf_helpers import at, decide, parse, pfsense, rule

from auditor.engine import DENY, PERMIT

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
DHCP_OPT2 = """
		<opt2>
			<enable></enable>
			<if>em3</if>
			<descr><![CDATA[DYN]]></descr>
			<ipaddr>dhcp</ipaddr>
		</opt2>"""


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


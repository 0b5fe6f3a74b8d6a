"""Session 30, pfSense / OPNsense red team (round 3).

Sources:
* pfSense filter.inc filter_generate_address (github.com/pfsense/pfsense, src/etc/inc/filter.inc): "static host
  portion of IPv6, see https://redmine.pfsense.org/issues/6626": an address that begins with '::' is written as
  merge_ipv6_delegated_prefix(get_interface_ipv6(RULE'S INTERFACE), ADDRESS, get_interface_subnetv6(...));
  pfsense-utils.inc merge_ipv6_delegated_prefix keeps the interface address's first 48/52/56/60 bits for those prefix
  lengths, its first 64 for any other, and takes the rest from the address written.
"""

from tests.pfsense.pf_helpers import LAN, OPT1, WAN_STATIC, decide, floating, parse, pfsense, rule

V6 = "<ipv6allow></ipv6allow>"
LAN6 = LAN.replace("<subnet>24</subnet>",
                   "<subnet>24</subnet><ipaddrv6>2001:db8:1:2::1</ipaddrv6><subnetv6>64</subnetv6>")
OPT16 = OPT1.replace("<subnet>24</subnet>",
                     "<subnet>24</subnet><ipaddrv6>2001:db8:3:4::1</ipaddrv6><subnetv6>64</subnetv6>")
WORKSTATION, OTHER, SERVER = "2001:db8:1:2::10", "2001:db8:1:2::11", "2001:db8:3:4::5"


def _block_host(src: str, iface: str = "lan", lan: str = LAN6) -> object:
    rules = rule(iface, "block", src="<address>%s</address>" % src, proto="tcp", ipprotocol="inet6",
                 descr="no smb from the kiosk") + rule("lan", "pass", ipprotocol="inet6", descr="lan out")
    return parse(pfsense(rules, interfaces=lan + WAN_STATIC + OPT16, system=V6))


def test_an_ipv6_address_written_from_double_colon_is_the_host_part_under_the_interface_prefix():
    cfg = _block_host("::10")
    # pfSense writes 'from 2001:db8:1:2::10' (LAN's /64 and the host part ::10): the kiosk is blocked
    # (before: read as the address ::10 itself, and the kiosk's SMB was a certain pass)
    assert decide(cfg, WORKSTATION, SERVER).kind == "deny"
    assert decide(cfg, OTHER, SERVER).kind == "permit"
    # an IPv4 tail is the same host part: '::192.168.0.16' is ::c0a8:10
    assert decide(_block_host("::192.168.0.16"), "2001:db8:1:2::c0a8:10", SERVER).kind == "deny"


def test_the_prefix_length_keeps_48_52_56_or_60_bits_of_the_interface_address():
    # a /56 on LAN: the first 56 bits are the interface's, the rest ('::2:0:0:0:10', the 57th bit on) the rule's
    lan56 = LAN.replace("<subnet>24</subnet>",
                        "<subnet>24</subnet><ipaddrv6>2001:db8:1:200::1</ipaddrv6><subnetv6>56</subnetv6>")
    cfg = _block_host("::2:0:0:0:10", lan=lan56)
    assert decide(cfg, "2001:db8:1:202::10", SERVER).kind == "deny"
    assert decide(cfg, "2001:db8:1:200::10", SERVER).kind == "permit"


def test_a_host_part_on_an_interface_of_no_single_known_prefix_is_unknown():
    # a floating rule on two interfaces: get_interface_ipv6('lan,opt1') is no address, what pfSense writes is not
    # known here (before: the address ::10, a certain pass of the kiosk's SMB)
    rules = floating("block", iface="lan,opt1", proto="tcp", src="<address>::10</address>", descr="kiosk") \
        .replace("<ipprotocol>inet</ipprotocol>", "<ipprotocol>inet6</ipprotocol>") \
        + rule("lan", "pass", ipprotocol="inet6", descr="lan out")
    cfg = parse(pfsense(rules, interfaces=LAN6 + WAN_STATIC + OPT16, system=V6))
    assert decide(cfg, WORKSTATION, SERVER).kind == "unknown"


# --- spaces around values outside the filter rules ------------------------------------------------------------------
# pfSense's config reader keeps the spaces around a value (xmlparse.inc cData: 'trim($data, "\t\n\r")', tabs and line
# breaks only); interfaces.inc interface_configure sets an address only when is_ipaddrv4 takes the value, util.inc
# alias_make_table / is_alias look an alias up by its name as written, and filter.inc's port forwards check the
# target with is_ipaddr and look the interface up in $FilterIflist as written.

def _cfg300(cfg, needle: str):
    return [d for d in cfg.diagnostics if d.code == "CFG300" and needle in d.message]


def test_an_interface_address_with_a_space_is_not_taken_as_the_interface_subnet():
    spaced_lan = LAN.replace("<ipaddr>10.20.0.1</ipaddr>", "<ipaddr>10.20.0.1 </ipaddr>")
    cfg = parse(pfsense(rule("lan", "pass", src="<network>lan</network>", descr="lan out"),
                        interfaces=spaced_lan + WAN_STATIC + OPT1))
    got = _cfg300(cfg, "<ipaddr> '10.20.0.1 '")
    assert got and got[0].impact.value == "global"  # (the interface's address feeds routes and macros: any verdict)
    # (before: LAN was 10.20.0.0/24 and its 'LAN net' rule a certain pass; pfSense configures no address from
    # '10.20.0.1 ', so the LAN net macro is empty and the rule is not loaded)
    assert decide(cfg, "10.20.0.10", "10.30.0.5").kind != "permit"


def test_an_alias_name_with_a_space_is_not_found_by_the_rules_naming_it():
    alias = "<alias><name>SERVERS </name><type>host</type><address>10.20.0.10</address></alias>"
    cfg = parse(pfsense(rule("opt1", "pass", dst="<address>SERVERS</address>", descr="to the servers"),
                        aliases=alias))
    assert _cfg300(cfg, "alias name 'SERVERS '")
    # (before: a certain pass; the rule names an alias pfSense does not have: not loaded, CFG301)
    assert decide(cfg, "10.30.0.5", "10.20.0.10").kind == "unknown"
    assert [d for d in cfg.diagnostics if d.code == "CFG301" and "SERVERS" in d.message]


def test_a_port_forward_field_with_a_space_is_reported_as_not_understood():
    fwd = """
		<rule>
			<source><any/></source>
			<destination><network>wanip</network><port>443</port></destination>
			<protocol>tcp</protocol>
			<target>10.20.0.10 </target>
			<local-port>443</local-port>
			<interface>wan</interface>
			<descr><![CDATA[web]]></descr>
			<associated-rule-id>pass</associated-rule-id>
		</rule>"""
    cfg = parse(pfsense(nat=fwd))
    got = _cfg300(cfg, "<target> '10.20.0.10 '")
    assert got and got[0].impact.value == "global"


def test_an_outbound_nat_source_written_from_double_colon_is_that_address():
    # outbound NAT writes its source network as it is (filter.inc filter_nat_rules_generate: '$obent['source']
    # ['network']', no filter_generate_address): '::/0' is every IPv6 source, not a host part under a prefix
    out = """
		<outbound>
			<mode>advanced</mode>
			<rule>
				<source><network>::/0</network></source>
				<destination><any/></destination>
				<interface>wan</interface>
				<ipprotocol>inet6</ipprotocol>
				<target>2001:db8:ffff::1</target>
				<descr><![CDATA[v6 out]]></descr>
			</rule>
		</outbound>"""
    cfg = parse(pfsense(rule("lan", "pass", ipprotocol="inet6", descr="lan out"),
                        interfaces=LAN6 + WAN_STATIC + OPT16, system=V6, nat=out))
    assert not [d for d in cfg.diagnostics if "joined to the IPv6 prefix" in d.message]
    nat = [r for n in cfg.nat for r in n.rules]
    assert nat and all(not r.maybe for r in nat)

"""High-availability shapes of each vendor (clusters, failover pairs, virtual router addresses), each
against the vendor's own documentation."""

from __future__ import annotations

from auditor.api import audit, decision_json, make_packet
from auditor.policy import load_site
from parsers.junos import parse_lines as junos_lines

SITE = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]


def _flows(cfg) -> set[str]:
    """The statuses of the site's required flows."""
    return {f["status"] for f in audit([cfg], load_site(None, SITE)).flows}


def _decide(cfg, src, dst, dport=445):
    return decision_json(cfg, make_packet(src, dst, "tcp", 40000, dport))


# --- Junos chassis cluster ---------------------------------------------------------------------------
# Juniper, J-series/SRX "CLI Configuration" (chassis cluster management interface)
# https://juniper.net/documentation/software/junos-es/junos-es92/junos-es-swconfig-security/cli-configuration_33.html:
# "set groups node0 system host-name node0-router / set groups node0 interfaces fxp0 unit 0 family inet address
# 10.1.1.1/24", the same for node1 with 10.1.1.2/24, then 'set apply-groups "${node}"': "This configuration is
# not replicated across the two nodes" (each node inherits the group named after it).  Juniper, "Chassis
# Cluster" overview: "a chassis cluster, where two devices operate as a single device"
# (https://www.juniper.net/documentation/jp/ja/software/junos/nfx250-getting-started/topics/topic-map/nfx250NG-chassis-cluster-overview.html).
# Juniper, "Example: Configuring the Chassis Cluster Fabric": "You cannot configure filters, policies, or
# services on the fabric interface"
# (https://juniper.net/documentation/en_US/junos12.1x47/topics/example/chassis-cluster-fabric-configuring-cli.html);
# "redundancy-group (Chassis Cluster)": a reth is "a logical interface consisting of two physical Ethernet
# interfaces, one on each chassis" (https://juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/chassis-edit-redundancy-group.html).
CLUSTER = """\
set groups node0 system host-name srx-a
set groups node0 interfaces fxp0 unit 0 family inet address 192.168.1.1/24
set groups node1 system host-name srx-b
set groups node1 interfaces fxp0 unit 0 family inet address 192.168.1.2/24
set apply-groups "${node}"
set chassis cluster reth-count 2
set chassis cluster redundancy-group 0 node 0 priority 100
set chassis cluster redundancy-group 0 node 1 priority 1
set chassis cluster redundancy-group 1 node 0 priority 100
set chassis cluster redundancy-group 1 node 1 priority 1
set interfaces fab0 fabric-options member-interfaces ge-0/0/2
set interfaces fab1 fabric-options member-interfaces ge-5/0/2
set interfaces ge-0/0/1 gigether-options redundant-parent reth0
set interfaces ge-5/0/1 gigether-options redundant-parent reth0
set interfaces ge-0/0/3 gigether-options redundant-parent reth1
set interfaces ge-5/0/3 gigether-options redundant-parent reth1
set interfaces reth0 redundant-ether-options redundancy-group 1
set interfaces reth0 unit 0 family inet address 10.1.0.1/16
set interfaces reth1 redundant-ether-options redundancy-group 1
set interfaces reth1 unit 0 family inet address 10.2.0.1/24
set security zones security-zone trust interfaces reth0.0
set security zones security-zone servers interfaces reth1.0
set security policies from-zone trust to-zone servers policy p1 match source-address any
set security policies from-zone trust to-zone servers policy p1 match destination-address any
set security policies from-zone trust to-zone servers policy p1 match application junos-cifs
set security policies from-zone trust to-zone servers policy p1 then permit
"""


def test_junos_cluster_node_groups_of_management_only_decide_nothing():
    cfg, lines = junos_lines(CLUSTER, "c.set")
    assert lines.unaccounted() == []
    assert cfg.diagnostics == ()  # was: CFG300 at line 5 'variable group ... (could change any verdict)'
    assert cfg.unsettled_routes == ()
    assert _decide(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert _decide(cfg, "10.1.0.5", "10.2.0.10", 80)["decision"] == "deny"
    # both nodes' fxp0 addresses are the cluster's own: traffic to either is not transit
    assert _decide(cfg, "10.1.0.5", "192.168.1.2")["reason"].startswith("sent by or addressed to the device")
    assert _decide(cfg, "10.1.0.5", "192.168.1.1")["reason"].startswith("sent by or addressed to the device")
    assert _flows(junos_lines(CLUSTER.replace("junos-cifs", "any"), "c.set")[0]) == {"pass"}


def test_junos_cluster_node_groups_the_same_in_both_are_inherited_once():
    same = "".join("set groups node%%d security policies from-zone servers to-zone trust policy back %s\n" % m
                   for m in ("match source-address any", "match destination-address any",
                             "match application junos-http", "then permit"))
    cfg, lines = junos_lines(same % ((0,) * 4) + same % ((1,) * 4) + CLUSTER, "c.set")
    assert lines.unaccounted() == []
    assert cfg.diagnostics == ()
    assert len(cfg.filters["servers->trust"].rules) == 1  # (not twice)
    assert _decide(cfg, "10.2.0.10", "10.1.0.5", 80)["decision"] == "permit"
    assert _decide(cfg, "10.2.0.10", "10.1.0.5", 445)["decision"] == "deny"


def test_junos_cluster_node_groups_that_differ_in_filtering_are_reported():
    # a policy in node0's group only: the verdict depends on which node is primary
    text = CLUSTER.replace("junos-cifs", "any")
    assert _flows(junos_lines(text, "c.set")[0]) == {"pass"}
    text += "set groups node0 security policies from-zone trust to-zone servers policy p0 match source-address any\n"
    cfg, lines = junos_lines(text, "c.set")
    assert lines.unaccounted() == []
    assert [(d.code, d.source.line, d.impact.value) for d in cfg.diagnostics] == [("CFG300", 27, "global")]
    assert "groups node0 only" in cfg.diagnostics[0].message
    assert _flows(cfg) == {"unknown"}


def test_junos_cluster_node_routes_and_addresses_on_other_networks_are_unsettled():
    # a static route in one node's group (a management route through fxp0), fxp0 on two different networks:
    # packets to those addresses depend on the node; the rest is decided
    text = CLUSTER.replace("192.168.1.2/24", "192.168.2.2/24") + (
        "set groups node0 routing-options static route 10.9.0.0/16 next-hop 192.168.1.254\n")
    cfg, lines = junos_lines(text, "c.set")
    assert lines.unaccounted() == []
    assert cfg.diagnostics == ()
    assert sorted(src.line for _n, src, _w in cfg.unsettled_routes) == [2, 4, 27]
    assert _decide(cfg, "10.1.0.5", "10.9.0.7")["decision"] == "unknown"
    assert _decide(cfg, "10.1.0.5", "192.168.2.9")["decision"] == "unknown"
    assert _decide(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"


# --- pfSense / OPNsense CARP ---------------------------------------------------------------------------
# pfSense src/etc/inc/filter.inc (pfsense/pfsense at 9363ac5b86) filter_process_carp_rules: "Only add CARP rules if
# there are CARP VIPs": "block in quick proto carp from (self) to any" and "pass quick proto carp no state" ("CARP
# operation"); util.inc orders PFCONFIG_FILTER_CARP after the port 0 blocks, before the interfaces' rules.  A CARP
# VIP is an address of the firewall ((self)): see tests/pfsense/test_pfsense_hunt8.py, checked again here.
PFSENSE = """<?xml version="1.0"?>
<pfsense>
	<version>23.2</version>
	<system><hostname>fw</hostname></system>
	<interfaces>
		<lan><enable></enable><if>em1</if><ipaddr>10.2.0.1</ipaddr><subnet>24</subnet></lan>
		<opt1><enable></enable><if>em2</if><descr>WORKSHOP</descr><ipaddr>10.1.0.2</ipaddr><subnet>16</subnet></opt1>
	</interfaces>
	<virtualip>
		<vip><mode>carp</mode><interface>lan</interface><vhid>1</vhid><advskew>0</advskew><advbase>1</advbase>
		<password>s3cret</password><subnet>10.2.0.254</subnet><subnet_bits>24</subnet_bits><type>single</type>
		<uniqid>5f0c1a2b3c4d5</uniqid><descr>LAN CARP</descr></vip>
	</virtualip>
	<filter>
		<rule><type>block</type><interface>opt1</interface><ipprotocol>inet</ipprotocol>
			<destination><network>(self)</network></destination><descr>to the firewall</descr>
			<source><any/></source></rule>
		<rule><type>pass</type><interface>opt1</interface><ipprotocol>inet</ipprotocol>
			<source><any/></source><destination><any/></destination><descr>rest</descr></rule>
	</filter>
</pfsense>
"""


def _line(text, needle):
    return next(k for k, t in enumerate(text.splitlines(), 1) if needle in t)


def test_pfsense_carp_vip_is_the_firewalls_and_carp_itself_passes():
    from parsers import parse_text
    cfg = parse_text(PFSENSE, "config.xml")
    assert cfg.diagnostics == ()
    got = _decide(cfg, "10.1.0.5", "10.2.0.254")  # the CARP VIP: (self)
    assert (got["decision"], got["line"]) == ("deny", _line(PFSENSE, "to the firewall"))
    assert _decide(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    # CARP (IP protocol 112) passes before any interface rule, here before a block of everything
    text = PFSENSE.replace("<type>pass</type>", "<type>block</type>")
    cfg = parse_text(text, "config.xml")
    assert _decide(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "deny"
    carp = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", 112, None, None))
    assert carp["decision"] == "permit"  # was: deny (the generated CARP rules were not modelled)
    # without a CARP VIP, no CARP rule
    cfg = parse_text(text.replace("<mode>carp</mode>", "<mode>ipalias</mode>"), "config.xml")
    assert decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", 112, None, None))["decision"] == "deny"


# --- Cisco IOS first-hop redundancy -------------------------------------------------------------------------
# Cisco, "VRRPv3 Protocol Support" (IE9300 configuration guide,
# https://www.cisco.com/c/en/us/td/docs/switches/lan/cisco_ie9300/software/Configuration_Guide/b-vrrrpv3-cg/m-vrrrpv3-cg.html):
# "For VRRPv3 to be configurable, the fhrp version vrrpv3 command must be used in global configuration mode"; a
# group is 'vrrp G address-family ipv4|ipv6' with its own lines ('address A primary', 'priority', 'preempt delay',
# 'track', closed by 'exit-vrrp'), VRRP advertisements are IP protocol 112.  Cisco, "Configuring HSRP": the virtual
# address is the hosts' default gateway, an address of the active router (the existing 'standby G ip A').
IOS_VRRP3 = """\
hostname r1
fhrp version vrrp v3
!
interface GigabitEthernet0/0
 ip address 10.1.0.2 255.255.0.0
 ip access-group WS_IN in
 standby version 2
 standby 1 ip 10.1.0.1
 standby 1 priority 110
 standby 1 preempt
 standby 2 ipv6 2001:DB8:1::1/64
 standby 3 ipv6 autoconfig
!
interface GigabitEthernet0/1
 ip address 10.2.0.2 255.255.255.0
 vrrp 1 address-family ipv4
  address 10.2.0.1 primary
  priority 120
  preempt delay minimum 30
  track 1 decrement 10
  exit-vrrp
 vrrp 2 address-family ipv6
  address FE80::1 primary
  address 2001:DB8:2::1/64
 exit-vrrp
 ipv6 address 2001:DB8:2::2/64
!
ip access-list extended WS_IN
 permit tcp 10.1.0.0 0.0.255.255 host 10.2.0.10
!
track 1 interface GigabitEthernet0/2 line-protocol
end
"""


def test_ios_vrrpv3_group_lines_are_read_not_reported():
    from parsers import parse_text
    from parsers.kit.addr import cidr_set
    cfg = parse_text(IOS_VRRP3, "r1.cfg")
    assert cfg.diagnostics == ()  # was: 'fhrp version', 'address 10.2.0.1', 'preempt delay', 'exit-vrrp'... global
    for vip in ("10.2.0.1", "10.1.0.1", "2001:db8:2::1", "2001:db8:1::1"):  # the virtual addresses are the router's own
        assert cidr_set(vip).issubset(cfg.local_addresses)
    assert _decide(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert _decide(cfg, "10.1.0.5", "10.2.0.10", 80)["decision"] == "permit"
    assert _decide(cfg, "10.1.0.5", "10.2.0.11")["decision"] == "deny"


# --- probes found right (kept as regressions) ------------------------------------------------------------------
# Cisco ASA, "Introduction to Failover" (https://www.cisco.com/en/US/docs/security/asa/asa91/asdm71/general/ha_failover.html):
# "In Active/Standby failover, one unit is the active unit. It passes traffic"; the pair filters with one
# configuration, the 'standby' address of an interface being the standby unit's (an address of the pair).
ASA_FAILOVER = """: Saved
ASA Version 9.16(4)
!
hostname fw1
!
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0 standby 10.1.0.2
!
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0 standby 10.2.0.2
!
interface GigabitEthernet0/2
 description LAN/STATE Failover Interface
!
interface Management0/0
 management-only
 nameif management
 security-level 100
 ip address 192.168.1.1 255.255.255.0 standby 192.168.1.2
!
failover
failover lan unit primary
failover lan interface FOLINK GigabitEthernet0/2
failover replication http
failover link FOLINK GigabitEthernet0/2
failover interface ip FOLINK 172.16.0.1 255.255.255.252 standby 172.16.0.2
failover key *****
failover polltime unit 1 holdtime 3
failover interface-policy 1
monitor-interface inside
monitor-interface servers
no monitor-interface management
failover mac address GigabitEthernet0/0 0011.2233.4455 0011.2233.4456
prompt hostname priority state
!
access-list IN extended permit tcp 10.1.0.0 255.255.0.0 host 10.2.0.10
access-group IN in interface inside
!
: end
"""


def test_asa_failover_lines_decide_nothing():
    from parsers import parse_text
    from parsers.kit.addr import cidr_set
    cfg = parse_text(ASA_FAILOVER, "fw.cfg")
    assert cfg.diagnostics == ()
    assert cidr_set("10.2.0.2").issubset(cfg.local_addresses)  # the standby unit's address
    assert _decide(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert _decide(cfg, "10.1.0.5", "10.2.0.11")["decision"] == "deny"


# Fortinet, FGCP: the cluster's units share one configuration and forward as one FortiGate; the reserved management
# interfaces' settings "are not synchronized ... You can also configure routing for each reserved management
# interface" (https://docs.fortinet.com/document/fortigate-7000/6.2.4/fortigate-7000-release-notes/533481/ha-reserved-management-interface-support):
# routing of the unit's own management traffic, not of transit traffic.
FORTI_HA = """#config-version=FG100F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin
#conf_file_ver=1
#buildno=1517
#global_vdom=1
config system global
    set hostname "fw1"
end
config system ha
    set group-id 10
    set group-name "cluster1"
    set mode a-p
        set hbdev "ha1" 50 "ha2" 50
    set session-pickup enable
    set session-pickup-connectionless enable
    set ha-mgmt-status enable
    config ha-mgmt-interfaces
        edit 1
            set interface "mgmt"
            set gateway 192.168.1.254
        next
    end
    set override disable
    set priority 200
    set monitor "port1" "port2"
end
config system interface
    edit "port1"
        set vdom "root"
        set ip 10.1.0.1 255.255.0.0
    next
    edit "port2"
        set vdom "root"
        set ip 10.2.0.1 255.255.255.0
    next
    edit "mgmt"
        set ip 192.168.1.1 255.255.255.0
        set dedicated-to management
    next
end
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_fortios_ha_block_decides_nothing():
    from parsers import parse_text
    cfg = parse_text(FORTI_HA, "fw.conf")
    assert cfg.diagnostics == ()
    assert _decide(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert _decide(cfg, "10.2.0.10", "10.1.0.5")["decision"] == "deny"

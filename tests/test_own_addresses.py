"""The device's own addresses (``Config.local_addresses``) are not transit traffic.

A firewall forwards packets between other hosts; a packet from or to one of its own interface addresses is
the device's own traffic (management, routing protocols), which its to-the-box settings decide, not the
transit policy.  Cisco: "The ASA does not support traffic to or from the ASA's own interfaces through
the access rules" -- to-the-box access is by the ``ssh``, ``http``, ``telnet`` and ``icmp`` commands and
the control plane (ASA 9.x general configuration guide, "Management Access",
https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/general/asa-916-general-config/admin-management.html).
Juniper: host-inbound traffic to the SRX is allowed per zone and interface by ``host-inbound-traffic``,
not by security policies ("host-inbound-traffic",
https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/ref/statement/security-edit-host-inbound-traffic.html).
FortiOS: traffic to the FortiGate itself is decided by local-in policies and the interface's
``allowaccess``, not by firewall policies ("Local-in policy",
https://docs.fortinet.com/document/fortigate/7.4.0/administration-guide/363127/local-in-policy).
PAN-OS: management on a data interface is an interface management profile ("Interface Management
Profile", https://docs.paloaltonetworks.com/pan-os/10-2/pan-os-networking-admin/configure-interfaces/use-interface-management-profiles-to-restrict-access).

So the own addresses (the interfaces' addresses; an ASA failover pair's standby addresses, ``ip address A M
standby S`` in the ASA command reference; Junos VRRP ``virtual-address [ addresses ]``, Juniper
"vrrp-group"; IOS HSRP, VRRP and GLBP virtual addresses) are left out of every transit path: a required
flow from a workshop network is decided for its hosts, its example packet is one a host sends (never the
firewall's own ``.1``), and ``explain`` of a packet to or from the device says that its own traffic is not
evaluated (``unknown``), rather than a transit verdict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import api
from auditor.api import decision_json, make_packet
from auditor.core.packets import ISet, addr_to_int
from auditor.engine import OWN_TRAFFIC
from auditor.policy import load_site
from parsers import parse_text

ROOT = Path(__file__).resolve().parent.parent


def addrs(*texts: str) -> ISet:
    return ISet.union_of(ISet.of(addr_to_int(t)) for t in texts)


ASA = """ASA Version 9.12(4)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0 standby 203.0.113.3
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.30.0.1 255.255.255.0 standby 10.30.0.2
 ipv6 address 2001:db8:30::1/64 standby 2001:db8:30::2
interface GigabitEthernet0/2
 nameif servers
 security-level 50
 ip address 10.20.0.1 255.255.255.0
interface Management0/0
 nameif management
 management-only
 ip address 192.168.1.1 255.255.255.0
access-list INSIDE_IN extended deny tcp any any eq 445
access-list INSIDE_IN extended permit ip any any
access-group INSIDE_IN in interface inside
"""

JUNOS = """set applications application smb protocol tcp destination-port 445
set interfaces ge-0/0/0 unit 0 family inet address 10.30.0.1/24 vrrp-group 1 virtual-address 10.30.0.254
set interfaces ge-0/0/1 unit 0 family inet address 10.20.0.1/24
set interfaces ge-0/0/2 unit 0 family inet6 address 2001:db8:30::1/64
set interfaces lo0 unit 0 family inet address 192.0.2.1/32
set security zones security-zone trust interfaces ge-0/0/0.0
set security zones security-zone servers interfaces ge-0/0/1.0
set security zones security-zone trust interfaces ge-0/0/2.0
set security policies from-zone trust to-zone servers policy deny-smb match source-address any
set security policies from-zone trust to-zone servers policy deny-smb match destination-address any
set security policies from-zone trust to-zone servers policy deny-smb match application smb
set security policies from-zone trust to-zone servers policy deny-smb then deny
set security policies from-zone trust to-zone servers policy rest match source-address any
set security policies from-zone trust to-zone servers policy rest match destination-address any
set security policies from-zone trust to-zone servers policy rest match application any
set security policies from-zone trust to-zone servers policy rest then permit
"""

JUNOS_TREE = """interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.30.0.1/24 {
                    vrrp-group 1 {
                        virtual-address [ 10.30.0.253 10.30.0.254 ];
                    }
                }
            }
        }
    }
}
"""

FORTIOS = """#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin
config system interface
    edit "port1"
        set ip 10.30.0.1 255.255.255.0
        set secondary-IP enable
        config secondaryip
            edit 1
                set ip 10.31.0.1 255.255.255.0
            next
        end
        config ipv6
            set ip6-address 2001:db8:30::1/64
        end
    next
    edit "port2"
        set ip 10.20.0.1/24
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

# Cisco, "Configuring HSRP" (https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ipapp_fhrp/configuration/xe-16/fhp-xe-16-book/fhp-hsrp-cfg.html):
# the group's virtual IP address is the hosts' default gateway, answered by the active router
IOS = """version 15.2
hostname r1
interface GigabitEthernet0/0
 ip address 10.30.0.2 255.255.255.0
 standby 1 ip 10.30.0.1
 standby 1 priority 110
 vrrp 2 ip 10.30.0.250
 glbp 3 ip 10.30.0.251
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
"""

PANOS = """set network interface ethernet ethernet1/1 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.20.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ]
set zone trust network layer3 ethernet1/1
set zone servers network layer3 ethernet1/2
set rulebase security rules allow from trust
set rulebase security rules allow to servers
set rulebase security rules allow source any
set rulebase security rules allow destination any
set rulebase security rules allow application any
set rulebase security rules allow service any
set rulebase security rules allow action allow
"""


@pytest.mark.parametrize("text, own", [
    # the management-only interface is not in the model: its address is not a transit path's either way
    (ASA, addrs("203.0.113.2", "203.0.113.3", "10.30.0.1", "10.30.0.2", "10.20.0.1", "2001:db8:30::1",
                "2001:db8:30::2")),
    (JUNOS, addrs("10.30.0.1", "10.30.0.254", "10.20.0.1", "2001:db8:30::1", "192.0.2.1")),
    (JUNOS_TREE, addrs("10.30.0.1", "10.30.0.253", "10.30.0.254")),
    (FORTIOS, addrs("10.30.0.1", "10.31.0.1", "2001:db8:30::1", "10.20.0.1")),
    (PANOS, addrs("10.30.0.1", "10.20.0.1")),
    (IOS, addrs("10.30.0.1", "10.30.0.2", "10.30.0.250", "10.30.0.251", "10.20.0.1")),
], ids=["asa", "junos-set", "junos-tree", "fortios", "panos", "ios-hsrp-vrrp-glbp"])
def test_the_own_addresses_are_the_interfaces_and_the_standby_or_virtual_ones(text, own):
    assert parse_text(text, "fw.cfg").local_addresses == own


def test_the_standby_address_is_not_a_nat_interface_address():
    # PAT to 'interface' uses the active unit's address (the standby unit takes it over on failover)
    text = ASA + "object network WS\n subnet 10.30.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
    (table,) = parse_text(text, "fw.cfg").nat
    (rule,) = table.rules
    assert [r.pool for r in rule.rewrites if r.dim == 0] == [addrs("203.0.113.2")]


@pytest.mark.parametrize("text", [ASA, JUNOS, FORTIOS, PANOS], ids=["asa", "junos", "fortios", "panos"])
def test_a_packet_from_or_to_the_device_is_its_own_traffic_not_a_transit_verdict(text):
    c = parse_text(text, "fw.cfg")
    for src, dst in (("10.30.0.1", "10.20.0.10"), ("10.30.0.5", "10.30.0.1"), ("10.30.0.5", "10.20.0.1")):
        d = decision_json(c, make_packet(src, dst, "tcp", 40000, 445))
        assert (d["decision"], d.get("reason")) == ("unknown", OWN_TRAFFIC), (src, dst, d)
    # a host's packet is decided as before (every vendor here permits it)
    assert decision_json(c, make_packet("10.30.0.5", "10.20.0.10", "tcp", 40000, 80))["decision"] == "permit"


def test_a_blocked_flows_example_is_a_hosts_packet_not_the_firewalls():
    c = parse_text(ASA, "fw.cfg")
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10", "secondary=10.20.0.11"])
    res = api.audit([c], site)
    blocked = [f for f in res.findings if f.rule_id == "PRN100"]
    assert blocked
    for f in blocked:
        assert f.example[0] == addr_to_int("10.30.0.3"), f  # (.1 and .2 are the pair's; .0 a network address)


EXAMPLES = [
    ("examples/prinergy-site/asa.cfg", "examples/prinergy-site/site.yaml"),
    ("examples/junos-site/srx.conf", "examples/junos-site/site.yaml"),
    ("examples/fortios-site/fortigate.conf", "examples/fortios-site/site.yaml"),
    ("examples/panos-site/running-config.xml", "examples/panos-site/site.yaml"),
    ("examples/ios-site/ios.cfg", "examples/ios-site/site.yaml"),
    ("examples/pfsense-site/config.xml", "examples/pfsense-site/site.yaml"),
]


@pytest.mark.parametrize("config, site", EXAMPLES, ids=[Path(c).parent.name for c, _s in EXAMPLES])
def test_no_flow_finding_of_a_bundled_example_shows_the_devices_own_address(config, site):
    cfgs = api.load_inputs(str(ROOT / config), "auto")
    own = cfgs[0].local_addresses
    assert own, "the example's interfaces have addresses"
    res = api.audit(cfgs, load_site(str(ROOT / site), []))
    flows = [f for f in res.findings if f.rule_id.startswith("PRN1") and f.example is not None]
    assert flows
    for f in flows:
        src, dst = f.example[0], f.example[1]
        assert src not in own and dst not in own, (f.rule_id, f.message, f.example)


# --- the examples of rule anomalies (ACL200-ACL202) ------------------------------------------------
# An anomaly's example is a packet the rules it names decide: for a transit filter, never one from or to
# the firewall itself (the documents above: its access rules do not decide such packets); for a filter
# of the packets a device receives (an IOS inbound ACL, a pfSense interface's rules), never one from its
# own address; for an INPUT chain, only packets addressed to the host.

ASA_ANOMALIES = ASA.replace("access-list INSIDE_IN extended permit ip any any\n", (
    "access-list INSIDE_IN extended permit tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0 eq 80\n"
    "access-list INSIDE_IN extended permit tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0 eq 80\n"
    "access-list INSIDE_IN extended deny tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.128 range 80 81\n"
    "access-list INSIDE_IN extended permit tcp host 10.30.0.1 host 10.20.0.1 eq 22\n"
    "access-list INSIDE_IN extended permit tcp host 10.30.0.1 host 10.20.0.1 eq 22\n"
    "access-list INSIDE_IN extended permit ip any any\n"))


def _anomalies(text: str, path: str = "fw.cfg", site_roles=("workshop=10.30.0.0/24", "primary=10.20.0.10")):
    res = api.audit([parse_text(text, path)], load_site(None, list(site_roles)))
    return {(f.rule_id, f.source.line): f.example for f in res.findings if f.rule_id.startswith("ACL2")}


def test_an_asa_anomalys_example_is_neither_from_nor_to_the_firewall():
    p = _anomalies(ASA_ANOMALIES)
    # line 22 repeats line 21 (ACL201), line 23 overlaps line 21 with the other action (ACL202)
    # (.1 and .2 are the failover pair's, .0 a network address)
    assert p[("ACL201", 22)] == (addr_to_int("10.30.0.3"), addr_to_int("10.20.0.2"), 6, 49152, 80)
    assert p[("ACL202", 23)] == (addr_to_int("10.30.0.3"), addr_to_int("10.20.0.2"), 6, 49152, 80)
    # a rule for the firewall's own addresses only: its example is those (no other packet shows it)
    assert p[("ACL201", 25)] == (addr_to_int("10.30.0.1"), addr_to_int("10.20.0.1"), 6, 49152, 22)


def test_an_input_chains_example_is_addressed_to_the_host_and_a_forward_chains_is_not():
    # iptables: INPUT holds the packets addressed to the host, FORWARD the ones it routes (netfilter,
    # "Packet flow in Netfilter and General Networking"; iptables(8): "INPUT (for packets destined to
    # local sockets)", "FORWARD (for packets being routed through the box)")
    text = ("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            "-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n"
            "-A FORWARD -p tcp --dport 445 -j ACCEPT\n-A FORWARD -p tcp --dport 445 -j ACCEPT\nCOMMIT\n")
    cfg = api.combine_inputs([parse_text(text, "rules.v4")], "1.0.0.1", None)[0]
    assert cfg.local_addresses == addrs("1.0.0.1")
    res = api.audit([cfg], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"]))
    ex = {f.source.line: f.example for f in res.findings if f.rule_id == "ACL201"}
    assert ex[6][1] == addr_to_int("1.0.0.1") and ex[6][0] != addr_to_int("1.0.0.1")  # INPUT: to the host
    assert addr_to_int("1.0.0.1") not in ex[8][:2]  # FORWARD: neither from nor to it


@pytest.mark.parametrize("config, site", EXAMPLES, ids=[Path(c).parent.name for c, _s in EXAMPLES])
def test_no_anomaly_example_of_a_bundled_example_is_a_packet_its_filter_never_sees(config, site):
    cfgs = api.load_inputs(str(ROOT / config), "auto")
    own = cfgs[0].local_addresses
    res = api.audit(cfgs, load_site(str(ROOT / site), []))
    found = [f for f in res.findings if f.rule_id.startswith("ACL2") and f.example is not None]
    assert found
    receives = cfgs[0].vendor in ("cisco-ios", "pfsense")  # (their interface rules see packets to the device)
    for f in found:
        assert f.example[0] not in own and (receives or f.example[1] not in own), (f.rule_id, f.message, f.example)

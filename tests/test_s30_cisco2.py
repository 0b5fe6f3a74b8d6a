"""Session 30 (cisco2): Cisco IOS and ASA verdicts the last rounds left.

Each behaviour is quoted from Cisco's documents (cited at each test)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide  # noqa: E402

from auditor.audit import audit  # noqa: E402

# --- IOS: an interface list that does not exist ---------------------------------------------------------------
# "If the specified access list does not exist, all packets are passed." (Cisco IOS command reference,
# 'ip access-group', https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/
# ip_access-group.htm); "For the implicit deny ipv6 any any statement to take effect, an IPv6 ACL must contain at
# least one entry." (Catalyst 3560 command reference, 'ipv6 access-list', the same for 'ipv6 traffic-filter')
UNDEFINED = """\
ipv6 unicast-routing
interface GigabitEthernet0/0
 ip address 203.0.113.1 255.255.255.0
 ip access-group NOPE in
 ipv6 address 2001:db8:1::1/64
 ipv6 traffic-filter NOPE6 in
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
 ipv6 address 2001:db8:2::1/64
ip route 0.0.0.0 0.0.0.0 203.0.113.254
ipv6 route ::/0 2001:db8:1::fe
"""


def test_an_undefined_interface_list_passes_everything_and_is_a_warning_not_a_failure():
    c = cfg(UNDEFINED)
    assert decide(c, "198.51.100.7", "10.20.0.10", dport=445)["decision"] == "permit"
    assert decide(c, "2001:db8:1::7", "2001:db8:2::10", dport=445)["decision"] == "permit"
    r = audit([c])
    found = [f for f in r.findings if f.rule_id == "CFG301"]
    assert len(found) == 2 and all(f.severity == "warning" for f in found)
    assert r.verdict != "fail"


# --- IOS: entries on header fields the model does not carry ------------------------------------------------------
# "permit protocol source source-wildcard destination destination-wildcard [precedence precedence] [tos tos]"
# (Cisco IOS command reference, 'permit', https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/
# using_cisco_ios_software/cmdrefs/permit.htm): the entry matches only packets carrying that value, which the
# audited flows do not say; the packets it names are unknown, and the line is reported where it is
DSCP = """\
ip access-list extended OUT_IN
 permit tcp any host 10.20.0.10 eq 445 dscp af11
 permit tcp any host 10.20.0.10 eq 139 precedence critical
 permit tcp any host 10.20.0.10 eq 80 tos max-throughput
 deny ip any any
interface GigabitEthernet0/0
 ip address 203.0.113.1 255.255.255.0
 ip access-group OUT_IN in
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 203.0.113.254
"""


def test_dscp_precedence_and_tos_entries_are_reported_at_their_lines():
    c = cfg(DSCP)
    for port in (445, 139, 80):
        assert decide(c, "198.51.100.7", "10.20.0.10", dport=port)["decision"] == "unknown"
    lines = sorted(d.source.line for d in c.diagnostics if d.code == "CFG300")
    assert lines == [4, 5, 6]  # (after the two lines cfg() puts in front)


# --- ASA: ICMP is stateful only where 'inspect icmp' applies ------------------------------------------------------
# "For TCP and UDP connections ... you do not need an access rule to allow returning traffic ... For connectionless
# protocols such as ICMP, however, the ASA establishes unidirectional sessions, so you either need access rules to
# allow ICMP in both directions (by applying ACLs to the source and destination interfaces), or you need to enable
# the ICMP inspection engine. The ICMP inspection engine treats ICMP sessions as bidirectional connections. To
# control ping, specify echo-reply (0) ..." (Cisco ASA Series Firewall CLI Configuration Guide, "Access Rules for
# Returning Traffic"); ICMP inspection is not among the engines of the default global policy.
ASA_ICMP = """\
ASA Version 9.8(1)
hostname fw
interface GigabitEthernet1/1
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet1/2
 nameif servers
 security-level 90
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet1/3
 nameif workshop
 security-level 80
 ip address 10.30.0.1 255.255.255.0
access-list WORKSHOP_IN extended permit icmp 10.30.0.0 255.255.255.0 any echo
access-list SERVERS_IN extended permit tcp 10.20.0.0 255.255.255.0 any eq 443
%s
access-group WORKSHOP_IN in interface workshop
access-group SERVERS_IN in interface servers
route outside 0.0.0.0 0.0.0.0 203.0.113.1
class-map inspection_default
 match default-inspection-traffic
policy-map global_policy
 class inspection_default
  inspect dns
  inspect ftp
%s
service-policy global_policy global
"""


def _ping(text):
    from auditor.api import make_packet
    from auditor.core.packets import one_packet
    from auditor.engine import connection
    from parsers.cisco_asa import parse

    c = parse(text, "asa.cfg")
    assert not c.diagnostics
    got = connection(c, one_packet(make_packet("10.30.0.5", "10.20.0.10", "icmp", 0, 8 << 8)))
    return {o.phase: (o.kind, o.source.line if o.source else None) for o in got}


def test_asa_echo_replies_need_an_access_rule_without_icmp_inspection():
    lines = ASA_ICMP.splitlines()
    deny_line = lines.index("access-list SERVERS_IN extended permit tcp 10.20.0.0 255.255.255.0 any eq 443") + 1
    got = _ping(ASA_ICMP % ("", ""))
    assert got["new"] == ("permit", 15)
    assert got["reply"] == ("deny", deny_line)  # (the implicit deny of SERVERS_IN, at its last entry)
    # an access rule for the echo reply (type 0) on the servers' interface lets it back
    got = _ping(ASA_ICMP % ("access-list SERVERS_IN extended permit icmp any 10.30.0.0 255.255.255.0 echo-reply", ""))
    assert got["reply"][0] == "permit"
    # ... or ICMP inspection makes the ping one connection: its reply passes with it
    assert "reply" not in _ping(ASA_ICMP % ("", "  inspect icmp"))
    # an interface policy inspects what enters and leaves its interface
    iface = (ASA_ICMP % ("", "  inspect icmp")).replace("service-policy global_policy global",
                                                        "service-policy global_policy interface workshop")
    assert _ping(iface)["reply"][0] == "permit"
    outside = iface.replace("global_policy interface workshop", "global_policy interface outside")
    assert _ping(outside)["reply"][0] == "deny"


# --- IOS XR: 'router static' routes, and object groups by 'net-group' / 'port-group' ------------------------------
# IOS XR writes its static routes under 'router static' / 'address-family ipv4|ipv6 unicast' as
# 'PREFIX/LEN [INTERFACE] [NEXTHOP] [DISTANCE]' (Cisco IOS XR Routing Command Reference, "Static Routing Commands":
# 'router static', 'address-family (static)'): before, the block was ignored as "routing settings that learn no
# routes", so nothing was routed beyond the connected networks, and a server the default route exposes passed
# PRN150. Its ACEs name object groups as 'net-group NAME' and 'port-group NAME' (cisco.iosxr.iosxr_acls, "Name of
# net-group", "Name of port-group", https://docs.ansible.com/ansible/2.4/iosxr_acls_module.html), defined by
# 'object-group network ipv4 NAME' and 'object-group port NAME' (aerleon's ciscoxr 'object-group' renders them).
XR = """\
object-group network ipv4 SRC_NET
 198.51.100.0/24
exit
object-group network ipv4 DST_NET
 host 10.20.0.10
exit
object-group port P445
 eq 445
exit
object-group port HIGH
 range 1024 65535
exit
ipv4 access-list OG
 remark term1
 permit tcp net-group SRC_NET port-group HIGH net-group DST_NET port-group P445
 permit udp any net-group DST_NET port-group P445
exit
interface GigabitEthernet0/0/0/0
 ipv4 address 203.0.113.1 255.255.255.0
 ipv4 access-group OG ingress
interface GigabitEthernet0/0/0/1
 ipv4 address 10.20.0.1 255.255.255.0
router static
 address-family ipv4 unicast
  0.0.0.0/0 203.0.113.254
 !
!
"""


def test_ios_xr_static_routes_and_object_groups():
    from parsers.cisco_ios import parse

    c = parse(XR, "xr.cfg")
    assert not c.diagnostics
    lines = XR.splitlines()
    tcp = lines.index(" permit tcp net-group SRC_NET port-group HIGH net-group DST_NET port-group P445") + 1
    udp = tcp + 1
    d = decide(c, "198.51.100.7", "10.20.0.10", dport=445)
    assert (d["decision"], d["line"]) == ("permit", tcp)
    assert decide(c, "198.51.100.7", "10.20.0.10", sport=80, dport=445)["decision"] == "deny"  # (source port)
    assert decide(c, "192.0.2.7", "10.20.0.10", dport=445)["decision"] == "deny"  # (source group)
    d = decide(c, "192.0.2.7", "10.20.0.10", proto="udp", dport=445)
    assert (d["decision"], d["line"]) == ("permit", udp)
    assert decide(c, "192.0.2.7", "10.20.0.10", proto="udp", dport=446)["decision"] == "deny"
    # the default route is the only way in: without it nothing from outside the connected networks is routed
    c = parse(XR.replace("  0.0.0.0/0 203.0.113.254\n", ""), "xr.cfg")
    d = decide(c, "198.51.100.7", "10.20.0.10", dport=445)
    assert (d["decision"], d["reason"]) == ("deny", "no interface or route reaches these addresses")

"""Session 30 (cisco2): Cisco IOS and ASA verdicts the last rounds left.

Each behaviour is quoted from Cisco's documents (cited at each test)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from auditor.audit import audit  # noqa: E402
from ios_helpers import cfg, decide  # noqa: E402

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

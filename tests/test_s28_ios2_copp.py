"""Session 28 (io2): traffic to the router itself meets the control plane's policies.

Cisco IOS Quality of Service Solutions Configuration Guide, "Control Plane Policing": 'control-plane' /
'service-policy input NAME' applies the policy map to the packets punted to the route processor (those to the
router's own addresses); a class whose action is 'drop' discards its packets.  Cisco IOS Security Configuration
Guide, "Management Plane Protection": 'management-interface IF allow PROTOCOLS' under 'control-plane host' makes
the other interfaces drop those management protocols to the router.  Both were ignored ("control-plane
policing"), so 'explain' to a router address said 'permit' for a packet IOS drops.  Which packets a class holds is
not modelled: the packets to the router are unknown at that line; transit traffic is not touched."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide, line_of  # noqa: E402

COPP = """\
class-map match-all COPP-SMB
 match access-group name COPP-SMB
policy-map COPP
 class COPP-SMB
  drop
 class class-default
  police 64000 conform-action transmit exceed-action drop
ip access-list extended COPP-SMB
 permit tcp any any eq 445
control-plane
 service-policy input COPP
interface GigabitEthernet0/1
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/2
 ip address 10.20.0.1 255.255.255.0
"""


def test_a_dropping_control_plane_policy_makes_packets_to_the_router_unknown():
    c = cfg(COPP)
    got = decide(c, "10.30.0.5", "10.30.0.1", dport=445)
    assert got["decision"] == "unknown" and got["line"] == line_of(COPP, " service-policy input COPP"), got
    # transit traffic does not reach the control plane
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"


def test_a_rate_limit_only_policy_blocks_no_flow():
    # ('police ... conform-action transmit': the conforming packets pass; a rate limit blocks no flow)
    text = COPP.replace(" class COPP-SMB\n  drop\n", "")
    c = cfg(text)
    assert decide(c, "10.30.0.5", "10.30.0.1", dport=445)["decision"] == "permit"


def test_management_plane_protection_makes_packets_to_the_router_unknown():
    text = COPP.replace(" service-policy input COPP\n", "control-plane host\n"
                        " management-interface GigabitEthernet0/2 allow ssh\n")
    c = cfg(text)
    got = decide(c, "10.30.0.5", "10.30.0.1", dport=22)
    assert got["decision"] == "unknown", got
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=22)["decision"] == "permit"

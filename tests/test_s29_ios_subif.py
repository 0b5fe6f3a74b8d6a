"""Session 29 (io): a subinterface of a shut interface carries nothing.

"The shutdown command disables all functions on the specified interface" (Cisco IOS command reference,
'shutdown (interface)', https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/
shutdown.htm): the frames of its 802.1Q subinterfaces cross that interface, so they neither send nor receive.
Before, 'interface Gi0/0.30' under a shut Gi0/0 routed its VLAN's traffic: a flow no packet of which can cross the
router was a certain 'pass'."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide  # noqa: E402

SUBIF = """\
interface GigabitEthernet0/0
 no ip address
%s
interface GigabitEthernet0/0.30
 encapsulation dot1Q 30
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
"""


def test_a_subinterface_of_a_shut_interface_carries_nothing():
    assert decide(cfg(SUBIF % " shutdown"), "10.30.0.5", "10.20.0.10", dport=445)["decision"] != "permit"
    assert decide(cfg(SUBIF % " no shutdown"), "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"

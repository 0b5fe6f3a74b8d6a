"""PAN-OS interfaces whose address the firewall learns at run time (PPPoE clients), and the firewall's own
addresses.

Documents cited:

* [PAN-PPPOE-IF] PAN-OS Web Interface Help, "Layer 3 Interface" > IPv4 > PPPoE
  (https://docs.paloaltonetworks.com/pan-os/11-2/pan-os-web-interface-help/network/network-interfaces/
  layer-3-interface): "Enable" (activate the interface for PPPoE termination); "Static Address—Specify the
  static IP address that was assigned by the service provider (optional, no default)"; "Automatically create
  default route pointing to peer—... create a default route that points to the PPPoE peer when connected";
  "Default Route Metric".
* [PAN-PPPOE-SUB] PAN-OS Networking Administrator's Guide, "Configure a PPPoE Client on a Subinterface"
  (https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-networking-admin/configure-interfaces/
  configure-a-pppoe-client-on-a-subinterface): "The PPPoE client that you configure on the subinterface
  learns its IPv4 address from the ISP".
  So, like a DHCP client (tests/test_routes23.py, [PAN-DHCP]), its network and default route are learned
  routes: what they may route is unknown at its line, the rest is decided.
"""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from auditor.core.packets import ISet, addr_to_int
from parsers import parse_text


def decide(c, src: str, dst: str, dport: int = 445) -> dict:
    return decision_json(c, make_packet(src, dst, "tcp", 40000, dport))


def line_of(text: str, needle: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)


PAN = """\
set deviceconfig system hostname site-fw
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 pppoe enable yes
set network interface ethernet ethernet1/3 layer3 pppoe username isp-user
set network interface ethernet ethernet1/3 layer3 pppoe create-default-route yes
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ]
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set zone untrust network layer3 ethernet1/3
set rulebase security rules ws from workshop
set rulebase security rules ws to [ servers untrust ]
set rulebase security rules ws source any
set rulebase security rules ws destination any
set rulebase security rules ws application any
set rulebase security rules ws service any
set rulebase security rules ws action allow
"""


def test_pppoe_client_is_a_learned_route_not_a_global_doubt():
    c = parse_text(PAN, "fw.set")
    line = line_of(PAN, "create-default-route")
    # [PAN-PPPOE-IF], [PAN-PPPOE-SUB]: before, 'gets its address from pppoe' made every verdict unknown
    assert not c.verdict_affecting()
    assert [s.line for s in c.learned_routes] == [line]
    got = decide(c, "10.30.0.5", "8.8.8.8")
    assert got["decision"] == "unknown" and got["default_line"] == line
    # between the statically addressed networks: decided (the workshop rule permits; the reverse is denied)
    assert decide(c, "10.30.0.5", "10.20.0.10")["decision"] == "permit"
    assert decide(c, "10.20.0.10", "10.30.0.5")["decision"] == "deny"


def test_only_pppoe_and_dhcp_interfaces_stay_reported():
    # no interface has a network of its own: what the learned networks hold may be any address
    text = PAN.replace("layer3 ip 10.20.0.1/24", "layer3 dhcp-client").replace("layer3 ip 10.30.0.1/24",
                                                                                  "layer3 pppoe enable yes")
    c = parse_text(text, "fw.set")
    assert any("pppoe" in f.message for f in c.verdict_affecting())
    assert decide(c, "10.30.0.5", "10.20.0.10")["decision"] == "unknown"


def test_pppoe_static_address_is_the_firewalls_own():
    # [PAN-PPPOE-IF] "Static Address": the address the service provider assigned to the interface
    text = PAN + "set network interface ethernet ethernet1/3 layer3 pppoe static-address 203.0.113.7\n"
    c = parse_text(text, "fw.set")
    assert not c.verdict_affecting()
    own = ISet.union_of(ISet.of(addr_to_int(a)) for a in ("10.20.0.1", "10.30.0.1", "203.0.113.7"))
    assert c.local_addresses == own

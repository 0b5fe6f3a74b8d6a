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


# [PAN-FLOAT] PAN-OS Administrator's Guide, "Floating IP Address and Virtual MAC Address"
# (https://docs.paloaltonetworks.com/pan-os/9-1/pan-os-admin/high-availability/ha-concepts/
# floating-ip-address-and-virtual-mac-address): "The interface on the firewall that owns the floating IP address
# responds to ARP requests with a virtual MAC address"; "You configure the end hosts to use a floating IP address
# as its default gateway"; and "ARP Load-Sharing" (.../pan-os/10-0/pan-os-admin/high-availability/ha-concepts/
# arp-load-sharing): "ARP load-sharing allows the firewalls to share an IP address and provide gateway services".
# The pair's own addresses, then: no transit packet comes from or goes to them (Config.local_addresses).
HA = """\
set deviceconfig system hostname site-fw
set deviceconfig high-availability group mode active-active device-id 0
set deviceconfig high-availability group mode active-active virtual-address ethernet1/1 ip 10.20.0.254 floating \
device-priority device-0 10
set deviceconfig high-availability group mode active-active virtual-address ethernet1/2 ip 10.30.0.254 \
arp-load-sharing type ip-modulo
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ]
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
"""

HA_XML = """<config version="10.1.0"><devices><entry name="localhost.localdomain">
<deviceconfig><high-availability><group><mode><active-active><device-id>0</device-id>
<virtual-address><entry name="ethernet1/1"><ip><entry name="10.20.0.254"><floating><device-priority>
<device-0>10</device-0></device-priority></floating></entry></ip></entry></virtual-address>
</active-active></mode></group></high-availability></deviceconfig>
<network><interface><ethernet>
<entry name="ethernet1/1"><layer3><ip><entry name="10.20.0.1/24"/></ip></layer3></entry>
<entry name="ethernet1/2"><layer3><ip><entry name="10.30.0.1/24"/></ip></layer3></entry>
</ethernet></interface>
<virtual-router><entry name="default"><interface><member>ethernet1/1</member><member>ethernet1/2</member>
</interface></entry></virtual-router></network>
<vsys><entry name="vsys1"><zone>
<entry name="servers"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
<entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
</zone></entry></vsys></entry></devices></config>
"""


def test_active_active_floating_and_shared_addresses_are_the_firewalls_own():
    c = parse_text(HA, "fw.set")
    own = ISet.union_of(ISet.of(addr_to_int(a)) for a in ("10.20.0.1", "10.30.0.1", "10.20.0.254", "10.30.0.254"))
    assert c.local_addresses == own  # (before: the interface addresses only)
    x = parse_text(HA_XML, "fw.xml")
    assert x.local_addresses == ISet.union_of(ISet.of(addr_to_int(a)) for a in ("10.20.0.1", "10.30.0.1",
                                                                                "10.20.0.254"))

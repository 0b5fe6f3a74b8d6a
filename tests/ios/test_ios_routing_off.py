"""What an IOS router does not route: 'no ip routing', and IPv6 without 'ipv6 unicast-routing'.

* "To define a default gateway (router) when IP routing is disabled, use the ip default-gateway global
  configuration command" (Cisco IOS command reference, 'ip default-gateway',
  https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/ip_default-gateway.htm);
  'ip routing' is a global command whose no form turns routing off (Cisco IOS 11.1 Network Protocols Command
  Reference, "IP Commands", http://www.cisco.com/en/US/docs/ios/11_1/np1/command/reference/4rip.html); a
  running-config shows only the 'no ip routing' form (conproly, "Default gateway behavior on Cisco switches").
* IPv6 unicast routing is disabled by default: "To enable IPv6 routing" the global 'ipv6 unicast-routing' is needed
  (Cisco Catalyst 3750 Switch Software Configuration Guide 12.2(44)SE, "Configuring IPv6 Unicast Routing", Default
  IPv6 Configuration, http://www.cisco.com/c/en/us/td/docs/switches/lan/catalyst3750/software/release/12-2_44_se/
  configuration/guide/scg/swipv6.html; Cisco IOS IPv6 Configuration Guide 15-S, "IPv6 Unicast Routing").
"""

from __future__ import annotations

from tests.ios.ios_helpers import cfg, decide, line_of

BASE = ("interface GigabitEthernet0/0\n ip address 10.1.1.1 255.255.255.0\n ipv6 address 2001:db8:1::1/64\n"
        "interface GigabitEthernet0/1\n ip address 10.2.2.1 255.255.255.0\n ipv6 address 2001:db8:2::1/64\n")


def test_no_ip_routing_routes_no_ipv4():
    text = "no ip routing\nipv6 unicast-routing\n" + BASE
    c = cfg(text)
    d = decide(c, "10.1.1.5", "10.2.2.5", dport=445)
    assert d["decision"] == "deny" and d["default_line"] == line_of(text, "no ip routing")
    # IPv6 is routed ('ipv6 unicast-routing'), and a later 'ip routing' turns IPv4 routing back on
    assert decide(c, "2001:db8:1::5", "2001:db8:2::5", dport=445)["decision"] == "permit"
    assert decide(cfg(text + "ip routing\n"), "10.1.1.5", "10.2.2.5", dport=445)["decision"] == "permit"
    assert not c.diagnostics


def test_ipv6_is_not_routed_without_ipv6_unicast_routing():
    c = cfg(BASE)
    d = decide(c, "2001:db8:1::5", "2001:db8:2::5", dport=445)
    assert d["decision"] == "deny" and "ipv6 unicast-routing" in d["reason"]
    assert decide(c, "10.1.1.5", "10.2.2.5", dport=445)["decision"] == "permit"
    on = cfg(BASE + "ipv6 unicast-routing\n")
    assert decide(on, "2001:db8:1::5", "2001:db8:2::5", dport=445)["decision"] == "permit"
    off = cfg(BASE + "ipv6 unicast-routing\nno ipv6 unicast-routing\n")
    assert decide(off, "2001:db8:1::5", "2001:db8:2::5", dport=445)["decision"] == "deny"


def test_ios_xr_interfaces_route_ipv6_without_the_command():
    # IOS XR has no 'ipv6 unicast-routing': its interfaces ('ipv4 address') forward IPv6 as configured
    xr = ("interface GigabitEthernet0/0/0/0\n ipv4 address 10.1.1.1 255.255.255.0\n ipv6 address 2001:db8:1::1/64\n"
          "interface GigabitEthernet0/0/0/1\n ipv4 address 10.2.2.1 255.255.255.0\n ipv6 address 2001:db8:2::1/64\n")
    assert decide(cfg(xr), "2001:db8:1::5", "2001:db8:2::5", dport=445)["decision"] == "permit"

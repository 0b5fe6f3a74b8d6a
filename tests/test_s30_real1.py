"""Real configurations and the vendor behaviours they showed, session 30 (helper real1).

Documents cited:

* [DHCP6] Juniper, "dhcpv6-client (Interfaces)" (Junos CLI reference,
  https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/dhcpv6-client-edit-interfaces.html):
  the DHCPv6 client of a unit's ``family inet6``: its address (and prefix) come from a DHCPv6 server at run
  time, as ``family inet dhcp`` is the DHCP client for IPv4.
* [BW] Juniper, "bandwidth (Interfaces)" (Junos OS 13.2,
  https://juniper.net/documentation/en_US/junos13.2/topics/reference/configuration-statement/bandwidth-edit-interfaces.html):
  "Configure an informational-only bandwidth value for an interface"; it sets ifSpeed and the cost dynamic
  routing protocols derive ("cost = reference-bandwidth/bandwidth").
* [VMAP] Juniper, "input-vlan-map" / "output-vlan-map": "Define the rewrite operation to be applied to the
  incoming [outgoing] frame on this logical interface" (VLAN tags pushed, popped or swapped).
* [GROUPS] Juniper, "Configuration Groups Overview": statements under ``groups NAME`` are inherited where
  ``apply-groups NAME`` applies them (a chassis cluster's ``node0``/``node1`` groups).
* [PANZONE] Palo Alto Networks, "Security Policy Rule": a rule's Source Zone and Destination Zone are zones
  (or ``any``); traffic is matched by the zones of the interfaces it enters and leaves by.

Expected decisions are read from these documents, not from the tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.api import decision_json, make_packet
from auditor.core.packets import ISet, addr_to_int
from parsers import detect
from parsers.junos import parse_lines
from parsers.kit import InputError
from parsers.panos import parse_with_lines as panos_lines

FIX = Path(__file__).parent / "fixtures" / "real1"

SRX6 = """\
set version 21.4R3
set interfaces ge-0/0/0 unit 0 family inet6 address 2001:db8:30::1/64
set interfaces ge-0/0/1 unit 0 family inet6 dhcpv6-client client-type stateful
set interfaces ge-0/0/1 unit 0 family inet6 dhcpv6-client client-ia-type ia-na
set interfaces ge-0/0/2 unit 0 family inet6 address 2001:db8:99::1/64
set routing-options rib inet6.0 static route ::/0 next-hop 2001:db8:99::2
set security forwarding-options family inet6 mode flow-based
set security zones security-zone ws interfaces ge-0/0/0.0
set security zones security-zone srv interfaces ge-0/0/1.0
set security zones security-zone out interfaces ge-0/0/2.0
set security policies from-zone ws to-zone out policy web match source-address any
set security policies from-zone ws to-zone out policy web match destination-address any
set security policies from-zone ws to-zone out policy web match application any
set security policies from-zone ws to-zone out policy web then permit
"""


def decide(cfg, src: str, dst: str, dport: int = 445) -> str:
    return decision_json(cfg, make_packet(src, dst, "tcp", 49152, dport))["decision"]


def test_a_dhcpv6_client_unit_leaves_its_networks_unknown():  # [DHCP6]
    # before: 'interface family setting dhcpv6-client not understood', of no impact: the IPv6 server network behind
    # ge-0/0/1 (zone srv, no ws->srv policy: denied on the device) was routed by the default route to zone out
    # and PERMITTED by policy web, a certain pass
    cfg, lines = parse_lines(SRX6, "srx6.set")
    assert lines.unaccounted() == []
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10") == "unknown"
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(3, "none"), (4, "none")]
    assert all("DHCPv6" in d.message and "IPv6 addresses are unknown" in d.message for d in cfg.unrecognized)
    # (only IPv6: an IPv4 network beside it is still decided, here denied by the default policy)
    v4 = SRX6 + ("set interfaces ge-0/0/0 unit 0 family inet address 10.30.0.1/24\n"
                 "set interfaces ge-0/0/1 unit 0 family inet address 10.20.0.1/24\n")
    cfg, lines = parse_lines(v4, "srx6.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "deny"
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10") == "unknown"


def test_unit_bandwidth_and_vlan_maps_are_ignored_with_their_reason():  # [BW], [VMAP]
    text = SRX6.replace("dhcpv6-client client-type stateful", "address 2001:db8:20::1/64").replace(
        "set interfaces ge-0/0/1 unit 0 family inet6 dhcpv6-client client-ia-type ia-na\n", "")
    extra = ("set interfaces ge-0/0/0 unit 0 bandwidth 100m\n"
             "set interfaces ge-0/0/0 unit 0 input-vlan-map pop\n"
             "set interfaces ge-0/0/0 unit 0 output-vlan-map push\n"
             "set interfaces ge-0/0/1 unit 0 family inet6 address 2001:db8:20::1/64 ndp 2001:db8:20::7 "
             "mac 00:11:22:33:44:55\n")
    cfg, lines = parse_lines(text + extra, "srx.set")
    assert lines.unaccounted() == [] and not cfg.unrecognized, [d.message for d in cfg.unrecognized]
    assert any("informational-only" in why for why in lines.ignored_why)
    assert any("VLAN tag" in why for why in lines.ignored_why)
    # (no ws->srv policy: denied by the default policy, now that srv's network is known)
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10") == "deny"


def test_an_irb_virtual_gateway_address_is_the_devices_own():
    # Juniper, "virtual-gateway-address": the default gateway address the IRB unit answers for (EVPN): the
    # device's, as a VRRP virtual address is
    text = ("set interfaces irb unit 10 family inet address 10.1.1.2/24 virtual-gateway-address 10.1.1.1\n"
            "set interfaces ge-0/0/0 unit 0 family inet address 10.2.0.1/24\n")
    cfg, lines = parse_lines(text, "irb.set")
    assert lines.unaccounted() == [] and not cfg.unrecognized, [d.message for d in cfg.unrecognized]
    own = cfg.local_addresses
    assert own is not None and own.overlaps(ISet.of(addr_to_int("10.1.1.1")))
    assert own.overlaps(ISet.of(addr_to_int("10.1.1.2")))


def test_a_set_script_of_configuration_groups_is_read_as_junos():  # [GROUPS]
    # before: 'could not recognise the configuration format' (no line started with 'set system host-name' or
    # another statement the detector knows, all of them being inside 'set groups NAME')
    text = ("set groups node0 system host-name fw-node0\n"
            "set groups node0 interfaces lo0 unit 1 family inet address 1.1.1.1/32\n"
            "set groups node1 system host-name fw-node1\n"
            "set groups node1 interfaces lo0 unit 2 family inet address 2.2.2.2/32\n"
            "set apply-groups \"${node}\"\n")
    assert detect(text) == "junos"
    # (a VyOS script is not: its own statements are not under 'groups')
    with pytest.raises(InputError):
        detect("set firewall name WAN default-action drop\nset interfaces ethernet eth0 address dhcp\n")


def test_a_panos_rulebase_with_no_zone_names_says_so():  # [PANZONE]
    # before: "... filed by the zone names they use (), which have no interfaces" (an empty list)
    text = ("set rulebase security rules R1 from any\nset rulebase security rules R1 to any\n"
            "set rulebase security rules R1 source any\nset rulebase security rules R1 destination any\n"
            "set rulebase security rules R1 application any\nset rulebase security rules R1 service any\n"
            "set rulebase security rules R1 action deny\n")
    cfg, _lines = panos_lines(text, "r.set")
    msgs = [d.message for d in cfg.unrecognized]
    assert len(msgs) == 1 and "()" not in msgs[0] and "name none" in msgs[0], msgs


# [PANDHCP6] Palo Alto Networks, PAN-OS 11.0 "Configure a Layer 3 Interface as a DHCPv6 Client": the interface
# "receives its IPv6 address" (and, with accept-ra-route, its default route) from a DHCPv6 server at run time;
# the "Inherited" address type takes its prefix from a delegated prefix, also at run time.
PAN6 = """\
set network interface ethernet ethernet1/1 layer3 ipv6 enabled yes
set network interface ethernet ethernet1/1 layer3 ipv6 address 2001:db8:30::1/64
set network interface ethernet ethernet1/1 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/2 layer3 ipv6 enabled yes
set network interface ethernet ethernet1/2 layer3 ipv6 dhcp-client enable yes
set network interface ethernet ethernet1/2 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/3 layer3 ipv6 enabled yes
set network interface ethernet ethernet1/3 layer3 ipv6 address 2001:db8:99::2/64
set network interface ethernet ethernet1/3 layer3 ip 203.0.113.2/24
set zone ws network layer3 ethernet1/1
set zone srv network layer3 ethernet1/2
set zone untrust network layer3 ethernet1/3
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ]
set network virtual-router default routing-table ipv6 static-route d6 destination ::/0
set network virtual-router default routing-table ipv6 static-route d6 nexthop ipv6-address 2001:db8:99::1
set network virtual-router default routing-table ip static-route d4 destination 0.0.0.0/0 nexthop ip-address 203.0.113.1
set rulebase security rules out from ws to untrust source any destination any application any service any action allow
"""


def test_a_panos_dhcpv6_client_interface_leaves_the_ipv6_it_may_reach_unknown():  # [PANDHCP6]
    # before: 'ipv6 dhcp-client' was ignored as "IPv6 settings": the server network behind ethernet1/2 (zone srv,
    # no ws->srv rule: interzone-default deny on the device) was routed by ::/0 to untrust and ALLOWED by rule
    # 'out', a certain pass
    cfg, lines = panos_lines(PAN6, "pan6.set")
    assert lines.unaccounted() == []
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10") == "unknown"
    # (IPv4 is not the DHCPv6 client's: 10.20.0.0/24 is ethernet1/2's own network, no ws->srv rule)
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "deny"
    # the inherited address type alike
    inherited = PAN6.replace("ipv6 dhcp-client enable yes", "ipv6 inherited enable yes")
    assert decide(panos_lines(inherited, "pan6.set")[0], "2001:db8:30::5", "2001:db8:20::10") == "unknown"
    # and with the IPv6 address written, the policies decide
    static = PAN6.replace("ipv6 dhcp-client enable yes", "ipv6 address 2001:db8:20::1/64")
    assert decide(panos_lines(static, "pan6.set")[0], "2001:db8:30::5", "2001:db8:20::10") == "deny"
    # a WAN interface that is a DHCPv6 client on an IPv4-only site: IPv6 unknown, IPv4 still decided
    v4 = "".join(x + "\n" for x in PAN6.splitlines() if "ipv6" not in x or "dhcp-client" in x)
    cfg, _lines = panos_lines(v4.replace("ethernet1/2 layer3 ipv6", "ethernet1/3 layer3 ipv6"), "pan4.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "deny"
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10") == "unknown"
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(2, "none")]


# [FGTDHCP] Fortinet, FortiOS CLI Reference, "config system interface": 'mode static|dhcp|pppoe' (the address
# from the DHCP server or the PPPoE peer), 'defaultgw enable' (the default: "Get the gateway IP from the DHCP or
# PPPoE server"); 'config ipv6' / 'ip6-mode static|dhcp|pppoe|delegated' for IPv6.
FGT = """\
config system interface
    edit "port1"
        set mode static
        set ip 203.0.113.2 255.255.255.0
        config ipv6
            set ip6-address 2001:db8:99::2/64
        end
    next
    edit "port2"
        set mode dhcp
        config ipv6
            set ip6-mode dhcp
        end
    next
    edit "port3"
        set ip 10.30.0.1 255.255.255.0
        config ipv6
            set ip6-address 2001:db8:30::1/64
        end
    next
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "port1"
    next
end
config router static6
    edit 1
        set gateway 2001:db8:99::1
        set device "port1"
    next
end
config firewall policy
    edit 1
        set srcintf "port3"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "all"
        set srcaddr6 "all"
        set dstaddr6 "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_a_fortigate_dhcp_interface_leaves_what_it_may_reach_unknown():  # [FGTDHCP]
    # before: port2's subnet (learned by DHCP) was left out and the server behind it routed by the default route
    # to port1, where policy 1 accepted it: a certain PERMIT (the device: port3->port2, no policy, implicit deny)
    from parsers.fortios import parse as fortios_parse

    cfg = fortios_parse(FGT, "fgt.conf")
    assert cfg.aux["lines"].unaccounted() == []
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "unknown"
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10") == "unknown"
    # (the statically addressed networks are still decided: policy 1 to port1's own network)
    assert decide(cfg, "10.30.0.5", "203.0.113.9") == "permit"
    assert decide(cfg, "2001:db8:30::5", "2001:db8:99::9") == "permit"
    assert sorted((d.source.line, d.impact.value) for d in cfg.unrecognized) == [(10, "none"), (12, "none")]
    # with no static IPv6 network, IPv6 alone is unknown
    v4 = fortios_parse(FGT.replace("            set ip6-address 2001:db8:99::2/64\n", "").replace(
        "            set ip6-address 2001:db8:30::1/64\n", "").replace(
        "config router static6\n    edit 1\n        set gateway 2001:db8:99::1\n        set device \"port1\"\n"
        "    next\nend\n", ""), "fgt.conf")
    assert decide(v4, "10.30.0.5", "203.0.113.9") == "permit"
    assert decide(v4, "2001:db8:30::5", "2001:db8:99::9") == "unknown"


# [JDHCP] Juniper, "dhcp-client (Interfaces)" (SRX): the unit "obtains an IP address from the DHCP server", and with
# it the default route the server gives (an SRX branch's factory default runs it on ge-0/0/0, the untrust zone).
SRXDHCP = """\
set interfaces ge-0/0/0 unit 0 family inet dhcp-client
set interfaces ge-0/0/1 unit 0 family inet address 10.30.0.1/24
set interfaces ge-0/0/2 unit 0 family inet address 10.20.0.1/24
set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone ws interfaces ge-0/0/1.0
set security zones security-zone srv interfaces ge-0/0/2.0
set security policies from-zone ws to-zone srv policy p match source-address any
set security policies from-zone ws to-zone srv policy p match destination-address any
set security policies from-zone ws to-zone srv policy p match application junos-cifs
set security policies from-zone ws to-zone srv policy p then permit
"""


def test_a_dhcp_wan_unit_leaves_only_what_lies_beyond_the_static_networks_unknown():  # [JDHCP]
    # before: 'interface address learned at run time (dhcp-client)' could change any verdict: every flow of a
    # branch SRX with a DHCP WAN port was unknown, its LAN-to-LAN policies decided nothing
    cfg, lines = parse_lines(SRXDHCP, "dhcp.set")
    assert lines.unaccounted() == []
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(1, "none")]
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "permit"  # policy p, between two static networks
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=80) == "deny"  # (junos-cifs: 445 only)
    assert decide(cfg, "10.30.0.5", "198.51.100.7") == "unknown"  # (the DHCP server's routes decide where)


def test_a_fortigate_interfaces_extra_ipv6_prefixes_are_its_networks():
    # Fortinet, FortiOS CLI Reference, "config system interface" / "config ipv6" / "config ip6-extra-addr":
    # "Extra IPv6 address prefixes of interface", one 'edit <prefix>' each (as 'config secondaryip' for IPv4).
    # Before: the block was ignored as an option of no effect, so a server on the extra prefix was routed by the
    # default route to port1 and policy 1 accepted it: a certain PERMIT where port3->port2 has no policy
    from parsers.fortios import parse as fortios_parse

    text = FGT.replace('        set mode dhcp\n        config ipv6\n            set ip6-mode dhcp\n        end\n',
                       '        set ip 10.20.0.1 255.255.255.0\n        config ipv6\n'
                       '            set ip6-address 2001:db8:20::1/64\n            config ip6-extra-addr\n'
                       '                edit 2001:db8:21::1/64\n                next\n            end\n        end\n')
    cfg = fortios_parse(text, "fgt.conf")
    assert cfg.aux["lines"].unaccounted() == [] and not cfg.unrecognized, [d.message for d in cfg.unrecognized]
    assert decide(cfg, "2001:db8:30::5", "2001:db8:21::10") == "deny"  # implicit deny, port3 -> port2
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10") == "deny"
    assert decide(cfg, "2001:db8:30::5", "2001:db8:77::10") == "permit"  # (::/0 to port1, policy 1)
    assert cfg.local_addresses.overlaps(ISet.of(addr_to_int("2001:db8:21::1")))

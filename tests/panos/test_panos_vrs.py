"""PAN-OS firewalls with several virtual routers.

PAN-OS Administrator's Guide, "Virtual Routers" (https://docs.paloaltonetworks.com/pan-os/10-1/
pan-os-networking-admin/virtual-routers): "The firewall uses virtual routers to obtain routes to other
subnets ... Each Layer 3 interface, loopback interface, and VLAN interface defined on the firewall must be
associated with a virtual router. Each interface can belong to only one virtual router."  PAN-OS web
interface help, "Network > Virtual Routers > Static Routes": Next Hop "Next VR—Select a virtual router in
the firewall as the next hop", whose own lookup then routes the packet.  A packet is therefore routed by
the virtual router of the interface it comes in on (tests/test_routing_tables.py for the engine).
"""

from __future__ import annotations

from panos_util import cfg_of, explain_of, line_of

# inside: servers (ethernet1/1) and Workshop (ethernet1/2); outside: the Internet (ethernet1/3) and a DMZ
# (ethernet1/6); each hands the other what it does not hold
TWO_VRS = """\
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 203.0.113.2/24
set network interface ethernet ethernet1/6 layer3 ip 10.60.0.1/24
set network virtual-router inside interface [ ethernet1/1 ethernet1/2 ]
set network virtual-router outside interface [ ethernet1/3 ethernet1/6 ]
set network virtual-router inside routing-table ip static-route to-out destination 0.0.0.0/0 nexthop next-vr outside
set network virtual-router outside routing-table ip static-route to-in destination 10.0.0.0/8 nexthop next-vr inside
set network virtual-router outside routing-table ip static-route inet destination 0.0.0.0/0 \
nexthop ip-address 203.0.113.1
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set zone untrust network layer3 ethernet1/3
set zone dmz network layer3 ethernet1/6
"""
WS, SRV, NET, DMZ = "10.30.0.5", "10.20.0.10", "198.51.100.7", "10.60.0.5"


def test_each_virtual_router_is_its_own_table_and_next_vr_hands_over():
    cfg = cfg_of(TWO_VRS)
    assert not [d for d in cfg.diagnostics if "virtual router" in d.message]  # (before: "taken as one table")
    assert {i.name: i.table for i in cfg.interfaces}["ethernet1/6"] == "outside"
    # Workshop to the Internet: inside's default route hands it to outside, whose default leaves by ethernet1/3
    assert explain_of(cfg, WS, NET)["stage"] == "workshop->untrust"
    # to the DMZ: outside's connected network, reached through inside's default route
    assert explain_of(cfg, WS, DMZ)["stage"] == "workshop->dmz"
    # and back from the DMZ: outside hands 10.0.0.0/8 to inside
    assert explain_of(cfg, DMZ, SRV)["stage"] == "dmz->servers"


def test_a_route_of_another_virtual_router_is_not_used():
    # without inside's default route, the Workshop reaches nothing of outside's (before: one merged table,
    # outside's default route took it to the Internet)
    text = "\n".join(ln for ln in TWO_VRS.splitlines() if "static-route to-out" not in ln) + "\n"
    cfg = cfg_of(text)
    o = explain_of(cfg, WS, NET)
    assert o["decision"] == "deny" and o["reason"] == "no interface or route reaches these addresses"
    # the Internet still reaches the DMZ inside outside
    assert explain_of(cfg, NET, DMZ)["stage"] == "untrust->dmz"


def test_a_loop_of_next_vr_routes_routes_nothing():
    text = TWO_VRS + "set network virtual-router inside routing-table ip static-route back destination " \
                     "10.99.0.0/16 nexthop next-vr outside\n" \
                     "set network virtual-router outside routing-table ip static-route loop destination " \
                     "10.99.0.0/16 nexthop next-vr inside\n"
    o = explain_of(cfg_of(text), WS, "10.99.0.5")
    assert o["decision"] == "deny" and o["reason"] == "no interface or route reaches these addresses"


def test_an_undefined_next_vr_is_reported():
    text = TWO_VRS.replace("nexthop next-vr outside", "nexthop next-vr nowhere")
    [d] = [d for d in cfg_of(text).diagnostics if "nowhere" in d.message]
    assert d.source.line == line_of(text, "static-route to-out")


def test_destination_nat_zone_by_the_virtual_router_of_the_ingress():
    # the public address is in untrust by outside's connected network; translated, outside hands the server's
    # address to inside: the post-NAT zone is servers ("NAT Policy Rules": the destination zone is the zone
    # of the original destination, by the route lookup)
    text = TWO_VRS + (
        "set rulebase nat rules web from untrust to untrust source any destination 203.0.113.10 "
        "service any destination-translation translated-address 10.20.0.10\n"
        "set rulebase security rules in from untrust to servers source any destination 203.0.113.10 "
        "application any service application-default action allow\n")
    o = explain_of(cfg_of(text), NET, "203.0.113.10", dport=443)
    assert o["stage"] == "untrust->servers"
    assert [n["line"] for n in o["nat"]] == [line_of(text, "set rulebase nat rules web")]

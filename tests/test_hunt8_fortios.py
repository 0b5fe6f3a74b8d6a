"""FortiOS, hunt 8: which sources can come in through an interface (reverse-path forwarding), and
policy semantics, each checked against the Fortinet document cited in its test."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES
from test_fortios_parser import IFACES, cfg, decide, pol

from auditor.core.model import Impact
from auditor.diff import traffic_changes
from parsers.fortios import parse

EXAMPLE = Path(EXAMPLES) / "fortios-site" / "fortigate.conf"
WS, SRV = "10.1.0.5", "10.2.0.10"


# --- reverse-path forwarding (anti-spoofing) ----------------------------------------------------------
# Fortinet KB FD30543, "Technical Tip: Details about FortiOS RPF (Reverse Path Forwarding), also called
# Anti-Spoofing" (https://community.fortinet.com/t5/FortiGate/Technical-Tip-Details-about-FortiOS-RPF-Reverse-
# Path-Forwarding/ta-p/190100): the FortiGate drops ("reverse path check fail, drop") a packet whose source it
# has no route to back through the interface it came in on: with "S* 0.0.0.0/0 via wan1" and "C 10.1.1.0/24
# is directly connected, dmz", a packet from 172.16.1.1 arriving on dmz is dropped; once a route to
# 172.16.1.0/24 through dmz is added it is forwarded. RPF is on by default; 'config system settings' 'set
# asymroute enable' turns it off for the VDOM, and 'set src-check disable' on one interface (FortiGate
# Infrastructure Study Guide 7.0: "To disable RPF on an interface, you must disable the source check").

def _example_change(extra_route: str = "") -> dict:
    """What changing policy 11's srcaddr from WORKSHOP-NET to all does to the example (with a route
    added through the workshop interface)."""
    old = EXAMPLE.read_text()
    new = old.replace('set srcaddr "WORKSHOP-NET"\n        set dstaddr "PRINERGY-SERVERS"',
                      'set srcaddr "all"\n        set dstaddr "PRINERGY-SERVERS"')
    assert new != old
    if extra_route:
        tail = '        set device "wan1"\n    next\nend\n'
        assert old.count(tail) == 1
        more = '        set device "wan1"\n    next\n' + extra_route + "end\n"
        old, new = old.replace(tail, more), new.replace(tail, more)
    return traffic_changes(parse(old, "fortigate.conf"), parse(new, "fortigate.conf"))


def test_srcaddr_all_on_the_workshop_interface_permits_no_new_source_without_a_route_there():
    # the only sources routed back through 'workshop' are its connected 10.30.0.0/24 (= WORKSHOP-NET; the
    # default route is through wan1): RPF drops every other source that comes in there, so widening the
    # policy's srcaddr to 'all' lets nothing new through (the CI gate's "no newly permitted traffic" is right)
    got = _example_change()
    assert got["permitted"] == [] and got["unknown"] == []


def test_srcaddr_all_permits_the_sources_routed_through_the_workshop_interface():
    # ... but with a route to 10.99.0.0/16 through 'workshop', those sources pass RPF there, and the gate
    # shows them newly permitted by policy 11
    route = ('    edit 2\n        set dst 10.99.0.0 255.255.0.0\n        set gateway 10.30.0.254\n'
             '        set device "workshop"\n    next\n')
    got = _example_change(route)
    (change,) = got["permitted"]
    assert change.new.source.text.strip() == "edit 11"
    src = change.packets.cubes[0].dims[0]
    assert src.lo >> 16 == (0xFFFF << 16 | 10 << 8 | 99) and (src.hi - src.lo + 1) == 1 << 16  # 10.99.0.0/16


SETTINGS = "config system settings\n    set {}\nend\n"


def test_asymroute_turns_rpf_off_and_is_reported():
    for setting in ("asymroute enable", "asymroute6 enable", "asymroute-icmp enable"):
        c = cfg(pol(1, sa="net1"), SETTINGS.format(setting))
        (d,) = [d for d in c.unrecognized if "asymmetric routing" in d.message]
        assert d.impact is Impact.GLOBAL and d.source.text.strip() == "set " + setting
        assert c.aux["lines"].unaccounted() == []
    c = cfg(pol(1, sa="net1"), SETTINGS.format("asymroute disable"))
    assert not [d for d in c.unrecognized if "asymmetric" in d.message]
    assert decide(c, WS, SRV)["decision"] == "permit"


def test_an_interface_without_source_check_is_reported():
    ifaces = ('config system interface\n    edit "port1"\n        set vdom "root"\n'
              '        set ip 10.1.0.1 255.255.255.0\n        set src-check disable\n    next\n'
              '    edit "port2"\n        set vdom "root"\n        set ip 10.2.0.1 255.255.255.0\n'
              '        set src-check enable\n    next\nend\n')
    c = cfg(pol(1), ifaces=ifaces)
    (d,) = [d for d in c.unrecognized if "does not check sources" in d.message]
    assert d.impact is Impact.GLOBAL and d.source.text.strip() == "set src-check disable" and "port1" in d.message
    assert c.aux["lines"].unaccounted() == []


# --- TTL policies ---------------------------------------------------------------------------------------
# FortiOS CLI Reference, "config firewall ttl-policy" (https://docs.fortinet.com/document/fortigate/6.4.3/
# cli-reference/317620): "action: Action to be performed on traffic matching this policy (default = deny)
# ... deny: Deny or block traffic matching this policy"; srcintf, srcaddr, service, schedule, and "ttl:
# Value/range to match against the packet's Time to Live value". They were ignored as having no effect; a
# TTL policy denying the Workshop's packets left a required flow "pass".

TTL_POLICY = """config firewall ttl-policy
    edit 1
        set status {}
        set srcintf "port1"
        set srcaddr "all"
        set service "ALL"
        set schedule "always"
        set ttl 1-254
    next
end
"""


def test_an_enabled_ttl_policy_makes_the_verdicts_unknown():
    c = cfg(pol(1), TTL_POLICY.format("enable"))
    (d,) = [d for d in c.unrecognized if "TTL policy" in d.message]
    assert d.impact is Impact.GLOBAL and d.source.text.strip() == "edit 1"
    assert c.aux["lines"].unaccounted() == []


def test_a_disabled_ttl_policy_decides_nothing():
    c = cfg(pol(1), TTL_POLICY.format("disable"))
    assert not [d for d in c.unrecognized if "TTL" in d.message]
    assert decide(c, WS, SRV)["decision"] == "permit"
    assert c.aux["lines"].unaccounted() == []


# --- IP/MAC binding -------------------------------------------------------------------------------------
# FortiOS CLI Reference, "config firewall ipmacbinding setting" (https://docs.fortinet.com/document/fortigate/
# 6.2.16/cli-reference/985312136): "bindthroughfw: Enable/disable use of IP/MAC binding to filter packets
# that would normally go through the firewall"; "undefinedhost: Select action to take on packets with IP/MAC
# addresses not in the binding list (default = block)". On an interface with 'set ipmac enable' the
# Workshop's packets may be blocked whatever the policies say; the interface's 'ipmac' was ignored.


def _ipmac_ifaces(setting: str = "") -> str:
    out = IFACES.replace('        set ip 10.1.0.1 255.255.255.0\n',
                         '        set ip 10.1.0.1 255.255.255.0\n        set ipmac enable\n', 1)
    if setting:
        out += "config firewall ipmacbinding setting\n    set bindthroughfw %s\n    set undefinedhost block\nend\n" \
            % setting
    return out


def test_ip_mac_binding_on_an_interface_makes_the_verdicts_unknown():
    for setting in ("", "enable"):
        c = cfg(pol(1), ifaces=_ipmac_ifaces(setting))
        (d,) = [d for d in c.unrecognized if "IP/MAC" in d.message]
        assert d.impact is Impact.GLOBAL and d.source.text.strip() == "set ipmac enable"
        assert c.aux["lines"].unaccounted() == []


def test_ip_mac_binding_off_for_transit_traffic_changes_nothing():
    c = cfg(pol(1), ifaces=_ipmac_ifaces("disable"))
    assert not [d for d in c.unrecognized if "IP/MAC" in d.message]
    assert decide(c, WS, SRV)["decision"] == "permit"
    assert c.aux["lines"].unaccounted() == []

"""Unicast RPF (``ip verify unicast ...``) on an IOS interface drops what arrives from a source the routing
table does not reach back (URPF, URPF_CMD).  It was ignored as harmless: a flow from the internet, or the
replies of one to it, through a WAN interface with strict uRPF and only a default route passed, where the
router drops it."""

from __future__ import annotations

from ios_helpers import cfg, decide, line_of

# "Unicast RPF ... checks the source address against the FIB ... If the source IP address has a reverse path
# entry in the FIB and the interface on which the packet was received is one of the interfaces ... the packet
# is forwarded"; loose mode: the source "is reachable via any interface"
URPF = ("Cisco IOS Security Configuration Guide, Release 12.4T, 'Configuring Unicast Reverse Path Forwarding', "
        "http://www.cisco.com/en/US/docs/ios/security/configuration/guide/"
        "sec_cfg_unicast_rpf_ps6441_TSD_Products_Configuration_Guide_Chapter.html")
# "rx: Verifies that the source address is reachable on the interface where the packet was received."
# "allow-default: Verifies that the default route matches the source address." (without it the default
# route does not count)
URPF_CMD = ("Cisco Catalyst 4500 Series Switch Cisco IOS Command Reference, 'ip verify unicast source "
            "reachable-via', https://www.easymanua.ls/cisco/catalyst-4500-series/manual/47207?p=412")

LAN = ("interface Gi0/1\n ip address 10.20.0.1 255.255.255.0\n"
       "interface Gi0/2\n ip address 10.30.0.1 255.255.255.0\n")


def wan(verify: str) -> str:
    return ("interface Gi0/0\n ip address 203.0.113.2 255.255.255.252\n %s\n" % verify + LAN
            + "ip route 0.0.0.0 0.0.0.0 203.0.113.1\nip route 172.16.0.0 255.255.0.0 203.0.113.1\n")


def test_strict_without_allow_default_drops_sources_only_the_default_route_reaches():
    text = wan("ip verify unicast source reachable-via rx")
    c = cfg(text)
    d = decide(c, "198.51.100.7", "10.20.0.10", dport=443)
    assert d["decision"] == "deny"
    assert d["line"] == line_of(text, " ip verify unicast source reachable-via rx")
    # a source a more specific static route reaches through Gi0/0, and its connected network: forwarded
    assert decide(c, "172.16.4.4", "10.20.0.10", dport=443)["decision"] == "permit"
    assert decide(c, "203.0.113.1", "10.20.0.10", dport=443)["decision"] == "permit"
    # the reply of a LAN host's connection to the internet arrives on Gi0/0 too: dropped
    assert decide(c, "198.51.100.7", "10.20.0.10", sport=443, dport=50000)["decision"] == "deny"


def test_the_old_reverse_path_form_is_strict():
    c = cfg(wan("ip verify unicast reverse-path"))
    assert decide(c, "198.51.100.7", "10.20.0.10")["decision"] == "deny"


def test_allow_default_and_loose_mode():
    c = cfg(wan("ip verify unicast source reachable-via rx allow-default"))
    assert decide(c, "198.51.100.7", "10.20.0.10")["decision"] == "permit"
    c = cfg(wan("ip verify unicast source reachable-via any"))
    # loose: any route but the default one, through any interface
    assert decide(c, "198.51.100.7", "10.20.0.10")["decision"] == "deny"
    assert decide(c, "172.16.4.4", "10.20.0.10")["decision"] == "permit"
    c = cfg(wan("ip verify unicast source reachable-via any allow-default"))
    assert decide(c, "198.51.100.7", "10.20.0.10")["decision"] == "permit"


def test_strict_on_a_lan_interface_passes_its_own_hosts():
    text = ("interface Gi0/0\n ip address 203.0.113.2 255.255.255.252\n"
            "interface Gi0/1\n ip address 10.20.0.1 255.255.255.0\n ip verify unicast source reachable-via rx\n"
            "interface Gi0/2\n ip address 10.30.0.1 255.255.255.0\n"
            "ip route 0.0.0.0 0.0.0.0 203.0.113.1\n")
    c = cfg(text)
    assert decide(c, "10.20.0.10", "10.30.0.5", dport=445)["decision"] == "permit"
    assert decide(c, "10.20.0.10", "198.51.100.7", dport=443)["decision"] == "permit"


def test_an_exception_list_or_learned_routes_leave_the_failing_sources_unknown():
    c = cfg(wan("ip verify unicast source reachable-via rx 101")
            + "access-list 101 permit ip 198.51.100.0 0.0.0.255 any\n")
    assert decide(c, "198.51.100.7", "10.20.0.10")["decision"] == "unknown"
    c = cfg(wan("ip verify unicast source reachable-via rx")
            + "router ospf 1\n network 203.0.113.0 0.0.0.3 area 0\n")
    assert decide(c, "198.51.100.7", "10.20.0.10")["decision"] == "unknown"
    assert decide(c, "203.0.113.1", "10.20.0.10")["decision"] == "permit"


def test_ipv6_verify_unicast():
    text = ("ipv6 unicast-routing\n"
            "interface Gi0/0\n ipv6 address 2001:db8:ffff::2/64\n ipv6 verify unicast source reachable-via rx\n"
            "interface Gi0/1\n ipv6 address 2001:db8:20::1/64\n"
            "ipv6 route ::/0 2001:db8:ffff::1\n")
    c = cfg(text)
    assert decide(c, "2001:db8:99::7", "2001:db8:20::10", dport=443)["decision"] == "deny"
    assert decide(c, "2001:db8:ffff::1", "2001:db8:20::10", dport=443)["decision"] == "permit"


def test_ip_source_guard_is_reported_not_ignored():
    # IP source guard ('ip verify source') "filters traffic based on the DHCP snooping binding database and on
    # manually configured IP source bindings" (Cisco Catalyst 3750 Software Configuration Guide, 'Configuring IP
    # Source Guard'): a host without a binding is dropped. It was ignored as uRPF ("drops spoofed sources only").
    from auditor.core.model import Impact
    c = cfg("interface Gi0/1\n ip address 10.20.0.1 255.255.255.0\n ip verify source\n")
    assert [d.impact for d in c.diagnostics] == [Impact.GLOBAL]

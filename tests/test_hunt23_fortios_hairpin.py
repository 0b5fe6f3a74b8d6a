"""FortiOS: traffic routed back out of the interface it came in on (hunt 23).

Before, every path from an interface to itself was "not crossing the FortiGate": on a one-armed FortiGate (both
Prinergy roles routed out of one interface, or a host whose gateway is the FortiGate and a server behind another
router on the same segment) every flow passed with no policy at all.

What FortiOS does with it, by ``config system global`` / ``set allow-traffic-redirect enable|disable``
(``ipv6-allow-traffic-redirect`` for IPv6):

* Fortinet KB 196651 (FD36468), "Technical Tip: Traffic handled by FortiGate for packets with ingress & egress as
  same interface" (https://community.fortinet.com/t5/FortiGate/Technical-Tip-Traffic-handled-by-FortiGate-for-
  packets-with/ta-p/196651): with enable, traffic from a source "on the same network" as the interface "will be
  redirected without the need for a policy"; with disable it "will have to be matched by an IPv4 policy ... If no
  IPv4 policy matches the traffic, then it will match the implicit deny policy"; from a source on a different
  network a policy must match "no matter of the status ... But after 7.0.16, 7.2.11, and 7.4.4, the behavior was
  changed"; "As of FortiOS v7.4.10, v7.6.5, v8.0.0, and later, the default setting for allow-traffic-redirect (and
  the IPv6-equivalent ipv6-allow-traffic-redirect) is set to disable (in earlier FortiOS versions, the default
  setting for this was enable)"; only traffic "with no VLAN tag change, no DNAT, or no IPSEC" is redirected.
* FortiOS 7.0.18 Administration Guide, "Firewall anti-replay option per policy"
  (https://docs.fortinet.com/document/fortigate/7.0.18/administration-guide/16044): "If the source IP address is
  either on the same network as or on a different subnet from the firewall's interface ... If
  allow-traffic-redirect is enabled, then the traffic will be redirected without the need for a policy".
"""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse


def _header(ver: str) -> str:
    return "#config-version=FG100F-%s-FW-build0523-230530:opmode=0:vdom=0:user=admin\n" % ver


BASE = """config system interface
    edit "port1"
        set ip 10.1.0.1 255.255.255.0
    next
    edit "port2"
        set ip 10.2.0.1 255.255.255.0
        config ipv6
            set ip6-address 2001:db8:2::1/64
        end
    next
end
config router static
    edit 1
        set dst 10.9.0.0 255.255.0.0
        set gateway 10.2.0.254
        set device "port2"
    next
    edit 2
        set dst 10.8.0.0 255.255.0.0
        set gateway 10.2.0.253
        set device "port2"
    next
end
config router static6
    edit 1
        set dst 2001:db8:9::/48
        set gateway 2001:db8:2::fe
        set device "port2"
    next
end
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""

HAIRPIN_POLICY = """config firewall policy
    edit 7
        set srcintf "port2"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "HTTP"
    next
end
"""


def _cfg(ver: str = "", *settings: str, extra: str = ""):
    text = _header(ver) if ver else ""
    if settings:
        text += "config system global\n" + "".join("    set %s\n" % s for s in settings) + "end\n"
    return parse(text + BASE + extra, "t.conf")


ON_NET = ("10.2.0.50", "10.9.0.10")  # a host of port2's network to a server behind a router on port2's network
OFF_NET = ("10.8.0.5", "10.9.0.10")  # a source behind one router on port2's network to a server behind another
V6 = ("2001:db8:2::50", "2001:db8:9::10")


def _ask(c, ends, dport=80):
    return explain(c, ends[0], ends[1], "tcp", 40000, dport)


UNREACHED = "reaches the device only if a router behind port2 sends it here"


def _denied(d, ends) -> bool:
    """What the FortiGate denies: from a source on port2's network, a deny; from one behind a router on it, unknown
    (the router may send it straight to the other router: ``engine._back_out``, tests/test_back_out24.py), the
    FortiGate's reason kept."""
    if ends is OFF_NET:
        return d["decision"] == "unknown" and UNREACHED in d["reason"]
    return d["decision"] == "deny"


def test_two_hosts_of_one_connected_network_do_not_cross_the_fortigate():
    for c in (_cfg("7.6.5"), _cfg("7.0.12"), _cfg()):
        d = explain(c, "10.2.0.50", "10.2.0.60", "tcp", 40000, 80)
        assert d["decision"] == "permit" and d["rule"] is None and "does not reach the FortiGate" in d["reason"]
        d = explain(c, "2001:db8:2::50", "2001:db8:2::60", "tcp", 40000, 80)
        assert d["decision"] == "permit" and "does not reach the FortiGate" in d["reason"]


def test_disable_without_a_policy_is_the_implicit_deny_at_the_setting():
    # KB 196651: with disable "If no IPv4 policy matches the traffic, then it will match the implicit deny policy"
    # (before: permitted, "the traffic does not cross the FortiGate")
    c = _cfg("7.0.12", "allow-traffic-redirect disable")
    for ends in (ON_NET, OFF_NET):
        d = _ask(c, ends)
        assert _denied(d, ends), d
        assert d["default_line"] == 3 and "allow-traffic-redirect disable" in d["reason"]
        assert "implicit deny (policy 0)" in d["reason"]


def test_disable_with_a_port2_to_port2_policy_is_decided_by_that_policy():
    c = _cfg("7.0.12", "allow-traffic-redirect disable", extra=HAIRPIN_POLICY)
    for ends in (ON_NET, OFF_NET):
        d = _ask(c, ends)
        assert (d["decision"], d["rule"].strip()) == ("permit", "edit 7"), d
        d = _ask(c, ends, dport=22)  # (not the policy's service: the implicit deny)
        assert _denied(d, ends) and d["default_line"] == 3, d


def test_enable_forwards_a_source_of_the_interface_network_without_a_policy():
    # KB 196651: "the traffic will be redirected without the need for a policy, solely based on the routing decision"
    c = _cfg("7.0.12", "allow-traffic-redirect enable")
    d = _ask(c, ON_NET, dport=22)
    assert d["decision"] == "permit" and d["default_line"] == 3, d
    assert d["stage"] == "allow-traffic-redirect port2" and "KB 196651" in d["reason"]


def test_enable_and_a_source_of_another_network_depend_on_the_version():
    # before 7.0.16 / 7.2.11 / 7.4.4 a policy must match it (KB 196651); from them on it is redirected (the 7.0.18
    # guide: "either on the same network as or on a different subnet"); the version not known: unknown
    old = _cfg("7.0.12", "allow-traffic-redirect enable")
    d = _ask(old, OFF_NET)
    assert _denied(d, OFF_NET) and d["default_line"] == 3 and "must still match a firewall policy" in d["reason"]
    d = _ask(_cfg("7.0.12", "allow-traffic-redirect enable", extra=HAIRPIN_POLICY), OFF_NET)
    assert (d["decision"], d["rule"].strip()) == ("permit", "edit 7")
    for ver in ("7.0.18", "7.2.11", "7.4.4", "7.6.3"):
        d = _ask(_cfg(ver, "allow-traffic-redirect enable"), OFF_NET)
        assert d["decision"] == "permit" and d["default_line"] == 3, (ver, d)
    for ver in ("7.2.10", "7.4.3"):
        assert _denied(_ask(_cfg(ver, "allow-traffic-redirect enable"), OFF_NET), OFF_NET), ver
    unknown = _cfg("", "allow-traffic-redirect enable")
    d = _ask(unknown, OFF_NET)
    assert d["decision"] == "unknown" and d["line"] == 2 and "version not known" in d["reason"], d
    # (a port2->port2 policy that permits it: permitted either way)
    d = _ask(_cfg("", "allow-traffic-redirect enable", extra=HAIRPIN_POLICY), OFF_NET)
    assert (d["decision"], d["rule"].strip()) == ("permit", "edit 7")


def test_the_default_by_version():
    # KB 196651: disable from 7.4.10, 7.6.5 and 8.0.0, enable before
    for ver in ("7.4.10", "7.6.5", "8.0.0"):
        c = _cfg(ver)
        for ends in (ON_NET, OFF_NET):
            d = _ask(c, ends)
            assert _denied(d, ends) and "default (disable on FortiOS %s)" % ver in d["reason"], (ver, d)
        d = _ask(_cfg(ver, extra=HAIRPIN_POLICY), ON_NET)
        assert (d["decision"], d["rule"].strip()) == ("permit", "edit 7")
    for ver in ("6.4.15", "7.0.12", "7.4.9", "7.6.4"):
        d = _ask(_cfg(ver), ON_NET, dport=22)
        assert d["decision"] == "permit" and "default (enable on FortiOS %s)" % ver in d["reason"], (ver, d)
        assert d["stage"] == "allow-traffic-redirect port2"
    assert _denied(_ask(_cfg("6.4.15"), OFF_NET), OFF_NET)
    assert _ask(_cfg("7.4.9"), OFF_NET)["decision"] == "permit"
    # no version: which default is not known: unknown unless a policy permits it
    for ends in (ON_NET, OFF_NET):
        d = _ask(_cfg(), ends)
        assert d["decision"] == "unknown" and "version is not known" in d["reason"], d
        d = _ask(_cfg(extra=HAIRPIN_POLICY), ends)
        assert (d["decision"], d["rule"].strip()) == ("permit", "edit 7")


def test_ipv6_has_its_own_setting():
    # KB 196651: "allow-traffic-redirect (and the IPv6-equivalent ipv6-allow-traffic-redirect)"
    c = _cfg("7.0.12", "allow-traffic-redirect enable", "ipv6-allow-traffic-redirect disable")
    assert _ask(c, ON_NET)["decision"] == "permit"
    d = _ask(c, V6)
    assert d["decision"] == "deny" and d["default_line"] == 4 and "ipv6-allow-traffic-redirect disable" in d["reason"]
    c = _cfg("7.0.12", "allow-traffic-redirect disable", "ipv6-allow-traffic-redirect enable")
    assert _ask(c, ON_NET)["decision"] == "deny"
    d = _ask(c, V6)
    assert d["decision"] == "permit" and d["default_line"] == 4, d
    # its default follows the version as well
    assert _ask(_cfg("7.6.5"), V6)["decision"] == "deny"
    assert _ask(_cfg("7.0.12"), V6)["decision"] == "permit"


def test_a_value_not_understood_is_unknown_and_reported():
    c = _cfg("7.0.12", "allow-traffic-redirect maybe")
    d = _ask(c, ON_NET)
    assert d["decision"] == "unknown" and d["line"] == 3 and "is not understood" in d["reason"], d
    assert any("allow-traffic-redirect" in m.message for m in c.unrecognized)


def test_a_zone_with_intrazone_allow_leaves_what_no_policy_matches_unknown():
    # (the implicit permit of 'intrazone allow' is for traffic "between interfaces of the zone"; whether it takes
    # traffic back out of the same interface is not documented)
    zone = """config system zone
    edit "inside"
        set interface "port2"
        set intrazone allow
    next
end
"""
    c = _cfg("7.6.5", extra=zone)
    d = _ask(c, ON_NET)
    assert d["decision"] == "unknown" and "intrazone allow" in d["reason"], d
    deny = zone + HAIRPIN_POLICY.replace('"port2"', '"inside"').replace("accept", "deny")
    assert _ask(_cfg("7.6.5", extra=deny), ON_NET)["rule"].strip() == "edit 7"
    assert _ask(_cfg("7.6.5", extra=deny), ON_NET)["decision"] == "deny"


def test_traffic_a_vip_translates_meets_the_policies_even_with_enable():
    # KB 196651: only traffic "with no VLAN tag change, no DNAT, or no IPSEC encapsulation/decapsulation" is
    # redirected without a policy
    vip = """config firewall vip
    edit "web"
        set extip 10.2.0.100
        set mappedip "10.9.0.10"
        set extintf "any"
    next
end
config firewall policy
    edit 9
        set srcintf "port2"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "web"
        set action accept
        set schedule "always"
        set service "HTTP"
    next
end
"""
    c = _cfg("7.0.18", "allow-traffic-redirect enable", extra=vip)
    d = explain(c, "10.2.0.50", "10.2.0.100", "tcp", 40000, 80)
    assert (d["decision"], d["rule"].strip()) == ("permit", "edit 9"), d
    d = explain(c, "10.2.0.50", "10.2.0.100", "tcp", 40000, 22)
    assert d["decision"] == "deny" and "VIP" in d["reason"], d
    # (the same server, not through the VIP: redirected)
    assert _ask(c, ON_NET, dport=22)["decision"] == "permit"

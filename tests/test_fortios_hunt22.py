"""FortiOS address translation and forwarding edges (hunt 22), each with the Fortinet document that says so."""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse
from tests.test_fortios_vdom_nat_ttl import VIPCFG

OLD = "#config-version=FG100F-7.0.12-FW-build0523-230530:opmode=0:vdom=0:user=admin\n"


def test_a_port_range_onto_one_port_is_many_to_one_only_with_m_to_n():
    # 'set portmapping-type [1-to-1|m-to-n]' (CLI reference, config firewall vip, FortiOS 6.2.6,
    # https://docs.fortinet.com/document/fortigate/6.2.6/cli-reference/272620); many external ports onto one
    # mapped port is written with m-to-n (Fortinet KB 350101 "Virtual IP (VIP) port forwarding order of execution",
    # https://community.fortinet.com/t5/FortiGate/Technical-Tip-Virtual-IP-VIP-port-forwarding-order-of-execution/
    # ta-p/350101: 'extport 442-444', 'mappedport 443', 'portmapping-type m-to-n'); one to one (the default) "the
    # number of ports in these two ranges must be equal" (FortiGate 3.0 MR4 Administration Guide, "Firewall Virtual
    # IP").  Before, every range onto one port was read as many to one: port 8005 to the VIP was translated to 443
    # and permitted by the policy naming the VIP with service HTTPS.
    one_to_one = OLD + VIPCFG.replace("set extport 8443", "set extport 8440-8450")
    c = parse(one_to_one, "t.conf")
    assert explain(c, "198.51.100.7", "203.0.113.10", "tcp", 40000, 8445)["decision"] == "unknown"
    assert any("8440-8450" in d.message for d in c.unrecognized)
    m_to_n = one_to_one.replace("set mappedport 443", "set mappedport 443\n        set portmapping-type m-to-n")
    d = explain(parse(m_to_n, "t.conf"), "198.51.100.7", "203.0.113.10", "tcp", 40000, 8445)
    assert (d["decision"], d["rule"].strip()) == ("permit", "edit 2")
    # one port onto one port: the same either way
    d = explain(parse(OLD + VIPCFG, "t.conf"), "198.51.100.7", "203.0.113.10", "tcp", 40000, 8443)
    assert (d["decision"], d["rule"].strip()) == ("permit", "edit 2")


SDWAN = """config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.0
    next
    edit "wan2"
        set ip 198.51.100.2 255.255.255.0
    next
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
end
config firewall address
    edit "WS"
        set subnet 10.30.0.0 255.255.255.0
    next
    edit "SRV"
        set subnet 10.20.0.0 255.255.255.0
    next
end
config system sdwan
    set status enable
    config zone
        edit "virtual-wan-link"
        next
        edit "overlay"
        next
    end
    config members
        edit 1
            set interface "wan1"
            set gateway 203.0.113.1
        next
        edit 2
            set interface "wan2"
            set zone "ZONE2"
            set gateway 198.51.100.1
        next
    end
    config service
        edit 1
            set name "steer"
            set dst "SRV"
            set src "WS"
            set priority-members 2
        next
    end
end
config firewall policy
    edit 1
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "WS"
        set dstaddr "SRV"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
config router static
    edit 1
        set sdwan-zone "virtual-wan-link"
    next
end
"""


def test_sdwan_rules_that_may_move_traffic_to_another_policy_are_reported():
    # SD-WAN rules steer the traffic they match to an SD-WAN member before the routing table, and "SD-WAN rules are
    # matched only if the best route to the destination points to SD-WAN" (FortiOS 7.0.0 SD-WAN Architecture for
    # Enterprise, "SD-WAN routing logic", https://docs.fortinet.com/document/fortigate/7.0.0/
    # sd-wan-architecture-for-enterprise/768108).  The rules were ignored: workshop -> servers was permitted by
    # policy 1 whatever a rule did with it.  Where a rule may take the traffic to a member of another zone (so
    # another policy), or where that route check is not documented (before 7.0, version unknown), it is unknown.
    args = ("10.30.0.5", "10.20.0.10", "tcp", 40000, 445)
    new = "#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\n"
    one_zone = SDWAN.replace('            set zone "ZONE2"\n', "")
    # 7.x, every member in one zone: the rule can only pick another member of the zone the route chose
    assert explain(parse(new + one_zone, "t.conf"), *args)["decision"] == "permit"
    # the same without the version, or before 7.0: not known
    assert explain(parse(one_zone, "t.conf"), *args)["decision"] == "unknown"
    assert explain(parse(OLD.replace("7.0.12", "6.4.9") + one_zone, "t.conf"), *args)["decision"] == "unknown"
    # members in two zones: the rule may move traffic to the other zone's policies
    two_zones = SDWAN.replace('"ZONE2"', '"overlay"')
    c = parse(new + two_zones, "t.conf")
    assert explain(c, *args)["decision"] == "unknown"
    assert any("SD-WAN rule 1" in d.message and "overlay" in d.message for d in c.unrecognized)
    # a rule bypassing the route check
    bypass = one_zone.replace("set priority-members 2", "set priority-members 2\n            set default enable")
    assert explain(parse(new + bypass, "t.conf"), *args)["decision"] == "unknown"
    # a disabled rule steers nothing
    off = two_zones.replace("set priority-members 2", "set priority-members 2\n            set status disable")
    assert explain(parse(new + off, "t.conf"), *args)["decision"] == "permit"


def test_an_external_range_onto_one_mapped_address_is_not_taken_as_many_to_one():
    # static NAT VIPs are one to one: "A range of external IP addresses is mapped to a corresponding range of mapped
    # IP addresses. A given IP address in the source address range is always mapped to the same IP address in the
    # destination address range" (FortiGate 3.0 MR4 Administration Guide, "Firewall Virtual IP"); KB 216348
    # "Technical Tip: VIP DNAT behaviour" (https://community.fortinet.com/t5/FortiGate/Technical-Tip-VIP-DNAT-
    # behaviour/ta-p/216348): the mapped range's end is chosen from the external range.  An external range onto one
    # mapped address was translated many to one: 203.0.113.15 reached 10.20.0.10 and policy 2 permitted it.
    text = OLD + VIPCFG.replace("set extip 203.0.113.10", "set extip 203.0.113.10-203.0.113.20")
    c = parse(text, "t.conf")
    assert explain(c, "198.51.100.7", "203.0.113.15", "tcp", 40000, 8443)["decision"] == "unknown"
    assert any("maps 11 external addresses onto 1" in d.message for d in c.unrecognized)


def test_match_vip_only_deny_policy_does_not_surely_deny_plain_traffic():
    # 'set match-vip-only [enable|disable]': "Enable/disable matching of only those packets that have had their
    # destination addresses changed by a VIP" (FortiOS CLI reference, config firewall policy, 6.4-7.x; the text as
    # the fortinet.fortios Ansible collection's fortios_firewall_policy module carries it).  The setting was read
    # and dropped: the deny-all policy with it denied the plain packet to the server's real address that policy 4
    # permits (a false error).  How it combines with the rest of the policy is not modelled: unknown, not deny.
    text = VIPCFG.replace("set action deny", "set action deny\n        set match-vip enable\n"
                          "        set match-vip-only enable")
    text = text.replace("    edit 3\n", '    edit 4\n        set srcintf "wan1"\n        set dstintf "dmz"\n'
                        '        set srcaddr "all"\n        set dstaddr "web-real"\n        set action accept\n'
                        '        set schedule "always"\n        set service "HTTPS"\n    next\n    edit 3\n')
    c = parse(OLD + text, "t.conf")
    assert explain(c, "198.51.100.7", "10.20.0.10", "tcp", 40000, 443)["decision"] == "unknown"
    # VIP traffic: still denied by policy 1 (match-vip)
    d = explain(c, "198.51.100.7", "203.0.113.10", "tcp", 40000, 8443)
    assert (d["decision"], d["rule"].strip()) == ("deny", "edit 1")
    # without match-vip-only the deny-all denies the plain packet
    d = explain(parse(OLD + text.replace("        set match-vip-only enable\n", ""), "t.conf"),
                "198.51.100.7", "10.20.0.10", "tcp", 40000, 443)
    assert (d["decision"], d["rule"].strip()) == ("deny", "edit 1")

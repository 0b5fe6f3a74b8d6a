"""FortiOS 6.2 consolidated policy mode.

FortiOS 6.2 CLI Reference, "config system settings": ``set consolidated-firewall-mode [enable|disable]``; "config
firewall consolidated policy" (https://docs.fortinet.com/document/fortigate/6.2.7/cli-reference/288620): "Configure
consolidated IPv4/IPv6 policies", ``edit <policyid>`` with ``srcintf``, ``dstintf``, ``srcaddr4``, ``dstaddr4``,
``srcaddr6``, ``dstaddr6``, ``service``, ``action [accept|deny|...]``, ``schedule``, ``status``.  FortiOS 6.4.0 New
Features, "Consolidated IPv4 and IPv6 policy configuration" (https://docs.fortinet.com/document/fortigate/6.4.0/
new-features/815846): on upgrade "If consolidated policy mode is enabled, consolidated policies will be changed to
firewall policies": in that mode the consolidated table is the VDOM's firewall policy table, first match in its
order, IPv4 and IPv6 alike.  Whether 'config firewall policy' / 'policy6' entries also apply in that mode, or
consolidated entries without it, no document says: unknown.
"""

from __future__ import annotations

from auditor.api import explain
from auditor.core.model import Impact
from parsers.fortios import parse

HEAD = """#config-version=FG100F-6.2.5-FW-build1142-200608:opmode=0:vdom=0:user=admin
config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.248
    next
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
        config ipv6
            set ip6-address 2001:db8:20::1/64
        end
    next
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
        config ipv6
            set ip6-address 2001:db8:30::1/64
        end
    next
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "wan1"
    next
end
"""
MODE = """config system settings
    set consolidated-firewall-mode enable
end
"""
CONSOLIDATED = """config firewall consolidated policy
    edit 1
        set name "deny-smb"
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr4 "all"
        set dstaddr4 "all"
        set srcaddr6 "all"
        set dstaddr6 "all"
        set action deny
        set schedule "always"
        set service "SMB"
    next
    edit 2
        set name "ws-v4"
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr4 "all"
        set dstaddr4 "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
    edit 3
        set name "ws-v6-http"
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr6 "all"
        set dstaddr6 "all"
        set action accept
        set schedule "always"
        set service "HTTP"
    next
end
"""
PLAIN = """config firewall policy
    edit 9
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_the_consolidated_table_is_the_policy_table_in_consolidated_mode():
    text = HEAD + MODE + CONSOLIDATED
    c = parse(text, "cons.conf")
    assert not [d for d in c.diagnostics if d.impact is Impact.GLOBAL], c.diagnostics
    smb = explain(c, "10.30.0.5", "10.20.0.10", "tcp", 1024, 445)
    assert smb["decision"] == "deny" and smb["rule"].strip() == "edit 1"
    web = explain(c, "10.30.0.5", "10.20.0.10", "tcp", 1024, 80)
    assert web["decision"] == "permit" and web["rule"].strip() == "edit 2"
    # IPv6: the SMB deny (srcaddr6/dstaddr6 all) first, then HTTP only; the rest meets the implicit deny
    assert explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 1024, 445)["rule"].strip() == "edit 1"
    v6web = explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 1024, 80)
    assert v6web["decision"] == "permit" and v6web["rule"].strip() == "edit 3"
    assert explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 1024, 22)["decision"] == "deny"


def test_firewall_policies_beside_consolidated_mode_are_unknown():
    text = HEAD + MODE + CONSOLIDATED + PLAIN
    c = parse(text, "cons.conf")
    at = text.splitlines().index("config firewall policy") + 1
    assert [d.source.line for d in c.diagnostics if d.impact is Impact.GLOBAL] == [at]


def test_consolidated_policies_without_consolidated_mode_are_unknown():
    text = HEAD + CONSOLIDATED + PLAIN
    c = parse(text, "cons.conf")
    at = text.splitlines().index("config firewall consolidated policy") + 1
    got = [d for d in c.diagnostics if d.impact is Impact.GLOBAL]
    assert [d.source.line for d in got] == [at] and "consolidated-firewall-mode" in got[0].message


def test_a_fix_in_consolidated_mode_goes_into_the_consolidated_table():
    from test_fixes import check_offered, fixes_of

    text = HEAD + MODE + CONSOLIDATED
    cfg, site, result = fixes_of(text, "fortios")
    assert result.fixes.fixes, "the SMB deny blocks workshop -> primary: a fix is offered"
    for fix in result.fixes.fixes:
        assert "config firewall consolidated policy" in fix.change and "config firewall policy\n" not in fix.change
        assert "set srcaddr4 " in fix.change and "set dstaddr4 " in fix.change
    check_offered(cfg, text, site, result)


NEGATED = """config firewall address6
    edit "WS6-LOW"
        set ip6 2001:db8:30::/120
    next
end
config firewall consolidated policy
    edit 1
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr4 "all"
        set dstaddr4 "all"
        set srcaddr6 "WS6-LOW"
        set dstaddr6 "all"
        set srcaddr-negate enable
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_srcaddr_negate_negates_the_ipv6_sources_of_a_consolidated_policy():
    # the consolidated table has one 'srcaddr-negate' ("When enabled srcaddr specifies what the source address must
    # NOT be", 6.2 CLI Reference) for its srcaddr4 and srcaddr6 alike: WS6-LOW's own hosts are not accepted
    c = parse(HEAD + MODE + NEGATED, "cons.conf")
    assert explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 1024, 80)["decision"] == "deny"
    assert explain(c, "2001:db8:30::1:5", "2001:db8:20::10", "tcp", 1024, 80)["decision"] == "permit"


def test_srcaddr_negate_beside_ipv6_sources_of_a_firewall_policy_is_unknown_for_ipv6():
    # 'config firewall policy' with srcaddr6 (6.4 on): whether 'srcaddr-negate' negates srcaddr6 when no
    # 'srcaddr6-negate' is written (7.x has one of its own) is not documented for every version
    text = HEAD.replace("6.2.5-FW-build1142-200608", "6.4.9-FW-build1966-220419") + \
        NEGATED.replace("consolidated policy", "policy").replace("srcaddr4", "srcaddr").replace("dstaddr4", "dstaddr")
    c = parse(text, "pol.conf")
    assert explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 1024, 80)["decision"] == "unknown"
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 1024, 80)["decision"] == "deny"


VIP = """config firewall vip
    edit "VIP-WEB"
        set extip 203.0.113.5
        set mappedip "10.20.0.10"
        set extintf "wan1"
        set portforward enable
        set extport 8443
        set mappedport 443
    next
end
config firewall consolidated policy
    edit 1
        set srcintf "wan1"
        set dstintf "servers"
        set srcaddr4 "all"
        set dstaddr4 "VIP-WEB"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
end
"""


def test_a_vip_a_consolidated_policy_names_in_dstaddr4_translates():
    # policy-based NAT applies a VIP that a policy names in its destination (FortiOS Administration Guide, "Static
    # virtual IPs"); in a consolidated policy the IPv4 destination is dstaddr4
    c = parse(HEAD + MODE + VIP, "vip.conf")
    out = explain(c, "198.51.100.7", "203.0.113.5", "tcp", 40000, 8443)
    assert out["decision"] == "permit" and out["rule"].strip() == "edit 1" and out.get("nat")

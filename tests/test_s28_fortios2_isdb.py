"""FortiOS Internet Service (ISDB) policies: what the policy still matches on.

FortiOS CLI Reference, "config firewall policy" (the parameter table; the same help text is FortiOS's schema as
fortinet.fortios' ``fortios_firewall_policy`` module prints it): "internet-service: Enable/disable use of Internet
Services for this policy. If enabled, destination address and service are not used."; "internet-service-src:
Enable/disable use of Internet Services in source for this policy. If enabled, source address is not used."
So an ISDB policy has no dstaddr/service (or no srcaddr) by design: that is not a missing setting; its
destinations and services (or its sources) are the ISDB entries', not in the configuration; what it still names
(the source with ``internet-service``, the destination and service with ``internet-service-src``) bounds what it
may match.
"""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse

HEAD = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.248
    next
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "wan1"
    next
end
config firewall address
    edit "WS-LOW"
        set subnet 10.30.0.0 255.255.255.128
    next
    edit "SRV"
        set subnet 10.20.0.0 255.255.255.0
    next
end
"""

POLICIES = """config firewall policy
    edit 1
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "WS-LOW"
        set internet-service enable
        set internet-service-name "Microsoft-Office365"
        set action deny
        set schedule "always"
    next
    edit 2
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
    edit 3
        set srcintf "wan1"
        set dstintf "servers"
        set internet-service-src enable
        set internet-service-src-name "Amazon-AWS"
        set dstaddr "SRV"
        set action deny
        set schedule "always"
        set service "HTTPS"
    next
    edit 4
        set srcintf "wan1"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "SRV"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""

TEXT = HEAD + POLICIES


def _lines(c):
    return {(d.source.line, d.message) for d in c.diagnostics}


def test_an_isdb_policy_is_reported_once_at_its_line_without_missing_setting_noise():
    c = parse(TEXT, "isdb.conf")
    msgs = [m for _l, m in _lines(c)]
    assert not [m for m in msgs if "has no service" in m or "has no dstaddr" in m or "has no srcaddr" in m], msgs
    lines = TEXT.splitlines()
    at = {lines.index("        set internet-service enable") + 1,
          lines.index("        set internet-service-src enable") + 1}
    isdb = sorted(line for line, m in _lines(c) if "Internet Service" in m)
    assert isdb == sorted(at)


def test_internet_service_keeps_the_policy_to_its_source_addresses():
    c = parse(TEXT, "isdb.conf")
    # 10.30.0.200 is not in WS-LOW (10.30.0.0/25): policy 1 cannot match it, policy 2 accepts it
    out = explain(c, "10.30.0.200", "10.20.0.10", "tcp", 1024, 445)
    assert out["decision"] == "permit" and out["rule"].strip() == "edit 2"
    # 10.30.0.10 is: whether the ISDB entry holds 10.20.0.10 is not in the configuration
    assert explain(c, "10.30.0.10", "10.20.0.10", "tcp", 1024, 445)["decision"] == "unknown"


def test_internet_service_src_keeps_the_policy_to_its_destination_and_service():
    c = parse(TEXT, "isdb.conf")
    # policy 3 names SRV and HTTPS: SSH to the servers is policy 4's, whatever the source
    out = explain(c, "198.51.100.7", "10.20.0.10", "tcp", 40000, 22)
    assert out["decision"] == "permit" and out["rule"].strip() == "edit 4"
    assert explain(c, "198.51.100.7", "10.20.0.10", "tcp", 40000, 443)["decision"] == "unknown"

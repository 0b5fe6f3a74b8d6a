"""Hunt 10: an ASA class-map's access list on real addresses; FortiOS's implicit deny line."""

from auditor.api import audit
from auditor.policy import load_site
from parsers.cisco_asa import parse as parse_asa

# --- ASA: 'match access-list' of a class map takes real (untranslated) addresses from 8.3 on ---------
#
# Cisco, "Cisco ASA 5500 Migration to Version 8.3 and Later", "Real IP Addresses in Access List
# Migration", "Features That Use Real IP Addresses" (https://www.cisco.com/c/en/us/td/docs/security/
# asa/asa83/upgrading/migrating.html): the list names the "access-group command" and the "Modular
# Policy Framework match access-list command" (as well as the Botnet Traffic Filter, AAA and WCCP);
# "Features That Continue to Use Mapped IP Addresses" are the other access lists.

ASA = ("ASA Version 9.12(4)\n"
       "interface G0\n nameif inside\n security-level 100\n ip address 10.30.0.1 255.255.255.0\n"
       "interface G1\n nameif outside\n security-level 0\n ip address 198.51.100.1 255.255.255.0\n"
       "object network IN\n subnet 10.30.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
       "access-list SLOW extended permit tcp 10.30.0.0 255.255.255.0 any\n"
       "class-map SLOW\n match access-list SLOW\n"
       "policy-map global_policy\n class SLOW\n  set connection timeout idle 0:30:00\n"  # line 18
       "service-policy global_policy global\n"
       "route outside 0.0.0.0 0.0.0.0 198.51.100.254\n")
ASA_SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=203.0.113.10"])


def _prn120(text):
    return [(f.severity, f.source.line, f.key) for f in audit([parse_asa(text, "t.cfg")], ASA_SITE).findings
            if f.rule_id == "PRN120"]


def test_asa_class_map_access_list_matches_real_addresses_behind_pat():
    # the workshop's connections leave PAT'ed to 198.51.100.1, but the class's access list names
    # their real addresses: the 0:30:00 class applies (not the 1:00:00 default)
    assert _prn120(ASA) == [("error", 18, "policy-map global_policy class SLOW")]
    cfg = parse_asa(ASA, "t.cfg")
    assert cfg.timeouts[0].sees == "routed"


ASA82 = ("ASA Version 8.2(5)\n"
         "interface G0\n nameif inside\n security-level 100\n ip address 10.30.0.1 255.255.255.0\n"
         "interface G1\n nameif outside\n security-level 0\n ip address 198.51.100.1 255.255.255.0\n"
         "global (outside) 1 interface\n"
         "nat (inside) 1 10.30.0.0 255.255.255.0\n"
         "access-list OUT extended permit ip any any\n"
         "access-group OUT out interface outside\n"
         "access-list SLOW extended permit tcp 10.30.0.0 255.255.255.0 any\n"
         "class-map SLOW\n match access-list SLOW\n"
         "policy-map global_policy\n class SLOW\n  set connection timeout idle 0:30:00\n"  # line 19
         "service-policy global_policy global\n"
         "route outside 0.0.0.0 0.0.0.0 198.51.100.254\n"
         "timeout conn 8:00:00\n")


def test_asa_pre83_class_map_access_list_matches_the_addresses_seen_on_the_interface():
    # before 8.3 the list names the addresses as the access-groups do (the inbound form, as sent on the
    # inside interface), not the PAT'ed source an outbound access-group sees
    assert _prn120(ASA82) == [("error", 19, "policy-map global_policy class SLOW")]
    assert parse_asa(ASA82, "t.cfg").timeouts[0].sees == "sent"


def test_asa_class_map_access_list_matches_real_addresses_with_a_long_timeout_conn():
    # 'timeout conn' 8:00:00 does not hide the 0:30:00 class
    text = ASA + "timeout conn 8:00:00\n"
    assert _prn120(text) == [("error", 18, "policy-map global_policy class SLOW")]


# --- FortiOS: the implicit deny (policy 0) is the end of the VDOM's 'config firewall policy' table -----
#
# Fortinet KB 418578, "Troubleshooting Tip: Traffic blocked if Email filter profile is ..."
# (https://community.fortinet.com/t5/FortiGate/Troubleshooting-Tip-Traffic-blocked-if-Email-filter-profile-is/
# ta-p/418578): traffic no policy of 'config firewall policy' takes is dropped by the "Implicit Deny Policy
# ID 0" (the parser's model, parsers/fortios/policy.py); the finding names the table's 'config firewall
# policy' line an admin knows, not the backup's '#config-version' header.

FGT = ("#config-version=FGT60F-7.0.12-FW-build0523-230530:opmode=0:vdom=0:user=admin\n"
       "config system interface\n"
       '    edit "port1"\n        set ip 10.1.0.1 255.255.255.0\n    next\n'
       '    edit "port2"\n        set ip 10.2.0.1 255.255.255.0\n    next\n'
       "end\n"
       "config firewall policy\n"  # line 10
       '    edit 1\n        set srcintf "port1"\n        set dstintf "port2"\n'
       '        set srcaddr "all"\n        set dstaddr "all"\n        set service "HTTPS"\n'
       '        set schedule "always"\n        set action accept\n    next\n'
       "end\n")


def test_fortios_implicit_deny_names_the_firewall_policy_line():
    from parsers.fortios import parse as parse_fgt
    site = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10"])
    cfg = parse_fgt(FGT, "t.conf")
    stages = [p.stages[0] for p in cfg.paths if p.stages and p.stages[0].default_reason.startswith("implicit deny")]
    assert stages and {s.default_source.line for s in stages} == {10}
    denied = [f for f in audit([cfg], site).findings if "implicit deny" in f.message]
    assert denied and {f.source.line for f in denied} == {10}
    # without a policy table the implicit deny keeps the input's first line
    bare = parse_fgt(FGT.split("config firewall policy")[0], "t.conf")
    assert {p.stages[0].default_source.line for p in bare.paths if p.stages} == {1}

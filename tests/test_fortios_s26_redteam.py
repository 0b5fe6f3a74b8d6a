"""FortiOS red team (session 26): device behaviours from Fortinet's documents, checked end to end.

Documents, each cited at its test:
- FortiOS CLI Reference 6.4.4, "config firewall policy" (https://docs.fortinet.com/document/fortigate/6.4.4/
  cli-reference/311620): the policy settings, among them 'reputation-minimum {integer}', 'firewall-session-dirty
  [check-all|check-new]', 'vlan-filter', 'internet-service6-*', 'policy-expiry', 'policy-expiry-date'.
- FortiOS 6.0 Handbook, "Schedule expiration" (https://docs2.fortinet.com/document/fortigate/6.0.0/handbook/916241):
  firewall-session-dirty "check-all CPU flushes all current sessions and re-evaluates them", "check-new ... applies
  policy changes to new sessions only".
- Fortinet KB 222790, "Technical Tip: Configuring a schedule firewall policy expiration": "set policy-expiry enable /
  set policy-expiry-date ..."; once expired "a policy is inactive ... the traffic will match the implicit deny".
- Fortinet KB 230884, "Technical Tip: Implement Basic policy for Policy-Based NGFW Mode": in NGFW policy-based mode
  "If traffic does not have an appropriate match for the first two sections (SSL Inspection & Authentication Policy
  and Security Policy) then it will be dropped by implicit-deny" ('config firewall policy', 'config firewall
  security-policy').
- FortiOS CLI Reference, "config firewall vip" and "config firewall service custom": 'id' (a custom ID),
  'persistence' (load balancing), 'src-filter', 'service', 'fqdn'; an empty value ('') sets nothing.
"""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse
from parsers.fortios.change import apply_change

HEAD = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
end
config firewall address
    edit "WORKSHOP-NET"
        set subnet 10.30.0.0 255.255.255.0
    next
    edit "PRIMARY"
        set subnet 10.20.0.10 255.255.255.255
    next
end
"""


def policy(*extra: str, service: str = "ALL", action: str = "accept") -> str:
    lines = "".join("        %s\n" % x for x in extra)
    return ("config firewall policy\n    edit 1\n        set srcintf \"workshop\"\n        set dstintf \"servers\"\n"
            "        set srcaddr \"WORKSHOP-NET\"\n        set dstaddr \"PRIMARY\"\n        set action %s\n"
            "        set schedule \"always\"\n        set service \"%s\"\n%s    next\nend\n" % (action, service, lines))


def decide(text: str, port: int = 445, proto: str = "tcp") -> str:
    return explain(parse(text, "t.conf"), "10.30.0.5", "10.20.0.10", proto, 40000, port)["decision"]


# 'show full-configuration firewall policy' writes every setting, defaults included (FortiOS 7.2); the ones below
# are each a feature off, an empty list or the documented default (CLI Reference, "config firewall policy")
FULL_DEFAULTS = (
    "set ztna-status disable", "set ztna-device-ownership disable", "set ztna-ems-tag ", "set ztna-geo-tag ",
    "set internet-service disable", "set internet-service-src disable", "set reputation-minimum 0",
    "set rtp-nat disable", "set send-deny-packet disable", "set firewall-session-dirty check-all",
    "set schedule-timeout disable", "set policy-expiry disable", "set tos-mask 0x00", "set anti-replay enable",
    "set tcp-session-without-syn disable", "set geoip-anycast disable", "set geoip-match physical-location",
    "set utm-status disable", "set inspection-mode flow", "set wanopt disable", "set webcache disable",
    "set nat disable", "set session-ttl 0", "set diffserv-copy disable", "set diffserv-forward disable",
    "set custom-log-fields ", "set srcaddr-negate disable", "set dstaddr-negate disable",
    "set service-negate disable", "set vlan-filter ''", "set sgt-check disable", "set users ", "set groups ",
    "set internet-service6-negate disable", "set reputation-minimum6 0", "set reputation-direction6 destination",
)


def test_show_full_configuration_defaults_leave_a_policy_decided():
    # Was: unknown ("setting 'firewall-session-dirty' not understood", "'wanopt'", "'diffserv-copy'",
    # "'custom-log-fields'", "'ztna-device-ownership'", "VLAN filter", "reputation" for 'reputation-minimum 0')
    text = HEAD + policy(*FULL_DEFAULTS)
    assert decide(text) == "permit"
    assert not [d for d in parse(text, "t.conf").diagnostics if "not understood" in d.message or "only" in d.message]


def test_a_condition_or_feature_actually_set_still_makes_the_match_unknown():
    for extra in ("set reputation-minimum 60", "set vlan-filter \"[10]\"", "set ztna-ems-tag \"EMS1_ZTNA_x\"",
                  "set ztna-device-ownership enable", "set wanopt enable"):
        assert decide(HEAD + policy(extra)) == "unknown", extra


def test_policy_expiry_makes_the_match_unknown_not_the_action():
    # KB 222790: an expired policy is inactive, its traffic falls to the policies below it.  Was: 'policy-expiry'
    # ignored ("not modelled"), the date line "not understood" (the policy's action unknown too)
    exp = ("set policy-expiry enable", "set policy-expiry-date \"2022-10-03 15:45:12\"")
    assert decide(HEAD + policy(*exp)) == "unknown"
    # a deny that may have expired, above the implicit deny: denied either way
    assert decide(HEAD + policy(*exp, action="deny")) == "deny"


def test_unset_in_a_policy_is_the_default_not_a_setting_not_understood():
    # A change request written as API-built CLI ('unset' of every list it does not use, then 'set' of the
    # defaults), applied with 'edit 0'.  Was: every 'unset X' of a setting not read ("setting 'ztna-ems-tag' not
    # understood", 'internet-service6-custom', ...) made the new policy unknown
    change = ("config firewall policy\nedit 0\nset srcintf \"workshop\"\nset dstintf \"servers\"\nunset srcaddr6\n"
              "unset dstaddr6\nset srcaddr \"WORKSHOP-NET\"\nset dstaddr \"PRIMARY\"\nunset users\n"
              "unset src-vendor-mac\n"
              "unset vlan-filter\nunset ztna-ems-tag\nunset ztna-ems-tag-secondary\nunset ztna-geo-tag\n"
              "set ztna-tags-match-logic or\nset action accept\nset schedule always\nset service \"SMB\"\n"
              "unset internet-service6-custom\nunset internet-service6-src-custom\nunset identity-based-route\n"
              "unset poolname6\nset nat disable\nnext\nend\n")
    text = apply_change(HEAD, change, "change.txt")
    assert decide(text) == "permit"
    assert not [d for d in parse(text, "t.conf").diagnostics if "not understood" in d.message]
    # an 'unset' of a setting set above it: the setting is gone (here a condition: the match is decided again)
    assert decide(HEAD + policy("set wanopt enable", "unset wanopt")) == "permit"


def test_predefined_services_a_policy_names_without_their_definition():
    # 'show firewall policy' output names predefined services without their 'config firewall service custom'
    # entries; the factory entries (FortiOS 7.0/7.2 backups): KERBEROS 'set tcp-portrange 88 464' / 'set
    # udp-portrange 88 464', WINS 'tcp-portrange 1512' / 'udp-portrange 1512', AFS3 7000-7009 TCP and UDP.
    # Was: KERBEROS only port 88 (kpasswd, 464, denied), WINS and AFS3 undefined (unknown)
    text = HEAD + policy(service="KERBEROS")
    assert [decide(text, 464, p) for p in ("tcp", "udp")] == ["permit", "permit"]
    assert decide(text, 88, "udp") == "permit" and decide(text, 465) == "deny"
    assert decide(HEAD + policy(service="WINS"), 1512, "udp") == "permit"
    assert decide(HEAD + policy(service="AFS3"), 7009) == "permit"
    assert decide(HEAD + policy(service="AFS3"), 7010) == "deny"


SERVICE_FULL = """config firewall service custom
    edit "SMB2"
        set proxy disable
        set category ''
        set protocol TCP/UDP/SCTP
        set helper auto
        set iprange 0.0.0.0
        set fqdn ''
        set tcp-portrange 445
        set udp-portrange
        set session-ttl 0
        set check-reset-range default
        set comment ''
    next
end
"""


def test_an_empty_value_sets_nothing():
    # 'set fqdn ""' in a service (as full configurations write an unset string) is no FQDN.  Was: "service SMB2 is
    # restricted to an FQDN": unknown
    assert decide(HEAD + SERVICE_FULL + policy(service="SMB2")) == "permit"
    assert decide(HEAD + SERVICE_FULL + policy(service="SMB2"), 139) == "deny"


WAN = """config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.248
    next
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "wan1"
    next
end
config firewall vip
    edit "VIP-TRACK"
        set id 0
        set comment ''
        set type static-nat
        set src-filter ""
        set service ""
        set extip 203.0.113.5
        set mappedip "10.20.0.10"
        set extintf "wan1"
        set arp-reply enable
        set persistence none
        set portforward enable
        set protocol tcp
        set extport 8443
        set mappedport 443
        set srcintf-filter ""
        set portmapping-type 1-to-1
    next
end
config firewall policy
    edit 30
        set srcintf "wan1"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "VIP-TRACK"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
end
"""


def test_a_vip_as_a_full_configuration_writes_it_translates():
    # Was: "VIP VIP-TRACK not understood ('' is not an address or network)" for 'src-filter ""', and 'id' and
    # 'persistence' "not understood" (every verdict unknown)
    c = parse(HEAD + WAN, "t.conf")
    got = explain(c, "198.51.100.7", "203.0.113.5", "tcp", 40000, 8443)
    assert got["decision"] == "permit"
    assert explain(c, "198.51.100.7", "203.0.113.5", "tcp", 40000, 8444)["decision"] == "deny"
    assert not [d for d in c.diagnostics if "not understood" in d.message]


NGFW = """config system settings
    set inspection-mode flow
    set ngfw-mode policy-based
end
"""
SECURITY = """config firewall security-policy
    edit 1
        set name "ws"
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


def test_ngfw_policy_based_mode_without_a_security_policy_passes_nothing():
    # KB 230884: a session must match a security policy too, else the implicit deny drops it.  Was: permit (the
    # firewall policy alone decided)
    assert decide(HEAD + NGFW + policy()) == "deny"
    disabled = SECURITY.replace('        set name "ws"\n', '        set name "ws"\n        set status disable\n')
    assert decide(HEAD + NGFW + disabled + policy()) == "deny"
    # an enabled security policy: not modelled, every verdict unknown (as before); profile-based mode: decided
    assert decide(HEAD + NGFW + SECURITY + policy()) == "unknown"
    assert decide(HEAD + NGFW.replace("policy-based", "profile-based") + policy()) == "permit"

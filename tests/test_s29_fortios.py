"""FortiOS red team (session 29): match-vip deny policies and mapped ports, integers in other than ASCII digits,
session-ttl ranges, policies redirected to the transparent proxy.

Documents, each cited at its test:
- Fortinet KB 192456, "Technical Tip: DENY policy for Virtual IP firewall policy" (https://community.fortinet.com/
  t5/FortiGate/Technical-Tip-DENY-Policy-for-Virtual-IP-Firewall-Policy/ta-p/192456): "When a packet is destined
  for a VIP, Destination NAT (DNAT) is applied before the firewall policy check. This means the packet is already
  translated to the VIP's mapped IP before FortiGate evaluates the policies"; an all/all deny blocks VIP traffic
  with 'set match-vip enable'.
- Fortinet KB 355966, "Technical Tip: Traffic intended for a VIP is being dropped by implicit deny": with port
  forwarding, a policy that names the external port mismatches the traffic after DNAT (the mapped port is compared).
- Fortinet KB 195971, "Technical Tip: Change session TTL on firewall policy": "session-ttl -> Enter an integer value
  from <300> to <2764800> or (special = <0>)"; KB 191228, "Technical Tip: Session timeout settings": the default
  "value range (300 - 2764800)", a 'config port' timeout "value range (1 - 2764800)".
- FortiOS CLI Reference, "config firewall policy": 'edit <policyid>' (an integer); "http-policy-redirect: Redirect
  HTTP(S) traffic to matching transparent web proxy policy"; Fortinet KB 390843, "Technical Tip: Transparent proxy
  behavior on URL category-based destination objects": the proxy policies then decide the redirected sessions.
"""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse

HEAD = """#config-version=FG100F-%s-FW-build1639-240313:opmode=0:vdom=0:user=admin
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
    edit "WS"
        set subnet 10.30.0.0 255.255.255.0
    next
    edit "SRV"
        set subnet 10.20.0.10 255.255.255.255
    next
end
config firewall vip
    edit "VIP-SMB"
        set extip 203.0.113.5
        set mappedip "10.20.0.10"
        set extintf "wan1"
        set portforward enable
        set extport 8445
        set mappedport 445
    next
end
config firewall service custom
    edit "SMB"
        set tcp-portrange 445
    next
    edit "ALT-SMB"
        set tcp-portrange 8445
    next
    edit "ALL"
        set protocol IP
    next
end
"""


def policy(pid, srcintf: str, src: str, dst: str, service: str, action: str, *extra: str) -> str:
    lines = "".join("        %s\n" % x for x in extra)
    return ("    edit %s\n        set srcintf \"%s\"\n        set dstintf \"servers\"\n        set srcaddr \"%s\"\n"
            "        set dstaddr \"%s\"\n        set action %s\n        set schedule \"always\"\n"
            "        set service \"%s\"\n%s    next\n" % (pid, srcintf, src, dst, action, service, lines))


def config(*policies: str, version: str = "7.2.8", extra: str = "") -> str:
    return HEAD % version + extra + "config firewall policy\n" + "".join(policies) + "end\n"


def decide(text: str, src: str, dst: str, port: int) -> str:
    return explain(parse(text, "t.conf"), src, dst, "tcp", 40000, port)["decision"]


def from_internet(text: str, port: int = 8445) -> str:
    return decide(text, "198.51.100.7", "203.0.113.5", port)


# match-vip: the deny compares its service with the mapped port

def test_an_all_deny_with_match_vip_blocks_vip_traffic_by_its_mapped_port():
    # policy 1 denies SMB (445) to all, match-vip enable; VIP-SMB forwards 203.0.113.5:8445 to 10.20.0.10:445: after
    # DNAT the packet is SMB to the server, so policy 1 denies it before policy 2 accepts it (KB 192456). Before:
    # permitted (the deny's SMB was compared with the external port 8445)
    text = config(policy(1, "wan1", "all", "all", "SMB", "deny", "set match-vip enable"),
                  policy(2, "wan1", "all", "VIP-SMB", "SMB", "accept"))
    assert from_internet(text) == "deny"


def test_match_vip_is_the_default_from_7_2_4_and_not_before():
    # the same deny without 'set match-vip': enabled by default from 7.2.4 (denied), not on 7.0 (policy 2 accepts)
    pols = (policy(1, "wan1", "all", "all", "SMB", "deny"), policy(2, "wan1", "all", "VIP-SMB", "SMB", "accept"))
    assert from_internet(config(*pols)) == "deny"
    assert from_internet(config(*pols, version="7.0.12")) == "permit"


def test_an_all_deny_with_match_vip_of_the_external_port_does_not_match_the_translated_packet():
    # the deny names the external port 8445; after DNAT the packet is 445 (KB 355966: the external port mismatches),
    # so policy 2 accepts it. Before: denied
    text = config(policy(1, "wan1", "all", "all", "ALT-SMB", "deny", "set match-vip enable"),
                  policy(2, "wan1", "all", "VIP-SMB", "SMB", "accept"))
    assert from_internet(text) == "permit"


def test_an_all_deny_with_match_vip_still_denies_plain_traffic_by_its_own_port():
    # traffic no VIP translates (to the server's own address, routed) is matched as sent: SMB from the workshop
    text = config(policy(1, "workshop", "all", "all", "SMB", "deny", "set match-vip enable"),
                  policy(2, "workshop", "all", "SRV", "ALL", "accept"))
    assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "deny"
    assert decide(text, "10.30.0.5", "10.20.0.10", 8445) == "permit"


# integers in other than ASCII digits: the CLI refuses the line (Python's int() would read them)

def test_a_policy_whose_id_is_not_an_ascii_number_is_not_a_certain_permit():
    # 'edit <policyid>' takes an integer: 'edit ١' (ARABIC-INDIC DIGIT ONE) or 'edit 1a' is refused, so the device has
    # no such policy; before: a certain permit
    for pid in ("\u0661", "1a"):
        text = config(policy(pid, "workshop", "WS", "SRV", "SMB", "accept"))
        assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "unknown"


def test_a_route_whose_id_is_not_an_ascii_number_routes_nothing():
    text = config(policy(1, "workshop", "WS", "all", "ALL", "accept")).replace(
        "    edit 1\n        set gateway", "    edit x\n        set gateway").replace(
        'set dstintf "servers"', 'set dstintf "wan1"')
    assert decide(text, "10.30.0.5", "8.8.8.8", 443) == "unknown"


def test_icmp_type_protocol_number_and_prefix_length_in_other_digits_are_not_understood():
    # 'set icmptype ٨', 'set protocol-number ٦', 'set subnet 10.30.0.0/٢٤': refused by the CLI; before, read as 8, 6
    # and /24 and the policies were certain permits
    svc = ('    edit "P"\n        set protocol IP\n        set protocol-number \u0666\n    next\n'
           '    edit "PING"\n        set protocol ICMP\n        set icmptype \u0668\n    next\n')
    text = config(policy(1, "workshop", "WS", "SRV", "P", "accept")).replace('    edit "ALL"\n',
                                                                            svc + '    edit "ALL"\n')
    assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "unknown"
    text = config(policy(1, "workshop", "WS", "SRV", "PING", "accept")).replace('    edit "ALL"\n',
                                                                               svc + '    edit "ALL"\n')
    assert explain(parse(text, "t.conf"), "10.30.0.5", "10.20.0.10", "icmp", 0, 8)["decision"] == "unknown"
    text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept")).replace(
        "set subnet 10.30.0.0 255.255.255.0", "set subnet 10.30.0.0/\u0662\u0664")
    assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "unknown"


def test_a_route_distance_in_other_digits_is_not_understood():
    text = config(policy(1, "workshop", "WS", "all", "ALL", "accept")).replace(
        'set device "wan1"\n', 'set device "wan1"\n        set distance \u0665\n').replace(
        'set dstintf "servers"', 'set dstintf "wan1"')
    assert decide(text, "10.30.0.5", "8.8.8.8", 443) == "unknown"


# session-ttl: the values the CLI refuses are not timeouts

def _timeouts(text: str) -> list:
    return [(t.label, t.idle_seconds) for t in parse(text, "t.conf").timeouts]


def test_session_ttls_the_cli_refuses_are_not_taken():
    # a policy's 'session-ttl ٣٦٠٠' (Arabic-Indic digits), 50000000 (over 2764800) and 60 (under 300) are refused;
    # before, each was the policy's idle timeout (50000000 s made a shift-long idle pass)
    for bad in ("\u0663\u0666\u0660\u0660", "50000000", "60"):
        text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", "set session-ttl %s" % bad))
        cfg = parse(text, "t.conf")
        assert not [t for t in cfg.timeouts if t.label.startswith("policy")], bad
        assert any("session-ttl" in u.message for u in cfg.unrecognized), bad
    # the range's ends are taken
    for good, secs in (("300", 300), ("2764800", 2764800)):
        text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", "set session-ttl %s" % good))
        assert ("policy 1 session-ttl", secs) in _timeouts(text)


def test_a_system_default_or_port_timeout_out_of_range_is_not_taken():
    text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept"),
                  extra="config system session-ttl\n    set default 9999999\n    config port\n        edit 1\n"
                        "            set protocol 6\n            set start-port 445\n            set end-port 445\n"
                        "            set timeout 3000000\n        next\n    end\nend\n")
    got = _timeouts(text)
    assert not [x for x in got if x[0].startswith("system session-ttl port")]
    assert [x for x in got if "default" in x[0]] == [("FortiOS default session TTL (3600 s)", 3600)]


# http-policy-redirect / ssh-policy-redirect: the proxy policies decide the redirected sessions

PROFILES = """config firewall profile-protocol-options
    edit "web-8080"
        config http
            set ports 8080
        end
    next
end
config firewall ssl-ssh-profile
    edit "tls-8443"
        config https
            set ports 8443
        end
        config ssh
            set status disable
        end
    next
end
"""


def test_an_accept_with_http_policy_redirect_is_unknown_on_its_http_and_https_ports():
    # the policy's HTTP (8080, its protocol options) and HTTPS (8443, its SSL/SSH profile) sessions go to the
    # transparent proxy's policies, which may deny them: unknown (before: a certain permit); its other ports stay
    # decided
    text = config(policy(1, "workshop", "WS", "SRV", "ALL", "accept", "set http-policy-redirect enable",
                         'set profile-protocol-options "web-8080"', 'set ssl-ssh-profile "tls-8443"'),
                  extra=PROFILES)
    for port in (8080, 8443):
        assert decide(text, "10.30.0.5", "10.20.0.10", port) == "unknown"
    for port in (80, 443, 445):
        assert decide(text, "10.30.0.5", "10.20.0.10", port) == "permit"


def test_ssh_policy_redirect_and_a_disabled_redirect():
    # ssh-policy-redirect: its SSH ports (every TCP port when its SSL/SSH profile does not say: 'ssh' not written)
    text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", "set ssh-policy-redirect enable"))
    assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "unknown"
    text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", "set http-policy-redirect disable"))
    assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "permit"


def test_a_secondary_address_or_session_ttl_port_entry_whose_id_is_not_a_number_is_not_taken():
    # 'config secondaryip' / 'edit ١': refused, so workshop has no 10.31.0.0/24 (before: a connected network the
    # device does not have, so a source there entered by workshop); reported, every line accounted for
    text = config(policy(1, "workshop", "all", "SRV", "SMB", "accept")).replace(
        "set ip 10.30.0.1 255.255.255.0\n", "set ip 10.30.0.1 255.255.255.0\n        config secondaryip\n"
        "            edit \u0661\n                set ip 10.31.0.1 255.255.255.0\n            next\n        end\n")
    cfg = parse(text, "t.conf")
    assert cfg.aux["lines"].unaccounted() == []
    assert any("secondary address ID" in d.message for d in cfg.unrecognized)
    assert decide(text, "10.31.0.5", "10.20.0.10", 445) != "permit"
    text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept"),
                  extra="config system session-ttl\n    config port\n        edit \u0661\n            set protocol 6\n"
                        "            set start-port 445\n            set end-port 445\n            set timeout 30000\n"
                        "        next\n    end\nend\n")
    assert not [t for t in parse(text, "t.conf").timeouts if t.label.startswith("system session-ttl port")]


def test_a_vip_that_does_not_answer_arp_on_its_external_network_is_not_a_certain_permit():
    # "arp-reply: Enable to respond to ARP requests for this virtual IP address. Enabled by default" (FortiOS CLI
    # Reference, "config firewall vip"): VIP-SMB's 203.0.113.5 is on wan1's 203.0.113.0/29, so with 'arp-reply
    # disable' the router there gets no answer for it and delivers nothing unless it routes the address to the
    # FortiGate, which the configuration does not say: unknown (before: a certain permit). The default answers.
    pols = (policy(1, "wan1", "all", "VIP-SMB", "SMB", "accept"),)
    assert from_internet(config(*pols)) == "permit"
    text = config(*pols).replace("set mappedport 445\n", "set mappedport 445\n        set arp-reply disable\n")
    assert from_internet(text) == "unknown"
    # an external address off wan1's networks is routed to the FortiGate by the router in front: ARP plays no part
    moved = text.replace("set extip 203.0.113.5", "set extip 198.18.0.5")
    assert decide(moved, "198.51.100.7", "198.18.0.5", 8445) == "permit"


# traffic held until a user acts: disclaimer, e-mail collection, captive portal

def test_an_accept_with_a_disclaimer_or_email_collection_is_not_a_certain_permit():
    # "users behind port2 will have to accept the disclaimer to get further internet access" (Fortinet KB 198703,
    # "Technical Tip: Configuring a disclaimer page on a FortiGate"): whether a Workshop user has is not in the
    # configuration (before: ignored, a certain permit); 'disable' is the default
    for extra, want in (("set disclaimer enable", "unknown"), ("set email-collect enable", "unknown"),
                        ("set disclaimer disable", "permit")):
        text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", extra))
        assert decide(text, "10.30.0.5", "10.20.0.10", 445) == want, extra


def test_a_captive_portal_on_the_source_interface_makes_its_accepts_unknown_unless_exempt():
    # "security-mode: Turn on captive portal authentication for this interface" (none, captive-portal, 802.1X; CLI
    # Reference, "config system interface"): the workshop users must log in first (before: a certain permit), unless
    # the policy is exempt ('captive-portal-exempt enable'); a deny still denies; traffic from wan1 is not held
    portal = "set ip 10.30.0.1 255.255.255.0\n        set security-mode captive-portal\n"
    pols = (policy(1, "workshop", "WS", "SRV", "SMB", "accept"), policy(2, "wan1", "all", "SRV", "SMB", "accept"))
    text = config(*pols).replace("set ip 10.30.0.1 255.255.255.0\n", portal)
    assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "unknown"
    assert decide(text, "198.51.100.7", "10.20.0.10", 445) == "permit"
    cfg = parse(text, "t.conf")
    assert [d.source.line for d in cfg.unrecognized] == [text.splitlines().index("        set security-mode "
                                                                                  "captive-portal") + 1]
    exempt = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", "set captive-portal-exempt enable")).replace(
        "set ip 10.30.0.1 255.255.255.0\n", portal)
    assert decide(exempt, "10.30.0.5", "10.20.0.10", 445) == "permit"
    deny = config(policy(1, "any", "WS", "SRV", "SMB", "deny")).replace("set ip 10.30.0.1 255.255.255.0\n", portal)
    assert decide(deny, "10.30.0.5", "10.20.0.10", 445) == "deny"


def test_an_accept_that_forwards_to_wccp_or_translates_the_family_is_not_a_certain_permit():
    # FortiOS CLI Reference, "config firewall policy": "wccp: Enable/disable forwarding traffic matching this policy
    # to a configured WCCP server"; 'nat46 enable' sends the IPv4 traffic on as IPv6: neither reaches the server as
    # sent (before: ignored, certain permits)
    for extra in ("set wccp enable", "set nat46 enable"):
        text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", extra))
        assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "unknown", extra
    text = config(policy(1, "workshop", "WS", "SRV", "SMB", "accept", "set wccp disable", "set nat46 disable"))
    assert decide(text, "10.30.0.5", "10.20.0.10", 445) == "permit"


def test_other_policy_tables_decide_nothing_when_every_entry_is_disabled():
    # a DoS policy, an interface policy or a proxy policy may drop transit traffic (every verdict unknown when one is
    # enabled, as before); "status: Enable/disable this policy" (CLI Reference, "config firewall DoS-policy",
    # "config firewall interface-policy"; "proxy-policy": "Enable/disable the active status of the policy"): a
    # disabled one decides nothing (before: any such block made every verdict unknown)
    pols = (policy(1, "workshop", "WS", "SRV", "SMB", "accept"),)
    for table in ("DoS-policy", "interface-policy", "proxy-policy"):
        block = ("config firewall %s\n    edit 1\n        set status disable\n        set srcaddr \"all\"\n    next\n"
                 "end\n" % table)
        assert decide(config(*pols, extra=block), "10.30.0.5", "10.20.0.10", 445) == "permit", table
        live = block.replace("        set status disable\n", "")
        assert decide(config(*pols, extra=live), "10.30.0.5", "10.20.0.10", 445) == "unknown", table

"""Session 25 red-team of the Cisco ASA and IOS parsers: behaviours from Cisco's documents, each test
failing before its fix."""

from auditor.api import decision_json, make_packet
from parsers.cisco_asa import parse as parse_asa

ASA_IFACES = ("interface G0\n nameif inside\n security-level 100\n ip address 10.20.0.1 255.255.255.0\n"
              "interface G1\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
              "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n")
ASA_OUT_ACL = "access-list OUT extended permit tcp any host %s eq 443\naccess-group OUT in interface outside\n"


def asa_decide(text, src, dst, dport=443, proto="tcp", sport=None):
    cfg = parse_asa(text, "t.cfg")
    return cfg, decision_json(cfg, make_packet(src, dst, proto, sport, dport))


def test_asa_sysopt_noproxyarp_makes_the_mapped_addresses_on_that_network_unknown():
    # Cisco ASA 5500 Series Configuration Guide using the CLI (8.4), "Routing Overview", "Disabling Proxy
    # ARPs" (http://www.manualsdir.com/manuals/743833/cisco-asa-5585-x-asa-5555-x-asa-5545-x-asa-5525-x-asa-5515-x-asa-5512-x-asa-5580-asa-5550-asa-5540-asa-5520-asa-5510-asa-5505-asa-5500-series.html?page=445):
    # "The ASA uses proxy ARP when you configure NAT and specify a mapped address that is on the same network
    # as the ASA interface. The only way traffic can reach the hosts is if the ASA uses proxy ARP";
    # 'sysopt noproxyarp IF' disables it on IF (command reference, sysopt noproxyarp; 'no sysopt noproxyarp
    # IF', proxy ARP on, is the default 'show running-config all' prints).  It was ignored: a pass.
    nat = "object network SRV\n host 10.20.0.10\n nat (inside,outside) static %s\n"
    for head in ("ASA Version 9.12(4)\n", "PIX Version 8.0(4)\n"):
        dst = "10.20.0.10" if head.startswith("ASA") else "203.0.113.10"
        rule = (nat % "203.0.113.10" if head.startswith("ASA")
                else "static (inside,outside) 203.0.113.10 10.20.0.10 netmask 255.255.255.255\n")
        text = head + ASA_IFACES + rule + ASA_OUT_ACL % dst
        cfg, d = asa_decide(text + "sysopt noproxyarp outside\n", "198.51.100.7", "203.0.113.10")
        assert d["decision"] == "unknown", head
        [diag] = cfg.unrecognized
        at, sysopt = (13, 16) if head.startswith("ASA") else (11, 14)
        assert diag.source.line == at and "'sysopt noproxyarp outside' (line %d)" % sysopt in diag.message
        # proxy ARP on (the default, written out or not), or off on another interface: decided
        for extra in ("", "no sysopt noproxyarp outside\n", "sysopt noproxyarp inside\n"):
            cfg, d = asa_decide(text + extra, "198.51.100.7", "203.0.113.10")
            assert d["decision"] == "permit" and not cfg.unrecognized, (head, extra)
    # a mapped address on a network of its own (routed to the ASA by the upstream router): decided
    text = "ASA Version 9.12(4)\n" + ASA_IFACES + nat % "198.51.100.10" + ASA_OUT_ACL % "10.20.0.10"
    cfg, d = asa_decide(text + "sysopt noproxyarp outside\n", "192.0.2.7", "198.51.100.10")
    assert d["decision"] == "permit" and not cfg.unrecognized


IOS_DIALER = """version 15.7
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
 ip nat inside
interface GigabitEthernet0/2
 ip address 10.30.0.1 255.255.255.0
 ip access-group WS in
 ip nat inside
interface Dialer1
 ip address %s
 ip access-group OUT-IN in
 ip nat outside
ip access-list extended WS
 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10
 deny ip any any
ip access-list extended OUT-IN
 permit tcp any host 10.20.0.10 eq 443
 deny ip any any
ip nat inside source list 1 interface Dialer1 overload
ip nat inside source static tcp 10.20.0.10 443 interface Dialer1 443
access-list 1 permit 10.0.0.0 0.255.255.255
ip route 0.0.0.0 0.0.0.0 Dialer1
"""


def test_ios_port_forward_to_a_negotiated_interface_address_leaves_other_traffic_decided():
    # 'ip nat inside source static tcp LOCAL LPORT interface IF GPORT' is how a router whose address the
    # ISP assigns ('ip address negotiated' on a PPPoE dialer, or 'ip address dhcp') forwards a port
    # ("the IP address we get is dynamicly assigned by the ISP, so we instead bind it to our Dialer interface":
    # https://allyournet.blogspot.com/2005/12/cisco-port-forwarding-on-cisco-routers.html; the command's form:
    # IP Addressing: NAT Configuration Guide, "Configuring NAT for IP Address Conservation",
    # http://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ipaddr_nat/configuration/15-s/nat-15-s-book/iadnat-addr-consv.html).
    # The address is not in the config, so which packets it translates is unknown: only those (TCP to port
    # 443 arriving outside, from 10.20.0.10:443 leaving), not every verdict of the device as before.
    from parsers.cisco_ios import parse as parse_ios
    for how in ("negotiated", "dhcp"):
        cfg = parse_ios(IOS_DIALER % how, "r.cfg")
        [diag] = cfg.unrecognized
        assert diag.source.line == 20 and diag.scope == "nat" and "Dialer1" in diag.message, how

        def d(src, dst, dport, cfg=cfg):
            return decision_json(cfg, make_packet(src, dst, "tcp", None, dport))["decision"]
        # inside to inside: NAT is not involved (was unknown)
        assert d("10.30.0.5", "10.20.0.10", 445) == "permit"
        assert d("10.30.0.5", "10.20.0.11", 445) == "deny"
        # what arrives on the dialer for port 443 may be for the router's learned address: unknown
        assert d("198.51.100.5", "198.51.100.99", 443) == "unknown"
        assert d("198.51.100.5", "198.51.100.99", 444) == "deny"
        # an address of a connected network is never the dialer's: the access list decides
        assert d("198.51.100.5", "10.20.0.10", 443) == "permit"
        assert d("198.51.100.5", "10.20.0.11", 443) == "deny"
    # an interface with no address at all (nor one learned): still an error of the whole config
    cfg = parse_ios((IOS_DIALER % "negotiated").replace(" ip address negotiated\n", " no ip address\n"), "r.cfg")
    assert [x.source.line for x in cfg.unrecognized] == [20] and cfg.unrecognized[0].impact.value == "global"


def test_asa_defaults_written_out_by_show_running_config_all():
    # Cisco ASA command reference: "same-security-traffic ... To disable the same-security traffic, use the
    # no form of this command"; "nat-control ... By default, NAT control is disabled (no nat-control
    # command)"; "firewall transparent ... To restore routed mode, use the no form of this command"; a
    # 'tcp-map' is the TCP normalizer's settings, applied only by 'set connection advanced-options', whose
    # normalization the model ignores (parsers/cisco_asa/mpf.py).  These lines were not understood: every
    # verdict unknown.
    head = ("ASA Version 9.12(4)\n" + ASA_IFACES +
            "interface G2\n nameif dmz\n security-level 0\n ip address 10.50.0.1 255.255.255.0\n"
            "access-list OUT extended permit tcp any any eq 443\naccess-group OUT in interface outside\n")
    tail = ("no same-security-traffic permit intra-interface\nno nat-control\nno firewall transparent\n"
            "tcp-map TMAP\n tcp-options range 6 7 clear\n syn-data allow\n")
    for permit, want in (("", "deny"), ("same-security-traffic permit inter-interface\n", "permit"),
                         ("same-security-traffic permit inter-interface\n"
                          "no same-security-traffic permit inter-interface\n", "deny"),
                         ("no same-security-traffic permit inter-interface\n"
                          "same-security-traffic permit inter-interface\n", "permit")):
        cfg, d = asa_decide(head + permit + tail, "198.51.100.7", "10.50.0.10")
        assert not cfg.unrecognized and d["decision"] == want, permit


SHOW_ACCESS_LIST_ASA = """fw# show access-list
access-list cached ACL log flows: total 0, denied 0 (deny-flow-max 4096)
            alert-interval 300
access-list WS_IN; 2 elements; name hash: 0x5d1ab2c3
access-list WS_IN line 1 extended permit tcp object-group WS object PRIMARY eq 445 (hitcnt=12) 0x1a2b3c4d
  access-list WS_IN line 1 extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 445 (hitcnt=12) 0x5e6f7a8b
access-list WS_IN line 2 extended deny ip any any (hitcnt=0) 0x9c0d1e2f
"""

SHOW_ACCESS_LISTS_IOS = """r1#show access-lists
Standard IP access list 10
    10 permit 10.30.0.0, wildcard bits 0.0.0.255 (52 matches)
Extended IP access list WS-IN
    10 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 445 (1234 matches)
    20 deny ip any any log (5 matches)
"""


def test_show_access_list_output_is_named_not_half_read():
    # `show access-list` (ASA: a heading "access-list NAME; N elements; name hash: 0x..." per list, entries with
    # "(hitcnt=N)", objects expanded below; the ASA command reference's 'show access-list' example) and IOS
    # `show access-lists` ("Extended IP access list NAME", entries with "(N matches)") hold no interface nor
    # binding.  The ASA one was read as a config with every line not understood, the IOS one was 'could not
    # recognise the configuration format': each is now named, with the command to give instead.
    import pytest

    from parsers import detect, load
    from parsers.kit import InputError
    with pytest.raises(InputError, match="show access-list.*give `show running-config`"):
        load(detect(SHOW_ACCESS_LIST_ASA)).parse(SHOW_ACCESS_LIST_ASA, "acl.txt")
    with pytest.raises(InputError, match="IOS `show access-lists` output.*give `show running-config`"):
        detect(SHOW_ACCESS_LISTS_IOS, "acl.txt")
    # pasted after a running-config, the entries are still reported one by one (the config is read)
    cfg = parse_asa("ASA Version 9.12(4)\n" + ASA_IFACES + SHOW_ACCESS_LIST_ASA, "t.cfg")
    assert cfg.unrecognized and cfg.interfaces


def test_asa_interface_eigrp_settings_are_routing_settings():
    # Cisco ASA Series General Operations CLI Configuration Guide, "EIGRP": interface commands 'authentication
    # mode eigrp AS md5', 'authentication key eigrp AS KEY key-id N', 'hello-interval eigrp AS SECS',
    # 'hold-time eigrp AS SECS', 'no split-horizon eigrp AS', 'summary-address eigrp AS ADDR MASK'; they tune
    # the routing protocol (its routes make packets unknown already: 'router eigrp'), not what passes.  Each
    # was a line not understood (every verdict unknown); the key stays redacted wherever the line is quoted.
    from parsers.cisco_asa import parse_accounted
    sub = (" authentication mode eigrp 100 md5\n authentication key eigrp 100 S3cretKey key-id 1\n"
           " hello-interval eigrp 100 10\n hold-time eigrp 100 30\n no split-horizon eigrp 100\n"
           " summary-address eigrp 100 10.20.0.0 255.255.0.0\n")
    text = "ASA Version 9.12(4)\n" + ASA_IFACES.replace(" ip address 10.20.0.1 255.255.255.0\n",
                                                         " ip address 10.20.0.1 255.255.255.0\n" + sub)
    cfg, lines = parse_accounted(text, "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []


def test_asa_standard_access_list_bound_to_an_interface_is_not_a_pass():
    # Cisco ASA 9.2 general configuration guide, "Standard Access Control Lists"
    # (https://cisco.com/c/en/us/td/docs/security/asa/asa92/configuration/general/asa-general-cli/acl-standard.html):
    # "Standard ACLs identify the destination IP addresses of OSPF routes ... Standard ACLs cannot be applied
    # to interfaces to control traffic."  The binding was taken as written: its destination-only permit let
    # the dmz (level 0) reach 'inside' (level 100).  The ASA refuses such an access-group: unknown.
    text = ("ASA Version 9.12(4)\n" + ASA_IFACES +
            "interface G2\n nameif dmz\n security-level 0\n ip address 10.50.0.1 255.255.255.0\n"
            "access-list STD standard permit 10.20.0.0 255.255.255.0\naccess-group STD in interface dmz\n")
    cfg, d = asa_decide(text, "10.50.0.5", "10.20.0.10")
    assert d["decision"] == "unknown"
    [diag] = cfg.unrecognized
    assert diag.source.line == 16 and "standard" in diag.message
    # the same list as an extended one is applied
    cfg, d = asa_decide(text.replace("STD standard permit", "STD extended permit ip any"), "10.50.0.5", "10.20.0.10")
    assert d["decision"] == "permit" and not cfg.unrecognized

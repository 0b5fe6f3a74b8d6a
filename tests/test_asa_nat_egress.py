"""ASA 8.3+ NAT: the egress interface of an untranslated packet.

Cisco ASA Series Firewall CLI Configuration Guide, "NAT Examples and Reference" / "Information About
NAT", "Determining the Egress Interface"
(https://www.cisco.com/c/en/us/td/docs/security/asa/asa98/configuration/firewall/asa-98-firewall-config/nat-reference.html;
also stored at https://manualsdump.com/en/manuals/cisco_systems-asa_5505-asa_5545-x-and_the_asa_services_module-asa_5555-x-asa_5585-x-asa_5580/121332/82):
"When the ASA receives traffic for a mapped address, the ASA untranslates the destination address
according to the NAT rule, and then it sends the packet on to the real address ... Routed mode ...
You configure the interface in the NAT rule—The ASA uses the NAT rule to determine the egress
interface. However, you have the option to always use a route lookup instead [route-lookup] ...
You do not configure the interface in the NAT rule—The ASA uses a route lookup".  The engine routes by
the routing table: where the rule's interface and the table disagree, the verdict cannot be a pass.
"""

from auditor.api import decision_json, make_packet
from parsers.cisco_asa import parse

HEAD = "ASA Version 9.12(4)\n"
IFACES = ("interface G0\n nameif inside\n security-level 100\n ip address 10.20.0.1 255.255.255.0\n"
          "interface G1\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
          "interface G2\n nameif dmz\n security-level 50\n ip address 10.30.0.1 255.255.255.0\n"
          "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n")
ACL = ("access-list OUT extended permit tcp any host 10.20.0.10 eq 443\naccess-group OUT in interface outside\n"
       "access-list DMZ_OUT extended deny ip any any\naccess-group DMZ_OUT out interface dmz\n")


def decide(text, src, dst, dport=443):
    cfg = parse(HEAD + IFACES + text, "t.cfg")
    return cfg, decision_json(cfg, make_packet(src, dst, "tcp", None, dport))


def test_static_nat_on_the_wrong_real_interface_is_not_a_pass():
    # the server is on 'inside' but the rule names 'dmz': the ASA sends the untranslated packet out
    # 'dmz', whose out access list drops it; routed by the table it went to 'inside' and passed
    cfg, d = decide("object network SRV\n host 10.20.0.10\n nat (dmz,outside) static 203.0.113.10\n" + ACL,
                    "198.51.100.7", "203.0.113.10")
    assert d["decision"] == "unknown"
    [diag] = cfg.unrecognized
    assert diag.source.line == 17 and "'dmz'" in diag.message


def test_static_nat_on_the_interface_the_table_agrees_with_is_decided():
    cfg, d = decide("object network SRV\n host 10.20.0.10\n nat (inside,outside) static 203.0.113.10\n" + ACL,
                    "198.51.100.7", "203.0.113.10")
    assert d["decision"] == "permit" and d["translated"]["dst"] == "10.20.0.10"
    assert not cfg.unrecognized
    # 'any' as the real interface: a route lookup
    cfg, d = decide("object network SRV\n host 10.20.0.10\n nat (any,outside) static 203.0.113.10\n" + ACL,
                    "198.51.100.7", "203.0.113.10")
    assert d["decision"] == "permit" and not cfg.unrecognized


def test_twice_nat_destination_untranslation_goes_out_the_mapped_interface():
    # 'destination static MAPPED REAL' for traffic from inside: the real destination is sent out the
    # mapped interface ('dmz' here), although the table routes 198.51.100.50 to 'outside'
    text = ("object network LAN\n subnet 10.20.0.0 255.255.255.0\n"
            "object network PUB\n host 10.30.0.50\n"
            "object network REAL\n host 198.51.100.50\n"
            "nat (inside,dmz) source static LAN LAN destination static PUB REAL\n")
    cfg, d = decide(text, "10.20.0.5", "10.30.0.50")
    assert d["decision"] == "unknown"
    assert [x.source.line for x in cfg.unrecognized] == [21]


def test_identity_nat_with_route_lookup_is_routed_by_the_table():
    # 'route-lookup' (identity NAT only): the routing table decides, as the engine does
    text = ("object network LAN\n subnet 10.20.0.0 255.255.255.0\n"
            "object network VPN\n subnet 192.168.50.0 255.255.255.0\n"
            "nat (inside,dmz) source static LAN LAN destination static VPN VPN%s\n"
            "access-list DMZ_IN extended permit ip any any\naccess-group DMZ_IN in interface dmz\n%s")
    route = "route dmz 192.168.50.0 255.255.255.0 10.30.0.254\n"
    # the table and the rule agree: decided both ways
    cfg, d = decide(text % ("", route), "10.20.0.5", "192.168.50.9")
    assert d["decision"] == "permit" and not cfg.unrecognized
    assert decide(text % ("", route), "192.168.50.9", "10.20.0.5")[1]["decision"] == "permit"
    # without the route the table sends 192.168.50.0/24 out 'outside', the rule out 'dmz'
    cfg, d = decide(text % ("", ""), "10.20.0.5", "192.168.50.9")
    assert d["decision"] == "unknown" and len(cfg.unrecognized) == 1
    cfg, d = decide(text % (" route-lookup", ""), "10.20.0.5", "192.168.50.9")
    assert d["decision"] == "permit" and not cfg.unrecognized


def test_nat46_is_not_a_translation_by_offset():
    # Cisco ASA Series Firewall CLI Configuration Guide, "NAT and IPv6"
    # (https://manualsbrain.com/es/manuals/1247344/?page=73): NAT46 maps an IPv4 address into an
    # IPv6 prefix (the IPv4 address embedded in its last 32 bits) and the client's IPv6 source must
    # be translated too.  Read as an offset it gave a packet from an IPv6 source to an IPv4
    # destination, and a 'deny' for a flow the access list permits.
    text = ("interface G3\n nameif v6out\n security-level 0\n ipv6 address 2001:db8:ff::2/64\n"
            "object network V4SRV\n host 10.20.0.10\n nat (inside,v6out) static 2001:db8:ff::10\n"
            "access-list V6 extended permit tcp any6 any eq 443\naccess-group V6 in interface v6out\n")
    cfg, d = decide(text, "2001:db8:ff::5", "2001:db8:ff::10")
    assert d["decision"] == "unknown"
    assert [x.source.line for x in cfg.unrecognized] == [21]
    assert "IPv6" in cfg.unrecognized[0].message


def test_no_proxy_arp_on_a_mapped_address_of_the_connected_network_is_not_a_pass():
    # Cisco ASA Series Firewall CLI Configuration Guide, "NAT Examples and Reference", "Mapped Addresses
    # and Routing" (https://manualsdump.com/en/manuals/cisco_systems-asa_5505-asa_5545-x-and_the_asa_services_module-asa_5555-x-asa_5585-x-asa_5580/121332/80;
    # https://manualshive.com/en/manual/cisco/asa-5508-x/asa-5508-x_configuration-manual_63708-217.html):
    # "If you use addresses on the same network as the mapped interface, the ASA uses proxy ARP to answer
    # any ARP requests for the mapped addresses"; "You can also disable proxy ARP for regular static NAT
    # if desired, in which case you need to be sure to have proper routes on the upstream router."
    # 203.0.113.10 is on 'outside''s network: with 'no-proxy-arp' the router's ARP for it goes
    # unanswered unless it has a route or ARP entry of its own, which the ASA's config does not show.
    rule = "object network SRV\n host 10.20.0.10\n nat (inside,outside) static %s%s\n" + ACL
    cfg, d = decide(rule % ("203.0.113.10", " no-proxy-arp"), "198.51.100.7", "203.0.113.10")
    assert d["decision"] == "unknown"
    assert [x.source.line for x in cfg.unrecognized] == [17] and "no-proxy-arp" in cfg.unrecognized[0].message
    # the same rule with proxy ARP, or mapped onto a network of its own (routed to the ASA): decided
    cfg, d = decide(rule % ("203.0.113.10", ""), "198.51.100.7", "203.0.113.10")
    assert d["decision"] == "permit" and not cfg.unrecognized
    cfg, d = decide(rule % ("198.51.100.10", " no-proxy-arp"), "198.51.100.7", "198.51.100.10")
    assert d["decision"] == "permit" and not cfg.unrecognized
    # the ASA's own address (static PAT to 'interface') is answered anyway
    cfg, d = decide(rule % ("interface", " no-proxy-arp service tcp 443 443"), "198.51.100.7", "203.0.113.2")
    assert d["decision"] == "permit" and not cfg.unrecognized
    # the usual VPN exemption (identity NAT): nothing changes
    text = ("object network LAN\n subnet 10.20.0.0 255.255.255.0\nobject network VPN\n subnet 192.168.50.0 "
            "255.255.255.0\nnat (inside,outside) source static LAN LAN destination static VPN VPN no-proxy-arp "
            "route-lookup\naccess-list OUT extended permit ip any any\naccess-group OUT in interface outside\n")
    cfg, d = decide(text, "192.168.50.5", "10.20.0.5")
    assert d["decision"] == "permit" and not cfg.unrecognized


def test_no_proxy_arp_is_reported_once_for_its_line():
    # a twice NAT rule translating both addresses gives two untranslations to a mapped address on 'outside''s
    # network (the peer's, 203.0.113.50, and the server's, 203.0.113.10): one line, one report (it was two)
    text = ("object network SRV\n host 10.20.0.10\nobject network MAP\n host 203.0.113.10\n"
            "object network PEER\n host 203.0.113.50\nobject network PMAP\n host 10.20.0.50\n"
            "nat (inside,outside) source static SRV MAP destination static PMAP PEER no-proxy-arp\n" + ACL)
    cfg, d = decide(text, "203.0.113.50", "203.0.113.10")
    assert d["decision"] == "unknown"
    assert [x.source.line for x in cfg.unrecognized] == [23] and "no-proxy-arp" in cfg.unrecognized[0].message

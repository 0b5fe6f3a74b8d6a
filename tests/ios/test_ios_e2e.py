"""IOS configs through the whole audit: stateless access lists and replies, NAT (what each list
sees, ios_helpers.NAT_ORDER), the zone firewall's timeouts after an inbound list, reflexive lists."""

from __future__ import annotations

from ios_helpers import cfg, decide, line_of

from auditor.api import audit, decision_json, explain, make_packet
from auditor.policy import load_site

SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])

ROUTER = ("interface Gi1\n ip address 10.30.0.1 255.255.255.0\n"
          "interface Gi2\n ip address 10.20.0.1 255.255.255.0\n ip access-group SERVERS-IN in\n")


def findings(c, rule):
    return [f for f in audit([c], SITE).findings if f.rule_id == rule]


def smb(fs):
    return [f for f in fs if "SMB" in f.message]


def test_a_router_list_without_established_drops_the_replies():
    # a router access list is stateless: the server's replies meet the list on their way back
    text = ROUTER + "ip access-list extended SERVERS-IN\n 10 permit udp host 10.20.0.10 any eq domain\n" \
                    " 20 deny ip any any log\n"
    c = cfg(text)
    [f] = smb(findings(c, "PRN100"))
    assert f.source.line == line_of(text, "20 deny ip any any log")
    assert "replies" in f.message and f.example[3] == 445  # a reply packet: from the server's port 445
    ok = cfg(text.replace(" 20 deny", " 15 permit tcp host 10.20.0.10 eq 445 10.30.0.0 0.0.0.255 established\n"
                                      " 20 deny"))
    assert smb(findings(ok, "PRN100")) == []


def test_established_does_not_open_new_connections():
    text = ROUTER + "ip access-list extended SERVERS-IN\n permit tcp any any established\n"
    c = cfg(text)
    # the server opening a connection to a Workshop client: its first packet is not 'established'
    assert decide(c, "10.20.0.10", "10.30.0.5", dport=445)["decision"] == "deny"


NAT = ("interface Gi0\n ip address 203.0.113.2 255.255.255.0\n ip nat outside\n ip access-group OUTSIDE-IN in\n"
       "interface Gi2\n ip address 10.20.0.1 255.255.255.0\n ip nat inside\n"
       "ip nat inside source static tcp 10.20.0.10 80 203.0.113.10 80\n"
       "ip route 0.0.0.0 0.0.0.0 203.0.113.1\n")


def test_exposure_through_a_static_nat_is_found_at_the_inbound_list():
    text = NAT + "ip access-list extended OUTSIDE-IN\n permit tcp any host 203.0.113.10 eq www\n deny ip any any\n"
    c = cfg(text)
    [f] = findings(c, "PRN150")
    assert f.source.line == line_of(text, "permit tcp any host 203.0.113.10 eq www")
    assert f.example[1] == make_packet("1.1.1.1", "203.0.113.10", "tcp", 1, 80)[1]  # the mapped address
    e = explain(c, "198.51.100.7", "203.0.113.10", "tcp", None, 80)
    assert e["decision"] == "permit"


def test_the_inbound_list_sees_the_address_the_client_sent_to():
    # the inbound list is checked before NAT: a permit of the real address does not open it
    text = NAT + "ip access-list extended OUTSIDE-IN\n permit tcp any host 10.20.0.10 eq www\n deny ip any any\n"
    c = cfg(text)
    assert decision_json(c, make_packet("198.51.100.7", "203.0.113.10", "tcp", None, 80))["decision"] == "deny"
    # (what it permits is a packet sent to the real address, which the router routes as it is)
    [f] = findings(c, "PRN150")
    assert f.example[1] == make_packet("1.1.1.1", "10.20.0.10", "tcp", 1, 80)[1]


def test_the_outbound_list_sees_the_translated_source():
    # inside-to-outside: routed, translated, then the output list (NAT_ORDER)
    base = ("interface Gi0\n ip address 203.0.113.2 255.255.255.0\n ip nat outside\n ip access-group OUT out\n"
            "interface Gi2\n ip address 10.20.0.1 255.255.255.0\n ip nat inside\n"
            "ip nat inside source static 10.20.0.10 203.0.113.10\n"
            "ip route 0.0.0.0 0.0.0.0 203.0.113.1\n")
    c = cfg(base + "ip access-list extended OUT\n permit ip host 203.0.113.10 any\n")
    assert decision_json(c, make_packet("10.20.0.10", "198.51.100.7", "tcp", None, 443))["decision"] == "permit"
    c = cfg(base + "ip access-list extended OUT\n permit ip host 10.20.0.10 any\n")
    assert decision_json(c, make_packet("10.20.0.10", "198.51.100.7", "tcp", None, 443))["decision"] == "deny"


ZONES = ("interface Gi1\n ip address 10.30.0.1 255.255.255.0\n zone-member security WS\n ip access-group WS-IN in\n"
         "interface Gi2\n ip address 10.20.0.1 255.255.255.0\n zone-member security SRV\n"
         "zone security WS\nzone security SRV\n"
         "ip access-list extended WS-IN\n permit ip any any\n"
         "class-map type inspect match-any ALL\n match protocol tcp\n"
         "parameter-map type inspect SHORT\n tcp idle-time 1800\n"
         "policy-map type inspect P\n class type inspect ALL\n  inspect SHORT\n"
         "zone-pair security WS-SRV source WS destination SRV\n service-policy type inspect P\n")


def test_zone_firewall_timeout_after_an_inbound_list():
    # the inspect class's parameter map sets the idle time of the connections it inspects
    # (ios_helpers.TCP_IDLE); the inbound list on the Workshop interface decides first
    c = cfg(ZONES)
    [f] = findings(c, "PRN120")
    assert f.source.line == line_of(ZONES, "tcp idle-time 1800")
    # inspected connections: their replies pass the zone firewall (stateful)
    assert smb(findings(c, "PRN100")) == []
    long = cfg(ZONES.replace("tcp idle-time 1800", "tcp idle-time 28800"))
    assert findings(long, "PRN120") == []


REFLEXIVE = ("interface Gi1\n ip address 10.30.0.1 255.255.255.0\n ip access-group WS-IN in\n"
             "interface Gi2\n ip address 10.20.0.1 255.255.255.0\n ip access-group SRV-IN in\n"
             "ip access-list extended WS-IN\n permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 reflect PRN\n"
             "ip access-list extended SRV-IN\n evaluate PRN\n deny ip any any\n")


def test_reflexive_entries_permit_the_replies_and_time_out():
    # 'reflect' records the connections an entry permits; 'evaluate' lets their replies in; the
    # entries expire after 'ip reflexive-list timeout' seconds idle, 300 by default (ios_helpers.REFLEXIVE)
    c = cfg(REFLEXIVE)
    assert smb(findings(c, "PRN100")) == []
    ev = c.filters["SRV-IN"].rules[0]
    assert ev.note.startswith("reflexive entries of PRN")
    assert decide(c, "10.20.0.10", "10.30.0.5", dport=445)["decision"] == "deny"  # not a new connection
    [f] = findings(c, "PRN120")
    assert "300" in f.message or "0:05:00" in f.message
    assert f.source.line == line_of(REFLEXIVE, "permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 reflect PRN")
    c = cfg(REFLEXIVE + "ip reflexive-list timeout 36000\n")
    assert findings(c, "PRN120") == []
    c = cfg(REFLEXIVE.replace("reflect PRN", "reflect PRN timeout 60"))
    [f] = findings(c, "PRN120")
    assert "0:01:00" in f.message


def test_evaluate_of_an_unknown_reflexive_list_is_reported():
    c = cfg(REFLEXIVE.replace("evaluate PRN", "evaluate NOPE"))
    assert [d.code for d in c.diagnostics] == ["CFG301"]
    assert smb(findings(c, "PRN100"))


def test_a_reflect_entry_in_a_list_no_interface_applies_fills_nothing():
    # the temporary entries of a reflexive list are made when a new session's packet matches the reflect
    # entry as its list filters the packet: the list must be applied to an interface (Cisco IOS Security
    # Configuration Guide 12.1, "Configuring IP Session Filtering (Reflexive Access Lists)": reflexive lists
    # "are nested within an extended named IP access list that is applied to the interface"; command
    # reference: shrubbery.net/cisco/cc/td/doc/product/software/ios121/121sup/121csum1/121cssec/ssdreflx.htm).
    # Here the Workshop interface applies WS-IN, which permits without reflect; OLD is applied nowhere.
    text = REFLEXIVE.replace(" reflect PRN\n", "\n") + \
        "ip access-list extended OLD\n permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 reflect PRN\n"
    c = cfg(text)
    [f] = smb(findings(c, "PRN100"))
    assert "replies" in f.message and f.source.line == line_of(text, "deny ip any any")
    assert f.example[3] == 445  # a reply: from the server's port
    assert findings(c, "PRN120") == []  # (no reflexive entry, so no reflexive timeout)
    # the same entry in the applied list still fills it
    assert smb(findings(cfg(REFLEXIVE), "PRN100")) == []


# A reflect entry makes temporary entries for the sessions whose packets it filters: those crossing the
# interface its list is applied to, in the list's direction ("these entries are automatically created when a
# new IP session begins (for example, with an outbound packet)"; the list with the reflect entry "will be
# applied to the outbound interface ... This traffic will be monitored by the router and used to create
# reflexive access lists": ios_helpers.REFLEXIVE).  Gi3 is a third interface no Workshop<->server flow crosses.
GI3 = "interface Gi3\n ip address 10.40.0.1 255.255.255.0\n ip access-group OLD %s\n"
OLD = "ip access-list extended OLD\n permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 reflect PRN\n"
NO_REFLECT = REFLEXIVE.replace(" reflect PRN\n", "\n")
SRV_OUT = NO_REFLECT.replace(" ip access-group SRV-IN in\n",
                             " ip access-group SRV-IN in\n ip access-group OLD out\n") + OLD  # (Gi2 applies OLD out)


def test_a_reflect_entry_on_an_interface_the_session_does_not_cross_fills_nothing_for_it():
    # inbound on Gi3: only sessions from sources routed through Gi3 (10.40.0.0/24) make entries
    text = NO_REFLECT + GI3 % "in" + OLD
    c = cfg(text)
    [f] = smb(findings(c, "PRN100"))
    assert "replies" in f.message and f.source.line == line_of(text, "deny ip any any")
    assert f.example[3] == 445  # a reply: from the server's port
    assert findings(c, "PRN120") == []
    assert not c.filters["SRV-IN"].rules[0].match and not c.filters["SRV-IN"].rules[0].maybe
    # outbound on Gi3: only sessions to destinations routed through it
    text = NO_REFLECT + GI3 % "out" + OLD
    [f] = smb(findings(cfg(text), "PRN100"))
    assert f.source.line == line_of(text, "deny ip any any")


def test_a_reflect_entry_on_the_interface_the_session_crosses_fills_the_list():
    # the same list applied inbound on Gi3 and on the Workshop interface: the sessions cross Gi1 inbound
    text = NO_REFLECT.replace(" ip access-group WS-IN in\n", " ip access-group OLD in\n") + GI3 % "in" + OLD
    c = cfg(text)
    assert smb(findings(c, "PRN100")) == []
    [f] = findings(c, "PRN120")
    assert f.source.line == line_of(text, OLD.splitlines()[1])
    # outbound on the servers' interface: the sessions leave through Gi2 to the server
    c = cfg(SRV_OUT)
    assert smb(findings(c, "PRN100")) == []
    assert findings(c, "PRN120")
    # (outbound on the Workshop interface, which lets the replies out: the sessions do not leave through it,
    # so the servers' list drops their replies)
    text = NO_REFLECT.replace(" ip access-group WS-IN in\n", " ip access-group WS-IN in\n ip access-group OLD out\n") \
        + OLD + " permit ip any any\n"
    [f] = smb(findings(cfg(text), "PRN100"))
    assert f.source.line == line_of(text, "deny ip any any")


def test_where_the_interface_a_reflected_session_crosses_is_not_known_its_replies_are_unknown():
    # outbound on the servers' interface, with a second routing table (VRF): which interface a destination is
    # routed through depends on the table the packet came in by; and with 'ip nat outside source', which
    # translates destinations after routing (ios_helpers.NAT_ORDER): the entries may or may not be made
    vrf = cfg(SRV_OUT + "interface Gi3\n vrf forwarding X\n ip address 10.40.0.1 255.255.255.0\n")
    ev = vrf.filters["SRV-IN"].rules[0]
    assert not ev.match and ev.maybe
    [f] = smb(findings(vrf, "PRN100"))
    assert f.message.startswith("cannot tell")
    nat = cfg(SRV_OUT + "interface Gi0\n ip address 203.0.113.2 255.255.255.0\n ip nat outside\n"
                        "ip nat outside source static 198.51.100.7 10.30.0.77\n")
    ev = nat.filters["SRV-IN"].rules[0]
    assert not ev.match and ev.maybe
    # (dynamic routing leaves the connected networks' placement certain: the Workshop is on Gi1's subnet)
    ospf = cfg(REFLEXIVE + "router ospf 1\n network 10.0.0.0 0.255.255.255 area 0\n")
    assert ospf.filters["SRV-IN"].rules[0].match and smb(findings(ospf, "PRN100")) == []

"""Cisco IOS access lists: each behaviour against the Cisco document that states it (see ios_helpers)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from ios_helpers import cfg, decide, line_of

from auditor.core.model import ANY_STATE, ESTABLISHED, Impact
from auditor.core.packets import V4_BASE
from parsers.cisco_ios.operands import OperandError, wildcard_set

# --- numbered lists (ios_helpers.ACCESS_LIST_STANDARD, ios_helpers.ACL_OVERVIEW) ----------------------------------

def test_numbered_standard_list_matches_the_source_only():
    text = "access-list 10 permit 10.1.1.0 0.0.0.255\naccess-list 10 deny any\n"
    c = cfg(text)
    assert decide(c, "10.1.1.7", "192.0.2.1", acl="10")["decision"] == "permit"
    assert decide(c, "10.1.2.7", "192.0.2.1", acl="10")["line"] == line_of(text, "access-list 10 deny any")
    # any destination, any protocol
    assert decide(c, "10.1.1.7", "8.8.8.8", "udp", 53, acl="10")["decision"] == "permit"


def test_standard_address_without_a_wildcard_is_one_host():
    # "source-wildcard (Optional)": without it, the source is a single host
    c = cfg("access-list 5 permit 10.1.1.1\n")
    assert decide(c, "10.1.1.1", "1.1.1.1", acl="5")["decision"] == "permit"
    assert decide(c, "10.1.1.2", "1.1.1.1", acl="5")["decision"] == "deny"


def test_number_ranges_make_the_kind():
    # 1-99 and 1300-1999 standard; 100-199 and 2000-2699 extended
    c = cfg("access-list 1300 permit host 10.0.0.1\naccess-list 2000 permit tcp any any eq 22\n"
            "access-list 199 permit udp any any\n")
    assert decide(c, "10.0.0.1", "1.1.1.1", "udp", 9, acl="1300")["decision"] == "permit"
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=22, acl="2000")["decision"] == "permit"
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=23, acl="2000")["decision"] == "deny"
    assert not c.unrecognized


def test_non_ip_numbered_lists_are_ignored_with_their_kind():
    c = cfg("access-list 700 permit 0000.0c00.0000 0000.00ff.ffff\n")
    assert "700" not in c.filters and not c.diagnostics


def test_extended_list_with_ports_and_names():
    c = cfg("access-list 101 permit tcp 10.0.0.0 0.0.0.255 host 10.1.1.1 eq www\n"
            "access-list 101 permit udp any any eq domain\n"
            "access-list 101 permit tcp any any range ftp-data ftp\n"
            "access-list 101 permit tcp any gt 1023 any lt 10\n"
            "access-list 101 deny tcp any any neq 5\n"
            "access-list 101 permit tcp any any\n")
    assert decide(c, "10.0.0.9", "10.1.1.1", dport=80, acl="101")["line"] == 3
    assert decide(c, "10.0.1.9", "10.1.1.1", dport=80, acl="101")["line"] == 7
    assert decide(c, "9.9.9.9", "8.8.8.8", "udp", 53, acl="101")["line"] == 4
    assert decide(c, "9.9.9.9", "8.8.8.8", dport=20, acl="101")["line"] == 5
    assert decide(c, "9.9.9.9", "8.8.8.8", dport=9, sport=1024, acl="101")["line"] == 6
    assert decide(c, "9.9.9.9", "8.8.8.8", dport=9, sport=1023, acl="101")["line"] == 7
    assert decide(c, "9.9.9.9", "8.8.8.8", dport=5, sport=1023, acl="101")["line"] == 8


def test_tcp_and_udp_port_names_are_not_interchangeable():
    # 'www' is a TCP name, 'tftp' a UDP one (names.py cites the IOS lists): the other protocol's
    # name is not understood and the entry is reported, never guessed
    c = cfg("ip access-list extended A\n permit udp any any eq www\n permit tcp any any eq tftp\n")
    assert len(c.unrecognized) == 2
    assert all(d.impact is Impact.FILTER and d.scope == "A" for d in c.unrecognized)
    assert decide(c, "1.1.1.1", "2.2.2.2", "udp", 80, acl="A")["decision"] == "unknown"


def test_eq_with_several_ports():
    c = cfg("ip access-list extended A\n permit tcp any any eq www 443 8080\n")
    for p, want in ((80, "permit"), (443, "permit"), (8080, "permit"), (81, "deny")):
        assert decide(c, "1.1.1.1", "2.2.2.2", dport=p, acl="A")["decision"] == want


def test_icmp_messages_by_name_and_number():
    c = cfg("ip access-list extended A\n permit icmp any any echo\n permit icmp any any 3 4\n"
            " permit icmp any any ttl-exceeded\n")
    f = c.filters["A"]
    assert [r.match.cubes[0].dims[2].iv for r in f.rules] == [((1, 1),)] * 3
    assert f.rules[0].match.cubes[0].dims[4].iv == ((8 * 256, 8 * 256 + 255),)
    assert f.rules[1].match.cubes[0].dims[4].iv == ((3 * 256 + 4, 3 * 256 + 4),)
    assert f.rules[2].match.cubes[0].dims[4].iv == ((11 * 256, 11 * 256),)


def test_implicit_deny_at_the_end():
    # "an implicit deny at the end of every access list" (ios_helpers.ACL_OVERVIEW)
    c = cfg("ip access-list extended A\n permit tcp any any eq 22\n")
    d = decide(c, "1.1.1.1", "2.2.2.2", dport=23, acl="A")
    assert d["decision"] == "deny" and d["line"] is None


# --- wildcard masks ------------------------------------------------------------------------

def test_non_contiguous_wildcard_is_exact():
    # 10.0.0.0 0.0.255.0: 10.0.x.0 for every x (256 single addresses)
    s = wildcard_set("10.0.0.0", "0.0.255.0")
    assert len(s.iv) == 256
    assert V4_BASE + (10 << 24) + (7 << 8) in s
    assert V4_BASE + (10 << 24) + (7 << 8) + 1 not in s
    c = cfg("access-list 20 permit 10.0.0.0 0.0.255.0\n")
    assert decide(c, "10.0.200.0", "1.1.1.1", acl="20")["decision"] == "permit"
    assert decide(c, "10.0.200.1", "1.1.1.1", acl="20")["decision"] == "deny"


def test_address_bits_under_the_wildcard_are_ignored():
    assert wildcard_set("10.1.1.77", "0.0.0.255") == wildcard_set("10.1.1.0", "0.0.0.255")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.lists(st.integers(0, 2**32 - 1), max_size=20))
def test_wildcard_set_against_brute_force(addr, wild, probes):
    """The set of a wildcard mask equals its definition (bit by bit) at random and nearby points."""
    a = ".".join(str(addr >> s & 255) for s in (24, 16, 8, 0))
    w = ".".join(str(wild >> s & 255) for s in (24, 16, 8, 0))
    try:
        s = wildcard_set(a, w)
    except OperandError:
        assert bin(wild & ~(((wild + 1) & ~wild) - 1)).count("1") > 16
        return
    base = addr & ~wild
    for x in probes + [base, base | wild, (base | wild) + 1, base - 1]:
        x &= 0xFFFFFFFF
        assert ((V4_BASE + x) in s) == ((x & ~wild) == base), (a, w, x)
    assert s.size() == 2 ** bin(wild).count("1")


def test_too_fragmented_wildcard_is_reported_not_guessed():
    # 255.255.255.254: every even address, 2**31 intervals
    c = cfg("access-list 30 permit 0.0.0.0 255.255.255.254\n")
    assert [d.impact for d in c.unrecognized] == [Impact.FILTER]
    assert decide(c, "1.1.1.1", "2.2.2.2", acl="30")["decision"] == "unknown"


# --- named lists, sequence numbers, remarks --------------------------------------------

def test_sequence_numbers_order_the_entries():
    # entries are tested in sequence order; one without a number goes last (ios_helpers.IPV6_DENY: "the
    # first statement ... is number 10, and the subsequent statements are numbered in increments of 10")
    text = ("ip access-list extended A\n 20 deny tcp any any eq 80\n 10 permit tcp host 1.1.1.1 any\n"
            " permit tcp any any\n 15 deny tcp host 1.1.1.1 any eq 22\n")
    c = cfg(text)
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=80, acl="A")["line"] == line_of(text, "10 permit tcp host 1.1.1.1 any")
    assert decide(c, "1.1.1.2", "2.2.2.2", dport=80, acl="A")["line"] == line_of(text, "20 deny tcp any any eq 80")
    assert [r.source.line for r in c.filters["A"].rules] == [line_of(text, x) for x in (
        "10 permit tcp host 1.1.1.1 any", "15 deny tcp host 1.1.1.1 any eq 22", "20 deny tcp any any eq 80",
        "permit tcp any any")]


def test_a_sequence_number_already_taken_is_rejected():
    text = "ip access-list extended A\n 10 permit tcp any any\n 10 deny tcp any any\n"
    c = cfg(text)
    assert len(c.filters["A"].rules) == 1
    [d] = c.unrecognized
    assert d.source.line == line_of(text, "10 deny tcp any any") and "already taken" in d.message


def test_remarks_are_kept_for_waivers_and_are_not_rules():
    text = "ip access-list extended A\n 10 remark prinergy-audit: ignore ACL210\n 10 permit ip any any\n"
    c = cfg(text)
    assert len(c.filters["A"].rules) == 1
    assert c.remarks[0][0] == "A" and "ignore ACL210" in c.remarks[0][1].text
    c = cfg("access-list 101 remark web servers\naccess-list 101 permit tcp any any\n")
    assert len(c.filters["101"].rules) == 1 and c.remarks[0][0] == "101"


def test_named_standard_list():
    c = cfg("ip access-list standard S\n permit host 10.0.0.1\n deny 10.0.0.0 0.0.0.255 log\n permit any\n")
    assert decide(c, "10.0.0.1", "1.1.1.1", acl="S")["decision"] == "permit"
    assert decide(c, "10.0.0.2", "1.1.1.1", acl="S")["decision"] == "deny"
    assert decide(c, "10.0.1.2", "1.1.1.1", acl="S")["decision"] == "permit"


def test_log_and_log_input_do_not_change_the_match():
    c = cfg("ip access-list extended A\n deny tcp any any eq 23 log\n deny tcp any any eq 21 log-input\n"
            " permit tcp any any log MYCOOKIE\n")
    assert not c.unrecognized
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=23, acl="A")["decision"] == "deny"
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=22, acl="A")["decision"] == "permit"


def test_established_matches_later_packets_of_tcp_connections():
    # 'established': TCP packets with ACK or RST set, i.e. every packet of a connection but its
    # first (IOS command reference, 'access-list (IP extended)')
    c = cfg("ip access-list extended A\n permit tcp any any established\n permit tcp any any eq 22\n")
    assert c.filters["A"].rules[0].states == ESTABLISHED
    assert c.filters["A"].rules[1].states == ANY_STATE
    c = cfg("ip access-list extended A\n permit udp any any established\n")
    assert len(c.unrecognized) == 1  # TCP only


def test_fields_the_model_does_not_carry_make_the_entry_unknown():
    c = cfg("ip access-list extended A\n deny tcp any any eq 80 dscp ef\n permit ip any any time-range WORK\n"
            " deny ip any any fragments\n permit tcp any any syn\n")
    rules = c.filters["A"].rules
    assert not rules[0].match and rules[0].maybe and "dscp ef" in rules[0].note
    assert "time-range WORK" in rules[1].note
    assert not rules[2].match and not rules[2].maybe and "fragments" in rules[2].note
    assert "TCP flags" in rules[3].note
    # (session 30: each such entry is reported at its line too; a fragments entry matches none of the audited
    # packets, which are whole, and is not)
    assert [(d.code, d.source.text.split()[-1]) for d in c.unrecognized] == [
        ("CFG300", "ef"), ("CFG300", "WORK"), ("CFG300", "syn")]
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=80, acl="A")["decision"] == "unknown"


def test_an_entry_that_may_match_still_has_its_action():
    # a time-range or dscp entry matches only some packets, but "permit"/"deny" is what it does when it
    # matches (ACL_OVERVIEW): a packet it and a later entry (or the implicit deny) decide alike is decided
    text = ("ip access-list extended A\n deny tcp any any eq 23 time-range WORK\n permit tcp any any eq 80 dscp ef\n"
            " permit tcp any any eq 80\n permit tcp any any eq 81 time-range WORK\n")
    c = cfg(text)
    d = decide(c, "1.1.1.1", "2.2.2.2", dport=23, acl="A")
    assert (d["decision"], d["line"]) == ("deny", None)
    d = decide(c, "1.1.1.1", "2.2.2.2", dport=80, acl="A")
    assert (d["decision"], d["line"]) == ("permit", line_of(text, "permit tcp any any eq 80"))
    d = decide(c, "1.1.1.1", "2.2.2.2", dport=81, acl="A")  # permit, or the implicit deny
    assert (d["decision"], d["line"]) == ("unknown", line_of(text, "permit tcp any any eq 81 time-range WORK"))


def test_an_entry_not_understood_is_reported_and_unknown():
    text = "ip access-list extended A\n permit tcp any any eq 80\n permit frobnicate any any\n"
    c = cfg(text)
    [d] = c.unrecognized
    assert d.impact is Impact.FILTER and d.scope == "A"
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=80, acl="A")["decision"] == "permit"
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=81, acl="A")["decision"] == "unknown"


# --- IPv6 (ios_helpers.IPV6_DENY) -----------------------------------------------------------------

def test_ipv6_list_any_is_ipv6_only_and_sequence_forms():
    text = ("ipv6 access-list V6\n sequence 20 deny tcp any any eq 22\n permit tcp 2001:db8::/32 any eq 22 "
            "sequence 10\n permit icmp any any echo-request\n permit ipv6 any host 2001:db8::1\n")
    c = cfg(text)
    assert not c.unrecognized
    assert decide(c, "2001:db8::5", "2001:db9::1", dport=22, acl="V6")["decision"] == "permit"
    assert decide(c, "2001:db9::5", "2001:db9::1", dport=22, acl="V6")["decision"] == "deny"
    assert decide(c, "2001:db9::5", "2001:db8::1", "udp", 9, acl="V6")["decision"] == "permit"
    # ICMP in an IPv6 list is ICMPv6 (protocol 58)
    assert c.filters["V6"].rules[2].match.cubes[0].dims[2].iv == ((58, 58),)


def test_ipv6_list_ends_with_neighbour_discovery_permits_then_deny():
    text = ("ipv6 unicast-routing\ninterface Gi1\n ipv6 address 2001:db8:1::1/64\n ipv6 traffic-filter V6 in\n"
            "interface Gi2\n ipv6 address 2001:db8:2::1/64\n"
            "ipv6 access-list V6\n permit tcp any any eq 22\n")
    c = cfg(text)
    nd = [f for f in c.filters.values() if f.kind == "implicit"]
    assert len(nd) == 1 and len(nd[0].rules) == 2
    ns = decide(c, "2001:db8:1::5", "2001:db8:2::5", "58", 135 * 256)
    # (the implicit permits are attributed to the list's own line)
    assert ns["decision"] == "permit" and ns["line"] == line_of(text, "ipv6 access-list V6")
    assert decide(c, "2001:db8:1::5", "2001:db8:2::5", "58", 136 * 256)["decision"] == "permit"  # nd-na
    other = decide(c, "2001:db8:1::5", "2001:db8:2::5", "58", 128 * 256)
    assert other["decision"] == "deny" and "deny ipv6 any any" in other["reason"]
    assert decide(c, "2001:db8:1::5", "2001:db8:2::5", dport=22)["decision"] == "permit"


def test_ipv6_and_ipv4_lists_on_one_interface_each_see_their_family():
    text = ("ipv6 unicast-routing\ninterface Gi1\n ip address 10.1.0.1 255.255.0.0\n ipv6 address 2001:db8:1::1/64\n"
            " ip access-group V4 in\n ipv6 traffic-filter V6 in\n"
            "interface Gi2\n ip address 10.2.0.1 255.255.0.0\n ipv6 address 2001:db8:2::1/64\n"
            "ip access-list extended V4\n permit tcp any any eq 80\n"
            "ipv6 access-list V6\n permit tcp any any eq 443\n")
    c = cfg(text)
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=80)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.5", dport=443)["decision"] == "deny"
    assert decide(c, "2001:db8:1::5", "2001:db8:2::5", dport=443)["decision"] == "permit"
    assert decide(c, "2001:db8:1::5", "2001:db8:2::5", dport=80)["decision"] == "deny"


# --- object groups --------------------------------------------------------------------

def test_network_groups_use_subnet_masks_and_nest():
    text = ("object-group network SRV\n host 10.20.0.10\n 10.21.0.0 255.255.255.0\n range 10.22.0.1 10.22.0.3\n"
            " group-object MORE\nobject-group network MORE\n 10.23.0.0/24\n description more servers\n"
            "ip access-list extended A\n permit tcp any object-group SRV eq 445\n")
    c = cfg(text)
    assert not c.diagnostics
    for dst, want in (("10.20.0.10", "permit"), ("10.21.0.200", "permit"), ("10.22.0.3", "permit"),
                      ("10.22.0.4", "deny"), ("10.23.0.9", "permit"), ("10.20.0.11", "deny")):
        assert decide(c, "1.1.1.1", dst, dport=445, acl="A")["decision"] == want, dst
    srv = next(o for o in c.objects if o.name == "SRV")
    assert srv.complete and srv.kind == "address"


def test_service_groups_replace_the_protocol():
    text = ("object-group service WEB\n tcp eq www\n tcp source range 1 1023 eq 443\n udp eq domain\n"
            " icmp echo\n group-object MAIL\nobject-group service MAIL\n tcp eq smtp\n"
            "ip access-list extended A\n permit object-group WEB any host 10.0.0.1\n")
    c = cfg(text)
    assert not c.diagnostics
    for proto, sport, dport, want in (("tcp", 1024, 80, "permit"), ("tcp", 1024, 443, "deny"),
                                      ("tcp", 80, 443, "permit"), ("udp", 1024, 53, "permit"),
                                      ("tcp", 1024, 25, "permit"), ("tcp", 1024, 53, "deny")):
        assert decide(c, "1.1.1.1", "10.0.0.1", proto, dport, sport, acl="A")["decision"] == want
    assert decide(c, "1.1.1.1", "10.0.0.1", "icmp", 8 * 256, acl="A")["decision"] == "permit"


def test_undefined_and_circular_groups_are_reported_and_unknown():
    text = ("object-group network A1\n group-object A2\nobject-group network A2\n group-object A1\n"
            "ip access-list extended A\n permit tcp any object-group NOPE eq 80\n"
            " permit tcp any object-group A1 eq 81\n")
    c = cfg(text)
    codes = sorted(d.code for d in c.diagnostics)
    assert codes.count("CFG301") >= 2
    assert decide(c, "1.1.1.1", "2.2.2.2", dport=80, acl="A")["decision"] == "unknown"


def test_empty_group_matches_nothing():
    # batfish's ios-acl-object-group corpus file has empty groups: they match no address
    c = cfg("object-group network EMPTY\nip access-list extended A\n permit ip object-group EMPTY any\n")
    assert not c.diagnostics
    assert decide(c, "1.1.1.1", "2.2.2.2", acl="A")["decision"] == "deny"


def test_one_name_one_kind():
    # IOS rejects a second list of another kind under a name in use ("An IPv4 ACL and an IPv6 ACL
    # cannot share the same name", Cisco 10000 Series Router Software Configuration Guide, "IPv6
    # Extended ACLs"); a numbered name keeps its number's kind
    text = ("ip access-list standard S\n permit any\nip access-list extended S\n deny ip any any\n"
            "ipv6 access-list S\n deny ipv6 any any\nip access-list extended 10\n permit ip any any\n")
    c = cfg(text)
    assert len(c.unrecognized) == 6 and all(d.impact is Impact.FILTER for d in c.unrecognized)
    assert decide(c, "1.1.1.1", "2.2.2.2", acl="S")["decision"] == "permit"
    assert "10" not in c.filters


ND_DROPPED = ("ipv6 unicast-routing\ninterface Gi1\n ipv6 address 2001:db8:30::1/64\n"
              "interface Gi2\n ipv6 address 2001:db8:20::1/64\n ipv6 traffic-filter SRV6 in\n"
              "ipv6 access-list SRV6\n permit tcp host 2001:db8:20::10 2001:db8:30::/64 established\n"
              " permit udp host 2001:db8:20::10 2001:db8:30::/64\n deny ipv6 any any log\n")


def test_an_inbound_ipv6_list_that_drops_neighbour_discovery_is_no_pass():
    # IPv6 ACL implicit statements: "if you apply a deny ipv6 any any statement explicitly at the end of
    # your IPv6 access list, make sure to explicitly add the two permit statements for neighbor discovery
    # just before this final statement, otherwise such traffic will be dropped" (NetworkLessons, "ACL -
    # IPv6 implicit statements", https://notes.networklessons.com/acl-ipv6-implicit-statements; Cisco
    # Catalyst 3750 Metro Switch Command Reference, "deny (IPv6 access-list configuration)": "To disallow
    # ICMPv6 neighbor discovery ... there must be an explicit deny entry", ios_helpers.IPV6_DENY).  With
    # the neighbours' NS/NA dropped on the way in, the router cannot resolve the server's link-layer
    # address: the list's permits for the server's replies carry nothing, so the audit cannot pass.
    from auditor.api import audit
    from auditor.policy import load_site

    site = load_site(None, ["workshop=2001:db8:30::/64", "primary=2001:db8:20::10"])
    c = cfg(ND_DROPPED)
    assert audit([c], site).verdict != "pass"
    [d] = [d for d in c.diagnostics if "neighbour discovery" in d.message]
    assert d.source.line == line_of(ND_DROPPED, " deny ipv6 any any log")
    # the same list with the two permits before its deny, or without the explicit deny, passes
    ok = ND_DROPPED.replace(" deny ipv6", " permit icmp any any nd-na\n permit icmp any any nd-ns\n deny ipv6")
    assert audit([cfg(ok)], site).verdict == "pass"
    assert audit([cfg(ND_DROPPED.replace(" deny ipv6 any any log\n", ""))], site).verdict == "pass"
    # an outbound list does not see the router's own NS/NA, and the neighbours' arrive inbound
    out = cfg(ND_DROPPED.replace("traffic-filter SRV6 in", "traffic-filter SRV6 out"))
    assert not [d for d in out.diagnostics if "neighbour discovery" in d.message]

"""ASA address translation, as the device applies it, modelled as NAT records and checked through
the engine (flows as clients send them).

Sources: Cisco ASA Series Firewall CLI Configuration Guide (9.x), "Network Address Translation
(NAT)" ("NAT Rule Order": "Section 1 rules are applied first, then section 2, and finally
section 3, until a match is found"; section 2 "static rules, then dynamic; ... quantity of real
IP addresses from smallest to largest; ... IP address number from lowest to highest; ... the name
of the network object in alphabetical order"), "Network Object NAT" ("The source and
destination address in the packet can be translated by separate rules"; "You can only define
a single NAT rule for a given object")
(https://www.cisco.com/c/en/us/td/docs/security/asa/asa922/configuration/firewall/asa-922-firewall-config/nat-basics.html),
and Cisco ASA 5500 Migration to Version 8.3 and Later ("Real IP Addresses in Access List
Migration": from 8.3 on, access rules use the real, untranslated address; before, the mapped
one; http://www.cisco.com/c/en/us/td/docs/security/asa/asa83/upgrading/migrating.html).
"""

from auditor.api import decision_json, make_packet
from auditor.core.model import Impact
from auditor.core.packets import ALL_PORTS, ISet, addr_to_int
from parsers.cisco_asa import parse

HEAD = "ASA Version 9.12(4)\n"
IFACES = ("interface G0\n nameif inside\n security-level 100\n ip address 10.20.0.1 255.255.255.0\n"
          "interface G1\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
          "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n")  # lines 2-10 after HEAD


def ip(text):
    return ISet.of(addr_to_int(text))


def decide(cfg, src, dst, dport=443, proto="tcp"):
    return decision_json(cfg, make_packet(src, dst, proto, None, dport))


def tables(cfg):
    return {t.when: t.rules for t in cfg.nat}


def test_an_object_printed_again_with_only_its_nat_line_keeps_its_address():
    # an 8.3+ running-config prints an object with auto-NAT twice: its definition, then a
    # block holding only its 'nat' line; the second block must not empty the object (or a deny
    # on it would match nothing)
    text = (HEAD + IFACES + "object network SRV\n host 10.20.0.10\n"
            "object network SRV\n nat (inside,outside) static 203.0.113.10\n"
            "access-list OUT extended deny tcp any object SRV eq 3389\n"
            "access-list OUT extended permit ip any any\n"
            "access-group OUT in interface outside\n")
    cfg = parse(text, "t.cfg")
    (srv,) = [o for o in cfg.objects if o.name == "SRV"]
    assert srv.addresses == ip("10.20.0.10") and srv.complete
    d = decide(cfg, "198.51.100.7", "10.20.0.10", 3389)
    assert d["decision"] == "deny" and d["line"] == 15
    # as the client really sends it: to the mapped address, untranslated before the ACL
    d = decide(cfg, "198.51.100.7", "203.0.113.10", 3389)
    assert d["decision"] == "deny" and d["line"] == 15 and d["nat"][0]["line"] == 14
    assert d["translated"]["dst"] == "10.20.0.10"
    assert decide(cfg, "198.51.100.7", "203.0.113.10", 443)["line"] == 16


def test_an_object_group_entered_again_gains_members():
    text = (HEAD + "object-group network G\n network-object host 10.0.0.1\n"
            "object-group network G\n network-object host 10.0.0.2\n")
    (g,) = parse(text, "t.cfg").objects
    assert g.addresses == ISet([(addr_to_int("10.0.0.1"), addr_to_int("10.0.0.2"))])


def test_an_object_defined_again_is_replaced():
    text = HEAD + "object network O\n host 10.0.0.1\nobject network O\n host 10.0.0.9\n"
    (o,) = parse(text, "t.cfg").objects
    assert o.addresses == ip("10.0.0.9")


STATIC = (HEAD + IFACES + "object network SRV\n host 10.20.0.10\n nat (inside,outside) static 203.0.113.10\n"
          "access-list OUT extended permit tcp any host 10.20.0.10 eq https\n"
          "access-group OUT in interface outside\n")


def test_object_static_nat_is_two_records_untranslation_before_routing_translation_after():
    cfg = parse(STATIC, "t.cfg")
    t = tables(cfg)
    (pre,) = t["pre-routing"]
    assert pre.ingress == ("outside",) and pre.source.line == 13
    assert pre.match.contains(make_packet("8.8.8.8", "203.0.113.10", "tcp", None, 443))
    assert [(r.dim, r.offset) for r in pre.rewrites] == [(1, addr_to_int("10.20.0.10") - addr_to_int("203.0.113.10"))]
    (post,) = t["post-routing"]
    assert post.ingress == ("inside",) and post.egress == ("outside",)
    assert post.match.contains(make_packet("10.20.0.10", "8.8.8.8", "tcp", None, 443))
    assert [(r.dim, r.offset) for r in post.rewrites] == [(0, addr_to_int("203.0.113.10") - addr_to_int("10.20.0.10"))]


def test_from_8_3_the_access_list_sees_the_real_address():
    cfg = parse(STATIC, "t.cfg")
    d = decide(cfg, "198.51.100.7", "203.0.113.10")  # the client sends to the mapped address
    assert d["decision"] == "permit" and d["line"] == 14
    assert decide(cfg, "198.51.100.7", "203.0.113.10", 80)["decision"] == "deny"


def test_before_8_3_static_and_the_access_list_on_the_mapped_address():
    text = ("ASA Version 8.2(5)\n" + IFACES
            + "static (inside,outside) 203.0.113.10 10.20.0.10 netmask 255.255.255.255\n"
            "access-list OUT extended permit tcp any host 203.0.113.10 eq https\n"
            "access-group OUT in interface outside\n")
    cfg = parse(text, "t.cfg")
    assert not cfg.diagnostics
    d = decide(cfg, "198.51.100.7", "203.0.113.10")
    assert d["decision"] == "permit" and d["line"] == 12 and d["translated"]["dst"] == "10.20.0.10"
    assert decide(cfg, "198.51.100.7", "203.0.113.10", 80)["decision"] == "deny"
    # the same access list in 8.3 syntax would name the real address: on 8.2 it does not match
    text82_real = text.replace("host 203.0.113.10 eq https", "host 10.20.0.10 eq https")
    assert decide(parse(text82_real, "t.cfg"), "198.51.100.7", "203.0.113.10")["decision"] == "deny"


def test_before_8_3_dynamic_pat_exemption_and_best_match():
    text = ("ASA Version 8.2(5)\n" + IFACES
            + "access-list NONAT extended permit ip 10.20.0.0 255.255.255.0 192.168.50.0 255.255.255.0\n"
              "nat (inside) 0 access-list NONAT\n"
              "nat (inside) 1 10.20.0.0 255.255.0.0\n"
              "nat (inside) 2 10.20.0.0 255.255.255.0\n"
              "global (outside) 1 interface\n"
              "global (outside) 2 203.0.113.20-203.0.113.29\n")
    cfg = parse(text, "t.cfg")
    assert not cfg.diagnostics
    post = tables(cfg)["post-routing"]
    assert [r.source.line for r in post] == [12, 14, 13]  # exemption, then the longest prefix first
    assert post[0].rewrites == ()  # exempt: no translation
    assert post[1].rewrites[0].pool == ISet.of(addr_to_int("203.0.113.20"), addr_to_int("203.0.113.29"))
    assert post[2].rewrites[0].pool == ip("203.0.113.2") and post[2].rewrites[1].pool == ALL_PORTS  # PAT


def test_dynamic_pat_translates_sources_only():
    text = (HEAD + IFACES + "object network LAN\n subnet 10.20.0.0 255.255.255.0\n"
            " nat (inside,outside) dynamic interface\n")
    t = tables(parse(text, "t.cfg"))
    assert "pre-routing" not in t  # nothing outside can reach a PAT address
    (post,) = t["post-routing"]
    assert post.rewrites[0].dim == 0 and post.rewrites[0].pool == ip("203.0.113.2")


def test_nat_rule_order_sections_and_object_ordering():
    text = (HEAD + IFACES
            + "object network ZNET\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
              "object network BHOST\n host 10.20.0.20\n nat (inside,outside) static 203.0.113.20\n"
              "object network AHOST\n host 10.20.0.20\n nat (inside,outside) dynamic 203.0.113.21\n"
              "object network CHOST\n host 10.20.0.5\n nat (inside,outside) static 203.0.113.5\n"
              "object network LAN\n subnet 10.20.0.0 255.255.255.0\n"
              "object network LATE\n host 10.20.0.99\n"
              "nat (inside,outside) after-auto source static LATE LATE\n"
              "nat (inside,outside) source static LAN LAN destination static LAN LAN\n"
              "nat (inside,outside) 1 source static LATE LATE\n")
    cfg = parse(text, "t.cfg")
    # (line 28 sends LAN destinations out 'outside', its mapped interface, where the table routes them
    # to 'inside': reported, see test_asa_nat_egress.py)
    assert [(d.source.line, "'outside'" in d.message) for d in cfg.diagnostics] == [(28, True)]
    lines = [r.source.line for r in tables(cfg)["post-routing"] if r.egress == ("outside",)]
    # section 1 (line 1 inserted first), section 2 (statics: CHOST .5 before BHOST .20, then
    # dynamics: AHOST (1 address) before ZNET (256)), section 3 (after-auto)
    assert lines == [29, 28, 22, 16, 19, 13, 27]


def test_twice_nat_exemption_stops_the_later_pat():
    text = (HEAD + IFACES + "object network LAN\n subnet 10.20.0.0 255.255.255.0\n"
            " nat (inside,outside) dynamic interface\n"
            "object network VPN\n subnet 192.168.50.0 255.255.255.0\n"
            "nat (inside,outside) source static LAN LAN destination static VPN VPN\n")
    post = tables(parse(text, "t.cfg"))["post-routing"]
    first = next(r for r in post if r.match.contains(make_packet("10.20.0.5", "192.168.50.5", "tcp", None, 1)))
    assert first.source.line == 16 and first.rewrites == ()
    first = next(r for r in post if r.match.contains(make_packet("10.20.0.5", "8.8.8.8", "tcp", None, 1)))
    assert first.source.line == 13 and first.rewrites[0].pool == ip("203.0.113.2")


def test_twice_nat_destination_untranslated_before_the_route():
    text = (HEAD + IFACES + "object network LAN\n subnet 10.20.0.0 255.255.255.0\n"
            "object network PUB\n host 203.0.113.50\n"
            "object network REAL\n host 198.51.100.50\n"
            "object network SRCMAP\n host 203.0.113.60\n"
            "nat (inside,outside) source dynamic LAN SRCMAP destination static PUB REAL\n")
    t = tables(parse(text, "t.cfg"))
    (pre,) = t["pre-routing"]
    assert pre.ingress == ("inside",)
    assert pre.match.contains(make_packet("10.20.0.5", "203.0.113.50", "tcp", None, 1))
    assert pre.rewrites[0].dim == 1
    assert pre.rewrites[0].offset == addr_to_int("198.51.100.50") - addr_to_int("203.0.113.50")
    (post,) = t["post-routing"]
    assert post.match.contains(make_packet("10.20.0.5", "198.51.100.50", "tcp", None, 1))
    assert post.rewrites[0].pool == ip("203.0.113.60")


def test_static_pat_with_a_service():
    text = (HEAD + IFACES + "object network WEB\n host 10.20.0.80\n"
            " nat (inside,outside) static interface service tcp www 8080\n"
            "access-list OUT extended permit tcp any host 10.20.0.80 eq www\n"
            "access-group OUT in interface outside\n")
    cfg = parse(text, "t.cfg")
    d = decide(cfg, "198.51.100.7", "203.0.113.2", 8080)
    assert d["decision"] == "permit" and d["line"] == 14
    assert d["translated"]["dst"] == "10.20.0.80" and d["translated"]["dport"] == 80
    assert decide(cfg, "198.51.100.7", "203.0.113.2", 80)["decision"] != "permit"


def test_identity_nat_and_inactive_rules():
    text = (HEAD + IFACES + "object network SRV\n host 10.20.0.10\n"
            "nat (inside,outside) source static SRV SRV\n"
            "nat (inside,outside) source static SRV SRV inactive\n")
    cfg = parse(text, "t.cfg")
    post = tables(cfg)["post-routing"]
    assert {r.source.line for r in post} == {13} and all(r.rewrites == () for r in post)


def test_a_nat_rule_that_cannot_be_modelled_makes_what_it_may_translate_unknown():
    text = (HEAD + IFACES + "object network SRV\n host 10.20.0.10\n"
            "object service S1\n service tcp source eq 80\n"
            "object service S2\n service tcp source eq 8080\n"
            "nat (inside,outside) source static SRV interface service S1 S2\n"
            "access-list OUT extended permit ip any any\naccess-group OUT in interface outside\n")
    cfg = parse(text, "t.cfg")
    (diag,) = [d for d in cfg.diagnostics if d.source.line == 17]
    assert diag.code == "CFG300" and diag.impact is Impact.FILTER and diag.scope == "nat"
    # traffic to the mapped address (the interface) may be untranslated: unknown, never permit
    assert decide(cfg, "198.51.100.7", "203.0.113.2", 8080)["decision"] == "unknown"
    assert decide(cfg, "10.20.0.10", "198.51.100.7", 80)["decision"] == "unknown"
    # traffic the rule cannot touch is decided
    assert decide(cfg, "10.20.0.11", "198.51.100.7", 80)["decision"] == "permit"


def test_nat_lines_are_never_silently_ignored():
    # 'nat' was on the list of commands without effect on filtering: every NAT line now builds a
    # record or is reported, and syntax of the other era is reported too
    text = (HEAD + IFACES + "nat (inside,outside) source frobnicate X Y\n"
            "static (inside,outside) 203.0.113.10 10.20.0.10\n")
    cfg = parse(text, "t.cfg")
    assert sorted(d.source.line for d in cfg.diagnostics if d.code == "CFG300") == [11, 12]


def test_a_server_published_by_static_nat_is_exposed_at_its_mapped_address():
    # PRN150 takes the traffic as outside clients send it: to the mapped address, untranslated
    # to the server; on 8.2 the access list names the mapped address (the old parser ignored
    # 'static', so this ACL seemed to permit some other host: a wrong pass)
    from auditor.api import audit
    from auditor.policy import load_site

    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    text = ("ASA Version 8.2(5)\n" + IFACES
            + "static (inside,outside) 203.0.113.10 10.20.0.10 netmask 255.255.255.255\n"
              "access-list OUT extended permit tcp any host 203.0.113.10 eq 3389\n"
              "access-group OUT in interface outside\n")
    result = audit([parse(text, "t.cfg")], site)
    found = [f for f in result.findings if f.rule_id == "PRN150"]
    assert [f.source.line for f in found] == [12] and result.verdict == "fail"
    assert found[0].to_json()["example"]["dst"] == "203.0.113.10"


def test_an_object_nat_rule_not_understood_keeps_its_place_in_section_2():
    # "NAT Rule Order", section 2: static rules before dynamic, then "quantity of real IP addresses
    # from smallest to largest" (Cisco ASA Series Firewall CLI Configuration Guide, "Network Address
    # Translation (NAT)", https://www.cisco.com/c/en/us/td/docs/security/asa/asa922/configuration/firewall/
    # asa-922-firewall-config/nat-basics.html).  A's static rule (16 real addresses) comes before NET's
    # (256); it is not modelled (a block of 16 onto a range of 5), so the traffic to its mapped addresses
    # is unknown.  Put after every static, NET untranslated 198.51.100.3 first: a permit.
    text = (HEAD + IFACES
            + "object network A\n subnet 10.20.0.0 255.255.255.240\n nat (inside,outside) static OTHER\n"
              "object network OTHER\n range 198.51.100.1 198.51.100.5\n"
              "object network NETM\n subnet 198.51.100.0 255.255.255.0\n"
              "object network NET\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) static NETM\n"
              "access-list OUT extended permit ip any any\naccess-group OUT in interface outside\n")
    cfg = parse(text, "t.cfg")
    assert [d.source.line for d in cfg.diagnostics] == [13]
    assert decide(cfg, "8.8.8.8", "198.51.100.3")["decision"] == "unknown"
    # beyond A's mapped range NET decides, as on the device
    d = decide(cfg, "8.8.8.8", "198.51.100.50")
    assert d["decision"] == "permit" and d["translated"]["dst"] == "10.20.0.50"


def test_a_twice_nat_rule_not_understood_keeps_its_line_number():
    # command reference, 'nat (global)': "line: inserts the rule at the given line number in section 1"
    # (https://cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/I-R/asa-command-ref-I-R/n-commands.html).
    # The rule written 'line 1' (port translation, not modelled) is the device's first: traffic to
    # 203.0.113.10 may be untranslated by it.  Appended after line 19's rule, line 19 decided it: a permit.
    text = (HEAD + IFACES + "object network SRV\n host 10.20.0.10\nobject network M1\n host 203.0.113.10\n"
            "object service S1\n service tcp source eq 80\nobject service S2\n service tcp source eq 8080\n"
            "nat (inside,outside) source static SRV M1\n"
            "nat (inside,outside) 1 source static SRV M1 service S1 S2\n"
            "access-list OUT extended permit ip any any\naccess-group OUT in interface outside\n")
    cfg = parse(text, "t.cfg")
    assert [d.source.line for d in cfg.diagnostics] == [20]
    assert decide(cfg, "8.8.8.8", "203.0.113.10", 8080)["decision"] == "unknown"
    assert [r.source.line for r in tables(cfg)["pre-routing"]] == [20, 19]
    # the same rule without 'line 1' comes after line 19's, which decides
    d = decide(parse(text.replace(") 1 source", ") source"), "t.cfg"), "8.8.8.8", "203.0.113.10", 8080)
    assert d["decision"] == "permit" and d["nat"][0]["line"] == 19


def test_unidirectional_on_an_object_nat_rule_is_not_read_as_bidirectional():
    # 'unidirectional' is documented as a twice NAT option of a static rule (the translation one way
    # only: the mapped side cannot start connections through it; ASA command reference, 'nat',
    # https://cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/I-R/asa-command-ref-I-R/n-commands.html,
    # and the Firewall CLI Configuration Guide, "Twice NAT").  On a network object rule it was skipped as
    # a flag and the rule untranslated traffic from outside to its mapped address: a permit the device,
    # if it takes the keyword there, does not give.  Not documented there: unknown, never a pass.
    text = (HEAD + IFACES + "object network SRV\n host 10.20.0.10\n nat (inside,outside) static 203.0.113.10%s\n"
            "access-list OUT extended permit ip any any\naccess-group OUT in interface outside\n")
    cfg = parse(text % " unidirectional", "t.cfg")
    assert [d.source.line for d in cfg.diagnostics] == [13]
    assert decide(cfg, "198.51.100.7", "203.0.113.10")["decision"] == "unknown"
    # on a twice NAT rule it is modelled: nothing from outside is untranslated
    twice = (HEAD + IFACES + "object network SRV\n host 10.20.0.10\nobject network M\n host 203.0.113.10\n"
             "nat (inside,outside) source static SRV M unidirectional\n"
             "access-list OUT extended permit ip any any\naccess-group OUT in interface outside\n")
    cfg = parse(twice, "t.cfg")
    assert not cfg.diagnostics and "pre-routing" not in tables(cfg)
    assert decide(cfg, "198.51.100.7", "203.0.113.10")["decision"] == "deny"

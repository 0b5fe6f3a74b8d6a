"""Junos parser behaviours, each against Juniper's documentation (cited per test)."""

from __future__ import annotations

import pytest

from auditor.api import decision_json, make_packet
from auditor.core.model import ESTABLISHED, NEW, Action
from auditor.core.packets import addr_to_int
from parsers import InputError, detect, parse_text
from parsers.junos import parse_lines

SET_CFG = """\
set version 21.4R3
set system host-name srx1
set system root-authentication encrypted-password "$6$abc$secretsecret"
set interfaces ge-0/0/0 unit 0 family inet address 10.30.0.1/24
set interfaces ge-0/0/1 unit 0 family inet address 10.20.0.1/24
set interfaces ge-0/0/2 unit 0 family inet address 203.0.113.1/24
set routing-options static route 0.0.0.0/0 next-hop 203.0.113.254
set security zones security-zone workshop interfaces ge-0/0/0.0 host-inbound-traffic system-services ping
set security zones security-zone servers interfaces ge-0/0/1.0
set security zones security-zone untrust interfaces ge-0/0/2.0
set security address-book global address WS-NET 10.30.0.0/24
set security address-book global address PRIMARY 10.20.0.10/32
set security address-book global address SECONDARY 10.20.0.11/32
set security address-book global address-set SERVERS address PRIMARY
set security address-book global address-set ALL-SERVERS address-set SERVERS
set security address-book global address-set ALL-SERVERS address SECONDARY
set applications application PRINERGY-DYN protocol tcp
set applications application PRINERGY-DYN destination-port 1024-9000
set applications application PRINERGY-DYN inactivity-timeout never
set applications application-set PRINERGY application PRINERGY-DYN
set applications application-set PRINERGY application junos-smb-session
set security policies from-zone workshop to-zone servers policy deny-afp match source-address any
set security policies from-zone workshop to-zone servers policy deny-afp match destination-address any
set security policies from-zone workshop to-zone servers policy deny-afp match application AFP
set security policies from-zone workshop to-zone servers policy deny-afp then deny
set applications application AFP protocol tcp destination-port 548
set security policies from-zone workshop to-zone servers policy prinergy match source-address WS-NET
set security policies from-zone workshop to-zone servers policy prinergy match destination-address ALL-SERVERS
set security policies from-zone workshop to-zone servers policy prinergy match application PRINERGY
set security policies from-zone workshop to-zone servers policy prinergy then permit
set security policies from-zone workshop to-zone servers policy web match source-address WS-NET
set security policies from-zone workshop to-zone servers policy web match destination-address PRIMARY
set security policies from-zone workshop to-zone servers policy web match application junos-telnet
set security policies from-zone workshop to-zone servers policy web then permit
set security policies global policy ping match source-address any
set security policies global policy ping match destination-address any
set security policies global policy ping match application junos-icmp-ping
set security policies global policy ping then permit
"""


def _hier(set_text: str) -> str:
    """The same statements in the braces form (a small renderer for the test's own text)."""
    root: dict = {}
    for raw in set_text.splitlines():
        words = raw.split()[1:]
        node = root
        for w in words[:-1]:
            node = node.setdefault(w, {})
        node.setdefault(words[-1], {})

    def show(node: dict, indent: str) -> list[str]:
        out = []
        for k, v in node.items():
            if not v:
                out.append(indent + k + ";")
            elif len(v) == 1 and not next(iter(v.values())):
                out.append(indent + k + " " + next(iter(v)) + ";")
            else:
                out.append(indent + k + " {")
                out += show(v, indent + "    ")
                out.append(indent + "}")
        return out
    return "\n".join(show(root, "")) + "\n"


def pkt(src, dst, proto="tcp", sport=1024, dport=80):
    return make_packet(src, dst, proto, sport, dport)


def decide(cfg, *a, **k):
    return decision_json(cfg, pkt(*a, **k))


def test_detects_both_forms_and_reads_them_alike():
    # Juniper, "show configuration" and "| display set" (Junos CLI User Guide): two views of one configuration
    hier = _hier(SET_CFG)
    assert detect(SET_CFG) == "junos" and detect(hier) == "junos"
    a, b = parse_text(SET_CFG, "a.set"), parse_text(hier, "b.conf")
    assert a.filters.keys() == b.filters.keys()
    for name in a.filters:
        assert [(r.action, repr(r.match), repr(r.maybe)) for r in a.filters[name].rules] == \
            [(r.action, repr(r.match), repr(r.maybe)) for r in b.filters[name].rules]
    assert [(p.ingress, p.egress) for p in a.paths] == [(p.ingress, p.egress) for p in b.paths]
    assert a.timeouts == tuple(t for t in a.timeouts) and len(a.timeouts) == len(b.timeouts)


def test_every_line_accounted_and_secrets_redacted():
    cfg, lines = parse_lines(SET_CFG, "a.set")
    assert lines.unaccounted() == []
    assert not cfg.diagnostics
    assert "secretsecret" not in lines.source(2).text


def test_zone_pair_policies_first_match_then_global_then_default():
    # Juniper, "Global Policies" (Security Policies User Guide): zone-pair policies are looked up first,
    # then global policies, then the default policy (deny-all unless permit-all)
    cfg = parse_text(SET_CFG, "a.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=548)["decision"] == "deny"  # deny-afp, first
    assert decide(cfg, "10.30.0.5", "10.20.0.11", dport=2000)["line"] == 27  # nested set ALL-SERVERS
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"  # junos-smb-session
    assert decide(cfg, "10.30.0.5", "10.20.0.11", dport=9001)["decision"] == "deny"
    d = decide(cfg, "10.30.0.5", "10.20.0.11", dport=9001)
    assert d["line"] is None and "deny-all" in d["reason"] and d["default_line"] == 1
    ping = decision_json(cfg, make_packet("10.20.0.10", "203.0.113.9", "icmp", None, 8 * 256))
    assert ping["decision"] == "permit" and ping["line"] == 35  # the global policy, for any zone pair
    stage = next(p for p in cfg.paths if p.ingress == "ge-0/0/0.0" and p.egress == "ge-0/0/1.0").stages[0]
    assert stage.filters == ("workshop->servers", "global")


def test_intra_zone_traffic_needs_a_policy():
    # Junos has no implicit intra-zone permit: the factory configuration carries a trust->trust policy
    # (Juniper, "Security Policies Overview"; the default-policy applies to every zone pair)
    text = SET_CFG + "set interfaces ge-0/0/3 unit 0 family inet address 10.31.0.1/24\n" \
                     "set security zones security-zone workshop interfaces ge-0/0/3.0\n"
    cfg = parse_text(text, "a.set")
    assert decide(cfg, "10.30.0.5", "10.31.0.5")["decision"] == "deny"
    # two hosts of one subnet do not cross the device
    assert decide(cfg, "10.30.0.5", "10.30.0.6")["decision"] == "permit"
    cfg = parse_text(text + "set security policies default-policy permit-all\n", "a.set")
    assert decide(cfg, "10.30.0.5", "10.31.0.5")["decision"] == "permit"


def test_interface_in_no_zone_drops_transit():
    # Juniper, "Security Zones": an interface must be bound to a zone to pass transit traffic
    text = SET_CFG + "set interfaces ge-0/0/4 unit 0 family inet address 10.40.0.1/24\n"
    cfg = parse_text(text, "a.set")
    d = decide(cfg, "10.40.0.5", "10.20.0.10")
    assert d["decision"] == "deny" and "no security zone" in d["reason"]


def test_static_route_and_discard_route():
    cfg = parse_text(SET_CFG + "set routing-options static route 198.51.100.0/24 discard\n", "a.set")
    assert decide(cfg, "10.30.0.5", "8.8.8.8")["decision"] == "deny"  # via the default route: no policy
    assert any(r.interface == "ge-0/0/2.0" and r.prefix_len == 0 for r in cfg.routes)
    assert decide(cfg, "10.30.0.5", "198.51.100.7")["reason"].startswith("routed to a discard or reject route")


def test_deactivate_and_inactive_make_disabled_rules():
    # Juniper, "deactivate" (CLI User Guide): an inactive statement stays in the configuration but is ignored
    text = SET_CFG + "deactivate security policies from-zone workshop to-zone servers policy deny-afp\n"
    cfg = parse_text(text, "a.set")
    assert [r.enabled for r in cfg.filters["workshop->servers"].rules] == [False, True, True]
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=548)["line"] is None  # the default policy now
    hier = _hier(SET_CFG).replace("deny-afp {", "inactive: deny-afp {")
    cfg = parse_text(hier, "b.conf")
    assert [r.enabled for r in cfg.filters["workshop->servers"].rules] == [False, True, True]
    # a deactivated address leaves the set
    cfg = parse_text(SET_CFG + "deactivate security address-book global address-set ALL-SERVERS address "
                               "SECONDARY\n", "a.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.11", dport=2000)["decision"] == "deny"
    # delete removes what came before
    cfg = parse_text(SET_CFG + "delete security policies global\n", "a.set")
    assert "global" not in cfg.filters


def test_application_timeouts_never_predefined_and_protocol_defaults():
    # Juniper, "Understanding Policy Application Timeout Configuration and Lookup" (Junos Security 10.2):
    # the application's timeout, else the predefined application's, else TCP 30 min / UDP 1 min / ICMP 1 min
    cfg = parse_text(SET_CFG, "a.set")
    by_rule = {(t.rule, t.idle_seconds) for t in cfg.timeouts if t.rule}
    assert (("workshop->servers", 1), None) in by_rule  # PRINERGY-DYN inactivity-timeout never
    assert (("workshop->servers", 2), 28800) in by_rule  # junos-telnet (device default)
    never = next(t for t in cfg.timeouts if t.rule == ("workshop->servers", 1))
    assert never.source.line == 19 and never.match.contains(pkt("10.30.0.5", "10.20.0.10", dport=2000))
    assert not never.match.contains(pkt("10.30.0.5", "10.20.0.10", dport=445))  # junos-smb-session: default
    tcp_default = cfg.timeouts[-1]
    assert tcp_default.default and tcp_default.idle_seconds == 1800 and "TCP" in tcp_default.label
    udp = next(t for t in cfg.timeouts if t.default and "UDP" in t.label)
    assert udp.idle_seconds == 60


def test_predefined_source_ports_and_uncertain_applications():
    # Juniper, "Security Policy Applications": each predefined application has source ports 1-65535
    cfg = parse_text(SET_CFG, "a.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10", sport=0, dport=23)["decision"] == "deny"
    assert decide(cfg, "10.30.0.5", "10.20.0.10", sport=1, dport=23)["decision"] == "permit"
    # an ALG application whose ports are not published here: unknown, never a guess
    text = SET_CFG.replace("application junos-telnet", "application junos-sip")
    cfg = parse_text(text, "a.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=9999)["decision"] == "unknown"


def test_zone_address_book_and_attached_book():
    # Juniper, "Address Books and Address Sets": a zone's book (or a book attached to it) serves its policies
    text = SET_CFG.replace("set security address-book global address WS-NET 10.30.0.0/24\n", "") + \
        "set security address-book WS address WS-NET 10.30.0.0/25\nset security address-book WS attach zone " \
        "workshop\n"
    cfg = parse_text(text, "a.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=2000)["decision"] == "permit"
    assert decide(cfg, "10.30.0.200", "10.20.0.10", dport=2000)["decision"] == "deny"
    text2 = text.replace("set security address-book WS attach zone workshop\n", "")
    cfg = parse_text(text2, "a.set")  # not attached: undefined for that zone's policies
    assert any(d.code == "CFG301" and "WS-NET" in d.message for d in cfg.diagnostics)


def test_negated_addresses_and_unknown_matches():
    text = SET_CFG + ("set security policies from-zone workshop to-zone servers policy web match "
                      "source-address-excluded\n")
    cfg = parse_text(text, "a.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=23)["decision"] == "deny"
    text = SET_CFG + "set security policies from-zone workshop to-zone servers policy prinergy scheduler-name s\n"
    cfg = parse_text(text, "a.set")
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=2000)["decision"] == "unknown"


def test_apply_groups_expanded_or_reported():
    # Juniper, "Configuration Groups": statements of a group are inherited where apply-groups is written
    grp = ("set groups G security policies from-zone workshop to-zone untrust policy out match source-address any\n"
           "set groups G security policies from-zone workshop to-zone untrust policy out match destination-address "
           "any\nset groups G security policies from-zone workshop to-zone untrust policy out match application any\n"
           "set groups G security policies from-zone workshop to-zone untrust policy out then permit\n")
    cfg, lines = parse_lines(SET_CFG + grp + "set apply-groups G\n", "a.set")
    assert lines.unaccounted() == [] and not cfg.diagnostics
    assert decide(cfg, "10.30.0.5", "8.8.8.8")["line"] == 39  # the group's line
    cfg = parse_text(SET_CFG + grp, "a.set")  # not applied: nothing inherited
    assert "workshop->untrust" not in cfg.filters
    wild = grp.replace("from-zone workshop", "from-zone <*>")
    cfg = parse_text(SET_CFG + wild + "set apply-groups G\n", "a.set")
    # (a wildcard matches configured objects only, "All objects that match the wildcard expression inherit the
    # group configuration data": no 'from-zone X to-zone untrust' is configured, so nothing is inherited)
    assert not cfg.unrecognized and "workshop->untrust" not in cfg.filters


def test_nat_records():
    # Juniper NAT User Guide: static and destination NAT before the policy lookup (policies see the
    # translated destination), source NAT after it; static NAT's reverse translates the source
    text = SET_CFG + """\
set security nat static rule-set from-untrust from zone untrust
set security nat static rule-set from-untrust rule web match destination-address 203.0.113.10/32
set security nat static rule-set from-untrust rule web then static-nat prefix 10.20.0.10/32
set security nat source rule-set out from zone workshop
set security nat source rule-set out to zone untrust
set security nat source rule-set out rule r1 match source-address 10.30.0.0/24
set security nat source rule-set out rule r1 then source-nat interface
set security nat destination pool WEB address 10.20.0.11/32 port 8080
set security nat destination rule-set dn from interface ge-0/0/2.0
set security nat destination rule-set dn rule r match destination-address 203.0.113.11/32
set security nat destination rule-set dn rule r match destination-port 80
set security nat destination rule-set dn rule r then destination-nat pool WEB
"""
    cfg, lines = parse_lines(text, "a.set")
    assert lines.unaccounted() == [] and not cfg.diagnostics
    pre, post = cfg.nat
    assert pre.when == "pre-routing" and post.when == "post-routing"
    static, dnat = pre.rules
    assert static.ingress == ("ge-0/0/2.0",) and static.rewrites[0].offset == \
        addr_to_int("10.20.0.10") - addr_to_int("203.0.113.10")
    assert dnat.rewrites[1].offset == 8080 - 80
    reverse, snat = post.rules
    assert reverse.egress == ("ge-0/0/2.0",) and reverse.rewrites[0].offset == -static.rewrites[0].offset
    assert snat.rewrites[0].pool is not None and addr_to_int("203.0.113.1") in snat.rewrites[0].pool


def test_bad_input():
    with pytest.raises(InputError):
        parse_text("set\n", "x", "junos")
    with pytest.raises(InputError):
        parse_text("   \n", "x", "junos")
    cfg = parse_text("security {\n  policies {\n    default-policy deny-all;\n", "x", "junos")  # unclosed
    assert cfg.unrecognized


# --- firewall filters ---------------------------------------------------------------------------

FILTER_CFG = """\
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                filter {
                    input PROTECT;
                }
                address 10.30.0.1/24;
            }
        }
    }
    ge-0/0/1 {
        unit 0 {
            family inet {
                address 10.20.0.1/24;
            }
        }
    }
}
firewall {
    family inet {
        filter PROTECT {
            term no-hosts {
                from {
                    source-address {
                        10.30.0.0/24;
                        10.30.0.128/25 except;
                    }
                    destination-port 23;
                }
                then discard;
            }
            term count-only {
                from {
                    protocol udp;
                }
                then count udp;
            }
            term skip {
                then next term;
            }
            term est {
                from {
                    protocol tcp;
                    tcp-established;
                }
                then accept;
            }
            term web {
                from {
                    protocol tcp;
                    destination-port [ 80 443 ];
                }
                then accept;
            }
        }
    }
}
"""


def test_filter_terms_longest_prefix_except_implicit_accept_and_discard():
    # Juniper, "Firewall Filter Match Conditions" / "Terminating Actions": an address list takes the most
    # specific entry ('except' excludes); a term with only non-terminating actions accepts; 'next term'
    # goes on; no match: implicit discard
    cfg, lines = parse_lines(FILTER_CFG, "f.conf")
    assert lines.unaccounted() == [] and not cfg.diagnostics
    rules = cfg.filters["PROTECT"].rules
    assert [r.note.split()[1] for r in rules] == ["no-hosts", "count-only", "est", "web"]
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=23)["decision"] == "deny"
    assert decide(cfg, "10.30.0.200", "10.20.0.5", dport=23)["decision"] == "deny"  # default discard
    assert decide(cfg, "10.30.0.5", "10.20.0.5", "udp", dport=53)["decision"] == "permit"  # count only
    assert decide(cfg, "10.30.0.5", "10.20.0.5", dport=443)["decision"] == "permit"
    assert "implicit discard" in decide(cfg, "10.30.0.5", "10.20.0.5", dport=22)["reason"]
    # ports without a protocol: packets of protocols without ports only 'maybe' match
    assert rules[0].maybe and not rules[0].maybe.contains(pkt("10.30.0.5", "10.20.0.5", dport=23))


def test_filter_stage_is_stateless_and_tcp_established_is_established():
    cfg = parse_text(FILTER_CFG, "f.conf")
    stage = next(p for p in cfg.paths if (p.ingress, p.egress) == ("ge-0/0/0.0", "ge-0/0/1.0")).stages[0]
    assert stage.stateful is False and stage.sees == "sent"
    est = cfg.filters["PROTECT"].rules[2]
    assert est.states == ESTABLISHED
    text = FILTER_CFG.replace("tcp-established;", "tcp-initial;")
    assert parse_text(text, "f.conf").filters["PROTECT"].rules[2].states == NEW
    # without 'protocol tcp' the flag test reads other protocols' bytes too: maybe
    text = FILTER_CFG.replace("protocol tcp;\n                    tcp-established;", "tcp-established;")
    r = parse_text(text, "f.conf").filters["PROTECT"].rules[2]
    assert r.maybe and r.action is Action.PERMIT


def test_filter_binding_is_per_family_and_undefined_filter_reported():
    text = FILTER_CFG.replace("address 10.20.0.1/24;", "address 10.20.0.1/24;\n            }\n"
                              "            family inet6 {\n                address 2001:db8::1/64;")
    text = text.replace("address 10.30.0.1/24;", "address 10.30.0.1/24;\n            }\n            family "
                        "inet6 {\n                address 2001:db8:1::1/64;")
    cfg = parse_text(text, "f.conf")
    # the inet filter does not see IPv6 packets
    d = decision_json(cfg, make_packet("2001:db8:1::5", "2001:db8::5", "tcp", 1024, 22))
    assert d["decision"] == "permit"
    cfg = parse_text(FILTER_CFG.replace("input PROTECT;", "input NOPE;"), "f.conf")
    assert any(d.code == "CFG301" and "NOPE" in d.message for d in cfg.diagnostics)


def test_wrong_vendor_is_one_clear_error():
    asa = "ASA Version 9.12(4)\nhostname fw\naccess-list IN extended permit ip any any\n"
    with pytest.raises(InputError) as e:
        parse_text(asa, "asa.cfg", "junos")
    assert "not a Junos configuration" in str(e.value)
    assert detect(SET_CFG) == "junos"


_WORDS = ["set", "deactivate", "delete", "security", "policies", "from-zone", "to-zone", "policy", "p", "match",
          "source-address", "any", "application", "junos-http", "then", "permit", "firewall", "filter", "term",
          "from", "protocol", "tcp", "destination-port", "80", "{", "}", ";", "[", "]", "inactive:", "interfaces",
          "unit", "0", "family", "inet", "address", "10.0.0.1/24", '"x y"', "nat", "static", "rule-set", "rule",
          "apply-groups", "groups", "g", "zones", "security-zone", "z", "1.2.3.4-1.2.3.9", "except", "/*", "*/"]


def test_never_crashes_on_junos_like_text():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    line = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(" ".join)

    @settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(line, min_size=1, max_size=25))
    def run(lines):
        text = "\n".join(lines) + "\n"
        try:
            cfg, acc = parse_lines(text, "fuzz")
        except InputError:
            return
        assert acc.unaccounted() == []
        assert cfg.lines == len(text.splitlines())

    run()


def test_policy_description_carries_inline_waivers():
    from auditor.api import audit
    from auditor.policy import load_site

    text = SET_CFG.replace("policy deny-afp then deny", "policy deny-afp then permit") + (
        'set security policies from-zone workshop to-zone servers policy deny-afp description '
        '"prinergy-audit: ignore PRN160 until 2099-01-01 legacy Mac clients"\n')
    cfg = parse_text(text, "a.set")
    assert [s.line for _f, s in cfg.remarks] == [text.count("\n")]
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    afp = [f for f in audit([cfg], site).findings if f.rule_id == "PRN160"]
    assert afp and all(f.waived for f in afp)


def test_address_objects_made_in_one_step_equal_the_dataclass():
    # parsers.junos.objects._named builds NamedObject without the frozen dataclass's field-by-field
    # set-up (a large address book has tens of thousands): it must be the very same record
    import dataclasses

    from auditor.core.model import NamedObject, Source
    from auditor.core.packets import ISet
    from parsers.junos.objects import _named

    assert [f.name for f in dataclasses.fields(NamedObject)] == [
        "name", "kind", "source", "members", "addresses", "services", "complete"]
    s = Source("srx.conf", 3, "set security address-book global address A 10.0.0.0/24")
    for complete in (True, False):
        fast = _named("A", s, (s,), ISet.of(5, 9), complete)
        slow = NamedObject("A", "address", s, (s,), addresses=ISet.of(5, 9), complete=complete)
        assert fast == slow and repr(fast) == repr(slow) and hash(fast) == hash(slow)
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.name = "B"  # type: ignore[misc]


def test_large_address_set_is_made_once_from_all_members(monkeypatch):
    # linear in the members: the set's intervals are normalised once, not a union rebuilt per member
    from auditor.core import packets
    from auditor.core.packets import ISet

    n = 2000
    text = "\n".join(["set security zones security-zone a interfaces ge-0/0/0.0",
                      "set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/8"]
                     + ["set security address-book global address H%d 10.1.%d.%d/32" % (k, k // 250, k % 250)
                        for k in range(n)]
                     + ["set security address-book global address-set BIG address H%d" % k for k in range(n)]
                     + ["set security policies from-zone a to-zone a policy p match source-address BIG",
                        "set security policies from-zone a to-zone a policy p match destination-address any",
                        "set security policies from-zone a to-zone a policy p match application any",
                        "set security policies from-zone a to-zone a policy p then permit"]) + "\n"
    unions = [0]
    orig = packets.ISet.union

    def counted(self, other):
        unions[0] += 1
        return orig(self, other)

    monkeypatch.setattr(packets.ISet, "union", counted)
    cfg, lines = parse_lines(text, "big.conf")
    assert unions[0] < 50
    (rule,) = cfg.filters["a->a"].rules
    want = ISet([(addr_to_int("10.1.%d.%d" % (k // 250, k % 250)),) * 2 for k in range(n)])
    assert rule.match.cubes[0].dims[0] == want
    assert lines.unaccounted() == []


def test_a_policy_that_may_match_still_has_its_action():
    # A policy with a scheduler is active only in its schedule (Juniper, "Schedulers", Security Policies
    # User Guide), one with a dns-name address matches what the name resolves to: whether it matches is
    # unknown, what it does when it matches is not.  Deny then the default deny-all: denied either way;
    # permit then a later permit: permitted either way; permit then the default deny: unknown.
    text = SET_CFG.replace("policy deny-afp then deny\n", "policy deny-afp then deny\n"
                           "set security policies from-zone workshop to-zone servers policy deny-afp "
                           "scheduler-name lunch\n")
    cfg = parse_text(text, "a.set")
    got = decide(cfg, "10.30.0.5", "10.20.0.10", dport=548)
    assert (got["decision"], got["line"]) == ("deny", None) and "may decide it first" in got["reason"]
    text = SET_CFG + ("set security address-book global address FILES dns-name files.example.com\n"
                      "set security policies from-zone workshop to-zone servers policy files match source-address any\n"
                      "set security policies from-zone workshop to-zone servers policy files match "
                      "destination-address FILES\n"
                      "set security policies from-zone workshop to-zone servers policy files match application any\n"
                      "set security policies from-zone workshop to-zone servers policy files then permit\n")
    cfg = parse_text(text, "a.set")
    files = cfg.filters["workshop->servers"].rules[-1]
    assert files.maybe and files.sure_action and files.action is Action.PERMIT
    got = decide(cfg, "10.30.0.5", "10.20.0.11", dport=2000)  # 'prinergy' permits it, before 'files'
    assert (got["decision"], got["line"]) == ("permit", 27)
    got = decide(cfg, "10.30.0.5", "10.20.0.11", dport=9001)  # 'files' may permit it, then deny-all
    assert got["decision"] == "unknown" and got["line"] == files.source.line
    # an action not understood leaves the policy's whole effect uncertain
    text = SET_CFG + "set security policies from-zone workshop to-zone servers policy deny-afp then frobnicate\n"
    cfg = parse_text(text, "a.set")
    assert not cfg.filters["workshop->servers"].rules[0].sure_action

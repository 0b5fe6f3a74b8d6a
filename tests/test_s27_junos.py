"""Junos SRX: static NAT to a named prefix, and policies naming zones the configuration never defines (session 27).

Documents cited (Juniper Networks):

* [STATIC] "static-nat (Security Static NAT)", Junos OS CLI reference: ``static-nat { prefix { addr-prefix;
  mapped-port ...; routing-instance ...; } prefix-name { addr-prefix-name; mapped-port ...; ... } }``,
  "prefix-name addr-prefix-name -- Specify the address-book name of the translated address prefix"; and
  "Understanding Static NAT Rules" (Junos Security 10.3,
  https://www.juniper.net/documentation/software/junos-security/junos-security10.3/junos-security-swconfig-security/topic-42806.html):
  "For the static NAT rule action, specify the translated address and (optionally) the routing instance".
* [ELEM] "Understanding Security Policy Elements" (Junos Security 10.2,
  https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41206.html):
  "To define a policy, you need: An incoming zone (the from-zone), An outgoing zone (the to-zone)"; zones are
  defined at [edit security zones] ("security-zone zone-name { ... interfaces ...}").  A policy naming a zone
  that is not defined is refused by the commit check, as an undefined NAT zone is: the configuration as given is
  not the device's, so every verdict is unknown and the reference is reported (CFG301, an error).

Expected decisions are read from these documents, not from the tool.
"""

from __future__ import annotations

from auditor.core.packets import addr_to_int
from parsers.junos import parse_lines
from tests.test_hunt7_srx import BASE, decide, parse, policy

N = len(BASE.splitlines())
IN = policy("untrust", "srv", "in", "match source-address any", "match destination-address any",
            "match application any", "then permit")
RULESET = ("set security nat static rule-set S from zone untrust\n"
           "set security nat static rule-set S rule r match destination-address 203.0.113.5/32\n")
WEB = "set security address-book global address web 10.2.0.10/32\n"


def test_static_nat_to_a_named_prefix_translates_like_the_prefix():  # [STATIC]
    # before: "action 'static-nat prefix-name web' not understood", every verdict unknown
    for then in ("then static-nat prefix 10.2.0.10/32", "then static-nat prefix-name web"):
        cfg = parse(WEB + IN + RULESET + "set security nat static rule-set S rule r %s\n" % then)
        assert not cfg.diagnostics, (then, [d.message for d in cfg.diagnostics])
        assert decide(cfg, "198.51.100.7", "203.0.113.5") == "permit", then  # -> 10.2.0.10, policy 'in'
        [fwd] = [r for n in cfg.nat for r in n.rules if r.label.endswith("rule r")]
        assert [(w.dim, w.offset) for w in fwd.rewrites] == [(1, addr_to_int("10.2.0.10") - addr_to_int("203.0.113.5"))]


def test_static_nat_to_a_named_prefix_in_the_hierarchical_form():  # [STATIC]
    text = """\
interfaces {
    ge-0/0/0 { unit 0 { family inet { address 203.0.113.1/24; } } }
    ge-0/0/2 { unit 0 { family inet { address 10.2.0.1/24; } } }
}
routing-options { static { route 0.0.0.0/0 next-hop 203.0.113.254; } }
security {
    address-book {
        global {
            address web 10.2.0.10/32;
        }
    }
    nat {
        static {
            rule-set S {
                from zone untrust;
                rule r {
                    match {
                        destination-address 203.0.113.5/32;
                    }
                    then {
                        static-nat {
                            prefix-name {
                                web;
                            }
                        }
                    }
                }
            }
        }
    }
    policies {
        from-zone untrust to-zone srv {
            policy in {
                match { source-address any; destination-address any; application any; }
                then { permit; }
            }
        }
    }
    zones {
        security-zone untrust { interfaces { ge-0/0/0.0; } }
        security-zone srv { interfaces { ge-0/0/2.0; } }
    }
}
"""
    cfg, lines = parse_lines(text, "srx.conf")
    assert lines.unaccounted() == [] and not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert decide(cfg, "198.51.100.7", "203.0.113.5") == "permit"


def test_static_nat_to_an_undefined_or_unusable_name_is_reported():
    # an undefined name: the commit fails (CFG301, any verdict); a name that is not one prefix (a range of
    # three addresses) cannot be a static NAT target: reported, any verdict
    text = IN + RULESET + "set security nat static rule-set S rule r then static-nat prefix-name nosuch\n"
    cfg, _ = parse_lines(BASE + text, "srx.set")
    [d] = cfg.diagnostics
    assert d.code == "CFG301" and "'nosuch'" in d.message and d.impact.value == "global"
    assert decide(cfg, "198.51.100.7", "203.0.113.5") == "unknown"
    text = ("set security address-book global address three range-address 10.2.0.10 to 10.2.0.12\n" + IN + RULESET
            + "set security nat static rule-set S rule r then static-nat prefix-name three\n")
    cfg, _ = parse_lines(BASE + text, "srx.set")
    assert [d.code for d in cfg.diagnostics] == ["CFG300"] and "not one address prefix" in cfg.diagnostics[0].message
    assert decide(cfg, "198.51.100.7", "203.0.113.5") == "unknown"


def test_the_mapped_port_of_a_prefix_on_a_statement_of_its_own_is_read():  # [STATIC]
    # 'prefix { 10.2.0.10/32; mapped-port 443; }' as 'display set' writes it: two statements.  Before: the second
    # replaced the first ('static-nat prefix not understood'), every verdict unknown
    for how in ("prefix 10.2.0.10/32", "prefix-name web"):
        key = how.split()[0]
        cfg = parse(WEB + IN + RULESET + "set security nat static rule-set S rule r match destination-port 8080\n"
                    "set security nat static rule-set S rule r then static-nat %s\n"
                    "set security nat static rule-set S rule r then static-nat %s mapped-port 443\n" % (how, key))
        assert decide(cfg, "198.51.100.7", "203.0.113.5", dport=8080) == "permit", how  # -> 10.2.0.10:443
        assert decide(cfg, "198.51.100.7", "203.0.113.5", dport=443) == "deny", how  # (port 443: not matched)


def test_a_policy_naming_an_undefined_zone_is_reported_and_decides_nothing():  # [ELEM]
    # before: accepted silently; the policy's zone pair has no interface, and every verdict was decided
    for text, zone in ((policy("untrsut", "srv", "in", "match source-address any", "match destination-address any",
                               "match application any", "then permit"), "untrsut"),
                       (policy("ws", "srvv", "out", "match source-address any", "match destination-address any",
                               "match application any", "then permit"), "srvv"),
                       ("set security policies global policy g match source-address any\n"
                        "set security policies global policy g match destination-address any\n"
                        "set security policies global policy g match application any\n"
                        "set security policies global policy g match from-zone nosuch\n"
                        "set security policies global policy g then permit\n", "nosuch")):
        cfg = parse(text)
        [d] = cfg.diagnostics
        assert d.code == "CFG301" and "security zone '%s'" % zone in d.message and d.impact.value == "global"
        assert d.source.line == N + 1 + (3 if zone == "nosuch" else 0)
        assert decide(cfg, "10.1.0.5", "10.2.0.5") == "unknown"


def test_defined_zones_and_the_predefined_junos_host_are_not_reported():
    text = (policy("ws", "srv", "a", "match source-address any", "match destination-address any",
                   "match application any", "then permit")
            + policy("ws", "junos-host", "b", "match source-address any", "match destination-address any",
                     "match application any", "then permit"))
    cfg = parse(text)
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert decide(cfg, "10.1.0.5", "10.2.0.5") == "permit"


def test_a_policy_fragment_without_any_zone_is_not_reported():
    # a policy compiler's output (aerleon's srx): no zone is defined in it at all; its zones are the device's
    cfg, _ = parse_lines(policy("trust", "untrust", "p", "match source-address any", "match destination-address any",
                                "match application any", "then permit"), "frag.set")
    assert [d for d in cfg.diagnostics if d.code == "CFG301"] == []

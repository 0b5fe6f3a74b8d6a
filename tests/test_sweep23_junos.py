"""Junos findings of the third-party corpus sweep (session 23): Batfish's Junos test configurations run
through the auditor and compared with the flows Batfish's grammar tests assert; what disagreed with the
device's documented behaviour is pinned here with small synthetic configurations."""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers.junos import parse_lines

# an SRX with the Workshop inside, a server zone behind a router and the internet behind a default route;
# only inside -> servers is permitted
BASE = """\
set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/1 unit 0 family inet address 192.168.1.2/24
set interfaces ge-0/0/2 unit 0 family inet address 203.0.113.2/24
set security zones security-zone inside interfaces ge-0/0/0.0
set security zones security-zone servers interfaces ge-0/0/1.0
set security zones security-zone untrust interfaces ge-0/0/2.0
set routing-options static route 0.0.0.0/0 next-hop 203.0.113.1
set security policies from-zone inside to-zone servers policy ALL match source-address any
set security policies from-zone inside to-zone servers policy ALL match destination-address any
set security policies from-zone inside to-zone servers policy ALL match application any
set security policies from-zone inside to-zone servers policy ALL then permit
"""


def parse(text: str):
    cfg, lines = parse_lines(BASE + text, "srx.set")
    assert lines.unaccounted() == []
    assert not cfg.unrecognized
    return cfg


def decide(cfg, dst: str = "10.2.0.10") -> dict:
    return decision_json(cfg, make_packet("10.1.0.5", dst, "tcp", 49152, 445))


# Juniper, "install (Routing Options)" (https://juniper.net/documentation/en_US/junos12.3/topics/reference/
# configuration-statement/install-edit-routing-options.html): "Configure whether Junos OS installs all static
# routes into the forwarding table. Even if you configure a route so it is not installed in the forwarding
# table, the route is still eligible to be exported from the routing table to other protocols."  Batfish's
# FlatJuniperGrammarTest.testStaticRouteConversion (testconfigs/static-routes, 'route 3.0.0.0/8 no-install')
# makes such a route non-forwarding too.

def test_a_no_install_static_route_does_not_forward():
    # the servers' route is only exported: the device sends 10.2.0.10 along its default route, to the
    # untrust zone, where no policy permits inside traffic (a wrong pass before: the route was followed)
    cfg = parse("""\
set routing-options static route 10.2.0.0/24 next-hop 192.168.1.1
set routing-options static route 10.2.0.0/24 no-install
""")
    d = decide(cfg)
    assert d["decision"] == "deny"
    assert "default policy" in d["reason"]
    # without no-install the same route leads to the servers zone, where the policy permits
    cfg = parse("set routing-options static route 10.2.0.0/24 next-hop 192.168.1.1\n")
    assert decide(cfg)["decision"] == "permit"


def test_a_discard_no_install_route_that_feeds_bgp_drops_nothing():
    # the common 'discard no-install' aggregate (advertised, never in the forwarding table): traffic to the
    # aggregate's addresses follows the default route to the internet, which a policy permits (a wrong
    # block before: the discard route dropped it)
    internet = """\
set security policies from-zone inside to-zone untrust policy WEB match source-address any
set security policies from-zone inside to-zone untrust policy WEB match destination-address any
set security policies from-zone inside to-zone untrust policy WEB match application any
set security policies from-zone inside to-zone untrust policy WEB then permit
"""
    cfg = parse(internet + """\
set routing-options static route 10.2.0.0/16 discard
set routing-options static route 10.2.0.0/16 no-install
""")
    d = decide(cfg)
    assert d["decision"] == "permit"
    assert d["line"] == len(BASE.splitlines()) + 1  # the untrust policy
    # a plain discard route drops it
    cfg = parse(internet + "set routing-options static route 10.2.0.0/16 discard\n")
    assert decide(cfg)["decision"] == "deny"


def test_static_defaults_no_install_and_a_route_s_own_install():
    # 'static defaults no-install' applies to every static route of the table; a route's own 'install'
    # overrides it (the hierarchy 'static (defaults | route)' of the same statement)
    cfg = parse("""\
set routing-options static defaults no-install
set routing-options static route 10.2.0.0/24 next-hop 192.168.1.1
""")
    assert decide(cfg)["decision"] == "deny"
    cfg = parse("""\
set routing-options static defaults no-install
set routing-options static route 10.2.0.0/24 next-hop 192.168.1.1
set routing-options static route 10.2.0.0/24 install
""")
    assert decide(cfg)["decision"] == "permit"


def test_no_install_in_the_hierarchical_form():
    cfg, lines = parse_lines("""\
interfaces {
    ge-0/0/0 { unit 0 { family inet { address 10.1.0.1/16; } } }
    ge-0/0/1 { unit 0 { family inet { address 192.168.1.2/24; } } }
    ge-0/0/2 { unit 0 { family inet { address 203.0.113.2/24; } } }
}
routing-options {
    static {
        route 0.0.0.0/0 next-hop 203.0.113.1;
        route 10.2.0.0/24 {
            next-hop 192.168.1.1;
            no-install;
        }
    }
}
security {
    zones {
        security-zone inside { interfaces { ge-0/0/0.0; } }
        security-zone servers { interfaces { ge-0/0/1.0; } }
        security-zone untrust { interfaces { ge-0/0/2.0; } }
    }
    policies {
        from-zone inside to-zone servers {
            policy ALL {
                match { source-address any; destination-address any; application any; }
                then { permit; }
            }
        }
    }
}
""", "srx.conf")
    assert lines.unaccounted() == []
    assert decide(cfg)["decision"] == "deny"


# Juniper, "Understanding Aggregate Routes" (https://juniper.net/documentation/en_US/junos13.1/topics/concept/
# policy-aggregate-routes.html): "An aggregate route becomes active when it has one or more contributing
# routes. A contributing route is an active route that is a more specific match for the aggregate destination
# ... When an aggregate route becomes active, it is installed in the routing table with ... Reject next hop--If
# a more-specific packet does not match a more-specific route, the packet is rejected"; "active (Routing
# Options)": "Routes that have been configured to remain continually installed in the routing and forwarding
# tables are marked with reject next hops when they are inactive".  Batfish's testconfigs aggregate-defaults
# and aggregate-routes (FlatJuniperGrammarTest.testAggregateDefaults) hold the same statements.

INTERNET = """\
set security policies from-zone inside to-zone untrust policy WEB match source-address any
set security policies from-zone inside to-zone untrust policy WEB match destination-address any
set security policies from-zone inside to-zone untrust policy WEB match application any
set security policies from-zone inside to-zone untrust policy WEB then permit
"""


def test_an_active_aggregate_route_rejects_what_no_more_specific_route_takes():
    # 10.1.0.0/16 (the inside network) contributes to 10.0.0.0/8: the aggregate is active and rejects
    # 10.2.0.10, which the default route would otherwise take to the internet, where a policy permits
    # (a wrong pass before: the aggregate was ignored)
    cfg = parse(INTERNET + "set routing-options aggregate route 10.0.0.0/8\n")
    d = decide(cfg)
    assert d["decision"] == "deny"
    assert d["default_line"] == len(BASE.splitlines()) + 5  # the aggregate route
    # a more specific route still takes its own addresses
    cfg = parse(INTERNET + """\
set routing-options aggregate route 10.0.0.0/8
set routing-options static route 10.2.0.0/24 next-hop 192.168.1.1
""")
    assert decide(cfg)["decision"] == "permit"
    assert decide(cfg, "10.3.0.10")["decision"] == "deny"
    # an aggregate with no more specific route is inactive: the default route takes its addresses
    cfg = parse(INTERNET + "set routing-options aggregate route 172.16.0.0/12\n")
    assert decide(cfg, "172.16.0.10")["decision"] == "permit"


def test_a_passive_aggregate_rejects_even_when_inactive():
    # 'defaults passive' makes every aggregate passive, a route's own 'active' overrides it
    cfg = parse(INTERNET + """\
set routing-options aggregate defaults passive
set routing-options aggregate route 172.16.0.0/12
set routing-options aggregate route 192.0.2.0/24 active
""")
    assert decide(cfg, "172.16.0.10")["decision"] == "deny"
    assert decide(cfg, "192.0.2.10")["decision"] == "permit"


def test_aggregate_and_generated_routes_that_are_not_modelled_are_reported():
    # a policy chooses the contributors; a generated route forwards along its primary contributor's next hop
    for text in ("set routing-options aggregate route 10.0.0.0/8 policy ONLY-SOME\n",
                 "set routing-options generate route 10.0.0.0/8\n"):
        cfg, lines = parse_lines(BASE + INTERNET + text, "srx.set")
        assert lines.unaccounted() == []
        assert [d.source.line for d in cfg.unrecognized] == [len(BASE.splitlines()) + 5]
        assert decide(cfg)["decision"] == "unknown"


def test_an_aggregate_of_a_connected_network_leaves_it_to_the_direct_route():
    # Juniper, "Route Preference Values": a direct route (0) is preferred to an aggregate (130) of the same
    # prefix, so the aggregate routes nothing; one inside the connected network has only the interface's own
    # (local) route as a more specific one, whose part in making it active is not documented: reported
    cfg = parse(INTERNET + "set routing-options aggregate route 10.1.0.0/16\n")
    assert decide(cfg, "10.1.0.9")["reason"].startswith("both ends")
    assert decide(cfg, "8.8.8.8")["decision"] == "permit"
    cfg, lines = parse_lines(BASE + INTERNET + "set routing-options aggregate route 10.1.0.0/24\n", "srx.set")
    assert [d.source.line for d in cfg.unrecognized] == [len(BASE.splitlines()) + 5]

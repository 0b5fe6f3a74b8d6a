"""Junos SRX and Junos firewall filters, red team round 3 (session 30).

Expected values are read from Juniper's documents, cited at each test, never from the tool:

* [TIMEOUT] Juniper, "Understanding Policy Application Timeout Configuration and Lookup" (Junos Security 10.3,
  https://www.juniper.net/documentation/software/junos-security/junos-security10.3/junos-security-swconfig-security/topic-41683.html):
  a session's timeout is the application's own ``inactivity-timeout`` (seconds or ``never``), else the defaults;
  "inactivity-timeout (Applications)": "inactivity-timeout (seconds | never)" (a number the CLI reads in ASCII
  digits: the device refuses another one, so what the line meant to set is not known).
"""

from __future__ import annotations

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text
from tests.test_hunt7_srx import BASE, policy

AR = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
N = len(BASE.splitlines())
ANY = ("match source-address any", "match destination-address any")


def _prn120(text: str) -> list[tuple[str, int]]:
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"])
    return sorted((f.status, f.source.line) for f in audit([parse_text(BASE + text, "srx.set")], site).findings
                  if f.rule_id == "PRN120")


def test_an_inactivity_timeout_the_device_refuses_leaves_the_idle_timeout_unknown_at_its_line():  # [TIMEOUT]
    apps = {
        "application": ("set applications application LONG protocol tcp destination-port 1-65535\n"
                        "set applications application LONG inactivity-timeout %s\n"),
        "term": ("set applications application LONG term t protocol tcp destination-port 1-65535\n"
                 "set applications application LONG term t inactivity-timeout %s\n"),
    }
    for kind, app in apps.items():
        for match in ("match application LONG", "match application [ LONG junos-http ]"):
            text = app + policy("ws", "srv", "long", *ANY, match, "then permit")
            assert _prn120(text % "28800") == [], (kind, match)  # a shift: passes
            assert _prn120(text % "600") == [("fail", N + 2)], (kind, match)  # ten minutes: fails at the line
            # before: the line not read, the session got the TCP default 1800 s: a certain fail (with a note), where
            # the device's timeout is not known; now unknown, at the timeout's line
            assert _prn120(text % "28800".translate(AR)) == [("unknown", N + 2)], (kind, match)


# [HOST] junos-host is the SRX's predefined zone of the device itself (no `security zones security-zone` defines
# it): a from-zone junos-host policy decides traffic the device sends, a to-zone junos-host policy traffic addressed
# to the device, on top of the zone's host-inbound-traffic ("Junos-host zone can be used to add an additional check
# for traffic destined to SRX. If you don't configure any security policy to-zone junos-host, the traffic/packet
# will be validated based on host-inbound-traffic", Network Engineering Stack Exchange question 54881; batfish
# pull request 6352: "from-zone junos-host is a real thing").  Neither is transit traffic: an any-to-any permit
# there opens nothing to other hosts (as an OUTPUT chain's ACCEPT, which the anomaly check does not call overly
# broad).  (Juniper's own page on junos-host policies was not found in the searchable documents this session.)
def _acl210(text: str) -> list[int]:
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"])
    return sorted(f.source.line for f in audit([parse_text(BASE + text, "srx.set")], site).findings
                  if f.rule_id == "ACL210")


def test_any_to_any_permits_of_junos_host_policies_are_not_overly_broad_transit_permits():  # [HOST]
    every = (*ANY, "match application any", "then permit")
    for fz, tz in (("junos-host", "untrust"), ("ws", "junos-host")):
        text = policy(fz, tz, "host", *every)
        # before: "any-to-any permit" (ACL210) at the policy
        assert _acl210(text) == [], (fz, tz)
        # a transit pair's any-to-any permit is still one
        assert _acl210(text + policy("ws", "untrust", "out", *every)) == [N + 5], (fz, tz)
    glob = "".join("set security policies global policy g %s\n" % x
                   for x in ("match from-zone junos-host", "match to-zone untrust", *every))
    assert _acl210(glob) == []
    assert _acl210(glob.replace("from-zone junos-host", "from-zone ws")) == [N + 1]


# [WILD] Juniper, "Understanding the Junos Configuration Groups" (Junos OS CLI User Guide, "Configuration Groups
# Overview"): "You can also use wildcards in configuration groups. All objects that match the wildcard expression
# inherit the group configuration data"; "Using Wildcards with Configuration Groups": '<*>' matches any name,
# '<ge-*>' the names that begin with ge- (example "Establishing Regional Configurations": a group's
# 'interfaces <t3-*> { t3-options ... }' is inherited by the configured t3-0/0/0).  A wildcard names objects of
# the configuration: it creates none.
def _decide(text: str, src: str, dst: str, dport: int = 443) -> tuple[str, list]:
    from auditor.api import decision_json, make_packet
    from parsers.junos import parse_lines

    cfg, lines = parse_lines(BASE + text, "srx.set")
    assert lines.unaccounted() == []
    got = decision_json(cfg, make_packet(src, dst, "tcp", 49152, dport))
    return got["decision"], [(d.code, d.source.line, d.impact.value) for d in cfg.unrecognized]


PERMIT_WS_SRV = policy("ws", "srv", "p", *ANY, "match application any", "then permit")


def test_a_wildcard_group_of_interface_settings_is_inherited_by_the_matching_interfaces():  # [WILD]
    text = ("set groups JUMBO interfaces <ge-*> mtu 9192\n"
            "set groups JUMBO interfaces <*> description uplinks\n"
            "set apply-groups JUMBO\n") + PERMIT_WS_SRV
    # before: CFG300 at the apply-groups line, could change any verdict: every packet unknown
    assert _decide(text, "10.1.0.5", "10.2.0.10") == ("permit", [])


def test_a_wildcard_group_binding_a_filter_binds_it_on_each_matching_unit():  # [WILD]
    text = ("set groups NO-WEB interfaces <ge-0/0/2> unit <*> family inet filter output DROP-WEB\n"
            "set apply-groups NO-WEB\n"
            "set firewall family inet filter DROP-WEB term web from protocol tcp\n"
            "set firewall family inet filter DROP-WEB term web from destination-port 80\n"
            "set firewall family inet filter DROP-WEB term web then discard\n"
            "set firewall family inet filter DROP-WEB term rest then accept\n") + PERMIT_WS_SRV
    got = _decide(text, "10.1.0.5", "10.2.0.10", 80)
    assert got[0] == "deny" and got[1] == [], got  # before: unknown (CFG300 at the apply-groups line)
    assert _decide(text, "10.1.0.5", "10.2.0.10", 443)[0] == "permit"
    # a pattern that names no configured interface binds nothing
    other = text.replace("<ge-0/0/2>", "<xe-*>")
    assert _decide(other, "10.1.0.5", "10.2.0.10", 80) == ("permit", [])


def test_a_wildcard_group_route_is_inherited_beside_a_wildcard_that_matches_nothing():  # [WILD]
    # 'system syslog file <*>' names no configured file: nothing inherited from it; the route is the group's own
    text = ("set groups COMMON system syslog file <*> any any\n"
            "set groups COMMON routing-options static route 10.2.0.10/32 discard\n"
            "set apply-groups COMMON\n") + PERMIT_WS_SRV
    assert _decide(text, "10.1.0.5", "10.2.0.10")[0] == "deny"  # the discard route (before: unknown)
    assert _decide(text, "10.1.0.5", "10.2.0.11")[0] == "permit"


def test_wildcard_group_policies_in_a_zone_pair_the_configuration_fills_stay_reported():  # [WILD]
    grp = "".join("set groups G security policies from-zone <*> to-zone srv policy deny-ssh %s\n" % x
                  for x in (*ANY, "match application junos-ssh", "then deny"))
    got = _decide(grp + "set apply-groups G\n" + PERMIT_WS_SRV, "10.1.0.5", "10.2.0.10", 22)
    # the group's policy joins ws->srv, which the configuration fills too: their order is not modelled
    assert got == ("unknown", [("CFG300", N + 5, "global")]), got
    # a pair the configuration does not have is not created by the wildcard: untrust->srv has no policy
    only = policy("ws", "untrust", "p", *ANY, "match application any", "then permit")
    assert _decide(grp + "set apply-groups G\n" + only, "203.0.113.9", "10.2.0.10", 22) == ("deny", [])


def test_apply_groups_except_below_the_apply_level_keeps_the_group_out_of_that_level():
    # Juniper, "apply-groups-except" (Junos OS CLI reference): "Disable inheritance of a configuration group";
    # "Disabling Inheritance of a Junos OS Configuration Group": "To disable inheritance of a configuration group
    # at any level except the top level of the hierarchy, include the apply-groups-except statement"
    text = ("set groups NO-WEB interfaces <ge-*> unit <*> family inet filter output DROP-WEB\n"
            "set apply-groups NO-WEB\n"
            "set interfaces ge-0/0/2 apply-groups-except NO-WEB\n"
            "set firewall family inet filter DROP-WEB term web from protocol tcp\n"
            "set firewall family inet filter DROP-WEB term web from destination-port 80\n"
            "set firewall family inet filter DROP-WEB term web then discard\n"
            "set firewall family inet filter DROP-WEB term rest then accept\n") + PERMIT_WS_SRV
    # ge-0/0/2 (srv) inherits nothing of NO-WEB: web to the server passes; ge-0/0/0 (untrust) still has the filter
    # before: CFG300 at the apply-groups-except line, could change any verdict: unknown
    assert _decide(text, "10.1.0.5", "10.2.0.10", 80) == ("permit", [])
    out = text + policy("ws", "untrust", "o", *ANY, "match application any", "then permit")
    assert _decide(out, "10.1.0.5", "198.51.100.7", 80) == ("deny", [])
    # an exception at the top level, where the group is applied: not this case, still reported
    top = text.replace("set interfaces ge-0/0/2 apply-groups-except NO-WEB", "set apply-groups-except NO-WEB")
    assert _decide(top, "10.1.0.5", "10.2.0.10", 80)[0] == "unknown"


# [RANGE] Juniper, "Interface Ranges" (Interfaces Fundamentals for Routing Devices / EX Series): "Junos OS allows you
# to group a range of identical interfaces into an interface range ... apply a common configuration to the
# specified interface range"; members are named with 'member' (a name, or a wildcard such as ge-0/0/*) or
# 'member-range start-range to end-range' ("interfaces in lexical order"); a range's 'disable' therefore takes each
# member down, as the member's own 'disable' would.
def test_an_interface_range_disable_takes_exactly_its_members_down():  # [RANGE]
    unused = ("set interfaces interface-range UNUSED member-range ge-0/0/3 to ge-0/0/7\n"
              "set interfaces interface-range UNUSED description unused\n"
              "set interfaces interface-range UNUSED disable\n")
    # before: CFG300 at the 'disable' line, could change any verdict: every packet unknown
    assert _decide(unused + PERMIT_WS_SRV, "10.1.0.5", "10.2.0.10") == ("permit", [])
    for members in ("set interfaces interface-range R member-range ge-0/0/2 to ge-0/0/4\n",
                    "set interfaces interface-range R member ge-0/0/2\n",
                    "set interfaces interface-range R member ge-0/0/2*\n"):
        text = members + "set interfaces interface-range R disable\n" + PERMIT_WS_SRV
        # ge-0/0/2 (srv's unit) is down: the server is not reachable through the device
        assert _decide(text, "10.1.0.5", "10.2.0.10")[0] == "deny", members
    # a wildcard of another type takes none of these down
    text = "set interfaces interface-range R member xe-*\nset interfaces interface-range R disable\n" + PERMIT_WS_SRV
    assert _decide(text, "10.1.0.5", "10.2.0.10") == ("permit", [])
    # members written in a form not read: still reported at the 'disable' line
    text = ("set interfaces interface-range R member-range ge-0/0/1 to xe-0/0/2\n"
            "set interfaces interface-range R disable\n") + PERMIT_WS_SRV
    assert _decide(text, "10.1.0.5", "10.2.0.10") == ("unknown", [("CFG300", N + 2, "global")])

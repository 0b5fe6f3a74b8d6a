"""Junos SRX red team, session 28: applications written under a predefined junos- name, and more.

Documents cited (Juniper Networks):

* [DEFAULTS] "Using Junos OS Defaults Groups" (Junos OS 12.3 CLI User Guide,
  https://juniper.net/documentation/en_US/junos12.3/topics/concept/junos-cli-default-configuration-groups-overview.html):
  "Junos OS provides a hidden and immutable configuration group called junos-defaults that is automatically
  applied to the configuration"; "Because identifiers beginning with the name junos- are reserved for use by
  Juniper Networks, you cannot define any configuration objects using this name."
* [TIMEOUT] "Understanding Policy Application Timeout Configuration and Lookup" (Junos Security 10.2,
  https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41683.html):
  "You can set the timeout threshold for a predefined or custom application"; and the contingencies page of
  the same guide (junos-es92, "contingencies.html"): "Later you modify the timeout of the predefined application
  BGP as follows: set applications application bgp inactivity-timeout ...".  A field configuration does the same
  for today's names (``set applications application junos-ssh inactivity-timeout never``).

Expected decisions are read from these documents, not from the tool.
"""

from __future__ import annotations

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text
from parsers.junos import parse_lines
from tests.test_hunt7_srx import BASE, decide, parse, policy

DENY_SSH = policy("ws", "srv", "no-ssh", "match source-address any", "match destination-address any",
                  "match application junos-ssh", "then deny")
PERMIT_ALL = policy("ws", "srv", "all", "match source-address any", "match destination-address any",
                    "match application any", "then permit")


def test_a_predefined_application_given_a_timeout_keeps_its_ports():  # [TIMEOUT], [DEFAULTS]
    # before: the configured 'junos-ssh' replaced the predefined one, and with no protocol or port of its own it
    # matched nothing: SSH went on to 'all' and was called permitted, which the device denies at 'no-ssh'
    cfg = parse("set applications application junos-ssh inactivity-timeout never\n" + DENY_SSH + PERMIT_ALL)
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "deny"
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=23) == "permit"


def test_the_timeout_set_on_a_predefined_application_is_its_sessions_timeout():  # [TIMEOUT]
    text = "set applications application junos-ssh inactivity-timeout 7200\n" + policy(
        "ws", "srv", "ssh", "match source-address any", "match destination-address any",
        "match application junos-ssh", "then permit")
    cfg = parse(text)
    own = [t for t in cfg.timeouts if t.rule and t.idle_seconds == 7200]
    assert own and own[0].source.line == 8  # the inactivity-timeout statement (BASE has 7 lines)


def test_a_predefined_application_redefined_with_other_ports_is_reported_and_decides_nothing():  # [DEFAULTS]
    # the device refuses the definition, or merges it with junos-defaults' junos-http (TCP 80): the configuration's
    # own reading (TCP 8080 only) is neither, so no verdict may rest on it
    text = ("set applications application junos-http protocol tcp\n"
            "set applications application junos-http destination-port 8080\n") + policy(
        "ws", "srv", "web", "match source-address any", "match destination-address any",
        "match application junos-http", "then permit")
    cfg = parse(text)
    bad = [d for d in cfg.diagnostics if d.code == "CFG300"]
    assert len(bad) == 1 and bad[0].source.line == 8 and "junos-http" in bad[0].message
    assert bad[0].impact.value == "global"
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=8080) == "unknown"
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "unknown"


def test_a_new_application_under_a_junos_name_is_reported():  # [DEFAULTS]
    text = "set applications application junos-prinergy protocol tcp destination-port 445\n" + policy(
        "ws", "srv", "smb", "match source-address any", "match destination-address any",
        "match application junos-prinergy", "then permit")
    cfg = parse(text)
    assert [d.source.line for d in cfg.diagnostics if d.code == "CFG300"] == [8]
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=445) == "unknown"


# [AGING] Juniper, "aging" (Junos CLI reference, [edit security flow],
# https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/aging.html): "Direct the device to
# begin aggressively aging out sessions when the percentage of entries in the session table exceeds the
# high-watermark setting"; "high-watermark ... Default: 100 percent"; "early-ageout ... Amount of time that elapses
# before the device aggressively ages out a session ... Default: 20 seconds".
SITE = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]
LONG = ("set applications application PRI protocol tcp destination-port 1-65535 inactivity-timeout never\n" +
        policy("ws", "srv", "pri", "match source-address any", "match destination-address any",
               "match application PRI", "then permit"))


def _prn120(text: str) -> list:
    return [f for f in audit([parse_text(BASE + text, "srx.set")], load_site(None, SITE)).findings
            if f.rule_id == "PRN120"]


def test_aggressive_aging_below_a_full_table_leaves_the_idle_timeout_unknown():  # [AGING]
    assert _prn120(LONG) == []  # timeout 'never': passes
    aging = "set security flow aging early-ageout 20\nset security flow aging high-watermark 80\n"
    got = _prn120(LONG + aging)
    assert [f.status for f in got] == ["unknown"] and got[0].source.line == 14, [f.message for f in got]
    # the default high-watermark (100 percent: aging only when the table is full) changes nothing
    assert _prn120(LONG + "set security flow aging high-watermark 100\nset security flow aging early-ageout 9\n") == []



# [GROUPS] Juniper, "Using Wildcards with Configuration Groups" and "Configuration Groups" (Junos OS CLI User Guide):
# apply-groups makes the configuration inherit every statement of the group, routing-options and protocols
# included; a group this auditor does not expand (it uses <*> wildcards) loses all of them.
# [HOST-INBOUND] Juniper, "Understanding How to Control Inbound Traffic Based on Traffic Types" (Junos OS Security
# Devices): a zone's host-inbound-traffic says which traffic "destined for" the device itself its interfaces accept;
# transit traffic is decided by the security policies.
ANY = policy("ws", "srv", "all", "match source-address any", "match destination-address any",
             "match application any", "then permit")


def test_a_wildcard_group_carrying_a_route_is_not_management():  # [GROUPS]
    # before: the group was 'management only' (routing-options counted as management), left out without impact:
    # the discard route for 10.2.0.10 was lost and the packet was called permitted
    text = ("set groups COMMON system syslog file <*> any any\n"
            "set groups COMMON routing-options static route 10.2.0.10/32 discard\n"
            "set apply-groups COMMON\n") + ANY
    cfg, _ = parse_lines(BASE + text, "srx.set")
    # (session 30: wildcard groups are expanded; 'syslog file <*>' matches no configured file, the route is
    # inherited and drops the packet)
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "deny"
    learned = text.replace("routing-options static route 10.2.0.10/32 discard", "protocols ospf area 0 interface "
                                                                                  "ge-0/0/2.0")
    cfg, _ = parse_lines(BASE + learned, "srx.set")
    assert decide(cfg, "10.1.0.5", "172.16.0.10") == "unknown"  # OSPF may route it elsewhere
    # the same group without a wildcard is expanded: the discard route drops the packet
    cfg, _ = parse_lines(BASE + text.replace("file <*> any any", "file messages any any"), "srx.set")
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "deny"


def test_a_wildcard_group_of_zones_host_inbound_traffic_changes_no_transit_verdict():  # [GROUPS], [HOST-INBOUND]
    text = ("set groups ZONES security zones security-zone <*> host-inbound-traffic system-services ping\n"
            "set apply-groups ZONES\n"
            "set security zones security-zone srv apply-groups-except ZONES\n") + ANY
    cfg, _ = parse_lines(BASE + text, "srx.set")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "permit"
    # (session 30: the group is expanded; a screen it brings is read as one written in the zone, which the model
    # does not take as dropping the audited transit packets)
    screen = text.replace("host-inbound-traffic system-services ping", "screen untrust-screen")
    cfg, _ = parse_lines(BASE + screen, "srx.set")
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "permit"


def test_an_unknown_verdict_from_a_predefined_application_decided_at_run_time_says_why():
    """A predefined application whose packets the device picks at run time (``data.UNCERTAIN``: an ALG's, an RPC
    service's handed-out ports) leaves the policy's verdict unknown; the finding now says which application and
    why, where it said only "policy p1" (session 28's red team: "UNKNOWN by line N" with no reason)."""
    from auditor.api import decision_json, make_packet

    cfg = parse(policy("ws", "srv", "p1", "match source-address any", "match destination-address any",
                       "match application junos-smb", "then permit"))
    got = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 49152, 445))
    assert got["decision"] == "unknown"
    assert "junos-smb" in got["reason"] and "run time" in got["reason"]

"""PAN-OS security policy: zones, the default rules, rule order and match fields, as PAN-OS documents them.

Documents cited (Palo Alto Networks):

* [SPO] "Security Policy Overview", PAN-OS 9.0 web interface help,
  https://docs.paloaltonetworks.com/pan-os/9-0/pan-os-web-interface-help/policies/policies-security/security-policy-overview
  ("The default rules ... allow all intrazone traffic (within the zone) and deny all interzone traffic
  (between zones) ... you can Override them and change ... action (allow or deny)").
* [CSR] "Components of a Security Policy Rule", PAN-OS 11.1 admin guide,
  https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule
  (rule types universal / intrazone / interzone).
* [SZO] "Security Zone Overview", PAN-OS 8.1 web interface help,
  https://docs.paloaltonetworks.com/pan-os/8-1/pan-os-web-interface-help/network/network-zones/security-zone-overview.html
  ("An interface on the firewall must be assigned to a security zone before the interface can process
  traffic ... Traffic can flow freely within a zone").
* [PRR] "Work with Policy Rules on Panorama (REST API)",
  https://docs.paloaltonetworks.com/ngfw/api/pan-os-rest-api-use-cases/work-with-policy-rules-on-panorama-rest-api
  ("Pre Rules are added to the top of the rule order and are evaluated first, and Post Rules are added
  after any locally defined rules on the firewall").
* [APD] "Tips & Tricks: What Does Application-default Under Service Mean?", Palo Alto Networks
  knowledge base, https://knowledgebase.paloaltonetworks.com/KCSArticleDetail?id=kA10g000000ClVwCAK
  ("Application-Default - ... the selected applications are allowed or denied only on their default
  ports defined by Palo Alto Networks").
* [SVC] "Policy Object: Services", https://docs.paloaltonetworks.com/network-security/security-policy/objects/services
  ("The HTTP and HTTPS services are predefined"); their ports (TCP 80 and 8080; TCP 443) as Batfish
  models them (batfish/batfish, representation/palo_alto/ServiceBuiltIn.java).
* [NPO] "NAT Policy Overview", PAN-OS 10.1 networking admin guide,
  https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-networking-admin/nat/nat-policy-rules/nat-policy-overview.html
  ("the set of IPv4 addresses is treated as a subset of the set of IPv6 addresses ... The keyword any is
  equivalent to ::/0 ... the firewall converts an IPv4 address into an IPv6 prefix where the first 96
  bits are 0").
"""

from __future__ import annotations

import pytest
from panos_util import BASE, allow, cfg_of, decide, explain_of, rule

WS, WS2, SRV, NET, NOZONE = "10.30.0.5", "10.31.0.5", "10.20.0.10", "8.8.8.8", "10.50.0.5"


# --- default rules [SPO] [SZO] ---------------------------------------------------------------

def test_interzone_default_deny_and_intrazone_default_allow():
    cfg = cfg_of(BASE)
    assert decide(cfg, WS, SRV) == "deny"  # workshop -> servers: interzone-default
    assert decide(cfg, WS, WS2) == "permit"  # ethernet1/2 -> ethernet1/4, both zone workshop
    o = explain_of(cfg, WS, SRV)
    assert "interzone default deny" in o["reason"]
    assert "intrazone default allow" in explain_of(cfg, WS, WS2)["reason"]


def test_default_rules_can_be_overridden():
    text = BASE + ("set rulebase default-security-rules rules intrazone-default action deny\n"
                   "set rulebase default-security-rules rules interzone-default action allow\n")
    cfg = cfg_of(text)
    assert decide(cfg, WS, WS2) == "deny"
    assert decide(cfg, WS, SRV) == "permit"
    o = explain_of(cfg, WS, WS2)
    assert o["default_line"] == text.splitlines().index(
        "set rulebase default-security-rules rules intrazone-default action deny") + 1


def test_an_interface_in_no_zone_passes_nothing():
    cfg = cfg_of(BASE + allow("all", frm="any", to="any"))
    assert decide(cfg, NOZONE, SRV) == "deny"
    assert decide(cfg, SRV, NOZONE) == "deny"
    assert "no zone" in explain_of(cfg, NOZONE, SRV)["reason"]


def test_hosts_on_one_connected_network_do_not_cross_the_firewall():
    cfg = cfg_of(BASE + allow("deny-all", frm="any", to="any", action="deny"))
    o = explain_of(cfg, "10.30.0.5", "10.30.0.6")
    assert o["decision"] == "permit" and "does not cross the firewall" in o["reason"] and o["line"] is None
    # routed back out of the interface it came in on (to a network behind it): the intrazone rules decide
    cfg = cfg_of(BASE + allow("deny-all", frm="any", to="any", action="deny") +
                 "set network virtual-router default routing-table ip static-route lab destination 10.99.0.0/16 "
                 "nexthop ip-address 10.30.0.254\n")
    assert decide(cfg, "10.30.0.5", "10.99.0.1") == "deny"


# --- order and fields -----------------------------------------------------------------------

def test_first_match_in_rulebase_order_and_disabled_rules_skipped():
    text = BASE + allow("deny-smb", svc="smb", action="deny") + allow("all") + \
        "set service smb protocol tcp port 445\n"
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    assert decide(cfg, WS, SRV, dport=80) == "permit"
    cfg = cfg_of(text + rule("deny-smb", disabled="yes"))
    assert decide(cfg, WS, SRV, dport=445) == "permit"


@pytest.mark.parametrize("action,want", [("allow", "permit"), ("deny", "deny"), ("drop", "deny"),
                                         ("reset-client", "deny"), ("reset-server", "deny"),
                                         ("reset-both", "deny")])
def test_actions(action, want):
    cfg = cfg_of(BASE + allow("r", action=action, frm="workshop", to="workshop"))
    assert decide(cfg, WS, WS2) == want


def test_a_rule_is_in_each_zone_pair_filter_with_one_source():
    text = BASE + allow("r", frm=["workshop", "untrust"], to="servers")
    cfg = cfg_of(text)
    a, b = cfg.filters["workshop->servers"].rules[0], cfg.filters["untrust->servers"].rules[0]
    assert a.source == b.source and a.source.line == text.splitlines().index(
        "set rulebase security rules r from [ workshop untrust ]") + 1
    assert set(cfg.filters) == {"workshop->servers", "untrust->servers"}


def test_zone_any_is_every_zone():
    cfg = cfg_of(BASE + allow("r", frm="any", to="servers"))
    assert {"workshop->servers", "untrust->servers", "servers->servers"} == set(cfg.filters)


def test_rule_types_intrazone_and_interzone():  # [CSR]
    deny_intra = allow("r", frm=["workshop", "servers"], to=["workshop", "servers"], action="deny",
                       rule_type="intrazone")
    cfg = cfg_of(BASE + deny_intra)
    assert set(cfg.filters) == {"workshop->workshop", "servers->servers"}
    assert decide(cfg, WS, WS2) == "deny"
    deny_inter = allow("r", frm=["workshop", "servers"], to=["workshop", "servers"], action="allow",
                       rule_type="interzone")
    cfg = cfg_of(BASE + deny_inter)
    assert set(cfg.filters) == {"workshop->servers", "servers->workshop"}
    assert decide(cfg, WS, SRV) == "permit"


def test_negate_source_and_destination():
    cfg = cfg_of(BASE + allow("r", src="10.30.0.0/25", negate_source="yes"))
    assert decide(cfg, "10.30.0.5", SRV) == "deny"
    assert decide(cfg, "10.30.0.200", SRV) == "permit"
    cfg = cfg_of(BASE + allow("r", dst="10.20.0.10", negate_destination="yes"))
    assert decide(cfg, WS, "10.20.0.10") == "deny"
    assert decide(cfg, WS, "10.20.0.11") == "permit"


def test_unknown_match_fields_make_the_rule_uncertain():
    for extra in ({"source_user": "example\\\\alice"}, {"category": "news"}, {"source_hip": "corp-laptops"},
                  {"schedule": "office-hours"}):
        cfg = cfg_of(BASE + allow("r", **extra))
        o = explain_of(cfg, WS, SRV)
        assert o["decision"] == "unknown", extra
    cfg = cfg_of(BASE + allow("r", source_user="any", category="any"))
    assert decide(cfg, WS, SRV) == "permit"


def test_panorama_pre_rules_then_local_then_post():  # [PRR]
    text = BASE + allow("local-deny", action="deny", svc="service-https") + \
        "set policy panorama pre-rulebase security rules pre-allow from workshop to servers source any " \
        "destination any application any service service-https action allow\n" + \
        "set policy panorama post-rulebase security rules post-allow from workshop to servers source any " \
        "destination any application any service service-http action allow\n"
    cfg = cfg_of(text)
    names = [r.source.text.split(" rules ")[1].split()[0] for r in cfg.filters["workshop->servers"].rules]
    assert names == ["pre-allow", "local-deny", "post-allow"]
    assert decide(cfg, WS, SRV, dport=443) == "permit"


# --- services and applications [APD] [SVC] ------------------------------------------------------

def test_predefined_services_http_and_https():
    cfg = cfg_of(BASE + allow("web", svc=["service-http", "service-https"]))
    for port, want in ((80, "permit"), (8080, "permit"), (443, "permit"), (8443, "deny"), (81, "deny")):
        assert decide(cfg, WS, SRV, dport=port) == want, port
    assert decide(cfg, WS, SRV, "udp", 80) == "deny"


def test_application_any_with_service_any_is_every_packet():
    cfg = cfg_of(BASE + allow("all"))
    assert decide(cfg, WS, SRV, "icmp", 8 * 256) == "permit"
    assert decide(cfg, WS, SRV, "udp", 53) == "permit"
    assert cfg.filters["workshop->servers"].rules[0].maybe.cubes == ()


def test_service_objects_groups_and_source_ports():
    text = BASE + allow("r", svc="grp") + (
        "set service a protocol tcp port 445,1000-2000\n"
        "set service b protocol udp port 53 source-port 1024-65535\n"
        "set service-group inner members a\n"
        "set service-group grp members [ inner b ]\n")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV, dport=1500) == "permit"
    assert decide(cfg, WS, SRV, dport=2001) == "deny"
    assert decide(cfg, WS, SRV, "udp", 53, sport=5000) == "permit"
    assert decide(cfg, WS, SRV, "udp", 53, sport=53) == "deny"
    assert decide(cfg, WS, SRV, "icmp", 8 * 256) == "deny"


def test_application_rules_are_unknown_never_guessed():
    # web-browsing on application-default: App-ID's ports, not in the config -> unknown
    cfg = cfg_of(BASE + allow("web", app="web-browsing", svc="application-default"))
    assert decide(cfg, WS, SRV, dport=80) == "unknown"
    assert decide(cfg, WS, SRV, dport=445) == "unknown"
    # an application with an explicit service: unknown on that service only, the rest falls through
    cfg = cfg_of(BASE + allow("smb", app="ms-ds-smb", svc="smb") + "set service smb protocol tcp port 445\n")
    assert decide(cfg, WS, SRV, dport=445) == "unknown"
    assert decide(cfg, WS, SRV, dport=80) == "deny"
    # an application identified by its IP protocol alone (Applipedia: icmp) can only be ICMP
    cfg = cfg_of(BASE + allow("ping", app="icmp", svc="application-default"))
    assert decide(cfg, WS, SRV, "icmp", 8 * 256) == "unknown"
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    # application-default with application any: each application's own ports -> unknown
    cfg = cfg_of(BASE + allow("r", app="any", svc="application-default"))
    assert decide(cfg, WS, SRV, dport=445) == "unknown"


def test_an_application_rule_that_may_match_still_has_its_action():
    # whether App-ID names a session web-browsing is unknown, but an allow rule allows what it matches [CSR]:
    # allowed by it or by the allow-all below, the session is allowed either way; a deny rule for an
    # application above the interzone default deny denies either way; an allow above the default deny is unknown
    cfg = cfg_of(BASE + allow("web", app="web-browsing", svc="application-default") + allow("all"))
    got = explain_of(cfg, WS, SRV, dport=80)
    assert got["decision"] == "permit" and "may decide it first" in got["reason"]
    cfg = cfg_of(BASE + allow("no-smb", app="ms-ds-smb", svc="application-default", action="deny"))
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    cfg = cfg_of(BASE + allow("web", app="web-browsing", svc="application-default"))
    assert decide(cfg, WS, SRV, dport=80) == "unknown"
    # an allow for an application that a deny-all follows: allowed or denied, unknown
    cfg = cfg_of(BASE + allow("web", app="web-browsing", svc="application-default") + allow("none", action="deny"))
    assert decide(cfg, WS, SRV, dport=80) == "unknown"


def test_custom_application_default_ports_come_from_the_config():
    text = BASE + allow("r", app="prinergy-app", svc="application-default") + (
        "set application prinergy-app category business-systems\n"
        "set application prinergy-app default port [ tcp/1024-9000 udp/5000 ]\n")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV, dport=2000) == "unknown"
    assert decide(cfg, WS, SRV, "udp", 5000) == "unknown"
    assert decide(cfg, WS, SRV, dport=445) == "deny"  # not its default port: the rule cannot match


# --- addresses [NPO] ------------------------------------------------------------------------------

def test_address_objects_and_nested_groups():
    text = BASE + allow("r", src="WS-ALL", dst="SRV") + (
        "set address ws1 ip-netmask 10.30.0.0/25\n"
        "set address ws2 ip-range 10.31.0.10-10.31.0.20\n"
        "set address SRV ip-netmask 10.20.0.10\n"
        "set address-group WS-A static ws1\n"
        "set address-group WS-ALL static [ WS-A ws2 ]\n")
    cfg = cfg_of(text)
    assert decide(cfg, "10.30.0.100", SRV) == "permit"
    assert decide(cfg, "10.30.0.200", SRV) == "deny"
    assert decide(cfg, "10.31.0.20", SRV) == "permit"
    assert decide(cfg, "10.31.0.21", SRV) == "deny"
    assert decide(cfg, "10.30.0.100", "10.20.0.11") == "deny"


def test_an_ipv6_block_covering_the_first_96_bits_matches_ipv4():
    cfg = cfg_of(BASE + allow("r", src="::/0") + allow("late", action="deny"))
    assert decide(cfg, WS, SRV) == "permit"
    cfg = cfg_of(BASE + allow("r", src="2001:db8::/32"))
    assert decide(cfg, WS, SRV) == "deny"


def test_fqdn_dynamic_groups_external_lists_and_undefined_names_are_unknown():
    text = BASE + allow("r", src="SRV-FQDN") + "set address SRV-FQDN fqdn ws.example.com\n"
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "unknown"
    assert any("FQDN" in d.message for d in cfg.unrecognized)
    text = BASE + allow("r", src="DAG") + "set address-group DAG dynamic filter \"'workshop'\"\n"
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "unknown"
    text = BASE + allow("r", src="NOPE")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "unknown"
    [d] = [d for d in cfg.diagnostics if d.code == "CFG301"]
    assert "NOPE" in d.message and d.source.line == text.splitlines().index(
        "set rulebase security rules r source NOPE") + 1


def test_a_group_containing_itself_is_reported_and_unknown():
    text = BASE + allow("r", src="g1") + ("set address-group g1 static g2\n"
                                          "set address-group g2 static [ g1 ]\n")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "unknown"
    assert any("contains itself" in d.message for d in cfg.unrecognized)


def test_wildcard_addresses_are_exact_sets_but_rules_using_them_uncertain():
    text = BASE + allow("r", src="wc") + "set address wc ip-wildcard 10.30.0.1/0.0.0.254\n"
    cfg = cfg_of(text)
    assert decide(cfg, "10.30.0.5", SRV) == "unknown"  # odd: inside the wildcard
    assert decide(cfg, "10.30.0.6", SRV) == "deny"  # even: outside it
    from auditor.core.packets import addr_to_int
    from parsers.panos.objects import wildcard
    s = wildcard("10.30.0.1/0.0.0.254")
    assert addr_to_int("10.30.0.255") in s and addr_to_int("10.30.0.254") not in s and s.size() == 128


# --- accounting ------------------------------------------------------------------------------------

def test_every_line_is_accounted_for_and_unknown_settings_reported():
    from parsers.panos import parse_with_lines

    text = BASE + allow("r", frm="workshop") + "set rulebase security rules r frobnicate yes\n" + \
        "set rulebase security rules r log-end yes\n"
    assert parse_with_lines(text, "x")[1].unaccounted() == []
    cfg = cfg_of(text)
    [d] = cfg.unrecognized
    assert "frobnicate" in d.message and d.impact.value == "filter"
    assert decide(cfg, WS, SRV) == "unknown"


def test_the_set_forms_fast_rule_lines_are_filed_as_the_general_reader_files_them():
    """``Collector.fast_rule`` takes most security rule lines without building a statement: each
    line it takes must end as the general reader leaves it (settings, line states, reasons), and
    the shapes it declines (several settings, stray brackets, quotes but around one value) are left
    to that reader."""
    from parsers.panos import scan
    from parsers.panos.collect import Collector
    from parsers.panos.scan import PanLines

    rule = "set rulebase security rules r%d "
    bodies = ["from [ trust ]", "to untrust", "source [ a b ]", "destination any", "tag [ legacy other ]",
              "tag one", "log-setting siem", "profile-setting group g", "option disable-server-response-inspection yes",
              "tag [ a ] disabled ]", "source [ a ] b ]", "tag [ a ] description [ x ]", "tag x]", "tag [abc",
              "description d", "source [ c ] destination [ d ]", "action allow", "disabled yes", "qos marking x",
              "frobnicate yes", "tag a b", "source a b",
              # quoted: one value it takes ('description "a b"'), the rest it leaves
              'description "change 10503"', 'description "it\'s [x]"', 'description ""', 'tag "a b"',
              'description "a" b', 'description "a "b" c"', 'description  "a"', 'description \'a b\'',
              'description "a', 'source "a b"', 'log-setting "siem"', 'option "x"', 'frobnicate "x"']
    text = "".join((rule % k) + body + "\n" for k, body in enumerate(bodies * 2))
    text += 'set rulebase security rules "r q" description "d"\nset rulebase security rules r\'q description "d"\n'
    # names no PAN-OS rule has (brackets): the general reader splits them and reports the line
    text += "".join("set rulebase security rules %s from trust\n" % n for n in ("a]b", "a[b", "[ab", "ab]"))

    def read(fast: bool):
        lines = PanLines(text, "x")
        col = Collector(lines)
        scan.read(text, lines.raw, col.feed, col.fast_rule if fast else None)
        rules = col.space("vsys1").security["local"]
        return ({n: (d.line, d.attrs, d.unknown) for n, d in rules.items()}, lines.state, dict(lines.ignored_why),
                [(x.source.line, x.message) for x in lines.diagnostics])

    assert read(True) == read(False)


# One 'set' command may set several settings of a rule ("set rulebase security rules R from trust to
# untrust ... action allow", PAN-OS CLI, configuration mode: https://docs.paloaltonetworks.com/pan-os/11-1/
# pan-os-cli-quick-start/use-the-cli/use-configuration-mode); settings after a security profile group,
# a rule option or a QoS marking belong to the rule, not to them.
@pytest.mark.parametrize("mid", ["profile-setting group default", "option disable-server-response-inspection no",
                                 "profile-setting profiles virus default spyware strict", "qos marking ip-dscp af11"])
def test_settings_after_a_profile_option_or_qos_on_one_command_are_read(mid):
    text = BASE + allow("ws") + "set rulebase security rules ws %s disabled yes\n" % mid
    cfg = cfg_of(text)
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    [r] = cfg.filters["workshop->servers"].rules
    assert not r.enabled
    assert decide(cfg, WS, SRV) == "deny"


def test_a_rules_reasons_read_the_same_in_every_process():
    # the uncertain settings of a rule were gathered from a set: their order in its note followed the
    # process's string hashing (PYTHONHASHSEED), so a report could differ from run to run
    import os
    import subprocess
    import sys

    text = BASE + allow("r1", frm="workshop", to="servers") + rule(
        "r1", **{"source-user": "corp\\\\alice", "source-hip": "hip1", "category": "news"})
    code = ("import sys; sys.path.insert(0, %r); from parsers.panos import parse; "
            "c = parse(sys.stdin.read(), 'fw.set'); print([r.note for f in c.filters.values() for r in f.rules])"
            % os.getcwd())
    notes = {subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True).stdout
             for seed in range(8)}
    assert len(notes) == 1, notes
    assert "user" in next(iter(notes)) and "HIP" in next(iter(notes))

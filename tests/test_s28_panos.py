"""PAN-OS red-team findings, session 28.

Documents cited (Palo Alto Networks):

* [AO] "Policies > Application Override", PAN-OS 10.1 web interface help,
  https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-web-interface-help/policies/policies-application-override
  ("To change how the firewall classifies network traffic into applications, you can specify application
  override policies ... an application override policy can be used to identify traffic for that application
  according to zone, source and destination address, port, and protocol").
* [ST] "Session Timeouts" (Device > Setup > Session),
  https://docs.paloaltonetworks.com/ngfw/help/12-1/device/device-setup-session/session-timeouts
  ("When configured, timeouts for an application override the global TCP, UDP, or SCTP session timeouts").

The expected values below are read from these documents, not from the tool.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "panos"))
from panos_util import BASE, allow, auto, cfg_of, decide, explain_of, line_of  # noqa: E402

from auditor.api import audit  # noqa: E402
from auditor.core.model import Impact  # noqa: E402
from auditor.policy import load_site  # noqa: E402

WS, SRV = "10.30.0.5", "10.20.0.10"
SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]

# a custom application with a long timer, and an application override rule that makes Workshop -> server TCP
# 1000-20000 that application (the classic use of an override: a long-lived client-server protocol)
OVERRIDE = (
    "set application prin-app category business-systems subcategory database technology client-server risk 1\n"
    "set application prin-app default port tcp/1000-20000\n"
    "set application prin-app tcp-timeout 28800\n"
    "set rulebase application-override rules ao from workshop to servers source any destination any "
    "protocol tcp port 1000-20000 application prin-app\n")
S_ALL = "set service prin protocol tcp port 80,445,1000-20000\n"


def test_an_application_override_changes_no_security_verdict_of_an_application_any_rule():  # [AO]
    # the override decides which application the sessions are; a rule of application 'any' matches whatever the
    # application, so it permits them, and what no rule matches meets the interzone default deny
    text = BASE + S_ALL + OVERRIDE + allow("r1", svc="prin")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV, dport=1500) == "permit"  # was 'unknown': the override 'could change any verdict'
    assert decide(cfg, WS, SRV, dport=445) == "permit"
    assert decide(cfg, WS, SRV, dport=22) == "deny"
    assert decide(cfg, SRV, WS, dport=1500) == "deny"
    # still reported at its line, as a line that may change the sessions' timeouts
    rep = [d for d in cfg.diagnostics if d.source.line == line_of(text, "application-override")]
    assert len(rep) == 1 and rep[0].impact is Impact.FILTER and rep[0].scope == "timeouts"


def test_a_rule_naming_applications_stays_uncertain_under_an_application_override():  # [AO]
    # a deny for the custom application above an allow-all: the overridden sessions are prin-app, so denied;
    # the configuration says which sessions the override takes, but this version does not model it: unknown,
    # never permit
    text = BASE + S_ALL + OVERRIDE + allow("no-prin", app="prin-app", svc="application-default", action="deny") \
        + allow("all")
    assert decide(cfg_of(text), WS, SRV, dport=1500) == "unknown"


def test_an_application_override_leaves_the_workshop_sessions_timer_not_passed():  # [AO] [ST]
    # the overridden sessions' timer is prin-app's, the others' App-ID's: PRN120 never passes on a guess
    text = BASE + S_ALL + OVERRIDE + allow("r1", svc="prin") + allow("r2", frm="servers", to="workshop", svc="prin") \
        + "set deviceconfig setting session timeout-tcp 28800\n"
    got = [f for f in audit([auto(text, "fw")], load_site(None, SITE)).findings if f.rule_id == "PRN120"]
    assert got and all(f.status == "unknown" for f in got)


# --- Panorama's pushed policy on a firewall of several virtual systems -----------------------------------------
# [DG] Panorama web interface help, "Panorama > Device Groups" (https://docs.paloaltonetworks.com/ngfw/help/10-2/
# panorama-web-interface/use-the-panorama-web-interface): "Device groups can include physical firewalls, virtual
# firewalls, and virtual systems"; [DGV] "Device Group Push to a Multi-VSYS Firewall" (Panorama administrator's guide,
# https://docs.paloaltonetworks.com/panorama/11-1/panorama-admin/manage-firewalls/manage-device-groups/
# device-group-push-to-a-multi-vsys-firewall): each virtual system of a firewall may be in its own device group.
# The pushed policy written as 'policy panorama ...' does not say which virtual system a rule was pushed to; a
# rule's zones are its virtual system's (a zone is defined per virtual system).

MULTI = """\
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 10.3.0.1/24
set network interface ethernet ethernet1/4 layer3 ip 10.4.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ethernet1/4 ]
set vsys vsys1 zone servers network layer3 ethernet1/1
set vsys vsys1 zone workshop network layer3 ethernet1/2
set vsys vsys2 zone %s network layer3 ethernet1/3
set vsys vsys2 zone %s network layer3 ethernet1/4
set policy panorama pre-rulebase security rules p1 from workshop to servers source any destination any \
application any service any action allow
"""


def test_a_pushed_rule_whose_zones_only_one_vsys_has_is_that_vsys_rule():  # [DG]
    cfg = cfg_of(MULTI % ("c", "d"))
    assert decide(cfg, WS, SRV) == "permit"
    # (it names vsys1's zones: no 'undefined zone' error for vsys2, which it is not for)
    assert [d.message for d in cfg.diagnostics if d.code == "CFG301"] == []


def test_a_pushed_rule_whose_zones_several_vsys_have_matches_maybe():  # [DG] [DGV]
    # both virtual systems have zones 'workshop' and 'servers': Panorama may have pushed p1 to vsys2 only, where
    # vsys1's Workshop traffic meets the interzone default deny; was 'permit' in both
    cfg = cfg_of(MULTI % ("workshop", "servers"))
    got = explain_of(cfg, WS, SRV)
    assert got["decision"] == "unknown" and "which one is not in the configuration" in got["reason"]
    assert decide(cfg, "10.3.0.5", "10.4.0.10") == "unknown"
    # a deny below it in the vsys's own rules: allowed or denied, unknown; an allow below it: allowed either way
    text = MULTI % ("workshop", "servers") + \
        "set vsys vsys1 rulebase security rules all from workshop to servers source any destination any " \
        "application any service any action allow\n"
    assert decide(cfg_of(text), WS, SRV) == "permit"


def test_a_pushed_nat_rule_whose_zones_several_vsys_have_translates_maybe():  # [DG]
    nat = ("set policy panorama pre-rulebase nat rules d from workshop to servers source any destination 10.20.0.99 "
           "service any destination-translation translated-address 10.20.0.10\n")
    [t1, t2] = cfg_of(MULTI % ("workshop", "servers") + nat).nat
    assert not any(r.match.cubes for r in t1.rules + t2.rules)  # (was certain in vsys1)
    assert t1.rules[0].maybe.cubes
    # zones of vsys1 only: vsys1's, for certain, and not in vsys2's table
    tables = cfg_of(MULTI % ("c", "d") + nat).nat
    assert len(tables) == 1 and tables[0].rules[0].match.cubes


def test_a_default_rule_override_pushed_to_a_multi_vsys_firewall_is_reported():  # [DG]
    text = MULTI % ("c", "d") + \
        "set policy panorama post-rulebase default-security-rules rules interzone-default action allow\n"
    cfg = cfg_of(text)
    rep = [d for d in cfg.diagnostics if d.source.line == line_of(text, "interzone-default")]
    assert rep and rep[0].impact is Impact.GLOBAL


# --- check-change on rules written one 'set' command each --------------------------------------------------------
# PAN-OS's CLI takes several settings of a rule on one command ('set rulebase security rules R from a to b source
# any ... action allow', as Batfish's PAN-OS test configurations write them; docs/vendors/panos.md) and stores each
# setting on its own; 'delete rulebase security rules R service S' removes that member, and 'rename' renames every
# reference with the object (the XML API's action=rename, parsers/panos/change.py RENAME_DOC).

ONE_LINE = BASE + (
    "set service prin protocol tcp port 80,1000-20000\n"
    "set service prinu protocol udp port 37002,50010\n"
    "set service s445 protocol tcp port 445\n"
    "set rulebase security rules deny-smb from workshop to servers source any destination any application any "
    "service s445 action deny\n"
    "set rulebase security rules ws from workshop to servers source any destination any application any "
    "service [ prin prinu s445 ] action allow\n")


def _applied(change: str):
    from parsers.panos.change import apply_change
    return cfg_of(apply_change(ONE_LINE, change, "cr.txt"), "fw.set")


def test_delete_reaches_a_setting_of_a_rule_written_on_one_command():
    assert decide(cfg_of(ONE_LINE), WS, SRV, "udp", 37002) == "permit"
    cfg = _applied("delete rulebase security rules ws service prinu\n")  # was an error: 'nothing ... matches it'
    assert decide(cfg, WS, SRV, "udp", 37002) == "deny"
    assert decide(cfg, WS, SRV, dport=1500) == "permit" and decide(cfg, WS, SRV, dport=445) == "deny"
    cfg = _applied("delete rulebase security rules deny-smb\n")
    assert decide(cfg, WS, SRV, dport=445) == "permit"
    cfg = _applied("set rulebase security rules deny-smb disabled yes\n")
    assert decide(cfg, WS, SRV, dport=445) == "permit"


def test_rename_renames_a_reference_inside_a_rule_written_on_one_command():
    # was: the object renamed, the rule's reference left as 's445' (undefined: the deny uncertain, 445 unknown)
    cfg = _applied("rename service s445 to smb\n")
    assert [d.message for d in cfg.diagnostics if d.code == "CFG301"] == []
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    assert decide(cfg, WS, SRV, dport=1500) == "permit"

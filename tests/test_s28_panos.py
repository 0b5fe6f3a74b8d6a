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
from panos_util import BASE, allow, auto, cfg_of, decide, line_of  # noqa: E402

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

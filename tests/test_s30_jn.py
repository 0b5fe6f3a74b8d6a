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

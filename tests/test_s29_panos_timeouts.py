"""PAN-OS timeouts of zero and out of range (session 29, PAN-OS red team, round 2).

Palo Alto Networks, "Defining Applications" (Objects > Applications, PAN-OS web interface help):
"Timeout — Enter the number of seconds before an idle application flow is terminated (range is 0-604800
seconds). A zero indicates that the default timeout of the application will be used. This value is used for
protocols other than TCP and UDP in all cases and for TCP and UDP timeouts when the TCP timeout and UDP timeout
are not specified." and "TCP Timeout — ... (range is 0-604800 seconds). A zero indicates that the default
timeout of the application will be used."

"Maintain Custom Timeouts for Data Center Applications" (a service's Override):
"Enter a TCP Timeout value ... The value range is 1 - 604800, and the default value is 3600 seconds."

Before, each zero was read as a 0-second timer: PRN120 failed with "idle timeout 0:00:00" where the sessions have
the application's default timer (a custom application's: timeout-tcp; a predefined one's: App-ID's, unknown),
and a service override of 0 (which PAN-OS refuses) was a 0-second timer too.  Expected values are the
documents', not the tool's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "panos"))
from panos_util import BASE, allow, auto, cfg_of, line_of  # noqa: E402

from auditor.api import audit  # noqa: E402
from auditor.policy import load_site  # noqa: E402

SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]
APP = ("set application prin category business-systems subcategory database technology client-server risk 1 "
       "default port tcp/445\n")
LONG = "set deviceconfig setting session timeout-tcp 28800\n"
SHORT = "set deviceconfig setting session timeout-tcp 1800\n"


def prn120(text: str) -> list:
    return [f for f in audit([auto(text, "fw")], load_site(None, SITE)).findings if f.rule_id == "PRN120"]


def _app_rule(extra: str, glob: str) -> str:
    # the custom application's rule above an allow-all: the Workshop's SMB is permitted either way, and the
    # sessions App-ID names 'prin' have the application's timer
    return BASE + APP + extra + allow("r1", app="prin", svc="application-default") + allow("all") + glob


@pytest.mark.parametrize("key", ["tcp-timeout", "timeout"])
def test_a_custom_application_timer_of_zero_is_the_default_not_zero_seconds(key):
    text = _app_rule("set application prin %s 0\n" % key, LONG)
    got = prn120(text)
    assert not [f for f in got if f.status == "fail"], [f.message for f in got]
    assert not [f for f in got if "0:00:00" in f.message or "timeout 0 s" in f.message]
    # (with a short global timeout, the custom application's default, timeout-tcp, fails at its rule)
    short = [f for f in prn120(_app_rule("set application prin %s 0\n" % key, SHORT)) if f.status == "fail"]
    assert short and all("1800" in f.message or "0:30:00" in f.message for f in short), [f.message for f in short]


def test_a_custom_application_tcp_timeout_of_zero_falls_back_to_its_timeout():
    # "Timeout ... is used ... for TCP and UDP timeouts when the TCP timeout ... [is] not specified", and a
    # TCP timeout of zero is "the default timeout of the application"
    text = _app_rule("set application prin tcp-timeout 0\nset application prin timeout 1800\n", LONG)
    fails = [f for f in prn120(text) if f.status == "fail"]
    assert fails and all("1800" in f.message and "prin" in f.message for f in fails), [f.message for f in fails]


def test_a_predefined_application_timer_overridden_to_zero_is_app_ids_own():
    text = BASE + "set override application ms-ds-smb tcp-timeout 0\n" + \
        allow("r1", app="ms-ds-smb", svc="application-default") + allow("all") + LONG
    got = prn120(text)
    assert got and all(f.status == "unknown" for f in got), [(f.status, f.message) for f in got]


@pytest.mark.parametrize("value", ["0", "604801"])
def test_a_service_override_timeout_out_of_range_is_reported_and_sets_no_timer(value):
    text = BASE + "set service s445 protocol tcp port 445 override yes timeout %s\n" % value + allow("r1", svc="s445")
    got = prn120(text)
    assert got and all(f.status == "unknown" for f in got), [(f.status, f.message) for f in got]
    n = line_of(text, "override yes timeout")
    assert any(d.source.line == n for d in cfg_of(text).unrecognized)


def test_a_service_override_timeout_at_the_range_ends_is_kept():
    for value, status in (("1", "fail"), ("604800", None)):
        text = BASE + "set service s445 protocol tcp port 445 override yes timeout %s\n" % value + \
            allow("r1", svc="s445")
        got = prn120(text)
        assert [f.status for f in got] == ([status] if status else []), [(f.status, f.message) for f in got]


def test_a_custom_application_timeout_above_the_range_is_reported():
    text = _app_rule("set application prin tcp-timeout 604801\n", LONG)
    n = line_of(text, "tcp-timeout")
    assert any(d.source.line == n for d in cfg_of(text).unrecognized)

"""PAN-OS session timeouts of App-ID applications (PRN120), session 27.

Documents cited (Palo Alto Networks):

* [ST] "Session Timeouts" (Device > Setup > Session),
  https://docs.paloaltonetworks.com/ngfw/help/12-1/device/device-setup-session/session-timeouts
  ("In addition to the global settings, you have the flexibility to define timeouts for an individual
  application in the Objects > Applications tab ... When configured, timeouts for an application override
  the global TCP, UDP, or SCTP session timeouts").
* [CST] "Configure Session Timeouts", PAN-OS 10.2,
  https://docs.paloaltonetworks.com/pan-os/10-2/pan-os-networking-admin/session-settings-and-timeouts/configure-session-settings
  ("If you change the TCP or UDP timers at the application level, these timers for predefined applications
  and shared custom applications will be implemented across all virtual systems").
* [SBT] "Maintain Custom Timeouts for Data Center Applications",
  https://docs.paloaltonetworks.com/content/techdocs/en_US/ngfw/administration/app-id/service-based-session-timeouts.html
  (a service's session timeout: "Inherit from application (default)—No service-based timeouts are applied;
  instead, apply the application timeout"; "Override—Define a custom session timeout for the service";
  "add the service object in a policy rule to apply the custom timeouts to the application(s) the rule
  enforces").

A predefined application's own timeout is App-ID content, not configuration: a rule that permits Workshop
traffic by such an application leaves the timer of its sessions unknown, whatever timeout-tcp says.  So does
a rule of application 'any': App-ID names the application of every session, whatever the rule's application
cell, and [ST] "The firewall applies application timeouts to an application that is in Established state".
The expected values below are read from these documents, not from the tool.
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
LONG = "set deviceconfig setting session timeout-tcp 28800\n"  # longer than the 8-hour shift
SHORT = "set deviceconfig setting session timeout-tcp 1800\n"
S445 = "set service s445 protocol tcp port 445\n"


def prn120(text: str) -> list:
    return [f for f in audit([auto(text, "fw")], load_site(None, SITE)).findings if f.rule_id == "PRN120"]


def by_app_id(f) -> bool:
    """The finding for the sessions timeout-tcp decides unless App-ID gives their application a timer (those of
    a rule of application 'any', e.g. the allow-all below a rule)."""
    return f.status == "unknown" and "unless App-ID gives the session's application" in f.message


def named(text: str) -> list:
    """The PRN120 findings but ``by_app_id``'s."""
    return [f for f in prn120(text) if not by_app_id(f)]


@pytest.mark.parametrize("app", ["ms-ds-smb", "oracle", "web-browsing"])
@pytest.mark.parametrize("how", ["alone", "service", "above-allow-all"])
def test_a_predefined_application_leaves_the_idle_timeout_unknown(app, how):
    # [ST]/[SBT]: the application's timeout (App-ID content) overrides timeout-tcp; the configuration does
    # not hold it.  Before: PRN120 passed on timeout-tcp 28800 (no finding).
    rules = {"alone": allow("ws", app=app, svc="application-default"),
             "service": allow("ws", app=app, svc="s445") + S445,
             "above-allow-all": allow("ws", app=app, svc="application-default") + allow("all")}[how]
    text = BASE + rules + LONG
    got = prn120(text)
    [f] = [g for g in got if not by_app_id(g)]  # (and, above an allow-all, that rule's: ``by_app_id``)
    assert len(got) == (2 if how == "above-allow-all" else 1)
    assert f.status == "unknown" and f.severity == "warning"
    assert "'%s'" % app in f.message and "Configure Session Timeouts" in f.message
    assert f.source.line == line_of(text, "rules ws application")


def test_application_any_leaves_the_timer_to_app_id():
    # 'application any' with a service port: App-ID still names each session's application, and that
    # application's timer, if App-ID's content gives it one, overrides timeout-tcp [ST]: unknown, long or short,
    # at timeout-tcp's line, naming its value
    for glob, secs in ((LONG, "28800"), (SHORT, "1800")):
        text = BASE + allow("ws", svc="s445") + S445 + glob
        [f] = prn120(text)
        assert by_app_id(f) and f.severity == "warning" and "timeout-tcp %s s" % secs in f.message
        assert f.source.line == line_of(text, "timeout-tcp")
    # without the setting: PAN-OS's default 3600 s, at no line of the configuration
    [f] = prn120(BASE + allow("ws", svc="s445") + S445)
    assert by_app_id(f) and "3600 s" in f.message


@pytest.mark.parametrize("secs,status", [(36000, None), (600, "fail")])
def test_a_service_override_decides_the_timer_of_a_predefined_application(secs, status):
    # [SBT]: "Override—Define a custom session timeout for the service" replaces the application timeout for
    # the rule's sessions through that service: the configuration decides, both ways.  (Alone, the rule may
    # permit (App-ID decides), and PRN120 fails only for connections known to be let through, as for every
    # vendor: the override's 600 s is not reported then, and nothing is unknown about the timer either.)
    for rest in ("", allow("all")):
        text = (BASE + allow("ws", app="ms-ds-smb", svc="s445") + rest + S445
                + "set service s445 protocol tcp override yes timeout %d\n" % secs + LONG)
        got = named(text)  # (the allow-all's sessions: ``by_app_id``)
        if status is None or not rest:
            assert got == [], (rest, [f.message for f in got])
        else:
            assert [f.status for f in got] == [status], (rest, [f.message for f in got])
            assert got[0].source.line == line_of(text, "override yes timeout")


def test_a_service_override_covers_only_its_own_service():
    # the rule's other service inherits the application's timeout [SBT]: unknown there
    text = (BASE + allow("ws", app="ms-ds-smb", svc=["s445", "s139"]) + S445
            + "set service s445 protocol tcp override yes timeout 36000\n"
            + "set service s139 protocol tcp port 139\n" + LONG)
    [f] = prn120(text)
    assert f.status == "unknown" and "ms-ds-smb" in f.message


@pytest.mark.parametrize("secs,status", [(36000, None), (600, "fail")])
def test_a_custom_applications_timeout_decides(secs, status):
    # [ST]: a custom application's TCP timeout overrides timeout-tcp for its sessions; the rule permits only
    # it, and a later allow-all gives the other sessions timeout-tcp (28800: long)
    text = (BASE + allow("ws", app="prinergy-app", svc="application-default") + allow("all")
            + "set application prinergy-app default port tcp/445\n"
            + "set application prinergy-app tcp-timeout %d\n" % secs + LONG)
    got = named(text)  # (the allow-all's sessions: ``by_app_id``)
    assert [f.status for f in got] == ([] if status is None else [status])


def test_a_custom_application_without_a_timeout_has_the_global_one():
    text = (BASE + allow("ws", app="prinergy-app", svc="application-default") + allow("all")
            + "set application prinergy-app default port tcp/445\n")
    assert named(text + LONG) == []  # (the allow-all's sessions: ``by_app_id``)
    [f] = named(text + SHORT)
    assert f.status == "fail" and f.source.line == line_of(text + SHORT, "timeout-tcp")
    assert "prinergy-app" in f.message


def test_a_group_or_filter_of_app_id_applications_is_unknown_and_a_mixed_list_too():
    text = BASE + allow("ws", app="smb-apps", svc="application-default") + (
        "set application-group smb-apps members [ ms-ds-smb netbios-ss ]\n") + LONG
    [f] = prn120(text)
    assert f.status == "unknown" and "ms-ds-smb" in f.message
    text = BASE + allow("ws", app="file-sharing", svc="application-default") + (
        "set application-filter file-sharing subcategory file-sharing\n") + LONG
    [f] = prn120(text)
    assert f.status == "unknown" and "application filter 'file-sharing'" in f.message
    # a custom application with a long timeout beside a predefined one: which session is which is App-ID's
    text = (BASE + allow("ws", app=["prinergy-app", "ms-ds-smb"], svc="application-default")
            + "set application prinergy-app default port tcp/445\nset application prinergy-app tcp-timeout 36000\n"
            + LONG)
    [f] = prn120(text)
    assert f.status == "unknown" and "ms-ds-smb" in f.message


def test_an_application_that_is_never_tcp_changes_no_tcp_timer():
    # 'ping' is identified by ICMP alone: a rule for it and an application-any rule decide no TCP session
    # by App-ID's timers
    text = BASE + allow("p", app="ping", svc="application-default") + allow("ws", svc="s445") + S445 + LONG
    [f] = prn120(text)
    assert by_app_id(f) and "ping" not in f.message  # (rule ws's sessions: App-ID's, ``by_app_id``)


def test_a_predefined_applications_timer_changed_in_the_config_is_its_timer():
    # [CST]: 'override application A tcp-timeout N' is A's timer: a rule of A alone gets N (here short: fail
    # at the override's line); the override is still reported for the sessions App-ID names A elsewhere
    text = (BASE + allow("ws", app="ms-ds-smb", svc="application-default") + allow("all")
            + "set shared override application ms-ds-smb tcp-timeout 600\n" + LONG)
    got = named(text)  # (the allow-all's sessions: ``by_app_id``)
    assert [f.status for f in got] == ["fail"]
    assert got[0].source.line == line_of(text, "override application")


def test_an_xml_rule_of_a_predefined_application_is_unknown_too():
    text = """<config version="10.1.0"><devices><entry name="localhost.localdomain">
  <network><interface><ethernet>
    <entry name="ethernet1/1"><layer3><ip><entry name="10.20.0.1/24"/></ip></layer3></entry>
    <entry name="ethernet1/2"><layer3><ip><entry name="10.30.0.1/24"/></ip></layer3></entry>
  </ethernet></interface></network>
  <deviceconfig><setting><session><timeout-tcp>28800</timeout-tcp></session></setting></deviceconfig>
  <vsys><entry name="vsys1">
    <zone>
      <entry name="servers"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
      <entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
    </zone>
    <rulebase><security><rules><entry name="ws">
      <from><member>workshop</member></from><to><member>servers</member></to>
      <source><member>any</member></source><destination><member>any</member></destination>
      <application><member>ms-ds-smb</member></application><service><member>application-default</member></service>
      <action>allow</action>
    </entry></rules></security></rulebase>
  </entry></vsys>
</entry></devices></config>
"""
    [f] = prn120(text)
    assert f.status == "unknown" and f.source.line == line_of(text, "<member>ms-ds-smb")


def test_the_parser_marks_the_record_unknown_not_the_global_value():
    cfg = cfg_of(BASE + allow("ws", app="ms-ds-smb", svc="application-default") + LONG)
    [t] = [t for t in cfg.timeouts if t.rule is not None]
    assert t.unknown and t.idle_seconds is None and t.rule == ("workshop->servers", 0)

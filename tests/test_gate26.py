"""The gate as a demanding admin uses it (session 26's red team): changes that shorten an idle timeout.

A PRN120 finding the config had before the change is not "unchanged" when the change puts its timeout in
force for Workshop <-> server connections that had a longer one: the change shortened their idle timeout,
so the finding is judged anew, introduced, and the change fails (README, "Gating change requests in CI":
the gate says whether a change breaks Prinergy; an idle timeout below a shift stalls Workshop).

* ASA: a class of the global policy with ``set connection timeout idle`` sets the idle timeout of the
  connections it matches; removing it leaves them to ``timeout conn`` (Cisco ASA Series Command Reference,
  "set connection timeout": the idle timeout of a class's connections, else the global ``timeout conn``,
  1:00:00 by default).
* Junos: an application's ``inactivity-timeout`` removed leaves its sessions to the protocol's default,
  TCP 1800 s (Juniper, "Understanding Policy Application Timeout Configuration and Lookup").
"""

import json

import pytest
from conftest import ROOT
from test_formats import cli

ASA = "examples/change/before.cfg"
ASA_SITE = "examples/change/site.yaml"
JUNOS = "examples/junos-site/srx.conf"
JUNOS_SITE = "examples/junos-site/site.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _check(tmp_path, config: str, site: str, change: str) -> tuple[int, dict]:
    cr = tmp_path / "cr.txt"
    cr.write_text(change)
    code, out, err = cli("check-change", config, str(cr), "--site", site, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


def test_removing_an_asa_class_idle_timeout_leaves_workshop_to_timeout_conn_and_fails(tmp_path):
    # before: Workshop -> servers TCP in class PRINERGY-WS, 'idle 2:00:00 reset' (line 148); the servers'
    # connections to Workshop under 'timeout conn 1:00:00' (line 112), a PRN120 already
    code, doc = _check(tmp_path, ASA, ASA_SITE,
                       "policy-map global_policy\n class PRINERGY-WS\n  no set connection timeout idle 2:00:00 reset\n")
    assert code == 1 and doc["verdict"] == "fail"
    (f,) = [f for f in doc["introduced"] if f["rule_id"] == "PRN120"]
    assert f["line"] == 112 and f["text"].startswith("timeout conn 1:00:00")
    assert "before, 2:00:00 (policy-map global_policy class PRINERGY-WS)" in f["message"]
    # the example is a connection whose timeout the change shortened: Workshop to a server
    assert f["example"]["src"].startswith("10.30.0.") and f["example"]["dst"] == "10.20.0.10"
    assert {(f["line"], f["rule_id"]) for f in doc["resolved"]} >= {(112, "PRN120"), (148, "PRN120")}


def test_deleting_a_junos_applications_inactivity_timeout_fails(tmp_path):
    # PRINERGY-TCP (1024-9000) had 3600 s; without it the policy's TCP sessions get the default 1800 s
    code, doc = _check(tmp_path, JUNOS, JUNOS_SITE, "delete applications application PRINERGY-TCP inactivity-timeout\n")
    assert code == 1 and doc["verdict"] == "fail"
    (f,) = [f for f in doc["introduced"] if f["rule_id"] == "PRN120"]
    assert f["message"].startswith("idle timeout 0:30:00") and "before, 1:00:00" in f["message"]
    assert 1024 <= f["example"]["dport"] <= 9000


def test_a_change_that_leaves_the_timeouts_alone_keeps_the_timeout_findings(tmp_path):
    # a remark and a narrower permit elsewhere: every PRN120 unchanged, the change passes
    code, doc = _check(tmp_path, ASA, ASA_SITE, "access-list OUTSIDE_IN remark CR-77 vendor access\n")
    assert code == 0 and doc["verdict"] == "pass"
    assert not [f for f in doc["introduced"] + doc["resolved"] if f["rule_id"] == "PRN120"]
    assert len([f for f in doc["unchanged"] if f["rule_id"] == "PRN120"]) == 2


def test_opening_traffic_under_an_existing_short_timeout_is_not_a_shortened_timeout(tmp_path):
    # AFP from all of Workshop (not only the Macs) to the primary: new connections under the class's
    # 2:00:00, which had no timeout before (not let through); the timeout finding is the one the config
    # had (the traffic is newly permitted), not one the change introduced
    code, doc = _check(tmp_path, ASA, ASA_SITE, "access-list WORKSHOP_IN line 2 extended permit tcp object-group "
                       "WORKSHOP host 10.20.0.10 eq 548\n")
    assert not [f for f in doc["introduced"] if f["rule_id"] == "PRN120"], doc["introduced"]

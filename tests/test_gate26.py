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


# --- IOS: 'ip access-list resequence' (Cisco IOS XE Security Configuration Guide: Access Control Lists,
# "IP Access List Entry Sequence Numbering": 'ip access-list resequence access-list-name
# starting-sequence-number increment' renumbers a named list's entries; entries keep their order, so the
# list decides as before, and later entries are placed by the new numbers)

IOS = "examples/ios-site/ios.cfg"
IOS_SITE = "examples/ios-site/site.yaml"

IOS_BASE = """\
hostname r1
ip access-list extended IN
 10 remark web first
 10 permit tcp any host 10.2.0.10 eq www
 11 deny tcp any host 10.2.0.10 eq 445
 12 remark a note of its own
 13 permit ip any any
ipv6 access-list IN6
 permit tcp any any eq www sequence 10
 deny ipv6 any any sequence 20
access-list 101 permit ip any any
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.255.0
 ip access-group IN in
end
"""


def _ios(change: str) -> list[str]:
    from parsers.cisco_ios.change import apply_change

    return apply_change(IOS_BASE, change, "cr.txt").splitlines()


def test_ios_resequence_renumbers_a_named_list_in_order_and_later_entries_use_the_new_numbers():
    out = _ios("ip access-list resequence IN 100 20\nip access-list extended IN\n 130 deny udp any any\n")
    k = out.index("ip access-list extended IN")
    body = out[k + 1:out.index("ipv6 access-list IN6")]
    # the entries in their order, numbered 100 by 20; the new one between 120 and 140
    assert [x for x in body if "remark" not in x] == [
        " 100 permit tcp any host 10.2.0.10 eq www", " 120 deny tcp any host 10.2.0.10 eq 445",
        " 130 deny udp any any", " 140 permit ip any any"]
    # (a numbered remark, which goes with the entry after it, takes that entry's number)
    assert [x for x in body if "remark" in x] == [" 100 remark web first", " 140 remark a note of its own"]
    out = _ios("ipv6 access-list resequence IN6 5 5\n")
    k = out.index("ipv6 access-list IN6")
    assert out[k + 1:k + 3] == [" permit tcp any any eq www sequence 5", " deny ipv6 any any sequence 10"]


@pytest.mark.parametrize("change,needle", [
    ("ip access-list resequence NOPE 10 10\n", "not defined"),
    ("ip access-list resequence IN 10\n", "expected 'ip access-list resequence NAME START INCREMENT'"),
    ("ip access-list resequence IN 2147483640 10\n", "exceeded maximum sequence number"),
    ("ip access-list resequence IN 0 10\n", "1 to 2147483647"),
])
def test_ios_resequence_refuses_what_ios_refuses(change, needle):
    from parsers import InputError

    with pytest.raises(InputError, match=needle):
        _ios(change)


def test_ios_resequence_alone_changes_no_decision(tmp_path):
    cr = tmp_path / "cr.txt"
    cr.write_text("ip access-list resequence WORKSHOP-IN 100 10\n")
    code, out, err = cli("check-change", IOS, str(cr), "--site", IOS_SITE, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["verdict"] == "pass", err
    assert doc["newly_permitted"] == [] and doc["newly_denied"] == [] and doc["newly_unknown"] == []


def test_removing_a_class_idle_timeout_under_the_default_timeout_conn_fails(tmp_path):
    """The same change on a config without a 'timeout conn' line: the ASA's default, 1:00:00 (Cisco ASA Series
    Command Reference, "timeout": conn, default 1:00:00), has no line of its own, so its finding points at the
    config's head; the change puts it in force for Workshop's connections, which had 2:00:00: introduced.
    (The finding was matched to its timeout by the timeout's line alone, which a default has not: unchanged, a
    pass.)"""
    text = (ROOT / ASA).read_text().replace("timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 sctp 0:02:00 "
                                            "icmp 0:00:02\n", "")
    assert "timeout conn" not in text
    cfg = tmp_path / "before.cfg"
    cfg.write_text(text)
    code, doc = _check(tmp_path, str(cfg), ASA_SITE,
                       "policy-map global_policy\n class PRINERGY-WS\n  no set connection timeout idle 2:00:00 reset\n")
    assert code == 1 and doc["verdict"] == "fail"
    (f,) = [f for f in doc["introduced"] if f["rule_id"] == "PRN120"]
    assert "ASA default 'timeout conn 1:00:00'" in f["message"] and f["text"] == ":"  # (the config's head)
    assert "before, 2:00:00 (policy-map global_policy class PRINERGY-WS)" in f["message"]

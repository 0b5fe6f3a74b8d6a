"""Session 28, the change gate red-teamed: change requests as people write them.

Check Point: the Management API's add-access-rule / set-access-rule take ``track`` (an object: ``track.type``,
``track.per-connection``, ``track.per-session``, ``track.accounting``, ``track.alert``,
``track.enable-firewall-session``), ``custom-fields``, ``details-level``, ``ignore-warnings`` and ``ignore-errors``
(Check Point Management API reference, https://sc1.checkpoint.com/documents/latest/APIs/, add-access-rule;
the same parameters in the check_point.mgmt Ansible collection's cp_mgmt_access_rule module): what a rule logs and
how the API answers, never which connections it accepts.  A change request nearly always sets its rule's
tracking (``track.type Log``); before, such a request was refused (exit 2), so the gate could not review it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from parsers.checkpoint import parse
from parsers.checkpoint.change import apply_change
from parsers.kit import InputError

ANY = "97aeb369-9aea-11d5-bd16-0090272ccb30"
ACCEPT, DROP = "6c488338-8eec-4103-ad21-cd461ac2c472", "6c488338-8eec-4103-ad21-cd461ac2c473"
WS_UID, SRV_UID, SMB_UID = ("11111111-aaaa-4bbb-8ccc-000000000001", "11111111-aaaa-4bbb-8ccc-000000000002",
                            "11111111-aaaa-4bbb-8ccc-000000000003")


def _rule(n: int, name: str, src, dst, svc, action: str) -> dict:
    return {"uid": "22222222-aaaa-4bbb-8ccc-%012d" % n, "name": name, "type": "access-rule", "rule-number": n,
            "source": src, "source-negate": False, "destination": dst, "destination-negate": False,
            "service": svc, "service-negate": False, "vpn": [ANY], "action": action, "content": [ANY],
            "content-negate": False, "time": [ANY], "enabled": True,
            "install-on": ["6c488338-8eec-4103-ad21-cd461ac2c476"], "track": {"type": "Log"}, "comments": ""}


@pytest.fixture
def export() -> str:
    reply = {
        "uid": "33333333-aaaa-4bbb-8ccc-000000000001", "name": "Network",
        "rulebase": [
            _rule(1, "smb", [WS_UID], [SRV_UID], [SMB_UID], ACCEPT),
            _rule(2, "Cleanup rule", [ANY], [ANY], [ANY], DROP),
        ],
        "objects-dictionary": [
            {"uid": ANY, "name": "Any", "type": "CpmiAnyObject"},
            {"uid": ACCEPT, "name": "Accept", "type": "RulebaseAction"},
            {"uid": DROP, "name": "Drop", "type": "RulebaseAction"},
            {"uid": "6c488338-8eec-4103-ad21-cd461ac2c476", "name": "Policy Targets", "type": "Global"},
            {"uid": WS_UID, "name": "Workshop_Net", "type": "network", "subnet4": "10.30.0.0", "mask-length4": 24},
            {"uid": SRV_UID, "name": "Prinergy_Primary", "type": "host", "ipv4-address": "10.20.0.10"},
            {"uid": SMB_UID, "name": "microsoft-ds", "type": "service-tcp", "port": "445"},
        ],
        "from": 1, "to": 2, "total": 2,
    }
    return json.dumps(reply, indent=4) + "\n"


def _names(cfg) -> list[str]:
    return [r.source.text.strip()[len('"name": "'):-2] for r in cfg.filters["Network"].rules]


@pytest.mark.parametrize("extra", [
    'track.type "Log"',
    'track.type "Extended Log" track.per-connection true track.accounting false track.alert "none"',
    "track Log",
    'custom-fields.field-1 "CR-1234" details-level full',
    "ignore-warnings true ignore-errors false",
])
def test_tracking_and_api_options_do_not_refuse_the_change(export, extra):
    change = ('mgmt_cli -r true add access-rule layer "Network" position 1 name "block smb" source "Workshop_Net" '
              'destination "Prinergy_Primary" service "microsoft-ds" action "Drop" %s --format json\n'
              "mgmt_cli -r true set access-rule layer Network name smb %s comments \"CR-1234\"\n"
              "mgmt_cli -r true publish\n") % (extra, extra)
    cfg = parse(apply_change(export, change, "change.txt"), "policy.json")
    assert _names(cfg) == ["block smb", "smb", "Cleanup rule"]
    assert [r.action.value for r in cfg.filters["Network"].rules] == ["deny", "permit", "deny"]


def test_a_parameter_that_decides_what_the_rule_matches_is_still_refused(export):
    # 'time' restricts when the rule matches, 'install-on' which gateways enforce it: not applied, refused
    for extra in ('time "Off_Work"', 'install-on "gw1"'):
        with pytest.raises(InputError, match="change.txt:1: parameter '(time|install-on)' of add access-rule"):
            apply_change(export, "add access-rule layer Network position 1 name x %s\n" % extra, "change.txt")


def test_check_change_reviews_a_request_that_sets_tracking(export, tmp_path):
    """The request as an admin writes it: a Drop above the SMB permit, logged; the gate's verdict is FAIL
    (exit 1: the required SMB flow is newly blocked), where it was an error (exit 2)."""
    cfg = tmp_path / "policy.json"
    cfg.write_text(export)
    site = tmp_path / "site.yaml"
    site.write_text("policy: prinergy-8\nroles:\n  primary: [10.20.0.10]\n  workshop: [10.30.0.0/24]\n")
    change = tmp_path / "change.txt"
    change.write_text('mgmt_cli add access-rule layer "Network" position top name "no smb" source "Workshop_Net" '
                      'service "microsoft-ds" action "Drop" track.type "Log"\nmgmt_cli publish\n')
    out = subprocess.run([sys.executable, "-m", "auditor.cli", "check-change", str(cfg), str(change), "--site",
                          str(site), "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    got = json.loads(out.stdout)
    assert got["verdict"] == "fail"
    assert "smb:workshop->primary" in got["required_flows_newly_blocked"]


# --- a review's results on the change request's lines ------------------------------------------------------
# A rule written over several lines (a Junos term or policy, a PAN-OS <entry>, a FortiOS 'edit N') is located
# at its first line.  A change request that edits inside it (Junos 'set ... term rest then discard', PAN-OS
# 'set rulebase security rules R negate-destination yes', FortiOS 'edit 11' / 'set service "ALL"') keeps that
# first line: before, the rule's introduced findings and traffic changes were located there, at a line of the
# config that the pull request does not touch, so no `--format github` annotation (nor SARIF result) was on the
# change file (README, "Formats": "for check-change the change file's for the lines it adds").

from auditor.api import load_change  # noqa: E402
from auditor.diff import diff_configs  # noqa: E402
from auditor.policy import load_site  # noqa: E402
from auditor.report import github  # noqa: E402
from auditor.report import sarif as sarif_report  # noqa: E402

JUNOS, JUNOS_SITE = "examples/junos-site/srx.conf", "examples/junos-site/site.yaml"
PANOS, PANOS_SITE = "examples/panos-site/running-config.xml", "examples/panos-site/site.yaml"


def _entry_line(name: str) -> int:
    """The line of the example's ``<entry name="NAME"`` (its rules' lines move when the example grows)."""
    return next(i for i, t in enumerate(open(PANOS).read().splitlines(), 1) if '<entry name="%s"' % name in t)
FORTI, FORTI_SITE = "examples/fortios-site/fortigate.conf", "examples/fortios-site/site.yaml"
ASA, ASA_SITE = "examples/prinergy-site/asa.cfg", "examples/prinergy-site/site.yaml"


def _review(config: str, site: str, change: str):
    with open(config, encoding="utf-8") as fh:
        text = fh.read()
    old, new, _text, origins = load_change(text, config, change, "change.txt")
    return diff_configs(old, new, site=load_site(site), origins=origins)


def _annotations(diff) -> list[tuple[str, str, str]]:
    """(level, file, line) of each annotation that has a location."""
    out = []
    for line in github.render_diff(diff).splitlines():
        head = line.split("::")[1]
        props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(",")) if " " in head else {}
        if "file" in props:
            out.append((head.split(" ")[0], props["file"], props.get("line", "")))
    return out


def test_junos_term_action_changed_inside_is_annotated_on_the_change_line():
    # srx.conf:76 'term rest {' holds 'then accept;' (line 77); the change makes the term discard what reaches
    # it, so the admin PC's HTTP to the servers (required flow iis:admin->primary) is newly blocked by the term
    diff = _review(JUNOS, JUNOS_SITE, "set firewall family inet filter OFFICE-IN term rest then discard\n")
    assert diff.verdict == "fail"
    at = _annotations(diff)
    prn100 = [f for f in diff.introduced if f.rule_id == "PRN100"]
    assert prn100 and all(f.source.line == 76 for f in prn100)
    assert ("error", "change.txt", "1") in at
    # every annotation of what the term now decides is on the change file's line 1, none on srx.conf:76
    assert not [a for a in at if a[1:] == (JUNOS, "76")]
    # SARIF puts the introduced findings there too
    doc = json.loads(sarif_report.render_diff(diff))
    where = {(r["ruleId"], loc["physicalLocation"]["artifactLocation"]["uri"],
              loc["physicalLocation"]["region"]["startLine"])
             for r in doc["runs"][0]["results"] if r.get("baselineState") == "new" for loc in r.get("locations", ())}
    assert ("PRN100", "change.txt", 1) in where and not [w for w in where if w[1:] == (JUNOS, 76)]
    # its messages name the config's lines with their file, as the location is the change file's
    text = [f for f in diff.introduced if f.rule_id == "PRN100"][0]
    assert "line 76 of %s" % JUNOS in diff.message(text, "new")


def test_panos_rule_setting_added_inside_its_entry_is_annotated_on_the_change_line():
    # <entry name="workshop-prinergy"> of running-config.xml; negate-destination makes it permit the
    # Workshop to every address of the servers zone but the Prinergy servers (Palo Alto, "Security Policy
    # Rule ... Negate": the rule applies to every address except the ones listed)
    diff = _review(PANOS, PANOS_SITE, "set rulebase security rules workshop-prinergy negate-destination yes\n")
    assert diff.newly_permitted
    at = _annotations(diff)
    assert ("notice", "change.txt", "1") in at
    assert not [a for a in at if a[1:] == (PANOS, str(_entry_line("workshop-prinergy")))]


def test_fortios_policy_set_inside_edit_is_annotated_on_the_change_line():
    change = 'config firewall policy\n    edit 11\n        set service "ALL"\n    next\nend\n'
    diff = _review(FORTI, FORTI_SITE, change)
    assert diff.newly_permitted
    at = _annotations(diff)
    assert at and all(a[1:] == ("change.txt", "3") for a in at)


def test_a_one_line_rule_does_not_take_the_lines_a_change_inserts_below_it():
    # ASA: 'access-list WORKSHOP_IN line 3 ...' goes below line 77 (the list's second entry); the entries above
    # it are single lines and keep their own locations
    diff = _review(ASA, ASA_SITE, "access-list WORKSHOP_IN line 3 extended permit tcp any any eq 8443\n")
    assert diff.edited_rules() == {}


# A rule moved by the change request (Junos 'insert ... before policy P', PAN-OS 'move rulebase security rules R
# before S') keeps its lines' text; before, they kept the configuration's origin, so what the moved rule now decides
# was annotated at its old place in the configuration and nothing at the command that moved it.  Its lines now come
# from that command (Juniper, "insert": "Insert an identifier in to a new location within an ordered list";
# Palo Alto, "Use the CLI", configuration mode 'move').

@pytest.mark.parametrize("config, site, change, line", [
    (JUNOS, JUNOS_SITE,
     "insert security policies from-zone workshop to-zone servers policy prinergy-workshop before policy block-smb\n",
     1),
    (PANOS, PANOS_SITE, "move rulebase security rules workshop-prinergy before deny-guest-smb\n", 1),
    # FortiOS 'move' in 'config firewall policy' (FortiOS CLI, "Sub-commands": move an entry before or after another)
    (FORTI, FORTI_SITE, "config firewall policy\n    move 11 before 10\nend\n", 2),
])
def test_a_moved_rule_is_annotated_on_the_command_that_moved_it(config, site, change, line):
    # the Workshop permit moved above the SMB deny: SMB from the Workshop to the primary (a required flow, denied
    # before by the SMB deny) is newly permitted by the moved permit
    diff = _review(config, site, change)
    smb = [c for c in diff.newly_permitted if any(k.startswith("smb:workshop->") for k in c.flows)]
    assert smb
    assert diff.anchor(smb[0].new.source).path == "change.txt" and diff.anchor(smb[0].new.source).line == line
    assert ("notice", "change.txt", str(line)) in _annotations(diff)


def test_panos_set_form_move_and_the_lines_it_moves():
    from parsers.panos.change import apply_change as panos_apply
    config = ("set rulebase security rules deny-smb from workshop\n"
              "set rulebase security rules deny-smb action deny\n"
              "set rulebase security rules ws-all from workshop\n"
              "set rulebase security rules ws-all action allow\n")
    origins: list = []
    out = panos_apply(config, "move rulebase security rules ws-all top\n", "cr.txt", origins)
    assert out.splitlines()[:2] == ["set rulebase security rules ws-all from workshop",
                                    "set rulebase security rules ws-all action allow"]
    assert origins == [("change", 1), ("change", 1), ("config", 1), ("config", 2)]


def test_the_text_report_quotes_the_line_at_the_location_it_gives():
    # the rule's action set inside its <entry> (of running-config.xml): the newly permitted traffic is located at
    # the change line, and the line quoted is that line, not the entry's first line in the config (the text report
    # put the config's '<entry name="deny-guest-smb" ...>' after 'change.txt:1'; markdown quoted the change line)
    from auditor.report import text as text_report

    diff = _review(PANOS, PANOS_SITE, "set rulebase security rules deny-guest-smb action allow\n")
    out = text_report.render_diff(diff, color=False)
    assert "new: permit at change.txt:1 | set rulebase security rules deny-guest-smb action allow" in out
    assert "old: deny at %s:%d | <entry name=\"deny-guest-smb\"" % (PANOS, _entry_line("deny-guest-smb")) in out

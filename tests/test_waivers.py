"""Waivers: file entries and inline ACL remarks; expiry (WVR400), unused (WVR401), unreadable markers (WVR402)."""

import json
from datetime import date

import pytest
from conftest import ROOT
from test_formats import cli

from auditor.api import audit, load_config
from auditor.checks import all_rules
from auditor.policy import load_site
from auditor.waivers import WaiverError, load_waivers, parse_marker

BEFORE = str(ROOT / "examples/change/before.cfg")
SITE = str(ROOT / "examples/change/site.yaml")
TODAY = date(2026, 6, 1)
AFP_LINE = "access-list WORKSHOP_IN extended permit tcp object-group MAC-CLIENTS object-group PRINERGY-SERVERS eq 548"


def run(text: str | None = None, waivers=None, today=TODAY):
    cfg = load_config(BEFORE, "cisco-asa", text=text)
    return audit([cfg], load_site(SITE), waivers=waivers, today=today)


def by_rule(result, rule):
    return [f for f in result.findings if f.rule_id == rule]


def write(tmp_path, text: str) -> str:
    p = tmp_path / "waivers.yaml"
    p.write_text(text)
    return str(p)


def test_rule_ids_are_registered():
    rules = all_rules()
    assert rules["WVR400"].severity == "warning" and rules["WVR401"].severity == "info"
    assert rules["WVR402"].name == "invalid-inline-waiver"


def test_file_waiver_by_fingerprint_text_and_contains(tmp_path):
    base = run()
    afp = by_rule(base, "PRN160")[0]
    exposed = [f for f in by_rule(base, "PRN150") if "3389" in f.source.text][0]
    path = write(tmp_path, """\
- rule_id: PRN160
  fingerprint: %s
  justification: legacy Mac clients until the migration
  owner: prepress
  expires: 2026-12-31
- rule_id: PRN150
  text: "access-list   OUTSIDE_IN extended permit tcp any host PRINERGY-PRIMARY eq 3389"
  justification: vendor support, via MFA jump host
  expires: 2026-06-01
- rule_id: PRN100
  contains: deny tcp any object-group PRINERGY-SERVERS eq 445
  justification: SMB is being replaced
  expires: 2026-07-01
""" % afp.fingerprint)
    r = run(waivers=path)
    waived = {(f.rule_id, f.source.line) for f in r.findings if f.waived}
    assert waived == {("PRN160", afp.source.line), ("PRN150", exposed.source.line), ("PRN100", 76)}
    f = [f for f in r.findings if f.rule_id == "PRN160"][0]
    assert f.extra["waiver"] == {"kind": "external", "justification": "legacy Mac clients until the migration",
                                 "source": "%s:1" % path, "owner": "prepress", "expires": "2026-12-31"}
    assert f.to_json()["waived"] is True

    def errors(res):
        return [x for x in res.findings if x.severity == "error" and not x.waived]

    # still reported, but no longer counted
    assert len(errors(r)) == len(errors(base)) - 3
    assert not by_rule(r, "WVR400") and not by_rule(r, "WVR401")
    # the blocked SMB flows are no longer failing flows
    smb = {x["flow"]: x["status"] for x in r.flows if x["flow"].startswith("smb:workshop")}
    assert set(smb.values()) == {"pass"}


def test_waiving_every_error_makes_the_verdict_pass(tmp_path):
    base = run()
    entries = "".join("- rule_id: %s\n  fingerprint: %s\n  justification: accepted\n  expires: 2030-01-01\n"
                      % (f.rule_id, f.fingerprint) for f in base.findings if f.severity == "error")
    r = run(waivers=write(tmp_path, entries))
    assert base.verdict == "fail" and r.verdict == "pass", r.reasons


def test_expired_waiver_stops_applying_and_is_reported(tmp_path):
    path = write(tmp_path, "# waivers\n- rule_id: PRN160\n  contains: eq 548\n  justification: old\n"
                           "  owner: ops\n  expires: 2026-05-31\n")
    r = run(waivers=path)
    assert not any(f.waived for f in r.findings)
    [w] = by_rule(r, "WVR400")
    assert (w.severity, w.source.path, w.source.line, w.source.text) == ("warning", path, 2, "- rule_id: PRN160")
    assert "expired on 2026-05-31" in w.message and "owner ops" in w.message
    # the last day still counts
    assert by_rule(run(waivers=path, today=date(2026, 5, 31)), "PRN160")[0].waived


def test_unused_waiver_is_reported(tmp_path):
    path = write(tmp_path, "- rule_id: PRN130\n  text: no such line\n  justification: x\n  expires: 2030-01-01\n")
    [w] = by_rule(run(waivers=path), "WVR401")
    assert w.severity == "info" and w.source.line == 1 and "matches no finding" in w.message


def test_inline_remark_waiver_covers_findings_of_that_acl():
    text = open(BEFORE).read().replace(
        "access-list WORKSHOP_IN remark legacy Macs still mount job volumes over AFP",
        "access-list WORKSHOP_IN remark prinergy-audit: ignore PRN160,PRN100 until 2027-06-30 legacy Mac clients")
    r = run(text)
    afp = by_rule(r, "PRN160")[0]
    assert afp.waived and afp.extra["waiver"]["kind"] == "inSource"
    assert afp.extra["waiver"]["justification"] == "legacy Mac clients"
    # PRN100 findings on WORKSHOP_IN lines are waived; the ones on OFFICE_IN are not
    lines = {(f.source.line, f.waived) for f in by_rule(r, "PRN100")}
    assert (76, True) in lines and (87, True) in lines and (91, False) in lines
    assert not by_rule(r, "WVR401")
    expired = run(text, today=date(2027, 7, 1))
    assert not by_rule(expired, "PRN160")[0].waived
    [w] = by_rule(expired, "WVR400")
    assert w.source.line == 79 and "prinergy-audit: ignore" in w.source.text


@pytest.mark.parametrize("remark,problem", [
    ("prinergy-audit: ignore PRN160 legacy", "needs 'until YYYY-MM-DD'"),
    ("prinergy-audit: ignore PRN160 until 2027-13-01 legacy", "is not a date"),
    ("prinergy-audit: ignore PRN999 until 2027-01-01 legacy", "unknown or unwaivable rule ID 'PRN999'"),
    ("prinergy-audit: ignore PRN160 until 2027-01-01", "needs a justification"),
    ("prinergy-audit: skip everything", "expected 'prinergy-audit: ignore"),
])
def test_unreadable_inline_marker_is_reported_not_ignored(remark, problem):
    text = open(BEFORE).read().replace("remark legacy Macs still mount job volumes over AFP", "remark " + remark)
    r = run(text)
    [w] = by_rule(r, "WVR402")
    assert problem in w.message and w.source.line == 79
    assert not by_rule(r, "PRN160")[0].waived


def test_marker_parsing_is_vendor_neutral():
    assert parse_marker("# any comment text prinergy-audit: ignore prn160, PRN150 until 2027-01-02 why not") == (
        ("PRN160", "PRN150"), date(2027, 1, 2), "why not")
    assert parse_marker("nothing to see") is None


@pytest.mark.parametrize("text,needle", [
    ("rule_id: PRN160\n", "a YAML list"),
    ("- rule_id: PRN160\n  contains: x\n  expires: 2030-01-01\n", ":1:3: waiver needs a 'justification'"),
    ("- rule_id: PRN160\n  justification: j\n  expires: 2030-01-01\n", "exactly one of fingerprint, text, contains"),
    ("- rule_id: PRN160\n  text: a\n  contains: b\n  justification: j\n  expires: 2030-01-01\n", "exactly one"),
    ("- rule_id: PRN160\n  text: a\n  justification: j\n", "needs 'expires'"),
    ("- rule_id: PRN160\n  text: a\n  justification: j\n  expires: someday\n", "not a date"),
    ("\n\n- rule_id: NOPE1\n  text: a\n  justification: j\n  expires: 2030-01-01\n", ":3:3: unknown or unwaivable"),
    ("- rule_id: WVR400\n  text: a\n  justification: j\n  expires: 2030-01-01\n", "unwaivable"),
    ("- rule_id: PRN160\n  text: a\n  justification: j\n  expires: 2030-01-01\n  color: red\n", "unknown waiver field"),
    ("- [unclosed\n", "not valid YAML"),
])
def test_bad_waiver_files_are_errors(tmp_path, text, needle):
    with pytest.raises(WaiverError) as e:
        load_waivers(write(tmp_path, text))
    assert needle in str(e.value)


def test_cli_waivers_exit_codes(tmp_path):
    bad = write(tmp_path, "- rule_id: PRN160\n")
    code, out, err = cli("audit", BEFORE, "--site", SITE, "--vendor", "cisco-asa", "--waivers", bad)
    assert code == 2 and out == "" and "waiver needs" in err
    missing = str(tmp_path / "no.yaml")
    code, out, err = cli("audit", BEFORE, "--site", SITE, "--vendor", "cisco-asa", "--waivers", missing)
    assert code == 2 and "cannot read waivers file" in err
    good = write(tmp_path, "- rule_id: PRN160\n  contains: eq 548\n  justification: legacy\n  expires: 2999-01-01\n")
    code, out, err = cli("audit", BEFORE, "--site", SITE, "--vendor", "cisco-asa", "--waivers", good)
    assert "waived: legacy" in out and ", 1 waived)" in out
    data = json.loads(cli("audit", BEFORE, "--site", SITE, "--vendor", "cisco-asa", "--waivers", good,
                          "--format", "json")[1])
    assert [f["rule_id"] for f in data["findings"] if f.get("waived")] == ["PRN160"]


def test_path_glob_limits_a_waiver(tmp_path):
    path = write(tmp_path, "- rule_id: PRN160\n  contains: eq 548\n  path: other-*.cfg\n  justification: j\n"
                           "  expires: 2030-01-01\n")
    r = run(waivers=path)
    assert not by_rule(r, "PRN160")[0].waived and by_rule(r, "WVR401")
    path = write(tmp_path, "- rule_id: PRN160\n  contains: eq 548\n  path: before.cfg\n  justification: j\n"
                           "  expires: 2030-01-01\n")
    assert by_rule(run(waivers=path), "PRN160")[0].waived
    assert AFP_LINE in by_rule(run(waivers=path), "PRN160")[0].source.text

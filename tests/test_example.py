"""The bundled example: golden outputs, and each finding on the right line.

Regenerate the golden files after an intended change with ``scripts/update_goldens.py`` and
review the diff.
"""

import json

import pytest
from conftest import EXAMPLES, GOLDENS, ROOT, check_goldens, example_result

from auditor.report import render

GOLDEN = ROOT / "tests" / "golden"
CFG = "examples/prinergy-site/asa.cfg"
SITE = "examples/prinergy-site/site.yaml"


@pytest.fixture(scope="module")
def result():
    return example_result("asa")


def test_a_missing_golden_file_fails_and_is_not_written(monkeypatch, tmp_path):
    missing = tmp_path / "missing.txt"
    monkeypatch.setattr(GOLDENS, "outputs", lambda name: {missing: "anything"})
    with pytest.raises(AssertionError, match="no golden file"):
        check_goldens("asa")
    assert not missing.exists()


def test_golden_outputs():
    check_goldens("asa")


def line_of(text: str) -> int:
    for n, line in enumerate((EXAMPLES / "prinergy-site" / "asa.cfg").read_text().splitlines(), 1):
        if line.strip() == text:
            return n
    raise AssertionError(text)


def findings(result, rule):
    return [f for f in result.findings if f.rule_id == rule]


def test_each_finding_kind_on_the_right_line(result):
    assert result.verdict == "fail"
    smb = [f for f in findings(result, "PRN100") if f.key.startswith("smb:workshop")]
    assert {f.source.line for f in smb} == {
        line_of("access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log")}
    assert all(f.example is not None and f.example[4] == 445 for f in smb)
    orb = [f for f in findings(result, "PRN100") if f.key.startswith("orbacus:workshop")]
    assert {f.source.line for f in orb} == {line_of("access-list WORKSHOP_IN extended deny ip any any log")}
    prn120 = {f.source.line for f in findings(result, "PRN120")}
    assert prn120 == {line_of("timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 sctp 0:02:00 icmp 0:00:02"),
                      line_of("set connection timeout idle 2:00:00 reset")}
    assert {f.source.line for f in findings(result, "PRN130")} == {line_of("network-object host 169.254.20.12")}
    exposed = findings(result, "PRN150")
    assert line_of("access-list OUTSIDE_IN extended permit tcp any host PRINERGY-PRIMARY eq 3389") in {
        f.source.line for f in exposed}
    afp = findings(result, "PRN160")
    assert [f.severity for f in afp] == ["info"]
    assert afp[0].source.line == line_of(
        "access-list WORKSHOP_IN extended permit tcp object-group MAC-CLIENTS object-group PRINERGY-SERVERS eq 548")


def test_flow_findings_carry_examples(result):
    for f in result.findings:
        if f.rule_id in ("PRN100", "PRN150", "PRN160", "PRN120"):
            assert f.example is not None, f


def test_json_contract(result):
    data = json.loads(render("json", result))
    assert data["schema_version"] == 1
    assert data["verdict"] == result.verdict == "fail"  # (the example blocks required flows)
    assert set(data["inputs"][0]) >= {"path", "vendor", "lines", "unrecognized"}
    keys = [(f["path"], f["line"], f["rule_id"]) for f in data["findings"]]
    assert keys == sorted(keys)
    for f in data["findings"]:
        assert {"rule_id", "severity", "message", "path", "line", "fingerprint"} <= set(f)
        assert f["severity"] in ("error", "warning", "info")


def test_roles_not_defined_are_not_checked_not_passed(result):
    keys = {k for k, _, _ in result.unchecked}
    assert any(k.startswith("veris:") for k in keys)
    assert not any(f["flow"].startswith("veris:") for f in result.flows)

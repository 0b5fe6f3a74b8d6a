"""The bundled FortiGate example: golden outputs (written by scripts/update_goldens.py, by
hand), and each kind of finding on the right line."""


import pytest
from conftest import ROOT, check_goldens, example_result

HERE = ROOT / "examples" / "fortios-site"


@pytest.fixture(scope="module")
def result():
    return example_result("fortios")


def test_golden():
    check_goldens("fortios")


def line_of(text: str) -> int:
    return [n for n, line in enumerate((HERE / "fortigate.conf").read_text().splitlines(), 1)
            if line.strip() == text][0]


def test_findings_point_at_the_right_lines(result):
    got = {(f.rule_id, f.source.line) for f in result.findings}
    assert ("PRN100", line_of("edit 10")) in got  # the SMB deny blocks a required flow
    assert ("PRN120", line_of("set session-ttl 7200")) in got  # the policy's session TTL
    assert ("ACL201", line_of("edit 12")) in got  # a redundant policy
    assert ("PRN150", line_of("edit 30")) in got  # the server published through a VIP
    assert result.verdict == "fail"

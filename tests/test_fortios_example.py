"""The bundled FortiGate example: golden outputs (written by examples/fortios-site/regenerate.py, by
hand), and each kind of finding on the right line."""

import os

import pytest
from conftest import ROOT

from auditor.api import audit, load_config
from auditor.policy import load_site
from auditor.report import render

HERE = ROOT / "examples" / "fortios-site"


@pytest.fixture(scope="module")
def result():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return audit([load_config("examples/fortios-site/fortigate.conf")],
                     load_site("examples/fortios-site/site.yaml"))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("fmt, name", [("text", "audit.txt"), ("json", "audit.json")])
def test_golden(result, fmt, name):
    path = HERE / name
    assert path.exists(), "missing golden file: run examples/fortios-site/regenerate.py and review it"
    assert render(fmt, result) == path.read_text(), "output changed: run examples/fortios-site/regenerate.py"


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

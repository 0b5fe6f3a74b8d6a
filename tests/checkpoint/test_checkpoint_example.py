"""The bundled Check Point example (examples/checkpoint-site): golden outputs, and the findings it
exists to show on their lines: a blocked required flow, an idle timeout, anomalies, NAT exposure.

The golden files are written by ``scripts/update_goldens.py``, run by hand; this
test only compares, and a missing golden file fails it.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, check_goldens, example_result

HERE = ROOT / "examples" / "checkpoint-site"
GOLDEN = HERE / "golden"


@pytest.fixture(scope="module")
def result():
    return example_result("checkpoint")


def test_golden_outputs():
    check_goldens("checkpoint")


def _line(text: str, file: str = "Network.json") -> int:
    for n, line in enumerate((HERE / "export" / file).read_text().splitlines(), 1):
        if line.strip() == text:
            return n
    raise AssertionError(text)


def _find(result, rule):
    return [f for f in result.findings if f.rule_id == rule]


def test_the_findings_the_example_shows(result):
    assert result.verdict == "fail"
    assert [c.path for c in result.configs] == ["examples/checkpoint-site/export/Network.json"]
    # a blocked required flow: the Drop rule for SMB, above the Accept that never matches
    smb = [f for f in _find(result, "PRN100") if f.key.startswith("smb:workshop")]
    assert {f.source.line for f in smb} == {_line('"name": "Block SMB from clients",')}
    (shadow,) = _find(result, "ACL200")
    assert shadow.source.line == _line('"name": "Workshop SMB job volumes",')
    # idle timeouts: the JTP service's own 30 minutes, and the default 3600 s for the rest
    prn120 = {f.source.line for f in _find(result, "PRN120")}
    assert prn120 == {_line('"session-timeout": 1800,'), _line('"name": "Network",')}
    # redundant rules
    assert {f.source.line for f in _find(result, "ACL201")} == {
        _line('"name": "Secondaries to Oracle",'), _line('"name": "Workshop HTTP again",')}
    # the server exposed through the static NAT of its public address
    assert any(f.example and f.example[1] == 0xFFFF00000000 + (203 << 24 | 113 << 8 | 10)
               for f in _find(result, "PRN150"))
    # AFP waived by the rule's own comment
    assert all(f.waived for f in _find(result, "PRN160"))
    # the admin's inline layer decides its traffic: nothing of it is blocked
    assert not [f for f in _find(result, "PRN100") if f.key.startswith(("diagview", "dashboard"))]

"""The bundled Junos example: golden outputs (written by ``scripts/update_goldens.py``, by hand), and each finding
kind on the right line: a blocked required flow, an idle-timeout finding, an anomaly; NAT end to end."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, check_goldens, example_result

from auditor.api import explain, load_config

CFG = EXAMPLES / "junos-site" / "srx.conf"
GOLDEN = EXAMPLES / "junos-site" / "golden"


@pytest.fixture(scope="module")
def result():
    return example_result("junos")


def test_golden():
    check_goldens("junos")


def line_of(text: str) -> int:
    hits = [n for n, line in enumerate(CFG.read_text().splitlines(), 1) if line.strip() == text]
    assert len(hits) == 1, text
    return hits[0]


def test_findings_on_the_right_lines(result):
    assert result.verdict == "fail"
    by = {}
    for f in result.findings:
        by.setdefault(f.rule_id, []).append(f)
    smb = [f for f in by["PRN100"] if f.key.startswith("smb")]
    assert smb and {f.source.line for f in smb} == {line_of("policy block-smb {")}
    idle = {f.source.line for f in by["PRN120"]}
    assert line_of("inactivity-timeout 3600;") in idle  # PRINERGY-TCP
    assert line_of("policy prinergy-workshop {") in idle  # junos-http: its default 1800 s
    assert line_of("inactivity-timeout never;") not in idle  # PRINERGY-ORACLE
    assert [f.source.line for f in by["ACL201"]] == [line_of("policy workshop-web {")]
    assert line_of("application [ junos-http junos-ms-rdp-tcp ];") in {f.source.line for f in by["CFG300"]}
    # the inactive policy is left out: nothing points at it but as a disabled rule
    assert all(f.source.line != line_of("inactive: policy temp-any {") for f in by["PRN100"])


def test_flows_through_nat():
    cfg = load_config(str(CFG))
    # static NAT: the internet reaches the portal at its public address; the policy sees the private one
    d = explain(cfg, "198.51.100.7", "203.0.113.50", "tcp", 1024, 443)
    assert d["decision"] == "permit" and d["line"] == line_of("policy portal-https {")
    assert explain(cfg, "198.51.100.7", "203.0.113.50", "tcp", 1024, 80)["decision"] == "deny"
    # not translated: the private address is not reachable from the internet by any policy
    assert explain(cfg, "198.51.100.7", "10.20.0.10", "tcp", 1024, 80)["decision"] == "deny"
    # outbound through source NAT: permitted by the global policy
    assert explain(cfg, "10.30.0.7", "8.8.8.8", "udp", 1024, 53)["line"] == line_of("policy outbound {")

"""The bundled PAN-OS example: golden outputs, and each finding on the right line.

``examples/panos-site/running-config.xml`` is a prepress site's firewall (servers, Workshop, office,
prepress devices and the Internet; a destination NAT for remote support, source NAT outbound) with the
mistakes people make.  Its golden outputs (``audit.txt``, ``audit.json`` beside it) are written by
``scripts/update_goldens.py``, run by hand; a missing golden file fails here.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, check_goldens, example_result

HERE = EXAMPLES / "panos-site"
CONFIG = HERE / "running-config.xml"


@pytest.fixture(scope="module")
def result():
    return example_result("panos")


def test_golden():
    check_goldens("panos")


def line_of(needle: str) -> int:
    for n, line in enumerate(CONFIG.read_text().splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def rule_line(name: str) -> int:
    return line_of('<entry name="%s"' % name)


def findings(result, rule):
    return [f for f in result.findings if f.rule_id == rule]


def test_the_example_shows_each_kind_of_finding_on_its_line(result):
    assert result.verdict == "fail"
    assert [d for d in result.configs[0].diagnostics] == []
    # a blocked required flow: SMB from Workshop, denied by the rule above the allow
    smb = [f for f in findings(result, "PRN100") if f.key.startswith("smb:workshop") and f.status == "fail"]
    assert {f.source.line for f in smb} == {rule_line("deny-guest-smb")}
    assert all(f.example[4] == 445 for f in smb)
    # the idle timeout: the global timeout-tcp of 30 minutes (Orbacus has a service override of 8 hours)
    [idle] = findings(result, "PRN120")
    assert idle.source.line == line_of("<timeout-tcp>1800</timeout-tcp>")
    assert not (49100 <= idle.example[4] <= 49102)
    # anomalies: the legacy web rule is redundant after the broad Workshop rule; the office rule is any-any
    red = {f.source.line: f for f in findings(result, "ACL201")}
    assert rule_line("workshop-web-legacy") in red
    assert red[rule_line("workshop-web-legacy")].related[0].line == rule_line("workshop-prinergy")
    assert {f.source.line for f in findings(result, "ACL210")} == {rule_line("office-to-servers")}
    # exposure through the destination NAT: the Internet reaches the primary's RDP at its public address
    exposed = {f.source.line: f for f in findings(result, "PRN150")}
    assert exposed[rule_line("remote-support-rdp")].example[4] == 3389
    # the link-local address in the server group
    assert {f.source.line for f in findings(result, "PRN130")} == {line_of("169.254.20.12")}
    # an App-ID rule: ColorFlow cannot be decided from the configuration
    unsure = [f for f in findings(result, "PRN100") if f.status == "unknown"]
    assert unsure and {f.source.line for f in unsure} == {rule_line("servers-colorflow")}
    # the disabled rule is no finding
    assert rule_line("office-everything-old") not in {f.source.line for f in result.findings}

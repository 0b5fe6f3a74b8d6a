"""GitHub annotations are printed most severe first.

GitHub shows at most 10 error and 10 warning annotations per step, the first printed (GitHub Docs,
"Usage limits, billing, and administration" / "Job annotations"; community discussion #68471:
"it's in the order they are printed in the action").  The Junos example's audit printed a warning
(line 76) before its errors, the diff a required flow newly blocked after every introduced finding:
an audit with more than 10 warnings early in the file showed no error at all on the pull request.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_formats import cli

RANK = {"error": 0, "warning": 1, "notice": 2}


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _levels(out: str) -> list[str]:
    lines = out.splitlines()
    assert all(line.startswith("::") for line in lines)
    return [line[2:].split(" ", 1)[0].split("::", 1)[0] for line in lines]


def _check(out: str, verdict: str) -> None:
    levels = _levels(out)
    assert levels == sorted(levels, key=RANK.__getitem__)
    first_notice = out.splitlines()[levels.index("notice")]
    assert first_notice.startswith("::notice title=prinergy-audit::%s" % verdict)


@pytest.mark.parametrize("site, cfg", [("junos-site", "srx.conf"), ("ios-site", "ios.cfg"),
                                       ("panos-site", "running-config.xml"), ("prinergy-site", "asa.cfg")])
def test_an_audit_annotates_errors_then_warnings_then_the_verdict_and_notices(site, cfg):
    code, out, _ = cli("audit", "examples/%s/%s" % (site, cfg), "--site", "examples/%s/site.yaml" % site,
                       "--format", "github")
    assert code == 1 and "::error " in out
    _check(out, "verdict FAIL")


def test_a_change_request_annotates_its_errors_first():
    code, out, _ = cli("check-change", "examples/change/before.cfg", "examples/change/change.txt",
                       "--site", "examples/change/site.yaml", "--format", "github")
    assert code == 1
    _check(out, "diff verdict FAIL")
    assert out.startswith("::error file=examples/change/change.txt,line=6,title=PRN150 ")

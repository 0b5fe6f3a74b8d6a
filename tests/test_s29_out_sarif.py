"""SARIF's invocation carries the command's exit code.

SARIF 2.1.0 (OASIS), section 3.20.22 ``exitCode``: "the exit code of the tool process" (an integer);
section 3.20.14 ``executionSuccessful`` is whether the tool ran to the end, not whether the code
passed, so a failing audit had ``executionSuccessful: true`` and nothing in the log said the job
failed.  A consumer reading the uploaded log (code scanning's tool status, a dashboard) now sees 1
for a run that fails the job, 0 for a pass or with ``--exit-zero``.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import FIXTURES, ROOT
from test_formats import cli

SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
ASA = "examples/prinergy-site/asa.cfg"
SITE = "examples/prinergy-site/site.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _invocation(out: str) -> dict:
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    (inv,) = doc["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is True
    return inv


def test_a_failing_audit_says_exit_code_1_and_0_with_exit_zero():
    code, out, _ = cli("audit", ASA, "--site", SITE, "--format", "sarif")
    assert code == 1 and _invocation(out)["exitCode"] == 1
    code, out, _ = cli("audit", ASA, "--site", SITE, "--format", "sarif", "--exit-zero")
    assert code == 0 and _invocation(out)["exitCode"] == 0


def test_a_passing_audit_says_exit_code_0(tmp_path):
    cfg = tmp_path / "fw.cfg"
    cfg.write_text("ASA Version 9.16(4)\nhostname t\ninterface GigabitEthernet0/0\n nameif inside\n"
                   " security-level 100\n ip address 10.1.0.1 255.255.0.0\n")
    code, out, _ = cli("audit", str(cfg), "--role", "workshop=10.9.0.0/16", "--format", "sarif")
    assert _invocation(out)["exitCode"] == code


def test_a_diff_and_a_change_request_say_their_exit_code():
    code, out, _ = cli("diff", "examples/change/before.cfg", "examples/change/after.cfg",
                       "--site", "examples/change/site.yaml", "--format", "sarif")
    assert code == 1 and _invocation(out)["exitCode"] == 1
    code, out, _ = cli("check-change", "examples/ios-site/ios.cfg", "examples/ios-site/change.txt",
                       "--site", "examples/ios-site/site.yaml", "--format", "sarif")
    assert code == 0 and _invocation(out)["exitCode"] == 0


def test_a_change_request_given_absolute_paths_names_its_files_from_the_repository_root():
    """README (Gating change requests in CI): every location is a line of a file in the repository,
    paths from the repository's root, "in the messages too".  Given absolute paths (as a CI job
    passes ``$GITHUB_WORKSPACE/...``), the SARIF results were at ``examples/change/change.txt`` but
    their messages said "line 6 of /home/.../examples/change/change.txt": the machine's path."""
    before, change = str(ROOT / "examples/change/before.cfg"), str(ROOT / "examples/change/change.txt")
    site = str(ROOT / "examples/change/site.yaml")
    for fmt in ("sarif", "github"):
        code, out, _ = cli("check-change", before, change, "--site", site, "--format", fmt)
        assert code == 1 and str(ROOT) not in out
        assert "line 6 of examples/change/change.txt" in out
    code, out, _ = cli("diff", before, str(ROOT / "examples/change/after.cfg"), "--site", site, "--format", "github")
    assert code == 1 and str(ROOT) not in out and "was deny by examples/change/before.cfg:76" in out

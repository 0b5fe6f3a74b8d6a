"""A Check Point change request copied from a script logs mgmt_cli in on its command line (Check Point
Management API reference, "mgmt_cli tool": ``-p``/``--password`` the administrator's password,
``--session-id`` a logged-in session's id, either of which acts as the administrator): the change's
line is quoted in every format of ``check-change`` (the permitting line of an example packet), and
the password or session id was quoted with it (the Markdown report's table of changed decisions)."""

from __future__ import annotations

import re

import pytest
from cp_helpers import host, layer, network, rule, section, tcp, text
from typer.testing import CliRunner

from auditor.cli import Fatal, app

SECRET = re.compile(r"Zq9P\w+?x")
CHANGE = '''mgmt_cli login user admin password Zq9Pcp1x > id.txt
mgmt_cli -u admin -p Zq9Pcp2x add access-rule layer "Network" position 1 name "Prinergy SMB" source "Workshop_Net" \
destination "Prinergy_Primary" service "microsoft-ds" action "Accept"
mgmt_cli add access-rule layer "Network" position 1 name "Prinergy SMB 2" source "Workshop_Net" \
destination "Prinergy_Primary" service "microsoft-ds" action "Accept" --user admin -p "Zq9P cp3x"
mgmt_cli publish --session-id Zq9Pcp4x
'''


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown", "github", "html"])
def test_a_change_requests_mgmt_cli_password_or_session_reaches_no_output(tmp_path, fmt):
    ws, srv, smb = network("Workshop_Net", "10.20.0.0", 24), host("Prinergy_Primary", "10.10.0.10"), tcp(
        "microsoft-ds", "445")
    policy = tmp_path / "policy.json"
    policy.write_text(text(layer("Network", [section("Prinergy", [rule("block smb", [ws], [srv], [smb], "Drop")]),
                                             section("Cleanup", [rule("Cleanup rule", action="Drop")])],
                                 [ws, srv, smb])))
    change = tmp_path / "change.txt"
    change.write_text(CHANGE)
    r = CliRunner().invoke(app, ["check-change", str(policy), str(change), "--role", "primary=10.10.0.10", "--role",
                                 "workshop=10.20.0.0/24", "--format", fmt])
    assert not isinstance(r.exception, Fatal) and r.exit_code in (0, 1), r.stderr
    assert "Prinergy SMB" in r.stdout or fmt in ("junit", "sarif", "github")  # (the change was applied and quoted)
    assert SECRET.findall(r.stdout + r.stderr) == [] and "Zq9P" not in r.stdout

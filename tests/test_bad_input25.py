"""Bad input the session-25 red team found mishandled (bad input and secrets, every vendor)."""

from __future__ import annotations

from conftest import EXAMPLES
from test_formats import cli

ASA = str(EXAMPLES / "prinergy-site" / "asa.cfg")


def test_a_config_named_twice_in_a_fleet_writes_its_reports_under_its_own_name(tmp_path):
    # (overlapping globs name a file twice: its reports were keyed by its path, the second name
    # replaced the first, and both audits wrote 'asa.cfg-2.json', no 'asa.cfg.json')
    out_dir = tmp_path / "reports"
    code, out, err = cli("audit", "--each", ASA, ASA, "--role", "primary=10.20.0.10", "--output-dir", str(out_dir),
                         "--format", "json", "--jobs", "1")
    assert code == 1, err
    assert out.splitlines()[-1] == "2 device(s): 2 fail"
    assert sorted(p.name for p in out_dir.iterdir()) == ["asa.cfg.json"]


def test_markdown_and_github_reports_do_not_replay_a_config_s_control_sequences(tmp_path):
    # (the text report and explain show a quoted line's control characters as \xNN, ECMA-48 OSC: a comment's
    # OSC 0 sets a terminal's title, OSC 52 writes its clipboard; the Markdown report goes to a terminal as
    # well, and the GitHub annotations to a CI log that renders escape sequences: both wrote them as they are)
    from test_hunt22_ci import SITE, rules

    (tmp_path / "old").mkdir()
    before = rules(tmp_path / "old", "-A INPUT -p tcp --dport 22 -j ACCEPT")
    path = rules(tmp_path, '-A INPUT -p tcp --dport 548 -m comment --comment "a\x1b]52;c;cGF5bG9hZA==\x07b" -j ACCEPT')
    for fmt in ("markdown", "github"):
        code, out, err = cli("audit", path, "--site", SITE, "--format", fmt)
        assert code == 1, err
        assert "\x1b" not in out and "\x07" not in out and "\\x1b]52;c;cGF5bG9hZA==\\x07b" in out, fmt
        code, out, err = cli("diff", before, path, "--site", SITE, "--format", fmt)
        assert "\x1b" not in out and "\x07" not in out, fmt

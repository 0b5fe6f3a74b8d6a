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

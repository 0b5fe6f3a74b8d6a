"""Settings: [tool.prinergy-audit] / .prinergy-audit.toml found upward; flags win; --fail-on thresholds."""

import json
import shutil

import pytest
from conftest import ROOT
from test_formats import cli

from auditor.settings import SettingsError, find_settings_file, load_settings

BEFORE = ROOT / "examples/change/before.cfg"
SITE = ROOT / "examples/change/site.yaml"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with the example config and site, the working directory two levels below it."""
    (tmp_path / "fw").mkdir()
    shutil.copy(BEFORE, tmp_path / "fw" / "asa.cfg")
    shutil.copy(SITE, tmp_path / "fw" / "site.yaml")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    return tmp_path


def test_pyproject_table_found_upward_with_relative_paths(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.prinergy-audit]\nsite = "fw/site.yaml"\npolicy = "prinergy-8"\n'
        'fail-on = "warning"\nformat = ["json"]\n')
    s = load_settings()
    assert s.path == str(project / "pyproject.toml")
    assert s.site == str(project / "fw" / "site.yaml") and s.policy == "prinergy-8"
    assert s.fail_on == "warning" and s.formats == ("json",)


def test_dotfile_wins_in_the_same_folder_and_nearer_wins(project):
    (project / "pyproject.toml").write_text('[tool.prinergy-audit]\npolicy = "prinergy-9"\n')
    (project / ".prinergy-audit.toml").write_text('policy = "prinergy-8"\n')
    assert load_settings().policy == "prinergy-8"
    (project / "a" / "pyproject.toml").write_text('[tool.prinergy-audit]\nfail-on = "info"\n')
    s = load_settings()
    assert s.fail_on == "info" and s.policy is None


def test_pyproject_without_the_table_is_skipped(project):
    (project / "a" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (project / ".prinergy-audit.toml").write_text('fail-on = "warning"\n')
    assert find_settings_file()[0] == project / ".prinergy-audit.toml"


@pytest.mark.parametrize("text,needle", [
    ('colour = "red"\n', "unknown setting 'colour'"),
    ('fail-on = "high"\n', "fail-on must be one of"),
    ('format = "pdf"\n', "unknown format 'pdf'"),
    ('format = 3\n', "'format' must be"),
    ('site = ""\n', "'site' must be a non-empty string"),
    ('site = [\n', "not valid TOML"),
])
def test_bad_settings_exit_2(project, text, needle):
    (project / ".prinergy-audit.toml").write_text(text)
    with pytest.raises(SettingsError, match="prinergy-audit.toml"):
        load_settings(known_formats=("text", "json"))
    code, out, err = cli("audit", str(project / "fw" / "asa.cfg"), "--vendor", "cisco-asa")
    assert code == 2 and needle in err and out == ""


def test_settings_drive_the_cli_and_flags_win(project):
    (project / ".prinergy-audit.toml").write_text(
        'site = "fw/site.yaml"\nformat = "json"\nfail-on = "error"\n')
    cfg = str(project / "fw" / "asa.cfg")
    code, out, err = cli("audit", cfg, "--vendor", "cisco-asa")
    data = json.loads(out)  # format from the file
    assert code == 1 and data["flows"]  # site from the file: flows were checked
    code, out, err = cli("audit", cfg, "--vendor", "cisco-asa", "--format", "text")
    assert out.startswith(cfg)  # the flag wins
    code, out, err = cli("audit", cfg, "--vendor", "cisco-asa", "--no-config")
    assert "no required flow could be checked" in out  # settings ignored: no site
    other = project / "other.toml"
    other.write_text('format = "markdown"\nsite = "fw/site.yaml"\n')
    code, out, err = cli("audit", cfg, "--vendor", "cisco-asa", "--config", str(other))
    assert out.startswith("## prinergy-audit")


def test_waivers_from_settings(project):
    (project / "w.yaml").write_text("- rule_id: PRN160\n  contains: eq 548\n  justification: legacy\n"
                                    "  expires: 2999-01-01\n")
    (project / ".prinergy-audit.toml").write_text('site = "fw/site.yaml"\nwaivers = "w.yaml"\nformat = "json"\n')
    data = json.loads(cli("audit", str(project / "fw" / "asa.cfg"), "--vendor", "cisco-asa")[1])
    assert [f["rule_id"] for f in data["findings"] if f.get("waived")] == ["PRN160"]


def test_fail_on_thresholds(project, tmp_path):
    """The default threshold fails on errors only; lower thresholds fail on warnings and infos too."""
    cfg = project / "fw" / "ok.cfg"
    # permit every required flow and nothing else: only the AFP info finding is left
    text = (BEFORE.read_text()
            .replace("access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log\n", "")
            .replace(" network-object host 169.254.20.12\n", "")
            .replace("access-list WORKSHOP_IN extended deny ip any any log\n",
                     "access-list WORKSHOP_IN extended permit tcp object-group WORKSHOP object-group "
                     "PRINERGY-SERVERS range 49100 49102\naccess-list WORKSHOP_IN extended deny ip any any log\n")
            .replace("access-list OUTSIDE_IN extended permit tcp any host PRINERGY-PRIMARY eq 3389\n", "")
            .replace("access-list OFFICE_IN extended permit tcp 10.40.0.0 255.255.255.0 any eq https\n",
                     "access-list OFFICE_IN extended permit tcp host 10.40.0.5 object-group PRINERGY-SERVERS eq www\n")
            .replace("timeout conn 1:00:00", "timeout conn 8:00:00")
            .replace("set connection timeout idle 2:00:00 reset", "set connection timeout idle 8:00:00 dcd"))
    cfg.write_text(text)
    site = str(project / "fw" / "site.yaml")
    base = json.loads(cli("audit", str(cfg), "--site", site, "--vendor", "cisco-asa", "--format", "json",
                          "--no-config")[1])
    sevs = {f["severity"] for f in base["findings"]}
    assert "error" not in sevs and "info" in sevs, base["findings"]
    code, out, err = cli("audit", str(cfg), "--site", site, "--vendor", "cisco-asa", "--no-config")
    assert code == 0, out
    code, out, err = cli("audit", str(cfg), "--site", site, "--vendor", "cisco-asa", "--fail-on", "info",
                         "--format", "json", "--no-config")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "fail" and "at or above --fail-on info" in data["verdict_reasons"][0]
    expect = 1 if "warning" in sevs else 0
    code, out, err = cli("audit", str(cfg), "--site", site, "--vendor", "cisco-asa", "--fail-on", "warning",
                         "--no-config")
    assert code == expect
    (project / ".prinergy-audit.toml").write_text('fail-on = "info"\n')
    assert cli("audit", str(cfg), "--site", site, "--vendor", "cisco-asa")[0] == 1
    assert cli("audit", str(cfg), "--site", site, "--vendor", "cisco-asa", "--fail-on", "error")[0] == 0

"""The library is the program: the API's audit() and the command give byte-identical JSON."""

import subprocess
import sys

from conftest import ROOT

from auditor.api import audit, combine_inputs, load_config
from auditor.policy import load_site
from auditor.report import render

sys.path.insert(0, str(ROOT / "benchmarks"))


def _cli_json(*args, cwd=ROOT) -> str:
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", *args, "--format", "json", "--no-config"],
                       capture_output=True, cwd=cwd, timeout=300)
    assert p.returncode in (0, 1), p.stderr.decode()
    return p.stdout.decode()


def test_the_bundled_example_gives_the_same_json(monkeypatch):
    monkeypatch.chdir(ROOT)
    cfg = "examples/prinergy-site/asa.cfg"
    site = "examples/prinergy-site/site.yaml"
    result = audit(combine_inputs([load_config(cfg)], None, load_site(site)), load_site(site))
    assert render("json", result) == _cli_json(cfg, "--site", site)


def test_a_generated_config_gives_the_same_json_with_fail_on(tmp_path, monkeypatch):
    from gen_asa import generate

    monkeypatch.chdir(tmp_path)
    (tmp_path / "gen.cfg").write_text(generate(3000, seed=5))
    roles = ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]
    site = load_site(None, roles)
    result = audit([load_config("gen.cfg")], site, fail_on="warning")
    assert result.verdict == "fail"
    args = ["gen.cfg", "--fail-on", "warning"] + [x for r in roles for x in ("--role", r)]
    assert render("json", result) == _cli_json(*args, cwd=tmp_path)

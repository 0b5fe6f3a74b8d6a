"""Session 30: --color / --no-color and --stdin-filename (docs: the shared CI conventions, section 10: sqlfluff's
``--color/--nocolor``, otherwise plain when stdout is not a terminal or NO_COLOR is set; no-color.org: "command-line
arguments should override $NO_COLOR"; ruff's and sqlfluff's ``--stdin-filename``: the text read from ``-`` is named
as that file, so that SARIF URIs, fingerprints and waivers are those of the file), and the reports' paths worked out
once per report without module state (``report.sarif.PathNames``, was the module-level ``_MEMO``)."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from auditor.cli import Fatal, app

BEFORE, CHANGE, SITE = "examples/change/before.cfg", "examples/change/change.txt", "examples/change/site.yaml"
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
ESC = "\033["


def cli(*args: str, input: str | None = None, env: dict | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), input=input, env=env)
    if isinstance(r.exception, Fatal):
        return 2, r.stdout, str(r.exception)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _text(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def test_color_is_asked_for_or_refused_on_the_command_line_whatever_no_color_says():
    # stdout is not a terminal here: plain by default, colored with --color, even with NO_COLOR set
    _c, plain, _e = cli("audit", BEFORE, "--site", SITE, env={"NO_COLOR": ""})
    assert ESC not in plain
    _c, colored, _e = cli("audit", BEFORE, "--site", SITE, "--color", env={"NO_COLOR": "1"})
    assert ESC in colored
    _c, colored, _e = cli("check-change", BEFORE, CHANGE, "--site", SITE, "--color", env={"NO_COLOR": "1"})
    assert ESC in colored
    _c, none, _e = cli("diff", BEFORE, "examples/change/after.cfg", "--site", SITE, "--no-color")
    assert ESC not in none


def test_machine_formats_are_never_colored():
    code, out, _e = cli("audit", BEFORE, "--site", SITE, "--color", "--format", "json")
    assert code == 1 and ESC not in out
    json.loads(out)


def test_a_config_read_from_stdin_is_named_as_the_file_it_is():
    code, out, err = cli("audit", "-", "--site", SITE, "--stdin-filename", BEFORE, "--format", "sarif",
                         input=_text(BEFORE))
    assert code == 1, err
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"] for loc in r["locations"]}
    assert uris == {BEFORE}  # (was "stdin")
    # the same fingerprints as the file audited by its path: waivers and baselines match
    _c, by_path, _e = cli("audit", BEFORE, "--site", SITE, "--format", "json")
    assert ([f["fingerprint"] for f in json.loads(by_path)["findings"]]
            == [f["fingerprint"] for f in json.loads(cli("audit", "-", "--site", SITE, "--stdin-filename", BEFORE,
                                                         "--format", "json", input=_text(BEFORE))[1])["findings"]])


def test_a_change_read_from_stdin_is_named_as_the_file_it_is():
    code, out, err = cli("check-change", BEFORE, "-", "--site", SITE, "--stdin-filename", CHANGE, "--format",
                         "github", input=_text(CHANGE))
    assert code == 1, err
    assert "file=%s,line=" % CHANGE in out and "file=stdin" not in out
    code, out, err = cli("diff", BEFORE, "-", "--site", SITE, "--stdin-filename", "examples/change/after.cfg",
                         "--format", "json", input=_text("examples/change/after.cfg"))
    assert code == 1, err
    assert json.loads(out)["new"]["path"] == "examples/change/after.cfg"


@pytest.mark.parametrize("args", [("audit", BEFORE), ("check-change", BEFORE, CHANGE)])
def test_stdin_filename_without_stdin_is_bad_usage(args):
    code, _out, err = cli(*args, "--site", SITE, "--stdin-filename", "x.cfg")
    assert code == 2 and "--stdin-filename" in err


def test_the_reports_keep_no_module_state():
    from auditor.report import sarif

    state = [k for k, v in vars(sarif).items()
             if isinstance(v, (dict, list, set)) and not k.isupper() and not k.startswith("__")]
    assert not state  # (was ``_MEMO``)


def test_a_unified_diff_given_as_the_change_is_named_as_one(tmp_path):
    # a pull request's patch (git diff) handed to check-change: bad input (2), saying what to run instead, rather
    # than "cannot apply '--- a/fw.cfg'"
    with open(BEFORE, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    k = lines.index(" network-object host 10.20.0.12")
    patch = ["diff --git a/fw.cfg b/fw.cfg", "index 805bb1f..8f452df 100644", "--- a/fw.cfg", "+++ b/fw.cfg",
             "@@ -%d,3 +%d,2 @@" % (k, k), " " + lines[k - 1], "-" + lines[k], " " + lines[k + 1], ""]
    (tmp_path / "pr.patch").write_text("\n".join(patch), encoding="utf-8")
    code, _out, err = cli("check-change", BEFORE, str(tmp_path / "pr.patch"), "--site", SITE)
    assert code == 2 and "is a unified diff" in err and "diff NEW --base-ref REF" in err

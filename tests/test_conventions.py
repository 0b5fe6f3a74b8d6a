"""The command-line conventions people know from ruff, semgrep and trivy, one test each: --version/-V
and -h; --select/--ignore (flags and settings); --exit-zero; help text (placeholders, roles, exit codes,
examples); explain's checks; field, YAML and input errors that name what is wrong; fix hints, docs
links and fingerprints in the text; a summary first for thousands of findings; the Markdown comment
ordered by severity with what was not checked; check-change locations in real files; the flow matrix
on a terminal only.  (The GitHub Actions recipe: tests/test_ci_recipes.py.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT
from test_formats import cli

from auditor import __version__

ASA = "examples/prinergy-site/asa.cfg"
SITE = "examples/prinergy-site/site.yaml"
COMMANDS = ("audit", "diff", "check-change", "explain", "init", "serve", "policies")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args, cwd=ROOT, stdin=None):
    """The real entry point (main(): one-line errors, exit codes) in a subprocess."""
    p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=cwd, timeout=120,
                       input=stdin, env=dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT)))
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def test_version_and_short_help():
    for flag in ("--version", "-V"):
        code, out, err = run(flag)
        assert (code, out, err) == (0, "prinergy-audit %s\n" % __version__, "")
    for args in (("-h",), *((c, "-h") for c in COMMANDS)):
        code, out, err = run(*args)
        assert code == 0 and out.startswith("Usage: prinergy-audit") and err == "", args


def test_help_has_placeholders_roles_exit_codes_and_examples():
    from auditor.cli import ROLE_NAMES
    from auditor.policy import list_packs, load_pack

    # the role names the help lists are every role the packs name
    named = {r for p in list_packs() for r in load_pack(p).roles()}
    assert set(ROLE_NAMES) == named
    out = cli("audit", "--help")[1]
    for placeholder in ("--site FILE", "--role NAME=ADDR[,ADDR]", "--output FILE", "--format FORMAT",
                        "--policy NAME", "--fail-on SEVERITY", "--waivers FILE", "--select RULES", "--ignore RULES"):
        assert placeholder in out, placeholder
    assert "<str>" not in out.split("Options:")[1]  # (options: no type names for placeholders)
    flat = " ".join(out.split())
    for role in ROLE_NAMES:
        assert role in flat
    assert "Exit codes: 0 pass; 1 error findings" in flat and "2 bad usage or unreadable input" in flat
    for cmd in COMMANDS:
        text = cli(cmd, "--help")[1]
        assert "Examples:" in text and "\n    prinergy-audit %s " % cmd in text.replace("pbpaste | ", ""), cmd
        assert "Exit codes:" in text, cmd
    top = cli("--help")[1]
    assert "Examples:" in top and "Roles (--role NAME=ADDR" in top


def _rules(out: str) -> set[str]:
    return {f["rule_id"] for f in json.loads(out)["findings"]}


def test_select_and_ignore_by_id_or_prefix():
    every = _rules(cli("audit", ASA, "--site", SITE, "--format", "json")[1])
    assert {"PRN100", "PRN160", "ACL200", "CFG301"} <= every
    assert _rules(cli("audit", ASA, "--site", SITE, "--format", "json", "--select", "PRN")[1]) == \
        {r for r in every if r.startswith("PRN")}
    got = _rules(cli("audit", ASA, "--site", SITE, "--format", "json", "--select", "prn,ACL200",
                     "--ignore", "PRN1")[1])
    assert got == {"ACL200"}
    # the more specific wins: ignore a family, select one of it back
    got = _rules(cli("audit", ASA, "--site", SITE, "--format", "json", "--ignore", "PRN", "--select", "ALL",
                     "--select", "PRN160")[1])
    assert "PRN160" in got and not {"PRN100", "PRN130"} & got and "ACL200" in got
    # what is not selected does not count: only infos selected, no error fails the audit
    code, out, _ = cli("audit", ASA, "--site", SITE, "--format", "json", "--select", "PRN160")
    data = json.loads(out)
    assert _rules(out) == {"PRN160"} and data["verdict"] != "fail" and code == (0 if data["verdict"] == "pass" else 1)
    assert any(f["status"] == "fail" for f in data["flows"])  # (the flows stay what the device does)
    code, out, err = run("audit", ASA, "--select", "XYZ")
    assert code == 2 and out == "" and err.count("\n") == 1 and "no rule ID starts with 'XYZ'" in err


def test_select_and_ignore_as_settings(tmp_path):
    (tmp_path / ".prinergy-audit.toml").write_text('select = ["PRN1"]\nignore = "PRN160"\n')
    cfg, site = str(ROOT / ASA), str(ROOT / SITE)
    code, out, err = run("audit", cfg, "--site", site, "--format", "json", cwd=tmp_path)
    got = _rules(out)
    assert got and all(r.startswith("PRN1") for r in got) and "PRN160" not in got
    code, out, err = run("audit", cfg, "--site", site, "--format", "json", "--select", "ACL", cwd=tmp_path)
    assert _rules(out) and all(r.startswith("ACL") for r in _rules(out))  # the flag wins
    (tmp_path / ".prinergy-audit.toml").write_text('ignore = ["NOPE"]\n')
    code, out, err = run("audit", cfg, cwd=tmp_path)
    assert code == 2 and ".prinergy-audit.toml" in err and "NOPE" in err


def test_exit_zero(tmp_path):
    dest = tmp_path / "a.json"
    code, out, err = run("audit", ASA, "--site", SITE, "--exit-zero", "--format", "json", "-o", str(dest))
    assert code == 0 and json.loads(dest.read_text())["verdict"] == "fail"
    assert run("diff", "examples/change/before.cfg", "examples/change/after.cfg", "--site",
               "examples/change/site.yaml", "--exit-zero")[0] == 0
    code, out, err = run("audit", "-", "--exit-zero", stdin=b"not a config\n")
    assert code == 2 and "could not recognise" in err
    assert run("audit", "/nonexistent.cfg", "--exit-zero")[0] == 2


def test_explain_checks_its_options_and_prints_the_packet():
    code, out, err = run("explain", ASA, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "445",
                         "--format", "sarif")
    assert code == 2 and out == "" and "'sarif' is not one of 'text', 'json'" in err and err.count("\n") == 1
    for proto in ("tcp", "udp", "6"):
        code, out, err = run("explain", ASA, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--proto", proto)
        assert code == 2 and "--dport is needed" in err, proto
    code, out, err = run("explain", ASA, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "445")
    assert code == 0
    assert out.splitlines()[0] == "packet: tcp 10.30.0.5:49152 -> 10.20.0.10:445"
    assert out.splitlines()[1].startswith("DENY by line 76")
    code, out, err = run("explain", ASA, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--proto", "icmp")
    assert code == 0 and out.startswith("packet: icmp 10.30.0.5 -> 10.20.0.10 type 0 code 0\n")
    d = json.loads(run("explain", ASA, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "445", "--format",
                       "json")[1])
    assert d["packet"]["dport"] == 445


def test_a_bad_packets_line_names_the_field(tmp_path):
    pk = tmp_path / "p.jsonl"
    pk.write_text('{"src": "10.30.0.5", "dst": "10.20.0.10", "proto": "tcp", "dport": 445}\n'
                  '{"src": "10.30.0.5", "proto": "tcp", "dport": 445}\n')
    code, out, err = run("explain", ASA, "--packets", str(pk))
    assert code == 2 and "%s:2: missing field 'dst'" % pk in err


def test_a_site_file_yaml_error_gives_line_and_column(tmp_path):
    bad = tmp_path / "site.yaml"
    bad.write_text("roles:\n  primary: [10.20.0.10\n  workshop: 10.30.0.0/24\n")
    code, out, err = run("audit", ASA, "--site", str(bad))
    assert code == 2 and err.count("\n") == 1
    # (file:line:column, as every validation error of packs, sites, waivers and settings: issue 18)
    assert "%s:3:11: site file is not valid YAML" % bad in err
    bad.write_text("roles:\n\tprimary: [10.20.0.10]\n")
    assert "%s:2:1: site file is not valid YAML" % bad in run("audit", ASA, "--site", str(bad))[2]


def test_of_several_inputs_the_one_not_a_config_is_named(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("remember to ask the printer vendor\n")
    code, out, err = run("audit", ASA, str(notes))
    assert code == 2 and err.strip() == "prinergy-audit: error: %s: could not recognise the configuration format " \
        "(supported: %s); use --vendor to choose one" % (notes, err.split("supported: ")[1].split(")")[0])


def test_text_shows_each_rules_fix_and_docs_and_fingerprints_on_request():
    from auditor.checks import all_rules
    from auditor.report.sarif import DOCS_URL

    out = cli("audit", ASA, "--site", SITE)[1]
    rules = all_rules()
    found = sorted(set(re.findall(r"^  ([A-Z]{3}\d{3}) ", out, re.M)))
    import parsers

    advice = parsers.load("cisco-asa").advice  # (the vendor's own fix, where it has one; else the rule's)
    for rule_id in found:
        assert "      help: %s" % advice.get(rule_id, rules[rule_id].fix) in out
        assert "      docs: %s%s.md" % (DOCS_URL, rule_id) in out
        assert out.count("docs/rules/%s.md" % rule_id) == 1  # once per rule, with its first finding
    assert "fingerprint:" not in out
    shown = cli("audit", ASA, "--site", SITE, "--show-fingerprints")[1]
    fps = [f["fingerprint"] for f in json.loads(cli("audit", ASA, "--site", SITE, "--format", "json")[1])["findings"]]
    assert sorted(re.findall(r"^      fingerprint: ([0-9a-f]{16})$", shown, re.M)) == sorted(fps)


def test_thousands_of_findings_start_with_a_summary_per_rule():
    from auditor.audit import AuditResult
    from auditor.core.model import Source
    from auditor.findings import Finding
    from auditor.report import render
    from auditor.report.text import SUMMARY_ABOVE

    def result(n: int) -> AuditResult:
        fs = [Finding("ACL201", "warning", "redundant", Source("fw.cfg", i + 1, "x %d" % i)) for i in range(n - 3)]
        fs += [Finding("PRN100", "error", "blocked", Source("fw.cfg", n + i, "y %d" % i)) for i in range(3)]
        return AuditResult("fail", "prinergy-8", [], fs)

    big = render("text", result(SUMMARY_ABOVE + 1))
    head = big[:big.index("ERRORS (3)")]
    assert "SUMMARY BY RULE (%d findings)" % (SUMMARY_ABOVE + 1) in head
    lines = head.splitlines()
    k = next(i for i, x in enumerate(lines) if x.startswith("SUMMARY BY RULE"))
    assert lines[k + 1].split() == ["PRN100", "error", "3", "required-flow-blocked"]  # most severe first
    assert lines[k + 2].split() == ["ACL201", "warning", str(SUMMARY_ABOVE - 2), "redundant-rule"]
    assert "SUMMARY BY RULE" not in render("text", result(SUMMARY_ABOVE))


def test_markdown_is_ordered_by_severity_and_lists_what_was_not_checked():
    out = cli("audit", ASA, "--site", SITE, "--format", "markdown")[1]
    sev = re.findall(r"^\| (error|warning|info)(?: \(waived\))? \|", out, re.M)
    rank = {"error": 0, "warning": 1, "info": 2}
    assert sev and [rank[s] for s in sev] == sorted(rank[s] for s in sev)
    data = json.loads(cli("audit", ASA, "--site", SITE, "--format", "json")[1])
    assert "Not checked (%d)" % len(data["not_checked"]) in out
    for n in data["not_checked"]:
        assert "| `%s` | %s |" % (n["flow"], n["reason"]) in out


def test_check_change_locations_are_lines_of_real_files():
    from auditor.core.secrets import redact

    before, change = "examples/change/before.cfg", "examples/change/change.txt"
    code, out, err = cli("check-change", before, change, "--site", "examples/change/site.yaml")
    files = {p: (ROOT / p).read_text().splitlines() for p in (before, change)}
    lines = out.splitlines()
    checked = 0
    for k, line in enumerate(lines):
        m = re.match(r"^  [A-Z]{3}\d{3} (\S+):(\d+)  ", line) or re.match(r"^      (?:old|new): \w+ at (\S+):(\d+) \| ",
                                                                         line)
        if not m:
            continue
        path, n = m.group(1), int(m.group(2))
        assert path in files, line
        finding = line.startswith("  ") and not line.startswith("      ")
        quoted = lines[k + 1][8:] if finding else line.split(" | ", 1)[1]
        # (the line at the location, as the file has it: a change command with its 'line N', as markdown quotes it)
        want = redact(files[path][n - 1].strip())
        assert want == quoted.strip(), (line, files[path][n - 1])
        checked += 1
    assert checked >= 10
    assert "(after change):" not in out
    # the lines a message names are located the same way
    assert "line 6 of examples/change/change.txt" in out


def test_the_matrix_table_only_on_a_terminal():
    import pty

    code, out, err = run("audit", ASA, "--site", SITE)
    assert "Required flows by source and destination role" not in out
    master, slave = pty.openpty()
    try:
        p = subprocess.Popen([sys.executable, "-m", "auditor.cli", "audit", ASA, "--site", SITE], cwd=ROOT,
                             stdout=slave, stderr=subprocess.PIPE, env=dict(os.environ, NO_COLOR="1",
                                                                            PYTHONPATH=str(ROOT), COLUMNS="200"))
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        p.wait(timeout=120)
    finally:
        os.close(master)
    shown = b"".join(chunks).decode().replace("\r\n", "\n")
    assert "Required flows by source and destination role (from: rows, to: columns)" in shown
    assert re.search(r"^workshop +PART +PART +pass", shown, re.M)
    assert "\033[" not in shown  # NO_COLOR


def test_role_examples_in_help_are_real():
    # the example command lines of the help run as they are written (with the bundled files)
    code, out, err = cli("audit", ASA, "--role", "primary=10.20.0.10", "--role", "workshop=10.30.0.0/24")
    assert code == 1 and "required flows: " in out and not re.search(r"\b0 checked", out)
    assert (EXAMPLES / "prinergy-site" / "asa.cfg").exists()

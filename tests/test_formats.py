"""Output formats for audit, diff and check-change: SARIF (schema-valid), JUnit, Markdown, GitHub; --format/--output."""

import json
import os
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from auditor.checks import all_rules
from auditor.cli import Fatal, app

BEFORE = "examples/change/before.cfg"
AFTER = "examples/change/after.cfg"
CHANGE = "examples/change/change.txt"
SITE = "examples/change/site.yaml"
ASA = ("--vendor", "cisco-asa")
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())


def cli(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr), a ``Fatal`` being exit 2 as in ``main()``."""
    r = CliRunner().invoke(app, list(args), input=input)
    if isinstance(r.exception, Fatal):
        return 2, r.stdout, str(r.exception)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    # repository-relative SARIF paths and settings discovery are relative to the working directory
    monkeypatch.chdir(ROOT)


def sarif_of(*args: str) -> dict:
    code, out, err = cli(*args, "--format", "sarif")
    assert code in (0, 1), err
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    return doc


def test_audit_sarif_is_valid_and_complete():
    doc = sarif_of("audit", BEFORE, "--site", SITE, *ASA)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "prinergy-audit" and driver["version"] and driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == list(all_rules())
    for r in driver["rules"]:
        for k in ("shortDescription", "fullDescription"):
            assert r[k]["text"]
        assert r["help"]["text"] and r["help"]["markdown"]
        assert r["helpUri"].endswith("docs/rules/%s.md" % r["id"])
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert results
    hashes = set()
    for res in results:
        assert res["ruleId"] in ids and res["level"] in ("error", "warning", "note")
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] in ("examples/change/before.cfg", "examples/change/site.yaml")
        assert loc["region"]["startLine"] >= 1
        h = res["partialFingerprints"]["primaryLocationLineHash"]
        assert h not in hashes
        hashes.add(h)
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["PRN100"] == "error" and levels["PRN160"] == "note"


def test_sarif_line_hash_ignores_line_numbers(tmp_path):
    shifted = tmp_path / "before.cfg"
    text = open(BEFORE).read().replace("names\n", "names\n!\n! a comment\n!\n", 1)
    shifted.write_text(text)
    a = sarif_of("audit", BEFORE, "--site", SITE, *ASA)["runs"][0]["results"]
    b = sarif_of("audit", str(shifted), "--site", SITE, *ASA)["runs"][0]["results"]
    assert sorted(r["partialFingerprints"]["primaryLocationLineHash"] for r in a) == \
        sorted(r["partialFingerprints"]["primaryLocationLineHash"] for r in b)
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in a} != \
        {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in b}


def test_stdin_uri_is_stdin():
    code, out, err = cli("audit", "-", "--site", SITE, *ASA, "--format", "sarif", input=open(BEFORE).read())
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert "stdin" in uris


def test_waived_findings_carry_suppressions(tmp_path):
    w = tmp_path / "waivers.yaml"
    w.write_text("- rule_id: PRN160\n  contains: eq 548\n  justification: legacy Macs\n  owner: prepress\n"
                 "  expires: 2999-12-31\n")
    doc = sarif_of("audit", BEFORE, "--site", SITE, *ASA, "--waivers", str(w))
    afp = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "PRN160"]
    assert afp and afp[0]["suppressions"] == [{"kind": "external", "status": "accepted",
                                               "justification": "legacy Macs"}]
    assert all("suppressions" not in r for r in doc["runs"][0]["results"] if r["ruleId"] != "PRN160")


def test_diff_and_check_change_sarif():
    d = sarif_of("diff", BEFORE, AFTER, "--site", SITE, *ASA)["runs"][0]["results"]
    states = {(r["ruleId"], r["baselineState"]) for r in d}
    assert ("PRN150", "new") in states and ("PRN100", "unchanged") in states
    c = sarif_of("check-change", BEFORE, CHANGE, "--site", SITE, *ASA)["runs"][0]["results"]
    new = [r for r in c if r["baselineState"] == "new" and r["ruleId"].startswith("PRN")]
    # lines the change added point at the change file, the rest at the config
    assert {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in new} == {
        ("PRN150", "examples/change/change.txt", 6), ("PRN160", "examples/change/change.txt", 6),
        ("PRN170", "examples/change/change.txt", 6)}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in c}
    assert uris == {"examples/change/before.cfg", "examples/change/change.txt"}


def test_junit_audit_and_diff():
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "junit")
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    flows = [c for c in cases if c.get("classname") == "required-flows"]
    # 41 checked (s29: 4 secondary -> secondary flows, rba-secondary) + 12 not checked (skipped; primary is the
    # license server)
    assert len(flows) == 53
    failed = {c.get("name") for c in flows if c.find("failure") is not None}
    assert "smb:workshop->primary" in failed
    assert sum(1 for c in flows if c.find("skipped") is not None) == 12
    findings = [c for c in cases if c.get("classname") != "required-flows"]
    assert any(c.find("failure") is not None and "PRN100" in c.get("name") for c in findings)
    afp = [c for c in findings if "[PRN160]" in c.get("name")][0]
    assert afp.find("failure") is None and afp.find("system-out") is not None
    assert int(suite.get("tests")) == len(cases) and int(suite.get("failures")) == sum(
        1 for c in cases if c.find("failure") is not None)
    code, out, err = cli("diff", BEFORE, AFTER, "--site", SITE, *ASA, "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    failures = [c.get("name") for c in suite.findall("testcase") if c.find("failure") is not None]
    assert "[ERROR][PRN150] examples/change/after.cfg:89 exposed" in failures
    assert not [c for c in suite.findall("testcase") if c.get("classname") == "required-flows"
                and c.find("failure") is not None]  # the change blocks no required flow


def test_markdown_audit_and_diff():
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "markdown")
    assert out.startswith("## prinergy-audit: FAIL\n")
    assert "| Severity | Rule | Location | Message |" in out
    assert "`examples/change/before.cfg:76`" in out
    assert "docs/rules/PRN100.md" in out
    code, out, err = cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", "markdown")
    data = json.loads(cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", "json")[1])
    assert out.startswith("## prinergy-audit diff: FAIL\n")
    for title, key in (("Introduced findings", "introduced"), ("Resolved findings", "resolved"),
                       ("Newly permitted traffic", "newly_permitted"), ("Newly denied traffic", "newly_denied")):
        assert "### %s (%d)" % (title, len(data[key])) in out
    # every location is a line of a real file: the change file's for the lines it added
    assert "`examples/change/change.txt:6`" in out and "(after change):" not in out
    assert "implicit deny at the end of access-list OUTSIDE_IN" in out
    assert "-&gt;" not in "".join(x for x in out.split("`")[1::2])  # code spans are not HTML-escaped


def test_github_annotations_and_escaping():
    from auditor.report.github import command, escape_property

    assert command("error", "a%b\nc", "dir/a,b:c.cfg", 3, "T:1,2") == \
        "::error file=dir/a%2Cb%3Ac.cfg,line=3,title=T%3A1%2C2::a%25b%0Ac"
    assert escape_property("x\r\n") == "x%0D%0A"
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "github")
    lines = out.splitlines()
    assert all(x.startswith(("::error ", "::warning ", "::notice ")) for x in lines)
    assert "::error file=examples/change/before.cfg,line=76,title=PRN100 required-flow-blocked::" \
           "required flow SMB job volumes (445/tcp) workshop -> primary is fully blocked by line 76" \
           "%0A| access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log" \
           "%0Ae.g. tcp 10.30.0.2:49152 -> 10.20.0.10:445" in lines
    code, out, err = cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", "github")
    assert "::error file=examples/change/change.txt,line=6,title=PRN150 server-exposed::" in out


def test_several_formats_in_one_run(tmp_path):
    sarif, junit, md = tmp_path / "r.sarif", tmp_path / "r.xml", tmp_path / "r.md"
    code, out, err = cli("diff", BEFORE, AFTER, "--site", SITE, *ASA,
                         "--format", "json", "--format", "sarif", "--format", "junit", "--format", "markdown",
                         "--output", "-", "--output", str(sarif), "--output", str(junit), "--output", str(md))
    assert code == 1
    assert json.loads(out)["schema_version"] == 1
    jsonschema.validate(json.loads(sarif.read_text()), SCHEMA)
    ET.fromstring(junit.read_text())
    assert md.read_text().startswith("## prinergy-audit diff")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_fewer_outputs_last_format_goes_to_stdout(tmp_path):
    f = tmp_path / "a.sarif"
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "sarif", "--format", "text",
                         "--output", str(f))
    assert "verdict: FAIL" in out and json.loads(f.read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("args,needle", [
    (("--format", "json", "--format", "sarif"), "only one --format can go to stdout"),
    (("--format", "json", "--output", "a", "--output", "b"), "give one --format per --output"),
    (("--format", "json", "--format", "sarif", "--output", "x", "--output", "x"), "same --output file"),
])
def test_bad_format_output_pairs_exit_2(args, needle):
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, *args)
    assert code == 2 and needle in err and out == ""


def test_unwritable_output_leaves_nothing_half_written(tmp_path):
    good = tmp_path / "good.sarif"
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "sarif", "--format", "junit",
                         "--output", str(good), "--output", str(tmp_path / "missing" / "x.xml"))
    assert code == 2 and "cannot write" in err
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    # (issue 19: with several --output files, nothing is written when any of them fails)
    assert not good.exists()
    # an existing file is replaced whole, never truncated in place
    good.write_text("previous\n")
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "sarif", "--output", str(good))
    assert json.loads(good.read_text())["version"] == "2.1.0" and out == ""


def test_machine_formats_keep_stdout_clean():
    for fmt in ("json", "sarif", "junit", "github", "markdown"):
        code, out, err = cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", fmt)
        assert "\033[" not in out and err == "", fmt


def test_output_to_a_device_writes_through_it():
    import stat

    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "json", "--output", os.devnull)
    assert code == 1 and out == ""
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # still the device, not a file renamed over it


def test_sarif_keeps_the_most_severe_results_within_githubs_limit(monkeypatch):
    # GitHub rejects a run of more than 25,000 results: the SARIF keeps the most severe
    # (errors, then warnings, then notes; suppressed last) in their order, and says so
    import auditor.report.sarif as S

    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "sarif")
    everything = json.loads(out)["runs"][0]["results"]
    levels = [r["level"] for r in everything]
    assert "error" in levels and "note" in levels
    limit = levels.count("error") + 1
    monkeypatch.setattr(S, "MAX_RESULTS", limit)
    doc = sarif_of("audit", BEFORE, "--site", SITE, *ASA)
    run = doc["runs"][0]
    kept = run["results"]
    assert len(kept) == limit
    assert [r["level"] for r in kept].count("error") == limit - 1
    assert kept == [r for r in everything if r in kept], "in their order"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert "%d of %d results left out" % (len(everything) - limit, len(everything)) in notes[0]["message"]["text"]


def test_a_severity_heading_counts_its_waived_findings(tmp_path):
    # the verdict line counts findings that are not waived ("... 2 info, 1 waived"), a severity's heading
    # counted them all ("INFOS (3)"): an admin comparing the two saw counts that did not agree
    w = tmp_path / "waivers.yaml"
    w.write_text("- rule_id: PRN160\n  contains: eq 548\n  justification: legacy Macs\n  owner: prepress\n"
                 "  expires: 2999-12-31\n")
    code, out, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--waivers", str(w))
    assert code in (0, 1), err
    verdict = out.splitlines()[-1]
    assert ", 1 waived)" in verdict
    n = int(re.search(r"(\d+) info", verdict).group(1))
    heading = "INFO%s (%d, 1 waived)" % ("S" if n + 1 > 1 else "", n + 1)
    assert heading in out.splitlines()
    code, html, err = cli("audit", BEFORE, "--site", SITE, *ASA, "--waivers", str(w), "--format", "html")
    assert ">Info%s (%d, 1 waived)</h3>" % ("s" if n + 1 > 1 else "", n + 1) in html

"""The CI gate of a change request, as a reviewer reads it: every report format of `diff` and
`check-change` puts each finding on a line of a real file of the repository, quotes the line, gives
an example packet, and names in its messages the lines of those files.

GitHub workflow commands: the message escapes %, CR and LF (%25, %0D, %0A), a property also ':' and
',' (%3A, %2C): actions/toolkit packages/core/src/command.ts, escapeData and escapeProperty
(https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts); a newline written as %0A
shows as a line break of the annotation.
"""

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from conftest import EXAMPLES, FIXTURES, ROOT
from test_formats import cli

BEFORE = "examples/change/before.cfg"
AFTER = "examples/change/after.cfg"
CHANGE = "examples/change/change.txt"
SITE = "examples/change/site.yaml"
ASA = ("--vendor", "cisco-asa")
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
ADDED = "access-list OUTSIDE_IN extended permit ip any object-group PRINERGY-SERVERS"  # change.txt line 6
# (its example packets go to the primary's mapped address, 203.0.113.10, its object static NAT at the end of
# before.cfg: the ASA drops a connection from outside to a real address whose reply a NAT rule translates, its NAT
# reverse-path check, %ASA-5-305013; Cisco TAC 116388; tests/test_s28_rpf.py)


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_github_annotation_quotes_the_line_and_gives_an_example():
    code, out, _ = cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", "github")
    assert code == 1
    assert ("::error file=examples/change/change.txt,line=6,title=PRN150 server-exposed::"
            "a Prinergy server is reachable from outside the site's roles: line 6 of examples/change/change.txt "
            "permits it%0A| " + ADDED + "%0Ae.g. tcp 1.0.0.1:49152 -> 203.0.113.10:1024") in out.splitlines()


def test_machine_formats_name_lines_of_real_files_in_messages():
    """'line 89' is a line of the config after the change, a file nobody has: every format says which
    line of which real file it is (text and markdown did; github, sarif and junit said 'line 89')."""
    code, out, _ = cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", "sarif")
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    texts = {r["ruleId"]: r["message"]["text"] for r in doc["runs"][0]["results"] if r["baselineState"] == "new"}
    assert texts["PRN150"] == ("a Prinergy server is reachable from outside the site's roles: "
                               "line 6 of examples/change/change.txt permits it")
    code, out, _ = cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", "junit")
    case = [c for c in ET.fromstring(out).iter("testcase") if "[PRN150]" in c.get("name")][0]
    assert (case.get("file"), case.get("line")) == ("examples/change/change.txt", "6")
    assert case.get("name") == "[ERROR][PRN150] examples/change/change.txt:6 exposed"
    assert case.find("failure").text == (
        "examples/change/change.txt:6: a Prinergy server is reachable from outside the site's roles: line 6 of "
        "examples/change/change.txt permits it\n" + ADDED + "\ne.g. tcp 1.0.0.1:49152 -> 203.0.113.10:1024")
    assert "(after change)" not in out


def test_markdown_finding_rows_quote_the_line_and_give_an_example():
    code, out, _ = cli("check-change", BEFORE, CHANGE, "--site", SITE, *ASA, "--format", "markdown")
    row = [x for x in out.splitlines() if "PRN150.md" in x][0]
    assert row.endswith("| `examples/change/change.txt:6` | a Prinergy server is reachable from outside the "
                        "site's roles: line 6 of examples/change/change.txt permits it<br>`" + ADDED +
                        "`<br>e.g. `tcp 1.0.0.1:49152 -> 203.0.113.10:1024` |")
    # the deciding lines of newly permitted traffic are quoted too, the new one as the change file has it
    row = [x for x in out.splitlines() if x.startswith("| `tcp 1.0.0.1:49152 -> 203.0.113.10:1024`")][0]
    assert "permit at `examples/change/change.txt:6`<br>`%s`" % ADDED in row


def test_markdown_diff_starts_with_a_summary_table():
    code, out, _ = cli("diff", BEFORE, AFTER, "--site", SITE, *ASA, "--format", "markdown")
    assert ("| What the change does | |\n|---|---|\n"
            "| Findings introduced | 5 (1 error, 2 warnings, 2 info) |\n"
            "| Findings resolved | 7 |\n"
            "| Findings unchanged | 20 |\n"  # (18 before prinergy-8's ephemeral flow: 2 PRN100 warnings)
            "| Required flows newly blocked | none |\n"
            "| Traffic newly permitted | 3 group(s) of packets |\n"
            "| Traffic newly denied | 4 group(s) of packets |\n"
            "| Traffic newly undecided | none |\n") in out


def test_a_flow_the_change_makes_undecided_is_an_error_in_junit_and_github(tmp_path):
    """A rule the parser does not understand, added before the permits of a required flow: the
    diff's verdict is unknown (exit 1); JUnit had the flow pass and GitHub did not annotate it."""
    text = (ROOT / BEFORE).read_text()
    udp = "access-list WORKSHOP_IN extended permit udp object-group WORKSHOP"
    new = tmp_path / "after.cfg"
    new.write_text(text.replace(udp, "access-list WORKSHOP_IN extended permit udp object-group WORKSHOP "
                                     "object-group PRINERGY-SERVERS frobnicate 7\n" + udp, 1))
    code, out, _ = cli("diff", BEFORE, str(new), "--site", SITE, *ASA, "--format", "junit")
    assert code == 1
    flows = {c.get("name"): c for c in ET.fromstring(out).iter("testcase") if c.get("classname") == "required-flows"}
    err = flows["plocator:workshop->primary"].find("error")
    assert err is not None and err.get("message") == "cannot tell what the change does to this required flow"
    assert flows["smb:workshop->primary"].find("error") is None
    code, out, _ = cli("diff", BEFORE, str(new), "--site", SITE, *ASA, "--format", "github")
    assert ("::error file=%s,line=78,title=required flow newly undecided::newly undecided: "
            "udp 10.30.0.2:49152 -> 10.20.0.10:37002 (was permit by examples/change/before.cfg:78); required "
            "flow(s): flm-udp:workshop->license_server, plocator:workshop->primary, plocator:workshop->secondary"
            % str(new).replace(":", "%3A").replace(",", "%2C")) in out.splitlines()


def _git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    p = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env)
    assert p.returncode == 0, p.stderr.decode(errors="replace")


def test_junit_file_is_relative_to_the_repository(tmp_path, monkeypatch):
    """Run from a folder of the repository (as a CI step with working-directory does), the JUnit
    ``file`` of a finding is the path from the repository's root, as SARIF's and GitHub's are."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    fw = tmp_path / "firewalls"
    fw.mkdir()
    shutil.copy(EXAMPLES / "change" / "before.cfg", fw / "fw.cfg")
    shutil.copy(EXAMPLES / "change" / "site.yaml", fw / "site.yaml")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    shutil.copy(EXAMPLES / "change" / "after.cfg", fw / "fw.cfg")
    monkeypatch.chdir(fw)
    args = ("diff", "fw.cfg", "--base-ref", "main", "--site", "site.yaml", "--no-config", *ASA)
    code, out, _ = cli(*args, "--format", "junit")
    assert code == 1
    case = [c for c in ET.fromstring(out).iter("testcase") if "[PRN150]" in (c.get("name") or "")][0]
    assert (case.get("file"), case.get("line"), case.get("name")) == (
        "firewalls/fw.cfg", "89", "[ERROR][PRN150] fw.cfg:89 exposed")
    code, out, _ = cli(*args, "--format", "github")
    assert "::error file=firewalls/fw.cfg,line=89,title=PRN150 server-exposed::" in out


def test_the_verdict_line_does_not_repeat_its_count():
    """'verdict: FAIL  (13 errors, ...): 13 error finding(s)' said the count twice; the count is said
    once, and the JSON keeps the reason (its contract)."""
    code, out, _ = cli("audit", BEFORE, "--site", SITE, *ASA)
    assert out.splitlines()[-1] == "verdict: FAIL  (11 errors, 6 warnings, 10 info)"
    code, out, _ = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "markdown")
    assert "error finding(s)" not in out and ": 11 errors, 6 warnings, 10 info." in out
    code, out, _ = cli("audit", BEFORE, "--site", SITE, *ASA, "--format", "json")
    assert json.loads(out)["verdict_reasons"] == ["11 error finding(s)"]


def test_a_reason_the_counts_do_not_say_stays():
    from auditor.report import counted, verdict_reasons

    class R:
        reasons = ["2 error finding(s)", "x.cfg: 1 line(s) not understood could change any verdict"]

    # 3 errors shown, 2 of them decided: the reason says something the count does not
    assert verdict_reasons(R, 3) == R.reasons
    assert verdict_reasons(R, 2) == R.reasons[1:]
    assert [counted(1, "error"), counted(2, "warning"), counted(1, "info")] == ["1 error", "2 warnings", "1 info"]


def test_editing_a_pfsense_rules_description_passes(tmp_path):
    """Only a rule's description changes: the gate failed it, the PRN120 error of the rule's
    <statetimeout> line (its key names the rule by its description) being 'resolved' and
    'introduced' again.  Matched by rule, line text and example packet, it is unchanged."""
    text = (EXAMPLES / "pfsense-site" / "config.xml").read_text()
    assert text.count("Workshop to Prinergy servers]]") == 1
    new = tmp_path / "config.xml"
    new.write_text(text.replace("Workshop to Prinergy servers]]", "Workshop to Prinergy servers (CR-7)]]"))
    code, out, _ = cli("diff", "examples/pfsense-site/config.xml", str(new), "--site",
                       "examples/pfsense-site/site.yaml", "--format", "json")
    d = json.loads(out)
    assert code == 0 and d["verdict"] == "pass"
    # (the ACL202 quoting the description's line decides as it did: paired by its rule, unchanged)
    assert d["introduced"] == [] and d["resolved"] == []
    assert {"PRN120", "ACL202"} <= {f["rule_id"] for f in d["unchanged"]}


def test_widening_an_exposing_rule_in_place_still_fails(tmp_path):
    """The second matching leaves a finding whose line changed introduced: an exposure widened in
    place is not 'unchanged' though its rule, line number and example packet are the old one's."""
    text = (ROOT / BEFORE).read_text()
    old = "access-list OUTSIDE_IN extended permit tcp any host PRINERGY-PRIMARY eq 3389"
    assert text.count(old) == 1
    new = tmp_path / "after.cfg"
    new.write_text(text.replace(old, "access-list OUTSIDE_IN extended permit tcp any host PRINERGY-PRIMARY "
                                     "range 3389 3390"))
    code, out, _ = cli("diff", BEFORE, str(new), "--site", SITE, *ASA, "--format", "json")
    d = json.loads(out)
    assert code == 1 and ("PRN150", "error") in [(f["rule_id"], f["severity"]) for f in d["introduced"]]
    assert d["newly_permitted"][0]["example_text"] == "tcp 1.0.0.1:49152 -> 203.0.113.10:3390"


def test_the_pre_commit_hook_takes_the_xml_configs():
    """PAN-OS (running-config.xml) and pfSense/OPNsense (config.xml) configs are XML (README's
    inputs table): the hook's ``files`` left them out."""
    import re

    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    files = re.compile(hook["files"])
    assert files.search("firewalls/running-config.xml") and files.search("firewalls/config.xml")
    code, out, _ = cli(*hook["entry"].split()[1:], "examples/pfsense-site/config.xml",
                       "--site", "examples/pfsense-site/site.yaml")
    assert code == 1 and "examples/pfsense-site/config.xml: pfsense" in out

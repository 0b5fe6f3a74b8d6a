"""A change review's SARIF says why its verdict is unknown: a result for each reason that no finding is, at its
line, with a rule that has a page (``DiffResult.located``; rules CHG500, CHG501 in
``auditor/checks/change_review.py``).

Before, ``diff``/``check-change --format sarif`` of a change to a part the review leaves out (another FortiOS
VDOM, the IPv6 rules of an iptables file read as IPv4), or of a change whose traffic a line not understood decides,
held no result about it (the findings, new or unchanged, alone): GitHub code scanning showed no alert while the
job failed (exit 1, verdict unknown).  The other formats gave the reasons (text, markdown, JUnit, JSON,
the GitHub annotations' verdict line); SARIF consumers show results, one per location, and a rule's help.

SARIF 2.1.0 (OASIS): a ``result`` is located by ``locations`` (``physicalLocation``: artifact and region) and
names its ``reportingDescriptor`` by ``ruleId``/``ruleIndex``; validated here against the official schema
(tests/fixtures/sarif-schema-2.1.0.json).  Which reasons make a verdict unknown: ``auditor.diff.diff_configs``;
what a VDOM and an iptables -4/-6 rule are: tests/test_gate_scope.py.
"""

from __future__ import annotations

import json

import jsonschema
from conftest import FIXTURES
from test_formats import cli
from test_gate_scope import FG, RESTORE, ROLES

from auditor.checks import all_rules
from auditor.report.sarif import rule_doc_url

SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())


def sarif(*args) -> tuple[int, dict]:
    code, out, _err = cli(*args, "--format", "sarif")
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    return code, doc


def located(doc: dict, rule: str) -> list[tuple[str, int, str, str]]:
    """(uri, line, level, message) of each result of ``rule``, with its rule descriptor checked."""
    run = doc["runs"][0]
    out = []
    for r in run["results"]:
        if r["ruleId"] != rule:
            continue
        desc = run["tool"]["driver"]["rules"][r["ruleIndex"]]
        assert desc["id"] == rule and desc["helpUri"] == rule_doc_url(rule)
        assert r["baselineState"] == "new" and r["properties"]["status"] == "unknown"
        loc = r["locations"][0]["physicalLocation"]
        out.append((loc["artifactLocation"]["uri"], loc["region"]["startLine"], r["level"], r["message"]["text"]))
    return out


def test_a_change_to_another_vdom_is_a_result_at_the_changed_line(tmp_path):
    old, new = tmp_path / "fg.conf", tmp_path / "fg-new.conf"
    old.write_text(FG)
    new.write_text(FG.replace("10.40.0.1 255", "10.41.0.1 255"))  # (port3, VDOM cust's: line 19)
    code, doc = sarif("diff", str(old), str(new), *ROLES, "--vdom", "root")
    assert code == 1
    assert located(doc, "CHG500") == [(new.as_posix(), 19, "error", (
        "the change alters VDOM 'cust' (%s:19, %s:19), which this review leaves out: cannot tell what it does "
        "there" % (new, old)))]
    # a change to the VDOM reviewed alone: nothing left out changed, no such result
    new.write_text(FG.replace("10.30.0.1 255", "10.30.0.2 255"))
    _code, doc = sarif("diff", str(old), str(new), *ROLES, "--vdom", "root")
    assert located(doc, "CHG500") == []


def test_check_change_puts_it_at_the_change_files_line(tmp_path):
    cfg, change = tmp_path / "fg.conf", tmp_path / "change.txt"
    cfg.write_text(FG)
    change.write_text("config global\n    config system interface\n        edit \"port3\"\n"
                      "            set ip 10.41.0.1 255.255.255.0\n        next\n    end\nend\n")
    code, doc = sarif("check-change", str(cfg), str(change), *ROLES, "--vdom", "root")
    assert code == 1
    assert [(uri, line) for uri, line, _lvl, _msg in located(doc, "CHG500")] == [(change.as_posix(), 4)]


def test_the_other_familys_iptables_rule_and_no_secret_in_it(tmp_path):
    old, new = tmp_path / "rules.v4", tmp_path / "rules.new"
    old.write_text(RESTORE)
    new.write_text(RESTORE.replace("-A INPUT -6 -p tcp --dport 22 -j ACCEPT",
                                   "-A INPUT -6 -p tcp --dport 22 -m comment --comment 'community s3cr3t' -j ACCEPT"))
    code, doc = sarif("diff", str(old), str(new), *ROLES, "--host", "primary")
    assert code == 1
    assert [(uri, line) for uri, line, _lvl, _msg in located(doc, "CHG500")] == [(new.as_posix(), 7)]
    # (the part's lines are only compared, never quoted)
    assert "s3cr3t" not in json.dumps(doc)


ASA = """ASA Version 9.12(4)
interface G0
 nameif inside
 security-level 100
 ip address 10.30.0.1 255.255.255.0
interface G1
 nameif servers
 security-level 90
 ip address 10.20.0.1 255.255.255.0
access-list IN extended permit ip 10.30.0.0 255.255.255.0 host 10.20.0.10
access-group IN in interface inside
frobnicate the widgets
"""


def test_a_line_not_understood_that_leaves_the_change_undecided_is_a_result_at_that_line(tmp_path):
    cfg, change = tmp_path / "asa.cfg", tmp_path / "change.txt"
    cfg.write_text(ASA)
    change.write_text("access-list IN extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.12 eq 80\n")
    roles = ROLES[:4]  # (workshop, primary: the flows to the secondary are blocked by the implicit deny, whose
    # line the change moves)
    code, out, _err = cli("check-change", str(cfg), str(change), *roles)
    assert code == 1 and "1 line(s) not understood could change any verdict" in out
    code, doc = sarif("check-change", str(cfg), str(change), *roles)
    # (line 13 of the config after the change, line 12 of the config itself)
    assert located(doc, "CHG501") == [(cfg.as_posix(), 12, "error", (
        "this line, not understood, could change any verdict, so what the change does to the traffic is not known "
        "(line not understood: unknown command 'frobnicate')"))]


IPT = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.30.0.0/24 -p tcp --dport 1024:5000 -j ACCEPT
-A INPUT -s 10.30.0.0/24 -m frobnicate --widgets 3 -j ACCEPT
COMMIT
"""


def test_a_required_flow_sent_to_a_line_not_understood_is_a_result_at_that_line(tmp_path):
    """The flow's PRN100 (unknown, at line 6) is there before and after: unchanged, so code scanning showed
    nothing new while the review was unknown."""
    old, new = tmp_path / "rules.v4", tmp_path / "rules.new"
    old.write_text(IPT)
    new.write_text(IPT.replace("1024:5000", "1024:3000"))
    code, doc = sarif("diff", str(old), str(new), *ROLES, "--host", "primary")
    assert code == 1
    assert located(doc, "CHG501") == [(new.as_posix(), 6, "error", (
        "cannot tell what the change does to required flow(s) daemons:workshop->primary: this line, not "
        "understood, now decides traffic that was permitted by %s:5" % old))]
    assert not [r for r in doc["runs"][0]["results"] if r["baselineState"] == "new" and r["ruleId"] != "CHG501"]


def test_the_rules_have_pages_and_no_waiver_section():
    from test_rule_docs import generator

    gen = generator()
    for rid in ("CHG500", "CHG501"):
        page = gen.render_page(all_rules()[rid])
        assert page.startswith(gen.HEADER) and "## Accepting it for a while" not in page

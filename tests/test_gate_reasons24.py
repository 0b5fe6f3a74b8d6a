"""A change review's GitHub annotations and JSON say why its verdict is unknown, at the lines, as its SARIF does
(``DiffResult.located``: CHG500 a part left out of the review that the change alters, CHG501 a line not understood
that leaves what the change does unknown; ``auditor/checks/change_review.py``).

Before, ``--format github`` gave those reasons only in its closing verdict notice (no annotation at a line: the
pull request's files showed nothing where the job failed), and the JSON only as ``verdict_reasons`` text and
``changed_outside_review`` (part, where), with no line of the reasons a line not understood gives.

GitHub's workflow commands: "::error file={name},line={line},title={title}::{message}" ("Setting an error
message", https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions).  The JSON's
``located`` is additive (``schema_version`` stays 1): each entry is a finding as ``introduced`` has them.  Secrets:
the lines of a part left out are compared, never quoted; a line not understood is quoted redacted, as every finding.
"""

from __future__ import annotations

import json

from test_formats import cli
from test_gate_sarif import ASA
from test_gate_scope import FG, RESTORE, ROLES

from auditor.report.github import escape_data, escape_property


def annotations(out: str) -> list[tuple[str, dict, str]]:
    """(level, properties, message) of each workflow command of ``out``."""
    found = []
    for ln in out.splitlines():
        assert ln.startswith("::"), ln
        head, _, message = ln[2:].partition("::")
        level, _, props = head.partition(" ")
        found.append((level, dict(p.split("=", 1) for p in props.split(",") if p), message))
    return found


def of_rule(out: str, rule: str) -> list[tuple[str, str, str, str]]:
    """(level, file, line, message) of the annotations titled with ``rule``."""
    return [(lvl, p.get("file"), p.get("line"), msg) for lvl, p, msg in annotations(out)
            if p.get("title", "").startswith(rule + " ")]


def test_a_change_to_another_vdom_is_an_annotation_and_a_located_entry_at_the_changed_line(tmp_path):
    old, new = tmp_path / "fg.conf", tmp_path / "fg-new.conf"
    old.write_text(FG)
    new.write_text(FG.replace("10.40.0.1 255", "10.41.0.1 255"))  # (port3, VDOM cust's: line 19)
    reason = ("the change alters VDOM 'cust' (%s:19, %s:19), which this review leaves out: cannot tell what it does "
              "there" % (new, old))
    code, out, _err = cli("diff", str(old), str(new), *ROLES, "--vdom", "root", "--format", "github")
    assert code == 1
    assert of_rule(out, "CHG500") == [("error", escape_property(new.as_posix()), "19", escape_data(reason))]
    code, out, _err = cli("diff", str(old), str(new), *ROLES, "--vdom", "root", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["schema_version"] == 1 and data["verdict_reasons"] == [reason]
    [entry] = data["located"]
    assert (entry["rule_id"], entry["path"], entry["line"], entry["message"]) == ("CHG500", str(new), 19, reason)
    assert entry["status"] == "unknown" and entry["key"] == "VDOM 'cust'" and entry["text"] == ""
    # a change to the VDOM reviewed alone: nothing left out changed, no CHG500
    new.write_text(FG.replace("10.30.0.1 255", "10.30.0.2 255"))
    _code, out, _err = cli("diff", str(old), str(new), *ROLES, "--vdom", "root", "--format", "json")
    assert [e for e in json.loads(out)["located"] if e["rule_id"] == "CHG500"] == []
    _code, out, _err = cli("diff", str(old), str(new), *ROLES, "--vdom", "root", "--format", "github")
    assert of_rule(out, "CHG500") == []


def test_the_other_familys_iptables_rule_is_located_without_its_secret(tmp_path):
    old, new = tmp_path / "rules.v4", tmp_path / "rules.new"
    old.write_text(RESTORE)
    new.write_text(RESTORE.replace("-A INPUT -6 -p tcp --dport 22 -j ACCEPT",
                                   "-A INPUT -6 -p tcp --dport 22 -m comment --comment 'community s3cr3t' -j ACCEPT"))
    code, out, _err = cli("diff", str(old), str(new), *ROLES, "--host", "primary", "--format", "github")
    assert code == 1 and "s3cr3t" not in out
    [(_lvl, _file, line, _msg)] = of_rule(out, "CHG500")
    assert line == "7"
    code, out, _err = cli("diff", str(old), str(new), *ROLES, "--host", "primary", "--format", "json")
    assert code == 1 and "s3cr3t" not in out
    assert [(e["rule_id"], e["line"], e["text"]) for e in json.loads(out)["located"]] == [("CHG500", 7, "")]


def test_check_change_locates_a_line_not_understood_in_the_config_itself(tmp_path):
    cfg, change = tmp_path / "asa.cfg", tmp_path / "change.txt"
    cfg.write_text(ASA)
    change.write_text("access-list IN extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.12 eq 80\n")
    roles = ROLES[:4]
    code, out, _err = cli("check-change", str(cfg), str(change), *roles, "--format", "github")
    assert code == 1
    # (line 13 of the config after the change, line 12 of the config itself, quoted)
    message = ("this line, not understood, could change any verdict, so what the change does to the traffic is not "
               "known (line not understood: unknown command 'frobnicate')\n| frobnicate the widgets")
    assert of_rule(out, "CHG501") == [("error", escape_property(cfg.as_posix()), "12", escape_data(message))]
    code, out, _err = cli("check-change", str(cfg), str(change), *roles, "--format", "json")
    [entry] = json.loads(out)["located"]
    assert (entry["rule_id"], entry["line"], entry["text"]) == ("CHG501", 13, "frobnicate the widgets")
    assert entry["origin"] == {"path": str(cfg), "line": 12}


IPT = """# Generated by iptables-save v1.8.7 on Mon Jan  1 00:00:00 2024
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -j ACCEPT
COMMIT
"""


def test_a_required_flow_newly_undecided_is_annotated_once(tmp_path):
    # (a rule whose match is not understood now decides the required flows' TCP traffic that the old rules
    # permitted: the traffic annotation says so, and the CHG501 of the same line and flows is not repeated; the
    # JSON locates it)
    old, new = tmp_path / "rules.v4", tmp_path / "rules.new"
    old.write_text(IPT)
    new.write_text(IPT.replace("-A INPUT -j ACCEPT", "-A INPUT -p tcp -m recent --name x --rcheck -j DROP\n"
                                                     "-A INPUT -j ACCEPT"))
    code, out, _err = cli("diff", str(old), str(new), *ROLES, "--host", "primary", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "unknown"
    located = [(e["rule_id"], e["line"]) for e in data["located"]]
    assert located and set(located) == {("CHG501", 6)}
    code, out, _err = cli("diff", str(old), str(new), *ROLES, "--host", "primary", "--format", "github")
    assert code == 1 and of_rule(out, "CHG501") == []
    flows = [p for _lvl, p, _msg in annotations(out) if p.get("title") == "required flow newly undecided"]
    assert flows and {p["line"] for p in flows} == {"6"}

"""Markdown for a pull-request comment fits GitHub's limit on a comment's body.

GitHub refuses an issue or pull-request comment longer than 65,536 characters: the REST API
answers 422 "Body is too long (maximum is 65536 characters)" (docs.github.com, REST API,
"Create an issue comment": the body is limited to 65,536 characters).  A diff of a change
that renames the destination of a few hundred rules wrote 128,622 characters: the comment
could not be posted at all.  Each table now keeps as many rows as fit, the rest counted.
"""

from __future__ import annotations

import re
from dataclasses import replace

from auditor.api import audit
from auditor.diff import diff_configs
from auditor.policy import load_site
from auditor.report.markdown import MAX_CHARS, MAX_QUOTE
from auditor.report.markdown import render as markdown
from auditor.report.markdown import render_diff as markdown_diff
from parsers.cisco_asa import parse as parse_asa

ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.20"]
HEAD = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0
"""


def _config(pairs: int, dst: str) -> str:
    """``pairs`` rules, each written twice (the second redundant), with object-group names of the
    64 characters ASA allows: lines of some 200 characters, as a real site's can be."""
    out = [HEAD]
    for i in range(pairs):
        src = "OFFICE-WORKSTATION-GROUP-FOR-PREPRESS-OPERATORS-AND-PLANNERS-%04d" % i
        svc = "PRINTING-PLANT-PRODUCTION-SERVICE-PORTS-FOR-WORKFLOW-SYSTEM-%04d" % i
        out += ["object-group network %s" % src, " network-object host 10.1.%d.%d" % (i // 250, i % 250 + 1),
                "object-group service %s tcp" % svc, " port-object eq %d" % (1000 + i)]
    rule = "access-list IN extended permit tcp object-group %s host %s object-group %s"
    for i in range(pairs):
        line = rule % ("OFFICE-WORKSTATION-GROUP-FOR-PREPRESS-OPERATORS-AND-PLANNERS-%04d" % i, dst,
                       "PRINTING-PLANT-PRODUCTION-SERVICE-PORTS-FOR-WORKFLOW-SYSTEM-%04d" % i)
        out += [line, line]
    out.append("access-group IN in interface inside")
    return "\n".join(out) + "\n"


def _table(part: str) -> tuple[int, int]:
    """(rows shown, rows counted as more) of the first findings table in ``part``."""
    table = part.split("| Severity | Rule | Location | Message |\n|---|---|---|---|\n", 1)[1]
    rows = len(table.split("\n\n", 1)[0].split("\n"))
    more = re.match(r"\n*_… and (\d+) more \(see the JSON", table.split("\n\n", 1)[1])
    return rows, int(more.group(1)) if more else 0


def _shown(md: str, title: str) -> tuple[int, int, int]:
    """(count in the section's title, rows shown, rows counted as more) of a section."""
    part = md.split("### %s (" % title, 1)[1].split("\n### ", 1)[0]
    return (int(part.split(")", 1)[0]), *_table(part))


def test_a_diff_of_a_few_hundred_rules_fits_a_github_comment_every_finding_counted():
    site = load_site(None, ROLES)
    d = diff_configs(parse_asa(_config(200, "10.2.0.20"), "old.cfg"), parse_asa(_config(200, "10.2.0.21"), "new.cfg"),
                     site)
    md = markdown_diff(d)
    assert len(md) <= MAX_CHARS
    for title in ("Introduced findings", "Resolved findings"):
        total, rows, more = _shown(md, title)
        assert total >= 200 and rows > 0 and rows + more == total
    assert md.startswith("## prinergy-audit diff:") and "| What the change does | |" in md


def test_an_audit_with_many_findings_fits_a_github_comment():
    (res,) = [audit([parse_asa(_config(300, "10.2.0.20"), "fw.cfg")], load_site(None, ROLES))]
    md = markdown(res)
    assert len(md) <= MAX_CHARS
    assert len(res.findings) >= 300
    rows, more = _table(md)
    assert rows > 0 and more > 0 and rows + more == len(res.findings)


def test_a_small_audit_keeps_every_row():
    res = audit([parse_asa(_config(5, "10.2.0.20"), "fw.cfg")], load_site(None, ROLES))
    md = markdown(res)
    assert _table(md) == (len(res.findings), 0)


def test_a_line_of_thousands_of_characters_is_quoted_cut():
    res = audit([parse_asa(_config(3, "10.2.0.20"), "fw.cfg")], load_site(None, ROLES))
    long = "access-list IN remark " + "x" * 70_000
    res.findings[:] = [replace(f, source=replace(f.source, text=long)) for f in res.findings]
    md = markdown(res)
    assert len(md) <= MAX_CHARS
    assert "`access-list IN remark %s…`" % ("x" * (MAX_QUOTE - len("access-list IN remark "))) in md

"""The flow matrix (auditor/report/matrix.py): each flow's status and deciding line, how a cell
combines its flows (checked against a definition by counting, over random cells), and the example."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from auditor.api import audit, load_config
from auditor.audit import AuditResult
from auditor.core.model import Source
from auditor.findings import Finding
from auditor.policy import load_site
from auditor.report import matrix as mx


def src(line: int) -> Source:
    return Source("fw.cfg", line, "line %d" % line)


def result_of(flows: dict[str, tuple[str, bool, list[int], list[int]]], unchecked=()) -> AuditResult:
    """flows: key -> (status, allowed, permit lines, deny lines); PRN100 findings for failing ones."""
    findings = []
    lines = {}
    out = []
    for key, (status, allowed, permit, deny) in flows.items():
        out.append({"flow": key, "status": status, "severity": "error"})
        lines[key] = {"allowed": allowed, "permit": [src(n) for n in permit], "deny": [src(n) for n in deny],
                      "unknown": [src(n) for n in deny] if status == "unknown" else []}
        if status in ("fail", "unknown"):
            findings.append(Finding("PRN100", "error" if status == "fail" else "warning", "m", src(deny[0]), key=key,
                                    status=status))
    unchecked = [(k, "not defined by the site: %s" % r, (r,)) for k, r in unchecked]
    return AuditResult("fail", "prinergy-8", [], findings, out, unchecked, [], lines)


def test_each_flow_status_and_its_deciding_line():
    r = result_of({
        "smb:workshop->primary": ("fail", False, [], [76]),
        "iis:workshop->primary": ("pass", True, [77], []),
        "daemons:workshop->primary": ("fail", True, [77], [80]),
        "orbacus:workshop->primary": ("unknown", True, [77], [94]),
        "rba:workshop->primary": ("not_routed", True, [], []),
    }, unchecked=[("smb:workshop->storage", "storage")])
    got = {f.key: (f.status, f.line.line if f.line else None, f.note) for f in mx.flow_states(r)}
    assert got["smb:workshop->primary"] == ("blocked", 76, "")
    assert got["iis:workshop->primary"] == ("pass", 77, "")
    assert got["daemons:workshop->primary"] == ("partly", 80, "")
    assert got["orbacus:workshop->primary"] == ("unknown", 94, "")
    rba = got["rba:workshop->primary"]
    assert rba[:2] == ("not_checked", None) and "no interface" in rba[2]
    assert got["smb:workshop->storage"][:2] == ("not_checked", None) and "storage" in got["smb:workshop->storage"][2]
    # in the pack's order
    assert [f.spec for f in mx.flow_states(r)][:3] == ["iis", "smb", "smb"]


@pytest.mark.parametrize("statuses,expect,line", [
    (["blocked", "blocked"], "blocked", 10),
    (["pass", "pass"], "pass", 20),
    (["pass", "blocked"], "partly", 11),
    (["partly"], "partly", 10),
    (["pass", "unknown"], "unknown", 11),
    (["blocked", "unknown"], "partly", 10),
    (["not_checked", "not_checked"], "not_checked", None),
    (["pass", "not_checked"], "pass", 20),
    (["unknown", "not_checked", "blocked"], "partly", 12),
])
def test_a_cell_combines_its_flows(statuses, expect, line):
    flows = [mx.FlowState("k%d" % i, "s", "S", "1/tcp", "a", "b", s,
                          None if s == "not_checked" else src((20 if s == "pass" else 10) + i)) for i, s in
             enumerate(statuses)]
    cell = mx._combine(flows)
    assert cell.status == expect
    assert (cell.line.line if cell.line else None) == line


def _by_counting(statuses: list[str]) -> str:
    """The cell's status from counts alone (the documented rule, said another way)."""
    n = {s: statuses.count(s) for s in mx.STATUSES}
    checked = len(statuses) - n["not_checked"]
    if checked == 0:
        return "not_checked"
    if n["pass"] == checked:
        return "pass"
    if n["blocked"] == checked:
        return "blocked"
    if n["blocked"] + n["partly"] > 0:
        return "partly"
    return "unknown"


@given(st.lists(st.sampled_from(mx.STATUSES), min_size=1, max_size=12))
def test_cells_against_counting(statuses):
    flows = [mx.FlowState("k%d" % i, "s", "S", "", "a", "b", s, src(i + 1)) for i, s in enumerate(statuses)]
    cell = mx._combine(flows)
    assert cell.status == _by_counting(statuses)
    # never a pass while something checked is not a pass; never a pass from nothing checked
    assert cell.status != "pass" or all(s in ("pass", "not_checked") for s in statuses) and "pass" in statuses


@pytest.fixture(scope="module")
def example():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return audit([load_config("examples/prinergy-site/asa.cfg")], load_site("examples/prinergy-site/site.yaml"))
    finally:
        os.chdir(cwd)


def test_the_example(example):
    m = mx.by_role(example)
    wp = m.cells[("workshop", "primary")]
    assert wp.status == "partly" and wp.line.line == 76  # SMB denied by line 76
    assert {f.spec: f.status for f in wp.flows}["smb"] == "blocked"
    assert {f.spec: f.status for f in wp.flows}["iis"] == "pass"
    assert m.cells[("primary", "veris")].status == "not_checked"  # the site names no veris
    assert m.cells[("primary", "secondary")].status == "pass"
    s = mx.by_service(example)
    assert s.cells[("workshop", "smb")].status == "blocked"
    assert s.cells[("workshop", "orbacus")].line.line == 87
    assert s.cells[("admin", "iis")].status == "blocked"
    # the matrix agrees with the flows of the result, one by one
    by_key = {f["flow"]: f["status"] for f in example.flows}
    for f in mx.flow_states(example):
        if f.status == "pass":
            assert by_key[f.key] == "pass"
        elif f.status in ("blocked", "partly"):
            assert by_key[f.key] == "fail"


def test_svg_cells_link_to_their_lines(example):
    svg = mx.svg(mx.by_role(example), lambda s: "#L0-%d" % s.line)
    assert svg.startswith("<svg") and svg.count('class="cell cell-') == len(mx.by_role(example).cells)
    assert "<script" not in svg and "style=" not in svg
    assert 'href="#L0-76" class="cell cell-partly"' in svg
    assert mx.svg(mx.Matrix("t", (), ())) == ""


def test_text_table_words_and_no_color_codes(example):
    lines = mx.text_table(mx.by_role(example))
    row = next(x for x in lines if x.startswith("workshop "))
    assert row.split()[1:3] == ["PART", "PART"]
    assert all("\033" not in x for x in lines)
    assert any("\033[33mPART\033[0m" in x for x in mx.text_table(mx.by_role(example), color=True))

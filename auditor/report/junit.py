"""JUnit XML for CI dashboards (GitLab ``reports:junit``, Jenkins, Azure).

One test case per required flow (failure when blocked by an error-severity
flow; skipped when the site does not define its roles) and one per finding
(failure for unwaived errors, error for findings that could not be
decided, skipped for waived ones; warnings and infos pass with the message
in ``system-out``).  For a diff: the required flows (failure when the change
newly blocks them) and the introduced findings.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

SUITE = "prinergy-audit"


def _finding_case(suite: ET.Element, f, path: str) -> ET.Element:
    case = ET.SubElement(suite, "testcase", {
        "classname": "%s.%s" % (path, f.rule_id),
        "name": "[%s][%s] %s:%d %s" % (f.severity.upper(), f.rule_id, path, f.source.line, f.key or ""),
        "file": path,
        "line": str(f.source.line),
    })
    body = "%s:%d: %s\n%s" % (path, f.source.line, f.message, f.source.text.strip())
    if f.waived:
        w = f.extra.get("waiver", {})
        ET.SubElement(case, "skipped", {"message": "waived: %s" % w.get("justification", "")})
    elif f.status == "unknown":
        ET.SubElement(case, "error", {"message": f.message, "type": f.rule_id}).text = body
    elif f.severity == "error":
        ET.SubElement(case, "failure", {"message": f.message, "type": f.rule_id}).text = body
    else:
        ET.SubElement(case, "system-out").text = body
    return case


def _flow_case(suite: ET.Element, flow: str, failure: str | None = None, error: str | None = None,
               skipped: str | None = None, detail: str = "") -> None:
    case = ET.SubElement(suite, "testcase", {"classname": "required-flows", "name": flow})
    if failure:
        ET.SubElement(case, "failure", {"message": failure, "type": "PRN100"}).text = detail or failure
    elif error:
        ET.SubElement(case, "error", {"message": error, "type": "PRN100"}).text = detail or error
    elif skipped:
        ET.SubElement(case, "skipped", {"message": skipped})


def _finish(suite: ET.Element) -> str:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    for tag, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        suite.set(attr, str(sum(1 for c in cases if c.find(tag) is not None)))
    root = ET.Element("testsuites", {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")})
    root.set("name", SUITE)
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _flow_details(findings) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in findings:
        if f.rule_id == "PRN100" and not f.waived:
            out.setdefault(f.key, []).append("%s:%d: %s" % (f.source.path, f.source.line, f.message))
    return out


def render(result, color: bool = False) -> str:
    """The audit as JUnit XML: one test case per required flow and per other rule."""
    suite = ET.Element("testsuite", {"name": SUITE})
    details = _flow_details(result.findings)
    for fl in result.flows:
        text = "\n".join(details.get(fl["flow"], []))
        if fl["status"] == "fail" and fl["severity"] == "error":
            _flow_case(suite, fl["flow"], failure="required flow is blocked", detail=text)
        elif fl["status"] == "unknown":
            _flow_case(suite, fl["flow"], error="cannot tell whether the flow passes", detail=text)
        elif fl["status"] == "not_routed":
            _flow_case(suite, fl["flow"], skipped="not routed through the device")
        else:
            _flow_case(suite, fl["flow"])
    for key, reason, _missing in result.unchecked:
        _flow_case(suite, key, skipped="not checked: %s" % reason)
    for f in result.findings:
        _finding_case(suite, f, f.source.path)
    return _finish(suite)


def render_diff(diff, color: bool = False) -> str:
    """A diff as JUnit XML: a failure per finding introduced and per flow newly blocked."""
    suite = ET.Element("testsuite", {"name": SUITE + " diff"})
    blocked: dict[str, list[str]] = {}
    for c in diff.newly_denied:
        for k in c.flows:
            blocked.setdefault(k, []).append("newly blocked at %s (was permitted by %s), e.g. %s" % (
                diff.where(c.new.source, "new") or c.new.reason, diff.where(c.old.source, "old") or c.old.reason,
                diff.change_json(c).get("example_text", "")))
    for fl in diff.new.flows:
        if fl["flow"] in blocked:
            _flow_case(suite, fl["flow"], failure="the change newly blocks this required flow",
                       detail="\n".join(blocked[fl["flow"]]))
        else:
            _flow_case(suite, fl["flow"])
    for f in diff.introduced:
        _finding_case(suite, f, diff.shown_path(f.source.path, "new"))
    return _finish(suite)

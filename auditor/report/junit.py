"""JUnit XML for CI dashboards (GitLab ``reports:junit``, Jenkins, Azure).

One test case per required flow (failure when blocked by an error-severity
flow; skipped when the site does not define its roles) and one per finding
(failure for unwaived errors, error for findings that could not be
decided, skipped for waived ones; warnings and infos pass with the message
in ``system-out``).  For a diff: the required flows (failure when the change
newly blocks them), an error per part of the input the review leaves out that the change alters,
and the introduced findings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from auditor.core.packets import format_packet
from auditor.report.sarif import PathNames, artifact_path

SUITE = "prinergy-audit"
_DONE = {"permit": "permitted", "deny": "denied"}
# characters XML 1.0 does not allow in a document, even escaped (https://www.w3.org/TR/xml/#charsets):
# a config line quoting one (a control character in a comment) would make the report unreadable
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold written as ``\\xNN`` (``\\uNNNN``)."""
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: ("\\x%02x" if ord(m.group()) < 256 else "\\u%04x") % ord(m.group()), text)


def _finding_case(suite: ET.Element, f, where: str, src=None, message: str | None = None,
                  name=artifact_path) -> ET.Element:
    """A finding's test case: named by its location ``where`` (``path:line`` as reports show it), its
    ``file`` and ``line`` those of ``src`` (its own line by default) in the repository, its text the
    message (``message`` for a diff), the line quoted and its example packet."""
    src = src or f.source
    message = f.message if message is None else message
    case = ET.SubElement(suite, "testcase", {
        "classname": "%s.%s" % (where.rsplit(":", 1)[0], f.rule_id),
        "name": "[%s][%s] %s %s" % (f.severity.upper(), f.rule_id, where, f.key or ""),
        "file": name(src.path),
        "line": str(src.line),
    })
    body = "%s: %s\n%s" % (where, message, src.text.strip())
    if f.example is not None:
        body += "\ne.g. %s" % format_packet(f.example)
    if f.waived:
        w = f.extra.get("waiver", {})
        ET.SubElement(case, "skipped", {"message": "waived: %s" % w.get("justification", "")})
    elif f.status == "unknown":
        ET.SubElement(case, "error", {"message": message, "type": f.rule_id}).text = body
    elif f.severity == "error":
        ET.SubElement(case, "failure", {"message": message, "type": f.rule_id}).text = body
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
    for el in root.iter():
        if el.text:
            el.text = _xml_text(el.text)
        for k, v in el.attrib.items():
            el.set(k, _xml_text(v))
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
    name = PathNames().__getitem__  # (each path resolved once for the report)
    for f in result.findings:
        _finding_case(suite, f, "%s:%d" % (f.source.path, f.source.line), name=name)
    return _finish(suite)


def render_diff(diff, color: bool = False) -> str:
    """A diff as JUnit XML: a failure per finding introduced and per flow newly blocked, an error per
    flow whose traffic the change makes undecided, or denies where it was undecided."""
    suite = ET.Element("testsuite", {"name": SUITE + " diff"})
    blocked: dict[str, list[str]] = {}
    undecided: dict[str, list[str]] = {}
    for changes, into, verb in ((diff.newly_denied, blocked, "newly blocked"),
                                (diff.newly_unknown, undecided, "newly undecided")):
        for c in changes:
            j = diff.change_json(c)
            was = _DONE.get(j["old_decision"], j["old_decision"])
            # (denied now, undecided before: the change may block the flow or not)
            to, says = (undecided, "denied") if j["old_decision"] == "unknown" else (into, verb)
            for k in c.flows:
                to.setdefault(k, []).append("%s at %s (was %s by %s), e.g. %s" % (
                    says, diff.where(c.new.source, "new") or c.new.reason, was,
                    diff.where(c.old.source, "old") or c.old.reason, j.get("example_text", "")))
    for fl in diff.new.flows:
        if fl["flow"] in blocked:
            _flow_case(suite, fl["flow"], failure="the change newly blocks this required flow",
                       detail="\n".join(blocked[fl["flow"]]))
        elif fl["flow"] in undecided:
            _flow_case(suite, fl["flow"], error="cannot tell what the change does to this required flow",
                       detail="\n".join(undecided[fl["flow"]]))
        else:
            _flow_case(suite, fl["flow"])
    for part, where in diff.outside:  # (a part of the input this review leaves out: an error, it cannot tell)
        case = ET.SubElement(suite, "testcase", {"classname": "outside-review", "name": part})
        msg = "the change alters %s, which this review leaves out: cannot tell what it does there" % part
        ET.SubElement(case, "error", {"message": msg}).text = "\n".join(where)
    name = PathNames().__getitem__
    for f in diff.introduced:
        _finding_case(suite, f, diff.where(f.source, "new"), diff.anchor(f.source), diff.message(f, "new"), name)
    return _finish(suite)

"""Human output: findings grouped by severity, each with path:line and the line quoted."""

from __future__ import annotations

from auditor.findings import SEVERITIES
from auditor.packets import format_packet

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "pass": "\033[32m",
           "fail": "\033[31m", "unknown": "\033[33m", "bold": "\033[1m", "dim": "\033[2m"}
_RESET = "\033[0m"


def render(result, color: bool = False) -> str:
    def c(kind: str, text: str) -> str:
        return "%s%s%s" % (_COLORS[kind], text, _RESET) if color else text

    out: list[str] = []
    for inp in result.inputs_json():
        out.append("%s: %s, %d lines, %d not understood" % (inp["path"], inp["vendor"], inp["lines"],
                                                          inp["unrecognized"]))
    out.append("policy: %s" % result.policy)
    out.append("")
    for sev in SEVERITIES:
        group = [f for f in result.findings if f.severity == sev]
        if not group:
            continue
        out.append(c("bold", "%s (%d)" % (sev.upper() + ("S" if len(group) > 1 else ""), len(group))))
        for f in group:
            out.append("  %s %s:%d  %s" % (c(sev, f.rule_id), f.source.path, f.source.line, f.message))
            if f.source.text:
                out.append("      | %s" % f.source.text.strip())
            if f.example is not None:
                out.append("      e.g. %s" % format_packet(f.example))
            for r in f.related:
                out.append("      see %s:%d | %s" % (r.path, r.line, r.text.strip()))
        out.append("")
    checked = len(result.flows)
    failed = sum(1 for f in result.flows if f["status"] == "fail")
    unknown = sum(1 for f in result.flows if f["status"] == "unknown")
    out.append("required flows: %d checked, %d pass, %d blocked, %d unknown, %d not checked" % (
        checked, checked - failed - unknown, failed, unknown, len(result.unchecked)))
    if result.unchecked:
        roles = sorted({r for _, _, missing in result.unchecked for r in missing})
        out.append("  not checked: roles not defined by the site: %s" % ", ".join(roles))
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITIES}
    line = "verdict: %s  (%d errors, %d warnings, %d info)" % (
        result.verdict.upper(), counts["error"], counts["warning"], counts["info"])
    if result.reasons:
        line += ": " + "; ".join(result.reasons)
    out.append(c(result.verdict, line))
    return "\n".join(out) + "\n"

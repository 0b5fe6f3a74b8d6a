"""CFG300 lines not understood, CFG301 references to undefined objects."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.findings import Finding

RULES = (
    RuleInfo(
        "CFG300", "unrecognized-line", "warning",
        "A configuration line was not understood by the parser.",
        "A line the auditor cannot read might permit or deny Prinergy traffic; the auditor reports "
        "it instead of silently dropping it, and a verdict it could change becomes 'unknown'.",
        "Check the line's syntax for your firmware; if it is valid, report it so the parser learns it.",
    ),
    RuleInfo(
        "CFG301", "undefined-reference", "error",
        "A rule, binding or group refers to an object, group, ACL or interface that is not defined.",
        "The device rejects or ignores such references, so the rule does not do what it says; "
        "traffic it was meant to permit for Prinergy may be dropped.",
        "Define the missing object (or fix the name), or remove the reference.",
    ),
)

_SEVERITY = {r.id: r.severity for r in RULES}


def run(ctx) -> Iterable[Finding]:
    """CFG300/CFG301 for each parser diagnostic, with what it could affect."""
    for cfg in ctx.configs:
        for d in cfg.reported():
            sev = _SEVERITY.get(d.code, "warning")
            impact = ""
            if d.code == "CFG301" and d.impact.value == "none":
                # (the device's behaviour with the missing name is modelled exactly, e.g. an IOS interface list that
                # does not exist passes every packet: the verdicts say what that lets through, so it is a warning)
                sev = "warning"
                impact = " (the device filters nothing there: modelled)"
            if d.code == "CFG300":
                impact = {"global": " (could change any verdict)",
                          "filter": " (affects %s)" % (d.scope or "one filter")}.get(d.impact.value, "")
            yield Finding(d.code, sev, d.message + impact, d.source, key=d.scope,
                          extra={"impact": d.impact.value})


CHECK = Check('lines not understood', RULES, run)

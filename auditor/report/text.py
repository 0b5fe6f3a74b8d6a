"""Human output: findings grouped by severity, each with path:line and the line quoted."""

from __future__ import annotations

import re

from auditor.core.packets import format_packet
from auditor.findings import SEVERITIES
from auditor.report import counts_in_words, fix_hint, verdict_reasons

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "pass": "\033[32m",
           "fail": "\033[31m", "unknown": "\033[33m", "bold": "\033[1m", "dim": "\033[2m"}
_RESET = "\033[0m"


OPTIONS = ("show_fingerprints", "matrix")

# above this many findings, a count per rule comes first (the list itself is long)
SUMMARY_ABOVE = 1000


# what a terminal would act on rather than show (ECMA-48 C0 and C1 controls, DEL): a config's comment
# can hold an OSC sequence (set the title, write the clipboard: OSC 52) or anything else
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """Config text as a terminal shows it: each control character written as ``\\xNN``."""
    if text.isprintable() or not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()), text)


def _link(url: str, text: str) -> str:
    """``text`` as a terminal hyperlink to ``url`` (OSC 8; terminals without it show the text)."""
    return "\033]8;;%s\033\\%s\033]8;;\033\\" % (url, text)


def rule_summary(findings) -> list[tuple[str, str, int, int]]:
    """(rule ID, severity, findings, of them waived) per rule and severity, most severe and
    most frequent first."""
    from auditor.findings import SEVERITY_RANK

    counts: dict[tuple[str, str], list[int]] = {}
    for f in findings:
        c = counts.setdefault((f.rule_id, f.severity), [0, 0])
        c[0] += 1
        c[1] += 1 if f.waived else 0
    rows = [(r, sev, n, w) for (r, sev), (n, w) in counts.items()]
    rows.sort(key=lambda x: (SEVERITY_RANK.get(x[1], 9), -x[2], x[0]))
    return rows


def render(result, color: bool = False, show_fingerprints: bool = False, matrix: bool = False) -> str:
    """The audit for a person: findings grouped by severity, each rule's fix and docs link with
    its first finding; ``show_fingerprints`` adds each finding's fingerprint, ``matrix`` the flow
    matrix as a table (for a terminal)."""
    from auditor.checks import all_rules
    from auditor.report.hints import roles_hint
    from auditor.report.sarif import rule_doc_url

    def c(kind: str, text: str) -> str:
        return "%s%s%s" % (_COLORS[kind], text, _RESET) if color else text

    rules = all_rules()
    out: list[str] = []
    for inp in result.inputs_json():
        out.append("%s: %s, %d lines, %d not understood" % (inp["path"], inp["vendor"], inp["lines"],
                                                          inp["unrecognized"]))
    out.append("policy: %s" % result.policy)
    out.append("")
    if len(result.findings) > SUMMARY_ABOVE:
        out.append(c("bold", "SUMMARY BY RULE (%d findings)" % len(result.findings)))
        for rule_id, sev, n, waived in rule_summary(result.findings):
            info = rules.get(rule_id)
            out.append("  %-7s %-8s %7d  %s%s" % (rule_id, sev, n, info.name if info else "",
                                                  " (%d waived)" % waived if waived else ""))
        out.append("")
    helped: set[str] = set()
    packets: dict[tuple, str] = {}  # an example -> its text (repeated lines share their examples)
    for sev in SEVERITIES:
        group = [f for f in result.findings if f.severity == sev]
        if not group:
            continue
        waived = sum(1 for f in group if f.waived)  # (the verdict's counts leave them out: say how many)
        out.append(c("bold", "%s (%d%s)" % (sev.upper() + ("S" if len(group) > 1 else ""), len(group),
                                             ", %d waived" % waived if waived else "")))
        for f in group:
            rid = _link(rule_doc_url(f.rule_id), c(sev, f.rule_id)) if color else f.rule_id
            out.append("  %s %s:%d  %s" % (rid, shown(f.source.path), f.source.line, shown(f.message)))
            if f.source.text:
                out.append("      | %s" % shown(f.source.text.strip()))
            if f.example is not None:
                text = packets.get(f.example)
                if text is None:
                    text = packets[f.example] = format_packet(f.example)
                out.append("      e.g. " + text)
            for r in f.related:
                out.append("      see %s:%d | %s" % (shown(r.path), r.line, shown(r.text.strip())))
            if f.waived:
                out.append("      waived: %s" % shown(f.extra.get("waiver", {}).get("justification", "")))
            if show_fingerprints:
                out.append("      fingerprint: %s" % f.fingerprint)
            if f.rule_id not in helped and f.rule_id in rules:
                helped.add(f.rule_id)
                out.append("      %s %s" % (c("dim", "help:"), fix_hint(result, f, rules)))
                out.append("      %s %s" % (c("dim", "docs:"), rule_doc_url(f.rule_id)))
        out.append("")
    fixes = getattr(result, "fixes", None)
    if fixes is not None:
        out.extend(fixes_text(fixes, c))
    if matrix and result.flows:
        from auditor.report import matrix as mx

        table = mx.text_table(mx.by_role(result), color)
        if table:
            out.extend(table)
            out.append("")
    checked = len(result.flows)
    failed = sum(1 for f in result.flows if f["status"] == "fail")
    unknown = sum(1 for f in result.flows if f["status"] == "unknown")
    unrouted = sum(1 for f in result.flows if f["status"] == "not_routed")
    out.append("required flows: %d checked, %d pass, %d blocked, %d unknown, %d not checked" % (
        checked, checked - failed - unknown - unrouted, failed, unknown, len(result.unchecked) + unrouted))
    if unrouted:
        out.append("  not routed through the device: %d (no interface or route of the input reaches them)"
                   % unrouted)
    if result.unchecked:
        roles = sorted({r for _, _, missing in result.unchecked for r in missing})
        if roles:
            out.append("  not checked: roles not defined by the site: %s" % ", ".join(roles))
        for why in sorted({why for _, why, missing in result.unchecked if not missing}):
            out.append("  not checked: roles %s" % why)
    hint = roles_hint(result)
    if hint:
        out.append("")
        out.extend(hint)
        out.append("")
    line = "verdict: %s  (%s)" % (result.verdict.upper(), counts_in_words(result.findings))
    reasons = verdict_reasons(result)
    if reasons:
        line += ": " + "; ".join(reasons)
    out.append(c(result.verdict, line))
    return "\n".join(out) + "\n"


def fixes_text(fixes, c=lambda kind, text: text) -> list[str]:
    """The proven fixes (``auditor.fixes.Fixes``) in words: each change, the lines it closes,
    what it opens; then the blocked flows without one, and why."""
    out: list[str] = []
    if fixes.fixes:
        out.append(c("bold", "FIXES (%d), each proven: the flow then passes and nothing else is newly permitted"
                     % len(fixes.fixes)))
        for x in fixes.fixes:
            out.append("  %s: blocked by %s" % (x.label, ", ".join("%s:%d" % (s.path, s.line) for s in x.closes)))
            out.extend("      + %s" % shown(line) for line in x.change.rstrip("\n").splitlines())
            out.append("      opens %s" % ("; ".join(_words(x.opens)) if x.opens else REPLIES_ONLY))
        out.append("")
    if fixes.refused:
        out.append(c("bold", "NO FIX OFFERED (%d)" % len(fixes.refused)))
        out.extend("  %s: %s" % (r.label, r.reason) for r in fixes.refused)
        out.append("")
    for path, why in fixes.not_combined.items():
        out.append("  the fixes of %s cannot be applied together: %s" % (path, why))
    return out


# what a fix opens when it only lets the flow's replies through (its connections were opened already)
REPLIES_ONLY = "no new connection: it lets the flow's replies through"


def _words(ps) -> list[str]:
    from auditor.findings import describe_packets

    return describe_packets(ps, 3)


def render_diff(diff, color: bool = False, show_fingerprints: bool = False, matrix: bool = False) -> str:
    """A change in words: findings introduced and resolved, traffic newly permitted or denied.

    Every location names a real file: for a change request, a line of the config after the
    change is shown as the line it came from (the config's own, or the change file's)."""
    def c(kind: str, text: str) -> str:
        return "%s%s%s" % (_COLORS[kind], text, _RESET) if color else text

    new = diff.shown_path(diff.new_path, "new")
    changed = sorted({o.path for o in (diff.origins or {}).values()} - {diff.new_path})
    if changed:
        new = "%s with %s applied (locations are lines of these files)" % (diff.new_path, ", ".join(changed))
    out = ["old: %s" % diff.shown_path(diff.old_path, "old"), "new: %s" % new, "policy: %s" % diff.policy, ""]
    for title, findings, side in (("INTRODUCED", diff.introduced, "new"), ("RESOLVED", diff.resolved, "old")):
        if not findings:
            continue
        out.append(c("bold", "%s (%d)" % (title, len(findings))))
        for f in findings:
            tag = " (waived)" if f.waived else ""
            out.append("  %s %s  %s%s" % (c(f.severity, f.rule_id), shown(diff.where(f.source, side)),
                                          shown(diff.message(f, side)), tag))
            quoted = (diff.anchor(f.source) if side == "new" else f.source).text  # (the line at its location)
            if quoted:
                out.append("      | %s" % shown(quoted.strip()))
            if f.example is not None:
                out.append("      e.g. %s" % format_packet(f.example))
            if show_fingerprints:
                out.append("      fingerprint: %s" % diff.fingerprint(f))
        out.append("")
    for title, changes, key in (("NEWLY PERMITTED", diff.newly_permitted, "newly_permitted"),
                                ("NEWLY DENIED", diff.newly_denied, "newly_denied"),
                                ("NEWLY UNDECIDED", diff.newly_unknown, "newly_unknown")):
        if not changes:
            continue
        out.append(c("bold", "%s (%d)" % (title, len(changes))))
        for ch in changes:
            j = diff.change_json(ch)
            flows = "  [required: %s]" % ", ".join(ch.flows) if ch.flows else ""
            out.append("  e.g. %s%s" % (j.get("example_text", ""), flows))
            for side in ("old", "new"):
                o = ch.old if side == "old" else ch.new
                at = diff.where(o.source, side) if j["%s_line" % side] else ""
                if "%s_reason" % side in j:
                    out.append("      %s: %s: %s%s" % (side, j["%s_decision" % side], shown(j["%s_reason" % side]),
                                                       " (%s)" % shown(at) if at else ""))
                else:
                    # (the line quoted is the one at its location, as markdown quotes it: a change file's line
                    # that edits a rule inside it, not the rule's first line in the config)
                    quoted = "" if o.source is None else (diff.anchor(o.source) if side == "new" else o.source).text
                    out.append("      %s: %s at %s | %s" % (side, j["%s_decision" % side], shown(at),
                                                          shown(quoted.strip())))
                if "%s_delivered_as" % side in j:
                    out.append("           translated: arrives as %s" % j["%s_delivered_as" % side])
        if diff.truncated.get(key):
            out.append("  ... and %d more" % diff.truncated[key])
        out.append("")
    line = "diff verdict: %s  (%d introduced, %d resolved, %d unchanged)" % (
        diff.verdict.upper(), len(diff.introduced), len(diff.resolved), len(diff.unchanged))
    if diff.reasons:
        line += ": " + "; ".join(diff.reasons)
    out.append(c(diff.verdict, line))
    return "\n".join(out) + "\n"

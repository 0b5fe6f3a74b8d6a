"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

An audit: the verdict, the counts, and a table of findings (path:line,
rule, message).  A diff: the verdict, then what the change introduces and
resolves and which traffic it newly permits or denies.

GitHub refuses a comment longer than 65,536 characters ("Body is too long"), so
each table keeps as many of its rows (at most ``MAX_ROWS``) as let the whole
comment fit, the rest counted under it, and a line quoted is cut at
``MAX_QUOTE`` characters.
"""

from __future__ import annotations

import re

from auditor.core.packets import format_packet
from auditor.report import counts_in_words, verdict_reasons
from auditor.report.text import REPLIES_ONLY, shown

MAX_ROWS = 100
# GitHub's limit on a comment's body (an issue's or a pull request's), in characters
MAX_CHARS = 65_536
# a line quoted longer than this (a set of thousands of elements on one line) is cut, with "…"
MAX_QUOTE = 500
# what starts a code span, link, emphasis or strikethrough, or ends a cell; underscores only where they
# can open or close emphasis (not within a word, as in OFFICE_IN: CommonMark 0.31 section 6.2, rule 2)
_INLINE = re.compile(r"[\\`*\[\]~|]|(?<![^\W_])_+|_+(?![^\W_])")
_TICKS = re.compile("`+")


def cell(text: str) -> str:
    """Text safe inside a table cell: no pipes, newlines or raw HTML, and no backtick, bracket or
    emphasis of its own (a backtick in a message would pair with the code span quoting the line
    after it, and the line would be read as Markdown and HTML: CommonMark 0.31 sections 6.1 and 2.4).
    Control characters are shown as ``\\xNN``, as the text report shows them (the Markdown goes to a
    terminal too: a config comment's OSC sequence would set its title or clipboard)."""
    text = shown(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(lambda m: "\\" + "\\".join(m.group()), text)
    return text.replace("\n", " ")  # (a '\r' is a control character: ``shown`` wrote it as \x0d)


def code(text: str) -> str:
    """A code span inside a table cell, quoting ``text`` as it is: the span is delimited by a
    backtick string longer than any in the text (CommonMark 0.31 section 6.1; entities are not
    decoded there: escape only pipes, which GFM tables split at before the span is read); control
    characters as ``cell`` shows them."""
    text = shown(str(text)).replace("|", "\\|").replace("\n", " ")
    if not text:
        return ""
    fence = "`" * (max(map(len, _TICKS.findall(text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" or (text[0] == text[-1] == " " and text.strip()) else ""
    return fence + pad + text + pad + fence


def _quote(line: str) -> str:
    """A config line quoted in a cell: ``code``, cut at ``MAX_QUOTE`` characters."""
    line = line.strip()
    return code(line if len(line) <= MAX_QUOTE else line[:MAX_QUOTE] + "…")


def fitted(build) -> str:
    """``build(rows)``, the Markdown with at most ``rows`` rows per table, with the most rows (up
    to ``MAX_ROWS``) that keep it within ``MAX_CHARS``; if no row fits, its first lines that do."""
    text = build(MAX_ROWS)
    if len(text) <= MAX_CHARS:
        return text
    lo, hi, best = 0, MAX_ROWS - 1, None  # (fewer rows never make it longer)
    while lo <= hi:
        mid = (lo + hi) // 2
        got = build(mid)
        if len(got) <= MAX_CHARS:
            best, lo = got, mid + 1
        else:
            hi = mid - 1
    if best is not None:
        return best
    note = "\n_… cut to fit a GitHub comment: see the JSON or SARIF output._\n"
    lines, size = [], len(note)
    for line in build(0).split("\n"):
        if size + len(line) + 1 > MAX_CHARS - len("\n</details>"):
            break
        lines.append(line)
        size += len(line) + 1
    if sum(x.startswith("<details>") for x in lines) > sum(x == "</details>" for x in lines):
        lines.append("</details>")
    return "\n".join(lines) + note


def _rule(rule_id: str) -> str:
    from auditor.report.sarif import rule_doc_url
    return "[%s](%s)" % (rule_id, rule_doc_url(rule_id))


def by_severity(findings) -> list:
    """Findings most severe first (errors, warnings, infos; waived ones after the rest of their
    severity), in report order within each."""
    from auditor.findings import SEVERITY_RANK

    return sorted(findings, key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.waived))


def _finding_table(findings, where, message=None, quoted=None, rows: int = MAX_ROWS) -> list[str]:
    """Findings most severe first, each with its message, the line quoted and its example packet
    (``quoted(f)``: the line to quote, for a diff the line of the real file it came from); the
    first ``rows`` of them, the rest counted."""
    out = ["| Severity | Rule | Location | Message |", "|---|---|---|---|"] if rows else []
    findings = by_severity(findings)
    for f in findings[:rows]:
        sev = f.severity + (" (waived)" if f.waived else "")
        text = [cell(message(f) if message is not None else f.message)]
        line = (quoted(f) if quoted is not None else f.source.text).strip()
        if line:
            text.append(_quote(line))
        if f.example is not None:
            text.append("e.g. " + code(format_packet(f.example)))
        out.append("| %s | %s | %s | %s |" % (sev, _rule(f.rule_id), code(where(f)), "<br>".join(text)))
    if len(findings) > rows:
        out.append("")
        out.append("_… and %d more (see the JSON or SARIF output)._" % (len(findings) - rows))
    return out


def _verdict(verdict: str) -> str:
    return {"pass": "PASS", "fail": "FAIL", "unknown": "UNKNOWN"}.get(verdict, verdict.upper())


def render(result, color: bool = False) -> str:
    """An audit as a PR comment: the verdict, the findings most severe first, what was not checked."""
    return fitted(lambda rows: _render(result, rows))


def _render(result, rows: int) -> str:
    out = ["## prinergy-audit: %s" % _verdict(result.verdict), ""]
    paths = ", ".join(code(c.path) for c in result.configs)
    out.append("%s against policy %s: %s." % (paths, code(result.policy), counts_in_words(result.findings)))
    reasons = verdict_reasons(result)
    if reasons:
        out.append("")
        out.extend("- %s" % cell(r) for r in reasons)
    out.append("")
    if result.findings:
        out.extend(_finding_table(result.findings, lambda f: "%s:%d" % (f.source.path, f.source.line), rows=rows))
    else:
        out.append("No findings.")
    checked = len(result.flows)
    failed = sum(1 for f in result.flows if f["status"] == "fail")
    unknown = sum(1 for f in result.flows if f["status"] == "unknown")
    unrouted = sum(1 for f in result.flows if f["status"] == "not_routed")
    out.append("")
    out.append("Required flows: %d checked, %d pass, %d blocked, %d unknown, %d not checked." % (
        checked, checked - failed - unknown - unrouted, failed, unknown, len(result.unchecked) + unrouted))
    out.extend(_not_checked(result, rows))
    fixes = getattr(result, "fixes", None)
    if fixes is not None:
        out.extend(_fixes(fixes))
    from auditor.report.hints import roles_hint

    hint = roles_hint(result)
    if hint:
        out += ["", cell(" ".join(hint[:-1])), "", "```", hint[-1].strip(), "```"]
    return "\n".join(out) + "\n"


def _not_checked(result, limit: int = MAX_ROWS) -> list[str]:
    """What the audit could not check: the flows whose roles the site does not define, and those
    no interface of the input routes; grouped by why."""
    why: dict[str, list[str]] = {}
    for key, reason, _missing in result.unchecked:
        why.setdefault("roles %s" % reason, []).append(key)
    for f in result.flows:
        if f["status"] == "not_routed":
            why.setdefault("not routed through the device (no interface or route of the input reaches it)",
                           []).append(f["flow"])
    if not why:
        return []
    n = sum(len(v) for v in why.values())
    out = ["", "<details><summary>Not checked (%d)</summary>" % n, "", "| Flow | Why not checked |", "|---|---|"]
    rows = [(k, reason) for reason, keys in why.items() for k in keys]
    for k, reason in rows[:limit]:
        out.append("| %s | %s |" % (code(k), cell(reason)))
    if len(rows) > limit:
        out += ["", "_… and %d more._" % (len(rows) - limit)]
    out += ["", "</details>"]
    return out


def _fixes(fixes) -> list[str]:
    """The proven fixes: per blocked flow, the lines that block it and the change, as a code block."""
    from auditor.findings import describe_packets

    out = ["", "### Fixes (%d)" % len(fixes.fixes), "",
           "Each change was applied to a copy of the configuration and re-audited: the flow then passes, "
           "and the only newly permitted traffic is the flow's."]
    for x in fixes.fixes:
        lines = ", ".join(code("%s:%d" % (s.path, s.line)) for s in x.closes)
        out += ["", "- **%s** (blocked by %s), opens %s:" % (cell(x.label), lines,
                                                             cell("; ".join(describe_packets(x.opens, 2))
                                                                  if x.opens else REPLIES_ONLY)),
                "", "  ```", *("  " + line for line in x.change.rstrip("\n").splitlines()), "  ```"]
    if fixes.refused:
        out += ["", "No fix offered for:", ""]
        out += ["- %s: %s" % (cell(r.label), cell(r.reason)) for r in fixes.refused]
    return out


def _change_table(diff, changes, truncated: int, rows: int = MAX_ROWS) -> list[str]:
    """The groups of packets newly decided otherwise, the first ``rows`` of them (``truncated``:
    the groups the diff itself left out), the rest counted."""
    out = ["| Example | Old decision | New decision | Required flows |", "|---|---|---|---|"] if rows else []
    for c in changes[:rows]:
        j = diff.change_json(c)

        def side(s: str, c=c, j=j) -> str:
            src = (c.old if s == "old" else c.new).source
            at = code(diff.where(src, s)) if j["%s_line" % s] else ""
            if "%s_reason" % s in j:
                return "%s: %s%s" % (j["%s_decision" % s], cell(j["%s_reason" % s]), " (%s)" % at if at else "")
            rule = (diff.anchor(src) if s == "new" else src).text.strip()  # the line quoted, as in a real file
            return "%s at %s%s" % (j["%s_decision" % s], at, "<br>" + _quote(rule) if rule else "")

        flows = ", ".join(code(k) for k in j["required_flows"]) or "-"
        out.append("| %s | %s | %s | %s |" % (code(j.get("example_text", "")), side("old"), side("new"), flows))
    more = truncated + max(0, len(changes) - rows)
    if more:
        out.append("")
        out.append("_… and %d more groups._" % more)
    return out


def _summary(diff) -> list[str]:
    """What the change does at a glance: a table of the counts and the flows it newly blocks."""
    def groups(changes, key) -> str:
        n = len(changes) + diff.truncated.get(key, 0)
        was = sum(c.undecided_before for c in changes)  # (of those listed)
        return ("%d group(s) of packets" % n + (" (%d undecided before)" % was if was else "")) if n else "none"

    blocked = ", ".join(code(k) for k in diff.blocked_flows) or "none"
    rows = [("Findings introduced", "%d (%s)" % (len(diff.introduced), counts_in_words(diff.introduced))),
            ("Findings resolved", str(len(diff.resolved))),
            ("Findings unchanged", str(len(diff.unchanged))),
            ("Required flows newly blocked", blocked),
            ("Traffic newly permitted", groups(diff.newly_permitted, "newly_permitted")),
            ("Traffic newly denied", groups(diff.newly_denied, "newly_denied")),
            ("Traffic newly undecided", groups(diff.newly_unknown, "newly_unknown"))]
    return ["| What the change does | |", "|---|---|"] + ["| %s | %s |" % row for row in rows]


def render_diff(diff, color: bool = False) -> str:
    """A diff or change request as a PR comment (locations in real files, as ``DiffResult.where``)."""
    return fitted(lambda rows: _render_diff(diff, rows))


def _render_diff(diff, rows: int) -> str:
    out = ["## prinergy-audit diff: %s" % _verdict(diff.verdict), ""]
    out.append("%s → %s (policy %s)." % (code(diff.shown_path(diff.old_path, "old")),
                                         code(diff.shown_path(diff.new_path, "new")), code(diff.policy)))
    if diff.reasons:
        out.append("")
        out.extend("- %s" % cell(r) for r in diff.reasons)
    out += [""] + _summary(diff)
    sections = [
        ("Introduced findings", diff.introduced, "new"),
        ("Resolved findings", diff.resolved, "old"),
    ]
    for title, findings, side in sections:
        if findings:
            out += ["", "### %s (%d)" % (title, len(findings)), ""]
            out += _finding_table(findings, lambda f, s=side: diff.where(f.source, s),
                                  lambda f, s=side: diff.message(f, s),
                                  lambda f, s=side: (diff.anchor(f.source) if s == "new" else f.source).text, rows)
    for title, changes, key in (("Newly permitted", diff.newly_permitted, "newly_permitted"),
                                ("Newly denied", diff.newly_denied, "newly_denied"),
                                ("Newly undecided", diff.newly_unknown, "newly_unknown")):
        if changes:
            out += ["", "### %s traffic (%d)" % (title, len(changes)), ""]
            out += _change_table(diff, changes, diff.truncated.get(key, 0), rows)
    return "\n".join(out) + "\n"

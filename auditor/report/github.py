"""GitHub Actions workflow-command annotations: ``::error file=F,line=L,title=T::message``.

No upload needed: the runner turns each line into an annotation on the file.
Waived findings are not annotated.  Each finding's annotation gives its
message, the line quoted and an example packet, on lines of their own (as
the text format does).  A diff annotates the introduced findings, the lines
that newly block a required flow, leave it undecided or deny it where it was
undecided (errors) and the
lines that newly permit, deny or leave undecided other traffic (notices),
each with an example packet; and each reason of an unknown verdict that no
finding is (``DiffResult.located``: CHG500, CHG501), at its line, as SARIF
has it (but a line's required flows newly undecided, annotated already).

GitHub shows at most 10 error and 10 warning annotations of a step, the first
printed ("Usage limits": job annotations), so they are printed errors first, then
warnings, then notices (the verdict first of those); a diff's errors start with the
required flows it newly blocks or leaves undecided, the reason its job fails.
"""

from __future__ import annotations

from dataclasses import replace

from auditor.core.packets import format_packet
from auditor.report.sarif import PathNames, artifact_path, diff_message, diff_where
from auditor.report.text import shown

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
_RANK = {"error": 0, "warning": 1, "notice": 2}
_SAYS = {"permits": "newly permits", "denies": "newly denies", "undecided": "newly undecided:"}
_TITLES = {"permits": "traffic newly permitted", "denies": "traffic newly denied",
           "undecided": "traffic newly undecided"}
_FLOW_TITLES = {"denies": "required flow newly blocked", "undecided": "required flow newly undecided",
                "maybe": "required flow denied (undecided before)"}


def escape_data(text: str) -> str:
    """The message part of a workflow command; other control characters shown as ``\\xNN``, as the
    text report shows them (the CI log renders a config comment's escape sequences)."""
    return shown(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A ``key=value`` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, path: str | None = None, line: int | None = None,
            title: str | None = None, name=artifact_path) -> str:
    """One GitHub Actions workflow command (``::error file=...,line=...::message``), its values escaped;
    ``name``: the file as the repository names it (``artifact_path``; a report's ``PathNames``)."""
    props = []
    if path is not None:
        props.append("file=%s" % escape_property(name(path)))
        if line:
            props.append("line=%d" % max(1, line))
    if title:
        props.append("title=%s" % escape_property(title))
    return "::%s%s::%s" % (level, (" " + ",".join(props)) if props else "", escape_data(message))


def _most_severe_first(commands: list[str], verdict: str) -> str:
    """The annotations errors first, then warnings, then the verdict and the other notices,
    each level in the order given."""
    level = [c[2:].split(" ", 1)[0].split("::", 1)[0] for c in commands]
    ranked = sorted(range(len(commands)), key=lambda k: _RANK.get(level[k], 1))
    out = [commands[k] for k in ranked if level[k] != "notice"] + [verdict]
    out += [commands[k] for k in ranked if level[k] == "notice"]
    return "\n".join(out) + "\n"


def _title(f) -> str:
    from auditor.checks import all_rules
    info = all_rules().get(f.rule_id)
    return "%s %s" % (f.rule_id, info.name) if info else f.rule_id


def _finding(f, name, src=None, message: str | None = None) -> str:
    """A finding's annotation at ``src`` (its own line by default): its message (``message`` for a
    diff, whose messages name lines of real files), the line quoted and its example packet."""
    src = src or f.source
    text = [f.message if message is None else message]
    if src.text:
        text.append("| " + src.text.strip())
    if f.example is not None:
        text.append("e.g. " + format_packet(f.example))
    return command(LEVELS.get(f.severity, "warning"), "\n".join(text), src.path, src.line, _title(f), name)


def render(result, color: bool = False) -> str:
    """The audit as GitHub Actions annotations, one per unwaived finding."""
    name = PathNames().__getitem__  # (each path resolved once for the report)
    out = [_finding(f, name) for f in result.findings if not f.waived]
    return _most_severe_first(out, command("notice", "verdict %s: %s" % (
        result.verdict.upper(), "; ".join(result.reasons) or "ok"), title="prinergy-audit"))


def render_diff(diff, color: bool = False) -> str:
    """A diff as annotations: what the change introduces and the flows it newly blocks."""
    name = PathNames().__getitem__  # (each path resolved once for the report)
    found = [_finding(f, name, diff.anchor(f.source), diff_message(diff, f, name))
             for f in diff.introduced if not f.waived]
    out: list[str] = []  # (the traffic first: among the errors, the required flows newly blocked come first)
    shown = set()  # (path, line, flows) of the lines that newly leave required flows undecided
    for kind, changes in (("permits", diff.newly_permitted), ("denies", diff.newly_denied),
                          ("undecided", diff.newly_unknown)):
        for c in changes:
            j = diff.change_json(c)
            failing = kind != "permits" and c.flows  # (a flow newly blocked fails, one undecided too)
            maybe = kind == "denies" and j["old_decision"] == "unknown"  # (undecided before: blocked by it or not)
            title = _FLOW_TITLES["maybe" if maybe else kind] if failing else _TITLES[kind]
            msg = "%s %s (was %s by %s)" % (
                _SAYS[kind], j.get("example_text", "traffic"), j["old_decision"],
                diff_where(diff, c.old.source, "old", name) or j.get("old_reason", "the default"))
            if c.flows:
                msg += "; required flow(s): %s" % ", ".join(c.flows)
            src = diff.anchor(c.new.source) if c.new.source else None
            if src is not None and kind == "undecided" and c.flows:
                shown.add((src.path, src.line, ",".join(c.flows)))
            out.append(command("error" if failing else "notice", msg, src.path if src else None,
                               src.line if src else None, title, name))
    for f in diff.located:
        src = diff.anchor(f.source)
        if f.rule_id == "CHG501" and (src.path, src.line, f.key) in shown:
            continue
        # (the line quoted as the finding has it: none for a part left out, whose lines are only compared)
        out.append(_finding(f, name, replace(src, text=f.source.text)))
    return _most_severe_first(out + found, command("notice", "diff verdict %s: %s" % (
        diff.verdict.upper(), "; ".join(diff.reasons) or "ok"), title="prinergy-audit"))

"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

One run, one rule descriptor per rule ID (``auditor.checks.all_rules()``),
with ``helpUri`` pointing at the rule's page ``docs/rules/<ID>.md``.  Each
result carries a repository-relative URI and a start line, and
``partialFingerprints.primaryLocationLineHash`` = ``<fingerprint>:<n>`` (the
finding fingerprint ignores line numbers, so alerts survive lines moving).
Waived findings are kept, with ``suppressions``.  The run's invocation has the
exit code of the command that wrote it (``exit_code``, given by the command
line: 1 for a run that fails the job, 0 with ``--exit-zero``).

For a diff, the results are the new config's findings with
``baselineState`` "new" (introduced) or "unchanged"; code scanning then
compares against the base branch itself.  The verdict's reasons that no finding
is (a change to a part the review leaves out, a line not understood that leaves
the verdict undecided: rules CHG500, CHG501) are results too, "new", at their
lines, so that a review the job fails as unknown shows why.  For a change request, new lines
are anchored to the file they came from (the change file for added lines),
and the lines a message names are located the same way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from auditor import __version__
from auditor.report.encode import report as dumps

REPO_URL = "https://github.com/prinergy-audit/prinergy-audit"
DOCS_URL = REPO_URL + "/blob/main/docs/rules/"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
OPTIONS = ("exit_code",)


def rule_doc_url(rule_id: str) -> str:
    """The address of a rule's documentation page."""
    return DOCS_URL + "%s.md" % rule_id


def _repo_root(start: Path) -> Path | None:
    for d in (start, *start.parents):
        if (d / ".git").exists():
            return d
    return None


class PathNames(dict):
    """Each config path's artifact path (``artifact_path``), worked out once per path for the one report
    that makes this (every finding names one, and resolving it asks the file system): ``names[path]``."""

    def __missing__(self, path: str) -> str:
        got = self[path] = artifact_path(path)
        return got


def artifact_path(path: str) -> str:
    """A config path as the repository sees it: relative to the repository root, forward slashes.

    stdin is ``stdin``; a path outside any repository stays as given.
    """
    if path in ("-", "<stdin>"):
        return "stdin"
    p = Path(path)
    try:
        full = (Path.cwd() / p).resolve()
    except OSError:
        return p.as_posix()
    root = _repo_root(full.parent)
    if root is not None:
        try:
            return full.relative_to(root).as_posix()
        except ValueError:
            pass
    return p.as_posix()


def _named(path: str, name: Callable[[str], str] = artifact_path) -> str:
    """A file a message names, as the repository names it where it is a file (an absolute path
    given on the command line is the machine's, not the repository's); a label stays."""
    return name(path) if os.path.isfile(path) else path


def diff_message(diff, f, name: Callable[[str], str] = artifact_path) -> str:
    """A new-side finding's message as ``DiffResult.message`` locates its lines ("line 6 of
    change.txt"), each file it names as the results name it (``artifact_path``)."""
    text = diff.message(f, "new")
    named = sorted({a.path for a in (diff.origins or {}).values()}, key=len, reverse=True)
    if not named or " of " not in text:
        return text
    pattern = re.compile(r"\b(lines? \d+(?:, \d+)*) of (%s)(?![^\s,;:()])" % "|".join(map(re.escape, named)))
    return pattern.sub(lambda m: "%s of %s" % (m.group(1), _named(m.group(2), name)), text)


def diff_where(diff, src, side: str, name: Callable[[str], str] = artifact_path) -> str:
    """``DiffResult.where`` (``path:line`` of a real file, or with its side's label), the file as the
    results name it (``artifact_path``)."""
    where = diff.where(src, side)
    path, _, line = where.rpartition(":")
    return "%s:%s" % (_named(path, name), line) if path and line.isdigit() else where


def artifact_uri(path: str, name: Callable[[str], str] = artifact_path) -> str:
    """A SARIF artifact URI for a config path (relative to the repository where it can be).

    A colon is percent-encoded: in the first segment of a relative reference it would be read as
    a scheme ("fw:prod.cfg" names scheme "fw"; RFC 3986 section 4.2), and no path here has one."""
    return quote(name(path), safe="/@-._~!$&'()*+,;=")


def _descriptor(info) -> dict:
    doc = rule_doc_url(info.id)
    return {
        "id": info.id,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": "%s %s" % (info.summary, info.why)},
        "help": {
            "text": "%s\n\nWhy: %s\n\nFix: %s\n\nSee %s" % (info.summary, info.why, info.fix, doc),
            "markdown": "%s\n\n**Why:** %s\n\n**Fix:** %s\n\n[Rule %s documentation](%s)" % (
                info.summary, info.why, info.fix, info.id, doc),
        },
        "helpUri": doc,
        "defaultConfiguration": {"level": LEVELS.get(info.severity, "warning")},
        "properties": {"tags": ["firewall", "prinergy"]},
    }


def _location(src, name: Callable[[str], str]) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(src.path, name)},
        "region": {"startLine": max(1, src.line or 1)},
    }}


def _result(f, rule_index: dict, seen: dict, name: Callable[[str], str], anchor=None,
            fingerprint: str | None = None, baseline: str | None = None, message: str | None = None) -> dict:
    src = anchor(f.source) if anchor else f.source
    fp = fingerprint or f.fingerprint
    seen[fp] = seen.get(fp, 0) + 1
    out: dict = {
        "ruleId": f.rule_id,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message if message is None else message},
        "locations": [_location(src, name)],
        "partialFingerprints": {"primaryLocationLineHash": "%s:%d" % (fp, seen[fp])},
    }
    if f.rule_id in rule_index:
        out["ruleIndex"] = rule_index[f.rule_id]
    if f.related:
        out["relatedLocations"] = [dict(_location(anchor(r) if anchor else r, name), id=k,
                                        message={"text": r.text.strip()}) for k, r in enumerate(f.related, 1)]
    props: dict = {"fingerprint": fp}
    if f.key:
        props["key"] = f.key
    if f.status:
        props["status"] = f.status
    if f.example is not None:
        from auditor.core.packets import format_packet
        props["example"] = format_packet(f.example)
    out["properties"] = props
    if baseline:
        out["baselineState"] = baseline
    if f.waived:
        w = f.extra.get("waiver", {})
        sup = {"kind": w.get("kind", "external"), "status": "accepted",
               "justification": w.get("justification", "")}
        out["suppressions"] = [sup]
    return out


# GitHub code scanning rejects a run with more results than this (a hard limit)
MAX_RESULTS = 25_000
_RANK = {"error": 0, "warning": 1, "note": 2}


def _within_limit(results: list[dict]) -> tuple[list[dict], dict | None]:
    """At most ``MAX_RESULTS`` results, the most severe first chosen (unsuppressed before
    suppressed), in their order; and a notification saying how many were left out."""
    if len(results) <= MAX_RESULTS:
        return results, None
    ranked = sorted(range(len(results)), key=lambda k: ("suppressions" in results[k],
                                                        _RANK.get(results[k].get("level"), 1)))
    keep = sorted(ranked[:MAX_RESULTS])
    left = len(results) - MAX_RESULTS
    note = {"level": "warning", "message": {"text": (
        "%d of %d results left out: GitHub code scanning rejects a run with more than %d; the most "
        "severe are kept (the JSON and text formats have them all)" % (left, len(results), MAX_RESULTS))}}
    return [results[k] for k in keep], note


def _log(results: list[dict], ok: bool = True, exit_code: int | None = None) -> str:
    from auditor.checks import all_rules

    results, note = _within_limit(results)
    invocation: dict = {"executionSuccessful": ok}
    if exit_code is not None:
        invocation["exitCode"] = exit_code
    if note is not None:
        invocation["toolExecutionNotifications"] = [note]
    rules = list(all_rules().values())
    doc = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "prinergy-audit",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPO_URL,
                "rules": [_descriptor(r) for r in rules],
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return dumps(doc)


def _index() -> dict:
    from auditor.checks import all_rules
    return {rid: k for k, rid in enumerate(all_rules())}


def render(result, color: bool = False, exit_code: int | None = None) -> str:
    """An audit as SARIF: every finding, waived ones with suppressions; a finding a proven fix
    resolves carries it (``fixes``: the change, and the config file's edits); ``exit_code``: the
    command's, for the invocation."""
    index, seen, name = _index(), {}, PathNames().__getitem__
    fixes = getattr(result, "fixes", None)
    results = []
    for f in result.findings:
        r = _result(f, index, seen, name)
        fix = fixes.for_finding(f) if fixes is not None else None
        if fix is not None and fix.edits:
            r["fixes"] = [_fix(fix, name)]
        results.append(r)
    return _log(results, exit_code=exit_code)


def _fix(fix, name: Callable[[str], str]) -> dict:
    """A proven fix as a SARIF ``fix``: its change request in the description, and the edits it
    makes to the config file (lines inserted before a line, lines deleted)."""
    replacements = []
    for e in fix.edits:
        if "insert" in e:
            n = e["before"]
            replacements.append({"deletedRegion": {"startLine": n, "startColumn": 1, "endLine": n, "endColumn": 1},
                                 "insertedContent": {"text": "".join(x + "\n" for x in e["insert"])}})
        else:
            n = e["delete"]
            replacements.append({"deletedRegion": {"startLine": n, "startColumn": 1, "endLine": n + 1,
                                                   "endColumn": 1}})
    return {"description": {"text": "Proven fix for %s (opens only this flow): %s"
                            % (fix.label, fix.change.strip().replace("\n", "; "))},
            "artifactChanges": [{"artifactLocation": {"uri": artifact_uri(fix.config, name)},
                                 "replacements": replacements}],
            "properties": {"change": fix.change, "flow": fix.flow}}


def render_diff(diff, color: bool = False, exit_code: int | None = None) -> str:
    """A diff as SARIF: the new config's findings, marked new or unchanged, and each reason of the verdict
    that no finding is (``DiffResult.located``: a part left out of the review that the change alters, a line
    not understood that leaves it undecided), new, at its line."""
    index, seen, name = _index(), {}, PathNames().__getitem__
    results = [_result(f, index, seen, name, diff.anchor, diff.fingerprint(f), state, diff_message(diff, f, name))
               for state, group in (("new", diff.introduced), ("unchanged", diff.unchanged))
               for f in group]
    results += [_result(f, index, seen, name, diff.anchor, baseline="new") for f in diff.located]
    return _log(results, exit_code=exit_code)

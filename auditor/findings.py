"""Findings: what a check reports, pointing at one config line."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Sequence

from auditor.core.model import Source
from auditor.core.packets import format_packet, packet_json
from auditor.core.secrets import redact, scrub

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One reported problem.

    ``key`` names the finding within its rule (a flow, an object) so that
    the fingerprint survives unrelated lines being inserted above it: it
    hashes the rule ID, the file name, the key and the line's text, never
    the line number.
    """

    rule_id: str
    severity: str
    message: str
    source: Source
    key: str = ""
    example: tuple[int, int, int, int, int] | None = None
    status: str = ""  # for flow checks: fail | unknown
    related: tuple[Source, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    waived: bool = False  # set by auditor.waivers: still reported, never counted toward the verdict
    occurrence: int = 0  # set by sort_findings: the n-th finding with the same rule, file, key and text

    @property
    def fingerprint(self) -> str:
        text = re.sub(r"\s+", " ", self.source.text.strip())
        base = "\x1f".join((self.rule_id, self.source.path.rsplit("/", 1)[-1], self.key, text))
        if self.occurrence:
            base += "\x1f%d" % self.occurrence
        return hashlib.sha256(base.encode()).hexdigest()[:16]

    def __post_init__(self) -> None:
        # (text leaving the program: the message may quote a name or a token of a line)
        object.__setattr__(self, "message", redact(self.message))
        if self.extra:
            object.__setattr__(self, "extra", scrub(self.extra))

    def sort_key(self) -> tuple:
        return (self.source.path, self.source.line, self.rule_id, self.key)

    def to_json(self) -> dict:
        out = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "message": self.message,
            "path": self.source.path,
            "line": self.source.line,
            "text": self.source.text,
            "fingerprint": self.fingerprint,
        }
        if self.key:
            out["key"] = self.key
        if self.status:
            out["status"] = self.status
        if self.example is not None:
            out["example"] = packet_json(self.example)
            out["example_text"] = format_packet(self.example)
        if self.related:
            out["related"] = [{"path": s.path, "line": s.line, "text": s.text} for s in self.related]
        if self.waived:
            out["waived"] = True
        out.update(self.extra)
        return out


def rule_ref(rule) -> str:
    """``line N``, with the rule's label where its line alone does not name it (a cloud rule)."""
    return "line %d (%s)" % (rule.source.line, rule.label) if rule.label else "line %d" % rule.source.line


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Findings in report order (path, line, rule, key), one copy of each, and each with its
    own fingerprint: two identical lines (same rule, file, key and text) are told apart by
    their order (``occurrence``), which unrelated edits do not change."""
    from dataclasses import replace

    out: list[Finding] = []
    seen: dict[tuple, int] = {}
    printed: set[tuple] = set()
    for f in sorted(findings, key=Finding.sort_key):
        shown = (f.rule_id, f.source.path, f.source.line, f.key, f.message)
        if shown in printed:
            continue  # (the same finding twice, e.g. one rule line reached from two places)
        printed.add(shown)
        base = (f.rule_id, f.source.path.rsplit("/", 1)[-1], f.key, re.sub(r"\s+", " ", f.source.text.strip()))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(replace(f, occurrence=n) if n != f.occurrence else f)
    return out

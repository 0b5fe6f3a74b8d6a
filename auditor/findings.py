"""Findings: what a check reports, pointing at one config line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Sequence

from auditor.core.model import Source
from auditor.core.packets import (
    MAX_PORT,
    PROTO_ICMP,
    PROTO_ICMP6,
    PROTO_NAMES,
    ISet,
    PacketSet,
    format_iset_addrs,
    format_packet,
    packet_json,
)
from auditor.core.secrets import redact, scrub

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


# report order: path, line, rule, key (``Finding.sort_key``; one C call each when sorting 70,000 findings)
_SORT_KEY = attrgetter("source.path", "source.line", "rule_id", "key")


@dataclass(frozen=True, init=False)
class Finding:
    """One reported problem.

    ``key`` names the finding within its rule (a flow, an object) so that
    the fingerprint survives unrelated lines being inserted above it: it
    hashes the rule ID, the file name, the key and the line's text, never
    the line number.

    The message and every string of ``extra`` are redacted on construction (text leaving the
    program: the message may quote a name or a token of a line).
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
        text = spaced(self.source.text)
        base = "\x1f".join((self.rule_id, self.source.path.rsplit("/", 1)[-1], self.key, text))
        if self.occurrence:
            base += "\x1f%d" % self.occurrence
        return hashlib.sha256(base.encode()).hexdigest()[:16]

    def __init__(self, rule_id: str, severity: str, message: str, source: Source, key: str = "",
                 example: tuple[int, int, int, int, int] | None = None, status: str = "",
                 related: tuple[Source, ...] = (), extra: dict | None = None, waived: bool = False,
                 occurrence: int = 0) -> None:
        # the dataclass's own __init__ of a frozen class sets each field through
        # object.__setattr__: two thirds of a finding's cost in a report of 70,000 (tested equal)
        self.__dict__.update(rule_id=rule_id, severity=severity, message=redact(message), source=source,
                             key=key, example=example, status=status, related=related,
                             extra=scrub(extra) if extra else ({} if extra is None else extra),
                             waived=waived, occurrence=occurrence)

    def sort_key(self) -> tuple:
        return _SORT_KEY(self)

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


def spaced(text: str) -> str:
    """A line's text as fingerprints read it: trimmed, each run of blanks one space (so that
    re-indenting a config keeps its waivers)."""
    return " ".join(text.split())  # (``re.sub(r"\s+", " ", text.strip())``: the same blanks; tested equal)


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Findings in report order (path, line, rule, key), one copy of each, and each with its
    own fingerprint: two identical lines (same rule, file, key and text) are told apart by
    their order (``occurrence``), which unrelated edits do not change."""
    out: list[Finding] = []
    seen: dict[tuple, int] = {}
    printed: set[tuple] = set()
    texts: dict[str, str] = {}  # a line's text -> ``spaced`` (many findings share a line)
    names: dict[str, str] = {}  # a path -> its file name
    for f in sorted(findings, key=_SORT_KEY):
        src = f.source
        shown = (f.rule_id, src.path, src.line, f.key, f.message)
        if shown in printed:
            continue  # (the same finding twice, e.g. one rule line reached from two places)
        printed.add(shown)
        text = texts.get(src.text)
        if text is None:
            text = texts[src.text] = spaced(src.text)
        name = names.get(src.path)
        if name is None:
            name = names[src.path] = src.path.rsplit("/", 1)[-1]
        base = (f.rule_id, name, f.key, text)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(_with_occurrence(f, n) if n != f.occurrence else f)
    return out


def _with_occurrence(f: Finding, n: int) -> Finding:
    """``dataclasses.replace(f, occurrence=n)`` without redacting again in ``__init__`` (its
    redaction is done: a report of 70,000 repeated lines spent a second there; tested equal)."""
    g = object.__new__(Finding)
    g.__dict__.update(f.__dict__)
    g.__dict__["occurrence"] = n
    return g


# --- packet sets in words (findings, diffs and fixes name what they allow) ---------------------

def _ports(s: ISet, limit: int = 4) -> str:
    if s.iv == ((0, MAX_PORT),):
        return "any"
    parts = ["%d" % lo if lo == hi else "%d-%d" % (lo, hi) for lo, hi in s.iv[:limit]]
    return ",".join(parts) + (",..." if len(s.iv) > limit else "")


def _protos(s: ISet) -> str:
    def name(lo: int, hi: int) -> str:
        return PROTO_NAMES.get(lo, str(lo)) if lo == hi else "%d-%d" % (lo, hi)

    if s.iv == ((0, 255),):
        return "ip"
    rest = ISet.of(0, 255).subtract(s)
    if len(rest.iv) <= 2 and rest.size() <= 3:
        return "ip except %s" % ",".join(name(lo, hi) for lo, hi in rest.iv)
    return ",".join(name(lo, hi) for lo, hi in s.iv[:4]) + (",..." if len(s.iv) > 4 else "")


def merged(ps: PacketSet, most: int = 256) -> PacketSet:
    """The same packets in fewer cubes: cubes alike in all dimensions but one become one cube,
    their union in that one (first-match evaluation leaves a rule's part cut into pieces); sets
    of more than ``most`` cubes as they are.

    Each pass groups the cubes by the other four dimensions (hashing: a group of pieces is
    joined in one union, not pair by pair), dimension by dimension, until nothing joins.
    """
    from auditor.core.packets import Cube, ISet

    cubes = list(ps.cubes)
    if len(cubes) > most:
        return ps
    changed = True
    while changed and len(cubes) > 1:
        changed = False
        for k in range(5):
            groups: dict[tuple, list] = {}
            for c in cubes:
                groups.setdefault(c.dims[:k] + c.dims[k + 1:], []).append(c)
            if len(groups) == len(cubes):
                continue
            cubes = [cs[0] if len(cs) == 1 else
                     Cube.from_dims(key[:k] + (ISet.union_of(c.dims[k] for c in cs),) + key[k:])
                     for key, cs in groups.items()]
            changed = True
    return PacketSet.of_cubes(cubes)


def _addrs(s: ISet, limit: int) -> str:
    """``format_iset_addrs`` of the first ``limit`` intervals only (a set cut by thousands of
    blacklist hosts has as many intervals: only those shown are formatted)."""
    if len(s.iv) <= limit + 1:
        return format_iset_addrs(s, limit)
    return format_iset_addrs(ISet(s.iv[:limit], _normal=True), limit) + ", ... (%d more)" % (len(s.iv) - limit)


def describe_packets(ps: PacketSet, limit: int = 3) -> list[str]:
    """Up to ``limit`` cubes of a set in words: ``tcp any -> 10.20.0.10 port 445``."""
    out = []
    ps = merged(ps)
    for c in ps.cubes[:limit]:
        src, dst, proto, _sport, dport = c.dims
        text = "%s %s -> %s" % (_protos(proto), _addrs(src, 2), _addrs(dst, 2))
        if proto.issubset(ISet([(PROTO_ICMP, PROTO_ICMP), (PROTO_ICMP6, PROTO_ICMP6)])):
            if dport.iv != ((0, MAX_PORT),):
                text += " icmp-type %s" % ",".join(sorted({str(lo >> 8) for lo, _ in dport.iv}))
        elif dport.iv != ((0, MAX_PORT),):
            text += " port %s" % _ports(dport)
        out.append(text)
    if len(ps.cubes) > limit:
        out.append("... (%d more parts)" % (len(ps.cubes) - limit))
    return out


def describe_services(ps: PacketSet, limit: int = 8) -> str:
    """The protocols and destination ports of a set, whatever the addresses: ``tcp 80,445; udp 37002``."""
    by_proto: dict[int, ISet] = {}
    for c in ps.cubes:
        for lo, hi in c.dims[2].iv:
            for p in range(lo, min(hi, lo + 3) + 1):  # (a protocol range is named by its first few)
                by_proto[p] = by_proto.get(p, ISet()).union(c.dims[4])
    return "; ".join("%s %s" % (PROTO_NAMES.get(p, str(p)), _ports(ports, limit))
                     for p, ports in sorted(by_proto.items()))

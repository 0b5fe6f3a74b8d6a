"""Waivers: findings a reviewer has accepted, each justified and time-boxed.

Two places can waive a finding:

* a waivers file (``--waivers FILE``, YAML): a list of entries, each with
  ``rule_id``, exactly one selector (``fingerprint``, ``text`` = the exact
  line text, or ``contains`` = a substring of it), ``justification``,
  ``expires`` (YYYY-MM-DD, the last day it applies) and optionally ``owner``
  and ``path`` (a glob on the config path);
* an inline marker in a filter's remark, e.g.
  ``remark prinergy-audit: ignore PRN160 until 2027-06-30 legacy Mac clients``,
  which covers findings on the lines of that filter's rules.  Parsers put
  remarks into ``Config.remarks`` as ``(filter name, Source)``; only
  the remark *text* is read here, so any vendor with remarks or comments gets
  inline waivers for free.

A waived finding stays in the result (``waived=True``, with the waiver in
``extra["waiver"]``) and is shown as suppressed, but does not count toward
the verdict.  An expired waiver stops applying and is itself reported
(WVR400); one that matches nothing is reported as unused (WVR401); an inline
marker that cannot be read is reported (WVR402), never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from typing import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from auditor.core.model import Config, Source
from auditor.findings import Finding

MARKER = "prinergy-audit:"
WAIVER_RULES = ("WVR400", "WVR401", "WVR402")
_INLINE = re.compile(
    r"prinergy-audit:\s*ignore\s+(?P<rules>[A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)"
    r"(?:\s+until\s+(?P<until>\S+))?(?P<why>.*)$", re.I)
_FIELDS = ("rule_id", "fingerprint", "text", "contains", "justification", "owner", "expires", "path")
_SELECTORS = ("fingerprint", "text", "contains")


class WaiverError(ValueError):
    """A waivers file that cannot be used; the message is one line naming file:line:column."""


class WaiverEntry(BaseModel):
    """One waiver: a finding a reviewer accepts, justified and time-boxed; exactly one of fingerprint,
    text and contains selects the findings."""

    # (schemas/waivers.schema.json is made from this model; load_waivers validates every entry with it)

    model_config = ConfigDict(extra="forbid", title="prinergy-audit waiver", json_schema_extra={
        "oneOf": [{"required": [k]} for k in _SELECTORS]})
    rule_id: str = Field(pattern=r"^[A-Z]+[0-9]+$", description="The rule the waiver accepts, e.g. PRN160.")
    fingerprint: str | None = Field(default=None, description="The finding's fingerprint (JSON and SARIF output).")
    text: str | None = Field(default=None, description="The config line's exact text.")
    contains: str | None = Field(default=None, description="A part of the config line's text.")
    justification: str = Field(min_length=1, description="Why the finding is accepted.")
    owner: str | None = None
    expires: date = Field(description="The last day the waiver applies (YYYY-MM-DD).")
    path: str | None = Field(default=None, description="A glob on the config's path or file name.")


WaiversFile = RootModel[list[WaiverEntry]]


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Waiver:
    """One waiver, from a waivers file entry or an inline remark.

    ``scope`` (inline waivers only) lists the ``(path, line)`` pairs the
    waiver covers: the lines of the rules of the remark's filter.
    """

    rule_ids: tuple[str, ...]
    justification: str
    expires: date | None
    source: Source
    owner: str = ""
    fingerprint: str = ""
    text: str = ""
    contains: str = ""
    path: str = ""
    scope: frozenset = frozenset()
    kind: str = "external"  # SARIF suppression kind: external (waivers file) or inSource (remark)

    def expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, f: Finding) -> bool:
        if f.rule_id not in self.rule_ids:
            return False
        if self.kind == "inSource":
            return (f.source.path, f.source.line) in self.scope
        if self.path and not (fnmatch(f.source.path, self.path) or
                              ("/" not in self.path and fnmatch(f.source.path.rsplit("/", 1)[-1], self.path))):
            return False
        if self.fingerprint:
            return f.fingerprint == self.fingerprint
        if self.text:
            return _norm(f.source.text) == _norm(self.text)
        return _norm(self.contains) in _norm(f.source.text)

    def describe(self) -> str:
        return "waiver for %s" % ",".join(self.rule_ids)

    def to_json(self) -> dict:
        out = {"kind": self.kind, "justification": self.justification,
               "source": self.source.where()}
        if self.owner:
            out["owner"] = self.owner
        if self.expires is not None:
            out["expires"] = self.expires.isoformat()
        return out


# --- reading -------------------------------------------------------------------

def load_waivers(path: str) -> list[Waiver]:
    """Read and validate a waivers file; every problem is a ``WaiverError`` naming file:line."""
    import yaml

    from auditor.policy import MAX_YAML_DEPTH, check_yaml_size, flow_depth, read_user_text

    text = read_user_text(path, "waivers file", error=WaiverError)
    if path == "-":
        path = "<stdin>"
    if flow_depth(text) > MAX_YAML_DEPTH:
        raise WaiverError("%s: the waivers file is nested too deeply" % path)
    try:
        node = yaml.compose(text)
        check_yaml_size(node, path, "waivers file", WaiverError)
        data = yaml.load(text, Loader=_dates_as_text(yaml))  # (dates are checked below, with their line)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = "%s:%d:%d" % (path, mark.line + 1, mark.column + 1) if mark else path
        raise WaiverError("%s: not valid YAML (%s)" % (where, getattr(e, "problem", None) or "syntax error")) from None
    except RecursionError:
        raise WaiverError("%s: the waivers file is nested too deeply" % path) from None
    except WaiverError:
        raise
    except ValueError as e:  # (a constructor's: an integer of thousands of digits)
        raise WaiverError("%s: a value cannot be read: %s" % (path, str(e).split(";")[0])) from None
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise WaiverError("%s:1:1: a waivers file is a YAML list of entries" % path)
    lines = text.splitlines()
    known = _known_rules()
    out = []
    for item, item_node in zip(data, node.value):
        ln = item_node.start_mark.line + 1
        src = Source(path, ln, lines[ln - 1].rstrip() if ln <= len(lines) else "")
        pairs = item_node.value if isinstance(item_node, yaml.MappingNode) else ()  # (a scalar's value is its text)
        keys = {k.value: (k.start_mark.line + 1, k.start_mark.column + 1) for k, _v in pairs}
        keys[""] = (ln, item_node.start_mark.column + 1)
        out.append(_entry(item, src, known, keys))
    return out


def _dates_as_text(yaml):
    """A safe YAML loader that leaves dates as text: YAML's own date parsing fails without a
    line on ``2026-02-30``; ``_date`` reports the waiver's file and line instead."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def _known_rules() -> set[str]:
    from auditor.checks import all_rules
    return set(all_rules())


def _entry(item, src: Source, known: set[str], keys: dict | None = None) -> Waiver:
    keys = keys or {}

    def at(key: str = "") -> str:
        line, col = keys.get(key) or keys.get("") or (src.line, 1)
        return "%s:%d:%d" % (src.path, line, col)

    where = at()
    if not isinstance(item, dict):
        raise WaiverError("%s: each waiver is a mapping with rule_id, justification, expires, ..." % where)
    extra = sorted(set(item) - set(_FIELDS))
    if extra:
        raise WaiverError("%s: unknown waiver field '%s' (allowed: %s)" % (at(extra[0]), extra[0], ", ".join(_FIELDS)))
    rule = str(item.get("rule_id") or "").strip()
    if not rule:
        raise WaiverError("%s: waiver needs 'rule_id'" % where)
    if rule not in known or rule in WAIVER_RULES:
        raise WaiverError("%s: unknown or unwaivable rule ID '%s'" % (at("rule_id"), rule))
    chosen = [k for k in _SELECTORS if item.get(k) not in (None, "")]
    if len(chosen) != 1:
        raise WaiverError("%s: waiver needs exactly one of fingerprint, text, contains (got %s)"
                          % (where, ", ".join(chosen) or "none"))
    why = str(item.get("justification") or "").strip()
    if not why:
        raise WaiverError("%s: waiver needs a 'justification'" % where)
    if "expires" not in item or item["expires"] in (None, ""):
        raise WaiverError("%s: waiver needs 'expires' (YYYY-MM-DD)" % where)
    expires = _date(item["expires"], at("expires"))
    sel = chosen[0]
    try:
        WaiverEntry.model_validate({**item, "expires": expires})
    except ValidationError as e:
        err = e.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else ""
        raise WaiverError("%s: waiver field '%s': %s" % (at(name), name, err["msg"])) from None
    return Waiver((rule,), why, expires, src, owner=str(item.get("owner") or ""),
                  path=str(item.get("path") or ""), **{sel: str(item[sel])})


def _date(value, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise WaiverError("%s: '%s' is not a date (YYYY-MM-DD)" % (where, value)) from None


def parse_marker(text: str) -> tuple[tuple[str, ...], date | None, str] | str | None:
    """Read an inline marker from a remark's text.

    Returns ``None`` when the text has no marker, ``(rule IDs, until, justification)``
    when it reads, or a string saying what is wrong with it.
    """
    k = text.lower().find(MARKER)
    if k < 0:
        return None
    m = _INLINE.match(text[k:].strip())
    if not m:
        return "expected 'prinergy-audit: ignore RULE[,RULE] until YYYY-MM-DD justification'"
    rules = tuple(r.strip().upper() for r in m.group("rules").split(","))
    if not m.group("until"):
        return "an inline waiver needs 'until YYYY-MM-DD'"
    try:
        until = date.fromisoformat(m.group("until"))
    except ValueError:
        return "'%s' is not a date (YYYY-MM-DD)" % m.group("until")
    why = m.group("why").strip()
    if not why:
        return "an inline waiver needs a justification after the date"
    return rules, until, why


def inline_waivers(configs: Sequence[Config]) -> tuple[list[Waiver], list[Finding]]:
    """Waivers written in filter remarks, and WVR402 findings for markers that cannot be read."""
    known = None
    waivers: list[Waiver] = []
    bad: list[Finding] = []
    for cfg in configs:
        for filter_name, src in cfg.remarks:
            got = parse_marker(src.text)
            if got is None:
                continue
            if isinstance(got, tuple):
                known = known if known is not None else _known_rules()
                unknown = [r for r in got[0] if r not in known or r in WAIVER_RULES]
                if unknown:
                    got = "unknown or unwaivable rule ID '%s'" % unknown[0]
            if isinstance(got, str):
                bad.append(Finding("WVR402", "warning", "inline waiver not applied: %s" % got, src,
                                   key="inline:%s" % filter_name))
                continue
            rules, until, why = got
            f = cfg.filters.get(filter_name)
            scope = frozenset((r.source.path, r.source.line) for r in f.rules) if f is not None else frozenset()
            waivers.append(Waiver(rules, why, until, src, scope=scope, kind="inSource"))
    return waivers, bad


# --- applying ------------------------------------------------------------------

def apply_waivers(findings: Iterable[Finding], configs: Sequence[Config],
                  waivers: Sequence[Waiver] | str | None = None, today: date | None = None) -> list[Finding]:
    """Mark waived findings and add WVR400/401/402 findings; the input is not changed.

    ``waivers`` is a list from ``load_waivers`` or the path of a waivers file;
    inline remark waivers in ``configs`` always apply.  ``today`` decides
    expiry (default: the current date).
    """
    today = today or date.today()
    if isinstance(waivers, (str, Path)):
        waivers = load_waivers(str(waivers))
    inline, out = inline_waivers(configs)
    every = list(waivers or ()) + inline
    active = [w for w in every if not w.expired(today)]
    used: set[int] = set()
    for f in findings:
        hit = None
        if f.rule_id not in WAIVER_RULES:
            for k, w in enumerate(active):
                if w.matches(f):
                    used.add(k)
                    hit = hit or w
        if hit is not None:
            f = replace(f, waived=True, extra={**f.extra, "waiver": hit.to_json()})
        out.append(f)
    for w in every:
        if w.expired(today):
            out.append(Finding(
                "WVR400", "warning",
                "%s expired on %s%s: the findings it covered count again (%s)"
                % (w.describe(), w.expires.isoformat(), " (owner %s)" % w.owner if w.owner else "",
                   w.justification),
                w.source, key="waiver:%s" % ",".join(w.rule_ids)))
    for k, w in enumerate(active):
        if k not in used:
            out.append(Finding("WVR401", "info", "%s matches no finding: remove it or fix its selector"
                               % w.describe(), w.source, key="waiver:%s" % ",".join(w.rule_ids)))
    return out

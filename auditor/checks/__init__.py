"""Checks: one module per rule ID family, listed in ``CHECKS``.

Each module defines ``RULES`` (rule ID -> ``RuleInfo``) and
``run(ctx) -> Iterable[Finding]``.  Adding a check is one new module plus one
entry here.  A long check may also define ``start(ctx)``: the audit calls it
before any check runs, so its background work overlaps the others; what it
returns is iterated for the findings in the check's turn, and closed after.
It may also define ``prestart(filter, total)`` to start on a filter while the
parser is still building the others (see ``auditor.engine.prestart``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

CHECKS: tuple[str, ...] = (
    "auditor.checks.config_lines",
    "auditor.checks.required_flows",
    "auditor.checks.idle_timeout",
    "auditor.checks.link_local",
    "auditor.checks.windows_firewall",
    "auditor.checks.exposure",
    "auditor.checks.afp",
    "auditor.checks.anomalies",
    "auditor.checks.waivers_meta",
)


@dataclass(frozen=True)
class RuleInfo:
    """What a rule ID means; the per-rule docs and SARIF descriptors come from here."""

    id: str
    name: str
    severity: str
    summary: str
    why: str
    fix: str


def modules() -> list[ModuleType]:
    return [importlib.import_module(m) for m in CHECKS]


def all_rules() -> dict[str, RuleInfo]:
    return dict(_rule_items())


@lru_cache(maxsize=1)
def _rule_items() -> tuple[tuple[str, RuleInfo], ...]:
    out: dict[str, RuleInfo] = {}
    for m in modules():
        out.update(m.RULES)
    return tuple(sorted(out.items()))

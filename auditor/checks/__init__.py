"""Checks: one module per rule ID family, listed in ``CHECKS``.

Each module defines ``CHECK``, a ``Check``: its name, the rules it reports (``RuleInfo``, each
ID written once, here) and ``run(ctx) -> Iterable[Finding]``.  A long check may also give
``start(ctx)``: the audit calls it before any check runs, so its background work overlaps the
others; what it returns is iterated for the findings in the check's turn, and closed after.
Adding a check is one new module, one entry here, and one file of rule cases
(``tests/rules/<RULE>.yml``) per rule ID.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable

CHECKS: tuple[str, ...] = (
    "auditor.checks.config_lines",
    "auditor.checks.required_flows",
    "auditor.checks.idle_timeout",
    "auditor.checks.link_local",
    "auditor.checks.windows_firewall",
    "auditor.checks.exposure",
    "auditor.checks.afp",
    "auditor.checks.least_privilege",
    "auditor.checks.anomalies",
    "auditor.checks.waivers_meta",
    "auditor.checks.change_review",
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


@dataclass(frozen=True)
class Check:
    """One check: the rules it reports and how it runs (``start``: see the module doc)."""

    name: str
    rules: tuple[RuleInfo, ...]
    run: Callable[[Any], Iterable]
    start: Callable[[Any], Any] | None = None


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    """Every registered check, in registry order (the order findings are made in)."""
    return tuple(importlib.import_module(m).CHECK for m in CHECKS)


def all_rules() -> dict[str, RuleInfo]:
    """Rule ID -> ``RuleInfo`` of every check, sorted by ID."""
    return dict(_rule_items())


@lru_cache(maxsize=1)
def _rule_items() -> tuple[tuple[str, RuleInfo], ...]:
    out: dict[str, RuleInfo] = {}
    for c in checks():
        for r in c.rules:
            if r.id in out:
                raise ValueError("rule ID %s is registered twice (%s)" % (r.id, c.name))
            out[r.id] = r
    return tuple(sorted(out.items()))

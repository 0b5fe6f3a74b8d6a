"""The JSON contract (schema_version 1): stable keys, findings sorted by path, line, rule_id."""

from __future__ import annotations

from auditor.report.encode import report as dumps


def render(result, color: bool = False) -> str:
    """The audit as JSON (``schema_version`` 1)."""
    return dumps(result.to_json())


def render_diff(diff, color: bool = False) -> str:
    """A diff or change request as JSON."""
    return dumps(diff.to_json())

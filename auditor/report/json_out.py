"""The JSON contract (schema_version 1): stable keys, findings sorted by path, line, rule_id."""

from __future__ import annotations

from auditor.report.encode import report as dumps


def render(result, color: bool = False) -> str:
    return dumps(result.to_json())


def render_diff(diff, color: bool = False) -> str:
    return dumps(diff.to_json())

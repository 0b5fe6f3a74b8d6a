"""The JSON contract (schema_version 1): stable keys, findings sorted by path, line, rule_id."""

from __future__ import annotations

import json


def render(result, color: bool = False) -> str:
    return json.dumps(result.to_json(), indent=2, sort_keys=False) + "\n"


def render_diff(diff, color: bool = False) -> str:
    return json.dumps(diff.to_json(), indent=2, sort_keys=False) + "\n"

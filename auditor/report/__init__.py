"""Output formats: one module per format, each with ``render(result, color) -> str``
for an audit and ``render_diff(diff, color) -> str`` for a diff or change request."""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "auditor.report.text",
    "json": "auditor.report.json_out",
    "sarif": "auditor.report.sarif",
    "junit": "auditor.report.junit",
    "markdown": "auditor.report.markdown",
    "github": "auditor.report.github",
}


def render(fmt: str, result, color: bool = False) -> str:
    return importlib.import_module(FORMATS[fmt]).render(result, color)


def render_diff(fmt: str, diff, color: bool = False) -> str:
    return importlib.import_module(FORMATS[fmt]).render_diff(diff, color)

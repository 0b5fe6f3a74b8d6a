"""Output formats: one module per format, each with ``render(result, color) -> str``."""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "auditor.report.text",
    "json": "auditor.report.json_out",
}


def render(fmt: str, result, color: bool = False) -> str:
    return importlib.import_module(FORMATS[fmt]).render(result, color)

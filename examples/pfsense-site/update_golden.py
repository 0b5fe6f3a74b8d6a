#!/usr/bin/env python3
"""Write the golden outputs of the bundled pfSense example (run by hand, from anywhere, after an
intended change; review the diff before committing):

    .venv/bin/python examples/pfsense-site/update_golden.py

``tests/pfsense/test_pfsense_example.py`` compares the audit's text and JSON output with these files
and fails when one is missing or different; it never writes them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CONFIG = "examples/pfsense-site/config.xml"
SITE = "examples/pfsense-site/site.yaml"


def render_all() -> dict[str, str]:
    """The example's audit as text and JSON, with paths relative to the repository root."""
    sys.path.insert(0, str(ROOT))
    os.environ["NO_COLOR"] = "1"
    from auditor.api import audit, load_config
    from auditor.policy import load_site
    from auditor.report import render

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = audit([load_config(CONFIG)], load_site(SITE))
    finally:
        os.chdir(cwd)
    return {"audit.txt": render("text", result), "audit.json": render("json", result)}


if __name__ == "__main__":
    for name, text in render_all().items():
        (HERE / name).write_text(text)
        print("wrote", HERE / name)

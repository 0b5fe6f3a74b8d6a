"""Write the Junos example's golden outputs (run by hand after an intended change, then review the diff).

    .venv/bin/python scripts/junos_golden.py

It audits ``examples/junos-site/srx.conf`` with ``examples/junos-site/site.yaml`` from the repository
root (paths in the output are relative to it) and writes ``examples/junos-site/golden/audit.txt`` and
``audit.json``; ``tests/test_junos_example.py`` compares the audit with them and never writes them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CFG = "examples/junos-site/srx.conf"
SITE = "examples/junos-site/site.yaml"
GOLDEN = ROOT / "examples" / "junos-site" / "golden"


def outputs() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from auditor.api import audit, load_config
    from auditor.policy import load_site
    from auditor.report import render

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = audit([load_config(CFG)], load_site(SITE))
    finally:
        os.chdir(cwd)
    return {"audit.txt": render("text", result), "audit.json": render("json", result)}


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for name, text in outputs().items():
        (GOLDEN / name).write_text(text)
        print("wrote", GOLDEN / name)

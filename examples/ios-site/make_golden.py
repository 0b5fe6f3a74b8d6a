#!/usr/bin/env python3
"""Write the golden outputs of the IOS example (run by hand after an intended change; review the diff).

    .venv/bin/python examples/ios-site/make_golden.py

writes ``examples/ios-site/golden/audit.txt`` and ``audit.json`` (the audit of ``ios.cfg`` with
``site.yaml``) and ``check-change.txt`` (``change.txt`` applied with ``check-change``), as the
command line prints them from the repository's root.  ``tests/ios/test_ios_example.py`` compares
the outputs with them and fails when one is missing; it never writes them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CFG, SITE, CHANGE = "examples/ios-site/ios.cfg", "examples/ios-site/site.yaml", "examples/ios-site/change.txt"

RUNS = {
    "audit.txt": ["audit", CFG, "--site", SITE],
    "audit.json": ["audit", CFG, "--site", SITE, "--format", "json"],
    "check-change.txt": ["check-change", CFG, CHANGE, "--site", SITE],
}


def output(args: list[str]) -> str:
    """What ``prinergy-audit ARGS`` prints from the repository's root (no color)."""
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True).stdout


def main() -> None:
    """Write the golden files."""
    (HERE / "golden").mkdir(exist_ok=True)
    for name, args in RUNS.items():
        (HERE / "golden" / name).write_text(output(args))
        print("wrote", HERE / "golden" / name)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Regenerate every golden output (run by hand after an intended change, then review the diff).

The tests never write golden files: a missing or different one fails.  This runs each example's own
generator, the web page's, and the bundled ASA example's (``UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATORS = [
    "examples/panos-site/update_golden.py",
    "examples/pfsense-site/update_golden.py",
    "examples/checkpoint-site/make_golden.py",
    "examples/ios-site/make_golden.py",
    "examples/fortios-site/regenerate.py",
    "scripts/junos_golden.py",
    "scripts/web_golden.py",
]


def main() -> int:
    for script in GENERATORS:
        subprocess.run([sys.executable, str(ROOT / script)], cwd=ROOT, check=True)
    env = dict(os.environ, UPDATE_GOLDEN="1")
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_example.py"],
                   cwd=ROOT, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

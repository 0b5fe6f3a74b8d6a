"""Write the golden outputs of the Check Point example (run by hand, then review the diff):

    .venv/bin/python examples/checkpoint-site/make_golden.py

The test (tests/checkpoint/test_checkpoint_example.py) compares the audit with these files and
never writes them.  The audit is the CLI's: every JSON file of ``export/`` as one device.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

EXPORT = "examples/checkpoint-site/export"
INPUTS = sorted("%s/%s" % (EXPORT, p.name) for p in (ROOT / EXPORT).iterdir() if p.suffix == ".json")
SITE = "examples/checkpoint-site/site.yaml"
GOLDEN = ROOT / "examples" / "checkpoint-site" / "golden"


def run_audit():
    """The example's audit result, paths relative to the repository (as the CLI run from it)."""
    from auditor.api import audit, combine_inputs, load_config
    from auditor.policy import load_site

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        site = load_site(SITE)
        return audit(combine_inputs([load_config(p) for p in INPUTS], site=site), site)
    finally:
        os.chdir(cwd)


def main() -> None:
    """Write golden/audit.txt and golden/audit.json."""
    from auditor.report import render

    result = run_audit()
    GOLDEN.mkdir(exist_ok=True)
    (GOLDEN / "audit.txt").write_text(render("text", result))
    (GOLDEN / "audit.json").write_text(render("json", result))
    print("wrote", GOLDEN / "audit.txt", GOLDEN / "audit.json")


if __name__ == "__main__":
    main()

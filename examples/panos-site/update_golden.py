"""Write the golden outputs of the bundled PAN-OS example (run by hand after an intended change,
then review the diff): ``.venv/bin/python examples/panos-site/update_golden.py``.

The test (``tests/panos/test_panos_example.py``) compares the audit with these files and fails
when one is missing; it never writes them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
CONFIG = "examples/panos-site/running-config.xml"
SITE = "examples/panos-site/site.yaml"


def render_all() -> dict[str, str]:
    """The example's audit as text and JSON, with repository-relative paths."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["NO_COLOR"] = "1"
    from auditor.api import audit, load_config
    from auditor.policy import load_site
    from auditor.report import render

    result = audit([load_config(CONFIG)], load_site(SITE))
    return {"audit.txt": render("text", result), "audit.json": render("json", result)}


def main() -> None:
    """Write audit.txt and audit.json beside this script."""
    for name, text in render_all().items():
        (HERE / name).write_text(text)
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()

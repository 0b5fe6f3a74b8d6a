"""Write this example's golden outputs (audit.txt, audit.json); run by hand after an intended change:

    .venv/bin/python examples/fortios-site/regenerate.py

then review the diff.  tests/test_fortios_example.py compares the audit with these files and fails when
one is missing; it never writes them.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from auditor.api import audit, load_config  # noqa: E402
from auditor.policy import load_site  # noqa: E402
from auditor.report import render  # noqa: E402

HERE = Path("examples/fortios-site")


def main() -> None:
    """Audit the example and write its text and JSON outputs."""
    result = audit([load_config(str(HERE / "fortigate.conf"))], load_site(str(HERE / "site.yaml")))
    (HERE / "audit.txt").write_text(render("text", result))
    (HERE / "audit.json").write_text(render("json", result))


if __name__ == "__main__":
    main()

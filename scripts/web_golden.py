"""Write the golden files of the HTML report and the flow matrix (run by hand after an intended change,
then review the diff):

    .venv/bin/python scripts/web_golden.py

It audits the bundled example (``examples/prinergy-site/asa.cfg`` with its ``site.yaml``, from the
repository root, so the paths in the output are relative to it) and writes

* ``tests/golden/example-report.html``: ``--format html``;
* ``tests/golden/example-matrix-roles.svg`` and ``example-matrix-services.svg``: the two matrices,
  each cell linking to ``#L<input>-<line>`` as in the report;
* ``tests/golden/example-matrix.txt``: the matrix table of the text output on a terminal (no color).

``tests/test_report_html.py`` compares the same outputs with these files and never writes them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CFG = "examples/prinergy-site/asa.cfg"
SITE = "examples/prinergy-site/site.yaml"
GOLDEN = ROOT / "tests" / "golden"


def outputs() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from auditor.api import audit, load_config
    from auditor.policy import load_site
    from auditor.report import matrix, render

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = audit([load_config(CFG)], load_site(SITE))
    finally:
        os.chdir(cwd)
    states = matrix.flow_states(result)

    def href(src) -> str:
        return "#L0-%d" % src.line

    return {
        "example-report.html": render("html", result),
        "example-matrix-roles.svg": matrix.svg(matrix.by_role(result, states), href, "matrix-roles") + "\n",
        "example-matrix-services.svg": matrix.svg(matrix.by_service(result, states), href, "matrix-services") + "\n",
        "example-matrix.txt": "\n".join(matrix.text_table(matrix.by_role(result, states))) + "\n",
    }


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for name, text in outputs().items():
        (GOLDEN / name).write_text(text)
        print("wrote", GOLDEN / name)

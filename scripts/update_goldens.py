#!/usr/bin/env python3
"""The bundled examples' golden outputs, in one place: what each audit prints and the file that
holds it.  Run by hand after an intended change, then review the diff:

    .venv/bin/python scripts/update_goldens.py

The tests compute the same outputs with ``outputs(name)`` (through ``conftest.golden``) and fail
when a golden file is missing or different; they never write one.  The IOS example's goldens
(printed by the command line, a change request among them) and the web page's have generators of
their own, which this runs too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_AND_JSON = {"text": "audit.txt", "json": "audit.json"}


@dataclass(frozen=True)
class Example:
    """A bundled example: its inputs and site (relative to the repository, as the outputs show
    them), the folder of its golden files and the file of each format."""

    inputs: tuple[str, ...]
    site: str
    golden: str
    files: dict = field(default_factory=lambda: dict(TEXT_AND_JSON))


def _export(folder: str) -> tuple[str, ...]:
    """A Check Point package export's JSON files, as the command line reads the folder."""
    return tuple(sorted("%s/%s" % (folder, p.name) for p in (ROOT / folder).iterdir() if p.suffix == ".json"))


EXAMPLES = {
    "asa": Example(("examples/prinergy-site/asa.cfg",), "examples/prinergy-site/site.yaml", "tests/golden",
                   {"text": "example-audit.txt", "json": "example-audit.json"}),
    "junos": Example(("examples/junos-site/srx.conf",), "examples/junos-site/site.yaml", "examples/junos-site/golden"),
    "fortios": Example(("examples/fortios-site/fortigate.conf",), "examples/fortios-site/site.yaml",
                       "examples/fortios-site"),
    "panos": Example(("examples/panos-site/running-config.xml",), "examples/panos-site/site.yaml",
                     "examples/panos-site"),
    "pfsense": Example(("examples/pfsense-site/config.xml",), "examples/pfsense-site/site.yaml",
                       "examples/pfsense-site"),
    "checkpoint": Example(_export("examples/checkpoint-site/export"), "examples/checkpoint-site/site.yaml",
                          "examples/checkpoint-site/golden"),
}
OTHER_GENERATORS = ["examples/ios-site/make_golden.py", "scripts/web_golden.py"]


@lru_cache(maxsize=None)
def result(name: str):
    """The example's audit, run from the repository's root (its paths as the outputs show them)."""
    sys.path.insert(0, str(ROOT))
    from auditor.api import audit, combine_inputs, load_config
    from auditor.policy import load_site

    ex = EXAMPLES[name]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        site = load_site(ex.site)
        return audit(combine_inputs([load_config(p) for p in ex.inputs], site=site), site)
    finally:
        os.chdir(cwd)


def outputs(name: str) -> dict[Path, str]:
    """Golden file -> what it must hold."""
    from auditor.report import render

    ex = EXAMPLES[name]
    return {ROOT / ex.golden / file: render(fmt, result(name)) for fmt, file in ex.files.items()}


def main() -> int:
    for name in EXAMPLES:
        for path, text in outputs(name).items():
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
            print("wrote", path.relative_to(ROOT))
    for script in OTHER_GENERATORS:
        subprocess.run([sys.executable, str(ROOT / script)], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"

os.environ.setdefault("NO_COLOR", "1")

# In CI, property tests draw the same examples on every run (a failure there is reproducible, and a
# green run means the same thing twice); locally hypothesis explores, and keeps what it finds.  No
# deadline anywhere: hypothesis's per-example deadline is a wall-time assertion, which fails a correct
# test on a loaded machine (a brute-force oracle over 4,096 addresses did, beside other jobs).
settings.register_profile("local", deadline=None)
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def normalised(monkeypatch):
    """Counts the intervals handed to ISet normalisation (each call sorts its input): the work of
    building address sets, for the tests of the former quadratic inputs (issue 20)."""
    import auditor.core.packets as packets

    seen = [0]
    real = packets._normalise

    def counting(intervals):
        intervals = list(intervals)
        seen[0] += len(intervals)
        return real(intervals)

    monkeypatch.setattr(packets, "_normalise", counting)
    return seen


def _goldens():
    import importlib.util

    spec = importlib.util.spec_from_file_location("update_goldens", ROOT / "scripts" / "update_goldens.py")
    mod = importlib.util.module_from_spec(spec)
    import sys

    sys.modules[spec.name] = mod  # (its dataclass looks its module up)
    spec.loader.exec_module(mod)
    return mod


GOLDENS = _goldens()


def check_goldens(name: str) -> None:
    """The bundled example ``name``'s outputs equal its golden files (``scripts/update_goldens.py``
    writes them, by hand, reviewed; a test never does)."""
    for path, text in GOLDENS.outputs(name).items():
        assert path.exists(), "no golden file %s: run scripts/update_goldens.py, then review it" % path
        assert text == path.read_text(), "%s changed: run scripts/update_goldens.py, then review the diff" % path


def example_result(name: str):
    """The bundled example ``name``'s audit (the one its golden files hold), computed once."""
    return GOLDENS.result(name)

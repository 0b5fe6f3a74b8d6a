"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"

os.environ.setdefault("NO_COLOR", "1")

# In CI, property tests draw the same examples on every run (a failure there is reproducible, and a
# green run means the same thing twice); locally hypothesis explores, and keeps what it finds.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None)
    settings.load_profile("ci")


@pytest.fixture
def root() -> Path:
    return ROOT

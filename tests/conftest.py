"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"

os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture
def root() -> Path:
    return ROOT

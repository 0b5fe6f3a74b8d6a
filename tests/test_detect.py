"""Vendor detection: the most confident vendor, the first of equals; it stops at a vendor that is
certain (100), which no later one can beat, so the answer is the full search's."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import VENDORS, InputError, detect, load
from parsers.kit.decode import decode

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for p in (ROOT / "tests" / "fixtures" / "corpus").rglob("*")
               if p.is_file() and p.suffix not in (".md", ".zip", ".tgz", ".gz"))
FILES += sorted(p for p in (ROOT / "examples").rglob("*") if p.is_file() and p.suffix in (".cfg", ".conf", ".xml",
                                                                                         ".set", ".json", ".rules"))


def full_search(text: str) -> tuple[str | None, int]:
    best, score = None, 0
    for name in VENDORS:
        s = load(name).detect(text)
        assert 0 <= s <= 100, name
        if s > score:
            best, score = name, s
    return best, score


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_detect_is_the_full_search(path):
    text = decode(path.read_bytes(), str(path))
    best, score = full_search(text)
    try:
        got = detect(text, str(path))
    except InputError:
        assert score < 60  # (below 60 the lookalike rules decide: not this test's business)
        return
    if score >= 60:
        assert got == best

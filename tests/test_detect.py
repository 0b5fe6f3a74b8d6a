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


# --- line_regex: the detectors' line-anchored signs, searched by their newline ---------------------

import importlib  # noqa: E402
import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from parsers.kit.vendor import LineStart, _anchored, line_regex  # noqa: E402


def _line_starts(obj, seen=None):
    """Every ``LineStart`` in ``obj`` (a module's globals, tuples of signs), once."""
    seen = set() if seen is None else seen
    if isinstance(obj, LineStart):
        if id(obj) not in seen:
            seen.add(id(obj))
            yield obj
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            yield from _line_starts(x, seen)


def _vendor_line_starts() -> list[LineStart]:
    seen: set = set()
    out = []
    for module in dict.fromkeys(VENDORS.values()):
        for value in vars(importlib.import_module(module)).values():
            out.extend(_line_starts(value, seen))
    return out


def test_the_detectors_use_line_starts():
    # (the signs of ASA, IOS, nftables, iptables, Windows, FortiOS and PAN-OS; a vendor moving its
    # signs back to re.M patterns loses the speed, not the truth, and this count says so)
    assert len(_vendor_line_starts()) >= 40


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_line_starts_find_what_the_multiline_pattern_finds(path):
    head = decode(path.read_bytes(), str(path))[:200000]
    for rx in _vendor_line_starts():
        assert bool(rx.search(head)) == bool(rx.first.search(head)), rx.first.pattern


@pytest.mark.parametrize("pattern, anchored", [
    (r"^access-list ", True),
    (r"^(?:: Saved|ASA Version)", True),
    (r"^: Saved|^ASA Version", False),  # (the anchor holds for the first alternative only)
    (r"^a[|]b", True),
    (r"^a\|b", True),
    (r"^[]|]x", True),
    (r"^[^]|]x|y", False),
    (r"^(a|(b|c))d", True),
    (r"^(a)|b", False),
    (r"access-list", False),
    (r"\btype\s+filter", False),
    (r"(?m)^set ", False),
])
def test_anchored(pattern, anchored):
    assert _anchored(pattern) is anchored
    got = line_regex(pattern)
    assert isinstance(got, LineStart) is anchored


def test_verbose_patterns_are_left_alone():
    # (re.X would ignore the newline the fast form looks for)
    assert not isinstance(line_regex(r"^a  b", re.X), LineStart)


_PATTERNS = [r"^\s*table (ip|inet) \S+ \{", r"^\s+edit (?:\"[^\"]*\"|\S+)\s*$", r"^\s*end\s*$", r"^set x\b",
             r"^(?:: Saved| nameif \S+)", r"^Name\s+:\s*(?:Domain|Public)\s*$", r"^COMMIT\s*$", r"^-A \S+"]
_PIECES = ["table ip t {", "table inet", " ", "\t", "\n", "\r\n", "edit \"x\"", "edit y", "end", "set x", "set xy",
           ": Saved", " nameif in", "Name : Domain", "Name  :Public", "COMMIT", "-A IN", "-A", "{", "\"", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from(_PATTERNS),
       st.sampled_from([0, re.I]))
def test_line_start_is_the_multiline_search(pieces, pattern, flags):
    text = "".join(pieces)
    fast = line_regex(pattern, flags)
    assert isinstance(fast, LineStart)
    assert bool(fast.search(text)) == bool(re.compile(pattern, re.M | flags).search(text))

"""Indented JSON text for the machine formats, fast for large reports.

``json.dumps(obj, indent=2)`` runs Python's pure-Python encoder (the C one is
only used without indentation): about 1 s for the JSON of 20,000 findings and
more for their SARIF.  orjson writes the same text in a fraction of that; its
result is used when it is plain ASCII (json.dumps escapes everything else, and
orjson cannot), and json.dumps is the fallback for anything orjson refuses
(integers beyond 64 bits) or when orjson is not installed.
"""

from __future__ import annotations

import json


def report(obj) -> str:
    """A machine-format report: ``dumps`` of ``obj`` with every string redacted of secrets (the
    last net for text leaving the program)."""
    from auditor.core.secrets import is_clean, scrub

    return dumps(obj if is_clean(obj) else scrub(obj))


def dumps(obj) -> str:
    """``json.dumps(obj, indent=2)`` and a newline."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; kept optional for odd platforms
        orjson = None
    if orjson is not None:
        try:
            raw = orjson.dumps(obj, option=orjson.OPT_INDENT_2)
        except TypeError:
            raw = None
        if raw is not None and raw.isascii() and b"\x7f" not in raw:  # (json.dumps escapes DEL too)
            return raw.decode("ascii") + "\n"
    return json.dumps(obj, indent=2) + "\n"

"""The one place ciscoconfparse2 is imported (lazily: it costs about a second).

Parsers of IOS-style configs may use its block structure through
``structural_parse``; the benchmark uses it as its baseline.  The ASA parser
does not: its own line scanner is several times faster on large configs.
"""

from __future__ import annotations

from typing import Sequence


def structural_parse(lines: Sequence[str], syntax: str = "ios"):
    """``CiscoConfParse(config=lines, syntax=syntax)``."""
    from ciscoconfparse2 import CiscoConfParse

    return CiscoConfParse(config=list(lines), syntax=syntax)



"""Junos's lines, quoted with Junos's own secrets hidden too.

The shared redaction (``auditor.core.secrets.redact``) hides ``secret``, ``authentication-key``,
``encrypted-password``, ``pre-shared-key``, ``community NAME``... A trap group's name is a
community string as well: Junos sends it as the community of the SNMPv1/v2c traps to the
group's targets (``snmp { trap-group NAME { targets ...; } }``, ``set snmp trap-group NAME ...``).
"""

from __future__ import annotations

import re

from auditor.core.model import Impact, Source
from auditor.core.secrets import MASK, redact
from parsers.kit import LineByLine

_TRAP_GROUP = re.compile(r"(?i)((?<![\w-])trap-group\s+)(?!%s)(\"[^\"]*\"|[^\s;{]+)" % re.escape(MASK))


def redact_line(text: str) -> str:
    """``text`` with every secret value replaced by ``<redacted>`` (the shared rules, then Junos's)."""
    out = redact(text)
    if "trap-group" in out.lower():
        out = _TRAP_GROUP.sub(lambda m: m.group(1) + MASK, out)
    return out


class JunosLines(LineByLine):
    """``LineByLine`` whose quotes and messages hide Junos's secrets as well (``redact_line``)."""

    def report(self, code: str, message: str, source: Source, impact: Impact = Impact.GLOBAL,
               scope: str = "") -> None:
        # (a message may quote the statement: "'snmp trap-group NAME' not understood")
        super().report(code, redact_line(message), source, impact, scope)

    def source(self, i: int) -> Source:
        got = super().source(i)
        if got.text != MASK and "trap-group" in got.text.lower():
            return Source(got.path, got.line, redact_line(got.text))
        return got


def redact_text(text: str) -> str:
    """``text`` as its lines are quoted, every Junos secret masked (``Vendor.redact``)."""
    return JunosLines(text, "").quoted()

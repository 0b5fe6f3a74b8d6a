"""The kit's ``Lines`` with FortiOS's secrets hidden as well.

The kit redacts every ``Source`` (``auditor.core.secrets.redact``).  FortiOS backups hold
secrets in forms a line-by-line redaction cannot see: a private key or certificate bundle
runs over many lines inside one quoted value, and keys are spelt ``psksecret``,
``auth-pwd``, ``priv-pwd``, ``passwd``, ``ppk-secret``, ``sae-password``, ... with an
``ENC <base64>`` value.  Here a line inside a multi-line value is never quoted, and a
``set`` whose key names a secret, or whose value is ``ENC ...``, keeps only its key.
"""

from __future__ import annotations

import re

from auditor.core.model import Source
from auditor.core.secrets import MASK, redact
from parsers.kit import Lines

# keys whose value is a secret (a substring of the key is enough)
_SECRET_KEY = re.compile(r"(?i)pass|pwd|secret|psk|key|community|token|cert|private|auth-code|hash")
_SET = re.compile(r"^(\s*(?:set|append)\s+)(\"[^\"]*\"|\S+)(\s+)(.*)$", re.I)
_ENC = re.compile(r"(?i)\bENC\s+\S+")


def redact_line(text: str) -> str:
    """``text`` with every secret value replaced by ``<redacted>`` (kit rules, then FortiOS's)."""
    out = redact(text)
    m = _SET.match(out)
    if m and _SECRET_KEY.search(m.group(2)) and m.group(4) != MASK:
        out = m.group(1) + m.group(2) + m.group(3) + MASK
    return _ENC.sub("ENC " + MASK, out)


class FortiLines(Lines):
    """Lines whose ``Source`` texts hide FortiOS secrets; ``inside`` = lines inside a
    multi-line quoted value (set after the scan), quoted as ``<redacted>``."""

    def __init__(self, text: str, path: str):
        super().__init__(text, path)
        self.inside: set[int] = set()
        self.secret_names: set[int] = set()  # lines inside SNMP community/user blocks: quoted as a mask

    def source(self, i: int) -> Source:
        """The line at index ``i`` as a ``Source``, secrets hidden."""
        if not 0 <= i < len(self.raw):
            return Source(self.path, i + 1, "")
        if i in self.inside:
            return Source(self.path, i + 1, MASK)
        if i in self.secret_names:
            return Source(self.path, i + 1, MASK)
        return Source(self.path, i + 1, redact_line(self.raw[i].rstrip()))

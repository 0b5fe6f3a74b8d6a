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


# keys whose values are addresses, names or numbers, never secrets: their lines skip the pattern search
_PLAIN = frozenset(("subnet", "member", "start-ip", "end-ip", "srcintf", "dstintf", "srcaddr", "dstaddr",
                    "srcaddr6", "dstaddr6", "service", "action", "schedule", "tcp-portrange", "udp-portrange",
                    "sctp-portrange", "ip", "ip6", "session-ttl", "status", "type", "name", "uuid", "logtraffic",
                    "interface", "extip", "mappedip", "extport", "mappedport", "protocol", "dst", "gateway",
                    "device"))


def redact_line(text: str) -> str:
    """``text`` with every secret value replaced by ``<redacted>`` (kit rules, then FortiOS's)."""
    out = redact(text)
    if _SECRET_KEY.search(out) is None and "ENC" not in out:
        return out
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
        self._sources: dict[int, Source] = {}

    def use_span(self, i: int, j: int) -> None:
        """Lines ``i`` to ``j`` (inclusive) built the model, except those already ignored or reported
        (``Lines.use`` over a range, in one step)."""
        st = self.state
        st[i:j + 1] = bytes(st[i:j + 1]).replace(b"\x00", b"\x01")

    def source(self, i: int) -> Source:
        """The line at index ``i`` as a ``Source``, secrets hidden."""
        got = self._sources.get(i)
        if got is not None:
            return got
        if not 0 <= i < len(self.raw):
            return Source(self.path, i + 1, "")
        if i in self.inside or i in self.secret_names:
            got = Source(self.path, i + 1, MASK)
        elif (w := self.raw[i].split(None, 2))[:1] in (["set"], ["edit"]) and len(w) > 1 and \
                (w[0] == "edit" or w[1] in _PLAIN) and "ENC" not in self.raw[i]:
            got = Source(self.path, i + 1, self.raw[i].rstrip())
        else:
            got = Source(self.path, i + 1, redact_line(self.raw[i].rstrip()))
        self._sources[i] = got
        return got

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
from parsers.kit.lines import IGNORED

# keys whose value is a secret (a substring of the key is enough)
_SECRET_KEY = re.compile(r"(?i)pass|pwd|secret|psk|key|community|token|cert|private|auth-code|hash")
_SET = re.compile(r"^(\s*(?:set|append)\s+)(\"[^\"]*\"|\S+)(\s+)(.*)$", re.I)
_ENC = re.compile(r"(?i)\bENC\s+\S+")
# an encrypted value as FortiOS writes it ("encoded when displayed in the CLI and configuration file", Fortinet,
# "Secure password storage", docs.fortinet.com/document/fortianalyzer/6.4.0/best-practices/417844): two copies of
# one configuration may hold different ENC strings for the same secret
_ENC_WRITTEN = re.compile(r"\bENC\s+\S+")


def compared(line: str) -> str:
    """What a change review compares of a line of a part left out (``Lines.left_out``): the line, its ``ENC``
    values masked (the rest as written: a redaction of the whole line would mask what follows a word such as
    'key' in a name or a comment)."""
    return _ENC_WRITTEN.sub("ENC " + MASK, line) if "ENC" in line else line


# a line's state byte: none (0) -> used (1), the others kept (``use_span``)
_USE = bytes.maketrans(b"\x00", b"\x01")

# keys whose values are addresses, names or numbers, never secrets: their lines skip the pattern search
_PLAIN = frozenset(("subnet", "member", "start-ip", "end-ip", "srcintf", "dstintf", "srcaddr", "dstaddr",
                    "srcaddr6", "dstaddr6", "service", "action", "schedule", "tcp-portrange", "udp-portrange",
                    "sctp-portrange", "ip", "ip6", "session-ttl", "status", "type", "name", "uuid", "logtraffic",
                    "interface", "extip", "mappedip", "extport", "mappedport", "protocol", "dst", "gateway",
                    "device"))


# the words of an 'edit' or plain 'set' line before its value that hold none of the shared redaction's trigger
# words (``auditor.core.secrets._may_hold_secret``; tests/test_fortios_secrets.py checks it)
_UNTRIGGERED = frozenset(("edit", "subnet", "start-ip", "end-ip"))


def _numeric(value: str) -> bool:
    """Whether ``value`` (the rest of a line) is only ASCII digits, dots and blanks (an ID, an IPv4 address and
    mask): no trigger word of the shared redaction can be in it, nor across the blanks around it."""
    return value.isascii() and value.replace(".", "").replace(" ", "").isdigit()


# ``_SECRET_KEY``'s words (its pattern is a plain alternation of lower-case literals)
_SECRET_WORDS = tuple(_SECRET_KEY.pattern.removeprefix("(?i)").split("|"))


def _names_secret(text: str) -> bool:
    """``_SECRET_KEY.search(text)``, several times faster on ASCII text (substring tests of the
    lower-cased text instead of a case-insensitive alternation tried at every position, as
    ``auditor.core.secrets`` does for its trigger); other text takes the regular expression."""
    if text.isascii():
        low = text.lower()
        return any(w in low for w in _SECRET_WORDS)
    return _SECRET_KEY.search(text) is not None


def redact_line(text: str) -> str:
    """``text`` with every secret value replaced by ``<redacted>`` (kit rules, then FortiOS's)."""
    out = redact(text)
    if not _names_secret(out) and "ENC" not in out:
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
        self._sources: dict[int, Source] = {}

    def use_span(self, i: int, j: int) -> None:
        """Lines ``i`` to ``j`` (inclusive) built the model, except those already ignored or reported
        (``Lines.use`` over a range, in one step)."""
        st = self.state
        st[i:j + 1] = st[i:j + 1].translate(_USE)

    def ignore_settings(self, history: list, reasons: dict[str, str]) -> list:
        """Each ``(key, first, last)`` statement of ``history`` whose key has a reason in ``reasons``
        ignored with it (``Lines.ignore`` over its lines, in one step for a one-line statement); the
        others returned, in order."""
        st, why = self.state, self.ignored_why
        rest = []
        for item in history:
            reason = reasons.get(item[0])
            if not reason:
                rest.append(item)
            elif item[1] == item[2]:
                if not st[item[1]]:
                    st[item[1]] = IGNORED
                    why[reason] += 1
            else:
                self.ignore(item[1], reason, item[2] + 1)
        return rest

    def source(self, i: int) -> Source:
        """The line at index ``i`` as a ``Source``, secrets hidden."""
        got = self._sources.get(i)
        if got is not None:
            return got
        raw = self.raw
        if not 0 <= i < len(raw):
            return Source(self.path, i + 1, "")
        line = raw[i]
        context = self._context.get(i)
        if i in self.inside:
            got = Source(self.path, i + 1, MASK)
        elif context is not None:  # (a private key's body, an SNMP block's values: ``context_lines``)
            got = Source(self.path, i + 1, context)
        else:
            w = line.split(None, 2)
            if len(w) > 1 and (w[0] == "edit" or (w[0] == "set" and w[1] in _PLAIN)) and "ENC" not in line:
                # (no FortiOS secret key: the shared redaction alone, which returns most lines at once; none
                # at all for a policy's 'edit ID' or an address's 'set subnet A M', whose words hold none of
                # its trigger words: ``_numeric``)
                text = line.rstrip()
                got = Source(self.path, i + 1, text if _numeric(w[-1]) and w[-2] in _UNTRIGGERED else redact(text))
            else:
                got = Source(self.path, i + 1, redact_line(line.rstrip()))
        self._sources[i] = got
        return got

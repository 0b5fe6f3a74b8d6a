"""Keep secrets out of every output.

Every config line that the tool may quote passes through ``redact`` when its
``Source`` record is made, so passwords, keys and SNMP communities never reach
a report, a log or an error message.  The patterns cover the secret-bearing
keywords of every supported vendor; a parser may redact more, never less.
"""

from __future__ import annotations

import re

MASK = "<redacted>"

# a secret keyword and the rest of its line
_SECRET_KEYWORDS = (
    r"password|passwd|secret|pre-shared-key|key-string|authentication-key|community|"
    r"shared-secret|psk|passphrase|md5|sha|sha256|auth-key|private-key|api-key|"
    r"ldap-login-password|psksecret|passwd|authentication|key"
)
_KV = re.compile(r"(?i)(?P<kw>\b(?:%s)\b)(?P<sep>\s+)(?P<val>\S.*)$" % _SECRET_KEYWORDS)
# `set password ENC xyz`, `"Password": "..."` JSON forms
_JSON = re.compile(r'(?i)("(?:[a-z_-]*(?:password|secret|key|community|token)[a-z_-]*)"\s*:\s*)"[^"]*"')
# SNMP host lines put the community after "community" or as the last token of
# `snmp-server host IF IP community X` / `snmp-server host IP X` (IOS)
_SNMP_HOST = re.compile(r"(?i)^(\s*snmp-server\s+host\s+\S+(?:\s+\S+)?)(\s+.*)$")


_TRIGGER = re.compile(r"(?i)pass|secret|key|communit|psk|md5|sha|snmp|token|authentication")


def redact(line: str) -> str:
    """``line`` with every secret value replaced by ``<redacted>``."""
    if not line:
        return line
    if _TRIGGER.search(line) is None:
        return line
    low = line.lower()
    out = _JSON.sub(lambda m: m.group(1) + '"%s"' % MASK, line)
    # everything after a secret keyword goes: a value may be several tokens
    # (type markers, key ids, quoted phrases), and over-redacting is safe
    out = _KV.sub(lambda m: m.group("kw") + m.group("sep") + MASK, out)
    m = _SNMP_HOST.match(out)
    if m and "snmp-server host" in low and MASK not in m.group(2):
        # IOS form: snmp-server host IP [version] COMMUNITY ...: hide the rest
        out = m.group(1) + " " + MASK
    return out


# the trigger's words (its pattern is a plain alternation of lower-case words)
_TRIGGER_WORDS = tuple(_TRIGGER.pattern.removeprefix("(?i)").split("|"))


def lines_to_redact(text: str) -> set[int]:
    """Indexes (as in ``text.splitlines()``) of the lines ``redact`` may change: every other line
    it returns unchanged.  One search per trigger word over the whole text, instead of the
    trigger's case-insensitive regular expression on each line (which costs more than parsing a
    line); a line with non-ASCII characters is always included (its case folding is Unicode's)."""
    from bisect import bisect_right
    from itertools import accumulate

    out: set[int] = set()
    if text.isascii():
        low = text.lower()
    else:
        out.update(i for i, line in enumerate(text.splitlines()) if not line.isascii())
        low = text.encode("ascii", "replace").decode("ascii").lower()  # (one character for one)
    hits = []
    for w in _TRIGGER_WORDS:
        k = low.find(w)
        while k >= 0:
            hits.append(k)
            k = low.find(w, k + 1)
    if hits:
        ends = list(accumulate(map(len, text.splitlines(keepends=True))))
        out.update(bisect_right(ends, k) for k in hits)
    return out

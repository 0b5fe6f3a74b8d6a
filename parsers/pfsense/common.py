"""What the pfSense and OPNsense modules share: the two dialects, secret redaction, small helpers.

pfSense and OPNsense read config.xml with PHP: pfSense tests a boolean option by its presence
(``isset($rule['disabled'])``: ``<disabled/>`` disables a rule), OPNsense mostly by its value
(``!empty($rule['disabled'])``: ``<disabled>1</disabled>`` disables it, ``0`` or an empty element
does not).  ``Dialect.flag`` is that difference, in one place.
"""

from __future__ import annotations

import re

from auditor.core.secrets import MASK, secret_tag
from parsers.kit import LineByLine
from parsers.kit.names import ascii_digits
from parsers.pfsense.xmltree import Node

PFSENSE = "pfsense"
OPNSENSE = "opnsense"


class Dialect:
    """pfSense or OPNsense: how boolean options are read."""

    def __init__(self, name: str):
        self.name = name
        self.opn = name == OPNSENSE
        self.title = "OPNsense" if self.opn else "pfSense"

    def flag(self, node: Node | None, tag: str, strict: bool = False) -> bool:
        """Whether option ``tag`` of ``node`` is on.

        pfSense: the element is present (PHP ``isset``).  OPNsense: present and not ``0``; with
        ``strict`` (options OPNsense reads with ``!empty``: ``disabled``, ``quick``), not empty either.
        """
        if node is None:
            return False
        k = node.child(tag)
        if k is None:
            return False
        if not self.opn:
            return True
        v = k.text.strip()
        return v not in ("", "0") if strict else v != "0"


def redact_lines(lines: list[str], nodes: list[Node]) -> list[str]:
    """``lines`` with the text of every secret-bearing element of ``nodes`` replaced by ``<redacted>``.

    Line numbers are kept: a secret over several lines leaves its lines in place, each masked.  An
    element naming a secret that holds others hides the text of each of them (pfSense keeps a
    wireless interface's WEP keys as ``<wep><key><value>X</value></key></wep>``).
    """
    out = lines
    for n in _secret_leaves(nodes):
        if out is lines:
            out = list(lines)
        tag = re.escape(n.tag)
        if n.line == n.end:
            out[n.line] = re.sub(r"(<%s(?:\s[^>]*)?>).*?(</%s\s*>)" % (tag, tag), r"\g<1>%s\g<2>" % MASK,
                                 out[n.line])
            continue
        out[n.line] = re.sub(r"(<%s(?:\s[^>]*)?>).*$" % tag, r"\g<1>%s" % MASK, out[n.line])
        for k in range(n.line + 1, n.end):
            out[k] = MASK
        out[n.end] = re.sub(r"^.*?(</%s\s*>)" % tag, r"%s\g<1>" % MASK, out[n.end])
    return out


def _secret_leaves(nodes: list[Node]):
    """The elements of ``nodes`` naming a secret that hold text, and the elements with text inside
    those holding others."""
    for n in nodes:
        if not secret_tag(n.tag):
            continue
        stack = [n]
        while stack:
            k = stack.pop()
            if k.kids:
                stack.extend(k.kids)
            elif k.text.strip():
                yield k


whole = ascii_digits  # (a whole number as both products and pf read one)


def _digit(c: str) -> bool:
    return len(c) == 1 and "0" <= c <= "9"


# a config.xml's lines: one element a line, findings quote few of them (``LineByLine``)
XmlLines = LineByLine


def natcasecmp(a: str, b: str) -> int:
    """PHP's ``strnatcasecmp`` (-1, 0, 1): the order of ``ksort($array, SORT_NATURAL | SORT_FLAG_CASE)``, which
    OPNsense's ``ArrayField::sortedBy`` uses (php-src ext/standard/strnatcmp.c ``strnatcmp_ex``, PHP 8: leading
    zeros of the strings and runs of white space skipped; a run of digits that starts with '0' compared digit by
    digit from the left, any other run the longer first, then by value; other characters by their upper case.
    Digits are C's isdigit, ASCII only: to PHP a UTF-8 Arabic-Indic digit is two other characters)."""
    if not a or not b:
        return (len(a) > len(b)) - (len(a) < len(b))
    la, lb = len(a), len(b)
    i = j = 0
    while a[i] == "0" and i + 1 < la and _digit(a[i + 1]):
        i += 1
    while b[j] == "0" and j + 1 < lb and _digit(b[j + 1]):
        j += 1
    while True:
        while i < la and a[i].isspace():
            i += 1
        while j < lb and b[j].isspace():
            j += 1
        ca, cb = a[i] if i < la else "", b[j] if j < lb else ""
        if _digit(ca) and _digit(cb):
            r, i, j = _digits(a, i, b, j, ca == "0" or cb == "0")
            if r:
                return r
            if i == la or j == lb:
                return (i < la) - (j < lb)
            ca, cb = a[i], b[j]
        ca, cb = ca.upper(), cb.upper()
        if ca != cb:
            return -1 if ca < cb else 1
        i += 1
        j += 1
        if i >= la or j >= lb:
            return (i < la) - (j < lb)


def _digits(a: str, i: int, b: str, j: int, left: bool) -> tuple[int, int, int]:
    """strnatcmp.c ``compare_left`` (``left``: the first different digit decides) or ``compare_right`` (the
    longer run, then the first different digit); the result and where each string's run ends."""
    bias = 0
    while True:
        da = i < len(a) and _digit(a[i])
        db = j < len(b) and _digit(b[j])
        if not da or not db:
            return (bias if da == db else (1 if da else -1)), i, j
        if a[i] != b[j]:
            if left:
                return (-1 if a[i] < b[j] else 1), i, j
            bias = bias or (-1 if a[i] < b[j] else 1)
        i += 1
        j += 1


def spaced(text: str) -> bool:
    """Whether a value has spaces at an end once pfSense's config reader has trimmed its tabs and line breaks
    (xmlparse.inc cData: 'trim($data, "\\t\\n\\r")'): pfSense keeps such spaces and compares the value as written."""
    t = text.strip("\t\n\r")
    return t != t.strip(" ")

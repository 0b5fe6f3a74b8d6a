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

    Line numbers are kept: a secret over several lines leaves its lines in place, each masked.
    """
    out = lines
    for n in nodes:
        if n.kids or not secret_tag(n.tag) or not n.text.strip():
            continue
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


# a config.xml's lines: one element a line, findings quote few of them (``LineByLine``)
XmlLines = LineByLine

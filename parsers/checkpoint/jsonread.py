"""Check Point's JSON, read at C speed, with the lines findings point at.

A management API export is large: a 20,000-rule layer with ``details-level full`` is about
110 MB and 2.5 million lines, every rule carrying its metadata and every page of 500 rules its
own ``objects-dictionary``.  The kit's line-keeping reader (``parsers.kit.jsonsrc``) reads
about 11 MB/s (ten seconds for that export), so this module parses with the standard
library's C decoder and finds each record's lines afterwards, in the text, from its ``uid``:

* every record the model is built from (a rule, a section, a NAT rule, an object) has a
  ``"uid"`` key whose value is unique to it; ``Locator.record`` finds ``"uid": "<its uid>"``
  (with the file's own spacing around the colon) searching forward from the previous record,
  so the whole file is scanned once, by ``str.find``;
* a record's other keys (its ``"name"``, the ``"session-timeout"`` of a service) are found the
  same way between its ``uid`` and the next record's (``Locator.key``), and checked against
  the decoded value, so a nested object's key of the same name is never taken for it.

Compact JSON (the whole reply on a few very long lines, as the Show Package tool writes it)
has no useful line numbers: it is re-indented first (``reindent``), and the findings' lines
are those of ``python -m json.tool --indent 4 FILE``, which the parser says once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any, NoReturn

from auditor.core.model import Source
from auditor.core.secrets import redact
from parsers.kit import InputError, Lines
from parsers.kit.jsonsrc import json_input, unique_members

_SEP = re.compile(r'"uid"(\s*:\s*)"')
WINDOW = 200000  # how far past a record's uid its keys are looked for


def load(text: str, path: str) -> Any:
    """Decode ``text``; ``InputError`` with the line of the first error for invalid JSON.

    Replies saved one after the other in one file (``mgmt_cli ... --format json >> file``, once a
    page: JSON texts concatenated, not a JSON list) are read as the list of those replies, a list
    among them as its items; the text is unchanged, so the lines found in it stay the file's."""
    try:
        return json.loads(text, object_pairs_hook=unique_members)
    except json.JSONDecodeError as e:
        if e.msg != "Extra data":
            raise InputError("%s is not valid JSON (line %d: %s)" % (path, e.lineno, e.msg)) from None
        return _concatenated(text, path)
    except ValueError:  # (``unique_members``: a key written twice in one object)
        _duplicate(text, path)
    except RecursionError:
        raise InputError("%s: JSON nested too deeply" % path) from None


def _duplicate(text: str, path: str, one: bool = True) -> NoReturn:
    """``InputError`` for a key written twice in one object (the management API writes none; a reader keeps one
    of the two values, so a second ``"rulebase"`` would hide the first's rules); of one JSON text (``one``), the
    line-keeping reader's, which names the key and its lines."""
    if one:
        json_input(text, path)  # (raises, naming the line)
    raise InputError("%s: a key is written twice in one object: which one counts is the reader's choice, so this "
                     "input is not audited" % path)


def _concatenated(text: str, path: str) -> list:
    """The JSON texts of ``text``, one after the other, as one list (see ``load``)."""
    decode = json.JSONDecoder(object_pairs_hook=unique_members).raw_decode
    out: list = []
    pos, end = 0, len(text)
    try:
        while True:
            while pos < end and text[pos] in " \t\r\n":
                pos += 1
            if pos >= end:
                return out
            try:
                value, pos = decode(text, pos)
            except json.JSONDecodeError:
                raise
            except ValueError:
                _duplicate(text, path, one=False)
            if isinstance(value, list):
                out.extend(value)
            else:
                out.append(value)
    except json.JSONDecodeError as e:
        raise InputError("%s is not valid JSON (line %d: %s)" % (path, e.lineno, e.msg)) from None


def _quoted(value: str) -> list[str]:
    """The spellings of a JSON string value a writer may have used."""
    # (uids, most names: printable ASCII without a quote or a backslash, one spelling; the tests
    # are the pattern [^"\\\x00-\x1f\x7f-\U0010ffff]* at C speed, without a regular expression)
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return ['"' + value + '"']
    a = json.dumps(value, ensure_ascii=False)
    b = json.dumps(value)
    return [a] if a == b else [a, b]


class Locator:
    """Positions and lines of keys in one JSON text, searched forward from a cursor.

    ``record(uid)`` moves the cursor to the record's ``uid`` key; lookups stay near the cursor,
    so counting the newlines between two positions keeps the whole read linear.
    """

    def __init__(self, text: str):
        self.text = text
        m = _SEP.search(text)
        self.sep = m.group(1) if m else ": "
        self._uid = '"uid"' + self.sep  # (a record's uid key, as this file spells it)
        self.cursor = 0
        self._pos, self._line = 0, 1  # a position whose line is known

    def line(self, pos: int) -> int:
        """The 1-based line of character ``pos``."""
        if pos >= self._pos:
            ln = self._line + self.text.count("\n", self._pos, pos)
        elif pos < self._pos - pos:  # (nearer the start, e.g. the first line after the whole file: counted from 0)
            ln = 1 + self.text.count("\n", 0, pos)
        else:
            ln = self._line - self.text.count("\n", pos, self._pos)
        self._pos, self._line = pos, ln
        return ln

    def record(self, uid: Any) -> int | None:
        """The position of the record's ``"uid"`` key (the first one after the cursor)."""
        if not isinstance(uid, str) or not uid:
            return None
        text = self.text
        for quoted in _quoted(uid):
            pos = text.find(self._uid + quoted, self.cursor)
            if pos < 0:  # a writer with other spacing in this place
                m = re.compile(r'"uid"\s*:\s*' + re.escape(quoted)).search(text, self.cursor)
                pos = m.start() if m else -1
            if pos >= 0:
                self.cursor = pos + 1
                return pos
        return None

    def key(self, name: str, value: Any, start: int, end: int | None = None) -> int | None:
        """The position of ``"name": value`` between ``start`` and ``end`` (default: ``WINDOW``
        characters on), for a string or number value (``None``: any value); None if absent."""
        text = self.text
        end = min(len(text), start + WINDOW) if end is None else end
        if isinstance(value, str):
            spellings = ['"%s"%s%s' % (name, self.sep, q) for q in _quoted(value)]
        elif isinstance(value, bool) or value is None:
            spellings = ['"%s"%s' % (name, self.sep)]
        elif isinstance(value, (int, float)):
            spellings = ['"%s"%s%s' % (name, self.sep, json.dumps(value))]
        else:
            spellings = ['"%s"%s' % (name, self.sep)]
        for s in spellings:
            pos = text.find(s, start, end)
            if pos >= 0:
                return pos
        m = re.compile(r'"%s"\s*:' % re.escape(name)).search(text, start, end)
        return m.start() if m else None


class JsonLines(Lines):
    """The kit's ``Lines`` of a large JSON text, without splitting it into millions of strings:
    a line's text is cut out of the text when a ``Source`` needs it (``source_at``), redacted
    as ``Lines.source`` redacts it.  Accounting and reporting are the kit's."""

    def __init__(self, text: str, path: str, locator: Locator):
        """(The lines are counted when first needed (``n``), or told by ``counted``: the reader's
        locator has counted them up to its last record anyway, and one count of a 110 MB text is 0.1 s.)"""
        self.path = path
        self.text = text
        self.loc = locator
        self._tail = 1 if text and not text.endswith("\n") else 0  # (a last line without its newline)
        self._n: int | None = None
        self._state: bytearray | None = None
        self.diagnostics = []
        self.ignored_why = Counter()
        self._undefined = set()
        self._raw: list[str] | None = None

    @property
    def raw(self) -> list[str]:  # (split only when asked for: unaccounted() in tests)
        if self._raw is None:
            self._raw = self.text.splitlines()
        return self._raw

    @property
    def n(self) -> int:
        """How many lines the text has (as ``str.splitlines`` splits a text of "\\n" breaks)."""
        if self._n is None:
            self._n = self.text.count("\n") + self._tail
        return self._n

    def counted(self, newlines: int) -> None:
        """The text's count of "\\n", found by the caller (taken unless the lines were counted already)."""
        if self._n is None:
            self._n = newlines + self._tail

    @property
    def state(self) -> bytearray:  # (the kit's per-line states: made at the first use, once ``n`` is known)
        if self._state is None:
            self._state = bytearray(self.n)
        return self._state

    def __len__(self) -> int:
        return self.n

    def source_at(self, pos: int) -> Source:
        """The line holding character ``pos``, as ``Lines.source`` gives a line."""
        text = self.text
        a = text.rfind("\n", 0, pos) + 1
        b = text.find("\n", pos)
        return Source(self.path, self.loc.line(pos), redact(text[a:len(text) if b < 0 else b].rstrip()))

    def head(self) -> Source | None:
        return self.source_at(0) if self.text else None

    def source(self, i: int) -> Source:
        if i == 0:
            return self.source_at(0) if self.text else Source(self.path, 1, "")
        return super().source(i)

    def mark_spans(self, spans: list) -> None:
        """Lines ``[a, b)`` of each ``(a, b, used, why)`` used, or ignored because ``why``."""
        state = self.state
        for a, b, used, why in spans:
            seg = state[a:b]
            n = seg.count(0)
            if not n:
                continue
            code = 1 if used else 2
            state[a:b] = seg.replace(b"\0", bytes((code,))) if n != len(seg) else bytes((code,)) * n
            if not used:
                self.ignored_why[why] += n

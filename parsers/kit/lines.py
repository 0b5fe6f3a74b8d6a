"""The lines of one input, the ``Source`` of each, and what the parser made of each line.

Every parser reports the same way: a line it does not understand is a CFG300 diagnostic, a
reference to something never defined a CFG301, both with the scope they could affect.  For
line-oriented formats every non-blank line ends in one of three states, so that a test can
prove nothing was silently dropped:

* ``use(i)``: the line built (part of) the model;
* ``ignore(i, why)``: the line is known to have no effect on filtering (``why`` is counted);
* a diagnostic (``unrecognized``/``undefined``/``report``) on it.

``unaccounted()`` lists the non-blank lines in none of these states.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import cached_property

from auditor.core.model import Diagnostic, Impact, LeftOut, Source
from auditor.core.secrets import MASK, context_lines, hidden_words, hide_words, lines_to_redact, redact

USED, IGNORED, REPORTED = 1, 2, 3


class Lines:
    """One input's lines (0-based indexes here; ``Source.line`` is 1-based)."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.raw: list[str] = text.splitlines()
        self._text = text
        self._masked: set[int] = set()  # (quoted as MASK whole: a subset of _secret)
        self.state = bytearray(len(self.raw))
        self.diagnostics: list[Diagnostic] = []
        self.ignored_why: Counter[str] = Counter()
        self._undefined: set[tuple[str, int]] = set()
        self._left: dict[str, list[tuple[int, int]]] = {}  # part left out of the review -> its spans (i, j)

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i: int) -> str:
        return self.raw[i]

    def source(self, i: int) -> Source:
        """The line at index ``i`` as a ``Source`` (its text redacted of secrets)."""
        if not 0 <= i < len(self.raw):
            return Source(self.path, i + 1, "")
        line = self.raw[i].rstrip()
        if i in self._secret:
            line = MASK if i in self._masked else self._context.get(i) or redact(line)
        return Source(self.path, i + 1, line)

    def mask(self, indexes: Iterable[int]) -> None:
        """Quote the lines at ``indexes`` as ``<redacted>`` whole: secrets that the line itself
        does not name (a JSON tag's value on its own line, below ``"Key": "db_password"``)."""
        m = {i for i in indexes if 0 <= i < len(self.raw)}
        self._masked |= m
        self._secret |= m

    @cached_property
    def _secret(self) -> set[int]:
        """The lines that can carry a secret (found on the first ``source``: a subclass quoting
        lines its own way never pays for the search)."""
        return lines_to_redact(self._text) | self._context.keys()

    @cached_property
    def _context(self) -> dict[int, str]:
        """The lines only their context makes secret (a private key's body, a FortiOS SNMP block's
        values: ``auditor.core.secrets.context_lines``), as they are quoted."""
        return context_lines(self.raw, self._text)

    def quoted(self) -> str:
        """The whole input as its lines are quoted (``source``): every secret this ``Lines`` knows
        masked, one line for each line (the text a page may show of the input)."""
        return "\n".join(self.source(i).text for i in range(len(self.raw)))

    def head(self) -> Source | None:
        """The first line (the source of findings about the input as a whole)."""
        return self.source(0) if self.raw else None

    # --- accounting ------------------------------------------------------------------
    def use(self, i: int, j: int | None = None) -> None:
        """Lines ``i`` (to ``j``, exclusive) built the model."""
        self._mark(i, i + 1 if j is None else j, USED)

    def ignore(self, i: int, why: str, j: int | None = None) -> None:
        """Lines ``i`` (to ``j``, exclusive) have no effect on filtering, because ``why``."""
        n = self._mark(i, i + 1 if j is None else j, IGNORED)
        if n:
            self.ignored_why[why] += n

    def leave_out(self, i: int, j: int, part: str, why: str) -> None:
        """Lines ``i`` to ``j`` (exclusive) belong to ``part``, a part of the input this config leaves out
        of its review (another device in the same input): ignored because ``why``, and kept for
        ``left_out`` (a change review says when a change alters that part)."""
        self.ignore(i, why, j)
        self._left.setdefault(part, []).append((i, j))

    def left_out(self, compared: Callable[[str], str] | None = None) -> tuple[LeftOut, ...]:
        """The parts ``leave_out`` was given, in this input's lines (``Config.left_out``); ``compared`` gives what
        a change review compares of a line, when the vendor writes one setting otherwise in each copy of the same
        configuration (FortiOS's ``ENC`` values): only that, never a redaction of the whole line (which may mask
        what follows a secret's keyword in a comment or a name, the rule's target too)."""
        says = self.raw
        if compared is not None and self._left:
            says = list(self.raw)
            for spans in self._left.values():
                for i, j in spans:
                    says[i:j] = [compared(x) for x in says[i:j]]
        return tuple(LeftOut(part, self.source(spans[0][0]), tuple(spans), says)
                     for part, spans in self._left.items())

    def _mark(self, i: int, j: int, state: int) -> int:
        """Give the lines ``i`` to ``j`` (exclusive) that have no state yet ``state``; how many."""
        if j - i == 1:
            if self.state[i] == 0:
                self.state[i] = state
                return 1
            return 0
        seg = self.state[i:j]
        n = seg.count(0)
        if n:  # (bytes at C speed: a JSON export has millions of lines)
            self.state[i:j] = seg.replace(b"\0", bytes((state,)))
        return n

    @property
    def ignored(self) -> int:
        """How many lines were ignored as having no effect on filtering."""
        return sum(self.ignored_why.values())

    def unaccounted(self) -> list[int]:
        """Indexes of non-blank lines that were neither used, ignored nor reported."""
        return [i for i, st in enumerate(self.state) if st == 0 and self.raw[i].strip()]

    # --- diagnostics -------------------------------------------------------------------
    def report(self, code: str, message: str, source: Source, impact: Impact = Impact.GLOBAL,
               scope: str = "") -> None:
        """A diagnostic on ``source``'s line (a line of this input, or of another when merged).  A
        message or scope (a name it is shown with) quoting a word the line's quote hides is
        redacted like the line."""
        k = source.line - 1
        if MASK in source.text and source.path == self.path and 0 <= k < len(self.raw):
            hidden = hidden_words(self.raw[k], source.text)
            message = hide_words(message, hidden)
            if scope:
                scope = hide_words(scope, hidden)
        self.diagnostics.append(Diagnostic(code, redact(message), source, impact, scope))
        if source.path == self.path and 0 <= k < len(self.state):
            self.state[k] = REPORTED

    def unrecognized(self, source: Source, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        """CFG300: a line not understood; ``impact`` and ``scope`` say what it could change."""
        self.report("CFG300", "line not understood: %s" % why, source, impact, scope)

    def undefined(self, name: str, kind: str, source: Source, scope: str = "",
                  impact: Impact = Impact.FILTER) -> None:
        """CFG301: a reference to an undefined ``kind`` named ``name`` (once per name and line)."""
        key = (name, source.line)
        if key in self._undefined:
            return
        self._undefined.add(key)
        self.report("CFG301", "reference to undefined %s '%s'" % (kind, name), source, impact, scope)


class LineByLine(Lines):
    """``Lines`` whose ``source`` redacts the one line it quotes, instead of first searching the
    whole text for the lines that may hold a secret (``Lines._secret``, which pays when most lines
    are quoted).  For inputs whose findings quote few of their lines: a config.xml has one element
    a line, and its every rule's ``<type>pass</type>`` is a hit of that search (0.24 s of a
    657,000-line pfSense config's parse); a Junos parse quotes about a third of its lines.  The
    quotes are the same: ``redact`` returns a line without a trigger word unchanged."""

    def source(self, i: int) -> Source:
        if not 0 <= i < len(self.raw):
            return Source(self.path, i + 1, "")
        text = MASK if i in self._masked else self._context.get(i) or redact(self.raw[i].rstrip())
        return Source(self.path, i + 1, text)

"""What a vendor is: the record every vendor module registers (``parsers.VENDORS``)."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from auditor.core.model import Config
from parsers.kit.fix import FixRequest

# ``apply_change(config_text, change_text, change_path, origins)``: the config with the change
# applied; ``origins`` (a list, appended to) gets ``("config" | "change", line)`` per result line.
ApplyChange = Callable[[str, str, str, Optional[list]], str]
# ``fix(config_text, request)``: the change (in the vendor's commands, as ``apply_change`` takes
# them) that permits exactly ``request.packets`` where ``request`` says; ``CannotFix`` says why not.
FixHook = Callable[[str, FixRequest], str]


@dataclass(frozen=True)
class Vendor:
    """One input format the auditor reads.

    ``detect(text)`` says how sure it is (0-100) that ``text`` is its format, looking only at the
    text; ``parse(text, path)`` builds the model (``auditor.core.model.Config``), reporting every
    line it does not understand.  Optional hooks: ``combine(configs)`` lets an auxiliary input (a
    sysctl dump, a firewall-profile state) amend the configs it belongs to; ``apply_change``
    applies a change request written in the vendor's own commands (``check-change``); ``fix``
    writes the change that opens a blocked required flow (``parsers.kit.fix``: the auditor proves
    it before offering it).  ``parse_part(text, path, name)`` parses one device of a config that
    holds several (a FortiOS VDOM: ``--vdom NAME``), ``parts(text)`` names those devices (one name
    or none: the config is one device; a change review then needs ``--vdom``), and ``apply_change``
    is then also given ``part=NAME`` when one part is reviewed (an edit of another part is an
    ``InputError``: it changes nothing in the part reviewed); ``bundle(path)`` reads an export that is a
    folder or an archive of files (a Check Point package export) as ``[(display path, text)]``,
    returns None when ``path`` has not the shape of one, and raises ``InputError`` saying what it
    is when it has (a folder, an archive) but is not its export; ``unpack(data, name, max_total)`` is
    ``bundle`` for an archive uploaded in memory (the web page), at most ``max_total`` bytes of its files
    read.  ``redact(text)`` is the text as the parser quotes its lines, line for line, with every
    secret the vendor knows masked (values over several lines, SNMP communities written as names, a
    tag's value below its key): what may be shown of the input (``parsers.redact_text``); without it,
    the shared redaction of each line.
    ``parse_session(text, path, commands)`` is ``parse`` for a vendor whose output depends on the command
    that printed it (Windows' policy store): ``commands`` are the prompt lines a pasted session had, as
    ``[(line, text)]`` (1-based, unredacted), which ``parsers.kit.paste.clean`` blanked in ``text``; without
    it, or without such lines, ``parse``.
    ``title`` and ``produces`` (the command or export that gives the input) are shown to users;
    ``advice`` maps a rule ID to how to fix such a finding in this vendor's own syntax (the
    per-rule docs are generated from it).
    """

    name: str
    title: str
    produces: str
    detect: Callable[[str], int]
    parse: Callable[[str, str], Config]
    combine: Callable[[list], list] | None = None
    apply_change: ApplyChange | None = None
    fix: FixHook | None = None
    advice: dict[str, str] = field(default_factory=dict)
    bundle: Callable[[str], Optional[list]] | None = None
    unpack: Callable[[bytes, str, int], Optional[list]] | None = None
    parse_part: Callable[[str, str, str], Config] | None = None
    parts: Callable[[str], list[str]] | None = None
    redact: Callable[[str], str] | None = None
    parse_session: Callable[[str, str, list], Config] | None = None


def lazy(module: str, name: str) -> Callable:
    """A hook that imports ``module`` at its first call and calls its ``name`` (a vendor's
    change-request and fix modules load only for ``check-change`` and ``--fix``)."""

    def hook(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    hook.__name__ = name
    hook.__qualname__ = "%s.%s" % (module, name)
    return hook


class LineStart:
    """``re.compile(pattern, re.M | flags)`` for a pattern that can match only where a line starts,
    its ``search`` about ten times faster: a line anchor (``^`` with ``re.M``) is tried at every
    position of the text, a pattern that begins with a character is looked for by that character
    (``"\\n"``, a fast scan), then matched there.  So ``search`` is ``match`` at the text's start,
    else a search of ``"\\n"`` followed by the rest of the pattern: the same matches, but for where
    each starts (one character earlier).  Use it only where a match's truth counts (``score``,
    ``if rx.search(head)``), not its position or a count of matches (``findall``)."""

    __slots__ = ("first", "rest")

    def __init__(self, pattern: str, flags: int = 0):
        self.first = re.compile(pattern, re.M | flags)
        self.rest = re.compile("\n" + pattern[1:], re.M | flags)

    def search(self, text: str) -> re.Match | None:
        return self.first.match(text) or self.rest.search(text)


def line_regex(pattern: str, flags: int = 0) -> "re.Pattern | LineStart":
    """A multi-line regular expression, as a ``LineStart`` where ``pattern`` can match only at a
    line start: it begins with ``^`` and has no ``|`` outside parentheses (``^a|^b`` is written
    ``^(?:a|b)``), and is not verbose (``re.X`` would drop the newline).  Anything else is
    compiled as it is."""
    if _anchored(pattern) and not flags & re.X:
        return LineStart(pattern, flags)
    return re.compile(pattern, re.M | flags)


def _anchored(pattern: str) -> bool:
    """``pattern`` begins with ``^`` and that anchor holds for all of it (no top-level ``|``)."""
    if not pattern.startswith("^"):
        return False
    depth, i, n = 0, 1, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: up to its closing bracket (a "]" first in it is a member)
            i += 2 if pattern.startswith("[^", i) else 1
            i += 1 if i < n and pattern[i] == "]" else 0
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return True


Sign = tuple["re.Pattern | LineStart", int]


def signs(*pairs: tuple[str, int]) -> tuple[Sign, ...]:
    """Signs of a format for ``score``: (regular expression, multi-line; points), negative
    points for the signs of another format."""
    return tuple((line_regex(p), points) for p, points in pairs)


def score(head: str, table: Sequence[Sign]) -> int:
    """How sure (0-100) the signs in ``table`` found in ``head`` make a ``detect``."""
    return max(0, min(100, sum(points for rx, points in table if rx.search(head))))

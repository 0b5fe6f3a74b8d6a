"""Applying a change request to a config's text: the part every vendor's ``apply_change`` shares.

``Edit`` is the config's lines as they are being edited, each with its origin (``("config", n)``
or ``("change", n)``): ``check-change`` points every finding of the changed config at the line it
came from.  It also keeps which change line removed or replaced each config line (``removed``,
given by the vendor's hook: a member taken out of a group), so that a finding the removal caused
at a line the change kept (the default deny now blocking a flow) is located at that change line.
``commands`` splits an indented change request (Cisco style: a command and the indented lines of
its block) into ``Command``s.  A command that cannot be applied is
``Edit.fail``: one ``InputError`` naming the change file and line, never a change applied in part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.core.secrets import redact
from parsers.kit.errors import InputError

# Cisco-style commands that do nothing to the configuration (configuration mode, saving)
CISCO_NOOP = frozenset({
    ("configure", "terminal"), ("conf", "t"), ("config", "t"), ("end",), ("exit",), ("write",),
    ("write", "memory"), ("wr",), ("wr", "mem"), ("write", "mem"), ("copy", "running-config", "startup-config"),
    ("copy", "run", "start")})


@dataclass
class Command:
    """One command of a change request: its line, its text and its block's indented lines."""

    line: int
    text: str
    children: list[tuple[int, str, int]] = field(default_factory=list)  # (line, text, indent)

    @property
    def toks(self) -> list[str]:
        """The command's words."""
        return self.text.split()


class Edit:
    """A config's lines being edited, with the origin of each (see the module doc)."""

    def __init__(self, text: str, change_path: str):
        self.lines: list[str] = text.splitlines()
        self.origin: list[tuple[str, int]] = [("config", k) for k in range(1, len(self.lines) + 1)]
        self.change_path = change_path
        self.cmd: Command | None = None
        self.removed: list[tuple[int, int]] = []  # (config line, change line that removed or replaced it)

    def fail(self, why: str, line: int | None = None, text: str | None = None):
        """Refuse the change: ``InputError`` naming the change file, the line and its (redacted) text."""
        c = self.cmd
        line = line if line is not None else (c.line if c else 0)
        text = text if text is not None else (c.text if c else "")
        raise InputError("%s:%d: cannot apply '%s': %s" % (self.change_path, line, redact(text.strip()), why))

    def insert(self, at: int, items: list[tuple[str, int]]) -> None:
        """Insert lines (text, change line) before index ``at``."""
        self.lines[at:at] = [t for t, _ in items]
        self.origin[at:at] = [("change", n) for _, n in items]

    def set(self, k: int, text: str, n: int) -> None:
        """Replace line ``k`` by ``text`` from change line ``n``."""
        if self.origin[k][0] == "config":
            self.removed.append((self.origin[k][1], n))
        self.lines[k] = text
        self.origin[k] = ("change", n)

    def delete(self, start: int, end: int, by: int | None = None) -> None:
        """Remove lines ``start`` to ``end`` (exclusive); ``by``: the change line that removes them (not
        given for lines the edit puts back elsewhere, a move)."""
        if by is not None:
            self.removed += [(o[1], by) for o in self.origin[start:end] if o[0] == "config"]
        del self.lines[start:end]
        del self.origin[start:end]

    def result(self, origins: list | None = None, removed: list | None = None) -> str:
        """The edited text; ``origins`` (a list), when given, receives each line's origin, and ``removed`` the
        (config line, change line) of each config line removed or replaced (``auditor.diff.apply_change``)."""
        if origins is not None:
            origins.extend(self.origin)
        if removed is not None:
            removed.extend(self.removed)
        return "\n".join(self.lines) + "\n"


def commands(change_text: str, ed: Edit, noop=CISCO_NOOP, comments: tuple[str, ...] = ("!",),
             skip: tuple[str, ...] = ()) -> list[Command]:
    """The commands of an indented change request (a line at the left margin and its indented block).

    ``noop`` commands are dropped; a ``comments`` line at the left margin ends a block; lines
    starting with ``skip`` are ignored; an indented line outside any block is ``ed.fail``.
    """
    cmds: list[Command] = []
    cur: Command | None = None
    for n, raw in enumerate(change_text.splitlines(), 1):
        s = raw.strip()
        if not s or (skip and s.startswith(skip)):
            continue
        if s.startswith(comments):
            if raw[:1] not in (" ", "\t"):
                cur = None  # a comment at the left margin ends a block
            continue
        if raw[:1] in (" ", "\t"):
            if cur is None:
                ed.fail("an indented line outside any block", n, raw)
            if tuple(s.split()) in noop:
                continue
            cur.children.append((n, s, len(raw) - len(raw.lstrip())))
            continue
        if tuple(s.lower().split()) in noop:
            cur = None
            continue
        cur = Command(n, s)
        cmds.append(cur)
    return cmds


_PORT_OPS = {"eq": None, "neq": None, "lt": 1, "gt": 1, "range": 2}  # how many ports each operator takes (None: any)
_DOTTED = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def entry_key(words: list[str], port, host_mask: str, any_pair: tuple[str, str], any_word: str,
              one_eq: bool = False) -> tuple:
    """An access-list entry as Cisco devices compare entries, which keep them unique (a repeated entry is
    not added): the words lower-cased, port names as numbers (``port(word)``: its number, or None for a
    word that is no port), ``A host_mask`` as ``host A``, the address and mask of every address
    (``any_pair``) as ``any_word`` ('eq www' in the running-config and 'eq 80' in a change are one
    entry).  ``one_eq``: ``eq``/``neq`` take one port (the ASA), else several (IOS)."""
    t = [w.lower() for w in words]
    out: list[str] = []
    k = 0
    while k < len(t):
        w = t[k]
        if w in _PORT_OPS:
            out.append(w)
            k += 1
            count = 1 if one_eq and _PORT_OPS[w] is None else _PORT_OPS[w]
            while k < len(t) and (count is None or count > 0):
                v = port(t[k])
                if v is None:
                    break
                out.append(str(v))
                k += 1
                if count is not None:
                    count -= 1
            continue
        if k + 1 < len(t) and t[k + 1] == host_mask and _DOTTED.match(w):
            out += ["host", w]
            k += 2
            continue
        if k + 1 < len(t) and (w, t[k + 1]) == any_pair:
            out.append(any_word)
            k += 2
            continue
        out.append(w)
        k += 1
    return tuple(out)

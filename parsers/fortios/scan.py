"""FortiOS CLI text -> a tree of ``config`` blocks, ``edit`` entries and statements.

A FortiOS configuration (a full backup or ``show`` output) is a nest of

    config firewall policy          <- a block (its words: "firewall", "policy")
        edit 5                      <- an entry of the block
            set srcintf "port1"     <- a statement: verb, key, arguments
            config ...              <- blocks may nest inside entries and blocks
            end
        next
    end

Arguments may be quoted (``"..."`` or ``'...'``, with backslash escapes) and a quoted
value may run over several lines (``set buffer "<html>..."``, ``set private-key
"-----BEGIN ..."``): such a statement keeps its first and last line, and the lines in
between are marked as the inside of a value (``Tree.inside``), which the secret redaction
uses.  Comment lines (``#...``) are kept apart: the ``#config-version=`` header names the
model and firmware.  Nothing here knows what a block means; ``parsers.fortios.build`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.kit.errors import InputError

SET_VERBS = ("set", "unset", "append", "select", "unselect", "clear", "unselect-all")
# table commands typed in a change request (never written in a configuration)
TABLE_VERBS = ("delete", "move", "rename", "purge", "clone")
_COMMON = ("set ", "edit ", "next", "end", "config ", "unset ", "append ")
# a CLI prompt pasted with the output: "FGT60F # show firewall policy", "FW (vdom) $ show"
_PROMPT = re.compile(r"^[\w.-]+(?: \([\w.-]+\))? [#$] ")
# blocks and entries open at once: a configuration nests a handful (config vdom / edit / config
# firewall policy / edit / config ...); past this the text is not one, and the tree (walked by
# recursion) is refused as one clear error
MAX_DEPTH = 64


@dataclass(slots=True)
class Stmt:
    """``set|unset|append|select|unselect|clear KEY ARGS``; ``line``..``last`` (0-based)."""

    verb: str
    key: str
    args: list[str]
    line: int
    last: int


@dataclass(slots=True)
class Node:
    """A ``config WORDS`` block or an ``edit NAME`` entry, with what it holds in order."""

    kind: str  # "config" | "edit" | "root"
    words: tuple[str, ...]
    line: int
    close: int | None = None  # the index of its "end"/"next" line (None: never closed)
    items: list = field(default_factory=list)  # Stmt | Node

    @property
    def name(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(w.lower() for w in self.words)

    def last_line(self) -> int:
        """The index of its last line (its closing line, or its last item's)."""
        if self.close is not None:
            return self.close
        last = self.line
        for it in self.items:
            last = max(last, it.last if isinstance(it, Stmt) else it.last_line())
        return last

    def blocks(self):
        return [x for x in self.items if isinstance(x, Node) and x.kind == "config"]

    def entries(self):
        return [x for x in self.items if isinstance(x, Node) and x.kind == "edit"]

    def stmts(self):
        return [x for x in self.items if isinstance(x, Stmt)]


@dataclass
class Tree:
    root: Node
    comments: list[tuple[int, str]]  # (index, text) of '#' lines outside values
    bad: list[tuple[int, str]]  # (index, why) of lines that fit no statement shape
    prompts: list[int]  # CLI prompt lines pasted with the output
    inside: set[int]  # lines inside a multi-line quoted value (after its first line)
    blocks: list[Node] = field(default_factory=list)  # every "config" block, at any depth, in order


_TOK = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'|([^\s"\']+)|(["\'])', re.S)
_ESC = re.compile(r"\\(.)", re.S)


def tokens(text: str) -> tuple[list[str], bool]:
    """Split one line into words, quotes removed; (words, True when a quote is left open)."""
    if '"' not in text:
        if "'" not in text:
            return text.split(), False
    elif "'" not in text and "\\" not in text:
        parts = text.split('"')
        if len(parts) % 2:  # balanced double quotes: outside parts split on blanks, inside ones kept whole
            out = []
            for k, part in enumerate(parts):
                if k % 2:
                    out.append(part)
                elif part:
                    out.extend(part.split())
            return out, False
    out = []
    for m in _TOK.finditer(text):
        dq, sq, bare, lone = m.groups()
        if lone is not None:  # an unterminated quote: the rest of the text is its value
            rest = text[m.end():]
            out.append(_ESC.sub(r"\1", rest) if "\\" in rest else rest)
            return out, True
        v = dq if dq is not None else sq if sq is not None else bare
        out.append(_ESC.sub(r"\1", v) if "\\" in v and bare is None else v)
    return out, False


def _closes(text: str, quote: str) -> int:
    """Where an open ``quote`` closes in ``text`` (-1: not on this line)."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return -1


def _open_quote(text: str) -> str:
    """The quote character left open at the end of ``text``."""
    q = ""
    i = 0
    while i < len(text):
        c = text[i]
        if q:
            if c == "\\":
                i += 2
                continue
            if c == q:
                q = ""
        elif c in "\"'":
            q = c
        i += 1
    return q


def scan(raw: list[str], path: str = "") -> Tree:
    """The tree of ``raw`` (the input's lines; ``path`` names them in an error)."""
    root = Node("root", (), -1)
    stack = [root]
    comments: list[tuple[int, str]] = []
    bad: list[tuple[int, str]] = []
    prompts: list[int] = []
    inside: set[int] = set()
    blocks: list[Node] = []
    n = len(raw)
    skip = -1  # the last line of a multi-line value already read
    top_items = None  # the items of the innermost entry or block (None at the top level)
    for i, line in enumerate(raw):
        if i <= skip:
            continue
        s = line.strip()
        if not s:
            continue
        if top_items is not None and s[:4] == "set " and "\\" not in s and "'" not in s:
            # the usual line (most of a backup): set KEY [VALUE]... or set KEY "VALUE" [VALUE]...
            if '"' not in s:
                words = s.split()
                top_items.append(Stmt("set", words[1], words[2:], i, i))
                continue
            parts = s.split('"')
            if len(parts) == 3:
                words = parts[0].split()
                if parts[1]:  # (an empty value, 'set comments ""': no word, as 'set comments' says it)
                    words.append(parts[1])
                if parts[2]:
                    words.extend(parts[2].split())
                top_items.append(Stmt("set", words[1], words[2:], i, i))
                continue
        if s[0] == "#":
            comments.append((i, s))
            continue
        if s == "next" and stack[-1].kind == "edit":  # (an entry's end: every other line of a table)
            stack[-1].close = i
            stack.pop()
            top_items = stack[-1].items if stack[-1].kind != "root" else None
            skip = i
            continue
        if (top_items is not None and s.startswith("set ") or s.startswith("edit ")) and "\\" not in s \
                and "'" not in s:
            # the common lines, spelt out (most of a backup): set KEY [VALUE | "VALUE"]..., edit NAME
            if '"' not in s:
                words = s.split()
            else:
                parts = s.split('"')
                if not len(parts) % 2:
                    words = None  # an open quote: the general path below
                else:  # balanced quotes: the parts outside split on blanks, the parts inside kept whole
                    words = parts[0].split()
                    for k in range(1, len(parts), 2):
                        if parts[k]:
                            words.append(parts[k])
                        if parts[k + 1]:
                            words.extend(parts[k + 1].split())
            if words is not None and len(words) > 1:
                if words[0] == "set":
                    top_items.append(Stmt("set", words[1], words[2:], i, i))
                    continue
                top = stack[-1]
                if top.kind != "root":  # (as the general path's edit below)
                    if top.kind == "edit":
                        stack.pop()
                        top = stack[-1]
                    node = Node("edit", (words[1],), i)
                    top.items.append(node)
                    stack.append(node)
                    top_items = node.items
                    skip = i
                    continue
        if not s.startswith(_COMMON) and _PROMPT.match(s):
            prompts.append(i)
            continue
        words, open_ = tokens(s)
        last = i
        if open_:
            # a quoted value running over the next lines: join them until the quote closes
            q = _open_quote(s)
            parts = [s]
            j = i + 1
            while j < n:
                k = _closes(raw[j], q)
                inside.add(j)
                parts.append(raw[j])
                if k >= 0:
                    break
                j += 1
            last = min(j, n - 1)
            words, _ = tokens("\n".join(parts))
        verb = words[0].lower()
        top = stack[-1]
        if verb == "config" and len(words) > 1:
            if len(stack) > MAX_DEPTH:
                raise InputError("%s:%d: 'config' blocks nested more than %d deep (not a FortiOS configuration)"
                                 % (path or "<input>", i + 1, MAX_DEPTH))
            node = Node("config", tuple(words[1:]), i)
            blocks.append(node)
            top.items.append(node)
            stack.append(node)
        elif verb == "edit" and len(words) > 1 and top.kind != "root":
            if top.kind == "edit":  # an entry left without "next": close it
                stack.pop()
                top = stack[-1]
            node = Node("edit", (words[1],), i)
            top.items.append(node)
            stack.append(node)
        elif verb == "next" and len(words) == 1 and top.kind == "edit":
            top.close = i
            stack.pop()
        elif verb == "end" and len(words) == 1 and top.kind != "root":
            if top.kind == "edit":
                stack.pop()
                top = stack[-1]
            if top.kind == "config":
                top.close = i
                stack.pop()
        elif (verb in SET_VERBS or verb in TABLE_VERBS) and top.kind != "root":
            args = words[2:]
            if "" in args:  # (an empty value, "" or '': no word, as 'show full-configuration' writes an empty list)
                args = [w for w in args if w]
            top.items.append(Stmt(verb, words[1] if len(words) > 1 else "", args, i, last))
        else:
            bad.append((i, "not a FortiOS configuration statement" if top.kind != "root" else
                        "outside any 'config' block"))
        top_items = stack[-1].items if stack[-1].kind != "root" else None
        skip = last
    return Tree(root, comments, bad, prompts, inside, blocks)

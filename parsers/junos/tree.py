"""Junos configuration text -> one flat list of statements, whichever format it was shown in.

Junos shows a configuration two ways, and both say the same thing:

* ``show configuration`` (hierarchical, braces)::

      security {
          policies {
              from-zone trust to-zone untrust {
                  policy p1 {
                      match { source-address [ a b ]; ... }

* ``show configuration | display set`` (one ``set`` command per leaf, then ``deactivate``
  commands for inactive parts)::

      set security policies from-zone trust to-zone untrust policy p1 match source-address a

Both become ``Stmt`` records: the words of the full path from the root to one leaf value
(``security policies from-zone trust to-zone untrust policy p1 match source-address a``),
the line that wrote it, the lines of the blocks around it (hierarchical form) and whether it
is inactive (``inactive:`` before a statement or block; ``deactivate PATH`` in the set form
makes every statement under PATH inactive, ``activate PATH`` undoes it; ``delete PATH``
removes what came before under PATH).  ``[ a b ]`` lists become one statement per value.

Lines that are structure (``}``, a block's header), comments (``#``, ``/* */``) or load
directives (``replace:``, ``protect:``) are listed so the parser can account for them; a
line that is neither a statement nor any of those (unbalanced braces, an unknown command in
the set form) is listed as ``bad``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# hierarchical tokens: block comments (several lines), '#' comments, quoted strings, punctuation, words
_HIER = re.compile(r'/\*.*?\*/|#[^\n]*|"(?:[^"\\\n]|\\.)*"|[{};\[\]]|[^\s{};\[\]"]+|\n', re.S)
_SET_TOK = re.compile(r'"(?:[^"\\]|\\.)*"|\[|\]|[^\s\[\]"]+')
_PROMPT = re.compile(r"^\s*(?:\S+@\S+[>#%]|\{(?:master|backup|primary|secondary|linecard)[^}]*\}\s*$|"
                     r"\[edit(?:\s[^\]]*)?\]\s*$)")
_PREFIXES = ("inactive:", "replace:", "protect:", "delete:")
SET_VERBS = ("set", "deactivate", "activate", "delete", "insert", "protect", "unprotect", "annotate")
# configuration-mode commands that change nothing in the candidate configuration, typed in a CLI session
# pasted with its set commands (Juniper, "Junos OS CLI User Guide", configuration mode commands: 'configure',
# 'commit' "commit the set of changes to the database", 'show', 'run' "run a top-level CLI command without
# exiting from configuration mode", 'status', 'save' "save the configuration to an ASCII file"); 'exit' and
# 'quit' are too at the top level ("if you are at the top of the statement hierarchy, exit configuration mode")
SESSION_VERBS = ("configure", "commit", "show", "run", "status", "save", "compare")

NAV_VERBS = ("edit", "up", "top", "exit", "quit")


class Level:
    """The edit level of a configuration-mode session, which the paths of its commands are relative to
    (Juniper, "Junos OS CLI User Guide", configuration mode commands; command-summary edit.html, up.html,
    top.html, exit.html): 'edit PATH' "move inside the specified statement hierarchy" (below the current
    level), 'top' "return to the top level", 'exit'/'quit' "return to the level prior to the last edit
    command", and at the top, or as 'exit configuration-mode' at any level, "exit configuration mode"
    (exit.html): ``left`` is then set, and 'configure' enters it again at the top, "[edit]" (``enter``; what
    the commands between are is the caller's business).  ``at`` is None when the level is not known: after
    'up' below the top, which moves "up one level in the statement hierarchy" (a statement is a keyword and
    its name, 'policy P', 'from-zone A to-zone B', which words alone do not tell apart), and after 'top
    COMMAND', where the level stands afterwards not being documented."""

    __slots__ = ("at", "back", "left")

    def __init__(self) -> None:
        self.enter()

    def enter(self) -> None:
        """Configuration mode entered ('configure'): at the top."""
        self.at: tuple[str, ...] | None = ()
        self.back: list[tuple[str, ...]] = []  # the levels each 'edit' left
        self.left = False  # configuration mode was left

    def move(self, verb: str, rest: list[str]) -> str | None:
        """Follow one of ``NAV_VERBS`` ('top' without a command); why it cannot be followed, else None."""
        if verb == "top":
            self.at, self.back = (), []
        elif verb == "up":
            if rest[1:] if rest[:1] and rest[0].isdecimal() else rest:
                return "'up' with a command is not applied (the level it runs at is not known here)"
            if self.at != ():
                self.at = None
        elif verb in ("exit", "quit"):
            if rest[:1] == ["configuration-mode"] or self.at == ():
                self.at, self.back, self.left = (), [], True
            elif self.at:
                self.at = self.back.pop() if self.back else None
        else:  # edit
            if self.at is None:
                return UNKNOWN_LEVEL
            paths = expand(rest) if rest else None
            if not paths or len(paths) != 1 or not paths[0]:
                return "edit needs one path"
            self.back.append(self.at)
            self.at = self.at + paths[0]
        return None


UNKNOWN_LEVEL = ("the edit level is not known here after an 'up' or a 'top COMMAND' (Junos climbs by statements, "
                 "not words); start again from 'top'")


@dataclass(slots=True)
class Stmt:
    """One leaf of the configuration: the words from the root, where it was written."""

    toks: tuple[str, ...]
    line: int  # 0-based index of the line that writes it (its first line)
    end: int  # index just past its last line
    heads: tuple[int, ...] = ()  # enclosing block headers (hierarchical form)
    inactive: int | None = None  # the line that made it inactive
    group: str | None = None  # inherited from this configuration group (apply-groups)

@dataclass
class Doc:
    """What the reader found: statements in order, and how every other line is accounted for."""

    fmt: str  # "hierarchical" | "set"
    stmts: list[Stmt] = field(default_factory=list)
    structure: set[int] = field(default_factory=set)  # braces, block headers
    comments: dict[int, str] = field(default_factory=dict)  # line -> comment text (annotations)
    directives: dict[int, str] = field(default_factory=dict)  # line -> 'replace:' / 'protect:' / ...
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    commands: dict[int, str] = field(default_factory=dict)  # set form: deactivate/activate/delete lines
    deleted: dict[int, int] = field(default_factory=dict)  # statement line -> the delete line removing it
    prompts: set[int] = field(default_factory=set)
    session: set[int] = field(default_factory=set)  # set form: CLI session commands (``SESSION_VERBS``, exit)
    head_paths: dict[int, tuple[str, ...]] = field(default_factory=dict)  # header line -> the block's path
    block_end: dict[int, int] = field(default_factory=dict)  # header line -> the line of its closing brace
    cont: set[int] = field(default_factory=set)  # later lines of a statement reported as bad at its first
    text: str | None = field(default=None, repr=False)  # the text read (``may_say``)

    def may_say(self, word: str) -> bool:
        """Whether a statement may hold ``word``: False only when the text never spells it (an
        escape in quotes could), so that a check over every statement is skipped at no risk."""
        return self.text is None or word in self.text or "\\" in self.text


def unquote(w: str) -> str:
    """A word without its quotes (and escapes)."""
    if len(w) >= 2 and w[0] == '"' and w[-1] == '"':
        return re.sub(r"\\(.)", r"\1", w[1:-1])
    return w


def looks_hierarchical(text: str) -> bool:
    """True for the braces form, False for ``display set`` commands."""
    sets = braces = 0
    for raw in text[:400000].splitlines():
        s = raw.strip()
        if not s or s.startswith(("#", "/*", "*")):
            continue
        w = s.split(None, 1)[0]
        if w in SET_VERBS:
            sets += 1
        elif s.endswith(("{", ";", "}")):
            braces += 1
    return braces > sets


def read(text: str, lines: list[str] | None = None) -> Doc:
    """Read either form (see the module doc); ``lines``: ``text.splitlines()`` when the caller has it."""
    doc = _read_hier(text) if looks_hierarchical(text) else _read_set(text, lines)
    doc.text = text
    return doc


# --- the braces form ---------------------------------------------------------------------------

# blocks open at once: a configuration nests about a dozen (security policies from-zone ... policy
# ... match); past this the text is not one, and every statement would copy the deep path
MAX_DEPTH = 64


class TooDeep(Exception):
    """Braces nested past ``MAX_DEPTH``; ``line`` (0-based) of the block that goes too deep."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _read_hier(text: str) -> Doc:
    doc = Doc("hierarchical")
    stack: list[tuple[tuple[str, ...], int, int | None]] = []  # (path, header line, inactive line)
    words: list = []  # current statement: words, or lists (for [ ... ])
    first = -1
    flags: dict[str, int] = {}
    in_list: list[str] | None = None
    line = 0
    lines_start = [0]
    lines_start.extend(m.end() for m in re.finditer("\n", text))
    prompts = {i for i, raw in enumerate(text.splitlines()) if _PROMPT.match(raw)}
    doc.prompts = prompts

    def path() -> tuple[str, ...]:
        return stack[-1][0] if stack else ()

    def inactive() -> int | None:
        for _p, _h, ina in reversed(stack):
            if ina is not None:
                return ina
        return None

    def reset() -> None:
        nonlocal words, first, flags
        words, first, flags = [], -1, {}

    last = max(0, len(text.splitlines()) - 1)

    def abandon(why: str) -> None:
        at = min(first if first >= 0 else line, last)
        doc.bad.append((at, why))
        doc.cont.update(range(at + 1, min(line, last) + 1))
        reset()

    for m in _HIER.finditer(text):
        tok = m.group()
        if tok == "\n":
            line += 1
            continue
        if line in prompts:
            continue
        if tok.startswith("/*"):
            n = tok.count("\n")
            body = " ".join(x.strip(" */") for x in tok.splitlines()).strip()
            for k in range(line, line + n + 1):
                doc.comments.setdefault(k, body)
            line += n
            continue
        if tok.startswith("#"):
            doc.comments.setdefault(line, tok.lstrip("#").strip())
            continue
        if in_list is not None:
            if tok == "]":
                words.append(tuple(in_list))
                in_list = None
            elif tok in ("{", "}", ";", "["):
                in_list = None
                abandon("unbalanced '[' in a list")
            else:
                in_list.append(unquote(tok))
            continue
        if tok == "[":
            if first < 0:
                first = line
            in_list = []
            continue
        if tok == "{":
            if len(stack) >= MAX_DEPTH:
                raise TooDeep(line)
            if first < 0:
                doc.bad.append((line, "'{' without a statement"))
                stack.append((path(), line, inactive()))
                doc.structure.add(line)
                continue
            if any(isinstance(w, tuple) for w in words):
                doc.bad.append((first, "a list in a block header"))
                words = [w for w in words if not isinstance(w, tuple)]
            doc.structure.update(range(first, line + 1))
            ina = flags.get("inactive:", inactive())
            stack.append((path() + tuple(words), first, ina))
            doc.head_paths[first] = stack[-1][0]
            if "replace:" in flags:
                doc.directives[flags["replace:"]] = "replace:"
            reset()
            continue
        if tok == ";":
            if first < 0:
                doc.structure.add(line)
                continue
            if "delete:" in flags:  # 'delete: PATH;' removes what is above it under PATH
                gone = path() + tuple(w for w in words if isinstance(w, str))
                doc.stmts = [s for s in doc.stmts if s.toks[:len(gone)] != gone]
                for k in range(first, line + 1):
                    doc.directives.setdefault(k, "delete:")
                reset()
                continue
            _emit(doc, path(), words, first, line + 1, [h for _p, h, _i in stack],
                  flags.get("inactive:", inactive()))
            if "replace:" in flags:
                doc.directives[flags["replace:"]] = "replace:"
            reset()
            continue
        if tok == "}":
            if words:
                abandon("statement without ';'")
            if not stack:
                doc.bad.append((line, "'}' closes no block"))
                continue
            _p, h, _i = stack.pop()
            doc.block_end[h] = line
            doc.structure.add(line)
            continue
        if not words and tok in _PREFIXES:
            flags[tok] = line
            if first < 0:
                first = line
            if tok == "inactive:":
                flags[tok] = line
            elif tok in ("protect:",):
                doc.directives[line] = tok
            elif tok == "delete:":
                doc.directives[line] = tok
            continue
        if first < 0:
            first = line
        words.append(unquote(tok))
    if words or first >= 0:
        abandon("statement without ';' at the end of the input")
    for _p, h, _i in stack:
        doc.bad.append((h, "block not closed ('}' missing)"))
    return doc


def _emit(doc: Doc, base: tuple[str, ...], words: list, first: int, end: int, heads: list[int],
          inactive: int | None) -> None:
    """One statement per value of each list in it (``[ a b ]``)."""
    combos: list[tuple[str, ...]] = [()]
    for w in words:
        if isinstance(w, tuple):
            combos = [c + (x,) for c in combos for x in w] if w else combos
        else:
            combos = [c + (w,) for c in combos]
    leaves = [base + c for c in combos]
    if not _one_leaf(leaves[0]):
        leaves = list(dict.fromkeys(t for p in leaves for t in _leaves(p)))
    for p in leaves:
        doc.stmts.append(Stmt(p, first, end, tuple(heads), inactive))


# --- the set form --------------------------------------------------------------------------------

def set_words(line: str) -> list[str] | None:
    """The words of one set-form command, lists expanded later (``None`` when quotes do not close)."""
    out = []
    pos = 0
    s = line.strip()
    for m in _SET_TOK.finditer(s):
        gap = s[pos:m.start()]
        if gap.strip():
            return None
        out.append(m.group())
        pos = m.end()
    if s[pos:].strip():
        return None
    return out


def expand(words: list[str]) -> list[tuple[str, ...]] | None:
    """``a [ b c ] d`` -> ``(a b d)``, ``(a c d)``; ``None`` for an unbalanced list."""
    combos: list[tuple[str, ...]] = [()]
    k = 0
    while k < len(words):
        w = words[k]
        if w == "[":
            try:
                j = words.index("]", k)
            except ValueError:
                return None
            items = [unquote(x) for x in words[k + 1:j]]
            combos = [c + (x,) for c in combos for x in items] if items else combos
            k = j + 1
            continue
        if w == "]":
            return None
        combos = [c + (unquote(w),) for c in combos]
        k += 1
    return combos


# The containers whose leaves one 'set' command may write several of: the CLI reads 'set ... policy P match
# source-address A destination-address B application C' as three statements, as 'show | display set' then
# prints them (Juniper, "Use the Configure Command": statements below a container may follow one another
# on one line), and a filter term's 'from protocol tcp destination-port 80' as two.  Their leaves that take
# no value:
_VALUELESS = {"match": frozenset(("source-address-excluded", "destination-address-excluded")),
              "from": frozenset(("tcp-established", "tcp-initial", "is-fragment", "first-fragment"))}


def _one_leaf(toks: tuple[str, ...]) -> bool:
    """Whether a path is surely one statement, by its length alone (most are: a zone policy's match leaf
    is 11 words, several leaves in one make 13 or more; a global policy's or a filter term's, 10 or more)."""
    n = len(toks)
    return n < 10 or n < 12 and toks[2] != "global" and toks[1] != "filter"


def _leaves(toks: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A set command's path as the statements it writes: one, unless it names several leaves of a policy's
    ``match`` or a filter term's ``from`` (``_VALUELESS``); as written when the words do not pair up."""
    if toks[0] == "security" and len(toks) > 8 and toks[1] == "policies":
        k = 8 if toks[2] == "from-zone" else 5 if toks[2] == "global" else -1
    elif toks[0] == "firewall" and len(toks) > 8:
        k = 5 if toks[1] == "filter" else 7 if toks[1] == "family" and toks[3] == "filter" else -1
    else:
        return [toks]
    if k < 0 or k >= len(toks) or toks[k] not in _VALUELESS or len(toks) - k <= 3:
        return [toks]
    flags = _VALUELESS[toks[k]]
    head, out, i = toks[:k + 1], [], k + 1
    while i < len(toks):
        if toks[i] in flags:
            out.append(head + (toks[i],))
            i += 1
        elif i + 1 < len(toks) and toks[i + 1] not in flags:
            out.append(head + toks[i:i + 2])
            i += 2
        else:
            return [toks]
    return out


def _read_set(text: str, lines: list[str] | None = None) -> Doc:
    doc = Doc("set")
    live: list[Stmt] = []
    deact: list[tuple[tuple[str, ...], int]] = []
    # a pasted CLI session: the edit level the commands are relative to ('edit', 'up', 'top', 'exit'), the
    # statements 'edit' named ("if the statement does not exist, it is created"), and the line that left
    # configuration mode ('exit' at the top, 'commit and-quit'), until 'configure'
    nav = Level()
    edits: list[Stmt] = []
    left: int | None = None
    for i, raw in enumerate(text.splitlines() if lines is None else lines):
        if (left is None and raw.startswith("set ") and '"' not in raw and "[" not in raw and "#" not in raw
                and "]" not in raw and nav.at is not None):
            toks = tuple(raw[4:].split())
            if toks:  # (a bare 'set', a line cut short, is reported below)
                if nav.at:
                    toks = nav.at + toks
                if _one_leaf(toks):
                    live.append(Stmt(toks, i, i + 1))  # the usual line, on the fast path
                else:
                    live.extend(Stmt(t, i, i + 1) for t in _leaves(toks))
                continue
        s = raw.strip()
        if not s:
            continue
        if s.startswith("#") or s.startswith("/*"):
            doc.comments[i] = s.lstrip("#/* ").rstrip("*/ ")
            continue
        if _PROMPT.match(raw):
            doc.prompts.add(i)
            continue
        words = s.split() if '"' not in s else set_words(s)
        if not words:
            doc.bad.append((i, "quotes not closed"))
            continue
        verb, rest = words[0], words[1:]
        # trailing '## SECRET-DATA' style comments
        for k, w in enumerate(rest):
            if w.startswith("#"):
                rest = rest[:k]
                break
        base = nav.at
        if verb == "top" and rest and left is None:
            # "top <configuration-command>: issue configuration mode commands from the top of the hierarchy"
            # (Juniper CLI reference, 'top'); where the level stands afterwards is not documented
            nav.move("top", [])
            verb, rest, base = rest[0], rest[1:], ()
            if verb in NAV_VERBS and verb != "edit":
                doc.bad.append((i, "'top %s' is not followed (where it leaves the edit level is not documented)"
                                % verb))
                nav.at = None
                continue
            if verb != "edit":
                nav.at = None
        if verb in SESSION_VERBS or verb in ("exit", "quit") and (base == () or rest[:1] == ["configuration-mode"]):
            doc.session.add(i)
            if verb == "configure":  # (configuration mode starts at the top: "[edit]")
                left, nav = None, Level()
            elif verb in ("exit", "quit") or verb == "commit" and "and-quit" in rest:
                left = i
            continue
        if verb in NAV_VERBS and left is None:
            if verb in ("exit", "quit") and base is None:
                # (at the top, 'exit' leaves configuration mode: whether it does here is not known)
                doc.bad.append((i, "'%s' with the edit level not known (after 'up' or 'top COMMAND'): it may leave "
                                "configuration mode" % verb))
                left = i
                continue
            why = nav.move(verb, rest)
            if why:
                doc.bad.append((i, why))
            elif verb == "edit":
                edits.append(Stmt(nav.at, i, i + 1))
                live.append(edits[-1])
            else:
                doc.session.add(i)
            continue
        if verb == "rollback":
            doc.bad.append((i, "'rollback' replaces the candidate configuration with a committed one, which is "
                            "not here"))
            continue
        if verb not in SET_VERBS:
            doc.bad.append((i, "not a set/deactivate/delete command"))
            continue
        if left is not None:
            doc.bad.append((i, "after line %d left configuration mode: an operational-mode command, not "
                            "configuration" % (left + 1)))
            continue
        if base is None:
            doc.bad.append((i, UNKNOWN_LEVEL))
            continue
        if "[" not in rest and "]" not in rest and '"' not in s:
            paths = [tuple(rest)]
        else:
            paths = expand(rest)
        if paths is not None:
            paths = [base + p for p in paths if p]
        if not paths:
            doc.bad.append((i, "'%s' without a path, or an unbalanced list" % verb))
            continue
        if verb == "set":
            # (a '[ ]' list before other leaves repeats them in every expansion: each once)
            live.extend(Stmt(t, i, i + 1) for t in dict.fromkeys(t for p in paths for t in _leaves(p)))
        elif verb == "deactivate":
            doc.commands[i] = verb
            deact.extend((p, i) for p in paths)
        elif verb == "activate":
            doc.commands[i] = verb
            for p in paths:
                deact = [(d, k) for d, k in deact if d != p]
        elif verb == "delete":
            doc.commands[i] = verb
            for p in paths:
                keep = []
                for st in live:
                    if st.toks[:len(p)] == p:
                        doc.deleted[st.line] = i
                    else:
                        keep.append(st)
                live = keep
                deact = [(d, k) for d, k in deact if d[:len(p)] != p]
        elif verb in ("protect", "unprotect"):
            doc.directives[i] = verb
        else:  # insert, annotate: order or comments in a script; not a shown configuration
            doc.bad.append((i, "'%s' is a configuration-mode command, not part of a shown configuration" % verb))
    if edits:  # the statement an 'edit' names stands, empty, when nothing under it is set
        under = {st.toks[:k] for st in live for k in range(1, len(st.toks))}
        drop = {id(st) for st in edits if st.toks in under}
        live = [st for st in live if id(st) not in drop]
        doc.session.update(st.line for st in edits if id(st) in drop)
    if deact:
        for st in live:
            for p, k in deact:
                if st.toks[:len(p)] == p:
                    st.inactive = k
                    break
    doc.stmts = live
    return doc

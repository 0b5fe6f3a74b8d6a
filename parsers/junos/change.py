"""Apply a Junos change request (configuration-mode commands) to a configuration, as text.

``apply_change(config_text, change_text, change_path, origins)`` returns the configuration as it
would read after the commands, in the form it was given (``display set`` lines stay set lines,
the hierarchical form stays hierarchical, so the lines the change does not touch keep their
text and the findings on them keep their fingerprints).  Supported, with the device's meaning
(Juniper, "Junos OS CLI User Guide": set, delete, deactivate, activate, insert, edit):

* ``set PATH``: adds the statement; a leaf that holds one value (``then permit|deny|reject`` of
  a policy, ``inactivity-timeout``, an application's ``protocol``, ``destination-port``, ``source-port``,
  ``default-policy``, an address's prefix) is replaced (a filter term's ``from destination-port`` gains one);
* ``delete PATH``: removes everything under PATH;
* ``deactivate PATH`` / ``activate PATH``: marks PATH inactive / active again;
* ``annotate STATEMENT "COMMENT"``: a comment (``/* COMMENT */`` before the statement in the
  hierarchical form, nowhere in the set form, which shows none), for a statement that is configured;
* ``insert PATH before|after NAME VALUE``: moves a policy, term or rule among its siblings
  (``insert security policies from-zone A to-zone B policy P before policy Q``); the lines it moves come from
  the ``insert`` line in ``origins`` (a review locates what the rule now decides at the command that moved it);
* ``edit PATH``, ``top [COMMAND]``, ``exit``/``quit`` (back to the level before the last ``edit``)
  move the edit level (later paths are relative to it); after ``up`` (which climbs statements, not
  words) or ``top COMMAND`` the level is not known, and a command relative to it is refused;
  ``exit configuration-mode`` (at any level), ``exit`` at the top and ``commit and-quit`` leave
  configuration mode: the commands after them are refused until ``configure``, which enters it at the top;
  ``load set terminal`` (the set commands that follow), ``configure``, ``commit``, ``show`` and
  comments do nothing; ``rollback`` and any other ``load`` are refused.

Any other command, or one that does not apply (deleting or moving what is not there), raises
``InputError`` naming the change file and line: a change is never applied in part.
"""

from __future__ import annotations

import re

from auditor.core.secrets import redact
from parsers.junos import tree
from parsers.kit import InputError
from parsers.kit.edit import Edit

_SINGLE = ("inactivity-timeout", "default-policy", "description")
# one value in an application ('applications application A [term T] protocol tcp'), but a list where a
# firewall filter term or a rule matches on it: 'set ... term T from destination-port 445' adds a port to
# the term's ('set source-port 22', 'set source-port 23': Juniper, "Understanding Firewall Filter Match
# Conditions", https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/
# firewall-filter-match-understanding.html)
_SINGLE_IN_APPLICATIONS = ("protocol", "destination-port", "source-port", "icmp-type", "icmp-code")
_ACTIONS = ("permit", "deny", "reject")


class _Fail(Exception):
    pass


def _quote(w: str) -> str:
    return '"%s"' % w.replace('"', '\\"') if (not w or re.search(r'[\s;{}\[\]"#]', w)) else w


# --- the set form ------------------------------------------------------------------------------

def _command(raw: str) -> tuple[str, tuple[str, ...]] | None:
    """(verb, path) of a ``set`` or ``deactivate`` line (its first path, lists expanded), else None."""
    words = tree.set_words(raw)
    if not words or words[0] not in ("set", "deactivate"):
        return None
    paths = tree.expand(words[1:])
    return (words[0], paths[0]) if paths else None


class _SetForm:
    def __init__(self, text: str):
        self.t = Edit(text, "")
        # each line's (verb, path), read once: every command of a change reads the configuration
        # again (a policy is several set commands; 10 readings of 118,000 lines took 11 s)
        self._commands: dict[str, tuple[str, tuple[str, ...]] | None] = {}

    def _parsed(self) -> list[tuple[int, str, tuple[str, ...]]]:
        """(line index, verb, path) of each command line of the configuration."""
        out = []
        known = self._commands
        for k, raw in enumerate(self.t.lines):
            got = known[raw] if raw in known else known.setdefault(raw, _command(raw))
            if got is not None:
                out.append((k, got[0], got[1]))
        return out

    def set(self, path: tuple[str, ...], n: int) -> None:
        cmds = self._parsed()
        if any(v == "set" and p == path for _k, v, p in cmds):
            return
        gone = [k for k, v, p in cmds if v == "set" and _replaces(path, p)]
        for k in sorted(gone, reverse=True):
            self.t.delete(k, k + 1)
        if gone:
            cmds = self._parsed()
        best, at = 1, len(self.t.lines)
        for k, v, p in cmds:
            if v != "set":
                continue
            common = _common(p, path)
            if common >= best:
                best, at = common, k + 1
        if at == len(self.t.lines):
            # before trailing deactivate lines
            while at > 0 and self.t.lines[at - 1].startswith("deactivate "):
                at -= 1
        self.t.insert(at, [("set " + " ".join(_quote(w) for w in path), n)])

    def delete(self, path: tuple[str, ...], n: int) -> None:
        cmds = self._parsed()
        gone = [k for k, _v, p in cmds if p[:len(path)] == path]
        if not any(v == "set" and p[:len(path)] == path for _k, v, p in cmds):
            raise _Fail("nothing is configured under that path")
        for k in sorted(gone, reverse=True):
            self.t.delete(k, k + 1, by=n)

    def deactivate(self, path: tuple[str, ...], n: int) -> None:
        cmds = self._parsed()
        if not any(v == "set" and p[:len(path)] == path for _k, v, p in cmds):
            raise _Fail("nothing is configured under that path")
        if any(v == "deactivate" and p == path for _k, v, p in cmds):
            return
        self.t.insert(len(self.t.lines), [("deactivate " + " ".join(_quote(w) for w in path), n)])

    def activate(self, path: tuple[str, ...], n: int) -> None:
        cmds = self._parsed()
        gone = [k for k, v, p in cmds if v == "deactivate" and p == path]
        if not gone:
            raise _Fail("that path is not inactive")
        for k in sorted(gone, reverse=True):
            self.t.delete(k, k + 1)

    def annotate(self, path: tuple[str, ...], comment: str, n: int) -> None:
        # ('show | display set' writes no comments: the set form has nowhere to keep it)
        if not any(v == "set" and p[:len(path)] == path for _k, v, p in self._parsed()):
            raise _Fail("nothing is configured under that path")

    def insert(self, path: tuple[str, ...], where: str, sibling: tuple[str, ...], n: int) -> None:
        cmds = self._parsed()
        mine = [k for k, v, p in cmds if v == "set" and p[:len(path)] == path]
        theirs = [k for k, v, p in cmds if v == "set" and p[:len(sibling)] == sibling]
        if not mine:
            raise _Fail("%s is not configured" % " ".join(path[-2:]))
        if not theirs:
            raise _Fail("%s is not configured" % " ".join(sibling[-2:]))
        moved = [(self.t.lines[k], _moved_by(self.t.origin[k], n)) for k in mine]
        for k in sorted(mine, reverse=True):
            self.t.delete(k, k + 1)
        cmds = self._parsed()
        theirs = [k for k, v, p in cmds if v == "set" and p[:len(sibling)] == sibling]
        at = theirs[0] if where == "before" else theirs[-1] + 1
        for j, (text, org) in enumerate(moved):
            self.t.lines.insert(at + j, text)
            self.t.origin.insert(at + j, org)


# --- the hierarchical form ---------------------------------------------------------------------

class _HierForm:
    def __init__(self, text: str):
        self.t = Edit(text, "")

    def _doc(self) -> tree.Doc:
        return tree.read(self.t.result())

    def set(self, path: tuple[str, ...], n: int) -> None:
        doc = self._doc()
        if any(st.toks == path for st in doc.stmts):
            return
        for st in doc.stmts:
            if _replaces(path, st.toks):
                self.delete(st.toks[:len(path)], n, doc)
                doc = self._doc()
                break
        best, depth = None, 0
        for h, p in doc.head_paths.items():
            if len(p) < len(path) and path[:len(p)] == p and len(p) > depth and h in doc.block_end:
                best, depth = h, len(p)
        rest = path[depth:]
        if best is None:
            at, indent = len(self.t.lines), ""
        else:
            at = doc.block_end[best]
            indent = _indent(self.t.lines[best]) + "    "
        self.t.insert(at, [(indent + " ".join(_quote(w) for w in rest) + ";", n)])

    def delete(self, path: tuple[str, ...], n: int, doc: tree.Doc | None = None) -> None:
        doc = doc or self._doc()
        spans: list[tuple[int, int]] = []
        for h, p in doc.head_paths.items():
            if p[:len(path)] == path and h in doc.block_end:
                spans.append((h, doc.block_end[h] + 1))
        spans = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
        inside = lambda k: any(a <= k < b for a, b in spans)  # noqa: E731
        edits: dict[int, list[tree.Stmt]] = {}
        for st in doc.stmts:
            if st.toks[:len(path)] == path and not inside(st.line):
                edits.setdefault(st.line, []).append(st)
        if not spans and not edits:
            raise _Fail("nothing is configured under that path")
        for k, sts in edits.items():
            others = [s for s in doc.stmts if s.line == k and s not in sts]
            if not others:
                spans.append((k, sts[0].end))
                continue
            line = self.t.lines[k]
            for s in sts:  # a value of a [ list ]: remove it from the line
                word = _quote(s.toks[-1])
                new = re.sub(r"(\[[^\]]*?)\s%s(?=[\s\]])" % re.escape(word), r"\1", line, count=1)
                if new == line:
                    raise _Fail("cannot remove part of line %d of the configuration" % (k + 1))
                line = new
            self.t.set(k, line, n)
        for a, b in sorted(spans, reverse=True):
            self.t.delete(a, b, by=n)

    def _line_of(self, doc: tree.Doc, path: tuple[str, ...]) -> int:
        for h, p in doc.head_paths.items():
            if p == path:
                return h
        hits = [st for st in doc.stmts if st.toks == path]
        if len(hits) == 1 and not [s for s in doc.stmts if s.line == hits[0].line and s is not hits[0]]:
            return hits[0].line
        raise _Fail("no block or statement of its own is configured at that path")

    def _gather(self, doc: tree.Doc, path: tuple[str, ...], n: int) -> int:
        """The statements of their own that 'set' wrote for ``path`` (no block yet) written as one block
        ``NAME {`` ... ``}``, so that it can be marked inactive as a whole; its header's line."""
        a, b = self._block(doc, path)
        sts = [st for st in doc.stmts if a <= st.line < b]
        parent = {st.heads[-1] if st.heads else None for st in sts}
        depth = len(doc.head_paths[next(iter(parent))]) if len(parent) == 1 and None not in parent else 0
        head = " ".join(_quote(w) for w in path[depth:])
        ind = _indent(self.t.lines[a])
        for k in sorted({st.line for st in sts}):
            text = self.t.lines[k].strip()
            if not depth or not text.startswith(head + " ") or any(st.end != k + 1 for st in sts if st.line == k):
                raise _Fail("no block or statement of its own is configured at that path")
            self.t.lines[k] = ind + "    " + text[len(head) + 1:].lstrip()
        self.t.insert(b, [(ind + "}", n)])
        self.t.insert(a, [(ind + head + " {", n)])
        return a

    def deactivate(self, path: tuple[str, ...], n: int) -> None:
        doc = self._doc()
        try:
            k = self._line_of(doc, path)
        except _Fail:
            # (a policy or term the change itself set, as statements: Junos deactivates it like any other)
            k = self._gather(doc, path, n)
        line = self.t.lines[k]
        if "inactive:" in line.split():
            return
        ind = _indent(line)
        self.t.set(k, ind + "inactive: " + line[len(ind):], n)

    def annotate(self, path: tuple[str, ...], comment: str, n: int) -> None:
        doc = self._doc()
        try:
            k = self._line_of(doc, path)
        except _Fail:
            if not any(st.toks[:len(path)] == path for st in doc.stmts):
                raise _Fail("nothing is configured under that path") from None
            return  # (a value on a shared line: the comment has no line of its own to go before)
        ind = _indent(self.t.lines[k])
        # (a comment written with its own delimiters, /* */ or #, is kept as written; else /* */ enclose it)
        own = (comment.startswith("/*") and comment.endswith("*/")) or comment.startswith("#")
        text = ind + (comment if own else "/* %s */" % comment.replace("*/", "* /"))
        prev = self.t.lines[k - 1].strip() if k else ""
        # (its comment, which annotate replaces)
        if (prev.startswith("/*") and prev.endswith("*/")) or prev.startswith("#"):
            self.t.set(k - 1, text, n)
        else:
            self.t.insert(k, [(text, n)])

    def activate(self, path: tuple[str, ...], n: int) -> None:
        doc = self._doc()
        k = self._line_of(doc, path)
        line = self.t.lines[k]
        if "inactive:" not in line:
            raise _Fail("that path is not inactive")
        self.t.set(k, line.replace("inactive: ", "", 1), n)

    def insert(self, path: tuple[str, ...], where: str, sibling: tuple[str, ...], n: int) -> None:
        doc = self._doc()
        mine = self._block(doc, path)
        theirs = self._block(doc, sibling)
        moved = [(self.t.lines[k], _moved_by(self.t.origin[k], n)) for k in range(*mine)]
        self.t.delete(*mine)
        doc = self._doc()
        a, b = self._block(doc, sibling)
        at = a if where == "before" else b
        del theirs
        for j, (text, org) in enumerate(moved):
            self.t.lines.insert(at + j, text)
            self.t.origin.insert(at + j, org)

    def _block(self, doc: tree.Doc, path: tuple[str, ...]) -> tuple[int, int]:
        for h, p in doc.head_paths.items():
            if p == path and h in doc.block_end:
                # comments written just above belong to it
                a = h
                while a > 0 and self.t.lines[a - 1].strip().startswith(("/*", "*", "#")):
                    a -= 1
                return a, doc.block_end[h] + 1
        # statements of their own (the ones 'set' writes for a path with no block yet: one per command, one
        # after another), when no statement of another path stands among them
        sts = [st for st in doc.stmts if st.toks[:len(path)] == path]
        if sts:
            a, b = min(st.line for st in sts), max(st.end for st in sts)
            if all(st.toks[:len(path)] == path for st in doc.stmts if a <= st.line < b):
                return a, b
        raise _Fail("%s is not configured as a block" % " ".join(path[-2:]))


def _moved_by(origin: tuple[str, int], n: int) -> tuple[str, int]:
    """The origin of a line that ``insert`` (change line ``n``) moves: that line, for a line of the configuration
    (the rule is where it is because of it: a review locates what the rule now decides there); a line the change
    wrote keeps its own."""
    return origin if origin[0] == "change" else ("change", n)


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    k = 0
    while k < len(a) and k < len(b) and a[k] == b[k]:
        k += 1
    return k


def _replaces(new: tuple[str, ...], old: tuple[str, ...]) -> bool:
    """Whether setting ``new`` replaces the existing ``old`` (a leaf that holds one value)."""
    if new == old or len(new) < 2:
        return False
    if "then" in new and new[-1] in _ACTIONS and new[-2] == "then":
        k = len(new) - 1
        return old[:k] == new[:k] and len(old) > k and old[k] in _ACTIONS and old[k] != new[k]
    key = new[-2]
    if key in _SINGLE_IN_APPLICATIONS:
        # (at the top, or under 'groups G' or 'logical-systems L')
        return "applications" in new[:3] and "from" not in new and "match" not in new and \
            len(old) == len(new) and old[:-1] == new[:-1]
    if key in _SINGLE:
        return len(old) == len(new) and old[:-1] == new[:-1]
    k = _address_value_at(new)
    if k is not None:
        return _address_value_at(old) == k and old[:k] == new[:k] and old[k] != "description" and \
            new[k] != "description"
    return False


def _address_value_at(path: tuple[str, ...]) -> int | None:
    """Where the value of an address-book address starts in ``path`` (its prefix, ``dns-name``,
    ``range-address`` or ``wildcard-address``: one of them, "address address-name (ip-prefix | dns-name
    dns-address-name)", Juniper, "address-book", https://juniper.net/documentation/software/junos-es/
    junos-es93/junos-es-swcmdref/address-book.html), in a named book (``security address-book BOOK
    address A V``) or a zone's (``security zones security-zone Z address-book address A V``)."""
    if "address-book" not in path:
        return None
    i = path.index("address-book")
    for k in (i + 1, i + 2):  # a zone's book, a named book
        if k + 2 < len(path) and path[k] == "address" and (k == i + 1 or path[i + 1] != "address"):
            return k + 2
    return None


def apply_change(config_text: str, change_text: str, change_path: str, origins: list | None = None,
                 removed: list | None = None) -> str:
    """The configuration with the change applied (see the module doc); ``origins`` gets each line's origin, and
    ``removed`` (config line, change line) for each configuration line the change removed or replaced."""
    form = _HierForm(config_text) if tree.looks_hierarchical(config_text) else _SetForm(config_text)
    state = tree.Level()
    for n, raw in enumerate(change_text.splitlines(), 1):
        s = raw.strip()
        if not s or s.startswith(("#", "/*")):
            continue
        words = tree.set_words(s)
        try:
            if not words:
                raise _Fail("quotes not closed")
            _run(form, state, words[0], words[1:], n)
        except _Fail as e:
            raise InputError("%s:%d: cannot apply '%s': %s" % (change_path, n, redact(s), e)) from None
    return form.t.result(origins, removed)


def _run(form, state: tree.Level, verb: str, rest: list[str], n: int) -> None:
    """One configuration-mode command (Juniper, "Junos OS CLI User Guide", configuration mode commands)."""
    if verb in tree.SESSION_VERBS:
        if verb == "configure" and state.left:
            state.enter()
        elif verb == "commit" and "and-quit" in rest:
            # "commit and-quit": "commit complete / exiting configuration mode" (Juniper, "Committing a
            # Configuration and Exiting Configuration Mode")
            state.left = True
        return
    if state.left:
        raise _Fail("configuration mode was left before it ('exit configuration-mode', 'exit' at the top, "
                    "'commit and-quit'): an operational-mode command, not configuration ('configure' enters "
                    "configuration mode again)")
    if verb == "rollback":
        raise _Fail("rollback replaces the candidate configuration with an earlier one (or drops the changes typed "
                    "before it), which this tool does not have")
    if verb == "load":
        # 'load set terminal': the set commands that follow are typed as at the prompt; any other load
        # (override, replace, merge, patch, a file) brings text this reader does not see or apply
        if rest[:2] != ["set", "terminal"]:
            raise _Fail("only 'load set terminal' followed by set commands is applied (load override, merge, "
                        "replace or a file bring configuration text this tool does not read)")
        return
    if verb == "top" and rest:
        # "top <configuration-command>: issue configuration mode commands from the top of the hierarchy"
        # (Juniper CLI reference, 'top'); where the level stands afterwards is not documented
        state.move("top", [])
        _run(form, state, rest[0], rest[1:], n)
        if rest[0] != "edit":
            state.at = None
        return
    if verb in tree.NAV_VERBS:
        why = state.move(verb, rest)
        if why:
            raise _Fail(why)
        return
    level = state.at
    if level is None:
        raise _Fail(tree.UNKNOWN_LEVEL)
    paths = tree.expand(rest) if rest else None
    if verb == "insert":
        k = next((i for i, w in enumerate(rest) if w in ("before", "after")), None)
        path = level + tuple(tree.unquote(w) for w in rest[:k or 0])
        if k is None or len(rest) - k != 3 or len(path) < 2:
            raise _Fail("expected 'insert PATH before|after NAME VALUE'")
        sibling = path[:-2] + tuple(tree.unquote(w) for w in rest[k + 1:])
        if path[-2] != sibling[-2]:
            raise _Fail("insert moves an element among its siblings of the same kind")
        form.insert(path, rest[k], sibling, n)
        return
    if verb == "annotate":
        # "annotate statement-path "comment-string"": a comment on a statement of the current level, shown
        # before it as /* ... */; a comment changes nothing the device does (Juniper, "Adding Comments in a
        # Configuration"); the statement must be configured
        if len(rest) < 2:
            raise _Fail("expected 'annotate STATEMENT \"COMMENT\"'")
        form.annotate(level + tuple(tree.unquote(w) for w in rest[:-1]), tree.unquote(rest[-1]), n)
        return
    if verb == "rename":
        # "rename <statement-path> identifier1 to identifier2: Rename an existing configuration statement or
        # identifier" (Juniper CLI reference, 'rename'): what becomes of the statements that name it (a policy's
        # match source-address, an apply-groups) is not documented there, so the change is not applied
        raise _Fail("rename is not applied: Juniper's CLI reference ('rename') documents the identifier's new name "
                    "but not whether the statements naming it (a policy's match address or application, "
                    "apply-groups) follow, so what the device holds after it is not known; write the change as "
                    "set and delete commands")
    if verb not in ("set", "delete", "deactivate", "activate"):
        raise _Fail("unsupported command (supported: set, delete, deactivate, activate, insert, annotate, edit, "
                    "up, top, exit)")
    if not paths or not paths[0]:
        raise _Fail("'%s' needs a path" % verb)
    for p in paths:
        getattr(form, verb)(level + p, n)

"""Configuration-mode commands applied to an XML configuration, in place, as XML.

The lines the change does not touch stay as they are (so a finding about them keeps its text and
its fingerprint); a ``set`` adds elements before the closing tag of the deepest element that exists
(``<entry name=...>`` for a named object or rule, ``<member>`` for a list's values, a text element
for a single value, which a later ``set`` replaces); ``delete`` removes an element's lines or one
``<member>`` line; ``move`` moves a rule's ``<entry>`` lines; ``rename`` rewrites its ``name``.
Every command is checked against the configuration as the earlier commands left it.
"""

from __future__ import annotations

import re
import xml.parsers.expat as expat

from parsers.kit import InputError
from parsers.panos.change import RENAME_DOC, object_path, prose, refs, sees
from parsers.panos.scan import MAX_DEPTH, _defused, canon_tree

# words naming an <entry name=...> after these words in a path
COLLECTIONS = frozenset({
    "address", "address-group", "service", "service-group", "application", "application-group",
    "application-filter", "zone", "rules", "ethernet", "aggregate-ethernet", "units", "virtual-router",
    "static-route", "vsys", "users", "external-list", "tag", "schedule", "profile-group", "devices",
    "logical-router", "vrf", "region", "dynamic-user-group"})
# settings whose values are <member> lists
MEMBER_LISTS = frozenset({
    "from", "to", "source", "destination", "source-user", "category", "application", "service", "source-hip",
    "destination-hip", "hip-profiles", "tag", "members", "static", "layer3", "layer2", "virtual-wire", "tap",
    "interface", "source-device", "destination-device"})
# settings whose values are <entry name=...> elements with nothing inside
ENTRY_LISTS = frozenset({"ip"})


class XmlEdit:
    """The XML configuration's lines, their origins, and an index of its elements."""

    def __init__(self, text: str, fail):
        self.lines = text.splitlines()
        self.origin = [("config", k) for k in range(1, len(self.lines) + 1)]
        self.fail = fail
        self.index()

    # --- the element index ---------------------------------------------------------------------
    def index(self) -> None:
        """Every element's (scope, words) key -> (open line, close line), 0-based; members too."""
        els: dict = {}
        values: dict = {}
        path: list = []
        opens: list = []
        p = expat.ParserCreate()
        _defused(p)
        texts: list = []

        def start(tag, attrs):
            if len(path) >= MAX_DEPTH:
                raise InputError("the XML configuration is nested too deeply")
            path.append(attrs.get("name", "entry") if tag == "entry" else ("member",) if tag == "member" else tag)
            opens.append(p.CurrentLineNumber - 1)
            texts.append([])

        def chars(data):
            texts[-1].append(data)

        def end(tag):
            line = p.CurrentLineNumber - 1
            word = path.pop()
            first = opens.pop()
            text = "".join(texts.pop()).strip()
            words = path + [("member", text) if word == ("member",) else word]
            if path and path[0] == "config":
                scope, rel, _a = canon_tree(words, None)
                els[(scope, tuple(rel))] = (first, line)
                if text and word != ("member",):
                    values[(scope, tuple(rel))] = text

        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
        try:
            p.Parse("\n".join(self.lines), True)
        except expat.ExpatError as e:
            raise InputError("not well-formed XML (line %d)" % e.lineno) from None
        self.els = els
        self.values = values  # a text element's value, by its key

    def reindex(self) -> None:
        """``index`` after an edit: XML the edit left unreadable is the command's refusal, at its line."""
        try:
            self.index()
        except InputError as e:
            self.fail("the configuration it leaves is not XML PAN-OS reads (%s)" % e)

    def find(self, scope: str, words: tuple):
        return self.els.get((scope, words))

    # --- editing ---------------------------------------------------------------------------------
    def indent_of(self, k: int) -> str:
        s = self.lines[k]
        return s[:len(s) - len(s.lstrip())]

    def insert(self, at: int, texts: list[str], n: int) -> None:
        self.lines[at:at] = texts
        self.origin[at:at] = [("change", n)] * len(texts)

    def drop(self, a: int, b: int) -> None:
        del self.lines[a:b + 1]
        del self.origin[a:b + 1]

    def container(self, scope: str, words: tuple) -> tuple[int, tuple] | None:
        """The deepest existing element on the way to ``words``: (how many words it covers, span)."""
        for k in range(len(words), -1, -1):
            span = self.find(scope, words[:k])
            if span is not None:
                return k, span
        return None

    def open_up(self, span: tuple[int, int]) -> tuple[int, str]:
        """Where children of the element at ``span`` go, and their indent (a self-closing element
        ``<x/>`` is opened up first)."""
        a, b = span
        ind = self.indent_of(a)
        step = "  "
        if a + 1 <= b - 1 and self.lines[a + 1].strip():
            inner = self.indent_of(a + 1)
            step = inner[len(ind):] or step
        if a == b and self.lines[a].rstrip().endswith("/>"):
            m = re.match(r"^(\s*)<([^\s/>]+)(.*?)\s*/>\s*$", self.lines[a])
            if not m:
                self.fail("cannot open the element at line %d" % (a + 1))
            self.lines[a] = "%s<%s%s>" % (m.group(1), m.group(2), m.group(3))
            self.insert(a + 1, ["%s</%s>" % (m.group(1), m.group(2))], self.origin[a][1])
            self.origin[a + 1] = self.origin[a]
            return a + 1, ind + step
        return b, ind + step

    def set(self, scope: str, words: list, n: int) -> None:
        if len(words) < 2:
            self.fail("nothing to set")
        value = words[-1]
        path = tuple(words[:-1])
        key = path[-1]
        span = self.find(scope, path)
        if span is not None and not isinstance(value, list) and key not in MEMBER_LISTS and key not in ENTRY_LISTS:
            a, b = span
            if a == b and ">" in self.lines[a] and "</" in self.lines[a]:  # a text element: replace it
                self.lines[a] = re.sub(r">[^<]*</", lambda m: ">%s</" % _esc(value), self.lines[a], count=1)
                self.origin[a] = ("change", n)
                return
        got = self.container(scope, path)
        if got is None:
            self.fail("no place in the configuration for it")
        k, span = got
        at, ind = self.open_up(span)
        if k == len(path) and key in MEMBER_LISTS | ENTRY_LISTS:
            vals = value if isinstance(value, list) else [value]
            new = [v for v in vals if self.find(scope, path + (("member", v),)) is None and
                   self.find(scope, path + (v,)) is None]
            tpl = '<entry name="%s"/>' if key in ENTRY_LISTS else "<member>%s</member>"
            self.insert(at, [ind + tpl % _esc(v) for v in new], n)
        else:
            if k == len(path):
                self.fail("'%s' is a section, not a setting" % key)
            self.insert(at, _render(list(path[k:]), value, ind, path[k - 1] if k else None), n)
        self.reindex()

    def delete(self, scope: str, words: list) -> None:
        span = None if isinstance(words[-1], list) else self.find(scope, tuple(words))
        if span is not None:
            self.drop(*span)
            self.reindex()
            return
        members = words[-1] if isinstance(words[-1], list) else [words[-1]]
        spans = [self.find(scope, tuple(words[:-1]) + (("member", m),)) or self.find(scope, tuple(words[:-1]) + (m,))
                 for m in members]
        if not spans or any(s is None for s in spans):
            self.fail("nothing in the configuration matches it")
        for a, b in sorted(spans, reverse=True):
            self.drop(a, b)
        self.reindex()

    def move(self, scope: str, words: list, n: int) -> None:
        if len(words) < 5 or words[2] != "rules":
            self.fail("only rules can be moved (move rulebase security|nat rules NAME top|bottom|before X|after X)")
        base, name, where = tuple(words[:3]), words[3], words[4]
        mine = self.find(scope, base + (name,))
        if mine is None:
            self.fail("no rule '%s' in the configuration" % name)
        a, b = mine
        block, origin = self.lines[a:b + 1], self.origin[a:b + 1]
        self.drop(a, b)
        self.reindex()
        rules = self.find(scope, base)
        if where in ("before", "after"):
            if len(words) < 6:
                self.fail("'move ... %s' needs a rule name" % where)
            other = self.find(scope, base + (words[5],))
            if other is None:
                self.fail("no rule '%s' in the configuration" % words[5])
            at = other[0] if where == "before" else other[1] + 1
        elif where == "top":
            at = rules[0] + 1
        elif where == "bottom":
            at = rules[1]
        else:
            self.fail("unknown position '%s' (top, bottom, before, after)" % where)
        self.lines[at:at] = block
        # (the moved rule's lines from the configuration now come from change line n, which put them there)
        self.origin[at:at] = [o if o[0] == "change" else ("change", n) for o in origin]
        self.reindex()

    def rename(self, scope: str, words: list, new: str, n: int) -> None:
        span = self.find(scope, tuple(words))
        if span is None:
            self.fail("nothing in the configuration matches it")
        if self.find(scope, tuple(words[:-1]) + (new,)) is not None:
            self.fail("'%s' already exists there" % new)
        a = span[0]
        old = words[-1]
        line = self.lines[a]
        if 'name="%s"' % _esc(old) not in line:
            self.fail("only named entries can be renamed")
        self.lines[a] = line.replace('name="%s"' % _esc(old), 'name="%s"' % _esc(new), 1)
        self.origin[a] = ("change", n)
        self.reindex()
        if object_path(words):
            self.rename_refs(scope, words, new, n)

    def rename_refs(self, scope: str, words: list, new: str, n: int) -> None:
        """The references to a renamed object (``<member>`` or a text element), renamed with it (``RENAME_DOC``);
        one this tool does not place is refused."""
        old, kind = words[-1], words[0] if len(words) == 2 else None
        mine = tuple(words[:-1]) + (new,)
        found = [(sc, w[:-1], span) for (sc, w), span in self.els.items() if w and w[-1] == ("member", old)]
        found += [(sc, w, self.els[(sc, w)]) for (sc, w), v in self.values.items() if v == old]
        for sc, setting, (a, b) in sorted(found, key=lambda f: f[2]):
            if not sees(scope, sc) or setting[:len(mine)] == mine or prose(setting):
                continue
            if len(words) == 2 and sc != scope and self.find(sc, tuple(words)) is not None:
                continue  # (a vsys's own object of that name: its settings name that one)
            esc = ">%s<" % _esc(old)
            if kind is None or not refs(kind, setting) or a != b or esc not in self.lines[a]:
                self.fail("'%s' (line %d) names '%s', which this tool does not rename with it, so the change is "
                          "not applied; %s" % (" ".join(str(x) for x in setting), a + 1, old, RENAME_DOC))
            self.lines[a] = self.lines[a].replace(esc, ">%s<" % _esc(new), 1)
            self.origin[a] = ("change", n)
        self.reindex()

_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")  # (ASCII, no ':': the schema's keywords)


def _esc(v) -> str:
    return str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _render(words: list, value, ind: str, parent: str | None) -> list[str]:
    """Elements for ``words`` (under ``parent``) holding ``value``, indented from ``ind``."""
    out: list[str] = []
    closes: list[str] = []
    prev = parent
    for w in words:
        # a word that is no XML name is no keyword of the schema: an entry's name (a server profile's,
        # "Syslog 1"), which the reader takes as it takes an element's tag
        if prev in COLLECTIONS or not _XML_NAME.match(w):
            out.append(ind + '<entry name="%s">' % _esc(w))
            closes.append(ind + "</entry>")
        else:
            out.append(ind + "<%s>" % w)
            closes.append(ind + "</%s>" % w)
        ind += "  "
        prev = w
    key = words[-1] if words else parent
    if isinstance(value, list) or key in MEMBER_LISTS:
        out += [ind + "<member>%s</member>" % _esc(v) for v in (value if isinstance(value, list) else [value])]
    elif key in ENTRY_LISTS or key in COLLECTIONS:
        out.append(ind + '<entry name="%s"/>' % _esc(value))
    else:
        # a single value: the last word's element holds it as text
        last = out.pop()
        closes.pop()
        out.append("%s%s</%s>" % (last, _esc(value), words[-1]))
    return out + closes[::-1]

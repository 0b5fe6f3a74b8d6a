"""config.xml as a light element tree whose every element knows the lines it spans.

The XML is read by defusedxml's parser (no DTD, no entity declarations, no external references:
a billion-laughs or XXE file is refused), driven directly through its expat object so that each
element records ``CurrentLineNumber`` at its start and end tags.  Limits: ``MAX_BYTES`` of input
and ``MAX_DEPTH`` levels of nesting; anything beyond, or XML that is not well formed, is an
``InputError`` with one clear line.
"""

from __future__ import annotations

from typing import Callable
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from parsers.kit import InputError

MAX_BYTES = 128 * 1024 * 1024
MAX_DEPTH = 64


_NO_KIDS: list = []
_NO_ATTRS: list = []


class Node:
    """One element: its tag, attributes, text, children, and the 0-based lines of its start and end tags."""

    __slots__ = ("tag", "attrs", "text", "line", "end", "kids")

    def __init__(self, tag: str, attrs: list, line: int):  # (``parse_xml`` sets the same slots itself)
        self.tag = tag
        self.attrs = attrs  # [name, value, name, value, ...] (expat's ordered attributes)
        self.text = ""
        self.line = line
        self.end = line
        self.kids: list[Node] = _NO_KIDS  # (a leaf shares one empty list until a child arrives)

    def __repr__(self) -> str:
        return "<%s@%d>" % (self.tag, self.line + 1)

    @property
    def value(self) -> str:
        """The element's text, stripped."""
        return self.text.strip()

    def child(self, tag: str) -> "Node | None":
        """The first child element named ``tag``."""
        for k in self.kids:
            if k.tag == tag:
                return k
        return None

    def children(self, tag: str) -> list["Node"]:
        """Every child element named ``tag``, in order."""
        return [k for k in self.kids if k.tag == tag]

    def get(self, tag: str, default: str | None = None) -> str | None:
        """The stripped text of the first child named ``tag`` (``default`` when there is none)."""
        k = self.child(tag)
        return default if k is None else k.text.strip()

    def attr(self, name: str) -> str | None:
        a = self.attrs
        for i in range(0, len(a), 2):
            if a[i] == name:
                return a[i + 1]
        return None

    def walk(self):
        """This element and all below it, in document order."""
        stack = [self]
        while stack:
            n = stack.pop()
            yield n
            stack.extend(reversed(n.kids))


class Document:
    """A parsed config.xml: the root element, the lines that are not elements, and the watched elements."""

    def __init__(self, root: Node, decl: list[int], comments: list[tuple[int, int]], other: list[int],
                 watched: list[Node]):
        self.root = root
        self.decl = decl  # lines of the XML declaration
        self.comments = comments  # (first line, last line) of each comment
        self.other = other  # lines of processing instructions
        self.watched = watched  # the elements whose tag ``watch`` picked, in document order


class _TooDeep(Exception):
    pass


def parse_xml(text: str, path: str, watch: Callable[[str], bool] | None = None) -> Document:
    """``text`` -> ``Document``; ``InputError`` for anything that is not safe, well-formed XML.

    ``watch(tag)`` picks elements to list in ``Document.watched`` as they are read (e.g. the ones
    holding secrets), so that nobody walks the whole tree for them again.
    """
    data = text.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise InputError("%s is larger than %d MiB, the limit for config.xml" % (path, MAX_BYTES >> 20))
    p = DefusedXMLParser(encoding="utf-8", forbid_dtd=True)
    x = p.parser
    x.buffer_text = True
    x.ordered_attributes = True
    x.DefaultHandlerExpand = None  # (ElementTree's handler for what no other handler takes: nothing we read)
    # a sentinel parent for the root element(s), so that every element has a parent on the stack
    top = Node("", _NO_ATTRS, 0)
    top.kids = []
    roots = top.kids
    stack: list[Node] = [top]
    decl: list[int] = []
    comments: list[tuple[int, int]] = []
    other: list[int] = []
    watched: list[Node] = []
    seen: dict[str, bool] = {}
    push, pop = stack.append, stack.pop
    new = object.__new__
    depth_max = MAX_DEPTH + 1

    # Text is kept only while an element has no child element (the whitespace between child
    # elements is not): the character handler is on from an element's start tag to the next end
    # tag, so that expat does not call Python for the text between siblings at all.
    def start(tag, attrs):
        n = new(Node)  # (as Node(tag, attrs, line), without a Python call of __init__ for each element)
        n.tag = tag
        n.attrs = attrs or _NO_ATTRS
        n.text = ""
        n.line = x.CurrentLineNumber - 1  # (and ``end``, at the end tag)
        n.kids = _NO_KIDS
        p = stack[-1]
        if p.kids is _NO_KIDS:
            p.kids = [n]
        else:
            p.kids.append(n)
        push(n)
        if len(stack) > depth_max:
            raise _TooDeep()
        if watch is not None:
            w = seen.get(tag)
            if w is None:
                w = seen[tag] = watch(tag)
            if w:
                watched.append(n)
        x.CharacterDataHandler = chars

    def end(tag):
        pop().end = x.CurrentLineNumber - 1
        x.CharacterDataHandler = None

    def chars(s):
        stack[-1].text += s

    def comment(s):
        first = x.CurrentLineNumber - 1
        comments.append((first, first + s.count("\n")))

    x.StartElementHandler = start
    x.EndElementHandler = end
    x.CharacterDataHandler = None
    x.CommentHandler = comment
    x.XmlDeclHandler = lambda *a: decl.append(x.CurrentLineNumber - 1)
    x.ProcessingInstructionHandler = lambda *a: other.append(x.CurrentLineNumber - 1)
    try:
        x.Parse(data, True)
    except expat.ExpatError as e:
        raise InputError("%s is not well-formed XML (line %d: %s)" % (path, e.lineno, expat.errors.messages[e.code])) \
            from None
    except _TooDeep:
        raise InputError("%s nests XML elements more than %d deep" % (path, MAX_DEPTH)) from None
    except DefusedXmlException:
        raise InputError("%s declares a DTD or entities: refused (a config.xml has none)" % path) from None
    if not roots:
        raise InputError("%s has no XML element" % path)
    return Document(roots[0], decl, comments, other, watched)

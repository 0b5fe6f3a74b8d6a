"""``parse_xml``'s tree against a straightforward expat reader written here, on drawn documents.

The reference drives expat itself, one handler per event, and keeps what ``xmltree.Node`` promises:
each element's tag, attributes, text (the character data before its first child element), the 0-based
line of its start tag and of its end tag (for ``<a/>``, where expat reports its end: the line of ``/>``);
the lines of the XML declaration, of each comment (first and last) and of each processing instruction.
The documents mix what config.xml files and hand edits hold: comments, CDATA sections and processing
instructions (all three may contain ``<`` and line breaks), self-closing tags, attributes (with ``>``,
``/>``, quotes and entities in their values), text over several lines, entities, and tags split over
lines.  Also the refusals: a DTD, wherever the prolog puts it, is one ``InputError`` line.
"""

from __future__ import annotations

from xml.parsers import expat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import InputError
from parsers.pfsense.xmltree import parse_xml


def reference(text: str):
    """(elements in document order as (tag, attrs, text, line, end), decl lines, comments, PI lines)."""
    x = expat.ParserCreate("utf-8", "}")
    x.ordered_attributes = True
    out: list[list] = []
    stack: list[list] = []
    has_kids: list[bool] = []
    decl: list[int] = []
    comments: list[tuple[int, int]] = []
    pis: list[int] = []

    def start(tag, attrs):
        if has_kids:
            has_kids[-1] = True
        e = [tag, list(attrs), "", x.CurrentLineNumber - 1, None]
        out.append(e)
        stack.append(e)
        has_kids.append(False)

    def end(tag):
        stack.pop()[4] = x.CurrentLineNumber - 1
        has_kids.pop()

    def chars(s):
        if stack and not has_kids[-1]:
            stack[-1][2] += s

    def comment(s):
        first = x.CurrentLineNumber - 1
        comments.append((first, first + s.count("\n")))

    x.StartElementHandler = start
    x.EndElementHandler = end
    x.CharacterDataHandler = chars
    x.CommentHandler = comment
    x.XmlDeclHandler = lambda *a: decl.append(x.CurrentLineNumber - 1)
    x.ProcessingInstructionHandler = lambda *a: pis.append(x.CurrentLineNumber - 1)
    x.Parse(text.encode("utf-8"), True)
    return [tuple(e) for e in out], decl, comments, pis


def tree(text: str):
    doc = parse_xml(text, "t.xml")
    got = [(n.tag, list(n.attrs), n.text, n.line, n.end) for n in doc.root.walk()]
    return got, doc.decl, doc.comments, doc.other


# --- drawn documents ----------------------------------------------------------------------------
SP = st.sampled_from(["", " ", "\n", " \n\t", "\n\n"])
NAMES = st.sampled_from(["rule", "a", "descr", "x-y", "n.1", "_k", "tracker"])


def _pieces(pieces: list[str], n: int):
    return st.lists(st.sampled_from(pieces), max_size=n).map("".join)


TEXT = _pieces(list("ab /=>\"'-]?!\t\n") + ["&lt;", "&amp;", "&gt;", "&quot;", "&#65;", "]]"], 12)
# inside a CDATA section, a comment, a processing instruction: anything but their terminators
RAW = _pieces(list("ab <>/&!?-[]'\"\n") + ["<a>", "</a>", "<!--", "<![CDATA[", "<?p", "<!DOCTYPE x>"], 14)
ATTR_VALUE = _pieces(list("ab />=-'\n\t") + ["&lt;", "&amp;", "&#10;"], 8)


@st.composite
def attributes(draw):
    names = draw(st.lists(st.sampled_from(["id", "x", "y-z", "a.b"]), unique=True, max_size=3))
    out = ""
    for n in names:
        v = draw(ATTR_VALUE)
        q = '"' if '"' not in v else "'"
        v = v.replace(q, "")
        out += draw(st.sampled_from([" ", "\n ", "\t"])) + n + draw(st.sampled_from(["=", " = ", "\n=\n"])) + q + v + q
    return out


@st.composite
def misc(draw):
    """A comment, a CDATA section or a processing instruction (``cdata`` only inside an element)."""
    kind = draw(st.sampled_from(["comment", "pi", "cdata"]))
    raw = draw(RAW)
    if kind == "comment":
        body = raw.replace("--", "- -")
        return "<!--" + (body + " " if body.endswith("-") else body) + "-->"
    if kind == "pi":
        return "<?" + draw(st.sampled_from(["p", "php", "x-y"])) + " " + raw.replace("?>", "? >") + "?>"
    return "<![CDATA[" + raw.replace("]]>", "]] >") + "]]>"


def element(depth: int):
    @st.composite
    def draw_element(draw):
        tag = draw(NAMES)
        head = "<" + tag + draw(attributes()) + draw(SP)
        if draw(st.integers(0, 5)) == 0:
            return head + "/>"
        parts = []
        for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
            parts.append(draw(st.one_of(TEXT, misc(), element(depth + 1))))
        return head + ">" + "".join(parts) + "</" + tag + draw(SP) + ">"
    return draw_element()


@st.composite
def documents(draw):
    prolog = draw(st.sampled_from(["", '<?xml version="1.0"?>\n', '<?xml version="1.0" encoding="UTF-8"?>']))
    for _ in range(draw(st.integers(0, 2))):
        m = draw(misc())
        if not m.startswith("<![CDATA["):
            prolog += draw(SP) + m
    epilog = ""
    for _ in range(draw(st.integers(0, 2))):
        m = draw(misc())
        if not m.startswith("<![CDATA["):
            epilog += draw(SP) + m
    return prolog + draw(SP) + draw(element(0)) + epilog + draw(SP)


@settings(max_examples=400, deadline=None)
@given(documents())
def test_lines_text_and_attributes_match_expat(doc):
    try:
        want = reference(doc)
    except expat.ExpatError:
        with pytest.raises(InputError):
            parse_xml(doc, "t.xml")
        return
    assert tree(doc) == want


def test_the_reference_sees_what_the_drawn_documents_hold():
    doc = ('<?xml version="1.0"?>\n<!-- c\n<a> -->\n<r\n id="1/>"\n>t<![CDATA[ <x>\n]]>u<?p <q>\n?>'
           "<a/><b\n/><c x='>'\n>v\n</c\n>\n</r>")
    got, decl, comments, pis = tree(doc)
    assert got == [("r", ["id", "1/>"], "t <x>\nu", 3, 12), ("a", [], "", 7, 7), ("b", [], "", 7, 8),
                   ("c", ["x", ">"], "v\n", 8, 10)]
    assert (decl, comments, pis) == ([0], [(1, 2)], [6])
    assert reference(doc) == (got, decl, comments, pis)


@pytest.mark.parametrize("prolog", [
    "", '<?xml version="1.0"?>', '<?xml version="1.0"?>\n<!-- backup -->\n', "\ufeff", "<?pi x?>\n \n",
])
@pytest.mark.parametrize("dtd", [
    '<!DOCTYPE pfsense [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE pfsense [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE pfsense SYSTEM "http://example.invalid/x.dtd">',
    '<!DOCTYPE pfsense [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>',
    "<!DOCTYPE pfsense>",
])
def test_every_dtd_is_refused_with_one_line(prolog, dtd):
    with pytest.raises(InputError) as e:
        parse_xml(prolog + dtd + "\n<pfsense>&b;&x;</pfsense>\n", "x.xml")
    assert "DTD" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("body", [
    "<descr><![CDATA[<!DOCTYPE x [<!ENTITY a 'b'>]>]]></descr>",
    "<!-- <!DOCTYPE x [<!ENTITY a 'b'>]> -->",
    "<descr>&lt;!DOCTYPE x&gt;</descr>",
])
def test_a_dtd_quoted_in_the_body_is_only_text(body):
    doc = parse_xml("<pfsense>%s</pfsense>" % body, "x.xml")
    assert doc.root.tag == "pfsense"


def test_undeclared_entities_are_malformed_xml():
    with pytest.raises(InputError) as e:
        parse_xml("<pfsense>\n<a>&xxe;</a>\n</pfsense>", "x.xml")
    assert "not well-formed" in str(e.value) and "line 2" in str(e.value)

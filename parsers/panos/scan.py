"""PAN-OS configuration text, in any of its three forms, read as statements.

PAN-OS keeps one configuration tree and writes it three ways:

* **XML**: the running or saved configuration (``show config running`` in XML output,
  ``running-config.xml``, the XML API export), ``<config><devices><entry
  name="localhost.localdomain"><vsys><entry name="vsys1">...``;
* **set commands**: ``set cli config-output-format set``, then ``show`` in configuration
  mode: one leaf per line, ``set rulebase security rules R1 from trust``;
* **hierarchical text**: the CLI's default output format, ``name { ... }``, ``key value;``,
  ``key [ a b ];`` (as in Batfish's and netutils' PAN-OS test configs).

Each form is read into the same *statements*: ``(scope, words, first, last, anchors)``.
``words`` is the path from the scope down to a leaf, the leaf's value last; a list of members
(``[ a b ]``, ``<member>`` elements) is one Python list as the last word.  ``scope`` says
whose statement it is: a vsys name (``vsys1``; a single-vsys ``set`` config's vsys-level
commands are ``vsys1``'s), ``SHARED`` (``config/shared``), ``DEVICE`` (``deviceconfig``,
``network``, ``mgt-config``: the device itself), ``PANORAMA`` (``policy/panorama``, the rules
and objects Panorama pushed), or ``OTHER`` (anything else at the top).  ``first``/``last``
are the 0-based lines the statement spans; ``anchors`` (XML and hierarchical forms) the line
where each word of ``words`` was opened (an ``<entry name="R1">`` line for the word ``R1``),
or ``None`` (``set`` form: every word is on ``first``).

The XML is read with defusedxml's protections (no DTD, no entity declarations, no external
references), at most ``MAX_DEPTH`` elements deep and ``MAX_CHARS`` characters long: anything
else is ``InputError`` with one line.  ``structure`` lists the lines that only open or close
a block, hold a comment or the XML declaration: they carry no setting of their own.
"""

from __future__ import annotations

import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field

from auditor.core.model import Impact, Source
from auditor.core.secrets import MASK, redact
from parsers.kit import InputError, Lines

SHARED = "@shared"
DEVICE = "@device"
PANORAMA = "@panorama"
OTHER = "@other"
DEFAULT_VSYS = "vsys1"

MAX_DEPTH = 64
MAX_CHARS = 200_000_000

# the first word of a device-level statement (the rest, in a single-vsys 'set' config, is vsys1's)
DEVICE_TOP = frozenset({"deviceconfig", "network", "mgt-config", "platform", "readonly"})


@dataclass
class Scan:
    """What a reader found: the statements, the structure-only lines, the form."""

    form: str  # xml | set | tree
    statements: list = field(default_factory=list)
    structure: list = field(default_factory=list)  # line indexes holding only block syntax or comments
    comments: list = field(default_factory=list)  # line indexes holding only a comment


# the command a collector (RANCID, Oxidized) or a paste leaves above the output: "show config running"
# ('show config pushed-shared-policy vsys vsys1' too)
_SHOW = re.compile(r"show config(?:uration)?(?: [\w-]+)*$")
# what else a CLI session leaves around the configuration, once its prompts are gone: the commands typed
# ('set cli config-output-format set', 'configure', 'show') and what PAN-OS answers on entering and leaving
# configuration mode ('Entering configuration mode', '[edit]', 'Exiting configuration mode')
_SESSION = frozenset(("[edit]", "configure", "exit", "quit", "show", "Entering configuration mode",
                      "Exiting configuration mode"))


def session_line(s: str) -> bool:
    """``s`` (a stripped line) is a command typed or an answer of the CLI session, not configuration."""
    return s in _SESSION or s.startswith("set cli ") or _SHOW.match(s) is not None


def form_of(text: str) -> str | None:
    """``xml``, ``set`` or ``tree`` (hierarchical) from the text's first significant line."""
    for raw in text[:20000].splitlines():
        s = raw.strip().lstrip("\ufeff")
        if not s or s[0] in "#!" or session_line(s):
            continue
        if s.startswith("<"):
            return "xml"
        if s.startswith("set "):
            return "set"
        if s.endswith("{"):
            return "tree"
        return None
    return None


def read(text: str, lines: list[str], sink=None, fast_rule=None, fast_setting=None) -> Scan:
    """The statements of ``text`` (``lines`` is ``text.splitlines()``), given to ``sink`` one by
    one in the order of the text (default: kept in ``Scan.statements``).  ``fast_rule(rest, line)``,
    when given, may take a ``set`` form's one-setting security rule command (``rest`` follows
    ``rules``) directly, returning true when it did: the bulk of a large config, read without
    building a statement for each line; ``fast_setting(vsys, rule, anchor, key, value, first, last)``
    likewise an XML security rule's leaf setting."""
    form = form_of(text)
    if form == "xml":
        return read_xml(text, sink, fast_setting)
    if form == "set":
        return read_set(lines, sink, fast_rule)
    if form == "tree":
        return read_tree(text, sink)
    raise InputError("not a PAN-OS configuration (expected XML, 'set' commands or the hierarchical form)")


# --- canonical scope ---------------------------------------------------------------------

def canon_tree(words: list, anchors: list | None) -> tuple:
    """Scope and scope-relative words of a full path (XML and hierarchical forms)."""
    n = len(words)
    w0 = words[0]
    if w0 == "response" and n > 2 and words[1] == "result":
        # the XML API's answer: <response status="success"><result><config>... (type=config&action=show)
        words, anchors = words[2:], anchors[2:] if anchors else anchors
        n -= 2
        w0 = words[0]
    if w0 == "config" and n > 1:
        w1 = words[1]
        if w1 == "devices" and n > 2:
            if n > 4 and words[3] == "vsys" and isinstance(words[4], str):
                return words[4], words[5:], anchors[5:] if anchors else None
            return DEVICE, words[3:], anchors[3:] if anchors else None
        if w1 == "shared":
            return SHARED, words[2:], anchors[2:] if anchors else None
        if w1 == "mgt-config":
            return DEVICE, words[1:], anchors[1:] if anchors else None
        return OTHER, words, anchors
    if w0 == "policy" and n > 1 and words[1] == "panorama":
        return PANORAMA, words[2:], anchors[2:] if anchors else None
    if isinstance(w0, str) and w0 not in ("config", "policy"):
        # the hierarchical form 'show' prints in configuration mode: the top level is the set form's
        # ('deviceconfig {', 'network {', 'rulebase {', 'vsys { vsys2 {')
        scope, rel = canon_set(words)
        k = n - len(rel)
        return scope, rel, anchors[k:] if anchors else None
    return OTHER, words, anchors


def canon_set(words: list) -> tuple:
    """Scope and scope-relative words of a ``set`` command's words (after ``set``)."""
    w0 = words[0] if words else ""
    if not isinstance(w0, str):
        return OTHER, words  # (a '[ ]' list where the first name belongs: reported as not understood)
    if w0 in DEVICE_TOP:
        return DEVICE, words
    if w0 == "vsys" and len(words) > 1 and isinstance(words[1], str):
        return words[1], words[2:]  # ('set vsys vsys2' alone: the vsys, with nothing in it)
    if w0 == "shared":
        return SHARED, words[1:]
    if w0 == "policy" and len(words) > 1 and words[1] == "panorama":
        return PANORAMA, words[2:]
    if w0 in ("device-group", "template", "template-stack", "panorama", "log-collector"):
        return OTHER, words
    if w0 == "config" and len(words) > 1:  # the full path, as the XML's ('set config devices localhost...')
        scope, rel, _a = canon_tree(words, None)
        return scope, rel
    return DEFAULT_VSYS, words


# --- set commands --------------------------------------------------------------------------

_PROMPT = re.compile(r"^\S+@\S+[#>]")


def split_words(s: str) -> list:
    """A command's words: ``"quoted words"`` are one word, ``[ a b ]`` one list.

    Inside double quotes a backslash escapes a double quote or a backslash (``"{\\"k\\": 1}"`` is the
    word ``{"k": 1}``), as the hierarchical form's quoted strings are read (``_TREE_TOKEN``) and as admins
    write a JSON payload; a backslash before any other character is itself (``"CORP\\j doe"``)."""
    if '"' not in s and "'" not in s:
        if "[" not in s:
            return s.split() if "]" not in s else s.replace("]", " ").split()
        out: list = []
        rest = s
        while "[" in rest:
            pre, _, rest = rest.partition("[")
            inner, _, rest = rest.partition("]")
            out.extend(pre.split())
            out.append(inner.split())
        out.extend(rest.replace("]", " ").split())
        return out
    toks: list = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in " \t":
            i += 1
        elif c == "'":
            j = s.find(c, i + 1)
            if j < 0:
                j = n
            toks.append(("q", s[i + 1:j]))
            i = j + 1
        elif c == '"':
            j, word = _double_quoted(s, i + 1)
            toks.append(("q", word))
            i = j + 1
        elif c in "[]":
            toks.append(c)
            i += 1
        else:
            j = i
            while j < n and s[j] not in " \t[]\"'":
                j += 1
            toks.append(s[i:j])
            i = j
    out = []
    cur: list | None = None
    for t in toks:
        if isinstance(t, tuple):
            (out if cur is None else cur).append(t[1])
        elif t == "[" and cur is None:
            cur = []
        elif t == "]" and cur is not None:
            out.append(cur)
            cur = None
        elif t not in "[]":
            (out if cur is None else cur).append(t)
    if cur is not None:
        out.append(cur)
    return out


def _double_quoted(s: str, i: int) -> tuple[int, str]:
    """The double-quoted word starting at ``s[i]`` (after its opening quote): where its closing quote
    is (``len(s)`` when none is) and its text, ``\\"`` and ``\\\\`` read as the character escaped."""
    out = []
    n = len(s)
    while i < n:
        c = s[i]
        if c == '"':
            break
        if c == "\\" and i + 1 < n and s[i + 1] in '"\\':
            out.append(s[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return i, "".join(out)


def _quote_left_open(s: str) -> bool:
    """Whether a double quote opened in ``s`` is not closed on it (an escaped quote neither opens nor closes)."""
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == '"':
            i = _double_quoted(s, i + 1)[0]
            if i >= n:
                return True
        elif c == "'":
            j = s.find("'", i + 1)
            i = n if j < 0 else j
        i += 1
    return False


_RULE_PREFIX = "set rulebase security rules "


def quoted_value_end(lines: list[str], i: int) -> int:
    """The line that closes the double quote left open at the end of line ``i`` (``i`` when no
    later line does)."""
    for j in range(i + 1, len(lines)):
        if '"' in lines[j]:
            return j
    return i


def read_set(lines: list[str], sink=None, fast_rule=None) -> Scan:
    """``set`` commands, one a line."""
    out = Scan("set")
    st = out.statements
    emit = sink or st.append
    n = len(_RULE_PREFIX)
    skip = -1  # the last line of a quoted value over several lines already read
    for i, raw in enumerate(lines):
        if i <= skip:
            continue
        s = raw.strip()
        if not s:
            continue
        if '"' in s and s.startswith("set ") and _quote_left_open(s):
            last = quoted_value_end(lines, i)
            if last > i:
                # a value over several lines (a certificate, a key): one statement, its lines kept
                skip = last
                words = split_words("\n".join([s] + lines[i + 1:last + 1])[4:])
                scope, rel = canon_set(words) if words else (OTHER, ["set"])
                emit((scope, rel, i, last, None))
                continue
        if fast_rule is not None and s.startswith(_RULE_PREFIX) and fast_rule(s[n:], i):
            continue
        if s[0] in "#!":  # (a comment; '!RANCID-CONTENT-TYPE: paloalto', the header RANCID writes)
            out.comments.append(i)
            continue
        if not s.startswith("set "):
            if _PROMPT.match(s) or session_line(s):
                out.comments.append(i)
            else:
                emit((OTHER, split_words(s), i, i, None))
            continue
        words = split_words(s[4:])
        if not words:
            emit((OTHER, ["set"], i, i, None))
            continue
        if words[0] == "cli":  # ('set cli config-output-format set': the session's output format, typed)
            out.comments.append(i)
            continue
        scope, rel = canon_set(words)
        emit((scope, rel, i, i, None))
    return out


# --- hierarchical text ---------------------------------------------------------------------

# (a comment line, or a line of the CLI session around the configuration: ``session_line``)
_SESSION_WORDS = "|".join(map(re.escape, sorted(_SESSION, key=lambda w: (-len(w), w))))
_TREE_TOKEN = re.compile(r'(?m)(^[ \t]*(?:[#!]|show config\b|set cli\b|(?:%s)[ \t\r]*$)[^\n]*)|'
                         r'"(?:[^"\\]|\\.)*"|[{};\[\]]|[^\s{};\[\]"]+|\n' % _SESSION_WORDS)


def read_tree(text: str, sink=None) -> Scan:
    """The hierarchical form: ``a { b c; d [ e f ]; }``."""
    out = Scan("tree")
    emit_st = sink or out.statements.append
    path: list = []  # words of the open blocks
    anchors: list = []  # the line each of those words is on
    opened: list[int] = []  # per open block: how many words it added to the path
    cur: list = []  # the statement being read
    cur_lines: list = []
    members: list | None = None
    first = -1
    line = 0

    def emit(last: int) -> None:
        scope, rel, ranc = canon_tree(path + cur, anchors + cur_lines)
        emit_st((scope, rel, first, last, ranc))

    for m in _TREE_TOKEN.finditer(text):
        t = m.group()
        if t == "\n":
            line += 1
            continue
        if m.lastindex == 1:  # a comment line
            out.comments.append(line)
            continue
        c = t[0]
        if c == "{" and len(t) == 1:
            path.extend(cur)
            anchors.extend(cur_lines)
            opened.append(len(cur))
            out.structure.append(line)
            cur, cur_lines, first = [], [], -1
        elif c == "}" and len(t) == 1:
            out.structure.append(line)
            if cur:
                emit(line)
                cur, cur_lines = [], []
            k = opened.pop() if opened else 0
            if k:
                del path[-k:]
                del anchors[-k:]
            first = -1
        elif c == ";" and len(t) == 1:
            if cur:
                emit(line)
            cur, cur_lines, first = [], [], -1
        elif c == "[" and len(t) == 1:
            members = []
            if first < 0:
                first = line
        elif c == "]" and len(t) == 1:
            cur.append(members or [])
            cur_lines.append(line)
            members = None
        else:
            if first < 0:
                first = line
            word = _double_quoted(t, 1)[1] if c == '"' else t
            if members is not None:
                members.append(word)
            else:
                cur.append(word)
                cur_lines.append(line)
            if c == '"':
                line += t.count("\n")
    if cur:
        # (a statement left open at the end: the text's last newline has been counted past its last line)
        emit(min(line, text.count("\n") - text.endswith("\n")))
    return out


# --- XML -----------------------------------------------------------------------------------

def _defused(p) -> None:
    """defusedxml's refusals on a pyexpat parser: no DTD, no entity declarations, no external
    references (billion laughs, quadratic blowup, XXE)."""
    from defusedxml.expatreader import DefusedExpatParser

    d = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    p.StartDoctypeDeclHandler = d.defused_start_doctype_decl
    p.EntityDeclHandler = d.defused_entity_decl
    p.UnparsedEntityDeclHandler = d.defused_unparsed_entity_decl
    p.ExternalEntityRefHandler = d.defused_external_entity_ref_handler


def read_xml(text: str, sink=None, fast_setting=None) -> Scan:
    """XML: ``<entry name="X">`` is the word X, ``<member>`` elements make a list."""
    if len(text) > MAX_CHARS:
        raise InputError("the XML configuration is larger than %d characters" % MAX_CHARS)
    out = Scan("xml")
    emit = sink or out.statements.append
    structure = out.structure
    path: list = []  # words of the open elements (an entry's name, else its tag)
    anchors: list = []  # the line each open element started on
    kids: list = []  # per open element: has it element children?
    texts: list = []  # per open element: its character data, when collecting
    members: list = []  # per open element: its <member> values (None until one is seen)
    p = expat.ParserCreate()
    p.buffer_text = True
    p.ordered_attributes = False
    _defused(p)

    def start(tag, attrs, path=path, anchors=anchors, kids=kids, texts=texts, members=members):
        line = p.CurrentLineNumber - 1
        if kids:
            kids[-1] = True
        if tag == "member":
            if not members:
                raise InputError("a <member> element outside any setting: not a PAN-OS configuration")
            if members[-1] is None:
                members[-1] = []
            path.append(None)
        elif tag == "entry":
            name = attrs.get("name")
            path.append(name if name is not None else "entry")
        else:
            path.append(tag)
        if len(path) > MAX_DEPTH:
            raise InputError("the XML configuration is nested more than %d elements deep" % MAX_DEPTH)
        anchors.append(line)
        kids.append(False)
        texts.append([])
        members.append(None)

    def chars(data, texts=texts):
        texts[-1].append(data)

    def end(tag, path=path, anchors=anchors, kids=kids, texts=texts, members=members):
        line = p.CurrentLineNumber - 1
        word = path.pop()
        first = anchors.pop()
        had_kids = kids.pop()
        text = "".join(texts.pop()).strip()
        mem = members.pop()
        if word is None:  # a <member>: its value goes to the parent's list
            members[-1].append(text)
            return
        if fast_setting is not None and len(path) == 9 and (mem is not None or (text and not had_kids)) \
                and path[7] == "rules" and path[6] == "security" and path[5] == "rulebase" and path[3] == "vsys" \
                and path[0] == "config" and fast_setting(path[4], path[8], anchors[8], word,
                                                         mem if mem is not None else text, first, line):
            return
        if mem is not None:
            words = path + [word, mem]
            anc = anchors + [first, first]
        elif had_kids:
            structure.append(first)
            structure.append(line)
            return
        elif text:
            words = path + [word, text]
            anc = anchors + [first, first]
        else:
            words = path + [word]
            anc = anchors + [first]
        scope, rel, ranc = canon_tree(words, anc)
        emit((scope, rel, first, line, ranc))

    def comment(data):
        line = p.CurrentLineNumber - 1
        out.comments.extend(range(line - data.count("\n"), line + 1))

    def decl(*_a):
        structure.append(p.CurrentLineNumber - 1)

    if not text[:4096].lstrip("\ufeff \t\r\n").startswith("<") or not text[-4096:].rstrip().endswith(">"):
        text = _session_blanked(text, out)
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.CommentHandler = comment
    p.XmlDeclHandler = decl
    p.ProcessingInstructionHandler = lambda *_a: structure.append(p.CurrentLineNumber - 1)
    try:
        p.Parse(text.lstrip("\ufeff"), True)
    except expat.ExpatError as e:
        raise InputError("not well-formed XML (line %d: %s)" % (e.lineno, expat.ErrorString(e.code))) from None
    except ValueError:  # defusedxml's DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
        raise InputError("the XML declares a DTD, entities or external references: refused (a PAN-OS "
                         "configuration has none)") from None
    return out


def _session_blanked(text: str, out: Scan) -> str:
    """``text`` with the lines of a CLI session around the XML blanked, each line keeping its number: above
    it those ``form_of`` skips (a collector's header, the commands typed: 'show config running'), below it
    what the session printed after it ('[edit]', 'Exiting configuration mode'); they are comments."""
    ls = text.split("\n")
    k = next((i for i, ln in enumerate(ls) if ln.strip().lstrip("\ufeff").startswith("<")), 0)
    out.comments.extend(i for i in range(k) if ls[i].strip())
    if ls[k].lstrip().lstrip("\ufeff").startswith("<?xml") and "?>" in ls[k]:
        # (an XML declaration is only allowed at the start of the text: the line keeps what follows it)
        out.structure.append(k)
        ls[k] = ls[k][ls[k].index("?>") + 2:]
    end = max((i for i, ln in enumerate(ls) if ln.rstrip().endswith(">")), default=len(ls))
    after = [i for i in range(end + 1, len(ls)) if ls[i].strip()]
    if all(session_line(ls[i].strip()) for i in after):
        out.comments.extend(after)
        ls[end + 1:] = [""] * (len(ls) - end - 1)
    return "\n" * k + "\n".join(ls[k:])


# --- lines, with PAN-OS's own secrets redacted too -------------------------------------------

_WORD_SECRET = re.compile(r"(?i)\b((?:p|auth|priv)?hash|authpwd|privpwd|[\w-]*passw\w*)(\s+)\S.*$")
_TRIGGERS = ("pass", "pwd", "secret", "key", "hash", "communit", "psk", "token")


def redact_more(text: str) -> str:
    """PAN-OS secrets the shared redaction does not know: ``phash``/``authpwd`` words and the value
    after them (the shared redaction hides XML elements naming a secret: ``<phash>``, ``<key>``)."""
    low = text.lower()
    for w in _TRIGGERS:
        if w in low:
            break
    else:
        return text
    return _WORD_SECRET.sub(lambda m: m.group(1) + m.group(2) + "<redacted>", text)


_OPEN_SECRET = re.compile(r"<([\w.:-]*(?:pass|pwd|secret|key|hash|communit|psk|token)[\w.:-]*)(?:\s[^>]*)?(?<!/)>",
                          re.I)


_SECRET_WORD = re.compile(r"(?i)pass|pwd|secret|key|hash|communit|psk|token")


def spanning_secrets(raw: list[str], xml: bool) -> dict[int, str]:
    """The lines inside an element that names a secret and runs over several lines (a
    ``<private-key>`` and its PEM body), as they are quoted: the element's text masked, its end
    tag kept (``<redacted></private-key>``); the element's first line is redacted as any other.
    The same for a ``set`` command's quoted value over several lines (``set shared certificate C
    private-key "-----BEGIN ...``): its lines masked, the closing quote kept."""
    if not xml:
        return _spanning_set_values(raw)
    out: dict[int, str] = {}
    tag = None
    for i, line in enumerate(raw):
        if tag is not None:
            k = line.find("</" + tag)
            if k < 0:
                out[i] = MASK
                continue
            out[i] = MASK + line[k:].rstrip()
            tag = None
            line = line[k:]
        if "<" not in line:
            continue
        for m in _OPEN_SECRET.finditer(line):
            if "</" + m.group(1) not in line[m.end():]:
                tag = m.group(1)
                break
    return out


def _spanning_set_values(raw: list[str]) -> dict[int, str]:
    out: dict[int, str] = {}
    done = -1  # the last line of a value already read
    for i in [i for i, s in enumerate(raw) if '"' in s]:  # (the few lines with a quote, found at once)
        s = raw[i]
        if i > done and s.count('"') % 2 and s.lstrip().startswith("set ") and _SECRET_WORD.search(s):
            last = quoted_value_end(raw, i)
            for j in range(i + 1, last):
                out[j] = MASK
            if last > i:
                out[last] = MASK + raw[last][raw[last].index('"'):].rstrip()
            done = last
    return out


class PanLines(Lines):
    """``Lines`` with PAN-OS's secrets redacted as well, and statements spanning lines."""

    def __init__(self, text: str, path: str):
        super().__init__(text, path)
        self._sources: dict[int, Source] = {}  # line -> its Source, made once (an object's lines are
        # quoted by the rules that use it and again by the list of objects)
        # the lines inside a secret element over several lines (found with the first Source)
        self._spans: dict[int, str] | None = None

    def source(self, i: int) -> Source:
        """The line at ``i`` as a ``Source``, secrets redacted: the shared redaction, then PAN-OS's
        own (each returns a line without its trigger words at once; a list of trigger words kept
        here beside the shared one fell behind it once, and a URL's password leaked)."""
        got = self._sources.get(i)
        if got is None:
            if self._spans is None:
                self._spans = spanning_secrets(self.raw, form_of(self._text) == "xml") \
                    if "<" in self._text or '"' in self._text else {}
            raw = self.raw[i].rstrip() if 0 <= i < len(self.raw) else ""
            span = self._spans.get(i)
            if span is None:
                span = self._context.get(i)
            got = self._sources[i] = Source(self.path, i + 1, span if span is not None else redact_more(redact(raw)))
        return got

    def use_span(self, first: int, last: int) -> None:
        """Lines ``first``..``last`` built the model."""
        if first == last:
            if self.state[first] == 0:
                self.state[first] = 1
        else:
            self.use(first, last + 1)

    def ignore_span(self, first: int, last: int, why: str) -> None:
        """Lines ``first``..``last`` have no effect on filtering, because ``why``."""
        self.ignore(first, why, last + 1)

    def report_span(self, first: int, last: int, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        """CFG300 on ``first`` for a statement spanning ``first``..``last``."""
        self.unrecognized(self.source(first), why, impact, scope)
        if last > first:
            self.ignore(first + 1, "continues a statement reported at its first line", last + 1)

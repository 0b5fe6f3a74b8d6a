"""JSON with line numbers: every object and array knows the line it starts on, and each key or item its own.

Cloud exports (AWS, Azure, Check Point) are JSON; a finding must still point at a line, so
objects are ``JObj`` (a ``dict``) and arrays ``JArr`` (a ``list``) carrying their lines.
``JsonInput`` is the kit's ``Lines`` of such an input, with its value: the ``Source`` of a
line the reader gives and the one way to report what is not understood.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from typing import Any

from auditor.core.model import Impact, Source
from parsers.kit.lines import Lines


class JObj(dict):
    """A JSON object that knows its line and the line of each key."""

    __slots__ = ("line", "key_lines")

    def at(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class JArr(list):
    """A JSON array that knows its line and the line of each item."""

    __slots__ = ("line", "item_lines")


_STR = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUM = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WS = re.compile(r"[ \t\n\r]*")
_MAX_DEPTH = 400


class JsonError(ValueError):
    """Invalid JSON, with the line where it goes wrong."""

    def __init__(self, line: int, msg: str):
        super().__init__("line %d: %s" % (line, msg))
        self.line = line


class DuplicateKey(JsonError):
    """A key written twice in one object: JSON's names "SHOULD be unique" (RFC 8259, section 4), and a reader
    keeps one of the values (Python's the last), so the other's rules (a security group's first
    ``"IpPermissions"``) would be read as if they were not there."""

    def __init__(self, line: int, key: str, first: int):
        super().__init__(line, "key '%s' is written twice in one object (first on line %d): which one counts is "
                               "the reader's choice, so this input is not audited" % (key, first))


class _Reader:
    def __init__(self, text: str):
        self.s = text
        self.nl = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect_left(self.nl, pos) + 1

    def ws(self, pos: int) -> int:
        return _WS.match(self.s, pos).end()

    def fail(self, pos: int, msg: str):
        raise JsonError(self.line(min(pos, len(self.s))), msg)

    def value(self, pos: int, depth: int) -> tuple[Any, int]:
        s = self.s
        pos = self.ws(pos)
        if pos >= len(s):
            self.fail(pos, "unexpected end of input")
        c = s[pos]
        if c == "{":
            return self.obj(pos, depth + 1)
        if c == "[":
            return self.arr(pos, depth + 1)
        if c == '"':
            return self.string(pos)
        m = _NUM.match(s, pos)
        if m and m.end() > pos:
            t = m.group()
            return (float(t) if any(ch in t for ch in ".eE") else int(t)), m.end()
        for word, val in (("true", True), ("false", False), ("null", None)):
            if s.startswith(word, pos):
                return val, pos + len(word)
        self.fail(pos, "unexpected character %r" % c)

    def string(self, pos: int) -> tuple[str, int]:
        m = _STR.match(self.s, pos)
        if not m:
            self.fail(pos, "bad string")
        t = m.group()
        return (json.loads(t) if "\\" in t else t[1:-1]), m.end()

    def obj(self, pos: int, depth: int) -> tuple[JObj, int]:
        if depth > _MAX_DEPTH:
            self.fail(pos, "nested too deeply")
        o = JObj()
        o.line = self.line(pos)
        o.key_lines = {}
        s = self.s
        pos = self.ws(pos + 1)
        if pos < len(s) and s[pos] == "}":
            return o, pos + 1
        while True:
            if pos >= len(s) or s[pos] != '"':
                self.fail(pos, "expected a key")
            kline = self.line(pos)
            key, pos = self.string(pos)
            if key in o:
                raise DuplicateKey(kline, key, o.key_lines[key])
            pos = self.ws(pos)
            if pos >= len(s) or s[pos] != ":":
                self.fail(pos, "expected ':'")
            val, pos = self.value(pos + 1, depth)
            o[key] = val
            o.key_lines[key] = kline
            pos = self.ws(pos)
            if pos < len(s) and s[pos] == ",":
                pos = self.ws(pos + 1)
                continue
            if pos < len(s) and s[pos] == "}":
                return o, pos + 1
            self.fail(pos, "expected ',' or '}'")

    def arr(self, pos: int, depth: int) -> tuple[JArr, int]:
        if depth > _MAX_DEPTH:
            self.fail(pos, "nested too deeply")
        a = JArr()
        a.line = self.line(pos)
        a.item_lines = []
        s = self.s
        pos = self.ws(pos + 1)
        if pos < len(s) and s[pos] == "]":
            return a, pos + 1
        while True:
            a.item_lines.append(self.line(self.ws(pos)))
            val, pos = self.value(pos, depth)
            a.append(val)
            pos = self.ws(pos)
            if pos < len(s) and s[pos] == ",":
                pos += 1
                continue
            if pos < len(s) and s[pos] == "]":
                return a, pos + 1
            self.fail(pos, "expected ',' or ']'")


def load_json(text: str) -> Any:
    """Parse JSON text; objects are ``JObj`` and arrays ``JArr`` (with line numbers).

    Raises ``JsonError`` (a ``ValueError`` with ``.line``) for invalid JSON.
    """
    r = _Reader(text.lstrip("\ufeff"))
    val, pos = r.value(0, 0)
    pos = r.ws(pos)
    if pos != len(r.s):
        r.fail(pos, "extra data after the JSON value")
    return val


def line_of(container: Any, key: Any, fallback: int = 1) -> int:
    """The line where ``container[key]`` starts (key of an object, index of an array)."""
    if isinstance(container, JObj):
        return container.key_lines.get(key, container.line)
    if isinstance(container, JArr) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", fallback)


AVERAGE_LINE = 400  # a JSON text whose lines average more than this is compact: it is re-indented
COMPACT = "compact JSON: line numbers are those of the file re-indented (python -m json.tool --indent 4)"
_CHUNK = 1 << 22


def needs_reindent(text: str) -> bool:
    """Whether ``text`` puts whole records on a line (compact JSON, as ``terraform show -json``, ``jq -c``
    or an API reply saved as is write it): its lines are long on average (a short
    one-line text stays as it is: quoted whole, it is still short).  ("\\n" is counted only until
    there are enough of them for lines that short: a pretty-printed export has them in its first tenth,
    and one count of a 110 MB text is 0.1 s.)"""
    need = -(-len(text) // AVERAGE_LINE) - 1  # (the fewest newlines that make it not compact)
    got = 0
    for at in range(0, len(text), _CHUNK):
        got += text.count("\n", at, at + _CHUNK)
        if got >= need:
            return False
    return got < need


def reindent(data: Any) -> str:
    """``data`` as ``python -m json.tool --indent 4`` writes it (one key or item per line)."""
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


def _refuse(name: str):
    raise ValueError(name)


def unique_members(pairs: list) -> dict:
    """An object's members as ``json.loads`` gives them (``object_pairs_hook``), ``ValueError`` if a key is written
    twice (``DuplicateKey`` then names it, from the line-keeping reader)."""
    d = dict(pairs)
    if len(d) != len(pairs):
        raise ValueError("duplicate key")
    return d


def _reindented(text: str, path: str) -> tuple[str, Any]:
    """Compact ``text`` re-indented, and its value as the line-keeping reader reads it: the text is decoded
    once by the standard library's C reader and the re-indented text once by the line-keeping one.  JSON
    either refuses (NaN, nesting too deep, a key written twice) is the line-keeping reader's ``InputError`` on
    ``text`` itself, so that the error names the file's own line."""
    from parsers.kit.errors import InputError

    try:
        pretty = reindent(json.loads(text.lstrip("\ufeff"), parse_constant=_refuse, object_pairs_hook=unique_members))
        return pretty, json_input(pretty, path)
    except (ValueError, RecursionError, InputError):
        json_input(text, path)
        raise


def json_input(text: str, path: str) -> Any:
    """``load_json`` with errors as ``parsers.InputError``."""
    from parsers.kit.errors import InputError

    try:
        return load_json(text)
    except DuplicateKey as e:
        raise InputError("%s: %s" % (path, e)) from None
    except JsonError as e:
        raise InputError("%s is not valid JSON (%s)" % (path, e)) from None


def json_head(text: str) -> str | None:
    """The start of ``text`` that detection looks at, when it may be JSON (else None)."""
    head = text[:200000].lstrip("\ufeff \t\r\n")
    return head if head.startswith(("{", "[")) else None


# (the words of the shared redaction's ``_PAIR``: ``pw``/``pwd`` is password, as in ``DbPwd``, ``admin_pw``)
_SECRET_NAME = re.compile(r"(?i)pass|secret|token|key|psk|communit|credential|pw(?![a-ce-z])")


# Terraform's JSON marks what is sensitive beside the values (developer.hashicorp.com/terraform/internals/json-format):
# a resource's ``"sensitive_values"`` has the shape of its ``"values"``, ``true`` where a value is sensitive
# (``random_password``'s ``result``, a key vault secret's ``value``: no name says so); a change's
# ``"before_sensitive"``/``"after_sensitive"`` mark its ``"before"``/``"after"`` alike; an output is
# ``{"sensitive": true, "value": ...}``; a state file's instance lists the paths of its ``"attributes"`` that are
# sensitive in ``"sensitive_attributes"`` (``[[{"type": "get_attr", "value": "result"}], ...]``).  ``terraform show
# -json`` writes those values in clear ("any sensitive values in Terraform state will be displayed in plain text").
_TF_MARKS = (("values", "sensitive_values"), ("before", "before_sensitive"), ("after", "after_sensitive"))


# members whose whole value is secret (``secret_lines``), as named lower-cased without "_"
_WHOLE_SECRETS = frozenset({"protectedsettings", "userdata", "userdatabase64", "customdata"})


def _all_lines(value: Any, line: int, out: set[int]) -> None:
    """``line`` (where ``value`` starts) and the line of every member and item inside ``value``."""
    out.add(line)
    stack = [value]
    while stack:
        x = stack.pop()
        if isinstance(x, JObj):
            out.update(x.key_lines.values())
            stack.extend(x.values())
        elif isinstance(x, JArr):
            out.update(x.item_lines)
            stack.extend(x)


def _marked_lines(container: Any, key: Any, mark: Any, out: set[int]) -> None:
    """The lines of ``container[key]`` that ``mark`` (a Terraform sensitivity of the same shape) says are sensitive."""
    if isinstance(container, JObj):
        if key not in container:
            return
        value, line = container[key], container.at(key)
    elif isinstance(container, JArr) and isinstance(key, int) and 0 <= key < len(container):
        value, line = container[key], line_of(container, key)
    else:
        return
    if mark is True:
        _all_lines(value, line, out)
    elif isinstance(mark, dict) and isinstance(value, JObj):
        for k, m in mark.items():
            _marked_lines(value, k, m, out)
    elif isinstance(mark, list) and isinstance(value, JArr):
        for i, m in enumerate(mark):
            _marked_lines(value, i, m, out)


def _state_path_lines(attributes: JObj, path: Any, out: set[int]) -> None:
    """The lines of the value at ``path`` (a state file's ``sensitive_attributes`` entry: steps ``get_attr`` a name,
    ``index`` a key or a position) in ``attributes``."""
    steps = path if isinstance(path, list) else [path]
    container: Any = attributes
    for n, step in enumerate(steps):
        if not isinstance(step, dict):
            return
        key = step.get("value")
        if step.get("type") == "index" and isinstance(key, dict):
            key = key.get("value")
        if n == len(steps) - 1:
            _marked_lines(container, key, True, out)
        elif isinstance(container, JObj) and isinstance(key, str) and key in container:
            container = container[key]
        elif isinstance(container, JArr) and isinstance(key, int) and 0 <= key < len(container):
            container = container[key]
        else:
            return


def secret_lines(data: Any) -> set[int]:
    """Lines of values that a sibling member names as secret, as cloud tags are written
    (``{"Key": "db_password", "Value": "..."}``), the default or value of a template parameter
    that is secret (CloudFormation's ``"DBPassword": {"NoEcho": true, "Default": "..."}``, an ARM
    template's ``{"type": "securestring", "defaultValue": "..."}``), the values Terraform marks
    sensitive (``_TF_MARKS``), and everything in an Azure VM extension's ``protectedSettings`` (Azure's Custom
    Script Extension: a ``commandToExecute`` "that contains secrets" goes there, as does a storage account's
    key; Terraform's ``protected_settings``), and a machine's user data, whatever its form (EC2's ``"UserData"``:
    base64 of a boot script, which may set passwords that no word inside the base64 shows; CloudFormation's
    ``{"Fn::Base64": ...}`` of its lines; Terraform's ``user_data``/``user_data_base64``; an Azure VM's
    ``customData``): their text is not quoted anywhere."""
    out: set[int] = set()
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, JObj):
            for value, marks in _TF_MARKS:
                if marks in x:
                    _marked_lines(x, value, x[marks], out)
            if x.get("sensitive") is True:
                _marked_lines(x, "value", True, out)
            for k in x:
                if k.lower().replace("_", "") in _WHOLE_SECRETS:
                    _all_lines(x[k], x.at(k), out)
            if isinstance(x.get("sensitive_attributes"), list):
                for path in x["sensitive_attributes"]:
                    if isinstance(x.get("attributes"), JObj):
                        _state_path_lines(x["attributes"], path, out)
            name = next((x[k] for k in x if k.lower() in ("key", "name") and isinstance(x[k], str)), None)
            if name is not None and _SECRET_NAME.search(name):
                for k in x:
                    if k.lower() == "value":
                        out.add(x.at(k))
            for k, v in x.items():
                if isinstance(v, JObj) and (_SECRET_NAME.search(k) or v.get("NoEcho") in (True, "true")
                                            or str(v.get("type", "")).lower() in ("securestring", "secureobject")):
                    out.update(v.at(d) for d in v if d.lower() in ("default", "value", "defaultvalue"))
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return out


class JsonInput(Lines):
    """The kit's ``Lines`` of a JSON input, and its value ``data`` (``JObj``/``JArr``).

    The reader's line numbers (``JObj.at``, ``line_of``) are 1-based, as ``Source.line`` is:
    ``at(line)`` is the ``Source`` of such a line (``Lines.source(line - 1)``, redacted), and
    ``unrecognized_at`` reports CFG300 on it.  A value that a sibling member names as secret
    (``secret_lines``: a tag's ``"Value"`` on its own line) is quoted as ``<redacted>`` whole.
    Invalid JSON raises ``InputError``.
    """

    def __init__(self, text: str, path: str):
        # compact JSON (every record on one line) is read re-indented, so that each finding points at
        # its own member's line and quotes that line only, not the whole input; the report says so
        compact = needs_reindent(text)
        if compact:
            text, data = _reindented(text, path)
        else:
            data = json_input(text, path)
        super().__init__(text, path)
        self.data = data
        self.mask(line - 1 for line in secret_lines(data))
        if compact:
            self.unrecognized(self.source(0), COMPACT, Impact.NONE, "")

    def at(self, line: int) -> Source:
        """The ``Source`` of 1-based ``line`` (as the JSON reader numbers lines)."""
        return self.source(line - 1)

    def unrecognized_at(self, line: int, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        """CFG300 on the member at 1-based ``line``; ``why`` is the whole message (it names the
        member, a line of JSON being no statement of its own)."""
        self.report("CFG300", why, self.at(line), impact, scope)

    def ignore_at(self, line: int, why: str) -> None:
        """The member at 1-based ``line`` has no effect on filtering, because ``why``."""
        self.ignore(line - 1, why)


_NAMING = re.compile(r'(?i)"(?:key|name)"\s*:\s*"([^"]*)"')
_VALUE = re.compile(r'(?i)"(?:value|default|defaultvalue)"\s*:')


def redact_json(text: str) -> str:
    """A JSON input as its lines are quoted (``Vendor.redact``): the shared redaction, and every
    value a sibling member names as secret masked (``secret_lines``).  JSON that is not valid (a
    paste cut short) is read line by line: a ``"Value"`` within three lines of a ``"Key"`` naming
    a secret is masked."""
    from parsers.kit.errors import InputError

    try:
        return JsonInput(text, "").quoted()
    except InputError:
        pass
    lines = Lines(text, "")
    raw = lines.raw
    near = [i for i, line in enumerate(raw) if (m := _NAMING.search(line)) and _SECRET_NAME.search(m.group(1))]
    lines.mask(j for i in near for j in range(max(0, i - 3), min(len(raw), i + 4)) if _VALUE.search(raw[j]))
    return lines.quoted()

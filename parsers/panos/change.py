"""Apply a PAN-OS change request (configuration-mode commands) to a configuration, as text.

``apply_change(config_text, change_text, change_path, origins)`` returns the configuration after
the change, which ``parsers.panos.parse`` reads like any config: an XML configuration is edited in
place as XML (``change_xml``: untouched lines stay as they are); ``set`` commands get more
``set`` lines; a hierarchical configuration is first written as ``set`` commands (one per setting,
each tracing back to the line it came from).  Supported, with the CLI's semantics:

* ``set PATH ...``: adds the setting (a list setting gains members, a single value is
  replaced; a new rule goes to the bottom of its rulebase, as on the device);
* ``delete PATH`` removes the object or setting (and everything under it);
  ``delete PATH MEMBER`` / ``delete PATH [ M1 M2 ]`` removes members from a list;
* ``move rulebase security|nat rules NAME top|bottom|before OTHER|after OTHER``;
* ``rename rulebase security|nat rules NAME to NEW`` (and any other ``rename PATH to NEW``); renaming an
  address, address group, service, service group, zone or application group renames the rules' and groups'
  references to it too, as the device does (``refs``); a rename that leaves a reference this tool does not
  place (another setting naming it) is refused at its line, not applied in part;
* ``edit PATH`` / ``up`` / ``top`` change the level later commands are relative to;
  ``configure`` starts at the top; after ``exit``/``quit`` below the top the level is not known
  (a command relative to it is refused until ``configure`` or ``top``); ``commit`` and comments
  do nothing.

A command that cannot be applied (deleting or moving what does not exist, anything else)
raises ``InputError`` naming the change file and line: a change is never applied in part.
``origins``, when given a list, receives ``("config", n)`` or ``("change", n)`` per result line (the lines of
a rule that ``move`` places: that command's line, which put them there).
"""

from __future__ import annotations

from auditor.core.secrets import redact
from parsers.kit import InputError
from parsers.panos import scan
from parsers.panos.collect import DEFAULT_RULE, NAT_RULE, RULE, setting_spans
from parsers.panos.scan import DEFAULT_VSYS, DEVICE, OTHER, PANORAMA, SHARED, canon_set, split_words

_NOOP = ("configure", "commit", "exit", "quit", "save", "validate")
_SUPPORTED = "set, delete, move, rename, edit/up/top"


def _command(fail, line: str) -> tuple[str, list]:
    """A change line's verb and the words after it (else ``fail`` says the line is not a command)."""
    words = split_words(line)
    if not words or not isinstance(words[0], str):
        fail("not a PAN-OS configuration command this tool applies (%s)" % _SUPPORTED)
    return words[0], words[1:]


_ADDRESS_TYPES = ("ip-netmask", "ip-range", "ip-wildcard", "fqdn")
_SERVICE_PROTOCOLS = ("tcp", "udp", "sctp")


def rivals(path: list) -> list[list]:
    """The settings a ``set`` of ``path`` replaces besides its own value: an address object is of one
    type (Palo Alto, "Address Objects": "an address object of type IP Netmask, IP Range, or FQDN",
    https://docs.paloaltonetworks.com/pan-os/9-1/pan-os-admin/policy/use-address-object-to-represent-ip-
    addresses/address-objects.html) and a service of one protocol (tcp, udp or sctp): setting
    ``ip-range`` on an ``ip-netmask`` address replaces its value, as the device's schema holds one."""
    if len(path) >= 4 and path[0] == "address" and path[2] in _ADDRESS_TYPES:
        return [path[:2] + [t] for t in _ADDRESS_TYPES if t != path[2]]
    if len(path) >= 5 and path[0] == "service" and path[2] == "protocol" and path[3] in _SERVICE_PROTOCOLS:
        return [path[:3] + [t] for t in _SERVICE_PROTOCOLS if t != path[3]]
    return []


_RULEBASES = ("rulebase", "pre-rulebase", "post-rulebase")
# where a rule names an object of each kind (the setting's last word), and where a group names one
_RULE_SLOTS = {
    "address": ("source", "destination", "translated-address"),
    "address-group": ("source", "destination", "translated-address"),
    "service": ("service",), "service-group": ("service",),
    "zone": ("from", "to"),
    "application-group": ("application",), "application-filter": ("application",),
}
_GROUP_SLOTS = {
    "address": ("address-group", "static"), "address-group": ("address-group", "static"),
    "service": ("service-group", "members"), "service-group": ("service-group", "members"),
    "application-group": ("application-group", "members"), "application-filter": ("application-group", "members"),
}
_PROSE = ("description", "comment", "comments")
RENAME_DOC = ("PAN-OS renames the references along with the object (the XML API's action=rename, which the CLI's "
              "'rename' sends: pan-os-python's PanObject.rename notes its own copies are not updated, and "
              "PaloAltoNetworks/pan-os-python#225 shows the device renaming a group's members)")


def refs(kind: str, setting) -> bool:
    """Whether the setting at ``setting`` (scope-relative words, without its value) names objects of ``kind``
    (an ``address`` is named by a rule's ``source``/``destination``/NAT ``translated-address`` and an
    ``address-group``'s ``static`` members; a zone by a rule's ``from``/``to``, a PBF rule's ``from zone``)."""
    s = list(setting)
    if len(s) >= 5 and s[0] in _RULEBASES and s[2] == "rules":
        return s[-1] in _RULE_SLOTS.get(kind, ()) or (kind == "zone" and s[-1] == "zone" and s[-2] == "from")
    g = _GROUP_SLOTS.get(kind)
    return g is not None and len(s) == 3 and s[0] == g[0] and s[2] == g[1]


def object_path(path) -> bool:
    """Whether a rename's path is an object's (not a rule's: nothing names a rule)."""
    return not (len(path) >= 4 and path[0] in _RULEBASES and path[2] == "rules")


def sees(obj_scope: str, scope: str) -> bool:
    """Whether settings in ``scope`` can name an object of ``obj_scope`` (its own; a shared or device one: all)."""
    return scope == obj_scope or obj_scope in (SHARED, DEVICE)


def prose(setting) -> bool:
    """Whether a setting is free text (a description), which names nothing."""
    return bool(setting) and setting[-1] in _PROSE


_RULE_SCHEMAS = {"security": RULE, "nat": NAT_RULE, "default-security-rules": DEFAULT_RULE}


def _rule_spans(words: list) -> list[tuple[int, int]] | None:
    """The settings of a rule's ``set`` command that carries several ('rulebase security rules R from a to b
    ... action allow'), as ``setting_spans`` gives them; None for any other command."""
    if len(words) <= 6 or words[0] not in _RULEBASES or words[2] != "rules" or words[1] not in _RULE_SCHEMAS:
        return None
    spans = setting_spans(words, 4, _RULE_SCHEMAS[words[1]])
    return spans if spans and len(spans) > 1 else None


_RELATIVE = object()


def _next_level(fail, level: list | None, verb: str, rest: list):
    """The edit level after a command that moves it or does nothing (else ``_RELATIVE``: the command works at
    ``level``, which ``fail`` refuses when it is not known).  ``configure`` starts at the top ("[edit]
    indicates that the relative context is the top level": Palo Alto, "Navigate the Hierarchy"); where
    ``exit``/``quit`` leave a level other than the top (configuration mode, or the level above) is not
    documented there, so the level is not known until ``configure`` or ``top``."""
    if verb in ("configure", "top"):
        return []
    if verb in ("exit", "quit"):
        return None if level else []
    if verb in _NOOP:
        return level
    if level is None:
        fail("the edit level after 'exit' is not known here; start again with 'configure' or 'top'")
    if verb == "up":
        return level[:-1]
    if verb == "edit":
        return level + rest
    return _RELATIVE


def _canon(fail, words: list) -> tuple:
    """``canon_set`` of a command's path, which starts with a name and has a ``[ ]`` list only as its
    last word, a setting's values (else ``fail`` says why)."""
    if not words or not isinstance(words[0], str):
        fail("the path starts with a '[ ]' list, not a name" if words else "no path")
    if any(isinstance(w, list) for w in words[:-1]):
        fail("a '[ ]' list is only a setting's values, the last word")
    return canon_set(words)


def quote(w: str) -> str:
    """A word as the CLI writes it (quoted when it holds spaces or syntax; in the quotes a double quote
    or a backslash escaped, as ``split_words`` reads it back)."""
    if w == "" or any(c in w for c in ' \t"\'[];{}') or w.startswith("#"):
        return '"%s"' % w.replace("\\", "\\\\").replace('"', '\\"')
    return w


def format_words(words: list) -> str:
    """Words (a list as ``[ a b ]``) as one command's text."""
    out = []
    for w in words:
        if isinstance(w, list):
            out.append("[ %s ]" % " ".join(quote(str(x)) for x in w))
        else:
            out.append(quote(str(w).replace("\n", " ")))
    return " ".join(out)


def set_line(scope: str, words: list) -> str:
    """A statement as the ``set`` command that writes it (vsys1's without a ``vsys`` prefix, as
    a single-vsys firewall writes them)."""
    if scope == DEVICE or scope == OTHER:
        prefix = []
    elif scope == SHARED:
        prefix = ["shared"]
    elif scope == PANORAMA:
        prefix = ["policy", "panorama"]
    elif scope == DEFAULT_VSYS:
        prefix = []
    else:
        prefix = ["vsys", scope]
    return "set " + format_words(prefix + list(words))


def as_set_commands(text: str) -> list[tuple[str, tuple[str, int]]]:
    """An XML or hierarchical configuration as ``set`` commands, each with its origin line."""
    sc = scan.read(text, text.splitlines())
    return [(set_line(scope, words), ("config", first + 1)) for scope, words, first, _last, _a in sc.statements]


class _Edit:
    """The configuration being changed: ``set`` lines with their origins and parsed words."""

    def __init__(self, items: list[tuple[str, tuple[str, int]]], change_path: str):
        self.items = items
        self.parsed: list = [self._parse(t) for t, _o in items]
        self.change_path = change_path
        self.level: list | None = []
        self.n = 0
        self.text = ""

    @staticmethod
    def _parse(t: str):
        s = t.strip()
        if not s.startswith("set "):
            return None
        words = split_words(s[4:])
        return canon_set(words) if words else None

    def fail(self, why: str) -> None:
        raise InputError("%s:%d: cannot apply '%s': %s" % (self.change_path, self.n, redact(self.text.strip()), why))

    # --- commands ------------------------------------------------------------------------------
    def command(self, n: int, raw: str) -> None:
        self.n, self.text = n, raw
        s = raw.strip()
        if not s or s.startswith("#"):
            return
        verb, rest = _command(self.fail, s)
        level = _next_level(self.fail, self.level, verb, rest)
        if level is not _RELATIVE:
            self.level = level
        elif verb == "set":
            self.do_set(self.level + rest)
        elif verb == "delete":
            self.do_delete(self.level + rest)
        elif verb == "move":
            self.do_move(self.level + rest)
        elif verb == "rename":
            self.do_rename(self.level + rest)
        else:
            self.fail("not a PAN-OS configuration command this tool applies (%s)" % _SUPPORTED)

    def do_set(self, words: list) -> None:
        if not words:
            self.fail("nothing to set")
        key = _canon(self.fail, words)
        for other in rivals(list(key[1])):
            hits = self._matching((key[0], other))
            if hits:
                self._drop(hits)
        text = "set " + format_words(words)
        self.items.append((text, ("change", self.n)))
        self.parsed.append(key)

    def _matching(self, key: tuple) -> list[int]:
        scope, path = key
        k = len(path)
        return [i for i, p in enumerate(self.parsed) if p is not None and p[0] == scope and p[1][:k] == path]

    def one_setting_each(self, want) -> None:
        """Each rule's ``set`` command that carries several of its settings (``_rule_spans``) and that ``want``
        (scope, words) selects, as one command per setting with the line's origin: so that a delete or a
        rename reaches the setting, as the device stores each."""
        items, parsed = [], []
        for it, p in zip(self.items, self.parsed):
            spans = _rule_spans(p[1]) if p is not None and want(*p) else None
            if spans is None:
                items.append(it)
                parsed.append(p)
                continue
            sc, w = p
            for a, b in spans:
                nw = w[:4] + w[a:b]
                items.append((set_line(sc, nw), it[1]))
                parsed.append((sc, nw))
        self.items, self.parsed = items, parsed

    def do_delete(self, words: list) -> None:
        if not words:
            self.fail("nothing to delete")
        scope, path = _canon(self.fail, words)
        if len(path) > 4 and path[0] in _RULEBASES and path[2] == "rules":  # (a rule's setting)
            self.one_setting_each(lambda sc, w: sc == scope and w[:4] == path[:4])
        hits = self._matching((scope, path))
        if hits:
            self._drop(hits)
            return
        # the last word(s) may be members of a list setting
        members = path[-1] if isinstance(path[-1], list) else [path[-1]]
        hits = self._matching((scope, path[:-1]))
        changed = False
        for i in hits:
            sc, w = self.parsed[i]
            if len(w) != len(path):
                continue
            last = w[-1]
            vals = last if isinstance(last, list) else [last]
            keep = [v for v in vals if v not in members]
            if len(keep) == len(vals):
                continue
            changed = True
            if not keep:
                self.parsed[i] = None
                self.items[i] = ("", ("change", self.n))
            else:
                nw = w[:-1] + [keep]
                self.parsed[i] = (sc, nw)
                self.items[i] = (set_line(sc, nw), ("change", self.n))
        if not changed:
            self.fail("nothing in the configuration matches it")
        self._compact()

    def _drop(self, idx: list[int]) -> None:
        gone = set(idx)
        self.items = [it for k, it in enumerate(self.items) if k not in gone]
        self.parsed = [p for k, p in enumerate(self.parsed) if k not in gone]

    def _compact(self) -> None:
        keep = [k for k, p in enumerate(self.parsed) if p is not None or self.items[k][0] != ""]
        self.items = [self.items[k] for k in keep]
        self.parsed = [self.parsed[k] for k in keep]

    def _rule_lines(self, scope: str, base: list, name: str) -> list[int]:
        return self._matching((scope, base + [name]))

    def do_move(self, words: list) -> None:
        # move rulebase security rules NAME where [OTHER]
        scope, path = _canon(self.fail, words)
        if len(path) < 5 or path[0] not in ("rulebase", "pre-rulebase", "post-rulebase") or path[2] != "rules":
            self.fail("only rules can be moved (move rulebase security|nat rules NAME top|bottom|before X|after X)")
        base, name, where = path[:3], path[3], path[4]
        mine = self._rule_lines(scope, base, name)
        if not mine:
            self.fail("no rule '%s' in the configuration" % name)
        # (the moved rule's lines from the configuration now come from this command, which put them there; the
        # lines the change wrote keep their own)
        block = [((self.items[i][0], self.items[i][1] if self.items[i][1][0] == "change" else ("change", self.n)),
                  self.parsed[i]) for i in mine]
        self._drop(mine)
        allrules = self._matching((scope, base))
        if where in ("before", "after"):
            if len(path) < 6:
                self.fail("'move ... %s' needs a rule name" % where)
            other = self._rule_lines(scope, base, path[5])
            if not other:
                self.fail("no rule '%s' in the configuration" % path[5])
            at = other[0] if where == "before" else other[-1] + 1
        elif where == "top":
            at = allrules[0] if allrules else len(self.items)
        elif where == "bottom":
            at = allrules[-1] + 1 if allrules else len(self.items)
        else:
            self.fail("unknown position '%s' (top, bottom, before, after)" % where)
        # the moved rule's lines: where the configuration had them, except that the order changed
        self.items[at:at] = [it for it, _p in block]
        self.parsed[at:at] = [p for _it, p in block]

    def do_rename(self, words: list) -> None:
        if len(words) < 3 or words[-2] != "to" or not isinstance(words[-1], str):
            self.fail("rename PATH to NEW")
        scope, path = _canon(self.fail, words[:-2])
        new = words[-1]
        hits = self._matching((scope, path))
        if not hits:
            self.fail("nothing in the configuration matches it")
        if self._matching((scope, path[:-1] + [new])):
            self.fail("'%s' already exists there" % new)
        k = len(path) - 1
        for i in hits:
            sc, w = self.parsed[i]
            nw = w[:k] + [new] + w[k + 1:]
            self.parsed[i] = (sc, nw)
            self.items[i] = (set_line(sc, nw), ("change", self.n))
        if object_path(path):
            self._rename_refs(scope, path, new)

    def _rename_refs(self, scope: str, path: list, new: str) -> None:
        """The references to a renamed object, renamed with it (``RENAME_DOC``); one this tool does not place
        is refused."""
        old, kind = path[-1], path[0] if len(path) == 2 else None
        mine = path[:-1] + [new]
        self.one_setting_each(lambda sc, w: sees(scope, sc) and any(v == old or isinstance(v, list) and old in v
                                                                  for v in w[4:]))
        for i, p in enumerate(self.parsed):
            if p is None or not sees(scope, p[0]) or p[1][:len(mine)] == mine:
                continue
            sc, w = p
            if len(path) == 2 and sc != scope and self._matching((sc, path)):
                continue  # (a vsys's own object of that name: its settings name that one)
            val = w[-1] if w else None
            vals = val if isinstance(val, list) else [val]
            if old not in vals or prose(w[:-1]):
                continue
            if kind is None or not refs(kind, w[:-1]):
                self.fail("'%s' (%s line %d) names '%s', which this tool does not rename with it, so the "
                          "change is not applied; %s" % (" ".join(str(x) for x in w[:-1]), *self.items[i][1], old,
                                                         RENAME_DOC))
            nv = [new if v == old else v for v in vals]
            nw = w[:-1] + [nv if isinstance(val, list) else nv[0]]
            self.parsed[i] = (sc, nw)
            self.items[i] = (set_line(sc, nw), ("change", self.n))

def apply_change(config_text: str, change_text: str, change_path: str, origins: list | None = None,
                 removed: list | None = None) -> str:
    """The configuration after the change request: XML edited in place for an XML configuration,
    ``set`` commands otherwise.  (``removed``, the lines the change removed, is not kept here.)"""
    form = scan.form_of(config_text)
    if form == "xml":
        return _apply_xml(config_text, change_text, change_path, origins)
    if form == "set":
        items = [(t, ("config", k)) for k, t in enumerate(config_text.splitlines(), 1)]
    elif form == "tree":
        items = as_set_commands(config_text)
    else:
        raise InputError("%s: the configuration is not PAN-OS XML, set commands or the hierarchical form"
                         % change_path)
    ed = _Edit(items, change_path)
    for n, raw in enumerate(change_text.splitlines(), 1):
        ed.command(n, raw)
    if origins is not None:
        origins.extend(o for _t, o in ed.items)
    return "\n".join(t for t, _o in ed.items) + "\n"


def _apply_xml(config_text: str, change_text: str, change_path: str, origins: list | None) -> str:
    from parsers.panos.change_xml import XmlEdit

    state = {"n": 0, "text": ""}

    def fail(why: str) -> None:
        raise InputError("%s:%d: cannot apply '%s': %s" % (change_path, state["n"], redact(state["text"].strip()),
                                                            why))

    ed = XmlEdit(config_text, fail)
    level: list | None = []
    for n, raw in enumerate(change_text.splitlines(), 1):
        state["n"], state["text"] = n, raw
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        verb, rest = _command(fail, s)
        moved = _next_level(fail, level, verb, rest)
        if moved is not _RELATIVE:
            level = moved
            continue
        if verb not in ("set", "delete", "move", "rename"):
            fail("not a PAN-OS configuration command this tool applies (%s)" % _SUPPORTED)
        full = level + rest
        if verb == "rename":
            if len(full) < 3 or full[-2] != "to" or not isinstance(full[-1], str):
                fail("rename PATH to NEW")
            scope, path = _canon(fail, full[:-2])
            ed.rename(scope, list(path), full[-1], n)
            continue
        if not full:
            fail("nothing to %s" % verb)
        scope, path = _canon(fail, full)
        if verb == "set":
            for other in rivals(list(path)):
                if ed.find(scope, tuple(other)) is not None:
                    ed.delete(scope, other)
            ed.set(scope, path, n)
        elif verb == "delete":
            ed.delete(scope, path)
        else:
            ed.move(scope, path, n)
    if origins is not None:
        origins.extend(ed.origin)
    return "\n".join(ed.lines) + "\n"

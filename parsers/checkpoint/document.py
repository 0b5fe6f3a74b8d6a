"""One input file: which management API replies it holds, read into records.

A file may hold (alone, as a JSON list of them, or as the Show Package tool's flat lists):

* ``show-access-rulebase`` replies (a layer's ``rulebase`` of sections and rules, with its
  ``objects-dictionary`` when ``use-object-dictionary`` was asked), page after page;
* ``show-nat-rulebase`` replies (NAT rules and sections);
* object replies (``show-objects``, ``show-hosts``, ``show-networks``, ``show-groups``,
  ``show-services-tcp`` ... : ``{"objects": [...]}``), or a single object;
* ``show-package`` (the package's ordered access layers, each with its
  ``implicit-cleanup-action``), ``show-packages``, ``show-access-layer(s)``, and the Show
  Package tool's ``index.json``;
* ``show-global-properties`` (its ``firewall`` settings of the implied rules that may accept
  traffic through the gateway: ``IMPLIED_SETTINGS``; its ``stateful-inspection`` >
  ``tcp-session-timeout``, the services' default TCP session timeout).

Every key of every record is used, ignored for a stated reason (``IGNORED_RULE_KEYS``...), or
reported as not understood (CFG300), with the impact it could have.  Lines are accounted per
record: a rule's or object's lines (from its ``uid`` line to the next record's) are used, a
section header's or a repeated object's ignored with that reason, and the lines before the
first record (brackets, the reply's header) ignored as JSON structure.  Nothing here resolves a
reference: that is ``build``'s work, over every input at once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter
from typing import Any

from auditor.core.model import Impact, Source
from auditor.core.secrets import redact
from parsers.checkpoint.jsonread import JsonLines, Locator, load
from parsers.kit import InputError, Lines
from parsers.kit.jsonsrc import COMPACT, needs_reindent, reindent

# A rule's cell the management server never exports empty: removing its last object puts None or the default in
# it ("last-in-cell: Added object after removing the last object in cell": Management API reference,
# set-policy-settings); an empty one is not what the server holds (what the rule matches, or where it is
# installed, is unknown)
EMPTY_CELL = "empty %s cell (the management server puts None or Any in a cell emptied of its objects)"

RULE_TYPES = frozenset(("access-rule", "rule"))
SECTION_TYPES = frozenset(("access-section", "section"))
NAT_RULE_TYPES = frozenset(("nat-rule",))
NAT_SECTION_TYPES = frozenset(("nat-section",))
PLACE_HOLDER = "place-holder"

# access-rule keys the model is built from
RULE_KEYS = frozenset((
    "uid", "name", "type", "rule-number", "source", "source-negate", "destination", "destination-negate",
    "service", "service-negate", "action", "enabled", "inline-layer", "install-on", "time", "vpn", "content",
    "content-negate", "content-direction", "data", "data-negate", "data-direction", "comments",
    "service-resource", "action-settings", "expiration-settings", "layer",
))
# access-rule keys the API gives as booleans
RULE_FLAGS = ("enabled", "source-negate", "destination-negate", "service-negate", "content-negate", "data-negate")
# access-rule keys that cannot change which packets a rule matches or what it does with them
IGNORED_RULE_KEYS = {
    "domain": "management domain", "meta-info": "metadata (who changed it, when)", "track": "logging",
    "track-alert": "logging", "custom-fields": "custom labels", "tags": "labels", "color": "display",
    "icon": "display", "hits": "hit counts", "read-only": "metadata", "available-actions": "metadata",
    "user-check": "UserCheck message settings (the action decides)", "folder": "metadata",
    "display-name": "display",
}
_RULE_KEYS_KNOWN = RULE_KEYS | IGNORED_RULE_KEYS.keys()
NAT_KEYS = frozenset((
    "uid", "name", "type", "rule-number", "method", "auto-generated", "enabled", "install-on", "comments",
    "original-source", "original-destination", "original-service", "translated-source",
    "translated-destination", "translated-service", "package",
))
SECTION_KEYS = frozenset(("uid", "name", "type", "rulebase", "from", "to"))
# metadata every record may carry
META_KEYS = frozenset((
    "domain", "meta-info", "tags", "color", "icon", "read-only", "available-actions", "folder", "display-name",
    "customFields", "comments", "hits", "groups", "creator", "last-modifier", "xmlType", "domainId",
))
REPLY_KEYS = frozenset(("uid", "name", "rulebase", "objects-dictionary", "from", "to", "total", "type", "domain"))
# the Global Properties > Firewall settings (show-global-properties, "firewall") of the implied rules that may
# accept traffic through the gateway, each with its "-position" (first, before last, last)
IMPLIED_SETTINGS = ("accept-icmp-requests", "accept-domain-name-over-udp", "accept-domain-name-over-tcp", "accept-rip")
POSITIONS = frozenset(("first", "before last", "last"))


@dataclass(slots=True)
class RuleRec:
    """An access rule as the export writes it (references unresolved)."""

    uid: str
    name: str
    layer: str  # the uid (or name) of the layer it is in
    section: str
    data: dict  # the rule's own keys the model reads (see RULE_KEYS)
    source: Source
    comment: Source | None = None
    problems: list = field(default_factory=list)  # (why, Source): parts not understood


@dataclass(slots=True)
class PlaceHolder:
    """A ``place-holder``: where another domain's rules go (not in this export)."""

    uid: str
    source: Source


@dataclass(slots=True)
class NatRec:
    uid: str
    number: Any
    section: str
    data: dict
    source: Source
    problems: list = field(default_factory=list)


@dataclass(slots=True)
class ObjRec:
    """A named object: its type, its JSON, where it is, and the lines of some keys.

    Its ``source`` (the line of its ``name``) is found when something asks for it: a large
    export holds tens of thousands of objects, and a finding names few of them."""

    uid: str
    name: str
    type: str
    data: dict
    pos: int | None = None  # of its "uid" key, in its file's text
    lines: Any = None  # its file's JsonLines
    keys: dict = field(default_factory=dict)  # key -> Source ("session-timeout", a link-local "address")
    _source: Source | None = None

    @property
    def source(self) -> Source:
        if self._source is None:
            lines = self.lines
            if lines is None or self.pos is None:
                self._source = lines.source(0) if lines is not None else Source("", 0, "")
            else:
                npos = lines.loc.key("name", self.name, self.pos)
                self._source = lines.source_at(npos if npos is not None else self.pos)
        return self._source


@dataclass
class LayerRec:
    """An access layer's rules, in order, and where its reply names it."""

    uid: str
    name: str
    source: Source
    rules: list = field(default_factory=list)  # RuleRec | PlaceHolder
    inline_refs: list = field(default_factory=list)
    # (the reply's "from", first rule, end, the reply's "to" and "total", where it names the layer) of each page read
    pages: list = field(default_factory=list)


@dataclass
class LayerInfo:
    """What a package or ``show-access-layer`` says of a layer."""

    uid: str
    name: str
    cleanup: str | None  # "drop" | "accept" | None (not given)
    source: Source


@dataclass
class PackageRec:
    name: str
    layers: list  # [LayerInfo] in the package's order
    source: Source
    nat: bool | None = None
    targets: tuple | None = None  # its installation-targets (gateway references); None: "all" or not given


@dataclass
class Doc:
    """One input file read: its lines and the records found in it."""

    path: str
    lines: Lines
    layers: dict = field(default_factory=dict)  # layer key -> LayerRec, in input order
    nat: list = field(default_factory=list)  # [NatRec], in order
    nat_source: Source | None = None
    # (the reply's "from", first rule, end, "to", "total", where, the reply's uid) of each NAT page read
    nat_pages: list = field(default_factory=list)
    objects: dict = field(default_factory=dict)  # uid -> ObjRec (first definition)
    packages: list = field(default_factory=list)
    layer_infos: list = field(default_factory=list)
    kinds: set = field(default_factory=set)
    reindented: bool = False
    # Global Properties > Firewall implied rules (show-global-properties): setting -> (on, position or None, line)
    implied: dict = field(default_factory=dict)
    # Global Properties > Stateful Inspection > TCP session timeout (show-global-properties): (seconds, line)
    tcp_timeout: tuple | None = None


_LINK_LOCAL = ("169.254.", "fe8", "fe9", "fea", "feb")
_ADDRESS_KEYS = {
    "host": ("ipv4-address", "ipv6-address"), "network": ("subnet4", "subnet6"),
    "address-range": ("ipv4-address-first", "ipv6-address-first"),
    "multicast-address-range": ("ipv4-address-first", "ipv6-address-first"),
}
_HEAVY = ("meta-info", "domain", "track", "custom-fields", "tags", "hits")
# object types that describe a layer or a package (not network objects)
_LAYER_TYPES = frozenset(("access-layer",))


class Reader:
    """Reads one file's decoded JSON into a ``Doc``; see the module docstring."""

    def __init__(self, text: str, path: str):
        data = load(text, path)
        self.reindented = needs_reindent(text)
        if self.reindented:
            text = reindent(data)
        self.data = data
        self.text = text
        self.loc = Locator(text)
        self.doc = Doc(path, JsonLines(text, path, self.loc), reindented=self.reindented)
        self.lines = self.doc.lines
        self.spans: list[tuple[int, bool, str]] = []  # (the line of a record's uid, used?, why not)
        self.base = os.path.basename(path)

    # --- lines ---------------------------------------------------------------------------------
    def src(self, pos: int | None) -> Source:
        """The ``Source`` of the line holding position ``pos`` (the first line when unknown)."""
        if pos is None:
            return self.lines.source(0)
        return self.lines.source_at(pos)

    def locate(self, obj: dict, used: bool = True, why: str = "") -> int | None:
        """The position of ``obj``'s ``uid`` key; its lines are accounted as a record."""
        pos = self.loc.record(obj.get("uid"))
        if pos is not None:
            self.spans.append((self.loc.line(pos), used, why))
        return pos

    def key_src(self, key: str, value: Any, start: int | None, end: int | None = None) -> Source:
        """The line of ``"key": value`` inside the record at ``start`` (its first line if absent)."""
        if start is None:
            return self.lines.source(0)
        pos = self.loc.key(key, value, start, end)
        if pos is None:  # (a key written before the record's uid)
            lo = max(0, start - 4000)
            pos = self.loc.key(key, value, lo, start)
        return self.src(pos if pos is not None else start)

    def unknown(self, what: str, key: str, value: Any, start: int | None, impact: Impact, scope: str,
                end: int | None = None) -> Source:
        s = self.key_src(key, value if isinstance(value, (str, int, float, bool)) else None, start, end)
        self.lines.unrecognized(s, "unknown key '%s' in %s" % (key, what), impact, scope)
        return s

    # --- reading -------------------------------------------------------------------------------
    def read(self) -> Doc:
        items = self.data if isinstance(self.data, list) else [self.data]
        if isinstance(self.data, list) and self.data and all(isinstance(x, dict) for x in self.data):
            kinds = {_item_kind(x) for x in self.data}
            if kinds <= {"rule", "section", "place-holder"}:  # a flat rule list (Show Package tool)
                self.flat_layer(self.data)
                items = []
            elif kinds <= {"nat-rule", "nat-section"}:
                self.nat_reply({"rulebase": self.data}, None)
                items = []
            elif kinds == {"object"}:
                self.objects(self.data, "objects")
                items = []
        for item in items:
            self.reply(item)
        if not self.doc.kinds:
            raise InputError("%s: not a Check Point management API export (no rulebase, NAT rulebase, objects or "
                             "package found)" % self.doc.path)
        if self.reindented:
            self.lines.unrecognized(self.lines.source(0), COMPACT, Impact.NONE, "")
        self.account()
        return self.doc

    def reply(self, item: Any) -> None:
        if not isinstance(item, dict):
            self.lines.unrecognized(self.lines.source(0), "a list item that is not a management API reply "
                                    "(%s)" % type(item).__name__, Impact.GLOBAL, "")
            return
        if isinstance(item.get("rulebase"), list):
            if _is_nat(item):
                self.nat_reply(item, item.get("uid"))
            else:
                self.access_reply(item)
        elif isinstance(item.get("objects"), list):
            self.objects(item["objects"], "objects")
            self.reply_keys(item, {"objects", "from", "to", "total"})
        elif item.get("type") == "package" or "access-layers" in item and "nat-policy" in item:
            self.package(item)
        elif isinstance(item.get("packages"), list):
            for p in item["packages"]:
                if isinstance(p, dict):
                    self.package(p)
            self.doc.kinds.add("package")
        elif isinstance(item.get("access-layers"), list):
            for layer in item["access-layers"]:
                if isinstance(layer, dict):
                    self.layer_info(layer)
            self.doc.kinds.add("layers")
        elif isinstance(item.get("policyPackages"), list):
            self.index(item)
        elif item.get("type") in _LAYER_TYPES:
            self.layer_info(item)
            self.doc.kinds.add("layers")
        elif item.get("type") == "global-properties" and isinstance(item.get("firewall"), dict):
            self.global_properties(item)
        elif isinstance(item.get("uid"), str) and isinstance(item.get("type"), str):
            self.objects([item], "objects")
        else:
            keys = ", ".join(sorted(map(str, item))[:6])
            self.lines.unrecognized(self.lines.source(0), "a JSON object that is not a Check Point reply (keys: "
                                    "%s)" % redact(keys), Impact.GLOBAL, "")

    def reply_keys(self, item: dict, known: set | frozenset) -> None:
        for k in item:
            if k not in known and k not in META_KEYS:
                self.unknown("the reply", k, None, self.loc.cursor, Impact.NONE, "")

    # --- access layers -------------------------------------------------------------------------------
    def layer(self, uid: str, name: str, source: Source) -> LayerRec:
        key = uid or name
        layer = self.doc.layers.get(key)
        if layer is None:
            layer = self.doc.layers[key] = LayerRec(uid, name, source)
        return layer

    def access_reply(self, item: dict) -> None:
        self.doc.kinds.add("access")
        uid, name = str(item.get("uid") or ""), str(item.get("name") or "")
        start = self.loc.cursor
        pos = self.loc.key("name", name, start) if name else None
        layer = self.layer(uid, name or uid or self.base, self.src(pos))
        first = len(layer.rules)
        self.rulebase(layer, item["rulebase"], "")
        frm, to, total = (_count(item.get(k)) for k in ("from", "to", "total"))
        layer.pages.append((frm, first, len(layer.rules), to, total, layer.source))
        dictionary = item.get("objects-dictionary")
        if isinstance(dictionary, list):
            self.objects(dictionary, "objects-dictionary")
        elif dictionary is not None:
            self.unknown("the rulebase reply", "objects-dictionary", None, start, Impact.GLOBAL, "")
        for k in item:
            if k not in REPLY_KEYS and k not in META_KEYS:
                self.unknown("the rulebase reply of layer '%s'" % redact(layer.name), k, None, start, Impact.NONE,
                             layer.name)

    def flat_layer(self, items: list) -> None:
        """A Show Package tool layer file: sections and rules in one flat list, named by the file."""
        self.doc.kinds.add("access")
        name = re.sub(r"\.json$", "", self.base)
        layer = self.layer("", name, self.lines.source(0))
        section = ""
        for it in items:
            kind = _item_kind(it)
            if kind == "section":
                section = str(it.get("name") or "")
                self.locate(it, False, "section header")
            else:
                self.rule_item(layer, it, section)

    def rulebase(self, layer: LayerRec, items: list, section: str) -> None:
        for it in items:
            if not isinstance(it, dict):
                self.lines.unrecognized(self.src(self.loc.cursor), "rulebase item that is not an object", Impact.FILTER,
                                        layer.name)
                layer.rules.append(PlaceHolder("", self.src(self.loc.cursor)))
                continue
            typ = _type_of(it)
            if typ in SECTION_TYPES or (typ is None and isinstance(it.get("rulebase"), list)):
                pos = self.locate(it, False, "section header")
                for k in it:
                    if k not in SECTION_KEYS and k not in META_KEYS:
                        self.unknown("section '%s'" % redact(str(it.get("name"))), k, None, pos, Impact.NONE,
                                     layer.name)
                sub = it.get("rulebase")
                if isinstance(sub, list):
                    self.rulebase(layer, sub, str(it.get("name") or section))
            else:
                self.rule_item(layer, it, section)

    def rule_item(self, layer: LayerRec, it: dict, section: str) -> None:
        typ = _type_of(it)
        pos = self.locate(it)
        if typ == PLACE_HOLDER:
            s = self.src(pos)
            self.lines.unrecognized(s, "place-holder: the rules of another domain or policy go here and are not "
                                    "in this export", Impact.FILTER, layer.name)
            layer.rules.append(PlaceHolder(str(it.get("uid") or ""), s))
            return
        name = it.get("name")
        name = name if isinstance(name, str) else ""
        if pos is None and name:  # (a rule without a uid: found by its name, after the one before it)
            pos = self.loc.key("name", name, self.loc.cursor)
            if pos is not None:
                self.loc.cursor = pos + 1
                self.spans.append((self.loc.line(pos), True, ""))
        npos = self.loc.key("name", name, pos) if (name and pos is not None) else None
        s = self.src(npos if npos is not None else pos)
        rec = RuleRec(str(it.get("uid") or ""), name, layer.uid or layer.name, section, it, s)
        if typ not in RULE_TYPES and typ is not None:
            rec.problems.append(("rulebase item of type '%s'" % redact(str(typ)), s))
            self.lines.unrecognized(s, "rulebase item of type '%s' is not an access rule" % redact(str(typ)),
                                    Impact.FILTER, layer.name)
        if not _RULE_KEYS_KNOWN.issuperset(it):  # (the usual rule: its keys tested at C speed, no set made)
            for k in it.keys() - RULE_KEYS:
                if k in IGNORED_RULE_KEYS:
                    continue
                ks = self.unknown("rule %s" % (redact(name) or "(unnamed)"), k, it[k], pos, Impact.FILTER,
                                  layer.name)
                rec.problems.append(("unknown key '%s'" % k, ks))
        self.empty_cells(it, ("source", "destination", "service", "install-on"), rec, s, Impact.FILTER, layer.name)
        self.flags(it, RULE_FLAGS, rec, s, Impact.FILTER, layer.name)
        comment = it.get("comments")
        if isinstance(comment, str) and comment.strip():
            # the remark is the comment itself (inline waivers read its words), on its own line
            rec.comment = replace(self.key_src("comments", comment, pos), text=redact(comment.strip()))
        inline = it.get("inline-layer")
        if inline:
            layer.inline_refs.append(inline)
        for k in _HEAVY:  # (what the model never reads goes with the JSON tree)
            it.pop(k, None)
        layer.rules.append(rec)

    # --- NAT -------------------------------------------------------------------------------------------
    def nat_reply(self, item: dict, uid: Any) -> None:
        self.doc.kinds.add("nat")
        start = self.loc.cursor
        src = self.src(self.loc.key("rulebase", None, start))
        if self.doc.nat_source is None:
            self.doc.nat_source = src
        first = len(self.doc.nat)
        self.nat_items(item["rulebase"], "")
        frm, to, total = (_count(item.get(k)) for k in ("from", "to", "total"))
        self.doc.nat_pages.append((frm, first, len(self.doc.nat), to, total, src, str(uid or "")))
        dictionary = item.get("objects-dictionary")
        if isinstance(dictionary, list):
            self.objects(dictionary, "objects-dictionary")
        for k in item:
            if k not in REPLY_KEYS and k not in META_KEYS and k != "package":
                self.unknown("the NAT rulebase reply", k, None, start, Impact.NONE, "nat")

    def nat_items(self, items: list, section: str) -> None:
        for it in items:
            if not isinstance(it, dict):
                continue
            typ = _type_of(it)
            if typ in NAT_SECTION_TYPES or (typ is None and isinstance(it.get("rulebase"), list)):
                pos = self.locate(it, False, "NAT section header")
                for k in it:
                    if k not in SECTION_KEYS and k not in META_KEYS:
                        self.unknown("NAT section", k, None, pos, Impact.NONE, "nat")
                if isinstance(it.get("rulebase"), list):
                    self.nat_items(it["rulebase"], str(it.get("name") or section))
                continue
            pos = self.locate(it)
            num = it.get("rule-number")
            s = self.key_src("rule-number", num, pos) if isinstance(num, int) else self.src(pos)
            rec = NatRec(str(it.get("uid") or ""), num, section, it, s)
            if typ not in NAT_RULE_TYPES:
                rec.problems.append(("NAT rulebase item of type '%s'" % redact(str(typ)), s))
                self.lines.unrecognized(s, "NAT rulebase item of type '%s' is not a NAT rule" % redact(str(typ)),
                                        Impact.GLOBAL, "nat")
            for k in it.keys() - NAT_KEYS:
                if k in META_KEYS or k in IGNORED_RULE_KEYS:
                    continue
                ks = self.unknown("NAT rule %s" % it.get("rule-number"), k, it[k], pos, Impact.GLOBAL, "nat")
                rec.problems.append(("unknown key '%s'" % k, ks))
            self.empty_cells(it, ("install-on",), rec, s, Impact.GLOBAL, "nat")
            self.flags(it, ("enabled", "auto-generated"), rec, s, Impact.GLOBAL, "nat")
            self.doc.nat.append(rec)

    def flags(self, it: dict, keys: tuple, rec, s: Source, impact: Impact, scope: str) -> None:
        """Report a rule's flags that are not JSON booleans (the API's ``enabled``, ``source-negate`` ... are
        "boolean": Management API reference, add-access-rule / add-nat-rule): "false" or 0 was read as not false,
        a disabled rule as enabled and a negated cell as not negated; now what the rule matches is unknown."""
        for k in keys:
            v = it.get(k)
            if v is not None and not isinstance(v, bool):
                why = "%s '%s' is not true or false" % (k, redact(str(v)))
                rec.problems.append((why, s))
                self.lines.unrecognized(s, why, impact, scope)

    def empty_cells(self, it: dict, keys: tuple, rec, s: Source, impact: Impact, scope: str) -> None:
        """Report a rule's cells that hold no object (what the rule matches, or where it is installed, is unknown:
        ``EMPTY_CELL``)."""
        for k in keys:
            if it.get(k) == []:
                why = EMPTY_CELL % k
                rec.problems.append((why, s))
                self.lines.unrecognized(s, why, impact, scope)

    # --- objects ----------------------------------------------------------------------------------------
    def objects(self, items: list, where: str) -> None:
        self.doc.kinds.add("objects")
        objs = self.doc.objects
        repeated = "object repeated in another page's %s" % where
        for o in items:
            if not isinstance(o, dict):
                continue
            uid = o.get("uid")
            if not isinstance(uid, str) or not uid:
                self.lines.unrecognized(self.src(self.loc.cursor), "object without a uid in %s" % where, Impact.NONE,
                                        "")
                continue
            if uid in objs:  # (every page's dictionary repeats the objects its rules name)
                self.locate(o, False, repeated)
                continue
            pos = self.locate(o)
            name = o.get("name")
            rec = ObjRec(uid, name if isinstance(name, str) else uid, str(o.get("type") or ""), o, pos, self.lines)
            typ = rec.type
            for k in _ADDRESS_KEYS.get(typ, ()):
                v = o.get(k)
                if isinstance(v, str) and v.lower().startswith(_LINK_LOCAL):
                    rec.keys["address"] = self.key_src(k, v, pos)  # the line PRN130 points at
                    break
            if typ.startswith("service-") and o.get("use-default-session-timeout") is False:
                rec.keys["session-timeout"] = self.key_src("session-timeout", o.get("session-timeout"), pos)
            objs[uid] = rec
            if typ in _LAYER_TYPES:
                self.layer_info(o, located=True)

    # --- packages and layer settings -------------------------------------------------------------------------
    def layer_info(self, o: dict, located: bool = False) -> LayerInfo:
        pos = self.loc.cursor - 1 if located else self.locate(o, True)
        name = str(o.get("name") or o.get("uid") or "")
        cleanup = o.get("implicit-cleanup-action")
        cleanup = cleanup.lower() if isinstance(cleanup, str) else None
        s = self.key_src("implicit-cleanup-action", o.get("implicit-cleanup-action"), pos) if cleanup else \
            self.key_src("name", name, pos)
        if cleanup not in (None, "drop", "accept"):
            self.lines.unrecognized(s, "implicit-cleanup-action '%s' of layer %s" % (redact(cleanup), redact(name)),
                                    Impact.FILTER, name)
            cleanup = None
        info = LayerInfo(str(o.get("uid") or ""), name, cleanup, s)
        self.doc.layer_infos.append(info)
        return info

    def package(self, p: dict) -> None:
        self.doc.kinds.add("package")
        pos = self.locate(p)
        name = str(p.get("name") or "")
        layers = []
        layers_given = p.get("access-layers")
        if layers_given is not None and not isinstance(layers_given, list):
            self.lines.unrecognized(self.src(pos), "package '%s': access-layers is not a list" % redact(name),
                                    Impact.GLOBAL)
            layers_given = ()
        for layer in layers_given or ():
            if isinstance(layer, dict):
                layers.append(self.layer_info(layer))
            elif isinstance(layer, str):
                layers.append(LayerInfo(layer, layer, None, self.src(pos)))
        nat = p.get("nat-policy")
        targets = p.get("installation-targets")  # "all", or the gateways the policy is installed on
        self.doc.packages.append(PackageRec(name, layers, self.key_src("name", name, pos),
                                            nat if isinstance(nat, bool) else None,
                                            tuple(targets) if isinstance(targets, list) and targets else None))

    def global_properties(self, item: dict) -> None:
        """``show-global-properties``: the settings of the implied rules that may accept traffic through the
        gateway (Management API reference, set-global-properties: "firewall" > "accept-icmp-requests",
        "accept-icmp-requests-position" ...), and the default TCP session timeout ("stateful-inspection" >
        "tcp-session-timeout": "The length of time (in seconds) an idle connection will remain in the Security
        Gateway connections table"; the services with use-default-session-timeout take it: R80.10 SmartConsole
        help, "TCP Service - Advanced", "Default - Use the default value defined on the Stateful Inspection page in
        the Global Properties window").  Its other settings are not read (they decide no access rule)."""
        self.doc.kinds.add("global-properties")
        pos = self.locate(item)
        fw = item["firewall"]
        for key in IMPLIED_SETTINGS:
            on = fw.get(key)
            if not isinstance(on, bool):
                continue  # (not given: the implied rule stays uncertain)
            where = self.key_src(key, on, pos)
            place = fw.get(key + "-position")
            place = place.lower() if isinstance(place, str) and place.lower() in POSITIONS else None
            self.doc.implied[key] = (on, place, where)
        si = item.get("stateful-inspection")
        secs = si.get("tcp-session-timeout") if isinstance(si, dict) else None
        if isinstance(secs, int) and not isinstance(secs, bool) and secs > 0:
            self.doc.tcp_timeout = (secs, self.key_src("tcp-session-timeout", secs, pos))
        elif secs is not None:
            self.unknown("stateful-inspection", "tcp-session-timeout", secs, pos, Impact.FILTER, "timeouts")

    def index(self, item: dict) -> None:
        """The Show Package tool's ``index.json``: each package's ordered access layers, by name."""
        self.doc.kinds.add("package")
        for p in item["policyPackages"]:
            if not isinstance(p, dict):
                continue
            name = str(p.get("packageName") or "")
            pos = self.loc.key("packageName", name, self.loc.cursor)
            layers = []
            for layer in p.get("accessLayers") or ():
                if not isinstance(layer, dict):
                    continue
                lpos = self.locate(layer)
                lname = str(layer.get("name") or "")
                file_name = str(layer.get("htmlFileName") or "")
                info = LayerInfo(str(layer.get("uid") or ""), lname, None, self.key_src("name", lname, lpos))
                info.file = re.sub(r"\.html$", ".json", file_name)
                layers.append(info)
            self.doc.packages.append(PackageRec(name, layers, self.src(pos)))

    # --- accounting ---------------------------------------------------------------------------------------
    def account(self) -> None:
        """A record's lines (from its uid to the next record's) are used, or ignored with why; the
        rest (brackets, page counters, reply headers) is JSON structure."""
        lines = self.lines
        lines.counted(self.loc.line(len(self.text)) - 1)  # (the locator has counted up to its last record)
        lines.mark_spans(span_marks(sorted(self.spans)))
        lines.ignore(0, "JSON structure (brackets, page counters, layer and reply headers)", len(lines))


def span_marks(spans: list) -> list:
    """The ``JsonLines.mark_spans`` of records' spans ``(the line of its uid, used?, why not)``, sorted:
    each record's lines run from its uid's line to the next record's.  A record's span meets the one
    before it, so a run of records alike (a page's rules, the objects a page repeats) is one span:
    the same lines marked, and counted, as one by one."""
    marks: list = []  # [first line - 1, last line, used, why] of each run of records alike
    for (used, why), run in groupby(spans, _ALIKE):  # (a run's records go by at C speed)
        run = list(run)
        marks.append([run[0][0] - 1, run[-1][0], used, why])
    for mark, nxt in zip(marks, marks[1:]):  # a run's lines go on to the line before the next run's
        if nxt[0] > mark[1]:
            mark[1] = nxt[0]
    return marks


_ALIKE = itemgetter(1, 2)  # (used?, why not) of a record's span


def _count(v: Any) -> int | None:
    """A reply's ``from``/``to``/``total`` (None when it is not a number)."""
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _type_of(it: dict) -> str | None:
    """An object's ``type``: None when it has none, ``"?"`` when it is not a string (no type Check Point
    writes: the object is then not understood, as one of an unknown type)."""
    typ = it.get("type")
    return typ if typ is None or isinstance(typ, str) else "?"


def _item_kind(x: dict) -> str:
    typ = _type_of(x)
    if typ in RULE_TYPES:
        return "rule"
    if typ in SECTION_TYPES:
        return "section"
    if typ == PLACE_HOLDER:
        return "place-holder"
    if typ in NAT_RULE_TYPES:
        return "nat-rule"
    if typ in NAT_SECTION_TYPES:
        return "nat-section"
    if isinstance(x.get("uid"), str) and isinstance(typ, str) and "rulebase" not in x:
        return "object"
    return "other"


def _is_nat(item: dict) -> bool:
    """Whether a rulebase reply is a NAT rulebase (by its items; an empty one by its name)."""
    stack = list(item["rulebase"])
    while stack:
        it = stack.pop()
        if not isinstance(it, dict):
            continue
        typ = _type_of(it)
        if typ in NAT_RULE_TYPES or typ in NAT_SECTION_TYPES or "original-source" in it:
            return True
        if typ in RULE_TYPES or typ in SECTION_TYPES or "source" in it:
            return False
        if isinstance(it.get("rulebase"), list):
            stack.extend(it["rulebase"])
    return "name" not in item


def read(text: str, path: str) -> Doc:
    """One file's records (``InputError`` when it is not a Check Point export at all)."""
    return Reader(text, path).read()

"""Change requests for a Check Point policy, written as ``mgmt_cli`` commands, applied to the export.

``apply_change(config_text, change_text, change_path, origins)`` returns the rulebase JSON as the
management server would export it after the commands (the parser then reads it like any
export); ``origins``, when given a list, receives ``("config", n)`` or ``("change", n)`` per line
of the result.  The file is edited line by line (the rules around an edit keep their lines), so it
must be one key per line (any pretty-printed JSON; a compact file is re-indented first).

Supported, with the Management API's meaning (add-access-rule, set-access-rule,
delete-access-rule: https://sc1.checkpoint.com/documents/latest/APIs/):

* ``add access-rule layer L position P name N [source S | source.1 S ...] [destination ...]
  [service ...] [action Accept|Drop|Reject|"Apply Layer"] [inline-layer X] [enabled true|false]
  [source-negate|destination-negate|service-negate true|false] [comments C]``; ``position`` is a
  rule number (the new rule takes that number: it goes above the rule that has it now; one past
  the last rule appends), ``top``, ``bottom``, or ``position.above``/``position.below`` a rule
  (name or uid), ``position.top``/``position.bottom`` a section, or those as the web API's JSON
  object (``position '{"above": "Block SMB"}'``);
* ``set access-rule layer L (rule-number N | name N | uid U)`` with ``new-name``, the cells
  (``source``... replace, ``source.add``/``source.remove`` edit), their ``-negate``, ``action``,
  ``inline-layer``, ``enabled``, ``comments``, ``new-position`` (as ``position``);
* ``delete access-rule layer L (rule-number N | name N | uid U)``.

``track`` (``track.type Log``...), ``custom-fields``, ``details-level``, ``ignore-warnings`` and
``ignore-errors`` are accepted with any command and change nothing here: they say what a rule logs or
how the API answers, not which connections it accepts.

Objects are named by name (or uid) and must be in the export (its dictionaries or object
replies) or added by an earlier command: ``set group`` (``members``, ``members.add``,
``members.remove``) and ``set service-tcp``/``-udp`` (``port``) rewrite every copy of the object in the
text; ``add host`` (``ip-address``...) and ``add network`` (``subnet``, ``mask-length``) put a new
object in the first objects list (``_OBJECT_PARAMS``).  ``publish``, ``install-policy``,
``login``, ``logout`` and ``show ...`` change no rule and are accepted.  Anything else (another
command, a parameter not listed, an object or rule not found) is an ``InputError`` naming the
change file and line: a change is never applied in part.  Rule numbers of the rules after an
added or deleted rule are not rewritten (the parser orders rules by their place in the file).
"""

from __future__ import annotations

import json
import re
import shlex
import uuid
from typing import Any

from auditor.core.secrets import redact
from parsers.checkpoint.jsonread import load
from parsers.checkpoint.objects import ANY_UID, POLICY_TARGETS_UID, port_set
from parsers.kit import InputError
from parsers.kit.jsonsrc import needs_reindent, reindent
from parsers.kit.names import ascii_digits

_NOOP = ("publish", "install-policy", "login", "logout", "show", "keepalive", "verify-policy")
_VALUE_OPTIONS = {"-s", "--session-file", "-u", "--user", "-p", "--password", "-m", "--management", "-d",
                  "--domain", "--port", "--format", "-f", "-v", "--version", "--context", "--session-id", "-r",
                  "--root", "--api-key", "--sync"}
_CELLS = ("source", "destination", "service")
_BOOL = {"true": True, "false": False}
_ACTION_UIDS = {"accept": "6c488338-8eec-4103-ad21-cd461ac2c472", "drop": "6c488338-8eec-4103-ad21-cd461ac2c473"}
_RULE_TYPES = ("access-rule", "rule")
_SECTION_TYPES = ("access-section", "section")
_ADD_PARAMS = {"layer", "position", "name", "action", "inline-layer", "enabled", "comments", "source-negate",
               "destination-negate", "service-negate", "source", "destination", "service"}
_SET_PARAMS = _ADD_PARAMS - {"position", "name"} | {"new-name", "new-position", "name", "uid", "rule-number",
                                                   "source.add", "source.remove", "destination.add",
                                                   "destination.remove", "service.add", "service.remove"}
# parameters that say what a rule logs or how the API answers, never which connections the rule accepts or
# drops (Check Point Management API reference, add-access-rule / set-access-rule: "track" (type,
# per-connection, per-session, accounting, alert, enable-firewall-session), "custom-fields", "details-level",
# "ignore-warnings", "ignore-errors"): read and left out of the rule, as the decisions do not depend on them
_NO_EFFECT = re.compile(r"(?:track|custom-fields)(?:\.[\w-]+)*|details-level|ignore-warnings|ignore-errors")


class _Text:
    """The config's lines and where each came from, edited in place."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.origins = [("config", n) for n in range(1, len(self.lines) + 1)]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def insert(self, at: int, new: list[str], origin: tuple) -> None:
        self.lines[at:at] = new
        self.origins[at:at] = [origin] * len(new)

    def delete(self, a: int, b: int) -> None:
        del self.lines[a:b]
        del self.origins[a:b]

    def replace(self, a: int, b: int, new: list[str], origin: tuple) -> None:
        self.lines[a:b] = new
        self.origins[a:b] = [origin] * len(new)


def apply_change(config_text: str, change_text: str, change_path: str, origins: list | None = None,
                 removed: list | None = None) -> str:
    """The export after the ``mgmt_cli`` commands of ``change_text`` (see the module docstring).  (``removed``,
    the lines the change removed, is not kept here.)"""
    data = load(config_text, "the config")
    if needs_reindent(config_text) or "\n" not in config_text.strip():
        config_text = reindent(data)
    t = _Text(config_text)
    for n, raw in enumerate(change_text.splitlines(), 1):
        cmd = _command(raw, n, change_path)
        if cmd is None:
            continue
        verb, params = cmd
        where = "%s:%d" % (change_path, n)
        ed = _Editor(t, where, (change_path, n), data)
        if isinstance(verb, tuple):
            ed.object_change(verb[1], verb[2], params)
        elif verb == "add":
            ed.add(params)
        elif verb == "set":
            ed.set(params)
        else:
            ed.delete(params)
        # (each command edits the parsed export as it edits the text, so that the next one need not read
        # the text again: 1.4 s a command for a 120 MB export; where it could not, the next one reads it)
        data = None if ed.stale else ed.data
    if origins is not None:
        origins.extend(t.origins)
    return t.text()


def _command(raw: str, n: int, path: str):
    """(verb, params) of one line, or None for a blank line, a comment or a command that changes no rule."""
    line = raw.strip()
    if not line or line.startswith("#"):
        return None
    try:
        toks = shlex.split(line)
    except ValueError as e:
        raise InputError("%s:%d: cannot read the command (%s)" % (path, n, e)) from None
    if toks and toks[0] == "mgmt_cli":
        toks = toks[1:]
    words = []
    skip = False
    for tok in toks:
        if skip:
            skip = False
            continue
        if tok.startswith("-") and not ascii_digits(tok.lstrip("-")):
            skip = tok in _VALUE_OPTIONS
            continue
        words.append(tok)
    if not words:
        return None
    if words[0] in _NOOP:
        return None
    what = tuple(words[:2])
    if what not in _OBJECT_PARAMS and (len(words) < 2 or words[0] not in ("add", "set", "delete")
                                       or words[1] != "access-rule"):
        raise InputError("%s:%d: '%s' is not a change this tool applies (add/set/delete access-rule, set group, "
                         "set service-tcp/-udp, add host/network, publish, install-policy)"
                         % (path, n, redact(" ".join(words[:2]))))
    rest = words[2:]
    if len(rest) % 2:
        raise InputError("%s:%d: parameter '%s' has no value" % (path, n, redact(rest[-1])))
    if what in _OBJECT_PARAMS:
        return _object_command(what, rest, n, path)
    params: dict[str, Any] = {}
    for k, v in zip(rest[0::2], rest[1::2], strict=True):
        if _NO_EFFECT.fullmatch(k):
            continue
        m = re.fullmatch(r"(source|destination|service)(?:\.(add|remove))?(?:\.([0-9]+))?", k)
        if m:
            key = m.group(1) + ("." + m.group(2) if m.group(2) else "")
            params.setdefault(key, []).append((int(m.group(3) or 0), v))
            continue
        m = re.fullmatch(r"(position|new-position)(?:\.(top|bottom|above|below))?", k)
        if m:
            params[m.group(1)] = (m.group(2) or "", v) if m.group(2) or not v.lstrip().startswith("{") else \
                _json_position(k, v, n, path)
            continue
        params[k] = v
    _in_index_order(params)
    allowed = _ADD_PARAMS if words[0] == "add" else _SET_PARAMS if words[0] == "set" else {
        "layer", "name", "uid", "rule-number"}
    for k in params:
        if k not in allowed:
            raise InputError("%s:%d: parameter '%s' of %s access-rule is not supported" % (path, n, redact(k),
                                                                                             words[0]))
    return words[0], params


def _json_position(key: str, value: str, n: int, path: str) -> tuple[str, str]:
    """A position written as the web API's JSON object (``position '{"above": "Block SMB"}'``: Management API
    reference, add-access-rule, ``position``: a number, top, bottom, or an object of one of ``above``, ``below``,
    ``top``, ``bottom``) as ``(how, arg)``, as ``position.above "Block SMB"`` gives it."""
    try:
        got = json.loads(value)
    except ValueError:
        got = None
    if not (isinstance(got, dict) and len(got) == 1):
        raise InputError("%s:%d: %s '%s' is not one of above, below, top or bottom" % (path, n, key, redact(value)))
    ((how, arg),) = got.items()
    if how not in ("above", "below", "top", "bottom") or not isinstance(arg, (str, int)) or isinstance(arg, bool):
        raise InputError("%s:%d: %s '%s' is not one of above, below, top or bottom" % (path, n, key, redact(value)))
    return how, str(arg)


# Object changes (Management API reference: set-group "members" (add, remove), set-service-tcp / set-service-udp
# "port", add-host "ip-address" / "ipv4-address" / "ipv6-address", add-network "subnet" / "subnet4" / "subnet6",
# "mask-length" / "mask-length4" / "mask-length6"): the parameters read, each command's own; anything else refused.
_OBJECT_PARAMS = {
    ("set", "group"): {"name", "uid", "members", "members.add", "members.remove"},
    ("set", "service-tcp"): {"name", "uid", "port"},
    ("set", "service-udp"): {"name", "uid", "port"},
    ("add", "host"): {"name", "ip-address", "ipv4-address", "ipv6-address"},
    ("add", "network"): {"name", "subnet", "subnet4", "subnet6", "mask-length", "mask-length4", "mask-length6"},
}


def _object_command(what: tuple, rest: list, n: int, path: str):
    """(("object", verb, type), params) of a command that changes an object (``_OBJECT_PARAMS``)."""
    params: dict[str, Any] = {}
    for k, v in zip(rest[0::2], rest[1::2], strict=True):
        if _NO_EFFECT.fullmatch(k):
            continue
        m = re.fullmatch(r"(members(?:\.add|\.remove)?)(?:\.([0-9]+))?", k)
        if m:
            params.setdefault(m.group(1), []).append((int(m.group(2) or 0), v))
            continue
        if k not in _OBJECT_PARAMS[what]:
            raise InputError("%s:%d: parameter '%s' of %s %s is not supported" % (path, n, redact(k), *what))
        params[k] = v
    _in_index_order(params)
    return ("object", *what), params


def _in_index_order(params: dict) -> None:
    """Each list parameter given as ``(index, value)`` pairs (``members.1 A members.2 B``), as its values in index
    order."""
    for k, v in params.items():
        if isinstance(v, list):
            params[k] = [x for _i, x in sorted(v, key=lambda p: p[0])]


class _Editor:
    """One command's edit of the text: finding layers, rules and objects in the current JSON."""

    def __init__(self, t: _Text, where: str, origin: tuple, data: Any = None):
        self.t = t
        self.where = where
        self.origin = ("change", origin[1])
        self.uid_seed = "%s:%d" % origin
        self.data = load(t.text(), where) if data is None else data  # (``data``: the text's, already read)
        self.stale = False  # ``data`` no longer what the text holds
        self.names = _object_names(self.data)

    def fail(self, msg: str):
        raise InputError("%s: %s" % (self.where, msg))

    # --- finding things ----------------------------------------------------------------------------
    def layer_items(self, layer: Any) -> list[tuple[dict, str]]:
        """The rules of layer ``layer`` (name or uid) in order, with the name of their section."""
        if not isinstance(layer, str) or not layer:
            self.fail("the command names no layer")
        replies = self.data if isinstance(self.data, list) else [self.data]
        out, found = [], False
        for rep in replies:
            if isinstance(rep, dict) and isinstance(rep.get("rulebase"), list) and layer in (rep.get("name"),
                                                                                             rep.get("uid")):
                found = True
                for it in rep["rulebase"]:
                    if isinstance(it, dict) and it.get("type") in _SECTION_TYPES:
                        out += [(r, str(it.get("name"))) for r in it.get("rulebase") or () if isinstance(r, dict)]
                        if not it.get("rulebase"):
                            out.append((it, str(it.get("name"))))  # (an empty section: a place to put rules)
                    elif isinstance(it, dict):
                        out.append((it, ""))
        if not found:
            self.fail("layer '%s' is not in the config" % redact(layer))
        return out

    def rules(self, layer) -> list[tuple[dict, str]]:
        return [(r, s) for r, s in self.layer_items(layer) if r.get("type") in _RULE_TYPES]

    def find_rule(self, params: dict) -> dict:
        rules = self.rules(params.get("layer"))
        if "uid" in params:
            got = [r for r, _s in rules if r.get("uid") == params["uid"]]
        elif "rule-number" in params:
            k = params["rule-number"]
            if not ascii_digits(str(k)):
                self.fail("rule-number '%s' is not a number" % redact(str(k)))
            got = [rules[int(k) - 1][0]] if 1 <= int(k) <= len(rules) else []
        elif "name" in params:
            got = [r for r, _s in rules if r.get("name") == params["name"]]
        else:
            self.fail("the command names no rule (rule-number, name or uid)")
        if not got:
            self.fail("no such rule in layer '%s'" % redact(str(params.get("layer"))))
        return got[0]

    def ref(self, name: str) -> str:
        """The uid of the object called ``name`` (or with that uid) in the export."""
        if name == "Any":
            return ANY_UID
        if name in self.names.values() or re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", name):
            return name
        uid = self.names.get(name)
        if uid is None:
            self.fail("no object named '%s' in the config (name one the export holds, or by its uid, or add it "
                      "first: add host, add network)" % redact(name))
        return uid

    def action(self, name: str) -> str:
        """The uid of the rulebase action ``name`` (the export's object, or the predefined one)."""
        types = _object_types(self.data)
        for n, uid in self.names.items():
            if n.lower() == name.lower() and types.get(uid) == "RulebaseAction":
                return uid
        uid = _ACTION_UIDS.get(name.lower())
        if uid is None:
            self.fail("action '%s' is not in the export" % redact(name))
        return uid

    # --- spans of lines ------------------------------------------------------------------------------
    def span(self, obj: dict) -> tuple[int, int]:
        """[first, last] line indexes of a rule or section object in the current text."""
        uid = obj.get("uid")
        lines = self.t.lines
        key = re.compile(r'^\s*"uid"\s*:\s*%s\s*,?\s*$' % re.escape(json.dumps(uid)))
        at = next((i for i, line in enumerate(lines) if key.match(line)), None)
        if at is None:
            self.fail("cannot find rule %s in the config's lines" % redact(str(uid)))
        return self._span_at(at, uid, "rule")

    def rule_lines(self, rule: dict, indent: str, step: int, comma: bool) -> list[str]:
        out = [indent + x for x in json.dumps(rule, indent=step, ensure_ascii=False).splitlines()]
        if comma:
            out[-1] += ","
        return out

    def step_of(self, a: int) -> int:
        lines = self.t.lines
        if a + 1 < len(lines):
            inner = len(lines[a + 1]) - len(lines[a + 1].lstrip())
            outer = len(lines[a]) - len(lines[a].lstrip())
            if inner > outer:
                return inner - outer
        return 4

    # --- placing -------------------------------------------------------------------------------------
    def place(self, rule: dict, layer, how: str, arg: str, skip_uid: Any = None) -> None:
        """Insert ``rule`` at position (``how``, ``arg``) of ``layer``."""
        items = [(r, s) for r, s in self.layer_items(layer) if r.get("uid") != skip_uid]
        rules = [(r, s) for r, s in items if r.get("type") in _RULE_TYPES]
        if how == "":
            if arg == "top":
                how, target = "above", rules[0][0] if rules else None
            elif arg == "bottom":
                how, target = "below", rules[-1][0] if rules else None
            elif ascii_digits(arg) and 1 <= int(arg) <= len(rules) + 1:
                k = int(arg)
                how, target = ("above", rules[k - 1][0]) if k <= len(rules) else ("below", rules[-1][0] if rules
                                                                                   else None)
            else:
                self.fail("position '%s' is not a rule number of layer '%s' (1 to %d), top or bottom" % (
                    redact(arg), redact(str(layer)), len(rules) + 1))
            if target is None:
                self.fail("layer '%s' has no rule to place the new one by" % redact(str(layer)))
        elif how in ("above", "below"):
            got = [r for r, _s in rules if arg in (r.get("name"), r.get("uid"))]
            if not got:
                self.fail("no rule '%s' in layer '%s'" % (redact(arg), redact(str(layer))))
            target = got[0]
        else:  # top / bottom of a section
            in_sec = [r for r, s in items if s == arg]
            if not in_sec:
                self.fail("no section '%s' in layer '%s'" % (redact(arg), redact(str(layer))))
            sec_rules = [r for r in in_sec if r.get("type") in _RULE_TYPES]
            if not sec_rules:
                return self.into_empty_section(rule, in_sec[0])
            how, target = ("above", sec_rules[0]) if how == "top" else ("below", sec_rules[-1])
        a, b = self.span(target)
        lines = self.t.lines
        indent = lines[a][: len(lines[a]) - len(lines[a].lstrip())]
        step = self.step_of(a)
        if how == "above":
            self.t.insert(a, self.rule_lines(rule, indent, step, True), self.origin)
        else:
            last = lines[b].rstrip()
            if last.endswith(","):
                self.t.insert(b + 1, self.rule_lines(rule, indent, step, True), self.origin)
            else:
                lines[b] = last + ","
                self.t.insert(b + 1, self.rule_lines(rule, indent, step, False), self.origin)
        self._edit(target, lambda held, k: held.insert(k if how == "above" else k + 1, _copy(rule)))

    def into_empty_section(self, rule: dict, section: dict) -> None:
        a, b = self.span(section)
        lines = self.t.lines
        for i in range(a, b + 1):
            m = re.match(r'^(\s*)"rulebase"\s*:\s*\[\s*\](,?)\s*$', lines[i])
            if m:
                indent, comma = m.group(1), m.group(2)
                step = self.step_of(a)
                new = [indent + '"rulebase": ['] + self.rule_lines(rule, indent + " " * step, step, False) + [
                    indent + "]" + comma]
                self.t.replace(i, i + 1, new, self.origin)
                if section.get("rulebase") == []:
                    section["rulebase"].append(_copy(rule))
                else:
                    self.stale = True
                return
        self.fail("section '%s' has no empty rulebase to put the rule in" % redact(str(section.get("name"))))

    # --- commands ------------------------------------------------------------------------------------
    def cells(self, rule: dict, params: dict) -> None:
        for cell in _CELLS:
            if cell in params:
                rule[cell] = [self.ref(x) for x in params[cell]]
            for op in ("add", "remove"):
                key = "%s.%s" % (cell, op)
                if key not in params:
                    continue
                cur = [x if isinstance(x, str) else x.get("uid") for x in rule.get(cell) or []]
                for x in params[key]:
                    u = self.ref(x)
                    if op == "add" and u not in cur:
                        cur = [c for c in cur if c != ANY_UID] + [u]
                    elif op == "remove":
                        if u not in cur:
                            self.fail("%s of the rule does not hold '%s'" % (cell, redact(x)))
                        cur.remove(u)
                rule[cell] = cur or [ANY_UID]
            neg = params.get("%s-negate" % cell)
            if neg is not None:
                rule["%s-negate" % cell] = self.boolean(neg, "%s-negate" % cell)
        if "action" in params:
            name = params["action"]
            if name.lower() in ("apply layer", "inner layer"):
                if "inline-layer" not in params and not rule.get("inline-layer"):
                    self.fail("action Apply Layer needs an inline-layer")
                types = _object_types(self.data)
                rule["action"] = next((u for n, u in self.names.items() if n.lower() in ("inner layer", "apply layer")
                                       and types.get(u) == "RulebaseAction"), "Apply Layer")
            else:
                rule["action"] = self.action(name)
                rule.pop("inline-layer", None)
        if "inline-layer" in params:
            rule["inline-layer"] = self.layer_uid(params["inline-layer"])
        if "enabled" in params:
            rule["enabled"] = self.boolean(params["enabled"], "enabled")
        if "comments" in params:
            rule["comments"] = params["comments"]

    def layer_uid(self, name: str) -> str:
        replies = self.data if isinstance(self.data, list) else [self.data]
        for rep in replies:
            if isinstance(rep, dict) and name in (rep.get("name"), rep.get("uid")) and rep.get("uid"):
                return rep["uid"]
        return self.ref(name)

    def boolean(self, v: str, what: str) -> bool:
        if v.lower() not in _BOOL:
            self.fail("%s must be true or false" % what)
        return _BOOL[v.lower()]

    def add(self, params: dict) -> None:
        if "position" not in params:
            self.fail("add access-rule needs a position")
        rule = {"uid": str(uuid.uuid5(uuid.NAMESPACE_URL, "prinergy-audit:" + self.uid_seed)),
                "name": params.get("name", ""), "type": "access-rule",
                "source": [ANY_UID], "source-negate": False, "destination": [ANY_UID], "destination-negate": False,
                "service": [ANY_UID], "service-negate": False, "vpn": [ANY_UID],
                "action": _ACTION_UIDS["drop"], "content": [ANY_UID], "content-negate": False, "time": [ANY_UID],
                "enabled": True, "install-on": [POLICY_TARGETS_UID], "comments": ""}
        self.cells(rule, params)  # (the API's default action is Drop)
        how, arg = params["position"]
        self.place(rule, params.get("layer"), how, arg)

    def set(self, params: dict) -> None:
        target = self.find_rule(params)
        a, b = self.span(target)
        rule = dict(target)
        if "new-name" in params:
            rule["name"] = params["new-name"]
        self.cells(rule, params)
        lines = self.t.lines
        comma = lines[b].rstrip().endswith(",")
        indent = lines[a][: len(lines[a]) - len(lines[a].lstrip())]
        if "new-position" in params:
            self.t.delete(a, b + 1)
            self._fix_commas_after_delete(a, comma)
            self.data = load(self.t.text(), self.where)
            how, arg = params["new-position"]
            self.place(rule, params.get("layer"), how, arg, skip_uid=rule.get("uid"))
            return
        self.t.replace(a, b + 1, self.rule_lines(rule, indent, self.step_of(a), comma), self.origin)
        self._edit(target, lambda held, k: held.__setitem__(k, _copy(rule)))

    def delete(self, params: dict) -> None:
        target = self.find_rule(params)
        a, b = self.span(target)
        comma = self.t.lines[b].rstrip().endswith(",")
        self.t.delete(a, b + 1)
        self._fix_commas_after_delete(a, comma)
        self._edit(target, lambda held, k: held.pop(k))

    # --- objects -------------------------------------------------------------------------------------
    def object_change(self, verb: str, typ: str, params: dict) -> None:
        """``set group``, ``set service-tcp``/``-udp``: every copy of the object in the text (each page's
        dictionary, the objects replies) rewritten; ``add host``/``network``: a new object in the first objects
        list of the export (a rule may then name it)."""
        if verb == "add":
            return self.add_object(typ, params)
        key = params.get("uid") or params.get("name")
        if not key:
            self.fail("the command names no object (name or uid)")
        uid = key if "uid" in params else self.names.get(key)
        types = _object_types(self.data)
        if uid is None or types.get(uid) != typ:
            self.fail("no %s '%s' in the config" % (typ, redact(key)))

        def edit(o: dict) -> dict:
            o = dict(o)
            if typ == "group":
                cur = [m if isinstance(m, str) else m.get("uid") for m in o.get("members") or []]
                if "members" in params:
                    cur = [self.ref(x) for x in params["members"]]
                for x in params.get("members.add", ()):
                    u = self.ref(x)
                    if u not in cur:
                        cur.append(u)
                for x in params.get("members.remove", ()):
                    u = self.ref(x)
                    if u not in cur:
                        self.fail("group '%s' does not hold '%s'" % (redact(key), redact(x)))
                    cur.remove(u)
                o["members"] = cur
            elif "port" in params:
                try:  # (a port the API refuses, "\u0664\u0664\u0665" or "80-", is refused here, at its line)
                    port_set(params["port"])
                except ValueError as e:
                    self.fail("port '%s' of %s '%s': %s" % (redact(params["port"]), typ, redact(key), e))
                o["port"] = params["port"]
            return o

        lines = self.t.lines
        pat = re.compile(r'^\s*"uid"\s*:\s*%s\s*,?\s*$' % re.escape(json.dumps(uid)))
        done = 0
        i = 0
        while i < len(lines):
            if not pat.match(lines[i]):
                i += 1
                continue
            a, b = self._span_at(i, uid)
            body = "\n".join(lines[a:b + 1]).rstrip().rstrip(",")
            try:
                old = json.loads(body)
            except ValueError:
                self.fail("the config is not one key per line around object %s" % redact(key))
            if not isinstance(old, dict) or old.get("uid") != uid:
                self.fail("the config is not one key per line around object %s" % redact(key))
            comma = lines[b].rstrip().endswith(",")
            indent = lines[a][: len(lines[a]) - len(lines[a].lstrip())]
            new = self.rule_lines(edit(old), indent, self.step_of(a), comma)
            self.t.replace(a, b + 1, new, self.origin)
            done += 1
            i = a + len(new)
        if not done:
            self.fail("cannot find object '%s' in the config's lines" % redact(key))
        self.stale = True

    def add_object(self, typ: str, params: dict) -> None:
        name = params.get("name")
        if not name:
            self.fail("add %s needs a name" % typ)
        if name in self.names:
            self.fail("an object named '%s' is in the config already" % redact(name))
        o: dict[str, Any] = {"uid": str(uuid.uuid5(uuid.NAMESPACE_URL, "prinergy-audit:" + self.uid_seed)),
                             "name": name, "type": typ}
        if typ == "host":
            ip = params.get("ipv4-address") or params.get("ipv6-address") or params.get("ip-address")
            if not ip:
                self.fail("add host needs an ip-address")
            o["ipv6-address" if ":" in ip else "ipv4-address"] = ip
        else:
            subnet = params.get("subnet4") or params.get("subnet6") or params.get("subnet")
            length = params.get("mask-length4") or params.get("mask-length6") or params.get("mask-length")
            if not subnet or not length or not ascii_digits(str(length)):
                self.fail("add network needs a subnet and a mask-length")
            six = ":" in subnet
            o["subnet6" if six else "subnet4"] = subnet
            o["mask-length6" if six else "mask-length4"] = int(length)
        lines = self.t.lines
        at = next((i for i, line in enumerate(lines)
                   if re.match(r'^\s*"(?:objects-dictionary|objects)"\s*:\s*\[\s*$', line)), None)
        if at is None or at + 1 >= len(lines) or lines[at + 1].strip() in ("]", "],"):
            self.fail("the config has no objects list to add %s '%s' to" % (typ, redact(name)))
        first = at + 1
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
        self.t.insert(first, self.rule_lines(o, indent, self.step_of(first), True), self.origin)
        self.stale = True

    def _span_at(self, at: int, uid: Any, what: str = "object") -> tuple[int, int]:
        """[first, last] line indexes of the object (a rule, ``what``) whose ``"uid"`` key is on line ``at``."""
        lines = self.t.lines
        ind = len(lines[at]) - len(lines[at].lstrip())
        a = at
        while a >= 0 and not (lines[a].strip() == "{" and len(lines[a]) - len(lines[a].lstrip()) < ind):
            a -= 1
        if a < 0:
            self.fail("the config is not one key per line around %s %s" % (what, redact(str(uid))))
        outer = len(lines[a]) - len(lines[a].lstrip())
        b = at
        while b < len(lines) and not (lines[b].strip().startswith("}") and len(lines[b]) - len(lines[b].lstrip())
                                      == outer):
            b += 1
        if b >= len(lines):
            self.fail("the config is not one key per line around %s %s" % (what, redact(str(uid))))
        return a, b

    def _edit(self, obj: dict, change) -> None:
        """``change(list, index)`` applied to the rulebase list holding ``obj`` in ``data``, as the text
        was just edited around it (found by identity; ``stale`` when it is not found)."""
        for rep in (self.data if isinstance(self.data, list) else [self.data]):
            todo = [rep.get("rulebase")] if isinstance(rep, dict) else []
            while todo:
                held = todo.pop()
                if not isinstance(held, list):
                    continue
                for k, it in enumerate(held):
                    if it is obj:
                        change(held, k)
                        return
                    if isinstance(it, dict) and isinstance(it.get("rulebase"), list):
                        todo.append(it["rulebase"])
        self.stale = True

    def _fix_commas_after_delete(self, a: int, had_comma: bool) -> None:
        """The element before a deleted last element loses its comma."""
        if had_comma or a == 0:
            return
        prev = self.t.lines[a - 1].rstrip()
        if prev.endswith(","):
            self.t.lines[a - 1] = prev[:-1]


def _copy(rule: dict) -> Any:
    """``rule`` as reading the lines written for it gives it back (its own object, not shared)."""
    return json.loads(json.dumps(rule, ensure_ascii=False))


def _object_lists(data: Any):
    items = data if isinstance(data, list) else [data]
    for rep in items:
        if not isinstance(rep, dict):
            continue
        for key in ("objects-dictionary", "objects"):
            objs = rep.get(key)
            if isinstance(objs, list):
                yield from (o for o in objs if isinstance(o, dict))
        if isinstance(rep.get("uid"), str) and isinstance(rep.get("type"), str) and "rulebase" not in rep:
            yield rep


def _object_names(data: Any) -> dict:
    out: dict = {}
    for o in _object_lists(data):
        if isinstance(o.get("name"), str) and isinstance(o.get("uid"), str):
            out.setdefault(o["name"], o["uid"])
    return out


def _object_types(data: Any) -> dict:
    return {o["uid"]: o.get("type") for o in _object_lists(data) if isinstance(o.get("uid"), str)}

"""Apply a Cisco ASA change request (CLI commands) to a running-config, as text.

``apply_change(config_text, change_text, change_path)`` returns the
running-config as it would read after the commands were entered, which
``parsers.cisco_asa.parse`` then reads like any config.  Supported, with the
device's semantics:

* ``access-list NAME [line N] extended|standard|remark ...``: insert at line
  N (remarks count as lines, as on the device) or append; a new ACL is placed
  after the last access-list; an entry the list has, typed again with or without ``inactive``, is
  that entry changed where it stands (disabled or enabled again); one with another ``time-range`` is
  refused (the ASA changes that element in place, how is not documented);
* ``no access-list NAME [line N] extended|standard|remark ...``: remove the
  matching entry (with ``line N``: the entry there must match);
* ``object-group TYPE NAME`` / ``object TYPE NAME`` blocks: add members to an
  existing group (``no MEMBER`` lines remove one), replace an object's
  definition, or create the object; ``no object-group TYPE NAME`` /
  ``no object TYPE NAME`` delete it when nothing uses it (an access list, a group, a NAT rule); a
  ``no MEMBER`` line that would leave an object something uses without members or definition is
  refused, as the ASA refuses it; an object with a NAT rule is not deleted (remove the rule first);
* a network object's ``nat ...`` line (object NAT, one rule per object): it replaces the object's
  rule, also where the running-config prints it in the object's second block; ``no nat ...`` removes
  the rule written exactly so;
* twice NAT ``nat [(REAL,MAPPED)] [after-auto] [N] source ...``: at the end of section 1 (``after-auto``:
  section 3), or at line N of that section (counted in the section, as the device numbers them); it is
  written without N, as the running-config shows it; a rule the config has (with other options too) is
  refused, and so is a config whose own NAT lines carry line numbers; ``no nat ...`` removes the rule
  the section has word for word (with N: the one at that line) and is refused when there is none;
  a NAT line (twice or object NAT) the ASA rejects is refused: in a config before 8.3, naming an object not
  defined before it, mapping to the mapped interface's own address (or, static from 8.4(4), its standby one);
* ``access-group ...`` replaces the binding of that interface and direction
  (or the global one); ``no access-group ...`` removes it;
* ``timeout TIMER H:MM:SS [TIMER H:MM:SS ...]`` sets those timers;
* ``class-map`` / ``policy-map`` blocks add or update classes and their
  settings (``no class X`` inside a policy-map removes one);
  ``no class-map NAME`` / ``no policy-map NAME`` delete unused maps;
* ``service-policy PMAP global|interface IF`` and its ``no`` form;
* ``route IF NET MASK GATEWAY [DISTANCE] [track N]``, ``route null0 NET MASK [DISTANCE]`` and
  ``ipv6 route IF PREFIX/LEN GATEWAY [DISTANCE]`` add a route after the last one (a second route to a
  network is another line: a backup of another distance, or an equal-cost gateway); one that would take
  an equal-cost route to another interface is refused (the ASA refuses it), and so is one naming a route
  the config has (interface, network and gateway) with other settings (editing it in place is not
  modelled); ``no route ...`` / ``no ipv6 route ...`` remove the route with that interface, network,
  gateway, distance (1 when not given) and tracking, and are refused when there is none.
* ``interface TYPE NUMBER`` blocks: written after the interface's own block(s), which the parser merges as the
  ASA's interface configuration mode applies the sub-commands (``_interface``); a new interface is added after the
  last one (a new physical port shut, as the ASA starts it); ``no interface``, renaming, a name another interface
  has, ``no nameif`` of a used name and sub-commands other than the modelled ones are refused;
* ``same-security-traffic permit inter-interface|intra-interface`` and its ``no`` form.

``configure terminal``, ``end``, ``exit`` and ``write memory`` are accepted
and do nothing.  Any other command raises ``InputError`` naming the change
file and line: a change is never applied in part.

``origins``, when given a list, receives one ``("config", n)`` or
``("change", n)`` per line of the result: where that line came from.
"""

from __future__ import annotations

import ipaddress
import re

from parsers.cisco_asa.names import ANY_PORTS, IF_PHYSICAL, IF_VIRTUAL, IGNORED_INTERFACE
from parsers.cisco_asa.scan import VERSION_LINE
from parsers.cisco_asa.services import decimal
from parsers.cisco_asa.topology import if_name
from parsers.kit.edit import Command, Edit, commands, entry_key
from parsers.kit.ifnames import IfNames

_ACL_KINDS = ("extended", "standard", "remark")
_HMS = re.compile(r"^[0-9]+:[0-9]{1,2}(:[0-9]{1,2})?$")  # (ASCII digits: services.decimal)
_OBJ_REF = ("object", "object-group", "group-object")
_SUPPORTED = ("access-list, object, object-group, access-group, nat, timeout, class-map, policy-map, "
              "service-policy, route, ipv6 route, interface, same-security-traffic (and their 'no' forms)")


class _Edit(Edit):
    """The running-config being edited (``parsers.kit.edit.Edit``) and this vendor's block helpers."""

    def __init__(self, text: str, change_path: str, change_text: str = ""):
        super().__init__(text, change_path)
        self.change = change_text.splitlines()  # (``_nat_allowed``: what the change defines later)

    def top(self) -> list[tuple[int, int]]:
        """(start, end) of each top-level line and its indented children."""
        out = []
        n = len(self.lines)
        i = 0
        while i < n:
            raw = self.lines[i]
            if not raw.strip() or raw[:1] in (" ", "\t"):
                i += 1
                continue
            j = i + 1
            while j < n and self.lines[j][:1] in (" ", "\t") and self.lines[j].strip():
                j += 1
            out.append((i, j))
            i = j
        return out

    def blocks(self, pred) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.top() if pred(self.lines[s].split())]

    def end_index(self) -> int:
        """Where to append at the end: before the ': end' / 'Cryptochecksum' trailer."""
        k = len(self.lines)
        while k > 0 and (not self.lines[k - 1].strip() or self.lines[k - 1].startswith(
                (": end", "Cryptochecksum", "prompt "))):
            k -= 1
        return k

    def after_last(self, *preds) -> int:
        """Just after the last block matching the first predicate that matches any; else the end."""
        for pred in preds:
            spans = self.blocks(pred)
            if spans:
                return spans[-1][1]
        return self.end_index()

    def before_first(self, pred) -> int | None:
        spans = self.blocks(pred)
        return spans[0][0] if spans else None

    def uses(self, name: str, skip: tuple[int, int], words: tuple[str, ...] | None) -> str | None:
        """The first line outside ``skip`` that refers to ``name`` after one of ``words`` (any word: None)."""
        for k, raw in enumerate(self.lines):
            if skip[0] <= k < skip[1]:
                continue
            t = raw.split()
            for a, b in zip(t, t[1:], strict=False):
                if b == name and (words is None or a in words):
                    return raw.strip()
        return None


def _norm(text: str) -> str:
    return " ".join(text.split())


def apply_change(config_text: str, change_text: str, change_path: str,
                 origins: list | None = None, removed: list | None = None) -> str:
    """``config_text`` with the ASA commands of ``change_text`` applied (see the module doc); ``removed``, when
    given a list, receives (config line, change line) for each config line the change removed or replaced."""
    ed = _Edit(config_text, change_path, change_text)
    for cmd in commands(change_text, ed, comments=("!",), skip=(":",)):
        ed.cmd = cmd
        t = cmd.toks
        neg = t[0] == "no"
        word = t[1] if neg and len(t) > 1 else t[0]
        handler = _HANDLERS.get(word)
        if handler is None:
            ed.fail("not a supported command (supported: %s)" % _SUPPORTED)
        if cmd.children and (neg or word not in _BLOCKS):
            ed.fail("'%s' takes no indented lines" % " ".join(t[:2] if neg else t[:1]),
                    cmd.children[0][0], cmd.children[0][1])
        handler(ed, cmd, t[1:] if neg else t, neg)
    if origins is not None:
        origins[:] = ed.origin
    if removed is not None:
        removed[:] = ed.removed
    out = "\n".join(ed.lines)
    return out + "\n" if config_text.endswith(("\n", "\r")) or not config_text else out


# --- access-list ---------------------------------------------------------------------------

def _acl_entries(ed: _Edit, name: str) -> list[int]:
    out = []
    for k, raw in enumerate(ed.lines):
        t = raw.split()
        if len(t) >= 3 and t[0] == "access-list" and t[1] == name:
            if t[2] == "line":
                ed.fail("access-list %s in the config itself uses 'line N' positions; "
                        "write it out in order first" % name)
            if t[2] in _ACL_KINDS:
                out.append(k)
        elif t[:4] == ["clear", "configure", "access-list", name]:
            ed.fail("the config itself clears access-list %s; cannot tell its entries" % name)
    return out


def _acl_line(cmd: Command, t: list[str]) -> tuple[int | None, str]:
    """(line N or None, the entry as the running-config shows it)."""
    name = t[1]
    pos = None
    rest_at = 2
    if len(t) > 3 and t[2] == "line":
        if not decimal(t[3]) or int(t[3]) < 1:
            raise ValueError("'line' needs a number from 1")
        pos = int(t[3])
        rest_at = 4
    rest = t[rest_at:]
    if not rest or rest[0] not in _ACL_KINDS:
        raise ValueError("expected extended, standard or remark after the name")
    if rest[0] == "remark":
        # keep the remark text as written
        m = re.search(r"\bremark\b\s?(.*)$", cmd.text)
        return pos, "access-list %s remark %s" % (name, m.group(1).rstrip() if m else "")
    if len(rest) < 2:
        raise ValueError("incomplete entry")
    return pos, "access-list %s %s" % (name, " ".join(rest))


def _ace_key(line: str) -> tuple:
    """An entry as the ASA compares elements (``entry_key``: masks, 'A 255.255.255.255' as 'host A')."""
    return entry_key(line.split(), lambda w: ANY_PORTS.get(w, w), "255.255.255.255", ("0.0.0.0", "0.0.0.0"), "any4",
                     one_eq=True)


_ACE_OPTIONS = ("log", "time-range", "inactive")


def _ace_parts(line: str) -> tuple[tuple, tuple]:
    """(``_ace_key`` of the entry without its trailing options, the options that decide whether it
    matches: ``inactive`` and the ``time-range``; a log option decides nothing)."""
    t = line.split()
    for k in range(3, len(t)):
        if t[k].lower() in _ACE_OPTIONS and t[k - 1].lower() not in _OBJ_REF + ("host",):
            opts = [w.lower() for w in t[k:]]
            gate = ("inactive" in opts, t[k + opts.index("time-range") + 1] if "time-range" in opts[:-1] else None)
            return _ace_key(" ".join(t[:k])), gate
    return _ace_key(line), (False, None)


def _access_list(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if len(t) < 3:
        ed.fail("incomplete access-list command")
    try:
        pos, entry = _acl_line(cmd, t)
    except ValueError as e:
        ed.fail(str(e))
    name = t[1]
    entries = _acl_entries(ed, name)
    if neg:
        _remove_written(ed, entries, _norm(entry), pos, "access-list %s" % name, "entry",
                        "access-list %s has no such entry" % name)
        return
    is_ace = entry.split()[2] != "remark"
    if is_ace:
        core, gate = _ace_parts(entry)
        other = [k for k in entries if (p := _ace_parts(ed.lines[k]))[0] == core and p[1] != gate]
        if other:
            # the ASA keeps one element per entry: typed again with inactive (or without it) it is that
            # element changed where it stands ("inactive: Disables an ACE. To reenable it, enter the entire ACE
            # without the inactive keyword", ASA command reference, access-list extended), not a new one at
            # the end: the entry there becomes the line as typed; a line number elsewhere, or another
            # time-range (how the ASA takes it over is not documented), is refused rather than guessed
            k = other[0]
            have = _ace_parts(ed.lines[k])[1]
            if have[1] != gate[1] or (pos is not None and pos != entries.index(k) + 1):
                ed.fail("access-list %s already has this entry with other options (%s); remove it first with "
                        "'no access-list ...' and give the new one a line number" % (name, _norm(ed.lines[k])))
            ed.set(k, entry, cmd.line)
            return
    if pos is not None and pos <= len(entries):
        at = entries[pos - 1]
        key = _ace_key(entry)
        same = [k for k in entries[pos - 1:] if _ace_key(ed.lines[k]) == key] if is_ace else []
        if same:
            # the ASA keeps an ACL's elements unique: a repeated element given a line number is
            # not added there and the existing one stays where it is (seen on ASAv 9.12(4),
            # github.com/ansible-collections/cisco.asa/issues/127), so the entry would not
            # match where the change puts it: refused rather than guessed
            ed.fail("access-list %s already has this entry (%s); the ASA does not add a duplicate "
                    "element, so remove that one first" % (name, _norm(ed.lines[same[0]])))
    elif pos is not None and pos > len(entries) + 1:
        ed.fail("access-list %s has %d line(s); line %d is beyond its end" % (name, len(entries), pos))
    elif entries:
        at = entries[-1] + 1
    else:
        at = ed.after_last(lambda x: x[0] == "access-list")
        first_binding = ed.before_first(lambda x: x[0] == "access-group")
        if not ed.blocks(lambda x: x[0] == "access-list") and first_binding is not None:
            at = first_binding
    ed.insert(at, [(entry, cmd.line)])


# --- objects -------------------------------------------------------------------------------

def _find_object(ed: _Edit, name: str) -> tuple[int, int] | None:
    spans = _object_blocks(ed, name)
    return spans[0] if spans else None


def _object_blocks(ed: _Edit, name: str) -> list[tuple[int, int]]:
    """Every block of an object: a running-config prints an object with NAT twice, its definition then
    a block with only its ``nat`` line (``parsers.cisco_asa.objects``)."""
    return ed.blocks(lambda x: len(x) >= 3 and x[0] in ("object", "object-group") and x[2] == name)


def _used(ed: _Edit, name: str, own: list[tuple[int, int]]) -> str | None:
    """The first line outside the object's own blocks ``own`` that uses ``name``: after 'object',
    'object-group' or 'group-object' (as ``_Edit.uses``), or as an operand of a NAT rule (twice NAT, or
    another object's NAT: "Objects and object groups used in NAT cannot be undefined", Cisco ASA Series
    Firewall CLI Configuration Guide, Network Object NAT / Twice NAT, Guidelines)."""
    for k, raw in enumerate(ed.lines):
        if any(s <= k < e for s, e in own):
            continue
        t = raw.split()
        if t[:1] == ["nat"]:
            if name in (t[1:t.index("description")] if "description" in t else t[1:]):
                return raw.strip()
        elif any(b == name and a in _OBJ_REF for a, b in zip(t, t[1:], strict=False)):
            return raw.strip()
    return None


def _member_key(toks: list[str], group: bool) -> tuple:
    """Members with the same key replace each other (an object has one definition)."""
    if toks[0] == "description":
        return ("description",)
    if not group and toks[0] in ("host", "subnet", "range", "fqdn"):
        return ("address",)
    if not group and toks[0] in ("service", "nat"):
        return (toks[0],)
    return tuple(toks)


def _object(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if len(t) < 3:
        ed.fail("expected '%s TYPE NAME'" % t[0])
    group = t[0] == "object-group"
    kinds = ("network", "service", "protocol", "icmp-type") if group else ("network", "service")
    if t[1] not in kinds:
        ed.fail("%s type '%s' is not supported" % (t[0], t[1]))
    name = t[2]
    span = _find_object(ed, name)
    if span is not None:
        have = ed.lines[span[0]].split()
        if have[:2] != t[:2] or (len(t) > 3 and have[3:4] != t[3:4]):
            ed.fail("'%s' is already defined as '%s'" % (name, _norm(ed.lines[span[0]])))
    if neg:
        if span is None:
            ed.fail("there is no %s %s %s" % (t[0], t[1], name))
        own = _object_blocks(ed, name)
        user = _used(ed, name, own)
        if user:
            ed.fail("%s is still used by '%s'" % (name, user))
        nat = [ed.lines[k] for s, e in own for k in range(s + 1, e) if ed.lines[k].split()[0] == "nat"]
        if nat:
            # (whether the ASA removes an object with its NAT rule, or refuses, is not documented)
            ed.fail("%s has a NAT rule ('%s'); remove it first ('object network %s' then ' no %s')"
                    % (name, _norm(nat[0]), name, _norm(nat[0])))
        for s, e in reversed(own):
            ed.delete(s, e)
        return
    for n, text, _ in cmd.children:
        if text.split()[0] == "nat" or text.split()[:2] == ["no", "nat"]:
            if group or t[1] != "network":
                # object NAT is a parameter of a network object only (configuration guide, Network Object NAT)
                ed.fail("'nat' is not a command of %s %s (object NAT is set in an 'object network')"
                        % (t[0], t[1]), n, text)
            if text.split()[0] == "nat":
                _nat_allowed(ed, _object_nat_operands(text.split()), n, text, _mapped(text.split(), False))
    if span is None:
        for n, text, _ in cmd.children:
            if text.split()[0] == "no":
                ed.fail("%s %s does not exist, so nothing can be removed from it" % (t[0], name), n, text)
        at = ed.after_last(lambda x: x[0] in ("object", "object-group"))
        if not ed.blocks(lambda x: x[0] in ("object", "object-group")):
            at = ed.before_first(lambda x: x[0] == "access-list") or at
        ed.insert(at, [(_norm(cmd.text), cmd.line)] + [(" " + text, n) for n, text, _ in cmd.children])
        return
    for n, text, _ in cmd.children:
        s, e = _find_object(ed, name)
        members = list(range(s + 1, e))
        mt = text.split()
        if mt[0] == "nat" or mt[:2] == ["no", "nat"]:
            _object_nat(ed, name, mt, n, text)
            continue
        if mt[0] == "no":
            same = [k for k in members if _norm(ed.lines[k]) == _norm(" ".join(mt[1:]))]
            if not same:
                ed.fail("%s has no member '%s'" % (name, _norm(" ".join(mt[1:]))), n, text)
            ed.delete(same[0], same[0] + 1, by=n)
            _keep_used_object_defined(ed, name, n, text)
            continue
        key = _member_key(mt, group)
        same = [k for k in members if _member_key(ed.lines[k].split(), group) == key]
        if same:
            ed.set(same[0], " " + text, n)
        elif key == ("description",):
            ed.insert(s + 1, [(" " + text, n)])
        else:
            ed.insert(e, [(" " + text, n)])


def _object_nat(ed: _Edit, name: str, mt: list[str], n: int, text: str) -> None:
    """A network object's ``nat`` line, or ``no nat ...``, wherever the running-config prints it (its
    second block, ``_object_blocks``).  "You can only define a single NAT rule for a given object"
    (Cisco ASA Series Firewall CLI Configuration Guide, Network Object NAT, Guidelines): a new ``nat``
    line replaces the object's rule; ``no nat`` removes the rule written exactly so."""
    own = _object_blocks(ed, name)
    have = [k for s, e in own for k in range(s + 1, e) if ed.lines[k].split()[0] == "nat"]
    if len(have) > 1:
        ed.fail("the config itself gives %s %d NAT rules, where the ASA keeps one" % (name, len(have)), n, text)
    if mt[0] == "no":
        rule = _norm(" ".join(mt[1:]))
        if not have or _norm(ed.lines[have[0]]) != rule:
            ed.fail("%s has no NAT rule '%s'%s" % (name, rule, " (it has '%s')" % _norm(ed.lines[have[0]])
                                                       if have else ""), n, text)
        ed.delete(have[0], have[0] + 1)
        # (a block left with its header only, the running-config's NAT block: nothing of it remains)
        for s, e in _object_blocks(ed, name)[1:]:
            if e == s + 1:
                ed.delete(s, e)
                break
        return
    if have:
        ed.set(have[0], " " + text, n)
    else:
        ed.insert(_find_object(ed, name)[1], [(" " + text, n)])


def _keep_used_object_defined(ed: _Edit, name: str, n: int, text: str) -> None:
    """Refuse a ``no`` line that leaves a used object without a definition (a group without members):
    "You cannot remove an object or make an object empty if it is used in a command, unless you enable
    forward referencing" (Cisco ASA Series Firewall CLI Configuration Guide, 9.x, Objects for Access
    Control: Guidelines for Objects); the device keeps it as it was, so the change is not the one written."""
    own = _object_blocks(ed, name)
    if any(ed.lines[k].split()[0] not in ("description", "nat") for s, e in own for k in range(s + 1, e)):
        return
    if any(_norm(x) == "forward-reference enable" for x in ed.lines):
        return
    user = _used(ed, name, own) or next((_norm(ed.lines[k]) for s, e in own for k in range(s + 1, e)
                                         if ed.lines[k].split()[0] == "nat"), None)
    if user:
        ed.fail("the ASA does not make %s empty while it is used (by '%s'); the line is refused there"
                % (name, user), n, text)


# --- bindings, timeouts, service policies --------------------------------------------------------

def _binding_scope(t: list[str]) -> tuple | None:
    if len(t) == 3 and t[2] == "global":
        return ("global",)
    if len(t) >= 5 and t[2] in ("in", "out") and t[3] == "interface":
        return (t[2], t[4])
    return None


def _access_group(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    scope = _binding_scope(t)
    if scope is None:
        ed.fail("expected 'access-group ACL in|out interface IF' or 'access-group ACL global'")
    _bind(ed, cmd, t, neg, "access-group", "access-list", lambda toks: _binding_scope(toks) == scope,
          "access-group binding")


def _bind(ed: _Edit, cmd: Command, t: list[str], neg: bool, word: str, after: str, same_scope, what: str) -> None:
    """A binding command (one per scope): ``no`` removes the exact line; otherwise the
    line replaces the binding of the same scope, or goes after the last ``word`` line
    (or the last ``after`` line)."""
    text = _norm(" ".join(t))
    spans = ed.blocks(lambda x: x[0] == word)
    if neg:
        same = [s for s, _ in spans if _norm(ed.lines[s]) == text]
        if not same:
            ed.fail("there is no such %s" % what)
        ed.delete(same[0], same[0] + 1)
        return
    same = [s for s, _ in spans if same_scope(ed.lines[s].split())]
    if same:
        ed.set(same[0], text, cmd.line)
    else:
        ed.insert(ed.after_last(lambda x: x[0] == word, lambda x: x[0] == after), [(text, cmd.line)])


def _timeout(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if neg:
        ed.fail("'no timeout' is not supported; set the value instead")
    pairs = t[1:]
    if not pairs or len(pairs) % 2 or not all(_HMS.match(v) for v in pairs[1::2]):
        ed.fail("expected 'timeout TIMER H:MM:SS [TIMER H:MM:SS ...]' (e.g. 'timeout conn 8:00:00')")
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        spans = ed.blocks(lambda x: x[0] == "timeout")
        for s, _ in spans:
            toks = ed.lines[s].split()
            hit = [k for k in range(1, len(toks) - 1) if toks[k] == key and _HMS.match(toks[k + 1])]
            if hit:
                toks[hit[0] + 1] = value
                ed.set(s, " ".join(toks), cmd.line)
                break
        else:
            ed.insert(ed.after_last(lambda x: x[0] == "timeout"), [("timeout %s %s" % (key, value), cmd.line)])


def _service_policy(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if len(t) == 3 and t[2] == "global":
        scope: tuple = ("global",)
    elif len(t) == 4 and t[2] == "interface":
        scope = ("interface", t[3])
    else:
        ed.fail("expected 'service-policy PMAP global' or 'service-policy PMAP interface IF'")
    _bind(ed, cmd, t, neg, "service-policy", "policy-map", lambda toks: tuple(toks[2:]) == scope, "service-policy")


# --- class-map and policy-map blocks -------------------------------------------------------------

def _map_block(ed: _Edit, word: str, header: str) -> tuple[int, int] | None:
    for s, e in ed.blocks(lambda x: x[0] == word):
        if _norm(ed.lines[s]) == header:
            return s, e
    return None


def _setting_key(toks: list[str]) -> tuple:
    """Settings with the same key replace each other inside a class."""
    if toks[0] == "description":
        return ("description",)
    if toks[:3] == ["set", "connection", "timeout"] and len(toks) > 3:
        # each timer is its own setting: 'set connection timeout dcd' keeps the idle timeout
        return tuple(toks[:4])
    if toks[:2] == ["set", "connection"] and len(toks) > 2:
        return tuple(toks[:3])
    if toks[0] == "inspect" and len(toks) > 1:
        return ("inspect", toks[1])
    return tuple(toks)


def _delete_map(ed: _Edit, cmd: Command, word: str, header: str, users: tuple[str, ...] | None) -> None:
    span = _map_block(ed, word, header)
    if span is None:
        ed.fail("there is no %s" % header)
    name = header.split()[-1]
    user = ed.uses(name, span, users)
    if user:
        ed.fail("%s is still used by '%s'" % (name, user))
    ed.delete(*span)


def _class_map(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if len(t) < 2:
        ed.fail("expected 'class-map NAME'")
    header = _norm(" ".join(t))
    if neg:
        _delete_map(ed, cmd, "class-map", header, ("class",))
        return
    span = _map_block(ed, "class-map", header)
    if span is None:
        _new_block(ed, cmd, header, lambda x: x[0] == "class-map", lambda x: x[0] == "policy-map")
        return
    plain = len(t) == 2
    cleared = False
    for n, text, _ in cmd.children:
        s, e = _map_block(ed, "class-map", header)
        body = list(range(s + 1, e))
        mt = text.split()
        if mt[0] == "no":
            _remove_child(ed, body, mt[1:], n, text, header)
        elif plain and mt[0] == "match":
            if not cleared:  # a plain class-map has one match criterion: the new one replaces it
                for k in reversed(body):
                    if ed.lines[k].split()[0] == "match":
                        ed.delete(k, k + 1)
                cleared = True
            s, e = _map_block(ed, "class-map", header)
            ed.insert(e, [(" " + text, n)])
        else:
            _put_child(ed, body, e, " ", text, n)


def _remove_child(ed: _Edit, body: list[int], toks: list[str], n: int, text: str, where: str) -> None:
    target = _norm(" ".join(toks))
    same = [k for k in body if _norm(ed.lines[k]) == target]
    if not same and toks and toks[0] == "inspect":
        same = [k for k in body if ed.lines[k].split()[:2] == toks[:2]]
    if not same:
        ed.fail("%s has no '%s'" % (where, target), n, text)
    ed.delete(same[0], same[0] + 1, by=n)


def _put_child(ed: _Edit, body: list[int], end: int, indent: str, text: str, n: int) -> None:
    key = _setting_key(text.split())
    same = [k for k in body if _setting_key(ed.lines[k].split()) == key]
    if same:
        ed.set(same[0], indent + text, n)
    else:
        ed.insert(end, [(indent + text, n)])


def _new_block(ed: _Edit, cmd: Command, header: str, *where) -> None:
    for n, text, _ in cmd.children:
        if text.split()[0] == "no":
            ed.fail("%s does not exist, so nothing can be removed from it" % header, n, text)
    rows = [(header, cmd.line)] + [(" " * d + text, n) for (n, text, d) in _depths(cmd.children)]
    at = None
    for pred in where:
        spans = ed.blocks(pred)
        if spans:
            at = spans[-1][1] if pred is where[0] else spans[0][0]
            break
    ed.insert(ed.end_index() if at is None else at, rows)


def _depths(children: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """Indent widths -> depth 1 (the shallowest) or 2 (anything deeper)."""
    if not children:
        return []
    low = min(ind for _, _, ind in children)
    return [(n, text, 1 if ind == low else 2) for n, text, ind in children]


def _sub_blocks(ed: _Edit, s: int, e: int) -> list[tuple[int, int]]:
    """(start, end) of each depth-1 line of a policy-map and its deeper lines."""
    body = list(range(s + 1, e))
    if not body:
        return []
    low = min(len(ed.lines[k]) - len(ed.lines[k].lstrip()) for k in body)
    out = []
    for k in body:
        ind = len(ed.lines[k]) - len(ed.lines[k].lstrip())
        if ind == low or not out:
            out.append([k, k + 1])
        else:
            out[-1][1] = k + 1
    return [(a, b) for a, b in out]


def _policy_map(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if len(t) < 2:
        ed.fail("expected 'policy-map NAME'")
    header = _norm(" ".join(t))
    if neg:
        _delete_map(ed, cmd, "policy-map", header, None)
        return
    if _map_block(ed, "policy-map", header) is None:
        _new_block(ed, cmd, header, lambda x: x[0] == "policy-map", lambda x: x[0] == "service-policy")
        return
    # group the change's lines into (depth-1 line, its deeper lines)
    groups: list[tuple[tuple[int, str], list[tuple[int, str]]]] = []
    for n, text, depth in _depths(cmd.children):
        if depth == 1:
            groups.append(((n, text), []))
        elif not groups:
            ed.fail("a setting must follow the class it belongs to", n, text)
        else:
            groups[-1][1].append((n, text))
    for (n, text), kids in groups:
        s, e = _map_block(ed, "policy-map", header)
        subs = _sub_blocks(ed, s, e)
        ht = text.split()
        if ht[0] == "no":
            target = _norm(" ".join(ht[1:]))
            same = [(a, b) for a, b in subs if _norm(ed.lines[a]) == target]
            if not same:
                ed.fail("%s has no '%s'" % (header, target), n, text)
            ed.delete(*same[0])
            continue
        key = _setting_key(ht)
        same = [(a, b) for a, b in subs if _setting_key(ed.lines[a].split()) == key]
        if not same:
            rows = [(" " + text, n)] + [("  " + kt, kn) for kn, kt in kids if kt.split()[0] != "no"]
            bad = [(kn, kt) for kn, kt in kids if kt.split()[0] == "no"]
            if bad:
                ed.fail("'%s' is not in %s, so nothing can be removed from it" % (text, header), *bad[0])
            default = [a for a, _ in subs if _norm(ed.lines[a]) == "class class-default"]
            ed.insert(default[0] if default and ht[0] == "class" else e, rows)
            continue
        a, b = same[0]
        if _norm(ed.lines[a]) != _norm(text):
            ed.set(a, " " + text, n)
        for kn, kt in kids:
            a, b = [(x, y) for x, y in _sub_blocks(ed, *_map_block(ed, "policy-map", header))
                    if _setting_key(ed.lines[x].split()) == key][0]
            body = list(range(a + 1, b))
            kt_toks = kt.split()
            if kt_toks[0] == "no":
                _remove_child(ed, body, kt_toks[1:], kn, kt, "%s %s" % (header, _norm(text)))
            else:
                _put_child(ed, body, b, "  ", kt, kn)


# --- static routes ------------------------------------------------------------------------------
# Cisco ASA 5500 Series Configuration Guide using the CLI, 8.2, "Configuring Static and Default Routes"
# (http://www.cisco.com/c/en/us/td/docs/security/asa/asa82/configuration/guide/config/route_static.html):
# "You can define up to three equal cost routes to the same destination per interface. Equal-cost multi-path
# (ECMP) routing is not supported across multiple interfaces"; "If you attempt to define ... a default route
# with a different interface than a previously defined default route, you receive the following message:
# 'ERROR: Cannot add route entry, possible conflict with existing routes.'"; the distance "default is 1 if
# you do not specify a value"; 0.0.0.0 "can be abbreviated as 0".

def _route_key(t: list[str], v6: bool) -> tuple | None:
    """(interface, network, gateway or None, distance, the rest) of ``route ...`` / ``ipv6 route ...``
    words (without 'ipv6'), addresses normalized; None when the network is not an address (a name)."""
    try:
        if v6:
            net = str(ipaddress.IPv6Network(t[2], strict=False))
            at = 3
        else:
            a, m = ("0.0.0.0" if w == "0" else w for w in t[2:4])
            net = str(ipaddress.IPv4Network("%s/%s" % (a, m), strict=False))
            at = 4
    except (ValueError, IndexError):
        return None
    gw = None
    if t[1].lower() != "null0":
        if len(t) <= at:
            return None
        gw, at = t[at], at + 1
    dist = 1
    if len(t) > at and decimal(t[at]):
        dist, at = int(t[at]), at + 1
    return t[1], net, gw, dist, tuple(t[at:])


def _route(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    v6 = t[0] == "ipv6"
    if v6 and t[1:2] != ["route"]:
        ed.fail("not a supported command (supported: %s)" % _SUPPORTED)
    words = t[1:] if v6 else t
    key = _route_key(words, v6) if len(words) > 2 else None
    rest = key[4] if key else ()
    if key is None or (rest and (v6 or len(rest) != 2 or rest[0] != "track" or not decimal(rest[1]))):
        ed.fail("expected '%sroute IF NETWORK %s GATEWAY [DISTANCE]%s' with addresses"
                % ("ipv6 " if v6 else "", "" if v6 else "MASK", "" if v6 else " [track N]"))
    have = []
    for k, _ in ed.blocks(lambda x: x[:2] == ["ipv6", "route"] if v6 else x[0] == "route"):
        lt = ed.lines[k].split()
        lk = _route_key(lt[1:] if v6 else lt, v6)
        if lk is None:
            ed.fail("the config's '%s' names its network; check-change compares routes by address"
                    % _norm(ed.lines[k]))
        have.append((k, lk))
    # (as the running-config shows it: an abbreviated 0 network or mask written out)
    text = " ".join("0.0.0.0" if w == "0" and k in (2, 3) and not v6 else w for k, w in enumerate(t))
    if neg:
        # (the route as the config has it, its tracking (or 'tunneled') too: which of them a shorter
        # 'no route' removes is not documented, so it is refused rather than guessed)
        same = [k for k, lk in have if lk == key]
        if not same:
            ed.fail("there is no route %s" % " ".join(t[2:] if v6 else t[1:]))
        ed.delete(same[0], same[0] + 1)
        return
    for k, lk in have:
        if lk[1] != key[1]:
            continue
        if lk[0] == key[0] and lk[2] == key[2]:
            ed.fail("the config already has this route as '%s'; remove it first with 'no route ...'"
                    % _norm(ed.lines[k]))
        if lk[0] != key[0] and lk[3] == key[3]:
            ed.fail("'%s' routes this network through %s at the same distance; the ASA does not add an "
                    "equal-cost route through another interface (\"Cannot add route entry, possible conflict "
                    "with existing routes\")" % (_norm(ed.lines[k]), lk[0]))
    ed.insert(ed.after_last(lambda x: x[:2] == ["ipv6", "route"] if v6 else x[0] == "route",
                            lambda x: x[0] == "route", lambda x: x[0] == "access-group"), [(text, cmd.line)])


# --- twice NAT ------------------------------------------------------------------------------------
# Cisco ASA Series Firewall CLI Configuration Guide, "NAT Rule Order": one table in three sections, section 1
# twice NAT "in the order they appear in the configuration", section 2 network object NAT (ordered by the ASA),
# section 3 twice NAT written after-auto; "Configuring Twice NAT", Default Settings: "By default, the rule is
# added to the end of section 1 of the NAT table".  Cisco ASA Series Command Reference I-R, nat (global):
# "after-auto: Inserts the rule at the end of section 3 of the NAT table, after the network object NAT rules.
# By default, twice NAT rules are added to section 1. You can insert a rule anywhere in section 3 using the
# line argument" (https://cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/I-R/asa-command-ref-I-R/
# n-commands.html).  The running-config lists each section's rules in order, without line numbers.

def _nat_rule(t: list[str]) -> tuple[int, int | None, list[str]]:
    """(section 1 or 3, line N or None, the words as the running-config shows the rule: without N) of the
    words of a twice NAT line ('nat [(REAL,MAPPED)] [after-auto] [N] source ...')."""
    k = 2 if len(t) > 1 and t[1].startswith("(") else 1
    section = 1
    if t[k:k + 1] in (["after-auto"], ["after-object"]):  # ('after-object' in 8.3)
        section, k = 3, k + 1
    if t[k:k + 1] and decimal(t[k]):
        return section, int(t[k]), t[:k] + t[k + 1:]
    return section, None, t


def _remove_written(ed, lines: list[int], text: str, pos: int | None, where: str, what: str, none: str) -> None:
    """A ``no`` command: delete the first of ``lines`` (an access list's entries, a NAT section's rules) that reads
    ``text`` (normalised), the one at position ``pos`` (1-based) when given; refused with one line when there is
    none (``none``) or the one at ``pos`` reads otherwise."""
    same = [k for k in lines if _norm(ed.lines[k]) == text]
    if pos is not None:
        if pos > len(lines) or lines[pos - 1] not in same:
            ed.fail("line %d of %s is not this %s" % (pos, where, what))
        same = [lines[pos - 1]]
    if not same:
        ed.fail(none)
    ed.delete(same[0], same[0] + 1, by=ed.cmd.line if ed.cmd else None)


def _nat_core(words: list[str]) -> list[str]:
    """A twice NAT rule without its section word and the options that do not say what it translates."""
    if "description" in words:
        words = words[:words.index("description")]
    return [w for w in words if w not in ("after-auto", "after-object", "inactive")]


def _nat_rules(ed: _Edit, section: int) -> list[int]:
    """The config's twice NAT lines of a section, in order (the pre-8.3 'nat (IF) ID ...' not)."""
    out = []
    for s, _ in ed.blocks(lambda x: x[0] == "nat" and not (x[1:2] and x[1].startswith("(") and "," not in x[1])):
        sec, pos, _w = _nat_rule(ed.lines[s].split())
        if pos is not None:
            ed.fail("the config itself gives its NAT rule '%s' a line number; write the rules out in order first"
                    % _norm(ed.lines[s]))
        if sec == section:
            out.append(s)
    return out


def _nat(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if len(t) > 1 and t[1].startswith("(") and "," not in t[1]:
        ed.fail("pre-8.3 'nat (IF) ID ...' is not supported (8.3 and later: 'nat (REAL_IF,MAPPED_IF) source ...' "
                "or a network object's 'nat' line)")
    section, pos, words = _nat_rule(t)
    if [w for w in words[1:] if not w.startswith("(") and w not in ("after-auto", "after-object")][:1] != ["source"]:
        ed.fail("expected 'nat [(REAL_IF,MAPPED_IF)] [after-auto] [LINE] source static|dynamic ...'")
    if not neg:
        _nat_allowed(ed, _twice_operands(words), cmd.line, cmd.text, _mapped(words, True))
    if pos is not None and pos < 1:
        ed.fail("a NAT line number starts at 1")
    rules = _nat_rules(ed, section)
    text = " ".join(words)
    if neg:
        # the rule as the running-config has it, word for word: which rule a shorter or otherwise written
        # 'no nat' removes is not documented, so it is refused rather than guessed
        _remove_written(ed, rules, text, pos, "NAT section %d" % section, "rule",
                        "there is no such NAT rule in section %d (write it as the running-config shows it)" % section)
        return
    core = _nat_core(words)
    for k in _nat_rules(ed, 1) + _nat_rules(ed, 3):
        if _nat_core(ed.lines[k].split()) == core:
            # (a rule entered again, or with other options: whether the ASA adds it, changes the one it has
            # or refuses it is not documented)
            ed.fail("the config already has this rule as '%s'; remove it first with 'no nat ...'"
                    % _norm(ed.lines[k]))
    if pos is not None and pos > len(rules) + 1:
        ed.fail("NAT section %d has %d rule(s); line %d is beyond its end" % (section, len(rules), pos))
    if pos is not None and pos <= len(rules):
        at = rules[pos - 1]
    elif rules:
        at = rules[-1] + 1
    else:
        # (where in the text does not matter: each section is read in its own order)
        later = _nat_rules(ed, 3) if section == 1 else []
        at = later[0] if later else ed.after_last(lambda x: x[0] == "nat", lambda x: x[0] in ("object", "object-group"))
    ed.insert(at, [(text, cmd.line)])


# --- what the ASA refuses in a NAT line -------------------------------------------------------------
# * Before 8.3 the ASA has neither twice NAT nor object NAT: "NAT—The NAT feature has been redesigned ... All NAT
#   and NAT-related commands have been redesigned" in 8.3 (Cisco ASA 5500 Migration to Version 8.3 and Later,
#   Migrated Features, "Old NAT Commands" / "New NAT Commands",
#   http://www.cisco.com/c/en/us/td/docs/security/asa/asa83/upgrading/migrating.html); the parser reports such
#   lines in a config before 8.3 (nat.build), so the change is refused instead.
# * "Objects and object groups used in NAT cannot be undefined; they must include IP addresses" (Cisco ASA Series
#   CLI Configuration Guide, Configuring Network Object NAT / Twice NAT, Additional Guidelines): a NAT line naming
#   an object the config does not have yet (one the change defines after it, or nowhere) is rejected.  Forward
#   referencing ('forward-reference enable') is documented for "an ACL or object group" ("Normally, you cannot
#   reference an object or object group that does not exist in an ACL or object group ... However, you can change
#   this default behavior so that you can 'forward reference' objects", Cisco ASA Series Firewall CLI
#   Configuration Guide, Access Control Lists, Guidelines for ACLs), not for NAT: refused with it too.
# * "The mapped IP address pool cannot include: The mapped interface IP address ... use the interface keyword
#   instead of the IP address" (the same Guidelines); from 8.4(4) a static rule whose mapped addresses include the
#   mapped interface's failover standby address is rejected ("overlaps with <interface> standby interface address",
#   Cisco TAC document 113640, "ASA 8.4(4): Certain identity NAT configurations prohibited").  Checked where the
#   mapped address is one address (inline, or an object's 'host') and the mapped interface is named.  "You can use
#   the same mapped object or group in multiple NAT rules": a mapped address another rule uses is accepted.

_NAT_WORDS = frozenset(("any", "interface", "ipv6", "pat-pool", "dns", "unidirectional", "no-proxy-arp",
                        "route-lookup", "inactive", "net-to-net", "extended", "flat", "include-reserve",
                        "round-robin", "block-allocation", "static", "dynamic"))


def _twice_operands(words: list[str]) -> list[str]:
    """The object names of a twice NAT rule: after 'source static|dynamic' (real, mapped), 'pat-pool',
    'destination static' (mapped, real) and 'service' (real, mapped); 'any' and 'interface' are not objects."""
    out = []
    for k, w in enumerate(words):
        if w == "description":
            break
        if w in ("source", "destination", "service"):
            take = words[k + 2:k + 4] if w != "service" else words[k + 1:k + 3]
            out += [x for x in take if x not in _NAT_WORDS and x != "description"]
        elif w == "pat-pool" and k + 1 < len(words):
            out.append(words[k + 1])
    return out


def _object_nat_operands(words: list[str]) -> list[str]:
    """The object names of a network object's nat line: its mapped object after 'static|dynamic' (not an address
    written inline, nor 'interface') or after 'pat-pool'."""
    for k, w in enumerate(words[:-1]):
        nxt = words[k + 1]
        if w == "pat-pool" or (w in ("static", "dynamic") and nxt not in _NAT_WORDS):
            try:
                ipaddress.ip_address(nxt)
            except ValueError:
                return [nxt]
            return []
    return []


def _pre83(ed: _Edit) -> bool:
    """Whether the config is an ASA's before 8.3, as the parser reads it (``scan.Asa.pre83``): its version line;
    without one, NAT written in the pre-8.3 form only (static, global, 'nat (IF) ID')."""
    old = new = False
    for raw in ed.lines:
        m = VERSION_LINE.match(raw)
        if m is not None:
            return (int(m.group(1)), int(m.group(2))) < (8, 3)
        t = raw.split()
        if t[:1] in (["static"], ["global"]):
            old = True
        elif t[:1] == ["nat"] and len(t) > 1:
            if t[1].startswith("(") and "," not in t[1]:
                old = True
            else:
                new = True
    return old and not new


def _nat_allowed(ed: _Edit, objs: list[str], n: int, text: str, mapped: tuple | None = None) -> None:
    """Refuse a NAT line the ASA rejects (see above): in a config before 8.3, naming an object not defined yet, or
    (``mapped``: the mapped interface, the mapped address or object, static or not) mapping to the address of the
    mapped interface or, static, to its failover standby address."""
    if _pre83(ed):
        ed.fail("the config is of an ASA before 8.3, which has no object NAT or twice NAT (its NAT is "
                "static, nat (IF) ID and global)", n, text)
    for name in objs:
        if not _object_blocks(ed, name):
            later = any(raw.split()[:1] in (["object"], ["object-group"]) and raw.split()[2:3] == [name]
                        for raw in ed.change[n:])
            ed.fail("%s is not defined %s; the ASA does not accept a NAT rule naming an undefined object"
                    % (name, "before this line (the change defines it later)" if later else "in the config"),
                    n, text)
    if mapped is None:
        return
    iface, what, static = mapped
    addr = what if _is_ip(what) else _object_host(ed, what)
    own, standby = _interface_addresses(ed, iface)
    if addr is not None and addr == own:
        ed.fail("the mapped address %s is the address of interface %s; the ASA does not map to it (use the "
                "'interface' keyword)" % (addr, iface), n, text)
    if addr is not None and addr == standby and static and _version(ed) >= (8, 4, 4):
        ed.fail("the mapped address %s is the failover standby address of interface %s; from 8.4(4) the ASA "
                "rejects such a static rule (\"overlaps with %s standby interface address\")"
                % (addr, iface, iface), n, text)


def _is_ip(word: str) -> bool:
    try:
        ipaddress.ip_address(word)
    except ValueError:
        return False
    return True


def _object_host(ed: _Edit, name: str) -> str | None:
    """The one address a network object stands for ('host A', 'subnet A 255.255.255.255'), or None."""
    for s, e in _object_blocks(ed, name):
        for k in range(s + 1, e):
            t = ed.lines[k].split()
            if t[:1] == ["host"] and len(t) == 2:
                return t[1]
            if t[:1] == ["subnet"] and t[2:] == ["255.255.255.255"]:
                return t[1]
    return None


def _interface_addresses(ed: _Edit, nameif: str) -> tuple[str | None, str | None]:
    """(its IPv4 address, its standby address) of the interface named ``nameif`` (the last 'ip address')."""
    own = standby = None
    for s, e in ed.blocks(lambda x: x[0] == "interface"):
        body = [ed.lines[k].split() for k in range(s + 1, e)]
        if ["nameif", nameif] not in body:
            continue
        for t in body:
            if t[:2] == ["ip", "address"] and len(t) >= 4 and _is_ip(t[2]):
                own, standby = t[2], (t[5] if t[4:5] == ["standby"] and len(t) > 5 else None)
            elif t[:2] == ["ip", "address"] or t[:3] == ["no", "ip", "address"]:
                own = standby = None
    return own, standby


def _version(ed: _Edit) -> tuple[int, int, int]:
    """The config's ASA version (major, minor, maintenance); without a version line, the newest."""
    for raw in ed.lines:
        m = re.match(r"^(?:ASA|PIX) Version ([0-9]+)\.([0-9]+)(?:\(([0-9]+))?", raw)
        if m is not None:
            return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    return (99, 0, 0)


def _mapped(words: list[str], twice: bool) -> tuple | None:
    """(mapped interface, mapped address or object, static) of a NAT line's words; None without a named mapped
    interface ('any', or none) or a mapped address of its own ('interface', a pat-pool)."""
    if len(words) < 2 or not words[1].startswith("(") or "," not in words[1]:
        return None
    iface = words[1].strip("()").split(",")[1]
    at = words.index("source") + 1 if twice and "source" in words else 0
    for k in range(at, len(words) - 1):
        if words[k] in ("static", "dynamic"):
            what = words[k + (2 if twice else 1)] if k + (2 if twice else 1) < len(words) else "any"
            if iface == "any" or what in _NAT_WORDS:
                return None
            return iface, what, words[k] == "static"
    return None


# --- interfaces ----------------------------------------------------------------------------------
# "interface" enters the named interface's configuration mode (Cisco Security Appliance Command Reference 8.0,
# "interface", http://www.cisco.com/en/US/docs/security/asa/asa80/command/reference/i3.html): the change's block is
# written after the interface's own block(s), which the parser merges as the ASA applies each sub-command
# (``parsers.cisco_asa.topology.interface_block``: 'ip address' replaces the one IPv4 address, 'nameif' and
# 'security-level' replace theirs, 'shutdown' / 'no shutdown' toggle it).  A new physical port starts disabled,
# a subinterface and a redundant interface enabled ("Default State of Interfaces", Cisco Security Appliance Command
# Line Configuration Guide 8.0, OL-12172-03); a new one of another type must say 'shutdown' or 'no shutdown'.

_IF_SET = ("nameif", "security-level", "ip", "ipv6", "shutdown", "management-only")


def _if_child(ed: _Edit, n: int, text: str) -> list[str]:
    """The words of an interface sub-command a change may carry, or the change is refused at its line."""
    mt = text.split()
    key, neg = mt[0].lower(), mt[0].lower() == "no"
    word = mt[1].lower() if neg and len(mt) > 1 else key
    if word in IGNORED_INTERFACE:
        return mt
    ok = {
        "nameif": len(mt) == 2,
        "security-level": len(mt) == 2 and decimal(mt[1]) and int(mt[1]) <= 100 if not neg else len(mt) == 2,
        "ip": mt[1 + neg:2 + neg] == ["address"] and (neg and len(mt) == 3 or not neg and len(mt) in (4, 6)
                                                       and _is_ip(mt[2]) and _is_ip(mt[3])
                                                       and (len(mt) == 4 or mt[4] == "standby" and _is_ip(mt[5]))),
        "shutdown": len(mt) == 1 + neg,
        "management-only": len(mt) == 1 + neg,
        "zone-member": len(mt) == 2 + neg,
    }.get(word, False)
    if not ok:
        ed.fail("interface sub-command '%s' is not one a change may carry (nameif NAME, security-level 0-100, "
                "ip address ADDRESS MASK [standby ADDRESS], shutdown, management-only, zone-member ZONE, their "
                "'no' forms, descriptions and physical settings)" % _norm(text), n, text)
    return mt


def _interface(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    if len(t) < 2:
        ed.fail("expected 'interface TYPE NUMBER'")
    names = IfNames(IF_PHYSICAL, IF_VIRTUAL, (if_name(x.split()) for x in ed.lines if x.startswith("interface ")))
    full, why = names.full(if_name(t))
    if why is not None:
        ed.fail(why)
    if neg:
        # (a physical port cannot be removed; what removing a virtual one does to the commands naming it is not
        # modelled)
        ed.fail("'no interface' is not supported: set 'shutdown' or 'no nameif' in the interface instead")
    own = [(s, e) for s, e in ed.blocks(lambda x: x[0] == "interface")
           if names.full(if_name(ed.lines[s].split()))[0].lower() == full.lower()]
    nameif = None
    for s, e in own:
        for k in range(s + 1, e):
            w = ed.lines[k].split()
            if w[:1] == ["nameif"] and len(w) == 2:
                nameif = w[1]
            elif w[:2] == ["no", "nameif"]:
                nameif = None
    others = set()
    for s, e in ed.blocks(lambda x: x[0] == "interface"):
        if (s, e) not in own:
            others.update(w[1] for w in (ed.lines[k].split() for k in range(s + 1, e)) if w[:1] == ["nameif"]
                          and len(w) == 2)
    states = set()
    for n, text, _ in cmd.children:
        mt = _if_child(ed, n, text)
        if mt[0] == "nameif":
            if mt[1] in others:
                ed.fail("another interface is named '%s' already" % mt[1], n, text)
            if nameif is not None and mt[1] != nameif:
                # (how the ASA carries the commands that name the old name over is not modelled)
                ed.fail("renaming interface '%s' to '%s' is not supported" % (nameif, mt[1]), n, text)
            nameif = mt[1]
        elif mt[:2] == ["no", "nameif"] and nameif is not None:
            user = ed.uses(nameif, own[0] if own else (0, 0), None) if len(own) < 2 else None
            if user is not None or len(own) > 1:
                # (the commands that name the interface lose it: which, and what then holds, is not modelled)
                ed.fail("interface '%s' is still used (%s); remove that first" % (nameif, user or "several blocks"),
                        n, text)
            nameif = None
        elif mt[-1] == "shutdown":
            states.add(mt[0])
    rows = [(" " + _norm(text), n) for n, text, _ in cmd.children]
    if own:
        ed.insert(own[-1][1], [("interface " + names.resolve(if_name(t))[0], cmd.line)] + rows)
        return
    typ = IfNames.typed(full, names.exact)[0].lower()
    if not states:
        if typ in (x.lower() for x in IF_PHYSICAL) and "." not in full:
            rows.insert(0, (" shutdown", cmd.line))  # (disabled until 'no shutdown')
        elif "." not in full and typ != "redundant":
            ed.fail("the default state of a new %s interface is not modelled: give 'shutdown' or 'no shutdown'"
                    % full)
    at = ed.after_last(lambda x: x[0] == "interface")
    if not ed.blocks(lambda x: x[0] == "interface"):
        at = ed.before_first(lambda x: x[0] in ("object", "object-group", "access-list")) or at
    ed.insert(at, [("interface " + full, cmd.line)] + rows)


def _same_security(ed: _Edit, cmd: Command, t: list[str], neg: bool) -> None:
    """``same-security-traffic permit inter-interface|intra-interface`` and its ``no`` form (global configuration
    mode; both disabled by default: Catalyst 6500 FWSM Command Reference 4.0 and the ASA 8.4 configuration guide,
    "Allowing Same Security Level Communication")."""
    if t[1:] not in (["permit", "inter-interface"], ["permit", "intra-interface"]):
        ed.fail("expected 'same-security-traffic permit inter-interface|intra-interface'")
    _bind(ed, cmd, t, neg, "same-security-traffic", "interface", lambda toks: toks == t,
          "same-security-traffic setting")


_HANDLERS = {
    "route": _route,
    "nat": _nat,
    "ipv6": _route,
    "access-list": _access_list,
    "object": _object,
    "object-group": _object,
    "access-group": _access_group,
    "timeout": _timeout,
    "service-policy": _service_policy,
    "class-map": _class_map,
    "policy-map": _policy_map,
    "interface": _interface,
    "same-security-traffic": _same_security,
}
_BLOCKS = ("object", "object-group", "class-map", "policy-map", "interface")

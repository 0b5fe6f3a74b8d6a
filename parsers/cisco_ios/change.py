"""Apply an IOS change request (configuration-mode commands) to a running-config, as text.

``apply_change(config_text, change_text, change_path)`` returns the running-config as it would
read after the commands were typed in ``configure terminal``; ``parsers.cisco_ios.parse`` then
reads it like any config.  Supported, with the device's semantics (Cisco IOS XE Security
Configuration Guide: Access Control Lists, "IP Access List Entry Sequence Numbering"):

* ``ip access-list extended|standard NAME`` / ``ipv6 access-list NAME`` and their entries:
  ``[SEQ] permit|deny ...`` adds an entry (at its sequence number; without one, last + 10),
  ``remark ...`` a remark, ``no SEQ`` deletes the entry with that number, ``no permit|deny ...``
  the entry that reads so; a list that does not exist is created; a numbered list written as ``access-list N``
  lines is first rewritten as that block, its entries numbered 10, 20, ... as IOS numbered them (``_named_form``;
  a standard list with host entries among others takes no numbered command: IOS hashes its host entries);
* ``access-list N permit|deny|remark ...`` appends to numbered list N (however it is written);
  ``no access-list N [...]`` deletes the whole list N (as IOS does, even with an entry given);
* ``no ip access-list extended|standard NAME`` / ``no ipv6 access-list NAME`` delete a list;
* ``ip access-list resequence NAME START INCREMENT`` / ``ipv6 access-list resequence ...`` renumbers a
  named list's entries START, START + INCREMENT, ... in their order (the order, so every decision, is
  unchanged; later commands use the new numbers); a numbered remark takes the new number of the entry
  after it; a list written as ``access-list N`` lines is numbered first (Cisco's example resequences list 150);
* ``interface NAME`` with ``[no] ip access-group X in|out``, ``[no] ipv6 traffic-filter X in|out``,
  ``[no] zone-member security Z``, ``[no] ip nat inside|outside``, ``[no] shutdown``;
* ``object-group network|service NAME``, ``class-map type inspect ...``, ``policy-map type
  inspect NAME``, ``parameter-map type inspect NAME``, ``zone-pair security ...``, ``zone
  security Z``: a new block is added whole; an existing block gets its indented lines added
  (a ``parameter-map`` setting replaces the same setting; a ``policy-map`` class's action
  replaces the class's action) and ``no LINE`` removes one; ``no <header>`` deletes a block;
* ``ip reflexive-list timeout N`` and ``ip route ...`` / ``no ip route ...``;
* ``[no] ip routing`` and ``[no] ipv6 unicast-routing``: the family's routing on or off (the last such
  line of a running-config says; Cisco IOS IP Routing: Protocol-Independent Command Reference, ``ip
  routing``; Cisco IOS IPv6 Command Reference, ``ipv6 unicast-routing``).

``configure terminal``, ``end``, ``exit`` and ``write memory`` are accepted and do nothing.
Any other command raises ``InputError`` naming the change file and line: a change is never
applied in part.  ``origins``, when given a list, receives one ``("config", n)`` or
``("change", n)`` per line of the result.
"""

from __future__ import annotations

from parsers.cisco_ios import names as N
from parsers.cisco_ios.acl import numbered_kind, split_entry
from parsers.cisco_ios.operands import OperandError, is_port, names_for, port_value
from parsers.cisco_ios.scan import blocks, if_name
from parsers.kit.edit import Command, Edit, commands, entry_key
from parsers.kit.ifnames import IfNames

_SUPPORTED = ("ip access-list (resequence too), ipv6 access-list, access-list, interface, object-group, "
              "class-map type inspect, policy-map type inspect, parameter-map type inspect, zone-pair security, "
              "zone security, ip route, ip reflexive-list, ip routing, ipv6 unicast-routing (and their 'no' forms)")


def _norm(text: str) -> str:
    return " ".join(text.split())


class _Edit(Edit):
    """The running-config being edited (``parsers.kit.edit.Edit``) and this vendor's block helpers."""

    def find(self, pred) -> list[tuple[int, int]]:
        """(start, end) of the top-level blocks whose words satisfy ``pred``."""
        return [(s, e) for s, e in blocks(self.lines) if self.lines[s][:1] not in (" ", "\t")
                and pred(self.lines[s].split())]

    def place(self, at: int, items: list[tuple[str, tuple[str, int]]]) -> None:
        """Insert lines (text, origin) before index ``at``, each keeping the origin given (a line moved)."""
        self.lines[at:at] = [t for t, _ in items]
        self.origin[at:at] = [o for _, o in items]

    def end_index(self) -> int:
        """Where to append a new block: before the final ``end``."""
        k = len(self.lines)
        while k > 0 and (not self.lines[k - 1].strip() or self.lines[k - 1].strip() in ("end", "!")):
            k -= 1
        return k


def apply_change(config_text: str, change_text: str, change_path: str, origins: list | None = None,
                 removed: list | None = None) -> str:
    """``config_text`` with the IOS commands of ``change_text`` applied (see the module doc); ``removed``, when
    given a list, receives (config line, change line) for each config line the change removed or replaced."""
    ed = _Edit(config_text, change_path)
    for cmd in commands(change_text, ed, comments=("!",), skip=()):
        ed.cmd = cmd
        t = cmd.toks
        neg = t[0] == "no"
        body = t[1:] if neg else t
        if not body:
            ed.fail("incomplete command")
        if len(body) >= 3 and body[0] in ("ip", "ipv6") and body[1:3] == ["access-list", "resequence"] and not neg:
            _resequence(ed, cmd, body)
        elif len(body) >= 2 and body[0] in ("ip", "ipv6") and body[1] == "access-list":
            _named_acl(ed, cmd, body, neg)
        elif body[0] == "access-list":
            _numbered(ed, cmd, body, neg)
        elif body[0] == "interface":
            _interface(ed, cmd, body, neg)
        elif body[0] in ("object-group", "zone", "zone-pair") or (
                body[0] in ("class-map", "policy-map", "parameter-map") and body[1:3] in (["type", "inspect"],
                                                                                        ["type", "inspect-global"])):
            _block(ed, cmd, body, neg)
        elif body[:2] == ["ip", "route"] or body[:2] == ["ipv6", "route"] or body[:3] == [
                "ip", "reflexive-list", "timeout"]:
            _global_line(ed, cmd, body, neg)
        elif body in (["ip", "routing"], ["ipv6", "unicast-routing"]):
            _routing(ed, cmd, body, neg)
        else:
            ed.fail("not a supported command (supported: %s)" % _SUPPORTED)
    if origins is not None:
        origins[:] = ed.origin
    if removed is not None:
        removed[:] = ed.removed
    out = "\n".join(ed.lines)
    return out + "\n" if config_text.endswith(("\n", "\r")) or not config_text else out


# --- access lists --------------------------------------------------------------------------

def _acl_header(body: list[str]) -> tuple[str, str] | None:
    """(kind, name) of ``ip access-list standard|extended NAME`` / ``ipv6 access-list NAME``."""
    if body[0] == "ipv6" and len(body) == 3:
        return "ipv6", body[2]
    if body[0] == "ip" and len(body) == 4 and body[2] in ("standard", "extended"):
        return body[2], body[3]
    return None


def _numbered_span(ed: _Edit, name: str) -> list[int]:
    return [k for k, raw in enumerate(ed.lines) if raw.split()[:2] == ["access-list", name]]


def _named_span(ed: _Edit, kind: str, name: str) -> tuple[int, int] | None:
    want = (["ipv6", "access-list", name] if kind == "ipv6" else ["ip", "access-list", kind, name])
    spans = ed.find(lambda w: w == want)
    return spans[-1] if spans else None


def _named_acl(ed: _Edit, cmd: Command, body: list[str], neg: bool) -> None:
    hdr = _acl_header(body)
    if hdr is None:
        ed.fail("expected 'ip access-list standard|extended NAME' or 'ipv6 access-list NAME'")
    kind, name = hdr
    span = _named_span(ed, kind, name)
    if kind != "ipv6" and name.isdecimal() and numbered_kind(int(name)) not in (None, kind):
        ed.fail("access list %s is a %s list by its number" % (name, numbered_kind(int(name))))
    if neg:
        if cmd.children:
            ed.fail("'no %s' takes no indented lines" % " ".join(body[:2]), *cmd.children[0][:2])
        if span is None and not (name.isdecimal() and _numbered_span(ed, name)):
            ed.fail("access list %s is not defined" % name)
        if span is not None:
            ed.delete(*span)
        for k in reversed(_numbered_span(ed, name)):
            ed.delete(k, k + 1)
        return
    if span is None and name.isdecimal() and _numbered_span(ed, name):
        if kind == "ipv6":
            ed.fail("access list %s is an IPv4 list ('access-list %s' lines); an IPv6 list cannot share its name"
                    % (name, name))
        span = _named_form(ed, kind, name)
        if kind == "standard" and _host_order_unknown(ed, *span):
            for n, text, _ind in cmd.children:
                t = text.split()
                if (t[1:] if t[0] == "no" else t)[0].isdecimal():
                    ed.fail("standard list %s has host entries among others: IOS may list them in another order "
                            "than it numbered them (its hash of host entries), so which entry has which number is "
                            "not in the running-config; add or delete entries without numbers" % name, n, text)
    if span is None:
        at = ed.end_index()
        ed.insert(at, [(" ".join(["ip", "access-list", kind, name] if kind != "ipv6"
                                  else ["ipv6", "access-list", name]), cmd.line)])
        span = (at, at + 1)
    start, end = span
    for n, text, _ind in cmd.children:
        start, end = _acl_entry(ed, kind, name, start, end, n, text)


def _named_form(ed: _Edit, kind: str, name: str) -> tuple[int, int]:
    """Rewrite numbered list ``name``'s ``access-list N ...`` lines as the block ``ip access-list KIND N`` with
    the sequence numbers IOS gave them, 10, 20, ... in their order, and return the block's (start, end).

    Cisco IOS XE Security Configuration Guide: Access Control Lists, "IP Access List Entry Sequence Numbering":
    "you can name an access list with a number, so numbers are allowed when they are entered in the standard or
    extended named access list (NACL) configuration mode" (its example: 'ip access-list extended 150', 'ip
    access-list resequence 150 1 2'); entries applied without sequence numbers: "the first entry is assigned a
    sequence number of 10, and successive entries are incremented by 10" (a remark takes no number).  IOS XE
    shows a numbered list so ('ip access-list extended 101' / ' 10 permit ...').  The lines keep
    their origin (a finding on an entry the change leaves alone stays unchanged); the block goes where the
    list's first line was."""
    ks = _numbered_span(ed, name)
    moved: list[tuple[str, tuple[str, int]]] = [("ip access-list %s %s" % (kind, name), ed.origin[ks[0]])]
    seq = 0
    for k in ks:
        words = ed.lines[k].split()[2:]
        if words[:1] == ["remark"]:
            moved.append((" " + " ".join(words), ed.origin[k]))
        else:
            seq += 10
            moved.append((" %d %s" % (seq, " ".join(words)), ed.origin[k]))
    for k in reversed(ks):
        ed.delete(k, k + 1)
    ed.place(ks[0], moved)
    return ks[0], ks[0] + len(moved)


def _host_order_unknown(ed: _Edit, start: int, end: int) -> bool:
    """Whether a standard list has a host entry (``host A``, ``A``, ``A 0.0.0.0``) and another entry: IOS keeps
    a standard list's host entries in a hash, shown before the others, not by the numbers it gave them ("The
    order in which standard ACEs are entered may not be the order in which they are stored, displayed or
    processed by the router. The show access-lists command displays the ACEs with their sequence numbers":
    Cisco Networking Academy, CCNA Routing and Switching Essentials, 9.2.2.2)."""
    entries = [w for _k, _s, w in _entries(ed, "standard", start, end) if w[:1] in (["permit"], ["deny"])]

    def host(w: list[str]) -> bool:
        rest = [x for x in w[1:] if x not in ("log",)]
        return bool(rest) and (rest[0] == "host" or (len(rest) == 1 and rest[0] != "any")
                               or (len(rest) > 1 and rest[1] == "0.0.0.0"))

    return len(entries) > 1 and any(host(w) for w in entries)


_MAX_SEQ = 2147483647  # Cisco: "The maximum sequence number is 2147483647"


def _resequence(ed: _Edit, cmd: Command, body: list[str]) -> None:
    """``ip|ipv6 access-list resequence NAME START INCREMENT`` (Cisco IOS XE Security Configuration Guide:
    Access Control Lists, "IP Access List Entry Sequence Numbering": the list's entries numbered from START
    by INCREMENT, in their order)."""
    if cmd.children:
        ed.fail("'%s' takes no indented lines" % " ".join(body[:3]), *cmd.children[0][:2])
    if len(body) != 6 or not body[4].isdecimal() or not body[5].isdecimal():
        ed.fail("expected '%s access-list resequence NAME START INCREMENT'" % body[0])
    name, first, step = body[3], int(body[4]), int(body[5])
    if not 1 <= first <= _MAX_SEQ or not 1 <= step <= _MAX_SEQ:
        ed.fail("the starting number and the increment are 1 to %d" % _MAX_SEQ)
    kinds = ("ipv6",) if body[0] == "ipv6" else ("standard", "extended")
    found = [(kind, _named_span(ed, kind, name)) for kind in kinds]
    found = [(kind, span) for kind, span in found if span is not None]
    if not found and body[0] == "ip" and name.isdecimal() and _numbered_span(ed, name):
        # (a list written as 'access-list N' lines: its entries numbered as IOS gave them, then renumbered; Cisco's
        # example resequences list 150, _named_form)
        kind = numbered_kind(int(name))
        found = [(kind, _named_form(ed, kind, name))]
        if kind == "standard" and _host_order_unknown(ed, *found[0][1]):
            ed.fail("standard list %s has host entries among others: IOS may hold them in another order than the "
                    "running-config shows (its hash of host entries), so the order of the new numbers is not known"
                    % name)
    if not found:
        ed.fail("access list %s is not defined" % name)
    kind, (start, end) = found[-1]
    entries = _entries(ed, kind, start, end)
    # each entry in order takes the next number; a numbered remark, which goes with the entry after it (as
    # an entry placed by its number goes after the remarks above the next entry), takes that entry's new
    # number (after the last entry, the next one); an unnumbered remark is left as it is
    number: dict[int, int] = {}
    remarks: list[int] = []
    n = first
    for k, _seq, words in entries:
        if words[:1] == ["remark"]:
            if split_entry(ed.lines[k].split(), kind)[0] is not None:
                remarks.append(k)
            continue
        if n > _MAX_SEQ:
            ed.fail("exceeded maximum sequence number (%d)" % _MAX_SEQ)
        for r in remarks:
            number[r] = n
        remarks = []
        number[k] = n
        n += step
    if remarks and n > _MAX_SEQ:
        ed.fail("exceeded maximum sequence number (%d)" % _MAX_SEQ)
    for r in remarks:
        number[r] = n
    for k, _seq, words in entries:
        if k not in number:
            continue
        indent = ed.lines[k][:len(ed.lines[k]) - len(ed.lines[k].lstrip())] or " "
        if kind == "ipv6":
            ed.set(k, "%s%s sequence %d" % (indent, " ".join(words), number[k]), cmd.line)
        else:
            ed.set(k, "%s%d %s" % (indent, number[k], " ".join(words)), cmd.line)


def _entries(ed: _Edit, kind: str, start: int, end: int) -> list[tuple[int, int, list[str]]]:
    """(line index, sequence number, words from the action) of a named list's entries."""
    out = []
    last = 0
    for k in range(start + 1, end):
        t = ed.lines[k].split()
        if not t or t[0].startswith("!"):
            continue
        seq, words = split_entry(t, kind)
        if words and words[0] == "remark":
            out.append((k, seq if seq is not None else last, words))
            continue
        if seq is None:
            seq = last + 10
        last = max(last, seq)
        out.append((k, seq, words))
    return out


def _acl_entry(ed: _Edit, kind: str, name: str, start: int, end: int, n: int, text: str) -> tuple[int, int]:
    t = text.split()
    entries = _entries(ed, kind, start, end)
    taken = {seq: k for k, seq, w in entries if w[:1] != ["remark"]}
    if t[0] == "no":
        rest = t[1:]
        if len(rest) == 1 and rest[0].isdecimal():
            k = taken.get(int(rest[0]))
            if k is None:
                ed.fail("access list %s has no entry %s" % (name, rest[0]), n, text)
        else:
            seq, words = split_entry(rest, kind) if rest else (None, [])
            same = [k for k, s, w in entries if _norm(" ".join(w)) == _norm(" ".join(words))
                    and (seq is None or s == seq)]
            if not same:
                ed.fail("access list %s has no such entry" % name, n, text)
            k = same[0]
        ed.delete(k, k + 1, by=n)
        return start, end - 1
    seq, words = split_entry(t, kind)
    if not words or words[0] not in ("permit", "deny", "remark", "evaluate"):
        ed.fail("expected [SEQ] permit|deny|remark ... inside an access list", n, text)
    if words[0] == "remark":
        ed.insert(end, [(" " + " ".join(words), n)])
        return start, end + 1
    if seq is not None and seq in taken:
        ed.fail("access list %s already has an entry %d (IOS rejects a duplicate number)" % (name, seq), n, text)
    key = _ace_key(words)
    if any(w[:1] != ["remark"] and _ace_key(w) == key for _k, _s, w in entries):
        # Cisco: 'If the user enters an entry that matches an already existing entry (except for
        # the sequence number), then no changes are made' (IP Access List Entry Sequence Numbering)
        return start, end
    numbered = any(ed.lines[k].split()[0].isdecimal() or ed.lines[k].split()[0] == "sequence" for k, _s, _w in entries)
    if seq is None:
        seq = max(taken, default=0) + 10
        at = end
    else:
        after = [k for k, s, w in entries if w[:1] != ["remark"] and s > seq]
        at = after[0] if after else end
        if not numbered:
            # the list is shown without numbers: write out the numbers IOS gave its entries, so
            # that the order and later 'no SEQ' lines stay exact (the lines keep their origin)
            fmt = " sequence %d %s" if kind == "ipv6" else " %d %s"
            for k, s, w in entries:
                if w[:1] != ["remark"]:
                    ed.lines[k] = fmt % (s, " ".join(w))
            numbered = True
    line = (" sequence %d %s" if kind == "ipv6" else " %d %s") % (seq, " ".join(words)) if numbered \
        else " " + " ".join(words)
    ed.insert(at, [(line, n)])
    return start, end + 1


def _ace_key(words: list[str]) -> tuple:
    """An entry as the device compares it (``entry_key``: wildcards, 'A 0.0.0.0' as 'host A')."""
    names = names_for(N.PROTOCOLS.get(words[1].lower()) if len(words) > 1 else None)

    def port(w: str):
        if not is_port(w, names):
            return None
        try:
            return port_value(w, names)
        except OperandError:
            return w

    return entry_key(words, port, "0.0.0.0", ("0.0.0.0", "255.255.255.255"), "any")


def _numbered(ed: _Edit, cmd: Command, body: list[str], neg: bool) -> None:
    if len(body) < 2 or not body[1].isdecimal() or numbered_kind(int(body[1])) is None:
        ed.fail("expected 'access-list N ...' with N an IP access list number (1-199, 1300-2699)")
    if cmd.children:
        ed.fail("'access-list' takes no indented lines", *cmd.children[0][:2])
    name = body[1]
    lines = _numbered_span(ed, name)
    if neg:
        # IOS: 'no access-list N' (whatever follows) deletes the whole list
        named = _named_span(ed, numbered_kind(int(name)), name)
        if not lines and named is None:
            ed.fail("access list %s is not defined" % name)
        for k in reversed(lines):
            ed.delete(k, k + 1)
        if named is not None:
            ed.delete(*named)
        return
    if len(body) < 3 or body[2] not in ("permit", "deny", "remark", "dynamic"):
        ed.fail("expected permit, deny or remark")
    named = _named_span(ed, numbered_kind(int(name)), name)
    if named is not None:
        # (a numbered list shown as 'ip access-list extended N': the entry goes at its end, numbered last + 10, as
        # an entry typed without a number in that mode; 'access-list N' "adds to the end of the list")
        _acl_entry(ed, numbered_kind(int(name)), name, *named, cmd.line, " ".join(body[2:]))
        return
    if lines:
        at = lines[-1] + 1
    else:
        last = [k for k, raw in enumerate(ed.lines) if raw.startswith("access-list ")]
        at = last[-1] + 1 if last else ed.end_index()
    ed.insert(at, [(" ".join(body), cmd.line)])


# --- interfaces ---------------------------------------------------------------------------

_IF_KEYS = {("ip", "access-group"): 3, ("ipv6", "traffic-filter"): 3, ("zone-member", "security"): 2,
            ("ip", "nat"): 2, ("shutdown",): 1}


def _if_key(t: list[str]) -> tuple | None:
    """What an interface setting replaces: the same binding direction, the zone, the NAT side."""
    if t[:2] in (["ip", "access-group"], ["ipv6", "traffic-filter"]):
        return (t[0], t[1], t[3] if len(t) > 3 else "out")
    if t[:2] == ["zone-member", "security"]:
        return ("zone-member",)
    if t[:2] == ["ip", "nat"] and len(t) == 3:
        return ("ip", "nat")
    if t == ["shutdown"]:
        return ("shutdown",)
    return None


def _if_names(ed: _Edit) -> IfNames:
    """The config's interface names (parsers.kit.ifnames: an abbreviated name is the interface it stands for)."""
    return IfNames(N.IF_PHYSICAL, N.IF_VIRTUAL, (if_name(line.split()) for line in ed.lines
                                                 if line.startswith("interface ")))


def _route_words(names: IfNames, words: list[str]) -> list[str]:
    """A route's words, each interface name as the config names it."""
    return [names.resolve(w)[0] if w[:1].isalpha() else w for w in words]


def _interface(ed: _Edit, cmd: Command, body: list[str], neg: bool) -> None:
    if neg or len(body) < 2:
        ed.fail("only existing interfaces can be changed ('interface NAME' with indented settings)")
    # (the interface however either names it: 'interface gi0/0' changes 'interface GigabitEthernet0/0')
    names = _if_names(ed)
    name, why = names.resolve(if_name(body))
    if why is not None:
        ed.fail(why)
    spans = ed.find(lambda w: w[:1] == ["interface"] and names.resolve(if_name(w)) == (name, None))
    if not spans:
        ed.fail("interface %s is not in the config" % " ".join(body[1:]))
    start, end = spans[0]
    for n, text, _ind in cmd.children:
        t = text.split()
        off = t[0] == "no"
        words = t[1:] if off else t
        key = _if_key(words)
        if key is None:
            ed.fail("interface setting not supported (supported: ip access-group, ipv6 traffic-filter, "
                    "zone-member security, ip nat inside|outside, shutdown)", n, text)
        have = [k for k in range(start + 1, end) if _if_key(ed.lines[k].split()) == key]
        if off:
            if not have:
                if key == ("shutdown",):
                    continue  # 'no shutdown' on an interface that is up
                ed.fail("interface %s has no such setting" % name, n, text)
            applied = [ed.lines[k].split()[2] for k in have if len(key) == 3]
            if applied and len(words) > 2 and words[2] != applied[0]:
                # (whether IOS removes the list applied in that direction when another is named, or refuses the
                # command, is not documented; the parser reports such a line too)
                ed.fail("interface %s applies %s %s, not %s; name that list" % (name, applied[0], key[2], words[2]),
                        n, text)
            for k in reversed(have):
                ed.delete(k, k + 1)
                end -= 1
            continue
        if have:
            ed.set(have[0], " " + " ".join(words), n)
        else:
            ed.insert(end, [(" " + " ".join(words), n)])
            end += 1


# --- other blocks ---------------------------------------------------------------------

def _same_header(a: list[str], b: list[str]) -> bool:
    """Whether two block headers name the same block (class maps: the name, not match-any/all)."""
    if a[:1] != b[:1]:
        return False
    if a[0] == "class-map":
        return a[-1] == b[-1] and a[:3] == b[:3]
    if a[0] == "zone-pair":
        return a[:3] == b[:3]
    return a == b


def _block(ed: _Edit, cmd: Command, body: list[str], neg: bool) -> None:
    spans = ed.find(lambda w: _same_header(w, body))
    if neg:
        if cmd.children:
            ed.fail("'no %s' takes no indented lines" % body[0], *cmd.children[0][:2])
        if not spans:
            ed.fail("%s is not defined" % " ".join(body))
        name = body[-1]
        for s, e in ed.find(lambda w: True):
            if (s, e) == spans[0]:
                continue
            for k in range(s, e):
                w = ed.lines[k].split()
                if name in w and w[0] not in ("description", "remark"):
                    ed.fail("%s is still used by: %s" % (name, ed.lines[k].strip()))
        ed.delete(*spans[0])
        return
    if not spans:
        at = ed.end_index()
        ed.insert(at, [(" ".join(body), cmd.line)] + [(" " * ind + text, n) for n, text, ind in cmd.children])
        return
    start, end = spans[0]
    if ed.lines[start].split() != body:
        ed.set(start, " ".join(body), cmd.line)  # (e.g. a class-map's match-any / match-all)
    if body[0] == "policy-map":
        _policy_children(ed, cmd, start, end)
        return
    for n, text, _ind in cmd.children:
        t = text.split()
        if t[0] == "no":
            rest = _norm(" ".join(t[1:]))
            have = [k for k in range(start + 1, end) if _norm(ed.lines[k]) == rest or (
                body[0] == "parameter-map" and ed.lines[k].split()[:2] == t[1:3])]
            if not have:
                ed.fail("%s has no line '%s'" % (" ".join(body), rest), n, text)
            ed.delete(have[0], have[0] + 1, by=n)
            end -= 1
            continue
        if body[0] == "parameter-map":
            have = [k for k in range(start + 1, end) if ed.lines[k].split()[:2] == t[:2]]
            if have:
                ed.set(have[0], " " + text, n)
                continue
        if body[0] == "zone-pair" and t[:1] == ["service-policy"]:
            have = [k for k in range(start + 1, end) if ed.lines[k].split()[:1] == ["service-policy"]]
            if have:
                ed.set(have[0], " " + text, n)
                continue
        ed.insert(end, [(" " + text, n)])
        end += 1


def _policy_children(ed: _Edit, cmd: Command, start: int, end: int) -> None:
    """``class type inspect C`` lines and their actions: an action replaces the class's action;
    a new class goes before ``class class-default``; ``no class type inspect C`` removes one."""
    cls = None  # (line index of the class line, end of its actions)
    base = min((ind for _n, _t, ind in cmd.children), default=1)
    for n, text, ind in cmd.children:
        t = text.split()
        if ind == base:
            off = t[0] == "no"
            words = t[1:] if off else t
            if words[:1] != ["class"]:
                ed.fail("expected a 'class' line in a policy-map", n, text)
            spans = _classes(ed, start, end)
            have = [s for s in spans if ed.lines[s[0]].split() == words]
            if off:
                if not have:
                    ed.fail("the policy-map has no such class", n, text)
                s, e = have[0]
                ed.delete(s, e)
                end -= e - s
                cls = None
                continue
            if have:
                cls = have[0]
            else:
                default = [s for s in spans if ed.lines[s[0]].split() == ["class", "class-default"]]
                at = default[0][0] if default and words != ["class", "class-default"] else end
                ed.insert(at, [(" " + " ".join(words), n)])
                end += 1
                cls = (at, at + 1)
            continue
        if cls is None:
            ed.fail("an action outside a class", n, text)
        s, e = cls
        act = [k for k in range(s + 1, e) if ed.lines[k].split()[:1] and ed.lines[k].split()[0] in
               ("inspect", "pass", "drop")]
        if t[0] in ("inspect", "pass", "drop") and act:
            ed.set(act[0], "  " + text, n)
        else:
            ed.insert(e, [("  " + text, n)])
            end += 1
            cls = (s, e + 1)


def _classes(ed: _Edit, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    k = start + 1
    while k < end:
        if ed.lines[k].split()[:1] == ["class"]:
            ind = len(ed.lines[k]) - len(ed.lines[k].lstrip())
            e = k + 1
            while e < end and len(ed.lines[e]) - len(ed.lines[e].lstrip()) > ind:
                e += 1
            out.append((k, e))
            k = e
        else:
            k += 1
    return out


def _routing(ed: _Edit, cmd: Command, body: list[str], neg: bool) -> None:
    """``[no] ip routing`` / ``[no] ipv6 unicast-routing``: the family's earlier such lines go, and the command
    is the one that says (the parser reads the last; a running-config shows IPv4 routing only when off, IPv6
    only when on, but either form reads alike)."""
    if cmd.children:
        ed.fail("'%s' takes no indented lines" % " ".join(body), *cmd.children[0][:2])
    for k in reversed([k for k, raw in enumerate(ed.lines) if raw.split() in (body, ["no"] + body)]):
        ed.delete(k, k + 1)
    ed.insert(ed.end_index(), [(("no " if neg else "") + " ".join(body), cmd.line)])


def _global_line(ed: _Edit, cmd: Command, body: list[str], neg: bool) -> None:
    if cmd.children:
        ed.fail("'%s' takes no indented lines" % " ".join(body[:2]), *cmd.children[0][:2])
    if body[:3] == ["ip", "reflexive-list", "timeout"]:
        have = [k for k, raw in enumerate(ed.lines) if raw.split()[:3] == body[:3]]
        if neg:
            for k in reversed(have):
                ed.delete(k, k + 1)
        elif have:
            ed.set(have[0], " ".join(body), cmd.line)
        else:
            ed.insert(ed.end_index(), [(" ".join(body), cmd.line)])
        return
    text = " ".join(body)
    # (a route names its interface as either writes it: 'no ip route ... Gi0/1' removes '... GigabitEthernet0/1')
    names = _if_names(ed)
    key = _route_words(names, body)
    have = [k for k, raw in enumerate(ed.lines)
            if raw.split()[:2] == body[:2] and _route_words(names, raw.split()) == key]
    if neg:
        if not have:
            ed.fail("no such route in the config")
        ed.delete(have[0], have[0] + 1)
        return
    if have:
        return
    last = [k for k, raw in enumerate(ed.lines) if raw.split()[:2] == body[:2]]
    ed.insert(last[-1] + 1 if last else ed.end_index(), [(text, cmd.line)])

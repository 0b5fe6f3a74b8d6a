"""Apply a FortiOS change request (CLI blocks, as an engineer types them) to a configuration, as text.

A change request is what one would paste into the FortiGate's CLI::

    config firewall policy
        edit 0                      <- a new policy (the next free ID), appended at the end
            set srcintf "workshop"
            ...
        next
        edit 12                     <- an existing policy: each 'set' replaces that setting,
            set session-ttl 28800      'unset' removes it, 'append' adds to a list
        next
        move 31 before 10           <- reorder (policies are matched in this order)
        delete 14                   <- remove an entry (an object still in use cannot go)
        rename "old" to "new"
    end

Blocks may nest (``config system session-ttl`` / ``config port``), and may be wrapped in
``config vdom`` / ``edit NAME`` ... ``next`` / ``end`` to change one VDOM (``config global``
for global settings).  A block the configuration does not have is added at the end of its scope.
``clone A to B`` copies an object (address, service, group, schedule) to the end of its table;
in a table whose order decides (policies, VIPs, routes) it is refused.  Anything else
(``purge``, garbage) raises ``InputError`` naming the change file and line: a change is never
applied in part.  ``origins``, when given a list, receives
``("config", n)`` or ``("change", n)`` for each line of the result.  ``part``, when one VDOM is
reviewed (``check-change --vdom NAME``), refuses an edit of another VDOM: each VDOM is its own
device, so such an edit changes nothing in the one reviewed and would pass unseen.
"""

from __future__ import annotations

from parsers.fortios.build import vdom_layout
from parsers.fortios.scan import Node, Stmt, scan, tokens
from parsers.fortios.services import number
from parsers.fortios.timeouts import TTL_MIN, ttl_value
from parsers.kit import InputError


class _Row:
    __slots__ = ("text", "origin")

    def __init__(self, text: str, origin: tuple[str, int]):
        self.text, self.origin = text, origin


class _Edit:
    def __init__(self, config_text: str, change_text: str, change_path: str):
        self.cfg = config_text.splitlines()
        self.chg = change_text.splitlines()
        self.path = change_path
        self.rows = [_Row(t, ("config", i + 1)) for i, t in enumerate(self.cfg)]
        self.crow = list(self.rows)  # config line index -> its row (rows move; these objects do not)
        self.tree = scan(self.cfg)
        # entries the change adds to each configuration block, by the block's last node: a later block of the
        # change with the same path sees them ('edit 0' counts them, 'move' finds them)
        self.added: dict[int, dict[str, tuple[_Row, _Row]]] = {}
        self.cloned: dict[int, set[str]] = {}
        self.removed: list[tuple[int, int]] = []  # (config line, change line that removed or replaced it)

    def fail(self, i: int, why: str) -> None:
        raise InputError("%s:%d: %s" % (self.path, i + 1, why))

    def at(self, row: _Row) -> int:
        return self.rows.index(row)

    def change_rows(self, a: int, b: int) -> list[_Row]:
        return [_Row(self.chg[k], ("change", k + 1)) for k in range(a, b + 1)]

    def remove(self, first: _Row, last: _Row, by: int | None = None) -> list[_Row]:
        """The rows ``first`` to ``last``, taken out; ``by``: the change line (0-based) that removes them (not
        given for rows put back elsewhere, a move)."""
        i, j = self.at(first), self.at(last)
        out = self.rows[i:j + 1]
        del self.rows[i:j + 1]
        if by is not None:
            self.removed += [(r.origin[1], by + 1) for r in out if r.origin[0] == "config"]
        return out

    def insert_before(self, row: _Row | None, new: list[_Row]) -> None:
        k = self.at(row) if row is not None else len(self.rows)
        self.rows[k:k] = new


def apply_change(config_text: str, change_text: str, change_path: str, origins: list | None = None,
                 part: str | None = None, removed: list | None = None) -> str:
    """``config_text`` as it reads after the FortiOS CLI blocks of ``change_text`` (of VDOM ``part`` alone,
    when given); ``removed``, when given a list, receives (config line, change line) for each configuration line
    the change removed or replaced."""
    ed = _Edit(config_text, change_text, change_path)
    ctree = scan(ed.chg, change_path)
    for i, _why in ctree.bad:
        ed.fail(i, "not a FortiOS CLI command in a change request ('config ...', 'edit', 'set', 'unset', "
                   "'append', 'delete', 'move', 'rename', 'clone', 'next', 'end')")
    if not ctree.root.blocks():
        raise InputError("%s: no 'config ...' block in the change request" % change_path)
    _refused_values(ed, ctree.root, ())
    glob, per, _decl = vdom_layout(ed.tree)
    multi = any(b.path == ("vdom",) for b in ed.tree.root.blocks())
    for cb in ctree.root.blocks():
        if cb.close is None:
            ed.fail(cb.line, "block not closed with 'end'")
        if cb.path == ("vdom",):
            for e in cb.entries():
                if e.name not in per:
                    ed.fail(e.line, "no VDOM '%s' in the configuration" % e.name)
                if part is not None and e.name != part and e.blocks():
                    ed.fail(e.line, "this edits VDOM '%s', and the check reviews VDOM '%s' (each VDOM is its own "
                                    "device: this changes nothing in '%s'); check it with --vdom %s, one change "
                                    "file per VDOM" % (e.name, part, part, e.name))
                for b in e.blocks():
                    _block(ed, b, per[e.name], _vdom_end(ed, e.name) if multi else None)
        elif cb.path == ("global",):
            for b in cb.blocks():
                _block(ed, b, glob if multi else per["root"], _global_end(ed) if multi else None)
        else:
            if multi and any(b.path == cb.path for b in glob):
                _block(ed, cb, glob, _global_end(ed))
            elif multi and len(per) > 1:
                ed.fail(cb.line, "the configuration has VDOMs: wrap the change in 'config vdom' / 'edit NAME'")
            else:
                vd = next(iter(per))
                _block(ed, cb, per[vd], _vdom_end(ed, vd) if multi else None)
    if origins is not None:
        origins[:] = [r.origin for r in ed.rows]
    if removed is not None:
        removed[:] = ed.removed
    return "\n".join(r.text for r in ed.rows) + "\n"


# idle-timeout settings and the values the CLI takes (timeouts.TTL_MIN..TTL_MAX; a 'config port' entry's timeout
# from 1; its protocol 0-255 and ports 0-65535, FortiOS CLI Reference, "config system session-ttl"), by block path
_TTL_TABLES = (("firewall", "policy"), ("firewall", "policy6"), ("firewall", "consolidated", "policy"),
               ("firewall", "service", "custom"))


def _refused_values(ed: _Edit, node: Node, path: tuple[str, ...]) -> None:
    """Refuse a change that sets an idle timeout to a value the FortiOS CLI refuses (out of its range, or other
    than ASCII digits): the device refuses that line and keeps the setting's previous value, which the change
    does not mean (read as written, the setting would fall back to the next level of precedence)."""
    for it in node.items:
        if isinstance(it, Node):
            sub = path + it.path if it.kind == "config" else path
            _refused_values(ed, it, () if sub in (("vdom",), ("global",)) else sub)
            continue
        key = it.key.lower()
        if it.verb != "set" or not (key == "session-ttl" and path in _TTL_TABLES
                                    or key == "default" and path == ("system", "session-ttl")
                                    or key in ("timeout", "protocol", "start-port", "end-port")
                                    and path == ("system", "session-ttl", "port")):
            continue
        try:
            if len(it.args) != 1:
                raise ValueError("one value expected")
            if key in ("session-ttl", "default", "timeout"):
                if ttl_value(it.args[0], low=1 if key == "timeout" else TTL_MIN) == "" and key != "session-ttl":
                    raise ValueError("0 is out of range")
            elif not 0 <= number(it.args[0]) <= (255 if key == "protocol" else 65535):
                raise ValueError("%s is out of range" % it.args[0])
        except ValueError as ex:
            ed.fail(it.line, "'set %s %s': FortiOS refuses this value (%s), and the setting keeps its previous "
                             "value: write a value the CLI takes" % (it.key, " ".join(it.args), ex))


def _vdom_end(ed: _Edit, vdom: str) -> _Row | None:
    """The row before which new blocks of ``vdom`` go (its 'next' in the last 'config vdom')."""
    last = None
    for b in ed.tree.root.blocks():
        if b.path == ("vdom",):
            for e in b.entries():
                if e.name == vdom and e.close is not None:
                    last = ed.crow[e.close]
    return last


def _global_end(ed: _Edit) -> _Row | None:
    for b in ed.tree.root.blocks():
        if b.path == ("global",) and b.close is not None:
            return ed.crow[b.close]
    return None


def _block(ed: _Edit, cb: Node, scope: list[Node], end: _Row | None) -> None:
    targets = [b for b in scope if b.path == cb.path]
    if not targets:
        new = ed.change_rows(cb.line, cb.close)
        ed.insert_before(end, new)
        return
    _merge(ed, targets, cb)


def _entries(targets: list[Node]) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for t in targets:
        for e in t.entries():
            out.setdefault(e.name, e)
    return out


def _merge(ed: _Edit, targets: list[Node], cb: Node) -> None:
    """Merge change block ``cb`` into the config blocks ``targets`` (same path; the last one gets new items)."""
    last = targets[-1]
    if last.close is None:  # (the configuration's own block never ends: nowhere to add to it)
        ed.fail(cb.line, "the configuration's 'config %s' block (line %d) has no 'end': the change cannot be "
                         "placed in it" % (" ".join(cb.path), last.line + 1))
    is_policy = cb.path in (("firewall", "policy"), ("firewall", "policy6"), ("firewall", "consolidated", "policy"))
    added = ed.added.setdefault(id(last), {})  # entries the change adds: their first and last rows (for 'move')
    cloned = ed.cloned.setdefault(id(last), set())  # the names of those 'clone' made (an 'edit' may change them)
    for it in cb.items:
        entries = _entries(targets)
        if isinstance(it, Node) and it.kind == "edit":
            if it.close is None:
                ed.fail(it.line, "'edit %s' without 'next'" % it.name)
            if is_policy and it.name == "0":
                # (the next free ID: above the configuration's and those this change added before)
                ids = [int(n) for n in list(entries) + list(added) if n.isdecimal()]
                new_id = str(max(ids, default=0) + 1)
                rows = ed.change_rows(it.line, it.close)
                rows[0].text = rows[0].text.replace("edit 0", "edit %s" % new_id, 1)
                ed.insert_before(ed.crow[last.close], rows)
                added[new_id] = (rows[0], rows[-1])
                continue
            e = entries.get(it.name)
            if e is None and it.name in cloned:  # (a copy 'clone' made above: its settings changed)
                _merge_copy(ed, added[it.name], it)
                continue
            if e is None and it.name in added:  # (the same entry edited again in the change)
                ed.fail(it.line, "entry %s is added by the change twice: write its settings in one 'edit' block"
                        % it.name)
            if e is None:
                rows = ed.change_rows(it.line, it.close)
                ed.insert_before(ed.crow[last.close], rows)
                added[it.name] = (rows[0], rows[-1])
            else:
                _merge_entry(ed, e, it)
        elif isinstance(it, Node):  # a nested block directly in the block
            sub = [b for t in targets for b in t.blocks() if b.path == it.path]
            if sub:
                _merge(ed, sub, it)
            else:
                ed.insert_before(ed.crow[last.close], ed.change_rows(it.line, it.close))
        else:
            _table_or_setting(ed, it, targets, entries, is_policy, added, cloned)


def _table_or_setting(ed: _Edit, st: Stmt, targets: list[Node], entries: dict[str, Node], is_policy: bool,
                      added: dict[str, tuple[_Row, _Row]], cloned: set[str]) -> None:
    words = [st.key] + st.args
    if st.verb == "delete":
        if len(words) == 1 and words[0] not in entries and words[0] in added:  # (one the change added above)
            ed.remove(*added.pop(words[0]))
            return
        if len(words) != 1 or words[0] not in entries:
            ed.fail(st.line, "delete: no entry '%s' here" % " ".join(words))
        e = entries[words[0]]
        if not is_policy:
            user = _used_by(ed, words[0], e)
            if user is not None:
                ed.fail(st.line, "cannot delete '%s': it is used by configuration line %d" % (words[0], user))
        ed.remove(ed.crow[e.line], ed.crow[e.last_line()], by=st.line)
    elif st.verb == "move":
        # (an entry of the configuration, or one the change added above: a new policy moved before another)
        spans = {n: (ed.crow[e.line], ed.crow[e.last_line()]) for n, e in entries.items() if n in words[::2]}
        spans.update((n, rows) for n, rows in added.items() if n in words[::2])
        if len(words) != 3 or words[1] not in ("before", "after") or words[0] not in spans \
                or words[2] not in spans or words[0] == words[2]:
            ed.fail(st.line, "move: expected 'move ID before|after ID' naming two entries here")
        moved = ed.remove(*spans[words[0]])
        for row in moved:  # (the moved entry is where it is because of this line: a review locates it here)
            if row.origin[0] != "change":
                row.origin = ("change", st.line + 1)
        first, last_row = spans[words[2]]
        if words[1] == "before":
            anchor = first
        else:
            k = ed.at(last_row) + 1
            anchor = ed.rows[k] if k < len(ed.rows) else None
        ed.insert_before(anchor, moved)
    elif st.verb == "rename":
        if len(words) != 3 or words[1] != "to" or words[0] not in entries or words[2] in entries:
            ed.fail(st.line, "rename: expected 'rename NAME to NEW' naming an entry here and a free name")
        e = entries[words[0]]
        user = None if is_policy else _named_in(ed, words[0], ed.crow[e.line], ed.crow[e.last_line()])
        if user is not None:
            # "rename <table> to <table>" (FortiOS 6.0 Handbook, "Sub-commands") renames the entry; whether the
            # settings naming it follow, no Fortinet document says: what the device holds after it is not known
            # (the setting that names it is shown by its key alone: its line may hold more than names)
            where = "configuration line %d" % user.origin[1] if user.origin[0] == "config" else \
                "change line %d" % user.origin[1]
            how = ('clone "%s" to "%s", ' % (words[0], words[2]) if tuple(targets[-1].path) in _CLONABLE else
                   'edit "%s" with the settings of "%s", ' % (words[2], words[0]))
            ed.fail(st.line, 'rename "%s" to "%s" is not applied: "%s" is named by %s (%s); FortiOS documents '
                             "'rename' as renaming the entry, and it is not documented whether the settings that "
                             "name it are renamed with it, so what the device holds after it is not known. Write "
                             'it out: %sset each setting that names "%s" to "%s", then delete "%s"'
                    % (words[0], words[2], words[0], where, " ".join(tokens(user.text.strip())[0][:2]), how, words[0],
                       words[2], words[0]))
        row = ed.crow[e.line]
        row.text = row.text[:len(row.text) - len(row.text.lstrip())] + 'edit "%s"' % words[2]
        row.origin = ("change", st.line + 1)
    elif st.verb == "clone":
        # "clone <table>: Clone (or make a copy of) a table from the current object ... clone 27 to 30" (FortiOS 6.0
        # Handbook, "Sub-commands", https://docs.fortinet.com/document/fortigate/6.0.0/handbook/753045). Where the
        # copy goes in a table whose order decides (policies, VIPs, routes) is not documented: refused there; an
        # object table's order decides nothing, so the copy goes at its end
        if len(words) != 3 or words[1] != "to" or words[0] not in entries or words[2] in entries \
                or words[2] in added:
            ed.fail(st.line, "clone: expected 'clone NAME to NEW' naming an entry here and a free name")
        if tuple(targets[-1].path) not in _CLONABLE:
            ed.fail(st.line, "clone: where FortiOS puts the copy in 'config %s' is not documented, and there the "
                             "order decides: write the new entry with 'edit' (and 'move')" % " ".join(targets[-1].path))
        e = entries[words[0]]
        # (the entry as it reads now, with what the change did to it above)
        i, j = ed.at(ed.crow[e.line]), ed.at(ed.crow[e.last_line()])
        rows = [_Row(r.text, ("change", st.line + 1)) for r in ed.rows[i:j + 1]]
        head = rows[0].text
        rows[0].text = head[:len(head) - len(head.lstrip())] + 'edit "%s"' % words[2]
        ed.insert_before(ed.crow[targets[-1].close], rows)
        added[words[2]] = (rows[0], rows[-1])
        cloned.add(words[2])
    elif st.verb in ("set", "unset", "append", "select", "unselect"):
        _setting(ed, targets[-1], st)
    else:
        ed.fail(st.line, "'%s' is not supported in a change request" % st.verb)


# tables whose entries' order decides nothing (objects resolved by name), where a clone's place does not matter
_CLONABLE = frozenset((("firewall", "address"), ("firewall", "address6"), ("firewall", "addrgrp"),
                       ("firewall", "addrgrp6"), ("firewall", "service", "custom"), ("firewall", "service", "group"),
                       ("firewall", "schedule", "recurring"), ("firewall", "schedule", "onetime")))


def _merge_copy(ed: _Edit, span: tuple[_Row, _Row], ce: Node) -> None:
    """Apply the 'set'/'unset'/'append' of change entry ``ce`` to the copy 'clone' made (its rows ``span``)."""
    first, last = span
    for it in ce.items:
        if isinstance(it, Node) or it.verb not in ("set", "select", "unset", "append"):
            ed.fail(it.line, "only 'set', 'unset' and 'append' may change an entry this change clones")
        i, j = ed.at(first), ed.at(last)
        rows = ed.rows[i:j + 1]
        tree = scan(["config x"] + [r.text for r in rows] + ["end"])
        copy = tree.root.blocks()[0].entries()[0]
        mine = [x for x in copy.stmts() if x.key.lower() == it.key.lower() and x.verb in ("set", "select", "append")]
        if it.verb != "append":
            for x in reversed(mine):
                del ed.rows[i + x.line - 1:i + x.last]
        if it.verb != "unset":
            ed.insert_before(last, ed.change_rows(it.line, it.last))


def _named_in(ed: _Edit, name: str, first: _Row, last: _Row) -> _Row | None:
    """The first row of the configuration as changed so far, outside ``first``..``last``, whose setting names
    ``name`` ('set', 'select' or 'append' KEY ... NAME)."""
    i, j = ed.at(first), ed.at(last)
    for k, row in enumerate(ed.rows):
        if i <= k <= j:
            continue
        s = row.text.strip()
        if s.startswith(("set ", "append ", "select ")) and name in tokens(s)[0][2:]:
            return row
    return None


def _used_by(ed: _Edit, name: str, e: Node) -> int | None:
    lo, hi = e.line, e.last_line()
    for i, text in enumerate(ed.cfg):
        if lo <= i <= hi:
            continue
        s = text.strip()
        if s.startswith(("set ", "append ")) and name in tokens(s)[0][2:]:
            if ed.crow[i] in ed.rows:
                return i + 1
    return None


def _merge_entry(ed: _Edit, e: Node, ce: Node) -> None:
    for it in ce.items:
        if isinstance(it, Node):
            sub = [b for b in e.blocks() if b.path == it.path]
            if sub and it.kind == "config":
                _merge(ed, sub, it)
            else:
                ed.insert_before(ed.crow[e.close], ed.change_rows(it.line, it.close))
        elif it.verb in ("set", "unset", "append", "select", "unselect"):
            _setting(ed, e, it)
        else:
            ed.fail(it.line, "'%s' is not supported inside 'edit'" % it.verb)


def _setting(ed: _Edit, node: Node, st: Stmt) -> None:
    """Apply one set/unset/append to the direct statements of config node ``node``."""
    key = st.key.lower()
    mine = [x for x in node.stmts() if x.key.lower() == key and x.verb in ("set", "select", "append")
            and ed.crow[x.line] in ed.rows]
    new = ed.change_rows(st.line, st.last)
    if st.verb in ("set", "select"):
        if mine:
            ed.insert_before(ed.crow[mine[0].line], new)
            for x in mine:
                ed.remove(ed.crow[x.line], ed.crow[x.last], by=st.line)
        else:
            ed.insert_before(ed.crow[node.close] if node.close is not None else None, new)
    elif st.verb == "unset":
        for x in mine:
            ed.remove(ed.crow[x.line], ed.crow[x.last], by=st.line)
        if not mine:
            return
    elif st.verb == "append":
        ed.insert_before(ed.crow[node.close] if node.close is not None else None, new)
    elif st.verb == "unselect":
        if not mine:
            ed.fail(st.line, "unselect: '%s' is not set here" % st.key)
        values = []
        for x in mine:
            values += x.args
        absent = [v for v in st.args if v not in values]
        if absent:  # (the list is left as it was: the change would not do what it says)
            ed.fail(st.line, "unselect: %s is not a value of '%s' here" % (", ".join('"%s"' % v for v in absent),
                                                                          st.key))
        keep = [v for v in values if v not in st.args]
        indent = ed.cfg[mine[0].line][:len(ed.cfg[mine[0].line]) - len(ed.cfg[mine[0].line].lstrip())]
        row = _Row(indent + "set %s %s" % (st.key, " ".join('"%s"' % v for v in keep)), ("change", st.line + 1))
        ed.insert_before(ed.crow[mine[0].line], [row])
        for x in mine:
            ed.remove(ed.crow[x.line], ed.crow[x.last], by=st.line)

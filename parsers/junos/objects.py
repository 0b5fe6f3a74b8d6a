"""Address books (global, attached to zones, or a zone's own) and applications (custom and predefined).

Juniper, "Address Books and Address Sets" (Junos OS Security Policies User Guide): a policy's
source address is looked up in the address book of its from-zone (a book attached to the zone,
or the zone's own ``address-book``), its destination in the to-zone's, and in the global book;
global policies use the global book.  A name written in both a zone's book and the global book
with different addresses: no Juniper document for the device says which one the policy takes
(Juniper's "NAT Global Address Book Overview" says only what Security Director does, "match an
address in the zone-based address book first"), so the addresses where they differ are only
possibly matched and the zone's entry is reported.  ``any``, ``any-ipv4`` and ``any-ipv6`` are predefined.
An address is a prefix (``address N 10.0.0.0/24``), a ``range-address A to B``, a
``wildcard-address A/MASK`` or a ``dns-name`` (resolved by the device at run time: unknown here).
Address sets hold addresses and other sets (nested).

Applications (``applications application NAME``): ``protocol``, ``source-port``,
``destination-port``, ``icmp-type``/``icmp-code``, ``inactivity-timeout (SECONDS | never)``,
either on the application or on each of its ``term``s.  Application sets hold applications and
other sets.  Predefined ``junos-*`` applications come from ``parsers.junos.data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import AddressRef, Impact, NamedObject
from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_V4, ALL_V6, EMPTY, ISet, PacketSet, cube
from parsers.junos import data
from parsers.junos.common import (
    INACTIVE,
    Ctx,
    icmp_code,
    icmp_number,
    is_number,
    port_range,
    prefix,
    protocol,
    wildcard,
)
from parsers.junos.tree import Stmt
from parsers.kit.addr import address_refs, cidr_set
from parsers.kit.names import PORTED

GLOBAL = "global"
PREDEFINED_ADDR = {"any": ALL_ADDR, "any-ipv4": ALL_V4, "any-ipv6": ALL_V6}
NEVER = -1  # inactivity-timeout never
# an inactivity-timeout the device would not commit (not 'never', not ASCII digits): the session's timeout is not
# known (a ``Timeout.unknown`` record at that line), not the default the line was meant to replace
UNREAD = -2
_MISS = object()
_NEW = object.__new__


@dataclass(slots=True)
class Addr:
    """One resolved address book entry: what it surely holds, what it might hold, where it was written."""

    addrs: ISet
    maybe: ISet = EMPTY
    refs: tuple[AddressRef, ...] = ()
    complete: bool = True


@dataclass
class _Entry:
    kind: str  # address | set
    stmts: list[Stmt] = field(default_factory=list)


class AddressBooks:
    """Every address book, and which zones each is attached to."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.books: dict[str, dict[str, _Entry]] = {GLOBAL: {}}
        self.zone_books: dict[str, list[str]] = {}  # zone -> its books
        self._cache: dict[tuple[str, str], Addr] = {}
        self._memo: dict[tuple[str | None, str], Addr | None] = {}
        self._in_both: set[tuple[str, str]] = set()  # the zone book entries reported by ``_both``

    def add(self, st: Stmt) -> None:
        t = st.toks
        if t[:2] == ("security", "address-book"):
            book, rest = t[2] if len(t) > 2 else "", t[3:]
        else:  # security zones security-zone Z address-book ...
            book, rest = "zone:" + t[3], t[5:]
            self.zone_books.setdefault(t[3], [])
            if book not in self.zone_books[t[3]]:
                self.zone_books[t[3]].append(book)
        if not book or not rest:
            self.ctx.unknown(st, "incomplete address-book statement")
            return
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return
        entries = self.books.setdefault(book, {})
        if rest[0] == "attach" and len(rest) == 3 and rest[1] == "zone":
            zb = self.zone_books.setdefault(rest[2], [])
            if book not in zb:
                zb.append(book)
            self.ctx.use(st)
        elif rest[0] in ("address", "address-set") and len(rest) >= 2:
            kind = "address" if rest[0] == "address" else "set"
            e = entries.setdefault(rest[1], _Entry(kind))
            if e.kind != kind:
                self.ctx.unknown(st, "'%s' is both an address and an address set" % rest[1], Impact.GLOBAL)
                return
            e.stmts.append(st)
        elif rest[0] == "description":
            self.ctx.ignore(st, "description")
        else:
            self.ctx.unknown(st, "address-book statement not understood", Impact.GLOBAL)

    def books_for(self, zone: str | None) -> list[str]:
        return (self.zone_books.get(zone, []) if zone else []) + [GLOBAL]

    def resolve(self, name: str, zone: str | None, st: Stmt, scope: str) -> Addr | None:
        """The addresses ``name`` denotes for a policy of ``zone`` (None: undefined)."""
        key = (zone, name)
        out = self._memo.get(key, _MISS)
        if out is not _MISS:
            return out
        out = None
        if name in PREDEFINED_ADDR:
            out = Addr(PREDEFINED_ADDR[name])
        else:
            books = self.books
            for book in self.zone_books.get(zone, ()) if zone else ():
                if name in books.get(book, ()):
                    out = self._entry(book, name, scope, ())
                    if name in books[GLOBAL]:
                        out = self._both(book, name, out, scope)
                    break
            else:
                if name in books[GLOBAL]:
                    out = self._entry(GLOBAL, name, scope, ())
        self._memo[key] = out
        return out

    def _both(self, book: str, name: str, mine: Addr, scope: str) -> Addr:
        """A name of both a zone's book and the global book: which one a policy of the zone takes is not
        documented (module doc), so where they differ the addresses are only possibly matched."""
        other = self._entry(GLOBAL, name, scope, ())
        if other.addrs == mine.addrs and other.maybe == mine.maybe:
            return mine
        if (book, name) not in self._in_both:  # (reported once)
            self._in_both.add((book, name))
            self.ctx.unknown(self.books[book][name].stmts[0], "address '%s' is in the global address book too, with "
                             "other addresses: which one a policy of the zone uses is not documented" % name,
                             Impact.FILTER, scope)
        sure = mine.addrs.intersect(other.addrs)
        wide = mine.addrs.union(other.addrs).union(mine.maybe).union(other.maybe)
        return Addr(sure, wide.subtract(sure), mine.refs + other.refs, False)

    def _entry(self, book: str, name: str, scope: str, seen: tuple[str, ...]) -> Addr:
        key = (book, name)
        got = self._cache.get(key)
        if got is not None:
            return got
        e = self.books[book][name]
        if name in seen:
            self.ctx.unknown(e.stmts[0], "address set '%s' contains itself" % name, Impact.FILTER, scope)
            return Addr(EMPTY, ALL_ADDR, (), False)
        if e.kind == "address" and len(e.stmts) == 1:
            out = self._plain(e.stmts[0])
            if out is not None:
                self._cache[key] = out
                return out
        # the members' intervals, each set made once from all of them (no union rebuilt per member)
        addrs_iv: list = []
        maybe_iv: list = []
        refs: list = []
        ok = True
        entries = self.books[book]
        for st in e.stmts:
            rest = st.toks[5:] if st.toks[:2] == ("security", "zones") else st.toks[3:]
            vals = rest[2:]
            if e.kind == "address":
                got_a = self._value(vals, st, scope)
                if got_a is None:
                    continue
                a, m = got_a
                addrs_iv.extend(a.iv)
                maybe_iv.extend(m.iv)
                refs.extend(address_refs(a, self.ctx.src(st)))
                if m:
                    ok = False
            else:
                if len(vals) == 2 and vals[0] in ("address", "address-set"):
                    member = vals[1]
                    if member in PREDEFINED_ADDR:
                        addrs_iv.extend(PREDEFINED_ADDR[member].iv)
                        self.ctx.use(st)
                        continue
                    if member not in entries:
                        # a set in a zone's book may name global addresses
                        where = GLOBAL if member in self.books[GLOBAL] else None
                        if where is None:
                            self.ctx.undefined(st, member, "address", scope)
                            maybe_iv.extend(ALL_ADDR.iv)
                            ok = False
                            continue
                    else:
                        where = book
                    sub = self._entry(where, member, scope, seen + (name,))
                    addrs_iv.extend(sub.addrs.iv)
                    maybe_iv.extend(sub.maybe.iv)
                    refs.extend(sub.refs)
                    ok = ok and sub.complete
                    self.ctx.use(st)
                elif vals and vals[0] == "description":
                    self.ctx.ignore(st, "description")
                else:
                    self.ctx.unknown(st, "address-set member not understood", Impact.FILTER, scope)
                    maybe_iv.extend(ALL_ADDR.iv)
                    ok = False
        addrs = ISet(addrs_iv)
        out = Addr(addrs, ISet(maybe_iv).subtract(addrs) if maybe_iv else EMPTY, tuple(refs), ok)
        self._cache[key] = out
        return out

    def _plain(self, st: Stmt) -> Addr | None:
        """The usual entry, one address or prefix on one statement ``st`` (used), or None (``_entry`` reads
        and reports it)."""
        vals = st.toks[3:] if st.toks[1] == "address-book" else st.toks[5:]
        if len(vals) == 3 and vals[2] != "description":
            try:
                a = cidr_set(vals[2])  # (common.prefix)
            except ValueError:
                return None
            self.ctx.use(st)
            # (0.0.0.0/0 or ::/0 is 'any': no address of its own)
            return Addr(a, EMPTY, address_refs(a, self.ctx.src(st)))
        return None

    def settle(self) -> None:
        """Resolve every entry of the usual shape (``_plain``) at once, in the order written, before the
        policies look them up (``_entry`` then finds each made).  The work is the same as making each at its
        first reference, among the policies' own, but done over the entries' records in the order they were
        read: about 0.1 s of CPU less for 24,000 entries in A/B runs (memory locality; callgrind's instruction
        count does not change).  Nothing is reported on these entries,
        so whichever policy comes first makes no difference; an address named like a zone book's address
        set is left to ``_entry`` (whose self-containment test goes by name, in the order of references)."""
        cache, plain = self._cache, self._plain
        sets = {name for book, entries in self.books.items() if book != GLOBAL
                for name, e in entries.items() if e.kind == "set"} if len(self.books) > 1 else ()
        for book, entries in self.books.items():
            for name, e in entries.items():
                if e.kind == "address" and len(e.stmts) == 1 and name not in sets:
                    got = plain(e.stmts[0])
                    if got is not None:
                        cache[(book, name)] = got

    def _value(self, vals: tuple[str, ...], st: Stmt, scope: str) -> tuple[ISet, ISet] | None:
        try:
            if not vals:
                raise ValueError("no address")
            if vals[0] == "description":
                self.ctx.ignore(st, "description")
                return None
            if vals[0] == "range-address" and len(vals) == 4 and vals[2] == "to":
                lo, hi = prefix(vals[1]), prefix(vals[3])
                if lo.lo > hi.hi:
                    raise ValueError("empty range")
                out = ISet.of(lo.lo, hi.hi)
            elif vals[0] == "wildcard-address" and len(vals) == 2:
                out = wildcard(vals[1])
            elif vals[0] == "dns-name":
                self.ctx.unknown(st, "dns-name address: the device resolves it at run time", Impact.FILTER, scope)
                return EMPTY, ALL_ADDR
            elif len(vals) == 1:
                out = prefix(vals[0])
            else:
                raise ValueError("unknown form")
        except (ValueError, IndexError) as e:
            self.ctx.unknown(st, "address not understood (%s)" % e, Impact.FILTER, scope)
            return EMPTY, ALL_ADDR
        self.ctx.use(st)
        return out, EMPTY

    def objects(self) -> list[NamedObject]:
        out = []
        cache, src = self._cache, self.ctx.src
        for book, entries in self.books.items():
            for name, e in entries.items():
                a = cache.get((book, name)) or self._entry(book, name, name, ())
                label = name if book == GLOBAL else "%s/%s" % (book, name)
                first = src(e.stmts[0])
                members = (first,) if len(e.stmts) == 1 else tuple(src(s) for s in e.stmts)
                out.append(_named(label, first, members, a.addrs, a.complete))
        return out


def _named(name: str, source, members: tuple, addresses: ISet, complete: bool) -> NamedObject:
    """``NamedObject(name, "address", source, members, addresses=addresses, complete=complete)`` made in one
    step (a large address book has tens of thousands; the frozen dataclass's field-by-field set-up is slower)."""
    o = _NEW(NamedObject)
    object.__setattr__(o, "__dict__", {"name": name, "kind": "address", "source": source, "members": members,
                                       "addresses": addresses, "services": None, "complete": complete})
    return o


# --- applications ------------------------------------------------------------------------------

@dataclass
class AppTerm:
    """One term of an application: its packets (any address), its timeout, where it was written."""

    packets: PacketSet
    timeout: int | None  # seconds; None: the predefined/protocol default; NEVER: never; UNREAD: not known
    timeout_line: Stmt | None = None
    maybe: PacketSet = field(default_factory=PacketSet)
    protocol: int | None = None
    predefined: str = ""


@dataclass
class App:
    terms: list[AppTerm]
    complete: bool = True


class Applications:
    """Custom applications and sets, and the predefined ones."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.apps: dict[str, list[Stmt]] = {}
        self.sets: dict[str, list[Stmt]] = {}
        self._cache: dict[str, App] = {}

    def add(self, st: Stmt) -> None:
        t = st.toks
        if len(t) < 3 or t[1] not in ("application", "application-set"):
            self.ctx.unknown(st, "applications statement not understood")
            return
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return
        (self.apps if t[1] == "application" else self.sets).setdefault(t[2], []).append(st)

    def resolve(self, name: str, st: Stmt, scope: str) -> App | None:
        """The terms of application or set ``name`` (None: undefined)."""
        return self._resolve(name, scope, ())

    def finish(self) -> None:
        """Read the definitions no policy uses too (their lines are accounted for, their errors reported)."""
        for name in list(self.apps) + list(self.sets):
            self._resolve(name, name, ())

    def _resolve(self, name: str, scope: str, seen: tuple[str, ...]) -> App | None:
        got = self._cache.get(name)
        if got is not None:
            return got
        if name in seen:
            return App([], False)
        if name.startswith("junos-") and (name in self.apps or name in self.sets):
            out = self._reserved(name, scope)
        elif name in self.apps:
            out = self._app(name, scope)
        elif name in self.sets:
            terms: list[AppTerm] = []
            ok = True
            for st in self.sets[name]:
                rest = st.toks[3:]
                if len(rest) == 2 and rest[0] in ("application", "application-set"):
                    sub = self._resolve(rest[1], scope, seen + (name,))
                    if sub is None:
                        self.ctx.undefined(st, rest[1], "application", scope)
                        ok = False
                        terms.append(AppTerm(PacketSet(), None, maybe=PacketSet([cube()])))
                        continue
                    terms.extend(sub.terms)
                    ok = ok and sub.complete
                    self.ctx.use(st)
                elif rest and rest[0] == "description":
                    self.ctx.ignore(st, "description")
                else:
                    self.ctx.unknown(st, "application-set member not understood", Impact.FILTER, scope)
                    terms.append(AppTerm(PacketSet(), None, maybe=PacketSet([cube()])))
                    ok = False
            out = App(terms, ok)
        elif name in data.PREDEFINED_SETS:
            terms = []
            for m in data.PREDEFINED_SETS[name]:
                terms.extend(self._resolve(m, scope, seen + (name,)).terms)
            out = App(terms)
        elif name in data.PREDEFINED or name in data.UNCERTAIN:
            out = _predefined(name)
        else:
            return None
        self._cache[name] = out
        return out

    def _reserved(self, name: str, scope: str) -> App:
        """An application or set the configuration writes under a ``junos-`` name.  Juniper, "Using Junos OS
        Defaults Groups": the ``junos-defaults`` group "is automatically applied to the configuration", and
        "because identifiers beginning with the name junos- are reserved for use by Juniper Networks, you
        cannot define any configuration objects using this name".  What Juniper does document is setting a
        predefined application's timeout ("You can set the timeout threshold for a predefined or custom
        application", "Understanding Policy Application Timeout Configuration and Lookup"): a predefined
        application given only an ``inactivity-timeout`` (and a ``description``) keeps its own packets with
        that timeout.  Anything else (ports, protocol, terms, members, a new ``junos-`` name) is refused by the
        commit or merged with the predefined definition, neither of which the auditor models: reported, and
        the application matches its packets only possibly."""
        stmts = self.apps.get(name, []) + self.sets.get(name, [])
        base = _predefined(name) if name in data.PREDEFINED or name in data.UNCERTAIN else None
        rests = [st.toks[3:] for st in stmts]
        if base is not None and not self.sets.get(name) and all(
                (len(r) == 2 and r[0] == "inactivity-timeout" and _timeout(r[1]) is not None) or
                (r and r[0] == "description") for r in rests):
            timeout = None
            for r, st in zip(rests, stmts):
                if r[0] == "description":
                    self.ctx.ignore(st, "application description")
                else:
                    timeout = (_timeout(r[1]), st)
                    self.ctx.use(st)
            if timeout is None:
                return base
            terms = [AppTerm(t.packets, timeout[0], timeout[1], t.maybe, t.protocol, t.predefined)
                     if t.protocol is not None else t for t in base.terms]
            return App(terms, base.complete)
        first = stmts[0]
        what = ("the predefined application %s" % name if base is not None or name in data.PREDEFINED_SETS
                else "%s, a name" % name)
        self.ctx.unknown(first, "%s is written in the configuration: identifiers beginning with junos- are "
                                "reserved for Juniper's junos-defaults group (Junos refuses to define them, or "
                                "merges them with the predefined one: not modelled)" % what, Impact.GLOBAL)
        for st in stmts[1:]:
            self.ctx.ignore(st, "rest of a junos- application written in the configuration (reported at its first "
                                "line)")
        return App([AppTerm(PacketSet(), None, maybe=PacketSet([cube()]), predefined=name)], False)

    def _app(self, name: str, scope: str) -> App:
        """A custom application: its terms (``term T ...``) or its own protocol/ports."""
        by_term: dict[str | None, list[tuple[tuple[str, ...], Stmt]]] = {}
        app_timeout: tuple[int, Stmt] | None = None
        for st in self.apps[name]:
            rest = st.toks[3:]
            if rest and rest[0] == "term" and len(rest) >= 2:
                by_term.setdefault(rest[1], []).append((rest[2:], st))
            elif rest and rest[0] == "inactivity-timeout" and len(rest) == 2:
                v = _timeout(rest[1])
                if v is None:
                    self.ctx.unknown(st, "inactivity-timeout not understood", Impact.FILTER, "timeouts")
                    v = UNREAD
                else:
                    self.ctx.use(st)
                app_timeout = (v, st)
            else:
                by_term.setdefault(None, []).append((rest, st))
        terms: list[AppTerm] = []
        ok = True
        for tname, items in by_term.items():
            if tname is None and len(by_term) > 1 and not any(r and r[0] == "protocol" for r, _ in items):
                # description and the like beside terms
                for r, st in items:
                    self._attr_only(r, st, scope)
                continue
            term = self._term(items, scope)
            if term is None:
                ok = False
                terms.append(AppTerm(PacketSet(), None, maybe=PacketSet([cube()])))
                continue
            if term.timeout is None and app_timeout is not None:
                term.timeout, term.timeout_line = app_timeout
            terms.append(term)
        return App(terms, ok)

    def _attr_only(self, r: tuple[str, ...], st: Stmt, scope: str) -> None:
        if r and r[0] in ("description", "application-protocol", "uuid"):
            self.ctx.ignore(st, "application %s" % r[0])
        else:
            self.ctx.unknown(st, "application statement not understood", Impact.FILTER, scope)

    def _term(self, items: list[tuple[tuple[str, ...], Stmt]], scope: str) -> AppTerm | None:
        """One term's attributes, which may come on one line or several (``protocol tcp destination-port 80``)."""
        attrs: dict[str, tuple[str, Stmt]] = {}
        uncertain = []
        for r, st in items:
            k = 0
            while k < len(r):
                key = r[k]
                if key in ("protocol", "source-port", "destination-port", "icmp-type", "icmp-code", "icmp6-type",
                           "icmp6-code", "inactivity-timeout") and k + 1 < len(r):
                    attrs[key] = (r[k + 1], st)
                    k += 2
                elif key in ("alg", "application-protocol") and k + 1 < len(r):
                    if r[k + 1] not in ("ignore", "none"):
                        self.ctx.ignore(st, "application-level gateway (opens the related connections itself)")
                    k += 2
                elif key in ("rpc-program-number", "uuid") and k + 1 < len(r):
                    uncertain.append((key, st))
                    k += 2
                elif key in ("description", "ether-type", "ttl-threshold", "snmp-command", "sip-call-hold-timeout",
                             "do-not-translate-A-query-to-AAAA-query", "do-not-translate-AAAA-query-to-A-query",
                             "learn-sip-register"):
                    self.ctx.ignore(st, "application %s (does not change which packets it matches)" % key)
                    k = len(r)
                else:
                    self.ctx.unknown(st, "application attribute '%s' not understood" % key, Impact.FILTER, scope)
                    return None
        if "protocol" not in attrs:
            if items and not attrs and not uncertain:
                return AppTerm(PacketSet(), None)  # description only
            st = items[0][1]
            self.ctx.unknown(st, "application without a protocol", Impact.FILTER, scope)
            return None
        at = "protocol"  # (the attribute being read: a value not understood is reported at its own line)
        try:
            proto = protocol(attrs["protocol"][0])
            at = "source-port"
            sport = port_range(attrs["source-port"][0]) if "source-port" in attrs else ALL_PORTS
            at = "destination-port"
            dport = port_range(attrs["destination-port"][0]) if "destination-port" in attrs else ALL_PORTS
            if proto in (1, 58):
                v6 = proto == 58
                tkey, ckey = ("icmp6-type", "icmp6-code") if v6 else ("icmp-type", "icmp-code")
                if tkey in attrs:
                    at = tkey
                    ty = icmp_number(attrs[tkey][0], v6)
                    if ckey in attrs:
                        at = ckey
                        c = icmp_code(attrs[ckey][0], v6)
                        dport = ISet.of(ty * 256 + c)
                    else:
                        dport = ISet.of(ty * 256, ty * 256 + 255)
                elif ckey in attrs:
                    at = ckey
                    c = icmp_code(attrs[ckey][0], v6)
                    dport = ISet([(t * 256 + c, t * 256 + c) for t in range(256)])
                sport = ALL_PORTS
            elif not ISet.of(proto).issubset(PORTED) and ("source-port" in attrs or "destination-port" in attrs):
                at = "protocol"
                raise ValueError("ports on protocol %s" % attrs["protocol"][0])
        except ValueError as e:
            bad = attrs.get(at, attrs["protocol"])[1]
            self.ctx.unknown(bad, "application not understood (%s)" % e, Impact.FILTER, scope)
            for _v, st in attrs.values():  # (the term's other lines: accounted, the term reported once)
                if st is not bad:
                    self.ctx.ignore(st, "rest of an application term reported at line %d" % (bad.line + 1))
            return None
        timeout, tline = None, None
        if "inactivity-timeout" in attrs:
            v = _timeout(attrs["inactivity-timeout"][0])
            tline = attrs["inactivity-timeout"][1]
            if v is None:
                self.ctx.unknown(tline, "inactivity-timeout not understood", Impact.FILTER, "timeouts")
                v = UNREAD
            timeout = v
        for _v, st in attrs.values():
            self.ctx.use(st)
        packets = PacketSet([cube(proto=ISet.of(proto), sport=sport, dport=dport)])
        if uncertain:
            for key, st in uncertain:
                self.ctx.unknown(st, "application %s: which connections it matches is decided by the device at "
                                     "run time" % key, Impact.FILTER, scope)
            return AppTerm(PacketSet(), timeout, tline, maybe=packets, protocol=proto)
        return AppTerm(packets, timeout, tline, protocol=proto)


def _timeout(w: str) -> int | None:
    if w == "never":
        return NEVER
    if is_number(w):
        return int(w)
    return None


def _predefined(name: str) -> App:
    sure = name in data.PREDEFINED
    terms = []
    for proto, a, b in (data.PREDEFINED.get(name) or data.UNCERTAIN.get(name, ())):
        if proto in (1, 58):
            dport = ALL_PORTS if a == -1 else (ISet.of(a * 256, a * 256 + 255) if b == -1 else ISet.of(a * 256 + b))
            c = cube(proto=ISet.of(proto), dport=dport)
        elif a is None:
            c = cube(proto=ISet.of(proto))
        else:
            c = cube(proto=ISet.of(proto), sport=ISet.of(*data.PREDEFINED_SPORTS), dport=ISet.of(a, b))
        ps = PacketSet([c])
        terms.append(AppTerm(ps if sure else PacketSet(), data.PREDEFINED_TIMEOUTS.get(name), None,
                             maybe=PacketSet() if sure else ps, protocol=proto, predefined=name))
    if not sure:
        terms.append(AppTerm(PacketSet(), None, maybe=PacketSet([cube()]), predefined=name))
    return App(terms, sure)

"""IOS access lists: numbered and named, standard and extended, IPv4 and IPv6.

What the device does, as modelled here (Cisco IOS XE Security Configuration Guide: Access
Control Lists, "IP Access List Overview" and "IPv6 Access Control Lists"; Cisco IOS IP Command
Reference, "access-list (IP extended)"):

* entries are tested in sequence-number order and the first that matches decides; an entry
  written without a number gets the last number + 10; a number already taken is rejected;
* every list ends in an implicit deny; an IPv6 list first permits neighbour discovery
  (``permit icmp any any nd-na``, ``permit icmp any any nd-ns``) before its implicit
  ``deny ipv6 any any`` (the stage adds those, see ``topology``);
* numbered lists 1-99 and 1300-1999 are standard (source address only), 100-199 and 2000-2699
  extended;
* ``established`` matches TCP packets with ACK or RST set: every packet of a connection but
  its first (``Rule.states = ESTABLISHED``);
* ``fragments`` matches non-initial fragments only, so no whole packet: the entry matches
  nothing the model can express, and says so in its note;
* conditions on fields the model does not carry (``dscp``, ``precedence``, ``tos``, ``ttl``,
  TCP flags, ``time-range``, ...) make the entry's packets ``maybe`` (unknown), never a match;
* ``reflect NAME`` (in a permit) records reflexive entries that ``evaluate NAME`` (in another
  list) then permits: the replies of the connections the reflect entry permitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import ANY_STATE, ESTABLISHED, Action, AddressRef, Impact, Rule, Source, new_rule
from auditor.core.packets import (
    ALL,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    NOTHING,
    V4_BASE,
    Cube,
    ISet,
    PacketSet,
)
from parsers.cisco_ios import names as N
from parsers.cisco_ios.objects import Groups
from parsers.cisco_ios.operands import (
    OperandError,
    host_set,
    icmp_values,
    is_port,
    names_for,
    port_spec,
    prefix_set,
    v4_int,
    wildcard_set,
)
from parsers.kit import Lines
from parsers.kit.addr import address_refs

_ACTIONS = {"permit": Action.PERMIT, "deny": Action.DENY}
_PORTED = frozenset((6, 17, 132))
# options naming a packet field the model does not carry: option -> how many words follow it
_FIELDS = {"dscp": 1, "precedence": 1, "tos": 1, "option": 1, "flow-label": 1, "routing-type": 1,
           "mobility-type": 1, "dest-option-type": 1, "hbh": 0, "auth": 0, "routing": 0, "mobility": 0,
           "dest-option": 0, "undetermined-transport": 0, "fragments": 0}
_TCP_FLAGS = frozenset(("ack", "fin", "psh", "rst", "syn", "urg"))
_LOG = frozenset(("log", "log-input"))
# words that can follow 'log' and are options, not a log cookie
_OPTION_WORDS = frozenset(_FIELDS) | _TCP_FLAGS | frozenset(
    ("established", "time-range", "reflect", "sequence", "ttl", "packet-length", "match-any", "match-all"))


class AceError(ValueError):
    """An access-list entry this parser does not understand."""


@dataclass
class Entry:
    seq: int
    line: int  # line index
    toks: list[str]  # from the action on


@dataclass
class Acl:
    name: str
    kind: str  # standard | extended | ipv6
    line: int  # the header's (or first numbered entry's) line index
    entries: list[Entry] = field(default_factory=list)
    last_seq: int = 0
    seqs: set[int] = field(default_factory=set)
    unsorted: bool = False
    xr: bool = False  # an IOS-XR 'ipv4 access-list' (its 'ipv4' keyword is every protocol)

    @property
    def family(self) -> int:
        return 6 if self.kind == "ipv6" else 4

    def add(self, lines: Lines, line: int, toks: list[str], seq: int | None) -> None:
        """Add an entry (IOS: an entry written without a number goes last, numbered 10 more than
        the highest so far; a number already taken is rejected)."""
        if toks and toks[0] == "remark":
            # (IOS XE shows a remark with the number of the entry it describes: no slot of its own)
            self.entries.append(Entry(self.last_seq if seq is None else seq, line, toks))
            if seq is not None and seq < self.last_seq:
                self.unsorted = True
            lines.use(line)
            return
        if seq is None:
            seq = self.last_seq + 10
        elif seq in self.seqs:
            lines.unrecognized(lines.source(line), "sequence number %d is already taken in access list %s "
                               "(IOS rejects the entry)" % (seq, self.name), Impact.FILTER, self.name)
            return
        self.seqs.add(seq)
        if seq < self.last_seq:
            self.unsorted = True
        else:
            self.last_seq = seq
        self.entries.append(Entry(seq, line, toks))
        lines.use(line)

    def ordered(self) -> list[Entry]:
        """The entries in sequence-number order (the order IOS tests them in)."""
        if self.unsorted:
            self.entries.sort(key=lambda e: e.seq)
            self.unsorted = False
        return self.entries


def numbered_kind(number: int) -> str | None:
    """The kind of IP access list a number makes (None: not an IP list)."""
    if 1 <= number <= 99 or 1300 <= number <= 1999:
        return "standard"
    if 100 <= number <= 199 or 2000 <= number <= 2699:
        return "extended"
    return None


@dataclass
class Reflect:
    name: str
    acl: str
    index: int
    timeout: int | None
    source: Source


@dataclass
class Evaluate:
    name: str
    acl: str
    index: int
    source: Source


class AclBuilder:
    """Turns access lists into ordered rules (one parse of one config)."""

    def __init__(self, lines: Lines, groups: Groups):
        self.lines = lines
        self.groups = groups
        self.reflects: list[Reflect] = []
        self.evaluates: list[Evaluate] = []
        self.remarks: list[tuple[str, Source]] = []
        self._addr: dict[tuple, ISet] = {}
        self._ports: dict[tuple, ISet] = {}
        self._proto: dict[tuple, tuple] = {}
        self._fam: dict[tuple, tuple] = {}  # (group, family) -> (its addresses, those of the family)

    def rules(self, acl: Acl) -> list[Rule]:
        out: list[Rule] = []
        lines = self.lines
        for e in acl.ordered():
            t = e.toks
            w = t[0]
            if w == "remark":
                self.remarks.append((acl.name, lines.source(e.line)))
                continue
            s = lines.source(e.line)
            k = len(out)
            if w == "?":  # a line of a list in another platform's syntax (reported when read)
                out.append(new_rule(acl.name, k, Action.PERMIT, NOTHING, s, maybe=ALL, opaque=True))
                continue
            try:
                if w == "evaluate" and len(t) == 2 and acl.kind != "standard":
                    self.evaluates.append(Evaluate(t[1], acl.name, k, s))
                    r = new_rule(acl.name, k, Action.PERMIT, NOTHING, s, note="reflexive entries of %s" % t[1])
                elif acl.kind == "standard":
                    r = self.standard(acl, t, s, k)
                else:
                    r = self.extended(acl, t, s, k)
            except (AceError, OperandError) as ex:
                lines.unrecognized(s, "access-list entry (%s)" % ex, Impact.FILTER, acl.name)
                action = Action.DENY if w == "deny" else Action.PERMIT
                r = new_rule(acl.name, k, action, NOTHING, s, maybe=ALL, opaque=True)
            out.append(r)
        return out

    # --- standard ---------------------------------------------------------------------
    def standard(self, acl: Acl, t: list[str], s: Source, k: int) -> Rule:
        action = _ACTIONS.get(t[0])
        if action is None or len(t) < 2:
            raise AceError("expected permit or deny")
        j = 1
        w = t[1]
        if w == "any":
            src, j = ALL_V4, 2
        elif w == "host" and len(t) > 2:
            src, j = self.addr4(t[2], None), 3
        else:
            wild = t[2] if len(t) > 2 and t[2][:1].isdecimal() else None
            src, j = self.addr4(w, wild), (3 if wild else 2)
        while j < len(t):
            if t[j] in _LOG:
                j += 1
                if j < len(t):  # a log cookie
                    j += 1
            else:
                raise AceError("unexpected '%s'" % t[j])
        m = PacketSet.of_cubes([Cube(src, ALL_V4, ALL_PROTO, ALL_PORTS, ALL_PORTS)])
        refs = (AddressRef(src, s),) if src is not ALL_V4 else ()
        return new_rule(acl.name, k, action, m, s, addresses=refs)

    def addr4(self, a: str, wild: str | None) -> ISet:
        key = (a, wild)
        got = self._addr.get(key)
        if got is None:
            got = ISet.of(V4_BASE + v4_int(a)) if wild is None else wildcard_set(a, wild)
            if len(self._addr) < 1 << 18:
                self._addr[key] = got
        return got

    # --- extended ----------------------------------------------------------------------
    def address(self, t: list[str], k: int, family: int, s: Source, acl: str,
                refs: list[AddressRef], xr: bool = False) -> tuple[ISet, int, bool]:
        """The address operand at ``t[k]`` -> (set, next index, complete); ``xr``: in an IOS XR list, where a
        network group is ``net-group NAME``."""
        if k >= len(t):
            raise AceError("missing address")
        w = t[k]
        if w == "any":
            return (ALL_V4 if family == 4 else ALL_V6), k + 1, True
        if w == "host":
            if k + 1 >= len(t):
                raise AceError("'host' without an address")
            a = self.addr4(t[k + 1], None) if family == 4 else host_set(t[k + 1], 6)
            refs.append(AddressRef(a, s))
            return a, k + 2, True
        if w == "object-group" or w == "addrgroup" or (w == "net-group" and xr):
            if k + 1 >= len(t):
                raise AceError("'%s' without a name" % w)
            v = self.groups.network(t[k + 1], s, acl)
            refs.extend(v.refs)
            key = (t[k + 1], family)
            got = self._fam.get(key)
            if got is None or got[0] is not v.addrs:
                got = self._fam[key] = (v.addrs, v.addrs.intersect(ALL_V4 if family == 4 else ALL_V6))
            return got[1], k + 2, v.complete
        if family == 6:
            a = prefix_set(w, 6)
            refs.extend(address_refs(a, s))
            return a, k + 1, True
        if k + 1 >= len(t):
            raise AceError("missing wildcard mask after %s" % w)
        a = self.addr4(w, t[k + 1])
        refs.extend(address_refs(a, s))  # ('0.0.0.0 255.255.255.255' is 'any': no address of its own)
        return a, k + 2, True

    def port_group(self, acl: Acl, t: list[str], k: int, s: Source) -> tuple[ISet | None, int, bool]:
        """An IOS XR ``port-group NAME`` operand at ``t[k]`` -> (its ports, next index, complete); (None, k, True)
        when there is none."""
        if k >= len(t) or t[k] != "port-group":
            return None, k, True
        if not acl.xr:
            raise AceError("'port-group' is IOS XR's, not an IOS list's")
        if k + 1 >= len(t):
            raise AceError("'port-group' without a name")
        ports, ok = self.groups.port(t[k + 1], s, acl.name)
        return ports, k + 2, ok

    def protocol(self, w: str, family: int) -> tuple[ISet, int | None]:
        """A protocol keyword -> (protocols, the single protocol number or None for 'ip')."""
        got = self._proto.get((w, family))
        if got is None:
            lw = w.lower()
            if lw == ("ip" if family == 4 else "ipv6"):
                got = (ALL_PROTO, None)
            elif lw.isascii() and lw.isdecimal() and int(lw) <= 255:  # (IOS reads ASCII digits only)
                got = (ISet.of(int(lw)), int(lw))
            else:
                n = (N.PROTOCOLS if family == 4 else N.PROTOCOLS6).get(lw)
                if n is None:
                    raise AceError("unknown protocol '%s'" % w)
                got = (ISet.of(n), n)
            self._proto[(w, family)] = got
        return got

    def ports(self, t: list[str], k: int, names: dict[str, int]) -> tuple[ISet | None, int]:
        if k >= len(t) or t[k] not in ("eq", "neq", "lt", "gt", "range"):
            return None, k
        if t[k] == "eq" and (k + 2 >= len(t) or not is_port(t[k + 2], names)) or t[k] in ("lt", "gt", "range"):
            # (one operand of fixed length: cached, most entries repeat a few)
            n = 3 if t[k] == "range" else 2
            key = (id(names), *t[k:k + n])
            got = self._ports.get(key)
            if got is None:
                got, _j = port_spec(t, k, names)
                if len(self._ports) < 1 << 16:
                    self._ports[key] = got
            return got, k + n
        return port_spec(t, k, names)

    def extended(self, acl: Acl, t: list[str], s: Source, k: int) -> Rule:
        action = _ACTIONS.get(t[0])
        if action is None:
            raise AceError("expected permit, deny, remark or evaluate")
        if len(t) < 4:
            raise AceError("too few words")
        family = acl.family
        name = acl.name
        j = 1
        if t[1] == "dynamic":
            raise AceError("dynamic (lock-and-key) entries are not modelled")
        svcs: tuple | None = None
        svc_ok = True
        if t[1] == "object-group":
            svcs, svc_ok = self.groups.service(t[2], s, name)
            proto, pnum, j = None, None, 3
        else:
            proto, pnum = self.protocol("ip" if acl.xr and t[1] == "ipv4" else t[1], family)
            j = 2
        refs: list[AddressRef] = []
        src, j, ok1 = self.address(t, j, family, s, name, refs, acl.xr)
        ported = pnum in _PORTED
        names = names_for(pnum) if ported else N.TCP_UDP_PORTS
        sport = dport = None
        if ported:
            sport, j, ok3 = self.port_group(acl, t, j, s)
            if sport is None:
                sport, j = self.ports(t, j, names)
            svc_ok = svc_ok and ok3
        dst, j, ok2 = self.address(t, j, family, s, name, refs, acl.xr)
        icmp = (pnum == 1 and family == 4) or (pnum == 58) or (pnum == 1 and family == 6)
        if ported:
            dport, j, ok3 = self.port_group(acl, t, j, s)
            if dport is None:
                dport, j = self.ports(t, j, names)
            svc_ok = svc_ok and ok3
        elif icmp:
            dport, j = icmp_values(t, j, family)
            if dport is ALL_PORTS:
                dport = None
        states = ANY_STATE
        unsure: list[str] = []
        fragments = False
        while j < len(t):
            w = t[j]
            if w in _LOG:
                j += 1
                if j < len(t) and t[j] not in _OPTION_WORDS and t[j] not in _LOG:
                    j += 1  # a log cookie
            elif w == "established":
                if pnum != 6:
                    raise AceError("'established' applies to TCP only")
                states = ESTABLISHED
                j += 1
            elif w == "fragments":
                fragments = True
                j += 1
            elif w in _FIELDS:
                n = _FIELDS[w]
                if j + n > len(t) - 1:
                    raise AceError("'%s' without a value" % w)
                unsure.append(" ".join(t[j:j + 1 + n]))
                j += 1 + n
            elif w in ("ttl", "packet-length"):
                n = 3 if j + 1 < len(t) and t[j + 1] == "range" else 2
                if j + n > len(t) - 1:
                    raise AceError("'%s' without a value" % w)
                unsure.append(" ".join(t[j:j + 1 + n]))
                j += 1 + n
            elif w in _TCP_FLAGS or w in ("match-any", "match-all"):
                if pnum != 6:
                    raise AceError("TCP flags on a non-TCP entry")
                k0 = j
                j += 1
                while j < len(t) and (t[j] in _TCP_FLAGS or t[j][:1] in "+-"):
                    j += 1
                unsure.append("TCP flags %s" % " ".join(t[k0:j]))
            elif w == "time-range" and j + 1 < len(t):
                unsure.append("time-range %s" % t[j + 1])
                j += 2
            elif w == "reflect" and j + 1 < len(t):
                if action is not Action.PERMIT or acl.kind == "standard":
                    raise AceError("'reflect' belongs in a permit entry of a named extended list")
                timeout = None
                rname = t[j + 1]
                j += 2
                if j + 1 < len(t) and t[j] == "timeout" and N.digits(t[j + 1]):
                    timeout = int(t[j + 1])
                    j += 2
                self.reflects.append(Reflect(rname, name, k, timeout, s))
            elif w == "sequence" and j + 1 < len(t) and N.digits(t[j + 1]):
                j += 2  # (IPv6 form; the number was read when the entry was added)
            else:
                raise AceError("unexpected '%s'" % w)
        # the cubes
        if svcs is None:
            svcs = ((proto, sport or ALL_PORTS, dport or ALL_PORTS),)
        known = PacketSet.of_cubes(_cubes(src, dst, svcs))
        note = ""
        match, maybe = known, NOTHING
        if not (svc_ok and ok1 and ok2):
            fam = ALL_V4 if family == 4 else ALL_V6
            wide = PacketSet.of_cubes(_cubes(src if ok1 else fam, dst if ok2 else fam,
                                             svcs if svc_ok else ((ALL_PROTO, ALL_PORTS, ALL_PORTS),)))
            maybe = wide.subtract(known)
        if fragments:
            # non-initial fragments only: no whole packet matches
            match, maybe, note = NOTHING, NOTHING, "matches non-initial fragments only ('fragments')"
        elif unsure:
            match, maybe = NOTHING, maybe.union(known)
            note = "matches only packets with %s (not modelled)" % ", ".join(unsure)
            # (reported at its line: the verdicts it leaves unknown name it only in their reason)
            self.lines.report("CFG300", "access-list entry matches only packets with %s, which the model does not "
                              "carry: the packets it names are unknown where the entries after it decide "
                              "otherwise" % ", ".join(unsure), s, Impact.FILTER, name)
        # (what is uncertain is whether it matches, never what it does: ``Rule.sure_action``)
        return new_rule(name, k, action, match, s, maybe=maybe, addresses=tuple(refs), note=note, states=states,
                        sure_action=True)


def _cubes(src: ISet, dst: ISet, svcs) -> list[Cube]:
    if not (src.iv and dst.iv):
        return []
    return [Cube(src, dst, p, sp, dp) for p, sp, dp in svcs if p.iv and sp.iv and dp.iv]


def split_entry(t: list[str], kind: str) -> tuple[int | None, list[str]]:
    """A named list's entry line -> (its sequence number if written, the words from the action)."""
    if N.digits(t[0]):
        return int(t[0]), t[1:]
    if t[0] == "sequence" and len(t) > 2 and N.digits(t[1]):
        return int(t[1]), t[2:]
    if kind == "ipv6" and len(t) > 2 and t[-2] == "sequence" and N.digits(t[-1]):
        return int(t[-1]), t[:-2]
    return None, t

"""IOS object groups: ``object-group network`` and ``object-group service``, nested; IOS XR's
``object-group network ipv4|ipv6`` and ``object-group port`` (``net-group`` / ``port-group`` in its lists).

Members (Cisco IOS Security Configuration Guide, "Object Groups for ACLs"):

* network: ``host A``, ``A MASK`` (a subnet mask, not a wildcard) or ``A/len``,
  ``range A B``, ``any``, ``group-object NAME``, ``description ...``;
* service: ``PROTOCOL`` (a keyword or number), ``tcp|udp|tcp-udp [source OP PORTS] [OP PORTS]``,
  ``icmp [TYPE [CODE] | NAME]``, ``group-object NAME``, ``description ...``.

An ACE names a network group as an address (``object-group NAME``) and a service group in
place of the protocol (``permit object-group SVC SRC DST``).  An empty group matches nothing.
A member not understood or a group not defined makes the group incomplete: rules using it
get the rest as ``maybe`` (unknown), never as a match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import AddressRef, Impact, NamedObject, Source
from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_PROTO, EMPTY, ISet, PacketSet, cube
from parsers.cisco_ios import names as N
from parsers.cisco_ios.operands import (
    OperandError,
    host_set,
    icmp_values,
    mask_set,
    names_for,
    port_spec,
    prefix_set,
    v4_int,
)
from parsers.kit import Lines
from parsers.kit.addr import address_refs
from parsers.kit.names import TCP_UDP


@dataclass
class Group:
    kind: str  # network | service
    name: str
    line: int
    members: list[tuple[int, list[str]]] = field(default_factory=list)  # (line index, tokens)


@dataclass
class NetValue:
    addrs: ISet
    refs: tuple[AddressRef, ...]
    complete: bool


# a service: (protocols, source ports, destination ports or ICMP type*256+code)
Svc = tuple[ISet, ISet, ISet]


class Groups:
    """The object groups of one config, resolved on demand (nested groups followed once)."""

    def __init__(self, lines: Lines):
        self.lines = lines
        self.defs: dict[str, Group] = {}
        self._net: dict[str, NetValue] = {}
        self._svc: dict[str, tuple[tuple[Svc, ...], bool]] = {}
        self._port: dict[str, tuple[ISet, bool]] = {}
        self._busy: set[str] = set()

    def define(self, kind: str, name: str, line: int, children: list[tuple[int, list[str]]]) -> None:
        g = Group(kind, name, line)
        for k, t in children:
            if t[0] == "description":
                self.lines.ignore(k, "object-group description")
                continue
            g.members.append((k, t))
            self.lines.use(k)
        self.defs[name] = g

    def _enter(self, name: str, kind: str, where: Source, scope: str) -> Group | None:
        """Group ``name`` of ``kind``, marked as being resolved (the caller discards the mark); None, reported,
        when no such group is defined or it is reached again through its own members (a cycle)."""
        g = self.defs.get(name)
        if g is None or g.kind != kind:
            self.lines.undefined(name, "%s object-group" % kind, where, scope)
            return None
        if name in self._busy:
            self.lines.report("CFG301", "circular reference through object-group '%s'" % name,
                              self.lines.source(g.line), Impact.FILTER, name)
            return None
        self._busy.add(name)
        return g

    # --- network groups ---------------------------------------------------------------
    def network(self, name: str, where: Source, scope: str) -> NetValue:
        """The addresses of network group ``name`` (undefined: reported, incomplete)."""
        got = self._net.get(name)
        if got is not None:
            return got
        g = self._enter(name, "network", where, scope)
        if g is None:
            return NetValue(EMPTY, (), False)
        parts, refs, complete = [], [], True
        for k, t in g.members:
            src = self.lines.source(k)
            try:
                if t[0] in ("group-object", "object-group") and len(t) == 2:  # (IOS XR nests with 'object-group')
                    sub = self.network(t[1], src, name)
                    parts.append(sub.addrs)
                    complete = complete and sub.complete
                    refs.extend(sub.refs)
                    continue
                a = _net_member(t)
            except OperandError as e:
                self.lines.unrecognized(src, "network object-group member (%s)" % e, Impact.FILTER, name)
                complete = False
                continue
            parts.append(a)
            refs.extend(address_refs(a, src))  # (none for 'any', or '0.0.0.0 0.0.0.0' written for it)
        self._busy.discard(name)
        # (the union made once: a group of 20,000 hosts joined one by one re-sorted it each time)
        out = NetValue(ISet.union_of(parts), tuple(refs), complete)
        self._net[name] = out
        return out

    # --- service groups --------------------------------------------------------------
    def service(self, name: str, where: Source, scope: str) -> tuple[tuple[Svc, ...], bool]:
        """The services of service group ``name`` and whether they are all understood."""
        got = self._svc.get(name)
        if got is not None:
            return got
        g = self._enter(name, "service", where, scope)
        if g is None:
            return (), False
        out: list[Svc] = []
        complete = True
        for k, t in g.members:
            src = self.lines.source(k)
            try:
                if t[0] == "group-object" and len(t) == 2:
                    sub, ok = self.service(t[1], src, name)
                    out.extend(sub)
                    complete = complete and ok
                    continue
                out.append(service_words(t))
            except OperandError as e:
                self.lines.unrecognized(src, "service object-group member (%s)" % e, Impact.FILTER, name)
                complete = False
        self._busy.discard(name)
        res = (_merged(out), complete)
        self._svc[name] = res
        return res

    # --- port groups (IOS XR) -----------------------------------------------------------
    def port(self, name: str, where: Source, scope: str) -> tuple[ISet, bool]:
        """The ports of IOS XR port group ``name`` (``eq``, ``neq``, ``lt``, ``gt``, ``range`` members, nested
        with ``object-group NAME``) and whether they are all understood."""
        got = self._port.get(name)
        if got is not None:
            return got
        g = self._enter(name, "port", where, scope)
        if g is None:
            return EMPTY, False
        parts, complete = [], True
        for k, t in g.members:
            src = self.lines.source(k)
            try:
                if t[0] == "object-group" and len(t) == 2:
                    sub, ok = self.port(t[1], src, name)
                    parts.append(sub)
                    complete = complete and ok
                    continue
                got, j = port_spec(t, 0, N.TCP_UDP_PORTS)
                if got is None or j != len(t):
                    raise OperandError("'%s'" % " ".join(t))
                parts.append(got)
            except OperandError as e:
                self.lines.unrecognized(src, "port object-group member (%s)" % e, Impact.FILTER, name)
                complete = False
        self._busy.discard(name)
        res = (ISet.union_of(parts), complete)
        self._port[name] = res
        return res

    def named_objects(self) -> tuple[NamedObject, ...]:
        """Every group, resolved, for the model."""
        out = []
        for name, g in self.defs.items():
            src = self.lines.source(g.line)
            members = tuple(self.lines.source(k) for k, _t in g.members)
            if g.kind == "network":
                v = self.network(name, src, name)
                out.append(NamedObject(name, "address", src, members, addresses=v.addrs, complete=v.complete))
            elif g.kind == "port":
                ports, ok = self.port(name, src, name)
                ps = PacketSet([cube(proto=TCP_UDP, dport=ports)])
                out.append(NamedObject(name, "service", src, members, services=ps, complete=ok))
            else:
                svcs, ok = self.service(name, src, name)
                ps = PacketSet([cube(proto=p, sport=sp, dport=dp) for p, sp, dp in svcs])
                out.append(NamedObject(name, "service", src, members, services=ps, complete=ok))
        return tuple(out)


def _merged(svcs: list[Svc]) -> tuple[Svc, ...]:
    """The same services, those sharing protocols and source ports as one (their destination
    ports united): one cube per distinct (protocols, source ports) instead of one per member."""
    by: dict[tuple, ISet] = {}
    for p, sp, dp in svcs:
        key = (p, sp)
        by[key] = by[key].union(dp) if key in by else dp
    return tuple((p, sp, dp) for (p, sp), dp in by.items())


def _net_member(t: list[str]) -> ISet:
    w = t[0]
    if w == "host" and len(t) == 2:
        return host_set(t[1], 6 if ":" in t[1] else 4)
    if w == "any" and len(t) == 1:
        return ALL_ADDR
    if w == "range" and len(t) == 3:
        fam = 6 if ":" in t[1] else 4
        lo, hi = host_set(t[1], fam), host_set(t[2], fam)
        if hi.lo < lo.lo:
            raise OperandError("empty range")
        return ISet.of(lo.lo, hi.lo)
    if "/" in w and len(t) == 1:
        return prefix_set(w)
    if len(t) == 2:
        v4_int(w)
        return mask_set(w, t[1])
    raise OperandError("'%s'" % " ".join(t))


def service_words(t: list[str]) -> Svc:
    """A service group member: ``tcp eq 80``, ``udp source range 1 1023 eq 53``, ``icmp echo``,
    ``tcp-udp range 1000 2000``, ``esp``, ``47``, ``ip``."""
    w = t[0].lower()
    if w == "ip" and len(t) == 1:
        return ALL_PROTO, ALL_PORTS, ALL_PORTS
    if w == "icmp":
        dport, k = icmp_values(t, 1, 4)
        if k != len(t):
            raise OperandError("unexpected '%s'" % t[k])
        return ISet.of(1), ALL_PORTS, dport
    if w in ("tcp", "udp", "tcp-udp"):
        protos = TCP_UDP if w == "tcp-udp" else ISet.of(N.PROTOCOLS[w])
        names = names_for(N.PROTOCOLS.get(w))
        sport = dport = ALL_PORTS
        k = 1
        if k < len(t) and t[k] == "source":
            got, k = port_spec(t, k + 1, names)
            if got is None:
                raise OperandError("'source' without a port operator")
            sport = got
        got, k = port_spec(t, k, names)
        if got is not None:
            dport = got
        if k != len(t):
            raise OperandError("unexpected '%s'" % t[k])
        return protos, sport, dport
    if len(t) == 1:
        if w.isascii() and w.isdecimal() and int(w) <= 255:  # (ASCII digits: IOS reads no others)
            return ISet.of(int(w)), ALL_PORTS, ALL_PORTS
        if w in N.PROTOCOLS:
            return ISet.of(N.PROTOCOLS[w]), ALL_PORTS, ALL_PORTS
    raise OperandError("'%s'" % " ".join(t))

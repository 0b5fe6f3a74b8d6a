"""Network, service, protocol and ICMP-type objects and object-groups, resolved to sets.

A group's set is built once from all its members (one sort), never by a union per member: a
20,000-member block list resolves in linear-logarithmic time.  Nested groups are resolved once
and cached; a loop through groups is a CFG301.

An 8.3+ running-config prints an object that has auto-NAT twice: its definition, then again
with only its ``nat`` line.  That second block adds the NAT to the object and keeps its
definition (re-entering ``object network X`` with only a ``nat`` line does not clear it); an
``object-group`` entered again gets the new members added, as on the device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.core.model import AddressRef, Impact, NamedObject, Source
from auditor.core.packets import (
    ALL_PORTS,
    EMPTY,
    PROTO_ICMP,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
    format_addr,
    v4_net,
)
from parsers.cisco_asa import names as N
from parsers.cisco_asa.services import Svc, icmp_set, port_spec, proto_set, service_words, typed_protos
from parsers.kit.addr import address_refs, cidr_set

if TYPE_CHECKING:
    from parsers.cisco_asa.scan import Asa

_KINDS = ("network", "service", "protocol", "icmp-type")
_DEFINES = frozenset(("host", "subnet", "range", "fqdn", "service"))  # lines that define an object


@dataclass
class Resolved:
    addrs: ISet = EMPTY
    refs: tuple[AddressRef, ...] = ()
    complete: bool = True


@dataclass
class ObjDef:
    kind: str  # network | service | protocol | icmp-type | port (typed service group) | unknown
    name: str
    source: Source
    group: bool
    svc_type: str = ""  # tcp | udp | tcp-udp for typed service groups
    members: list = field(default_factory=list)  # (tokens, Source)
    nat: list = field(default_factory=list)  # object NAT: (tokens, line index)


def object_block(st: Asa, toks: list[str], i: int, j: int) -> None:
    """An ``object`` or ``object-group`` block (entered again: see the module's docstring)."""
    s = st.src(i)
    group = toks[0] == "object-group"
    if len(toks) < 3:
        st.unrecognized(i, "bad object definition")
        return
    kind, name = toks[1], toks[2]
    st.lines.use(i)
    if kind not in _KINDS:
        st.unrecognized(i, "unsupported object type '%s'" % kind, Impact.FILTER, name)
        for k in range(i + 1, j):
            st.unrecognized(k, "inside an unsupported object", Impact.FILTER, name)
        st.objects[name] = ObjDef("unknown", name, s, group)
        return
    d = ObjDef(kind, name, s, group)
    if kind == "service" and group and len(toks) >= 4:
        d.kind, d.svc_type = "port", toks[3]
        if toks[3] not in ("tcp", "udp", "tcp-udp") or len(toks) > 4:
            st.unrecognized(i, "bad service object-group type", Impact.FILTER, name)
    elif len(toks) > 3:
        st.unrecognized(i, "bad object definition", Impact.FILTER, name)
    for k in range(i + 1, j):
        t = st.raw[k].split()
        if t[0] == "description":
            st.lines.ignore(k, "description")
        elif t[0] == "nat" and kind == "network" and not group:
            d.nat.append((t, k))
            st.lines.use(k)
        else:
            d.members.append((t, st.src(k)))
            st.lines.use(k)
    old = st.objects.get(name)
    if old is not None and old.kind == d.kind and old.group == d.group:
        # entered again: a group gains members; an object keeps its definition unless this
        # block defines it anew (a NAT-only block never empties it)
        if group or not any(t[0] in _DEFINES for t, _ in d.members):
            old.members.extend(d.members)
        else:
            old.members = d.members
        old.nat.extend(d.nat)
        return
    st.objects[name] = d


def lookup(st: Asa, name: str, kinds: tuple[str, ...], source: Source, scope: str) -> ObjDef | None:
    """The object ``name`` of one of ``kinds``; reported as undefined (CFG301) when there is none."""
    d = st.objects.get(name)
    if d is None or d.kind not in kinds:
        st.lines.undefined(name, "/".join(kinds) + " object", source, scope)
        return None
    return d


def resolve_net(st: Asa, name: str, source: Source, scope: str) -> Resolved:
    """Addresses of a network object or group (nested groups followed, each resolved once)."""
    got = st.net_cache.get(name)
    if got is not None:
        return got
    d = lookup(st, name, ("network",), source, scope)
    if d is None:
        return Resolved(complete=False)
    if name in st.resolving:
        st.lines.report("CFG301", "circular reference through object-group '%s'" % name, d.source,
                        Impact.FILTER, name)
        return Resolved(complete=False)
    st.resolving.add(name)
    intervals: list[tuple[int, int]] = []
    refs: list[AddressRef] = []
    complete = True
    for t, ms in d.members:
        try:
            r = _net_member(st, t, ms, d)
        except (ValueError, IndexError):
            st.unrecognized(ms, "bad network member", Impact.FILTER, name)
            complete = False
            continue
        intervals.extend(r.addrs.iv)
        refs.extend(r.refs)
        complete = complete and r.complete
    if not d.group and not d.members:
        complete = False  # an object without a definition
    st.resolving.discard(name)
    res = Resolved(ISet(intervals), tuple(refs), complete)  # (one sort for all the members)
    st.net_cache[name] = res
    return res


def _net_member(st: Asa, t: list[str], ms: Source, d: ObjDef) -> Resolved:
    key = t[0]
    if d.group:
        if key == "group-object" and len(t) == 2:
            return resolve_net(st, t[1], ms, d.name)
        if key != "network-object":
            raise ValueError(key)
        t = t[1:]
        if t[0] == "object" and len(t) == 2:
            return resolve_net(st, t[1], ms, d.name)
        if t[0] == "host" and len(t) == 2:
            return _ref(st, host(st, t[1]), ms)
        if "/" in t[0] and len(t) == 1:
            return _ref(st, cidr_set(t[0]), ms)
        if len(t) == 2:
            return _ref(st, v4_net(addr_text(st, t[0]), t[1]), ms)
        raise ValueError(t[0])
    if key == "host" and len(t) == 2:
        return _ref(st, host(st, t[1]), ms)
    if key == "subnet":
        if "/" in t[1] and len(t) == 2:
            return _ref(st, cidr_set(t[1]), ms)
        if len(t) == 3:
            return _ref(st, v4_net(t[1], t[2]), ms)
    if key == "range" and len(t) == 3:
        lo, hi = addr_to_int(t[1]), addr_to_int(t[2])
        if hi < lo:
            raise ValueError("empty range")
        return _ref(st, ISet.of(lo, hi), ms)
    if key == "fqdn":
        # resolved by DNS at run time: the addresses are unknown here
        return Resolved(complete=False)
    raise ValueError(key)


def _ref(st: Asa, addrs: ISet, source: Source) -> Resolved:
    # (a member of every address, 'network-object 0.0.0.0 0.0.0.0', is 'any': no address of its own)
    refs = address_refs(addrs, source)
    st.address_refs.extend(refs)
    return Resolved(addrs, refs, True)


def host(st: Asa, tok: str) -> ISet:
    """A host operand: an address or a ``name``."""
    a = st.addr_cache.get(tok)
    if a is None:
        a = ISet.of(st.names[tok][0] if tok in st.names else addr_to_int(tok))
        if len(st.addr_cache) < 1 << 20:
            st.addr_cache[tok] = a
    return a


def addr_text(st: Asa, tok: str) -> str:
    """An address operand with a ``name`` replaced by its address."""
    if tok in st.names:
        return format_addr(st.names[tok][0])
    return tok


def builtin_service(name: str) -> Svc | None:
    """ASA's inline service specifiers: ``object icmp-echo``, ``object ospf``."""
    if name in N.PROTOCOLS:
        return Svc(ISet.of(N.PROTOCOLS[name]))
    if name.startswith("icmp-") and name[5:] in N.ICMP_TYPES:
        ty = N.ICMP_TYPES[name[5:]]
        return Svc(ISet.of(PROTO_ICMP), ALL_PORTS, ISet.of(ty * 256, ty * 256 + 255))
    return None


def resolve_svc(st: Asa, name: str, source: Source, scope: str) -> tuple[list[Svc], bool]:
    """Services of a service object/group, or ports of a typed port group."""
    got = st.svc_cache.get(name)
    if got is not None:
        return got
    if name not in st.objects:
        builtin = builtin_service(name)
        if builtin is not None:
            return [builtin], True
    d = lookup(st, name, ("service", "port", "protocol", "icmp-type"), source, scope)
    if d is None:
        return [], False
    if name in st.resolving:
        st.lines.report("CFG301", "circular reference through object-group '%s'" % name, d.source,
                        Impact.FILTER, name)
        return [], False
    st.resolving.add(name)
    out: list[Svc] = []
    complete = True
    for t, ms in d.members:
        try:
            svcs, ok = _svc_member(st, t, ms, d)
        except (ValueError, IndexError, KeyError):
            st.unrecognized(ms, "bad %s member" % d.kind, Impact.FILTER, name)
            complete = False
            continue
        out.extend(svcs)
        complete = complete and ok
    if not d.group and not d.members:
        complete = False
    st.resolving.discard(name)
    st.svc_cache[name] = (out, complete)
    return out, complete


def _svc_member(st: Asa, t: list[str], ms: Source, d: ObjDef) -> tuple[list[Svc], bool]:
    key = t[0]
    if key == "group-object":
        return resolve_svc(st, t[1], ms, d.name)
    if d.kind == "protocol":
        if key != "protocol-object" or len(t) != 2:
            raise ValueError(key)
        return [Svc(proto_set(t[1]))], True
    if d.kind == "icmp-type":
        if key != "icmp-object" or len(t) != 2:
            raise ValueError(key)
        return [Svc(ISet.of(PROTO_ICMP), ALL_PORTS, icmp_set(t[1], None, N.ICMP_TYPES))], True
    if d.kind == "port":
        if key != "port-object":
            raise ValueError(key)
        ports, rest = port_spec(t[1:], _port_names(d.svc_type))
        if rest:
            raise ValueError(rest[0])
        return [Svc(typed_protos(d.svc_type), ALL_PORTS, ports)], True
    # service object / service group
    if key == "service-object" and len(t) == 3 and t[1] == "object":
        return resolve_svc(st, t[2], ms, d.name)
    if key not in ("service-object", "service"):
        raise ValueError(key)
    return [service_words(t[1:])], True


def _port_names(svc_type: str) -> dict[str, int]:
    return {"tcp": N.TCP_PORTS, "udp": N.UDP_PORTS}.get(svc_type, N.ANY_PORTS)


def named_objects(st: Asa) -> tuple[NamedObject, ...]:
    """Every object and object-group, resolved, for the model (undefined members reported)."""
    out = []
    for name, d in st.objects.items():
        members = tuple(ms for _t, ms in d.members)
        if d.kind == "network":
            r = resolve_net(st, name, d.source, name)
            out.append(NamedObject(name, "address", d.source, members, addresses=r.addrs, complete=r.complete))
        elif d.kind in ("service", "port", "protocol", "icmp-type"):
            svcs, ok = resolve_svc(st, name, d.source, name)
            ps = PacketSet([cube(proto=sv.proto, sport=sv.sport, dport=sv.dport) for sv in svcs])
            out.append(NamedObject(name, "service", d.source, members, services=ps, complete=ok))
    return tuple(out)

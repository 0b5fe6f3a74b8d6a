"""Access lists: each ``access-list`` line collected as the scan meets it, each list built into
a ``Filter`` of exact rules afterwards (first match, ``line N`` insertions as on the device).

Hot lines go through a token walker (``parse_ace_tokens``), checked against the pyparsing
reference grammar in ``grammar.py`` by the tests; a line the walker rejects is tried with the
grammar before it is reported.  Every entry is built in time linear in its own length: ten
thousand identical entries cost ten thousand times one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from auditor.core.model import ALL, Action, AddressRef, Filter, Impact, Rule, Source, new_rule
from auditor.core.packets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    PROTO_TCP,
    Cube,
    ISet,
    PacketSet,
    cube,
    v4_net,
)
from parsers.cisco_asa import names as N
from parsers.cisco_asa.objects import addr_text, host, resolve_net, resolve_svc
from parsers.cisco_asa.services import (
    PORTED,
    SVC_IP,
    AceError,
    Svc,
    decimal,
    icmp_set,
    port_names,
    port_spec,
    proto_set,
)
from parsers.kit import InputError
from parsers.kit.addr import address_refs, cidr_set
from parsers.kit.lines import USED

if TYPE_CHECKING:
    from parsers.cisco_asa.scan import Asa

_ACL_OPTIONS = ("log", "time-range", "inactive", "interval", "disable", "default")
_IDENTITY = ("user", "user-group", "object-group-user", "security-group", "object-group-security")
_ACTIONS = {"permit": Action.PERMIT, "deny": Action.DENY}
_ICMP_PROTOS = (ISet.of(PROTO_ICMP), ISet.of(PROTO_ICMP6))
_PROTO_INFO: dict[str, tuple[ISet, bool, bool]] = {}  # protocol word -> (set, has ports, is ICMP)
_PORT_CACHE: dict[tuple, ISet] = {}
_LOG_LEVELS = ("disable", "default", "emergencies", "alerts", "critical", "errors", "warnings", "notifications",
               "informational", "debugging")


# --- collecting (the scan) --------------------------------------------------------------

def access_list(st: Asa, toks: list[str], i: int) -> None:
    """Collect one access-list line (its entries are built with the whole list)."""
    if len(toks) < 3:
        st.unrecognized(i, "bad access-list")
        return
    name = toks[1]
    kind = toks[2]
    if kind == "line" and len(toks) > 4 and toks[4] == "remark":
        kind = "remark"
    if kind == "advanced" or (kind == "line" and len(toks) > 4 and toks[4] == "advanced"):
        # an ASA list is 'extended', 'standard', 'webtype', 'ethertype' or a remark (Cisco ASA
        # configuration guide, "Access Control Lists"); 'advanced' is the entry of a Firepower Threat
        # Defense's access control policy in LINA ('access-list CSM_FW_ACL_ advanced ...', Cisco document
        # 212321), half of a policy whose other half is Snort rules not in this text: refused as the
        # 'NGFW Version' header is (a paste may lack that header)
        raise InputError("%s: line %d: %r is an entry of a Firepower Threat Defense access control policy "
                         "(enforced partly by Snort rules that are not in this configuration), not an ASA's; "
                         "it is not supported" % (st.path, i + 1, st.raw[i].strip()))
    if kind in ("webtype", "ethertype"):
        if kind == "ethertype":
            # (an explicit 'deny any' denies IP too: topology.access_group)
            deny_any = toks[3:5] == ["deny", "any"] and (len(toks) == 5 or toks[5].split()[0] == "log")
            if st.ethertype_acls.get(name) is None:
                st.ethertype_acls[name] = st.src(i) if deny_any else None
        st.lines.ignore(i, "%s access list (clientless VPN / non-IP frames)" % kind)
        return
    if kind == "remark":
        st.remarks.append((name, st.src(i)))
    if name not in st.acl_first:
        st.acl_first[name] = st.src(i)
    # only the line's number (a remark's too: it takes a line number on the device, which
    # 'line N' positions count); its words and source are made again when the ACL is built
    st.acl_lines.setdefault(name, []).append(i)


def clear(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``clear configure access-list NAME`` (a change script's reset of one ACL)."""
    if toks[1:3] == ["configure", "access-list"] and len(toks) == 4:
        for k in st.acl_lines.pop(toks[3], ()):
            st.lines.ignore(k, "access-list entry removed by a later 'clear configure access-list'")
        st.lines.use(i, j)
    else:
        st.unrecognized(i, "unsupported 'clear' command")


def time_range(st: Asa, toks: list[str], i: int, j: int) -> None:
    """A time-range definition (rules naming one are evaluated as unknown)."""
    # rules that name a time range are active only part of the time: they are 'unknown'
    st.lines.ignore(i, "time range: the rules that use it are evaluated as unknown", j)


# --- building ------------------------------------------------------------------------------

def build_filters(st: Asa) -> dict[str, Filter]:
    """Every access list, built (a list with only remarks is an empty filter)."""
    filters = {name: build_acl(st, name) for name in st.acl_lines}
    for name, s in st.acl_first.items():
        filters.setdefault(name, Filter(name, (), s))
    return filters


def build_acl(st: Asa, name: str) -> Filter:
    """One access list as a ``Filter``: its entries in the device's order."""
    from auditor.core.progress import report

    rules: list[Rule | None] = []  # None: a remark's line
    entries = st.acl_lines.get(name, [])
    raw = st.raw
    source = st.lines.source
    state = st.lines.state  # (each entry builds the model: marked used here, in the hot loop)
    diagnostics = st.lines.diagnostics
    built: dict[tuple, Rule] = _Built()  # an entry's words -> its rule, when building it had no side effect
    for k, i in enumerate(entries):
        if not state[i]:
            state[i] = USED
        if not k & 4095:
            report("parsing access-list %s" % name, k, len(entries))
        pos = len(rules)
        t = raw[i].split()[2:]
        if t and t[0] == "line" and len(t) > 1 and decimal(t[1]):
            pos = min(max(int(t[1]) - 1, 0), len(rules))
            t = t[2:]
        if t and t[0] == "remark":
            rules.insert(pos, None)
            continue
        s = source(i)
        key = tuple(t)
        seen = built.get(key)
        if seen is not None:  # the same entry again (see ``_again``)
            rules.insert(pos, _again(seen, s, pos))
            continue
        marks = (len(diagnostics), len(st.address_refs))
        try:
            rule = build_ace(st, name, t, s, pos)
            if (len(diagnostics), len(st.address_refs)) == marks:
                built[key] = rule  # (an entry that reported or recorded something is built each time)
        except (AceError, ValueError, IndexError, KeyError) as e:
            st.unrecognized(s, "access-list entry (%s)" % _why(e), Impact.FILTER, name)
            action = Action.DENY if "deny" in t[:2] else Action.PERMIT
            rule = Rule(name, pos, action, NOTHING, s, maybe=ALL, opaque=True)
        if pos == len(rules):
            rules.append(rule)
        else:
            rules.insert(pos, rule)
    aces = [r for r in rules if r is not None]
    return Filter(name, tuple(r if r.index == k else replace(r, index=k) for k, r in enumerate(aces)),
                  st.acl_first.get(name))


_Built = dict  # (the tests build every entry with a dict that finds none)


def _again(rule: Rule, s: Source, pos: int) -> Rule:
    """An entry with the same words as the one ``rule`` was built from, on line ``s``: the same
    rule but for its line and position (addresses written on the line itself name this line).

    A long list repeats entries (the benchmark's ``duplicates`` shape: nearly half of them);
    building one is resolving its objects, ports and addresses again, with the same result
    (the objects are all known before the access lists are built), unless building it reported
    a diagnostic or recorded an address, which ``build_acl`` does not cache.
    """
    old = rule.source
    refs = rule.addresses
    if any(ref.source is old for ref in refs):
        refs = tuple(AddressRef(ref.addresses, s) if ref.source is old else ref for ref in refs)
    return new_rule(rule.filter, pos, rule.action, rule.match, s, enabled=rule.enabled, maybe=rule.maybe,
                    opaque=rule.opaque, addresses=refs, note=rule.note, states=rule.states, builtin=rule.builtin,
                    label=rule.label, sure_action=rule.sure_action)


def build_ace(st: Asa, acl: str, t: list[str], s: Source, pos: int) -> Rule:
    """One entry (tokens after the list name, ``line N`` removed) as a ``Rule``."""
    if t and t[0] == "standard":
        return _standard(st, acl, t[1:], s, pos)
    if t and t[0] == "extended":
        t = t[1:]
    try:
        ace = parse_ace_tokens(t, st.objects)
    except (AceError, IndexError):
        # the fast path covers the usual shapes; the grammar is the specification
        from parsers.cisco_asa.grammar import parse_ace_grammar
        ace = parse_ace_grammar(t, st.objects)
    return ace_to_rule(st, acl, ace, s, pos)


def _standard(st: Asa, acl: str, t: list[str], s: Source, pos: int) -> Rule:
    st.standard_acls.add(acl)
    if not t or t[0] not in ("permit", "deny"):
        raise AceError("expected permit or deny")
    dst, rest, refs, ok = addr_spec(st, t[1:], s, acl)
    if rest:
        raise AceError("unexpected '%s'" % rest[0])
    m = PacketSet([cube(dst=dst)])
    return Rule(acl, pos, Action(t[0]), m if ok else NOTHING, s, maybe=NOTHING if ok else m, addresses=refs,
                sure_action=True)


def addr_spec(st: Asa, t: list[str], s: Source, acl: str) -> tuple[ISet, list[str], tuple[AddressRef, ...], bool]:
    """One address operand: returns (set, remaining tokens, refs, complete)."""
    w = t[0]
    if w == "any":
        # (before 9.0 an extended access list is IPv4 only, IPv6 having lists of its own: 'any' is IPv4;
        # "In 9.0 and later ... any keyword now represents all IPv4 and IPv6 traffic", ASA 9.0 release notes)
        return (ALL_V4 if st.version is not None and st.version < (9, 0) else ALL_ADDR), t[1:], (), True
    if w == "any4":
        return ALL_V4, t[1:], (), True
    if w == "any6":
        return ALL_V6, t[1:], (), True
    if w == "host":
        a = host(st, t[1])
        return a, t[2:], (AddressRef(a, st.names[t[1]][1] if t[1] in st.names else s),), True
    if w == "object" or w == "object-group":
        r = st.net_cache.get(t[1]) or resolve_net(st, t[1], s, acl)
        return r.addrs, t[2:], r.refs, r.complete
    if w == "interface":
        own = [a for d in st.interfaces if d.nameif == t[1] for _n, a, _s in d.v4]
        return ISet.union_of(own), t[2:], (), bool(own)
    if "/" in w:
        a = cidr_set(w)
        return a, t[1:], address_refs(a, s), True
    a = v4_net(addr_text(st, w), t[1])  # ('0.0.0.0 0.0.0.0' is 'any': no address of its own)
    return a, t[2:], address_refs(a, st.names[w][1] if w in st.names else s), True


def ace_to_rule(st: Asa, acl: str, ace: Ace, s: Source, pos: int) -> Rule:
    """Resolve an ACE's operands into exact cubes.

    Parts that cannot be resolved (undefined objects, FQDNs, identity criteria, time ranges)
    widen to 'any' in ``maybe``: the rule is known to match nothing more than that, and the
    engine reports what reaches it there as unknown.
    """
    if ace.proto_obj:
        svcs, ok_svc = resolve_svc(st, ace.proto_obj, s, acl)
    else:
        svcs = st.proto_svcs.get(ace.proto)
        if svcs is None:
            svcs = st.proto_svcs[ace.proto] = [Svc(ace.proto)]
        ok_svc = True
    src, rest, r1, ok_src = addr_spec(st, ace.src, s, acl)
    if rest:
        raise AceError("unexpected '%s'" % rest[0])
    dst, rest, r2, ok_dst = addr_spec(st, ace.dst, s, acl)
    if rest:
        raise AceError("unexpected '%s'" % rest[0])
    # (the usual no-ports case skips the call)
    sport, ok_sport = _ports(st, ace.sport, ace.proto, s, acl) if ace.sport else (ALL_PORTS, True)
    dport, ok_dport = _ports(st, ace.dport, ace.proto, s, acl) if ace.dport else (ALL_PORTS, True)
    ok_ports = ok_sport and ok_dport
    if ace.icmp is not None:
        dport, ok_icmp = _icmp(st, ace, s, acl)
        ok_ports = ok_ports and ok_icmp
    known = PacketSet.of_cubes(_cubes(svcs, src, dst, sport, dport))
    note = ""
    if ok_svc and ok_src and ok_dst and ok_ports:
        match, maybe = known, NOTHING
    else:
        widened = PacketSet(_cubes(
            svcs if ok_svc else [SVC_IP], src if ok_src else ALL_ADDR, dst if ok_dst else ALL_ADDR,
            sport if ok_ports else ALL_PORTS, dport if ok_ports else ALL_PORTS))
        match, maybe = known, widened.subtract(known) if widened else NOTHING
    if ace.identity:
        st.unrecognized(s, "identity criteria (%s) cannot be evaluated from the config" % ace.identity[0],
                        Impact.FILTER, acl)
    if ace.time_range or ace.identity:
        # active only in a time range / for some users: decided neither way here
        match, maybe = NOTHING, maybe.union(known)
        note = "time-range %s" % ace.time_range if ace.time_range else "identity criteria"
    # (what is uncertain is whether it matches, never what it does: ``Rule.sure_action``)
    return new_rule(acl, pos, ace.action, match, s, enabled=not ace.inactive, maybe=maybe,
                    addresses=r1 + r2, note=note, sure_action=True)


def _ports(st: Asa, spec: list[str], proto: ISet, s: Source, acl: str) -> tuple[ISet, bool]:
    """An ACE's port operand -> (the ports it certainly matches, whether that is all it matches).

    A port group with a member not understood (or undefined) certainly matches only its understood members'
    ports: the rest is uncertain (``maybe``), never every port (a group whose only 'port-object eq ٤٤٥' the
    device refuses matched every port: a certain PERMIT of all TCP)."""
    if spec[0] == "object-group":
        name = spec[1]
        got = st.port_groups.get(name)
        if got is not None:
            return got
        svcs, ok = resolve_svc(st, name, s, acl)
        got = (ISet.union_of(sv.dport for sv in svcs), ok)
        if name in st.svc_cache:  # (an undefined name is reported on each line: not kept)
            st.port_groups[name] = got
        return got
    key = (proto, *spec)
    ports = _PORT_CACHE.get(key)
    if ports is None:
        ports, _rest = port_spec(spec, port_names(proto))
        if len(_PORT_CACHE) < 65536:
            _PORT_CACHE[key] = ports
    return ports, True


def _icmp(st: Asa, ace: Ace, s: Source, acl: str) -> tuple[ISet, bool]:
    spec = ace.icmp or []
    if not spec:
        return ALL_PORTS, True
    if spec[0] == "object-group":
        svcs, ok = resolve_svc(st, spec[1], s, acl)
        return ISet.union_of(sv.dport for sv in svcs), ok
    names = N.ICMP6_TYPES if ace.proto == ISet.of(PROTO_ICMP6) else N.ICMP_TYPES
    return icmp_set(spec[0], spec[1] if len(spec) > 1 else None, names), True


def _cubes(svcs: list[Svc], src: ISet, dst: ISet, sport: ISet, dport: ISet) -> list[Cube]:
    out: list[Cube] = []
    if not (src.iv and dst.iv):  # (emptiness by the intervals: no method call per operand)
        return out
    for sv in svcs:
        sp = sport if sv.sport is ALL_PORTS else sv.sport.intersect(sport)
        dp = dport if sv.dport is ALL_PORTS else sv.dport.intersect(dport)
        if sv.proto.iv and sp.iv and dp.iv:
            out.append(Cube(src, dst, sv.proto, sp, dp))
    return out


def _why(e: Exception) -> str:
    msg = str(e)
    return msg if msg and len(msg) < 80 else type(e).__name__


# --- the token walker ----------------------------------------------------------------------

@dataclass(slots=True)
class Ace:
    action: Action
    proto: ISet
    proto_obj: str | None
    src: list[str]
    sport: list[str] | None
    dst: list[str]
    dport: list[str] | None
    icmp: list[str] | None
    time_range: str | None = None
    inactive: bool = False
    log: bool = False
    identity: tuple[str, ...] = ()


def _addr_len(t: list[str], k: int) -> int:
    """How many tokens the address operand at ``t[k]`` takes."""
    w = t[k]
    if w in ("any", "any4", "any6"):
        return 1
    if w in ("host", "object", "object-group", "interface"):
        if k + 1 >= len(t):
            raise AceError("missing operand after '%s'" % w)
        return 2
    if "/" in w:
        return 1
    if k + 1 >= len(t):
        raise AceError("missing mask")
    return 2


def _port_len(t: list[str], k: int, objects: dict) -> int:
    if k >= len(t):
        return 0
    w = t[k]
    if w in ("eq", "neq", "lt", "gt"):
        return 2
    if w == "range":
        return 3
    if w == "object-group" and k + 1 < len(t):
        d = objects.get(t[k + 1])
        if d is not None and d.kind == "port":
            return 2
    return 0


def parse_ace_tokens(t: list[str], objects: dict) -> Ace:
    """The fast path for ``permit|deny PROTO SRC [PORTS] DST [PORTS|ICMP] [options]``.

    ``t`` starts at the action.  Object names are only looked up to tell a port object-group
    from an address object-group; nothing is resolved.
    """
    if len(t) < 4 or t[0] not in _ACTIONS:
        raise AceError("expected permit or deny")
    action = _ACTIONS[t[0]]
    k = 1
    proto_obj = None
    proto = ALL_PROTO
    w = t[k]
    ported = is_icmp = False
    if w in ("object-group", "object"):
        proto_obj = t[k + 1]
        k += 2
    else:
        info = _PROTO_INFO.get(w)
        if info is None:
            p = proto_set(w)
            info = (p, bool(p.iv) and p.lo >= PROTO_TCP and p.issubset(PORTED), p in _ICMP_PROTOS)
            if len(_PROTO_INFO) < 1024:
                _PROTO_INFO[w] = info
        proto, ported, is_icmp = info
        k += 1
    identity: list[str] = []
    while k + 1 < len(t) and t[k] in _IDENTITY:
        identity += t[k:k + 2]
        k += 2
    n = _addr_len(t, k)
    src = t[k:k + n]
    k += n
    sport = None
    group_ports = proto_obj is not None and objects.get(proto_obj) is not None and objects[proto_obj].kind == "protocol"
    if ported or group_ports:
        n = _port_len(t, k, objects)
        if n:
            sport = t[k:k + n]
            k += n
    if k >= len(t):
        raise AceError("missing destination")
    n = _addr_len(t, k)
    dst = t[k:k + n]
    k += n
    dport = None
    icmp = None
    if ported or group_ports:
        n = _port_len(t, k, objects)
        if n:
            dport = t[k:k + n]
            k += n
    elif is_icmp:
        icmp = []
        if k < len(t) and t[k] not in _ACL_OPTIONS:
            if t[k] == "object-group":
                icmp = t[k:k + 2]
                k += 2
            else:
                icmp = [t[k]]
                k += 1
                if k < len(t) and decimal(t[k]):
                    icmp.append(t[k])
                    k += 1
    ace = Ace(action, proto, proto_obj, src, sport, dst, dport, icmp, identity=tuple(identity))
    while k < len(t):
        w = t[k]
        if w == "log":
            ace.log = True
            k += 1
            if k < len(t) and (decimal(t[k]) or t[k] in _LOG_LEVELS):
                k += 1
            if k + 1 < len(t) and t[k] == "interval" and decimal(t[k + 1]):
                k += 2
        elif w == "time-range" and k + 1 < len(t):
            ace.time_range = t[k + 1]
            k += 2
        elif w == "inactive":
            ace.inactive = True
            k += 1
        else:
            raise AceError("unexpected '%s'" % w)
    return ace

"""Cisco ASA running-config -> the vendor-neutral rule graph.

Line shapes:

* hot lines (``access-list ... extended``) go through a token walker
  (``parse_ace_tokens``), checked against the pyparsing reference grammar in
  ``parsers.asa_grammar`` by the tests;
* rare lines (``timeout``, ``set connection``, ``route``, objects) use small
  pyparsing grammars or token rules;
* every other line is either a known command that does not affect filtering
  (counted as ignored) or reported as not understood (CFG300), with the
  scope it could affect.

ASA semantics translated here (and nowhere else): security levels, interface
and global ``access-group``, implicit denies, ``same-security-traffic``,
modular policy framework idle timeouts and DCD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from auditor.core.model import (
    Action,
    AddressRef,
    Config,
    Diagnostic,
    Filter,
    Impact,
    Interface,
    NamedObject,
    Path,
    Route,
    Rule,
    Source,
    Stage,
    Timeout,
    new_rule,
)
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    EMPTY,
    MAX_PORT,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    PROTO_TCP,
    PROTO_UDP,
    Cube,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
    network_to_iset,
    v4_mask,
    v4_net,
)
from auditor.core.secrets import redact
from parsers import asa_names as N
from parsers.kit.vendor import Vendor  # noqa: E402

NAME = "cisco-asa"
ASA_DEFAULT_CONN_TIMEOUT = 3600

_PORT_OPS = ("eq", "neq", "lt", "gt", "range")
_ACL_OPTIONS = ("log", "time-range", "inactive", "interval", "disable", "default")
_IDENTITY = ("user", "user-group", "object-group-user", "security-group", "object-group-security")
TCP_UDP = ISet([(PROTO_TCP, PROTO_TCP), (PROTO_UDP, PROTO_UDP)])
_ANY_PORT_NAMES = {**N.UDP_PORTS, **N.TCP_PORTS}
_PORT_CACHE: dict[tuple, ISet] = {}
PORTED = TCP_UDP.union(ISet.of(132))
_ACTIONS = {"permit": Action.PERMIT, "deny": Action.DENY}
_ICMP_PROTOS = (ISet.of(PROTO_ICMP), ISet.of(PROTO_ICMP6))
_PROTO_INFO: dict[str, tuple[ISet, bool, bool]] = {}  # protocol word -> (set, has ports, is ICMP)


class AceError(ValueError):
    """An access-list line this parser does not understand."""


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is an ASA config."""
    head = text[:200000]
    score = 0
    if re.search(r"^: Saved|^ASA Version|^: Hardware:\s+ASA", head, re.M):
        score += 60
    if re.search(r"^access-list \S+ (line \d+ )?extended ", head, re.M):
        score += 30
    if re.search(r"^\s+nameif \S+", head, re.M):
        score += 25
    if re.search(r"^\s+security-level \d+", head, re.M):
        score += 15
    if re.search(r"^access-group \S+ (in|out) interface ", head, re.M):
        score += 25
    if re.search(r"^object-group (network|service|protocol|icmp-type) ", head, re.M):
        score += 10
    if re.search(r"^(ip access-list|interface \S+\n\s+ip access-group)", head, re.M):
        score -= 30
    return max(0, min(100, score))


# --- small records used while parsing ---------------------------------------

@dataclass(frozen=True)
class Svc:
    """A service: protocols x source ports x destination ports (ICMP: type*256+code)."""

    proto: ISet
    sport: ISet = ALL_PORTS
    dport: ISet = ALL_PORTS


SVC_IP = Svc(ALL_PROTO)


@dataclass
class Resolved:
    addrs: ISet = EMPTY
    refs: tuple[AddressRef, ...] = ()
    complete: bool = True


@dataclass
class ObjDef:
    kind: str  # network | service | protocol | icmp-type | port (typed service group)
    name: str
    source: Source
    group: bool
    svc_type: str = ""  # tcp | udp | tcp-udp for typed service groups
    members: list = field(default_factory=list)  # (tokens, Source)


@dataclass
class IfDef:
    hw: str
    source: Source
    nameif: str | None = None
    nameif_src: Source | None = None
    level: int | None = None
    level_src: Source | None = None
    v4: list = field(default_factory=list)  # (ISet network, ISet own address, Source)
    shutdown: bool = False
    management_only: bool = False


class AsaParser:
    """One parse of one file; use ``parse()``."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = text.splitlines()
        self.diags: list[Diagnostic] = []
        self.names: dict[str, tuple[int, Source]] = {}
        self.objects: dict[str, ObjDef] = {}
        self.interfaces: list[IfDef] = []
        self.routes: list[Route] = []
        self.acl_lines: dict[str, list[int]] = {}  # ACL -> the indexes of its lines
        self.acl_first: dict[str, Source] = {}
        self.remarks: list[tuple[str, Source]] = []
        self.access_groups: list[tuple[str, str, str | None, Source]] = []  # acl, dir, iface
        self.class_maps: dict[str, list[tuple[list[str], Source]]] = {}
        self.policy_maps: dict[str, list[tuple[str, list[tuple[list[str], Source]]]]] = {}
        self.service_policies: list[tuple[str, str | None, Source]] = []
        self.timeout_conn: tuple[int | None, Source] | None = None
        self.same_inter: Source | None = None
        self.same_intra: Source | None = None
        self.time_ranges: set[str] = set()
        self.ignored = 0
        self._resolving: set[str] = set()
        self._net_cache: dict[str, Resolved] = {}
        self._svc_cache: dict[str, tuple[list[Svc], bool]] = {}
        self._addr_cache: dict[str, ISet] = {}  # host operand -> address (names are known by then)
        self._proto_svcs: dict[ISet, list[Svc]] = {}
        self._port_groups: dict[str, ISet | None] = {}  # port object-group -> its ports (None: incomplete)
        self._reported: set[tuple[str, int]] = set()
        self.address_refs: list[AddressRef] = []

    # --- helpers ---------------------------------------------------------------
    def src(self, i: int) -> Source:
        return Source(self.path, i + 1, redact(self.lines[i].rstrip()))

    def unrecognized(self, source: Source, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        self.diags.append(Diagnostic("CFG300", "line not understood: %s" % why, source, impact, scope))

    def undefined(self, name: str, kind: str, source: Source, scope: str = "") -> None:
        key = (name, source.line)
        if key in self._reported:
            return
        self._reported.add(key)
        self.diags.append(Diagnostic("CFG301", "reference to undefined %s '%s'" % (kind, name), source,
                                     Impact.FILTER, scope))

    # --- pass 1: structure -----------------------------------------------------------
    def scan(self) -> None:
        lines = self.lines
        n = len(lines)
        i = 0
        while i < n:
            raw = lines[i]
            if not raw.strip():
                i += 1
                continue
            if raw[0] in " \t":
                # an indented line without a parent block we know
                self.unrecognized(self.src(i), "indented line outside any block", Impact.GLOBAL)
                i += 1
                continue
            j = i + 1
            while j < n and lines[j][:1] in (" ", "\t") and lines[j].strip():
                j += 1
            # blank lines inside a block: keep going if the next line is indented
            self.top(i, j)
            i = j

    def top(self, i: int, j: int) -> None:
        line = self.lines[i]
        toks = line.split()
        if line.startswith("access-list "):  # most lines of a large config
            self.access_list(toks, i)
            return
        word = toks[0].lower().split(":")[0] or ":"
        children = range(i + 1, j)
        if word == "access-list":
            self.access_list(toks, i)
        elif word == "object" or word == "object-group":
            self.object_block(toks, i, children)
        elif word == "interface":
            self.interface_block(toks, i, children)
        elif word == "route" or (word == "ipv6" and len(toks) > 1 and toks[1] == "route"):
            self.route(toks, i)
        elif word == "name":
            self.name(toks, i)
        elif word == "names":
            self.ignored += 1
        elif word == "access-group":
            self.access_group(toks, i)
        elif word == "same-security-traffic":
            self.same_security(toks, i)
        elif word == "timeout":
            self.timeout(toks, i)
        elif word == "class-map":
            self.class_map(toks, i, children)
        elif word == "policy-map":
            self.policy_map(toks, i, children)
        elif word == "service-policy":
            self.service_policy(toks, i)
        elif word == "clear" and toks[1:3] == ["configure", "access-list"] and len(toks) == 4:
            # a change script's reset of one ACL: what came before is gone
            self.acl_lines.pop(toks[3], None)
            self.ignored += 1
        elif word == "time-range":
            if len(toks) > 1:
                self.time_ranges.add(toks[1])
            self.ignored += j - i
        elif word == "no":
            rest = toks[1].lower() if len(toks) > 1 else ""
            if rest in N.IGNORED_COMMANDS or rest in ("names", "logging", "call-home", "failover"):
                self.ignored += j - i
            else:
                self.unrecognized(self.src(i), "'no %s' is not supported" % rest)
        elif word in N.IGNORED_COMMANDS or line.startswith(":") or line.startswith("!"):
            self.ignored += j - i
        else:
            self.unrecognized(self.src(i), "unknown command '%s'" % toks[0])
            for k in children:
                self.unrecognized(self.src(k), "inside an unknown block", Impact.GLOBAL)

    # --- names, interfaces, routes -------------------------------------------------------
    def name(self, toks: list[str], i: int) -> None:
        if len(toks) >= 3:
            try:
                self.names[toks[2]] = (addr_to_int(toks[1]), self.src(i))
                return
            except ValueError:
                pass
        self.unrecognized(self.src(i), "bad 'name' line", Impact.FILTER, "names")

    def interface_block(self, toks: list[str], i: int, children: Iterable[int]) -> None:
        d = IfDef(toks[1] if len(toks) > 1 else "?", self.src(i))
        for k in children:
            t = self.lines[k].split()
            key = t[0].lower()
            if key == "nameif" and len(t) == 2:
                d.nameif, d.nameif_src = t[1], self.src(k)
            elif key == "security-level" and len(t) == 2 and t[1].isdigit():
                d.level, d.level_src = int(t[1]), self.src(k)
            elif key == "ip" and len(t) >= 4 and t[1] == "address":
                try:
                    own = addr_to_int(t[2])
                    net = _mask_net(t[2], t[3])
                    d.v4.append((net, ISet.of(own), self.src(k)))
                except ValueError:
                    if t[2] in ("dhcp", "pppoe"):
                        continue
                    self.unrecognized(self.src(k), "bad interface address", Impact.GLOBAL)
            elif key == "ipv6" and len(t) >= 3 and t[1] == "address" and "/" in t[2]:
                try:
                    import ipaddress
                    itf = ipaddress.ip_interface(t[2])
                    d.v4.append((network_to_iset(itf.network), ISet.of(addr_to_int(str(itf.ip))), self.src(k)))
                except ValueError:
                    self.unrecognized(self.src(k), "bad interface address", Impact.GLOBAL)
            elif key == "shutdown":
                d.shutdown = True
            elif key == "management-only":
                d.management_only = True
            else:
                self.ignored += 1
        self.interfaces.append(d)

    def route(self, toks: list[str], i: int) -> None:
        try:
            if toks[0] == "ipv6":
                import ipaddress
                net = ipaddress.ip_network(toks[3], strict=False)
                self.routes.append(Route(network_to_iset(net), net.prefixlen, toks[2], self.src(i)))
            else:
                iset = _mask_net(self._addr_text(toks[2]), toks[3])
                plen = _prefix_len(toks[3])
                self.routes.append(Route(iset, plen, toks[1], self.src(i)))
        except (ValueError, IndexError):
            self.unrecognized(self.src(i), "bad route", Impact.GLOBAL)

    def _addr_text(self, tok: str) -> str:
        if tok in self.names:
            from auditor.core.packets import format_addr
            return format_addr(self.names[tok][0])
        return tok

    def access_group(self, toks: list[str], i: int) -> None:
        s = self.src(i)
        if len(toks) >= 3 and toks[2] == "global":
            self.access_groups.append((toks[1], "global", None, s))
        elif len(toks) >= 5 and toks[2] in ("in", "out") and toks[3] == "interface":
            if len(toks) > 5 and toks[5] == "control-plane":
                self.ignored += 1  # to-the-box traffic only
                return
            self.access_groups.append((toks[1], toks[2], toks[4], s))
        else:
            self.unrecognized(s, "bad access-group")

    def same_security(self, toks: list[str], i: int) -> None:
        if len(toks) == 3 and toks[1] == "permit" and toks[2] == "inter-interface":
            self.same_inter = self.src(i)
        elif len(toks) == 3 and toks[1] == "permit" and toks[2] == "intra-interface":
            self.same_intra = self.src(i)
        else:
            self.unrecognized(self.src(i), "bad same-security-traffic")

    def timeout(self, toks: list[str], i: int) -> None:
        if "conn" not in toks:
            self.ignored += 1
            return
        k = toks.index("conn")
        try:
            secs = parse_hms(toks[k + 1])
        except (IndexError, ValueError):
            self.unrecognized(self.src(i), "bad 'timeout conn' value", Impact.FILTER, "timeouts")
            return
        self.timeout_conn = (None if secs == 0 else secs, self.src(i))

    def class_map(self, toks: list[str], i: int, children: Iterable[int]) -> None:
        if len(toks) != 2:  # class-map type inspect/regex/...: inspection only
            self.ignored += 1 + len(list(children))
            return
        self.class_maps[toks[1]] = [(self.lines[k].split(), self.src(k)) for k in children]

    def policy_map(self, toks: list[str], i: int, children: Iterable[int]) -> None:
        if len(toks) != 2:
            self.ignored += 1 + len(list(children))
            return
        classes: list[tuple[str, list[tuple[list[str], Source]]]] = []
        for k in children:
            t = self.lines[k].split()
            indent = len(self.lines[k]) - len(self.lines[k].lstrip())
            if t[0] == "class" and len(t) == 2 and indent <= 1:
                classes.append((t[1], []))
            elif classes and indent > 1:
                classes[-1][1].append((t, self.src(k)))
            else:
                self.ignored += 1  # description, parameters
        self.policy_maps[toks[1]] = classes

    def service_policy(self, toks: list[str], i: int) -> None:
        if len(toks) == 3 and toks[2] == "global":
            self.service_policies.append((toks[1], None, self.src(i)))
        elif len(toks) == 4 and toks[2] == "interface":
            self.service_policies.append((toks[1], toks[3], self.src(i)))
        else:
            self.unrecognized(self.src(i), "bad service-policy", Impact.FILTER, "timeouts")

    # --- objects -----------------------------------------------------------------------
    def object_block(self, toks: list[str], i: int, children: Iterable[int]) -> None:
        s = self.src(i)
        group = toks[0] == "object-group"
        if len(toks) < 3:
            self.unrecognized(s, "bad object definition")
            return
        kind, name = toks[1], toks[2]
        if kind not in ("network", "service", "protocol", "icmp-type"):
            self.unrecognized(s, "unsupported object type '%s'" % kind, Impact.FILTER, name)
            self.objects[name] = ObjDef("unknown", name, s, group)
            return
        d = ObjDef(kind, name, s, group)
        if kind == "service" and group and len(toks) >= 4:
            d.kind, d.svc_type = "port", toks[3]
        elif kind == "service" and not group and len(toks) >= 4:
            self.unrecognized(s, "bad object definition", Impact.FILTER, name)
        for k in children:
            t = self.lines[k].split()
            if t[0] in ("description", "nat"):
                self.ignored += 1
                continue
            d.members.append((t, self.src(k)))
        self.objects[name] = d

    def _lookup(self, name: str, kinds: tuple[str, ...], source: Source, scope: str) -> ObjDef | None:
        d = self.objects.get(name)
        if d is None or d.kind not in kinds:
            self.undefined(name, "/".join(kinds) + " object", source, scope)
            return None
        return d

    def resolve_net(self, name: str, source: Source, scope: str) -> Resolved:
        """Addresses of a network object or group (nested groups followed)."""
        if name in self._net_cache:
            return self._net_cache[name]
        d = self._lookup(name, ("network",), source, scope)
        if d is None:
            return Resolved(complete=False)
        if name in self._resolving:
            self.diags.append(Diagnostic("CFG301", "circular reference through object-group '%s'" % name,
                                         d.source, Impact.FILTER, name))
            return Resolved(complete=False)
        self._resolving.add(name)
        addrs, refs, complete = EMPTY, [], True
        for t, ms in d.members:
            try:
                r = self._net_member(t, ms, d)
            except (ValueError, IndexError):
                self.unrecognized(ms, "bad network member", Impact.FILTER, name)
                complete = False
                continue
            addrs = addrs.union(r.addrs)
            refs.extend(r.refs)
            complete = complete and r.complete
        self._resolving.discard(name)
        res = Resolved(addrs, tuple(refs), complete)
        self._net_cache[name] = res
        return res

    def _net_member(self, t: list[str], ms: Source, d: ObjDef) -> Resolved:
        key = t[0]
        if d.group:
            if key == "group-object":
                return self.resolve_net(t[1], ms, d.name)
            if key != "network-object":
                raise ValueError(key)
            t = t[1:]
            if t[0] == "object":
                return self.resolve_net(t[1], ms, d.name)
            if t[0] == "host":
                a = self.addr(t[1], ms, d.name)
                return self._ref(a, ms)
            if "/" in t[0]:
                return self._ref(network_to_iset(_ipnet(t[0])), ms)
            return self._ref(_mask_net(self._addr_text(t[0]), t[1]), ms)
        if key == "host":
            return self._ref(self.addr(t[1], ms, d.name), ms)
        if key == "subnet":
            if "/" in t[1]:
                return self._ref(network_to_iset(_ipnet(t[1])), ms)
            return self._ref(_mask_net(t[1], t[2]), ms)
        if key == "range":
            return self._ref(ISet.of(addr_to_int(t[1]), addr_to_int(t[2])), ms)
        if key == "fqdn":
            # resolved by DNS at run time: the addresses are unknown here
            return Resolved(complete=False)
        raise ValueError(key)

    def _ref(self, addrs: ISet, source: Source) -> Resolved:
        ref = AddressRef(addrs, source)
        self.address_refs.append(ref)
        return Resolved(addrs, (ref,), True)

    def addr(self, tok: str, source: Source, scope: str) -> ISet:
        a = self._addr_cache.get(tok)
        if a is None:
            # (this cache is the parser's own: the shared one's bookkeeping would only add to
            # a miss, and most addresses of a large config are written once)
            a = ISet.of(self.names[tok][0] if tok in self.names else _addr_uncached(tok))
            if len(self._addr_cache) < 1 << 20:
                self._addr_cache[tok] = a
        return a

    def resolve_svc(self, name: str, source: Source, scope: str) -> tuple[list[Svc], bool]:
        """Services of a service object/group, or ports of a typed port group."""
        if name in self._svc_cache:
            return self._svc_cache[name]
        if name not in self.objects:
            builtin = builtin_service(name)
            if builtin is not None:
                return [builtin], True
        d = self._lookup(name, ("service", "port", "protocol", "icmp-type"), source, scope)
        if d is None:
            return [], False
        if name in self._resolving:
            self.diags.append(Diagnostic("CFG301", "circular reference through object-group '%s'" % name,
                                         d.source, Impact.FILTER, name))
            return [], False
        self._resolving.add(name)
        out: list[Svc] = []
        complete = True
        for t, ms in d.members:
            try:
                svcs, ok = self._svc_member(t, ms, d)
            except (ValueError, IndexError, KeyError):
                self.unrecognized(ms, "bad %s member" % d.kind, Impact.FILTER, name)
                complete = False
                continue
            out.extend(svcs)
            complete = complete and ok
        if not d.group and not d.members:
            complete = False
        self._resolving.discard(name)
        self._svc_cache[name] = (out, complete)
        return out, complete

    def _svc_member(self, t: list[str], ms: Source, d: ObjDef) -> tuple[list[Svc], bool]:
        key = t[0]
        if key == "group-object":
            return self.resolve_svc(t[1], ms, d.name)
        if d.kind == "protocol":
            if key != "protocol-object":
                raise ValueError(key)
            return [Svc(proto_set(t[1]))], True
        if d.kind == "icmp-type":
            if key != "icmp-object":
                raise ValueError(key)
            return [Svc(ISet.of(PROTO_ICMP), ALL_PORTS, icmp_set(t[1], None, N.ICMP_TYPES))], True
        if d.kind == "port":
            if key != "port-object":
                raise ValueError(key)
            ports, rest = port_spec(t[1:], _port_names(d.svc_type))
            if rest:
                raise ValueError(rest)
            return [Svc(_typed_protos(d.svc_type), ALL_PORTS, ports)], True
        # service object / service group
        if key == "service-object" and len(t) >= 3 and t[1] == "object":
            return self.resolve_svc(t[2], ms, d.name)
        if key not in ("service-object", "service"):
            raise ValueError(key)
        return [service_words(t[1:])], True

    # --- access lists --------------------------------------------------------------
    def access_list(self, toks: list[str], i: int) -> None:
        if len(toks) < 3:
            self.unrecognized(self.src(i), "bad access-list", Impact.GLOBAL)
            return
        name = toks[1]
        kind = toks[2]
        if kind == "line" and len(toks) > 4 and toks[4] == "remark":
            kind = "remark"
        if kind in ("webtype", "ethertype"):
            self.ignored += 1
            return
        if kind == "remark":
            self.remarks.append((name, self.src(i)))
        if name not in self.acl_first:
            self.acl_first[name] = self.src(i)
        # only the line's number (a remark's too: it takes a line number on the device, which
        # 'line N' positions count); its words and source are made again when the ACL is
        # built: keeping 100k lists of words costs more than splitting the lines twice
        self.acl_lines.setdefault(name, []).append(i)

    def build_acl(self, name: str) -> Filter:
        from auditor.core.progress import report

        rules: list[Rule | None] = []  # None: a remark's line
        entries = self.acl_lines.get(name, [])
        lines = self.lines
        for k, i in enumerate(entries):
            if not k & 4095:
                report("parsing access-list %s" % name, k, len(entries))
            pos = len(rules)
            t = lines[i].split()[2:]
            if t and t[0] == "line" and len(t) > 1 and t[1].isdigit():
                pos = min(max(int(t[1]) - 1, 0), len(rules))
                t = t[2:]
            if t and t[0] == "remark":
                rules.insert(pos, None)
                continue
            s = self.src(i)
            try:
                rule = self.build_ace(name, t, s, pos)
            except (AceError, ValueError, IndexError, KeyError) as e:
                self.unrecognized(s, "access-list entry (%s)" % _why(e), Impact.FILTER, name)
                action = Action.DENY if "deny" in t[:2] else Action.PERMIT
                rule = Rule(name, pos, action, NOTHING, s, maybe=ALL, opaque=True)
            rules.insert(pos, rule)
        aces = [r for r in rules if r is not None]
        return Filter(name, tuple(r if r.index == k else _reindex(r, k) for k, r in enumerate(aces)),
                      self.acl_first.get(name))

    def build_ace(self, acl: str, t: list[str], s: Source, pos: int) -> Rule:
        if t and t[0] == "standard":
            return self.build_standard(acl, t[1:], s, pos)
        if t and t[0] == "extended":
            t = t[1:]
        try:
            ace = parse_ace_tokens(t, self.objects)
        except (AceError, IndexError):
            # the fast path covers the usual shapes; the grammar is the specification
            from parsers.asa_grammar import parse_ace_grammar
            ace = parse_ace_grammar(t, self.objects)
        return self.ace_to_rule(acl, ace, s, pos)

    def build_standard(self, acl: str, t: list[str], s: Source, pos: int) -> Rule:
        if not t or t[0] not in ("permit", "deny"):
            raise AceError("expected permit or deny")
        dst, rest, refs, ok = self.addr_spec(t[1:], s, acl)
        if rest:
            raise AceError("unexpected '%s'" % rest[0])
        m = PacketSet([cube(dst=dst)])
        return Rule(acl, pos, Action(t[0]), m if ok else NOTHING, s, maybe=NOTHING if ok else m, addresses=refs)

    def addr_spec(self, t: list[str], s: Source, acl: str) -> tuple[ISet, list[str], tuple[AddressRef, ...], bool]:
        """One address operand: returns (set, remaining tokens, refs, complete)."""
        w = t[0]
        if w == "any":
            return ALL_ADDR, t[1:], (), True
        if w == "any4":
            return ALL_V4, t[1:], (), True
        if w == "any6":
            return ALL_V6, t[1:], (), True
        if w == "host":
            a = self.addr(t[1], s, acl)
            return a, t[2:], (AddressRef(a, self.names[t[1]][1] if t[1] in self.names else s),), True
        if w == "object" or w == "object-group":
            r = self.resolve_net(t[1], s, acl)
            return r.addrs, t[2:], r.refs, r.complete
        if w == "interface":
            own = EMPTY
            for d in self.interfaces:
                if d.nameif == t[1]:
                    for _, a, _s in d.v4:
                        own = own.union(a)
            return own, t[2:], (), bool(own)
        if "/" in w:
            a = network_to_iset(_ipnet(w))
            return a, t[1:], (AddressRef(a, s),), True
        a = _mask_net(self._addr_text(w), t[1])
        ref_src = self.names[w][1] if w in self.names else s
        return a, t[2:], (AddressRef(a, ref_src),), True

    def ace_to_rule(self, acl: str, ace: "Ace", s: Source, pos: int) -> Rule:
        """Resolve an ACE's operands into exact cubes.

        Parts that cannot be resolved (undefined objects, FQDNs, identity
        criteria, time ranges) widen to 'any' in ``maybe``: the rule is known
        to match nothing more than that, and the engine reports what reaches
        it there as unknown.
        """
        if ace.proto_obj:
            svcs, ok_svc = self.resolve_svc(ace.proto_obj, s, acl)
        else:
            svcs = self._proto_svcs.get(ace.proto)
            if svcs is None:
                svcs = self._proto_svcs[ace.proto] = [Svc(ace.proto)]
            ok_svc = True
        src, rest, r1, ok_src = self.addr_spec(ace.src, s, acl)
        if rest:
            raise AceError("unexpected '%s'" % rest[0])
        dst, rest, r2, ok_dst = self.addr_spec(ace.dst, s, acl)
        if rest:
            raise AceError("unexpected '%s'" % rest[0])
        # (None: a port group not understood; the usual no-ports case skips the call)
        sport = self._ports(ace.sport, s, acl) if ace.sport else ALL_PORTS
        dport = self._ports(ace.dport, s, acl) if ace.dport else ALL_PORTS
        ok_ports = sport is not None and dport is not None
        if sport is None:
            sport = ALL_PORTS
        if dport is None:
            dport = ALL_PORTS
        if ace.icmp is not None:
            dport, ok_icmp = self._icmp(ace, s, acl)
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
            self.unrecognized(s, "identity criteria (%s) cannot be evaluated from the config" % " ".join(ace.identity[:1]),
                              Impact.FILTER, acl)
        if ace.time_range or ace.identity:
            # active only in a time range / for some users: decided neither way here
            match, maybe = NOTHING, maybe.union(known)
            note = "time-range %s" % ace.time_range if ace.time_range else "identity criteria"
        return new_rule(acl, pos, ace.action, match, s, enabled=not ace.inactive, maybe=maybe,
                    addresses=r1 + r2, note=note)

    def _ports(self, spec: list[str] | None, s: Source, acl: str) -> ISet | None:
        if not spec:
            return ALL_PORTS
        if spec[0] == "object-group":
            name = spec[1]
            if name in self._port_groups:
                return self._port_groups[name]
            svcs, ok = self.resolve_svc(name, s, acl)
            ports = EMPTY
            for sv in svcs:
                ports = ports.union(sv.dport)
            if name in self._svc_cache:  # (an undefined name is reported on each line: not kept)
                self._port_groups[name] = ports if ok else None
            return ports if ok else None
        key = tuple(spec)
        ports = _PORT_CACHE.get(key)
        if ports is None:
            ports, _rest = port_spec(spec, _ANY_PORT_NAMES)
            if len(_PORT_CACHE) < 65536:
                _PORT_CACHE[key] = ports
        return ports

    def _icmp(self, ace: "Ace", s: Source, acl: str) -> tuple[ISet, bool]:
        spec = ace.icmp or []
        if not spec:
            return ALL_PORTS, True
        if spec[0] == "object-group":
            svcs, ok = self.resolve_svc(spec[1], s, acl)
            out = EMPTY
            for sv in svcs:
                out = out.union(sv.dport)
            return out, ok
        names = N.ICMP6_TYPES if ace.proto == ISet.of(PROTO_ICMP6) else N.ICMP_TYPES
        return icmp_set(spec[0], spec[1] if len(spec) > 1 else None, names), True

    # --- assembling the device -------------------------------------------------------
    def build(self) -> Config:
        self.scan()
        filters = {}
        for name in self.acl_lines:
            filters[name] = self.build_acl(name)
        for name in self.acl_first:
            filters.setdefault(name, Filter(name, (), self.acl_first[name]))
        interfaces = []
        levels: dict[str, tuple[int, Source]] = {}
        for d in self.interfaces:
            if not d.nameif or d.shutdown or d.management_only:
                continue
            nets = EMPTY
            refs = []
            for net, _own, s in d.v4:
                nets = nets.union(net)
                refs.append(AddressRef(net, s))
            level = d.level if d.level is not None else (100 if d.nameif.lower() == "inside" else 0)
            lsrc = d.level_src or d.nameif_src or d.source
            levels[d.nameif] = (level, lsrc)
            interfaces.append(Interface(d.nameif, nets, d.source, level, address_refs=tuple(refs)))
            self.address_refs.extend(refs)
        known_if = {i.name for i in interfaces}
        named_if = {d.nameif for d in self.interfaces if d.nameif}
        bound_in: dict[str, tuple[str, Source]] = {}
        bound_out: dict[str, tuple[str, Source]] = {}
        glob: tuple[str, Source] | None = None
        for acl, direction, iface, s in self.access_groups:
            if acl not in filters:
                self.undefined(acl, "access-list", s)
                filters[acl] = Filter(acl, (Rule(acl, 0, Action.DENY, NOTHING, s, maybe=ALL, opaque=True),), s)
            if direction == "global":
                glob = (acl, s)
            elif iface not in known_if:
                if iface not in named_if:
                    self.undefined(iface or "", "interface", s)
            elif direction == "in":
                bound_in[iface] = (acl, s)
            else:
                bound_out[iface] = (acl, s)
        paths = self.paths(interfaces, levels, filters, bound_in, bound_out, glob)
        routes = [r for r in self.routes if r.interface in known_if]
        for r in self.routes:
            if r.interface not in named_if:
                self.undefined(r.interface, "interface", r.source)
        timeouts = self.timeouts(filters)
        objects = self.named_objects()
        return Config(
            path=self.path, vendor=NAME, lines=len(self.lines), filters=filters, paths=tuple(paths),
            interfaces=tuple(interfaces), routes=tuple(routes), timeouts=tuple(timeouts),
            diagnostics=tuple(self.diags), address_refs=tuple(self.address_refs),
            ignored_lines=self.ignored, remarks=tuple(self.remarks), objects=objects,
            head=self.src(0) if self.lines else None,
        )

    def named_objects(self) -> tuple[NamedObject, ...]:
        """Every object and object-group, resolved, for the model (undefined members reported)."""
        out = []
        for name, d in self.objects.items():
            members = tuple(ms for _t, ms in d.members)
            if d.kind == "network":
                r = self.resolve_net(name, d.source, name)
                out.append(NamedObject(name, "address", d.source, members, addresses=r.addrs, complete=r.complete))
            elif d.kind in ("service", "port", "protocol", "icmp-type"):
                svcs, ok = self.resolve_svc(name, d.source, name)
                ps = PacketSet([cube(proto=sv.proto, sport=sv.sport, dport=sv.dport) for sv in svcs])
                out.append(NamedObject(name, "service", d.source, members, services=ps, complete=ok))
        return tuple(out)

    def paths(self, interfaces, levels, filters, bound_in, bound_out, glob) -> list[Path]:
        out = []
        for a in interfaces:
            for b in interfaces:
                if a.name == b.name and not self.same_intra:
                    out.append(Path(a.name, b.name, (), crosses=False,
                                    note="both ends are reached through interface %s: the traffic does not "
                                         "cross the firewall" % a.name))
                    continue
                stages = [self.inbound_stage(a.name, b.name, levels, filters, bound_in, glob)]
                if b.name in bound_out:
                    acl, s = bound_out[b.name]
                    stages.append(Stage("out:%s" % b.name, (acl,), Action.DENY, _last(filters[acl], s),
                                        "implicit deny at the end of access-list %s (out on %s)" % (acl, b.name)))
                out.append(Path(a.name, b.name, tuple(stages)))
        return out

    def inbound_stage(self, a, b, levels, filters, bound_in, glob) -> Stage:
        acls = []
        if a in bound_in:
            acls.append(bound_in[a])
        if glob:
            acls.append(glob)
        if acls:
            last_acl, last_src = acls[-1]
            return Stage("in:%s" % a, tuple(x for x, _ in acls), Action.DENY, _last(filters[last_acl], last_src),
                         "implicit deny at the end of access-list %s" % last_acl)
        la, sa = levels[a]
        lb, _ = levels[b]
        if la > lb:
            return Stage("in:%s" % a, (), Action.PERMIT, sa,
                         "no access-list on %s: security level %d to %d is permitted" % (a, la, lb))
        if la == lb and self.same_inter:
            return Stage("in:%s" % a, (), Action.PERMIT, self.same_inter,
                         "same-security-traffic permit inter-interface (level %d)" % la)
        return Stage("in:%s" % a, (), Action.DENY, sa,
                     "no access-list on %s: security level %d to %d is denied" % (a, la, lb))

    def timeouts(self, filters: dict[str, Filter]) -> list[Timeout]:
        from auditor.engine import PERMIT, evaluate_filter

        out: list[Timeout] = []
        ordered = sorted(self.service_policies, key=lambda x: x[1] is None)  # interface policies first
        for pmap, iface, s in ordered:
            classes = self.policy_maps.get(pmap)
            if classes is None:
                self.undefined(pmap, "policy-map", s, "timeouts")
                continue
            for cname, body in classes:
                for t, ls in body:
                    idle = _set_connection_idle(t)
                    if idle is None:
                        continue
                    if idle == "bad":
                        self.unrecognized(ls, "bad 'set connection' line", Impact.FILTER, "timeouts")
                        continue
                    secs, reset, dcd = idle
                    match = self.class_match(cname, filters, ls, evaluate_filter, PERMIT)
                    out.append(Timeout(match, None if secs == 0 else secs, ls, dcd=dcd, reset=reset,
                                       interfaces=(iface,) if iface else (),
                                       label="policy-map %s class %s" % (pmap, cname)))
        tcp = PacketSet([cube(proto=ISet.of(PROTO_TCP))])
        if self.timeout_conn:
            secs, s = self.timeout_conn
            out.append(Timeout(tcp, secs, s, label="timeout conn", default=True))
        else:
            out.append(Timeout(tcp, ASA_DEFAULT_CONN_TIMEOUT, None,
                               label="ASA default 'timeout conn 1:00:00' (no timeout conn line)", default=True))
        return out

    def class_match(self, cname, filters, s, evaluate_filter, PERMIT) -> PacketSet:
        body = self.class_maps.get(cname)
        if cname == "class-default":
            return ALL
        if body is None:
            self.undefined(cname, "class-map", s, "timeouts")
            return NOTHING
        out = NOTHING
        for t, ms in body:
            if t[0] == "description":
                continue
            if t[:2] == ["match", "any"]:
                out = out.union(ALL)
            elif t[:2] == ["match", "access-list"] and len(t) == 3:
                if t[2] not in filters:
                    self.undefined(t[2], "access-list", ms, "timeouts")
                    continue
                for o in evaluate_filter(_FakeCfg(filters), t[2], ALL):
                    if o.kind == PERMIT:
                        out = out.union(o.packets)
            elif t[:2] == ["match", "default-inspection-traffic"]:
                out = out.union(PacketSet([cube(proto=ISet.of(p), dport=ISet.of(lo, hi))
                                           for p, lo, hi in N.DEFAULT_INSPECTION]))
            elif t[:2] == ["match", "port"] and len(t) >= 4:
                try:
                    ports, _ = port_spec(t[3:], N.TCP_PORTS)
                    protos = _typed_protos(t[2])
                    out = out.union(PacketSet([cube(proto=protos, dport=ports)]))
                except (ValueError, KeyError):
                    self.unrecognized(ms, "bad class-map match", Impact.FILTER, "timeouts")
            else:
                self.unrecognized(ms, "class-map match not supported", Impact.FILTER, "timeouts")
        return out


_addr_uncached = addr_to_int.__wrapped__


class _FakeCfg:
    """Just enough of a Config for evaluating one filter during parsing."""

    def __init__(self, filters):
        self.filters = filters


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


def _reindex(r: Rule, k: int) -> Rule:
    from dataclasses import replace
    return replace(r, index=k)


def _last(f: Filter, fallback: Source) -> Source:
    return f.rules[-1].source if f.rules else fallback


def _why(e: Exception) -> str:
    msg = str(e)
    return msg if msg and len(msg) < 80 else type(e).__name__


# --- token-level grammar pieces ------------------------------------------------------

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

    ``t`` starts at the action.  Object names are only looked up to tell a
    port object-group from an address object-group; nothing is resolved.
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
                if k < len(t) and t[k].isdigit():
                    icmp.append(t[k])
                    k += 1
    ace = Ace(action, proto, proto_obj, src, sport, dst, dport, icmp, identity=tuple(identity))
    while k < len(t):
        w = t[k]
        if w == "log":
            ace.log = True
            k += 1
            if k < len(t) and (t[k].isdigit() or t[k] in ("disable", "default", "emergencies", "alerts",
                                                           "critical", "errors", "warnings", "notifications",
                                                           "informational", "debugging")):
                k += 1
            if k + 1 < len(t) and t[k] == "interval":
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


def builtin_service(name: str) -> Svc | None:
    """ASA's inline service specifiers: ``object icmp-echo``, ``object ospf``."""
    if name in N.PROTOCOLS:
        return Svc(ISet.of(N.PROTOCOLS[name]))
    if name.startswith("icmp-") and name[5:] in N.ICMP_TYPES:
        ty = N.ICMP_TYPES[name[5:]]
        return Svc(ISet.of(PROTO_ICMP), ALL_PORTS, ISet.of(ty * 256, ty * 256 + 255))
    return None


def proto_set(w: str) -> ISet:
    if w == "ip":
        return ALL_PROTO
    if w.isdigit() and int(w) <= 255:
        return ISet.of(int(w))
    if w in N.PROTOCOLS:
        return ISet.of(N.PROTOCOLS[w])
    if w == "tcp-udp":
        return TCP_UDP
    raise AceError("unknown protocol '%s'" % w)


def port_value(w: str, names: dict[str, int]) -> int:
    if w.isdigit():
        v = int(w)
        if v > MAX_PORT:
            raise ValueError("port out of range")
        return v
    if w in names:
        return names[w]
    raise KeyError(w)


def port_spec(t: list[str], names: dict[str, int]) -> tuple[ISet, list[str]]:
    """``eq P | neq P | lt P | gt P | range A B`` -> (ports, remaining tokens)."""
    op = t[0]
    if op == "eq":
        v = port_value(t[1], names)
        return ISet.of(v), t[2:]
    if op == "neq":
        v = port_value(t[1], names)
        return ISet([(0, v - 1), (v + 1, MAX_PORT)]), t[2:]
    if op == "lt":
        v = port_value(t[1], names)
        return ISet.of(0, v - 1), t[2:]
    if op == "gt":
        v = port_value(t[1], names)
        return ISet.of(v + 1, MAX_PORT), t[2:]
    if op == "range":
        return ISet.of(port_value(t[1], names), port_value(t[2], names)), t[3:]
    raise ValueError("expected a port operator, got '%s'" % op)


def icmp_set(w: str, code: str | None, names: dict[str, int]) -> ISet:
    if w.isdigit():
        ty = int(w)
    else:
        ty = names[w]
    if code is not None:
        c = int(code)
        return ISet.of(ty * 256 + c)
    return ISet.of(ty * 256, ty * 256 + 255)


def service_words(t: list[str]) -> Svc:
    """``tcp [source OP P] [destination OP P]``, ``tcp eq 80``, ``icmp echo``, ``ip``, ``47``."""
    proto_w = t[0]
    protos = proto_set(proto_w)
    rest = t[1:]
    sport = dport = ALL_PORTS
    if proto_w in ("icmp", "icmp6"):
        names = N.ICMP6_TYPES if proto_w == "icmp6" else N.ICMP_TYPES
        if rest:
            return Svc(protos, ALL_PORTS, icmp_set(rest[0], rest[1] if len(rest) > 1 else None, names))
        return Svc(protos)
    names = _port_names(proto_w)
    while rest:
        if rest[0] == "source":
            sport, rest = port_spec(rest[1:], names)
        elif rest[0] == "destination":
            dport, rest = port_spec(rest[1:], names)
        elif rest[0] in _PORT_OPS:
            dport, rest = port_spec(rest, names)
        else:
            raise ValueError("unexpected '%s'" % rest[0])
    return Svc(protos, sport, dport)


def _port_names(svc_type: str) -> dict[str, int]:
    if svc_type == "udp":
        return N.UDP_PORTS
    if svc_type == "tcp":
        return N.TCP_PORTS
    return _ANY_PORT_NAMES


def _typed_protos(svc_type: str) -> ISet:
    return {"tcp": ISet.of(PROTO_TCP), "udp": ISet.of(PROTO_UDP)}.get(svc_type, TCP_UDP)


def _ipnet(text: str):
    import ipaddress
    return ipaddress.ip_network(text, strict=False)


def _mask_net(addr: str, mask: str) -> ISet:
    return v4_net(addr, mask)


def _prefix_len(mask: str) -> int:
    return v4_mask(mask)


def parse_hms(text: str) -> int:
    """``H:MM:SS`` (or ``H:MM``) -> seconds."""
    parts = [int(p) for p in text.split(":")]
    if len(parts) == 2:
        parts.append(0)
    if len(parts) != 3:
        raise ValueError(text)
    h, m, s = parts
    return h * 3600 + m * 60 + s


def _set_connection_idle(t: list[str]):
    """``set connection timeout ... idle H:MM:SS [reset] [dcd [retry [max]]]`` -> (secs, reset, dcd)."""
    if t[:3] != ["set", "connection", "timeout"]:
        return None
    rest = t[3:]
    key = "idle" if "idle" in rest else ("tcp" if "tcp" in rest else None)
    if key is None:
        return None
    try:
        secs = parse_hms(rest[rest.index(key) + 1])
    except (IndexError, ValueError):
        return "bad"
    return secs, "reset" in rest, "dcd" in rest


def parse(text: str, path: str) -> Config:
    """Parse an ASA running-config into the normalized rule graph."""
    return AsaParser(text, path).build()


def _apply_change(config_text: str, change_text: str, change_path: str, origins: list | None = None) -> str:
    from parsers.cisco_asa_change import apply_change

    return apply_change(config_text, change_text, change_path, origins)


VENDOR = Vendor(
    NAME, 'Cisco ASA',
    'show running-config',
    detect, parse, apply_change=_apply_change)

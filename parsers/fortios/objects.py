"""Address objects, address groups, VIPs and services of one VDOM, as the policies use them.

Each ``edit`` of an object block keeps its settings in order (``set`` replaces, ``append``
adds, ``unset`` clears; a later block editing the same name changes it, as typing it on the
device would).  Resolution follows groups recursively, once per name, and gives
``(sure, maybe)``: the addresses certainly in the object, and those it might also hold
because a part of it is not understood (FQDN, geography, dynamic, a wildcard of too many blocks,
undefined).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import AddressRef, NamedObject
from auditor.core.packets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    EMPTY,
    V4_BASE,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
)
from parsers.fortios.services import (
    ICMP,
    ICMP6,
    PREDEFINED_LOWER,
    SCTP,
    TCP,
    UDP,
    Svc,
    icmp_dport,
    number,
    portrange,
)
from parsers.kit.addr import cidr_set, wildcard_blocks

_MASKS = {((1 << 32) - (1 << (32 - k))) & 0xFFFFFFFF: k for k in range(33)}
_MASK_TEXT = {".".join(str(m >> s & 255) for s in (24, 16, 8, 0)): k for m, k in _MASKS.items()}  # "255.0.0.0": 8


def v4(addr: str, mask: str | None = None) -> ISet:
    """``A.B.C.D M.M.M.M``, ``A.B.C.D/LEN`` or ``A.B.C.D`` -> its block (host bits ignored); ValueError."""
    if mask is None:
        addr, _, plen = addr.partition("/")
        if not plen:
            k = 32
        elif plen.isascii() and plen.isdigit() and int(plen) <= 32:
            k = int(plen)
        elif "." in plen:
            k = _MASKS.get(addr_to_int(plen) - V4_BASE, -1)
        else:
            k = -1
    else:
        k = _MASK_TEXT.get(mask)
        if k is None:
            k = _MASKS.get(addr_to_int(mask) - V4_BASE, -1) if "." in mask else -1
    a = addr_to_int(addr)
    if k < 0 or not V4_BASE <= a <= V4_BASE + 0xFFFFFFFF:
        raise ValueError("'%s %s' is not an IPv4 address and mask" % (addr, mask or ""))
    size = 1 << (32 - k)
    lo = a & ~(size - 1)
    return ISet.of(lo, lo + size - 1)

NONE_V4 = ISet.of(0xFFFF << 32)  # 0.0.0.0/32: FortiOS's predefined "none"

# A wildcard whose free bits above its lowest run of free bits are more than this many would be more than
# 2**MAX_WILDCARD_SPLIT intervals: such an address is reported (unknown) instead of evaluated.
MAX_WILDCARD_SPLIT = 12

# a custom service's protocols that a firewall policy matches by ports; the others (HTTP, FTP, CONNECT, SOCKS-TCP,
# SOCKS-UDP, ALL) are "for web proxy" (FortiOS 6.0 CLI Reference, "firewall service custom",
# https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/398367/firewall-service-custom)
PORT_PROTOCOLS = frozenset(("tcp/udp/sctp", "icmp", "icmp6", "ip"))


def wildcard(addr: str, mask: str) -> ISet:
    """``set wildcard A M`` (type wildcard): the IPv4 addresses whose bits under M's ones equal A's.

    Fortinet, FortiOS Administration Guide, "Wildcard addressing": "A wildcard address consists of an IP
    address and a wildcard netmask ... In a wildcard netmask, zero denotes ignoring the value of the octet
    in the IP address"; the netmask is "a bitmask that is applied to both values (the wildcard base IP
    address and the evaluated IP) before comparing them" (Fortinet Community, "Technical Tip: Wildcard
    addresses usage"): so 10.0.1.0 255.0.255.0 is 10.x.1.y.  Exact: one interval per combination of the free
    (zero) bits above the lowest run of free bits; ValueError past ``MAX_WILDCARD_SPLIT`` such bits."""
    a, m = addr_to_int(addr) - V4_BASE, addr_to_int(mask) - V4_BASE
    if not (0 <= a <= 0xFFFFFFFF and 0 <= m <= 0xFFFFFFFF):
        raise ValueError("'%s %s' is not an IPv4 address and wildcard mask" % (addr, mask))
    got = wildcard_blocks(a, ~m, MAX_WILDCARD_SPLIT)
    if got is None:
        raise ValueError("wildcard mask %s has more than %d scattered free bits (over %d separate blocks)"
                         % (mask, MAX_WILDCARD_SPLIT, 1 << MAX_WILDCARD_SPLIT))
    return got


@dataclass
class Entry:
    """One ``edit NAME`` of an object block: its settings (key -> (args, line indexes))."""

    name: str
    line: int
    kind: str
    settings: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)  # the lines of its 'edit' (one per block that edits it)
    spans: list = field(default_factory=list)  # (first, last) line of each of its 'edit' entries
    history: list = field(default_factory=list)  # (key, first, last line) of a policy's statements but the used ones

    def get(self, key: str, default=None):
        v = self.settings.get(key)
        return v[0] if v is not None else default

    def one(self, key: str, default: str = "") -> str:
        v = self.settings.get(key)
        return v[0][0].lower() if v and v[0] else default

    def at(self, key: str) -> int:
        v = self.settings.get(key)
        return v[1][-1] if v else self.line


def apply(entry: Entry, st, key: str | None = None) -> None:
    """Apply one statement (``set``/``append``/``unset``/``select``/``unselect``) to ``entry`` (``key``: its
    key, lower-cased, when the caller has it)."""
    if key is None:
        key = st.key.lower()
    verb = st.verb
    if verb == "set" or verb == "select":
        entry.settings[key] = (st.args, [st.line])
        return
    old = entry.settings.get(key)
    if verb == "append":
        entry.settings[key] = ((old[0] if old else []) + list(st.args), (old[1] if old else []) + [st.line])
    elif verb == "unselect" and old:
        entry.settings[key] = ([a for a in old[0] if a not in st.args], old[1] + [st.line])
    elif verb in ("unset", "clear", "unselect-all"):
        entry.settings.pop(key, None)
        if key == "icmptype":  # (the code belongs to the type)
            entry.settings.pop("icmpcode", None)


@dataclass(slots=True)
class Resolved:
    sure: ISet
    maybe: ISet
    refs: tuple
    why: tuple  # reasons the object is uncertain


class Book:
    """The objects of one VDOM and their resolution (memoized)."""

    def __init__(self, p):
        self.p = p  # the parser (lines, diagnostics, interfaces)
        self.addr: dict[str, Entry] = {}
        self.addr6: dict[str, Entry] = {}
        self.grp: dict[str, Entry] = {}
        self.grp6: dict[str, Entry] = {}
        self.vip: dict[str, Entry] = {}
        self.vipgrp: dict[str, Entry] = {}
        self.vip6: dict[str, Entry] = {}
        self.svc: dict[str, Entry] = {}
        self.svcgrp: dict[str, Entry] = {}
        self._memo: dict = {}
        self._svc_memo: dict = {}
        self.unknown: dict[int, str] = {}  # line -> why an object's own definition is not understood

    # --- addresses -------------------------------------------------------------------------
    def resolve(self, name: str, family: int, at: int, scope: str, stack: tuple = ()) -> Resolved:
        """The addresses of ``name`` (IPv4 or IPv6 books), reporting undefined names at line ``at``."""
        key = (name.lower(), family)
        got = self._memo.get(key)
        if got is not None:
            return got
        objs, groups = (self.addr, self.grp) if family == 4 else (self.addr6, self.grp6)
        universe = ALL_V4 if family == 4 else ALL_V6
        if name in objs:
            got = self._address(objs[name], family)
        elif name in groups:
            if name in stack:
                got = Resolved(EMPTY, universe, (), ("group %s contains itself" % name,))
            else:
                got = self._group(groups[name], family, scope, stack + (name,))
        elif family == 6 and name in self.vip6:
            # (IPv6 destination NAT is not modelled: what a policy naming a VIP6 matches is unknown; the VIP6's
            # own traffic is unknown by its NAT rule, nat.Vips.vip6_rules)
            got = Resolved(EMPTY, universe, (), ("VIP6 %s (IPv6 destination NAT, not modelled)" % name,))
        elif name.lower() == "all":
            got = Resolved(universe, EMPTY, (), ())
        elif name.lower() == "none":
            got = Resolved(NONE_V4 if family == 4 else EMPTY, EMPTY, (), ())
        else:
            self.p.lines.undefined(name, "address" if family == 4 else "address6", self.p.lines.source(at), scope)
            return Resolved(EMPTY, universe, (), ("undefined address %s" % name,))
        self._memo[key] = got
        return got

    def _address(self, e: Entry, family: int) -> Resolved:
        universe = ALL_V4 if family == 4 else ALL_V6
        tv = e.settings.get("type")
        typ = tv[0][0].lower() if tv and tv[0] else "ipmask" if family == 4 else "ipprefix"
        src = self.p.lines.source
        try:
            if family == 4 and typ == "ipmask":
                sv = e.settings.get("subnet")
                v = sv[0] if sv is not None else ["0.0.0.0", "0.0.0.0"]
                net = v4(v[0], v[1]) if len(v) == 2 else v4(v[0])
                return Resolved(net, EMPTY, _refs(net, src(sv[1][-1] if sv is not None else e.line)), ())
            if family == 6 and typ == "ipprefix":
                v = e.get("ip6", ["::/0"])
                net = cidr_set(v[0], 6)
                return Resolved(net, EMPTY, _refs(net, src(e.at("ip6"))), ())
            if typ == "iprange":
                lo = e.get("start-ip", ["0.0.0.0" if family == 4 else "::"])[0]
                hi = e.get("end-ip", ["0.0.0.0" if family == 4 else "::"])[0]
                net = ISet.of(addr_to_int(lo), addr_to_int(hi)) if family == 4 and ":" not in lo + hi \
                    else cidr_set("%s-%s" % (lo, hi), family)
                if not net:
                    raise ValueError("empty range %s-%s" % (lo, hi))
                return Resolved(net, EMPTY, _refs(net, src(e.at("end-ip"))), ())
            if family == 4 and typ == "wildcard" and e.get("wildcard"):
                v = e.get("wildcard")
                try:
                    net = wildcard(*(v if len(v) == 2 else v[0].partition("/")[::2]))
                except (ValueError, TypeError) as ex:
                    why = "address %s not understood: %s" % (e.name, ex)
                    self.unknown[e.at("wildcard")] = why
                    return Resolved(EMPTY, universe, (), (why,))
                return Resolved(net, EMPTY, _refs(net, src(e.at("wildcard"))), ())
            if typ == "interface-subnet":
                iface = e.get("interface", [""])[0]
                nets = self.p.iface_networks.get(iface)
                mode = self.p.iface_entries[iface].one("mode", "static") if iface in self.p.iface_entries else ""
                if nets is not None and mode in ("dhcp", "pppoe"):
                    # (the network the interface learns is not in the configuration)
                    why = "address %s: interface-subnet of %s, which gets its address by %s" % (
                        e.name, iface, mode.upper())
                    self.unknown[e.at("interface")] = why
                    return Resolved(EMPTY, universe, (), (why,))
                if nets is not None:
                    # the network of the interface's address: a backup writes it in the object ('set subnet', the
                    # primary address's network); whether its secondary networks are in it, no document says
                    primary = self.p.iface_primary.get(iface, EMPTY).intersect(universe)
                    rest = nets.intersect(universe).subtract(primary)
                    if not rest:
                        return Resolved(primary, EMPTY, (), ())
                    why = ("address %s: interface-subnet of %s, whose secondary networks it may or may not cover"
                           % (e.name, iface))
                    self.unknown[e.at("interface")] = why
                    return Resolved(primary, rest, (), (why,))
                why = "address %s: interface-subnet of unknown interface %s" % (e.name, iface)
                self.unknown[e.at("interface")] = why
                return Resolved(EMPTY, universe, (), (why,))
        except (ValueError, IndexError) as ex:
            why = "address %s not understood: %s" % (e.name, ex)
            self.unknown[e.line] = why
            return Resolved(EMPTY, universe, (), (why,))
        why = "address %s is of type %s (its addresses are not in the configuration)" % (e.name, typ)
        self.unknown[e.at("type")] = why
        return Resolved(EMPTY, universe, (), (why,))

    def _group(self, e: Entry, family: int, scope: str, stack: tuple) -> Resolved:
        sures, maybes, refs, why = [], [], [], []
        for m in e.get("member", []):
            r = self._member(m, family, e.at("member"), scope, stack)
            sures.append(r.sure)
            maybes.append(r.maybe)
            refs.extend(r.refs)
            why.extend(r.why)
        sure, maybe = ISet.union_of(sures), ISet.union_of(maybes)  # (once: not a re-sort per member)
        if e.one("exclude") == "enable":
            xss, xms = [], []
            for m in e.get("exclude-member", []):
                r = self._member(m, family, e.at("exclude-member"), scope, stack)
                xss.append(r.sure)
                xms.append(r.maybe)
                why.extend(r.why)
            xs, xm = ISet.union_of(xss), ISet.union_of(xms)
            possible = sure.union(maybe).subtract(xs)
            sure = sure.subtract(xs.union(xm))
            maybe = possible.subtract(sure)
        return Resolved(sure, maybe.subtract(sure), tuple(refs), tuple(why))

    def _member(self, m: str, family: int, at: int, scope: str, stack: tuple) -> Resolved:
        if m in self.vip or m in self.vipgrp:
            return Resolved(EMPTY, ALL_V4, (), ("VIP %s inside an address group" % m,))
        return self.resolve(m, family, at, scope, stack)

    # --- services --------------------------------------------------------------------------
    def service(self, name: str, at: int, scope: str, stack: tuple = ()) -> tuple[list[Svc], list[Svc], tuple]:
        """(sure parts, maybe parts, reasons) of service or service group ``name``."""
        got = self._svc_memo.get(name)
        if got is not None:
            return got
        if name in self.svc:
            got = self._custom(self.svc[name])
        elif name in self.svcgrp:
            if name in stack:
                got = ([], [Svc(ALL_PROTO, ALL_PORTS, ALL_PORTS)], ("service group %s contains itself" % name,))
            else:
                sure, maybe, why = [], [], []
                for m in self.svcgrp[name].get("member", []):
                    s, mb, w = self.service(m, self.svcgrp[name].at("member"), scope, stack + (name,))
                    sure += s
                    maybe += mb
                    why += w
                got = (sure, maybe, tuple(why))
        elif name.lower() in PREDEFINED_LOWER:
            got = (list(PREDEFINED_LOWER[name.lower()]), [], ())
        else:
            self.p.lines.undefined(name, "service", self.p.lines.source(at), scope)
            return [], [Svc(ALL_PROTO, ALL_PORTS, ALL_PORTS)], ("undefined service %s" % name,)
        self._svc_memo[name] = got
        return got

    def _custom(self, e: Entry) -> tuple[list[Svc], list[Svc], tuple]:
        got = self._custom_parts(e)
        if got[2]:
            self.unknown[e.line] = "; ".join(got[2])
        return got

    def _custom_parts(self, e: Entry) -> tuple[list[Svc], list[Svc], tuple]:
        proto = e.one("protocol", "tcp/udp/sctp")
        whole = [Svc(ALL_PROTO, ALL_PORTS, ALL_PORTS)]
        dst = ALL_ADDR
        why: list[str] = []
        if e.get("fqdn"):
            return [], whole, ("service %s is restricted to an FQDN" % e.name,)
        app = e.one("app-service-type", "disable")
        if app not in ("disable", ""):
            # "app-service-type: Application service type ... app-id: Application ID. app-category: Applicatin
            # category" (FortiOS CLI Reference 7.0.9, "config firewall service custom"), with 'application' /
            # 'app-category' IDs: which connections FortiGuard's signatures call those applications, and how that
            # combines with the port ranges, no document says
            return [], whole, ("service %s is an application service (app-service-type %s): which packets it "
                               "matches is not documented" % (e.name, app),)
        if e.get("iprange"):
            try:
                dst = cidr_set(e.get("iprange")[0])
            except ValueError:
                return [], whole, ("service %s: iprange not understood" % e.name,)
            if dst == cidr_set("0.0.0.0"):
                dst = ALL_ADDR
        try:
            if proto == "tcp/udp/sctp":
                parts = []
                for key, num in (("tcp-portrange", TCP), ("udp-portrange", UDP), ("sctp-portrange", SCTP)):
                    parts += portrange(num, e.get(key, []))
                if not parts:
                    return [], [], ("service %s has no port range (FortiOS requires one)" % e.name,)
            elif proto in ("icmp", "icmp6"):
                t, c = e.get("icmptype"), e.get("icmpcode")
                # (each one integer, FortiOS CLI Reference, "config firewall service custom": 'set icmptype
                # {integer}', 'set icmpcode {integer}'; a list, as aerleon writes 'set icmptype 0 3 8', is not
                # one type: what the device keeps of it is not documented)
                for key, v in (("icmptype", t), ("icmpcode", c)):
                    if v and len(v) > 1:
                        raise ValueError("%s takes one value, not '%s'" % (key, " ".join(v)))
                tv = number(t[0]) if t else None
                cv = number(c[0]) if c and tv is not None else None
                if (tv is not None and not 0 <= tv <= 255) or (cv is not None and not 0 <= cv <= 255):
                    raise ValueError("ICMP type/code out of range")
                parts = [Svc(ISet.of(ICMP if proto == "icmp" else ICMP6), ALL_PORTS, icmp_dport(tv, cv))]
            elif proto == "ip":
                v = e.get("protocol-number", ["0"])
                if len(v) != 1:  # ('set protocol-number {integer}', as icmptype)
                    raise ValueError("protocol-number takes one value, not '%s'" % " ".join(v))
                n = number(v[0])
                if not 0 <= n <= 255:
                    raise ValueError("protocol number out of range")
                parts = [Svc(ALL_PROTO if n == 0 else ISet.of(n), ALL_PORTS, ALL_PORTS)]
            else:
                return [], whole, ("service %s is a %s proxy service" % (e.name, proto.upper()),)
        except (ValueError, IndexError) as ex:
            return [], whole, ("service %s not understood: %s" % (e.name, ex),)
        if dst is not ALL_ADDR:
            parts = [Svc(s.proto, s.sport, s.dport, dst) for s in parts]
        return parts, [], tuple(why)

    def service_packets(self, name: str) -> PacketSet:
        """What a service matches over any address (for timeouts and the model's objects)."""
        sure, _m, _w = self._svc_memo.get(name) or self.service(name, self.svc[name].line if name in self.svc else 0,
                                                               "objects")
        return PacketSet([cube(dst=s.dst, proto=s.proto, sport=s.sport, dport=s.dport) for s in sure])

    def named_objects(self) -> tuple[NamedObject, ...]:
        """Every address and service object and group, resolved."""
        out = []
        src = self.p.lines.source
        for fam, objs in ((4, self.addr), (6, self.addr6), (4, self.grp), (6, self.grp6)):
            for name, e in objs.items():
                r = self.resolve(name, fam, e.line, "objects")
                out.append(_named_address(name, src(e.line), r.sure, not r.why))
        for objs in (self.svc, self.svcgrp):
            for name, e in objs.items():
                sure, maybe, why = self.service(name, e.line, "objects")
                ps = PacketSet([cube(dst=s.dst, proto=s.proto, sport=s.sport, dport=s.dport) for s in sure])
                out.append(NamedObject(name, "service", src(e.line), services=ps, complete=not (maybe or why)))
        return tuple(out)


_WHOLE = (ALL_V4.iv, ALL_V6.iv, ALL_ADDR.iv)
_NEW = object.__new__


def _named_address(name: str, source, addresses: ISet, complete: bool) -> NamedObject:
    """``NamedObject(name, "address", source, addresses=addresses, complete=complete)`` made in one step
    (a backup may hold tens of thousands of address objects; the frozen dataclass's field-by-field set-up
    is slower)."""
    o = _NEW(NamedObject)
    object.__setattr__(o, "__dict__", {"name": name, "kind": "address", "source": source, "members": (),
                                       "addresses": addresses, "services": None, "complete": complete})
    return o


def _refs(net: ISet, source) -> tuple:
    if not net.iv or net.iv in _WHOLE:
        return ()
    return (AddressRef(net, source),)


__all__ = ["Book", "Entry", "Resolved", "apply", "v4", "wildcard"]

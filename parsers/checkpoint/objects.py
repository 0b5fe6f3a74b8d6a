"""Check Point objects as packet sets: network objects, services, groups, and what is unknown.

Every value is exact where the export says enough, and says what it does not know otherwise:
an address value is ``(sure, maybe)`` (the object certainly holds ``sure`` and may also hold
``maybe``), a service value is a list of certain ``(protocol, source ports, destination ports)``
triples and a list of possible ones.  Sources (Check Point Management API reference,
https://sc1.checkpoint.com/documents/latest/APIs/ ; the object commands ``show-host``,
``show-network``, ``show-address-range``, ``show-group``, ``show-group-with-exclusion``,
``show-service-tcp``/``-udp``/``-sctp``/``-icmp``/``-icmp6``/``-other``, ``show-service-group``):

* ``host``: ``ipv4-address`` and/or ``ipv6-address``;
* ``network``: ``subnet4``/``mask-length4`` (or ``subnet-mask``), ``subnet6``/``mask-length6``;
  ``broadcast: disallow`` leaves the IPv4 broadcast address out ("Allow broadcast address
  inclusion");
* ``address-range``, ``multicast-address-range``: ``ipv4-address-first``..``-last`` (and v6);
* ``group``: its ``members``, nested groups followed (a cycle is reported);
  ``group-with-exclusion``: ``include`` minus ``except``;
* gateways and clusters: their ``ipv4-address``/``ipv6-address`` and their interfaces' addresses;
* ``CpmiAnyObject`` (``Any``): everything; the one named ``None`` nothing ("Rules with object 'None' will
  never be matched": Management API reference, ``set-policy-settings``, ``none-object-behavior``); a
  ``CpmiAnyObject`` of another name (not ``Any``: ``All``, or a predefined object the export types so) is
  not taken for everything: unknown, reported (``is_any`` takes only ``Any`` as Any);
* objects the gateway resolves at run time (dynamic objects, security zones, DNS domains,
  updatable objects, data-center objects, access roles, ...): unknown (``maybe``);
* ``service-tcp``/``-udp``/``-sctp``: ``port`` and ``source-port`` as Check Point writes them
  (``80``, ``1-1024``, ``>1023``, ``<1024``, ``>=N``, ``<=N``, comma lists);
  ``match-by-protocol-signature: true`` (only traffic recognised as its protocol) is unknown;
  ``session-timeout`` applies when ``use-default-session-timeout`` is false;
* ``service-icmp``/``-icmp6``: ``icmp-type`` and, when given, ``icmp-code``;
* ``service-other``: ``ip-protocol``; a ``match`` INSPECT expression, or an ``action`` one ("Contains an
  INSPECT expression that defines the action to take if a rule containing this service is matched":
  Management API reference, ``add-service-other``), makes it unknown;
* ``service-group``: its members; RPC, DCE-RPC, GTP, Citrix, compound services and
  applications/categories (matched by signatures): unknown.
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.core.model import AddressRef, Impact, Source
from auditor.core.packets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    EMPTY,
    MAX_PORT,
    PROTO_TCP,
    PROTO_UDP,
    V4_BASE,
    ISet,
    addr_to_int,
)
from auditor.core.secrets import redact

PROTO_SCTP = 132
PROTO_ICMP6 = 58
ANY_UID = "97aeb369-9aea-11d5-bd16-0090272ccb30"  # the predefined "Any" (CpmiAnyObject)
ALL_UID = "97aeb368-9aea-11d5-bd16-0090272ccb30"  # "All" (NAT install-on)
NONE_UID = "97aeb36a-9aea-11d5-bd16-0090272ccb30"  # "None" (a CpmiAnyObject too, in the API's replies)
ORIGINAL_UID = "85c0f50f-6d8a-4528-88ab-5fb11d8fe16c"  # "Original" (NAT: not translated)
POLICY_TARGETS_UID = "6c488338-8eec-4103-ad21-cd461ac2c476"
# predefined objects whose uid is the same in every management database (used only when the
# export does not carry them: a reply without its objects-dictionary)
WELL_KNOWN = {
    ANY_UID: ("Any", "CpmiAnyObject"), ALL_UID: ("All", "CpmiAnyObject"), NONE_UID: ("None", "CpmiAnyObject"),
    ORIGINAL_UID: ("Original", "Global"),
    POLICY_TARGETS_UID: ("Policy Targets", "Global"),
    "6c488338-8eec-4103-ad21-cd461ac2c472": ("Accept", "RulebaseAction"),
    "6c488338-8eec-4103-ad21-cd461ac2c473": ("Drop", "RulebaseAction"),
}

GATEWAY_TYPES = frozenset((
    "simple-gateway", "simple-cluster", "CpmiGatewayCluster", "CpmiClusterMember", "checkpoint-host",
    "CpmiHostCkp", "CpmiVsClusterNetobj", "CpmiVsNetobj", "CpmiVsxClusterNetobj", "CpmiVsxNetobj",
    "CpmiVsxClusterMember", "cluster-member", "CpmiGatewayPlain", "CpmiSofawareGateway", "interoperable-device",
    "lsm-gateway", "lsm-cluster", "CpmiGatewayCkp",
))
RUNTIME_TYPES = {  # objects the gateway resolves while it runs
    "dynamic-object": "a dynamic object (its addresses are set on the gateway)",
    "security-zone": "a security zone (which interfaces belong to it is gateway topology, not in the export)",
    "dns-domain": "a DNS domain (resolved by the gateway)",
    "updatable-object": "an updatable object (its addresses come from Check Point's feed)",
    "data-center-object": "a data-center object (its addresses come from the data center)",
    "network-feed": "a network feed (its addresses come from the feed)",
    "access-role": "an access role (users and machines identified at run time)",
    "identity-tag": "an identity tag", "wildcard": "a wildcard object (a non-contiguous mask)",
    "CpmiInternet": "the Internet object (depends on the gateway's topology)",
    "Internet": "the Internet object (depends on the gateway's topology)",
    "group-with-exclusion-of-users": "a user group",
}
SIGNATURE_SERVICES = {
    "service-rpc": "an RPC service (its port comes from the portmapper at run time)",
    "service-dce-rpc": "a DCE-RPC service (its port comes from the endpoint mapper at run time)",
    "service-gtp": "a GTP service", "service-citrix-tcp": "a Citrix application service",
    "service-compound-tcp": "a compound TCP service",
    "application-site": "an application (matched by its signature, on any port)",
    "application-site-category": "an application category (matched by signatures)",
    "application-site-group": "an application group (matched by signatures)",
}

# the keys of the objects modelled exactly (Management API reference, show-<type> replies); any other key
# could change what the object holds: the object is then unknown
_META = frozenset((
    "uid", "name", "type", "domain", "meta-info", "tags", "color", "icon", "comments", "read-only",
    "available-actions", "groups", "customFields", "display-name", "folder", "creator", "last-modifier", "xmlType",
    "domainId", "primaryManagement", "nat-settings",
))
_SERVICE_KEYS = frozenset((
    "aggressive-aging", "keep-connections-open-after-policy-installation", "match-by-protocol-signature",
    "match-for-any", "override-default-settings", "port", "protocol", "session-timeout", "source-port",
    "use-default-session-timeout", "enable-tcp-resource", "sync-connections-on-cluster", "use-delayed-sync",
    "delayed-sync-value", "accept-replies",
))
KNOWN_KEYS = {
    "host": _META | {"interfaces", "subnet4", "subnet6", "mask-length4", "mask-length6", "subnet-mask", "ipv4-address",
                     "ipv6-address", "host-servers"},
    "network": _META | {"subnet4", "subnet6", "broadcast", "mask-length4", "mask-length6", "subnet-mask"},
    "address-range": _META | {"ipv4-address-first", "ipv4-address-last", "ipv6-address-first", "ipv6-address-last"},
    "multicast-address-range": _META | {"ipv4-address-first", "ipv4-address-last", "ipv6-address-first",
                                        "ipv6-address-last"},
    "group": _META | {"members", "ranges"},
    "group-with-exclusion": _META | {"include", "except", "ranges"},
    "service-tcp": _META | _SERVICE_KEYS, "service-udp": _META | _SERVICE_KEYS, "service-sctp": _META | _SERVICE_KEYS,
    "service-icmp": _META | {"icmp-code", "icmp-type", "keep-connections-open-after-policy-installation"},
    "service-icmp6": _META | {"icmp-code", "icmp-type", "keep-connections-open-after-policy-installation"},
    "service-other": _META | _SERVICE_KEYS | {"action", "ip-protocol", "match"},
    "service-group": _META | {"members", "ranges"},
}

ALL_TRIPLE = (ALL_PROTO, ALL_PORTS, ALL_PORTS)
# 169.254.0.0/16 (IPv4) and fe80::/10 (IPv6): the addresses PRN130 looks for
LINK_LOCAL = ISet.of(V4_BASE + (169 << 24 | 254 << 16), V4_BASE + (169 << 24 | 254 << 16 | 0xFFFF)).union(
    ISet.of(0xFE80 << 112, (0xFEC0 << 112) - 1))


class Addr(NamedTuple):
    """A network object's addresses: certainly ``sure``, possibly ``maybe`` too.  (A named tuple, not a
    frozen dataclass: one is made for every object resolved, in a third of the time.)"""

    sure: ISet
    maybe: ISet
    why: tuple = ()
    refs: tuple = ()  # AddressRef of the lines that write addresses


class Svc(NamedTuple):
    """A service's packets (over any address): certain and possible triples, and its timeouts."""

    sure: tuple  # ((proto, sport, dport), ...)
    maybe: tuple = ()
    why: tuple = ()
    timeouts: tuple = ()  # ((triples, seconds, Source, label), ...)
    one_way: tuple = ()  # ((triples, why), ...): services whose replies the gateway does not accept


ANY_ADDR = Addr(ALL_ADDR, EMPTY)
NO_ADDR = Addr(EMPTY, EMPTY)
ANY_SVC = Svc((ALL_TRIPLE,))


def unknown_addr(why: str) -> Addr:
    return Addr(EMPTY, ALL_ADDR, (why,))


def unknown_svc(why: str, triples: tuple = (ALL_TRIPLE,)) -> Svc:
    return Svc((), triples, (why,))


def port_set(text: str) -> ISet:
    """A Check Point port expression (``80``, ``1-1024``, ``>1023``, ``<1024``, ``>=N``, ``<=N``,
    comma lists) as a set of ports; ``ValueError`` when it is not one."""
    out = EMPTY
    parts = [p.strip() for p in str(text).split(",")]
    if not parts or any(not p for p in parts):
        raise ValueError("port '%s' is not a port expression" % text)
    for p in parts:
        if p.startswith(">="):
            s = ISet.of(_port(p[2:]), MAX_PORT)
        elif p.startswith("<="):
            s = ISet.of(0, _port(p[2:]))
        elif p.startswith(">"):
            s = ISet.of(_port(p[1:]) + 1, MAX_PORT)
        elif p.startswith("<"):
            s = ISet.of(0, _port(p[1:]) - 1)
        elif "-" in p:
            a, b = p.split("-", 1)
            lo, hi = _port(a), _port(b)
            if hi < lo:
                raise ValueError("empty port range '%s'" % p)
            s = ISet.of(lo, hi)
        else:
            s = ISet.of(_port(p))
        if not s:
            raise ValueError("port '%s' matches no port" % p)
        out = out.union(s)
    return out


def _port(t: str) -> int:
    t = t.strip()
    if not (t.isascii() and t.isdecimal()) or int(t) > MAX_PORT:  # (ASCII digits only, as the API takes)
        raise ValueError("'%s' is not a port number" % t)
    return int(t)


def _v4_net(subnet: str, length: int) -> ISet:
    a = addr_to_int(subnet)
    if not V4_BASE <= a <= V4_BASE + 0xFFFFFFFF or not 0 <= length <= 32:
        raise ValueError("bad IPv4 network %s/%s" % (subnet, length))
    size = 1 << (32 - length)
    lo = a & ~(size - 1)
    return ISet.of(lo, lo + size - 1)


def _v6_net(subnet: str, length: int) -> ISet:
    if ":" not in subnet or not 0 <= length <= 128:
        raise ValueError("bad IPv6 network %s/%s" % (subnet, length))
    a = addr_to_int(subnet)
    size = 1 << (128 - length)
    lo = a & ~(size - 1)
    return ISet.of(lo, lo + size - 1)


def _mask_len(mask: str) -> int:
    m = addr_to_int(mask) - V4_BASE
    inv = (~m) & 0xFFFFFFFF
    if not 0 <= m <= 0xFFFFFFFF or inv & (inv + 1):
        raise ValueError("bad netmask %s" % mask)
    return 32 - inv.bit_length()


def _text(v) -> str:
    return v.strip() if isinstance(v, str) else ""


def literal_addresses(o: dict, typ: str) -> ISet | None:
    """The addresses a host, network or range object writes; None when it writes none.

    ``ValueError`` for a value that is not an address."""
    out = EMPTY
    found = False
    if typ == "host" or typ in GATEWAY_TYPES:
        for k in ("ipv4-address", "ipv6-address"):
            t = _text(o.get(k))
            if t:
                out, found = out.union(ISet.of(addr_to_int(t))), True
    elif typ == "network":
        s4, s6 = _text(o.get("subnet4")), _text(o.get("subnet6"))
        if s4:
            ml = o.get("mask-length4")
            if not isinstance(ml, int) or isinstance(ml, bool):
                ml = _mask_len(_text(o.get("subnet-mask")))
            net = _v4_net(s4, ml)
            if o.get("broadcast") == "disallow" and ml < 31:
                net = net.subtract(ISet.of(net.hi))
            out, found = out.union(net), True
        if s6:
            ml6 = o.get("mask-length6")
            if not isinstance(ml6, int) or isinstance(ml6, bool):
                raise ValueError("network %s has no mask-length6" % s6)
            out, found = out.union(_v6_net(s6, ml6)), True
    elif typ in ("address-range", "multicast-address-range"):
        for fam in ("4", "6"):
            a, b = _text(o.get("ipv%s-address-first" % fam)), _text(o.get("ipv%s-address-last" % fam))
            if a or b:
                lo, hi = addr_to_int(a), addr_to_int(b)
                if hi < lo:
                    raise ValueError("empty address range %s-%s" % (a, b))
                out, found = out.union(ISet.of(lo, hi)), True
    return out if found else None


class Resolver:
    """Resolves references (uids, names or inline objects) against every object of the inputs.

    ``report(source, why, impact)`` records a CFG300; each missing or unreadable object is
    reported once, at the first line that refers to it.
    """

    def __init__(self, pool: dict, report):
        self.pool = pool  # uid -> ObjRec
        self.by_name = {}
        for rec in pool.values():
            self.by_name.setdefault(rec.name, rec)
        self._report = report
        self._addr: dict = {}
        self._svc: dict = {}
        self._reported: set = set()
        self._busy: set = set()

    # --- references -------------------------------------------------------------------------------
    def lookup(self, ref):
        """(uid, name, type, data, its ObjRec or None) of a reference, or None when unknown."""
        if isinstance(ref, dict):
            uid = ref.get("uid")
            rec = self.pool.get(uid) if isinstance(uid, str) else None
            if rec is not None:
                return rec.uid, rec.name, rec.type, rec.data, rec
            name = ref.get("name")
            rec = self.by_name.get(name) if isinstance(name, str) else None
            if rec is not None and not ref.get("type"):
                return rec.uid, rec.name, rec.type, rec.data, rec
            return (uid if isinstance(uid, str) else name or "?", str(name or uid or "?"), str(ref.get("type") or ""),
                    ref, None)
        if isinstance(ref, str):
            rec = self.pool.get(ref) or self.by_name.get(ref)
            if rec is not None:
                return rec.uid, rec.name, rec.type, rec.data, rec
            if ref in WELL_KNOWN:
                name, typ = WELL_KNOWN[ref]
                return ref, name, typ, {"uid": ref, "name": name, "type": typ}, None
        return None

    def report(self, where, why: str, impact: Impact, scope: str = "") -> None:
        """A CFG300 at ``where``: a Source, or an object (its line is found now)."""
        self._report(where if isinstance(where, Source) else where.source, why, impact, scope)

    def missing(self, ref, where: Source, what: str) -> str:
        key = ref if isinstance(ref, str) else repr(ref)[:60]
        why = "%s %s is not in the input (add the objects export: show-objects details-level full)" % (
            what, redact(str(key)))
        if key not in self._reported:
            self._reported.add(key)
            self.report(where, why, Impact.FILTER)
        return why

    def name_of(self, ref) -> str:
        got = self.lookup(ref)
        return got[1] if got else (ref if isinstance(ref, str) else "?")

    # --- addresses --------------------------------------------------------------------------------------
    def address(self, ref, where: Source) -> Addr:
        if isinstance(ref, str):
            val = self._addr.get(ref)
            if val is not None:
                return val
        got = self.lookup(ref)
        if got is None:
            return unknown_addr(self.missing(ref, where, "network object"))
        uid = got[0]
        val = self._addr.get(uid)
        if val is None:
            if uid in self._busy:
                why = "group %s contains itself" % redact(got[1])
                self.report(got[4] if got[4] is not None else where, why, Impact.FILTER)
                return unknown_addr(why)
            self._busy.add(uid)
            try:
                odd = self._odd_keys(got, where)
                val = unknown_addr(odd) if odd else self._address(got, where)
            finally:
                self._busy.discard(uid)
            self._addr[uid] = val
        return val

    def _address(self, got, where: Source) -> Addr:
        uid, name, typ, o, src = got
        here = src if src is not None else where
        if typ == "CpmiAnyObject":
            if _is_none(name):
                return NO_ADDR
            if uid == ANY_UID or _is_any_name(name):
                return ANY_ADDR
            why = "%s is a predefined object (CpmiAnyObject) other than Any: what it holds is not known" % redact(name)
            self.report(here, why, Impact.FILTER)
            return unknown_addr(why)
        if typ == "group":
            members = o.get("members")
            if not isinstance(members, list):
                why = "group %s lists no members" % redact(name)
                self.report(here, why, Impact.FILTER)
                return unknown_addr(why)
            return self.union([self.address(m, here) for m in members])
        if typ == "group-with-exclusion":
            inc, exc = o.get("include"), o.get("except")
            if inc is None:
                why = "group with exclusion %s has no 'include'" % redact(name)
                self.report(here, why, Impact.FILTER)
                return unknown_addr(why)
            a = self.address(inc, here)
            b = self.address(exc, here) if exc is not None else NO_ADDR
            sure = a.sure.subtract(b.sure.union(b.maybe))
            maybe = a.sure.union(a.maybe).subtract(b.sure).subtract(sure)
            return Addr(sure, maybe, a.why + b.why, a.refs + b.refs)
        if typ in RUNTIME_TYPES:
            if typ == "access-role":
                nets = o.get("networks")
                if isinstance(nets, list) and nets:
                    inner = self.union([self.address(n, here) for n in nets])
                    return Addr(EMPTY, inner.sure.union(inner.maybe), ("access role %s: %s" % (
                        redact(name), RUNTIME_TYPES[typ]),) + inner.why, inner.refs)
            return unknown_addr("%s is %s" % (redact(name), RUNTIME_TYPES[typ]))
        if typ in ("host", "network", "address-range", "multicast-address-range") or typ in GATEWAY_TYPES:
            try:
                addrs = literal_addresses(o, typ)
            except ValueError as e:
                why = "%s %s: %s" % (typ, redact(name), e)
                self.report(here, why, Impact.FILTER)
                return unknown_addr(why)
            sure = addrs or EMPTY
            if typ in GATEWAY_TYPES:
                ifaces = o.get("interfaces")
                if not isinstance(ifaces, list):
                    why = "gateway %s: its interfaces are not in the export" % redact(name)
                    self.report(here, why, Impact.FILTER)
                    return Addr(sure, ALL_ADDR.subtract(sure), (why,), self._refs(o, sure, here))
                for i in ifaces:
                    if isinstance(i, dict):
                        for k in ("ipv4-address", "ipv6-address"):
                            t = _text(i.get(k))
                            if t:
                                try:
                                    sure = sure.union(ISet.of(addr_to_int(t)))
                                except ValueError:
                                    pass
                return Addr(sure, EMPTY, (), self._refs(o, sure, here))
            if addrs is None:
                why = "%s %s has no address" % (typ, redact(name))
                self.report(here, why, Impact.FILTER)
                return unknown_addr(why)
            return Addr(sure, EMPTY, (), self._refs(o, sure, here))
        if typ.startswith("service-") or typ in SIGNATURE_SERVICES:
            why = "%s %s is a service, not a network object" % (typ, redact(name))
            self.report(here, why, Impact.FILTER)
            return unknown_addr(why)
        why = "%s is a '%s' object, not understood as a network object" % (redact(name), redact(typ or "?"))
        self.report(here, why, Impact.FILTER)
        return unknown_addr(why)

    def _refs(self, o: dict, addrs: ISet, here) -> tuple:
        """The ``AddressRef`` of an object's addresses when they may be link-local: what PRN130
        (the one reader of address refs) reports, at the line that writes the address."""
        if not addrs or not addrs.overlaps(LINK_LOCAL):
            return ()
        rec = self.pool.get(o.get("uid")) if isinstance(o.get("uid"), str) else None
        src = rec.keys.get("address") or rec.source if rec is not None else here
        return (AddressRef(addrs, src if isinstance(src, Source) else src.source),)

    def address_refs(self) -> tuple:
        """The lines that write addresses of every network object resolved (once each)."""
        out: dict = {}
        for v in self._addr.values():
            for ref in v.refs:
                out.setdefault((ref.source.path, ref.source.line), ref)
        return tuple(out.values())

    @staticmethod
    def union(vals: list) -> Addr:
        if len(vals) == 1:
            return vals[0]
        # (each union made once: a group of 20,000 members joined one by one re-sorted it each time)
        sure = ISet.union_of(v.sure for v in vals)
        maybe = ISet.union_of(v.maybe for v in vals)
        why = tuple(dict.fromkeys(w for v in vals for w in v.why))
        return Addr(sure, maybe.subtract(sure) if maybe else maybe, why, tuple(r for v in vals for r in v.refs))

    # --- services -----------------------------------------------------------------------------------------
    def service(self, ref, where: Source) -> Svc:
        if isinstance(ref, str):
            val = self._svc.get(ref)
            if val is not None:
                return val
        got = self.lookup(ref)
        if got is None:
            return unknown_svc(self.missing(ref, where, "service"))
        uid = got[0]
        val = self._svc.get(uid)
        if val is None:
            if uid in self._busy:
                why = "service group %s contains itself" % redact(got[1])
                self.report(got[4] if got[4] is not None else where, why, Impact.FILTER)
                return unknown_svc(why)
            self._busy.add(uid)
            try:
                odd = self._odd_keys(got, where)
                val = unknown_svc(odd) if odd else self._service(got, where)
            finally:
                self._busy.discard(uid)
            self._svc[uid] = val
        return val

    def _odd_keys(self, got, where) -> str:
        """Why an exactly modelled object is not understood: keys the API reference does not list ('' if none)."""
        known = KNOWN_KEYS.get(got[2])
        if known is None or known.issuperset(got[3]):  # (the usual object: its keys tested at C speed, no set made)
            return ""
        extra = sorted(got[3].keys() - known)  # (JSON keys are strings: a set difference at C speed)
        why = "%s %s has keys not understood (%s): what it holds is unknown" % (
            got[2], redact(got[1]), ", ".join(redact(str(k)) for k in extra[:4]))
        self.report(got[4] if got[4] is not None else where, why, Impact.FILTER)
        return why

    def _service(self, got, where: Source) -> Svc:
        uid, name, typ, o, src = got
        here = src if src is not None else where
        if typ == "CpmiAnyObject":
            if _is_none(name):
                return Svc(())
            if uid == ANY_UID or _is_any_name(name):
                return ANY_SVC
            why = "%s is a predefined object (CpmiAnyObject) other than Any: what it holds is not known" % redact(name)
            self.report(here, why, Impact.FILTER)
            return unknown_svc(why)
        if typ == "service-group":
            members = o.get("members")
            if not isinstance(members, list):
                why = "service group %s lists no members" % redact(name)
                self.report(here, why, Impact.FILTER)
                return unknown_svc(why)
            vals = [self.service(m, here) for m in members]
            return Svc(tuple(t for v in vals for t in v.sure), tuple(t for v in vals for t in v.maybe),
                       tuple(dict.fromkeys(w for v in vals for w in v.why)),
                       tuple(t for v in vals for t in v.timeouts), tuple(t for v in vals for t in v.one_way))
        if typ in ("service-tcp", "service-udp", "service-sctp"):
            proto = {"service-tcp": PROTO_TCP, "service-udp": PROTO_UDP, "service-sctp": PROTO_SCTP}[typ]
            try:
                dport = port_set(o.get("port", ""))
                sp = o.get("source-port")
                # (absent or "": any source port; anything else is read as a port expression, a number too: an int
                # was taken for "any", a rule of source port 53 for one of every source port)
                sport = ALL_PORTS if sp is None or (isinstance(sp, str) and not sp.strip()) else port_set(sp)
            except ValueError as e:
                why = "%s %s: %s" % (typ, redact(name), e)
                self.report(here, why, Impact.FILTER)
                return unknown_svc(why, ((ISet.of(proto), ALL_PORTS, ALL_PORTS),))
            triple = (ISet.of(proto), sport, dport)
            timeouts = self._timeout(o, (triple,), name, typ, here)
            one_way = _one_way(o, triple, name, typ) if proto != PROTO_TCP else ()
            if o.get("match-by-protocol-signature") is True:
                return Svc((), (triple,), ("%s %s matches only traffic recognised as its protocol (%s)" % (
                    typ, redact(name), redact(str(o.get("protocol") or "?"))),), timeouts, one_way)
            return Svc((triple,), (), (), timeouts, one_way)
        if typ in ("service-icmp", "service-icmp6"):
            proto = 1 if typ == "service-icmp" else PROTO_ICMP6
            t, c = o.get("icmp-type"), o.get("icmp-code")
            if not isinstance(t, int) or isinstance(t, bool) or not 0 <= t <= 255:
                why = "%s %s has no ICMP type" % (typ, redact(name))
                self.report(here, why, Impact.FILTER)
                return unknown_svc(why, ((ISet.of(proto), ALL_PORTS, ALL_PORTS),))
            if isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= 255:
                dport = ISet.of(t * 256 + c)
            else:
                dport = ISet.of(t * 256, t * 256 + 255)
            return Svc(((ISet.of(proto), ALL_PORTS, dport),))
        if typ == "service-other":
            p = o.get("ip-protocol")
            protos = ISet.of(p) if isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 255 else ALL_PROTO
            triple = (protos, ALL_PORTS, ALL_PORTS)
            timeouts = self._timeout(o, (triple,), name, typ, here)
            match, act = o.get("match"), o.get("action")
            if isinstance(match, str) and match.strip():
                return Svc((), (triple,), ("service %s matches by an INSPECT expression" % redact(name),), timeouts)
            if isinstance(act, str) and act.strip():
                return Svc((), (triple,), ("service %s has an INSPECT action (what the gateway does with its "
                                           "connections is not known)" % redact(name),), timeouts)
            if protos is ALL_PROTO:
                why = "service-other %s has no IP protocol" % redact(name)
                self.report(here, why, Impact.FILTER)
                return unknown_svc(why)
            return Svc((triple,), (), (), timeouts, _one_way(o, triple, name, typ) if p != PROTO_TCP else ())
        if typ in SIGNATURE_SERVICES:
            return unknown_svc("%s is %s" % (redact(name), SIGNATURE_SERVICES[typ]))
        why = "%s is a '%s' object, not understood as a service" % (redact(name), redact(typ or "?"))
        self.report(here, why, Impact.FILTER)
        return unknown_svc(why)

    def _timeout(self, o: dict, triples: tuple, name: str, typ: str, here: Source) -> tuple:
        """The service's own session timeout, when it does not use the default."""
        if o.get("use-default-session-timeout") is not False:
            return ()
        secs = o.get("session-timeout")
        rec = self.pool.get(o.get("uid")) if isinstance(o.get("uid"), str) else None
        src = (rec.keys.get("session-timeout") or rec.source) if rec is not None else here
        src = src if isinstance(src, Source) else src.source
        if not isinstance(secs, int) or isinstance(secs, bool) or secs <= 0:
            self.report(src, "session-timeout '%s' of %s %s is not a number of seconds" % (
                redact(str(secs)), typ, redact(name)), Impact.FILTER, "timeouts")
            return ()
        return ((triples, secs, src, "service %s session-timeout %d s" % (redact(name), secs)),)


def _one_way(o: dict, triple: tuple, name: str, typ: str) -> tuple:
    """``((triple, why),)`` when a non-TCP service does not accept replies (``accept-replies: false``).

    Check Point, Quantum Spark R81.10.X Locally Managed Administration Guide, "Managing System Services" (service
    Advanced tab): "Accept replies (relevant for non-TCP services) - When cleared, server to client packets are
    treated as a different connection" (the Management API's ``accept-replies`` of ``service-udp`` and
    ``service-other``): the server's replies are not passed as part of the connection a rule accepts."""
    if o.get("accept-replies") is not False:
        return ()
    return ((triple, "%s %s does not accept replies (accept-replies false): the server's replies are a new "
                     "connection, which other rules decide" % (typ, redact(name))),)


def is_any(resolver: Resolver, ref) -> bool:
    """Whether a cell item is the predefined ``Any``: by its uid, or a ``CpmiAnyObject`` named ``Any``.  Another
    predefined name in a cell (the VPN column's ``All_GwToGw``: "the rule applies to connections between gateways
    of any site-to-site community", not to every connection; sc1.checkpoint.com/documents/R82/WebAdminGuides/EN/
    CP_R82_SecurityManagement_AdminGuide, "The Columns of the Access Control Rule Base", "VPN Column") is not
    taken as ``Any``, whatever type the export gives it."""
    if ref == ANY_UID:
        return True
    got = resolver.lookup(ref)
    return got is not None and got[2] == "CpmiAnyObject" and _is_any_name(got[1])


def _is_any_name(name) -> bool:
    """Whether a ``CpmiAnyObject`` is named ``Any``."""
    return isinstance(name, str) and name.strip().lower() == "any"


def _is_none(name) -> bool:
    """Whether a ``CpmiAnyObject`` is the predefined ``None``, which no packet matches."""
    return isinstance(name, str) and name.strip().lower() == "none"


__all__ = ["ALL_V4", "ANY_ADDR", "ANY_SVC", "Addr", "Resolver", "Svc", "port_set"]

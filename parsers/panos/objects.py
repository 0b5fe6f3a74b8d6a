"""Address, service and application objects, resolved as PAN-OS resolves them.

Names are looked up in the rule's own namespace, then its vsys, then the Panorama-pushed
objects, then ``shared`` (a vsys object hides a shared one of the same name).  Each result
is *certain* and *possible* packets: what the reference certainly stands for, and what it
might (an FQDN object, a dynamic group, an external list, an undefined name: anything).

Addresses (Objects > Addresses): ``ip-netmask`` (an address or CIDR), ``ip-range``
(``a-b``), ``ip-wildcard`` (address/wildcard mask, possibly non-contiguous: its addresses
are exact, but a rule using one is uncertain, since PAN-OS matches such rules by the longest
wildcard prefix unless Wildcard Top Down Match Mode (10.2.1+) is on; "Components of a
Security Policy Rule"), ``fqdn`` (resolved by DNS at run time: unknown). PAN-OS matches an
IPv4 address as the IPv6 address whose first 96 bits are zero ("NAT Policy Overview": "the
set of IPv4 addresses is treated as a subset of the set of IPv6 addresses ... any is
equivalent to ::/0"), so an IPv6 block covering ``::/96`` also matches those IPv4 addresses.
Address groups: ``static`` members (nested, cycles reported), ``dynamic`` (tag filters,
members registered at run time: unknown).

Services (Objects > Services): ``protocol tcp|udp|sctp`` with ``port`` (destination; a list
of ports and ranges) and ``source-port``; ``override yes timeout N`` is a service timeout.
The predefined ``service-http`` (TCP 80, 8080) and ``service-https`` (TCP 443).  Service
groups nest.

Applications: a rule naming applications other than ``any`` matches only traffic App-ID
identifies as one of them, which the configuration cannot tell: such a rule's packets are
*possible*, never certain.  With ``service application-default`` the possible packets are
the applications' default ports: a custom application's come from its ``default``
(``port tcp/80,8080``, ``ident-by-ip-protocol``, ``ident-by-icmp-type``); a predefined
application's are App-ID's, not in the configuration, so any port, except for the few
applications identified by their IP protocol alone (``APP_PROTOCOLS``, from Applipedia).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from auditor.core.model import AddressRef, Impact
from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_PROTO, EMPTY, V4_BASE, V4_MAX, ISet, addr_to_int
from parsers.kit.addr import cidr_set, wildcard_blocks
from parsers.panos.collect import Collector, Def, Space

SVC_ALL = ((ALL_PROTO, ALL_PORTS, ALL_PORTS),)  # every packet (protocol any, every port)
TCP, UDP, SCTP = ISet.of(6), ISet.of(17), ISet.of(132)
PROTOS = {"tcp": TCP, "udp": UDP, "sctp": SCTP}

# predefined services (PAN-OS "Policy Object: Services": "The HTTP and HTTPS services are
# predefined"; their ports as Batfish models them: ServiceBuiltIn.java)
PREDEFINED_SERVICES = {
    "service-http": ((TCP, ALL_PORTS, ISet([(80, 80), (8080, 8080)])),),
    "service-https": ((TCP, ALL_PORTS, ISet.of(443)),),
}

# Palo Alto Networks' built-in IP-address external dynamic lists ("Built-in External Dynamic Lists":
# Bulletproof, High-Risk, Known Malicious, Tor Exit IP addresses; their names as Palo Alto Networks'
# iron-skillet template and pan-os-ansible's panos_security_rule list them): not objects of the
# configuration, their entries come with content updates, so known only at run time
BUILT_IN_EDLS = frozenset(("panw-bulletproof-ip-list", "panw-highrisk-ip-list", "panw-known-ip-list",
                           "panw-torexit-ip-list"))

# predefined applications App-ID identifies by IP protocol alone (Applipedia: ident-by-ip-protocol),
# so a rule naming one can only ever match packets of these protocols
APP_PROTOCOLS = {
    "icmp": ISet.of(1), "ipv6-icmp": ISet.of(58), "ping": ISet([(1, 1), (58, 58)]), "igmp": ISet.of(2),
    "gre": ISet.of(47), "ipsec-esp": ISet.of(50), "ipsec-ah": ISet.of(51), "ospf": ISet.of(89),
    "sctp": ISet.of(132), "vrrp": ISet.of(112), "pim": ISet.of(103), "rsvp": ISet.of(46),
}


class Addr:
    """What an address reference stands for: ``sure`` certainly, ``poss`` possibly (``sure`` within);
    ``refs`` the lines that write its addresses, ``why`` why it is uncertain."""

    __slots__ = ("sure", "poss", "refs", "why")

    def __init__(self, sure: ISet, poss: ISet, refs: tuple = (), why: str = ""):
        self.sure, self.poss, self.refs, self.why = sure, poss, refs, why


ANY_ADDR = Addr(ALL_ADDR, ALL_ADDR)


@dataclass(frozen=True)
class Svc:
    """What a service reference stands for: (protocol, source ports, destination ports) triples."""

    sure: tuple
    poss: tuple
    why: str = ""


@dataclass(frozen=True)
class App:
    """An application reference: the packets it may be (``scope``) and, for
    ``application-default``, its default ports (``default``); ``None`` = any packet."""

    scope: tuple | None
    default: tuple | None
    timeout: tuple | None = None  # (seconds, line) of a custom application's TCP timeout
    why: str = ""


def number(value) -> int:
    """A number as PAN-OS reads it: ASCII decimal digits only (``ValueError`` otherwise, a ``[ ]`` list too).
    Python's ``int()`` also reads '٢٨٨٠٠' (Arabic-Indic) or full-width digits and spaces around them, which
    PAN-OS refuses: a timeout, port, distance or type so written is no value the device holds."""
    if isinstance(value, list):
        raise ValueError("a '[ ]' list is not a number")
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        raise ValueError("'%s' is not a number in ASCII digits" % text)
    return int(text)


def pan_address(text: str) -> ISet:
    """An address, CIDR or range as PAN-OS matches it (``ValueError`` when it is none)."""
    t = text.strip()
    if ":" not in t:
        if "-" not in t:  # the usual a.b.c.d[/n], without ipaddress's overhead
            a, _, plen = t.partition("/")
            base = addr_to_int(a)
            n = number(plen) if plen.isascii() and plen.isdigit() else (32 if not plen else -1)
            if not 0 <= n <= 32 or not V4_BASE <= base <= V4_MAX:
                raise ValueError("'%s' is not an IPv4 address or network" % t)
            size = 1 << (32 - n)
            lo = base & ~(size - 1)
            return ISet.of(lo, lo + size - 1)
        return cidr_set(t, 4)
    out = cidr_set(t, 6)
    # IPv4 addresses are the IPv6 addresses ::0.0.0.0 - ::255.255.255.255 to PAN-OS
    if "-" in t and "/" not in t:
        lo, hi = (int(ipaddress.IPv6Address(x.strip())) for x in t.split("-", 1))
    else:
        net = ipaddress.IPv6Network(t, strict=False)
        lo, hi = int(net.network_address), int(net.broadcast_address)
    if lo <= 0xFFFFFFFF:
        out = out.union(ISet.of(V4_BASE + lo, V4_BASE + min(hi, 0xFFFFFFFF)))
    return out


def wildcard(text: str) -> ISet:
    """``10.1.0.5/0.0.255.0``: the addresses whose cared-for bits equal the address's."""
    addr, _, mask = text.partition("/")
    a = int(ipaddress.IPv4Address(addr.strip()))
    m = int(ipaddress.IPv4Address(mask.strip()))
    got = wildcard_blocks(a, m)  # (the mask's ones are the free bits)
    if got is None:
        raise ValueError("wildcard mask %s spans too many blocks" % mask)
    return got


def port_set(text: str) -> ISet:
    """``80,443,1000-2000`` -> the ports (``ValueError`` when malformed)."""
    out = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        a, b = number(lo.strip()), number(hi.strip()) if hi else number(lo.strip())
        if not 0 <= a <= b <= 65535:
            raise ValueError("bad port range '%s'" % part)
        out.append((a, b))
    if not out:
        raise ValueError("no ports")
    return ISet(out)


class Objects:
    """Resolves names in one chain of namespaces, reporting what it cannot resolve once per line."""

    def __init__(self, col: Collector):
        self.col = col
        self.lines = col.lines
        self._addr: dict = {}
        self._svc: dict = {}
        self._app: dict = {}
        self._visiting: set = set()
        self._reported: set = set()
        self._index: dict = {}

    def chain(self, *names: str) -> tuple[Space, ...]:
        """The namespaces named (vsys names, ``@panorama``, ``@shared``) that exist, in order, once each."""
        out = []
        for n in dict.fromkeys(names):
            sp = self.col.spaces.get(n)
            if sp is not None:
                out.append(sp)
        return tuple(out)

    def find(self, chain: tuple[Space, ...], kinds: tuple[str, ...], name: str) -> tuple[str, Def] | None:
        """The definition ``name`` has among ``kinds`` in the first namespace of ``chain`` that has one."""
        key = (chain, kinds)
        index = self._index.get(key)
        if index is None:  # one dict per chain and kinds: the first namespace, then the first kind, wins
            index = self._index[key] = {}
            for sp in reversed(chain):
                for k in reversed(kinds):
                    for n, d in sp.tables.get(k, {}).items():
                        index[n] = (k, d)
        return index.get(name)

    @staticmethod
    def own_chain(chain: tuple[Space, ...], kind: str, d: Def) -> tuple[Space, ...]:
        """The part of ``chain`` from the namespace that defines ``d`` (a ``kind``), where a group's members
        are looked up: an object is in the scope of its own namespace and those below it ("Device Group
        Objects": a shared object can be referenced by all rules, a device group's only by that group's and
        its descendants'), so a shared group's member is the shared object of its name, never a vsys's."""
        for i, sp in enumerate(chain):
            if sp.tables.get(kind, {}).get(d.name) is d:
                return chain[i:]
        return chain

    def _undefined(self, name: str, kind: str, line: int, scope: str) -> None:
        self.lines.undefined(name, kind, self.lines.source(line), scope)

    def _unsure(self, line: int, why: str, scope: str) -> None:
        key = (line, why)
        if key not in self._reported:
            self._reported.add(key)
            self.lines.unrecognized(self.lines.source(line), why, Impact.FILTER, scope)

    def any_among(self, vals: list, key: str, scope: str) -> bool:
        """Whether a rule's member list ``vals`` of ``key`` names ``any`` beside other members (reported at
        the line of its ``any``).  The web interface offers ``any`` only alone, the CLI refuses such a list
        from PAN-OS 10.1 ("'any' should not be used with another destination", pan-os-php issue #619), yet
        the API and older releases accept it, and no Palo Alto Networks document says how the firewall then
        matches: as ``any`` or as the other members.  The caller takes the other members as certain and
        everything as possible."""
        if len(vals) < 2:
            return False
        for m, line in vals:
            if m == "any":
                self._unsure(line, "%s: its %s names 'any' with other members; whether PAN-OS matches any %s "
                             "or only the others is not documented" % (scope, key, key), scope)
                return True
        return False

    # --- addresses -------------------------------------------------------------------------
    def address(self, chain: tuple[Space, ...], name: str, line: int, scope: str) -> Addr:
        """What the address member ``name`` (written at ``line``) stands for."""
        if name == "any":
            found = self.find(chain, ("address", "address-group"), name)
            return ANY_ADDR if found is None else self._named_any(chain, found, scope)
        key = (chain, name)
        got = self._addr.get(key)
        if got is not None:
            return got
        found = self.find(chain, ("address", "address-group", "external-list", "region"), name)
        if found is None:
            try:
                s = pan_address(name)
            except ValueError:
                s = None
            if s is not None:
                got = Addr(s, s, (AddressRef(s, self.lines.source(line)),))
                self._addr[key] = got
                return got
            if len(name) == 2 and name.isalpha() and name.isupper():
                return Addr(EMPTY, ALL_ADDR, why="region %s (Palo Alto's geolocation data)" % name)
            if name in BUILT_IN_EDLS:
                return Addr(EMPTY, ALL_ADDR, why="built-in external list '%s' (entries known only at run time)" % name)
            self._undefined(name, "address", line, scope)
            return Addr(EMPTY, ALL_ADDR, why="undefined address '%s'" % name)
        got = self._addr[key] = self._found_address(chain, found, scope)
        return got

    def _found_address(self, chain: tuple[Space, ...], found: tuple[str, Def], scope: str) -> Addr:
        kind, d = found
        if kind == "address":
            return self._address_object(d, scope)
        if kind == "address-group":
            return self._group(self.own_chain(chain, kind, d), d, scope)
        return Addr(EMPTY, ALL_ADDR, why="%s '%s' (entries known only at run time)" % (kind, d.name))

    def _named_any(self, chain: tuple[Space, ...], found: tuple[str, Def], scope: str) -> Addr:
        """A rule's ``any`` where an address object or group is named ``any``: the keyword (every address) or
        the object?  Batfish found an address object's name to win over the built-in values an address member
        may be (an object named ``1.2.3.4``: batfish/batfish#2975), but no Palo Alto Networks document says
        whether an object may be named ``any`` or what ``any`` then matches: certain, the object's addresses
        (both readings hold them); possible, every address.  Reported at the object's line."""
        key = (chain, "any")
        got = self._addr.get(key)
        if got is None:
            kind, d = found
            own = self._found_address(chain, found, scope)
            self._unsure(d.line, "%s 'any' is named as PAN-OS's keyword 'any': whether a rule's 'any' matches "
                         "every address or this %s is not documented" % (kind, kind), scope)
            got = self._addr[key] = Addr(own.sure, ALL_ADDR, own.refs, why="'any', also the name of %s 'any'" % kind)
        return got

    def named_any_service(self, chain: tuple[Space, ...], line: int, scope: str) -> Svc | None:
        """A rule's service ``any`` where a service object or group is named ``any`` (``_named_any``): certain,
        the object's packets; possible, every packet.  None where no service is so named."""
        found = self.find(chain, ("service", "service-group"), "any")
        if found is None:
            return None
        kind, d = found
        own = self.service(chain, "any", line, scope)
        self._unsure(d.line, "%s 'any' is named as PAN-OS's keyword 'any': whether a rule's service 'any' matches "
                     "every service or this %s is not documented" % (kind, kind), scope)
        return Svc(own.sure, SVC_ALL, "'any', also the name of %s 'any'" % kind)

    def _address_object(self, d: Def, scope: str) -> Addr:
        for key in ("ip-netmask", "ip-range", "ip-wildcard", "fqdn"):
            value, line = d.last(key)
            if value is None:
                continue
            if key == "fqdn":
                self._unsure(line, "address '%s' is an FQDN: its addresses are resolved by DNS at run time"
                             % d.name, scope)
                return Addr(EMPTY, ALL_ADDR, why="FQDN address '%s'" % d.name)
            try:
                if not isinstance(value, str):
                    raise TypeError("a '[ ]' list, not one value")
                s = wildcard(value) if key == "ip-wildcard" else pan_address(value)
                if key == "ip-range" and "-" not in value:
                    raise ValueError("not a range")
            except (ValueError, TypeError) as e:
                self._unsure(line, "address '%s': %s value '%s' not understood (%s)" % (d.name, key, value, e),
                             scope)
                return Addr(EMPTY, ALL_ADDR, why="address '%s' not understood" % d.name)
            if key == "ip-wildcard":
                # before PAN-OS 10.2.1, and unless Wildcard Top Down Match Mode is enabled, rules with
                # wildcard addresses are not matched top-down (the longest wildcard prefix wins)
                self._unsure(line, "address '%s' is a wildcard address: rules using one are matched by the "
                             "longest wildcard prefix unless Wildcard Top Down Match Mode is on" % d.name, scope)
                return Addr(EMPTY, s, (AddressRef(s, self.lines.source(line)),),
                            why="wildcard address '%s'" % d.name)
            return Addr(s, s, (AddressRef(s, self.lines.source(line)),))
        self._unsure(d.line, "address '%s' has no value" % d.name, scope)
        return Addr(EMPTY, ALL_ADDR, why="address '%s' has no value" % d.name)

    def _group(self, chain: tuple[Space, ...], d: Def, scope: str) -> Addr:
        dyn, dline = d.last("dynamic")
        if dyn is not None:
            self._unsure(dline, "address group '%s' is dynamic: its members are registered at run time" % d.name,
                         scope)
            return Addr(EMPTY, ALL_ADDR, why="dynamic address group '%s'" % d.name)
        mark = ("address-group", id(d))
        if mark in self._visiting:
            return Addr(EMPTY, ALL_ADDR, why="cycle")
        self._visiting.add(mark)
        try:
            sures, posses, refs, why = [], [], [], ""
            for m, line in d.members("static"):
                a = self.address(chain, m, line, scope)
                if a.why == "cycle":
                    self._unsure(line, "address group '%s' contains itself (through '%s')" % (d.name, m), scope)
                    a = Addr(EMPTY, ALL_ADDR, why="address group '%s' contains itself" % d.name)
                sures.append(a.sure)
                posses.append(a.poss)
                refs.extend(a.refs)
                why = why or a.why
            # (each union once: joined member by member, a large group re-sorted it each time; the
            # possible addresses are the certain ones when every member's are)
            sure = ISet.union_of(sures)
            poss = sure if all(p is s for s, p in zip(sures, posses)) else ISet.union_of(posses)
            return Addr(sure, poss, tuple(refs), why)
        finally:
            self._visiting.discard(mark)

    # --- services ----------------------------------------------------------------------------
    def service(self, chain: tuple[Space, ...], name: str, line: int, scope: str) -> Svc:
        """What the service member ``name`` stands for (not ``any``/``application-default``)."""
        key = (chain, name)
        got = self._svc.get(key)
        if got is not None:
            return got
        found = self.find(chain, ("service", "service-group"), name)
        if found is None:
            pre = PREDEFINED_SERVICES.get(name)
            if pre is not None:
                return Svc(pre, pre)
            self._undefined(name, "service", line, scope)
            return Svc((), SVC_ALL, "undefined service '%s'" % name)
        kind, d = found
        if kind == "service":
            got = self._service_object(d, scope)
        else:
            got = self._service_group(self.own_chain(chain, kind, d), d, scope)
        self._svc[key] = got
        return got

    def service_def(self, d: Def) -> dict:
        """A service object's settings: ``proto``, ``port``, ``source-port``, ``override`` (with lines)."""
        out: dict = {}
        for words, line in d.attrs.get("protocol", ()):
            if not words or not isinstance(words[0], str):
                continue
            out["proto"] = (words[0], line)
            k = 1
            while k < len(words):
                key = words[k]
                if key in ("port", "source-port"):
                    out[key] = (words[k + 1] if k + 1 < len(words) else "", line)
                    k += 2
                elif key == "override":
                    rest, at = words[k + 1:], line
                    prev = out.get("override")
                    if prev is not None and rest[:1] == prev[0][:1]:
                        # one override written over several statements (the XML's, and 'show' in set
                        # form: one per timer): its timers joined, the line of its 'timeout' kept
                        at = line if "timeout" in rest else prev[1]
                        rest = prev[0] + rest[1:]
                    out["override"] = (rest, at)
                    break
                else:
                    out.setdefault("unknown", []).append((key, line))
                    break
        return out

    def _service_object(self, d: Def, scope: str) -> Svc:
        spec = self.service_def(d)
        for key, line in spec.get("unknown", ()):
            self._unsure(line, "service '%s': unknown setting '%s'" % (d.name, key), scope)
        proto = spec.get("proto")
        if proto is None or proto[0] not in PROTOS:
            where = proto[1] if proto else d.line
            self._unsure(where, "service '%s': protocol not understood" % d.name, scope)
            return Svc((), SVC_ALL, "service '%s' not understood" % d.name)
        p = PROTOS[proto[0]]
        try:
            if "port" not in spec:
                raise ValueError("no destination port (PAN-OS requires one)")
            dport = port_set(spec["port"][0])
            sport = port_set(spec["source-port"][0]) if "source-port" in spec else ALL_PORTS
        except ValueError as e:
            self._unsure(spec.get("port", proto)[1], "service '%s': %s" % (d.name, e), scope)
            return Svc((), ((p, ALL_PORTS, ALL_PORTS),), "service '%s' not understood" % d.name)
        t = ((p, sport, dport),)
        return Svc(t, t)

    def _service_group(self, chain: tuple[Space, ...], d: Def, scope: str) -> Svc:
        mark = ("service-group", id(d))
        if mark in self._visiting:
            return Svc((), SVC_ALL, "cycle")
        self._visiting.add(mark)
        try:
            sure: list = []
            poss: list = []
            why = ""
            for m, line in d.members("members"):
                s = self.service(chain, m, line, scope)
                if s.why == "cycle":
                    self._unsure(line, "service group '%s' contains itself (through '%s')" % (d.name, m), scope)
                    s = Svc((), SVC_ALL, "service group '%s' contains itself" % d.name)
                sure.extend(s.sure)
                poss.extend(s.poss)
                why = why or s.why
            return Svc(tuple(dict.fromkeys(sure)), tuple(dict.fromkeys(poss)), why)
        finally:
            self._visiting.discard(mark)

    def service_overrides(self, chain: tuple[Space, ...], name: str) -> list[tuple[Def, int, int]]:
        """The service objects under ``name`` (itself or a group's members) that override the
        session timeout: ``(service, seconds, line)``."""
        found = self.find(chain, ("service", "service-group"), name)
        if found is None:
            return []
        kind, d = found
        if kind == "service-group":
            mark = ("ovr", id(d))
            if mark in self._visiting:
                return []
            self._visiting.add(mark)
            own = self.own_chain(chain, kind, d)
            try:
                return [x for m, _ in d.members("members") for x in self.service_overrides(own, m)]
            finally:
                self._visiting.discard(mark)
        ovr = self.service_def(d).get("override")
        if not ovr or not ovr[0] or ovr[0][0] != "yes":
            return []
        words, line = ovr
        # an override without a TCP timeout of its own has the default, 3600 s ("Maintain Custom Timeouts for
        # Data Center Applications": "TCP Timeout ... The value range is 1 - 604800, and the default value is
        # 3600 seconds"), not the global timeout-tcp
        secs: int | None = 3600
        for k in range(1, len(words) - 1):
            if words[k] == "timeout":
                try:
                    secs = number(words[k + 1])
                    if not 1 <= secs <= 604_800:  # (the override's range; PAN-OS refuses 0 and more)
                        raise ValueError(secs)
                except ValueError:
                    # (the service's sessions keep a timeout this cannot tell: the idle-timeout check says so)
                    self._unsure(line, "service '%s': override timeout '%s' not understood" % (d.name, words[k + 1]),
                                 "timeouts")
                    secs = None
        if secs is None:
            return []
        return [(d, secs, line)]

    # --- applications ------------------------------------------------------------------------
    def application(self, chain: tuple[Space, ...], name: str, line: int, scope: str) -> App:
        """What the application member ``name`` may be (not ``any``)."""
        key = (chain, name)
        got = self._app.get(key)
        if got is not None:
            return got
        found = self.find(chain, ("application", "application-group", "application-filter"), name)
        if found is None:
            proto = APP_PROTOCOLS.get(name)
            if proto is not None:
                t = ((proto, ALL_PORTS, ALL_PORTS),)
                got = App(t, t, why="application '%s' (App-ID)" % name)
            else:
                got = App(None, None, why="application '%s' (App-ID decides which traffic it is)" % name)
        else:
            kind, d = found
            if kind == "application":
                got = self._custom_app(d, scope)
            elif kind == "application-group":
                got = self._app_group(self.own_chain(chain, kind, d), d, scope)
            else:
                got = App(None, None, why="application filter '%s'" % name)
        self._app[key] = got
        return got

    def _custom_app(self, d: Def, scope: str) -> App:
        default: list = []
        known = True
        for words, line in d.attrs.get("default", ()):
            try:
                default.extend(_app_default(words))
            except ValueError as e:
                known = False
                self._unsure(line, "application '%s': default %s" % (d.name, e), scope)
        secs = None
        for key in ("tcp-timeout", "timeout"):
            v, line = d.last(key)
            if v is None:
                continue
            try:
                n = number(v)
                if n > 604_800:  # ("Defining Applications": 0-604800 seconds)
                    raise ValueError(n)
            except ValueError:
                self._unsure(line, "application '%s': %s '%s' not understood" % (d.name, key, v), scope)
                break
            if n:  # ("A zero indicates that the default timeout of the application will be used": the
                # 'timeout' for TCP when 'tcp-timeout' is zero, the global timeout-tcp when both are)
                secs = (n, line)
                break
        dflt = tuple(default) if known and default else None
        return App(None, dflt, secs, why="custom application '%s' (identified by its signatures)" % d.name)

    def _app_group(self, chain: tuple[Space, ...], d: Def, scope: str) -> App:
        mark = ("application-group", id(d))
        if mark in self._visiting:
            return App(None, None, why="cycle")
        self._visiting.add(mark)
        try:
            scope_t: list | None = []
            dflt: list | None = []
            why = "application group '%s'" % d.name
            for m, line in d.members("members"):
                a = self.application(chain, m, line, scope) if m != "any" else App(None, None)
                if a.why == "cycle":
                    self._unsure(line, "application group '%s' contains itself" % d.name, scope)
                    a = App(None, None)
                scope_t = None if scope_t is None or a.scope is None else scope_t + list(a.scope)
                dflt = None if dflt is None or a.default is None else dflt + list(a.default)
            return App(None if scope_t is None else tuple(scope_t), None if dflt is None else tuple(dflt), why=why)
        finally:
            self._visiting.discard(mark)


def _app_default(words: list) -> list:
    """A custom application's ``default`` statement -> (protocol, sport, dport) triples."""
    if not words:
        return []
    key = words[0]
    if key == "port":
        vals = words[1] if len(words) > 1 and isinstance(words[1], list) else words[1:2]
        out = []
        for v in vals:
            proto, _, ports = str(v).partition("/")
            if proto not in PROTOS:
                raise ValueError("port '%s' not understood" % v)
            if ports.strip() == "dynamic":
                raise ValueError("port '%s' is chosen at run time" % v)
            out.append((PROTOS[proto], ALL_PORTS, port_set(ports)))
        return out
    if key == "ident-by-ip-protocol" and len(words) > 1:
        n = number(words[1])
        if not 0 <= n <= 255:
            raise ValueError("protocol %s out of range" % n)
        return [(ISet.of(n), ALL_PORTS, ALL_PORTS)]
    if key in ("ident-by-icmp-type", "ident-by-icmp6-type") and len(words) > 2:
        proto = ISet.of(1 if key == "ident-by-icmp-type" else 58)
        if words[1] == "type":
            t = number(words[2])
            if not 0 <= t <= 255:
                raise ValueError("ICMP type %s out of range" % t)
            return [(proto, ALL_PORTS, ISet.of(t * 256, t * 256 + 255))]
        if words[1] == "code":
            return []  # narrows a type given in its own statement: the type's range is kept (a superset)
    raise ValueError("'%s' not understood" % " ".join(map(str, words)))


def named_objects(col: Collector, objs: Objects) -> tuple:
    """Every address and service object and group, resolved in its own namespace (so that a
    problem in one no rule uses is reported too)."""
    from auditor.core.model import NamedObject
    from auditor.core.packets import PacketSet, cube
    from parsers.panos.scan import PANORAMA, SHARED

    out = []
    lines = col.lines
    for sname, sp in col.spaces.items():
        chain = objs.chain(sname, PANORAMA, SHARED) if not sname.startswith("@") else objs.chain(sname, SHARED)
        for kind in ("address", "address-group"):
            for name, d in sp.tables[kind].items():
                a = objs.address(chain, name, d.line, "%s %s" % (kind, name))
                members = tuple(lines.source(ln) for ln in d.lines())
                out.append(NamedObject(name, "address", lines.source(d.line), members, addresses=a.sure,
                                       complete=a.sure == a.poss))
        for kind in ("service", "service-group"):
            for name, d in sp.tables[kind].items():
                s = objs.service(chain, name, d.line, "%s %s" % (kind, name))
                ps = PacketSet([cube(proto=p, sport=q, dport=r) for p, q, r in s.sure])
                members = tuple(lines.source(ln) for ln in d.lines())
                out.append(NamedObject(name, "service", lines.source(d.line), members, services=ps,
                                       complete=s.sure == s.poss))
    return tuple(out)

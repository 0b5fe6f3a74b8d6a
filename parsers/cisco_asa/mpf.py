"""Idle timeouts: ``timeout conn`` and the Modular Policy Framework (class-map, policy-map,
service-policy), as the device combines them.

From the Cisco ASA Series Firewall CLI Configuration Guide, "Service Policy Using the Modular
Policy Framework" and "Connection Settings", and the command reference for
``set connection timeout``:

* "A packet can match only one class map in the policy map for each feature type": the
  first class whose actions include a connection setting (``set connection conn-max``,
  ``set connection timeout ...``: one feature type, "TCP and UDP connection limits and
  timeouts") claims the packet, so an earlier class setting only ``conn-max`` keeps a later
  class's idle timeout from applying (the connection keeps ``timeout conn``);
* "TCP and UDP connection limits and timeouts" are bidirectional on an interface policy: they
  apply to connections entering or leaving through that interface (``Timeout.interfaces``),
  and a global policy applies to every interface;
* "Interface service policies take precedence over the global service policy for a given
  feature": interface policies' classes come first, then the global policy's;
* ``set connection timeout dcd`` (on its own line or with ``idle``) enables dead connection
  detection for the class; ``idle 0:00:00`` is never; a class that sets no idle timeout
  keeps ``timeout conn`` (default 1:00:00).

A class-map's ``match access-list X`` is kept as ``Timeout(permitted_by=X)`` (its ``match`` is
an upper bound, the permits of X): the engine evaluates X.  Beside ``match default-inspection-traffic``
only X's addresses count ("any ports and protocols in the access list are ignored": Cisco ASDM User Guide,
"Default Inspection Traffic"), which the class's ``match`` is written with.  From 8.3 on, X names real
(untranslated) addresses, as an access-group's lists do: "Cisco ASA 5500 Migration to Version
8.3 and Later", "Real IP Addresses in Access List Migration", "Features That Use Real IP
Addresses" lists the "Modular Policy Framework match access-list command"; before 8.3 it names
the addresses as seen on the interface, the form of the inbound access-groups
(``topology._Paths.sees_in``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.core.model import ALL, Action, Filter, Impact, Source, Timeout
from auditor.core.packets import NOTHING, PROTO_TCP, ISet, PacketSet, cube
from parsers.cisco_asa import names as N
from parsers.cisco_asa.services import decimal, parse_hms, port_spec, typed_protos

if TYPE_CHECKING:
    from parsers.cisco_asa.scan import Asa

ASA_DEFAULT_CONN_TIMEOUT = 3600
_CONN_KEYWORDS = frozenset("conn-max embryonic-conn-max per-client-max per-client-embryonic-max "
                           "random-sequence-number decrement-ttl syn-cookie-mss".split())


@dataclass
class PolicyClass:
    """One class of a Layer 3/4 policy-map and its connection settings (feature type 'connection')."""

    name: str
    source: Source
    conn: Source | None = None  # the first 'set connection' line: the class claims the packets
    idle: int | None = None
    idle_src: Source | None = None
    idle_set: bool = False
    dcd: Source | None = None
    reset: bool = False
    bad: list[Source] = field(default_factory=list)
    icmp: Source | None = None  # its 'inspect icmp' line: ICMP connections of the class are bidirectional


# --- the scan ------------------------------------------------------------------------------

def timeout(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``timeout conn H:MM:SS ...``: the idle timeout of every connection no class sets."""
    if "conn" not in toks:
        st.lines.ignore(i, "timers other than the TCP/UDP connection idle timeout", j)
        return
    k = toks.index("conn")
    try:
        secs = parse_hms(toks[k + 1])
    except (IndexError, ValueError):
        st.unrecognized(i, "bad 'timeout conn' value", Impact.FILTER, "timeouts")
        return
    st.timeout_conn = (None if secs == 0 else secs, st.src(i))
    st.lines.use(i, j)


def class_map(st: Asa, toks: list[str], i: int, j: int) -> None:
    """A Layer 3/4 class-map: its match criteria (checked now, resolved when built)."""
    if len(toks) != 2:  # class-map type inspect|regex|management: inspection and to-the-box only
        st.lines.ignore(i, "inspection or management class map (not a Layer 3/4 traffic class)", j)
        return
    st.lines.use(i)
    body = []
    for k in range(i + 1, j):
        t = st.raw[k].split()
        if t[0] == "description":
            st.lines.ignore(k, "description")
            continue
        body.append((t, st.src(k)))
        if _match_form(t):
            st.lines.use(k)
        else:
            st.unrecognized(k, "class-map match not supported", Impact.FILTER, "timeouts")
    st.class_maps[toks[1]] = body


def _match_form(t: list[str]) -> bool:
    if t[:2] in (["match", "any"], ["match", "default-inspection-traffic"]):
        return len(t) == 2
    if t[:2] == ["match", "access-list"]:
        return len(t) == 3
    if t[:2] == ["match", "port"] and len(t) >= 4 and t[2] in ("tcp", "udp", "tcp-udp"):
        try:
            _, rest = port_spec(t[3:], N.TCP_PORTS if t[2] == "tcp" else N.UDP_PORTS if t[2] == "udp" else N.ANY_PORTS)
            return not rest
        except (ValueError, IndexError):
            return False
    return False


def policy_map(st: Asa, toks: list[str], i: int, j: int) -> None:
    """A Layer 3/4 policy-map: its classes and their connection settings, in order."""
    if len(toks) != 2:  # policy-map type inspect|loadbalancing|...: not a Layer 3/4 policy
        st.lines.ignore(i, "inspection policy map (application-layer parameters)", j)
        return
    st.lines.use(i)
    classes: list[PolicyClass] = []
    for k in range(i + 1, j):
        t = st.raw[k].split()
        s = st.src(k)
        indent = len(st.raw[k]) - len(st.raw[k].lstrip())
        if t[0] == "class" and len(t) == 2 and indent <= 1:
            classes.append(PolicyClass(t[1], s))
            st.lines.use(k)
        elif t[0] == "description" and indent <= 1:
            st.lines.ignore(k, "description")
        elif classes and indent > 1:
            state, why = _action(classes[-1], t, s)
            if state == "used":
                st.lines.use(k)
            elif state == "other":
                st.lines.ignore(k, "policy-map action of another feature type (%s)" % why)
            else:
                st.unrecognized(k, why, Impact.FILTER, "timeouts")
        else:
            st.unrecognized(k, "policy-map line outside a class", Impact.FILTER, "timeouts")
    st.policy_maps[toks[1]] = classes


def _action(pc: PolicyClass, t: list[str], s: Source) -> tuple[str, str]:
    """Take one class action: ("used", ""), ("other", its feature type) or ("bad", why)."""
    if t[:2] != ["set", "connection"]:
        if t == ["inspect", "icmp"]:
            pc.icmp = s
            return "used", ""
        if t[0] in N.MPF_OTHER_FEATURES:
            return "other", N.MPF_OTHER_FEATURES[t[0]]
        return "bad", "policy-map action '%s' not supported" % t[0]
    rest = t[2:]
    if rest[:1] == ["advanced-options"]:
        if "tcp-state-bypass" in rest:
            # (the ASA keeps no TCP state for the class's connections: they are not inspected, and their idle
            # timeout is not the class's or 'timeout conn' as modelled: reported, scope timeouts)
            return "bad", "TCP state bypass: the idle timeout of these connections is not modelled"
        return "other", "TCP normalization"
    if pc.conn is None:
        pc.conn = s
    if rest[:1] == ["timeout"]:
        why = _timeouts(pc, rest[1:], s)
        return ("bad", why) if why else ("used", "")
    k = 0
    while k < len(rest):
        if rest[k] not in _CONN_KEYWORDS:
            return "bad", "bad 'set connection' line"
        k += 1
        if k < len(rest) and (decimal(rest[k]) or rest[k] in ("enable", "disable")):
            k += 1
    return ("used", "") if rest else ("bad", "bad 'set connection' line")


def _timeouts(pc: PolicyClass, rest: list[str], s: Source) -> str | None:
    """``set connection timeout [embryonic T] [half-closed T] [idle T [reset]] [dcd [R [N]]]``."""
    if not rest:
        return "bad 'set connection timeout' line"
    k = 0
    try:
        while k < len(rest):
            w = rest[k]
            if w in ("embryonic", "half-closed"):
                parse_hms(rest[k + 1])
                k += 2
            elif w in ("idle", "tcp"):  # ('tcp' is the keyword's name before 8.2(1))
                secs = parse_hms(rest[k + 1])
                pc.idle, pc.idle_src, pc.idle_set = (None if secs == 0 else secs), s, True
                k += 2
                if k < len(rest) and rest[k] == "reset":
                    pc.reset = True
                    k += 1
            elif w == "dcd":
                pc.dcd = s
                k += 1
                if k < len(rest) and ":" in rest[k]:
                    parse_hms(rest[k])
                    k += 1
                    if k < len(rest) and decimal(rest[k]):
                        k += 1
            else:
                return "bad 'set connection timeout' line"
    except (IndexError, ValueError):
        return "bad 'set connection timeout' value"
    return None


def service_policy(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``service-policy NAME global|interface IF``."""
    if len(toks) == 3 and toks[2] == "global":
        st.service_policies.append((toks[1], None, st.src(i)))
    elif len(toks) in (4, 5) and toks[2] == "interface" and toks[4:] in ([], ["fail-close"]):
        st.service_policies.append((toks[1], toks[3], st.src(i)))
    else:
        st.unrecognized(i, "bad service-policy", Impact.FILTER, "timeouts")
        return
    st.lines.use(i, j)


def icmp_inspected(st: Asa) -> tuple[bool, frozenset[str]]:
    """(whether the global policy inspects ICMP, the interfaces whose policy does): 'inspect icmp' in a class of
    a service policy whose class-map may match ICMP (``match any``, ``default-inspection-traffic``, an access
    list, or ``class-default``; not ``match port``).  "For connectionless protocols such as ICMP, however, the
    ASA establishes unidirectional sessions, so you either need access rules to allow ICMP in both directions
    ..., or you need to enable the ICMP inspection engine. The ICMP inspection engine treats ICMP sessions as
    bidirectional connections" (ASA Series Firewall CLI Configuration Guide, "Access Rules for Returning
    Traffic").  An interface's policy inspects the traffic entering and leaving it."""
    glob, ifaces = False, set()
    for pmap, iface, _s in st.service_policies:
        for pc in st.policy_maps.get(pmap, ()):
            body = st.class_maps.get(pc.name, [])
            if pc.icmp is None or any(t[:2] == ["match", "port"] for t, _src in body):
                continue
            if iface is None:
                glob = True
            else:
                ifaces.add(iface)
    return glob, frozenset(ifaces)


# --- building ------------------------------------------------------------------------------

def build(st: Asa, filters: dict[str, Filter]) -> list[Timeout]:
    """The idle timeouts in the order the device applies them, the 'timeout conn' default last."""
    if st.timeout_conn is not None:
        conn_secs, conn_src = st.timeout_conn
        conn_label = "timeout conn"
    else:
        conn_secs, conn_src = ASA_DEFAULT_CONN_TIMEOUT, None
        conn_label = "ASA default 'timeout conn 1:00:00' (no timeout conn line)"
    out: list[Timeout] = []
    by_iface: list[tuple[str, Source, list[Timeout]]] = []
    reported: set[Source] = set()  # ('match default-inspection-traffic' lines reported)
    sees = "sent" if st.pre83 else "routed"  # (the form of an access-group's list: topology._Paths)
    # interface policies take precedence over the global one, feature by feature
    for pmap, iface, s in sorted(st.service_policies, key=lambda x: x[1] is None):
        classes = st.policy_maps.get(pmap)
        if classes is None:
            st.lines.undefined(pmap, "policy-map", s, "timeouts")
            continue
        mine = []
        for pc in classes:
            if pc.conn is None:
                continue  # no connection setting: another class may still claim the packet
            match, acl, dit = _class_match(st, pc, filters)
            if dit is not None and dit not in reported:
                reported.add(dit)
                st.unrecognized(dit, "'match default-inspection-traffic' in a class setting connection timeouts: "
                                     "only the ports of the default inspection table are modelled; the class also "
                                     "matches Instant Messaging ports ('varies by client'), IP Options traffic and "
                                     "the ports of inspection engines of other releases", Impact.FILTER, "timeouts")
            label = "policy-map %s class %s" % (pmap, pc.name)
            if pc.idle_set:
                secs, src = pc.idle, pc.idle_src
            else:
                secs, src = conn_secs, pc.dcd or pc.conn
                label += " (sets no idle timeout: %s applies)" % (
                    "'timeout conn'" if conn_src else "the 1:00:00 default")
            mine.append(Timeout(match, secs, src, dcd=pc.dcd is not None, reset=pc.reset,
                                interfaces=(iface,) if iface else (), label=label, permitted_by=acl,
                                sees=sees))
        if iface is not None:
            by_iface.append((iface, s, mine))
        out.extend(mine)
    _overlapping_interfaces(st, by_iface)
    tcp = PacketSet([cube(proto=ISet.of(PROTO_TCP))])
    out.append(Timeout(tcp, conn_secs, conn_src, label=conn_label, default=True))
    return out


def _class_match(st: Asa, pc: PolicyClass, filters: dict[str, Filter]) -> tuple[PacketSet, str, Source | None]:
    """What a class matches: a packet set, for 'match access-list X' X (evaluated by the engine), and the
    line of its 'match default-inspection-traffic' if any."""
    if pc.name == "class-default":
        return ALL, "", None
    body = st.class_maps.get(pc.name)
    if body is None:
        st.lines.undefined(pc.name, "class-map", pc.source, "timeouts")
        return NOTHING, "", None
    match, acl, dit = ALL, "", None
    for t, ms in body:
        if t[:2] == ["match", "any"]:
            continue
        if t[:2] == ["match", "access-list"] and len(t) == 3:
            if t[2] not in filters:
                st.lines.undefined(t[2], "access-list", ms, "timeouts")
                return NOTHING, "", None
            acl = t[2]
        elif t[:2] == ["match", "default-inspection-traffic"]:
            dit = ms
            match = match.intersect(PacketSet([cube(proto=ISet.of(p), dport=ISet.of(lo, hi))
                                               for p, lo, hi in N.DEFAULT_INSPECTION]))
        elif t[:2] == ["match", "port"] and _match_form(t):
            names = N.TCP_PORTS if t[2] == "tcp" else N.UDP_PORTS if t[2] == "udp" else N.ANY_PORTS
            ports, _ = port_spec(t[3:], names)
            match = match.intersect(PacketSet([cube(proto=typed_protos(t[2]), dport=ports)]))
        else:
            return NOTHING, "", None  # (reported when scanned: the verdict notes it)
    if acl and dit is not None:
        # "Because the Default Inspection Traffic class specifies the ports and protocols to match, any ports
        # and protocols in the access list are ignored": the list narrows the addresses only
        return match.intersect(_addresses_permitted(filters[acl])), "", dit
    if acl:
        match = match.intersect(_permits(filters[acl]))
    return match, acl, dit


def _permits(f: Filter) -> PacketSet:
    """An upper bound of what a filter permits: its permit rules' packets (the engine is exact)."""
    return PacketSet.of_cubes([c for r in f.rules if r.enabled and r.action is Action.PERMIT
                               for c in r.match.cubes + r.maybe.cubes])


def _addresses_permitted(f: Filter) -> PacketSet:
    """What a filter permits when only its entries' addresses count (first match; an upper bound where an
    entry may or may not match)."""
    out, rest = NOTHING, ALL
    for r in f.rules:
        if not r.enabled:
            continue
        sure = PacketSet([cube(src=c.dims[0], dst=c.dims[1]) for c in r.match.cubes])
        if r.action is Action.PERMIT:
            out = out.union(rest.intersect(sure.union(PacketSet([cube(src=c.dims[0], dst=c.dims[1])
                                                                 for c in r.maybe.cubes]))))
        rest = rest.subtract(sure)
    return out


def _overlapping_interfaces(st: Asa, by_iface: list) -> None:
    """Two interfaces' policies setting timeouts for the same traffic: the device applies the one
    of the interface the connection enters; a static order cannot say which, so it is reported."""
    for k, (a, _sa, ta) in enumerate(by_iface):
        for b, sb, tb in by_iface[k + 1:]:
            if a != b and any(x.match.overlaps(y.match) for x in ta for y in tb):
                st.unrecognized(sb, "the service policies of interfaces %s and %s both set connection timeouts for "
                                    "some traffic: which applies depends on the direction of each connection "
                                    "(not modelled)" % (a, b), Impact.FILTER, "timeouts")

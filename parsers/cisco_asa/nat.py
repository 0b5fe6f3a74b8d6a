"""Address translation: 8.3+ object NAT and twice NAT, and the pre-8.3 static/nat/global.

From the Cisco ASA Series Firewall CLI Configuration Guide, "Network Address Translation
(NAT)": "NAT Rule Order" and "NAT Basics", and the command reference for ``nat``:

* 8.3 and later: one table in three sections, first match: section 1 twice NAT in the order
  written (``line N`` inserts), section 2 network object NAT (static rules before dynamic;
  then fewer real addresses first, then the lower address, then the object name), section 3
  twice NAT written ``after-auto``.
* A static rule is bidirectional: traffic from the real interface has its real source
  translated to the mapped one as it leaves through the mapped interface (post-routing), and
  traffic arriving on the mapped interface for a mapped address is untranslated to the real
  one before the route lookup and the access lists (pre-routing): from 8.3 on "the ACL uses
  the real IP address".  Dynamic NAT and PAT translate sources only, for connections started
  from the real side.  Twice NAT's ``destination static MAPPED REAL`` untranslates the
  destination of forward traffic (and translates the source of the reverse).
* Object NAT matches a packet's source and destination separately, so a source translation
  and a destination untranslation may come from two rules; a twice NAT rule decides both.
* Before 8.3 (``static``, ``nat``/``global``): NAT exemption (``nat 0 access-list``) first,
  then ``static`` in order, then policy dynamic NAT, then regular dynamic NAT by best match
  (longest real prefix); access lists are written on the addresses as seen on the interface
  (``topology``).

The model: ``Config.nat`` holds a pre-routing table (untranslations) and a post-routing table
(translations), each in the device's order, first match.  A static mapping is an offset
(``Rewrite(dim, offset)``: host to host, block to block of one size), a dynamic one a pool.
What cannot be modelled (policy NAT on an access list, twice NAT service translation, blocks of
different sizes) is reported (CFG300) and kept as a rule whose ``maybe`` is every packet it
could translate: the engine answers ``unknown`` there, never ``pass``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from auditor.core.model import Action, Filter, Impact, Interface, Nat, NatRule, Rewrite, Route, Source
from auditor.core.packets import (
    ALL_ADDR,
    ALL_PORTS,
    ALL_V4,
    EMPTY,
    NOTHING,
    Cube,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
    v4_net,
)
from auditor.core.routing import regions
from parsers.cisco_asa import names as N
from parsers.cisco_asa.objects import addr_text, resolve_net
from parsers.cisco_asa.services import decimal, port_value, proto_set
from parsers.cisco_asa.topology import own_addresses

if TYPE_CHECKING:
    from parsers.cisco_asa.scan import Asa

_FLAGS = frozenset(("dns", "no-proxy-arp", "route-lookup", "net-to-net", "unidirectional", "inactive",
                    "norandomseq", "nailed", "extended", "flat", "include-reserve", "round-robin",
                    "block-allocation"))
SRC, DST, SPORT, DPORT = 0, 1, 3, 4


class NatError(ValueError):
    """A NAT line that cannot be modelled (the message says why)."""


@dataclass
class NatStatements:
    """The NAT lines met by the scan, built once objects and interfaces are known."""

    twice: list = field(default_factory=list)  # 8.3+ 'nat (...) source ...': (tokens, index)
    old_nat: list = field(default_factory=list)  # pre-8.3 'nat (ifc) ID ...'
    statics: list = field(default_factory=list)  # pre-8.3 'static (...) ...'
    globals_: list = field(default_factory=list)  # pre-8.3 'global (ifc) ID ...'
    nat_control: Source | None = None

    @property
    def old_style(self) -> bool:
        return bool(self.old_nat or self.statics or self.globals_)

    @property
    def new_style(self) -> bool:
        return bool(self.twice)


@dataclass
class Spec:
    """One NAT rule, resolved: what it matches and how it translates."""

    source: Source
    label: str
    real_if: str | None
    mapped_if: str | None
    kind: str  # static | dynamic
    src_real: ISet
    src_mapped: ISet | None  # static: the mapped block; dynamic: the pool
    pat: bool = False
    dst_mapped: ISet | None = None  # twice NAT 'destination static MAPPED REAL'
    dst_real: ISet | None = None
    proto: ISet | None = None  # static PAT: protocol and ports
    real_port: int | None = None
    mapped_port: int | None = None
    bidirectional: bool = True
    twice: bool = False
    match: PacketSet | None = None  # pre-8.3 NAT exemption: the packets its access list permits
    route_lookup: bool = False  # 'route-lookup': the routing table, not the rule, picks the egress
    proxy_arp: bool = True  # 'no-proxy-arp': the ASA does not answer ARP for the mapped addresses


# --- the scan ------------------------------------------------------------------------------

def nat_line(st: Asa, toks: list[str], i: int, j: int) -> None:
    """A top-level ``nat`` line: 8.3+ twice NAT, or pre-8.3 ``nat (ifc) ID ...``."""
    st.lines.use(i, j)
    if len(toks) >= 3 and toks[1].startswith("(") and "," not in toks[1]:
        st.nat.old_nat.append((toks, i))  # pre-8.3: nat (ifc) ID ...
    else:
        st.nat.twice.append((toks, i))


def static_line(st: Asa, toks: list[str], i: int, j: int) -> None:
    """A pre-8.3 ``static (real,mapped) ...`` line."""
    st.lines.use(i, j)
    st.nat.statics.append((toks, i))


def global_line(st: Asa, toks: list[str], i: int, j: int) -> None:
    """A pre-8.3 ``global (ifc) ID ...`` pool."""
    st.lines.use(i, j)
    st.nat.globals_.append((toks, i))


def nat_control(st: Asa, toks: list[str], i: int, j: int) -> None:
    """Pre-8.3 ``nat-control``: traffic without a NAT rule is dropped (not modelled: reported)."""
    # pre-8.3: traffic from a higher to a lower level without a NAT rule is dropped
    st.unrecognized(i, "nat-control (traffic without a matching NAT rule is dropped) is not modelled")


# --- building ------------------------------------------------------------------------------

def build(st: Asa, filters: dict[str, Filter], interfaces: Sequence[Interface] = (),
          routes: Sequence[Route] = ()) -> tuple[Nat, ...]:
    """The pre-routing and post-routing NAT tables, in the device's order (``interfaces`` and
    ``routes``: the routing table, for the egress interface an 8.3+ rule chooses itself)."""
    reach: dict[str, ISet] | None = None  # (the routing table's regions: made for the first 8.3+ rule, ``_diverted``)
    routed = EMPTY  # (their union)
    specs: list[Spec | tuple[Source, str, PacketSet]] = []  # (source, why, maybe) for what is not modelled
    if st.pre83:
        for _toks, i in st.nat.twice:
            st.unrecognized(i, "8.3+ NAT syntax in a configuration before 8.3", Impact.FILTER, "nat")
        for d in st.objects.values():
            for _toks, i in d.nat:
                st.unrecognized(i, "8.3+ object NAT in a configuration before 8.3", Impact.FILTER, "nat")
        specs = _old_specs(st, filters)
    else:
        for _toks, i in st.nat.old_nat + st.nat.statics + st.nat.globals_:
            st.unrecognized(i, "pre-8.3 NAT syntax in an 8.3+ configuration (the device rejects it)",
                            Impact.FILTER, "nat")
        specs = _new_specs(st)
    pre: list[NatRule] = []
    post: list[NatRule] = []
    for sp in specs:
        if isinstance(sp, tuple):
            s, why, maybe = sp
            st.unrecognized(s, "NAT rule not modelled (%s): the traffic it may translate is unknown" % why,
                            Impact.FILTER, "nat")
            rule = NatRule(NOTHING, (), s, maybe=maybe, label="not modelled")
            pre.append(rule)
            post.append(rule)
            continue
        try:
            a, b = _rules(st, sp)
            if not st.pre83:
                if reach is None:
                    reach = regions(((i.name, i.networks) for i in interfaces),
                                    [r for r in routes if r.next_table is None])
                    routed = ISet.union_of(reach.values())
                a = _diverted(st, sp, a, reach, routed)
            if not sp.proxy_arp or st.noproxyarp:
                a = _no_proxy_arp(st, sp, a, interfaces)
        except NatError as e:
            st.unrecognized(sp.source, "NAT rule not modelled (%s): the traffic it may translate is unknown" % e,
                            Impact.FILTER, "nat")
            rule = NatRule(NOTHING, (), sp.source, maybe=_bound(sp), label="not modelled")
            a, b = [rule], [rule]
        pre.extend(a)
        post.extend(b)
    out = []
    if pre:
        out.append(Nat("untranslate (pre-routing)", tuple(pre), "pre-routing"))
    if post:
        # 8.3+: the NAT reverse-path check ("rpf-check" in packet-tracer, syslog %ASA-5-305013 "Asymmetric NAT rules
        # matched for forward and reverse flows"): the reply must match the rule the first packet matched.  Before
        # 8.3 the NAT model is another (nat-control, nat 0): not modelled here
        out.append(Nat("translate (post-routing)", tuple(post), "post-routing", rpf_check=not st.pre83))
    return tuple(out)


def _bound(sp: Spec) -> PacketSet:
    """Every packet a rule could translate, in either direction."""
    fwd = cube(src=sp.src_real or ALL_ADDR, dst=sp.dst_mapped if sp.dst_mapped else ALL_ADDR)
    rev = cube(dst=sp.src_mapped if sp.src_mapped else ALL_ADDR)
    return PacketSet([fwd, rev])


def _ifs(name: str | None) -> tuple[str, ...]:
    return (name,) if name else ()


def _static_rewrite(dim: int, real: ISet, mapped: ISet) -> tuple[Rewrite, ...]:
    """real -> mapped, one to one: an offset (no rewrite when they are the same block)."""
    if real == mapped:
        return ()
    if len(real.iv) != 1 or len(mapped.iv) != 1 or real.size() != mapped.size():
        raise NatError("static mapping between blocks of different sizes or shapes")
    return (Rewrite(dim, offset=mapped.lo - real.lo),)


def _rules(st: Asa, sp: Spec) -> tuple[list[NatRule], list[NatRule]]:
    """A rule's untranslations (pre-routing) and translations (post-routing)."""
    pre: list[NatRule] = []
    post: list[NatRule] = []
    any_dst = ALL_ADDR
    if sp.match is not None:  # pre-8.3 NAT exemption: identity both ways for what the ACL permits
        post.append(NatRule(sp.match, (), sp.source, ingress=_ifs(sp.real_if), label=sp.label))
        pre.append(NatRule(_swap(sp.match), (), sp.source, label=sp.label))
        return pre, post
    for a, b in ((sp.src_real, sp.src_mapped), (sp.dst_mapped, sp.dst_real)):
        if a and b and ALL_ADDR not in (a, b) and a.issubset(ALL_V4) != b.issubset(ALL_V4):
            # NAT46/NAT64 (configuration guide, "NAT and IPv6": an IPv4 address is embedded in the IPv6
            # prefix, and the packet's other address must be translated too): not an offset
            raise NatError("translation between IPv4 and IPv6 (NAT46/NAT64) is not modelled")
    ports_fwd = {}
    ports_rev = {}
    port_fwd: tuple[Rewrite, ...] = ()
    port_rev: tuple[Rewrite, ...] = ()
    if sp.proto is not None:
        ports_fwd = {"proto": sp.proto, "sport": ISet.of(sp.real_port)}
        ports_rev = {"proto": sp.proto, "dport": ISet.of(sp.mapped_port)}
        if sp.real_port != sp.mapped_port:
            port_fwd = (Rewrite(SPORT, offset=sp.mapped_port - sp.real_port),)
            port_rev = (Rewrite(DPORT, offset=sp.real_port - sp.mapped_port),)
    # forward: from the real side
    if sp.dst_mapped is not None:
        pre.append(NatRule(PacketSet([cube(src=sp.src_real, dst=sp.dst_mapped, **ports_fwd)]),
                           _static_rewrite(DST, sp.dst_mapped, sp.dst_real), sp.source,
                           ingress=_ifs(sp.real_if), label=sp.label))
    if sp.kind == "static":
        src_rw = _static_rewrite(SRC, sp.src_real, sp.src_mapped)
    else:
        src_rw = (Rewrite(SRC, pool=sp.src_mapped),) + ((Rewrite(SPORT, pool=ALL_PORTS),) if sp.pat else ())
    # (a twice NAT rule matches the source and the destination as sent together: with a destination, the source
    # translation is for the packets its destination untranslation matched: ``NatRule.paired``)
    post.append(NatRule(PacketSet([cube(src=sp.src_real, dst=sp.dst_real or any_dst, **ports_fwd)]),
                        src_rw + port_fwd, sp.source, ingress=_ifs(sp.real_if), egress=_ifs(sp.mapped_if),
                        label=sp.label, paired=sp.dst_mapped is not None))
    # reverse: to the mapped address, from the mapped side (static rules only)
    if sp.kind == "static" and sp.bidirectional:
        src = sp.dst_real if sp.dst_real is not None else any_dst
        pre.append(NatRule(PacketSet([cube(src=src, dst=sp.src_mapped, **ports_rev)]),
                           _static_rewrite(DST, sp.src_mapped, sp.src_real) + port_rev, sp.source,
                           ingress=_ifs(sp.mapped_if), label=sp.label))
        if sp.twice:
            rw = _static_rewrite(SRC, sp.dst_real, sp.dst_mapped) if sp.dst_real is not None else ()
            # (only for the packets sent to its mapped source, which the rule untranslated above: one sent to the
            # real address itself does not match the rule; ``NatRule.paired``)
            post.append(NatRule(PacketSet([cube(src=src, dst=sp.src_real)]), rw, sp.source,
                                ingress=_ifs(sp.mapped_if), egress=_ifs(sp.real_if), label=sp.label, paired=True))
    return pre, post


def _diverted(st: Asa, sp: Spec, pre: list[NatRule], reach: dict[str, ISet], routed: ISet) -> list[NatRule]:
    """Untranslations whose egress the rule's own interface chooses, where the routing table would
    send the real address elsewhere: not modelled (the engine routes by the table), so unknown.

    Cisco ASA Series Firewall CLI Configuration Guide, "Determining the Egress Interface": routed
    mode, "You configure the interface in the NAT rule—The ASA uses the NAT rule to determine the
    egress interface" unless ``route-lookup`` is given (identity NAT; in 8.3(1)-8.4(1) identity NAT
    always used a route lookup); no interface in the rule: a route lookup.  ``pre[i].egress`` is not
    set on these rules: the interface is the one the untranslated destination is sent to.  ``routed``:
    the union of ``reach``.
    """
    if sp.route_lookup:
        return pre
    out = []
    for r in pre:
        # the reverse untranslation (to the mapped source) goes to the real interface; twice NAT's
        # forward destination untranslation (from the real interface) to the mapped interface
        to = sp.mapped_if if r.ingress == _ifs(sp.real_if) and sp.dst_mapped is not None else sp.real_if
        if to is None or not r.match:
            out.append(r)
            continue
        off = sum(rw.offset for rw in r.rewrites if rw.dim == DST and rw.pool is None)
        elsewhere = routed.subtract(reach.get(to, EMPTY))
        bad_cubes = []
        for c in r.match.cubes:
            real = ISet([(lo + off, hi + off) for lo, hi in c.dims[DST].iv])
            bad = real.intersect(elsewhere)
            if bad:
                dims = list(c.dims)
                dims[DST] = ISet([(lo - off, hi - off) for lo, hi in bad.iv])
                bad_cubes.append(Cube.from_dims(dims))
        if not bad_cubes:
            out.append(r)
            continue
        bad_ps = PacketSet.of_cubes(bad_cubes)
        st.unrecognized(sp.source, "NAT rule sends untranslated packets out its interface '%s' while the "
                        "routing table sends some of those real addresses through another interface (no "
                        "'route-lookup'): where they go is not modelled, the traffic is unknown" % to,
                        Impact.FILTER, "nat")
        out.append(NatRule(r.match.subtract(bad_ps), r.rewrites, r.source, r.ingress, r.egress,
                           r.maybe.union(bad_ps) if r.maybe else bad_ps, r.label))
    return out


def _no_proxy_arp(st: Asa, sp: Spec, pre: list[NatRule], interfaces: Sequence[Interface]) -> list[NatRule]:
    """Untranslations of a rule to mapped addresses on a network connected to the interface they arrive
    on, where the ASA does not answer ARP for them (the rule's ``no-proxy-arp``, or ``sysopt noproxyarp``
    on that interface): whether such packets reach the ASA at all is not in its configuration.

    Cisco ASA Series Firewall CLI Configuration Guide, "NAT Examples and Reference", "Mapped Addresses
    and Routing": "If you use addresses on the same network as the mapped interface, the ASA uses proxy
    ARP to answer any ARP requests for the mapped addresses, thus intercepting traffic destined for a
    mapped address"; "You can also disable proxy ARP for regular static NAT if desired, in which case
    you need to be sure to have proper routes on the upstream router."  A neighbour on that network
    ARPs for the mapped address and, without an answer (or a static route or ARP entry of its own),
    never sends it to the ASA: unknown, never a pass.  Identity NAT (no rewrite) is left as it is: the
    packet is routed as if there were no rule.
    """
    own = own_addresses(st) or EMPTY
    nets = {i.name: i.networks for i in interfaces}
    # (the interfaces where the ASA does not answer for this rule's mapped addresses)
    off = set(nets) if not sp.proxy_arp else set(st.noproxyarp)
    out = []
    hit: set[str] = set()  # (the interfaces on whose networks some mapped addresses are)
    for r in pre:
        if not any(rw.dim == DST for rw in r.rewrites) or not r.match:
            out.append(r)
            continue
        onlink = EMPTY
        for n in r.ingress or nets:
            if n in off and r.match.overlaps(PacketSet([cube(dst=nets.get(n, EMPTY).subtract(own))])):
                onlink = onlink.union(nets[n])
                hit.add(n)
        bad = r.match.intersect(PacketSet([cube(dst=onlink.subtract(own))])) if onlink else NOTHING
        if not bad:
            out.append(r)
            continue
        out.append(NatRule(r.match.subtract(bad), r.rewrites, r.source, r.ingress, r.egress,
                           r.maybe.union(bad) if r.maybe else bad, r.label))
    if any(a is not b for a, b in zip(out, pre)):  # (once for the line, however many translations changed)
        why = "'no-proxy-arp'" if not sp.proxy_arp else ", ".join(
            "'sysopt noproxyarp %s' (line %d)" % (n, st.noproxyarp[n].line) for n in sorted(hit))
        st.unrecognized(sp.source, "%s: the ASA does not answer ARP for mapped addresses on the "
                        "network of the interface they arrive on; whether the neighbours send that traffic to "
                        "it (a static route or ARP entry of theirs) is not in the configuration: unknown" % why,
                        Impact.FILTER, "nat")
    return out


def _swap(ps: PacketSet) -> PacketSet:
    """The reverse direction of some packets: addresses and ports exchanged."""
    return PacketSet.of_cubes([cube(src=c.dims[1], dst=c.dims[0], proto=c.dims[2], sport=c.dims[4],
                                    dport=c.dims[3]) for c in ps.cubes])


# --- 8.3 and later ---------------------------------------------------------------------------

def _ifpair(tok: str) -> tuple[str | None, str | None]:
    if not (tok.startswith("(") and tok.endswith(")") and tok.count(",") == 1):
        raise NatError("bad interface pair '%s'" % tok)
    a, b = tok[1:-1].split(",")
    return (None if a == "any" else a), (None if b == "any" else b)


def _own(st: Asa, iface: str | None) -> ISet:
    """The addresses of an interface (``interface`` as a mapped address)."""
    if iface is None:
        raise NatError("'interface' as a mapped address needs a mapped interface")
    for d in st.interfaces:
        if d.nameif == iface:
            own = [iv for _n, a, _s in d.v4 for iv in a.iv if a.issubset(ALL_V4)]
            return ISet(own) if own else ALL_V4  # (assigned by DHCP/PPPoE: some IPv4 address)
    raise NatError("no interface named '%s'" % iface)


def _net(st: Asa, tok: str, s: Source) -> ISet:
    """A NAT operand: 'any', an object or group, or an address."""
    if tok == "any":
        return ALL_ADDR
    if tok in st.objects:
        r = resolve_net(st, tok, s, "nat")
        if not r.complete:
            raise NatError("object '%s' is not fully understood" % tok)
        return r.addrs
    try:
        return ISet.of(addr_to_int(addr_text(st, tok)))
    except ValueError:
        resolve_net(st, tok, s, "nat")  # (reports it as undefined)
        raise NatError("undefined object '%s'" % tok) from None


def _new_specs(st: Asa) -> list:
    sec1: list = []
    sec3: list = []
    for toks, i in st.nat.twice:
        s = st.src(i)
        if "inactive" in toks and "description" not in toks[:toks.index("inactive")]:
            _loose_bound(st, toks, s)  # (an inactive rule translates nothing; its objects must exist)
            continue
        try:
            sp, section, line = _twice(st, toks, s)
        except ValueError as e:  # (a NatError, or an operand the device refuses: 'service tcp ٤٤٥ ٤٤٥')
            # (in its place, 'line N' too: a rule the device applies first may not be passed over)
            section, line = _place(toks)
            sp = (s, str(e), _loose_bound(st, toks, s))
        if sp is None:
            continue  # inactive
        target = sec3 if section == 3 else sec1
        if line is not None:
            target.insert(min(max(line - 1, 0), len(target)), sp)
        else:
            target.append(sp)
    sec2: list = []
    for name, d in st.objects.items():
        for toks, i in d.nat:
            s = st.src(i)
            try:
                sp = _object_nat(st, name, toks, s)
            except ValueError as e:  # (as above)
                sec2.append((_sec2_key(st, name, toks, s), (s, str(e), _object_bound(st, name, toks, s))))
                continue
            real = sp.src_real
            sec2.append(((0 if sp.kind == "static" else 1, real.size(), real.lo if real else 0, name), sp))
    sec2.sort(key=lambda x: x[0])
    return sec1 + [sp for _k, sp in sec2] + sec3


def _place(toks: list[str]) -> tuple[int, int | None]:
    """A twice NAT line's section (1, or 3 for ``after-auto``) and ``line N`` (None: at the end)."""
    t = toks[1:]
    if t and t[0].startswith("("):
        t = t[1:]
    section = 1
    if t[:1] in (["after-auto"], ["after-object"]):  # ('after-object' in 8.3)
        section, t = 3, t[1:]
    return section, (int(t[0]) if t[:1] and decimal(t[0]) else None)


def _sec2_key(st: Asa, name: str, toks: list[str], s: Source) -> tuple:
    """Where an object NAT rule not understood stands in section 2: by its kind and its real
    addresses, as a modelled one would (its ``maybe`` must come before the rules the device puts
    after it); what is not known puts it first (then it can only make more packets unknown)."""
    t = [w for w in toks[1:] if not w.startswith("(")]
    kind = {"static": 0, "dynamic": 1}.get(t[0] if t else "", -1)
    r = resolve_net(st, name, s, name)
    if kind < 0 or not r.complete or not r.addrs:
        return (-1, 0, 0, name)
    return (kind, r.addrs.size(), r.addrs.lo, name)


def _loose_bound(st: Asa, toks: list[str], s: Source) -> PacketSet:
    """What a NAT line not understood could translate: from its real source (forward) and to its
    mapped one (reverse), where those operands resolve; everything where they do not."""
    mapped_if = None
    if len(toks) > 1 and toks[1].startswith("("):
        try:
            mapped_if = _ifpair(toks[1])[1]
        except NatError:
            pass

    def net(k: int) -> ISet:
        try:
            if toks[k] == "interface":
                return _own(st, mapped_if)
            return _net(st, toks[k + 1] if toks[k] == "pat-pool" else toks[k], s)
        except (NatError, IndexError):
            return ALL_ADDR
    k = toks.index("source") if "source" in toks else -1
    if k < 0:
        return PacketSet([cube()])
    return PacketSet([cube(src=net(k + 2)), cube(dst=net(k + 3))])


def _object_bound(st: Asa, name: str, toks: list[str], s: Source) -> PacketSet:
    """What an object NAT line not understood could translate (see ``_loose_bound``)."""
    r = resolve_net(st, name, s, name)
    t = [w for w in toks[1:] if not w.startswith("(")]
    mapped = ALL_ADDR
    if len(t) > 1 and t[1] not in ("interface", "pat-pool"):
        try:
            mapped = _net(st, t[1], s)
        except NatError:
            pass
    return PacketSet([cube(src=r.addrs if r.complete else ALL_ADDR), cube(dst=mapped)])


def _twice(st: Asa, toks: list[str], s: Source) -> tuple[Spec | None, int, int | None]:
    t = toks[1:]
    real_if = mapped_if = None
    if t and t[0].startswith("("):
        real_if, mapped_if = _ifpair(t[0])
        t = t[1:]
    section, line = _place(toks)  # 'nat (a,b) [after-auto] [LINE] source ...'
    t = t[(section == 3) + (line is not None):]
    if t[:1] != ["source"] or len(t) < 4 or t[1] not in ("static", "dynamic"):
        raise NatError("expected 'source static|dynamic REAL MAPPED'")
    kind = t[1]
    src_real = _net(st, t[2], s)
    k = 4
    pat = False
    if t[3] == "interface":
        src_mapped, pat = _own(st, mapped_if), True
    elif t[3] == "pat-pool":
        if len(t) < 5:
            raise NatError("pat-pool needs an object")
        src_mapped, pat, k = _net(st, t[4], s), True, 5
    else:
        src_mapped = _net(st, t[3], s)
        pat = kind == "dynamic" and src_mapped.size() == 1
    rest = t[k:]
    sp = Spec(s, "twice NAT" + (" (after-auto)" if section == 3 else ""), real_if, mapped_if, kind, src_real,
              src_mapped, pat=pat, twice=True)
    inactive = False
    while rest:
        w = rest[0]
        if w == "destination" and len(rest) >= 4 and rest[1] == "static":
            sp.dst_mapped = _own(st, real_if) if rest[2] == "interface" else _net(st, rest[2], s)
            sp.dst_real = _net(st, rest[3], s)
            rest = rest[4:]
        elif w == "service":
            raise NatError("twice NAT port translation ('service') is not modelled")
        elif w == "interface" and kind == "dynamic":  # fallback to interface PAT
            raise NatError("dynamic NAT falling back to interface PAT is not modelled")
        elif w == "description":
            rest = []
        elif w in _FLAGS or w == "ipv6":
            if w == "unidirectional":
                sp.bidirectional = False
            if w == "route-lookup":
                sp.route_lookup = True
            if w == "no-proxy-arp":
                sp.proxy_arp = False
            if w == "inactive":
                inactive = True
            rest = rest[1:]
        else:
            raise NatError("unexpected '%s'" % w)
    return (None if inactive else sp), section, line


def _object_nat(st: Asa, name: str, toks: list[str], s: Source) -> Spec:
    r = resolve_net(st, name, s, name)
    if not r.complete:
        raise NatError("object '%s' is not fully understood" % name)
    t = toks[1:]
    real_if = mapped_if = None
    if t and t[0].startswith("("):
        real_if, mapped_if = _ifpair(t[0])
        t = t[1:]
    if not t or t[0] not in ("static", "dynamic"):
        raise NatError("expected 'static' or 'dynamic'")
    kind = t[0]
    t = t[1:]
    pat = False
    if not t and kind == "dynamic":
        raise NatError("dynamic NAT without a mapped address")
    if t[0] == "interface":
        mapped, pat, t = _own(st, mapped_if), True, t[1:]
        if t[:1] == ["ipv6"]:
            t = t[1:]
    elif t[0] == "pat-pool":
        if len(t) < 2:
            raise NatError("pat-pool needs an object")
        mapped, pat, t = _net(st, t[1], s), True, t[2:]
    else:
        mapped = _net(st, t[0], s)
        t = t[1:]
        pat = kind == "dynamic" and mapped.size() == 1
    sp = Spec(s, "object NAT %s" % name, real_if, mapped_if, kind, r.addrs, mapped, pat=pat)
    while t:
        w = t[0]
        if w == "service" and kind == "static" and len(t) >= 4:
            sp.proto = proto_set(t[1])
            if t[1] not in ("tcp", "udp", "sctp"):
                raise NatError("service needs tcp, udp or sctp")
            names = N.TCP_PORTS if t[1] == "tcp" else N.UDP_PORTS if t[1] == "udp" else {}
            sp.real_port, sp.mapped_port = port_value(t[2], names), port_value(t[3], names)
            t = t[4:]
        elif w == "interface" and kind == "dynamic":
            raise NatError("dynamic NAT falling back to interface PAT is not modelled")
        elif w == "unidirectional":
            # (a twice NAT option in Cisco's guides; read as bidirectional here, the traffic to the
            # mapped address would be untranslated where the device may not: not guessed)
            raise NatError("'unidirectional' on a network object NAT rule is not documented")
        elif w in _FLAGS or w == "ipv6":
            sp.route_lookup = sp.route_lookup or w == "route-lookup"
            sp.proxy_arp = sp.proxy_arp and w != "no-proxy-arp"
            t = t[1:]
        else:
            raise NatError("unexpected '%s'" % w)
    if kind == "static" and mapped.size() != r.addrs.size() and mapped != r.addrs:
        if mapped.size() != 1 or sp.proto is None:
            raise NatError("static mapping between blocks of different sizes")
    return sp


# --- before 8.3 ------------------------------------------------------------------------------

def _old_specs(st: Asa, filters: dict[str, Filter]) -> list:
    exempt: list = []
    statics: list = []
    policy: list = []
    regular: list = []
    pools: dict[str, list[tuple[str, ISet, bool, Source]]] = {}
    for toks, i in st.nat.globals_:
        s = st.src(i)
        try:
            iface = _one_if(toks[1])
            gid = toks[2]
            if toks[3] == "interface" and len(toks) == 4:
                pool, pat = _own(st, iface), True
            else:
                lo, _, hi = toks[3].partition("-")
                pool = ISet.of(addr_to_int(lo), addr_to_int(hi or lo))
                rest = toks[4:]
                if rest[:1] == ["netmask"]:
                    rest = rest[2:]
                if rest:
                    raise NatError("unexpected '%s'" % rest[0])
                pat = pool.size() == 1
            pools.setdefault(gid, []).append((iface, pool, pat, s))
        except (NatError, ValueError, IndexError) as e:
            st.unrecognized(s, "bad 'global' line (%s): the translation it takes part in is unknown"
                            % (e if isinstance(e, NatError) else "syntax"), Impact.FILTER, "nat")
    for toks, i in st.nat.old_nat:
        s = st.src(i)
        try:
            iface = _one_if(toks[1])
            nid = toks[2]
            if toks[3] == "access-list":
                acl = toks[4]
                if nid != "0":
                    policy.append((s, "policy NAT on access-list %s" % acl, PacketSet([cube()])))
                    continue
                exempt.append(Spec(s, "NAT exemption (nat 0 access-list %s)" % acl, iface, None, "static",
                                   ALL_ADDR, ALL_ADDR, match=_permitted(st, filters, acl, s)))
                continue
            real = v4_net(addr_text(st, toks[3]), toks[4])
            extra = [w for w in toks[5:] if not decimal(w)]
            if "outside" in extra:
                raise NatError("outside NAT is not modelled")
            if any(w not in ("dns", "norandomseq", "tcp", "udp", "emb") for w in extra):
                raise NatError("unexpected options")
            plen = 32 - (real.size().bit_length() - 1)
            if nid == "0":
                regular.append((plen, Spec(s, "identity NAT (nat 0)", iface, None, "static", real, real)))
                continue
            if nid not in pools:
                raise NatError("no 'global' for NAT id %s" % nid)
            for g_if, pool, pat, _gs in pools[nid]:
                regular.append((plen, Spec(s, "dynamic NAT id %s" % nid, iface, g_if, "dynamic", real, pool,
                                           pat=pat)))
        except NatError as e:
            policy.append((s, str(e), PacketSet([cube()])))
        except (ValueError, IndexError):
            policy.append((s, "bad 'nat' line", PacketSet([cube()])))
    for toks, i in st.nat.statics:
        s = st.src(i)
        try:
            statics.append(_old_static(st, toks, s))
        except NatError as e:
            statics.append((s, str(e), PacketSet([cube()])))
        except (ValueError, IndexError):
            statics.append((s, "bad 'static' line", PacketSet([cube()])))
    regular.sort(key=lambda x: -x[0])  # best match: the longest real prefix first
    return exempt + statics + policy + [sp for _p, sp in regular]


def _one_if(tok: str) -> str:
    if not (tok.startswith("(") and tok.endswith(")")) or "," in tok:
        raise NatError("bad interface '%s'" % tok)
    return tok[1:-1]


def _old_static(st: Asa, toks: list[str], s: Source) -> Spec:
    real_if, mapped_if = _ifpair(toks[1])
    t = toks[2:]
    proto = None
    if t[0] in ("tcp", "udp"):
        proto, t = t[0], t[1:]
    if proto is None:
        mapped_tok, t = t[0], t[1:]
        if t[0] == "access-list":
            raise NatError("policy static NAT on an access list is not modelled")
        real_tok, t = t[0], t[1:]
        mport = rport = None
    else:
        mapped_tok, mport, real_tok, rport, t = t[0], t[1], t[2], t[3], t[4:]
        if real_tok == "access-list":
            raise NatError("policy static PAT on an access list is not modelled")
    mask = "255.255.255.255"
    while t:
        if t[0] == "netmask":
            mask, t = t[1], t[2:]
        elif t[0] in ("dns", "norandomseq", "nailed"):
            t = t[1:]
        elif t[0] in ("tcp", "udp") or decimal(t[0]):
            t = t[1:]  # connection limits
        else:
            raise NatError("unexpected '%s'" % t[0])
    real = v4_net(addr_text(st, real_tok), mask)
    mapped = _own(st, mapped_if) if mapped_tok == "interface" else v4_net(addr_text(st, mapped_tok), mask)
    sp = Spec(s, "static (%s,%s)" % (real_if, mapped_if), real_if, mapped_if, "static", real, mapped)
    if proto is not None:
        names = N.TCP_PORTS if proto == "tcp" else N.UDP_PORTS
        sp.proto = proto_set(proto)
        sp.real_port, sp.mapped_port = port_value(rport, names), port_value(mport, names)
    return sp


def _permitted(st: Asa, filters: dict[str, Filter], acl: str, s: Source) -> PacketSet:
    """What an access list permits, first match (exact; a part not understood is not modelled)."""
    f = filters.get(acl)
    if f is None:
        st.lines.undefined(acl, "access-list", s, "nat")
        raise NatError("undefined access-list '%s'" % acl)
    covered = NOTHING
    out: list = []
    for r in f.rules:
        if not r.enabled:
            continue
        if r.maybe:
            raise NatError("access-list %s has entries not understood" % acl)
        if r.action is Action.PERMIT:
            out.extend(r.match.subtract(covered).cubes if covered else r.match.cubes)
        covered = covered.union(r.match)
    return PacketSet.of_cubes(out)


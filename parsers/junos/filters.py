"""Junos firewall filters (stateless): ``firewall [family inet|inet6] filter F term T from {...} then {...}``.

Juniper, "Firewall Filter Match Conditions" and "Firewall Filter Terminating Actions"
(Junos OS Routing Policies, Firewall Filters and Traffic Policers User Guide):

* terms are evaluated in order; a packet that matches a term with a terminating action
  (``accept``, ``discard``, ``reject``) gets it; ``next term`` goes on; a term with only
  non-terminating actions (``count``, ``log``, ``policer``, ``forwarding-class``...) or no
  ``then`` at all accepts; a term with no ``from`` matches every packet; a packet no term
  matches is discarded ("implicit discard-all term at the end of every filter");
* within a ``from``, different conditions must all match, the values of one condition any
  (a list); ``address``/``port``/``prefix-list`` match the source or the destination;
  ``-except`` conditions negate (a packet matching the condition does not match the term, so
  ``port-except P`` needs neither port in P); an address list takes the most specific entry, so
  ``10.1.0.0/16 except`` inside ``10.0.0.0/8`` leaves that block out;
* ``tcp-established`` matches TCP packets with ACK or RST set (every packet of a connection but
  its first: ``ESTABLISHED``), ``tcp-initial`` the first SYN (``NEW``); the docs note that
  neither checks that the packet is TCP ("specify the protocol tcp match condition"), and
  port conditions without a protocol read the port fields of any protocol: for packets of
  other protocols such terms are ``maybe``.
* ``family inet`` filters see IPv4 packets only, ``family inet6`` IPv6; a filter written as
  ``firewall filter F`` (no family) is ``family inet``.

``input-list``/``output-list`` chain filters: each filter's terms in turn, one implicit
discard at the end of the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import ANY_STATE, ESTABLISHED, NEW, Action, Impact, Rule, new_rule
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
from parsers.junos.common import (
    INACTIVE,
    Ctx,
    icmp_code,
    icmp_number,
    is_number,
    port_range,
    prefix,
    protocol,
    wildcard,
)
from parsers.junos.tree import Stmt
from parsers.kit.addr import address_refs
from parsers.kit.names import PORTED

_TERMINATING = {"accept": Action.PERMIT, "discard": Action.DENY, "reject": Action.DENY}
_NON_TERMINATING = ("count", "log", "syslog", "sample", "policer", "three-color-policer", "forwarding-class",
                    "loss-priority", "dscp", "traffic-class", "port-mirror", "port-mirror-instance", "analyzer",
                    "service-accounting", "hierarchical-policer", "prefix-action",
                    "service-filter-hit", "virtual-channel", "policy-map", "force-premium", "no-force-premium")
_UNSURE_MATCH = ("packet-length", "packet-length-except", "ttl", "ttl-except", "dscp", "dscp-except",
                 "precedence", "precedence-except", "forwarding-class", "forwarding-class-except", "interface",
                 "interface-set", "interface-group", "interface-group-except", "source-class", "destination-class",
                 "hop-limit", "hop-limit-except", "traffic-class", "traffic-class-except", "loss-priority",
                 "ip-options", "ip-options-except", "fragment-offset", "fragment-offset-except", "fragment-flags",
                 "tcp-flags", "tcp-flags-except", "extension-header",
                 "payload-protocol", "flexible-match-mask", "flexible-match-range", "source-mac-address",
                 "destination-mac-address", "ether-type", "vlan-ether-type", "learn-vlan-id", "user-vlan-id",
                 "gre-key", "apply-path", "service-filter-hit", "ip-version", "ipsec-spi",
                 # ('first-fragment' is "an alias for the bit-field match condition fragment-offset 0", which an
                 # unfragmented packet has too, while the same page calls it "the first fragment of a fragmented
                 # packet": Juniper, "Firewall Filter Match Conditions Based on Bit-Field Values")
                 "first-fragment")
# ('is-fragment', "fragment-offset 0 except", or More Fragments set: never an unfragmented packet)
_FRAGMENTS = ("is-fragment",)
_TERM_OPTIONS = ("filter", "interface-specific", "physical-interface-filter", "instance-shared",
                 "accounting-profile", "enhanced-mode", "enhanced-mode-override", "fast-lookup-filter")


@dataclass
class Term:
    name: str
    stmts: list[Stmt] = field(default_factory=list)
    depth: int = 0


@dataclass
class FwFilter:
    name: str
    family: str
    first: Stmt
    terms: dict[str, Term] = field(default_factory=dict)
    depth: int = 0  # words up to and including the filter name


def filter_name(family: str, name: str) -> str:
    """The model's name of a filter: its own for ``inet``, ``inet6 NAME`` for IPv6 (their names may clash)."""
    return name if family == "inet" else "%s %s" % (family, name)


class Filters:
    """Firewall filters and prefix lists, read in order; ``build()`` makes the model's filters."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.filters: dict[str, FwFilter] = {}
        self.prefix_lists: dict[str, list[Stmt]] = {}

    def add(self, st: Stmt) -> None:
        t = st.toks
        if len(t) >= 6 and t[1] == "family" and t[3] == "filter":
            fam, name, depth = t[2], t[4], 5
        elif len(t) >= 4 and t[1] == "filter":
            fam, name, depth = "inet", t[2], 3
        elif len(t) >= 2 and t[1] in ("policer", "three-color-policer", "hierarchical-policer", "interface-set",
                                      "load-balance-group", "atm-policer"):
            self.ctx.ignore(st, "firewall %s definition (used by filter terms)" % t[1])
            return
        elif len(t) >= 3 and t[1] == "family" and t[3:4] != ("filter",):
            self.ctx.ignore(st, "firewall family %s settings other than filters" % t[2]) if t[2] in (
                "inet", "inet6", "any", "ethernet-switching", "bridge", "mpls", "vpls", "ccc") and len(t) > 3 and \
                t[3] in ("service-filter", "simple-filter", "prefix-action", "fast-update-filter") else \
                self.ctx.unknown(st, "firewall statement not understood", Impact.NONE)
            return
        else:
            self.ctx.unknown(st, "firewall statement not understood", Impact.NONE)
            return
        if fam not in ("inet", "inet6"):
            self.ctx.ignore(st, "firewall filter of family %s (not IP)" % fam)
            return
        key = filter_name(fam, name)
        f = self.filters.get(key)
        if f is None:
            f = self.filters[key] = FwFilter(name, fam, st, depth=depth)
        rest = t[depth:]
        if not rest:
            self.ctx.use(st)
        elif rest[0] == "term" and len(rest) >= 2:
            term = f.terms.get(rest[1])
            if term is None:
                term = f.terms[rest[1]] = Term(rest[1], depth=depth + 2)
            term.stmts.append(st)
        elif rest[0] in _TERM_OPTIONS:
            self.ctx.ignore(st, "filter option %s (counters and policers; no effect on the decision)" % rest[0])
        else:
            self.ctx.unknown(st, "filter statement '%s' not understood" % rest[0], Impact.FILTER, key)

    def prefix_list(self, st: Stmt) -> None:
        t = st.toks  # policy-options prefix-list NAME [PREFIX | apply-path ...]
        if len(t) < 3:
            self.ctx.unknown(st, "prefix-list statement not understood", Impact.NONE)
            return
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return
        self.prefix_lists.setdefault(t[2], []).append(st)

    # --- building ------------------------------------------------------------------------------
    def build(self, used: set[str]) -> dict[str, list[Rule]]:
        """Every filter's rules (``used``: the names bound to interfaces, whose lists must be exact)."""
        out: dict[str, list[Rule]] = {}
        for key, f in self.filters.items():
            rules: list[Rule] = []
            fam_addrs = ALL_V4 if f.family == "inet" else ALL_V6
            for term in f.terms.values():
                r = self._term(key, len(rules), f, term, fam_addrs)
                if r is not None:
                    rules.append(r)
            out[key] = rules
        return out

    def _term(self, key: str, index: int, f: FwFilter, term: Term, fam: ISet) -> Rule | None:
        ctx = self.ctx
        s = ctx.lines.source(ctx.anchor(term.stmts[0], term.depth))
        enabled = not all(st.inactive is not None for st in term.stmts)
        conds: dict[str, list[tuple[str, Stmt]]] = {}
        action: Action | None = None
        next_term = False
        unsure: list[str] = []
        doubt = False  # whether what the term does when it matches is uncertain
        fragments_only = False
        for st in term.stmts:
            if st.inactive is not None and enabled:
                ctx.ignore(st, INACTIVE)
                continue
            r = st.toks[term.depth:]
            if not r:
                ctx.use(st)
                continue
            if r[0] == "from" and len(r) >= 2:
                cond = r[1]
                val = " ".join(r[2:])
                conds.setdefault(cond, []).append((val, st))
            elif r[0] == "then" and len(r) >= 2:
                a = r[1]
                if a in _TERMINATING:
                    action = _TERMINATING[a]
                    ctx.use(st)
                elif a == "next" and r[2:3] == ("term",):
                    next_term = True
                    ctx.use(st)
                elif a in _NON_TERMINATING:
                    ctx.ignore(st, "non-terminating action %s (no effect on the decision)" % a)
                elif a == "packet-mode":
                    # (Juniper KB26757, "How to selectively bypass the flow daemon": 'then packet-mode' sends the
                    # packets it matches past flow processing, so the security policies, NAT and screens do not see
                    # them; a later stage of the model would decide them wrongly: what the term does is not modelled)
                    ctx.unknown(st, "filter action 'packet-mode': the packets bypass flow processing (security "
                                    "policies, NAT, screens; not modelled)", Impact.FILTER, key)
                    unsure.append(a)
                    doubt = True
                elif a in ("routing-instance", "next-interface", "next-ip", "next-ip6", "decapsulate", "encapsulate",
                           "next-filter", "topology", "ipsec-sa", "redirect-instance", "next-hop-group"):
                    # ('next-hop-group G': "Use specified next-hop group", the interfaces of a
                    # 'forwarding-options next-hop-group', not the route: Junos XML API reference, firewall filter
                    # 'then'; "Configuring a Load-Balance Group", Junos 9.3 policy guide)
                    ctx.unknown(st, "filter action '%s' forwards the packet elsewhere (not modelled)" % a,
                                Impact.FILTER, key)
                    unsure.append(a)
                    action = Action.PERMIT
                    doubt = True
                else:
                    ctx.unknown(st, "filter action '%s' not understood" % a, Impact.FILTER, key)
                    unsure.append(a)
                    doubt = True
            elif r[0] == "filter":
                ctx.unknown(st, "term %s evaluates filter %s in its place (nested filters are not expanded)"
                            % (term.name, " ".join(r[1:])), Impact.FILTER, key)
                unsure.append("filter")
                doubt = True
            else:
                ctx.unknown(st, "term statement '%s' not understood" % r[0], Impact.FILTER, key)
                unsure.append(r[0])
                doubt = True
        if next_term and action is None:
            for st in term.stmts:
                ctx.use(st)
            return None  # 'then next term': the term decides nothing (its lines were used above)
        if action is None:
            action = Action.PERMIT  # no terminating action: the term accepts
        try:
            built = self._match(conds, fam, key)
        except ValueError as e:
            for items in conds.values():
                for _v, st in items:
                    ctx.unknown(st, "term %s: %s" % (term.name, e), Impact.FILTER, key)
            return new_rule(key, index, action, PacketSet(), s, enabled, PacketSet([cube(src=fam)]), True, (),
                            "term %s not understood" % term.name)
        match, maybe, states, refs, unsure_conds, fragments_only = built
        unsure += unsure_conds
        note = "term %s" % term.name
        if fragments_only:
            note += " (matches only fragments; the audited packets are unfragmented)"
            match = PacketSet()
        if unsure:
            maybe = maybe.union(match)
            match = PacketSet()
        else:
            maybe = maybe.subtract(match) if maybe else maybe
        label = "" if "term" in s.text and "filter" in s.text else "filter %s term %s" % (f.name, term.name)
        # (only its conditions uncertain: what it does when it matches is known, ``Rule.sure_action``)
        return new_rule(key, index, action, match, s, enabled, maybe, False, tuple(refs), note, states, label=label,
                        sure_action=not doubt)

    def _match(self, conds: dict, fam: ISet, key: str):
        ctx = self.ctx
        src, dst, either = fam, fam, None
        refs: list = []
        protos: ISet | None = None
        sport = dport = ALL_PORTS
        anyport: ISet | None = None
        icmp_t: ISet | None = None
        icmp_c: ISet | None = None
        states = ANY_STATE
        needs_tcp = False
        unsure: list[str] = []
        fragments_only = False
        ported_cond = False
        maybe_extra = False
        fields: dict[str, list] = {}  # source/destination/address -> (addresses, statements) per condition
        for cond, items in conds.items():
            base, neg = (cond[:-7], True) if cond.endswith("-except") else (cond, False)
            vals = [v for v, _ in items]
            sts = [st for _v, st in items]
            if base in ("source-address", "destination-address", "address"):
                addrs = _address_list(vals)
                fields.setdefault(base.partition("-")[0], []).append((addrs, sts))
                for st in sts:
                    refs.extend(address_refs(addrs, ctx.src(st)))
            elif base in ("source-prefix-list", "destination-prefix-list", "prefix-list"):
                addrs, complete = self._prefix_lists(items, key)
                if not complete:
                    maybe_extra = True
                    unsure.append("prefix-list")
                fields.setdefault("address" if base == "prefix-list" else base.partition("-")[0], []).append(
                    (addrs, sts))
            elif base in ("protocol", "next-header"):
                got = EMPTY
                for v in vals:
                    got = got.union(_range(v, protocol, 255))
                got = ALL_PROTO.subtract(got) if neg else got
                protos = got if protos is None else protos.intersect(got)  # (with its -except: both hold)
            elif base in ("source-port", "destination-port", "port"):
                got = EMPTY
                for v in vals:
                    got = got.union(port_range(v))
                if neg:
                    got = ALL_PORTS.subtract(got)
                ported_cond = True
                if base == "source-port":
                    sport = sport.intersect(got)
                elif base == "destination-port":
                    dport = dport.intersect(got)
                elif neg:
                    # 'port-except': a packet matching the negated condition (either port in the list) does
                    # not match the term, so neither port may be in it (Juniper, "Filter Match Conditions":
                    # "If a packet matches a negated condition, it is immediately considered not to match")
                    sport, dport = sport.intersect(got), dport.intersect(got)
                else:
                    anyport = got if anyport is None else anyport.intersect(got)
            elif base in ("icmp-type", "icmp6-type", "icmp-code", "icmp6-code"):
                # (in a family inet6 filter, icmp-type and icmp-code are ICMPv6's: Juniper, "Firewall Filter
                # Match Conditions for IPv6 Traffic", echo-request (128)...)
                v6 = "6" in base or fam is ALL_V6
                got = EMPTY
                reader = (lambda w, v6=v6: icmp_number(w, v6)) if "type" in base else (
                    lambda w, v6=v6: icmp_code(w, v6))
                for v in vals:
                    got = got.union(_range(v, reader, 255))
                if neg:
                    got = ISet.of(0, 255).subtract(got)
                if "type" in base:
                    icmp_t = got if icmp_t is None else icmp_t.intersect(got)
                else:
                    icmp_c = got if icmp_c is None else icmp_c.intersect(got)
            elif base == "tcp-established":
                states, needs_tcp = ESTABLISHED, True
            elif base == "tcp-initial":
                states, needs_tcp = NEW, True
            elif base in _FRAGMENTS:
                fragments_only = True
            elif cond in _UNSURE_MATCH or base in _UNSURE_MATCH:
                for st in sts:
                    ctx.unknown(st, "match condition '%s' is not modelled: the term may or may not match" % cond,
                                Impact.FILTER, key)
                unsure.append(cond)
                continue
            else:
                raise ValueError("match condition '%s' not understood" % cond)
            for st in sts:
                ctx.use(st)
        for field_name, got in fields.items():
            addrs = got[0][0]
            if len(got) > 1:
                # an address list and a prefix list of one field in one term ('source-address' with
                # 'source-prefix-list'): whether the device takes both or either is not documented; both
                # readings are in the term's 'maybe' (either is the larger)
                for a, _sts in got[1:]:
                    addrs = addrs.union(a)
                for st in got[1][1]:
                    ctx.unknown(st, "an address list and a prefix list of the %s address in one term: whether a "
                                    "packet must match both or either is not modelled" % field_name,
                                Impact.FILTER, key)
                unsure.append("%s-prefix-list" % field_name)
            if field_name == "source":
                src = src.intersect(addrs)
            elif field_name == "destination":
                dst = dst.intersect(addrs)
            else:
                either = addrs
        # ICMP type/code live in the destination port dimension (type * 256 + code)
        cubes_maybe = []
        if icmp_t is not None or icmp_c is not None:
            ty = icmp_t if icmp_t is not None else ISet.of(0, 255)
            co = icmp_c if icmp_c is not None else ISet.of(0, 255)
            dp = ISet([(t * 256 + lo, t * 256 + hi) for tl, th in ty.iv for t in range(tl, th + 1) for lo, hi in co.iv])
            icmp_protos = ISet([(1, 1), (58, 58)]) if protos is None else protos.intersect(ISet([(1, 1), (58, 58)]))
            base_cubes = [(icmp_protos, ALL_PORTS, dp)]
            other = (protos if protos is not None else ALL_PROTO).subtract(ISet([(1, 1), (58, 58)]))
            if other:
                cubes_maybe.append((other, ALL_PORTS, ALL_PORTS))  # ICMP fields of other protocols' bytes
        else:
            p = protos if protos is not None else ALL_PROTO
            if ported_cond:
                sure_p = p.intersect(PORTED)
                base_cubes = [(sure_p, sport, dport)] if sure_p else []
                rest = p.subtract(PORTED)
                if rest:
                    cubes_maybe.append((rest, ALL_PORTS, ALL_PORTS))
            else:
                base_cubes = [(p, ALL_PORTS, ALL_PORTS)]
        if needs_tcp:
            narrowed = []
            for p, sp, dp in base_cubes:
                if p.subtract(ISet.of(6)):
                    cubes_maybe.append((p.subtract(ISet.of(6)), sp, dp))
                if 6 in p:
                    narrowed.append((ISet.of(6), sp, dp))
            base_cubes = narrowed
        addr_pairs = [(src, dst)]
        if either is not None:
            addr_pairs = [(src.intersect(either), dst), (src, dst.intersect(either))]
        out, maybe = [], []
        for s, d in addr_pairs:
            if not s or not d:
                continue
            for p, sp, dp in base_cubes:
                if anyport is not None:
                    if sp.intersect(anyport):
                        out.append(cube(s, d, p, sp.intersect(anyport), dp))
                    if dp.intersect(anyport):
                        out.append(cube(s, d, p, sp, dp.intersect(anyport)))
                elif p and sp and dp:
                    out.append(cube(s, d, p, sp, dp))
            for p, sp, dp in cubes_maybe:
                maybe.append(cube(s, d, p, sp, dp))
        match = PacketSet(out)
        if maybe_extra:
            maybe.append(cube(fam, fam))
        return match, PacketSet(maybe), states, refs, unsure, fragments_only

    def _prefix_lists(self, items: list, key: str) -> tuple[ISet, bool]:
        """The addresses of ``prefix-list NAME [except]`` values (the most specific entry wins)."""
        entries: list[tuple[ISet, bool, int]] = []
        complete = True
        for v, st in items:
            parts = v.split()
            name = parts[0] if parts else ""
            exc = len(parts) > 1 and parts[1] == "except"
            if name not in self.prefix_lists:
                self.ctx.undefined(st, name, "prefix-list", key)
                complete = False
                continue
            for pst in self.prefix_lists[name]:
                rest = pst.toks[3:]
                if not rest:
                    self.ctx.use(pst)
                    continue
                if rest[0] == "apply-path":
                    self.ctx.unknown(pst, "prefix-list apply-path: its prefixes come from other parts of the "
                                          "configuration (not expanded)", Impact.FILTER, key)
                    complete = False
                    continue
                try:
                    net = prefix(rest[0])
                except ValueError:
                    self.ctx.unknown(pst, "prefix-list entry not understood", Impact.FILTER, key)
                    complete = False
                    continue
                self.ctx.use(pst)
                entries.append((net, exc, net.size()))
        return _longest(entries, ALL_ADDR), complete


def _address_list(vals: list[str]) -> ISet:
    entries = []
    gapped = False  # an entry with a non-contiguous subnet mask
    for v in vals:
        parts = v.split()
        if not parts:
            raise ValueError("empty address")
        a, slash, m = parts[0].partition("/")
        if slash and "." in m:
            # Juniper, "Firewall Filter Match Conditions Based on Address Fields", IPv4 Subnet Mask Notation:
            # 'address 10.0.0.10/255.0.0.255', a subnet mask instead of a prefix length, non-contiguous
            # too: the one bits of the mask must equal the address's
            net = wildcard(parts[0])
            free = ~(addr_to_int(m) - V4_BASE) & 0xFFFFFFFF
            gapped = gapped or (free & (free + 1)) != 0
        else:
            net = prefix(parts[0])
        exc = len(parts) > 1 and parts[1] == "except"
        entries.append((net, exc, net.size()))
    if gapped and any(exc for _n, exc, _s in entries):
        # (which entry is the most specific when one has a non-contiguous mask is not documented)
        raise ValueError("an 'except' entry in a list with a non-contiguous subnet mask")
    return _longest(entries, ALL_ADDR)


def _longest(entries: list[tuple[ISet, bool, int]], universe: ISet) -> ISet:
    """Longest-prefix semantics: larger blocks first, each more specific entry overriding them."""
    out = EMPTY
    for net, exc, _size in sorted(entries, key=lambda e: -e[2]):
        out = out.subtract(net) if exc else out.union(net)
    return out.intersect(universe)


def _range(v: str, one, top: int) -> ISet:
    """``6``, ``tcp``, ``10-20`` -> the values."""
    lo, sep, hi = v.partition("-")
    if sep and is_number(lo) and is_number(hi):
        a, b = int(lo), int(hi)
        if not 0 <= a <= b <= top:
            raise ValueError("bad range '%s'" % v)
        return ISet.of(a, b)
    return ISet.of(one(v))


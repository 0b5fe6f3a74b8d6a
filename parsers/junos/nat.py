"""SRX NAT: static, destination and source NAT as ``Config.nat`` tables.

Juniper, "NAT Overview" / "Static NAT" / "Destination NAT" / "Source NAT" (Junos OS Network
Address Translation User Guide):

* NAT rules live in rule sets whose context is ``from interface|zone|routing-instance`` (and,
  for source NAT, ``to ...``); within a rule set the rules are taken in order, first match.
* Static and destination NAT happen before the route lookup and the policy lookup, so policies
  see the translated destination ("pre-routing"); source NAT happens after the policy lookup
  ("post-routing").  Static NAT takes precedence over destination NAT, and the reverse mapping
  of static NAT over source NAT.
* Static NAT (``then static-nat prefix P``, or ``prefix-name N``: the global address book's entry
  N) maps the matched destination block onto P, host to
  host; its reverse translates the source of traffic from P towards the rule set's context back
  to the original block.  Whether a rule's source match (``source-address``, ``source-port``) or
  destination port limits the reverse, and whether ``mapped-port`` is reversed on the source
  port, is not documented: the reverse is certain for the mirror of the match only (to the
  matched sources, from the matched destination port, to the matched source ports), unknown for
  the rest of P's traffic, and unknown for all of it with ``mapped-port`` (the reverse rule's
  ``maybe``: unknown where a later stage sees the packets leave); such a rule is reported.
* Destination NAT (``then destination-nat pool P``): the pool's address (and ``port``); source NAT
  (``then source-nat pool P | interface``): an address of the pool, or the egress interface's own
  address, and a source port, chosen by the device (no port translation with the pool's ``port
  no-translation``).  ``off`` exempts the packets (identity: no rewrite).  With ``persistent-nat``, an
  outside host may send to a binding's reflexive address (a pool or egress interface address), translated to
  the inside host that made the binding: which host is decided at run time, so those packets are a rule's
  ``maybe`` at pre-routing (``NatReader._persistent``).
* A static or destination NAT rule matches one destination address or subnet (a source NAT rule
  a list): a second, other one is reported, the rule unknown (whether it replaces the first or
  is refused is not documented).

Rule sets of different specificity (interface, then zone, then routing-instance) whose contexts
overlap are reported: which one applies when the specific one has no matching rule is not
modelled.  A source NAT rule set has two contexts, and its specificity is that of its ``to``
context first, then of its ``from`` context (Juniper, "Understanding NAT Rule Sets and Rules",
Junos Security 10.2: "1. Source interface/destination interface 2. Source zone/destination
interface 3. Source routing instance/destination interface 4. Source interface/destination zone
..."): two source rule sets of the same ``from`` context whose ``to`` contexts overlap with
different specificity (``to zone untrust`` and ``to interface ge-0/0/0.0`` of that zone) are
reported too.

A ``routing-instance X`` context is the units of routing instance X (``parsers.junos.instances``),
``default`` the main instance's (Juniper, "from (Security NAT)": "Specify the source of the packet
among the routing instance, interface, or zone"; ``default`` is the name a reference gives the
master instance, which no configured instance may take).  A context that holds no unit matches no
packet (an empty list of interfaces would be read as any).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import Impact, Interface, Nat, NatRule, Rewrite, Source
from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_PROTO, EMPTY, ISet, PacketSet, cube
from parsers.junos.common import INACTIVE, Ctx, port_range, prefix, protocol
from parsers.junos.objects import AddressBooks
from parsers.junos.tree import Stmt

_RANK = {"interface": 0, "zone": 1, "routing-instance": 2}


@dataclass
class RuleSet:
    kind: str  # static | destination | source
    name: str
    first: Stmt
    frm: list[tuple[str, str, Stmt]] = field(default_factory=list)  # (context kind, name, stmt)
    to: list[tuple[str, str, Stmt]] = field(default_factory=list)
    rules: dict[str, list[Stmt]] = field(default_factory=dict)
    order: int = 0


class NatReader:
    """``security nat`` statements; ``build()`` makes the two NAT tables."""

    def __init__(self, ctx: Ctx, books: AddressBooks):
        self.ctx, self.books = ctx, books
        self.rule_sets: dict[tuple[str, str], RuleSet] = {}
        self.pools: dict[tuple[str, str], list[Stmt]] = {}
        self._tables: dict[str, str] = {}  # unit -> its routing table (build)
        self._instances: set[str] | frozenset[str] = frozenset()

    def add(self, st: Stmt) -> None:
        t = st.toks  # security nat KIND ...
        if len(t) < 3:
            self.ctx.unknown(st, "nat statement not understood")
            return
        if st.inactive is not None:
            self.ctx.ignore(st, INACTIVE)
            return
        kind = t[2]
        if kind in ("proxy-arp", "proxy-ndp", "traceoptions", "allow-overlapping-pools", "natv6v4", "nptv6"):
            self.ctx.ignore(st, "NAT %s (answers for translated addresses / logging)" % kind)
            return
        # (checked before the length: 'security nat source address-persistent' is a whole statement of four words)
        if kind == "source" and len(t) >= 4 and t[3] in _SOURCE_SETTINGS:
            self.ctx.ignore(st, "source NAT setting %s (which port is chosen)" % t[3])
            return
        if kind not in ("static", "destination", "source") or len(t) < 5:
            self.ctx.unknown(st, "nat statement not understood")
            return
        if t[3] == "pool" and kind != "static":
            self.pools.setdefault((kind, t[4]), []).append(st)
            return
        if t[3] != "rule-set":
            self.ctx.unknown(st, "nat statement not understood")
            return
        key = (kind, t[4])
        rs = self.rule_sets.get(key)
        if rs is None:
            rs = self.rule_sets[key] = RuleSet(kind, t[4], st, order=len(self.rule_sets))
        rest = t[5:]
        if len(rest) >= 3 and rest[0] in ("from", "to") and rest[1] in _RANK:
            (rs.frm if rest[0] == "from" else rs.to).append((rest[1], rest[2], st))
            self.ctx.use(st)
        elif len(rest) >= 2 and rest[0] == "rule":
            rs.rules.setdefault(rest[1], []).append(st)
        elif rest and rest[0] == "description":
            self.ctx.ignore(st, "description")
        else:
            self.ctx.unknown(st, "nat rule-set statement not understood")

    # --- building ------------------------------------------------------------------------------
    def build(self, interfaces: list[Interface], zone_ifaces: dict[str, list[str]],
              own_of: dict[str, ISet] | None = None, instances: set[str] | frozenset[str] = frozenset()
              ) -> tuple[Nat, ...]:
        """The NAT tables; ``own_of`` gives each unit's own addresses (what ``source-nat interface`` uses,
        else any host of its networks); ``instances`` names the routing instances (module doc)."""
        if not self.rule_sets:
            for items in self.pools.values():
                for st in items:
                    self.ctx.ignore(st, "NAT pool not used by any rule")
            return ()
        names = [i.name for i in interfaces]
        self._tables = {i.name: i.table for i in interfaces}
        self._instances = instances
        addr_of = {i.name: (own_of or {}).get(i.name) or i.networks for i in interfaces}
        pre: list[tuple[tuple, NatRule]] = []
        post: list[tuple[tuple, NatRule]] = []
        seen_ctx: list[tuple[tuple[int, int], frozenset, frozenset, RuleSet]] = []
        for rs in self.rule_sets.values():
            ingress, rank_in = self._context(rs.frm, names, zone_ifaces, rs, "from")
            egress, rank_out = self._context(rs.to, names, zone_ifaces, rs, "to") if rs.kind == "source" else ((), 3)
            # (a source NAT rule set's specificity is its 'to' context's, then its 'from' context's: module doc)
            rank, in_set, out_set = (rank_out, rank_in), frozenset(ingress or names), frozenset(egress or names)
            for r_rank, r_in, r_out, other in seen_ctx:
                if other.kind == rs.kind and r_rank != rank and r_in & in_set and r_out & out_set:
                    worse = rs if rank > r_rank else other
                    self.ctx.unknown(worse.first, "NAT rule sets %s and %s apply to some of the same interfaces "
                                                  "with different specificity (not modelled)"
                                     % (other.name, rs.name), Impact.GLOBAL)
            seen_ctx.append((rank, in_set, out_set, rs))
            order = (0 if rs.kind == "static" else 1, rank_in, rank_out, rs.order)
            for k, (rname, stmts) in enumerate(rs.rules.items()):
                got = self._rule(rs, rname, stmts, ingress, egress, addr_of)
                if got is None:
                    continue
                fwd, rev = got
                if rs.kind == "source":
                    post.append((order + (k,), fwd))
                    if rev is not None:  # (persistent NAT's inbound bindings: after static and destination NAT)
                        pre.append(((2,) + order[1:] + (k,), rev))
                else:
                    pre.append((order + (k,), fwd))
                    if rev is not None:
                        post.append(((0,) + order[1:] + (k,), rev))
        out = []
        if pre:
            out.append(Nat("security nat (static, destination)", tuple(r for _k, r in sorted(pre, key=lambda x: x[0])),
                           "pre-routing"))
        if post:
            out.append(Nat("security nat (static reverse, source)",
                           tuple(r for _k, r in sorted(post, key=lambda x: x[0])), "post-routing"))
        return tuple(out)

    def _context(self, items, names, zone_ifaces, rs: RuleSet, which: str) -> tuple[tuple[str, ...], int]:
        if not items:
            self.ctx.unknown(rs.first, "NAT rule set %s has no '%s' context" % (rs.name, which), Impact.GLOBAL)
            return (), 3
        out: list[str] = []
        rank = 3
        for kind, name, st in items:
            rank = min(rank, _RANK[kind])
            if kind == "interface":
                out.append(name if "." in name else name + ".0")
            elif kind == "zone":
                if name not in zone_ifaces:
                    self.ctx.undefined(st, name, "zone", "nat", Impact.GLOBAL)
                out.extend(zone_ifaces.get(name, []))
            else:
                table = "" if name == "default" else name
                if table and table not in self._instances:
                    self.ctx.undefined(st, name, "routing instance", "nat", Impact.GLOBAL)
                out.extend(n for n in names if self._tables.get(n, "") == table)
        if not out:  # (no unit: the rule set applies to no packet; () would be any interface)
            out.append("(%s %s: no interface)" % (which, " ".join(k + " " + n for k, n, _s in items)))
        return tuple(dict.fromkeys(out)), rank

    def _rule(self, rs: RuleSet, rname: str, stmts: list[Stmt], ingress, egress, addr_of):
        """(forward NatRule, reverse NatRule or None) of one rule."""
        ctx = self.ctx
        src, dst, dport, protos = ALL_ADDR, ALL_ADDR, ALL_PORTS, ALL_PROTO
        sport = ALL_PORTS
        sa = da = last_da = None
        # (what address book names may hold beyond their sure addresses: a dns-name address, ...)
        maybe_src, maybe_dst = EMPTY, EMPTY
        action: tuple | None = None
        persistent = False  # (persistent-nat in any of the rule's 'then' statements)
        unsure: list[str] = []
        first = stmts[0]
        s = ctx.lines.source(ctx.anchor(first, 7))
        label = "%s NAT rule-set %s rule %s" % (rs.kind, rs.name, rname)
        zone_for = None
        for st in stmts:
            r = st.toks[7:]
            if not r:
                ctx.use(st)
                continue
            try:
                if r[0] == "match" and len(r) >= 3:
                    key, vals = r[1], r[2:]
                    dest = None  # (a destination address or address book entry of the match)
                    if key in ("source-address", "destination-address"):
                        a = prefix(vals[0])
                        if key[0] == "s":
                            _shape(vals, False)
                            sa = a if sa is None else sa.union(a)
                        else:
                            if _shape(vals, True):
                                a = ISet.of(a.lo, prefix(vals[2]).hi)
                            dest = a
                    elif key in ("source-address-name", "destination-address-name"):
                        got = self.books.resolve(vals[0], zone_for, st, "nat")
                        if got is None:
                            ctx.undefined(st, vals[0], "address", "nat", Impact.GLOBAL)
                            unsure.append(key)
                            continue
                        if got.maybe:
                            unsure.append(key)
                        if key[0] == "s":
                            sa = got.addrs if sa is None else sa.union(got.addrs)
                            maybe_src = maybe_src.union(got.maybe)
                        else:
                            dest = got.addrs
                            maybe_dst = maybe_dst.union(got.maybe)
                    elif key in ("destination-port", "source-port"):
                        p = ISet.of(port_range(vals[0]).lo, port_range(vals[2]).hi) if _shape(vals, True) \
                            else port_range(vals[0])
                        if key[0] == "d":
                            dport = p if dport is ALL_PORTS else dport.union(p)
                        else:
                            sport = p if sport is ALL_PORTS else sport.union(p)
                    elif key == "protocol":
                        _shape(vals, False)
                        p = ISet.of(protocol(vals[0]))
                        protos = p if protos is ALL_PROTO else protos.union(p)
                    else:
                        ctx.unknown(st, "NAT match '%s' not modelled" % key, Impact.GLOBAL)
                        unsure.append(key)
                        continue
                    if dest is not None:
                        second = self._second_destination(rs, da, dest, st, label)
                        da = dest if da is None else da.union(dest)
                        if second:
                            unsure.append(key)
                            last_da = dest
                            continue
                    ctx.use(st)
                elif r[0] == "then" and len(r) >= 3:
                    if action is not None and len(r) >= 5 and r[1] == "static-nat" and action[:1] == ("static-nat",) \
                            and r[2] == action[1] and r[3] in ("mapped-port", "routing-instance"):
                        # (an option of the translated prefix on a statement of its own, as 'show | display set'
                        # writes 'prefix { P; mapped-port Q; }')
                        action = action + tuple(r[3:])
                    else:
                        action = tuple(r[1:])
                    persistent = persistent or (r[1] == "source-nat" and "persistent-nat" in r)
                    ctx.use(st)
                elif r[0] == "description":
                    ctx.ignore(st, "description")
                else:
                    ctx.unknown(st, "NAT rule statement not understood", Impact.GLOBAL)
                    unsure.append(r[0])
            except (ValueError, IndexError) as e:
                ctx.unknown(st, "NAT rule statement not understood (%s)" % e, Impact.GLOBAL)
                unsure.append("value")
        if sa is not None:
            src = sa
        if da is not None:
            dst = da
        dims = (src, dst, protos, sport, dport)
        match = PacketSet([cube(*dims)])
        # (an uncertain rule matches at most this: its match, and what its names may hold)
        wide = PacketSet([cube(src.union(maybe_src), dst.union(maybe_dst), protos, sport, dport)])
        if last_da is not None:  # (unsure: its maybe part holds every address given, its action one)
            dst = last_da
        if action is None:
            ctx.lines.unrecognized(s, "%s has no 'then'" % label, Impact.GLOBAL)
            return None
        rewrites, rev = self._action(rs, action, dims, dst, src, s, label, egress, addr_of, ingress)
        if persistent and rewrites:
            rev = self._persistent(rewrites, s, label, egress)
        if rewrites is None:
            return NatRule(PacketSet(), (), s, ingress, egress, wide, label), None
        if unsure:
            # (a rule that may match may make persistent bindings, and a static rule's reverse may apply: to all
            # of what it would translate for certain, then)
            if rev is not None and not persistent:
                rev = NatRule(PacketSet(), rev.rewrites, rev.source, rev.ingress, rev.egress,
                              rev.match.union(rev.maybe), rev.label)
            return NatRule(PacketSet(), rewrites, s, ingress, egress, wide, label), rev
        return NatRule(match, rewrites, s, ingress, egress, PacketSet(), label), rev

    def _static_prefix(self, how: str, arg: str, s: Source, label: str) -> ISet | None:
        """The block a static NAT rule translates to: ``prefix P``, or ``prefix-name N``, the global address
        book's entry N (Juniper, "static-nat (Security Static NAT)": "prefix-name addr-prefix-name -- Specify the
        address-book name of the translated address prefix"); None, reported, when it is not one known prefix."""
        if how == "prefix":
            try:
                return prefix(arg)
            except ValueError:
                self.ctx.lines.unrecognized(s, "%s: static-nat prefix not understood" % label, Impact.GLOBAL)
                return None
        got = self.books.resolve(arg, None, None, "nat")
        if got is None:  # (the commit fails: the configuration as given does not load)
            self.ctx.lines.undefined(arg, "address", s, "nat", Impact.GLOBAL)
            return None
        to = got.addrs
        size = to.size()
        if got.maybe or len(to.iv) != 1 or size & (size - 1) or to.lo % size:
            self.ctx.lines.unrecognized(s, "%s: static-nat prefix-name '%s' is not one address prefix of the global "
                                           "address book" % (label, arg), Impact.GLOBAL)
            return None
        return to

    def _second_destination(self, rs: RuleSet, before: ISet | None, now: ISet, st: Stmt, label: str) -> bool:
        """Whether ``st`` gives a static or destination NAT rule a second, other destination address:
        reported.  Juniper, "destination-address (Destination NAT)": "You can configure one address or a
        subnet" (a source NAT rule's is a list); whether a second statement replaces the first or is
        refused is not documented, and the union is neither."""
        if before is None or rs.kind == "source" or before == now:
            return False
        self.ctx.unknown(st, "%s: a second destination address (a %s NAT rule matches one address or subnet; "
                             "which one applies is not known)" % (label, rs.kind), Impact.GLOBAL)
        return True

    def _action(self, rs, action, dims, dst, src, s: Source, label, egress, addr_of, ingress):
        """(rewrites or None when not understood, reverse NatRule or None); ``dims`` are the rule's match
        (source, destination, protocols, source ports, destination ports), empty ones included."""
        verb = action[0]
        arg = action[1:]
        if arg == ("off",):
            return (), None
        if rs.kind == "static" and verb == "static-nat" and len(arg) >= 2 and arg[0] in ("prefix", "prefix-name"):
            to = self._static_prefix(arg[0], arg[1], s, label)
            if to is None:
                return None, None
            if to.size() != dst.size() or len(dst.iv) != 1:
                self.ctx.lines.unrecognized(s, "%s: the static-nat prefix and the matched destination differ in "
                                               "size" % label, Impact.GLOBAL)
                return None, None
            off = to.lo - dst.lo
            extra = arg[2:]
            rewrites: tuple[Rewrite, ...] = (Rewrite(1, off),)
            if extra[:1] == ("mapped-port",) and len(extra) == 2:
                mp = port_range(extra[1])
                port = dims[4]
                if port.size() != 1:
                    self.ctx.lines.unrecognized(s, "%s: mapped-port without one destination port" % label,
                                                Impact.GLOBAL)
                    return None, None
                rewrites += (Rewrite(4, mp.lo - port.lo),)
            elif extra:
                self.ctx.lines.unrecognized(s, "%s: static-nat option '%s' not modelled" % (label, extra[0]),
                                            Impact.GLOBAL)
                return None, None
            # The reverse mapping of a rule that also matches the source (address or port) or the
            # destination port: Juniper documents it only for a rule matching the destination
            # address ("Understanding Static NAT": "source IP address translation in the reverse
            # direction"), not whether the source match limits it, nor whether mapped-port is
            # reversed on the source port.  The mirror of the match is translated in any reading;
            # the rest of the host's traffic may or may not be: the reverse rule's maybe part, and
            # with mapped-port all of it (module doc), unknown only where a stage sees it leave.
            c = dims
            whole = PacketSet([cube(src=to)])
            sure = PacketSet() if len(rewrites) > 1 else PacketSet([cube(to, c[0], c[2], c[4], c[3])])
            doubt = whole.subtract(sure)
            if doubt:
                self.ctx.lines.unrecognized(s, "%s: which traffic from %s its reverse translates is not documented "
                                               "for a rule matching more than the destination address"
                                            % (label, arg[1]), Impact.FILTER, "nat")
            rev = NatRule(sure, (Rewrite(0, -off),), s, (), ingress, doubt, label + " (reverse)")
            return rewrites, rev
        if rs.kind == "destination" and verb == "destination-nat" and len(arg) >= 2 and arg[0] == "pool":
            pool = self._pool("destination", arg[1], s, label)
            if pool is None:
                return None, None
            addrs, port, _pat = pool
            out: tuple[Rewrite, ...] = ()
            if addrs.size() == 1 and dst.size() == 1:
                out += (Rewrite(1, addrs.lo - dst.lo),)
            else:
                out += (Rewrite(1, pool=addrs),)
            if port is not None:
                dp = dims[4]
                out += (Rewrite(4, port - dp.lo),) if dp.size() == 1 else (Rewrite(4, pool=ISet.of(port)),)
            return out, None
        if rs.kind == "source" and verb == "source-nat" and arg:
            # Port address translation comes with source NAT: always with 'interface', and with a pool
            # unless the pool says 'port no-translation' (Juniper, "port": "no-translation -- if set, no
            # Port Address Translation is required"; NAT MIB, interface source pool: "The security device
            # always applies PAT for the interface source pool").  The port is the device's pick.
            if arg[0] == "interface":
                addrs = EMPTY
                for name in egress:
                    addrs = addrs.union(addr_of.get(name, EMPTY))
                return (Rewrite(0, pool=addrs), Rewrite(3, pool=ALL_PORTS)) if addrs else None, None
            if arg[0] == "pool" and len(arg) >= 2:
                pool = self._pool("source", arg[1], s, label)
                if pool is None:
                    return None, None
                addrs, _port, pat = pool
                return (Rewrite(0, pool=addrs),) + ((Rewrite(3, pool=ALL_PORTS),) if pat else ()), None
        self.ctx.lines.unrecognized(s, "%s: action '%s' not understood" % (label, " ".join(action)), Impact.GLOBAL)
        return None, None

    @staticmethod
    def _persistent(rewrites: tuple[Rewrite, ...], s: Source, label: str, egress) -> NatRule:
        """Persistent NAT's inbound side: an outside host may send to a binding's reflexive address (an address of
        the rule's pool, or of the egress interface), which is translated to the inside host that made the binding
        (Juniper, "Persistent NAT Configuration Overview", Junos Security 10.2: "An external host ... can send a
        packet to the internal host by sending the packet to the reflexive IP address (with a configured incoming
        policy that allows external to internal traffic)").  Which host and port a binding holds is decided at run
        time: packets entering by the rule set's 'to' context to those addresses are the rule's ``maybe``."""
        reflexive = rewrites[0].pool if rewrites[0].pool is not None else EMPTY
        return NatRule(PacketSet(), (), s, egress, (), PacketSet([cube(dst=reflexive)]),
                       label + " (persistent NAT, inbound: the inside host is chosen at run time)")

    def _pool(self, kind: str, name: str, s: Source, label: str) -> tuple[ISet, int | None, bool] | None:
        """The pool's addresses, its port (a destination pool's ``address A port P``) and whether it
        translates source ports (not with ``port no-translation``); None when it is not known."""
        items = self.pools.get((kind, name))
        if not items:
            self.ctx.lines.undefined(name, "%s NAT pool" % kind, s, "nat", Impact.GLOBAL)
            return None
        addrs, port, pat = EMPTY, None, True
        for st in items:
            r = st.toks[5:]
            pat = pat and list(r[:2]) != ["port", "no-translation"]
            try:
                if r and r[0] == "address" and len(r) >= 2:
                    a = prefix(r[1])
                    if len(r) != 2 and (len(r) != 4 or r[2] not in ("to", "port")):
                        raise ValueError("'address A', 'address A to B' or 'address A port P'")
                    if len(r) == 4 and r[2] == "to":
                        a = ISet.of(a.lo, prefix(r[3]).hi)
                    elif len(r) == 4:
                        port = port_range(r[3]).lo
                    addrs = addrs.union(a)
                    self.ctx.use(st)
                elif r and r[0] in ("port", "description", "address-shared", "host-address-base",
                                    "overflow-pool", "pool-utilization-alarm", "address-pooling",
                                    "address-persistent"):
                    if r[0] == "port" and len(r) >= 3 and r[1] == "no-translation":
                        self.ctx.use(st)
                    else:
                        self.ctx.ignore(st, "NAT pool setting (which address or port is chosen)")
                elif r and r[0] == "routing-instance":
                    self.ctx.unknown(st, "NAT pool in another routing instance (not modelled)", Impact.GLOBAL)
                else:
                    self.ctx.unknown(st, "NAT pool statement not understood", Impact.GLOBAL)
            except (ValueError, IndexError):
                self.ctx.unknown(st, "NAT pool statement not understood", Impact.GLOBAL)
        if not addrs:
            self.ctx.lines.unrecognized(s, "%s: pool %s has no address" % (label, name), Impact.GLOBAL)
            return None
        return addrs, port, pat



# settings under 'security nat source' that choose which pool address or port a session gets, not which
# packets are translated ('address-persistent': "assign the same IP address from a source pool to a host for
# multiple concurrent sessions", Juniper, "address-persistent", junos-es93 swcmdref)
_SOURCE_SETTINGS = frozenset({"address-persistent", "pool-utilization-alarm", "pool-default-port-range", "interface",
                              "port-randomization", "session-persistence-scan", "pool-default-twin-port-range",
                              "session-drop-hold-down"})


def _shape(vals, ranged: bool) -> bool:
    """Whether a match's values are a range ``A to B`` (where ``ranged`` allows one) rather than one value
    ``A``; ``ValueError`` for anything else (``A to`` without its end, extra words: Junos refuses to commit
    them, and no value read from them would be the device's)."""
    if len(vals) == 1:
        return False
    if ranged and len(vals) == 3 and vals[1] == "to":
        return True
    raise ValueError("'%s' is not %s" % (" ".join(vals), "'A' or 'A to B'" if ranged else "one value"))

"""IOS NAT: ``ip nat inside source`` / ``ip nat outside source``, static and dynamic.

Where the router translates (Cisco, "NAT Order of Operation", Document ID 6209): a packet going
from an ``ip nat inside`` interface to an ``ip nat outside`` one is checked against the input
access list, routed, *then* translated (inside local -> inside global), then checked against the
output access list; a packet coming in on an outside interface is checked against the input
access list, translated (global -> local) *before* routing, then routed and checked against the
output access list.  So:

* ``inside source static L G`` untranslates the destination G -> L of packets arriving on an
  outside interface (pre-routing) and translates the source L -> G of packets going from inside
  to outside (post-routing); ``static tcp|udp L LP G GP`` does the same for one port,
  ``static network L G MASK`` for a block;
* ``inside source list ACL pool P|interface IF [overload]`` translates the sources the list
  permits to some address of the pool (and, with ``overload``, some port): post-routing;
* ``outside source static G L`` translates the source G -> L of packets arriving outside
  (pre-routing) and the destination L -> G of packets going out (post-routing).

Static translations are looked up before dynamic ones.  Each table is first-match.

A dynamic translation is removed when it has been idle for its timeout; a connection idle that
long then gets a new one (PAT: a new port), which breaks it; a static one never expires (Cisco IOS
IP Addressing Services Command Reference, "ip nat translation (timeout)": ``timeout`` "applies to
dynamic translations except for overload translations. Default is 86,400 seconds (24 hours)",
``tcp-timeout`` "applies to the TCP port. Default is 86,400 seconds"; Cisco IOS IP Configuration
Guide, "Configuring Network Address Translation", "Changing Translation Timeouts": "dynamic
address translations time out after some period of nonuse ... When overloading is not
configured, simple translation entries time out after 24 hours" (``timeout``); with overloading
the extended entries' ``tcp-timeout``).  ``translation_timeouts`` says so for the TCP connections
each dynamic ``inside source list`` rule translates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from auditor.core.model import Filter, Impact, Nat, NatRule, Rewrite, Source, Timeout
from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_V4, EMPTY, PROTO_TCP, ISet, PacketSet, cube, replies
from parsers.cisco_ios.names import digits
from parsers.cisco_ios.operands import OperandError, host_set, mask_set, prefix_set
from parsers.cisco_ios.scan import kids
from parsers.kit import Lines
from parsers.kit.sets import permitted

PROTOS = {"tcp": 6, "udp": 17}
# 'ip nat source' without inside or outside, on 'ip nat enable' interfaces: "The NAT Virtual Interface feature
# removes the requirement to configure an interface as either NAT inside or NAT outside. An interface can be
# configured to use or not use NAT." ... "When a domain is specified, the translation rules are applied either
# before or after the route decisions depending on the traffic flow from inside to outside or outside to inside.
# The translation rules are applied only after the route decision for an NVI."
NVI_DOC = ("Cisco IOS IP Addressing Services Configuration Guide 12.4T, 'Configuring NAT for IP Address Conservation', "
           "'NAT Virtual Interface', http://www.cisco.com/en/US/docs/ios/ipaddr/configuration/guide/"
           "iadnat_addr_consv_ps6441_TSD_Products_Configuration_Guide_Chapter.html#wp1085114")
NAT_TCP_DEFAULT = 86400  # ('timeout' and 'tcp-timeout' alike: see the docstring)
# 'ip nat translation' timers that never end an established, idle TCP connection's translation: of
# other protocols, of a connection closing (FIN/RST) or not yet established (SYN), of DNS; the
# number of entries
OTHER_TIMERS = ("udp-timeout", "dns-timeout", "finrst-timeout", "icmp-timeout", "pptp-timeout", "syn-timeout",
                "arp-ping-timeout", "max-entries")


@dataclass
class Pool:
    name: str
    line: int
    addrs: ISet


@dataclass
class NatLine:
    line: int
    toks: list[str]


def _as_written(name: str) -> tuple[str, str | None]:
    return name, None


@dataclass
class NatReader:
    lines: Lines
    # (an interface name as written -> (its full name, or why it is not known): parsers.kit.ifnames)
    ifname: Callable[[str], tuple[str, str | None]] = _as_written
    pools: dict[str, Pool] = field(default_factory=dict)
    statements: list[NatLine] = field(default_factory=list)
    nvi: list[NatLine] = field(default_factory=list)  # 'ip nat source ...' (NAT Virtual Interface)
    # route maps: name -> entries (sequence, permit?, the lists of its 'match ip address' lines, whether it has
    # another match line); read for 'ip nat inside source route-map NAME ...'
    route_maps: dict[str, list[tuple[int, bool, list[list[str]], bool]]] = field(default_factory=dict)
    timers: dict[str, tuple[int | None, int]] = field(default_factory=dict)  # timeout|tcp-timeout -> (secs, line)
    # dynamic 'inside source list' rules as built (rule, overload) and the static ones before them
    dynamics: list[tuple[NatRule, bool]] = field(default_factory=list)
    statics: list[NatRule] = field(default_factory=list)
    static_globals: PacketSet = field(default_factory=PacketSet)  # what the static ones translate sources to

    def read(self, t: list[str], i: int, j: int) -> None:
        lines = self.lines
        w = t[2] if len(t) > 2 else ""
        if w == "pool" and len(t) >= 4:
            self.pool(t, i, j)
        elif w == "source" and len(t) > 3:
            # NAT Virtual Interface (no inside / outside): not modelled, what it may translate unknown (nvi_table)
            self.nvi.append(NatLine(i, t))
            lines.use(i)
            for k in kids(lines.raw, i, j):
                lines.unrecognized(lines.source(k), "line under ip nat", Impact.GLOBAL)
        elif w in ("inside", "outside") and len(t) > 3 and t[3] == "source":
            self.statements.append(NatLine(i, t))
            lines.use(i)
            for k in kids(lines.raw, i, j):
                lines.unrecognized(lines.source(k), "line under ip nat", Impact.GLOBAL)
        elif w == "translation":
            self.timer(t, i, j)
        elif w in ("log", "service", "settings", "create", "limit", "stateful"):
            lines.ignore(i, "NAT service settings (logging, limits, ALGs: not the translations or their timeouts)", j)
        else:
            lines.unrecognized(lines.source(i), "NAT command not understood", Impact.GLOBAL)

    def route_map(self, t: list[str], i: int, j: int, why: str) -> None:
        """``route-map NAME [permit|deny] [SEQ]`` and its ``match`` lines (recorded for NAT; the block is
        ignored with ``why`` as before: a route map filters no packet on its own).  The sequence defaults to 10,
        the action to permit (Cisco IOS IP Routing Protocol-Independent Command Reference, ``route-map``)."""
        lines = self.lines
        act = t[2] if len(t) > 2 and t[2] in ("permit", "deny") else "permit"
        seq_w = t[3] if len(t) > 3 else (t[2] if len(t) > 2 and t[2].isdecimal() else "10")
        seq = int(seq_w) if seq_w.isdecimal() else 10
        addrs: list[list[str]] = []
        other = len(t) < 2 or (len(t) > 2 and t[2] not in ("permit", "deny") and not t[2].isdecimal())
        for k in kids(lines.raw, i, j):
            w = lines[k].split()
            if w[:3] == ["match", "ip", "address"] and len(w) > 3 and w[3] != "prefix-list":
                addrs.append(w[3:])
            elif w[:1] == ["match"] or w[:1] == ["continue"]:
                other = True
        entries = self.route_maps.setdefault(t[1] if len(t) > 1 else "", [])
        entries[:] = [e for e in entries if e[0] != seq] + [(seq, act == "permit", addrs, other)]
        entries.sort(key=lambda e: e[0])
        lines.ignore(i, why, j)

    def route_map_match(self, name: str, s, filters: dict[str, Filter]) -> tuple[PacketSet, PacketSet]:
        """What route map ``name`` permits for NAT, as (certain, uncertain): Cisco IOS IP Configuration Guide,
        "Configuring Network Address Translation", "Configuring Dynamic Translation with a Route Map": "Defines a
        route map permitting those addresses that are to be translated"; its entries in sequence order, the first
        whose match lines all match decides (permit: translated; deny, or no entry: not); an entry with no match
        line matches every packet, one with 'match ip address L1 L2' the packets one of the lists permits.  An
        entry with another match line (an interface, a prefix list, a next hop...) or a list not fully
        understood makes the whole map uncertain; so does an undefined map."""
        entries = self.route_maps.get(name)
        if entries is None:
            self.lines.undefined(name, "route-map", s, "nat")
            return PacketSet(), PacketSet([cube()])
        out, taken = PacketSet(), PacketSet()
        for _seq, permit, addrs, other in entries:
            if other:
                return PacketSet(), PacketSet([cube()])
            hit = PacketSet([cube()])
            for names in addrs:
                got = PacketSet()
                for acl in names:
                    f = filters.get(acl)
                    if f is None:
                        self.lines.undefined(acl, "access-list", s, "nat")
                        return PacketSet(), PacketSet([cube()])
                    sure, unsure = permitted(f.rules)
                    if unsure:
                        return PacketSet(), PacketSet([cube()])
                    got = got.union(sure)
                hit = hit.intersect(got)
            if permit:
                out = out.union(hit.subtract(taken))
            taken = taken.union(hit)
        return out, PacketSet()

    def timer(self, t: list[str], i: int, j: int) -> None:
        """``ip nat translation KEY SECONDS|never``."""
        lines = self.lines
        key = t[3] if len(t) > 3 else ""
        if key in OTHER_TIMERS:
            lines.ignore(i, "NAT timer that does not end an idle established TCP connection's translation", j)
        elif key in ("timeout", "tcp-timeout") and len(t) == 5 and (t[4] == "never" or digits(t[4])):
            self.timers[key] = (None if t[4] == "never" else int(t[4]), i)
            lines.use(i)
        else:
            # ('port-timeout tcp|udp PORT SECONDS' and the like: a timer of some TCP translations, not read)
            lines.unrecognized(lines.source(i), "NAT translation timer not understood", Impact.FILTER, "timeouts")

    def pool(self, t: list[str], i: int, j: int) -> None:
        """``ip nat pool NAME START END (netmask M | prefix-length N) [type ...]``, or the block
        form with ``address START END`` lines."""
        lines = self.lines
        name = t[3]
        try:
            addrs = ISet()
            if len(t) >= 8 and t[6] in ("netmask", "prefix-length"):
                addrs = ISet.of(host_set(t[4], 4).lo, host_set(t[5], 4).lo)
            elif len(t) >= 6 and t[4] in ("netmask", "prefix-length"):
                for k in kids(lines.raw, i, j):
                    s = lines[k].split()
                    if s[0] == "address" and len(s) == 3:
                        addrs = addrs.union(ISet.of(host_set(s[1], 4).lo, host_set(s[2], 4).lo))
                        lines.use(k)
                    else:
                        lines.unrecognized(lines.source(k), "NAT pool line not understood", Impact.GLOBAL)
            else:
                raise OperandError("bad pool")
            if not addrs:
                raise OperandError("empty pool")
        except (OperandError, IndexError) as e:
            lines.unrecognized(lines.source(i), "NAT pool (%s)" % e, Impact.GLOBAL)
            return
        self.pools[name] = Pool(name, i, addrs)
        lines.use(i)

    def tables(self, filters: dict[str, Filter], inside: tuple[str, ...], outside: tuple[str, ...],
               own: dict[str, ISet | None], connected: ISet = EMPTY, enabled: tuple[str, ...] = ()) -> list[Nat]:
        """The NAT tables in the order the router applies them to a packet (``own``: each interface's
        address, None where the router learns it at run time, never on ``connected``, the networks of
        the interfaces' configured addresses; ``enabled``: the interfaces with any ``ip nat`` marking)."""
        lines = self.lines
        un_static: list[NatRule] = []  # pre-routing, arriving outside: destination global -> local
        out_src: list[NatRule] = []  # pre-routing, arriving outside: outside source global -> local
        in_static: list[NatRule] = []  # post-routing, inside -> outside: source local -> global
        in_dyn: list[NatRule] = []
        out_dst: list[NatRule] = []  # post-routing, inside -> outside: destination local -> global
        for st in self.statements:
            t, s = st.toks, lines.source(st.line)
            try:
                side = t[2]
                rest = t[4:]
                if "vrf" in rest:
                    # (a translation of one VRF's traffic only: the model's NAT tables are the device's, for
                    # every routing table)
                    raise OperandError("a translation limited to VRF %s is not modelled"
                                       % (rest[rest.index("vrf") + 1:] or ["?"])[0])
                if rest and rest[0] == "static":
                    pre, post = self.static(rest[1:], s, own)
                    if side == "inside" and pre[1] is None:
                        # (the global address is an interface's that the router learns at run time, by
                        # DHCP or PPP: which packets the rule translates is not known, only that they are
                        # its protocol and ports, arriving outside or leaving from the local address)
                        lines.unrecognized(s, "NAT rule (%s): the packets it may translate are unknown"
                                           % pre[2], Impact.FILTER, "nat")
                        un_static.append(NatRule(PacketSet(), (), s, ingress=outside, label="not modelled",
                                                 maybe=pre[0].subtract(PacketSet([cube(dst=connected)]))))
                        in_static.append(NatRule(PacketSet(), (), s, ingress=inside, egress=outside,
                                                 maybe=post[0], label="not modelled"))
                        continue
                    if side == "inside":
                        un_static.append(NatRule(pre[0], pre[1], s, ingress=outside, label=pre[2]))
                        in_static.append(NatRule(post[0], post[1], s, ingress=inside, egress=outside, label=post[2]))
                    else:
                        # outside source static G L: G is what outside hosts really use
                        out_src.append(NatRule(post[0], _flip(post[1], 0), s, ingress=outside,
                                               label="outside source: %s" % post[2]))
                        out_dst.append(NatRule(pre[0], _flip(pre[1], 1), s, ingress=inside, egress=outside,
                                               label="outside destination: %s" % pre[2]))
                elif rest[:1] == ["list"] or (rest[:1] == ["route-map"] and side == "inside"):
                    rule = self.dynamic(rest, s, filters, own, side)
                    if side == "inside":
                        in_dyn.append(NatRule(rule[0], rule[1], s, ingress=inside, egress=outside, maybe=rule[2],
                                              label="dynamic"))
                        self.dynamics.append((in_dyn[-1], len(rule[1]) > 1))
                    else:
                        out_src.append(NatRule(rule[0], rule[1], s, ingress=outside, maybe=rule[2],
                                               label="dynamic outside source"))
                        lines.unrecognized(s, "the idle timeout of dynamic outside source translations is not "
                                           "modelled", Impact.FILTER, "timeouts")
                else:
                    raise OperandError("'%s' is not modelled" % " ".join(rest[:1]))
            except (OperandError, IndexError, ValueError) as e:
                lines.unrecognized(s, "NAT rule (%s)" % e, Impact.GLOBAL)
        (un_static, amb_un), (in_static, amb_in) = self.ambiguous(un_static, 1), self.ambiguous(in_static, 0)
        nvi = self.nvi_table(filters, own, enabled)
        for src in sorted(amb_un | amb_in, key=lambda x: x.line):
            lines.unrecognized(src, "static NAT overlapping another static translation that maps "
                               "the same addresses differently: which one applies is not documented, those packets "
                               "are unknown", Impact.FILTER, "nat")
        self.statics = in_static
        self.static_globals = replies(PacketSet([c for r in un_static for c in r.match.cubes]))
        out = [nvi] if nvi is not None else []
        if un_static:
            out.append(Nat("ip nat inside source static (outside to inside)", tuple(un_static), "pre-routing"))
        if out_src:
            out.append(Nat("ip nat outside source (outside to inside)", tuple(out_src), "pre-routing"))
        if in_static or in_dyn:
            out.append(Nat("ip nat inside source (inside to outside)", tuple(in_static + in_dyn), "post-routing"))
        if out_dst:
            out.append(Nat("ip nat outside source (inside to outside)", tuple(out_dst), "post-routing"))
        return out

    def nvi_table(self, filters: dict[str, Filter], own: dict[str, ISet | None], enabled: tuple[str, ...]
                  ) -> Nat | None:
        """The NAT Virtual Interface's translations (``ip nat source static|list ...`` with no inside or outside,
        on the interfaces with ``ip nat enable``), as rules that may translate the packets they name: unknown.
        NVI_DOC: "The translation rules are applied only after the route decision for an NVI", the route being
        looked up again on the translated packet (through the virtual interface NVI0), which the model's two NAT
        stages (before routing, after it) cannot say exactly; so each packet a rule may translate is unknown
        where it enters an interface that uses NAT (``enabled``: ``ip nat enable``, or ``inside`` / ``outside``,
        which make the virtual interface too): a static one's local address (and port) as source and its global
        one as destination, a dynamic one's sources its access list permits and its pool as destination (the
        packets of its translations).  Any other packet goes through untranslated ("An interface can be
        configured to use or not use NAT": one entering an interface that does not is not translated; a packet
        no rule matches is not translated either)."""
        lines = self.lines
        rules = []
        for st in self.nvi:
            t, s = st.toks, lines.source(st.line)
            rest = t[3:]
            try:
                if "vrf" in rest or "route-map" in rest:
                    raise OperandError("'%s' is not modelled" % ("vrf" if "vrf" in rest else "route-map"))
                if rest[:1] == ["static"]:
                    pre, post = self.static(rest[1:], s, own)
                    may = pre[0].union(post[0])
                elif rest[:1] == ["list"]:
                    sure, rw, unsure = self.dynamic(rest, s, filters, own, "inside")
                    may = sure.union(unsure).union(PacketSet([cube(dst=rw[0].pool)]))
                else:
                    raise OperandError("'%s' is not modelled" % " ".join(rest[:1]))
            except (OperandError, IndexError, ValueError) as e:
                lines.unrecognized(s, "NAT rule (%s)" % e, Impact.GLOBAL)
                continue
            if not enabled:
                lines.unrecognized(s, "NAT Virtual Interface rule but no interface has 'ip nat enable': nothing is "
                                   "translated", Impact.NONE)
                continue
            lines.unrecognized(s, "NAT Virtual Interface translation ('ip nat source', no inside or outside) is "
                               "not modelled: the packets it may translate are unknown", Impact.FILTER, "nat")
            rules.append(NatRule(PacketSet(), (), s, ingress=enabled, maybe=may,
                                 label="NAT Virtual Interface (not modelled)"))
        if not rules:
            return None
        return Nat("ip nat source (NAT Virtual Interface)", tuple(rules), "pre-routing")

    def ambiguous(self, rules: list[NatRule], dim: int) -> tuple[list[NatRule], set[Source]]:
        """Static translations whose addresses overlap (``dim``: the address they match on) and that
        translate them differently: which one the router applies to the packets of both is not
        documented (Cisco's "NAT Order of Operation", Document ID 6209, orders NAT against routing and
        the access lists only; the NAT configuration guide and the ``ip nat inside source`` command
        reference say nothing of overlapping static entries, and Batfish orders them by prefix length,
        CiscoGrammarTest.testIosStaticNat, where the order written would give the other answer), so
        those packets are unknown (``maybe``) in every such rule, never translated one way for sure.
        Also the lines of the rules so changed."""
        if len(rules) < 2:
            return rules, set()

        ivs = [r.match.cubes[0].dims[dim].iv if r.match.cubes else [(0, -1)] for r in rules]
        span = [(iv[0][0], iv[-1][1]) for iv in ivs]
        both: dict[int, PacketSet] = {}
        active: list[int] = []
        for k in sorted(range(len(rules)), key=span.__getitem__):
            lo = span[k][0]
            active = [a for a in active if span[a][1] >= lo]
            for a in active:
                if rules[a].rewrites != rules[k].rewrites:
                    x = rules[a].match.intersect(rules[k].match)
                    if x:
                        both[a] = both[a].union(x) if a in both else x
                        both[k] = both[k].union(x) if k in both else x
            active.append(k)
        out = []
        for k, r in enumerate(rules):
            x = both.get(k)
            if x is None:
                out.append(r)
                continue
            out.append(NatRule(r.match.subtract(x), r.rewrites, r.source, r.ingress, r.egress,
                               r.maybe.union(x) if r.maybe else x, r.label))
        return out, {rules[k].source for k in both}

    def static(self, t: list[str], s, own: dict[str, ISet | None]):
        """A static translation -> ((match of the global side, rewrites to local, label),
        (match of the local side, rewrites to global, label)) for the inside-source sense."""
        proto = None
        if t and t[0] in PROTOS:
            proto = PROTOS[t[0]]
            t = t[1:]
        if t and t[0] == "network":
            local, glob = t[1], t[2]
            m = t[3]
            lset = prefix_set("%s%s" % (local, m), 4) if m.startswith("/") else mask_set(local, m)
            gset = prefix_set("%s%s" % (glob, m), 4) if m.startswith("/") else mask_set(glob, m)
            rest = t[4:]
            lp = gp = None
        elif proto is not None:
            lset = host_set(t[0], 4)
            lp = int(t[1])
            if t[2] == "interface":
                gset = self.iface_addr(t[3], own, learned=True)
                gp = int(t[4])
                rest = t[5:]
            else:
                gset = host_set(t[2], 4)
                gp = int(t[3])
                rest = t[4:]
            if not (0 <= lp <= 65535 and 0 <= gp <= 65535):
                raise OperandError("port out of range")
        else:
            lset = host_set(t[0], 4)
            if t[1] == "interface":
                gset, rest = self.iface_addr(t[2], own, learned=True), t[3:]
            else:
                gset, rest = host_set(t[1], 4), t[2:]
            lp = gp = None
        for w in rest:
            if w not in ("extendable", "no-alias", "no-payload", "reversible", "add-route", "redundancy",
                         "mapping-id", "match-in-vrf") and not w.isdecimal():
                # ('route-map' makes the translation conditional: not modelled)
                if w == "route-map":
                    raise OperandError("a conditional static translation (route-map) is not modelled")
        p = ISet.of(proto) if proto is not None else None
        kw = {} if p is None else {"proto": p}
        gm = PacketSet([cube(dst=gset or ALL_V4, dport=ISet.of(gp) if gp is not None else ALL_PORTS, **kw)])
        lm = PacketSet([cube(src=lset, sport=ISet.of(lp) if lp is not None else ALL_PORTS, **kw)])
        if gset is None:  # (an interface address learned at run time: the rule's packets, no rewrite)
            why = "the address of interface %s is learned at run time" % (t[3] if proto is not None else t[2])
            return (gm, None, why), (lm, None, why)
        off = lset.lo - gset.lo
        to_local = (Rewrite(1, offset=off),) + ((Rewrite(4, offset=lp - gp),) if lp is not None and lp != gp else ())
        to_global = (Rewrite(0, offset=-off),) + ((Rewrite(3, offset=gp - lp),) if lp is not None and lp != gp
                                                    else ())
        label = "static %s" % " ".join(t[:4])
        return (gm, to_local, label), (lm, to_global, label)

    def translation_timeouts(self, timeouts: list[Timeout], inside: tuple[str, ...], outside: tuple[str, ...],
                             elsewhere: ISet) -> list[Timeout]:
        """``timeouts`` with the idle timeout of the dynamic ``inside source list`` translations: each
        limits the TCP connections its rule translates (from an inside interface to a destination
        routed out of an outside one: not one of ``elsewhere``, the destinations other interfaces
        reach), besides any other timeout of theirs.  Timeouts are first-match, so a connection
        another timeout also covers gets a copy of it, in front, with the shorter of the two."""
        if not self.dynamics:
            return timeouts
        lines = self.lines
        taken = PacketSet()
        for r in self.statics:
            taken = taken.union(r.match)
        limits: list[tuple[Timeout, PacketSet, ISet, bool]] = []
        routed_out = PacketSet([cube(dst=ALL_ADDR.subtract(elsewhere), proto=ISet.of(PROTO_TCP))])
        for r, overload in self.dynamics:
            key = "tcp-timeout" if overload else "timeout"
            secs, at = self.timers.get(key, (NAT_TCP_DEFAULT, None))
            if r.maybe:
                lines.unrecognized(r.source, "the access list of a dynamic translation is not fully understood: "
                                   "which connections its idle timeout ends is not known", Impact.FILTER,
                                   "timeouts")
            scope = r.match.union(r.maybe).subtract(taken).intersect(routed_out)
            taken = taken.union(r.match)
            if not scope:
                continue
            pool = r.rewrites[0].pool
            whose = "the %s translations of '%s'" % ("PAT" if overload else "dynamic", r.source.text.strip())
            label = ("ip nat translation %s (%s)" % (key, whose) if at is not None else
                     "IOS default NAT %s %d s (%s)" % (key, NAT_TCP_DEFAULT, whose))
            n = Timeout(self.both_forms(scope, pool, overload), secs, lines.source(at) if at is not None else r.source,
                        interfaces=inside, label=label, default=at is None)
            limits.append((n, scope, pool, overload))
        front: list[Timeout] = []
        outside_ifs = set(outside)
        for n, scope, pool, overload in limits:
            for t in timeouts:
                both = self.both_forms(t.match.intersect(scope), pool, overload)
                if not both:
                    continue
                if outside_ifs.intersection(t.interfaces):
                    lines.unrecognized(n.source, "a timeout of an outside interface's connections and a NAT "
                                       "translation's together are not modelled", Impact.FILTER, "timeouts")
                    continue
                ifs = tuple(i for i in t.interfaces if i in inside) if t.interfaces else inside
                if not ifs:
                    continue
                shorter = n.idle_seconds is not None and not t.dcd and (
                    t.idle_seconds is None or n.idle_seconds < t.idle_seconds)
                if shorter:
                    front.append(replace(t, match=both, interfaces=ifs, idle_seconds=n.idle_seconds,
                                         source=n.source, label=n.label, default=n.default, reset=False))
                else:
                    front.append(replace(t, match=both, interfaces=ifs))
        return front + timeouts + [n for n, *_ in limits]

    def both_forms(self, ps: PacketSet, pool: ISet, overload: bool) -> PacketSet:
        """Connections ``ps`` (as routed) of a dynamic rule, and the same as its translation makes them
        (where a stage of the path sees the source NAT, an outbound access list, the audit
        matches timeouts against that form): the source one of the pool's, with PAT any port;
        but not a static translation's (looked up first: that is what those packets are)."""
        out = [cube(pool, c.dims[1], c.dims[2], ALL_PORTS if overload else c.dims[3], c.dims[4]) for c in ps.cubes]
        return ps.union(PacketSet(out).subtract(self.static_globals))

    def iface(self, name: str) -> str:
        """The full name of the interface ``name`` abbreviates (``interface Gi0/0`` in a rule)."""
        full, why = self.ifname(name)
        if why is not None:
            raise OperandError(why)
        return full

    def iface_addr(self, name: str, own: dict[str, ISet | None], learned: bool = False) -> ISet | None:
        """The address of interface ``name`` (``own``: None for one the router learns at run time, by DHCP or
        PPP); with ``learned``, None for such an interface, else it is an error."""
        name = self.iface(name)
        a = own.get(name)
        if a is None and learned and name in own:
            return None
        if a is None:
            raise OperandError("interface %s has no address in the config" % name)
        return a

    def dynamic(self, t: list[str], s, filters: dict[str, Filter], own: dict[str, ISet | None], side: str):
        """``list ACL|route-map RM (pool P | interface IF) [overload] [vrf V]`` -> (match, rewrites, maybe)."""
        acl = t[1]
        f = filters.get(acl)
        if t[0] == "route-map":
            sure, unsure = self.route_map_match(acl, s, filters)
        elif f is None:
            self.lines.undefined(acl, "access-list", s, "nat")
            sure, unsure = PacketSet(), PacketSet([cube()])
        else:
            sure, unsure = permitted(f.rules)
        overload = "overload" in t
        if t[2] == "pool":
            pool = self.pools.get(t[3])
            if pool is None:
                self.lines.undefined(t[3], "NAT pool", s, "nat")
                addrs = ALL_V4
            else:
                addrs = pool.addrs
        elif t[2] == "interface":
            addrs = own.get(self.iface(t[3]))
            if addrs is None:
                addrs = ALL_V4  # (an address assigned at run time: some address)
            overload = True
        else:
            raise OperandError("expected 'pool' or 'interface'")
        rw = (Rewrite(0, pool=addrs),) + ((Rewrite(3, pool=ALL_PORTS),) if overload else ())
        return sure, rw, unsure


def _flip(rewrites: tuple[Rewrite, ...], dim: int) -> tuple[Rewrite, ...]:
    """The rewrites of an inside-sense static moved onto dimension ``dim`` (for outside source NAT:
    the same offsets, applied to the source arriving and to the destination leaving)."""
    out = []
    for r in rewrites:
        if r.dim in (0, 1):
            out.append(Rewrite(dim, offset=r.offset, pool=r.pool))
        else:
            out.append(Rewrite(3 if dim == 0 else 4, offset=r.offset, pool=r.pool))
    return tuple(out)


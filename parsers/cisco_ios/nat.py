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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import Filter, Impact, Nat, NatRule, Rewrite
from auditor.core.packets import ALL_PORTS, ALL_V4, ISet, PacketSet, cube
from parsers.cisco_ios.operands import OperandError, host_set, mask_set, prefix_set
from parsers.cisco_ios.scan import kids
from parsers.kit import Lines
from parsers.kit.sets import permitted

PROTOS = {"tcp": 6, "udp": 17}


@dataclass
class Pool:
    name: str
    line: int
    addrs: ISet


@dataclass
class NatLine:
    line: int
    toks: list[str]


@dataclass
class NatReader:
    lines: Lines
    pools: dict[str, Pool] = field(default_factory=dict)
    statements: list[NatLine] = field(default_factory=list)

    def read(self, t: list[str], i: int, j: int) -> None:
        lines = self.lines
        w = t[2] if len(t) > 2 else ""
        if w == "pool" and len(t) >= 4:
            self.pool(t, i, j)
        elif w in ("inside", "outside") and len(t) > 3 and t[3] == "source":
            self.statements.append(NatLine(i, t))
            lines.use(i)
            for k in kids(lines.raw, i, j):
                lines.unrecognized(lines.source(k), "line under ip nat", Impact.GLOBAL)
        elif w in ("translation", "log", "service", "settings", "create", "limit", "stateful"):
            lines.ignore(i, "NAT service settings (translation timeouts and limits are not modelled)", j)
        else:
            lines.unrecognized(lines.source(i), "NAT command not understood", Impact.GLOBAL)

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
               own: dict[str, ISet]) -> list[Nat]:
        """The NAT tables in the order the router applies them to a packet."""
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
                    if side == "inside":
                        un_static.append(NatRule(pre[0], pre[1], s, ingress=outside, label=pre[2]))
                        in_static.append(NatRule(post[0], post[1], s, ingress=inside, egress=outside, label=post[2]))
                    else:
                        # outside source static G L: G is what outside hosts really use
                        out_src.append(NatRule(post[0], _flip(post[1], 0), s, ingress=outside,
                                               label="outside source: %s" % post[2]))
                        out_dst.append(NatRule(pre[0], _flip(pre[1], 1), s, ingress=inside, egress=outside,
                                               label="outside destination: %s" % pre[2]))
                elif rest and rest[0] == "list":
                    rule = self.dynamic(rest, s, filters, own, side)
                    if side == "inside":
                        in_dyn.append(NatRule(rule[0], rule[1], s, ingress=inside, egress=outside, maybe=rule[2],
                                              label="dynamic"))
                    else:
                        out_src.append(NatRule(rule[0], rule[1], s, ingress=outside, maybe=rule[2],
                                               label="dynamic outside source"))
                else:
                    raise OperandError("'%s' is not modelled" % " ".join(rest[:1]))
            except (OperandError, IndexError, ValueError) as e:
                lines.unrecognized(s, "NAT rule (%s)" % e, Impact.GLOBAL)
        out = []
        if un_static:
            out.append(Nat("ip nat inside source static (outside to inside)", tuple(un_static), "pre-routing"))
        if out_src:
            out.append(Nat("ip nat outside source (outside to inside)", tuple(out_src), "pre-routing"))
        if in_static or in_dyn:
            out.append(Nat("ip nat inside source (inside to outside)", tuple(in_static + in_dyn), "post-routing"))
        if out_dst:
            out.append(Nat("ip nat outside source (inside to outside)", tuple(out_dst), "post-routing"))
        return out

    def static(self, t: list[str], s, own: dict[str, ISet]):
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
                gset = self.iface_addr(t[3], own)
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
                gset, rest = self.iface_addr(t[2], own), t[3:]
            else:
                gset, rest = host_set(t[1], 4), t[2:]
            lp = gp = None
        for w in rest:
            if w not in ("extendable", "no-alias", "no-payload", "reversible", "add-route", "redundancy",
                         "mapping-id", "match-in-vrf") and not w.isdigit():
                # ('route-map' makes the translation conditional: not modelled)
                if w == "route-map":
                    raise OperandError("a conditional static translation (route-map) is not modelled")
        off = lset.lo - gset.lo
        p = ISet.of(proto) if proto is not None else None
        kw = {} if p is None else {"proto": p}
        gm = PacketSet([cube(dst=gset, dport=ISet.of(gp) if gp is not None else ALL_PORTS, **kw)])
        lm = PacketSet([cube(src=lset, sport=ISet.of(lp) if lp is not None else ALL_PORTS, **kw)])
        to_local = (Rewrite(1, offset=off),) + ((Rewrite(4, offset=lp - gp),) if lp is not None and lp != gp else ())
        to_global = (Rewrite(0, offset=-off),) + ((Rewrite(3, offset=gp - lp),) if lp is not None and lp != gp
                                                    else ())
        label = "static %s" % " ".join(t[:4])
        return (gm, to_local, label), (lm, to_global, label)

    def iface_addr(self, name: str, own: dict[str, ISet]) -> ISet:
        a = own.get(name)
        if a is None:
            raise OperandError("interface %s has no address in the config" % name)
        return a

    def dynamic(self, t: list[str], s, filters: dict[str, Filter], own: dict[str, ISet], side: str):
        """``list ACL (pool P | interface IF) [overload] [vrf V]`` -> (match, rewrites, maybe)."""
        acl = t[1]
        f = filters.get(acl)
        if f is None:
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
            addrs = own.get(t[3])
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


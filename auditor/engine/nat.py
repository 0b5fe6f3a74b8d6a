"""Address translation over packet sets, exactly.

A ``Xlate`` is what a chain of NAT rules does to the packets of one piece of a flow: per
dimension, ``v + offset`` (a static translation) or "some value of a pool" (dynamic NAT,
PAT).  It maps cubes forward, and back: the preimage of an outcome computed on translated
packets is the original packets that certainly land in it; where the device's choice from a
pool decides (a pool only partly inside the outcome), those packets are *unsure*.

``split(...)`` runs a NAT table's first match over packets; ``as_sent(...)`` turns required
flows, written with real addresses, into what clients really send (a mapped address where a
destination NAT presents the server on the client's side).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.core.model import Nat, NatRule
from auditor.core.packets import EMPTY, MAX_ADDR, MAX_PORT, MAX_PROTO, Cube, ISet, PacketSet

_TOP = (MAX_ADDR, MAX_ADDR, MAX_PROTO, MAX_PORT, MAX_PORT)


def shifted(s: ISet, offset: int, dim: int) -> ISet:
    """``s`` moved by ``offset``, clipped to the dimension's range."""
    if not offset:
        return s
    top = _TOP[dim]
    out = []
    for lo, hi in s.iv:
        lo, hi = max(lo + offset, 0), min(hi + offset, top)
        if lo <= hi:
            out.append((lo, hi))
    return ISet(out, _normal=True)


@dataclass(frozen=True)
class Xlate:
    """The translations applied to a piece of packets, in order (``rules``) and per dimension
    (``dims``: dimension -> (offset, pool or None))."""

    rules: tuple[NatRule, ...] = ()
    dims: tuple[tuple[int, int, ISet | None], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.dims)

    def then(self, rule: NatRule) -> "Xlate":
        """This translation followed by ``rule``'s rewrites."""
        table = {d: (o, p) for d, o, p in self.dims}
        for rw in rule.rewrites:
            if rw.pool is not None:
                table[rw.dim] = (0, rw.pool)
            else:
                off, pool = table.get(rw.dim, (0, None))
                table[rw.dim] = (off, shifted(pool, rw.offset, rw.dim)) if pool is not None else (off + rw.offset, None)
        dims = tuple((d, o, p) for d, (o, p) in sorted(table.items()) if o or p is not None)
        return Xlate(self.rules + (rule,), dims)

    def forward(self, ps: PacketSet) -> PacketSet:
        """The packets ``ps`` become."""
        if not self.dims:
            return ps
        out = []
        for c in ps.cubes:
            dims = list(c.dims)
            for d, off, pool in self.dims:
                dims[d] = pool if pool is not None else shifted(dims[d], off, d)
            if all(x.iv for x in dims):
                out.append(Cube.from_dims(dims))
        return PacketSet.of_cubes(out)

    def back(self, ps: PacketSet, domain: PacketSet) -> tuple[PacketSet, PacketSet]:
        """(the packets of ``domain`` whose translation certainly lies in ``ps``, those whose
        translation lies in it or not depending on the device's choice from a pool)."""
        if not self.dims:
            return ps.intersect(domain), PacketSet()
        sure, unsure = [], []
        for t in ps.cubes:
            dims = list(t.dims)
            partial = False
            for d, off, pool in self.dims:
                if pool is None:
                    dims[d] = shifted(dims[d], -off, d)
                elif pool.issubset(t.dims[d]):
                    dims[d] = ISet.of(0, _TOP[d])
                elif pool.overlaps(t.dims[d]):
                    dims[d] = ISet.of(0, _TOP[d])
                    partial = True
                else:
                    dims = None
                    break
            if dims is None:
                continue
            pre = Cube.from_dims(dims)
            for c in domain.cubes:
                x = c.intersect(pre)
                if x is not None:
                    (unsure if partial else sure).append(x)
        return PacketSet.of_cubes(sure), PacketSet.of_cubes(unsure)


IDENTITY = Xlate()


def applicable(table: Nat, ingress: str | None = None, egress: str | None = None) -> list[NatRule]:
    """The rules of ``table`` that apply to packets entering ``ingress`` / leaving ``egress``."""
    return [r for r in table.rules
            if (not r.ingress or ingress is None or ingress in r.ingress)
            and (not r.egress or egress is None or egress in r.egress)]


def split(rules: list[NatRule], packets: PacketSet, base: Xlate = IDENTITY
          ) -> tuple[list[tuple[PacketSet, Xlate]], list[tuple[PacketSet, NatRule]]]:
    """First match of NAT ``rules`` over ``packets`` (as ``base`` has translated them).

    Returns the pieces with the translation each gets (unmatched packets keep ``base``), and
    the pieces that reach a rule's ``maybe`` part (translated or not: unknown).  The pieces are
    in the space of ``packets``; the rules match the translated form.
    """
    done: list[tuple[PacketSet, Xlate]] = []
    unsure: list[tuple[PacketSet, NatRule]] = []
    rest = packets
    for r in rules:
        if not rest:
            break
        if r.paired and not any(b.source == r.source for b in base.rules):
            continue  # (the second half of a translation whose first half these packets did not get)
        view = base.forward(rest) if base else rest
        if r.match and view.overlaps(r.match):
            hit, doubt = base.back(view.intersect(r.match), rest)
            if doubt:
                unsure.append((doubt, r))
                rest = rest.subtract(doubt)
            if hit:
                done.append((hit, base.then(r)))
                rest = rest.subtract(hit)
            view = base.forward(rest) if base else rest
        if r.maybe and rest and view.overlaps(r.maybe):
            hit, doubt = base.back(view.intersect(r.maybe), rest)
            hit = hit.union(doubt)
            if hit:
                unsure.append((hit, r))
                rest = rest.subtract(hit)
    if rest:
        done.append((rest, base))
    return done, unsure


def pre_routing(nat: tuple[Nat, ...]) -> list[Nat]:
    """The NAT tables applied as packets arrive (destination NAT), in order."""
    return [t for t in nat if t.when == "pre-routing"]


def post_routing(nat: tuple[Nat, ...]) -> list[Nat]:
    """The NAT tables applied as packets leave (source NAT), in order."""
    return [t for t in nat if t.when != "pre-routing"]


def as_sent(nat: tuple[Nat, ...], flows: PacketSet, ingress_of, direct: bool) -> PacketSet:
    """What clients send for ``flows`` written with real (translated) destinations.

    Where a destination NAT rule applying to the client's ingress interface maps some address
    onto a destination of ``flows``, the client sends to that mapped address (the rule's
    preimage, first match respected); the rest it sends as written.  ``ingress_of(names)`` is
    the source addresses arriving on those interfaces.  With ``direct`` the packets as written
    are kept too (an attacker tries both).
    """
    tables = pre_routing(nat)
    if not tables:
        return flows
    mapped = PacketSet()
    reached = PacketSet()
    for table in tables:
        earlier = PacketSet()
        for r in table.rules:
            dst_rw = tuple(rw for rw in r.rewrites if rw.dim in (1, 4))
            if dst_rw and r.match:
                x = Xlate(dims=tuple((rw.dim, rw.offset, rw.pool) for rw in dst_rw))
                # packets whose destination this rule translates into ``flows``
                pre = PacketSet([c for c in r.match.cubes])
                # (when none of its matches lands in ``flows``, no part of them does: the
                # earlier rules need not be cut out; a table of many such rules stays linear)
                if flows.overlaps(x.forward(pre)):
                    if r.ingress:
                        src = ingress_of(r.ingress)
                        pre = pre.intersect(PacketSet([Cube(src, *_all_but_src())]))
                    pre = pre.subtract(earlier) if earlier else pre
                    got, _doubt = x.back(flows.intersect(x.forward(pre)), pre)
                    if got:
                        mapped = mapped.union(got)
                        reached = reached.union(x.forward(got))
            earlier = earlier.union(r.match).union(r.maybe)
    if direct:
        return flows.union(mapped)
    return mapped.union(flows.subtract(reached)) if reached else flows.union(mapped)


def _all_but_src() -> tuple[ISet, ISet, ISet, ISet]:
    return (ISet.of(0, MAX_ADDR), ISet.of(0, MAX_PROTO), ISet.of(0, MAX_PORT), ISet.of(0, MAX_PORT))


__all__ = ["EMPTY", "IDENTITY", "Xlate", "applicable", "as_sent", "post_routing", "pre_routing", "split"]

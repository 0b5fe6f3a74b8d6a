"""Fixes in a vendor's own syntax: what a vendor's ``fix`` hook is asked, and the helpers they share.

The auditor finds a required flow blocked at some stage of a path (by a rule, or by the stage's
default) and asks the vendor for the smallest change that permits exactly those packets there:
a ``FixRequest``.  The hook (``Vendor.fix``) returns the change as the vendor's own commands, the
text its ``apply_change`` hook (``check-change``) accepts, or raises ``CannotFix`` saying why not.
It never has to be right about what else the change does: the auditor applies it to a copy of
the configuration and proves, with the engine, that the gap is closed and that the newly
permitted traffic is inside the flow; a change that fails that proof is not offered.

``parts(packets)`` turns the packets into rule-shaped pieces (address blocks, protocol, port
ranges), which each vendor writes in its own words.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from auditor.core.model import Config, Path, Rule, Stage
from auditor.core.packets import ALL_PORTS, ALL_V4, ALL_V6, MAX_PORT, V4_BASE, V4_MAX, ISet, PacketSet

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class CannotFix(Exception):
    """The vendor cannot write this fix (say why, in one line: it is shown to the user)."""


@dataclass(frozen=True)
class FixRequest:
    """Permit exactly ``packets`` at ``stage`` of ``path``.

    ``rule`` is the rule that denies them now: the permit must come before it (first match);
    ``None`` means the stage's default denies them: the permit goes after the stage's rules (at
    the end of the last filter the packets reach), or into a new rule set where the stage has
    none.  ``packets`` are as the stage's rules see them (after NAT where ``Stage.sees`` says so).
    ``name`` is a short name for what the change creates (objects, policies): the flow's ID.
    ``label`` is the flow in words, for a remark or description.  ``phase`` is which packets of
    the connections are blocked: ``new`` (the first), ``established`` (the later ones, on a
    stateless stage) or ``reply`` (the replies, on a stateless stage: ``packets`` are replies).
    ``idle_seconds``, when set, is how long the flow's connections must survive idle (PRN120: a
    shift): a vendor whose new rule brings its own idle timeout (a Junos application, a FortiOS
    policy) sets at least that.
    """

    config: Config
    path: Path
    stage: Stage
    rule: Rule | None
    packets: PacketSet
    name: str
    label: str = ""
    phase: str = "new"
    idle_seconds: int | None = None


@dataclass(frozen=True)
class Part:
    """One rule's worth of packets: source and destination blocks (CIDRs, each family apart),
    one protocol, and port ranges (``sport``/``dport`` ``None``: any port)."""

    src: tuple[Network, ...] | None  # None: any address of the family
    dst: tuple[Network, ...] | None
    family: int  # 4 or 6
    proto: int
    sport: tuple[tuple[int, int], ...] | None
    dport: tuple[tuple[int, int], ...] | None


def networks(s: ISet) -> tuple[Network, ...]:
    """An address set as CIDR blocks (IPv4 blocks for the mapped range)."""
    out: list[Network] = []
    for lo, hi in s.iv:
        for a, b, v4 in _by_family(lo, hi):
            if v4:
                first, last = ipaddress.IPv4Address(a - V4_BASE), ipaddress.IPv4Address(b - V4_BASE)
            else:
                first, last = ipaddress.IPv6Address(a), ipaddress.IPv6Address(b)
            out.extend(ipaddress.summarize_address_range(first, last))
    return tuple(out)


def _by_family(lo: int, hi: int):
    if hi < V4_BASE or lo > V4_MAX:
        yield lo, hi, False
        return
    if lo < V4_BASE:
        yield lo, V4_BASE - 1, False
    yield max(lo, V4_BASE), min(hi, V4_MAX), True
    if hi > V4_MAX:
        yield V4_MAX + 1, hi, False


def ranges(s: ISet) -> tuple[tuple[int, int], ...] | None:
    """Port ranges of a port set; ``None`` for every port."""
    return None if s == ALL_PORTS else tuple(s.iv)


def parts(packets: PacketSet) -> list[Part]:
    """``packets`` as rule-shaped parts: one per cube, protocol and address family.

    ``CannotFix`` for a part no rule of a flow fix writes (a protocol range, ICMP types)."""
    out = []
    for c in packets.cubes:
        src, dst, proto, sport, dport = c.dims
        for fam, universe in ((4, ALL_V4), (6, ALL_V6)):
            s, d = src.intersect(universe), dst.intersect(universe)
            if not s or not d:
                continue
            for lo, hi in proto.iv:
                if hi - lo > 3:
                    raise CannotFix("a fix opens one protocol at a time (the flow is tcp or udp)")
                for p in range(lo, hi + 1):
                    if p not in (6, 17):
                        raise CannotFix("a fix opens tcp or udp flows (protocol %d)" % p)
                    out.append(Part(None if s == universe else networks(s), None if d == universe else networks(d),
                                    fam, p, ranges(sport), ranges(dport)))
    if not out:
        raise CannotFix("nothing to permit")
    return out


def unique_name(base: str, taken) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever ``taken(name)`` says is free."""
    if not taken(base):
        return base
    k = 2
    while taken("%s-%d" % (base, k)):
        k += 1
    return "%s-%d" % (base, k)


def port_text(lo: int, hi: int) -> str:
    """``445`` or ``1024-65535``."""
    return str(lo) if lo == hi else "%d-%d" % (lo, hi)


__all__ = ["CannotFix", "FixRequest", "MAX_PORT", "Part", "networks", "parts", "port_text", "ranges",
           "unique_name"]

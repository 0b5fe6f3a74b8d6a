"""Address operands every vendor writes: CIDRs, ranges, host addresses, with their family."""

from __future__ import annotations

import ipaddress

from auditor.core.model import AddressRef, Source
from auditor.core.packets import ALL_ADDR, ALL_V4, ALL_V6, V4_BASE, ISet, addr_to_int, network_to_iset


def wildcard_blocks(value: int, free: int, max_bits: int = 12) -> ISet | None:
    """The IPv4 addresses (``value`` and ``free`` as 32-bit integers) equal to ``value`` in every bit
    ``free`` does not set: the non-contiguous masks of Cisco wildcards, Junos ``wildcard-address``,
    PAN-OS and FortiOS wildcard objects.  Exact, one interval per combination of the free bits above
    their lowest run (each interval spans that run); ``None`` when those are more than ``max_bits``
    (over 2**max_bits intervals: the caller reports the operand instead)."""
    free &= 0xFFFFFFFF
    base = value & ~free & 0xFFFFFFFF
    low = ((free + 1) & ~free) - 1  # the lowest run of free bits (maybe none): each interval's size - 1
    high = free & ~low  # the other free bits: each combination of them is one interval
    if bin(high).count("1") > max_bits:
        return None
    out = []
    sub = 0
    while True:  # the sub-masks of ``high``, in increasing order
        v = V4_BASE + (base | sub)
        out.append((v, v + low))
        sub = (sub - high) & high
        if sub == 0:
            break
    # (the bit above the lowest run is fixed or in ``high``, so consecutive intervals never touch)
    return ISet(out, _normal=True)


def cidr_set(text: str, family: int | None = None) -> ISet:
    """``10.0.0.0/8``, ``10.0.0.1``, ``2001:db8::/32`` or ``a.b.c.d-e.f.g.h`` -> its address set.

    Host bits are ignored (``10.0.0.1/8`` is ``10.0.0.0/8``), and the families stay apart
    (``::/0`` is every IPv6 address, not the IPv4-mapped block too).  ``family`` (4 or 6)
    refuses the other family.  Raises ``ValueError`` with a short reason.
    """
    t = str(text).strip()
    # the usual IPv4 address or CIDR, without building ipaddress objects (the same answers: the
    # address parsed as strictly, the length plain decimal digits)
    a, slash, n = t.partition("/")
    if ":" not in t and "-" not in t and (not slash or (n.isascii() and n.isdecimal() and len(n) <= 2)):
        try:
            x = addr_to_int(a)
        except ValueError:
            x = None  # (the general path below gives the reason)
        plen = int(n) if slash else 32
        if x is not None and plen <= 32:
            if family == 6:
                raise ValueError("'%s' is not an IPv6 address" % t)
            size = 1 << (32 - plen)
            lo = x & ~(size - 1)
            return ISet.of(lo, lo + size - 1)
    if "-" in t and "/" not in t:
        lo, hi = (addr_to_int(x.strip()) for x in t.split("-", 1))
        if hi < lo:
            raise ValueError("empty address range '%s'" % t)
        out = ISet.of(lo, hi)
    else:
        try:
            net = ipaddress.ip_network(t, strict=False)
        except ValueError:
            raise ValueError("'%s' is not an address or network" % t) from None
        out = network_to_iset(net).intersect(ALL_V4 if net.version == 4 else ALL_V6)
    if family is not None and not out.issubset(ALL_V4 if family == 4 else ALL_V6):
        raise ValueError("'%s' is not an IPv%d address" % (t, family))
    return out


_ANY_IV = (ALL_ADDR.iv, ALL_V4.iv, ALL_V6.iv)


def address_refs(addrs: ISet, source: Source) -> tuple[AddressRef, ...]:
    """The ``AddressRef`` of an address written at ``source`` (none for an empty set or 'any')."""
    if not addrs.iv or addrs.iv in _ANY_IV:  # (intervals compared: no ISet.__eq__ call each)
        return ()
    return (AddressRef(addrs, source),)

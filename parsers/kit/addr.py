"""Address operands every vendor writes: CIDRs, ranges, host addresses, with their family."""

from __future__ import annotations

import ipaddress

from auditor.core.model import AddressRef, Source
from auditor.core.packets import ALL_ADDR, ALL_V4, ALL_V6, ISet, addr_to_int, network_to_iset


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
    if ":" not in t and "-" not in t and (not slash or (n.isascii() and n.isdigit() and len(n) <= 2)):
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


def address_refs(addrs: ISet, source: Source) -> tuple[AddressRef, ...]:
    """The ``AddressRef`` of an address written at ``source`` (none for an empty set or 'any')."""
    if not addrs or addrs in (ALL_ADDR, ALL_V4, ALL_V6):
        return ()
    return (AddressRef(addrs, source),)

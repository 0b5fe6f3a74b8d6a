"""IPv6 neighbour discovery as filters meet it: the neighbours' neighbour solicitations and
advertisements (ICMPv6 types 135 and 136, from link-local addresses to a solicited-node multicast
address, all-nodes, or the router's link-local address: RFC 4861).  A filter on the way in that drops
them leaves the device unable to resolve the link's neighbours, so what it permits may carry nothing
(each vendor's parser decides what follows: IOS lists permit them implicitly at their end, Junos
filters do not).

Only ICMP code 0 is neighbour discovery: RFC 4861 (https://www.rfc-editor.org/rfc/rfc4861), 7.1.1
and 7.1.2, "A node MUST silently discard any received Neighbor Solicitation [Advertisement] messages
that do not satisfy all of the following validity checks: ... ICMP Code is 0", so a filter that drops
135/1 or 136/255 drops nothing the neighbours need (OpenWrt fw4 accepts exactly
``icmpv6 type . icmpv6 code { 135 . 0, 136 . 0 }``).

The link-local sources are fe80::/64: RFC 4291 (https://www.rfc-editor.org/rfc/rfc4291) 2.5.6 gives
the link-local unicast format as the ten bits 1111111010, then 54 zero bits, then the 64-bit
interface identifier (fe80::/10 in the table of 2.4 is the type's binary prefix, not a range of
addresses in use), and RFC 4862 (https://www.rfc-editor.org/rfc/rfc4862) 5.3 forms every link-local
address from that prefix and the interface identifier.  The rest of fe80::/10 is no address a
neighbour sends discovery from, so a filter that treats it differently (a reverse-path lookup the
host's routes decide: ``parsers.linux.common.RpfCond``) does not touch neighbour discovery."""

from __future__ import annotations

from auditor.core.model import Action, Filter, Rule, Source, new_rule
from auditor.core.packets import PROTO_ICMP6, ISet, PacketSet, cube
from parsers.kit.addr import cidr_set

LINK_LOCAL = cidr_set("fe80::/64", 6)
ND = PacketSet([cube(src=LINK_LOCAL, dst=cidr_set("ff02::/16", 6).union(LINK_LOCAL), proto=ISet.of(PROTO_ICMP6),
                     dport=ISet([(135 * 256, 135 * 256), (136 * 256, 136 * 256)]))])


def nd_denier(rules) -> tuple[Rule | None, PacketSet]:
    """The first enabled rule of ``rules`` (in order) that may deny neighbour discovery, and the
    neighbour-discovery packets no rule matches (what the filter's end decides)."""
    remaining = ND
    for r in rules:
        if not remaining:
            break
        if not r.enabled:
            continue
        for part in (r.match, r.maybe):
            if part and remaining.intersect(part):
                if r.action is not Action.PERMIT:
                    return r, remaining
                remaining = remaining.subtract(part)
    return None, remaining


def nd_gate(name: str, may: PacketSet, source: Source, note: str, label: str) -> Filter:
    """The filter put in front of one that drops neighbour discovery: its one rule leaves ``may`` (what
    the filter may let through) unknown, at ``source`` (the rule that drops the neighbour discovery), and
    matches nothing for certain (what the filter drops stays dropped)."""
    return Filter(name, (new_rule(name, 0, Action.DENY, PacketSet(), source, maybe=may, note=note, builtin=True,
                                  label=label),), source, kind="implicit")

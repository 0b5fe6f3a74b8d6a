"""What a list of rules permits on its own, by first match: for the lists other features use as
classifiers (IOS: a zone-based firewall's ``match access-group``, a NAT rule's ``list``, a
reflexive entry), where the list's implicit deny means "does not match", and for what a filter
may let through (``parsers.kit.nd``)."""

from __future__ import annotations

from typing import Iterable

from auditor.core.model import NEW, Action, Rule
from auditor.core.packets import ALL, NOTHING, PacketSet


def permitted(rules: Iterable[Rule], new_only: bool = False) -> tuple[PacketSet, PacketSet]:
    """(packets the rules certainly permit, packets they may permit) by first match.

    ``new_only``: classify the first packet of a connection (a zone-based firewall classifies a
    session by it), so rules that match only later packets (``established``) never match.
    """
    remaining = ALL
    sure, unsure = NOTHING, NOTHING
    for r in rules:
        if not r.enabled or (new_only and not r.states & NEW):
            continue
        if not remaining:
            break
        if r.match:
            hit = remaining.intersect(r.match)
            if hit and r.action is Action.PERMIT:
                sure = sure.union(hit)
            remaining = remaining.subtract(r.match)
        if r.maybe and remaining:
            got = remaining.intersect(r.maybe)
            if got:
                unsure = unsure.union(got)
                remaining = remaining.subtract(r.maybe)
    return sure, unsure

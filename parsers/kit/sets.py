"""What a list of rules permits on its own, by first match: for the lists other features use as
classifiers (IOS: a zone-based firewall's ``match access-group``, a NAT rule's ``list``, a
reflexive entry), where the list's implicit deny means "does not match", and for what a filter
may let through (``parsers.kit.nd``); and the stages of a host behind one of several filters (``one_of``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from auditor.core.model import NEW, Action, Filter, Rule, Stage
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


def one_of(filters: dict[str, Filter], alternatives: list[tuple[Stage, ...]], note: str,
           label: str = "one of several") -> list[Stage]:
    """The stages of a host behind one of ``alternatives`` (each the stages a flow must all pass: one network
    ACL, one NSG), not known which: a flow is permitted only where every alternative permits it (each stays a
    stage), denied only where every one denies it, unknown otherwise.  Each stage's filters are copied into
    ``filters`` (``"NAME (one of several)"``, or ``label``, kind ``derived``): a denying rule is sure only of the
    packets no alternative may permit, its other packets unknown (``maybe``, ``note``), and a last rule does the
    same for the stage default.  An empty alternative (no stage: a host behind no filter) permits everything."""
    def may_permit(st: Stage) -> PacketSet:
        if st.default is not Action.DENY:
            return ALL
        sure, unsure = permitted(r for n in st.filters for r in filters[n].rules)
        return sure.union(unsure)

    permits = NOTHING
    for alt in alternatives:
        p = ALL
        for st in alt:
            p = p.intersect(may_permit(st))
        permits = permits.union(p)
    denied = ALL.subtract(permits)
    out = []
    for st in (st for alt in alternatives for st in alt):
        names = []
        for n in st.filters:
            f = filters[n]
            cname = "%s (%s)" % (n, label)
            rules = [r if r.action is not Action.DENY or not r.match.subtract(denied) else
                     replace(r, match=r.match.intersect(denied), maybe=r.maybe.union(r.match.subtract(denied)),
                             note=note)
                     for r in f.rules]
            rules = [replace(r, filter=cname, index=i) for i, r in enumerate(rules)]
            if n == st.filters[-1] and st.default is Action.DENY:
                rules.append(Rule(cname, len(rules), Action.DENY, denied, st.default_source or f.source,
                                  maybe=ALL.subtract(denied), note=note, builtin=True))
            filters[cname] = Filter(cname, tuple(rules), f.source, kind="derived")
            names.append(cname)
        out.append(replace(st, filters=tuple(names)))
    return out

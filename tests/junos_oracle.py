"""aerleon as an independent oracle for Junos: random policies rendered to ``srx`` and ``juniper``.

Builds on ``aerleon_oracle`` (its random terms, packets and ``AclCheck`` oracle) without changing it:
the same policies get a Junos header, aerleon's ``junipersrx`` generator renders a zone-pair policy
(address book, applications and application sets included) and its ``juniper`` generator a firewall
filter.  Everything judged here is aerleon's code; nothing comes from the auditor.
"""

from __future__ import annotations

import aerleon_oracle as O
from hypothesis import strategies as st

TARGETS = ("srx", "juniper")
FROM, TO = "trust", "untrust"
FILTER = "PRINERGY-EDGE"


def header(target: str, family: int) -> str:
    af = {4: "inet", 6: "inet6"}[family]
    if target == "srx":
        return "from-zone %s to-zone %s %s" % (FROM, TO, af)
    return "%s %s" % (FILTER, af)


@st.composite
def cases(draw, target: str, family: int = 4) -> O.Case:
    # juniper filters 'reject' like iptables does; SRX policies accept or deny
    ts = draw(O.terms("iptables" if target == "juniper" else "nftables", family))
    pol, defs = O.to_aerleon("ciscoasa", family, ts, "X", "drop")
    pol = {"filename": "oracle_" + target,
           "filters": [{"header": {"targets": {target: header(target, family)}}, "terms": pol["filters"][0]["terms"]}]}
    return O.Case(target, family, ts, FILTER, "drop", pol, defs)


def filter_name(case: O.Case) -> str:
    """The model's filter that the rendered policy becomes."""
    if case.target == "srx":
        return "%s->%s" % (FROM, TO)
    return FILTER if case.family == 4 else "inet6 " + FILTER

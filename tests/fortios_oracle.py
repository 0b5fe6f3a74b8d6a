"""aerleon as an independent oracle for FortiOS: random policies rendered by aerleon's ``fortigate``
generator, judged by aerleon's ``AclCheck``.

aerleon's generator (``aerleon/lib/fortigate.py``) writes one ``config firewall policy`` of terms from
``from-zone`` to ``to-zone``, with addresses, address groups, ``service custom`` entries
(``tcp-portrange DST[:SRC]``) and no ``set action`` for deny terms (FortiOS's default).  It renders
faithfully only terms whose protocols come with destination ports (a protocol without ports becomes
service ``ALL``; ICMP without a type likewise), so the drawn terms keep to that; everything else is
``aerleon_oracle``'s (address universe, packets near the edges, the AclCheck decision).
"""

from __future__ import annotations

import aerleon_oracle as O
from aerleon.lib import naming
from hypothesis import strategies as st

SRC_IF, DST_IF = "port1", "port2"
FILTER = "%s->%s" % (SRC_IF, DST_IF)


@st.composite
def terms(draw, family: int) -> list[O.Term]:
    bases, lens = (O.V4_BASES, O.V4_LENS) if family == 4 else (O.V6_BASES, O.V6_LENS)
    out = []
    for i in range(draw(st.integers(1, 5))):
        def addrs():
            if draw(st.booleans()):
                return None
            return sorted({O._net(draw(st.sampled_from(bases)), draw(st.sampled_from(lens)))
                           for _ in range(draw(st.integers(1, 2)))})
        src, dst = addrs(), addrs()
        protos = draw(st.sampled_from([["tcp"], ["udp"], ["tcp", "udp"], None]))
        dports = sports = None
        if protos is not None:
            dports = draw(O.port_ranges())
            if draw(st.integers(0, 3)) == 0:
                sports = draw(O.port_ranges())
        out.append(O.Term("t%d" % i, src, dst, protos, sports, dports, draw(st.sampled_from(["accept", "deny"]))))
    return out


@st.composite
def cases(draw, family: int = 4) -> O.Case:
    ts = draw(terms(family))
    pol, defs = to_aerleon(family, ts)
    return O.Case("fortigate", family, ts, FILTER, "drop", pol, defs)


def to_aerleon(family: int, ts: list[O.Term]) -> tuple[dict, naming.Naming]:
    """The policy dict and definitions (aerleon_oracle's, with a fortigate header)."""
    pol, defs = O.to_aerleon("ciscoasa", family, ts, "X", "drop")
    af = {4: "inet", 6: "inet6"}[family]
    pol["filename"] = "oracle_fortigate"
    pol["filters"][0]["header"] = {"targets": {"fortigate": "from-zone %s to-zone %s %s" % (SRC_IF, DST_IF, af)}}
    return pol, defs

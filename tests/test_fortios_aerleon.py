"""Our FortiOS parser and engine against aerleon: aerleon renders random policies for FortiGate,
aerleon's AclCheck judges each packet (first exact term, else the implicit deny)."""

from __future__ import annotations

import aerleon_oracle as O
import fortios_oracle as F
from aerleon_oracle import PACKETS, SETTINGS
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json, make_packet
from parsers import parse_text


def check(case: O.Case, data) -> None:
    text = O.render(case)
    cfg = parse_text(text, "aerleon-fortigate")  # auto-detection
    assert cfg.vendor == "fortios"
    assert not cfg.diagnostics, text
    oracle = O.Oracle(case)
    for _ in range(PACKETS):
        src, dst, proto, sport, dport = data.draw(O.packets(case))
        want = oracle.decision(src, dst, proto, sport, dport)
        pkt = make_packet(src, dst, proto, sport, dport)
        got = decision_json(cfg, pkt, F.FILTER) if F.FILTER in cfg.filters else {"decision": "deny"}
        assert got["decision"] == want, ((src, dst, proto, sport, dport), got, text)


def test_agrees_with_aerleon_ipv4():
    @settings(max_examples=40, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(F.cases(4)), data)

    run()


def test_agrees_with_aerleon_ipv6():
    @settings(max_examples=20, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(F.cases(6)), data)

    run()


def test_oracle_can_disagree():
    """The comparison is not vacuous: a policy whose first term denies, checked for a packet it matches."""
    ts = [O.Term("t0", ["10.0.1.0/24"], None, ["tcp"], None, [(80, 80)], "deny"),
          O.Term("t1", None, None, None, None, None, "accept")]
    pol, defs = F.to_aerleon(4, ts)
    case = O.Case("fortigate", 4, ts, F.FILTER, "drop", pol, defs)
    cfg = parse_text(O.render(case), "x")
    oracle = O.Oracle(case)
    assert oracle.decision("10.0.1.5", "10.9.9.9", "tcp", 1024, 80) == "deny"
    assert oracle.decision("10.0.2.5", "10.9.9.9", "tcp", 1024, 80) == "permit"
    assert decision_json(cfg, make_packet("10.0.1.5", "10.9.9.9", "tcp", 1024, 80), F.FILTER)["decision"] == "deny"
    assert decision_json(cfg, make_packet("10.0.2.5", "10.9.9.9", "tcp", 1024, 80), F.FILTER)["decision"] == "permit"

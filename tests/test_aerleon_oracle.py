"""Our parsers and engine against aerleon: aerleon renders random policies, aerleon's AclCheck judges.

For each target, hypothesis draws small policies (``aerleon_oracle.cases``)
and packets near their prefixes and ports; our decision for the rendered
configuration (parsed with auto-detection) must equal AclCheck's.  Runs are
derandomized, so the suite is deterministic.
"""

from __future__ import annotations

import aerleon_oracle as O
import pytest
from aerleon_oracle import PACKETS, SETTINGS, our_packet
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json
from parsers import parse_text

VENDOR = {"ciscoasa": "cisco-asa", "iptables": "iptables", "speedway": "iptables", "nftables": "nftables"}


def filter_name(case: O.Case, cfg) -> str:
    if case.target == "nftables":
        [name] = [n for n in cfg.filters if n.endswith("/root0")]
        return name
    return case.chain




def check(case: O.Case, data) -> None:
    text = O.render(case)
    cfg = parse_text(text, "aerleon-%s" % case.target)  # auto-detection
    assert cfg.vendor == VENDOR[case.target]
    # (an IPv6 policy that drops neighbour discovery, as aerleon's often do, is reported: the host cannot
    # reach its IPv6 neighbours, so what its chains accept is unknown through its paths: test_linux_hunt5.py)
    nd = [d for d in cfg.unrecognized if "neighbour discovery" in d.message]
    assert not nd or case.family == 6, text
    assert len(cfg.unrecognized) == len(nd) and not [d for d in cfg.diagnostics if d.code == "CFG301"], text
    oracle = O.Oracle(case)
    fname = filter_name(case, cfg)
    linux = case.target != "ciscoasa"
    transit = any(p.local is None for p in cfg.paths)
    for _ in range(PACKETS):
        pkt = data.draw(O.packets(case))
        want = oracle.decision(*pkt)
        ours = decision_json(cfg, our_packet(pkt), fname)
        assert ours["decision"] == want, (pkt, ours, text)
        if not linux:
            continue
        # the same packet through the config's paths (host or router) decides the same
        if case.chain.lower() == "forward" and not transit:
            assert want == "permit", text  # left out as idle: the chain accepts everything
            continue
        assert decision_json(cfg, our_packet(pkt))["decision"] == ("unknown" if nd and want == "permit" else want), \
            (pkt, text)


@pytest.mark.parametrize("target", O.TARGETS)
def test_agrees_with_aerleon_ipv4(target):
    @settings(max_examples=30, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(O.cases(target, 4)), data)

    run()


@pytest.mark.parametrize("target", ["iptables", "speedway", "nftables"])
def test_agrees_with_aerleon_ipv6(target):
    # (aerleon's ciscoasa generator renders no IPv6 term, so ASA is IPv4 only here)
    @settings(max_examples=15, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(O.cases(target, 6)), data)

    run()


def test_oracle_sees_first_match_and_default():
    """The oracle itself: first exact match wins, else the default."""
    terms = [O.Term("t0", ["10.0.1.0/24"], None, ["tcp"], None, [(80, 80)], "deny"),
             O.Term("t1", None, None, ["tcp"], None, None, "accept")]
    pol, defs = O.to_aerleon("iptables", 4, terms, "INPUT", "drop")
    oracle = O.Oracle(O.Case("iptables", 4, terms, "INPUT", "drop", pol, defs))
    assert oracle.decision("10.0.1.5", "10.9.9.9", "tcp", 1024, 80) == "deny"
    assert oracle.decision("10.0.2.5", "10.9.9.9", "tcp", 1024, 80) == "permit"
    assert oracle.decision("10.0.2.5", "10.9.9.9", "udp", 1024, 80) == "deny"

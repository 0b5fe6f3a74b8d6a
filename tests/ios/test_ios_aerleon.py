"""Our IOS parser and engine against aerleon: aerleon renders random policies to Cisco IOS (and
IOS-XR), aerleon's AclCheck judges each packet; our decision must be the same.  Runs are
derandomized, so the suite is deterministic."""

from __future__ import annotations

import aerleon_ios as A
import pytest
from aerleon_oracle import PACKETS, SETTINGS, our_packet
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json
from auditor.core.packets import ALL_V4, addr_to_int
from parsers import parse_text


def check(ios: A.IosCase, data) -> None:
    text = A.render(ios)
    cfg = parse_text(text, "aerleon-%s" % ios.variant)  # auto-detection
    assert cfg.vendor == "cisco-ios"
    assert not cfg.diagnostics, text
    routed = A.with_interfaces(text, ios)
    rcfg = parse_text(routed, "aerleon-routed") if routed else None
    # an inbound IPv6 list whose explicit 'deny ipv6 any any' drops neighbour discovery: what it permits is
    # unknown through the router (test_ios_acl, test_an_inbound_ipv6_list_that_drops_neighbour_discovery...)
    nd_dropped = rcfg is not None and any("neighbour discovery" in d.message for d in rcfg.diagnostics)
    oracle = A.oracle(ios)
    for _ in range(PACKETS):
        pkt = data.draw(A.packets(ios))
        want = oracle.decision(*pkt)
        family = 4 if addr_to_int(pkt[0]) in ALL_V4 else 6
        ours = decision_json(cfg, our_packet(pkt), ios.acl_for(family))
        assert ours["decision"] == want, (pkt, ours, text)
        if rcfg is not None:
            # the same packet through the router, arriving on the interface the list is bound to
            got = decision_json(rcfg, our_packet(pkt))
            if got.get("stage") is None:
                continue  # (both ends on the interface's own subnet: not filtered)
            expect = "unknown" if nd_dropped and family == 6 and want == "permit" else want
            if expect == "deny" and addr_to_int(pkt[0]) not in A.ROUTED_NET:
                # (in and out of the one interface, from a source behind its gateway: denied only if that router
                # sends it to this one rather than on to its destination, tests/test_back_out24.py)
                expect = "unknown"
                assert "reaches the device only if a router behind" in got["reason"], got
            assert got["decision"] == expect, (pkt, got, routed)


@pytest.mark.parametrize("variant", A.VARIANTS)
def test_agrees_with_aerleon(variant):
    @settings(max_examples=25, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(A.cases(variant)), data)

    run()


def test_the_oracle_sees_addresses_of_a_standard_list_as_sources():
    """The standard-list case judges 'address' terms as sources (see aerleon_ios)."""
    ios = A.IosCase("standard", None, None, "5")  # type: ignore[arg-type]
    assert ios.acl_for(4) == "5" and ios.acl_for(6) == "5"
    terms = [A.O.Term("t0", ["10.0.1.0/24"], None, None, None, None, "deny"),
             A.O.Term("t1", None, None, None, None, None, "accept")]
    pol, defs = A.O.to_aerleon("iptables", 4, terms, "INPUT", "drop")
    pol["filters"][0]["header"] = {"targets": {"cisco": "5 standard"}}
    oracle = A.O.Oracle(A.O.Case("cisco", 4, terms, "5", "drop", pol, defs))
    assert oracle.decision("10.0.1.9", "10.0.9.9", "tcp", 1024, 80) == "deny"
    assert oracle.decision("10.0.2.9", "10.0.9.9", "tcp", 1024, 80) == "permit"

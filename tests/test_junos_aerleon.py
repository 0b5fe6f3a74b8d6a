"""Junos against aerleon: aerleon renders random policies to SRX zone policies and Junos firewall filters,
aerleon's AclCheck says what each packet gets, and our decision for the rendered text must be the same.

Runs are derandomized, so the suite is deterministic.  The SRX side exercises the global address book,
address sets, custom applications and application sets with ports, and first-match policies with the
default deny; the filter side exercises address lists, protocol and port lists, 'reject' and the
implicit discard at the end of a filter (Juniper, "Firewall Filter Terminating Actions").
"""

from __future__ import annotations

import aerleon_oracle as O
import junos_oracle as J
import pytest
from aerleon_oracle import PACKETS, SETTINGS, our_packet
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json
from parsers import parse_text


def check(case: O.Case, data) -> None:
    text = O.render(case)
    cfg = parse_text(text, "aerleon-%s" % case.target)  # auto-detection
    assert cfg.vendor == "junos"
    assert not cfg.diagnostics, (cfg.diagnostics, text)
    oracle = O.Oracle(case)
    fname = J.filter_name(case)
    if fname not in cfg.filters:  # every term dropped by the generator (e.g. IPv4-only terms in inet6)
        assert all(oracle.decision(*data.draw(O.packets(case))) == "deny" for _ in range(3))
        return
    for _ in range(PACKETS):
        pkt = data.draw(O.packets(case))
        want = oracle.decision(*pkt)
        ours = decision_json(cfg, our_packet(pkt), fname)
        assert ours["decision"] == want, (pkt, ours, text)


@pytest.mark.parametrize("target", J.TARGETS)
def test_agrees_with_aerleon_ipv4(target):
    @settings(max_examples=30, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(J.cases(target, 4)), data)

    run()


@pytest.mark.parametrize("target", J.TARGETS)
def test_agrees_with_aerleon_ipv6(target):
    @settings(max_examples=15, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(J.cases(target, 6)), data)

    run()

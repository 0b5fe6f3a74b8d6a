"""Every real FortiOS configuration of the corpus audits without a crash; each line it does not
understand is listed here with the reason, and every other non-blank line is used or ignored."""

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict

from auditor.api import audit, load_config
from auditor.policy import load_site

CORPUS = sorted((FIXTURES / "corpus" / "fortios").iterdir())
SITE = load_site(None, ["workshop=10.0.1.0/24", "primary=10.0.2.10", "secondary=10.0.2.11"])

# file -> {line: why it is not understood}; nothing else may be reported
NOT_UNDERSTOOD = {
    "bf-address.conf": {
        40: "interface-subnet of an interface the file does not define",
        49: "type dynamic (SDN connector): its addresses are not in the configuration",
        54: "type fqdn: resolved by DNS at run time",
        58: "type geography: a country's addresses are not in the configuration",
        66: "type mac: matched by MAC address",
        81: "type wildcard (no wildcard set)",
        # 'set wildcard 2.2.2.2 255.0.0.255' (the later edit of "wildcard" replaces 1.1.0.1 255.255.0.255):
        # 16 scattered free bits, 65,536 separate blocks, past the bound of 4,096: not evaluated
        88: "type wildcard of too many blocks",
    },
    "bf-addrgrp.conf": {},
    "bf-firewall-policy.conf": {},
    "bf-fortios-ignored.conf": {},
    "bf-service-custom.conf": {},
    "netutils-fortios-full.conf": {},
}


def test_corpus_present_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert {p.name for p in CORPUS} == set(NOT_UNDERSTOOD)
    for f in CORPUS:
        assert "| fortios/%s |" % f.name in prov


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "fortios"
    result = audit([cfg], SITE)
    assert_corpus_verdict(path, result)
    assert {d.source.line: d.message for d in cfg.unrecognized}.keys() == NOT_UNDERSTOOD[path.name].keys()
    assert all(d.impact.value == "none" for d in cfg.unrecognized)  # objects no policy uses
    reported = {f.source.line for f in result.findings if f.rule_id == "CFG300"}
    assert reported == set(NOT_UNDERSTOOD[path.name])
    assert cfg.aux["lines"].unaccounted() == []
    assert cfg.lines == len(path.read_text().splitlines())


def test_policy_corpus_file_model():
    # Batfish's firewall_policy config: a disabled deny, an accept without 'set action' (deny), policy 1
    # with appended interfaces, 'any', zones (srcintf zone1 port2 zone3 + zone2, dstintf zone1 + zone3)
    cfg = load_config(str(FIXTURES / "corpus" / "fortios" / "bf-firewall-policy.conf"))
    rules = cfg.filters["port1->port2"].rules
    assert [(r.source.text.strip(), r.action.value, r.enabled) for r in rules] == [
        ("edit 0", "deny", False), ("edit 4294967294", "deny", True), ("edit 1", "permit", True),
        ("edit 2", "permit", True)]
    assert [r.source.text.strip() for r in cfg.filters["port2->zone3"].rules] == ["edit 2", "edit 3"]
    assert [r.source.text.strip() for r in cfg.filters["zone2->zone2"].rules] == ["edit 2"]


def test_service_corpus_file_model():
    cfg = load_config(str(FIXTURES / "corpus" / "fortios" / "bf-service-custom.conf"))
    svc = {o.name: o.services for o in cfg.objects if o.kind == "service"}
    icmp = {n: [c.dims[4].iv for c in svc[n].cubes] for n in ("unset_icmp_1", "unset_icmp_2", "unset_icmp_3")}
    # "net result: match type 5, any code" / "type 3, any code" / "any icmp" (the file's own comments)
    assert icmp == {"unset_icmp_1": [((1280, 1535),)], "unset_icmp_2": [((768, 1023),)],
                    "unset_icmp_3": [((0, 65535),)]}
    assert [c.dims[2].iv for c in svc["change_protocol"].cubes] == [((0, 255),)]  # protocol IP, number reset

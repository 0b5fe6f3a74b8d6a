"""Every real PAN-OS configuration of the corpus audits without a crash; what is not understood is listed.

The files are copied verbatim from public repositories (``tests/fixtures/corpus/PROVENANCE.md``):
Batfish's PAN-OS parser tests (``set`` commands and the hierarchical form, with Panorama-pushed
NAT), aerleon's PAN-OS generator reference outputs (XML) and netutils' full PAN-OS config mock.
For each file the test says exactly which lines are reported and why.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict
from panos_util import decide

from auditor.api import audit, load_config
from auditor.policy import load_site

CORPUS = sorted((FIXTURES / "corpus" / "panos").iterdir())
SITE = load_site(None, ["workshop=1.1.1.0/24", "primary=1.1.4.2", "secondary=1.2.1.100"])

# file -> {(code, line, impact)} of every diagnostic, with why
EXPECTED = {
    # rulebases rendered by aerleon carry no zones or interfaces (the device part is not theirs)
    "aerleon-paloalto.xml": {("CFG300", 1, "none")},
    "aerleon-stateful-multitarget-simple.xml": {("CFG300", 1, "none")},
    # group2 -> group0 -> group2: a cycle PAN-OS refuses to commit (Batfish's test of it)
    "bf-address-groups-nested.set": {("CFG300", 7, "filter")},
    # zones INSIDE and OUTSIDE list the undefined interfaces ethernet1/1.2 and ethernet1/2.2
    "bf-destination-nat-panorama.set": {("CFG301", 155, "filter"), ("CFG301", 160, "filter")},
    # the disabled rule names the undefined zone ZONE_UNDEF and service SERVICE_UNDEF, each beside 'any'
    # (whose matching then no document gives: test_panos_lists)
    "bf-rulebase.set": {("CFG301", 13, "filter"), ("CFG301", 17, "filter"), ("CFG300", 13, "filter"),
                        ("CFG300", 17, "filter")},
    # SERVICE2 and 'SERVICE 4' have no destination port (PAN-OS requires one); SG 2 names an undefined
    # service
    "bf-service.set": {("CFG300", 4, "filter"), ("CFG300", 6, "filter"), ("CFG301", 10, "filter")},
    # both interfaces take their address from DHCP: the networks they reach are not known
    # and Panorama manages it (panorama-server 10.0.0.1): the rules it pushes are not in the file
    "netutils-panos-full.conf": {("CFG300", 104, "global"), ("CFG300", 124, "global"), ("CFG300", 284, "global")},
}


def test_corpus_present_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert {p.name for p in CORPUS} == set(EXPECTED)
    for f in CORPUS:
        assert "| panos/%s |" % f.name in prov


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "paloalto-panos"
    result = audit([cfg], SITE)
    assert_corpus_verdict(path, result)
    got = {(d.code, d.source.line, d.impact.value) for d in cfg.diagnostics}
    assert got == EXPECTED[path.name], sorted(got)
    reported = {f.source.line for f in result.findings if f.rule_id in ("CFG300", "CFG301")}
    assert reported == {line for _c, line, _i in EXPECTED[path.name]}
    assert cfg.lines == len(path.read_text().splitlines())


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_every_line_accounted_for(path):
    from parsers.panos import parse_with_lines

    _cfg, lines = parse_with_lines(path.read_text(), str(path))
    assert [lines.raw[i] for i in lines.unaccounted()] == []


def test_batfish_rulebase_semantics():
    # Batfish's 'rulebase' test: the disabled block-all rule has no effect, RULE1 denies TCP 999 to z1/z2,
    # RULE2 allows all but 2.2.2.2 to 1.1.1.2 and 1.1.4.2, and 3rd_RULE (last, despite its name) denies
    cfg = load_config(str(FIXTURES / "corpus" / "panos" / "bf-rulebase.set"))
    assert decide(cfg, "1.1.2.5", "1.1.4.2", dport=999) == "deny"
    assert decide(cfg, "1.1.2.5", "1.1.4.2", dport=80) == "permit"
    assert decide(cfg, "1.1.2.5", "1.1.4.3", dport=80) == "deny"
    names = [r.source.text.split(" rules ")[1].split()[0] for r in cfg.filters["z1->z2"].rules]
    assert names == ['"disabled', "RULE1", "RULE2", "3rd_RULE"]
    assert not cfg.filters["z1->z2"].rules[0].enabled


def test_batfish_panorama_nat_order():
    # pre-rulebase NAT before the firewall's own, post-rulebase after (Batfish's destination-nat-panorama)
    cfg = load_config(str(FIXTURES / "corpus" / "panos" / "bf-destination-nat-panorama.set"))
    from panos_util import explain_of

    for src, to in (("1.2.1.2", "1.1.1.99"), ("1.2.1.4", "1.1.1.100"), ("1.2.1.5", "1.1.1.101")):
        assert explain_of(cfg, src, "1.1.1.50", dport=80)["translated"]["dst"] == to

"""Every Junos configuration of the corpus audits without a crash; what is not understood is listed, counted
and explained, and every non-blank line is accounted for."""

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict

from auditor.api import audit, load_config
from auditor.policy import load_site
from parsers.junos import parse_lines

CORPUS = sorted((FIXTURES / "corpus" / "junos").iterdir())
SITE = load_site(None, ["workshop=10.0.12.0/24", "primary=192.168.56.10", "secondary=1.2.3.10"])

# file -> {(code, line): why}; every diagnostic of the file, and only these
EXPECTED = {
    "aerleon-juniper-loopback.jcl": {
        # 'source-prefix-list { configured-neighbors-only; }' names a prefix list the file does not define
        ("CFG301", 28): "undefined prefix-list",
        ("CFG301", 44): "undefined prefix-list",
        # packet-length: the audited packets have no length, so the term may or may not match
        ("CFG300", 383): "packet-length",
        # 'filter my-next-filter' inside a term: nested filters are not expanded
        ("CFG300", 405): "nested filter",
    },
    "aerleon-srx.srx": {},
    "aerleon-stateful-multitarget-simple.srx": {},
    # Batfish's parser tests: policies written without source or destination address (Junos would refuse
    # to commit them), so their addresses are unknown
    "bf-application-set-nested.conf": {
        ("CFG300", 10): "no source-address", ("CFG300", 12): "no source-address",
        ("CFG300", 14): "no source-address",
        # zones z2, z3, z4 are not defined (only z1 is): the commit check refuses such a policy
        ("CFG301", 10): "zone z2 is not defined", ("CFG301", 12): "zone z3 is not defined",
        ("CFG301", 14): "zone z4 is not defined",
    },
    "bf-applications-set.conf": {
        ("CFG300", 15): "no action, no addresses", ("CFG300", 17): "no action, no addresses",
        ("CFG301", 16): "application a_undef is not defined",
    },
    "bf-firewall-filters.conf": {
        # fragment offsets, packet length, interface (sets): not modelled (the term may match)
        ("CFG300", 24): "fragment-offset", ("CFG300", 25): "fragment-offset",
        ("CFG300", 26): "fragment-offset-except", ("CFG300", 27): "fragment-offset-except",
        ("CFG300", 42): "interface-set", ("CFG300", 43): "interface",
        ("CFG300", 47): "packet-length", ("CFG300", 48): "packet-length",
        ("CFG300", 49): "packet-length-except", ("CFG300", 50): "packet-length-except",
        # 'then decapsulate gre' forwards the packet elsewhere
        ("CFG300", 79): "decapsulate",
        # 'filter output FILTER_UNDEF' on xe-0/0/2.0
        ("CFG301", 17): "undefined filter",
        # the inet6 input filter FILTER6_1 (xe-0/0/4.0) and input-list FILTER6_1 FILTER6_2 (xe-0/0/5.0)
        # discard neighbour discovery (Junos filters have no implicit permits for it)
        ("CFG300", 53): "FILTER6_1 drops neighbour discovery", ("CFG300", 55): "input-list drops it",
    },
    "bf-firewall-global-address-book.conf": {},
    "bf-firewall-policies.conf": {},
    "bf-srx-testbed-1.conf": {},
    "bf-srx-testbed-2.conf": {},
}


def test_corpus_present_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert {p.name for p in CORPUS} == set(EXPECTED)
    for f in CORPUS:
        assert "| junos/%s |" % f.name in prov


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits(path):
    text = path.read_text()
    cfg, lines = parse_lines(text, str(path))
    assert lines.unaccounted() == []
    got = {(d.code, d.source.line) for d in cfg.diagnostics}
    assert got == set(EXPECTED[path.name]), sorted(got)
    cfg = load_config(str(path))  # the CLI's way, with detection
    assert cfg.vendor == "junos"
    result = audit([cfg], SITE)
    assert_corpus_verdict(path, result)
    assert {f.source.line for f in result.findings if f.rule_id == "CFG300"} == \
        {d.source.line for d in cfg.unrecognized}
    assert result.inputs_json()[0]["unrecognized"] == len(cfg.unrecognized)


def test_corpus_semantics_spot_checks():
    # testbed-2: two zone pairs deactivated, default-policy permit-all
    cfg = load_config(str(FIXTURES / "corpus" / "junos" / "bf-srx-testbed-2.conf"))
    assert [r.enabled for r in cfg.filters["untrust->untrust"].rules] == [False]
    assert [r.enabled for r in cfg.filters["trust->trust"].rules] == [True]
    stage = next(p for p in cfg.paths if p.ingress == "ge-0/0/0.0" and p.egress == "st0.1").stages[0]
    assert stage.default.value == "permit" and stage.default_source.line == 62
    # the global address book's wildcard address ADDR2 1.3.3.4/255.254.255.255 is two hosts
    cfg = load_config(str(FIXTURES / "corpus" / "junos" / "bf-firewall-global-address-book.conf"))
    objs = {o.name: o for o in cfg.objects}
    assert objs["ADDR2"].addresses.size() == 2
    assert objs["ADDR3"].addresses.size() == 3

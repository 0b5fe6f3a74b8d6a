"""Every real pfSense / OPNsense config.xml of the corpus audits without a crash; what is not
understood is listed, counted and explained here; every line is accounted for."""

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict
from pf_helpers import decide, line_of

from auditor.api import audit, load_config
from auditor.engine import DENY, PERMIT
from auditor.policy import load_site
from parsers.pfsense.parser import Parser

CORPUS = sorted((FIXTURES / "corpus" / "pfsense").iterdir())
SITE = load_site(None, ["workshop=192.168.1.0/25", "primary=192.168.1.200"])

# file -> (vendor, the CFG300/CFG301 lines not understood, with why)
EXPECTED = {
    "pfsense-default-config.xml": ("pfsense", {}),
    "opnsense-config-sample.xml": ("opnsense", {}),
    # OPNsense's alias field test: the alias types whose content is not in config.xml
    "opnsense-alias-fieldtest-config.xml": ("opnsense", {
        "geoip_NL": "geoip: the country's networks come from a downloaded database",
        "external_alias": "external: filled by scripts at run time",
        "urltable_alias": "urltable: downloaded from a URL",
    }),
}


def test_corpus_present_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert {p.name for p in CORPUS} == set(EXPECTED)
    for f in CORPUS:
        assert "| pfsense/%s |" % f.name in prov


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits_and_accounts_for_every_line(path):
    vendor, expected = EXPECTED[path.name]
    text = path.read_text()
    cfg = load_config(str(path))
    assert cfg.vendor == vendor and cfg.lines == len(text.splitlines())
    result = audit([cfg], SITE)
    assert_corpus_verdict(path, result)
    reported = {f.source.line for f in result.findings if f.rule_id in ("CFG300", "CFG301")}
    assert reported == {d.source.line for d in cfg.diagnostics}
    assert len(cfg.diagnostics) == len(expected)
    assert {d.source.line for d in cfg.diagnostics} == {line_of(text, "<name>%s</name>" % n) for n in expected}
    p = Parser(text, str(path))
    p.parse()
    assert p.lines.unaccounted() == []


def test_default_pfsense_config_behaves_as_shipped():
    # pfSense's factory config: LAN may go anywhere, nothing comes in on WAN, WAN is DHCP (unknown address)
    text = (FIXTURES / "corpus" / "pfsense" / "pfsense-default-config.xml").read_text()
    cfg = load_config(str(FIXTURES / "corpus" / "pfsense" / "pfsense-default-config.xml"))
    assert decide(cfg, "192.168.1.10", "198.51.100.9").source.line == line_of(text, "Default allow LAN to any")
    assert decide(cfg, "203.0.113.50", "192.168.1.10").kind == DENY
    # (whether the downloaded bogon list holds it or not, nothing passes it in on WAN)
    assert decide(cfg, "8.8.8.8", "192.168.1.10").kind == DENY
    assert [i.name for i in cfg.interfaces] == ["WAN", "LAN"]
    assert cfg.timeouts[-1].idle_seconds == 86400


def test_opnsense_sample_new_model_rules():
    text = (FIXTURES / "corpus" / "pfsense" / "opnsense-config-sample.xml").read_text()
    cfg = load_config(str(FIXTURES / "corpus" / "pfsense" / "opnsense-config-sample.xml"))
    o = decide(cfg, "192.168.1.10", "198.51.100.9")
    assert o.kind == PERMIT and o.source.line == line_of(text, "Default allow LAN to any rule")
    # OPNsense's anti-lockout rule passes the GUI ports to every address of the firewall
    o = decide(cfg, "192.168.1.10", "192.168.1.1", "tcp", 443)
    assert o.kind == PERMIT and o.source.line == line_of(text, "<webgui>")


def test_alias_fieldtest_aliases():
    cfg = load_config(str(FIXTURES / "corpus" / "pfsense" / "opnsense-alias-fieldtest-config.xml"))
    objs = {o.name: o for o in cfg.objects}
    assert objs["host_alias"].complete and objs["network_alias"].complete
    assert not objs["urltable_alias"].complete and not objs["geoip_NL"].complete
    assert [m.line for m in objs["host_alias"].members] == [70, 71]

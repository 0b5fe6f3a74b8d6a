"""Every real ASA config of the corpus audits without a crash, and every one of its lines is
accounted for: it built the model, is ignored with a reason, or is reported."""

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict

import parsers.cisco_asa.scan as scan
from auditor.api import audit, load_config
from auditor.policy import load_site
from parsers.cisco_asa import parse_accounted

CORPUS = sorted((FIXTURES / "corpus" / "asa").iterdir())
SITE = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10", "secondary=10.2.0.11"])

# lines not understood (CFG300) per file, and why
NOT_UNDERSTOOD = {
    "aerleon-multitarget.asa": 0,
    "bf-acl-object.cfg": 0,  # (three CFG301: undefined objects, on purpose)
    "bf-filters.cfg": 0,  # (one CFG301: an access-group naming an undefined ACL)
    # static twice NAT between two groups of two separate hosts (the pairing is not modelled),
    # and a rule on an undefined object (another, inactive, only gets its CFG301)
    "bf-nat-twice-static.cfg": 3,  # (line 41: identity NAT of any, sent out 'inside' by the rule)
    # 'object-group group ...': not ASA syntax (a Batfish negative case), 4 + 2 lines
    "bf-nested-icmp-type-object-group.cfg": 6,
    "bf-nested-network-object-group.cfg": 5,
    "bf-nested-protocol-object-group.cfg": 6,
    # the same, and 'port-object' in a service group without a protocol type (refused by the ASA)
    "bf-nested-service-object-group.cfg": 8,
    "bf-parsing-asa-acl.cfg": 0,
    "bf-parsing-asa-object-groups.cfg": 0,
    "bf-service-object-inline.cfg": 0,
    "netutils-asa-full.cfg": 0,
}


def test_corpus_present_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert CORPUS
    for f in CORPUS:
        assert "| asa/%s |" % f.name in prov
    assert sorted(NOT_UNDERSTOOD) == [f.name for f in CORPUS]


def unaccounted(path) -> list[str]:
    """The non-blank lines of ``path`` that the parser neither used, ignored nor reported."""
    cfg, lines = parse_accounted(path.read_text(), str(path))
    assert cfg.lines == len(path.read_text().splitlines())
    return [lines[i] for i in lines.unaccounted()]


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "cisco-asa"
    result = audit([cfg], SITE)
    assert_corpus_verdict(path, result)
    reported = {(f.source.line) for f in result.findings if f.rule_id == "CFG300"}
    assert reported == {d.source.line for d in cfg.unrecognized}
    assert result.inputs_json()[0]["unrecognized"] == len(cfg.unrecognized) == NOT_UNDERSTOOD[path.name]
    # every non-blank line is accounted for: parsed, ignored with a reason, or reported
    assert unaccounted(path) == []


def test_a_parser_that_drops_a_command_fails_the_accounting(monkeypatch):
    # the check above is not a count compared with itself: a handler that silently drops its
    # line (here 'access-group', or a route) leaves that line unaccounted
    path = FIXTURES / "corpus" / "asa" / "bf-filters.cfg"
    assert unaccounted(path) == []
    monkeypatch.setitem(scan.HANDLERS, "access-group", lambda st, toks, i, j: None)
    dropped = unaccounted(path)
    assert len(dropped) == 5 and all(x.startswith("access-group ") for x in dropped)
    path = FIXTURES / "corpus" / "asa" / "netutils-asa-full.cfg"
    monkeypatch.setitem(scan.HANDLERS, "route", lambda st, toks, i, j: None)
    assert unaccounted(path) == ["route Management 0.0.0.0 0.0.0.0 10.1.1.1 1"]


def test_corpus_known_unsupported_lines_are_reported():
    cfg = load_config(str(FIXTURES / "corpus" / "asa" / "bf-nested-icmp-type-object-group.cfg"))
    assert any("object-group group" in d.source.text for d in cfg.unrecognized)
    cfg = load_config(str(FIXTURES / "corpus" / "asa" / "bf-acl-object.cfg"))
    assert {d.code for d in cfg.diagnostics} == {"CFG301"}

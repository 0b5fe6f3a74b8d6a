"""Every real ASA config of the corpus audits without a crash and reports what it did not understand."""

import pytest
from conftest import FIXTURES

from auditor.api import audit, load_config
from auditor.policy import load_site

CORPUS = sorted((FIXTURES / "corpus" / "asa").iterdir())
SITE = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10", "secondary=10.2.0.11"])


def test_corpus_present_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert CORPUS
    for f in CORPUS:
        assert "| asa/%s |" % f.name in prov


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "cisco-asa"
    result = audit([cfg], SITE)
    assert result.verdict in ("pass", "fail", "unknown")
    reported = {(f.source.line) for f in result.findings if f.rule_id == "CFG300"}
    assert reported == {d.source.line for d in cfg.unrecognized}
    assert result.inputs_json()[0]["unrecognized"] == len(cfg.unrecognized)
    # every non-blank line is accounted for: parsed, ignored or reported
    assert cfg.lines == len(path.read_text().splitlines())


def test_corpus_known_unsupported_lines_are_reported():
    cfg = load_config(str(FIXTURES / "corpus" / "asa" / "bf-nested-icmp-type-object-group.cfg"))
    assert any("object-group group" in d.source.text for d in cfg.unrecognized)
    cfg = load_config(str(FIXTURES / "corpus" / "asa" / "bf-acl-object.cfg"))
    assert {d.code for d in cfg.diagnostics} == {"CFG301"}

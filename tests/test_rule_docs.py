"""Per-rule docs: every rule ID has docs/rules/<ID>.md equal to what the generator writes; SARIF links to it."""

import importlib.util
import json

from conftest import ROOT
from test_formats import cli

from auditor.checks import all_rules
from auditor.report.sarif import rule_doc_url

DOCS = ROOT / "docs" / "rules"


def generator():
    spec = importlib.util.spec_from_file_location("gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_rule_has_a_page_matching_the_generator():
    gen = generator()
    stale = []
    for rid, info in all_rules().items():
        page = DOCS / ("%s.md" % rid)
        if not page.is_file() or page.read_text(encoding="utf-8") != gen.render_page(info):
            stale.append(rid)
    assert not stale, "run: .venv/bin/python scripts/gen_rule_docs.py (stale or missing: %s)" % ", ".join(stale)
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    assert index == gen.render_index(all_rules()), "run: .venv/bin/python scripts/gen_rule_docs.py"


def test_no_page_without_a_rule():
    rules = set(all_rules())
    pages = {p.stem for p in DOCS.glob("*.md") if p.name != "README.md"}
    assert pages <= rules, "pages for unknown rules: %s" % ", ".join(sorted(pages - rules))


def test_pages_say_what_why_and_how():
    gen = generator()
    for rid, info in all_rules().items():
        text = gen.render_page(info)
        assert text.startswith(gen.HEADER) and "# %s: %s" % (rid, info.name) in text
        for section in ("## What it means", "## Why Prinergy needs it", "## How to fix it"):
            assert section in text
        assert info.summary in text and info.why in text and info.fix in text
    assert "- **Cisco ASA**:" in gen.render_page(all_rules()["PRN100"])
    assert "- **Windows Defender Firewall**:" in gen.render_page(all_rules()["PRN100"])
    # (the per-vendor notes are each vendor's own advice: every registered vendor with advice shows)
    import parsers
    for name in parsers.VENDORS:
        v = parsers.load(name)
        if "PRN100" in v.advice:
            assert "- **%s**: %s" % (v.title, v.advice["PRN100"]) in gen.render_page(all_rules()["PRN100"])


def test_check_mode_reports_stale_pages(tmp_path, monkeypatch):
    gen = generator()
    monkeypatch.setattr(gen, "DOCS", tmp_path)
    monkeypatch.setattr(gen, "ROOT", tmp_path.parent)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0 and gen.main(["--check"]) == 0
    assert {p.stem for p in tmp_path.glob("*.md")} == set(all_rules()) | {"README"}


def test_sarif_help_uri_points_at_the_page(monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = cli("audit", "examples/change/before.cfg", "--site", "examples/change/site.yaml",
                         "--vendor", "cisco-asa", "--format", "sarif")
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(all_rules())
    for r in rules:
        assert r["helpUri"] == rule_doc_url(r["id"])
        rel = r["helpUri"].split("/blob/main/", 1)[1]
        assert (ROOT / rel).is_file(), rel

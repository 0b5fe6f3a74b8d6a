"""``--format html`` and the flow matrix: golden files (written by ``scripts/web_golden.py``, by hand;
a missing one fails), and what the file promises: self-contained, no script, every link resolving,
every text escaped, every secret redacted."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import re

import pytest
from conftest import EXAMPLES, ROOT

from auditor.api import audit, load_config
from auditor.policy import load_site
from auditor.report import render
from auditor.report.html import body
from auditor.report.sarif import DOCS_URL

GOLDEN = ROOT / "tests" / "golden"
NAMES = ["example-report.html", "example-matrix-roles.svg", "example-matrix-services.svg", "example-matrix.txt"]


def _script():
    spec = importlib.util.spec_from_file_location("web_golden", ROOT / "scripts" / "web_golden.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def outputs():
    return _script().outputs()


@pytest.fixture(scope="module")
def result():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return audit([load_config("examples/prinergy-site/asa.cfg")], load_site("examples/prinergy-site/site.yaml"))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", NAMES)
def test_golden(outputs, name):
    path = GOLDEN / name
    assert path.exists(), "missing golden file %s: run scripts/web_golden.py and review it" % path
    assert outputs[name] == path.read_text(), "output changed: run scripts/web_golden.py and review the diff"


def test_the_golden_script_does_not_run_from_the_tests(monkeypatch, tmp_path):
    mod = _script()
    monkeypatch.setattr(mod, "GOLDEN", tmp_path)
    mod.outputs()
    assert list(tmp_path.iterdir()) == []


def test_the_html_file_is_self_contained_and_script_free(outputs):
    doc = outputs["example-report.html"]
    low = doc.lower()
    for banned in ("<script", "<link", "<iframe", "<object", "<embed", "<img", " src=", "@import", "url(",
                   "javascript:", " on", "style=\""):
        if banned == " on":
            assert not re.search(r"<[^>]+\son[a-z]+=", low), "event handler attribute"
        else:
            assert banned not in low, banned
    # its own policy: nothing but the inline style sheet, allowed by its hash
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', doc).group(1)
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
    style = re.search(r"<style>(.*?)</style>", doc, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert "'sha256-%s'" % digest in csp
    # links: anchors inside the file (each resolving) or the rules' documentation pages
    ids = set(re.findall(r'\sid="([^"]+)"', doc))
    for href in re.findall(r'href="([^"]+)"', doc):
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert href.startswith(DOCS_URL), href


def test_every_finding_points_at_its_line(result, outputs):
    doc = outputs["example-report.html"]
    for f in result.findings:
        assert 'href="#L0-%d">%s:%d</a>' % (f.source.line, f.source.path, f.source.line) in doc
        assert re.search(r'<tr id="L0-%d" class="hit' % f.source.line, doc)
    assert doc.count('<li class="finding') == len(result.findings)


def test_texts_are_escaped_and_secrets_redacted(result):
    text = (EXAMPLES / "prinergy-site" / "asa.cfg").read_text().replace(
        "access-list WORKSHOP_IN remark legacy Macs", "access-list WORKSHOP_IN remark <script>alert(1)</script> Macs")
    cfg = load_config("asa.cfg", text=text)
    got = str(body(audit([cfg], load_site(str(EXAMPLES / "prinergy-site" / "site.yaml"))), texts={"asa.cfg": text}))
    assert "<script>" not in got and "&lt;script&gt;alert(1)&lt;/script&gt;" in got
    for secret in ("8Ry2YjIyt7RRXU24", "Pr1nergyRadiusK3y", "s3cretCommunity", "Sup3rSecretPSK", "Q2hhbmdlTWUxMjM="):
        assert secret not in got
    assert got.count("&lt;redacted&gt;") >= 5
    # the whole config is shown (a short one), the cited lines marked
    assert len(re.findall(r'<tr id="L0-\d+"', got)) == len(text.splitlines())


def test_a_long_config_shows_the_cited_lines_with_context(result):
    text = (EXAMPLES / "prinergy-site" / "asa.cfg").read_text()
    from auditor.report import html

    old = html.FULL_VIEW_MAX
    html.FULL_VIEW_MAX = 50
    try:
        got = str(body(result, texts={"examples/prinergy-site/asa.cfg": text}))
    finally:
        html.FULL_VIEW_MAX = old
    shown = {int(n) for n in re.findall(r'<tr id="L0-(\d+)"', got)}
    cited = {f.source.line for f in result.findings}
    assert cited <= shown and len(shown) < len(text.splitlines())
    for line in cited:
        assert {line - 1, line + 1} & shown or line in (1, len(text.splitlines()))
    assert "lines not shown" in got


def test_render_diff_is_html_too(tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    out = tmp_path / "diff.html"
    r = CliRunner().invoke(app, ["check-change", str(EXAMPLES / "change" / "before.cfg"),
                                 str(EXAMPLES / "change" / "change.txt"), "--site",
                                 str(EXAMPLES / "change" / "site.yaml"), "--format", "html", "-o", str(out)])
    assert r.exit_code == 1 and (r.exception is None or isinstance(r.exception, SystemExit)), repr(r.exception)
    doc = out.read_text()
    assert doc.startswith("<!DOCTYPE html>") and "prinergy-audit diff: FAIL" in doc and "<script" not in doc
    assert render("html", audit([load_config(str(EXAMPLES / "change" / "after.cfg"))])).startswith("<!DOCTYPE")

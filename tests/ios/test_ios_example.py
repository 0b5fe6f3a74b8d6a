"""The bundled IOS example (``examples/ios-site``): golden outputs, and each kind of finding on its line.

The golden files are written by ``examples/ios-site/make_golden.py``, run by hand and reviewed;
this test only compares (a missing golden file fails).
"""

from __future__ import annotations

import importlib.util

import pytest
from conftest import EXAMPLES, ROOT

from auditor.api import audit, load_config
from auditor.policy import load_site

HERE = EXAMPLES / "ios-site"


def _maker():
    spec = importlib.util.spec_from_file_location("make_golden", HERE / "make_golden.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", sorted(_maker().RUNS))
def test_golden_outputs(name):
    mod = _maker()
    path = HERE / "golden" / name
    assert path.exists(), "no golden file %s: run examples/ios-site/make_golden.py, then review it" % path
    assert mod.output(mod.RUNS[name]) == path.read_text(), \
        "output changed: run examples/ios-site/make_golden.py, then review the diff"


def line_of(text: str) -> int:
    for n, line in enumerate((HERE / "ios.cfg").read_text().splitlines(), 1):
        if line.strip() == text:
            return n
    raise AssertionError(text)


@pytest.fixture(scope="module")
def result():
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return audit([load_config("examples/ios-site/ios.cfg")], load_site("examples/ios-site/site.yaml"))
    finally:
        os.chdir(cwd)


def test_the_example_shows_a_blocked_flow_an_idle_timeout_and_anomalies(result):
    by = {}
    for f in result.findings:
        by.setdefault(f.rule_id, []).append(f)
    [blocked] = by["PRN100"]
    assert blocked.source.line == line_of("20 deny tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 445 log")
    [idle] = by["PRN120"]
    assert idle.source.line == line_of("tcp idle-time 1800")
    assert "parameter-map type inspect PM-WORKSHOP" in idle.message
    # (the list's last entry, '90 deny ip any any log', restates the implicit deny on purpose: not redundant)
    assert {f.source.line for f in by["ACL201"]} == {
        line_of("40 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 range 2000 3000")}
    assert [f.source.line for f in by["ACL210"]] == [line_of("40 permit ip any any")]
    assert result.verdict == "fail"


def test_the_example_holds_secrets_that_never_show():
    text = (HERE / "ios.cfg").read_text()
    out = "".join((HERE / "golden" / n).read_text() for n in _maker().RUNS)
    for secret in ("$9$kQ2wE3rT4yU5iO", "0822455D0A16544541", "121A0C0411045D5679", "Pr1nergyRO"):
        assert secret in text and secret not in out

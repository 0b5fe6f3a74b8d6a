"""Bad input of every kind is one clear error (exit 2), never an internal error, a hang or a
half-written report: what a sweep of every command against garbage, wrong-shape, wrong-vendor,
nested and oversized inputs found, kept fixed.  In-process and small (no large files)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from test_formats import cli

from parsers import InputError, parse_text

ASA = str(EXAMPLES / "prinergy-site" / "asa.cfg")
SITE = str(EXAMPLES / "prinergy-site" / "site.yaml")


def one_line(err: str) -> str:
    assert err.strip() and "\n" not in err.strip() and "Traceback" not in err, err
    return err


def test_fortios_blocks_nested_past_any_configuration_are_one_error(tmp_path):
    deep = tmp_path / "deep.conf"
    deep.write_text("config firewall address\n edit a\n next\nend\n" + "config x\n" * 3000)
    code, out, err = cli("audit", str(deep))
    assert code == 2 and out == ""
    assert "nested more than 64 deep" in one_line(err) and "deep.conf:" in err
    with pytest.raises(InputError, match="nested more than"):
        parse_text(deep.read_text(), "deep.conf", "fortios")


def test_a_parser_recursing_too_deep_is_one_error_not_an_internal_error(monkeypatch):
    import types

    import parsers

    def recurse(text, path):
        raise RecursionError("maximum recursion depth exceeded")

    fake = types.SimpleNamespace(parse=recurse, parse_part=None, title="Fake")
    monkeypatch.setattr(parsers, "load", lambda name: fake)
    with pytest.raises(InputError, match="^x.cfg: nested too deeply to be a Fake configuration$"):
        parse_text("a {\n", "x.cfg", "fake")

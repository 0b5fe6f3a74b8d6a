"""Machine and CI outputs against their consumers' specifications, with config text that quotes
characters those formats treat specially (session 22)."""

import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT
from test_formats import cli

SITE = "examples/change/site.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def rules(tmp_path, *lines: str) -> str:
    """An iptables-save dump of the filter table (INPUT drops) with ``lines``, written to a file."""
    p = tmp_path / "fw.rules"
    p.write_text("\n".join(["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                            *lines, "COMMIT"]) + "\n", encoding="utf-8")
    return str(p)


def test_junit_is_well_formed_when_a_quoted_line_holds_a_control_character(tmp_path):
    """XML 1.0 allows no C0 control character other than tab, newline and carriage return, not even
    as a character reference (https://www.w3.org/TR/xml/#charsets, production [2] Char): a comment
    holding one (here U+0001 and U+001F) made the whole JUnit file unreadable to GitLab/Jenkins."""
    path = rules(tmp_path, '-A INPUT -p tcp --dport 548 -m comment --comment "a\x01b\x1fc" -j ACCEPT')
    code, out, err = cli("audit", path, "--site", SITE, "--format", "junit")
    assert code == 1, err
    root = ET.fromstring(out)  # raised "not well-formed (invalid token)"
    texts = [c.find("system-out").text for c in root.iter("testcase") if c.find("system-out") is not None]
    assert any('--comment "a\\x01b\\x1fc"' in t for t in texts)

"""Bad or unusual input the session-26 red team found handled wrongly.

* A config holding a NUL or an escape byte (a late NUL, a comment with an ANSI sequence) wrote that
  byte into the HTML report, where the text report shows ``\\x00``: a control character is no
  character of an HTML document (HTML Living Standard, 13.2.2 "control-character-in-input-stream"
  parse error) and some tools take the whole file for binary.
"""

from __future__ import annotations

from conftest import EXAMPLES
from test_formats import cli

ASA = EXAMPLES / "prinergy-site/asa.cfg"
SITE = str(EXAMPLES / "prinergy-site/site.yaml")


def test_the_html_report_shows_a_configs_control_characters_as_the_text_report_does(tmp_path):
    text = ASA.read_text().replace("access-list", "access-list OUTSIDE remark esc \x1b[31m red\x07\n"
                                   "access-list", 1)
    text += "access-list OUTSIDE remark padding\n" * 2000  # (a NUL in the first 64 KiB is a binary file's)
    text += "access-list OUTSIDE extended permit tcp any host 10.20.0.10 eq 22\x00\n"
    p = tmp_path / "ctl.cfg"
    p.write_text(text)
    code, out, err = cli("audit", str(p), "--site", SITE, "--format", "html")
    assert code in (0, 1), err
    assert not any(c in out for c in "\x00\x07\x1b")
    code, shown, err = cli("audit", str(p), "--site", SITE, "--format", "text")
    assert "\\x00" in shown and "\\x00" in out

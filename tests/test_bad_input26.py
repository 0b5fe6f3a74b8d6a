"""Bad or unusual input the session-26 red team found handled wrongly.

* UTF-16 text without a byte-order mark (.NET's ``Encoding.Unicode``, an editor's "UTF-16 LE" without
  BOM; the Unicode Standard, 3.10 D98: UTF-16LE and UTF-16BE are the encoding schemes that carry no
  BOM) was refused as "binary, not a text configuration": it is read as the same configuration as
  its UTF-8 form.  A binary file whose NUL bytes fall in both halves of its byte pairs is still binary.
* A config holding a NUL or an escape byte (a late NUL, a comment with an ANSI sequence) wrote that
  byte into the HTML report, where the text report shows ``\\x00``: a control character is no
  character of an HTML document (HTML Living Standard, 13.2.2 "control-character-in-input-stream"
  parse error) and some tools take the whole file for binary.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES
from test_formats import cli

ASA = EXAMPLES / "prinergy-site/asa.cfg"
SITE = str(EXAMPLES / "prinergy-site/site.yaml")


def _audit(path) -> dict:
    code, out, err = cli("audit", str(path), "--site", SITE, "--format", "json")
    assert code in (0, 1), err
    return json.loads(out)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_the_same_configuration(tmp_path, encoding):
    text = ASA.read_text()
    p = tmp_path / "fw.cfg"
    p.write_text(text)
    plain = _audit(p)
    p.write_bytes(text.encode(encoding))
    assert not p.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    assert _audit(p) == plain


@pytest.mark.parametrize("payload", [
    b"\x01\x00\x02\x00" * 50 + bytes(range(256)),  # (a NUL where a character's low byte stands)
    b"\x00\x00\x00\x00" * 100,
])
def test_binary_with_nul_bytes_is_still_binary(tmp_path, payload):
    p = tmp_path / "x.cfg"
    p.write_bytes(payload)
    code, out, err = cli("audit", str(p), "--site", SITE)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and ("binary" in err or "control characters" in err)


@pytest.mark.parametrize("bom", [b"", b"\xff\xfe"])
def test_utf16_cut_short_says_so(tmp_path, bom):
    # an odd number of bytes is no UTF-16 text (each code unit is two bytes: the Unicode Standard, 3.9 D91):
    # a UTF-16 file cut short, said as such in one line, not "binary"
    p = tmp_path / "x.cfg"
    p.write_bytes(bom + "access-list A extended permit ip any any\n".encode("utf-16-le") + b"x")
    code, out, err = cli("audit", str(p), "--site", SITE)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "UTF-16 text cut short" in err and "odd number of bytes" in err


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

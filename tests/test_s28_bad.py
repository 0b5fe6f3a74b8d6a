"""Bad input the session-28 red team found handled wrongly.

* A waivers file whose entries are not mappings (``- PRN100``, ``- [a, b]``) ended the audit with
  Python's own words ("not enough values to unpack (expected 2, got 1)") or as an internal error
  (TypeError): it is the same one-line error, at the entry's line and column, as any other entry that
  is not a mapping.
* An ``explain --packets`` line naming a field twice (``"src"`` twice) was tested with the last value,
  silently: which one counts is the reader's guess (RFC 8259, 4), so the line is refused, naming the field.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from test_formats import cli

ASA = str(EXAMPLES / "prinergy-site/asa.cfg")
SITE = str(EXAMPLES / "prinergy-site/site.yaml")


@pytest.mark.parametrize("entry", ["PRN100", "ab", "[a, b]", "[[a, b]]", "1"])
def test_a_waiver_that_is_not_a_mapping_is_one_line_at_its_place(tmp_path, entry):
    w = tmp_path / "waivers.yaml"
    w.write_text("- rule_id: PRN160\n  text: x\n  justification: y\n  expires: 2099-01-01\n- %s\n" % entry)
    code, out, err = cli("audit", ASA, "--site", SITE, "--waivers", str(w))
    assert code == 2 and out == ""
    assert err == "%s:5:3: each waiver is a mapping with rule_id, justification, expires, ..." % w


def test_a_packet_that_names_a_field_twice_is_refused(tmp_path):
    # RFC 8259, 4 (Objects): "The names within an object SHOULD be unique ... When the names within an
    # object are not unique, the behavior of software that receives such an object is unpredictable."
    # The packet tested was the last 'src' (1.1.1.1) without a word; it is one line naming the field.
    p = tmp_path / "p.jsonl"
    p.write_text('{"src": "10.30.0.5", "dst": "10.20.0.10", "proto": "tcp", "dport": 445}\n'
                 '{"src": "10.30.0.5", "dst": "10.20.0.10", "proto": "tcp", "dport": 445, "src": "1.1.1.1"}\n')
    code, out, err = cli("explain", ASA, "--packets", str(p))
    assert code == 2 and out == ""
    assert err == "%s:2: field 'src' is given twice" % p

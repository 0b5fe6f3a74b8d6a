"""The cloud and host vendors on the kit: ``JsonInput`` (AWS, Azure) and ``Lines`` (Windows Firewall)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.core.model import Impact
from auditor.core.secrets import MASK
from parsers import aws, windows_fw
from parsers.kit import InputError, Lines
from parsers.kit.jsonsrc import JsonInput

FIX = Path(__file__).parent / "fixtures"

TAGGED = """{
  "SecurityGroups": [
    {
      "GroupId": "sg-1",
      "Tags": [
        {
          "Key": "db_password",
          "Value": "hunter2"
        },
        {"Key": "Name", "Value": "prinergy"}
      ],
      "IpPermissions": [],
      "IpPermissionsEgress": [],
      "Frobnicate": "token=abc123"
    }
  ]
}
"""


def test_json_input_sources_are_one_based_and_redacted():
    j = JsonInput(TAGGED, "sg.json")
    group = j.data["SecurityGroups"][0]
    assert j.at(group.at("GroupId")).line == 4 == group.at("GroupId")
    assert j.at(4).text == '      "GroupId": "sg-1",'
    # a tag value on its own line, named secret by its sibling on the line above: masked whole
    assert j.at(8).text == MASK
    # a line that names its own secret: redacted by the kit's one redaction
    assert "abc123" not in j.at(14).text and MASK in j.at(14).text
    # out of range: an empty text, never an error
    assert j.at(99).text == "" and j.head().line == 1


def test_json_input_reports_cfg300_verbatim_and_counts_ignored_lines():
    j = JsonInput(TAGGED, "sg.json")
    j.unrecognized_at(14, "unknown security group key 'Frobnicate'", Impact.NONE, "sg-1")
    (d,) = j.diagnostics
    assert (d.code, d.message, d.source.line, d.impact, d.scope) == (
        "CFG300", "unknown security group key 'Frobnicate'", 14, Impact.NONE, "sg-1")
    j.ignore_at(10, "tag")
    j.ignore_at(10, "tag")  # (a line is ignored once)
    assert j.ignored == 1


def test_json_input_refuses_invalid_json_in_one_line():
    with pytest.raises(InputError, match=r"bad.json is not valid JSON \(line 2"):
        JsonInput('{\n  "a": ,\n}', "bad.json")


def test_lines_mask_only_the_given_lines():
    lines = Lines("a\nb secret\nc\n", "x.txt")
    lines.mask([0, 7])  # (an index past the end is no line)
    assert [lines.source(i).text for i in range(3)] == [MASK, "b secret", "c"]


def test_aws_parser_masks_a_tag_value_on_its_own_line():
    cfg = aws.parse(TAGGED, "sg.json")
    texts = [d.source.text for d in cfg.diagnostics] + [cfg.head.text]
    assert texts and not any("hunter2" in t or "abc123" in t for t in texts)
    assert [d.source.line for d in cfg.diagnostics] == [14]


WINDOWS = sorted((FIX / "windows").glob("*.txt")) + sorted((FIX / "corpus" / "windows").glob("*"))


@pytest.mark.parametrize("path", WINDOWS, ids=lambda p: p.name)
def test_windows_every_line_is_used_ignored_or_reported(path):
    text = path.read_text(encoding="utf-8")
    p = windows_fw.WinParser(text, str(path))
    inp = p.scan()
    assert p.lines.unaccounted() == []
    assert inp.ignored == p.lines.ignored and inp.diags is p.lines.diagnostics
    cfg = windows_fw.parse(text, str(path))
    assert cfg.ignored_lines == inp.ignored and cfg.head == p.lines.source(0)

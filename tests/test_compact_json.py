"""Compact JSON (a whole export on one line: ``terraform show -json``, ``jq -c``, an API reply saved as is).

Before, every finding of such an input pointed at line 1 and quoted the whole input, once per finding.
Now the cloud readers (AWS, Azure, Terraform's JSON), as Check Point's already did, read it re-indented as
``python -m json.tool --indent 4`` writes it and say so once (CFG300 on line 1, no effect on any verdict).

Oracle: the same data written by ``json.dumps(data, indent=4)`` (what ``json.tool --indent 4`` writes) and
audited as an ordinary pretty-printed input; the two audits must agree finding for finding (rule, line,
quoted text, message), the compact one holding the one notice more.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor import api
from auditor.policy import load_site
from parsers.kit.jsonsrc import COMPACT

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]
FILES = sorted(str(p.relative_to(CORPUS)) for d in ("aws", "azure") for p in (CORPUS / d).glob("*.json"))


def _findings(path: Path) -> list[tuple]:
    site = load_site(None, ROLES, None)
    res = api.audit(api.combine_inputs(api.load_inputs(str(path)), None, site), site)
    return sorted((f.rule_id, f.source.line if f.source else 0, f.source.text if f.source else "", f.message)
                  for f in res.findings)


def _terraform_state() -> dict:
    """``terraform show -json`` of a state holding two security groups (the format:
    developer.hashicorp.com/terraform/internals/json-format), as test_s25_rest builds it."""
    from test_s25_rest import _block, _sg, _tf_state

    return json.loads(_tf_state([
        _sg("sg-1", [_block("tcp", 445, 445, ["10.1.0.0/16"]), _block("tcp", 445, 445, ["10.1.2.0/24"]),
                     _block("tcp", 1024, 9000, ["0.0.0.0/0"])], [_block("-1", 0, 0, ["0.0.0.0/0"])]),
        _sg("sg-2", [_block("tcp", 22, 22, ["192.0.2.0/24"])], [_block("-1", 0, 0, ["0.0.0.0/0"])])]))


@pytest.mark.parametrize("name", FILES + ["terraform show -json"])
def test_compact_json_is_audited_as_its_indented_form(name, tmp_path):
    data = _terraform_state() if name.startswith("terraform") else json.loads((CORPUS / name).read_text())
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(data, indent=4, ensure_ascii=False) + "\n")
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(data, separators=(",", ":")))
    want = _findings(pretty)
    got = _findings(compact)
    notices = [f for f in got if COMPACT in f[3]]
    assert len(notices) == 1 and notices[0][:2] == ("CFG300", 1)
    assert [f for f in got if COMPACT not in f[3]] == [f for f in want if COMPACT not in f[3]]
    assert not any(COMPACT in f[3] for f in want)
    # every finding but the notice points past line 1 or quotes one member, never the whole input
    assert all(len(f[2]) < 200 for f in got)


def test_a_secret_tag_in_compact_json_is_masked_on_its_own_line(tmp_path):
    """A tag naming a secret hides its value (``secret_lines``); on one line that hid the whole input,
    or, where a finding quoted it, nothing else: now only the value's own line is masked."""
    data = {"SecurityGroups": [{
        "GroupId": "sg-1", "GroupName": "g", "VpcId": "vpc-1", "Description": "the print servers' group",
        "Tags": [{"Key": "Name", "Value": "prepress"}, {"Key": "db_password", "Value": "Hunter2Secret"}],
        "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
                          {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}
    assert len(json.dumps(data)) > 400  # (compact: a one-line text longer than a line of 400 characters)
    p = tmp_path / "sg.json"
    p.write_text(json.dumps(data))
    site = load_site(None, ROLES, None)
    cfgs = api.load_inputs(str(p))
    res = api.audit(api.combine_inputs(cfgs, None, site), site)
    from auditor.report import render

    for fmt in ("text", "json", "sarif", "markdown", "github", "html"):
        assert "Hunter2Secret" not in render(fmt, res, color=False)
    # the redundant /8 rule is found and quoted on its own line
    quotes = [f.source.text for f in res.findings if f.rule_id == "ACL201"]
    assert quotes and all("10.0.0.0/8" in q for q in quotes)

"""What the README says of change requests is what check-change does (session 24's documentation review).

Each test reads the README's input table (or a command's help) and checks it against the code: the vendors whose
change requests ``check-change`` applies, and the ASA commands it applies (twice and object NAT since 1cd9b2f,
which the README's ASA column did not name).
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from test_asanat24 import FW
from test_cli import run

import parsers

README = (ROOT / "README.md").read_text(encoding="utf-8")
# the names the help and the README give the vendors that take change requests
SHOWN = {"cisco-asa": "ASA", "cisco-ios": "IOS", "junos": "Junos", "paloalto-panos": "PAN-OS", "fortios": "FortiOS",
         "checkpoint": "Check Point"}


def _change_column() -> dict[str, str]:
    """The README input table's 'change requests (`check-change`)' cell of each `--vendor` row."""
    out = {}
    for line in README.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)]  # (a cell's own '|' is written '\|')
        if len(cells) == 5 and re.fullmatch(r"`[a-z0-9]+(-[a-z0-9]+)*`(, `[a-z0-9-]+`)*", cells[1]):
            for v in re.findall(r"`([a-z0-9-]+)`", cells[1]):
                out[v] = cells[3]
    return out


def test_the_vendors_that_take_change_requests_are_the_ones_the_readme_and_the_help_name():
    column = _change_column()
    assert set(column) == set(parsers.VENDORS)
    takes = {v for v in parsers.VENDORS if parsers.load(v).apply_change is not None}
    documented = {v for v, cell in column.items() if cell and not cell.startswith("none")}
    assert documented == takes == set(SHOWN)
    code, out, _ = run("check-change", "--help")
    assert code == 0
    help_text = " ".join(out.split())
    for v in sorted(takes):
        assert SHOWN[v] in help_text, v  # (it said "vendor commands (e.g. ASA CLI)")


@pytest.mark.parametrize("word,change", [
    ("access-list", "access-list OUT extended permit tcp any object WEB eq 443\n"),
    ("object", "object network WEB3\n host 10.20.0.23\n"),
    ("object-group", "object-group network G\n network-object object WEB\n"),
    ("access-group", "access-group OUT in interface servers\n"),
    ("nat", "nat (servers,outside) source static WEB WEB_PUB\n"),
    ("nat", "object network WEB\n nat (servers,outside) static WEB_PUB\n"),
    ("timeout", "timeout conn 8:00:00\n"),
    ("class-map", "class-map C\n match any\n"),
    ("policy-map", "class-map C\n match any\n"
                   "policy-map global_policy\n class C\n  set connection timeout idle 8:00:00\n"),
    ("service-policy", "policy-map P\n class class-default\n  set connection timeout idle 8:00:00\n"
                       "service-policy P interface outside\n"),
    ("route", "route outside 192.0.2.0 255.255.255.0 203.0.113.254\n"),
])
def test_the_readme_names_each_asa_command_check_change_applies(word, change):
    # the ASA applies each (parsers/cisco_asa/change.py); the README's ASA change column names it
    parsers.load("cisco-asa").apply_change(FW, change, "cr.txt")
    cell = _change_column()["cisco-asa"]
    assert "`%s`" % word in cell, (word, cell)


def test_a_reviews_json_has_the_members_the_readme_lists():
    # README, "Gating change requests in CI": "its JSON (`schema_version` 1: `verdict`, ...) lists them under
    # `located`"; it left out `policy` and `fail_on`
    example = ROOT / "examples/change"
    code, out, _ = run("check-change", str(example / "before.cfg"), str(example / "change.txt"), "--site",
                       str(example / "site.yaml"), "--format", "json")
    assert code == 1
    said = README[README.index("its JSON (`schema_version` 1:"):]
    said = said[:said.index(")")]
    listed = set(re.findall(r"`([a-z_]+)`", said)) | {"located"}
    assert set(json.loads(out)) == listed


def test_the_active_store_with_trace_policy_store_gives_a_decided_verdict():
    # docs/vendors/cloud-and-windows.md: "`-All` or `-TracePolicyStore` added" (the parser's own message names both);
    # Microsoft, Get-NetFirewallRule: -TracePolicyStore "Specifies that the name of the source GPO is set to the
    # PolicyStoreSource parameter value" (learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule):
    # the same rules, their source named
    from test_s24_winps import _doubts, _flows, _profiles, _ps_rule

    profiles = "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore -TracePolicyStore | fl\n" + _profiles("True")
    rules = "PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore -TracePolicyStore\n\n" + _ps_rule("SMB")
    assert _doubts(profiles) == [] and _doubts(rules) == []
    assert _flows(profiles, rules)["smb"] == "pass"
    blocked = rules.replace("LocalPort : 445", "LocalPort : 446")
    assert _flows(profiles, blocked)["smb"] == "fail"

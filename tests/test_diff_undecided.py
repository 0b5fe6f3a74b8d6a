"""The change review tells a finding undecided before and decided now from one that did not change:
a line whose object is not defined leaves undecided whether it lets outside traffic reach a server or
passes a required flow ("cannot tell ..." findings, status unknown); when the change decides it, the
decided finding is introduced, not unchanged, though the fingerprint, which leaves the status out, is
the same.
"""

from __future__ import annotations

import json

from test_formats import cli

from auditor.diff import diff_configs
from auditor.policy import load_site
from parsers.cisco_asa import parse as parse_asa

ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.20"]


def test_a_server_exposure_undecided_before_is_introduced_and_fails(tmp_path):
    """A line whose object is not defined leaves undecided whether it lets the internet reach the
    primary server (PRN150 warning, status unknown); the change defines the object as the server:
    now it does (PRN150 error).  The fingerprint leaves the status out, so the two matched as one
    finding "unchanged" and the change passed."""
    old_text = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0
interface GigabitEthernet0/2
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
access-list OUTSIDE_IN extended permit tcp any object-group SRV eq 3389
access-group OUTSIDE_IN in interface outside
route outside 0.0.0.0 0.0.0.0 203.0.113.1
"""
    new_text = old_text.replace("access-list OUTSIDE_IN", "object-group network SRV\n network-object host 10.2.0.20\n"
                                "access-list OUTSIDE_IN", 1)
    d = diff_configs(parse_asa(old_text, "asa.cfg"), parse_asa(new_text, "asa.cfg"), load_site(None, ROLES))
    exposed = [(f.severity, f.status) for f in d.introduced if f.rule_id == "PRN150"]
    assert exposed == [("error", "")]
    assert [(f.severity, f.status) for f in d.resolved if f.rule_id == "PRN150"] == [("warning", "unknown")]
    assert not [f for f in d.unchanged if f.rule_id == "PRN150"]
    assert d.verdict == "fail"
    # the exit code follows --fail-on for the introduced finding, SARIF marks it new
    old_f, new_f = tmp_path / "old.cfg", tmp_path / "asa.cfg"
    old_f.write_text(old_text)
    new_f.write_text(new_text)
    args = ("diff", str(old_f), str(new_f), "--vendor", "cisco-asa", "--role", ROLES[0], "--role", ROLES[1])
    code, out, _err = cli(*args, "--format", "sarif")
    assert code == 1
    states = {(r["ruleId"], r["baselineState"]) for r in json.loads(out)["runs"][0]["results"]}
    assert ("PRN150", "new") in states and ("PRN150", "unchanged") not in states
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- rule_id: PRN150\n  contains: OUTSIDE_IN\n  justification: RDP for the vendor, CR-7\n"
                       "  expires: 2999-01-01\n")
    code, out, _err = cli(*args, "--format", "json", "--waivers", str(waivers))
    assert code == 0 and json.loads(out)["verdict"] == "pass", json.loads(out)["verdict_reasons"]


def test_a_required_flow_undecided_before_and_blocked_now_is_introduced():
    """The workshop's SMB traffic to the primary reaches a line whose object is not defined
    (undecided); the change defines it as another host, so the flow falls to the implicit deny.  The
    blocked-flow finding (PRN100, on the list's only line both times) matched the old "cannot tell"
    one and the change passed."""
    old_text = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0
access-list IN extended permit tcp any object-group SRV eq 445
access-group IN in interface inside
"""
    new_text = old_text.replace("access-list IN", "object-group network SRV\n network-object host 10.2.0.30\n"
                                "access-list IN", 1)
    d = diff_configs(parse_asa(old_text, "asa.cfg"), parse_asa(new_text, "asa.cfg"), load_site(None, ROLES),
                     select=("PRN100",))
    assert d.verdict == "fail"
    assert [(f.key, f.status) for f in d.introduced] == [("smb:workshop->primary", "fail")]

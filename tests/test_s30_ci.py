"""Session 30 red team of the Cisco ASA and IOS models (round 3): behaviours checked against Cisco's documents.

Documents cited:

* [ASA-INACTIVE] Cisco ASA Series Command Reference, A-H, "access-list extended": "inactive (Optional) Disables an
  ACE. To reenable it, enter the entire ACE without the inactive keyword. This feature lets you keep a record of an
  inactive ACE in your configuration to make reenabling easier"
  (https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/aa-ac-commands.html).
"""

from __future__ import annotations

import json

import pytest

from parsers.cisco_asa.change import apply_change
from parsers.kit import InputError
from test_formats import cli

ASA = """\
ASA Version 9.16(4)
hostname fw
interface GigabitEthernet0/0
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
access-list WS extended deny tcp any host 10.20.0.11 eq 445
access-list WS extended permit tcp any any eq 445
access-list WS extended permit tcp any any eq 80 log
access-group WS in interface workshop
"""
DENY = "access-list WS extended deny tcp any host 10.20.0.11 eq 445"


def acl_lines(text: str) -> list[str]:
    return [x for x in text.splitlines() if x.startswith("access-list WS ")]


def test_asa_retyping_an_entry_with_inactive_disables_it_where_it_stands():
    # [ASA-INACTIVE]: it was refused ("already has this entry with other options")
    out = apply_change(ASA, DENY + " inactive\n", "cr.txt")
    assert acl_lines(out) == [DENY + " inactive", "access-list WS extended permit tcp any any eq 445",
                              "access-list WS extended permit tcp any any eq 80 log"]


def test_asa_retyping_an_inactive_entry_without_the_keyword_enables_it_where_it_stands():
    cfg = ASA.replace(DENY, DENY + " inactive")
    out = apply_change(cfg, DENY + "\n", "cr.txt")
    assert acl_lines(out)[0] == DENY and len(acl_lines(out)) == 3


def test_asa_inactive_toggle_with_a_line_number_elsewhere_is_refused():
    with pytest.raises(InputError):
        apply_change(ASA, "access-list WS line 2 extended deny tcp any host 10.20.0.11 eq 445 inactive\n", "cr.txt")
    # its own line number is that entry
    out = apply_change(ASA, "access-list WS line 1 extended deny tcp any host 10.20.0.11 eq 445 inactive\n", "cr")
    assert acl_lines(out)[0] == DENY + " inactive"


def test_asa_check_change_disabling_a_deny_opens_the_flow(tmp_path):
    cfg, cr = tmp_path / "fw.cfg", tmp_path / "cr.txt"
    cfg.write_text(ASA)
    cr.write_text(DENY + " inactive\n")
    code, out, err = cli("check-change", str(cfg), str(cr), "--role", "workshop=10.30.0.0/24",
                         "--role", "primary=10.20.0.11", "--format", "json")
    assert code != 2, err
    d = json.loads(out)
    # SMB workshop -> primary was denied by line 11; disabled, line 12 permits it
    assert [(f["rule_id"], f["line"]) for f in d["resolved"] if f["rule_id"] == "PRN100"] == [("PRN100", 11)]
    [opened] = d["newly_permitted"]
    assert (opened["old_line"], opened["new_decision"], opened["new_line"]) == (11, "permit", 12), opened

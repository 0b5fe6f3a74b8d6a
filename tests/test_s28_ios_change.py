"""Session 28: IOS change requests reviewed with ``check-change`` as a network admin would write them."""

from __future__ import annotations

import json

from test_formats import cli

BASE = """\
version 15.2
hostname rtr
ip access-list extended WS-IN
 10 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 445
 20 deny ip any host 10.20.0.10
 30 permit ip any any
interface GigabitEthernet0/1
 ip address 10.30.0.1 255.255.255.0
 ip access-group WS-IN in
interface GigabitEthernet0/2
 ip address 10.20.0.1 255.255.255.0
end
"""


def review(tmp_path, change: str) -> tuple[int, dict]:
    (tmp_path / "r.cfg").write_text(BASE)
    (tmp_path / "chg.txt").write_text(change)
    code, out, err = cli("check-change", str(tmp_path / "r.cfg"), str(tmp_path / "chg.txt"), "--role",
                         "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10", "--format", "json",
                         "--fail-on", "warning")
    return code, json.loads(out)


def test_resequence_alone_introduces_nothing(tmp_path):
    # Cisco IOS Security Configuration Guide, "IP Access List Entry Sequence Numbering": 'ip access-list
    # resequence NAME 100 5' renumbers the entries (100, 105, 110) and changes nothing they permit or deny.  The
    # renumbered 'permit ip any any' (its line's text now '110 permit ip any any') was reported resolved and
    # introduced again (ACL210, a warning): a pure resequence failed the review at --fail-on warning.
    code, d = review(tmp_path, "ip access-list resequence WS-IN 100 5\n")
    assert d["introduced"] == [] and d["resolved"] == []
    assert any(f["rule_id"] == "ACL210" for f in d["unchanged"])
    assert d["newly_permitted"] == d["newly_denied"] == d["newly_unknown"] == []
    assert code == 0 and d["verdict"] == "pass"


def test_an_any_to_any_permit_in_another_list_is_still_introduced(tmp_path):
    # (an entry that decides as the old one does, but in another list, is a finding of its own; the same entry
    # again in WS-IN is no change at all: "If the user enters an entry that matches an already existing entry
    # (except for the sequence number), then no changes are made", IP Access List Entry Sequence Numbering)
    code, d = review(tmp_path, "ip access-list extended SRV-OUT\n permit ip any any\n"
                               "interface GigabitEthernet0/2\n ip access-group SRV-OUT out\n")
    assert [f["text"].strip() for f in d["introduced"] if f["rule_id"] == "ACL210"] == ["permit ip any any"]
    assert [f["line"] for f in d["unchanged"] if f["rule_id"] == "ACL210"] == [6]
    assert code == 1

"""Session 28 (io2): change requests that edit a numbered list (written as 'access-list N' lines) in named
access list configuration mode, as Cisco documents it.

Cisco IOS XE Security Configuration Guide: Access Control Lists, "IP Access List Entry Sequence Numbering"
(Restrictions): "you can name an access list with a number, so numbers are allowed when they are entered in the
standard or extended named access list (NACL) configuration mode"; its example enters 'ip access-list extended
150' and resequences list 150 ('ip access-list resequence 150 1 2'); entries applied without sequence numbers:
"the first entry is assigned a sequence number of 10, and successive entries are incremented by 10".  Before,
every such change was refused (exit 2)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide  # noqa: E402
from test_formats import cli  # noqa: E402

from parsers import InputError  # noqa: E402
from parsers.cisco_ios.change import apply_change  # noqa: E402

BASE = """\
version 15.2
hostname rtr
access-list 101 remark Workshop to the primary
access-list 101 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 445
access-list 101 deny ip any host 10.20.0.10
access-list 10 permit host 10.30.0.7
access-list 101 permit ip any any
access-list 10 deny 10.30.0.0 0.0.0.255
access-list 10 permit any
interface GigabitEthernet0/1
 ip address 10.30.0.1 255.255.255.0
 ip access-group 101 in
interface GigabitEthernet0/2
 ip address 10.20.0.1 255.255.255.0
end
"""


def change(text: str) -> str:
    origins: list = []
    out = apply_change(BASE, text, "chg.txt", origins)
    assert len(origins) == len(out.splitlines())
    return out


def test_sequence_numbers_in_nacl_mode_edit_the_numbered_list():
    # the brief's case: '5 permit ...' goes before entry 10 (the first), 'no 10' deletes the 445 permit
    out = change("ip access-list extended 101\n 5 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 22\n no 10\n")
    lines = out.splitlines()
    k = lines.index("ip access-list extended 101")
    # the list as IOS XE shows it: its entries numbered 10, 20, 30 in their order (the remark unnumbered), the
    # new entry 5 first, entry 10 gone; no 'access-list 101' line is left
    assert lines[k + 1:k + 5] == [" remark Workshop to the primary",
                                  " 5 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 22",
                                  " 20 deny ip any host 10.20.0.10", " 30 permit ip any any"]
    assert not any(x.startswith("access-list 101") for x in lines)
    # list 10 is left as it was
    assert [x for x in lines if x.startswith("access-list 10 ")] == [
        "access-list 10 permit host 10.30.0.7", "access-list 10 deny 10.30.0.0 0.0.0.255", "access-list 10 permit any"]
    c = cfg(out, head="")
    assert not c.unrecognized
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=22)["decision"] == "permit"
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "deny"
    assert decide(c, "10.30.0.5", "10.20.0.11", dport=445)["decision"] == "permit"


def test_numbers_are_the_ones_ios_gave_the_entries():
    # entry 20 is the deny (the second entry; the remark has no number): 'no 20' opens the primary
    c = cfg(change("ip access-list extended 101\n no 20\n"), head="")
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=80)["decision"] == "permit"
    # 25 goes between the deny (20) and the permit (30): it decides nothing the deny decided
    c = cfg(change("ip access-list extended 101\n 25 deny tcp any any eq 23\n"), head="")
    assert decide(c, "10.30.0.5", "10.20.0.11", dport=23)["decision"] == "deny"
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"
    with pytest.raises(InputError, match="already has an entry 30"):
        change("ip access-list extended 101\n 30 deny tcp any any eq 23\n")
    with pytest.raises(InputError, match="no entry 40"):
        change("ip access-list extended 101\n no 40\n")


def test_resequence_of_a_numbered_list_renumbers_it_in_order():
    out = change("ip access-list resequence 101 1 2\nip access-list extended 101\n 2 deny tcp any any eq 23\n")
    lines = out.splitlines()
    k = lines.index("ip access-list extended 101")
    assert lines[k + 1:k + 6] == [" remark Workshop to the primary",
                                  " 1 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 445",
                                  " 2 deny tcp any any eq 23",
                                  " 3 deny ip any host 10.20.0.10", " 5 permit ip any any"]


def test_access_list_n_appends_to_a_list_shown_in_named_form():
    # 'access-list 101 ...' after the list was edited in NACL mode (or on an IOS XE config that shows it so):
    # the entry goes at the end, numbered 10 more than the last entry's (20, once 30 is deleted)
    out = change("ip access-list extended 101\n no 30\naccess-list 101 deny tcp any any eq 23\n")
    lines = out.splitlines()
    k = lines.index("ip access-list extended 101")
    assert lines[k + 1:k + 5] == [" remark Workshop to the primary",
                                  " 10 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 445",
                                  " 20 deny ip any host 10.20.0.10", " 30 deny tcp any any eq 23"]


def test_standard_list_with_host_entries_refuses_numbers():
    # "The order in which standard ACEs are entered may not be the order in which they are stored, displayed or
    # processed by the router" (Cisco Networking Academy, Routing and Switching Essentials 9.2.2.2: host entries
    # are hashed): which host entry has which number is not in the running-config
    with pytest.raises(InputError, match="host entries among others"):
        change("ip access-list standard 10\n no 10\n")
    with pytest.raises(InputError, match="host entries among others"):
        change("ip access-list resequence 10 10 10\n")
    # without numbers the change is exact
    out = change("ip access-list standard 10\n no permit host 10.30.0.7\n")
    assert "permit host 10.30.0.7" not in out


def test_check_change_reviews_it(tmp_path):
    (tmp_path / "r.cfg").write_text(BASE)
    (tmp_path / "chg.txt").write_text("ip access-list extended 101\n 5 permit tcp 10.30.0.0 0.0.0.255 host "
                                      "10.20.0.10 eq 22\n no 10\n")
    code, out, err = cli("check-change", str(tmp_path / "r.cfg"), str(tmp_path / "chg.txt"), "--role",
                         "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10", "--format", "json")
    assert code == 1, err  # (exit 2 before: refused)
    d = json.loads(out)
    assert d["verdict"] == "fail"
    assert d["newly_denied"] and d["newly_permitted"]

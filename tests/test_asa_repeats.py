"""An access-list entry repeated word for word is built once (``acl._again``): the repeats get
the same rules as building each one, with their own line, position and inline addresses, and
an entry whose building reports something (an undefined object) is still reported on each line."""

from __future__ import annotations

from parsers.cisco_asa import acl as A
from parsers.cisco_asa import parse

CFG = """ASA Version 9.16(4)
hostname t
name 10.9.9.9 NAMED
object network WEB
 host 10.1.1.1
access-list IN extended permit tcp host 10.0.0.1 object WEB eq 80
access-list IN extended deny ip 10.2.0.0 255.255.0.0 host NAMED log
access-list IN extended permit tcp host 10.0.0.1 object WEB eq 80
access-list IN extended permit udp object UNDEFINED any eq 53
access-list IN extended deny ip 10.2.0.0 255.255.0.0 host NAMED log
access-list IN line 1 extended permit tcp host 10.0.0.1 object WEB eq 80
access-list IN extended permit udp object UNDEFINED any eq 53
access-list IN extended permit tcp host 10.0.0.1 object WEB eq 80 inactive
access-group IN in interface inside
"""


class _FindsNone(dict):
    def get(self, key, default=None):
        return default


def test_repeated_entries_get_the_rules_built_one_by_one(monkeypatch):
    fast = parse(CFG, "t.cfg")
    built = []
    real = A.build_ace
    monkeypatch.setattr(A, "build_ace", lambda *a: built.append(a[3].line) or real(*a))
    parse(CFG, "t.cfg")
    # (line 6 resolved WEB first, recording its address: built again on line 8, then cached;
    # line 9 reported the undefined name: built again on line 12)
    assert built == [6, 7, 8, 9, 12, 13]
    monkeypatch.setattr(A, "_Built", _FindsNone)
    slow = parse(CFG, "t.cfg")
    # (by their text: packet sets compare by identity, and each parse makes its own)
    assert repr(fast.filters) == repr(slow.filters)
    assert repr(fast.diagnostics) == repr(slow.diagnostics)
    assert repr(fast.address_refs) == repr(slow.address_refs)
    rules = fast.filters["IN"].rules
    assert [(r.source.line, r.index) for r in rules] == [(11, 0), (6, 1), (7, 2), (8, 3), (9, 4), (10, 5),
                                                         (12, 6), (13, 7)]
    # the inline addresses of a repeat name the repeat's line; a name's, the name's line
    assert [ref.source.line for ref in rules[5].addresses] == [10, 3]
    assert [ref.source.line for ref in rules[0].addresses][0] == 11
    assert sum(1 for d in fast.diagnostics if "UNDEFINED" in d.message) == 2


# --- a second 'interface' block for an interface -----------------------------------------------------------
# 'interface' enters the configuration mode of the interface named, whose settings the later commands change;
# an ASA interface has one IPv4 address: "ip address ip_address [mask] [standby ip_address]" has no secondary
# form (Cisco Security Appliance Command Reference 8.0, 'ip address',
# http://www.cisco.com/en/US/docs/security/asa/asa80/command/reference/i3.html; "the ASA does not support
# secondary IP addresses (like Cisco IOS does)", https://courseiva.com/commands/cisco/asa-interface-ip-address),
# so a later 'ip address' replaces it; 'nameif' names the interface (one name).  Before, each block made an
# interface: the later address was added beside the earlier one, a later 'nameif' made a third interface.

IFACES = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0
access-list IN extended permit ip any any
access-group IN in interface inside
"""


def _decide(c, dst):
    from auditor.api import decision_json, make_packet

    return decision_json(c, make_packet("10.1.2.5", dst, "tcp", 40000, 445))["decision"]


def test_a_later_interface_block_replaces_its_address():
    c = parse(IFACES + "interface GigabitEthernet0/1\n ip address 10.3.0.1 255.255.255.0\n", "t.cfg")
    assert _decide(c, "10.3.0.10") == "permit"  # before: deny (not routed)
    assert _decide(c, "10.2.0.10") != "permit"  # before: permit (the old network stayed)
    assert [i.name for i in c.interfaces] == ["inside", "servers"]


def test_a_later_interface_block_renames_it():
    c = parse(IFACES + "interface GigabitEthernet0/1\n nameif dmz\n", "t.cfg")
    assert [i.name for i in c.interfaces] == ["inside", "dmz"]  # before: inside, servers, dmz


def test_no_ip_address_in_a_later_block_removes_it():
    c = parse(IFACES + "interface GigabitEthernet0/1\n no ip address\n", "t.cfg")
    assert _decide(c, "10.2.0.10") != "permit"

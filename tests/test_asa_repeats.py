"""An access-list entry repeated word for word is built once (``acl._again``): the repeats get
the same rules as building each one, with their own line, position and inline addresses, and
an entry whose building reports something (an undefined object) is still reported on each line."""

from __future__ import annotations

from auditor.core.packets import ISet, addr_to_int
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


# --- the one IPv4 address replaced: its standby address and a DHCP address (with its route) go with it ------------
# The standby address is part of the 'ip address' command ("ip address ip_address [mask] [standby ip_address]",
# Cisco Security Appliance Command Reference 8.0, 'ip address'; "the second ip-address parameter is the standby
# unit's IP address", it-certification-network.blogspot.com, Security Appliance Failover Commands), and
# 'ip address dhcp [setroute]' / 'ip address pppoe [setroute]' are the other forms of that command, on the same
# page (http://www.cisco.com/en/US/docs/security/asa/asa80/command/reference/i3.html: 'ip address', 'ip address
# dhcp', 'ip address pppoe'): the interface has one IPv4 address, set by whichever form came last.  Before, a
# replaced line left its standby address among the device's own, and 'ip address dhcp' left the static address.

HA = IFACES.replace(" ip address 10.2.0.1 255.255.255.0\n", " ip address 10.2.0.1 255.255.255.0 standby 10.2.0.2\n")


def test_a_replaced_address_takes_its_standby_address_with_it():
    c = parse(HA + "interface GigabitEthernet0/1\n ip address 10.2.0.1 255.255.255.0 standby 10.2.0.3\n", "t.cfg")
    assert c.local_addresses.overlaps(ISet.of(addr_to_int("10.2.0.3")))
    # 10.2.0.2 is now a host on servers' network, not the standby unit (before: unknown, 'addressed to the device')
    assert _decide(c, "10.2.0.2") == "permit"
    c = parse(HA + "interface GigabitEthernet0/1\n no ip address\n", "t.cfg")
    assert not c.local_addresses.overlaps(ISet.of(addr_to_int("10.2.0.2")))


def test_ip_address_dhcp_replaces_the_static_address():
    c = parse(HA + "interface GigabitEthernet0/1\n ip address dhcp\n", "t.cfg")
    # (as with an interface that has only 'ip address dhcp': its network is not known; before: permit, through the
    # static network the DHCP client replaced)
    assert _decide(c, "10.2.0.10") != "permit"
    assert not c.local_addresses.overlaps(ISet.of(addr_to_int("10.2.0.1")))
    assert not c.local_addresses.overlaps(ISet.of(addr_to_int("10.2.0.2")))


def test_a_static_address_replaces_dhcp_and_the_default_route_it_set():
    outside = "interface GigabitEthernet0/2\n nameif outside\n security-level 0\n ip address dhcp setroute\n"
    c = parse(IFACES + outside, "t.cfg")
    assert _decide(c, "198.51.100.7") == "permit"  # (the default route learned by DHCP)
    c = parse(IFACES + outside + "interface GigabitEthernet0/2\n ip address 203.0.113.2 255.255.255.0\n", "t.cfg")
    assert _decide(c, "198.51.100.7") != "permit"  # before: permit (the DHCP route stayed)
    assert _decide(c, "203.0.113.9") == "permit"
    # (in one block too)
    c = parse(IFACES + outside + " ip address 203.0.113.2 255.255.255.0\n", "t.cfg")
    assert _decide(c, "198.51.100.7") != "permit"

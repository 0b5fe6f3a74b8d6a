"""Cisco IOS: an interface named by an abbreviation (``Gi0/0``, ``gi 0/0``) is the interface the running-config
names in full (``GigabitEthernet0/0``), wherever it is named: the ``interface`` line of a snippet pasted after the
running-config, a static route, a NAT rule, a change request (``parsers.kit.ifnames``).

Documents:

* [IF-CMD] Cisco IOS Interface and Hardware Component Command Reference, ``interface``: "interface type number"
  (the type a keyword, from its table of type keywords),
  https://cisco.com/en/US/docs/ios-xml/ios/interface/command/ir-i1.html;
* [ABBREV] Cisco, "Using the Command-Line Interface", "Understanding Abbreviated Commands": "You need to enter
  only enough characters for the switch to recognize the command as unique"; keywords "can be abbreviated to
  the minimum number of characters that identifies a unique selection" (an ambiguous one: "% Ambiguous
  command"), https://www.cisco.com/en/US/docs/switches/metro/me3600x_3800x/trash/swcli.html;
* ios_helpers.INTERFACE_CMD: 'interface' enters the configuration mode of the interface named, whose settings
  the commands under it change.

Before, the abbreviated name was a second interface with no address: its access list, zone and NAT side
changed nothing (a wrong pass), a route or NAT rule naming it was "undefined" or "has no address".  A type
that abbreviates several types (``g``: GigabitEthernet, Group-Async, GMPLS) is reported, never guessed.
"""

from __future__ import annotations

import pytest
from ios_helpers import cfg, decide, line_of

from auditor.core.model import Impact
from auditor.core.packets import addr_to_int
from parsers import InputError
from parsers.cisco_ios import names as N
from parsers.cisco_ios.change import apply_change
from parsers.kit.ifnames import IfNames

BASE = """\
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.0.0
 ip access-group OPEN in
interface GigabitEthernet0/1
 ip address 10.2.0.1 255.255.255.0
ip access-list extended NO-SMB
 deny tcp any any eq 445
 permit ip any any
ip access-list extended OPEN
 permit ip any any
"""
WS, SRV = "10.1.0.5", "10.2.0.10"


def smb(c, dst=SRV) -> str:
    return decide(c, WS, dst, dport=445)["decision"]


@pytest.mark.parametrize("header", ["interface Gi0/0", "interface gi0/0", "interface Gig0/0",
                                    "interface gigabitethernet 0/0", "interface GIGABITETHERNET0/0"])
def test_a_pasted_block_naming_the_interface_by_abbreviation_changes_it(header):
    # [ABBREV], [IF-CMD]: 'Gi0/0' is GigabitEthernet0/0, its new inbound list denies SMB
    c = cfg(BASE + header + "\n ip access-group NO-SMB in\n")
    assert smb(c) == "deny"  # before: permit (a second interface 'Gi0/0' got the list)
    assert [i.name for i in c.interfaces] == ["GigabitEthernet0/0", "GigabitEthernet0/1"]
    assert not c.diagnostics, [d.message for d in c.diagnostics]


def test_an_ambiguous_abbreviation_is_reported_and_the_verdict_unknown():
    # 'g' abbreviates GigabitEthernet, Group-Async and GMPLS ([ABBREV]: "% Ambiguous command")
    text = BASE + "interface g0/0\n ip access-group NO-SMB in\n"
    c = cfg(text)
    assert smb(c) == "unknown"  # before: permit
    d = [x for x in c.diagnostics if x.code == "CFG300"]
    assert [x.source.line for x in d] == [line_of(text, "interface g0/0"), line_of(text, " ip access-group NO-SMB in")]
    assert "GigabitEthernet" in d[0].message and d[0].impact is Impact.GLOBAL


def test_a_running_config_of_full_names_is_read_as_before():
    c = cfg(BASE + "interface GigabitEthernet 0/0\n ip access-group NO-SMB in\n")
    assert smb(c) == "deny" and not c.diagnostics
    assert [i.name for i in c.interfaces] == ["GigabitEthernet0/0", "GigabitEthernet0/1"]


def test_a_config_that_abbreviates_keeps_its_names_and_a_full_name_finds_them():
    # (a snippet written 'Gi0/0' keeps that name in reports; a later block naming it in full changes it)
    snippet = BASE.replace("GigabitEthernet", "Gi")
    c = cfg(snippet + "interface GigabitEthernet0/0\n ip access-group NO-SMB in\n")
    assert [i.name for i in c.interfaces] == ["Gi0/0", "Gi0/1"]
    assert smb(c) == "deny"  # before: permit


def test_a_static_route_through_an_abbreviated_interface():
    # the route names the interface the running-config names in full: 10.9.0.0/16 leaves through it and meets its
    # outbound list (before: 'interface Gi0/1' undefined, the route dropped, 10.9.0.0/16 not routed)
    text = BASE + "interface GigabitEthernet0/1\n ip access-group NO-SMB out\nip route 10.9.0.0 255.255.0.0 Gi0/1\n"
    c = cfg(text)
    assert [(r.interface, r.source.line) for r in c.routes] == [("GigabitEthernet0/1", line_of(
        text, "ip route 10.9.0.0 255.255.0.0 Gi0/1"))]
    assert not c.diagnostics, [d.message for d in c.diagnostics]
    assert decide(c, WS, "10.9.0.10", dport=80)["decision"] == "permit"
    assert smb(c, "10.9.0.10") == "deny"


def test_a_route_through_an_ambiguous_abbreviation_is_reported():
    text = BASE + "ip route 10.9.0.0 255.255.0.0 g0/1\n"
    c = cfg(text)
    [d] = c.diagnostics
    assert d.code == "CFG300" and d.source.line == line_of(text, "ip route 10.9.0.0 255.255.0.0 g0/1")
    assert "GigabitEthernet" in d.message


NAT = """\
interface GigabitEthernet0/0
 ip address 203.0.113.2 255.255.255.0
 ip nat outside
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
 ip nat inside
ip access-list standard INSIDE
 permit 10.20.0.0 0.0.0.255
"""


def test_nat_to_the_address_of_an_abbreviated_interface():
    # 'interface Gi0/0' in a NAT rule is GigabitEthernet0/0, whose address 203.0.113.2 the rule translates to
    # (before: a static rule was reported, "interface Gi0/0 has no address", and a dynamic one took any address)
    c = cfg(NAT + "ip nat inside source static tcp 10.20.0.10 445 interface Gi0/0 445\n"
            "ip nat inside source list INSIDE interface gi0/0 overload\n")
    assert not c.diagnostics, [d.message for d in c.diagnostics]
    [pre] = [n for n in c.nat if n.name == "ip nat inside source static (outside to inside)"]
    [r] = pre.rules
    assert r.match.cubes[0].dims[1].iv == ((addr_to_int("203.0.113.2"),) * 2,)
    [post] = [n for n in c.nat if n.name == "ip nat inside source (inside to outside)"]
    dyn = post.rules[-1]
    assert dyn.rewrites[0].pool.iv == ((addr_to_int("203.0.113.2"),) * 2,)


def test_nat_to_an_ambiguous_abbreviation_is_reported():
    text = NAT + "ip nat inside source list INSIDE interface g0/0 overload\n"
    c = cfg(text)
    [d] = c.diagnostics
    assert d.code == "CFG300" and d.source.line == line_of(text, "ip nat inside source list INSIDE interface g0/0 "
                                                                   "overload")


ZONES = """\
zone security IN
zone security SRV
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.0.0
 zone-member security IN
interface GigabitEthernet0/1
 ip address 10.2.0.1 255.255.255.0
 zone-member security SRV
"""


def test_a_zone_member_set_in_an_abbreviated_block_moves_the_interface():
    # ios_helpers.ZBF_RULES: no zone-pair IN -> SRV drops; both in zone IN: "Traffic is implicitly allowed to flow
    # by default among interfaces that are members of the same zone"
    c = cfg(ZONES)
    assert smb(c) == "deny"
    c = cfg(ZONES + "interface Gi0/1\n zone-member security IN\n")
    assert smb(c) == "permit"  # before: deny (the zone went to a second interface 'Gi0/1')


@pytest.mark.parametrize("written, types, full", [
    ("Gi0/0", ["GigabitEthernet0/0"], "GigabitEthernet0/0"),
    ("Fa0/1", ["FastEthernet0/1"], "FastEthernet0/1"),
    ("Te1/1/1", ["TenGigabitEthernet1/1/1"], "TenGigabitEthernet1/1/1"),
    ("Tw1/0/1", ["TwoGigabitEthernet1/0/1"], "TwoGigabitEthernet1/0/1"),
    ("Hu1/0/49", ["HundredGigE1/0/49"], "HundredGigE1/0/49"),
    ("Fo1/1/1", ["FortyGigabitEthernet1/1/1"], "FortyGigabitEthernet1/1/1"),
    ("Po1", [], "Port-channel1"), ("Vl10", [], "Vlan10"), ("Lo0", [], "Loopback0"),
    ("Se0/0/0", ["Serial0/0/0"], "Serial0/0/0"),
    ("BDI5", [], "BDI5"), ("Eth0", [], "Ethernet0"), ("Ethernet0", [], "Ethernet0"), ("nu0", [], "Null0"),
    ("Di1", [], "Dialer1"), ("Gi0/0.100", ["GigabitEthernet0/0.100"], "GigabitEthernet0/0.100"),
    ("Tunnel0", [], "Tunnel0"),
])
def test_the_abbreviations_that_single_out_one_type(written, types, full):
    # [ABBREV], the type keywords of [IF-CMD]; the physical types the config prints, and the ones IOS creates by
    # configuration (Port-channel, Vlan, Loopback, Null, Dialer, BDI, Tunnel...)
    assert IfNames(N.IF_PHYSICAL, N.IF_VIRTUAL, types).resolve(written) == (full, None)


@pytest.mark.parametrize("written, types", [
    ("g0/0", ["GigabitEthernet0/0"]),  # GigabitEthernet, Group-Async, GMPLS
    ("Tw1/0/1", ["TwoGigabitEthernet1/0/1", "TwentyFiveGigE1/1/1"]),  # a device with both
    ("Fo1/1/1", ["FortyGigabitEthernet1/1/1", "FourHundredGigE1/1/2"]),
    ("Tu0", []),  # Tunnel, Tunnel-tp (MPLS-TP)
    ("Vi1", []),  # Virtual-Template, Virtual-Access, Vif, ...
])
def test_an_abbreviation_of_several_types_is_not_resolved(written, types):
    name, why = IfNames(N.IF_PHYSICAL, N.IF_VIRTUAL, types).resolve(written)
    assert name == written and why is not None and "abbreviates" in why


def test_a_type_the_tables_lack_is_kept_as_the_config_prints_it():
    # (a running-config's own type, and an abbreviation of it; an unknown one is left for 'undefined interface')
    names = IfNames(N.IF_PHYSICAL, N.IF_VIRTUAL, ["Wlan-GigabitEthernet0", "Xyz-Port1"])
    assert names.resolve("Xyz-Port1") == ("Xyz-Port1", None)
    assert names.resolve("xyz1") == ("Xyz-Port1", None)
    assert names.resolve("Qq1") == ("Qq1", None)


CHANGE_BASE = BASE.replace("ip access-group OPEN in", "ip access-group NO-SMB in") + "end\n"


def test_a_change_request_naming_the_interface_by_abbreviation_changes_it():
    # check-change: 'interface gi0/0' in configure terminal is GigabitEthernet0/0 (before: refused, "interface
    # gi0/0 is not in the config")
    out = apply_change(CHANGE_BASE, "interface gi0/0\n no ip access-group NO-SMB in\n", "chg.txt", [])
    assert smb(cfg(out, head="")) == "permit"
    out = apply_change(CHANGE_BASE, "interface GigabitEthernet 0/0\n ip access-group OPEN in\n", "chg.txt", [])
    assert smb(cfg(out, head="")) == "permit"
    with pytest.raises(InputError, match="abbreviates"):
        apply_change(CHANGE_BASE, "interface g0/0\n no ip access-group NO-SMB in\n", "chg.txt", [])


def test_a_loopback_the_config_names_lo0_is_the_routers_own():
    # 'Lo0' is Loopback0 ([ABBREV]; Loopback the only type 'Lo' abbreviates): its address is the router's own, not
    # a network behind a transit interface (before: 'Lo0' was taken for a transit interface)
    c = cfg(BASE + "interface Lo0\n ip address 10.9.9.9 255.255.255.255\n")
    assert [i.name for i in c.interfaces] == ["GigabitEthernet0/0", "GigabitEthernet0/1"]
    assert c.local_addresses is not None and addr_to_int("10.9.9.9") in c.local_addresses


def test_a_change_removing_or_repeating_a_route_by_abbreviation():
    # 'no ip route ... Gi0/1' removes the route the running-config writes '... GigabitEthernet0/1' ([ABBREV]; before:
    # refused, "no such route in the config"); the same route typed again adds nothing
    base = CHANGE_BASE.replace("end\n", "ip route 10.9.0.0 255.255.0.0 GigabitEthernet0/1\nend\n")
    out = apply_change(base, "no ip route 10.9.0.0 255.255.0.0 Gi0/1\n", "chg.txt", [])
    assert "ip route" not in out and cfg(out, head="").routes == ()
    out = apply_change(base, "ip route 10.9.0.0 255.255.0.0 gi0/1\n", "chg.txt", [])
    assert out == base


def test_an_interface_range_is_reported_not_made_an_interface():
    # 'interface range GigabitEthernet0/0 - 1' changes both interfaces (Cisco IOS Software Configuration Guide,
    # Release 12.2SX, "Configuring Interfaces", "Configuring a Range of Interfaces",
    # https://www.cisco.com/en/US/docs/general/Test/dwerblo/broken_guide/intrface.pdf): not modelled, so reported
    # (before: an interface named 'range', and a wrong pass)
    text = BASE + "interface range GigabitEthernet0/0 - 1\n ip access-group NO-SMB in\n"
    c = cfg(text)
    assert smb(c) == "unknown"
    assert [i.name for i in c.interfaces] == ["GigabitEthernet0/0", "GigabitEthernet0/1"]
    assert [d.source.line for d in c.diagnostics] == [line_of(text, "interface range GigabitEthernet0/0 - 1"),
                                                      line_of(text, " ip access-group NO-SMB in")]

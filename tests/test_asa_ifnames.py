"""Cisco ASA: an ``interface`` line that abbreviates the type, writes it in lower case or puts a space before the
number (``interface gigabitethernet 0/1``, as Cisco's guides write it; ``interface Gi0/1``) names the interface
the running-config prints in full (``interface GigabitEthernet0/1``): a block pasted after the running-config
changes it (``parsers.kit.ifnames``).

Documents:

* [ASA-CLI] Cisco ASA 5580 Command Line Configuration Guide 8.1, "Using the Command-Line Interface",
  "Abbreviating Commands" (commands abbreviated "down to the fewest unique characters"),
  http://www.cisco.com/c/en/us/td/docs/security/asa/asa81/config/guide/config/cli.html;
* [ASA-IF] Cisco ASA Series General Operations CLI Configuration Guide, "Interfaces": ``interface
  gigabitethernet 0/1`` enters that interface's configuration mode (the physical interface types; the
  ones created by configuration: Port-channel, Redundant, BVI, Vlan, VNI, Tunnel, Loopback);
* test_asa_repeats: a second block for an interface changes it ('interface' enters its configuration mode);
  "shutdown" disables it.

Before, each such header made a second interface with no name and no address: what it set changed nothing, so a
flow through an interface the paste shut down still passed.
"""

from __future__ import annotations

import pytest
from test_asa_repeats import IFACES, _decide

from parsers.cisco_asa import parse
from parsers.cisco_asa.names import IF_PHYSICAL, IF_VIRTUAL
from parsers.kit.ifnames import IfNames


@pytest.mark.parametrize("header", ["interface GigabitEthernet0/1", "interface gigabitethernet 0/1",
                                    "interface Gi0/1", "interface gi0/1", "interface GIG 0/1"])
def test_a_pasted_block_shutting_the_interface_down_by_any_spelling(header):
    c = parse(IFACES + header + "\n shutdown\n", "t.cfg")
    assert _decide(c, "10.2.0.10") == "deny"  # before: permit (all but the full name: a second interface)
    assert [i.name for i in c.interfaces] == ["inside"]
    assert not c.diagnostics, [d.message for d in c.diagnostics]


def test_a_pasted_block_readdressing_the_interface_by_abbreviation():
    c = parse(IFACES + "interface gi0/1\n ip address 10.3.0.1 255.255.255.0\n", "t.cfg")
    assert _decide(c, "10.3.0.10") == "permit"  # before: deny (not routed)
    assert _decide(c, "10.2.0.10") != "permit"  # before: permit
    assert [i.name for i in c.interfaces] == ["inside", "servers"]


def test_an_ambiguous_abbreviation_is_reported_and_the_verdict_unknown():
    # 't' abbreviates TenGigabitEthernet (a port of this device) and Tunnel
    text = IFACES + "interface TenGigabitEthernet0/8\n shutdown\ninterface t0/1\n shutdown\n"
    c = parse(text, "t.cfg")
    assert _decide(c, "10.2.0.10") == "unknown"  # before: permit
    d = [x for x in c.diagnostics if x.code == "CFG300"]
    assert [x.source.text for x in d] == ["interface t0/1", " shutdown"]
    assert "TenGigabitEthernet" in d[0].message and "Tunnel" in d[0].message


@pytest.mark.parametrize("written, types, full", [
    ("Gi0/1", ["GigabitEthernet0/1"], "GigabitEthernet0/1"),
    ("Te0/8", ["TenGigabitEthernet0/8"], "TenGigabitEthernet0/8"),
    ("Ma0/0", ["Management0/0"], "Management0/0"), ("Po1", [], "Port-channel1"), ("Re1", [], "Redundant1"),
    ("Vl10", [], "Vlan10"), ("BV1", [], "BVI1"), ("e0/0", ["Ethernet0/0"], "Ethernet0/0"),
    ("gi0/1.10", ["GigabitEthernet0/1.10"], "GigabitEthernet0/1.10"),
])
def test_the_asa_abbreviations_that_single_out_one_type(written, types, full):
    assert IfNames(IF_PHYSICAL, IF_VIRTUAL, types).resolve(written) == (full, None)

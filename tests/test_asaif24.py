"""check-change: ASA ``interface`` blocks and ``same-security-traffic`` in a change request
(parsers/cisco_asa/change.py).

Documents cited:

* [ASA-IF] Cisco Security Appliance Command Reference, Version 8.0, "interface", "ip address"
  (http://www.cisco.com/en/US/docs/security/asa/asa80/command/reference/i3.html): ``interface`` enters the
  interface configuration mode of the interface named; its sub-commands change that interface (the parser merges
  a later block into the earlier one: tests/test_asa_repeats.py; abbreviated names: tests/test_asa_ifnames.py).
* [ASA-DEFAULTS] Cisco Security Appliance Command Line Configuration Guide 8.0 (OL-12172-03), "Configuring
  Interface Parameters", "Default State of Interfaces": physical interfaces are disabled by default,
  subinterfaces and redundant interfaces enabled; "The default security level is 0" ("inside": 100).
* [ASA-LEVELS] Cisco ASA 5500 Series Configuration Guide using the CLI, 8.4, "Completing Interface Configuration
  (Routed Mode)", "Security Levels" (http://cisco.com/en/US/docs/security/asa/asa84/configuration/guide/
  interface_complete_routed.html): implicit permit from a higher to a lower level; same-level interfaces talk
  only with same-security-traffic.
* [SAME-SEC] ``same-security-traffic permit {inter-interface | intra-interface}``, global configuration mode,
  "To disable the same-security traffic, use the no form of this command"; disabled by default (Catalyst 6500
  FWSM Command Reference 4.0, http://www.cisco.com/en/US/docs/security/fwsm/fwsm40/command/reference/s1.html,
  the ASA's command of the same syntax).
* [SHUT] Cisco Security Appliance Command Reference 7.2, "shutdown"
  (http://www.cisco.com/en/US/docs/security/asa/asa72/command/reference/s8_72.html): disables an interface.
"""

from __future__ import annotations

import json

import pytest
from test_formats import cli

from parsers import InputError
from parsers.cisco_asa.change import apply_change

# the workshop on inside (100, no access list: levels decide), the primary behind 'servers' (50); Gi0/2 a
# disabled port, as a running-config prints one
FW = """\
ASA Version 9.16(1)
hostname fw
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.5.0.1 255.255.255.0
interface GigabitEthernet0/2
 shutdown
access-list SRV extended permit ip any any
access-group SRV in interface servers
route servers 10.20.0.0 255.255.255.0 10.5.0.2 1
: end
"""
ROLES = ("--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10")
DMZ_ROLES = ("--role", "workshop=10.50.0.0/24", "--role", "primary=10.20.0.10")
DMZ = "interface GigabitEthernet0/2\n nameif dmz\n security-level 60\n ip address 10.50.0.1 255.255.255.0\n"


def check(tmp_path, change: str, roles=ROLES, config: str = FW) -> tuple[int, dict, str]:
    cfg, cr = tmp_path / "fw.cfg", tmp_path / "cr.txt"
    cfg.write_text(config)
    cr.write_text(change)
    code, out, err = cli("check-change", str(cfg), str(cr), *roles, "--format", "json")
    return code, (json.loads(out) if code != 2 else {}), err


def _required_permitted(d: dict) -> set[str]:
    return {f for x in d["newly_permitted"] for f in x["required_flows"]}


def test_new_dmz_interface_with_access_group_lists_the_newly_permitted_flows(tmp_path):
    # [ASA-IF] [SHUT]: the disabled port named, addressed and enabled, an access list bound to it
    change = DMZ + " no shutdown\naccess-list DMZIN extended permit ip any any\naccess-group DMZIN in interface dmz\n"
    code, d, err = check(tmp_path, change, DMZ_ROLES)
    assert code != 2, err
    assert "smb:workshop->primary" in _required_permitted(d)
    assert any(x["new_rule"] == "access-list DMZIN extended permit ip any any" for x in d["newly_permitted"])


def test_new_interface_without_no_shutdown_stays_disabled(tmp_path):
    # [ASA-DEFAULTS]: the port is shut in the config and the change does not enable it: nothing passes through it
    change = DMZ + "access-list DMZIN extended permit ip any any\naccess-group DMZIN in interface dmz\n"
    code, d, err = check(tmp_path, change, DMZ_ROLES)
    assert code != 2, err
    assert _required_permitted(d) == set()


def test_physical_port_not_in_the_config_is_added_disabled():
    # [ASA-DEFAULTS]: "Physical interfaces—Disabled": a new port's block without 'no shutdown' is written shut
    out = apply_change(FW, DMZ.replace("0/2", "0/3"), "cr.txt")
    assert "interface GigabitEthernet0/3\n shutdown\n nameif dmz\n" in out
    out = apply_change(FW, DMZ.replace("0/2", "0/3.7"), "cr.txt")  # a subinterface: enabled by default
    assert "interface GigabitEthernet0/3.7\n nameif dmz\n" in out


def test_security_level_change_that_makes_the_levels_equal_blocks_a_required_flow(tmp_path):
    # [ASA-LEVELS]: inside 100 -> 50 equals servers (50): same-level interfaces do not talk
    code, d, err = check(tmp_path, "interface GigabitEthernet0/0\n security-level 50\n")
    assert code == 1 and d["verdict"] == "fail", err
    assert "smb:workshop->primary" in d["required_flows_newly_blocked"]


def test_shutdown_of_the_servers_interface_newly_blocks(tmp_path):
    # [SHUT]
    code, d, err = check(tmp_path, "interface GigabitEthernet0/1\n shutdown\n")
    assert code == 1 and d["verdict"] == "fail", err
    assert "smb:workshop->primary" in d["required_flows_newly_blocked"]


def test_abbreviated_name_changes_the_same_interface(tmp_path):
    # [ASA-IF] and parsers/kit/ifnames.py: 'gi0/1' is GigabitEthernet0/1
    out = apply_change(FW, "interface gi0/1\n shutdown\n", "cr.txt")
    assert "ip address 10.5.0.1 255.255.255.0\ninterface GigabitEthernet0/1\n shutdown\ninterface Gig" in out
    code, d, err = check(tmp_path, "interface gi 0/1\n shutdown\n")
    assert code == 1 and "smb:workshop->primary" in d["required_flows_newly_blocked"], err


def test_ambiguous_abbreviation_is_refused(tmp_path):
    # 'V' abbreviates both Vlan and VNI: which interface is meant is not known
    code, _, err = check(tmp_path, "! CR 7\ninterface V1\n nameif x\n")
    assert code == 2
    assert "cr.txt:2" in err and "abbreviates" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("change, why", [
    ("no interface GigabitEthernet0/1\n", "'no interface' is not supported"),
    ("interface GigabitEthernet0/1\n nameif backend\n", "renaming interface 'servers'"),
    ("interface GigabitEthernet0/2\n nameif servers\n", "another interface is named 'servers'"),
    ("interface GigabitEthernet0/1\n no nameif\n", "'servers' is still used"),
    ("interface GigabitEthernet0/1\n ip address dhcp setroute\n", "not one a change may carry"),
    ("interface GigabitEthernet0/1\n security-level 1OO\n", "not one a change may carry"),
    ("interface Tunnel1\n nameif vti\n", "default state of a new Tunnel1"),
    ("no same-security-traffic permit inter-interface\n", "there is no such same-security-traffic"),
    ("same-security-traffic permit everything\n", "expected 'same-security-traffic"),
])
def test_refused(change, why):
    with pytest.raises(InputError, match=why):
        apply_change(FW, change, "cr.txt")


SAME = FW.replace(" security-level 100\n", " security-level 50\n")  # inside and servers both at 50


def test_same_security_traffic_permit_inter_interface_and_its_no_form(tmp_path):
    # [SAME-SEC] [ASA-LEVELS]: the equal levels talk once it is entered, and no longer once it is removed
    code, d, err = check(tmp_path, "same-security-traffic permit inter-interface\n", config=SAME)
    assert code != 2, err
    assert "smb:workshop->primary" in _required_permitted(d)
    with_it = SAME.replace("access-list SRV", "same-security-traffic permit inter-interface\naccess-list SRV")
    code, d, err = check(tmp_path, "no same-security-traffic permit inter-interface\n", config=with_it)
    assert code == 1 and "smb:workshop->primary" in d["required_flows_newly_blocked"], err

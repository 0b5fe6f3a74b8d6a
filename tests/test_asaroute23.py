"""check-change: ASA ``route`` / ``no route`` / ``ipv6 route`` in a change request (parsers/cisco_asa/change.py).

Documents cited:

* [ASA-STATIC] Cisco ASA 5500 Series Configuration Guide using the CLI, 8.2, "Configuring Static and Default
  Routes" (http://www.cisco.com/c/en/us/td/docs/security/asa/asa82/configuration/guide/config/route_static.html;
  the same text in the ASA Series CLI Configuration Guide 9.0): "route if_name dest_ip mask gateway_ip
  [distance]"; "You can define up to three equal cost routes to the same destination per interface. Equal-cost
  multi-path (ECMP) routing is not supported across multiple interfaces"; the example of three
  ``route outside 10.10.10.0 255.255.255.0 192.168.1.x`` lines (one route per line); "If you attempt to define
  ... a default route with a different interface than a previously defined default route, you receive the
  following message: 'ERROR: Cannot add route entry, possible conflict with existing routes.'"
* [ASA-TRACK] the same chapter, "Monitoring a Static or Default Route": a tracked route "is removed from the
  routing table" when its object goes down and "A previously configured backup route is used in place of the
  removed route" (modelled as ``Config.unsettled_routes``, tests/test_routes23.py).
* Removing a route that does not exist: the ASA has nothing to remove, so the change as written is not what
  the device would hold; refused (exit 2) with one line naming the change file and line.
"""

from __future__ import annotations

import json

import pytest
from test_formats import cli

from parsers import InputError
from parsers.cisco_asa.change import apply_change

# workshop on inside; the primary (10.20.0.10) behind a router on 'servers'; 'dmz' filters everything
# leaving through it (DMZOUT)
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
 nameif dmz
 security-level 50
 ip address 10.6.0.1 255.255.255.0
access-list IN extended permit ip any any
access-list SRV extended permit ip any any
access-list DMZOUT extended deny ip any any
access-group IN in interface inside
access-group SRV in interface servers
access-group SRV in interface dmz
access-group DMZOUT out interface dmz
route servers 10.20.0.0 255.255.255.0 10.5.0.2 1
ipv6 route servers 2001:db8:20::/64 2001:db8:5::2
timeout xlate 3:00:00
: end
"""
ROLES = ("--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10")


def check(tmp_path, change: str) -> tuple[int, dict, str]:
    cfg, cr = tmp_path / "fw.cfg", tmp_path / "cr.txt"
    cfg.write_text(FW)
    cr.write_text(change)
    code, out, err = cli("check-change", str(cfg), str(cr), *ROLES, "--format", "json")
    return code, (json.loads(out) if code != 2 else {}), err


def test_route_sending_the_primary_out_a_denying_interface_newly_blocks(tmp_path):
    # a more specific route to the primary through dmz, whose outbound list denies everything [ASA-STATIC]
    code, d, _ = check(tmp_path, "route dmz 10.20.0.10 255.255.255.255 10.6.0.2\n")
    assert code == 1 and d["verdict"] == "fail"
    assert "smb:workshop->primary" in d["required_flows_newly_blocked"]


def test_no_route_of_the_only_route_to_the_servers_newly_not_routed(tmp_path):
    code, d, _ = check(tmp_path, "no route servers 10.20.0.0 255.255.255.0 10.5.0.2 1\n")
    assert code == 1 and d["verdict"] == "fail"
    assert "smb:workshop->primary" in d["required_flows_newly_blocked"]
    assert any("no interface or route" in json.dumps(c) for c in d["newly_denied"])


def test_tracked_route_makes_the_flows_undecided(tmp_path):
    # [ASA-TRACK]: while the tracked object is up the primary is reached through dmz (denied), else through
    # servers (permitted): which holds is the SLA's state, so the verdict is unknown, never pass
    code, d, _ = check(tmp_path, "route dmz 10.20.0.10 255.255.255.255 10.6.0.2 1 track 1\n")
    assert code == 1 and d["verdict"] == "unknown"
    assert d["required_flows_newly_blocked"] == []
    assert any("tracked route" in json.dumps(f) for f in d["introduced"])


def test_no_route_of_a_route_not_in_the_config_is_refused(tmp_path):
    code, _, err = check(tmp_path, "! CR 42\nno route servers 10.20.0.0 255.255.255.0 10.5.0.9\n")
    assert code == 2
    assert "cr.txt:2" in err and "there is no route servers 10.20.0.0 255.255.255.0 10.5.0.9" in err
    assert len(err.strip().splitlines()) == 1


def test_no_route_with_another_distance_is_refused():
    with pytest.raises(InputError, match="there is no route"):
        apply_change(FW, "no route servers 10.20.0.0 255.255.255.0 10.5.0.2 5\n", "cr.txt")


def test_second_gateway_and_floating_route_are_added_after_the_last_route():
    # [ASA-STATIC]: a second route to a network is another line (ECMP on one interface; a backup of
    # another distance through another interface)
    out = apply_change(FW, "route servers 10.20.0.0 255.255.255.0 10.5.0.3\n"
                           "route dmz 0 0 10.6.0.2 200\n", "cr.txt").splitlines()
    k = out.index("route servers 10.20.0.0 255.255.255.0 10.5.0.2 1")
    assert out[k + 1:k + 3] == ["route servers 10.20.0.0 255.255.255.0 10.5.0.3",
                                "route dmz 0.0.0.0 0.0.0.0 10.6.0.2 200"]
    assert out[k + 3].startswith("ipv6 route ")
    # untouched lines keep their text
    assert [x for x in out if x not in ("route servers 10.20.0.0 255.255.255.0 10.5.0.3",
                                        "route dmz 0.0.0.0 0.0.0.0 10.6.0.2 200")] == FW.splitlines()


def test_equal_cost_route_through_another_interface_is_refused():
    # [ASA-STATIC]: "ECMP ... is not supported across multiple interfaces" ("Cannot add route entry")
    with pytest.raises(InputError, match="another interface"):
        apply_change(FW, "route dmz 10.20.0.0 255.255.255.0 10.6.0.2\n", "cr.txt")


def test_route_already_there_with_other_settings_is_refused():
    with pytest.raises(InputError, match="already has this route"):
        apply_change(FW, "route servers 10.20.0.0 255.255.255.0 10.5.0.2 10\n", "cr.txt")


def test_no_route_must_name_the_tracking_of_a_tracked_route():
    cfg = FW.replace("route servers 10.20.0.0 255.255.255.0 10.5.0.2 1", "route servers 10.20.0.0 255.255.255.0 "
                     "10.5.0.2 1 track 3")
    with pytest.raises(InputError, match="there is no route"):
        apply_change(cfg, "no route servers 10.20.0.0 255.255.255.0 10.5.0.2 1\n", "cr.txt")
    out = apply_change(cfg, "no route servers 10.20.0.0 255.255.255.0 10.5.0.2 1 track 3\n", "cr.txt")
    assert "route servers 10.20.0.0" not in out


def test_ipv6_route_add_and_remove():
    out = apply_change(FW, "no ipv6 route servers 2001:db8:20::/64 2001:db8:5::2\n"
                           "ipv6 route dmz 2001:db8:30::/64 2001:db8:6::2\n", "cr.txt").splitlines()
    assert [x for x in out if x.startswith("ipv6 route")] == ["ipv6 route dmz 2001:db8:30::/64 2001:db8:6::2"]
    with pytest.raises(InputError, match="there is no route"):
        apply_change(FW, "no ipv6 route dmz 2001:db8:20::/64 2001:db8:5::2\n", "cr.txt")
    with pytest.raises(InputError, match="not a supported command"):
        apply_change(FW, "ipv6 access-list X permit any any\n", "cr.txt")

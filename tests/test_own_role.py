"""A role whose address is the device's own: its flows are unknown, never a pass.

A firewall's access rules decide the traffic through it, not the traffic sent to or by the firewall
itself: Cisco, "Access rules determine which traffic is allowed through the ASA ... To access the ASA
interface for management access, you do not also need an access rule allowing the host IP address"
(Cisco ASA Series Firewall CLI Configuration Guide, "Access Rules", as copied at
https://manualzz.com/doc/42259698/access-rules; to-the-box traffic is the
"Management Access" chapter's, https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/general/asa-916-general-config/admin-management.html).
A failover pair's standby address (``ip address A M standby S``) and a Junos VRRP ``virtual-address`` are the
device's own too (``tests/test_own_addresses.py`` cites the documents); ``explain`` answers unknown for such a
packet.

So where the site gives a role one of the device's own addresses (the firewall's interface address typed for the
server's), the flows of that role are not "not routed through the device", which lets the verdict pass: each is
unknown (PRN100, status unknown), at the site's line of that address, naming the interface.  The rule, exactly:
an address as written for a role (one entry: a host, a network, a range) of which every address is one of the
device's own.  An entry of which only some addresses are the device's (a workshop network holding the
firewall's ``.1``) stands for its other hosts: the device's addresses in it are left out quietly, as before.
"""

from __future__ import annotations

from auditor import api
from auditor.core.packets import addr_to_int
from auditor.diff import diff_configs
from auditor.policy import load_site
from auditor.report import OWN_ADDRESS_FIX, fix_hint
from parsers import parse_text

ASA = """ASA Version 9.12(4)
hostname fw
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif outside
 security-level 0
 ip address 10.2.0.10 255.255.0.0 standby 10.2.0.12
access-list IN extended permit ip any any
access-group IN in interface inside
access-list OUT extended permit ip any any
access-group OUT in interface outside
"""

ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]


def _audit(text=ASA, roles=ROLES, site=None, path="fw.cfg"):
    # (PRN100 alone: the permits from outside also expose the servers, PRN150, which is not this test's)
    return api.audit([parse_text(text, path)], site or load_site(None, list(roles)), select=["PRN100"])


def _status(res) -> dict:
    return {f["flow"]: f["status"] for f in res.flows}


def _own(res) -> list:
    return [f for f in res.findings if f.rule_id == "PRN100" and f.extra.get("own_address")]


def test_a_role_at_the_firewalls_interface_address_is_unknown_not_a_pass():
    # (the report: PASS with 16 flows "not routed through the device")
    res = _audit()
    assert res.verdict == "unknown"
    st = _status(res)
    assert st["smb:workshop->primary"] == "unknown" and st["smb:primary->secondary"] == "unknown"
    assert st["smb:workshop->secondary"] == "pass"  # (the others are decided as before)
    assert not [k for k, s in st.items() if s == "not_routed"]
    found = _own(res)
    assert found and {f.key for f in found} == {k for k, s in st.items() if "primary" in k}
    f = next(f for f in found if f.key == "smb:workshop->primary")
    assert (f.severity, f.status) == ("warning", "unknown")
    assert (f.source.path, f.source.text) == ("--role", "primary=10.2.0.10")
    assert "primary = 10.2.0.10 is the device's own address (interface outside, fw.cfg:7)" in f.message
    assert [(r.path, r.line) for r in f.related] == [("fw.cfg", 7)]
    # its example is a workshop host's packet, not one from the firewall's own .1
    assert f.example[:2] == (addr_to_int("10.1.0.2"), addr_to_int("10.2.0.10"))
    assert fix_hint(res, f, {}) == OWN_ADDRESS_FIX


def test_the_finding_is_at_the_site_files_line_of_the_address(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("roles:\n  workshop: [10.1.0.0/16]\n  primary:\n    - 10.2.0.20\n    - 10.2.0.10\n"
                    "  secondary: [10.2.0.11]\n")
    res = _audit(site=load_site(str(site), []))
    found = _own(res)
    assert found and {(f.source.path, f.source.line) for f in found} == {(str(site), 5)}
    assert res.verdict == "unknown" and _status(res)["smb:workshop->primary"] == "unknown"


def test_the_standby_address_and_a_vrrp_virtual_address_are_the_devices_own_too():
    res = _audit(roles=["workshop=10.1.0.0/16", "primary=10.2.0.12", "secondary=10.2.0.11"])
    assert _status(res)["smb:workshop->primary"] == "unknown" and _own(res)
    junos = ("set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.2/16 vrrp-group 1 virtual-address 10.1.0.1\n"
             "set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/16 vrrp-group 2 virtual-address 10.2.0.10\n"
             "set security zones security-zone trust interfaces ge-0/0/0.0\n"
             "set security zones security-zone servers interfaces ge-0/0/1.0\n"
             "set security policies default-policy permit-all\n")
    res = _audit(junos, path="srx.conf")
    assert res.verdict == "unknown" and _status(res)["smb:workshop->primary"] == "unknown"
    assert "primary = 10.2.0.10 is the device's own address (interface ge-0/0/1.0" in _own(res)[0].message


def test_a_workshop_network_holding_the_firewalls_addresses_is_decided_for_its_hosts():
    # (the firewall's .1 in the workshop's /16, its .10 and standby .12 in the servers' range: left out quietly)
    res = _audit(roles=["workshop=10.1.0.0/16", "primary=10.2.0.10-10.2.0.11", "secondary=10.2.0.20"])
    assert not _own(res)
    assert res.verdict == "pass" and set(_status(res).values()) == {"pass"}


def test_each_address_written_for_a_role_is_judged_on_its_own():
    # the active and the standby address given for the primary, each an entry: both are the firewall's
    res = _audit(roles=["workshop=10.1.0.0/16", "primary=10.2.0.10,10.2.0.12", "secondary=10.2.0.11"])
    assert {f.source.text for f in _own(res)} == {"primary=10.2.0.10,10.2.0.12"}
    assert {f.extra["own_address"] for f in _own(res)} == {"primary = 10.2.0.10", "primary = 10.2.0.12"}
    assert res.verdict == "unknown"
    # a range all of whose addresses are the firewall's (the active .10 and the standby .11)
    res = _audit(ASA.replace("standby 10.2.0.12", "standby 10.2.0.11"),
                 roles=["workshop=10.1.0.0/16", "primary=10.2.0.10-10.2.0.11", "secondary=10.2.0.20"])
    assert {f.extra["own_address"] for f in _own(res)} == {"primary = 10.2.0.10-10.2.0.11"}
    assert _status(res)["smb:workshop->primary"] == "unknown"


def test_a_host_firewall_whose_host_is_the_role_is_evaluated_not_reported():
    # iptables on the primary server itself (--host): INPUT decides what is addressed to it (iptables(8):
    # "INPUT (for packets destined to local sockets)"); nothing is the device's own untested traffic
    text = ("# Generated by iptables-save v1.8.7 on Sat Dec  5 10:00:00 2026\n"  # (the family: tests/test_iptfam24.py)
            "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n")
    cfg = api.combine_inputs([parse_text(text, "rules.v4")], "10.2.0.10", None)[0]
    res = api.audit([cfg], load_site(None, ROLES))
    assert not _own(res)
    assert _status(res)["smb:workshop->primary"] == "pass"


def test_diff_names_the_role_when_a_change_gives_its_address_to_the_firewall():
    old = parse_text(ASA.replace("standby 10.2.0.12", "standby 10.2.0.13"), "fw.cfg")
    new = parse_text(ASA.replace("standby 10.2.0.12", "standby 10.2.0.13")
                     .replace("ip address 10.2.0.10 255.255.0.0", "ip address 10.2.0.11 255.255.0.0"), "fw.cfg")
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.20", "secondary=10.2.0.11"])
    d = diff_configs(old, new, site, select=["PRN100"])
    assert d.verdict == "unknown"
    assert d.old.verdict == "pass" and d.new.verdict == "unknown"
    got = [f for f in d.introduced if f.extra.get("own_address") == "secondary = 10.2.0.11"]
    assert got and all(f.status == "unknown" and f.source.path == "--role" for f in got)
    assert any("introduced finding(s) leave the verdict undecided" in r for r in d.reasons)


def test_upgrade_does_not_call_ready_what_a_role_at_the_firewalls_address_needs():
    # (before: READY, the primary's flows of the target pack counted neither to open nor undecided)
    from auditor.upgrade import render_text, upgrade

    r = upgrade([parse_text(ASA, "fw.cfg")], load_site(None, ROLES), "prinergy-8", "prinergy-9")
    assert r.verdict == "unknown"
    got = {i.flow.key: i.lines for i in r.undecided}
    assert "smb:workshop->primary" in got
    (line,) = got["smb:workshop->primary"]
    assert (line.source.path, line.source.text) == ("--role", "primary=10.2.0.10")
    assert line.reason.startswith("primary = 10.2.0.10 is the device's own address (interface outside, fw.cfg:7)")
    assert line.packets.example()[:2] == (addr_to_int("10.1.0.2"), addr_to_int("10.2.0.10"))
    assert "upgrade verdict: UNKNOWN" in render_text(r)


def test_a_server_at_the_firewalls_address_is_not_called_unexposed():
    # (before: no PRN150 finding, so --select PRN150 passed; whether the device itself answers from outside is
    # its management access, not its access rules)
    res = api.audit([parse_text(ASA, "fw.cfg")], load_site(None, ROLES), select=["PRN150"])
    assert res.verdict == "unknown"
    (f,) = [f for f in res.findings if f.rule_id == "PRN150"]
    assert (f.status, f.source.path, f.source.text) == ("unknown", "--role", "primary=10.2.0.10")
    assert "server primary = 10.2.0.10 is reachable from outside the site's roles: it is the device's own" \
        in f.message
    assert f.example[1] == addr_to_int("10.2.0.10") and fix_hint(res, f, {}) == OWN_ADDRESS_FIX
    # a server inside, behind the firewall: exposed by the outside's permit any from the internet, as before
    res = api.audit([parse_text(ASA + "route outside 0.0.0.0 0.0.0.0 10.2.0.254\n", "fw.cfg")],
                    load_site(None, ["workshop=10.1.0.0/24", "primary=10.1.1.10"]), select=["PRN150"])
    assert [(f.severity, f.status) for f in res.findings] == [("error", "")]


# Devices whose filters decide the traffic to the device itself: pfSense's interface tabs filter what arrives on
# the interface, "always in the inbound direction on that interface ... traffic initiated from hosts connected to
# the LAN is filtered using the LAN interface rules" (Netgate, "Rule Methodology",
# https://docs.netgate.com/pfsense/en/latest/firewall/rule-methodology.html), to the firewall's own address too
# (the LAN's anti-lockout rule passes the GUI to it); on IOS "an inbound [access list] filters packets to the router
# too" (parsers/cisco_ios/topology.py).  There a role at the device's address is decided as traffic to the
# firewall, which may pass: its flows keep their statuses, and a warning says that the role is the firewall.

PFSENSE_ROLES = ["workshop=10.30.0.0/24", "primary=10.20.0.1", "secondary=10.20.0.11"]

IOS = """hostname r1
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.0.0
 ip access-group IN in
interface GigabitEthernet0/1
 ip address 10.2.0.10 255.255.0.0
ip access-list extended IN
 permit ip any any
"""


def _pfsense():
    with open("examples/pfsense-site/config.xml") as fh:
        return parse_text(fh.read(), "config.xml")


def test_pfsense_warns_where_a_role_is_the_firewalls_own_address_judged_by_its_interface_rules():
    # (the report: secondary -> primary passed by "Default allow LAN to any", no hint that primary is the firewall)
    res = api.audit([_pfsense()], load_site(None, PFSENSE_ROLES), select=["PRN100"])
    st = _status(res)
    assert st["smb:secondary->primary"] == "pass" and st["smb:workshop->primary"] == "fail"  # (statuses stand)
    # (what the firewall itself sends, its interface rules do not decide: those flows are unknown, each with the
    # PRN100 of the role's address, tests/test_rev24d_review.py; and one warning for the role)
    (f,) = [x for x in _own(res) if x.status == ""]
    unknown = [x for x in _own(res) if x.status != ""]
    assert unknown and all(x.status == "unknown" and ":primary->" in x.key for x in unknown)
    assert (f.severity, f.status, f.key) == ("warning", "", "role:primary")
    assert (f.source.path, f.source.text) == ("--role", "primary=10.20.0.1")
    assert f.message == ("primary = 10.20.0.1 is the device's own address (interface SERVERS, config.xml:40): its "
                         "flows are traffic to and from the firewall itself, not a server's (is the role's address "
                         "mistyped?)")
    assert [(r.path, r.line) for r in f.related] == [("config.xml", 40)]
    assert fix_hint(res, f, {}) == OWN_ADDRESS_FIX
    # the server's own address: no warning
    res = api.audit([_pfsense()], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10",
                                                   "secondary=10.20.0.11"]), select=["PRN100"])
    assert not _own(res) and _status(res)["smb:secondary->primary"] == "pass"


def test_ios_warns_where_a_role_is_the_routers_own_address_its_inbound_acl_decides():
    res = _audit(IOS, path="r1.cfg")
    (f,) = [x for x in _own(res) if x.status == ""]  # (the role's warning; the flows the router sends: unknown)
    assert (f.severity, f.status, f.source.text) == ("warning", "", "primary=10.2.0.10")
    assert "primary = 10.2.0.10 is the device's own address (interface GigabitEthernet0/1, r1.cfg:5)" in f.message
    assert _status(res)["smb:workshop->secondary"] == "pass"

"""Session 29: the Prinergy packs' remaining gaps against Kodak's "Ports required" text
(/work/shared/reference/kodak-prinergy-8-ports-required.txt) and the research notes
(/work/shared/reference/prinergy-requirements.md)."""

import pytest

from auditor.api import audit
from auditor.policy import load_pack, load_site, required_flows
from parsers.cisco_asa import parse

# an ASA with the primary and one secondary on 'servers', a second render station on 'render', and
# the Workshop LAN; the two secondaries may not talk to each other (lines 14 and 17)
ASA = """\
interface GigabitEthernet0/0
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/2
 nameif render
 security-level 90
 ip address 10.21.0.1 255.255.255.0
timeout conn 12:00:00
access-list SRV_IN extended deny ip host 10.20.0.11 host 10.21.0.12
access-list SRV_IN extended permit ip 10.20.0.0 255.255.255.0 any
access-group SRV_IN in interface servers
access-list RND_IN extended deny ip host 10.21.0.12 host 10.20.0.11
access-list RND_IN extended permit ip 10.21.0.0 255.255.255.0 any
access-group RND_IN in interface render
access-list WS_IN extended permit ip 10.30.0.0 255.255.255.0 any
access-group WS_IN in interface workshop
"""

ROLES = ["primary=10.20.0.10", "license_server=10.20.0.10", "workshop=10.30.0.0/24"]


def _prn100(res):
    return {f.key: f for f in res.findings if f.rule_id == "PRN100" and f.status == "fail"}


@pytest.mark.parametrize("policy,ids", [("prinergy-8", ["smb", "orbacus", "daemons", "ephemeral"]),
                                        ("prinergy-9", ["smb", "orbacus", "dynamic"])])
def test_two_secondary_servers_behind_different_interfaces_must_reach_each_other(policy, ids):
    # Kodak "Ports required": Prinergy "uses many ephemeral (temporary) TCP/IP ports over a very wide range"
    # and "requires a large range of ports to be opened between primary and secondary servers and Workshop
    # clients"; "49100 - 49102 TCP Orbacus connection for daemons" (the daemons run on every server);
    # prinergy-requirements.md section 3: "Server-to-server traffic should not be firewalled at all".
    # The servers' flows name [primary, secondary] on both sides; a flow from a role to itself was
    # skipped, so a deny between two render stations passed every flow.
    site = load_site(None, ROLES + ["secondary=10.20.0.11,10.21.0.12"])
    res = audit([parse(ASA, "asa.cfg")], site, policy)
    got = [f for f in res.findings if f.rule_id == "PRN100" and "secondary->secondary" in f.key]
    # (each way's first packet is dropped: line 14 one way, line 17 the other)
    assert sorted((f.key, f.source.line) for f in got) == sorted(
        ("%s:secondary->secondary" % i, line) for i in ids for line in (14, 17))
    assert all(f.status == "fail" and f.severity == load_pack(policy).flow(f.key.split(":")[0]).severity for f in got)


def test_secondary_servers_on_one_segment_and_a_lone_secondary_need_nothing_of_the_firewall():
    # two render stations on the servers' own network: their traffic never crosses the firewall
    site = load_site(None, ROLES + ["secondary=10.20.0.11,10.20.0.12"])
    assert not [k for k in _prn100(audit([parse(ASA, "asa.cfg")], site, "prinergy-9")) if "secondary" in k]
    # one secondary: no flow from it to itself, and none "not checked"
    flows, unchecked = required_flows(load_pack("prinergy-9"), load_site(None, ROLES + ["secondary=10.21.0.12"]))
    assert not [f for f in flows if f.src_role == f.dst_role]
    assert not [k for k, _w, _m in unchecked if "secondary->secondary" in k]


def test_the_primary_is_one_host_its_two_addresses_are_not_a_flow():
    # Kodak names "primary and secondary servers": one primary (the Oracle host); a primary given with
    # two addresses (two interfaces) is one host, whose traffic between its addresses is its own
    pack = load_pack("prinergy-9")
    assert pack.role_specs["primary"].one_host and not pack.role_specs["secondary"].one_host
    site = load_site(None, ["primary=10.20.0.10,10.21.0.10", "secondary=10.20.0.11", "workshop=10.30.0.0/24"])
    flows, _ = required_flows(pack, site)
    assert not [f for f in flows if f.src_role == "primary" and f.dst_role == "primary"]

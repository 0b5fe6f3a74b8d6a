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


# --- the site file ---------------------------------------------------------------------------------

def _exposed(res):
    return [f for f in res.findings if f.rule_id == "PRN150"]


def _open_asa():
    # the ASA above, with the Internet on a fourth interface allowed to the servers (line 3 of the tail)
    return parse(ASA + """\
interface GigabitEthernet0/3
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
access-list OUT_IN extended permit tcp any 10.20.0.0 255.255.255.0 eq 445
access-group OUT_IN in interface outside
route outside 0.0.0.0 0.0.0.0 203.0.113.1
""", "asa.cfg")


def test_kodak_cloud_given_as_anywhere_does_not_make_the_internet_part_of_the_site():
    # Kodak gives no addresses for automatic license renewal ("443* TCP HTTPS (*required for automatic
    # license renewal functionality)"), so a site writes kodak_cloud: 0.0.0.0/0. That made every address one
    # of the site's roles, and a server open to the Internet (Kodak, Prinergy 8.0 SAG "Maintenance": "not
    # designed to be exposed directly to the internet") no longer reported (PRN150): a wrong pass.
    base = ["primary=10.20.0.10", "secondary=10.20.0.11", "workshop=10.30.0.0/24"]
    without = audit([_open_asa()], load_site(None, base), "prinergy-9")
    assert 26 in {f.source.line for f in _exposed(without)}  # (OUT_IN: any -> the servers' 445)
    assert load_pack("prinergy-9").role_specs["kodak_cloud"].external
    res = audit([_open_asa()], load_site(None, base + ["kodak_cloud=0.0.0.0/0"]), "prinergy-9")
    assert {f.source.line for f in _exposed(res)} == {f.source.line for f in _exposed(without)}


@pytest.mark.parametrize("role,addr,family", [("admin", "0.0.0.0/0", "every IPv4 address"),
                                              ("workshop", "0.0.0.0-255.255.255.255", "every IPv4 address"),
                                              ("secondary", "::/0", "every IPv4 and every IPv6 address")])
def test_a_site_role_of_every_address_is_one_clear_error(role, addr, family):
    from auditor.policy import PolicyError

    site = load_site(None, ["primary=10.20.0.10", "workshop=10.30.0.0/24", "%s=%s" % (role, addr)])
    with pytest.raises(PolicyError) as e:
        audit([_open_asa()], site, "prinergy-9")
    assert "role %s is %s" % (role, family) in str(e.value) and "kodak_cloud" in str(e.value)


def test_a_role_given_as_a_host_name_says_names_are_not_resolved(tmp_path):
    import subprocess
    import sys

    (tmp_path / "asa.cfg").write_text(ASA)
    (tmp_path / "site.yaml").write_text("policy: prinergy-9\nroles:\n  primary: prinergy-pri.example.com\n")
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", str(tmp_path / "asa.cfg"), "--site",
                        str(tmp_path / "site.yaml")], capture_output=True, text=True)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and "site.yaml:3:12: role primary: 'prinergy-pri.example.com'" in p.stderr
    assert "names are not resolved" in p.stderr


def test_a_link_local_role_address_is_prn130():
    # Kodak: "Subnet IP range 169.254.x.x ... is not operationally compatible with Prinergy Workflow server
    # software"
    res = audit([parse(ASA, "asa.cfg")], load_site(None, ["primary=169.254.20.10", "workshop=10.30.0.0/24"]),
                "prinergy-9")
    assert [f.severity for f in res.findings if f.rule_id == "PRN130" and "role primary" in f.message] == ["error"]


# --- what the packs require --------------------------------------------------------------------------

# the servers and the Workshop LAN on one ASA; Workshop is let through to the servers except Oracle and the
# proofer's ports, the servers among themselves on one segment, the proofer on its own interface
ASA_ALL = """\
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
interface GigabitEthernet0/3
 nameif proof
 security-level 80
 ip address 10.22.0.1 255.255.255.0
timeout conn 12:00:00
access-list WS_IN extended deny tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 1521
access-list WS_IN extended deny tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 2481
access-list WS_IN extended permit ip 10.30.0.0 255.255.255.0 10.20.0.0 255.254.0.0
access-group WS_IN in interface workshop
access-list SRV_IN extended deny tcp host 10.20.0.10 10.21.0.0 255.255.255.0 range 61233 61235
access-list SRV_IN extended deny ip 10.20.0.0 255.255.255.0 10.22.0.0 255.255.255.0
access-list SRV_IN extended permit ip 10.20.0.0 255.255.255.0 any
access-group SRV_IN in interface servers
access-list RND_IN extended deny ip 10.21.0.0 255.255.255.0 10.22.0.0 255.255.255.0
access-list RND_IN extended permit ip 10.21.0.0 255.255.255.0 any
access-group RND_IN in interface render
"""
SITE_ALL = ["primary=10.20.0.10", "license_server=10.20.0.10", "secondary=10.21.0.11", "workshop=10.30.0.0/24",
            "veris=10.22.0.5"]


@pytest.mark.parametrize("policy", ["prinergy-8", "prinergy-9"])
def test_rba_from_the_primary_to_a_secondary_is_required_at_warning(policy):
    # Kodak: "61233, 61234, 61235, 18804 TCP RBA components" (ports that "need to be open for Prinergy to
    # work", no direction); prinergy-requirements.md section 4: "`workshop` (RBA designer/console) ->
    # `primary`; `primary`<->`secondary`". The pack required secondary -> primary only: a primary that may
    # not reach the secondaries' RBA ports passed.
    res = audit([parse(ASA_ALL, "asa.cfg")], load_site(None, SITE_ALL), policy)
    got = [(f.key, f.severity, f.status, f.source.line) for f in res.findings
           if f.rule_id == "PRN100" and f.key.startswith("rba")]
    assert got == [("rba-secondary:primary->secondary", "warning", "fail", 22)]
    spec = load_pack(policy).flow("rba-secondary")
    assert (spec.ports, spec.direction) == ("61233-61235,18804", "inferred")


@pytest.mark.parametrize("policy", ["prinergy-8", "prinergy-9"])
def test_oracle_from_workshop_is_never_a_failure_and_opening_it_is_more_than_needed(policy):
    # Kodak: "1521, 2481 TCP Oracle" (no direction); prinergy-requirements.md section 4: "Kodak does not say
    # whether Workshop talks to Oracle directly. Recommend allowing it from servers; from Workshop only if
    # needed (report "unknown" rather than fail)". A blocked Workshop -> Oracle is no PRN100 (an "unknown"
    # would make every site that closes Oracle an unknown verdict); a rule that opens it to the Workshop LAN
    # stays more than the pack needs (PRN170), and 'policies show' says why (the oracle flow's note).
    res = audit([parse(ASA_ALL, "asa.cfg")], load_site(None, SITE_ALL), policy)
    assert not [f for f in res.findings if f.rule_id == "PRN100" and f.key.startswith("oracle")]
    assert "oracle:secondary->primary" in {f["flow"] for f in res.flows}
    opened = parse(ASA_ALL.replace("extended deny tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 1521",
                                   "extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 1521"), "asa.cfg")
    res = audit([opened], load_site(None, SITE_ALL), policy)
    # (under prinergy-8 the daemons' "1024 - 9000" holds 1521: that permit is needed there)
    assert [f.severity for f in res.findings if f.rule_id == "PRN170" and f.source.line == 18] == (
        ["info"] if policy == "prinergy-9" else [])
    oracle = load_pack(policy).flow("oracle")
    assert (oracle.from_, oracle.to) == (["secondary"], ["primary"]) and "Workshop" in oracle.note


def test_veris_under_prinergy_9_is_information_pointing_at_the_kps_page():
    # Kodak's newer table drops "30208, 30209 TCP PrinterJTP to Veris" and says to see the "KPS Ports
    # required" page (prinergy-requirements.md section 2). prinergy-9 had no veris role nor flow: a site
    # giving its proofer heard nothing (the role was taken from prinergy-8 and silently left unchecked).
    res = audit([parse(ASA_ALL, "asa.cfg")], load_site(None, SITE_ALL), "prinergy-9")
    got = [f for f in res.findings if f.rule_id == "PRN100" and f.key.startswith("veris:")]
    assert sorted((f.key, f.severity, f.source.line) for f in got) == [
        ("veris:primary->veris", "info", 23), ("veris:secondary->veris", "info", 26)]
    assert "KPS Ports required" in got[0].extra["kodak"]
    # Prinergy 8.0's table gives the ports: an error there
    res8 = audit([parse(ASA_ALL, "asa.cfg")], load_site(None, SITE_ALL), "prinergy-8")
    assert {f.severity for f in res8.findings if f.rule_id == "PRN100" and f.key.startswith("veris:")} == {"error"}


def test_digital_print_and_the_license_manager_are_as_the_notes_say():
    # prinergy-requirements.md section 4: "37102, 37150-37250, 61237 TCP Digital Print ... `primary`/
    # `secondary` <-> `digital_front_end` ... Direction not documented. Assume both directions"; 50010/UDP
    # "`workshop`,`secondary` -> `license_server` ... May be discovery by broadcast. It will not cross routed
    # firewalls unless it is unicast": the pack says so where a network admin reads it.
    for policy in ("prinergy-8", "prinergy-9"):
        pack = load_pack(policy)
        out, back = pack.flow("digital-print"), pack.flow("digital-print-dfe")
        assert out.ports == back.ports == "37102,37150-37250,61237"
        assert (out.from_, out.to, back.from_, back.to) == (["primary", "secondary"], ["digital_front_end"],
                                                            ["digital_front_end"], ["primary", "secondary"])
        assert out.direction == back.direction == "inferred" and out.severity == back.severity == "warning"
        flm = pack.flow("flm-udp")
        assert (flm.proto, flm.ports, flm.from_, flm.to) == ("udp", "50010", ["workshop", "secondary"],
                                                             ["license_server"])
        assert "broadcast" in flm.note
        # 37002/udp "Plocator" / "Locator daemon": "Probably a service-location/discovery protocol. If it is
        # broadcast, it will not cross L3 boundaries. Check for a UDP helper or a same-subnet design."
        loc = pack.flow("plocator")
        assert (loc.proto, loc.ports) == ("udp", "37002") and "broadcast" in loc.note and "UDP helper" in loc.note


def test_policies_show_gives_a_network_admin_every_requirement():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "auditor.cli", "policies", "show", "prinergy-9"],
                       capture_output=True, text=True)
    assert p.returncode == 0
    text = p.stdout
    pack = load_pack("prinergy-9")
    for name, spec in pack.role_specs.items():  # every role, with what it is
        assert "  %-18s %s" % (name, spec.description) in text
    for f in pack.flows:  # every flow: roles, protocol, ports, direction, severity, Kodak's words
        assert "%s -> %s  [%s, %s]" % (",".join(f.from_), ",".join(f.to), f.severity, f.direction) in text
        assert " %s " % f.id in text and f.ports in text
    flat = " ".join(text.split())
    assert "Kodak: 49152-65535 TCP dynamically allocated" in flat
    # the idle-timeout requirement: shift length, dead connection detection accepted
    assert "PRN120" in flat and "8 h unless set" in flat and "dead connection detection" in flat
    assert "'Dead Connection Detection' on Cisco firewalls" in flat
    # link-local, Windows Firewall (the pack's severity), exposure
    assert "PRN130" in flat and "169.254.0.0/16" in flat
    assert "PRN140 Windows Firewall [warning in this pack]" in flat and "PRN150" in flat
    assert "[server, one host]" in flat and "[outside the site]" in flat


@pytest.mark.parametrize("value,hint", [("10.20.0.11, 10.20.0.12", "write them as a list"),
                                        ("10.20.0.11 10.20.0.12", "write them as a list"),
                                        ("PRINERGY-SEC1", "names are not resolved")])
def test_a_role_value_that_is_no_address_says_what_it_probably_is(tmp_path, value, hint):
    from auditor.policy import PolicyError

    (tmp_path / "site.yaml").write_text("roles:\n  secondary: %s\n" % value)
    with pytest.raises(PolicyError) as e:
        load_site(str(tmp_path / "site.yaml"))
    assert "site.yaml:2:14: role secondary: '%s' is not an address, network or range" % value in str(e.value)
    assert hint in str(e.value)

"""FortiOS red team (session 30): change requests that set an idle timeout the CLI refuses.

Documents, each cited at its test:
- Fortinet KB 189741, "Technical Tip: Changing the TCP session TTL" (https://community.fortinet.com/t5/FortiGate/
  Technical-Tip-Changing-the-TCP-session-TTL/ta-p/189741): a policy's "set session-ttl <value> <----- Enter an
  integer value from <300> to <2764800> or (special = <0>)"; 'config system session-ttl' "set default <value> ...
  Value range (300 - 2764800)".
- Fortinet KB 191228, "Technical Tip: Session timeout settings": a 'config port' entry's 'timeout' "can be set to
  a value ranging from 1 to ..."; FortiOS 6.0.5 CLI Reference, "system session-ttl" (https://docs.fortinet.com/
  document/fortigate/6.0.5/cli-reference/476602/system-session-ttl): "protocol ... range[0-255]", "start-port ...
  range[0-65535]", "end-port ... range[0-65535]".
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from parsers import InputError
from parsers.fortios import parse
from parsers.fortios.change import apply_change

CONF = (EXAMPLES / "fortios-site" / "fortigate.conf").read_text()


def _policy_ttls(text: str) -> list:
    return [(t.label, t.idle_seconds) for t in parse(text, "f.conf").timeouts if t.rule]


# 1. a change setting session-ttl to a value the device refuses: the device keeps the previous value; before, the
# change was applied as written and the policy fell back to the system default (a wrong "introduced" finding)

@pytest.mark.parametrize("bad", ["99999999", "60", "\u0663\u0666\u0660\u0660", "1e4", "-5"])
def test_a_change_setting_a_policy_session_ttl_the_cli_refuses_is_refused_at_its_line(bad):
    change = "config firewall policy\n    edit 11\n        set session-ttl %s\n    next\nend\n" % bad
    with pytest.raises(InputError, match=r"change\.txt:3: .*FortiOS refuses"):
        apply_change(CONF, change, "change.txt")


@pytest.mark.parametrize("block", [
    "config system session-ttl\n    set default 100\nend\n",
    "config system session-ttl\n    set default 0\nend\n",
    "config system session-ttl\n    config port\n        edit 9\n            set protocol 6\n"
    "            set start-port 445\n            set end-port 445\n            set timeout 0\n        next\n"
    "    end\nend\n",
    "config system session-ttl\n    config port\n        edit 9\n            set protocol 6\n"
    "            set start-port 445\n            set end-port 70000\n            set timeout 30000\n        next\n"
    "    end\nend\n",
    "config firewall service custom\n    edit \"SMB\"\n        set session-ttl 3000000\n    next\nend\n",
    "config vdom\n    edit root\n        config firewall policy\n            edit 0\n"
    "                set session-ttl 10\n            next\n        end\n    next\nend\n",
])
def test_other_idle_timeouts_the_cli_refuses_are_refused_too(block):
    with pytest.raises(InputError, match="FortiOS refuses"):
        apply_change(CONF, block, "change.txt")


def test_values_the_cli_takes_are_applied():
    for value, secs in (("300", 300), ("2764800", 2764800), ("0", None)):
        text = apply_change(CONF, "config firewall policy\n    edit 11\n        set session-ttl %s\n    next\nend\n"
                            % value, "change.txt")
        assert _policy_ttls(text) == ([("policy 11 session-ttl", secs)] if secs else [])
    text = apply_change(CONF, "config system session-ttl\n    config port\n        edit 9\n            set protocol 6\n"
                        "            set start-port 445\n            set end-port 445\n            set timeout 1\n"
                        "        next\n    end\nend\n", "change.txt")
    assert ("system session-ttl port 9", 1) in [(t.label, t.idle_seconds) for t in parse(text, "f").timeouts]


# 2. full cone NAT opens the policy's mapped addresses (and, for the exposure check, its inside hosts) to UDP, not
# every verdict. FortiOS CLI Reference, "config firewall policy": "permit-any-host: Enable/disable fullcone NAT.
# Accept UDP packets from any host"; Administration Guide 7.6, "Full cone NAT for fixed port range IP pools"
# (https://docs.fortinet.com/document/fortigate/7.6.6/administration-guide/949754): it "allows all external hosts
# to send packets to internal hosts through a mapped external IP address and port", "Only UDP is supported for full
# cone NAT"; "The packet sent from Server2 to the NAT IP address and port is forwarded to Client1". CLI Reference
# 6.4, "config firewall ippool": "startip: First IPv4 address (inclusive) in the range for the address pool",
# "endip: Final IPv4 address (inclusive)". Before: any 'permit-any-host enable' made every verdict unknown (CFG300
# global), e.g. the workshop's SMB to the servers.

POOL = ('config firewall ippool\n    edit "FC"\n        set type fixed-port-range\n        set startip 203.0.113.3\n'
        '        set endip 203.0.113.4\n        set source-startip 10.20.0.1\n        set source-endip 10.20.0.254\n'
        '%s    next\nend\n')
# the example's policy 40: servers, workshop and LAN (srcaddr all) to wan1, 'set nat enable'
NAT = "        set nat enable\n"


def _cone(policy_extra: str = "", pool_extra: str = "        set permit-any-host enable\n", settings: str = ""):
    text = CONF.replace("config firewall policy\n", settings + POOL % pool_extra + "config firewall policy\n")
    return parse(text.replace(NAT, NAT + policy_extra), "f.conf")


def _d(c, src, dst, proto, dport):
    from auditor.api import explain
    return explain(c, src, dst, proto, 40000, dport)["decision"]


INTERNET = "198.51.100.7"


def test_a_pool_with_full_cone_nat_makes_udp_to_its_addresses_and_from_outside_to_the_inside_hosts_unknown():
    c = _cone('        set ippool enable\n        set poolname "FC"\n')
    cones = [d for d in c.unrecognized if "full cone" in d.message]
    assert [d.impact.value for d in cones] == ["none"] and cones[0].source.text.strip() == "set permit-any-host enable"
    # an outside host's UDP to the pool's addresses, and (entering wan1, the policy's dstintf) to the inside hosts
    for dst in ("203.0.113.3", "203.0.113.4", "10.20.0.10"):
        assert _d(c, INTERNET, dst, "udp", 1033) == "unknown", dst
    # TCP is not opened: no policy from wan1 to the servers, the implicit deny
    assert _d(c, INTERNET, "10.20.0.10", "tcp", 445) == "deny"
    # the rest stays decided: the workshop's SMB (denied by policy 10) and its UDP to the servers (no policy)
    assert _d(c, "10.30.0.5", "10.20.0.10", "tcp", 445) == "deny"
    assert _d(c, "10.30.0.5", "10.20.0.10", "udp", 37002) == "deny"


def test_a_policy_with_permit_any_host_and_no_pool_opens_the_fortigates_own_addresses():
    for key in ("permit-any-host", "permit-stun-host"):
        c = _cone("        set %s enable\n" % key, pool_extra="")
        assert [d.impact.value for d in c.unrecognized if "full cone" in d.message] == ["none"], key
        assert _d(c, INTERNET, "203.0.113.2", "udp", 1033) == "unknown", key  # (wan1's own address)
        assert _d(c, INTERNET, "10.30.0.5", "udp", 1033) == "unknown", key
        assert _d(c, "10.30.0.5", "10.20.0.10", "tcp", 445) == "deny", key


def test_full_cone_nat_no_enabled_policy_uses_opens_nothing():
    # the pool is named by no policy (nat enable without 'ippool enable' uses the egress interface's address)
    c = _cone()
    assert [d.impact.value for d in c.unrecognized if "full cone" in d.message] == ["none"]
    assert not [r for t in c.nat for r in t.rules if "full cone" in r.label]
    assert _d(c, INTERNET, "10.20.0.10", "udp", 1033) == "deny"
    # a disabled policy translates nothing
    c = _cone('        set ippool enable\n        set poolname "FC"\n        set status disable\n')
    assert _d(c, INTERNET, "10.20.0.10", "udp", 1033) == "deny"


def test_with_central_nat_a_full_cone_pool_still_leaves_every_verdict_unknown():
    # (central SNAT maps pick the pools; they are not modelled)
    c = _cone(settings="config system settings\n    set central-nat enable\nend\n")
    assert "global" in [d.impact.value for d in c.unrecognized if "full cone" in d.message]


def test_the_exposure_check_sees_full_cone_nat_to_a_server():
    from auditor.api import audit
    from auditor.policy import load_site
    site = load_site(str(EXAMPLES / "fortios-site" / "site.yaml"))
    c = _cone('        set ippool enable\n        set poolname "FC"\n')
    got = [f for f in audit([c], site).findings if f.rule_id == "PRN150" and "full cone" in f.message]
    assert got and got[0].status == "unknown"


# 3. a software switch with 'intra-switch-policy explicit': its members' traffic must match a policy. FortiOS CLI
# Reference 7.4.0, "config system switch-interface" (https://docs.fortinet.com/document/fortigate/7.4.0/
# cli-reference/6620): "intra-switch-policy: Allow any traffic between switch interfaces or require firewall
# policies to allow traffic between switch interfaces ... implicit: Traffic between switch members is implicitly
# allowed. explicit: Traffic between switch members must match firewall policies" (default implicit); Hardware
# Acceleration 7.4.0, "Software switch interfaces and NP processors": "Setting inter-switch-policy to explicit
# means that you must create firewall policies between member interfaces to allow traffic to pass between them".
# Before: two hosts of the switch's network were a certain permit ("does not reach the FortiGate") whatever the
# setting, so a required flow between them passed with no policy allowing it.

SOFTSW = CONF.replace('config system zone\n', 'config system switch-interface\n    edit "softsw"\n'
                      '        set vdom "root"\n        set member "port3" "port4"\n%s    next\nend\n'
                      'config system zone\n', 1).replace(
    'config system interface\n', 'config system interface\n    edit "softsw"\n        set vdom "root"\n'
    '        set ip 10.60.0.1 255.255.255.0\n        set type switch\n    next\n', 1)
SW_POLICY = ('config firewall policy\n    edit 90\n        set srcintf "softsw"\n        set dstintf "softsw"\n'
             '        set srcaddr "all"\n        set dstaddr "all"\n        set action %s\n'
             '        set schedule "always"\n        set service "SMB"\n    next\nend\n')


def test_hosts_of_an_explicit_software_switch_need_a_policy():
    implicit = parse(SOFTSW % "", "f.conf")
    assert _d(implicit, "10.60.0.5", "10.60.0.10", "tcp", 445) == "permit"  # (the default: switched)
    same = parse(SOFTSW % "        set intra-switch-policy implicit\n", "f.conf")
    assert _d(same, "10.60.0.5", "10.60.0.10", "tcp", 445) == "permit"
    explicit = SOFTSW % "        set intra-switch-policy explicit\n"
    c = parse(explicit, "f.conf")
    # no policy from softsw to softsw: dropped between member ports, delivered on one port: unknown
    assert _d(c, "10.60.0.5", "10.60.0.10", "tcp", 445) == "unknown"
    assert not c.unrecognized or all("switch" not in d.message for d in c.unrecognized)
    # a policy that accepts decides it; one that denies does not (hosts on one port talk directly)
    accept = parse(explicit + SW_POLICY % "accept", "f.conf")
    assert _d(accept, "10.60.0.5", "10.60.0.10", "tcp", 445) == "permit"
    assert _d(accept, "10.60.0.5", "10.60.0.10", "tcp", 80) == "unknown"
    deny = parse(explicit + SW_POLICY % "deny", "f.conf")
    assert _d(deny, "10.60.0.5", "10.60.0.10", "tcp", 445) == "unknown"
    # traffic from another interface is decided as before
    assert _d(c, "10.30.0.5", "10.60.0.10", "tcp", 445) == "deny"


# 4. an application service: FortiOS CLI Reference 7.0.9, "config firewall service custom" (https://docs.fortinet.
# com/document/fortigate/7.0.9/cli-reference/266620): "app-service-type: Application service type ... disable ...
# app-id: Application ID. app-category: Applicatin category", with 'application' and 'app-category' IDs; no document
# says which packets such a service then matches. Before: the setting was ignored and the port range taken as the
# whole match, so an accept naming it was a certain permit on TCP 445.

def test_an_application_service_is_not_a_certain_match():
    svc = 'config firewall service custom\n    edit "APP-SMB"\n        set tcp-portrange 445\n%s    next\nend\n'
    # (a policy first in the table: the workshop's SMB to anything, by that service)
    first = CONF.replace("config firewall policy\n", "%sconfig firewall policy\n    edit 95\n        set srcintf "
                         "\"workshop\"\n        set dstintf \"servers\"\n        set srcaddr \"all\"\n        set "
                         "dstaddr \"all\"\n        set action accept\n        set schedule \"always\"\n        set "
                         "service \"APP-SMB\"\n    next\n", 1)
    for extra, want in (("", "permit"), ("        set app-service-type disable\n", "permit"),
                        ("        set app-service-type app-id\n        set application 15893\n", "unknown"),
                        ("        set app-service-type app-category\n        set app-category 2\n", "unknown")):
        c = parse(first % (svc % extra), "f.conf")
        assert _d(c, "10.30.0.5", "10.20.0.10", "tcp", 445) == want, extra


# 5. two 'config system session-ttl' / 'config port' entries covering one port with different timeouts: Fortinet KB
# 191228, "Technical Tip: Session timeout settings", and the CLI Reference ("config system session-ttl": "You can
# add multiple port number ranges") give each entry's range and timeout, and no order among entries. Before: the
# first entry was taken, so a 28800 s entry for TCP 1-65535 above a 600 s entry for 1024-9000 passed PRN120 for the
# workshop's TCP 1024 to the servers.

PORTS = ("config system session-ttl\n    set default 28800\n    config port\n        edit 1\n"
         "            set protocol 6\n            set start-port 1\n            set end-port 65535\n"
         "            set timeout 28800\n        next\n        edit 2\n            set protocol 6\n"
         "            set start-port 1024\n            set end-port 9000\n            set timeout %s\n"
         "        next\n    end\nend\n")


def _ttl_conf(second: str) -> str:
    return CONF.replace("config system session-ttl\n    set default 3600\nend\n", PORTS % second).replace(
        "        set session-ttl 7200\n", "")


def test_overlapping_session_ttl_port_entries_of_different_timeouts_are_unknown_where_they_overlap():
    from auditor.api import audit
    from auditor.policy import load_site
    site = load_site(str(EXAMPLES / "fortios-site" / "site.yaml"))
    c = parse(_ttl_conf("600"), "f.conf")
    doubt = [t for t in c.timeouts if t.unknown]
    assert len(doubt) == 1 and "port 1 and system session-ttl port 2" in doubt[0].label
    assert doubt[0].match.example()[4] in range(1024, 9001) and doubt[0].source.text.strip() == "set timeout 600"
    got = [f for f in audit([c], site).findings if f.rule_id == "PRN120"]
    assert got and all(f.status == "unknown" for f in got)
    # the same timeout twice: nothing in doubt, and PRN120 passes
    same = parse(_ttl_conf("28800"), "f.conf")
    assert not [t for t in same.timeouts if t.unknown]
    assert not [f for f in audit([same], site).findings if f.rule_id == "PRN120"]


# 6. an 'interface-subnet' address is the network of the interface's address: FortiOS writes it into the object
# ('set type interface-subnet' / 'set subnet 10.100.50.1 255.255.255.0' / 'set interface "Management"', as real
# backups show), the primary address's network; FortiOS CLI Reference, "config firewall address": "interface-subnet"
# type, 'interface' "Name of interface whose IP address is to be used". No document says whether the interface's
# secondary networks ('config secondaryip') are in it. Before: they were taken as certainly in, so an accept to the
# address was a certain permit to the secondary network too.

def test_an_interface_subnet_address_is_the_primary_network_and_its_secondaries_are_unknown():
    secondary = ('        config secondaryip\n            edit 1\n                set ip 10.21.0.1 255.255.255.0\n'
                 '            next\n        end\n')
    address = ('config firewall address\n    edit "servers address"\n        set type interface-subnet\n'
               '        set subnet 10.20.0.1 255.255.255.0\n        set interface "servers"\n    next\nend\n')
    policy = ('config firewall policy\n    edit 96\n        set srcintf "workshop"\n        set dstintf "servers"\n'
              '        set srcaddr "all"\n        set dstaddr "servers address"\n        set action accept\n'
              '        set schedule "always"\n        set service "ALL"\n    next\n')
    ip = '        set ip 10.20.0.1 255.255.255.0\n'
    text = CONF.replace(ip, ip + secondary, 1).replace('config firewall policy\n', address + policy, 1)
    c = parse(text, "f.conf")
    assert _d(c, "10.30.0.5", "10.20.0.10", "tcp", 445) == "permit"
    assert _d(c, "10.30.0.5", "10.21.0.10", "tcp", 445) == "unknown"
    assert any("secondary networks" in d.message for d in c.unrecognized)
    # without secondary addresses, the interface's network, decided as before
    plain = parse(text.replace(secondary, ""), "f.conf")
    assert _d(plain, "10.30.0.5", "10.20.0.10", "tcp", 445) == "permit"
    assert not any("secondary networks" in d.message for d in plain.unrecognized)


def test_an_interface_subnet_address_of_a_dhcp_interface_is_unknown():
    # (FortiOS CLI Reference, "config system interface": 'mode static|dhcp|pppoe', the address learned from the
    # server: not in the configuration). Before: the address was empty, so a deny naming it above an accept of
    # everything decided nothing and the accept was a certain permit.
    text = CONF.replace('        set ip 10.40.0.1 255.255.255.0\n', '        set mode dhcp\n', 1).replace(
        'config firewall policy\n', 'config firewall address\n    edit "office address"\n'
        '        set type interface-subnet\n        set interface "office"\n    next\nend\n'
        'config firewall policy\n    edit 97\n        set srcintf "workshop"\n        set dstintf "wan1"\n'
        '        set srcaddr "all"\n        set dstaddr "office address"\n        set action deny\n'
        '        set schedule "always"\n        set service "ALL"\n    next\n', 1)
    c = parse(text, "f.conf")
    assert any("gets its address by DHCP" in d.message and "interface-subnet" in d.message for d in c.unrecognized)
    # (policy 40 accepts the workshop to wan1; the deny above may match any destination)
    assert _d(c, "10.30.0.5", "198.51.100.9", "tcp", 443) == "unknown"

"""Small defects found by earlier sweeps (session fix23), one test each, with the vendor's document.

Documents cited:

* [NATAA] Palo Alto Networks, "NAT in Active/Active HA Mode", PAN-OS 10.0 admin guide,
  https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/high-availability/ha-concepts/nat-in-activeactive-ha-mode
  ("In an active/active HA configuration: You must bind each Dynamic IP (DIP) NAT rule and Dynamic IP
  and Port (DIPP) NAT rule to either Device ID 0 or Device ID 1 ... the session is translated according
  to NAT rules that are bound to the session owner firewall").  It does not say what an unbound rule
  does; Batfish's PaloAltoNatTest.testSourceNatHighAvaiability (testconfigs/source-nat-high-availability,
  rule SOURCE_NAT_NONE, Apache-2.0) skips it.
* [ZBF] Cisco IOS XE Security Configuration Guide, "Zone-Based Policy Firewalls" (class maps: "a
  class-map type inspect ... match-all | match-any"; traffic must match the class's criteria) and
  "Applying QoS Features Using the MQC" (a traffic class is a name, a series of match commands and
  how to evaluate them): neither says what a class map with no match command matches, so such a
  class used in a zone pair's policy is reported at its line.  Config from Batfish's
  testconfigs/ios-policy-map-inspect (Apache-2.0), with zones z1/z2 on two interfaces.
* [UNKP] Juniper, "Dropping Packets Using an Unknown Protocol", Junos Security Configuration Guide 10.0,
  https://juniper.net/documentation/software/junos-security/junos-security10.0/junos-security-swconfig-security/id-99204.html
  ("Protocol types with ID numbers of 137 or greater are reserved and undefined ... The specified
  security zone is the one from which the packets originates"; 'set security zones security-zone zone
  screen unknown-protocol', 'set security screen ids-option unknown-protocol ip unknown-protocol'), and
  JUNIPER-JS-SCREENING-MIB jnxJsScreenMonIpUnknownProt ("the security device drops packets when the
  protocol field contains a protocol ID number of 137 or greater").
* Error messages (no vendor document: the project's contract, auditor/core/secrets.py and
  tests/test_secrets_property.py): a secret never reaches stderr, a path written as a secret
  ('password=X.cfg') included; the path of a file the user named is not itself a secret keyword.
"""

from __future__ import annotations

import pytest

from auditor.api import decision_json, make_packet
from parsers import parse_text

# --- 1. PAN-OS: NAT rules bound to no device of an active/active pair ---------------------------------

PAN_SET = """\
set deviceconfig system hostname fw
set network interface ethernet ethernet1/1 layer3 ip 10.1.0.3/16
set network interface ethernet ethernet1/2 layer3 ip 10.2.0.3/16
set network virtual-router vr1 interface [ ethernet1/1 ethernet1/2 ]
set zone INSIDE network layer3 ethernet1/1
set zone OUTSIDE network layer3 ethernet1/2
set address NEW ip-netmask 10.2.99.1/32
set rulebase nat rules SOURCE_NAT_NONE from INSIDE to OUTSIDE source 10.1.3.1 destination any service any
set rulebase nat rules SOURCE_NAT_NONE source-translation dynamic-ip-and-port translated-address NEW
set rulebase security rules PERMIT_ALL from any to any source any destination any application any \
service any action allow
"""
PAN_HA_SET = "set deviceconfig high-availability group mode active-active device-id 1\n"

PAN_XML = """\
<config version="10.1.0">
  <devices><entry name="localhost.localdomain">
    <network>
      <interface><ethernet>
        <entry name="ethernet1/1"><layer3><ip><entry name="10.1.0.3/16"/></ip></layer3></entry>
        <entry name="ethernet1/2"><layer3><ip><entry name="10.2.0.3/16"/></ip></layer3></entry>
      </ethernet></interface>
      <virtual-router><entry name="vr1"><interface>
        <member>ethernet1/1</member><member>ethernet1/2</member>
      </interface></entry></virtual-router>
    </network>
    <deviceconfig>
      <system><hostname>fw</hostname></system>%s
    </deviceconfig>
    <vsys><entry name="vsys1">
      <zone>
        <entry name="INSIDE"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
        <entry name="OUTSIDE"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
      </zone>
      <address><entry name="NEW"><ip-netmask>10.2.99.1/32</ip-netmask></entry></address>
      <rulebase>
        <nat><rules><entry name="SOURCE_NAT_NONE">
          <source-translation><dynamic-ip-and-port><translated-address><member>NEW</member>
          </translated-address></dynamic-ip-and-port></source-translation>
          <to><member>OUTSIDE</member></to><from><member>INSIDE</member></from>
          <source><member>10.1.3.1</member></source><destination><member>any</member></destination>
          <service>any</service>
        </entry></rules></nat>
        <security><rules><entry name="PERMIT_ALL">
          <from><member>any</member></from><to><member>any</member></to>
          <source><member>any</member></source><destination><member>any</member></destination>
          <application><member>any</member></application><service><member>any</member></service>
          <action>allow</action>
        </entry></rules></security>
      </rulebase>
    </entry></vsys>
  </entry></devices>
</config>
"""
PAN_HA_XML = """
      <high-availability><group><mode><active-active><device-id>1</device-id></active-active></mode></group>
      </high-availability>"""


def _pan_nat(text: str):
    """The translated form of 10.1.3.1 -> 10.2.0.1 tcp 222, and the decision's text."""
    cfg = parse_text(text, "fw")
    assert cfg.vendor == "paloalto-panos"
    res = decision_json(cfg, make_packet("10.1.3.1", "10.2.0.1", "tcp", 111, 222))
    return res, cfg


@pytest.mark.parametrize("plain,ha", [(PAN_SET, PAN_SET + PAN_HA_SET), (PAN_XML % "", PAN_XML % PAN_HA_XML)],
                         ids=["set", "xml"])
def test_panos_unbound_nat_rule_in_active_active_mode_is_uncertain(plain, ha):  # [NATAA]
    res, cfg = _pan_nat(plain)
    assert res["decision"] == "permit"  # standalone: the rule translates, the packet passes
    [rule] = cfg.nat[0].rules
    assert rule.match.cubes and not rule.maybe.cubes
    res, cfg = _pan_nat(ha)
    [rule] = cfg.nat[0].rules
    # active/active: whether the unbound rule translates is not documented: maybe, with the rule's line
    assert not rule.match.cubes and rule.maybe.cubes
    assert res["decision"] == "unknown"
    # pointing at the rule, and at the line that sets the mode
    lines = ha.splitlines()
    assert "SOURCE_NAT_NONE" in lines[rule.source.line - 1]
    ha_line = 1 + next(i for i, t in enumerate(lines) if "active-active" in t)
    assert "bound to no device of the active/active HA pair (line %d)" % ha_line in rule.label


# --- 2. IOS zone-based firewall: an inspect class-map with no match lines --------------------------------

IOS_PMI = """\
!
hostname ios-policy-map-inspect
!
policy-map type inspect pmiunused
policy-map type inspect pmidefined
 class type inspect cmdefined
  inspect
 class type inspect cmundefined
  inspect
 class class-default
  drop log
!
class-map type inspect cmdefined
!
class-map type inspect cmunused
!
zone-pair security zp1 source z1 destination z2
 service-policy type inspect pmidefined
zone security z1
zone security z2
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.255.0
 zone-member security z1
interface GigabitEthernet0/1
 ip address 10.2.0.1 255.255.255.0
 zone-member security z2
"""


def test_ios_empty_inspect_class_map_in_a_policy_is_reported_at_its_line():  # [ZBF]
    cfg = parse_text(IOS_PMI, "r1")
    assert cfg.vendor == "cisco-ios"
    res = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.5", "tcp", 40000, 445))
    assert res["decision"] == "unknown"  # what the empty class matches is not documented
    lines = IOS_PMI.splitlines()
    cm_line = 1 + lines.index("class-map type inspect cmdefined")
    unused_line = 1 + lines.index("class-map type inspect cmunused")
    got = {(d.code, d.source.line) for d in cfg.diagnostics}
    # before: the class's unknown was silent (no line reported); the class-map's own line is now CFG300
    assert ("CFG300", cm_line) in got
    [d] = [d for d in cfg.diagnostics if d.source.line == cm_line]
    assert "no match criteria" in d.message and d.scope == "zone-based firewall"
    # a class map no policy uses decides nothing: not reported
    assert not any(ln == unused_line for _c, ln in got)


# --- 3. Junos: the 'ip unknown-protocol' screen of the zone packets enter from ------------------------------

JUNOS = """\
set system host-name srx
set interfaces ge-0/0/0 unit 0 family inet address 198.51.100.1/24
set interfaces ge-0/0/0 unit 0 family inet6 address 2001:db8:1::1/64
set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24
set interfaces ge-0/0/1 unit 0 family inet6 address 2001:db8:2::1/64
set security forwarding-options family inet6 mode flow-based
set security screen ids-option UNK ip unknown-protocol
set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone untrust screen UNK
set security zones security-zone trust interfaces ge-0/0/1.0
set security policies from-zone untrust to-zone trust policy any match source-address any \
destination-address any application any
set security policies from-zone untrust to-zone trust policy any then permit
set security policies from-zone trust to-zone untrust policy any match source-address any \
destination-address any application any
set security policies from-zone trust to-zone untrust policy any then permit
"""

JUNOS_TREE = """\
system { host-name srx; }
interfaces {
    ge-0/0/0 { unit 0 { family inet { address 198.51.100.1/24; } } }
    ge-0/0/1 { unit 0 { family inet { address 10.2.0.1/24; } } }
}
security {
    screen {
        ids-option UNK {
            ip {
                unknown-protocol;
            }
        }
    }
    zones {
        security-zone untrust { screen UNK; interfaces { ge-0/0/0.0; } }
        security-zone trust { interfaces { ge-0/0/1.0; } }
    }
    policies {
        from-zone untrust to-zone trust {
            policy any {
                match { source-address any; destination-address any; application any; }
                then { permit; }
            }
        }
    }
}
"""


def _junos(text: str, src: str, dst: str, proto) -> dict:
    cfg = parse_text(text, "srx")
    assert cfg.vendor == "junos"
    return decision_json(cfg, make_packet(src, dst, proto, None, None))


@pytest.mark.parametrize("text", [JUNOS, JUNOS_TREE], ids=["set", "tree"])
def test_junos_unknown_protocol_screen_drops_protocols_137_and_above_entering_its_zone(text):  # [UNKP]
    screen_line = 1 + next(i for i, t in enumerate(text.splitlines()) if "unknown-protocol" in t)
    for proto in (137, 200, 255):
        res = _junos(text, "198.51.100.7", "10.2.0.5", proto)
        # before: PERMIT by the permit-any policy (the screen was ignored)
        assert res["decision"] == "deny", proto
        assert res["line"] == screen_line
    # a known protocol, and the protocols below 137, pass the screen to the policy
    assert _junos(text, "198.51.100.7", "10.2.0.5", 136)["decision"] == "permit"
    assert _junos(text, "198.51.100.7", "10.2.0.5", 47)["decision"] == "permit"


def test_junos_unknown_protocol_screen_applies_to_its_zone_only_and_ipv6_is_uncertain():  # [UNKP]
    # from trust (no screen): the policy decides
    assert _junos(JUNOS, "10.2.0.5", "198.51.100.7", 200)["decision"] == "permit"
    # IPv6 from untrust: the documents speak of the IPv4 protocol field only
    assert _junos(JUNOS, "2001:db8:1::7", "2001:db8:2::5", 200)["decision"] == "unknown"
    assert _junos(JUNOS, "2001:db8:1::7", "2001:db8:2::5", 6)["decision"] == "permit"
    # no screen bound to the zone: nothing dropped
    unbound = JUNOS.replace("set security zones security-zone untrust screen UNK\n", "")
    assert _junos(unbound, "198.51.100.7", "10.2.0.5", 200)["decision"] == "permit"
    # alarm-without-drop: the screen may only alarm: uncertain, not a certain drop
    alarm = JUNOS + "set security screen ids-option UNK alarm-without-drop\n"
    assert _junos(alarm, "198.51.100.7", "10.2.0.5", 200)["decision"] == "unknown"


# --- 4. Error lines keep the user's path and the message; secrets in them stay hidden ----------------------


def test_error_line_keeps_a_path_ending_in_a_secret_word_and_its_message(tmp_path):
    from test_cli import run

    f = tmp_path / "ios-bgp-extcommunity"
    f.write_text("hello, this is no firewall configuration\n")
    code, out, err = run("audit", str(f), "--role", "primary=10.2.0.10")
    # before: 'prinergy-audit: error: .../ios-bgp-extcommunity: <redacted>'
    assert code == 2
    assert "error: %s: could not recognise the configuration format" % f in err and "<redacted>" not in err
    # a path written as a secret is still hidden (tests/test_secrets_property.py's contract)
    value = "Zq9FixSecret"
    code, out, err = run("audit", str(tmp_path / ("password=%s-community" % value)))
    assert code == 2 and value not in err and "no such file" in err


def test_redact_keeping_hides_secrets_in_the_message_and_where_a_path_is_a_value():
    from auditor.core.secrets import redact_keeping

    path = "/tmp/x/foo-community"
    got = redact_keeping("error: %s:3: snmp-server community S3cretV RO" % path, [path])
    assert path in got and "S3cretV" not in got
    got = redact_keeping("error: %s: password=S3cretV" % path, [path])
    assert got == "error: %s: password=<redacted>" % path
    # a kept path standing as a secret's value is hidden with it
    assert redact_keeping("community %s" % path, [path]) == "community <redacted>"
    # a kept path that is a secret on its own is shown as redact shows it
    assert "S3cretV" not in redact_keeping("error: /t/password=S3cretV.cfg: no such file", ["/t/password=S3cretV.cfg"])

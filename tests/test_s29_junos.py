"""Junos SRX red team, session 29: zones, functional zones and other edges checked against Juniper's documents.

Documents cited (Juniper Networks):

* [MGMT] "Functional Zones" (Junos Software Security Configuration Guide, junos-es92,
  http://www.juniper.net/techpubs/software/junos-es/junos-es92/junos-es-swconfig-security/functional-zone.html):
  "Currently, only the management (MGT) zone is supported. Management zones have the following properties:
  Management zones host management interfaces. Traffic entering management zones does not match policies;
  therefore, traffic cannot transit out of any other interface if it was received in the management interface.
  Management zones can only be used for dedicated management interfaces."
* [ZONES] "Security Zones and Interfaces Overview" (Junos Security 10.2,
  https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41183.html):
  "traffic enters into one security zone and goes out on another security zone"; an interface is a doorway of
  the zone it is bound to.
* [PACKET] "forwarding-options (Security)" (Junos OS 12.1X47,
  https://juniper.net/documentation/en_US/junos12.1x47/topics/reference/configuration-statement/security-edit-forwarding-options.html):
  "On SRX Series devices, the default mode for processing traffic is flow mode. To configure an SRX Series device
  as a border router, you must change the mode from flow-based processing to packet-based processing. Use the set
  security forwarding-options family mpls mode packet-based statement to configure the SRX device to packet mode.
  You must reboot the device for the configuration to take effect."
* [VPN] "Policy-Based IPsec VPNs" (Junos OS IPsec VPN User Guide,
  https://www.juniper.net/documentation/us/en/software/junos/vpn-ipsec/topics/topic-map/security-policy-based-ipsec-vpns.html):
  "A VPN is configured independent of a policy statement. The policy statement refers to the VPN by name to
  specify the traffic that is allowed access to the tunnel."

Expected decisions are read from these documents, not from the tool.
"""

from __future__ import annotations

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text
from parsers.junos import parse as parse_junos
from parsers.junos import parse_lines
from tests.test_hunt7_srx import BASE, decide, parse, policy

N = len(BASE.splitlines())
ANY = ("match source-address any", "match destination-address any", "match application any")
MGMT = ("set interfaces ge-0/0/3 unit 0 family inet address 10.3.0.1/24\n"
        "set security zones functional-zone management interfaces ge-0/0/3.0\n")
PERMIT = "".join(policy(a, b, "%s-%s" % (a, b), *ANY, "then permit") for a, b in (("ws", "srv"), ("srv", "ws")))
GLOBAL = "".join("set security policies global policy all %s\n" % x for x in ANY + ("then permit",))


def test_a_management_zone_interface_passes_no_transit_traffic():  # [MGMT]
    cfg = parse(MGMT + PERMIT + GLOBAL)
    assert not cfg.unrecognized, [d.message for d in cfg.unrecognized]
    assert decide(cfg, "10.3.0.5", "10.2.0.10") == "deny"  # received in the management interface
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "permit"


def test_an_interface_in_the_management_zone_and_a_security_zone_is_in_two_zones():  # [MGMT], [ZONES]
    # before: the management zone's line was ignored and the unit taken as srv's: a certain PERMIT to the servers
    # through an interface that, as a management interface, passes no transit traffic (or that the commit refuses)
    for order in ((0, 1), (1, 0)):
        lines = ["set security zones functional-zone management interfaces ge-0/0/2.0",
                 "set security zones security-zone srv interfaces ge-0/0/2.0"]
        text = BASE.replace(lines[1] + "\n", "") + "\n".join(lines[k] for k in order) + "\n" + PERMIT
        cfg, got = parse_lines(text, "srx.set")
        assert got.unaccounted() == []
        assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown", order
        assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(N + 1, "global")], order
    # (the management zone written without the unit, as 'interfaces ge-0/0/2', names unit 0 too)
    cfg = parse("set security zones functional-zone management interfaces ge-0/0/2\n" + PERMIT)
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"


def test_mpls_packet_based_mode_leaves_every_verdict_unknown():  # [PACKET]
    # before: the line was ignored ("IPv6/MPLS processing mode") and the policies decided: a certain PERMIT, where
    # the device is in packet mode after its reboot (no zone or policy applies) or refuses the commit
    text = PERMIT + "set security forwarding-options family mpls mode packet-based\n"
    cfg = parse(text)
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    assert decide(cfg, "10.2.0.10", "10.1.0.5", dport=445) == "unknown"
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(N + 9, "global")]
    # the other families' packet mode concerns their own packets (ISO: IS-IS), not IPv4
    assert decide(parse(PERMIT + "set security forwarding-options family iso mode packet-based\n"),
                  "10.1.0.5", "10.2.0.10") == "permit"


def test_a_policy_tunnel_to_an_undefined_vpn_is_an_undefined_reference():  # [VPN]
    tunnel = policy("ws", "srv", "vpn", *ANY, "then permit tunnel ipsec-vpn TO-HQ")
    vpn = ("set security ipsec vpn TO-HQ ike gateway GW\n"
           "set security ipsec vpn TO-HQ ike ipsec-policy IPSEC-POL\n")
    assert decide(parse(vpn + tunnel), "10.1.0.5", "10.2.0.10") == "permit"
    # before: a certain PERMIT through a tunnel the configuration does not define (the commit refuses the reference)
    cfg = parse(tunnel)
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    assert [(d.code, d.source.line, d.impact.value) for d in cfg.diagnostics] == [("CFG301", N + 4, "global")]
    # a policy compiler's fragment (no zone defined: its zones and VPNs are the device's) is not checked
    frag = "".join(x + "\n" for x in tunnel.splitlines())
    assert not parse_junos(frag, "frag.set").diagnostics


# [TIMEOUT10] "Understanding Policy Application Timeout Configuration and Lookup" (Junos Security 10.2,
# https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41683.html):
# "For single application entries, an application timeout lookup proceeds as follows: 1. The specified timeout in
# the application entry database, if set. 2. The default timeout in the application entry database, if specified
# in the predefined application. 3. The protocol-based default timeout table" (TCP 30 minutes).
# [TIMEOUT12] the same page for Junos 12.2
# (https://www.juniper.net/documentation/en_US/junos12.2/topics/concept/policy-application-timeout-configuration-lookup-understanding.html):
# "If the application that is matched for the traffic has a timeout value, that timeout value is used. Otherwise,
# the lookup proceeds in the following order until an application timeout value is found: 1. The root TCP and UDP
# port-based timeout table is searched for a timeout value. 2. The protocol-based default timeout table".
SMB = "set applications application SMB protocol tcp destination-port 445\n"
LONG = "set applications application LONG protocol tcp destination-port 1-65535 inactivity-timeout never\n"
SMB_POLICY = policy("ws", "srv", "smb", "match source-address any", "match destination-address any",
                    "match application SMB", "then permit")


def _prn120(text: str) -> list[tuple[str, int]]:
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"])
    return [(f.status, f.source.line) for f in audit([parse_text(BASE + text, "srx.set")], site).findings
            if f.rule_id == "PRN120"]


def test_a_single_application_without_a_timeout_on_a_port_another_one_times_is_release_dependent():
    # [TIMEOUT10] and [TIMEOUT12] agree without another application on the port: the TCP default, shorter than a
    # shift
    assert _prn120(SMB + SMB_POLICY) == [("fail", N + 2)]
    # LONG's 'never' is in the port-based table for 445: 12.2 takes it (passes), 10.2 the TCP default (fails).
    # before: a certain fail at the TCP default; now the policy's SMB sessions are unknown, at the policy
    assert _prn120(SMB + LONG + SMB_POLICY) == [("unknown", N + 3)]
    # a table entry of the TCP default's own value changes nothing: both say 1800 s
    assert _prn120(SMB + LONG.replace("never", "1800") + SMB_POLICY) == [("fail", N + 3)]
    # a predefined application without a timeout of its own is a single application too
    junos = SMB_POLICY.replace("application SMB", "application junos-smb-session")
    assert _prn120(LONG + junos) == [("unknown", N + 2)]


def test_default_permit_all_sessions_on_a_port_another_application_times_are_release_dependent():
    # [TIMEOUT12]: what the default policy permits matched no application ("If the application that is matched
    # ... has a timeout value ... Otherwise ... the root TCP and UDP port-based timeout table"); [TIMEOUT10] does not
    # say.  before: a certain fail at the TCP default
    default = "set security policies default-policy permit-all\n"
    assert _prn120(LONG + default) == [("unknown", N + 2)]  # (at the default-policy line)
    assert [s for s, _line in _prn120(default)] == ["fail"]  # no table entry: the TCP default either way


def test_an_address_family_written_without_a_unit_is_not_read_as_nothing():
    # Juniper, "family (Interfaces)": "Hierarchy Level [edit interfaces interface-name unit logical-unit-number]":
    # a family belongs to a unit.  before: 'interfaces ge-0/0/1 family inet filter input F' was a physical setting
    # of no impact, and a filter that discards everything entering the workshop's interface was read as absent:
    # a certain PERMIT
    text = ("set interfaces ge-0/0/1 family inet filter input F\n"
            "set firewall family inet filter F term t then discard\n") + PERMIT
    cfg = parse(text)
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(N + 1, "global")]


def test_a_simple_filter_on_a_unit_is_not_ignored():
    # Juniper, "simple-filter (Firewall)" (Junos OS, statement introduced in 9.5, SRX notes included):
    # "simple-filter filter-name { term term-name { from { ... } then { (accept | discard); forwarding-class ...;
    # policer ...; } } }", applied at [edit interfaces IF unit N family inet simple-filter input F].  before: the
    # binding was an interface setting "with no effect on filtering" and the workshop's SMB was a certain PERMIT
    text = ("set interfaces ge-0/0/1 unit 0 family inet simple-filter input SF\n"
            "set firewall family inet simple-filter SF term t from destination-port 445\n"
            "set firewall family inet simple-filter SF term t then discard\n") + PERMIT
    cfg = parse(text)
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=445) == "unknown"
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(N + 1, "global")]


def test_mac_validate_strict_is_not_ignored():
    # Juniper, "mac-validate" ([edit interfaces IF unit N family family]): "strict -- Forwards incoming packets when
    # both the IP source address and the MAC source address match one of the trusted address tuples. Drops packets
    # when ... IP source address of the incoming packet does not match any of the trusted IP addresses"; "loose --
    # ... Continues to forward incoming packets when the source address of the incoming packet does not match any
    # of the trusted IP addresses".  before: both were settings "with no effect on filtering"
    text = "set interfaces ge-0/0/1 unit 0 family inet mac-validate %s\n" + PERMIT
    cfg = parse(text % "strict")
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    assert [(d.source.line, d.impact.value) for d in cfg.unrecognized] == [(N + 1, "global")]
    cfg = parse(text % "loose")  # (drops only a trusted address sent from another MAC address: no host's own)
    assert not cfg.unrecognized and decide(cfg, "10.1.0.5", "10.2.0.10") == "permit"


def test_the_configurations_release_decides_a_single_applications_timeout():
    # (lead) the 'version' statement says which release committed the configuration (the running one): 12.2 and
    # later take the port-based table's timeout for a single application without its own ([TIMEOUT12]); 10.x the
    # TCP default ([TIMEOUT10]); a release between, or none given, leaves it unknown (above)
    new, old, between = ("set version 21.4R3-S5\n", "set version 10.2R3.10\n", "set version 11.4R7.5\n")
    assert _prn120(SMB + LONG + SMB_POLICY + new) == []  # LONG's 'never' from the table: no idle limit
    assert _prn120(SMB + LONG.replace("never", "600") + SMB_POLICY + new) == [("fail", N + 2)]  # (LONG's line)
    assert _prn120(SMB + LONG + SMB_POLICY + old) == [("fail", N + 3)]  # the TCP default, at the policy
    assert _prn120(SMB + LONG + SMB_POLICY + between) == [("unknown", N + 3)]
    assert _prn120(SMB + SMB_POLICY + new) == [("fail", N + 2)]  # no table entry: the TCP default either way
    # what 'default-policy permit-all' lets through, on 12.2 and later: the table's (no application matched)
    default = "set security policies default-policy permit-all\n"
    assert _prn120(LONG + default + new) == []
    assert _prn120(LONG.replace("never", "600") + default + new) == [("fail", N + 1)]

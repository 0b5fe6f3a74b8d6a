"""ASA idle timeouts: 'timeout conn' and the Modular Policy Framework, as the device combines them.

Cisco ASA Series Firewall CLI Configuration Guide (9.x), "Service Policy Using the Modular Policy
Framework" (https://www.cisco.com/c/en/us/td/docs/security/asa/asa918/asdm718/firewall/asdm-718-firewall-config/inspect-service-policy.html
is the same chapter for ASDM):

* "Feature Matching Within a Service Policy": "A packet can match only one class map in the
  policy map for each feature type. When the packet matches a class map for a feature type,
  the ASA does not attempt to match it to any subsequent class maps for that feature type";
  connection limits and timeouts (``set connection ...``) are one feature type, application
  inspection another;
* "Feature Directionality": "TCP and UDP connection limits and timeouts ...: Bidirectional"
  on an interface policy, ingress of every interface for the global policy;
* "Service Policy Guidelines": "Interface service policies take precedence over the global
  service policy for a given feature";

and the command reference for ``set connection timeout`` ("dcd [retry_interval [max_retries]]:
enables dead connection detection"; "idle hh:mm:ss ... 0 means the connection never times out";
a class that sets no idle timeout keeps ``timeout conn``, 1:00:00 by default).
"""

from auditor.api import audit
from auditor.core.model import Impact
from auditor.engine import permitted_by_filter
from auditor.policy import load_site
from parsers.cisco_asa import parse

HEAD = ("ASA Version 9.12(4)\n"
        "interface G0\n nameif workshop\n security-level 80\n ip address 10.30.0.1 255.255.255.0\n"
        "interface G1\n nameif servers\n security-level 90\n ip address 10.20.0.1 255.255.255.0\n"
        "interface G2\n nameif office\n security-level 70\n ip address 10.40.0.1 255.255.255.0\n"
        "access-list WS extended permit tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0\n"
        "access-list WS extended permit tcp 10.30.0.0 255.255.255.0 10.40.0.0 255.255.255.0\n"
        "access-group WS in interface workshop\n")  # lines 1-16
SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
OFFICE_SITE = load_site(None, ["workshop=10.40.0.0/24", "primary=10.20.0.10"])


def prn120(text, site=SITE):
    cfg = parse(HEAD + text, "t.cfg")
    return cfg, [(f.severity, f.source.line) for f in audit([cfg], site).findings if f.rule_id == "PRN120"]


POLICY = ("class-map ALL\n match any\n"
          "policy-map global_policy\n class ALL\n%s"
          "service-policy global_policy global\n")


def test_idle_timeout_shorter_than_a_shift_without_dcd_is_an_error():
    cfg, found = prn120(POLICY % "  set connection timeout idle 2:00:00\n")
    assert found == [("error", 21)]
    assert cfg.timeouts[0].idle_seconds == 7200 and not cfg.timeouts[0].dcd


def test_dcd_on_its_own_line_enables_dead_connection_detection():
    cfg, found = prn120(POLICY % "  set connection timeout idle 2:00:00\n  set connection timeout dcd\n")
    assert found == []
    t = cfg.timeouts[0]
    assert t.idle_seconds == 7200 and t.dcd and t.source.line == 21
    # dcd alone: the class keeps 'timeout conn' (1:00:00 by default), with DCD
    cfg, found = prn120(POLICY % "  set connection timeout dcd 0:00:15 5\n")
    assert found == []
    assert cfg.timeouts[0].idle_seconds == 3600 and cfg.timeouts[0].dcd


def test_idle_zero_is_never():
    cfg, found = prn120(POLICY % "  set connection timeout idle 0:00:00\n")
    assert found == [] and cfg.timeouts[0].idle_seconds is None


def test_an_earlier_class_of_the_same_feature_type_keeps_a_later_idle_timeout_from_applying():
    text = ("timeout conn 8:00:00\n"
            "class-map LIMIT\n match any\n"
            "class-map SHORT\n match access-list WS\n"
            "policy-map global_policy\n class LIMIT\n  set connection conn-max 1000\n"
            " class SHORT\n  set connection timeout idle 2:00:00\n"
            "service-policy global_policy global\n")
    cfg, found = prn120(text)
    assert found == []  # LIMIT claims every packet for the connection feature: 'timeout conn' 8:00:00
    first = cfg.timeouts[0]
    assert first.idle_seconds == 28800 and first.source.line == 24 and "sets no idle timeout" in first.label
    # with a 1:00:00 'timeout conn' the error points at the class that claims the packets
    cfg, found = prn120(text.replace("timeout conn 8:00:00", "timeout conn 1:00:00"))
    assert found == [("error", 24)]


def test_a_class_of_another_feature_type_does_not_hide_a_later_timeout():
    text = ("class-map INSPECT\n match any\n"
            "class-map SHORT\n match access-list WS\n"
            "policy-map global_policy\n class INSPECT\n  inspect ftp\n"
            " class SHORT\n  set connection timeout idle 2:00:00\n"
            "service-policy global_policy global\n")
    cfg, found = prn120(text)
    # (line 1: connections from the servers to the workshop, which WS does not list, keep the
    # 1:00:00 default)
    assert found == [("error", 1), ("error", 25)]
    assert cfg.timeouts[0].permitted_by == "WS"


def test_an_interface_policy_applies_to_connections_entering_or_leaving_through_it():
    text = ("class-map ALL\n match any\n"
            "policy-map SRV\n class ALL\n  set connection timeout idle 2:00:00\n"
            "service-policy SRV interface servers\n")
    cfg, found = prn120(text)
    assert cfg.timeouts[0].interfaces == ("servers",)
    # workshop -> servers: the connection leaves through 'servers': its policy applies
    assert found == [("error", 21)]


def test_interface_policies_take_precedence_over_the_global_one():
    text = ("class-map ALL\n match any\n"
            "policy-map WSP\n class ALL\n  set connection timeout idle 10:00:00\n"
            "policy-map global_policy\n class ALL\n  set connection timeout idle 2:00:00\n"
            "service-policy global_policy global\n"
            "service-policy WSP interface workshop\n")
    cfg, found = prn120(text)
    assert [t.source.line if t.source else None for t in cfg.timeouts] == [21, 24, None]
    assert found == []  # workshop <-> servers: the workshop policy's 10 hours
    # office <-> servers does not pass the workshop interface: the global 2 hours
    office = ("access-list OF extended permit tcp 10.40.0.0 255.255.255.0 10.20.0.0 255.255.255.0\n"
              "access-group OF in interface office\n")
    cfg, found = prn120(office + text, OFFICE_SITE)
    assert found == [("error", 26)]


def test_two_interface_policies_setting_timeouts_for_the_same_traffic_are_reported():
    text = ("class-map ALL\n match any\n"
            "policy-map A\n class ALL\n  set connection timeout idle 10:00:00\n"
            "policy-map B\n class ALL\n  set connection timeout idle 2:00:00\n"
            "service-policy A interface workshop\n"
            "service-policy B interface servers\n")
    cfg = parse(HEAD + text, "t.cfg")
    (d,) = cfg.diagnostics
    assert d.code == "CFG300" and d.source.line == 26 and d.scope == "timeouts" and d.impact is Impact.FILTER


def test_a_class_map_access_list_is_evaluated_by_the_engine():
    # 'match access-list' becomes Timeout.permitted_by: a deny in the list is honoured
    text = ("access-list K extended deny tcp host 10.30.0.66 any\n"
            "access-list K extended permit tcp 10.30.0.0 255.255.255.0 any\n"
            "class-map K\n match access-list K\n"
            "policy-map global_policy\n class K\n  set connection timeout idle 2:00:00\n"
            "service-policy global_policy global\n")
    cfg, found = prn120(text)
    t = cfg.timeouts[0]
    assert t.permitted_by == "K"
    from auditor.api import make_packet
    allowed = permitted_by_filter(cfg, "K")
    assert t.match.intersect(allowed).contains(make_packet("10.30.0.5", "10.20.0.10", "tcp", None, 445))
    assert not t.match.intersect(allowed).contains(make_packet("10.30.0.66", "10.20.0.10", "tcp", None, 445))
    assert found == [("error", 1), ("error", 23)]  # (line 1: the 1:00:00 default for the rest)


def test_timeout_lines_not_understood_are_reported_for_the_timeouts():
    text = POLICY % "  set connection timeout idle soon\n  set connection frobnicate 3\n"
    cfg = parse(HEAD + text + "class-map X\n match dscp ef\n", "t.cfg")
    assert sorted((d.source.line, d.scope) for d in cfg.diagnostics) == [(21, "timeouts"), (22, "timeouts"),
                                                                         (25, "timeouts")]


def test_tcp_state_bypass_leaves_the_idle_timeout_unknown():
    # Cisco ASA Series Firewall CLI Configuration Guide, "Connection Settings", "Bypass TCP State Checks for
    # Asynchronous Routing (TCP State Bypass)" (https://www.cisco.com/c/en/us/td/docs/security/asa/asa91/
    # configuration/firewall/asa_91_firewall_config/conns_connlimits.html): "The ASA does not keep track of the
    # state of the connection"; such connections keep an idle timeout of their own, not the class's idle
    # setting as modelled: a never-timing-out class with the bypass cannot pass PRN120 (before: the line was
    # ignored as another feature type, and the class's 'idle 0' passed)
    cfg, found = prn120(POLICY % "  set connection timeout idle 0:00:00\n"
                                 "  set connection advanced-options tcp-state-bypass\n")
    assert found == [("warning", 22)]
    [d] = [d for d in cfg.diagnostics if "state bypass" in d.message]
    assert d.scope == "timeouts" and d.source.line == 22
    # TCP normalization (a tcp-map) changes no timeout
    _cfg, found = prn120(POLICY % "  set connection timeout idle 0:00:00\n"
                                  "  set connection advanced-options NORM\n")
    assert found == []


# 'match default-inspection-traffic': "the default ports used in the default class map" of every inspection
# engine (Cisco ASA Series Firewall CLI Configuration Guide 9.x, "Getting Started with Application Layer
# Protocol Inspection", "Default Inspections and NAT Limitations", table "Supported Application Inspection
# Engines"; "Not all applications whose ports are included in the match default-inspection-traffic command are
# enabled by default").
DIT = ("timeout conn 8:00:00\n"
       "class-map DIT\n match default-inspection-traffic\n"
       "policy-map global_policy\n class DIT\n  set connection timeout idle 0:30:00\n"
       "service-policy global_policy global\n")  # lines 17-23 (the idle timeout: 22)


def only(port):
    """HEAD with the workshop permitted to the servers on one TCP port only."""
    return HEAD.replace("access-list WS extended permit tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0\n",
                        "access-list WS extended permit tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0 "
                        "eq %d\n" % port)


def test_default_inspection_traffic_includes_dcerpc_pptp_and_mmp():
    # DCERPC TCP/135, PPTP TCP/1723, MMP TCP 5443 are in the table (before: missing, so a 30-minute timeout on
    # the default inspection class was taken not to apply to PPTP's port, which Prinergy's 1024-9000 range holds)
    from auditor.api import make_packet
    for port in (135, 1723, 5443):
        cfg = parse(only(port) + DIT, "t.cfg")
        assert cfg.timeouts[0].match.contains(make_packet("10.30.0.5", "10.20.0.10", "tcp", None, port)), port
        found = [(f.severity, f.source.line) for f in audit([cfg], SITE).findings if f.rule_id == "PRN120"]
        assert ("error", 22) in found, (port, found)


def test_default_inspection_traffic_has_sun_rpc_on_udp_only():
    # "The default rule includes UDP port 111; if you want to enable Sun RPC inspection for TCP port 111, you
    # need to create a new rule that matches TCP port 111" (before: TCP 111 was matched too)
    from auditor.api import make_packet
    cfg = parse(HEAD + DIT, "t.cfg")
    m = cfg.timeouts[0].match
    assert m.contains(make_packet("10.30.0.5", "10.20.0.10", "udp", None, 111))
    assert not m.contains(make_packet("10.30.0.5", "10.20.0.10", "tcp", None, 111))


def test_a_timeout_on_default_inspection_traffic_beyond_the_table_is_unknown():
    # The table itself leaves the class's reach open: "Instant Messaging (IM): Varies by client", "IP Options:
    # All IP Options traffic is matched in the default class map" (ASA 5500 Series Configuration Guide using the
    # CLI 8.4, "Default Settings", table "Supported Application Inspection Engines"), and releases add engines
    # with ports of their own.  Workshop -> server TCP 3478 (no port of the table) under a 30-minute default
    # inspection class and an 8-hour 'timeout conn' was a pass; it cannot be told (reported on the match line)
    # (the servers may open no connection to the workshop)
    closed = "access-list SV extended deny ip any any\naccess-group SV in interface servers\n"
    cfg = parse(only(3478) + DIT + closed, "t.cfg")
    [d] = [d for d in cfg.diagnostics if d.scope == "timeouts"]
    assert d.code == "CFG300" and d.source.line == 19 and d.impact is Impact.FILTER
    found = [(f.severity, f.status, f.source.line) for f in audit([cfg], SITE).findings if f.rule_id == "PRN120"]
    assert found == [("warning", "unknown", 19)]
    # a class without connection settings (inspection only) is not reported
    inspect_only = DIT.replace("  set connection timeout idle 0:30:00\n", "  inspect ftp\n")
    cfg = parse(only(3478) + inspect_only + closed, "t.cfg")
    assert not cfg.diagnostics


def test_with_default_inspection_traffic_a_class_access_list_narrows_the_addresses_only():
    # Cisco ASDM User Guide 6.1 (OL-16647-01), "Adding a Service Policy Rule for Through Traffic", Default
    # Inspection Traffic: "You can specify a Source and Destination IP Address (uses ACL) class along with the
    # Default Inspection Traffic class to narrow the matched traffic. Because the Default Inspection Traffic class
    # specifies the ports and protocols to match, any ports and protocols in the access list are ignored."
    # (before: the list's port 9999 was intersected with the default ports: the class matched nothing, and its
    # 30 minutes were not seen on SQL*Net's 1521)
    from auditor.api import make_packet
    text = ("timeout conn 8:00:00\n"
            "access-list K extended deny tcp host 10.30.0.66 any eq 9999\n"
            "access-list K extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 9999\n"
            "class-map K\n match access-list K\n match default-inspection-traffic\n"
            "policy-map global_policy\n class K\n  set connection timeout idle 0:30:00\n"
            "service-policy global_policy global\n")  # lines 17-27 (the idle timeout: 25)
    cfg = parse(only(1521) + text, "t.cfg")
    t = cfg.timeouts[0]
    assert t.permitted_by == "" and t.source.line == 25
    assert t.match.contains(make_packet("10.30.0.5", "10.20.0.10", "tcp", None, 1521))
    assert not t.match.contains(make_packet("10.30.0.66", "10.20.0.10", "tcp", None, 1521))  # (the deny)
    assert not t.match.contains(make_packet("10.30.0.5", "10.20.0.10", "tcp", None, 9999))  # (no default port)
    assert not t.match.contains(make_packet("10.30.0.5", "10.20.0.11", "tcp", None, 1521))
    found = [(f.severity, f.source.line) for f in audit([cfg], SITE).findings if f.rule_id == "PRN120"]
    assert ("error", 25) in found


def test_a_class_of_every_real_tcp_port_leaves_no_connection_to_timeout_conn():
    # 'match port tcp range 1 65535' holds every port a TCP connection uses: port 0 is reserved (IANA
    # "Service Name and Transport Protocol Port Number Registry": 0/tcp Reserved) and the ASA drops a TCP or
    # UDP packet with port 0 (Cisco ASA Series Syslog Messages, 500004: "Invalid transport field for
    # protocol=protocol, from source_address/source_port to dest_address/dest_port ... a port of 0");
    # connections of port 0 are no Workshop <-> server traffic, so 'timeout conn' (1:00:00) is in force for none
    text = ("timeout conn 1:00:00\n"
            "class-map PRN\n match port tcp range 1 65535\n"
            "policy-map global_policy\n class PRN\n  set connection timeout idle 8:00:00 dcd\n"
            "service-policy global_policy global\n")
    cfg, found = prn120(text)
    assert found == []
    # the same class of ports 2 to 65535 leaves port 1 to 'timeout conn': the error stays, at its line
    cfg, found = prn120(text.replace("range 1 65535", "range 2 65535"))
    assert found == [("error", 17)]

"""Cisco IOS and ASA, Junos: idle timeouts of NAT translations, and lines of real public configurations
(ciscoconfparse's samples, Batfish's test configs) that made an audit 'unknown'; each reduced to a small
synthetic config."""

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text

ROLES = ["workshop=10.1.0.5", "primary=10.2.0.10"]


def prn120(text: str, path: str = "r.cfg", shift: float | None = None) -> list[tuple[str, int, str]]:
    """PRN120's findings in the audit of ``text`` for ROLES: (status, line, the line's text)."""
    cfg = parse_text(text, path)
    found = audit([cfg], load_site(None, ROLES, shift)).findings
    return sorted((f.status, f.source.line, f.source.text.strip()) for f in found if f.rule_id == "PRN120")


# IOS NAT.  A dynamic translation is removed once idle for its timeout; the connection's next packet then gets a
# new one (with PAT, a new port: the server sees another connection), so the translation timeout limits the
# idle time of every connection it translates; a static translation never expires.  Cisco IOS IP Addressing
# Services Command Reference, "ip nat translation (timeout)": "timeout: Specifies that the timeout value applies
# to dynamic translations except for overload translations. Default is 86,400 seconds (24 hours)";
# "tcp-timeout: Specifies that the timeout value applies to the TCP port. Default is 86,400 seconds";
# Cisco IOS IP Configuration Guide (78-11741-02), "Configuring Network Address Translation", "Changing
# Translation Timeouts": "By default, dynamic address translations time out after some period of nonuse ...
# When overloading is not configured, simple translation entries time out after 24 hours" ('timeout'), and
# with overloading the extended entries' 'tcp-timeout'.  The router ignored both lines: no PRN120 finding.
IOS_NAT = """hostname r1
interface GigabitEthernet1
 ip address 10.1.0.1 255.255.0.0
 ip nat inside
interface GigabitEthernet2
 ip address 10.2.0.1 255.255.255.0
 ip nat outside
access-list 1 permit 10.1.0.0 0.0.255.255
ip nat inside source list 1 interface GigabitEthernet2 overload
ip nat translation tcp-timeout 300
ip nat translation timeout 600
"""


def test_ios_pat_tcp_timeout_limits_the_idle_time_of_the_connections_it_translates():
    assert prn120(IOS_NAT) == [("fail", 10, "ip nat translation tcp-timeout 300")]
    # an outbound access list sees the translated packets: the same timeout applies to them
    out = IOS_NAT.replace(" ip nat outside\n", " ip nat outside\n ip access-group OUT out\n") + \
        "ip access-list extended OUT\n permit ip any any\n"
    assert prn120(out) == [("fail", 11, "ip nat translation tcp-timeout 300")]
    # 'never', or at least the shift: no finding; nor for the default 24 h with an 8-hour shift
    assert prn120(IOS_NAT.replace("tcp-timeout 300", "tcp-timeout never")) == []
    assert prn120(IOS_NAT.replace("tcp-timeout 300", "tcp-timeout 28800")) == []
    assert prn120(IOS_NAT.replace("ip nat translation tcp-timeout 300\n", "")) == []
    # ... but the default 24 h is shorter than a 30-hour shift
    assert prn120(IOS_NAT.replace("ip nat translation tcp-timeout 300\n", ""), shift=30) == [
        ("fail", 9, "ip nat inside source list 1 interface GigabitEthernet2 overload")]


def test_ios_dynamic_nat_without_overload_takes_the_translation_timeout():
    pool = IOS_NAT.replace("interface GigabitEthernet2 overload", "pool P") + \
        "ip nat pool P 10.2.0.100 10.2.0.120 netmask 255.255.255.0\n"
    assert prn120(pool) == [("fail", 11, "ip nat translation timeout 600")]
    assert prn120(pool.replace("timeout 600", "timeout never")) == []  # (tcp-timeout: PAT's entries)
    # with 'overload' on a pool, tcp-timeout again
    assert prn120(pool.replace("pool P\n", "pool P overload\n")) == [("fail", 10, "ip nat translation tcp-timeout 300")]


def test_ios_nat_timeout_spares_untranslated_and_statically_translated_connections():
    # the workshop's traffic to a server on another inside interface is not translated
    two_inside = IOS_NAT.replace("interface GigabitEthernet2\n ip address 10.2.0.1 255.255.255.0\n ip nat outside",
                                 "interface GigabitEthernet2\n ip address 10.2.0.1 255.255.255.0\n ip nat inside\n"
                                 "interface GigabitEthernet3\n ip address 192.0.2.1 255.255.255.0\n ip nat outside")
    two_inside = two_inside.replace("list 1 interface GigabitEthernet2", "list 1 interface GigabitEthernet3")
    assert prn120(two_inside) == []
    # ... nor is what an access list outside the NAT rule's permits, nor replies to the server's connections
    assert prn120(IOS_NAT.replace("access-list 1 permit 10.1.0.0 0.0.255.255", "access-list 1 permit 10.1.9.0 "
                                  "0.0.0.255")) == []
    # a static translation, looked up first, does not expire
    static = IOS_NAT + "ip nat inside source static 10.1.0.5 10.2.0.50\n"
    assert prn120(static) == []


IOS_ZBF = """hostname r1
zone security IN
zone security OUT
interface GigabitEthernet1
 ip address 10.1.0.1 255.255.0.0
 ip nat inside
 zone-member security IN
interface GigabitEthernet2
 ip address 10.2.0.1 255.255.255.0
 ip nat outside
 zone-member security OUT
parameter-map type inspect LONG
 tcp idle-time 86400
ip access-list extended WS
 permit tcp 10.1.0.0 0.0.255.255 any
class-map type inspect match-any CB
 match access-group name WS
policy-map type inspect PM
 class type inspect CB
  inspect LONG
zone-pair security ZP source IN destination OUT
 service-policy type inspect PM
access-list 1 permit 10.1.0.0 0.0.255.255
ip nat inside source list 1 interface GigabitEthernet2 overload
ip nat translation tcp-timeout 300
"""


def test_ios_nat_timeout_shorter_than_the_zone_firewalls_is_in_force():
    # (both end an idle connection: the shorter one is in force)
    assert prn120(IOS_ZBF) == [("fail", 25, "ip nat translation tcp-timeout 300")]
    assert prn120(IOS_ZBF.replace("tcp-timeout 300", "tcp-timeout never")) == []
    short = IOS_ZBF.replace("tcp idle-time 86400", "tcp idle-time 1800").replace("tcp-timeout 300", "tcp-timeout 86400")
    assert prn120(short) == [("fail", 13, "tcp idle-time 1800")]
    # with an outbound access list (it sees the translated packets) the zone firewall's timeout still applies
    out = short.replace(" ip nat outside\n", " ip nat outside\n ip access-group OUT out\n") + \
        "ip access-list extended OUT\n permit ip any any\n"
    assert prn120(out) == [("fail", 14, "tcp idle-time 1800")]


def test_ios_nat_timers_not_read_make_the_idle_timeout_unknown():
    # 'port-timeout tcp PORT SECONDS' (a timer of some TCP translations) is not read: cannot tell
    assert prn120(IOS_NAT.replace("ip nat translation tcp-timeout 300", "ip nat translation port-timeout tcp 445 60")
                  .replace("timeout 600", "timeout never")) == [
        ("unknown", 10, "ip nat translation port-timeout tcp 445 60")]
    # timers of other protocols, of closing or opening connections, of DNS do not end an idle one
    others = IOS_NAT.replace("ip nat translation tcp-timeout 300\n", "ip nat translation udp-timeout 30\n"
                             "ip nat translation finrst-timeout 10\nip nat translation syn-timeout 10\n"
                             "ip nat translation dns-timeout 5\nip nat translation max-entries 1000\n")
    assert prn120(others) == []


# ASA: an xlate is not removed while a connection uses it: "If a connection is subjected to translation (xlate) on
# the ASA, first the translation is built, then the connection is built, and finally, the connection is associated
# with that translation. The xlate idle timeout only starts when all of the associated connections for that xlate
# are terminated" (Cisco, "ASA Xlate Entries with Idle Values Longer than the Configured Timeouts", Document ID
# 115992: https://cisco.com/c/en/us/support/docs/security/asa-5500-x-series-next-generation-firewalls/
# 115992-long-asa-xlate-idle-values-00.html).  So 'timeout xlate' does not limit an idle connection ('timeout conn'
# does), unlike IOS's NAT timeouts above.
ASA_PAT = """ASA Version 9.16(4)
interface G0
 nameif ws
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface G1
 nameif srv
 security-level 0
 ip address 10.2.0.1 255.255.255.0
object network WS
 subnet 10.1.0.0 255.255.0.0
 nat (ws,srv) dynamic interface
timeout xlate 0:05:00
timeout conn 0:04:00
"""


def test_asa_xlate_timeout_does_not_end_an_idle_connection():
    assert prn120(ASA_PAT, "asa.cfg") == [("fail", 14, "timeout conn 0:04:00")]
    assert prn120(ASA_PAT.replace("timeout conn 0:04:00", "timeout conn 0:00:00"), "asa.cfg") == []


# IOS zone-based firewall: an 'inspect' naming no parameter map was given the global parameter map's 'tcp
# idle-time' ('parameter-map type inspect global'), so 8 hours there passed PRN120.  No Cisco document found says
# the global map's idle time applies to it (the Security Configuration Guide's "Zone-Based Policy Firewall" and the
# 'ip inspect tcp idle-time' reference, "Defaults 3600 seconds (1 hour)", do not): the default may be in force, so
# it is 'cannot tell'; a timeout shorter than the shift either way is still a finding.
IOS_ZBF_GLOBAL = IOS_ZBF.replace("parameter-map type inspect LONG\n tcp idle-time 86400\n",
                                 "parameter-map type inspect global\n tcp idle-time 28800\n") \
    .replace("  inspect LONG\n", "  inspect\n").replace("ip nat translation tcp-timeout 300\n", "")


def test_ios_inspect_without_a_parameter_map_and_a_global_idle_time_is_unknown():
    assert prn120(IOS_ZBF_GLOBAL) == [("unknown", 13, "tcp idle-time 28800")]
    # shorter than the shift either way: a finding
    assert prn120(IOS_ZBF_GLOBAL.replace("tcp idle-time 28800", "tcp idle-time 1800")) == [
        ("fail", 13, "tcp idle-time 1800")]
    # a map named by the inspect action: its idle time, for certain
    named = IOS_ZBF_GLOBAL.replace("type inspect global", "type inspect LONG")
    named = named.replace("  inspect\n", "  inspect LONG\n")
    assert prn120(named) == []


# IOS static route with a name in quotes (Batfish's test config ios-ip-route-vrf: 'ip route vrf management 0.0.0.0
# 0.0.0.0 1.2.3.4 name "mgmt vrf default route"'): the name's second word was read as an unexpected operand, and the
# route reported as 'not understood, could change any verdict'.  The name only labels the route ("name
# next-hop-name: (Optional) Name of the next hop", Cisco IOS IP Routing: Protocol-Independent Command Reference,
# 'ip route'); the route is read, whatever the name says.
ROUTE = """hostname r1
interface GigabitEthernet1
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet2
 ip address 10.9.0.1 255.255.255.0
ip route 10.2.0.0 255.255.255.0 10.9.0.2 name "to the servers" 5
"""


def test_ios_route_with_a_quoted_name_is_a_route():
    cfg = parse_text(ROUTE, "r.cfg")
    assert [d.message for d in cfg.diagnostics] == []
    [r] = cfg.routes
    assert (r.interface, r.preference) == ("GigabitEthernet2", (5,))
    # (a quote never closed: not understood)
    bad = parse_text(ROUTE.replace('"to the servers" 5', '"to the servers 5'), "r.cfg")
    assert [d.source.line for d in bad.diagnostics] == [6] and not bad.routes

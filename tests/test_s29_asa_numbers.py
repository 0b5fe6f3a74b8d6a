"""Session 29 red team of the Cisco ASA model: numbers other than ports (sequence numbers, timeouts, route
distances, log intervals) the device would refuse.

The ASA's command line reads ASCII digits only; Python's ``int()`` and ``str.isdecimal()`` take any Unicode
digit ('١' is 1) and ``int()`` a sign or an underscore too.  A command the device refuses is not in its
configuration: read as a number, 'access-list WS line ١ extended permit ...' became the list's first entry
(a certain PERMIT ahead of the deny) and 'timeout conn ٩:00:00' a nine-hour idle timeout (PRN120 passed,
where the device keeps its default hour).  Such a line is now not understood at its line.

Documents cited:

* [TIMEOUTS] Cisco ASA Series Firewall CLI Configuration Guide, "Connection Settings", "Configure Global
  Timeouts": "All timeout values are in the format hh:mm:ss, with a maximum duration of 1193:0:0" ...
  "timeout conn hh:mm:ss - The idle time after which a connection closes, between 0:5:0 and 1193:0:0. The
  default is 1 hour (1:0:0)"; "set connection timeout ... idle hh:mm:ss ... between 0:0:1 and 1193:0:0 ...
  You can also set this value to 0, which means the connection never times out"
  (https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/conns-connections.html).
* [ROUTE] Cisco ASA Series Command Reference, ``route``: "route interface_name ip_address netmask gateway_ip
  [[metric] [track number] | tunneled]"; the metric (administrative distance) is 1 to 255, default 1.
* [ACL] Cisco ASA Series Command Reference, ``access-list extended``: "line line-num ... the line number at
  which to insert the ACE"; "log [[level] [interval secs] | disable | default]".
"""

from __future__ import annotations

import pytest

from auditor.api import combine_inputs, decision_json, make_packet
from parsers import parse_text
from parsers.cisco_asa.services import decimal, parse_hms

BASE = """ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
access-list WS extended deny tcp any any eq 445
access-list WS extended permit ip any any
access-group WS in interface workshop
"""
AR_1 = "\u0661"  # (Arabic-Indic digit one)
AR_9 = "\u0669"


def decide(extra: str, dport: int = 445) -> dict:
    [fw] = combine_inputs([parse_text(BASE + extra, "asa.cfg")])
    return decision_json(fw, make_packet("10.30.0.5", "10.20.0.11", "tcp", 49152, dport))


def test_only_ascii_digits_are_numbers():
    assert decimal("445") and not decimal(AR_1) and not decimal("+1") and not decimal("1_0") and not decimal("")


def test_a_line_number_in_other_digits_is_not_understood():
    # the device refuses the command: the deny at line 10 stays first.  Read as 'line 1', the permit came first
    # and 445 was a certain PERMIT
    got = decide("access-list WS line %s extended permit tcp any any eq 445\n" % AR_1)
    assert got["decision"] != "permit"
    cfg = parse_text(BASE + "access-list WS line %s extended permit tcp any any eq 445\n" % AR_1, "asa.cfg")
    assert [d.source.line for d in cfg.diagnostics] == [13]


def test_an_ascii_line_number_still_inserts():
    assert decide("access-list WS line 1 extended permit tcp any any eq 445\n")["decision"] == "permit"


def test_a_log_interval_in_other_digits_is_not_understood():
    got = decide("access-list WS line 1 extended permit tcp any any eq 445 log interval %s0\n" % AR_1)
    assert got["decision"] == "unknown" and got["line"] == 13


@pytest.mark.parametrize("value", [AR_9 + ":00:00", "+9:00:00", "9_0:00:00", "2000:00:00", "1193:00:01"])
def test_a_timeout_the_device_refuses_sets_nothing(value):
    # [TIMEOUTS]: at most 1193:0:0; '٩:00:00' was nine hours, '2000:00:00' 2000 hours, where the device keeps 1:00:00
    cfg = parse_text(BASE + "timeout conn %s\n" % value, "asa.cfg")
    assert not cfg.timeouts or all(t.idle_seconds != 9 * 3600 and t.idle_seconds != 2000 * 3600 for t in cfg.timeouts)
    assert [(d.source.line, d.scope) for d in cfg.diagnostics] == [(13, "timeouts")]


def test_timeouts_the_device_accepts():
    assert parse_hms("1193:0:0") == 1193 * 3600 and parse_hms("0:00:00") == 0 and parse_hms("9:00") == 9 * 3600
    policy = ("class-map WS\n match any\npolicy-map global_policy\n class WS\n  set connection timeout idle %s\n"
              "service-policy global_policy global\n")
    bad = parse_text(BASE + policy % (AR_9 + ":00:00"), "asa.cfg")
    assert [d.source.line for d in bad.diagnostics] == [17]
    good = parse_text(BASE + policy % "9:00:00", "asa.cfg")
    assert not good.diagnostics and any(t.idle_seconds == 9 * 3600 for t in good.timeouts)


@pytest.mark.parametrize("tail", [AR_1, "0", "256", "bogus", "1 track", "track %s" % AR_1])
def test_a_route_the_device_refuses_is_not_understood(tail):
    # [ROUTE]: 'route workshop 10.99.0.0 255.255.0.0 10.30.0.9 ١' was a route at distance 1 (any word after the
    # gateway was taken as none)
    cfg = parse_text(BASE + "route workshop 10.99.0.0 255.255.0.0 10.30.0.9 %s\n" % tail, "asa.cfg")
    assert [d.source.line for d in cfg.diagnostics] == [13]
    assert not any(r.source.line == 13 for r in cfg.routes)


@pytest.mark.parametrize("tail, distance", [("", 1), ("5", 5), ("255", 255), ("2 track 3", 2), ("track 3", 1)])
def test_routes_the_device_accepts(tail, distance):
    cfg = parse_text(BASE + "route workshop 10.99.0.0 255.255.0.0 10.30.0.9 %s\n" % tail, "asa.cfg")
    assert not cfg.diagnostics
    [r] = [r for r in cfg.routes if r.source.line == 13]
    assert r.preference == (distance,)


def test_a_tunneled_route_is_not_a_route():
    # "tunneled": the default route of traffic leaving VPN tunnels only, IPv4 and IPv6 alike (an IPv6 one was a
    # default route of every packet)
    text = ("route workshop 0.0.0.0 0.0.0.0 10.30.0.9 tunneled\n"
            "ipv6 route workshop ::/0 2001:db8::9 tunneled\n")
    cfg = parse_text(BASE + text, "asa.cfg")
    assert not cfg.diagnostics and not any(r.source.line in (13, 14) for r in cfg.routes)


AR_445 = "\u0664\u0664\u0665"


def test_a_port_group_with_a_member_not_understood_matches_only_its_understood_ports():
    # the device refuses 'port-object eq ٤٤٥': the group's only member.  The group matched every port, so the
    # permit was a certain PERMIT of all TCP (explain: 'PERMIT by line 15'); now only what the understood members
    # name is certain, the rest unknown at the entry
    extra = ("object-group service S tcp\n port-object eq %s\n port-object eq 80\n"
             "access-list WS line 1 extended permit tcp any any object-group S\n" % AR_445)
    text = BASE.replace("access-list WS extended permit ip any any\n", "") + extra
    [fw] = combine_inputs([parse_text(text, "asa.cfg")])

    def decide_port(port: int) -> dict:
        return decision_json(fw, make_packet("10.30.0.5", "10.20.0.11", "tcp", 49152, port))

    assert decide_port(80)["decision"] == "permit"
    got = decide_port(445)
    assert got["decision"] == "unknown" and got["line"] == 15
    assert decide_port(8080)["decision"] == "unknown"


def test_an_object_nat_port_the_device_refuses_is_a_rule_not_modelled():
    # 'service tcp ٤٤٥ ٤٤٥' stopped the audit: "error: unknown port name '٤٤٥'", no file nor line
    extra = ("object network SRV\n host 10.20.0.11\n nat (servers,workshop) static 10.30.0.11 service tcp %s %s\n"
             % (AR_445, AR_445))
    cfg = parse_text(BASE + extra, "asa.cfg")
    assert [(d.source.line, d.scope) for d in cfg.diagnostics] == [(15, "nat")]


@pytest.mark.parametrize("gateway", ["bogus", "\u0661\u0660.30.0.9", "10.30.0"])
def test_a_route_gateway_the_device_refuses_is_not_understood(gateway):
    cfg = parse_text(BASE + "route workshop 10.99.0.0 255.255.0.0 %s\n" % gateway, "asa.cfg")
    assert [d.source.line for d in cfg.diagnostics] == [13]
    cfg6 = parse_text(BASE + "ipv6 route workshop 2001:db8:99::/48 %s\n" % gateway, "asa.cfg")
    assert [d.source.line for d in cfg6.diagnostics] == [13]

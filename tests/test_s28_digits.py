"""A port written in other than ASCII digits ('٤٤٥', Arabic-Indic 445) is no port: Python's int() reads any Unicode
decimal digit, while a device's command line reads ASCII digits only and refuses the line (session 28's bad-input
red team: an ASA 'permit tcp any any eq ٤٤٥' and an iptables '--dport ٤٤٥' were read as 445, a certain PERMIT).
Such a line is now not understood: the packets it may decide are unknown, never permitted."""

from __future__ import annotations

import pytest

from auditor.api import combine_inputs, decision_json, make_packet
from parsers import parse_text
from parsers.kit import names as N

AR_445 = "\u0664\u0664\u0665"  # (Arabic-Indic digits four, four, five)

ASA = """ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
access-list WS extended permit tcp any any eq %s
access-list WS extended deny ip any any
access-group WS in interface workshop
""" % AR_445
IPT = "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.30.0.0/24 -p tcp -m tcp --dport %s -j ACCEPT\nCOMMIT\n" % AR_445


def test_the_kit_reads_ascii_digits_only():
    assert N.port_number("445") == 445
    with pytest.raises(ValueError):
        N.port_number(AR_445)
    assert N.protocol_number("6") == 6 and N.protocol_number("\u0666") is None


def test_an_asa_port_in_other_digits_is_not_understood():
    cfg = parse_text(ASA, "asa.cfg")
    [fw] = combine_inputs([cfg])
    got = decision_json(fw, make_packet("10.30.0.5", "10.20.0.11", "tcp", 49152, 445))
    assert got["decision"] == "unknown" and got["line"] == 10


def test_an_iptables_port_in_other_digits_is_not_understood():
    cfg = parse_text(IPT, "fw.rules")
    [host] = combine_inputs([cfg], "10.20.0.11")
    got = decision_json(host, make_packet("10.30.0.5", "10.20.0.11", "tcp", 49152, 445))
    assert got["decision"] == "unknown" and got["line"] == 3


def test_an_ios_port_in_other_digits_is_not_understood():
    text = ("hostname r1\ninterface Gi0/0\n ip address 10.30.0.1 255.255.255.0\n ip access-group WS in\n"
            "interface Gi0/1\n ip address 10.20.0.1 255.255.255.0\nip access-list extended WS\n"
            " permit tcp any any eq %s\n deny ip any any\n" % AR_445)
    [fw] = combine_inputs([parse_text(text, "r1.cfg")])
    got = decision_json(fw, make_packet("10.30.0.5", "10.20.0.11", "tcp", 49152, 445))
    assert got["decision"] == "unknown" and got["line"] == 8


def test_a_fortios_port_range_in_other_digits_is_refused():
    from parsers.fortios.services import port_spec

    assert port_spec("445") is not None
    with pytest.raises(ValueError):
        port_spec(AR_445)


def test_a_junos_application_port_in_other_digits_is_not_a_port():
    base = ("set security zones security-zone trust interfaces ge-0/0/1.0\n"
            "set security zones security-zone servers interfaces ge-0/0/2.0\n"
            "set interfaces ge-0/0/1 unit 0 family inet address 10.1.0.1/16\n"
            "set interfaces ge-0/0/2 unit 0 family inet address 10.2.0.1/24\n"
            "set applications application smb protocol tcp destination-port %s\n"
            "set security policies from-zone trust to-zone servers policy p1 match source-address any\n"
            "set security policies from-zone trust to-zone servers policy p1 match destination-address any\n"
            "set security policies from-zone trust to-zone servers policy p1 match application smb\n"
            "set security policies from-zone trust to-zone servers policy p1 then permit\n")
    [fw] = combine_inputs([parse_text(base % AR_445, "srx.conf")])
    got = decision_json(fw, make_packet("10.1.0.5", "10.2.0.10", "tcp", 49152, 445))
    assert got["decision"] == "unknown"
    [fw] = combine_inputs([parse_text(base % "445", "srx.conf")])  # (the same in ASCII digits: a certain permit)
    assert decision_json(fw, make_packet("10.1.0.5", "10.2.0.10", "tcp", 49152, 445))["decision"] == "permit"


def test_panos_and_checkpoint_port_expressions_in_other_digits_are_refused():
    from parsers.checkpoint.objects import port_set as cp_ports
    from parsers.panos.objects import port_set as pan_ports

    assert pan_ports("445") is not None and cp_ports("445") is not None
    for read in (pan_ports, cp_ports):
        with pytest.raises(ValueError):
            read(AR_445)


AR_6 = "\u0666"  # (Arabic-Indic six: TCP's protocol number in other digits)


@pytest.mark.parametrize("entry, line", [
    ("access-list 101 permit %s any any" % AR_6, 7),  # a protocol number (the numbered list's reader)
    ("access-list 101 permit tcp 10.1.0.0 0.0.255.255 any eq 445 reflect R timeout %s" % AR_445, 7),
])
def test_an_ios_protocol_or_number_in_other_digits_is_not_understood(entry, line):
    """IOS reads a protocol number, a sequence number and a timeout in ASCII digits only ("access-list
    (IP extended)", Cisco IOS Security Command Reference: protocol "an integer in the range 0 to 255");
    lead, session 29: 'permit ٦ any any' was a certain PERMIT of TCP."""
    text = ("hostname r1\ninterface GigabitEthernet0/0\n ip address 10.1.0.1 255.255.0.0\n ip access-group 101 in\n"
            "interface GigabitEthernet0/1\n ip address 10.2.0.1 255.255.255.0\n%s\n"
            "access-list 101 deny ip any any\n" % entry)
    [fw] = combine_inputs([parse_text(text, "r1.cfg")])
    got = decision_json(fw, make_packet("10.1.0.5", "10.2.0.10", "tcp", 49152, 445))
    assert got["decision"] == "unknown" and got["line"] == line


def test_an_ios_named_entry_numbered_in_other_digits_is_not_a_sequence_number():
    from parsers.cisco_ios.acl import split_entry

    assert split_entry(["10", "permit", "ip", "any", "any"], "extended") == (10, ["permit", "ip", "any", "any"])
    assert split_entry(["\u0661\u0660", "permit", "ip", "any", "any"], "extended")[0] is None


def test_an_iptables_prefix_length_in_other_digits_is_refused():
    text = ("*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.1.0.0/\u0662\u0664 -p tcp -m tcp --dport 445 -j ACCEPT\n"
            "COMMIT\n")
    [host] = combine_inputs([parse_text(text, "fw.rules")], "10.2.0.10")
    got = decision_json(host, make_packet("10.1.0.5", "10.2.0.10", "tcp", 49152, 445))
    assert got["decision"] != "permit"


def test_an_ios_idle_timer_in_other_digits_is_not_a_timer():
    """A zone firewall's 'tcp idle-time' and a NAT 'tcp-timeout' in other than ASCII digits are refused by IOS
    (the parameter-map's "tcp idle-time seconds", 1 to 2147483: Cisco IOS Security Command Reference; "ip nat
    translation (timeout)": seconds): the tool must not read a long timer from them (lead, session 29)."""
    from tests.test_hunt5_cisco2 import IOS_ZBF, prn120

    long_nat = IOS_ZBF.replace("tcp-timeout 300", "tcp-timeout never")
    assert prn120(long_nat) == []  # (86400 s read as a timer: the shift is met)
    ar = "\u0668\u0666\u0664\u0660\u0660"  # (Arabic-Indic 86400)
    got = prn120(long_nat.replace("tcp idle-time 86400", "tcp idle-time " + ar))
    assert got and all(status != "pass" for status, _line, _text in got)
    # (the line is reported, not understood; the map's default idle time, 3600 s, is what the device keeps)
    assert got == [("fail", 20, "inspect LONG")]
    got = prn120(IOS_ZBF.replace("tcp-timeout 300", "tcp-timeout " + ar))
    assert got and (25, "ip nat translation tcp-timeout " + ar) in {(line, text) for _s, line, text in got}

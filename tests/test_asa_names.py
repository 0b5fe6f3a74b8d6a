"""Every port, protocol and ICMP-type name the ASA parser knows, against Cisco's own table.

The expected values are transcribed here from Cisco's "Addresses, Protocols, and Ports"
reference (Cisco Secure Firewall ASA Series General Operations CLI Configuration Guide 9.22,
https://www.cisco.com/c/en/us/td/docs/security/asa/asa922/configuration/general/asa-922-general-config/ref-ports.html),
tables "Protocols", "TCP and UDP Ports" (literal, TCP or UDP, value) and "ICMP Types", not read
from the parser's data: a name the ASA spells differently from IANA (``kerberos`` is 750 on the
ASA, not 88; ``radius`` 1645, not 1812) must get the ASA's value, a name valid for one protocol
only is refused with the other (the device rejects ``udp ... eq ssh``), and a name not in the
table is reported, never guessed.
"""

import pytest

from auditor.core.packets import ISet
from parsers.cisco_asa import names as N
from parsers.cisco_asa import parse

HEAD = "ASA Version 9.12(4)\n"

# literal: (value, TCP, UDP), as the "TCP and UDP Ports" table gives them
CISCO_PORTS = {
    "aol": (5190, 1, 0), "bgp": (179, 1, 0), "biff": (512, 0, 1), "bootpc": (68, 0, 1), "bootps": (67, 0, 1),
    "chargen": (19, 1, 0), "cifs": (3020, 1, 1), "citrix-ica": (1494, 1, 0), "cmd": (514, 1, 0),
    "ctiqbe": (2748, 1, 0), "daytime": (13, 1, 0), "discard": (9, 1, 1), "dnsix": (195, 0, 1),
    "domain": (53, 1, 1), "echo": (7, 1, 1), "exec": (512, 1, 0), "finger": (79, 1, 0), "ftp": (21, 1, 0),
    "ftp-data": (20, 1, 0), "gopher": (70, 1, 0), "h323": (1720, 1, 0), "hostname": (101, 1, 0),
    "http": (80, 1, 1), "https": (443, 1, 0), "ident": (113, 1, 0), "imap4": (143, 1, 0), "irc": (194, 1, 0),
    "isakmp": (500, 0, 1), "kerberos": (750, 1, 1), "klogin": (543, 1, 0), "kshell": (544, 1, 0),
    "ldap": (389, 1, 0), "ldaps": (636, 1, 0), "login": (513, 1, 0), "lotusnotes": (1352, 1, 0),
    "lpd": (515, 1, 0), "mobile-ip": (434, 0, 1), "nameserver": (42, 0, 1), "netbios-dgm": (138, 0, 1),
    "netbios-ns": (137, 0, 1), "netbios-ssn": (139, 1, 0), "nfs": (2049, 1, 1), "nntp": (119, 1, 0),
    "ntp": (123, 0, 1), "pcanywhere-data": (5631, 1, 0), "pcanywhere-status": (5632, 0, 1),
    "pim-auto-rp": (496, 1, 1), "pop2": (109, 1, 0), "pop3": (110, 1, 0), "pptp": (1723, 1, 0),
    "radius": (1645, 0, 1), "radius-acct": (1646, 0, 1), "rip": (520, 0, 1), "rsh": (514, 1, 0),
    "rtsp": (554, 1, 0), "secureid-udp": (5510, 0, 1), "sip": (5060, 1, 1), "smtp": (25, 1, 0),
    "snmp": (161, 0, 1), "snmptrap": (162, 0, 1), "sqlnet": (1521, 1, 0), "ssh": (22, 1, 0),
    "sunrpc": (111, 1, 1), "rpc": (111, 1, 1), "syslog": (514, 0, 1), "tacacs": (49, 1, 1),
    "talk": (517, 1, 1), "telnet": (23, 1, 0), "tftp": (69, 0, 1), "time": (37, 0, 1), "uucp": (540, 1, 0),
    "vxlan": (4789, 0, 1), "who": (513, 0, 1), "whois": (43, 1, 0), "www": (80, 1, 1), "xdmcp": (177, 0, 1),
}

# "Protocols" table ("ip" is any protocol)
CISCO_PROTOCOLS = {
    "ah": 51, "eigrp": 88, "esp": 50, "gre": 47, "icmp": 1, "icmp6": 58, "igmp": 2, "igrp": 9, "ipinip": 4,
    "ipsec": 50, "nos": 94, "ospf": 89, "pcp": 108, "pim": 103, "pptp": 47, "sctp": 132, "snp": 109,
    "tcp": 6, "udp": 17,
}

# "ICMP Types" table
CISCO_ICMP = {
    "echo-reply": 0, "unreachable": 3, "source-quench": 4, "redirect": 5, "alternate-address": 6, "echo": 8,
    "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11, "parameter-problem": 12,
    "timestamp-request": 13, "timestamp-reply": 14, "information-request": 15, "information-reply": 16,
    "mask-request": 17, "mask-reply": 18, "traceroute": 30, "conversion-error": 31, "mobile-redirect": 32,
}


def first_rule(line):
    cfg = parse(HEAD + line + "\n", "t.cfg")
    return cfg, cfg.filters["A"].rules[0]


def test_the_parser_knows_exactly_the_names_of_cisco_tables():
    assert set(N.PORTS) == set(CISCO_PORTS)
    assert set(N.PROTOCOLS) == set(CISCO_PROTOCOLS)
    assert set(N.ICMP_TYPES) == set(CISCO_ICMP)


@pytest.mark.parametrize("name", sorted(CISCO_PORTS))
def test_port_name(name):
    value, tcp, udp = CISCO_PORTS[name]
    for proto, valid in (("tcp", tcp), ("udp", udp)):
        cfg, r = first_rule("access-list A extended permit %s any any eq %s" % (proto, name))
        if valid:
            assert not cfg.diagnostics, (proto, name)
            assert r.match.cubes[0].dims[4] == ISet.of(value), (proto, name)
        else:  # the device refuses the name for this protocol
            assert [d.code for d in cfg.diagnostics] == ["CFG300"], (proto, name)
            assert not r.match and r.maybe
    # in a typed port group and a service object too
    kind = "tcp-udp" if tcp and udp else "tcp" if tcp else "udp"
    cfg = parse(HEAD + "object-group service G %s\n port-object eq %s\n" % (kind, name), "t.cfg")
    (g,) = cfg.objects
    assert g.complete and {c.dims[4] for c in g.services.cubes} == {ISet.of(value)}


@pytest.mark.parametrize("name", sorted(CISCO_PROTOCOLS))
def test_protocol_name(name):
    cfg, r = first_rule("access-list A extended permit %s any any" % name)
    assert not cfg.diagnostics
    assert r.match.cubes[0].dims[2] == ISet.of(CISCO_PROTOCOLS[name])


@pytest.mark.parametrize("name", sorted(CISCO_ICMP))
def test_icmp_type_name(name):
    cfg, r = first_rule("access-list A extended permit icmp any any %s" % name)
    ty = CISCO_ICMP[name]
    assert not cfg.diagnostics
    assert r.match.cubes[0].dims[4] == ISet.of(ty * 256, ty * 256 + 255)


@pytest.mark.parametrize("name", ["kerberos-sec", "lpd-printer", "mysql", "rdp", "imap", "dns", "microsoft-ds"])
def test_a_name_not_in_cisco_table_is_reported_not_guessed(name):
    cfg, r = first_rule("access-list A extended permit tcp any any eq %s" % name)
    assert [d.code for d in cfg.diagnostics] == ["CFG300"]
    assert not r.match and r.maybe

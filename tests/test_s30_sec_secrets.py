"""Secrets redaction, session 30 (sec): a community left in clear, and names of ordinary syntax hidden.

* Cisco IOS ``snmp-server host host-addr [traps | informs] [version {1 | 2c | 3 [auth | noauth | priv]}]
  community-string [udp-port port] [notification-type]`` (Cisco, "Configure Supported IOS SNMP Traps", document
  13506): the community stands bare after the host, and a ``udp-port`` or notification type may follow it.  The
  redaction took the word after an IOS host for an ASA's address (``snmp-server host IF IP community X``) and
  showed the community, hiding only what followed it.
* ipset(8): ``create SETNAME TYPENAME [ CREATE-OPTIONS ]``, "TYPENAME := method:datatype[,datatype[,datatype]]"
  (``hash:net``, ``hash:ip,port``), and ipset 4's ``nethash``/``iphash``...: a set's type, which the redaction took
  for a password hash's value (``hash: X``), hiding the set's options from a finding that names the one not
  modelled.
* nft(8), HASH EXPRESSIONS: ``jhash {ip saddr | ...} [. ...] mod NUM [seed NUM] [offset NUM]``, ``symhash mod NUM
  [offset NUM]``: a load-balancing ``dnat to jhash ip saddr mod 2 map { ... }`` was quoted ``dnat to jhash <redacted>``,
  its message (why the line is not understood) cut there too.
* ``bypass:`` in a comment (a proxy bypass) is no password (``pass: X`` and ``dbpass=X`` still are).
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_formats import cli

from auditor.core.secrets import MASK, redact

IOS_HOSTS = [
    "snmp-server host 10.40.0.9 IosCommA1 udp-port 162",
    "snmp-server host 10.40.0.9 IosCommA1 snmp config",
    "snmp-server host 10.40.0.9 traps version 2c IosCommA1 udp-port 1162 config",
    "snmp-server host nms.example.com IosCommA1 udp-port 162",
    "snmp-server host 2001:db8::9 IosCommA1 udp-port 162",
    "no snmp-server host 10.40.0.9 IosCommA1 config",
    "snmp-server host 10.40.0.9 vrf MGMT version 2c IosCommA1 udp-port 162",
    "snmp-server host 10.40.0.9 informs IosCommA1 envmon",
]


@pytest.mark.parametrize("line", IOS_HOSTS)
def test_ios_snmp_host_community_before_more_words_is_hidden(line):
    got = redact(line)
    assert "IosCommA1" not in got
    assert got.startswith(line.split(" IosCommA1")[0].split(" traps")[0].split(" vrf")[0].split(" informs")[0])


@pytest.mark.parametrize("line, kept", [
    ("snmp-server host inside 10.40.0.9 community AsaCommB2 version 2c", "snmp-server host inside 10.40.0.9"),
    ("snmp-server host inside 2001:db8::9 community AsaCommB2", "snmp-server host inside 2001:db8::9"),
])
def test_asa_snmp_host_keeps_its_interface_and_address(line, kept):
    got = redact(line)
    assert "AsaCommB2" not in got and got.startswith(kept)


def test_ios_snmp_host_quoted_by_a_finding_hides_the_community(tmp_path):
    p = tmp_path / "ios.cfg"
    p.write_text("hostname r1\n!\ninterface Gi0/0\n ip address 10.9.9.1 255.255.255.0\n!\n"
                 "ip access-list extended X\n permit tcp any any eq 22 snmp-server host 10.40.0.9 IosCommC3 "
                 "udp-port 162\n!\nend\n")
    for fmt in ("text", "json", "sarif", "markdown", "junit", "github"):
        code, out, err = cli("audit", str(p), "--vendor", "cisco-ios", "--format", fmt)
        assert fmt == "sarif" or "snmp-server host" in out, fmt  # (the line is quoted; SARIF gives its place)
        assert "IosCommC3" not in out + err, fmt


@pytest.mark.parametrize("line", [
    "create BLOCKLIST hash:net family inet hashsize 1024 maxelem 65536",
    "create PRINERGY hash:ip,port family inet hashsize 1024 maxelem 65536 timeout 300",
    "create S hash:net,iface family inet6 hashsize 64 maxelem 1024 comment",
    "ipset create S hash:ip family inet",
    "ipset -N blk nethash --hashsize 1024",
    "add rule ip nat prerouting tcp dport 80 dnat to jhash ip saddr mod 2 map { 0 : 10.20.0.10, 1 : 10.20.0.11 }",
    "        tcp dport 80 dnat to symhash mod 2 map { 0 : 10.20.0.10, 1 : 10.20.0.11 }",
    "        meta mark set jhash ip saddr . tcp sport mod 4 seed 0xfeedcafe offset 1",
    "-A FORWARD -s 10.30.0.0/24 -m comment --comment \"bypass: proxy for the workshop\" -j ACCEPT",
])
def test_ordinary_lines_are_quoted_as_they_are(line):
    assert redact(line) == line


@pytest.mark.parametrize("line, secret", [
    ("create S hash:net comment password IpsetPwD4", "IpsetPwD4"),
    ("ipset -N blk nethash password=IpsetPwD5", "IpsetPwD5"),
    ("create X hash:IpsetPwD6", "IpsetPwD6"),
    ("dnat to jhash ip saddr mod 2 password IpsetPwE3", "IpsetPwE3"),
    ("create X hash: IpsetPwD7", "IpsetPwD7"),
    ("hash: $6$IpsetPwD8", "IpsetPwD8"),
    ("-A INPUT -m comment --comment \"pass: IpsetPwD9\" -j ACCEPT", "IpsetPwD9"),
    ("remark backup dbpass=IpsetPwE1", "IpsetPwE1"),
    ("set comment \"bypass: proxy; pass=IpsetPwE2\"", "IpsetPwE2"),
])
def test_secrets_beside_those_words_stay_hidden(line, secret):
    got = redact(line)
    assert secret not in got and MASK in got


def test_ipset_create_option_not_modelled_is_named(tmp_path):
    p = tmp_path / "rules"
    p.write_text("# Generated by iptables-save v1.8.7\n"
                 "create BLK2 hash:net family inet hashsize 1024 maxelem 65536 frobnicate\n"
                 "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                 "-A FORWARD -m set --match-set BLK2 src -j DROP\nCOMMIT\n")
    code, out, err = cli("audit", str(p), "--vendor", "iptables")
    assert "create option 'frobnicate' is not modelled" in out


def test_nft_jhash_dnat_is_quoted_with_why(tmp_path):
    p = tmp_path / "nft.conf"
    p.write_text("#!/usr/sbin/nft -f\nflush ruleset\ntable ip nat {\n    chain prerouting {\n"
                 "        type nat hook prerouting priority dstnat; policy accept;\n"
                 "        tcp dport 80 dnat to jhash ip saddr mod 2 map { 0 : 10.20.0.10, 1 : 10.20.0.11 }\n"
                 "    }\n}\n")
    code, out, err = cli("audit", str(p))
    assert "| tcp dport 80 dnat to jhash ip saddr mod 2 map { 0 : 10.20.0.10, 1 : 10.20.0.11 }" in out
    assert MASK not in out


assert ROOT  # (the repository: the CLI runs in it)

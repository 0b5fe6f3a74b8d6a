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
* A firewall script's other commands, quoted whole when not understood, gave their secrets as options: ip-xfrm(8)
  ``ALGO := { enc | auth } ALGO-NAME ALGO-KEYMAT | ... | aead ALGO-NAME ALGO-KEYMAT ALGO-ICV-LEN`` (an IPsec SA's
  keys), snmpcmd(1) ``-c COMMUNITY`` / ``-A`` / ``-X`` passphrases, mysql(1) ``-p[password]``, ldapsearch(1) ``-w
  passwd``, smbclient(1) ``-U USER%PASSWORD``, redis-cli ``-a``, openssl-enc(1) ``-k``/``-K``, mongosh ``-p``,
  chpasswd(8)'s "user_name:password" on its standard input.
* Check Point Gaia Administration Guide R80.30, "Change My Password": ``set selfpasswd oldpass <Old Password> passwd
  <New Password>`` ("the passwords are stored as plain text in the command history"): ``oldpass``/``newpass`` name a
  password wherever they stand (a command cut or reordered: ``... oldpass X``).
* FortiOS shows every stored password and private key encrypted after ``ENC`` (FortiManager/FortiAnalyzer, "Secure
  password storage": "Passwords, as well as the private keys used in certificates, are encrypted ... and encoded
  when displayed in the CLI and configuration file"): a setting no secret word names (a release's new one) showed
  its value; and ``diagnose debug config-error-log read`` writes a refused statement's words each in double quotes
  (Fortinet Community, "Technical Tip: How to restore a backup configuration file with private-data-encryption":
  ``>>>  "set" "password" "ENC" "qO9B..." @ 3386:vpn``), which no rule read as a keyword and its value.
* A Junos ``$9$`` string is a keyless, reversible obfuscation (Crypt::Juniper on metacpan: ``juniper_decrypt(
  '$9$LbHX-wg4Z')`` is "lc"), ``$8$`` one keyed by the master password: the hierarchical form without its ``##
  SECRET-DATA`` comments (``authentication-key 1 { type md5; value "$9$X"; }``, as a file saved without them shows
  it) left ``value "$9$X";`` in clear on the page that shows the pasted config.
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
    "iptables -A INPUT -p udp --dport 161 -s 10.40.0.9 -m comment --comment snmpwalk -j ACCEPT",
    "mysql -u root -p prinergy",
    "ip xfrm policy add src 10.0.0.0/24 dst 10.1.0.0/24 dir out tmpl src 1.1.1.1 dst 2.2.2.2 proto esp mode tunnel",
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


@pytest.mark.parametrize("line, secrets", [
    ("ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mode tunnel auth 'hmac(sha256)' 0xCmdK1aa "
     "enc 'cbc(aes)' 0xCmdK2bb", ("CmdK1", "CmdK2")),
    ("ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mode tunnel aead 'rfc4106(gcm(aes))' "
     "0xCmdK3cc 128", ("CmdK3",)),
    ("xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 auth-trunc hmac(sha256) 0xCmdK4dd 128",
     ("CmdK4",)),
    ("snmpwalk -v2c -c CmdC5 10.40.0.9", ("CmdC5",)),
    ("snmpget -v 2c -cCmdC6 10.40.0.9 sysName.0", ("CmdC6",)),
    ("snmpwalk -v3 -l authPriv -u nms -a SHA -A CmdA7pass -x AES -X CmdX8pass 10.40.0.9", ("CmdA7", "CmdX8")),
    ("snmptrap -v 2c -c CmdC9 10.40.0.9 '' 1.3.6.1.6.3.1.1.5.1", ("CmdC9",)),
    ("net-snmp-create-v3-user -ro -A CmdA10pass -a SHA -X CmdX11pass -x AES nms", ("CmdA10", "CmdX11")),
    ("mysql -u root -pCmdP12 prinergy", ("CmdP12",)),
    ("ldapsearch -x -D cn=admin,dc=example -w CmdW13 -b dc=example", ("CmdW13",)),
    ("smbclient //srv/jobs -U admin%CmdU14 -c ls", ("CmdU14",)),
    ("rpcclient -U 'DOM\\admin%CmdU15' 10.20.0.10", ("CmdU15",)),
    ("redis-cli -a CmdR16 ping", ("CmdR16",)),
    ("openssl enc -aes-256-cbc -k CmdO17 -in a -out b", ("CmdO17",)),
    ("mongosh -u admin -p CmdM18 --host db", ("CmdM18",)),
    ("echo 'admin:CmdH19' | chpasswd", ("CmdH19",)),
    ("set selfpasswd oldpass CmdG20 passwd CmdG21", ("CmdG20", "CmdG21")),
    ("set user admin oldpass CmdG22 newpass CmdG23", ("CmdG22", "CmdG23")),
])
def test_a_scripts_command_line_secrets_are_hidden(line, secrets):
    got = redact(line)
    assert MASK in got and not any(s in got for s in secrets), got


def test_firewall_script_quotes_its_other_commands_without_their_secrets(tmp_path):
    p = tmp_path / "fw.sh"
    p.write_text("#!/bin/sh\niptables -P INPUT DROP\niptables -P FORWARD DROP\n"
                 "ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mode tunnel "
                 "auth 'hmac(sha256)' 0xScrK1aa enc 'cbc(aes)' 0xScrK2bb\n"
                 "snmpwalk -v2c -c ScrC3comm 10.40.0.9\n"
                 "iptables -A FORWARD -s 10.30.0.0/24 -d 10.20.0.10 -p tcp --dport 445 -j ACCEPT\n")
    for fmt in ("text", "json", "markdown", "junit", "github"):
        code, out, err = cli("audit", str(p), "--format", fmt)
        assert "xfrm" in out and "snmpwalk" in out, fmt
        assert not any(s in out + err for s in ("ScrK1", "ScrK2", "ScrC3")), fmt


@pytest.mark.parametrize("line, secret", [
    ('>>>  "set" "password" "ENC" "qO9BAPwPxcFgErr1X" @ 3386:vpn', "FgErr1X"),
    ('>>>  "set" "psksecret" "ENC" "FgErr2X" @ 120:vpn.ipsec.phase1-interface', "FgErr2X"),
    ('>>>  "set" "login-passwd" "ENC" "FgErr3X"', "FgErr3X"),
    ("    set mpsk-new-field ENC FgEnc5X", "FgEnc5X"),
    ("set some-setting ENC FgEnc6X", "FgEnc6X"),
])
def test_fortios_enc_values_are_hidden(line, secret):
    got = redact(line)
    assert secret not in got and MASK in got


def test_fortios_enc_as_a_word_of_text_is_kept():
    assert redact('set comments "ENC is on for the job share"') == 'set comments "ENC is on for the job share"'


JUNOS_NTP = """\
system {
    ntp {
        authentication-key 1 {
            type md5;
            value "$9$JunNtpKey1X";
        }
        server 10.40.0.1 key 1;
    }
}
security {
    ike {
        gateway G {
            pre-shared-key {
                ascii-text $8$JunPsk2X;
            }
        }
    }
}
"""


def test_junos_obfuscated_values_are_hidden_without_their_comment():
    from parsers import redact_text

    for shown in (redact(JUNOS_NTP), redact_text(JUNOS_NTP, "junos"), redact_text(JUNOS_NTP)):
        assert "JunNtpKey1X" not in shown and "JunPsk2X" not in shown
        assert "            type md5;" in shown and "        server 10.40.0.1 key" in shown


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

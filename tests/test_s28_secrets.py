"""Secrets the session-28 red team found in clear, each planted where its vendor keeps it and searched
for in every output (every report format, the diagnostics, ``explain``, ``diff``, the config as the page
shows it):

* Junos's multi-line secrets (Junos CLI User Guide, "Display Configuration Data": ``show configuration``
  flags every secret value with ``## SECRET-DATA``): ``pre-shared-key {`` / ``ascii-text "$9$X"; ##
  SECRET-DATA`` (``[edit security ike policy P]``), an IPsec manual SA's ``key {`` / ``hexadecimal
  "$9$X"; ## SECRET-DATA``: the line holding the value has no secret word, and a line quoted as not
  understood showed it.
* FortiOS IS-IS passwords (FortiOS CLI reference, "config router isis": ``set auth-password-l1
  {password}``, ``set auth-password-l2 {password}``; ``config isis-interface``: the same and
  ``auth-password-hello``) and RIP's (FortiOS CLI reference, "config router rip", ``config interface``:
  ``set auth-mode [none|text|md5]``, ``set auth-string {password}``): a secret word before a level's
  suffix, and ``auth-string``, were no secret words of the shared redaction (a FortiOS line pasted into
  another vendor's config, or quoted by a policy, showed them).
* A JSON member or a cloud tag named ``..._pw`` / ``...Pwd`` (``"sql_pw": "X"``, ``{"Key": "DbPwd",
  "Value": "X"}``): ``pw`` and ``pwd`` are password in every other form (``the pw is X``, ``auth-pwd``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_secrets_probe25 import _outputs

from auditor.core.secrets import redact

SECRET = re.compile(r"Zq8[A-Za-z0-9]+x")


@pytest.mark.parametrize("line, kept", [
    ('            ascii-text "$9$Zq8Ja1x"; ## SECRET-DATA', "ascii-text"),
    ('                hexadecimal "$9$Zq8Ja2x"; ## SECRET-DATA', "hexadecimal"),
    ('    value "$9$Zq8Ja3x"; ## SECRET-DATA', "## SECRET-DATA"),
    ('ssh-rsa "ssh-rsa AAAAB3Zq8Ja4x admin@host"; ## SECRET-DATA', "ssh-rsa"),
    ("        set auth-password-l1 ENC Zq8Fa1x", "set auth-password-l1"),
    ("        set auth-password-l2 Zq8Fa2x", "set auth-password-l2"),
    ("            set auth-password-hello ENC Zq8Fa3x", "set auth-password-hello"),
    ("            set auth-string Zq8Fa4x", "set auth-string"),
    ('"sql_pw": "Zq8Pa1x",', '"sql_pw"'),
    ('"sqlpw": "Zq8Pa2x"', '"sqlpw"'),
    ('{"Key": "DbPwd", "Value": "Zq8Pa3x"}', '"DbPwd"'),
    ('{"Value": "Zq8Pa4x", "Key": "admin_pw"}', '"admin_pw"'),
])
def test_each_form_is_masked_by_the_shared_redaction(line, kept):
    shown = redact(line)
    assert SECRET.findall(shown) == [] and kept in shown


def test_words_near_the_new_forms_are_kept():
    for line in ('"tcpwindow": "keep"', '{"Key": "SnapWindow", "Value": "keep"}', "## SECRET-DATA",
                 "set auth-mode-l1 password", "set auth-keychain-l1 KC"):
        assert redact(line) == line


JUNOS = ROOT / "examples/junos-site/srx.conf"
IKE = '''security {
    ike {
        policy IKE-POL {
            mode main;
            pre-shared-key {
                ascii-text "$9$Zq8Jb1x"; ## SECRET-DATA
            }
        }
    }
    ipsec {
        vpn MANUAL {
            manual {
                gateway 198.51.100.9;
                spi 300;
                authentication {
                    algorithm hmac-sha1-96;
                    key {
                        hexadecimal "$9$Zq8Jb2x"; ## SECRET-DATA
                    }
                }
            }
        }
    }
'''


def test_junos_secret_data_lines_reach_no_output():
    """The block's lines misplaced in a policy's ``then`` (quoted as not understood) and in place."""
    text = JUNOS.read_text().replace("security {\n", IKE, 1)
    text = text.replace("                then {\n                    deny;\n",
                        "                then {\n                    deny;\n                    pre-shared-key {\n"
                        '                        ascii-text "$9$Zq8Jb3x"; ## SECRET-DATA\n'
                        "                    }\n", 1)
    assert len(SECRET.findall(text)) == 3
    outputs = "\n".join(_outputs(JUNOS, text))
    assert "ascii-text <redacted>; ## SECRET-DATA" in outputs  # (the misplaced line is quoted, its value hidden)
    assert SECRET.findall(outputs) == []


FORTI = ROOT / "examples/fortios-site/fortigate.conf"
FORTI_ROUTING = '''config router rip
    config interface
        edit "office"
            set auth-mode text
            set auth-string Zq8Fb1x
        next
    end
end
config router isis
    set auth-mode-l1 password
    set auth-password-l1 ENC Zq8Fb2x
    set auth-password-l2 ENC Zq8Fb3x
    config isis-interface
        edit "office"
            set auth-password-hello ENC Zq8Fb4x
        next
    end
end
config firewall policy
    edit 77
        set srcintf "office"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
        set auth-string Zq8Fb5x
    next
end
'''


def test_fortios_routing_passwords_reach_no_output():
    text = FORTI.read_text() + FORTI_ROUTING
    assert len(SECRET.findall(text)) == 5
    outputs = "\n".join(_outputs(FORTI, text))
    assert "set auth-string <redacted>" in outputs  # (the policy's setting is quoted as not understood)
    assert SECRET.findall(outputs) == []


def test_fortios_lines_pasted_into_an_ios_config_reach_no_output():
    path = ROOT / "examples/ios-site/ios.cfg"
    text = path.read_text() + "".join("  set %s Zq8Ic%dx\n" % (k, i) for i, k in enumerate(
        ("auth-string", "auth-password-l1", "auth-password-l2", "auth-password-hello")))
    outputs = "\n".join(_outputs(Path(path), text))
    assert "set auth-string <redacted>" in outputs
    assert SECRET.findall(outputs) == []


def test_a_panos_http_profiles_password_beside_its_header_value_is_masked():
    """A PAN-OS HTTP server profile written on one line (PAN-OS XML API, ``/config/shared/server-profile/http``:
    ``<server><entry><password>``, ``<format><traffic><headers><entry><value>``): the header's value line, which
    its block makes secret, was quoted with only the value masked, the server's password beside it in clear."""
    path = ROOT / "examples/panos-site/running-config.xml"
    line = ('      <server-profile><http><entry name="H"><server><entry name="h"><address>10.40.0.5</address>'
            '<username>u</username><password>Zq8Hp1x</password></entry></server><format><traffic><headers>'
            '<entry name="Authorization"><value>Bearer Zq8Hp2x</value></entry></headers></traffic></format>'
            '</entry></http></server-profile>\n')
    text = path.read_text().replace("<shared>\n", "<shared>\n" + line, 1)
    assert redact(text).count("Zq8") == 0
    outputs = "\n".join(_outputs(path, text))
    assert "<password><redacted></password>" in outputs and SECRET.findall(outputs) == []


@pytest.mark.parametrize("line, shown", [
    ("aaa-server TAC (inside) host 10.40.0.9 Zq8Aa1x", "aaa-server TAC (inside) host 10.40.0.9 <redacted>"),
    ("aaa-server TAC (inside) host 10.40.0.9 Zq8Aa2x timeout 5", "aaa-server TAC (inside) host 10.40.0.9 <redacted>"),
    ("no aaa-server RAD host srv1 Zq8Aa3x", "no aaa-server RAD host srv1 <redacted>"),
    ("aaa-server TAC (inside) host 10.40.0.9 timeout 5", "aaa-server TAC (inside) host 10.40.0.9 timeout 5"),
    ("aaa-server TAC (inside) host 10.40.0.9", "aaa-server TAC (inside) host 10.40.0.9"),
    ("aaa-server TAC protocol tacacs+", "aaa-server TAC protocol tacacs+"),
])
def test_an_asa_aaa_servers_key_on_its_host_line_is_masked(line, shown):
    """Cisco ASA command reference, ``aaa-server host``: ``aaa-server server_tag [(interface_name)] host {server_ip |
    name} [key] [timeout seconds]`` (CIS Cisco ASA 9.x benchmark 1.4.2.1 writes ``aaa-server <group> (<interface>)
    host <ip> <shared_key>``): the key is a bare word after the address, which no word names."""
    assert redact(line) == shown


def test_an_asa_aaa_servers_key_reaches_no_output():
    path = ROOT / "examples/prinergy-site/asa.cfg"
    text = path.read_text() + "aaa-server TAC protocol tacacs+\naaa-server TAC (inside) host 10.40.0.9 Zq8Ab1x\n"
    assert SECRET.findall("\n".join(_outputs(path, text))) == []


def test_pretty_printed_cloud_tags_named_pw_reach_no_output():
    """``aws ec2 describe-security-groups`` writes each tag's ``Key`` and ``Value`` on lines of their own: the value
    is masked by its sibling's name (``secret_lines``), whose words lacked ``pw``/``pwd``."""
    import json

    path = ROOT / "tests/fixtures/corpus/aws/bf-hybrid-cloud-SecurityGroups.json"
    doc = json.loads(path.read_text())
    doc["SecurityGroups"][0]["Tags"] = [{"Key": "DbPwd", "Value": "Zq8Tg1x"}, {"Key": "admin_pw", "Value": "Zq8Tg2x"}]
    text = json.dumps(doc, indent=4)
    assert SECRET.findall("\n".join(_outputs(path, text))) == []


@pytest.mark.parametrize("line, shown", [
    (r"net use \\10.20.0.10\jobs Zq8Nu1x /user:PRN\admin", r"net use \\10.20.0.10\jobs <redacted> /user:PRN\admin"),
    (r"NET USE J: \\prn01\jobs Zq8Nu2x /persistent:no /user:PRN\op",
     r"NET USE J: \\prn01\jobs <redacted> /persistent:no /user:PRN\op"),
    (r"net use \\prn01\jobs /user:PRN\admin Zq8Nu3x", r"net use \\prn01\jobs /user:PRN\admin <redacted>"),
    (r"net use J: \\prn01\jobs /user:PRN\admin *", r"net use J: \\prn01\jobs /user:PRN\admin *"),
    (r"net use J: \\prn01\jobs /savecred", r"net use J: \\prn01\jobs /savecred"),
    (r"net use J: /delete", r"net use J: /delete"),
])
def test_a_net_use_password_is_masked(line, shown):
    """Microsoft Learn, Windows Commands, "net use": ``net use [{<DeviceName> | *}] [\\\\<ComputerName>\\<ShareName>
    [{<Password> | *}]] [/user:[<DomainName>\\]<UserName>] ...``: the password is a bare word after the share."""
    assert redact(line) == shown


def test_a_net_use_password_in_a_netsh_script_reaches_no_output(tmp_path):
    path = tmp_path / "rules.bat"
    path.write_text('netsh advfirewall firewall add rule name="SMB in" dir=in action=allow protocol=TCP localport=445 '
                    'remoteip=10.30.0.0/24\n')
    text = path.read_text() + r"net use J: \\10.20.0.10\jobs Zq8Nu4x /user:PRN\admin" "\n"
    assert SECRET.findall("\n".join(_outputs(path, text))) == []


@pytest.mark.parametrize("line, shown", [
    ("<ldap_bindpw><![CDATA[Zq8Cd1x&y]]></ldap_bindpw>", "<ldap_bindpw><![CDATA[<redacted>]]></ldap_bindpw>"),
    ("\t<pre-shared-key><![CDATA[Zq8Cd2x<]]></pre-shared-key>",
     "\t<pre-shared-key><![CDATA[<redacted>]]></pre-shared-key>"),
    ("<phash><![CDATA[Zq8Cd3x", "<phash><![CDATA[<redacted>"),
    ("<key><value><![CDATA[Zq8Cd4x&]]></value></key>", "<key><value><redacted></value></key>"),
    ("<descr><![CDATA[keep & this]]></descr>", "<descr><![CDATA[keep & this]]></descr>"),
])
def test_a_secret_elements_cdata_section_is_masked(line, shown):
    """pfSense's config.xml writes a value holding '<', '>' or '&' in a CDATA section (a password's
    ``<ldap_bindpw><![CDATA[X&Y]]></ldap_bindpw>``): the line-by-line redaction read only text that is no section."""
    assert redact(line) == shown


def test_pfsense_cdata_secrets_pasted_into_an_ios_config_reach_no_output():
    path = ROOT / "examples/ios-site/ios.cfg"
    text = path.read_text() + ("<ldap_bindpw><![CDATA[Zq8Ce1x&]]></ldap_bindpw>\n"
                               "<pre-shared-key><![CDATA[Zq8Ce2x]]></pre-shared-key>\n<key>\n<![CDATA[Zq8Ce3x]]>\n</key>\n")
    assert SECRET.findall("\n".join(_outputs(path, text))) == []


@pytest.mark.parametrize("line, shown", [
    ("curl -u admin:Zq8Cu1x https://10.40.0.5/api", "curl -u admin:<redacted> https://10.40.0.5/api"),
    ('curl -s --user "feed:Zq8Cu2x" -o /tmp/bl.txt https://h/', 'curl -s --user "feed:<redacted>" -o /tmp/bl.txt https://h/'),
    ("# curl -U proxy:Zq8Cu3x -x http://p:3128 h", "# curl -U proxy:<redacted> -x http://p:3128 h"),
    ("sshpass -p Zq8Cu4x ssh admin@10.40.0.5", "sshpass -p <redacted> ssh admin@10.40.0.5"),
    ("curl -fsSL https://h/list.txt -o /tmp/l", "curl -fsSL https://h/list.txt -o /tmp/l"),
    ("curl -u admin https://h/", "curl -u admin https://h/"),
])
def test_command_line_credentials_in_a_script_are_masked(line, shown):
    """An ``iptables -A ...`` script is a shell script: curl's manual, "-u, --user <user:password>" (and
    ``-U, --proxy-user``); sshpass's manual, "-p password: The password is given on the command line"."""
    assert redact(line) == shown


def test_command_line_credentials_in_an_iptables_script_reach_no_output(tmp_path):
    path = tmp_path / "fw.sh"
    path.write_text("#!/bin/sh\niptables -P INPUT DROP\n"
                    "iptables -A INPUT -s 10.30.0.0/24 -p tcp --dport 445 -j ACCEPT\n")
    text = path.read_text() + ("curl -s -u feed:Zq8Cv1x https://10.40.0.5/bl.txt -o /tmp/bl\n"
                               "sshpass -p Zq8Cv2x scp /tmp/bl admin@10.40.0.6:/tmp/\n")
    assert SECRET.findall("\n".join(_outputs(path, text))) == []

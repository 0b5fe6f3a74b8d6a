"""Secrets the session-29 red team found in clear (``redact``, and every output of a config holding them):

* Windows command lines (Microsoft Learn, Windows Commands, "net use": ``net use [{<DeviceName> | *}]
  [\\\\<ComputerName>\\<ShareName> [{<Password> | *}]] [/user:...] [/savecred] [/persistent:{yes | no}]``; "net
  user": ``net user [<UserName> {<Password> | *} [<Options>]] [/domain]``): a password after the options
  (``net use \\\\srv\\share /user:DOM\\u /persistent:no X``), a quoted one, ``NET.EXE USE``, and ``net user NAME X
  /add`` were shown; so were schtasks's ``/rp X`` and ``/p X`` ("schtasks create": ``/rp <password>``, the password
  of the ``/ru`` account; ``/p <password>`` of ``/u`` on a remote ``/s``) and PsExec's ``-p X`` (Sysinternals PsExec:
  "-p Specifies optional password for user name").
* ``pass=X`` / ``pass: X`` in a remark, comment or description of every vendor (``pass`` alone was no secret word:
  pf's ``pass in ...`` is an action, and stays as it is).
* A webhook's URL, whose path is its key (Slack "Sending messages using incoming webhooks":
  ``https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX``; Discord's
  ``/api/webhooks/ID/TOKEN``; FortiOS CLI reference, ``config system automation-action``: ``set uri
  {var-string}``, written without a scheme; PAN-OS's HTTP server profile, Device > Server Profiles > HTTP, whose
  "URI Format" is the path alone, ``/services/T.../B.../X``, the address ``hooks.slack.com`` elsewhere: its URI
  format is hidden whole, not only its query string), and a Telegram bot's token (Telegram Bot API:
  ``https://api.telegram.org/bot<token>/METHOD_NAME``).
* A machine's user data (EC2 API reference, ``RunInstances``/``RequestLaunchTemplateData``: ``UserData``, "The
  user data to make available to the instance ... base64-encoded"; Terraform's ``user_data_base64``; an Azure VM's
  ``osProfile.customData``): base64 hides every word that would show a secret inside it.
* A password named in German, Dutch, Spanish, Portuguese or French (``Kennwort: X``, ``mot de passe: X``).
* PHP's forms of pfSense's and OPNsense's config arrays (PHP manual: ``var_export`` writes ``'password' => 'X'``,
  ``print_r`` ``[password] => X``, ``var_dump`` ``["password"]=> string(1) "X"``, ``serialize``
  ``s:8:"password";s:1:"X";``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_secrets_probe25 import _outputs

from auditor.core.secrets import redact

SECRET = re.compile(r"Zq9[A-Za-z0-9]+x")


@pytest.mark.parametrize("line, shown", [
    (r"net use \\srv\share /user:DOM\u /persistent:no Zq9Nu1x", r"net use \\srv\share /user:DOM\u /persistent:no "
                                                                r"<redacted>"),
    (r'net use "Z:" "\\srv\jobs share" "Zq9Nu2x" /user:u@dom /savecred & echo ok',
     r'net use "Z:" "\\srv\jobs share" <redacted> /user:u@dom /savecred & echo ok'),
    (r"net user svc_prinergy Zq9Nu4x /add /passwordchg:no", r"net user svc_prinergy <redacted> /add /passwordchg:no"),
    (r"schtasks /create /tn Backup /tr C:\b.cmd /sc daily /ru PRN\svc /rp Zq9St1x",
     r"schtasks /create /tn Backup /tr C:\b.cmd /sc daily /ru PRN\svc /rp <redacted>"),
    (r"schtasks /create /s srv01 /u PRN\admin /p Zq9St2x /tn t /tr x",
     r"schtasks /create /s srv01 /u PRN\admin /p <redacted> /tn t /tr x"),
    (r"psexec \\srv01 -u PRN\admin -p Zq9St3x netsh advfirewall set allprofiles state on",
     r"psexec \\srv01 -u PRN\admin -p <redacted> netsh advfirewall set allprofiles state on"),
    (r'PsExec64.exe -s -u a -p "Zq9 St4x" cmd', r"PsExec64.exe -s -u a -p <redacted> cmd"),
    (r"cmdkey /add:srv01 /user:PRN\svc /pass:Zq9Ck1x", r"cmdkey <redacted>"),  # (its 'key': all of it)
    (r"schtasks /create /tn t /tr x /ru SYSTEM", r"schtasks /create /tn t /tr x /ru SYSTEM"),
    (r"net use \\srv\share /user:DOM\u *", r"net use \\srv\share /user:DOM\u *"),  # (the prompt: no password)
    (r"net user svc_prinergy * /domain", r"net user svc_prinergy * /domain"),
    (r"net use Z: /delete", r"net use Z: /delete"),
])
def test_a_windows_command_lines_password_is_masked_wherever_it_stands(line, shown):
    assert redact(line) == shown


@pytest.mark.parametrize("line, shown", [
    (r"NET.EXE USE LPT1: \\srv\printer Zq9Nu3x", r"NET.EXE USE LPT1: \\srv\printer <redacted>"),
    (r"net user administrator Zq9Nu5x", r"net user administrator <redacted>"),
])
def test_a_net_command_with_no_trigger_word_is_masked_too(line, shown):
    assert redact(line) == shown


@pytest.mark.parametrize("line, kept", [
    ("access-list WORKSHOP_IN remark backup pass=Zq9Cm1x", "access-list WORKSHOP_IN remark backup pass="),
    ('-A INPUT -p tcp --dport 22 -m comment --comment "svc pass=Zq9Cm2x" -j ACCEPT', "-m comment --comment"),
    ('        tcp dport 22 accept comment "pass: Zq9Cm3x"', "tcp dport 22 accept comment"),
    ('        set comments "Pass = Zq9Cm4x"', "set comments"),
    ("              <description>pass=Zq9Cm5x</description>", "<description>"),
    ('        description "pass=Zq9Cm6x";', "description"),
    ("    /* nas pass=Zq9Cm7x */", "/* nas pass="),
    ('            "comments": "pass=Zq9Cm8x",', '"comments"'),
    ('       "Description": "temp pass:Zq9Cm9x"', '"Description"'),
    ("\t\t\t<descr><![CDATA[ftp pass=Zq9Cm10x]]></descr>", "<descr>"),
])
def test_pass_before_an_equals_sign_or_a_colon_is_a_secret_in_every_vendors_comment(line, kept):
    shown = redact(line)
    assert SECRET.findall(shown) == [] and kept in shown


@pytest.mark.parametrize("line, shown", [
    ("access-list WORKSHOP_IN remark Kennwort: Zq9Lg1x", "access-list WORKSHOP_IN remark Kennwort: <redacted>"),
    ('    set comments "NAS Passwort=Zq9Lg2x"', '    set comments "NAS Passwort=<redacted>'),
    ('        description "wachtwoord Zq9Lg3x";', '        description "wachtwoord <redacted>'),
    ('comment "contraseña: Zq9Lg4x"', 'comment "contraseña: <redacted>'),
    ("remark senha Zq9Lg5x", "remark senha <redacted>"),
    ("remark mot de passe: Zq9Lg6x", "remark mot de passe: <redacted>"),
    ('"Kennwort": "Zq9Lg7x",', '"Kennwort": "<redacted>",'),
])
def test_a_password_named_in_another_language_is_masked(line, shown):
    """Prinergy runs at print sites the world over, and a remark is written in the site's language."""
    assert redact(line) == shown


@pytest.mark.parametrize("line, shown", [
    ("https://hooks.slack.com/services/T0AAA/B0BBB/Zq9Wh1x", "https://hooks.slack.com/<redacted>"),
    ('    set uri "hooks.slack.com/services/T0AAA/B0BBB/Zq9Wh2x"', '    set uri "hooks.slack.com/<redacted>"'),
    ('"webhook_url": "https://discord.com/api/webhooks/123/Zq9Wh3x"',
     '"webhook_url": "https://discord.com/api/webhooks/<redacted>"'),
    ("https://acme.webhook.office.com/webhookb2/a@b/IncomingWebhook/1/Zq9Wh4x", "https://acme.webhook.office.com/"
                                                                              "<redacted>"),
    ("<url-format>/services/T0AAA/B0BBB/Zq9Wh6x</url-format>", "<url-format><redacted></url-format>"),
    ("set shared server-profile http slack format traffic url-format /services/T0/B0/Zq9Wh7x",
     "set shared server-profile http slack format traffic url-format <redacted>"),
    ('            url-format "/services/T0/B0/Zq9Wh8x";', '            url-format "<redacted>";'),
    ("https://api.telegram.org/bot123456:Zq9Wh5x/sendMessage", "https://api.telegram.org/bot123456:<redacted>/"
                                                               "sendMessage"),
    ('"UserData": "IyEvYmluL2Jhc2gKZWNobyBaccq9Zq9Ud1x"', '"UserData": "<redacted>"'),
    ('user_data_base64 = "IyEvYmluL2Jhc2gKZq9Ud2x"', "user_data_base64 = <redacted>"),
    ('"customData": "IyEvYmluL2Jhc2gKZq9Ud3x"', '"customData": "<redacted>"'),
    ('a:2:{s:8:"username";s:5:"admin";s:8:"password";s:9:"Zq9Ph1x";}',
     'a:2:{s:8:"username";s:5:"admin";s:8:"password";s:9:<redacted>'),
    ("$config['system']['user'][0]['password'] = 'Zq9Ph2x';", "$config['system']['user'][0]['password'] = <redacted>"),
    ("    'ipsecpsk' => 'Zq9Ph3x',", "    'ipsecpsk' => <redacted>"),
    ("    [radius_secret] => Zq9Ph4x", "    [radius_secret] => <redacted>"),
    ('  ["ldap_bindpw"]=> string(7) "Zq9Ph5x"', '  ["ldap_bindpw"]=> <redacted>'),
])
def test_webhooks_user_data_and_php_arrays_are_masked(line, shown):
    assert redact(line) == shown


@pytest.mark.parametrize("line", [
    "pass in on em0 proto tcp from any to any port 22",  # (pf's action)
    "pass out quick inet6 proto ipv6-icmp all icmp6-type { echosolicit }",
    "        type filter hook input priority 0; policy drop;",  # (nft's hook)
    '    set uri "example.com/api/v1/notify"',
    's:5:"descr";s:5:"hello";',
    "internet user guide",
    "remark passport office",
])
def test_words_near_the_new_forms_are_kept(line):
    assert redact(line) == line


def _planted(path: Path, anchor: str, line: str) -> str:
    text = path.read_text()
    assert anchor in text
    return text.replace(anchor, anchor + line, 1)


CORPUS = ROOT / "tests/fixtures/corpus"
PLANTED = [
    (ROOT / "examples/prinergy-site/asa.cfg",
     "access-list WORKSHOP_IN remark Prinergy Workshop clients to the servers\n",
     "access-list WORKSHOP_IN remark backup pass=Zq9Pl1x\n"),
    (CORPUS / "iptables/aerleon-speedway.ipt", ":INPUT DROP [0:0]\n",
     '-A INPUT -p tcp --dport 2222 -m comment --comment "svc pass=Zq9Pl2x" -j ACCEPT\n'),
    (CORPUS / "nftables/aerleon-nftables.nft", "        ct state established,related accept\n",
     '        tcp dport 2222 accept comment "pass: Zq9Pl3x"\n'),
    (ROOT / "examples/fortios-site/fortigate.conf", '        set comments "ransomware containment"\n',
     '        set comments "pass=Zq9Pl4x"\n'),
    (ROOT / "examples/panos-site/running-config.xml", "<description>left from the 2019 migration</description>",
     "<description>pass=Zq9Pl5x</description>"),
    (ROOT / "examples/junos-site/srx.conf", '        description "workshop clients";\n',
     '        description "pass=Zq9Pl6x";\n'),
    (CORPUS / "azure/bf-NetworkSecurityGroupTest.json",
     '"description": "Allow inbound traffic from all VMs in VNET",\n',
     '          "comment": "pass=Zq9Pl7x",\n'),
    (ROOT / "examples/panos-site/running-config.xml", "<shared>\n",
     '      <server-profile><http><entry name="slack"><server><entry name="s"><address>hooks.slack.com</address>'
     "<protocol>HTTPS</protocol><port>443</port></entry></server><format><traffic>"
     "<url-format>/services/T0/B0/Zq9Pl9x</url-format></traffic></format></entry></http></server-profile>\n"),
    (ROOT / "examples/pfsense-site/config.xml", "<descr><![CDATA[OFFICE]]></descr>\n",
     "\t\t\t<webhook>https://hooks.slack.com/services/T0/B0/Zq9Pl8x</webhook>\n"),
]


@pytest.mark.parametrize("k", range(len(PLANTED)), ids=[p[0].name for p in PLANTED])
def test_a_secret_planted_in_a_comment_reaches_no_output(k):
    path, anchor, line = PLANTED[k]
    text = _planted(path, anchor, line)
    assert SECRET.findall(text)
    assert SECRET.findall("\n".join(_outputs(path, text))) == []


def test_ec2_user_data_and_a_description_with_pass_reach_no_output():
    """``aws ec2 describe-security-groups`` with a rule's ``Description`` holding ``pass=X``, and the instances'
    ``UserData`` beside them (``describe-instance-attribute --attribute userData``: ``{"UserData": {"Value":
    BASE64}}``), pretty-printed and compact."""
    path = CORPUS / "aws/bf-hybrid-cloud-SecurityGroups.json"
    doc = json.loads(path.read_text())
    doc["SecurityGroups"][0]["IpPermissions"][0]["IpRanges"][0]["Description"] = "nas pass=Zq9Aw1x"
    doc["UserData"] = {"Value": "IyEvYmluL2Jhc2gKZq9Aw2x"}
    for text in (json.dumps(doc, indent=4), json.dumps(doc)):
        assert len(SECRET.findall(text)) == 2
        assert SECRET.findall("\n".join(_outputs(path, text))) == []

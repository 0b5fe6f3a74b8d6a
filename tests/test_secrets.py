"""No password, key or SNMP community from a config reaches any output."""

import subprocess
import sys

import pytest
from conftest import ROOT

from auditor.core.secrets import MASK, context_lines, redact, secret_tag

CFG = ROOT / "examples/prinergy-site/asa.cfg"
SECRETS = ["8Ry2YjIyt7RRXU24", "2KFQnbNIdI.2KYOU", "Pr1nergyRadiusK3y", "s3cretCommunity", "Sup3rSecretPSK",
           "Q2hhbmdlTWUxMjM="]


def test_example_contains_the_secrets_we_look_for():
    text = CFG.read_text()
    assert all(s in text for s in SECRETS)


def _outputs(tmp_path):
    outs = []
    site = str(ROOT / "examples/prinergy-site/site.yaml")
    for args in (["audit", str(CFG), "--site", site, "--format", "sarif"],
                 ["audit", str(CFG), "--site", site, "--format", "markdown"],
                 ["audit", str(CFG), "--site", site, "--format", "junit"],
                 ["audit", str(CFG), "--site", site, "--format", "github"],
                 ["diff", str(ROOT / "examples/change/before.cfg"), str(CFG), "--site", site, "--format", "json"],
                 ["audit", str(CFG), "--site", str(ROOT / "examples/prinergy-site/site.yaml")],
                 ["audit", str(CFG), "--format", "json", "--role", "primary=10.20.0.10"],
                 ["explain", str(CFG), "--src", "10.20.0.5", "--dst", "1.1.1.1", "--format", "json"]):
        p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=ROOT)
        outs.append(p.stdout.decode() + p.stderr.decode())
    # every line of the config quoted as if it were unrecognized
    bad = tmp_path / "bad.cfg"
    bad.write_text("ASA Version 9.1\n" + "\n".join("zzz " + line for line in CFG.read_text().splitlines()) + "\n")
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", str(bad), "--format", "json"],
                       capture_output=True, cwd=ROOT)
    outs.append(p.stdout.decode() + p.stderr.decode())
    return outs


def test_no_secret_in_any_output(tmp_path):
    for out in _outputs(tmp_path):
        for s in SECRETS:
            assert s not in out


def hides_only_secrets(cases: dict[str, str], plain: list[str]) -> None:
    """``redact`` hides each case's secret (line -> secret) and leaves each plain line as it is."""
    for line, secret in cases.items():
        assert secret not in redact(line), line
    for line in plain:
        assert redact(line) == line


def test_redact_forms():
    cases = {
        "enable password 8Ry2YjIyt7RRXU24 encrypted": "8Ry2YjIyt7RRXU24",
        "username bob password abc123 privilege 15": "abc123",
        "snmp-server community public123 RO": "public123",
        "snmp-server host inside 10.0.0.5 community pub456 version 2c": "pub456",
        "snmp-server host 10.0.0.5 version 2c pub789": "pub789",
        " ikev1 pre-shared-key MyPsK": "MyPsK",
        " key radiuskey": "radiuskey",
        "ntp authentication-key 1 md5 ntpsecret": "ntpsecret",
        '"Password": "hunter2"': "hunter2",
        "set psksecret ENC abcdef": "abcdef",
        "tacacs-server key 7 0822455D0A16": "0822455D0A16",
    }
    hides_only_secrets(cases, ["access-list A extended permit tcp any any eq 80"])


def test_fast_secret_trigger_agrees_with_the_regular_expression():
    # the ASCII fast path of redact's pre-check must skip exactly the lines the regular expression skips
    import random

    from auditor.core import secrets

    rnd = random.Random(7)
    alphabet = "pasSKEYkcmuniTOsh5d1t oPn-=:/brRHhcdl\"\u017f\u212a"
    for _ in range(20000):
        line = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 24)))
        assert secrets._may_hold_secret(line) == (secrets._TRIGGER.search(line) is not None), line


def test_redact_forms_a_line_prefix_or_an_abbreviation_used_to_leak():
    cases = {
        # an SNMP host line after other words (a change request's 'no', an unknown line quoted whole)
        "no snmp-server host 10.0.0.5 version 2c pubNo1": "pubNo1",
        "zzz snmp-server host 10.0.0.5 informs version 2c pubZz2": "pubZz2",
        # 'pw' and 'pwd' for password: in a description, a setting, an element
        " description the pw is Desc3x": "Desc3x",
        "set auth-pwd ENC Fort4x": "Fort4x",
        "<ldap_bindpw>Bind5x</ldap_bindpw>": "Bind5x",
        '"ldap_bindpwd": "Json6x"': "Json6x",
    }
    hides_only_secrets(cases, ['      "kind": "redundant-upward"', "snmp-server enable traps",
                               " description upward link"])


def test_redact_forms_of_snmp_community_names_json_auth_keys_and_open_xml_elements():
    cases = {
        # Junos SNMPv3's community string, PAN-OS's in both forms
        ' community-name "$9$Junos7x";': "$9$Junos7x",
        "set deviceconfig system snmp-setting access-setting version v2c snmp-community-string PanSet8x": "PanSet8x",
        "<snmp-community-string>PanXml9x</snmp-community-string>": "PanXml9x",
        # JSON members naming an authentication key
        '"auth-key": "Json10x"': "Json10x",
        '"authentication-key": "Json11x",': "Json11x",
        # an Azure VPN connection's shared key, a storage account's key (ARM templates)
        '"sharedKey": "Json13x",': "Json13x",
        '"storageAccountKey": "Json14x"': "Json14x",
        # 'pass' ending a name (db_pass, smtp_pass, an OpenVPN client's <auth_pass>), a JSON passcode
        '"db_pass": "Json15x"': "Json15x",
        "smtp_pass Kv16x": "Kv16x",
        "<auth_pass>Xml17x</auth_pass>": "Xml17x",
        '"passcode": "Json18x"': "Json18x",
        # JSON inside a JSON string (a description)
        '"Description": "{\\"password\\": \\"Esc19x\\", \\"user\\": \\"bob\\"}"': "Esc19x",
        # an element whose value runs over several lines (a private key): its first line
        "        <private-key>-----BEGIN RSA PRIVATE KEY-----Open12x": "Open12x",
    }
    hides_only_secrets(cases, ['{"Key": "Name", "Value": "web"}', "<entry name='k'>", "<description>web</description>",
                               '"KeyName": "web"', '"publicKey": "ssh-ed25519 AAAA"', "<type>pass</type>",
                               "pass in quick on em0 proto tcp from any to any port 445", '"bypass": "yes"',
                               '"Description": "{\\"Key\\": \\"Name\\"}"'])


def test_a_message_quoting_a_word_its_line_hides_hides_it_too():
    # (the keyword that makes the word secret stands before it in the line, not in the message)
    from auditor.api import load_config

    ipt = ("*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -d community Ipt1Secret -j ACCEPT\n"
           "-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n")
    forti = ('config firewall policy\n    edit 1\n        set srcintf "port1"\n        set dstintf "port2"\n'
             '        set srcaddr "all"\n        set dstaddr "all" password "Forti2Secret"\n        set action accept\n'
             '        set schedule "always"\n        set service "ALL"\n    next\nend\n')
    for name, text, secret in (("fw.rules", ipt, "Ipt1Secret"), ("fw.conf", forti, "Forti2Secret")):
        said = [d.message + " | " + d.source.text for d in load_config(name, "auto", text=text).diagnostics]
        assert said and [m for m in said if secret in m] == [], said


def test_a_message_quoting_a_word_another_line_hides_hides_it_too():
    # (a service's bad port range is reported at the policy that uses it)
    from auditor.api import load_config

    text = (ROOT / "examples/fortios-site/fortigate.conf").read_text().replace(
        "set tcp-portrange 1024-9000", "set tcp-portrange 1024-9000 md5:Forti3Secret", 1)
    assert "Forti3Secret" in text
    said = [d.message + " | " + d.source.text for d in load_config("fw.conf", "fortios", text=text).diagnostics]
    assert [m for m in said if "port range" in m]
    assert [m for m in said if "Forti3Secret" in m] == []


def test_a_private_keys_lines_are_never_quoted():
    # (base64 that no word marks as secret: inside a PEM block, wherever it stands)
    from auditor.api import load_config

    pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIEvQIBADANPem1Secret\nQkFTRTY0Pem2Secret\n" \
          "-----END ENCRYPTED PRIVATE KEY-----"
    shown = redact("pasted:\n" + pem + "\nrest")
    assert "Pem1Secret" not in shown and "Pem2Secret" not in shown and shown.endswith("-----\nrest")
    text = CFG.read_text() + "banner motd " + pem + "\n"
    cfg = load_config("asa.cfg", "cisco-asa", text=text)
    said = [d.message + " | " + d.source.text for d in cfg.diagnostics]
    assert [m for m in said if "redacted" in m] and not [m for m in said if "Pem1Secret" in m or "Pem2Secret" in m]


def test_a_diagnostics_scope_hides_what_its_line_hides():
    # (the lines inside an object not understood are shown as affecting that object, by name)
    from auditor.api import load_config

    text = CFG.read_text() + "object password Obj1Secret\n description x\n"
    cfg = load_config("asa.cfg", "cisco-asa", text=text)
    scoped = [d for d in cfg.diagnostics if d.source.line > len(CFG.read_text().splitlines())]
    assert len(scoped) == 2
    assert [d for d in scoped if "Obj1Secret" in d.message + d.scope] == []


# --- what only a line's context makes secret, whatever vendor reads the text -----------------------

def test_a_fortios_snmp_block_masks_every_value_to_its_own_end():
    # FortiOS CLI reference, "config system snmp community": "set name" is the community name (the
    # string an SNMP manager must send); nested "config hosts" blocks end inside it
    text = ("interface Gi0/0\n"
            "config system snmp community\n"
            "    edit 1\n"
            '        set name "CommA1X"\n'
            "        config hosts\n"
            "            edit 1\n"
            "                set ip 10.40.0.9 255.255.255.255\n"
            "            next\n"
            "        end\n"
            '        set events cpu-high\n'
            "    next\n"
            "end\n"
            'set name "not-a-secret"\n')
    lines = text.splitlines()
    got = context_lines(lines, text)
    assert sorted(got) == list(range(2, 11))  # (from "edit 1" to the last "next": the block's own "end" is not)
    assert got[3] == "        set name <redacted>" and got[6] == "                set ip <redacted>"
    assert got[2] == "    edit 1" and got[8] == "        end"
    assert "CommA1X" not in redact(text) and 'set name "not-a-secret"' in redact(text)


def test_an_unclosed_snmp_block_runs_to_the_end_of_the_text():
    text = "config system snmp user\n    edit u1\n        set auth-pwd x\n        set name UserB2X\n"
    got = context_lines(text.splitlines(), text)
    assert sorted(got) == [1, 2, 3] and got[1] == "    edit <redacted>"


def test_an_xml_secret_element_over_several_lines_in_another_config_is_masked():
    text = "hostname r1\n<prv>\nQmFzZTY0Qm9keQ==\nMoreBody\n</prv>\n<descr>x</descr>\n"
    assert context_lines(text.splitlines(), text) == {2: MASK, 3: MASK, 4: MASK}  # (its start line: redact)
    assert "QmFzZTY0Qm9keQ==" not in redact(text) and "<descr>x</descr>" in redact(text)
    # (an XML document is read element by element by its own parser: no line scan here)
    doc = "<pfsense>\n<prv>\nQmFzZTY0\n</prv>\n</pfsense>\n"
    assert context_lines(doc.splitlines(), doc) == {}


def test_a_key_whose_pem_label_is_cut_off_still_hides_its_body():
    text = 'set shared certificate c private-key "-----BEGIN\nBodyC3X\n-----END"\nset x "-----BEGIN\nplain\n-----END"\n'
    assert context_lines(text.splitlines(), text) == {1: MASK}


@pytest.mark.parametrize("tag,secret", [
    ("authorizedkeys", True), ("ldap_bindpw", True), ("tls", True), ("prv", True), ("trapstring", True),
    ("pkcs11pin", True), ("xmldata", True), ("api", True), ("phash", True), ("snmp-community-string", True),
    ("bypassstaticroutes", False), ("arpwatch", False), ("descr", False), ("interface", False), ("apinfo", False)])
def test_secret_tags(tag, secret):
    assert secret_tag(tag) is secret
    line = "<%s>Value9X</%s>" % (tag, tag)
    assert ("Value9X" not in redact(line)) is secret


@pytest.mark.parametrize("line", ['set snmp trap-group TrapD4X targets 10.1.1.1', '    trap-group "TrapD4X" {',
                                  "    trap-group TrapD4X;", "deactivate snmp trap-group TrapD4X"])
def test_a_junos_trap_group_name_is_hidden_wherever_the_line_is_read(line):
    assert "TrapD4X" not in redact(line) and "trap-group" in redact(line)


def test_a_secret_looking_tag_never_closed_masks_nothing_after_it():
    # (a banner or a remark may hold '<key>' or '<private>': not an element, so the lines after it stay)
    text = "banner motd Use your <key> card\naccess-list IN remark <private> hosts\naccess-list IN permit ip any any\n"
    assert context_lines(text.splitlines(), text) == {}
    assert "access-list IN permit ip any any" in redact(text)

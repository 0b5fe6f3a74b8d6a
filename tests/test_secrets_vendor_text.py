"""A config shown whole (the local page echoes the pasted config and shows every line of a short
one beside the report) is redacted as its vendor's parser quotes its lines (``parsers.redact_text``),
not only line by line with the shared rules: those cannot see a private key's lines, a FortiOS SNMP
community's ``set name``, a Junos trap group's name (the community of its traps), pfSense's ``<prv>``
or ``<authorizedkeys>``, or a cloud tag's value below the key that names it secret."""

from __future__ import annotations

import asyncio
import json
import string
import uuid

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_fortios_secrets import CONF as FORTI
from test_fortios_secrets import SECRETS as FORTI_SECRETS

from auditor.api import audit, combine_inputs, load_config
from auditor.policy import load_site
from parsers import InputError, redact_text

FORTI_MORE = FORTI + '''config system snmp user
    edit "nms2"
        set auth-pwd ENC FgAuthPwdX1
    next
end
config system snmp community
    edit 2
        set name "FgCommName6"
        config hosts
            edit 1
                set ip 10.40.0.9 255.255.255.255
            next
        end
    next
end
'''

PANOS = (EXAMPLES / "panos-site/running-config.xml").read_text().replace(
    "  <shared>\n", "  <shared>\n    <certificate>\n      <entry name=\"srv\">\n        <private-key>-----BEGIN RSA "
    "PRIVATE KEY-----\nPanPrivKeyBody4X\nPanPrivKeyBody5X\n-----END RSA PRIVATE KEY-----</private-key>\n"
    "      </entry>\n    </certificate>\n", 1).replace(
    "      <deviceconfig>\n",
    "      <deviceconfig>\n        <snmp-community-string>PanComm7X</snmp-community-string>\n", 1)

PFSENSE = (EXAMPLES / "pfsense-site/config.xml").read_text().replace("\t</system>\n", (
    "\t\t<user>\n\t\t\t<name>admin</name>\n\t\t\t<authorizedkeys>c3NoLXJzYSBQZkF1dGhLZXlzNFg=</authorizedkeys>\n"
    "\t\t\t<ldap_bindpw>PfBindPw1X</ldap_bindpw>\n\t\t</user>\n\t</system>\n"), 1).replace("\t<snmpd>\n", (
        "\t<cert>\n\t\t<prv>LS0tLS1CRUdJTi\nPfPrvBody5X\n</prv>\n\t</cert>\n"
        "\t<openvpn><openvpn-server><tls>PfTlsKey7X</tls></openvpn-server></openvpn>\n\t<snmpd>\n"), 1)

JUNOS = (EXAMPLES / "junos-site/srx.conf").read_text() + """snmp {
    community JunComm1X {
        authorization read-only;
    }
    trap-group "JunTrap2X" {
        targets {
            10.40.0.9;
        }
    }
}
"""
JUNOS_SET = "set system host-name fw\nset snmp trap-group JunTrap3X targets 10.40.0.9\n" \
            "set security policies from-zone a to-zone b policy p then permit\n"

AWS = json.dumps({"SecurityGroups": [{
    "GroupId": "sg-1", "GroupName": "prinergy", "Description": "web",
    "Tags": [{"Key": "db_password", "Value": "AwsTagVal2X"}],
    "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "IpRanges": [{"CidrIp": "10.30.0.0/24"}]}],
    "IpPermissionsEgress": []}]}, indent=2)

CASES = {
    "fortios": (FORTI_MORE, FORTI_SECRETS + ["FgAuthPwdX1", "FgCommName6"]),
    "paloalto-panos": (PANOS, ["PanPrivKeyBody4X", "PanPrivKeyBody5X", "PanComm7X"]),
    "pfsense": (PFSENSE, ["c3NoLXJzYSBQZkF1dGhLZXlzNFg=", "PfBindPw1X", "PfPrvBody5X", "PfTlsKey7X", "pr1nt-snmp-ro"]),
    "junos": (JUNOS, ["JunComm1X", "JunTrap2X"]),
    "junos-set": (JUNOS_SET, ["JunTrap3X"]),
    "aws": (AWS, ["AwsTagVal2X"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_text_shown_hides_the_vendors_secrets_and_keeps_every_line(name):
    text, secrets = CASES[name]
    assert all(s in text for s in secrets)
    for vendor in ("auto", name.split("-set")[0]):
        shown = redact_text(text, vendor)
        assert [s for s in secrets if s in shown] == [], vendor
        assert len(shown.splitlines()) == len(text.splitlines())


def test_a_fortios_config_shown_reads_as_the_same_configuration():
    # (the page carries the shown text back when the form is sent again: a private key's lines stay
    # inside one quoted value, an SNMP block keeps its structure)
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])

    def findings(text):
        cfgs = combine_inputs([load_config("fw.conf", "fortios", text=text)], None, site)
        return sorted((f.rule_id, f.source.line if f.source else 0) for f in audit(cfgs, site).findings)

    assert findings(redact_text(FORTI_MORE, "fortios")) == findings(FORTI_MORE)


def _post_page(text: str) -> str:
    """The local page's answer to a pasted config (the ASGI application, called directly)."""
    from auditor.web.app import create_app

    app = create_app()
    b = uuid.uuid4().hex
    data = ('--%s\r\nContent-Disposition: form-data; name="config"\r\n\r\n%s\r\n--%s--\r\n' % (b, text, b)).encode()
    msgs = [{"type": "http.request", "body": data, "more_body": False}]
    sent = []

    async def receive():
        return msgs.pop(0) if msgs else {"type": "http.disconnect"}

    async def send(m):
        sent.append(m)

    scope = {"type": "http", "method": "POST", "path": "/audit", "raw_path": b"/audit", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000"),
                         (b"content-type", ("multipart/form-data; boundary=%s" % b).encode()),
                         (b"content-length", str(len(data)).encode())],
             "scheme": "http", "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 1), "http_version": "1.1",
             "root_path": "", "app": app}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] in (200, 422)
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()


@pytest.mark.parametrize("name", ["fortios", "paloalto-panos", "pfsense", "junos", "aws"])
def test_the_page_shows_no_secret_of_the_pasted_config(name):
    text, secrets = CASES[name]
    page = _post_page(text)
    assert "&lt;redacted&gt;" in page and 'id="L0-1"' in page  # (the echo, and the config's every line)
    assert [s for s in secrets if s in page] == []


def test_a_private_key_over_several_lines_is_never_quoted():
    from parsers.panos.scan import PanLines

    lines = PanLines(PANOS, "fw.xml")
    quoted = [lines.source(i).text for i in range(len(lines))]
    assert not [t for t in quoted if "PanPrivKeyBody" in t]
    assert "<redacted></private-key>" in [t.strip() for t in quoted]


def test_a_change_requests_lines_are_quoted_as_the_vendor_quotes_them():
    # (check-change anchors findings on new lines to the config or change line they came from)
    from auditor.diff import apply_change

    change = ('config system snmp community\n    edit 7\n        set name "FgChgComm1X"\n    next\nend\n'
              'config system snmp user\n    edit "nms"\n        set priv-pwd ENC FgChgPwd2X\n    next\nend\n')
    _text, origins = apply_change("fortios", FORTI_MORE, "fw.conf", change, "cr.txt")
    quoted = [s.text for s in origins.values()]
    assert any(s.path == "cr.txt" for s in origins.values())
    assert [t for t in quoted if any(s in t for s in FORTI_SECRETS + ["FgAuthPwdX1", "FgCommName6", "FgChg"])] == []


def test_a_junos_trap_group_name_stays_out_of_messages_and_quotes():
    # (the name is the community of the group's traps; a statement not understood is quoted, and
    # named in the message)
    text = (EXAMPLES / "junos-site/srx.conf").read_text() + "zzz {\n    trap-group JunTrapG3X;\n}\n"
    cfg = load_config("srx.conf", "junos", text=text)
    said = [d.message + " | " + d.source.text for d in cfg.diagnostics]
    assert [m for m in said if "trap-group" in m]
    assert [m for m in said if "JunTrapG3X" in m] == []


PANOS_SET = """set deviceconfig system hostname fw
set network interface ethernet ethernet1/1 layer3 ip 10.30.0.1/24
set zone workshop network layer3 ethernet1/1
set rulebase security rules r1 from workshop to any source any destination any application any service any
set rulebase security rules r1 action allow
set shared certificate c private-key "-----BEGIN RSA PRIVATE KEY-----
PanSetKeyBody1X
PanSetKeyBody2X
-----END RSA PRIVATE KEY-----"
set rulebase security rules r1 description "two
lines"
"""


def test_a_panos_set_value_over_several_lines_is_one_statement_and_a_secret_ones_lines_are_masked():
    from parsers.panos import parse_with_lines

    cfg, lines = parse_with_lines(PANOS_SET, "fw.set")
    said = [d.message + " | " + d.source.text for d in cfg.diagnostics]
    assert not [m for m in said if "PanSetKey" in m or "lines" in m.split(" | ")[0]], said
    quoted = [lines.source(i).text for i in range(len(lines))]
    assert not [t for t in quoted if "PanSetKey" in t]
    assert quoted[8] == '<redacted>"' and quoted[10] == 'lines"'
    shown = redact_text(PANOS_SET, "auto")
    assert "PanSetKey" not in shown and len(shown.splitlines()) == len(PANOS_SET.splitlines())


@pytest.mark.parametrize("name", ["fortios", "paloalto-panos", "pfsense", "junos"])
def test_a_config_read_as_another_vendor_quotes_no_secret_of_its_own(name):
    # (--vendor, or the page's choice, names the wrong format: it is refused, naming the format it is,
    # and the message quotes nothing of it)
    text, secrets = CASES[name]
    with pytest.raises(InputError) as refused:
        load_config("fw.txt", "cisco-asa", text=text)
    assert "not Cisco ASA" in str(refused.value) and not [s for s in secrets if s in str(refused.value)]


def test_a_cloudformation_templates_secret_parameter_defaults_are_masked():
    doc = {"AWSTemplateFormatVersion": "2010-09-09",
           "Parameters": {"DBPassword": {"Type": "String", "NoEcho": True, "Default": "CfnPw1X"},
                          "Admin": {"Type": "String", "NoEcho": "true", "Default": "CfnPw2X"},
                          "Env": {"Type": "String", "Default": "prod"}},
           "Resources": {"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
               "GroupDescription": "web", "Tags": [{"Key": "api_token", "Value": "CfnTag3X"}],
               "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445,
                                         "CidrIp": "10.30.0.0/24"}]}}}}
    shown = redact_text(json.dumps(doc, indent=2), "auto")
    assert "CfnPw" not in shown and "CfnTag3X" not in shown and '"Default": "prod"' in shown


# --- drawn: a value in a place only the vendor knows holds a secret -----------------------------

PANOS_SET_BASE = PANOS_SET.split("set shared certificate")[0]
VENDOR_PLACES = {
    "fortios": (FORTI, [
        'config system snmp community\n    edit 3\n        set name "{v}"\n    next\nend\n',
        'config system snmp user\n    edit "u"\n        set auth-pwd ENC {v}\n    next\nend\n',
        'config vpn certificate local\n    edit "c"\n        set private-key "-----BEGIN PRIVATE KEY-----\n{v}\n'
        '-----END PRIVATE KEY-----"\n    next\nend\n',
        'config user local\n    edit "bob"\n        set passwd ENC {v}\n    next\nend\n',
        'config firewall policy\n    edit 9\n        set zzz-psk {v}\n    next\nend\n',
        'config system snmp community\n    edit 4\n        set pw={v} enable\n    next\nend\n']),
    "paloalto-panos": (PANOS, [
        '<private-key>-----BEGIN RSA PRIVATE KEY-----\n{v}\n-----END RSA PRIVATE KEY-----</private-key>\n',
        "<snmp-community-string>{v}</snmp-community-string>\n", "<authpwd>{v}</authpwd>\n", "<phash>{v}</phash>\n",
        '<entry name="g"><pre-shared-key><key>{v}</key></pre-shared-key></entry>\n']),
    "panos-set": (PANOS_SET_BASE, [
        "set mgt-config users admin phash {v}\n",
        "set deviceconfig system snmp-setting access-setting version v2c snmp-community-string {v}\n",
        'set shared certificate c private-key "-----BEGIN\n{v}\n-----END"\n']),
    "pfsense": (PFSENSE, [
        "<ldap_bindpw>{v}</ldap_bindpw>\n", "<authorizedkeys>{v}</authorizedkeys>\n", "<prv>\n{v}\n</prv>\n",
        "<tls>{v}</tls>\n", "<rocommunity>{v}</rocommunity>\n", "<ipsecpsk>{v}</ipsecpsk>\n",
        "<trapstring>{v}</trapstring>\n", "<pkcs11pin>{v}</pkcs11pin>\n",
        "<sshdata><sshkeyfile><filename>ssh_host_ed25519_key</filename><xmldata>{v}</xmldata></sshkeyfile></sshdata>\n"]),
    "junos": (JUNOS, [
        'snmp {{\n    trap-group "{v}" {{\n        targets {{\n            10.1.1.1;\n        }}\n    }}\n}}\n',
        'snmp {{\n    community "{v}" {{\n        authorization read-only;\n    }}\n}}\n',
        'system {{\n    radius-server {{\n        10.1.1.1 secret "{v}";\n    }}\n}}\n',
        "zzz {{\n    trap-group {v};\n}}\n"]),
}


def _plant(vendor: str, place: str, value: str) -> str:
    base, _places = VENDOR_PLACES[vendor]
    text = place.format(v=value)
    if vendor == "paloalto-panos":
        return base.replace("  <shared>\n", "  <shared>\n" + text, 1)
    if vendor == "pfsense":
        return base.replace("\t</system>\n", text + "\t</system>\n", 1)
    return base + text


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from([(v, p) for v, (_b, ps) in VENDOR_PLACES.items() for p in ps]),
       st.text(string.ascii_letters + string.digits, min_size=10, max_size=16).map(lambda s: "Zq9" + s))
def test_a_value_planted_where_only_the_vendor_knows_a_secret_reaches_no_output(where, value):
    from auditor.report import FORMATS, render

    vendor, place = where
    text = _plant(vendor, place, value)
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    outs = [redact_text(text, "auto")]
    cfg = load_config("fw.txt", "auto", text=text)
    outs.append(redact_text(text, cfg.vendor))
    result = audit(combine_inputs([cfg], None, site), site)
    outs += [render(fmt, result) for fmt in FORMATS]
    outs += [d.message + d.source.text for d in cfg.diagnostics]
    try:  # (read as another vendor: refused, or every line it quotes redacted as its own vendor does)
        outs += [d.message + d.source.text for d in load_config("fw.txt", "cisco-ios", text=text).diagnostics]
    except InputError as e:
        outs.append(str(e))
    for out in outs:
        assert value not in out, (vendor, place)


def test_pfsense_secrets_named_by_their_whole_tag():
    # (the SNMP trap community, a PIN, the SSH host keys pfSense keeps in its backup)
    for place, value in (("<trapstring>{v}</trapstring>", "PfTrap1X"), ("<pkcs11pin>{v}</pkcs11pin>", "PfPin2X"),
                         ("<sshdata><sshkeyfile><filename>k</filename><xmldata>{v}</xmldata></sshkeyfile></sshdata>",
                          "PfSsh3X")):
        text = _plant("pfsense", place + "\n", value)
        assert value not in redact_text(text, "auto")
        cfg = load_config("config.xml", "pfsense", text=text)
        assert "<redacted>" in redact_text(text, "pfsense") and cfg.vendor == "pfsense"


def test_an_arm_templates_secure_parameter_defaults_are_masked():
    doc = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
           "parameters": {"vpnKey": {"type": "securestring", "defaultValue": "ArmKey1X"},
                          "site": {"type": "string", "defaultValue": "prepress"}},
           "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg", "properties": {
               "securityRules": [{"name": "smb", "properties": {
                   "protocol": "Tcp", "access": "Allow", "priority": 100, "direction": "Inbound",
                   "sourceAddressPrefix": "10.30.0.0/24", "destinationAddressPrefix": "*", "sourcePortRange": "*",
                   "destinationPortRange": "445"}}]}}]}
    shown = redact_text(json.dumps(doc, indent=2), "azure-nsg")
    assert "ArmKey1X" not in shown and '"defaultValue": "prepress"' in shown


def test_cloud_json_cut_short_still_hides_a_tag_value_below_its_key():
    # (a paste cut short is not valid JSON: the page shows it with the error)
    cut = AWS[:AWS.index("IpPermissions")]
    assert "AwsTagVal2X" in cut
    assert "AwsTagVal2X" not in redact_text(cut, "aws")
    assert "AwsTagVal2X" not in _post_page(cut)


def test_a_fortios_snmp_blocks_setting_is_masked_even_when_its_key_holds_the_value():
    text = FORTI + 'config system snmp community\n    edit 4\n        set pw=FgKey1X enable\n    next\nend\n'
    assert "FgKey1X" not in redact_text(text, "fortios")


# --- a paste mixing two configs: one vendor's secret places in a text read as another's ---------
# (someone pastes a FortiOS SNMP block under a router's config, or a pfSense element into a Junos
# one: the parser of the first quotes the second's lines as not understood, and only rules that do
# not depend on the vendor hide their secrets: ``auditor.core.secrets.context_lines`` and the tag
# and trap-group rules of ``redact``)
MIXED_BASES = {
    "cisco-asa": (EXAMPLES / "prinergy-site/asa.cfg").read_text(),
    "cisco-ios": (EXAMPLES / "ios-site/ios.cfg").read_text(),
    "fortios": FORTI,
    "junos": (EXAMPLES / "junos-site/srx.conf").read_text(),
    "iptables": "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                "-A FORWARD -s 10.30.0.0/24 -p tcp --dport 445 -j ACCEPT\nCOMMIT\n",
}
MIXED_PLACES = [(v, p) for v, (_b, ps) in VENDOR_PLACES.items() for p in ps]


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(sorted(MIXED_BASES)), st.sampled_from(MIXED_PLACES),
       st.text(string.ascii_letters + string.digits, min_size=10, max_size=16).map(lambda s: "Zq9" + s),
       st.booleans())
def test_a_secret_of_another_vendors_config_pasted_into_a_config_reaches_no_output(base, where, value, middle):
    from auditor.report import FORMATS, render

    vendor, place = where
    assume(vendor != base)  # (one vendor's own places: the single-vendor tests above)
    snippet = place.format(v=value)
    text = MIXED_BASES[base]
    if middle:  # (the snippet amid the config, or after it)
        lines = text.splitlines(keepends=True)
        text = "".join(lines[:len(lines) // 2]) + snippet + "".join(lines[len(lines) // 2:])
    else:
        text = text + snippet
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    outs = [redact_text(text, "auto"), redact_text(text, base)]
    for vendor_given in ("auto", base):
        try:
            cfg = load_config("fw.txt", vendor_given, text=text)
        except InputError as e:
            outs.append(str(e))
            continue
        outs += [d.message + d.source.text + d.scope for d in cfg.diagnostics]
        result = audit(combine_inputs([cfg], None, site), site)
        outs += [render(fmt, result) for fmt in FORMATS]
    for out in outs:
        assert value not in out, (base, vendor, place, middle)

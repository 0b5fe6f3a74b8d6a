"""Secrets the session-26 red team found in clear, each planted where its vendor keeps it and searched
for in every output (every report format, the diagnostics, ``explain``, ``diff``, the config shown
as the page shows it, the page itself):

* Cisco IOS OSPFv3 IPsec encryption (Cisco IOS IPv6 Command Reference, ``ipv6 ospf encryption``:
  ``ipv6 ospf encryption ipsec spi SPI esp {des | 3des | aes-cbc {128 | 192 | 256} | null} [0|7] KEY
  {md5 | sha1} [0|7] KEY``; ``ospfv3 encryption`` and an area's ``area N encryption`` alike; Dell FTOS
  and AlliedWare Plus write it the same way): the encryption key stands before the authentication
  algorithm, and no word names it.
* Check Point Gaia's SNMPv3 users (Gaia Administration Guide, SNMP, ``add snmp usm user NAME
  security-level authPriv auth-pass-phrase X privacy-pass-phrase X``; ``show configuration`` writes
  ``auth-pass-phrase-hashed X privacy-pass-phrase-hashed X``): ``pass-phrase`` was no secret word.
* An OpenPGP private key (RFC 4880, 6.2: ``-----BEGIN PGP PRIVATE KEY BLOCK-----``).
* pfSense's Snort and Suricata subscriber codes (pfSense-pkg-snort ``snort_check_for_rule_updates.php``:
  ``$config['installedpackages']['snortglobal']['oinkmastercode']`` and ``['etpro_code']``;
  pfSense-pkg-suricata: ``['suricata']['config'][0]['oinkcode']`` and ``['etprocode']``): the key a
  rules download is made with.
* FortiOS HTTP header tables (FortiOS CLI reference, ``config system automation-action``:
  ``config http-headers`` / ``config form-data``, ``set key`` and ``set value``; ``config web-proxy
  profile``: ``config headers``, ``set name`` and ``set content``): an ``X-Auth-Token`` or ``Authorization:
  Basic`` header's value had no word naming it.
* Check Point mgmt_cli's password or session on its command line (``-p X``, ``--session-id X``: see
  ``tests/checkpoint/test_checkpoint_change_secrets.py``).
* Terraform's JSON (developer.hashicorp.com/terraform/internals/json-format, "Values Representation":
  ``sensitive_values``, "the JSON representation of the sensitivity of the resource's attribute values";
  a change's ``before_sensitive``/``after_sensitive``; an output's ``"sensitive": true``; a state file's
  ``sensitive_attributes`` paths): ``terraform show -json`` writes sensitive values in plain text
  (``terraform show``: "any sensitive values in Terraform state will be displayed in plain text"), and a
  ``random_password``'s ``result`` or a key vault secret's ``value`` has no secret name.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from test_formats import cli
from test_secrets_probe25 import CORPUS, _outputs, _plant_lines
from test_secrets_vendor_text import _post_page

from auditor.core.secrets import redact
from parsers import redact_text

SECRET = re.compile(r"Zq9P\w+?x")

# (line, what must stay) : each value Zq9P...x must be masked
LINES = [
    ("ipv6 ospf encryption ipsec spi 1001 esp aes-cbc 128 Zq9Pios1x sha1 Zq9Pios2x",
     "ipv6 ospf encryption ipsec spi 1001 esp"),
    ("ipv6 ospf encryption ipsec spi 1002 esp aes-cbc 256 7 Zq9Pios3x md5 7 Zq9Pios4x", "spi 1002 esp"),
    ("ospfv3 encryption ipsec spi 300 esp 3des 0 Zq9Pios5x sha1 0 Zq9Pios6x", "ospfv3 encryption"),
    (" area 1 encryption ipsec spi 500 esp des Zq9Pios7x md5 Zq9Pios8x", " area 1 encryption"),
    (" area 2 virtual-link 10.0.0.2 encryption ipsec spi 501 esp aes-cbc 192 Zq9Pios9x sha1 Zq9Pios10x",
     "virtual-link"),
    ("ipv6 ospf encryption ipsec spi 1003 esp aes-cbc 128 Zq9Pios11x", "ipv6 ospf"),  # (cut short)
    ("add snmp usm user nms security-level authPriv auth-pass-phrase Zq9Pgaia1x privacy-pass-phrase Zq9Pgaia2x",
     "add snmp usm user nms"),
    ("add snmp usm user nms security-level authPriv auth-pass-phrase-hashed Zq9Pgaia3x "
     "privacy-pass-phrase-hashed Zq9Pgaia4x privacy-protocol DES", "add snmp usm user nms"),
    ("<oinkmastercode>Zq9Psnort1x</oinkmastercode>", "<oinkmastercode>"),
    ("<etpro_code>Zq9Psnort2x</etpro_code>", "<etpro_code>"),
    ("<oinkcode>Zq9Psuri1x</oinkcode>", "<oinkcode>"),
    ("<etprocode>Zq9Psuri2x</etprocode>", "<etprocode>"),
    ("mgmt_cli -u admin -p Zq9Pcp1x add access-rule layer Network position 1 name r1 action Accept",
     "add access-rule layer Network position 1 name r1 action Accept"),
    ("mgmt_cli publish --session-id Zq9Pcp2x --format json", "--format json"),
]


@pytest.mark.parametrize(("line", "kept"), LINES)
def test_each_form_is_masked_by_the_shared_redaction(line, kept):
    shown = redact(line)
    assert SECRET.findall(shown) == [] and kept in shown


def test_words_near_the_new_forms_are_kept():
    for line in ("ipv6 ospf encryption null", "crypto ipsec transform-set T esp-aes esp-sha-hmac",
                 "access-list 101 permit esp any any", "-A INPUT -p tcp --dport 22 -j ACCEPT",
                 "mgmt_cli add access-rule layer Network position 1 name r1 -s id.txt",
                 "set snmp agent-version v3-Only", "<enable_vrt_rules>on</enable_vrt_rules>", "config http-headers",
                 "set http-body \"{}\""):
        assert redact(line) == line


PGP = ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF0Zq9Ppgp1x\nZq9Ppgp2xAAAA\n=Zq9P\n"
       "-----END PGP PRIVATE KEY BLOCK-----\n")


def test_an_openpgp_private_key_block_is_masked():
    assert SECRET.findall(redact("access-list X remark key follows\n" + PGP)) == []


FORTI_HEADERS = '''config system automation-action
    edit "notify"
        set action-type webhook
        set protocol https
        set uri "hooks.example.com/x"
        set method post
        config http-headers
            edit 1
                set key "X-Auth-Token"
                set value "Zq9Pfgt1x"
            next
            edit 2
                set key "Authorization"
                set value "Basic Zq9Pfgt2x"
            next
        end
        config form-data
            edit 1
                set key "token"
                set value "Zq9Pfgt3x"
            next
        end
    next
end
config web-proxy profile
    edit "inject"
        config headers
            edit 1
                set name "Authorization"
                set action add-to-request
                set content "Basic Zq9Pfgt4x"
            next
        end
    next
end
'''


IOS = min((p for p in (CORPUS / "ios").iterdir() if p.suffix != ".md"), key=lambda p: p.stat().st_size)


IOS_PLANTS = ["interface GigabitEthernet0/9\n ipv6 ospf encryption ipsec spi 1001 esp aes-cbc 128 {v} sha1 0123456789",
              "ipv6 router ospf 1\n area 1 encryption ipsec spi 500 esp 3des {v} md5 0123456789",
              "interface GigabitEthernet0/8\n ospfv3 encryption ipsec spi 300 esp des {v} sha1 0123456789"]


@pytest.mark.parametrize("at", ["end", "middle"])
def test_an_ospfv3_encryption_key_reaches_no_output(at):
    text = IOS.read_text()
    text = _plant_lines(text, IOS_PLANTS, "ios", None if at == "end" else len(text.splitlines()) // 2)
    assert len(SECRET.findall(text)) == 3
    assert SECRET.findall("\n".join(_outputs(IOS, text))) == []


def test_a_fortios_header_tables_values_reach_no_output():
    path = min((CORPUS / "fortios").iterdir(), key=lambda p: p.stat().st_size)
    text = path.read_text() + "\n" + FORTI_HEADERS
    assert len(SECRET.findall(text)) == 4
    assert SECRET.findall("\n".join(_outputs(path, text))) == []
    assert SECRET.findall(_post_page(text)) == []
    shown = redact_text(text, "fortios").splitlines()
    assert '                set name "Authorization"' in shown and '                set action add-to-request' in shown


def test_pfsense_snort_and_suricata_codes_reach_no_output():
    path = ROOT / "tests/fixtures/corpus/pfsense/pfsense-default-config.xml"
    text = path.read_text().replace("\t</system>\n", "\t</system>\n" + "\n".join((
        "\t<installedpackages>", "\t\t<snortglobal>", "\t\t\t<snortdownload>on</snortdownload>",
        "\t\t\t<oinkmastercode>Zq9Psnort1x</oinkmastercode>", "\t\t\t<etpro_code>Zq9Psnort2x</etpro_code>",
        "\t\t</snortglobal>", "\t\t<suricata>", "\t\t\t<config>", "\t\t\t\t<oinkcode>Zq9Psuri1x</oinkcode>",
        "\t\t\t\t<etprocode>Zq9Psuri2x</etprocode>", "\t\t\t</config>", "\t\t</suricata>",
        "\t</installedpackages>")) + "\n", 1)
    assert len(SECRET.findall(text)) == 4
    assert SECRET.findall("\n".join(_outputs(path, text))) == []
    assert SECRET.findall(_post_page(text)) == []


# ``terraform show -json`` of a state: a security group, and resources whose sensitive values no name marks
SHOW = {
    "format_version": "1.0", "terraform_version": "1.9.5",
    "values": {"outputs": {"db": {"value": "Zq9Ptf1x", "type": "string", "sensitive": True}},
               "root_module": {"resources": [
        {"address": "aws_security_group.prinergy", "mode": "managed", "type": "aws_security_group", "name": "prinergy",
         "values": {"id": "sg-0123456789abcdef0", "name": "prinergy", "description": "Prinergy servers",
                    "vpc_id": "vpc-0123456789abcdef0",
                    "ingress": [{"cidr_blocks": ["10.0.0.0/8"], "description": "smb", "from_port": 445, "to_port": 445,
                                 "protocol": "tcp", "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                 "security_groups": [], "self": False}],
                    "egress": [], "tags": {"Name": "prinergy"}},
         "sensitive_values": {"ingress": [{"cidr_blocks": [False]}], "tags": {}}},
        {"address": "random_password.db", "mode": "managed", "type": "random_password", "name": "db",
         "values": {"bcrypt_hash": "Zq9Ptf2x", "id": "none", "length": 24, "result": "Zq9Ptf3x"},
         "sensitive_values": {"bcrypt_hash": True, "result": True}},
        {"address": "azurerm_key_vault_secret.db", "mode": "managed", "type": "azurerm_key_vault_secret", "name": "db",
         "values": {"name": "db-admin", "tags": {}, "value": "Zq9Ptf4x", "content_type": ""},
         "sensitive_values": {"tags": {}, "value": True}},
        {"address": "terraform_data.x", "mode": "managed", "type": "terraform_data", "name": "x",
         "values": {"input": {"a": ["public", "Zq9Ptf5x"]}}, "sensitive_values": {"input": {"a": [False, True]}}},
    ]}},
}
# a ``terraform.tfstate`` (format version 4): sensitive paths beside the attributes
STATE = {
    "version": 4, "terraform_version": "1.9.5", "serial": 3, "lineage": "x",
    "outputs": {"db": {"value": "Zq9Ptf6x", "type": "string", "sensitive": True}},
    "resources": [
        {"mode": "managed", "type": "aws_security_group", "name": "prinergy", "instances": [
            {"schema_version": 1, "attributes": SHOW["values"]["root_module"]["resources"][0]["values"],
             "sensitive_attributes": []}]},
        {"mode": "managed", "type": "random_password", "name": "db", "instances": [
            {"schema_version": 3, "attributes": {"bcrypt_hash": "Zq9Ptf7x", "id": "none", "result": "Zq9Ptf8x"},
             "sensitive_attributes": [[{"type": "get_attr", "value": "bcrypt_hash"}],
                                      [{"type": "get_attr", "value": "result"}]]}]},
        {"mode": "managed", "type": "null_resource", "name": "n", "instances": [
            {"attributes": {"id": "1", "triggers": {"note": "public", "db": "Zq9Ptf9x"}},
             "sensitive_attributes": [[{"type": "get_attr", "value": "triggers"},
                                       {"type": "index", "value": {"value": "db", "type": "string"}}]]}]},
    ],
}


@pytest.mark.parametrize("doc", [SHOW, STATE], ids=["show-json", "tfstate"])
def test_values_terraform_marks_sensitive_are_never_shown(doc, tmp_path):
    text = json.dumps(doc, indent=2)
    planted = SECRET.findall(text)
    assert len(planted) >= 4
    for vendor in ("auto", "aws", "azure-nsg"):
        shown = redact_text(text, vendor)
        assert SECRET.findall(shown) == [], vendor
        assert '"public"' in shown  # (what Terraform does not mark stays)
    assert SECRET.findall(_post_page(text)) == []
    cfg = tmp_path / "tf.json"
    cfg.write_text(text)
    for fmt in ("text", "json", "sarif", "junit", "markdown", "github", "html"):
        code, out, err = cli("audit", str(cfg), "--role", "primary=10.0.0.10", "--role", "workshop=10.1.0.0/16",
                             "--host", "primary", "--format", fmt)
        assert code in (0, 1), err
        assert SECRET.findall(out + err) == [], fmt


def test_a_plans_change_marks_hide_its_before_and_after():
    doc = {"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {"root_module": {}},
           "resource_changes": [{"address": "random_password.db", "mode": "managed", "type": "random_password",
                                 "change": {"actions": ["update"], "before": {"result": "Zq9Ptf10x", "length": 20},
                                            "after": {"result": "Zq9Ptf11x", "length": 24},
                                            "before_sensitive": {"result": True},
                                            "after_sensitive": {"result": True}}}]}
    shown = redact_text(json.dumps(doc, indent=2), "aws")
    assert SECRET.findall(shown) == [] and '"length": 24' in shown


# an ARM template deploying a VM with its NSG: the custom script extension's protected settings
ARM = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "resources": [
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "prinergy-nsg",
         "location": "westeurope", "properties": {"securityRules": [
             {"name": "smb", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow",
                                            "protocol": "Tcp", "sourceAddressPrefix": "10.1.0.0/16",
                                            "sourcePortRange": "*", "destinationAddressPrefix": "*",
                                            "destinationPortRange": "445"}}]}},
        {"type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2023-03-01", "name": "vm/setup",
         "location": "westeurope",
         "properties": {"publisher": "Microsoft.Compute", "type": "CustomScriptExtension",
                        "typeHandlerVersion": "1.10", "settings": {"fileUris": ["https://example.com/setup.ps1"]},
                        "protectedSettings": {"commandToExecute": "net user prinergy Zq9Parm1x /add",
                                              "storageAccountName": "Zq9Parm2x",
                                              "managedIdentity": {"clientId": "Zq9Parm3x"}}}},
    ],
}


def test_an_azure_extensions_protected_settings_are_never_shown():
    text = json.dumps(ARM, indent=2)
    for vendor in ("auto", "azure-nsg"):
        shown = redact_text(text, vendor)
        assert SECRET.findall(shown) == [], vendor
        assert "setup.ps1" in shown
    assert SECRET.findall(_post_page(text)) == []


def test_pfsense_pppoe_server_users_passwords_reach_no_output():
    """pfSense/OPNsense keep a PPPoE server's users as ``<username>NAME:BASE64(PASSWORD)[:IP] ...</username>``
    (OPNsense ``vpn_pppoe_edit.php``: ``$usr . ":" . base64_encode($password)``, the users joined by blanks)."""
    path = ROOT / "tests/fixtures/corpus/pfsense/pfsense-default-config.xml"
    text = path.read_text().replace("\t</system>\n", "\t</system>\n" + "\n".join((
        "\t<pppoes>", "\t\t<pppoe>", "\t\t\t<mode>server</mode>", "\t\t\t<interface>lan</interface>",
        "\t\t\t<username>alice:Zq9Pppp1x:10.5.0.2 bob:Zq9Pppp2x</username>", "\t\t\t<pppoeid>1</pppoeid>",
        "\t\t</pppoe>", "\t\t<pppoe>", "\t\t\t<mode>server</mode>", "\t\t\t<interface>lan</interface>",
        "\t\t\t<username><![CDATA[carol:Zq9Pppp3x]]></username>", "\t\t\t<pppoeid>2</pppoeid>",
        "\t\t</pppoe>", "\t</pppoes>")) + "\n", 1)
    assert len(SECRET.findall(text)) == 3
    assert SECRET.findall("\n".join(_outputs(path, text))) == []
    assert SECRET.findall(_post_page(text)) == []
    kept = "<username><![CDATA[admin@10.0.0.5 (Local Database)]]></username>"  # (a rule's <created>)
    assert redact(kept) == kept and redact("<username>dynuser</username>") == "<username>dynuser</username>"

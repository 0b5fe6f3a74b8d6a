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
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
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
]


@pytest.mark.parametrize(("line", "kept"), LINES)
def test_each_form_is_masked_by_the_shared_redaction(line, kept):
    shown = redact(line)
    assert SECRET.findall(shown) == [] and kept in shown


def test_words_near_the_new_forms_are_kept():
    for line in ("ipv6 ospf encryption null", "crypto ipsec transform-set T esp-aes esp-sha-hmac",
                 "access-list 101 permit esp any any", "set snmp agent-version v3-Only",
                 "<enable_vrt_rules>on</enable_vrt_rules>", "config http-headers", "set http-body \"{}\""):
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

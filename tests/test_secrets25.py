"""Secrets the session-25 red team found in clear (bad input and secrets, every vendor).

* pfSense keeps a wireless interface's WEP keys as ``<wep><key><value>X</value></key></wep>``
  (pfSense ``interfaces.php``: ``$wancfg['wireless']['wep']['key'][$i]['value']``): the element
  naming the secret (``<key>``) holds another, whose tag names nothing; the page echoing a pasted
  config.xml showed the keys.
* A secret's keyword followed by a number or a side's name: FortiOS's ``set password2`` ..
  ``password5`` (``config user fsso``, a collector agent's password), ``set psksecret-remote``
  (``config vpn ipsec phase1-interface``: "Pre-shared secret for remote side PSK authentication",
  type password-3), ``set auth-pwd-alt``; Cisco IOS's ``snmp mib community-map COMMUNITY context C``
  (Cisco IOS SNMP Support Command Reference, ``snmp mib community-map community-name``): a change
  request's refusal quoted it whole.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_formats import cli
from test_secrets_vendor_text import _post_page

from auditor.core.secrets import redact
from parsers import redact_text

DEFAULT = ROOT / "tests/fixtures/corpus/pfsense/pfsense-default-config.xml"
PFSENSE = DEFAULT.read_text().replace("\t</interfaces>", """\
\t\t<opt1>
\t\t\t<if>ath0_wlan0</if>
\t\t\t<descr><![CDATA[WIFI]]></descr>
\t\t\t<enable></enable>
\t\t\t<ipaddr>10.9.0.1</ipaddr>
\t\t\t<subnet>24</subnet>
\t\t\t<wireless>
\t\t\t\t<mode>hostap</mode>
\t\t\t\t<ssid>office</ssid>
\t\t\t\t<wep>
\t\t\t\t\t<enable></enable>
\t\t\t\t\t<key>
\t\t\t\t\t\t<value>PfWepKey1X</value>
\t\t\t\t\t</key>
\t\t\t\t\t<key>
\t\t\t\t\t\t<txkey></txkey>
\t\t\t\t\t\t<value>PfWepKey2X</value>
\t\t\t\t\t</key>
\t\t\t\t</wep>
\t\t\t</wireless>
\t\t</opt1>
\t</interfaces>""", 1)


def test_pfsense_wep_keys_inside_their_key_element_are_masked():
    assert "PfWepKey1X" in PFSENSE
    for vendor in ("auto", "pfsense"):
        shown = redact_text(PFSENSE, vendor)
        assert "PfWepKey1X" not in shown and "PfWepKey2X" not in shown
        assert shown.count("<value><redacted></value>") == 2
        assert len(shown.splitlines()) == len(PFSENSE.splitlines())
    page = _post_page(PFSENSE)
    assert "PfWepKey1X" not in page and "PfWepKey2X" not in page


@pytest.mark.parametrize("line,kept", [
    ("        set password2 ENC FgFssoPw2X", "        set password2 "),
    ("        set password5 ENC FgFssoPw5X", "        set password5 "),
    ("        set psksecret-remote ENC FgPskRemoteX", "        set psksecret-remote "),
    ("        set auth-pwd-alt ENC FgAuthAltX", "        set auth-pwd-alt "),
    ("        set key1 ENC FgWepKey1X", "        set key1 "),
    ("snmp mib community-map IosCommMapX context C", "snmp mib community-map "),
])
def test_a_secret_keyword_followed_by_a_number_or_a_side_still_hides_its_value(line, kept):
    assert redact(line) == kept + "<redacted>"


def test_a_change_request_refused_for_an_snmp_community_map_quotes_no_community(tmp_path):
    change = tmp_path / "cr.txt"
    change.write_text("snmp mib community-map IosCommMapX context C\n")
    ios = str(ROOT / "tests/fixtures/corpus/ios/bf-ios-acl.cfg")
    for fmt in ("text", "json"):
        code, out, err = cli("check-change", ios, str(change), "--role", "primary=10.20.0.10", "--format", fmt)
        assert code == 2 and "cannot apply" in err
        assert "IosCommMapX" not in out + err

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
* IOS's ``snmp-server host IP COMMUNITY`` (Cisco IOS SNMP Support Command Reference, ``snmp-server
  host``: the community string may come without the ``community`` keyword) with a blank after it, or
  ending a CRLF line, as a browser sends a form's text (HTML, form submission: a textarea's line
  breaks are CRLF): the community was read as the host's optional word and kept, the blank masked.
* A Check Point JSON's tag pair written over several lines (``{"key": "db_password", "value": X}``)
  on the page: the Check Point input had no redaction of its own, and the shared one reads a line.
* A JSON file cut short inside a secret's string (``"password": "X``, no closing quote).
* An HTTP ``Authorization: Basic X`` header (RFC 7617: X is base64 of user:password), as an iptables
  ``-m string --string`` match or a comment quotes it.
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


IOS = (ROOT / "tests/fixtures/corpus/ios/bf-ios-acl.cfg").read_text()


@pytest.mark.parametrize("line", ["snmp-server host 10.0.0.5 IosHostCommX ", "snmp-server host 10.0.0.5 IosHostCommX\r",
                                  "snmp-server host 10.0.0.5 version 2c IosHostCommX\t",
                                  "no snmp-server host 10.0.0.5 IosHostCommX "])
def test_an_snmp_host_community_before_a_blank_or_a_crlf_is_masked(line):
    shown = redact(line)
    assert "IosHostCommX" not in shown and shown.endswith(line[-1])


def test_the_page_shows_no_snmp_host_community_of_a_crlf_paste():
    text = (IOS + "snmp-server host 10.0.0.5 IosHostComm1X \nsnmp-server host 10.0.0.6 IosHostComm2X\n").replace(
        "\n", "\r\n")
    page = _post_page(text)
    assert "IosHostComm1X" not in page and "IosHostComm2X" not in page


CHECKPOINT = """{
  "objects-dictionary": [
    {
      "uid": "97aeb369-9aea-11d5-bd16-0090272ccb30",
      "name": "web",
      "type": "host",
      "ipv4-address": "10.20.0.10",
      "tags": [
        {
          "key": "db_password",
          "value": "CpTagVal1X"
        }
      ]
    }
  ],
  "rulebase": [],
  "from": 1, "to": 0, "total": 0
}
"""


def test_a_checkpoint_json_tag_pair_over_several_lines_is_masked_where_the_config_is_shown():
    for vendor in ("auto", "checkpoint"):
        shown = redact_text(CHECKPOINT, vendor)
        assert "CpTagVal1X" not in shown and len(shown.splitlines()) == len(CHECKPOINT.splitlines())
    assert "CpTagVal1X" not in _post_page(CHECKPOINT)


@pytest.mark.parametrize("line", ['      "password": "JsonCutPwX', '{"apiToken": "JsonCutTok\\',
                                  '"sharedKey": "JsonCutKey'])
def test_a_json_secret_cut_short_inside_its_string_is_masked(line):
    assert "JsonCut" not in redact(line)


def test_a_config_shown_as_a_vendor_it_is_not_in_still_hides_its_own_secrets():
    # (the page, given the wrong vendor, shows the pasted text again with its error: a cloud tag's
    # value below its key, a pfSense WEP key, a FortiOS SNMP community's 'set name' are only known
    # to the text's own vendor)
    from test_secrets_vendor_text import CASES

    from parsers import VENDORS

    cases = dict(CASES, checkpoint=(CHECKPOINT, ["CpTagVal1X"]), wep=(PFSENSE, ["PfWepKey1X", "PfWepKey2X"]))
    for name, (text, secrets) in cases.items():
        for vendor in VENDORS:
            shown = redact_text(text, vendor)
            assert [s for s in secrets if s in shown] == [], (name, vendor)
            assert len(shown.splitlines()) == len(text.splitlines()), (name, vendor)


@pytest.mark.parametrize("line,kept", [
    ('-A INPUT -p tcp --dport 80 -m string --algo bm --string "Authorization: Basic dXNlcjpIdHRwQmFzaWNY" -j DROP',
     '-A INPUT -p tcp --dport 80 -m string --algo bm --string "Authorization: '),
    ("access-list OUT remark Proxy-Authorization: Basic dXNlcjpIdHRwQmFzaWNY",
     "access-list OUT remark Proxy-Authorization: "),
])
def test_an_http_basic_authorization_header_is_masked(line, kept):
    assert redact(line) == kept + "<redacted>"


def test_the_word_authorization_alone_is_no_secret_keyword():
    assert redact("aaa authorization exec default local") == "aaa authorization exec default local"


def test_a_secret_element_holding_others_on_one_line_is_masked_by_the_shared_redaction():
    # (a config.xml's line quoted where its own vendor's redaction is not: a paste into another config)
    line = "<wep><enable/><key><txkey/><value>PfWepKey3X</value></key><key><value>PfWepKey4X</value></key></wep>"
    shown = redact(line)
    assert "PfWepKey3X" not in shown and "PfWepKey4X" not in shown
    assert shown.count("<value><redacted></value>") == 2
    assert redact("<rule><descr>x</descr></rule>") == "<rule><descr>x</descr></rule>"

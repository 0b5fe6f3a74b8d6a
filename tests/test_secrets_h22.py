"""Secrets stay out of the reports added in session 22 (application control, IPS, session-ttl,
default-inspection, reflexive, combined inputs, check-change refusals): a unique value is planted
where each new message takes its words from, and every output is searched for it."""

from __future__ import annotations

import pytest
from test_secrets_property import outputs

# FortiOS writes a secret setting as 'set KEY ENC <base64>' or 'set KEY "<plain>"', keys such as passwd1
# (config system modem: "set passwd1 ENC ..."), whose name the shared rules do not read as a secret
FORTI_APP = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
end
config application list
    edit "APPL"
        set passwd1 ENC Zq9FgAppEncX1
        set passwd2 "Zq9FgAppPlainX2"
        config entries
            edit 1
                set application 15832
                set action pass
                set session-ttl 600
            next
        end
    next
end
config firewall policy
    edit 11
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
        set application-list "APPL"
    next
end
"""


def test_an_application_lists_unknown_setting_is_quoted_with_its_secret_masked():
    # the list's unknown settings make its policies' verdicts unknown, and the reason quotes the setting
    # in the rule's note (every flow through the policy): it quoted 'passwd1 ENC Zq9FgAppEncX1'
    outs = outputs("fw.conf", FORTI_APP)
    assert [o for o in outs if "Zq9FgAppEncX1" in o or "Zq9FgAppPlainX2" in o] == []
    assert any("may drop it: 'set passwd1 <redacted>' at line 12" in o for o in outs)


@pytest.mark.parametrize("setting", ["set psksecret-remote {v}", "set auth-code {v}", "set keyring {v}",
                                     "set tokens {v}", "set communityx {v}"])
def test_an_application_lists_setting_fortios_reads_as_secret_stays_out_of_every_output(setting):
    # (FortiOS's own rule, parsers.fortios.lines: a key holding pass, pwd, secret, psk, key, community, token,
    # cert, private, auth-code or hash keeps only its key; the shared rules read none of these keys)
    value = "Zq9FgAppKey%d" % len(setting)
    text = FORTI_APP.replace('        set passwd1 ENC Zq9FgAppEncX1\n        set passwd2 "Zq9FgAppPlainX2"\n',
                             "        %s\n" % setting.format(v=value))
    outs = outputs("fw.conf", text)
    assert [o for o in outs if value in o] == []
    assert any("may drop it: '%s' at line 12" % setting.format(v="<redacted>") in o for o in outs)


# session 23: a URL's query string (a feed's licence, an Azure SAS signature) under names the keyword rules
# do not know ('license', 'sig'); a real pfSense URL-table alias (grounzero/pfsense-redactor's canary corpus
# plants 'list.txt?license=...' there) is reported as not modelled, quoting its line
def test_a_url_query_string_is_hidden():
    from auditor.core.secrets import MASK, redact

    assert redact("<url>https://feeds.example.net/list.txt?license=Zq9UrlLic1</url>") == \
        "<url>https://feeds.example.net/list.txt?%s</url>" % MASK
    assert "Zq9SasSig2" not in redact('"uri": "https://a.blob.core.windows.net/t/x.json?sv=2020-08-04&sig=Zq9SasSig2"')
    # (no query: the URL is kept, as the findings' docs links are)
    assert redact("docs: https://github.com/x/y/blob/main/docs/rules/PRN100.md") == \
        "docs: https://github.com/x/y/blob/main/docs/rules/PRN100.md"


def test_a_pfsense_url_alias_licence_never_reaches_any_output():
    from pathlib import Path

    text = (Path(__file__).parent.parent / "examples/pfsense-site/config.xml").read_text()
    alias = ("\t\t<alias>\n\t\t\t<name>FEED</name>\n\t\t\t<type>urltable</type>\n"
             "\t\t\t<url>https://feeds.example.net/list.txt?license=Zq9UrlLic3</url>\n\t\t</alias>\n")
    text = text.replace("\t\t<alias>\n", alias + "\t\t<alias>\n", 1)
    assert "Zq9UrlLic3" in text
    for out in outputs("config.xml", text):
        assert "Zq9UrlLic3" not in out


def test_a_url_query_is_hidden_after_its_credentials():
    """A URL with a user and password and a query string: both are hidden.  (The credentials' mask,
    '<redacted>', holds '<' and '>', which end _URL_QUERY's scheme-to-'?' part: masking the credentials
    first left the query, a feed licence, as it was.)"""
    from auditor.core.secrets import MASK, redact

    got = redact("<url>https://feeduser:Zq9UrlPw4@feeds.example.net/list.txt?license=Zq9UrlLic4</url>")
    assert got == "<url>https://feeduser:%s@feeds.example.net/list.txt?%s</url>" % (MASK, MASK)

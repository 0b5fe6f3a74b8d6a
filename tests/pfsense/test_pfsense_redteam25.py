"""pfSense / OPNsense shapes of real exports and generated rules (session 25 red team).

Sources cited below:
* [DIAGBACKUP] pfSense src/usr/local/www/diag_backup.php (pfsense/pfsense): rrd_data_xml writes
  '\\t<rrddata>\\n' then per graph '<rrddatafile><filename>NAME.rrd</filename><xmldata>' base64(gzdeflate(rrdtool
  dump)) '</xmldata></rrddatafile>', and a download inserts it before '</pfsense>' unless 'donotbackuprrd' ("Skip
  RRD data"); a restore runs restore_rrddata() then 'unset($config['rrddata'])': graph data, never filtering.
* [BOGONS] pfSense src/etc/inc/filter.inc filter_rules_generate: per interface with "Block bogon networks"
  'block in $log quick on $if from <bogons> to any' (a quick block: pf.conf(5) "quick": "If a packet matches a
  rule which has the quick option set, this rule is considered the last matching rule"), the table loaded from
  the downloaded list (/etc/rc.update_bogons.sh); the generated non-quick 'block in log inet all' ("Default deny
  rule") ends every interface's inbound rules.  Netgate docs, "Interface Configuration", Block Bogon Networks:
  "blocks traffic from reserved and unassigned IP space" (https://docs.netgate.com/pfsense/en/latest/interfaces/
  configure.html).  A source the list may or may not hold is blocked by it or goes on to the later rules.
* [ENCRYPT] Netgate docs, "Restoring from Backup" (https://docs.netgate.com/pfsense/en/latest/backup/restore.html):
  an encrypted backup needs its password to be restored; pfSense src/etc/inc/crypt.inc tagfile_reformat wraps the
  base64 ciphertext between '---- BEGIN config.xml ----' and '---- END config.xml ----'; OPNsense
  src/opnsense/mvc/app/library/OPNsense/Backup/Base.php encrypt writes 'Version: OPNsense ...', 'Cipher: AES-256-CBC',
  'PBKDF2: 100000', 'Hash: SHA512' and a blank line after the BEGIN line.
* [ALIAS257] OPNsense src/opnsense/mvc/app/models/OPNsense/Firewall/Alias.xml (opnsense/core at f95e81516e, model
  1.0.1): every alias has '<path_expression type="TextField"/>' (commit 03a8812a3b, 25.7: "URL Table in JSON format
  (IPs)", type 'urljson', "parses json payloads and extracts addresses"), '<password>', '<username>', '<authtype>'
  (Basic/Bearer/Header: commit 8d26447e82, "add optional authorization for URL type aliases") and '<expire>'
  (commit a754a9243a: "add Expire option to external aliases"); the API and GUI save them empty on every other type.
"""

import pytest
from pf_helpers import decide, mvc_rule, opnsense, parse, pfsense, rule

from auditor.engine import DENY, PERMIT, UNKNOWN
from parsers import InputError, detect

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1), a server on LAN

_RRD = """
	<rrddata>
		<rrddatafile>
			<filename>wan-traffic.rrd</filename>
			<xmldata>7V1bbxs3Fn7Pr1DxvTE5nOHMCMgGcZ0UWbRp0LhFsQ+LOHEKMHIjtbkWbWM7/t6/cnsvr+iVLkq4tHW</xmldata>
		</rrddatafile>
		<rrddatafile>
			<filename>system-processor.rrd</filename>
			<xmldata>AbCdEf0123456789+/AbCdEf0123456789+/==</xmldata>
		</rrddatafile>
	</rrddata>"""


def test_a_backup_with_rrd_data_is_read_as_without_it():
    # [DIAGBACKUP] the graph data a download appends changes no rule: nothing reported, the flows still decided
    text = pfsense(rule("opt1", "pass", descr="ws any"), extra=_RRD)
    cfg = parse(text)
    assert cfg.diagnostics == ()
    assert decide(cfg, WS, SRV).kind == PERMIT


def test_block_bogons_decides_nothing_the_later_rules_decide_the_same_way():
    # [BOGONS] WAN with 'Block bogon networks' (pfSense's default) and no pass rule: a public source is blocked
    # whether the downloaded list holds it or not
    wan = pfsense(rule("lan", "pass", descr="lan out")).replace("<gateway>WANGW</gateway>",
                                                               "<gateway>WANGW</gateway>\n\t\t\t<blockbogons></blockbogons>")
    cfg = parse(wan)
    assert decide(cfg, "8.8.8.8", SRV).kind == DENY
    # a WAN pass rule: what the list holds is blocked, the rest passes -- unknown, never a pass
    text = pfsense(rule("wan", "pass", dst="<address>10.20.0.10</address>", descr="wan in")).replace(
        "<gateway>WANGW</gateway>", "<gateway>WANGW</gateway>\n\t\t\t<blockbogons></blockbogons>")
    cfg = parse(text)
    assert decide(cfg, "8.8.8.8", SRV).kind == UNKNOWN
    assert decide(cfg, "192.0.2.7", SRV).kind == DENY  # (IANA's documentation block: on every bogon list)


_PF_ENC = ("---- BEGIN config.xml ----\nU2FsdGVkX1+7d1tq8r3V0d7pQ0vJm3QeCk2c5cQm8n0Jq0f8QyKZ1o3n8i9pYlQkq3Z0bW9u\n"
           "ZXkgaXMgbm90IGEgcmVhbCBjb25maWcgYnV0IGxvb2tzIGxpa2Ugb25l\n---- END config.xml ----\n")
_OPN_ENC = ("---- BEGIN config.xml ----\nVersion: OPNsense 24.7.4\nCipher: AES-256-CBC\nPBKDF2: 100000\n"
            "Hash: SHA512\n\nU2FsdGVkX1+7d1tq8r3V0d7pQ0vJm3QeCk2c5cQm8n0Jq0f8QyKZ1o3n8i9pYlQk\n"
            "---- END config.xml ----\n")


@pytest.mark.parametrize("text,product,vendor", [(_PF_ENC, "pfSense or OPNsense", "pfsense"),
                                                 (_OPN_ENC, "OPNsense", "opnsense")])
def test_an_encrypted_backup_is_named_as_one_not_an_unknown_format(text, product, vendor):
    # [ENCRYPT] the ciphertext holds the rules: one error saying what the file is and how to get the XML
    assert detect(text, "config-fw.xml") == vendor
    with pytest.raises(InputError, match="config-fw.xml is an encrypted %s configuration backup" % product):
        parse(text, "config-fw.xml")


_OPN_ALIAS = """
					<alias uuid="2f1c5a3e-1111-4a55-9d55-00000000000%d">
						<enabled>1</enabled>
						<name>%s</name>
						<type>%s</type>
						<path_expression>%s</path_expression>
						<proto/>
						<interface/>
						<counters>0</counters>
						<updatefreq/>
						<content>%s</content>
						<password>%s</password>
						<username>%s</username>
						<authtype>%s</authtype>
						<expire/>
						<categories/>
						<description>d</description>
					</alias>"""


def test_opnsense_25_7_alias_fields_of_url_aliases_change_nothing_on_a_host_alias():
    # [ALIAS257] the fields a URL or external alias uses, empty on a host alias, are no reason for doubt
    aliases = _OPN_ALIAS % (1, "srv", "host", "", "10.20.0.10", "", "", "")
    cfg = parse(opnsense(mvc_rule("pass", "opt1", dst="srv", protocol="TCP", dport="445"), aliases=aliases))
    assert cfg.diagnostics == ()
    assert decide(cfg, WS, SRV).kind == PERMIT
    # a 'URL Table in JSON format' alias is fetched at run time: reported as such, its rule's packets unknown; the
    # download credentials never reach a message
    aliases = _OPN_ALIAS % (2, "feed", "urljson", ".data[].ip", "https://feeds.example.net/ips.json", "s3cr3t-T0ken",
                            "svc", "Bearer")
    cfg = parse(opnsense(mvc_rule("pass", "opt1", dst="feed", protocol="TCP", dport="445"), aliases=aliases))
    assert [d.message for d in cfg.diagnostics] == [
        "line not understood: alias feed of type urljson: its content is fetched or learned at run time, not in "
        "config.xml (rules using it are uncertain)"]
    assert decide(cfg, WS, SRV).kind == UNKNOWN

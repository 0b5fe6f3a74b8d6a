"""config.xml as input: safe XML, line numbers, bad input refused with one line, secrets never shown."""

import json

import pytest
from pf_helpers import parse, pfsense, rule

from auditor.api import audit, decision_json
from auditor.policy import load_site
from auditor.report import render
from parsers import InputError, decode, detect, load
from parsers.pfsense.xmltree import MAX_DEPTH, parse_xml


def test_detection():
    assert detect(pfsense("")) == "pfsense"
    assert detect('<?xml version="1.0"?>\n<!-- backup -->\n<opnsense>\n</opnsense>\n') == "opnsense"
    assert detect("<opnsense><system/></opnsense>") == "opnsense"


@pytest.mark.parametrize("text, says", [
    ("<pfsense><system></pfsense>", "not well-formed"),
    ("<pfsense>", "not well-formed"),
    ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
     "<pfsense>&lol2;</pfsense>", "DTD"),
    ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<pfsense>&xxe;</pfsense>',
     "DTD"),
    ("<pfsense>" + "<a>" * (MAX_DEPTH + 5) + "</a>" * (MAX_DEPTH + 5) + "</pfsense>", "deep"),
    ('<?xml version="1.0"?>\n<config><rule/></config>', "not a pfSense or OPNsense"),
])
def test_bad_xml_is_one_clear_input_error(text, says):
    with pytest.raises(InputError) as e:
        load("pfsense").parse(text, "x.xml")
    msg = str(e.value)
    assert says in msg and "\n" not in msg and "x.xml" in msg


def test_binary_and_empty_input_refused_before_parsing():
    with pytest.raises(InputError):
        decode(b"\x00\x01<pfsense>", "x.xml")
    with pytest.raises(InputError):
        decode(b"   \n", "x.xml")


def test_every_element_knows_its_lines():
    text = '<?xml version="1.0"?>\n<pfsense>\n  <a>one</a>\n  <b>\n    <c>x\ny</c>\n  </b>\n</pfsense>\n'
    doc = parse_xml(text, "t.xml")
    a, b = doc.root.kids
    assert (doc.root.line, doc.root.end) == (1, 7)  # 0-based lines
    assert (a.line, a.end, a.value) == (2, 2, "one")
    c = b.kids[0]
    assert (b.line, b.end) == (3, 6) and (c.line, c.end) == (4, 5) and c.value == "x\ny"
    assert doc.decl == [0]


SECRETS = {
    "bcrypt": "$2b$10$13u6qwCOwODv34GyCMgdWub6oQF3RX0rG7c3d3X4JvzuEmAXLYDd2",
    "password": "Sup3rS3cretPassw0rd",
    "prv": "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0l=",
    "psk": "ipsec-psk-value-9876",
    "community": "snmp-community-4711",
    "apikey": "api-key-ABCDEF0123456789",
    "apisecret": "api-secret-0123456789ABCDEF",
    "multiline": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
}


def _secret_config() -> str:
    extra = """
	<system>
		<user><name>admin</name><bcrypt-hash>%(bcrypt)s</bcrypt-hash><password>%(password)s</password></user>
		<apikeys><item><key>%(apikey)s</key><secret>%(apisecret)s</secret></item></apikeys>
	</system>
	<snmpd><rocommunity>%(community)s</rocommunity></snmpd>
	<cert><descr>web</descr><prv>%(prv)s</prv></cert>
	<ca><prv>
%(multiline)s
%(multiline)s
</prv></ca>
	<ipsec><phase1><pre-shared-key>%(psk)s</pre-shared-key></phase1></ipsec>
	<openvpn><openvpn-server><tls>%(multiline)s</tls><shared_key>%(psk)s</shared_key></openvpn-server></openvpn>
	<unknownsection><password>%(password)s</password></unknownsection>
""" % SECRETS
    return pfsense(rule("opt1", "pass", descr="password reset portal"), extra=extra)


def test_secrets_never_reach_any_output():
    text = _secret_config()
    cfg = parse(text)
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    result = audit([cfg], site)
    outputs = [render(fmt, result) for fmt in ("text", "json", "sarif", "markdown", "junit", "github")]
    outputs.append(json.dumps(decision_json(cfg, (0, 0, 6, 1, 1)), default=str))
    outputs += [repr(d) for d in cfg.diagnostics] + [repr(r) for f in cfg.filters.values() for r in f.rules]
    outputs += [repr(o) for o in cfg.objects] + [repr(cfg.remarks), repr(cfg.nat), repr(cfg.timeouts)]
    # the reported lines (the VPN sections and the unknown section) are quoted in findings
    assert any(d.source.text for d in cfg.unrecognized)
    blob = "\n".join(outputs)
    for name, secret in SECRETS.items():
        assert secret not in blob, name
        assert secret[:12] not in blob, name


def test_redaction_keeps_line_numbers():
    text = _secret_config()
    cfg = parse(text)
    lines = text.splitlines()
    for d in cfg.diagnostics:
        raw = lines[d.source.line - 1]
        assert d.source.text.strip()[:5] == raw.strip()[:5]

"""A secret planted in every kind of place each vendor has one, in a real config of every vendor's
corpus, reaches no output: every report format, the diagnostics, ``explain``, a ``diff`` against the
file as it was, and the config shown again as the page shows it (as its own vendor, and as every
other one: a wrong choice of vendor).  The same file cut short right after a secret, or with CRLF
line ends and a blank ending every line (a browser sends a form's text with CRLF; editors leave
blanks), is a config or one clear error, and shows no secret either.

Table-driven and deterministic: the places are fixed (the end of the file, its middle, inside an
element), each planted value is distinct (``Zq9P<vendor><n>x``), so a failure names the form.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor import api
from auditor.api import audit, combine_inputs, decision_json, load_config, make_packet
from auditor.policy import load_site
from auditor.report import FORMATS, render, render_diff
from parsers import VENDORS, InputError, redact_text

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
SITE = load_site(None, ["workshop=10.0.0.0/8", "primary=192.168.1.10", "secondary=172.16.0.10"])
HOSTS = ("iptables", "nftables", "windows-firewall", "aws", "azure-nsg")

# each vendor's own secret-bearing statements (its CLI reference's forms), {v} the value
ASA = ["username admin password {v} encrypted privilege 15", "enable password {v} encrypted", "passwd {v} encrypted",
       "aaa-server TAC (inside) host 10.0.0.5\n key {v}",
       "tunnel-group 10.1.1.1 ipsec-attributes\n ikev1 pre-shared-key {v}",
       "crypto isakmp key {v} address 0.0.0.0 netmask 0.0.0.0",
       "snmp-server host inside 10.0.0.5 community {v} version 2c",
       "snmp-server community {v}", "failover key {v}", "ntp authentication-key 1 md5 {v}",
       "aaa-server LDAP (inside) host 10.0.0.6\n ldap-login-password {v}",
       "interface GigabitEthernet0/7\n ospf message-digest-key 1 md5 {v}", "access-list ACL-PW remark pwd {v}",
       "snmp-server user U G v3 auth sha {v} priv aes 128 {v}", "object network OBJ\n description password {v}"]
IOS = ["snmp-server community {v} RO 10", "snmp-server host 10.0.0.5 {v}", "snmp-server host 10.0.0.5 version 2c {v}",
       "snmp-server host 10.0.0.5 traps version 2c {v} udp-port 162", "snmp mib community-map {v} context C",
       "key chain K\n key 1\n  key-string {v}", "username U privilege 15 secret 9 {v}",
       "tacacs server T\n address ipv4 10.0.0.5\n key 7 {v}", "crypto isakmp key {v} address 0.0.0.0",
       "crypto keyring KR\n pre-shared-key address 0.0.0.0 key {v}",
       "router bgp 65000\n neighbor 10.0.0.1 password {v}",
       "interface Gi0/9\n ip ospf message-digest-key 1 md5 {v}", "interface Gi0/8\n standby 1 authentication {v}",
       "line vty 0 4\n password {v}", "ip access-list extended ACL-X\n remark token {v}",
       "archive\n path ftp://u:{v}@10.0.0.5/c"]
JUNOS = ['set system root-authentication encrypted-password "{v}"', "set snmp community {v} authorization read-only",
         "set snmp trap-group {v} targets 10.0.0.5", 'set protocols bgp group G authentication-key "{v}"',
         'set security ike policy P pre-shared-key ascii-text "{v}"', 'set system radius-server 10.0.0.5 secret "{v}"',
         "set snmp v3 usm local-engine user U authentication-sha authentication-key {v}",
         "set snmp v3 snmp-community C community-name {v}",
         'set security policies from-zone a to-zone b policy P description "pw {v}"']
PANOS = ["set mgt-config users admin phash {v}",
         "set deviceconfig system snmp-setting access-setting version v2c snmp-community-string {v}",
         "set network ike gateway G authentication pre-shared-key key {v}",
         "set shared server-profile ldap L bind-password {v}",
         "set deviceconfig system snmp-setting access-setting version v3 users U authpwd {v} privpwd {v}",
         'set rulebase security rules R description "password {v}"']
PANOS_XML = ["<phash>{v}</phash>", "<snmp-community-string>{v}</snmp-community-string>",
             "<bind-password>{v}</bind-password>",
             "<private-key>{v}</private-key>", "<pre-shared-key><key>{v}</key></pre-shared-key>",
             "<description>password {v}</description>"]
FORTI = ["config system admin\n edit admin\n  set password ENC {v}\n next\nend",
         "config vpn ipsec phase1-interface\n edit P\n  set psksecret ENC {v}\n  set psksecret-remote ENC {v}\n"
         " next\nend",
         'config system snmp community\n edit 1\n  set name "{v}"\n next\nend',
         "config user fsso\n edit F\n  set password2 ENC {v}\n next\nend",
         'config firewall policy\n edit 999\n  set comments "pw {v}"\n next\nend',
         "config system snmp user\n edit U\n  set auth-pwd ENC {v}\n  set auth-pwd-alt ENC {v}\n next\nend"]
PFSENSE = ["<password>{v}</password>", "<bcrypt-hash>{v}</bcrypt-hash>", "<pre-shared-key>{v}</pre-shared-key>",
           "<ldap_bindpw>{v}</ldap_bindpw>", "<rocommunity>{v}</rocommunity>", "<tls>{v}</tls>",
           "<authorizedkeys>{v}</authorizedkeys>", "<prv>{v}</prv>", "<descr>password {v}</descr>",
           "<wep><key><value>{v}</value></key></wep>", "<key>\n<value>{v}</value>\n</key>"]
IPT = ['-A INPUT -p tcp --dport 81 -m comment --comment "password {v}" -j ACCEPT', "# secret {v}"]
NFT = ['tcp dport 81 accept comment "password {v}"', "# token {v}"]
WIN = ["Description:                          password {v}"]
TEXT = {"asa": ASA, "ios": IOS, "junos": JUNOS, "fortios": FORTI, "iptables": IPT, "nftables": NFT, "windows": WIN,
        "panos": PANOS}
XML = {"panos": PANOS_XML, "pfsense": PFSENSE}
SECRET = re.compile(r"Zq9P\w+?x")


def _files() -> list[Path]:
    out = []
    for d in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        files = sorted((p for p in d.iterdir() if p.suffix != ".md"), key=lambda p: p.stat().st_size)
        out.append(files[0])
        if d.name in XML:  # (the smallest XML too: PAN-OS's set-format one is the smallest)
            out += [p for p in files[1:] if p.suffix == ".xml"][:1]
    return out


def _value(tag: str, n: int) -> str:
    return "Zq9P%s%dx" % (tag, n)


def _plant_lines(text: str, plants: list[str], tag: str, at: int | None) -> str:
    lines = text.splitlines()
    new = [p.format(v=_value(tag, i)) for i, p in enumerate(plants)]
    k = len(lines) if at is None else at
    return "\n".join(lines[:k] + new + lines[k:]) + "\n"


def _plant_xml(text: str, plants: list[str], tag: str) -> str:
    """Each element inside an element of the document below its root (one that its line opens only)."""
    lines = text.splitlines()
    opens = [k for k, line in enumerate(lines) if re.fullmatch(r"\s*<[\w-]+(\s[^>]*)?>\s*", line)][1:]
    for i, p in reversed(list(enumerate(plants))):
        lines.insert(opens[(i * 7) % len(opens)] + 1, p.format(v=_value(tag, i)))
    return "\n".join(lines) + "\n"


def _plant_json(text: str, tag: str) -> str:
    """A secret in every object: a comment, a tag pair (cloud style), a description, a URL, a member."""
    doc = json.loads(text)
    n = [0]

    def walk(o):
        if isinstance(o, dict):
            for k in list(o):
                walk(o[k])
            i = n[0]
            n[0] += 1
            v = _value(tag, i)
            o[("comments", "tags", "description", "Description", "sharedKey", "password")[i % 6]] = (
                "password " + v, [{"Key": "db_password", "Value": v}], "api_key=" + v,
                "https://u:%s@h.example.com/" % v, v, v)[i % 6]
        elif isinstance(o, list):
            for x in o:
                walk(x)

    walk(doc)
    return json.dumps(doc, indent=2)


def _cases():
    for path in _files():
        fam = path.parent.name
        text = path.read_text()
        if path.suffix == ".xml":
            yield path, _plant_xml(text, XML[fam], fam[:3])
        elif path.suffix == ".json":
            yield path, _plant_json(text, fam[:3])
        else:
            yield path, _plant_lines(text, TEXT[fam], fam[:3], None)
            yield path, _plant_lines(text, TEXT[fam], fam[:3] + "m", len(text.splitlines()) // 2)


def _outputs(path: Path, text: str) -> list[str]:
    out = [redact_text(text, v) for v in ("auto", *VENDORS)]
    try:
        cfg = load_config(path.name, "auto", text=text)
    except InputError as e:
        assert "\n" not in str(e).strip()
        return out + [str(e)]
    cfgs = combine_inputs([cfg], "primary" if cfg.vendor in HOSTS else None, SITE)
    result = audit(cfgs, SITE)
    out += [render(fmt, result) for fmt in FORMATS]
    out += [d.message + " " + d.source.text for c in cfgs for d in c.diagnostics]
    out.append(json.dumps(decision_json(cfgs[0], make_packet("10.1.2.3", "192.168.1.10", "tcp", None, 445))))
    before = load_config(path.name, "auto", text=path.read_text())
    change = api.diff(before, cfg, SITE)
    out += [render_diff(fmt, change) for fmt in ("text", "json", "sarif", "markdown")]
    return out


CASES = list(_cases())


@pytest.mark.parametrize("k", range(len(CASES)), ids=["%s-%d" % (c[0].name, k) for k, c in enumerate(CASES)])
def test_a_secret_planted_in_a_corpus_config_reaches_no_output(k):
    path, text = CASES[k]
    planted = set(SECRET.findall(text))
    assert planted
    leaked = sorted(set(SECRET.findall("\n".join(_outputs(path, text)))))
    assert leaked == []


@pytest.mark.parametrize("k", range(len(CASES)), ids=["%s-%d" % (c[0].name, k) for k, c in enumerate(CASES)])
def test_the_same_config_cut_after_a_secret_or_with_crlf_and_blanks_shows_none(k):
    path, text = CASES[k]
    first = SECRET.search(text)
    variants = [text[:first.end()], text[:first.end() - 3],
                "\r\n".join(line + " \t" for line in text.split("\n"))]
    for variant in variants:
        leaked = sorted(set(SECRET.findall("\n".join(_outputs(path, variant)))))
        assert leaked == [], repr(variant[-80:])

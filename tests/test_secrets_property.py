"""A secret planted in any common form, at any place of any vendor's input, never reaches any output.

Hypothesis draws the form (``password=X``, ``PASSWORD: X``, ``api_key=X``, a URL with
credentials, a JSON tag whose key names a secret...), the vendor and the place (a remark, a
comment, a description, an unknown line, a rule line itself), and the value; every output
format of the audit, ``explain`` and the diagnostics are searched for the value.
"""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.api import audit, combine_inputs, decision_json, load_config, make_packet
from auditor.core.secrets import redact
from auditor.policy import load_site
from auditor.report import FORMATS, render

FORMS = [
    "password {v}", "password={v}", "password:{v}", "PASSWORD: {v}", "Password = {v}", 'password="{v}"',
    "password '{v}'", "secret={v}", "secret {v}", "key={v}", "key {v}", "api_key={v}", "x-api-key: {v}",
    "token={v}", "Bearer token {v}", "community={v}", "psk={v}", "db_password = {v}", "passwd {v}",
    "ftp://admin:{v}@files.example.com/jobs", "https://user:{v}@10.1.2.3:8443/", "pre-shared-key {v}",
    "set psksecret ENC {v}", "enable secret 5 {v}", "snmp-server community {v} RO",
    "the pw is {v}", "set auth-pwd ENC {v}", "community-name {v}", "db_pass={v}",
    "no snmp-server host 10.0.0.5 version 2c {v}", "<ldap_bindpw>{v}</ldap_bindpw>",
]

ASA = """ASA Version 9.12(4)
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 90
 ip address 10.20.0.1 255.255.255.0
access-list IN extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 445
access-list IN extended deny ip any any
access-group IN in interface inside
{plant}
"""
ASA_PLACES = ["access-list IN remark {s}", "access-list IN extended permit tcp any any eq 80 {s}", "zzz {s}",
              "object network PRIMARY\n host 10.20.0.10\n description {s}",
              "interface GigabitEthernet0/2\n description {s}",
              "{s}"]

IPT = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.30.0.0/24 -p tcp --dport 445 -j ACCEPT
{plant}
COMMIT
"""
IPT_PLACES = ['-A INPUT -p tcp --dport 80 -m comment --comment "{s}" -j ACCEPT', "-A INPUT {s}", "# {s}", "{s}"]

NFT = """table inet filter {{
  chain input {{
    type filter hook input priority 0; policy drop;
    ip saddr 10.30.0.0/24 tcp dport 445 accept
    {plant}
  }}
}}
"""
NFT_PLACES = ['tcp dport 80 accept comment "{s}"', "{s}", "# {s}"]

WIN = """Rule Name:                            Prinergy SMB
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
Profiles:                             Domain,Private,Public
Grouping:
LocalIP:                              Any
RemoteIP:                             10.30.0.0/255.255.255.0
Protocol:                             TCP
LocalPort:                            445
RemotePort:                           Any
Edge traversal:                       No
Action:                               Allow
{plant}
"""
WIN_PLACES = ["Description:                          {s}", "{s}"]


def aws(plant: str, value: str, minified: bool) -> str:
    doc = {"SecurityGroups": [{
        "GroupId": "sg-1", "GroupName": "prinergy", "Description": plant,
        "Tags": [{"Key": "db_password", "Value": value}, {"Key": "Name", "Value": "web"}],
        "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445,
                           "IpRanges": [{"CidrIp": "10.30.0.0/24", "Description": plant}]}],
        "IpPermissionsEgress": []}]}
    return json.dumps(doc) if minified else json.dumps(doc, indent=2)


def azure(plant: str, value: str, minified: bool) -> str:
    doc = {"name": "nsg", "type": "Microsoft.Network/networkSecurityGroups",
           "tags": {"api_token": value},
           "properties": {"securityRules": [{"name": "smb", "properties": {
               "protocol": "Tcp", "access": "Allow", "priority": 100, "direction": "Inbound",
               "sourceAddressPrefix": "10.30.0.0/24", "destinationAddressPrefix": "*", "sourcePortRange": "*",
               "destinationPortRange": "445", "description": plant}}]}}
    return json.dumps(doc) if minified else json.dumps(doc, indent=2)


def text_input(template, places):
    return st.tuples(st.just(template), st.sampled_from(places))


values = st.text(string.ascii_letters + string.digits, min_size=10, max_size=16).map(lambda s: "Zq9" + s)
SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])


def outputs(path: str, text: str, vendor: str = "auto", host: str | None = None) -> list[str]:
    cfg = load_config(path, vendor, text=text)
    cfgs = combine_inputs([cfg], host, SITE)
    result = audit(cfgs, SITE)
    out = [render(fmt, result) for fmt in FORMATS]
    out += [d.message + d.source.text for c in cfgs for d in c.diagnostics]
    out.append(json.dumps(decision_json(cfgs[0], make_packet("10.30.0.5", "10.20.0.10", "tcp", None, 445))))
    return out


SETTINGS = dict(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(**SETTINGS)
@given(st.sampled_from(FORMS), values,
       st.one_of(text_input(ASA, ASA_PLACES), text_input(IPT, IPT_PLACES), text_input(NFT, NFT_PLACES),
                 text_input(WIN, WIN_PLACES)))
def test_a_planted_secret_never_reaches_any_output_of_a_text_config(form, value, where):
    template, place = where
    secret = form.format(v=value)
    text = template.format(plant=place.format(s=secret.replace('"', "'") if '"' in place else secret))
    host = "primary" if template in (WIN, NFT, IPT) else None
    for out in outputs("fw.cfg", text, host=host):
        assert value not in out, (secret, place)


@settings(**SETTINGS)
@given(st.sampled_from(FORMS), values, st.sampled_from([aws, azure]), st.booleans())
def test_a_planted_secret_never_reaches_any_output_of_a_cloud_config(form, value, build, minified):
    text = build(form.format(v=value), value, minified)
    for out in outputs("cloud.json", text, host="primary"):
        assert value not in out, form


@given(st.sampled_from(FORMS), values, st.text(max_size=20), st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_redact_hides_the_value_wherever_the_form_stands_in_a_line(form, value, before, after):
    line = before.replace("\n", " ") + " " + form.format(v=value) + " " + after.replace("\n", " ")
    assert value not in redact(line)


def test_secrets_in_change_requests_waivers_and_errors_stay_out_of_stderr_and_reports(tmp_path):
    from test_cli import CFG, run

    value = "Zq9ChangeReqSecret"
    change = tmp_path / "cr.txt"
    change.write_text("username admin password %s privilege 15\n" % value)
    code, out, err = run("check-change", CFG, str(change), "--role", "primary=10.20.0.10")
    assert code == 2 and value not in out + err and "cr.txt:1" in err
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- rule_id: PRN160\n  contains: eq 548\n  justification: 'ticket 42, api_key=%s'\n"
                       "  expires: 2099-01-01\n" % value)
    for fmt in FORMATS:
        code, out, err = run("audit", CFG, "--role", "primary=10.20.0.10", "--role", "workshop=10.30.0.0/24",
                             "--waivers", str(waivers), "--format", fmt)
        assert code in (0, 1) and value not in out + err, fmt
    code, out, err = run("audit", str(tmp_path / ("password=%s.cfg" % value)))
    assert code == 2 and value not in err

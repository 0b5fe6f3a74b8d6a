# ruff: noqa: E501  (configurations quoted as devices write them)
"""PAN-OS secrets never reach an output, in any of the configuration's three forms (session 27).

Planted in an XML, a ``set`` and a hierarchical configuration: an HTTP server profile's password, its URL format's
query string, its custom headers and parameters (Device > Server Profiles > HTTP, Payload Format: "Headers",
"Parameters", "Payload": where a log collector's token goes, e.g. ``Authorization: Splunk <token>``), its payload;
LDAP, RADIUS and TACACS+ secrets; an SNMP trap community and the SNMP community string; a certificate's private
key; an administrator's ``phash``; ``auth-key`` and ``api-key``; an IKE pre-shared key.  Each is looked for in
every line as the parser quotes it, and in the outputs of audit, explain and check-change (the change request
planting more).  Before: a header's or parameter's value, the payload and the URL format's query string were
quoted as written (a header named ``X-Custom``, a parameter named ``sig``: no secret word on the line).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from auditor.core.secrets import MASK, redact
from parsers.panos.scan import PanLines

SECRET = re.compile(r"SECRET\d\d|COMM\d\d|PRIVKEYLINE")
XML = """\
<?xml version="1.0"?>
<config version="10.1.0" urldb="paloaltonetworks">
  <mgt-config>
    <users>
      <entry name="admin">
        <phash>$5$PHASHSECRET01xyz</phash>
        <permissions><role-based><superuser>yes</superuser></role-based></permissions>
      </entry>
    </users>
  </mgt-config>
  <shared>
    <server-profile>
      <http>
        <entry name="splunk">
          <server>
            <entry name="s1">
              <address>10.9.9.9</address>
              <protocol>HTTPS</protocol>
              <port>443</port>
              <http-method>POST</http-method>
              <username>svc</username>
              <password>HTTPPWSECRET02</password>
            </entry>
          </server>
          <format>
            <traffic>
              <name>t</name>
              <url-format>/services/collector/raw?token=URLTOKSECRET03</url-format>
              <headers>
                <entry name="Authorization">
                  <value>Splunk HDRVALSECRET04</value>
                </entry>
                <entry name="X-Custom">
                  <value>HDRVALSECRET05</value>
                </entry>
              </headers>
              <params>
                <entry name="token">
                  <value>PARAMSECRET06</value>
                </entry>
                <entry name="sig">
                  <value>PARAMSECRET07</value>
                </entry>
              </params>
              <payload>{"event": "$type", "apikey": "PAYLOADSECRET08"}</payload>
            </traffic>
          </format>
        </entry>
      </http>
      <ldap>
        <entry name="ad">
          <server><entry name="dc1"><address>10.9.9.10</address><port>389</port></entry></server>
          <base>dc=example,dc=com</base>
          <bind-dn>cn=svc,dc=example,dc=com</bind-dn>
          <bind-password>LDAPSECRET09</bind-password>
        </entry>
      </ldap>
      <radius>
        <entry name="rad">
          <server><entry name="r1"><ip-address>10.9.9.11</ip-address><secret>RADSECRET10</secret><port>1812</port></entry></server>
        </entry>
      </radius>
      <tacplus>
        <entry name="tac">
          <server><entry name="t1"><address>10.9.9.12</address><secret>TACSECRET11</secret></entry></server>
        </entry>
      </tacplus>
      <snmptrap>
        <entry name="trap">
          <version><v2c><server><entry name="nms"><manager>10.9.9.13</manager><community>TRAPCOMM12</community></entry></server></v2c></version>
        </entry>
      </snmptrap>
    </server-profile>
    <certificate>
      <entry name="web-cert">
        <common-name>fw.example.com</common-name>
        <private-key>-----BEGIN RSA PRIVATE KEY-----
PRIVKEYLINESECRET13
PRIVKEYLINESECRET14
-----END RSA PRIVATE KEY-----</private-key>
        <public-key>-----BEGIN CERTIFICATE-----
MIIBPUBLIC
-----END CERTIFICATE-----</public-key>
      </entry>
    </certificate>
  </shared>
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig>
        <system>
          <hostname>site-fw</hostname>
          <snmp-setting>
            <access-setting><version><v2c><snmp-community-string>SNMPCOMM15</snmp-community-string></v2c></version></access-setting>
          </snmp-setting>
        </system>
        <setting>
          <wildfire><public-cloud-server>wildfire.paloaltonetworks.com</public-cloud-server></wildfire>
          <session><timeout-tcp>28800</timeout-tcp></session>
        </setting>
      </deviceconfig>
      <network>
        <interface><ethernet>
          <entry name="ethernet1/1"><layer3><ip><entry name="10.20.0.1/24"/></ip></layer3></entry>
          <entry name="ethernet1/2"><layer3><ip><entry name="10.30.0.1/24"/></ip></layer3></entry>
        </ethernet></interface>
        <ike>
          <gateway>
            <entry name="gw1">
              <authentication><pre-shared-key><key>PSKSECRET16</key></pre-shared-key></authentication>
              <peer-address><ip>198.51.100.1</ip></peer-address>
            </entry>
          </gateway>
        </ike>
        <virtual-router><entry name="default"><interface><member>ethernet1/1</member><member>ethernet1/2</member></interface></entry></virtual-router>
      </network>
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="servers"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
          </zone>
          <rulebase><security><rules>
            <entry name="ws">
              <from><member>workshop</member></from><to><member>servers</member></to>
              <source><member>any</member></source><destination><member>any</member></destination>
              <application><member>any</member></application><service><member>any</member></service>
              <action>allow</action>
            </entry>
          </rules></security></rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
"""
SET = """\
set mgt-config users admin phash $5$PHASHSECRET01xyz
set shared server-profile http splunk server s1 address 10.9.9.9 protocol HTTPS port 443 http-method POST username svc password HTTPPWSECRET02
set shared server-profile http splunk format traffic name t
set shared server-profile http splunk format traffic url-format "/services/collector/raw?sig=URLTOKSECRET03"
set shared server-profile http splunk format traffic headers Authorization value "Splunk HDRVALSECRET04"
set shared server-profile http splunk format traffic headers X-Custom value HDRVALSECRET05
set shared server-profile http splunk format traffic params token value PARAMSECRET06
set shared server-profile http splunk format traffic params sig value PARAMSECRET07
set shared server-profile http splunk format traffic payload "{\\"event\\": \\"$type\\", \\"k\\": \\"PAYLOADSECRET08\\"}"
set shared server-profile ldap ad server dc1 address 10.9.9.10
set shared server-profile ldap ad bind-dn cn=svc,dc=example,dc=com
set shared server-profile ldap ad bind-password LDAPSECRET09
set shared server-profile radius rad server r1 ip-address 10.9.9.11 secret RADSECRET10
set shared server-profile tacplus tac server t1 address 10.9.9.12 secret TACSECRET11
set shared log-settings snmptrap trap version v2c server nms manager 10.9.9.13 community TRAPCOMM12
set shared certificate web-cert private-key "-----BEGIN RSA PRIVATE KEY-----
PRIVKEYLINESECRET13
PRIVKEYLINESECRET14
-----END RSA PRIVATE KEY-----"
set deviceconfig system snmp-setting access-setting version v2c snmp-community-string SNMPCOMM15
set deviceconfig setting session timeout-tcp 28800
set deviceconfig system api-key-lifetime 0
set deviceconfig system auth-key AUTHKEYSECRET17
set deviceconfig setting wildfire api-key WFAPISECRET18
set network ike gateway gw1 authentication pre-shared-key key PSKSECRET16
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ]
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set rulebase security rules ws from workshop to servers source any destination any application any service any action allow
"""
HIER = """\
deviceconfig {
  setting {
    session {
      timeout-tcp 28800;
    }
  }
}
shared {
  server-profile {
    http {
      splunk {
        format {
          traffic {
            url-format "/services/collector/raw?sig=URLTOKSECRET03";
            headers {
              Authorization {
                value "Splunk HDRVALSECRET04";
              }
              X-Custom {
                value HDRVALSECRET05;
              }
            }
            params {
              sig {
                value PARAMSECRET07;
              }
            }
            payload "{\\"event\\": \\"$type\\", \\"k\\": \\"PAYLOADSECRET08\\"}";
          }
        }
      }
    }
    ldap {
      ad {
        bind-password LDAPSECRET09;
      }
    }
  }
}
"""
CHANGE = """\
set shared server-profile http splunk format traffic headers Authorization value "Splunk CHGHDRSECRET21"
set shared server-profile http splunk format traffic params sig value CHGPARAMSECRET22
set shared server-profile http splunk format traffic payload "{\\"k\\": \\"CHGPAYLOADSECRET23\\"}"
set shared server-profile ldap ad bind-password CHGLDAPSECRET24
set network ike gateway gw1 authentication pre-shared-key key CHGPSKSECRET25
set deviceconfig system snmp-setting access-setting version v2c snmp-community-string CHGCOMM26
set rulebase security rules ws2 from workshop to servers source any destination any application any service any action allow
set bogus thing headers X value CHGBOGUSSECRET27
"""


@pytest.mark.parametrize("text", [XML, SET, HIER], ids=["xml", "set", "hierarchical"])
def test_no_line_is_quoted_with_a_secret(text):
    lines = PanLines(text, "fw")
    assert len(SECRET.findall(text)) >= 6
    for i in range(len(text.splitlines())):
        quoted = lines.source(i).text
        assert not SECRET.search(quoted), (i + 1, quoted)


@pytest.mark.parametrize("line", [
    'set shared server-profile http splunk format traffic headers Authorization value "Splunk HDRVALSECRET04"',
    "set shared server-profile http splunk format traffic headers X-Custom value HDRVALSECRET05",
    "set shared server-profile http splunk format traffic params sig value PARAMSECRET07",
    'set shared server-profile http splunk format traffic payload "{\\"k\\": \\"PAYLOADSECRET08\\"}"',
    'set shared server-profile http splunk format traffic url-format "/services/collector/raw?sig=URLTOKSECRET03"',
    "<url-format>/raw?auth_sig=URLTOKSECRET03</url-format>",
    "<payload>$type PAYLOADSECRET08</payload>",
])
def test_one_line_of_an_http_server_profile_is_redacted(line):
    # the shared redaction, as every quoted line and every output gets it (a change request's line too)
    got = redact(line)
    assert MASK in got and not SECRET.search(got), got


@pytest.mark.parametrize("line", [
    "set shared server-profile http splunk format traffic name t",
    "set rulebase security rules r application web-browsing service application-default",
    "set value 10",  # (no header or parameter before it)
])
def test_other_lines_are_kept(line):
    assert redact(line) == line


def _cli(*args) -> str:
    p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=ROOT)
    return p.stdout.decode() + p.stderr.decode()


def test_no_secret_in_audit_explain_or_check_change(tmp_path):
    site = str(ROOT / "examples/panos-site/site.yaml")
    change = tmp_path / "change.txt"
    change.write_text(CHANGE)
    outs = []
    for name, text in (("fw.xml", XML), ("fw.set", SET), ("fw.conf", HIER)):
        path = tmp_path / name
        path.write_text(text)
        for fmt in ("json", "text", "sarif"):
            outs.append(_cli("audit", str(path), "--site", site, "--format", fmt))
        outs.append(_cli("explain", str(path), "--src", "10.30.0.5", "--dst", "10.20.0.10", "--format", "json"))
        if name != "fw.xml":  # (its payload's set command is refused by the XML editor: an error, no output)
            outs.append(_cli("check-change", str(path), str(change), "--site", site, "--format", "json"))
            outs.append(_cli("check-change", str(path), str(change), "--site", site))
    # every line of the set form quoted as not understood ('set zzz ...': an unknown section)
    bad = tmp_path / "bad.set"
    bad.write_text("\n".join(x.replace("set ", "set zzz ", 1) if x.startswith("set ") else x
                             for x in SET.splitlines()) + "\n")
    outs.append(_cli("audit", str(bad), "--vendor", "paloalto-panos", "--site", site, "--format", "json"))
    assert any("zzz" in o for o in outs)
    for out in outs:
        assert not SECRET.search(out), SECRET.search(out).group(0)

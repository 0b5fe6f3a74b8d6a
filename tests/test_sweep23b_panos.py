"""PAN-OS defects found by running public sample configurations (session 23, round 2: Palo Alto Networks'
iron-skillet, pan-os-php's sample and App-ID toolbox configs, VM-Series bootstrap configs).

Documents cited (Palo Alto Networks):

* [PBF] "Policies > Policy Based Forwarding", PAN-OS 10.1 web interface help,
  https://docs.paloaltonetworks.com/ngfw/help/10-1/policies/policies-policy-based-forwarding
  ("traffic ... will be forwarded according to subsequent PBF rules ... or the virtual router's forwarding
  table"): only a rule overrides the routing table; the other policy types (Policies > DoS Protection,
  Application Override, Authentication) likewise act through their rules only.
* [CP71] "Policies > Captive Portal", PAN-OS 7.1 web interface help,
  https://www.paloaltonetworks.com/documentation/71/pan-os/web-interface-help/policies/policies-captive-portal
  ("direct user authentication ... Users are directed to the portal and authenticated, thereby creating a
  user-to-IP address mapping"): the rulebase PAN-OS 8.0 renamed Authentication (pan-os-php's PAN-OS 5.0 and
  7.x sample configs hold '<captive-portal><rules>').
* [AUTHSEQ] "Device > Authentication Sequence", PAN-OS 10.1 web interface help,
  https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-web-interface-help/device/device-authentication-sequence
  ("An authentication sequence is a set of authentication profiles that the firewall tries to use for
  authenticating users when they log in"; Location: Shared or a vsys): which login service checks a user's
  credentials, as an authentication profile (already ignored); a rule that makes users log in is reported.
* [CFGMODE] "Use Configuration Mode", PAN-OS 11.1 CLI quick start,
  https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-cli-quick-start/use-the-cli/use-configuration-mode
  (one 'set' command may set several settings of a node, as 'set rulebase security rules R from trust to
  untrust ... action allow'): an operator's script writes 'set vsys vsys2 zone Z network
  zone-protection-profile P layer3 ae2.100' (seen in a public provisioning script), the zone's interface
  after its protection profile.
"""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers.panos import parse

XML = """\
<config version="10.1.0" urldb="paloaltonetworks">
  <devices>
    <entry name="localhost.localdomain">
      <network>
        <interface>
          <ethernet>
            <entry name="ethernet1/1"><layer3><ip><entry name="10.1.0.1/16"/></ip></layer3></entry>
            <entry name="ethernet1/2"><layer3><ip><entry name="10.2.0.1/24"/></ip></layer3></entry>
          </ethernet>
        </interface>
        <virtual-router>
          <entry name="default">
            <interface><member>ethernet1/1</member><member>ethernet1/2</member></interface>
          </entry>
        </virtual-router>
      </network>
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="ws"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="srv"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
          </zone>
          <rulebase>
            <security>
              <rules>
                <entry name="A">
                  <from><member>ws</member></from>
                  <to><member>srv</member></to>
                  <source><member>any</member></source>
                  <destination><member>any</member></destination>
                  <application><member>any</member></application>
                  <service><member>any</member></service>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
            <nat>
              <rules/>
            </nat>
%s          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
"""


def _decide(extra: str) -> str:
    cfg = parse(XML % extra, "fw.xml")
    return decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445))["decision"]


def test_an_empty_pbf_dos_override_or_authentication_rulebase_changes_nothing():  # [PBF]
    # (the shape of a real 'show config running': every policy type present, most with no rule)
    empty = "".join("            <%s>\n              <rules/>\n            </%s>\n" % (k, k)
                    for k in ("decryption", "qos", "dos", "application-override", "pbf", "authentication"))
    assert _decide("") == "permit"
    assert _decide(empty) == "permit"  # was 'unknown': each empty <rules/> reported as 'could change any verdict'
    cfg = parse(XML % empty, "fw.xml")
    assert [d for d in cfg.diagnostics if d.code == "CFG300"] == []
    # a rule in one of them still makes the verdict uncertain
    pbf = ("            <pbf>\n              <rules>\n                <entry name=\"p\">\n"
           "                  <from><zone><member>ws</member></zone></from>\n"
           "                  <source><member>any</member></source>\n"
           "                  <destination><member>any</member></destination>\n"
           "                  <action><forward><egress-interface>ethernet1/1</egress-interface></forward></action>\n"
           "                </entry>\n              </rules>\n            </pbf>\n")
    assert _decide(pbf) == "unknown"


SHARED = """\
set deviceconfig system hostname fw
set shared authentication-sequence CP_test authentication-profiles local
set shared authentication-sequence CP_test use-domain-find-profile yes
set network interface ethernet ethernet1/1 layer3 ip 10.1.0.1/16
set network interface ethernet ethernet1/2 layer3 ip 10.2.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ]
set zone ws network layer3 ethernet1/1
set zone srv network layer3 ethernet1/2
set rulebase security rules A from ws to srv source any destination any service any application any action allow
"""


def test_an_authentication_sequence_is_a_login_setting():  # [AUTHSEQ]
    cfg = parse(SHARED, "fw.set")
    assert [d.source.line for d in cfg.diagnostics if d.code == "CFG300"] == []  # were 2 'could change any verdict'
    assert decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445))["decision"] == "permit"


ZONES = """\
set deviceconfig system hostname fw
set network interface aggregate-ethernet ae2 layer3 units ae2.100 ip 10.1.0.1/16
set network interface aggregate-ethernet ae2 layer3 units ae2.200 ip 10.2.0.1/24
set network virtual-router VR1 interface [ ae2.100 ae2.200 ]
set zone ws %s
set zone srv network layer3 ae2.200
set rulebase security rules A from ws to srv source any destination any application any service any action allow
set network profiles zone-protection-profile ZP discard-ip-spoof yes
"""


def test_a_zones_interfaces_after_another_setting_on_one_command_are_read():  # [CFGMODE]
    def dec(zone: str) -> str:
        cfg = parse(ZONES % zone, "fw.set")
        return decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445))["decision"]

    assert dec("network layer3 ae2.100") == "permit"
    assert dec("network layer3 ae2.100 zone-protection-profile ZP") == "permit"
    # was 'deny' (the whole command ignored as a zone protection setting: ae2.100 in no zone)
    assert dec("network zone-protection-profile ZP layer3 ae2.100") == "permit"
    assert dec("network log-setting LF enable-packet-buffer-protection yes layer3 ae2.100") == "permit"
    assert dec("enable-user-identification yes network layer3 ae2.100") == "permit"
    # a setting not known before the interfaces: what follows it is not known either
    assert dec("network net-foo x y layer3 ae2.100") == "unknown"
    assert dec("network zone-protection-profile ZP") == "deny"  # (no interface: ae2.100 is in no zone)


def test_the_captive_portal_rulebase_before_pan_os_8_is_read_as_the_authentication_rulebase():  # [CP71] [PBF]
    assert _decide("            <captive-portal>\n              <rules/>\n            </captive-portal>\n") == "permit"
    rule = ("            <captive-portal>\n              <rules>\n                <entry name=\"cp\">\n"
            "                  <from><member>ws</member></from>\n"
            "                  <to><member>srv</member></to>\n"
            "                  <action>web-form</action>\n"
            "                </entry>\n              </rules>\n            </captive-portal>\n")
    assert _decide(rule) == "unknown"
    cfg = parse(XML % rule, "fw.xml")
    [d] = [d for d in cfg.diagnostics if d.code == "CFG300"]  # one report for the rule, not one per line
    assert "authenticate" in d.message

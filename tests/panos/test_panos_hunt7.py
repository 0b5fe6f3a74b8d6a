"""PAN-OS behaviours checked against Palo Alto Networks' documentation, with small configs in
``set`` and XML form.

Documents cited (Palo Alto Networks):

* [SBT] "Maintain Custom Timeouts for Data Center Applications",
  https://docs.paloaltonetworks.com/content/techdocs/en_US/ngfw/administration/app-id/service-based-session-timeouts.html
  (a service object's session timeout: "Override—Define a custom session timeout for the service",
  then its TCP timeout, TCP half closed and TCP wait time; applied to the sessions of the rules that use
  the service).
* [DNR] "Configure Destination NAT with DNS Rewrite", PAN-OS 9.1 admin guide,
  https://docs.paloaltonetworks.com/pan-os/9-1/pan-os-admin/networking/nat/configure-nat/configure-destination-nat-dns-rewrite.html
  (the firewall rewrites the IP address in a DNS response that matches the rule's translated or original
  destination address: DNS answers, not the translated packets).
* [HIP] "About Host Information", GlobalProtect 10.1 admin guide,
  https://origin-docs.paloaltonetworks.com/content/techdocs/en_US/globalprotect/10-1/globalprotect-admin/host-information/about-host-information.html
  (the GlobalProtect app submits the host's information to the gateway at run time, which matches it
  against HIP objects and profiles); "Objects > GlobalProtect > HIP Profiles" (a flow "will either match
  or not match"; on no match the next rule is evaluated).  No Palo Alto Networks document found says that
  ``any-hip`` or ``no-hip`` match every flow: whether a host has sent a HIP report is a run-time fact.
"""

from __future__ import annotations

import pytest
from panos_util import BASE, allow, auto, cfg_of, decide, explain_of, line_of

from auditor.api import audit
from auditor.policy import load_site

SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]

# --- service override timeouts [SBT] -------------------------------------------------------------

# one service object whose override sets the TCP timeout and the half-closed and time-wait timers,
# each timer a statement of its own, as the XML and 'show' in set form write them
OVERRIDE_SET = BASE + allow("ws", svc="prinergy") + (
    "set deviceconfig setting session timeout-tcp 86400\n"
    "set service prinergy protocol tcp port 445,1024-9000\n"
    "set service prinergy protocol tcp override yes timeout 30\n"
    "set service prinergy protocol tcp override yes halfclose-timeout 10\n"
    "set service prinergy protocol tcp override yes timewait-timeout 5\n")

OVERRIDE_XML = """<?xml version="1.0"?>
<config version="10.1.0">
  <devices><entry name="localhost.localdomain">
    <network><interface><ethernet>
      <entry name="ethernet1/1"><layer3><ip><entry name="10.20.0.1/24"/></ip></layer3></entry>
      <entry name="ethernet1/2"><layer3><ip><entry name="10.30.0.1/24"/></ip></layer3></entry>
    </ethernet></interface></network>
    <deviceconfig><setting><session><timeout-tcp>86400</timeout-tcp></session></setting></deviceconfig>
    <vsys><entry name="vsys1">
      <zone>
        <entry name="servers"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
        <entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
      </zone>
      <service><entry name="prinergy"><protocol><tcp><port>445,1024-9000</port>
        <override><yes>
          <timeout>30</timeout>
          <halfclose-timeout>10</halfclose-timeout>
          <timewait-timeout>5</timewait-timeout>
        </yes></override>
      </tcp></protocol></entry></service>
      <rulebase><security><rules><entry name="ws">
        <from><member>workshop</member></from><to><member>servers</member></to>
        <source><member>any</member></source><destination><member>any</member></destination>
        <application><member>any</member></application><service><member>prinergy</member></service>
        <action>allow</action>
      </entry></rules></security></rulebase>
    </entry></vsys>
  </entry></devices>
</config>
"""


@pytest.mark.parametrize("text", [OVERRIDE_SET, OVERRIDE_XML], ids=["set", "xml"])
def test_a_service_override_timeout_followed_by_its_other_timers_is_kept(text):
    # [SBT]: the override's TCP timeout (30 s) applies to the rule's sessions; the half-closed and
    # time-wait timers written after it do not replace it.  Before: the last statement ('timewait-timeout
    # 5') replaced the override and the 30 s timeout was lost, so PRN120 passed on the global 86400 s.
    cfg = auto(text, "fw")
    [t] = [t for t in cfg.timeouts if t.rule is not None]
    assert t.idle_seconds == 30 and t.rule == ("workshop->servers", 0)
    assert t.source.line == line_of(text, "timeout>30" if text is OVERRIDE_XML else "yes timeout 30")
    res = audit([cfg], load_site(None, SITE))
    assert any(f.rule_id == "PRN120" and f.status == "fail" and f.source.line == t.source.line
               for f in res.findings)


def test_a_later_override_timeout_replaces_an_earlier_one():
    # set semantics: a single value set again replaces the previous one; the timers between are kept
    text = OVERRIDE_SET + "set service prinergy protocol tcp override yes timeout 28800\n"
    [t] = [t for t in cfg_of(text).timeouts if t.rule is not None]
    assert t.idle_seconds == 28800 and t.source.line == line_of(text, "timeout 28800")


# --- destination NAT [DNR] -------------------------------------------------------------------------

NAT_BASE = BASE + (
    "set address pub ip-netmask 203.0.113.10\n"
    "set address srv ip-netmask 10.20.0.10\n") + allow("in", frm="untrust", to="servers", dst="pub", svc="smb") + (
    "set service smb protocol tcp port 445\n")
NAT_RULE = "set rulebase nat rules web from untrust to untrust source any destination pub service any\n"


@pytest.mark.parametrize("how", [
    "set rulebase nat rules web destination-translation translated-address srv dns-rewrite direction reverse\n",
    "set rulebase nat rules web destination-translation translated-address srv\n"
    "set rulebase nat rules web destination-translation dns-rewrite direction forward\n"])
def test_dns_rewrite_does_not_make_a_destination_nat_unknown(how):
    # [DNR]: DNS rewrite changes DNS answers; the NAT rule still translates pub -> srv and the security
    # rule (pre-NAT address, post-NAT zone) permits.  Before: 'direction' and 'reverse' were read as
    # translation settings, the rule became uncertain (unknown) and no line said why.
    text = NAT_BASE + NAT_RULE + how
    cfg = cfg_of(text)
    assert decide(cfg, "198.51.100.5", "203.0.113.10", dport=445) == "permit"
    assert decide(cfg, "198.51.100.5", "203.0.113.10", dport=80) == "deny"
    assert [d for d in cfg.diagnostics if d.code == "CFG300"] == []


def test_a_destination_translation_setting_not_understood_is_reported_with_its_line():
    text = NAT_BASE + NAT_RULE + (
        "set rulebase nat rules web destination-translation translated-address srv frobnicate yes\n")
    cfg = cfg_of(text)
    assert decide(cfg, "198.51.100.5", "203.0.113.10", dport=445) == "unknown"
    assert any(d.code == "CFG300" and "frobnicate" in d.message and d.source.line == line_of(text, "frobnicate")
               for d in cfg.diagnostics)


# --- HIP profiles [HIP] ----------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["source-hip", "destination-hip", "hip-profiles"])
@pytest.mark.parametrize("value", ["any-hip", "no-hip"])
def test_any_hip_and_no_hip_do_not_match_every_packet_for_certain(key, value):
    # an allow rule for hosts with (any-hip) or without (no-hip) a HIP report, then the interzone default
    # deny: a Workshop client's traffic is permitted only if it is such a host, which the configuration
    # cannot tell.  Before: both values were read as 'any' and the traffic passed for certain.
    cfg = cfg_of(BASE + allow("gp", **{key.replace("-", "_"): value}))
    o = explain_of(cfg, "10.30.0.5", "10.20.0.10")
    assert o["decision"] == "unknown" and o["reason"] == "security rule 'gp' is uncertain: it matches a HIP profile"
    # 'any' still matches every packet
    assert decide(cfg_of(BASE + allow("gp", **{key.replace("-", "_"): "any"})), "10.30.0.5", "10.20.0.10") == "permit"


@pytest.mark.parametrize("text", [
    OVERRIDE_SET.replace("set service prinergy protocol tcp override yes timeout 30\n", ""),
    OVERRIDE_XML.replace("          <timeout>30</timeout>\n", ""),
    OVERRIDE_SET.replace("set service prinergy protocol tcp override yes timeout 30\n"
                         "set service prinergy protocol tcp override yes halfclose-timeout 10\n"
                         "set service prinergy protocol tcp override yes timewait-timeout 5\n",
                         "set service prinergy protocol tcp override yes\n")], ids=["set", "xml", "bare"])
def test_a_service_override_without_a_tcp_timeout_has_the_default_3600_s(text):
    # [SBT]: "Override—Define a custom session timeout for the service ... Enter a TCP Timeout value ... The
    # value range is 1 - 604800, and the default value is 3600 seconds" (PAN-OS 9.1 and 10.0 admin guides,
    # https://origin-docs.paloaltonetworks.com/content/techdocs/en_US/pan-os/9-1/pan-os-admin/app-id/service-based-session-timeouts.html).
    # An override with no TCP timeout of its own was taken as no override: the global 86400 s passed.
    cfg = auto(text, "fw")
    [t] = [t for t in cfg.timeouts if t.rule is not None]
    assert t.idle_seconds == 3600 and t.rule == ("workshop->servers", 0)
    res = audit([cfg], load_site(None, SITE))
    assert [f.status for f in res.findings if f.rule_id == "PRN120"] == ["fail"]  # was: no PRN120

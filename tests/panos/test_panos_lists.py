"""PAN-OS: a rule's member list naming ``any`` together with other members.

The web interface offers ``any`` only alone; the CLI refuses such a list from PAN-OS 10.1 ("Server error:
destination is invalid. 'any' should not be used with another destination", PaloAltoNetworks/pan-os-php
issue #619, https://github.com/PaloAltoNetworks/pan-os-php/issues/619, which also shows older releases'
configs holding ``from [ LAN-L3 any ]``); the XML API and older releases accept it (checkov's PAN-OS
checks: "Setting a source_addresses ... list item of 'any' alongside other items is not technically valid
PAN-OS configuration, but the provider and the OS accept it").  No Palo Alto Networks document says how the
firewall matches such a rule: as ``any``, or as the other members.  So the packets the two readings
disagree on are ``unknown`` and the line of the ``any`` is reported (CFG300); the packets of the other
members, which both readings match, stay certain.
"""

from __future__ import annotations

from panos_util import BASE, allow, cfg_of, decide, line_of

WS, WS_HIGH, SRV, SRV2, NET = "10.30.0.5", "10.30.0.200", "10.20.0.10", "10.20.0.11", "8.8.8.8"
OBJS = ("set address ws-low ip-netmask 10.30.0.0/25\n"
        "set address prim ip-netmask 10.20.0.10/32\n"
        "set service S445 protocol tcp port 445\n")


def _reported(cfg, line: int) -> bool:
    return any(d.code == "CFG300" and d.source.line == line and "'any' with other members" in d.message
               for d in cfg.diagnostics)


def test_source_any_beside_an_address_is_certain_only_for_the_address():
    # before: read as 'any', so 10.30.0.200 was permitted for certain
    text = BASE + OBJS + allow("r", src=["any", "ws-low"])
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "permit"  # in ws-low: both readings permit
    assert decide(cfg, WS_HIGH, SRV) == "unknown"  # only 'any' matches it
    assert _reported(cfg, line_of(text, "rules r source"))


def test_destination_any_beside_an_address_in_a_deny_rule():
    # before: the deny rule read as 'any' denied 10.20.0.11 for certain; as 'prim' it falls to the allow
    text = BASE + OBJS + allow("no", dst=["prim", "any"], action="deny") + allow("yes")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "deny"
    assert decide(cfg, WS, SRV2) == "unknown"


def test_negated_source_with_any_beside_an_address():
    # negated 'any' matches nothing, negated ws-low everything else: nothing is certain, the rest possible
    text = BASE + OBJS + allow("r", src=["any", "ws-low"], negate_source="yes")
    cfg = cfg_of(text)
    assert decide(cfg, WS_HIGH, SRV) == "unknown"
    assert decide(cfg, WS, SRV) == "deny"  # in ws-low: neither reading matches; interzone default


def test_service_any_beside_a_service():
    text = BASE + OBJS + allow("r", svc=["S445", "any"])
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV, dport=445) == "permit"
    assert decide(cfg, WS, SRV, dport=80) == "unknown"  # before: permit
    assert _reported(cfg, line_of(text, "rules r service"))


def test_service_any_beside_application_default():
    # the other member alone: application-default for any application (App-ID's ports: uncertain)
    cfg = cfg_of(BASE + allow("r", svc=["any", "application-default"]))
    assert decide(cfg, WS, SRV, dport=445) == "unknown"  # before: permit


def test_application_any_beside_an_application():
    # as 'any': every packet; as web-browsing: what App-ID says is web-browsing.  Certain of none
    text = BASE + allow("r", app=["any", "web-browsing"])
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV, dport=445) == "unknown"  # before: permit
    assert _reported(cfg, line_of(text, "rules r application"))


def test_zone_any_beside_a_zone():
    text = BASE + allow("r", frm=["workshop", "any"])
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "permit"  # from workshop: both readings
    assert decide(cfg, NET, SRV) == "unknown"  # from untrust: only as 'any' (before: permit)
    assert _reported(cfg, line_of(text, "rules r from"))


def test_any_alone_or_members_alone_are_unchanged():
    cfg = cfg_of(BASE + OBJS + allow("r", src=["ws-low", "10.30.0.200"], svc=["S445"]))
    assert decide(cfg, WS_HIGH, SRV) == "permit"
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]


def test_xml_any_beside_an_address_is_reported_at_its_list():
    text = """\
<config version="10.1.0">
  <devices><entry name="localhost.localdomain">
    <network><interface><ethernet>
      <entry name="ethernet1/1"><layer3><ip><entry name="10.20.0.1/24"/></ip></layer3></entry>
      <entry name="ethernet1/2"><layer3><ip><entry name="10.30.0.1/24"/></ip></layer3></entry>
    </ethernet></interface>
    <virtual-router><entry name="default"><interface>
      <member>ethernet1/1</member><member>ethernet1/2</member>
    </interface></entry></virtual-router></network>
    <vsys><entry name="vsys1">
      <zone>
        <entry name="servers"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
        <entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
      </zone>
      <rulebase><security><rules><entry name="r">
        <from><member>workshop</member></from><to><member>servers</member></to>
        <source><member>10.30.0.0/25</member>
          <member>any</member></source>
        <destination><member>any</member></destination>
        <application><member>any</member></application><service><member>any</member></service>
        <action>allow</action>
      </entry></rules></security></rulebase>
    </entry></vsys>
  </entry></devices>
</config>
"""
    cfg = cfg_of(text, "fw.xml")
    assert decide(cfg, WS, SRV) == "permit"
    assert decide(cfg, WS_HIGH, SRV) == "unknown"
    assert _reported(cfg, line_of(text, "<source>"))  # (the line of the list's element)


def test_nat_rule_with_any_beside_an_address_translates_maybe():
    # the destination NAT rule, read as 'any', translates every source; as ws-low only some: where the two
    # readings differ, whether the packet is translated (and so its zone and verdict) is unknown
    text = BASE + OBJS + allow("r", to="untrust", dst="any") + allow("s", dst="any") + (
        "set rulebase nat rules dn from workshop\n"
        "set rulebase nat rules dn to untrust\n"
        "set rulebase nat rules dn source [ any ws-low ]\n"
        "set rulebase nat rules dn destination 203.0.113.10\n"
        "set rulebase nat rules dn service any\n"
        "set rulebase nat rules dn destination-translation translated-address 10.20.0.10\n")
    cfg = cfg_of(text)
    assert _reported(cfg, line_of(text, "dn source"))
    assert decide(cfg, WS_HIGH, "203.0.113.10") == "unknown"


# --- a NAT rule's service: one value, not a list ----------------------------------------------------------------
# The PAN-OS schema gives a NAT rule one service: 'service', type string, at xpath 'service', default 'any'
# (Palo Alto Networks' pan-os-codegen, specs/policies/network-address-translation.yaml, generated from the
# PAN-OS schema; the security rule's 'service' is a member list).  Whether PAN-OS refuses a list there or takes
# one of its members is not documented: the rule translates maybe, and the line is reported.  Before, the
# first member was taken and the others dropped without a word: port 80 below, not translated, went to untrust
# and was denied for certain.

NAT_SVC = ("set service S445 protocol tcp port 445\nset service S80 protocol tcp port 80\n"
           "set rulebase nat rules dn from workshop\n"
           "set rulebase nat rules dn to untrust\n"
           "set rulebase nat rules dn source any\n"
           "set rulebase nat rules dn destination 203.0.113.10\n"
           "set rulebase nat rules dn service %s\n"
           "set rulebase nat rules dn destination-translation translated-address 10.20.0.10\n")


def test_nat_rule_with_a_list_of_services_translates_maybe():
    text = BASE + allow("r", dst="203.0.113.10") + NAT_SVC % "[ S445 S80 ]"
    cfg = cfg_of(text)
    assert decide(cfg, WS, "203.0.113.10", dport=80) == "unknown"  # before: deny
    assert decide(cfg, WS, "203.0.113.10", dport=445) == "unknown"  # (as S445 alone: permit)
    assert any(d.code == "CFG300" and d.source.line == line_of(text, "dn service")
               and "its service is a list (S445 S80)" in d.message for d in cfg.diagnostics)


def test_nat_rule_with_one_service_is_unchanged():
    cfg = cfg_of(BASE + allow("r", dst="203.0.113.10") + NAT_SVC % "S445")
    assert decide(cfg, WS, "203.0.113.10", dport=445) == "permit"
    assert decide(cfg, WS, "203.0.113.10", dport=80) == "deny"  # (not translated: to untrust, no rule)
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]

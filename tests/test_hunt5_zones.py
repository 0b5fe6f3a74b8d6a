"""Shapes of real PAN-OS and FortiOS configurations (public exports and day-one templates) the parsers
misread, each reduced to a small synthetic configuration and checked against the vendor's document cited
in its test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "panos"))

from panos_util import BASE, allow, cfg_of, decide  # noqa: E402
from test_fortios_parser import cfg as forti_cfg  # noqa: E402
from test_fortios_parser import decide as forti_decide  # noqa: E402
from test_fortios_parser import pol  # noqa: E402

from auditor.core.model import Impact  # noqa: E402

WS, SRV = "10.30.0.5", "10.20.0.10"


# --- PAN-OS: Palo Alto Networks' built-in external dynamic lists --------------------------------------
# Palo Alto Networks, "Built-in External Dynamic Lists"
# (https://docs.paloaltonetworks.com/network-security/security-policy/administration/objects/external-dynamic-lists/built-in-edls):
# with a Threat Prevention licence the firewall provides IP-address EDLs (Bulletproof, High-Risk, Known
# Malicious, Tor Exit IP addresses) "that you can use" in policy, updated by content updates; they are not
# objects of the configuration. Palo Alto Networks' own day-one template (PaloAltoNetworks/iron-skillet,
# loadable_configs/sample-set-commands/panos/iron_skillet_panos_full.conf, "Outbound Block Rule" and
# "Inbound Block Rule") names them as panw-highrisk-ip-list, panw-known-ip-list and
# panw-bulletproof-ip-list. A reference to one is not undefined (CFG301 said "PAN-OS refuses to commit"
# it, an error that failed the audit); its entries are known only at run time, like any external list's.

def test_a_built_in_external_dynamic_list_is_not_an_undefined_address():
    text = BASE + allow("block", frm="any", to="any",
                        dst=["panw-highrisk-ip-list", "panw-known-ip-list", "panw-bulletproof-ip-list"],
                        action="deny") + allow("ws")
    cfg = cfg_of(text)
    assert not [d for d in cfg.diagnostics if d.code == "CFG301"]
    # the lists' entries are fetched at run time: the deny above may match the server, so not a pass
    assert decide(cfg, WS, SRV) == "unknown"


def test_a_built_in_list_name_defined_as_an_object_is_that_object():
    text = BASE + allow("block", dst="panw-known-ip-list", action="deny") + allow("ws") + \
        "set address panw-known-ip-list ip-netmask 192.0.2.1\n"
    assert decide(cfg_of(text), WS, SRV) == "permit"


def test_another_undefined_name_is_still_reported():
    cfg = cfg_of(BASE + allow("block", dst="panw-no-such-list", action="deny") + allow("ws"))
    assert [d for d in cfg.diagnostics if d.code == "CFG301" and "panw-no-such-list" in d.message]


# --- PAN-OS: an empty <units/> under an interface --------------------------------------------------------
# A running-config.xml of PAN-OS 9.0 and 10.x firewalls writes `<loopback><units/></loopback>`,
# `<vlan><units/></vlan>`, `<tunnel><units/></tunnel>` (and `<units/>` under a layer-3 ethernet port) when
# no subinterface is defined: the container of the logical interfaces (PAN-OS Web Interface Help,
# "Network > Interfaces > Loopback", "Layer 3 Subinterface": each subinterface is a unit of its parent)
# with none in it. It defines no interface, so no address and no zone: nothing that decides traffic.

_XML = """<?xml version="1.0"?>
<config version="9.0.0" urldb="paloaltonetworks">
  <devices>
    <entry name="localhost.localdomain">
      <network>
        <interface>
          <ethernet>
            <entry name="ethernet1/1">
              <layer3>
                <ip><entry name="10.20.0.1/24"/></ip>
                <units/>
              </layer3>
            </entry>
            <entry name="ethernet1/2">
              <layer3>
                <ip><entry name="10.30.0.1/24"/></ip>
              </layer3>
            </entry>
          </ethernet>
          <loopback>
            <units/>
          </loopback>
          <vlan>
            <units/>
          </vlan>
          <tunnel>
            <units/>
          </tunnel>
        </interface>
      </network>
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="servers"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
          </zone>
          <rulebase>
            <security>
              <rules>
                <entry name="ws">
                  <from><member>workshop</member></from>
                  <to><member>servers</member></to>
                  <source><member>any</member></source>
                  <destination><member>any</member></destination>
                  <application><member>any</member></application>
                  <service><member>any</member></service>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
"""


def test_an_empty_units_container_is_not_a_line_not_understood():
    cfg = cfg_of(_XML, "running-config.xml")
    assert not [d for d in cfg.unrecognized if "units" in d.source.text]
    assert decide(cfg, WS, SRV) == "permit"


def test_a_subinterface_under_units_is_still_read():
    xml = _XML.replace("<units/>\n              </layer3>", "<units><entry name=\"ethernet1/1.5\"><tag>5</tag>"
                       "<ip><entry name=\"10.25.0.1/24\"/></ip></entry></units>\n              </layer3>")
    cfg = cfg_of(xml, "running-config.xml")
    assert any(i.name == "ethernet1/1.5" for i in cfg.interfaces)


# --- FortiOS: an empty 'config ... end' block ---------------------------------------------------------------
# A FortiOS backup (`show full-configuration`, the backup file) writes every table of the VDOM, the empty ones
# as `config firewall DoS-policy` directly followed by `end` (e.g. policy64, policy46, interface-policy,
# DoS-policy, explicit-proxy-policy on FortiOS 5.x/6.0, `config system auto-scale` on 7.4). FortiGate 7.4.0
# Administration Guide, "Subcommands" (https://docs.fortinet.com/document/fortigate/7.4.0/administration-guide/
# 627485): under `config`, `edit <table_row>` creates or edits a table entry and `set` a field; a table with
# no entry holds nothing, and fields not set keep their defaults, as when the block is absent. So an empty
# block, whatever it configures, changes no verdict.

def test_an_empty_block_of_a_kind_not_read_changes_no_verdict():
    extra = "config firewall DoS-policy\nend\nconfig firewall policy64\nend\nconfig system auto-scale\nend\n"
    c = forti_cfg(pol(1), extra=extra)
    assert not [d for d in c.unrecognized if d.impact is Impact.GLOBAL]
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "permit"


def test_a_non_empty_block_of_a_kind_not_read_is_still_reported():
    extra = "config firewall DoS-policy\n    edit 1\n        set interface \"port1\"\n    next\nend\n"
    c = forti_cfg(pol(1), extra=extra)
    (d,) = [d for d in c.unrecognized if "DoS-policy" in d.source.text]
    assert d.impact is Impact.GLOBAL
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "unknown"


# --- PAN-OS: the Authentication policy's report is readable --------------------------------------------------
# PAN-OS Web Interface Help, "Policies > Authentication": a rule there makes matching users authenticate
# (captive portal, MFA) before their traffic is allowed; the rulebase is reported, impact global. Its message
# read "line not understood: authentication <redacted>": the shared secret redaction takes 'authentication X'
# for a key X, and the message lost what the line was.

def test_an_authentication_rule_is_reported_with_a_readable_reason():
    text = BASE + allow("ws") + "set rulebase authentication rules mfa from workshop\n" \
        "set rulebase authentication rules mfa authentication-enforcement DUO\n"
    cfg = cfg_of(text)
    (d,) = [d for d in cfg.unrecognized if "rulebase authentication" in d.source.text]
    assert d.impact is Impact.GLOBAL
    assert "<redacted>" not in d.message and "authenticate first" in d.message


# --- FortiOS 7.x: factory-default proxy addresses and SSH inspection keys ------------------------------------
# A FortiOS 7.4 backup holds, from the factory, `config firewall proxy-address` (host-regex entries such as
# "IPv4-address") and `config firewall ssh local-key` / `local-ca` / `setting` (the SSH proxy's keys). Each was
# reported, impact global, so every verdict of such a backup was unknown.
# Fortinet, FortiGate Administration Guide, "Proxy policy addresses"
# (https://docs.fortinet.com/document/fortigate/7.2.10/administration-guide/720455): "Proxy addresses are
# designed to be used only by proxy policies" (`config firewall proxy-policy`, still reported when not empty).
# FortiOS CLI Reference, "firewall ssh local-key" (https://docs.fortinet.com/document/fortigate/6.0.0/
# cli-reference/812086/firewall-ssh-local-key): "local host key templates for trusted re-signing" by the SSH
# proxy (deep inspection of traffic a policy already accepted), used "under config firewall ssh setting".

_PROXY_SSH = """config firewall proxy-address
    edit "IPv4-address"
        set type host-regex
        set host-regex "^([0-9]|[1-9][0-9])$"
    next
end
config firewall ssh local-key
    edit "Fortinet_SSH_RSA2048"
        set source built-in
    next
end
config firewall ssh setting
    set caname "Fortinet_SSH_CA"
end
"""


def test_proxy_addresses_and_ssh_inspection_keys_change_no_verdict():
    c = forti_cfg(pol(1), extra=_PROXY_SSH)
    assert not [d for d in c.unrecognized if d.impact is Impact.GLOBAL]
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "permit"


def test_a_firewall_policy_naming_a_proxy_address_is_not_a_pass():
    c = forti_cfg(pol(1, da='"IPv4-address"'), extra=_PROXY_SSH)
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "unknown"


def test_a_proxy_policy_is_still_reported():
    extra = _PROXY_SSH + 'config firewall proxy-policy\n    edit 1\n        set proxy explicit-web\n    next\nend\n'
    c = forti_cfg(pol(1), extra=extra)
    (d,) = [d for d in c.unrecognized if "proxy-policy" in d.source.text]
    assert d.impact is Impact.GLOBAL


# --- FortiOS: 'clone' inside a table (a CLI script) ------------------------------------------------------------
# FortiGate 6.0.0 Handbook, "Sub-commands" (https://docs.fortinet.com/document/fortigate/6.0.0/handbook/753045),
# commands for tables: "clone <table>: Clone (or make a copy of) a table from the current object. For example, in
# config firewall policy, you could enter the following command to clone security policy 27 to create security
# policy 30: clone 27 to 30". batfish's FortiOS test configurations (policy_clone, firewall_policy_warn) write it
# so. It was reported with impact none: the copy was missing from the model, and a later 'edit' of it built a new
# entry of its few settings. Below, the device's first policy is a deny of policy 1's traffic; the model said
# permit.

def test_a_cloned_policy_makes_the_policy_table_unknown():
    text = pol(1, svc="HTTP", action="accept") + \
        "    clone 1 to 3\n    edit 3\n        set action deny\n    next\n    move 3 before 1\n"
    c = forti_cfg(text)
    (d,) = [d for d in c.unrecognized if "clone" in d.source.text]
    assert d.impact is Impact.GLOBAL
    assert forti_decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


def test_a_cloned_address_makes_the_verdicts_unknown():
    # the clone of host2 (10.2.0.10/32) is h9; 'edit h9' only amends it, so h9 is not 'all': the device denies
    # 10.2.0.20 (no policy matches), the model of h9 as a fresh address permitted it
    extra = 'config firewall address\n    clone "host2" to "h9"\n    edit "h9"\n        set comment "copy"\n' \
        '    next\nend\n'
    c = forti_cfg(pol(1, da='"h9"', svc="HTTP", action="accept"), extra=extra)
    assert forti_decide(c, "10.1.0.5", "10.2.0.20")["decision"] == "unknown"

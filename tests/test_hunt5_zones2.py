"""More shapes of real PAN-OS and FortiOS configurations (public exports, day-one templates, batfish's test
configurations) the parsers misread, each reduced to a small synthetic configuration and checked against the
vendor's document cited in its test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "panos"))

from panos_util import BASE, allow, cfg_of, decide  # noqa: E402
from test_fortios_parser import cfg as forti_cfg  # noqa: E402
from test_fortios_parser import decide as forti_decide  # noqa: E402
from test_fortios_parser import pol  # noqa: E402

from auditor.core.model import Impact  # noqa: E402
from parsers.panos import parse_with_lines  # noqa: E402

WS, SRV = "10.30.0.5", "10.20.0.10"


def global_reports(cfg) -> list:
    return [d for d in cfg.unrecognized if d.impact is Impact.GLOBAL]


# --- PAN-OS: 'delete' in a loadable set script -----------------------------------------------------------------
# Palo Alto Networks' day-one template (PaloAltoNetworks/iron-skillet, loadable_configs/sample-set-commands/
# panos/iron_skillet_panos_full.conf) is a set script that also removes the factory administrator:
# `delete mgt-config users admin`. A 'delete PATH' removes PATH and everything under it (PAN-OS XML API,
# "Delete Configuration", https://docs.paloaltonetworks.com/pan-os/9-1/pan-os-panorama-api/
# pan-os-xml-api-request-types/configuration-api/delete-configuration.html: "delete an object at a specified
# location in the configuration"; Palo Alto Networks Live Community, "How to Create Management Users, Assign
# Roles, and Change Password from the PAN-OS CLI": "delete mgt-config users <name>" removes a user).
# mgt-config holds the firewall's administrator accounts (PAN-OS Administrator's Guide, "Configure an
# Administrative Account": administrators of the firewall, Device > Administrators), which decide no traffic
# through it. It was reported with impact global: every verdict of the template was unknown.

def test_deleting_an_administrator_changes_no_verdict():
    cfg, lines = parse_with_lines(BASE + allow("ws") + "delete mgt-config users admin\n", "fw.set")
    assert not cfg.unrecognized
    assert "deletes administrator accounts and management settings" in lines.ignored_why
    assert decide(cfg, WS, SRV) == "permit"


def test_deleting_a_rule_is_still_reported():
    # (the deleted rule denied the flow: a model that ignored the delete would say deny, one that dropped the
    # rule without reading the rest of the script could say permit; the device's answer is not modelled)
    cfg = cfg_of(BASE + allow("no", action="deny") + allow("ws") + "delete rulebase security rules no\n")
    (d,) = [d for d in cfg.unrecognized if d.source.text.startswith("delete")]
    assert d.impact is Impact.GLOBAL
    assert decide(cfg, WS, SRV) == "unknown"


def test_deleting_the_tcp_timeout_or_a_section_holding_it_is_still_reported():
    for path in ("deviceconfig setting session timeout-tcp", "deviceconfig setting session", "deviceconfig",
                 "address srv", "zone workshop"):
        cfg = cfg_of(BASE + allow("ws") + "delete %s\n" % path)
        assert [d.impact for d in cfg.unrecognized if d.source.text.startswith("delete")] == [Impact.GLOBAL], path
    cfg = cfg_of(BASE + allow("ws") + "delete deviceconfig system ntp-servers\n")
    assert not global_reports(cfg)



# --- PAN-OS: 'set vsys NAME' alone ---------------------------------------------------------------------------
# PAN-OS CLI: 'set vsys <name> ...' configures the virtual system <name> (its zones, rules, objects; PAN-OS
# Administrator's Guide, "Virtual Systems"); 'set vsys vsys1' alone names it with nothing in it, as batfish's
# vsys-import test configuration writes. It was read as a section 'vsys' of vsys1 ("unknown section", impact
# global); it configures nothing.

def test_a_vsys_named_alone_changes_no_verdict():
    cfg = cfg_of(BASE + allow("ws") + "set vsys vsys1\n")
    assert not cfg.unrecognized
    assert decide(cfg, WS, SRV) == "permit"
    # (its settings are still its own)
    cfg = cfg_of(BASE + allow("ws") + "set vsys vsys1\nset vsys vsys1 zone dmz network layer3 ethernet1/5\n")
    assert [i.zone for i in cfg.interfaces if i.name == "ethernet1/5"] == ["dmz"]


# --- FortiOS: 'config gui console' in a backup -----------------------------------------------------------------
# A FortiOS 5.2 backup (global section) holds `config gui console` / `unset preferences` / `end`. FortiOS 6.0 CLI
# Reference, "gui console status" (https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/561932/
# gui-console-status): the preferences of the web GUI's CLI console, per administrator (colour scheme, font,
# history buffer). They decide no traffic; the block was reported with impact global (every verdict unknown).

def test_the_gui_console_preferences_change_no_verdict():
    c = forti_cfg(pol(1), extra="config gui console\n    unset preferences\nend\n")
    assert not c.unrecognized
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "permit"


def test_another_gui_block_is_still_reported():
    c = forti_cfg(pol(1), extra="config gui frobnicate\n    set x 1\nend\n")
    assert [d.impact for d in c.unrecognized] == [Impact.GLOBAL]


# --- FortiOS: 'config tagging' inside an address ---------------------------------------------------------------
# FortiOS CLI Reference 7.0, "config firewall address" (https://docs.fortinet.com/document/fortigate/7.0.9/
# cli-reference/256620): an address entry may hold `config tagging` ("Config object tagging": `edit <name>`,
# `set category`, `set tags`), the tag categories of `config system object-tagging` (FortiOS 6.0 CLI Reference,
# "system object-tagging": "configure object tags", with the "color of icon on the GUI"). Tags label the object;
# they do not change the addresses it matches. batfish's FortiOS test configuration nested_config_recovery writes
# one; it was reported with impact global.

_TAGGED = 'config firewall address\n    edit "a1"\n        config tagging\n            edit "t1"\n' \
    '                set category "site"\n                set tags "prepress"\n            next\n        end\n' \
    '        set subnet 10.2.0.0 255.255.255.0\n    next\nend\n'


def test_object_tags_inside_an_address_change_no_verdict():
    c = forti_cfg(pol(1, da='"a1"', svc="HTTP"), extra=_TAGGED)
    assert not c.unrecognized
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "permit"
    # (the address is still read: outside its subnet the implicit deny)
    assert forti_decide(c, "10.1.0.5", "10.3.0.5")["decision"] == "deny"


def test_another_block_inside_an_address_is_still_reported():
    extra = _TAGGED.replace("config tagging", "config frobnicate")
    c = forti_cfg(pol(1, da='"a1"', svc="HTTP"), extra=extra)
    assert [d.impact for d in c.unrecognized] == [Impact.GLOBAL]


# --- FortiOS: 'unset default' in 'config system session-ttl' ---------------------------------------------------
# Fortinet KB FD41049 (article 197205, "useful CLI sub-commands for multi-option attributes values",
# http://kb.fortinet.com/kb/documentLink.do?externalID=FD41049): `unset` deletes a value, or resets it to its
# default ("clear ... same as unset (reset the list to default value)"). The default session TTL is 3600 s (Fortinet
# KB "Technical Tip: Session timeout settings", cited in parsers/fortios/timeouts.py). An `unset default` was read
# as a 'default' without a value: reported (timeouts unknown) although the device uses 3600 s.

def test_unset_session_ttl_default_is_the_default():
    c = forti_cfg(pol(1), extra="config system session-ttl\n    set default 28800\n    unset default\nend\n")
    assert not c.unrecognized
    (t,) = [t for t in c.timeouts if t.default]
    assert t.idle_seconds == 3600
    c = forti_cfg(pol(1), extra="config system session-ttl\n    unset default\n    set default 28800\nend\n")
    (t,) = [t for t in c.timeouts if t.default]
    assert t.idle_seconds == 28800


# --- FortiOS 5.2: the factory-default proxy service 'webproxy' ---------------------------------------------------
# Every FortiOS 5.2 backup holds the factory service `edit "webproxy"` / `set explicit-proxy enable` /
# `set category "Web Proxy"` / `set protocol ALL` / `set tcp-portrange 0-65535:0-65535`. FortiOS 6.0 CLI Reference,
# "firewall service custom" (https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/398367/
# firewall-service-custom): protocol "ALL - for web proxy" (as HTTP, FTP, CONNECT, SOCKS-TCP, SOCKS-UDP), proxy
# policies being the explicit-proxy policy table (FortiOS 5.2 What's New, "Explicit Proxy Policy Table":
# `config firewall explicit-proxy-policy`, reported when not empty). The model already makes any firewall policy
# naming a proxy service uncertain; the setting 'explicit-proxy' (not modelled) was reported with impact global,
# so every verdict of every 5.2 backup was unknown. A setting not understood of a service matched by ports is
# still reported with impact global.

_WEBPROXY = 'config firewall service custom\n    edit "webproxy"\n        set explicit-proxy enable\n' \
    '        set category "Web Proxy"\n        set protocol ALL\n        set tcp-portrange 0-65535:0-65535\n' \
    '    next\nend\n'


def test_a_proxy_service_setting_not_understood_changes_no_verdict_of_other_policies():
    c = forti_cfg(pol(1, svc="HTTP"), extra=_WEBPROXY)
    assert not global_reports(c)
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "permit"
    assert forti_decide(c, "10.1.0.5", "10.2.0.5", dport=22)["decision"] == "deny"


def test_a_policy_naming_the_proxy_service_is_not_a_pass():
    c = forti_cfg(pol(1, svc='"webproxy"'), extra=_WEBPROXY)
    assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "unknown"


def test_a_setting_not_understood_of_a_port_service_is_still_global():
    for proto in ("TCP/UDP/SCTP", None):
        text = _WEBPROXY.replace("set protocol ALL", "set protocol %s" % proto if proto else "unset protocol")
        c = forti_cfg(pol(1, svc="HTTP"), extra=text)
        assert [d.impact for d in c.unrecognized if "explicit-proxy" in d.source.text] == [Impact.GLOBAL], proto
        assert forti_decide(c, "10.1.0.5", "10.2.0.5")["decision"] == "unknown"
    # (the protocol a later 'edit' of the entry sets is the one that counts)
    text = _WEBPROXY + 'config firewall service custom\n    edit "webproxy"\n        set protocol TCP/UDP/SCTP\n' \
        '    next\nend\n'
    c = forti_cfg(pol(1, svc="HTTP"), extra=text)
    assert [d.impact for d in c.unrecognized if "explicit-proxy" in d.source.text] == [Impact.GLOBAL]

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

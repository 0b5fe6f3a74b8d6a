"""aerleon differential, session 29: term options and header options the shape tests do not draw, rendered by
aerleon, read by us, and judged against what the vendor documents (aerleon's ``AclCheck`` does not model these
options, so each expected decision here is written from the vendor's documentation, cited at its test).

Also: ``explain --filter`` on a filter whose device default is not a deny (a Windows Firewall's outbound default,
an SRX's ``default-policy permit-all``) ends as the device ends it, not in an invented implicit deny.
"""

from __future__ import annotations

import logging

logging.getLogger("absl").setLevel(logging.ERROR)

from aerleon import api  # noqa: E402
from aerleon.lib import naming  # noqa: E402

from auditor.api import decision_json, make_packet  # noqa: E402
from parsers import parse_text  # noqa: E402

NETWORKS = {"S": {"values": [{"address": "10.0.1.0/24"}]}, "S6": {"values": [{"address": "2001:db8::/64"}]}}
SERVICES = {"WEB": [{"port": "80", "protocol": "tcp"}]}


def render(target: str, header: str, terms: list[dict]) -> str:
    """aerleon's text for one filter of ``terms`` under ``target: header``."""
    pol = {"filename": "s29", "filters": [{"header": {"targets": {target: header}}, "terms": terms}]}
    defs = naming.Naming()
    defs.ParseDefinitionsObject({"networks": NETWORKS, "services": SERVICES}, "")
    out = api.Generate([pol], defs)
    return next(iter(out.values()))


def decide(text: str, fname: str, *pkt) -> dict:
    return decision_json(parse_text(text, "aerleon-s29"), make_packet(*pkt), fname)


# --- explain --filter: the filter ends as the device ends it ------------------------------------------------------

def test_windows_outbound_filter_alone_ends_in_the_default_allow():
    """aerleon's ``windows_advfirewall`` ``out`` filter (netsh ``add rule ... dir=out``).  Windows Firewall's default
    outbound action is Allow ("Specifies the default action for outbound traffic. These settings are Allow by
    default.": INetFwPolicy2::put_DefaultOutboundAction,
    https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-put_defaultoutboundaction), and
    inbound Block (INetFwPolicy2::get_DefaultInboundAction).  ``explain --filter 'windows firewall outbound'``
    said DENY, "implicit deny at the end of windows firewall outbound", for a packet no rule matches."""
    terms = [{"name": "t0", "destination-address": "S", "protocol": ["tcp"], "destination-port": "WEB",
              "action": "deny"}]
    text = render("windows_advfirewall", "out inet", terms)
    assert "dir=out" in text and "action=block" in text
    blocked = decide(text, "windows firewall outbound", "192.168.5.5", "10.0.1.9", "tcp", 1024, 80)
    assert blocked["decision"] == "deny" and "action=block" in blocked["rule"], blocked
    other = decide(text, "windows firewall outbound", "192.168.5.5", "10.0.2.9", "tcp", 1024, 80)
    assert other["decision"] == "permit", other
    assert "default outbound action: allow" in other["reason"], other
    inbound = decide(text, "windows firewall inbound", "10.0.2.9", "192.168.5.5", "tcp", 1024, 80)
    assert inbound["decision"] == "deny" and "default inbound action: block" in inbound["reason"], inbound


def test_srx_zone_pair_alone_ends_in_default_policy_permit_all():
    """A real SRX config with ``set security policies default-policy permit-all``: "permit-all—Permit all traffic
    that does not match a policy" (Juniper, "default-policy", JUNOS Software CLI Reference,
    https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/default-policy.html).
    ``explain --filter untrust->untrust`` said DENY, "implicit deny at the end of untrust->untrust"."""
    text = open("tests/fixtures/corpus/junos/bf-srx-testbed-2.conf").read()
    assert "set security policies default-policy permit-all" in text
    got = decide(text, "untrust->untrust", "10.0.1.5", "10.9.9.9", "tcp", 1024, 4444)
    assert got["decision"] == "permit", got
    assert got["default_line"] == 1 + text.splitlines().index("set security policies default-policy permit-all")

"""Session 30, lead: fixes made while merging the helpers' branches.

PAN-OS, an undefined Zone Protection profile: the zone's ``zone-protection-profile`` names a profile the
input does not define.  PAN-OS refuses to commit such a reference (a candidate configuration, or a firewall
that takes the profile from a Panorama template the export leaves out); what the profile drops is not
known, so packets entering the zone may be dropped by it ("Zone Protection Profiles": "Apply a Zone
Protection profile to each zone to defend it based on the aggregate traffic entering the ingress zone",
https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/zone-protection-and-dos-protection/zone-defense/zone-protection-profiles).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "panos"))

from panos_util import BASE, allow, cfg_of, decide, line_of  # noqa: E402

WS, SRV = "10.30.0.5", "10.20.0.10"


def test_an_undefined_zone_protection_profile_is_cfg301_and_may_drop_what_enters_its_zone():
    text = BASE + "set zone workshop network zone-protection-profile nowhere\n" + allow("all") + \
        allow("back", "servers", "workshop")
    cfg = cfg_of(text)
    undefined = [d for d in cfg.diagnostics if d.code == "CFG301" and "nowhere" in d.message]
    assert [d.source.line for d in undefined] == [line_of(text, "zone-protection-profile nowhere")]
    assert decide(cfg, WS, SRV) == "unknown"  # (was permit: taken as a profile dropping nothing)
    assert decide(cfg, SRV, WS) == "permit"  # (entering from servers: no profile)
    # defined, with only drops of packets the audit does not send: certain again, nothing reported
    ok = cfg_of(BASE + "set zone workshop network zone-protection-profile zp\n"
                "set network profiles zone-protection-profile zp discard-ip-spoof yes\n" + allow("all"))
    assert decide(ok, WS, SRV) == "permit"
    assert not [d for d in ok.diagnostics if "zp" in d.message]


def test_a_wildcard_zone_pair_in_a_group_names_configured_pairs_and_makes_none():
    """Junos, a group's ``security policies from-zone <*> to-zone untrust``: a zone pair's policies are one object
    named by both zones, and a wildcard names configured objects only ("All objects that match the wildcard
    expression inherit the group configuration data", Juniper, "Understanding the Junos Configuration Groups").
    Session 30's expansion of wildcard groups matched ``from-zone workshop`` of the configured workshop->servers
    pair and made a workshop->untrust pair the device does not have: its permit was a certain PERMIT where the
    device's default policy denies."""
    from parsers import parse_text

    sys.path.insert(0, str(Path(__file__).parent))
    from test_junos_parser import SET_CFG

    grp = "".join("set groups G security policies from-zone <*> to-zone untrust policy out %s\n" % s for s in (
        "match source-address any", "match destination-address any", "match application any", "then permit"))
    cfg = parse_text(SET_CFG + grp + "set apply-groups G\n", "a.set")
    assert "workshop->untrust" not in cfg.filters and not cfg.unrecognized
    # a configured workshop->untrust pair does inherit it (reported: the group adds to a list the configuration
    # fills, whose order is not modelled)
    own = "set security policies from-zone workshop to-zone untrust policy web match source-address any\n"
    cfg = parse_text(SET_CFG + own + grp + "set apply-groups G\n", "a.set")
    assert "workshop->untrust" in cfg.filters
    assert any("adds policies" in d.message for d in cfg.unrecognized)

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


def test_ios_global_settings_of_lab_configs_are_ignored_and_an_interfaces_auth_proxy_still_reported():
    """Batfish's GNS3-style example networks (tests/parsing-tests/networks/example-juniper/configs/as2border1.cfg):
    'memory-size iomem 5' (the I/O memory partition), 'ip auth-proxy max-nodata-conns 3' (an authentication proxy
    setting, as 'ip admission max-nodata-conns 3' beside it) and a 'gatekeeper' block (H.323 voice) filter nothing:
    each was a line not understood that could change any verdict, so every such config ended unknown.  An
    interface's 'ip auth-proxy NAME' (which intercepts its HTTP/FTP/Telnet until the user authenticates: Cisco IOS
    Security Configuration Guide, "Authentication Proxy") is still reported."""
    sys.path.insert(0, str(Path(__file__).parent / "ios"))
    from ios_helpers import cfg as ios_cfg

    c = ios_cfg("memory-size iomem 5\nip auth-proxy max-nodata-conns 3\nip admission max-nodata-conns 3\n"
                "gatekeeper\n shutdown\n")
    assert not c.unrecognized, [d.message for d in c.unrecognized]
    c = ios_cfg("ip auth-proxy name AP http\ninterface GigabitEthernet0/0\n ip address 10.30.0.1 255.255.255.0\n"
                " ip auth-proxy AP\n")
    assert [d.source.text.strip() for d in c.unrecognized] == ["ip auth-proxy AP"]

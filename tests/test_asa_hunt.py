"""Cisco ASA: lines of real 9.x configurations the parser reported as not understood although
they cannot change which packets pass (each checked against Cisco's command reference)."""

from parsers.cisco_asa import parse_accounted

HEAD = "ASA Version 9.18(2)\n"


def test_bgp_community_lists_are_routing_policy():
    # ASA command reference, community-list (BGP route filtering by community:
    # https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/co-cz-commands.html):
    # they select routes learned by BGP, which the model does not hold; no packet is filtered
    cfg, lines = parse_accounted(HEAD + "community-list standard CL-A permit 65001:100\n"
                                 "community-list expanded CL-B permit _65001:.*_\n"
                                 "route-map RM permit 10\n match community CL-A\n", "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []
    assert lines.ignored == 4


def test_dns_group_map_is_the_devices_own_resolution():
    # ASA 9.18 general configuration guide, DNS (per-domain server groups for the device's own
    # lookups: https://www.cisco.com/c/en/us/td/docs/security/asa/asa918/configuration/general/asa-918-general-config/basic-dns.html)
    cfg, lines = parse_accounted(HEAD + "dns server-group InsideDNS\n name-server 198.51.100.53\n"
                                 "dns-group-map\n dns-to-domain InsideDNS eng.example.com\n", "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []

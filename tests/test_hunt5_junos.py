"""Junos: what running real public configurations (ciscoconfparse's, NAPALM's and Ansible's test configs,
Batfish's test configs) found, each reduced to a small synthetic config."""

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text

ROLES = ["workshop=10.1.0.5", "primary=10.2.0.10"]


def prn130(text: str) -> list[int]:
    """The lines PRN130 (link-local address) names in the audit of ``text`` for ROLES."""
    cfg = parse_text(text, "srx.conf")
    return sorted(f.source.line for f in audit([cfg], load_site(None, ROLES)).findings if f.rule_id == "PRN130")


# An address-book entry of 0.0.0.0/0 is every IPv4 address, what the predefined 'any-ipv4' is ("Any-ipv4: this
# address matches any IPv4 address", Juniper, "Address Books and Address Sets", Security Policies User Guide for
# Security Devices: https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/
# security-address-books-sets.html).  It was taken for an address written on that line, so every policy using
# it "used the link-local range 169.254.0.0/16" (PRN130, an error: the audit failed).
SRX = """set interfaces ge-0/0/1 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/2 unit 0 family inet address 10.2.0.1/24
set security zones security-zone ws interfaces ge-0/0/1.0
set security zones security-zone srv interfaces ge-0/0/2.0
set security address-book global address ANY4 0.0.0.0/0
set security address-book global address SRV 10.2.0.10/32
set security address-book global address-set ALL address ANY4
set security policies from-zone ws to-zone srv policy p1 match source-address ALL
set security policies from-zone ws to-zone srv policy p1 match destination-address SRV
set security policies from-zone ws to-zone srv policy p1 match application junos-cifs
set security policies from-zone ws to-zone srv policy p1 then permit
set security policies from-zone ws to-zone srv policy p2 match source-address ANY4
set security policies from-zone ws to-zone srv policy p2 match destination-address SRV
set security policies from-zone ws to-zone srv policy p2 match application junos-http
set security policies from-zone ws to-zone srv policy p2 then permit
"""


def test_an_address_of_every_ipv4_address_is_not_a_link_local_address():
    assert prn130(SRX) == []
    # (a set with a link-local member is still named at that member)
    ll = SRX.replace("address-set ALL address ANY4\n", "address-set ALL address ANY4\n"
                     "set security address-book global address LL 169.254.7.0/24\n"
                     "set security address-book global address-set ALL address LL\n")
    assert prn130(ll) == [8]

"""Session 28 (io2): the ICMPv6 message names of IOS IPv6 access lists.  Each name stands for the ICMPv6 type
(and code) its RFC gives it; a name missing from the table made its entry 'not understood' (every packet it
could match unknown, whatever the later entries say)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide  # noqa: E402

# Cisco IOS IPv6 Command Reference, 'permit (IPv6)' / 'deny (IPv6)': icmp-message names; the numbers: RFC 6275
# (Mobile IPv6), 6.5 Home Agent Address Discovery Request, type 144; 6.6 Reply, 145; 6.7 Mobile Prefix
# Solicitation, 146; 6.8 Mobile Prefix Advertisement, 147; RFC 2894 (Router Renumbering), type 138, codes 0
# command, 1 result, 255 sequence number reset ('router-renumbering': all of them); RFC 3122 (Inverse Neighbor
# Discovery) 141 / 142; RFC 4620 (Node Information) 139 / 140; RFC 3971 (SEND) 148 / 149; RFC 4286 (Multicast
# Router Discovery) 151, 152, 153; RFC 4443 (ICMPv6) destination unreachable code 5 source address failed
# ingress/egress policy, 6 reject route to destination.
CASES = [
    ("dhaad-request", 144, None), ("dhaad-reply", 145, None), ("mpd-solicitation", 146, None),
    ("mpd-advertisement", 147, None), ("router-renumbering", 138, None), ("ind-solicitation", 141, None),
    ("ind-advertisement", 142, None), ("ni-query-name", 139, 1), ("ni-response-refuse", 140, 1),
    ("cp-advertisement", 149, None), ("mr-termination", 153, None), ("reject-route", 1, 6),
    ("source-policy", 1, 5),
]

BASE = """\
ipv6 unicast-routing
interface GigabitEthernet0/1
 ipv6 address 2001:db8:30::1/64
 ipv6 traffic-filter V6 in
interface GigabitEthernet0/2
 ipv6 address 2001:db8:20::1/64
ipv6 access-list V6
 permit icmp any any {name}
 permit tcp any any eq 22
"""


@pytest.mark.parametrize("name,icmp_type,code", CASES)
def test_icmp6_name_is_its_rfc_type(name, icmp_type, code):
    c = cfg(BASE.format(name=name))
    assert not c.unrecognized, [d.message for d in c.unrecognized]
    codes = [code] if code is not None else [0, 255]
    for k in codes:
        got = decide(c, "2001:db8:30::5", "2001:db8:20::5", proto="58", dport=icmp_type * 256 + k)
        assert got["decision"] == "permit", (name, k, got)
    # another type or code: the list's implicit deny
    other = (icmp_type + 1) * 256 if code is None else icmp_type * 256 + code + 1
    assert decide(c, "2001:db8:30::5", "2001:db8:20::5", proto="58", dport=other)["decision"] == "deny"

"""Session 28 (io2): a crypto map on an interface (site-to-site IPsec, a Workshop site behind a VPN).

Cisco IOS Security Configuration Guide, "Configuring Security for VPNs with IPsec" (crypto access lists): the
permit entries of the list a crypto map entry's 'match address' names are the packets IPsec protects when they
leave the interface; "Any unprotected inbound traffic that matches a permit entry in the crypto access list for a
crypto map entry flagged as IPsec will be dropped, because this traffic was expected to be protected by IPsec"
(the list is read mirrored for inbound packets).  Whether the tunnel is up, and whether a packet came through it,
is not in the config: those packets are unknown at the interface's 'crypto map' line.  Before, every 'crypto' line
was ignored as "encryption, not filtering": a clear-text packet IOS drops was a certain 'permit'."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide, line_of  # noqa: E402

from auditor.api import audit, combine_inputs  # noqa: E402
from auditor.policy import load_site  # noqa: E402

SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])

VPN = """\
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto isakmp key S3cretK3y address 198.51.100.2
crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac
 mode tunnel
crypto map VPN 10 ipsec-isakmp
 set peer 198.51.100.2
 set transform-set TS
 match address 120
interface GigabitEthernet0/0
 ip address 203.0.113.1 255.255.255.0
 ip access-group OUTSIDE-IN in
 crypto map VPN
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 203.0.113.254
access-list 120 deny ip 10.20.0.0 0.0.0.255 host 10.30.0.9
ip access-list extended OUTSIDE-IN
 permit udp host 198.51.100.2 host 203.0.113.1 eq isakmp
 permit esp host 198.51.100.2 host 203.0.113.1
 permit ip 10.30.0.0 0.0.0.255 10.20.0.0 0.0.0.255
access-list 120 permit ip 10.20.0.0 0.0.0.255 10.30.0.0 0.0.0.255
"""


def test_workshop_traffic_the_crypto_list_names_is_unknown_at_the_crypto_map_line():
    c = cfg(VPN)
    at = line_of(VPN, " crypto map VPN")
    # inbound: from the Workshop site (the list mirrored) to the primary: dropped in clear text, passed when
    # decrypted
    got = decide(c, "10.30.0.5", "10.20.0.10", dport=445)
    assert got["decision"] == "unknown" and got["line"] == at, got
    # outbound: encrypted to the peer
    got = decide(c, "10.20.0.10", "10.30.0.5", dport=49152)
    assert got["decision"] == "unknown" and got["line"] == at, got
    # the list's deny: that host's traffic is not protected, it passes in clear text
    assert decide(c, "10.30.0.9", "10.20.0.10", dport=445)["decision"] == "permit"
    # traffic the list does not name is not touched by the crypto map
    assert decide(c, "10.20.0.10", "10.40.0.5", dport=445)["decision"] == "permit"


def test_the_audit_cannot_pass_the_workshop_flows():
    c = cfg(VPN)
    assert not c.unrecognized
    assert audit(combine_inputs([c], None, SITE), SITE).verdict == "unknown"


def test_dynamic_map_without_a_list_may_protect_anything():
    # a dynamic crypto map entry without 'match address' takes what the peer proposes ("Dynamic crypto map
    # entries ... the access list is optional", Configuring Security for VPNs with IPsec): every packet crossing
    # the interface may be protected
    text = VPN.replace("crypto map VPN 10 ipsec-isakmp\n set peer 198.51.100.2\n set transform-set TS\n"
                       " match address 120\n",
                       "crypto dynamic-map DYN 10\n set transform-set TS\n"
                       "crypto map VPN 10 ipsec-isakmp dynamic DYN\n")
    c = cfg(text)
    assert decide(c, "10.30.0.9", "10.20.0.10", dport=445)["decision"] == "unknown"
    assert decide(c, "10.20.0.10", "10.40.0.5", dport=445)["decision"] == "unknown"


def test_an_interface_without_the_crypto_map_is_not_touched():
    text = VPN.replace(" crypto map VPN\n", "")
    c = cfg(text)
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"

"""Session 29 red team of the Cisco ASA model: VPN traffic bypasses the access lists (``sysopt connection
permit-vpn``, the default).

Documents cited:

* [PERMIT-VPN] Cisco ASA 5500 Series Configuration Guide using the CLI, 8.4, "Setting General VPN Parameters",
  "Configuring IPsec to Bypass ACLs": "To permit any packets that come from an IPsec tunnel without checking ACLs
  for the source and destination interfaces, enter the sysopt connection permit-vpn command"; ASDM guide, "System
  Options": "Enable inbound IPsec sessions to bypass interface access-lists. Group policy and per-user
  authorization access lists still apply to the traffic ... By default" (the default, which ``show
  running-config`` does not print; ``no sysopt connection permit-vpn`` makes the access rules apply).

Before: the ``crypto`` and ``webvpn`` commands were ignored ("tunnelled traffic is outside the model"), so a server
the outside access list closes was "not reachable from outside" (PRN150 passed) while a remote network's tunnel
reaches it whatever that list says.
"""

from __future__ import annotations

from auditor.api import combine_inputs, decision_json, make_packet
from parsers import parse_text

BASE = """ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
access-list OUTSIDE_IN extended permit tcp any host 10.20.0.10 eq 443
access-list OUTSIDE_IN extended deny ip any any
access-group OUTSIDE_IN in interface outside
route outside 0.0.0.0 0.0.0.0 203.0.113.1
"""
L2L = """access-list L2L extended permit ip 10.20.0.0 255.255.255.0 10.60.0.0 255.255.255.0
crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
crypto map OUTMAP 10 match address L2L
crypto map OUTMAP 10 set peer 198.51.100.7
crypto map OUTMAP 10 set ikev1 transform-set TS
crypto map OUTMAP interface outside
crypto ikev1 enable outside
"""


def decide(text: str, src: str, dport: int = 445) -> dict:
    [fw] = combine_inputs([parse_text(text, "asa.cfg")])
    return decision_json(fw, make_packet(src, "10.20.0.10", "tcp", 49152, dport))


def test_the_remote_network_of_a_tunnel_bypasses_the_access_list():
    # [PERMIT-VPN]: 10.60.0.0/24 comes through the tunnel, decrypted, and is not checked against OUTSIDE_IN
    got = decide(BASE + L2L, "10.60.0.5")
    assert got["decision"] == "unknown" and got["line"] == 19  # the 'crypto map OUTMAP interface outside' line


def test_other_outside_addresses_keep_the_access_list():
    assert decide(BASE + L2L, "10.61.0.5")["decision"] == "deny"


def test_what_the_access_list_permits_anyway_stays_permitted():
    assert decide(BASE + L2L, "10.60.0.5", 443)["decision"] == "permit"


def test_no_sysopt_connection_permit_vpn_makes_the_access_list_apply():
    got = decide(BASE + L2L + "no sysopt connection permit-vpn\n", "10.60.0.5")
    assert got["decision"] == "deny" and got["line"] == 11


def test_anyconnect_clients_may_come_from_any_address():
    # an AnyConnect client's address is assigned by a pool, RADIUS or DHCP: any source on that interface
    text = BASE + "webvpn\n enable outside\n anyconnect enable\n"
    got = decide(text, "192.0.2.77")
    assert got["decision"] == "unknown" and got["line"] == 15
    cfg = parse_text(text, "asa.cfg")
    assert not cfg.diagnostics

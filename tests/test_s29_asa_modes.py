"""Session 29 red team of the Cisco ASA model: multiple-context and transparent-mode configurations.

Documents cited:

* [CONTEXTS] Cisco ASA 5500 Series Configuration Guide using the CLI, 8.4, "Configuring Multiple Context Mode",
  "Context Configuration Files": each context "acts as an independent device, with its own security policy,
  interfaces, and administrators"; "The system configuration does not include any network interfaces or network
  settings for itself"
  (https://www.cisco.com/c/en/us/td/docs/security/asa/asa84/configuration/guide/asa_84_cli_config/mode_contexts.html).
* [ETHERTYPE] Cisco ASA 9.1 general configuration guide, "Adding an EtherType Access Control List", "Guidelines
  and Limitations": "the implicit deny at the end of the ACL does not affect IP traffic or ARPs ... However, if
  you explicitly deny all traffic with an EtherType ACE, then IP and ARP traffic is denied"
  (https://www.cisco.com/c/en/us/td/docs/security/asa/asa91/configuration/general/asa_91_general_config/acl_ethertype.html);
  ASA 8.4 CLI guide, "Configuring Access Rules": "You can apply one access rule and one EtherType rule to each
  direction of an interface."
"""

from __future__ import annotations

import pytest

from auditor.api import combine_inputs, decision_json, make_packet
from parsers import parse_text
from parsers.kit import InputError

SYSTEM = """: Saved
ASA Version 9.12(4) <system>
hostname fw
interface GigabitEthernet1/1
interface GigabitEthernet1/2
class default
  limit-resource All 0
admin-context admin
context admin
  allocate-interface GigabitEthernet1/1
  config-url disk0:/admin.cfg
context prepress
  allocate-interface GigabitEthernet1/2
  config-url disk0:/prepress.cfg
"""

BASE = """ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
access-list WS extended permit tcp any any eq 445
access-group WS in interface workshop
"""


def test_the_system_execution_space_is_refused_naming_the_contexts():
    # [CONTEXTS]: it has no interface and no rule; audited, every flow was "not routed through the device" (an
    # unknown verdict that named no reason)
    with pytest.raises(InputError) as e:
        parse_text(SYSTEM, "sys.cfg")
    assert "line 8" in str(e.value) and "admin, prepress" in str(e.value) and "changeto context" in str(e.value)


def smb(extra: str) -> dict:
    [fw] = combine_inputs([parse_text(BASE + extra, "asa.cfg")])
    return decision_json(fw, make_packet("10.30.0.5", "10.20.0.11", "tcp", 49152, 445))


def test_an_ethertype_list_is_bound_beside_the_extended_one():
    # [ETHERTYPE]: it was 'undefined access-list' (CFG301) and replaced WS: SMB was unknown
    extra = ("access-list ETH ethertype permit bpdu\naccess-list ETH ethertype deny ipx\n"
             "access-group ETH in interface workshop\n")
    cfg = parse_text(BASE + extra, "asa.cfg")
    assert not cfg.diagnostics
    got = smb(extra)
    assert got["decision"] == "permit" and got["line"] == 10


def test_an_ethertype_deny_any_is_not_modelled():
    # [ETHERTYPE]: an explicit 'deny any' denies IP traffic too
    extra = "access-list ETH ethertype deny any\naccess-group ETH in interface workshop\n"
    cfg = parse_text(BASE + extra, "asa.cfg")
    assert [d.source.line for d in cfg.diagnostics] == [13]
    assert smb(extra)["decision"] == "unknown"

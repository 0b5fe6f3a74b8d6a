"""Cisco ASA and IOS: what running real public configurations (ciscoconfparse's and NAPALM's test
configs, Ansible's fixtures, Batfish's test configs) found, each reduced to a small synthetic config."""

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text

ROLES = ["workshop=10.1.0.5", "primary=10.2.0.10"]


def prn130(text: str, path: str) -> list[int]:
    """The lines PRN130 (link-local address) names in the audit of ``text`` for ROLES."""
    cfg = parse_text(text, path)
    return sorted(f.source.line for f in audit([cfg], load_site(None, ROLES)).findings if f.rule_id == "PRN130")


# An object (group) member of every address is 'any': "Use the keyword any as an abbreviation for an address and
# mask of 0.0.0.0 0.0.0.0" (Cisco ASA 5500 Series Configuration Guide using the CLI, "Adding a Standard Access
# List"; IOS writes it with the wildcard mask 0.0.0.0 255.255.255.255).  Real configs name such a group
# ANY_addrs (ciscoconfparse's sample_01.asa); its member was taken for an address written on that line, so
# every rule using it "used the link-local range 169.254.0.0/16" (PRN130, an error: the audit failed).
ASA = """ASA Version 9.16(4)
interface G0
 nameif ws
 security-level 50
 ip address 10.1.0.1 255.255.0.0
interface G1
 nameif srv
 security-level 100
 ip address 10.2.0.1 255.255.255.0
object-group network ANY_addrs
 network-object 0.0.0.0 0.0.0.0
object-group network LL
 network-object 169.254.7.0 255.255.255.0
access-list WS extended permit tcp object-group ANY_addrs host 10.2.0.10 eq 445
access-list WS extended permit tcp 0.0.0.0 0.0.0.0 host 10.2.0.10 range 1024 9000
access-list WS extended permit tcp object-group LL host 10.2.0.10 eq 80
access-list WS extended permit tcp object-group ANY_addrs host 10.2.0.10 eq 80
access-group WS in interface ws
"""


def test_asa_any_written_as_zero_address_and_mask_is_not_a_link_local_address():
    # (the workshop at 10.1.0.5 is not in LL: only the 169.254.7.0/24 member is named, on line 13)
    assert prn130(ASA, "asa.cfg") == []
    lls = ASA.replace("network-object 169.254.7.0 255.255.255.0", "network-object 10.1.0.0 255.255.0.0\n"
                      " network-object 169.254.7.0 255.255.255.0")
    assert prn130(lls, "asa.cfg") == [14]  # (a real link-local member still is)


IOS = """hostname r1
interface GigabitEthernet1
 ip address 10.1.0.1 255.255.0.0
 ip access-group WS in
interface GigabitEthernet2
 ip address 10.2.0.1 255.255.255.0
object-group network ANY_addrs
 0.0.0.0 0.0.0.0
object-group network LL
 10.1.0.0 255.255.0.0
 169.254.7.0 255.255.255.0
ip access-list extended WS
 permit tcp object-group ANY_addrs host 10.2.0.10 eq 445
 permit tcp 0.0.0.0 255.255.255.255 host 10.2.0.10 range 1024 9000
 permit tcp object-group LL host 10.2.0.10 eq 80
"""


def test_ios_any_written_as_zero_address_is_not_a_link_local_address():
    assert prn130(IOS, "ios.cfg") == [11]  # (only the real link-local member)
    assert prn130(IOS.replace("permit tcp object-group LL host 10.2.0.10 eq 80", ""), "ios.cfg") == []

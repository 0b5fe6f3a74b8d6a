"""Session 28 red-team of the IOS / IOS-XE parser: filtering features read as harmless settings, so that a
flow the device may drop was reported permitted.  Each behaviour is quoted from Cisco's documents; each test
failed before its fix."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ios"))

from ios_helpers import cfg, decide, line_of  # noqa: E402

from auditor.api import audit, combine_inputs  # noqa: E402
from auditor.policy import load_site  # noqa: E402

SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])

SVIS = """\
ip routing
interface Vlan30
 ip address 10.30.0.1 255.255.255.0
interface Vlan20
 ip address 10.20.0.1 255.255.255.0
"""


def verdict(c) -> str:
    return audit(combine_inputs([c], None, SITE), SITE).verdict


def reported(c) -> set[int]:
    return {d.source.line for d in c.unrecognized}


# Cisco Catalyst 9000 TrustSec Configuration Guide, "Security Group ACL" (https://www.cisco.com/c/en/us/td/docs/
# switches/lan/c9000/sec-crypto/cts/cisco-trustsec-configuration-guide/security-group-acls.html): "SGACLs provide a
# stateless access control mechanism, relying on security group tags rather than traditional IP addresses", the
# policies written with 'cts role-based permission' or provisioned from Cisco ISE; Catalyst 3650 Command
# Reference, IOS XE 16.5.1a, 'cts role-based enforcement': "Use the cts role-based enforcement vlan-list command
# to enable or disable SGACL enforcement for Layer 2 switched packets and for Layer 3 switched packets on an
# switched virtual interface (SVI)".  'cts' was ignored as "TrustSec settings": SMB the SGACLs drop was 'permit'.
SGACL = SVIS + """\
cts role-based enforcement
cts role-based enforcement vlan-list 20,30
cts role-based sgt-map 10.20.0.10 sgt 10
cts role-based enforcement logging-interval 90
"""


def test_sgacl_enforcement_is_reported_and_makes_verdicts_unknown():
    c = cfg(SGACL)
    assert {line_of(SGACL, "cts role-based enforcement"),
            line_of(SGACL, "cts role-based enforcement vlan-list 20,30")} <= reported(c)
    # (a tag binding or the logging interval alone filters nothing)
    assert line_of(SGACL, "cts role-based sgt-map 10.20.0.10 sgt 10") not in reported(c)
    assert line_of(SGACL, "cts role-based enforcement logging-interval 90") not in reported(c)
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "unknown"
    assert verdict(c) == "unknown"


def test_sgacl_enforcement_on_an_interface_is_reported():
    text = SVIS + "interface GigabitEthernet0/0/1\n ip address 10.50.0.1 255.255.255.0\n cts role-based enforcement\n"
    c = cfg(text)
    assert line_of(text, " cts role-based enforcement") in reported(c)
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "unknown"


def test_trustsec_without_enforcement_is_still_ignored():
    text = SVIS + "cts role-based sgt-map 10.20.0.10 sgt 10\nno cts role-based enforcement\n"
    c = cfg(text)
    assert not c.unrecognized
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"


# Cisco Catalyst 9300 Network Management Configuration Guide 16.6, "Configuring Autoconf" (https://www.cisco.com/c/
# en/us/td/docs/switches/lan/catalyst9300/software/release/16-6/configuration_guide/nmgmt/b_166_nmgmt_9300_cg/
# b_166_nmgmt_9300_cg_chapter_01001.html): Autoconf "manage[s] port configurations" by applying interface
# templates to the ports devices are found on; 'source template NAME' applies one on an interface.  A template's
# 'ip access-group' is the access list of each port it is applied to (a port ACL, reported when written on the
# port itself); 'template' was ignored as "interface templates": the traffic its list drops was 'permit'.
TEMPLATE = SVIS + """\
ip access-list extended WS-PORT
 deny tcp any any eq 445
 permit ip any any
template WORKSHOP-PORT
 description workshop ports
 switchport mode access
 switchport access vlan 30
 spanning-tree portfast
 ip access-group WS-PORT in
 service-policy input DROP-SMB
policy-map DROP-SMB
 class SMB
  drop
interface GigabitEthernet1/0/5
 switchport access vlan 30
 switchport mode access
 source template WORKSHOP-PORT
"""


def test_interface_template_access_list_is_reported():
    c = cfg(TEMPLATE)
    rep = reported(c)
    assert line_of(TEMPLATE, " ip access-group WS-PORT in") in rep
    # a QoS policy that drops a class, as on an interface
    assert line_of(TEMPLATE, " service-policy input DROP-SMB") in rep
    # the template's harmless lines are not
    for ok in (" description workshop ports", " switchport mode access", " spanning-tree portfast",
               " switchport access vlan 30", "template WORKSHOP-PORT"):
        assert line_of(TEMPLATE, ok) not in rep, ok
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "unknown"
    assert verdict(c) == "unknown"


def test_interface_template_of_link_settings_only_is_ignored():
    text = SVIS + "template AP-PORT\n switchport mode trunk\n spanning-tree portfast\n storm-control broadcast " \
                  "level 10\n"
    c = cfg(text)
    assert not c.unrecognized
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"


# Cisco Security Manager 4.4 User Guide, "Configuring Inspection Maps for Zone-based Firewall Policies" and
# "Configuring Content Filtering Maps for Zone-based Firewall Policies" (https://manualsdump.com/en/manuals/
# cisco_systems-cl-28826-01/212377/885): a zone-based rule's "Content Filter" action applies URL filtering (a
# WebFilter parameter or policy map) to the HTTP it inspects, whose URL lists block requests, like a layer-7
# 'service-policy' in the class.  'urlfilter' was ignored as a rate limit or logging: the class's HTTP was a
# certain 'permit'.
ZBF_URLF = """\
zone security WS
zone security SRV
parameter-map type urlfpolicy local URLF-BLOCK
 block-page message "blocked"
class-map type inspect match-any CM-WEB
 match protocol http
policy-map type inspect PM
 class type inspect CM-WEB
  inspect
  urlfilter URLF-BLOCK
 class class-default
  drop
zone-pair security ZP source WS destination SRV
 service-policy type inspect PM
interface GigabitEthernet0/1
 ip address 10.30.0.1 255.255.255.0
 zone-member security WS
interface GigabitEthernet0/2
 ip address 10.20.0.1 255.255.255.0
 zone-member security SRV
"""


def test_zbf_urlfilter_action_makes_its_class_unknown():
    c = cfg(ZBF_URLF)
    assert line_of(ZBF_URLF, "  urlfilter URLF-BLOCK") in reported(c)
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=80)["decision"] == "unknown"
    # (what the class does not match is still dropped by class-default)
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "deny"

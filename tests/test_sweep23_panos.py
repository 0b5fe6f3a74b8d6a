"""PAN-OS defects found by running Batfish's PAN-OS grammar test configs (session 23 sweep).

Documents cited (Palo Alto Networks):

* [NATAA] "NAT in Active/Active HA Mode", PAN-OS 10.0 admin guide,
  https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/high-availability/ha-concepts/nat-in-activeactive-ha-mode
  ("the session is translated according to NAT rules that are bound to the session owner firewall. While
  performing NAT policy matching, a firewall skips all NAT rules that are not bound to the session owner
  firewall").  Batfish's PaloAltoNatTest.testSourceNatHighAvaiability (config
  testconfigs/source-nat-high-availability, Apache-2.0) likewise skips the rules bound to the other device.
* [VR] "Update a Virtual Router (REST API)", https://docs.paloaltonetworks.com/ngfw/api/pan-os-rest-api-use-cases/update-a-virtual-router-rest-api
  ("A virtual router allows the firewall to route traffic from one network to another through its Layer 3
  interfaces ... Each Layer 3 interface, loopback interface, and VLAN interface defined on the firewall must be
  associated with a virtual router").  Batfish (PaloAltoConfiguration: "Interface %s is not in a
  virtual-router ... clearing L2/L3 data") takes such an interface out of routing.
"""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers.panos import parse

BASE = """\
set deviceconfig system hostname fw
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 203.0.113.2/24
set network virtual-router default interface [ ethernet1/1 ethernet1/3 ]
set network virtual-router default routing-table ip static-route inet destination 0.0.0.0/0 \
nexthop ip-address 203.0.113.1
set zone servers network layer3 ethernet1/1
set zone untrust network layer3 ethernet1/3
set rulebase nat rules pub from untrust to untrust source any destination 203.0.113.10 service any
set rulebase nat rules pub destination-translation translated-address 10.20.0.10
set rulebase security rules in from untrust to servers source any destination 203.0.113.10 \
application any service any action allow
"""


def _decide(text: str) -> str:
    cfg = parse(text, "fw.set")
    return decision_json(cfg, make_packet("198.51.100.7", "203.0.113.10", "tcp", 40000, 445))["decision"]


def test_a_nat_rule_bound_to_one_active_active_device_is_uncertain():  # [NATAA]
    assert _decide(BASE) == "permit"  # unbound, no HA: the translation applies
    assert _decide(BASE + "set rulebase nat rules pub active-active-device-binding both\n") == "permit"
    for dev in ("0", "1", "primary"):
        # the translation happens only when that device owns the session: not known from the config
        assert _decide(BASE + "set rulebase nat rules pub active-active-device-binding %s\n" % dev) == "unknown"


NO_VR = """\
set deviceconfig system hostname fw
set network interface ethernet ethernet1/1 layer3 ip 10.1.0.1/16
set network interface ethernet ethernet1/2 layer3 ip 10.2.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 10.3.0.1/24
set zone ws network layer3 ethernet1/1
set zone srv network layer3 [ ethernet1/2 ethernet1/3 ]
set network virtual-router default interface [ ethernet1/1 ethernet1/3 ]
set rulebase security rules A from ws to srv source any destination any service any application any action allow
"""


def test_an_interface_in_no_virtual_router_is_not_routed_for_certain():  # [VR]
    cfg = parse(NO_VR, "fw.set")

    def dec(dst: str) -> str:
        return decision_json(cfg, make_packet("10.1.0.5", dst, "tcp", 40000, 445))["decision"]

    assert dec("10.3.0.10") == "permit"  # ethernet1/3 is in the virtual router
    assert dec("10.2.0.10") == "unknown"  # ethernet1/2 is in none: was a permit
    # without any virtual router listing interfaces (a fragment), the interfaces are routed as before
    frag = parse(NO_VR.replace("set network virtual-router default interface [ ethernet1/1 ethernet1/3 ]\n", ""),
                 "fw.set")
    assert decision_json(frag, make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445))["decision"] == "permit"

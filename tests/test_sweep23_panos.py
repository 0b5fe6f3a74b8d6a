"""PAN-OS defects found by running Batfish's PAN-OS grammar test configs (session 23 sweep).

Documents cited (Palo Alto Networks):

* [NATAA] "NAT in Active/Active HA Mode", PAN-OS 10.0 admin guide,
  https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/high-availability/ha-concepts/nat-in-activeactive-ha-mode
  ("the session is translated according to NAT rules that are bound to the session owner firewall. While
  performing NAT policy matching, a firewall skips all NAT rules that are not bound to the session owner
  firewall").  Batfish's PaloAltoNatTest.testSourceNatHighAvaiability (config
  testconfigs/source-nat-high-availability, Apache-2.0) likewise skips the rules bound to the other device.
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

"""``diff`` and ``explain`` decide a packet alike.

Traffic to or from the device's own addresses (to the box: management, ICMP to an interface) is
not decided by its access rules: Cisco ASA, "Access Rules": "To access the ASA interface for
management access, you do not also need an access rule allowing the host IP address. You only
need to configure management access according to the general operations configuration guide"
(ASA 9.6 firewall configuration guide,
https://cisco.com/c/en/us/td/docs/security/asa/asa96/asdm76/firewall/asdm-76-firewall-config/access-rules.html;
management access rules are "control plane" access groups, ICMP to the device ``icmp`` rules).  The
engine does not model those, so ``explain`` answers UNKNOWN for such a packet (fail closed);
``diff`` called it denied.
"""

from __future__ import annotations

from auditor.api import decision_json
from auditor.core.packets import addr_to_int
from auditor.diff import diff_configs
from auditor.policy import load_site
from parsers.cisco_asa import parse as parse_asa

OLD = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif outside
 security-level 0
 ip address 10.2.0.1 255.255.0.0
access-list IN extended permit tcp any any
access-group IN in interface inside
"""
# the outside interface's address moves to 10.2.0.10: a packet to it is now to the box
NEW = OLD.replace("ip address 10.2.0.1 255.255.0.0", "ip address 10.2.0.10 255.255.0.0")


def _pkt(src: str, dst: str, dport: int) -> tuple:
    return (addr_to_int(src), addr_to_int(dst), 6, 49152, dport)


def test_traffic_to_the_device_itself_is_unknown_in_diff_as_in_explain():
    old, new = parse_asa(OLD, "old.cfg"), parse_asa(NEW, "new.cfg")
    pkt = _pkt("10.1.0.5", "10.2.0.10", 80)
    assert decision_json(old, pkt)["decision"] == "permit"
    assert decision_json(new, pkt)["decision"] == "unknown"
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.20"])
    d = diff_configs(old, new, site)
    changes = {k: [c for c in getattr(d, "newly_" + k) if c.packets.contains(pkt)]
               for k in ("permitted", "denied", "unknown")}
    assert changes["denied"] == [] and changes["permitted"] == []
    (c,) = changes["unknown"]
    assert d.change_json(c)["new_decision"] == decision_json(new, pkt)["decision"]
    assert d.change_json(c)["old_decision"] == decision_json(old, pkt)["decision"]


def test_a_required_flow_to_the_new_device_address_is_undecided_not_blocked():
    """The primary server's address becomes the firewall's: what the firewall does with the
    workshop's traffic to it is not known (not modelled), so the change's verdict is unknown,
    not a required flow "newly blocked"."""
    old, new = parse_asa(OLD, "old.cfg"), parse_asa(NEW, "new.cfg")
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"])
    d = diff_configs(old, new, site)
    assert d.blocked_flows == []
    # (what the new version denies was the old one's own address, undecided there: listed, blocking no flow)
    assert d.newly_denied and all(c.undecided_before and not c.flows for c in d.newly_denied)
    assert d.verdict == "unknown"
    assert any("cannot tell what the change does to required flow" in r for r in d.reasons)

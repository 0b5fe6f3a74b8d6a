"""The audit and ``explain`` agree: each flow finding's example packet is one the device would see,
and explain decides it as the finding says (found by a cross-check of every example site and
corpus config: a PRN100 example was a host's packet to itself).
"""

import glob
import os

import pytest

from auditor.api import audit, combine_inputs, decision_json, load_inputs
from auditor.core.packets import ISet, addr_to_int
from auditor.policy import load_site
from parsers.cisco_asa import parse as parse_asa

# --- a host's packets to itself are no part of a flow ----------------------------------------------
#
# A host delivers a packet to one of its own addresses itself: Linux, ip-route(8), route type "local":
# "the destinations are assigned to this host. The packets are looped back and delivered locally"
# (the ``local`` table, which ip-rule(8)'s first rule looks up before any other); Windows puts a host
# route of each of its addresses on the loopback interface (``route print``).  A primary server that
# is also the license server (the example sites' layout) sends its license checks to itself: no
# firewall sees them.

# servers and workshop both behind a core router on the inside interface: traffic routed back out of
# the interface it came in on is dropped (no 'same-security-traffic permit intra-interface')
HAIRPIN = ("ASA Version 9.16(1)\n"
           "interface G0\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
           "interface G1\n nameif inside\n security-level 100\n ip address 10.0.0.1 255.255.255.0\n"
           "route inside 10.20.0.0 255.255.0.0 10.0.0.2\n"
           "route inside 10.30.0.0 255.255.0.0 10.0.0.3\n"
           "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n")


def _flm(site_roles):
    result = audit([parse_asa(HAIRPIN, "t.cfg")], load_site(None, site_roles))
    return result, {f.key: f for f in result.findings if f.rule_id == "PRN100" and f.key.startswith("flm-")}


def test_a_primary_that_is_the_license_server_sends_it_nothing_through_the_firewall():
    result, found = _flm(["primary=10.20.0.10", "license_server=10.20.0.10", "workshop=10.30.0.0/24"])
    # (before: "required flow Floating License Manager (TCP) primary -> license_server is fully blocked",
    # example tcp 10.20.0.10:49152 -> 10.20.0.10:56765)
    assert "flm-tcp:primary->license_server" not in found
    assert "flm-tcp:workshop->license_server" in found  # (the workshop's own are still blocked)
    assert [(k, why) for k, why, _m in result.unchecked if k.startswith("flm-tcp:primary")] == [
        ("flm-tcp:primary->license_server",
         "primary and license_server are the same host: its traffic to itself never reaches a firewall")]


def test_roles_that_share_an_address_keep_the_traffic_between_different_hosts():
    # secondary 10.20.0.11-12, license server 10.20.0.11: 10.20.0.12 -> 10.20.0.11 is still the flow
    result, found = _flm(["primary=10.20.0.10", "secondary=10.20.0.11,10.20.0.12", "license_server=10.20.0.11"])
    f = found["flm-udp:secondary->license_server"]
    assert f.example[0] != f.example[1]
    assert (f.example[0], f.example[1]) == (addr_to_int("10.20.0.12"), addr_to_int("10.20.0.11"))
    flow = next(x for x in result.required if x.key == "flm-udp:secondary->license_server")
    same = (addr_to_int("10.20.0.11"), addr_to_int("10.20.0.11"), 17, 49152, 50010)
    assert not flow.packets.contains(same)
    assert flow.packets.contains((addr_to_int("10.20.0.12"),) + same[1:])


# --- every example site: PRN100's example, explained, is denied at the finding's line ----------------

SITES = sorted(d for d in glob.glob(os.path.join(os.path.dirname(__file__), "..", "examples", "*-site")))
SKIP = {"site.yaml", "audit.json", "audit.txt", "golden", "make_golden.py", "change.txt"}


@pytest.mark.parametrize("site_dir", SITES, ids=os.path.basename)
def test_each_blocked_example_is_denied_by_explain_at_the_finding_line(site_dir):
    site = load_site(os.path.join(site_dir, "site.yaml"))
    cfgs = combine_inputs([c for p in sorted(glob.glob(site_dir + "/*")) if os.path.basename(p) not in SKIP
                           for c in load_inputs(p)], None, site)
    result = audit(cfgs, site)
    checked = 0
    for f in result.findings:
        if f.rule_id != "PRN100" or f.example is None:
            continue
        (cfg,) = [c for c in cfgs if c.path == f.source.path]
        d = decision_json(cfg, f.example)
        src, dst = f.example[:2]
        assert src != dst, f.message
        flow = next(x for x in result.required if x.key == f.key)
        sender = flow.dst_role if "reply" in f.message else flow.src_role
        assert site.addresses(sender).intersect(ISet.of(src)), f.message
        if f.status == "fail":
            decision = d.get("modelled", d["decision"])
            line = d["line"] if d["line"] is not None else d.get("default_line")
            assert (decision, line) == ("deny", f.source.line), (f.message, d)
        else:
            assert d["decision"] == "unknown" or d.get("modelled") == "unknown", (f.message, d)
        checked += 1
    assert checked

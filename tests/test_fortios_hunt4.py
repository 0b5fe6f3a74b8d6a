"""FortiOS: policy-table shapes found in CLI scripts and pasted configurations, each checked
against the Fortinet document cited in its test."""

from __future__ import annotations

from test_fortios_parser import cfg, decide, pol

from auditor.core.model import Impact

WS, SRV = "10.1.0.5", "10.2.0.5"


# --- move / delete / purge between the policies -------------------------------------------------------
# FortiOS CLI, "config firewall policy": "delete <id>", "move <id> [after | before] <id>", "purge"; Fortinet KB
# "Technical Tip: Change session TTL on firewall policy"
# (https://community.fortinet.com/t5/FortiGate/Technical-Tip-Change-session-TTL-on-firewall-policy/ta-p/195971)
# writes "move 2 before 1" after the policies, inside the block, to make the new policy the first match.
# Policies match top-down, first match (Fortinet, "Move firewall policies",
# https://docs.fortinet.com/document/fortiextender/7.0.3/admin-guide-standalone/17433).


def test_move_before_makes_the_moved_policy_the_first_match():
    text = pol(1, svc="ALL", action="accept") + pol(2, svc="HTTP", action="deny")
    assert decide(cfg(text), WS, SRV)["decision"] == "permit"
    c = cfg(text + "    move 2 before 1\n")
    got = decide(c, WS, SRV)
    assert got["decision"] == "deny" and got["rule"].strip() == "edit 2"
    assert not [d for d in c.unrecognized if "move" in d.source.text]


def test_move_after():
    text = pol(1, svc="HTTP", action="deny") + pol(2, svc="ALL", action="accept")
    assert decide(cfg(text), WS, SRV)["decision"] == "deny"
    assert decide(cfg(text + "    move 1 after 2\n"), WS, SRV)["decision"] == "permit"


def test_delete_removes_the_policy():
    text = pol(1, svc="HTTP", action="deny") + pol(2, svc="ALL", action="accept")
    c = cfg(text + "    delete 1\n")
    got = decide(c, WS, SRV)
    assert got["decision"] == "permit" and got["rule"].strip() == "edit 2"


def test_purge_removes_every_policy_above_it():
    c = cfg(pol(1, svc="ALL", action="accept") + "    purge\n")
    assert decide(c, WS, SRV)["decision"] == "deny"  # implicit deny (policy 0)


def test_move_naming_no_policy_makes_the_order_unknown():
    c = cfg(pol(1, svc="ALL", action="accept") + pol(2, svc="HTTP", action="deny") + "    move 2 before 9\n")
    (d,) = [d for d in c.unrecognized if "move" in d.source.text]
    assert d.impact is Impact.GLOBAL
    assert decide(c, WS, SRV)["decision"] == "unknown"


# --- 'any' in partial input ------------------------------------------------------------------------------
# FortiOS CLI Reference, "config firewall policy" (srcintf/dstintf, "any" among the interface names;
# https://docs.fortinet.com/document/fortigate/7.6.1/cli-reference/333889629) and Fortinet, "Move firewall
# policies" (policies apply top-down, first match; the example's "set srcintf any"
# https://docs.fortinet.com/document/fortiextender/7.0.3/admin-guide-standalone/17433). With
# `show firewall policy` output only (no interface blocks), the interfaces are those the policies name: an
# any->any policy above a port1->port2 one still comes first there, whichever policy names port1 first.


def test_any_interface_policy_above_is_first_even_when_a_later_policy_names_the_interfaces():
    c = cfg(pol(1, src="any", dst="any", svc="HTTP", action="deny") + pol(2, svc="ALL", action="accept"), ifaces="")
    got = decide(c, WS, SRV, filt="port1->port2")
    assert got["decision"] == "deny" and got["rule"].strip() == "edit 1"
    assert decide(c, WS, SRV, dport=22, filt="port1->port2")["decision"] == "permit"

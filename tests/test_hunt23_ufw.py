"""ufw (Ubuntu's default firewall) and iptables' ``addrtype`` match, hunt 23.

ufw's ``before.rules`` (launchpad.net/ufw, conf/before.rules) sends every packet of INPUT through
``ufw-not-local``: ``-m addrtype --dst-type LOCAL -j RETURN``, the same for MULTICAST and
BROADCAST, then ``-j DROP`` ("all other non-local packets are dropped").  ``addrtype`` was not
understood, so every flow to a ufw host was unknown.

What the kernel does (iptables-extensions(8) ``addrtype``: "LOCAL a local address", "MULTICAST a
multicast address", "BROADCAST a broadcast address"; net/netfilter/xt_addrtype.c and
``inet_dev_addr_type`` in net/ipv4/fib_frontend.c): 0.0.0.0/8 and 255.255.255.255 are BROADCAST and
224.0.0.0/4 MULTICAST whatever the host; another address has the type of its route in the ``local``
routing table ("a special routing table containing high priority control routes for local and
broadcast addresses", ip-rule(8)): LOCAL for the host's own addresses.  A packet in INPUT is
addressed to the host (the host paths' premise, ``Path.local``), so its unicast destination is
LOCAL there; in FORWARD or PREROUTING the type depends on the host's routes, which the ruleset
does not hold, and stays uncertain.
"""

from __future__ import annotations

import pytest
from test_linux_hunt5 import SITE4, ipt, path_decision, verdict

from auditor.api import combine_inputs, decision_json, make_packet
from parsers.linux import iptables

# a standard ufw ruleset (`ufw default deny incoming`, `ufw allow 22/tcp`, `ufw allow from
# 10.1.0.0/16`, `ufw deny from 10.3.66.0/24`), logging chains left out
UFW = """
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:ufw-after-input - [0:0]
:ufw-before-forward - [0:0]
:ufw-before-input - [0:0]
:ufw-before-output - [0:0]
:ufw-logging-deny - [0:0]
:ufw-not-local - [0:0]
:ufw-skip-to-policy-input - [0:0]
:ufw-user-forward - [0:0]
:ufw-user-input - [0:0]
:ufw-user-output - [0:0]
-A INPUT -j ufw-before-input
-A INPUT -j ufw-after-input
-A FORWARD -j ufw-before-forward
-A OUTPUT -j ufw-before-output
-A ufw-after-input -p udp -m udp --dport 137 -j ufw-skip-to-policy-input
-A ufw-after-input -p tcp -m tcp --dport 445 -j ufw-skip-to-policy-input
-A ufw-after-input -m addrtype --dst-type BROADCAST -j ufw-skip-to-policy-input
-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A ufw-before-forward -j ufw-user-forward
-A ufw-before-input -i lo -j ACCEPT
-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A ufw-before-input -m conntrack --ctstate INVALID -j DROP
-A ufw-before-input -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A ufw-before-input -p udp -m udp --sport 67 --dport 68 -j ACCEPT
-A ufw-before-input -j ufw-not-local
-A ufw-before-input -d 224.0.0.251/32 -p udp -m udp --dport 5353 -j ACCEPT
-A ufw-before-input -j ufw-user-input
-A ufw-before-output -o lo -j ACCEPT
-A ufw-before-output -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A ufw-before-output -j ufw-user-output
-A ufw-logging-deny -j RETURN
-A ufw-not-local -m addrtype --dst-type LOCAL -j RETURN
-A ufw-not-local -m addrtype --dst-type MULTICAST -j RETURN
-A ufw-not-local -m addrtype --dst-type BROADCAST -j RETURN
-A ufw-not-local -j ufw-logging-deny
-A ufw-not-local -j DROP
-A ufw-skip-to-policy-input -j DROP
-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT
-A ufw-user-input -s 10.3.66.0/24 -j DROP
-A ufw-user-input -s 10.1.0.0/16 -j ACCEPT
COMMIT
"""


def test_ufw_flow_it_allows_is_permitted():
    got = path_decision(ipt(UFW), "10.1.0.5", "10.2.0.10", dport=3389)
    assert got["decision"] == "permit"
    assert got["line"] == 44  # -A ufw-user-input -s 10.1.0.0/16 -j ACCEPT


def test_ufw_flow_it_does_not_allow_is_denied_by_the_policy():
    got = path_decision(ipt(UFW), "10.3.0.5", "10.2.0.10", dport=3389)
    assert got["decision"] == "deny"
    assert got["line"] == 2  # :INPUT DROP


def test_ufw_deny_rule_and_skip_to_policy_decide():
    got = path_decision(ipt(UFW), "10.3.66.5", "10.2.0.10", dport=3389)
    assert (got["decision"], got["line"]) == ("deny", 43)
    # ufw-after-input's 445 -> ufw-skip-to-policy-input DROP (reached by what ufw-user-input leaves)
    got = path_decision(ipt(UFW), "10.3.0.5", "10.2.0.10", dport=445)
    assert (got["decision"], got["line"]) == ("deny", 41)


def test_ufw_audit_is_decided():
    assert verdict(ipt(UFW), SITE4) == "pass"
    narrow = UFW.replace("-A ufw-user-input -s 10.1.0.0/16 -j ACCEPT", "-A ufw-user-input -s 10.1.0.0/16 -p tcp "
                         "--dport 445 -j ACCEPT")
    assert verdict(ipt(narrow), SITE4) == "fail"


def test_addrtype_lines_are_understood():
    cfg = ipt(UFW)
    assert not [d for d in cfg.diagnostics if d.code == "CFG300"]


# --- where the hook does not decide the type ----------------------------------------------------

FORWARD_NOT_LOCAL = """
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:not-local - [0:0]
-A INPUT -j not-local
-A INPUT -s 10.1.0.0/16 -j ACCEPT
-A FORWARD -j not-local
-A FORWARD -s 10.1.0.0/16 -j ACCEPT
-A not-local -m addrtype --dst-type LOCAL -j RETURN
-A not-local -m addrtype --dst-type MULTICAST -j RETURN
-A not-local -m addrtype --dst-type BROADCAST -j RETURN
-A not-local -j DROP
COMMIT
"""


def test_addrtype_in_forward_stays_unknown_while_input_is_decided():
    """One chain jumped to from INPUT and FORWARD: in INPUT the packet is addressed to the host
    (LOCAL); in FORWARD whether its destination is one of the host's addresses is not in the
    ruleset (the local routing table), so the DROP after the returns may take it."""
    cfg = ipt(FORWARD_NOT_LOCAL)
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    [router] = combine_inputs([cfg], "10.9.9.9")
    got = decision_json(router, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 445))
    assert got["decision"] == "unknown"
    # a multicast destination is MULTICAST at every hook: it returns, and FORWARD accepts it
    got = decision_json(router, make_packet("10.1.0.5", "239.1.2.3", "udp", 1024, 5000))
    assert got["decision"] == "permit"


def test_addrtype_with_an_interface_limit_stays_uncertain_in_input():
    """``--limit-iface-in``: the type of the address's route through the packet's interface
    (xt_addrtype.c: another interface's local route counts as none, UNICAST): not modelled."""
    text = FORWARD_NOT_LOCAL.replace("--dst-type LOCAL -j RETURN", "--dst-type LOCAL --limit-iface-in -j RETURN")
    cfg = ipt(text)
    assert not [d for d in cfg.diagnostics if d.code == "CFG300"]  # (understood, its outcome uncertain)
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


def test_negated_local_drop_in_input_drops_nothing_addressed_to_the_host():
    text = """
# Generated by iptables-save v1.8.7 on Mon Jan  1 00:00:00 2024
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m addrtype ! --dst-type LOCAL -j DROP
-A INPUT -m addrtype --src-type MULTICAST -j DROP
COMMIT
"""
    assert path_decision(ipt(text), "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert path_decision(ipt(text.replace("! --dst-type LOCAL", "--dst-type LOCAL")), "10.1.0.5",
                         "10.2.0.10")["decision"] == "deny"


def test_addrtype_type_names():
    """libxt_addrtype.c ``parse_type``: case-insensitive, a word that begins a type name is its first."""
    assert iptables.addr_type("local") == "LOCAL"
    assert iptables.addr_type("BROAD") == "BROADCAST"
    assert iptables.addr_type("U") == "UNSPEC"
    with pytest.raises(ValueError):
        iptables.addr_type("HOST")


def test_ip6tables_refuses_broadcast_type():
    """xt_addrtype.c, addrtype_mt_checkentry_v1: "ipv6 does not support BROADCAST matching": the
    restore fails and commits nothing."""
    text = """
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m addrtype --dst-type BROADCAST -j DROP
-A INPUT -j ACCEPT
COMMIT
"""
    cfg = iptables.parse("# Generated by ip6tables-save v1.8.7\n" + text.strip("\n") + "\n", "fw6.rules")
    assert any("commits nothing" in d.message for d in cfg.diagnostics)

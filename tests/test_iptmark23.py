"""iptables: a RETURN whose match is uncertain is moot where the packet ends as the policy either way (as
nftables' ``common.moot_returns``, d29e636); ``-m mark``, ``-m connmark`` and ``-m statistic`` are read as the
uncertain matches they are (kube-proxy in iptables mode).

* iptables(8), TARGETS (https://ipset.netfilter.org/iptables.man.html): "RETURN means stop traversing this chain
  and resume at the next rule in the previous (calling) chain.  If the end of a built-in chain is reached or a
  rule in a built-in chain with target RETURN is matched, the target specified by the chain policy determines
  the fate of the packet."  So a packet that may or may not return ends at a later rule of the built-in chain
  or at its policy, and where every later rule that may take it has the policy's action, it ends with that
  action either way.
* iptables-extensions(8) (https://ipset.netfilter.org/iptables-extensions.man.html), mark: "This module matches
  the netfilter mark field associated with a packet (which can be set using the MARK target below).
  [!] --mark value[/mask]"; connmark: "This module matches the netfilter mark field associated with a
  connection (which can be set using the CONNMARK target below)"; MARK: "This target is used to set the
  Netfilter mark value associated with the packet" (a non-terminating target); statistic: "This module matches
  packets based on some statistic condition. It supports two distinct modes settable with the --mode option":
  random ("--probability p") and nth ("--every n", "--packet p").  The marks are set by rules, other programs
  and the kernel, and the statistic by chance or a counter: not modelled, the rule may match any packet.
  iptables refuses the three matches without their option (libxt_mark.c, libxt_connmark.c, libxt_statistic.c:
  the option is XTOPT_MAND).
"""

from __future__ import annotations

from auditor.api import audit, combine_inputs, decision_json, make_packet
from auditor.core.model import Impact
from auditor.policy import load_site
from parsers.linux import iptables

ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]

# kube-proxy in iptables mode, one ClusterIP service (10.96.0.10:80) with two endpoints, on a host that routes
# (its filter table accepts everything but ssh from 192.0.2.0/24)
KUBE = """*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-X - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-A -s 10.244.0.5/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.244.0.5:8080
-A KUBE-SEP-B -s 10.244.0.6/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-B -p tcp -m tcp -j DNAT --to-destination 10.244.0.6:8080
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-X ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-X -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-A
-A KUBE-SVC-X -j KUBE-SEP-B
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 22 -s 192.0.2.0/24 -j DROP
COMMIT
"""

# a filter chain that returns the marked packets and drops the others, jumped to from FORWARD (policy DROP)
MARKED = """*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:CHECK - [0:0]
-A FORWARD -j CHECK
-A CHECK -m mark --mark 0x1/0x1 -j RETURN
-A CHECK -j DROP
COMMIT
"""


def parse(text: str):
    return iptables.parse(text, "t.rules")


def line_of(text: str, needle: str) -> int:
    return next(n for n, x in enumerate(text.split("\n"), 1) if needle in x)


def decide(cfg, src: str, dst: str, dport: int, proto: str = "tcp") -> dict:
    return decision_json(cfg, make_packet(src, dst, proto, 1024, dport))


def flows(cfg) -> dict[str, str]:
    site = load_site(None, ROLES)
    return {f["flow"]: f["status"] for f in audit(combine_inputs([cfg], None, site), site).flows}


def report(cfg, line: int):
    [d] = [x for x in cfg.diagnostics if x.source.line == line]
    return d


def test_kube_proxy_masquerade_return_leaves_the_routed_flows_decided():
    cfg = parse(KUBE)
    # (before: every routed flow unknown at the '-m mark ! --mark 0x4000/0x4000 -j RETURN' line: whether the
    # packet returns or not, it ends accepted, by the MASQUERADE after it or by POSTROUTING's policy ACCEPT)
    status = flows(cfg)
    assert status and set(status.values()) == {"pass"}
    got = decide(cfg, "10.1.0.5", "10.2.0.10", 445)
    assert got["decision"] == "permit"
    # the service's address is still unknown: its packets reach the DNATs
    got = decide(cfg, "10.1.0.5", "10.96.0.10", 80)
    assert got["decision"] == "unknown"


def test_a_moot_return_ends_as_a_drop_policy():
    # returned, the packet meets FORWARD's end (policy DROP); not returned, CHECK's DROP
    cfg = parse(MARKED)
    assert decide(cfg, "10.1.0.5", "10.2.0.10", 445)["decision"] == "deny"
    assert flows(cfg) and set(flows(cfg).values()) == {"fail"}
    # so too a RETURN in the built-in chain itself
    text = MARKED.replace("-A FORWARD -j CHECK\n", "-A FORWARD -m mark --mark 0x1 -j RETURN\n-A FORWARD -j DROP\n")
    assert decide(parse(text), "10.1.0.5", "10.2.0.10", 445)["decision"] == "deny"


def test_a_return_whose_packets_a_later_rule_decides_otherwise_stays_unknown():
    # a returned packet from the workshop is accepted by the rule after the jump, one that is not returned dropped
    text = MARKED.replace("-A FORWARD -j CHECK\n", "-A FORWARD -j CHECK\n-A FORWARD -s 10.1.0.0/16 -j ACCEPT\n")
    cfg = parse(text)
    got = decide(cfg, "10.1.0.5", "10.2.0.10", 445)
    assert got["decision"] == "unknown" and got["line"] == line_of(text, "--mark 0x1/0x1 -j RETURN")
    # the same with the policy ACCEPT and a later DROP
    text = MARKED.replace(":FORWARD DROP", ":FORWARD ACCEPT").replace(
        "-A CHECK -j DROP\n", "-A CHECK -j ACCEPT\n").replace("-A FORWARD -j CHECK\n",
                                                             "-A FORWARD -j CHECK\n-A FORWARD -j DROP\n")
    assert decide(parse(text), "10.1.0.5", "10.2.0.10", 445)["decision"] == "unknown"


def test_a_return_in_a_chain_whose_policy_is_not_given_stays_unknown():
    # (a script that sets no policy: the parser does not take the kernel's; nothing decides the returned packets)
    text = ("iptables -N CHECK\niptables -A FORWARD -j CHECK\n"
            "iptables -A CHECK -m mark --mark 0x1 -j RETURN\niptables -A CHECK -j ACCEPT\n")
    assert decide(parse(text), "10.1.0.5", "10.2.0.10", 445)["decision"] == "unknown"


def test_mark_connmark_and_statistic_matches_are_uncertain_and_say_why():
    # (before: "match '-m mark' is not supported", and the same for connmark and statistic)
    d = report(parse(MARKED), line_of(MARKED, "-m mark"))
    assert d.impact is Impact.FILTER and d.scope == "CHECK" and d.message == (
        "line not understood: '-m mark --mark 0x1/0x1': the packet's mark (set by rules, other programs or "
        "the kernel) is not modelled")
    text = MARKED.replace("-A FORWARD -j CHECK\n", "-A FORWARD -m connmark ! --mark 0x2 -j ACCEPT\n"
                          "-A FORWARD -p udp -m statistic --mode nth --every 2 --packet 0 -j ACCEPT\n"
                          "-A FORWARD -p tcp -m statistic --mode random --probability 0.5 -j ACCEPT\n")
    cfg = parse(text)
    d = report(cfg, line_of(text, "-m connmark"))
    assert d.impact is Impact.FILTER and "'-m connmark ! --mark 0x2': the connection's mark (set by rules, " \
                                         "other programs or the kernel) is not modelled" in d.message
    d = report(cfg, line_of(text, "--mode nth"))
    assert d.impact is Impact.FILTER and "'-m statistic --mode nth': it matches every nth of the packets " \
                                         "(load balancing), which is not modelled" in d.message
    d = report(cfg, line_of(text, "--mode random"))
    assert "'-m statistic --mode random': it matches a random share of the packets" in d.message
    # accepts that may or may not match before the policy DROP: never a pass
    got = decide(cfg, "10.1.0.5", "10.2.0.10", 445)
    assert got["decision"] == "unknown" and got["line"] == line_of(text, "-m connmark")
    text = text.replace("-A FORWARD -m connmark ! --mark 0x2 -j ACCEPT\n", "")
    cfg = parse(text)
    got = decide(cfg, "10.1.0.5", "10.2.0.10", 445)
    assert got["decision"] == "unknown" and got["line"] == line_of(text, "--mode random")
    got = decide(cfg, "10.1.0.5", "10.2.0.10", 37002, "udp")
    assert got["decision"] == "unknown" and got["line"] == line_of(text, "--mode nth")


def test_the_matches_iptables_refuses_without_their_option():
    # (before: read as an uncertain '-m mark'; iptables-restore refuses the line and commits nothing)
    for rule, why in (("-m mark", "mark match: parameter '--mark' is required"),
                      ("-m statistic --probability 0.5", "statistic match: parameter '--mode' is required"),
                      ("-m statistic --mode often", 'Bad mode "often"'),
                      ("-m connmark --mark blue", 'Bad mark value "blue"')):
        text = MARKED.replace("-A FORWARD -j CHECK", "-A FORWARD %s -j CHECK" % rule)
        d = report(parse(text), line_of(text, "-A FORWARD"))
        assert d.impact is Impact.GLOBAL and why in d.message, rule


def test_mark_targets_are_side_effects_in_mangle_and_nat():
    # '-j MARK --set-xmark' / '--set-mark' set the packet's mark and rule processing goes on
    text = """*mangle
:PREROUTING ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
-A PREROUTING -s 10.1.0.0/16 -j MARK --set-mark 0x1
-A FORWARD -j MARK --set-xmark 0x4000/0x4000
COMMIT
*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -j MARK --set-xmark 0x4000/0x0
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -s 10.1.0.0/16 -d 10.2.0.10/32 -p tcp --dport 445 -j ACCEPT
COMMIT
"""
    cfg = parse(text)
    assert not cfg.diagnostics
    assert decide(cfg, "10.1.0.5", "10.2.0.10", 445)["decision"] == "permit"
    assert decide(cfg, "10.1.0.5", "10.2.0.10", 139)["decision"] == "deny"

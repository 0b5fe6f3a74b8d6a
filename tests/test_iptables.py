"""parsers.iptables: iptables-save / ip6tables-save and the iptables command form."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict

from auditor.api import audit, decision_json, load_config, make_packet
from auditor.core.model import Action, Impact
from auditor.policy import load_site
from parsers import InputError
from parsers.linux import iptables

CORPUS = sorted((FIXTURES / "corpus" / "iptables").iterdir())


def parse(text: str):
    return iptables.parse(text.strip("\n") + "\n", "fw.rules")


def decide(cfg, src, dst, proto="tcp", sport=1024, dport=80, filt="INPUT"):
    return decision_json(cfg, make_packet(src, dst, proto, sport, dport), filt)


def d(cfg, *a, **kw) -> str:
    return decide(cfg, *a, **kw)["decision"]


def save(*rules: str, policy: str = "DROP", chains: str = "") -> str:
    """A minimal iptables-save dump of the filter table."""
    return "\n".join(["*filter", ":INPUT %s [0:0]" % policy, ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                      *[":%s - [0:0]" % c for c in chains.split()], *rules, "COMMIT"])


# --- detection -------------------------------------------------------------------

def test_detect_save_and_command_forms_and_not_others():
    assert iptables.detect(save("-A INPUT -p tcp --dport 22 -j ACCEPT")) >= 80
    assert iptables.detect("-P INPUT DROP\n-N X\n-A INPUT -j X\n-A X -p tcp -j ACCEPT\n") >= 60
    assert iptables.detect("iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n") >= 60
    assert iptables.detect("table inet filter {\n chain input {\n type filter hook input priority 0;\n }\n}\n") < 30
    assert iptables.detect("access-list A extended permit ip any any\naccess-group A in interface inside\n") < 30
    assert iptables.detect("hello world\n") == 0


# --- chains, policies, paths --------------------------------------------------------------

def test_builtin_chain_ends_with_its_policy_line():
    cfg = parse(save("-A INPUT -p tcp --dport 22 -j ACCEPT"))
    f = cfg.filters["INPUT"]
    assert [r.action for r in f.rules] == [Action.PERMIT, Action.DENY]
    assert f.rules[-1].source.line == 2 and f.rules[-1].source.text == ":INPUT DROP [0:0]"
    out = decide(cfg, "10.1.0.5", "10.2.0.10", dport=23)
    assert out["decision"] == "deny" and out["line"] == 2
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "permit"
    # per-filter evaluation uses the policy, not an implicit deny
    assert d(parse(save(policy="ACCEPT")), "10.1.0.5", "10.2.0.10") == "permit"


def test_paths_local_in_and_out_and_idle_forward_left_out():
    cfg = parse(save("-A INPUT -j ACCEPT"))
    assert sorted(str(p.local) for p in cfg.paths) == ["in", "out"]
    assert [i.name for i in cfg.interfaces] == ["ipv4"]
    assert len(cfg.aux.idle_transit) == 1  # FORWARD ACCEPT with no rule: a host that does not forward
    cfg = parse(save("-A FORWARD -s 10.9.0.0/16 -j DROP"))
    assert sorted(str(p.local) for p in cfg.paths) == ["None", "in", "out"]
    transit = next(p for p in cfg.paths if p.local is None)
    assert [s.name for s in transit.stages] == ["FORWARD"]


def test_path_evaluation_uses_the_chain():
    cfg = parse(save("-A INPUT -s 10.1.0.0/24 -p tcp --dport 445 -j ACCEPT"))
    out = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 445))
    assert out["decision"] == "permit" and out["stage"] == "INPUT"
    # IPv6 packets do not reach an IPv4 ruleset: not routed
    out = decision_json(cfg, make_packet("2001:db8::1", "2001:db8::2", "tcp", 1024, 445))
    assert out["decision"] == "deny" and out["line"] is None


def test_no_policy_line_makes_the_end_of_the_chain_unknown():
    cfg = parse("*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n")
    assert any("no policy line" in x.message for x in cfg.unrecognized)
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "unknown"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "permit"


# --- addresses, protocols, ports ------------------------------------------------------------

@pytest.mark.parametrize("rule", ["-A INPUT ! -s 10.1.0.0/24 -j DROP", "-A INPUT -s ! 10.1.0.0/24 -j DROP"])
def test_address_negation_both_spellings(rule):
    cfg = parse(save(rule, "-A INPUT -j ACCEPT"))
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "permit"
    assert d(cfg, "10.3.0.5", "10.2.0.10") == "deny"


def test_dotted_mask_and_address_lists():
    cfg = parse(save("-A INPUT -s 10.1.0.0/255.255.255.0,10.7.0.1 -d 10.2.0.10/32 -j ACCEPT"))
    assert d(cfg, "10.1.0.200", "10.2.0.10") == "permit"
    assert d(cfg, "10.7.0.1", "10.2.0.10") == "permit"
    assert d(cfg, "10.7.0.2", "10.2.0.10") == "deny"
    assert d(cfg, "10.1.0.200", "10.2.0.11") == "deny"
    assert cfg.address_refs and cfg.filters["INPUT"].rules[0].addresses


def test_short_ipv4_addresses_are_networks_as_libxtables_reads_them():
    # iptables(8), "-s, --source address[/mask]" (https://man7.org/linux/man-pages/man8/iptables.8.html);
    # libxtables reads the address with xtables_numeric_to_ipaddr, whose "autocomplete, this is a network
    # address" fills the missing bytes with 0: the scripts' '-s 0/0' is every address and '10.1/16' is
    # 10.1.0.0/16.  Both were refused as bad addresses, every packet reaching them unknown.
    cfg = parse("iptables -P INPUT DROP\niptables -A INPUT -s 0/0 -d 10.2.0.10 -p tcp --dport 22 -j ACCEPT\n"
                "iptables -A INPUT -s 10.1/16,10.3.5 -p tcp --dport 445 -j ACCEPT\n"
                "iptables -A INPUT ! -s 10/8 -p tcp --dport 139 -j ACCEPT\n")
    assert not cfg.unrecognized
    assert decide(cfg, "192.0.2.7", "10.2.0.10", dport=22)["line"] == 2
    assert decide(cfg, "10.1.200.5", "10.2.0.10", dport=445)["line"] == 3
    assert d(cfg, "10.3.5.0", "10.2.0.10", dport=445) == "permit"
    assert d(cfg, "10.3.5.1", "10.2.0.10", dport=445) == "deny"
    assert d(cfg, "10.2.0.5", "10.2.0.10", dport=445) == "deny"
    assert d(cfg, "192.0.2.7", "10.2.0.10", dport=139) == "permit"
    assert d(cfg, "10.9.9.9", "10.2.0.10", dport=139) == "deny"


def test_protocol_negation_and_all():
    cfg = parse(save("-A INPUT ! -p udp -j ACCEPT"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", "tcp") == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "udp", 1024, 53) == "deny"
    cfg = parse(save("-A INPUT -p all -j ACCEPT"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", "47", None, None) == "permit"


@pytest.mark.parametrize("spec,inside,outside", [
    ("--dport 1024:2048", [1024, 2048], [1023, 2049]),
    ("--dport :1023", [0, 1023], [1024]),
    ("--dport 49152:", [49152, 65535], [49151]),
    ("--dport ssh", [22], [23]),
    ("! --dport 80", [79, 81], [80]),
    ("-m multiport --dports 80,443,8000:8010", [80, 443, 8005], [81, 8011]),
    ("-m multiport ! --dports 80,443", [81], [80, 443]),
])
def test_destination_ports(spec, inside, outside):
    cfg = parse(save("-A INPUT -p tcp %s -j ACCEPT" % spec))
    for p in inside:
        assert d(cfg, "10.1.0.5", "10.2.0.10", dport=p) == "permit", p
    for p in outside:
        assert d(cfg, "10.1.0.5", "10.2.0.10", dport=p) == "deny", p


def test_source_ports_and_multiport_either_direction():
    cfg = parse(save("-A INPUT -p udp --sport 53 -j ACCEPT", "-A INPUT -p tcp -m multiport --ports 5000 -j ACCEPT"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", "udp", 53, 4000) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "udp", 54, 53) == "deny"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "tcp", 5000, 80) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "tcp", 1024, 5000) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "tcp", 1024, 5001) == "deny"


def test_iprange():
    cfg = parse(save("-A INPUT -m iprange --src-range 10.1.0.10-10.1.0.20 -j ACCEPT",
                     "-A INPUT -m iprange ! --dst-range 10.2.0.0-10.2.0.255 -j ACCEPT"))
    assert d(cfg, "10.1.0.15", "10.2.0.10") == "permit"
    assert d(cfg, "10.1.0.21", "10.2.0.10") == "deny"
    assert d(cfg, "10.1.0.21", "10.3.0.10") == "permit"


def test_icmp_types():
    cfg = parse(save("-A INPUT -p icmp --icmp-type echo-request -j ACCEPT",
                     "-A INPUT -p icmp --icmp-type 3/4 -j ACCEPT"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 8 * 256) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 3 * 256 + 4) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 3 * 256 + 3) == "deny"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 0) == "deny"


# --- state, flags, fragments, interfaces ----------------------------------------------------------

@pytest.mark.parametrize("match,expect", [
    ("-m state --state ESTABLISHED,RELATED", "deny"),
    ("-m conntrack --ctstate RELATED,ESTABLISHED", "deny"),
    ("-m conntrack --ctstate INVALID", "deny"),
    ("-m state --state NEW", "permit"),
    ("-m state --state NEW,ESTABLISHED", "permit"),
    ("-m conntrack ! --ctstate NEW", "deny"),
    ("-m conntrack ! --ctstate INVALID", "permit"),
    ("-m conntrack --ctstate SNAT", "unknown"),
    ("-m conntrack --ctstate DNAT", "deny"),  # no destination NAT in the input: matches nothing
    ("-p tcp --syn", "permit"),
    ("-p tcp ! --syn", "deny"),
    ("-p tcp --tcp-flags SYN,RST,ACK,FIN SYN", "permit"),
    ("-p tcp --tcp-flags ALL NONE", "deny"),
    ("-f", "deny"),
    ("! -f", "permit"),
])
def test_new_connection_semantics(match, expect):
    cfg = parse(save("-A INPUT %s -j ACCEPT" % match))
    assert d(cfg, "10.1.0.5", "10.2.0.10") == expect


def test_interfaces_are_uncertain_but_loopback_is_modelled():
    cfg = parse(save("-A INPUT -i eth0 -p tcp --dport 22 -j ACCEPT", "-A INPUT -i lo -j ACCEPT"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "unknown"
    # not tcp/22: the interface rule cannot match; lo only carries loopback addresses
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "deny"
    assert d(cfg, "127.0.0.1", "127.0.0.1", dport=80) == "permit"
    assert not cfg.unrecognized  # an interface is not 'not understood', just not modelled


def test_comment_with_spaces_and_counters_and_ipv_options():
    cfg = parse(save('[3:180] -A INPUT -p tcp -m comment --comment "allow web, said \\"ops\\"" --dport 80 -j ACCEPT',
                     "-A INPUT -p tcp -6 -j ACCEPT", "-A INPUT -p udp -4 -j ACCEPT", "-A INPUT -p tcp -c 1 2 -j DROP"))
    assert not cfg.unrecognized
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=81) == "deny"  # the -6 rule is skipped by iptables-restore
    assert d(cfg, "10.1.0.5", "10.2.0.10", "udp", 1, 1) == "permit"


def test_unknown_match_is_uncertain_within_its_known_superset():
    cfg = parse(save("-A INPUT -p tcp --dport 22 -m recent --name ssh --rcheck --seconds 60 -j DROP",
                     "-A INPUT -j ACCEPT"))
    [diag] = cfg.unrecognized
    assert diag.source.line == 5 and diag.impact is Impact.FILTER and "recent" in diag.message
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "unknown"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "permit"


def test_log_rules_are_skipped_even_with_unknown_matches():
    cfg = parse(save('-A INPUT -m limit --limit 5/min -j LOG --log-prefix "IN: " --log-level 4',
                     "-A INPUT -p tcp --dport 80 -j ACCEPT"))
    assert not cfg.unrecognized
    assert [r.source.line for r in cfg.filters["INPUT"].rules] == [6, 2]


def test_unparseable_rule_is_opaque_and_reported():
    cfg = parse(save("-A INPUT -p tcp --bogus-option 1 -j ACCEPT", "-A INPUT -j ACCEPT"))
    [diag] = cfg.unrecognized
    assert "--bogus-option" in diag.message
    rule = cfg.filters["INPUT"].rules[0]
    assert rule.opaque and not rule.match
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "unknown"


def test_unknown_command_is_global():
    # (-E renames a chain: not modelled; -D is, tests/test_linux_hunt5.py)
    cfg = parse(save("-A INPUT -j WS", "-A WS -j ACCEPT", chains="WS") + "\n-E WS WEB\n")
    assert [x.impact for x in cfg.unrecognized] == [Impact.GLOBAL]


# --- user chains --------------------------------------------------------------------------------

def test_jump_conditions_are_anded_into_the_sub_chain():
    cfg = parse(save("-A INPUT -s 10.1.0.0/24 -j WS", "-A WS -p tcp --dport 445 -j ACCEPT", "-A WS -j DROP",
                     "-A INPUT -j ACCEPT", chains="WS"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=445) == "permit"
    out = decide(cfg, "10.1.0.5", "10.2.0.10", dport=80)
    assert out["decision"] == "deny" and out["line"] == 8  # the sub-chain's line decides
    assert d(cfg, "10.9.0.5", "10.2.0.10", dport=80) == "permit"
    assert cfg.filters["WS"].rules  # the user chain is a filter of its own
    assert "INPUT -> WS" in cfg.filters["INPUT"].rules[0].note


def test_return_excludes_the_rest_of_the_chain():
    cfg = parse(save("-A INPUT -j SUB", "-A SUB -s 10.1.0.0/24 -j RETURN", "-A SUB -j DROP", "-A INPUT -j ACCEPT",
                     chains="SUB"))
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "permit"
    assert d(cfg, "10.9.0.5", "10.2.0.10") == "deny"


def test_uncertain_return_makes_what_follows_unknown():
    cfg = parse(save("-A INPUT -j SUB", "-A SUB -i eth1 -j RETURN", "-A SUB -s 10.1.0.0/24 -j ACCEPT",
                     chains="SUB"))
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "unknown"


def anomalies(cfg) -> set[tuple[str, int]]:
    return {(f.rule_id, f.source.line) for f in audit([cfg], load_site(None, [])).findings
            if f.rule_id in ("ACL200", "ACL201")}


# A user chain's end returns to the rule after the jump (Red Hat Enterprise Linux 4 Reference
# Guide, 18.3.5 "Target Options": RETURN "returns the packet to the first chain to resume rule
# checking where it left off"; only a built-in chain's end applies its policy).

def test_a_user_chain_line_made_redundant_within_its_chain_is_reported_whatever_the_jump():
    """The jump's interface condition leaves the chain's copies in FORWARD uncertain; the chain
    itself shows that removing line 7 changes nothing (line 8 accepts its packets alike)."""
    cfg = parse(save("-A FORWARD -i eth0 -j OUTSIDE",
                     "-A OUTSIDE -s 10.9.0.1/32 -d 10.2.0.10/32 -p tcp --dport 443 -j ACCEPT",
                     "-A OUTSIDE -p tcp --dport 443 -j ACCEPT", "-A OUTSIDE -j DROP", chains="OUTSIDE"))
    assert cfg.filters["FORWARD"].rules[0].maybe and not cfg.filters["FORWARD"].rules[0].match
    assert anomalies(cfg) == {("ACL201", 7)}


def test_a_user_chain_end_is_not_a_drop():
    """A drop at the end of a user chain is not redundant: without it the packet returns to the
    calling chain (here to FORWARD's policy ACCEPT), and in a chain no one jumps to, nothing
    says what its end does."""
    cfg = parse(save("-A FORWARD -j BLOCK", "-A BLOCK -s 10.9.0.0/16 -j DROP", chains="BLOCK"))
    assert anomalies(cfg) == set()
    cfg = parse(save("-A UNUSED -s 10.9.0.0/16 -j DROP", chains="UNUSED"))
    assert anomalies(cfg) == set()


def test_a_user_chain_line_no_jump_sends_packets_to_never_matches():
    """Every jump to ACCESS comes from 10.44.0.0/16: line 9 (from 10.28.5.0/24) never matches,
    though on its own the chain would run it; line 8 does match.  A chain no jump reaches says
    nothing of its lines (line 10's chain UNUSED)."""
    cfg = parse(save("-A FORWARD -s 10.44.0.0/16 -j ACCESS", "-A ACCESS -d 10.2.0.0/16 -j ACCEPT",
                     "-A ACCESS -s 10.28.5.0/24 -j DROP", "-A UNUSED -s 10.28.5.0/24 -j DROP",
                     chains="ACCESS UNUSED").replace(":FORWARD ACCEPT", ":FORWARD DROP"))
    found = [f for f in audit([cfg], load_site(None, [])).findings if f.rule_id in ("ACL200", "ACL201")]
    assert [(f.rule_id, f.source.line) for f in found] == [("ACL200", 9)]
    assert "no jump to chain ACCESS" in found[0].message
    assert cfg.filters["ACCESS"].rules[1].match.contains(found[0].example)


def test_a_drop_at_the_end_of_a_user_chain_before_the_callers_drop_is_redundant():
    """The jump's copy in FORWARD is certain; FORWARD drops what ACCESS returns (its policy), so
    line 8 changes nothing, though the chain on its own (its end returning) cannot tell."""
    cfg = parse(save("-A FORWARD -s 10.44.0.0/16 -j ACCESS", "-A ACCESS -d 10.2.0.0/16 -j ACCEPT",
                     "-A ACCESS -s 10.44.5.0/24 -j DROP", chains="ACCESS").replace(":FORWARD ACCEPT", ":FORWARD DROP"))
    assert anomalies(cfg) == {("ACL201", 8)}


def test_a_rule_not_understood_may_jump_anywhere_so_no_line_is_said_never_to_match():
    """Line 11 is not understood (a prefix of 33 bits): it may jump to ACCESS from other
    sources, so line 9 is not said to never match (the chains are judged as before, in every
    filter).  A match not understood in a jump keeps the jump, its copies uncertain (line 12)."""
    rules = ["-A FORWARD -s 10.44.0.0/16 -j ACCESS", "-A ACCESS -d 10.2.0.0/16 -j ACCEPT",
             "-A ACCESS -s 10.28.5.0/24 -j DROP", "-A UNUSED -s 10.28.5.0/24 -j DROP"]
    cfg = parse(save(*rules, "-A FORWARD -s 10.99.0.0/33 -j ACCESS", chains="ACCESS UNUSED"))
    assert [x.source.line for x in cfg.unrecognized] == [11]
    assert cfg.filters["ACCESS"].kind == "chain"
    assert ("ACL200", 9) not in anomalies(cfg)
    cfg = parse(save(*rules, "-A FORWARD -m frobnicate --x 1 -j ACCESS", chains="ACCESS UNUSED"))
    assert cfg.filters["ACCESS"].kind == "user-chain"
    assert ("ACL200", 9) not in anomalies(cfg)


def test_a_line_of_a_chain_reached_through_another_user_chain_is_judged_everywhere():
    """Line 9 is in SUB and, through the jump, in OUTSIDE: which copy is its own is not known
    to the checks, so it is reported only where every filter it is in finds it redundant (here
    FORWARD's copies are uncertain: not reported; a missed finding, never a false one)."""
    cfg = parse(save("-A FORWARD -i eth0 -j OUTSIDE", "-A OUTSIDE -j SUB",
                     "-A SUB -s 10.9.0.1/32 -p tcp --dport 443 -j ACCEPT", "-A SUB -p tcp --dport 443 -j ACCEPT",
                     chains="OUTSIDE SUB"))
    assert ("ACL201", 9) not in anomalies(cfg)


def test_with_untracked_packets_user_chains_are_judged_in_every_filter():
    """NOTRACK in the raw table changes what the chains' state matches see: a user chain's own
    list is then not what every jump to it runs, and it is judged like any other filter."""
    text = ("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -s 10.7.0.0/16 -j NOTRACK\n"
            "COMMIT\n" + save("-A FORWARD -i eth0 -j OUTSIDE",
                               "-A OUTSIDE -s 10.9.0.1/32 -d 10.2.0.10/32 -p tcp --dport 443 -j ACCEPT",
                               "-A OUTSIDE -p tcp --dport 443 -j ACCEPT", chains="OUTSIDE"))
    cfg = iptables.parse(text, "fw.rules")
    assert cfg.filters["OUTSIDE"].kind == "chain"
    assert not {x for x in anomalies(cfg) if x[0] == "ACL201"}


def test_goto_does_not_come_back():
    cfg = parse(save("-A INPUT -s 10.1.0.0/24 -g SUB", "-A INPUT -j ACCEPT", "-A SUB -p udp -j ACCEPT",
                     chains="SUB"))
    # tcp from 10.1.0.0/24 falls off SUB and returns to INPUT's caller: the policy
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "deny"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "udp", 1, 1) == "permit"
    assert d(cfg, "10.9.0.5", "10.2.0.10") == "permit"


def test_undefined_chain_and_jump_loop_are_cfg301():
    cfg = parse(save("-A INPUT -j nope", chains=""))
    assert any(x.code == "CFG301" and "nope" in x.message for x in cfg.diagnostics)
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    cfg = parse(save("-A INPUT -j NOPE", chains=""))  # an upper-case name: a target we do not know
    assert "unknown target" in cfg.unrecognized[0].message
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    cfg = parse(save("-A INPUT -s 10.1.0.0/24 -j A", "-A A -j B", "-A B -j A", "-A INPUT -j ACCEPT", chains="A B"))
    assert any(x.code == "CFG301" and "loop" in x.message for x in cfg.diagnostics)
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    assert d(cfg, "10.9.0.5", "10.2.0.10") == "permit"


# --- families ---------------------------------------------------------------------------------

IP6 = """# Generated by ip6tables-save v1.8.7 on Mon Jan  1 00:00:00 2024
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 2001:db8:1::/64 -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT
COMMIT
# Completed on Mon Jan  1 00:00:00 2024
"""


def test_ip6tables_save_covers_only_ipv6():
    cfg = parse(IP6)
    assert cfg.aux.families == (6,) and [i.name for i in cfg.interfaces] == ["ipv6"]
    assert d(cfg, "2001:db8:1::5", "2001:db8::10", dport=22) == "permit"
    assert d(cfg, "2001:db8:1::5", "2001:db8::10", "58", None, 128 * 256) == "permit"
    assert d(cfg, "2001:db8:2::5", "2001:db8::10", dport=22) == "deny"
    out = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 22))
    assert out["decision"] == "deny" and "reason" in out  # IPv4: not routed


def test_concatenated_v4_and_v6_dumps():
    v4 = "# Generated by iptables-save v1.8.7\n" + save("-A INPUT -p tcp --dport 80 -j ACCEPT")
    cfg = parse(v4 + "\n" + IP6)
    assert cfg.aux.families == (4, 6)
    assert {"INPUT", "ip6/INPUT"} <= set(cfg.filters)
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "permit"
    assert d(cfg, "2001:db8:1::5", "2001:db8::10", dport=22, filt="ip6/INPUT") == "permit"
    # IPv6 FORWARD drops: the IPv6 side is a router, its transit traffic meets ip6/FORWARD
    out = decision_json(cfg, make_packet("2001:db8:1::5", "2001:db8::10", "tcp", 1, 22))
    assert out["stage"] == "ip6/FORWARD" and out["decision"] == "deny"


# A rule line that starts with -4 or -6 (one file for both restore commands).  iptables(8), PARAMETERS
# (https://www.mankier.com/8/iptables): "-4, --ipv4: This option has no effect in iptables and iptables-restore. If
# a rule using the -4 option is inserted with (and only with) ip6tables-restore, it will be silently ignored ...
# This option allows IPv4 and IPv6 rules in a single rule file for use with both iptables-restore and
# ip6tables-restore", -6 alike; netfilter's iptables commit d76475ce "restore legacy behaviour of iptables-restore
# when rules start with -4/-6" (https://android.googlesource.com/platform/external/iptables/+/d76475ce%5E%21/).
# Before, such a line was "unsupported command '-6'" (could change any verdict) and the rule of the file's own
# family was not applied.

def test_a_line_starting_with_the_other_familys_option_is_left_out_and_one_with_its_own_applies():
    cfg = parse(save("-6 -A INPUT -p tcp --dport 22 -j ACCEPT", "-4 -A INPUT -p tcp --dport 80 -j ACCEPT",
                     "--ipv6 -A INPUT -p tcp --dport 23 -j ACCEPT"))
    assert not cfg.unrecognized
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "deny" and d(cfg, "10.1.0.5", "10.2.0.10", dport=23) == "deny"
    # (the other family's rules: a part left out of the review, as a rule marked -6 after its chain)
    [part] = cfg.left_out
    assert part.part == "the IPv6 rules (-6)" and [n for n, _t in part.entries()] == [5, 7]


def test_in_an_ip6tables_dump_the_lines_starting_with_minus_4_are_left_out():
    cfg = parse(IP6.replace("COMMIT", "-4 -A INPUT -p tcp --dport 80 -j ACCEPT\n-6 -A INPUT -p tcp --dport 443 "
                                      "-j ACCEPT\nCOMMIT"))
    # (the dump's only report: its INPUT drops neighbour discovery, line 3)
    assert [x.source.line for x in cfg.unrecognized] == [3] and cfg.aux.families == (6,)
    assert d(cfg, "2001:db8:2::5", "2001:db8::10", dport=443) == "permit"
    assert d(cfg, "2001:db8:2::5", "2001:db8::10", dport=80) == "deny"
    assert [p.part for p in cfg.left_out] == ["the IPv4 rules (-4)"]


def test_the_lines_marked_for_a_family_do_not_say_which_family_the_file_is_read_as():
    # (no "Generated by" line: the addresses of the lines say the family; those of the marked lines, there for
    # the restore command of their family whichever reads the file, do not: unmarked ones are IPv4 here)
    cfg = parse(save("-4 -A INPUT -s 10.1.0.0/24 -p tcp --dport 80 -j ACCEPT",
                     "-6 -A INPUT -s 2001:db8:1::/64 -p tcp --dport 22 -j ACCEPT",
                     "-6 -A INPUT -s 2001:db8:2::/64 -p tcp --dport 22 -j ACCEPT"))
    assert cfg.aux.families == (4,) and not cfg.unrecognized
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "permit"


def test_family_mismatch_is_reported():
    cfg = parse(save("-A INPUT -s 10.1.0.0/24 -j ACCEPT", "-A INPUT -s 2001:db8::/32 -j ACCEPT"))
    assert len(cfg.unrecognized) == 1 and "IPv6" in cfg.unrecognized[0].message


# --- command form (aerleon's iptables target, shell scripts) ---------------------------------

def test_command_form_with_prefixes_tables_and_insert():
    cfg = parse("""
iptables -F
iptables -P INPUT DROP
iptables -N WEB
iptables -A INPUT -j WEB
iptables -A WEB -p tcp --dport 80 -j ACCEPT
iptables -I WEB -s 10.66.0.0/16 -j DROP
iptables -t raw -A PREROUTING -p tcp --dport 5000 -j CT --timeout short
""")
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "permit"
    assert d(cfg, "10.66.0.5", "10.2.0.10", dport=80) == "deny"
    assert [str(p.local) for p in cfg.paths] == ["in"]  # only INPUT is configured: a host
    assert [x.scope for x in cfg.diagnostics] == ["timeouts"]


def test_aerleon_iptables_target_shape():
    cfg = parse("""# Iptables INPUT Policy
# inet6
-P INPUT ACCEPT
-N I_t1
-A INPUT -j I_t1
-A I_t1 -d 2001:db8::/64 -p ipv6-icmp  -j DROP
""")
    assert cfg.aux.families == (6,) and not cfg.diagnostics
    assert d(cfg, "2001:db9::1", "2001:db8::5", "58", None, 0) == "deny"
    assert d(cfg, "2001:db9::1", "2001:db8::5") == "permit"


# --- other tables, timeouts ----------------------------------------------------------------

def test_mangle_drop_is_a_stage_and_nat_dnat_is_global():
    cfg = parse("""*mangle
:PREROUTING DROP [0:0]
-A PREROUTING -s 10.1.0.0/24 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.2.0.10:80
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
""" + save("-A INPUT -j ACCEPT"))
    inp = next(p for p in cfg.paths if p.local == "in")
    # (the nat chain is a stage: the packets that reach its DNAT are unknown there, test_iptdnat23)
    assert [s.name for s in inp.stages] == ["mangle/PREROUTING", "nat/PREROUTING", "INPUT"]
    assert [x.impact for x in cfg.unrecognized] == [Impact.GLOBAL]
    # (global: mangle's policy may drop what it translates to, a drop the translated packets do not meet)
    assert "DNAT" in cfg.unrecognized[0].message and "mangle/PREROUTING may drop" in cfg.unrecognized[0].message
    # (the DNAT, not modelled, could change any decision: explain says unknown, and what the modelled
    # lines decide)
    for src, modelled in (("10.1.0.5", "permit"), ("10.9.0.5", "deny")):
        d = decision_json(cfg, make_packet(src, "10.2.0.10", "tcp", 1, 80))
        assert (d["decision"], d["modelled"], d["doubt"]["line"]) == ("unknown", modelled, 7)


def test_default_timeout_and_ct_timeout_rule():
    cfg = parse(save())
    [t] = cfg.timeouts
    assert t.default and t.idle_seconds == 432000 and t.source is None
    assert t.label == "Linux default nf_conntrack_tcp_timeout_established 432000 s (no sysctl given)"
    cfg = parse("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 49152:65535 -j CT --timeout prn\n"
                "COMMIT\n" + save("-A INPUT -j ACCEPT"))
    [diag] = cfg.diagnostics
    assert diag.scope == "timeouts" and diag.source.line == 3 and "prn" in diag.message


def test_ct_timeout_makes_the_idle_check_unknown():
    cfg = parse("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j CT --timeout prn\nCOMMIT\n"
                + save("-A INPUT -j ACCEPT"))
    site = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10"])
    res = audit([cfg], site)
    prn120 = [f for f in res.findings if f.rule_id == "PRN120"]
    assert prn120 and prn120[0].status == "unknown"


def test_secrets_in_comments_are_redacted():
    cfg = parse(save('-A INPUT -m comment --comment "password hunter2" -p tcp --bogus 1 -j ACCEPT'))
    assert "hunter2" not in cfg.unrecognized[0].source.text


# --- corpus and bad input -------------------------------------------------------------------

EXPECTED_UNRECOGNIZED = {
    "aerleon-multitarget.ipt": 0,
    "aerleon-speedway.ipt": 0,
    "bf-example-host1.iptables": 0,
    "bf-unsupported-command.iptables": 6,  # --check, -h, --rename-chain, -P on a user chain, -R past the end; no :INPUT
    "bf-unsupported-rule-spec-options.iptables": 2,  # '-m tcp' without '-p tcp'; no ':INPUT' policy line
    "bf-z1-firewall.v4": 0,
    "bf-z2-firewall.v4": 0,
}


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits_end_to_end(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "iptables"
    assert len(cfg.unrecognized) == EXPECTED_UNRECOGNIZED[path.name]
    site = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10"])
    res = audit([cfg], site)
    assert_corpus_verdict(path, res)
    assert res.inputs_json()[0]["unrecognized"] == EXPECTED_UNRECOGNIZED[path.name]
    for x in cfg.unrecognized:
        assert any(f.rule_id == "CFG300" and f.source.line == x.source.line for f in res.findings)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_every_line_is_accounted_for(path):
    p = iptables.IptablesParser(path.read_text(), str(path))
    cfg = p.build()
    assert p.lines.unaccounted() == []
    assert cfg.ignored_lines == p.lines.ignored and cfg.ignored_lines > 0  # comments at least


def test_a_line_dropped_silently_would_be_unaccounted():
    # the accounting can fail: a line the parser neither uses, ignores nor reports is listed
    p = iptables.IptablesParser(save("-A INPUT -j ACCEPT"), "fw")
    p.build()
    p.lines.state[4] = 0  # as if the parser had dropped the rule line without a word
    assert p.lines.unaccounted() == [4]


def test_speedway_corpus_decisions():
    cfg = load_config(str(FIXTURES / "corpus/iptables/aerleon-speedway.ipt"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "permit"
    assert d(cfg, "8.8.8.8", "10.2.0.10", dport=22) == "deny"
    out = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 22))
    assert out["stage"] == "FORWARD" and out["decision"] == "deny"  # transit: the FORWARD reject


@pytest.mark.parametrize("text", ["*filter\n:INPUT WHAT\n", "-A\n", "COMMIT\n", "\x01\x02 garbage ::: ]]\n"])
def test_garbage_does_not_crash(text):
    cfg = iptables.parse(text, "bad")
    assert cfg.vendor == "iptables"


def test_garbage_input_is_not_detected(tmp_path):
    p = tmp_path / "junk.txt"
    p.write_text("this is not a firewall\nat all = really\n{ nope }\n")
    with pytest.raises(InputError):
        load_config(str(p))


def test_option_after_a_terminal_target_is_not_swallowed():
    cfg = parse(save("-A INPUT -p tcp -j ACCEPT --dprot 22", "-A INPUT -p tcp -j REJECT --reject-with tcp-reset"))
    [x] = cfg.unrecognized
    assert x.source.line == 5 and "--dprot" in x.message


def test_match_module_before_protocol_is_accepted():
    cfg = parse(save("-A INPUT -m tcp -p tcp --dport 22 -j ACCEPT"))
    assert not cfg.unrecognized
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "permit"


def test_a_rule_with_a_match_not_understood_still_has_its_verdict():
    # iptables(8), TARGETS: "If the packet does not match, the next rule in the chain is examined; if it
    # does match, then the next rule is specified by the value of the target".  A match module the parser
    # does not know makes whether the rule matches uncertain, not what its target does: a DROP above the
    # DROP policy drops either way, an ACCEPT above an ACCEPT of the same packets accepts either way
    text = ("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            "-A FORWARD -p tcp --dport 445 -m frobnicate --x 1 -j DROP\n"
            "-A FORWARD -p tcp --dport 80 -m frobnicate --x 1 -j ACCEPT\n"
            "-A FORWARD -p tcp --dport 80 -j ACCEPT\n"
            "-A FORWARD -p tcp --dport 81 -m frobnicate --x 1 -j ACCEPT\n"
            "COMMIT\n")
    cfg = iptables.parse(text, "r.rules")
    got = decide(cfg, "10.1.0.5", "10.2.0.10", dport=445, filt="FORWARD")
    assert (got["decision"], got["line"]) == ("deny", 3)  # the policy line
    got = decide(cfg, "10.1.0.5", "10.2.0.10", dport=80, filt="FORWARD")
    assert (got["decision"], got["line"]) == ("permit", 7) and "line 6 may decide it first" in got["reason"]
    got = decide(cfg, "10.1.0.5", "10.2.0.10", dport=81, filt="FORWARD")  # ACCEPT, or the DROP policy
    assert (got["decision"], got["line"]) == ("unknown", 8)

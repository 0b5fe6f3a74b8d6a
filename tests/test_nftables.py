"""parsers.nftables: `nft list ruleset` output and nft -f scripts."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict

from auditor.api import audit, decision_json, load_config, make_packet
from auditor.core.model import Action, Impact
from auditor.policy import load_site
from parsers import InputError
from parsers.linux import nftables

CORPUS = sorted((FIXTURES / "corpus" / "nftables").iterdir())
IN = "inet/filter/input"


def parse(text: str):
    return nftables.parse(text.strip("\n") + "\n", "ruleset.nft")


def decide(cfg, src, dst, proto="tcp", sport=1024, dport=80, filt=IN):
    return decision_json(cfg, make_packet(src, dst, proto, sport, dport), filt)


def d(cfg, *a, **kw) -> str:
    return decide(cfg, *a, **kw)["decision"]


def but_nd(diags) -> list:
    """The diagnostics other than the report that a chain drops IPv6 neighbour discovery: every inet
    table here with policy drop and no ICMPv6 accept does (tests/test_linux_hunt5.py)."""
    return [x for x in diags if "neighbour discovery" not in x.message]


def ruleset(*rules: str, policy: str = "drop", family: str = "inet", extra: str = "") -> str:
    body = "\n".join("\t\t" + r for r in rules)
    return ("table %s filter {\n%s\n\tchain input {\n\t\ttype filter hook input priority filter; policy %s;\n"
            "%s\n\t}\n}\n" % (family, extra, policy, body))


# --- detection ---------------------------------------------------------------------

def test_detect():
    assert nftables.detect(ruleset("tcp dport 22 accept")) >= 80
    assert nftables.detect("add table ip filter\nadd rule ip filter input tcp dport 22 accept\n") >= 30
    assert nftables.detect("*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n") < 30
    assert nftables.detect("access-list A extended permit ip any any\n") < 30
    assert nftables.detect("nothing here\n") == 0


# --- base chains, policies, paths --------------------------------------------------------

def test_base_chain_policy_rule_and_paths():
    cfg = parse(ruleset("tcp dport 22 accept"))
    f = cfg.filters[IN]
    assert [r.action for r in f.rules] == [Action.PERMIT, Action.DENY]
    assert f.rules[-1].source.line == 4 and "policy drop" in f.rules[-1].source.text
    out = decide(cfg, "10.1.0.5", "10.2.0.10", dport=23)
    assert out["decision"] == "deny" and out["line"] == 4
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "permit"
    # (no output chain: nf_tables does not filter what the host sends, tests/test_sweep23b_linuxgen.py)
    assert sorted((p.ingress, p.local) for p in cfg.paths) == [("ipv4", "in"), ("ipv4", "out"), ("ipv6", "in"),
                                                               ("ipv6", "out")]
    # (IPv6: the policy drops neighbour discovery, so what the chain accepts is unknown: test_linux_hunt5.py)
    out = decision_json(cfg, make_packet("2001:db8::1", "2001:db8::2", "tcp", 1, 22))
    assert out["decision"] == "unknown" and out["line"] == 4


def test_ip_family_covers_only_ipv4():
    cfg = parse(ruleset("tcp dport 22 accept", family="ip"))
    assert cfg.aux.families == (4,)
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22, filt="ip/filter/input") == "permit"
    out = decision_json(cfg, make_packet("2001:db8::1", "2001:db8::2", "tcp", 1, 22))
    assert out["decision"] == "deny" and out["line"] is None  # not routed


def test_no_policy_means_accept():
    cfg = parse("table inet t {\n chain c {\n  type filter hook input priority 0;\n  tcp dport 23 drop\n }\n}\n")
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80, filt="inet/t/c") == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=23, filt="inet/t/c") == "deny"


def test_every_base_chain_of_a_hook_must_accept_in_priority_order():
    cfg = parse("""
table inet a {
    chain late {
        type filter hook input priority 10; policy accept;
        tcp dport 445 drop
    }
}
table ip b {
    chain early {
        type filter hook input priority -5; policy drop;
        ip saddr 10.1.0.0/24 accept
    }
}
""")
    inp = next(p for p in cfg.paths if p.ingress == "ipv4")
    assert [s.name for s in inp.stages] == ["ip/b/early", "inet/a/late"]
    def ev(*a):
        return decision_json(cfg, make_packet(*a))
    assert ev("10.1.0.5", "10.2.0.10", "tcp", 1, 80)["decision"] == "permit"
    out = ev("10.1.0.5", "10.2.0.10", "tcp", 1, 445)
    assert out["decision"] == "deny" and out["stage"] == "inet/a/late"
    assert ev("10.9.0.5", "10.2.0.10", "tcp", 1, 80)["stage"] == "ip/b/early"
    # IPv6 only meets the inet chain
    assert [s.name for s in next(p for p in cfg.paths if p.ingress == "ipv6").stages] == ["inet/a/late"]


def test_forward_chain_makes_a_transit_path_unless_idle():
    fwd = "table ip f {\n chain fwd {\n  type filter hook forward priority 0; policy %s;\n }\n}\n"
    # (the host's own traffic meets no base chain: accepted, tests/test_sweep23b_linuxgen.py)
    assert [p.local for p in parse(fwd % "drop").paths] == [None, "in", "out"]
    cfg = parse(fwd % "accept")
    assert [p.local for p in cfg.paths] == ["in", "out"] and len(cfg.aux.idle_transit) == 1


# --- matches -------------------------------------------------------------------------

def test_addresses_prefix_range_sets_and_negation():
    cfg = parse(ruleset("ip saddr 10.1.0.0/24 ip daddr 10.2.0.10 accept",
                        "ip saddr 10.3.0.1-10.3.0.9 accept",
                        "ip saddr { 10.4.0.0/16, 10.5.0.1 } accept",
                        "ip saddr != 10.0.0.0/8 accept"))
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.11") == "deny"
    assert d(cfg, "10.3.0.9", "10.2.0.11") == "permit"
    assert d(cfg, "10.3.0.10", "10.2.0.11") == "deny"
    assert d(cfg, "10.5.0.1", "10.2.0.11") == "permit"
    assert d(cfg, "11.0.0.1", "10.2.0.11") == "permit"
    assert d(cfg, "2001:db8::1", "2001:db8::2") == "deny"  # 'ip saddr !=' only matches IPv4


def test_ip6_addresses():
    cfg = parse(ruleset("ip6 saddr 2001:db8:1::/64 tcp dport 22 accept"))
    assert d(cfg, "2001:db8:1::5", "2001:db8::10", dport=22) == "permit"
    assert d(cfg, "2001:db8:2::5", "2001:db8::10", dport=22) == "deny"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "deny"


def test_named_sets():
    extra = ("\tset ws { type ipv4_addr; flags interval; elements = { 10.1.0.0/24,\n\t\t10.1.1.0/24 } }\n"
             "\tset dyn { type ipv4_addr; flags dynamic,timeout; }\n")
    cfg = parse(ruleset("ip saddr @ws tcp dport 445 accept", "ip saddr @dyn drop", "ip saddr @missing drop",
                        "accept", extra=extra))
    assert d(cfg, "10.1.1.5", "10.2.0.10", dport=445) == "permit"
    assert d(cfg, "10.1.2.5", "10.2.0.10", dport=445) == "unknown"  # the dynamic set
    assert any(x.code == "CFG301" and "missing" in x.message for x in cfg.diagnostics)


@pytest.mark.parametrize("match,proto,sport,dport,expect", [
    ("tcp dport { 80, 443, 8000-8010 }", "tcp", 1024, 8005, "permit"),
    ("tcp dport { 80, 443, 8000-8010 }", "tcp", 1024, 8011, "deny"),
    ("tcp dport 1024-65535", "tcp", 1, 1023, "deny"),
    ("tcp dport != 22", "tcp", 1, 23, "permit"),
    ("tcp dport < 1024", "tcp", 1, 1023, "permit"),
    ("tcp dport ssh", "tcp", 1, 22, "permit"),
    ("udp sport 53", "udp", 53, 9999, "permit"),
    ("udp sport 53", "tcp", 53, 9999, "deny"),
    ("th dport 53", "udp", 1, 53, "permit"),
    ("th dport 53", "tcp", 1, 53, "permit"),
    ("meta l4proto { tcp, udp }", "udp", 1, 1, "permit"),
    ("meta l4proto tcp", "udp", 1, 1, "deny"),
    ("ip protocol tcp", "tcp", 1, 1, "permit"),
    ("ip protocol != tcp", "tcp", 1, 1, "deny"),
    ("meta nfproto ipv4", "tcp", 1, 1, "permit"),
    ("meta nfproto ipv6", "tcp", 1, 1, "deny"),
])
def test_protocols_and_ports(match, proto, sport, dport, expect):
    cfg = parse(ruleset("%s accept" % match))
    assert d(cfg, "10.1.0.5", "10.2.0.10", proto, sport, dport) == expect


@pytest.mark.parametrize("match,expect", [
    ("ct state established,related", "deny"),
    ("ct state { established, related }", "deny"),
    ("ct state new", "permit"),
    ("ct state invalid", "deny"),
    ("ct state != established", "permit"),
    ("tcp flags syn", "permit"),
    ("tcp flags & (syn|ack) == syn", "permit"),
    ("tcp flags syn / syn,ack", "permit"),
    ("tcp flags & (syn|ack) == ack", "deny"),
])
def test_new_connection_semantics(match, expect):
    cfg = parse(ruleset("%s accept" % match))
    assert d(cfg, "10.1.0.5", "10.2.0.10") == expect


def test_verdict_map():
    cfg = parse(ruleset("ct state vmap { established : accept, related : accept, invalid : drop, new : jump web }",
                        extra="\tchain web {\n\t\ttcp dport 80 accept\n\t}\n"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=81) == "deny"


def test_interfaces():
    cfg = parse(ruleset('iifname "eth0" tcp dport 22 accept', 'iif "lo" accept', "meta iifname lo accept"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "unknown"
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=80) == "deny"
    assert d(cfg, "127.0.0.1", "127.0.0.1", dport=80) == "permit"
    assert not but_nd(cfg.unrecognized)


def test_icmp_types():
    cfg = parse(ruleset("icmp type { echo-request, destination-unreachable } accept",
                        "icmpv6 type nd-router-advert accept", "icmp type 13 icmp code 0 accept"))
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 8 * 256) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 3 * 256 + 3) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 0) == "deny"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 13 * 256) == "permit"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "icmp", None, 13 * 256 + 1) == "deny"
    assert d(cfg, "2001:db8::1", "2001:db8::2", "58", None, 134 * 256) == "permit"
    assert d(cfg, "2001:db8::1", "2001:db8::2", "58", None, 128 * 256) == "deny"


def test_counters_logs_comments_and_reject():
    cfg = parse(ruleset('tcp dport 22 counter packets 5 bytes 300 log prefix "ssh: " level info accept comment "ops"',
                        "tcp dport 23 reject with icmp type admin-prohibited",
                        "tcp dport 24 reject with tcp reset", 'counter comment "count only"'))
    assert not but_nd(cfg.diagnostics)
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "permit"
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=23)["line"] == 6
    assert decide(cfg, "10.1.0.5", "10.2.0.10", dport=24)["line"] == 7


def test_unknown_expression_is_uncertain_and_reported():
    cfg = parse(ruleset("tcp dport 22 meta skuid 1000 drop", "limit rate 10/second accept", "tcp dport 23 accept"))
    assert {x.source.line for x in cfg.unrecognized} == {5, 6}
    assert all(x.impact is Impact.FILTER for x in cfg.unrecognized)
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22) == "unknown"
    assert d(cfg, "10.1.0.5", "10.2.0.10", "udp", 1, 1) == "unknown"  # the rate limit


def test_unparseable_rule_is_opaque():
    cfg = parse(ruleset("tcp dport nosuchservice accept", "accept"))
    [x] = but_nd(cfg.unrecognized)
    assert "nosuchservice" in x.message and x.source.line == 5
    assert cfg.filters[IN].rules[0].opaque
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "unknown"


# --- chains ----------------------------------------------------------------------------

def test_jump_goto_return():
    cfg = parse(ruleset("ip saddr 10.1.0.0/24 jump ws", "ip saddr 10.2.0.0/24 goto gw", "accept",
                        extra="\tchain ws {\n\t\ttcp dport 80 return\n\t\tdrop\n\t}\n"
                              "\tchain gw {\n\t\tudp dport 53 accept\n\t}\n"))
    assert d(cfg, "10.1.0.5", "10.9.0.10", dport=80) == "permit"  # returned, then accepted
    out = decide(cfg, "10.1.0.5", "10.9.0.10", dport=81)
    assert out["decision"] == "deny" and out["line"] == 4  # the drop inside 'ws' decides
    # goto: falls off gw and ends the base chain: its policy
    assert d(cfg, "10.2.0.5", "10.9.0.10", dport=80) == "deny"
    assert d(cfg, "10.2.0.5", "10.9.0.10", "udp", 1, 53) == "permit"


def test_a_regular_chain_is_judged_on_its_own_list_its_end_returning():
    """nftables wiki, "Jumping to chain": after a jump the packet "will return to the chain of
    the calling rule after the end"; after a goto, the base chain's policy applies.  Either way
    the regular chain's end decides nothing of its own: line 3 is redundant (line 4 accepts its
    packets alike) though the jump's interface condition leaves the copies in the input chain
    uncertain, and the drop on line 8 at the end of 'gw' is not (without it the packet goes back
    to the base chain's policy, whatever that is)."""
    cfg = parse(ruleset('iifname "eth0" jump ws', 'iifname "eth1" goto gw',
                        extra="\tchain ws {\n\t\tip saddr 10.9.0.1 tcp dport 443 accept\n"
                              "\t\ttcp dport 443 accept\n\t}\n"
                              "\tchain gw {\n\t\tudp dport 53 accept\n\t\tip saddr 10.9.0.0/16 drop\n\t}\n"))
    assert cfg.filters["inet/filter/ws"].kind == "user-chain"
    got = {(f.rule_id, f.source.line) for f in audit([cfg], load_site(None, [])).findings
           if f.rule_id in ("ACL200", "ACL201")}
    assert got == {("ACL201", 3)}


def test_chain_loops_and_undefined_chains():
    cfg = parse(ruleset("jump a", extra="\tchain a {\n\t\tjump b\n\t}\n\tchain b {\n\t\tjump a\n\t}\n"))
    assert any(x.code == "CFG301" and "loop" in x.message for x in cfg.diagnostics)
    cfg = parse(ruleset("jump nowhere"))
    assert any(x.code == "CFG301" and "nowhere" in x.message for x in cfg.diagnostics)
    assert d(cfg, "10.1.0.5", "10.2.0.10") == "unknown"


def test_chain_declared_twice_is_merged():
    twice = "\tchain x {\n\t\ttcp dport 1 accept\n\t}\n\tchain x {\n\t\ttcp dport 2 accept\n\t}\n"
    cfg = parse(ruleset("jump x", extra=twice))
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=2) == "permit"


# --- script forms --------------------------------------------------------------------------

def test_define_and_command_form():
    cfg = parse("""
#!/usr/sbin/nft -f
flush ruleset
define WS = { 10.1.0.0/24, 10.1.1.0/24 }
define SMB = 445
add table inet filter
add chain inet filter input { type filter hook input priority 0 ; policy drop ; }
add rule inet filter input ip saddr $WS tcp dport $SMB accept
insert rule inet filter input ip saddr 10.1.1.66 drop
""")
    assert not but_nd(cfg.diagnostics)
    assert d(cfg, "10.1.1.5", "10.2.0.10", dport=445) == "permit"
    assert d(cfg, "10.1.1.66", "10.2.0.10", dport=445) == "deny"
    assert d(cfg, "10.1.2.5", "10.2.0.10", dport=445) == "deny"


def test_one_line_blocks_and_unknown_top_level():
    cfg = parse("table ip t { chain c { type filter hook input priority 0; policy drop; tcp dport 22 accept; } }\n"
                "frobnicate everything\n")
    assert d(cfg, "10.1.0.5", "10.2.0.10", dport=22, filt="ip/t/c") == "permit"
    [x] = cfg.unrecognized
    assert x.impact is Impact.GLOBAL and x.source.line == 2


def test_dnat_is_scoped_and_other_families():
    # (a dnat's packets are unknown where it is met, nothing else: tests/test_nftdnat23.py)
    cfg = parse("""
table ip nat {
    chain pre {
        type nat hook prerouting priority dstnat; policy accept;
        tcp dport 8080 dnat to 10.2.0.10:80
    }
    chain post {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "eth0" masquerade
    }
}
table bridge br {
    chain fw {
        type filter hook forward priority 0; policy drop;
    }
}
table arp a {
    chain in {
        type filter hook input priority 0; policy accept;
    }
}
""")
    [br, dn] = sorted(cfg.unrecognized, key=lambda x: x.source.line, reverse=True)
    assert "destination NAT" in dn.message and dn.impact is Impact.FILTER and dn.source.line == 4
    assert "bridge" in br.message and br.impact is Impact.GLOBAL


# --- timeouts -----------------------------------------------------------------------------

CT_TIMEOUT = """
table inet fw {
    ct timeout prinergy-tcp {
        protocol tcp;
        l3proto ip;
        policy = { established: 28800, close: 12 }
    }
    ct timeout short {
        protocol tcp;
        l3proto ip;
        policy = { established: 600 }
    }
    ct timeout other {
        protocol tcp;
        policy = { syn_sent: 10 }
    }
    chain pre {
        type filter hook prerouting priority -300; policy accept;
        ip saddr 10.1.0.0/24 tcp dport 49152-65535 ct timeout set "prinergy-tcp"
        tcp dport 8080 ct timeout set "short" accept
        tcp dport 9000 ct timeout set "other"
        tcp dport 9001 ct timeout set "nosuch"
    }
    chain input {
        type filter hook input priority 0; policy accept;
    }
}
"""


def test_ct_timeout_objects_and_rules():
    cfg = parse(CT_TIMEOUT)
    assert cfg.paths and all(p.local for p in cfg.paths)  # the idle prerouting chain adds no transit path
    t2, t1, default = cfg.timeouts  # (last first: the last 'ct timeout set' a first packet meets is in force)
    assert (t1.idle_seconds, t1.source.line) == (28800, 18) and "prinergy-tcp" in t1.label
    assert (t2.idle_seconds, t2.source.line) == (600, 19)
    assert default.default and default.idle_seconds == 432000
    pkt = make_packet("10.1.0.5", "10.2.0.10", "tcp", 1024, 50000)
    assert t1.match.contains(pkt) and not t2.match.contains(pkt)
    assert not t1.match.contains(make_packet("10.9.0.5", "10.2.0.10", "tcp", 1024, 50000))
    assert not t1.match.contains(make_packet("10.1.0.5", "10.2.0.10", "udp", 1024, 50000))
    assert any(x.code == "CFG301" and "nosuch" in x.message and x.scope == "timeouts" for x in cfg.diagnostics)


def test_ct_timeout_drives_the_idle_check():
    site = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10"])
    text = CT_TIMEOUT.replace('        tcp dport 9001 ct timeout set "nosuch"\n', "")
    res = audit([parse(text.replace("ip saddr 10.1.0.0/24 tcp dport 49152-65535", "ip saddr 10.1.0.0/24 tcp dport 445")
                       .replace('"prinergy-tcp"', '"short"', 1))], site)
    fails = [f for f in res.findings if f.rule_id == "PRN120" and f.status == "fail"]
    assert fails and fails[0].source.line == 18
    # the 600 s rule also covers Workshop -> server TCP/8080
    assert any(f.example[4] == 8080 and f.source.line == 19 for f in fails)
    res = audit([parse(text.replace('        tcp dport 8080 ct timeout set "short" accept\n', ""))], site)
    assert not [f for f in res.findings if f.rule_id == "PRN120"]  # 28800 s: a shift



# Linux net/netfilter/nft_ct.c, nft_ct_timeout_obj_eval: a 'ct timeout set' acts only on a connection not yet
# confirmed ("if (!ct || nf_ct_is_template(ct) || nf_ct_is_confirmed(ct)) return;", i.e. on its first packet,
# in every chain it meets before the connection is confirmed after postrouting/input) and replaces the policy an
# earlier one attached ("rcu_assign_pointer(timeout->timeout, priv->timeout)" on the one nf_ct_timeout_find
# returns): the last one met is in force.  A chain on the input hook never sees what the host routes (Oracle
# Linux 9, "About Hooks and Chains", https://docs.oracle.com/en/operating-systems/oracle-linux/9/firewall/ :
# input "Handles packets destined for the local system", forward "Manages packets being forwarded to another
# host").
CT_TWO = """
table inet filter {
    ct timeout short {
        protocol tcp;
        l3proto ip;
        policy = { established: 600 }
    }
    ct timeout long {
        protocol tcp;
        l3proto ip;
        policy = { established: 86400 }
    }
%s
}
"""
ROUTED_SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]


def _prn120(text: str) -> list:
    site = load_site(None, ROUTED_SITE)
    return [(f.status, f.source.line) for f in audit([parse(text)], site).findings if f.rule_id == "PRN120"]


def test_the_last_ct_timeout_set_a_connection_meets_is_in_force():
    text = CT_TWO % """    chain forward {
        type filter hook forward priority 0; policy drop;
        ct state established,related accept
        ct timeout set "long"
        ip saddr 10.30.0.0/24 ct timeout set "short"
        ip saddr 10.30.0.0/24 accept
    }"""
    assert _prn120(text) == [("fail", 16)]  # "long" first, "short" last: 600 s for Workshop's connections
    swapped = text.replace('ct timeout set "long"', "X").replace('ip saddr 10.30.0.0/24 ct timeout set "short"',
                                                                 'ip saddr 10.30.0.0/24 ct timeout set "long"')
    assert _prn120(swapped.replace("X", 'ct timeout set "short"')) == []  # "long" last for them: a shift


def test_a_later_chain_replaces_the_raw_chains_ct_timeout():
    text = CT_TWO % """    chain pre {
        type filter hook prerouting priority -300; policy accept;
        ip saddr 10.30.0.0/24 ct timeout set "short"
    }
    chain forward {
        type filter hook forward priority 0; policy drop;
        ct state established,related accept
        ct timeout set "long"
        ip saddr 10.30.0.0/24 accept
    }"""
    assert _prn120(text) == []


def test_an_input_chains_ct_timeout_is_not_for_routed_connections():
    text = CT_TWO % """    chain input {
        type filter hook input priority 0; policy accept;
        ct timeout set "long"
    }
    chain forward {
        type filter hook forward priority 0; policy drop;
        ct state established,related accept
        ip saddr 10.30.0.0/24 ct timeout set "short"
        ip saddr 10.30.0.0/24 accept
    }"""
    assert _prn120(text) == [("fail", 19)]
    cfg = parse(text)
    assert [(t.idle_seconds, t.paths) for t in cfg.timeouts[:-1]] == [(600, (None,)), (86400, ("in",))]


CT_TIMEOUT_UNITS = """
table inet filter {
    ct timeout prinergy-tcp {
        protocol tcp
        l3proto ip
        policy = { established : %s, close : 10s }
    }
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        ip saddr 10.1.0.0/24 tcp dport 445 ct timeout set "prinergy-tcp" accept
    }
}
"""


@pytest.mark.parametrize("value, seconds", [("12h", 43200), ("2m3s", 123), ("1d", 86400), ("1d2h3m4s", 93784),
                                            ("28800", 28800), ("90s500ms", 90)])
def test_ct_timeout_policy_values_with_time_units(value, seconds):
    # nft(8), "CT TIMEOUT" (https://www.netfilter.org/projects/nftables/manpage.html): a policy's
    # values are times, `policy = { established: 2m, close: 20s }`; since nftables 1.0.8 `nft list
    # ruleset` prints them so ("parser: allow ct timeouts to use time_spec values", netfilter-devel,
    # 2023-08-02: `established : 2m3s, close : 12s`).  Read as plain numbers, 12h was 12 seconds.
    cfg = parse(CT_TIMEOUT_UNITS % value)
    t, default = cfg.timeouts
    assert t.idle_seconds == seconds and default.default
    assert not but_nd(cfg.unrecognized)


def test_ct_timeout_policy_with_units_passes_or_fails_the_idle_check_as_its_value_says():
    site = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10"])

    def prn120(value):
        return [f.status for f in audit([parse(CT_TIMEOUT_UNITS % value)], site).findings if f.rule_id == "PRN120"]

    assert prn120("12h") == []  # longer than the 8-hour shift
    assert prn120("2h") == ["fail"]
    # a value that is not a time: the traffic's timeout is not known
    cfg = parse(CT_TIMEOUT_UNITS % "5x")
    [diag] = but_nd(cfg.unrecognized)
    assert diag.scope == "timeouts" and diag.source.line == 5
    assert prn120("5x") == ["unknown"]


def test_ct_timeout_fingerprints_survive_lines_inserted_above():
    # the finding's key names the ct timeout object, not the line it is defined on: a comment added at
    # the top shifts every line, and the waiver written for the finding still applies
    site = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10"])
    text = CT_TIMEOUT.replace('        tcp dport 9001 ct timeout set "nosuch"\n', "")

    def prints(t):
        return sorted(f.fingerprint for f in audit([parse(t)], site).findings if f.rule_id == "PRN120")

    before = prints(text)
    assert before and prints("# a new comment\n" + text) == before


# --- corpus and bad input --------------------------------------------------------------------

AERLEON_ND = {
    "aerleon-nftables-dev.nft": (18, "ip6/filtering_policies/root0"),
    "aerleon-nftables-mixed-icmp.nft": (43, "inet/filtering_policies/root0"),
    "aerleon-nftables-mixed-multiple-headers-combo.nft": (61, "inet/filtering_policies/root2"),
    "aerleon-nftables.nft": (11, "inet/filtering_policies/root3"),
}


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits_end_to_end(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "nftables"
    # aerleon's renders parse completely; each drops IPv6 neighbour discovery in one chain (its
    # ICMPv6 accepts require 'ct state new', which untracked neighbour discovery never is): reported
    # at that chain's policy or drop (tests/test_linux_hunt5.py)
    assert [(x.source.line, x.scope) for x in cfg.unrecognized] == [AERLEON_ND[path.name]]
    assert all("neighbour discovery" in x.message for x in cfg.unrecognized)
    site = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10"])
    res = audit([cfg], site)
    assert_corpus_verdict(path, res)
    assert res.inputs_json()[0]["unrecognized"] == 1


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_every_line_is_accounted_for(path):
    p = nftables.NftParser(path.read_text(), str(path))
    cfg = p.build()
    assert p.lines.unaccounted() == []
    assert cfg.ignored_lines == p.lines.ignored


def test_corpus_decisions():
    cfg = load_config(str(FIXTURES / "corpus/nftables/aerleon-nftables.nft"))
    out = decision_json(cfg, make_packet("1.1.1.1", "10.2.0.10", "tcp", 1024, 22))
    assert out["decision"] == "permit" and out["stage"] == "ip/filtering_policies/root1"
    # output: inet root3 jumps to default-deny first
    out = decision_json(cfg, make_packet("10.2.0.10", "8.8.8.8", "tcp", 53, 53), "inet/filtering_policies/root3")
    assert out["decision"] == "deny" and out["line"] == 11  # the drop in default-deny


@pytest.mark.parametrize("text", ["table ip t {\n", "}\n}\n", "table inet t { chain c { type filter hook input "
                                  "priority bogus; } }\n", "add rule\n", "\x01\x02 garbage {{{\n"])
def test_garbage_does_not_crash(text):
    cfg = nftables.parse(text, "bad")
    assert cfg.vendor == "nftables"


def test_garbage_input_is_not_detected(tmp_path):
    p = tmp_path / "junk.nft"
    p.write_text("tables are nice {\n  chairs too\n}\n")
    with pytest.raises(InputError):
        load_config(str(p))

"""Linux follow-ups of session 27's red team: reverse-path filtering (firewalld's IPv6 rpfilter), a RETURN
that decides nothing, a policy behind a final reject, and what `explain` names on a published port.

Each expected value is written from the document cited at its test."""

from __future__ import annotations

from auditor.api import combine_inputs, decision_json, make_packet
from auditor.core.packets import PacketSet, cube
from parsers.kit.addr import cidr_set
from parsers.kit.nd import LINK_LOCAL, ND
from parsers.linux import iptables, nftables


def ipt(text: str):
    return iptables.parse(text.strip("\n") + "\n", "fw.rules")


def nft(text: str):
    return nftables.parse(text.strip("\n") + "\n", "ruleset.nft")


def host_decision(cfg, src: str, dst: str, proto: str = "tcp", dport: int = 22) -> tuple:
    """The decision through the host's paths, the host being ``dst``: (decision, line)."""
    [host] = combine_inputs([cfg], dst)
    got = decision_json(host, make_packet(src, dst, proto, 49152 if proto in ("tcp", "udp") else 0, dport))
    return got["decision"], got.get("line")


def cfg300(cfg) -> list:
    return [d for d in cfg.diagnostics if d.code == "CFG300"]


# --- 1. reverse-path filtering ---------------------------------------------------------------------------
#
# firewalld's nftables backend (firewalld src/firewall/core/nftables.py, IPv6_rpfilter=yes, the default) puts
#   icmpv6 type { nd-router-advert, nd-neighbor-solicit } accept
#   meta nfproto ipv6 fib saddr . mark . iif oif missing drop
# in its prerouting chain; its iptables backend (ipXtables.py) the same in ip6tables' raw PREROUTING:
#   -A PREROUTING -p ipv6-icmp --icmpv6-type 134 -j ACCEPT / ... 135 ... / -m rpfilter --invert -j DROP
# nft(8), "FIB EXPRESSIONS": "fib saddr . iif oif missing drop" drops packets "without a reverse path";
# iptables-extensions(8), rpfilter: "If a reply to the packet would be sent via the same interface that the
# packet arrived on, the packet will match"; --invert "will invert the sense of the match".
# The kernel (net/ipv6/netfilter/nft_fib_ipv6.c, nft_fib6_flowi_init; ip6t_rpfilter.c,
# rpfilter_lookup_reverse6): a link-local source (ipv6_addr_type LINKLOCAL) is looked up with
# RT6_LOOKUP_F_IFACE on the incoming interface, whose fe80::/64 route (RFC 4862 5.3: every link-local address
# is fe80::/64 and the interface identifier) finds it: the lookup succeeds, the packet is not dropped.  Any
# other source: the host's routes, not in the ruleset, decide (unknown).

FIREWALLD_PRE = """
table inet firewalld {
	chain filter_PREROUTING {
		type filter hook prerouting priority filter + 10; policy accept;
		icmpv6 type { nd-router-advert, nd-neighbor-solicit } accept
		meta nfproto ipv6 fib saddr . mark . iif oif missing drop
	}

	chain filter_INPUT {
		type filter hook input priority filter + 10; policy accept;
		ct state { established, related } accept
		iifname "lo" accept
		icmpv6 type { nd-neighbor-advert, nd-neighbor-solicit, nd-router-advert, nd-redirect } accept
		tcp dport 22 ct state { new, untracked } accept
		reject with icmpx admin-prohibited
	}

	chain filter_OUTPUT {
		type filter hook output priority filter + 10; policy accept;
	}
}
"""


def test_firewalld_ipv6_rpfilter_lets_neighbour_discovery_through():
    cfg = nft(FIREWALLD_PRE)
    # a neighbour advertisement (ICMPv6 136, not in line 4's list) from a link-local neighbour: the lookup is
    # tied to the incoming interface, which has the route: not dropped by line 5, accepted by line 12
    assert host_decision(cfg, "fe80::1", "fe80::2", "ipv6-icmp", 136 * 256) == ("permit", 12)
    # no report that the chain drops neighbour discovery (it had made every IPv6 flow unknown)
    assert not [d for d in cfg300(cfg) if "neighbour discovery" in d.message]


def test_firewalld_ipv6_rpfilter_decides_link_local_and_leaves_other_sources_to_the_routes():
    cfg = nft(FIREWALLD_PRE)
    assert host_decision(cfg, "fe80::1", "fe80::2") == ("permit", 13)
    assert host_decision(cfg, "2001:db8:1::5", "2001:db8:2::10") == ("unknown", 5)
    # (the rest of fe80::/10 is no link-local address RFC 4291 2.5.6 forms: the routes decide)
    assert host_decision(cfg, "fe80:1::1", "fe80::2") == ("unknown", 5)
    # IPv4 is not looked up ('meta nfproto ipv6'): decided by the input chain
    assert host_decision(cfg, "10.0.0.5", "10.0.1.10") == ("permit", 13)


def test_firewalld_ipv6_rpfilter_is_one_readable_report():
    [d] = cfg300(nft(FIREWALLD_PRE))
    assert d.source.line == 5
    assert "'fib saddr . mark . iif oif missing'" in d.message
    assert "host's routes" in d.message and "fe80::/64" in d.message
    assert "not supported" not in d.message and "meta mark" not in d.message


def test_fib_result_spellings():
    # nft(8): 'oif missing' / 'oif exists' (newer nft lists them 'check missing' / 'check exists'), or the
    # interface index compared with 0 (nftables tests/py/inet/fib.t: 'fib saddr . iif oif ne 0')
    for rule, verdict in (("fib saddr . iif oif missing drop", "permit"), ("fib saddr . iif oif 0 drop", "permit"),
                          ("fib saddr . iif check missing drop", "permit"),
                          ("fib saddr . iif oif exists drop", "deny"), ("fib saddr . iif oif != 0 drop", "deny"),
                          ("fib saddr oif missing drop", "permit")):
        cfg = nft(FIREWALLD_PRE.replace("meta nfproto ipv6 fib saddr . mark . iif oif missing drop", rule))
        assert host_decision(cfg, "fe80::1", "fe80::2")[0] == verdict, rule
        assert host_decision(cfg, "2001:db8:1::5", "2001:db8:2::10")[0] == "unknown", rule


def test_fib_compared_with_an_interface_or_in_a_verdict_map_stays_unknown():
    for rule in ('fib saddr . iif oifname "eth0" drop', "fib saddr . iif oif vmap { 0 : drop }",
                 "fib daddr oif missing drop"):
        cfg = nft(FIREWALLD_PRE.replace("meta nfproto ipv6 fib saddr . mark . iif oif missing drop", rule))
        assert host_decision(cfg, "fe80::1", "fe80::2")[0] == "unknown", rule
        msgs = " ".join(d.message for d in cfg300(cfg) if d.source.line == 5)
        assert "lookup in the host's routes" in msgs and "not supported" not in msgs, rule


FIREWALLD_IP6T = """
# Generated by ip6tables-save v1.8.10 (nf_tables) on Mon Dec  1 10:00:00 2026
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p ipv6-icmp -m icmp6 --icmpv6-type 134 -j ACCEPT
-A PREROUTING -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT
-A PREROUTING -m rpfilter --invert -j DROP
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -p ipv6-icmp -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT
COMMIT
"""


def test_ip6tables_rpfilter_as_firewalld_writes_it():
    cfg = ipt(FIREWALLD_IP6T)
    assert host_decision(cfg, "fe80::1", "fe80::2", "ipv6-icmp", 136 * 256) == ("permit", 15)
    assert host_decision(cfg, "fe80::1", "fe80::2") == ("permit", 16)
    assert host_decision(cfg, "2001:db8:1::5", "2001:db8:2::10") == ("unknown", 7)
    [d] = cfg300(cfg)
    assert d.source.line == 7 and "'-m rpfilter --invert'" in d.message and "not supported" not in d.message
    # without --invert the match is true where the lookup succeeds: the link-local source is accepted there
    # (and what it does not match goes on to the next rule: here a drop)
    cfg = ipt(FIREWALLD_IP6T.replace("-m rpfilter --invert -j DROP", "-m rpfilter -j ACCEPT\n-A PREROUTING -j DROP"))
    assert host_decision(cfg, "fe80::1", "fe80::2")[0] == "permit"
    assert host_decision(cfg, "2001:db8:1::5", "2001:db8:2::10")[0] == "unknown"


def test_rpfilter_outside_raw_and_mangle_prerouting_is_refused():
    # ip6t_rpfilter.c, rpfilter_check: "only valid in 'raw' or 'mangle' table"; the restore commits nothing
    text = FIREWALLD_IP6T.replace("-A INPUT -i lo -j ACCEPT", "-A INPUT -m rpfilter --invert -j DROP")
    cfg = ipt(text)
    assert host_decision(cfg, "fe80::1", "fe80::2")[0] == "unknown"
    assert [d.source.line for d in cfg300(cfg) if "iptables-restore refuses this line (rpfilter: only valid in "
            "'raw' or 'mangle' table, not 'filter')" in d.message] == [14]


def test_neighbour_discovery_sources_are_the_link_local_prefix():
    # RFC 4291 2.5.6: link-local unicast is 1111111010, 54 zero bits, the interface ID: fe80::/64
    assert LINK_LOCAL == cidr_set("fe80::/64", 6)
    assert not ND.intersect(PacketSet([cube(src=cidr_set("fe80:0:0:1::/64", 6))]))


# --- 2. a RETURN that decides nothing --------------------------------------------------------------------
#
# iptables(8), TARGETS: RETURN makes the packet go on at "the next rule in the previous (calling) chain", and a
# built-in chain's end applies its policy; nft(8), VERDICT STATEMENT: "return: Return from the current chain and
# continue evaluation at the next rule in the last chain", "When the end of CHAIN is reached, an implicit return
# verdict is issued".  kube-proxy's KUBE-POSTROUTING (nat table, POSTROUTING policy ACCEPT):
#   -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
#   -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
#   -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
# returned, the packet meets POSTROUTING's end (ACCEPT); not returned, MASQUERADE, which ends the chain with the
# packet passed on: the mark, which the ruleset cannot tell, changes no verdict, so the line is not reported.

KUBE_POST = """
# Generated by iptables-save v1.8.9 on Sat Dec  5 10:00:00 2026
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-POSTROUTING - [0:0]
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -s 10.0.0.0/24 -p tcp -m tcp --dport 445 -j ACCEPT
COMMIT
"""

KUBE_POST_NFT = """
table ip kube-proxy {
	chain nat-postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		jump masquerading
	}

	chain masquerading {
		meta mark & 0x00004000 == 0x00000000 return
		meta mark set meta mark ^ 0x00004000
		masquerade fully-random
	}
}
table ip filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.0.0/24 tcp dport 445 accept
	}
}
"""


def test_a_return_that_changes_no_verdict_is_not_reported():
    for cfg in (ipt(KUBE_POST), nft(KUBE_POST_NFT)):
        assert not cfg300(cfg), cfg.vendor
        assert host_decision(cfg, "10.0.0.5", "10.0.1.10", "tcp", 445)[0] == "permit"


def test_a_return_whose_packets_a_later_rule_decides_otherwise_is_still_reported():
    # a DROP after the jump: returned, the packet is dropped; masqueraded, it is passed on
    text = KUBE_POST.replace('-j KUBE-POSTROUTING\n', '-j KUBE-POSTROUTING\n-A POSTROUTING -j DROP\n')
    [d] = cfg300(ipt(text))
    assert d.source.line == 10 and "mark" in d.message
    text = KUBE_POST_NFT.replace("\t\tjump masquerading\n", "\t\tjump masquerading\n\t\tdrop\n")
    [d] = cfg300(nft(text))
    assert d.source.line == 9 and "mark" in d.message
    # and in a filter chain: returned, the packet meets INPUT's accept; not returned, the DROP after it
    text = FIREWALLD_IP6T.replace("*filter\n:INPUT DROP [0:0]", "*filter\n:INPUT DROP [0:0]\n:CHECK - [0:0]").replace(
        "-A INPUT -m conntrack", "-A INPUT -j CHECK\n-A CHECK -m mark --mark 0x1 -j RETURN\n-A CHECK -j DROP\n"
        "-A INPUT -m conntrack")
    assert [d.source.line for d in cfg300(ipt(text)) if "mark" in d.message] == [15]


# --- 3. a policy behind a final reject (session 29: a base chain's policy is built in, not reported) ---------------
#
# firewalld's filter_INPUT ends with 'reject with icmpx admin-prohibited' (nft(8), VERDICT STATEMENT: reject ends
# the evaluation), so its 'policy accept' is met by no packet: its first packets are rejected there, its later
# ones accepted by 'ct state { established, related } accept' at its top.  A line that never matches, and is
# decided otherwise by an earlier line for some packets, is shadowed (ACL200: "The rule can never match"), not
# redundant (ACL201, whose advice is to remove it): the same for a permit of a required flow below a drop.

SHADOWED_PERMIT = """
# Generated by iptables-save v1.8.9 on Sat Dec  5 10:00:00 2026
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -s 10.0.2.0/24 -j DROP
-A INPUT -s 10.0.2.5 -p tcp -m tcp --dport 80 -j ACCEPT
-A INPUT -s 10.0.0.0/24 -p tcp -m tcp --dport 445 -j ACCEPT
COMMIT
"""


def anomalies(cfg, roles=("primary=10.0.1.10", "workshop=10.0.0.0/24", "admin=10.0.2.5")):
    from auditor.api import audit
    from auditor.policy import load_site
    site = load_site(None, list(roles))
    report = audit(combine_inputs([cfg], "primary", site), site)
    return {(f.rule_id, f.source.line): f for f in report.findings if f.rule_id.startswith("ACL20")}


def test_a_policy_behind_a_final_reject_is_not_reported():
    # line 9 is filter_INPUT's 'policy accept', line 14 its final reject.  (Session 29, lead: a base chain's policy
    # can be changed, never removed (nft(8), CHAINS: "policy" of a base chain, accept by default), as a built-in
    # iptables chain's, whose ':INPUT ACCEPT' behind a final REJECT is not reported either; reported as ACL200, it
    # was an error on every firewalld host, with nothing the admin could remove.)
    got = anomalies(nft(FIREWALLD_PRE))
    assert ("ACL201", 9) not in got and ("ACL200", 9) not in got


def test_a_permit_below_a_drop_is_shadowed_though_the_established_accept_covers_its_later_packets():
    got = anomalies(ipt(SHADOWED_PERMIT))
    assert ("ACL201", 8) not in got
    f = got[("ACL200", 8)]
    # (admin -> primary 80/tcp is a required flow: a shadowed permit it needs is an error)
    assert [s.line for s in f.related] == [7] and f.severity == "error"


# --- 4. what makes a published port unknown ----------------------------------------------------------------
#
# Docker's nat table (docker/libnetwork iptables driver; as nft lists it under iptables-nft):
#   chain DOCKER { iifname "docker0" return ; iifname != "docker0" tcp dport 8445 dnat to 172.17.0.2:445 }
# The interface is not modelled, so the return may or may not be taken; returned, the packet ends as
# PREROUTING's policy accept; not returned, it meets the DNAT, whose translated packet the model does not
# follow (docs/vendors/linux.md, "destination NAT").  Either way the DNAT is what leaves it unknown: explain
# names that line and says so.

DOCKER_NFT = """
table ip nat {
	chain DOCKER {
		iifname "docker0" counter packets 0 bytes 0 return
		iifname != "docker0" meta l4proto tcp tcp dport 8445 counter packets 0 bytes 0 dnat to 172.17.0.2:445
	}

	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local counter packets 12 bytes 720 jump DOCKER
	}
}
table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy drop;
		ct state related,established counter packets 0 bytes 0 accept
		ip saddr 10.0.0.0/24 tcp dport { 80, 445, 1024-9000 } counter packets 0 bytes 0 accept
	}
}
"""

DOCKER_IPT = """
# Generated by iptables-save v1.8.9 on Sat Dec  5 10:00:00 2026
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -s 10.0.0.0/24 -p tcp -m tcp --dport 1024:9000 -j ACCEPT
COMMIT
"""


def explain(cfg, dport: int) -> dict:
    [host] = combine_inputs([cfg], "10.0.1.10")
    return decision_json(host, make_packet("10.0.0.5", "10.0.1.10", "tcp", 49152, dport))


def test_explain_names_the_dnat_of_a_published_port():
    got = explain(nft(DOCKER_NFT), 8445)
    assert (got["decision"], got["line"]) == ("unknown", 4)
    assert "destination NAT (dnat to 172.17.0.2:445)" in got["reason"]
    got = explain(ipt(DOCKER_IPT), 8080)
    assert (got["decision"], got["line"]) == ("unknown", 10)
    assert "destination NAT (DNAT --to-destination 172.17.0.2:80)" in got["reason"]
    # the other ports are decided by the input chain, as before
    assert explain(nft(DOCKER_NFT), 9000)["decision"] == "permit"
    assert explain(ipt(DOCKER_IPT), 22)["decision"] == "deny"


def test_a_return_before_a_drop_is_still_what_is_named():
    # returned, the packet ends as the policy accept; not returned, the DROP after it: the return decides
    text = DOCKER_NFT.replace("dnat to 172.17.0.2:445", "drop").replace(
        "type nat hook prerouting priority dstnat;", "type filter hook prerouting priority -150;")
    got = explain(nft(text), 8445)
    assert (got["decision"], got["line"]) == ("unknown", 3)

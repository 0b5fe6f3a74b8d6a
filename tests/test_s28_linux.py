"""Linux red team of session 28: rulesets as OpenWrt's fw4 (nftables) and fw3 (iptables) write them.

Each expected value is written from the document cited at its test."""

from __future__ import annotations

from auditor.api import audit, combine_inputs, decision_json, make_packet
from auditor.policy import load_site
from parsers.linux import iptables, nftables

SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10", "secondary=10.20.0.11"]


def ipt(text: str):
    return iptables.parse(text.strip("\n") + "\n", "fw.rules")


def nft(text: str):
    return nftables.parse(text.strip("\n") + "\n", "ruleset.nft")


def findings(cfg, rule_id: str, host: str | None = None) -> list[int]:
    cfgs = combine_inputs([cfg], host) if host else [cfg]
    return sorted(f.source.line for f in audit(cfgs, load_site(None, SITE)).findings if f.rule_id == rule_id)


def decide(cfg, src: str, dst: str, host: str, dport: int = 548) -> tuple:
    [h] = combine_inputs([cfg], host)
    got = decision_json(h, make_packet(src, dst, "tcp", 49152, dport))
    return got["decision"], got.get("line")


# --- 1. several filter base chains at one hook --------------------------------------------------------------
#
# The nftables wiki, "Configuring chains" (Base chain priority) and "Netfilter hooks": the base chains of a hook
# run in priority order; an accept ends one base chain only, and the packet goes on to the next base chain of
# the hook, each of which must accept it, while a drop is final.  fw4 (OpenWrt 22.03+, its ruleset.uc template)
# declares, besides its filter chains, empty `type filter` chains at priority raw and mangle, policy accept, on
# the same hooks: their accept is no permit of its own (the later filter chain decides), so neither an
# "any-to-any permit" (ACL210) nor the line `explain` names for what the `output` chain accepts.

FW4 = """
table inet fw4 {
	chain input {
		type filter hook input priority filter; policy drop;
		iif "lo" accept comment "!fw4: Accept traffic from loopback"
		ct state established,related accept comment "!fw4: Allow inbound established and related flows"
		ip saddr 10.30.0.0/24 tcp dport 445 accept comment "!fw4: Allow-SMB"
	}

	chain output {
		type filter hook output priority filter; policy accept;
		oif "lo" accept comment "!fw4: Accept traffic towards loopback"
		ct state established,related accept comment "!fw4: Allow outbound established and related flows"
	}

	chain srcnat {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" jump srcnat_wan comment "!fw4: Handle wan IPv4/IPv6 srcnat traffic"
	}

	chain srcnat_wan {
		meta nfproto ipv4 masquerade comment "!fw4: Masquerade IPv4 wan traffic"
	}

	chain raw_output {
		type filter hook output priority raw; policy accept;
	}

	chain mangle_input {
		type filter hook input priority mangle; policy accept;
	}

	chain mangle_forward {
		type filter hook forward priority mangle; policy accept;
		iifname "eth1" tcp flags syn tcp option maxseg size set rt mtu comment "!fw4: Zone wan ingress MTU fixing"
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept comment "!fw4: Allow forwarded established and related flows"
	}
}
"""
OUTPUT_POLICY, SRCNAT_MASQ, RAW_OUTPUT, MANGLE_INPUT, MANGLE_FORWARD = 10, 21, 25, 29, 33


def test_an_earlier_filter_chain_that_accepts_everything_is_no_permit():
    acl210 = findings(nft(FW4), "ACL210", "10.20.0.10")
    assert RAW_OUTPUT not in acl210 and MANGLE_INPUT not in acl210 and MANGLE_FORWARD not in acl210
    # (the host's own output chain does accept everything: its own packets, no exposure; session 29)
    assert OUTPUT_POLICY not in acl210


def test_explain_names_the_last_filter_chain_not_an_earlier_ones_policy():
    # the host sends to 10.20.0.11: raw_output (priority raw) hands it on, output's policy accepts it
    assert decide(nft(FW4), "10.20.0.10", "10.20.0.11", "10.20.0.10") == ("permit", OUTPUT_POLICY)


def test_an_earlier_chain_with_a_policy_drop_still_drops():
    text = FW4.replace("type filter hook input priority mangle; policy accept;",
                       "type filter hook input priority mangle; policy drop;")
    assert decide(nft(text), "10.30.0.5", "10.20.0.10", "10.20.0.10", 445) == ("deny", MANGLE_INPUT)


def test_the_last_chain_of_a_hook_is_found_across_tables_and_families():
    # an ip table's chain after an inet one decides IPv4 only: the inet chain's accept stays IPv6's permit
    text = """
table inet early {
	chain input {
		type filter hook input priority -10; policy accept;
	}
}
table ip late {
	chain input {
		type filter hook input priority 0; policy accept;
	}
}
"""
    cfg = nft(text)
    assert [r.source.line for r in cfg.filters["inet/early/input"].rules] == [3]
    assert [r.source.line for r in cfg.filters["ip/late/input"].rules] == [8]


# --- 2. source NAT is no permit ------------------------------------------------------------------------------
#
# iptables-extensions(8), MASQUERADE and SNAT: "This target is only valid in the nat table, in the POSTROUTING
# chain"; it rewrites the source of the connection and ends the nat chain's traversal, the packet going on (the
# nftables wiki, "Performing Network Address Translation (NAT)": masquerade, snat in a `type nat` chain).  The
# nat chains pass on what they do not drop (docs/vendors/linux.md, policies): a masquerade that no later rule of
# its chain may drop decides nothing a filter would, so it is no "any-to-any permit" (ACL210).  OpenWrt's fw3
# writes `-A zone_wan_postrouting -m comment --comment "!fw3" -j MASQUERADE` (reached by `-o eth0.2`), fw4 the
# `srcnat_wan` chain above.

FW3_NAT = """
# Generated by iptables-save v1.8.7 on Mon Dec  1 10:00:00 2026
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:zone_wan_postrouting - [0:0]
-A POSTROUTING -o eth0.2 -m comment --comment "!fw3" -j zone_wan_postrouting
-A POSTROUTING -j MASQUERADE
-A zone_wan_postrouting -m comment --comment "!fw3" -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -s 10.30.0.0/24 -p tcp -m tcp --dport 445 -j ACCEPT
-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
"""


def test_masquerade_is_no_any_to_any_permit_iptables():
    assert findings(ipt(FW3_NAT), "ACL210", "10.20.0.10") == []


def test_masquerade_is_no_any_to_any_permit_nftables():
    assert SRCNAT_MASQ not in findings(nft(FW4), "ACL210", "10.20.0.10")


def test_a_masquerade_before_a_drop_of_its_chain_stays_a_rule():
    # (its packets are masqueraded, not dropped: the rule still decides them)
    text = FW3_NAT.replace("-A zone_wan_postrouting -m comment --comment \"!fw3\" -j MASQUERADE",
                           "-A zone_wan_postrouting -m comment --comment \"!fw3\" -j MASQUERADE\n"
                           "-A zone_wan_postrouting -p udp -j DROP")
    cfg = ipt(text)
    assert [r.source.line for r in cfg.filters["nat/zone_wan_postrouting"].rules] == [10, 11]


def test_source_nat_changes_no_verdict():
    cfg = ipt(FW3_NAT)
    assert decide(cfg, "10.30.0.5", "10.20.0.10", "10.20.0.10", 445) == ("permit", 17)
    assert decide(cfg, "10.30.0.5", "10.20.0.10", "10.20.0.10", 80)[0] == "deny"


# --- 3. a NAT target outside the nat table is refused ------------------------------------------------------
#
# iptables-extensions(8): MASQUERADE "is only valid in the nat table, in the POSTROUTING chain"; SNAT "in the
# POSTROUTING and INPUT chains"; DNAT and REDIRECT "in the PREROUTING and OUTPUT chains".  The kernel registers
# them with `.table = "nat"` and their `.hooks` (xt_MASQUERADE.c, xt_nat.c, xt_REDIRECT.c), which x_tables.c's
# xt_check_target enforces ("only valid in nat table, not filter"): iptables refuses the rule, and a restore
# commits nothing.  nftables: nft_masq.c, nft_nat.c, nft_redir.c validate `NFT_CHAIN_T_NAT` and the hooks
# (nft(8), NAT STATEMENTS), so `nft -f` loads nothing.  Read as an accept, the rule let the packets through.

FILTER_MASQ = """
# Generated by iptables-save v1.8.9 on Mon Dec  1 10:00:00 2026
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 445 -j %s
COMMIT
"""


def test_a_source_nat_target_in_the_filter_table_is_no_permit():
    for target in ("MASQUERADE", "SNAT --to-source 10.20.0.10", "DNAT --to-destination 10.20.0.11"):
        cfg = ipt(FILTER_MASQ % target)
        assert decide(cfg, "10.30.0.5", "10.20.0.10", "10.20.0.10", 445)[0] == "unknown"
        [d] = [d for d in cfg.diagnostics if d.code == "CFG300"]
        assert d.source.line == 7 and "only valid in nat table, not filter" in d.message


def test_a_nat_target_in_a_nat_chain_of_another_hook_is_refused():
    text = FW3_NAT.replace("-A POSTROUTING -j MASQUERADE", "-A PREROUTING -j MASQUERADE")
    [d] = [d for d in ipt(text).diagnostics if d.code == "CFG300"]
    assert d.source.line == 9 and "only usable from POSTROUTING" in d.message


def test_masquerade_and_snat_in_an_nft_filter_chain_are_no_permit():
    for stmt in ("masquerade", "snat to 10.20.0.10", "redirect to :8080"):
        cfg = nft("""
table inet t {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		tcp dport 445 %s
	}
}
""" % stmt)
        assert decide(cfg, "10.30.0.5", "10.20.0.10", "10.20.0.10", 445)[0] == "unknown"
        assert [d.source.line for d in cfg.diagnostics if "type nat chain" in d.message] == [5]


def test_snat_in_a_nat_chain_of_the_input_hook_is_taken():
    cfg = nft("""
table ip t {
	chain in_nat {
		type nat hook input priority 100; policy accept;
		tcp dport 445 snat to 10.20.0.10
	}
}
""")
    assert not [d for d in cfg.diagnostics if "type nat chain" in d.message]


# --- 4. the report names the key not modelled ------------------------------------------------------------
#
# nft(8), META EXPRESSIONS: `meta pkttype` is the packet type (host, broadcast, multicast, other); Proxmox VE's
# nftables firewall (proxmox-firewall) writes `meta pkttype broadcast drop` in its do-reject chain.  The report
# said "'meta' is not supported", which names no expression an admin can find.

def test_an_unmodelled_meta_key_is_named():
    cfg = nft("""
table inet proxmox-firewall {
	chain do-reject {
		meta pkttype broadcast drop
		reject
	}
	chain input {
		type filter hook input priority filter; policy drop;
		tcp dport 445 goto do-reject
	}
}
""")
    [d] = [d for d in cfg.diagnostics if d.code == "CFG300" and d.source.line == 3]
    assert "'meta pkttype'" in d.message


# --- 5. what leaves a packet unknown is named on the jump that may not be taken -----------------------------
#
# Shorewall's zone chains and smurf check (shorewall-rules(5); the iptables it writes):
#   -A INPUT -i eth0 -j net-fw / -A net-fw -m conntrack --ctstate INVALID,NEW,UNTRACKED -j smurfs /
#   -A smurfs -m addrtype --src-type BROADCAST -j smurflog / -A smurflog -j DROP.
# iptables-extensions(8), addrtype: the types are the kernel's route types ("BROADCAST", "LOCAL"...), an
# address's being that of its route in the host's local table, which the ruleset does not hold; `-i` names an
# interface, which the model does not place.  `explain` named the DROP and the chains only, not why the packet
# may reach it.

SHOREWALL = """
# Generated by iptables-save v1.8.7 on Mon Dec  1 10:00:00 2026
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:net-fw - [0:0]
:smurflog - [0:0]
:smurfs - [0:0]
-A INPUT -i eth0 -j net-fw
-A INPUT -j DROP
-A net-fw -m conntrack --ctstate INVALID,NEW,UNTRACKED -j smurfs
-A net-fw -p tcp -m tcp --dport 445 -j ACCEPT
-A net-fw -j DROP
-A smurflog -j LOG --log-prefix "Shorewall:smurfs:DROP:" --log-level 6
-A smurflog -j DROP
-A smurfs -s 0.0.0.0/32 -j RETURN
-A smurfs -m addrtype --src-type BROADCAST -j smurflog
-A smurfs -s 224.0.0.0/4 -j smurflog
COMMIT
"""


def test_explain_names_the_interface_and_the_address_type_of_the_jumps():
    [h] = combine_inputs([ipt(SHOREWALL)], "10.20.0.10")
    got = decision_json(h, make_packet("10.30.0.5", "10.20.0.10", "tcp", 49152, 445))
    assert got["decision"] == "unknown" and got["line"] == 15
    assert "INPUT -> net-fw (in interface eth0 not modelled)" in got["reason"]
    assert "smurfs -> smurflog (source address type BROADCAST: its route's type" in got["reason"]

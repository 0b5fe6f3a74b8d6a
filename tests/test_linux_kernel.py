"""Linux netfilter behaviour the iptables and nftables parsers model, each against the kernel's
and the tools' own documentation (cited per test):

* nft(8), https://www.netfilter.org/projects/nftables/manpage.html ("RULES", "CHAINS",
  "CONNTRACK EXPRESSIONS", "STATEMENTS");
* libnftables-json(5) ("ADD", "INSERT": placement by handle or index);
* the nftables wiki, https://wiki.nftables.org: "Netfilter hooks" (priorities: defrag -400,
  raw -300, conntrack -200, mangle -150, dstnat -100, filter 0, security 50, srcnat 100),
  "Performing Network Address Translation (NAT)" (nat chains see only a flow's first packet),
  "Matching connection tracking stateful metainformation", "Setting packet connection
  tracking metainformation" (notrack), "Nftables families" (arp, bridge, netdev);
* iptables(8) / iptables-extensions(8), https://ipset.netfilter.org/iptables-extensions.man.html
  (conntrack and state matches, NOTRACK and CT --notrack, the raw table);
* the kernel's conntrack documentation, Documentation/networking/nf_conntrack-sysctl.rst.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from conftest import ROOT

from auditor.api import audit, decision_json, make_packet
from auditor.core.model import Impact
from auditor.core.packets import ISet, addr_to_int
from auditor.policy import load_site
from parsers.linux import common, iptables, nftables

SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]


def ipt(text: str):
    p = iptables.IptablesParser(text.strip("\n") + "\n", "fw.rules")
    cfg = p.build()
    assert p.lines.unaccounted() == []
    return cfg


def nft(text: str):
    p = nftables.NftParser(text.strip("\n") + "\n", "ruleset.nft")
    cfg = p.build()
    assert p.lines.unaccounted() == []
    return cfg


def host(cfg, addr="10.20.0.10"):
    return replace(cfg, local_addresses=ISet.of(addr_to_int(addr)))


def d(cfg, src, dst, proto="tcp", sport=1024, dport=445, filt=None):
    return decision_json(cfg, make_packet(src, dst, proto, sport, dport), filt)


def cli_audit(tmp_path, name: str, text: str, *extra: str) -> dict:
    p = tmp_path / name
    p.write_text(text.strip("\n") + "\n")
    args = ["audit", str(p), "--format", "json", *[a for r in SITE for a in ("--role", r)], *extra]
    out = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=ROOT, text=True)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


# --- loopback: the host talking to itself -------------------------------------------------------

LO_IPT = """
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -s 10.30.0.0/24 -p tcp -m multiport --dports 139,445 -j ACCEPT
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -j ACCEPT
COMMIT
"""
LO_NFT = """
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        iif lo accept
        iifname "lo" accept
        meta iifname lo accept
        ip saddr 10.30.0.0/24 tcp dport { 139, 445 } accept
    }
}
"""


@pytest.mark.parametrize("name,text", [("lo.rules", LO_IPT), ("lo.nft", LO_NFT)])
def test_loopback_accept_is_no_exposure_and_no_broad_permit(tmp_path, name, text):
    # Packets on lo are the host's own: the kernel routes local traffic over lo with local source
    # and destination addresses (ip-route(8) 'local' table; a 127/8 source arriving on another
    # interface is a martian and dropped).  'iptables -i lo -j ACCEPT' therefore opens nothing to
    # any other host: no PRN150 (server exposed), no PRN160 (AFP), no ACL210 for the lo lines.
    # (Before: the rule matched any destination from 127/8, so PRN150 and PRN160 fired on it.)
    out = cli_audit(tmp_path, name, text, "--host", "primary")
    lo_lines = {5, 7} if name.endswith(".rules") else {4, 5, 6}
    fired = {(f["rule_id"], f["line"]) for f in out["findings"]}
    assert not {r for r, _ in fired} & {"PRN150", "PRN160"}
    assert not {ln for r, ln in fired if r == "ACL210"} & lo_lines


def test_loopback_rules_match_loopback_sources_and_destinations_only():
    cfg = ipt(LO_IPT)
    [lo] = [r for r in cfg.filters["INPUT"].rules if r.source.line == 5]
    assert lo.match.contains(make_packet("127.0.0.1", "127.0.0.1", "tcp", 1, 548))
    assert not lo.match.contains(make_packet("127.0.0.1", "10.20.0.10", "tcp", 1, 548))
    assert not lo.match.contains(make_packet("10.9.9.9", "127.0.0.1", "tcp", 1, 548))
    # '! -i lo -s 127.0.0.0/8 -j DROP' (the usual anti-spoofing line) drops 127/8 sources
    # arriving from outside, and nothing on lo
    cfg = ipt("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ! -i lo -s 127.0.0.0/8 -j DROP\nCOMMIT\n")
    assert d(cfg, "127.0.0.1", "10.20.0.10", filt="INPUT")["decision"] == "deny"
    assert d(cfg, "127.0.0.1", "127.0.0.1", filt="INPUT")["decision"] == "permit"
    assert d(cfg, "10.30.0.5", "10.20.0.10", filt="INPUT")["decision"] == "permit"


def test_nft_loopback_keeps_families_apart():
    cfg = nft(LO_NFT)
    [r] = [r for r in cfg.filters["inet/filter/input"].rules if r.source.line == 4]
    assert r.match.contains(make_packet("::1", "::1", "tcp", 1, 1))
    assert not r.match.contains(make_packet("127.0.0.1", "::1", "tcp", 1, 1))


# --- the policies of chains that only pass traffic on ------------------------------------------

def test_raw_mangle_nat_accept_policies_are_no_any_to_any_permits():
    # iptables(8), TABLES: raw, mangle and nat chains do not filter; what they do not drop goes on
    # to the filter table.  Their ACCEPT policy is the stage's default, not a permit rule (ACL210
    # would call it an any-to-any permit); a DROP rule in mangle still filters.
    cfg = ipt("""
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s 10.66.0.0/16 -j DROP
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -s 10.67.0.0/16 -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A INPUT -s 10.30.0.0/24 -j ACCEPT
COMMIT
""")
    res = audit([host(cfg)], load_site(None, SITE))
    assert not [f for f in res.findings if f.rule_id == "ACL210"]
    inp = next(p for p in cfg.paths if p.local == "in")
    assert [s.name for s in inp.stages] == ["raw/PREROUTING", "mangle/PREROUTING", "INPUT"]
    assert all(r.action.value == "deny" for r in cfg.filters["mangle/PREROUTING"].rules)
    out = d(host(cfg), "10.67.0.5", "10.20.0.10")
    assert (out["decision"], out["line"]) == ("deny", 12)


def test_nft_prerouting_and_nat_policies_are_no_any_to_any_permits():
    cfg = nft("""
table inet raw {
    chain pre {
        type filter hook prerouting priority raw; policy accept;
        ip saddr 10.66.0.0/16 drop
    }
}
table ip nat {
    chain post {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "eth0" masquerade
    }
}
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ip saddr 10.30.0.0/24 accept
    }
}
""")
    res = audit([host(cfg)], load_site(None, SITE))
    assert not [f for f in res.findings if f.rule_id == "ACL210"]
    assert [r.source.line for r in cfg.filters["inet/raw/pre"].rules] == [4]
    # a type filter base chain at the input hook still ends with its policy's rule
    assert cfg.filters["inet/filter/input"].rules[-1].source.line == 15


# --- nat chains that drop, rule placement, ct expressions, other families ----------------------

def test_nft_nat_chain_drop_and_reject_filter_new_connections():
    # nft(8) allows drop/reject in any base chain; a type nat chain sees a flow's first packet only
    # (nftables wiki, "Performing Network Address Translation (NAT)"), so its drops filter new
    # connections.  (Before: nat chains were left out of the paths, the drop ignored.)
    cfg = nft("""
table ip nat {
    chain pre {
        type nat hook prerouting priority dstnat; policy accept;
        ip saddr 10.66.0.0/16 drop
        tcp dport 23 reject with tcp reset
    }
}
table inet filter {
    chain input {
        type filter hook input priority filter; policy accept;
    }
}
""")
    out = d(cfg, "10.66.0.5", "10.20.0.10")
    assert (out["decision"], out["line"], out["stage"]) == ("deny", 4, "ip/nat/pre")
    assert d(cfg, "10.30.0.5", "10.20.0.10", dport=23)["line"] == 5
    assert d(cfg, "10.30.0.5", "10.20.0.10")["decision"] == "permit"


PLACED = """
table inet f {
    chain input {
        type filter hook input priority 0; policy drop;
        tcp dport 22 accept # handle 4
        tcp dport 80 drop # handle 5
        tcp dport 443 accept # handle 6
    }
}
"""


@pytest.mark.parametrize("command,order", [
    # nft(8), RULES: 'add' appends, or puts the rule after the one given by handle/index;
    # 'insert' prepends, or puts it before; 'position' is the older spelling of 'handle';
    # the index counts from 0 (nftables' rule_lookup_by_index takes index + 1 from the parser)
    ("add rule inet f input tcp dport 80 accept", [4, 5, 6, 9, 3]),
    ("insert rule inet f input tcp dport 80 accept", [9, 4, 5, 6, 3]),
    ("add rule inet f input index 0 tcp dport 80 accept", [4, 9, 5, 6, 3]),
    ("insert rule inet f input index 1 tcp dport 80 accept", [4, 9, 5, 6, 3]),
    ("add rule inet f input position 5 tcp dport 80 accept", [4, 5, 9, 6, 3]),
    ("insert rule inet f input position 5 tcp dport 80 accept", [4, 9, 5, 6, 3]),
    ("add rule inet f input handle 4 tcp dport 80 accept", [4, 9, 5, 6, 3]),
    ("insert rule inet f input handle 6 tcp dport 80 accept", [4, 5, 9, 6, 3]),
    ("replace rule inet f input handle 5 tcp dport 80 accept", [4, 9, 6, 3]),
])
def test_nft_rule_placement(command, order):
    cfg = nft(PLACED + command)
    assert [r.source.line for r in cfg.filters["inet/f/input"].rules] == order
    dport80 = d(cfg, "10.30.0.5", "10.20.0.10", dport=80, filt="inet/f/input")["decision"]
    assert dport80 == ("deny" if order.index(5) < order.index(9) else "permit") if 5 in order else "permit"


def test_nft_placement_after_rules_added_at_the_same_handle():
    # libnftables-json(5): several rules added at one handle are placed relative to that rule
    # (the later one nearer to it): add after 4 twice -> 4, second, first
    cfg = nft(PLACED + "add rule inet f input position 4 udp dport 1 accept\n"
                       "add rule inet f input position 4 udp dport 2 accept\n"
                       "delete rule inet f input handle 6")
    assert [r.source.line for r in cfg.filters["inet/f/input"].rules] == [4, 10, 9, 5, 3]


def test_nft_rule_placed_against_an_unknown_handle_is_unknown_from_the_top():
    # the handle belongs to the running ruleset, not to the input: where the kernel put the rule
    # cannot be told, so the packets it may match are unknown (before: it went to the top,
    # deciding them as if it were first)
    cfg = nft(PLACED + "add rule inet f input handle 99 tcp dport 80 accept")
    [x] = [x for x in cfg.unrecognized if "neighbour discovery" not in x.message]  # (its policy drops it)
    assert x.source.line == 9 and "handle 99" in x.message and x.impact is Impact.FILTER
    assert d(cfg, "10.30.0.5", "10.20.0.10", dport=80, filt="inet/f/input")["decision"] == "unknown"
    assert d(cfg, "10.30.0.5", "10.20.0.10", dport=22, filt="inet/f/input")["decision"] == "permit"


@pytest.mark.parametrize("expr", ["ct mark 0x1", "ct zone 3", "ct label 10", 'ct helper "ftp"', "ct status dnat",
                                  "ct expiration 5s", "ct count over 10", "ct original saddr 10.0.0.1"])
def test_nft_conntrack_expressions_that_cannot_be_decided_are_unknown(expr):
    # nft(8), CONNTRACK EXPRESSIONS: mark, zone, label, helper, status... are properties of the
    # connection set at run time; the ruleset cannot tell them.  A rule matching on them may or
    # may not match: unknown, never unconditional (before: skipped, so 'ct mark 0x1 drop' dropped
    # every packet).
    cfg = nft("table inet f {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
              "  %s tcp dport 445 drop\n }\n}\n" % expr)
    [x] = cfg.unrecognized
    assert x.source.line == 4 and x.impact is Impact.FILTER
    assert d(cfg, "10.30.0.5", "10.20.0.10", dport=445, filt="inet/f/input")["decision"] == "unknown"
    assert d(cfg, "10.30.0.5", "10.20.0.10", dport=80, filt="inet/f/input")["decision"] == "permit"


def test_nft_setting_conntrack_properties_matches_nothing():
    cfg = nft("table inet f {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
              "  ct mark set 0x2\n  ct zone set 3\n  tcp dport 445 drop\n }\n}\n")
    assert not cfg.unrecognized
    assert d(cfg, "10.30.0.5", "10.20.0.10", dport=80, filt="inet/f/input")["decision"] == "permit"


def test_nft_arp_table_that_can_drop_makes_verdicts_unknown():
    # nftables wiki, "Nftables families": arp tables see ARP packets only; a host whose ARP is
    # dropped cannot reach its neighbours, so IP verdicts cannot be told (before: ignored)
    cfg = nft("table arp a {\n chain in {\n  type filter hook input priority 0; policy drop;\n }\n}\n"
              "table inet f {\n chain input {\n  type filter hook input priority 0; policy accept;\n }\n}\n")
    [x] = cfg.unrecognized
    assert x.impact is Impact.GLOBAL and "arp" in x.message and x.source.line == 1
    quiet = nft("table arp a {\n chain in {\n  type filter hook input priority 0; policy accept;\n"
                "  arp operation request counter\n }\n}\n")
    assert not quiet.unrecognized


def test_nft_netdev_ingress_drops_are_unknown_and_scoped_to_what_they_match():
    # nftables wiki, "Nftables families", netdev: an ingress chain sees the packets of its devices
    # before prerouting.  Which interface carries the audited traffic is not in the ruleset, so
    # what the chain drops is unknown, and only that (accepts change nothing).
    cfg = nft("""
table netdev edge {
    chain ing {
        type filter hook ingress device "eth0" priority 0; policy accept;
        ip saddr 10.66.0.0/16 drop
    }
}
table inet f {
    chain input {
        type filter hook input priority 0; policy accept;
    }
}
""")
    assert not cfg.unrecognized
    assert (d(cfg, "10.66.0.5", "10.20.0.10")["decision"], d(cfg, "10.66.0.5", "10.20.0.10")["line"]) == (
        "unknown", 4)
    assert d(host(cfg), "10.30.0.5", "10.20.0.10")["decision"] == "permit"
    # a netdev chain on lo sees only the host's own packets: modelled exactly
    lo = nft('table netdev l {\n chain ing {\n  type filter hook ingress device "lo" priority 0; policy drop;\n'
             ' }\n}\ntable inet f {\n chain input {\n  type filter hook input priority 0; policy accept;\n }\n}\n')
    assert d(lo, "10.30.0.5", "10.20.0.10")["decision"] == "deny"


# --- NOTRACK: untracked packets --------------------------------------------------------------------

# (a dump of iptables-save: its first line says the rules are IPv4 ones, tests/test_iptfam24.py)
NOTRACK = """
# Generated by iptables-save v1.8.7 on Mon Jan  1 00:00:00 2024
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp --dport 53 -j CT --notrack
-A OUTPUT -p udp --sport 53 -j NOTRACK
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p udp -m state --state NEW -j ACCEPT
-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT
-A INPUT -p tcp --dport 445 -j ACCEPT
COMMIT
"""


def test_notrack_makes_packets_untracked_to_later_state_matches():
    # iptables-extensions(8), NOTRACK / CT --notrack: "Disables connection tracking for this
    # packet"; conntrack match: "UNTRACKED: The packet is not tracked at all, which happens if you
    # explicitly untrack it by using -j CT --notrack in the raw table".  So the NEW rule does not
    # match untracked DNS, the UNTRACKED rule does.  (Before: any NOTRACK made every verdict
    # unknown.)
    cfg = host(ipt(NOTRACK))
    assert not cfg.unrecognized
    out = d(cfg, "10.30.0.5", "10.20.0.10", "udp", 1024, 53)
    assert (out["decision"], out["line"]) == ("permit", 13)
    out = d(cfg, "10.30.0.5", "10.20.0.10", "udp", 1024, 54)
    assert (out["decision"], out["line"]) == ("permit", 12)
    inp = next(p for p in cfg.paths if p.local == "in")
    assert [s.name for s in inp.stages] == ["INPUT"]  # a raw table that only untracks filters nothing


def test_nft_notrack_before_conntrack_only():
    # nftables wiki, "Setting packet connection tracking metainformation": notrack must run before
    # conntrack (priority below -200, e.g. 'priority raw'); after it, the packet keeps its entry
    text = """
table inet raw {
    chain pre {
        type filter hook prerouting priority %s; policy accept;
        udp dport 53 notrack
    }
}
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state untracked accept
        ct state new accept
    }
}
"""
    early = host(nft(text % "raw"))
    assert d(early, "10.30.0.5", "10.20.0.10", "udp", 1024, 53)["line"] == 10
    assert d(early, "10.30.0.5", "10.20.0.10", "udp", 1024, 54)["line"] == 11
    late = host(nft(text % "mangle"))
    assert d(late, "10.30.0.5", "10.20.0.10", "udp", 1024, 53)["line"] == 11


def test_state_match_before_conntrack_sees_invalid():
    # a chain below conntrack's priority (-200) runs before the packet has a conntrack entry:
    # ct state is 'invalid' there for every packet (nft_ct: no entry and not untracked)
    cfg = host(nft("""
table inet raw {
    chain pre {
        type filter hook prerouting priority raw; policy accept;
        ct state new drop
        ct state invalid tcp dport 23 drop
    }
}
table inet filter {
    chain input {
        type filter hook input priority filter; policy accept;
    }
}
"""))
    assert d(cfg, "10.30.0.5", "10.20.0.10")["decision"] == "permit"
    assert d(cfg, "10.30.0.5", "10.20.0.10", dport=23)["line"] == 5


@pytest.mark.parametrize("hook", ["input", "forward", "postrouting"])
def test_a_chain_at_a_hook_after_conntrack_sees_the_state_whatever_its_priority(hook):
    # the nftables wiki, "Netfilter hooks" (https://wiki.nftables.org/wiki-nftables/index.php/Netfilter_hooks),
    # priority table: NF_IP_PRI_CONNTRACK (-200) "on prerouting and output hooks to associate packets with
    # tracked connections".  A packet reaching the input, forward or postrouting hook has its entry
    # already, so `priority raw` there does not make it INVALID: 'ct state new drop' drops the first
    # packet (it was read as matching nothing, and the connection passed)
    cfg = host(nft("""
table inet early {
    chain c {
        type filter hook %s priority raw; policy accept;
        ip saddr 10.30.0.0/24 tcp dport 445 ct state new drop
        ct state invalid tcp dport 23 drop
    }
}
table inet filter {
    chain input {
        type filter hook input priority filter; policy accept;
    }
    chain forward {
        type filter hook forward priority filter; policy accept;
    }
}
""" % hook))
    dst = "10.20.0.10" if hook == "input" else "10.40.0.9"
    got = d(cfg, "10.30.0.5", dst)
    assert (got["decision"], got["line"]) == ("deny", 4)
    assert d(cfg, "10.30.0.5", dst, dport=23)["decision"] == "permit"  # a valid packet is not INVALID
    # (the prerouting hook at that priority still runs before conntrack: every packet is INVALID there)
    pre = host(nft(("table inet early {\n    chain c {\n        type filter hook prerouting priority raw; "
                    "policy accept;\n        ct state new drop\n        ct state invalid tcp dport 23 drop\n    }\n}\n"
                    "table inet filter {\n    chain input {\n        type filter hook input priority filter; "
                    "policy accept;\n    }\n}\n")))
    assert d(pre, "10.30.0.5", "10.20.0.10")["decision"] == "permit"
    assert d(pre, "10.30.0.5", "10.20.0.10", dport=23)["line"] == 5


# --- iptables: bridge and ARP dumps ----------------------------------------------------------------

def test_ebtables_and_arptables_sections():
    # ebtables(8)/arptables(8) filter bridged frames and ARP: not modelled.  A section that can drop
    # makes every verdict unknown; one that only accepts changes nothing.
    eb = "# Generated by ebtables-save v1.8.7 on Mon Jan  1 00:00:00 2024\n*filter\n:INPUT ACCEPT\n" \
         ":FORWARD DROP\n:OUTPUT ACCEPT\n-A INPUT -p IPv4 --ip-src 10.66.0.0/16 -j DROP\n"
    filt = "# Generated by iptables-save v1.8.7\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n"
    cfg = ipt(eb + filt)
    assert [x.source.line for x in cfg.unrecognized] == [4, 6]
    assert all(x.impact is Impact.GLOBAL for x in cfg.unrecognized)
    quiet = ipt("# Generated by arptables-save v1.8.7\n*filter\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n" + filt)
    assert not quiet.unrecognized and quiet.ignored_lines >= 4


# --- explain names the rule that decides ------------------------------------------------------------

def test_explain_names_the_filter_rule_not_a_pass_through_chains_policy():
    # iptables(8): a packet passes the raw, mangle and nat chains (their ACCEPT policy) and is
    # accepted by the filter table's rule: that rule decides, not the mangle chain's policy line
    cfg = host(ipt("""
*mangle
:PREROUTING ACCEPT [0:0]
-A PREROUTING -s 10.66.0.0/16 -j DROP
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.30.0.0/24 -p tcp --dport 445 -j ACCEPT
COMMIT
"""))
    out = d(cfg, "10.30.0.5", "10.20.0.10")
    assert (out["decision"], out["line"], out["stage"]) == ("permit", 9, "INPUT")
    assert d(cfg, "10.66.0.5", "10.20.0.10")["line"] == 3


@pytest.mark.parametrize("early,late,line", [
    # nftables wiki, "Netfilter hooks": base chains of one hook run in priority order and each
    # must accept; the rule that accepts decides, never an earlier chain's policy
    ("ip saddr 10.66.0.0/16 drop", "ip saddr 10.30.0.0/24 accept", 10),
    ("ip saddr 10.30.0.0/24 accept", "ip saddr 10.66.0.0/16 drop", 4),
])
def test_explain_names_the_accepting_rule_among_base_chains(early, late, line):
    cfg = host(nft("""
table inet a {
    chain early {
        type filter hook input priority -5; policy accept;
        %s
    }
}
table inet b {
    chain late {
        type filter hook input priority 10; policy accept;
        %s
    }
}
""" % (early, late)))
    out = d(cfg, "10.30.0.5", "10.20.0.10")
    assert (out["decision"], out["line"]) == ("permit", line)


# --- which packets of a connection a rule matches (Rule.states) ------------------------------------

NEW_, EST_, BOTH = 1, 2, 3


@pytest.mark.parametrize("match,states", [
    # iptables-extensions(8), conntrack/state: NEW "has started a new connection"; ESTABLISHED
    # "associated with a connection which has seen packets in both directions" (every later packet
    # and every reply); RELATED "starting a new connection, but associated with an existing one"
    # (ICMP errors, FTP data): no packet of the connection itself; INVALID: none of a valid one
    ("-m state --state NEW", [(NEW_, "sure")]),
    ("-m state --state ESTABLISHED", [(EST_, "sure")]),
    ("-m state --state ESTABLISHED,RELATED", [(EST_, "sure")]),
    ("-m conntrack --ctstate RELATED,ESTABLISHED,NEW", [(BOTH, "sure")]),
    ("-m state --state RELATED", [(0, "sure")]),
    ("-m conntrack --ctstate INVALID", [(0, "sure")]),
    ("-m conntrack --ctstate UNTRACKED", [(0, "sure")]),  # (nothing untracked here: see NOTRACK)
    ("-m conntrack ! --ctstate NEW", [(EST_, "sure")]),
    ("-m conntrack ! --ctstate ESTABLISHED", [(NEW_, "sure")]),
    ("-m conntrack ! --ctstate INVALID", [(BOTH, "sure")]),
    # SNAT/DNAT are virtual states: whether the connection was translated is not in the rule
    ("-m conntrack --ctstate SNAT", [(BOTH, "maybe")]),
    ("-m conntrack --ctstate NEW,SNAT", [(NEW_, "sure"), (EST_, "maybe")]),
    # but an accept's DNAT in an input that translates no destination matches nothing (hunt 23;
    # with a DNAT target in the input it stays uncertain: test_hunt23_linuxgen)
    ("-m conntrack --ctstate DNAT", [(0, "sure")]),
    ("-m conntrack --ctstate NEW,DNAT", [(NEW_, "sure")]),
    # --ctdir: the first packet is in the ORIGINAL direction; a later one may be in either
    ("-m conntrack --ctdir ORIGINAL", [(NEW_, "sure"), (EST_, "maybe")]),
    ("-m conntrack --ctdir REPLY", [(EST_, "maybe")]),
    # TCP flags: the first packet is a SYN (RFC 793; SYN+ECE+CWR with ECN, RFC 3168 6.1.1), the
    # later ones carry ACK or RST (iptables-extensions(8), tcp: --syn is SYN set, ACK/RST/FIN clear)
    ("-p tcp --syn", [(NEW_, "sure")]),
    ("-p tcp ! --syn", [(EST_, "sure")]),
    ("-p tcp --tcp-flags SYN,RST,ACK,FIN SYN", [(NEW_, "sure")]),
    ("-p tcp --tcp-flags ALL NONE", [(0, "sure")]),
    ("-p tcp --tcp-flags SYN,ACK ACK", [(EST_, "maybe")]),  # the SYN-ACK reply has SYN too
    ("-p tcp --tcp-flags ALL SYN", [(NEW_, "maybe")]),  # an ECN SYN has ECE and CWR set too
    # -f: a non-first fragment; defragmentation (priority -400) reassembles before conntrack
    ("-f", [(0, "sure")]),
    ("! -f", [(BOTH, "sure")]),
])
def test_iptables_rule_states(match, states):
    cfg = ipt("*filter\n:INPUT DROP [0:0]\n-A INPUT %s -j ACCEPT\nCOMMIT\n" % match)
    got = [(r.states, "sure" if r.match else "maybe") for r in cfg.filters["INPUT"].rules if r.source.line == 3]
    assert got == states


_SUB = "*filter\n:INPUT DROP [0:0]\n:SUB - [0:0]\n%s\n-A SUB -j DROP\nCOMMIT\n"


@pytest.mark.parametrize("lines,states,zero", [
    # a rule reached through a jump whose state excludes the rule's own: no packet of a connection meets it
    ("-A INPUT -m state --state NEW -j SUB\n-A SUB -m state --state ESTABLISHED -j ACCEPT",
     {"INPUT": [(5, 0), (6, NEW_), (2, BOTH)], "SUB": [(5, EST_), (6, BOTH)]}, True),
    ("-A INPUT -m state --state ESTABLISHED -j ACCEPT\n-A INPUT -j SUB\n-A SUB -m state --state NEW -j ACCEPT\n"
     "-A SUB -m conntrack --ctstate INVALID -j DROP",
     {"INPUT": [(4, EST_), (6, NEW_), (7, 0), (8, BOTH), (2, BOTH)], "SUB": [(6, NEW_), (7, 0), (8, BOTH)]}, True),
    # every rule meets, for one kind, what it meets whatever the kind, and no jump depends on it: the flattening
    # that ignores the kinds (``Flats.zero_needed``) is not made, and nothing is lost
    ("-A INPUT -m state --state ESTABLISHED -j ACCEPT\n-A INPUT -j SUB\n-A SUB -m state --state NEW -j ACCEPT",
     {"INPUT": [(4, EST_), (6, NEW_), (7, BOTH), (2, BOTH)], "SUB": [(6, NEW_), (7, BOTH)]}, False),
])
def test_iptables_states_through_jumps(lines, states, zero):
    cfg = ipt(_SUB % lines)
    assert {f: [(r.source.line, r.states) for r in cfg.filters[f].rules] for f in states} == states
    p = iptables.IptablesParser(_SUB % lines, "x")
    p.scan()
    rules = p.table_rules(p.tables[(4, "filter")])
    assert common.Flats(rules, p.report).zero_needed(common.PLAIN, False) is zero


@pytest.mark.parametrize("match,states", [
    # nft(8), CONNTRACK EXPRESSIONS: ct state new, established, related, invalid, untracked;
    # ct direction original/reply; the nftables wiki, "Matching connection tracking stateful
    # metainformation"
    ("ct state new", [(NEW_, "sure")]),
    ("ct state established,related", [(EST_, "sure")]),
    ("ct state { established, related }", [(EST_, "sure")]),
    ("ct state != established", [(NEW_, "sure")]),
    ("ct state { new, established }", [(BOTH, "sure")]),
    ("ct state invalid", [(0, "sure")]),
    ("ct direction original", [(NEW_, "sure"), (EST_, "maybe")]),
    ("ct direction reply", [(EST_, "maybe")]),
    ("tcp flags syn", [(NEW_, "sure"), (EST_, "maybe")]),  # 'syn' alone: SYN set (the SYN-ACK too)
    ("tcp flags & (syn | ack) == syn", [(NEW_, "sure")]),
    ("tcp flags & (syn | ack) == ack", [(EST_, "maybe")]),
])
def test_nft_rule_states(match, states):
    cfg = nft("table inet f {\n chain input {\n  type filter hook input priority 0; policy drop;\n  %s accept\n"
              " }\n}\n" % match)
    got = [(r.states, "sure" if r.match else "maybe") for r in cfg.filters["inet/f/input"].rules
           if r.source.line == 4]
    assert got == states


def test_nat_chain_rules_match_first_packets_only():
    cfg = nft("table ip nat {\n chain pre {\n  type nat hook prerouting priority dstnat; policy accept;\n"
              "  ip saddr 10.66.0.0/16 drop\n }\n}\n")
    [r] = cfg.filters["ip/nat/pre"].rules
    assert r.states == NEW_


# --- comments carry inline waivers -------------------------------------------------------------------

@pytest.mark.parametrize("parse,text", [
    (ipt, """
# Generated by iptables-save v1.8.7 on Mon Jan  1 00:00:00 2024
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 548 -m comment --comment "prinergy-audit: ignore PRN160 until 2099-12-31 legacy Macs" -j ACCEPT
COMMIT
"""),
    (nft, """
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ip saddr 10.30.0.0/24 tcp dport 548 accept comment "prinergy-audit: ignore PRN160 until 2099-12-31 legacy Macs"
    }
}
"""),
])
def test_rule_comments_carry_inline_waivers(parse, text):
    # iptables-extensions(8) 'comment', nft(8) 'comment': the rule's own text; README: inline
    # waivers are read from rule remarks and comments
    cfg = parse(text)
    assert len(cfg.remarks) == 1
    res = audit([host(cfg)], load_site(None, SITE))
    [f] = [f for f in res.findings if f.rule_id == "PRN160"]
    assert f.waived


def test_an_accept_policy_after_a_final_reject_is_neither_broad_nor_redundant():
    # The usual RHEL/CentOS iptables file: policy ACCEPT, then '-A INPUT -j REJECT' last.  iptables-save
    # writes one address family (iptables(8): ip6tables is the IPv6 tool), so the chain's policy decides
    # IPv4 packets only, and the REJECT decides all of them first: the policy opens nothing (no ACL210),
    # and a built-in chain's policy can be changed but not removed (no ACL201 "redundant").  OUTPUT's
    # ACCEPT policy, with no rule before it, accepts the host's own packets only: it exposes nothing either
    # (session 29: no ACL210 for a filter of the device's own packets).
    cfg = ipt("""
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -j REJECT --reject-with icmp-host-prohibited
COMMIT
""")
    res = audit([host(cfg)], load_site(None, SITE))
    fired = {(f.rule_id, f.source.line) for f in res.findings if f.rule_id.startswith("ACL")}
    assert ("ACL210", 2) not in fired and not {ln for r, ln in fired if r in ("ACL200", "ACL201")} & {2, 3, 4}
    assert ("ACL210", 4) not in fired
    # the policy rules cover the dump's family, and the IPv4 REJECT decides the IPv4 packets
    assert all(not r.match.contains(make_packet("::1", "::2", "tcp", 1, 1)) for r in cfg.filters["INPUT"].rules)

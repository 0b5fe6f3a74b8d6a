"""iptables / nftables, hunt 22: verdict maps, chains, sets and generators' shapes, each checked
against the document cited in its test."""

from __future__ import annotations

from test_linux_hunt5 import SITE4, ipt, nft, verdict

from auditor.api import combine_inputs, decision_json, make_packet


def decide(cfg, src: str, dst: str = "10.2.0.10", proto: str = "tcp", dport: int = 445) -> dict:
    """The decision through the host's paths, the host being ``dst``."""
    [host] = combine_inputs([cfg], dst)
    return decision_json(host, make_packet(src, dst, proto, 1024, dport))


# --- named verdict maps ------------------------------------------------------------------------
#
# A named map of type ``... : verdict`` is looked up with ``vmap @NAME`` as an anonymous
# ``vmap { ... }`` is (the nftables wiki, "Verdict Maps (vmaps)", sections "Anonymous vmaps" and
# "Named vmaps": "Internally they use the generic set infrastructure";
# https://wiki.nftables.org/wiki-nftables/index.php/Verdict_Maps_(vmaps); Red Hat, RHEL 9
# "Configuring firewalls and packet filters", 2.6.2 "Using named maps in nftables": ``nft add map
# ... { type ipv4_addr : verdict ; }`` then ``... ip saddr vmap @example_map``).  ``jump`` returns
# to the rule after the lookup, ``goto`` does not (nft(8), VERDICT STATEMENT: "goto CHAIN: Equal to
# jump except that the current position is not stored in the call stack of chains").

NAMED_VMAP = """
table inet filter {
  map svc {
    type inet_service : verdict
    elements = { 445 : jump smb, 139 : goto smb, 80 : drop }
  }
  set ws {
    type ipv4_addr
    flags interval
    elements = { 10.1.0.0/16, 10.5.0.1-10.5.0.20 }
  }
  chain smb {
    ip saddr @ws accept
  }
  chain input {
    type filter hook input priority 0; policy drop;
    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
    meta nfproto ipv4 tcp dport vmap @%s
    ip saddr 10.1.0.0/16 tcp dport 80 accept
    ip saddr 10.5.0.0/24 accept
  }
}
"""


def test_named_verdict_map_is_read_as_its_elements():
    cfg = nft(NAMED_VMAP % "svc")  # (before: TypeError, the whole audit an internal error)
    assert not cfg.unrecognized
    # 445: jump smb, accepted there; 80: dropped by the map before the accept below
    assert decide(cfg, "10.1.0.5")["decision"] == "permit"
    out = decide(cfg, "10.1.0.5", dport=80)
    assert out["decision"] == "deny" and out["line"] == 17
    # 445 from outside the set: smb returns to the rule after the map
    out = decide(cfg, "10.5.0.50")
    assert out["decision"] == "permit" and out["line"] == 19
    # 139 from outside the set: goto smb does not return, the base chain's policy drops it
    out = decide(cfg, "10.5.0.50", dport=139)
    assert out["decision"] == "deny" and out["line"] == 15
    assert decide(cfg, "10.5.0.5", dport=139)["decision"] == "permit"


def test_undefined_named_verdict_map_is_unknown():
    cfg = nft(NAMED_VMAP % "nosuch")  # (before: TypeError)
    assert {d.source.line for d in cfg.unrecognized} == {17}
    out = decide(cfg, "10.1.0.5", dport=80)
    assert out["decision"] == "unknown" and out["line"] == 17
    assert verdict(cfg, SITE4) == "unknown"


def test_dynamic_named_verdict_map_is_unknown():
    # a map filled from the packet path (flags dynamic/timeout): its elements at audit time are not these
    text = NAMED_VMAP.replace("type inet_service : verdict", "type inet_service : verdict\n    flags timeout")
    cfg = nft(text % "svc")
    out = decide(cfg, "10.1.0.5", dport=80)
    assert out["decision"] == "unknown" and out["line"] == 18


# --- multiport: the number of ports iptables accepts ----------------------------------------------
#
# iptables-extensions(8), multiport: "Up to 15 ports can be specified. A port range (port:port) counts
# as two ports."  libxt_multiport.c, parse_multi_ports_v1, refuses a longer list ("too many ports
# specified") and a range whose first port is not below its last ("invalid portrange specified");
# Red Hat solution 3129881 ("iptables v1.4.21: too many ports specified").  The rule is not loaded: in a
# script the command fails alone, in an iptables-restore input the restore commits nothing.

MULTIPORT = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m multiport --dports %s -j ACCEPT
COMMIT
"""
FIFTEEN = "1:10,20,21,22,23,24,25,26,27,28,29,30,31,445"  # a range (two) and 13 ports


def test_multiport_of_fifteen_ports_is_loaded():
    cfg = ipt(MULTIPORT % FIFTEEN)
    assert not cfg.unrecognized
    out = decide(cfg, "10.1.0.5")
    assert out["decision"] == "permit" and out["line"] == 6


def test_multiport_of_sixteen_ports_is_refused():
    cfg = ipt(MULTIPORT % FIFTEEN.replace("20,", "19,20,"))
    [diag] = cfg.unrecognized
    assert diag.source.line == 6 and "too many ports specified" in diag.message
    assert decide(cfg, "10.1.0.5")["decision"] == "unknown"  # (before: permit by line 6)
    assert verdict(cfg, SITE4) == "unknown"


def test_multiport_of_sixteen_ports_in_a_script_is_not_placed():
    script = ("iptables -P INPUT DROP\niptables -P FORWARD DROP\niptables -P OUTPUT ACCEPT\n"
              "iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
              "iptables -A INPUT -p tcp -m multiport --dports %s -j ACCEPT\n")
    cfg = ipt(script % FIFTEEN.replace("20,", "19,20,"))
    assert [d.source.line for d in cfg.unrecognized] == [5]
    assert decide(cfg, "10.1.0.5")["decision"] == "unknown"  # (before: permit by line 5)


def test_multiport_range_not_increasing_is_refused():
    cfg = ipt(MULTIPORT % "445:445")
    [diag] = cfg.unrecognized
    assert "invalid portrange specified" in diag.message
    assert decide(cfg, "10.1.0.5")["decision"] == "unknown"  # (before: permit by line 6)

"""A connection through a Linux firewall works only if its later packets and its replies pass too.

Every iptables and nftables chain is stateless: conntrack classifies each packet (the first of a
connection NEW, every later one ESTABLISHED, in both directions) and the chain's rules decide it,
replies included (iptables-extensions(8), "conntrack" and "state"; the nftables wiki, "Matching
connection tracking stateful metainformation": "established: the packet is part of an existing
connection ... in both directions").  Replies to a connection to the host leave through OUTPUT
(the nftables wiki, "Netfilter hooks": locally generated packets take the output hook), replies
of forwarded traffic through FORWARD the other way.  So a host whose OUTPUT policy is DROP with
no ESTABLISHED accept blocks every connection to it (the reply is dropped), and a router whose
FORWARD permits only NEW connections blocks their later packets.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.api import audit, combine_inputs
from auditor.core.packets import addr_to_int
from auditor.policy import load_site
from parsers.linux import iptables, nftables

SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]
SMB = "SMB job volumes (445/tcp)"
PRIMARY = addr_to_int("10.20.0.10")


def smb_findings(cfg, host: str | None = "primary"):
    site = load_site(None, SITE)
    cfgs = combine_inputs([cfg], host, site) if host else [cfg]
    res = audit(cfgs, site)
    flows = [f for f in res.flows if SMB in f.get("flow", "") or SMB in str(f)]
    return [f for f in res.findings if f.rule_id == "PRN100" and SMB in f.message], flows, res


IPT_HOST = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A INPUT -s 10.30.0.0/24 -p tcp -m tcp --dport 445 -j ACCEPT
%s
COMMIT
"""
NFT_HOST = """table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ip saddr 10.30.0.0/24 tcp dport 445 accept
    }
    chain output {
        type filter hook output priority filter; policy drop;
        %s
    }
}
"""


@pytest.mark.parametrize("parse,text,policy_line", [
    (iptables.parse, IPT_HOST % "", 4),
    (nftables.parse, NFT_HOST % "", 7),
])
def test_host_output_policy_drop_blocks_the_replies(parse, text, policy_line):
    cfg = parse(text, "fw")
    [f], _flows, _res = smb_findings(cfg)
    assert f.source.line == policy_line and "replies" in f.message
    # the example is a reply: from the server's port 445 back to the Workshop client
    src, dst, proto, sport, dport = f.example
    assert (src, proto, sport) == (PRIMARY, 6, 445)
    assert addr_to_int("10.30.0.0") <= dst <= addr_to_int("10.30.0.255") and dport >= 1024


@pytest.mark.parametrize("parse,text", [
    (iptables.parse, IPT_HOST % "-A OUTPUT -m state --state ESTABLISHED,RELATED -j ACCEPT"),
    (iptables.parse, IPT_HOST % "-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"),
    (iptables.parse, IPT_HOST % "-A OUTPUT -m conntrack ! --ctstate NEW,INVALID -j ACCEPT"),
    (nftables.parse, NFT_HOST % "ct state established,related accept"),
    (nftables.parse, NFT_HOST % "ct state { established, related } accept"),
    (nftables.parse, NFT_HOST % "ct state vmap { established : accept, related : accept, invalid : drop }"),
])
def test_an_established_accept_lets_the_replies_out(parse, text):
    cfg = parse(text, "fw")
    findings, _flows, _res = smb_findings(cfg)
    assert findings == []


@pytest.mark.parametrize("parse,text", [
    (iptables.parse, IPT_HOST % "-A OUTPUT -m state --state RELATED -j ACCEPT"),
    (iptables.parse, IPT_HOST % "-A OUTPUT -m state --state NEW -j ACCEPT"),
    (iptables.parse, IPT_HOST % "-A OUTPUT -p tcp --syn -j ACCEPT"),
    (nftables.parse, NFT_HOST % "ct state new accept"),
    (nftables.parse, NFT_HOST % "ct state related accept"),
    (nftables.parse, NFT_HOST % "tcp flags & (syn | ack) == syn accept"),
])
def test_accepts_that_never_match_a_reply_do_not_let_it_out(parse, text):
    # a reply is ESTABLISHED (never NEW or RELATED: RELATED packets start related connections,
    # ICMP errors or FTP data) and carries ACK, not a lone SYN
    findings, _flows, _res = smb_findings(parse(text, "fw"))
    assert len(findings) == 1 and "replies" in findings[0].message


ROUTER = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -s 10.30.0.0/24 -d 10.20.0.10/32 -p tcp -m tcp --dport 445 -m conntrack --ctstate NEW -j ACCEPT
%s
COMMIT
"""


def test_forward_new_only_blocks_later_packets_and_replies():
    # the FORWARD accept matches only the first packet: later packets and replies meet the policy
    findings, _flows, _res = smb_findings(iptables.parse(ROUTER % "", "fw"), host=None)
    assert findings and all(f.source.line == 3 for f in findings)
    assert any("after the first" in f.message or "replies" in f.message for f in findings)


def test_forward_established_accept_lets_the_connection_work():
    text = ROUTER % "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"
    findings, _flows, _res = smb_findings(iptables.parse(text, "fw"), host=None)
    assert findings == []
    nft = """table inet filter {
    chain forward {
        type filter hook forward priority filter; policy drop;
        ip saddr 10.30.0.0/24 ip daddr 10.20.0.10 tcp dport 445 ct state new accept
        %s
    }
}
"""
    assert smb_findings(nftables.parse(nft % "", "fw"), host=None)[0]
    assert smb_findings(nftables.parse(nft % "ct state established accept", "fw"), host=None)[0] == []


def test_replies_of_forwarded_traffic_go_through_forward_the_other_way():
    # a FORWARD that drops traffic from the server's side (anti-spoofing written too wide) drops
    # the replies of the Workshop's connections to it
    text = ROUTER.replace("-m conntrack --ctstate NEW ", "") % "-A FORWARD -s 10.20.0.0/16 -j DROP"
    [f] = smb_findings(iptables.parse(text, "fw"), host=None)[0]
    assert f.source.line == 6 and f.example[0] == PRIMARY and f.example[3] == 445


def test_typical_stateful_ruleset_has_no_state_noise():
    # '--ctstate INVALID -j DROP' first and '--ctstate ESTABLISHED,RELATED -j ACCEPT' next are the
    # usual head of a chain: neither shadows the rules after it (they match other packets of a
    # connection), nor is the ESTABLISHED accept an any-to-any permit
    cfg = iptables.parse("""*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -s 10.30.0.0/24 -p tcp -m multiport --dports 139,445 -j ACCEPT
-A OUTPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A OUTPUT -o lo -j ACCEPT
COMMIT
""", "fw")
    states = {r.source.line: r.states for r in cfg.filters["INPUT"].rules}
    assert states[5] == 0 and states[6] == 2 and states[8] == 3
    findings, _flows, res = smb_findings(cfg)
    assert findings == []
    assert not [f for f in res.findings if f.rule_id in ("ACL200", "ACL201", "ACL210")]


def test_explain_and_decisions_are_for_the_first_packet():
    # one packet asked about is the first of its connection: an ESTABLISHED-only accept does not decide it
    from auditor.api import decision_json, make_packet

    cfg = iptables.parse(IPT_HOST % "-A OUTPUT -m state --state ESTABLISHED,RELATED -j ACCEPT", "fw")
    cfg = replace(cfg, local_addresses=None)
    out = decision_json(cfg, make_packet("10.20.0.10", "10.30.0.5", "tcp", 445, 1024), "OUTPUT")
    assert out["decision"] == "deny" and out["line"] == 4

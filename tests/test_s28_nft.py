"""nftables header expressions the model does not read (``ip ttl``, ``ip6 hoplimit``, ``tcp option``) leave
unsure only the packets they can match at all: those of their family and protocol.

nft(8), PAYLOAD EXPRESSION (nftables doc/payload-expression.txt): the IPv4 and ICMP header expressions, "when
using it in inet, bridge or netdev families, [...] will cause an implicit dependency on IPv4 to be created"; the
IPv6 and ICMPv6 ones on IPv6; a transport header expression (TCP, UDP, SCTP, DCCP) on its protocol (nft lists
``tcp option maxseg size 1400`` with no ``meta l4proto tcp``: the dependency is implicit).  So in an inet table,
``ip6 hoplimit 1 drop`` drops no IPv4 packet and ``ip ttl 1 drop`` no IPv6 packet, whatever the value compared.
Before, an IPv4 Workshop flow through such a rule was ``unknown`` ("reaches line 4").

Each expected value is written from that document."""

from __future__ import annotations

from auditor.api import combine_inputs, decision_json, make_packet
from parsers.linux import nftables

HEAD = """table inet filter {
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
"""
TAIL = """\t}
}
"""


def nft(*rules: str):
    return nftables.parse(HEAD + "".join("\t\t%s\n" % r for r in rules) + TAIL, "ruleset.nft")


def forward(cfg, src: str, dst: str, proto: str = "tcp", dport: int = 445) -> tuple:
    """The decision for a packet from ``src`` to ``dst`` through the (router) host: (decision, line)."""
    [fw] = combine_inputs([cfg], None)
    got = decision_json(fw, make_packet(src, dst, proto, 49152, dport))
    return got["decision"], got.get("line")


def test_an_ipv6_hop_limit_test_leaves_ipv4_packets_decided():
    cfg = nft("ip6 hoplimit 1 drop")
    assert forward(cfg, "10.1.0.5", "10.2.0.10") == ("permit", 3)  # (the chain's policy line)
    assert forward(cfg, "2001:db8:1::5", "2001:db8:2::10") == ("unknown", 4)


def test_an_ipv4_ttl_test_leaves_ipv6_packets_decided_and_is_named():
    cfg = nft("ip ttl 1 drop")
    assert forward(cfg, "2001:db8:1::5", "2001:db8:2::10") == ("permit", 3)
    assert forward(cfg, "10.1.0.5", "10.2.0.10") == ("unknown", 4)
    [d] = [d for d in cfg.diagnostics if d.code == "CFG300"]
    assert "'ip ttl'" in d.message  # (the field, not a bare 'ip')


def test_a_tcp_header_field_not_modelled_leaves_udp_decided():
    cfg = nft("tcp option maxseg size 1400 drop")
    assert forward(cfg, "10.1.0.5", "10.2.0.10", "udp", 37002) == ("permit", 3)
    assert forward(cfg, "10.1.0.5", "10.2.0.10", "tcp", 445) == ("unknown", 4)


def test_an_icmpv6_field_not_modelled_leaves_tcp_decided():
    cfg = nft("icmpv6 mtu 1280 drop")
    assert forward(cfg, "2001:db8:1::5", "2001:db8:2::10") == ("permit", 3)
    assert forward(cfg, "10.1.0.5", "10.2.0.10") == ("permit", 3)

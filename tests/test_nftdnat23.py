"""nftables: destination NAT scoped to the packets that reach it, ``numgen`` verdict maps, mark matches
and returns whose outcome is the same either way (sweep 23, kube-proxy in nftables mode).

* A nat chain sees a connection's first packet; "The first packet of a flow is used to look up for a
  matching rule which sets up the NAT binding for this flow" (the nftables wiki, "Performing Network
  Address Translation (NAT)", https://wiki.nftables.org/wiki-nftables/index.php/Performing_Network_Address_Translation_(NAT));
  a translation ends the rules' examination (iptables-extensions(8), DNAT: "rules should cease being
  examined"; nft(8), OVERALL EVALUATION OF THE RULESET: the accept "applies to verdict-like statements that
  imply accept, for example the NAT statements").  So a ``dnat`` changes only what happens to the packets
  that reach it, through the jumps, gotos and verdict maps leading to it: those are unknown (the chains
  after it see the translated packet), the others are decided.  A translated packet met the chains before
  the translation under its first destination: where one of them may drop a packet sent straight to the
  new destination, a direct packet's verdict is not the translated one's, and the dnat could change any
  verdict (reported so).
* ``numgen random mod 2 vmap { 0 : jump mychain1, 1 : jump mychain2 }`` (the nftables wiki, "Load
  balancing", https://wiki.nftables.org/wiki-nftables/index.php/Load_balancing; "Math operations", "Number
  generator": type inc/random, modulus, offset): each packet takes one of the elements.
* a ``return`` whose match is not understood (``meta mark & 0x00004000 == 0x00000000 return``, kube-proxy's
  masquerading chain) goes on at a later rule either way (nft(8), VERDICT STATEMENT: "When the end of CHAIN
  is reached, an implicit return verdict is issued"): where every later rule that may take its packets has
  the action of the base chain's policy, the packet ends so whether it returns or not.
"""

from __future__ import annotations

from test_linux_hunt5 import nft

from auditor.api import audit, combine_inputs, decision_json, make_packet
from auditor.core.model import Impact
from auditor.policy import load_site

ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]

# the shape of kube-proxy's nftables mode (pkg/proxy/nftables): a service's ClusterIP through a verdict map
# on a concatenation, a service chain picking an endpoint chain with numgen, the endpoint's dnat; the
# masquerading chain's masked mark match
KP = """
table ip kube-proxy {
	set cluster-ips {
		type ipv4_addr
		elements = { 10.96.0.1 }
	}
	map service-ips {
		type ipv4_addr . inet_proto . inet_service : verdict
		elements = { 10.96.0.1 . tcp . 443 comment "default/kubernetes:https" : goto service-https }
	}
	chain cluster-ips-check {
		ip daddr @cluster-ips reject
		ip daddr { 10.96.0.0/16 } drop
	}
	chain filter-forward {
		type filter hook forward priority -110; policy accept;
		ct state new jump cluster-ips-check
	}
	chain mark-for-masquerade {
		meta mark set meta mark | 0x00004000
	}
	chain masquerading {
		meta mark & 0x00004000 == 0x00000000 return
		meta mark set meta mark ^ 0x00004000
		masquerade fully-random
	}
	chain nat-output {
		type nat hook output priority -100; policy accept;
		jump services
	}
	chain nat-postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		jump masquerading
	}
	chain nat-prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		jump services
	}
	chain services {
		ip daddr . meta l4proto . th dport vmap @service-ips
	}
	chain service-https {
		ip saddr != 10.244.0.0/16 jump mark-for-masquerade
		numgen random mod 1 vmap { 0 : goto endpoint-https }
	}
	chain endpoint-https {
		ip saddr 172.18.0.2 jump mark-for-masquerade
		meta l4proto tcp dnat to 172.18.0.2:6443
	}
}
"""


def flows(cfg, host: str | None) -> set[str]:
    site = load_site(None, ROLES)
    return {f["status"] for f in audit(combine_inputs([cfg], host, site), site).flows}


def decision(cfg, src: str, dst: str, dport: int, host: str | None = None, proto: str = "tcp") -> str:
    [c] = combine_inputs([cfg], host)
    return decision_json(c, make_packet(src, dst, proto, 1024, dport))["decision"]


def line_of(text: str, needle: str) -> int:
    return next(n for n, x in enumerate(text.strip("\n").split("\n"), 1) if needle in x)


def test_kube_proxy_dnat_leaves_the_packets_that_never_reach_it_decided():
    cfg = nft(KP)
    dn = line_of(KP, "dnat to")
    [d] = [x for x in cfg.unrecognized if x.source.line == dn]
    # (before: "destination NAT (dnat) is not modelled", Impact.GLOBAL: every flow unknown)
    assert d.impact is Impact.FILTER
    assert d.scope == "ip/kube-proxy/nat-output, ip/kube-proxy/nat-prerouting"
    assert not [x for x in cfg.diagnostics if x.impact is Impact.GLOBAL]
    assert flows(cfg, "primary") == {"pass"}
    assert flows(cfg, None) == {"pass"}
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445) == "permit"


def test_a_packet_to_the_service_is_unknown_never_decided():
    cfg = nft(KP)
    # 10.96.0.1:443 meets the dnat (services -> service-https -> numgen -> endpoint-https): translated to
    # 172.18.0.2:6443, which the model does not follow
    assert decision(cfg, "10.1.0.5", "10.96.0.1", 443) == "unknown"
    assert decision(cfg, "10.1.0.5", "10.96.0.1", 443, host="10.96.0.1") == "unknown"
    # another port of the ClusterIP never meets it: the forward chain's reject decides it
    assert decision(cfg, "10.1.0.5", "10.96.0.1", 444) == "deny"
    assert decision(cfg, "10.1.0.5", "10.96.0.1", 443, proto="udp") == "deny"


DNAT_TO_PRIMARY = """
table ip t {
	chain mangle {
		type filter hook prerouting priority mangle; policy accept;
		ip daddr 10.2.0.10 tcp dport 445 drop
	}
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 8445 dnat to 10.2.0.10:445
	}
}
"""


def test_a_dnat_past_an_earlier_drop_of_its_new_destination_could_change_any_verdict():
    # a packet sent to primary:445 is dropped at the mangle priority (-150), but one sent to port 8445 passes
    # it and is then translated to primary:445: a direct packet's verdict is not the translated one's
    cfg = nft(DNAT_TO_PRIMARY)
    [d] = cfg.unrecognized
    assert d.impact is Impact.GLOBAL and "line 4 may drop what it translates to" in d.message
    # without the earlier drop, its reach is all it changes
    cfg = nft(DNAT_TO_PRIMARY.replace("\t\tip daddr 10.2.0.10 tcp dport 445 drop\n", ""))
    [d] = cfg.unrecognized
    assert d.impact is Impact.FILTER
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 8445, host="10.2.0.10") == "unknown"
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445, host="10.2.0.10") == "permit"


def test_a_later_nat_chain_of_the_hook_is_skipped_by_a_translated_packet():
    # once a chain set the translation, the hook's other nat chains are not run: a drop there of the new
    # destination is met by the direct packet only
    text = DNAT_TO_PRIMARY.replace("\t\tip daddr 10.2.0.10 tcp dport 445 drop\n", "") + """
table ip u {
	chain pre2 {
		type nat hook prerouting priority 10; policy accept;
		ip daddr 10.2.0.10 drop
	}
}
"""
    [d] = [x for x in nft(text).unrecognized if "destination NAT" in x.message]
    assert d.impact is Impact.GLOBAL


def test_a_dnat_whose_reach_is_not_known_could_change_any_verdict():
    text = """
table ip t {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 frobnicate
		tcp dport 8445 dnat to 10.2.0.10:445
	}
}
"""
    [d] = [x for x in nft(text).unrecognized if "destination NAT" in x.message]
    assert d.impact is Impact.GLOBAL and "whose verdict is not understood" in d.message


def test_a_redirect_in_output_is_scoped_and_its_reach_unknown():
    text = """
table inet t {
	chain out {
		type nat hook output priority -100; policy accept;
		ip daddr 10.9.9.9 tcp dport 80 redirect to :3128
	}
}
"""
    cfg = nft(text)
    [d] = cfg.unrecognized
    assert d.impact is Impact.FILTER and "redirect to :3128" in d.message
    assert decision(cfg, "10.2.0.10", "10.9.9.9", 80, host="10.2.0.10") == "unknown"
    assert decision(cfg, "10.2.0.10", "10.9.9.8", 80, host="10.2.0.10") == "permit"


def numgen(vmap: str, after: str = "drop") -> str:
    return """
table ip t {
	chain a {
		accept
	}
	chain b {
		%s
	}
	chain input {
		type filter hook input priority 0; policy drop;
		tcp dport 445 %s
		%s
	}
}
""" % (after, vmap, after)


def test_numgen_verdict_map_may_take_any_of_its_chains():
    # (before: "unexpected '}'", the rule unknown for every packet)
    cfg = nft(numgen("numgen random mod 2 vmap { 0 : goto a, 1 : goto b }", after="accept"))
    assert not cfg.unrecognized
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445, host="10.2.0.10") == "permit"
    # the chains differ: either may take the packet
    cfg = nft(numgen("numgen random mod 2 vmap { 0 : goto a, 1 : goto b }"))
    assert not cfg.unrecognized
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445, host="10.2.0.10") == "unknown"
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 22, host="10.2.0.10") == "deny"


def test_numgen_elements_that_cover_every_number_leave_no_packet_to_the_later_rules():
    # 'inc mod 2 offset 5' gives 5 and 6; ranges as keys (the wiki's '0-49 : jump mychain1')
    cfg = nft(numgen("numgen inc mod 2 offset 5 vmap { 5 : goto a, 6 : accept }"))
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445, host="10.2.0.10") == "permit"
    cfg = nft(numgen("numgen random mod 100 vmap { 0-49 : goto a, 50-99 : accept }"))
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445, host="10.2.0.10") == "permit"
    # 2 of 'mod 3' has no element: those packets go on to the drop
    cfg = nft(numgen("numgen random mod 3 vmap { 0 : goto a, 1 : accept }"))
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445, host="10.2.0.10") == "unknown"


def test_masked_mark_match_is_uncertain_with_a_clear_message():
    text = """
table ip t {
	chain input {
		type filter hook input priority 0; policy drop;
		meta mark & 0x00004000 == 0x00000000 accept
	}
}
"""
    cfg = nft(text)
    [d] = cfg.unrecognized
    # (before: "'meta' is not supported; 'mark' is not supported")
    assert "'meta mark & 0x00004000 == 0x00000000': the packet's mark" in d.message
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445, host="10.2.0.10") == "unknown"


def test_a_return_that_ends_as_the_policy_either_way_decides():
    # kube-proxy's masquerading chain, jumped to from nat-postrouting (policy accept): returned, the packet
    # reaches the end (accept); not returned, the masquerade (accept)
    cfg = nft(KP)
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445) == "permit"
    # where a later rule may decide otherwise, it stays unknown
    cfg = nft(KP.replace("\t\tmasquerade fully-random\n", "\t\tdrop\n"))
    assert decision(cfg, "10.1.0.5", "10.2.0.10", 445) == "unknown"

"""Real-config sweep, round 2 (session 23): the rulesets other Linux generators write (NixOS, libvirt,
netavark, Tailscale, OpenWrt fw3, Proxmox VE), each shape reduced to a small synthetic ruleset and
checked against the document cited in its test.

NixOS' nftables firewall (nixpkgs, nixos/modules/services/networking/firewall-nftables.nix) writes one
``table inet nixos-fw`` whose ``output`` chain exists only with ``networking.firewall.filterOutput``
(off by default): a host's ruleset has an input chain (and a forward chain with ``filterForward``), no
output chain.  nf_tables has no built-in chains: "the nftables infrastructure comes with no predefined
chains, so you need to register your base chains in first place" (the nftables wiki, "Configuring
chains", https://wiki.nftables.org/wiki-nftables/index.php/Configuring_chains); a hook without a base
chain is not filtered by nftables ("If a base chain doesn't exist with a hook for input, forward, and
output, packets that would flow through those chains will not be touched by nftables", CIS benchmark,
"Ensure nftables base chains exist").
"""

from __future__ import annotations

from test_linux_hunt5 import SITE4, nft, path_decision

from auditor.api import audit, combine_inputs
from auditor.policy import load_site

# nixos-fw as ``nft list ruleset`` prints it, with networking.firewall.checkReversePath = false,
# allowedTCPPorts = [ 22 80 ] (the rpfilter chain, on by default, is a route lookup: unknown, not fixed here)
NIXOS = """
table inet nixos-fw {
	set temp-ports {
		type inet_proto . inet_service
		flags interval
		auto-merge
		comment "Temporarily opened ports"
	}

	chain rpfilter-allow {
	}

	chain input {
		type filter hook input priority filter; policy drop;
		iifname "lo" accept comment "trusted interfaces"
		ct state vmap { invalid : drop, established : accept, related : accept, new : jump input-allow,
				untracked : jump input-allow }
		tcp flags syn / fin,syn,rst,ack log level info prefix "refused connection: "
	}

	chain input-allow {
		tcp dport { 22, 80 } accept
		meta l4proto . th dport @temp-ports accept
		icmp type echo-request accept comment "allow ping"
		icmpv6 type != { nd-redirect, 139 } accept comment "Accept all ICMPv6 messages except redirects"
		ip6 daddr fe80::/64 udp dport 546 accept comment "DHCPv6 client"
	}
}
"""


def flows(cfg) -> dict[str, str]:
    site = load_site(None, SITE4)
    return {f["flow"]: f["status"] for f in audit(combine_inputs([cfg], "primary", site), site).flows}


def test_host_ruleset_without_an_output_chain_lets_the_replies_out():
    cfg = nft(NIXOS)
    got = flows(cfg)
    # IIS (80/tcp) is accepted by input-allow and its replies meet no base chain (before: unknown, "no path of
    # the input decides the replies")
    assert got["iis:workshop->primary"] == "pass"
    # what the input chain drops stays blocked: 'icmpv6 type != {...}' matches only ICMPv6, never TCP
    assert got["smb:workshop->primary"] == "fail"
    out = path_decision(cfg, "10.1.0.5", "10.2.0.10", dport=445)
    assert out["decision"] == "deny" and out["line"] == 13


def test_a_missing_output_chain_is_not_taken_from_another_hook():
    # an output chain that drops is still the replies' stage: the IIS replies (ESTABLISHED) are dropped
    text = NIXOS.replace("\tchain rpfilter-allow {", "\tchain output {\n\t\ttype filter hook output priority filter; "
                         "policy drop;\n\t}\n\n\tchain rpfilter-allow {")
    assert flows(nft(text))["iis:workshop->primary"] == "fail"


# --- kube-proxy (nftables mode): verdict maps on a concatenation ----------------------------------
#
# kube-proxy's nftables proxier (kubernetes pkg/proxy/nftables/proxier.go) writes 'table ip kube-proxy'
# whose filter chains run 'ip daddr . meta l4proto . th dport vmap @no-endpoint-services', the map's
# elements keyed by a service's address, protocol and port, each with its comment ('10.96.0.10 . tcp . 9153
# comment "kube-system/kube-dns:metrics" : goto reject-chain').  nft(8), "MAPS": a verdict map gives the
# verdict of the element the packet's key is; the nftables wiki, "Concatenations": the key of a concatenation
# is its selectors' values together ("ip saddr . ip daddr . ip protocol"), and "Verdict maps" may use one.
KUBE = """
table ip kube-proxy {
	map no-endpoint-services {
		type ipv4_addr . inet_proto . inet_service : verdict
		comment "vmap to drop or reject packets to services with no endpoints"
		elements = { 10.2.0.10 . tcp . 445 comment "prinergy/smb" : goto reject-chain,
					10.2.0.10 . udp . 53 comment "kube-system/kube-dns:dns" : drop }
	}

	chain filter-input {
		type filter hook input priority -110; policy accept;
		ct state new jump service-endpoints-check
	}

	chain reject-chain {
		reject
	}

	chain service-endpoints-check {
		ip daddr . meta l4proto . th dport vmap @no-endpoint-services
	}
}
"""


def test_verdict_map_on_a_concatenation_decides_its_elements_only():
    cfg = nft(KUBE)
    assert cfg.unrecognized == ()  # (before: "'vmap' on a concatenation is not supported", every packet unknown)
    out = path_decision(cfg, "10.1.0.5", "10.2.0.10", dport=445)
    assert out["decision"] == "deny" and out["line"] == 15  # the reject-chain's reject
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", "udp", 53)["decision"] == "deny"
    # not an element's key (the product of the columns would be: tcp 53, udp 445): on to the policy accept
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", "tcp", 53)["decision"] == "permit"
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", "udp", 445)["decision"] == "permit"
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "permit"

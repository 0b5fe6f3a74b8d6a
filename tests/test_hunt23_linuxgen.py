"""iptables / nftables as other tools generate them on real hosts (firewalld, ufw, Docker, kube-proxy,
fail2ban), hunt 23: each shape reduced to a small synthetic ruleset and checked against the document
cited in its test."""

from __future__ import annotations

from test_linux_hunt5 import nft

from auditor.api import decision_json, make_packet

# --- firewalld (nftables back end, 1.x): the zone dispatch chains -------------------------------
#
# firewalld 1.x writes, for each hook, a *_POLICIES chain that sends an interface's packets to its
# zone and every other packet to the default zone (the shape of the firewalld blog's "zone
# priorities" post, https://firewalld.org/2021/04/zone-priorities: 'iifname "dummy0" jump
# filter_IN_policy_allow-host-ipv6', 'iifname "dummy0" jump filter_IN_internal', 'iifname "dummy0"
# reject with icmpx admin-prohibited', ..., 'jump filter_IN_public', 'reject with icmpx
# admin-prohibited'); with the host's one interface in the default zone both halves are the same.

FIREWALLD = """
table inet firewalld {
	chain mangle_PREROUTING {
		type filter hook prerouting priority mangle + 10; policy accept;
		jump mangle_PREROUTING_POLICIES
	}

	chain mangle_PREROUTING_POLICIES {
		iifname "ens192" jump mangle_PRE_public
		iifname "ens192" return
		jump mangle_PRE_public
		return
	}

	chain mangle_PRE_public {
	}

	chain filter_INPUT {
		type filter hook input priority filter + 10; policy accept;
		ct state { established, related } accept
		ct status dnat accept
		iifname "lo" accept
		ct state invalid drop
		jump filter_INPUT_POLICIES
		reject with icmpx admin-prohibited
	}

	chain filter_OUTPUT {
		type filter hook output priority filter + 10; policy accept;
	}

	chain filter_INPUT_POLICIES {
		iifname "ens192" jump filter_IN_policy_allow-host-ipv6
		iifname "ens192" jump filter_IN_public
		iifname "ens192" reject with icmpx admin-prohibited
		jump filter_IN_policy_allow-host-ipv6
		jump filter_IN_public
		reject with icmpx admin-prohibited
	}

	chain filter_IN_public {
		jump filter_IN_public_deny
		jump filter_IN_public_allow
		meta l4proto { icmp, ipv6-icmp } accept
	}

	chain filter_IN_public_deny {
		ip saddr 10.1.66.0/24 drop
	}

	chain filter_IN_public_allow {
		tcp dport 22 accept
		ip saddr 10.1.0.0/16 accept
	}

	chain filter_IN_policy_allow-host-ipv6 {
		icmpv6 type nd-neighbor-advert accept
		icmpv6 type nd-neighbor-solicit accept
		icmpv6 type nd-router-advert accept
		icmpv6 type nd-redirect accept
	}
}
"""

INPUT = "inet/firewalld/filter_INPUT"


def test_icmpv6_nd_redirect_is_not_a_destination_nat():
    # firewalld's allow-host-ipv6 policy accepts 'icmpv6 type nd-redirect' (an ICMPv6 type, nft(8),
    # "ICMPV6 HEADER EXPRESSION"), not the 'redirect' statement (nft(8), "REDIRECT STATEMENT").  Taken
    # for one, 'ct status dnat accept' was "not modelled" and made every packet of filter_INPUT that
    # it did not accept unknown.
    cfg = nft(FIREWALLD)
    assert not [d for d in cfg.unrecognized if "ct status" in d.message]
    got = decision_json(cfg, make_packet("192.0.2.5", "10.2.0.10", "tcp", 40000, 80), INPUT)
    assert got["decision"] == "deny"
    # a redirect statement is still one
    nat = FIREWALLD.rstrip().rstrip("}") + ("\tchain nat_PRE {\n\t\ttype nat hook prerouting priority dstnat; "
                                            "policy accept;\n\t\ttcp dport 8080 redirect to :80\n\t}\n}\n")
    assert [d for d in nft(nat).unrecognized if "ct status" in d.message]

"""iptables / nftables as other tools generate them on real hosts (firewalld, ufw, Docker, kube-proxy,
fail2ban), hunt 23: each shape reduced to a small synthetic ruleset and checked against the document
cited in its test."""

from __future__ import annotations

from test_linux_hunt5 import SITE4, ipt, nft, path_decision, verdict

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


def test_return_behind_an_interface_before_rules_that_decide_nothing():
    # nft(8), "VERDICT STATEMENT" (https://www.netfilter.org/projects/nftables/manpage.html): "return:
    # Return from the current chain and continue evaluation at the next rule in the last chain".  After
    # 'iifname "ens192" return' the chain only jumps to an empty chain and returns: returned there or
    # not, the packet continues after the jump in mangle_PREROUTING, whose policy accepts it.  The
    # interface not being modelled made every packet "unknown" at that return (and reported the
    # chain as dropping IPv6 neighbour discovery).
    text = FIREWALLD.replace('\t\tiifname "ens192" jump mangle_PRE_public\n', "")
    cfg = nft(text)
    got = path_decision(cfg, "10.1.0.5", "10.2.0.10")
    assert (got["decision"], got["line"]) == ("permit", 51)
    assert not [d for d in cfg.unrecognized if "neighbour" in d.message]
    # a rule below the return that decides some of the packets it may return keeps those unknown, only
    cfg = nft(text.replace("\t\tjump mangle_PRE_public\n\t\treturn\n", "\t\tjump mangle_PRE_public\n"
                           "\t\ttcp dport 445 drop\n\t\treturn\n"))
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "permit"


def test_firewalld_zone_dispatch_behind_the_interface_repeats_the_default_zone():
    # The interface's half ends with 'reject' (nft(8), "VERDICT STATEMENT": reject ends the
    # evaluation), so a packet on ens192 runs that half and leaves; any other packet runs the same
    # rules below it.  Either way the zone's chains decide it; read as uncertain, each allowed service
    # was "unknown" and a source the zone's deny chain drops was "unknown" too.
    cfg = nft(FIREWALLD)
    pkt = make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445)
    got = decision_json(cfg, pkt, INPUT)
    assert (got["decision"], got["line"]) == ("permit", 52)
    got = decision_json(cfg, make_packet("10.1.66.5", "10.2.0.10", "tcp", 40000, 445), INPUT)
    assert (got["decision"], got["line"]) == ("deny", 47)
    got = decision_json(cfg, make_packet("192.0.2.5", "10.2.0.10", "tcp", 40000, 445), INPUT)
    assert (got["decision"], got["line"]) == ("deny", 37)
    assert verdict(cfg, SITE4) == "fail"  # 10.1.66.0/24 is in the workshop and dropped
    ok = nft(FIREWALLD.replace("ip saddr 10.1.66.0/24 drop", "ip saddr 192.0.2.0/24 drop"))
    assert verdict(ok, SITE4) == "pass"


def test_firewalld_interface_in_another_zone_stays_uncertain():
    # the interface's zone is not the default one: which rules decide depends on the interface
    two = FIREWALLD.replace('\t\tiifname "ens192" jump filter_IN_public\n',
                            '\t\tiifname "ens192" jump filter_IN_public_allow\n')
    got = decision_json(nft(two), make_packet("10.1.66.5", "10.2.0.10", "tcp", 40000, 445), INPUT)
    assert got["decision"] == "unknown"
    # a second interface in the default zone: each half repeats the rules below it
    run = ('\t\tiifname "ens192" jump filter_IN_policy_allow-host-ipv6\n\t\tiifname "ens192" jump filter_IN_public\n'
           '\t\tiifname "ens192" reject with icmpx admin-prohibited\n')
    cfg = nft(FIREWALLD.replace(run, run + run.replace("ens192", "ens224")))
    got = decision_json(cfg, make_packet("10.1.66.5", "10.2.0.10", "tcp", 40000, 445), INPUT)
    assert (got["decision"], got["line"]) == ("deny", 50)
    # but not when the second one is in another zone
    cfg = nft(FIREWALLD.replace(run, run + run.replace("ens192", "ens224").replace("IN_public", "IN_public_allow")))
    got = decision_json(cfg, make_packet("10.1.66.5", "10.2.0.10", "tcp", 40000, 445), INPUT)
    assert got["decision"] == "unknown"


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


# --- firewalld (iptables back end): RELATED,ESTABLISHED,DNAT ------------------------------------

FIREWALLD_IPT = """
# Generated by iptables-save v1.8.7 on Mon Jan  8 10:00:00 2024
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:INPUT_ZONES - [0:0]
:IN_public - [0:0]
:IN_public_allow - [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -j INPUT_ZONES
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -j REJECT --reject-with icmp-host-prohibited
-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT
-A INPUT_ZONES -g IN_public
-A IN_public -j IN_public_allow
-A IN_public -p icmp -j ACCEPT
-A IN_public_allow -s 10.1.0.0/16 -p tcp -m tcp --dport 445 -j ACCEPT
COMMIT
"""


def test_firewalld_iptables_dnat_state_accept_without_any_destination_nat():
    # firewalld's iptables back end accepts 'RELATED,ESTABLISHED,DNAT' at the top of INPUT, FORWARD and
    # OUTPUT.  iptables-extensions(8), conntrack (https://ipset.netfilter.org/iptables-extensions.man.html):
    # "DNAT: A virtual state, matching if the original destination differs from the reply source" --
    # only a destination NAT makes it.  With no DNAT, REDIRECT or NETMAP target in the input the accept
    # takes no new connection, and the ports the zone does not open are rejected (they were unknown).
    cfg = ipt(FIREWALLD_IPT)
    got = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 8080), "INPUT")
    assert (got["decision"], got["line"]) == ("deny", 13)
    got = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445), "INPUT")
    assert (got["decision"], got["line"]) == ("permit", 18)
    # with a port forward in the input the connections it translates may be in the DNAT state: their packets,
    # to its new destination (and their replies, from it), are unknown (session 29: only those; a packet to
    # another port was unknown too, though conntrack has translated its connection's tuple to 10.2.0.10:445)
    nat = FIREWALLD_IPT + ("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                           ":POSTROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 8445 -j DNAT --to-destination "
                           "10.2.0.10:%d\nCOMMIT\n")
    got = decision_json(ipt(nat % 8080), make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 8080), "INPUT")
    assert (got["decision"], got["line"]) == ("unknown", 9)
    got = decision_json(ipt(nat % 445), make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 8080), "INPUT")
    assert (got["decision"], got["line"]) == ("deny", 13)
    # and a rule that drops on it stays uncertain (it would let the packet through were it wrong)
    cfg = ipt(FIREWALLD_IPT.replace("-A INPUT -i lo -j ACCEPT", "-A INPUT -m conntrack --ctstate DNAT -j DROP"))
    got = decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 40000, 445), "INPUT")
    assert (got["decision"], got["line"]) == ("unknown", 10)

"""nftables' ``fib ... type`` (the nft form of iptables' ``-m addrtype``), hunt 23.

nft(8), "FIB EXPRESSIONS" (https://manpages.ubuntu.com/manpages/lunar/man8/nft.8.html; the text as
in nftables' doc/primary-expression.txt): ``fib {saddr | daddr | mark | iif | oif} [. ...] {oif |
oifname | type}``, "One of saddr or daddr is mandatory, they are also mutually exclusive", "The iif
and oif tuple keywords are also mutually exclusive"; *type* "returns the address type such as
unicast or multicast" (``nft describe fib_addrtype``: unspec, unicast, local, broadcast, anycast,
multicast, blackhole, unreachable, prohibit, throw, nat, xresolve).  iptables-translate gives it as
the translation of ``addrtype`` (iptables' extensions/libxt_addrtype.txlate: ``-m addrtype
--dst-type LOCAL`` is ``fib daddr type local``, ``! --dst-type ANYCAST,LOCAL`` is ``fib daddr type
!= { local, anycast }``, ``--limit-iface-in`` is ``fib daddr . iif type ...``), and the kernel
commit that added it says "The fib expression is a native nftables alternative to the xtables
addrtype and rp_filter matches" (Linux f6d0cbcf09c5, "netfilter: nf_tables: add fib expression").

IPv4 (net/ipv4/netfilter/nft_fib_ipv4.c, ``nft_fib4_eval_type``): ``inet_dev_addr_type`` /
``inet_addr_type_dev_table``, as addrtype: 0.0.0.0/8 and 255.255.255.255 BROADCAST, 224.0.0.0/4
MULTICAST at every hook, another address the type of its route in the local table (LOCAL for the
host's own: a packet in the input hook is addressed to the host, one in output sent by it).  IPv6
(nft_fib_ipv6.c, ``__nft_fib6_eval_type``) is a route lookup: only the host's own address's LOCAL
is taken as known.  The ``fib saddr . iif oif missing`` lookups (reverse-path filtering) are
another thing and stay uncertain.
"""

from __future__ import annotations

from test_linux_hunt5 import SITE4, nft, path_decision, verdict

from auditor.api import combine_inputs, decision_json, make_packet

HOST = """
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        fib daddr type local accept
    }
    chain output {
        type filter hook output priority filter; policy accept;
    }
}
"""

NOT_LOCAL = """
table ip filter {
    chain input {
        type filter hook input priority filter; policy accept;
        fib daddr type != local drop
        ip saddr 10.3.0.0/16 drop
    }
    chain forward {
        type filter hook forward priority filter; policy accept;
        fib daddr type != local drop
    }
}
"""


def router_decision(cfg, src: str, dst: str, proto: str = "tcp", dport: int = 445) -> dict:
    """The decision through the device (forward), the device being elsewhere."""
    [router] = combine_inputs([cfg], "10.9.9.9")
    return decision_json(router, make_packet(src, dst, proto, 1024, dport))


def test_fib_daddr_local_accept_in_input_decides_a_flow_to_the_host():
    got = path_decision(nft(HOST), "10.1.0.5", "10.2.0.10")
    assert (got["decision"], got["line"]) == ("permit", 4)
    assert verdict(nft(HOST), SITE4) == "pass"
    assert verdict(nft(HOST.replace("type local", "type != local")), SITE4) == "fail"


def test_fib_line_is_understood():
    assert not [d for d in nft(NOT_LOCAL).diagnostics if d.code == "CFG300"]


def test_fib_daddr_not_local_drop_in_input_drops_nothing_addressed_to_the_host():
    cfg = nft(NOT_LOCAL)
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    got = path_decision(cfg, "10.3.0.5", "10.2.0.10")
    assert (got["decision"], got["line"]) == ("deny", 5)
    # (the same rule without '!=' takes every packet addressed to the host)
    got = path_decision(nft(NOT_LOCAL.replace("type != local", "type local")), "10.1.0.5", "10.2.0.10")
    assert (got["decision"], got["line"]) == ("deny", 4)


def test_inet_table_ipv4_flow_is_decided_whatever_the_ipv6_side():
    """An inet table's fib looks at IPv4 packets with the IPv4 lookup only (nft_fib_inet.c dispatches
    on the packet's family): the IPv6 side's uncertainty does not reach an IPv4 flow."""
    cfg = nft(NOT_LOCAL.replace("table ip filter", "table inet filter"))
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"


def test_fib_in_forward_stays_unknown():
    """In the forward hook whether the destination is one of the host's addresses is the host's
    routes' business (the local table), not the ruleset's."""
    cfg = nft(NOT_LOCAL)
    assert router_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    cfg = nft(HOST.replace("hook input", "hook forward"))
    assert router_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


def test_multicast_and_limited_broadcast_are_decided_at_every_hook():
    cfg = nft(NOT_LOCAL)
    # 224.0.0.0/4 is MULTICAST, never LOCAL: the forward hook's '!= local' drops it
    got = router_decision(cfg, "10.1.0.5", "239.1.2.3", "udp", 5000)
    assert (got["decision"], got["line"]) == ("deny", 9)
    text = NOT_LOCAL.replace("fib daddr type != local drop\n    }\n}",
                             "fib daddr type multicast accept\n        drop\n    }\n}")
    assert router_decision(nft(text), "10.1.0.5", "239.1.2.3", "udp", 5000)["decision"] == "permit"
    assert router_decision(nft(text), "10.1.0.5", "255.255.255.255", "udp", 5000)["decision"] == "deny"


def test_a_set_of_types():
    text = """
table ip filter {
    chain forward {
        type filter hook forward priority filter; policy accept;
        fib daddr type { broadcast, multicast } drop
    }
    chain input {
        type filter hook input priority filter; policy drop;
        fib daddr type { local, broadcast } accept
    }
}
"""
    cfg = nft(text)
    assert router_decision(cfg, "10.1.0.5", "239.1.2.3", "udp", 5000)["decision"] == "deny"
    assert router_decision(cfg, "10.1.0.5", "255.255.255.255", "udp", 5000)["decision"] == "deny"
    assert router_decision(cfg, "10.1.0.5", "0.0.0.1", "udp", 5000)["decision"] == "deny"
    # (a unicast destination: whether it is one of the host's networks' broadcast addresses is its routes')
    assert router_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    # '!=' a set: none of them
    neg = text.replace("type { broadcast, multicast } drop", "type != { broadcast, multicast } drop")
    assert router_decision(nft(neg), "10.1.0.5", "239.1.2.3", "udp", 5000)["decision"] == "permit"


def test_interface_limited_form_is_uncertain_except_for_the_address_decided_types():
    """``fib daddr . iif type local`` (``--limit-iface-in``): the type of the address on the packet's
    input interface (``inet_dev_addr_type(net, dev, addr)``: another interface's local route counts as
    none), which the ruleset does not tell."""
    text = HOST.replace("fib daddr type local", "fib daddr . iif type local")
    cfg = nft(text)
    assert not [d for d in cfg.diagnostics if d.code == "CFG300"]
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    mc = NOT_LOCAL.replace("fib daddr type != local drop\n    }\n}", "fib daddr . iif type != local drop\n    }\n}")
    assert router_decision(nft(mc), "10.1.0.5", "239.1.2.3", "udp", 5000)["decision"] == "deny"


def test_regular_chain_jumped_to_from_input_and_forward_is_decided_per_hook():
    text = """
table ip filter {
    chain not_local {
        fib daddr type local return
        drop
    }
    chain input {
        type filter hook input priority filter; policy drop;
        jump not_local
        ip saddr 10.1.0.0/16 accept
    }
    chain forward {
        type filter hook forward priority filter; policy drop;
        jump not_local
        ip saddr 10.1.0.0/16 accept
    }
}
"""
    cfg = nft(text)
    got = path_decision(cfg, "10.1.0.5", "10.2.0.10")
    assert (got["decision"], got["line"]) == ("permit", 9)
    assert router_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


def test_fib_saddr_local_in_output():
    text = """
table ip filter {
    chain output {
        type filter hook output priority filter; policy drop;
        fib saddr type local accept
    }
}
"""
    [host] = combine_inputs([nft(text)], "10.2.0.10")
    got = decision_json(host, make_packet("10.2.0.10", "10.1.0.5", "tcp", 1024, 445))
    assert (got["decision"], got["line"]) == ("permit", 4)


def test_rpfilter_lookup_and_bad_tuples_stay_unknown():
    text = HOST.replace("fib daddr type local accept", "fib saddr . iif oif missing drop\n        accept")
    cfg = nft(text)
    assert any(d.code == "CFG300" for d in cfg.diagnostics)
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    # (the kernel refuses both addresses, and an unknown type name: the line is not understood)
    for bad in ("fib saddr . daddr type local accept", "fib daddr type localhost accept"):
        cfg = nft(HOST.replace("fib daddr type local accept", bad))
        assert any(d.code == "CFG300" for d in cfg.diagnostics)
        assert path_decision(cfg, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


def test_ipv6_only_the_hosts_own_address_is_decided():
    """IPv6's fib type is a route lookup (nft_fib_ipv6.c, ``__nft_fib6_eval_type``: LOCAL for a local
    route, else ANYCAST, BLACKHOLE, PROHIBIT, UNREACHABLE... from the route, the address's class only
    after a plain route): the host's own address is LOCAL in input; a multicast destination in forward
    is left to the host's routes (not addrtype's address-decided MULTICAST)."""
    text = """
table ip6 filter {
    chain input {
        type filter hook input priority filter; policy drop;
        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
        fib daddr type local accept
    }
    chain forward {
        type filter hook forward priority filter; policy accept;
        fib daddr type multicast drop
    }
    chain output {
        type filter hook output priority filter; policy accept;
    }
}
"""
    cfg = nft(text)
    got = path_decision(cfg, "2001:db8:1::5", "2001:db8:2::10")
    assert (got["decision"], got["line"]) == ("permit", 5)
    [router] = combine_inputs([cfg], "2001:db8:9::9")
    got = decision_json(router, make_packet("2001:db8:1::5", "ff05::1:3", "udp", 1024, 5000))
    assert got["decision"] == "unknown"

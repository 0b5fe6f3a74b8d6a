"""Linux red team of session 30, nftables: what the kernel refuses (the whole 'nft -f' input is then not loaded)
and set elements that expire.

Each expected value is written from the source cited at its test (nft(8), the kernel's nf_tables sources and
nftables' src/evaluate.c), not from the tool's output."""

from __future__ import annotations

from auditor.api import combine_inputs, decision_json, make_packet
from parsers.linux import nftables

HOST = "10.20.0.10"


def nft(text: str) -> object:
    return nftables.parse(text, "ruleset.nft")


def decide(cfg, dport: int = 445, src: str = "10.30.0.5") -> str:
    [h] = combine_inputs([cfg], HOST)
    return decision_json(h, make_packet(src, HOST, "tcp", 49152, dport))["decision"]


def messages(cfg) -> list[str]:
    return [d.message for d in cfg.diagnostics if d.code == "CFG300"]


INPUT = """table %s filter {
 chain input {
  type filter hook input priority 0; policy drop;
  ct state established,related accept
  %s
  tcp dport 445 accept
 }
%s
}
"""


# --- 1. refused rules: nothing of the input is loaded ------------------------------------------------------
#
# 'nft -f' applies its input as one transaction ("nft -f ... atomically", nft(8) and the nftables wiki, "Atomic
# rule replacement"): one rule refused, nothing is loaded and the rules in force are the earlier ones.  The
# accept of port 445 below is then no permit.
#
# nftables src/evaluate.c, stmt_evaluate_reject_family: in an ip table "reject with icmpv6" is "conflicting
# protocols specified: ip vs ip6" (and icmp in an ip6 table).


def test_reject_with_icmpv6_in_an_ip_table_refuses_the_whole_input():
    cfg = nft(INPUT % ("ip", "tcp dport 22 reject with icmpv6 type admin-prohibited", ""))
    assert decide(cfg) == "unknown"
    assert decide(cfg, 80) == "unknown"
    assert any("loads nothing of this input" in m for m in messages(cfg))


# nft_reject.c, nft_reject_validate: nft_chain_validate_hooks(ctx->chain, LOCAL_IN | FORWARD | LOCAL_OUT (|
# PRE_ROUTING in later kernels)): a reject in a postrouting chain is -EOPNOTSUPP, whichever kernel.


def test_reject_in_a_postrouting_chain_refuses_the_whole_input():
    post = " chain post {\n  type filter hook postrouting priority 0; policy accept;\n  tcp dport 23 reject\n }"
    cfg = nft(INPUT % ("inet", "", post))
    assert decide(cfg) == "unknown"


# nf_tables_api.c nft_table_validate: every base chain is validated with its rules and, through
# nft_immediate_validate, the chains it jumps or goes to, with the base chain's context: nft_masq.c's
# nft_masq_validate (nft_chain_validate_dependency(ctx->chain, NFT_CHAIN_T_NAT), nft_chain_validate_hooks(...,
# POST_ROUTING)) then sees the filter input chain, and refuses the transaction.


def test_masquerade_in_a_regular_chain_a_filter_chain_jumps_to_refuses_the_whole_input():
    cfg = nft(INPUT % ("inet", "jump m", " chain m {\n  masquerade\n }"))
    assert decide(cfg) == "unknown"
    assert any("masquerade" in m and "chain input, which reaches m" in m for m in messages(cfg))


def test_reject_in_a_chain_a_postrouting_chain_reaches_through_a_verdict_map_refuses_the_input():
    post = (" chain post {\n  type filter hook postrouting priority 0; policy accept;\n"
            "  tcp dport vmap { 23 : jump r }\n }\n chain r {\n  reject\n }")
    assert decide(nft(INPUT % ("inet", "", post))) == "unknown"


def test_nat_in_regular_chains_of_nat_base_chains_is_taken():
    # (kube-proxy's and firewalld's shape: dnat in regular chains reached from type nat prerouting/output)
    nat = (" chain pre {\n  type nat hook prerouting priority dstnat; policy accept;\n  jump svc\n }\n"
           " chain out {\n  type nat hook output priority -100; policy accept;\n  jump svc\n }\n"
           " chain svc {\n  ip daddr 10.96.0.10 tcp dport 53 dnat ip to 10.244.0.5\n }\n"
           " chain post {\n  type nat hook postrouting priority srcnat; policy accept;\n  jump masq\n }\n"
           " chain masq {\n  masquerade\n }")
    cfg = nft(INPUT % ("inet", "", nat))
    assert decide(cfg) == "permit"
    assert not any("loads nothing" in m for m in messages(cfg))


# --- 2. set elements with a timeout expire -----------------------------------------------------------------
#
# nft(8), SETS: "timeout: time an element stays in the set"; ELEMENTS: an element's own "timeout" and
# "expires" options.  A set with a default timeout gives it to every element added without one: the listed
# elements leave the set when they expire, so a permit through it is not the host's for long.


SET = """table inet filter {
 set ok {
  type ipv4_addr
  %s
 }
 chain input {
  type filter hook input priority 0; policy drop;
  ct state established,related accept
  ip saddr @ok tcp dport 445 accept
 }
}
"""


def test_a_set_with_a_default_timeout_is_not_a_lasting_permit():
    cfg = nft(SET % "timeout 1h\n  elements = { 10.30.0.5 }")
    assert decide(cfg) == "unknown"
    assert any("set ok has elements with a timeout" in m for m in messages(cfg))


def test_an_element_with_its_own_timeout_is_not_a_lasting_permit():
    assert decide(nft(SET % "flags interval\n  elements = { 10.30.0.5 timeout 1h expires 59m58s }")) == "unknown"
    text = SET % "elements = { 10.30.0.9 }" + "add element inet filter ok { 10.30.0.5 timeout 30m }\n"
    assert decide(nft(text)) == "unknown"


def test_a_set_without_timeouts_is_still_read():
    assert decide(nft(SET % "elements = { 10.30.0.5 }")) == "permit"


# --- 3. references to what the input does not define ----------------------------------------------------------
#
# nft looks a jump's chain and a set up by name when it evaluates the rule: one the ruleset does not hold is "Could
# not process rule: No such file or directory" (nft(8), VERDICT STATEMENT: "jump CHAIN"; SETS: "@name"), and the
# transaction loads nothing.  The accept of port 445 is then no permit.


def test_a_jump_to_an_undefined_chain_refuses_the_whole_input():
    for rule in ("tcp dport 22 jump nosuch", "tcp dport 22 goto nosuch"):
        cfg = nft(INPUT % ("inet", rule, ""))
        assert decide(cfg) == "unknown", rule


def test_a_set_the_input_does_not_define_refuses_the_whole_input():
    cfg = nft(INPUT % ("inet", "tcp dport 22 ip saddr @nosuch drop", ""))
    assert decide(cfg) == "unknown"


# --- 4. fib lookups in hooks the kernel refuses them in --------------------------------------------------------
#
# nft_fib.c, nft_fib_validate: an oif/oifname result is for "(1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN) |
# (1 << NF_INET_FORWARD)" (older kernels: fewer), an address type looked up with iif likewise, with oif for
# LOCAL_OUT, POST_ROUTING and FORWARD; nft_chain_validate_hooks refuses the others (EOPNOTSUPP): the ruleset is
# not loaded.  firewalld's "fib saddr . mark . iif oif missing drop" is in prerouting, where it is taken.


def test_a_reverse_path_lookup_in_an_output_chain_refuses_the_whole_input():
    out = " chain out {\n  type filter hook output priority 0; policy accept;\n  fib saddr . oif oif missing drop\n }"
    assert decide(nft(INPUT % ("inet", "", out))) == "unknown"


def test_an_address_type_by_oif_in_the_input_chain_refuses_the_whole_input():
    assert decide(nft(INPUT % ("inet", "tcp dport 22 fib daddr . oif type local drop", ""))) == "unknown"


def test_firewalld_reverse_path_filter_in_prerouting_is_taken():
    pre = (" chain pre {\n  type filter hook prerouting priority -110; policy accept;\n"
           "  meta nfproto ipv6 fib saddr . mark . iif oif missing drop\n }")
    assert decide(nft(INPUT % ("inet", "", pre))) == "permit"


def test_reject_with_icmpx_in_an_ip_table_refuses_the_whole_input():
    # (src/evaluate.c, stmt_evaluate_reject_family, NFPROTO_IPV4/IPV6: NFT_REJECT_ICMPX_UNREACH is "abstracted ICMP
    # unreachable not supported"; in an inet table it is taken)
    assert decide(nft(INPUT % ("ip", "tcp dport 22 reject with icmpx type admin-prohibited", ""))) == "unknown"
    assert decide(nft(INPUT % ("inet", "tcp dport 22 reject with icmpx type admin-prohibited", ""))) == "permit"


def test_tcp_reset_on_a_udp_rule_refuses_the_whole_input():
    # (src/evaluate.c, stmt_evaluate_reset: the transport header is udp's, "you cannot use tcp reset with this
    # protocol"; a bare 'reject with tcp reset' takes TCP packets only, and is taken)
    assert decide(nft(INPUT % ("inet", "udp dport 53 reject with tcp reset", ""))) == "unknown"
    assert decide(nft(INPUT % ("inet", "ip saddr 192.0.2.1 reject with tcp reset", ""))) == "permit"

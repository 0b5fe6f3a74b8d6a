"""aerleon differential, session 30: targets and header options the other aerleon tests do not draw.

* ``ipset``: aerleon's iptables with sets (``-m set --match-set NAME src|dst`` and, before the rules, the ``create``
  / ``add`` lines of ``ipset restore``); random policies judged by ``aerleon_shapes.Judge``, and the set semantics
  that aerleon does not write (``nomatch`` exceptions, ``--return-nomatch``, ``netmask``, ``flush``) checked against
  ipset's own documentation;
* ``paloalto`` with its header options ``no-addr-obj`` (addresses written into each rule) and
  ``unique-term-prefixes`` (random policies, with the device part of ``test_panos_aerleon`` around them);
* ``platform`` / ``platform-exclude``: a term aerleon leaves out of the targets it does not name.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path

import aerleon_oracle as O
import aerleon_shapes as S
import pytest
from aerleon_oracle import SETTINGS
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from auditor.api import decision_json, make_packet
from parsers import parse_text

# --- ipset ---------------------------------------------------------------------------------------------------------


@st.composite
def ipset_cases(draw, family: int) -> S.SCase:
    """A policy for aerleon's ``ipset`` target: the iptables shapes (excludes, which ipset writes as the least
    positive match, ICMP types and codes, other protocols, ``next``...), under an INPUT or OUTPUT header with the
    generator's options (``exists`` writes ``create -exist``/``add -exist``)."""
    default = draw(st.sampled_from(["accept", "drop"]))
    opts = [o for o in ("nostate", "noverbose", "exists", "abbreviateterms") if draw(st.integers(0, 2)) == 0]
    header = " ".join([draw(st.sampled_from(["INPUT", "OUTPUT"])), default.upper(), {4: "inet", 6: "inet6"}[family],
                       *opts])
    # (not 'next': the ipset generator writes every term into the built-in chain itself, a 'next' term as '-j
    # RETURN', where RETURN applies the chain's policy, not the next term: as
    # test_iptables_return_in_a_builtin_chain_applies_policy, we answer as the kernel does)
    prof = dataclasses.replace(S.PROFILES[("iptables", family)], actions=("accept", "deny", "reject"))
    ts = draw(S.sterms(family, prof))
    pol, defs = S.to_policy("ipset", header, ts)
    return S.SCase("ipset", family, ts, header, default, pol, defs)


SETS_SEEN = {"n": 0}


def check_ipset(case: S.SCase, data) -> None:
    text = O.render(case)
    cfg = parse_text(text, "aerleon-ipset")  # auto-detection
    assert cfg.vendor == "iptables"
    nd = [d for d in cfg.diagnostics if "neighbour discovery" in d.message]
    assert len(cfg.diagnostics) == len(nd), ([d.message for d in cfg.diagnostics], text)
    SETS_SEEN["n"] += text.count("--match-set")
    judge = S.Judge(case)
    chain = case.header.split()[0]
    for _ in range(O.PACKETS):
        pkt = data.draw(S.packets(case))
        want = judge.decision(pkt)
        ours = decision_json(cfg, S.our_packet(pkt), chain)
        assert ours["decision"] == want, (pkt, ours, text)


@pytest.mark.parametrize("family", [4, 6], ids=["v4", "v6"])
def test_ipset_render_agrees_with_aerleon(family):
    """aerleon's ``ipset`` output was read as 'unsupported command create/add' and "match '-m set' is not
    supported": every packet reaching a term with two or more addresses was unknown."""
    SETS_SEEN["n"] = 0

    @settings(max_examples=15 if family == 4 else 10, **SETTINGS)
    @given(st.data())
    def run(data):
        check_ipset(data.draw(ipset_cases(family)), data)

    run()
    assert SETS_SEEN["n"] >= 10  # (the draws do write sets: not an iptables test under another name)


def decide(text: str, src: str, dst: str = "10.0.0.1", dport: int = 22, chain: str = "INPUT") -> dict:
    return decision_json(parse_text(text, "ipset-s30"), make_packet(src, dst, "tcp", 40000, dport), chain)


def test_ipset_nomatch_entries_are_exceptions():
    """ipset's own example: "ipset create test hash:net; ipset add test 192.168.0/24; ipset add test 192.168.0/30
    nomatch. In this case the IP addresses from 192.168.0/24 except 192.168.0/30 match the elements of the set"
    (netfilter commit 2a7cef2a, "netfilter: ipset: Exceptions support added to hash:*net* types"; ipset(8),
    https://ipset.netfilter.org/ipset.man.html, hash:net: "When adding/deleting/testing entries, if the cidr prefix
    parameter is not specified, then the host prefix value is assumed ... nomatch"), and iptables' ``--return-nomatch``
    reverses it: "a match with an element flagged with nomatch returns true, while a match with a plain element
    returns false" (iptables-extensions(8), set, https://ipset.netfilter.org/iptables-extensions.man.html)."""
    sets = "\n".join(["create test hash:net family inet hashsize 1024 maxelem 65536",
                      "add test 192.168.0.0/24", "add test 192.168.0.0/30 nomatch",
                      "add test 192.168.0.2/32",  # (more specific than the exception: in the set again)
                      ""])
    saved = "# Generated by iptables-save v1.8.7 on Sun Dec  6 10:00:00 2026\n"
    text = sets + saved + "\n".join(["*filter", ":INPUT ACCEPT [0:0]", "-A INPUT -m set --match-set test src -j DROP",
                             "COMMIT", ""])
    cfg = parse_text(text, "ipset-nomatch")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    for src, want in (("192.168.0.1", "permit"), ("192.168.0.2", "deny"), ("192.168.0.3", "permit"),
                      ("192.168.0.4", "deny"), ("192.168.0.255", "deny"), ("192.168.1.1", "permit")):
        got = decision_json(cfg, make_packet(src, "10.0.0.1", "tcp", 40000, 22), "INPUT")
        assert got["decision"] == want, (src, got)
    text = sets + saved + "\n".join(["*filter", ":INPUT ACCEPT [0:0]",
                                     "-A INPUT -m set --match-set test src --return-nomatch -j DROP", "COMMIT", ""])
    for src, want in (("192.168.0.1", "deny"), ("192.168.0.2", "permit"), ("192.168.0.4", "permit"),
                      ("192.168.1.1", "permit")):
        assert decide(text, src)["decision"] == want, src


def test_ipset_script_commands_netmask_flush_and_negation():
    """A script of ``ipset`` and ``iptables`` commands (ipset(8): "n, create SETNAME TYPENAME", "add", "flush
    [SETNAME]: Flush all entries from the specified set", "-!, -exist: Ignore errors when exactly the same set is to
    be created"; hash:ip "netmask: When the optional netmask parameter specified, network addresses will be stored
    in the set instead of IP host addresses"), ``! --match-set`` and a ``src,dst`` flag list on a one-dimension set
    (its first flag is the one used)."""
    text = "\n".join([
        "ipset create -exist blocklist hash:net",
        "ipset add blocklist 203.0.113.0/24",
        "ipset flush blocklist",
        "ipset add blocklist 198.51.100.0/25",
        "ipset create -exist blocklist hash:net",  # (kept as it is, entries too)
        "ipset -N admins hash:ip netmask 24",
        "ipset -A admins 192.0.2.77",
        "iptables -P INPUT DROP",
        "iptables -A INPUT -m set --match-set blocklist src -j DROP",
        "iptables -A INPUT -p tcp --dport 22 -m set --match-set admins src,dst -j ACCEPT",
        "iptables -A INPUT -p tcp --dport 80 -m set ! --match-set blocklist src -j ACCEPT", ""])
    cfg = parse_text(text, "ipset-script")
    assert cfg.vendor == "iptables" and not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    for (src, port), want in ({("198.51.100.5", 80): "deny", ("198.51.100.200", 80): "permit",
                               ("203.0.113.5", 80): "permit",  # (flushed)
                               ("192.0.2.1", 22): "permit", ("192.0.2.254", 22): "permit",  # (the /24 of .77)
                               ("192.0.3.1", 22): "deny"}).items():
        got = decision_json(cfg, make_packet(src, "10.0.0.1", "tcp", 40000, port), "INPUT")
        assert got["decision"] == want, (src, port, got)


@pytest.mark.parametrize("why,lines,rule", [
    ("not in the input", [], "-m set --match-set nosuch src"),
    ("changed by a SET target", ["create knock hash:ip family inet",
                                 "-A INPUT -p tcp --dport 7000 -j SET --add-set knock src"],
     "-m set --match-set knock src"),
    ("another type", ["create svc hash:ip,port family inet", "add svc 192.0.2.1,tcp:443"],
     "-m set --match-set svc src,dst"),
    ("the other family", ["create six hash:net family inet6", "add six 2001:db8::/32"], "-m set --match-set six src"),
    ("counters", ["create c hash:net", "add c 192.0.2.0/24"], "-m set --match-set c src --packets-gt 10"),
    ("deleted from", ["create d hash:net", "add d 192.0.2.0/24", "ipset del d 192.0.2.0/24"],
     "-m set --match-set d src"),
    ("entries that expire", ["create f2b hash:ip timeout 600", "add f2b 192.0.2.1 timeout 420"],
     "-m set --match-set f2b src"),
    ("an entry that expires", ["create t hash:ip", "add t 192.0.2.1 timeout 420"], "-m set --match-set t src"),
    ("an entry not read", ["create e hash:net", "add e 192.0.2.0/24", "add e not-an-address"],
     "-m set --match-set e src"),
])
def test_ipset_what_is_not_read_is_unknown(why, lines, rule):
    """A set whose contents the input does not say is never read as empty nor as everything: the packets that reach
    a rule matching it are unknown (the line is reported), and the rules after it still decide the others."""
    sets = [ln for ln in lines if not ln.startswith("-A")]
    rules = [ln for ln in lines if ln.startswith("-A")]
    text = "\n".join(sets + ["# Generated by iptables-save v1.8.7", "*filter", ":INPUT DROP [0:0]", *rules,
                             "-A INPUT -p tcp --dport 443 %s -j ACCEPT" % rule,
                             "-A INPUT -p tcp --dport 22 -j ACCEPT", "COMMIT", ""])
    cfg = parse_text(text, "ipset-unknown")
    assert any(d.code == "CFG300" for d in cfg.diagnostics), why
    got = decision_json(cfg, make_packet("192.0.2.1", "10.0.0.1", "tcp", 40000, 443), "INPUT")
    assert got["decision"] == "unknown", (why, got)
    got = decision_json(cfg, make_packet("192.0.2.1", "10.0.0.1", "tcp", 40000, 22), "INPUT")
    assert got["decision"] == "permit", (why, got)


# --- PAN-OS header options -----------------------------------------------------------------------------------------

def _panos():
    """``test_panos_shapes`` (tests/panos is not a package: imported by its path)."""
    here = str(Path(__file__).parent / "panos")
    if here not in sys.path:
        sys.path.insert(0, here)
    return importlib.import_module("test_panos_shapes")


@pytest.mark.parametrize("opts", ["no-addr-obj", "addr-obj unique-term-prefixes", "no-addr-obj unique-term-prefixes"])
@pytest.mark.parametrize("family", [4, 6, 0], ids=["v4", "v6", "mixed"])
def test_panos_header_options_agree_with_aerleon(family, opts):
    """aerleon's ``paloalto`` header takes, after the address family, ``addr-obj``/``no-addr-obj`` (with the latter
    each rule lists its addresses itself instead of naming address objects) and ``unique-term-prefixes``
    (aerleon's paloaltofw.py); the shapes of ``test_panos_shapes`` under each."""
    P = _panos()
    P.STRICT["n"] = 0

    @st.composite
    def cases(draw):
        frm = draw(st.sampled_from(["internal", "external"]))
        to = draw(st.sampled_from(["internal", "external"]))
        header = "from-zone %s to-zone %s %s %s" % (frm, to, {4: "inet", 6: "inet6", 0: "mixed"}[family], opts)
        ts = draw(S.sterms(family, S.PROFILES[("paloalto", family)]))
        pol, defs = S.to_policy("paloalto", header, ts)
        return S.SCase("paloalto", family, ts, header, "accept" if frm == to else "drop", pol, defs)

    @settings(max_examples=5, phases=[Phase.explicit, Phase.generate], **SETTINGS)
    @given(st.data())
    def run(data):
        case = data.draw(cases())
        if "no-addr-obj" in opts:
            assert "<entry name=\"S_" not in O.render(case)  # (no address objects)
        P.check(case, data)

    run()
    assert P.STRICT["n"] >= 30


# --- platform / platform-exclude -----------------------------------------------------------------------------------

PLATFORM_TARGETS = {"iptables": ("INPUT DROP inet", "INPUT"), "ipset": ("INPUT DROP inet", "INPUT"),
                    "cisco": ("ORACLE-ACL extended", "ORACLE-ACL"), "ciscoasa": ("ORACLE-ACL", "ORACLE-ACL"),
                    "juniper": ("F inet", "F"), "nftables": ("inet input", None)}


@pytest.mark.parametrize("target", sorted(PLATFORM_TARGETS))
@pytest.mark.parametrize("key,names,kept", [("platform", "self", True), ("platform", "other", False),
                                            ("platform-exclude", "self", False), ("platform-exclude", "other", True)])
def test_platform_terms_are_rendered_only_where_they_apply(target, key, names, kept):
    """A term with ``platform: [X]`` is rendered for target X only, one with ``platform-exclude: [X]`` for every
    target but X (aerleon's policy reference, "platform"/"platform-exclude").  A deny term of 10.0.0.0/16 that is
    rendered denies a packet from 10.0.1.5, one left out lets the accept after it decide."""
    header, fname = PLATFORM_TARGETS[target]
    other = "speedway" if target != "speedway" else "iptables"
    ts = [S.STerm("t0", ["10.0.0.0/16"], None, ["tcp"], None, [(80, 80)], "deny",
                  extras={key: [target if names == "self" else other]}),
          S.STerm("t1", None, None, None, None, None, "accept")]
    pol, defs = S.to_policy(target, header, ts)
    text = O.render(S.SCase(target, 4, ts, header, "drop", pol, defs))
    cfg = parse_text(text, "aerleon-platform")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    if fname is None:
        fname = next(n for n in cfg.filters if n.endswith("/root0"))
    got = decision_json(cfg, make_packet("10.0.1.5", "10.9.9.9", "tcp", 1024, 80), fname)
    assert got["decision"] == ("deny" if kept else "permit"), (got, text)


# --- header fields the model does not read: unknown, never a guess ---------------------------------------------------

UNREAD = [("juniper", "F inet", "F", {"packet-length": "64-1500"}), ("juniper", "F inet", "F", {"ttl": "10"}),
          ("juniper", "F inet", "F", {"fragment-offset": "1-8191"}), ("juniper", "F inet", "F", {"dscp-match": "af11"}),
          ("juniper", "F inet6", "inet6 F", {"hop-limit": "5-10"}),
          ("srxlo", "F inet", "F", {"packet-length": "64-1500"}), ("srxlo", "F inet", "F", {"precedence": "5"}),
          ("iptables", "INPUT DROP inet", "INPUT", {"packet-length": "64-1500"}),
          ("iptables", "INPUT DROP inet", "INPUT", {"fragment-offset": "1-8191"}),
          ("speedway", "INPUT DROP inet", "INPUT", {"packet-length": "64-1500"}),
          ("cisco", "F extended", "F", {"dscp-match": "af11"})]


@pytest.mark.parametrize("target,header,fname,extra", UNREAD,
                         ids=["%s-%s" % (u[0], next(iter(u[3]))) for u in UNREAD])
def test_terms_on_fields_not_modelled_are_unknown(target, header, fname, extra):
    """aerleon's ``packet-length`` (Junos ``packet-length``, iptables ``-m length``), ``fragment-offset`` (Junos
    ``fragment-offset``, iptables ``-m u32 "4&0x1FFF=..."``), ``ttl``, ``hop-limit``, ``dscp``, ``precedence`` and
    ``traffic-type``: fields of a packet the model does not carry.  A deny term of 10.0.0.0/16 with one of them,
    before an accept of everything: a packet from 10.0.1.5 is unknown (the term may or may not match it; the line
    is reported), never the accept after it; one from elsewhere is accepted."""
    six = "inet6" in header
    src, other, dst = ("2001:db8::/48", "2001:db8:9::5", "2001:db8:1::1") if six else \
        ("10.0.0.0/16", "10.9.9.9", "192.168.5.1")
    terms = [{"name": "t0", "source-address": "S", "protocol": ["tcp"], "action": "deny", **extra},
             {"name": "t1", "action": "accept"}]
    pol = {"filename": "s30", "filters": [{"header": {"targets": {target: header}}, "terms": terms}]}
    defs = S.naming.Naming()
    defs.ParseDefinitionsObject({"networks": {"S": {"values": [{"address": src}]}}}, "")
    text = next(iter(O.api.Generate([pol], defs).values()))
    cfg = parse_text(text, "aerleon-unread")
    inside = "2001:db8::5" if six else "10.0.1.5"
    got = decision_json(cfg, make_packet(inside, dst, "tcp", 1024, 80), fname)
    assert got["decision"] == "unknown", (got, text)
    # (reported as a line not understood, or, IOS, named in the rule's reason)
    word = {"dscp-match": "dscp", "packet-length": "length"}.get(next(iter(extra)), "")
    assert any(d.code == "CFG300" for d in cfg.diagnostics) or word and word in got["reason"], (got, text)
    got = decision_json(cfg, make_packet(other, dst, "tcp", 1024, 80), fname)
    assert got["decision"] == "permit", (got, text)


# --- iptables refuses a rule with an option given twice ---------------------------------------------------------

def test_ip6tables_refuses_aerleons_doubled_protocol():
    """aerleon's iptables generator, for an IPv6 term of icmpv6 with an option (here ``sample``) and two
    destinations, writes the second line with '-p ipv6-icmp' twice (it appends the protocol to the term's option
    list, kept from one address to the next).  iptables takes each
    of -s, -d, -p, -i, -o, -j/-g, -f and -c once: "multiple -%c flags not allowed" (iptables' xshared.c,
    ``set_option``), so ip6tables refuses that command: the line is reported and the packets it would match are
    unknown.  We read it as a rule of ICMPv6 to the second destination: a certain ACCEPT."""
    ts = [S.STerm("t0", ["2001:db8:9::/48"], ["2001:db8::/64", "2001:db8:1::/64"], ["icmpv6"], None, None, "accept",
                  options=["sample"])]
    pol, defs = S.to_policy("iptables", "INPUT DROP inet6", ts)
    text = O.render(S.SCase("iptables", 6, ts, "INPUT DROP inet6", "drop", pol, defs))
    assert "-p ipv6-icmp  -p ipv6-icmp" in text
    cfg = parse_text(text, "aerleon-doubled-p")
    assert any("multiple -p flags not allowed" in d.message for d in cfg.diagnostics), [d.message for d in
                                                                                         cfg.diagnostics]
    first = decision_json(cfg, S.our_packet(("2001:db8:9::1", "2001:db8::5", "icmpv6", None, None, "echo-request")),
                          "INPUT")
    assert first["decision"] == "permit", first
    second = decision_json(cfg, S.our_packet(("2001:db8:9::1", "2001:db8:1::5", "icmpv6", None, None,
                                              "echo-request")), "INPUT")
    assert second["decision"] == "unknown", second
    # (the same for a term of two ICMPv6 types with an option: the second line is '... -p ipv6-icmp -m icmp6
    # --icmpv6-type 134 -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT')
    ts = [S.STerm("t0", ["2001:db8::/48"], None, ["icmpv6"], None, None, "accept",
                  icmp_types=["neighbor-solicit", "router-advertisement"], options=["sample"])]
    pol, defs = S.to_policy("iptables", "INPUT DROP inet6", ts)
    text = O.render(S.SCase("iptables", 6, ts, "INPUT DROP inet6", "drop", pol, defs))
    cfg = parse_text(text, "aerleon-doubled-p-types")
    assert any("multiple -p flags not allowed" in d.message for d in cfg.diagnostics), text
    ra, ns = (S.our_packet(("2001:db8::5", "2001:db8:9::1", "icmpv6", None, None, t), 6)
              for t in ("router-advertisement", "neighbor-solicit"))
    assert decision_json(cfg, ra, "INPUT")["decision"] == "permit"  # (the first line: type 134)
    assert decision_json(cfg, ns, "INPUT")["decision"] == "unknown"  # (the refused line: type 135)


@pytest.mark.parametrize("twice", ["-p tcp -d 10.0.0.0/8 -p udp", "-s 10.1.0.0/16 -p tcp -s 10.2.0.0/16",
                                   "-p tcp -j ACCEPT -j DROP", "-i eth0 -p tcp -i eth1", "-p tcp -g X -j DROP",
                                   "-p tcp --dport 80 --dport 443", "-p tcp -m tcp --destination-port 80 --dport 443",
                                   "-p tcp -m multiport --dports 22 --dports 80",
                                   "-p tcp -m multiport --sports 1024:65535 --dports 80",
                                   "-p tcp -m state --state NEW --state ESTABLISHED"])
def test_iptables_restore_of_a_doubled_option_commits_nothing(twice):
    """The same in an iptables-save dump given to iptables-restore: the restore fails and commits nothing, so the rules
    in force are not these and every verdict is unknown.  A doubled option was read as both conditions at once
    (a rule matching nothing, or the last target): a certain PERMIT by the chain's policy for every packet.  The
    options of one match alike: "Only one `--destination-port' allowed" (libxt_tcp), "option \"--state\" can only be
    used once" (libxtables' option parser), and multiport takes one of --sports, --dports and --ports
    (libxt_multiport.c, each option '.excl = F_ANY'); a second '-m NAME' is a match of its own
    (test_a_second_match_takes_the_option)."""
    jump = "" if "-j" in twice or "-g" in twice else " -j DROP"
    text = "\n".join(["# Generated by iptables-save v1.8.7", "*filter", ":INPUT ACCEPT [0:0]", ":X - [0:0]",
                      "-A INPUT %s%s" % (twice, jump), "COMMIT", ""])
    cfg = parse_text(text, "doubled-option")
    assert any(("flags not allowed" in d.message or "only" in d.message) and "commits nothing" in d.message
               for d in cfg.diagnostics), [d.message for d in cfg.diagnostics]
    got = decision_json(cfg, make_packet("10.9.9.9", "10.0.0.1", "tcp", 40000, 80))
    assert got["decision"] == "unknown", got


def test_a_second_match_takes_the_option():
    """``-p tcp --dport 81 -m tcp --sport 1024``: the second '-m tcp' is a match of its own (iptables-save writes
    '-p tcp -m tcp --dport 80'); its option is not a second one of the first match, and both must match."""
    text = "\n".join(["iptables -P INPUT ACCEPT", "iptables -A INPUT -p tcp --dport 81 -m tcp --sport 1024 -j DROP",
                      "iptables -A INPUT -p tcp -m tcp --dport 82 -m tcp --dport 82 -j DROP", ""])
    cfg = parse_text(text, "second-match")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    for sport, dport, want in ((1024, 81, "deny"), (1025, 81, "permit"), (1024, 82, "deny"), (1024, 83, "permit")):
        got = decision_json(cfg, make_packet("10.9.9.9", "10.0.0.1", "tcp", sport, dport), "INPUT")
        assert got["decision"] == want, (sport, dport, got)


def test_ipset_created_after_the_rule_is_unknown():
    """In a script, a rule naming a set that is created only later is refused by iptables ("Set X doesn't exist":
    libxt_set.h, get_set_byname), so its packets are unknown, not matched against the set's later contents."""
    text = "\n".join(["iptables -P INPUT DROP", "iptables -A INPUT -m set --match-set X src -j ACCEPT",
                      "ipset create X hash:net", "ipset add X 10.0.0.0/8",
                      "iptables -A INPUT -p tcp --dport 22 -m set --match-set X src -j ACCEPT", ""])
    cfg = parse_text(text, "ipset-order")
    assert any("created after this rule" in d.message for d in cfg.diagnostics), [d.message for d in cfg.diagnostics]
    got = decision_json(cfg, make_packet("10.1.1.1", "10.2.2.2", "tcp", 40000, 80), "INPUT")
    assert got["decision"] == "unknown", got
    got = decision_json(cfg, make_packet("192.0.2.1", "10.2.2.2", "tcp", 40000, 22), "INPUT")
    assert got["decision"] == "unknown", got  # (line 2 first)


# --- a crash found by the aerleon draws ------------------------------------------------------------------------------

def test_two_returns_on_tcp_flags_in_a_user_chain():
    """aerleon's iptables render of an ``established`` 'next' term (two '-j RETURN' rules on TCP flags, ACK and RST,
    in the term's chain) made the parse fail: "internal error: AttributeError" (the second "may return" rule was
    looked at after the first had been dropped).  A RETURN in a user chain resumes the calling chain at its next
    rule ("If the end of a user-defined chain is reached, or a rule in a user-defined chain with target RETURN is
    matched, ... the packet ... return[s] to the calling chain": iptables(8), TARGETS), so both ways the packet goes
    on to INPUT's next rule."""
    text = "\n".join(["*filter", ":INPUT DROP [0:0]", ":X - [0:0]", "-A INPUT -j X",
                      "-A X -p tcp --tcp-flags ACK ACK -j RETURN", "-A X -p tcp --tcp-flags RST RST -j RETURN",
                      "-A INPUT -s 10.0.0.0/8 -j ACCEPT", "COMMIT", ""])
    cfg = parse_text(text, "two-returns")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    for src, want in (("10.1.1.1", "permit"), ("192.0.2.1", "deny")):
        got = decision_json(cfg, make_packet(src, "10.2.2.2", "tcp", 40000, 80), "INPUT")
        assert got["decision"] == want, (src, got)

"""The shapes that made the Linux parsers quadratic, checked by operation counts or by sizes at which
the old code took minutes (issue 20; never a wall-time assertion), and the iptables word splitter
against the shell's (``shlex``), which it replaces on the hot path."""

from __future__ import annotations

import shlex
import sys

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json, make_packet
from auditor.core import packets
from auditor.core.packets import PacketSet
from parsers.linux import common, iptables, nftables

sys.path.insert(0, str(ROOT / "benchmarks"))
import gen_linux  # noqa: E402


def work(parse, text: str) -> int:
    """The set work a parse does: cubes that the packet-set operations (unions, subtractions,
    intersections) go through, intervals sorted into interval sets, and the overlap tests of the
    cube indexes.  Rebuilding a union per
    rule shows as work growing with the square of the rules."""
    counted = [0]
    start = common.CubeIndex.all_tests
    saved = {}

    def wrap(cls, name, size):
        f = getattr(cls, name)
        saved[(cls, name)] = f

        def counting(self, other, *a, **kw):
            counted[0] += size(self) + size(other)
            return f(self, other, *a, **kw)

        setattr(cls, name, counting)

    for name in ("union", "subtract", "intersect"):
        wrap(PacketSet, name, lambda ps: len(ps.cubes))
    normalise = packets._normalise

    def counting_normalise(intervals):  # every interval set built from a list (unions included)
        intervals = list(intervals)
        counted[0] += len(intervals)
        return normalise(intervals)

    packets._normalise = counting_normalise
    try:
        parse(text, "x")
    finally:
        packets._normalise = normalise
        for (cls, name), f in saved.items():
            setattr(cls, name, f)
    return counted[0] + common.CubeIndex.all_tests - start


def grows_linearly(parse, make, n: int) -> bool:
    """Four times the input does at most five times the work (quadratic: sixteen)."""
    return work(parse, make(4 * n)) <= 5 * work(parse, make(n))


def test_nft_base_chain_timeout_scan_is_linear():
    # A base chain with 'ct timeout set' rules among its rules: each timeout rule's traffic is what
    # the rules before it do not decide.  The scan rebuilt the union of everything decided so far
    # for every rule (4k rules parsed in 2.5 s, 16k in 83 s: n*n/2 cube copies, 128 million at
    # 16k); the earlier rules are now kept in an index by source blocks, and a timeout rule meets
    # only those that overlap its sources: fewer tests than rules.
    assert grows_linearly(nftables.parse, gen_linux.nft_base_chain, 2000)
    cfg = nftables.parse(gen_linux.nft_base_chain(4000), "x")
    assert 70 < len(cfg.timeouts) <= 81 and cfg.timeouts[-1].default
    assert len(cfg.filters["inet/fw/pre"].rules) == 4000 - 80


def test_nft_large_set_is_built_once_from_its_members():
    # A named set of 40,000 addresses (a block list): its members were added one by one, each
    # union re-sorting the whole set (20k members took 50 s; 40k would take minutes).  Now the
    # set is built once from all its members, and once per selector however many rules use it.
    assert grows_linearly(nftables.parse, gen_linux.nft_big_set, 5000)
    text = gen_linux.nft_big_set(40000).replace("\t\tip saddr @blocked drop",
                                                "\t\tip saddr @blocked drop\n\t\tip saddr @blocked tcp dport 22 drop")
    p = nftables.NftParser(text, "x")
    cfg = p.build()
    s = p.tables[("inet", "fw")].sets["blocked"]
    assert list(s.resolved) == [("ip", "saddr")] and len(s.elems) > 39000
    member = s.elems[len(s.elems) // 2][0]
    assert decision_json(cfg, make_packet(member, "10.20.0.10", "tcp", 1, 80), "inet/fw/input")["decision"] == "deny"


def test_iptables_return_chain_is_linear():
    # 'RETURN' removes what it returns from the rest of its chain: the returned packets were a
    # union rebuilt per RETURN and subtracted, whole, from every later rule
    def chain(n: int) -> str:
        rules = ["-A WL -s 10.%d.%d.0/24 -j RETURN" % (k // 256 % 256, k % 256) for k in range(n)]
        rules += ["-A WL -s 10.%d.%d.7/32 -j DROP" % (k // 256 % 256, k % 256) for k in range(n)]
        return "*filter\n:INPUT ACCEPT [0:0]\n:WL - [0:0]\n-A INPUT -j WL\n" + "\n".join(rules) + "\nCOMMIT\n"

    assert grows_linearly(iptables.parse, chain, 1000)
    cfg = iptables.parse(chain(300), "x")
    assert decision_json(cfg, make_packet("10.0.5.7", "10.20.0.10", "tcp", 1, 80), "INPUT")["decision"] == "permit"


def test_iptables_parse_splits_words_without_the_shell_lexer(monkeypatch):
    # half of the iptables parse was shell-style word splitting (shlex, a character at a time);
    # iptables-save lines are split with str.split, quoted ones by regular expressions
    def refuse(*a, **kw):
        raise AssertionError("shlex used")

    monkeypatch.setattr(shlex, "split", refuse)
    cfg = iptables.parse(gen_linux.iptables(2000), "x")
    assert not cfg.unrecognized and len(cfg.filters["INPUT"].rules) > 100


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet="ab -\"'\\\t", max_size=14))
def test_words_split_as_the_shell_does(line):
    try:
        want = shlex.split(line)
    except ValueError:
        want = None
    try:
        got = iptables.words(line)
    except ValueError:
        got = None
    assert got == want

"""Every real Check Point export of the corpus audits without a crash, alone and all together,
and what the parser does not understand in it is listed and counted here, with why.

The files are Batfish's Check Point management snapshots (see tests/fixtures/corpus/PROVENANCE.md):
an access rulebase of three layers (the package "Standard"), its NAT rulebase, and the
show-networks, show-services-tcp and show-service-groups replies of the same management server.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict

from auditor.api import audit, combine_inputs, load_config
from auditor.core.model import Impact
from auditor.policy import load_site
from parsers.checkpoint.document import read
from parsers.checkpoint.objects import Resolver

CORPUS = FIXTURES / "corpus" / "checkpoint"
FILES = sorted(CORPUS.iterdir())
SHARED = Path("/work/shared/corpus/checkpoint")
SITE = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10", "secondary=10.2.0.11"])

# file -> the CFG300s it gets alone: (line, words of the message, impact) and why
EXPECTED = {
    # three layers and no show-package: they are taken as the package's ordered layers, in
    # input order (they are: Batfish's show-package.json of "Standard" lists Network,
    # StandardCustomLayer1, Sharedlayer2); said once, it cannot change a verdict. The implied rules of
    # Global Properties > Firewall (Accept ICMP requests, DNS over UDP/TCP, RIP: on by default) are not in
    # the export: what they may accept through the gateway is unknown, said once (test_checkpoint_implied.py)
    "bf-standard-show-access-rulebase.json": [(4, "no show-package in the input", Impact.FILTER),
                                              (4, "implied rules of Global Properties", Impact.FILTER)],
    # a file without the access rulebase (objects, NAT rules): what the gateway accepts is not in it, said once
    "bf-standard-show-nat-rulebase.json": [(1, "no access rulebase in the input", Impact.GLOBAL)],
    "bf-show-networks.json": [(1, "no access rulebase in the input", Impact.GLOBAL)],
    "bf-show-services-tcp.json": [(1, "no access rulebase in the input", Impact.GLOBAL)],
    "bf-show-service-groups.json": [(1, "no access rulebase in the input", Impact.GLOBAL)],
}


def test_every_corpus_file_is_here_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert {f.name for f in FILES} == set(EXPECTED)
    for f in FILES:
        assert "| checkpoint/%s |" % f.name in prov
        if SHARED.exists():
            assert f.read_bytes() == (SHARED / f.name).read_bytes()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_alone(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "checkpoint"
    result = audit([cfg], SITE)
    assert_corpus_verdict(path, result)
    got = [(d.source.line, d.message, d.impact) for d in cfg.diagnostics]
    want = EXPECTED[path.name]
    assert len(got) == len(want), got
    for (line, msg, impact), (wline, words, wimpact) in zip(got, want, strict=True):
        assert line == wline and words in msg and impact is wimpact
    assert not [d for d in cfg.diagnostics if d.code == "CFG301"]
    doc = read(path.read_text(), str(path))
    assert doc.lines.unaccounted() == []  # every line used, ignored with a reason, or reported
    assert cfg.lines == len(path.read_text().splitlines())


def test_the_rulebase_alone():
    cfg = load_config(str(CORPUS / "bf-standard-show-access-rulebase.json"))
    assert [s.name for s in cfg.paths[0].stages] == ["Network", "StandardCustomLayer1", "Sharedlayer2"]
    net = cfg.filters["Network"].rules
    # rule 1 "Cleanup rule": somehost (10.1.1.1) to Any, Accept; rule 2 "testrule": Any Any Any Accept
    assert [r.source.text.strip() for r in net] == ['"name": "Cleanup rule",', '"name": "testrule",']
    assert all(r.match and not r.maybe for r in net)


def test_all_files_together_are_one_device():
    cfgs = [load_config(str(f)) for f in FILES]
    (merged,) = combine_inputs(cfgs)
    assert merged.vendor == "checkpoint" and merged.path.endswith("bf-standard-show-access-rulebase.json")
    assert merged.lines == sum(c.lines for c in cfgs)
    # together, the parser reports what it reported for each file alone, nothing more (but the missing rulebase,
    # which the rulebase's file brings)
    assert [d.message for d in merged.diagnostics] == [d.message for c in cfgs for d in c.diagnostics
                                                       if "no access rulebase" not in d.message]
    (table,) = merged.nat
    # rule 1: somehost 10.1.1.1 -> test_translated_dest_ip 10.1.1.2 (static); rules 2 and 4: no NAT
    # inside the network (automatic hide rules' "Original"); 3 and 5: hide behind the gateway
    assert [len(r.rewrites) for r in table.rules] == [1, 0, 1, 0, 1]
    assert table.rules[0].rewrites[0].offset == 1
    assert all(s.sees == "sent" for s in merged.paths[0].stages)
    result = audit([merged], SITE)
    assert_corpus_verdict(FILES[0].parent / "(all files together)", result)


def _port_oracle(text: str) -> set[int] | None:
    """Check Point port strings of the corpus, read independently (small sets only)."""
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        return set(range(lo, hi + 1))
    m = re.fullmatch(r"([<>])(\d+)", text)
    if m:
        n = int(m.group(2))
        return set(range(n + 1, 65536)) if m.group(1) == ">" else set(range(0, n))
    return None


def test_every_tcp_service_of_the_corpus_is_exact():
    doc = read((CORPUS / "bf-show-services-tcp.json").read_text(), "s.json")
    r = Resolver(doc.objects, lambda *a, **k: pytest.fail("unexpected report %r" % (a,)))
    n = 0
    for o in doc.objects.values():
        v = r.service(o.uid, o.source)
        (triple,) = v.sure
        assert not v.maybe and triple[0].iv == ((6, 6),)
        want = _port_oracle(o.data["port"])
        got = {p for lo, hi in triple[2].iv for p in range(lo, hi + 1)}
        assert got == want, o.data["port"]
        n += 1
    assert n == 217


def test_service_groups_whose_members_are_not_exported_are_unknown():
    # show-service-groups lists members by uid; 109 of its 218 member references are services of
    # show-services-tcp, 10 are groups, the rest (UDP, ICMP, DCE-RPC ... services) are not in the
    # corpus: a group holding one of those is unknown, reported once per missing member
    docs = [read((CORPUS / n).read_text(), n) for n in ("bf-show-services-tcp.json", "bf-show-service-groups.json")]
    pool = {u: o for d in docs for u, o in d.objects.items()}
    reports = []
    r = Resolver(pool, lambda src, why, impact, scope="": reports.append((src.path, why, impact)))
    kinds = collections.Counter()
    for o in docs[1].objects.values():
        v = r.service(o.uid, o.source)
        kinds["exact" if v.sure and not v.maybe else "unknown"] += 1
    assert kinds == {"exact": 14, "unknown": 40}
    assert len(reports) == 97 and all(i is Impact.FILTER and "is not in the input" in w for _p, w, i in reports)


def test_the_link_local_network_of_the_corpus():
    doc = read((CORPUS / "bf-show-networks.json").read_text(), "n.json")
    (o,) = [o for o in doc.objects.values() if o.name == "IPv6_Link_Local_Hosts"]
    v = Resolver(doc.objects, lambda *a, **k: None).address(o.uid, o.source)
    assert v.refs[0].source.text.strip() == '"subnet6": "fe80::",'

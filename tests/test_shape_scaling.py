"""The benchmark's shapes of every vendor (issue 20): each generated input is one the parser reads
whole, so the shapes benchmark (``benchmarks/run.py --shapes``) times real work, not a parser
skipping lines it does not know.  Small sizes: the benchmark itself measures the scaling."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import shapes  # noqa: E402
from gen_asa import SHAPES  # noqa: E402

from parsers import parse_text  # noqa: E402

CASES = [(v, s, gen) for v, s, _ext, gen in shapes._shapes() if v != "cisco-asa" and s in SHAPES]


@pytest.mark.parametrize(("vendor", "shape", "gen"), CASES, ids=["%s-%s" % (v, s) for v, s, _ in CASES])
def test_every_shape_parses_whole(vendor, shape, gen):
    """No line the parser does not understand, and the rules are there (a shape of 400 rules, or
    of 400 members and 1,000 rules for huge-group)."""
    cfg = parse_text(gen(400), "bench", vendor)
    # (a report scoped to timeouts skips no rule: Junos's generated applications overlap on ports with
    # different timeouts, which the port-based timeout table cannot settle, tests/test_junos_edges.py)
    # (nor a pfSense reply-to report: the generated WAN has a gateway, so pfSense adds reply-to to its pass rules,
    # reported once at the gateway, which skips no rule: tests/pfsense/test_pfsense_leftovers24.py)
    rules_skipped = [d for d in cfg.unrecognized if d.scope != "timeouts" and "reply-to" not in d.message]
    assert not rules_skipped, rules_skipped[:3]
    assert sum(len(f.rules) for f in cfg.filters.values()) >= 300


def test_every_vendor_has_every_shape():
    """The benchmark lists each vendor with all of ``gen_asa``'s shapes."""
    got: dict[str, set[str]] = {}
    for v, s, _ext, _gen in shapes._shapes():
        got.setdefault(v, set()).add(s)
    assert {v for v, ss in got.items() if not set(SHAPES) <= ss} == set()
    assert len(got) == 9


def test_mix_repeats_and_blacklists_as_the_shapes_say():
    """The abstract mix has what each shape is for: deny-heavy's blacklist at the top of the
    first list, duplicates' run of identical rules, huge-group's members, small-acls' lists."""
    from mix import build

    first = build(4000, shape="deny-heavy").acls[0].rules
    assert all(r.action == "deny" for r in first[: len(first) // 4])
    dup = build(4000, shape="duplicates").acls[0].rules
    assert max(sum(1 for _ in g) for _k, g in __import__("itertools").groupby(dup)) >= 200
    assert len(build(4000, shape="huge-group").big) >= 3800
    assert len(build(4000, shape="small-acls").acls) >= 4000 // 70

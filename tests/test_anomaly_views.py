"""A zone firewall's rule that applies to several zone pairs is in each pair's filter (one
source line): what the anomaly check says about it holds for the rule as a whole."""

from auditor.api import audit
from auditor.core.model import Action, Config, Filter, Path, Rule, Source, Stage
from auditor.core.packets import ISet, PacketSet, cube, parse_network
from auditor.policy import load_site

A, B = parse_network("10.1.0.0/16"), parse_network("10.2.0.0/16")


def rule(f, i, action, line, **dims):
    return Rule(f, i, action, PacketSet([cube(**dims)]), Source("fw.cfg", line, "policy %d" % line))


def findings(filters):
    fs = {n: Filter(n, tuple(rs)) for n, rs in filters.items()}
    paths = tuple(Path(None, None, (Stage(n, (n,), Action.DENY, Source("fw.cfg", 1, ""), "deny"),)) for n in fs)
    cfg = Config("fw.cfg", "test", 9, fs, paths)
    return [(f.rule_id, f.source.line) for f in audit([cfg], load_site(None, [])).findings
            if f.rule_id.startswith("ACL2")]


def test_a_rule_shadowed_in_one_pair_but_live_in_another_is_not_reported():
    got = findings({
        "trust->dmz": [rule("trust->dmz", 0, Action.DENY, 2, src=A), rule("trust->dmz", 1, Action.PERMIT, 3, src=A)],
        "trust->untrust": [rule("trust->untrust", 0, Action.PERMIT, 3, src=A)],
    })
    assert ("ACL200", 3) not in got and ("ACL201", 3) not in got


def test_a_rule_shadowed_in_every_pair_is_reported_once():
    got = findings({
        "p1": [rule("p1", 0, Action.DENY, 2, src=A), rule("p1", 1, Action.PERMIT, 3, src=A, dst=B)],
        "p2": [rule("p2", 0, Action.DENY, 2, src=A), rule("p2", 1, Action.PERMIT, 3, src=A, dst=B)],
    })
    assert got.count(("ACL200", 3)) == 1


def test_shadowed_in_one_pair_and_redundant_in_the_other_is_shadowed():
    # (it never matches in either: where it was denied first it is shadowed, whose advice, to move it above
    # the covering lines, is the one to give; session 27: before, 'redundant', which says to remove it)
    got = findings({
        "p1": [rule("p1", 0, Action.DENY, 2, src=A), rule("p1", 1, Action.PERMIT, 3, src=A, proto=ISet.of(6))],
        "p2": [rule("p2", 0, Action.PERMIT, 4, src=A), rule("p2", 1, Action.PERMIT, 3, src=A, proto=ISet.of(6))],
    })
    assert ("ACL200", 3) in got and ("ACL201", 3) not in got and got.count(("ACL200", 3)) == 1


def test_shadowed_in_one_pair_and_redundant_below_in_the_other_is_redundant():
    # (in p2 it matches, and the line after it decides the same: removing it changes nothing, but it is not
    # a line that never matches)
    got = findings({
        "p1": [rule("p1", 0, Action.DENY, 2, src=A), rule("p1", 1, Action.PERMIT, 3, src=A, proto=ISet.of(6))],
        "p2": [rule("p2", 0, Action.PERMIT, 3, src=A, proto=ISet.of(6)), rule("p2", 1, Action.PERMIT, 4, src=A)],
    })
    assert ("ACL201", 3) in got and ("ACL200", 3) not in got

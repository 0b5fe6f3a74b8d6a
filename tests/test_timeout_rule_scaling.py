"""PRN120 with many per-rule timeouts (an SRX policy per application with an ``inactivity-timeout``, a
FortiGate policy's ``session-ttl``): the check runs a stage at most once per permitted part of the
Workshop <-> server traffic, never once per (part, timeout) pair.

The former code ran the whole stage again for every per-rule timeout of another rule, for every
permitted part: 20,000 SRX policies took 80 s of CPU in this one check. These tests count the stage
runs (the operation that was repeated), at sizes where the old count is millions.
"""

from __future__ import annotations

import pytest
from test_idle_timeout import SITE, SRV, TCP, WS, src

import auditor.checks.idle_timeout as idle
from auditor.api import audit
from auditor.core.model import Action, Config, Filter, Interface, Path, Rule, Stage, Timeout
from auditor.core.packets import PROTO_TCP, ISet, PacketSet, cube

N = 3000  # rules, each with its own timeout: the old check ran a stage about N * N times


def _rules(name: str, n: int) -> tuple[Rule, ...]:
    """``n`` rules each permitting Workshop -> server TCP to one port of its own (so each decides a part)."""
    return tuple(Rule(name, i, Action.PERMIT, PacketSet([cube(src=WS, dst=SRV, proto=ISet.of(PROTO_TCP),
                                                             dport=ISet.of(1000 + i))]), src(100 + i, "policy %d" % i))
                 for i in range(n))


def _device(stages: int, n: int) -> Config:
    """A zone-pair filter of ``n`` rules, with a per-rule timeout each (every 500th shorter than a shift),
    after an inbound access list permitting everything when ``stages`` is 2."""
    filters = {"zp": Filter("zp", _rules("zp", n)),
               "ACL": Filter("ACL", (Rule("ACL", 0, Action.PERMIT, PacketSet([cube()]), src(5, "permit ip any any")),))}
    zp = Stage("zp", ("zp",), Action.DENY, src(2), "zone default")
    first = (Stage("in:ws", ("ACL",), Action.DENY, src(1), "acl", stateful=False),) if stages == 2 else ()
    paths = (Path("ws", "srv", first + (zp,)), Path("srv", "ws", (Stage("back", (), Action.DENY, src(3), "d"),)),
             Path("ws", "ws", (), crosses=False), Path("srv", "srv", (), crosses=False))
    timeouts = tuple(Timeout(TCP, 1800 if i % 500 == 0 else 86400, src(100 + i), label="policy %d" % i,
                             rule=("zp", i)) for i in range(n))
    ifaces = (Interface("ws", WS, src(2)), Interface("srv", SRV, src(3)))
    return Config("fw.cfg", "test", 100 + n, filters, paths, interfaces=ifaces, timeouts=timeouts)


@pytest.fixture
def stage_runs(monkeypatch):
    """How many times PRN120 runs a stage."""
    calls = [0]
    real = idle.run_stage

    def counted(*a, **k):
        calls[0] += 1
        return real(*a, **k)

    monkeypatch.setattr(idle, "run_stage", counted)
    return calls


def _prn120_lines(cfg: Config) -> list[int]:
    return sorted(f.source.line for f in audit([cfg], SITE).findings if f.rule_id == "PRN120")


def test_one_stage_without_nat_runs_no_stage_again(stage_runs):
    # the outcome already names the rule that decided all its packets in the only stage
    assert _prn120_lines(_device(1, N)) == [100 + i for i in range(0, N, 500)]
    assert stage_runs[0] == 0


def test_a_later_stage_is_run_once_per_permitted_part(stage_runs):
    # every part is permitted by the access list's one line and then by one zone-pair rule: the zone
    # pair's stage is run once for each part (the old check: once per part and per other rule's timeout)
    n = 600
    assert _prn120_lines(_device(2, n)) == [100 + i for i in range(0, n, 500)]
    assert stage_runs[0] <= n

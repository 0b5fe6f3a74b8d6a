"""Anomaly analysis against brute force on small random rule sets."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import auditor.engine.anomalies as A
from auditor.core.model import Action, Rule, Source
from auditor.core.packets import Cube, ISet, PacketSet
from auditor.engine.anomalies import CONFLICT, REDUNDANT_DOWN, REDUNDANT_UP, SHADOWED, analyse

R = 4
UNIVERSE = list(itertools.product(range(R), repeat=5))
dim = st.tuples(st.integers(0, R - 1), st.integers(0, R - 1)).map(lambda t: ISet.of(min(t), max(t)))
wide = st.one_of(dim, st.just(ISet.of(0, R - 1)))
cubes = st.builds(Cube, wide, wide, wide, wide, wide)
specs = st.lists(st.tuples(st.sampled_from([Action.PERMIT, Action.DENY]), st.lists(cubes, min_size=1, max_size=2)),
                 min_size=1, max_size=7)
# a PAN-OS rule's shape: one cube whose dimensions are several intervals (several sources,
# destinations, services), not one box
gappy = st.lists(st.tuples(st.integers(0, R - 1), st.integers(0, R - 1)), min_size=1, max_size=2).map(
    lambda ts: ISet([(min(t), max(t)) for t in ts]))
gappy_specs = st.lists(st.tuples(st.sampled_from([Action.PERMIT, Action.DENY]),
                                 st.lists(st.one_of(cubes, st.builds(Cube, gappy, gappy, gappy, gappy, gappy)),
                                          min_size=1, max_size=2)),
                       min_size=1, max_size=7)


def build(spec):
    return [Rule("F", i, a, PacketSet(cs), Source("t", i + 1, "r%d" % i)) for i, (a, cs) in enumerate(spec)]


def decide(rules, pkt, default=Action.DENY):
    for r in rules:
        if r.match.contains(pkt):
            return r.action, r
    return default, None


# the default decides what no rule matches; None: nothing does (a user chain's end, where the
# packet goes back to the chain that jumped to it: a third outcome, neither permit nor deny)
DEFAULTS = st.sampled_from([Action.DENY, Action.PERMIT, None])


@settings(max_examples=200, deadline=None)
@given(specs, DEFAULTS)
def test_anomalies_match_brute_force(spec, default):
    _check_against_brute_force(spec, default)


@settings(max_examples=120, deadline=None)
@given(gappy_specs, DEFAULTS)
def test_anomalies_of_rules_that_are_not_boxes_match_brute_force(spec, default):
    _check_against_brute_force(spec, default)


def _check_against_brute_force(spec, default):
    rules = build(spec)
    found = analyse(rules, default)
    kinds = {}
    for a in found:
        kinds.setdefault(a.rule.index, set()).add(a.kind)
    decided = {r.index: [p for p in UNIVERSE if decide(rules, p, default)[1] is r] for r in rules}
    for r in rules:
        k = kinds.get(r.index, set())
        never = not decided[r.index]
        # flagged shadowed (ACL200 or upward-redundant) <=> decides no packet
        assert bool(k & {SHADOWED, REDUNDANT_UP}) == never, (r.index, k)
        if k & {REDUNDANT_UP, REDUNDANT_DOWN}:
            without = [x for x in rules if x is not r]
            for p in UNIVERSE:
                assert decide(rules, p, default)[0] == decide(without, p, default)[0]
    for a in found:
        if a.kind == CONFLICT:
            p, other = a.example, a.others[0]
            assert a.rule.match.contains(p) and other.match.contains(p)
            assert a.rule.action is not other.action
            assert other.index < a.rule.index
        if a.kind in (SHADOWED, REDUNDANT_UP):
            # upward-redundant <=> every packet of the rule is decided earlier the same way
            same = all(decide(rules, p, default)[0] is a.rule.action
                       for p in UNIVERSE if a.rule.match.contains(p))
            assert (a.kind == REDUNDANT_UP) == same, (a.kind, a.rule.index)
            if a.kind == REDUNDANT_UP:
                assert all(o.action is a.rule.action for o in a.others)


@settings(max_examples=150, deadline=None)
@given(specs, DEFAULTS)
def test_downward_redundancy_is_complete(spec, default):
    """A rule that decides packets but whose removal changes nothing is reported."""
    rules = build(spec)
    flagged = {a.rule.index for a in analyse(rules, default) if a.kind in (REDUNDANT_DOWN, REDUNDANT_UP)}
    full = PacketSet([Cube(*(ISet.of(0, (1 << 128) - 1) if d < 2 else ISet.of(0, 255 if d == 2 else 65535)
                             for d in range(5)))])
    for r in rules:
        if r.index == len(rules) - 1 and full.issubset(r.match):
            continue
        without = [x for x in rules if x is not r]
        same = all(decide(rules, p, default)[0] == decide(without, p, default)[0] for p in UNIVERSE)
        in_universe_only = same  # rules live inside the universe, so this is exact
        if in_universe_only and any(decide(rules, p, default)[1] is r for p in UNIVERSE):
            assert r.index in flagged, r.index


def test_multi_rule_cover_is_found():
    rules = build([
        (Action.DENY, [Cube(ISet.of(0, 1), ISet.of(0, 3), ISet.of(0, 3), ISet.of(0, 3), ISet.of(0, 3))]),
        (Action.PERMIT, [Cube(ISet.of(2, 3), ISet.of(0, 3), ISet.of(0, 3), ISet.of(0, 3), ISet.of(0, 3))]),
        (Action.PERMIT, [Cube(ISet.of(1, 2), ISet.of(1, 1), ISet.of(0, 3), ISet.of(0, 3), ISet.of(0, 3))]),
    ])
    found = [a for a in analyse(rules) if a.rule.index == 2]
    assert [a.kind for a in found] == [SHADOWED]
    assert {o.index for o in found[0].others} == {0, 1}


def test_a_rule_that_is_not_one_box_is_covered_only_if_its_corner_is(monkeypatch):
    """A rule of several intervals starts, as a box does, from its low corner: when no earlier
    rule holds the corner, no cover is looked up (any cover holds it); when one does, the
    corner proves nothing, and the cover is found, by one rule or by several."""
    full = ISet.of(0, 3)
    src = lambda s: Cube(s, full, full, full, full)  # noqa: E731
    two = ISet([(0, 0), (2, 2)])  # sources 0 and 2: not one box
    cases = [
        ([(Action.DENY, [src(ISet.of(0, 1))]), (Action.PERMIT, [src(two)])], [CONFLICT], {0}),
        ([(Action.DENY, [src(ISet.of(0, 2))]), (Action.PERMIT, [src(two)])], [SHADOWED], {0}),
        ([(Action.DENY, [src(ISet.of(0))]), (Action.PERMIT, [src(ISet.of(2))]), (Action.PERMIT, [src(two)])],
         [SHADOWED], {0, 1}),
        ([(Action.PERMIT, [src(ISet.of(1, 3))]), (Action.PERMIT, [src(two)])], [], set()),
    ]
    for spec, kinds, others in cases:
        rules = build(spec)
        found = [a for a in analyse(rules) if a.rule is rules[-1] and a.kind != REDUNDANT_DOWN]
        assert [a.kind for a in found] == kinds, spec
        assert {o.index for a in found for o in a.others} == others

    calls = []
    orig = A._single_cover
    monkeypatch.setattr(A, "_single_cover", lambda *a: calls.append(a) or orig(*a))
    # every rule's corner is free (each starts at a source no rule before it has)
    analyse(build([(Action.PERMIT, [src(ISet([(k, k), (3, 3)]))]) for k in range(3)]))
    assert calls == []


def test_cover_by_a_blacklist_names_the_lines_that_cut_into_the_rule():
    """Hosts denied one by one, then a wider permit, cover a rule: a chain of cuts in one
    dimension (``packets.Cuts``).  The covering lines are the ones that decide some of its
    packets: not a repeated host, nor hosts outside it."""
    anyp, port = ISet.of(0, 255), ISet.of(80)
    host = lambda h: Cube(ISet.of(h), anyp, anyp, anyp, anyp)  # noqa: E731  ("deny ip host h any")
    spec = [(Action.DENY, [host(h)]) for h in range(10, 60)]
    spec += [(Action.DENY, [host(20)]), (Action.DENY, [host(200)])]  # a repeat; one outside the rule
    # the rest of the rule's sources, so that no one line covers it
    spec += [(Action.PERMIT, [Cube(ISet([(0, 9), (60, 99)]), ISet.of(5, 9), ISet.of(6), anyp, port)]),
             (Action.DENY, [Cube(ISet.of(0, 99), ISet.of(7), ISet.of(6), anyp, port)])]
    rules = build(spec)
    found = [a for a in analyse(rules) if a.rule is rules[-1]]
    assert [a.kind for a in found] == [SHADOWED]
    assert [o.index for o in found[0].others] == list(range(50)) + [52]


def _gen_text(n=3000, seed=3):
    """A generated ASA config (the benchmark's generator)."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_asa import generate

    return generate(n, seed=seed)


def _gen_jobs(n=3000, seed=3):
    from auditor.checks.anomalies import jobs
    from parsers.cisco_asa import parse

    return jobs(parse(_gen_text(n, seed), "gen.cfg"))


def _flat(results):
    return [[(a.kind, a.rule.source.line, tuple(o.source.line for o in a.others), a.example) for a in r]
            for r in results]


@pytest.mark.parametrize("chunk", [2048, 97])
def test_parallel_analysis_equals_serial(monkeypatch, chunk):
    # with small chunks, the split filter's worker shares them with helpers it forks
    import auditor.engine.anomalies as CA

    jobs = _gen_jobs()
    monkeypatch.setattr(CA, "CHUNK", chunk)
    monkeypatch.setenv("PRINERGY_AUDIT_WORKERS", "2")  # (whatever the machine's load)
    serial = _flat(CA.analyse_filters(jobs, parallel_at=10 ** 9))
    parallel = _flat(CA.analyse_filters(jobs, parallel_at=0))
    assert serial == parallel
    assert sum(len(r) for r in serial) > 0


def test_started_workers_stop_when_another_check_fails(monkeypatch):
    # the anomaly check starts worker processes before the other checks run; a check that
    # fails after that must not leave them behind
    import multiprocessing

    import auditor.checks as checks
    import auditor.engine.anomalies as CA
    from auditor.api import audit
    from auditor.checks.anomalies import CHECK as ANOMALIES
    from parsers.cisco_asa import parse

    cfg = parse(_gen_text(), "gen.cfg")

    def fail(ctx):
        assert multiprocessing.active_children(), "the workers were started before this check ran"
        raise RuntimeError("a check failed")

    boom = checks.Check("boom", (), fail)
    monkeypatch.setattr(CA, "PARALLEL_AT", 0)
    monkeypatch.setenv("PRINERGY_AUDIT_WORKERS", "2")  # (whatever the machine's load)
    monkeypatch.setattr(checks, "checks", lambda: (boom, ANOMALIES))  # boom runs before the anomalies are collected
    try:
        audit([cfg])
    except RuntimeError as e:
        assert "a check failed" in str(e)
    else:
        raise AssertionError("the failing check did not fail the audit")
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("where", ["worker", "helper"])
@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_worker_fails_the_analysis(monkeypatch, how, where):
    # a worker (or a helper it forked) that raises, or dies without sending its results,
    # must not leave the parent waiting: the analysis fails, and no worker is left behind
    import multiprocessing
    import os

    import auditor.engine.anomalies as CA

    jobs = _gen_jobs()
    real = CA.analyse_part
    parent = os.getpid()

    def failing(prep, lo, hi):
        # the workers are the parent's children; helpers are their children
        if (os.getppid() == parent) == (where == "worker"):
            if how == "raises":
                raise ValueError("boom")
            os._exit(3)
        return real(prep, lo, hi)

    monkeypatch.setattr(CA, "analyse_part", failing)
    monkeypatch.setattr(CA, "CHUNK", 97)
    monkeypatch.setenv("PRINERGY_AUDIT_WORKERS", "2")  # (whatever the machine's load)
    with pytest.raises(RuntimeError, match="boom" if how == "raises" else "exit code 3"):
        CA.analyse_filters(jobs, parallel_at=0)
    assert not multiprocessing.active_children()


def test_helpers_stop_when_their_worker_is_stopped():
    # a helper is forked by its worker, not by the parent: when the parent stops the
    # worker, the helper notices at its next task and stops too
    from auditor.engine import workers

    crew = workers.Crew()
    crew.start(_sharing_worker)
    pids = set()
    for _tag, pid in workers.collect([crew]):
        pids.add(pid)
        if len(pids) == 2:  # the worker's and its helper's
            break
    crew.close()
    _assert_gone(pids)


def test_a_helper_exits_when_its_worker_dies_holding_the_queue_lock(tmp_path):
    # the parent stops a worker with a signal, which may come while it holds the lock its
    # queue shares with its helpers (seen once in the test above): the helper, waiting for
    # that lock to flush what it sent, must not wait forever (it holds the output open)
    import time

    from auditor.engine import workers

    crew = workers.Crew()
    crew.start(_locking_worker, str(tmp_path))
    deadline = time.monotonic() + 10
    while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    helpers = {int(p.name) for p in tmp_path.iterdir()}
    assert helpers, "the helper never ran"
    crew.close()
    _assert_gone(helpers)


_KILLED_HELPER = """
import os, signal, struct, sys, time
from auditor.engine import workers

def worker(out):
    me = os.getpid()

    def task(n):
        if os.getpid() != me:  # the helper, at its first task: killed halfway through a send
            out.queue._wlock.acquire()  # (multiprocessing's own lock, as a send takes it)
            os.write(out.queue._writer.fileno(), struct.pack("!i", 1000) + b"x" * 10)
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.01)
        return ("n", n)

    workers.share(out, 100, 1, task)

crew = workers.Crew()
crew.start(worker)
try:
    for _msg in workers.collect([crew]):
        pass
except RuntimeError as e:
    print("failed:", e)
finally:
    crew.close()
"""


def _run_bounded(script: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a Python script run in its own process group, which
    is killed, failing the test, if it has not ended within 60 s (a hang)."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=dict(os.environ, PYTHONPATH=str(root)))
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("it hung") from None
    return proc.returncode, out, err


def test_a_helper_killed_halfway_through_a_message_fails_the_analysis():
    # a helper killed (by the out-of-memory killer, say) while it holds the queue's lock and
    # has written half a message: its worker must not wait for the lock, nor the parent for
    # the rest of the message; the analysis fails with a clear error instead of hanging
    _code, out, err = _run_bounded(_KILLED_HELPER)
    assert "failed: a worker stopped (exit code 70)" in out
    assert "a helper process was killed by signal 9" in err
    assert "Traceback" not in err


_KILLED_HOLDING_THE_COUNTER = """
import multiprocessing, os, signal, time
from auditor.engine import workers

lock = multiprocessing.get_context("fork").Lock()
pid = os.fork()
if pid == 0:  # a helper killed while it holds the task counter's lock
    lock.acquire()
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(0.2)
workers._take(lock, {pid}, [], every=0.05)
print("took the lock")
"""


def test_a_worker_does_not_wait_for_a_lock_its_killed_helper_held():
    code, out, err = _run_bounded(_KILLED_HOLDING_THE_COUNTER)
    assert code == 70 and "took the lock" not in out
    assert "a helper process was killed by signal 9" in err


def _assert_gone(pids: set) -> None:
    """The processes end within 10 s (those that do not are killed, so that a failing test
    does not leave them holding the test run's output open)."""
    import os
    import signal
    import time

    deadline = time.monotonic() + 10
    while pids and time.monotonic() < deadline:
        pids = {p for p in pids if _running(p)}
        time.sleep(0.05)
    for p in pids:
        os.kill(p, signal.SIGKILL)
    assert not pids, "a helper outlived its worker"


def _locking_worker(out, where):
    import os
    import time

    from auditor.engine import workers

    me = os.getpid()

    def task(n):
        if os.getpid() == me:
            out.queue._wlock.acquire()  # (multiprocessing's own lock: held as a send would)
            time.sleep(60)
        else:
            open(os.path.join(where, str(os.getpid())), "w").close()
            time.sleep(0.01)
        return ("pid", os.getpid())

    workers.share(out, 10 ** 6, 1, task)


def _sharing_worker(out):
    import os
    import time

    from auditor.engine import workers

    def task(n):
        time.sleep(0.05)
        return ("pid", os.getpid())

    workers.share(out, 10 ** 6, 1, task)


def _running(pid: int) -> bool:
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False



def _summary(found):
    return [(a.kind, a.rule.index, [o.index for o in a.others], a.example) for a in found]


def _random_rules(rng, n: int) -> list[Rule]:
    def dim():
        if rng.random() < 0.4:
            return ISet.of(0, R - 1)
        a, b = rng.randrange(R), rng.randrange(R)
        return ISet.of(min(a, b), max(a, b))

    def cube():
        return Cube(*(dim() for _ in range(5)))

    return [Rule("F", i, rng.choice([Action.PERMIT, Action.DENY]),
                 PacketSet([cube() for _ in range(rng.randrange(1, 3))]), Source("t", i + 1, "r%d" % i),
                 maybe=PacketSet([cube()] if rng.random() < 0.4 else []))
            for i in range(n)]


@pytest.mark.parametrize("budget", [0, 1, 6])
def test_asking_later_rules_one_by_one_finds_what_following_finds(budget):
    """Once what is left of a rule is cut into more than ``_BUDGET`` intervals, each later rule
    is asked on its own (issue 20: a deny after a blacklist of hosts and host-port pairs was cut
    into thousands of pieces); the answers (redundant or not, the deciding rules) and the
    anomalies (kinds, lines, examples) are the same as following it to the end, with rules
    that may match (``maybe``) too.  (Seeded random rule lists: hypothesis's small examples
    seldom reach the asking with a ``maybe`` rule in the way.)"""
    import random

    import auditor.engine.anomalies as CA

    rng = random.Random(20)
    for _ in range(1500):
        rules = _random_rules(rng, rng.randrange(2, 10))
        default = rng.choice([Action.PERMIT, Action.DENY])
        prep = CA.prepare(rules, default)

        def follow_all(prep=prep):  # each certain rule followed (without the cheap witnesses first)
            return [CA._follow(prep, i, prep.idx.cubes[i], prep.idx.rule_lists(i))
                    for i, r in enumerate(prep.live) if prep.idx.cubes[i] and not r.maybe]

        followed, found = follow_all(), _summary(analyse(rules, default))
        saved = CA._BUDGET
        CA._BUDGET = budget
        try:
            assert follow_all() == followed
            assert _summary(analyse(rules, default)) == found
        finally:
            CA._BUDGET = saved


@pytest.mark.parametrize("pieces", [0, 1, 4])
def test_the_cover_of_a_covered_rule_asked_rule_by_rule_is_the_cover_cut_out(pieces):
    """Where the rules before a point are known to cover a rule (an earlier rule holds it all), the
    rules that cut into it are found by cutting until what is left is in more than ``_PIECES``
    cubes, then by asking each later rule on its own (a deny-all after zone rules of several
    blocks and ports: hundreds of pieces); the same rules, in order, as ``_uncovered`` cuts out,
    and the same anomalies.  (Seeded random rule lists, with rules that may match.)"""
    import random

    import auditor.engine.anomalies as CA

    rng = random.Random(26)
    for _ in range(1500):
        rules = _random_rules(rng, rng.randrange(2, 10))
        default = rng.choice([Action.PERMIT, Action.DENY])
        prep = CA.prepare(rules, default)
        covers = {}
        for i, r in enumerate(prep.live):
            for stop in range(i + 1) if r.match else ():
                witness, cover = CA._uncovered(prep.idx, prep.live, r.match, 0, stop)
                if witness is None:
                    covers[i, stop] = cover
        found = _summary(analyse(rules, default))
        saved = CA._PIECES
        CA._PIECES = pieces
        try:
            for (i, stop), cover in covers.items():
                assert CA._cover(prep.idx, prep.live, prep.live[i].match, stop) == cover
            assert _summary(analyse(rules, default)) == found
        finally:
            CA._PIECES = saved


def test_workers_only_on_free_cores_and_within_the_memory_bound(monkeypatch):
    """Issue 20: on a busy machine workers only share the same cores with other processes,
    and each copies memory; they are used on the cores free now (the affinity less the tasks
    running now), never past the memory bound, and as many as ``PRINERGY_AUDIT_WORKERS`` says."""
    import os

    from auditor.engine import workers

    monkeypatch.delenv("PRINERGY_AUDIT_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    busy_now = workers._busy
    for load, n in ((0.0, 4), (0.4, 4), (1.6, 2), (3.2, 1), (7.5, 1)):
        monkeypatch.setattr(workers, "_busy", lambda load=load: load)
        assert workers.cores() == n, load
    # the running tasks now: the kernel's count less this process; without it, the load average
    import builtins
    import io

    real_open = builtins.open
    for text, busy in (("0.98 1.20 1.31 1/123 4567\n", 0), ("0.10 0.2 0.3 3/123 4567\n", 2)):
        monkeypatch.setattr(builtins, "open", lambda p, *a, text=text, **k: io.StringIO(text)
                            if p == "/proc/loadavg" else real_open(p, *a, **k))
        assert busy_now() == busy
    monkeypatch.setattr(builtins, "open", lambda p, *a, **k: (_ for _ in ()).throw(OSError(2, "absent"))
                        if p == "/proc/loadavg" else real_open(p, *a, **k))
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 1.0, 1.0))
    assert busy_now() == 1.5
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setenv("PRINERGY_AUDIT_WORKERS", "3")
    assert workers.cores() == 3
    monkeypatch.setenv("PRINERGY_AUDIT_WORKERS", "1")
    assert workers.cores() == 1
    assert workers.fits(2)  # (this test process is small)
    monkeypatch.setenv("PRINERGY_AUDIT_MEMORY_MB", "1")
    assert not workers.fits(1)
    jobs = _gen_jobs()
    monkeypatch.setenv("PRINERGY_AUDIT_WORKERS", "2")
    from auditor.engine.anomalies import Analysis

    an = Analysis(jobs, parallel_at=0)
    try:
        assert not an.crews and an.serial == list(range(len(jobs)))  # over the bound: in this process
    finally:
        an.close()


def test_a_redundant_rule_names_its_first_deciders_and_says_there_are_more(monkeypatch):
    """A deny to one host after a blacklist of hosts, with the same deny again further down and
    the blacklist repeated after it: without the first deny, thousands of later lines would each
    decide a sliver of its packets.  The engine names the first ``LISTED`` of them and says
    there are more (asking each of the others was the whole cost of such a rule: issue 20)."""
    import auditor.engine.anomalies as CA
    from auditor.checks.anomalies import _lines

    lines = ["access-list OUT extended deny ip host 198.51.%d.%d any" % (k // 250, k % 250 + 1) for k in range(300)]
    lines += ["access-list OUT extended deny ip any host 10.1.1.1"]
    lines += ["access-list OUT extended deny ip host 203.0.%d.%d any" % (k // 250, k % 250 + 1) for k in range(100)]
    lines += ["access-list OUT extended deny ip any 10.1.1.0 255.255.255.0",
              "access-list OUT extended permit tcp any any eq https"]
    from parsers.cisco_asa import parse

    cfg = parse("\n".join(lines) + "\naccess-group OUT in interface outside\n", "t.cfg")
    rules = cfg.filters["OUT"].rules
    # followed to the end (what is left of it stays in few pieces): every decider is named
    whole = [a for a in analyse(rules, Action.DENY) if a.rule.source.line == 301]
    assert not whole[0].more and [o.source.line for o in whole[0].others] == list(range(302, 403))
    # asked one by one (what is left cut into more than _BUDGET pieces, as after a long blacklist)
    monkeypatch.setattr(CA, "_BUDGET", 4)
    found = [a for a in analyse(rules, Action.DENY) if a.rule.source.line == 301]
    assert [a.kind for a in found] == [CA.REDUNDANT_DOWN]
    a = found[0]
    # the 100 later blacklist lines each decide its packets from their host; line 402 the rest
    assert a.more and len(a.others) >= CA.LISTED
    assert [o.source.line for o in a.others] == list(range(302, 302 + len(a.others)))
    assert _lines(a.others, a.more) == "302, 303, 304, 305, 306 and more"


def test_a_broad_permit_that_an_earlier_rule_decides_is_not_acl210():
    # 'permit ip any any' after 'deny ip any any' never applies: ACL200 says so, ACL210 (overly broad) would
    # warn of a permit that opens nothing; the same permit without the deny is one; a permit of later packets
    # only (ct state established) before an ACCEPT policy decides the first packets of nothing
    from auditor.api import audit
    from auditor.policy import load_site
    from parsers import cisco_asa
    from parsers.linux import nftables

    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    head = ("ASA Version 9.12(4)\ninterface g0\n nameif inside\n security-level 100\n"
            " ip address 10.30.0.1 255.255.255.0\n")

    def rules_of(cfg, rule_id):
        return sorted(f.source.line for f in audit([cfg], site).findings if f.rule_id == rule_id)

    cfg = cisco_asa.parse(head + "access-list A extended deny ip any any\naccess-list A extended permit ip any any\n"
                          "access-group A in interface inside\n", "a.cfg")
    assert rules_of(cfg, "ACL210") == [] and rules_of(cfg, "ACL200") == [7]
    cfg = cisco_asa.parse(head + "access-list A extended permit ip any any\naccess-group A in interface inside\n",
                          "a.cfg")
    assert rules_of(cfg, "ACL210") == [6]
    # covered by two earlier rules together (each half of the servers' /24): shadowed, not broad
    cfg = cisco_asa.parse(head + "access-list A extended deny tcp any 10.20.0.0 255.255.255.128\n"
                          "access-list A extended deny tcp any 10.20.0.128 255.255.255.128\n"
                          "access-list A extended permit tcp any 10.20.0.0 255.255.255.0\n"
                          "access-group A in interface inside\n", "a.cfg")
    assert rules_of(cfg, "ACL210") == [] and rules_of(cfg, "ACL200") == [8]
    text = ("table inet f {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
            "  ct state established,related accept\n }\n}\n")
    assert rules_of(nftables.parse(text, "f.nft"), "ACL210") == [3]
    text = text.replace("  ct state established,related accept\n", "  ct state established,related accept\n"
                        "  reject with icmpx admin-prohibited\n")
    assert rules_of(nftables.parse(text, "f.nft"), "ACL210") == []


def test_an_explicit_cleanup_of_one_address_family_at_the_end_is_not_redundant():
    # 'deny ip any4 any4' last restates the implicit deny for IPv4 on purpose (the ASA's own "any4"
    # keyword, Cisco ASA command reference, access-list extended): as 'deny ip any any' last, not ACL201
    from auditor.core.packets import ALL_V4, ALL_V6, cube

    v4, v6 = cube(src=ALL_V4, dst=ALL_V4), cube(src=ALL_V6, dst=ALL_V6)
    web = cube(src=ALL_V4, dst=ALL_V4, proto=ISet.of(6), dport=ISet.of(80))
    for last in (v4, v6):
        rules = build([(Action.PERMIT, [web]), (Action.DENY, [last])])
        assert [a.kind for a in analyse(rules, Action.DENY, conflicts=False)] == []
    # not when it is not last: a later rule follows it
    rules = build([(Action.DENY, [v4]), (Action.PERMIT, [web])])
    assert [a.kind for a in analyse(rules, Action.DENY, conflicts=False)] == [SHADOWED]

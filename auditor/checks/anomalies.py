"""ACL200-ACL210: shadowed, redundant, conflicting and overly broad rules, per filter."""

from __future__ import annotations

import multiprocessing
import os
from typing import Iterable, Iterator

from auditor.anomalies import (CONFLICT, REDUNDANT_DOWN, REDUNDANT_UP, SHADOWED, Anomaly, analyse, analyse_part,
                               live_rules, prepare)
from auditor.checks import RuleInfo
from auditor.findings import Finding
from auditor.model import Action, Filter
from auditor.packets import (ALL_PORTS, ALL_PROTO, ALL_V4, ALL_V6, PROTO_TCP, PROTO_UDP, V4_BASE, V4_MAX, ISet,
                             PacketSet)

RULES = {
    "ACL200": RuleInfo(
        "ACL200", "shadowed-rule", "warning",
        "The rule can never match: earlier rules (one or several together) cover it and decide otherwise.",
        "A shadowed permit is a permit that does nothing; when Prinergy needs it, its traffic is dropped by "
        "the covering lines, which is the classic cause of \"I opened the port but it is still blocked\".",
        "Move the rule above the covering lines, or narrow the covering lines; remove it if it is obsolete.",
    ),
    "ACL201": RuleInfo(
        "ACL201", "redundant-rule", "warning",
        "Removing the rule changes no packet's decision.",
        "Redundant lines make a rule base harder to review: the next change to the lines that make them "
        "redundant silently changes what Prinergy traffic is allowed.",
        "Remove the rule, or merge it with the lines named in the finding.",
    ),
    "ACL202": RuleInfo(
        "ACL202", "conflicting-rule", "info",
        "The rule partly overlaps an earlier rule of the other action.",
        "Overlaps between permits and denies are sometimes intended (an exception before a general rule), "
        "but they are where reviews go wrong; the example packet is decided by the earlier line.",
        "Check that the earlier line is meant to decide the example packet; split the rules if not.",
    ),
    "ACL210": RuleInfo(
        "ACL210", "overly-broad-permit", "warning",
        "An any-to-any permit, or a permit from any source to a Prinergy server on all ports.",
        "Prinergy is \"not designed to be exposed directly to the internet or an unsafe network\"; broad "
        "permits open more than the Kodak port list needs.",
        "Permit the Kodak ports from the site's roles only (see 'prinergy-audit policies show').",
    ),
}

MAX_NAMED = 5


def _lines(rules) -> str:
    ls = sorted({r.source.line for r in rules})
    text = ", ".join(str(x) for x in ls[:MAX_NAMED])
    return text + (" and %d more" % (len(ls) - MAX_NAMED) if len(ls) > MAX_NAMED else "")


def filter_default(cfg, f: Filter) -> Action:
    """The decision for packets that match no rule of ``f`` when it is a stage's last filter."""
    for path in cfg.paths:
        for st in path.stages:
            if st.filters and st.filters[-1] == f.name:
                return st.default
    return Action.DENY


def start(ctx) -> "_Started":
    """Start the analysis now (in worker processes for large inputs, which go on while the
    other checks run); iterating the result waits for it and yields the findings."""
    servers = ctx.server_addresses()
    flows = PacketSet([c for fl in ctx.flows for c in fl.packets.cubes])
    jobs = [(f, filter_default(cfg, f)) for cfg in ctx.configs for f in cfg.filters.values()
            # derived filters (e.g. mirrored reply rules) restate another filter
            if f.rules and f.kind != "derived"]
    return _Started(_Analysis(jobs), servers, flows)


def run(ctx) -> Iterable[Finding]:
    started = start(ctx)
    try:
        yield from started
    finally:
        started.close()


class _Started:
    """The anomaly check under way: iterate it for its findings (waits for the workers);
    ``close()`` stops the workers if the audit ends without iterating it."""

    def __init__(self, analysis: "_Analysis", servers: ISet, flows: PacketSet):
        self.analysis, self.servers, self.flows = analysis, servers, flows

    def __iter__(self) -> Iterator[Finding]:
        jobs = self.analysis.jobs
        try:
            # the parent's own share, while the workers run: the broad-permit check, and
            # turning each part of the results into findings as soon as it arrives
            broad = [list(_broad(f, self.servers)) for f, _d in jobs]
            found = self.analysis.results(lambda k, anomalies: list(_findings(jobs[k][0], anomalies, self.flows)))
        finally:
            self.close()
        for b, fs in zip(broad, found):
            yield from b
            yield from fs

    def close(self) -> None:
        self.analysis.close()


def _findings(f: Filter, anomalies: Iterable[Anomaly], flows: PacketSet) -> Iterator[Finding]:
    for a in anomalies:
        r = a.rule
        if a.kind == SHADOWED:
            sev = "warning"
            if r.action is Action.PERMIT and flows and r.match.overlaps(flows):
                needed = r.match.intersect(flows)
                denied = PacketSet([c for o in a.others if o.action is Action.DENY for c in o.match.cubes])
                if needed.overlaps(denied):
                    sev = "error"
            yield Finding("ACL200", sev, "rule never matches: covered by line%s %s" % (
                "s" if len(a.others) > 1 else "", _lines(a.others)), r.source, key=f.name,
                example=a.example, related=tuple(o.source for o in a.others[:MAX_NAMED]),
                extra={"filter": f.name, "kind": a.kind})
        elif a.kind in (REDUNDANT_UP, REDUNDANT_DOWN):
            if a.kind == REDUNDANT_UP:
                msg = "redundant: earlier line%s %s already %s everything it matches" % (
                    "s" if len(a.others) > 1 else "", _lines(a.others), _verb(r.action, len(a.others)))
            elif a.others:
                msg = "redundant: without it, line%s %s %s the same packets the same way" % (
                    "s" if len(a.others) > 1 else "", _lines(a.others), "decide" if len(a.others) > 1 else "decides")
            else:
                msg = "redundant: without it, the filter's default decides the same packets the same way"
            yield Finding("ACL201", "warning", msg, r.source, key=f.name, example=a.example,
                          related=tuple(o.source for o in a.others[:MAX_NAMED]),
                          extra={"filter": f.name, "kind": a.kind})
        elif a.kind == CONFLICT:
            o = a.others[0]
            yield Finding("ACL202", "info", "overlaps line %d, which %s part of what this rule %s" % (
                o.source.line, _verb(o.action, 1), _verb(r.action, 1)), r.source, key=f.name, example=a.example,
                related=(o.source,), extra={"filter": f.name, "kind": a.kind})


# Above this many rules in all, filters are analysed in parallel worker processes (forked, so
# they share the parsed rules without copying); below it the start-up is not worth it.
PARALLEL_AT = 30_000
CHUNK = 2048  # rules per task when one filter is split between workers
_STATE: dict = {}


def analyse_filters(jobs, parallel_at: int | None = None) -> list[list[Anomaly]]:
    """``analyse`` for each (filter, default), in parallel on several cores for large inputs."""
    an = _Analysis(jobs, parallel_at)
    try:
        return an.results()
    finally:
        an.close()


class _Analysis:
    """The anomalies of each (filter, default) job, started on construction.

    For large inputs, smaller filters go whole to workers forked at once.  A filter
    larger than its share of the work is prepared (indexed) meanwhile, once, and its
    rules are split into chunks for workers forked after that, so they share the index
    without copying.  Each rule's result does not depend on which rules were analysed
    with it, so the results are the same as a serial run (tested).  Workers return
    positions, not objects.  Small inputs are analysed serially, in ``results``.
    """

    def __init__(self, jobs, parallel_at: int | None = None):
        self.jobs = jobs
        self.pools: list = []
        self.runs: list = []
        self.procs: list = []  # the workers of whole filters, and the queue of their results
        self.queue = None
        self.preps: dict = {}
        limit = PARALLEL_AT if parallel_at is None else parallel_at
        total = self.total = sum(len(f.rules) for f, _ in jobs)
        cores = os.cpu_count() or 1
        if os.environ.get("PRINERGY_AUDIT_WORKERS", "").isdigit():
            cores = min(cores, int(os.environ["PRINERGY_AUDIT_WORKERS"]))  # 1 turns the workers off
        self.parallel = total >= limit and cores >= 2 and "fork" in multiprocessing.get_all_start_methods()
        if not self.parallel:
            return
        split = {k for k, (f, _d) in enumerate(jobs) if len(f.rules) * cores > total}
        whole = sorted((k for k in range(len(jobs)) if k not in split), key=lambda k: -len(jobs[k][0].rules))
        fork = multiprocessing.get_context("fork")
        try:
            # the small filters start at once, in workers forked now (plain processes: a
            # pool's helper threads would be running when the chunk workers are forked);
            # the large ones are prepared meanwhile, and their chunks go to workers forked
            # after that
            _STATE.update(jobs=jobs, preps={})
            if whole:
                groups: list[list[int]] = [[] for _ in range(min(cores, len(whole)))]
                loads = [0] * len(groups)
                for k in whole:  # largest first, to the least loaded worker
                    g = loads.index(min(loads))
                    groups[g].append(k)
                    loads[g] += len(jobs[k][0].rules)
                self.queue = fork.Queue()
                for group in groups:
                    proc = fork.Process(target=_whole_worker, args=(group, self.queue), daemon=True)
                    proc.start()
                    self.procs.append((proc, group))
            self.preps = {k: prepare(jobs[k][0].rules, jobs[k][1]) for k in split}
            if split:
                _STATE["preps"] = self.preps
                tasks = [(k, lo, min(len(self.preps[k].live), lo + CHUNK))
                         for k in sorted(split) for lo in range(0, len(self.preps[k].live), CHUNK)]
                self.pools.append(fork.Pool(min(cores, len(tasks))))
                self.runs.insert(0, (tasks, self.pools[-1].imap(_analyse_task, tasks)))
        except BaseException:
            self.close()
            raise

    def results(self, convert=None) -> list[list]:
        """Per job, its anomalies in rule order, or ``convert(job number, anomalies)`` of each
        part of them (concatenated), applied as soon as the part is known."""
        convert = convert or (lambda _k, anomalies: anomalies)
        if not self.parallel:
            return [convert(k, analyse(f.rules, d)) for k, (f, d) in enumerate(self.jobs)]
        from auditor import progress

        parts: dict[int, list] = {k: [] for k in range(len(self.jobs))}
        done = 0

        def take(k: int, lo: int, found: list) -> None:
            f = self.jobs[k][0]
            live = self.preps[k].live if k in self.preps else live_rules(f.rules)
            anomalies = [Anomaly(kind, live[pos], tuple(live[o] for o in others), ex)
                         for kind, pos, others, ex in found]
            parts[k].append((lo, convert(k, anomalies)))

        for tasks, results in self.runs:
            for (k, lo, hi), found in zip(tasks, results):
                take(k, lo, found)
                done += hi - lo
                progress.report("rule anomalies", done, self.total)
        for k, found in self._whole_results():
            take(k, 0, found)
            done += len(self.jobs[k][0].rules)
            progress.report("rule anomalies", done, self.total)
        self.close()
        return [[x for _lo, part in sorted(parts[k], key=lambda x: x[0]) for x in part] for k in range(len(self.jobs))]

    def _whole_results(self) -> Iterator[tuple[int, list]]:
        """(job, found) of each whole filter, as its worker sends it."""
        import queue as queue_mod

        waiting = {k for _proc, group in self.procs for k in group}
        while waiting:
            try:
                k, found = self.queue.get(timeout=1)
            except queue_mod.Empty:
                # a worker that stopped without sending all of its results has failed
                for proc, group in self.procs:
                    if proc.exitcode is not None and waiting & set(group) and self.queue.empty():
                        raise RuntimeError("an anomaly worker stopped (exit code %s)" % proc.exitcode) from None
                continue
            if k < 0:
                raise RuntimeError("an anomaly worker failed: %s" % found)
            waiting.discard(k)
            yield k, found

    def close(self) -> None:
        for pool in self.pools:
            pool.terminate()
        self.pools = []
        for proc, _group in self.procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        self.procs = []
        if self.queue is not None:
            self.queue.close()
            self.queue = None
        if self.parallel:
            _STATE.clear()


def _whole_worker(group: list[int], results) -> None:
    """Analyse whole filters (job numbers) and send each one's results as it is done."""
    try:
        for k in group:
            results.put((k, _analyse_task((k, 0, -1))))
    except BaseException as e:  # (reported by the parent: it waits for these results)
        results.put((-1, "%s: %s" % (type(e).__name__, e)))


def _analyse_task(task: tuple[int, int, int]) -> list[tuple]:
    from auditor import progress

    progress.finish()  # one progress line: the parent's
    k, lo, hi = task
    if hi < 0:
        f, default = _STATE["jobs"][k]
        prep = prepare(f.rules, default)
        found = analyse_part(prep, 0, len(prep.live))
    else:
        prep = _STATE["preps"][k]
        found = analyse_part(prep, lo, hi)
    # positions by rule; a worker takes many chunks of one filter: made once per worker
    where = _STATE.get(("where", k)) if hi >= 0 else None
    if where is None:
        where = {id(r): n for n, r in enumerate(prep.live)}
        if hi >= 0:
            _STATE[("where", k)] = where
    return [(a.kind, where[id(a.rule)], tuple(where[id(o)] for o in a.others), a.example) for a in found]


def _verb(action: Action, n: int) -> str:
    if action is Action.PERMIT:
        return "permit" if n > 1 else "permits"
    return "deny" if n > 1 else "denies"


def _broad(f: Filter, servers: ISet) -> Iterable[Finding]:
    for r in f.rules:
        if not r.enabled or r.action is not Action.PERMIT:
            continue
        for c in r.match.cubes:
            src, dst, proto, sport, dport = c.dims
            if src.iv[0][0] > V4_BASE or src.iv[-1][1] < V4_MAX:
                continue  # (narrower than every IPv4 and every IPv6 address: the usual case)
            any_src = ALL_V4.issubset(src) or ALL_V6.issubset(src)
            if not any_src:
                continue
            any_dst = ALL_V4.issubset(dst) or ALL_V6.issubset(dst)
            all_ports = ALL_PROTO.issubset(proto) or (
                dport == ALL_PORTS and proto.overlaps(ISet([(PROTO_TCP, PROTO_TCP), (PROTO_UDP, PROTO_UDP)])))
            if any_dst and ALL_PROTO.issubset(proto):
                msg = "any-to-any permit"
            elif servers and dst.overlaps(servers) and all_ports:
                msg = "permits any source to a Prinergy server on all ports"
            else:
                continue
            yield Finding("ACL210", "warning", msg, r.source, key=f.name, extra={"filter": f.name})
            break

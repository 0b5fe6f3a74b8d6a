"""ACL200-ACL210: shadowed, redundant, conflicting and overly broad rules, per filter."""

from __future__ import annotations

import itertools
from typing import Iterable, Iterator

from auditor.checks import RuleInfo
from auditor.core.model import Action, Filter
from auditor.core.packets import (
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    PROTO_TCP,
    PROTO_UDP,
    V4_BASE,
    V4_MAX,
    ISet,
    PacketSet,
)
from auditor.engine import workers
from auditor.engine.anomalies import (
    CONFLICT,
    REDUNDANT_DOWN,
    REDUNDANT_UP,
    SHADOWED,
    Anomaly,
    analyse,
    analyse_part,
    live_rules,
    prepare,
)
from auditor.findings import Finding, rule_ref

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
    return _Started(_Analysis(jobs, early=_claim(jobs)), servers, flows)


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
        yield from merge_views([x for b, fs in zip(broad, found, strict=True) for x in b + fs],
                               _appearances(f for f, _d in jobs))

    def close(self) -> None:
        self.analysis.close()


def _appearances(filters: Iterable[Filter]) -> dict[tuple[str, int], int]:
    """In how many of the filters each rule line appears (a zone firewall's rule that applies
    to several zone pairs is in each pair's filter, with the same source line)."""
    out: dict[tuple[str, int], int] = {}
    for f in filters:
        for key in {(r.source.path, r.source.line) for r in f.rules}:
            out[key] = out.get(key, 0) + 1
    return out


def merge_views(findings: list[Finding], appearances: dict[tuple[str, int], int]) -> list[Finding]:
    """One finding per rule line where a rule appears in several filters.

    A rule is shadowed (ACL200) only if it is shadowed in every filter it is in, and
    redundant (ACL201) only if removing it changes nothing in any of them (shadowed or
    redundant in each); other findings about it are reported once.
    """
    out: list[Finding] = []
    views: dict[tuple[str, int], list[Finding]] = {}
    seen: set[tuple[str, str, int]] = set()
    findings = _one_of_each_pair(findings)
    for f in findings:
        key = (f.source.path, f.source.line)
        if appearances.get(key, 1) <= 1:
            out.append(f)
        elif f.rule_id in ("ACL200", "ACL201"):
            views.setdefault(key, []).append(f)
        elif (f.rule_id, *key) not in seen:
            seen.add((f.rule_id, *key))
            out.append(f)
    for key, fs in views.items():
        if len({f.extra.get("filter") for f in fs}) < appearances[key]:
            continue  # the rule decides something in another filter
        shadowed = [f for f in fs if f.rule_id == "ACL200"]
        out.append(shadowed[0] if len(shadowed) == len(fs) else next(f for f in fs if f.rule_id == "ACL201"))
    return out


def _one_of_each_pair(findings: list[Finding]) -> list[Finding]:
    """Of two lines that make each other redundant (two identical lines), only the later is
    reported: removing both would change what the filter does."""
    up = {(f.key, f.source.path, f.source.line): {(s.path, s.line) for s in f.related}
          for f in findings if f.rule_id == "ACL201" and f.extra.get("kind") == REDUNDANT_UP}
    out = []
    for f in findings:
        if f.rule_id == "ACL201" and f.extra.get("kind") == REDUNDANT_DOWN and f.related:
            me = (f.source.path, f.source.line)
            if all(me in up.get((f.key, s.path, s.line), ()) for s in f.related):
                continue
        out.append(f)
    return out


def _findings(f: Filter, anomalies: Iterable[Anomaly], flows: PacketSet) -> Iterator[Finding]:
    for a in anomalies:
        r = a.rule
        here = (r.source.path, r.source.line)
        others = tuple(o for o in a.others if (o.source.path, o.source.line) != here)
        if a.others and not others:
            continue  # (only another copy of the same line, e.g. a chain reached twice: nothing to act on)
        if r.builtin and a.kind != CONFLICT:
            continue  # (a platform's own rule, e.g. Azure's DenyAllInBound: it cannot be removed)
        a = Anomaly(a.kind, r, others, a.example)
        if a.kind == SHADOWED:
            sev = "warning"
            if r.action is Action.PERMIT and flows and r.match.overlaps(flows):
                needed = r.match.intersect(flows)
                denied = PacketSet([c for o in a.others if o.action is Action.DENY for c in o.match.cubes])
                if needed.overlaps(denied):
                    sev = "error"
            yield Finding("ACL200", sev, "rule never matches: covered by line%s %s%s" % (
                "s" if len(a.others) > 1 else "", _lines(a.others), _label(r)), r.source, key=f.name,
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
            yield Finding("ACL201", "warning", msg + _label(r), r.source, key=f.name, example=a.example,
                          related=tuple(o.source for o in a.others[:MAX_NAMED]),
                          extra={"filter": f.name, "kind": a.kind})
        elif a.kind == CONFLICT:
            o = a.others[0]
            yield Finding("ACL202", "info", "overlaps %s, which %s part of what this rule %s%s" % (
                rule_ref(o), _verb(o.action, 1), _verb(r.action, 1), _label(r)), r.source, key=f.name,
                example=a.example,
                related=(o.source,), extra={"filter": f.name, "kind": a.kind})


# Above this many rules in all, filters are analysed in worker processes (forked, so they
# share the parsed rules without copying); below it the start-up is not worth it.
PARALLEL_AT = 30_000
CHUNK = 2048  # rules per task when one filter is shared between processes
EARLY_AT = CHUNK  # a smaller filter is not worth starting while the parse goes on
_TOKENS = itertools.count()
_EARLY: dict[int, "_Early"] = {}  # id(filter) -> its analysis started during the parse, until claimed


def prestart(f: Filter, total: int) -> "_Early | None":
    """Start analysing ``f`` as soon as the parser has built it (see ``auditor.engine.prestart``),
    assuming the usual default (deny); the audit claims the result when it checks ``f``.
    ``total`` is the rules the whole config will have.

    Only a filter larger than its share of the work starts early (with helpers): each
    fork while the parser goes on costs the parser copies of the memory pages it then
    touches, which measured worth it for the largest filter, not for every one.
    """
    n = workers.cores()
    if (n < 2 or total < PARALLEL_AT or len(f.rules) < EARLY_AT or len(f.rules) * n <= total
            or f.kind == "derived" or id(f) in _EARLY):
        return None
    handle = _EARLY[id(f)] = _Early(f, Action.DENY, n - 1)
    return handle


class _Early:
    """One filter's analysis started early: a worker (with helpers when the filter is large)."""

    def __init__(self, f: Filter, default: Action, helpers: int):
        self.filter, self.default, self.token = f, default, next(_TOKENS)
        self.crew = workers.Crew()
        self.crew.start(_filters_worker, [(self.token, f, default)], helpers)

    def close(self) -> None:
        if _EARLY.get(id(self.filter)) is self:
            del _EARLY[id(self.filter)]
        self.crew.close()


def _claim(jobs) -> dict[int, _Early]:
    """The early analyses that answer jobs exactly (the same filter object, the default
    assumed); the others are stopped."""
    out = {}
    for k, (f, default) in enumerate(jobs):
        handle = _EARLY.pop(id(f), None)
        if handle is None:
            continue
        if handle.filter is f and handle.default is default:
            out[k] = handle
        else:
            handle.close()
    return out


def analyse_filters(jobs, parallel_at: int | None = None) -> list[list[Anomaly]]:
    """``analyse`` for each (filter, default), in parallel on several cores for large inputs."""
    an = _Analysis(jobs, parallel_at)
    try:
        return an.results()
    finally:
        an.close()


class _Analysis:
    """The anomalies of each (filter, default) job, started on construction.

    For large inputs, each filter larger than its share of the work goes to a worker
    that indexes it and then shares its rules, in chunks, with helpers it forks (so
    they share the index without copying); the other filters go whole to workers,
    largest first to the least loaded.  ``early`` are jobs already under way (started
    while the parse went on).  Each rule's result does not depend on which rules were
    analysed with it, so the results are the same as a serial run (tested).  Workers
    return positions, not objects.  Small inputs are analysed in the parent, in ``results``.
    """

    def __init__(self, jobs, parallel_at: int | None = None, early: dict[int, _Early] | None = None):
        self.jobs = jobs
        self.early = early or {}
        self.crews = [h.crew for h in self.early.values()]
        self.tokens = {h.token: k for k, h in self.early.items()}
        self.live: dict[int, list] = {}
        limit = PARALLEL_AT if parallel_at is None else parallel_at
        total = self.total = sum(len(f.rules) for f, _ in jobs)
        n = workers.cores()
        rest = [k for k in range(len(jobs)) if k not in self.early]
        parallel = total >= limit and n >= 2
        self.serial = [] if parallel else rest
        if not parallel or not rest:
            return
        split = [k for k in rest if len(jobs[k][0].rules) * n > total]
        whole = sorted((k for k in rest if k not in split), key=lambda k: -len(jobs[k][0].rules))
        groups: list[list[int]] = [[] for _ in range(min(n, len(whole)))]
        loads = [0] * len(groups)
        for k in whole:  # largest first, to the least loaded worker
            g = loads.index(min(loads))
            groups[g].append(k)
            loads[g] += len(jobs[k][0].rules)
        crew = workers.Crew()
        self.crews.append(crew)
        try:
            for group in [[k] for k in split] + groups:
                batch = []
                for k in group:
                    self.tokens[token := next(_TOKENS)] = k
                    batch.append((token, *jobs[k]))
                crew.start(_filters_worker, batch, n - 1 if group[0] in split else 0)
        except BaseException:
            self.close()
            raise

    def results(self, convert=None) -> list[list]:
        """Per job, its anomalies in rule order, or ``convert(job number, anomalies)`` of each
        part of them (concatenated), applied as soon as the part is known."""
        from auditor.core import progress

        convert = convert or (lambda _k, anomalies: anomalies)
        parts: dict[int, list] = {k: [] for k in range(len(self.jobs))}
        for k in self.serial:  # (in the parent, while any workers run)
            f, d = self.jobs[k]
            parts[k].append((0, convert(k, analyse(f.rules, d))))
        done = 0
        for token, lo, hi, found in workers.collect(self.crews):
            k = self.tokens[token]
            live = self._live(k)
            anomalies = [Anomaly(kind, live[pos], tuple(live[o] for o in others), ex)
                         for kind, pos, others, ex in found]
            parts[k].append((lo, convert(k, anomalies)))
            done += hi - lo
            progress.report("rule anomalies", done, self.total)
        self.close()
        return [[x for _lo, part in sorted(parts[k], key=lambda x: x[0]) for x in part] for k in range(len(self.jobs))]

    def _live(self, k: int) -> list:
        if k not in self.live:
            self.live[k] = live_rules(self.jobs[k][0].rules)
        return self.live[k]

    def close(self) -> None:
        for handle in self.early.values():
            handle.close()
        for crew in self.crews:
            crew.close()
        self.crews = []


def _filters_worker(out, batch: list, helpers: int) -> list:
    """Analyse (token, filter, default) jobs one after another, sending each chunk's
    results as (token, lo, hi, found) with rules as positions; with ``helpers``, the
    chunks of one filter are shared with that many helpers forked once it is indexed.
    Returns the indexes, which the worker then keeps until it has reported its end."""
    from auditor.core import progress

    progress.finish()  # one progress line: the parent's
    built = []
    for token, f, default in batch:
        prep = prepare(f.rules, default)
        built.append(prep)
        live = prep.live
        where = {id(r): n for n, r in enumerate(live)}

        def chunk(c: int, prep=prep, where=where, token=token) -> tuple:
            lo = c * CHUNK
            hi = min(len(prep.live), lo + CHUNK)
            found = analyse_part(prep, lo, hi)
            return token, lo, hi, [(a.kind, where[id(a.rule)], tuple(where[id(o)] for o in a.others), a.example)
                                   for a in found]

        workers.share(out, -(-len(live) // CHUNK), helpers, chunk)
    return built


def _label(r) -> str:
    return " [%s]" % r.label if r.label else ""


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
            yield Finding("ACL210", "warning", msg + _label(r), r.source, key=f.name, extra={"filter": f.name})
            break

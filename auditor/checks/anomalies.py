"""ACL200-ACL210: shadowed, redundant, conflicting and overly broad rules, per filter."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator

from auditor.checks import Check, RuleInfo
from auditor.core.model import ANY_STATE, DEVICE_ONLY, ESTABLISHED, NEW, USER_CHAIN, Action, Filter, Rule
from auditor.core.packets import (
    ALL_ADDR,
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
from auditor.engine.anomalies import (
    CONFLICT,
    REDUNDANT_DOWN,
    REDUNDANT_UP,
    SHADOWED,
    Analysis,
    Anomaly,
    live_rules,
)
from auditor.findings import Finding, rule_ref

RULES = (
    RuleInfo(
        "ACL200", "shadowed-rule", "warning",
        "The rule can never match: earlier rules (one or several together) cover it and decide otherwise, "
        "or, in a chain reached by jumps (iptables, nftables), no jump to the chain sends it a packet it matches.",
        "A shadowed permit is a permit that does nothing; when Prinergy needs it, its traffic is dropped by "
        "the covering lines, which is the classic cause of \"I opened the port but it is still blocked\".",
        "Move the rule above the covering lines, or narrow the covering lines; remove it if it is obsolete.",
    ),
    RuleInfo(
        "ACL201", "redundant-rule", "warning",
        "Removing the rule changes no packet's decision.",
        "Redundant lines make a rule base harder to review: the next change to the lines that make them "
        "redundant silently changes what Prinergy traffic is allowed.",
        "Remove the rule, or merge it with the lines named in the finding.",
    ),
    RuleInfo(
        "ACL202", "conflicting-rule", "info",
        "The rule partly overlaps an earlier rule of the other action.",
        "Overlaps between permits and denies are sometimes intended (an exception before a general rule), "
        "but they are where reviews go wrong; the example packet is decided by the earlier line.",
        "Check that the earlier line is meant to decide the example packet; split the rules if not.",
    ),
    RuleInfo(
        "ACL210", "overly-broad-permit", "warning",
        "An any-to-any permit, or a permit from any source to a Prinergy server on all ports (not one that "
        "earlier rules decide entirely, such as a 'permit ip any any' after a 'deny ip any any': that one is "
        "ACL200 or ACL201).",
        "Prinergy is \"not designed to be exposed directly to the internet or an unsafe network\"; broad "
        "permits open more than the Kodak port list needs.",
        "Permit the Kodak ports from the site's roles only (see 'prinergy-audit policies show').",
    ),
)

MAX_NAMED = 5


def _lines(rules, more: bool = False) -> str:
    """The lines of ``rules``, the first ``MAX_NAMED`` named; ``more``: they are the first few of
    more such lines (the engine stopped naming them: ``Anomaly.more``)."""
    if len(rules) == 1 and not more:
        return str(rules[0].source.line)
    ls = sorted({r.source.line for r in rules})
    text = ", ".join(str(x) for x in ls[:MAX_NAMED])
    if more:
        return text + " and more"
    return text + (" and %d more" % (len(ls) - MAX_NAMED) if len(ls) > MAX_NAMED else "")


class Places:
    """Where each filter of ``cfg`` stands on the device's paths, read once for all its filters (a
    config of 2,500 interface ACLs has 3,000 paths: asking every path for every filter was 7 million
    steps)."""

    def __init__(self, cfg) -> None:
        self.own = cfg.local_addresses
        self.ends: dict[str, Action | None] = {}  # a filter that ends a stage -> that stage's default
        self.kinds: dict[str, set] = {}  # a filter -> the ``Path.local`` of the paths through it
        for path in cfg.paths:
            for st in path.stages:
                if st.filters:
                    self.ends.setdefault(st.filters[-1], st.default)  # (the first path's)
                for name in st.filters:
                    self.kinds.setdefault(name, set()).add(path.local)

    def default(self, f: Filter) -> Action | None:
        """The decision for packets that match no rule of ``f`` when it is a stage's last filter;
        ``None`` for a user chain (``USER_CHAIN``), whose end decides nothing: such a packet goes
        back to the chain that jumped to it."""
        if f.name in self.ends:
            return self.ends[f.name]
        return None if f.kind == USER_CHAIN else Action.DENY

    def unseen(self, f: Filter) -> tuple | None:
        """The addresses ``f`` never sees, for its anomalies' examples to avoid, as (sources,
        destinations), from the paths through it (``Path.local``): a filter of transit traffic only
        (an ASA's interface ACLs, a zone policy, a FORWARD chain) sees no packet from or to the device
        itself (its access rules do not decide to-the-box traffic); one of packets to the device only
        (an INPUT chain) sees no packet to another address; one of the device's own packets only
        (OUTPUT), none from another; a filter of packets received (an IOS inbound ACL, a pfSense
        interface's rules) none from the device itself.  None where the device's addresses are not
        known."""
        own = self.own
        if not own or f.kind == DEVICE_ONLY:  # (to or from the device: which of the two, no path says)
            return None
        kinds = self.kinds.get(f.name) or {None}
        src = ALL_ADDR.subtract(own) if kinds == {"out"} else own if "out" not in kinds else None
        dst = ALL_ADDR.subtract(own) if kinds == {"in"} else own if "in" not in kinds else None
        return src, dst


def jobs(cfg) -> list:
    """The analysis jobs of ``cfg``'s filters: (the rule list, its default, the addresses it never
    sees)."""
    return [job for job, _own in _jobs(cfg)]


def _jobs(cfg) -> list[tuple[tuple, bool]]:
    """(job, whether its filter sees the device's own packets only: every path through it is one the device
    starts, ``Path.local`` "out", as an OUTPUT chain's; or a filter of kind ``DEVICE_ONLY``, an SRX's junos-host
    policies)."""
    places = Places(cfg)
    return [((v, places.default(f), places.unseen(f)), places.kinds.get(f.name) == {"out"} or f.kind == DEVICE_ONLY)
            for f in cfg.filters.values()
            # derived filters (e.g. mirrored reply rules) restate another filter
            if f.rules and f.kind != "derived" for v in state_views(f)]


def start(ctx) -> "_Started":
    """Start the analysis now (in worker processes for large inputs, which go on while the
    other checks run); iterating the result waits for it and yields the findings."""
    servers = ctx.server_addresses()
    flows = PacketSet([c for fl in ctx.flows for c in fl.packets.cubes])
    pairs = [p for cfg in ctx.configs for p in _jobs(cfg)]
    return _Started(Analysis([j for j, _own in pairs]), servers, flows, [own for _j, own in pairs])


LATER = " (later packets)"


def state_views(f: Filter) -> list[Filter]:
    """A filter whose rules match different packets of a connection (``Rule.states``: a stateless
    chain's ``--ctstate ESTABLISHED`` accept, a ``--ctstate INVALID`` drop) as the rule lists each
    kind of packet meets: the first packet's (under the filter's own name) and the later
    packets' (``LATER``).  A rule for both is in both, and like a zone firewall's rule in several
    pair filters, is shadowed or redundant only if it is so in both; a rule for neither (states 0)
    decides no packet of a connection and is in none."""
    if all(r.states == ANY_STATE for r in f.rules):
        return [f]
    first = tuple(r for r in f.rules if r.states & NEW)
    later = tuple(r for r in f.rules if r.states & ESTABLISHED)
    return [v for v in (replace(f, rules=first), replace(f, name=f.name + LATER, rules=later)) if v.rules]


def run(ctx) -> Iterable[Finding]:
    """ACL200-ACL210 for every filter of every config."""
    started = start(ctx)
    try:
        yield from started
    finally:
        started.close()


class _Started:
    """The anomaly check under way: iterate it for its findings (waits for the workers);
    ``close()`` stops the workers if the audit ends without iterating it."""

    def __init__(self, analysis: Analysis, servers: ISet, flows: PacketSet, own_only: list[bool]):
        self.analysis, self.servers, self.flows = analysis, servers, flows
        self.own_only = own_only  # per job: its filter sees the device's own packets only (``_jobs``)

    def __iter__(self) -> Iterator[Finding]:
        jobs = self.analysis.jobs
        try:
            # the parent's own share, while the workers run: the broad-permit check, where each
            # rule line appears, and turning each part of the results into findings as soon as it
            # arrives
            # (a filter of the device's own packets only opens nothing to others: its any-to-any permit is
            # the device's outbound traffic, an OUTPUT chain's ACCEPT policy, not an exposure)
            broad = [[] if own else list(_broad(job[0], self.servers))
                     for job, own in zip(jobs, self.own_only, strict=True)]
            filters = [job[0] for job in jobs]
            appearances, chains = _appearances(filters)
            settled: list[set[int]] = [set() for _ in jobs]  # per job: rules earlier rules decide entirely

            def convert(k: int, anomalies: list[Anomaly]) -> list[Finding]:
                settled[k].update(id(a.rule) for a in anomalies if a.kind in (SHADOWED, REDUNDANT_UP))
                return list(_findings(jobs[k][0], anomalies, self.flows))

            found = self.analysis.results(convert)
        finally:
            self.close()
        # (a broad permit that is never reached opens nothing: e.g. a chain's ACCEPT policy after a final
        # '-j REJECT'; ACL200 or ACL201 say so)
        broad = [[x for r, x in b if id(r) not in s] for b, s in zip(broad, settled, strict=True)]
        merged = merge_views([x for b, fs in zip(broad, found, strict=True) for x in b + fs], appearances, chains)
        yield from merged
        told = {(f.source.path, f.source.line) for f in merged if f.rule_id in ("ACL200", "ACL201")}
        yield from _unreached(filters, appearances, chains, told)

    def close(self) -> None:
        self.analysis.close()


def _ran(key: tuple[str, int], appearances: dict[tuple[str, int], int], chains: dict[tuple[str, int], set[str]]) -> int:
    """In how many filters the device runs the line: all it is in but user chains' own lists."""
    return appearances[key] - len(chains.get(key, ()))


def _appearances(filters: Iterable[Filter]) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], set[str]]]:
    """In how many of the filters each rule line appears (a zone firewall's rule that applies
    to several zone pairs is in each pair's filter, with the same source line; a user chain's
    rule is in the chain and in the chains that jump to it), and in which user chains."""
    out: dict[tuple[str, int], int] = {}
    chains: dict[tuple[str, int], set[str]] = {}
    for f in filters:
        for key in {(r.source.path, r.source.line) for r in f.rules}:
            out[key] = out.get(key, 0) + 1
            if f.kind == USER_CHAIN:
                chains.setdefault(key, set()).add(f.name)
    return out, chains


def _unreached(filters: list[Filter], appearances: dict[tuple[str, int], int],
               chains: dict[tuple[str, int], set[str]], told: set[tuple[str, int]]) -> Iterator[Finding]:
    """ACL200 for a user chain's rule (``USER_CHAIN``) that is in no filter the device runs,
    though the chain is reached (others of its rules are): every jump to the chain sends it
    only packets it does not match (a jump's copy of a rule that can match nothing is left out
    of the calling chain), so it never matches.  Nothing is said of a chain no jump reaches.  The
    message names every user chain the line is in (a chain's lines are in the lists of the chains
    that jump to it too): no jump to any of them sends it a packet it matches."""
    seen: set[tuple[str, int]] = set()
    for f in filters:
        if f.kind != USER_CHAIN:
            continue
        rules = [(r, (r.source.path, r.source.line)) for r in live_rules(f.rules)]
        if not any(_ran(k, appearances, chains) for _r, k in rules):
            continue  # (no jump reaches the chain, or none with packets it matches)
        name = f.name.removesuffix(LATER)
        for r, k in rules:
            if _ran(k, appearances, chains) or k in seen or k in told or r.builtin:
                continue
            seen.add(k)
            # (a line of a chain that another jumps to is in both lists: every chain it is in is named)
            names = " or ".join(sorted({n.removesuffix(LATER) for n in chains[k]}))
            yield Finding("ACL200", "warning", "rule never matches: no jump to chain %s sends it a packet it "
                          "matches%s" % (names, _label(r)), r.source, key=name,
                          example=(r.match if r.match.cubes else r.maybe).example(),
                          extra={"filter": name, "kind": SHADOWED})


def merge_views(findings: list[Finding], appearances: dict[tuple[str, int], int],
                chains: dict[tuple[str, int], set[str]] | None = None) -> list[Finding]:
    """One finding per rule line where a rule appears in several filters.

    A rule is shadowed (ACL200) if it never matches in any filter it is in (shadowed, or covered
    by earlier lines of its action, in each) and is shadowed in one, and redundant (ACL201) if
    removing it changes nothing in any of them (shadowed or redundant in each); other findings
    about it are reported once.

    A user chain's own list (``USER_CHAIN``, ``chains``: the user chains each line is in) is
    the chain as every jump to it runs it, its end returning: a rule shadowed or redundant
    there (in each view of it, ``state_views``) is so wherever the chain is reached, whatever
    the conditions of the jumps (which may leave the copies in the calling chains uncertain).
    This holds for the chain the line is written in only: a line in two user chains (one
    jumps to the other) is not judged by either alone.  The copies in the chains that jump to
    it are where the device runs the line: a rule shadowed or redundant in each of them is so
    too (a drop at the end of a user chain, before the calling chain's own drop), whatever its
    own list says.
    """
    chains = chains or {}
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
        named = {f.extra.get("filter") for f in fs}
        own = chains.get(key, set())
        ran = _ran(key, appearances, chains)
        if own and len({n.removesuffix(LATER) for n in own}) == 1 and own <= named:
            fs = [f for f in fs if f.extra.get("filter") in own]  # (its own chain says so)
        elif ran and len(named - own) == ran:
            fs = [f for f in fs if f.extra.get("filter") not in own]  # (every filter running it says so)
        elif len(named) < appearances[key]:
            continue  # the rule decides something in another filter
        shadowed = [f for f in fs if f.rule_id == "ACL200"]
        if shadowed and all(f.rule_id == "ACL200" or f.extra.get("kind") == REDUNDANT_UP for f in fs):
            # never matches in any filter: where earlier lines decide it otherwise it is shadowed, whatever
            # others that decide it alike elsewhere (a stateless chain's first packets dropped by a
            # '-j REJECT' above it, its later packets taken by the ESTABLISHED accept at its top)
            out.append(max(shadowed, key=lambda f: f.severity == "error"))
        else:
            out.append(shadowed[0] if len(shadowed) == len(fs) else next(f for f in fs if f.rule_id == "ACL201"))
    return out


def _one_of_each_pair(findings: list[Finding]) -> list[Finding]:
    """Of two lines that make each other redundant (two identical lines), only the later is
    reported: removing both would change what the filter does."""
    downs = [f for f in findings if f.rule_id == "ACL201" and f.related and f.extra.get("kind") == REDUNDANT_DOWN]
    if not downs:
        return findings
    # (the upward findings of the lines the downward ones name: a report of repeated lines has
    # tens of thousands of upward findings, few of them named)
    named = {(f.key, s.path, s.line) for f in downs for s in f.related}
    up: dict[tuple, set] = {}
    for f in findings:
        if f.rule_id == "ACL201" and (k := (f.key, f.source.path, f.source.line)) in named and (
                f.extra.get("kind") == REDUNDANT_UP):
            up[k] = {(s.path, s.line) for s in f.related}
    drop = {id(f) for f in downs
            if all((f.source.path, f.source.line) in up.get((f.key, s.path, s.line), ()) for s in f.related)}
    return [f for f in findings if id(f) not in drop] if drop else findings


def _findings(f: Filter, anomalies: Iterable[Anomaly], flows: PacketSet) -> Iterator[Finding]:
    for a in anomalies:
        r = a.rule
        kind = a.kind
        src = r.source
        others = tuple(o for o in a.others if o.source.line != src.line or o.source.path != src.path)
        if a.others and not others:
            continue  # (only another copy of the same line, e.g. a chain reached twice: nothing to act on)
        if r.builtin and kind != CONFLICT:
            continue  # (a platform's own rule, e.g. Azure's DenyAllInBound: it cannot be removed)
        s = "s" if len(others) > 1 else ""
        if kind == SHADOWED:
            sev = "warning"
            if r.action is Action.PERMIT and flows and r.match.overlaps(flows):
                needed = r.match.intersect(flows)
                denied = PacketSet([c for o in others if o.action is Action.DENY for c in o.match.cubes])
                if needed.overlaps(denied):
                    sev = "error"
            yield Finding("ACL200", sev, "rule never matches: covered by line%s %s%s%s" % (
                s, _lines(others), _unsure(a), _label(r)), src, f.name, a.example,
                related=tuple(o.source for o in others[:MAX_NAMED]), extra={"filter": f.name, "kind": kind})
        elif kind == REDUNDANT_UP or kind == REDUNDANT_DOWN:
            if kind == REDUNDANT_UP:
                msg = "redundant: earlier line%s %s already %s everything it matches" % (
                    s, _lines(others), _verb(r.action, len(others)))
            elif others:
                msg = "redundant: without it, line%s %s%s the same packets the same way" % (
                    s, _lines(others, a.more),
                    " and the filter's default decide" if a.default else " decide" if s else " decides")
            else:
                msg = "redundant: without it, the filter's default decides the same packets the same way"
            yield Finding("ACL201", "warning", msg + _unsure(a) + _label(r), src, f.name, a.example,
                          related=tuple(o.source for o in others[:MAX_NAMED]), extra={"filter": f.name, "kind": kind})
        elif kind == CONFLICT:
            o = others[0]
            yield Finding("ACL202", "info", "overlaps %s, which %s part of what this rule %s%s%s" % (
                rule_ref(o), _verb(o.action, 1), _verb(r.action, 1), _unsure(a), _label(r)), src, f.name, a.example,
                related=(o.source,), extra={"filter": f.name, "kind": kind})


def _unsure(a: Anomaly) -> str:
    """What makes the finding uncertain (``Anomaly.unsure``): earlier lines that may match (an FQDN
    object, an application, a schedule, a user) and decide some of its packets first."""
    if not a.unsure:
        return ""
    return "; uncertain: line%s %s may decide some of its packets first" % (
        "s" if len(a.unsure) > 1 else "", _lines(a.unsure))


def _label(r) -> str:
    return " [%s]" % r.label if r.label else ""


def _verb(action: Action, n: int) -> str:
    if action is Action.PERMIT:
        return "permit" if n > 1 else "permits"
    return "deny" if n > 1 else "denies"


def _broad(f: Filter, servers: ISet) -> Iterable[tuple[Rule, Finding]]:
    """(rule, ACL210 finding) of each overly broad permit of ``f``."""
    if f.name.endswith(LATER):
        return  # (permits of later packets open no connection: broad ones are the rule, not a risk)
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
            yield r, Finding("ACL210", "warning", msg + _label(r), r.source, key=f.name, extra={"filter": f.name})
            break


CHECK = Check('rule anomalies', RULES, run, start=start)

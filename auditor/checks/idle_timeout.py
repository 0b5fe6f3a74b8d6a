"""PRN120: the idle timeout for Workshop <-> server traffic is shorter than a shift."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.core.model import Source
from auditor.core.packets import EMPTY, NOTHING, PROTO_TCP, ISet, PacketSet, cube
from auditor.engine import NOT_FILTERED, PERMIT, UNKNOWN, as_sent, evaluate, permitted_by_filter, run_stage
from auditor.findings import Finding

RULES = (
    RuleInfo(
        "PRN120", "idle-timeout-too-short", "error",
        "The idle timeout in force for Workshop <-> server TCP traffic crossing the firewall is "
        "shorter than a production shift, with no dead connection detection and not 'never'.",
        "Kodak: a firewall between the Prinergy servers and the Workshop clients must not close idle "
        "connections after some arbitrary time period, or Workshop \"lags or stalls\" when it is forced to "
        "re-establish its connections; it should close a connection only when probing the end hosts finds it "
        "dead ('Dead Connection Detection' on Cisco firewalls). Where the firewall has no such feature, the "
        "idle timeout should equal a typical production shift, and operators be warned that Workshop \"may "
        "stall for up to a couple of minutes\" after idling longer.",
        "Turn on dead connection detection (or TCP keepalive) for the Workshop <-> server traffic where "
        "the device has it, or set its idle timeout to at least the shift; the per-vendor notes give the "
        "commands.",
    ),
)


def _fmt(secs: int | None) -> str:
    if secs is None:
        return "never"
    return "%d:%02d:%02d" % (secs // 3600, secs % 3600 // 60, secs % 60)


class _Decided:
    """Which rules permit which of an outcome's packets, stage by stage, each stage run once over all of
    them in the form its rules match (``Stage.sees``); what each rule permits is given back as the packets
    as sent (the form the check works in): (those surely, those maybe: a NAT pool's choice decides)."""

    def __init__(self, cfg, outcome):
        self.cfg, self.o, self.path = cfg, outcome, outcome.path
        self.stages: dict[int, dict[tuple[str, int], tuple[PacketSet, PacketSet]]] = {}
        if not cfg.nat and self.path.stages and outcome.kind == PERMIT and outcome.stage is self.path.stages[0]:
            # without NAT the first stage saw these very packets, and the outcome names what
            # decided all of them there: its rule (none: the stage's default)
            r = outcome.rule
            self.stages[0] = {} if r is None else {(r.filter, r.index): (outcome.packets, outcome.packets)}

    def stage_of(self, filter_name: str) -> int | None:
        """The first stage of the path holding ``filter_name``."""
        for i, st in enumerate(self.path.stages):
            if filter_name in st.filters:
                return i
        return None

    def permits(self, i: int) -> dict[tuple[str, int], tuple[PacketSet, PacketSet]]:
        """Stage ``i``'s permitting rules -> the packets (as sent) each permits: (surely, maybe)."""
        if i not in self.stages:
            stage = self.path.stages[i]
            x = self.o.view(stage.sees)
            got: dict[tuple[str, int], list] = {}
            for o in run_stage(self.cfg, stage, x.forward(self.o.packets) if x else self.o.packets, self.path):
                if o.kind == PERMIT and o.rule is not None:
                    got.setdefault((o.rule.filter, o.rule.index), []).extend(o.packets.cubes)
            self.stages[i] = {k: as_sent_by(PacketSet(v), x, self.o.packets) for k, v in got.items()}
        return self.stages[i]

    def may_reach(self, i: int, key: tuple[str, int]) -> PacketSet:
        """The packets (as sent) that rule ``key`` of stage ``i`` may match (its ``maybe``: an App-ID
        application, a user) and a later permitting rule of its filter lets through: the engine names
        that rule, as both decide them alike, while on the device either may be the one."""
        f, k = key
        if not _maybe_of(self.cfg, key):
            return NOTHING
        rules = self.cfg.filters[f].rules
        later = [c for (f2, j), (_s, m) in self.permits(i).items() if f2 == f and j > k for c in m.cubes]
        if not later:
            return NOTHING
        x = self.o.view(self.path.stages[i].sees)
        return as_sent_by(rules[k].maybe, x, self.o.packets)[1].intersect(PacketSet(later))


def _maybe_of(cfg, key: tuple[str, int]) -> bool:
    """Whether rule ``key`` of ``cfg`` may match packets it is not known to match."""
    f = cfg.filters.get(key[0])
    return f is not None and key[1] < len(f.rules) and bool(f.rules[key[1]].maybe)


def as_sent_by(ps: PacketSet, x, domain: PacketSet) -> tuple[PacketSet, PacketSet]:
    """The packets of ``domain`` (as sent) whose translation by ``x`` lies in ``ps``: (surely, maybe: those
    included, where the address a NAT pool gives decides)."""
    if not x:
        got = ps.intersect(domain)
        return got, got
    sure, doubt = x.back(ps, domain)
    return sure, sure.union(doubt) if doubt else sure


class _Index:
    """A config's timeouts (but those 'through' another device) by what they apply to: positions of
    those for every connection, and of those limited to one rule's connections, by rule."""

    def __init__(self, cfg):
        self.general: list[int] = []
        self.by_rule: dict[tuple[str, int], list[int]] = {}
        self.doubts: set[tuple[str, int]] = set()  # rules with a timer not known
        for i, t in enumerate(cfg.timeouts):
            if t.through:
                continue
            if t.rule is None:
                self.general.append(i)
            else:
                self.by_rule.setdefault(t.rule, []).append(i)
                if t.unknown:
                    self.doubts.add(t.rule)
        # rules that may match packets the engine gives a later rule deciding alike (an App-ID application, a
        # user: ``Rule.maybe``): their timers are visited wherever their filter is on the path
        self.loose = self.doubts | {k for k in self.by_rule if _maybe_of(cfg, k)}
        self.filters = {k[0] for k in self.by_rule}

    def in_force(self, decided: _Decided, own) -> list[int]:
        """Positions, in precedence order, of the timeouts that can apply to an outcome decided by rule
        ``own``: those for every connection, ``own``'s, and those of rules deciding some of its packets
        in a stage of its path."""
        keys = {own} if own in self.by_rule else set()
        for i in sorted({decided.stage_of(f) for f in self.filters} - {None}):
            keys.update(k for k in decided.permits(i) if k in self.by_rule and decided.stage_of(k[0]) == i)
            keys.update(k for k in self.loose if decided.stage_of(k[0]) == i)
        return sorted(self.general + [p for k in keys for p in self.by_rule[k]])


def space(pack, site) -> PacketSet:
    """The Workshop <-> server TCP connections PRN120 judges, as sent: empty when the site places no client
    or no server."""
    clients = EMPTY
    for r in pack.idle.roles:
        clients = clients.union(site.addresses(r))
    servers = EMPTY
    for r in pack.idle.servers:
        servers = servers.union(site.addresses(r))
    if not clients or not servers:
        return NOTHING
    tcp = ISet.of(PROTO_TCP)
    # (a TCP connection's ports are 1 to 65535: port 0 is reserved, and devices drop its packets; a timeout
    # that only port 0 would be left to is in force for no Workshop <-> server connection)
    ports = ISet.of(1, 65535)
    return PacketSet([cube(src=clients, dst=servers, proto=tcp, sport=ports, dport=ports),
                      cube(src=servers, dst=clients, proto=tcp, sport=ports, dport=ports)])


def coverage(cfg, judged: PacketSet, through: Iterable[str] = ()) -> list[tuple]:
    """(timeout, packets) for each of ``cfg``'s idle timeouts in force for some of the connections of
    ``judged`` that it lets through, short or not, with those connections (as sent; where a NAT pool's address
    decides, the ones it may cover); a timeout 'through' another device only if ``through`` (the site's)
    names it, in addition to the device's own.  A record whose timer is not known (``Timeout.unknown``) is
    also given the connections its rule may let through (the engine says unknown, or names a later rule
    deciding them alike)."""
    out: list[tuple] = []
    index = _Index(cfg)
    others = [t for t in cfg.timeouts if t.through and t.through in through]
    # the connections the device lets through, each with its path and deciding rule
    for o in evaluate(cfg, as_sent(cfg, judged)):
        # (connections the device may let through, by a rule that may match them, are visited for that
        # rule's timer not known only: what is short for them is not known to be in force)
        doubt_only = o.kind == UNKNOWN and o.may_permit and o.rule is not None \
            and (o.rule.filter, o.rule.index) in index.doubts
        if not (o.allowed or doubt_only) or o.kind == NOT_FILTERED or o.path is None:
            continue
        path = o.path
        # (the packets as sent: each timeout's match is taken back from the form its rules see)
        remaining = o.packets
        own = (o.rule.filter, o.rule.index) if o.rule is not None else None
        decided = _Decided(cfg, o)
        # (timeouts 'through' another device are taken below, in addition; one limited to a
        # rule deciding none of these packets cannot apply: it is not visited)
        for i in index.in_force(decided, own):
            t = cfg.timeouts[i]
            if not remaining:
                break
            if doubt_only and t.rule is None:
                continue
            if t.interfaces and path.ingress not in t.interfaces and path.egress not in t.interfaces:
                continue  # (an interface's setting covers connections entering or leaving through it)
            if t.paths is not None and path.local not in t.paths:
                continue  # (e.g. a host firewall's setting made on its input hook: not for what it routes)
            match = t.match
            if t.permitted_by:
                match = match.intersect(permitted_by_filter(cfg, t.permitted_by))
            # the form of the packets the match is written in: its rule's stage's, else the record's own
            stage = decided.stage_of(t.rule[0]) if t.rule is not None else None
            if t.rule is not None and stage is None:
                continue  # (its rule is on no stage of this path)
            sure, maybe = as_sent_by(match, o.view(t.sees if stage is None else path.stages[stage].sees),
                                     remaining)
            if t.rule is not None and t.rule != own:
                # (the outcome names the first stage's line: the rule may decide in a later
                # stage, e.g. a router's zone firewall after its inbound access list)
                p_sure, p_maybe = decided.permits(stage).get(t.rule, (NOTHING, NOTHING))
                if t.rule in index.loose:  # (so too where the rule may be the one that lets them through)
                    p_maybe = p_maybe.union(decided.may_reach(stage, t.rule))
                sure, maybe = sure.intersect(p_sure), maybe.intersect(p_maybe)
            if not maybe:
                continue
            # (what the record surely covers is settled by it; what it may cover counts for it too)
            remaining = remaining.subtract(sure)
            if t.unknown or not doubt_only:  # (a timer known but not known to be in force is not reported)
                out.append((t, maybe))
        # devices the site file says the traffic passes through ('through:'), e.g. a NAT gateway
        leaving = o.xlate.forward(o.packets) if others and o.xlate else o.packets
        for t in others:
            got = leaving.intersect(t.match)
            if got:
                out.append((t, got))
    return out


def source_of(t, cfg) -> Source:
    """The line a PRN120 finding on timeout ``t`` of ``cfg`` points at: the timeout's, else the config's head."""
    return t.source or (cfg.head or Source(cfg.path, 1, ""))


def short(t, shift: int) -> bool:
    """Whether timeout ``t`` closes an idle connection before a shift of ``shift`` seconds ends."""
    return t.idle_seconds is not None and not t.dcd and t.idle_seconds < shift


def setting(t) -> str:
    """Timeout ``t`` as a person reads it: ``1:00:00``, ``never``, ``dead connection detection``, ``not known``."""
    if t.unknown:
        return "not known"
    return "dead connection detection" if t.dcd and t.idle_seconds is not None else _fmt(t.idle_seconds)


def run(ctx) -> Iterable[Finding]:
    """PRN120 for each idle timeout shorter than a shift in force for Workshop <-> server TCP."""
    shift = int(ctx.site.shift_hours * 3600)
    judged = space(ctx.pack, ctx.site)
    if not judged:
        return
    for cfg in ctx.configs:
        unsure = [d for d in cfg.diagnostics if d.scope == "timeouts"]
        if not cfg.timeouts:
            if unsure:  # (a timeout line not understood, and none read: the timeout is not known)
                yield _cannot_tell(unsure[0])
            continue
        hits: dict = {}
        doubts: dict = {}  # (the timer of these connections is not in the configuration)
        for t, got in coverage(cfg, judged, ctx.site.through):
            kept = doubts if t.unknown else hits if short(t, shift) else None
            if kept is not None:
                kept.setdefault((t.source.line if t.source else 0, t.label), (t, []))[1].append(got)
        for (_line, _label), (t, parts) in sorted(hits.items(), key=lambda kv: kv[0][0]):
            packets = PacketSet([c for p in parts for c in p.cubes])
            src = source_of(t, cfg)
            msg = ("idle timeout %s (%s) applies to Workshop <-> server TCP traffic: shorter than the %g-hour "
                   "shift, with no dead connection detection" % (_fmt(t.idle_seconds), t.label, ctx.site.shift_hours))
            if t.reset:
                msg += " ('reset' makes the client reconnect at once instead of stalling)"
            status = "fail"
            sev = "error"
            if unsure:
                msg += "; note: %d timeout-related line(s) were not understood" % len(unsure)
            yield Finding("PRN120", sev, msg, src, key=t.label, example=_example(packets, ctx.flows),
                          status=status)
        for (_line, _label), (t, parts) in sorted(doubts.items(), key=lambda kv: kv[0][0]):
            packets = PacketSet([c for p in parts for c in p.cubes])
            yield Finding("PRN120", "warning", "cannot tell the idle timeout of some Workshop <-> server TCP "
                          "traffic: %s" % t.label, source_of(t, cfg), key=t.label,
                          example=_example(packets, ctx.flows), status="unknown")
        if unsure and not hits and not doubts:
            yield _cannot_tell(unsure[0])


def _example(packets: PacketSet, flows) -> tuple | None:
    """A packet of ``packets``: one of a required flow when one is affected (it reads better than port 1)."""
    required = PacketSet([c for f in flows for c in f.packets.cubes])
    example = packets.intersect(required).example() if packets.overlaps(required) else None
    return example or packets.example()


def _cannot_tell(d) -> Finding:
    return Finding("PRN120", "warning", "cannot tell the idle timeout for Workshop <-> server traffic: a "
                   "timeout-related line was not understood", d.source, key="timeouts", status="unknown")


CHECK = Check('idle timeouts', RULES, run)

"""PRN120: the idle timeout for Workshop <-> server traffic is shorter than a shift."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.core.model import Source
from auditor.core.packets import EMPTY, PROTO_TCP, ISet, PacketSet, cube
from auditor.engine import NOT_FILTERED, PERMIT, as_sent, evaluate, permitted_by_filter, run_stage
from auditor.findings import Finding

RULES = (
    RuleInfo(
        "PRN120", "idle-timeout-too-short", "error",
        "The idle timeout in force for Workshop <-> server TCP traffic crossing the firewall is "
        "shorter than a production shift, with no dead connection detection and not 'never'.",
        "Kodak: the firewall must not close idle connections after an arbitrary time; otherwise "
        "Workshop \"may stall for up to a couple of minutes\". Use dead connection detection, or an "
        "idle timeout of at least one shift.",
        "Turn on dead connection detection (or TCP keepalive) for the Workshop <-> server traffic where "
        "the device has it, or set its idle timeout to at least the shift; the per-vendor notes give the "
        "commands.",
    ),
)


def _fmt(secs: int | None) -> str:
    if secs is None:
        return "never"
    return "%d:%02d:%02d" % (secs // 3600, secs % 3600 // 60, secs % 60)


def _decided_by(cfg, path, packets: PacketSet, rule: tuple[str, int]) -> PacketSet:
    """The part of ``packets`` (as routed) that ``rule`` permits in the stage of ``path`` holding its filter."""
    for st in path.stages:
        if rule[0] in st.filters:
            return PacketSet([c for o in run_stage(cfg, st, packets, path) if o.kind == PERMIT and o.rule is not None
                              and (o.rule.filter, o.rule.index) == rule for c in o.packets.cubes])
    return PacketSet()


def run(ctx) -> Iterable[Finding]:
    """PRN120 for each idle timeout shorter than a shift in force for Workshop <-> server TCP."""
    shift = int(ctx.site.shift_hours * 3600)
    clients = EMPTY
    for r in ctx.pack.idle.roles:
        clients = clients.union(ctx.site.addresses(r))
    servers = EMPTY
    for r in ctx.pack.idle.servers:
        servers = servers.union(ctx.site.addresses(r))
    if not clients or not servers:
        return
    tcp = ISet.of(PROTO_TCP)
    space = PacketSet([cube(src=clients, dst=servers, proto=tcp), cube(src=servers, dst=clients, proto=tcp)])
    for cfg in ctx.configs:
        unsure = [d for d in cfg.diagnostics if d.scope == "timeouts"]
        if not cfg.timeouts:
            continue
        hits: dict = {}
        # the connections the device lets through, each with its path and deciding rule
        for o in evaluate(cfg, as_sent(cfg, space)):
            if not o.allowed or o.kind == NOT_FILTERED or o.path is None:
                continue
            path = o.path
            part = remaining = o.xlate.forward(o.packets) if o.xlate else o.packets
            for t in cfg.timeouts:
                if not remaining:
                    break
                if t.through:
                    continue  # another device on the path: checked below, in addition
                if t.interfaces and path.ingress not in t.interfaces and path.egress not in t.interfaces:
                    continue  # (an interface's setting covers connections entering or leaving through it)
                match = t.match
                if t.rule is not None and (o.rule is None or (o.rule.filter, o.rule.index) != t.rule):
                    if o.stage is not None and t.rule[0] in o.stage.filters:
                        continue  # (o's stage decided these packets by o's line or its default: not by t's rule)
                    # (the outcome names the first stage's line: the rule may decide in a later
                    # stage, e.g. a router's zone firewall after its inbound access list)
                    match = match.intersect(_decided_by(cfg, path, remaining, t.rule))
                    if not match:
                        continue
                if t.permitted_by:
                    match = match.intersect(permitted_by_filter(cfg, t.permitted_by))
                got = remaining.intersect(match)
                if not got:
                    continue
                remaining = remaining.subtract(match)
                if t.idle_seconds is None or t.dcd or t.idle_seconds >= shift:
                    continue
                key = (t.source.line if t.source else 0, t.label)
                hits.setdefault(key, (t, []))[1].append(got)
            # devices the site file says the traffic passes through ('through:'), e.g. a NAT gateway
            for t in cfg.timeouts:
                if not t.through or t.through not in ctx.site.through:
                    continue
                got = part.intersect(t.match)
                if not got or t.idle_seconds is None or t.dcd or t.idle_seconds >= shift:
                    continue
                hits.setdefault((t.source.line if t.source else 0, t.label), (t, []))[1].append(got)
        for (_line, _label), (t, parts) in sorted(hits.items(), key=lambda kv: kv[0][0]):
            packets = PacketSet([c for p in parts for c in p.cubes])
            src = t.source or (cfg.head or Source(cfg.path, 1, ""))
            msg = ("idle timeout %s (%s) applies to Workshop <-> server TCP traffic: shorter than the %g-hour "
                   "shift, with no dead connection detection" % (_fmt(t.idle_seconds), t.label, ctx.site.shift_hours))
            if t.reset:
                msg += " ('reset' makes the client reconnect at once instead of stalling)"
            status = "fail"
            sev = "error"
            if unsure:
                msg += "; note: %d timeout-related line(s) were not understood" % len(unsure)
            # show a packet of a required flow when one is affected: it reads better than port 1
            required = PacketSet([c for f in ctx.flows for c in f.packets.cubes])
            example = packets.intersect(required).example() if packets.overlaps(required) else None
            yield Finding("PRN120", sev, msg, src, key=t.label, example=example or packets.example(),
                          status=status)
        if unsure and not hits:
            d = unsure[0]
            yield Finding("PRN120", "warning",
                          "cannot tell the idle timeout for Workshop <-> server traffic: a timeout-related "
                          "line was not understood", d.source, key="timeouts", status="unknown")


CHECK = Check('idle timeouts', RULES, run)

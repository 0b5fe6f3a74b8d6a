"""PRN150: a Prinergy server is reachable from outside the site's roles."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.core.model import Source
from auditor.core.packets import ALL_PORTS, ALL_PROTO, ALL_V4, ALL_V6, PacketSet, cube, parse_network
from auditor.engine import NOT_ROUTED, OWN_TRAFFIC, PERMIT, UNKNOWN, as_sent, evaluate
from auditor.findings import Finding, rule_ref
from auditor.policy import outside_roles

RULES = (
    RuleInfo(
        "PRN150", "server-exposed", "error",
        "A Prinergy server is reachable from addresses outside the site's roles (e.g. the internet).",
        "Kodak: Prinergy \"is not designed to be exposed directly to the internet or an unsafe "
        "network\" (8.0 System Administration Guide, Maintenance). Where a line the auditor "
        "reads only in part (an identity or time criterion, an undefined object, a NAT pool) may let "
        "outside traffic reach a server, the finding is a warning whose status is 'unknown', and the "
        "verdict is unknown rather than pass.",
        "Restrict the permitting line to the site's Workshop, admin and server addresses, or put "
        "the servers behind a VPN.",
    ),
)

_PRIVATE = PacketSet([cube(src=parse_network(n)) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")])


def permitted_by_line(cfg, packets: PacketSet, ctx=None) -> dict:
    """Permitted parts of ``packets`` grouped by the deciding source line.

    With ``ctx`` (``packets`` then go to Prinergy servers only), they are taken from the
    evaluation of every packet to the servers the context keeps (``Context.server_outcomes``): the
    first match of a part of a set is that part of the set's first match."""
    return _by_line(cfg, packets, ctx, PERMIT)


def _by_line(cfg, packets: PacketSet, ctx, kind: str) -> dict:
    """The parts of ``packets`` that end in ``kind`` (PERMIT or UNKNOWN), grouped by source line."""
    from dataclasses import replace

    out: dict = {}
    if ctx is not None:
        sent = as_sent(cfg, packets, direct=True)
        outs = []
        every = ctx.server_outcomes[id(cfg)][kind]
        if packets.cubes == (cube(dst=ctx.server_addresses()),):
            outs = every  # (all of it)
        for o in every if outs is not every else ():
            if o.packets.overlaps(sent):
                part = o.packets.intersect(sent)
                if part:
                    outs.append(replace(o, packets=part))
    else:
        outs = [o for o in evaluate(cfg, as_sent(cfg, packets, direct=True)) if o.kind == kind and o.may_permit]
    for o in outs:
        src = o.source
        key = (src.path, src.line) if src else None
        out.setdefault(key, []).append(o)
    return out


def run(ctx) -> Iterable[Finding]:
    """PRN150 for each line that lets addresses outside the site's roles reach a Prinergy server."""
    servers = ctx.server_addresses()
    if not servers:
        return
    space = PacketSet([cube(src=outside_roles(ctx.site, ctx.pack), dst=servers, proto=ALL_PROTO, sport=ALL_PORTS)])
    # (the flows a pack requires from its external roles, e.g. the internet to a portal, are not exposure)
    needed = [c for f in ctx.flows if getattr(ctx.pack.role_specs.get(f.src_role), "external", False)
              for c in f.any_sport.cubes]
    if needed:
        space = space.subtract(PacketSet(needed))
    for cfg in ctx.configs:
        # (a platform's own service addresses, e.g. Azure's health probes, are no outside party)
        mine = space.subtract(PacketSet([cube(src=cfg.platform_sources)])) if cfg.platform_sources else space
        for _key, outs in permitted_by_line(cfg, mine, ctx).items():
            o = outs[0]
            if o.source is None:
                continue
            packets = PacketSet([c for x in outs for c in x.packets])
            example = packets.example(avoid=_PRIVATE)
            how = "%s permits it" % rule_ref(o.rule) if o.rule else o.reason
            yield Finding(
                "PRN150", "error",
                "a Prinergy server is reachable from outside the site's roles: %s" % how,
                o.source, key="exposed", example=example,
            )
        # a line the auditor reads only in part (or a NAT pool) may let them in: not a pass
        for _key, outs in _by_line(cfg, mine, ctx, UNKNOWN).items():
            o = outs[0]
            packets = PacketSet([c for x in outs for c in x.packets])
            src = o.source or Source(cfg.path, 1, "")
            yield Finding(
                "PRN150", "warning",
                "cannot tell whether a Prinergy server is reachable from outside the site's roles: "
                "it depends on line %d (%s)" % (src.line, o.reason or "not fully understood"),
                src, key="exposed", example=packets.example(avoid=_PRIVATE), status="unknown",
            )
        yield from _own_servers(ctx, cfg, mine)


def _own_servers(ctx, cfg, space: PacketSet) -> Iterable[Finding]:
    """PRN150 unknown at the site's line of a server's address that is the device's own (every address of
    the entry: ``checks.required_flows.own_role_parts``), where the packets from outside to it are the
    device's own traffic: its access rules do not decide them (management access does), so whether the
    server is reachable is not known (the role's address is mistyped, or the "server" is the device)."""
    own = cfg.local_addresses
    if not own:
        return
    for role in ctx.pack.server_roles:
        for e in ctx.site.roles.get(role, ()):
            if not e.addresses or not e.addresses.issubset(own):
                continue
            # (from another host of the server's own family: the device's own packets to itself are no outside
            # party's, and a packet from an IPv6 address to an IPv4 one is never sent)
            part = space.intersect(PacketSet([cube(src=fam.subtract(own), dst=e.addresses.intersect(fam))
                                              for fam in (ALL_V4, ALL_V6) if e.addresses.overlaps(fam)]))
            mine = [o for o in evaluate(cfg, as_sent(cfg, part, direct=True))
                    if o.kind == NOT_ROUTED and o.reason == OWN_TRAFFIC] if part else []
            if mine:
                yield Finding(
                    "PRN150", "warning",
                    "cannot tell whether Prinergy server %s = %s is reachable from outside the site's roles: it "
                    "is the device's own address, and only traffic through the device is evaluated (is the "
                    "role's address mistyped?)" % (e.role, e.text),
                    e.source, key="exposed", example=mine[0].packets.example(avoid=_PRIVATE), status="unknown",
                    extra={"own_address": "%s = %s" % (e.role, e.text)},
                )


CHECK = Check('exposure', RULES, run)

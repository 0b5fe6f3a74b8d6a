"""PRN170: a permit that reaches a Prinergy server allows more than every flow of the pack.

For each line that permits traffic to a server role's addresses, the part of what it permits (as
the device decides it, first match) that no flow of the pack needs between the site's roles:
``permit tcp any host PRIMARY`` opens 1-65535/tcp where Prinergy needs a few ports from a few
roles.  A flow's service is its protocol and destination ports from any source port (a rule that
opens a flow opens it from every source port).  Info: a reviewer's prompt to narrow the rule.
"""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.checks.exposure import permitted_by_line
from auditor.core.packets import ALL_ADDR, EMPTY, Cube, ISet, PacketSet, cube, format_packet, replies
from auditor.engine import as_sent, has_stateless
from auditor.findings import Finding, describe_packets, describe_services, rule_ref

RULES = (
    RuleInfo(
        "PRN170", "least-privilege", "info",
        "A rule that permits traffic to a Prinergy server allows more than the policy pack's flows need.",
        "Kodak lists the ports Prinergy needs between its roles; whatever a rule opens to a server "
        "beyond them is attack surface Prinergy does not use (least privilege: a rule should open "
        "what the flows need, from the roles that need it).",
        "Narrow the rule to the flows it is meant for (the finding lists what it allows beyond them, "
        "as packet sets with an example), or split it into rules per flow; if the extra traffic is "
        "needed by something else, add that flow to a site pack (README: Writing a policy pack) or waive the finding.",
    ),
)

_SHOWN = 3  # parts of the extra traffic named in the message


def run(ctx) -> Iterable[Finding]:
    """PRN170 for each line that permits traffic to a Prinergy server beyond every flow of the pack."""
    servers = ctx.server_addresses()
    if not servers:
        return
    needed = PacketSet([c for f in ctx.flows for c in f.any_sport.cubes])
    space = PacketSet([cube(src=ALL_ADDR, dst=servers)])
    for cfg in ctx.configs:
        wanted = as_sent(cfg, needed, direct=True) if needed else needed
        if needed and has_stateless(cfg):  # (a stateless stage needs rules for the flows' replies too)
            wanted = wanted.union(replies(needed))
        for _key, outs in permitted_by_line(cfg, space, ctx).items():
            o = outs[0]
            if o.source is None or o.rule is None:
                continue
            permitted = PacketSet([c for x in outs for c in x.packets.cubes])
            extra = permitted.subtract(wanted) if wanted else permitted
            # (a host's packets to itself are no traffic between hosts: they expose the server to no one)
            extra = PacketSet([c for c in extra.cubes if not _to_itself(c)])
            if not extra:
                continue
            shown = _as_written(extra, cfg, outs, wanted)
            parts = describe_packets(shown, _SHOWN)
            inside = permitted.intersect(wanted) if wanted else PacketSet()
            need = ("; the pack's flows it carries use %s" % describe_services(inside)) if inside else (
                "; it carries no flow of the pack")
            yield Finding(
                "PRN170", "info",
                "%s permits more to Prinergy servers than the pack's flows need: %s%s"
                % (rule_ref(o.rule), "; ".join(parts), need),
                o.source, key="least-privilege", example=extra.example(),
                extra={"beyond": describe_packets(shown, 50), "beyond_example": format_packet(extra.example())},
            )


def _to_itself(c) -> bool:
    """Whether every packet of cube ``c`` is from one address to that same address."""
    src, dst = c.dims[0].iv, c.dims[1].iv
    return len(src) == 1 and src == dst and src[0][0] == src[0][1]


def _as_written(extra: PacketSet, cfg, outs, wanted: PacketSet) -> PacketSet:
    """``extra`` described as the rule reads: an address of the device's own on the interface the
    traffic enters, which no transit packet has (``Config.local_addresses``), is put back inside the
    source ranges around it, so that ``10.30.0.0/24`` does not read ``10.30.0.0, 10.30.0.2-10.30.0.255``
    on a firewall whose address there is 10.30.0.1.  (The example packet stays one the device forwards.)"""
    own = cfg.local_addresses
    if not own:
        return extra
    nets = {i.name: i.networks for i in cfg.interfaces}
    cubes = []
    for o in outs:
        part = o.packets.subtract(wanted) if wanted else o.packets
        near = own.intersect(nets.get(o.path.ingress, EMPTY)) if o.path is not None else EMPTY
        for c in part.cubes:
            src = c.dims[0]
            fill = near.intersect(ISet.of(src.iv[0][0], src.iv[-1][1])) if near and src.iv else EMPTY
            cubes.append(Cube.from_dims((src.union(fill),) + c.dims[1:]) if fill else c)
    return PacketSet(cubes).union(extra)


CHECK = Check("least privilege", RULES, run)

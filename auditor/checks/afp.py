"""PRN160: AFP (548/tcp) permitted to a Prinergy server."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.checks.exposure import permitted_by_line
from auditor.core.packets import ALL_ADDR, PROTO_TCP, ISet, PacketSet, cube
from auditor.findings import Finding

RULES = (
    RuleInfo(
        "PRN160", "afp-permitted", "info",
        "AFP (548/tcp) is permitted to a Prinergy server.",
        "Kodak: \"AFP is not qualified with Prinergy Workflow 8.0\" (nor later); the port is listed "
        "for legacy configurations only.",
        "Mount job volumes over SMB (445/tcp) and remove the AFP permit when no legacy Mac needs it.",
    ),
)


def run(ctx) -> Iterable[Finding]:
    """PRN160 for each line that permits AFP (548/tcp) to a Prinergy server."""
    servers = ctx.server_addresses()
    if not servers:
        return
    space = PacketSet([cube(src=ALL_ADDR, dst=servers, proto=ISet.of(PROTO_TCP), dport=ISet.of(548))])
    for cfg in ctx.configs:
        for _key, outs in permitted_by_line(cfg, space, ctx).items():
            o = outs[0]
            if o.source is None or o.rule is None:
                continue
            example = PacketSet([c for x in outs for c in x.packets]).example()
            yield Finding("PRN160", "info",
                          "AFP (548/tcp) is permitted to a Prinergy server by line %d; AFP is not "
                          "qualified since Prinergy 8.0" % o.source.line,
                          o.source, key="afp", example=example)


CHECK = Check('AFP', RULES, run)

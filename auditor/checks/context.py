"""What every check reads: the parsed configs, the pack, the site, and
evaluations shared between checks (computed once, on first use)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from auditor.core.model import Config
from auditor.engine import Outcome, as_sent, connection, off_target
from auditor.policy import Pack, RequiredFlow, Site, required_flows


@dataclass
class Context:
    configs: list[Config]
    pack: Pack
    site: Site
    notes: list[str] = field(default_factory=list)

    @cached_property
    def _flows(self) -> tuple[list[RequiredFlow], list[tuple[str, str, tuple]]]:
        return required_flows(self.pack, self.site)

    @property
    def flows(self) -> list[RequiredFlow]:
        return self._flows[0]

    @property
    def unchecked(self) -> list[tuple[str, str, tuple]]:
        return self._flows[1]

    @cached_property
    def flow_outcomes(self) -> list[tuple[Config, RequiredFlow, list[Outcome]]]:
        """Every required flow through every config, decided exactly: the packets clients send
        (to a mapped address where NAT presents the server), and, through stateless stages,
        the later packets and the replies of the connection.  What a destination NAT sends elsewhere than the
        flow's destination is unknown (``off_target``)."""
        return [(cfg, f, off_target(connection(cfg, as_sent(cfg, f.packets)), f.packets))
                for cfg in self.configs for f in self.flows]

    @cached_property
    def server_outcomes(self) -> dict:
        """Per config (by identity), then by outcome kind (PERMIT, UNKNOWN), the permitted and the
        undecided parts of every packet to a Prinergy server's address, as clients send them: PRN150,
        PRN160 and PRN170 each read a part of it (one evaluation instead of three)."""
        from auditor.core.packets import ALL_V4, ALL_V6, PacketSet, cube
        from auditor.engine import PERMIT, UNKNOWN, evaluate

        servers = self.server_addresses()
        # (from an address of the server's own family: a packet from an IPv6 address to an IPv4 one is
        # never sent, and a rule over "any" that would pass it exposes nothing)
        real = PacketSet([c for fam in (ALL_V4, ALL_V6) if servers and servers.overlaps(fam)
                          for c in (cube(src=fam, dst=servers.intersect(fam)),)])
        out: dict = {}
        for cfg in self.configs:
            kinds: dict = {PERMIT: [], UNKNOWN: []}
            out[id(cfg)] = kinds
            if servers:
                space = as_sent(cfg, real, direct=True)
                for o in evaluate(cfg, space):
                    if o.may_permit:  # (the rest no line of this device lets through)
                        kinds.get(o.kind, []).append(o)
        return out

    def server_addresses(self):
        return self.pack.server_addresses(self.site)

"""The upgrade check: what a firewall must change before a site moves from one pack to another.

``upgrade(configs, site, "prinergy-8", "prinergy-9")`` evaluates both packs' flows exactly on the
configs (as the audit does) and reports

* **to open**: the flows the target pack needs that the configs block today, fully or partly,
  each with the lines that block it, an example packet, and whether the blocked part is new
  (not needed by the source pack either) or was already missing;
* **to close**: the traffic the source pack needed that no flow of the target pack needs any
  more, where the configs still permit it, each with the lines that permit it;
* **undecided**: parts of target flows that reach a line not understood, or that are from or to a role's
  address that is the device's own (``checks.required_flows.own_role_parts``: its access rules do not decide
  that traffic, as the audit reports it).

Nothing here knows a vendor; ``render_text`` and ``UpgradeResult.to_json`` are its outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from auditor.checks.required_flows import own_role_parts, own_role_text
from auditor.core.model import Config, Source
from auditor.core.packets import PacketSet, format_packet, packet_json
from auditor.engine import DENY, PERMIT, UNKNOWN, as_sent, connection, evaluate
from auditor.findings import describe_packets
from auditor.policy import Pack, RequiredFlow, Site, check_roles, load_pack, required_flows


@dataclass
class Line:
    """A config line involved in an upgrade item, with the part of the flow it decides."""

    source: Source
    packets: PacketSet
    phase: str = "new"
    reason: str = ""

    def to_json(self) -> dict:
        out = {"path": self.source.path, "line": self.source.line, "text": self.source.text,
               "packets": describe_packets(self.packets), "example": packet_json(self.packets.example())}
        if self.phase != "new":
            out["phase"] = self.phase
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class Item:
    """One flow of the upgrade: to open (blocked), to close (no longer needed), or undecided."""

    kind: str  # open | close | unknown
    flow: RequiredFlow
    lines: list[Line]
    new: bool = False  # (to open) the blocked part is not needed by the source pack either
    extent: str = ""  # (to open) fully | partly

    def to_json(self) -> dict:
        out = {"flow": self.flow.key, "label": self.flow.spec.label, "proto": self.flow.spec.proto,
               "ports": self.flow.spec.ports, "severity": self.flow.spec.severity,
               "lines": [x.to_json() for x in self.lines]}
        if self.kind == "open":
            out["extent"] = self.extent
            out["new_in_target"] = self.new
        return out


@dataclass
class UpgradeResult:
    source: Pack
    target: Pack
    configs: list[Config]
    to_open: list[Item] = field(default_factory=list)
    to_close: list[Item] = field(default_factory=list)
    undecided: list[Item] = field(default_factory=list)
    not_checked: list[tuple[str, str, tuple]] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """blocked (a flow the target needs is blocked), unknown (a part is undecided) or ready."""
        if self.to_open:
            return "blocked"
        return "unknown" if self.undecided else "ready"

    def to_json(self) -> dict:
        return {
            "schema_version": 1,
            "from": self.source.name,
            "to": self.target.name,
            "verdict": self.verdict,
            "inputs": [{"path": c.path, "vendor": c.vendor} for c in self.configs],
            "to_open": [i.to_json() for i in self.to_open],
            "to_close": [i.to_json() for i in self.to_close],
            "undecided": [i.to_json() for i in self.undecided],
            "not_checked": [{"flow": k, "reason": "roles %s" % r} for k, r, _ in self.not_checked],
        }


def upgrade(configs: Sequence[Config], site: Site, source: str, target: str) -> UpgradeResult:
    """Compare what ``configs`` do for the flows of pack ``source`` and pack ``target`` (names or paths)."""
    src_pack, dst_pack = load_pack(source), load_pack(target)
    check_roles(dst_pack, site, tuple(src_pack.roles()))
    src_flows, _ = required_flows(src_pack, site)
    dst_flows, unchecked = required_flows(dst_pack, site)
    src_needed = _union(f.packets for f in src_flows)
    dst_needed = _union(f.packets for f in dst_flows)
    result = UpgradeResult(src_pack, dst_pack, list(configs), not_checked=unchecked)
    for cfg in configs:
        for flow in dst_flows:
            _needed(cfg, flow, src_needed, result, site)
        for flow in src_flows:
            gone = flow.packets.subtract(dst_needed)
            if gone:
                _no_longer_needed(cfg, flow, gone, result)
    return result


def _union(sets) -> PacketSet:
    cubes = [c for s in sets for c in s.cubes]
    return PacketSet(cubes)


def _by_line(outcomes, kinds) -> list[Line]:
    groups: dict[tuple, list] = {}
    for o in outcomes:
        if o.kind in kinds and o.source is not None:
            groups.setdefault((o.source.path, o.source.line, o.phase), []).append(o)
    out = []
    for (_p, _l, phase), outs in sorted(groups.items()):
        o = outs[0]
        reason = o.reason if o.rule is None or o.kind == UNKNOWN else ""
        out.append(Line(o.source, PacketSet([c for x in outs for c in x.packets.cubes]), phase, reason))
    return out


def _needed(cfg: Config, flow: RequiredFlow, src_needed: PacketSet, result: UpgradeResult, site: Site) -> None:
    outcomes = connection(cfg, as_sent(cfg, flow.packets))
    phases = {o.phase for o in outcomes}
    allowed = all(any(o.allowed for o in outcomes if o.phase == ph) for ph in phases)
    blocked = _by_line(outcomes, (DENY,))
    if blocked:
        new_part = PacketSet([c for x in blocked if x.phase == "new" for c in x.packets.cubes])
        new = bool(new_part.subtract(as_sent(cfg, src_needed))) if new_part else False
        extent = "partly" if allowed or len(blocked) > 1 else "fully"
        result.to_open.append(Item("open", flow, blocked, new, extent))
    unsure = _by_line(outcomes, (UNKNOWN,))
    # (a role at one of the device's own addresses: that traffic is the device's own, not decided here)
    unsure += [Line(e.source, packets, reason="%s: only traffic through the device is evaluated"
                    % own_role_text(e, iface))
               for e, packets, _example, iface in own_role_parts(site, cfg, flow, outcomes)]
    if unsure:
        result.undecided.append(Item("unknown", flow, unsure))


def _no_longer_needed(cfg: Config, flow: RequiredFlow, gone: PacketSet, result: UpgradeResult) -> None:
    permits = _by_line(evaluate(cfg, as_sent(cfg, gone)), (PERMIT,))
    permits = [x for x in permits if not x.reason]  # (a line that permits, not a default or a path note)
    if permits:
        result.to_close.append(Item("close", flow, permits))


def render_text(r: UpgradeResult) -> str:
    """The upgrade check for people: what to open first, what may be closed, each with its lines."""
    out = ["upgrade %s -> %s: %s" % (r.source.name, r.target.name, ", ".join(c.path for c in r.configs)), ""]
    if r.to_open:
        out.append("TO OPEN before the upgrade (%d): flows %s needs that the firewall blocks" % (
            len(r.to_open), r.target.name))
        for i in r.to_open:
            tag = "new in %s" % r.target.name if i.new else "needed by %s too" % r.source.name
            out.append("  %s %s is %s blocked (%s)" % (i.flow.spec.severity, i.flow.describe(), i.extent, tag))
            _lines(out, i.lines)
        out.append("")
    if r.to_close:
        out.append("NO LONGER NEEDED by %s, still permitted (%d): may be closed after the upgrade" % (
            r.target.name, len(r.to_close)))
        for i in r.to_close:
            out.append("  %s (%s)" % (i.flow.describe(), r.source.name))
            _lines(out, i.lines)
        out.append("")
    if r.undecided:
        out.append("UNDECIDED (%d): parts of flows %s needs that cannot be decided" % (
            len(r.undecided), r.target.name))
        for i in r.undecided:
            out.append("  %s" % i.flow.describe())
            _lines(out, i.lines)
        out.append("")
    if r.not_checked:
        roles = sorted({x for _k, _r, missing in r.not_checked for x in missing})
        if roles:
            out.append("not checked: roles not defined by the site: %s" % ", ".join(roles))
    out.append("upgrade verdict: %s  (%d to open, %d no longer needed, %d undecided)" % (
        r.verdict.upper(), len(r.to_open), len(r.to_close), len(r.undecided)))
    return "\n".join(out) + "\n"


def _lines(out: list[str], lines: list[Line]) -> None:
    for x in lines:
        how = " (%s)" % x.reason if x.reason else ""
        phase = " [%s packets]" % x.phase if x.phase != "new" else ""
        out.append("      %s:%d%s%s | %s" % (x.source.path, x.source.line, how, phase, x.source.text.strip()))
        what = "; ".join(describe_packets(x.packets, 2))
        out.append("          %s, e.g. %s" % (what, format_packet(x.packets.example())))

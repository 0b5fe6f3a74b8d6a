"""Fixes proven safe: for a blocked required flow, the smallest change that opens exactly it.

For each flow a config blocks (PRN100, fully or partly), ``propose`` asks the vendor's ``fix``
hook (``parsers.kit.fix``) for a change in the vendor's own commands that permits the blocked
packets where first-match order needs it (before the blocking rule, or after a stage's rules
when its default denies), applies it to a copy of the configuration through the vendor's
``apply_change`` hook, and re-evaluates: where another stage still blocks the flow, it asks again,
until the flow passes.  Then it **proves** the whole change on the original configuration:

* the gap is gone: no packet of the flow is denied any more (re-evaluated exactly, every phase);
* the change opens nothing else: ``diff.traffic_changes`` over the whole packet space shows the
  newly permitted traffic inside the flow (its packets as clients send them, and their replies),
  and nothing newly denied or undecided.

A change that fails the proof is not offered; the reason is kept (``Refusal``).  The fixes of one
config are also proven together, applied one after the other: that is the change file
``audit --fix-out`` writes and ``check-change`` accepts.  Nothing here knows a vendor.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from auditor.core.model import Config, Source
from auditor.core.packets import PacketSet, format_packet, packet_json, replies
from auditor.diff import apply_change, traffic_changes
from auditor.engine import DENY, as_sent, connection
from auditor.findings import Finding, describe_packets, merged
from auditor.policy import RequiredFlow

MAX_STEPS = 8  # stages of one path a flow may have to be opened at
CHANGE_NAME = "fix.txt"  # how the change is named while it is proven (errors name it)


@dataclass
class Fix:
    """A proven change that opens one blocked flow of one config."""

    config: str  # the config's path
    vendor: str
    flow: str  # the flow's key
    label: str  # the flow in words
    change: str  # the change request, in the vendor's commands (``check-change`` accepts it)
    closes: list[Source]  # the lines that blocked the flow
    opens: PacketSet  # the traffic it newly permits (proven inside the flow)
    edits: list[dict] = field(default_factory=list)  # the config file's edits (for SARIF): see ``_edits``
    resolves: list[str] = field(default_factory=list)  # fingerprints of the PRN100 findings it resolves

    def to_json(self) -> dict:
        # (a fix that lets only the flow's replies through opens no connection: no example packet)
        ex = self.opens.example()
        return {
            "config": self.config,
            "vendor": self.vendor,
            "flow": self.flow,
            "label": self.label,
            "change": self.change,
            "closes": [{"path": s.path, "line": s.line, "text": s.text} for s in self.closes],
            "opens": describe_packets(self.opens, 10),
            "example": packet_json(ex) if ex is not None else None,
            "example_text": format_packet(ex) if ex is not None else "",
            "proven": True,
            "resolves": self.resolves,
        }


@dataclass
class Refusal:
    """A blocked flow no fix is offered for, and why."""

    config: str
    flow: str
    label: str
    reason: str

    def to_json(self) -> dict:
        return {"config": self.config, "flow": self.flow, "label": self.label, "reason": self.reason}


@dataclass
class Fixes:
    """Every fix of an audit, the flows without one, and each config's fixes as one change file."""

    fixes: list[Fix] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    combined: dict[str, str] = field(default_factory=dict)  # config path -> every fix of it, in order
    not_combined: dict[str, str] = field(default_factory=dict)  # config path -> why they cannot go together

    def for_finding(self, f: Finding) -> Fix | None:
        fp = f.fingerprint
        return next((x for x in self.fixes if fp in x.resolves), None)

    def change_file(self) -> str:
        """The change file for ``--fix-out``: every config's proven fixes (one config: its change)."""
        return "".join(self.combined.values())

    def to_json(self) -> dict:
        return {"fixes": [x.to_json() for x in self.fixes], "refused": [x.to_json() for x in self.refused],
                "not_combined": self.not_combined}


class _Refused(Exception):
    pass


def propose(result, texts: dict[str, str], flows: Sequence[RequiredFlow], site=None,
            policy: str | None = None, part: str | None = None) -> Fixes:
    """Proven fixes for the blocked flows of ``result`` (an ``AuditResult`` of ``site`` and
    ``policy``) in the configs whose text is in ``texts`` (path -> the text the config was parsed
    from; ``part``: the device part it was parsed as, e.g. a FortiOS VDOM)."""
    import parsers

    out = Fixes()
    for cfg in result.configs:
        text = texts.get(cfg.path)
        if text is None:
            continue
        failing: dict[str, list[Finding]] = {}
        for f in result.findings:
            if f.rule_id == "PRN100" and f.status == "fail" and f.source.path == cfg.path:
                failing.setdefault(f.key, []).append(f)
        if not failing:
            continue
        vendor = parsers.load(cfg.vendor) if cfg.vendor in parsers.VENDORS else None
        if vendor is None or vendor.fix is None or vendor.apply_change is None:
            for flow in flows:
                if flow.key in failing:
                    out.refused.append(Refusal(cfg.path, flow.key, flow.describe(),
                                               "no fixes for %s configs yet" % cfg.vendor))
            continue
        fixer = _Fixer(cfg, text, vendor.fix, site, policy, result, part)
        for flow in flows:
            if flow.key not in failing:
                continue
            try:
                change, opens = fixer.fix(flow)
            except _Refused as e:
                out.refused.append(Refusal(cfg.path, flow.key, flow.describe(), str(e)))
                continue
            found = failing[flow.key]
            fix = Fix(cfg.path, cfg.vendor, flow.key, flow.describe(), change,
                      sorted({f.source for f in found}, key=lambda s: s.line), opens,
                      resolves=[f.fingerprint for f in found])
            fix.edits = _edits(cfg, text, change)
            out.fixes.append(fix)
        mine = [f for f in flows if any(x.config == cfg.path and x.flow == f.key for x in out.fixes)]
        if mine:
            try:
                out.combined[cfg.path] = fixer.combine(mine)
            except _Refused as e:
                out.not_combined[cfg.path] = str(e)
    return out


class _Fixer:
    """The fixes of one config: asked of its vendor's hook, applied to copies, proven."""

    def __init__(self, cfg: Config, text: str, hook, site, policy: str | None, result, part: str | None = None):
        self.cfg, self.text, self.hook, self.site, self.policy = cfg, text, hook, site, policy
        self.part = part  # the device part the config is (a FortiOS VDOM): each changed copy is read as it
        self.known = {(f.rule_id, f.source.line, f.key) for f in result.findings if f.source.path == cfg.path}
        self.wide: dict[str, bool] = {}
        pack = None
        if site is not None:
            from auditor.policy import load_pack

            pack = load_pack(policy or site.policy or "prinergy-8")
        self.idle = PacketSet()  # Workshop <-> server TCP, where PRN120 wants a shift's idle timeout
        if pack is not None:
            from auditor.core.packets import EMPTY, PROTO_TCP, ISet, cube

            def where(roles) -> ISet:
                out = EMPTY
                for r in roles:
                    out = out.union(site.addresses(r))
                return out

            clients, servers = where(pack.idle.roles), where(pack.idle.servers)
            tcp = ISet.of(PROTO_TCP)
            self.idle = PacketSet([cube(src=clients, dst=servers, proto=tcp),
                                   cube(src=servers, dst=clients, proto=tcp)])
        self.shift = int(site.shift_hours * 3600) if site is not None else 8 * 3600

    # --- one flow ------------------------------------------------------------------------------
    def fix(self, flow: RequiredFlow) -> tuple[str, PacketSet]:
        """(the change, what it newly permits): the vendor is asked for the whole flow at each
        place that blocks it (``request``); when that change fails the proof, for exactly the
        blocked packets."""
        try:
            got = self._fix(flow, True)
            self.wide[flow.key] = True
        except _Refused:
            got = self._fix(flow, False)
            self.wide[flow.key] = False
        return got

    def _fix(self, flow: RequiredFlow, wide: bool) -> tuple[str, PacketSet]:
        cur_text, cur = self.text, self.cfg
        changes: list[str] = []
        gaps = _gaps(cur, flow)
        for _step in range(MAX_STEPS):
            if not gaps:
                break
            change = self.ask(cur, cur_text, flow, gaps, wide)
            nxt_text = self.apply(cur_text, change)
            nxt = self.parse(nxt_text)
            after = _gaps(nxt, flow)
            if any(_same_gap(g, gaps[0]) for g in after):
                raise _Refused("the change written for it leaves %s blocking it" % _where(gaps[0]))
            changes.append(change)
            cur_text, cur, gaps = nxt_text, nxt, after
        if gaps:
            raise _Refused("still blocked after %d changes (%s)" % (MAX_STEPS, _where(gaps[0])))
        change = "".join(changes)
        return change, self.prove(change, [flow])

    def ask(self, cur: Config, cur_text: str, flow: RequiredFlow, gaps: list, wide: bool) -> str:
        from parsers.kit.fix import CannotFix

        try:
            change = self.hook(cur_text, self.request(cur, flow, gaps, wide))
        except CannotFix as e:
            raise _Refused(str(e)) from None
        return change if change.endswith("\n") else change + "\n"

    def request(self, cfg: Config, flow: RequiredFlow, gaps: list, wide: bool = False):
        """The ``FixRequest`` for the first gap: its stage and rule, the packets it blocks there.

        ``wide`` asks for the whole flow (its replies, for a reply gap) there instead: a rule as
        an administrator writes it (the role's network, not the network less the addresses decided
        elsewhere); the packets of the flow that do not reach that place, or are decided before
        it, are not changed by it, and the proof says whether that holds."""
        from parsers.kit.fix import FixRequest

        o = gaps[0]
        if o.stage is None:
            raise _Refused("what blocks it is not a filter (%s)" % (o.reason or "no route"))
        same = [g for g in gaps if g.stage is o.stage and g.rule is o.rule and g.phase == o.phase]
        seen = PacketSet()
        for g in same:
            pkts = g.packets
            if wide:
                pkts = replies(flow.packets) if g.phase == "reply" else as_sent(cfg, flow.packets)
            if o.stage.sees != "sent" and g.xlate:
                if g.phase == "reply":
                    raise _Refused("its replies are translated (NAT) on a stateless path")
                pkts = g.xlate.forward(pkts)
            seen = seen.union(pkts)
        idle = self.shift if self.idle and flow.packets.overlaps(self.idle) else None
        return FixRequest(cfg, o.path, o.stage, o.rule, merged(seen), flow.spec.id,
                          "%s %s -> %s" % (flow.spec.label, flow.src_role, flow.dst_role), o.phase, idle)

    # --- applying and proving ------------------------------------------------------------------
    def apply(self, text: str, change: str, with_origins: bool = False):
        """The text with the change applied (and, ``with_origins``, where each line came from)."""
        from parsers import InputError

        try:
            got = apply_change(self.cfg.vendor, text, self.cfg.path, change, CHANGE_NAME)
            return got if with_origins else got[0]
        except InputError as e:
            raise _Refused("the change written for it does not apply (%s)" % e) from None

    def parse(self, text: str) -> Config:
        import parsers

        vendor = parsers.load(self.cfg.vendor)
        if self.part is not None and vendor.parse_part is not None:
            new = vendor.parse_part(text, self.cfg.path, self.part)
        else:
            new = vendor.parse(text, self.cfg.path)
        local = self.cfg.local_addresses
        return replace(new, local_addresses=local) if local is not None else new

    def prove(self, change: str, flows: Sequence[RequiredFlow]) -> PacketSet:
        """What ``change`` newly permits, once proven: every gap of ``flows`` closed, nothing newly
        denied or undecided, the newly permitted traffic inside the flows, and no new error
        finding (``_Refused`` otherwise)."""
        new_text, origins = self.apply(self.text, change, with_origins=True)
        new = self.parse(new_text)
        for flow in flows:
            left = _gaps(new, flow)
            if left:
                raise _Refused("the change leaves it blocked at %s" % _where(left[0]))
        got = traffic_changes(self.cfg, new, flows)
        for kind in ("denied", "unknown"):
            if got[kind]:
                c = got[kind][0]
                raise _Refused("the change would also make traffic %s: %s" % (
                    "denied" if kind == "denied" else "undecided", "; ".join(describe_packets(c.packets, 2))))
        # (what was undecided before and is permitted now counts as opened: a rule written before a line
        # not understood decides it now; inside the flow that is what was asked, beyond it is refused)
        opens = PacketSet([c for ch in got["permitted"] for c in ch.packets.cubes])
        allowed = PacketSet()
        for flow in flows:
            sent = as_sent(self.cfg, flow.packets).union(flow.packets)
            allowed = allowed.union(sent).union(replies(sent))
        beyond = opens.subtract(allowed)
        if beyond:
            raise _Refused("the change would also permit %s (e.g. %s)" % (
                "; ".join(describe_packets(beyond, 2)), format_packet(beyond.example())))
        if self.site is not None:
            self.no_new_errors(new, origins)
        return merged(opens)

    def no_new_errors(self, new: Config, origins: dict) -> None:
        """The changed config's audit has no error finding the original's has not, on the line it
        came from (what ``check-change`` would fail on, e.g. an idle timeout a new rule brings);
        a line the change rewrote (a list renumbered) is the line it was."""
        from auditor.audit import audit

        for f in audit([new], self.site, self.policy).findings:
            # (PRN100 is left out: nothing is newly denied, proven above; a blocked flow's finding at
            # an implicit deny quotes the list's last line, which an appended rule changes)
            if f.rule_id == "PRN100" or f.severity != "error" or f.status == "unknown" or f.waived:
                continue
            o = origins.get(f.source.line) if f.source.path == self.cfg.path else None
            if o is not None and o.path == self.cfg.path and (f.rule_id, o.line, f.key) in self.known:
                continue
            raise _Refused("the change would bring a new %s finding at line %d: %s"
                           % (f.rule_id, f.source.line, f.message))

    def combine(self, flows: list[RequiredFlow]) -> str:
        """Every fix of the config, written one after the other on the config as the earlier ones
        leave it (so each applies where it should), proven together: the ``--fix-out`` file."""
        cur_text, cur = self.text, self.cfg
        parts: list[str] = []
        for flow in flows:
            for _step in range(MAX_STEPS):
                gaps = _gaps(cur, flow)
                if not gaps:
                    break
                change = self.ask(cur, cur_text, flow, gaps, self.wide.get(flow.key, False))
                cur_text = self.apply(cur_text, change)
                cur = self.parse(cur_text)
                parts.append(change)
        change = "".join(parts)
        self.prove(change, flows)
        return change


def _gaps(cfg: Config, flow: RequiredFlow) -> list:
    return [o for o in connection(cfg, as_sent(cfg, flow.packets)) if o.kind == DENY]


def _same_gap(a, b) -> bool:
    """The same stage, rule (by its text: the change moves lines) and phase."""
    def key(o):
        return (o.stage.name if o.stage else None, o.rule is None, o.source.text if o.source else o.reason, o.phase)

    return key(a) == key(b)


def _where(o) -> str:
    if o.source is None:
        return o.reason or "the default"
    return "line %d" % o.source.line if o.rule is not None else "%s, line %d" % (o.reason, o.source.line)


def _edits(cfg: Config, text: str, change: str) -> list[dict]:
    """The change as edits of the config file: ``{"before": line, "insert": [lines]}`` (inserted
    before that line of the file; ``before`` = one past the last line: appended) and
    ``{"delete": line}``."""
    from parsers import InputError

    try:
        new_text, origins = apply_change(cfg.vendor, text, cfg.path, change, CHANGE_NAME)
    except InputError:
        return []
    old_lines = text.splitlines()
    new_lines = new_text.splitlines()
    kept: list[int] = []
    edits: list[dict] = []
    pending: list[str] = []
    for k, line in enumerate(new_lines, 1):
        o = origins.get(k)
        if o is not None and o.path == cfg.path:
            if pending:
                edits.append({"before": o.line, "insert": pending})
                pending = []
            kept.append(o.line)
        else:
            pending.append(line)
    if pending:
        edits.append({"before": len(old_lines) + 1, "insert": pending})
    gone = sorted(set(range(1, len(old_lines) + 1)) - set(kept))
    edits += [{"delete": n} for n in gone]
    return edits

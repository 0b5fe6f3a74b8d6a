"""Semantic diff of two configs of one device: what a change request does.

``diff_configs(old, new, ...)`` audits both and reports

* findings **introduced**, **resolved** and **unchanged**, matched by
  ``Finding.fingerprint`` (rule, file name, key and line text: never the line
  number), with the old config's file name taken as the new one's so that
  ``diff before.cfg after.cfg`` matches like a change to one file;
* traffic **newly permitted**, **newly denied** and **newly undecided**, by
  its new decision (what was undecided before and is decided now too, its old
  decision "unknown"), over the whole packet space: both configs are
  evaluated exactly (``engine.evaluate``) over the packets they may decide
  differently (``engine.changes.differing_space``:
  for a change of a few rules, what those rules match) and every old outcome
  is intersected with every new outcome of its path whose decision differs
  (leaving out the cubes both versions hold with one decision), so each piece
  knows the old line and the new line that decide it.  Pieces are grouped per
  (old line, new line) pair and capped.

The change fails when it introduces a blocking finding (``--fail-on``) or
newly blocks part of a required flow (permitted in OLD, denied in NEW); a
finding undecided in one version and decided in the other is not the same
finding (``match_findings``).  Part of a required flow that NEW leaves
undecided, or that OLD left undecided and NEW denies (the change may block it
or not), leaves the verdict unknown at best.
A change to a part of the input the review leaves out (``Config.left_out``:
another VDOM, a Check Point layer the package does not install) is named in
the reasons (``changed_outside``), and the review cannot pass: at best its
verdict is unknown.  Each reason of an undecided verdict that no finding of
the audits is, is also a finding at its line (``DiffResult.located``: CHG500,
CHG501), for the reports that show results at lines (SARIF, the GitHub annotations, the JSON's
``located``).

Nothing here knows a vendor.  ``apply_change`` runs a vendor module's
``apply_change(config_text, change_text, change_path, origins=None, removed=None)``
hook (the change request written as vendor commands); the hook fills ``origins``
with where each resulting line came from, so reports can anchor new lines
to the change file, and ``removed`` (where it keeps them) with the config
lines the change removed or replaced and the change line that did it, so a
finding such a removal causes at a line the change kept is located at that
change line (``_at_removal``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import product
from typing import TYPE_CHECKING, Sequence

from auditor.core.model import Action, Config, NatRule, Rule, Source
from auditor.core.packets import (
    ALL,
    ALL_V4,
    ALL_V6,
    EMPTY,
    NOTHING,
    Cube,
    ISet,
    PacketSet,
    cube,
    format_packet,
    one_packet,
    packet_json,
)
from auditor.engine import _RPF, NOT_ROUTED, OWN_TRAFFIC, UNKNOWN, Outcome, evaluate, interface_regions
from auditor.engine.changes import alike, decides, differing_space
from auditor.findings import Finding, describe_packets, sort_findings, spaced

if TYPE_CHECKING:
    from auditor.audit import AuditResult

PASS, FAIL, UNDECIDED = "pass", "fail", "unknown"
DEFAULT_LIMIT = 50


@dataclass
class Change:
    """Traffic whose decision changed, decided by one old line and one new line."""

    packets: PacketSet
    old: Outcome
    new: Outcome
    flows: tuple[str, ...] = ()  # keys of the required flows it touches
    example: tuple[int, int, int, int, int] | None = None

    @property
    def undecided_before(self) -> bool:
        """Whether the old version left these packets undecided (now decided: ``decision``)."""
        return decision(self.old) == "unknown"


@dataclass
class DiffResult:
    """What a change does; ``to_json()`` is the JSON contract (schema_version 1)."""

    verdict: str
    reasons: list[str]
    old: AuditResult
    new: AuditResult
    introduced: list[Finding]
    resolved: list[Finding]
    unchanged: list[Finding]
    newly_permitted: list[Change]
    newly_denied: list[Change]
    newly_unknown: list[Change]
    blocked_flows: list[str]
    fail_on: str = "error"
    truncated: dict = field(default_factory=dict)
    old_label: str | None = None  # how to show the old config's path (e.g. "asa.cfg@main")
    new_label: str | None = None  # how to show the new config's path (e.g. "asa.cfg (after change)")
    origins: dict[int, Source] | None = None  # new line -> the line of a real file it came from
    # parts of the input left out of the review (``Config.left_out``) that the change alters, and where
    outside: list[tuple[str, list[str]]] = field(default_factory=list)
    # the verdict's reasons that no finding of the audits is, as findings at their lines (CHG500, CHG501:
    # ``auditor.checks.change_review``) for the reports that show results at lines
    located: list[Finding] = field(default_factory=list)
    _fps: dict = field(default_factory=dict, repr=False)
    _edited: dict | None = field(default=None, repr=False)  # (``edited_rules``, worked out once)

    @property
    def policy(self) -> str:
        return self.new.policy

    @property
    def old_path(self) -> str:
        return self.old.configs[0].path

    @property
    def new_path(self) -> str:
        return self.new.configs[0].path

    def fingerprint(self, f: Finding) -> str:
        """The fingerprint the findings were matched by (the new config's file name on both sides)."""
        return self._fps.get(id(f)) or f.fingerprint

    def where(self, src: Source | None, side: str) -> str:
        """``path:line`` of a source in a real file: for a change request, a new-side line as the
        line it came from (the config's own or the change file's), so every location of a
        report refers to a file on disk; else with the display label of its side's config."""
        if src is None:
            return ""
        if side == "new" and self.origins and src.path == self.new_path:
            a = self.anchor(src)
            if a is not src:
                return "%s:%d" % (a.path, a.line)
        return "%s:%d" % (self.shown_path(src.path, side), src.line)

    def message(self, f: Finding, side: str, at: str | None = None) -> str:
        """``f``'s message with the lines it names located as ``where`` locates them (for a change
        request, "line 89" of the config after the change becomes the line it came from: a change file's line
        named with its file, as is a config line in a finding located in the change file, or in file ``at``)."""
        if side != "new" or not self.origins or f.source.path != self.new_path:
            return f.message
        import re

        # (a config line, named with its file where the finding is the change file's)
        at = at or self.anchor(f.source).path

        def located(m: re.Match) -> str:
            where = []  # (each line named, as (its file where it is not the finding's config, its line))
            for x in m.group(1).split(", "):
                a = self.origins.get(int(x))
                where.append((None, x) if a is None else
                             (None if a.path == self.new_path == at else a.path, str(a.line)))
            runs: list[tuple[str | None, list[str]]] = []  # (the lines of one file together, in order)
            for path, n in where:
                if runs and runs[-1][0] == path:
                    runs[-1][1].append(n)
                else:
                    runs.append((path, [n]))
            return ", ".join("line%s %s%s" % ("s" if len(ns) > 1 else "", ", ".join(ns),
                                              " of %s" % path if path else "") for path, ns in runs)

        # ("line 89", and a list "lines 77, 88" as the anomaly checks name several)
        return re.sub(r"\blines? (\d+(?:, \d+)*)\b", located, f.message)

    def shown_path(self, path: str, side: str) -> str:
        if side == "new" and self.new_label and path == self.new_path:
            return self.new_label
        if side == "old" and self.old_label and path == self.old_path:
            return self.old_label
        return path

    def anchor(self, src: Source) -> Source:
        """A new-side source as a location in a real file: the change file for lines it added, and for a
        rule written over several lines (a Junos policy or term, a PAN-OS entry, a FortiOS ``edit``) whose
        first line the change kept but inside which it added or replaced a line, the change file's first
        such line (``edited_rules``): a review's results belong on the lines of the change request."""
        if self.origins and src.path == self.new_path:
            got = self.origins.get(src.line, src)
            if got.path == self.new_path:
                return self.edited_rules().get(src.line, got)
            return got
        return src

    def edited_rules(self) -> dict[int, Source]:
        """Of a change request, each line of the config after it that is a rule's first line, kept from the
        config, and opens a block (its rule's other lines, indented deeper, up to the first line the config
        kept at its indentation or less: a closing ``}``, ``</entry>``, ``next``; at least one of them kept
        from the config, or that closing line) holding lines the change file added or replaced: the first
        of those, as ``origins`` has it.  A one-line rule (an ASA access-list line) has no block, and the
        lines a change inserts below it are not its."""
        if self._edited is not None:
            return self._edited
        out: dict[int, Source] = {}
        origins = self.origins or {}
        firsts = {r.source.line for f in self.new.configs[0].filters.values() for r in f.rules
                  if r.source.path == self.new_path} if self.new.configs else set()
        last = max(origins, default=0)
        for k in sorted(firsts):
            head = origins.get(k)
            if head is None or head.path != self.new_path or not head.text.strip():
                continue
            depth = _indent(head.text)
            added, kept, closed = None, False, False
            for n in range(k + 1, last + 1):
                o = origins.get(n)
                if o is None:
                    continue
                if o.path != self.new_path:
                    added = added or o
                    continue
                if not o.text.strip():
                    continue
                if _indent(o.text) <= depth:
                    closed = o.text.strip() in ("}", "next", "end") or o.text.lstrip().startswith("</")
                    break
                kept = True
            if added is not None and (kept or closed):
                out[k] = added
        self._edited = out
        return out

    # --- JSON ----------------------------------------------------------------------
    def finding_json(self, f: Finding, side: str) -> dict:
        out = f.to_json()
        out["fingerprint"] = self.fingerprint(f)
        out["path"] = self.shown_path(f.source.path, side)
        if side == "new" and self.origins and f.source.path == self.new_path:
            a = self.anchor(f.source)
            if (a.path, a.line) != (f.source.path, f.source.line):
                out["origin"] = {"path": a.path, "line": a.line}
        return out

    def change_json(self, c: Change) -> dict:
        out: dict = {}
        if c.example is not None:
            out["example"] = packet_json(c.example)
            out["example_text"] = format_packet(c.example)
        out["packets"] = describe_packets(c.packets)
        for side, o in (("old", c.old), ("new", c.new)):
            out["%s_decision" % side] = decision(o)
            out["%s_path" % side] = self.shown_path(o.source.path, side) if o.source else None
            out["%s_line" % side] = o.source.line if o.source else None
            out["%s_rule" % side] = o.source.text if o.source and o.rule is not None else None
            if o.rule is None:
                out["%s_reason" % side] = o.reason or decision(o)
            if c.example is not None and o.xlate and decision(o) == "permit" and o.packets.contains(c.example):
                # (where the example arrives: a change of translation alone changes only this; ``o`` stands for
                # the change's outcomes of its line, and its translation is the example's only when it holds it)
                arrives = o.xlate.forward(one_packet(c.example)).example()
                if arrives is not None:
                    out["%s_delivered_as" % side] = format_packet(arrives)
        out["required_flows"] = list(c.flows)
        return out

    def to_json(self) -> dict:
        return {
            "schema_version": 1,
            "verdict": self.verdict,
            "verdict_reasons": self.reasons,
            "policy": self.policy,
            "fail_on": self.fail_on,
            "old": {"path": self.shown_path(self.old_path, "old"), "verdict": self.old.verdict},
            "new": {"path": self.shown_path(self.new_path, "new"), "verdict": self.new.verdict},
            "introduced": [self.finding_json(f, "new") for f in self.introduced],
            "resolved": [self.finding_json(f, "old") for f in self.resolved],
            "unchanged": [self.finding_json(f, "new") for f in self.unchanged],
            "newly_permitted": [self.change_json(c) for c in self.newly_permitted],
            "newly_denied": [self.change_json(c) for c in self.newly_denied],
            "newly_unknown": [self.change_json(c) for c in self.newly_unknown],
            "required_flows_newly_blocked": self.blocked_flows,
            "changed_outside_review": [{"part": part, "where": where} for part, where in self.outside],
            # (each reason of an unknown verdict that no finding is, as a finding at its line: CHG500, CHG501)
            "located": [self.finding_json(f, "new") for f in self.located],
            "truncated": self.truncated,
        }


def decision(o: Outcome) -> str:
    """permit (incl. not filtered) / deny (incl. not routed) / unknown (a line not understood, or the
    device's own traffic: what decides a packet to or from one of its addresses is not modelled, and
    ``explain`` answers unknown for it too)."""
    if o.allowed:
        return "permit"
    return "unknown" if o.kind == UNKNOWN or (o.kind == NOT_ROUTED and o.reason == OWN_TRAFFIC) else "deny"


def _effect(o: Outcome) -> tuple:
    """What the device does with an outcome's packets: its decision, and for a permit the address
    translation they get (``Xlate.dims``, the function itself: the NAT lines that make it do not
    count).  Traffic permitted by both versions but translated otherwise (a published address now
    sent to another server) is delivered elsewhere: a change as much as a new permit (``moved``)."""
    d = decision(o)
    # (an unknown that is a deny wherever the packets reach the device, ``Outcome.may_permit``, is not one
    # that a line not understood may permit)
    return (d, o.xlate.dims) if d == "permit" else (d, () if o.may_permit else None)


def _at_rule(o: Outcome) -> bool:
    """Whether a rule that may match leaves ``o``'s packets undecided (and may let them through): the outcome
    names that rule only, not what decides the packets where it does not match (``_behind``)."""
    return o.kind == UNKNOWN and o.may_permit and o.rule is not None and bool(o.rule.maybe.cubes)


def _open(o: Outcome, nat_lines: frozenset = frozenset()) -> bool:
    """Whether ``o``'s packets are undecided before any stage decides them because their path is (a route
    learned at run time, a route the config does not settle, a pool's address that decides the path) and may
    be let through: two versions that both leave packets so are not known to decide them alike (the rules of a
    path they may take may differ: a permit behind a learned route turned into a deny).  A NAT line (its source
    in ``nat_lines``) is not one of these: one that may translate the packets or not (``_nat_doubt``) is
    resolved each way it may go (``_worlds``); one whose pool's choice leaves them undecided is compared as the
    brute-force oracle of ``tests/test_diff_narrow.py`` compares a pool (one decision for all its values).
    The device's own traffic (``NOT_ROUTED``) goes through no rule of a version: not one of these either."""
    return (o.kind == UNKNOWN and o.may_permit and o.rule is None and o.stage is None and o.path is None
            and o.source not in nat_lines)


def _doubts(cfg: Config) -> dict[Source, NatRule]:
    """The NAT rules of ``cfg`` that may translate some packets or not (``NatRule.maybe``), by their line."""
    return {r.source: r for t in cfg.nat for r in t.rules if r.maybe.cubes}


def _nat_doubt(o: Outcome, doubts: dict[Source, NatRule]) -> NatRule | None:
    """The NAT rule (of ``doubts``: ``_doubts``) that leaves ``o``'s packets undecided because it may translate
    them or not, before any rule decides them; else None.  (Packets a NAT reverse-path check may drop are not
    such: the rules of their path permitted them, and the check after them is the same in both versions when
    the NAT is.)"""
    if (o.kind != UNKNOWN or not o.may_permit or o.rule is not None or o.stage is not None or o.source is None
            or o.reason.startswith(_RPF)):
        return None
    return doubts.get(o.source)


def _sure_only(cfg: Config) -> Config:
    """``cfg`` with every rule's uncertain part (``Rule.maybe``) left out: what decides where no rule that may
    match does."""
    filters = {}
    for name, f in cfg.filters.items():
        if any(r.maybe.cubes for r in f.rules):
            f = replace(f, rules=tuple(replace(r, maybe=NOTHING) if r.maybe.cubes else r for r in f.rules))
        filters[name] = f
    return replace(cfg, filters=filters)


def _behind(old: Config, new: Config, pairs: list, space: PacketSet, nat_lines: frozenset = frozenset()) -> list:
    """Of ``pairs`` ((old outcome, new outcome, packets) undecided in both at rules that may match), the
    (old outcome, new outcome, packets) the versions decide otherwise where no rule that may match does: a
    change behind a policy of a schedule the audit cannot know (the permit after it now a deny) changes them,
    never "decided alike".  ``space``: the packets evaluated for the outcomes (a pool's answer depends on the
    packets evaluated together: the same ones)."""
    olds, news = evaluate(_sure_only(old), space), evaluate(_sure_only(new), space)
    out = []
    for o2 in olds:
        for n2 in news:
            if not o2.packets.overlaps(n2.packets):
                continue
            if (_effect(o2) == _effect(n2) and not (decision(o2) == "permit" and _any_moved(o2, n2))
                    and not (_open(o2, nat_lines) and _open(n2, nat_lines))):
                continue  # (decided alike; undecided by a doubt before the rules, never known alike)
            both = o2.packets.intersect(n2.packets)
            for o, n, ps in pairs:
                got = ps.intersect(both)
                if got.cubes:
                    out.append((o, n, got))
    return out


def _worlds(old: Config, new: Config, doubted: list[tuple[tuple[NatRule, ...], list]]) -> list:
    """Of ``doubted`` ((NAT rules, pairs (old outcome, new outcome, packets)) undecided at those NAT lines,
    which may translate them or not), the (old outcome, new outcome, packets) that some way of resolving the
    doubt (each rule translating them, as its ``rewrites`` do, or not: a world) decides otherwise in the two
    versions.  A NAT line of either version met on the way there in a world is resolved too, each way.  A
    rule whose translation is not known (no rewrite, no packets it certainly translates: a NAT line not
    modelled) may send the packets anywhere: every packet it leaves undecided in both may be decided
    otherwise."""
    out = []
    for rules, pairs in doubted:
        ps = PacketSet([c for _o, _n, p in pairs for c in p.cubes])
        if any(not r.rewrites and not r.match.cubes for r in rules):
            changed = _any_translation(old, new, ps)
        else:
            cubes = []
            for ways in product((True, False), repeat=len(rules)):
                got = traffic_changes(_resolved(old, rules, ways), _resolved(new, rules, ways), space=ps, inside=True)
                cubes += [c for items in got.values() for ch in items for c in ch.packets.cubes]
            changed = PacketSet(cubes)
        if not changed.cubes:
            continue
        for o, n, p in pairs:
            got = p.intersect(changed)
            if got.cubes:
                out.append((o, n, got))
    return out


def _any_translation(old: Config, new: Config, ps: PacketSet) -> PacketSet:
    """Of ``ps`` (packets both versions leave undecided at a NAT line whose translation is not known), those
    that may arrive on an interface with a path through a filter the change edited: translated anyhow, such
    a packet may meet a rule the change decides otherwise by; one arriving on another interface meets the same
    rules in both versions, whichever way it is translated (a translation does not change where a packet
    arrives).  All of ``ps`` where the versions differ in more than their filters' rules."""
    if differing_space(_resolved(old, (), ()), _resolved(new, (), ())) is ALL:
        return ps
    edited = {name for name in {*old.filters, *new.filters}
              if [decides(r) for r in getattr(old.filters.get(name), "rules", ())] !=
              [decides(r) for r in getattr(new.filters.get(name), "rules", ())]}
    ins = {p.ingress for cfg in (old, new) for p in cfg.paths if any(set(st.filters) & edited for st in p.stages)}
    if None in ins:
        return ps
    regions = interface_regions(old)
    others = {p.ingress for p in old.paths} - ins
    elsewhere = ISet.union_of([regions.get(i, EMPTY) for i in others]).subtract(
        ISet.union_of([regions.get(i, EMPTY) for i in ins]))
    return ps.subtract(PacketSet([cube(src=elsewhere)])) if elsewhere else ps


def _resolved(cfg: Config, rules: tuple[NatRule, ...], ways: tuple[bool, ...]) -> Config:
    """``cfg`` in one world: each NAT rule alike to one of ``rules`` (wherever written) translating the
    packets it may translate (its ``maybe``, as its ``match``: ``True``) or not (``False``)."""
    nat = []
    for t in cfg.nat:
        out = []
        for r in t.rules:
            way = next((w for q, w in zip(rules, ways) if r.maybe.cubes and alike(r, q)), None)
            if not rules and r.maybe.cubes:
                way = False  # (no rules: every NAT doubt resolved as not translating)
            out.append(r if way is None else replace(r, match=r.match.union(r.maybe), maybe=NOTHING) if way
                       else replace(r, maybe=NOTHING))
        nat.append(replace(t, rules=tuple(out)))
    return replace(cfg, nat=tuple(nat))


def _any_moved(o: Outcome, n: Outcome) -> bool:
    """Whether some packets of both outcomes arrive otherwise (``moved``)."""
    return any(moved(o, n, c) for c in o.packets.intersect(n.packets).cubes)


def moved(old: Outcome, new: Outcome, c: Cube) -> bool:
    """Whether packets ``c``, permitted by both outcomes, arrive otherwise: their translations
    differ (a pool of one value is the same as no translation of that value)."""
    a, b = old.xlate.forward(PacketSet.of_cubes([c])), new.xlate.forward(PacketSet.of_cubes([c]))
    return bool(a.subtract(b) or b.subtract(a))


# --- the diff ------------------------------------------------------------------------

def diff_configs(old: Config, new: Config, site=None, policy: str | None = None, waivers=None,
                 today=None, fail_on: str = "error", limit: int = DEFAULT_LIMIT,
                 old_label: str | None = None, new_label: str | None = None,
                 origins: dict[int, Source] | None = None, select=(), ignore=()) -> DiffResult:
    """Audit ``old`` and ``new`` and report what changed between them (see the module doc);
    ``select``/``ignore`` as for ``auditor.audit.audit``."""
    from auditor.audit import audit, blocking
    from auditor.policy import Site, load_pack, required_flows

    if old.vendor != new.vendor:
        # (two devices, not two versions of one: every line would differ, every finding be introduced and
        # resolved, and the traffic compared through two unrelated models)
        import parsers

        raise parsers.InputError("%s is a %s config and %s a %s config: diff compares two versions of one "
                                 "device's config" % (old_label or old.path, old.vendor, new_label or new.path,
                                                      new.vendor))
    site = site or Site(None, 8.0, {})
    a_old = audit([old], site, policy, waivers, today, select=select, ignore=ignore)
    a_new = audit([new], site, policy, waivers, today, select=select, ignore=ignore)
    fps: dict[int, str] = {}
    for f in a_old.findings:
        fps[id(f)] = _fingerprint_as(f, old.path, new.path)
    for f in a_new.findings:
        fps[id(f)] = f.fingerprint
    pack = load_pack(policy or site.policy or "prinergy-8")
    introduced, resolved, unchanged = match_findings(a_old.findings, a_new.findings, fps,
                                                      old, new, _Shortened(old, new, pack, site))

    flows, _ = required_flows(pack, site)
    servers = pack.server_addresses(site)
    changes = traffic_changes(old, new, flows, prefer=PacketSet([cube(dst=servers)]) if servers else None)
    truncated = {}
    lists = {}
    for kind in ("permitted", "denied", "unknown"):
        items = changes[kind]
        if len(items) > limit:
            truncated["newly_" + kind] = len(items) - limit
        lists[kind] = items[:limit]
    # (traffic undecided before and denied now: the change may block it or not, so it is not "newly blocked")
    blocked = {k for c in changes["denied"] if not c.undecided_before for k in c.flows}
    # (a flow the new version blocks where the old passed it, also when what is newly denied is only its
    # replies, dropped on the way back by a stateless stage: those packets are not the flow's own)
    was = {f["flow"]: f["status"] for f in a_old.flows}
    blocked |= {f["flow"] for f in a_new.flows if f["status"] == "fail" and was.get(f["flow"]) == "pass"}
    blocked = sorted(blocked)

    reasons: list[str] = []
    located: list[Finding] = []
    outside = changed_outside(old, new, old_label, new_label, origins)
    hits = blocking(introduced, fail_on)
    if hits:
        reasons.append("%d introduced finding(s) at or above %s" % (len(hits), fail_on))
    if blocked:
        reasons.append("newly blocks required flow(s): %s" % ", ".join(blocked))
    verdict = FAIL if reasons else PASS
    if verdict == PASS:
        undecided = [f for f in introduced if not f.waived and
                     (f.status == "unknown" or f.extra.get("impact") == "global")]
        if undecided:
            reasons.append("%d introduced finding(s) leave the verdict undecided" % len(undecided))
        maybe_blocked = [c for c in changes["denied"] if c.undecided_before]
        unsure = sorted({k for c in changes["unknown"] + maybe_blocked for k in c.flows})
        if unsure:
            reasons.append("cannot tell what the change does to required flow(s): %s" % ", ".join(unsure))
            located += [_undecided_flows(c, old, new, old_label) for c in changes["unknown"] if c.flows]
        # (a line not understood that could change any verdict, already there before the change, still makes
        # what the change does to the traffic unknown: its decisions are those of the modelled lines alone)
        glob = new.verdict_affecting()
        if glob and not undecided:
            reasons.append("%s: %d line(s) not understood could change any verdict, so what the change does "
                           "to the traffic is not known" % (new_label or new.path, len(glob)))
            located += [Finding("CHG501", "error", "this line, not understood, could change any verdict, so what "
                                "the change does to the traffic is not known (%s)" % d.message, d.source,
                                key=d.scope or "", status="unknown") for d in glob]
        verdict = UNDECIDED if reasons else PASS
    # (a part of the input this review leaves out, another VDOM, a layer the package does not install: what the
    # change does there is not reviewed, so the review cannot pass it, and says so whatever its verdict)
    for part, where, at in outside:
        reasons.append("the change alters %s (%s), which this review leaves out: cannot tell what it does there"
                       % (part, ", ".join(where)))
        located.append(Finding("CHG500", "error", reasons[-1], at, key=part, status="unknown"))
    if verdict == PASS and outside:
        verdict = UNDECIDED
    out = DiffResult(verdict, reasons, a_old, a_new, introduced, resolved, unchanged,
                     lists["permitted"], lists["denied"], lists["unknown"], blocked, fail_on, truncated,
                     old_label, new_label, origins, [(part, where) for part, where, _at in outside], located, fps)
    if getattr(origins, "removed", None):
        out.introduced = sort_findings([_at_removal(out, f, old, new) or f for f in introduced])
    return out


def _at_removal(diff: DiffResult, f: Finding, old: Config, new: Config) -> Finding | None:
    """An introduced finding of a change request at a line the change kept (the default deny now blocking a
    flow), caused by config lines the change removed or replaced (``Origins.removed``), located at that change
    line instead, its message naming the config's lines with their file and saying what the change line did;
    None for any other finding.

    Caused so: its example packet was decided in OLD by a rule, and in NEW no longer is.  Either the change
    removed or rewrote that rule's line (a permit deleted), or kept it and took out of a group a member the rule
    matched the packet by: the change lines that removed an address line the rule matched it by
    (``Rule.addresses``), else those that removed or replaced lines of the config that are no rule's (a group's
    member list)."""
    from auditor.engine import decide_packet

    origins = diff.origins
    removed = origins.removed
    chg = next(iter(removed.values())).path
    if f.example is None or f.source.path != new.path:
        return None
    here = origins.get(f.source.line)
    if here is None or here.path == chg:
        return None
    o = decide_packet(old, f.example)
    if o.rule is None or o.rule.source.path != old.path:
        return None
    was = o.rule.source.line
    kept = next((k for k, src in origins.items() if src.path != chg and src.line == was), None)
    if kept is None:  # (the rule's own line removed or rewritten)
        if was not in removed:
            return None
        by = {removed[was]}
        how = "line %d of %s, which decided this packet before" % (was, here.path)
    else:
        n = decide_packet(new, f.example)
        if n.rule is not None and (n.rule.source.line == kept or getattr(origins.get(n.rule.source.line),
                                                                            "path", None) == chg):
            return None  # (the kept line still decides it, or a line the change added does: not a removal)
        src, dst = f.example[0], f.example[1]
        by = {removed[a.source.line] for a in o.rule.addresses if a.source.path == old.path
              and a.source.line in removed and (src in a.addresses or dst in a.addresses)}
        if not by:
            rules = {r.source.line for flt in old.filters.values() for r in flt.rules if r.source.path == old.path}
            by = {c for line, c in removed.items() if line not in rules}
        if not by:
            return None
        gone = sorted(line for line, c in removed.items() if c in by)
        how = "line%s %s of %s, by which line %d of %s matched this packet before" % (
            "s" if len(gone) > 1 else "", ", ".join(map(str, gone)), here.path, was, here.path)
    by_lines = sorted(by, key=lambda s: s.line)
    at = by_lines[0]
    msg = "%s; caused by the change's line%s %s, which removed or rewrote %s" % (
        diff.message(f, "new", at=at.path), "s" if len(by_lines) > 1 else "", ", ".join(str(c.line) for c in by_lines),
        how)
    return replace(f, source=at, message=msg)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _undecided_flows(c: Change, old: Config, new: Config, old_label: str | None) -> Finding:
    """CHG501 at the line not understood of NEW that now decides required flows' traffic ``c`` decided in OLD; for
    traffic both versions leave undecided where it goes (``_open``), at the first rule the change edited that
    matches it (where the review's result belongs), with what leaves it undecided."""
    if c.new.rule is None and c.new.stage is None and decision(c.old) == "unknown":
        was = {(name, decides(r)) for name, f in old.filters.items() for r in f.rules}
        edited = next((r for name, f in new.filters.items() for r in f.rules if (name, decides(r)) not in was
                       and (r.match.overlaps(c.packets) or r.maybe.overlaps(c.packets))), None)
        return Finding("CHG501", "error", "cannot tell what the change does to required flow(s) %s: where their "
                       "traffic goes is not known (%s%s), and on a path it may take the change decides it otherwise"
                       % (", ".join(c.flows), c.old.reason or "undecided",  # (the old line: the file's numbers)
                          ": %s:%d" % (old_label or old.path, c.old.source.line) if c.old.source else ""),
                       edited.source if edited is not None else c.new.source or new.head or Source(new.path, 1, ""),
                       key=",".join(c.flows), example=c.example, status="unknown")
    was = {"permit": "permitted", "deny": "denied", "unknown": "undecided"}[decision(c.old)]
    was += (" by %s:%d" % (old_label or old.path, c.old.source.line) if c.old.source else
            " (%s)" % (c.old.reason or "the default"))
    at = c.new.source or new.head or Source(new.path, 1, "")
    return Finding("CHG501", "error", "cannot tell what the change does to required flow(s) %s: this line, not "
                   "understood, now decides traffic that was %s" % (", ".join(c.flows), was), at,
                   key=",".join(c.flows), example=c.example, status="unknown")


def changed_outside(old: Config, new: Config, old_label: str | None = None, new_label: str | None = None,
                    origins: dict[int, Source] | None = None,
                    most: int = 5) -> list[tuple[str, list[str], Source]]:
    """The parts of the input left out of the review (``Config.left_out``) that say otherwise in ``old`` and
    ``new``, each with where (``path:line``, at most ``most``): the lines of a change request that fall in
    it (``origins``), else its entries that are new in NEW, then those gone from OLD; else its first line.

    And the line of NEW where the change to it is (``DiffResult.anchor`` locates it in a real file): the first
    line there that the change made (that a line of the change request became, else the part's first entry new
    in NEW), else the part's first line in NEW (the change only took lines away), else NEW's first line (the
    change took the whole part away).  Without its text: a part's entries are only ever compared, never shown."""
    before = {p.part: p for p in old.left_out}
    after = {p.part: p for p in new.left_out}

    def new_at(line: int) -> str:
        o = (origins or {}).get(line)  # (check-change: the line of a real file)
        return "%s:%d" % (o.path, o.line) if o else "%s:%d" % (new_label or new.path, line)

    def old_at(line: int) -> str:
        return "%s:%d" % (old_label or old.path, line)

    out = []
    for part in list(after) + [p for p in before if p not in after]:
        a, b = before.get(part), after.get(part)
        # (as the parser gives them: a secret its vendor writes otherwise in each copy, FortiOS's ENC values, is
        # masked there, never a whole line, whose redaction may mask a rule's target after a word in a comment)
        was, now = (a.entries() if a else []), (b.entries() if b else [])
        if [t for _n, t in was] == [t for _n, t in now]:
            continue
        lines = []
        if origins and b is not None:  # (the change file's lines that land in the part)
            spans = {n for n, _t in now}
            lines = [n for n, o in sorted(origins.items()) if o.path != new.path and n in spans]
        where = [new_at(n) for n in lines]
        if not where:
            left = Counter(t for _n, t in was)
            lines = [n for n, t in now if not _take(left, t)]
            kept = Counter(t for _n, t in now)
            gone = [n for n, t in was if not _take(kept, t)]
            where = list(dict.fromkeys(new_at(n) for n in lines)) + list(dict.fromkeys(old_at(n) for n in gone))
        if not where:  # (the same entries, in another order)
            where = [new_at(b.source.line) if b else old_at(a.source.line)]
        at = lines[0] if lines else b.source.line if b else new.head.line if new.head else 1
        more = len(where) - most
        out.append((part, where[:most] + (["and %d more" % more] if more > 0 else []), Source(new.path, at, "")))
    return out


def _take(pool: Counter, key) -> bool:
    """Take one ``key`` from ``pool``; whether there was one."""
    if pool[key] > 0:
        pool[key] -= 1
        return True
    return False


def _fingerprint_as(f: Finding, path: str, as_path: str) -> str:
    if f.source.path != path or path == as_path:
        return f.fingerprint
    return replace(f, source=replace(f.source, path=as_path)).fingerprint


def match_findings(old: Sequence[Finding], new: Sequence[Finding], fps: dict[int, str],
                   old_cfg: Config | None = None, new_cfg: Config | None = None,
                   anew=None) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(introduced, resolved, unchanged): pair equal fingerprints one to one, in order; then, of
    those left, the findings that differ in their key alone (``_same_but_key``), those at a line that
    decides as it did (``_same_rule``: given the configs), and the findings of a required flow still
    blocked (``_same_flow``).

    A finding undecided in one version (status "unknown": "cannot tell whether a server is
    reachable from outside") and decided in the other ("a server is reachable") is not the same
    finding, though the fingerprint, which leaves the status out, is: the change decided it, and an
    exposure that was undecided before is introduced, not unchanged.

    Nor is a finding at a line whose permit the change widened (``_permits_more``: given the configs): the
    line is quoted alike, but what it permits is not what the finding judged before (an XML rule's
    field edited under its unchanged description line, an object-group a line names grown), so it is
    judged anew, introduced.  So is a pair that ``anew(old, new)`` gives a new finding for (the finding to
    report introduced): an idle timeout now in force for connections that had a longer one
    (``_Shortened``)."""
    by_line = old_cfg is not None and new_cfg is not None
    at_old, at_new = (_rules_at(old_cfg), _rules_at(new_cfg)) if by_line else ({}, {})
    introduced, resolved, unchanged = _pair(old, new, lambda f: (fps[id(f)], f.status == "unknown"))
    widened: list[tuple[Finding, Finding]] = []
    if by_line:  # (judged anew: never paired again below)
        unchanged, widened = _split_widened(unchanged, at_old, at_new)
    introduced, resolved, renamed = _pair(resolved, introduced, _same_but_key)
    unchanged += renamed
    if by_line:
        introduced, resolved, alike = _pair(resolved, introduced, lambda f: _same_rule(f, at_old),
                                            lambda f: _same_rule(f, at_new))
        unchanged += alike
    introduced, resolved, still = _pair(resolved, introduced, _same_flow)
    unchanged += still
    introduced += [n for _o, n in widened]
    resolved += [o for o, _n in widened]
    if anew is not None:
        kept = []
        for o, n in unchanged:
            judged = anew(o, n)
            if judged is None:
                kept.append((o, n))
            else:
                introduced.append(judged)
                resolved.append(o)
        unchanged = kept
    unchanged = [n for _o, n in unchanged]
    return sort_findings(introduced), sort_findings(resolved), sort_findings(unchanged)


class _Shortened:
    """``anew`` for ``match_findings``: an idle timeout finding (PRN120) that both versions have, whose
    timeout the new version puts in force for Workshop <-> server connections that the old one gave a longer
    timeout (or none, or dead connection detection), is the change's: the change shortened their timeout (a
    class's own timeout removed, so that the global one applies; an application's timeout deleted, so that
    the protocol's default applies).  The finding is given back with such a connection as its example and
    the old timeout in its message; None for any other pair.  Connections the old version did not let
    through are not counted: a change that opens a flow is not one that shortens its timeout."""

    def __init__(self, old: Config, new: Config, pack, site):
        self.configs, self.pack, self.site = (old, new), pack, site
        self.cover: tuple | None = None

    def __call__(self, o: Finding, n: Finding) -> Finding | None:
        if n.rule_id != "PRN120" or n.status != "fail" or o.status != "fail":
            return None
        from auditor.checks import idle_timeout

        shift = int(self.site.shift_hours * 3600)
        if self.cover is None:
            judged = idle_timeout.space(self.pack, self.site)
            self.cover = tuple(idle_timeout.coverage(c, judged, self.site.through) if judged else []
                               for c in self.configs)
        old, new = self.cover
        mine = [(t, p) for t, p in new if t.label == n.key and idle_timeout.source_of(t, self.configs[1]) == n.source
                and idle_timeout.short(t, shift)]
        if not mine:
            return None
        secs = mine[0][0].idle_seconds
        now = PacketSet([c for _t, p in mine for c in p.cubes])
        for t, p in old:
            if t.unknown or idle_timeout.short(t, shift) and t.idle_seconds <= secs:
                continue  # (a timer not known before is not known to be shortened)
            got = now.intersect(p)
            if got:
                return replace(n, message="%s; the change shortened it: before, %s (%s)" % (
                    n.message, idle_timeout.setting(t), t.label), example=got.example())
        return None


def _same_but_key(f: Finding) -> tuple:
    """A finding without its key: its rule, severity, status, line text and example packet.

    A key may quote a name the line does not hold (a pfSense rule's description in the key of a
    timeout finding on its ``<statetimeout>`` line): editing that name changes the fingerprint, and
    the finding would be reported resolved and introduced again, an error failing a change that only
    edits a description.  The same rule on the same line text, deciding the same example packet, is
    the same finding.  A finding without an example is matched by fingerprint alone (a unique
    object: never equal)."""
    if f.example is None:
        return (object(),)
    return (f.rule_id, f.severity, f.status, spaced(f.source.text), f.example)


def _same_rule(f: Finding, at: dict) -> tuple:
    """A finding as its rule, severity, status and example packet at a line that decides as it did: the
    rules written there (``_rules_at``), not the line's text.  An XML or JSON rule is quoted by one line of
    several (pfSense's ``<descr>``, the line of its name): editing that line's text alone (the
    description) changes no decision, and the finding is the same; so does renumbering it (IOS's
    ``ip access-list resequence``), which changes the text of each line of the list.  A finding without an
    example (an any-to-any permit) is the same when its line's rules decide alike.  A finding at a line
    that holds no rule is matched by fingerprint alone (a unique object: never equal)."""
    rules = at.get((f.source.path, f.source.line))
    if not rules:
        return (object(),)
    return (f.rule_id, f.severity, f.status, f.example, _signature(rules))


def _same_flow(f: Finding) -> tuple:
    """A required flow's blocked finding as its rule, flow, severity and status: the flow was blocked
    before and is blocked now, though another line blocks it (an explicit deny at a list's end removed,
    the implicit one blocks it now): the change did not block it.  (What the change newly blocks of the
    flow is in the traffic newly denied, which fails the change.)  Any other finding is matched by
    fingerprint alone (a unique object: never equal)."""
    if f.status != "fail" or not f.extra.get("flow"):
        return (object(),)
    return (f.rule_id, f.key, f.severity, f.status, f.extra["flow"])


def _rules_at(cfg: Config) -> dict[tuple[str, int], list[tuple[str, Rule]]]:
    """The rules written at each line of a config (``(path, line)``), each with its filter's name."""
    out: dict[tuple[str, int], list[tuple[str, Rule]]] = {}
    for name, flt in cfg.filters.items():
        for r in flt.rules:
            out.setdefault((r.source.path, r.source.line), []).append((name, r))
    return out


def _signature(rules: list[tuple[str, Rule]]) -> tuple:
    """What the rules written at one line decide, and where (not where they are written)."""
    return tuple((name, decides(r)) for name, r in rules)


def _split_widened(pairs: list[tuple[Finding, Finding]], at_old: dict, at_new: dict) -> tuple[list, list]:
    """``pairs`` (old, new) of findings of one fingerprint, split into those whose line permits no more
    than it did, and those whose line permits more now (in a filter of the same name, or in one it was not
    in before): what the finding judged is not what the line now permits."""
    kept, widened = [], []
    memo: dict = {}
    for o, n in pairs:
        a, b = (o.source.path, o.source.line), (n.source.path, n.source.line)
        k = (a, b)
        if k not in memo:
            memo[k] = _permits_more(at_old.get(a, ()), at_new.get(b, ()))
        (widened if memo[k] else kept).append((o, n))
    return kept, widened


def _permits_more(old: list[tuple[str, Rule]] | tuple, new: list[tuple[str, Rule]] | tuple) -> bool:
    """Whether the rules at a line after the change (``new``) permit packets, in some filter, that the
    rules at its line before (``old``) did not: never when either holds no rule (a finding not about a
    rule), nor when they decide alike."""
    if not old or not new or _signature(old) == _signature(new):
        return False
    had: dict[str, list[Rule]] = {}
    for name, r in old:
        if r.enabled and r.action is Action.PERMIT:
            had.setdefault(name, []).append(r)
    for name, r in new:
        if not r.enabled or r.action is not Action.PERMIT or not (r.match.cubes or r.maybe.cubes):
            continue
        before = had.get(name)
        if not before:
            return True
        grown = r.match.union(r.maybe)
        for q in before:
            grown = grown.subtract(q.match.union(q.maybe))
            if not grown:
                break
        if grown:
            return True
    return False


def _pair(old: Sequence[Finding], new: Sequence[Finding], key,
          new_key=None) -> tuple[list[Finding], list[Finding], list[tuple[Finding, Finding]]]:
    """(new unpaired, old unpaired, pairs (old, new)): each new finding paired with the first old one of
    the same ``key`` (``new_key`` for the new findings, if given) not paired yet."""
    pool: dict = {}
    for f in old:
        pool.setdefault(key(f), []).append(f)
    unpaired, paired = [], []
    for f in new:
        same = pool.get((new_key or key)(f))
        if same:
            paired.append((same.pop(0), f))
        else:
            unpaired.append(f)
    left = {id(o) for o, _n in paired}
    return unpaired, [f for f in old if id(f) not in left], paired


def _line_key(o: Outcome) -> tuple:
    src = (o.source.path, o.source.line) if o.source else ("", 0)
    return (decision(o), src, o.rule is None, o.reason if o.rule is None else "")


def _path_keys(cfg: Config, outs: list[Outcome]) -> list | None:
    """Each outcome's path as its position in ``cfg.paths`` (-1: none), or None when one is not there."""
    where = {id(p): k for k, p in enumerate(cfg.paths)}
    keys = [where.get(id(o.path)) if o.path is not None else -1 for o in outs]
    return None if None in keys else keys


_ONE_FAMILY = PacketSet([cube(ALL_V4, ALL_V4), cube(ALL_V6, ALL_V6)])


def traffic_changes(old: Config, new: Config, flows=(), space: PacketSet = ALL,
                    prefer: PacketSet | None = None, inside: bool = False) -> dict[str, list[Change]]:
    """Pieces of ``space`` whose decision differs, grouped per (old line, new line).

    A change's example packet is one of the required ``flows`` it touches, else one of ``prefer``
    (traffic to the site's servers) where it has one, else any.

    Returns ``{"permitted": [...], "denied": [...], "unknown": [...]}``, by the
    new decision, each sorted with the changes touching required flows first:
    every packet decided otherwise is in exactly one list, traffic undecided in
    OLD too (a line not understood, the device's own addresses) that NEW
    permits or denies, with ``decision(change.old)`` "unknown".  "unknown" is
    traffic decided in OLD that NEW leaves undecided, and traffic both leave
    undecided at rules that may match (``_at_rule``) of different actions, or
    decided otherwise where no rule that may match does (``_behind``), and
    traffic both leave undecided where it goes (``_open``: a route learned at
    run time, before any rule the change edits), and traffic both leave
    undecided at a NAT line that may translate it or not (``_nat_doubt``) that
    some way of resolving that doubt decides otherwise in the two versions
    (``_worlds``).  (``inside``: ``space`` is packets of one such way, which
    resolves every NAT doubt either version meets, not only those of both.)

    Only the packets the two configs may decide differently are evaluated
    (``engine.changes.differing_space``: for a change of a few rules, what
    those rules match), with the same result as evaluating all of ``space``.
    """
    narrow = differing_space(old, new)
    if narrow is not ALL:
        space = space.intersect(narrow)
    # (a packet between an IPv4 and an IPv6 address is never sent: a change the rules make only for
    # such packets changes no traffic, and an example must be a real packet)
    space = space.intersect(_ONE_FAMILY)
    if not space:
        return {"permitted": [], "denied": [], "unknown": []}
    old_outs, new_outs = evaluate(old, space), evaluate(new, space)
    # where the versions route alike (``narrow``), a packet takes the same path in both: only the
    # outcomes of one path (by its position; none: not routed) can meet
    at_old, at_new = _path_keys(old, old_outs), _path_keys(new, new_outs)
    if narrow is ALL or at_old is None or at_new is None:
        at_old, at_new = [0] * len(old_outs), [0] * len(new_outs)
    nat_lines = frozenset(r.source for cfg in (old, new) for t in cfg.nat for r in t.rules)
    doubts = (_doubts(old), _doubts(new))
    old_left = _unsettled(old_outs, at_old, new_outs, at_new, nat_lines, doubts)
    new_by: dict = {}
    for n, at, left in zip(new_outs, at_new, _unsettled(new_outs, at_new, old_outs, at_old, nat_lines,
                                                        doubts[::-1])):
        if left.cubes:
            new_by.setdefault(at, []).append((n, decision(n), left, _nat_doubt(n, doubts[1])))
    groups: dict[tuple, tuple[Outcome, Outcome, list]] = {}
    behind: list = []
    worlds: dict[tuple, tuple[tuple[NatRule, ...], list]] = {}
    for o, at, mine in zip(old_outs, at_old, old_left):
        so = decision(o)
        if not mine.cubes:
            continue
        eo = _effect(o)
        do = _nat_doubt(o, doubts[0])
        for n, sn, theirs, dn in new_by.get(at, ()):
            if do is not None and dn is not None or inside and (do is not None or dn is not None):
                # (undecided in both at a NAT line that may translate them or not: compared each way it may go)
                piece = [x for a in mine.cubes for b in theirs.cubes if a.overlaps(b)
                         for x in (a.intersect(b),) if x is not None]
                if piece:
                    rules = tuple(r for r in (do, dn) if r is not None)
                    if len(rules) == 2 and alike(*rules):
                        rules = rules[:1]
                    worlds.setdefault(tuple(map(id, rules)), (rules, []))[1].append((o, n, PacketSet(piece)))
                continue
            at_rules = _at_rule(o) and _at_rule(n)  # (undecided in both at rules that may match)
            # (undecided in both otherwise, by a doubt before their rules: a learned route, a NAT line; the packets
            # are among those the change may decide otherwise, so where the doubt lets them reach it, it may)
            doubted = _open(o, nat_lines) and _open(n, nat_lines)
            if eo == _effect(n) and not at_rules and not doubted:
                continue  # (decided alike; a permit translated alike)
            if sn == "deny" and not o.may_permit:
                continue  # (denied wherever it reached the device, ``_back_out``, and denied now: never let through)
            kind = {"permit": "permitted", "deny": "denied"}.get(sn, "unknown")
            # (cube by cube, the bounds compared before any interval lists are: the pieces of a large
            # change hold long lists of sources that most pairs of cubes need not intersect)
            piece = [x for a in mine.cubes for b in theirs.cubes if a.overlaps(b)
                     for x in (a.intersect(b),) if x is not None]
            if at_rules and o.rule.action is n.rule.action:
                if piece:  # (rules of one action: what decides where they do not match, ``_behind``)
                    behind.append((o, n, PacketSet(piece)))
                continue
            if so == sn and not at_rules and not doubted:  # (permitted by both: the packets that arrive otherwise)
                piece = [x for x in piece if moved(o, n, x)]
            if not piece:
                continue
            key = (kind, _line_key(o), _line_key(n))
            groups.setdefault(key, (o, n, []))[2].extend(piece)
    for o, n, ps in (_behind(old, new, behind, space, nat_lines) if behind else ()):
        groups.setdefault(("unknown", _line_key(o), _line_key(n)), (o, n, []))[2].extend(ps.cubes)
    for o, n, ps in _worlds(old, new, list(worlds.values())):
        groups.setdefault(("unknown", _line_key(o), _line_key(n)), (o, n, []))[2].extend(ps.cubes)
    out: dict[str, list[Change]] = {"permitted": [], "denied": [], "unknown": []}
    for (kind, _ko, _kn), (o, n, cubes) in groups.items():
        ps = PacketSet(cubes)
        touched = [f for f in flows if ps.overlaps(f.packets)]
        example = None
        if touched:
            inside = PacketSet([c for f in touched for c in f.packets.cubes])
            example = ps.intersect(inside).example()
        elif prefer is not None and ps.overlaps(prefer):
            example = ps.intersect(prefer).example()
        out[kind].append(Change(ps, o, n, tuple(f.key for f in touched), example or ps.example()))

    def line(o: Outcome) -> tuple:
        return (o.source.path, o.source.line) if o.source else ("~", 0)

    def order(c: Change) -> tuple:
        return (not c.flows, line(c.new), line(c.old), c.example or ())

    for items in out.values():
        items.sort(key=order)
    return out


def _unsettled(outs: list[Outcome], keys: list, others: list[Outcome], other_keys: list,
               nat_lines: frozenset = frozenset(), doubts: tuple[dict, dict] = ({}, {})) -> list[PacketSet]:
    """Per outcome of one version, its cubes but those that are a cube of an outcome of the other
    version on the same path (``keys``) with the same decision (and translation: ``_effect``); an outcome
    undecided at a NAT line that may translate it or not (``_nat_doubt``; ``doubts``: the NAT doubts of
    this version and of the other) is compared each way it may go (``_worlds``), never settled so.

    Each version's outcomes partition the packets evaluated, so the packets of such a cube are decided
    alike by both and lie in no pair of outcomes that decide otherwise: left out, they change no
    piece, while the pairs of outcomes to compare hold far fewer cubes (where the common rules cut the
    packets alike in both versions, as they do away from the change, most are such cubes)."""
    settled = {(at, c): d for o, at in zip(others, other_keys)
               if not (_at_rule(o) or _open(o, nat_lines) or _nat_doubt(o, doubts[1]))
               for d in (_effect(o),) for c in o.packets.cubes}
    out = []
    for o, at in zip(outs, keys):
        if _at_rule(o) or _open(o, nat_lines) or _nat_doubt(o, doubts[0]):
            # (undecided at a rule that may match: settled by ``_behind`` only; undecided where it goes: never
            # settled; at a NAT line that may translate it or not: by ``_worlds`` only)
            out.append(o.packets)
            continue
        d = _effect(o)
        left = [c for c in o.packets.cubes if settled.get((at, c)) != d]
        out.append(o.packets if len(left) == len(o.packets.cubes) else PacketSet.of_cubes(left))
    return out


# --- change requests ----------------------------------------------------------------------

def apply_change(vendor: str, config_text: str, config_path: str, change_text: str,
                 change_path: str, part: str | None = None) -> tuple[str, dict[int, Source]]:
    """The config with a change request applied, and where each new line came from.

    The vendor module's ``apply_change`` hook edits the config text; it raises
    ``parsers.InputError`` naming the change file and line for any command it
    cannot apply (with ``part``, the device part reviewed, e.g. a FortiOS VDOM: also
    an edit of another part).  ``origins`` maps each line of the result to the config
    line or change line it came from.
    """
    import parsers
    from auditor.core.secrets import redact

    hook = parsers.load(vendor).apply_change
    if hook is None:
        raise parsers.InputError("check-change cannot apply changes to %s configs yet (%s)"
                                 % (vendor, config_path))
    trace: list[tuple[str, int]] = []
    gone: list[tuple[int, int]] = []  # (config line, change line that removed or replaced it), where the hook tells
    # (``part`` only where given: the hooks of vendors without parts take none)
    new_text = hook(config_text, change_text, change_path, origins=trace, removed=gone,
                    **({} if part is None else {"part": part}))
    # each line as the vendor's parser quotes it (its own secrets too: a FortiOS SNMP community's
    # 'set name', a private key's lines), the change's lines as well
    cfg_lines = parsers.redact_text(config_text, vendor).split("\n") if config_text else []
    chg_lines = parsers.redact_text(change_text, vendor).split("\n") if change_text else []
    origins = Origins()
    for n, by in gone:
        if 0 < by <= len(chg_lines):
            origins.removed.setdefault(n, Source(change_path, by, redact(chg_lines[by - 1].rstrip())))
    for k, (where, n) in enumerate(trace, 1):
        if where == "config" and 0 < n <= len(cfg_lines):
            origins[k] = Source(config_path, n, redact(cfg_lines[n - 1].rstrip()))
        elif where == "change" and 0 < n <= len(chg_lines):
            origins[k] = Source(change_path, n, redact(chg_lines[n - 1].rstrip()))
    return new_text, origins


class Origins(dict):
    """Where each line of a config after a change request came from (line -> ``Source``: the config's line or
    the change file's), and ``removed``: each config line the change removed or replaced (its number) -> the
    change line that did it, as the vendor's hook tells (``parsers.kit.edit.Edit.removed``; none from a hook
    that does not)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.removed: dict[int, Source] = {}

"""The audit: every check over the configs, waivers, the verdict (``--fail-on`` included)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from auditor.core.model import Config
from auditor.findings import SEVERITY_RANK, Finding, sort_findings

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass
class AuditResult:
    verdict: str
    policy: str
    configs: list[Config]
    findings: list[Finding]
    flows: list[dict] = field(default_factory=list)
    unchecked: list[tuple[str, str, tuple]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    # flow key -> {"allowed": some connection of the flow works, "permit"/"deny"/"unknown": the
    # lines deciding its parts (``Source``s)}; for pictures of the flows (not in the JSON)
    flow_lines: dict[str, dict] = field(default_factory=dict, repr=False)
    required: list = field(default_factory=list, repr=False)  # the ``RequiredFlow``s checked
    fixes: object = None  # ``auditor.fixes.Fixes`` when fixes were asked for (``api.audit(texts=...)``)

    def inputs_json(self) -> list[dict]:
        return [{"path": c.path, "vendor": c.vendor, "lines": c.lines, "unrecognized": len(c.unrecognized)}
                for c in self.configs]

    def to_json(self) -> dict:
        return {
            "schema_version": 1,
            "verdict": self.verdict,
            "policy": self.policy,
            "inputs": self.inputs_json(),
            "findings": [f.to_json() for f in self.findings],
            "flows": self.flows,
            "not_checked": [{"flow": k, "reason": "roles %s" % r} for k, r, _ in self.unchecked],
            "verdict_reasons": self.reasons,
            **({"fixes": self.fixes.to_json()} if self.fixes is not None else {}),
        }


def audit(configs: Sequence[Config], site=None, policy: str | None = None, waivers=None,
          today=None, fail_on: str = "error", select: Sequence[str] = (),
          ignore: Sequence[str] = ()) -> AuditResult:
    """Check ``configs`` against a policy pack for ``site``; exact, first-match.

    ``waivers`` (a waivers file path or ``auditor.waivers.load_waivers()``
    list) and inline remark waivers mark findings waived: they stay in the
    result but do not count toward the verdict.  ``today`` decides waiver
    expiry (default: the current date).  ``fail_on`` is the lowest severity
    that fails the verdict (``--fail-on``): the default, ``error``, fails on
    error findings; ``warning`` or ``info`` also on those.  ``select`` and
    ``ignore`` (rule IDs or prefixes, as ruff takes them) keep only the
    findings of the selected rules: the others are neither reported nor
    counted; the flows' status stays what the device does.
    """
    from auditor.checks import checks
    from auditor.checks.context import Context
    from auditor.policy import Site, check_roles, load_pack
    from auditor.waivers import apply_waivers

    site = site or Site(None, 8.0, {})
    pack = load_pack(policy or site.policy or "prinergy-8")
    check_roles(pack, site)
    ctx = Context(list(configs), pack, site)
    from auditor.core import progress
    from auditor.engine.perf import paused_gc

    findings: list[Finding] = []
    with paused_gc():
        # long checks start their background work first (``start``), so it runs while the
        # other checks do; each one's findings are still taken in registry order
        started: dict[str, object] = {}
        try:
            for c in checks():
                if c.start is not None:
                    started[c.name] = c.start(ctx)
            for c in checks():
                progress.report("checking %s" % c.name)
                findings.extend(started[c.name] if c.name in started else c.run(ctx))
        finally:
            for s in started.values():
                s.close()
    findings = sort_findings(apply_waivers(findings, ctx.configs, waivers, today))
    flows = _flow_status(ctx, [f for f in findings if not f.waived])
    if select or ignore:
        keep = rule_filter(select, ignore)
        findings = [f for f in findings if keep(f.rule_id)]
    verdict, reasons = _verdict(ctx, [f for f in findings if not f.waived], flows)
    if fail_on != "error" and verdict != FAIL:
        hits = blocking(findings, fail_on)
        if hits:
            verdict = FAIL
            reasons = ["%d finding(s) at or above --fail-on %s" % (len(hits), fail_on)] + reasons
    return AuditResult(verdict, pack.name, list(configs), findings, flows, ctx.unchecked, reasons,
                       _flow_lines(ctx), ctx.flows)


def _flow_lines(ctx) -> dict[str, dict]:
    """Per required flow: does some connection of it work, and which lines decide its parts."""
    out: dict[str, dict] = {}
    for _cfg, flow, outcomes in ctx.flow_outcomes:
        d = out.setdefault(flow.key, {"allowed": True, "permit": [], "deny": [], "unknown": []})
        phases = {o.phase for o in outcomes}
        d["allowed"] = d["allowed"] and all(any(o.allowed for o in outcomes if o.phase == ph) for ph in phases)
        for o in outcomes:
            if o.source is None:
                continue
            kind = "permit" if o.allowed else ("unknown" if o.kind == "unknown" else "deny")
            if o.source not in d[kind]:
                d[kind].append(o.source)
    return out


def _flow_status(ctx, findings: list[Finding]) -> list[dict]:
    by_flow: dict[str, set[str]] = {}
    for f in findings:
        if f.rule_id == "PRN100":
            by_flow.setdefault(f.key, set()).add(f.status)
    from auditor.engine import NOT_ROUTED

    routed: dict[str, bool] = {}
    for _cfg, flow, outcomes in ctx.flow_outcomes:
        routed[flow.key] = routed.get(flow.key, False) or any(o.kind != NOT_ROUTED for o in outcomes)
    # a line not understood that could change any verdict: no flow passes for sure (``explain`` answers
    # UNKNOWN for its packets; a blocked flow stays blocked by the modelled lines, the verdict's reasons say why)
    doubt = any(cfg.verdict_affecting() for cfg in ctx.configs)
    out = []
    for flow in ctx.flows:
        st = by_flow.get(flow.key, set())
        status = "fail" if "fail" in st else ("unknown" if "unknown" in st else "pass")
        if status == "pass" and not routed.get(flow.key, True):
            # no input routes it: nothing here decides it, so it is not a pass
            status = "not_routed"
        elif status == "pass" and doubt:
            status = "unknown"
        out.append({"flow": flow.key, "status": status, "severity": flow.spec.severity})
    return out


def error_reason(n: int) -> str:
    """The verdict's reason for ``n`` decided error findings."""
    return "%d error finding(s)" % n


def _verdict(ctx, findings: list[Finding], flows: list[dict]) -> tuple[str, list[str]]:
    reasons = []
    # (lines not understood that could change any verdict: said beside a FAIL too, whose error findings are
    # what the modelled lines decide, as ``explain`` says of one packet)
    doubt = ["%s: %d line(s) not understood could change any verdict" % (cfg.path, len(glob))
             for cfg in ctx.configs if (glob := cfg.verdict_affecting())]
    errors = [f for f in findings if f.severity == "error" and f.status != "unknown"]
    if errors:
        return FAIL, [error_reason(len(errors))] + doubt
    unknown = [f for f in findings if f.status == "unknown"]
    if unknown:
        reasons.append("%d check(s) could not be decided" % len(unknown))
    reasons += doubt
    if not flows:
        reasons.append("no required flow could be checked (define the site's roles)")
    elif all(f["status"] == "not_routed" for f in flows):
        reasons.append("no required flow is routed through the device (check the site's addresses)")
    return (UNKNOWN if reasons else PASS), reasons


def blocking(findings, fail_on: str = "error") -> list:
    """Unwaived, decided findings at or above ``fail_on`` severity."""
    limit = SEVERITY_RANK[fail_on]
    return [f for f in findings
            if not f.waived and f.status != "unknown" and SEVERITY_RANK.get(f.severity, 9) <= limit]


def check_rule_prefixes(prefixes, what: str = "select") -> tuple[str, ...]:
    """``prefixes`` (rule IDs or prefixes, ``PRN``, ``ACL2``, ``PRN100``; comma lists allowed)
    in upper case; ``ValueError`` naming one that no rule has."""
    from auditor.checks import all_rules

    ids = sorted(all_rules())
    out: list[str] = []
    for item in prefixes:
        for p in str(item).split(","):
            p = p.strip().upper()
            if not p:
                continue
            if p != "ALL" and not any(r.startswith(p) for r in ids):
                raise ValueError("--%s %s: no rule ID starts with '%s' (rules: %s)" % (what, p, p, ", ".join(ids)))
            out.append(p)
    return tuple(out)


def rule_filter(select=(), ignore=()):
    """``keep(rule_id)``: as ruff does, the most specific matching prefix decides (``ALL`` matches
    every rule, as the empty prefix); a rule no ``select`` prefix matches is dropped (no
    ``select``: every rule is selected); on a tie, ``ignore`` wins."""
    sel = tuple("" if p == "ALL" else p for p in select) or ("",)
    ign = tuple("" if p == "ALL" else p for p in ignore)

    def longest(prefixes, rule_id: str) -> int:
        return max((len(p) for p in prefixes if rule_id.startswith(p)), default=-1)

    def keep(rule_id: str) -> bool:
        s = longest(sel, rule_id)
        return s >= 0 and s > longest(ign, rule_id)

    return keep


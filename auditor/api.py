"""The Python API the CLI calls: ``audit()``, ``explain()``, ``load_config()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Sequence

from auditor.core.model import Config
from auditor.findings import Finding, sort_findings

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
        }


def read_input(path: str, stdin_text: str | None = None) -> tuple[str, str]:
    """(text, display path) of a config file, or of stdin for ``-``."""
    from parsers import InputError, decode

    if path == "-":
        import sys
        data = sys.stdin.buffer.read() if stdin_text is None else stdin_text.encode()
        return decode(data, "<stdin>"), "<stdin>"
    p = FsPath(path)
    try:
        if p.is_dir():
            raise InputError("%s is a directory, not a configuration file" % path)
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("%s: no such file" % path) from None
    except PermissionError:
        raise InputError("%s: permission denied" % path) from None
    except OSError as e:
        raise InputError("%s: cannot read (%s)" % (path, e.strerror or type(e).__name__)) from None
    return decode(data, path), path


def load_config(path: str, vendor: str = "auto", text: str | None = None) -> Config:
    """Read and parse one config (``-`` for stdin)."""
    from auditor.engine.perf import paused_gc
    from parsers import parse_text

    if text is None:
        text, shown = read_input(path)
    else:
        shown = path
    with paused_gc():
        return parse_text(text, shown, vendor)


def combine_inputs(configs: Sequence[Config], host: str | None = None, site=None) -> list[Config]:
    """Let auxiliary inputs amend the configs they belong to, and set ``--host``.

    A parser module may define ``combine(configs) -> configs`` (e.g. a sysctl
    dump setting a Linux firewall's conntrack timeout); the vendor logic
    stays in ``parsers/``.  ``host`` is a role of ``site`` or an address: the
    device's own addresses, for host-firewall paths.
    """
    from dataclasses import replace

    import parsers

    out = parsers.combine(list(configs))
    if host:
        from auditor.policy import _addr

        addrs = site.addresses(host) if site is not None and site.roles.get(host) else None
        if addrs is None:
            try:
                addrs = _addr(host)
            except ValueError:
                raise ValueError("--host '%s' is neither a role of the site nor an address" % host) from None
        out = [replace(c, local_addresses=addrs) for c in out]
    return out


def audit(configs: Sequence[Config], site=None, policy: str | None = None, waivers=None,
          today=None) -> AuditResult:
    """Check ``configs`` against a policy pack for ``site``; exact, first-match.

    ``waivers`` (a waivers file path or ``auditor.waivers.load_waivers()``
    list) and inline remark waivers mark findings waived: they stay in the
    result but do not count toward the verdict.  ``today`` decides waiver
    expiry (default: the current date).
    """
    from auditor.checks import modules
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
        mods = modules()
        # long checks start their background work first (``start``), so it runs while the
        # other checks do; each one's findings are still taken in registry order
        started: dict[str, object] = {}
        try:
            for m in mods:
                if hasattr(m, "start"):
                    started[m.__name__] = m.start(ctx)
            for m in mods:
                progress.report("checking %s" % m.__name__.rsplit(".", 1)[-1].replace("_", " "))
                findings.extend(started[m.__name__] if m.__name__ in started else m.run(ctx))
        finally:
            for s in started.values():
                s.close()
    findings = sort_findings(apply_waivers(findings, ctx.configs, waivers, today))
    active = [f for f in findings if not f.waived]
    flows = _flow_status(ctx, active)
    verdict, reasons = _verdict(ctx, active, flows)
    return AuditResult(verdict, pack.name, list(configs), findings, flows, ctx.unchecked, reasons)


def _flow_status(ctx, findings: list[Finding]) -> list[dict]:
    by_flow: dict[str, set[str]] = {}
    for f in findings:
        if f.rule_id == "PRN100":
            by_flow.setdefault(f.key, set()).add(f.status)
    from auditor.engine import NOT_ROUTED

    routed: dict[str, bool] = {}
    for _cfg, flow, outcomes in ctx.flow_outcomes:
        routed[flow.key] = routed.get(flow.key, False) or any(o.kind != NOT_ROUTED for o in outcomes)
    out = []
    for flow in ctx.flows:
        st = by_flow.get(flow.key, set())
        status = "fail" if "fail" in st else ("unknown" if "unknown" in st else "pass")
        if status == "pass" and not routed.get(flow.key, True):
            # no input routes it: nothing here decides it, so it is not a pass
            status = "not_routed"
        out.append({"flow": flow.key, "status": status, "severity": flow.spec.severity})
    return out


def _verdict(ctx, findings: list[Finding], flows: list[dict]) -> tuple[str, list[str]]:
    reasons = []
    errors = [f for f in findings if f.severity == "error" and f.status != "unknown"]
    if errors:
        reasons.append("%d error finding(s)" % len(errors))
        return FAIL, reasons
    unknown = [f for f in findings if f.status == "unknown"]
    if unknown:
        reasons.append("%d check(s) could not be decided" % len(unknown))
    for cfg in ctx.configs:
        glob = cfg.verdict_affecting()
        if glob:
            reasons.append("%s: %d line(s) not understood could change any verdict" % (cfg.path, len(glob)))
    if not flows:
        reasons.append("no required flow could be checked (define the site's roles)")
    elif all(f["status"] == "not_routed" for f in flows):
        reasons.append("no required flow is routed through the device (check the site's addresses)")
    return (UNKNOWN if reasons else PASS), reasons


def explain(config: Config, src: str, dst: str, proto: str, sport: int | None = None,
            dport: int | None = None, filter_name: str | None = None) -> dict:
    """Which line decides one packet: ``{"decision", "line", "rule", ...}``."""
    pkt = make_packet(src, dst, proto, sport, dport)
    return decision_json(config, pkt, filter_name)


def decision_json(config: Config, pkt, filter_name: str | None = None) -> dict:
    from auditor.core.packets import packet_json
    from auditor.engine import DENY, NOT_FILTERED, NOT_ROUTED, PERMIT, decide_packet
    from auditor.engine import UNKNOWN as UNK

    if filter_name is not None and filter_name not in config.filters:
        from parsers import InputError
        raise InputError("no filter named '%s' (have: %s)" % (filter_name, ", ".join(sorted(config.filters)) or "none"))
    o = decide_packet(config, pkt, filter_name)
    decision = {PERMIT: "permit", NOT_FILTERED: "permit", DENY: "deny", NOT_ROUTED: "deny", UNK: "unknown"}[o.kind]
    out = {
        "decision": decision,
        "line": o.rule.source.line if o.rule else None,
        "rule": o.rule.source.text if o.rule else None,
        "packet": packet_json(pkt),
    }
    if o.rule is None:
        out["reason"] = o.reason or ("not routed" if o.kind == NOT_ROUTED else "default")
        if o.source is not None:
            out["default_line"] = o.source.line
    if o.stage is not None:
        out["stage"] = o.stage.name
    if o.xlate:
        from auditor.core.packets import ISet, PacketSet, cube

        sent = PacketSet([cube(*(ISet.of(x) for x in pkt))])
        out["nat"] = [{"line": r.source.line, "rule": r.source.text} for r in o.xlate.rules]
        routed = o.xlate.forward(sent)
        if routed and all(len(d.iv) == 1 and d.iv[0][0] == d.iv[0][1] for d in routed.cubes[0].dims):
            out["translated"] = packet_json(tuple(d.iv[0][0] for d in routed.cubes[0].dims))
    return out


def make_packet(src: str, dst: str, proto: str | int, sport: int | None, dport: int | None):
    """A packet tuple from user-facing values (errors are ValueError with a clear message)."""
    from auditor.core.packets import addr_to_int
    from parsers.asa_names import PROTOCOLS

    try:
        s, d = addr_to_int(str(src)), addr_to_int(str(dst))
    except ValueError as e:
        raise ValueError("bad address: %s" % e) from None
    p = str(proto).lower()
    if p.isdigit() and int(p) <= 255:
        pn = int(p)
    elif p in PROTOCOLS:
        pn = PROTOCOLS[p]
    else:
        raise ValueError("bad protocol '%s' (tcp, udp, icmp or a number 0-255)" % proto)
    sp = 0 if sport is None else int(sport)
    dp = 0 if dport is None else int(dport)
    if not (0 <= sp <= 65535 and 0 <= dp <= 65535):
        raise ValueError("ports must be 0-65535")
    if sport is None and pn in (6, 17):
        sp = 1024
    return (s, d, pn, sp, dp)

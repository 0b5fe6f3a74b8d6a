"""Output formats: one module per format, each with ``render(result, color) -> str``
for an audit and ``render_diff(diff, color) -> str`` for a diff or change request.

A format that takes options (``show_fingerprints``, ``matrix``) lists them in ``OPTIONS``;
``render`` passes each format only the options it takes."""

from __future__ import annotations

import importlib

from auditor.findings import SEVERITIES

FORMATS = {
    "text": "auditor.report.text",
    "json": "auditor.report.json_out",
    "sarif": "auditor.report.sarif",
    "junit": "auditor.report.junit",
    "markdown": "auditor.report.markdown",
    "github": "auditor.report.github",
    "html": "auditor.report.html",
}


# PRN100 where a route that drops its traffic blocks the flow: no access rule is at fault
ROUTE_FIX = ("The line routes the flow's destination to a route that drops it (Null0, a blackhole, discard or "
             "reject): remove that route, or narrow its prefix so that the server's network is routed to the "
             "interface it is on; a permit rule cannot let this traffic through.")

# PRN100 where a NAT rule drops the flow (``checks.required_flows``): a NAT reverse-path check, not an access rule
NAT_FIX = ("The line is a NAT rule, not an access rule: the device drops the connection because its reply would be "
           "translated by this rule while its first packet matched no NAT rule (a NAT reverse-path check). Add a NAT "
           "exemption before it (an identity NAT rule, which translates the flow's addresses to themselves, matched "
           "by the first packet and by its reply), or publish the server with static NAT and send the traffic to its "
           "mapped address; a permit rule cannot let this traffic through.")

# PRN100 where a role's address is the device's own (``checks.required_flows``): no rule of the device is at fault
OWN_ADDRESS_FIX = ("The site gives the role one of the device's own addresses (an interface's, a failover standby "
                   "or a virtual one), whose traffic is the firewall's own, not a server's: give the role the address "
                   "of its host (the server's, not the firewall's) in the site file or --role.")


def fix_hint(result, finding, rules: dict) -> str:
    """How to fix ``finding``: the advice of its config's vendor for the rule (kept with the vendor,
    ``parsers.kit.Vendor.advice``), else the rule's own, vendor-neutral, fix."""
    import parsers

    if finding.extra.get("blocked_by") == "route":
        return ROUTE_FIX
    if finding.extra.get("blocked_by") == "nat":
        return NAT_FIX
    if finding.extra.get("own_address"):
        return OWN_ADDRESS_FIX
    vendor = next((c.vendor for c in result.configs if c.path == finding.source.path), None)
    if vendor in parsers.VENDORS:
        how = parsers.load(vendor).advice.get(finding.rule_id)
        if how:
            return how
    info = rules.get(finding.rule_id)
    return info.fix if info else ""


def counted(n: int, severity: str) -> str:
    """``n`` findings of a severity in words: "1 error", "2 warnings", "3 info"."""
    return "%d %s%s" % (n, severity, "s" if n != 1 and severity != "info" else "")


def counts_in_words(findings) -> str:
    """"13 errors, 8 warnings, 10 info, 2 waived": the findings not waived by severity, then the waived ones."""
    active = [f for f in findings if not f.waived]
    parts = [counted(sum(1 for f in active if f.severity == s), s) for s in SEVERITIES]
    if len(active) < len(findings):
        parts.append("%d waived" % (len(findings) - len(active)))
    return ", ".join(parts)


def verdict_reasons(result, errors: int | None = None) -> list[str]:
    """The audit verdict's reasons for a report that shows beside them ``errors``, the count of unwaived
    error findings (by default the result's, as ``counts_in_words`` gives it): the reason "N error
    finding(s)" (``auditor.audit``) only repeats that count when N is it, and is left out then (it stays
    when some errors are undecided: N is less)."""
    from auditor.audit import error_reason

    if errors is None:
        errors = sum(1 for f in result.findings if f.severity == "error" and not f.waived)
    return [r for r in result.reasons if r != error_reason(errors)]


def render(fmt: str, result, color: bool = False, **options) -> str:
    """``result`` in format ``fmt`` (a key of ``FORMATS``)."""
    mod = importlib.import_module(FORMATS[fmt])
    taken = getattr(mod, "OPTIONS", ())
    return mod.render(result, color, **{k: v for k, v in options.items() if k in taken})


def render_diff(fmt: str, diff, color: bool = False, **options) -> str:
    """A diff or change request in format ``fmt``."""
    mod = importlib.import_module(FORMATS[fmt])
    taken = getattr(mod, "OPTIONS", ())
    return mod.render_diff(diff, color, **{k: v for k, v in options.items() if k in taken})

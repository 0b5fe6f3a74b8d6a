"""PRN140: the Windows Firewall is on for a Prinergy server."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.findings import Finding

RULES = (
    RuleInfo(
        "PRN140", "windows-firewall-on", "error",
        "The built-in Windows Firewall is on (in at least one profile) on a Prinergy server. The severity "
        "comes from the policy pack: error for Prinergy 8, warning for Prinergy 9 and later.",
        "Kodak, Prinergy 8.0: \"The Built-in Windows Firewall is not supported\" (it causes unpredictable "
        "system behavior). Prinergy 9 and later support it only when it is set up through Kodak support "
        "(Article 75521); a firewall set up otherwise may block the many ports Prinergy uses.",
        "Prinergy 8: turn the firewall off on the server ('netsh advfirewall set allprofiles state off' or "
        "'Set-NetFirewallProfile -All -Enabled False') and filter with a network firewall instead. "
        "Prinergy 9+: keep it only with the Kodak-supplied configuration (Article 75521) and record the "
        "Kodak support reference, e.g. in a waiver.",
    ),
)


def run(ctx) -> Iterable[Finding]:
    """PRN140 for each Windows Firewall profile that is on for a Prinergy server."""
    severity = ctx.pack.windows_firewall
    servers = ctx.server_addresses()
    for cfg in ctx.configs:
        if cfg.local_addresses is not None and servers and not cfg.local_addresses.overlaps(servers):
            # (--host names a machine that is none of the site's Prinergy servers, e.g. a Workshop
            # client: Kodak's requirement is about the servers' own firewall)
            continue
        for p in cfg.profiles:
            if p.enabled is None:
                # (a rule dump without the profiles' state: Windows turns the firewall on by default, and
                # on Prinergy 8 that is an error; where it is only a warning, an undecided one says nothing)
                if severity == "error":
                    yield Finding(
                        "PRN140", severity,
                        "cannot tell whether the Windows Firewall is on (%s): the input does not give the state "
                        "the computer applies (a rule dump holds none), and it is on by default; add the output of "
                        "'Get-NetFirewallProfile -PolicyStore ActiveStore | Format-List', with its prompt line, to "
                        "the input"
                        % p.name,
                        p.source, key="profile:unknown", status="unknown",
                    )
                continue
            if not p.enabled:
                continue
            if severity == "error":
                why = "Kodak does not support the built-in Windows Firewall on Prinergy servers (policy %s)" \
                      % ctx.pack.name
            else:
                why = ("supported only when it is set up through Kodak support, Article 75521 (policy %s)"
                       % ctx.pack.name)
            yield Finding(
                "PRN140", severity,
                "the Windows Firewall is on in the %s profile: %s" % (p.name, why),
                p.source, key="profile:%s" % p.name.lower(),
            )


CHECK = Check('Windows Firewall', RULES, run)

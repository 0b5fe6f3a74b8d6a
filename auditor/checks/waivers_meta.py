"""WVR400-WVR402: waivers that expired, match nothing, or cannot be read.

Only the rule metadata lives here (so ``all_rules()``, the per-rule docs and
the SARIF rule descriptors know these IDs); the findings themselves are made
by ``auditor.waivers.apply_waivers`` after every check has run.
"""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.findings import Finding

RULES = (
    RuleInfo(
        "WVR400", "expired-waiver", "warning",
        "A waiver (waivers file entry or inline remark) is past its expiry date and no longer applies.",
        "Accepted risks are time-boxed so that they are looked at again: once a waiver expires, the "
        "findings it covered count toward the verdict again, and the expired entry is reported so it "
        "is renewed with a fresh justification or removed.",
        "Fix the finding the waiver covered and delete the waiver, or, if the exception is still "
        "needed, set a new 'expires' date (waivers file) or 'until' date (inline remark) with an "
        "updated justification and owner.",
    ),
    RuleInfo(
        "WVR401", "unused-waiver", "info",
        "A waiver matches no finding.",
        "A waiver that matches nothing is dead weight and can hide a future finding it was never "
        "meant for; it usually means the finding was fixed or the selector (fingerprint, text) no "
        "longer matches the config line.",
        "Delete the waiver, or correct its rule_id / fingerprint / text so it selects the finding "
        "it was written for (the fingerprint is in the JSON and SARIF output).",
    ),
    RuleInfo(
        "WVR402", "invalid-inline-waiver", "warning",
        "An inline waiver remark ('prinergy-audit: ignore ...') cannot be read, so it waives nothing.",
        "An inline waiver with a typo would otherwise be silently ignored while its author believes "
        "the finding is accepted.",
        "Write the remark as 'prinergy-audit: ignore RULE[,RULE] until YYYY-MM-DD justification', "
        "with a known rule ID.",
    ),
)


def run(ctx) -> Iterable[Finding]:
    """Nothing to check on the configs themselves; see ``auditor.waivers``."""
    return ()


CHECK = Check('waivers', RULES, run)

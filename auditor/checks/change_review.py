"""CHG500-CHG501: why a change review (``diff``, ``check-change``) cannot tell what a change does.

Only the rule metadata lives here (so ``all_rules()``, the per-rule docs and the SARIF rule
descriptors know these IDs); the findings themselves are made by ``auditor.diff.diff_configs``,
one for each reason of an undecided verdict that no finding of the audits is: they locate the
verdict's reasons for the reports that show results at lines (SARIF).  They are no finding of a
config, so no waiver accepts them and ``--select``/``--ignore`` leave them: the verdict stays unknown
whatever they select.
"""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.findings import Finding

RULES = (
    RuleInfo(
        "CHG500", "change-outside-review", "error",
        "The change alters a part of the input that this review leaves out (another VDOM, a Check Point "
        "layer the package does not install, the other address family's iptables rules), so the review "
        "cannot tell what it does there.",
        "A review that passed such a change would vouch for lines it never read: the part left out may "
        "carry Prinergy traffic too (another VDOM's interfaces, the IPv6 rules of a dual-stack host). "
        "The review's verdict is at best 'unknown'.",
        "Review the part the change alters on its own where it can be (e.g. '--vdom NAME' for another "
        "FortiOS VDOM), or keep the change to the part under review.",
    ),
    RuleInfo(
        "CHG501", "change-undecided", "error",
        "A line not understood leaves what the change does to the traffic unknown: a line that could "
        "change any verdict, or one that now decides a required flow's traffic that the config decided "
        "before the change.",
        "The traffic a change newly permits or denies is computed from the lines understood; a line "
        "not understood (CFG300) may decide that traffic otherwise, so the review cannot pass the "
        "change: its verdict is 'unknown'.",
        "Make the line understood (check its syntax for your firmware, or report it so the parser "
        "learns it), or remove it if it has no effect on the device.",
    ),
)


def run(ctx) -> Iterable[Finding]:
    """Nothing to check on one config; see ``auditor.diff.diff_configs``."""
    return ()


CHECK = Check('change review', RULES, run)

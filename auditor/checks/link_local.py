"""PRN130: link-local (169.254.0.0/16) addresses where Prinergy traffic is concerned."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.core.packets import EMPTY, ISet, format_iset_addrs, parse_network
from auditor.engine import PERMIT
from auditor.findings import Finding

LINK_LOCAL = parse_network("169.254.0.0/16")
_LO, _HI = LINK_LOCAL.iv[0]


def named_link_local(addrs: ISet) -> ISet:
    """The link-local addresses ``addrs`` names: those of its blocks that lie in 169.254.0.0/16 or
    reach into it, not a wider block holding all of it (``any``, 0.0.0.0/0, 128.0.0.0/1,
    169.0.0.0/8: every address there, no host given a link-local one)."""
    out = [(max(a, _LO), min(b, _HI)) for a, b in addrs.iv
           if a <= _HI and b >= _LO and not (a <= _LO and b >= _HI and (a, b) != (_LO, _HI))]
    return ISet(out) if out else EMPTY

RULES = (
    RuleInfo(
        "PRN130", "link-local-address", "error",
        "A link-local (169.254.0.0/16) address is used for a Prinergy role or in an object used by "
        "a rule that carries Prinergy traffic.",
        "Kodak: the 169.254.x.x range \"is not operationally compatible with Prinergy Workflow "
        "server software\" (RFC 3927 self-assigned addresses).",
        "Give the hosts static or DHCP-assigned addresses outside 169.254.0.0/16 and update the "
        "objects that name them.",
    ),
)


def run(ctx) -> Iterable[Finding]:
    """PRN130 for link-local addresses in the site's roles or in rules carrying Prinergy flows."""
    for role, entries in ctx.site.roles.items():
        if getattr(ctx.pack.role_specs.get(role), "external", False):
            continue  # (hosts outside the site, e.g. internet: [0.0.0.0/0], are not the site's to address)
        for e in entries:
            bad = named_link_local(e.addresses)
            if bad:
                yield Finding("PRN130", "error",
                              "role %s uses link-local address %s" % (role, format_iset_addrs(bad)),
                              e.source, key="role:%s" % role)
    seen = set()
    for _cfg, flow, outcomes in ctx.flow_outcomes:
        for o in outcomes:
            if o.kind != PERMIT or o.rule is None:
                continue
            for ref in o.rule.addresses:
                bad = named_link_local(ref.addresses)
                k = (ref.source.path, ref.source.line)
                if bad and k not in seen:
                    seen.add(k)
                    yield Finding("PRN130", "error",
                                  "link-local address %s is used by line %d, which carries Prinergy flow %s"
                                  % (format_iset_addrs(bad), o.rule.source.line, flow.describe()),
                                  ref.source, key="object", related=(o.rule.source,))


CHECK = Check('link-local addresses', RULES, run)

"""The PAN-OS fix hook: a security rule that opens a blocked flow, as configuration-mode commands.

PAN-OS looks up a session's security rules in rulebase order, first match, then the predefined
``interzone-default`` (deny) or ``intrazone-default`` (allow) (Palo Alto Networks, "PAN-OS
Administrator's Guide: Security Policy", "Security Policy Rule Order").  The fix is a new rule for
the zone pair (``set rulebase security rules NAME from Z1 to Z2 ...``: a new rule goes to the bottom
of the rulebase, as on the device), moved with ``move rulebase security rules NAME before OTHER``
right before the rule that denies the flow, or left at the bottom when the default denies it.
Its addresses are written as they are (a rule takes IP addresses and CIDR blocks directly), its
ports as a new service (``set service NAME protocol tcp port P source-port S``; one per port
range, listed together), with ``application any`` so that the rule is decided by ports alone,
like the flow.  A flow that must survive a shift idle gets the service's ``timeout``
(``protocol tcp timeout``, PAN-OS 8.1 and later: a service's session timeout overrides the
application's).  Another virtual system's rules are written under ``vsys NAME``.
"""

from __future__ import annotations

import re

from parsers.kit.fix import CannotFix, FixRequest, Part, parts, port_text, unique_name

_PROTO = {6: "tcp", 17: "udp"}
_NAME = re.compile(r'name="([^"]*)"')
_SET_RULE = re.compile(r'\brules\s+(?:"([^"]*)"|(\S+))')  # (a set command's rule name, quoted when it has spaces)


def fix(config_text: str, req: FixRequest) -> str:
    """The PAN-OS commands that permit exactly ``req.packets`` where ``req`` says (``parsers.kit.fix``)."""
    pair = req.rule.filter if req.rule is not None else req.stage.name
    vsys = ""
    if "/" in pair.split("->")[0]:
        vsys, _sep, pair = pair.partition("/")
    a, sep, b = pair.partition("->")
    if not sep or not a or not b:
        raise CannotFix("what drops it here is not a security rulebase (%s)" % req.stage.default_reason)
    before = _rule_name(req) if req.rule is not None else None
    scope = "vsys %s " % vsys if vsys else ""
    taken = set(re.findall(r'name="([^"]*)"', config_text)) | set(
        re.findall(r"\b(?:rules|service)\s+(\"[^\"]*\"|\S+)", config_text))
    out: list[str] = []
    for k, part in enumerate(parts(req.packets)):
        services = _services(part, req, scope, taken, out)
        name = unique_name("prinergy-%s" % req.name if k == 0 else "prinergy-%s-%d" % (req.name, k + 1),
                           lambda n: n in taken)
        taken.add(name)
        head = "set %srulebase security rules %s" % (scope, name)
        out += ["%s from %s" % (head, _q(a)), "%s to %s" % (head, _q(b)),
                "%s source %s" % (head, _addresses(part.src)),
                "%s destination %s" % (head, _addresses(part.dst)),
                "%s application any" % head, "%s service %s" % (head, _list(services)),
                "%s action allow" % head]
        if before is not None:
            out.append("move %srulebase security rules %s before %s" % (scope, name, _q(before)))
    return "\n".join(out) + "\n"


def _rule_name(req: FixRequest) -> str:
    text = req.rule.source.text
    m = _NAME.search(text)
    if m:
        return m.group(1)
    m = _SET_RULE.search(text)
    if m:
        return m.group(1) if m.group(1) is not None else m.group(2)
    raise CannotFix("cannot tell which rule line %d is" % req.rule.source.line)


def _q(w: str) -> str:
    return '"%s"' % w if any(c in w for c in ' \t"[];{}') else w


def _list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else "[ %s ]" % " ".join(words)


def _addresses(nets) -> str:
    if nets is None:
        return "any"
    return _list([str(n) if n.prefixlen != n.max_prefixlen else str(n.network_address) for n in nets])


def _services(part: Part, req: FixRequest, scope: str, taken: set[str], out: list[str]) -> list[str]:
    proto = _PROTO[part.proto]
    names = []
    for lo, hi in part.dport or ((1, 65535),):
        n = unique_name("prinergy-%s-%s-%s" % (req.name, proto, port_text(lo, hi)), lambda x: x in taken)
        taken.add(n)
        head = "set %sservice %s protocol %s" % (scope, n, proto)
        out.append("%s port %s" % (head, port_text(lo, hi)))
        if part.sport is not None:
            out.append("%s source-port %s" % (head, ",".join(port_text(x, y) for x, y in part.sport)))
        if req.idle_seconds is not None and proto == "tcp":
            out.append("%s override yes timeout %d" % (head, req.idle_seconds))
        names.append(n)
    return names


__all__ = ["fix"]

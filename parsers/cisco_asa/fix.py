"""The ASA's fix hook: the access-list entries that open a blocked flow, in the ASA's own commands.

A permit goes into the access list that blocks the flow: ``access-list NAME line N extended
permit ...`` right before the denying entry (N counts the list's entries, remarks included, as
the device does: Cisco ASA Series Firewall CLI Configuration Guide, "Access Control Lists",
"Add an ACE at a specific line number"), or appended when the list's implicit deny drops the
flow.  Several source or destination blocks become an ``object-group network``, several port
ranges an ``object-group service NAME tcp|udp``; the flow's client ports (1024-65535) are written
as a source port range.  Where no access list decides (the security levels do), there is no
entry to add: binding a new list to the interface would deny what the levels let through now.
"""

from __future__ import annotations

from parsers.kit.fix import CannotFix, FixRequest, Part, parts, unique_name

_PROTO = {6: "tcp", 17: "udp"}


def fix(config_text: str, req: FixRequest) -> str:
    """The ASA commands that permit exactly ``req.packets`` where ``req`` says (``parsers.kit.fix``)."""
    lines = config_text.splitlines()
    if req.rule is not None:
        acl = req.rule.filter
        pos = _position(lines, acl, req.rule.source.line)
    else:
        if not req.stage.filters:
            raise CannotFix("no access list decides here (%s): binding one to the interface would deny "
                            "what it lets through now" % req.stage.default_reason)
        acl, pos = req.stage.filters[0], None
    taken = _names(lines)
    out: list[str] = []
    entries: list[str] = []
    for part in parts(req.packets):
        src = _addresses(part.src, part.family, "%s-SRC" % req.name, taken, out)
        dst = _addresses(part.dst, part.family, "%s-DST" % req.name, taken, out)
        dport = _ports(part, "%s-PORTS" % req.name, taken, out)
        for sport in _source_ports(part):
            entries.append("permit %s %s%s %s%s" % (_PROTO[part.proto], src, sport, dst, dport))
    for k, e in enumerate(entries):
        at = "line %d " % (pos + k) if pos is not None else ""
        out.append("access-list %s %sextended %s" % (acl, at, e))
    return "\n".join(out) + "\n"


def _position(lines: list[str], acl: str, line: int) -> int:
    """The entry number (1-based, remarks counted) of the access-list line ``line``."""
    n = 0
    for k, raw in enumerate(lines[:line], 1):
        t = raw.split()
        if len(t) >= 3 and t[0] == "access-list" and t[1] == acl and t[2] in ("extended", "standard", "remark"):
            n += 1
            if k == line:
                return n
    raise CannotFix("line %d is not an entry of access-list %s" % (line, acl))


def _names(lines: list[str]) -> set[str]:
    out = set()
    for raw in lines:
        t = raw.split()
        if len(t) >= 3 and t[0] in ("object", "object-group"):
            out.add(t[2])
        elif len(t) >= 3 and t[0] == "name":
            out.add(t[2])
    return out


def _group_name(base: str, taken: set[str]) -> str:
    name = unique_name("PRINERGY-" + base.upper(), lambda n: n in taken)
    taken.add(name)
    return name


def _one(net) -> str:
    if net.version == 4:
        if net.prefixlen == 32:
            return "host %s" % net.network_address
        return "%s %s" % (net.network_address, net.netmask)
    return "host %s" % net.network_address if net.prefixlen == 128 else str(net)


def _addresses(nets, family: int, base: str, taken: set[str], out: list[str]) -> str:
    if nets is None:
        return "any4" if family == 4 else "any6"
    if len(nets) == 1:
        return _one(nets[0])
    name = _group_name(base, taken)
    out.append("object-group network %s" % name)
    out.extend(" network-object %s" % _one(n) for n in nets)
    return "object-group %s" % name


def _op(lo: int, hi: int) -> str:
    return "eq %d" % lo if lo == hi else "range %d %d" % (lo, hi)


def _ports(part: Part, base: str, taken: set[str], out: list[str]) -> str:
    if part.dport is None:
        return ""
    if len(part.dport) == 1:
        return " " + _op(*part.dport[0])
    name = _group_name(base, taken)
    out.append("object-group service %s %s" % (name, _PROTO[part.proto]))
    out.extend(" port-object %s" % _op(lo, hi) for lo, hi in part.dport)
    return " object-group %s" % name


def _source_ports(part: Part) -> list[str]:
    if part.sport is None:
        return [""]
    return [" " + _op(lo, hi) for lo, hi in part.sport]


__all__ = ["fix"]

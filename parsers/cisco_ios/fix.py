"""The IOS fix hook: the access-list entries that open a blocked flow, in IOS's own commands.

A permit goes into the access list that blocks the flow.  In a named list it gets a sequence
number between the entry before the denying one and the denying one (Cisco IOS XE Security
Configuration Guide: Access Control Lists, "IP Access List Entry Sequence Numbering": an entry
with a number goes to that place; IOS numbers entries 10, 20, ... when the configuration shows
none); where the list's implicit deny drops the flow, it is appended.  A numbered list written as
``access-list N`` lines only grows at its end, so an entry before one of its lines cannot be
written.  Several address blocks become an ``object-group network``; each port range is an
entry.  Replies a stateless ACL drops are permitted with ``established`` (TCP packets with ACK or
RST: the replies of connections, never a new one).  A zone-based policy firewall's zone pairs are
not edited: their class maps and policies are the administrator's design.
"""

from __future__ import annotations

from parsers.cisco_ios.acl import split_entry
from parsers.kit.fix import CannotFix, FixRequest, parts, unique_name

_PROTO = {6: "tcp", 17: "udp"}


def fix(config_text: str, req: FixRequest) -> str:
    """The IOS commands that permit exactly ``req.packets`` where ``req`` says (``parsers.kit.fix``)."""
    lines = config_text.splitlines()
    if req.stage.name.startswith("zones "):
        raise CannotFix("a zone-based policy decides here (%s): add the flow to the zone pair's class map "
                        "by hand" % req.stage.default_reason if req.rule is None else
                        "a zone-based policy decides here (line %d): add the flow to the zone pair's class map "
                        "by hand" % req.rule.source.line)
    acl = req.rule.filter if req.rule is not None else (req.stage.filters[0] if req.stage.filters else None)
    if acl is None or acl not in req.config.filters or req.config.filters[acl].kind != "acl":
        raise CannotFix("no access list decides here (%s)" % req.stage.default_reason)
    header, kind = _header(lines, acl)
    taken = _names(lines)
    out: list[str] = []
    entries = []
    established = req.phase == "reply"
    for part in parts(req.packets):
        if part.family == 6 and kind != "ipv6" or part.family == 4 and kind == "ipv6":
            raise CannotFix("the packets are IPv%d and access list %s is not" % (part.family, acl))
        src = _addresses(part.src, part.family, "%s-SRC" % req.name, taken, out)
        dst = _addresses(part.dst, part.family, "%s-DST" % req.name, taken, out)
        flag = " established" if established and part.proto == 6 else ""
        for sport in _ports(part.sport):
            for dport in _ports(part.dport):
                entries.append("permit %s %s%s %s%s%s" % (_PROTO[part.proto], src, sport, dst, dport, flag))
    if header is None:  # a numbered list: 'access-list N' lines
        if req.rule is not None:
            raise CannotFix("access list %s is written as 'access-list %s' lines, which IOS only appends to: "
                            "an entry before line %d needs the list rewritten as 'ip access-list %s %s' first"
                            % (acl, acl, req.rule.source.line, kind, acl))
        out.extend("access-list %s %s" % (acl, e) for e in entries)
        return "\n".join(out) + "\n"
    if req.rule is None:
        out.append(lines[header].strip())
        out.extend(" " + e for e in entries)
        return "\n".join(out) + "\n"
    seqs = _sequence(lines, header, kind, req.rule.source.line, len(entries))
    out.append(lines[header].strip())
    fmt = " sequence %d %s" if kind == "ipv6" else " %d %s"
    out.extend(fmt % (n, e) for n, e in zip(seqs, entries))
    return "\n".join(out) + "\n"


def _header(lines: list[str], acl: str) -> tuple[int | None, str]:
    """(index of ``ip access-list KIND NAME`` / ``ipv6 access-list NAME``, kind); (None, kind) for a
    numbered list written as ``access-list N`` lines."""
    for k, raw in enumerate(lines):
        t = raw.split()
        if t[:2] == ["ip", "access-list"] and len(t) == 4 and t[3] == acl and t[2] in ("standard", "extended"):
            if t[2] == "standard":
                raise CannotFix("access list %s is a standard list (sources only): a flow needs an extended "
                                "list" % acl)
            return k, "extended"
        if t[:2] == ["ipv6", "access-list"] and len(t) == 3 and t[2] == acl:
            return k, "ipv6"
    if any(raw.split()[:2] == ["access-list", acl] for raw in lines):
        if acl.isdecimal() and (int(acl) < 100 or 1300 <= int(acl) <= 1999):
            raise CannotFix("access list %s is a standard list (sources only)" % acl)
        return None, "extended"
    raise CannotFix("access list %s is not in the configuration" % acl)


def _sequence(lines: list[str], header: int, kind: str, line: int, count: int) -> list[int]:
    """``count`` free sequence numbers between the entry before config line ``line`` and it."""
    last = 0
    prev = 0
    for k in range(header + 1, len(lines)):
        raw = lines[k]
        if not raw[:1].isspace() or not raw.strip():
            break
        t = raw.split()
        if t[0].startswith("!"):
            continue
        seq, words = split_entry(t, kind)
        if words and words[0] == "remark":
            continue
        if seq is None:
            seq = last + 10
        if k + 1 == line:
            gap = seq - prev - 1
            if gap < count:
                raise CannotFix("no free sequence number before entry %d of the list (line %d): renumber it "
                                "first ('ip access-list resequence')" % (seq, line))
            step = (gap + 1) // (count + 1)
            return [prev + step * (j + 1) for j in range(count)]
        last = max(last, seq)
        prev = seq
    raise CannotFix("line %d is not an entry of its access list" % line)


def _names(lines: list[str]) -> set[str]:
    return {raw.split()[2] for raw in lines if raw.split()[:1] == ["object-group"] and len(raw.split()) >= 3}


def _one(net, member: bool) -> str:
    if net.version == 4:
        if net.prefixlen == 32:
            return "host %s" % net.network_address
        return "%s %s" % (net.network_address, net.netmask if member else net.hostmask)
    return "host %s" % net.network_address if net.prefixlen == 128 else str(net)


def _addresses(nets, family: int, base: str, taken: set[str], out: list[str]) -> str:
    if nets is None:
        return "any"
    if len(nets) == 1:
        return _one(nets[0], False)
    if family == 6:
        raise CannotFix("several IPv6 blocks: write one entry per block by hand")
    name = unique_name("PRINERGY-" + base.upper(), lambda n: n in taken)
    taken.add(name)
    out.append("object-group network %s" % name)
    out.extend(" %s" % _one(n, True) for n in nets)
    return "object-group %s" % name


def _ports(ranges) -> list[str]:
    if ranges is None:
        return [""]
    return [" eq %d" % lo if lo == hi else " range %d %d" % (lo, hi) for lo, hi in ranges]


__all__ = ["fix"]

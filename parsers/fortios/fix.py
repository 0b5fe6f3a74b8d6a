"""The FortiOS fix hook: a firewall policy that opens a blocked flow, as FortiOS CLI blocks.

FortiOS evaluates a pair's policies in list order and ends with the implicit deny (policy 0)
(Fortinet, "FortiOS Administration Guide: Firewall policy", "Policy views and policy lookup").
The fix is a new policy for the interface (or zone) pair: moved right before the policy that
denies the flow (``move NEW before ID`` in ``config firewall policy``), or left at the end of the
list (a new ID is appended) when the implicit deny drops it.  Its addresses are new ``config
firewall address`` entries (an ``addrgrp`` for several), its ports a ``config firewall service
custom`` entry (``set tcp-portrange DST:SRC ...``: destination range, then source range); a flow
that must survive a shift idle gets ``set session-ttl`` on the policy (Fortinet KB "Technical Tip:
Priority of session-ttl settings in FortiGate": a policy's session-ttl overrides the system's).
In a configuration with VDOMs, the blocks are wrapped in ``config vdom`` / ``edit VDOM``.
"""

from __future__ import annotations

import re

from parsers.kit.fix import CannotFix, FixRequest, Part, parts, port_text, unique_name

_PROTO = {6: "tcp", 17: "udp"}
_EDIT = re.compile(r'^\s*edit\s+"?([^"]*)"?\s*$')


def fix(config_text: str, req: FixRequest) -> str:
    """The FortiOS commands that permit exactly ``req.packets`` where ``req`` says (``parsers.kit.fix``)."""
    lines = config_text.splitlines()
    pair = (req.rule.filter if req.rule is not None else req.stage.name[len("policy "):]) \
        if req.stage.name.startswith("policy ") else None
    # (a stage of a backup of several VDOMs ends with " in VDOM NAME": policy.vdom_words)
    a, sep, b = (pair or "").split(" in VDOM ")[0].partition("->")
    if not sep:
        raise CannotFix("what drops it here is not a firewall policy (%s)" % req.stage.default_reason)
    before = None
    if req.rule is not None:
        m = _EDIT.match(req.rule.source.text)
        if not m or not m.group(1).isdecimal():
            raise CannotFix("cannot tell which policy line %d is" % req.rule.source.line)
        before = int(m.group(1))
    tables = _names(lines)
    names = tables.get("firewall address", set()) | tables.get("firewall addrgrp", set())
    svc_names = tables.get("firewall service custom", set()) | tables.get("firewall service group", set())
    pol_names: set[str] = set()
    for raw in lines:
        m = re.match(r'^\s*set name "([^"]*)"', raw)
        if m:
            pol_names.add(m.group(1))
    aux = req.config.aux if isinstance(req.config.aux, dict) else {}
    # (FortiOS 6.2 consolidated policy mode: the policies are 'config firewall consolidated policy', their IPv4
    # addresses srcaddr4/dstaddr4; build.Parser.consolidated_tables)
    table = aux.get("policy_table", "firewall policy")
    four = "4" if table == "firewall consolidated policy" else ""
    ids = _policy_ids(lines)
    new_id = max(ids, default=0) + 1
    addrs: list[str] = []
    services: list[str] = []
    policies: list[str] = []
    for k, part in enumerate(parts(req.packets)):
        if part.family != 4:
            raise CannotFix("IPv6 flows: write the policy with srcaddr6/dstaddr6 by hand")
        src = _address(part.src, "%s-src" % req.name, names, addrs)
        dst = _address(part.dst, "%s-dst" % req.name, names, addrs)
        svc = unique_name("prinergy-%s" % req.name, lambda n: n in svc_names)
        svc_names.add(svc)
        services += ['    edit "%s"' % svc, '        set %s-portrange %s' % (_PROTO[part.proto], _ranges(part)),
                     "    next"]
        pid = new_id + k
        pname = unique_name("prinergy-%s" % req.name, lambda n: n in pol_names)
        pol_names.add(pname)
        policies += ["    edit %d" % pid, '        set name "%s"' % pname, '        set srcintf "%s"' % a,
                     '        set dstintf "%s"' % b, '        set srcaddr%s %s' % (four, src),
                     '        set dstaddr%s %s' % (four, dst),
                     "        set action accept", '        set schedule "always"', '        set service "%s"' % svc]
        if req.idle_seconds is not None:
            policies.append("        set session-ttl %d" % max(300, min(604800, req.idle_seconds)))
        policies.append("    next")
        if before is not None:
            policies.append("    move %d before %d" % (pid, before))
    out: list[str] = []
    if addrs:
        out += ["config firewall address"] + [x for x in addrs if not x.startswith("#grp")] + ["end"]
        groups = [x[4:] for x in addrs if x.startswith("#grp")]
        if groups:
            out += ["config firewall addrgrp"] + groups + ["end"]
    out += ["config firewall service custom"] + services + ["end"]
    out += ["config %s" % table] + policies + ["end"]
    vdom = aux.get("vdom")
    if vdom and any(raw.strip() == "config vdom" for raw in lines):
        out = ["config vdom", "    edit %s" % vdom] + ["        " + x for x in out] + ["    next", "end"]
    return "\n".join(out) + "\n"


def _names(lines: list[str]) -> dict[str, set[str]]:
    """The names each ``config`` table has (``edit "NAME"``), by the table's path."""
    out: dict[str, set[str]] = {}
    stack: list[str] = []
    for raw in lines:
        s = raw.strip()
        if s.startswith("config "):
            stack.append(s[len("config "):])
        elif s == "end" and stack:
            stack.pop()
        elif stack:
            m = _EDIT.match(raw)
            if m:
                out.setdefault(stack[-1], set()).add(m.group(1))
    return out


def _policy_ids(lines: list[str]) -> list[int]:
    """The IDs of every firewall policy, consolidated ones too (in any VDOM: a new ID above them all is free in
    each)."""
    out = []
    depth = 0
    inside = -1
    for raw in lines:
        s = raw.strip()
        if s.startswith("config "):
            depth += 1
            if s in ("config firewall policy", "config firewall consolidated policy"):
                inside = depth
            continue
        if s == "end":
            if depth == inside:
                inside = -1
            depth -= 1
            continue
        if inside == depth:
            m = _EDIT.match(raw)
            if m and m.group(1).isdecimal():
                out.append(int(m.group(1)))
    return out


def _address(nets, base: str, names: set[str], out: list[str]) -> str:
    if nets is None:
        return '"all"'
    made = []
    for k, net in enumerate(nets):
        n = unique_name("prinergy-%s%s" % (base, "" if len(nets) == 1 else "-%d" % (k + 1)), lambda x: x in names)
        names.add(n)
        out += ['    edit "%s"' % n, "        set subnet %s %s" % (net.network_address, net.netmask), "    next"]
        made.append(n)
    if len(made) == 1:
        return '"%s"' % made[0]
    grp = unique_name("prinergy-%s" % base, lambda x: x in names)
    names.add(grp)
    out += ['#grp    edit "%s"' % grp, "#grp        set member %s" % " ".join('"%s"' % n for n in made),
            "#grp    next"]
    return '"%s"' % grp


def _ranges(part: Part) -> str:
    dports = part.dport or ((1, 65535),)
    sport = ""
    if part.sport is not None:
        if len(part.sport) != 1:
            raise CannotFix("several client port ranges")
        sport = ":" + port_text(*part.sport[0])
    return " ".join(port_text(lo, hi) + sport for lo, hi in dports)


__all__ = ["fix"]

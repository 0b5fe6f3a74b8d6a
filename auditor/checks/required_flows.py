"""PRN100: a flow Prinergy needs is blocked, fully or partly."""

from __future__ import annotations

from typing import Iterable

from auditor.checks import Check, RuleInfo
from auditor.core.model import Config, Source
from auditor.core.packets import PROTO_TCP, PROTO_UDP, PacketSet, cube, replies
from auditor.engine import DENY, NOT_ROUTED, OWN_TRAFFIC, UNKNOWN
from auditor.findings import Finding, rule_ref

RULES = (
    RuleInfo(
        "PRN100", "required-flow-blocked", "error",
        "A network flow that Prinergy requires is blocked, fully or in part.",
        "Kodak's \"Ports required\" table lists the ports and protocols Prinergy needs (servers, Workshop "
        "clients, license manager, Oracle, Veris, ColorFlow) and states few directions (Workshop clients must "
        "reach 49101, 37002/udp, the Help ports and, on 9 and later, 49152-65535; PrinterJTP to Veris; "
        "Prinergy to ColorFlow). The pack gives the other directions from its role model ('inferred' in "
        "'prinergy-audit policies show'; a site pack can change them) and each flow's severity. A blocked "
        "port makes Workshop stall or jobs fail.",
        "Permit the flow (the example packet shows one that is dropped) before the line that "
        "blocks it, or remove the deny.  Where the blocking line is a NAT rule (the device drops a connection whose "
        "reply that rule would translate while its first packet matched no NAT rule), add a NAT exemption (identity "
        "NAT) for the flow before it, or publish the server with static NAT and send to its mapped address.  "
        "A warning that a role's address is the device's own (its flows are "
        "traffic to or from the firewall itself, not a server's) asks for the role's address to be corrected "
        "in the site file or --role.",
    ),
)


def run(ctx) -> Iterable[Finding]:
    """PRN100 for each line (and phase of a connection) that blocks or may block a required flow."""
    for cfg, flow, outcomes in ctx.flow_outcomes:
        # (some connection of the flow works: its first packets pass, and where later packets and
        # replies are decided by rules too, some of those pass)
        phases = {o.phase for o in outcomes}
        allowed = all(any(o.allowed for o in outcomes if o.phase == ph) for ph in phases)
        by_line: dict[tuple, list] = {}
        for o in outcomes:
            if o.kind in (DENY, UNKNOWN):
                src = o.source or Source(cfg.path, 1, "")
                by_line.setdefault((o.kind, src.path, src.line, o.phase), []).append(o)
        for (kind, _p, _l, phase), outs in by_line.items():
            packets = PacketSet([c for o in outs for c in o.packets])
            example = packets.example()
            if phase == "reply" and example is not None and example[2] in (PROTO_TCP, PROTO_UDP):
                # (a reply to the client's port as a client picks it: the reply of the request's example)
                example = _reversed(replies(packets).example())
            o = outs[0]
            mirrored = phase != "reply" and o.stage is not None and o.stage.replies
            if mirrored and example is not None and example[2] in (PROTO_TCP, PROTO_UDP):
                # (a stage that decides the requests by their replies: show the reply it drops)
                example = _reversed(example)
            what = rule_ref(o.rule) if o.rule is not None else (o.reason or "the default")
            if kind == DENY:
                extent = "partly" if allowed or len(by_line) > 1 else "fully"
                msg = "required flow %s is %s blocked by %s" % (flow.describe(), extent, what)
                if o.rule is None and o.reason:
                    msg = "required flow %s is %s blocked: %s" % (flow.describe(), extent, o.reason)
                if o.phase == "reply" or mirrored:
                    msg += " (its replies are dropped on the way back: the example is a reply packet)"
                elif o.phase == "established":
                    msg += " (the packets after the first are dropped: no rule for established connections)"
                sev, status = flow.spec.severity, "fail"
            else:
                msg = ("cannot tell whether required flow %s passes: it reaches line %d (%s)"
                       % (flow.describe(), o.source.line, o.reason) if o.source is not None else
                       "cannot tell whether required flow %s passes: %s" % (flow.describe(), o.reason))
                sev, status = "warning", "unknown"
            extra = {"flow": flow.key, "kodak": flow.spec.kodak}
            if kind == DENY and o.rule is None and o.stage is not None and o.stage.drop_route:
                extra["blocked_by"] = "route"  # (the fix is to the route: report.fix_hint)
            elif kind == DENY and o.rule is None and o.stage is None and _is_nat_line(cfg, o.source):
                # (dropped by a NAT rule, not by an access rule: a NAT reverse-path check; report.fix_hint)
                extra["blocked_by"] = "nat"
            yield Finding(
                "PRN100", sev, msg, o.source or Source(cfg.path, 1, ""), key=flow.key, example=example,
                status=status, extra=extra,
            )
        yield from _own_roles(ctx, cfg, flow, outcomes)
    yield from _judged_own_roles(ctx)


def _is_nat_line(cfg: Config, source: Source | None) -> bool:
    """Whether ``source`` is the line of one of ``cfg``'s NAT rules."""
    return source is not None and any(r.source == source for t in cfg.nat for r in t.rules)


def _judged_own_roles(ctx) -> Iterable[Finding]:
    """PRN100 warning, once per address the site gives a role of which every address is the device's own
    (``own_role_parts``' rule), where the device's filters decide traffic to the device itself (``judges_own``:
    pfSense's interface rules, an IOS inbound ACL): the flows' statuses stand (the device does judge the
    traffic to it), but the role is the firewall, not a server: its address is almost certainly mistyped."""
    seen, judging = set(), {}
    for cfg, flow, outcomes in ctx.flow_outcomes:
        own = cfg.local_addresses
        if cfg.path not in judging:
            judging[cfg.path] = bool(own) and judges_own(cfg)
        if not judging[cfg.path]:
            continue
        for e in (e for r in (flow.src_role, flow.dst_role) for e in ctx.site.roles.get(r, ())):
            if (cfg.path, id(e)) in seen or not e.addresses or not e.addresses.issubset(own):
                continue
            ends = PacketSet([cube(src=e.addresses), cube(dst=e.addresses)])
            if not any(o.packets.overlaps(ends) for o in outcomes):
                continue
            seen.add((cfg.path, id(e)))
            iface = next((i for i in cfg.interfaces if e.addresses.issubset(i.networks)), None)
            yield Finding(
                "PRN100", "warning",
                "%s: its flows are traffic to and from the firewall itself, not a server's "
                "(is the role's address mistyped?)" % own_role_text(e, iface),
                e.source, key="role:%s" % e.role, related=(iface.source,) if iface else (),
                extra={"own_address": "%s = %s" % (e.role, e.text)},
            )


def judges_own(cfg: Config) -> bool:
    """A network device whose filters decide traffic to the device itself (``Path.local``: pfSense's interface
    rules, an IOS inbound ACL), its own addresses its interfaces': paths between two of its interfaces as well,
    which a host firewall (iptables, Windows Firewall, a cloud security group: ``--host`` gives its addresses,
    whose traffic is the server's by design) has not."""
    return any(p.local is not None for p in cfg.paths) and any(
        p.local is None and p.ingress is not None and p.egress not in (None, p.ingress) for p in cfg.paths)


def _own_roles(ctx, cfg: Config, flow, outcomes) -> Iterable[Finding]:
    """PRN100 unknown, at the site's line, for the packets of ``flow`` from or to a role's address that is
    the device's own (``own_role_parts``)."""
    for e, _packets, example, iface in own_role_parts(ctx.site, cfg, flow, outcomes):
        yield Finding(
            "PRN100", "warning",
            "cannot tell whether required flow %s passes: %s, and only traffic through the device is evaluated "
            "(is the role's address mistyped?)" % (flow.describe(), own_role_text(e, iface)),
            e.source, key=flow.key, example=example, status="unknown",
            related=(iface.source,) if iface else (),
            extra={"flow": flow.key, "kodak": flow.spec.kodak, "own_address": "%s = %s" % (e.role, e.text)},
        )


def own_role_parts(site, cfg: Config, flow, outcomes) -> list[tuple]:
    """``(entry, packets, example, interface)`` for each address the site gives a role of ``flow`` (one
    ``RoleEntry``, as written) of which every address is the device's own (``Config.local_addresses``: an
    interface's, a standby or virtual one): the packets of ``outcomes`` from or to it that no path takes
    (the device's own traffic, which its access rules do not decide: ``explain`` answers unknown for it;
    those whose other end is another of the device's addresses left out where others remain), one of
    them, and the interface on whose network it is (None: none).  Such a role's address is mistyped (the
    firewall's for the server's), or the "server" is the device.  A role's addresses of which only some
    are the device's own (a workshop network holding the firewall's ``.1``) stand for the other hosts:
    those own ones are left out quietly."""
    own = cfg.local_addresses
    if {p.local for p in cfg.paths} >= {"in", "out"}:
        # (a host firewall: its paths decide its own traffic, and what none takes is another input's, the other
        # address family's dump beside this one: tests/test_iptfam24.py; a router's paths to itself alone, "in",
        # leave what it sends undecided: tests/test_rev24d_review.py)
        return []
    # (the first packets: the later ones and the replies of a connection to the device are its own too)
    mine = [o.packets for o in outcomes
            if o.kind == NOT_ROUTED and o.reason == OWN_TRAFFIC and o.phase == "new"] if own else []
    if not mine:
        return []
    out = []
    for e in (e for r in (flow.src_role, flow.dst_role) for e in site.roles.get(r, ())):
        if not e.addresses or not e.addresses.issubset(own):
            continue
        ends = PacketSet([cube(src=e.addresses), cube(dst=e.addresses)])
        parts = [p for ps in mine if (p := ps.intersect(ends))]
        if not parts:
            continue
        mine = [rest for ps in mine if (rest := ps.subtract(ends))]
        # (their other end a host, not another of the device's addresses, its .1, where there is one)
        packets = PacketSet([c for p in parts for c in p.cubes])
        others = own.subtract(e.addresses)
        hosts = packets.subtract(PacketSet([cube(src=others), cube(dst=others)])) if others else packets
        packets = hosts or packets
        iface = next((i for i in cfg.interfaces if e.addresses.issubset(i.networks)), None)
        out.append((e, packets, packets.example(), iface))
    return out


def own_role_text(e, iface) -> str:
    """"primary = 10.2.0.10 is the device's own address (interface outside, fw.cfg:7)"."""
    where = " (interface %s, %s:%d)" % (iface.name, iface.source.path, iface.source.line) if iface else ""
    return "%s = %s is the device's own address%s" % (e.role, e.text, where)


CHECK = Check('required flows', RULES, run)


def _reversed(pkt: tuple) -> tuple:
    """The packet going the other way: its addresses and its ports swapped."""
    s, d, proto, sport, dport = pkt
    return (d, s, proto, dport, sport)

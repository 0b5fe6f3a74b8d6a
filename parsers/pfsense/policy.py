"""pf's evaluation of the ordered rules, as the model's first-match filters, stages and paths.

pf evaluates every rule of the ruleset in order; a matching ``quick`` rule decides at once, and
otherwise the *last* matching rule decides (pf.conf(5), PACKET FILTERING: "the last matching rule
decides what action is taken ... If a packet matches a rule which has the quick option set, this
rule is considered the last matching rule").  As a first-match list that is: every quick rule in
order, then every non-quick rule in reverse order, then pf's own default (pass; never reached here,
because both products write a non-quick ``block in all`` / ``pass out all`` first).

Rules apply to a packet in one direction on one interface.  pfSense and OPNsense filter inbound on
the interface a packet arrives on (the interface tabs) and let out what leaves (their generated
non-quick ``pass out all keep state``), so a path from interface A to interface B is:

* ``in on A``: the quick rules for A inbound (generated, floating, group and A's tab rules), then
  the non-quick ones last-first, then the default deny ("Default deny rule");
* ``out on B`` when the user's out-direction rules exist for B (floating rules): the same, with the
  default pass; it sees packets after outbound NAT.

What a port forward with filter rule association 'Pass' (``rdr pass``) redirects takes paths of its
own, first: their inbound stage passes it, the out stage of the interface it leaves still applies.

Traffic between two hosts of one interface's subnet does not reach the firewall.  Traffic to the
firewall's own addresses takes the ``in`` stage of its interface (``local="in"``).  Traffic the
firewall itself sends is not a path here (pfSense and OPNsense pass it out: "let out anything from
firewall host itself"; it is no client of Prinergy's).  pf is stateful (rules ``keep state`` by
default): replies of a permitted connection pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.core.model import Action, AddressRef, Filter, Path, Rule, Stage, new_rule
from auditor.core.packets import ISet, PacketSet, cube
from parsers.pfsense.rules import PfRule

DIRECTIONS = ("in", "out")


@dataclass
class Built:
    filters: dict[str, Filter]
    paths: tuple[Path, ...]
    placed: list[tuple[Rule, PfRule]] = field(default_factory=list)
    refs: tuple[AddressRef, ...] = ()


def build(p, ordered: list[PfRule], forwards: list[PfRule] = ()) -> Built:
    """Filters, stages and paths of the interfaces of parser ``p``, from its rules in pf's order and
    the pass rules of its ``rdr pass`` port forwards (``forwards``)."""
    ifaces = p.enabled_ifaces()
    keys = [i.key for i in ifaces]
    known = set(keys)
    quick: dict[tuple[str, str], list[PfRule]] = {(k, d): [] for k in keys for d in DIRECTIONS}
    last: dict[tuple[str, str], list[PfRule]] = {(k, d): [] for k in keys for d in DIRECTIONS}
    for r in ordered:
        if r.ifaces is None:
            targets = keys
        elif r.ifnot:
            targets = [k for k in keys if k not in r.ifaces]
        else:
            targets = [k for k in r.ifaces if k in known]
        bucket = quick if r.quick else last
        for d in (DIRECTIONS if r.direction == "any" else (r.direction,)):
            for k in targets:
                bucket[(k, d)].append(r)
    title = p.dialect.title
    filters: dict[str, Filter] = {}
    placed: list[tuple[Rule, PfRule]] = []
    refs: dict[int, AddressRef] = {}
    fnames: dict[tuple[str, str], tuple[str, ...]] = {}
    for i in ifaces:
        for d in DIRECTIONS:
            rules = quick[(i.key, d)] + last[(i.key, d)][::-1]
            if d == "out" and all(r.generated for r in rules):
                # the generated out-direction rules pass before the default pass, or block what the same
                # rule already blocked inbound (port 0, IPv6 when not allowed): without a user's out rule
                # the out stage decides nothing
                continue
            base = "%s on %s" % (d, i.name)
            names: list[str] = []
            # runs of generated rules go to filters of their own ('derived': the anomaly checks
            # look at the user's rules, which the user can change)
            for gen, run in _runs(rules):
                name = base + (": generated" if gen else "")
                k = 2
                while name in filters or name in names:
                    name = "%s%s (%d)" % (base, ": generated" if gen else "", k)
                    k += 1
                out = []
                for r in run:
                    note = r.note if r.quick else ("last match wins (not quick)" + ("; " + r.note if r.note else ""))
                    rule = new_rule(name, len(out), Action.PERMIT if r.action == "pass" else Action.DENY, r.match,
                                    r.source, r.enabled, r.maybe, False, r.refs, note, builtin=r.generated,
                                    label=_label(r, title), sure_action=r.sure_action)
                    out.append(rule)
                    placed.append((rule, r))
                    for a in r.refs:
                        refs.setdefault(id(a), a)
                filters[name] = Filter(name, tuple(out), i.source, kind="derived" if gen else "acl")
                names.append(name)
            if not names:  # an interface without any rule still has its (empty) filter
                filters[base] = Filter(base, (), i.source)
                names.append(base)
            fnames[(i.key, d)] = tuple(names)
    stages_in, stages_out = {}, {}
    off = p.disablefilter
    for i in ifaces:
        if off is not None:
            stages_in[i.key] = Stage("in on %s" % i.name, (), Action.PERMIT, p.lines.source(off.line),
                                     "packet filtering is disabled (System > Advanced > Firewall & NAT)")
            continue
        # (the default deny of what enters the interface: its definition in <interfaces>, not the input's first line)
        stages_in[i.key] = Stage("in on %s" % i.name, fnames[(i.key, "in")], Action.DENY, p.lines.source(i.node.line),
                                 "default deny: no rule passes it (%s's generated non-quick 'block in log all', "
                                 "the 'Default deny rule')" % title)
        if (i.key, "out") in fnames:
            stages_out[i.key] = Stage("out on %s" % i.name, fnames[(i.key, "out")], Action.PERMIT, p.head,
                                      "what leaves an interface passes (%s's generated non-quick 'pass out all keep "
                                      "state', 'let out anything from firewall host itself')" % title, sees="final")
    dhcp_stage = _dhcp_reply_filters(p, ifaces, filters, fnames) if off is None else {}
    paths: list[Path] = [] if off is not None else _rdr_pass_paths(p, ifaces, forwards, filters, placed, stages_out,
                                                                   dhcp_stage)
    for a in ifaces:
        for b in ifaces:
            stages = [stages_in[a.key]]
            out = dhcp_stage.get((a.key, b.key)) or stages_out.get(b.key)
            if out is not None:
                stages.append(out)
            if a.key == b.key:
                conn = a.net[4].union(a.net[6])
                if conn:
                    paths.append(Path(a.name, a.name, (), crosses=False, scope=PacketSet([cube(src=conn, dst=conn)]),
                                      note="both ends are on %s's subnet: the traffic does not cross the firewall"
                                           % a.name))
            paths.append(Path(a.name, b.name, tuple(stages)))
    for a in ifaces:
        paths.append(Path(a.name, None, (stages_in[a.key],), local="in",
                          note="to the firewall itself (the rules of %s, inbound)" % a.name))
    return Built(filters, tuple(paths), placed, tuple(refs.values()))


def _rdr_pass_paths(p, ifaces, forwards: list[PfRule], filters, placed, stages_out, dhcp_stage) -> list[Path]:
    """The paths of what a port forward with filter rule association 'Pass' redirects (pfSense filter.inc:
    ``rdr pass on IF ...``): those packets skip the inbound filter rules (pf.conf(5), TRANSLATION: "If the
    pass modifier is given, packets matching the translation rule are passed without inspecting the filter
    rules"; FreeBSD pf.c ``pf_test_rule``: ``if (nr->natpass)`` the ruleset is not evaluated) and still meet
    the out-direction rules of the interface they leave; a packet sent straight to the internal address is
    not redirected and meets the inbound rules (``Path.nat``: only the forward's packets take these paths)."""
    by_src: dict = {}
    for r in forwards:
        by_src.setdefault(r.source, []).append(r)
    title = p.dialect.title
    paths: list[Path] = []
    for src, rules in by_src.items():
        for a in ifaces:
            if not rules[0].applies(a.key, "in"):
                continue
            name = "in on %s: port forward passing what it redirects (line %d)" % (a.name, src.line)
            out = []
            for r in rules:
                rule = new_rule(name, len(out), Action.PERMIT, r.match, r.source, r.enabled, r.maybe, False, r.refs,
                                r.note, label=_label(r, title))
                out.append(rule)
                placed.append((rule, r))
            filters[name] = Filter(name, tuple(out), a.source, kind="derived")
            stage = Stage("in on %s (rdr pass)" % a.name, (name,), Action.PERMIT, src,
                          "the port forward passes what it redirects without the filter rules (rdr pass)")
            for b in ifaces:
                after = dhcp_stage.get((a.key, b.key)) or stages_out.get(b.key)
                paths.append(Path(a.name, b.name, (stage,) + ((after,) if after is not None else ()), nat=(src,),
                                  note="redirected by the port forward at line %d (rdr pass)" % src.line))
            # (the redirect target is the firewall itself: its own service answers, nothing is forwarded)
            mine = Stage("in on %s (rdr pass, to the firewall itself)" % a.name, (name,), Action.PERMIT, src,
                         stage.default_reason)
            paths.append(Path(a.name, None, (mine,), local="in", nat=(src,),
                              note="to the firewall itself, redirected by the port forward at line %d (rdr pass)"
                                   % src.line))
    return paths


def _dhcp_reply_filters(p, ifaces, filters, fnames) -> dict:
    """pfSense's ``block out quick proto udp from any port = 67 to any port = 68 tagged "dhcpin"``: DHCP
    replies let in on a DHCP client interface (and tagged there) are not routed on (one out stage per
    pair of interfaces)."""
    if p.dialect.opn:
        return {}
    from parsers.pfsense.generated import UDP

    out = {}
    for a in ifaces:
        if a.dynamic.get(4) != "DHCP":
            continue
        name = "out: DHCP replies from %s" % a.name
        rule = new_rule(name, 0, Action.DENY, PacketSet([cube(proto=UDP, sport=ISet.of(67), dport=ISet.of(68))]),
                        a.source, note="Prevent routing dhcp responses (pfSense generated; the replies are tagged "
                                       "'dhcpin' by the rule letting them in on %s)" % a.name, builtin=True,
                        label="pfSense generated: Prevent routing dhcp responses")
        filters[name] = Filter(name, (rule,), a.source, kind="derived")
        for b in ifaces:
            extra = fnames.get((b.key, "out"), ())
            out[(a.key, b.key)] = Stage("out on %s" % b.name, (name,) + extra, Action.PERMIT, p.head,
                                        "what leaves an interface passes (pfSense's generated non-quick 'pass out "
                                        "all keep state')", sees="final")
    return out


def _runs(rules: list[PfRule]) -> list[tuple[bool, list[PfRule]]]:
    """Consecutive rules grouped by whether they are generated."""
    out: list[tuple[bool, list[PfRule]]] = []
    for r in rules:
        if out and out[-1][0] == r.generated:
            out[-1][1].append(r)
        else:
            out.append((r.generated, [r]))
    return out


def _label(r: PfRule, title: str) -> str:
    """What names a rule where its line does not: a generated rule's purpose, a floating rule's kind."""
    if r.generated:
        return "%s generated: %s" % (title, r.note.split(" (")[0])
    if r.tab == "Floating":
        return "Floating rule" + ("" if r.quick else ", not quick: the last match wins")
    if r.tab == "NAT":
        return "port forward passing what it redirects (filter rule association 'Pass')"
    return ""

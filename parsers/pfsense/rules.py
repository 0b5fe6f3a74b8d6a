"""Filter rules (``<filter><rule>`` and OPNsense's ``<OPNsense><Firewall><Filter><rules><rule>``) -> ``PfRule``.

A ``PfRule`` is one pf rule as pfSense or OPNsense generates it: an action, ``quick`` or not, a
direction, the interfaces it is on, and the packets it matches (exact, plus what it might also
match).  ``parsers.pfsense.policy`` orders them into pf's evaluation.

What pfSense's generator does with a GUI rule (filter.inc ``filter_generate_user_rule``):

* interface tab rules are ``pass|block in quick on IF``; floating rules carry their own direction
  (``in``/``out``/``any``) and are ``quick`` only when the Quick box is ticked;
* ``reject`` is ``block return``; a missing type is ``pass`` (the type is compared as written: another
  spelling is not understood here); ``match`` rules never decide, but a quick one ends the evaluation (pf.c:
  the last pass/block rule before it decides): its packets are unknown;
* a tab rule is loaded only when its interface is one interface (or group): a list ``lan,opt1`` is not;
* ``ipprotocol`` ``inet46`` becomes two rules (inet and inet6); a missing one is inet;
* ``tcp/udp`` is ``proto { tcp udp }``; ``icmp`` in an inet6 rule is ``ipv6-icmp``; ports apply to
  tcp, udp, tcp/udp and sctp only; no protocol but a port is ``proto tcp``;
* ``statetype`` ``none`` is ``no state``; ``statetimeout`` is ``tcp.established N`` for rules of protocol
  tcp, tcp/udp, sctp or none (``any`` written by hand gets ``other.multiple`` only).

OPNsense (``OPNsense\\Firewall\\FilterRule``) is the same, except that every rule has a direction
(default ``in``) and a Quick option (default on, off for legacy floating rules), a legacy rule
without ``ipprotocol`` (or a new-model one with it empty) matches both families, a new-model rule
without the element is IPv4 (the model's default ``inet``), and ``statetimeout`` is
``tcp.established`` for any protocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from auditor.core.model import AddressRef, Impact, Source
from auditor.core.packets import ALL_PORTS, ALL_PROTO, EMPTY, NOTHING, Cube, ISet, PacketSet, cube
from auditor.core.routing import regions
from parsers.kit.names import icmp_values, port_number
from parsers.pfsense.addresses import FAMILY, Resolved, addr_set, is_port, joined
from parsers.pfsense.common import spaced as _spaced
from parsers.pfsense.common import whole
from parsers.pfsense.elements import RULE_NO_EFFECT
from parsers.pfsense.protocols import FREEBSD_PROTOCOLS
from parsers.pfsense.xmltree import Node

PROTO_TCP, PROTO_UDP, PROTO_SCTP, PROTO_ICMP, PROTO_ICMP6 = 6, 17, 132, 1, 58
PORTED = ("tcp", "udp", "tcp/udp", "sctp")

# pf's ICMP type names (pfctl's icmp_type / icmp6_type tables) -> type numbers, per family
ICMP4 = {"echorep": 0, "unreach": 3, "squench": 4, "redir": 5, "althost": 6, "echoreq": 8, "routeradv": 9,
         "routersol": 10, "timex": 11, "paramprob": 12, "timereq": 13, "timerep": 14, "inforeq": 15,
         "inforep": 16, "maskreq": 17, "maskrep": 18, "trace": 30, "dataconv": 31, "mobredir": 32,
         "ipv6-where": 33, "ipv6-here": 34, "mobregreq": 35, "mobregrep": 36, "skip": 39, "photuris": 40}
ICMP6 = {"unreach": 1, "toobig": 2, "timex": 3, "paramprob": 4, "echoreq": 128, "echorep": 129,
         "groupqry": 130, "listqry": 130, "grouprep": 131, "listenrep": 131, "groupterm": 132,
         "listendone": 132, "routersol": 133, "routeradv": 134, "neighbrsol": 135, "neighbradv": 136,
         "redir": 137, "routrrenum": 138, "wrureq": 139, "fqdnreq": 139, "niqry": 139, "wrurep": 140,
         "fqdnrep": 140, "nirep": 140, "mtraceresp": 200, "mtrace": 201}

TCP_ONLY = ISet.of(PROTO_TCP)
DIGITS = re.compile(r"[0-9]+")  # (a whole number as PHP's ctype_digit, which is_numericint uses: ASCII digits only)
_ANY = {4: Resolved(FAMILY[4]), 6: Resolved(FAMILY[6])}
_ANY_PORTS = Resolved(ALL_PORTS)


@dataclass(slots=True)
class PfRule:
    """One pf rule, as the firewall evaluates it."""

    source: Source  # the line findings point at
    action: str  # pass | block | reject
    quick: bool
    direction: str  # in | out | any
    ifaces: tuple[str, ...] | None  # interface keys (None: every interface)
    match: PacketSet
    maybe: PacketSet = NOTHING
    ifnot: bool = False
    enabled: bool = True
    note: str = ""
    refs: tuple[AddressRef, ...] = ()
    timeout: tuple[int, Source] | None = None  # the rule's tcp.established state timeout
    tab: str = ""  # the GUI tab it is on (for messages)
    generated: bool = False
    name: str = ""  # its description, as the GUI shows it
    sure_action: bool = False  # what it does when it matches is certain (``Rule.sure_action``)

    def applies(self, key: str, direction: str) -> bool:
        if self.direction != "any" and self.direction != direction:
            return False
        if self.ifaces is None:
            return True
        return (key in self.ifaces) != self.ifnot


@dataclass(slots=True)
class Side:
    """A rule's source or destination as written: any, an interface network macro or an address."""

    kind: str  # any | network | address
    value: str
    negate: bool
    port: str | None
    line: int  # the line it is written on (0-based)
    doubt: str = ""  # why the rule is uncertain because of it (written in more than one way)


_PRECEDENCE = ("any", "network", "address")  # (a rule side's address, as filter.inc reads it: ``RuleReader.side``)


class RuleReader:
    """Reads GUI rules into ``PfRule``s for one config (``p`` is the ``parsers.pfsense.parser.Parser``)."""

    def __init__(self, p):
        self.p = p
        self.lines = p.lines
        self.d = p.dialect
        self.addrs = p.addrs
        self._protos: dict[tuple[str, int], list] = {}
        self._operands: dict[tuple, Resolved] = {}
        self._routed: dict[str, ISet] = {}
        self._through: dict[str, ISet] = {}
        self._iface_replies: dict[tuple, tuple[str, ISet, list]] = {}  # (``iface_reply``)

    # --- the two shapes ------------------------------------------------------------------------
    def legacy(self, node: Node, floating_tab: bool) -> tuple[dict, list[Node]]:
        """The fields of a ``<filter><rule>``, and the children not read."""
        d = self.d
        f: dict = {"node": node, "legacy": True}
        rest = []
        sides: dict[str, list[Node]] = {}
        for k in node.kids:
            t = k.tag
            if t in _LEGACY_FIELDS:
                if t in f:
                    self.p.report(k, "element <%s> given twice in one rule" % t, Impact.FILTER, "rules")
                f[t] = k
            elif t == "source" or t == "destination":
                if t in sides:
                    self.p.report(k, "element <%s> given twice in one rule" % t, Impact.FILTER, "rules")
                sides.setdefault(t, []).append(k)
            else:
                rest.append(k)
        for t, nodes in sides.items():
            f[t] = self.side(nodes)
        if not d.opn:
            # pfSense's config reader keeps the spaces around a value (xmlparse.inc cData: 'trim($data, "\t\n\r")'),
            # and filter.inc compares and writes it as it is: '<type>block </type>' is no 'block' (a pass), 'opt1 '
            # no interface; the values here are read stripped, so such a rule is not what it looks like
            spaced = [k for k in node.kids if k.tag in _SPACE_SENSITIVE and _spaced(k.text)]
            spaced += [c for t in ("source", "destination") for k in sides.get(t, ()) for c in k.kids
                       if c.tag in ("address", "network", "port") and _spaced(c.text)]
            for k in spaced:
                self.p.report(k, "<%s> '%s' has spaces around it: pfSense keeps them (its config reader trims only "
                                 "tabs and line breaks) and compares the value as written, so the rule is not what "
                                 "it reads as; packets it matches are reported unknown"
                              % (k.tag, k.text.strip("\t\n\r")), Impact.FILTER, "rules")
            f["spaced"] = spaced
        get = f.get
        fl = get("floating")
        floating = f["floating"] = fl is not None
        dis = get("disabled")
        f["disabled"] = dis is not None and (not d.opn or dis.value not in ("", "0"))
        f["direction_at"] = get("direction")  # (its element, where a direction not understood is reported)
        if d.opn:
            q = get("quick")
            f["quick"] = (not floating) if q is None else q.value not in ("", "0")
            f["direction"] = _text(get("direction")) or "in"
            f["families"] = _families(_text(get("ipprotocol")) or "inet46")
        else:
            f["quick"] = (not floating) or "quick" in f
            # filter.inc filter_generate_user_rule: any <floating> makes the rule floating (isset), but only
            # 'yes' writes its direction ('if (isset($rule['floating']) && $rule['floating'] == "yes")'):
            # otherwise the pf rule has none and applies in and out
            f["direction"] = ((_text(get("direction")) or "any") if fl.value == "yes" else "any") if floating else "in"
            # filter.inc compares ipprotocol as written: 'inet46' (two rules), 'inet6', anything else inet
            # (filter_generate_rules: '== "inet46"'; filter_generate_user_rule: 'switch ($rule['ipprotocol'])')
            v = _text(get("ipprotocol"))
            f["families"] = (4, 6) if v == "inet46" else (6,) if v == "inet6" else (4,)
        f["action"] = _text(get("type")) or "pass"
        if d.opn:
            # OPNsense reads a legacy rule's interfacenot too ('on ! IF', Rule::parseInterface); pfSense has none
            k = get("interfacenot")
            f["ifnot"] = k is not None and k.value not in ("", "0")
        iface = _text(get("interface"))
        f["interface_text"] = iface  # (as written: OPNsense looks a legacy rule's group up by it)
        if floating or d.opn:
            f["interfaces"] = [x.strip() for x in iface.split(",") if x.strip()] if iface else []
        else:
            # pfSense loads a tab rule only when its interface is one key of the filter's interfaces
            # (filter_generate_user_rule: '!array_key_exists($rule['interface'], $FilterIflist)': "# array key
            # ... does not exist"); a list 'lan,opt1' is none (only floating rules take several)
            f["interfaces"] = [iface.strip()] if iface.strip() else []
        f["protocol_at"] = get("protocol")  # (its element, where a protocol not understood is reported)
        # (OPNsense lowercases it, Rule::reader: "lowercase to avoid mismatching lookups"; pfSense's
        # filter_generate_user_rule compares and writes it as it is: see ``RuleReader.cased``)
        f["protocol"] = _text(get("protocol")).lower() if d.opn else _text(get("protocol"))
        f["descr"] = get("descr")
        return f, rest

    def mvc(self, node: Node) -> tuple[dict, list[Node]]:
        """The fields of an OPNsense MVC rule, in the legacy names, and the children not read."""
        f: dict = {"node": node}
        rest = []
        raw: dict[str, Node] = {}
        for k in node.kids:
            if k.tag in _MVC_FIELDS:
                if k.tag in raw:
                    self.p.report(k, "element <%s> given twice in one rule" % k.tag, Impact.FILTER, "rules")
                raw[k.tag] = k
            else:
                rest.append(k)
        for legacy, mvc in _MVC_RENAME.items():
            if mvc in raw:
                f[legacy] = raw[mvc]
        for t in _MVC_FIELDS:
            if t in raw and t not in _MVC_RENAME.values():
                f[t] = raw[t]
        en = raw.get("enabled")
        f["disabled"] = en is not None and en.value in ("0", "")
        q = raw.get("quick")
        f["quick"] = True if q is None else q.value not in ("", "0")
        f["direction_at"] = raw.get("direction")
        f["direction"] = _text(raw.get("direction")) or "in"
        # (a field config.xml does not hold takes the model's default, BaseModel::parseXml "default will take care":
        # Filter.xml's ipprotocol is 'inet'; one written empty is '' and Rule::reader writes no family, both)
        ipp = raw.get("ipprotocol")
        f["families"] = _families("inet" if ipp is None else (ipp.value or "inet46"))
        f["action"] = _text(raw.get("action")) or "pass"
        f["interfaces"] = [x.strip() for x in (_text(raw.get("interface")) or "").split(",") if x.strip()]
        f["ifnot"] = raw.get("interfacenot") is not None and raw["interfacenot"].value not in ("", "0")
        # OPNsense: several interfaces, none, or an inverted list make a floating rule
        f["floating"] = len(f["interfaces"]) != 1 or f["ifnot"]
        f["protocol_at"] = raw.get("protocol")
        f["protocol"] = (_text(raw.get("protocol")) or "any").lower()
        for side, pre in (("source", "source_"), ("destination", "destination_")):
            net = raw.get(pre + "net")
            neg = raw.get(pre + "not")
            port = raw.get(pre + "port")
            value = _text(net) or "any"
            f[side] = Side("any" if value == "any" else "mvc", value,
                           neg is not None and neg.value not in ("", "0"),
                           _text(port) or None, (net or node).line)
        f["descr"] = raw.get("description")
        return f, rest

    def side(self, nodes: list[Node]) -> Side:
        """``<source>``/``<destination>`` (``nodes``: the rule's, one unless it is given twice):
        ``<any/>``, ``<network>``, ``<address>``, ``<not/>``, ``<port>`` (the caller accounts for their
        lines; a child not understood is reported here).

        pfSense reads ``<any/>`` first, then a ``<network>`` with a value, then an ``<address>``
        (filter.inc, filter_generate_address; OPNsense's legacy rules alike), and an element given
        twice keeps its last value (the config reader's array; a side given twice, its children
        together): taken so, reported, and the rule uncertain (``Side.doubt``) when there is more
        than one, since no GUI writes that."""
        n = nodes[0]
        found: dict[str, Node] = {}
        port, negate = None, False
        doubt = len(nodes) > 1
        for k in (n.kids if not doubt else [k for m in nodes for k in m.kids]):
            t = k.tag
            if t == "any" or t == "address" or t == "network":
                if t in found:
                    self.p.report(k, "<%s> given twice inside <%s>" % (t, n.tag), Impact.FILTER, "rules")
                    doubt = True
                found[t] = k
            elif t == "port":
                port = k.text.strip() or None
            elif t == "not":
                negate = not self.d.opn or k.text.strip() != "0"
            else:
                self.p.report(k, "<%s> inside <%s> not understood" % (t, n.tag), Impact.FILTER, "rules")
        if len(found) > 1:
            k = max(found.values(), key=lambda x: x.line)
            self.p.report(k, "<%s> holds %s: %s takes <%s>" % (
                n.tag, " and ".join("<%s>" % t for t in found), self.d.title,
                next(t for t in _PRECEDENCE if t in found)), Impact.FILTER, "rules")
            doubt = True
        why = "<%s> written in more than one way" % n.tag if doubt else ""
        if "any" not in found:
            for t in ("network", "address"):
                k = found.get(t)
                if k is not None and k.text.strip():
                    return Side(t, k.text.strip(), negate, port, k.line, why)
        return Side("any", "", negate, port, n.line, why)

    # --- building ------------------------------------------------------------------------------
    def build(self, f: dict, rest: list[Node], tab: str) -> list[PfRule]:
        """The ``PfRule``s of a rule's fields: one, or one for each interface of an OPNsense rule on several whose
        interfaces give it different reply-to gateways (``replied_parts``); none for a ``match`` rule, which never
        decides, or a rule that is not loaded."""
        node: Node = f["node"]
        p = self.p
        lines = self.lines
        descr = f.get("descr")
        name = descr.value if descr is not None else ""
        src = lines.source(descr.line if name else node.line)
        if name:
            p.remarks.append((tab, src))
        unsure: list[str] = []  # why the whole rule is uncertain
        doubt = False  # whether what it does when it matches is uncertain too (not only whether it matches)
        limits = self.limits(f, rest)
        for k, drops in limits:
            p.report(k, "%s <%s> %s: whether a connection passes depends on the load at run time; packets it "
                        "matches are reported unknown" % ("state limit" if drops else "packet rate limit", k.tag,
                                                          k.value), Impact.FILTER, tab)
            unsure.append("<%s> %s" % (k.tag, k.value))
            doubt = doubt or drops
        limited = {k.tag for k, _d in limits}
        # options on consecutive lines ignored for one reason, empty ones above all (the GUI writes every
        # option, set or not), are ignored together
        run, first, last = None, -1, -1
        for k in rest:
            if k.tag in limited:
                continue
            why = RULE_NO_EFFECT.get(k.tag)
            if why is None:
                if run is not None:
                    lines.ignore(first, run, last + 1)
                    run = None
                p.report(k, "rule element <%s> not understood: the rule is taken as uncertain" % k.tag,
                         Impact.FILTER, tab)
                unsure.append("element <%s> not understood" % k.tag)
                doubt = True
                continue
            if k.kids is _LEAF and not k.text:
                why = _EMPTY_OPTION
            if why != run or k.line != last + 1:
                if run is not None:
                    lines.ignore(first, run, last + 1)
                run, first = why, k.line
            last = k.end
        if run is not None:
            lines.ignore(first, run, last + 1)
        lines.use(node.line, node.end + 1)  # (after the ignored and reported children have claimed their lines)
        # (pfSense compares the type as written, filter_generate_user_rule: 'if ($type != "pass" && $type !=
        # "block" && ...) $type = "pass"': 'Block' is not 'block')
        action = f["action"].lower() if self.d.opn else f["action"]
        if action not in ("pass", "block", "reject", "match"):
            p.report(f.get("type") or node, "rule action '%s' not understood" % action,
                     Impact.FILTER, tab)
            unsure.append("action '%s' not understood" % action)
            doubt = True
            action = "block"
        if action == "match":
            if not f["quick"]:
                return []
            # a match rule never passes or blocks, but with 'quick' it ends the evaluation (FreeBSD pf.c
            # pf_test_rule: 'if (r->quick) break;' after a PF_MATCH rule too; pf.conf(5) "quick": "this rule is
            # considered the last matching rule"): the last pass/block rule matched before it decides (the
            # non-quick default deny inbound), not the rules after it.  Netgate's forum says quick has no bearing
            # on match rules: not confirmed either way, so its packets are unknown
            p.report(f.get("type") or node,
                     "match rule with 'quick': pf stops evaluating at it and the last pass/block rule before it "
                     "decides; packets it matches are reported unknown", Impact.FILTER, tab)
            unsure.append("match rule with quick (ends the evaluation)")
            doubt = True
            action = "block"
        direction = f["direction"]
        if direction not in ("in", "out", "any"):
            # both generators write the direction as it is (pfSense filter_generate_user_rule ' {$rule['direction']} ',
            # OPNsense FilterRule.php parseReplaceSimple ':in|any:'), and pfctl's keywords are lower case words
            # (parse.y: "in", "out", strcmp): any other is a syntax error, the whole ruleset is not loaded
            p.report(f["direction_at"] or node, "direction '%s' not understood: pf knows 'in' and 'out' (lower "
                                                "case); pfctl refuses the whole ruleset and the firewall keeps the "
                                                "rules it had" % direction, Impact.GLOBAL, tab)
            unsure.append("direction not understood")
            doubt = True
            direction = "any"
        # options that restrict the rule to packets the configuration does not describe
        hit = _CONDITION_TAGS.intersection(f)
        routed = None  # a policy-routed pass rule: the destinations its gateway changes nothing for
        for tag in (sorted(hit, key=_CONDITION_ORDER.__getitem__) if len(hit) > 1 else hit):
            k = f[tag]
            why = _CONDITION_ORDER[tag][1]
            if k.value and not (tag == "tcpflags2" and self.flags_unused(f)):
                if tag == "gateway" and action != "pass":
                    # the gateway of a block or reject rule is dropped: pfSense filter.inc
                    # filter_generate_user_rule writes 'route-to' only 'if ($rule['gateway'] <> "" && $type ==
                    # "pass")'; OPNsense FilterRule.php unsets it ("Gateway not allowed for block rules")
                    continue
                if tag == "gateway" and action == "pass" and direction == "in":
                    # policy routing ('route-to'): what the rule passes leaves by the gateway's interface, local
                    # destinations and the firewall itself included, unless an earlier rule without a gateway
                    # passes it (Netgate docs, "Bypassing Policy Routing"; OPNsense manual, "Multi WAN", "Policy
                    # based routing").  pfSense's own 'negate' rules pass only <negate_networks>, its VPN
                    # networks (filter.inc filter_get_vpns_list: IPsec, OpenVPN, PPPoE server), which the audit
                    # does not route.  Where the routing table sends a destination out of the gateway's
                    # interface anyway (not to its connected subnet), nothing changes; the rest is unknown.
                    routed = self.route_to(k.value)
                    p.report(k, "policy routing through gateway '%s': what the rule passes to destinations the "
                                "routing table does not send out of that gateway's interface (local networks, "
                                "the firewall itself) leaves by the gateway; those packets are reported unknown"
                             % k.value, Impact.FILTER, tab)
                    continue
                msg = why(k.value) if callable(why) else why
                p.report(k, msg + ": packets it matches are reported unknown", Impact.FILTER, tab)
                unsure.append(msg)
                doubt = doubt or tag in _ELSEWHERE
        k = f.get("statetype")
        # (pfSense: 'none' exactly, any other value is 'keep state', filter_generate_user_rule)
        if k is not None and action == "pass" and (k.value.lower() if self.d.opn else k.value) == "none":
            p.report(k, "pass rule without state tracking (State type: none): its replies are not passed by "
                        "a state, and whether the reply direction passes them is not modelled; packets it "
                        "passes are reported unknown", Impact.FILTER, tab)
            unsure.append("no state tracking")
            doubt = True
        sched = f.get("sched")
        off = ""  # why the rule is never loaded
        if sched is not None and sched.value:
            s = p.schedules.get(sched.value)
            if s is None:
                lines.undefined(sched.value, "schedule", lines.source(sched.line), tab,
                                Impact.FILTER if self.d.opn else Impact.NONE)
            # pfSense filter_generate_user_rule looks the schedule up by name: none found, the rule is loaded as
            # it is, in force at all times; one without a time range is never in force
            # (filter_get_time_based_rule_status returns false: "# schedule finished")
            ranges = [k for k in s.kids if k.tag == "timerange"] if s is not None else []
            timed = bool(ranges)
            if s is not None and not timed and not self.d.opn:
                off = "schedule '%s' has no time range: never loaded" % sched.value
            elif not self.d.opn and any(not any(r.get(t) not in (None, "", "0") for t in _TIME_FIELDS)
                                        for r in ranges):
                pass  # a time range without month, day, hour or position holds at all times (PHP empty(): '', '0')
            elif timed or self.d.opn:
                unsure.append("schedule '%s': in force only at the times it sets" % sched.value)
                p.report(sched, "schedule '%s': the rule is in force only at the times the schedule sets; packets "
                                "it matches are reported unknown" % sched.value, Impact.FILTER, tab)
        if f.get("spaced"):
            unsure.append("a value written with spaces around it")
            doubt = True
        for side in (f.get("source"), f.get("destination")):
            if side is not None and side.doubt:
                unsure.append(side.doubt)
        match, maybe, refs, why = self.packets(f, tab, src)
        if unsure:
            maybe = maybe.union(match)
            match = NOTHING
        elif routed is not None:
            same = PacketSet([cube(dst=routed)])
            maybe = maybe.union(match.subtract(same))
            match = match.intersect(same)
        if routed is not None:
            unsure.append("policy routing through gateway '%s' (destinations not routed out of its interface)"
                          % f["gateway"].value)
            doubt = True
        parts = self.replied_parts(f, rest, direction, tab, match, maybe) if action == "pass" else None
        timeout = None
        st = f.get("statetimeout")
        # (pfSense writes it, as the other state options, only for a pass rule that keeps state, and only when PHP's
        # !empty() holds, not for '0': filter_generate_user_rule; OPNsense's conditions are not checked here)
        tracked = action == "pass" and (self.d.opn or _text(f.get("statetype")) != "none")
        if st is not None and st.value and tracked and (self.d.opn or st.value != "0"):
            if DIGITS.fullmatch(st.value):
                # pfSense filter_generate_user_rule: 'tcp.established' for no protocol, tcp/udp, tcp, sctp; protocol
                # 'any' (written only by hand: the GUI stores none) gets 'other.multiple' alone
                if self.d.opn or f["protocol"] in ("", "tcp", "tcp/udp", "sctp"):
                    timeout = (int(st.value), lines.source(st.line))
            else:
                # written into the rule as it is ('tcp.established VALUE', filter.inc; the GUI refuses anything but a
                # positive integer): pf.conf's grammar takes a number there (parse.y, timeout_spec: STRING NUMBER),
                # so pfctl refuses the whole ruleset and the firewall keeps the rules it had
                p.report(st, "state timeout '%s' is not a whole number: pfctl refuses the whole ruleset (a timeout "
                             "takes a number), and the firewall keeps the rules it had" % st.value, Impact.GLOBAL,
                         "timeouts")
        ifaces = tuple(f["interfaces"]) if f["interfaces"] and f["interfaces"] != ["any"] else None
        if not f["floating"] and ifaces is None and not (self.d.opn and node.kids):
            p.report(node, "rule has no interface: %s does not load it" % self.d.title, Impact.NONE, tab)
            return []
        # (OPNsense loads a rule without an interface with no 'on' clause, on every interface: Rule::reader,
        # Rule::parseInterface; an empty <rule/> is no array and is skipped, filter.lib.inc)
        out = []
        for keys, m, mb, replied in parts or [(None, match, maybe, "")]:
            note = "; ".join((["reject"] if action == "reject" else []) + unsure + ([replied] if replied else [])
                             + why + ([off] if off else []))
            out.append(PfRule(src, "block" if action == "reject" else action, f["quick"], direction,
                              ifaces if keys is None else keys, m, mb, f.get("ifnot", False),
                              not f["disabled"] and not off, note, refs, timeout, tab, name=name,
                              sure_action=not (doubt or replied)))
        return out

    def limits(self, f: dict, rest: list[Node]) -> list[tuple[Node, bool]]:
        """The limits the rule generator writes for a rule, each with whether a packet over it is dropped
        (a state limit) rather than left to the later rules (a packet rate limit).

        pf.conf(5), STATEFUL TRACKING OPTIONS (https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5):
        'max': "When this limit is reached, further packets that would create state are dropped until existing
        states time out"; 'max-src-nodes', 'max-src-states', 'max-src-conn' limit the sources, the states or the
        TCP connections of one source; 'max-src-conn-rate' with 'overload <table> flush global' puts a source over
        the rate into the table (pfSense blocks <virusprot>) and kills its states.  'max-pkt-rate': "When the
        specified rate is exceeded, the rule stops matching".  Many Workshop clients, each with many connections
        to one server, can reach any of them: the packets the rule passes are unknown, not passed.

        pfSense filter_generate_user_rule writes them for pass rules that keep state (statetype not 'none'),
        each when not empty (PHP empty(): '' and '0'), 'max-src-conn' and 'max-src-conn-rate' (with
        'max-src-conn-rates') only for protocol 'tcp' or 'tcp/udp'; OPNsense FilterRule.php when the rule has a
        statetype other than 'none' (any protocol), and 'max-pkt-rate' from 'max-pkt-rate-number' and
        'max-pkt-rate-seconds' for every rule."""
        got = {k.tag: k for k in rest if k.kids is _LEAF and k.value not in ("", "0")}
        out: list[tuple[Node, bool]] = []
        opn = self.d.opn
        if opn and "max-pkt-rate-number" in got and "max-pkt-rate-seconds" in got:
            out.append((got["max-pkt-rate-number"], False))
        if (f["action"].lower() if opn else f["action"]) not in ("pass", ""):
            return out
        # (a new-model rule without the element has Filter.xml's default, 'keep'; a legacy one has none)
        st = "keep" if opn and not f.get("legacy") and f.get("statetype") is None else _text(f.get("statetype"))
        if st.lower() == "none" if opn else st == "none":
            return out
        if opn and not st:
            return out  # (OPNsense writes state options only 'if (!empty($rule['statetype']) ...)')
        tcp = opn or f["protocol"] in ("tcp", "tcp/udp")
        for tag in ("max", "max-src-nodes", "max-src-states", "max-src-conn", "max-src-conn-rate"):
            k = got.get(tag)
            if k is None or (tag.startswith("max-src-conn") and not tcp):
                continue
            if tag == "max-src-conn-rate" and "max-src-conn-rates" not in got:
                continue
            out.append((k, True))
        return out

    def flags_unused(self, f: dict) -> bool:
        """Whether a rule's TCP flags are pf's default 'S/SA' or not written: pfSense filter_generate_user_rule and
        OPNsense FilterRule.php write 'flags' only for protocol 'tcp', 'flags any' when TCP flags 'any' is set
        (isset; OPNsense !empty) whatever tcpflags1/2 hold."""
        k = f.get("tcpflags_any")
        return (f["protocol"] != "tcp" or _default_flags(f)
                or (k is not None and (not self.d.opn or k.value not in ("", "0"))))

    def replied_parts(self, f: dict, rest: list[Node], direction: str, tab: str, match: PacketSet,
                      maybe: PacketSet) -> list[tuple[tuple[str, ...] | None, PacketSet, PacketSet, str]] | None:
        """A pass rule's packets split by the reply-to the generator gives it (``reply_to``): [(its interfaces, None
        for all of the rule's, match, maybe, why it is uncertain)], one for each interface of an OPNsense rule on
        several (FilterRule.php expands such a rule per interface, Rule::reader, each with its own reply-to); None
        when it gets none.

        pf.conf(5) 'reply-to': the replies of the connections the rule passes are routed to the gateway, not by the
        routing table: a client the table reaches otherwise (on the interface's own subnet, through another gateway)
        gets its replies through the wrong next hop.  What the rule passes from such sources is uncertain."""
        replied = self.reply_to(f, rest, direction, tab)
        if replied is None:
            return None
        per, causes = replied
        # (reported once where the reply-to comes from, the interface's gateway or the rule's own <replyto>,
        # not at every rule: a WAN holds many; each unknown verdict names its rule and this reason)
        for line, what, scope in causes:
            self.p.report_once(line, "reply-to %s: the replies of the connections passed go to that gateway, not "
                                     "where the routing table sends them; what is passed from sources it does not "
                                     "send through that gateway (the interface's own subnet, other gateways) is "
                                     "reported unknown" % what, scope)
        out = []
        for key in [None] if None in per else dict.fromkeys(f["interfaces"]):
            keys = None if key is None else (key,)
            if key not in per:
                out.append((keys, match, maybe, ""))
                continue
            hops, ok = per[key]
            why = "reply-to %s (sources not routed through it)" % hops
            if all(c.dims[0].issubset(ok) for c in match.cubes):  # (every source routed through it: as it is)
                out.append((keys, match, maybe, why))
                continue
            same = PacketSet([cube(src=ok)])
            out.append((keys, match.intersect(same), maybe.union(match.subtract(same)), why))
        return out

    def reply_to(self, f: dict, rest: list[Node], direction: str, tab: str
                 ) -> tuple[dict[str | None, tuple[str, ISet]], list[tuple[int, str, str]]] | None:
        """The reply-to gateways the generator gives a pass rule on each of its interfaces (None: the whole rule)
        with the sources whose replies the routing table sends through them anyway (interface -> (gateways as text,
        sources)), and where each comes from (line, what, scope: the interface's gateway, the rule's own
        <replyto>); None when it gives none.

        pfSense filter.inc filter_generate_user_rule: 'if (($type == "pass") && ($rule['gateway'] == "") &&
        ($aline['direction'] <> "") && (interface_has_gateway($rule['interface']) ||
        interface_has_gatewayv6($rule['interface'])) && !config_path_enabled('system','disablereplyto') &&
        !isset($rule['disablereplyto']))': 'reply-to ( IF GW )' with the interface's gateway of the rule's family
        (get_interface_gateway[_v6]: the address of the gateway its <gateway>/<gatewayv6> names, else, when the
        interface has no static address, the router it learned).  A floating rule of direction 'any' has none, nor
        one on several interfaces or a group (no such interface).

        OPNsense FilterRule.php convertReplyTo: the rule's own reply-to gateway (<replyto>, legacy <reply-to>)
        whatever its direction; else, unless the rule or the system (Plugin.php: systemDefaults) disables it, for
        a direction other than 'any', no interface inversion and no gateway, on each of its interfaces that has a
        gateway of the family (filter.lib.inc filter_core_get_initialized_plugin_system: the interface's <gateway>
        when set, or a dynamic one when it has no static address; Gateways::getInterfaceGateway).  A block rule
        has none ('unset($rule['gateway'], $rule['reply'])')."""
        p = self.p
        d = self.d
        opts = {k.tag: k for k in rest}
        fams = f["families"]
        if d.opn:
            k = opts.get("replyto") or opts.get("reply-to")
            own = _text(k)
            if own:
                hop = p.gw_hops.get(own)
                if hop is None:
                    return None  # ('when found map to reply attribute, otherwise skip keyword')
                what = "gateway '%s'" % own
                return {None: (what, self.routed_through(hop))}, [(k.line, what + ", the rule's own", tab)]
            if self.replyto_disabled(f):
                return None
            if direction == "any" or f.get("ifnot") or _text(f.get("gateway")):
                return None
            keys = f["interfaces"]
        else:
            if _text(f.get("gateway")) or direction == "any" or "disablereplyto" in opts or \
                    p.setting("disablereplyto"):
                return None
            keys = f["interfaces"][:1] if len(f["interfaces"]) == 1 else []
            i = p.addrs.by_key.get(keys[0]) if keys else None
            if i is None or not self.has_gateway(i):
                return None
        per: dict[str | None, tuple[str, ISet]] = {}
        causes = []
        for key in keys:
            got = self._iface_replies.get((key, tuple(fams)))
            if got is None:
                got = self._iface_replies[(key, tuple(fams))] = self.iface_reply(key, fams)
            if got[0]:
                per[None if not d.opn else key] = got[0], got[1]
                causes += got[2]
        return (per, causes) if per else None

    def iface_reply(self, key: str, fams) -> tuple[str, ISet, list[tuple[int, str, str]]]:
        """Interface ``key``'s reply-to for a rule of families ``fams`` (``reply_to``): its gateways as text ('': none),
        the sources the routing table sends through them anyway, and where each comes from.  The same for every
        rule of the interface and families: made once (``_iface_replies``)."""
        i = self.p.addrs.by_key.get(key)
        if i is None or i.virtual:
            return "", EMPTY, []
        names: list[str] = []
        causes = []
        got = EMPTY
        for fam in fams:
            hop = self.iface_hop(i, fam)
            if hop is None:
                got = got.union(FAMILY[fam])
                continue
            what = "%s's gateway %s" % (i.name, hop.split("|")[1])
            names.append(what)
            k = i.node.child("gateway" if fam == 4 else "gatewayv6") or i.node
            causes.append((k.line, "%s, which %s adds to the pass rules on %s" % (what, self.d.title, i.name), i.name))
            got = got.union(self.routed_through(hop).intersect(FAMILY[fam]))
        return " and ".join(names), got, causes

    def replyto_disabled(self, f: dict) -> bool:
        """Whether OPNsense's 'disablereplyto' is on for a rule: Plugin.php registerFilterRule merges the system's
        default under the rule's own options ('array_merge($this->systemDefaults['filter'], $conf)': the rule's key
        wins), the default set 'if (!empty(Config::getInstance()->object()->system->disablereplyto))' (SimpleXML:
        an element holding '' or '0' is empty), and FilterRule.php convertReplyTo reads 'empty($rule[
        'disablereplyto'])' (PHP: '' and '0' are empty).  A legacy rule (filter.lib.inc filter_core_rules_user: its
        config array as it is) that holds the element decides by its value, '0' or '' turning reply-to back on
        whatever the system says; a new-model rule has the key only when set (FilterRuleField::serialize: 'if
        (!$this->disablereplyto->isEmpty())')."""
        k = f["node"].child("disablereplyto") if f.get("node") is not None else None
        if k is not None and f.get("legacy"):
            return k.value not in ("", "0")
        return (k is not None and k.value not in ("", "0")) or self.d.flag(self.p.system, "disablereplyto",
                                                                          strict=True)

    def has_gateway(self, i) -> bool:
        """pfSense interfaces.inc interface_has_gateway / interface_has_gatewayv6: a gateway named, an address
        learned by DHCP, PPP, SLAAC, 6rd or 6to4, or a tunnel (ovpn, ipsec, gif, gre)."""
        real = i.node.get("if") or ""
        return bool(i.gateway or i.gateway6 or i.dynamic.get(4) or i.dynamic.get(6) in (
            "DHCPv6", "SLAAC", "6RD", "6to4") or real.startswith(("ovpn", "ipsec", "gif", "gre")))

    def iface_hop(self, i, fam: int) -> str | None:
        """The next hop of interface ``i``'s reply-to in family ``fam`` ('KEY|ADDRESS', 'KEY|dynamic'), or None."""
        name = i.gateway if fam == 4 else i.gateway6
        hop = self.p.gw_hops.get(name) if name and name != "none" else None
        if hop and not hop.endswith("|dynamic") and (":" in hop) == (fam == 6):
            return "%s|%s" % (i.key, hop.split("|", 1)[1])
        if i.addr[fam]:
            return None  # (a static address and no gateway of the family: none)
        real = i.node.get("if") or ""
        if i.dynamic.get(fam) in _DYNAMIC_GATEWAYS[fam] or real.startswith(_ROUTER_TUNNELS[self.d.opn]):
            return "%s|dynamic" % i.key  # (the router it learns: the file '/tmp/IF_router[v6]')
        return None

    def routed_through(self, hop: str) -> ISet:
        """The addresses the routing table sends through next hop ``hop`` (none for a gateway group's '')."""
        got = self._through.get(hop)
        if got is None:
            p = self.p
            tag = "\0reply-to "
            routes = [replace(r, interface=tag + h) if h else r for r, h in zip(p.routes, p.route_hops)]
            ifs = ((x.model.name, x.model.networks) for x in p.enabled_ifaces())
            got = regions(ifs, routes).get(tag + hop, EMPTY) if hop else EMPTY
            try:  # (and the gateway itself: its replies go to it either way)
                got = got.union(addr_set(hop.split("|", 1)[1]))
            except (ValueError, IndexError):
                pass
            self._through[hop] = got
        return got

    def route_to(self, gateway: str) -> ISet:
        """The destinations the routing table sends out of the interface of ``gateway`` (a gateway or a
        group whose members are all on one interface), but its connected subnet; none when not known."""
        got = self._routed.get(gateway)
        if got is None:
            p = self.p
            keys = p.gw_ifaces.get(gateway, frozenset())
            i = p.addrs.by_key.get(next(iter(keys))) if len(keys) == 1 else None
            got = EMPTY
            if i is not None and i.enabled:
                ifs = [x.model for x in p.enabled_ifaces()]
                got = regions(((x.name, x.networks) for x in ifs), p.routes).get(i.name, EMPTY)
                got = got.subtract(i.model.networks)
            self._routed[gateway] = got
        return got

    def packets(self, f: dict, tab: str, src: Source | None = None
                ) -> tuple[PacketSet, PacketSet, tuple[AddressRef, ...], list[str]]:
        """(match, maybe, address refs, why uncertain) of a rule's families, protocol, addresses and ports.

        An address written in the rule itself is referred to at the rule's line ``src``; one from an
        alias or an interface, at the line that defines it."""
        proto = f["protocol"]
        s_side: Side = f.get("source") or Side("any", "", False, None, f["node"].line)
        d_side: Side = f.get("destination") or Side("any", "", False, None, f["node"].line)
        sure: list = []
        unsure: list = []
        refs: list[AddressRef] = []
        why: list[str] = []
        ported = proto.lower() in PORTED  # (filter_generate_port lowercases the protocol: 'TCP' has its ports)
        if not ported and (s_side.port or d_side.port):
            # the ports of a rule whose protocol has none are left out of the pf rule (filter.inc
            # filter_generate_port: only tcp, udp, tcp/udp, sctp); pfSense makes a rule without a
            # protocol 'proto tcp' (any port), one with 'any' matches every protocol
            why.append("its ports are ignored: the protocol is %s" % (proto or "not set"))
            if proto == "" and not self.d.opn:
                proto = "tcp"
        sp = self.port(s_side, tab) if (ported and s_side.port) else _ANY_PORTS
        dp = self.port(d_side, tab) if (ported and d_side.port) else _ANY_PORTS
        why += sp.why + dp.why
        for fam in f["families"]:
            gone = ""
            for side in (s_side, d_side):
                if self.other_family(side, fam):
                    self.p.report_once(side.line, "IPv%d address '%s' in an IPv%d rule: pfctl refuses the whole "
                                                  "ruleset ('rule expands to no valid combination') and the "
                                                  "firewall keeps the rules it had" % (10 - fam, side.value, fam),
                                       tab, Impact.GLOBAL)
                    gone = "an address of the other family (the ruleset is not loaded)"
            gone = gone or self.unwritten(s_side, fam) or self.unwritten(d_side, fam)
            if gone:
                why.append("not loaded for IPv%d: %s" % (fam, gone))
                continue
            key = (proto, fam)
            protos = self._protos.get(key) if proto not in ("icmp", "ipv6-icmp", "icmp6") else None
            if protos is None:
                protos = (self.named(proto, fam, f, tab) if (not self.d.opn and proto != proto.lower()) or (
                    fam == 4 and proto in ("ipv6-icmp", "icmp6")) else self.protocols(proto, fam, f, tab))
                if proto not in ("icmp", "ipv6-icmp", "icmp6") and all(c for _p, _i, c in protos or ()):
                    self._protos[key] = protos
            if protos is None:
                continue
            s = self.operand(s_side, fam, tab, filter_rule=True, iface=f.get("interface_text", ""))
            d = self.operand(d_side, fam, tab, filter_rule=True, iface=f.get("interface_text", ""))
            for side, r in ((s_side, s), (d_side, d)):
                if r.refs:
                    refs += r.refs
                elif side.kind == "address" and r.sure and src is not None and side.value not in self.addrs.aliases:
                    refs.append(AddressRef(r.sure, src))
            why += s.why + d.why
            for pr, icmp, certain in protos:
                has_ports = pr.issubset(_PORTED_PROTOS)
                sports = sp.sure if has_ports else ALL_PORTS
                dports = icmp if icmp is not None else (dp.sure if has_ports else ALL_PORTS)
                if certain and s.sure and d.sure and sports and dports:
                    sure.append(Cube(s.sure, d.sure, pr, sports, dports))
                port_unsure = has_ports and icmp is None and (sp.maybe or dp.maybe)
                if certain and not (s.maybe or d.maybe or port_unsure):
                    continue
                wide_s = s.sure.union(s.maybe)
                wide_d = d.sure.union(d.maybe)
                wsp = sports.union(sp.maybe) if port_unsure else sports
                wdp = dports.union(dp.maybe) if port_unsure else dports
                if wide_s and wide_d and wsp and wdp:
                    unsure.append(cube(wide_s, wide_d, pr, wsp, wdp))
        match = PacketSet.of_cubes(sure) if sure else NOTHING
        maybe = PacketSet(unsure) if unsure else NOTHING
        if maybe and match:
            maybe = maybe.subtract(match)
        return match, maybe, tuple(refs), list(dict.fromkeys(why))

    def unwritten(self, side: Side, fam: int) -> str:
        """pfSense: why filter.inc writes no address for an interface macro ``side`` in family ``fam``, or ''.

        filter_generate_address returns '' for 'lanip' / 'wanip' / 'optNip' without an address of the rule's
        family ('if (!is_ipaddrv6($src)) return ""', before any '!'), and for 'lan' / 'optN' whose interface
        is not enabled or has no subnet nor virtual IP; filter_generate_user_rule then skips the rule ('source
        address is empty'): such a negated operand matches nothing, not everything."""
        if self.d.opn or side.kind != "network":
            return ""
        v = side.value
        if v in self.p.groups and v not in self.addrs.by_key:
            # (an interface group: '$GROUP__NETWORK' only when its members gave it an address or a virtual IP)
            if any(i.dynamic or i.has_net for i in self.addrs.members(self.p.groups[v][1])):
                return ""
            return "interface group %s has no member with an address" % v
        ip = v.endswith("ip") and v[:-2] in self.addrs.by_key
        i = self.addrs.by_key.get(v[:-2] if ip else v)
        if i is None:
            return ""
        if not i.enabled:
            return "interface %s is not enabled" % i.name
        if ip:
            return "" if fam in i.dynamic or i.addr[fam] else "%s has no IPv%d address" % (i.name, fam)
        return "" if i.dynamic or i.has_net else "%s has no address" % i.name

    def other_family(self, side: Side, fam: int) -> bool:
        """pfSense: whether ``side`` is an address written in the rule of the family that is not ``fam``.

        filter.inc writes it as it is ('from {$not} {$expsrc}'; the GUI refuses it, 'IPv4+IPv6' rules
        included, but config.xml may hold it), and pfctl (parse.y expand_rule) leaves out the host of the
        other family and fails with 'rule expands to no valid combination': the ruleset is not loaded."""
        if self.d.opn or side.kind != "address" or side.value in self.addrs.aliases:
            return False
        try:
            got = addr_set(side.value)
        except (ValueError, TypeError):
            return False
        return bool(got) and not got.overlaps(FAMILY[fam])

    def port(self, side: Side, tab: str) -> Resolved:
        """A rule's port field.  Both products read its '-' as ':' and take a port or a range of two whose every end
        is a port (1-65535 in ASCII digits, or a service name), or a port alias; any other field leaves the rule out,
        as an undefined alias does: pfSense filter_generate_user_rule skips it (util.inc is_port_or_range;
        file_notice "Unresolvable destination port alias"), OPNsense Rule.php disables it ("Unable to map port",
        Util::isPort; OPNsense first turns 'any' at one end into 1 or 65535, and takes a well-known name of
        PortField as it is).  pfSense: a field PHP reads as false ('0') is not checked and filter_generate_port
        writes no port clause, every port; a range 'a-b' is written 'port (a-1) >< (b+1)': backwards, no port."""
        text = side.port or ""
        opn = self.d.opn
        if text not in self.addrs.aliases and text not in ("", "any", "0"):
            ends = text.replace("-", ":").split(":")
            if opn and len(ends) == 2 and (ends[0] == "any") != (ends[1] == "any"):
                ends = ["1" if ends[0] == "any" else ends[0], "65535" if ends[1] == "any" else ends[1]]
            literal = len(ends) <= 2 and all(is_port(e) for e in ends)
            if not literal and opn and text in OPN_WELL_KNOWN:
                return Resolved(ISet.of(OPN_WELL_KNOWN[text]))
            if not literal:
                why = "port '%s' is no port, range or alias: %s does not load the rule" % (text, self.d.title)
                self.lines.undefined(text, "port alias", self.lines.source(side.line), tab)
                return Resolved(EMPTY, ALL_PORTS, (why,), undefined=(text,))
            if not opn and len(ends) == 2 and port_number(ends[0]) > port_number(ends[1]):
                return Resolved(EMPTY, why=("port range '%s' runs backwards: no port is in it" % text,))
            text = ":".join(ends) if opn and literal and len(ends) == 2 else text
        elif text == "0" and not opn:
            return Resolved(ALL_PORTS, why=("port '0' writes no port: every port",))
        r = self.addrs.port(text)
        for name in r.undefined:
            self.lines.undefined(name, "port alias", self.lines.source(side.line), tab)
        return r

    def operand(self, side: Side, fam: int, tab: str, filter_rule: bool = False, iface: str | None = None
                ) -> Resolved:
        """A source or destination for family ``fam``, negation applied (the same operand is resolved once);
        ``filter_rule``: of a filter rule (not a NAT rule); ``iface``: the rule's interface field as written, where
        pfSense writes the address with filter_generate_address (filter, port forward and 1:1 rules; None: outbound
        NAT, which writes it as it is)."""
        if side.kind == "any":
            return _ANY[fam]
        suffix = not self.d.opn and iface is not None and side.kind == "address" and side.value.startswith("::")
        key = (side.kind, side.value, fam, side.negate, filter_rule, iface if suffix else None)
        r = self._operands.get(key)
        if r is not None:
            if r.undefined:
                self.lines.undefined(side.value, "alias or interface", self.lines.source(side.line), tab)
            return r
        if side.kind == "mvc" and "," in side.value:
            # OPNsense's source_net/destination_net hold a list: one pf rule per entry (Rule::reader's
            # product), each negated on its own when '_not' is set (Rule::mapAddressInfo)
            parts = [x.strip() for x in side.value.split(",") if x.strip()]
            got = [self.operand(Side("any" if x == "any" else "mvc", x, side.negate, side.port, side.line), fam, tab,
                                filter_rule) for x in parts]
            r = joined(got) if got else _ANY[fam]
            self._operands[key] = r
            return r
        space = FAMILY[fam]
        v = side.value
        if filter_rule and side.kind in ("address", "mvc") and "-" in v and v not in self.addrs.aliases \
                and v not in self.addrs.by_key and v not in self.p.groups:
            # a range 'A-B' written in a rule (not in an alias) leaves the rule out: pfSense filter_generate_user_rule
            # skips a rule whose address alias_expand does not take (an alias, util.inc is_ipaddr or is_subnet),
            # "Unresolvable destination alias"; OPNsense Rule.php mapAddressInfo disables one that is no alias,
            # interface, Util::isIpAddress or isSubnet ("Unable to convert address").  (No address or subnet holds
            # a '-'.)
            r = None
        elif suffix and fam == 6:
            r = self.addrs.suffixed(v, iface or "", fam)
        else:
            r = self.lookup(side.value, side.kind, fam, side.line)
        if r is None:
            self.lines.undefined(side.value, "alias or interface", self.lines.source(side.line), tab)
            r = Resolved(EMPTY, space, ("'%s' is not defined" % side.value,), undefined=(side.value,))
        if side.negate:
            r = r.negated(space)
            lease = self.leased(side, fam)
            if lease:
                r = Resolved(EMPTY, r.sure.union(r.maybe), r.why + (lease,), r.refs, r.undefined)
        if filter_rule and fam == 6 and self.link_local(side):
            # OPNsense Rule.php mapAddressInfo: an inet6 filter rule naming an interface (or an interface group)
            # appends ',fe80::/10' to its '(em1:network)' ("historically pf(4) excludes link-local on :network");
            # a negation prefixes the list, '{!(em1:network),fe80::/10}': one pf rule per entry, link-local matched
            r = joined([r, Resolved(_FE80)])
        self._operands[key] = r
        return r

    def link_local(self, side: Side) -> bool:
        """OPNsense: whether ``side`` names an interface of the filter's mapping (an interface or a group, not
        'lanip'), whose IPv6 network gets fe80::/10 (Rule.php mapAddressInfo, '$is_interface')."""
        v = side.value.strip()
        return self.d.opn and side.kind in ("network", "mvc") and (v in self.addrs.by_key or v in self.p.groups)

    def leased(self, side: Side, fam: int) -> str:
        """pfSense: why the interface macro ``side`` may be written only at run time, or ''.

        filter_generate_address writes 'optN' / a group's table only when the interfaces have a subnet ('sa' /
        'sav6', read from the interface at each filter reload) or a virtual IP, and 'optNip' only when the interface
        has an address of the rule's family; else the rule is skipped. An address learned at run time (a DHCP lease)
        may be missing: a negated macro then matches nothing (no rule), not everything outside the known subnets."""
        if self.d.opn or side.kind != "network":
            return ""
        v = side.value
        a = self.addrs
        if v in self.p.groups and v not in a.by_key:
            ifs = a.members(self.p.groups[v][1])
        elif v.endswith("ip") and v[:-2] in a.by_key:
            i = a.by_key[v[:-2]]
            return ("%s's address is learned by %s at run time: without it the rule is not loaded"
                    % (i.name, i.dynamic[fam])) if fam in i.dynamic and not i.addr[fam] else ""
        else:
            ifs = [a.by_key[v]] if v in a.by_key else []
        if not ifs or any(i.has_net for i in ifs):
            return ""
        dyn = [i for i in ifs if i.dynamic]
        if not dyn:
            return ""
        return ("%s's subnet is learned by %s at run time: without it the rule is not loaded"
                % (dyn[0].name, next(iter(dyn[0].dynamic.values()))))

    def lookup(self, value: str, kind: str, fam: int, line: int) -> Resolved | None:
        """What a ``<network>``/``<address>`` (or an OPNsense ``*_net``) value denotes; None if undefined."""
        a = self.addrs
        v = value.strip()
        if v == "(self)":
            return a.own(fam)
        if kind in ("network", "mvc"):
            if v in self.p.groups and (kind == "network" or self.d.opn) and (v not in a.by_key or a.by_key[v].virtual):
                # pfSense filter_generate_address: a network naming an interface group is its table
                # '$GROUP__NETWORK'; OPNsense pf.inc pf_interfaces maps the group as an interface (registered in
                # <interfaces> as a virtual one), written '(GROUP:network)' (Rule.php loadAliasMap)
                return a.group_net(self.p.groups[v][1], fam)
            if v in a.by_key:
                return a.iface_net(v, fam, ip=False)
            if v.endswith("ip") and v[:-2] in a.by_key:
                return a.iface_net(v[:-2], fam, ip=True)
            if v in _SERVER_NETS:
                return Resolved(EMPTY, FAMILY[fam], ("'%s' (%s clients) are assigned at run time"
                                                     % (v, _SERVER_NETS[v]),))
        if v in a.aliases:
            return a.alias_addr(v, fam)
        got = a.iface_table(v, fam)  # (OPNsense's '__lan_network': an alias, written in a network or address field)
        if got is not None:
            return got
        if kind == "network":
            return None
        r = a.address(v, fam, None)
        return None if r.undefined else r

    def protocols(self, proto: str, fam: int, f: dict, tab: str) -> list[tuple[ISet, ISet | None, bool]] | None:
        """[(protocols, destination ports or None for the rule's ports, certain)] of a rule's protocol."""
        if proto in ("", "any"):
            return [(ALL_PROTO, ALL_PORTS, True)]
        if proto == "tcp":
            return [(TCP_ONLY, None, True)]
        if proto == "udp":
            return [(ISet.of(PROTO_UDP), None, True)]
        if proto == "tcp/udp":
            return [(ISet([(PROTO_TCP, PROTO_TCP), (PROTO_UDP, PROTO_UDP)]), None, True)]
        if proto in ("icmp", "ipv6-icmp", "icmp6"):
            number = PROTO_ICMP if fam == 4 else PROTO_ICMP6
            if proto != "icmp" and fam == 4:
                return None
            types = self.icmp_types(f, fam, tab, proto)
            return None if types is None else [(ISet.of(number), types, True)]
        return self.named(proto, fam, f, tab)

    def named(self, proto: str, fam: int, f: dict, tab: str) -> list[tuple[ISet, ISet | None, bool]] | None:
        """A protocol the rule generators write as it is, ' proto NAME ' (pfSense: any protocol not written 'any',
        'tcp/udp' or 'icmp' in lower case; OPNsense: lowercased, Rule::reader), as pfctl reads it (None: pfctl
        refuses the ruleset).

        pfctl takes a name from getprotobyname(3) (sbin/pfctl/parse.y 'protoval': "unknown protocol %s"), which
        compares the names and aliases of /etc/protocols exactly (lib/libc/net/getprotoname.c, strcmp:
        ``FREEBSD_PROTOCOLS``): 'TCP' is an alias of tcp, 'Tcp', 'Any', 'TCP/UDP', 'ipv4' or 'hopopt' are nothing;
        a number above 255 is "protocol outside range" and 0 ('ip') "proto 0 cannot be used".  'ICMP' in an IPv6
        rule, 'ipv6-icmp' in an IPv4 one is refused too (parse.y rule_consistent: "proto %s doesn't match address
        family %s"; OPNsense writes 'icmp' of an inet6 rule as ipv6-icmp, not the reverse: opnsense/core#4493).
        Only 'icmp' gets ICMP types (filter.inc, FilterRule.php); ports are written for tcp, udp and sctp in any
        case (filter_generate_port lowercases the protocol)."""
        k = f.get("protocol_at") or f["node"]
        n = FREEBSD_PROTOCOLS.get(proto)
        if n is None and whole(proto):  # (pfctl's lexer reads ASCII digits only: '٦' is an unknown name)
            n = int(proto)
        if n is None or not 0 < n <= 255:
            self.p.report_once(k.line, "protocol '%s': pfctl knows no such protocol (names are those of FreeBSD's "
                                       "/etc/protocols, case-sensitive; 1-255) and refuses the whole ruleset; the "
                                       "firewall keeps the rules it had" % proto, tab, Impact.GLOBAL)
            return None
        if (n, fam) in ((PROTO_ICMP, 6), (PROTO_ICMP6, 4)):
            self.p.report_once(k.line, "protocol '%s' in an IPv%d rule: pfctl refuses the whole ruleset ('proto "
                                       "doesn't match address family') and the firewall keeps the rules it had"
                               % (proto, fam), tab, Impact.GLOBAL)
            return None
        return [(ISet.of(n), None if proto.lower() in PORTED else ALL_PORTS, True)]

    def icmp_types(self, f: dict, fam: int, tab: str, proto: str) -> ISet | None:
        """The ICMP types (as ``type*256+code`` values) an ICMP rule's half of family ``fam`` matches; None when pfctl
        refuses the whole ruleset for them.

        pfSense (filter.inc filter_generate_user_rule) writes types only for the protocol 'icmp', from
        ``<icmptype>`` in both halves of a rule ('icmp-type' in the inet one, 'icmp6-type' in the inet6 one; it has
        no ``<icmp6type>``), 'skip' as 39, nothing when the field is empty, '0' or 'any' (PHP truthiness).  OPNsense
        (FilterRule.php, "icmp-type switch") for 'icmp' and 'ipv6-icmp': ``<icmptype>`` in an inet rule,
        ``<icmp6type>`` in an inet6 one (the other field is not read: an inet6 rule without ``<icmp6type>`` matches
        every ICMPv6 type), nothing when empty or '0'.  pfctl reads each name from its table for the family, or a
        number up to 255 (sbin/pfctl/parse.y icmp_item / icmp6_item: "unknown icmp-type", "unknown icmp6-type",
        "illegal icmp-type"): any other entry is a syntax error, and the firewall keeps the rules it had."""
        opn = self.d.opn
        if proto not in (("icmp", "ipv6-icmp") if opn else ("icmp",)):
            return ALL_PORTS
        k = f.get("icmptype" if fam == 4 or not opn else "icmp6type")
        if k is None or k.value in ("", "0") or (not opn and k.value == "any"):
            return ALL_PORTS
        names = ICMP4 if fam == 4 else ICMP6
        out = EMPTY
        for word in k.value.split(","):
            w = word.strip()
            if w == "skip" and not opn:
                w = "39"  # (filter.inc: replace_element_in_list($rule['icmptype'], ',', 'skip', '39'), bug #7372)
            t = names.get(w, int(w) if whole(w) and int(w) <= 255 else None)
            if t is None:
                self.p.report_once(k.line, "ICMP type '%s' in an IPv%d rule: pfctl knows no such %s (a name of its "
                                           "table for the family, or a number up to 255) and refuses the whole "
                                           "ruleset; the firewall keeps the rules it had"
                                   % (w, fam, "icmp-type" if fam == 4 else "icmp6-type"), tab, Impact.GLOBAL)
                return None
            out = out.union(icmp_values(t))
        return out


_FE80 = addr_set("fe80::/10")
# the ways of learning an address that learn a gateway too (the dynamic gateways both products add)
_DYNAMIC_GATEWAYS = {4: ("DHCP", "PPPoE", "PPTP", "L2TP", "PPP"), 6: ("DHCPv6", "SLAAC", "6RD", "6to4", "PPPoE")}
# the tunnels whose peer each product writes as the interface's router ('/tmp/IF_router[v6]', the reply-to gateway
# of an interface without a static address), by dialect (OPNsense: True).  pfSense: ovpn-linkup (OpenVPN),
# interfaces.inc interface_ipsec_vti_configure ('/tmp/{$ipsecif}_router'), interface_gre_configure,
# interface_gif_configure.  OPNsense (ifctl -r): ovpn-linkup, interfaces.inc for gre and gif; nothing for an IPsec
# VTI or WireGuard device, so Gateways::getGateways adds no gateway with an address for them and FilterRule.php
# convertReplyTo, which needs one ('Util::isIpAddress'), writes no reply-to
_ROUTER_TUNNELS = {False: ("ovpn", "ipsec", "gif", "gre"), True: ("ovpn", "gif", "gre")}


# OPNsense's well-known service names (PortField::$wellknownservices), which Rule.php takes in a port field as they are
# ('PortField::getWellKnown'), hyphen and all, and the GUI offers
OPN_WELL_KNOWN = {
    "afs3-fileserver": 7000, "aol": 5190, "auth": 113, "avt-profile-1": 5004, "cvsup": 5999, "domain": 53,
    "domain-s": 853, "ftp": 21, "hbci": 3000, "http": 80, "https": 443, "igmpv3lite": 465, "imap": 143, "imaps": 993,
    "ipsec-msft": 10000, "ipsec-nat-t": 4500, "isakmp": 500, "l2f": 1701, "ldap": 389, "ldaps": 636,
    "microsoft-ds": 445, "ms-streaming": 1755, "ms-wbt-server": 3389, "msnp": 1863, "nat-stun-port": 3478,
    "netbios-dgm": 138, "netbios-ns": 137, "netbios-ssn": 139, "nntp": 119, "ntp": 123, "openvpn": 1194, "pop3": 110,
    "pop3s": 995, "pptp": 1723, "radius": 1812, "radius-acct": 1813, "rfb": 5900, "sip": 5060, "sip-tls": 5061,
    "smtp": 25, "snmp": 161, "snmptrap": 162, "ssh": 22, "submission": 587, "submissions": 465, "telnet": 23,
    "teredo": 3544, "tftp": 69, "urd": 465, "wins": 1512,
}


def _text(n: Node | None) -> str:
    return n.value if n is not None else ""


def _families(v: str) -> tuple[int, ...]:
    v = v.lower()
    if v == "inet6":
        return (6,)
    if v == "inet46":
        return (4, 6)
    return (4,)


def _default_flags(f: dict) -> bool:
    """TCP flags 'S/SA' (pf's default for keep-state rules) or 'any'."""
    a, b = _text(f.get("tcpflags1")), _text(f.get("tcpflags2"))
    return (a, b) in (("syn", "syn,ack"), ("syn", "ack,syn"), ("", ""))


_EMPTY_OPTION = "empty rule option (no effect; the rule editor writes every option, set or not)"
_LEAF = Node("", [], 0).kids

_PORTED_PROTOS = ISet([(PROTO_TCP, PROTO_TCP), (PROTO_UDP, PROTO_UDP), (PROTO_SCTP, PROTO_SCTP)])

# options that make a rule match only some of its packets, in a way config.xml does not describe
_CONDITIONS = (
    ("tagged", lambda v: "matches only packets tagged '%s' by another rule or NAT" % v),
    ("os", lambda v: "matches only hosts whose operating system fingerprint is '%s'" % v),
    ("dscp", lambda v: "matches only packets with DSCP '%s'" % v),
    ("tos", lambda v: "matches only packets with TOS '%s'" % v),
    ("vlanprio", lambda v: "matches only frames with 802.1p priority '%s'" % v),
    ("prio", lambda v: "matches only packets with queue priority '%s'" % v),
    ("tcpflags2", "matches only TCP packets with the flags it sets (not a connection's first packet as such)"),
    ("nat", "NAT64 rule (af-to): not modelled"),
    ("divert-to", lambda v: "diverts packets to a local service (%s)" % v),
    ("gateway", lambda v: "policy routing through gateway '%s': the packet leaves by that gateway's interface, "
                          "whose out-direction rules are not the ones of the routing table's interface" % v),
)

# tag -> (its place in _CONDITIONS, why); the rules name few of them
_CONDITION_ORDER = {tag: (n, why) for n, (tag, why) in enumerate(_CONDITIONS)}
_CONDITION_TAGS = frozenset(_CONDITION_ORDER)
# the conditions that send what the rule passes elsewhere (the others only narrow what it matches)
_ELSEWHERE = frozenset(("nat", "divert-to", "gateway"))

# pfSense rule fields read here (any other child is looked up in elements.RULE_NO_EFFECT)
_LEGACY_FIELDS = frozenset({
    "type", "interface", "ipprotocol", "protocol", "floating", "quick", "direction", "disabled", "descr",
    "statetype", "statetimeout", "sched", "gateway", "tagged", "os", "dscp", "vlanprio", "tcpflags1",
    "tcpflags2", "icmptype", "icmp6type", "nat", "interfacenot", "tos", "prio", "divert-to", "nottagged",
    "tcpflags_any",
})
# the pfSense rule fields whose value the generator compares or writes (not the description)
_SPACE_SENSITIVE = _LEGACY_FIELDS - {"descr"}
# OPNsense MVC rule fields read here, and their legacy names
_MVC_RENAME = {"type": "action", "descr": "description"}
_MVC_FIELDS = frozenset({
    "enabled", "action", "quick", "interface", "interfacenot", "direction", "ipprotocol", "protocol",
    "source_net", "source_not", "source_port", "destination_net", "destination_not", "destination_port",
    "statetype", "statetimeout", "sched", "gateway", "tagged", "description", "icmptype", "icmp6type", "tos",
    "prio", "divert-to", "tcpflags1", "tcpflags2", "tcpflags_any",
})
# what filter_get_time_based_rule_status checks in a time range (each empty one holds)
_TIME_FIELDS = ("month", "day", "hour", "position")
_SERVER_NETS = {"pppoe": "PPPoE server", "l2tp": "L2TP VPN", "openvpn": "OpenVPN"}

"""The access policy: ordered layers as stages, inline layers flattened into their parent rule.

How a Security Gateway enforces an Access Control policy (R81 Security Management
Administration Guide, "Ordered Layers and Inline Layers",
https://sc1.checkpoint.com/documents/R81/WebAdminGuides/EN/CP_R81_SecurityManagement_AdminGuide/Topics-SECMG/Ordered-Layers-and-Inline-Layers.htm):

* each Ordered Layer is checked from top to bottom and the first matching rule is enforced; a
  packet a layer accepts goes on to the next Ordered Layer, one it drops stops there: each
  ordered layer is a ``Stage`` of the one ``Path`` (every stage must permit);
* a packet that matches no rule of a layer meets the layer's implicit cleanup rule, whose
  action is the layer's ``implicit-cleanup-action`` (``drop`` unless the layer says ``accept``:
  the API's default for a new layer, ``add-access-layer``): the stage's default;
* a rule whose action is an Inline Layer (``Apply Layer`` with ``inline-layer``): a packet that
  matches it is decided by the inline layer's rules (first match), and when none of them
  matches, by the inline layer's implicit cleanup rule; no rule after the parent is looked at.
  The parent is replaced by its sub-rules, each intersected with the parent's match, followed by
  the inline layer's cleanup over the parent's match (pointing at the parent rule);
* a negated cell (``source-negate``, ``destination-negate``, ``service-negate``) matches every
  packet its objects do not;
* a disabled rule (``enabled: false``) stays in the filter, disabled;
* a rule with a time object, a VPN community, a content (data type) cell, a service resource,
  an expiration date, or an action other than Accept/Drop/Reject/Apply Layer (Ask, Inform,
  User/Client Auth) matches only under conditions the export cannot decide: its packets are
  ``maybe`` (the engine answers ``unknown`` for them), never guessed;
* the implied rules of Global Properties > Firewall that may accept traffic through the gateway
  ("Accept ICMP requests", "Accept Domain Name over UDP (Queries)", "Accept Domain Name over TCP
  (Zone Transfer)", "Accept RIP"; ``IMPLIED``) are not in the rulebase export: a setting given by
  ``show-global-properties`` is a builtin Accept rule at its position (First: the top of the first
  ordered layer; Before Last: above the last rule of every ordered layer; Last: below it), one not
  given is a builtin rule of certain action (accept) whose match is uncertain, at the top of every
  ordered layer (on by default, and its position not known): the packets it may accept that the
  rules would drop are ``unknown``, said once (``PolicyBuilder.implied``);
* the gateway is stateful (replies of an accepted connection pass): ``Stage.stateful``; its
  rules match the packet as the client sent it, before NAT (client-side destination NAT, the
  default since NGX: the packet "passes Security Policy rules" before "the packet is matched
  against NAT rules"): ``Stage.sees = "sent"``.

The rulebase names no interface: the policy is one ``Path(None, None, ...)`` for all traffic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from auditor.core.model import Action, Filter, Impact, Path, Source, Stage, Timeout, new_rule
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    EMPTY,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    PROTO_TCP,
    PROTO_UDP,
    Cube,
    ISet,
    PacketSet,
    cube,
)
from auditor.core.secrets import redact
from parsers.checkpoint.document import EMPTY_CELL, PlaceHolder, RuleRec
from parsers.checkpoint.objects import ALL_TRIPLE, ANY_UID, GATEWAY_TYPES, Resolver, is_any

DEFAULT_TCP_TIMEOUT = 3600
DEFAULT_TIMEOUT_LABEL = ("Check Point default TCP session timeout, 3600 s (Global Properties > Stateful Inspection > "
                         "TCP session timeout; services with use-default-session-timeout)")
PERMIT_ACTIONS = frozenset(("accept", "allow"))
DENY_ACTIONS = frozenset(("drop", "reject", "block"))
LAYER_ACTIONS = frozenset(("apply layer", "inner layer", "apply_layer"))
ANY_CELL = [ANY_UID]
LATER_CLEANUP = ("not taken as drop: an ordered layer after the first is often made with an implicit cleanup of "
                 "accept (the packets that reach it are unknown)")
INSTALL_TARGETS = frozenset(("simple-gateway", "simple-cluster", "CpmiGatewayCluster"))  # what a policy installs on
# gateway objects a policy is not installed on: a cluster's members (the policy is installed on the cluster)
CLUSTER_MEMBERS = frozenset(("CpmiClusterMember", "cluster-member", "CpmiVsxClusterMember"))
_ACTIONS = {"6c488338-8eec-4103-ad21-cd461ac2c472": Action.PERMIT, "6c488338-8eec-4103-ad21-cd461ac2c473": Action.DENY}
# The implied rules of Global Properties > Firewall that may accept traffic through the gateway (not only to or
# from it): (setting, its SmartConsole name, the packets it accepts for certain, those it may accept too).
# "Accept Domain Name over UDP (Queries) - Allows DNS requests to traverse the firewall"; "Accept ICMP Requests -
# Allows all ICMP messages" (Check Point NGX study guide, "Global Properties: FireWall-1 Implied Rules",
# https://pearsonitcertification.com/articles/article.aspx?p=387728&seqNum=4); "accept-rip: Accepts Routing
# Information Protocol (RIP), using UDP on port 520", "accept-domain-name-over-tcp: Accepts Domain Name (DNS) queries
# and replies over TCP", "accept-icmp-requests: Accepts Internet Control Message Protocol messages", defaults true
# (ICMP "before last", DNS "first"; RIP: no default) (Management API reference, set-global-properties). ICMPv6 is
# not named: it may be accepted too.
IMPLIED = (
    ("accept-icmp-requests", "Accept ICMP requests", PacketSet([cube(proto=ISet.of(PROTO_ICMP))]),
     PacketSet([cube(proto=ISet.of(PROTO_ICMP6))])),
    ("accept-domain-name-over-udp", "Accept Domain Name over UDP (Queries)",
     PacketSet([cube(proto=ISet.of(PROTO_UDP), dport=ISet.of(53))]), NOTHING),
    ("accept-domain-name-over-tcp", "Accept Domain Name over TCP (Zone Transfer)",
     PacketSet([cube(proto=ISet.of(PROTO_TCP), dport=ISet.of(53))]), NOTHING),
    ("accept-rip", "Accept RIP", PacketSet([cube(proto=ISet.of(PROTO_UDP), dport=ISet.of(520))]), NOTHING),
)
PATH_NOTE = ("Check Point: the management API rulebase names no interfaces; the policy is one decision for all "
             "traffic through the gateway")


@dataclass(slots=True)
class Entry:
    """A rule of a flattened layer, before it becomes a ``Rule``."""

    action: Action
    sure: PacketSet
    total: PacketSet
    source: Source
    enabled: bool = True
    note: str = ""
    refs: tuple = ()
    timeouts: tuple = ()
    builtin: bool = False  # an inline layer's implicit cleanup: no line of the export to remove
    label: str = ""
    name: str = ""
    sure_action: bool = False  # what it does when it matches is certain (``Rule.sure_action``)
    any_service: bool = False  # its service cell is Any: "Match for Any" services may give its timeouts


class PolicyBuilder:
    """Builds filters, stages and per-rule timeouts from the layers of every input."""

    def __init__(self, resolver: Resolver, layers: dict, infos: dict, report, targets: "Targets",
                 implied: dict | None = None, tcp_timeout: int | None = None):
        self.r = resolver
        # the default TCP session timeout: Global Properties' when show-global-properties gives it
        self.default_tcp = tcp_timeout or DEFAULT_TCP_TIMEOUT
        self.implied_settings = implied or {}  # show-global-properties: setting -> (on, position, line)
        self._implied_said = False
        self.layers = layers  # uid or name -> LayerRec
        self.infos = infos  # uid or name -> LayerInfo
        self.report = report
        self.targets = targets
        self.filters: dict[str, Filter] = {}
        self.timeouts: list[Timeout] = []
        self.remarks: list = []
        self._missing_inline: set = set()
        self._assumed: set = set()
        self._compiled: dict = {}
        self._cells: dict = {}  # (a cell's items, ...) -> its value: each distinct cell worked out once
        self._svc_cells: dict = {}
        self._mfa: PacketSet | None = None  # the packets of the "Match for Any" services of their own timeouts
        self._mfa_names: list = []
        self._mfa_said = False

    # --- layers ---------------------------------------------------------------------------------
    def layer_by_ref(self, ref):
        """The LayerRec an ``inline-layer`` reference names (uid, name or inline object)."""
        if isinstance(ref, dict):
            for k in ("uid", "name"):
                v = ref.get(k)
                if isinstance(v, str) and v in self.layers:
                    return self.layers[v]
            return self.layer_by_name(ref.get("name"))
        if isinstance(ref, str):
            if ref in self.layers:
                return self.layers[ref]
            got = self.r.lookup(ref)
            if got is None:
                return self.layer_by_name(ref)
            layer = self.layer_by_name(got[1])
            if layer is not None and not layer.uid:  # a layer file named by the tool: now its uid is known
                layer.uid, layer.name = got[0], got[1]
                self.layers[got[0]] = layer
            return layer
        return None

    def layer_by_name(self, name):
        if not isinstance(name, str) or not name:
            return None
        for layer in self.layers.values():
            if layer.name == name:
                return layer
        # a Show Package tool layer file is named "<layer>-<domain>", made safe for file systems
        stem = _file_safe(name) + "-"
        for layer in self.layers.values():
            if not layer.uid and layer.name.startswith(stem):
                return layer
        return None

    def cleanup(self, layer) -> tuple[Action, Source, str]:
        """(action, line, words) of a layer's implicit cleanup rule."""
        info = self.infos.get(layer.uid) or self.infos.get(layer.name)
        if info is not None and info.cleanup:
            act = Action.PERMIT if info.cleanup == "accept" else Action.DENY
            return act, info.source, "implicit cleanup rule of layer %s (implicit-cleanup-action %s)" % (
                layer.name, info.cleanup)
        return Action.DENY, layer.source, ("implicit cleanup rule of layer %s (drop: the layer's implicit-cleanup-"
                                           "action is not in the input; drop is Check Point's default)" % layer.name)

    def assume_drop(self, layer, entries: list, later: bool = False) -> bool:
        """Whether a layer's implicit cleanup is not in the input and some packet may reach it; said once.

        ``later``: an ordered layer after the first, whose cleanup is not taken as drop but as unknown: "For
        Pre-R80.10 Gateways, in every policy, the first layer must have its implicit cleanup rule set to 'drop' and
        for the second ordered layer the implicit cleanup rule must be set to 'accept'. Usually, these are the
        defaults when creating policies and layers" (Check Point CheckMates, "How are implied rules implemented
        with a multi-layered policy?", https://community.checkpoint.com/t5/Management/How-are-implied-rules-
        implemented-with-a-multi-layered-policy/m-p/1698), against the API's default of drop (add-access-layer)."""
        info = self.infos.get(layer.uid) or self.infos.get(layer.name)
        if info is not None and info.cleanup:
            return False
        # (looked for from the end, where a layer's explicit cleanup rule is: not a pass over every rule)
        if any(e.enabled and e.sure.cubes and _covers_all(e.sure) for e in reversed(entries)):
            return False  # an explicit cleanup rule (Any Any Any) decides every packet first
        if layer.name not in self._assumed:
            self._assumed.add(layer.name)
            self.report(layer.source, "layer %s: its implicit-cleanup-action is not in the input (add show-package or "
                        "show-access-layer); %s" % (redact(layer.name), LATER_CLEANUP if later else
                                                    "taken as drop, the API's default"), Impact.FILTER, layer.name)
        return True

    # --- one ordered layer -------------------------------------------------------------------------
    def ordered(self, layer, first: bool = True, unsure: bool = False) -> Stage:
        """The stage of an ordered layer (``first``: the policy's first ordered layer; ``unsure``: a layer the input
        does not say is one of the package's ordered layers, no ``show-package`` being given).

        A layer that may not be installed is a rule of certain action (accept) whose match is uncertain above its
        rules (as the implied rules whose place is not known): what the layer accepts stays accepted, what it drops
        is unknown, as the gateway may never apply the layer.  (Layers of the input are not all ordered layers: a
        layer shared by packages, or an inline layer whose parent rule is not in the input, has its own
        ``show-access-rulebase`` too; Management API reference, show-access-layers / show-package.)"""
        fname = self.filter_name(layer.name)
        entries: list[Entry] = []
        starts: list[int] = []
        self.flatten(layer, None, entries, fname, (layer.uid or layer.name,), starts)
        top = self.implied(layer, entries, first, starts)
        if unsure:
            top.insert(0, Entry(Action.PERMIT, NOTHING, ALL, layer.source, True, "layer %s may not be one of the "
                                "package's ordered layers (no show-package in the input)" % redact(layer.name),
                                builtin=True, label="layer %s: maybe not in the package" % layer.name,
                                sure_action=True))
        if not first and self.assume_drop(layer, entries, later=True):
            # what the implicit cleanup rule does is not known: every packet that reaches it is unknown
            entries.append(Entry(Action.DENY, NOTHING, ALL, layer.source, True, "implicit cleanup rule of layer %s: "
                                 "%s" % (redact(layer.name), LATER_CLEANUP), builtin=True,
                                 label="implicit cleanup of layer %s (its action is not in the input)" % layer.name))
        rules = []
        for i, e in enumerate(entries):
            rules.append(_rule(fname, i, e))
            if e.enabled and e.action is Action.PERMIT and e.sure.cubes:
                if e.any_service and not self._mfa_said:
                    self.match_for_any(e)
                for triples, secs, src, label in e.timeouts:
                    got = e.sure.intersect(PacketSet([cube(proto=p, sport=sp, dport=dp) for p, sp, dp in triples]))
                    if got:
                        self.timeouts.append(Timeout(got, secs, src, label="%s, rule '%s'" % (label, redact(e.name)),
                                                     rule=(fname, i)))
        self.filters[fname] = Filter(fname, tuple(rules), layer.source, kind="access-layer")
        act, src, why = self.cleanup(layer)
        if first:
            self.assume_drop(layer, entries)
        names = (fname,)
        if top:  # (the implied rules above the layer's rules: a filter of their own, evaluated first)
            iname = self.filter_name("%s implied rules" % layer.name)
            self.filters[iname] = Filter(iname, tuple(_rule(iname, i, e) for i, e in enumerate(top)), layer.source,
                                         kind="implied-rules")
            names = (iname, fname)
        return Stage(layer.name, names, act, src, why, stateful=True)

    def implied(self, layer, entries: list, first: bool, starts: list) -> list:
        """The implied rules of Global Properties > Firewall (``IMPLIED``) of an ordered layer: those Before Last
        and Last put into its ``entries``; those above its rules (First, and the uncertain ones) returned.

        "The implied rules that are selected to appear 'first', are added to the first ordered layer in the policy.
        The implied rules that are selected to appear 'before last' or 'last', are added to all the layers"
        (Check Point CheckMates, "How are implied rules implemented with a multi-layered policy?",
        https://community.checkpoint.com/t5/Management/How-are-implied-rules-implemented-with-a-multi-layered-policy/m-p/1698);
        "Before Last Implied Rules: These implied rules are applied before the last explicit rule ... Last Implied
        Rules: Implied rules that are configured as Last in Global Properties" (R80.x Security Management
        Administration Guide, "Implied Rules", the order rules are enforced in). The settings are not in the
        rulebase export ("In the Firewall page, select the applicable options and configure the order of the
        implied rules": R81 Security Management Administration Guide, "Implied Rules",
        https://sc1.checkpoint.com/documents/R81/WebAdminGuides/EN/CP_R81_SecurityManagement_AdminGuide/Topics-SECMG/Implied_Rules.htm):
        one not given by ``show-global-properties`` (on by default; its position not known) is a rule of certain
        action whose match is uncertain at the top of every ordered layer, said once."""
        top, before_last, last, unsure = [], [], [], []
        for key, label, sure, maybe in IMPLIED:
            got = self.implied_settings.get(key)
            if got is not None and got[0] is False:
                continue  # (off)
            every = sure.union(maybe) if maybe.cubes else sure
            if got is None or got[1] is None:
                unsure.append(label)
                top.append(Entry(Action.PERMIT, NOTHING, every, got[2] if got else layer.source, True,
                                 "implied rule '%s' of Global Properties > Firewall: %s" % (
                                     label, "its position is not in the input" if got else "not in the input"),
                                 builtin=True, label="implied rule %s (Global Properties, not in the input)" % label,
                                 sure_action=True))
                continue
            _on, place, src = got
            e = Entry(Action.PERMIT, sure, every, src, True, "implied rule '%s' of Global Properties > Firewall (%s)%s"
                      % (label, place, "; ICMPv6 is not named: it may be accepted too" if maybe.cubes else ""),
                      builtin=True, label="implied rule %s (%s)" % (label, place), sure_action=True)
            if place == "first":
                if first:
                    top.append(e)
            elif place == "before last":
                before_last.append(e)
            else:
                last.append(e)
        if unsure and not self._implied_said:
            self._implied_said = True
            self.report(layer.source, "the implied rules of Global Properties > Firewall are not in the input (%s: "
                        "on by default; add show-global-properties): the traffic through the gateway they may accept "
                        "is unknown where the rules drop it" % ", ".join("'%s'" % x for x in unsure), Impact.FILTER,
                        layer.name)
        at = starts[-1] if starts else len(entries)  # (above the layer's last rule, and what it was flattened into)
        entries[at:at] = before_last
        entries.extend(last)
        return top

    def match_for_any(self, e: Entry) -> None:
        """Say so (once) when an Accept rule whose service is Any accepts connections a "Match for Any" service of
        its own session timeout may hold.

        R80.10 SmartConsole help, "TCP Service - Advanced"
        (https://sc1.checkpoint.com/documents/R80.10/SmartConsole_OLH/EN/7NORTzJoee6PhQPrm9EZ3A2.htm): "Match for
        Any - ... When there is a rule whose Service cell contains Any, and a connections protocol and source port
        match more than one service object, then the service object with the selected 'Match for Any' option will
        be used and its properties will be taken for handling this connection". Such a connection may so take the
        service's own timeout instead of the default; which service the gateway takes also depends on the
        database's other services (not in the export): the timeout is reported as not known (scope timeouts: the
        timeout check fails on the default when it is short, and is unknown rather than a pass otherwise)."""
        if self._mfa is None:
            cubes, self._mfa_names = [], []
            for rec in self.r.pool.values():
                o = rec.data
                if o.get("match-for-any") is True and o.get("use-default-session-timeout") is False:
                    for triples, secs, _src, _label in self.r.service(rec.uid, e.source).timeouts:
                        # (TCP only, the default's timeout; its own value: nothing to doubt)
                        tcp = [t for t in triples if PROTO_TCP in t[0]]
                        if secs != self.default_tcp and tcp:
                            cubes.extend(cube(proto=ISet.of(PROTO_TCP), sport=sp, dport=dp) for _p, sp, dp in tcp)
                            self._mfa_names.append(redact(rec.name))
            self._mfa = PacketSet(cubes)
        if self._mfa and e.sure.overlaps(self._mfa):
            self._mfa_said = True
            names = ", ".join(dict.fromkeys(self._mfa_names[:3])) + (", ..." if len(self._mfa_names) > 3 else "")
            self.report(e.source, "rules of service Any (the first of them: %s): the connections they accept "
                        "on the ports of a 'Match for Any' service of its own session timeout (%s) may take that "
                        "timeout instead of the default: which one is not known" % (redact(e.name), names),
                        Impact.FILTER, "timeouts")

    def layer_timeouts(self, stages: list) -> None:
        """Say so when two ordered layers accept the same TCP connections by rules of different session timeouts.

        Each service's session timeout is described on its own (R80.10 SmartConsole help, "TCP Service -
        Advanced": "Virtual session timeout ... Default ... Specific"); which accepting rule's service gives a
        connection its timeout when every ordered layer accepts it is not documented (Security Management
        Administration Guide, "Ordered Layers and Inline Layers" says only that the packet goes on to the next
        ordered layer). The timeout check then says unknown (scope timeouts) rather than pass on one of them.
        (Approximate, on the safe side: each rule's packets, not only those it decides first.)"""
        own = [t for t in self.timeouts if t.rule is not None]
        if len(stages) < 2 or not own:
            return
        tcp = PacketSet([cube(proto=ISet.of(PROTO_TCP))])
        per = []  # each ordered layer: [(seconds or None for the default, packets, line)]
        for st in stages:
            pieces, held = [], NOTHING
            for t in own:
                if t.rule[0] in st.filters:
                    got = t.match.intersect(tcp)
                    if got:
                        pieces.append((t.idle_seconds, got, t.source))
                        held = held.union(got)
            for f in st.filters:
                flt = self.filters.get(f)
                if flt is None:
                    continue
                if st.default is Action.PERMIT:
                    acc = tcp
                else:
                    acc = PacketSet.of_cubes([c for r in flt.rules if r.enabled and r.action is Action.PERMIT
                                              for c in r.match.cubes + r.maybe.cubes]).intersect(tcp)
                rest = acc.subtract(held) if held else acc
                if rest:
                    pieces.append((None, rest, flt.source))
            per.append((st.name, pieces))
        for i, (name_a, a) in enumerate(per):
            for name_b, b in per[i + 1:]:
                for ka, pa, sa in a:
                    for kb, pb, sb in b:
                        if ka != kb and pa.overlaps(pb):
                            self.report(sa if ka is not None else sb, "ordered layers %s and %s accept the same TCP "
                                        "connections by rules of different session timeouts (%s, %s): which one the "
                                        "gateway applies is not known" % (
                                            redact(name_a), redact(name_b), _secs(ka, self.default_tcp),
                                            _secs(kb, self.default_tcp)),
                                        Impact.FILTER, "timeouts")
                            return

    def filter_name(self, name: str) -> str:
        base, k = name or "layer", 2
        out = base
        while out in self.filters:
            out = "%s#%d" % (base, k)
            k += 1
        return out

    def flatten(self, layer, parent, out: list, fname: str, stack: tuple, starts: list | None = None) -> None:
        """Append ``layer``'s rules (within ``parent``'s (sure, total, enabled) when inline) to ``out``
        (``starts``: where each of its rules' entries begin in ``out``)."""
        for rec in layer.rules:
            if starts is not None:
                starts.append(len(out))
            if isinstance(rec, PlaceHolder):
                total = parent[1] if parent else ALL
                out.append(Entry(Action.DENY, NOTHING, total, rec.source, True,
                                 "place-holder for rules not in this export"))
                continue
            e, inline = self.compile(rec)
            if parent is not None:  # a sub-rule of an inline layer: within its parent rule's packets
                e = replace(e)  # (an inline layer's rules are compiled once, whatever applies them)
                exact = e.total is e.sure and parent[1] is parent[0]
                e.sure = e.sure.intersect(parent[0]) if e.sure.cubes and parent[0].cubes else NOTHING
                if exact:
                    e.total = e.sure
                else:
                    e.total = e.total.intersect(parent[1]) if e.total.cubes and parent[1].cubes else NOTHING
            if rec.comment is not None:
                self.remarks.append((fname, rec.comment))
            if inline is None:
                out.append(e)
                continue
            # a rule whose action is an inline layer
            sub = self.layer_by_ref(inline)
            key = sub.uid or sub.name if sub is not None else None
            if sub is None or key in stack:
                name = self.r.name_of(inline) if not isinstance(inline, dict) else str(inline.get("name") or "?")
                why = ("inline layer %s applies itself" % redact(name) if sub is not None else
                       "inline layer %s is not in the input (add its show-access-rulebase)" % redact(name))
                if (name, rec.source.line) not in self._missing_inline:
                    self._missing_inline.add((name, rec.source.line))
                    self.report(rec.source, why, Impact.FILTER, fname)
                out.append(Entry(Action.DENY, NOTHING, e.total, rec.source, e.enabled, why, e.refs))
                continue
            if not e.enabled:
                out.append(Entry(Action.DENY, e.sure, e.total, rec.source, False,
                                 "disabled; its action is inline layer %s" % sub.name, e.refs))
                continue
            self.flatten(sub, (e.sure, e.total, e.enabled), out, fname, stack + (key,))
            act, _src, why = self.cleanup(sub)
            self.assume_drop(sub, [self.compile(x)[0] for x in sub.rules if isinstance(x, RuleRec)])
            info = self.infos.get(sub.uid) or self.infos.get(sub.name)
            out.append(Entry(act, e.sure, e.total, rec.source, True, "%s, for the packets of this rule" % why,
                             e.refs, builtin=True, label="implicit cleanup of inline layer %s" % sub.name,
                             sure_action=info is not None and bool(info.cleanup)))

    # --- one rule -------------------------------------------------------------------------------------
    def compile(self, rec: RuleRec) -> tuple[Entry, object]:
        """The rule's Entry (before any parent), and its inline layer reference (or None)."""
        got = self._compiled.get(id(rec))
        if got is None:
            got = self._compiled[id(rec)] = self._compile(rec)
        return got

    def _compile(self, rec: RuleRec) -> tuple[Entry, object]:
        d = rec.data
        get = d.get
        r = self.r
        where = rec.source
        src, src_maybe, s_why, s_refs = self.addresses(get("source"), get("source-negate"), where, "source")
        dst, dst_maybe, d_why, d_refs = self.addresses(get("destination"), get("destination-negate"), where,
                                                       "destination")
        sv_sure, sv_maybe, v_why, timeouts, one_way = self.services(get("service"), get("service-negate"), where)
        why: list[str] = [*s_why, *d_why, *v_why]
        refs = s_refs + d_refs
        # the parts of a rule that only conditions outside the export decide
        if not (get("time") == ANY_CELL and get("vpn") == ANY_CELL and get("content", ANY_CELL) == ANY_CELL
                and "data" not in d):
            for key, what in (("time", "time object"), ("vpn", "VPN"), ("content", "content (data type)"),
                              ("data", "content (data type)")):
                cellv = get(key)
                if cellv is not None and cellv != ANY_CELL and not _any_cell(r, cellv):
                    names = ", ".join(redact(r.name_of(x)) for x in (cellv if isinstance(cellv, list) else [cellv]))
                    why.append("%s %s: the rule matches only when it applies" % (what, names))
        if get("content-negate") is True or get("data-negate") is True:
            why.append("negated content cell")
        res = get("service-resource")  # (every rule of a full export has one, most "")
        if res:
            why.append("service resource %s" % redact(r.name_of(res)))
        exp = get("expiration-settings")
        if isinstance(exp, dict) and (exp.get("has-expiration-date") or exp.get("expired")):
            why.append("the rule has an expiration date")
        elsewhere = self.targets.elsewhere(rec)  # (never installed: a disabled rule, with why)
        if self.targets.every and not elsewhere:
            why += self.targets.unsure(rec, r)
        for w, _s in rec.problems:
            why.append(w)
        known = len(why)
        action, inline = self.action(get("action"), get("inline-layer"), rec, why)
        # (certain unless its action, or a part of the rule, was not understood: time, VPN, content, install-on
        # and the objects' addresses only make the match uncertain)
        sure_action = inline is None and len(why) == known and not rec.problems
        enabled = get("enabled", True) is not False and not elsewhere
        # the packets: certain (sure) and possible (total)
        sure = _cubes(src, dst, sv_sure)
        if src_maybe.iv or dst_maybe.iv or sv_maybe:  # (an ISet is empty when it has no intervals)
            total = _cubes(src.union(src_maybe), dst.union(dst_maybe), sv_sure + sv_maybe)
        else:
            total = sure
        if one_way and action is Action.PERMIT and inline is None and sure.cubes:
            # a service whose replies are not accepted: whether the flow works depends on the rules that take
            # the replies as a connection of their own (not evaluated here): the rule's packets of that service
            # are unknown, never a certain permit
            cut = sure.intersect(_cubes(src, dst, tuple(t for t, _w in one_way)))
            if cut.cubes:
                sure = sure.subtract(cut)
                why_noted = [w for _t, w in one_way]
                sure_action = False
            else:
                why_noted = []
        else:
            why_noted = []
        if why:
            sure = NOTHING
        why += [w for w in why_noted if w not in why]
        note = "; ".join(dict.fromkeys(why + [elsewhere] if elsewhere else why))
        svc = get("service")
        any_service = get("service-negate") is not True and isinstance(svc, list) and bool(svc) and _any_cell(r, svc)
        return Entry(action, sure, total, where, enabled, note, refs, timeouts, name=rec.name,
                     sure_action=sure_action, any_service=any_service), inline

    def action(self, ref, inline, rec: RuleRec, why: list) -> tuple[Action, object]:
        known = _ACTIONS.get(ref) if isinstance(ref, str) else None
        if known is not None and not inline:  # (the predefined Accept and Drop)
            return known, None
        name = self.r.name_of(ref) if ref is not None else ""
        if isinstance(ref, dict) and not name:
            name = str(ref.get("name") or "")
        low = name.strip().lower()
        if low in PERMIT_ACTIONS:
            return Action.PERMIT, None
        if low in DENY_ACTIONS:
            return Action.DENY, None
        if low in LAYER_ACTIONS or (inline and low in ("", "apply layer")):
            if inline:
                return Action.DENY, inline
            why.append("action Apply Layer without an inline layer")
            return Action.DENY, None
        if not name:
            why.append("the rule has no action")
        else:
            why.append("action %s (decided with the user at run time)" % redact(name) if low in (
                "ask", "inform", "user auth", "client auth") else "action %s not understood" % redact(name))
        return Action.DENY, None

    def addresses(self, items, negate, where: Source, what: str) -> tuple:
        """(sure, maybe, reasons, refs) of a source or destination cell (the reasons a tuple)."""
        if not isinstance(items, list):
            return EMPTY, ALL_ADDR, ("no %s cell" % what,), ()
        if not items:
            return EMPTY, ALL_ADDR, (EMPTY_CELL % what,), ()  # (reported: document.py)
        negate = negate is True
        # (a cell's value depends on ``what`` only when it is negated: its reasons say "negated source")
        return _once(self._cells, (tuple(items), what if negate else ""),
                     lambda: self._addresses(items, negate, where, what))

    def _addresses(self, items, negate: bool, where: Source, what: str) -> tuple:
        r = self.r
        if len(items) == 1 and items[0] == ANY_UID:
            sure, maybe, why, refs = ALL_ADDR, EMPTY, (), ()
        else:
            v = r.union([r.address(x, where) for x in items])
            sure, maybe, why, refs = v.sure, v.maybe, v.why, v.refs
        if negate:
            sure, maybe = ALL_ADDR.subtract(sure.union(maybe)), maybe
            why = tuple("negated %s: %s" % (what, w) for w in why)
        return sure, maybe, why, refs

    def services(self, items, negate, where: Source) -> tuple:
        """(sure triples, maybe triples, reasons, timeouts, one-way services) of a service cell (the reasons a
        tuple; the one-way services: ``Svc.one_way``)."""
        if not isinstance(items, list):
            return (), (ALL_TRIPLE,), ("no service cell",), (), ()
        if not items:
            return (), (ALL_TRIPLE,), (EMPTY_CELL % "service",), (), ()  # (reported: document.py)
        negate = negate is True
        return _once(self._svc_cells, (tuple(items), negate), lambda: self._services(items, negate, where))

    def _timeout_overlap(self, own: list, where: Source) -> None:
        """Two services of one cell that hold the same packets with different session timeouts (one its own, the
        other the default, or two of their own): which one the gateway applies to such a connection is not
        documented, so the rule's timeout is reported as not known (scope timeouts) rather than taken from one."""
        for i, (ta, sa) in enumerate(own):
            for tb, sb in own[i + 1:]:
                if sa != sb and _overlap(ta, tb):
                    self.r.report(where, "services of one rule hold the same packets with different session "
                                  "timeouts: which one the gateway applies is not known", Impact.FILTER, "timeouts")
                    return

    def _services(self, items, negate: bool, where: Source) -> tuple:
        r = self.r
        sure, maybe, why, timeouts, one_way = [], [], [], [], []
        if len(items) == 1 and items[0] == ANY_UID:
            sure.append(ALL_TRIPLE)
        else:
            own: list[tuple[tuple, object]] = []  # (each service's triples, its own timeout or None: the default)
            for x in items:
                v = r.service(x, where)
                sure += v.sure
                maybe += v.maybe
                why += v.why
                timeouts += v.timeouts
                one_way += v.one_way
                if not negate:
                    own.append((v.sure + v.maybe, tuple(sorted({t[1] for t in v.timeouts})) or None))
            self._timeout_overlap(own, where)
        if negate:
            held = PacketSet([cube(proto=p, sport=sp, dport=dp) for p, sp, dp in sure + maybe])
            rest = ALL.subtract(held)
            sure = [tuple(c.dims[2:]) for c in rest.cubes]
            why = ["negated service: %s" % w for w in why]
            timeouts = []  # (a negated cell's packets take the default timeouts)
            one_way = []  # (and it matches none of the services' own packets)
        return merge_triples(sure), merge_triples(maybe), tuple(why), tuple(timeouts), tuple(one_way)


def _rule(fname: str, i: int, e: Entry):
    """The ``Rule`` of entry ``e``, the ``i``-th of filter ``fname``."""
    maybe = e.total.subtract(e.sure) if e.total is not e.sure else NOTHING
    return new_rule(fname, i, e.action, e.sure, e.source, e.enabled, maybe, False, e.refs, e.note,
                    builtin=e.builtin, label=e.label, sure_action=e.sure_action)


def _secs(secs, default: int) -> str:
    return "the default %d s" % default if secs is None else "%d s" % secs


def _overlap(a: tuple, b: tuple) -> bool:
    """Whether two lists of (protocol, source port, destination port) triples share a packet."""
    return any(all(x.overlaps(y) for x, y in zip(ta, tb)) for ta in a for tb in b)


def merge_triples(triples) -> tuple:
    """The same packets in fewer (protocol, source ports, destination ports) triples: the ports of
    one protocol and source ports together, then the protocols with the same ports together (a rule
    naming http, https and ssh is one cube, not three)."""
    if len(triples) < 2:
        return tuple(triples)
    by_ports: dict = {}
    for p, sp, dp in triples:
        k = (p.iv, sp.iv)
        got = by_ports.get(k)
        by_ports[k] = (p, sp, dp if got is None else got[2].union(dp))
    by_proto: dict = {}
    for p, sp, dp in by_ports.values():
        k = (sp.iv, dp.iv)
        got = by_proto.get(k)
        by_proto[k] = (p if got is None else got[0].union(p), sp, dp)
    return tuple(by_proto.values())


def _file_safe(name: str) -> str:
    """A name as the Show Package tool writes it into file names (FileNameUtils.sanitizeFileName)."""
    out = re.sub(r'[<>:"/\\|?*]', "_", name)
    out = re.sub(r"\s+", "_", out)
    out = re.sub(r"_{2,}", "_", out)
    return re.sub(r"[._]+$", "", re.sub(r"^[._]+", "", out))


def _cubes(src: ISet, dst: ISet, triples) -> PacketSet:
    if not src.iv or not dst.iv:  # (emptiness by the intervals: no method call)
        return NOTHING
    return PacketSet.of_cubes([Cube(src, dst, p, sp, dp) for p, sp, dp in triples if p.iv and sp.iv and dp.iv])


def _any_cell(r: Resolver, items) -> bool:
    if not isinstance(items, list):
        return items is None
    return not items or all(is_any(r, x) for x in items)


def _covers_all(ps: PacketSet) -> bool:
    full = ALL.cubes[0].dims  # (a cube's five dimensions, compared as ISets: by their intervals)
    return any(c.dims == full for c in ps.cubes)


class Targets:
    """Which rules apply to the audited gateway, from their ``install-on``.

    ``Policy Targets`` (or ``All``) installs a rule on every gateway the policy is installed on.
    When the rules name at most one gateway, the policy is audited as that gateway (every rule
    applies); when they name several, a rule that is not installed on all of them may not apply
    to the gateway under audit: its packets are ``maybe``.

    The package's ``installation-targets`` (``installed``: the gateways the policy is installed on,
    when the package lists them) count as named too: a rule installed on one gateway of a package
    installed on two may not apply to the audited one, and a rule naming a gateway the package is
    not installed on is not installed anywhere the package is ("Install On: network objects that
    will get the rule(s) of the security policy. The Policy Targets option installs the rule(s) on
    all Security Gateways": http://techblog.sansbound.com/2016/02/11/fields-description-in-check-point-firewall/;
    a rule whose Install On is a firewall that is not a target is silently not installed:
    http://lkhill.com/check-point-dont-use-the-install-on-column/).
    """

    def __init__(self, resolver: Resolver, recs: list, report, installed: tuple | None = None):
        self.r = resolver
        self.every: set = set()
        self._named: dict = {}  # an install-on cell's items -> the gateways it names (each distinct cell once)
        self._odd: set = set()  # names in install-on cells that are no gateway or cluster of the export
        self._alias: dict = {}  # a package target's uid -> its name (when the export holds no such object)
        for x in installed or ():
            if isinstance(x, dict) and isinstance(x.get("uid"), str) and isinstance(x.get("name"), str):
                self._alias[x["uid"]] = x["name"]
        self.installed: frozenset = frozenset()  # the package's targets, when it lists them
        if installed:
            self.installed = frozenset(self._named_by(list(installed)))
            self.every.update(self.installed)
        if not self.installed:  # (else a gateway the package is not installed on gets none of its rules)
            for rec in recs:
                self.every.update(self.named(rec.data.get("install-on")))
        if self.every and not installed:
            # the package's targets not listed ("all", or no show-package): every gateway or cluster of the export
            # may be one of them ("installation-targets: Which Gateways identified by the name or UID to install
            # the policy on", or "all": Management API reference, add-package / show-package)
            self.every.update(o.name for o in resolver.pool.values() if o.type in INSTALL_TARGETS)
        if len(self.every) == 1:
            (name,) = self.every
            src = next((rec.source for rec in recs if self.named(rec.data.get("install-on"))), None)
            if src is not None:
                report(src, "install-on: %s one installation target, %s; the policy is audited as that gateway"
                       % ("the package is installed on" if self.installed else "the rules name", redact(name)),
                       Impact.NONE, "")

    def named(self, items) -> frozenset:
        """The gateways an install-on cell names (empty for Policy Targets / All / absent)."""
        if not isinstance(items, list):
            return frozenset()
        return _once(self._named, tuple(items), lambda: frozenset(self._named_by(items)))

    def _named_by(self, items: list, seen: tuple = ()) -> set:
        """The gateways ``items`` name: a group of gateways by its members ("Install On: network objects that will
        get the rule(s)"); an object that is no gateway or cluster (a cluster member, another type, an empty group)
        by its own name, kept in ``_odd``: where such a rule is installed is not known (so is a group's member
        that the export does not hold: it may be the audited gateway)."""
        out = set()
        for x in items:
            got = self.r.lookup(x)
            if got is None:
                name = self._alias.get(x, x) if isinstance(x, str) else str(x)
                if seen and name not in self._alias.values():
                    self._odd.add(name)
                out.add(name)
                continue
            if got[4] is None and got[0] in self._alias:  # (a package target's uid, named by the package)
                out.add(self._alias[got[0]])
                continue
            if got[2] in ("Global", "CpmiAnyObject") or got[1] in ("Policy Targets", "All"):
                return set()
            members = got[3].get("members") if got[2] == "group" else None
            if isinstance(members, list) and got[0] not in seen:
                inner = self._named_by(members, seen + (got[0],))
                if inner:
                    out |= inner
                    continue
            if got[2] not in GATEWAY_TYPES or got[2] in CLUSTER_MEMBERS:
                self._odd.add(got[1])
            out.add(got[1])
        return out

    def elsewhere(self, rec) -> str:
        """Why the rule is not installed where the package is ("" when it is, or may be): its install-on
        names only gateways that the package's listed targets do not hold."""
        mine = self.named(rec.data.get("install-on"))
        if not self.installed or not mine or mine & self.installed or mine & self._odd:
            return ""
        return "installed on %s only, which the package is not installed on (installation-targets: %s): never " \
               "installed" % (", ".join(sorted(redact(t) for t in mine)),
                              ", ".join(sorted(redact(t) for t in self.installed)))

    def unsure(self, rec, r) -> list:
        """Why the rule may not be installed on the audited gateway (its callers leave out a rule installed
        ``elsewhere``)."""
        odd = self.named(rec.data.get("install-on")) & self._odd
        if odd:
            return ["installed on %s, which is no gateway or cluster of the export: where the rule is installed is "
                    "not known" % ", ".join(sorted(redact(t) for t in odd))]
        if len(self.every) <= 1:
            return []
        mine = self.named(rec.data.get("install-on")) & (self.installed or self.every)
        if not mine or mine >= self.every:
            return []
        return ["installed on %s only: the policy names %d gateways and which one is audited is not known" % (
            ", ".join(sorted(redact(t) for t in mine)), len(self.every))]


def default_timeouts(source: Source | None, given: tuple | None = None) -> tuple:
    """The default TCP session timeout (the last record: any rule without its own).

    ``given``: (seconds, line) of Global Properties > Stateful Inspection > TCP session timeout
    (``show-global-properties``), the record pointing at that line.  Without it, Check Point's
    default, 3600 s: no line of the rulebase export sets it, and the record points at ``source``,
    the line naming the policy's first layer."""
    tcp = PacketSet([cube(proto=ISet.of(PROTO_TCP))])
    if given is not None:
        secs, src = given
        return (Timeout(tcp, secs, src, label="Global Properties > Stateful Inspection > TCP session timeout, %d s "
                        "(services with use-default-session-timeout)" % secs, default=True),)
    return (Timeout(tcp, DEFAULT_TCP_TIMEOUT, source, label=DEFAULT_TIMEOUT_LABEL, default=True),)


def one_path(stages: list) -> tuple:
    """The one path of a Check Point policy: every stage (ordered layer) for all traffic."""
    return (Path(None, None, tuple(stages), note=PATH_NOTE),) if stages else ()


def _once(table: dict, key: tuple, make):
    """``make()``, worked out once per distinct cell ``key`` (``table`` holds what it gave): each
    distinct cell of a rulebase once.  A cell holding inline objects (dicts) is not hashable: made
    each time."""
    try:
        got = table.get(key)
    except TypeError:  # (inline objects: not hashable)
        return make()
    if got is None:
        got = table[key] = make()
    return got

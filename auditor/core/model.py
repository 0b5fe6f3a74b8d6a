"""The vendor-neutral rule graph every parser produces.

Records are frozen and each carries the ``Source`` (path, line, quoted text)
it came from.  Nothing here knows any vendor: a parser translates its
vendor's semantics (security levels, chains, zones, default rules) into
``Path``s made of ``Stage``s of ordered ``Filter``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Sequence

from auditor.core.packets import ALL, NOTHING, ISet, PacketSet
from auditor.core.secrets import redact


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from. ``text`` is already redacted of secrets."""

    path: str
    line: int
    text: str

    def where(self) -> str:
        return "%s:%d" % (self.path, self.line)


class Action(str, Enum):
    PERMIT = "permit"
    DENY = "deny"


# connection states a rule can match (``Rule.states``, a mask)
NEW = 1  # the first packet of a connection
ESTABLISHED = 2  # every later packet of a connection, in either direction (replies included)
ANY_STATE = NEW | ESTABLISHED


@dataclass(frozen=True, slots=True)
class AddressRef:
    """An address written somewhere in the config, as the set it denotes."""

    addresses: ISet
    source: Source


@dataclass(frozen=True)
class Rule:
    """One ordered filter entry.

    ``match`` is the set the rule is known to match.  ``maybe`` is what it
    might match beyond that, because it refers to something that was not
    understood (an opaque line not understood at all has ``maybe = ALL``).
    The engine reports every packet that reaches a rule inside its ``maybe``
    part as ``unknown``: it never guesses.  ``sure_action`` says that only
    *whether* the rule matches is uncertain, not what it does when it does (an
    FQDN address, an App-ID application): a packet in ``maybe`` is then either
    decided by ``action`` here or goes on to the next rules, and its outcome is
    certain when every way it can go ends in the same action (a later rule or
    the default deciding it the same way); otherwise it is ``unknown``.  A
    parser sets it only where the action is known for certain.

    ``states`` says which packets of a connection the rule can match, as a
    mask of ``NEW`` (the first packet) and ``ESTABLISHED`` (every later
    packet, either direction): a Linux ``ct state established`` rule is
    ``ESTABLISHED``, ``ct state new`` is ``NEW``, ``ct state invalid`` is 0
    (it matches no packet of a valid connection); a rule with no state match
    is ``ANY_STATE``.  Only stateless stages (``Stage.stateful`` false) ever
    see the later packets.

    ``builtin`` marks a rule the platform adds that cannot be removed (Azure's
    DenyAllInBound): never reported as one to remove.  ``label`` names the rule
    where its line alone does not (a cloud rule's group, direction and ports).
    """

    filter: str
    index: int
    action: Action
    match: PacketSet
    source: Source
    enabled: bool = True
    maybe: PacketSet = NOTHING
    opaque: bool = False
    addresses: tuple[AddressRef, ...] = ()
    note: str = ""
    states: int = 3
    builtin: bool = False
    label: str = ""
    sure_action: bool = False


_new = object.__new__
_set = object.__setattr__


def new_rule(filter: str, index: int, action: Action, match: PacketSet, source: Source, enabled: bool = True,
             maybe: PacketSet = NOTHING, opaque: bool = False, addresses: tuple[AddressRef, ...] = (),
             note: str = "", states: int = ANY_STATE, builtin: bool = False, label: str = "",
             sure_action: bool = False) -> Rule:
    """``Rule(...)`` for a parser's hot loop: the same record, made in one step instead of
    the frozen dataclass's fourteen ``object.__setattr__`` calls (0.6 us instead of 1.4 us;
    tested equal)."""
    r = _new(Rule)
    _set(r, "__dict__", {"filter": filter, "index": index, "action": action, "match": match, "source": source,
                         "enabled": enabled, "maybe": maybe, "opaque": opaque, "addresses": addresses, "note": note,
                         "states": states, "builtin": builtin, "label": label, "sure_action": sure_action})
    return r


USER_CHAIN = "user-chain"  # ``Filter.kind`` of a chain reached only by jumps (see ``Filter``)
# ``Filter.kind`` of a list that decides only the device's own traffic, to or from it, where the model has no path
# for that traffic (an SRX's from-zone or to-zone junos-host policies): its broad permits open nothing to others
DEVICE_ONLY = "device-only"


@dataclass(frozen=True)
class Filter:
    """An ordered list of rules (an ACL, a chain, a security-group list).

    ``kind`` says what sort of list it is; the checks read three kinds: ``DEVICE_ONLY``, ``"derived"`` (it restates
    another filter, e.g. mirrored reply rules: not analysed on its own) and ``USER_CHAIN`` (a
    chain reached only by jumps, such as an iptables user-defined chain or an nftables regular
    chain: a packet that matches none of its rules goes back to the chain it came from, so its
    end decides nothing, and its rules' lines are also in the filters of the chains that jump
    to it, where those jumps' conditions may make them uncertain).
    """

    name: str
    rules: tuple[Rule, ...]
    source: Source | None = None
    kind: str = "acl"


@dataclass(frozen=True)
class Stage:
    """One decision point on a path: filters evaluated in order, first match wins.

    When no rule matches, ``default`` decides, attributed to
    ``default_source`` (the line that makes the default, e.g. the last line
    of the ACL or the ``access-group``), and ``default_reason`` in words.

    ``stateful``: the device keeps a connection table for this stage, so the
    later packets of a connection it permitted (replies included) pass
    without its rules being consulted (an ASA ACL, a zone policy, a security
    group).  A stateless stage (an iptables chain, a router ACL, a network
    ACL) decides every packet by its rules, replies included: its rules'
    ``states`` say which packets they can match.

    ``sees`` is which form of the packet the rules match when the device
    translates addresses (``Config.nat``): ``"routed"`` (default) the packet
    after destination NAT (``Nat.when == "pre-routing"``), as routed;
    ``"sent"`` the packet as the client sent it, before any NAT (an ASA
    before 8.3, PAN-OS security rules, an IOS inbound ACL on the outside);
    ``"final"`` after source NAT too (``"post-routing"``: an IOS outbound ACL).

    ``drop_route``: the stage stands for a route that drops what it routes (to Null0, a blackhole,
    ``discard``): its default is that route's line, and a fix changes the route, not a rule.

    ``stateless_protocols``: of a stateful stage, the IP protocols it keeps no connection for, whose later packets
    and replies its rules decide as a stateless stage's (an ASA's ICMP without ``inspect icmp``: "For connectionless
    protocols such as ICMP, however, the ASA establishes unidirectional sessions").

    ``replies``: the stage decides the packets by what the device does with their replies (its rules
    are the other direction's entries, mirrored: an AWS network ACL's): what it drops is a connection
    whose replies are dropped, and its findings show the reply.
    """

    name: str
    filters: tuple[str, ...]
    default: Action
    default_source: Source | None
    default_reason: str
    stateful: bool = True
    sees: str = "routed"
    drop_route: bool = False
    replies: bool = False
    stateless_protocols: tuple[int, ...] = ()


@dataclass(frozen=True)
class Interface:
    """A routed interface and the networks connected to it.  ``table`` names the routing table it is
    in (a VRF, routing instance or virtual router; ``""`` the device's main one): its routes decide
    where the traffic that enters it goes."""

    name: str
    networks: ISet
    source: Source
    security_level: int | None = None
    zone: str | None = None
    address_refs: tuple[AddressRef, ...] = ()
    table: str = ""


@dataclass(frozen=True)
class Route:
    """A static route.  Of routes to one prefix the lowest ``preference`` is used (the vendor's
    administrative distance, then its metric or priority; ``()`` when the config gives none), then
    the first in the config; a tie over two interfaces is for the parser to report.  ``table`` is
    the routing table the route is in (``Interface.table``); its interface may be in another one (a
    route leaking into another VRF or virtual router, as the parser resolved it).  A route with
    ``next_table`` hands what it routes to that table's lookup (PAN-OS ``next-vr``, Junos
    ``next-table``): its ``interface`` is then not used."""

    prefix: ISet
    prefix_len: int
    interface: str
    source: Source
    preference: tuple[int, ...] = ()
    table: str = ""
    next_table: str | None = None


@dataclass(frozen=True)
class Path:
    """How traffic entering ``ingress`` and leaving ``egress`` is decided.

    ``None`` for ingress/egress matches any interface (a host firewall or a
    single policy).  ``stages`` must all permit.  A path with
    ``crosses=False`` is traffic the device does not filter (e.g. both ends
    on one interface subnet).

    ``local`` marks host-firewall paths: ``"in"`` for traffic addressed to
    the device itself (e.g. an INPUT chain), ``"out"`` for traffic it sends
    (OUTPUT); ``None`` is transit traffic (FORWARD, an ASA interface pair).
    Which addresses are the device's own comes from
    ``Config.local_addresses`` (set from ``--host``); when unknown, a config
    with only local paths is taken to be the host under audit, and one with
    transit paths as well is evaluated as a router (transit only).

    ``scope`` narrows the path to some packets of its interface pair (e.g.
    both ends on one connected subnet of an interface, which never reach the
    firewall, as opposed to traffic routed back out of the interface it came
    in on), judged on the packet as sent (before a pre-routing NAT: one sent to
    a mapped address reaches the firewall whatever its translation).  Paths
    are taken in order: a packet belongs to the first path whose interfaces
    (and scope) hold it.

    ``nat`` (the sources of pre-routing NAT rules) makes the path one that only the packets one of
    those rules translated take, and no other packet: what a translation that also passes
    decides (pf's ``rdr pass``, whose redirected packets skip the inbound filter rules while a
    packet sent straight to the internal address meets them).
    """

    ingress: str | None
    egress: str | None
    stages: tuple[Stage, ...]
    crosses: bool = True
    note: str = ""
    local: str | None = None
    scope: PacketSet | None = None
    nat: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Rewrite:
    """How a NAT rule rewrites one dimension of a packet (``packets.DIMENSIONS`` index).

    A value ``v`` becomes ``v + offset`` (a static NAT of one host or block
    onto another of the same size, a static port translation), or, when
    ``pool`` is set, some value of ``pool`` that the device chooses (dynamic
    NAT, PAT, a load-balanced pool): which one is not known in advance.
    """

    dim: int  # 0 src, 1 dst, 3 sport, 4 dport
    offset: int = 0
    pool: ISet | None = None


@dataclass(frozen=True)
class NatRule:
    """One address translation, as the device matches it.

    ``match`` is the packets it translates, as they reach this NAT table;
    ``rewrites`` what it does to them (none: identity NAT, which exempts the
    packets from the rules after it).  ``ingress``/``egress`` restrict it to
    packets entering / leaving those interfaces (empty: any).  ``maybe`` is
    what it might also translate (a part not understood): the engine reports
    packets there as ``unknown``.  ``paired`` (a post-routing rule): it applies
    only to packets a pre-routing rule of the same line (``source``) matched, the
    second half of one translation whose match the first half decided (an ASA
    twice NAT rule matches a packet's source and destination together, the
    destination as sent: a packet that reaches the rule's real destination
    without that untranslation is not one of its packets).
    """

    match: PacketSet
    rewrites: tuple[Rewrite, ...]
    source: Source
    ingress: tuple[str, ...] = ()
    egress: tuple[str, ...] = ()
    maybe: PacketSet = NOTHING
    label: str = ""
    paired: bool = False


@dataclass(frozen=True)
class Nat:
    """A NAT table: its rules in the device's order, first match wins; unmatched packets pass as they are.

    ``when``: ``"pre-routing"`` translations are applied as the packet
    arrives, before the route lookup (destination NAT, an ASA's untranslation
    of a mapped address, port forwards): the egress interface is chosen on
    the translated destination.  ``"post-routing"`` ones as it leaves, after
    the filters that see ``"routed"`` packets (source NAT, PAT).

    ``rpf_check`` (a post-routing table): the device looks a new connection's reply up in its NAT tables as it
    looks up the first packet (a NAT reverse-path check): the reply as the first packet's receiver sends it back
    (addresses and ports of the first packet as it leaves, swapped), entering the first packet's egress and
    leaving by its ingress, through the pre-routing tables and the checked post-routing ones.  A connection whose
    first packet matched no NAT rule, but whose reply matches one (identity NAT too), is dropped after the access
    rules; where the first packet matched some rule and the reply a rule other than those, the outcome is not
    modelled (unknown).
    """

    name: str
    rules: tuple[NatRule, ...]
    when: str = "pre-routing"
    rpf_check: bool = False


@dataclass(frozen=True)
class Timeout:
    """An idle-timeout setting and the traffic it applies to.

    ``idle_seconds`` ``None`` means the connection never times out (unless ``unknown``).
    ``interfaces`` restricts the setting to flows entering those interfaces
    (empty: every flow).  ``rule`` (filter name, rule index) restricts it to
    connections that rule permits (a per-policy or per-application timeout of
    a zone firewall); ``permitted_by`` (a filter name) to the packets that
    filter, evaluated on its own, permits; ``paths`` to the paths of those
    kinds, by their ``Path.local`` (None: transit; the field None: every
    path).  Settings are ordered by precedence; the first one whose ``match``
    contains a packet (and whose ``rule``, if any, decided it) is in force
    for it.

    Where the device translates addresses, ``match`` is written in the form of the packets its rule's
    stage sees (``Stage.sees``); a setting tied to no rule in the form ``sees`` names.
    """

    match: PacketSet
    idle_seconds: int | None
    source: Source | None
    dcd: bool = False
    reset: bool = False
    interfaces: tuple[str, ...] = ()
    label: str = ""
    default: bool = False
    through: str = ""  # a device the site's ``through`` list must name for this record to apply
    rule: tuple[str, int] | None = None
    permitted_by: str = ""  # only packets this filter permits (e.g. an ASA class-map's 'match access-list')
    sees: str = "final"  # (no ``rule``) the form of the packets ``match`` is written in, as ``Stage.sees``
    paths: tuple[str | None, ...] | None = None  # only on paths whose ``Path.local`` is one of these
    # the timer of these connections is not in the configuration (``label`` says why): the check says
    # unknown for them, never pass or fail (``idle_seconds`` is then None and means nothing)
    unknown: bool = False


class Impact(str, Enum):
    """What an unrecognized line could affect."""

    NONE = "none"  # a line the parser knows does not affect filtering
    FILTER = "filter"  # a line inside one filter (see ``scope``)
    GLOBAL = "global"  # could change any verdict


@dataclass(frozen=True)
class Diagnostic:
    """A parser report: a line not understood, or an undefined reference."""

    code: str  # CFG300, CFG301, ...
    message: str
    source: Source
    impact: Impact = Impact.GLOBAL
    scope: str = ""
    # addresses it says nothing about: not reported when the host's own addresses (``Config.local_addresses``,
    # from ``--host``) are all among them
    moot_for: ISet | None = None

    def __post_init__(self) -> None:
        # (a message may quote a token of the line: redacted like the line itself)
        object.__setattr__(self, "message", redact(self.message))


@dataclass(frozen=True)
class NamedObject:
    """A named address or service object or group, resolved (nested groups followed).

    ``addresses`` is set for address objects, ``services`` (packets over any
    address) for service, protocol and ICMP-type objects.  ``complete`` is
    false when a member was not understood or not defined, so the set is a
    lower bound.  ``members`` are the lines that define it.
    """

    name: str
    kind: str  # address | service
    source: Source
    members: tuple[Source, ...] = ()
    addresses: ISet | None = None
    services: PacketSet | None = None
    complete: bool = True


@dataclass(frozen=True)
class Profile:
    """A host-firewall profile state (e.g. Windows Firewall Domain/Private/Public); ``enabled`` None: the
    input does not say (a rule dump alone), ``source`` then the line the rules were read from."""

    name: str
    enabled: bool | None
    source: Source


@dataclass(frozen=True)
class LeftOut:
    """A part of the input that the config leaves out of its review: another device in the same input (a
    FortiOS VDOM other than the one reviewed) or a policy the device does not install (a Check Point layer
    outside the package).  ``part`` names it alike in every version of the input; ``source`` is its first
    line.  ``says`` is what it says, entry by entry (the input's own lines, or its records written out: only
    ever compared, never shown, as they may hold secrets), ``spans`` the entries that are the part's
    (0-based, end excluded), ``at`` the line of each entry in ``source``'s file (None: entry k is line
    k + 1).  A change review compares two versions' parts: what changes there is not reviewed, and the
    review cannot pass it."""

    part: str
    source: Source
    spans: tuple[tuple[int, int], ...]
    says: Sequence[str] = field(default=(), compare=False, repr=False)
    at: Sequence[int] | None = field(default=None, compare=False, repr=False)

    def entries(self) -> list[tuple[int, str]]:
        """(line, text) of each entry of the part, in order."""
        at = self.at
        return [(at[k] if at is not None else k + 1, self.says[k]) for i, j in self.spans for k in range(i, j)]


@dataclass(frozen=True, eq=False)
class Config:
    """One parsed input: the whole normalized rule graph of one device.

    ``head`` is the input's first line (the source of findings about the
    device as a whole); ``remarks`` the remarks and comments written in
    filters, as ``(filter name, Source)`` (inline waivers are read from
    them); ``nat`` the address translations, in the order the device applies
    them.  ``aux`` is the vendor's own data for its ``combine`` hook: nothing
    above ``parsers/`` reads it.  Configs compare and hash by identity, so the
    engine can keep what it derives from one beside it (never inside it).

    ``learned_routes`` are the lines that enable a dynamic routing protocol
    (OSPF, BGP, EIGRP, RIP, IS-IS): the device may then hold routes the input
    does not show, and a learned route more specific than the configured ones
    takes a destination (or brings a source) through another interface, where
    other rules decide it.  Only the connected networks are routed for certain:
    the engine reports packets from or to any other address as unknown, at the
    first of these lines.  ``learned_space`` is the addresses those protocols
    route, by address family (``ALL_V4`` for OSPFv2, RIP or classic EIGRP alone,
    ``ALL_V6`` for OSPFv3 or RIPng alone; None: both, or not known).

    ``unsettled_routes`` are addresses whose route the configuration does not settle, each with the
    line that makes it so and why (a tracked static route the device withdraws when its tracked object
    goes down, two routes of one distance the device chooses between at run time): packets from or to
    them are reported as unknown at that line; the routes give the rest as certain.
    """

    path: str
    vendor: str
    lines: int
    filters: dict[str, Filter]
    paths: tuple[Path, ...]
    interfaces: tuple[Interface, ...] = ()
    routes: tuple[Route, ...] = ()
    timeouts: tuple[Timeout, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    address_refs: tuple[AddressRef, ...] = ()
    profiles: tuple[Profile, ...] = ()
    objects: tuple[NamedObject, ...] = ()
    ignored_lines: int = 0
    local_addresses: ISet | None = None
    head: Source | None = None
    remarks: tuple[tuple[str, Source], ...] = ()
    nat: tuple[Nat, ...] = ()
    aux: Any = None
    learned_routes: tuple[Source, ...] = ()
    learned_space: ISet | None = None
    unsettled_routes: tuple[tuple[ISet, Source, str], ...] = ()
    # addresses of the platform's own services the device lets in by design (Azure's 168.63.129.16: health
    # probes, DHCP, DNS): no party outside the site, so exposure (PRN150) leaves them out
    platform_sources: ISet | None = None
    # parts of the input not reviewed as this device (``LeftOut``): the change gate says when a change alters one
    left_out: tuple[LeftOut, ...] = ()
    # every rule of its stages, understood or not, can only let a packet go on as it is or drop it: none rewrites,
    # redirects, marks or policy-routes it (an access-list entry, an NSG rule; NAT and forwarding are tables of
    # their own), so the packets a rule of uncertain action leaves unknown still meet the later stages, and one
    # of those that certainly drops them decides them (``auditor.engine``, ``Outcome.onward``); set by its parser
    # (not for Linux, pf, Junos or FortiOS, where a rule of uncertain action may redirect, mark, queue, policy-route
    # or tunnel the packet)
    verdicts_only: bool = False
    # the stages the device looks filters up in, where no path of the model may hold them (an SRX zone pair's
    # policies, then the global ones, then the default policy, for a zone with no interface modelled or a
    # policy fragment with no zones): how ``explain --filter`` ends a filter no path holds (``explained_stage``)
    lookups: tuple[Stage, ...] = ()

    @property
    def unrecognized(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.reported() if d.code == "CFG300")

    def reported(self) -> tuple[Diagnostic, ...]:
        """The diagnostics that concern the host (``Diagnostic.moot_for``)."""
        own = self.local_addresses
        return tuple(d for d in self.diagnostics
                     if d.moot_for is None or own is None or not own or not own.issubset(d.moot_for))

    def verdict_affecting(self) -> tuple[Diagnostic, ...]:
        """Diagnostics that could change any flow's verdict."""
        return tuple(d for d in self.reported() if d.impact is Impact.GLOBAL)


__all__ = [
    "ALL", "ANY_STATE", "ESTABLISHED", "NEW", "Action", "AddressRef", "Config", "Diagnostic", "Filter", "Impact",
    "Interface", "LeftOut", "NamedObject", "Nat", "NatRule", "Path", "Profile", "Rewrite", "Route", "Rule", "Source",
    "Stage", "Timeout",
]

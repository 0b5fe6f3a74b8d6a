"""One VDOM of a FortiOS configuration -> the model (interfaces, zones, routes, objects, policies).

``Parser(text, path, vdom)`` reads the tree (``scan``), keeps the blocks that belong to the
chosen VDOM (and the global ones), and builds the ``Config``.  The semantics, each cited in
the tests:

* policies are matched top down in the order they appear (not by ID), first match wins; an
  unmatched packet meets the implicit deny (policy 0);
* a policy's ``action`` defaults to ``deny``; ``status disable`` turns it off;
* ``srcintf``/``dstintf`` name interfaces, zones (or SD-WAN zones) or ``any``; traffic
  between two interfaces of one zone with ``set intrazone allow`` is permitted when no policy
  matches it;
* VIPs (destination NAT) are applied before the policy lookup; in the default (policy-based
  NAT) mode a policy sees a VIP's traffic only through the VIP named in its ``dstaddr`` (or a
  deny policy with ``match-vip``), as the packet the client sent, see ``nat.py``;
* idle timeouts: ``session-ttl`` of services, then of policies, then the system's port
  ranges, then its default (3600 s), see ``timeouts.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from auditor.core.model import (
    Action,
    Config,
    Impact,
    Interface,
    Route,
    Source,
    Stage,
)
from auditor.core.packets import ALL_V6, EMPTY, ISet
from auditor.core.routing import equal_cost
from auditor.core.secrets import MASK
from parsers.fortios import ignored as IG
from parsers.fortios import profiles as PROF
from parsers.fortios.lines import FortiLines, compared
from parsers.fortios.objects import PORT_PROTOCOLS, Book, Entry, apply
from parsers.fortios.policy import USED as POLICY_USED
from parsers.fortios.scan import Node, Stmt, Tree, _closes, _open_quote, scan
from parsers.fortios.services import number
from parsers.kit import InputError
from parsers.kit.addr import cidr_set
from parsers.kit.routes import PROTOCOL_FAMILY, drop_egress, drop_paths, learned_space, report_tie

NAME = "fortios"
_VERSION = re.compile(r"#config-version=[^-]+-(\d+)\.(\d+)\.(\d+)")
# a table's command other than 'edit' (FortiGate Handbook, "Sub-commands": 'clone 27 to 30' copies policy 27 as
# policy 30; 'rename'): it makes or renames entries the model does not follow
OUTSIDE_EDIT = "statement outside an 'edit' entry (it may make or rename entries: the table is not known)"
_OBJECT_BLOCKS = {
    ("firewall", "address"): "addr", ("firewall", "address6"): "addr6", ("firewall", "addrgrp"): "grp",
    ("firewall", "addrgrp6"): "grp6", ("firewall", "vip"): "vip", ("firewall", "vipgrp"): "vipgrp",
    ("firewall", "vip6"): "vip6",
    ("firewall", "service", "custom"): "svc", ("firewall", "service", "group"): "svcgrp",
}
# a VIP's settings as 'show full-configuration' writes them: its custom ID, and settings of the load-balancing
# types, which are reported themselves (FortiOS CLI Reference, "config firewall vip"): read, with no effect on the match
_VIP_FULL = ("id", "persistence", "monitor", "http-ip-header", "http-ip-header-name", "http-multiplex",
             "outlook-web-access", "weblogic-server", "websphere-server", "user-agent-detect", "client-cert",
             "empty-cert-action", "ssl-mode", "ssl-certificate")
# object settings the resolution reads (everything else: COMMON_NO_EFFECT or reported)
_OBJECT_KEYS = {
    "addr": {"type", "subnet", "start-ip", "end-ip", "fqdn", "country", "wildcard", "wildcard-fqdn", "interface",
             "sdn", "sub-type", "macaddr", "start-mac", "end-mac", "cache-ttl", "route-tag", "obj-id", "filter",
             "list", "sdn-addr-type", "organization", "clearpass-spt", "epg-name", "tenant", "node-ip-only",
             "policy-group", "fsso-group", "hw-vendor", "hw-model", "os", "sw-version"},
    "addr6": {"type", "ip6", "start-ip", "end-ip", "fqdn", "country", "sdn", "host", "host-type", "template",
              "subnet-segment", "macaddr", "route-tag", "obj-id", "epg-name", "tenant", "sdn-tag", "list",
              "cache-ttl"},
    "grp": {"member", "exclude", "exclude-member", "type"},
    "grp6": {"member", "exclude", "exclude-member", "type"},
    "vip": {"extip", "mappedip", "extintf", "portforward", "protocol", "extport", "mappedport", "type",
            "srcintf-filter", "src-filter", "arp-reply", "nat-source-vip", "portmapping-type", "status",
            "ldb-method", "server-type", "realservers", "http-redirect", "gratuitous-arp-interval",
            "service", "h2-support", "h3-support", "nat44", "nat46", "add-nat46-route", "ipv6-mappedip",
            "ipv6-mappedport", "dns-mapping-ttl", "extaddr", "mapped-addr", "max-embryonic-connections",
            *_VIP_FULL},
    "vipgrp": {"member", "interface"},
    # (FortiOS CLI Reference, "config firewall vip6": only 'extip', 'src-filter' and 'status' are read, see
    # nat.Vips.vip6_tables; the others change how its traffic is translated, which is not modelled)
    "vip6": {"id", "type", "src-filter", "extip", "mappedip", "nat-source-vip", "arp-reply", "portforward",
             "protocol", "extport", "mappedport", "ldb-method", "server-type", "http-redirect", "persistence",
             "nat66", "nat64", "ipv4-mappedip", "ipv4-mappedport", "add-nat64-route", "embedded-ipv4-address",
             "max-embryonic-connections", "h2-support", "h3-support", "status"},
    "svc": {"protocol", "tcp-portrange", "udp-portrange", "sctp-portrange", "protocol-number", "icmptype",
            "icmpcode", "iprange", "fqdn", "session-ttl", "proxy", "helper", "check-reset-range",
            "tcp-halfclose-timer", "tcp-halfopen-timer", "tcp-timewait-timer", "tcp-rst-timer", "udp-idle-timer",
            "app-service-type", "app-category", "application", "name"},
    "svcgrp": {"member", "proxy"},
}
# application list settings that drop nothing (FortiOS CLI Reference, "config application list": comments,
# replacement messages, logging, deep inspection of identified applications, 'options allow-dns ...' ("basic
# application protocol signatures allowed by default"))
_APP_LIST_HARMLESS = frozenset(("comment", "replacemsg-group", "extended-log", "other-application-log",
                                "unknown-application-log", "app-replacemsg", "deep-app-inspection", "options",
                                "force-inclusion-ssl-di-sigs", "uuid"))
_NO_MATCH_EFFECT = {
    "proxy", "helper", "check-reset-range", "tcp-halfclose-timer", "tcp-halfopen-timer", "tcp-timewait-timer",
    "tcp-rst-timer", "udp-idle-timer", "arp-reply", "nat-source-vip", "gratuitous-arp-interval", "http-redirect",
    "h2-support", "h3-support", "cache-ttl", "name", "max-embryonic-connections", "dns-mapping-ttl",
    "add-nat46-route", *_VIP_FULL,
}


def version(text: str) -> tuple[int, int, int] | None:
    """The firmware version in a ``#config-version=`` header (None when absent)."""
    m = _VERSION.search(text[:4096])
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def vdom_layout(tree) -> tuple[list[Node], dict[str, list[Node]], dict[str, int]]:
    """(global blocks, VDOM name -> its blocks, VDOM name -> the line declaring it).

    Without VDOMs every top-level block belongs to the one VDOM, named ``root``.
    """
    glob: list[Node] = []
    per: dict[str, list[Node]] = {}
    decl: dict[str, int] = {}
    multi = any(b.path == ("vdom",) for b in tree.root.blocks())
    for b in tree.root.blocks():
        if b.path == ("vdom",) and multi:
            for e in b.entries():
                decl.setdefault(e.name, e.line)
                per.setdefault(e.name, []).extend(e.blocks())
        elif b.path == ("global",) and multi:
            glob.extend(b.blocks())
        elif multi:
            glob.append(b)
        else:
            per.setdefault("root", []).append(b)
    if not multi:
        per.setdefault("root", [])
    return glob, per, decl


class Parser:
    """One parse of one VDOM (``vdom=None``: the only one, or the first when there are several)."""

    def __init__(self, text: str, path: str, vdom: str | None = None, others_reported: bool = True):
        self.path = path
        self.text = text
        self.lines, self.tree = forti_lines(text, path)
        self.version = version(text)
        self.glob, self.per, self.decl = vdom_layout(self.tree)
        names = list(self.per)
        if vdom is None:
            vdom = "root" if "root" in self.per else names[0]
        if vdom not in self.per:
            raise InputError("%s: no VDOM '%s' (VDOMs: %s)" % (path, vdom, ", ".join(names) or "none"))
        self.vdom = vdom
        self.multi = len(self.per) > 1 or bool(self.decl)
        self.others_reported = others_reported
        self.book = Book(self)
        self.iface_entries: dict[str, Entry] = {}
        self.iface_networks: dict[str, ISet] = {}
        self.iface_primary: dict[str, ISet] = {}  # (the network of an interface's 'set ip', not its secondaries)
        self.zones: dict[str, tuple[list[str], Entry]] = {}  # zone -> (members, entry)
        self.sdwan_zones: dict[str, list[str]] = {}
        self.routes: list[Route] = []
        self.learned: list[Source] = []  # the routing protocol blocks that learn routes
        self.unsettled: list[tuple[ISet, Source, str]] = []  # Config.unsettled_routes (ECMP routes)
        self.learned_families: set[int] = set()  # the address families they route (4, 6; 0: both)
        self.have_interfaces = False
        self.down: set[str] = set()  # interfaces set 'status down': no traffic enters or leaves them
        self.settings: dict[str, tuple[list[str], int]] = {}
        self.security_live = False  # whether an enabled NGFW security policy exists (config firewall security-policy)
        self.policies: list[Entry] = []  # in rulebase order (IPv4/consolidated, then policy6)
        self.policy_kind: dict[int, str] = {}  # id(entry) -> "policy" | "policy6" | "consolidated policy"
        # "policy" | "policy6" | "consolidated policy" -> its first 'config firewall ...' line
        self.policy_line: dict[str, int] = {}
        self.session_ttl: list = []  # statements of system session-ttl
        self.svc_unknown: list[tuple[Entry, Stmt]] = []  # custom services' settings not understood
        self.ttl_ports: list[Entry] = []
        self.app_ttl: dict[str, list[int]] = {}  # application list -> lines of its entries' session-ttl
        # IPv4 IP pool -> its 'startip', 'endip', 'permit-any-host' settings: (value or None, line)
        self.ippools: dict[str, dict[str, tuple[str | None, int]]] = {}
        # application list -> (line, why) of what in it may drop sessions a policy accepts (empty: nothing)
        self.app_drop: dict[str, list[tuple[int, str]]] = {}
        # firewall profile-group -> its settings read here (application-list, ips-sensor) -> their names
        self.profile_groups: dict[str, dict[str, list[str]]] = {}
        self.app_told: set[str] = set()  # application lists reported as dropping (once each)
        # (profile setting, name) -> [(line, why, protocols)] of what in it may block (profiles.py)
        self.profile_drop: dict[tuple[str, str], list] = {}
        # (protocol options or SSL profile setting, name) -> protocol -> its ports (None: every TCP port)
        self.profile_ports: dict[tuple[str, str], dict] = {}
        self.profile_proxy_only: set[int] = set()  # lines of what in a profile applies in proxy mode only
        self.ips_custom: int | None = None  # line of the first custom IPS signature ('config ips custom')
        self.route_entries: list[tuple[Entry, bool]] = []  # (static route, IPv6)
        self.policy_table: dict[tuple[str, str], Entry] = {}
        self.vdoms_told: set[str] = set()
        self.ipmac: list[tuple[str, int]] = []  # (interface, line) with IP/MAC binding on
        self.portal: dict[str, int] = {}  # interface -> the line of its 'security-mode' (captive portal, 802.1X)
        self.bindthroughfw: str | None = None  # config firewall ipmacbinding setting's bindthroughfw
        # 'config system global' (ipv6-)allow-traffic-redirect -> (its value, its line): policy.py, same-interface
        self.redirect: dict[str, tuple[str, int]] = {}
        # software switch -> the line and value of its 'intra-switch-policy' other than implicit (``policy._Hairpin``)
        self.explicit_switches: dict[str, tuple[int, str]] = {}
        # the line and reason that make recurring schedule 'always' less than every day, all day (None: it is not)
        self.always_narrowed: tuple[int, str] | None = None

    # --- walking ------------------------------------------------------------------------------
    def run(self) -> Config:
        ln = self.lines
        for i, _text in self.tree.comments:
            ln.ignore(i, "comment or backup header")
        for i in self.tree.prompts:
            ln.ignore(i, "CLI prompt pasted with the output")
        for i, why in self.tree.bad:
            ln.unrecognized(ln.source(i), why, Impact.GLOBAL)
        for i in self.tree.inside:
            ln.use(i)  # (part of the statement on the line before; accounted with it)
        # the VDOM declarations and the containers themselves
        for b in self.tree.root.blocks():
            if b.path in (("vdom",), ("global",)):
                ln.use(b.line)
                if b.close is not None:
                    ln.use(b.close)
                for e in b.entries():
                    ln.use(e.line)
                    if e.close is not None:
                        ln.use(e.close)
                    if b.path == ("vdom",) and e.name != self.vdom and e.blocks():
                        ln.leave_out(e.line, e.last_line() + 1, "VDOM '%s'" % e.name,
                                     "another VDOM (each VDOM is audited as its own device)")
                        if self.others_reported and e.name not in self.vdoms_told:
                            self.vdoms_told.add(e.name)
                            ln.unrecognized(ln.source(e.line), "VDOM '%s' is not part of this audit: each VDOM is "
                                            "its own device (audit it with --vdom %s)" % (e.name, e.name),
                                            Impact.NONE)
                for st in b.stmts():
                    ln.unrecognized(ln.source(st.line), "statement outside a VDOM entry", Impact.NONE)
        blocks = self.glob + self.per[self.vdom]
        # objects first (policies refer to them), then the rest in order
        for b in blocks:
            self.block(b)
        return self.finish()

    def block(self, b: Node) -> None:
        ln = self.lines
        p = b.path
        handler = _HANDLERS.get(p)
        if handler is not None:
            ln.use(b.line)
            if b.close is not None:
                ln.use(b.close)
            else:
                ln.unrecognized(ln.source(b.line), "block not closed with 'end' (truncated input?)", Impact.GLOBAL)
            handler(self, b)
            return
        if p in _LEARNING and _learns(b):
            self.learned.append(ln.source(b.line))  # (Config.learned_routes; its lines are ignored below)
            self.learned_families.add(PROTOCOL_FAMILY.get(p[1], 0))
        if p == ("application", "list"):
            self.app_lists(b)
        elif p == ("firewall", "profile-group"):
            for e in b.entries():
                got = self.profile_groups.setdefault(e.name, {})
                for st in e.stmts():
                    if st.key.lower() in _GROUP_SETTINGS:
                        got[st.key.lower()] = st.args if st.verb == "set" else []
        elif p in PROF.BLOCKS:
            PROF.read(self, b)
        elif p == ("firewall", "schedule", "recurring"):
            stmts = [st for e in b.entries() if e.name.lower() == "always" for st in e.stmts()]
            if stmts or any(e.name.lower() == "always" for e in b.entries()):
                line = next(e.line for e in b.entries() if e.name.lower() == "always")
                self.always_narrowed = _always_narrowed(line, stmts)
                if self.always_narrowed is not None:
                    ln.unrecognized(ln.source(self.always_narrowed[0]), "recurring schedule 'always' %s: the "
                                    "policies using it are reported" % self.always_narrowed[1], Impact.NONE)
        elif p == ("ips", "custom") and self.ips_custom is None and b.entries():
            self.ips_custom = b.entries()[0].line
        elif p == ("system", "switch-interface"):
            # "intra-switch-policy: Allow any traffic between switch interfaces or require firewall policies to
            # allow traffic between switch interfaces ... implicit: Traffic between switch members is implicitly
            # allowed. explicit: Traffic between switch members must match firewall policies" (default implicit;
            # FortiOS CLI Reference 7.4.0, "config system switch-interface")
            for e in b.entries():
                said = [st for st in e.stmts() if st.key.lower() == "intra-switch-policy"]
                self.explicit_switches.pop(e.name, None)
                if said and said[-1].verb == "set" and said[-1].args[:1] != ["implicit"]:
                    ln.use(said[-1].line)  # (the rest of the block: ignored below)
                    self.explicit_switches[e.name] = (said[-1].line, " ".join(said[-1].args))
        elif p == ("system", "global"):
            for st in b.stmts():
                key = st.key.lower()
                if key in _READ_SETTINGS:
                    ln.use(st.line, st.last + 1)  # (the rest of the block: ignored below)
                    if st.verb == "unset":
                        self.redirect.pop(key, None)
                    else:
                        self.redirect[key] = ((st.args or [""])[0].lower(), st.line)
                        if self.redirect[key][0] not in ("enable", "disable"):
                            ln.unrecognized(ln.source(st.line), "'%s' value not understood: the traffic routed "
                                            "back out of the interface it came in on is unknown where no policy "
                                            "permits it" % key, Impact.NONE)
        why = IG.block_reason(p)
        full = None if why is not None or p in _LEARNING else _unabbreviated(b)
        if full is not None:
            why = "'config %s' is 'config %s' shortened: %s" % (" ".join(b.words), " ".join(full),
                                                             IG.block_reason(full))
        if why is not None:
            ln.ignore(b.line, why, b.last_line() + 1)
            return
        if not b.items and b.close is not None:
            # 'config X' then 'end': a table without entries, or settings all left at their defaults, as
            # when the block is absent (a backup writes every table of the VDOM, the empty ones so)
            ln.ignore(b.line, "an empty block: nothing configured", b.close + 1)
            return
        impact = Impact.NONE if IG.harmless(p) else Impact.GLOBAL
        ln.unrecognized(ln.source(b.line), "configuration block 'config %s' is not understood" % " ".join(b.words),
                        impact)
        ln.ignore(b.line, "inside a block not understood (reported at its first line)", b.last_line() + 1)

    def entries_of(self, b: Node, kind: str, table: dict[str, Entry]) -> None:
        """Object entries of block ``b`` into ``table`` (a later edit of a name amends it)."""
        ln = self.lines
        for st in b.stmts():
            # ('clone A to B', 'rename A to B' in a CLI script: they make or rename entries; a backup has none)
            ln.unrecognized(ln.source(st.line), OUTSIDE_EDIT, Impact.GLOBAL)
        for sub in b.blocks():
            self.block(sub)
        for e in b.entries():
            ent = table.get(e.name)
            if ent is None:
                ent = table[e.name] = Entry(e.name, e.line, kind)
            ent.lines.append(e.line)
            self.entry_statements(e, ent, kind)
            ln.use_span(e.line, e.last_line())

    def entry_statements(self, e: Node, ent: Entry, kind: str) -> None:
        ln = self.lines
        known = _OBJECT_KEYS.get(kind, set())
        for it in e.items:
            if isinstance(it, Node):
                if kind in ("vip", "vip6") and it.path == ("realservers",):
                    ln.use(it.line, it.last_line() + 1)
                    ent.settings["realservers"] = (["(block)"], [it.line])
                    continue
                if it.path == ("tagging",):
                    # FortiOS CLI Reference, "config firewall address" (7.0): 'config tagging' ("Config object
                    # tagging": a category and tags, of 'config system object-tagging'), labels of the object
                    ln.ignore(it.line, "object tags", it.last_line() + 1)
                    continue
                ln.unrecognized(ln.source(it.line), "block 'config %s' inside %s %s is not understood"
                                % (" ".join(it.words), kind, ent.name), Impact.GLOBAL)
                ln.ignore(it.line, "inside a block not understood (reported at its first line)", it.last_line() + 1)
                continue
            key = it.key.lower()
            if kind == "svc" and key == "protocol" and it.verb == "set":
                for k in ("tcp-portrange", "udp-portrange", "sctp-portrange", "protocol-number", "icmptype",
                          "icmpcode"):
                    ent.settings.pop(k, None)
            if key in known:
                if key in _NO_MATCH_EFFECT:
                    ln.ignore(it.line, "object setting with no effect on what it matches", it.last + 1)
                apply(ent, it, key)  # (used: marked with the whole entry)
            elif key in IG.COMMON_NO_EFFECT:
                ln.ignore(it.line, IG.COMMON_NO_EFFECT[key] or "object label", it.last + 1)
            elif kind == "svc":
                self.svc_unknown.append((ent, it))  # (reported once the service's protocol is known: finish)
            else:
                ln.unrecognized(ln.source(it.line), "setting '%s' of %s %s is not understood"
                                % (it.key, _KIND_WORDS[kind], ent.name), Impact.GLOBAL)

    # --- handlers ------------------------------------------------------------------------------
    def objects(self, b: Node) -> None:
        kind = _OBJECT_BLOCKS[b.path]
        self.entries_of(b, kind, getattr(self.book, kind))

    def interfaces(self, b: Node) -> None:
        ln = self.lines
        self.have_interfaces = True
        for e in b.entries():
            vd = None
            for st in e.stmts():
                if st.key.lower() == "vdom" and st.args:
                    vd = st.args[0]
            if self.multi and vd is not None and vd != self.vdom:
                ln.leave_out(e.line, e.last_line() + 1, "VDOM '%s'" % vd, "interface of another VDOM")
                continue
            ln.use(e.line)
            if e.close is not None:
                ln.use(e.close)
            ent = self.iface_entries.get(e.name) or Entry(e.name, e.line, "interface")
            self.iface_entries[e.name] = ent
            for it in e.items:
                if isinstance(it, Stmt):
                    key = it.key.lower()
                    if key in ("ip", "vdom", "mode", "secondary-ip", "status", "type"):
                        ln.use(it.line)
                        apply(ent, it)
                    elif key == "security-mode" and it.args[:1] != ["none"]:
                        # "security-mode: Turn on captive portal authentication for this interface" (none,
                        # captive-portal, 802.1X: FortiOS CLI Reference, "config system interface"): its users
                        # must log in before the policies pass their traffic (policy._portal)
                        ln.use(it.line)
                        self.portal[e.name] = it.line
                    elif key == "ipmac" and it.args[:1] == ["enable"]:
                        ln.use(it.line)
                        self.ipmac.append((e.name, it.line))  # (reported in finish unless bindthroughfw is off)
                    elif key == "src-check" and it.args[:1] == ["disable"]:
                        # RPF (anti-spoofing) is on for every interface by default and drops a packet whose
                        # source the FortiGate does not route back through the interface it came in on;
                        # 'set src-check disable' turns it off there (Fortinet KB FD30543, "Details about
                        # FortiOS RPF (Reverse Path Forwarding), also called Anti-Spoofing"; FortiGate
                        # Infrastructure Study Guide 7.0: "To disable RPF on an interface, you must disable
                        # the source check"). The model lets a source in only where it is routed
                        ln.unrecognized(ln.source(it.line), "interface %s does not check sources (RPF off): "
                                        "packets from any address, routed elsewhere or spoofed, may come in "
                                        "through it; the model lets a source in only where it is routed"
                                        % e.name, Impact.GLOBAL)
                    elif key == "vrf" and it.args and it.args[0] != "0":
                        # (an interface in VRF N routes by that VRF's table, and VRF 0 holds the routes of
                        # every VRF: FortiOS administration guide, "VRF routing support" and "Support cross-VRF
                        # local-in and local-out traffic"): not modelled
                        ln.unrecognized(ln.source(it.line), "interface %s is in VRF %s: FortiOS's VRF routing "
                                        "tables are not modelled" % (e.name, it.args[0]), Impact.GLOBAL)
                    else:
                        ln.ignore(it.line, "interface option with no effect on policy matching", it.last + 1)
                elif it.path == ("ipv6",):
                    ln.use(it.line)
                    if it.close is not None:
                        ln.use(it.close)
                    for st in it.stmts():
                        if st.key.lower() in ("ip6-address", "ip6-mode"):
                            ln.use(st.line)
                            apply(ent, st)
                        else:
                            ln.ignore(st.line, "IPv6 interface option with no effect on policy matching", st.last + 1)
                    for sub in it.items:
                        if isinstance(sub, Node) and sub.path == ("ip6-extra-addr",):
                            # "config ip6-extra-addr: Extra IPv6 address prefixes of interface" / "edit
                            # <prefix>" (CLI Reference, "config system interface"): networks of the interface,
                            # as 'config secondaryip' is for IPv4
                            ln.use(sub.line, sub.last_line() + 1)
                            extra = ent.settings.setdefault("ip6-extra", ([], []))
                            for se in sub.entries():
                                extra[0].append(se.name)
                                extra[1].append(se.line)
                        elif isinstance(sub, Node):
                            ln.ignore(sub.line, "IPv6 interface option with no effect on policy matching",
                                      sub.last_line() + 1)
                elif it.path == ("secondaryip",):
                    ln.use(it.line)
                    if it.close is not None:
                        ln.use(it.close)
                    for se in it.entries():
                        if not (se.name.isascii() and se.name.isdigit()):
                            # ('edit <id>', an integer: CLI Reference, "config system interface" / "config
                            # secondaryip"): refused by the CLI, so the interface has no such address
                            ln.unrecognized(ln.source(se.line), "secondary address ID '%s' is not a number: "
                                            "FortiOS refuses the entry, which the interface does not have"
                                            % se.name, Impact.NONE)
                            ln.ignore(se.line + 1, "inside a refused secondary address entry", se.last_line() + 1)
                            continue
                        ln.use(se.line)
                        if se.close is not None:
                            ln.use(se.close)
                        for st in se.stmts():
                            if st.key.lower() == "ip":
                                ln.use(st.line)
                                ent.settings.setdefault("secondary", ([], []))
                                ent.settings["secondary"][0].append(" ".join(st.args))
                                ent.settings["secondary"][1].append(st.line)
                            else:
                                ln.ignore(st.line, "secondary address option", st.last + 1)
                else:
                    ln.ignore(it.line, "interface sub-block with no effect on policy matching", it.last_line() + 1)

    def zone(self, b: Node) -> None:
        ln = self.lines
        for e in b.entries():
            ln.use(e.line)
            if e.close is not None:
                ln.use(e.close)
            ent = Entry(e.name, e.line, "zone")
            for it in e.items:
                if isinstance(it, Stmt) and it.key.lower() in ("interface", "intrazone"):
                    ln.use(it.line)
                    apply(ent, it)
                elif isinstance(it, Stmt) and it.key.lower() in ("description", "tagging"):
                    ln.ignore(it.line, "zone label")
                else:
                    ln.ignore(it.line, "zone label", (it.last if isinstance(it, Stmt) else it.last_line()) + 1)
            self.zones[e.name] = (list(ent.get("interface", [])), ent)

    def sdwan(self, b: Node) -> None:
        """SD-WAN (``system sdwan``, 6.x ``system virtual-wan-link``): its zones group member interfaces."""
        ln = self.lines
        zones: dict[str, list[str]] = {}
        rules: list = []  # the enabled SD-WAN rules ('config service')
        old = b.path == ("system", "virtual-wan-link")
        for it in b.items:
            if isinstance(it, Node) and it.path == ("members",):
                ln.use(it.line)
                if it.close is not None:
                    ln.use(it.close)
                for e in it.entries():
                    ln.use(e.line)
                    if e.close is not None:
                        ln.use(e.close)
                    iface, zone = None, "virtual-wan-link"
                    for st in e.stmts():
                        k = st.key.lower()
                        if k == "interface" and st.args:
                            iface = st.args[0]
                            ln.use(st.line)
                        elif k == "zone" and st.args and not old:
                            zone = st.args[0]
                            ln.use(st.line)
                        else:
                            ln.ignore(st.line, "SD-WAN member option (link steering)", st.last + 1)
                    if iface:
                        zones.setdefault(zone, []).append(iface)
            elif isinstance(it, Node) and it.path == ("zone",):
                ln.use(it.line)
                if it.close is not None:
                    ln.use(it.close)
                for e in it.entries():
                    zones.setdefault(e.name, [])
                    ln.use(e.line)
                    if e.close is not None:
                        ln.use(e.close)
                    for sub in e.items:
                        ln.ignore(sub.line, "SD-WAN zone option",
                                  (sub.last if isinstance(sub, Stmt) else sub.last_line()) + 1)
            elif isinstance(it, Node) and it.path == ("service",):
                ln.ignore(it.line, "SD-WAN steering (which member carries the traffic)", it.last_line() + 1)
                rules = _enabled_entries(it)
            elif isinstance(it, Node):
                ln.ignore(it.line, "SD-WAN steering (which member carries the traffic)", it.last_line() + 1)
            else:
                ln.ignore(it.line, "SD-WAN option (link steering)", it.last + 1)
        for z, members in zones.items():
            self.sdwan_zones[z] = members
        # SD-WAN rules are policy routes: "SD-WAN rules are matched only if the best route to the destination points
        # to SD-WAN" and then pick one of the SD-WAN members (FortiOS 7.0.0 SD-WAN Architecture for Enterprise, "SD-WAN
        # routing logic", https://docs.fortinet.com/document/fortigate/7.0.0/sd-wan-architecture-for-enterprise/
        # 768108); a policy names the member's zone.  So a rule moves traffic only between the zones' members: no
        # other policy applies when the members are all in one zone.  Otherwise (members in several zones), before
        # 7.0 or with the version unknown, or a rule bypassing that route check ('default' or 'gateway' enable, whose
        # effect is not documented there), which interface, hence which policy, the traffic takes is not modelled.
        with_members = [z for z, m in zones.items() if m]
        for e in rules:
            bypass = [st.key for st in e.stmts() if st.key.lower() in ("default", "gateway")
                      and st.args[:1] == ["enable"]]
            if len(with_members) > 1:
                why = "its members are in %d SD-WAN zones (%s)" % (len(with_members), ", ".join(with_members))
            elif bypass:
                why = "'set %s enable'" % bypass[0]
            elif self.version is None:
                why = "the firmware version is not known (no '#config-version' header)"
            elif self.version < (7, 0, 0):
                why = "the firmware is older than 7.0"
            else:
                continue
            ln.unrecognized(ln.source(e.line), "SD-WAN rule %s steers the traffic it matches to an SD-WAN member "
                            "before the routing table, and %s: which interface (so which policy) that traffic "
                            "takes is not modelled" % (e.name, why), Impact.GLOBAL)

    def static_routes(self, b: Node) -> None:
        ln = self.lines
        six = b.path == ("router", "static6")
        for e in b.entries():
            ln.use(e.line)
            if e.close is not None:
                ln.use(e.close)
            ent = Entry(e.name, e.line, "route")
            for it in e.items:
                if isinstance(it, Stmt) and it.key.lower() in _ROUTE_KEYS:
                    ln.use(it.line)
                    apply(ent, it)
                elif isinstance(it, Stmt):
                    ln.ignore(it.line, "route preference or label (distance, priority, comment)", it.last + 1)
                else:
                    ln.ignore(it.line, "route option", it.last_line() + 1)
            self.route_entries.append((ent, six))

    def settings_block(self, b: Node) -> None:
        ln = self.lines
        for it in b.items:
            if isinstance(it, Stmt) and it.key.lower() in ("central-nat", "opmode", "consolidated-firewall-mode",
                                                           "vdom-type", "ngfw-mode") + PROF.SIP_PORTS:
                ln.use(it.line)
                self.settings[it.key.lower()] = (it.args, it.line)
            elif isinstance(it, Stmt) and it.key.lower() in _ASYMROUTE and it.args[:1] == ["enable"]:
                # asymmetric routing turns RPF (anti-spoofing) off for the VDOM (Fortinet KB FD30543, "Details
                # about FortiOS RPF"): a source may come in through any interface
                # (the ICMP-only switches: what they relax is not documented there; reported alike)
                ln.unrecognized(ln.source(it.line), "asymmetric routing (%s enable): the FortiGate relaxes its "
                                "reverse-path (anti-spoofing) and session checks, so sources may come in through "
                                "interfaces that do not route them; not modelled" % it.key.lower(), Impact.GLOBAL)
            elif isinstance(it, Stmt):
                ln.ignore(it.line, "VDOM setting with no effect on policy matching", it.last + 1)
            else:
                ln.ignore(it.line, "VDOM setting with no effect on policy matching", it.last_line() + 1)

    def policy_block(self, b: Node) -> None:
        ln = self.lines
        kind = _POLICY_KINDS[b.path]
        self.policy_line.setdefault(kind, b.line)
        table = self.policy_table
        for e in b.items:  # (in order: a 'move' or 'delete' acts on the entries above it)
            if e.__class__ is Stmt:
                self.policy_table_verb(e, kind)
                continue
            if e.kind != "edit":
                self.block(e)
                continue
            key = (kind, e.name)
            ent = table.get(key)
            if ent is None:
                ent = table[key] = Entry(e.name, e.line, kind)
                self.policies.append(ent)
                self.policy_kind[id(ent)] = kind
            ent.lines.append(e.line)
            ent.spans.append((e.line, e.last_line()))
            settings, history = ent.settings, ent.history
            for it in e.items:
                if it.__class__ is not Stmt:
                    ln.unrecognized(ln.source(it.line), "block 'config %s' inside policy %s is not understood"
                                    % (" ".join(it.words), e.name), Impact.FILTER, "policy %s" % e.name)
                    ln.ignore(it.line, "inside a block not understood (reported at its first line)",
                              it.last_line() + 1)
                    settings.setdefault("_unknown", ([], []))[1].append(it.line)
                    continue
                # (what each setting does is decided when the policy is built: policy.py; the settings
                # it uses are marked used with the whole entry, the others are kept to be told apart)
                key = it.key.lower()
                if key not in POLICY_USED:
                    if it.verb in ("unset", "clear", "unselect-all"):
                        # (the setting's default again, which is what the model assumes of a setting it does not
                        # read: neither this line nor an earlier 'set' of the key changes what the policy does)
                        history[:] = [h for h in history if h[0] != key]
                    else:
                        history.append((key, it.line, it.last))
                if it.verb == "set":
                    settings[key] = (it.args, [it.line])
                else:
                    apply(ent, it, key)

    def policy_table_verb(self, st: Stmt, kind: str) -> None:
        """``move ID before|after ID``, ``delete ID`` or ``purge`` between the policies of a block (a CLI
        script, or a configuration with its change pasted under it): the rulebase order is the order after
        them.  FortiOS CLI ("config firewall policy": ``delete <id>``, ``move <id> [after | before] <id>``,
        ``purge``; Fortinet KB "Technical Tip: Change session TTL on firewall policy",
        https://community.fortinet.com/t5/FortiGate/Technical-Tip-Change-session-TTL-on-firewall-policy/ta-p/195971,
        writes ``move 2 before 1`` after the policies to put the new one first).  One that names no policy
        above it cannot be followed: the order is unknown."""
        ln = self.lines
        table, policies = self.policy_table, self.policies
        words = [st.key] + st.args
        if st.verb == "move":
            if len(words) == 3 and words[1].lower() in ("before", "after") and words[0] != words[2] \
                    and (kind, words[0]) in table and (kind, words[2]) in table:
                moved = table[(kind, words[0])]
                policies.remove(moved)
                k = policies.index(table[(kind, words[2])])
                policies.insert(k if words[1].lower() == "before" else k + 1, moved)
                ln.use(st.line)
                return
        elif st.verb == "delete":
            if len(words) == 1 and (kind, words[0]) in table:
                self._drop_policy(table.pop((kind, words[0])))
                ln.use(st.line)
                return
        elif st.verb == "purge" and not st.key:
            for key in [k for k in table if k[0] == kind]:
                self._drop_policy(table.pop(key))
            ln.use(st.line)
            return
        else:
            ln.unrecognized(ln.source(st.line), OUTSIDE_EDIT, Impact.GLOBAL)
            return
        ln.unrecognized(ln.source(st.line), "'%s' names no policy above it: the order of the policies is not "
                        "known" % " ".join([st.verb] + words), Impact.GLOBAL)

    def consolidated_tables(self) -> None:
        """FortiOS 6.2's consolidated policy mode: with ``config system settings`` / ``set
        consolidated-firewall-mode enable``, the VDOM's policies are ``config firewall consolidated policy``
        ("Configure consolidated IPv4/IPv6 policies", FortiOS 6.2 CLI Reference; 6.4.0 New Features, "Consolidated
        IPv4 and IPv6 policy configuration": on upgrade "If consolidated policy mode is enabled, consolidated
        policies will be changed to firewall policies"), one table in its order with ``srcaddr4``/``dstaddr4`` and
        ``srcaddr6``/``dstaddr6`` (policy.py reads both families).  Whether ``config firewall policy``/``policy6``
        entries also apply in that mode, or consolidated entries without it, no document says: the table not
        known to apply is left out and reported (could change any verdict), unless it holds no enabled entry."""
        ln = self.lines
        got = self.settings.get("consolidated-firewall-mode")
        on = self.policy_table_name() != "firewall policy"
        for kind in ("policy", "policy6", "consolidated policy"):
            if (kind == "consolidated policy") == on or kind not in self.policy_line:
                continue
            out = [e for e in self.policies if self.policy_kind[id(e)] == kind]
            if any(e.one("status") != "disable" for e in out):
                why = ("consolidated policy mode (consolidated-firewall-mode enable, line %d) keeps the policies in "
                       "'config firewall consolidated policy'" % (got[1] + 1) if on else
                       "consolidated policies apply with 'config system settings' / 'set consolidated-firewall-mode "
                       "enable', which %s" % ("is not set" if got is None else "is '%s'" % " ".join(got[0])))
                ln.unrecognized(ln.source(self.policy_line[kind]), "'config firewall %s': %s; whether these "
                                "policies also apply is not documented (not modelled)" % (kind, why), Impact.GLOBAL)
            for e in out:
                self.policies.remove(e)
                self.policy_kind.pop(id(e), None)
                for a, b in e.spans:
                    ln.ignore(a, "a policy of a table reported at its first line", b + 1)
        if on and "consolidated policy" in self.policy_line:
            self.policy_line["policy"] = self.policy_line["consolidated policy"]  # (the implicit deny's line)

    def policy_table_name(self) -> str:
        """The CLI table of the VDOM's firewall policies (where a new policy goes: fix.py)."""
        got = self.settings.get("consolidated-firewall-mode")
        on = got is not None and got[0][:1] == ["enable"]
        return "firewall consolidated policy" if on else "firewall policy"

    def _drop_policy(self, ent: Entry) -> None:
        """A policy a later ``delete``/``purge`` removed: its lines have no effect."""
        self.policies.remove(ent)
        self.policy_kind.pop(id(ent), None)
        for a, b in ent.spans:
            self.lines.ignore(a, "policy deleted by a later 'delete' or 'purge'", b + 1)

    def security_policy_block(self, b: Node) -> None:
        """NGFW policy-based mode (``set ngfw-mode policy-based``): a session the firewall policies accept
        must also be accepted by a security policy (applications, users, addresses, services; ``action
        deny`` drops it); they are not modelled, so an enabled one makes every verdict unknown."""
        ln = self.lines
        live = _enabled_entries(b)
        self.security_live = self.security_live or bool(live)
        if live:
            ln.unrecognized(ln.source(live[0].line), "NGFW policy-based mode: %d security polic%s (config firewall "
                            "security-policy) also decide%s which accepted sessions pass; not modelled"
                            % (len(live), "y" if len(live) == 1 else "ies", "s" if len(live) == 1 else ""),
                            Impact.GLOBAL)
        ln.ignore(b.line, "NGFW security policies (reported at the first enabled one)", b.last_line() + 1)

    def policy_route_block(self, b: Node) -> None:
        """``config router policy`` / ``policy6``: policy routes, which send the traffic they match through their
        ``output-device`` / ``gateway`` before the routing table; not modelled, so an enabled one makes every
        verdict unknown.  A disabled one routes nothing: "status: Enable/disable this policy route" (FortiOS CLI
        Reference, "config router policy", https://docs.fortinet.com/document/fortigate/7.4.9/cli-reference/
        796289482; enable by default).  A statement outside an entry (``move``, ``delete``) is reported."""
        ln = self.lines
        for st in b.stmts():
            ln.unrecognized(ln.source(st.line), OUTSIDE_EDIT, Impact.GLOBAL)
        live = _enabled_entries(b)
        if live:
            ln.unrecognized(ln.source(live[0].line), "policy route %s (config %s) sends the traffic it matches "
                            "out of its own interface or gateway before the routing table: not modelled (%d "
                            "enabled)" % (live[0].name, " ".join(b.words), len(live)), Impact.GLOBAL)
        ln.ignore(b.line, "policy routes: the disabled ones route nothing (an enabled one is reported)",
                  b.last_line() + 1)

    def ipmac_setting_block(self, b: Node) -> None:
        """``config firewall ipmacbinding setting``: ``bindthroughfw`` says whether the interfaces with ``set
        ipmac enable`` check transit packets against the IP/MAC binding table (``finish``)."""
        ln = self.lines
        for it in b.items:
            if isinstance(it, Stmt) and it.key.lower() == "bindthroughfw" and it.args:
                ln.use(it.line)
                self.bindthroughfw = it.args[0].lower() if it.verb == "set" else None
            else:
                ln.ignore(it.line, "IP/MAC binding setting (used only with bindthroughfw)",
                          (it.last if isinstance(it, Stmt) else it.last_line()) + 1)

    def ippool_block(self, b: Node) -> None:
        """``config firewall ippool`` / ``ippool6``: source NAT pools, applied after the policy decision (ignored),
        except full cone NAT: Fortinet, FortiOS 7.6 Administration Guide, "Full cone NAT for fixed port range IP
        pools": "set permit-any-host {enable | disable}" on a pool "allows all external hosts to send packets to
        internal hosts through a mapped external IP address and port ... (Endpoint Independent Filtering)" (UDP):
        inbound packets no policy decides, from hosts and to ports the configuration does not say (an IPv4 pool's
        addresses and setting are kept for ``nat.full_cone``; an IPv6 pool's leaves every verdict unknown)."""
        ln = self.lines
        six = b.path == ("firewall", "ippool6")
        for e in b.entries():
            # (an IPv4 pool: its external addresses and its 'permit-any-host enable' line, for nat.full_cone)
            pool = self.ippools.setdefault(e.name, {}) if not six else {}
            for st in e.stmts():
                key = st.key.lower()
                if key in ("startip", "endip", "permit-any-host"):
                    pool[key] = (st.args[0] if st.verb == "set" and st.args else None, st.line)
            on = [st for st in e.stmts() if st.key.lower() == "permit-any-host"]
            if six and on and on[-1].verb == "set" and on[-1].args[:1] == ["enable"]:
                ln.unrecognized(ln.source(on[-1].line), _FULL_CONE % ("IP pool %s" % e.name), Impact.GLOBAL)
        ln.ignore(b.line, IG.BLOCKS[tuple(w.lower() for w in b.words[:2])], b.last_line() + 1)

    def ttl_policy_block(self, b: Node) -> None:
        """``config firewall ttl-policy``: TTL (GTSM) policies accept or deny (the default) the packets from
        ``srcintf``/``srcaddr`` of ``service`` whose IP TTL is in ``ttl`` (FortiOS CLI Reference, "config
        firewall ttl-policy": "action: Action to be performed on traffic matching this policy (default =
        deny) ... deny: Deny or block traffic matching this policy"; "ttl: Value/range to match against the
        packet's Time to Live value"). A packet's TTL is not in the model and the reference does not say
        which traffic they see, so an enabled one makes every verdict unknown."""
        ln = self.lines
        live = _enabled_entries(b)
        if live:
            ln.unrecognized(ln.source(live[0].line), "TTL policy %s (config firewall ttl-policy) accepts or denies "
                            "packets by their IP TTL, which is not modelled (%d enabled)" % (live[0].name, len(live)),
                            Impact.GLOBAL)
        ln.ignore(b.line, "TTL policies (reported at the first enabled one)", b.last_line() + 1)

    def other_policy_block(self, b: Node) -> None:
        """Policy tables besides the firewall policies that may drop or divert transit traffic (``_OTHER_POLICIES``):
        not modelled, so an enabled entry makes every verdict unknown (reported at the block's line, naming the
        first); a disabled one decides
        nothing ("status: Enable/disable this policy", CLI Reference, "config firewall DoS-policy", "config firewall
        interface-policy", "config firewall policy46"; "Enable/disable the active status of the policy", "config
        firewall proxy-policy"; "Enable/disable access control list status", "config firewall acl").  A statement
        outside an entry (``move``, ``delete``) is reported."""
        ln = self.lines
        for st in b.stmts():
            ln.unrecognized(ln.source(st.line), OUTSIDE_EDIT, Impact.GLOBAL)
        live = _enabled_entries(b)
        what = _OTHER_POLICIES[b.path]
        if live:
            ln.unrecognized(ln.source(b.line), "%s %s (config %s) %s: not modelled (%d enabled)"
                            % (" ".join(b.words[-1:]), live[0].name, " ".join(b.words), what, len(live)),
                            Impact.GLOBAL)
        ln.ignore(b.line, "%s: the disabled entries decide nothing (an enabled one is reported)" % " ".join(b.words),
                  b.last_line() + 1)

    def app_lists(self, b: Node) -> None:
        """``config application list`` / ``edit LIST`` / ``config entries`` / ``edit N``: the lines of the non-zero
        session TTLs of each list (``timeouts.py``), and what in it may drop a session its policy accepts
        (``policy.py``); the block is otherwise ignored.

        FortiOS CLI Reference, "config application list" (6.2-7.4, https://docs.fortinet.com/document/fortigate/
        7.0.16/cli-reference/117262721): an entry's ``action pass|block|reset`` ("Pass or block traffic, or reset
        connection for traffic from this application"), ``quarantine attacker``; the list's
        ``other-application-action`` / ``unknown-application-action pass|block`` (the applications no entry
        names, those no signature identifies), ``enforce-default-app-port`` and ``control-default-network-
        services`` (applications on other ports, protocols against their port's service are blocked) and
        ``p2p-block-list``.  An entry without ``set action`` blocks: the factory list ``block-high-risk`` is
        written ``edit 1`` / ``set category 2 6`` (no action) then ``edit 2`` / ``set action pass``.  Which
        application a connection is, is decided by FortiGuard signatures, not by the configuration: a session
        of a policy with such a list may be dropped.  Settings not known here count as such (fail closed)."""
        for lst in b.entries():
            drop = self.app_drop.setdefault(lst.name, [])  # (a later 'edit' of the list amends it: kept)
            for st in lst.stmts():
                key, args = st.key.lower(), [a.lower() for a in st.args]
                if st.verb != "set" or key in _APP_LIST_HARMLESS:
                    continue
                if key in ("other-application-action", "unknown-application-action") and args == ["pass"]:
                    continue
                if key in ("enforce-default-app-port", "control-default-network-services") and args == ["disable"]:
                    continue
                # (quoted as its line is: the value of an unknown setting may be a secret, 'set passwd1 ENC ...')
                drop.append((st.line, "'%s'" % self.lines.source(st.line).text.strip()))
            for sub in lst.blocks():
                if sub.path == ("default-network-services",):
                    continue  # (in force only with control-default-network-services enable, taken above)
                if sub.path != ("entries",):
                    drop.append((sub.line, "block 'config %s' not understood" % " ".join(sub.words)))
                    continue
                for e in sub.entries():
                    action, quarantine = "block", None
                    for st in e.stmts():
                        key = st.key.lower()
                        if key == "session-ttl" and st.verb == "set" and st.args != ["0"]:
                            self.app_ttl.setdefault(lst.name, []).append(st.line)
                        elif key == "action":
                            action = st.args[0].lower() if st.verb == "set" and st.args else "block"
                        elif key == "quarantine" and st.verb == "set" and st.args and st.args[0].lower() != "none":
                            quarantine = st
                    if action != "pass":
                        drop.append((e.line, "entry %s (action %s)" % (e.name, action)))
                    elif quarantine is not None:
                        drop.append((quarantine.line, "entry %s (quarantine %s)" % (e.name, quarantine.args[0])))

    def session_ttl_block(self, b: Node) -> None:
        ln = self.lines
        for it in b.items:
            if isinstance(it, Stmt) and it.key.lower() == "default":
                ln.use(it.line)
                if it.verb == "set":
                    self.session_ttl.append(it)
                else:  # ('unset default': the default TTL again)
                    self.session_ttl.clear()
            elif isinstance(it, Node) and it.path == ("port",):
                ln.use(it.line)
                if it.close is not None:
                    ln.use(it.close)
                for e in it.entries():
                    ln.use(e.line)
                    if e.close is not None:
                        ln.use(e.close)
                    ent = Entry(e.name, e.line, "ttl-port")
                    for st in e.stmts():
                        if st.key.lower() in ("protocol", "start-port", "end-port", "timeout", "refresh-direction"):
                            ln.use(st.line)
                            apply(ent, st)
                        else:
                            ln.unrecognized(ln.source(st.line), "session-ttl port setting not understood",
                                            Impact.FILTER, "timeouts")
                    self.ttl_ports.append(ent)
            else:
                line = it.line
                ln.unrecognized(ln.source(line), "session-ttl setting not understood", Impact.FILTER, "timeouts")

    # --- the model ----------------------------------------------------------------------------
    def finish(self) -> Config:
        from parsers.fortios import nat as NAT
        from parsers.fortios import policy as POL
        from parsers.fortios import timeouts as TO

        for ent, it in self.svc_unknown:
            # a proxy service (protocol HTTP, FTP, CONNECT, SOCKS-TCP, SOCKS-UDP, ALL: "for web proxy", FortiOS
            # CLI Reference, "firewall service custom") matches nothing certain in a firewall policy (every
            # policy naming it is uncertain) and proxy policies are reported: its other settings change no
            # verdict of the model (FortiOS 5.2's factory service 'webproxy' has 'set explicit-proxy enable')
            proxy = ent.one("protocol", "tcp/udp/sctp") not in PORT_PROTOCOLS
            self.lines.unrecognized(self.lines.source(it.line), "setting '%s' of service %s is not understood%s"
                                    % (it.key, ent.name, " (a proxy service: policies using it are reported)"
                                       if proxy else ""), Impact.NONE if proxy else Impact.GLOBAL)
        if self.ipmac and self.bindthroughfw != "disable":
            # FortiOS CLI Reference, "config firewall ipmacbinding setting": "bindthroughfw: Enable/disable use
            # of IP/MAC binding to filter packets that would normally go through the firewall"; "undefinedhost:
            # Select action to take on packets with IP/MAC addresses not in the binding list (default =
            # block)"; the binding applies on the interfaces with 'set ipmac enable'. Which hosts' MAC matches
            # is not in the model (and bindthroughfw's default is not documented there: taken as on)
            name, line = self.ipmac[0]
            self.lines.unrecognized(self.lines.source(line), "IP/MAC binding on interface %s: transit packets "
                                    "whose IP/MAC pair is not in the binding table may be blocked; not modelled"
                                    % name, Impact.GLOBAL)
        interfaces = self.build_interfaces()
        self.build_routes(interfaces)
        central = self.settings.get("central-nat", ([""], 0))[0][:1] == ["enable"]
        opmode = self.settings.get("opmode")
        if opmode and opmode[0][:1] == ["transparent"]:
            self.lines.unrecognized(self.lines.source(opmode[1]), "transparent mode (the FortiGate bridges): paths "
                                    "between its interfaces are not modelled", Impact.GLOBAL)
        self.consolidated_tables()
        vips = NAT.Vips(self, central, interfaces)
        built = POL.build(self, interfaces, vips)
        ngfw = self.settings.get("ngfw-mode")
        if ngfw and ngfw[0][:1] == ["policy-based"] and not self.security_live:
            # NGFW policy-based mode: "If traffic does not have an appropriate match for the first two sections (SSL
            # Inspection & Authentication Policy [config firewall policy] and Security Policy [config firewall
            # security-policy]) then it will be dropped by implicit-deny" (Fortinet KB 230884, "Technical Tip:
            # Implement Basic policy for Policy-Based NGFW Mode"): with no enabled security policy, nothing passes
            deny = Stage("security policy", (), Action.DENY, self.lines.source(ngfw[1]),
                         "NGFW policy-based mode (ngfw-mode policy-based) and no enabled security policy (config "
                         "firewall security-policy): the security policies' implicit deny drops every session")
            built.paths = [replace(p, stages=p.stages + (deny,)) if p.crosses and p.stages else p
                           for p in built.paths]
        timeouts = TO.build(self, built)
        # (before the diagnostics are taken: they report the VIP6s and full cone NAT)
        nat = NAT.full_cone(self, built, central) + vips.tables()
        self.book_objects = self.book.named_objects()
        ln = self.lines
        for i, why in sorted(self.book.unknown.items()):
            ln.unrecognized(ln.source(i), why + " (policies using it are reported)", Impact.NONE, "objects")
        head = ln.head()
        if self.multi and self.vdom in self.decl:
            head = ln.source(self.decl[self.vdom])
        return Config(
            path=self.path, vendor=NAME, lines=len(ln), filters=built.filters,
            # (FortiOS CLI reference, "config router static": "blackhole: Enable/disable black hole")
            paths=tuple(built.paths) + tuple(drop_paths(self.routes, (i.name for i in interfaces),
                                                        "routed to a blackhole route: the FortiGate drops the packet")),
            interfaces=tuple(interfaces), routes=tuple(self.routes), timeouts=tuple(timeouts),
            diagnostics=tuple(ln.diagnostics), address_refs=tuple(built.address_refs),
            objects=self.book_objects, ignored_lines=ln.ignored, head=head, remarks=tuple(built.remarks),
            nat=nat, aux={"vdom": self.vdom, "vdoms": list(self.per), "lines": ln,
                          "policy_table": self.policy_table_name()},
            learned_routes=tuple(self.learned), learned_space=learned_space(self.learned_families),
            local_addresses=self.own or None, unsettled_routes=tuple(self.unsettled), left_out=ln.left_out(compared),
        )

    def build_interfaces(self) -> list[Interface]:
        """The interfaces; ``self.own`` gets their own addresses, which no transit packet comes from or
        goes to (``Config.local_addresses``)."""
        out = []
        self.own = EMPTY
        ln = self.lines
        zone_of = {}
        for z, (members, _ent) in self.zones.items():
            for m in members:
                zone_of[m] = z
        for z, members in self.sdwan_zones.items():
            for m in members:
                zone_of.setdefault(m, z)
        dynamic6 = []  # (interface, its ip6-mode, the line) of those that learn their IPv6 addresses
        for name, ent in self.iface_entries.items():
            nets = EMPTY
            mode = ent.one("mode", "static")
            sec = ent.settings.get("secondary", ([], []))
            for text, line in [(" ".join(ent.get("ip", [])), ent.at("ip"))] + list(zip(sec[0], sec[1], strict=False)):
                if not text:
                    continue
                try:
                    parts = text.split()
                    net = cidr_set("%s/%s" % (parts[0], parts[1]) if len(parts) == 2 else parts[0], 4)
                except (ValueError, IndexError):
                    ln.unrecognized(ln.source(line), "interface address not understood", Impact.GLOBAL)
                    continue
                if net != cidr_set("0.0.0.0/0") and parts[0] != "0.0.0.0":
                    if not nets:
                        self.iface_primary[name] = net
                    nets = nets.union(net)
                    self.own = self.own.union(cidr_set(parts[0].partition("/")[0], 4))
            extra6 = ent.settings.get("ip6-extra", ([], []))
            for text, line in [(t, ent.at("ip6-address")) for t in ent.get("ip6-address", [])] + list(
                    zip(extra6[0], extra6[1], strict=False)):
                try:
                    n6 = cidr_set(text, 6)
                    if n6 != ALL_V6:
                        nets = nets.union(n6)
                        self.own = self.own.union(cidr_set(text.partition("/")[0], 6))
                except ValueError:
                    ln.unrecognized(ln.source(line), "IPv6 interface address not understood", Impact.GLOBAL)
            self.iface_networks[name] = nets  # (an interface-subnet address reads them, up or down)
            if ent.one("status") == "down":
                # (an interface set down sends and receives nothing; the routes through it are inactive,
                # out of the routing table: see test_an_interface_set_down_carries_no_traffic)
                self.down.add(name)
                continue
            if mode in ("dhcp", "pppoe") and not nets:
                # its connected subnet and the default route the server gives ('defaultgw enable', the default:
                # CLI Reference, "config system interface") are learned at run time: taken as learned routes
                # (Config.learned_routes), packets from or to addresses outside the other interfaces' networks
                # are unknown at this line (routed by the static routes alone, a server behind it was routed
                # elsewhere, where other policies decided it)
                ln.unrecognized(ln.source(ent.at("mode")), "interface %s gets its address by %s: its connected "
                                "subnet is not in the configuration (packets from or to addresses outside the "
                                "statically addressed interfaces' networks are unknown)" % (name, mode.upper()),
                                Impact.NONE)
                self.learned.append(ln.source(ent.at("mode")))
                self.learned_families.add(4)
            mode6 = ent.one("ip6-mode", "static")
            if mode6 in ("dhcp", "pppoe", "delegated") and not nets.overlaps(ALL_V6):
                # (IPv6 by DHCPv6 or PPPoE, or from a prefix delegated to another interface: 'ip6-mode', CLI
                # Reference, "config system interface" / "config ipv6"): the IPv6 side alike
                dynamic6.append((name, mode6, ln.source(ent.at("ip6-mode"))))
            out.append(Interface(name, nets, ln.source(ent.line), zone=zone_of.get(name)))
        static6 = ISet.union_of(i.networks for i in out).overlaps(ALL_V6)
        for name, mode6, src in dynamic6:
            why = "interface %s gets its IPv6 address by %s (ip6-mode): the IPv6 networks it reaches are not " \
                  "known" % (name, mode6)
            ln.unrecognized(src, why + ", so packets from or to IPv6 addresses outside the statically addressed "
                            "interfaces' networks are unknown", Impact.NONE)
            if static6:
                self.learned.append(src)
                self.learned_families.add(6)
            else:  # (no static IPv6 network: every IPv6 address; IPv4 is not its to decide)
                self.unsettled.append((ALL_V6, src, why))
        return out

    def build_routes(self, interfaces: list[Interface]) -> None:
        ln = self.lines
        known = {i.name: i for i in interfaces}
        got = []  # (route, its entry)
        for ent, six in self.route_entries:
            if ent.one("status") == "disable":
                continue
            if not (ent.name.isascii() and ent.name.isdigit()):
                # ("edit <seq-num>", an integer, FortiOS CLI Reference, "config router static"): the CLI refuses
                # another name, so the device has no such route
                ln.unrecognized(ln.source(ent.line), "static route ID '%s' is not a number: FortiOS refuses the "
                                "entry (which destinations the device routes where is not known)" % ent.name,
                                Impact.GLOBAL)
                continue
            other = _route_condition(ent)
            if other:
                ln.unrecognized(ln.source(ent.at(other[0])), "static route %s %s: not modelled (the destinations it "
                                "routes are not known)" % (ent.name, other[1]), Impact.GLOBAL)
                continue
            try:
                dist, prio = number(ent.one("distance", "10")), number(ent.one("priority", "0"))
            except ValueError:
                ln.unrecognized(ln.source(ent.line), "static route %s: distance or priority not understood"
                                % ent.name, Impact.GLOBAL)
                continue
            # (of routes to one prefix the lowest distance wins, then the lowest priority)
            route = self.route(ent, six, interfaces, known, (dist, prio))
            if route is not None:
                got.append((route, ent))
        self.routes = [r for r, _e in got]
        # (ECMP: "If both administrative distance and priority are tied for two or more routes, an equal cost
        # multi-path (ECMP) situation occurs", sessions spread over them by 'v4-ecmp-mode' (by default a hash
        # of the source address): which interface packets from or to what they route differently take, and so
        # which policies decide them, is not known)
        connected = [(i.name, i.networks, "") for i in interfaces]
        for (a, first), (b, ent) in equal_cost(got):
            why = "static routes %s and %s to one destination have the same distance and priority (ECMP: " \
                  "sessions are spread over %s and %s)" % (first.name, ent.name, a.interface, b.interface)
            report_tie(ln, self.unsettled, connected, self.routes, a, b, why)

    def route(self, ent, six: bool, interfaces: list[Interface], known: dict, preference: tuple) -> Route | None:
        """The route of static route entry ``ent`` (None: reported)."""
        ln = self.lines
        try:
            if ent.get("dstaddr"):
                r = self.book.resolve(ent.get("dstaddr")[0], 6 if six else 4, ent.at("dstaddr"), "routes")
                if r.maybe:
                    raise ValueError("route destination address object not understood")
                prefix, plen = r.sure, -1
            else:
                d = ent.get("dst", ["::/0"] if six else ["0.0.0.0", "0.0.0.0"])
                prefix = cidr_set("%s/%s" % (d[0], d[1]) if len(d) == 2 else d[0], 6 if six else 4)
                plen = (128 if six else 32) - (prefix.hi - prefix.lo + 1).bit_length() + 1
        except (ValueError, IndexError) as ex:
            ln.unrecognized(ln.source(ent.line), "static route %s not understood: %s" % (ent.name, ex),
                            Impact.GLOBAL)
            return None
        src = ln.source(ent.line)
        if ent.one("blackhole") == "enable":
            return Route(prefix, plen, drop_egress("blackhole", src), src, preference)
        dev = ent.get("device", [None])[0]
        if ent.one("sdwan") == "enable" or ent.one("virtual-wan-link") == "enable" or ent.get("sdwan-zone"):
            zone = ent.get("sdwan-zone", ["virtual-wan-link"])[0]
            members = [m for m in self.sdwan_zones.get(zone, []) if m in known]
            if not members:
                ln.unrecognized(src, "route %s through SD-WAN zone %s, which has no member interface here: "
                                "its addresses are not routed" % (ent.name, zone), Impact.NONE)
                return None
            dev = members[0]
        if dev is None and ent.get("gateway"):
            try:
                gw = cidr_set(ent.get("gateway")[0])
            except ValueError as ex:
                ln.unrecognized(src, "static route %s not understood: %s" % (ent.name, ex), Impact.GLOBAL)
                return None
            dev = next((i.name for i in interfaces if gw.issubset(i.networks)), None)
            if dev is None:
                dev = next((n for n in self.down if gw.issubset(self.iface_networks.get(n, EMPTY))), None)
        if dev in self.down:
            return None  # (inactive while its interface is down: not in the routing table)
        nets = self.iface_networks.get(dev, EMPTY) if dev is not None else EMPTY
        gws = ent.get("gateway")
        if gws and gws[0] not in ("0.0.0.0", "::") and nets and dev in known and \
                all(hi > lo for lo, hi in nets.iv):
            # a gateway on no network of its interface leaves the route inactive, out of the routing table
            # (Fortinet KB 197595, "How to identify Inactive Routes in the Routing Table"); the model cannot
            # tell every case (tunnels, /32 links): reported rather than used or dropped
            try:
                outside = not cidr_set(gws[0]).issubset(nets)
            except ValueError:
                outside = False
            if outside:
                ln.unrecognized(src, "route %s: gateway %s is on no network of interface %s, so FortiOS keeps the "
                                "route inactive (not in the routing table)" % (ent.name, gws[0], dev), Impact.GLOBAL)
                return None
        if dev is None or dev not in known:
            if dev is not None and self.have_interfaces:
                ln.undefined(dev, "interface", src, "routes", Impact.NONE)
            else:
                ln.unrecognized(src, "route %s: its outgoing interface is not known; its addresses are not "
                                "routed" % ent.name, Impact.NONE)
            return None
        return Route(prefix, plen, dev, src, preference)


def _enabled_entries(b: Node) -> list:
    """The entries of table ``b`` not disabled: their last ``status`` statement is not ``set status disable``
    (a later ``set status enable`` or ``unset status``, the default, enables it again)."""
    out = []
    for e in b.entries():
        last = [st for st in e.stmts() if st.key.lower() == "status"]
        if not (last and last[-1].verb == "set" and last[-1].args[:1] == ["disable"]):
            out.append(e)
    return out


# 'config system settings' switches for asymmetric routing (FortiOS CLI Reference, "config system settings")
# a profile group's settings read (policy.profile_setting)
_GROUP_SETTINGS = frozenset(("application-list", "ips-sensor", "profile-protocol-options") + PROF.SETTINGS)

# full cone NAT ('permit-any-host enable' on a policy or an IP pool; a policy's 'permit-stun-host': from STUN servers)
_FULL_CONE = ("%s: full cone NAT (permit-any-host enable): once an inside host's UDP session is translated, any "
              "outside host may send UDP packets to its mapped address and port, and the FortiGate forwards them to "
              "it with no policy deciding (not modelled)")

_ASYMROUTE = frozenset(("asymroute", "asymroute6", "asymroute-icmp", "asymroute6-icmp"))

# static route settings the model reads (the others: preference or label, ignored)
_ROUTE_KEYS = frozenset(("dst", "device", "gateway", "status", "blackhole", "dstaddr", "sdwan", "sdwan-zone",
                         "dynamic-gateway", "virtual-wan-link", "distance", "priority", "internet-service",
                         "internet-service-custom", "src", "vrf"))


def _route_condition(ent) -> tuple[str, str] | None:
    """(key, what) of a condition that makes a static route apply to other than its ``dst`` from every source
    in the main routing table: an Internet Service destination, a source prefix, another VRF."""
    for key, what in (("internet-service", "routes an Internet Service's addresses"),
                      ("internet-service-custom", "routes a custom Internet Service's addresses")):
        if ent.get(key) and ent.one(key) not in ("0", ""):
            return key, what
    v = ent.get("src")
    if v and " ".join(v) not in ("0.0.0.0 0.0.0.0", "0.0.0.0/0", "::/0"):
        return "src", "applies only to traffic from %s" % " ".join(v)
    if ent.get("vrf") and ent.one("vrf") != "0":
        return "vrf", "is in VRF %s (another routing table)" % ent.one("vrf")
    return None


def forti_lines(text: str, path: str) -> tuple[FortiLines, Tree]:
    """The lines of ``text``, which know its secrets (multi-line values, SNMP blocks), and its tree."""
    lines = FortiLines(text, path)
    tree = scan(lines.raw, path)
    lines.inside = tree.inside
    return lines, tree


def redact_text(text: str) -> str:
    """``text`` as its lines are quoted: every FortiOS secret masked (``Vendor.redact``).  A value
    over several lines (a private key) stays one quoted value, its lines masked: its first line
    still opens the quote and its last closes it, so the text reads as the same configuration."""
    lines, tree = forti_lines(text, "")
    out = [lines.source(i).text for i in range(len(lines.raw))]
    inside = tree.inside
    q = '"'
    for i in sorted(inside):
        if i - 1 not in inside and i > 0:
            q = _open_quote(lines.raw[i - 1].strip()) or '"'
            first = out[i - 1]
            if not _open_quote(first.strip()):  # (the redaction took the quote with the value)
                out[i - 1] = first[:-len(MASK)] + q + MASK if first.endswith(MASK) else first + " " + q
        if i + 1 not in inside and _closes(lines.raw[i], q) >= 0:
            out[i] = MASK + q
    return "\n".join(out)


# the policy tables (``Parser.policy_block``): their kind, which names them in the scopes ("firewall KIND ID")
_POLICY_KINDS = {("firewall", "policy"): "policy", ("firewall", "policy6"): "policy6",
                 ("firewall", "consolidated", "policy"): "consolidated policy"}

# policy tables (besides 'config firewall policy') whose enabled entries may drop or divert transit traffic
_OTHER_POLICIES = {
    ("firewall", "dos-policy"): "drops traffic its anomaly thresholds catch",
    ("firewall", "dos-policy6"): "drops traffic its anomaly thresholds catch",
    ("firewall", "interface-policy"): "applies security profiles (application control, IPS ...) to an interface's "
                                      "traffic",
    ("firewall", "interface-policy6"): "applies security profiles (application control, IPS ...) to an interface's "
                                       "traffic",
    ("firewall", "proxy-policy"): "decides the sessions of the explicit and transparent proxies",
    ("firewall", "explicit-proxy-policy"): "decides the sessions of the explicit proxy",
    ("firewall", "policy46"): "translates and decides IPv4 traffic to IPv6",
    ("firewall", "policy64"): "translates and decides IPv6 traffic to IPv4",
    ("firewall", "acl"): "drops traffic at the interface before the policies",
    ("firewall", "acl6"): "drops traffic at the interface before the policies",
}

_KIND_WORDS = {"addr": "address", "addr6": "address6", "grp": "address group", "grp6": "address group",
               "vip": "VIP", "vipgrp": "VIP group", "vip6": "VIP6", "svc": "service", "svcgrp": "service group"}

_HANDLERS = {
    **{k: Parser.objects for k in _OBJECT_BLOCKS},
    ("system", "interface"): Parser.interfaces,
    ("system", "zone"): Parser.zone,
    ("system", "sdwan"): Parser.sdwan,
    ("system", "virtual-wan-link"): Parser.sdwan,
    ("router", "static"): Parser.static_routes,
    ("router", "static6"): Parser.static_routes,
    ("system", "settings"): Parser.settings_block,
    ("firewall", "policy"): Parser.policy_block,
    ("firewall", "policy6"): Parser.policy_block,
    ("firewall", "consolidated", "policy"): Parser.policy_block,
    ("system", "session-ttl"): Parser.session_ttl_block,
    ("firewall", "security-policy"): Parser.security_policy_block,
    ("firewall", "ttl-policy"): Parser.ttl_policy_block,
    ("router", "policy"): Parser.policy_route_block,
    ("router", "policy6"): Parser.policy_route_block,
    ("firewall", "ipmacbinding", "setting"): Parser.ipmac_setting_block,
    ("firewall", "ippool"): Parser.ippool_block,
    ("firewall", "ippool6"): Parser.ippool_block,
    **{k: Parser.other_policy_block for k in _OTHER_POLICIES},
}

__all__ = ["NAME", "Parser", "forti_lines", "redact_text", "vdom_layout", "version"]


# routing protocols (``config router X``), and the tables that make one learn routes when they hold an
# entry: a backup lists ``config router bgp`` / ``ospf`` / ``rip`` with their redistribute settings even
# where the protocol is not used (FortiOS, "Dynamic routing": OSPF areas, networks and interfaces; BGP
# neighbors; RIP networks and interfaces; IS-IS networks)
_LEARNING = frozenset((("router", "ospf"), ("router", "ospf6"), ("router", "bgp"), ("router", "rip"),
                       ("router", "ripng"), ("router", "isis")))
_PEERS = frozenset(("area", "network", "network6", "ospf-interface", "ospf6-interface", "interface", "neighbor",
                    "neighbor-group", "neighbor-range", "neighbor-range6", "isis-net", "isis-interface"))


# FortiOS "Using the CLI", "Command syntax" (5.0, 5.4): "Valid command lines must be unambiguous if
# abbreviated"; "Command abbreviation": a word may be shortened to its fewest unambiguous characters
# ('config sys glo', 'config sys ha', as in Fortinet's own cloud bootstrap configurations).  A backup writes
# every word whole.  Only a block of no effect on forwarding (ignored.BLOCKS) is read so: were the short
# word ambiguous on the device, it would refuse the block, which has no effect either way.  A block that
# is read (policies, addresses, routes, the redirect settings of 'system global'), or a routing protocol,
# stays reported when shortened.
_KNOWN_BLOCKS = frozenset(IG.BLOCKS) | frozenset(_HANDLERS) | _LEARNING | frozenset(IG.HARMLESS_PREFIXES)
_READ_SETTINGS = frozenset(("allow-traffic-redirect", "ipv6-allow-traffic-redirect"))  # (Parser.block reads them)


_WEEK = frozenset(("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"))


def _always_narrowed(line: int, stmts: list) -> tuple[int, str] | None:
    """Where and why the input's recurring schedule 'always' (its entry at ``line``, its statements ``stmts``) is
    not every day, all day; None when it is.  FortiOS CLI Reference 6.4.5, "config firewall schedule recurring"
    (https://docs.fortinet.com/document/fortigate/6.4.5/cli-reference/288620): 'day' ("One or more days of the week
    on which the schedule is valid"; default none), 'start' and 'end' ("Time of day to start/end the schedule,
    format hh:mm"); the factory 'always' has every day and neither time.  A start or end other than 00:00, a
    'label-day', or a day list that is not all seven days makes it something else."""
    got: dict[str, tuple[tuple[str, ...], int]] = {}
    for st in stmts:
        key = st.key.lower()
        if st.verb == "unset":
            got.pop(key, None)
        elif st.verb in ("set", "append", "select"):
            words = tuple(a.lower() for a in st.args)
            got[key] = (got[key][0] + words if st.verb == "append" and key in got else words, st.line)
    day = got.get("day")
    if day is None:
        return line, "sets no days (the default 'day' is none)"
    if frozenset(day[0]) != _WEEK:
        return day[1], "is limited to days %s" % " ".join(day[0])
    for key in ("start", "end"):
        v = got.get(key)
        if v is not None and v[0] not in (("00:00",), ("0:0",), ("0:00",), ("00:0",)):
            return v[1], "%ss at %s" % (key, " ".join(v[0]))
    v = got.get("label-day")
    if v is not None and v[0] != ("none",):
        return v[1], "has label-day %s" % " ".join(v[0])
    return None


def _unabbreviated(b: Node) -> tuple[str, ...] | None:
    """The block path ``b``'s words shorten, word by word the one known word each begins, when that block
    is ignored (``IG.BLOCKS``) and not read; None otherwise (or when nothing is shortened)."""
    got: tuple[str, ...] = ()
    for k, word in enumerate(b.path):
        choices = {q[k] for q in _KNOWN_BLOCKS if len(q) > k and q[:k] == got}
        if not choices:
            got += b.path[k:]  # (past the known words: the rest as written, e.g. 'replacemsg admin')
            break
        if word not in choices:
            starts = [c for c in choices if c.startswith(word)]
            if len(starts) != 1:
                return None
            word = starts[0]
        got += (word,)
    if got == b.path or IG.block_reason(got) is None or got[:2] in _HANDLERS or got[:3] in _HANDLERS \
            or got[:2] in _LEARNING or got[:2] in (("application", "list"), ("firewall", "profile-group"),
                                                  ("ips", "custom")) or got[:2] in PROF.BLOCKS:
        return None
    if got == ("system", "global") and any(st.key.lower() in _READ_SETTINGS for st in b.stmts()):
        return None
    return got


def _learns(b: Node) -> bool:
    """Whether routing protocol block ``b`` has a table of peers, networks or areas with an entry."""
    return any(sub.path and sub.path[-1] in _PEERS and sub.entries() for sub in b.blocks())


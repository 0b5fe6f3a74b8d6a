"""Interfaces, their networks and the address macros rules use; aliases, resolved.

What the GUI offers as a rule's source or destination, and what pf gets for it (pfSense
filter.inc ``filter_generate_address``; OPNsense ``Rule::mapAddressInfo``):

* an interface key (``lan``, ``wan``, ``opt1``): the interface's subnet, of the rule's address
  family ("LAN net"; pfSense adds the subnets of its virtual IPs); ``lanip``: the interface's own
  address ("LAN address");
* ``(self)``: every address of the firewall ("This Firewall");
* an alias name, an address, a CIDR network or an ``a-b`` range.

An address the firewall learns at run time (DHCP, PPPoE, SLAAC, tracked IPv6 prefixes) is not in
config.xml: it is uncertain, and so is every rule that uses it.  It is taken to lie outside the
networks of the firewall's other interfaces (pfSense refuses overlapping interface subnets), so
rules between the internal networks stay exact.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from functools import lru_cache

from auditor.core.model import AddressRef, Interface, NamedObject, Source
from auditor.core.packets import ALL_PORTS, ALL_V4, ALL_V6, EMPTY, V4_BASE, ISet, addr_to_int, network_to_iset
from parsers.kit.addr import cidr_set
from parsers.kit.names import SERVICES, port_number
from parsers.pfsense.common import Dialect, whole
from parsers.pfsense.xmltree import Node

FAMILY = {4: ALL_V4, 6: ALL_V6}
DYNAMIC_V4 = {"dhcp": "DHCP", "pppoe": "PPPoE", "pptp": "PPTP", "l2tp": "L2TP", "ppp": "PPP"}
DYNAMIC_V6 = {"dhcp6": "DHCPv6", "slaac": "SLAAC", "track6": "a tracked IPv6 prefix", "6rd": "6RD",
              "6to4": "6to4", "idassoc6": "an IPv6 prefix from another interface", "pppoe": "PPPoE"}
# pseudo-interfaces of VPN and PPP servers, which carry their own rule tabs
SYSTEM_GROUPS = {"enc0": "IPsec", "openvpn": "OpenVPN", "l2tp": "L2TP VPN", "pppoe": "PPPoE server",
                 "wireguard": "WireGuard", "IPsec": "IPsec"}
# tables pfSense and OPNsense fill at run time, which rules may name like aliases
SYSTEM_TABLES = {"bogons": "downloaded bogon list", "bogonsv6": "downloaded bogon list",
                 "sshguard": "hosts locked out for failed logins", "sshlockout": "hosts locked out for failed logins",
                 "virusprot": "hosts over a connection rate limit", "snort2c": "hosts blocked by an IDS package",
                 "negate_networks": "VPN networks", "vpn_networks": "VPN networks"}
# OPNsense's interface network tables, '__KEY_network' for every interface of <interfaces> (see
# ``Addresses.iface_table``)
_IFACE_TABLE = re.compile(r"^__(.+)_network$")
_PORTAL_TABLE = re.compile(r"^__captiveportal_zone_[0-9]+$")
# a host name as pfSense takes one (util.inc is_hostname, is_domain): dot-separated labels of letters, digits, '_'
# and '-' (not at a label's ends), one label or more ('fileserver'), a trailing dot allowed
_LABEL = r"(?:[a-z_0-9]|[a-z_0-9][a-z_0-9\-]*[a-z_0-9])"
_HOSTNAME = re.compile(r"^(?:%s\.)*(?:[a-z_0-9]|[a-z_0-9][a-z_0-9\-]*[a-z_0-9\.])$" % _LABEL, re.I)


@dataclass
class Iface:
    """One assigned interface (``<interfaces><lan>``)."""

    key: str
    name: str
    node: Node
    source: Source
    enabled: bool
    addr: dict[int, ISet] = field(default_factory=lambda: {4: EMPTY, 6: EMPTY})
    net: dict[int, ISet] = field(default_factory=lambda: {4: EMPTY, 6: EMPTY})
    dynamic: dict[int, str] = field(default_factory=dict)  # family -> how it is learned (unknown)
    none: dict[int, bool] = field(default_factory=lambda: {4: True, 6: True})  # no address of the family
    refs: list[AddressRef] = field(default_factory=list)
    wan: bool = False  # has a gateway: pfSense treats it as a WAN (reply-to, outbound NAT, default route)
    gateway: str = ""
    gateway6: str = ""
    blockpriv: Node | None = None
    blockbogons: Node | None = None
    virtual: bool = False
    source6: Source | None = None
    vip_addr: ISet = EMPTY  # virtual IPs (IP alias, CARP) on it
    vip_net: ISet = EMPTY
    macro_net: ISet = EMPTY  # pfSense: its virtual IPs' subnets (any mode), in its network macro too

    @property
    def has_net(self) -> bool:
        """Whether pfSense's network macro of the interface ('LAN net') holds a subnet known here."""
        return bool(self.net[4] or self.net[6] or self.macro_net)

    @property
    def model(self) -> Interface:
        """The model's record of this interface: its connected networks."""
        return Interface(self.name, self.net[4].union(self.net[6]).union(self.vip_net), self.source,
                         address_refs=tuple(self.refs))


@dataclass
class Alias:
    """One alias definition."""

    name: str
    type: str
    node: Node
    source: Source
    entries: list[tuple[str, Source]]
    enabled: bool = True


@dataclass
class Resolved:
    """A set of addresses (or ports): certainly ``sure``, possibly also ``maybe`` (disjoint); ``why`` says why."""

    sure: ISet
    maybe: ISet = EMPTY
    why: tuple[str, ...] = ()
    refs: tuple[AddressRef, ...] = ()
    undefined: tuple[str, ...] = ()

    def __or__(self, other: "Resolved") -> "Resolved":
        sure = self.sure.union(other.sure)
        maybe = self.maybe.union(other.maybe).subtract(sure) if (self.maybe or other.maybe) else EMPTY
        return Resolved(sure, maybe, _uniq(self.why + other.why), self.refs + other.refs,
                        _uniq(self.undefined + other.undefined))

    def negated(self, space: ISet) -> "Resolved":
        """pf's ``! addr``: what is certainly outside, and the uncertain part stays uncertain."""
        return Resolved(space.subtract(self.sure.union(self.maybe)), self.maybe, self.why, self.refs, self.undefined)


def _uniq(t: tuple) -> tuple:
    return tuple(dict.fromkeys(t))


def joined(parts: list[Resolved]) -> Resolved:
    """``r1 | r2 | ...`` in one step: each union made once (an alias of 20,000 entries joined
    one by one re-sorted its growing set, and copied its growing references, each time)."""
    if len(parts) == 1:
        return parts[0]
    sure = ISet.union_of(p.sure for p in parts)
    maybes = [p.maybe for p in parts if p.maybe]
    maybe = ISet.union_of(maybes).subtract(sure) if maybes else EMPTY
    return Resolved(sure, maybe, _uniq(tuple(w for p in parts for w in p.why)),
                    tuple(r for p in parts for r in p.refs), _uniq(tuple(u for p in parts for u in p.undefined)))


NOTHING_KNOWN = Resolved(EMPTY)


class Addresses:
    """The interfaces and aliases of one config, and the resolution of address and port operands."""

    def __init__(self, dialect: Dialect, lines, ifaces: list[Iface], aliases: dict[str, Alias],
                 vips: list[tuple[str, ISet, ISet, Source]], groups: dict[str, tuple[int, tuple[str, ...]]]):
        self.dialect = dialect
        self.groups = groups  # interface group -> (its sequence, its members' keys)
        self.lines = lines
        self.ifaces = ifaces
        self.by_key = {i.key: i for i in ifaces}
        self.aliases = aliases
        for key, addr, net, src in vips:
            # a virtual IP is an address of the firewall ('(self)') and its subnet is connected; 'lanip' stays the
            # interface's own address (filter.inc 'ip'), 'lan' takes its subnet in (``Iface.macro_net``)
            i = self.by_key.get(key)
            if i is None:
                continue
            i.vip_addr = i.vip_addr.union(addr)
            i.vip_net = i.vip_net.union(net)
            i.refs.append(AddressRef(addr, src))
        self.known = {f: EMPTY for f in (4, 6)}
        for i in ifaces:
            if i.enabled:
                for f in (4, 6):
                    self.known[f] = self.known[f].union(i.net[f]).union(i.vip_net.intersect(FAMILY[f]))
        # where an address learned at run time can be: not inside another interface's subnet
        self.unknown_space = {f: FAMILY[f].subtract(self.known[f]) for f in (4, 6)}
        self._addr_cache: dict[tuple[str, int], Resolved] = {}
        self._port_cache: dict[str, Resolved] = {}
        self._active: set[str] = set()

    # --- interface macros ----------------------------------------------------------------------
    def own(self, fam: int) -> Resolved:
        """``(self)``: every address of the firewall of family ``fam``."""
        sure, maybe, why = EMPTY, EMPTY, []
        for i in self.ifaces:
            if not i.enabled:
                continue
            sure = sure.union(i.addr[fam]).union(i.vip_addr.intersect(FAMILY[fam]))
            if fam in i.dynamic:
                maybe = maybe.union(self.unknown_space[fam])
                why.append("%s's address is learned by %s at run time" % (i.name, i.dynamic[fam]))
        return Resolved(sure, maybe.subtract(sure), tuple(why))

    def iface_net(self, key: str, fam: int, ip: bool) -> Resolved | None:
        """``lan`` (the subnet) or ``lanip`` (the address) of interface ``key``; None if no such interface."""
        i = self.by_key.get(key)
        if i is None:
            return None
        what = "address" if ip else "subnet"
        # ('lanip': pfSense writes the interface's own address, filter.inc $FilterIflist[...]['ip']; OPNsense Rule.php
        # loadAliasMap '(em1)', which pf.conf(5) reads as every address of the interface, IP aliases and CARP too)
        vips = (i.vip_addr if self.dialect.opn else EMPTY) if ip else i.macro_net
        vips = vips.intersect(FAMILY[fam])
        refs = tuple(r for r in i.refs if r.addresses.overlaps(FAMILY[fam]))
        if self.dialect.opn and not ip and i.virtual and not (i.addr[4] or i.addr[6] or i.dynamic or i.vip_net):
            # an OPNsense interface group of no listed members, such as the 'openvpn' and 'wireguard' groups it
            # registers in <interfaces> (type 'group'): '(openvpn:network)' holds the networks of the tunnel
            # devices that join the group when they are created, which config.xml does not list
            return Resolved(EMPTY, self.unknown_space[fam],
                            ("%s's networks are those of the devices that join it at run time" % i.name,))
        if fam in i.dynamic:
            # (pfSense's network table holds its virtual IPs' subnets whatever the interface's address)
            return Resolved(vips, self.unknown_space[fam].subtract(vips),
                            ("%s's %s is learned by %s at run time" % (i.name, what, i.dynamic[fam]),),
                            refs if vips else ())
        return Resolved((i.addr[fam] if ip else i.net[fam]).union(vips), refs=refs)

    def iface_table(self, name: str, fam: int) -> Resolved | None:
        """OPNsense: the table ``__KEY_network`` of interface ``KEY`` (None: not such a table).

        OPNsense offers an alias '__KEY_network' ("LAN net") for every interface of <interfaces>
        (Firewall/DynamicAliases/InterfaceNetworkAliases.php, merged into the alias list by AliasField, so
        Rule.php loadAliasMap writes it as the table '$__KEY_network'); templates/OPNsense/Filter/
        filter_tables.conf makes it a table of type 'interface_net' on the interface's device, which
        scripts/filter/lib/alias/pf.py flush_network fills with 'pfctl -t __KEY_network -T replace
        DEVICE:network': the networks of the addresses set on the device (pf.conf(5) ':network'), its IP alias and
        CARP virtual IPs included, IPv6 link-local ones not (pfctl ifa_lookup) -- what ``iface_net`` gives for
        'KEY', without the fe80::/10 Rule.php adds to an interface itself; of an interface group's entry (type
        'group'), its members' (pfctl expands a group's ':network').  A disabled interface is not configured: what
        its device holds is not known."""
        if not self.dialect.opn:
            return None
        m = _IFACE_TABLE.match(name)
        i = self.by_key.get(m.group(1)) if m is not None else None
        if i is None:
            return None
        if i.key in self.groups and i.virtual:
            # (a group's entry in <interfaces>: its device is the group, whose ':network' is its members')
            return self.group_net(self.groups[i.key][1], fam)
        got = self.iface_net(i.key, fam, ip=False)
        if not i.enabled:
            why = "table %s: interface %s is not enabled" % (name, i.name)
            return Resolved(EMPTY, got.sure.union(got.maybe), (why,))
        return got

    def group_net(self, members: tuple[str, ...], fam: int) -> Resolved:
        """An interface group as a rule's network: the subnets of its enabled members and of their virtual IPs.
        pfSense: the table <GROUP__NETWORK> (filter.inc filter_generate_optcfg_array adds each member's 'vips' and
        its 'ip'/'sn' to the group's 'vips'; filter_generate_aliases writes them); OPNsense: '(GROUP:network)', the
        networks of its members (pf.conf(5) ':network'), their IP alias / CARP subnets included (``macro_net``)."""
        got = [self.iface_net(i.key, fam, ip=False) for i in self.members(members)]
        return joined(got) if got else Resolved(EMPTY)

    def members(self, names: tuple[str, ...]) -> list[Iface]:
        """The enabled interfaces among ``names`` (an interface group's members)."""
        return [self.by_key[m] for m in names if m in self.by_key and self.by_key[m].enabled]

    def suffixed(self, text: str, key: str, fam: int) -> Resolved:
        """pfSense: a rule's address written '::X', the host part of an IPv6 address under the prefix of the rule's
        interface ``key`` (the interface field as written).

        filter.inc filter_generate_address: "static host portion of IPv6" (redmine #6626), an address beginning
        with '::' is written as merge_ipv6_delegated_prefix(get_interface_ipv6(IF), ADDRESS, get_interface_subnetv6
        (IF)) (pfsense-utils.inc): the interface address's first 48, 52, 56 or 60 bits for those prefix lengths (59:
        60), its first 64 for any other, then the rest of '::X' (an IPv4 tail, '::10.0.0.5', first made hex).  The
        prefix is the interface's at each filter reload: one learned at run time (track6, DHCPv6, SLAAC, ...) is not
        in config.xml."""
        space = FAMILY[fam]
        i = self.by_key.get(key)
        head = "'%s' is joined to the IPv6 prefix of the rule's interface" % text
        if i is None or not i.enabled or i.none[6]:
            return Resolved(EMPTY, space, ("%s, and %s has no IPv6 address known here" % (head, key or "it"),))
        if 6 in i.dynamic:
            return Resolved(EMPTY, self.unknown_space[6], ("%s, which %s learns by %s at run time"
                                                            % (head, i.name, i.dynamic[6]),))
        parts = text.split(":")
        if "." in parts[-1]:
            # (merge_ipv6_delegated_prefix: 'dechex(ip2long(TAIL))' cut after 4 hex digits, as PHP writes it)
            try:
                h = "%x" % (addr_to_int(parts[-1]) - V4_BASE)
            except ValueError:
                h = ""
            parts[-1:] = [h[:4], h[4:8]] if h else [parts[-1]]
        try:
            suffix = addr_to_int(":".join(parts)) if "/" not in text else None
        except ValueError:
            suffix = None
        if suffix is None:
            return Resolved(EMPTY, space, ("%s, and is not an IPv6 address pfSense merges" % head,))
        bits = {48: 48, 52: 52, 56: 56, 59: 60, 60: 60}.get(128 - (i.net[6].size() - 1).bit_length(), 64)
        host = (1 << (128 - bits)) - 1
        return Resolved(ISet.of((i.addr[6].lo & ~host) | (suffix & host)))

    # --- aliases -------------------------------------------------------------------------------
    def address(self, text: str, fam: int, src: Source | None) -> Resolved:
        """An address operand: alias name, address, CIDR or range, within family ``fam`` (referred to at
        ``src``, if given)."""
        t = text.strip()
        space = FAMILY[fam]
        if t in self.aliases:
            return self.alias_addr(t, fam)
        got = self.iface_table(t, fam)
        if got is not None:
            return got
        if self.dialect.opn and _PORTAL_TABLE.match(t):
            # (Firewall/DynamicAliases/CaptivePortalAliases.php: an 'external' alias of each enabled zone, which
            # the captive portal fills with the addresses of its logged-in clients)
            return Resolved(EMPTY, space, ("table <%s> is filled at run time (clients logged in to the captive "
                                           "portal zone)" % t,))
        if t in SYSTEM_TABLES:
            return Resolved(EMPTY, space, ("table <%s> is filled at run time (%s)" % (t, SYSTEM_TABLES[t]),))
        try:
            s = addr_set(t)
        except (ValueError, TypeError):
            return Resolved(EMPTY, space, ("'%s' is neither an alias nor an address" % t,), undefined=(t,))
        s = s.intersect(space)
        return Resolved(s, refs=(AddressRef(s, src),) if s and src is not None else ())

    def alias_addr(self, name: str, fam: int) -> Resolved:
        key = (name, fam)
        got = self._addr_cache.get(key)
        if got is None:
            got = self._addr_cache[key] = self._alias_addr(name, fam)
        return got

    def _alias_addr(self, name: str, fam: int) -> Resolved:
        a = self.aliases[name]
        space = FAMILY[fam]
        if not a.enabled:
            return Resolved(EMPTY, space, ("alias %s is disabled" % name,))
        if a.type in ("port", "url_ports", "urltable_ports"):
            return Resolved(EMPTY, space, ("alias %s is a port alias, used as an address" % name,))
        if a.type not in ("host", "network", "networkgroup", "internal"):
            why = "alias %s of type %s: its addresses are not in config.xml" % (name, a.type)
            return Resolved(EMPTY, space, (why,))
        if name in self._active:
            return Resolved(EMPTY, space, ("alias %s contains itself" % name,))
        if self._excludes(name):
            return self._table(name, fam)
        self._active.add(name)
        try:
            out = NOTHING_KNOWN
            minus: list[ISet] = []
            run: list[Resolved] = []  # the entries since the last negated one: joined at once
            for text, src in a.entries:
                neg = text.startswith("!")
                t = text[1:] if neg else text
                if t in self.aliases:
                    r = self.alias_addr(t, fam)
                else:
                    r = self._entry(name, t, fam, src)
                if neg:
                    if run:
                        out, run = out | joined(run), []
                    minus.append(r.sure)
                    out = Resolved(out.sure, out.maybe.union(r.maybe), out.why + r.why, out.refs + r.refs,
                                   out.undefined + r.undefined)
                else:
                    run.append(r)
            if run:
                out = out | joined(run)
            cut = ISet.union_of(minus)
            if cut:
                out = Resolved(out.sure.subtract(cut), out.maybe.subtract(cut), out.why, out.refs, out.undefined)
            return out
        finally:
            self._active.discard(name)

    def entry_kind(self, t: str) -> str:
        """What an entry of a host or network alias that names no other alias is: 'table' (a table filled at run
        time: a system table, OPNsense's interface networks and captive portal zones), 'address' (an address, CIDR
        or range), 'host' (a host name, resolved at run time) or 'unknown'.

        pfSense filter.inc filter_generate_nested_alias_recurse takes an entry that is no address or subnet and
        passes is_hostname (a single label too) as a host name, which filterdns resolves into the alias' table;
        OPNsense's alias updater (scripts/filter/lib/alias) resolves the host names of host and network aliases
        alike."""
        if t in SYSTEM_TABLES or (self.dialect.opn and (_PORTAL_TABLE.match(t) or self.iface_table(t, 4) is not None)):
            return "table"
        try:
            addr_set(t)
        except (ValueError, TypeError):
            return "host" if _HOSTNAME.match(t) else "unknown"
        return "address"

    def _entry(self, name: str, t: str, fam: int, src) -> Resolved:
        """One entry ``t`` of alias ``name`` that is not another alias (``entry_kind``)."""
        space = FAMILY[fam]
        kind = self.entry_kind(t)
        if kind == "table":
            got = self.iface_table(t, fam)
            return got if got is not None else self.address(t, fam, src)
        if kind == "host":
            return Resolved(EMPTY, space, ("alias %s: host name %s is resolved at run time" % (name, t),))
        if kind == "unknown":
            return Resolved(EMPTY, space, ("alias %s: entry '%s' is neither an alias, an address nor a host name"
                                           % (name, t),), undefined=(t,))
        got = addr_set(t).intersect(space)
        return Resolved(got, refs=(AddressRef(got, src),) if got else ())

    def _excludes(self, name: str, seen: frozenset = frozenset()) -> bool:
        """Whether host/network alias ``name``, with the aliases it holds, has an exclusion (``!``) entry."""
        a = self.aliases[name]
        for text, _src in a.entries:
            if text.startswith("!"):
                return True
            if text in self.aliases and text not in seen and self.aliases[text].type in ("host", "network",
                                                                                          "networkgroup", "internal"):
                if self._excludes(text, seen | {name}):
                    return True
        return False

    def _flat(self, name: str, fam: int, out: list, stack: tuple) -> None:
        """The entries of alias ``name`` as its pf table holds them: the aliases it names expanded in place,
        each entry ``(Resolved, negated)``."""
        a = self.aliases[name]
        space = FAMILY[fam]
        for text, src in a.entries:
            neg = text.startswith("!")
            t = text[1:] if neg else text
            if t in self.aliases:
                b = self.aliases[t]
                if neg or t in stack or not b.enabled or b.type not in ("host", "network", "networkgroup",
                                                                        "internal"):
                    why = "alias %s: entry '%s' not understood inside a table with exclusions" % (name, text)
                    out.append((Resolved(EMPTY, space, (why,)), False))
                else:
                    self._flat(t, fam, out, stack + (t,))
                continue
            r = self._entry(name, t, fam, src)
            if neg and r.refs and t not in SYSTEM_TABLES:  # (an excluded address is referred to by nothing)
                r = Resolved(r.sure, r.maybe, r.why, (), r.undefined)
            out.append((r, neg))

    def _table(self, name: str, fam: int) -> Resolved:
        """An alias with exclusions (OPNsense: "Exclusion addresses starts with '!' ... can be used to exclude
        hosts or networks from current Alias or Network group"), as pf matches its table: the most specific
        entry holding an address decides, and an excluded (``!``) entry excludes (pf_table.c, pfr_match_addr:
        a radix tree's longest-prefix match, negated by the entry's 'not' flag).  Aliases it names are
        expanded into it, as the table holds their entries."""
        entries: list = []
        self._flat(name, fam, entries, (name,))
        blocks = []  # (size, is_negated, lo, hi)
        pos_maybe, neg_maybe = [], []
        why, refs, undefined = [], [], []
        for r, neg in entries:
            for lo, hi in r.sure.iv:
                for blo, bhi in _cidr_blocks(lo, hi):
                    blocks.append((bhi - blo, neg, blo, bhi))
            (neg_maybe if neg else pos_maybe).append(r.maybe)
            why.extend(r.why)
            refs.extend(r.refs)
            undefined.extend(r.undefined)
        blocks.sort(key=lambda b: (-b[0], b[1]))  # the least specific first; of one block, the exclusion last
        sure = EMPTY
        for _size, neg, lo, hi in blocks:
            sure = sure.subtract(ISet.of(lo, hi)) if neg else sure.union(ISet.of(lo, hi))
        nm = ISet.union_of(neg_maybe)
        got = sure.subtract(nm) if nm else sure
        maybe = sure.intersect(nm).union(ISet.union_of(pos_maybe)).subtract(got)
        return Resolved(got, maybe, _uniq(tuple(why)), tuple(refs), _uniq(tuple(undefined)))

    def port(self, text: str) -> Resolved:
        """A port operand: ``80``, ``80-90`` / ``80:90``, ``any``, a service name or a port alias."""
        t = text.strip()
        if t in ("", "any"):
            return Resolved(ALL_PORTS)
        if t in self.aliases:
            got = self._port_cache.get(t)
            if got is None:
                got = self._port_cache[t] = self._alias_port(t)
            return got
        got = self._port_cache.get(t)
        if got is None:
            try:
                got = Resolved(port_range_text(t))
            except ValueError:
                got = Resolved(EMPTY, ALL_PORTS, ("port '%s' is neither an alias nor a port" % t,), undefined=(t,))
            self._port_cache[t] = got
        return got

    def _alias_port(self, name: str) -> Resolved:
        a = self.aliases[name]
        if not a.enabled:
            return Resolved(EMPTY, ALL_PORTS, ("alias %s is disabled" % name,))
        if a.type != "port":
            why = "alias %s of type %s: its ports are not in config.xml" % (name, a.type)
            return Resolved(EMPTY, ALL_PORTS, (why,))
        if name in self._active:
            return Resolved(EMPTY, ALL_PORTS, ("alias %s contains itself" % name,))
        self._active.add(name)
        try:
            out = NOTHING_KNOWN
            for text, _src in a.entries:
                if text in self.aliases:
                    out = out | self.port(text)
                    continue
                try:
                    out = out | Resolved(port_range_text(text))
                except ValueError:
                    out = out | Resolved(EMPTY, ALL_PORTS, ("alias %s: entry '%s' is not a port" % (name, text),))
            return out
        finally:
            self._active.discard(name)

    def named_objects(self) -> tuple[NamedObject, ...]:
        """Every alias, resolved (both families), for the model."""
        out = []
        for a in self.aliases.values():
            members = tuple(s for _t, s in a.entries)
            if a.type == "port":
                from auditor.core.packets import PacketSet, cube
                r = self.port(a.name)
                out.append(NamedObject(a.name, "service", a.source, members,
                                       services=PacketSet([cube(dport=r.sure)]) if r.sure else PacketSet(),
                                       complete=not r.maybe))
            else:
                r4, r6 = self.alias_addr(a.name, 4), self.alias_addr(a.name, 6)
                out.append(NamedObject(a.name, "address", a.source, members, addresses=r4.sure.union(r6.sure),
                                       complete=not (r4.maybe or r6.maybe)))
        return tuple(out)


def _cidr_blocks(lo: int, hi: int):
    """The aligned power-of-two blocks (CIDR prefixes) making up ``lo..hi``, as (first, last) pairs."""
    while lo <= hi:
        size = (lo & -lo) if lo else 1 << 128
        while size > hi - lo + 1:
            size >>= 1
        yield lo, lo + size - 1
        lo += size


@lru_cache(maxsize=1 << 16)
def addr_set(text: str) -> ISet:
    """``cidr_set`` for the forms aliases and rules repeat thousands of times, cached; the IPv4 ones
    without the ``ipaddress`` module (``ValueError`` as ``cidr_set``)."""
    t = text.strip()
    if ":" not in t and "-" not in t:
        a, sep, b = t.partition("/")
        if t.count(".") == 3 and (not sep or (whole(b) and int(b) <= 32)):
            x = addr_to_int(a) - V4_BASE
            size = 1 << (32 - int(b)) if sep else 1
            lo = V4_BASE + (x & ~(size - 1))
            return ISet.of(lo, lo + size - 1)
    return cidr_set(t)


# nicknames of the audit's service table that are no name of FreeBSD's /etc/services (IANA's are 'domain',
# 'microsoft-ds', 'ms-wbt-server', 'afpovertcp', 'printer')
_NOT_ETC_SERVICES = frozenset({"dns", "smb", "rdp", "afp", "lpd"})


def is_port(text: str) -> bool:
    """pfSense util.inc is_port (OPNsense Util::isPort alike): a whole number 1-65535 (ctype_digit: ASCII digits) or a
    name getservbyname(3) finds in FreeBSD's /etc/services, as written (case-sensitive: 'HTTP' is none).  pfctl
    reads a port name with getservbyname too (parse.y "unknown port")."""
    if whole(text):
        return 1 <= int(text) <= 65535
    return text in SERVICES and text not in _NOT_ETC_SERVICES


def _port(word: str) -> int:
    w = word.strip()
    if not whole(w) and not is_port(w):
        raise ValueError("'%s' is no port number nor a name of /etc/services" % w)
    return port_number(w)


def port_range_text(t: str) -> ISet:
    """``80``, ``80-90``, ``80:90`` or a service name -> the ports (``ValueError`` otherwise)."""
    t = t.strip()
    if not whole(t) and is_port(t):
        return ISet.of(port_number(t))  # (a name with a hyphen, 'microsoft-ds', is one name to pfctl)
    for sep in ("-", ":"):
        if sep in t:
            lo, hi = t.split(sep, 1)
            lo_v = _port(lo) if lo.strip() not in ("", "any") else 0
            hi_v = _port(hi) if hi.strip() not in ("", "any") else 65535
            if lo_v > hi_v:
                raise ValueError("empty port range %s" % t)
            return ISet.of(lo_v, hi_v)
    return ISet.of(_port(t))


def host_and_net(addr_text: str, bits_text: str | None, fam: int) -> tuple[ISet, ISet]:
    """An interface address and its prefix length -> (the address, its network); ValueError if bad."""
    a = ipaddress.ip_address(addr_text.strip())
    if a.version != fam:
        raise ValueError("not an IPv%d address" % fam)
    maxlen = 32 if fam == 4 else 128
    bits = int(bits_text) if bits_text not in (None, "") else maxlen
    if not 0 <= bits <= maxlen:
        raise ValueError("bad prefix length %s" % bits_text)
    net = ipaddress.ip_network("%s/%d" % (a, bits), strict=False)
    return ISet.of(addr_to_int(str(a))), network_to_iset(net)

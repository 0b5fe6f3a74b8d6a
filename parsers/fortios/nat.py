"""VIPs (``config firewall vip``): FortiOS's destination NAT, and how policies see it.

What FortiOS does, and so what is modelled (each cited in the tests):

* A VIP translates packets to its external address (``extip``, one address or a range;
  with ``portforward enable`` only its ``protocol``, default TCP, and ``extport``) to the
  mapped address (``mappedip``) and port (``mappedport``), block onto block.  VIPs are
  looked up top down in their configuration order, first match, before the route lookup
  and the policy lookup (Fortinet KB "Technical Tip: How FortiOS handles VIP lookup";
  "VIP port forwarding order of execution").
* Policy-based NAT (the default): a VIP is applied only when at least one enabled policy
  names it (same KB).  A policy names a VIP in its ``dstaddr`` and sees the VIP's traffic
  after translation (its service matches the mapped port), and only such policies see it:
  an accept or deny policy with ``dstaddr all`` does not match traffic a VIP translated,
  except a deny policy with ``set match-vip enable`` (Fortinet KB "Technical Tip: DENY
  policy for Virtual IP firewall policy"; ``match-vip`` is the default from FortiOS 7.2.4).
  The model states this with rules that see the packet as the client sent it
  (``Stage.sees = "sent"``): a VIP named in ``dstaddr`` matches the packets that VIP
  translates whose translation the policy's service admits, and address objects match only
  packets no active VIP translates.  The egress interface is chosen on the translated
  destination (``Nat(when="pre-routing")``).
* Central NAT (``config system settings`` / ``set central-nat enable``): every VIP applies,
  policies name the mapped addresses and see the translated packet (``sees = "routed"``).
* ``status disable``: the VIP translates nothing (policies naming it are unknown there).
* ``srcintf-filter IFACE...`` (FortiOS 6.2+; "enable" in older releases: ``extintf``) limits the
  VIP to packets entering those interfaces; ``src-filter``
  to those sources.  Port ranges map one to one (``portmapping-type 1-to-1``, the default); many
  external ports onto one mapped port only with ``m-to-n``; a range onto one port in 1-to-1, or an
  external address range onto one mapped address, is reported.  Load-balancing and FQDN VIPs
  (``type`` other than ``static-nat``) are reported and their traffic is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.core.model import Impact, Nat, NatRule, Rewrite
from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_PROTO, ALL_V4, ALL_V6, EMPTY, ISet, PacketSet, cube
from parsers.fortios.services import SCTP, TCP, UDP, Svc, port_spec
from parsers.kit.addr import cidr_set

_PROTOS = {"tcp": ISet.of(TCP), "udp": ISet.of(UDP), "sctp": ISet.of(SCTP), "icmp": ISet.of(1)}


@dataclass
class Vip:
    name: str
    ext: ISet
    mapped: ISet
    proto: ISet  # ALL_PROTO unless port forwarding
    extport: ISet  # ALL_PORTS unless port forwarding
    port_offset: int | None  # mappedport - extport (None: not translated, or many to one)
    mapped_port: ISet | None
    src: ISet
    extintf: str
    srcintf_filter: tuple  # the interfaces it is limited to (empty: every interface)
    line: int
    sure: bool = True  # False: a load-balancing/FQDN VIP whose mapping is not modelled, or a disabled one
    enabled: bool = True  # False: 'set status disable', it translates nothing

    def translated(self) -> PacketSet:
        """The packets (as sent) this VIP translates."""
        return PacketSet([cube(src=self.src, dst=self.ext, proto=self.proto, dport=self.extport)])

    def sent_for(self, svcs: list[Svc], src: ISet) -> list:
        """Cubes of packets as sent, from ``src``, that this VIP translates into one of ``svcs``."""
        out = []
        offset = self.mapped.lo - self.ext.lo if self.mapped and self.ext else 0
        for s in svcs:
            if s.dst is ALL_ADDR:
                dst = self.ext
            else:
                dst = s.dst.intersect(self.mapped)
                if not dst:  # (none of the VIP's mapped addresses: nothing it translates)
                    continue
                dst = _shift(dst, -offset).intersect(self.ext)
            proto = s.proto.intersect(self.proto)
            if not proto or not dst:
                continue
            if self.extport is ALL_PORTS:
                dport = s.dport
            elif self.port_offset is not None:
                dport = _shift(s.dport, -self.port_offset).intersect(self.extport)
            else:  # many external ports onto one mapped port: all or nothing
                dport = self.extport if self.mapped_port and self.mapped_port.issubset(s.dport) else EMPTY
            if dport:
                out.append(cube(src=src.intersect(self.src), dst=dst, proto=proto, sport=s.sport, dport=dport))
        return [c for c in out if all(c.dims)]


def _srcintf_filter(e) -> tuple:
    """The interfaces a VIP is limited to: ``set srcintf-filter "port1" "port2"`` (FortiOS 6.2+, CLI
    reference "config firewall vip"), or ``extintf`` with the older ``srcintf-filter enable``."""
    names = e.get("srcintf-filter", [])
    if not names or names[0].lower() == "disable":
        return ()
    if names[0].lower() == "enable":
        ext = e.one("extintf", "any")
        return () if ext == "any" else (e.get("extintf")[0],)
    return tuple(n for n in names if n.lower() != "any") if "any" not in (n.lower() for n in names) else ()


_ZERO = cidr_set("0.0.0.0", 4)


def _range6(text: str) -> ISet:
    """An IPv6 address, prefix or ``A-B`` range (``::``, the unspecified address: every IPv6 address)."""
    lo, dash, hi = text.partition("-")
    if not dash:
        got = cidr_set(lo, 6)
        return ALL_V6 if got == cidr_set("::", 6) else got
    a, b = cidr_set(lo, 6), cidr_set(hi, 6)
    if a.lo > b.lo:
        raise ValueError("range %s" % text)
    return ISet.of(a.lo, b.lo)


def _shift(s: ISet, k: int) -> ISet:
    return ISet([(lo + k, hi + k) for lo, hi in s.iv]) if k else s


class Vips:
    """The VIPs of one VDOM: which are active, their NAT table, what policies see of them."""

    def __init__(self, p, central: bool, interfaces: list = ()):
        self.p = p
        self.central = central
        self.nets = {i.name: i.networks for i in interfaces}  # (each interface's connected networks)
        self.vips: dict[str, Vip] = {}
        self.used: set[str] = set()  # VIPs named by an enabled policy
        self.order = list(p.book.vip)
        for name, e in p.book.vip.items():
            v = self._vip(e)
            if v is not None:
                self.vips[name] = v

    def _vip(self, e) -> Vip | None:
        ln = self.p.lines
        src = ln.source(e.line)
        typ = e.one("type", "static-nat")
        try:
            ext = cidr_set(e.get("extip", ["0.0.0.0"])[0], 4)
            # extip 0.0.0.0: "equivalent to the external interface's IP address" when extintf is not any
            # (Administration Guide 7.0, "Static virtual IPs"), "accepts connections destined for any IP address"
            # (FortiOS 5.0 Help, "VIP46"); not modelled: taken as every IPv4 address, its traffic unknown (below)
            anywhere = ext == _ZERO
            if anywhere:
                ext = ALL_V4
            mapped_words = e.get("mappedip", [])
            mapped = EMPTY
            for w in mapped_words:
                mapped = mapped.union(cidr_set(w, 4))
            pf = e.one("portforward") == "enable"
            proto = _PROTOS.get(e.one("protocol", "tcp")) if pf else ALL_PROTO
            if proto is None:
                raise ValueError("protocol %s" % e.one("protocol"))
            extport = port_spec(e.get("extport", ["0"])[0]) if pf else ALL_PORTS
            mport = port_spec(e.get("mappedport", [e.get("extport", ["0"])[0]])[0]) if pf else None
            sfilter = EMPTY
            for w in e.get("src-filter", []):
                sfilter = sfilter.union(cidr_set(w))
        except (ValueError, IndexError) as ex:
            ln.unrecognized(src, "VIP %s not understood (%s): traffic to it is unknown" % (e.name, ex),
                            Impact.GLOBAL)
            return None
        offset = None
        ports_sure = True
        if pf and mport is not None:
            # 'portmapping-type' 1-to-1 (the default) or m-to-n (CLI reference, config firewall vip, 6.2.6); many
            # external ports onto one mapped port is an m-to-n VIP (KB 350101, "Virtual IP (VIP) port forwarding
            # order of execution": 'extport 442-444', 'mappedport 443', 'portmapping-type m-to-n'); one to one,
            # "the number of ports in these two ranges must be equal" (FortiGate 3.0 MR4 Administration Guide,
            # "Firewall Virtual IP"): what a 1-to-1 range onto one port translates to is not modelled
            m_to_n = e.one("portmapping-type", "1-to-1") == "m-to-n"
            if mport.size() == extport.size() and (mport.size() == 1 or not m_to_n):
                offset = mport.lo - extport.lo
            elif mport.size() == 1:
                ports_sure = m_to_n
            else:
                ln.unrecognized(src, "VIP %s maps %d external ports onto %d%s: the port mapping is not modelled"
                                % (e.name, extport.size(), mport.size(), " (m-to-n)" if m_to_n else ""),
                                Impact.GLOBAL)
                return None
        if e.one("status", "enable") == "disable":
            # translates nothing; what a policy naming it matches is not documented: unknown, never sure
            return Vip(e.name, ext, mapped, proto, extport, offset, mport, sfilter or ALL_ADDR,
                       e.one("extintf", "any"), _srcintf_filter(e), e.line, False, False)
        sure = True
        if typ != "static-nat" or e.get("realservers") or not mapped:
            ln.unrecognized(src, "VIP %s of type %s: its mapped addresses are not modelled, traffic to it is unknown"
                            % (e.name, typ), Impact.GLOBAL)
            sure = False
        elif ext.size() != mapped.size() and not anywhere:
            # static NAT is one to one: "a range of external IP addresses is mapped to a corresponding range of
            # mapped IP addresses" (FortiGate 3.0 MR4 Administration Guide, "Firewall Virtual IP"; KB 216348
            # "VIP DNAT behaviour": the mapped range's end follows from the external range): a range onto one
            # address is not documented as many to one
            ln.unrecognized(src, "VIP %s maps %d external addresses onto %d: not modelled"
                            % (e.name, ext.size(), mapped.size()), Impact.GLOBAL)
            sure = False
        if not ports_sure:
            ln.unrecognized(src, "VIP %s maps external ports %s onto the one port %d one to one (portmapping-type "
                            "1-to-1): the port mapping is not modelled, traffic to it is unknown"
                            % (e.name, e.get("extport")[0], mport.lo), Impact.GLOBAL)
            sure = False
        if e.get("service") and not pf:
            # (a VIP limited to services, FortiOS CLI reference "config firewall vip": 'set service': which
            # packets it then translates is not modelled)
            ln.unrecognized(src, "VIP %s is limited to services (%s): which packets it translates is not modelled"
                            % (e.name, " ".join(e.get("service"))), Impact.GLOBAL)
            sure = False
        if e.one("arp-reply", "enable") == "disable" and not anywhere:
            # "arp-reply: Enable to respond to ARP requests for this virtual IP address. Enabled by default" (CLI
            # Reference, "config firewall vip"): with 'disable', a router on the external interface's own network
            # finds no one answering for the external address there and does not deliver its traffic, unless it
            # routes that address to the FortiGate (not in the configuration)
            intf = e.one("extintf", "any")
            on = [n for n, nets in self.nets.items() if (intf.lower() == "any" or n == intf) and nets.overlaps(ext)]
            if on:
                ln.unrecognized(ln.source(e.at("arp-reply")), "VIP %s does not answer ARP (arp-reply disable) for "
                                "its external address, on interface %s's own network: its traffic reaches the "
                                "FortiGate only if the router there routes the address to it, which the "
                                "configuration does not say; that traffic is unknown" % (e.name, on[0]), Impact.NONE)
                sure = False
        if anywhere:
            # (the doubt is the NAT rule's: the packets it may translate, of its protocol and external ports and
            # from its src-filter, are unknown when a policy names it, every VIP in central NAT)
            ln.unrecognized(src, "VIP %s has external address 0.0.0.0 (the external interface's address, or any "
                            "address, as the documents say): not modelled; the traffic it may translate%s is "
                            "unknown" % (e.name, "" if not pf else " (%s port %s)" % (
                                e.one("protocol", "tcp"), e.get("extport", ["0"])[0])), Impact.NONE)
            sure = False
        return Vip(e.name, ext, mapped, proto, extport, offset, mport, sfilter or ALL_ADDR,
                   e.one("extintf", "any"), _srcintf_filter(e), e.line, sure)

    def vip6_rules(self) -> list[NatRule]:
        """``config firewall vip6`` (IPv6 destination NAT): not modelled, so the IPv6 packets to each enabled
        VIP6's external address (``extip``, one address or a range; from its ``src-filter`` sources) are
        unknown, at its line, whatever their protocol or port; a VIP6 with ``status disable`` translates nothing,
        as a VIP (FortiOS CLI Reference, "config firewall vip6": "status: Enable/disable VIP")."""
        ln = self.p.lines
        out = []
        for name, e in self.p.book.vip6.items():
            src = ln.source(e.line)
            if e.one("status", "enable") == "disable":
                continue
            try:
                ext = _range6(e.get("extip", ["::"])[0])
                sfilter = EMPTY
                for w in e.get("src-filter", []):
                    sfilter = sfilter.union(_range6(w))
            except (ValueError, IndexError) as ex:
                ln.unrecognized(src, "VIP6 %s not understood (%s): traffic to it is unknown" % (name, ex),
                                Impact.GLOBAL)
                continue
            ln.unrecognized(src, "VIP6 %s: IPv6 destination NAT is not modelled; the IPv6 traffic to its external "
                            "address %s is unknown" % (name, e.one("extip", "::")), Impact.NONE)
            out.append(NatRule(PacketSet(), (), src, maybe=PacketSet([cube(src=sfilter or ALL_V6, dst=ext)]),
                               label="VIP6 %s (not modelled)" % name))
        return out

    def members(self, name: str, stack: tuple = ()) -> list[str] | None:
        """The VIPs a dstaddr name stands for (a VIP or VIP group), None when it is neither."""
        if name in self.p.book.vip:
            return [name]
        g = self.p.book.vipgrp.get(name)
        if g is None or name in stack:
            return None
        out = []
        for m in g.get("member", []):
            out += self.members(m, stack + (name,)) or []
        return out

    def active(self) -> list[Vip]:
        """VIPs that translate: every one in central NAT mode, else those an enabled policy names."""
        return [self.vips[n] for n in self.order if n in self.vips and self.vips[n].enabled
                and (self.central or n in self.used)]

    def translated(self) -> PacketSet:
        """Every packet (as sent) some active VIP translates."""
        cubes = []
        for v in self.active():
            cubes.extend(v.translated().cubes)
        return PacketSet(cubes)

    def tables(self) -> tuple[Nat, ...]:
        """The pre-routing NAT table of the active VIPs, in their order."""
        rules = []
        for v in self.active():
            if not v.sure:
                rules.append(NatRule(PacketSet(), (), self.p.lines.source(v.line), maybe=v.translated(),
                                     label="VIP %s (not modelled)" % v.name))
                continue
            rw = [Rewrite(1, offset=v.mapped.lo - v.ext.lo) if v.mapped.size() == v.ext.size()
                  else Rewrite(1, pool=v.mapped)]
            if v.extport is not ALL_PORTS and v.mapped_port is not None:
                rw.append(Rewrite(4, offset=v.port_offset) if v.port_offset is not None
                          else Rewrite(4, pool=v.mapped_port))
            ingress = tuple(m for n in v.srcintf_filter  # (a zone stands for its interfaces)
                            for m in (self.p.zones[n][0] if n in self.p.zones else [n]))
            rules.append(NatRule(v.translated(), tuple(r for r in rw if r.pool is not None or r.offset),
                                 self.p.lines.source(v.line), ingress=ingress, label="VIP %s" % v.name))
        out = (Nat("firewall vip", tuple(rules), when="pre-routing"),) if rules else ()
        six = self.vip6_rules()
        return out + ((Nat("firewall vip6", tuple(six), when="pre-routing"),) if six else ())


_UDP = ISet.of(UDP)


def _pool_addresses(pool: dict) -> ISet | None:
    """An IPv4 pool's external addresses (``startip``-``endip``, FortiOS CLI Reference, "config firewall
    ippool"), None when not understood."""
    try:
        lo = cidr_set(pool["startip"][0], 4)
        hi = cidr_set(pool.get("endip", pool["startip"])[0], 4)
    except (KeyError, TypeError, ValueError):
        return None
    return ISet.of(lo.lo, hi.lo) if lo.lo <= hi.lo else None


def _outside(p, ent) -> tuple[str, ...]:
    """The interfaces of a policy's ``dstintf`` (a zone's or SD-WAN zone's members; empty: ``any``)."""
    out: list[str] = []
    for w in ent.get("dstintf", []):
        if w.lower() == "any":
            return ()
        out += p.zones[w][0] if w in p.zones else p.sdwan_zones.get(w, [w])
    return tuple(out)


def full_cone(p, built, central: bool) -> tuple[Nat, ...]:
    """Full cone NAT: FortiOS CLI Reference, "config firewall policy": "permit-any-host: Enable/disable fullcone
    NAT. Accept UDP packets from any host", "permit-stun-host: Accept UDP packets from any Session Traversal
    Utilities for NAT (STUN) host"; Administration Guide 7.6, "Full cone NAT for fixed port range IP pools":
    'permit-any-host enable' on the pool of a policy "allows all external hosts to send packets to internal hosts
    through a mapped external IP address and port" ("Only UDP is supported for full cone NAT"; the example's
    packet from Server2 "to the NAT IP address and port is forwarded to Client1", no policy deciding).

    Which external port a session gets, and whether the forwarded packet is bound to an interface, the documents
    do not say; so for each enabled accept policy with full cone NAT (policy-based NAT), the UDP packets to its
    mapped addresses (its pools' ``startip``-``endip``; without a pool, the FortiGate's own addresses), from
    anywhere, and those entering its ``dstintf`` (the outside, where the documents' external hosts are) to its
    own sources (the inside hosts the mapped packets reach: so that a check of what reaches them, which looks
    at their real addresses, sees the doubt) are unknown at the setting's line: maybe-only pre-routing rules.
    With central NAT (its SNAT maps, which pick the pools, are not modelled) a pool's full cone NAT leaves every
    verdict unknown."""
    ln = p.lines
    rules, used = [], set()
    for ent, placed in built.placed:
        if ent.one("status") == "disable" or ent.one("action", "deny") != "accept" or central:
            continue
        keys = [k for k in ("permit-any-host", "permit-stun-host") if ent.one(k) == "enable"]
        pools = ent.get("poolname", []) if ent.one("nat") == "enable" and ent.one("ippool") == "enable" else []
        cone_pools = [n for n in pools if p.ippools.get(n, {}).get("permit-any-host", (None,))[0] == "enable"]
        if not keys and not cone_pools:
            continue
        used.update(cone_pools)
        mapped = p.own.intersect(ALL_V4) if not pools else EMPTY
        for n in pools:
            got = _pool_addresses(p.ippools[n]) if n in p.ippools else None
            mapped = mapped.union(ALL_V4 if got is None else got)
        sources = EMPTY
        for fname, idx in placed:
            rule = built.filters[fname].rules[idx]
            for c in rule.match.cubes + rule.maybe.cubes:
                sources = sources.union(c.dims[0])
        at = ent.at(keys[0]) if keys else p.ippools[cone_pools[0]]["permit-any-host"][1]
        what = ("policy %s: %s" % (ent.name, " and ".join("%s enable" % k for k in keys)) if keys else
                "policy %s uses IP pool %s with permit-any-host enable" % (ent.name, ", ".join(cone_pools)))
        who = "a STUN host" if keys == ["permit-stun-host"] else "any outside host"
        own = "" if pools else " (the FortiGate's own)"
        ln.unrecognized(ln.source(at), "%s: full cone NAT: once a UDP session it translates is open, %s may send UDP "
                        "packets to its mapped address and port and the FortiGate forwards them to the inside host "
                        "with no policy deciding; not modelled: UDP packets to its mapped addresses%s, and to its "
                        "sources from its dstintf, are unknown" % (what, who, own),
                        Impact.NONE)
        label = "full cone NAT of policy %s (not modelled)" % ent.name
        rules.append(NatRule(PacketSet(), (), ln.source(at), maybe=PacketSet([cube(dst=mapped, proto=_UDP)]),
                             label=label))
        rules.append(NatRule(PacketSet(), (), ln.source(at), ingress=_outside(p, ent),
                             maybe=PacketSet([cube(dst=sources, proto=_UDP)]), label=label))
    for name, pool in p.ippools.items():
        on = pool.get("permit-any-host")
        if on is None or on[0] != "enable" or name in used:
            continue
        ln.unrecognized(ln.source(on[1]), "IP pool %s: full cone NAT (permit-any-host enable)%s" % (name, (
            ": with central NAT, once an inside host's UDP session is translated, any outside host may send UDP "
            "packets to its mapped address and port and the FortiGate forwards them with no policy deciding (not "
            "modelled)" if central else "; no enabled accept policy translates with this pool (nat and ippool "
            "enable, poolname): it opens nothing")), Impact.GLOBAL if central else Impact.NONE)
    return (Nat("full cone NAT", tuple(rules), when="pre-routing"),) if rules else ()

"""NAT rules, as PAN-OS evaluates them.

PAN-OS looks up the NAT policy once per session, on the packet as the client sent it: the
source zone, the destination zone *before* NAT (the zone of the route to the original
destination), optionally the egress interface (``to-interface``), the original source and
destination addresses and the service; the rules are taken top-down and the first match
decides ("NAT Policy Overview": "The firewall evaluates the rules in order from the top down.
Once a packet matches the criteria of a single NAT rule, the packet is not subjected to
additional NAT rules").  Panorama's pre-rulebase NAT rules come first, then the firewall's,
then Panorama's post-rulebase rules.  The matched rule's destination translation decides the
egress (a second route lookup) and so the destination zone of the security policy, whose
rules still match the original addresses ("pre-NAT IP, post-NAT zone"): the security stages
see ``"sent"`` packets.

Because one lookup decides both translations, every rule goes into one ``pre-routing``
table, in order, with both its rewrites: a rule that translates nothing stops the lookup as
PAN-OS's does.  The source rewrite does not change the route (routing is by destination),
and no PAN-OS stage sees the ``"routed"`` form, so applying it with the destination rewrite
is exact.  The destination zone before NAT is folded into the rule's destination addresses
(the addresses the route lookup sends to that zone's interfaces), ``from`` becomes the rule's
ingress interfaces.  Where the configuration does not settle that route (a learned route, of a
routing protocol or a DHCP client, may take the destination elsewhere: ``Config.learned_routes``;
or routes of one cost over two interfaces: ``Config.unsettled_routes``) the rule matches it maybe.

A rule whose zones or addresses name ``any`` beside other members (``Objects.any_among``) matches maybe.

Translations: ``destination-translation translated-address X [translated-port P]`` (a block
of the same size as the original destination maps one to one, by offset; otherwise every
destination becomes X, a pool of one address when X is one address); ``dynamic-destination-
translation`` (a pool: the device chooses); ``dns-rewrite`` rewrites the addresses in DNS answers, not the
packets' ("Configure Destination NAT with DNS Rewrite"); ``source-translation dynamic-ip-and-port``
(``interface-address``: the interface's own address; ``translated-address``: a pool; and a source
port the firewall picks), ``dynamic-ip`` (a pool; the port kept) and ``static-ip`` (an offset for a block of
equal size, else a pool).
A rule bound to one device of an active/active HA pair (``active-active-device-binding 0``, ``1`` or
``primary``; "NAT in Active/Active HA Mode": "the session is translated according to NAT rules that
are bound to the session owner firewall ... a firewall skips all NAT rules that are not bound to the
session owner firewall") matches *maybe*: which device owns a session depends on the traffic.  So
does a rule bound to no device when the firewall is in active/active mode (``deviceconfig
high-availability group mode active-active``): the document requires a binding ("You must bind each
Dynamic IP (DIP) NAT rule and Dynamic IP and Port (DIPP) NAT rule to either Device ID 0 or Device ID
1") and does not say what an unbound rule does (Batfish's model skips it).
``bi-directional yes`` adds a reverse translation whose place in the lookup is not known: its
packets are *maybe* (unknown).  NAT64 and NPTv6 are reported and uncertain.
"""

from __future__ import annotations

from auditor.core import routing
from auditor.core.model import Impact, Nat, NatRule, Rewrite
from auditor.core.packets import ALL_ADDR, ALL_PORTS, EMPTY, NOTHING, Cube, ISet, PacketSet
from parsers.panos.collect import Def
from parsers.panos.objects import SVC_ALL, Objects, number
from parsers.panos.scan import PANORAMA, SHARED


class NatBuilder:
    """One vsys's NAT rules -> one pre-routing ``Nat`` table."""

    def __init__(self, col, objs: Objects, net, vsys: str, label: str):
        self.col, self.objs, self.net = col, objs, net
        self.lines = col.lines
        self.vsys = vsys
        self.label = label
        self.sp = col.space(vsys)
        self._regions = None
        self._doubt: ISet | None = None

    def doubt(self) -> ISet:
        """The destinations whose zone before NAT the configuration does not settle: those a learned route
        may take (``Config.learned_routes``: a routing protocol or a DHCP client's routes, more specific
        or better than the static ones, may send them through another interface) and those routes of one
        cost over two interfaces take (``Network.static_routes``)."""
        if self._doubt is None:
            net = self.net
            self._doubt = routing.unsettled_region(net.interfaces, bool(net.learned), net.learned_space, net.unsettled)
        return self._doubt

    def regions(self, vr: str = "") -> dict:
        if self._regions is None:
            self._regions = {}
        got = self._regions.get(vr)
        if got is None:
            got = self._regions[vr] = self.net.regions(vr)
        return got

    def ordered(self) -> list[tuple[Def, tuple]]:
        pano = self.col.spaces.get(PANORAMA)
        own = self.objs.chain(self.vsys, PANORAMA, SHARED)
        from_pano = self.objs.chain(PANORAMA, self.vsys, SHARED)
        out = []
        if pano is not None:
            out += [(d, from_pano) for d in pano.nat["pre"].values() if self.mine(d)]
        out += [(d, own) for d in self.sp.nat["local"].values()]
        if pano is not None:
            out += [(d, from_pano) for d in pano.nat["post"].values() if self.mine(d)]
        return out

    def mine(self, d: Def) -> bool:
        """Whether a rule Panorama pushed may be this virtual system's (``Collector.pushed_homes``)."""
        homes = self.col.pushed_homes(d)
        return not homes or self.vsys in homes

    def build(self) -> Nat | None:
        rules: list[NatRule] = []
        for d, chain in self.ordered():
            rules.extend(self.rule(d, chain))
        if not rules:
            return None
        return Nat(self.label, tuple(rules), "pre-routing")

    def zone_ifaces(self, d: Def, key: str, what: str, unsure: list) -> tuple[list[str], bool]:
        """The interfaces of the rule's ``key`` zones, and whether that is every interface (also where it names a
        zone not defined: PAN-OS refuses to commit it, and which zone it applies to on the device is not known; the
        rule then translates maybe, ``unsure``)."""
        names: list[str] = []
        anyz = False
        for z, line in d.members(key):
            if z == "any":
                anyz = True
                continue
            if z not in self.sp.zone:
                self.lines.undefined(z, "zone", self.lines.source(line), what)
                unsure.append("its zone '%s' is not defined" % z)
                anyz = True
                continue
            names += [i for i, (v, zz) in self.net.zone_of.items() if v == self.vsys and zz == z]
        return list(dict.fromkeys(names)), anyz

    def rule(self, d: Def, chain: tuple) -> list[NatRule]:
        lines, objs = self.lines, self.objs
        what = "NAT rule '%s'" % d.name
        src = lines.source(d.line)
        if d.last("disabled")[0] == "yes":
            return []
        unsure: list[str] = []
        ntype = d.last("nat-type")[0]
        if ntype not in (None, "ipv4"):
            unsure.append("nat-type %s" % ntype)
            lines.unrecognized(src, "%s: nat-type %s is not modelled" % (what, ntype), Impact.FILTER, what)
        for key, _line in d.unknown:
            unsure.append("setting '%s'" % key)
        if chain and chain[0] is self.col.spaces.get(PANORAMA):
            homes = self.col.pushed_homes(d)
            if homes is not None and len(homes) != 1:
                unsure.append("Panorama pushed it to one of the virtual systems whose zones it names, and which one "
                              "is not in the configuration")
        binding = d.last("active-active-device-binding")[0]
        if binding not in (None, "both"):
            # active/active HA: the rule translates only the sessions its device owns, and which
            # device owns a session is decided by traffic, not by this config
            unsure.append("it applies only to sessions HA device %s owns" % binding)
        elif binding is None and self.col.ha_mode is not None and self.col.ha_mode[0] == "active-active":
            # active/active HA asks for every dynamic-IP NAT rule to be bound to a device; which sessions an
            # unbound rule translates is not documented (Batfish skips it)
            unsure.append("it is bound to no device of the active/active HA pair (line %d)"
                          % (self.col.ha_mode[1] + 1))
        for key in ("from", "to", "source", "destination"):  # (read as 'any': all the rule may match)
            if objs.any_among(d.members(key), key, what):
                unsure.append("its %s names 'any' with other members" % key)
        ingress, from_any = self.zone_ifaces(d, "from", what, unsure)
        egress, to_any = self.zone_ifaces(d, "to", what, unsure)
        if not d.attrs.get("from") or not d.attrs.get("to"):
            # (PAN-OS requires both zones: those not read, as after a word not understood, may be any, and the
            # rule translates maybe)
            missing = "source" if not d.attrs.get("from") else "destination"
            lines.unrecognized(src, "%s has no %s zone (PAN-OS requires one): it may apply to any zone"
                               % (what, missing), Impact.FILTER, what)
            unsure.append("its %s zone is not known" % missing)
            from_any = from_any or not d.attrs.get("from")
            to_any = to_any or not d.attrs.get("to")
        if not ingress and not from_any:
            return []  # its zones have no routed interfaces: no packet can match it
        # the destination zone before NAT: the destinations routed to its interfaces, by the virtual router
        # of the interface the packet comes in on; where the rule's source zones span virtual routers that
        # route them differently, the destinations only some of them route there match it maybe
        vr_of = self.net.vr_of
        vrs = sorted({vr_of.get(i, "") for i in (self.net.nets if from_any else ingress)}) if vr_of else [""]
        iface, iline = d.last("to-interface")
        to_iface = iface not in (None, "any", [])
        if to_iface and (not isinstance(iface, str) or iface not in self.col.interfaces):
            lines.undefined(str(iface), "interface", lines.source(iline), what)
        to_sure, to_poss = ALL_ADDR, EMPTY
        for vr in vrs:
            region = ALL_ADDR
            if not to_any:
                reg = self.regions(vr)
                region = ISet.union_of(reg.get(i, EMPTY) for i in egress)
            if to_iface:
                region = region.intersect(self.regions(vr).get(str(iface), EMPTY))
            to_sure, to_poss = to_sure.intersect(region), to_poss.union(region)
        if not to_any or to_iface:
            # (which zone those destinations are in before NAT, and so whether the rule matches them, is not
            # known: self.doubt)
            doubt = self.doubt()
            to_sure, to_poss = to_sure.subtract(doubt), to_poss.union(doubt)
        else:
            doubt = EMPTY
        sa = self.addresses(d, "source", chain, what)
        da = self.addresses(d, "destination", chain, what)
        svc_name, sline = d.last("service")
        if isinstance(svc_name, list) and len(svc_name) > 1:
            # a NAT rule's service is one value, not a member list (the PAN-OS schema as Palo Alto Networks'
            # pan-os-codegen specs/policies/network-address-translation.yaml gives it: 'service', type string,
            # at xpath 'service', default any; the security rule's 'service' is a member list): whether PAN-OS
            # refuses the list or takes one of its members is not documented
            lines.unrecognized(lines.source(sline), "%s: its service is a list (%s); a NAT rule has one service"
                               % (what, " ".join(map(str, svc_name))), Impact.FILTER, what)
            unsure.append("its service is a list")
            svc_name = "any"
        elif isinstance(svc_name, list):
            svc_name = svc_name[0] if svc_name else None
        named_any = objs.named_any_service(chain, sline, what) if svc_name == "any" else None
        if named_any is not None:
            svc_sure, svc_poss = named_any.sure, named_any.poss
            unsure.append(named_any.why)
        elif svc_name in (None, "any"):
            svc_sure = svc_poss = SVC_ALL
        else:
            s = objs.service(chain, str(svc_name), sline, what)
            svc_sure, svc_poss = s.sure, s.poss
            if s.why:
                unsure.append(s.why)
        dsure, dposs = da[0].intersect(to_sure), da[1].intersect(to_poss)
        rewrites, reverse = self.translations(d, chain, what, da[0], sa[0], unsure)
        match = _cubes(sa[0], dsure, svc_sure) if not unsure else NOTHING
        maybe = _cubes(sa[1], dposs, svc_poss)
        if match.cubes and sa[0] == sa[1] and dsure == dposs and svc_sure == svc_poss:
            maybe = NOTHING
        label = "NAT rule %s" % d.name + (" (uncertain: %s)" % "; ".join(unsure) if unsure else "")
        if doubt.overlaps(da[1]):
            label += " (the zone the route to some of its original destinations goes to is not settled: a " \
                     "learned route, or routes of one cost over two interfaces, may take them elsewhere)"
        out = [NatRule(match, tuple(rewrites), src, tuple(ingress) if not from_any else (), (), maybe, label)]
        if reverse is not None:
            # bi-directional static source NAT: traffic to the translated address comes back in
            rsrc, rmaybe = reverse
            out.append(NatRule(NOTHING, (), rsrc, (), (), rmaybe,
                               "NAT rule %s bi-directional reverse translation (its place in the lookup is not "
                               "known)" % d.name))
        return out

    def addresses(self, d: Def, key: str, chain: tuple, what: str) -> tuple[ISet, ISet]:
        vals = d.members(key)
        if not vals:
            return EMPTY, ALL_ADDR
        sure, poss = EMPTY, EMPTY
        for m, line in vals:
            a = self.objs.address(chain, m, line, what)
            sure, poss = sure.union(a.sure), poss.union(a.poss)
        return sure, poss

    def translated(self, chain: tuple, words: list, what: str, line: int) -> ISet | None:
        """The addresses a ``translated-address`` names (``None``: not certainly known)."""
        vals = words if isinstance(words, list) else [words]
        out = EMPTY
        for v in vals:
            a = self.objs.address(chain, str(v), line, what)
            if a.sure != a.poss or not a.sure:
                return None
            out = out.union(a.sure)
        return out

    def translations(self, d: Def, chain: tuple, what: str, orig_dst: ISet, orig_src: ISet,
                     unsure: list) -> tuple[list[Rewrite], tuple | None]:
        lines = self.lines
        rewrites: list[Rewrite] = []
        reverse = None
        for key in ("destination-translation", "dynamic-destination-translation"):
            stmts = d.attrs.get(key, ())
            if not stmts:
                continue
            opts, line = _merged(stmts)
            if "translated-address" in opts:
                to = self.translated(chain, opts["translated-address"], what, line)
                if to is None:
                    unsure.append("its translated destination is not known")
                    lines.unrecognized(lines.source(line), "%s: translated address not known" % what,
                                       Impact.FILTER, what)
                elif key == "destination-translation" and _one_to_one(orig_dst, to):
                    rewrites.append(Rewrite(1, offset=to.lo - orig_dst.lo))
                else:
                    rewrites.append(Rewrite(1, pool=to))
            if "translated-port" in opts:
                try:
                    port = number(opts["translated-port"])
                    if not 0 <= port <= 65535:
                        raise ValueError(port)
                    rewrites.append(Rewrite(4, pool=ISet.of(port)))
                except (ValueError, TypeError):  # (TypeError: a '[ ]' list)
                    unsure.append("its translated port is not known")
                    lines.unrecognized(lines.source(line), "%s: translated port '%s' not understood"
                                       % (what, opts["translated-port"]), Impact.FILTER, what)
            rest = set(opts) - {"translated-address", "translated-port", "distribution", "dns-rewrite"}
            if rest:
                unsure.append("destination translation setting '%s'" % sorted(rest)[0])
                lines.unrecognized(lines.source(line), "%s: destination translation setting '%s' not understood"
                                   % (what, sorted(rest)[0]), Impact.FILTER, what)
        stmts = d.attrs.get("source-translation", ())
        kinds = {w[0] for w, _l in stmts if w and isinstance(w[0], str)}
        if len(kinds) > 1:
            unsure.append("several source translations")
        for kind in kinds:
            opts, line = _merged([(w[1:], ln) for w, ln in stmts if w and w[0] == kind])
            to = None
            if kind == "dynamic-ip-and-port" and "interface-address" in opts:
                io = opts["interface-address"]
                if "ip" in io:
                    to = self.translated(chain, io["ip"], what, line)
                elif "interface" in io:
                    to = self.net.hosts.get(str(io["interface"])) or None
            elif kind in ("dynamic-ip-and-port", "dynamic-ip", "static-ip"):
                if "translated-address" in opts:
                    to = self.translated(chain, opts["translated-address"], what, line)
            else:
                lines.unrecognized(lines.source(line), "%s: source translation '%s' not understood" % (what, kind),
                                   Impact.FILTER, what)
                unsure.append("source translation '%s'" % kind)
                continue
            if to is None:
                unsure.append("its translated source is not known")
                lines.unrecognized(lines.source(line), "%s: translated source not known" % what, Impact.FILTER,
                                   what)
                continue
            if kind == "static-ip" and _one_to_one(orig_src, to):
                rewrites.append(Rewrite(0, offset=to.lo - orig_src.lo))
            else:
                rewrites.append(Rewrite(0, pool=to))
            if kind == "dynamic-ip-and-port":
                # (DIPP "translates the source IP address and source port"; dynamic IP keeps the port:
                # Palo Alto, "Source NAT", PAN-OS Networking Administrator's Guide)
                rewrites.append(Rewrite(3, pool=ALL_PORTS))
            if kind == "static-ip" and opts.get("bi-directional") == "yes":
                reverse = (lines.source(line), PacketSet([Cube(ALL_ADDR, to, *SVC_ALL[0])]))
        return rewrites, reverse


def _merged(stmts) -> tuple[dict, int]:
    """The options of one translation written over several statements, and its first line."""
    out: dict = {}
    first = stmts[0][1]
    for words, _line in stmts:
        for k, v in _options(words).items():
            if isinstance(v, dict):
                out.setdefault(k, {}).update(v)
            else:
                out[k] = v
    return out, first


def _options(words) -> dict:
    """``k v k v`` / nested words -> {k: v} (a trailing list or the rest of the words as the value)."""
    out: dict = {}
    if not isinstance(words, list):
        return out
    k = 0
    n = len(words)
    while k < n:
        key = words[k]
        if not isinstance(key, str):
            k += 1
            continue
        if key == "interface-address":
            out[key] = _options(words[k + 1:])
            break
        if key == "dns-rewrite" and k + 2 < n and words[k + 1] == "direction":
            out[key] = {"direction": words[k + 2]}  # ('dns-rewrite direction reverse': a setting of two words)
            k += 3
            continue
        out[key] = words[k + 1] if k + 1 < n else ""
        k += 2
    return out


def _one_to_one(orig: ISet, to: ISet) -> bool:
    """A one-to-one (offset) translation: both one block of the same size."""
    return (len(orig.iv) == 1 and len(to.iv) == 1
            and orig.iv[0][1] - orig.iv[0][0] == to.iv[0][1] - to.iv[0][0] and orig != ALL_ADDR)


def _cubes(src: ISet, dst: ISet, svcs) -> PacketSet:
    if not src or not dst:
        return NOTHING
    return PacketSet.of_cubes([Cube(src, dst, p, sp, dp) for p, sp, dp in svcs if p and sp and dp])

"""NAT: port forwards, 1:1 mappings and outbound NAT (``<nat>``) -> ``Config.nat``.

pf translates before it filters (pf.conf(5), TRANSLATION: "Since translation occurs before
filtering the filter engine will see packets as they look after any addresses and ports have been
translated. Filter rules will therefore have to filter based on the translated address and port
number"), so the rules of an interface see a port forward's internal target:

* port forwards (Firewall > NAT > Port Forward, ``<nat><rule>``) are ``rdr on IF ... -> target
  port local-port``: pre-routing, on the packets arriving on their interface; a destination port
  range maps onto a local port range of the same length (filter.inc ``localport:localendport``);
  "No RDR" (``nordr``) exempts what it matches from later forwards; a forward whose filter rule
  association is "Pass" is ``rdr pass``: what it redirects is passed without the filter rules
  (pf.conf(5): "If the pass modifier is given, packets matching the translation rule are passed
  without inspecting the filter rules"): only the packets it redirects take paths of their own
  (``Path.nat``, built by ``policy``) whose inbound stage passes them, while a packet sent straight to
  the internal address meets the interface's rules; "Add associated filter rule" links an ordinary
  rule, read with the others;
* OPNsense 26.1's port forwards (the ``DNat`` model, still at ``<nat><rule uuid=..>``) are applied in
  the order of their ``<sequence>`` (ties by uuid; a rule without one after all others, in file order:
  filter.inc ``DNat()->rule->sortedBy(['sequence'])``, DNatSequenceField); their association is
  ``<pass>``: ``pass`` is ``rdr pass``, ``rule`` registers a quick pass of the translated packets after
  the user's rules (filter.lib.inc, priority 500000); ``<tag>`` tags what they redirect (read only
  by ``tagged`` rules, which are uncertain here) and ``<tagged>`` makes them apply to tagged packets
  only (uncertain); a blank address family leaves it to pf, which takes the redirect address's
  (pfctl parse.y ``natrule``);
* 1:1 NAT (``<nat><onetoone>``) is ``binat``: the external block maps onto the internal one
  inbound (pre-routing) and back outbound (post-routing), same size; inbound, pf looks up its rdr
  rules first and its binat rules only when no rdr rule matched, outbound binat before nat (FreeBSD
  pf_lb.c ``pf_get_translation``): a port forward takes precedence over a 1:1 mapping;
* outbound NAT (``<nat><outbound>``, mode automatic / hybrid / advanced / disabled) rewrites the
  source of what leaves an interface with a gateway to that interface's address (automatic rules:
  the firewall's other subnets and static routes' networks), post-routing; the source port is
  chosen from 1024-65535 unless "Static Port" (pfSense filter.inc ``filter_nat_rules_generate_if``:
  ``port 1024:65535 // set source port range``; OPNsense SNatRule.php the same).  Only out-direction
  rules see it.

NAT reflection (clients inside reaching a forward by its external address) is not modelled and
reported when on.  OPNsense's new-model NAT lists are reported when they hold rules.
"""

from __future__ import annotations

import ipaddress
from functools import cmp_to_key

from auditor.core.model import Impact, Nat, NatRule, Rewrite
from auditor.core.packets import ALL_PORTS, ALL_PROTO, ALL_V4, EMPTY, ISet, PacketSet, cube
from parsers.kit.addr import cidr_set
from parsers.pfsense.addresses import FAMILY, Resolved, is_port
from parsers.pfsense.common import natcasecmp, spaced, whole
from parsers.pfsense.protocols import FREEBSD_PROTOCOLS
from parsers.pfsense.rules import PORTED, PfRule, Side, _families

NAT_PORTS = ISet.of(1024, 65535)
_NAT_PROXY_PORTS = ISet.of(50001, 65535)
_NAT_PROTOS = {"tcp": ISet.of(6), "udp": ISet.of(17), "tcp/udp": ISet([(6, 6), (17, 17)])}
_PORTED = ISet([(6, 6), (17, 17), (132, 132)])
_PRIVATE = ISet.union_of(cidr_set(x) for x in ("10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16"))
_PF_FIELDS = frozenset({"source", "destination", "protocol", "target", "local-port", "interface", "ipprotocol",
                        "disabled", "nordr", "associated-rule-id", "descr", "natreflection", "pass", "tagged",
                        "sequence"})
_NO_EFFECT = {"created": "change bookkeeping", "updated": "change bookkeeping", "nosync": "HA config sync",
              "tracker": "rule id", "id": "rule id", "log": "logging", "category": "GUI category",
              "poolopts": "address pool options", "source_hash_key": "address pool hash key",
              "poolopts_sourcehashkey": "address pool hash key",
              "descr": "description", "tag": "tags what it redirects (read by 'tagged' rules, uncertain here)",
              "categories": "GUI categories", "sort_order": "GUI ordering", "prio_group": "GUI ordering",
              "endpoint-independent": "endpoint-independent mapping: which external port a UDP flow keeps"}


class NatReader:
    """Reads ``<nat>`` of parser ``p``."""

    def __init__(self, p):
        self.p = p
        self.lines = p.lines
        self.addrs = p.addrs
        self.reader = p.reader

    def read(self) -> tuple[tuple[Nat, ...], list[PfRule], list[PfRule]]:
        """(NAT tables in pf's order, what each 'rdr pass' forward passes: its translated packets, by family,
        the filter rules OPNsense forwards register after the user's rules)."""
        p = self.p
        rdr: list[NatRule] = []
        binat_in: list[NatRule] = []
        binat_out: list[NatRule] = []
        outbound: list[NatRule] = []
        passes: list[PfRule] = []
        registered: list[PfRule] = []
        mode = "automatic"
        forwards = []
        for node in p.sections.get("nat", []):
            p.use(node)
            for k in node.kids:
                if k.tag == "rule":
                    forwards.append(k)
                elif k.tag == "onetoone":
                    self.onetoone(k, binat_in, binat_out)
                elif k.tag == "outbound":
                    mode = self.outbound(k, outbound)
                elif k.tag in ("npt", "advancedoutbound") and k.kids:
                    p.report(k, "<nat><%s> (IPv6 prefix translation) not modelled" % k.tag)
                elif k.tag == "separator":
                    p.ignore(k, "GUI separators")
                elif not k.kids and not k.value:
                    p.ignore(k, "empty NAT setting")
                else:
                    p.report(k, "<nat><%s> not understood" % k.tag)
        mvc = self.mvc_lists()
        if "snatrules" in mvc:
            # (pf.inc pf_firewall registers them at priority 50, before the <nat><outbound> rules (100) and the
            # automatic ones (200): pf's first matching nat rule applies)
            outbound[:0] = self.mvc_snat(mvc["snatrules"], mode)
        if "onetoone" in mvc:
            self.mvc_onetoone(mvc["onetoone"], binat_in, binat_out)
        if "npt" in mvc:
            self.mvc_npt(mvc["npt"])
        if forwards and p.dialect.opn:
            rdr += self.antilockout()
        for k in self.in_order(forwards):
            self.forward(k, rdr, passes, registered)
        if mode in ("automatic", "hybrid"):
            outbound += self.automatic()
        if p.disablefilter is not None:
            return (), [], []
        tables = []
        if rdr or binat_in:
            # (inbound, pf tries its rdr rules before its binat rules: pf_lb.c pf_get_translation)
            tables.append(Nat("port forwards and 1:1 NAT (inbound)", tuple(_inbound(rdr, binat_in)), "pre-routing"))
        if binat_out or outbound:
            tables.append(Nat("outbound NAT and 1:1 NAT (outbound)", tuple(binat_out + outbound), "post-routing"))
        return tuple(tables), passes, registered

    # --- port forwards -------------------------------------------------------------------------
    def in_order(self, nodes: list) -> list:
        """OPNsense's port forwards in the order of their sequence numbers, ties by uuid in PHP's natural order
        (``natcasecmp``); one without a number gets the highest plus 100, in file order (filter.inc: ``(new
        DNat())->rule->sortedBy(['sequence'])``; DNatSequenceField, ArrayField::sortedBy: the key '%30s,' of the
        sequence followed by the uuid, 'ksort($sortedData, SORT_NATURAL | SORT_FLAG_CASE)'); pfSense's, in file
        order."""
        if not self.p.dialect.opn:
            return nodes
        seqs = [_text(n.child("sequence")).strip() for n in nodes]
        for n, v in zip(nodes, seqs):
            if v and not whole(v):
                self.p.report(n.child("sequence"), "port forward sequence '%s' is not a number: the order of the "
                                                   "forwards is not known" % v)
        top = max([int(v) for v in seqs if whole(v)] + [1])
        keyed = []
        natural = cmp_to_key(natcasecmp)
        for n, v in zip(nodes, seqs):
            if not whole(v):
                top += 100
            # (ArrayField::sortedBy: '%30s,' of the sequence, then the uuid, in PHP's natural order, as the rules)
            keyed.append((natural("%30s," % (v if whole(v) else top) + (n.attr("uuid") or "")), len(keyed), n))
        keyed.sort(key=lambda x: x[:2])
        return [x[2] for x in keyed]

    def antilockout(self) -> list[NatRule]:
        """OPNsense's 'no rdr' of the anti-lockout ports on the anti-lockout interface's addresses, before the
        user's forwards (pf.inc filter_auto_destination_nat: 'nordr' => true, 'destination' => '{$lockoutif}ip',
        registered at priority 300, the forwards at 600; filter.lib.inc filter_core_get_antilockout)."""
        p = self.p
        iface = None if p.noantilockout else p.antilockout_iface()
        if iface is None:
            return []
        ports = EMPTY
        for port in p.antilockout_ports():
            ports = ports.union(ISet.of(port))
        tcp = ISet.of(6)
        sure = iface.addr[4].union(iface.addr[6]).union(iface.vip_addr)  # pf: (IF) = its addresses
        unsure = EMPTY
        for fam in (4, 6):
            if fam in iface.dynamic:
                unsure = unsure.union(self.addrs.unknown_space[fam])
        match = PacketSet([cube(dst=sure, proto=tcp, dport=ports)]) if sure else PacketSet()
        maybe = PacketSet([cube(dst=unsure, proto=tcp, dport=ports)]) if unsure else PacketSet()
        return [NatRule(match, (), p.webgui_source, (iface.name,), (), maybe,
                        "No RDR: anti-lockout (OPNsense generated; System > Settings > Administration)")]

    def families(self, f: dict, nordr: bool, src) -> tuple[int, ...]:
        """The address families a forward applies to: pfSense, IPv6 for 'inet6' and IPv4 otherwise (filter.inc
        ``$ipproto``); OPNsense, its ``ipprotocol`` (inet46: both, Rule::reader), or when blank (the new model's
        'any') the family pf takes from the redirect address (pfctl parse.y ``natrule``: ``if (!r.af &&
        !$9->host->ifindex) r.af = $9->host->af``), both for a 'no rdr' without a literal address."""
        v = _text(f.get("ipprotocol"))
        if not self.p.dialect.opn:
            return (6,) if v == "inet6" else (4,)  # (compared as written: filter.inc '== 'inet6'')
        v = v.lower()
        if v in ("inet", "inet6", "inet46"):
            return _families(v)
        if v:
            self.p.report(f["ipprotocol"], "port forward address family '%s' not understood" % v)
            return ()
        if nordr:
            return (4, 6)
        if not _text(f.get("target")):
            return ()  # (ForwardRule.php: "Missing target", the rule is disabled)
        fam = _literal_family(_text(f.get("target")))
        if fam:
            return (fam,)
        self.p.report_once(src.line - 1, "port forward with address family 'any' and a target that is not an "
                                         "address: pf takes the family from the target, not known here", "NAT",
                           Impact.GLOBAL)
        return ()

    def forward(self, n, out: list[NatRule], passes: list[PfRule], registered: list[PfRule]) -> None:
        p, lines, d = self.p, self.lines, self.p.dialect
        f = self.fields(n, _PF_FIELDS)
        descr = f.get("descr")
        src = lines.source(descr.line if descr is not None and descr.value else n.line)
        if d.flag(n, "disabled", strict=True):
            return
        tab = "NAT"
        ifs = [x.strip() for x in (_text(f.get("interface")) or "wan").split(",") if x.strip()]
        names = []
        for key in ifs:
            i = self.addrs.by_key.get(key)
            if i is None or not i.enabled:
                lines.undefined(key, "interface", src, tab, Impact.NONE)
                continue
            names.append(i.name)
        if not names:
            return
        proto = _text(f.get("protocol")).lower() or "any"
        s_side = f.get("source") or Side("any", "", False, None, n.line)
        d_side = f.get("destination") or Side("any", "", False, None, n.line)
        nordr = d.flag(n, "nordr", strict=True)
        label = "port forward" + (" '%s'" % descr.value if descr is not None and descr.value else "")
        if f.get("natreflection") is not None and f["natreflection"].value in ("enable", "purenat"):
            p.report_once(f["natreflection"].line, "NAT reflection (clients inside reaching the forward by its "
                                                   "external address) is not modelled", "NAT", Impact.NONE)
        sp = self.addrs.port(self.rdr_port(s_side.port or "")) if proto in PORTED else Resolved(ALL_PORTS)
        dp = self.addrs.port(self.rdr_port(d_side.port or "")) if proto in PORTED else Resolved(ALL_PORTS)
        local = _text(f.get("local-port"))
        assoc = _text(f.get("associated-rule-id"))
        if d.opn and assoc != "pass":
            # (OPNsense 26.1: <pass>; an older config's associated-rule-id 'pass' is read as pass 'pass',
            # DNatAssociatedRuleField)
            assoc = {"pass": "pass", "rule": "rule"}.get(_text(f.get("pass")), "")
        tagged = _text(f.get("tagged"))
        if tagged:
            p.report(f["tagged"], "port forward applies only to packets tagged '%s' (not modelled): what it "
                                  "matches is reported unknown" % tagged, Impact.FILTER, tab)
        lit = _literal_family(_text(f.get("target")))
        for fam in self.families(f, nordr, src):
            if lit and lit != fam and not nordr:
                # (pfctl parse.y remove_invalid_hosts: "no translation address with matching address family
                # found": the ruleset does not load)
                p.report_once(src.line - 1, "port forward for IPv%d to an IPv%d target: pf rejects the ruleset"
                              % (fam, lit), "NAT", Impact.GLOBAL)
                continue
            protos = self.reader.protocols(proto, fam, {"node": n}, tab)
            if not protos:
                continue
            s = self.reader.operand(s_side, fam, tab, iface=_text(f.get("interface")))
            dd = self.reader.operand(d_side, fam, tab, iface=_text(f.get("interface")))
            pset = EMPTY
            for x, _i, _c in protos:
                pset = pset.union(x)
            pr = pset or ALL_PROTO
            match = PacketSet([cube(s.sure, dd.sure, pr, sp.sure, dp.sure)]) if s.sure and dd.sure else PacketSet()
            wide = PacketSet([cube(s.sure.union(s.maybe), dd.sure.union(dd.maybe), pr, sp.sure.union(sp.maybe),
                                   dp.sure.union(dp.maybe))])
            maybe = wide.subtract(match) if (s.maybe or dd.maybe or sp.maybe or dp.maybe) else PacketSet()
            if tagged:
                match, maybe = PacketSet(), wide
            if nordr:
                out.append(NatRule(match, (), src, tuple(names), (), maybe, "No RDR " + label))
                continue
            target = self.target(_text(f.get("target")), fam, src, tab)
            if target is None:
                continue
            rewrites = []
            if dd.sure.size() == 1 and target.size() == 1 and not dd.maybe:
                rewrites.append(Rewrite(1, offset=target.lo - dd.sure.lo))
            else:
                rewrites.append(Rewrite(1, pool=target))
            new_ports = dp.sure
            if proto in PORTED and local and local != (d_side.port or "").split("-")[0]:
                lp = self.addrs.port(local)
                if lp.sure.size() == 1 and len(dp.sure.iv) == 1 and (d_side.port or "") not in self.addrs.aliases \
                        and d_side.port:
                    rewrites.append(Rewrite(4, offset=lp.sure.lo - dp.sure.lo))
                    new_ports = ISet.of(lp.sure.lo, lp.sure.lo + dp.sure.hi - dp.sure.lo)
                elif lp.sure:
                    rewrites.append(Rewrite(4, pool=ISet.of(lp.sure.lo)))
                    new_ports = ISet.of(lp.sure.lo)
            out.append(NatRule(match, tuple(rewrites), src, tuple(names), (), maybe, label))
            # (what the forward redirects, as the filter sees it: translated)
            image = PacketSet([cube(s.sure.union(s.maybe), target, pr, sp.sure.union(sp.maybe), new_ports)])
            if assoc == "pass":
                passes.append(PfRule(src, "pass", True, "in", tuple(ifs), image, tab="NAT",
                                     note="port forward with filter rule association 'Pass' (rdr pass): pf passes "
                                          "what it redirects without the filter rules"))
            elif assoc == "rule" and d.opn:
                # filter.lib.inc filter_core_rules_system: 'if ($rule->pass == 'rule')' registerFilterRule(500000,
                # [interface, ipprotocol, protocol, source, destination: target and local port]), a quick
                # pass 'automatic at the end of our ruleset'.  It is registered without the defaults of the
                # generated rules ('disablereplyto' => 1) and has no direction, gateway or 'disablereplyto' of its
                # own: FilterRule.php convertReplyTo gives it the reply-to of its interface (each of them: Rule::
                # reader) unless the system disables it (Plugin.php systemDefaults)
                sure = PacketSet([cube(s.sure, target, pr, sp.sure, new_ports)] if s.sure and sp.sure else [])
                note = "filter rule of the port forward (association 'Register rule'), after the user's rules"
                own = {"node": None, "interfaces": ifs, "families": (fam,), "ifnot": False}
                parts = self.reader.replied_parts(own, [], "in", names[0], sure, image.subtract(sure))
                for keys, m, mb, replied in parts or [(None, sure, image.subtract(sure), "")]:
                    registered.append(PfRule(src, "pass", True, "in", keys or tuple(ifs), m, mb, tab=names[0],
                                             sure_action=not replied,
                                             note=note + ("; " + replied if replied else "")))

    def rdr_port(self, text: str) -> str:
        """The port field of a pfSense port forward as filter.inc writes it ('' for every port):
        filter_nat_rules_generate takes the match through filter_generate_address / filter_generate_port with
        $isnat, which checks nothing first (a filter rule's field is checked: ``RuleReader.port``): a field PHP
        reads as false ('0') writes no port clause; of 'explode("-", ...)' the first part goes through alias_expand
        (an alias, a port or an 'a:b' range; else null: no port clause), alone when the second is PHP-false ('445-',
        '445-0') or the same, the pair '1-65535' writes none, any other pair 'a:b'.  OPNsense: as written."""
        if self.p.dialect.opn or (text != "0" and "-" not in text):
            return text
        first, second = (text.split("-") + [""])[:2]
        if first not in self.addrs.aliases and not all(is_port(x) for x in first.split(":")):
            return ""
        if (first, second) == ("1", "65535"):
            return ""
        return first if second in ("", "0") or second == first else first + "-" + second

    def target(self, text: str, fam: int, src, tab: str) -> ISet | None:
        r = self.reader.lookup(text, "network", fam, src.line - 1) if text else None
        if r is None and text:
            try:
                r = self.addrs.address(text, fam, src)
            except ValueError:
                r = None
            if r is not None and r.undefined:
                r = None
        if r is None:
            if text:
                self.lines.undefined(text, "alias or address (port forward target)", src, tab)
            return None
        if r.maybe or not r.sure:
            if r.sure.intersect(FAMILY[fam]) or r.maybe.intersect(FAMILY[fam]):
                self.p.report_once(src.line - 1, "port forward target '%s' is not fully known: %s"
                                   % (text, "; ".join(r.why) or "no address"), tab)
            return None
        return r.sure

    # --- 1:1 -----------------------------------------------------------------------------------
    def onetoone(self, n, into: list[NatRule], outof: list[NatRule]) -> None:
        got = self.rule_head(n, frozenset({"external", "source", "destination", "interface", "disabled", "descr",
                                           "natreflection", "ipprotocol"}))
        if got is None:
            return
        f, src, key, i = got
        s_side = f.get("source") or Side("any", "", False, None, n.line)
        d_side = f.get("destination") or Side("any", "", False, None, n.line)
        self.onetoone_body(n, f, s_side, d_side, src, i, into, outof)

    def onetoone_body(self, n, f: dict, s_side: Side, d_side: Side, src, i, into: list[NatRule],
                      outof: list[NatRule], binat: bool = True) -> None:
        """A 1:1 mapping of either shape; ``binat`` False: OPNsense's type 'nat', outbound only."""
        p = self.p
        descr = f.get("descr")
        ext_text = _text(f.get("external"))
        fam = 6 if ":" in ext_text else 4
        internal = self.reader.operand(s_side, fam, "NAT", iface=_text(f.get("interface")))
        other = self.reader.operand(d_side, fam, "NAT", iface=_text(f.get("interface")))
        try:
            ext = self.addrs.address(ext_text, fam, src).sure
        except ValueError:
            ext = EMPTY
        block = internal.sure
        if internal.maybe or not block or len(block.iv) != 1 or not ext or other.maybe:
            p.report(n, "1:1 NAT not understood (the internal side must be one address or network)", Impact.GLOBAL)
            return
        size = block.size()
        lo = ext.lo - ((ext.lo - FAMILY[fam].lo) % size) if size > 1 else ext.lo
        ext_block = ISet.of(lo, lo + size - 1)
        if not binat:
            # DNatRule.php: 'nat on IF from SRC to DST -> EXTERNAL' (the source's prefix length appended to an
            # address): each source takes some address of the block (pf.conf(5) "nat"), its port one of pf's
            # 50001-65535 (pfctl parse.y: PF_NAT_PROXY_PORT_LOW, _HIGH); nothing inbound
            outof.append(NatRule(PacketSet([cube(src=block, dst=other.sure)]),
                                 (Rewrite(0, pool=ext_block), Rewrite(3, pool=_NAT_PROXY_PORTS)), src, (), (i.name,),
                                 PacketSet(), "1:1 NAT %s (type nat, outbound)" % _name(descr, ext_text)))
            return
        into.append(NatRule(PacketSet([cube(src=other.sure, dst=ext_block)]), (Rewrite(1, offset=block.lo - lo),),
                            src, (i.name,), (), PacketSet(), "1:1 NAT %s (inbound)" % _name(descr, ext_text)))
        outof.append(NatRule(PacketSet([cube(src=block, dst=other.sure)]), (Rewrite(0, offset=lo - block.lo),),
                             src, (), (i.name,), PacketSet(), "1:1 NAT %s (outbound)" % _name(descr, ext_text)))

    # --- outbound ------------------------------------------------------------------------------
    def outbound(self, n, out: list[NatRule]) -> str:
        p = self.p
        p.use(n)
        # (both compare the mode as written.  OPNsense: filter.inc loads the manual rules 'in_array(mode, ['advanced',
        # 'hybrid'])', filter.lib.inc filter_auto_source_nat the automatic ones 'in_array(mode ?? '', ['',
        # 'automatic', 'hybrid'])'; pfSense filter_nat_rules_generate: 'switch ($natomode)' case "advanced", "hybrid"
        # for the manual ones, and the automatic ones 'if ((!isset($natomode)) || ($natomode == "automatic") ||
        # ($natomode == "hybrid"))', so an empty <mode/> ('' is set) generates none: any other value, 'Hybrid'
        # included, generates no outbound NAT at all)
        k = n.child("mode")
        raw = k.value if k is not None else "automatic"
        mode = (raw or "automatic") if p.dialect.opn else raw
        for k in n.kids:
            if k.tag == "mode":
                p.use_all(k)
            elif k.tag == "rule":
                if mode in ("hybrid", "advanced"):
                    self.outbound_rule(k, out)
                else:
                    p.ignore(k, "manual outbound NAT rule, unused in mode '%s'" % mode)
            else:
                p.ignore(k, "outbound NAT settings") if not k.kids else p.report(
                    k, "<outbound><%s> not understood" % k.tag, Impact.NONE)
        if mode not in ("automatic", "hybrid", "advanced", "disabled"):
            p.report(n, "outbound NAT mode '%s' is none of automatic, hybrid, advanced, disabled: %s generates no "
                        "outbound NAT" % (raw, p.dialect.title), Impact.NONE)
            return "disabled"
        return mode

    def outbound_rule(self, n, out: list[NatRule]) -> None:
        """One manual outbound rule, as filter.inc filter_nat_rules_generate_if writes it: 'nat on IF [proto P]
        from SRC [port SP] to DST [port DP] -> TARGET [port NATPORT | port 1024:65535 | static-port]' ('no nat'
        for Do not NAT); the target is 'target/target_subnet', an alias, an address, else the interface's
        address."""
        p = self.p
        got = self.rule_head(n, frozenset({"source", "destination", "interface", "protocol", "target", "targetip",
                                           "targetip_subnet", "target_subnet", "natport", "staticnatport", "nonat",
                                           "disabled", "descr", "ipprotocol", "sourceport", "dstport", "nosync",
                                           "eimnat", "tagged"}))
        if got is None:
            return
        f, src, key, i = got
        s_node = n.child("source")
        s_text = (s_node.get("network") if s_node is not None else None) or "any"
        # (OPNsense's source has 'Invert' too: firewall_nat_out_edit.php <source><not>, Rule.php
        # legacyMoveAddressFields 'from_not', mapAddressInfo '!')
        negate = p.dialect.opn and s_text != "any" and f.get("source") is not None and f["source"].negate
        s_side = Side("any" if s_text == "any" else "address", s_text, negate, None, n.line)
        d_side = f.get("destination") or Side("any", "", False, None, n.line)
        self.outbound_body(n, f, s_side, d_side, src, i, out)

    def outbound_body(self, n, f: dict, s_side: Side, d_side: Side, src, i, out: list[NatRule]) -> None:
        """An outbound rule of either shape (``f``: its fields, in the names of <nat><outbound><rule>)."""
        p = self.p
        descr = f.get("descr")
        tagged = _text(f.get("tagged"))
        if tagged:
            # (OPNsense SNatRule.php writes 'tagged X' only when the field is not empty: Rule.php parsePlain)
            p.report(f["tagged"], "outbound NAT rule applies only to packets tagged '%s' (not modelled)" % tagged,
                     Impact.GLOBAL)
        # (pfSense filter_nat_rules_generate_if compares the protocol as written, 'any' and 'tcp/udp', and writes
        # any other as it is, ' proto P'; OPNsense lowercases it, Rule::reader; pfctl reads the name as it reads a
        # filter rule's, from FreeBSD's /etc/protocols: ``RuleReader.named``)
        proto = _text(f.get("protocol"))
        proto = proto.lower() if p.dialect.opn else proto
        protos = _NAT_PROTOS.get(proto) if proto not in ("", "any") else ALL_PROTO
        if protos is None:
            n_ = FREEBSD_PROTOCOLS.get(proto, int(proto) if whole(proto) else None)
            protos = ISet.of(n_) if n_ is not None and 0 < n_ <= 255 else None
        sp = self.addrs.port(_text(f.get("sourceport")))
        dp = self.addrs.port(_text(f.get("dstport")))
        label = "outbound NAT rule" + (" '%s'" % descr.value if descr is not None and descr.value else "")
        if protos is None or sp.maybe or dp.maybe:
            why = ("protocol '%s': pfctl knows no such protocol (names are those of FreeBSD's /etc/protocols, "
                   "case-sensitive; 1-255) and refuses the whole ruleset" % proto) if protos is None else \
                "; ".join(sp.why + dp.why)
            p.report(n, "%s: %s" % (label, why), Impact.GLOBAL)
            return
        target, bits = _text(f.get("target")), "" if p.dialect.opn else _text(f.get("target_subnet"))
        if target == "other-subnet":  # (OPNsense SNatRule.php; pfSense before 2.3, upgrade_229_to_230 moves it)
            target, bits = _text(f.get("targetip")), _text(f.get("targetip_subnet"))
        if target in self.addrs.aliases:
            bits = ""
        for fam in self.outbound_families(f, (s_side, d_side), target + ("/" + bits if bits else ""), label, n):
            # (outbound NAT writes its source and destination networks as they are, without
            # filter_generate_address: '::10' is that address, not a host part under a prefix)
            s = self.reader.operand(s_side, fam, "NAT")
            dd = self.reader.operand(d_side, fam, "NAT")
            self.outbound_family(n, f, fam, s, dd, protos, sp, dp, target, bits, src, i, label, out)

    def outbound_families(self, f: dict, sides: tuple[Side, Side], target: str, label: str, n) -> tuple[int, ...]:
        """pfSense filter_nat_rules_generate: a rule without an address family ('ipprotocol' empty, 'Any') takes
        the family of the addresses written in its source, destination or target (both: the rule is skipped,
        'conflicting ipv4/ipv6 settings'), and with none, filter_nat_rules_generate_if writes it for both, a
        'nat on IF inet ...' and a 'nat on IF inet6 ...' rule ('no nat on IF from ...' for Do not NAT)."""
        v = _text(f.get("ipprotocol"))
        if v == "inet6":
            return (6,)
        if v or self.p.dialect.opn:
            return (4,)
        texts = [x.value for x in sides if x.kind != "any"] + [target]
        fams = {x for x in (_literal_family(t) for t in texts) if x}
        if len(fams) > 1:
            self.p.report(n, "%s: IPv4 and IPv6 addresses: pfSense skips it ('conflicting ipv4/ipv6 settings')"
                          % label, Impact.NONE)
            return ()
        return tuple(fams) or (4, 6)

    def outbound_family(self, n, f: dict, fam: int, s: Resolved, dd: Resolved, protos: ISet, sp: Resolved, dp: Resolved,
                        target: str, bits: str, src, i, label: str, out: list[NatRule]) -> None:
        """The outbound rule ``n`` for family ``fam`` (``s``, ``dd``: its source and destination)."""
        p = self.p
        ports = _PORTED if (sp.sure != ALL_PORTS or dp.sure != ALL_PORTS) else None
        sure_p = protos.intersect(ports) if ports is not None else protos
        wide = [cube(s.sure.union(s.maybe), dd.sure.union(dd.maybe), protos, sp.sure if ports else ALL_PORTS,
                     dp.sure if ports else ALL_PORTS)] if s.sure.union(s.maybe) and dd.sure.union(dd.maybe) else []
        match = PacketSet([cube(s.sure, dd.sure, sure_p, sp.sure, dp.sure)]) if s.sure and dd.sure and sure_p \
            else PacketSet()
        # (a port on a protocol without ports: what pf makes of it is not modelled)
        maybe = PacketSet(wide).subtract(match) if (s.maybe or dd.maybe or sure_p != protos) and wide \
            else PacketSet()
        if p.dialect.flag(n, "nonat"):
            out.append(NatRule(match, (), src, (), (i.name,), maybe, "Do not NAT: " + label))
            return
        aliases = self.addrs.aliases
        if not target or not (p.dialect.opn or target in aliases or _literal_family(target.split("/")[0])):
            # pfSense: neither a subnet, an alias nor an address ('wanip', Interface Address): the interface's
            pool = i.addr[fam] or self.addrs.unknown_space[fam]
        else:
            got = self.target(target + ("/" + bits if bits and target not in aliases else ""), fam, src, "NAT")
            pool = got if got is not None else FAMILY[fam]
        rewrites = [Rewrite(0, pool=pool)]
        natport = _text(f.get("natport"))
        if natport:
            r = self.addrs.port(natport)
            rewrites.append(Rewrite(3, pool=r.sure if r.sure and not r.maybe else ALL_PORTS))
        elif not p.dialect.flag(n, "staticnatport"):
            rewrites.append(Rewrite(3, pool=NAT_PORTS))
        out.append(NatRule(match, tuple(rewrites), src, (), (i.name,), maybe, label))

    def automatic(self) -> list[NatRule]:
        """The automatic outbound rules: the firewall's other IPv4 subnets (and static routes' networks)
        leaving an interface with a gateway take its address.

        pfSense (filter.inc filter_nat_rules_automatic_tonathosts, filter_nat_rules_outbound_automatic): the
        subnets of the interfaces without a gateway and of their virtual IPs (any mode), the private networks
        (pfsense-utils.inc is_private_ip) of static routes through a gateway on such an interface; on each
        interface with a gateway, first 'to any port 500' with a static port (ISAKMP), then the rest."""
        p = self.p
        opn = p.dialect.opn
        ifs = p.enabled_ifaces()
        inside = EMPTY
        for i in ifs:
            if not i.wan:
                inside = inside.union(i.net[4])
                if not opn and i.net[4]:
                    inside = inside.union(i.macro_net.intersect(ALL_V4))
        for k, net, _s in p.route_nets:
            if opn:
                inside = inside.union(net.intersect(ALL_V4))
            elif not self.addrs.by_key[k].wan and ISet.of(net.lo, net.lo).issubset(_PRIVATE):
                inside = inside.union(net.intersect(ALL_V4))
        out = []
        if not inside:
            return out
        for w in ifs:
            if not w.wan:
                continue
            pool = w.addr[4] or self.addrs.unknown_space[4]
            if not opn:
                out.append(NatRule(PacketSet([cube(src=inside, proto=_PORTED, dport=ISet.of(500))]),
                                   (Rewrite(0, pool=pool),), w.source, (), (w.name,),
                                   PacketSet([cube(src=inside, proto=ALL_PROTO.subtract(_PORTED), dport=ISet.of(500))]),
                                   "automatic outbound NAT on %s for ISAKMP (static port)" % w.name))
            out.append(NatRule(PacketSet([cube(src=inside)]), (Rewrite(0, pool=pool), Rewrite(3, pool=NAT_PORTS)),
                               w.source, (), (w.name,), PacketSet(),
                               "automatic outbound NAT on %s (the firewall's other subnets take %s's address)"
                               % (w.name, w.name)))
        return out

    # --- OPNsense's new model ------------------------------------------------------------------
    def mvc_lists(self) -> dict:
        """OPNsense's NAT lists of the new model (<OPNsense><Firewall><Filter><snatrules|onetoone|npt>), by tag;
        empty ones accounted for here."""
        mvc = self.p.opn_model("Firewall", "Filter") if self.p.dialect.opn else None
        out = {}
        for k in mvc.kids if mvc is not None else ():
            if k.tag in ("snatrules", "onetoone", "npt"):
                if not k.kids:
                    self.p.ignore(k, "empty NAT rule list of the new model")
                elif k.tag in out:
                    self.p.report(k, "<Filter><%s> given twice" % k.tag)
                else:
                    out[k.tag] = k
        return out

    def mvc_rules(self, lst) -> list:
        """The rules of a new-model NAT list in the order pf.inc registers them: 'sortedBy(['sequence'])', as the
        filter rules (``Parser.mvc_order``)."""
        p = self.p
        p.use(lst)
        rules = []
        for r in lst.kids:
            if r.tag == "rule":
                rules.append(r)
            else:
                p.report(r, "<%s> in <%s> not understood" % (r.tag, lst.tag), Impact.NONE)
        return sorted(rules, key=lambda r: p.mvc_order(r, len(rules)))

    def mvc_head(self, n, known: frozenset):
        """A new-model NAT rule's fields in the names of the legacy ones (SourceNatRuleField serialize:
        'source_port' -> sourceport, 'destination_port' -> dstport, 'target_port' -> natport, 'description' ->
        descr), its sides, source, interface's key and record; None when it is disabled ('enabled' 0: 'disabled'
        => empty(enabled)) or its interface is undefined or disabled."""
        f = self.fields(n, known | _MVC_COMMON)
        for mvc, legacy in (("source_port", "sourceport"), ("destination_port", "dstport"),
                            ("target_port", "natport"), ("description", "descr")):
            if mvc in f:
                f[legacy] = f.pop(mvc)
        descr = f.get("descr")
        src = self.lines.source(descr.line if descr is not None and descr.value else n.line)
        en = f.get("enabled")
        if en is not None and en.value in ("", "0"):
            return None
        key = _text(f.get("interface"))
        i = self.addrs.by_key.get(key)
        if i is None or not i.enabled:
            self.lines.undefined(key or "(none)", "interface", src, "NAT", Impact.NONE)
            return None
        sides = []
        for pre in ("source_", "destination_"):
            net = f.get(pre + "net")
            v = _text(net).strip() or "any"
            neg = f.get(pre + "not")
            sides.append(Side("any" if v == "any" else "mvc", v, v != "any" and neg is not None and
                              neg.value not in ("", "0"), None, (net or n).line))
        return f, sides[0], sides[1], src, i

    def mvc_snat(self, lst, mode: str) -> list[NatRule]:
        """Source NAT rules of the new model (Firewall > NAT > Source NAT, OPNsense 26.x): pf.inc pf_firewall
        registers them only in mode 'advanced' or 'hybrid' (<nat><outbound><mode>), as SNatRule.php writes the
        <nat><outbound> rules ('nat on IF ... -> TARGET', no target: the interface's address)."""
        out: list[NatRule] = []
        rules = self.mvc_rules(lst)
        for n in rules:
            if mode not in ("hybrid", "advanced"):
                self.p.ignore(n, "source NAT rule, unused in outbound NAT mode '%s'" % mode)
                continue
            got = self.mvc_head(n, _MVC_SNAT)
            if got is not None:
                f, s_side, d_side, src, i = got
                self.outbound_body(n, f, s_side, d_side, src, i, out)
        return out

    def mvc_onetoone(self, lst, into: list[NatRule], outof: list[NatRule]) -> None:
        """1:1 NAT of the new model (OPNsense 26.x; MFP1_0_4 moves <nat><onetoone> here): pf.inc registers each
        (registerStaticNatRule), DNatRule.php writes '<type> on IF from SOURCE to DESTINATION -> EXTERNAL', type
        'binat' (the default) or 'nat'."""
        for n in self.mvc_rules(lst):
            got = self.mvc_head(n, _MVC_ONETOONE)
            if got is None:
                continue
            f, s_side, d_side, src, i = got
            typ = _text(f.get("type")) or "binat"
            if typ not in ("binat", "nat"):
                self.p.report(f["type"], "1:1 NAT type '%s' not understood" % typ)
                continue
            if s_side.negate or (f.get("natreflection") is not None and f["natreflection"].value == "enable"):
                why = "an inverted source" if s_side.negate else "NAT reflection"
                self.p.report(n, "1:1 NAT with %s is not modelled" % why)
                continue
            self.onetoone_body(n, f, s_side, d_side, src, i, into, outof, binat=typ == "binat")

    def mvc_npt(self, lst) -> None:
        """NPTv6 of the new model: prefix translation, not modelled: each enabled rule is reported."""
        for n in self.mvc_rules(lst):
            en = n.child("enabled")
            if en is not None and en.value in ("", "0"):
                self.p.ignore(n, "disabled NPTv6 rule")
            else:
                self.p.report(n, "NPTv6 rule (IPv6 prefix translation, binat of a prefix) not modelled")

    # --- helpers -------------------------------------------------------------------------------
    def rule_head(self, n, known: frozenset):
        """What a 1:1 or outbound NAT rule starts with: its fields, its source (its description's
        line, else its own), its interface's key and record; None when the rule is disabled or its
        interface is undefined or disabled (reported)."""
        f = self.fields(n, known)
        descr = f.get("descr")
        src = self.lines.source(descr.line if descr is not None and descr.value else n.line)
        if self.p.dialect.flag(n, "disabled", strict=True):
            return None
        key = _text(f.get("interface")) or "wan"
        i = self.addrs.by_key.get(key)
        if i is None or not i.enabled:
            self.lines.undefined(key, "interface", src, "NAT", Impact.NONE)
            return None
        return f, src, key, i

    def fields(self, n, known: frozenset) -> dict:
        p = self.p
        p.use(n)
        f: dict = {}
        for k in n.kids:
            read = k.tag in known or k.tag in ("source", "destination")
            values = ([k] if not k.kids else [c for c in k.kids if c.tag in ("address", "network", "port")]) \
                if read and k.tag != "descr" and not p.dialect.opn else []
            for c in values:
                if spaced(c.text):
                    # pfSense keeps the spaces (xmlparse.inc trims tabs and line breaks only) and filter.inc compares
                    # or checks the value as written: an interface 'wan ' is none, a target '10.20.0.10 ' no address
                    p.report(c, "NAT rule <%s> '%s' has spaces around it: pfSense keeps them (its config reader trims "
                                "only tabs and line breaks) and compares or checks the value as written, so the rule "
                                "is not what it reads as" % (c.tag, c.text.strip("\t\n\r")), Impact.GLOBAL)
            if k.tag in ("source", "destination"):
                if k.tag in f:
                    p.report(k, "NAT rule element <%s> given twice" % k.tag, Impact.GLOBAL)
                f[k.tag] = self.reader.side([k])
                p.use_all(k)
            elif k.tag in known:
                p.use_all(k)
                f[k.tag] = k
            elif k.tag in _NO_EFFECT:
                p.ignore(k, _NO_EFFECT[k.tag])
            else:
                p.report(k, "NAT rule element <%s> not understood" % k.tag, Impact.GLOBAL)
        return f


# the fields of OPNsense's new-model NAT rules (Filter.xml <snatrules>, <onetoone>) read here
_MVC_COMMON = frozenset({"enabled", "sequence", "interface", "source_net", "source_not", "destination_net",
                         "destination_not", "description"})
_MVC_SNAT = frozenset({"nonat", "ipprotocol", "protocol", "source_port", "destination_port", "target", "target_port",
                       "staticnatport", "tagged"})
_MVC_ONETOONE = frozenset({"type", "external", "natreflection"})


def _inbound(rdr: list[NatRule], binat: list[NatRule]) -> list[NatRule]:
    """The inbound table: port forwards, then 1:1 mappings.  A "No RDR" forward ends the search of the
    forwards only: pf's lookup of its rdr rules then finds nothing and its binat rules are tried
    (pf_lb.c: ``pf_match_translation`` returns no rule for a matching ``no rdr``), so before it come
    the 1:1 mappings of the packets it exempts."""
    out: list[NatRule] = []
    for r in rdr:
        if not r.rewrites:  # (No RDR)
            for b in binat:
                if r.ingress and not set(b.ingress) <= set(r.ingress):
                    continue
                both = b.match.intersect(r.match)
                if both:
                    out.append(NatRule(both, b.rewrites, b.source, b.ingress, b.egress, PacketSet(), b.label))
        out.append(r)
    return out + binat


def _text(n) -> str:
    return n.value if n is not None else ""


def _literal_family(text: str) -> int:
    """4 or 6 for an address or network written out, else 0 (an alias, an interface's network)."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False).version
    except ValueError:
        return 0


def _name(descr, fallback: str) -> str:
    return "'%s'" % descr.value if descr is not None and descr.value else fallback

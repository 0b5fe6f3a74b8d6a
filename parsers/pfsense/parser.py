"""One parse of one config.xml: the sections, in the order the model needs them.

Every element is accounted for (``parsers.kit.Lines``, as ``common.XmlLines``): read into the model,
ignored with a reason (``parsers.pfsense.elements``), or reported.  Sections are read by the methods below; the rules,
NAT, stages and timeouts by the modules named in ``parsers.pfsense``.
"""

from __future__ import annotations

import re
from functools import cmp_to_key

from auditor.core.model import Config, Impact, Route, Source
from auditor.core.packets import ALL_V4, ALL_V6, ISet
from auditor.core.secrets import secret_tag
from parsers.kit import InputError
from parsers.kit.addr import cidr_set
from parsers.kit.routes import drop_egress, drop_paths
from parsers.pfsense import elements
from parsers.pfsense.addresses import DYNAMIC_V4, DYNAMIC_V6, Addresses, Alias, Iface, host_and_net
from parsers.pfsense.common import MASK, OPNSENSE, PFSENSE, Dialect, XmlLines, natcasecmp, redact_lines, spaced, whole
from parsers.pfsense.xmltree import Node, parse_xml

# lo0's addresses on FreeBSD, so on pfSense and OPNsense (rc.d/netif configures lo0 with 127.0.0.1 and ::1): what
# pf redirects to them (a port forward's target 127.0.0.1) is delivered to the firewall itself
LOOPBACK = cidr_set("127.0.0.1").union(cidr_set("::1"))

# characters Python splits lines on but XML does not: kept out so that line numbers agree
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")

# <system> children the parser reads (the rest: elements.SYSTEM_NO_FILTER_EFFECT, or not read by
# the rule generator at all)
_SYSTEM_READ = frozenset({
    "optimization", "ipv6allow", "webgui", "ssh", "disablefilter", "disablenegate", "no_apipa_block", "no_port0_block",
    "no_ipv6_rfc4890_req", "disablenatreflection", "enablenatreflectionpurenat", "enablenatreflectionhelper",
    "tcpfirsttimeout", "tcpopeningtimeout", "tcpestablishedtimeout", "tcpclosingtimeout", "tcpfinwaittimeout",
    "tcpclosedtimeout", "tcptsdifftimeout", "udpfirsttimeout", "udpsingletimeout", "udpmultipletimeout",
    "icmpfirsttimeout", "icmperrortimeout", "otherfirsttimeout", "othersingletimeout", "othermultipletimeout",
    "sctpfirsttimeout", "sctpopeningtimeout", "sctpestablishedtimeout", "sctpclosingtimeout",
    "sctpclosedtimeout", "adaptivestart", "adaptiveend", "statepolicy", "state-policy", "tftpinterface",
    "afterfilterchangeshellcmd", "no_sshlockout", "no_virusprot",
})


_TAG = re.compile(r"<([\w:.-]+)(?:\s[^>]*)?(?<!/)>")


def redact_text(text: str) -> str:
    """``text`` as the parser quotes its lines (``Vendor.redact``): the text of every element whose
    tag names a secret masked, over all its lines (a ``<prv>`` private key's base64 body), then the
    shared redaction.  A config.xml that is not well-formed is masked line by line: from a secret
    element's start tag to its end tag."""
    if not text.isascii():
        text = _ODD_BREAKS.sub(" ", text)
    raw = text.splitlines()
    try:
        watched = parse_xml(text, "", secret_tag).watched  # (parse_xml asks once per tag name)
    except InputError:
        raw = _redact_unparsed(raw)
    else:
        raw = redact_lines(raw, watched)
    return XmlLines("\n".join(raw), "").quoted()


def _redact_unparsed(raw: list[str]) -> list[str]:
    out = []
    tag = None
    for line in raw:
        if tag is not None:
            k = line.find("</" + tag)
            if k < 0:
                out.append(MASK)
                continue
            head, line, tag = MASK, line[k:], None
        else:
            head = ""
        pos, parts = 0, []
        for m in _TAG.finditer(line):
            if m.start() < pos or not secret_tag(m.group(1)):
                continue
            k = line.find("</" + m.group(1), m.end())
            parts.append(line[pos:m.end()] + MASK)
            if k < 0:
                tag, pos = m.group(1), len(line)
                break
            pos = k
        out.append(head + "".join(parts) + line[pos:])
    return out


class Parser:
    """Parses one config.xml; ``parse()`` returns the ``Config``."""

    def __init__(self, text: str, path: str):
        self.path = path
        if not text.isascii():  # (ASCII text has none of them: no scan of the whole text)
            text = _ODD_BREAKS.sub(" ", text)
        self.doc = parse_xml(text, path, secret_tag)
        root = self.doc.root
        tag = root.tag.lower()
        if tag not in (PFSENSE, OPNSENSE):
            raise InputError("%s is XML but not a pfSense or OPNsense config.xml (root element <%s>)"
                             % (path, root.tag))
        self.dialect = Dialect(tag)
        if self.doc.watched:
            raw = text.splitlines()
            text = "\n".join(redact_lines(raw, self.doc.watched))
            del raw
        self.lines = XmlLines(text, path)
        self.head = self.lines.head() or Source(path, 1, "")
        self.remarks: list[tuple[str, Source]] = []
        self._reported: set[tuple[int, str]] = set()
        self.sections: dict[str, list[Node]] = {}
        for k in root.kids:
            self.sections.setdefault(k.tag, []).append(k)
        self.system = self.first("system")
        self.schedules: dict[str, Node] = {}
        self.route_nets: list[tuple[str, ISet, Source]] = []
        # the next hop of each gateway ('KEY|ADDRESS', 'KEY|dynamic': learned at run time; '' a group, one of its
        # members) and of each route of self.routes ('' for a null route): reply-to compares them
        self.gw_hops: dict[str, str] = {}
        self.route_hops: list[str] = []
        self.tftp: list[str] = []
        flt = self.first("filter")
        self.bypassstaticroutes = self.dialect.flag(flt, "bypassstaticroutes")

    # --- accounting helpers --------------------------------------------------------------------
    def first(self, tag: str) -> Node | None:
        got = self.sections.get(tag)
        return got[0] if got else None

    def use(self, n: Node) -> None:
        """``n``'s start and end tags built the model (its children are accounted for separately)."""
        self.lines.use(n.line)
        self.lines.use(n.end)

    def use_all(self, n: Node) -> None:
        self.lines.use(n.line, n.end + 1)

    def ignore(self, n: Node, why: str) -> None:
        self.lines.ignore(n.line, why, n.end + 1)

    def report(self, n: Node, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        """CFG300 on ``n``'s first line; the rest of its lines are accounted as part of it."""
        self.lines.unrecognized(self.lines.source(n.line), why, impact, scope)
        self._reported.add((n.line, why))
        if n.end > n.line:
            self.lines.ignore(n.line + 1, "inside an element reported at line %d" % (n.line + 1), n.end + 1)

    def report_once(self, line: int, why: str, scope: str, impact: Impact = Impact.FILTER) -> None:
        if (line, why) in self._reported:
            return
        self._reported.add((line, why))
        self.lines.unrecognized(self.lines.source(line), why, impact, scope)

    def setting(self, tag: str) -> bool:
        return self.dialect.flag(self.system, tag)

    # --- the whole parse -----------------------------------------------------------------------
    def parse(self) -> Config:
        from parsers.pfsense import nat, policy, timeouts
        from parsers.pfsense.generated import Generated
        from parsers.pfsense.rules import RuleReader

        self.read_system()
        self.ifaces = self.read_interfaces()
        vips = self.read_vips()
        aliases = self.read_aliases()
        self.groups = self.read_ifgroups()
        self.addrs = Addresses(self.dialect, self.lines, self.ifaces, aliases, vips, self.groups)
        self.report_alias_entries(aliases)
        self.routes = self.read_routes()
        self.read_schedules()
        self.reader = RuleReader(self)
        user = self.read_rules()
        gen = Generated(self)
        self.nat = nat.NatReader(self)
        nat_tables, forwards, registered = self.nat.read()
        built = policy.build(self, gen.before + user + registered + gen.after, forwards)
        tos = timeouts.build(self, built)
        self.account_rest()
        interfaces = tuple(i.model for i in self.enabled_ifaces())
        refs = tuple(r for i in self.enabled_ifaces() for r in i.refs)
        # (the firewall's loopback addresses are its own too: a port forward to 127.0.0.1, a transparent proxy's
        # classic target, is delivered to the firewall's own service, not routed out: ``LOOPBACK``)
        own = LOOPBACK
        for i in self.enabled_ifaces():
            own = own.union(i.addr[4]).union(i.addr[6]).union(i.vip_addr)
        return Config(
            path=self.path, vendor=self.dialect.name, lines=len(self.lines), filters=built.filters,
            paths=tuple(built.paths) + tuple(drop_paths(self.routes, (i.name for i in interfaces),
                                                        "routed to a Null4/Null6 gateway: pfSense drops the packet")),
            interfaces=interfaces, routes=tuple(self.routes), timeouts=tos,
            diagnostics=tuple(self.lines.diagnostics), address_refs=refs + built.refs,
            objects=self.addrs.named_objects(), ignored_lines=self.lines.ignored, local_addresses=own or None,
            head=self.head, remarks=tuple(self.remarks), nat=nat_tables,
        )

    # --- <system> ------------------------------------------------------------------------------
    def read_system(self) -> None:
        s = self.system
        d = self.dialect
        self.ipv6allow = True
        self.noantilockout = False
        self.webgui_source = self.head
        self.gui_ports: list[int] = []
        self.ssh_port: int | None = None
        self.disablefilter: Node | None = None
        if s is None:
            return
        self.use(s)
        for k in s.kids:
            t = k.tag
            if t in _SYSTEM_READ:
                self.use_all(k)
            elif t in elements.SYSTEM_NO_FILTER_EFFECT:
                self.ignore(k, elements.SYSTEM_NO_FILTER_EFFECT[t])
            else:
                self.ignore(k, "system setting the rule generator does not read (%s)"
                            % ("filter.lib.inc" if d.opn else "filter.inc"))
        if d.opn:
            setting = self.opn_model("Interfaces", "settings")
            dis = setting.child("disableipv6") if setting is not None else None
            if dis is not None:
                self.ipv6allow = dis.value in ("", "0")
            elif s.child("ipv6allow") is not None:
                self.ipv6allow = d.flag(s, "ipv6allow")
        else:
            self.ipv6allow = s.child("ipv6allow") is not None
        web = s.child("webgui")
        proto = "https"
        if web is not None:
            self.webgui_source = self.lines.source(web.line)
            self.noantilockout = web.child("noantilockout") is not None
            proto = web.get("protocol", "https") or "https"
            port = web.get("port") or ""
            main = int(port) if whole(port) else (443 if proto == "https" else 80)
            self.gui_ports = [main]
            if proto == "https" and web.child("disablehttpredirect") is None and main != 80:
                self.gui_ports.append(80)
        else:
            self.gui_ports = [443, 80] if d.opn else [80]
        ssh = s.child("ssh")
        if ssh is not None and (ssh.child("enabled") is not None if d.opn else ssh.child("enable") is not None):
            port = ssh.get("port") or "22"
            self.ssh_port = int(port) if whole(port) else 22
        self.disablefilter = s.child("disablefilter")
        cmd = s.child("afterfilterchangeshellcmd")
        if cmd is not None and cmd.value:
            self.report(cmd, "a shell command runs after every filter reload: it could change the ruleset")
        tftp = s.child("tftpinterface")
        self.tftp = [x for x in (tftp.value.split(",") if tftp is not None else []) if x]

    def antilockout_iface(self) -> Iface | None:
        ifs = self.enabled_ifaces()
        if self.dialect.opn:
            keys = sorted((i.key for i in ifs if not i.virtual), key=_natkey)
            for k in keys:
                if re.match(r"^(lan|opt[0-9]+|wan)$", k):
                    return self.addrs.by_key[k]
            return None
        keys = [i.key for i in self.ifaces]
        if len(keys) > 1:
            return self.addrs.by_key.get("lan") if "lan" in [i.key for i in ifs] else None
        return self.addrs.by_key.get("wan") if keys == ["wan"] else None

    def antilockout_ports(self) -> list[int]:
        return self.gui_ports + ([self.ssh_port] if self.ssh_port is not None else [])

    # --- <interfaces> --------------------------------------------------------------------------
    def read_interfaces(self) -> list[Iface]:
        out: list[Iface] = []
        node = self.first("interfaces")
        if node is None:
            return out
        self.use(node)
        d = self.dialect
        names: set[str] = set()
        for k in node.kids:
            descr = k.get("descr") or ""
            name = descr if descr and descr not in names else k.tag.upper()
            names.add(name)
            enabled = d.flag(k, "enable")
            src = self.lines.source(k.line)
            i = Iface(k.tag, name, k, src, enabled)
            i.virtual = d.flag(k, "virtual") or k.get("type") == "group"
            self.use(k)
            for c in k.kids:
                if c.tag in ("if", "descr", "enable", "ipaddr", "subnet", "ipaddrv6", "subnetv6", "gateway",
                             "gatewayv6", "blockpriv", "blockbogons", "virtual", "type", "internal_dynamic"):
                    self.use_all(c)
                else:
                    self.ignore(c, elements.INTERFACE_NO_EFFECT)
            for fam, tag, bits_tag, dyn in ((4, "ipaddr", "subnet", DYNAMIC_V4), (6, "ipaddrv6", "subnetv6",
                                                                                 DYNAMIC_V6)):
                a = k.child(tag)
                v = a.value if a is not None else ""
                if a is not None and v:
                    if fam == 4:
                        i.source = self.lines.source(a.line)
                    else:
                        i.source6 = self.lines.source(a.line)
                if v in ("", "none"):
                    continue
                i.none[fam] = False
                odd = [x for x in (a, k.child(bits_tag)) if x is not None and not d.opn and spaced(x.text)]
                if odd:
                    # pfSense's config reader keeps spaces around a value (xmlparse.inc trims tabs and line breaks
                    # only); interfaces.inc interface_configure sets an address only when is_ipaddrv4/v6 takes it and
                    # compares the mode ('dhcp', 'track6', ...) as written: what the interface gets is not known here
                    for x in odd:
                        self.report(x, "interface %s <%s> '%s' has spaces around it: pfSense keeps them (its config "
                                       "reader trims only tabs and line breaks) and compares or checks the value as "
                                       "written, so the interface's address is not what it reads as"
                                    % (name, x.tag, x.text.strip("\t\n\r")))
                    i.dynamic[fam] = "an address not understood"
                    continue
                if v.lower() in dyn:
                    i.dynamic[fam] = dyn[v.lower()]
                    if fam == 4:
                        i.wan = True
                    continue
                try:
                    addr, net = host_and_net(v, k.get(bits_tag), fam)
                except ValueError:
                    self.report(a, "interface %s address '%s' not understood" % (name, v))
                    i.dynamic[fam] = "an address not understood"
                    continue
                i.addr[fam], i.net[fam] = addr, net
                i.refs.append(self.addr_ref(addr, a))
            i.gateway = k.get("gateway") or ""
            i.gateway6 = k.get("gatewayv6") or ""
            if i.gateway:
                i.wan = True
            i.blockpriv = k.child("blockpriv") if d.flag(k, "blockpriv") else None
            i.blockbogons = k.child("blockbogons") if d.flag(k, "blockbogons") else None
            out.append(i)
        return out

    def addr_ref(self, addrs: ISet, n: Node):
        from auditor.core.model import AddressRef
        return AddressRef(addrs, self.lines.source(n.line))

    def enabled_ifaces(self) -> list[Iface]:
        return [i for i in self.ifaces if i.enabled]

    # --- <virtualip> ---------------------------------------------------------------------------
    def read_vips(self) -> list[tuple[str, ISet, ISet, Source]]:
        out = []
        self.carp = False
        nodes = [v for node in self.sections.get("virtualip", []) for v in node.kids if v.tag == "vip"]
        # pfSense: a virtual IP stacked on a CARP (or IP alias) VIP names it '_vip<uniqid>' as its interface, and
        # is the interface of that VIP's (util.inc get_configured_vip_interface, used by interfaces.inc
        # link_interface_to_vips and interface_ipalias_configure; one level, modes carp and ipalias only)
        parents = {} if self.dialect.opn else {
            "_vip" + v.get("uniqid"): (v.get("interface") or "").strip() for v in nodes
            if v.get("uniqid") and v.get("mode") in ("carp", "ipalias")}
        for node in self.sections.get("virtualip", []):
            self.use(node)
            for v in node.kids:
                if v.tag != "vip":
                    self.report(v, "<%s> in <virtualip> not understood" % v.tag, Impact.NONE)
                    continue
                self.use_all(v)
                mode = v.get("mode") or ""
                key = (v.get("interface") or "").strip()
                if key.startswith("_vip") and key in parents:
                    key = parents[key]
                if mode not in ("ipalias", "carp"):
                    self.vip_subnet(v, key)
                    continue  # proxyarp / other: answered or routed, not an address of an interface
                self.carp = self.carp or mode == "carp"
                addr_text = v.get("subnet") or ""
                try:
                    fam = 6 if ":" in addr_text else 4
                    addr, net = host_and_net(addr_text, v.get("subnet_bits"), fam)
                except ValueError:
                    self.report(v, "virtual IP '%s' not understood" % addr_text)
                    continue
                out.append((key, addr, net, self.lines.source(v.line)))
                self.vip_subnet(v, key)
        return out

    def vip_subnet(self, v: Node, key: str) -> None:
        """pfSense: the subnet of a virtual IP of any mode is in its interface's network macro ('LAN net').
        filter.inc filter_generate_aliases writes '<IF>__NETWORK' from the interface's subnets and every
        entry of its 'vips' (filter_generate_optcfg_array: link_interface_to_vips, all modes; a missing
        prefix length is /32 or /128); filter_generate_address uses that table for 'lan', 'opt1', ...

        OPNsense writes '(em1:network)' (Rule.php loadAliasMap), "the network(s) attached to the interface"
        (pf.conf(5)): every address set on it, its IP alias and CARP virtual IPs included (interfaces.inc
        interface_ipalias_configure, interface_carp_configure: 'ifconfig IF ADDR/BITS alias'); a proxy ARP or
        'other' virtual IP is not set on the interface."""
        if self.dialect.opn and (v.get("mode") or "") not in ("ipalias", "carp"):
            return
        i = next((x for x in self.ifaces if x.key == key), None)
        text = v.get("subnet") or ""
        if i is None or not text:
            return
        try:
            _addr, net = host_and_net(text, v.get("subnet_bits"), 6 if ":" in text else 4)
        except ValueError:
            return
        i.macro_net = i.macro_net.union(net)

    # --- aliases -------------------------------------------------------------------------------
    def read_aliases(self) -> dict[str, Alias]:
        out: dict[str, Alias] = {}
        for node in self.sections.get("aliases", []):
            self.use(node)
            for a in node.kids:
                if a.tag != "alias":
                    self.report(a, "<%s> in <aliases> not understood" % a.tag, Impact.NONE)
                    continue
                self.alias(a, out, legacy=True)
        mvc = self.opn_model("Firewall", "Alias")
        if mvc is not None:
            self.use(mvc)
            lst = mvc.child("aliases")
            for k in mvc.kids:
                if k is not lst:
                    self.ignore(k, "alias model settings")
            if lst is not None:
                self.use(lst)
                for a in lst.kids:
                    if a.tag == "alias":
                        self.alias(a, out, legacy=False)
                    else:
                        self.report(a, "<%s> in <aliases> not understood" % a.tag, Impact.NONE)
        return out

    def alias(self, a: Node, out: dict[str, Alias], legacy: bool) -> None:
        name = a.get("name") or ""
        k = a.child("name")
        if k is not None and legacy and not self.dialect.opn and spaced(k.text):
            # pfSense keeps the spaces (xmlparse.inc trims tabs and line breaks only) and looks an alias up by its
            # name as written (util.inc alias_make_table, is_alias): a rule naming 'SERVERS' does not find 'SERVERS '
            # and filter.inc skips it ("Unresolvable ... alias"): the alias is taken under its name as written
            name = k.text.strip("\t\n\r")
            self.report(k, "alias name '%s' has spaces around it: pfSense keeps them, so rules naming '%s' do not find "
                           "the alias and are not loaded" % (name, name.strip()), Impact.FILTER, "aliases")
        typ = (a.get("type") or "").lower()
        self.use(a)
        body = "address" if legacy else "content"
        entries: list[tuple[str, Source]] = []
        for k in a.kids:
            if k.tag in ("name", "type", "address", "content", "enabled", "url", "aliasurl"):
                self.use_all(k)
                if k.tag in (body, "address", "content"):
                    for off, chunk in enumerate(k.text.split("\n")):
                        src = self.lines.source(k.line + off)
                        for word in re.split(r"[\s,]+", chunk.strip()):
                            if word:
                                entries.append((word, src))
            elif k.tag in elements.ALIAS_NO_EFFECT:
                self.ignore(k, elements.ALIAS_NO_EFFECT[k.tag])
            elif k.tag == "proto" or k.tag == "interface":
                self.use_all(k)
            else:
                self.report(k, "alias element <%s> not understood" % k.tag, Impact.FILTER, "aliases")
        src = self.lines.source(a.child("name").line if a.child("name") is not None else a.line)
        if not name:
            self.report(a, "alias without a name", Impact.NONE)
            return
        if name in out:
            self.report_once(a.line, "alias %s is defined twice: the first definition is used" % name, "aliases",
                             Impact.FILTER)
            return
        enabled = not (self.dialect.opn and a.child("enabled") is not None and a.get("enabled") == "0")
        out[name] = Alias(name, typ, a, src, entries, enabled)
        if typ in ("host", "network", "port", "networkgroup", "internal"):
            return  # (its entries: ``report_alias_entries``, once every alias is known)
        if typ in ("url", "urltable", "urljson", "url_ports", "urltable_ports", "geoip", "asn", "external",
                   "dynipv6host", "mac", "authgroup"):
            self.report_once(src.line - 1, "alias %s of type %s: its content is fetched or learned at run time, not "
                                           "in config.xml (rules using it are uncertain)" % (name, typ), "aliases")
            return
        self.report_once(src.line - 1, "alias %s of type '%s' not understood (rules using it are uncertain)"
                         % (name, typ), "aliases")

    def report_alias_entries(self, aliases: dict[str, Alias]) -> None:
        """Report, at its line, each entry of a host or network alias whose addresses config.xml does not give: a
        host name (resolved at run time, ``Addresses.entry_kind``) or an entry that is neither an alias, an address
        nor a host name; the rules using the alias are uncertain where it could match."""
        for name, a in aliases.items():
            if a.type not in ("host", "network", "networkgroup", "internal"):
                continue
            for word, esrc in a.entries:
                w = word[1:] if word.startswith("!") else word
                if w in aliases:
                    continue
                kind = self.addrs.entry_kind(w)
                if kind == "host":
                    self.report_once(esrc.line - 1, "alias %s: host name %s is resolved at run time (rules using the "
                                                    "alias are uncertain)" % (name, w), "aliases")
                elif kind == "unknown":
                    self.report_once(esrc.line - 1, "alias %s: entry '%s' is neither an alias, an address nor a host "
                                                    "name (rules using the alias are uncertain)" % (name, w), "aliases")

    # --- gateways and routes -------------------------------------------------------------------
    def read_routes(self) -> list[Route]:
        gws: dict[str, tuple[str, Source, int]] = {}  # name -> (interface key, source, family)
        groups: dict[str, list[str]] = {}  # gateway group -> its members' names
        default: dict[int, str] = {}
        gw_nodes = list(self.sections.get("gateways", []))
        mvc = self.opn_model("Gateways")
        if mvc is not None:
            gw_nodes.append(mvc)
        for node in gw_nodes:
            self.use(node)
            for g in node.kids:
                if g.tag == "gateway_item":
                    self.use_all(g)
                    name = g.get("name") or ""
                    fam = 6 if (g.get("ipprotocol") or "inet") == "inet6" else 4
                    gws[name] = ((g.get("interface") or "").strip(), self.lines.source(g.line), fam)
                    addr = (g.get("gateway") or "").strip()
                    self.gw_hops[name] = "%s|%s" % (gws[name][0], addr if addr and addr != "dynamic" else "dynamic")
                    if g.child("defaultgw") is not None and fam not in default:
                        default[fam] = name
                elif g.tag in ("defaultgw4", "defaultgw6"):
                    self.use_all(g)
                    default[4 if g.tag.endswith("4") else 6] = g.value
                elif g.tag == "gateway_group":
                    self.use_all(g)
                    groups[g.get("name") or ""] = [x.value.split("|")[0] for x in g.children("item")]
                else:
                    self.ignore(g, "gateway monitoring settings")
        for i in self.enabled_ifaces():
            for fam, label in ((4, {"DHCP": "DHCP", "PPPoE": "PPPOE", "PPTP": "PPTP", "L2TP": "L2TP", "PPP": "PPP"}),
                               (6, {"DHCPv6": "DHCP6", "SLAAC": "SLAAC", "6RD": "6RD", "6to4": "6TO4"})):
                how = i.dynamic.get(fam)
                if how in label:
                    gws.setdefault("%s_%s" % (i.name.upper(), label[how]), (i.key, i.source, fam))
                    self.gw_hops.setdefault("%s_%s" % (i.name.upper(), label[how]), "%s|dynamic" % i.key)
        # the interfaces each gateway (or group: its members') sends what is routed to it out of
        self.gw_ifaces = {name: frozenset((v[0],)) for name, v in gws.items()}
        for name, items in groups.items():
            self.gw_ifaces[name] = frozenset(gws[x][0] if x in gws else "" for x in items)
            first = next((gws[x] for x in items if x in gws), None)
            if first is not None:
                gws[name] = first
                self.gw_hops[name] = ""
        routes: list[Route] = []
        by_key = {i.key: i for i in self.enabled_ifaces()}
        for node in self.sections.get("staticroutes", []):
            self.use(node)
            for r in node.kids:
                if r.tag != "route":
                    self.report(r, "<%s> in <staticroutes> not understood" % r.tag)
                    continue
                self.use_all(r)
                if not r.kids and not r.value:
                    continue  # (an empty <route/>: OPNsense get_staticroutes skips a network that is not a subnet)
                if self.dialect.flag(r, "disabled", strict=True) or _route_off(r):
                    continue
                net_text = r.get("network") or ""
                gw = r.get("gateway") or ""
                try:
                    net = cidr_set(net_text)
                except ValueError:
                    self.report(r, "static route network '%s' not understood" % net_text)
                    continue
                if gw in ("Null4", "Null6"):
                    # pfSense's built-in blackhole gateways (Netgate pfSense documentation, "Static Routes": a
                    # route to Null4 or Null6 is a null route, whose packets are dropped): at its line
                    src = self.lines.source(r.line)
                    plen = int(net_text.split("/")[1]) if "/" in net_text else (32 if ":" not in net_text else 128)
                    routes.append(Route(net, plen, drop_egress("blackhole", src), src))
                    self.route_hops.append("")
                    continue
                g = gws.get(gw)
                if g is None or g[0] not in by_key:
                    self.lines.undefined(gw, "gateway", self.lines.source(r.line), impact=Impact.GLOBAL)
                    continue
                src = self.lines.source(r.line)
                plen = int(net_text.split("/")[1]) if "/" in net_text else (32 if ":" not in net_text else 128)
                routes.append(Route(net, plen, by_key[g[0]].name, src))
                self.route_hops.append(self.gw_hops.get(gw, ""))
                self.route_nets.append((g[0], net, src))
        for fam, space in ((4, ALL_V4), (6, ALL_V6)):
            name = default.get(fam)
            if name == "-":
                continue  # default gateway 'None'
            g = gws.get(name) if name else None
            if g is None:
                # 'Automatic': the WAN's gateway, else the first gateway of the family
                cands = [(k, v) for k, v in gws.items() if v[2] == fam and v[0] in by_key]
                wan = [kv for kv in cands if kv[1][0] == "wan"]
                name, g = (wan or cands or [(None, None)])[0]
                if g is not None and len({v[0] for _k, v in cands}) > 1:
                    self.report_once(0, "default gateway 'automatic' with gateways on several interfaces: taken to be "
                                        "%s's (pfSense picks the first that is up)" % by_key[g[0]].name, "routes",
                                     Impact.NONE)
            if g is not None and g[0] in by_key:
                routes.append(Route(space, 0, by_key[g[0]].name, g[1]))
                self.route_hops.append(self.gw_hops.get(name, ""))
        return routes

    # --- interface groups and schedules --------------------------------------------------------
    def read_ifgroups(self) -> dict[str, tuple[int, tuple[str, ...]]]:
        out: dict[str, tuple[int, tuple[str, ...]]] = {}
        nodes = list(self.sections.get("ifgroups", []))
        mvc = self.opn_model("Firewall", "Group")
        if mvc is not None:
            nodes.append(mvc)
        for node in nodes:
            self.use(node)
            for g in node.kids:
                if g.tag == "ifgroups":  # OPNsense model wrapper
                    self.use(g)
                    kids = g.kids
                else:
                    kids = [g]
                for e in kids:
                    if e.tag != "ifgroupentry":
                        self.ignore(e, "interface group model settings")
                        continue
                    self.use_all(e)
                    name = e.get("ifname") or ""
                    seq = e.get("sequence") or "0"
                    # pfSense splits the members on spaces (interfaces.inc interface_group_setup, filter.inc
                    # filter_generate_optcfg_array: explode(' ', ...)): 'lan,opt1' names no interface; OPNsense on
                    # spaces, '|' and ',' (filter.inc ifgroup_setup: preg_split('/[ |,]+/', ...))
                    raw = e.get("members") or ""
                    members = tuple(x for x in (re.split(r"[ |,]+", raw) if self.dialect.opn else raw.split(" ")) if x)
                    out[name] = (int(seq) if whole(seq) else 0, members)
        return out

    def read_schedules(self) -> None:
        for node in self.sections.get("schedules", []):
            self.use(node)
            for s in node.kids:
                self.use_all(s)
                name = s.get("name")
                if name:
                    self.schedules[name] = s

    # --- rules ---------------------------------------------------------------------------------
    def read_rules(self) -> list:
        """The user's rules, in pf's evaluation order of their categories (floating, groups, interfaces)."""
        from parsers.pfsense.rules import PfRule

        keyed: list[tuple[tuple, PfRule]] = []
        opn = self.dialect.opn
        known = {i.key for i in self.ifaces}
        enabled = {i.key for i in self.enabled_ifaces()}
        group_pos = {g: n for n, g in enumerate(self.groups)}
        for node in self.sections.get("filter", []):
            self.use(node)
            for n, r in enumerate(node.kids):
                if r.tag != "rule":
                    if r.tag == "separator":
                        self.ignore(r, "GUI separators")
                    elif r.tag == "bypassstaticroutes":
                        self.use_all(r)
                    else:
                        self.ignore(r, "filter settings") if not r.kids else self.report(
                            r, "<%s> in <filter> not understood" % r.tag)
                    continue
                f, rest = self.reader.legacy(r, False)
                key = self.category(f, known, group_pos, opn, legacy=True, pos=n)
                keyed += self.place(f, rest, key, known, enabled)
        mvc = self.opn_model("Firewall", "Filter")
        if mvc is not None:
            self.use(mvc)
            for k in mvc.kids:
                if k.tag in ("snatrules", "onetoone", "npt"):
                    continue  # (NAT of the new model: read with the NAT, ``nat.NatReader.mvc``)
                if k.tag != "rules":
                    if k.kids:
                        self.report(k, "OPNsense <Filter><%s> not understood" % k.tag)
                    else:
                        self.ignore(k, "empty list of the new model")
                    continue
                self.use(k)
                for r in k.kids:
                    if r.tag != "rule":
                        self.report(r, "<%s> in <rules> not understood" % r.tag, Impact.NONE)
                        continue
                    f, rest = self.reader.mvc(r)
                    key = self.category(f, known, group_pos, opn, legacy=False, pos=self.mvc_order(r, len(k.kids)))
                    keyed += self.place(f, rest, key, known, enabled)
        keyed.sort(key=lambda kr: kr[0])
        return [r for _k, r in keyed]

    def mvc_order(self, r: Node, count: int):
        """An OPNsense new-model rule's place among the others of its priority (``count``: how many there are).

        plugins.inc.d/pf.inc pf_firewall registers them 'foreach ($mdlFilter->rules->rule->sortedBy(['sequence'])
        ...)'; ArrayField::sortedBy keys each rule by its sequence, right-aligned in 30 characters when numeric
        ('sprintf("%30s,", $payload)'), followed by its uuid ('$sortKey .= $nodeKey'), and sorts the keys with
        'ksort($sortedData, SORT_NATURAL | SORT_FLAG_CASE)': PHP's natural order (``natcasecmp``), so rules of one
        sequence are in the natural order of their uuids ('9a...' before '10...'), not their plain order.  A
        sequence that is not a number (the model's FilterSequenceField: 1-999999, required) is not written by the
        GUI; how the model reads it is not settled here: with other rules, the order of the rules is unknown."""
        k = r.child("sequence")
        seq = "1" if k is None else k.value  # (a rule without the element has the model's default, 1)
        if not whole(seq) and count > 1:
            n = r.child("sequence") or r
            self.report(n, "rule sequence '%s' is not a number: the order %s gives the rules is not known"
                        % (seq, self.dialect.title))
        pad = "%30s," if whole(seq) else "%-30s,"
        return cmp_to_key(natcasecmp)(pad % seq + (r.attr("uuid") or ""))

    def category(self, f: dict, known, group_pos, opn: bool, legacy: bool, pos) -> tuple:
        """The sort key of a rule in pf's evaluation order."""
        ifs = f["interfaces"]
        if opn:
            # (filter.lib.inc filter_core_rules_user: 'isset($ifgroups[$rule['interface']])' on a legacy rule's
            # whole interface field, so 'grp,lan' is no group and gets 400000; FilterRuleField::getPriority looks
            # up a new-model rule's one interface)
            if f["floating"]:
                prio = 200000
            elif (f["interface_text"] if legacy else (ifs[0] if ifs else "")) in self.groups:
                prio = 300000 + self.groups[ifs[0]][0]
            else:
                prio = 400000
            # OPNsense: the new-model rules precede the legacy ones of the same priority
            return (prio, 1 if legacy else 0, pos)
        if f["floating"]:
            return (0, 0, pos)
        if ifs and ifs[0] in group_pos:
            return (1, group_pos[ifs[0]], pos)
        return (2, 0, pos)

    def place(self, f: dict, rest, key: tuple, known, enabled) -> list:
        """Check a rule's interfaces and build it: [(sort key, PfRule)], one for each part of it the generator
        writes differently (``RuleReader.replied_parts``), none when it is not loaded."""
        ifs = f["interfaces"]
        tab = "Floating" if f["floating"] else (ifs[0] if ifs else "?")
        if tab in self.addrs.by_key:
            tab = self.addrs.by_key[tab].name
        missing = [x for x in ifs if x not in known and x not in self.groups and x != "any"]
        for x in missing:
            if x in ("enc0", "openvpn", "l2tp", "pppoe", "wireguard", "IPsec", "OpenVPN"):
                continue
            self.lines.undefined(x, "interface", self.lines.source(f["node"].line), tab, Impact.NONE)
        out = []
        for r in self.reader.build(f, rest, tab):
            # a group's rules apply to its members
            if r.ifaces is not None:
                expanded: list[str] = []
                for x in r.ifaces:
                    expanded += list(self.groups[x][1]) if x in self.groups else [x]
                r.ifaces = tuple(dict.fromkeys(expanded))
            if r.ifaces is not None and not any(x in enabled for x in r.ifaces) and not r.ifnot:
                r.enabled = False
                r.note = (r.note + "; " if r.note else "") + "on no enabled interface: not loaded"
            out.append((key, r))
        return out

    # --- OPNsense's models ---------------------------------------------------------------------
    def opn_model(self, *path: str) -> Node | None:
        n = self.first("OPNsense")
        for p in path:
            if n is None:
                return None
            n = n.child(p)
        return n

    # --- everything else -----------------------------------------------------------------------
    def account_rest(self) -> None:
        handled = {"system", "interfaces", "virtualip", "aliases", "gateways", "staticroutes", "ifgroups",
                   "schedules", "filter", "nat"}
        for d in self.doc.decl:
            self.lines.ignore(d, "XML declaration")
        for a, b in self.doc.comments:
            self.lines.ignore(a, "XML comment", b + 1)
        for x in self.doc.other:
            self.lines.ignore(x, "XML processing instruction")
        root = self.doc.root
        self.use(root)
        for tag, nodes in self.sections.items():
            for n in nodes:
                if tag in handled:
                    continue
                if tag == "OPNsense":
                    self.opnsense_models(n)
                elif tag in elements.NEUTRAL_SECTIONS:
                    self.ignore(n, elements.NEUTRAL_SECTIONS[tag])
                elif tag in elements.WHEN_CONFIGURED:
                    self.when_configured(n, *elements.WHEN_CONFIGURED[tag])
                elif not n.kids and not n.value:
                    self.ignore(n, "empty section")
                else:
                    self.report(n, "section <%s> is not known to the audit: it could hold rules" % tag)

    def when_configured(self, n: Node, children: tuple[str, ...], why: str) -> None:
        if n.tag == "installedpackages":
            self.packages(n, why)
            return
        hits = [k for k in n.kids if children == ("*",) or (k.tag in children and (k.kids or k.value))]
        if n.tag == "captiveportal":
            hits = [k for k in n.kids if self.dialect.flag(k, "enable")]
        if not hits:
            self.ignore(n, "%s: not configured" % n.tag)
            return
        self.use(n)
        for k in n.kids:
            if k in hits:
                self.report(k, "<%s> configured: %s" % (n.tag, why))
            else:
                self.ignore(k, "%s settings" % n.tag)

    def packages(self, n: Node, why: str) -> None:
        self.use(n)
        for k in n.kids:
            if k.tag == "package":
                name = (k.get("name") or k.get("internal_name") or "?")
                # (pfSense names a package for display and by its port: 'OpenVPN Client Export Utility',
                # internal_name 'openvpn-client-export')
                known = [x.lower() for x in (name, k.get("internal_name") or "")
                         if x.lower() in elements.PACKAGES_NO_FILTER]
                if known:
                    self.ignore(k, "package %s: %s" % (name, elements.PACKAGES_NO_FILTER[known[0]]))
                else:
                    self.report(k, "package %s is installed: %s" % (name, why))
            elif k.tag == "miniupnpd":
                cfg = k.child("config")
                if cfg is not None and cfg.get("enable") == "on":
                    self.report(k, "UPnP/NAT-PMP is enabled: clients can open port forwards at run time")
                else:
                    self.ignore(k, "UPnP/NAT-PMP: not enabled")
            else:
                self.ignore(k, "package settings (each installed package is reported once)")

    def opnsense_models(self, n: Node) -> None:
        self.use(n)
        for k in n.kids:
            if k.tag == "Firewall":
                self.use(k)
                for m in k.kids:
                    if m.tag in ("Alias", "Filter", "Group"):
                        continue  # read with the aliases, rules and interface groups
                    if m.tag in ("Category", "Lvtemplate"):
                        self.ignore(m, "rule categories and log templates")
                    elif not _configured(m):
                        self.ignore(m, "empty firewall model")
                    else:
                        self.report(m, "OPNsense firewall model <%s> not modelled" % m.tag)
            elif k.tag == "Gateways":
                continue
            elif k.tag == "Interfaces":
                self.ignore(k, "interface model settings (virtual IPs and IPv6 switch are read with the interfaces)")
            elif k.tag in elements.OPNSENSE_NEUTRAL:
                self.ignore(k, elements.OPNSENSE_NEUTRAL[k.tag])
            elif k.tag in ("IDS", "captiveportal", "wireguard", "OpenVPN", "Swanctl", "IPsec", "routing", "Routes"):
                if _enabled_somewhere(k):
                    self.report(k, "OPNsense %s is configured: it can drop, tunnel or route traffic in ways the "
                                   "audit does not model" % k.tag)
                else:
                    self.ignore(k, "%s: not enabled" % k.tag)
            elif not _configured(k):
                self.ignore(k, "empty model")
            else:
                self.report(k, "OPNsense model <%s> is not known to the audit: it could filter traffic" % k.tag)


def _natkey(s: str):
    return [int(t) if whole(t) else t for t in re.split(r"([0-9]+)", s)]


def _route_off(r: Node) -> bool:
    """OPNsense 26.7's static routes say <enabled>0</enabled> where older ones said <disabled>1</disabled>
    (Routes model 1.0.1; util.inc get_staticroutes: ``isset($route['enabled']) ? empty($route['enabled'])``)."""
    on = r.child("enabled")
    return on is not None and on.value in ("", "0")


def _configured(n: Node) -> bool:
    return any(k.kids or k.value for k in n.kids)


def _enabled_somewhere(n: Node) -> bool:
    """Whether an OPNsense model has an ``enabled``/``enable`` switch on anywhere below it."""
    for k in n.walk():
        if k.tag in ("enabled", "enable") and k.value not in ("", "0"):
            return True
    return False

"""The ASA running-config as blocks: one pass over the lines, each top-level command handed to
the module that understands it; every line ends used, ignored (with the reason) or reported.

``Asa`` holds what the pass collects (objects, interfaces, access lists, NAT statements,
service policies); the other modules build the model from it.
"""

from __future__ import annotations

import re
from typing import Callable

from auditor.core.model import AddressRef, Impact, Route, Source
from auditor.core.packets import ISet
from parsers.cisco_asa import acl, mpf, nat, objects, topology, vpn
from parsers.cisco_asa.names import IF_PHYSICAL, IF_VIRTUAL, IGNORED_COMMANDS
from parsers.kit import InputError, Lines
from parsers.kit.ifnames import IfNames

VERSION_LINE = re.compile(r"^(?:ASA|PIX) Version ([0-9]+)\.([0-9]+)")


class Asa:
    """What one pass over a running-config collects (0-based line indexes)."""

    def __init__(self, text: str, path: str):
        self.lines = Lines(text, path)
        self.raw = self.lines.raw
        self.path = path
        # (one name for each interface, however a line abbreviates it: parsers.kit.ifnames)
        self.ifnames = IfNames(IF_PHYSICAL, IF_VIRTUAL, (topology.if_name(line.split()) for line in self.raw
                                                         if line.startswith("interface ")))
        self.version: tuple[int, int] | None = None
        self.version_src: Source | None = None
        self.names: dict[str, tuple[int, Source]] = {}
        self.objects: dict[str, objects.ObjDef] = {}
        self.interfaces: list[topology.IfDef] = []
        self.routes: list[Route] = []
        self.acl_lines: dict[str, list[int]] = {}  # ACL -> the indexes of its lines
        self.acl_first: dict[str, Source] = {}
        self.standard_acls: set[str] = set()  # the lists with a 'standard' entry (acl.build_filters)
        self.ethertype_acls: dict[str, Source | None] = {}  # EtherType list -> its 'deny any' entry (or None)
        self.remarks: list[tuple[str, Source]] = []
        self.learned: list[Source] = []  # the lines that start a dynamic routing process
        self.tracked: list[tuple[Route, Source]] = []  # routes withdrawn with their tracked object, the line
        self.unsettled: list[tuple[ISet, Source, str]] = []  # Config.unsettled_routes
        self.learned_families: set[int] = set()  # the address families they route (4, 6; 0: both)
        self.access_groups: list[tuple[str, str, str | None, Source]] = []  # acl, in|out|global, iface
        self.class_maps: dict[str, list[tuple[list[str], Source]]] = {}
        self.policy_maps: dict[str, list[mpf.PolicyClass]] = {}
        self.service_policies: list[tuple[str, str | None, Source]] = []
        self.timeout_conn: tuple[int | None, Source] | None = None
        self.same_inter: Source | None = None
        self.same_intra: Source | None = None
        self.noproxyarp: dict[str, Source] = {}  # 'sysopt noproxyarp IF': interface -> the line
        self.tunnels = vpn.Tunnels()  # where VPNs terminate (vpn.gates)
        self.nat = nat.NatStatements()
        self.address_refs: list[AddressRef] = []
        self.resolving: set[str] = set()
        self.net_cache: dict[str, objects.Resolved] = {}
        self.svc_cache: dict[str, tuple[list, bool]] = {}
        self.addr_cache: dict[str, object] = {}
        self.proto_svcs: dict = {}
        self.port_groups: dict = {}

    @property
    def pre83(self) -> bool:
        """A version before 8.3 (NAT written as static/nat/global; ACLs on mapped addresses).

        Without an 'ASA Version' line, the NAT syntax tells (``nat.NatStatements.old_style``).
        """
        if self.version is not None:
            return self.version < (8, 3)
        return self.nat.old_style and not self.nat.new_style

    def src(self, i: int) -> Source:
        return self.lines.source(i)

    def unrecognized(self, i: int | Source, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        self.lines.unrecognized(i if isinstance(i, Source) else self.src(i), why, impact, scope)


def scan(st: Asa) -> None:
    """Walk the top-level commands and their indented blocks."""
    raw = st.raw
    n = len(raw)
    i = 0
    while i < n:
        line = raw[i]
        if not line.strip():
            i += 1
            continue
        if line[0] in " \t":
            st.unrecognized(i, "indented line outside any block")
            i += 1
            continue
        j = i + 1
        while j < n and raw[j][:1] in (" ", "\t") and raw[j].strip():
            j += 1
        if line.startswith("access-list "):  # most lines of a large config
            acl.access_list(st, line.split(None, 5), i)  # (its words are split again when built)
            if j > i + 1:
                for k in range(i + 1, j):
                    st.unrecognized(k, "indented line under an access-list entry")
        else:
            top(st, i, j)
        i = j


def top(st: Asa, i: int, j: int) -> None:
    """One top-level command and its block (lines ``i`` to ``j``, exclusive)."""
    line = st.raw[i]
    toks = line.split()
    word = toks[0].lower().split(":")[0] or ":"
    handler = HANDLERS.get(word)
    if handler is not None:
        handler(st, toks, i, j)
    elif line.startswith(":") or line.startswith("!"):
        st.lines.ignore(i, "comment", j)
    elif word == "no":
        negated(st, toks, i, j)
    elif word in IGNORED_COMMANDS:
        st.lines.ignore(i, IGNORED_COMMANDS[word], j)
    else:
        st.unrecognized(i, "unknown command '%s'" % toks[0])
        for k in range(i + 1, j):
            st.unrecognized(k, "inside an unknown block")


def negated(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``no X``: a default turned off.  Known harmless only when X itself is."""
    rest = toks[1].lower() if len(toks) > 1 else ""
    if [t.lower() for t in toks[1:]] == ["sysopt", "connection", "permit-vpn"]:
        st.tunnels.bypass = False  # (the access lists apply to decrypted traffic: vpn)
        st.lines.use(i, j)
    elif rest in IGNORED_COMMANDS:
        st.lines.ignore(i, IGNORED_COMMANDS[rest], j)
    elif rest == "names":
        st.lines.ignore(i, "'name' commands switched off (names are still defined)", j)
    elif rest == "same-security-traffic" and toks[2:] in (["permit", "inter-interface"], ["permit", "intra-interface"]):
        # the default ('show running-config all' prints it), or the permit above it withdrawn
        if toks[3] == "inter-interface":
            st.same_inter = None
        else:
            st.same_intra = None
        st.lines.use(i, j)
    elif toks[1:] == ["firewall", "transparent"]:
        st.lines.ignore(i, "routed mode (the default, which the model is)", j)
    elif toks[1:] == ["nat-control"]:
        st.lines.ignore(i, "NAT control off (the default): traffic without a NAT rule passes", j)
    else:
        st.unrecognized(i, "'no %s' is not supported" % rest)


def version(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``ASA Version X.Y(Z)``: before 8.3, NAT and access lists follow the older rules."""
    m = VERSION_LINE.match(st.raw[i])
    if m is None:
        st.unrecognized(i, "bad version line")
        return
    st.version = (int(m.group(1)), int(m.group(2)))
    st.version_src = st.src(i)
    st.lines.use(i, j)


def _ftd(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``NGFW Version X``: the LINA running-config of a Firepower Threat Defense, not an ASA's.

    Its access control policy is deployed partly here (``access-list CSM_FW_ACL_ advanced ...``,
    ``access-group CSM_FW_ACL_ global``) and partly as Snort rules that are not in this text: a rule
    with application, URL or user conditions is a LINA ``permit`` whatever its action, and Snort
    blocks or allows it (Cisco, "Clarify the Firepower Threat Defense Access Control Policy Rule
    Actions", document 212321).  Read as an ASA's, it would be decided by rules it does not obey.
    """
    raise InputError("%s: line %d: %r is a Firepower Threat Defense running-config (its access control "
                     "policy is enforced by Snort rules that are not in it), not an ASA's; it is not supported"
                     % (st.path, i + 1, st.raw[i].strip()))


def _system(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``context NAME`` / ``admin-context NAME``: the system execution space of a multiple-context ASA.

    "The system configuration does not include any network interfaces or network settings for itself"; each
    context "acts as an independent device, with its own security policy, interfaces, and administrators"
    (Cisco ASA 5500 Series Configuration Guide using the CLI, 8.4, "Configuring Multiple Context Mode",
    "Context Configuration Files").  Audited as a device, it has no interface and no rule: every flow would be
    "not routed through the device".  Each context's own ``show running-config`` is the policy to audit.
    """
    contexts = [line.split()[1] for line in st.raw if line.startswith("context ") and len(line.split()) == 2]
    raise InputError("%s: line %d: %r: this is the system execution space of a multiple-context ASA, which holds no "
                     "security policy (its contexts%s do); audit each context's `show running-config` "
                     "(`changeto context NAME`, then `show running-config`)"
                     % (st.path, i + 1, st.raw[i].strip(), ": " + ", ".join(contexts) if contexts else ""))


def _dhcp(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``dhcp client route distance N`` / ``dhcp client route track N``: the administrative distance or
    the tracking of the default route an interface's ``ip address dhcp setroute`` learns, which decide
    whether it or a static default route carries the traffic (the model gives that route distance 1);
    not modelled, so reported.  Other ``dhcp`` commands are the DHCP client's and server's settings."""
    if [t.lower() for t in toks[1:3]] == ["client", "route"]:
        st.unrecognized(i, "the administrative distance or tracking of the default route learned by DHCP "
                        "('ip address dhcp setroute') is not modelled")
        for k in range(i + 1, j):
            st.unrecognized(k, "inside an unsupported 'dhcp client route' command")
    else:
        st.lines.ignore(i, IGNORED_COMMANDS["dhcp"], j)


def _names(st: Asa, toks: list[str], i: int, j: int) -> None:
    st.lines.ignore(i, "switches on 'name' commands", j)


def _aaa(st: Asa, toks: list[str], i: int, j: int) -> None:
    # cut-through proxy: through traffic must authenticate first ("aaa authentication match ...")
    if len(toks) > 2 and toks[1] in ("authentication", "authorization") and toks[2] in ("match", "include",
                                                                                          "exclude"):
        st.unrecognized(i, "cut-through proxy authentication of through traffic is not modelled")
        return
    st.lines.ignore(i, "AAA for management access and accounting", j)


def _ip(st: Asa, toks: list[str], i: int, j: int) -> None:
    if len(toks) > 1 and toks[1] == "audit":
        st.unrecognized(i, "IP audit (IPS signatures that can drop traffic) is not modelled")
        return
    st.lines.ignore(i, IGNORED_COMMANDS["ip"], j)


def _filter(st: Asa, toks: list[str], i: int, j: int) -> None:
    # Cisco ASA 8.4 configuration guide, "Configuring Filtering Services": ``filter java`` and
    # ``filter activex`` remove those objects from HTTP replies "instead of blocking access
    # altogether"; ``filter url|https|ftp`` hand the request to a Websense/SmartFilter server that can block it
    if len(toks) > 1 and toks[1].lower() in ("java", "activex"):
        st.lines.ignore(i, "removes Java applets / ActiveX objects from HTTP replies; the connection passes", j)
        return
    st.unrecognized(i, "URL/FTP filtering by an external server (which can block the request) is not modelled")


def _sysopt(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``sysopt noproxyarp IF``: the ASA stops answering ARP, on that interface, for the mapped addresses of
    its NAT rules (Cisco ASA 5500 Series Configuration Guide using the CLI, 8.4, "Routing Overview",
    "Disabling Proxy ARPs": "The ASA uses proxy ARP when you configure NAT and specify a mapped address
    that is on the same network as the ASA interface. The only way traffic can reach the hosts is if the
    ASA uses proxy ARP"), as a rule's own ``no-proxy-arp`` does (``nat``).  Other ``sysopt`` options are
    ignored."""
    if [t.lower() for t in toks[1:]] == ["connection", "permit-vpn"]:
        st.tunnels.bypass = True  # (the default: vpn)
        st.lines.use(i, j)
        return
    if len(toks) > 1 and toks[1].lower() == "noproxyarp":
        if len(toks) != 3:
            st.unrecognized(i, "bad 'sysopt noproxyarp' (one interface name expected)")
            return
        st.noproxyarp[toks[2]] = st.src(i)
        st.lines.use(i, j)
    else:
        st.lines.ignore(i, IGNORED_COMMANDS["sysopt"], j)


def _firewall(st: Asa, toks: list[str], i: int, j: int) -> None:
    st.unrecognized(i, "'%s' is not modelled (routed single-context mode is)" % " ".join(toks))


Handler = Callable[[Asa, list, int, int], None]
# routing processes that learn routes from neighbours (Cisco ASA, "Routing": OSPF, EIGRP, BGP, RIP, IS-IS)
_LEARNING = frozenset(("ospf", "eigrp", "bgp", "rip", "isis"))


def _router(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``router PROTO``: a dynamic routing process, whose routes are not in the configuration
    (``Config.learned_routes``); other ``router`` commands learn nothing."""
    if len(toks) > 1 and toks[1].lower() in _LEARNING:
        # (OSPFv2, EIGRP and RIP route IPv4 on the ASA; BGP and IS-IS have IPv4 and IPv6 address families)
        topology.routing_process(st, i, j, 0 if toks[1].lower() in ("bgp", "isis") else 4)
    else:
        st.lines.ignore(i, IGNORED_COMMANDS["router"], j)


HANDLERS: dict[str, Handler] = {
    "router": _router,
    "asa": version,
    "pix": version,
    "ngfw": _ftd,
    "context": _system,
    "admin-context": _system,
    "names": _names,
    "dhcp": _dhcp,
    "aaa": _aaa,
    "ip": _ip,
    "firewall": _firewall,
    "sysopt": _sysopt,
    "crypto": vpn.crypto,
    "webvpn": vpn.webvpn,
    "filter": _filter,
    "access-list": lambda st, toks, i, j: acl.access_list(st, toks, i),
    "clear": acl.clear,
    "object": objects.object_block,
    "object-group": objects.object_block,
    "name": topology.name,
    "interface": topology.interface_block,
    "route": topology.route,
    "ipv6": topology.ipv6,
    "access-group": topology.access_group,
    "same-security-traffic": topology.same_security,
    "timeout": mpf.timeout,
    "class-map": mpf.class_map,
    "policy-map": mpf.policy_map,
    "service-policy": mpf.service_policy,
    "time-range": acl.time_range,
    "nat": nat.nat_line,
    "static": nat.static_line,
    "global": nat.global_line,
    "nat-control": nat.nat_control,
}

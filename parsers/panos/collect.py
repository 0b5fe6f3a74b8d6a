"""Statements -> definitions: objects, zones, rules, interfaces, routes, settings.

The collector reads every statement of ``scan`` once, in order, and files it under the
definition it belongs to (an address object, a security rule, an interface...), keeping the
line of each setting.  Every statement's lines end used, ignored with a reason, or reported:

* a setting that builds the model is kept (its lines *used*);
* a setting known to have no effect on which packets pass (logging, tags, security
  profiles, management settings, routing-protocol tuning...) is *ignored* with its reason,
  kept as data in the tables below;
* anything else is CFG300, with the impact it could have: ``FILTER`` (the rule it is in
  becomes uncertain) or ``GLOBAL``.

Nothing is resolved here (objects may be defined after the rules that use them); ``build``
modules do that.  ``set`` semantics: a list setting adds members (``set ... source a`` then
``set ... source b`` is ``[a b]``), a single value replaces the previous one.
"""

from __future__ import annotations

from auditor.core.model import Impact
from parsers.kit.lines import IGNORED, USED
from parsers.panos.scan import DEFAULT_VSYS, DEVICE, OTHER, PANORAMA, PanLines, canon_set, split_words

VALUE = 1  # a setting whose value (a word or a list) builds the model
NESTED = 2  # a setting whose rest of the statement builds the model
SKIP = 3  # a setting with one value, ignored
REST = 4  # a setting whose rest of the statement is ignored


class Def:
    """A named definition: its anchor line and its settings as ``key -> [(value, line)]``."""

    __slots__ = ("name", "line", "attrs", "unknown", "kind")

    def __init__(self, name: str, line: int, kind: str = ""):
        self.name = name
        self.line = line
        self.attrs: dict[str, list] = {}
        self.unknown: list[tuple[str, int]] = []  # settings not understood: (key, line)
        self.kind = kind

    def add(self, key: str, value, line: int) -> None:
        v = self.attrs.get(key)
        if v is None:
            self.attrs[key] = [(value, line)]
        else:
            v.append((value, line))

    def last(self, key: str):
        """The last value set for ``key`` and its line, or ``(None, None)``."""
        v = self.attrs.get(key)
        return v[-1] if v else (None, None)

    def members(self, key: str) -> list[tuple[str, int]]:
        """Every member given for a list setting, with its line, in order (duplicates once)."""
        vs = self.attrs.get(key)
        if not vs:
            return []
        if len(vs) == 1:  # (the usual case: one statement)
            value, line = vs[0]
            if not isinstance(value, list):
                return [(value, line)]
            if len(value) == 1:
                return [(value[0], line)]
        out: list[tuple[str, int]] = []
        seen = set()
        for value, line in vs:
            for m in (value if isinstance(value, list) else (value,)):
                if m not in seen:
                    seen.add(m)
                    out.append((m, line))
        return out

    def lines(self) -> list[int]:
        """Every line holding one of its settings."""
        return sorted({ln for vs in self.attrs.values() for _v, ln in vs} | {ln for _k, ln in self.unknown})


class Space:
    """A namespace of objects and rules: a vsys, ``shared``, or the Panorama-pushed policy."""

    def __init__(self, name: str):
        self.name = name
        self.tables: dict[str, dict[str, Def]] = {k: {} for k in OBJECT_KINDS}
        self.zone: dict[str, Def] = {}
        self.security: dict[str, dict[str, Def]] = {"pre": {}, "local": {}, "post": {}}
        self.nat: dict[str, dict[str, Def]] = {"pre": {}, "local": {}, "post": {}}
        self.defaults: dict[str, Def] = {}
        self.imports: list[tuple[str, int]] = []
        self.reported_rulebases: list[tuple[str, int, int]] = []  # (rulebase, first, last) reported


# object tables of a namespace: the statement's first word -> its settings
ADDRESS = {"ip-netmask": VALUE, "ip-range": VALUE, "ip-wildcard": VALUE, "fqdn": VALUE,
           "description": SKIP, "tag": SKIP, "disable-override": SKIP}
ADDRESS_GROUP = {"static": VALUE, "dynamic": NESTED, "description": SKIP, "tag": SKIP, "disable-override": SKIP}
SERVICE = {"protocol": NESTED, "description": SKIP, "tag": SKIP, "disable-override": SKIP}
SERVICE_GROUP = {"members": VALUE, "tag": SKIP, "disable-override": SKIP}
APPLICATION = {"default": NESTED, "timeout": VALUE, "tcp-timeout": VALUE, "udp-timeout": VALUE,
               "tcp-half-closed-timeout": SKIP, "tcp-time-wait-timeout": SKIP,
               "category": SKIP, "subcategory": SKIP, "technology": SKIP, "risk": SKIP, "description": SKIP,
               "signature": REST, "parent-app": SKIP, "able-to-transfer-file": SKIP,
               "has-known-vulnerability": SKIP, "tunnel-other-application": SKIP, "tunnel-applications": SKIP,
               "prone-to-misuse": SKIP, "pervasive-use": SKIP, "evasive-behavior": SKIP,
               "consume-big-bandwidth": SKIP, "used-by-malware": SKIP, "file-type-ident": SKIP,
               "virus-ident": SKIP, "data-ident": SKIP, "no-appid-caching": SKIP, "alg-disable-capability": SKIP,
               "tag": SKIP, "disable-override": SKIP}
APPLICATION_GROUP = {"members": VALUE, "tag": SKIP, "disable-override": SKIP}
OBJECT_KINDS = {"address": ADDRESS, "address-group": ADDRESS_GROUP, "service": SERVICE,
                "service-group": SERVICE_GROUP, "application": APPLICATION,
                "application-group": APPLICATION_GROUP}
# object kinds whose definitions are kept by name only (a rule naming one is uncertain)
NAMED_ONLY = {"application-filter": "an application filter (the applications it selects are App-ID's)",
              "external-list": "an external dynamic list (its entries are fetched at run time)",
              "region": "a region (its addresses are Palo Alto's geolocation data)",
              "dynamic-user-group": "a dynamic user group",
              "schedule": "a schedule (the rule applies only at some times)"}

RULE = {"from": VALUE, "to": VALUE, "source": VALUE, "destination": VALUE, "source-user": VALUE,
        "source-hip": VALUE, "destination-hip": VALUE, "category": VALUE, "application": VALUE,
        "service": VALUE, "action": VALUE, "disabled": VALUE, "negate-source": VALUE,
        "negate-destination": VALUE, "rule-type": VALUE, "schedule": VALUE, "description": VALUE,
        "source-device": VALUE, "destination-device": VALUE, "hip-profiles": VALUE,
        "source-imei": VALUE, "source-imsi": VALUE, "source-nw-slice": VALUE,
        "tag": SKIP, "log-start": SKIP, "log-end": SKIP, "log-setting": SKIP, "uuid": SKIP, "group-tag": SKIP,
        "icmp-unreachable": SKIP, "audit-comment": SKIP, "disable-inspect": SKIP,
        "option": REST, "profile-setting": REST, "qos": REST, "target": REST}
NAT_RULE = {"from": VALUE, "to": VALUE, "to-interface": VALUE, "source": VALUE, "destination": VALUE,
            "service": VALUE, "source-translation": NESTED, "destination-translation": NESTED,
            "dynamic-destination-translation": NESTED, "disabled": VALUE, "nat-type": VALUE,
            "description": SKIP, "tag": SKIP, "uuid": SKIP, "group-tag": SKIP, "target": REST,
            "active-active-device-binding": VALUE}
DEFAULT_RULE = {"action": VALUE, "log-start": SKIP, "log-end": SKIP, "log-setting": SKIP, "tag": SKIP,
                "profile-setting": REST, "group-tag": SKIP, "description": SKIP}
ROUTE = {"destination": VALUE, "interface": VALUE, "nexthop": NESTED, "metric": VALUE, "admin-dist": VALUE,
         "route-table": VALUE, "bfd": REST, "path-monitor": REST}
_PROFILE_TYPES = frozenset(("virus", "spyware", "vulnerability", "url-filtering", "file-blocking",
                            "wildfire-analysis", "data-filtering"))


def _rest_span(key: str, words: list, k: int) -> int | None:
    """How many words after the setting ``words[k]`` (a rule's ``profile-setting``, ``option`` or ``qos``)
    are its own, when their shape says so: other settings may follow them on one ``set`` command
    ('... profile-setting group default disabled yes').  None: not known (the rest of the command is its)."""
    n = len(words)
    nxt = words[k + 1] if k + 1 < n else None
    if key == "option":
        return 2 if nxt in ("disable-server-response-inspection",) else None
    if key == "profile-setting":
        if nxt == "group":
            return 2
        if nxt == "profiles":
            j = k + 2
            while j + 1 < n and isinstance(words[j], str) and words[j] in _PROFILE_TYPES:
                j += 2
            return j - k - 1
        return None
    if key == "qos" and nxt == "marking" and k + 2 < n:
        return 2 if words[k + 2] == "follow-c2s-flow" else 3
    return None


def setting_spans(words: list, k: int, schema: dict) -> list[tuple[int, int]] | None:
    """Where each setting of ``words[k:]`` (several settings of a rule on one ``set`` command) starts and ends,
    as ``Collector.settings_of`` reads them; None where a word is not one of ``schema``'s settings."""
    out = []
    n = len(words)
    while k < n:
        key = words[k]
        kind = schema.get(key) if isinstance(key, str) else None
        if kind is None:
            return None
        end = n
        if kind in (VALUE, SKIP):
            end = min(k + 2, n)
        elif kind == NESTED and schema is NAT_RULE:
            end = k + 2
            while end < n and not (isinstance(words[end], str) and words[end] in NAT_RULE):
                end += 1
        elif kind == REST:
            span = _rest_span(key, words, k)
            if span is not None and k + 1 + span < n:
                end = k + 1 + span
        out.append((k, end))
        k = end
    return out


_RULEBASE_KINDS = {"security": (RULE, "security rule '%s'"), "nat": (NAT_RULE, "NAT rule '%s'"),
                   "default-security-rules": (DEFAULT_RULE, "default rule '%s'")}
WHY = {
    "description": "a description", "tag": "tags", "disable-override": "a Panorama override setting",
    "log-start": "logging", "log-end": "logging", "log-setting": "logging", "uuid": "the rule's UUID",
    "group-tag": "tags", "icmp-unreachable": "what a drop sends back", "audit-comment": "an audit comment",
    "disable-inspect": "inspection", "option": "rule options (inspection of permitted traffic)",
    "profile-setting": "security profiles (they inspect traffic the rule permits)", "qos": "QoS marking",
    "target": "Panorama's target devices (this config is one of them)", "metric": "route metric",
    "admin-dist": "route preference", "route-table": "the route's table (unicast/multicast)",
    "bfd": "BFD", "path-monitor": "path monitoring (may withdraw the route when its monitors fail)",
    "signature": "the application's signatures (how App-ID recognises it)",
}

# vsys-level sections with no effect on which packets pass -> why
VSYS_IGNORED = {
    "tag": "tags", "profiles": "security profiles (they inspect traffic rules permit)",
    "profile-group": "security profile groups", "log-settings": "log forwarding",
    "threats": "custom threat signatures", "display-name": "the vsys's display name",
    "setting": "vsys settings", "certificate": "certificates", "certificate-profile": "certificate profiles",
    "ssl-tls-service-profile": "TLS service profiles", "ssl-decrypt": "decryption settings",
    "response-page": "response pages", "authentication-profile": "authentication profiles",
    "authentication-sequence": "authentication sequences (the profiles a login is checked against)",
    "server-profile": "server profiles", "user-id-collector": "User-ID settings",
    "user-id-agent": "User-ID agents", "ts-agent": "terminal server agents",
    "captive-portal": "authentication portal settings", "global-protect": "GlobalProtect settings",
    "reports": "reports", "report-group": "reports", "email-scheduler": "report schedules",
    "pdf-summary-report": "reports", "ocsp-responder": "OCSP settings", "local-user-database": "local users",
    "group-mapping": "User-ID group mapping", "redistribution-agent": "User-ID redistribution",
    "vm-info-source": "VM information sources", "botnet": "botnet reports", "application-status":
    "application enable/disable state (App-ID)", "application-tag": "application tags",
    "content-preview": "content updates", "admin-role": "administrator roles", "alg-override":
    "application-level gateway settings", "device-object": "device objects (IoT)",
    "scep": "SCEP profiles", "dynamic-user-group-settings": "dynamic user group settings",
    "authentication-object": "authentication objects", "sdwan-interface-profile": "SD-WAN profiles",
    "url-admin-override": "URL filtering overrides", "url-content-types": "URL filtering",
    "override": "application overrides of App-ID settings", "mfa-server": "MFA servers",
    "packet-broker": "packet broker settings", "ssh-service-profile": "SSH service profiles",
    "local-user-database-user": "local users", "visible-vsys": "visible vsys", "route": "vsys route settings",
    "domain-resolution": "domain resolution settings",
}
# rulebases other than security and NAT -> (why, impact): None = ignored with the reason
RULEBASES = {
    "decryption": None, "qos": None, "tunnel-inspect": None, "network-packet-broker": None, "sdwan": None,
    # (not worded 'authentication policy': the secret redaction reads 'authentication X' as a key X)
    "authentication": ("a rule that makes matching users authenticate first (Policies > Authentication)",
                       Impact.GLOBAL),
    # (PAN-OS 7.1 "Policies > Captive Portal": the rulebase 8.0 renamed Authentication)
    "captive-portal": ("a rule that makes matching users authenticate first (Policies > Captive Portal)",
                       Impact.GLOBAL),
    "pbf": ("policy-based forwarding (chooses the egress, and so the destination zone)", Impact.GLOBAL),
    # ("Policies > Application Override": a rule identifies traffic as a custom application "according to zone,
    # source and destination address, port, and protocol", instead of App-ID): it decides only which application a
    # session is. A security rule naming applications matches App-ID's sessions only maybe already (``objects``),
    # one of application 'any' matches whatever the application: no security verdict changes. The sessions'
    # timer is the application's ("Configure Session Timeouts"): the timeouts are not known
    "application-override": ("application override (changes which application traffic is, and so its session "
                             "timeout)", (Impact.FILTER, "timeouts")),
    "dos": ("DoS protection policy (can deny matching traffic)", Impact.GLOBAL),
}
RULEBASE_WHY = {"decryption": "decryption policy", "qos": "QoS policy", "tunnel-inspect": "tunnel inspection",
                "network-packet-broker": "packet broker policy", "sdwan": "SD-WAN path selection"}

DEVICE_NETWORK_IGNORED = {
    "profiles": "network profiles (management, monitoring; zone protection is read)", "ike": "IKE settings",
    "tunnel": "IPsec/GlobalProtect tunnels", "qos": "QoS", "dhcp": "DHCP server/relay",
    "dns-proxy": "DNS proxy", "lldp": "LLDP", "bfd": "BFD", "netflow": "NetFlow",
    "vlan": "layer-2 VLAN bridging (zones of layer2 interfaces are reported)",
    "virtual-wire": "virtual wires (zones of virtual-wire interfaces are reported)",
    "gre": "GRE tunnels", "routing-profile": "routing profiles", "sdwan": "SD-WAN",
    "lacp": "LACP", "ipsec": "IPsec", "global-protect": "GlobalProtect", "dhcp6": "DHCPv6",
}
INTERFACE_IGNORED_KEYS = {
    "interface-management-profile": "management access to the firewall itself", "mtu": "MTU",
    "lldp": "LLDP", "ndp-proxy": "NDP proxy", "adjust-tcp-mss": "TCP MSS", "netflow-profile": "NetFlow",
    "arp": "static ARP", "untagged-sub-interface": "untagged subinterface", "decrypt-forward": "decryption",
    "sdwan-link-settings": "SD-WAN", "bonjour": "Bonjour", "ddns-config": "dynamic DNS", "tag": "VLAN tag",
    "comment": "a comment", "link-speed": "link settings", "link-duplex": "link settings",
    "link-state": "link settings", "lacp": "LACP", "poe": "PoE", "ipv6": "IPv6 settings",
    "cluster-interconnect": "cluster settings", "policing": "policing", "traffic-interconnect": "interconnect",
    "dhcp-server": "DHCP", "ip-classifier": "classification", "lldp-profile": "LLDP",
}


# a zone's modes (its interfaces follow)
_ZONE_MODES = frozenset(("layer3", "layer2", "virtual-wire", "tap", "tunnel", "external"))
# a zone's settings of one value each, its own and its 'network' section's (PAN-OS's zone schema, Palo Alto
# Networks pan-os-codegen specs/network/zone.yaml: the entry holds device-acl, enable-device-identification,
# enable-user-identification, network, user-acl; network holds enable-packet-buffer-protection, log-setting,
# net-inspection, zone-protection-profile and the mode with its interfaces)
_ZONE_ONE_VALUE = frozenset(("enable-user-identification", "enable-device-identification"))
_ZONE_NETWORK_ONE_VALUE = frozenset(("zone-protection-profile", "log-setting", "enable-packet-buffer-protection",
                                     "net-inspection"))


# Zone Protection profiles ('network profiles zone-protection-profile P ...', Network > Network Profiles > Zone
# Protection: "Apply a Zone Protection profile to each zone to defend it based on the aggregate traffic entering the
# ingress zone", "Zone Protection Profiles", PAN-OS administrator's guide): the settings that drop only packets the
# model has no field for, or none of the audited ones -> why (``Network.protection`` reads the others)
ZPP_IGNORED = {
    "description": "a description",
    # ("IP Drop": the audited packets enter by the interface the route to their source leaves through)
    "discard-ip-spoof": "drops packets whose source is not routed back through their ingress interface (the audited "
                        "packets enter where their source is routed)",
    "strict-ip-check": "drops packets from a broadcast or the firewall's own address",
    "discard-ip-frag": "drops IP fragments (the audited packets are whole)",
    "discard-strict-source-routing": "drops packets with IP options", "discard-loose-source-routing":
    "drops packets with IP options", "discard-timestamp": "drops packets with IP options", "discard-record-route":
    "drops packets with IP options", "discard-security": "drops packets with IP options", "discard-stream-id":
    "drops packets with IP options", "discard-unknown-option": "drops packets with IP options",
    "discard-malformed-option": "drops packets with IP options",
    # ("TCP Drop": packets a session opened by the three-way handshake does not send)
    "discard-overlapping-tcp-segment-mismatch": "drops overlapping TCP segments of different data",
    "discard-tcp-split-handshake": "drops sessions not opened by the three-way handshake",
    "discard-tcp-syn-with-data": "drops a SYN carrying data (TCP Fast Open)",
    "discard-tcp-synack-with-data": "drops a SYN-ACK carrying data",
    "tcp-reject-non-syn": "drops a session's first packet when it is not a SYN",
    "asymmetric-path": "drops packets outside the session's sequence window (asymmetric paths)",
    "remove-tcp-timestamp": "strips a TCP option (the packet passes)", "strip-tcp-fast-open-and-data":
    "strips a TCP option (the packet passes)", "strip-mptcp-option": "strips a TCP option (the packet passes)",
    "suppress-icmp-timeexceeded": "ICMP errors the firewall itself sends", "suppress-icmp-needfrag":
    "ICMP errors the firewall itself sends",
    "ipv6": "drops IPv6 packets with extension headers, reserved fields, anycast or IPv4-compatible sources, and "
            "ICMPv6 errors of no session",
    "non-ip-protocol": "non-IP frames (Protocol Protection: IPv4, IPv6, ARP and VLAN-tagged frames always pass)",
    "net-inspection": "an empty rule list",
}
# the flood protections ("Flood Protection": SYN, UDP, ICMP, ICMPv6, Other IP): each drops new sessions of its
# protocols above its rates (RED, SYN cookies), which the configuration does not say
ZPP_FLOOD = ("tcp-syn", "udp", "icmp", "icmpv6", "other-ip")
# the ICMP drops ("ICMP Drop": ping ID 0, fragments, large packets, error messages): ICMP packets of those kinds
ZPP_ICMP = frozenset(("discard-icmp-ping-zero-id", "discard-icmp-frag", "discard-icmp-large-packet",
                      "discard-icmp-error"))

# the sections of a Panorama's own configuration (Palo Alto Networks, Panorama administrator's guide:
# device groups hold the policies and objects, templates and template stacks the network and device
# settings, that Panorama pushes to the firewalls it manages; Log Collector groups)
PANORAMA_SECTIONS = frozenset(("device-group", "template", "template-stack", "log-collector", "log-collector-group"))
# the sections of a cloud-managed Prisma Access configuration (Strata Cloud Manager): its configuration folders
# ('All', 'Prisma Access', 'Mobile Users Container', ...: "The configurations defined under a folder is inherited by all
# folders nested under that folder hierarchy", Palo Alto Networks, Prisma Access (Cloud Management) administrator's
# guide, "Configuration Folders"), its snippets ("a configuration object, or grouping of configuration objects, that you
# can associate with a folder, deployment, or device": Strata Cloud Manager, "Snippets"), and its deployments
# ('device cloud': Service Connections, Remote Networks, Mobile Users), applied by Palo Alto Networks' cloud
CLOUD_SECTIONS = frozenset(("container", "snippet"))
# the firewall's Panorama servers ('deviceconfig system [panorama local-panorama] panorama-server[-2] ADDRESS')
_PANORAMA_SERVER = frozenset(("panorama-server", "panorama-server-2"))


def inert_path(scope: str, path: list) -> str | None:
    """Why nothing at or under ``path`` (a ``set`` command's path, scope-relative) can decide traffic, when
    the collector ignores every setting there (then deleting it changes nothing the model reads); None
    when some can."""
    n = len(path)
    top = path[0] if n else ""
    if scope == DEVICE:
        if top in ("mgt-config", "platform", "readonly"):
            return "administrator accounts and management settings"
        if path[:2] == ["deviceconfig", "high-availability"] and (n == 2 or path[2] == "group"):
            return None  # (the HA mode: active/active makes unbound NAT rules uncertain)
        if top == "deviceconfig" and n > 1 and path[1] != "setting" or path[:2] == ["deviceconfig", "setting"] \
                and n > 2 and path[2] != "session":
            return "device management and system settings"
        if path[:3] == ["deviceconfig", "setting", "session"] and n > 3 and path[3] != "timeout-tcp":
            return "session settings other than the TCP idle timeout"
        if path[:2] == ["network", "profiles"] and (n == 2 or path[2] == "zone-protection-profile"):
            return None  # (Zone Protection profiles may drop what enters their zones: ``Network.protection``)
        if top == "network" and n > 1 and path[1] in DEVICE_NETWORK_IGNORED:
            return DEVICE_NETWORK_IGNORED[path[1]]
        return None
    if scope in (OTHER, PANORAMA):
        return None
    if top in VSYS_IGNORED:
        return VSYS_IGNORED[top]
    if top == "rulebase" and n > 1 and path[1] in RULEBASES and RULEBASES[path[1]] is None:
        return RULEBASE_WHY.get(path[1], "%s policy" % path[1])
    return None


class Collector:
    """Files every statement under its definition, accounting for its lines."""

    def __init__(self, lines: PanLines):
        self.lines = lines
        self.spaces: dict[str, Space] = {}
        self.interfaces: dict[str, Def] = {}
        self.vrs: dict[str, Def] = {}  # virtual routers and logical-router VRFs
        self.zone_protection: dict[str, Def] = {}  # Zone Protection profiles (``zone_protection``)
        self.routes: list[tuple[str, Def]] = []  # (vr, route)
        self.dynamic_routing: list[tuple[str, str, int]] = []  # (vr, protocol, line of 'enable yes')
        self.settings: dict[str, tuple[str, int]] = {}  # deviceconfig setting session KEY -> (value, line)
        # a predefined application's changed timers ('override application A tcp-timeout N'): A -> KEY -> (value, line)
        self.app_timers: dict[str, dict[str, tuple[object, int]]] = {}
        self.ha_mode: tuple[str, int] | None = None  # deviceconfig high-availability group ... mode MODE, its line
        self.ha_addresses: list[tuple[str, int]] = []  # active/active virtual addresses (floating, ARP load-sharing)
        self.vsys_order: list[str] = []
        # rules of the PBF, DoS, authentication and application override rulebases: (space, rulebase, kind, name)
        # -> their statements (words, first, last), reported or ignored once all are read (``other_rules``)
        self._other_rules: dict[tuple, list[tuple[list, int, int]]] = {}
        self._routes: dict = {}
        self._local_rules: dict | None = None
        self.panorama: list[int] = []  # lines of a Panorama's own sections (device groups, templates)
        self.cloud: list[int] = []  # lines of a cloud-managed Prisma Access configuration's folders and snippets
        self.managed: list[tuple[int, int]] = []  # the Panorama servers that manage the firewall: (first, last) lines

    def space(self, name: str) -> Space:
        s = self.spaces.get(name)
        if s is None:
            s = self.spaces[name] = Space(name)
            if not name.startswith("@"):
                self.vsys_order.append(name)
        return s

    def pushed_homes(self, d: Def) -> list[str] | None:
        """The virtual systems a rule Panorama pushed may be for, on a firewall of several: those whose zones
        hold every zone it names (other than ``any``).  A device group may hold one virtual system of a
        firewall ("Device groups can include physical firewalls, virtual firewalls, and virtual systems",
        Panorama web interface help), and the pushed policy written here does not say which.  ``None`` on a
        firewall of one virtual system: the rule is its."""
        if len(self.vsys_order) < 2:
            return None
        names = {z for k in ("from", "to") for z, _l in d.members(k) if isinstance(z, str) and z != "any"}
        return [v for v in self.vsys_order if names <= self.spaces[v].zone.keys()]

    # --- accounting ----------------------------------------------------------------------------
    def report(self, first: int, last: int, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        self.lines.report_span(first, last, why, impact, scope)

    def ignore(self, first: int, last: int, why: str) -> None:
        self.lines.ignore_span(first, last, why)

    def use(self, first: int, last: int) -> None:
        self.lines.use_span(first, last)

    def settings_of(self, d: Def, words: list, k: int, schema: dict, first: int, last: int, what: str,
                    impact: Impact = Impact.FILTER) -> None:
        """File ``words[k:]`` as settings of ``d`` (several in one ``set`` command, one
        otherwise), accounting for the statement's lines."""
        n = len(words)
        used = False
        why = None
        while k < n:
            key = words[k]
            kind = schema.get(key) if isinstance(key, str) else None
            if kind is None:
                d.unknown.append((str(key), first))
                self.report(first, last, "%s: unknown setting '%s'" % (what, key), impact, what)
                return
            if kind == VALUE:
                d.add(key, words[k + 1] if k + 1 < n else [], first)
                used = True
                k += 2
            elif kind == NESTED:
                if key == "nexthop" and k + 1 < n and isinstance(words[k + 1], str):
                    # a static route's next hop is one word ('discard') or a kind and its value; settings
                    # may follow it on one command ('... nexthop ip-address 10.0.0.1 metric 20')
                    m = 2 if words[k + 1] in ("ip-address", "ipv6-address", "next-vr", "fqdn", "next-lr") else 1
                    if k + 1 + m < n:
                        d.add(key, words[k + 1:k + 1 + m], first)
                        used = True
                        k += 1 + m
                        continue
                elif schema is NAT_RULE:
                    # a translation's options end where another setting of the rule starts on the command
                    # ('... source-translation dynamic-ip-and-port interface-address interface e1/3 disabled yes')
                    j = k + 2
                    while j < n and not (isinstance(words[j], str) and words[j] in NAT_RULE):
                        j += 1
                    if j < n:
                        d.add(key, words[k + 1:j], first)
                        used = True
                        k = j
                        continue
                d.add(key, words[k + 1:], first)
                used = True
                break
            else:
                why = WHY.get(key, key)
                if kind == REST:
                    span = _rest_span(key, words, k)
                    if span is None or k + 1 + span >= n:
                        break
                    k += 1 + span  # (more settings follow it on the command: read them)
                    continue
                k += 2
        if used:
            self.use(first, last)
        elif why is not None:
            self.ignore(first, last, why)
        else:
            self.ignore(first, last, "an empty definition")

    # --- statements ----------------------------------------------------------------------------
    def feed(self, st) -> None:
        """File one statement ``(scope, words, first, last, anchors)``."""
        scope, words, first, last, anchors = st
        if not words:
            self.ignore(first, last, "an empty section")
            return
        if any(type(w) is list and (k < 2 or not w) for k, w in enumerate(words)):
            # a '[ ... ]' list where a section's or object's name belongs, or an empty one: brackets out of
            # place (a stray ']' in a pasted tree); PAN-OS writes neither. A statement a stray ']' closes
            # has no first line of its own: it is reported at the bracket's, its last anchor.
            at = first if first >= 0 else anchors[-1] if anchors else last
            self.report(at, max(at, last), "a '[ ]' list where a name or a member belongs (unbalanced brackets)")
            return
        if scope == DEVICE:
            self.device(words, first, last, anchors)
        elif scope == OTHER:
            self.other(words, first, last)
        else:
            self.vsys(self.space(scope), words, first, last, anchors)

    def other(self, words: list, first: int, last: int) -> None:
        top = words[0] if isinstance(words[0], str) else "?"
        if top in PANORAMA_SECTIONS or words[:2] == ["config", "panorama"]:
            self.panorama_section(top, first, last)
        elif top == "delete" and len(words) > 1 and all(isinstance(w, str) for w in words):
            # a 'delete PATH' command of a loadable set script removes PATH and all under it (PAN-OS XML API,
            # "Delete Configuration": action=delete removes the object at the xpath). Only a PATH within a
            # part of the configuration no set command of which builds the model is known to change nothing.
            why = inert_path(*canon_set(words[1:]))
            if why is None:
                self.report(first, last, "a 'delete' of a setting that can decide traffic ('%s') is not modelled"
                            % " ".join(words[:4]))
            else:
                self.ignore(first, last, "deletes %s" % why)
        else:
            self.report(first, last, "not a PAN-OS firewall setting ('%s')" % " ".join(map(str, words[:3])))

    def other_rules(self) -> None:
        """Report each rule of the PBF, DoS, authentication and application override rulebases at its first
        statement (its others continue it), once all are read: a rule written ``disabled yes`` is not evaluated
        (as a disabled security or NAT rule), a PBF rule of action ``no-pbf`` alters nothing ("Policy Based
        Forwarding Forwarding Tab": "No PBF—Do not alter the path that the packet will take ... Matching packets
        use the route table instead of PBF"), nor does a DoS rule of action ``allow``: those are ignored."""
        for (_sp, _base, kind, _name), stmts in self._other_rules.items():
            settings: dict = {}
            for words, _first, _last in stmts:  # (one setting a statement, or several on one 'set' command)
                for k in range(4, len(words) - 1):
                    if words[k] in ("disabled", "action") and isinstance(words[k + 1], str):
                        settings[words[k]] = words[k + 1]
            if settings.get("disabled") == "yes":
                why = "a disabled %s rule (not evaluated)" % kind
            elif kind == "pbf" and settings.get("action") == "no-pbf":
                why = "a policy-based forwarding rule of action no-pbf (its packets are routed as usual)"
            elif kind == "dos" and settings.get("action") == "allow":
                # ("DoS Protection Policy Rules": "Allow—The firewall permits access and doesn't apply a DoS
                # protection profile"; the security rules still decide)
                why = "a DoS protection rule of action allow (no DoS protection applies; the security rules decide)"
            else:
                why = ""
            for i, (_words, first, last) in enumerate(stmts):
                if why:
                    self.ignore(first, last, why)
                elif i:
                    self.ignore(first, last, "continues a %s rule reported at its first line" % kind)
                else:
                    text, impact = RULEBASES[kind]
                    impact, scope = impact if isinstance(impact, tuple) else (impact, "")
                    self.report(first, last, text, impact, scope)

    def managed_by_panorama(self) -> None:
        """Account for the Panorama servers the firewall names (``deviceconfig system panorama-server``,
        from PAN-OS 9.1 ``deviceconfig system panorama local-panorama panorama-server``), once every
        statement is read.  A firewall Panorama manages evaluates the pre-rules Panorama pushes to it before
        its own rules and the post-rules after them ("Pre Rules are added to the top of the rule order and are
        evaluated first, and Post Rules are added after any locally defined rules on the firewall", "Work with
        Policy Rules on Panorama (REST API)"), and neither is in its own running configuration (``show config
        running``; ``show config pushed-shared-policy`` shows them).
        Where the input holds no Panorama-pushed policy (``policy panorama``), what those rules decide is not
        known: the server's first line is reported, and any verdict is unknown."""
        if not self.managed:
            return
        if PANORAMA in self.spaces:  # (the pushed policy is in the input: read with the firewall's own)
            for first, last in self.managed:
                self.ignore(first, last, "the Panorama server managing the firewall (its pushed policy is read)")
            return
        (first, last), rest = self.managed[0], self.managed[1:]
        self.report(first, last, "the firewall is managed by Panorama: the pre-rules it pushes (evaluated before "
                                 "the firewall's own rules) and post-rules (after them) are not in this "
                                 "configuration ('show config pushed-shared-policy' shows them), so any verdict "
                                 "they could change is unknown")
        for first, last in rest:
            self.ignore(first, last, "another Panorama server (the first one's line is reported)")

    def panorama_section(self, top: str, first: int, last: int, at: int | None = None) -> None:
        """A section only a Panorama's configuration has (device groups, templates; ``at``: the line that
        opens it): what it pushes to the firewalls it manages, not what any of them applies as written."""
        self.panorama.append(first if at is None else at)
        self.report(first, last, "Panorama management configuration ('%s'): audit each firewall's own "
                                 "running configuration" % top)

    def vsys(self, sp: Space, words: list, first: int, last: int, anchors) -> None:
        top = words[0]
        n = len(words)
        if not isinstance(top, str):
            self.report(first, last, "a list where a setting was expected")
            return
        schema = OBJECT_KINDS.get(top)
        if schema is not None:
            if n < 2 or not isinstance(words[1], str):
                self.ignore(first, last, "an empty section")
                return
            name = words[1]
            if not name.strip():
                # PAN-OS, "Addresses Fields": an object's name is up to 63 characters, case-sensitive,
                # unique, of letters, numbers, spaces, hyphens and underscores
                # (https://docs.paloaltonetworks.com/content/techdocs/en_US/network-security/security-policy/
                # administration/objects/addresses/address-objects-fields.html): an unnamed entry is no object
                # the device has, so it is reported and a rule naming '' finds nothing (aerleon's paloalto
                # generator writes one for every term with an exclude, all under the same empty name)
                self.report(first, last, "%s without a name (PAN-OS requires one)" % top, Impact.FILTER)
                return
            table = sp.tables[top]
            d = table.get(name)
            if d is None:
                d = table[name] = Def(name, anchors[1] if anchors else first, top)
            if n == 2:
                self.ignore(first, last, "an empty definition")
                return
            if top == "application-group" and isinstance(words[2], list):  # older form: members directly
                d.add("members", words[2], first)
                self.use(first, last)
                return
            self.settings_of(d, words, 2, schema, first, last, "%s %s" % (top, name))
            return
        if top in NAMED_ONLY:
            if n >= 2 and isinstance(words[1], str):
                sp.tables.setdefault(top, {}).setdefault(words[1], Def(words[1], first, top))
            self.ignore(first, last, "%s definitions (a rule using one is uncertain)" % top)
            return
        if top == "zone":
            self.zone(sp, words, first, last, anchors)
        elif top in ("rulebase", "pre-rulebase", "post-rulebase"):
            self.rulebase(sp, {"rulebase": "local", "pre-rulebase": "pre", "post-rulebase": "post"}[top],
                          words, first, last, anchors)
        elif top == "import":
            if n >= 4 and words[1:3] == ["network", "interface"]:
                vals = words[3] if isinstance(words[3], list) else [words[3]]
                sp.imports.extend((v, first) for v in vals)
                self.use(first, last)
            else:
                self.ignore(first, last, "vsys imports of other network objects")
        elif top == "override" and any(isinstance(w, str) and w in ("timeout", "tcp-timeout") for w in words):
            # a predefined application's TCP timer changed ("Configure Session Timeouts": "If you change the TCP
            # or UDP timers at the application level, these timers for predefined applications ... will be
            # implemented across all virtual systems"): it overrides timeout-tcp for the sessions App-ID names
            # that application, which the configuration cannot tell
            app = words[2] if len(words) > 2 and words[1] == "application" and isinstance(words[2], str) else "?"
            for k in range(3, len(words) - 1):
                if words[k] in ("timeout", "tcp-timeout"):
                    self.app_timers.setdefault(app, {})[words[k]] = (words[k + 1], first)
            self.report(first, last, "application %s's timeout is changed: it overrides timeout-tcp for the "
                        "sessions App-ID identifies as it, which the configuration does not say" % app,
                        Impact.FILTER, "timeouts")
        elif top in VSYS_IGNORED:
            self.ignore(first, last, VSYS_IGNORED[top])
        elif n == 1:
            self.ignore(first, last, "an empty section")
        else:
            self.report(first, last, "unknown section '%s'" % top)

    def zone(self, sp: Space, words: list, first: int, last: int, anchors) -> None:
        if len(words) < 2 or not isinstance(words[1], str):
            self.ignore(first, last, "an empty section")
            return
        name = words[1]
        d = sp.zone.get(name)
        if d is None:
            d = sp.zone[name] = Def(name, anchors[1] if anchors else first, "zone")
        # one command may set several settings ('... network zone-protection-profile P layer3 ae2.100'): the
        # interfaces are read after the zone's one-value settings, then its network section's
        k, network, protected = 2, False, False
        while k < len(words) and isinstance(words[k], str):
            if words[k] == "network" and not network:
                k, network = k + 1, True
            elif words[k] in (_ZONE_NETWORK_ONE_VALUE if network else _ZONE_ONE_VALUE):
                if network and words[k] == "zone-protection-profile" and k + 1 < len(words):
                    d.add("protection", words[k + 1], first)  # (``Network.protection``)
                    protected = True
                k += 2
            else:
                break
        at = words[k] if k < len(words) else None
        if isinstance(at, str) and at in _ZONE_MODES and network:
            d.add("mode", words[k], first)
            if k + 1 < len(words):
                d.add("members", words[k + 1], first)
            self.use(first, last)
        elif any(isinstance(w, str) and w in _ZONE_MODES for w in words[k:]):
            self.report(first, last, "zone %s: its interfaces follow a setting not understood (%s)" % (name, at))
        elif len(words) == 2:
            self.use(first, last)
        elif protected and k >= len(words):
            self.use(first, last)
        elif k >= len(words) or k == 2 and words[2] in ("user-acl", "device-acl"):
            self.ignore(first, last, "zone settings (User-ID, logging)")
        else:
            self.report(first, last, "unknown zone setting '%s'" % at)

    def rulebase(self, sp: Space, base: str, words: list, first: int, last: int, anchors) -> None:
        n = len(words)
        kind = words[1] if n > 1 and isinstance(words[1], str) else None
        if kind is None:
            self.ignore(first, last, "an empty section")
            return
        spec = _RULEBASE_KINDS.get(kind)
        if spec is not None:
            if n < 4 or words[2] != "rules" or not isinstance(words[3], str):
                self.ignore(first, last, "an empty rulebase")
                return
            name = words[3]
            table = sp.security[base] if kind == "security" else sp.nat[base] if kind == "nat" else sp.defaults
            d = table.get(name)
            if d is None:
                d = table[name] = Def(name, anchors[3] if anchors else first, kind)
                d.add("@base", base, first)
            if n == 4:
                self.use(first, last)
                return
            schema, label = spec
            if n == 6 and isinstance(words[4], str) and schema.get(words[4]) == VALUE:  # the usual statement
                d.add(words[4], words[5], first)
                self.use(first, last)
                return
            self.settings_of(d, words, 4, schema, first, last, label % name)
            return
        if kind in RULEBASES:
            spec = RULEBASES[kind]
            # (an empty '<rules/>', as 'show config running' writes for every policy type: only a rule acts)
            if spec is None or n < 3 or n == 3 and words[2] == "rules":
                self.ignore(first, last, RULEBASE_WHY.get(kind, "%s policy" % kind) if spec is None else
                            "an empty rulebase")
                return
            key = (sp.name, base, kind, words[3] if n > 3 and isinstance(words[3], str) else "")
            self._other_rules.setdefault(key, []).append((words, first, last))
            return
        self.report(first, last, "unknown rulebase '%s'" % kind)

    # --- the device: interfaces, routing, session settings ------------------------------------
    def device(self, words: list, first: int, last: int, anchors) -> None:
        top = words[0]
        n = len(words)
        if top == "deviceconfig":
            if n >= 5 and words[1:3] == ["setting", "session"] and words[3] == "timeout-tcp":
                self.settings["timeout-tcp"] = (words[4], first)
                self.use(first, last)
            elif n >= 3 and words[1:3] == ["setting", "session"]:
                self.ignore(first, last, "session settings other than the TCP idle timeout")
            elif n >= 5 and words[1:3] == ["high-availability", "group"] and "mode" in words[3:5] \
                    and words.index("mode") + 1 < n:
                # 'group mode M' (an 'entry' group, 'group ID mode M', is read alike)
                self.ha_mode = (str(words[words.index("mode") + 1]), first)
                # ('... active-active virtual-address IF ip A floating|arp-load-sharing ...': an address the
                # pair answers for, its own: "Floating IP Address and Virtual MAC Address", "ARP Load-Sharing")
                i = words.index("virtual-address") if "virtual-address" in words else n
                if i + 3 < n and words[i + 2] in ("ip", "ipv6") and isinstance(words[i + 3], str):
                    self.ha_addresses.append((words[i + 3], first))
                self.use(first, last)
            elif n >= 4 and words[1] == "system" and (words[2] in _PANORAMA_SERVER or (
                    words[2:4] == ["panorama", "local-panorama"] and n >= 5 and words[4] in _PANORAMA_SERVER)):
                self.managed.append((first, last))  # (accounted for by ``managed_by_panorama``)
            else:
                self.ignore(first, last, "device management and system settings")
        elif top in ("mgt-config", "platform", "readonly"):
            self.ignore(first, last, "administrator accounts and management settings")
        elif top == "network":
            if n < 2:
                self.ignore(first, last, "an empty section")
                return
            sect = words[1]  # (a name: ``feed`` reports a list here)
            if sect == "interface":
                self.interface(words, first, last, anchors)
            elif sect == "virtual-router":
                self.router(words, 2, first, last, anchors)
            elif sect == "logical-router":
                # logical-router LR vrf VRF ...: a VRF is a routing table of its own
                if n >= 6 and words[3] == "vrf" and isinstance(words[4], str):
                    rel = ["network", "logical-router", "%s/%s" % (words[2], words[4])] + words[5:]
                    anc = (anchors[:2] + [anchors[4]] + anchors[5:]) if anchors else None
                    self.router(rel, 2, first, last, anc)
                else:
                    self.ignore(first, last, "logical router settings")
            elif sect == "profiles" and n >= 4 and words[2] == "zone-protection-profile" and isinstance(words[3], str):
                self.zone_protection_setting(words[3], words[4:], first, last, anchors[3] if anchors else first)
            elif sect == "shared-gateway":
                self.report(first, last, "shared gateways (traffic between virtual systems) are not modelled")
            elif sect in DEVICE_NETWORK_IGNORED or n == 2:
                self.ignore(first, last, DEVICE_NETWORK_IGNORED.get(sect, "an empty section"))
            else:
                self.report(first, last, "unknown network section '%s'" % sect)
        elif n == 1:
            self.ignore(first, last, "an empty section")
        elif top in PANORAMA_SECTIONS:
            self.panorama_section(top, first, last, anchors[0] if anchors and anchors[0] is not None else first)
        elif top in CLOUD_SECTIONS or words[:2] == ["device", "cloud"]:
            self.cloud.append(anchors[0] if anchors and anchors[0] is not None else first)
            self.report(first, last, "Prisma Access cloud-managed configuration ('%s'): applied by Palo Alto "
                                     "Networks' cloud, not by a firewall" % top)
        else:
            self.report(first, last, "unknown device section '%s'" % top)

    def zone_protection_setting(self, name: str, rest: list, first: int, last: int, anchor: int) -> None:
        """A setting of Zone Protection profile ``name`` (``rest``: after its name), filed as what it may drop
        (``Network.protection``): ``flood:P`` a flood protection's ``enable`` value ("" when the statement does not
        say), ``scan`` a reconnaissance protection's action, ``icmp`` an ICMP drop, ``all`` a setting that may drop
        any packet (Security Group Tag protection, packet inspection rules); one not understood is reported (the
        profile may then drop any packet)."""
        d = self.zone_protection.get(name)
        if d is None:
            d = self.zone_protection[name] = Def(name, anchor, "zone-protection-profile")
        key = rest[0] if rest and isinstance(rest[0], str) else None
        words = [w for w in rest if isinstance(w, str)]
        if key is None:
            self.ignore(first, last, "an empty definition")
        elif key == "flood" and len(rest) > 1 and rest[1] in ZPP_FLOOD:
            k = words.index("enable") if "enable" in words else -1
            d.add("flood:%s" % rest[1], words[k + 1] if 0 <= k < len(words) - 1 else "", first)
            self.use(first, last)
        elif key == "flood" and len(rest) == 1:
            self.ignore(first, last, "an empty section")
        elif key == "scan" and len(rest) > 2:
            if "action" in words and words.index("action") + 1 < len(words):
                d.add("scan", words[words.index("action") + 1], first)
                self.use(first, last)
            else:
                self.ignore(first, last, "a reconnaissance protection's interval or threshold")
        elif key in ZPP_ICMP:
            d.add("icmp", (key, words[1] if len(words) > 1 else "yes"), first)
            self.use(first, last)
        elif key == "net-inspection" and len(rest) > 2 or key == "l2-sec-group-tag-protection" and len(rest) > 1:
            d.add("all", key, first)
            self.use(first, last)
        elif key in ZPP_IGNORED or key in ("scan", "l2-sec-group-tag-protection") or len(rest) == 1:
            self.ignore(first, last, "zone protection: %s" % ZPP_IGNORED.get(key, "an empty section"))
        else:
            d.unknown.append((key, first))
            self.report(first, last, "zone protection profile %s: unknown setting '%s' (the profile may drop any "
                        "packet entering its zones)" % (name, key), Impact.FILTER, "zone protection profile %s" % name)

    def interface(self, words: list, first: int, last: int, anchors) -> None:
        n = len(words)
        if n < 3:
            self.ignore(first, last, "an empty section")
            return
        kind = words[2]
        if kind in ("ethernet", "aggregate-ethernet"):
            if n < 4 or not isinstance(words[3], str):
                self.ignore(first, last, "an empty section")
                return
            name, k = words[3], 4
            anchor = anchors[3] if anchors else first
        elif kind in ("vlan", "loopback", "tunnel", "sdwan"):
            name, k = kind, 3
            anchor = anchors[2] if anchors else first
        else:
            self.report(first, last, "unknown interface type '%s'" % kind)
            return
        d = self.interfaces.get(name)
        if d is None:
            d = self.interfaces[name] = Def(name, anchor, "interface")
        if k >= n:
            self.use(first, last)
            return
        mode = words[k] if isinstance(words[k], str) else "?"  # (a list: brackets out of place)
        if kind in ("ethernet", "aggregate-ethernet"):
            if mode in ("layer3", "layer2", "virtual-wire", "tap", "ha", "decrypt-mirror", "log-card",
                        "aggregate-group"):
                if mode not in ("aggregate-group",) and "mode" not in d.attrs:
                    d.add("mode", mode, first)
                if mode == "aggregate-group":
                    self.ignore(first, last, "aggregate group membership (the aggregate interface is read)")
                    return
                k += 1
            elif mode in INTERFACE_IGNORED_KEYS:
                self.ignore(first, last, INTERFACE_IGNORED_KEYS[mode])
                return
            else:
                self.report(first, last, "unknown interface setting '%s'" % mode)
                return
        elif "mode" not in d.attrs:
            d.add("mode", "layer3", first)
        self.if_settings(d, words, k, first, last, anchors)

    def if_settings(self, d: Def, words: list, k: int, first: int, last: int, anchors) -> None:
        n = len(words)
        if k >= n:
            self.use(first, last)
            return
        key = words[k] if isinstance(words[k], str) else "?"  # (a list: brackets out of place)
        if key == "units" and k + 1 < n and isinstance(words[k + 1], str):
            sub = words[k + 1]
            u = self.interfaces.get(sub)
            if u is None:
                u = self.interfaces[sub] = Def(sub, anchors[k + 1] if anchors else first, "interface")
                u.add("mode", d.last("mode")[0] or "layer3", first)
                u.add("parent", d.name, first)
            self.if_settings(u, words, k + 2, first, last, anchors)
        elif key == "units" and k + 1 == n:
            self.ignore(first, last, "no subinterfaces (an empty 'units')")
        elif key == "ip":
            if k + 1 < n:
                d.add("ip", words[k + 1], first)
            self.use(first, last)
        elif key == "ipv6" and k + 2 < n and words[k + 1] == "address":
            d.add("ipv6", words[k + 2], first)
            self.use(first, last)
        elif key == "ipv6" and k + 1 < n and words[k + 1] in ("dhcp-client", "inherited"):
            # a DHCPv6 client, or addresses inherited from a delegated prefix (PAN-OS 11.0, "Configure a Layer 3
            # Interface as a DHCPv6 Client"; "Inherited" address type): its IPv6 addresses, networks and
            # default route are learned at run time, as 'dhcp-client' is for IPv4
            d.add("dynamic6", "DHCPv6" if words[k + 1] == "dhcp-client" else "an inherited IPv6 prefix", first)
            self.use(first, last)
        elif key in ("dhcp-client", "pppoe"):
            d.add("dynamic", key, first)
            if key == "pppoe" and k + 2 < n and words[k + 1] == "static-address":
                d.add("pppoe-static", words[k + 2], first)  # (the address the service provider assigned)
            self.use(first, last)
        elif key in INTERFACE_IGNORED_KEYS:
            self.ignore(first, last, INTERFACE_IGNORED_KEYS[key])
        else:
            self.report(first, last, "unknown interface setting '%s'" % key)

    def router(self, words: list, k: int, first: int, last: int, anchors) -> None:
        n = len(words)
        if n <= k or not isinstance(words[k], str):
            self.ignore(first, last, "an empty section")
            return
        name = words[k]
        vr = self.vrs.get(name)
        if vr is None:
            vr = self.vrs[name] = Def(name, anchors[k] if anchors else first, "virtual-router")
        k += 1
        if k >= n:
            self.use(first, last)
            return
        key = words[k]
        if key == "interface":
            if k + 1 < n:
                vr.add("interface", words[k + 1], first)
            self.use(first, last)
        elif key == "routing-table":
            if n > k + 3 and words[k + 1] in ("ip", "ipv6") and words[k + 2] == "static-route" \
                    and isinstance(words[k + 3], str):
                rname = words[k + 3]
                key2 = (name, words[k + 1], rname)
                r = self._routes.get(key2)
                if r is None:
                    r = self._routes[key2] = Def(rname, anchors[k + 3] if anchors else first, words[k + 1])
                    self.routes.append((name, r))
                if n == k + 4:
                    self.use(first, last)
                else:
                    self.settings_of(r, words, k + 4, ROUTE, first, last, "static route '%s'" % rname,
                                     Impact.GLOBAL)
            else:
                self.ignore(first, last, "an empty routing table")
        elif key == "protocol":
            if n > k + 3 and words[k + 2] == "enable" and words[k + 3] == "yes":
                self.dynamic_routing.append((name, str(words[k + 1]), first))
                self.use(first, last)
            else:
                self.ignore(first, last, "routing protocol settings (protocols not enabled are inert)")
        elif key in ("bgp", "ospf", "ospfv3", "rip", "multicast", "pim", "igmp"):
            # logical routers put protocols directly under the VRF
            if n > k + 2 and words[k + 1] == "enable" and words[k + 2] == "yes":
                self.dynamic_routing.append((name, key, first))
                self.use(first, last)
            else:
                self.ignore(first, last, "routing protocol settings (protocols not enabled are inert)")
        elif key in ("ecmp", "admin-dists", "redist-profile", "redist-profile-ipv6", "multicast",
                     "routing-profile", "rib-filter", "administrative-distances"):
            self.ignore(first, last, "routing table tuning (ECMP, administrative distances, redistribution)")
        else:
            self.report(first, last, "unknown virtual router setting '%s'" % key)

    def run(self, statements: list) -> None:
        """File every statement."""
        feed = self.feed
        for st in statements:
            feed(st)

    def fast_setting(self, vsys: str, name: str, anchor: int, key: str, value, first: int, last: int) -> bool:
        """One leaf setting of an XML security rule (``<rules><entry name=NAME><KEY>``), filed at once."""
        kind = RULE.get(key)
        if kind != VALUE and kind != SKIP:
            return False
        table = self.space(vsys).security["local"]
        d = table.get(name)
        if d is None:
            d = table[name] = Def(name, anchor, "security")
            d.attrs["@base"] = [("local", first)]
        if kind == SKIP:
            self.lines.ignore_span(first, last, WHY.get(key, key))
            return True
        v = d.attrs.get(key)
        if v is None:
            d.attrs[key] = [(value, first)]
        else:
            v.append((value, first))
        self.lines.use_span(first, last)
        return True

    def fast_rule(self, rest: str, line: int) -> bool:
        """``set rulebase security rules NAME KEY VALUE`` (vsys1's, one setting, no quotes but around
        a single value), filed at once: ``rest`` is what follows ``rules``.  False when it is some
        other shape."""
        if '"' in rest or "'" in rest:
            # only 'NAME KEY "a value"' (a description), split as split_words splits it: words apart
            # by one space, the value's quotes around it alone
            parts = rest.split(" ", 2)
            if len(parts) != 3:
                return False
            name, key, value = parts
            kind = RULE.get(key)
            if (kind != VALUE and kind != SKIP) or not name or len(value) < 2 or value[0] != '"' \
                    or value[-1] != '"' or '"' in value[1:-1] or any(c in name for c in "\t[]\"'"):
                return False
            value = value[1:-1] if kind == VALUE else None
        else:
            parts = rest.split(None, 2)
            if len(parts) != 3:
                return False
            name, key, value = parts
            if "[" in name or "]" in name:
                return False  # (no rule has such a name: the general path splits it and reports the line)
            kind = RULE.get(key)
            if kind == VALUE or kind == SKIP:
                if value[0] == "[":  # one list: '[ a b ]'
                    inner = value[1:-1]
                    if value[-1] != "]" or "[" in inner or "]" in inner:
                        return False
                    value = inner.split() if kind == VALUE else None
                elif " " in value or "[" in value or "]" in value:
                    return False  # (several settings in one command)
                elif kind == SKIP:
                    value = None
            elif kind == REST:
                words = split_words(value)  # ('[ a b ]' one word, as the general path splits the command)
                span = _rest_span(key, [key] + words, 0)
                if span is not None and span < len(words):
                    return False  # (more settings follow it: the general path reads them)
                if [] in words:
                    return False  # (an empty list: the general path reports it)
                value = None
            else:
                return False
        table = self._local_rules
        if table is None:
            table = self._local_rules = self.space(DEFAULT_VSYS).security["local"]
        d = table.get(name)
        if d is None:
            d = table[name] = Def(name, line, "security")
            d.attrs["@base"] = [("local", line)]
        lines = self.lines
        state = lines.state
        if value is None:
            if state[line] == 0:  # (lines.ignore(line, why), without its two calls: a third of the lines)
                state[line] = IGNORED
                lines.ignored_why[WHY.get(key, key)] += 1
            return True
        v = d.attrs.get(key)
        if v is None:
            d.attrs[key] = [(value, line)]
        else:
            v.append((value, line))
        if state[line] == 0:
            state[line] = USED
        return True

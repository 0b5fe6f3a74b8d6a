"""Cisco IOS / IOS-XE names, kept as data: port and ICMP keywords, protocol keywords, the
port-to-application map the zone-based firewall's ``match protocol`` uses, and the commands
known to have no effect on filtering (each with the reason).

Sources (the keyword lists are the ones IOS offers at ``permit tcp any any eq ?``):

* Cisco IOS IP Command Reference, "access-list (IP extended)", usage guidelines: the TCP port
  names (bgp, chargen, cmd, daytime, discard, domain, drip, echo, exec, finger, ftp, ftp-data,
  gopher, hostname, ident, irc, klogin, kshell, login, lpd, nntp, pim-auto-rp, pop2, pop3,
  smtp, sunrpc, syslog, tacacs, talk, telnet, time, uucp, whois, www) and UDP port names
  (biff, bootpc, bootps, discard, dnsix, domain, echo, isakmp, mobile-ip, nameserver,
  netbios-dgm, netbios-ns, netbios-ss, non500-isakmp, ntp, pim-auto-rp, rip, snmp, snmptrap,
  sunrpc, syslog, tacacs, talk, tftp, time, who, xdmcp), and the ICMP message names;
  the numbers agree with IANA's service registry and with Batfish's ``NamedPort`` table.
* Cisco IOS IPv6 Command Reference, "permit (IPv6)": ICMPv6 message names (``nd-na``,
  ``nd-ns``, ``router-advertisement``, ...).
* Cisco IOS Security Configuration Guide, "Firewall Port to Application Mapping" (PAM): the
  default ports ``match protocol`` classifies by (``show ip port-map``).
"""

from __future__ import annotations

from parsers.kit.names import ascii_digits

# --- ports --------------------------------------------------------------------------

TCP_PORTS: dict[str, int] = {
    "bgp": 179, "chargen": 19, "cmd": 514, "daytime": 13, "discard": 9, "domain": 53, "drip": 3949,
    "echo": 7, "exec": 512, "finger": 79, "ftp": 21, "ftp-data": 20, "gopher": 70, "hostname": 101,
    "ident": 113, "irc": 194, "klogin": 543, "kshell": 544, "login": 513, "lpd": 515, "msrpc": 135,
    "nntp": 119, "onep-plain": 15001, "onep-tls": 15002, "pim-auto-rp": 496, "pop2": 109, "pop3": 110,
    "smtp": 25, "sunrpc": 111, "syslog": 514, "tacacs": 49, "tacacs-ds": 65, "talk": 517, "telnet": 23,
    "time": 37, "uucp": 540, "whois": 43, "www": 80,
}

UDP_PORTS: dict[str, int] = {
    "biff": 512, "bootpc": 68, "bootps": 67, "discard": 9, "dnsix": 195, "domain": 53, "echo": 7,
    "isakmp": 500, "mobile-ip": 434, "nameserver": 42, "netbios-dgm": 138, "netbios-ns": 137,
    "netbios-ss": 139, "non500-isakmp": 4500, "ntp": 123, "pim-auto-rp": 496, "rip": 520, "ripv6": 521,
    "snmp": 161, "snmptrap": 162, "sunrpc": 111, "syslog": 514, "tacacs": 49, "tacacs-ds": 65,
    "talk": 517, "tftp": 69, "time": 37, "who": 513, "xdmcp": 177,
}

# ports of 'tcp-udp' service entries and of protocol-less port lists: a name valid for either
TCP_UDP_PORTS: dict[str, int] = {**UDP_PORTS, **TCP_PORTS}

# --- ICMP ---------------------------------------------------------------------------

# IOS ICMP (IPv4) message names -> (type, code or None for every code)
ICMP_TYPES: dict[str, tuple[int, int | None]] = {
    "echo-reply": (0, None), "unreachable": (3, None), "net-unreachable": (3, 0), "host-unreachable": (3, 1),
    "protocol-unreachable": (3, 2), "port-unreachable": (3, 3), "packet-too-big": (3, 4),
    "source-route-failed": (3, 5), "network-unknown": (3, 6), "host-unknown": (3, 7), "host-isolated": (3, 8),
    "dod-net-prohibited": (3, 9), "dod-host-prohibited": (3, 10), "net-tos-unreachable": (3, 11),
    "host-tos-unreachable": (3, 12), "administratively-prohibited": (3, 13),
    "host-precedence-unreachable": (3, 14), "precedence-unreachable": (3, 15), "source-quench": (4, None),
    "redirect": (5, None), "net-redirect": (5, 0), "host-redirect": (5, 1), "net-tos-redirect": (5, 2),
    "host-tos-redirect": (5, 3), "alternate-address": (6, None), "echo": (8, None),
    "router-advertisement": (9, None), "router-solicitation": (10, None), "time-exceeded": (11, None),
    "ttl-exceeded": (11, 0), "reassembly-timeout": (11, 1), "parameter-problem": (12, None),
    "general-parameter-problem": (12, 0), "option-missing": (12, 1), "no-room-for-option": (12, 2),
    "timestamp-request": (13, None), "timestamp-reply": (14, None), "information-request": (15, None),
    "information-reply": (16, None), "mask-request": (17, None), "mask-reply": (18, None),
    "traceroute": (30, None), "conversion-error": (31, None), "mobile-redirect": (32, None),
}

# IOS ICMPv6 message names (in IPv6 access lists, protocol 'icmp' is ICMPv6)
ICMP6_TYPES: dict[str, tuple[int, int | None]] = {
    "unreachable": (1, None), "no-route": (1, 0), "no-admin": (1, 1), "beyond-scope": (1, 2),
    "destination-unreachable": (1, None), "address-unreachable": (1, 3), "port-unreachable": (1, 4),
    "packet-too-big": (2, None), "time-exceeded": (3, None), "hop-limit": (3, 0), "reassembly-timeout": (3, 1),
    "parameter-problem": (4, None), "header": (4, 0), "next-header": (4, 1), "parameter-option": (4, 2),
    "echo-request": (128, None), "echo-reply": (129, None), "mld-query": (130, None),
    "mld-report": (131, None), "mld-reduction": (132, None), "router-solicitation": (133, None),
    "router-advertisement": (134, None), "nd-ns": (135, None), "nd-na": (136, None), "redirect": (137, None),
    "renum-command": (138, 0), "renum-result": (138, 1), "renum-seq-number": (138, 255),
    "router-renumbering": (138, None), "mldv2": (143, None),
    # Mobile IPv6 (RFC 6275, 6.5-6.8): home agent address discovery request 144 and reply 145, mobile prefix
    # solicitation 146 and advertisement 147 (Cisco IOS IPv6 Command Reference, 'permit (IPv6)': icmp-message)
    "dhaad-request": (144, None), "dhaad-reply": (145, None), "mpd-solicitation": (146, None),
    "mpd-advertisement": (147, None),
    # the names IOS XE adds (Cisco Catalyst SD-WAN's IPv6 ACL 'ICMP message' match, rendered as IOS XE lists),
    # numbered by their RFCs: inverse neighbor discovery 141/142 (RFC 3122), node information query 139 (codes:
    # 0 an IPv6 address, 1 a name, 2 an IPv4 address) and reply 140 (0 success, 1 refused, 2 unknown query type;
    # RFC 4620), SEND certification path solicitation 148 / advertisement 149 (RFC 3971), multicast router
    # advertisement 151, solicitation 152, termination 153 (RFC 4286), RPL control 155 (RFC 6550); destination
    # unreachable codes 5 (source address failed ingress/egress policy), 6 (reject route: RFC 4443) and 7
    # (error in source routing header: RFC 6554)
    "mldv2-report": (143, None), "next-header-type": (4, 1), "source-policy": (1, 5), "reject-route": (1, 6),
    "source-route-header": (1, 7), "ni-query": (139, None), "ni-query-v6-address": (139, 0),
    "ni-query-name": (139, 1), "ni-query-v4-address": (139, 2), "ni-response": (140, None),
    "ni-response-success": (140, 0), "ni-response-refuse": (140, 1), "ni-response-qtype-unknown": (140, 2),
    "ind-solicitation": (141, None), "ind-advertisement": (142, None), "cp-solicitation": (148, None),
    "cp-advertisement": (149, None), "mr-advertisement": (151, None), "mr-solicitation": (152, None),
    "mr-termination": (153, None), "rpl-control": (155, None),
}

# --- protocols ----------------------------------------------------------------------

# protocol keywords of IPv4 extended ACEs ('ip' is every protocol)
PROTOCOLS: dict[str, int] = {
    "ahp": 51, "eigrp": 88, "esp": 50, "gre": 47, "icmp": 1, "igmp": 2, "igrp": 9, "ipinip": 4, "nos": 94,
    "ospf": 89, "pcp": 108, "pim": 103, "sctp": 132, "tcp": 6, "udp": 17,
}

# protocol keywords of IPv6 ACEs ('ipv6' is every protocol; 'icmp' is ICMPv6)
PROTOCOLS6: dict[str, int] = {"ahp": 51, "esp": 50, "icmp": 58, "pcp": 108, "sctp": 132, "tcp": 6, "udp": 17}

# --- the zone-based firewall's port-to-application map (PAM) -------------------------

# application -> (protocol number, low port, high port) it classifies by default.  'tcp',
# 'udp' and 'icmp' are the layer-4 protocols themselves (every port, every type).
PAM: dict[str, tuple[tuple[int, int, int], ...]] = {
    "tcp": ((6, 0, 65535),), "udp": ((17, 0, 65535),), "icmp": ((1, 0, 65535),),
    "ftp": ((6, 21, 21),), "ssh": ((6, 22, 22),), "telnet": ((6, 23, 23),), "smtp": ((6, 25, 25),),
    "dns": ((17, 53, 53), (6, 53, 53)), "tftp": ((17, 69, 69),), "http": ((6, 80, 80),),
    "pop3": ((6, 110, 110),), "sunrpc": ((6, 111, 111), (17, 111, 111)), "ntp": ((17, 123, 123),),
    "netbios-ns": ((17, 137, 137),), "netbios-dgm": ((17, 138, 138),), "netbios-ssn": ((6, 139, 139),),
    "imap": ((6, 143, 143),), "snmp": ((17, 161, 161),), "ldap": ((6, 389, 389),), "https": ((6, 443, 443),),
    "isakmp": ((17, 500, 500),), "exec": ((6, 512, 512),), "login": ((6, 513, 513),), "shell": ((6, 514, 514),),
    "syslog": ((17, 514, 514),), "ldaps": ((6, 636, 636),), "imap3": ((6, 220, 220),),
    "ftps": ((6, 990, 990),), "imaps": ((6, 993, 993),), "pop3s": ((6, 995, 995),),
    "ms-sql": ((6, 1433, 1433),), "sqlnet": ((6, 1521, 1521),), "h323": ((6, 1720, 1720),),
    "pptp": ((6, 1723, 1723),), "mgcp": ((17, 2427, 2427), (6, 2428, 2428)), "mysql": ((6, 3306, 3306),),
    "sip": ((17, 5060, 5060), (6, 5060, 5060)), "sip-tls": ((6, 5061, 5061),),
}

# --- lines with no effect on filtering --------------------------------------------------

_ROUTING = "routing settings that learn no routes"
# the routing processes that learn routes from neighbours (``router PROTO`` and ``ipv6 router PROTO``):
# the device may then route any address outside its connected networks elsewhere (Config.learned_routes)
DYNAMIC_ROUTING = frozenset(("ospf", "ospfv3", "eigrp", "bgp", "rip", "isis", "odr", "igrp", "lisp"))
ROUTING_SETTINGS = "dynamic routing protocol settings (the routes it learns are not in a running-config)"

# top-level command (first word, or first two words) -> why it has no effect on filtering.
# A command found here is ignored with its block (its indented lines).
IGNORED: dict[str, str] = {
    "!": "comment", "end": "end of the configuration", "exit": "ends a configuration block",
    "version": "software version", "hostname": "device name", "service": "system service settings",
    "boot": "boot settings", "boot-start-marker": "boot settings", "boot-end-marker": "boot settings",
    "Building": "show command header", "Current": "show command header", "Using": "show command header",
    "Last": "show command header", "NVRAM": "show command header", "enable": "device credentials",
    "username": "local user accounts", "aaa": "authentication, authorization, accounting",
    "clock": "clock settings", "ntp": "time synchronisation", "sntp": "time synchronisation",
    "logging": "logging", "snmp-server": "SNMP management", "snmp": "SNMP management",
    "line": "terminal lines (console, vty)", "banner": "login banners", "archive": "configuration archive",
    "router": _ROUTING, "ipv6 router": _ROUTING, "route-map": "routing policy (route maps)",
    "key": "routing protocol keys", "cdp": "device discovery", "lldp": "device discovery",
    "vtp": "VLAN trunking", "vlan": "VLAN database", "spanning-tree": "spanning tree",
    "license": "licensing", "redundancy": "redundancy settings", "diagnostic": "diagnostics",
    "memory": "memory settings", "multilink": "PPP multilink", "mpls": "MPLS label switching",
    "crypto": "VPN and PKI (encryption, not filtering)", "control-plane": "control-plane policing "
    "(traffic to the router itself)", "call-home": "Smart Call Home", "platform": "platform settings",
    "system": "system settings", "tftp-server": "TFTP server files", "alias": "command aliases",
    "privilege": "command privileges", "scheduler": "process scheduler", "process-max-time": "scheduler",
    "exception": "crash dumps", "dial-peer": "voice dial peers", "voice": "voice", "voice-card": "voice",
    "telephony-service": "voice", "sip-ua": "voice", "stcapp": "voice", "ephone": "voice",
    "ephone-dn": "voice", "mgcp": "voice", "ccm-manager": "voice", "application": "voice applications",
    "track": "object tracking", "fhrp": "first-hop redundancy (protocol version, delays)",
    "event": "embedded event manager", "kron": "scheduled commands",
    "file": "file system settings", "ipv6 unicast-routing": "enables IPv6 routing",
    "ipv6 cef": "forwarding engine", "ipv6 nd": "IPv6 neighbour discovery settings",
    "ipv6 dhcp": "DHCPv6 server/relay settings", "ipv6 general-prefix": "IPv6 prefix delegation names",
    "ipv6 prefix-list": "routing policy (prefix lists)", "ipv6 multicast-routing": "multicast routing",
    "ipv6 host": "static host names", "ipv6 icmp": "ICMPv6 rate limits", "ipv6 mtu": "MTU",
    "ip cef": "forwarding engine", "ip domain": "DNS settings", "ip domain-name": "DNS settings",
    "ip domain-lookup": "DNS settings", "ip domain-list": "DNS settings", "ip name-server": "DNS settings",
    "ip host": "static host names", "ip dns": "DNS server", "ip http": "management web server",
    "ip ssh": "management SSH server", "ip scp": "SCP server", "ip ftp": "FTP client settings",
    "ip tftp": "TFTP client settings", "ip forward-protocol": "broadcast forwarding (helper addresses)",
    "ip bgp-community": "routing policy", "ip community-list": "routing policy", "ip as-path": "routing policy",
    "ip prefix-list": "routing policy (prefix lists)", "ip extcommunity-list": "routing policy",
    "ip dhcp": "DHCP server/relay settings", "ip tcp": "the router's own TCP settings",
    "ip icmp": "ICMP rate limits", "ip multicast-routing": "multicast routing", "ip pim": "multicast routing",
    "ip igmp": "multicast", "ip msdp": "multicast routing", "ip sla": "IP SLA probes", "ip routing": "routing on",
    "ip subnet-zero": "addressing", "ip classless": "routing behaviour", "ip source-route": "source routing",
    "ip finger": "finger service", "ip bootp": "BOOTP server", "ip default-gateway": "management gateway "
    "(used only when routing is off)", "ip flow-export": "NetFlow export", "ip flow-cache": "NetFlow",
    "ip flow-top-talkers": "NetFlow", "ip flow-aggregation": "NetFlow", "ip accounting-threshold": "accounting",
    "ip vrf": "VRF definition (interfaces name their VRF)", "ip local": "local address pools and policy "
    "routing of the router's own traffic", "ip explicit-path": "MPLS paths", "ip options": "IP options handling",
    "ip ospf": "routing protocol settings", "ip rcmd": "remote commands", "ip arp": "ARP settings",
    "ip nbar": "application recognition (QoS)", "ip wccp": "web cache redirection", "ip mfwd": "multicast",
    "ip spd": "selective packet discard", "ip internal": "internal settings", "ip access-list logging":
    "ACL logging settings", "ip access-list log-update": "ACL logging settings",
    "ip inspect": "classic IOS firewall (CBAC) rule definitions (an interface's 'ip inspect' is reported)",
    "vrf definition": "VRF definition (interfaces name their VRF)", "vrf": "VRF settings",
    "class-map": "QoS class map (not a security policy)", "policy-map": "QoS policy map (not a security policy)",
    "table-map": "QoS", "mls": "switching QoS", "qos": "QoS", "macro": "switch macros",
    "errdisable": "port error handling", "port-channel": "link aggregation", "power": "power settings",
    "environment": "environment monitoring", "monitor": "traffic mirroring", "netflow": "NetFlow",
    "flow": "NetFlow", "wsma": "web services management", "netconf": "management API",
    "netconf-yang": "management API", "restconf": "management API", "gnxi": "management API",
    "transceiver": "optics", "cts": "TrustSec settings", "dot1x": "port authentication",
    "authentication": "port authentication", "mab": "port authentication", "identity": "port authentication",
    "template": "interface templates", "device-tracking": "host tracking", "parser": "CLI parser settings",
    "pseudowire-class": "layer-2 VPN", "l2vpn": "layer-2 VPN", "bridge-domain": "bridging",
    "object-group-search": "ACL lookup optimisation", "tacacs": "TACACS+ servers", "tacacs-server":
    "TACACS+ servers", "radius": "RADIUS servers", "radius-server": "RADIUS servers",
    "ip radius": "RADIUS client settings", "ip tacacs": "TACACS+ client settings", "ip sftp": "SFTP",
    "sdm": "switch resources", "udld": "link detection", "energywise": "power management",
    "rmon": "monitoring", "ipv6 access-list logging": "ACL logging settings", "wism": "wireless",
    "dot11": "wireless", "stackwise-virtual": "switch stacking", "switch": "switch stacking",
    "hw-module": "hardware settings", "card": "hardware settings", "controller": "hardware settings",
    "subscriber": "subscriber settings", "pnp": "plug-and-play", "xconnect": "layer-2 VPN",
    "mac": "MAC address table", "mac-address-table": "MAC address table", "default-information": "routing",
    "login": "login security settings", "secure": "boot image protection", "password": "password policy",
    "security": "password policy", "service-template": "port authentication", "dialer-list": "dial-on-demand",
    "chat-script": "modem scripts", "lldp run": "device discovery", "ip bgp": "routing protocol settings",
    "config-register": "boot register", "buffers": "memory buffers", "ipv6 local": "local pools and policy "
    "routing of the router's own traffic", "time-range": "time ranges (an entry that uses one is reported as "
    "unknown)", "hw-switch": "switch hardware", "ipv6 source-route": "source routing",
    "ipv6 inspect": "classic IOS firewall (CBAC) rule definitions (an interface's 'ipv6 inspect' is reported)",
    "ip ips": "intrusion prevention signatures (an interface's 'ip ips' is reported)",
    "ip admission": "authentication proxy rules (an interface's 'ip admission' is reported)",
    "bfd-template": "failure detection", "bfd": "failure detection", "ip telnet": "the router's telnet client",
    "parameter-map": "parameters of a layer-7 or service feature (an inspect policy using one is reported)",
    "ip ddns": "dynamic DNS updates", "ip access-list role-based": "TrustSec role-based lists (not IP filters "
    "on interfaces)", "ip source": "source binding tables",
    # found in real ISR and CSR 1000v configurations (ciscoconfparse's samples, NAPALM's mocks)
    "spd headroom": "selective packet discard (input queue room for routing and keepalive packets)",
    "network-clock-participate": "clock synchronisation", "ip gratuitous-arps": "ARP settings",
    "vpdn enable": "virtual private dial-up (PPPoE and L2TP sessions)", "bba-group": "PPPoE session profiles",
    "virtual-service": "application hosting container (a Snort IPS it runs is bound by 'utd', which is reported)",
    # found in GNS3-style lab configurations (Batfish's example networks)
    "memory-size": "memory partition (I/O memory)", "gatekeeper": "voice (H.323 gatekeeper)",
    "ip auth-proxy": "authentication proxy settings (an interface's 'ip auth-proxy' is reported)",
}

# interface sub-commands with no effect on filtering (first word, or first two words)
IF_IGNORED: dict[str, str] = {
    "description": "description", "duplex": "link settings", "speed": "link settings",
    "negotiation": "link settings", "media-type": "link settings", "mtu": "MTU", "ip mtu": "MTU",
    "ipv6 mtu": "MTU", "ip tcp": "TCP MSS adjustment", "ip redirects": "ICMP behaviour",
    "ip unreachables": "ICMP behaviour", "ip proxy-arp": "ARP behaviour", "ip directed-broadcast":
    "broadcast forwarding", "ip mask-reply": "ICMP behaviour", "ip ospf": "routing protocol settings",
    "ip pim": "multicast", "ip igmp": "multicast", "ip helper-address": "DHCP relay", "ip route-cache":
    "switching path", "ip flow": "NetFlow", "ip nbar": "application recognition (QoS)",
    "ip virtual-reassembly": "fragment reassembly", "ip virtual-reassembly-out": "fragment reassembly",
    "ip dhcp": "DHCP settings",
    "ip arp": "ARP settings", "ip wccp": "web cache redirection", "ip accounting": "accounting",
    "ip authentication": "routing protocol authentication", "ip hello-interval": "routing protocol settings",
    "ip summary-address": "routing protocol settings", "ip split-horizon": "routing protocol settings",
    "ip bandwidth-percent": "routing protocol settings", "ip rip": "routing protocol settings",
    "ip mroute-cache": "multicast", "ip multicast": "multicast", "ip sap": "multicast",
    "ip load-sharing": "load balancing", "ip cef": "forwarding engine", "ip dns": "DNS",
    "ipv6 enable": "IPv6 link-local addressing", "ipv6 nd": "neighbour discovery settings",
    "ipv6 ospf": "routing protocol settings", "ipv6 redirects": "ICMP behaviour",
    "ipv6 unreachables": "ICMP behaviour", "ipv6 dhcp": "DHCPv6 settings", "ipv6 eigrp": "routing protocol",
    "ipv6 rip": "routing protocol", "ipv6 pim": "multicast", "ipv6 mld": "multicast", "ipv6 flow": "NetFlow",
    "ipv6 virtual-reassembly": "fragment reassembly",
    "ipv6 tcp": "TCP MSS adjustment", "ipv6 cef": "forwarding engine", "standby": "first-hop redundancy",
    "vrrp": "first-hop redundancy", "glbp": "first-hop redundancy", "switchport": "switching",
    "channel-group": "link aggregation", "spanning-tree": "spanning tree", "encapsulation": "VLAN tagging",
    "load-interval": "statistics", "keepalive": "link keepalive", "bandwidth": "routing metric",
    "delay": "routing metric", "cdp": "device discovery", "lldp": "device discovery", "logging": "logging",
    "carrier-delay": "link settings", "service-policy": "QoS policy (not a security policy)",
    "tunnel": "tunnel endpoints", "pppoe": "PPPoE", "pppoe-client": "PPPoE", "ppp": "PPP", "dialer": "dialer",
    "dialer-group": "dialer", "crypto": "VPN encryption (does not filter)", "storm-control": "broadcast storms",
    "power": "power", "hold-queue": "queueing", "arp": "ARP settings", "fair-queue": "queueing",
    "priority-queue": "queueing", "snmp": "SNMP traps",
    "mpls": "label switching", "bfd": "failure detection", "vlan-id": "VLAN", "ntp": "time synchronisation",
    "cts": "TrustSec", "authentication": "port authentication", "dot1x": "port authentication",
    "mab": "port authentication", "source": "interface templates", "shape": "QoS", "qos": "QoS",
    "mls": "switching QoS", "auto": "auto QoS", "macro": "switch macros", "udld": "link detection",
    "nat64": "NAT64 (not modelled)", "peer": "PPP peer settings", "max-reserved-bandwidth": "queueing",
    "tx-ring-limit": "queueing", "atm": "ATM link", "pvc": "ATM link", "dsl": "DSL link",
    "frame-relay": "Frame Relay link", "clock": "link clocking", "physical-layer": "link settings",
    "mac-address": "link-layer (MAC) address", "autostate": "switching (VLAN interface state)",
    "srr-queue": "queueing",
    "ethernet": "Ethernet OAM", "flowcontrol": "link settings", "transceiver": "optics",
    "macsec": "link encryption", "hsrp": "first-hop redundancy", "wrr-queue": "queueing",
    "priority": "queueing", "rcv-queue": "queueing", "datalink": "link settings",
    "isis": "routing protocol settings", "ip router": "routing protocol settings",
    "ipv6 router": "routing protocol settings", "ip nhrp": "DMVPN next-hop resolution", "mop": "maintenance "
    "operation protocol", "ip local-proxy-arp": "ARP behaviour", "ip broadcast-address": "broadcast address",
    "ip ddns": "dynamic DNS updates",
    "ipv6 nhrp": "DMVPN next-hop resolution", "ip summary": "routing protocol settings",
    # defaults that 'show running-config all' prints on every interface
    "ip mfib": "multicast forwarding", "ipv6 mfib": "multicast forwarding", "bgp-policy": "BGP policy "
    "accounting and QoS maps", "clns": "OSI (CLNS) switching", "h323-gateway": "voice gateway",
    "mka": "MACsec key agreement", "medium": "link type", "network-clock": "clock synchronisation",
    "synchronous": "link clocking",
    # found in real ISR configurations (ciscoconfparse's samples)
    "full-duplex": "link settings", "half-duplex": "link settings", "ospfv3": "routing protocol settings",
    "bundle-enable": "ATM link", "vbr-nrt": "ATM link", "protocol ppp": "ATM link",
}

# ACL numbers that are not IP access lists (their lines are ignored): range -> kind
NON_IP_ACL_RANGES: tuple[tuple[int, int, str], ...] = (
    (200, 299, "Ethernet type-code"), (300, 399, "DECnet"), (400, 599, "XNS"), (600, 699, "AppleTalk"),
    (700, 799, "48-bit MAC address"), (800, 999, "IPX"), (1000, 1099, "IPX SAP"),
    (1100, 1199, "extended 48-bit MAC address"), (1200, 1299, "IPX summary"),
)

# --- interface types (parsers.kit.ifnames: how an abbreviated interface name resolves) ---------

# physical interface types IOS and IOS XE print (a running-config prints each port of these the device has):
# Cisco IOS Interface and Hardware Component Command Reference, 'interface' (its table of type keywords),
# https://cisco.com/en/US/docs/ios-xml/ios/interface/command/ir-i1.html, and the Catalyst 9000 and ISR
# configuration guides (TwoGigabitEthernet, TwentyFiveGigE, AppGigabitEthernet, Wlan-GigabitEthernet...)
IF_PHYSICAL = (
    "Ethernet", "FastEthernet", "GigabitEthernet", "TwoGigabitEthernet", "FiveGigabitEthernet",
    "TenGigabitEthernet", "TwentyFiveGigE", "FortyGigabitEthernet", "HundredGigE",
    "TwoHundredGigE", "FourHundredGigE", "AppGigabitEthernet", "Wlan-GigabitEthernet", "LongReachEthernet",
    "Serial", "ATM", "POS", "BRI", "Async", "Cellular", "Dot11Radio", "Embedded-Service-Engine",
    "Service-Engine", "Ucse", "TokenRing", "FDDI", "Hssi", "Cable", "Wideband-Cable", "Modular-Cable",
    "Integrated-Cable", "Analysis-Module", "Content-Engine",
)

# interface types the software creates by configuration (a config need not have one): the same reference's
# table, and the types 'interface ?' offers on ISR routers and Catalyst switches
IF_VIRTUAL = (
    "Loopback", "Null", "Tunnel", "Tunnel-tp", "Vlan", "Port-channel", "Dialer", "Virtual-Template",
    "Virtual-Access", "Virtual-PPP", "Virtual-Ethernet", "Virtual-TokenRing", "Virtual-Dot1x", "BDI", "BVI",
    "Multilink", "MFR", "Group-Async", "CTunnel", "Vif", "Lspvif", "LISP", "GMPLS", "Auto-Template", "NVI",
    "vasileft", "vasiright", "vmi", "SSLVPN-VIF",
)


digits = ascii_digits  # (a number as IOS reads one)

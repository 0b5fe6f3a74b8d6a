"""Cisco ASA names and lists, as data: port, protocol and ICMP names, and the commands known
to have no effect on which packets pass (with the reason).

The port, protocol and ICMP names are the ASA's own, from Cisco's "Addresses, Protocols, and
Ports" reference (Cisco Secure Firewall ASA Series General Operations CLI Configuration Guide,
https://www.cisco.com/c/en/us/td/docs/security/asa/asa922/configuration/general/asa-922-general-config/ref-ports.html):
tables "Protocols", "TCP and UDP Ports" and "ICMP Types".  Several differ from IANA's
(``kerberos`` is 750, ``radius`` 1645, ``sqlnet`` 1521, ``cifs`` 3020), so they never fall
back to ``parsers.kit.names``; a name not in these tables is reported.
"""

# "TCP and UDP Ports": literal -> (port, valid for TCP, valid for UDP)
PORTS: dict[str, tuple[int, bool, bool]] = {
    "aol": (5190, True, False), "bgp": (179, True, False), "biff": (512, False, True),
    "bootpc": (68, False, True), "bootps": (67, False, True), "chargen": (19, True, False),
    "cifs": (3020, True, True), "citrix-ica": (1494, True, False), "cmd": (514, True, False),
    "ctiqbe": (2748, True, False), "daytime": (13, True, False), "discard": (9, True, True),
    "dnsix": (195, False, True), "domain": (53, True, True), "echo": (7, True, True),
    "exec": (512, True, False), "finger": (79, True, False), "ftp": (21, True, False),
    "ftp-data": (20, True, False), "gopher": (70, True, False), "h323": (1720, True, False),
    "hostname": (101, True, False), "http": (80, True, True), "https": (443, True, False),
    "ident": (113, True, False), "imap4": (143, True, False), "irc": (194, True, False),
    "isakmp": (500, False, True), "kerberos": (750, True, True), "klogin": (543, True, False),
    "kshell": (544, True, False), "ldap": (389, True, False), "ldaps": (636, True, False),
    "login": (513, True, False), "lotusnotes": (1352, True, False), "lpd": (515, True, False),
    "mobile-ip": (434, False, True), "nameserver": (42, False, True), "netbios-dgm": (138, False, True),
    "netbios-ns": (137, False, True), "netbios-ssn": (139, True, False), "nfs": (2049, True, True),
    "nntp": (119, True, False), "ntp": (123, False, True), "pcanywhere-data": (5631, True, False),
    "pcanywhere-status": (5632, False, True), "pim-auto-rp": (496, True, True), "pop2": (109, True, False),
    "pop3": (110, True, False), "pptp": (1723, True, False), "radius": (1645, False, True),
    "radius-acct": (1646, False, True), "rip": (520, False, True), "rsh": (514, True, False),
    "rtsp": (554, True, False), "secureid-udp": (5510, False, True), "sip": (5060, True, True),
    "smtp": (25, True, False), "snmp": (161, False, True), "snmptrap": (162, False, True),
    "sqlnet": (1521, True, False), "ssh": (22, True, False), "sunrpc": (111, True, True),
    "rpc": (111, True, True), "syslog": (514, False, True), "tacacs": (49, True, True),
    "talk": (517, True, True), "telnet": (23, True, False), "tftp": (69, False, True),
    "time": (37, False, True), "uucp": (540, True, False), "vxlan": (4789, False, True),
    "who": (513, False, True), "whois": (43, True, False), "www": (80, True, True),
    "xdmcp": (177, False, True),
}

TCP_PORTS: dict[str, int] = {n: p for n, (p, tcp, _udp) in PORTS.items() if tcp}
UDP_PORTS: dict[str, int] = {n: p for n, (p, _tcp, udp) in PORTS.items() if udp}
ANY_PORTS: dict[str, int] = {n: p for n, (p, _t, _u) in PORTS.items()}

# "Protocols": literal -> IP protocol number ("ip" is every protocol, handled apart)
PROTOCOLS: dict[str, int] = {
    "ah": 51, "eigrp": 88, "esp": 50, "gre": 47, "icmp": 1, "icmp6": 58, "igmp": 2, "igrp": 9,
    "ipinip": 4, "ipsec": 50, "nos": 94, "ospf": 89, "pcp": 108, "pim": 103, "pptp": 47, "sctp": 132,
    "snp": 109, "tcp": 6, "udp": 17,
}

# "ICMP Types": literal -> type
ICMP_TYPES: dict[str, int] = {
    "echo-reply": 0, "unreachable": 3, "source-quench": 4, "redirect": 5, "alternate-address": 6,
    "echo": 8, "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11,
    "parameter-problem": 12, "timestamp-request": 13, "timestamp-reply": 14, "information-request": 15,
    "information-reply": 16, "mask-request": 17, "mask-reply": 18, "traceroute": 30,
    "conversion-error": 31, "mobile-redirect": 32,
}

# ICMPv6 type literals (the ASA command reference, 'icmp-object' / IPv6 access lists)
ICMP6_TYPES: dict[str, int] = {
    "unreachable": 1, "packet-too-big": 2, "time-exceeded": 3, "parameter-problem": 4, "echo": 128,
    "echo-reply": 129, "membership-query": 130, "membership-report": 131, "membership-reduction": 132,
    "router-solicitation": 133, "router-advertisement": 134, "neighbor-solicitation": 135,
    "neighbor-advertisement": 136, "neighbor-redirect": 137, "router-renumbering": 138,
}

# Ports matched by `match default-inspection-traffic`, as (protocol, low port, high port): "the default
# ports used in the default class map" of every inspection engine, enabled by default or not ("Not all
# applications whose ports are included in the match default-inspection-traffic command are enabled by
# default"): Cisco ASA Series Firewall CLI Configuration Guide (9.1 to 9.x), "Getting Started with
# Application Layer Protocol Inspection", "Default Inspections and NAT Limitations", table "Supported
# Application Inspection Engines" (the 8.4 guide, "Default Settings", lists the same ports): CTIQBE TCP/2748,
# DCERPC TCP/135, DNS UDP/53, FTP TCP/21, GTP UDP/3386, UDP/2123, H.323 TCP/1720, UDP/1718-1719, HTTP
# TCP/80, ICMP, ILS TCP/389, IPsec pass-through UDP/500, MGCP UDP/2427, 2727, MMP TCP/5443, NetBIOS
# UDP/137-138, PPTP TCP/1723, RADIUS accounting 1646, RSH TCP/514, RTSP TCP/554, SIP TCP/5060, UDP/5060,
# Skinny TCP/2000, SMTP TCP/25, SNMP UDP/161-162, SQL*Net TCP/1521, Sun RPC UDP/111 ("The default rule
# includes UDP port 111; if you want to enable Sun RPC inspection for TCP port 111, you need to create a
# new rule"), TFTP UDP/69, XDMCP UDP/177.  The engines of later releases add ports of their own, and
# WAAS has none in the table: ``mpf`` reports a class that sets connection timeouts for this traffic.
DEFAULT_INSPECTION = [
    (6, 2748, 2748), (6, 135, 135), (17, 53, 53), (6, 21, 21), (17, 3386, 3386), (17, 2123, 2123),
    (6, 1720, 1720), (17, 1718, 1719), (6, 80, 80), (1, 0, 65535), (6, 389, 389), (17, 500, 500),
    (17, 2427, 2427), (17, 2727, 2727), (6, 5443, 5443), (17, 137, 138), (6, 1723, 1723),
    (17, 1646, 1646), (6, 514, 514), (6, 554, 554), (6, 5060, 5060), (17, 5060, 5060), (6, 2000, 2000),
    (6, 25, 25), (17, 161, 162), (6, 1521, 1521), (17, 111, 111), (17, 69, 69), (17, 177, 177),
]

# --- lines known to have no effect on which packets pass (or on their idle timeouts) -------

_MGMT = "management of the device itself (to-the-box access, logging, monitoring)"
_VPN = "VPN termination and remote access: tunnelled traffic is outside the model"
_ROUTING = "routing protocol or policy: only static routes and connected networks are modelled"
_HA = "failover and clustering"
_HW = "hardware, device identity and the CLI"

# top-level command -> why it is ignored (its sub-lines too)
IGNORED_COMMANDS: dict[str, str] = {}
for _why, _words in (
    (_MGMT, "aaa-server asdm auth-prompt banner call-home clock console cryptochecksum "
            "ddns dhcpd dhcprelay dns dns-group-map domain-name enable email flow-export http ldap logging "
            "management-access ntp pager passwd password-policy privilege prompt quota rest-api "
            "smtp-server snmp-map snmp-server ssh telnet terminal user-identity username"),
    (_VPN, "crypto dynamic-access-policy-record eou group-policy isakmp nat-assigned-to-public-ip "
           "ssl tls-proxy tunnel-group tunnel-group-map vpdn vpn vpn-addr-assign vpn-sessiondb vpnclient webvpn"),
    (_ROUTING, "community-list multicast-routing pim igmp prefix-list route-map router sla track"),
    (_HA, "cluster failover monitor-interface"),
    (_HW, "allocate-interface arp boot command-alias config-url end fips hostname hpm jumbo-frame license "
          "mac-address memory mount mtu priority-queue profile quit resource service-module "
          "object-group-search xlate mode"),
):
    for _w in _words.split():
        IGNORED_COMMANDS[_w] = _why
IGNORED_COMMANDS.update({
    "dhcp": "DHCP client and server settings",
    "dns-guard": "DNS reply guard: drops only extra DNS replies to one query",
    "dynamic-filter": "botnet traffic filter: drops only addresses on Cisco's dynamic blacklists",
    "scansafe": "cloud web security redirection of web traffic",
    "service": "device services (service resetinbound/resetoutside, password recovery)",
    "sysopt": "system options (MSS, VPN bypass of ACLs for tunnelled traffic; "
              "'no sysopt noproxyarp IF' is the default: proxy ARP on)",
    "threat-detection": "threat statistics and dynamic shunning of scanning hosts (not configuration)",
    "wccp": "web cache redirection",
    "zone": "traffic zones for asymmetric routing and load balancing",
    "tcp-map": "TCP normalizer settings, used by 'set connection advanced-options' (normalization: ignored)",
    "dp-tcp-proxy": "TCP proxy buffer settings",
    "icmp": "ICMP addressed to the device itself (not through traffic)",
    "ftp": "the device's own FTP client mode",
    "class": "resource class of a multiple-context system configuration",
    "regex": "regular expressions used only by inspection maps",
    "ipv6": "IPv6 host settings of the device (ipv6 route is modelled)",
    "ip": "device-level IP settings (local pools, anti-spoofing verification)",
})

# interface sub-commands -> why they are ignored (nameif, security-level, addresses, shutdown
# and management-only build the model)
IGNORED_INTERFACE: dict[str, str] = {}
for _why, _words in (
    ("description and physical settings", "description speed duplex flowcontrol media-type negotiation "
                                          "mac-address lacp channel-group member-interface port-channel "
                                          "vlan delay nve-only mtu"),
    # (EIGRP's interface commands: 'authentication key|mode eigrp', 'hello-interval eigrp', 'hold-time eigrp',
    # 'split-horizon eigrp', 'summary-address eigrp': ASA routing configuration guide, "EIGRP")
    ("routing protocol settings", "ospf eigrp rip igmp pim bfd authentication hello-interval hold-time "
                                  "split-horizon summary-address"),
    ("address assignment protocols", "dhcp dhcprelay pppoe ddns"),
    (_HA, "cluster-pool"),
    # ASA 5505 switch ports: "Switch ports on the same VLAN can communicate with each other using hardware
    # switching. But when a switch port on VLAN 1 wants to communicate with a switch port on VLAN 2, then the
    # ASA applies the security policy" (ASA 9.2 general configuration guide, "Basic Interface Configuration
    # (ASA 5505)"): the VLAN interfaces filter; a VLAN interface's 'no forward interface' is still reported
    ("switch port VLAN membership (the VLAN interfaces apply the security policy)", "switchport"),
):
    for _w in _words.split():
        IGNORED_INTERFACE[_w] = _why

# interface 'ipv6' sub-commands other than 'ipv6 address PREFIX/LEN'
IGNORED_INTERFACE_IPV6 = frozenset("enable nd ospf dhcp link-local".split())

# Modular Policy Framework: feature types of a Layer 3/4 policy-map class's actions (Cisco ASA
# Series Firewall CLI Configuration Guide, "Service Policy Using the Modular Policy Framework",
# "Feature Directionality" and "Feature Matching Within a Service Policy").  Only the
# connection limits and timeouts feature sets idle timeouts; the others are ignored.
MPF_OTHER_FEATURES: dict[str, str] = {
    "inspect": "application inspection",
    "police": "QoS policing",
    "priority": "QoS priority queue",
    "shape": "QoS traffic shaping",
    "ips": "IPS module redirection",
    "csc": "CSC module redirection",
    "cxsc": "CX module redirection",
    "sfr": "FirePOWER module redirection",
    "user-statistics": "identity firewall statistics",
    "flow-export": "NetFlow export",
    "service-policy": "hierarchical QoS policy",
    "description": "a description",
}

# interface types (parsers.kit.ifnames: how an abbreviated 'interface' name resolves).  Physical ones, which a
# running-config prints for each port the device has: GigabitEthernet, TenGigabitEthernet, Management and
# Ethernet (the ASA 5505 and Firepower models), the internal ones of the ASA 5500-X; and the ones the ASA creates
# by configuration: Port-channel (EtherChannel), Redundant, BVI (transparent and integrated routing and bridging
# modes), Vlan (ASA 5505), VNI (VXLAN), Tunnel (static VTI) and Loopback (9.18).  Cisco Secure Firewall ASA
# Series General Operations CLI Configuration Guide, "Interfaces" (the chapters on each kind),
# https://www.cisco.com/c/en/us/td/docs/security/asa/asa922/configuration/general/asa-922-general-config.html
IF_PHYSICAL = ("GigabitEthernet", "TenGigabitEthernet", "Management", "Ethernet", "Internal-Data",
               "Internal-Control")
IF_VIRTUAL = ("Port-channel", "Redundant", "BVI", "Vlan", "VNI", "Tunnel", "Loopback")

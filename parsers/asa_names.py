"""Cisco ASA literal names: ports, protocols, ICMP types (data only)."""

TCP_PORTS = {
    "aol": 5190, "bgp": 179, "chargen": 19, "cifs": 3020, "citrix-ica": 1494, "cmd": 514,
    "ctiqbe": 2748, "daytime": 13, "discard": 9, "domain": 53, "echo": 7, "exec": 512,
    "finger": 79, "ftp": 21, "ftp-data": 20, "gopher": 70, "h323": 1720, "hostname": 101,
    "http": 80, "https": 443, "ident": 113, "imap4": 143, "irc": 194, "kerberos": 88,
    "klogin": 543, "kshell": 544, "ldap": 389, "ldaps": 636, "login": 513, "lotusnotes": 1352,
    "lpd": 515, "netbios-ssn": 139, "nfs": 2049, "nntp": 119, "pcanywhere-data": 5631,
    "pim-auto-rp": 496, "pop2": 109, "pop3": 110, "pptp": 1723, "rsh": 514, "rtsp": 554,
    "sip": 5060, "smtp": 25, "sqlnet": 1521, "ssh": 22, "sunrpc": 111, "tacacs": 49,
    "talk": 517, "telnet": 23, "uucp": 540, "whois": 43, "www": 80, "lpd-printer": 515,
}

UDP_PORTS = {
    "biff": 512, "bootpc": 68, "bootps": 67, "cifs": 3020, "discard": 9, "dnsix": 195,
    "domain": 53, "echo": 7, "http": 80, "isakmp": 500, "kerberos": 88, "mobile-ip": 434,
    "nameserver": 42, "netbios-dgm": 138, "netbios-ns": 137, "nfs": 2049, "ntp": 123,
    "pcanywhere-status": 5632, "pim-auto-rp": 496, "radius": 1645, "radius-acct": 1646,
    "rip": 520, "secureid-udp": 5510, "sip": 5060, "snmp": 161, "snmptrap": 162,
    "sunrpc": 111, "syslog": 514, "tacacs": 49, "talk": 517, "tftp": 69, "time": 37,
    "vxlan": 4789, "who": 513, "www": 80, "xdmcp": 177,
}

PROTOCOLS = {
    "ah": 51, "eigrp": 88, "esp": 50, "gre": 47, "icmp": 1, "icmp6": 58, "igmp": 2,
    "igrp": 9, "ipinip": 4, "ipsec": 50, "nos": 94, "ospf": 89, "pcp": 108, "pim": 103,
    "pptp": 47, "sctp": 132, "snp": 109, "tcp": 6, "udp": 17,
}

ICMP_TYPES = {
    "echo-reply": 0, "unreachable": 3, "source-quench": 4, "redirect": 5,
    "alternate-address": 6, "echo": 8, "router-advertisement": 9, "router-solicitation": 10,
    "time-exceeded": 11, "parameter-problem": 12, "timestamp-request": 13,
    "timestamp-reply": 14, "information-request": 15, "information-reply": 16,
    "mask-request": 17, "mask-reply": 18, "traceroute": 30, "conversion-error": 31,
    "mobile-redirect": 32,
}

ICMP6_TYPES = {
    "unreachable": 1, "packet-too-big": 2, "time-exceeded": 3, "parameter-problem": 4,
    "echo": 128, "echo-reply": 129, "membership-query": 130, "membership-report": 131,
    "membership-reduction": 132, "router-solicitation": 133, "router-advertisement": 134,
    "neighbor-solicitation": 135, "neighbor-advertisement": 136, "neighbor-redirect": 137,
    "router-renumbering": 138,
}

# Ports matched by `match default-inspection-traffic` (the default inspection
# engines' ports), as (protocol, low port, high port).
DEFAULT_INSPECTION = [
    (6, 21, 21), (6, 1720, 1720), (17, 1718, 1719), (6, 80, 80), (6, 514, 514),
    (6, 554, 554), (6, 5060, 5060), (17, 5060, 5060), (6, 2000, 2000), (6, 1521, 1521),
    (6, 111, 111), (17, 111, 111), (17, 69, 69), (17, 177, 177), (17, 53, 53),
    (17, 137, 138), (6, 2748, 2748), (6, 25, 25), (6, 389, 389), (17, 2427, 2427),
    (17, 2727, 2727), (17, 2123, 2123), (17, 3386, 3386), (17, 500, 500), (1, 0, 65535),
]

# Top-level commands that do not affect which packets are permitted through
# the firewall, nor their idle timeouts.  Their lines (and sub-blocks) are
# counted as ignored, not reported as unrecognized.
IGNORED_COMMANDS = frozenset("""
: ! asa asdm aaa aaa-server admin-context allocate-interface arp auth-prompt auto-update
banner boot call-home class clock cluster config-url console context crypto cryptochecksum
ddns dhcp dhcpd dhcprelay dns dns-guard domain-name dp-tcp-proxy dynamic-access-policy-record
dynamic-filter email enable end eou failover fips flow-export ftp global group-policy hostname
hpm http icmp igmp ip ipv6 isakmp jumbo-frame ldap license logging mac-address management-access
memory monitor-interface mount mtu multicast-routing nat nat-assigned-to-public-ip ntp
object-group-search pager passwd password-policy pim prefix-list priority-queue privilege
profile prompt quit quota regex resource rest-api route-map router scansafe service
service-module sla smtp-server snmp-map snmp-server ssh ssl sysopt telnet terminal
threat-detection tls-proxy track tunnel-group tunnel-group-map user-identity username vpdn
vpn vpn-sessiondb vpnclient wccp webvpn xlate zone mode firewall-off static
""".split())

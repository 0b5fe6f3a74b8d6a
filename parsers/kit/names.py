"""Names every vendor shares: IP protocol numbers, well-known ports, ICMP and ICMPv6 types.

One table each, from IANA's registries (protocol numbers; service names and port numbers;
ICMP and ICMPv6 parameters).  A vendor whose own names differ (the ASA's ``kerberos`` is 750,
not 88) keeps its table as data in its own module and consults it first.
"""

from __future__ import annotations

from auditor.core.packets import PROTO_TCP, PROTO_UDP, ISet, PacketSet, cube

# IANA "Assigned Internet Protocol Numbers" (the keywords, lower case, and common aliases)
PROTOCOLS: dict[str, int] = {
    "hopopt": 0, "icmp": 1, "igmp": 2, "ggp": 3, "ipencap": 4, "ipip": 4, "ipv4": 4, "st": 5, "tcp": 6,
    "egp": 8, "igp": 9, "pup": 12, "udp": 17, "hmp": 20, "xns-idp": 22, "rdp": 27, "dccp": 33, "ipv6": 41,
    "ipv6-route": 43, "ipv6-frag": 44, "idrp": 45, "rsvp": 46, "gre": 47, "esp": 50, "ah": 51,
    "skip": 57, "icmpv6": 58, "ipv6-icmp": 58, "icmp6": 58, "ipv6-nonxt": 59, "ipv6-opts": 60,
    "rspf": 73, "vmtp": 81, "eigrp": 88, "ospf": 89, "ospfigp": 89, "ax.25": 93, "nos": 94,
    "etherip": 97, "encap": 98, "pim": 103, "ipcomp": 108, "pcp": 108, "snp": 109, "vrrp": 112,
    "l2tp": 115, "isis": 124, "sctp": 132, "fc": 133, "mh": 135, "mobility-header": 135, "udplite": 136,
    "mpls-in-ip": 137, "manet": 138, "hip": 139, "shim6": 140, "wesp": 141, "rohc": 142, "ethernet": 143,
}

# Protocols whose packets carry source and destination ports (the port dimensions apply).
PORTED = ISet([(6, 6), (17, 17), (33, 33), (132, 132), (136, 136)])

# TCP and UDP (the protocols a rule's port ranges apply to, for most vendors' "any protocol")
TCP_UDP = ISet([(PROTO_TCP, PROTO_TCP), (PROTO_UDP, PROTO_UDP)])

# Every TCP packet (the match of a TCP idle timeout that applies to every connection)
TCP_PACKETS = PacketSet([cube(proto=ISet.of(PROTO_TCP))])

# IANA service names commonly written in firewall rules -> port (TCP and UDP alike).
SERVICES: dict[str, int] = {
    "tcpmux": 1, "echo": 7, "discard": 9, "daytime": 13, "qotd": 17, "chargen": 19, "ftp-data": 20, "ftp": 21,
    "ssh": 22, "telnet": 23, "smtp": 25, "time": 37, "nameserver": 42, "whois": 43, "nicname": 43,
    "tacacs": 49, "domain": 53, "dns": 53, "bootps": 67, "bootpc": 68, "tftp": 69, "gopher": 70,
    "finger": 79, "http": 80, "www": 80, "www-http": 80, "kerberos": 88, "hostname": 101, "pop2": 109,
    "pop3": 110, "sunrpc": 111, "auth": 113, "ident": 113, "nntp": 119, "ntp": 123, "epmap": 135,
    "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139, "imap": 143, "imap2": 143, "snmp": 161,
    "snmp-trap": 162, "snmptrap": 162, "xdmcp": 177, "bgp": 179, "irc": 194, "ldap": 389, "https": 443,
    "microsoft-ds": 445, "smb": 445, "submissions": 465, "smtps": 465, "isakmp": 500, "exec": 512,
    "biff": 512, "login": 513, "who": 513, "shell": 514, "cmd": 514, "syslog": 514, "printer": 515,
    "lpd": 515, "talk": 517, "ntalk": 518, "route": 520, "rip": 520, "uucp": 540, "klogin": 543,
    "kshell": 544, "afpovertcp": 548, "afp": 548, "rtsp": 554, "submission": 587, "ldaps": 636,
    "rsync": 873, "ftps-data": 989, "ftps": 990, "imaps": 993, "pop3s": 995, "socks": 1080,
    "openvpn": 1194, "ms-sql-s": 1433, "ms-sql-m": 1434, "sqlnet": 1521, "l2tp": 1701, "pptp": 1723,
    "radius": 1812, "radius-acct": 1813, "nfs": 2049, "mysql": 3306, "ms-wbt-server": 3389, "rdp": 3389,
    "sip": 5060, "sip-tls": 5061, "postgresql": 5432, "x11": 6000, "http-alt": 8080, "webcache": 8080,
}

# ICMP (IPv4) type names (IANA "ICMP Type Numbers", with the usual spellings) -> (type, code or None)
ICMP_TYPES: dict[str, tuple[int, int | None]] = {
    "echo-reply": (0, None), "destination-unreachable": (3, None), "unreachable": (3, None),
    "net-unreachable": (3, 0), "network-unreachable": (3, 0), "host-unreachable": (3, 1),
    "protocol-unreachable": (3, 2), "port-unreachable": (3, 3), "fragmentation-needed": (3, 4),
    "packet-too-big": (3, 4), "source-route-failed": (3, 5), "network-unknown": (3, 6),
    "host-unknown": (3, 7), "network-prohibited": (3, 9), "host-prohibited": (3, 10),
    "communication-prohibited": (3, 13), "source-quench": (4, None), "redirect": (5, None),
    "alternate-address": (6, None), "echo": (8, None), "echo-request": (8, None), "ping": (8, None),
    "router-advertisement": (9, None), "router-solicitation": (10, None), "time-exceeded": (11, None),
    "ttl-exceeded": (11, None), "parameter-problem": (12, None), "timestamp-request": (13, None),
    "timestamp": (13, None), "timestamp-reply": (14, None), "information-request": (15, None),
    "info-request": (15, None), "information-reply": (16, None), "info-reply": (16, None),
    "mask-request": (17, None), "address-mask-request": (17, None), "mask-reply": (18, None),
    "address-mask-reply": (18, None), "traceroute": (30, None),
}

# ICMPv6 type names (IANA "ICMPv6 Parameters") -> (type, code or None)
ICMP6_TYPES: dict[str, tuple[int, int | None]] = {
    "destination-unreachable": (1, None), "unreachable": (1, None), "packet-too-big": (2, None),
    "time-exceeded": (3, None), "parameter-problem": (4, None), "echo-request": (128, None),
    "echo": (128, None), "ping": (128, None), "echo-reply": (129, None), "mld-listener-query": (130, None),
    "mld-listener-report": (131, None), "mld-listener-done": (132, None), "router-solicitation": (133, None),
    "router-advertisement": (134, None), "neighbor-solicitation": (135, None),
    "neighbour-solicitation": (135, None), "neighbor-advertisement": (136, None),
    "neighbour-advertisement": (136, None), "redirect": (137, None), "router-renumbering": (138, None),
    "mld2-listener-report": (143, None),
}


def protocol_number(word: str) -> int | None:
    """A protocol keyword or number (0-255) -> its number; ``None`` when it is neither."""
    w = word.strip().lower()
    if w.isdecimal():  # (ASCII digits only: a device's CLI reads no other, as ``port_number`` says)
        return int(w) if w.isascii() and int(w) <= 255 else None
    return PROTOCOLS.get(w)


def icmp_values(icmp_type: int, code: int | None = None) -> ISet:
    """The destination-port-dimension values of ICMP ``type`` [``code``] (``type * 256 + code``).

    Raises ``ValueError`` when the type or code is outside 0-255.
    """
    if not 0 <= icmp_type <= 255 or (code is not None and not 0 <= code <= 255):
        raise ValueError("ICMP type/code out of range")
    if code is None:
        return ISet.of(icmp_type * 256, icmp_type * 256 + 255)
    return ISet.of(icmp_type * 256 + code)


def port_number(word: str, names: dict[str, int] | None = None) -> int:
    """A port number or service name -> the port (``names`` first, then ``SERVICES``).

    Raises ``ValueError`` naming the word when it is neither, or out of 0-65535.
    """
    w = word.strip()
    if w.isdecimal():
        if not w.isascii():
            # (Python's int() reads any Unicode digit, '٤٤٥' as 445; a device's CLI reads ASCII digits only and
            # refuses the line: a port so written is not one)
            raise ValueError("port '%s' is not written in ASCII digits" % w)
        v = int(w)
        if v > 65535:
            raise ValueError("port %s out of range" % w)
        return v
    lw = w.lower()
    if names and lw in names:
        return names[lw]
    if lw in SERVICES:
        return SERVICES[lw]
    raise ValueError("unknown service name '%s'" % w)


def port_range(lo: int, hi: int) -> ISet:
    """Ports ``lo``-``hi`` inclusive; ``ValueError`` when empty or out of 0-65535 (``range 500 100``)."""
    if not 0 <= lo <= hi <= 65535:
        raise ValueError("bad port range %d-%d" % (lo, hi))
    return ISet.of(lo, hi)


def ascii_digits(word: str) -> bool:
    """Whether ``word`` is a whole number as a device's command line or API reads one: ASCII digits only
    (``str.isdecimal`` and ``int`` take any script's digits, '\u0664\u0664\u0665' as 445, and ``int`` a sign or
    an underscore too, which no firewall reads as a number: such a line is refused, so it is not understood)."""
    return word.isascii() and word.isdecimal()

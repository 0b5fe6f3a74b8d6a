"""Junos facts kept as data: port names, the predefined ``junos-*`` applications, default timeouts.

Sources (each table says which):

* [PORTS] Juniper, "destination-port" (Junos Software CLI reference, junos-es93), table 4 "Port
  Names Supported by Services Interfaces":
  https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/destination-port.html
* [TIMEOUT] Juniper, "Understanding Policy Application Timeout Configuration and Lookup" (Junos
  Security 10.2): a session's timeout is the application's own ``inactivity-timeout`` if set,
  else the predefined application's default, else the protocol-based default of table 13
  (TCP 30 min, UDP 1 min, ICMP 1 min, OSPF 1 min, other 30 min):
  https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-41683.html
* [APPS] Juniper, "Security Policy Applications and Application Sets" (Junos OS Security Policies
  User Guide): "Each predefined application has a source port range of 1-65535"; the predefined
  applications are shown by ``show groups junos-defaults`` (e.g. ``application junos-ftp {
  application-protocol ftp; protocol tcp; destination-port 21; }``, Junos 12.2 command summary
  "show groups junos-defaults").  The ports below are the standard ones of each service
  ([PORTS], IANA) and the list of names matches the one Batfish's Junos model knows
  (``JunosApplication``).  Applications whose definition involves an ALG, RPC program numbers,
  UUIDs or ports not published in the sources above are listed as *uncertain*: a policy using
  them matches their packets only possibly (the auditor answers ``unknown`` there).
* [APPS2] Predefined applications added in later releases, checked against a third-party converter's
  table of the ``junos-defaults`` applications (DirectFire's Junos parser: ``junos-rdp`` TCP 3389,
  ``junos-stun-tcp``/``-udp`` 3478-3479, ``junos-ms-rpc-tcp``/``-udp`` 135, ``junos-sun-rpc-tcp``/``-udp`` 111,
  the ``junos-icmp6-*`` types and codes) and Batfish's Junos model (``JunosApplication``), which names
  the same set.  Juniper's "Predefined Policy Applications" lists the Microsoft RPC applications by
  interface UUID (their data ports are handed out at run time).
* [TELNET] ``show usp app-def tcp`` output of an SRX (Sep 2011, https://pastebin.com/kBz4eZb9):
  ``junos-telnet ... timeout=28800``; every other TCP application listed there had 1800 s (the
  protocol default).  Device output, not a Juniper document: kept because the value is the
  device's own.
"""

from __future__ import annotations

# [PORTS]: Junos port names -> number (TCP and UDP alike)
PORT_NAMES: dict[str, int] = {
    "afs": 1483, "bgp": 179, "biff": 512, "bootpc": 68, "bootps": 67, "cmd": 514, "cvspserver": 2401,
    "dhcp": 67, "domain": 53, "eklogin": 2105, "ekshell": 2106, "exec": 512, "finger": 79, "ftp": 21,
    "ftp-data": 20, "http": 80, "https": 443, "ident": 113, "imap": 143, "kerberos-sec": 88, "klogin": 543,
    "kpasswd": 761, "krb-prop": 754, "krbupdate": 760, "kshell": 544, "ldap": 389, "ldp": 646, "login": 513,
    "mobileip-agent": 434, "mobilip-mn": 435, "msdp": 639, "netbios-dgm": 138, "netbios-ns": 137,
    "netbios-ssn": 139, "nfsd": 2049, "nntp": 119, "ntalk": 518, "ntp": 123, "pop3": 110, "pptp": 1723,
    "printer": 515, "radacct": 1813, "radius": 1812, "rip": 520, "rkinit": 2108, "smtp": 25, "snmp": 161,
    "snmp-trap": 162, "snmptrap": 162, "snpp": 444, "socks": 1080, "ssh": 22, "sunrpc": 111, "syslog": 514,
    "tacacs": 49, "tacacs-ds": 65, "talk": 517, "telnet": 23, "tftp": 69, "timed": 525, "who": 513,
    "xdmcp": 177, "zephyr-clt": 2103, "zephyr-hm": 2104, "zephyr-srv": 2102,
}

# [TIMEOUT] table 13: protocol-based default inactivity timeouts, seconds
PROTOCOL_TIMEOUTS: dict[int, int] = {6: 1800, 17: 60, 1: 60, 89: 60}
OTHER_TIMEOUT = 1800

# [APPS]: name -> terms (protocol, first port, last port); ICMP terms give (1, type, code) with
# -1 for "any"; protocol-only terms (gre, ospf) give (proto, None, None).
T = tuple[int, int | None, int | None]
PREDEFINED: dict[str, tuple[T, ...]] = {
    "junos-aol": ((6, 5190, 5193),), "junos-bgp": ((6, 179, 179),), "junos-biff": ((17, 512, 512),),
    "junos-bootpc": ((17, 68, 68),), "junos-bootps": ((17, 67, 67),), "junos-chargen": ((17, 19, 19),),
    "junos-cvspserver": ((6, 2401, 2401),), "junos-dhcp-client": ((17, 68, 68),),
    "junos-dhcp-relay": ((17, 67, 67),), "junos-dhcp-server": ((17, 67, 67),), "junos-discard": ((17, 9, 9),),
    "junos-dns-tcp": ((6, 53, 53),), "junos-dns-udp": ((17, 53, 53),), "junos-echo": ((17, 7, 7),),
    "junos-finger": ((6, 79, 79),), "junos-ftp": ((6, 21, 21),), "junos-ftp-data": ((6, 20, 20),),
    "junos-gnutella": ((17, 6346, 6347),), "junos-gopher": ((6, 70, 70),), "junos-gre": ((47, None, None),),
    "junos-http": ((6, 80, 80),), "junos-http-ext": ((6, 7001, 7001),), "junos-https": ((6, 443, 443),),
    "junos-icmp-all": ((1, -1, -1),), "junos-icmp-ping": ((1, 8, -1),), "junos-ping": ((1, 8, -1),),
    "junos-icmp6-all": ((58, -1, -1),), "junos-pingv6": ((58, 128, -1),), "junos-ident": ((6, 113, 113),),
    "junos-ike": ((17, 500, 500),), "junos-ike-nat": ((17, 4500, 4500),), "junos-imap": ((6, 143, 143),),
    "junos-imaps": ((6, 993, 993),), "junos-irc": ((6, 6660, 6669),), "junos-l2tp": ((17, 1701, 1701),),
    "junos-ldap": ((6, 389, 389),), "junos-ldp-tcp": ((6, 646, 646),), "junos-ldp-udp": ((17, 646, 646),),
    "junos-lpr": ((6, 515, 515),), "junos-mail": ((6, 25, 25),), "junos-ms-sql": ((6, 1433, 1433),),
    "junos-msn": ((6, 1863, 1863),), "junos-nbds": ((17, 138, 138),), "junos-nbname": ((17, 137, 137),),
    "junos-netbios-session": ((6, 139, 139),), "junos-nfsd-tcp": ((6, 2049, 2049),),
    "junos-nfsd-udp": ((17, 2049, 2049),), "junos-nntp": ((6, 119, 119),), "junos-ntalk": ((17, 518, 518),),
    "junos-ntp": ((17, 123, 123),), "junos-ospf": ((89, None, None),), "junos-pop3": ((6, 110, 110),),
    "junos-pptp": ((6, 1723, 1723),), "junos-printer": ((6, 515, 515),), "junos-radacct": ((17, 1813, 1813),),
    "junos-radius": ((17, 1812, 1812),), "junos-rip": ((17, 520, 520),), "junos-rsh": ((6, 514, 514),),
    "junos-rtsp": ((6, 554, 554),), "junos-sctp-any": ((132, 0, 65535),),
    "junos-smb-session": ((6, 445, 445),), "junos-smtp": ((6, 25, 25),), "junos-smtps": ((6, 465, 465),),
    "junos-snmp-agentx": ((6, 705, 705),), "junos-snpp": ((6, 444, 444),), "junos-sql-monitor": ((17, 1434, 1434),),
    "junos-sqlnet-v1": ((6, 1525, 1525),), "junos-sqlnet-v2": ((6, 1521, 1521),), "junos-ssh": ((6, 22, 22),),
    "junos-syslog": ((17, 514, 514),), "junos-tacacs": ((6, 49, 49),), "junos-tacacs-ds": ((6, 65, 65),),
    "junos-talk": ((17, 517, 517),), "junos-tcp-any": ((6, 0, 65535),), "junos-telnet": ((6, 23, 23),),
    "junos-tftp": ((17, 69, 69),), "junos-udp-any": ((17, 0, 65535),), "junos-uucp": ((17, 540, 540),),
    "junos-wais": ((6, 210, 210),), "junos-who": ((17, 513, 513),), "junos-whois": ((6, 43, 43),),
    "junos-winframe": ((6, 1494, 1494),), "junos-x-windows": ((6, 6000, 6063),),
    "junos-xnm-clear-text": ((6, 3221, 3221),), "junos-xnm-ssl": ((6, 3220, 3220),),
    # [APPS2]
    "junos-rdp": ((6, 3389, 3389),), "junos-stun-tcp": ((6, 3478, 3479),), "junos-stun-udp": ((17, 3478, 3479),),
    # [APPS2], ICMPv6 types and codes as RFC 4443 numbers them
    "junos-icmp6-dst-unreach-route": ((58, 1, 0),), "junos-icmp6-dst-unreach-admin": ((58, 1, 1),),
    "junos-icmp6-dst-unreach-beyond": ((58, 1, 2),), "junos-icmp6-dst-unreach-addr": ((58, 1, 3),),
    "junos-icmp6-dst-unreach-port": ((58, 1, 4),), "junos-icmp6-packet-too-big": ((58, 2, 0),),
    "junos-icmp6-packet-to-big": ((58, 2, 0),),  # (the name some releases spell so)
    "junos-icmp6-time-exceed-transit": ((58, 3, 0),), "junos-icmp6-time-exceed-reassembly": ((58, 3, 1),),
    "junos-icmp6-param-prob-header": ((58, 4, 0),), "junos-icmp6-param-prob-nexthdr": ((58, 4, 1),),
    "junos-icmp6-param-prob-option": ((58, 4, 2),), "junos-icmp6-echo-request": ((58, 128, -1),),
    "junos-icmp6-echo-reply": ((58, 129, -1),),
}

# predefined application sets whose members are known ([APPS]: CIFS is NetBIOS session + SMB)
PREDEFINED_SETS: dict[str, tuple[str, ...]] = {
    "junos-cifs": ("junos-netbios-session", "junos-smb-session"),
}

# predefined names whose ports are not certain here (ALGs, RPC/UUID matches, unpublished ports):
# the terms are what they surely include, if anything; a policy may match more (unknown)
UNCERTAIN: dict[str, tuple[T, ...]] = {
    "junos-smb": ((6, 139, 139), (6, 445, 445)), "junos-nfs": (), "junos-h323": (), "junos-sip": (),
    "junos-sccp": (), "junos-mgcp": (), "junos-mgcp-ca": (), "junos-mgcp-ua": (), "junos-realaudio": (),
    "junos-gtp": (), "junos-gprs-gtp-c": (), "junos-gprs-gtp-u": (), "junos-gprs-gtp-v0": (),
    "junos-gprs-sctp": (), "junos-internet-locator-service": (), "junos-ns-global": (),
    "junos-ns-global-pro": (), "junos-nsm": (), "junos-pc-anywhere": (), "junos-persistent-nat": (),
    "junos-r2cp": (), "junos-routing-inbound": (), "junos-stun": (), "junos-vdo-live": (), "junos-vnc": (),
    "junos-wxcontrol": (), "junos-ymsg": (),
}
# [APPS2]: Microsoft RPC (the endpoint mapper's port 135, then the ports it hands out, matched by the
# ms-rpc ALG and by interface UUID) and Sun RPC (the portmapper's port 111, then the ports it hands out,
# by program number): what such an application lets through is decided at run time
_MS_RPC = ("", "-any", "-epm", "-iis-com", "-iis-com-1", "-iis-com-adminbase", "-msexchange",
           "-msexchange-database", "-msexchange-directory", "-msexchange-directory-nsp",
           "-msexchange-directory-rfr", "-msexchange-info-store", "-tcp", "-udp", "-uuid-any-tcp", "-uuid-any-udp",
           "-wmic", "-wmic-admin", "-wmic-admin2", "-wmic-mgmt", "-wmic-webm-callresult", "-wmic-webm-classobject",
           "-wmic-webm-level1login", "-wmic-webm-login-clientid", "-wmic-webm-login-helper",
           "-wmic-webm-objectsink", "-wmic-webm-refreshing-services", "-wmic-webm-remote-refresher",
           "-wmic-webm-services", "-wmic-webm-shutdown")
_SUN_RPC = ("", "-any", "-tcp", "-udp", "-any-tcp", "-any-udp") + tuple(
    "-%s%s" % (prog, end) for prog in ("mountd", "nfs", "nfs-access", "nlockmgr", "portmap", "rquotad", "ruserd",
                                       "sadmind", "sprayd", "status", "walld", "ypbind", "ypserv")
    for end in ("", "-tcp", "-udp"))


def _rpc_terms(suffix: str, port: int, both: bool) -> tuple[T, ...]:
    """The port an RPC application starts at (TCP, UDP or both, as its name says)."""
    if suffix.endswith("-udp"):
        return ((17, port, port),)
    if suffix.endswith("-tcp") or not both:
        return ((6, port, port),)
    return ((6, port, port), (17, port, port))


UNCERTAIN.update({"junos-ms-rpc" + x: _rpc_terms(x, 135, x in ("", "-any")) for x in _MS_RPC})
UNCERTAIN.update({"junos-sun-rpc" + x: _rpc_terms(x, 111, True) for x in _SUN_RPC})

# [TELNET]: predefined applications whose default timeout is not the protocol's
PREDEFINED_TIMEOUTS: dict[str, int] = {"junos-telnet": 28800}

# the source ports of predefined applications ([APPS])
PREDEFINED_SPORTS = (1, 65535)


def protocol_timeout(proto: int) -> int:
    """[TIMEOUT] table 13: the protocol-based default inactivity timeout (seconds)."""
    return PROTOCOL_TIMEOUTS.get(proto, OTHER_TIMEOUT)

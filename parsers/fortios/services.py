"""FortiOS services: ``firewall service custom`` entries, service groups, predefined services.

A custom service is ``set protocol TCP/UDP/SCTP`` (the default) with port ranges, or
``ICMP``/``ICMP6`` with an optional type and code, or ``IP`` with a protocol number (0: every
protocol).  A port range is ``DST[:SRC]``, each ``LOW[-HIGH]``; a range without a source
part matches source ports 1-65535 (Fortinet's default, as Batfish models it:
``Service.DEFAULT_SOURCE_PORT_RANGE``; aerleon's generator relies on it too).  Changing
``protocol`` drops the settings of the former protocol (Batfish's ``service_custom`` test
config, "previously set protocol-values should be unset when protocol is changed").
``iprange`` narrows the service to those destination addresses; ``fqdn`` makes it unknown.

The predefined services are ``service custom`` entries of a full configuration; when a
policy names one that the input does not define (``show firewall policy`` output), it is
taken from ``PREDEFINED`` (Fortinet, "Services and TCP ports", FortiOS 5.2 Online Help,
and the FortiGate Administration Guide table "FortiGate predefined services"), checked against
the factory ``config firewall service custom`` that FortiOS 7.0 and 7.2 backups write (e.g.
``KERBEROS``: ``set tcp-portrange 88 464`` / ``set udp-portrange 88 464``, kpasswd with Kerberos).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.core.packets import ALL_ADDR, ALL_PORTS, ALL_PROTO, EMPTY, ISet

TCP, UDP, SCTP, ICMP, ICMP6 = 6, 17, 132, 1, 58
SRC_DEFAULT = ISet.of(1, 65535)


@dataclass(frozen=True)
class Svc:
    """One part of a service: protocols x source ports x destination ports, to ``dst``."""

    proto: ISet
    sport: ISet
    dport: ISet
    dst: ISet = ALL_ADDR


ANY_SVC = Svc(ALL_PROTO, ALL_PORTS, ALL_PORTS)


def _p(proto: int, dst: str, src: str = "") -> Svc:
    return Svc(ISet.of(proto), port_spec(src) if src else SRC_DEFAULT, port_spec(dst))


def _icmp(proto: int, t: int | None = None, code: int | None = None) -> Svc:
    return Svc(ISet.of(proto), ALL_PORTS, icmp_dport(t, code))


def _tu(port: str) -> tuple[Svc, ...]:
    return (_p(TCP, port), _p(UDP, port))


def number(word: str) -> int:
    """An integer setting (an ID, a timeout, an ICMP type, a route's distance ...) -> its value; ``ValueError``
    unless it is ASCII digits only.  Python's ``int()`` also reads other Unicode digits ('\u0663\u0666\u0660\u0660'
    as 3600), '+', '_' and blanks; the FortiOS CLI takes an integer in ASCII digits and refuses any other line."""
    if not (word.isascii() and word.isdigit()):
        raise ValueError("'%s' is not a number" % word)
    return int(word)


def port_spec(text: str) -> ISet:
    """``LOW[-HIGH]`` -> the port set (``ValueError`` when malformed or out of 0-65535)."""
    lo, sep, hi = text.partition("-")
    if not (lo.isascii() and lo.isdecimal()) or (sep and not (hi.isascii() and hi.isdecimal())):  # (ASCII digits only)
        raise ValueError("bad port range '%s'" % text)
    a, b = int(lo), int(hi) if sep else int(lo)
    if not 0 <= a <= 65535 or not 0 <= b <= 65535:
        raise ValueError("port out of range in '%s'" % text)
    if b < a:
        a, b = b, a
    return ISet.of(a, b)


def portrange(proto: int, args: list[str]) -> list[Svc]:
    """``set tcp-portrange 80 1000-2000:1024-65535 ...`` -> its parts."""
    out = []
    for a in args:
        dst, _, src = a.partition(":")
        out.append(Svc(ISet.of(proto), port_spec(src) if src else SRC_DEFAULT, port_spec(dst)))
    return out


def icmp_dport(t: int | None, code: int | None) -> ISet:
    """ICMP type/code in the destination-port dimension (type*256+code); None = any."""
    if t is None:
        return ALL_PORTS
    if code is None:
        return ISet.of(t * 256, t * 256 + 255)
    return ISet.of(t * 256 + code)


# Predefined services (name -> parts), for policies naming one the input does not define.
PREDEFINED: dict[str, tuple[Svc, ...]] = {
    "ALL": (ANY_SVC,),
    "ALL_TCP": (_p(TCP, "1-65535"),),
    "ALL_UDP": (_p(UDP, "1-65535"),),
    "ALL_ICMP": (_icmp(ICMP),),
    "ALL_ICMP6": (_icmp(ICMP6),),
    "GRE": (Svc(ISet.of(47), ALL_PORTS, ALL_PORTS),),
    "AH": (Svc(ISet.of(51), ALL_PORTS, ALL_PORTS),),
    "ESP": (Svc(ISet.of(50), ALL_PORTS, ALL_PORTS),),
    "OSPF": (Svc(ISet.of(89), ALL_PORTS, ALL_PORTS),),
    "AOL": (_p(TCP, "5190-5194"),),
    "BGP": (_p(TCP, "179"),),
    "DHCP": (_p(UDP, "67-68"),),
    "DNS": _tu("53"),
    "FINGER": (_p(TCP, "79"),),
    "FTP": (_p(TCP, "21"),),
    "FTP_GET": (_p(TCP, "21"),),
    "FTP_PUT": (_p(TCP, "21"),),
    "GOPHER": (_p(TCP, "70"),),
    "H323": (_p(TCP, "1720"), _p(TCP, "1503"), _p(UDP, "1719")),
    "HTTP": (_p(TCP, "80"),),
    "HTTPS": (_p(TCP, "443"),),
    "IKE": (_p(UDP, "500"), _p(UDP, "4500")),
    "IMAP": (_p(TCP, "143"),),
    "IMAPS": (_p(TCP, "993"),),
    "IRC": (_p(TCP, "6660-6669"),),
    "L2TP": _tu("1701"),
    "LDAP": (_p(TCP, "389"),),
    "LDAP_UDP": (_p(UDP, "389"),),
    "NetMeeting": (_p(TCP, "1720"),),
    "NFS": _tu("111") + _tu("2049"),
    "NNTP": (_p(TCP, "119"),),
    "NTP": _tu("123"),
    "PC-Anywhere": (_p(TCP, "5631"), _p(UDP, "5632")),
    "PING": (_icmp(ICMP, 8),),
    "PING6": (_icmp(ICMP6, 128),),
    "TIMESTAMP": (_icmp(ICMP, 13),),
    "INFO_REQUEST": (_icmp(ICMP, 15),),
    "INFO_ADDRESS": (_icmp(ICMP, 17),),
    "ONC-RPC": _tu("111"),
    "DCE-RPC": _tu("135"),
    "POP3": (_p(TCP, "110"),),
    "POP3S": (_p(TCP, "995"),),
    "PPTP": (_p(TCP, "1723"),),
    "RAUDIO": (_p(UDP, "7070"),),
    "REXEC": (_p(TCP, "512"),),
    "RIP": (_p(UDP, "520"),),
    "RLOGIN": (_p(TCP, "513", "512-1023"),),
    "RSH": (_p(TCP, "514", "512-1023"),),
    "SAMBA": (_p(TCP, "139"),),
    "SMB": (_p(TCP, "445"),),
    "CIFS": _tu("445"),
    "SMTP": (_p(TCP, "25"),),
    "SMTPS": (_p(TCP, "465"),),
    "SNMP": _tu("161-162"),
    "SSH": (_p(TCP, "22"),),
    "SYSLOG": (_p(UDP, "514"),),
    "TALK": (_p(UDP, "517-518"),),
    "TELNET": (_p(TCP, "23"),),
    "TFTP": (_p(UDP, "69"),),
    "UUCP": (_p(TCP, "540"),),
    "VDOLIVE": (_p(TCP, "7000-7010"),),
    "WAIS": (_p(TCP, "210"),),
    "WINFRAME": (_p(TCP, "1494"), _p(TCP, "2598")),
    "X-WINDOWS": (_p(TCP, "6000-6063"),),
    "MS-SQL": (_p(TCP, "1433"), _p(TCP, "1434")),
    "MYSQL": (_p(TCP, "3306"),),
    "RDP": (_p(TCP, "3389"),),
    "VNC": (_p(TCP, "5900"),),
    "KERBEROS": _tu("88") + _tu("464"),
    "RADIUS": (_p(UDP, "1812"), _p(UDP, "1813")),
    "RADIUS-OLD": (_p(UDP, "1645"), _p(UDP, "1646")),
    "SIP": _tu("5060"),
    "SCCP": (_p(TCP, "2000"),),
    "RTSP": (_p(TCP, "554"), _p(TCP, "7070"), _p(TCP, "8554"), _p(UDP, "554")),
    "SQUID": (_p(TCP, "3128"),),
    "TRACEROUTE": (_p(UDP, "33434-33535"),),
    "SOCKS": (_p(TCP, "1080"), _p(UDP, "1080")),
    "Internet-Locator-Service": (_p(TCP, "389"),),
    "QUAKE": (_p(UDP, "26000"), _p(UDP, "27000"), _p(UDP, "27910"), _p(UDP, "27960")),
    "SIP-MSNmessenger": (_p(TCP, "1863"),),
    "MGCP": (_p(UDP, "2427"), _p(UDP, "2727")),
    "DHCP6": (_p(UDP, "546"), _p(UDP, "547")),
    "WINS": _tu("1512"),
    "CVSPSERVER": _tu("2401"),
    "AFS3": _tu("7000-7009"),
    "MMS": (_p(TCP, "1755"), _p(UDP, "1024-5000")),
    "NONE": (),
}
PREDEFINED_LOWER = {k.lower(): v for k, v in PREDEFINED.items()}

__all__ = ["ANY_SVC", "EMPTY", "ICMP", "ICMP6", "PREDEFINED", "SCTP", "SRC_DEFAULT", "Svc", "TCP", "UDP",
           "icmp_dport", "port_spec", "portrange"]

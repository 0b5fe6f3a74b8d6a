"""Helpers and the Cisco documents the IOS tests cite.

Each behaviour a test checks is quoted from one of these (titles and addresses as found with
the project's search tool; the quotes are short):
"""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers.cisco_ios import parse

# "To define a standard IP access list ... access-list-number ... a decimal number from 1 to 99"
ACCESS_LIST_STANDARD = ("Cisco IOS command reference, 'access-list (standard)', "
                        "https://cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/"
                        "access-list.htm")
# "If the specified access list does not exist, all packets are passed." / "if a keyword is not
# specified, out is the default."
IP_ACCESS_GROUP = ("Cisco IOS command reference, 'ip access-group', "
                   "https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/"
                   "ip_access-group.htm")
# "An interface or command with an empty access list applied to it permits all traffic into the
# network." / "Inbound access lists process packets before packets are routed"
ACL_RULES = ("Cisco Catalyst 2960 Software Configuration Guide, 'Access List Rules', "
             "https://manualshive.com/en/manual/cisco/catalyst-2960-series/66776?page=1246")
# "An interface can have one primary IP address and multiple secondary IP addresses." / "secondary
# (Optional) Specifies that the configured address is a secondary IP address. If this keyword is omitted, the
# configured address is the primary IP address." (a copy of Cisco's command reference page, which it names:
# https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/...)
IP_ADDRESS = ("Cisco IOS command reference, 'ip address', "
              "https://scribd.com/document/712828975/Command-Reference-ip-address-secondary")
# "Using the Interface Command ... Procedures for Configuring Interfaces": 'interface' in global configuration
# mode enters the configuration mode of the interface named, whose settings the commands then change
INTERFACE_CMD = ("Cisco Catalyst 3550 Multilayer Switch Software Configuration Guide, 12.2(25)SEE, 'Configuring "
                 "Interface Characteristics', http://www.cisco.com/c/en/us/td/docs/switches/lan/catalyst3550/"
                 "software/release/12-2_25_see/configuration/guide/3550SCG/swint.html")
ACL_OVERVIEW = ("Cisco IOS Security Configuration Guide: Access Control Lists, 'IP Access List Overview', "
                "http://www.cisco.com/en/US/docs/ios-xml/ios/sec_data_acl/configuration/15-2mt/"
                "sec-access-list-ov.html")
# "Every IPv6 ACL has implicit permit icmp any any nd-na, permit icmp any any nd-ns, and deny ipv6
# any any statements as its last match conditions ... For the three implicit statements to take
# effect, an IPv6 ACL must contain at least one entry." / "By default, the first statement in an
# access list is number 10, and the subsequent statements are numbered in increments of 10."
IPV6_DENY = ("Cisco Catalyst 3750 Metro Switch Command Reference, 'deny (IPv6 access-list configuration)', "
             "https://manualshive.com/en/manual/cisco/catalyst-3750-metro/67620?page=99")
# "If a policy is not configured between a pair of zones, traffic is dropped by default."
ZBF_XE = ("Cisco IOS XE Security Configuration Guide, 'Zone-Based Policy Firewalls', "
          "https://cisco.com/en/US/docs/ios-xml/ios/sec_data_zbf/configuration/xe-3s/sec-zone-pol-fw.html")
# "Traffic is implicitly allowed to flow by default among interfaces that are members of the
# same zone." "The self zone is the only exception to the default deny-all policy. All traffic to
# any router interface is allowed until traffic is explicitly denied." "Traffic cannot flow
# between a zone member interface and any interface that is not a zone member." (taken from the
# Zone-Based Policy Firewall Design Guide)
ZBF_RULES = ("Cisco Router and Security Device Manager 2.5 User's Guide, ch. 34 'Zone-Based Policy Firewall', "
             "https://manualsdump.com/en/manuals/cisco_systems-2.5/121791/778")
ZBF_GUIDE = ("Cisco, 'Zone-Based Policy Firewall Design and Application Guide', Document ID 98628, "
             "https://www.cisco.com/c/dam/en/us/support/docs/security/ios-firewall/98628-zone-design-guide-01.pdf")
# "To specify the TCP idle timeout ... To reset the timeout to the default of 3600 seconds (1 hour)"
TCP_IDLE = ("Cisco IOS Security Command Reference, 'ip inspect tcp idle-time' (the timer the inspect "
            "parameter map's 'tcp idle-time' sets), "
            "https://www.yumpu.com/en/document/view/20372101/cisco-ios-security-command-reference/1056")
# Inside-to-outside: check input access list, ..., routing, NAT inside to outside, check output
# access list; outside-to-inside: check input access list, NAT outside to inside, routing, ...,
# check output access list.
NAT_ORDER = ("Cisco, 'NAT Order of Operation', Document ID 6209 (table reproduced in 'Cisco Router "
             "Firewall Security', Table 12-1, http://www.remoteaccess.org.ua/1587200732_ch12lev1sec3.html)")
# reflexive entries: 'ip reflexive-list timeout seconds', default 300 seconds
REFLEXIVE = ("Cisco IOS Security Configuration Guide, 'Configuring IP Session Filtering (Reflexive Access "
             "Lists)', http://www.shrubbery.net/cisco/cc/td/doc/product/software/ios121/121sup/121csum1/121cssec/"
             "ssdreflx.htm")

HEAD = "version 17.3\nhostname r1\n"


def cfg(text: str, head: str = HEAD):
    """Parse an IOS config (with a version line in front)."""
    return parse(head + text, "r.cfg")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``needle`` in ``HEAD + text``."""
    for n, line in enumerate((HEAD + text).splitlines(), 1):
        if line.strip() == needle.strip():
            return n
    raise AssertionError(needle)


def decide(c, src, dst, proto="tcp", dport=80, sport=None, acl=None) -> dict:
    """The decision for one packet, through one filter (``acl``) or the device's paths."""
    return decision_json(c, make_packet(src, dst, proto, sport, dport), acl)

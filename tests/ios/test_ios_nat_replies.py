"""The replies of a connection an IOS router source-translates are addressed to the global address.

Cisco, "NAT Order of Operation" (Document ID 6209): inside to outside, "check input access list ...
routing ... NAT inside to outside (local to global translation) ... check output access list"; outside to
inside, "check input access list ... NAT outside to inside (global to local translation) ... routing ...
check output access list".  So a reply from the outside to a translated inside host meets the outside
interface's inbound list with the global address as its destination, and is routed, and meets the inside
interface's outbound list, with the local one.  IOS access lists are stateless: a required flow passes only
when its replies do too.
"""

from __future__ import annotations

from auditor.api import audit
from auditor.policy import load_site
from parsers.cisco_ios import parse

BASE = """hostname R1
!
interface GigabitEthernet0/0
 ip address 10.20.0.1 255.255.255.0
 ip nat inside
{inside_acl}!
interface GigabitEthernet0/1
 ip address 203.0.113.2 255.255.255.0
 ip nat outside
 ip access-group OUTSIDE-IN in
!
ip nat inside source static 10.20.0.10 203.0.113.10
ip route 0.0.0.0 0.0.0.0 203.0.113.1
!
ip access-list extended OUTSIDE-IN
 permit tcp any host {reply_to} established
 deny ip any any
{more}!
end
"""
SITE = load_site(None, ["primary=10.20.0.10", "kodak_cloud=198.51.100.0/24"])


def _renewal(text: str) -> tuple[str, int | None]:
    """The license renewal flow's status (primary -> kodak_cloud, 443/tcp) and the line of its finding."""
    res = audit([parse(text, "r1.cfg")], SITE)
    found = [f for f in res.findings if f.rule_id == "PRN100"]
    return ("blocked", found[0].source.line) if found else ("pass", None)


def test_the_outside_inbound_list_sees_the_replies_global_address():
    # permitting the replies to the global address lets the flow through
    assert _renewal(BASE.format(inside_acl="", reply_to="203.0.113.10", more="")) == ("pass", None)
    # permitting them to the local address does not: the list sees the global one, and its deny drops them
    # (the audit said pass: it checked the replies against the local address)
    assert _renewal(BASE.format(inside_acl="", reply_to="10.20.0.10", more="")) == ("blocked", 17)


def test_the_replies_are_routed_to_the_inside_host_and_meet_its_outbound_list():
    # translated back before routing: the inside interface's outbound list decides them, with the local address
    inside = " ip access-group INSIDE-OUT out\n"
    more = "ip access-list extended INSIDE-OUT\n deny tcp any host 10.20.0.10 established\n permit ip any any\n"
    text = BASE.format(inside_acl=inside, reply_to="203.0.113.10", more=more)
    assert _renewal(text) == ("blocked", 20)
    assert _renewal(text.replace("deny tcp any host 10.20.0.10", "deny tcp any host 10.20.0.99")) == ("pass", None)

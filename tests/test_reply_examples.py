"""PRN100's example packet where the replies of a required flow are dropped."""

from auditor.api import audit
from auditor.core.packets import format_packet
from auditor.policy import load_site
from parsers import parse_text

# A router's access lists are stateless: the replies of a permitted connection need their own permit.  Where
# they are dropped, PRN100's example is a reply packet: to the client's port as a client picks it (49152), not
# the lowest port of the replies' set.
IOS_REPLIES = """hostname r1
interface GigabitEthernet1
 ip address 10.1.0.1 255.255.0.0
 ip access-group WS in
interface GigabitEthernet2
 ip address 10.2.0.1 255.255.255.0
 ip access-group SRV in
ip access-list extended WS
 permit tcp 10.1.0.0 0.0.255.255 host 10.2.0.10 eq 445
ip access-list extended SRV
 permit udp any any
"""


def test_a_dropped_reply_is_shown_to_the_clients_port():

    site = load_site(None, ["workshop=10.1.0.5", "primary=10.2.0.10"])
    found = [f for f in audit([parse_text(IOS_REPLIES, "r.cfg")], site).findings
             if f.rule_id == "PRN100" and "445/tcp" in f.message]
    assert [(f.source.line, format_packet(f.example)) for f in found] == [(11, "tcp 10.2.0.10:445 -> 10.1.0.5:49152")]
    assert "replies are dropped" in found[0].message

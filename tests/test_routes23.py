"""Routes the configuration does not settle: tracked static routes, a DHCP-learned default route beside a
static one, and PAN-OS interfaces that are DHCP clients (``Config.unsettled_routes``, ``Config.learned_routes``).

Documents cited:

* [ASA-TRACK] Cisco ASA Series CLI Configuration Guide, "Configuring Static and Default Routes" >
  "Monitoring a Static or Default Route" (https://www.cisco.com/en/US/docs/security/asa/asa84/configuration/
  guide/route_static.html and later releases): "If an echo reply is not received within a specified time
  period, the object is considered down and the associated route is removed from the routing table. A
  previously configured backup route is used in place of the removed route"; "You can configure static
  route tracking for statically defined routes or default routes obtained through DHCP or PPPoE".
* [IOS-TRACK] Cisco, "Reliable Static Routing Backup Using Object Tracking" (IP SLAs configuration guide):
  a static route with ``track N`` is in the routing table only while the tracked object is up.
* [PAN-DHCP] PAN-OS, "Configure an Interface as a DHCP Client" (https://docs.paloaltonetworks.com/pan-os/
  10-1/pan-os-networking-admin/dhcp): "Automatically create default route pointing to default gateway
  provided by server" (create-default-route, on by default; default-route-metric); and "Default Route
  Behavior When Using an Interface Acting as DHCP Client" (https://live.paloaltonetworks.com/t5/
  Management-Articles/Default-Route-Behavior-When-Using-an-Interface-Acting-as-DHCP/ta-p/59558): "When
  there are two default routes with the same metric value, the first installed route will take more
  preference".  The interface's address, its network and that route are learned at run time.
* [ASA-DHCP] the distance of the route 'ip address dhcp setroute' learns: no Cisco document was found that
  says which of it and a static default route of the same distance the ASA installs; the model takes
  distance 1 (tests/test_cisco23.py), so such a tie is left unknown, and 'dhcp client route distance N'
  (an interface sub-command) is reported, not modelled.
"""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from auditor.core.model import Impact
from parsers import parse_text


def decide(c, src: str, dst: str, dport: int = 445) -> dict:
    return decision_json(c, make_packet(src, dst, "tcp", 40000, dport))


def line_of(text: str, needle: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)


# --- 1. ASA 'route ... track N' ----------------------------------------------------------------------
# outside: the primary ISP; backup: a second ISP whose outbound list drops everything; inside permits all
ASA = """ASA Version 9.16(1)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 {outside_addr}
{outside_more}interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/2
 nameif backup
 security-level 0
 ip address 198.51.100.1 255.255.255.0
access-list IN extended permit ip any any
access-group IN in interface inside
access-list BK extended deny ip any any
access-group BK out interface backup
{routes}"""


def asa(routes: str, outside_addr: str = "ip address 192.0.2.1 255.255.255.0", outside_more: str = ""):
    text = ASA.format(routes=routes, outside_addr=outside_addr, outside_more=outside_more)
    return text, parse_text(text, "fw.cfg")


def test_asa_tracked_default_route_with_a_backup_is_unknown_at_its_line():
    text, c = asa("route outside 0.0.0.0 0.0.0.0 192.0.2.254 1 track 1\n"
                  "route backup 0.0.0.0 0.0.0.0 198.51.100.254 254\n")
    assert c.vendor == "cisco-asa" and not c.unrecognized
    # [ASA-TRACK] while the SLA is up the tracked route sends 203.0.113.9 out of outside (permit); when it
    # fails the backup route sends it out of backup, whose list drops it (before: permit, by the tracked
    # route alone)
    got = decide(c, "10.1.0.20", "203.0.113.9")
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "track 1")
    assert "tracked" in got["reason"]
    # the connected networks are routed alike whatever the SLA's state: decided
    assert decide(c, "10.1.0.20", "192.0.2.9")["decision"] == "permit"
    assert decide(c, "10.1.0.20", "198.51.100.9")["decision"] == "deny"
    # without 'track' the route is always there: decided as before
    _t, plain = asa("route outside 0.0.0.0 0.0.0.0 192.0.2.254 1\nroute backup 0.0.0.0 0.0.0.0 198.51.100.254 254\n")
    assert not plain.unsettled_routes and decide(plain, "10.1.0.20", "203.0.113.9")["decision"] == "permit"


def test_asa_tracked_route_narrowed_to_what_its_withdrawal_moves():
    # a tracked route to 10.50.0.0/16 through inside: withdrawn, the default route takes it out of outside
    text, c = asa("route outside 0.0.0.0 0.0.0.0 192.0.2.254\nroute inside 10.50.0.0 255.255.0.0 10.1.0.254 track 3\n")
    got = decide(c, "192.0.2.9", "10.50.0.1")
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "track 3")
    # the rest of the default route's destinations are not the tracked route's: decided
    assert decide(c, "10.1.0.20", "203.0.113.9")["decision"] == "permit"
    # a backup through the same interface: the withdrawal changes no interface, nothing is unknown
    _t, same = asa("route outside 0.0.0.0 0.0.0.0 192.0.2.254 1 track 1\nroute outside 0.0.0.0 0.0.0.0 192.0.2.253 5\n")
    assert not same.unsettled_routes and decide(same, "10.1.0.20", "203.0.113.9")["decision"] == "permit"


def test_asa_tracked_route_without_backup_leaves_its_destinations_unrouted_or_not():
    # no backup: withdrawn, 203.0.113.9 is routed nowhere (the ASA drops it: "No route to"); not a permit
    text, c = asa("route outside 0.0.0.0 0.0.0.0 192.0.2.254 track 1\n")
    got = decide(c, "10.1.0.20", "203.0.113.9")
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "track 1")


# --- 2. ASA 'ip address dhcp setroute' beside a static default route --------------------------------

def test_asa_dhcp_default_route_tied_with_a_static_default_route_is_unknown():
    text, c = asa("route backup 0.0.0.0 0.0.0.0 198.51.100.254\n", outside_addr="ip address dhcp setroute")
    # [ASA-DHCP] the DHCP route (distance 1, out of outside) and the static default route (distance 1, out of
    # backup, which drops everything): which one the ASA installs is not settled (before: the DHCP route, the
    # first written, decided permit)
    got = decide(c, "10.1.0.20", "203.0.113.9")
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "route backup")
    assert "same distance" in got["reason"]
    assert decide(c, "10.1.0.20", "198.51.100.9")["decision"] == "deny"  # (connected: decided)
    # of different distances the lower is the route: decided
    _t, c = asa("route backup 0.0.0.0 0.0.0.0 198.51.100.254 5\n", outside_addr="ip address dhcp setroute")
    assert not c.unsettled_routes and decide(c, "10.1.0.20", "203.0.113.9")["decision"] == "permit"


def test_asa_interface_dhcp_client_route_track_and_distance():
    # the interface sub-command (as the ASA writes it in the interface block) was ignored as a DHCP setting
    text, c = asa("route backup 0.0.0.0 0.0.0.0 198.51.100.254 5\n", outside_addr="ip address dhcp setroute",
                  outside_more=" dhcp client route track 1\n")
    # [ASA-TRACK] the DHCP route is withdrawn with its object: then the backup route (distance 5) drops it
    got = decide(c, "10.1.0.20", "203.0.113.9")
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "dhcp client route track")
    text, c = asa("route backup 0.0.0.0 0.0.0.0 198.51.100.254 5\n", outside_addr="ip address dhcp setroute",
                  outside_more=" dhcp client route distance 10\n")
    # its distance is not modelled: reported, every verdict unknown (at distance 10 the backup route wins)
    assert [(d.source.line, d.impact) for d in c.unrecognized] == \
        [(line_of(text, "dhcp client route distance"), Impact.GLOBAL)]
    assert decide(c, "10.1.0.20", "203.0.113.9")["decision"] == "unknown"


# --- 1b. IOS 'ip route ... track N' --------------------------------------------------------------------

IOS = """hostname r1
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/2
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/3
 ip address 198.51.100.1 255.255.255.0
 ip access-group BLOCK out
{routes}ip access-list extended BLOCK
 deny ip any any
"""


def test_ios_tracked_route_is_unknown_where_its_backup_leads_elsewhere():
    text = IOS.format(routes="ip route 0.0.0.0 0.0.0.0 192.0.2.254 track 1\n"
                             "ip route 0.0.0.0 0.0.0.0 198.51.100.254 10\n")
    c = parse_text(text, "r1.cfg")
    assert c.vendor == "cisco-ios" and not c.unrecognized
    # [IOS-TRACK] before: permit out of Gi0/2 by the tracked route alone; the backup leaves by Gi0/3 (denied)
    got = decide(c, "10.1.0.20", "203.0.113.9")
    assert got["decision"] == "unknown" and got["default_line"] == line_of(text, "track 1")
    assert decide(c, "10.1.0.20", "192.0.2.9")["decision"] == "permit"
    # a tracked route whose withdrawal hands its prefix to a route through the same interface: decided
    text = IOS.format(routes="ip route 0.0.0.0 0.0.0.0 192.0.2.254\n"
                             "ip route 10.50.0.0 255.255.0.0 192.0.2.253 track 1\n")
    c = parse_text(text, "r1.cfg")
    assert not c.unsettled_routes and decide(c, "10.1.0.20", "10.50.0.10")["decision"] == "permit"
    # a route whose next hop only the tracked route reaches goes with it
    text = IOS.format(routes="ip route 0.0.0.0 0.0.0.0 192.0.2.254\n"
                             "ip route 10.60.0.0 255.255.0.0 198.51.100.9 track 2\n"
                             "ip route 10.70.0.0 255.255.0.0 10.60.0.1\n")
    c = parse_text(text, "r1.cfg")
    for dst in ("10.60.0.5", "10.70.0.5"):
        assert decide(c, "10.1.0.20", dst)["decision"] == "unknown", dst


# --- 3. PAN-OS interface as a DHCP client ------------------------------------------------------------

PAN = """\
set deviceconfig system hostname site-fw
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 dhcp-client create-default-route yes
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ]
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set zone untrust network layer3 ethernet1/3
set rulebase security rules ws from workshop
set rulebase security rules ws to servers
set rulebase security rules ws source any
set rulebase security rules ws destination any
set rulebase security rules ws application any
set rulebase security rules ws service any
set rulebase security rules ws action allow
"""


def test_panos_dhcp_client_narrows_the_doubt_to_what_it_can_route():
    c = parse_text(PAN, "fw.set")
    dhcp = line_of(PAN, "dhcp-client")
    # [PAN-DHCP] its learned default route and network may take any address but the other interfaces'
    # connected networks: those packets unknown at its line (before: every verdict unknown, CFG300 global)
    assert not c.verdict_affecting()
    assert [s.line for s in c.learned_routes] == [dhcp]
    got = decide(c, "10.30.0.5", "8.8.8.8")
    assert got["decision"] == "unknown" and got["default_line"] == dhcp
    # between the statically addressed networks, decided: the workshop rule permits
    assert decide(c, "10.30.0.5", "10.20.0.10")["decision"] == "permit"
    assert decide(c, "10.20.0.10", "10.30.0.5")["decision"] == "deny"  # (interzone default)


def test_panos_only_dhcp_interfaces_stay_reported():
    # no interface has a network of its own: the DHCP networks may be any address, nothing is settled
    text = PAN.replace("layer3 ip 10.20.0.1/24", "layer3 dhcp-client").replace("layer3 ip 10.30.0.1/24",
                                                                                  "layer3 dhcp-client")
    c = parse_text(text, "fw.set")
    assert len(c.verdict_affecting()) == 3
    assert decide(c, "10.30.0.5", "10.20.0.10")["decision"] == "unknown"

"""Session 27: a path's later stage decides the packets an earlier stage leaves unknown where that stage can only
pass them on as they are or drop them.  Whatever the earlier stage does, a later stage that certainly drops the
packets drops them; one that permits them leaves them unknown at the earlier line.

The expected decisions are written from the vendors' documents on the order of the stages, not from the tool:
- Microsoft, "How network security groups filter network traffic"
  (https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works): "For inbound traffic,
  Azure processes the rules in a network security group associated to a subnet first, if there's one, and then the
  rules in a network security group associated to the network interface"; traffic must be allowed by both.
- Cisco, "ASA Series Firewall CLI Configuration Guide", "Access Control Lists" / "access-group": an interface's
  inbound access list is applied as the traffic enters, the egress interface's outbound list as it leaves; both
  must permit it.
- AWS, "Control subnet traffic with network access control lists"
  (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html): network ACLs are stateless, "responses
  to allowed inbound traffic are subject to the rules for outbound traffic"; a security group (stateful) and the
  subnet's network ACL must both allow the traffic.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path as FsPath

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import explain
from auditor.core.model import Action, Config, Filter, Path, Rule, Source, Stage
from auditor.core.packets import Cube, ISet, PacketSet, cube
from auditor.engine import DENY, PERMIT, UNKNOWN, decide_packet, evaluate
from parsers import parse_text

sys.path.insert(0, str(FsPath(__file__).parent))

R = 4
UNIVERSE = list(itertools.product(range(R), repeat=5))
dim = st.tuples(st.integers(0, R - 1), st.integers(0, R - 1)).map(lambda t: ISet.of(min(t), max(t)))
cubes = st.builds(Cube, dim, dim, dim, dim, dim)
rules = st.lists(st.tuples(st.sampled_from([Action.PERMIT, Action.DENY]), st.lists(cubes, max_size=2),
                           st.lists(cubes, max_size=1), st.booleans()), max_size=4)
stage_spec = st.tuples(rules, st.sampled_from([Action.PERMIT, Action.DENY]))


def _filter(name: str, spec) -> Filter:
    return Filter(name, tuple(Rule(name, i, a, PacketSet(cs), Source("t.cfg", 10 * ord(name[0]) + i, "r"),
                                   maybe=PacketSet(mb), sure_action=sure)
                              for i, (a, cs, mb, sure) in enumerate(spec)))


def _ways(f: Filter, default: Action, pkt, plain: bool) -> tuple[set, tuple | None]:
    """What one stage may do with ``pkt`` in every world (each uncertain rule matching or not): a set of
    'permit', 'deny' and 'other' (a rule of unknown action where the device's rules may do more than permit or
    deny), and the first uncertain rule the packet reaches."""
    ways: set = set()
    first = None
    for r in f.rules:
        if r.match.contains(pkt):
            ways.add("permit" if r.action is Action.PERMIT else "deny")
            return ways, first
        if r.maybe.contains(pkt):
            first = first or (f.name, r.index)
            if not r.sure_action:
                ways |= {"permit", "deny"} if plain else {"other"}
                if not plain:
                    return ways, first
            else:
                ways.add("permit" if r.action is Action.PERMIT else "deny")
    ways.add("permit" if default is Action.PERMIT else "deny")
    return ways, first


def _brute(stages, pkt, plain: bool) -> tuple[str, tuple | None]:
    """The path's decision over every world: certain when all worlds agree, else unknown at the first uncertain
    line of the first stage that is not certain to permit."""
    outcomes = {"permit"}
    line = None
    for f, default in stages:
        ways, first = _ways(f, default, pkt, plain)
        going = "permit" in outcomes
        outcomes = (outcomes - {"permit"}) | (ways if going else set())
        if going and ways != {"permit"} and line is None and first is not None:
            line = first
        if "other" in outcomes:
            break
    if outcomes == {"permit"}:
        return PERMIT, None
    if outcomes == {"deny"}:
        return DENY, None
    return UNKNOWN, line


KINDS = {PERMIT, DENY}


@settings(max_examples=150, deadline=None)
@given(st.lists(stage_spec, min_size=2, max_size=3), st.booleans())
def test_stages_equal_every_world_and_the_one_packet_path(specs, plain):
    # (``plain``: a device whose rules only pass or drop, ``Config.verdicts_only``, as the parsers of Azure, AWS,
    # ASA, IOS, PAN-OS and Check Point say; else a rule of uncertain action may do anything to the packet)
    filters = [_filter(n, spec) for n, (spec, _d) in zip("FGH", specs)]
    stages = tuple(Stage(f.name, (f.name,), d, Source("t.cfg", 1, "end"), "end") for f, (_s, d) in zip(filters, specs))
    cfg = Config("t.cfg", "test", 1, {f.name: f for f in filters}, (Path(None, None, stages),), verdicts_only=plain)
    outs = evaluate(cfg, PacketSet([cube(*(ISet.of(0, R - 1) for _ in range(5)))]))
    for pkt in UNIVERSE[::5]:
        hits = [o for o in outs if o.packets.contains(pkt)]
        assert len(hits) == 1, "outcomes must partition the input"
        kind, line = _brute([(f, d) for f, (_s, d) in zip(filters, specs)], pkt, plain)
        one = decide_packet(cfg, pkt)
        for o in (hits[0], one):
            assert o.kind == kind
            if kind == UNKNOWN:
                assert (o.rule.filter, o.rule.index) == line
            assert not o.onward


def test_the_parsers_of_devices_whose_rules_only_pass_or_drop_say_so():
    # the flag the engine reads is each parser's: on for the six, off where a rule may redirect, mark or queue
    from parsers import parse_text

    on = {"examples/prinergy-site/asa.cfg", "examples/ios-site/ios.cfg", "examples/panos-site/running-config.xml"}
    off = {"examples/junos-site/srx.conf", "examples/fortios-site/fortigate.conf", "examples/pfsense-site/config.xml"}
    for path in on | off:
        text = FsPath(path).read_text()
        assert parse_text(text, path).verdicts_only == (path in on), path


# --- the vendors ---------------------------------------------------------------------------------------------

def test_azure_subnet_nsg_unknown_then_nic_nsg_denies():
    # the brief's reproducer: the host's subnet NSG is nsg-web or nsg-db (not known which: unknown), its interface's
    # NSG is nsg-db, which denies everything inbound: denied, whatever the subnet's NSG does
    from test_s26_cloud import _decide
    from test_s27_cloud import DB, OUTSIDE, SRV, WEB, _nic
    from test_s27_cloud2 import _one

    cfg = _one(("nsgs.json", [WEB, DB]), ("nics.json", [_nic("vm1-nic", SRV, "nsg-db")]))
    assert _decide(cfg, OUTSIDE, SRV) == "deny"
    # the interface's NSG allowing SMB: the subnet's NSG decides, and which it is is not known
    from test_s27_cloud import _az_nsg, _az_rule
    nic = _az_nsg("nsg-nic", [_az_rule("allow-smb", 100, "Allow", "445")])
    cfg = _one(("nsgs.json", [WEB, DB, nic]), ("nics.json", [_nic("vm1-nic", SRV, "nsg-nic")]))
    assert _decide(cfg, OUTSIDE, SRV) == "unknown"


ASA = """hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.1 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.1.1.1 255.255.255.0
object network WWW
 fqdn www.example.com
access-list IN extended permit tcp any object WWW
access-list IN extended deny ip any any
access-list OUT extended deny tcp any any eq 445
access-list OUT extended permit ip any any
access-group IN in interface outside
access-group OUT out interface inside
route outside 0.0.0.0 0.0.0.0 203.0.113.254
"""


def _asa(src, dst, dport):
    return explain(parse_text(ASA, "fw.cfg"), src, dst, "tcp", 40000, dport)


def test_asa_inbound_fqdn_unknown_then_outbound_acl_denies():
    # inbound on outside: the FQDN object's addresses are resolved at run time (unknown whether 10.1.1.20 is one of
    # them); outbound on inside, OUT denies 445: whatever IN does, the packet to 445 is dropped as it leaves
    assert _asa("198.51.100.7", "10.1.1.20", 445)["decision"] == "deny"
    d = _asa("198.51.100.7", "10.1.1.20", 443)
    # OUT permits 443: the FQDN line decides, and whether it matches is not known
    assert d["decision"] == "unknown" and d["line"] == 12 and d["stage"] == "in:outside"


ASA_OPAQUE = ASA.replace("access-list IN extended permit tcp any object WWW\n",
                         "access-list IN extended permit tcp any object-group-user SALES any eq 445\n")


def test_asa_inbound_line_not_understood_then_outbound_denies():
    cfg = parse_text(ASA_OPAQUE, "fw.cfg")
    assert explain(cfg, "198.51.100.7", "10.1.1.20", "tcp", 40000, 445)["decision"] == "deny"
    assert explain(cfg, "198.51.100.7", "10.1.1.20", "tcp", 40000, 80)["decision"] == "unknown"


def test_aws_security_group_unknown_then_network_acl_denies():
    # outbound the instance's security group, then its subnet's network ACL: the group allows 443 to a prefix list
    # whose addresses the input does not hold (unknown); the subnet's ACL lets out only ports 1024-65535: the
    # packet to 443 is dropped whatever the group does
    from test_s26_cloud import _decide
    from test_s27_cloud import OUTSIDE, SERVERS, SRV, SUBNETS, _input

    from parsers import aws

    sg = {"GroupId": "sg-1", "GroupName": "srv", "IpPermissions": [], "IpPermissionsEgress": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-0123abcd"}]},
        {"IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443,
         "PrefixListIds": [{"PrefixListId": "pl-0123abcd"}]}]}
    data = json.loads(_input([SERVERS], SUBNETS))
    data["SecurityGroups"] = [sg]
    cfg = aws.parse(json.dumps(data, indent=4), "all.json")
    assert _decide(cfg, SRV, OUTSIDE, 443) == "deny"
    assert _decide(cfg, SRV, OUTSIDE, 8443) != "permit"


IPT_TPROXY = """# Generated by iptables-save v1.8.7
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp --dport 80 -j TPROXY --on-port 3129 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
"""


def test_linux_a_rule_that_may_divert_the_packet_keeps_it_unknown():
    # fail closed: a TPROXY rule hands the packet to a local socket (the kernel's Documentation/networking/
    # tproxy.rst: marked packets are routed to the local host), so FORWARD's DROP policy never sees it; a later
    # stage is not consulted for what such a rule may do
    cfg = parse_text(IPT_TPROXY, "rules.v4")
    d = explain(cfg, "198.51.100.7", "10.0.0.5", "tcp", 40000, 80)
    assert d["decision"] == "unknown" and d["line"] == 8
    assert explain(cfg, "198.51.100.7", "10.0.0.5", "tcp", 40000, 22)["decision"] == "deny"


IOS_ZBF = """hostname r1
time-range WORK
 periodic weekdays 8:00 to 18:00
!
zone security OUTSIDE
zone security INSIDE
!
interface GigabitEthernet0/0
 ip address 203.0.113.1 255.255.255.0
 ip access-group IN in
 zone-member security OUTSIDE
!
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
 zone-member security INSIDE
!
ip access-list extended IN
 permit tcp any any eq 80 time-range WORK
 deny ip any any
!
ip route 0.0.0.0 0.0.0.0 203.0.113.254
end
"""


def test_ios_inbound_acl_time_range_unknown_then_no_zone_pair_drops():
    # Cisco, "Zone-Based Policy Firewall Design and Application Guide": "All traffic to/from a given interface is
    # implicitly blocked when the interface is assigned to a zone", "To permit traffic to/from a zone member
    # interface, a policy allowing or inspecting traffic must be configured between that zone and any other zone";
    # the interface's inbound access list only permits or denies, the packet unchanged.  The time-ranged line
    # leaves port 80 unknown at the list; with no zone-pair OUTSIDE->INSIDE the packet is dropped whatever the list
    # does
    cfg = parse_text(IOS_ZBF, "r1.cfg")
    d = explain(cfg, "198.51.100.7", "10.1.1.20", "tcp", 40000, 80)
    assert d["decision"] == "deny" and d["stage"] == "zones OUTSIDE->INSIDE"


def test_pfsense_scheduled_pass_in_then_floating_block_out_denies():
    # pf filters a forwarded packet twice, as it comes in on one interface and as it goes out of the other
    # (pf.conf(5): a rule applies to incoming or outgoing packets, 'in' or 'out'; Netgate, "Floating Rules": rules
    # that apply in the outbound direction, on the interface the packet leaves by).  LAN's pass rule is in force only
    # at its schedule's times (unknown); a quick floating block out on WORKSHOP of TCP to its network drops the
    # packet as it leaves, whatever LAN's rule does.  Without the floating rule the schedule decides (unknown).
    sys.path.insert(0, str(FsPath(__file__).parent / "pfsense"))
    from pf_helpers import floating, parse, pfsense, rule

    sched = ("\n\t<schedules>\n\t\t<schedule>\n\t\t\t<name>WORKHOURS</name>\n\t\t\t<timerange>\n"
             "\t\t\t\t<position>1,2,3,4,5</position>\n\t\t\t\t<hour>8:00-18:00</hour>\n\t\t\t</timerange>\n"
             "\t\t</schedule>\n\t</schedules>")
    lan = rule("lan", "pass", "<network>lan</network>", "<any/>", "tcp", "work", "<sched>WORKHOURS</sched>")
    block = floating("block", True, "out", "opt1", "tcp", dst="<network>opt1</network>", descr="no smb")
    cfg = parse(pfsense(lan + block, extra=sched))
    assert explain(cfg, "10.20.0.5", "10.30.0.5", "tcp", 40000, 445)["decision"] == "deny"
    cfg = parse(pfsense(lan, extra=sched))
    assert explain(cfg, "10.20.0.5", "10.30.0.5", "tcp", 40000, 445)["decision"] == "unknown"

"""PRN120 where the device translates addresses: a timeout tied to a rule is matched in the form of the
packets that rule's stage sees (``Stage.sees``: as sent, as routed after destination NAT, or after source
NAT too), whatever form another stage of the path makes the engine compute.

Before, the check matched every timeout against the packets after all NAT: a zone firewall's class timeout,
written for the untranslated packets, stopped applying as soon as an outbound access list (which sees the
source-translated packets) was on the path, and a per-rule timeout of a firewall whose rules see the packets
as sent (PAN-OS, Check Point) never applied to destination-NATted connections: the shorter timeout was
missed, a wrong pass."""

from dataclasses import replace

from test_idle_timeout import SITE, SRV, TCP, WS, src

from auditor.api import audit
from auditor.core.model import Action, Config, Filter, Interface, Nat, NatRule, Path, Rewrite, Rule, Stage, Timeout
from auditor.core.packets import PROTO_TCP, ISet, PacketSet, cube, parse_network
from parsers import parse_text

MAPPED = parse_network("192.0.2.0/24")  # the servers' block as the workshop addresses it (destination NAT)


def prn120(cfg) -> list[int]:
    return sorted(f.source.line for f in audit([cfg], SITE).findings if f.rule_id == "PRN120")


def device(sees: str, timeouts, *, dnat: bool, out_acl: bool = False) -> Config:
    """A zone pair ws -> srv whose rule (line 10) permits the workshop to the servers, in the form ``sees``
    (the servers' mapped block where that form is before the destination NAT), then optionally an outbound
    access list that sees the packets after all NAT; a destination NAT of MAPPED onto SRV."""
    dst = MAPPED if dnat and sees == "sent" else SRV
    rule = Rule("zp", 0, Action.PERMIT, PacketSet([cube(src=WS, dst=dst, proto=ISet.of(PROTO_TCP))]),
                src(10, "permit workshop -> servers"))
    # (an inbound access list first: the outcome names its line, so the zone rule's timeout is found by
    # running the zone stage on the packets in the form it sees)
    acl = Rule("IN", 0, Action.PERMIT, PacketSet([cube()]), src(6, "permit ip any any"))
    filters = {"IN": Filter("IN", (acl,)), "zp": Filter("zp", (rule,))}
    stages = [Stage("in:ws", ("IN",), Action.DENY, src(7), "acl", stateful=False, sees="sent"),
              Stage("zp", ("zp",), Action.DENY, src(2), "zone default", sees=sees)]
    if out_acl:
        out = Rule("OUT", 0, Action.PERMIT, PacketSet([cube()]), src(20, "permit ip any any"))
        filters["OUT"] = Filter("OUT", (out,))
        stages.append(Stage("out:srv", ("OUT",), Action.DENY, src(21), "acl", sees="final"))
    paths = (Path("ws", "srv", tuple(stages)), Path("srv", "ws", (Stage("zp2", (), Action.DENY, src(3), "zone"),)),
             Path("ws", "ws", (), crosses=False), Path("srv", "srv", (), crosses=False))
    ifaces = (Interface("ws", WS, src(4)), Interface("srv", SRV.union(MAPPED), src(5)))
    nat = ()
    if dnat:
        off = SRV.iv[0][0] - MAPPED.iv[0][0]
        nat = (Nat("dnat", (NatRule(PacketSet([cube(dst=MAPPED)]), (Rewrite(1, off),), src(30, "dnat"), ("ws",)),)),)
    return Config("fw.cfg", "test", 40, filters, paths, interfaces=ifaces, timeouts=tuple(timeouts), nat=nat)


SHORT = Timeout(TCP, 1800, src(11, "service timeout 1800"), label="rule's service", rule=("zp", 0))
LONG = Timeout(TCP, 86400, src(1, "timeout 86400"), label="default", default=True)


def test_a_rule_that_sees_packets_as_sent_keeps_its_timeout_for_destination_natted_connections():
    # (PAN-OS security rules match the pre-NAT addresses: the rule names the servers' mapped block)
    assert prn120(device("sent", [SHORT, LONG], dnat=True)) == [11]
    assert prn120(device("routed", [SHORT, LONG], dnat=True)) == [11]
    assert prn120(device("sent", [SHORT, LONG], dnat=False)) == [11]


def test_a_later_stage_seeing_translated_packets_changes_nothing():
    # (a source NAT after the zone firewall, and an outbound access list that sees its result)
    cfg = device("routed", [SHORT, LONG], dnat=False, out_acl=True)
    snat = NatRule(PacketSet([cube(src=WS)]), (Rewrite(0, pool=parse_network("198.51.100.7")),), src(31, "pat"))
    cfg = replace(cfg, nat=(Nat("snat", (snat,), when="post-routing"),))
    assert prn120(cfg) == [11]
    # the long timeout tied to the rule, the short one for all: the short one stays for nothing
    long_rule = replace(SHORT, idle_seconds=86400, source=src(12, "rule timeout 86400"))
    short_all = Timeout(TCP, 1800, src(1, "timeout 1800"), label="default", default=True)
    assert prn120(replace(cfg, timeouts=(long_rule, short_all))) == []


# An IOS router: zone firewall with the default inspect idle time (3600 s, no parameter map), a static
# source NAT of the workshop host, and an outbound access list on the servers' side (it sees the packets after
# NAT).  The class's timeout is written for the untranslated packets; with the access list on the path it was
# no longer found (no PRN120), without it it was.
IOS = """hostname r1
zone security IN
zone security OUT
interface GigabitEthernet1
 ip address 10.1.0.1 255.255.0.0
 ip nat inside
 zone-member security IN
interface GigabitEthernet2
 ip address 10.2.0.1 255.255.255.0
 ip nat outside
 ip access-group OUT out
 zone-member security OUT
ip access-list extended WS
 permit tcp 10.1.0.0 0.0.255.255 any
class-map type inspect match-any CB
 match access-group name WS
policy-map type inspect PM
 class type inspect CB
  inspect
zone-pair security ZP source IN destination OUT
 service-policy type inspect PM
ip nat inside source static 10.1.0.5 10.2.0.50
ip access-list extended OUT
 permit ip any any
"""


def test_ios_zone_firewall_timeout_with_static_nat_and_an_outbound_acl():
    from auditor.policy import load_site

    site = load_site(None, ["workshop=10.1.0.5", "primary=10.2.0.10"])
    for text in (IOS, IOS.replace(" ip access-group OUT out\n", "")):
        found = [f for f in audit([parse_text(text, "r.cfg")], site).findings if f.rule_id == "PRN120"]
        inspect = text.splitlines().index("  inspect") + 1  # (the inspect action with the default idle time)
        assert [(f.source.line, f.status) for f in found] == [(inspect, "fail")], text



def test_a_source_nat_that_may_translate_leaves_a_later_stage_undecided():
    # (a post-routing rule's 'maybe': the packets leave translated or not; an outbound access list that sees
    # them as they leave permits only the untranslated form: whether they pass is not known.  Before, they
    # were seen untranslated: a sure permit)
    from auditor.engine import UNKNOWN, evaluate

    out = Rule("OUT", 0, Action.PERMIT, PacketSet([cube(src=WS)]), src(20, "permit workshop"))
    cfg = device("routed", [], dnat=False)
    cfg = replace(cfg, filters={**cfg.filters, "OUT": Filter("OUT", (out,))},
                  paths=(replace(cfg.paths[0], stages=cfg.paths[0].stages + (
                      Stage("out:srv", ("OUT",), Action.DENY, src(21), "acl", sees="final"),)),) + cfg.paths[1:])
    pool = parse_network("198.51.100.7")
    maybe = NatRule(PacketSet(), (Rewrite(0, pool=pool),), src(31, "nat ???"), maybe=PacketSet([cube(src=WS)]))
    cfg = replace(cfg, nat=(Nat("snat", (maybe,), when="post-routing"),))
    flow = PacketSet([cube(src=WS, dst=parse_network("10.20.0.10"), proto=ISet.of(PROTO_TCP), dport=ISet.of(445))])
    got = evaluate(cfg, flow)
    assert [(o.kind, o.source.line) for o in got] == [(UNKNOWN, 31)]

"""PRN120 with a per-rule timeout whose rule decides in a later stage of the path than the first
(a router's inbound access list, then its zone firewall): the timeout applies to the connections
that rule permits, and only to them."""

from test_idle_timeout import SITE, SRV, TCP, WS, src

from auditor.api import audit
from auditor.core.model import Action, Config, Filter, Interface, Path, Rule, Stage, Timeout
from auditor.core.packets import PROTO_TCP, ISet, PacketSet, cube


def device(timeouts):
    acl = (Rule("ACL", 0, Action.PERMIT, PacketSet([cube()]), src(5, "permit ip any any")),)
    zp = (Rule("zp", 0, Action.PERMIT, PacketSet([cube(src=WS, dst=SRV, proto=ISet.of(PROTO_TCP),
                                                      dport=ISet.of(445))]), src(10, "class SMB")),
          Rule("zp", 1, Action.PERMIT, PacketSet([cube(src=WS, dst=SRV)]), src(11, "class ALL")))
    filters = {"ACL": Filter("ACL", acl), "zp": Filter("zp", zp)}
    paths = (Path("ws", "srv", (Stage("in:ws", ("ACL",), Action.DENY, src(1), "acl", stateful=False),
                                Stage("zp", ("zp",), Action.DENY, src(2), "zone default"))),
             Path("srv", "ws", (Stage("zp2", (), Action.DENY, src(3), "zone default"),)),
             Path("ws", "ws", (), crosses=False), Path("srv", "srv", (), crosses=False))
    ifaces = (Interface("ws", WS, src(2)), Interface("srv", SRV, src(3)))
    return Config("r.cfg", "test", 20, filters, paths, interfaces=ifaces, timeouts=tuple(timeouts))


def test_a_rule_of_a_later_stage_carries_its_timeout():
    smb = Timeout(TCP, 1800, src(12, "tcp idle-time 1800"), label="SMB", rule=("zp", 0))
    found = [f for f in audit([device([smb])], SITE).findings if f.rule_id == "PRN120"]
    assert [f.source.line for f in found] == [12] and found[0].example[4] == 445
    other = Timeout(TCP, 1800, src(12), label="x", rule=("zp", 7))
    assert [f for f in audit([device([other])], SITE).findings if f.rule_id == "PRN120"] == []

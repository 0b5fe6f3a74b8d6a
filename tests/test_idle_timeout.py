"""PRN120 on the model: which idle timeout is in force for a connection.

Vendor-neutral: the records are built by hand, as a parser would.  The vendor behaviours that
produce them (an ASA interface service-policy, an SRX application timeout, a FortiGate
policy's session-ttl) are tested with their vendors.
"""

from auditor.api import audit
from auditor.core.model import Action, Config, Filter, Interface, Path, Rule, Source, Stage, Timeout
from auditor.core.packets import PROTO_TCP, ISet, PacketSet, cube, parse_network
from auditor.policy import load_site

TCP = PacketSet([cube(proto=ISet.of(PROTO_TCP))])
WS, SRV = parse_network("10.30.0.0/24"), parse_network("10.20.0.0/24")


def src(line, text="x"):
    return Source("fw.cfg", line, text)


def device(timeouts, rules=None):
    """Workshop (ws) and servers (srv) interfaces; one zone-pair filter each way permitting all."""
    rules = rules or {
        "ws->srv": (Rule("ws->srv", 0, Action.PERMIT, PacketSet([cube(src=WS, dst=SRV)]), src(10, "policy 1")),),
        "srv->ws": (Rule("srv->ws", 0, Action.PERMIT, PacketSet([cube(src=SRV, dst=WS)]), src(11, "policy 2")),),
    }
    filters = {n: Filter(n, r) for n, r in rules.items()}
    paths = (Path("ws", "srv", (Stage("ws->srv", ("ws->srv",), Action.DENY, src(1), "default deny"),)),
             Path("srv", "ws", (Stage("srv->ws", ("srv->ws",), Action.DENY, src(1), "default deny"),)),
             Path("ws", "ws", (), crosses=False), Path("srv", "srv", (), crosses=False))
    ifaces = (Interface("ws", WS, src(2)), Interface("srv", SRV, src(3)))
    return Config("fw.cfg", "test", 20, filters, paths, interfaces=ifaces, timeouts=tuple(timeouts))


SITE = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
DEFAULT = Timeout(TCP, 86400, None, label="default", default=True)


def prn120(cfg):
    return [f for f in audit([cfg], SITE).findings if f.rule_id == "PRN120"]


def test_a_per_rule_timeout_applies_only_to_the_connections_its_rule_permits():
    short = Timeout(TCP, 1800, src(12, "set session-ttl 1800"), label="policy 1", rule=("ws->srv", 0))
    found = prn120(device([short, DEFAULT]))
    assert [f.source.line for f in found] == [12]
    ex = found[0].example
    assert ex[0] in WS and ex[1] in SRV  # only Workshop -> server connections: policy 1's
    # the same timeout bound to another rule does not apply
    assert prn120(device([Timeout(TCP, 1800, src(12), label="x", rule=("ws->srv", 5)), DEFAULT])) == []


def test_an_interface_timeout_covers_connections_entering_or_leaving_through_it():
    # only Workshop -> server connections are permitted: they enter by ws and leave through srv
    rules = {"ws->srv": (Rule("ws->srv", 0, Action.PERMIT, PacketSet([cube(src=WS, dst=SRV)]), src(10)),),
             "srv->ws": ()}
    on_srv = Timeout(TCP, 1800, src(13, "service-policy P interface srv"), label="srv", interfaces=("srv",))
    found = prn120(device([on_srv, DEFAULT], rules))
    assert [f.source.line for f in found] == [13]
    assert found[0].example[0] in WS and found[0].example[1] in SRV
    on_ws = Timeout(TCP, 1800, src(13), label="ws", interfaces=("ws",))
    assert [f.source.line for f in prn120(device([on_ws, DEFAULT], rules))] == [13]
    elsewhere = Timeout(TCP, 1800, src(13), label="dmz", interfaces=("dmz",))
    assert prn120(device([elsewhere, DEFAULT], rules)) == []


def test_a_timeout_limited_to_a_filter_applies_to_what_that_filter_permits():
    rules = {
        "ws->srv": (Rule("ws->srv", 0, Action.PERMIT, PacketSet([cube(src=WS, dst=SRV)]), src(10)),),
        "srv->ws": (Rule("srv->ws", 0, Action.PERMIT, PacketSet([cube(src=SRV, dst=WS)]), src(11)),),
        "CLASS": (Rule("CLASS", 0, Action.PERMIT, PacketSet([cube(src=WS, dst=SRV, proto=ISet.of(PROTO_TCP),
                                                                  dport=ISet.of(445))]), src(14)),),
    }
    limited = Timeout(TCP, 1800, src(15, "class-map C match access-list CLASS"), label="C", permitted_by="CLASS")
    found = prn120(device([limited, DEFAULT], rules))
    assert [f.source.line for f in found] == [15] and found[0].example[4] == 445
    assert prn120(device([Timeout(TCP, 1800, src(15), label="C", permitted_by="NONE"), DEFAULT], rules)) == []


def test_denied_traffic_has_no_idle_timeout_finding():
    rules = {"ws->srv": (), "srv->ws": ()}
    assert prn120(device([Timeout(TCP, 60, src(16), label="global")], rules)) == []


def test_a_timeout_line_not_understood_is_unknown_even_where_no_timeout_was_read():
    # a device whose only timeout line was not understood: the idle timeout is not known (before: with no
    # timeout record at all the check returned before it looked at the reports, and said nothing: a pass)
    from dataclasses import replace

    from auditor.core.model import Diagnostic, Impact

    bad = Diagnostic("CFG300", "line not understood: timeout", src(15, "timeout conn 1:00"), Impact.FILTER, "timeouts")
    [f] = prn120(replace(device([]), diagnostics=(bad,)))
    assert (f.status, f.source.line) == ("unknown", 15)
    assert prn120(device([])) == []

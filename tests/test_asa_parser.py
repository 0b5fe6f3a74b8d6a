"""Cisco ASA parser: one test per grammar piece, and fast path == pyparsing grammar."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import decision_json, make_packet
from auditor.core.model import Impact
from auditor.core.packets import parse_network
from parsers.cisco_asa import AceError, parse, parse_ace_tokens, parse_hms
from parsers.cisco_asa.grammar import parse_ace_grammar

HEAD = "ASA Version 9.12(4)\n"


def acl(cfg_text: str, name: str = "A"):
    cfg = parse(HEAD + cfg_text, "t.cfg")
    return cfg, cfg.filters[name]


def decide(cfg, src, dst, proto="tcp", dport=80, sport=None, name="A"):
    return decision_json(cfg, make_packet(src, dst, proto, sport, dport), name)


def test_extended_permit_host_and_port():
    cfg, f = acl("access-list A extended permit tcp any host 10.0.0.1 eq www\n")
    assert decide(cfg, "1.2.3.4", "10.0.0.1", dport=80)["decision"] == "permit"
    assert decide(cfg, "1.2.3.4", "10.0.0.1", dport=81)["decision"] == "deny"
    assert decide(cfg, "1.2.3.4", "10.0.0.1", dport=81)["line"] is None


def test_port_operators():
    cfg, f = acl("access-list A extended permit tcp any any neq 80\n"
                 "access-list A extended permit udp any any lt 10\n"
                 "access-list A extended permit udp any any gt 65000\n"
                 "access-list A extended permit udp any range 1 2 any\n")
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=80)["decision"] == "deny"
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=81)["line"] == 2
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "udp", dport=9)["line"] == 3
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "udp", dport=10)["decision"] == "deny"
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "udp", dport=65001)["line"] == 4
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "udp", dport=20, sport=2)["line"] == 5


@pytest.mark.parametrize("operand", ["lt 0", "gt 65535", "range 500 100", "eq 70000", "neq 65536"])
def test_an_impossible_port_operand_is_reported_and_its_rule_is_unknown(operand):
    # the device refuses such an operand, so the line cannot be what the device runs: it is
    # reported (CFG300) and its rule decides nothing (unknown), never matches nothing (issue 19)
    cfg, f = acl("access-list A extended permit tcp any any %s\n"
                 "access-list A extended deny ip any any\n" % operand)
    assert [(d.code, d.source.line) for d in cfg.diagnostics] == [("CFG300", 2)]
    assert not f.rules[0].match and f.rules[0].maybe
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=80)["decision"] == "unknown"
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=80)["line"] == 2


def test_mask_names_and_ipv6():
    cfg, f = acl("names\nname 10.9.9.9 SRV\n"
                 "access-list A extended permit ip 10.0.0.0 255.255.0.0 host SRV\n"
                 "access-list A extended permit ip any6 2001:db8::/32\n")
    assert decide(cfg, "10.0.200.1", "10.9.9.9")["line"] == 4
    assert decide(cfg, "10.1.0.1", "10.9.9.9")["decision"] == "deny"
    assert decide(cfg, "2001:db8:1::1", "2001:db8::5")["line"] == 5
    assert decide(cfg, "10.0.0.1", "2001:db8::5")["decision"] == "deny"  # any6 is not IPv4


def test_icmp_types_and_codes():
    cfg, f = acl("access-list A extended permit icmp any any echo\n"
                 "access-list A extended permit icmp any any 3 4\n")
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "icmp", dport=8 * 256)["line"] == 2
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "icmp", dport=3 * 256 + 4)["line"] == 3
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "icmp", dport=3 * 256 + 1)["decision"] == "deny"


def test_nested_groups_and_typed_port_groups():
    text = ("object-group network INNER\n network-object host 10.0.0.1\n"
            "object-group network OUTER\n group-object INNER\n network-object 10.1.0.0 255.255.255.0\n"
            "object network OBJ\n subnet 10.2.0.0 255.255.255.0\n"
            "object-group service WEB tcp\n port-object eq 80\n port-object range 8080 8081\n"
            "object-group service SVC\n service-object tcp destination eq 445\n"
            " service-object udp destination range 50010 50011\n"
            "object-group protocol PROTOS\n protocol-object tcp\n protocol-object udp\n"
            "access-list A extended permit tcp object-group OUTER object OBJ object-group WEB\n"
            "access-list A extended permit object-group SVC object OBJ object-group OUTER\n"
            "access-list A extended permit object-group PROTOS any host 10.3.0.1 eq 53\n")
    cfg, f = acl(text)
    assert decide(cfg, "10.0.0.1", "10.2.0.9", dport=8081)["line"] == 18
    assert decide(cfg, "10.1.0.7", "10.2.0.9", dport=8082)["decision"] == "deny"
    assert decide(cfg, "10.2.0.1", "10.1.0.5", "udp", dport=50011)["line"] == 19
    assert decide(cfg, "10.9.9.9", "10.3.0.1", "udp", dport=53)["line"] == 20
    assert not cfg.diagnostics


def test_service_object_and_builtin_specifiers():
    cfg, f = acl("object service RDP\n service tcp destination eq 3389\n"
                 "access-list A extended permit object RDP any any\n"
                 "access-list A extended permit object icmp-echo any any\n")
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=3389)["line"] == 4
    assert decide(cfg, "1.1.1.1", "2.2.2.2", "icmp", dport=8 * 256)["line"] == 5


def test_undefined_and_circular_references_are_reported_and_unknown():
    cfg, f = acl("object-group network LOOP1\n group-object LOOP2\n"
                 "object-group network LOOP2\n group-object LOOP1\n"
                 "access-list A extended permit ip object-group LOOP1 any\n"
                 "access-list A extended permit ip object-group NOPE any\n")
    codes = [(d.code, d.message) for d in cfg.diagnostics]
    assert any(c == "CFG301" and "circular" in m for c, m in codes)
    assert any(c == "CFG301" and "NOPE" in m for c, m in codes)
    assert decide(cfg, "1.1.1.1", "2.2.2.2")["decision"] == "unknown"


def test_unrecognized_ace_is_opaque_and_reported():
    cfg, f = acl("access-list A extended permit tcp any any eq 80\n"
                 "access-list A extended permit frobnicate any any\n"
                 "access-list A extended deny ip any any\n")
    assert [d.code for d in cfg.diagnostics] == ["CFG300"]
    assert cfg.diagnostics[0].impact is Impact.FILTER
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=80)["decision"] == "permit"
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=81)["decision"] == "unknown"


def test_inactive_time_range_and_line_insertion():
    cfg, f = acl("access-list A extended permit tcp any any eq 80 inactive\n"
                 "access-list A extended permit tcp any any eq 81 time-range WORK\n"
                 "access-list A extended deny ip any any\n"
                 "access-list A line 1 extended permit tcp any any eq 82\n")
    assert [r.source.line for r in f.rules] == [5, 2, 3, 4]
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=80)["line"] == 4
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=81)["decision"] == "unknown"
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=82)["line"] == 5


def test_line_numbers_count_remarks_as_the_device_does():
    # 'line N' counts remarks (as the ASA and check-change do), and a positioned remark is a remark
    cfg, f = acl("access-list A extended permit tcp any host 10.0.0.1 eq 80\n"
                 "access-list A remark second line\n"
                 "access-list A extended permit tcp any host 10.0.0.2 eq 80\n"
                 "access-list A line 3 extended deny tcp any host 10.0.0.3 eq 80\n"
                 "access-list A line 1 remark on top\n"
                 "access-list A line 2 extended deny tcp any host 10.0.0.4 eq 80\n")
    assert [r.source.line for r in f.rules] == [7, 2, 5, 4]
    assert [r.index for r in f.rules] == [0, 1, 2, 3]
    assert not cfg.diagnostics
    assert [s.line for _n, s in cfg.remarks] == [3, 6]


def test_standard_acl_remark_and_clear():
    cfg, f = acl("access-list A remark hello\naccess-list A standard permit host 10.0.0.1\n"
                 "access-list B extended permit ip any any\nclear configure access-list B\n", "A")
    assert cfg.remarks[0][1].line == 2
    assert decide(cfg, "9.9.9.9", "10.0.0.1")["line"] == 3
    assert cfg.filters["B"].rules == ()


def test_interfaces_security_levels_and_access_groups():
    text = ("interface G0\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
            "interface G1\n nameif inside\n security-level 100\n ip address 10.0.0.1 255.255.255.0\n"
            "interface G2\n nameif dmz\n security-level 50\n ip address 10.5.0.1 255.255.255.0\n"
            "access-list OUT extended permit tcp any host 10.5.0.10 eq 443\n"
            "access-group OUT in interface outside\n"
            "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n")
    cfg = parse(HEAD + text, "t.cfg")

    def path(src, dst, port=443):
        return decision_json(cfg, make_packet(src, dst, "tcp", None, port))

    assert path("8.8.8.8", "10.5.0.10")["line"] == 14
    assert path("8.8.8.8", "10.5.0.10", 80)["decision"] == "deny"
    assert path("10.0.0.5", "10.5.0.10", 22)["decision"] == "permit"  # 100 -> 50, no ACL
    d = path("10.5.0.10", "10.0.0.5", 22)  # 50 -> 100, no ACL
    assert d["decision"] == "deny" and d["default_line"] == 12
    assert path("10.0.0.5", "10.0.0.6")["reason"].startswith("both ends")


def test_global_and_outbound_access_groups():
    text = ("interface G0\n nameif a\n security-level 0\n ip address 10.1.0.1 255.255.255.0\n"
            "interface G1\n nameif b\n security-level 0\n ip address 10.2.0.1 255.255.255.0\n"
            "access-list G extended permit tcp any any eq 80\n"
            "access-list O extended deny tcp host 10.1.0.9 any\n"
            "access-list O extended permit ip any any\n"
            "access-group G global\naccess-group O out interface b\n"
            "same-security-traffic permit inter-interface\n")  # (a and b have one level)
    cfg = parse(HEAD + text, "t.cfg")
    assert decision_json(cfg, make_packet("10.1.0.5", "10.2.0.5", "tcp", None, 80))["line"] == 10
    d = decision_json(cfg, make_packet("10.1.0.9", "10.2.0.5", "tcp", None, 80))
    assert d["decision"] == "deny" and d["line"] == 11
    assert decision_json(cfg, make_packet("10.1.0.5", "10.2.0.5", "tcp", None, 81))["decision"] == "deny"


def test_same_security_traffic():
    text = ("interface G0\n nameif a\n security-level 50\n ip address 10.1.0.1 255.255.255.0\n"
            "interface G1\n nameif b\n security-level 50\n ip address 10.2.0.1 255.255.255.0\n")
    cfg = parse(HEAD + text, "t.cfg")
    assert decision_json(cfg, make_packet("10.1.0.5", "10.2.0.5", "tcp", None, 80))["decision"] == "deny"
    cfg = parse(HEAD + text + "same-security-traffic permit inter-interface\n", "t.cfg")
    assert decision_json(cfg, make_packet("10.1.0.5", "10.2.0.5", "tcp", None, 80))["decision"] == "permit"


def test_timeouts_global_and_mpf():
    text = ("timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00\n"
            "access-list C extended permit tcp 10.0.0.0 255.0.0.0 any\n"
            "class-map K\n match access-list C\n"
            "policy-map global_policy\n class K\n  set connection timeout idle 0:30:00 reset dcd 0:00:15 5\n"
            "service-policy global_policy global\n")
    cfg = parse(HEAD + text, "t.cfg")
    first, last = cfg.timeouts[0], cfg.timeouts[-1]
    assert first.idle_seconds == 1800 and first.dcd and first.reset and first.source.line == 8
    assert first.match.contains(make_packet("10.1.1.1", "1.1.1.1", "tcp", None, 80))
    assert not first.match.contains(make_packet("11.1.1.1", "1.1.1.1", "tcp", None, 80))
    assert last.idle_seconds == 3600 and last.default and last.source.line == 2
    assert parse_hms("8:00:00") == 28800
    cfg = parse(HEAD + "timeout conn 0:00:00\n", "t.cfg")
    assert cfg.timeouts[-1].idle_seconds is None


def test_unknown_commands_are_reported_known_ones_ignored():
    cfg = parse(HEAD + "hostname fw\nlogging enable\nfrobnicate now\nfirewall transparent\n", "t.cfg")
    un = [d for d in cfg.diagnostics if d.code == "CFG300"]
    assert [d.source.line for d in un] == [4, 5]
    assert all(d.impact is Impact.GLOBAL for d in un)
    assert cfg.ignored_lines >= 2


def test_rule_address_refs_point_at_written_lines():
    cfg, f = acl("object-group network G\n network-object host 169.254.1.1\n"
                 "access-list A extended permit ip object-group G host 10.0.0.1\n")
    lines = sorted(r.source.line for r in f.rules[0].addresses)
    assert lines == [3, 4]


# --- fast path vs grammar --------------------------------------------------------------

ADDR = st.sampled_from(["any", "any4", "host 10.0.0.1", "10.0.0.0 255.255.255.0", "2001:db8::/48",
                        "object-group NETS", "object OBJ", "interface inside"])
PORT = st.sampled_from(["", "eq 80", "eq www", "neq 22", "lt 1024", "gt 1023", "range 1 5", "object-group WEB"])
OPT = st.sampled_from(["", "log", "log 7", "log informational interval 60", "inactive", "time-range T",
                       "log disable inactive"])
PROTO = st.sampled_from(["tcp", "udp", "ip", "47", "icmp", "6", "object-group PROTOS", "object-group SVC"])
ICMP = st.sampled_from(["", "echo", "3 1", "object-group ICMPS"])


class _D:
    def __init__(self, kind):
        self.kind = kind


OBJECTS = {"NETS": _D("network"), "OBJ": _D("network"), "WEB": _D("port"), "PROTOS": _D("protocol"),
           "SVC": _D("service"), "ICMPS": _D("icmp-type")}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["permit", "deny"]), PROTO, ADDR, PORT, ADDR, PORT, ICMP, OPT)
def test_fast_path_agrees_with_grammar(action, proto, src, sport, dst, dport, icmp, opt):
    ported = proto in ("tcp", "udp", "6", "object-group PROTOS")
    if not ported:
        sport = dport = ""
    if proto != "icmp":
        icmp = ""
    line = " ".join(x for x in [action, proto, src, sport, dst, dport, icmp, opt] if x)
    toks = line.split()
    try:
        fast = parse_ace_tokens(toks, OBJECTS)
    except (AceError, IndexError):
        fast = None
    try:
        slow = parse_ace_grammar(toks, OBJECTS)
    except AceError:
        slow = None
    assert fast == slow, line
    assert fast is not None, line


def test_grammar_rejects_what_fast_path_rejects():
    for bad in ["permit", "permit tcp any", "allow tcp any any", "permit tcp any any eq 80 bogus"]:
        toks = bad.split()
        for fn in (parse_ace_tokens, parse_ace_grammar):
            try:
                fn(toks, {})
            except (AceError, IndexError):
                continue
            raise AssertionError("%s accepted %r" % (fn.__name__, bad))


def test_objects_are_in_the_model_resolved():
    cfg = parse(HEAD + "object-group network A\n network-object host 10.0.0.1\n group-object B\n"
                "object-group network B\n network-object 10.1.0.0 255.255.255.0\n"
                "object-group service S tcp\n port-object eq 80\n"
                "object-group network C\n group-object MISSING\n", "t.cfg")
    objs = {o.name: o for o in cfg.objects}
    assert objs["A"].kind == "address" and objs["A"].complete
    assert parse_network("10.1.0.0/24").issubset(objs["A"].addresses)
    assert objs["A"].source.line == 2 and [m.line for m in objs["A"].members] == [3, 4]
    assert objs["S"].kind == "service"
    assert objs["S"].services.contains(make_packet("1.1.1.1", "2.2.2.2", "tcp", None, 80))
    assert not objs["C"].complete
    assert any(d.code == "CFG301" and "MISSING" in d.message for d in cfg.diagnostics)


def test_an_entry_that_may_match_still_has_its_action():
    # An FQDN object's addresses are resolved by the ASA at run time (Cisco ASA CLI configuration guide,
    # "Objects for access control": 'fqdn' network objects): whether the entry matches is unknown, but
    # when it matches it does what it says.  A packet that an uncertain entry and a later certain one
    # decide the same way is decided; otherwise it is unknown (Rule.sure_action).
    cfg, f = acl("object network FILES\n fqdn v4 files.example.com\n"
                 "access-list A extended deny tcp any object FILES eq 445\n"
                 "access-list A extended deny tcp any any eq 445\n"
                 "access-list A extended permit tcp any object FILES eq www\n"
                 "access-list A extended permit tcp any any eq www\n"
                 "access-list A extended permit tcp any object FILES eq 81\n"
                 "access-list A extended deny tcp any object FILES eq 82\n"
                 "access-list A extended permit tcp any any eq 82\n")
    assert decide(cfg, "1.1.1.1", "2.2.2.2", dport=445) == {**decide(cfg, "1.1.1.1", "2.2.2.2", dport=445),
                                                            "decision": "deny", "line": 5}
    got = decide(cfg, "1.1.1.1", "2.2.2.2", dport=80)
    assert (got["decision"], got["line"]) == ("permit", 7)
    assert "line 6 may decide it first, the same way" in got["reason"]
    for port, line in ((81, 8), (82, 9)):  # (permit then the implicit deny; deny then permit)
        got = decide(cfg, "1.1.1.1", "2.2.2.2", dport=port)
        assert (got["decision"], got["line"]) == ("unknown", line)
    # the implicit deny decides alike after an uncertain deny
    cfg, f = acl("object network FILES\n fqdn v4 files.example.com\n"
                 "access-list A extended deny tcp any object FILES eq 445\n")
    got = decide(cfg, "1.1.1.1", "2.2.2.2", dport=445)
    assert (got["decision"], got["line"]) == ("deny", None)

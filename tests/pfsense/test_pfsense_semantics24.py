"""pfSense / OPNsense rule semantics that were reported and left open (session 24).

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc (pfsense/pfsense at 9363ac5b86), filter_generate_user_rule: the
  protocol is compared as written ('if ($rule['protocol'] == "tcp/udp")', '== "icmp"', '== "any"', 'else
  $aline['prot'] = " proto {$rule['protocol']} "'); ICMP types are written only 'if ($rule['protocol' ] ==
  "icmp" && $rule['icmptype'] ...)'; the state timeout is 'tcp.established' only for no protocol, 'tcp/udp',
  'tcp' or 'sctp' (any other protocol: 'other.multiple'); filter_generate_port lowercases the protocol before
  it looks it up ('$rule['protocol'] = strtolower($rule['protocol'])'), so 'TCP' keeps its ports.
* [GETPROTO] FreeBSD lib/libc/net/getprotoname.c (freebsd/freebsd-src): getprotobyname compares each name and
  alias of /etc/protocols with strcmp (case-sensitive); lib/libc/net/protocols: 'tcp 6 TCP', 'udp 17 UDP',
  'icmp 1 ICMP', 'ospf 89 OSPFIGP', ... (no 'Tcp', 'Any', 'OSPF', 'TCP/UDP').
* [PARSEY] FreeBSD sbin/pfctl/parse.y: 'protoval: STRING { p = getprotobyname($1); if (p == NULL) {
  yyerror("unknown protocol %s", $1); ... YYERROR; }'; rule_consistent: 'if ((r->proto == IPPROTO_ICMP &&
  r->af == AF_INET6) || (r->proto == IPPROTO_ICMPV6 && r->af == AF_INET)) { yyerror("proto %s doesn't match
  address family %s", ...); problems++; }'.  A ruleset pfctl refuses is not loaded at all (the firewall keeps
  the rules it had), so every verdict is unknown.
"""

from pf_helpers import at, decide, line_of, mvc_rule, opnsense, parse, pfsense, rule

from auditor.core.model import Impact
from auditor.engine import DENY, PERMIT, UNKNOWN

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1), a server on LAN


def _global(cfg, text, needle):
    return [d for d in cfg.unrecognized if d.impact is Impact.GLOBAL and d.source.line == line_of(text, needle)]


def test_upper_case_tcp_is_pfs_tcp_alias_with_its_ports():
    # [FILTERINC] ' proto TCP ' is written, the ports too (filter_generate_port lowercases); [GETPROTO] 'TCP' is
    # tcp's alias in /etc/protocols
    text = pfsense(rule("opt1", "pass", proto="TCP", dst="<address>10.20.0.10</address><port>445</port>",
                        descr="smb"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "smb")
    assert decide(cfg, WS, SRV, dport=446).kind == DENY
    assert not cfg.unrecognized


def test_a_protocol_spelling_pfctl_does_not_know_makes_every_verdict_unknown():
    # [FILTERINC] 'TCP/UDP' is not 'tcp/udp': written ' proto TCP/UDP '; [PARSEY][GETPROTO] no such protocol
    # name, pfctl refuses the whole ruleset.  Before, it was read as tcp/udp and the flow passed.
    for proto in ("TCP/UDP", "Tcp", "Any", "OSPF"):
        text = pfsense(rule("opt1", "pass", proto=proto, descr="p"))
        cfg = parse(text)
        assert _global(cfg, text, "<protocol>%s</protocol>" % proto), proto


def test_upper_case_icmp_gets_no_icmp_types_so_a_block_of_echo_blocks_all_icmp():
    # [FILTERINC] the icmp-type list is written for 'icmp' only: 'block ... proto ICMP' blocks every ICMP type.
    # Before, the block took only echo requests and an ICMP unreachable passed at the later pass rule.
    text = pfsense(rule("opt1", "block", proto="ICMP", extra="<icmptype>echoreq</icmptype>", descr="no ping")
                   + rule("opt1", "pass", descr="all"))
    cfg = parse(text)
    for icmp in (8 * 256, 3 * 256 + 1):
        o = decide(cfg, WS, SRV, "icmp", icmp, sport=None)
        assert o.kind == DENY and o.source.line == at(text, "no ping")


def test_upper_case_icmp_in_an_ipv6_rule_and_icmpv6_in_an_ipv4_rule_are_refused():
    # [PARSEY] 'proto ICMP' (1) in the inet6 half of an IPv4+IPv6 rule, 'proto ipv6-icmp' in an inet rule:
    # "proto ... doesn't match address family", the ruleset is not loaded.  Before, the first was taken as
    # ICMPv6 and the IPv4 half of the second was silently left out.
    for proto, fam in (("ICMP", "inet46"), ("ipv6-icmp", "inet")):
        text = pfsense(rule("opt1", "block", proto=proto, ipprotocol=fam, descr="b") + rule("opt1", "pass"))
        cfg = parse(text)
        assert _global(cfg, text, "<protocol>%s</protocol>" % proto), proto
    # the lower-case GUI spelling in an IPv4+IPv6 rule is fine (filter.inc: 'icmp' in inet6 is ipv6-icmp)
    cfg = parse(pfsense(rule("opt1", "pass", proto="icmp", ipprotocol="inet46")))
    assert not cfg.unrecognized


def test_upper_case_tcp_gets_no_tcp_established_state_timeout():
    # [FILTERINC] 'TCP' is none of '', 'tcp/udp', 'tcp', 'sctp' and not in get_ipprotocols('portsonly') as written:
    # the rule's state timeout is 'other.multiple', TCP connections keep the global tcp.established.  Before, a
    # 600 s rule timeout was reported for them.
    text = pfsense(rule("opt1", "pass", proto="TCP", extra="<statetimeout>600</statetimeout>"))
    cfg = parse(text)
    assert [t for t in cfg.timeouts if t.rule is not None] == []
    text = pfsense(rule("opt1", "pass", proto="tcp", extra="<statetimeout>600</statetimeout>"))
    assert [t.idle_seconds for t in parse(text).timeouts if t.rule is not None] == [600]


# [PFCONF] FreeBSD pf.conf(5), STATEFUL TRACKING OPTIONS (https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5):
# 'max number': "Limits the number of concurrent states the rule may create.  When this limit is reached, further
# packets that would create state are dropped until existing states time out"; 'max-pkt-rate': "When the specified
# rate is exceeded, the rule stops matching".  [FILTERINC] writes max, max-src-nodes, max-src-states for a pass rule
# that keeps state, max-src-conn and max-src-conn-rate (with max-src-conn-rates, 'overload <virusprot> flush
# global') only for 'tcp' and 'tcp/udp'; [OPNRULE] OPNsense FilterRule.php writes them when the rule has a statetype
# other than 'none', and max-pkt-rate from max-pkt-rate-number / -seconds.  Before, each was ignored as "not which
# packets" and the flow passed although the firewall drops connections over the limit.

def test_a_state_limit_makes_what_the_pass_rule_passes_unknown():
    for extra in ("<max>100</max>", "<max-src-nodes>5</max-src-nodes>", "<max-src-states>20</max-src-states>",
                  "<max-src-conn>10</max-src-conn>",
                  "<max-src-conn-rate>15</max-src-conn-rate><max-src-conn-rates>5</max-src-conn-rates>"):
        text = pfsense(rule("opt1", "pass", proto="tcp", extra=extra, descr="limited"))
        cfg = parse(text)
        o = decide(cfg, WS, SRV)
        assert o.kind == UNKNOWN and o.source.line == at(text, "limited"), extra
        assert any(d.source.line == line_of(text, extra[:12]) for d in cfg.unrecognized), extra


def test_limits_the_generator_does_not_write_change_nothing():
    # [FILTERINC] max-src-conn for a UDP rule, a limit of a rule without state, an empty or '0' limit, a limit
    # of a block rule: not written
    for proto, extra in (("udp", "<max-src-conn>10</max-src-conn>"),
                         ("tcp", "<max>100</max><statetype>none</statetype>"),
                         ("tcp", "<max>0</max><max-src-nodes></max-src-nodes>"),
                         ("tcp", "<max-src-conn-rate>15</max-src-conn-rate>")):
        text = pfsense(rule("opt1", "pass", proto=proto, extra=extra, descr="p"))
        cfg = parse(text)
        assert not [d for d in cfg.unrecognized if "limit" in d.message], extra
    text = pfsense(rule("opt1", "block", proto="tcp", extra="<max>5</max>", descr="b") + rule("opt1", "pass"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "b")


def test_opnsense_state_and_packet_rate_limits():
    text = opnsense(mvc_rule("pass", "opt1", extra="<statetype>keep</statetype><max-src-conn>10</max-src-conn>",
                             descr="limited"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "limited")
    # a packet rate limit only stops the rule matching: a later rule decides those packets, here a pass too
    rate = "<max-pkt-rate-number>100</max-pkt-rate-number><max-pkt-rate-seconds>10</max-pkt-rate-seconds>"
    text = opnsense(mvc_rule("block", "opt1", extra=rate, seq=1, descr="rated")
                    + mvc_rule("pass", "opt1", seq=2, descr="p"))
    assert decide(parse(text), WS, SRV).kind == UNKNOWN
    text = opnsense(mvc_rule("pass", "opt1", extra=rate, seq=1, descr="rated")
                    + mvc_rule("pass", "opt1", seq=2, descr="p"))
    assert decide(parse(text), WS, SRV).kind == PERMIT
    # without a statetype OPNsense writes no state options: a legacy rule (a new-model rule without the element has
    # Filter.xml's default 'keep', BaseModel::parseXml: tests/test_s29_pfsense.py)
    legacy = rule("opt1", "pass", extra="<max>10</max>", descr="p")
    text = opnsense(legacy=legacy)
    assert decide(parse(text), WS, SRV).kind == PERMIT


# [OPNRULE] OPNsense plugins.inc.d/pf.inc pf_firewall: 'foreach ($mdlFilter->rules->rule->sortedBy(['sequence']) ...)
# registerFilterRule($rule->getPriority(), ...)'; [SORTEDBY] models/OPNsense/Base/FieldTypes/ArrayField.php
# sortedBy: 'sprintf("%30s,", $payload)' for a numeric sequence, then '$sortKey .= $nodeKey' (the uuid), then
# 'ksort($sortedData, SORT_NATURAL | SORT_FLAG_CASE)'; [NATCMP] php-src ext/standard/strnatcmp.c strnatcmp_ex: a run
# of digits not starting with '0' compares the longer run first ("the longest run of digits wins").

def _uuid_rule(uuid: str, action: str, seq: int, descr: str) -> str:
    return mvc_rule(action, "opt1", seq=seq, descr=descr).replace(
        'uuid="00000000-0000-0000-0000-%012d"' % seq, 'uuid="%s"' % uuid)


def test_opnsense_rules_of_one_sequence_follow_the_natural_order_of_their_uuids():
    # '9aaaaaaa-...' before '10aaaaaa-...' in PHP's natural order (9 < 10); the plain order puts '10...' first.
    # Before, the pass ('10...') was taken first and the flow passed; OPNsense loads the block first.
    block = _uuid_rule("9aaaaaaa-0000-4000-8000-000000000001", "block", 10, "block 9")
    allow = _uuid_rule("10aaaaaa-0000-4000-8000-000000000002", "pass", 10, "pass 10")
    for rules in (block + allow, allow + block):
        text = opnsense(rules)
        o = decide(parse(text), WS, SRV)
        assert o.kind == DENY and o.source.line == at(text, "block 9")
    # the sequence still comes first, as a number (the uuids do not matter then)
    text = opnsense(_uuid_rule("9aaaaaaa-0000-4000-8000-000000000001", "block", 20, "block")
                    + _uuid_rule("10aaaaaa-0000-4000-8000-000000000002", "pass", 3, "pass"))
    assert decide(parse(text), WS, SRV).kind == PERMIT


def test_opnsense_rule_sequence_that_is_not_a_number_makes_the_order_unknown():
    # [SORTEDBY] the model's sequence is a number 1-999999 (Filter.xml FilterSequenceField); another value is not
    # written by the GUI and how the model reads it is not settled: reported with a global impact
    text = opnsense(mvc_rule("block", "opt1", seq=1, descr="b") + mvc_rule("pass", "opt1", seq=2, descr="p"))
    text = text.replace("<sequence>2</sequence>", "<sequence>x2</sequence>")
    cfg = parse(text)
    assert _global(cfg, text, "<sequence>x2</sequence>")
    # one rule alone has no order to get wrong
    text = opnsense(mvc_rule("pass", "opt1", seq=2)).replace("<sequence>2</sequence>", "<sequence></sequence>")
    assert not parse(text).unrecognized

"""Session 29, pfSense / OPNsense: numbers written in other than ASCII digits.

Sources:
* FreeBSD pfctl, sbin/pfctl/parse.y: the lexer reads a NUMBER from ASCII digits only ('isdigit'); any other word is a
  STRING, and 'protoval: STRING' looks it up with getprotobyname(3) ("unknown protocol %s"), 'icmp_item' /
  'icmp6_item' in pfctl's ICMP type tables ("unknown icmp-type %s"): a syntax error, pfctl loads nothing and the
  firewall keeps the ruleset it had (pf.conf(5), https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5);
* pfSense filter.inc filter_generate_user_rule writes a rule's protocol and ICMP types as they are (' proto P',
  ' icmp-type {T}');
* OPNsense ArrayField::sortedBy (the order of the new-model rules, ``<sequence>``): 'is_numeric' (ASCII digits) picks
  the right-aligned key, and ksort(SORT_NATURAL) compares digits with C's isdigit: a sequence in Arabic-Indic digits
  ('١٠') is not a number to OPNsense, and its rule's place among the others is not what the digits say.

Python's ``str.isdecimal`` and ``int`` read '٦' as 6: a rule of protocol '٦' was a certain TCP pass.
"""

from auditor.core.model import Impact
from tests.pfsense.pf_helpers import decide, line_of, mvc_rule, opnsense, parse, pfsense, rule

WORKSHOP, PRIMARY = "10.30.0.5", "10.20.0.10"


def _global(cfg, text: str, needle: str):
    got = [d for d in cfg.diagnostics if d.code == "CFG300" and d.source is not None
           and d.source.line == line_of(text, needle)]
    assert got, [d.message for d in cfg.diagnostics]
    return got[0]


def test_a_protocol_number_in_arabic_indic_digits_is_no_protocol_to_pfctl():
    # '\u0666' is ARABIC-INDIC DIGIT SIX: pfctl's lexer takes it as a name, and /etc/protocols has no such name
    text = pfsense(rule("opt1", "pass", proto="\u0666", descr="workshop to primary"))
    cfg = parse(text)
    d = _global(cfg, text, "<protocol>\u0666</protocol>")
    assert d.impact is Impact.GLOBAL and "refuses the whole ruleset" in d.message
    # (before: no diagnostic, and a certain permit of TCP, as if the rule said protocol 6; now the rule is not loaded
    # and the finding could change any verdict)
    assert decide(cfg, WORKSHOP, PRIMARY).kind != "permit"
    # the ASCII number is protocol 6, TCP, as pfctl reads it
    assert decide(parse(pfsense(rule("opt1", "pass", proto="6", descr="tcp"))), WORKSHOP, PRIMARY).kind == "permit"


def test_an_icmp_type_in_arabic_indic_digits_is_no_icmp_type_to_pfctl():
    text = pfsense(rule("opt1", "pass", proto="icmp", descr="ping", extra="<icmptype>\u0668</icmptype>"))
    cfg = parse(text)
    d = _global(cfg, text, "<icmptype>")
    assert d.impact is Impact.GLOBAL and "refuses the whole ruleset" in d.message
    # (before: a certain permit of echo requests)
    assert decide(cfg, WORKSHOP, PRIMARY, "icmp", 8 * 256, sport=None).kind != "permit"


def test_an_opnsense_sequence_in_arabic_indic_digits_leaves_the_order_unknown():
    # two new-model rules: the block's sequence '١' (one) would put it first, were it a number; OPNsense sorts it as
    # text, left-aligned, after the right-aligned '2'
    block = mvc_rule("block", "opt1", seq=1, descr="no smb", protocol="tcp", dst="10.20.0.0/24", dport="445")
    block = block.replace("<sequence>1</sequence>", "<sequence>\u0661</sequence>")
    text = opnsense(block + mvc_rule("pass", "opt1", seq=2, descr="workshop out"))
    cfg = parse(text)
    d = _global(cfg, text, "<sequence>\u0661</sequence>")
    # (before: read as sequence 1, the block first, no diagnostic)
    assert "not a number" in d.message and d.impact is Impact.GLOBAL


# --- a rule's port field as pfSense's filter_generate_port writes it ------------------------------------------------
# pfSense filter.inc filter_generate_port (github.com/pfsense/pfsense, src/etc/inc/filter.inc): 'if
# ($rule[$target]['port'])' (PHP: '0' is false, no port clause: every port); '$srcport = explode("-", ...)', the first
# part through alias_expand (an empty one is null: "is not a valid port" is logged and no port clause written); 'else
# if ((!$srcport[1]) || ($srcport[0] == $srcport[1])) $src .= " port {$srcporta} "': a second part '' or '0' leaves
# the first port alone; otherwise 'port (a-1) >< (b+1)', the range a-b.

def _port_rule(port: str) -> str:
    return pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address><port>%s</port>" % port,
                        descr="workshop smb"))


def test_a_port_with_an_empty_upper_end_is_the_one_port():
    cfg = parse(_port_rule("445-"))
    assert decide(cfg, WORKSHOP, PRIMARY, dport=445).kind == "permit"
    # (before: 445-65535, so a flow to 8080 was a certain pass; pfSense writes ' port 445 ')
    assert decide(cfg, WORKSHOP, PRIMARY, dport=8080).kind == "deny"
    assert decide(parse(_port_rule("445-0")), WORKSHOP, PRIMARY, dport=8080).kind == "deny"


def test_port_zero_and_a_range_without_a_first_port_write_no_port():
    for port in ("0", "-445"):
        cfg = parse(_port_rule(port))
        # (before: port 0 only, and 0-445: 8080 denied where pfSense passes every port)
        o = decide(cfg, WORKSHOP, PRIMARY, dport=8080)
        assert o.kind == "permit", port
        assert "every port" in o.rule.note
    # a range is the range
    cfg = parse(_port_rule("440-450"))
    assert decide(cfg, WORKSHOP, PRIMARY, dport=445).kind == "permit"
    assert decide(cfg, WORKSHOP, PRIMARY, dport=451).kind == "deny"

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
from tests.pfsense.pf_helpers import decide, floating, line_of, mvc_rule, opnsense, parse, pfsense, rule

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


# --- a rule's port field as pfSense's filter.inc reads it -----------------------------------------------------------
# pfSense filter.inc (github.com/pfsense/pfsense, src/etc/inc/filter.inc), filter_generate_user_rule: 'if
# ($rule['destination']['port'] && ... !is_port_or_range(str_replace("-", ":", $rule['destination']['port'])))' and no
# alias by that name: file_notice "Unresolvable destination port alias", 'return "# {$error_text}"' (the rule is not
# loaded; since 2017, redmine #7421); util.inc is_port: ctype_digit and 1-65535, or a service name.  A port PHP reads
# as false ('0') skips that check, and filter_generate_port ('if ($rule[$target]['port'])') writes no port clause:
# every port.  A range 'a-b' is written 'port (a-1) >< (b+1)' (pf.conf(5): '><' is "except the boundaries"): a range
# that runs backwards holds no port.

def _port_rule(port: str) -> str:
    return pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address><port>%s</port>" % port,
                        descr="workshop smb"))


def test_a_port_that_is_no_port_range_nor_alias_leaves_the_rule_unloaded_not_passing():
    for port in ("445-", "-445", "445-0"):
        text = _port_rule(port)
        cfg = parse(text)
        # (before: '445-' was 445-65535 and '-445' 0-445, certain passes of a rule pfSense does not load)
        assert decide(cfg, WORKSHOP, PRIMARY, dport=445).kind == "unknown", port
        assert decide(cfg, WORKSHOP, PRIMARY, dport=8080).kind == "unknown", port
        assert [d for d in cfg.diagnostics if d.code == "CFG301" and port in d.message
                and d.source.line == line_of(text, "<port>")], port


def test_port_zero_writes_no_port_and_a_backwards_range_holds_none():
    cfg = parse(_port_rule("0"))
    # (before: port 0 only, so 8080 was denied where pfSense passes every port)
    o = decide(cfg, WORKSHOP, PRIMARY, dport=8080)
    assert o.kind == "permit" and "every port" in o.rule.note
    # 'port 1999 >< 1001' holds no port: the default deny decides (before: unknown, "neither an alias nor a port")
    assert decide(parse(_port_rule("2000-1000")), WORKSHOP, PRIMARY, dport=1500).kind == "deny"
    cfg = parse(_port_rule("440-450"))
    assert decide(cfg, WORKSHOP, PRIMARY, dport=445).kind == "permit"
    assert decide(cfg, WORKSHOP, PRIMARY, dport=451).kind == "deny"
    assert decide(parse(_port_rule("440:450")), WORKSHOP, PRIMARY, dport=450).kind == "permit"


def test_an_address_range_written_in_a_rule_leaves_the_rule_unloaded():
    # pfSense filter.inc filter_generate_user_rule: 'if ($rule['destination']['address'] &&
    # !alias_expand($rule['destination']['address']))' the rule is skipped ("Unresolvable destination alias");
    # util.inc alias_expand takes an alias, is_ipaddr or is_subnet: a range is neither (the GUI writes one only into an
    # alias, Netgate docs "Aliases": "IP ranges ... in host aliases")
    text = pfsense(rule("opt1", "pass", dst="<address>10.20.0.5-10.20.0.20</address>", descr="to the servers"))
    cfg = parse(text)
    # (before: a certain pass of 10.20.0.10)
    assert decide(cfg, WORKSHOP, PRIMARY).kind == "unknown"
    assert [d for d in cfg.diagnostics if d.code == "CFG301" and "10.20.0.5-10.20.0.20" in d.message]
    # the same range inside a host alias is an address set
    alias = "<alias><name>SERVERS</name><type>host</type><address>10.20.0.5-10.20.0.20</address></alias>"
    cfg = parse(pfsense(rule("opt1", "pass", dst="<address>SERVERS</address>", descr="to the servers"),
                        aliases=alias))
    assert decide(cfg, WORKSHOP, PRIMARY).kind == "permit"
    assert decide(cfg, WORKSHOP, "10.20.0.21").kind == "deny"


# OPNsense Rule.php (src/opnsense/mvc/app/library/OPNsense/Firewall/Rule.php, port handling): '-' read as ':', 'any' at
# one end made 1 or 65535, then Util::isPort (each end 1-65535 in ASCII digits, or an /etc/services name), a port
# alias, or a name of PortField's well-known list ('microsoft-ds' => 445, as the GUI offers it) taken as it is;
# anything else: "$rule['disabled'] = true", "Unable to map port ..., config error?".

def _opn_port_rule(port: str) -> str:
    return opnsense(mvc_rule("pass", "opt1", protocol="TCP", dst="10.20.0.10", dport=port, descr="workshop smb"))


def test_opnsense_a_port_field_that_is_no_port_disables_the_rule():
    for port in ("445-", "445,139"):
        cfg = parse(_opn_port_rule(port))
        # (before: '445-' was 445-65535, a certain pass of 8080)
        assert decide(cfg, WORKSHOP, PRIMARY, dport=8080).kind == "unknown", port
        assert decide(cfg, WORKSHOP, PRIMARY, dport=445).kind == "unknown", port


def test_opnsense_well_known_service_names_and_open_ranges():
    cfg = parse(_opn_port_rule("microsoft-ds"))
    # (before: unknown, the name split at its hyphen as a range)
    assert decide(cfg, WORKSHOP, PRIMARY, dport=445).kind == "permit"
    assert decide(cfg, WORKSHOP, PRIMARY, dport=139).kind == "deny"
    cfg = parse(_opn_port_rule("49152-any"))
    assert decide(cfg, WORKSHOP, PRIMARY, dport=65535).kind == "permit"
    assert decide(cfg, WORKSHOP, PRIMARY, dport=49151).kind == "deny"


def test_pfsense_values_with_spaces_around_them_are_not_what_they_read_as():
    # pfSense src/etc/inc/xmlparse.inc cData: 'trim($data, "\t\n\r")', spaces kept; filter.inc
    # filter_generate_user_rule: 'if ($type != "pass" && $type != "block" && ...) $type = "pass"': 'block ' is a pass.
    text = pfsense(rule("opt1", "block ", dst="<address>10.20.0.10</address>", descr="no workshop to primary")
                   + rule("opt1", "pass", descr="workshop out"))
    cfg = parse(text)
    # (before: a certain deny, where pfSense passes)
    assert decide(cfg, WORKSHOP, PRIMARY).kind == "unknown"
    (d,) = [d for d in cfg.diagnostics if "spaces around it" in d.message]
    assert d.source.line == line_of(text, "<type>block </type>") and d.impact is Impact.FILTER
    # an address alike ('10.20.0.10 ' is no address to alias_expand: the rule is skipped)
    text = pfsense(rule("opt1", "block", dst="<address>10.20.0.10 </address>", descr="no workshop to primary")
                   + rule("opt1", "pass", descr="workshop out"))
    assert decide(parse(text), WORKSHOP, PRIMARY).kind == "unknown"
    # a description's spaces change nothing
    text = pfsense(rule("opt1", "block", descr="no workshop to primary ") + rule("opt1", "pass", descr="workshop out"))
    cfg = parse(text)
    assert decide(cfg, WORKSHOP, PRIMARY).kind == "deny"
    assert not [d for d in cfg.diagnostics if "spaces around it" in d.message]


def test_opnsense_new_model_rule_without_ipprotocol_is_ipv4_only():
    # OPNsense Firewall/Filter.xml: '<ipprotocol type="OptionField"><Required>Y</Required><Default>inet</Default>';
    # BaseModel::parseXml sets a field config.xml does not hold to its default ("default will take care")
    rule_ = mvc_rule("pass", "opt1", descr="workshop to primary").replace("<ipprotocol>inet</ipprotocol>", "")
    cfg = parse(opnsense(rule_, system="<ipv6allow>1</ipv6allow>").replace(
        "<ipaddr>10.30.0.1</ipaddr>", "<ipaddr>10.30.0.1</ipaddr><ipaddrv6>2001:db8:30::1</ipaddrv6><subnetv6>64"
                                      "</subnetv6>").replace(
        "<ipaddr>10.20.0.1</ipaddr>", "<ipaddr>10.20.0.1</ipaddr><ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64"
                                      "</subnetv6>"))
    assert decide(cfg, WORKSHOP, PRIMARY).kind == "permit"
    # (before: read as inet46, a certain pass of IPv6 too)
    assert decide(cfg, "2001:db8:30::5", "2001:db8:20::10").kind == "deny"


def test_opnsense_new_model_rule_without_statetype_keeps_state_and_its_limits():
    # Filter.xml: statetype Required, Default 'keep'; FilterRule.php writes 'max' and the other state options when
    # 'statetype' is not empty and not 'none' (pf.conf(5) 'max': further packets that would create state are dropped)
    rule_ = mvc_rule("pass", "opt1", descr="workshop to primary", extra="<max>10</max>")
    cfg = parse(opnsense(rule_))
    # (before: no state type read, the limit ignored, a certain pass)
    assert decide(cfg, WORKSHOP, PRIMARY).kind == "unknown"
    assert [d for d in cfg.diagnostics if "state limit <max> 10" in d.message]


def test_opnsense_new_model_rule_without_sequence_has_the_default_one():
    # Filter.xml: sequence Required, Default 1 (BaseModel gives it to a rule config.xml writes without it): its place
    # among the others is known; (before: reported as "not a number", every verdict in doubt)
    block = mvc_rule("block", "opt1", seq=5, descr="no smb", protocol="tcp", dst="10.20.0.0/24", dport="445")
    first = mvc_rule("pass", "opt1", seq=2, descr="workshop out").replace("<sequence>2</sequence>", "")
    text = opnsense(block + first)
    cfg = parse(text)
    assert not [d for d in cfg.diagnostics if "sequence" in d.message]
    o = decide(cfg, WORKSHOP, PRIMARY)
    assert o.kind == "permit" and o.source.line == line_of(text, "workshop out")


def test_a_floating_rule_direction_in_capitals_makes_pfctl_refuse_the_ruleset():
    # pfSense filter_generate_user_rule writes a floating rule's direction as it is; pfctl's keywords are lower case
    # (parse.y keyword table, strcmp): ' IN ' is a syntax error (before: read as 'in', a certain decision)
    text = pfsense(floating("block", quick=True, direction="IN", iface="opt1", descr="no workshop")
                   + rule("opt1", "pass", descr="workshop out"))
    cfg = parse(text)
    (d,) = [d for d in cfg.diagnostics if "direction 'IN'" in d.message]
    assert d.impact is Impact.GLOBAL and d.source.line == line_of(text, "<direction>IN</direction>")


def test_pfsense_outbound_nat_mode_is_compared_as_written():
    # pfSense filter.inc filter_nat_rules_generate: manual rules for 'switch ($natomode)' case "advanced" / "hybrid",
    # automatic ones 'if ((!isset($natomode)) || ($natomode == "automatic") || ($natomode == "hybrid"))': 'Hybrid' and
    # an empty <mode/> generate no outbound NAT.  Seen here through an out-direction floating block of the WAN
    # address, which only translated packets carry (pf.conf(5): out rules see the packet after 'nat').
    def cfg(mode):
        return parse(pfsense(rule("lan", "pass", descr="lan out")
                             + floating("block", quick=True, direction="out", iface="wan",
                                        src="<network>wanip</network>", descr="nothing out as the wan address"),
                             nat="<outbound><mode>%s</mode></outbound>" % mode))
    assert decide(cfg("hybrid"), PRIMARY, "8.8.8.8", dport=443).kind == "deny"
    # (before: 'Hybrid' read as hybrid, translated and denied; '' as automatic alike)
    for mode in ("Hybrid", ""):
        c = cfg(mode)
        assert decide(c, PRIMARY, "8.8.8.8", dport=443).kind == "permit", mode
        assert [d for d in c.diagnostics if "generates no outbound NAT" in d.message], mode


def test_opnsense_an_address_range_written_in_a_rule_disables_it():
    # OPNsense Rule.php mapAddressInfo: a source or destination that is no alias, interface, Util::isIpAddress or
    # Util::isSubnet: "$rule['disabled'] = true", "Unable to convert address"
    for text in (opnsense(mvc_rule("pass", "opt1", dst="10.20.0.5-10.20.0.20", descr="to the servers")),
                 opnsense(legacy=rule("opt1", "pass", dst="<address>10.20.0.5-10.20.0.20</address>",
                                      descr="to the servers"))):
        # (before: a certain pass of 10.20.0.10)
        assert decide(parse(text), WORKSHOP, PRIMARY).kind == "unknown"


CARP_LAN = """<virtualip><vip><mode>carp</mode><interface>lan</interface><vhid>1</vhid><subnet>10.20.0.2</subnet>
    <subnet_bits>24</subnet_bits><type>single</type><uniqid>5f0c1a2b3c4d5</uniqid></vip></virtualip>"""


def test_opnsense_interface_address_macro_holds_its_virtual_ips():
    # OPNsense Rule.php loadAliasMap: 'lanip' is '(em1)'; pf.conf(5): an interface name in parentheses is every
    # address of the interface, a CARP VIP or IP alias set on it included.  pfSense filter.inc writes
    # $FilterIflist['lan']['ip'], the interface's own address only.
    legacy = (rule("opt1", "block", proto="tcp", dst="<network>lanip</network><port>443</port>", descr="no gui")
              + rule("opt1", "pass", descr="workshop out"))
    text = opnsense(legacy=legacy).replace("<filter>", CARP_LAN + "<filter>", 1)
    cfg = parse(text)
    assert decide(cfg, WORKSHOP, "10.20.0.1", dport=443).kind == "deny"
    # (before: the CARP address was not in 'LAN address', a certain pass)
    o = decide(cfg, WORKSHOP, "10.20.0.2", dport=443)
    assert o.kind == "deny" and o.source.line == line_of(text, "[no gui]")
    text = pfsense(legacy, extra=CARP_LAN)
    assert decide(parse(text), WORKSHOP, "10.20.0.2", dport=443).kind == "permit"


_FORWARD = """<rule><source><any/></source><destination><network>wanip</network><port>%s</port></destination>
<protocol>tcp</protocol><target>10.20.0.10</target><interface>wan</interface>
<descr><![CDATA[smb forward]]></descr><associated-rule-id>pass</associated-rule-id></rule>"""


def test_pfsense_port_forward_port_field_as_filter_generate_port_writes_it():
    # pfSense filter.inc filter_nat_rules_generate: the forward's match is filter_generate_address($rule,
    # 'destination', true), whose filter_generate_port with $isnat checks nothing first (unlike a filter rule): '0'
    # writes no port clause; 'explode("-", ...)': an empty first part is no port (alias_expand: null), no clause; a
    # second part '' or '0' leaves the first port alone.  (rdr pass: pf.conf(5), what it redirects is passed.)
    outside = "81.2.69.160"
    cfg = parse(pfsense("", nat=_FORWARD % "445-"))
    assert decide(cfg, outside, "203.0.113.2", dport=445).kind == "permit"
    # (before: 445-65535 redirected and passed)
    assert decide(cfg, outside, "203.0.113.2", dport=3389).kind == "deny"
    # ('microsoft-ds': explode("-") gives 'microsoft', no port nor alias: no port clause either; before: unknown)
    for port in ("-445", "0", "microsoft-ds"):
        cfg = parse(pfsense("", nat=_FORWARD % port))
        # (before: 0-445 and port 0: 3389 was not forwarded, where pfSense forwards every port to the server)
        assert decide(cfg, outside, "203.0.113.2", dport=3389).kind == "permit", port


def test_a_port_name_that_is_no_freebsd_service_name_leaves_the_rule_out():
    # pfSense util.inc is_port / OPNsense Util::isPort: a number or a name getservbyname(3) finds in FreeBSD's
    # /etc/services (IANA's names: 'microsoft-ds' for 445, 'ms-wbt-server' for 3389, 'domain' for 53), as written;
    # 'smb', 'rdp' or 'HTTP' are none: pfSense skips the rule, OPNsense disables it (see above)
    for port in ("smb", "HTTP"):
        for text in (_port_rule(port), _opn_port_rule(port)):
            # (before: 'smb' was port 445 and 'HTTP' port 80, certain passes of a rule the firewall does not load)
            assert decide(parse(text), WORKSHOP, PRIMARY, dport=445 if port == "smb" else 80).kind == "unknown"
    assert decide(parse(_port_rule("https")), WORKSHOP, PRIMARY, dport=443).kind == "permit"


def test_a_port_alias_entry_that_is_no_freebsd_service_name_is_no_port():
    # the alias is written as a macro of its entries and pfctl reads a name with getservbyname(3) (parse.y "unknown
    # port"): 'smb' is none (before: port 445, a certain pass)
    alias = "<alias><name>SMB</name><type>port</type><address>smb</address></alias>"
    text = pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address><port>SMB</port>",
                        descr="workshop smb"), aliases=alias)
    assert decide(parse(text), WORKSHOP, PRIMARY, dport=445).kind == "unknown"
    alias = "<alias><name>SMB</name><type>port</type><address>microsoft-ds</address></alias>"
    text = pfsense(rule("opt1", "pass", proto="tcp", dst="<address>10.20.0.10</address><port>SMB</port>",
                        descr="workshop smb"), aliases=alias)
    assert decide(parse(text), WORKSHOP, PRIMARY, dport=445).kind == "permit"

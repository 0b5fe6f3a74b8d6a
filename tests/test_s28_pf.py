"""Session 28, pfSense / OPNsense: host names in host and network aliases.

Sources:
* pfSense filter.inc (github.com/pfsense/pfsense, src/etc/inc/filter.inc, filter_generate_nested_alias_recurse):
  an alias entry that is not another alias, not an address or a subnet, and passes ``is_hostname`` is handed to
  filterdns ('pf HOST ALIAS'), which fills the alias' table with what the name resolves to at run time;
* pfSense util.inc ``is_hostname`` / ``is_domain``: dot-separated labels of letters, digits, '_' and '-', one
  label or more: a single-label name such as 'fileserver' (a Windows file server known by its short name on the
  site's DNS) is a host name;
* Netgate docs, "Aliases" (https://docs.netgate.com/pfsense/en/latest/firewall/aliases.html): host aliases take
  "IP addresses or fully qualified domain names (FQDN)", resolved periodically.

What a host name resolves to is not in config.xml: the rules using the alias are uncertain, and the entry's line
is reported (CFG300), whether or not the name has a dot.
"""

from auditor.api import make_packet
from auditor.core.model import Impact
from auditor.engine import decide_packet
from parsers import parse_text

WORKSHOP, PRIMARY, OTHER = "10.30.0.5", "10.20.0.10", "10.20.0.9"


def _config(entries: str, alias_type: str = "host", root: str = "pfsense") -> str:
    return """<?xml version="1.0"?>
<%s>
	<system>
		<optimization>normal</optimization>
		<webgui><protocol>https</protocol></webgui>
	</system>
	<interfaces>
		<lan>
			<enable></enable>
			<if>em1</if>
			<ipaddr>10.20.0.1</ipaddr>
			<subnet>24</subnet>
		</lan>
		<opt1>
			<enable>1</enable>
			<if>em2</if>
			<descr><![CDATA[WORKSHOP]]></descr>
			<ipaddr>10.30.0.1</ipaddr>
			<subnet>24</subnet>
		</opt1>
	</interfaces>
	<aliases>
		<alias>
			<name>SERVERS</name>
			<type>%s</type>
			<address>%s</address>
		</alias>
	</aliases>
	<filter>
		<rule>
			<type>block</type>
			<interface>opt1</interface>
			<ipprotocol>inet</ipprotocol>
			<source><any></any></source>
			<destination><address>SERVERS</address></destination>
			<descr><![CDATA[no servers]]></descr>
		</rule>
		<rule>
			<type>pass</type>
			<interface>opt1</interface>
			<ipprotocol>inet</ipprotocol>
			<source><any></any></source>
			<destination><any></any></destination>
			<descr><![CDATA[workshop out]]></descr>
		</rule>
	</filter>
</%s>
""" % (root, alias_type, entries, root)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _decide(cfg, dst: str):
    return decide_packet(cfg, make_packet(WORKSHOP, dst, "tcp", 40000, 445))


def test_a_single_label_host_name_in_a_host_alias_is_reported_at_its_line():
    text = _config("10.20.0.9 fileserver")
    cfg = parse_text(text, "config.xml")
    (d,) = [d for d in cfg.diagnostics if "fileserver" in d.message]
    # (before: no diagnostic at all, "0 not understood", and the rules' reason said it was "neither an alias nor an
    # address")
    assert d.source.line == _line(text, "fileserver") and d.impact is Impact.FILTER
    assert "host name fileserver is resolved at run time" in d.message
    # the name may resolve to the primary: the block rule may take it, the pass rule passes it otherwise
    o = _decide(cfg, PRIMARY)
    assert o.kind == "unknown" and "host name fileserver" in o.reason
    # the address the alias lists is blocked either way
    assert _decide(cfg, OTHER).kind == "deny"


def test_a_host_name_in_a_network_alias_and_a_dotted_one_are_reported_alike():
    for name in ("nas01", "files.print.example"):
        text = _config("10.20.0.16/29 " + name, "network")
        cfg = parse_text(text, "config.xml")
        (d,) = [d for d in cfg.diagnostics if name in d.message]
        assert d.source.line == _line(text, name) and "host name %s is resolved at run time" % name in d.message
        assert _decide(cfg, PRIMARY).kind == "unknown"


def test_an_entry_that_is_no_address_nor_a_host_name_is_reported_too():
    # ('10.20.0.0/33' is no subnet and, with its '/', no host name: filterdns does not take it)
    text = _config("10.20.0.9 10.20.0.0/33")
    cfg = parse_text(text, "config.xml")
    (d,) = [d for d in cfg.diagnostics if "10.20.0.0/33" in d.message]
    assert d.source.line == _line(text, "10.20.0.0/33") and "neither" in d.message
    assert _decide(cfg, PRIMARY).kind == "unknown"


def test_a_nested_alias_defined_later_is_no_host_name():
    text = _config("10.20.0.9 LATER").replace("</aliases>", """	<alias>
			<name>LATER</name>
			<type>host</type>
			<address>10.20.0.10</address>
		</alias>
	</aliases>""")
    cfg = parse_text(text, "config.xml")
    assert not [d for d in cfg.diagnostics if "LATER" in d.message]
    assert _decide(cfg, PRIMARY).kind == "deny"
    assert _decide(cfg, "10.20.0.11").kind == "permit"


def test_opnsense_host_alias_with_a_short_host_name():
    # OPNsense resolves every host alias entry that is no address (its alias updater, scripts/filter/lib/alias)
    text = _config("10.20.0.9 fileserver", root="opnsense")
    cfg = parse_text(text, "config.xml")
    (d,) = [d for d in cfg.diagnostics if "fileserver" in d.message]
    assert d.source.line == _line(text, "fileserver")
    assert _decide(cfg, PRIMARY).kind == "unknown"

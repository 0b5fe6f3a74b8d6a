"""Small config.xml builders and a packet helper for the pfSense / OPNsense tests."""

from __future__ import annotations

from auditor.api import make_packet
from auditor.engine import decide_packet
from parsers import parse_text

LAN = """
		<lan>
			<enable></enable>
			<if>em1</if>
			<ipaddr>10.20.0.1</ipaddr>
			<subnet>24</subnet>
		</lan>"""
WAN_STATIC = """
		<wan>
			<enable></enable>
			<if>em0</if>
			<ipaddr>203.0.113.2</ipaddr>
			<subnet>24</subnet>
			<gateway>WANGW</gateway>
		</wan>"""
OPT1 = """
		<opt1>
			<enable></enable>
			<if>em2</if>
			<descr><![CDATA[WORKSHOP]]></descr>
			<ipaddr>10.30.0.1</ipaddr>
			<subnet>24</subnet>
		</opt1>"""
DHCP_OPT2 = """
		<opt2>
			<enable></enable>
			<if>em3</if>
			<descr><![CDATA[DYN]]></descr>
			<ipaddr>dhcp</ipaddr>
		</opt2>"""
GATEWAYS = """
	<gateways>
		<gateway_item>
			<interface>wan</interface>
			<gateway>203.0.113.1</gateway>
			<name>WANGW</name>
			<ipprotocol>inet</ipprotocol>
		</gateway_item>
	</gateways>"""


def rule(iface: str = "lan", type_: str = "pass", src: str = "<any/>", dst: str = "<any/>", proto: str = "",
         descr: str = "r", extra: str = "", ipprotocol: str = "inet") -> str:
    """One ``<filter><rule>`` (pfSense)."""
    p = "<protocol>%s</protocol>" % proto if proto else ""
    return """
		<rule>
			<type>%s</type>
			<interface>%s</interface>
			<ipprotocol>%s</ipprotocol>
			%s%s
			<source>%s</source>
			<destination>%s</destination>
			<descr><![CDATA[%s]]></descr>
		</rule>""" % (type_, iface, ipprotocol, p, extra, src, dst, descr)


def floating(type_: str = "block", quick: bool = True, direction: str = "in", iface: str = "", proto: str = "",
             src: str = "<any/>", dst: str = "<any/>", descr: str = "f") -> str:
    """One floating rule (pfSense)."""
    extra = "<floating>yes</floating><direction>%s</direction>" % direction + ("<quick>yes</quick>" if quick else "")
    return rule(iface, type_, src, dst, proto, descr, extra)


def pfsense(rules: str = "", interfaces: str = LAN + WAN_STATIC + OPT1, system: str = "", extra: str = "",
            aliases: str = "", nat: str = "", gateways: str = GATEWAYS) -> str:
    """A pfSense config.xml with the given parts."""
    return """<?xml version="1.0"?>
<pfsense>
	<version>23.2</version>
	<system>
		<optimization>normal</optimization>
		<hostname>fw</hostname>
		<webgui>
			<protocol>https</protocol>
		</webgui>%s
	</system>
	<interfaces>%s
	</interfaces>%s
	<aliases>%s
	</aliases>
	<nat>%s
	</nat>
	<filter>%s
	</filter>%s
</pfsense>
""" % (system, interfaces, gateways, aliases, nat, rules, extra)


def opnsense(rules: str = "", legacy: str = "", interfaces: str = LAN + WAN_STATIC + OPT1, aliases: str = "",
             system: str = "") -> str:
    """An OPNsense config.xml with new-model ``rules`` and ``legacy`` ``<filter>`` rules."""
    return """<?xml version="1.0"?>
<opnsense>
	<system>
		<optimization>normal</optimization>
		<webgui><protocol>https</protocol></webgui>%s
	</system>
	<interfaces>%s
	</interfaces>%s
	<filter>%s
	</filter>
	<OPNsense>
		<Firewall>
			<Alias version="1.0.0">
				<aliases>%s
				</aliases>
			</Alias>
			<Filter version="1.0.0">
				<rules>%s
				</rules>
			</Filter>
		</Firewall>
	</OPNsense>
</opnsense>
""" % (system, interfaces, GATEWAYS, legacy, aliases, rules)


def mvc_rule(action: str = "pass", interface: str = "lan", quick: str = "1", direction: str = "in",
             protocol: str = "any", src: str = "any", dst: str = "any", dport: str = "", seq: int = 1,
             descr: str = "m", ipprotocol: str = "inet", extra: str = "") -> str:
    """One OPNsense new-model filter rule."""
    return """
					<rule uuid="00000000-0000-0000-0000-%012d">
						<enabled>1</enabled>
						<sequence>%d</sequence>
						<action>%s</action>
						<quick>%s</quick>
						<interface>%s</interface>
						<direction>%s</direction>
						<ipprotocol>%s</ipprotocol>
						<protocol>%s</protocol>
						<source_net>%s</source_net>
						<destination_net>%s</destination_net>
						<destination_port>%s</destination_port>%s
						<description>%s</description>
					</rule>""" % (seq, seq, action, quick, interface, direction, ipprotocol, protocol, src, dst, dport,
                                   extra, descr)


def parse(text: str, path: str = "config.xml"):
    return parse_text(text, path)


def decide(cfg, src: str, dst: str, proto: str = "tcp", dport: int | None = 445, sport: int | None = 40000):
    """The engine's outcome for one packet through the config."""
    return decide_packet(cfg, make_packet(src, dst, proto, sport, dport))


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line containing ``needle``."""
    seen = 0
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == nth:
                return n
    raise AssertionError(needle)


def at(text: str, descr: str) -> int:
    """The line of the description ``descr`` (a rule's line)."""
    for needle in ("[%s]]" % descr, ">%s<" % descr):
        if needle in text:
            return line_of(text, needle)
    raise AssertionError(descr)

"""Session 24, reply-to follow-ups (pfSense / OPNsense): the outbound NAT protocol, the rule's and the system's
disablereplyto, tunnel interfaces, rules on several interfaces, port forwards' registered rules.

Sources cited below:

* [ETCPROTO] FreeBSD sbin/pfctl/parse.y 'protoval' (getprotobyname(3): "unknown protocol %s" refuses the ruleset)
  and lib/libc/net/protocols (FreeBSD's /etc/protocols: ``parsers/pfsense/protocols.py``); pfSense filter.inc
  filter_nat_rules_generate_if: 'if (!empty($proto) && $proto != "any") { if ($proto == "tcp/udp") ... else
  $protocol = " proto {$proto}"; }' (as written); OPNsense SNatRule.php (Rule::reader lowercases the protocol).
* [REPLYTO] OPNsense library/OPNsense/Firewall/FilterRule.php convertReplyTo: 'elseif
  (empty($rule['disablereplyto']) && ($rule['direction'] ?? "") != 'any' && empty($rule['interfacenot']))' the
  interface's gateway ('reply-to ( IF GW )' when 'Util::isIpAddress' of it); Plugin.php registerFilterRule:
  '$conf = array_merge($this->systemDefaults['filter'], $conf)' (the rule's own key wins), the system default
  set 'if (!empty(Config::getInstance()->object()->system->disablereplyto))'.  FreeBSD pf.conf(5) 'reply-to'
  (https://man.freebsd.org/cgi/man.cgi?query=pf.conf&sektion=5): "similar to route-to, but routes packets that
  pass in the opposite direction (replies) to the specified interface".
"""

from pf_helpers import GATEWAYS, LAN, WAN_STATIC, at, decide, mvc_rule, opnsense, parse, pfsense, rule
from test_pfsense_leftovers24 import _GWS, _OPT1GW, SRV, WS

from auditor.core.model import Impact
from auditor.core.packets import ISet
from auditor.engine import DENY, PERMIT, UNKNOWN


def _outbound(proto: str) -> str:
    """A hybrid outbound NAT rule translating what LAN sends of protocol ``proto`` to 198.51.100.9."""
    return """
		<outbound>
			<mode>hybrid</mode>
			<rule>
				<source><network>10.20.0.0/24</network></source>
				<destination><any/></destination>
				<interface>wan</interface>
				<protocol>%s</protocol>
				<target>198.51.100.9</target>
				<descr><![CDATA[manual]]></descr>
			</rule>
		</outbound>""" % proto


def _global(cfg):
    return [d for d in cfg.diagnostics if d.impact == Impact.GLOBAL]


def test_outbound_nat_protocol_is_read_from_freebsd_protocols():
    # [ETCPROTO] 'nat on em0 proto ipv4 ...': 'ipv4' is IANA's name of protocol 4, not FreeBSD's (ipencap 4
    # IP-ENCAP): pfctl refuses the ruleset and the firewall keeps the rules it had.  Before, the rule took protocol
    # 4 and the audit decided
    cfg = parse(pfsense(rule("lan", "pass"), nat=_outbound("ipv4")))
    (g,) = _global(cfg)
    assert "pfctl" in g.message and "ipv4" in g.message
    # 'ipip' is protocol 94 in FreeBSD's table (4 in IANA's): the rule translates protocol 94 only
    cfg = parse(pfsense(rule("lan", "pass"), nat=_outbound("ipip")))
    assert not _global(cfg) and _manual_protocols(cfg) == ISet.of(94)
    # pfSense writes the protocol as it is: 'TCP' is an alias of tcp in /etc/protocols, 'Tcp' is nothing
    cfg = parse(pfsense(rule("lan", "pass"), nat=_outbound("TCP")))
    assert not _global(cfg) and _manual_protocols(cfg) == ISet.of(6)
    assert _global(parse(pfsense(rule("lan", "pass"), nat=_outbound("Tcp"))))
    # OPNsense lowercases it first (Rule::reader)
    text = opnsense(legacy=rule("lan", "pass"))
    text = text.replace("\t<OPNsense>", "\t<nat>%s\n\t</nat>\n\t<OPNsense>" % _outbound("Tcp"), 1)
    cfg = parse(text)
    assert not _global(cfg) and _manual_protocols(cfg) == ISet.of(6)


def _manual_protocols(cfg) -> ISet:
    """The protocols the manual outbound NAT rule translates."""
    post = [r for n in cfg.nat if n.when == "post-routing" for r in n.rules]
    got = ISet.union_of(c.dims[2] for r in post if r.label == "outbound NAT rule 'manual'" for c in r.match.cubes)
    assert got
    return got


def _opn(rules: str = "", legacy: str = "", system: str = "", interfaces: str = LAN + WAN_STATIC + _OPT1GW) -> str:
    """An OPNsense config whose OPT1 (WORKSHOP) has a gateway of its own (OPTGW, 10.30.0.254) and a network routed
    through it (10.99.0.0/16): a pass rule on OPT1 gets 'reply-to ( em2 10.30.0.254 )'."""
    return opnsense(rules, legacy=legacy, interfaces=interfaces, system=system).replace(GATEWAYS, _GWS)


def test_opnsense_legacy_rule_disablereplyto_overrides_the_system():
    # [REPLYTO] a legacy rule's own 'disablereplyto' key wins over the system's default (array_merge): '0' (PHP
    # empty) turns reply-to back on for that rule although System > Settings > Advanced disables it.  Before, the
    # system's setting alone decided: the rule was taken to pass the Workshop client's flow, while its replies go
    # to 10.30.0.254
    off = "\n\t\t<disablereplyto>1</disablereplyto>"
    text = _opn(legacy=rule("opt1", "pass", proto="tcp", extra="<disablereplyto>0</disablereplyto>", descr="p"),
                system=off)
    o = decide(parse(text), WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "p") and "reply-to" in o.reason
    # without the key, the system's default applies: no reply-to
    assert decide(parse(_opn(legacy=rule("opt1", "pass", proto="tcp"), system=off)), WS, SRV).kind == PERMIT
    # a new-model rule has the key only when set (FilterRuleField::serialize): its '0' leaves the system's default
    text = _opn(mvc_rule("pass", "opt1", protocol="TCP", extra="<disablereplyto>0</disablereplyto>"), system=off)
    assert decide(parse(text), WS, SRV).kind == PERMIT
    # the system's '0' is empty to SimpleXML: reply-to stays on
    text = _opn(mvc_rule("pass", "opt1", protocol="TCP"), system="\n\t\t<disablereplyto>0</disablereplyto>")
    assert decide(parse(text), WS, SRV).kind == UNKNOWN
    assert decide(parse(text), "10.99.0.5", SRV).kind == PERMIT


def _tunnel(real: str) -> tuple[str, str]:
    """OPT2 on tunnel device ``real`` without a static address, a gateway TUNGW (10.8.0.2) on it and a remote
    network 192.168.50.0/24 routed through that gateway: (interfaces, gateways)."""
    iface = """
		<opt2>
			<enable></enable>
			<if>%s</if>
			<descr><![CDATA[TUN]]></descr>
		</opt2>""" % real
    gws = GATEWAYS.replace("</gateways>", """	<gateway_item>
			<interface>opt2</interface>
			<gateway>10.8.0.2</gateway>
			<name>TUNGW</name>
			<ipprotocol>inet</ipprotocol>
		</gateway_item>
		<defaultgw4>WANGW</defaultgw4>
	</gateways>
	<staticroutes>
		<route><network>192.168.50.0/24</network><gateway>TUNGW</gateway></route>
	</staticroutes>""")
    return LAN + WAN_STATIC + iface, gws


def test_opnsense_ipsec_interface_has_no_dynamic_reply_to():
    # [REPLYTO] OPNsense: an interface without a static address gets the gateway Gateways::getInterfaceGateway
    # finds for it, a dynamic one only with the router its device learned (Gateways::getGateways:
    # 'Autoconf::getRouter($device, $ipproto)', the file '/tmp/IF_router' that ifctl writes: dhclient-script,
    # ppp-linkup, plugins.inc.d/openvpn/ovpn-linkup, interfaces.inc for GRE and GIF tunnels; nothing writes one for
    # an IPsec VTI 'ipsecN'), and convertReplyTo writes reply-to only with an address ('Util::isIpAddress').  A
    # pass rule on an IPsec VTI interface gets none.  Before, it was taken to get a dynamic one and what it
    # passed was unknown for every source
    ifaces, gws = _tunnel("ipsec1")
    text = opnsense(mvc_rule("pass", "opt2", protocol="TCP", descr="t"), interfaces=ifaces).replace(GATEWAYS, gws)
    o = decide(parse(text), "192.168.50.5", SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "t")
    # OpenVPN writes its peer as the router (ovpn-linkup: 'ifctl -4rd -i ${1} ${ROUTERV4}'): a dynamic reply-to
    # whose address the configuration does not hold
    ifaces, gws = _tunnel("ovpns1")
    text = opnsense(mvc_rule("pass", "opt2", protocol="TCP", descr="t"), interfaces=ifaces).replace(GATEWAYS, gws)
    assert decide(parse(text), "192.168.50.5", SRV).kind == UNKNOWN
    # pfSense writes the VTI's peer ('/tmp/{$ipsecif}_router', interfaces.inc interface_ipsec_vti_configure) and
    # reads it for an interface without a static address (gwlb.inc get_interface_gateway): still unknown
    ifaces, gws = _tunnel("ipsec1")
    text = pfsense(rule("opt2", "pass", proto="tcp", descr="t"), interfaces=ifaces, gateways=gws)
    assert decide(parse(text), "192.168.50.5", SRV).kind == UNKNOWN


def test_opnsense_rule_on_several_interfaces_gets_each_ones_reply_to():
    # [REPLYTO] Rule::reader expands a rule on several interfaces into one pf rule per interface, and
    # convertReplyTo gives each its own interface's gateway: 'pass in quick on em1 ...' (LAN: no gateway) and
    # 'pass in quick on em2 reply-to ( em2 10.30.0.254 ) ...'.  Before, the rule kept on every interface only the
    # sources routed through WORKSHOP's gateway: LAN's own clients, whose replies nothing diverts, were unknown
    text = _opn(mvc_rule("pass", "lan,opt1", protocol="TCP", descr="m"))
    cfg = parse(text)
    o = decide(cfg, "10.20.0.7", "10.30.0.9")
    assert o.kind == PERMIT and o.source.line == at(text, "m")
    o = decide(cfg, WS, SRV)
    assert o.kind == UNKNOWN and o.source.line == at(text, "m") and "10.30.0.254" in o.reason
    assert decide(cfg, "10.99.0.5", SRV).kind == PERMIT
    # a legacy rule on both alike
    text = _opn(legacy=rule("lan,opt1", "pass", proto="tcp", descr="l"))
    cfg = parse(text)
    assert decide(cfg, "10.20.0.7", "10.30.0.9").kind == PERMIT
    assert decide(cfg, WS, SRV).kind == UNKNOWN


def test_opnsense_port_forward_register_rule_gets_reply_to():
    # [REPLYTO] filter.lib.inc filter_core_rules_system registers a 'Register rule' port forward's filter rule
    # ('$fw->registerFilterRule(500000, $tmprule)') without the generated rules' defaults ('disablereplyto' =>
    # 1), with no direction (convertReplyTo: '($rule['direction'] ?? "") != 'any''), gateway or disablereplyto:
    # on WAN it is 'pass in quick on em0 reply-to ( em0 203.0.113.1 ) ... to 10.20.0.10 port 3389'.  A client on
    # WAN's own subnet gets its replies through 203.0.113.1.  Before, the rule was taken to pass it
    from test_pfsense_nat import OUT, WAN_IP, opn_forward, opn_nat
    text = opn_nat(opn_forward(pass_="rule"))
    cfg = parse(text)
    o = decide(cfg, "203.0.113.50", WAN_IP, "tcp", 3389)
    assert o.kind == UNKNOWN and o.source.line == at(text, "fwd") and "203.0.113.1" in o.reason
    # a client the routing table reaches through WAN's gateway: passed
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd")
    # the system's 'Disable reply-to' (Plugin.php systemDefaults['filter']): none
    text = text.replace("<optimization>normal</optimization>",
                        "<optimization>normal</optimization><disablereplyto>1</disablereplyto>", 1)
    assert decide(parse(text), "203.0.113.50", WAN_IP, "tcp", 3389).kind == PERMIT


def test_pfsense_forward_associated_rule_id_rule_registers_nothing():
    # pfSense filter.inc filter_nat_rules_generate: 'if ($rule['associated-rule-id'] == "pass") $rdrpass = "pass
    # "' and nothing else: any other association is the id of an ordinary filter rule (Netgate docs, "Port
    # Forwards", Filter rule association: "Add associated filter rule", "Pass", "None"); only OPNsense's <pass>rule
    # </pass> registers a filter rule.  Before, a pfSense forward whose association read 'rule' passed what it
    # redirected as if OPNsense had registered a rule for it
    from test_pfsense_nat import OUT, WAN_IP, forward
    text = pfsense("", nat=forward("3389", assoc="rule"))
    assert decide(parse(text), OUT, WAN_IP, "tcp", 3389).kind == DENY

"""NAT: port forwards (with their filter rules), 1:1 NAT, outbound NAT, end to end through the engine.

Sources:
* pf.conf(5), TRANSLATION (https://man.freebsd.org/pf.conf(5)): "Since translation occurs before filtering the
  filter engine will see packets as they look after any addresses and ports have been translated"; "If the pass
  modifier is given, packets matching the translation rule are passed without inspecting the filter rules";
* Netgate, pfSense docs "Port Forwards" (https://docs.netgate.com/pfsense/en/latest/nat/port-forwards.html) and
  the Filter rule association options: "Add associated filter rule" (a linked rule on the interface tab),
  "Pass" (no filter rule: the NAT rule passes the traffic, 'rdr pass'), "None";
* pfSense filter.inc: ``rdr on IF ... -> target port localport:localendport`` (a port range maps onto a local
  range of the same length); ``no rdr`` for "No RDR"; outbound NAT ``nat on WAN ... -> (WAN) port 1024:65535``.
"""

from pf_helpers import LAN, OPT1, WAN_STATIC, at, decide, floating, line_of, opnsense, parse, pfsense, rule

from auditor.api import audit, decision_json, make_packet
from auditor.core.model import Impact
from auditor.core.packets import ISet, PacketSet, cube
from auditor.engine import DENY, PERMIT, UNKNOWN, evaluate
from auditor.policy import load_site
from parsers.kit.addr import cidr_set

OUT = "198.51.100.7"  # an outside client (WAN has no bogon blocking in these configs)
WAN_IP, SRV = "203.0.113.2", "10.20.0.10"


def forward(dport: str, target: str = SRV, local: str = "", assoc: str = "", proto: str = "tcp", extra: str = "",
            descr: str = "fwd") -> str:
    return """
		<rule>
			<source><any/></source>
			<destination><network>wanip</network><port>%s</port></destination>
			<protocol>%s</protocol>
			<target>%s</target>
			<local-port>%s</local-port>
			<interface>wan</interface>
			<descr><![CDATA[%s]]></descr>
			<associated-rule-id>%s</associated-rule-id>%s
		</rule>""" % (dport, proto, target, local, descr, assoc, extra)


def wan_rule(port: str, dst: str = SRV, descr: str = "fwd rule") -> str:
    return rule("wan", "pass", dst="<address>%s</address><port>%s</port>" % (dst, port), proto="tcp", descr=descr,
                extra="<associated-rule-id>nat_1</associated-rule-id>")


def test_port_forward_with_its_associated_rule():
    text = pfsense(wan_rule("3389"), nat=forward("3389", assoc="nat_1"))
    cfg = parse(text)
    (pre,) = [n for n in cfg.nat if n.when == "pre-routing"]
    (r,) = pre.rules
    assert r.ingress == ("WAN",) and r.source.line == at(text, "fwd")
    # the client sends to the WAN address; the WAN rule sees (and passes) the internal target
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd rule")
    assert [x.source.line for x in o.xlate.rules] == [at(text, "fwd")]
    j = decision_json(cfg, make_packet(OUT, WAN_IP, "tcp", 40000, 3389))
    assert j["decision"] == "permit" and j["translated"]["dst"] == SRV
    assert decide(cfg, OUT, WAN_IP, "tcp", 3390).kind == DENY


def test_port_forward_alone_does_not_pass():
    # [Port Forwards] a forward needs a filter rule ("None" association): the default deny decides
    cfg = parse(pfsense(nat=forward("3389")))
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == DENY and o.rule is None


def test_local_port_and_port_range_translation():
    text = pfsense(wan_rule("443") + wan_rule("6000-6010", descr="range rule"),
                   nat=forward("8443", local="443", descr="https") + forward("5000-5010", local="6000",
                                                                             descr="range"))
    cfg = parse(text)
    o = decide(cfg, OUT, WAN_IP, "tcp", 8443)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd rule")
    o = decide(cfg, OUT, WAN_IP, "tcp", 5005)
    assert o.kind == PERMIT and o.source.line == at(text, "range rule")
    j = decision_json(cfg, make_packet(OUT, WAN_IP, "tcp", 40000, 5010))
    assert j["translated"]["dport"] == 6010
    assert decide(cfg, OUT, WAN_IP, "tcp", 443).kind == DENY  # not forwarded: nothing passes it


def test_rdr_pass_forward_passes_without_a_filter_rule():
    # [pf.conf TRANSLATION] 'rdr pass': the redirected packets are passed without the filter rules
    text = pfsense(rule("wan", "block", proto="tcp", descr="block all tcp"), nat=forward("3389", assoc="pass"))
    cfg = parse(text)
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd")
    assert "Pass" in o.rule.label
    assert decide(cfg, OUT, WAN_IP, "tcp", 22).kind == DENY


def test_rdr_pass_passes_only_what_it_redirects():
    # [pf.conf(5) TRANSLATION, https://man.freebsd.org/pf.conf(5)] "packets matching the translation rule are
    # passed without inspecting the filter rules": only those.  A packet sent from outside straight to the internal
    # address does not match the rdr (its destination is not the WAN address) and meets WAN's rules: here none, so
    # the default deny.  (Before: the pass rule matched the translated form, which the direct packet has too.)
    text = pfsense(nat=forward("3389", assoc="pass"))
    cfg = parse(text)
    assert decide(cfg, OUT, WAN_IP, "tcp", 3389).kind == PERMIT
    o = decide(cfg, OUT, SRV, "tcp", 3389)
    assert o.kind == DENY and o.rule is None
    # the same by the set evaluation: the two destinations apart, each with its verdict
    flows = PacketSet([cube(src=cidr_set(OUT), dst=cidr_set(d), proto=ISet.of(6), dport=ISet.of(3389))
                       for d in (WAN_IP, SRV)])
    got = {(o.kind, o.packets.cubes[0].dims[1].iv[0][0]) for o in evaluate(cfg, flows)}
    assert got == {(PERMIT, cidr_set(WAN_IP).lo), (DENY, cidr_set(SRV).lo)}
    # the WAN rules decide the direct packets: a rule passing them passes them
    text = pfsense(wan_rule("3389", descr="direct ok"), nat=forward("3389", assoc="pass"))
    cfg = parse(text)
    o = decide(cfg, OUT, SRV, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "direct ok")
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd")


def test_rdr_pass_packets_meet_the_out_rules():
    # pf evaluates the out-direction rules of the interface a redirected packet leaves (a second pf_test, on
    # that interface, outbound); 'rdr pass' skips only the inbound ruleset of the interface it redirects on
    text = pfsense(floating("block", True, "out", "lan", "tcp", descr="no rdp out"), nat=forward("3389", assoc="pass"))
    cfg = parse(text)
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == DENY and o.source.line == at(text, "no rdp out")


def test_no_rdr_exempts_from_later_forwards():
    text = pfsense(wan_rule("3389"), nat=forward("3389", extra="<nordr></nordr>", descr="exempt")
                   .replace("<any/></source>", "<address>198.51.100.7</address></source>") + forward("3389"))
    cfg = parse(text)
    (pre,) = [n for n in cfg.nat if n.when == "pre-routing"]
    assert [len(r.rewrites) for r in pre.rules] == [0, 1]
    # the exempted client's packets stay addressed to the firewall: WAN passes nothing to the firewall itself
    assert decide(cfg, OUT, WAN_IP, "tcp", 3389).kind == DENY
    assert decide(cfg, "198.51.100.8", WAN_IP, "tcp", 3389).kind == PERMIT


def test_disabled_forward_does_nothing():
    cfg = parse(pfsense(wan_rule("3389"), nat=forward("3389", extra="<disabled></disabled>")))
    assert not [n for n in cfg.nat if n.when == "pre-routing"]


def test_one_to_one_nat_both_ways():
    onetoone = """
		<onetoone>
			<external>203.0.113.50</external>
			<source><address>10.20.0.50</address></source>
			<destination><any/></destination>
			<interface>wan</interface>
			<descr><![CDATA[binat]]></descr>
		</onetoone>"""
    text = pfsense(rule("wan", "pass", dst="<address>10.20.0.50</address>", proto="tcp", descr="to binat host"),
                   nat=onetoone)
    cfg = parse(text)
    o = decide(cfg, OUT, "203.0.113.50", "tcp", 80)
    assert o.kind == PERMIT and o.source.line == at(text, "to binat host")
    post = [r for n in cfg.nat if n.when == "post-routing" for r in n.rules if "1:1" in r.label]
    assert post and post[0].egress == ("WAN",)


def test_outbound_nat_is_seen_by_out_rules_only():
    # automatic outbound NAT: LAN's subnet leaves WAN with WAN's address; a floating out rule on WAN sees it
    text = pfsense(rule("lan", "pass") + floating("block", True, "out", "wan", src="<address>10.20.0.0/24</address>",
                                                  descr="never matches after NAT"))
    cfg = parse(text)
    post = [r for n in cfg.nat if n.when == "post-routing" for r in n.rules]
    assert post and post[0].egress == ("WAN",) and "automatic" in post[0].label
    assert decide(cfg, SRV, OUT, "tcp", 443).kind == PERMIT
    text = text.replace("<address>10.20.0.0/24</address>", "<address>203.0.113.2</address>")
    o = decide(parse(text), SRV, OUT, "tcp", 443)
    assert o.kind == DENY and o.source.line == at(text, "never matches after NAT")


def test_manual_outbound_mode_uses_only_the_manual_rules():
    outbound = """
		<outbound>
			<mode>advanced</mode>
			<rule>
				<source><network>10.20.0.0/24</network></source>
				<destination><any/></destination>
				<interface>wan</interface>
				<target>203.0.113.9</target>
				<descr><![CDATA[manual]]></descr>
			</rule>
		</outbound>"""
    text = pfsense(rule("lan", "pass"), nat=outbound)
    cfg = parse(text)
    post = [r for n in cfg.nat if n.when == "post-routing" for r in n.rules]
    assert [r.source.line for r in post] == [at(text, "manual")]
    assert post[0].rewrites[0].pool.lo == make_packet("203.0.113.9", "1.1.1.1", "tcp", 1, 1)[0]


def test_exposure_through_a_port_forward_is_reported_at_the_filter_rule():
    text = pfsense(wan_rule("3389", descr="rdp to primary"), nat=forward("3389", assoc="nat_1"))
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    result = audit([parse(text)], site)
    exposed = [f for f in result.findings if f.rule_id == "PRN150" and f.status != "unknown"]
    assert [f.source.line for f in exposed] == [at(text, "rdp to primary")]
    assert exposed[0].example[4] in (3389,)
    # (the WAN rule's automatic reply-to: clients on the WAN's own subnet are undecided, test_pfsense_leftovers24.py)
    (undecided,) = [f for f in result.findings if f.rule_id == "PRN150" and f.status == "unknown"]
    assert undecided.source.line == at(text, "rdp to primary") and "reply-to" in undecided.message


def test_nat_reflection_is_reported_not_modelled():
    text = pfsense(wan_rule("3389"), nat=forward("3389", assoc="nat_1",
                                                 extra="<natreflection>purenat</natreflection>"))
    cfg = parse(text)
    d, = [d for d in cfg.unrecognized if "reply-to" not in d.message]  # (the WAN rule's reply-to: leftovers24)
    assert d.source.line == line_of(text, "<natreflection>") and "reflection" in d.message


def test_port_forward_is_matched_before_one_to_one_nat():
    # pf looks inbound translations up in its rdr ruleset first and in its binat ruleset only when no rdr rule
    # matched (FreeBSD sys/netpfil/pf/pf_lb.c, pf_get_translation: PF_IN tries PF_RULESET_RDR, then
    # PF_RULESET_BINAT; outbound BINAT then NAT); "Port forward rules take precedence over 1:1 NAT"
    # (https://opennix.org/en/docs/pfsense/nat, "NAT Processing Order").  A forward of port 80 of the 1:1
    # address to another host: the WAN rule that admits the 1:1 host does not admit what the forward sends on.
    onetoone = """
		<onetoone>
			<external>203.0.113.50</external>
			<source><address>10.20.0.50</address></source>
			<destination><any/></destination>
			<interface>wan</interface>
			<descr><![CDATA[binat]]></descr>
		</onetoone>"""
    fwd = forward("80", target="10.20.0.60").replace("<network>wanip</network>", "<address>203.0.113.50</address>")
    text = pfsense(rule("wan", "pass", dst="<address>10.20.0.50</address>", proto="tcp", descr="to binat host"),
                   nat=onetoone + fwd)
    cfg = parse(text)
    o = decide(cfg, OUT, "203.0.113.50", "tcp", 80)
    assert o.kind == DENY and [x.source.line for x in o.xlate.rules] == [at(text, "fwd")]
    j = decision_json(cfg, make_packet(OUT, "203.0.113.50", "tcp", 40000, 80))
    assert j["decision"] == "deny" and j["translated"]["dst"] == "10.20.0.60"
    # other ports of the 1:1 address are still the 1:1 mapping's
    o = decide(cfg, OUT, "203.0.113.50", "tcp", 443)
    assert o.kind == PERMIT and o.source.line == at(text, "to binat host")
    # a "No RDR" forward ends the search of the forwards, not of the 1:1 mappings (pf_lb.c: a matching 'no rdr'
    # gives pf_match_translation no rule, and the binat rules are tried next): the 1:1 host is reached
    nordr = forward("80", extra="<nordr></nordr>", descr="exempt").replace(
        "<network>wanip</network>", "<address>203.0.113.50</address>")
    text = pfsense(rule("wan", "pass", dst="<address>10.20.0.50</address>", proto="tcp", descr="to binat host"),
                   nat=onetoone + nordr + fwd)
    cfg = parse(text)
    o = decide(cfg, OUT, "203.0.113.50", "tcp", 80)
    assert o.kind == PERMIT and o.source.line == at(text, "to binat host")
    assert [x.source.line for x in o.xlate.rules] == [at(text, "binat")]


# --- OPNsense 26.1 port forwards (the DNat model) ---------------------------------------------------------------
# [DNAT] opnsense/core at f95e81516e: models/OPNsense/Firewall/DNat.xml (mounted at /nat/rule+: sequence, nordr,
# ipprotocol 'any' (blank) / inet / inet6 / inet46, tag, tagged, pass: blank 'Manual', 'pass', 'rule'),
# FieldTypes/DNatSequenceField.php, DNatAssociatedRuleField.php; etc/inc/filter.inc filter_configure_sync
# ('foreach ((new OPNsense\Firewall\DNat())->rule->sortedBy(['sequence']) ...) registerDestinationNatRule(600, ...)');
# library/OPNsense/Firewall/ForwardRule.php (the 'rdr' line: 'no rdr' / 'rdr pass', tag, tagged; 'pass' is
# rdr pass unless it is 'rule'); etc/inc/filter.lib.inc filter_core_rules_system ('if ($rule->pass == 'rule')'
# registerFilterRule(500000, ...) "automatic at the end of our ruleset"); OPNsense manual, "Network Address
# Translation", Port forwarding (https://docs.opnsense.org/manual/nat.html).


def opn_forward(target: str = SRV, seq: str = "100", uuid: str = "a", ipprotocol: str = "inet", pass_: str = "",
                tag: str = "", tagged: str = "", nordr: str = "0", descr: str = "fwd", dport: str = "3389") -> str:
    """One OPNsense 26.1 port forward as the DNat model writes it (every field, blank ones empty)."""
    def el(name, value):
        return "<%s>%s</%s>" % (name, value, name) if value else "<%s/>" % name
    return """
		<rule uuid="%s">
			<sequence>%s</sequence>
			<disabled>0</disabled>
			<nordr>%s</nordr>
			<interface>wan</interface>
			%s
			<protocol>tcp</protocol>
			<source><any>1</any></source>
			<destination><network>wanip</network><port>%s</port></destination>
			%s
			<local-port>%s</local-port>
			<poolopts/><log>0</log><category/>
			<descr>%s</descr>
			%s
			%s
			<nosync>0</nosync><natreflection/>
			%s
			<associated-rule-id/>
		</rule>""" % (uuid, seq, nordr, el("ipprotocol", ipprotocol), dport, el("target", target), dport, descr,
                   el("tag", tag), el("tagged", tagged), el("pass", pass_))


def opn_nat(nat: str, legacy: str = "", interfaces: str = "") -> str:
    text = opnsense(legacy=legacy, interfaces=interfaces or LAN + WAN_STATIC + OPT1)
    return text.replace("\t<OPNsense>", "\t<nat>%s\n\t</nat>\n\t<OPNsense>" % nat, 1)


def _global(cfg):
    return [d for d in cfg.diagnostics if d.impact == Impact.GLOBAL]


def test_opnsense_new_model_forward_with_its_empty_fields():
    # [DNAT] the model writes every field: empty <tag/>, <tagged/>, <pass/> (association 'Manual': a user rule).
    # Before, each was 'NAT rule element not understood' with a global impact: every current OPNsense config
    # was unknown throughout.
    text = opn_nat(opn_forward(), legacy=wan_rule("3389"))
    cfg = parse(text)
    assert not _global(cfg)
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd rule")
    assert [x.source.line for x in o.xlate.rules] == [at(text, "fwd")]
    assert decide(parse(opn_nat(opn_forward())), OUT, WAN_IP, "tcp", 3389).kind == DENY


def test_opnsense_forwards_follow_their_sequence():
    # [DNAT] filter.inc applies them sortedBy(['sequence']) (ties by uuid), not in the file's order: the forward
    # written second with the lower sequence takes the packet.  Before: file order, the first forward (to SRV,
    # which the WAN rule admits) took it: a wrong pass.
    other = "10.20.0.11"
    nat = opn_forward(seq="200", uuid="b", descr="second") + opn_forward(other, seq="100", uuid="c", descr="first")
    text = opn_nat(nat, legacy=wan_rule("3389"))
    cfg = parse(text)
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == DENY and [x.source.line for x in o.xlate.rules] == [at(text, "first")]
    # one without a sequence number gets the highest plus 100 (DNatSequenceField): after the others
    nat = opn_forward(seq="", uuid="b", descr="unnumbered") + opn_forward(other, seq="100", uuid="c", descr="first")
    text = opn_nat(nat, legacy=wan_rule("3389"))
    o = decide(parse(text), OUT, WAN_IP, "tcp", 3389)
    assert [x.source.line for x in o.xlate.rules] == [at(text, "first")]


def test_opnsense_forward_association_pass_and_register_rule():
    # [DNAT] <pass>pass</pass> is 'rdr pass' (ForwardRule.php): what it redirects passes without the filter
    # rules.  Before: <pass> not understood, global.
    text = opn_nat(opn_forward(pass_="pass"), legacy=rule("wan", "block", proto="tcp", descr="block all tcp"))
    cfg = parse(text)
    assert not _global(cfg)
    o = decide(cfg, OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd")
    # <pass>rule</pass> registers a quick pass of the translated packets after the user's rules
    # (filter.lib.inc, priority 500000): it passes them unless a user rule decides first
    text = opn_nat(opn_forward(pass_="rule"))
    o = decide(parse(text), OUT, WAN_IP, "tcp", 3389)
    assert o.kind == PERMIT and o.source.line == at(text, "fwd")
    assert decide(parse(text), OUT, WAN_IP, "tcp", 3390).kind == DENY
    text = opn_nat(opn_forward(pass_="rule"), legacy=rule("wan", "block", proto="tcp", descr="block all tcp"))
    o = decide(parse(text), OUT, WAN_IP, "tcp", 3389)
    assert o.kind == DENY and o.source.line == at(text, "block all tcp")


def test_opnsense_forward_tags():
    # [DNAT] a tag set (<tag>) is read only by 'tagged' filter rules, which are uncertain here: no effect on the
    # verdict; a forward that applies only to tagged packets (<tagged>) is uncertain: unknown, not global
    text = opn_nat(opn_forward(tag="fromwan"), legacy=wan_rule("3389"))
    cfg = parse(text)
    assert not _global(cfg) and decide(cfg, OUT, WAN_IP, "tcp", 3389).kind == PERMIT
    cfg = parse(opn_nat(opn_forward(tagged="x"), legacy=wan_rule("3389")))
    assert not _global(cfg) and any("tagged 'x'" in d.message for d in cfg.diagnostics)
    assert decide(cfg, OUT, WAN_IP, "tcp", 3389).kind == UNKNOWN


def test_opnsense_forward_nordr_is_a_boolean():
    # [DNAT] nordr is a BooleanField, read with !empty (ForwardRule.php '$tmp['nordr'] = !empty($tmp['nordr'])'):
    # '0' and an empty element are off.  Before, an empty <nordr/> was taken as 'No RDR'.
    for nordr in ("0", ""):
        text = opn_nat(opn_forward(nordr=nordr).replace("<nordr></nordr>", "<nordr/>"), legacy=wan_rule("3389"))
        assert decide(parse(text), OUT, WAN_IP, "tcp", 3389).kind == PERMIT
    text = opn_nat(opn_forward(nordr="1", target=""), legacy=wan_rule("3389"))
    assert decide(parse(text), OUT, WAN_IP, "tcp", 3389).kind == DENY


def test_opnsense_forward_address_families():
    # [DNAT] ipprotocol 'any' (blank) writes no family: pfctl takes the redirect address's (parse.y natrule:
    # 'if (!r.af && ! $9->host->ifindex) r.af = $9->host->af'); inet46 is both (Rule::reader).  Before, blank
    # was IPv4 only: an IPv6 forward was not applied.
    v6 = LAN.replace("</lan>", "<ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64</subnetv6></lan>") + \
        WAN_STATIC.replace("</wan>", "<ipaddrv6>2001:db8:1::2</ipaddrv6><subnetv6>64</subnetv6></wan>") + OPT1
    srv6, out6 = "2001:db8:20::10", "2001:db8:1::7"  # (a client on WAN's IPv6 subnet)
    admit = rule("wan", "pass", dst="<address>%s</address><port>3389</port>" % srv6, proto="tcp", descr="v6 rule",
                 ipprotocol="inet6")
    text = opn_nat(opn_forward(srv6, ipprotocol=""), legacy=admit, interfaces=v6)
    cfg = parse(text)
    assert not _global(cfg)
    o = decide(cfg, out6, "2001:db8:1::2", "tcp", 3389)
    assert o.kind == PERMIT and [x.source.line for x in o.xlate.rules] == [at(text, "fwd")]
    # an IPv4 target with a blank family: IPv4 only
    cfg = parse(opn_nat(opn_forward(ipprotocol=""), legacy=wan_rule("3389"), interfaces=v6))
    assert not _global(cfg) and decide(cfg, OUT, WAN_IP, "tcp", 3389).kind == PERMIT
    # both families to one IPv4 address: the IPv6 rdr has no target of its family, pfctl rejects the ruleset
    # (parse.y remove_invalid_hosts: "no translation address with matching address family found.")
    cfg = parse(opn_nat(opn_forward(ipprotocol="inet46"), legacy=wan_rule("3389"), interfaces=v6))
    assert _global(cfg)
    # a blank family with an alias as the target: the family is not in config.xml (reported, global)
    cfg = parse(opn_nat(opn_forward("SRVS", ipprotocol=""), legacy=wan_rule("3389")))
    assert _global(cfg) and "address family 'any'" in _global(cfg)[0].message


def test_pfsense_forward_is_ipv4_unless_inet6():
    # pfSense filter.inc filter_nat_rules_generate: '$ipproto = inet6' for ipprotocol 'inet6', 'inet' otherwise,
    # written into the 'rdr on IF $ipproto ...' line: an 'inet46' forward is IPv4 only.  Before, it was taken
    # for both families: the IPv6 half, which pf does not have, was modelled (here: a pass).
    v6 = LAN.replace("</lan>", "<ipaddrv6>2001:db8:20::1</ipaddrv6><subnetv6>64</subnetv6></lan>") + \
        WAN_STATIC.replace("</wan>", "<ipaddrv6>2001:db8:1::2</ipaddrv6><subnetv6>64</subnetv6></wan>") + OPT1
    aliases = """
		<alias><name>SRVS</name><type>host</type><address>10.20.0.10 2001:db8:20::10</address></alias>"""
    admit = rule("wan", "pass", dst="<address>2001:db8:20::10</address><port>3389</port>", proto="tcp",
                 ipprotocol="inet6")
    text = pfsense(admit + wan_rule("3389"), interfaces=v6, aliases=aliases, system="<ipv6allow></ipv6allow>",
                   nat=forward("3389", target="SRVS", extra="<ipprotocol>inet46</ipprotocol>"))
    cfg = parse(text)
    assert decide(cfg, OUT, WAN_IP, "tcp", 3389).kind == PERMIT
    assert decide(cfg, "2001:db8:1::7", "2001:db8:1::2", "tcp", 3389).kind == DENY


def test_opnsense_anti_lockout_exempts_its_ports_from_forwards():
    # OPNsense generates 'no rdr' for the anti-lockout ports on the anti-lockout interface's address, before the
    # user's forwards (plugins.inc.d/pf.inc filter_auto_destination_nat: 'nordr' => true, destination
    # '{$lockoutif}ip', registered at priority 300 by filter.inc, the DNat forwards at 600): a forward on LAN of
    # LAN's address port 443 does not redirect the GUI's port, the packet reaches the firewall and its
    # anti-lockout rule.  Before, the forward translated it to the server, whose LAN rule then decided.
    fwd = opn_forward("10.30.0.10", dport="443").replace("<interface>wan</interface>", "<interface>lan</interface>")
    fwd = fwd.replace("<network>wanip</network>", "<network>lanip</network>")
    block = rule("lan", "block", dst="<address>10.30.0.10</address>", proto="tcp", descr="no lan to srv")
    text = opn_nat(fwd, legacy=block)
    cfg = parse(text)
    o = decide(cfg, "10.20.0.7", "10.20.0.1", "tcp", 443)
    assert o.kind == PERMIT and not o.xlate.rules and "anti-lockout" in o.rule.label
    # without the anti-lockout rule the forward redirects (and the LAN rule blocks the server)
    text = text.replace("<webgui>", "<webgui><noantilockout>1</noantilockout>", 1)
    o = decide(parse(text), "10.20.0.7", "10.20.0.1", "tcp", 443)
    assert o.kind == DENY and o.source.line == at(text, "no lan to srv")

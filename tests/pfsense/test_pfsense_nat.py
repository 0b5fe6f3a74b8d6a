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

from pf_helpers import at, decide, floating, line_of, parse, pfsense, rule

from auditor.api import audit, decision_json, make_packet
from auditor.core.packets import ISet, PacketSet, cube
from auditor.engine import DENY, PERMIT, evaluate
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
    exposed = [f for f in result.findings if f.rule_id == "PRN150"]
    assert [f.source.line for f in exposed] == [at(text, "rdp to primary")]
    assert exposed[0].example[4] in (3389,)


def test_nat_reflection_is_reported_not_modelled():
    text = pfsense(wan_rule("3389"), nat=forward("3389", assoc="nat_1",
                                                 extra="<natreflection>purenat</natreflection>"))
    cfg = parse(text)
    d, = cfg.unrecognized
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

"""Check Point: the implied rules of Global Properties > Firewall, which the rulebase export does not hold.

Sources:

* [IMPLIED] R81 Security Management Administration Guide, "Implied Rules"
  (https://sc1.checkpoint.com/documents/R81/WebAdminGuides/EN/CP_R81_SecurityManagement_AdminGuide/Topics-SECMG/Implied_Rules.htm):
  "To configure the implied rules in SmartConsole: ... Menu > Global properties. In the Firewall page, select
  the applicable options and configure the order of the implied rules": a setting of the management server,
  not a rule of the access rulebase (``show-access-rulebase``).
* [ORDER] R80.x Security Management Administration Guide, the order rules are enforced in (quoted at
  https://examsdb.com/checkpoint/156-215-80/fill-in-the-blank-an-_____-rule-is-created-by-an-adm/): "1. First
  Implied Rule ... no explicit rules can be placed before it. 2. Explicit Rules ... 3. Before Last Implied Rules:
  These implied rules are applied before the last explicit rule. 4. Last Explicit Rule ... 5. Last Implied Rules:
  Implied rules that are configured as Last in Global Properties. 6. Implied Drop Rule".
* [LAYERS] Check Point CheckMates, "How are implied rules implemented with a multi-layered policy?"
  (https://community.checkpoint.com/t5/Management/How-are-implied-rules-implemented-with-a-multi-layered-policy/m-p/1698):
  "The implied rules that are selected to appear 'first', are added to the first ordered layer in the policy.
  The implied rules that are selected to appear 'before last' or 'last', are added to all the layers"; with
  "Accept icmp defined as 'before last'... all icmp connection will be matched on 'accept icmp' implied rule".
* [THROUGH] Check Point NGX, "Global Properties: FireWall-1 Implied Rules"
  (https://pearsonitcertification.com/articles/article.aspx?p=387728&seqNum=4): "Accept Domain Name over UDP
  (Queries) - Allows DNS requests to traverse the firewall"; "Accept ICMP Requests - Allows all ICMP messages";
  "Accept RIP - Accepts Routing Information Protocol packets (UDP port 520)".
* [API] Management API reference, set-global-properties / show-global-properties: "firewall" >
  "accept-icmp-requests" ("Accepts Internet Control Message Protocol messages", default true),
  "accept-icmp-requests-position" ("first", "last", "before last"; default "before last"),
  "accept-domain-name-over-udp" / "-over-tcp" (default true, position "first"), "accept-rip" ("Accepts Routing
  Information Protocol (RIP), using UDP on port 520").
"""

from __future__ import annotations

from cp_helpers import access_layer_info, decide, host, icmp, layer, package, parse, rule, uid
from cp_helpers import global_properties as gp

from auditor.core.model import Impact

OUT, SRV = "198.51.100.7", "10.20.0.10"


def stealth_layer(layer_uid=None, cleanup=True):
    """Outside traffic to the server dropped by an explicit rule, then a cleanup rule (or none)."""
    srv = host("srv", SRV)
    rules = [rule("Block outside to the server", dst=[srv], action="Drop")]
    if cleanup:
        rules.append(rule("Cleanup rule", action="Drop"))
    return layer("Network", rules, [srv], layer_uid=layer_uid)


def test_implied_rules_not_in_the_input_make_dns_and_icmp_through_the_gateway_unknown():
    # [IMPLIED] [THROUGH] [API]: the settings are not in the rulebase export, on by default, and DNS/ICMP/RIP
    # traverse the gateway: before, the explicit drop made outside ICMP and DNS to the server a sure deny
    # (PRN150 passed) although "Accept Domain Name over UDP" at First accepts them whatever the rules say
    cfg = parse(stealth_layer())
    assert decide(cfg, OUT, SRV, "icmp", 8 * 256) == "unknown"
    assert decide(cfg, OUT, SRV, "udp", 53) == "unknown"
    assert decide(cfg, OUT, SRV, "tcp", 53) == "unknown"
    assert decide(cfg, OUT, SRV, "udp", 520) == "unknown"
    assert decide(cfg, OUT, SRV, "tcp", 443) == "deny"  # no implied rule takes it
    said = [d for d in cfg.diagnostics if "implied rules of Global Properties" in d.message]
    assert len(said) == 1 and said[0].impact is Impact.FILTER
    assert "'Accept ICMP requests'" in said[0].message and "show-global-properties" in said[0].message


def test_an_implied_rule_only_accepts_more_so_what_the_rules_accept_stays_decided():
    # an implied rule's action is Accept: a packet the rules accept is accepted either way (a required flow's
    # pass stays), one they drop is unknown (a required ICMP/DNS flow's fail at the cleanup is not sure)
    echo = icmp("echo-request", 8)
    cfg = parse(layer("Network", [rule("ping", svc=[echo]), rule("Cleanup rule", action="Drop")], [echo]))
    assert decide(cfg, OUT, SRV, "icmp", 8 * 256) == "permit"
    assert decide(cfg, OUT, SRV, "icmp", 13 * 256) == "unknown"


def test_prn150_is_unknown_not_a_pass_without_the_global_properties():
    from auditor.api import audit
    from auditor.policy import load_site

    site = load_site(None, ["workshop=10.30.0.0/24", "primary=%s" % SRV])
    got = audit([parse(stealth_layer())], site).to_json()
    prn150 = [f for f in got["findings"] if f["rule_id"] == "PRN150"]
    assert prn150 and all(f.get("status") == "unknown" for f in prn150)
    assert "Global Properties" in prn150[0]["message"]
    # with the settings in the input (all off): the explicit rules decide, no exposure
    off = gp(accept_icmp_requests=False, accept_domain_name_over_udp=False, accept_domain_name_over_tcp=False,
             accept_rip=False)
    got = audit([parse([stealth_layer(), off])], site).to_json()
    assert not [f for f in got["findings"] if f["rule_id"] in ("PRN150", "CFG300")]
    cfg = parse([stealth_layer(), off])
    assert decide(cfg, OUT, "10.99.0.1", "icmp", 8 * 256) == "deny" and decide(cfg, OUT, SRV, "udp", 53) == "deny"


def test_first_before_last_and_last_positions():
    # [ORDER]: First above every explicit rule; Before Last above the last explicit rule; Last below it
    first = parse([stealth_layer(), gp(accept_domain_name_over_udp=True, accept_domain_name_over_udp_position="first")])
    assert decide(first, OUT, SRV, "udp", 53) == "permit"  # the explicit drop comes after it
    before = parse([stealth_layer(), gp(accept_icmp_requests=True, accept_icmp_requests_position="before last")])
    assert decide(before, OUT, SRV, "icmp", 8 * 256) == "deny"  # the explicit drop above decides
    assert decide(before, OUT, "10.99.0.1", "icmp", 8 * 256) == "permit"  # reaches it, above the cleanup rule
    last = parse([stealth_layer(), gp(accept_icmp_requests=True, accept_icmp_requests_position="last")])
    assert decide(last, OUT, "10.99.0.1", "icmp", 8 * 256) == "deny"  # the cleanup rule decides first
    last_nc = parse([stealth_layer(cleanup=False), gp(accept_icmp_requests=True, accept_icmp_requests_position="last")])
    assert decide(last_nc, OUT, "10.99.0.1", "icmp", 8 * 256) == "permit"  # before the implicit cleanup
    # a setting the input gives is no longer reported; the rule points at its line
    assert not [d for d in before.diagnostics if "accept-icmp" in d.message or "'Accept ICMP" in d.message]
    rules = before.filters["Network"].rules
    implied = [r for r in rules if r.builtin and r.match.cubes]
    assert implied and implied[0].source.text.strip() == '"accept-icmp-requests": true,'
    at = rules.index(implied[0])  # between the explicit drop and the cleanup rule (the others not given: on top)
    assert [r.builtin for r in rules[at - 1:at + 2]] == [False, True, False] and at == len(rules) - 2


def test_first_goes_to_the_first_ordered_layer_only_before_last_to_every_layer():
    # [LAYERS]
    a, b = uid(), uid()
    second = layer("Apps", [rule("Cleanup rule", action="Drop")], [], layer_uid=b)
    pkg = package("Standard", [access_layer_info("Network", a), access_layer_info("Apps", b)])
    off = {"accept_icmp_requests": False, "accept_domain_name_over_tcp": False, "accept_rip": False}
    cfg = parse([stealth_layer(a), second, pkg, gp(accept_domain_name_over_udp=True,
                                                    accept_domain_name_over_udp_position="first", **off)])
    assert decide(cfg, OUT, SRV, "udp", 53) == "deny"  # accepted by the first layer, dropped by the second
    off = {"accept_domain_name_over_udp": False, "accept_domain_name_over_tcp": False, "accept_rip": False}
    cfg = parse([stealth_layer(a), second, pkg, gp(accept_icmp_requests=True,
                                                    accept_icmp_requests_position="before last", **off)])
    assert decide(cfg, OUT, "10.99.0.1", "icmp", 8 * 256) == "permit"  # above each layer's cleanup rule


def test_a_setting_on_without_its_position_is_unknown():
    cfg = parse([stealth_layer(), gp(accept_icmp_requests=True, accept_domain_name_over_udp=False,
                                     accept_domain_name_over_tcp=False, accept_rip=False)])
    assert decide(cfg, OUT, SRV, "icmp", 8 * 256) == "unknown"
    assert decide(cfg, OUT, SRV, "udp", 53) == "deny"


def test_show_global_properties_is_recognised_alone_and_every_line_is_accounted_for():
    # [API] show-global-properties: a reply of "type": "global-properties" with its "firewall" settings,
    # given as a further input of one device
    from cp_helpers import text

    from parsers import detect
    from parsers.checkpoint.document import read

    reply = gp(accept_icmp_requests=True, accept_icmp_requests_position="before last", accept_rip=False)
    reply["meta-info"] = {"lock": "unlocked", "creator": "System"}
    assert detect(text(reply)) == "checkpoint"
    doc = read(text(reply), "gp.json")
    assert doc.lines.unaccounted() == []
    assert {k: v[:2] for k, v in doc.implied.items()} == {"accept-icmp-requests": (True, "before last"),
                                                           "accept-rip": (False, None)}

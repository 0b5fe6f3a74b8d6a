"""PAN-OS interfaces, zones, routes, NAT and session timeouts.

Documents cited (Palo Alto Networks):

* [NPO] "NAT Policy Overview", PAN-OS 10.1 networking admin guide,
  https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-networking-admin/nat/nat-policy-rules/nat-policy-overview.html
  ("The firewall evaluates the rules in order from the top down. Once a packet matches the criteria of
  a single NAT rule, the packet is not subjected to additional NAT rules").
* [PNZ] "Policy Format" (security rule: destination zone = post-translation zone, destination IP =
  pre-translation IP; destination NAT rule: pre-translation zone and IP; port translation: security rules
  use the pre-translation port), https://www.staffordnet.uk/doku.php?id=paloaltonetworks%3Aconfiguration%3Apolicy_format,
  and the Palo Alto Networks community explanation of "pre-NAT IP, post-NAT zone"
  (https://live.paloaltonetworks.com/t5/ratings/ratingdetailpage/message-uid/571331/rating-system/message_ratings).
* [NTP] "NAT Translated Packet Tab", PAN-OS 10.1 web interface help,
  https://docs.paloaltonetworks.com/ngfw/help/10-1/policies/policies-nat/nat-translated-packet-tab
  (dynamic IP and port, dynamic IP, static IP with bi-directional; destination translation).
* [CST] "Configure Session Timeouts (PAN-OS)",
  https://docs.paloaltonetworks.com/ngfw/networking/session-settings-and-timeouts/configure-session-timeouts/configure-session-timeouts-pan-os
  ("TCP—Maximum length of time that a TCP session remains open without a response, after a TCP
  session is in the Established state ... Range is 1 to 15,999,999; default is 3,600"), and for
  applications "Configure Session Timeouts" (PAN-OS 10.0): "When configured, timeouts for an
  application override the global TCP or UDP session timeouts".
* [SBT] "Maintain Custom Timeouts for Data Center Applications",
  https://docs.paloaltonetworks.com/content/techdocs/en_US/ngfw/administration/app-id/service-based-session-timeouts.html
  (a service object's timeout "Override", applied to the applications of the rules that use it).
* [SZO] "Security Zone Overview" (an interface must be in a zone to pass traffic; one zone per interface).
"""

from __future__ import annotations

from panos_util import BASE, allow, cfg_of, decide, explain_of, line_of

from auditor.api import audit
from auditor.core.model import Impact
from auditor.core.packets import ALL_PORTS, addr_to_int
from auditor.policy import load_site

WS, SRV, NET = "10.30.0.5", "10.20.0.10", "8.8.8.8"


# --- routes and interfaces ---------------------------------------------------------------------

def test_static_routes_next_hop_interface_and_discard():
    text = BASE + allow("all", frm="any", to="any") + (
        "set network virtual-router default routing-table ip static-route lab destination 10.99.0.0/16 "
        "nexthop ip-address 10.20.0.254\n"
        "set network virtual-router default routing-table ip static-route dmz destination 10.98.0.0/16 "
        "interface ethernet1/1\n"
        "set network virtual-router default routing-table ip static-route sink destination 10.97.0.0/16 "
        "nexthop discard\n")
    cfg = cfg_of(text)
    by = {r.source.line: r for r in cfg.routes}
    assert by[line_of(text, "static-route lab")].interface == "ethernet1/1"
    assert by[line_of(text, "static-route dmz")].interface == "ethernet1/1"
    assert by[line_of(text, "static-route inet")].interface == "ethernet1/3"
    o = explain_of(cfg, WS, "10.99.1.1")
    assert o["stage"] == "workshop->servers"
    assert explain_of(cfg, WS, NET)["stage"] == "workshop->untrust"
    # discarded: denied by the route's line (PAN-OS web interface help, "Virtual Router > Static Routes":
    # Next Hop "Discard to drop packets that are addressed to this destination")
    o = explain_of(cfg, WS, "10.97.0.1")
    assert (o["decision"], o["default_line"], o["rule"]) == ("deny", line_of(text, "static-route sink"), None)
    assert o["reason"].startswith("routed to a discard route")
    # a next hop named by an address object of one host (same help: "IP Address ... or an address object")
    obj = text.replace("nexthop ip-address 10.20.0.254", "nexthop ip-address LAB-GW") + \
        "set address LAB-GW ip-netmask 10.20.0.254/32\n"
    cfg = cfg_of(obj)
    assert not cfg.unrecognized
    assert {r.source.line: r for r in cfg.routes}[line_of(obj, "static-route lab")].interface == "ethernet1/1"


def test_unresolvable_routes_dynamic_routing_and_dhcp_are_reported():
    text = BASE + (
        "set network virtual-router default routing-table ip static-route x destination 10.96.0.0/16 "
        "nexthop ip-address 192.0.2.1\n"
        "set network virtual-router default routing-table ip static-route y destination 10.95.0.0/16 "
        "nexthop next-vr other\n"
        "set network virtual-router default protocol bgp enable yes\n"
        "set network interface ethernet ethernet1/6 layer3 dhcp-client create-default-route yes\n")
    cfg = cfg_of(text)
    glob = {d.source.line for d in cfg.diagnostics if d.impact is Impact.GLOBAL}
    assert glob == {line_of(text, "static-route x"), line_of(text, "static-route y")}
    # a routing protocol's routes are not in the configuration (Config.learned_routes, tests/test_learned_routes.py):
    # packets from or to addresses outside the connected networks are unknown, the others decided as before; a
    # DHCP client's network and default route are learned alike (tests/test_routes23.py)
    assert [s.line for s in cfg.learned_routes] == [line_of(text, "bgp enable"), line_of(text, "dhcp-client")]
    assert explain_of(cfg, WS, NET)["decision"] == "unknown"
    # workshop -> servers: the interzone default, as before, for the modelled lines; the routes not understood
    # could change any decision
    o = explain_of(cfg, WS, SRV)
    assert (o["decision"], o["modelled"], o["doubt"]["line"]) == ("unknown", "deny", line_of(text, "static-route x"))


def test_subinterfaces_and_interface_addresses_from_objects():
    text = BASE + (
        "set network interface ethernet ethernet1/7 layer3 units ethernet1/7.10 ip GW10\n"
        "set network interface ethernet ethernet1/7 layer3 units ethernet1/7.10 tag 10\n"
        "set address GW10 ip-netmask 10.60.0.1/24\n"
        "set zone lab network layer3 ethernet1/7.10\n"
        "set network virtual-router default interface ethernet1/7.10\n")  # (in no virtual router: unknown)
    cfg = cfg_of(text)
    [i] = [i for i in cfg.interfaces if i.name == "ethernet1/7.10"]
    assert i.zone == "lab" and addr_to_int("10.60.0.77") in i.networks
    assert decide(cfg, "10.60.0.5", SRV) == "deny"  # lab -> servers: interzone default


def test_zone_members_undefined_duplicated_or_not_routed():
    text = BASE + ("set zone ghost network layer3 ethernet1/9\n"
                   "set zone twice network layer3 ethernet1/1\n"
                   "set zone wire network virtual-wire ethernet1/8\n"
                   "set network interface ethernet ethernet1/8 virtual-wire\n")
    cfg = cfg_of(text)
    codes = {(d.code, d.source.line) for d in cfg.diagnostics}
    assert ("CFG301", line_of(text, "zone ghost")) in codes
    assert ("CFG300", line_of(text, "zone twice")) in codes
    assert ("CFG300", line_of(text, "zone wire")) in codes
    assert next(i.zone for i in cfg.interfaces if i.name == "ethernet1/1") == "servers"


# --- NAT [NPO] [PNZ] [NTP] ------------------------------------------------------------------------

DNAT = BASE + (
    "set address web-public ip-netmask 203.0.113.10\n"
    "set address web-private ip-netmask 10.20.0.10\n"
    "set rulebase nat rules publish from untrust to untrust source any destination web-public service any "
    "destination-translation translated-address web-private\n")


def test_destination_nat_security_rules_see_the_pre_nat_address_in_the_post_nat_zone():
    # right: post-NAT zone (servers), pre-NAT destination (the public address)
    cfg = cfg_of(DNAT + allow("web-in", frm="untrust", to="servers", dst="web-public", svc="service-https"))
    o = explain_of(cfg, NET, "203.0.113.10", dport=443)
    assert o["decision"] == "permit" and o["stage"] == "untrust->servers"
    assert o["translated"]["dst"] == SRV
    assert [n["line"] for n in o["nat"]] == [line_of(DNAT, "rulebase nat rules publish")]
    # wrong: the private address in the security rule never matches (the rule sees the address sent)
    cfg = cfg_of(DNAT + allow("web-in", frm="untrust", to="servers", dst="web-private", svc="service-https"))
    assert decide(cfg, NET, "203.0.113.10", dport=443) == "deny"
    # wrong: the pre-NAT zone in the security rule never matches either
    cfg = cfg_of(DNAT + allow("web-in", frm="untrust", to="untrust", dst="web-public", svc="service-https"))
    assert decide(cfg, NET, "203.0.113.10", dport=443) == "deny"


def test_one_nat_lookup_first_match_decides_both_translations():
    text = DNAT.replace("set rulebase nat rules publish",
                        "set rulebase nat rules no-nat from untrust to untrust source 8.8.8.8 destination any "
                        "service any\nset rulebase nat rules publish")
    cfg = cfg_of(text + allow("in", frm="untrust", to="any", dst="web-public"))
    [table] = cfg.nat
    assert table.when == "pre-routing" and [r.rewrites for r in table.rules][0] == ()
    # 8.8.8.8 meets the rule without translation first: no destination NAT, routed to untrust itself
    assert explain_of(cfg, NET, "203.0.113.10", dport=443).get("translated") is None
    assert explain_of(cfg, "8.8.4.4", "203.0.113.10", dport=443)["translated"]["dst"] == SRV


def test_source_nat_pools_and_static_translations():
    text = BASE + (
        "set rulebase nat rules out from [ workshop servers ] to untrust source any destination any service any "
        "source-translation dynamic-ip-and-port interface-address interface ethernet1/3\n"
        "set rulebase nat rules st from servers to untrust source 10.20.0.10 destination any service any "
        "source-translation static-ip translated-address 203.0.113.20\n"
        "set rulebase nat rules bidi from servers to untrust source 10.20.0.11 destination any service any "
        "source-translation static-ip translated-address 203.0.113.21 bi-directional yes\n")
    cfg = cfg_of(text)
    rules = cfg.nat[0].rules
    out, st, bidi, reverse = rules
    rw, port = out.rewrites  # (dynamic IP and port: the source address and the source port the firewall picks)
    assert rw.dim == 0 and rw.pool is not None and addr_to_int("203.0.113.2") in rw.pool and rw.pool.size() == 1
    assert port.dim == 3 and port.pool == ALL_PORTS
    assert set(out.ingress) == {"ethernet1/1", "ethernet1/2", "ethernet1/4"}
    [rw] = st.rewrites
    assert rw.pool is None and rw.offset == addr_to_int("203.0.113.20") - addr_to_int("10.20.0.10")
    assert not reverse.match and reverse.maybe.contains((addr_to_int(NET), addr_to_int("203.0.113.21"), 6, 1, 1))


def test_nat_to_zone_is_the_zone_of_the_original_destination():
    # a rule 'to servers' never translates traffic to the Internet
    text = BASE + ("set rulebase nat rules srv from workshop to servers source any destination any service any "
                   "destination-translation translated-address 10.20.0.99\n")
    cfg = cfg_of(text + allow("all", frm="any", to="any"))
    assert explain_of(cfg, WS, NET).get("translated") is None
    assert explain_of(cfg, WS, "10.20.0.5")["translated"]["dst"] == "10.20.0.99"


def test_required_flows_through_destination_nat_end_to_end():
    # Workshop clients reach the primary server by an address on their own subnet's side
    text = BASE + (
        "set address prim-mapped ip-netmask 10.31.0.100\n"
        "set address prim ip-netmask 10.20.0.10\n"
        "set rulebase nat rules to-prim from workshop to workshop source any destination prim-mapped service any "
        "destination-translation translated-address prim\n") + \
        allow("ws-prim", frm="workshop", to="servers", dst="prim-mapped")
    cfg = cfg_of(text)
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    res = audit([cfg], site)
    blocked = [f for f in res.findings if f.rule_id == "PRN100" and f.status == "fail"
               and f.key.split(":")[1:2] == ["workshop"]]
    assert not blocked, [(f.key, f.message) for f in blocked]
    # the same rule written with the real address does not permit what clients send
    cfg = cfg_of(text.replace("dst prim-mapped", "").replace("destination prim-mapped\n", "destination prim\n"))
    res = audit([cfg], site)
    assert any(f.rule_id == "PRN100" and f.status == "fail" and f.key.startswith("smb:workshop")
               for f in res.findings)


# --- timeouts [CST] [SBT] ----------------------------------------------------------------------

def test_default_and_configured_tcp_timeout():
    # timeout-tcp is in force unless App-ID gives the session's application a timer of its own ('Session
    # Timeouts': "timeouts for an application override the global TCP ... session timeouts"): not known
    cfg = cfg_of(BASE)
    [t] = cfg.timeouts
    assert t.unknown and t.default and t.source is None and "3600 s" in t.label
    text = BASE + "set deviceconfig setting session timeout-tcp 28800\n"
    [t] = cfg_of(text).timeouts
    assert t.unknown and t.default and t.source.line == line_of(text, "timeout-tcp") and "28800 s" in t.label


def test_service_override_timeout_applies_to_the_rules_that_use_the_service():
    text = BASE + allow("ws", svc="prinergy", frm="workshop", to=["servers", "untrust"]) + (
        "set service prinergy protocol tcp port 445,1024-9000 override yes timeout 28800\n")
    cfg = cfg_of(text)
    svc_t = [t for t in cfg.timeouts if t.rule is not None]
    assert {t.rule for t in svc_t} == {("workshop->servers", 0), ("workshop->untrust", 0)}
    assert all(t.idle_seconds == 28800 and t.source.line == line_of(text, "override yes") for t in svc_t)
    assert cfg.timeouts[-1].default
    # PRN120: no finding for traffic the override covers; the default's for what it does not
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    res = audit([cfg], site)
    assert [f for f in res.findings if f.rule_id == "PRN120"] == []


def test_short_global_timeout_is_an_idle_timeout_finding():
    # a short timeout-tcp for a rule of application 'any': App-ID names each session's application, whose own
    # timer (App-ID content) would override it, so the finding is unknown, at timeout-tcp's line, with its value
    # (a custom application's sessions without a timer fail on it: tests/test_s27_panos.py)
    text = BASE + allow("ws") + "set deviceconfig setting session timeout-tcp 1800\n"
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    res = audit([cfg_of(text)], site)
    [f] = [f for f in res.findings if f.rule_id == "PRN120"]
    assert f.source.line == line_of(text, "timeout-tcp") and f.status == "unknown" and "1800 s" in f.message


def test_custom_application_timeout_for_rules_of_only_that_application():
    text = BASE + allow("ws", app="prinergy-app", svc="application-default") + (
        "set application prinergy-app default port tcp/1024-9000\n"
        "set application prinergy-app tcp-timeout 36000\n")
    cfg = cfg_of(text)
    [t] = [t for t in cfg.timeouts if t.rule is not None]
    assert t.idle_seconds == 36000 and t.rule == ("workshop->servers", 0)
    assert t.source.line == line_of(text, "tcp-timeout")


def test_several_virtual_systems_keep_their_zones_and_rules_apart():
    # multi-vsys: each vsys has its own zones and rulebase ('set vsys NAME ...'); traffic between
    # virtual systems goes through external zones or shared gateways, which are not modelled
    text = (
        "set network interface ethernet ethernet1/1 layer3 ip 10.1.0.1/24\n"
        "set network interface ethernet ethernet1/2 layer3 ip 10.2.0.1/24\n"
        "set network interface ethernet ethernet1/3 layer3 ip 10.3.0.1/24\n"
        "set vsys vsys1 zone a network layer3 ethernet1/1\n"
        "set vsys vsys1 zone b network layer3 ethernet1/2\n"
        "set vsys vsys2 zone c network layer3 ethernet1/3\n"
        "set vsys vsys2 zone d network layer3\n"
        "set vsys vsys1 rulebase security rules ab from a to b source any destination any application any "
        "service any action allow\n"
        "set vsys vsys2 rulebase security rules cd from c to d source any destination any application any "
        "service any action allow\n")
    cfg = cfg_of(text)
    assert set(cfg.filters) >= {"vsys1/a->b", "vsys2/c->d"}
    assert decide(cfg, "10.1.0.5", "10.2.0.5") == "permit"
    assert decide(cfg, "10.2.0.5", "10.1.0.5") == "deny"
    assert decide(cfg, "10.1.0.5", "10.3.0.5") == "unknown"  # vsys1 -> vsys2


# Of static routes to one destination the lowest admin distance (10-240, default 10) wins, then the
# lowest metric (default 10); a route with 'route-table no-install' (or 'multicast') is not in the
# unicast table and forwards nothing.  "Static Routes" (Network > Virtual Routers),
# https://docs.paloaltonetworks.com/pan-os/8-0/pan-os-web-interface-help/network/network-virtual-routers/static-routes
# ("No Install—Does not install the route in the route table (RIB)").  Each route below is written as
# 'show' prints it, one setting a line, the less preferred route first.
_SR = "set network virtual-router default routing-table ip static-route %s %s\n"


def _two_routes(first: str, second: str) -> str:
    return (_SR % ("backup", "destination 172.16.0.0/16") + _SR % ("backup", "nexthop ip-address 10.20.0.254")
            + "".join(_SR % ("backup", s) for s in first.split(";") if s)
            + _SR % ("main", "destination 172.16.0.0/16") + _SR % ("main", "nexthop ip-address 203.0.113.1")
            + "".join(_SR % ("main", s) for s in second.split(";") if s))


def test_the_route_of_lowest_admin_distance_then_metric_is_used():
    for first, second in (("metric 20", "metric 5"), ("admin-dist 20", ""), ("", "metric 100;admin-dist 5"),
                          ("route-table no-install", "metric 50"), ("route-table multicast", "metric 50")):
        cfg = cfg_of(BASE + allow("out", to="untrust") + _two_routes(first, second))
        assert not cfg.diagnostics, (first, second, [d.message for d in cfg.diagnostics])
        assert explain_of(cfg, WS, "172.16.0.1")["stage"] == "workshop->untrust", (first, second)


def test_routes_of_equal_distance_and_metric_over_two_interfaces_are_reported():
    cfg = cfg_of(BASE + allow("out", to="untrust") + _two_routes("metric 5", "metric 5"))
    [d] = cfg.diagnostics
    # (only packets from or to 172.16.0.0/16 are in doubt: tests/test_ties23.py)
    assert d.impact is Impact.NONE and "'backup' and 'main'" in d.message
    assert explain_of(cfg, WS, "172.16.0.1")["decision"] == "unknown"


def test_settings_after_the_next_hop_on_one_set_command_are_read():
    text = BASE + allow("out", to="untrust") + (
        "set network virtual-router default routing-table ip static-route backup destination 172.16.0.0/16 "
        "nexthop ip-address 10.20.0.254 metric 20\n"
        "set network virtual-router default routing-table ip static-route main destination 172.16.0.0/16 "
        "nexthop ip-address 203.0.113.1 metric 5\n")
    cfg = cfg_of(text)
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert explain_of(cfg, WS, "172.16.0.1")["stage"] == "workshop->untrust"


def test_settings_after_a_nat_translation_on_one_set_command_are_read():
    # one 'set' command may set several settings of a NAT rule ([NTP]; PAN-OS CLI configuration mode): a
    # translation's options end where the next setting of the rule starts
    text = BASE + (
        "set rulebase nat rules out from workshop to untrust source any destination any service any "
        "source-translation dynamic-ip-and-port interface-address interface ethernet1/3 disabled yes\n"
        "set rulebase nat rules web from untrust to untrust source any destination 203.0.113.80 "
        "destination-translation translated-address 10.20.0.10 translated-port 8080 service any\n")
    cfg = cfg_of(text)
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    [web] = cfg.nat[0].rules  # ('out' is disabled)
    assert {(w.dim, w.pool.lo if w.pool else w.offset) for w in web.rewrites} == {
        (1, addr_to_int("10.20.0.10") - addr_to_int("203.0.113.80")), (4, 8080)}


def test_a_predefined_applications_changed_timer_makes_the_idle_timeout_unknown():
    # "Configure Session Timeouts" (https://docs.paloaltonetworks.com/pan-os/10-2/pan-os-networking-admin/
    # session-settings-and-timeouts/configure-session-settings): "If you change the TCP or UDP timers at the
    # application level, these timers for predefined applications ... will be implemented across all virtual
    # systems", and "timeouts for an application override the global TCP or UDP session timeouts".  An
    # 'override application ms-ds-smb tcp-timeout 600' gives the SMB sessions App-ID recognises 600 s, whatever
    # timeout-tcp says; which sessions those are is App-ID's, not the configuration's: PRN120 cannot pass
    # (before: the section was ignored, and 28800 s passed)
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    # (session 27: App-ID may give any application a timer of its own, so 'application any' sessions are unknown
    # at timeout-tcp's line even without the override; a custom application of no timer has timeout-tcp)
    base = BASE + allow("ws", app="prinergy-app", svc="application-default") + (
        "set application prinergy-app default port tcp/1-65535\n"
        "set deviceconfig setting session timeout-tcp 28800\n")
    assert [f for f in audit([cfg_of(base)], site).findings if f.rule_id == "PRN120"] == []
    for where in ("shared", "vsys vsys1"):
        text = base + "set %s override application ms-ds-smb tcp-timeout 600\n" % where
        [f] = [f for f in audit([cfg_of(text)], site).findings if f.rule_id == "PRN120"]
        assert f.status == "unknown" and f.source.line == line_of(text, "override application")
    # another of the application's settings changes no timer
    text = base + "set shared override application ms-ds-smb risk 2\n"
    assert [f for f in audit([cfg_of(text)], site).findings if f.rule_id == "PRN120"] == []

"""FortiOS VDOMs, VIPs (destination NAT) and session TTLs, each with the Fortinet document that says so."""

from __future__ import annotations

import pytest

from auditor.api import explain
from auditor.core.model import Impact
from auditor.core.packets import PROTO_TCP, addr_to_int
from parsers import InputError
from parsers.fortios import parse, parse_all, parse_vdom, vdoms

# --- VDOMs ------------------------------------------------------------------------------------
# "Each VDOM ... has its own policies, routing, interfaces" (FortiOS Administration Guide, Virtual
# Domains): a multi-VDOM backup declares the VDOMs (config vdom / edit NAME / next), holds the global
# settings and the interfaces in 'config global' (each interface's 'set vdom'), then each VDOM's blocks
# under config vdom / edit NAME.
VDOMS = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=1:user=admin
#global_vdom=1
config vdom
edit root
next
edit shop
next
end
config global
config system global
    set hostname "FW"
end
config system interface
    edit "port1"
        set vdom "root"
        set ip 10.1.0.1 255.255.255.0
    next
    edit "port2"
        set vdom "root"
        set ip 10.2.0.1 255.255.255.0
    next
    edit "port3"
        set vdom "shop"
        set ip 10.1.0.1 255.255.255.0
    next
    edit "port4"
        set vdom "shop"
        set ip 10.2.0.1 255.255.255.0
    next
end
end
config vdom
edit root
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
next
edit shop
config system session-ttl
    set default 1800
end
config firewall policy
    edit 1
        set srcintf "port3"
        set dstintf "port4"
        set srcaddr "all"
        set dstaddr "all"
        set schedule "always"
        set service "ALL"
    next
end
next
end
"""


def test_vdoms_are_listed_and_parsed_apart():
    assert vdoms(VDOMS) == ["root", "shop"]
    root, shop = parse_all(VDOMS, "fw.conf")
    assert (root.aux["vdom"], shop.aux["vdom"]) == ("root", "shop")
    assert [i.name for i in root.interfaces] == ["port1", "port2"]
    assert [i.name for i in shop.interfaces] == ["port3", "port4"]  # same subnets, another device
    assert explain(root, "10.1.0.5", "10.2.0.5", "tcp", 1024, 80)["decision"] == "permit"
    assert explain(shop, "10.1.0.5", "10.2.0.5", "tcp", 1024, 80)["decision"] == "deny"  # no action: deny
    assert [t.idle_seconds for t in shop.timeouts] == [1800] and [t.idle_seconds for t in root.timeouts] == [3600]
    # findings point at the file; the VDOM's own line heads its Config
    assert root.path == shop.path == "fw.conf"
    assert shop.head.text == "edit shop" and shop.head.line == 6
    for c in (root, shop):
        assert c.aux["lines"].unaccounted() == []
        assert not c.diagnostics


def test_parse_without_a_choice_reports_the_other_vdoms():
    c = parse(VDOMS, "fw.conf")
    assert c.aux["vdom"] == "root"
    [d] = c.unrecognized
    assert "shop" in d.message and "--vdom shop" in d.message and d.impact is Impact.NONE


def test_unknown_vdom_is_an_input_error():
    with pytest.raises(InputError, match="no VDOM 'nope'"):
        parse_vdom(VDOMS, "fw.conf", "nope")


# --- VIPs ---------------------------------------------------------------------------------------

VIPCFG = """config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.0
    next
    edit "dmz"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "lan"
        set ip 10.30.0.1 255.255.255.0
    next
end
config firewall address
    edit "web-real"
        set subnet 10.20.0.10 255.255.255.255
    next
end
config firewall vip
    edit "web-vip"
        set extip 203.0.113.10
        set mappedip "10.20.0.10"
        set extintf "wan1"
        set portforward enable
        set extport 8443
        set mappedport 443
    next
    edit "unused-vip"
        set extip 203.0.113.11
        set mappedip "10.20.0.11"
        set extintf "wan1"
    next
end
config firewall policy
    edit 1
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "all"
        set dstaddr "all"
        set action deny
        set schedule "always"
        set service "ALL"
    next
    edit 2
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "all"
        set dstaddr "web-vip"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
    edit 3
        set srcintf "lan"
        set dstintf "dmz"
        set srcaddr "all"
        set dstaddr "web-real"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "wan1"
    next
end
"""

EXT, MAPPED = addr_to_int("203.0.113.10"), addr_to_int("10.20.0.10")


def test_vip_is_a_pre_routing_nat_rule():
    # a VIP is destination NAT, done before routing and the policy lookup (Fortinet KB 189573 "Unused
    # Virtual IP (VIP) object can disrupt traffic": "Destination NAT operation is always performed before
    # any Routing operations"); a port-forward VIP maps extport onto mappedport (FortiOS Administration
    # Guide, "Static virtual IPs"); a VIP no enabled policy names is not applied (KB 350101 "Virtual IP
    # (VIP) port forwarding order of execution": "VIPs will only be checked if they are applied on at
    # least one firewall policy").
    c = parse(VIPCFG.replace("    next\nend\nconfig firewall policy", "    next\nend\nconfig firewall policy", 1),
              "t.conf")
    [nat] = c.nat
    assert nat.when == "pre-routing"
    [r] = nat.rules  # (unused-vip is named by no policy)
    assert r.label == "VIP web-vip" and r.source.line == 18
    assert {(w.dim, w.offset) for w in r.rewrites} == {(1, MAPPED - EXT), (4, 443 - 8443)}
    assert r.match.contains((addr_to_int("198.51.100.7"), EXT, PROTO_TCP, 40000, 8443))
    assert not r.match.contains((addr_to_int("198.51.100.7"), EXT, PROTO_TCP, 40000, 443))
    assert not r.match.contains((addr_to_int("198.51.100.7"), EXT, 17, 40000, 8443))  # protocol tcp only


def test_policies_see_vip_traffic_only_through_the_vip():
    # policy-based NAT: "a deny policy with the destination set to 'All' or the original IP will not
    # match the translated traffic" (Fortinet KB "Technical Tip: DENY policy for Virtual IP firewall
    # policy"); the policy naming the VIP matches the translated packet, its service against the
    # mapped port (KB 355966 "Traffic intended for a VIP is being dropped by implicit deny").  Stated
    # with rules over the packet as the client sent it:
    c = parse(VIPCFG, "t.conf")
    stage = c.paths[[(p.ingress, p.egress) for p in c.paths].index(("wan1", "dmz"))].stages[0]
    assert stage.sees == "sent"
    deny_all, vip_rule = c.filters["wan1->dmz"].rules
    client = addr_to_int("198.51.100.7")
    assert vip_rule.match.contains((client, EXT, PROTO_TCP, 40000, 8443))
    assert not vip_rule.match.contains((client, EXT, PROTO_TCP, 40000, 443))  # the service is the mapped port
    assert not vip_rule.match.contains((client, MAPPED, PROTO_TCP, 40000, 443))  # only what the VIP translated
    assert not deny_all.match.contains((client, EXT, PROTO_TCP, 40000, 8443))  # 'all' misses VIP traffic
    assert deny_all.match.contains((client, EXT, PROTO_TCP, 40000, 80))  # not translated: 'all' matches
    assert deny_all.match.contains((client, MAPPED, PROTO_TCP, 40000, 443))
    # without a '#config-version' header, match-vip's default is not known: the deny policy may match it
    assert deny_all.maybe.contains((client, EXT, PROTO_TCP, 40000, 8443))


def test_match_vip_on_deny_policies():
    # "set match-vip enable" makes a deny policy match VIP traffic; from 7.2.4 it is the default
    # (KB "Technical Tip: DENY policy for Virtual IP firewall policy"; NSE4 7.2 study guide)
    client = addr_to_int("198.51.100.7")
    pkt = (client, EXT, PROTO_TCP, 40000, 8443)
    on = parse(VIPCFG.replace("set action deny", "set action deny\n        set match-vip enable"), "t.conf")
    assert on.filters["wan1->dmz"].rules[0].match.contains(pkt)
    new = parse("#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\n" + VIPCFG, "t.conf")
    assert new.filters["wan1->dmz"].rules[0].match.contains(pkt)
    old = parse("#config-version=FG100F-7.0.12-FW-build0523-230530:opmode=0:vdom=0:user=admin\n" + VIPCFG, "t.conf")
    assert not old.filters["wan1->dmz"].rules[0].match.contains(pkt)
    assert not old.filters["wan1->dmz"].rules[0].maybe.contains(pkt)
    unknown_ver = parse(VIPCFG.replace("set action deny", "set action deny\n        set status enable"), "t.conf")
    r = unknown_ver.filters["wan1->dmz"].rules[0]
    assert r.maybe.contains(pkt) and not r.match.contains(pkt)  # default not known without a version


def test_central_nat_policies_see_the_mapped_address():
    # central NAT: VIPs apply without being named, policies use the mapped address (FortiOS
    # Administration Guide, "Central DNAT"; KB "Traffic is dropped due to implicit deny policy-0")
    text = "config system settings\n    set central-nat enable\nend\n" + VIPCFG.replace('"web-vip"', '"web-real"', 2)
    c = parse(text.replace('set dstaddr "web-real"\n        set action accept\n        set schedule "always"\n'
                           '        set service "HTTPS"\n    next\n    edit 3',
                           'set dstaddr "web-real"\n        set action accept\n        set schedule "always"\n'
                           '        set service "HTTPS"\n    next\n    edit 3'), "t.conf")
    assert all(st.sees == "routed" for p in c.paths for st in p.stages)
    assert any(p.ingress == "wan1" and p.egress == "dmz" for p in c.paths)
    assert [r.label for r in c.nat[0].rules] == ["VIP web-real", "VIP unused-vip"]


# --- session TTL ----------------------------------------------------------------------------------

TTL = """config system interface
    edit "ws"
        set ip 10.30.0.1 255.255.255.0
    next
    edit "srv"
        set ip 10.20.0.1 255.255.255.0
    next
end
config system session-ttl
    set default 1800
    config port
        edit 1
            set protocol 6
            set start-port 445
            set end-port 445
            set timeout never
        next
    end
end
config firewall service custom
    edit "DAEMONS"
        set tcp-portrange 1024-9000
        set session-ttl 28800
    next
    edit "WEB"
        set tcp-portrange 80
        set session-ttl 0
    next
end
config firewall policy
    edit 5
        set srcintf "ws"
        set dstintf "srv"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "DAEMONS" "WEB" "SMB"
        set session-ttl 7200
    next
end
"""


def test_session_ttl_precedence_service_policy_port_default():
    # service session-ttl > policy session-ttl > system session-ttl (KB 95856 "Priority of session-ttl
    # settings in FortiGate"); 'config port' entries override the default (KB 191228 "Session timeout
    # settings"); never = no timeout (FortiOS 6.4 Administration Guide, "No session timeout"); a service's
    # 0 means not set (KB 191228: "special = <0>")
    c = parse(TTL, "t.conf")
    got = [(t.label, t.idle_seconds, t.rule, t.default) for t in c.timeouts]
    assert got == [("service DAEMONS session-ttl", 28800, None, False),
                   ("policy 5 session-ttl", 7200, ("ws->srv", 0), False),
                   ("system session-ttl port 1", None, None, False),
                   ("system session-ttl default", 1800, None, True)]
    svc, pol, port, default = c.timeouts
    ws, srv = addr_to_int("10.30.0.5"), addr_to_int("10.20.0.5")
    assert svc.match.contains((ws, srv, PROTO_TCP, 1024, 5000))
    assert pol.match.contains((ws, srv, PROTO_TCP, 1024, 80)) and pol.source.text.strip() == "set session-ttl 7200"
    assert port.match.contains((ws, srv, PROTO_TCP, 1024, 445)) and not port.match.contains((ws, srv, 17, 1, 445))


def test_default_session_ttl_without_a_line():
    # "It is 3,600 seconds by default" (KB 191228 "Session timeout settings")
    c = parse(TTL.replace("    set default 1800\n", ""), "t.conf")
    assert c.timeouts[-1].idle_seconds == 3600 and c.timeouts[-1].source is None and c.timeouts[-1].default


def test_policy_session_ttl_never():
    c = parse(TTL.replace("set session-ttl 7200", "set session-ttl never"), "t.conf")
    assert c.timeouts[1].idle_seconds is None


def test_bad_session_ttl_is_reported_in_the_timeouts_scope():
    c = parse(TTL.replace("set session-ttl 7200", "set session-ttl soon"), "t.conf")
    [d] = c.unrecognized
    assert d.scope == "timeouts"


def test_prn120_from_a_policy_session_ttl():
    from auditor.api import audit
    from auditor.policy import load_site

    c = parse(TTL.replace("set session-ttl 28800\n", ""), "t.conf")
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    res = audit([c], site)
    got = {f.source.text.strip() for f in res.findings if f.rule_id == "PRN120"}
    assert "set session-ttl 7200" in got


# --- flows through VIPs, end to end (the engine applies Config.nat) -------------------------------

@pytest.mark.parametrize("header, want, line", [
    ("#config-version=FG100F-7.0.12-FW-build0523-230530:opmode=0:vdom=0:user=admin\n", "permit", "edit 2"),
    ("#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\n", "deny", "edit 1"),
    ("", "unknown", "edit 1"),
])
def test_flow_through_a_vip(header, want, line):
    # before 7.2.4 the deny-all policy above does not see VIP traffic (KB "DENY policy for Virtual IP
    # firewall policy"); from 7.2.4 match-vip is on by default for deny policies; without the version the
    # answer is unknown, never a guess
    c = parse(header + VIPCFG, "t.conf")
    d = explain(c, "198.51.100.7", "203.0.113.10", "tcp", 40000, 8443)
    assert (d["decision"], d["rule"].strip()) == (want, line)


def test_vip_policy_matches_the_mapped_port_and_the_real_address_is_not_the_vip():
    c = parse("#config-version=FG100F-7.0.12-FW-build0523-230530:opmode=0:vdom=0:user=admin\n" + VIPCFG, "t.conf")
    # the external port that is not forwarded: not translated, routed back out of wan1, which on 7.0.12 (source
    # not on wan1's network) needs a wan1->wan1 policy: the implicit deny (tests/test_hunt23_fortios_hairpin.py)
    d = explain(c, "198.51.100.7", "203.0.113.10", "tcp", 40000, 443)
    assert (d["decision"], d["rule"], d["stage"]) == ("deny", None, "policy wan1->wan1")
    # the real address from the internet: only the deny-all matches it
    assert explain(c, "198.51.100.7", "10.20.0.10", "tcp", 40000, 443)["rule"].strip() == "edit 1"
    # from the LAN to the real address: policy 3
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 443)["rule"].strip() == "edit 3"


def test_match_vip_with_named_addresses_is_unknown_for_vip_traffic():
    # the KB documents match-vip with destination 'all'; with named addresses, whether the external or the
    # mapped address is compared is not documented: the VIP part of such a deny policy is unknown
    text = VIPCFG.replace('set dstaddr "all"\n        set action deny', 'set dstaddr "web-real"\n'
                          '        set action deny\n        set match-vip enable')
    r = parse(text, "t.conf").filters["wan1->dmz"].rules[0]
    pkt = (addr_to_int("198.51.100.7"), EXT, PROTO_TCP, 40000, 8443)
    assert r.maybe.contains(pkt) and not r.match.contains(pkt)
    assert r.match.contains((addr_to_int("198.51.100.7"), MAPPED, PROTO_TCP, 40000, 443))


def test_the_command_audits_the_vdom_it_is_given(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    cfg = tmp_path / "fgt.conf"
    cfg.write_text(VDOMS)
    names = vdoms(VDOMS)
    assert len(names) >= 2

    def run(*args):
        p = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", str(cfg), "--format", "json",
                            "--role", "primary=10.20.0.10", *args], capture_output=True, cwd=ROOT, timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    from auditor.api import audit
    from auditor.policy import load_site
    from auditor.report import render

    outs = set()
    for name in names:
        code, out, err = run("--vdom", name)
        assert code in (0, 1), err
        want = render("json", audit([parse_vdom(VDOMS, str(cfg), name)], load_site(None, ["primary=10.20.0.10"])))
        assert out == want
        outs.add(out)
    assert len(outs) == len(names)  # (each VDOM its own device: its own findings)
    code, out, err = run("--vdom", "nope")
    assert code == 2 and "nope" in err
    asa = tmp_path / "asa.cfg"
    asa.write_text((ROOT / "examples/prinergy-site/asa.cfg").read_text())
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", str(asa), "--vdom", "root"],
                       capture_output=True, cwd=ROOT, timeout=120)
    assert p.returncode == 2 and b"--vdom does not apply" in p.stderr


def test_a_disabled_vip_translates_nothing():
    # 'set status disable' turns a VIP off (FortiOS CLI reference, config firewall vip: "status
    # [disable|enable]", default enable, https://docs.fortinet.com/document/fortigate/7.0.3/cli-reference/303620):
    # it is no NAT rule, and a policy naming it does not certainly match what it would have translated
    # (unknown there, never a permit)
    mp = "        set mappedport 443\n"
    c = parse(VIPCFG.replace(mp, mp + "        set status disable\n"), "t.conf")
    assert not c.nat
    deny_all, vip_rule = c.filters["wan1->dmz"].rules
    pkt = (addr_to_int("198.51.100.7"), EXT, PROTO_TCP, 40000, 8443)
    assert not vip_rule.match.contains(pkt)
    assert deny_all.match.contains(pkt)  # not translated: a plain packet to the external address, which 'all' matches
    on = parse(VIPCFG.replace(mp, mp + "        set status enable\n"), "t.conf")
    assert len(on.nat[0].rules) == 1 and on.filters["wan1->dmz"].rules[1].match.contains(pkt)


def test_a_vip_limited_to_source_interfaces():
    # 'set srcintf-filter <interface-name1>, <interface-name2>, ...' limits the VIP to traffic entering those
    # interfaces (CLI reference, config firewall vip, FortiOS 6.2.6:
    # https://docs.fortinet.com/document/fortigate/6.2.6/cli-reference/272620); before, only the value
    # 'enable' was read and a list of interfaces left the VIP applying to traffic from every interface
    mp = "        set mappedport 443\n"
    c = parse(VIPCFG.replace(mp, mp + '        set srcintf-filter "wan1" "lan"\n'), "t.conf")
    [r] = c.nat[0].rules
    assert r.ingress == ("wan1", "lan")
    c = parse(VIPCFG, "t.conf")
    [r] = c.nat[0].rules
    assert r.ingress == ()


def test_a_vip_limited_to_services_is_reported():
    # FortiOS CLI reference, "config firewall vip" (https://docs.fortinet.com/document/fortigate/7.0.3/
    # cli-reference/303620) lists 'set service <name>' on a VIP without port forwarding; which packets such a
    # VIP translates is not modelled.  Before, the setting was read and dropped: port 22 to the external address
    # was translated and permitted by a policy naming the VIP with service ALL
    text = VIPCFG.replace('        set portforward enable\n        set extport 8443\n        set mappedport 443\n',
                          '        set service "HTTPS"\n')
    c = parse(text, "t.conf")
    [d] = [d for d in c.unrecognized if "limited to services" in d.message]
    assert d.impact is Impact.GLOBAL and d.source.line == text.splitlines().index('    edit "web-vip"') + 1


def test_session_ttl_port_entry_without_ports_is_not_every_port():
    # FortiOS CLI Reference, "config system session-ttl" (7.4.1,
    # https://docs.fortinet.com/document/fortigate/7.4.1/cli-reference/58620): config port's start-port and
    # end-port default to 0; 6.0.0 (https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/476602):
    # "You must configure both the start-port and end-port".  An entry with neither was read as ports 1-65535
    # (its 28800 s hid the default 3600 s from every Prinergy port: a pass); which ports it covers is not
    # documented, so it is reported and the default stays in force.
    from auditor.api import audit
    from auditor.policy import load_site

    text = TTL.replace("            set start-port 445\n            set end-port 445\n", "").replace(
        "set timeout never", "set timeout 28800").replace("    set default 1800\n", "").replace(
        '"DAEMONS" "WEB" "SMB"', '"HI"').replace("        set session-ttl 7200\n", "").replace(
        'edit "DAEMONS"', 'edit "HI"\n        set tcp-portrange 1-65535\n    next\n    edit "DAEMONS"')
    c = parse(text, "t.conf")
    assert [(d.source.text.strip(), d.scope) for d in c.diagnostics] == [("edit 1", "timeouts")]
    assert [t.label for t in c.timeouts if "port" in t.label] == []
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    got = [f for f in audit([c], site).findings if f.rule_id == "PRN120"]
    assert [(f.status, f.key) for f in got] == [("fail", "FortiOS default session TTL (3600 s; no 'config system "
                                                         "session-ttl' default)")]  # was: no PRN120
    # end-port alone: start-port is 0
    c = parse(text.replace("set timeout 28800", "set timeout 28800\n            set end-port 9000"), "t.conf")
    [port] = [t for t in c.timeouts if "port" in t.label]
    assert c.diagnostics == () and port.match.contains((1, 2, PROTO_TCP, 1024, 0))
    assert port.match.contains((1, 2, PROTO_TCP, 1024, 9000)) and not port.match.contains((1, 2, PROTO_TCP, 1024, 9001))


def test_two_services_with_different_session_ttls_on_the_same_connections_are_reported():
    # A custom service's session-ttl applies to its connections whichever policy permits them (KB 95856
    # "Priority of session-ttl settings in FortiGate", https://community.fortinet.com/fortigate-3/technical-tip-
    # priority-of-session-ttl-settings-in-fortigate-95856: policy service "ALL", the FTP service's TTL).  Which of
    # two services' TTLs a connection of both gets is in no Fortinet document: the first one written was taken
    # (here 28800 s over the 300 s of the service the policy names: a pass).
    from auditor.api import audit
    from auditor.policy import load_site

    text = TTL.replace('"DAEMONS" "WEB" "SMB"', '"DAEMONS"').replace("        set session-ttl 7200\n", "").replace(
        'edit "DAEMONS"', 'edit "HI"\n        set tcp-portrange 1-65535\n        set session-ttl 28800\n    next\n'
        '    edit "DAEMONS"').replace("set session-ttl 28800\n    next\n    edit \"WEB\"",
                                     "set session-ttl 300\n    next\n    edit \"WEB\"")
    c = parse(text, "t.conf")
    assert [(d.source.text.strip(), d.scope) for d in c.diagnostics] == [("set session-ttl 300", "timeouts")]
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    got = [f for f in audit([c], site).findings if f.rule_id == "PRN120"]
    assert [f.status for f in got] == ["unknown"]  # was: no PRN120 (a pass)
    # the same TTL on both: nothing to choose
    assert parse(text.replace("set session-ttl 300", "set session-ttl 28800"), "t.conf").diagnostics == ()


APP_TTL = TTL.replace("config firewall policy\n", """config application list
    edit "APPS"
        config entries
            edit 1
                set category 2 3
                set action pass
                set session-ttl 300
            next
        end
    next
end
config firewall policy
""").replace("        set session-ttl 7200\n", "        set utm-status enable\n        set application-list \"APPS\"\n"
             "        set session-ttl never\n")


def test_an_application_control_entrys_session_ttl_is_reported():
    # Fortinet KB FD36001 "Technical Note: Session TTL values and Policy RST for Sessions"
    # (https://community.fortinet.com/t5/FortiGate/Technical-Note-Session-TTL-values-and-Policy-RST-for-Sessions/
    # ta-p/198311): "Session-TTL values are selected in the following order 1) Application Control Sensor entry
    # (if applicable) 2) Custom Service (if applicable) 3) Policy (if applicable) 4) System".  The list's block
    # was ignored as inspection only, so the policy's 'never' passed; which connections the entry's
    # applications are is not known: cannot tell.
    from auditor.api import audit
    from auditor.policy import load_site

    c = parse(APP_TTL, "t.conf")
    assert [(d.source.text.strip(), d.scope) for d in c.diagnostics] == [("set session-ttl 300", "timeouts")]
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    got = [f for f in audit([c], site).findings if f.rule_id == "PRN120"]
    assert [f.status for f in got] == ["unknown"]  # was: no PRN120 (a pass)
    # a list no policy uses, and an entry without a TTL of its own, change no session (the entry passes its
    # applications: without 'set action pass' it would block them, test_fortios_app_control.py)
    assert parse(APP_TTL.replace('        set application-list "APPS"\n', ""), "t.conf").diagnostics == ()
    assert parse(APP_TTL.replace("                set session-ttl 300\n", ""), "t.conf").diagnostics == ()


def test_an_application_control_entrys_session_ttl_reached_through_a_profile_group_is_reported():
    # The same list named by the policy's security profile group ('set profile-type group' / 'set profile-group
    # G': FortiOS CLI Reference, "config firewall policy" and "config firewall profile-group") applies as the
    # policy's own would (KB FD36001's order); it was read only from the policy's own 'application-list'.
    from auditor.api import audit
    from auditor.policy import load_site

    text = APP_TTL.replace('        set application-list "APPS"\n',
                           '        set profile-type group\n        set profile-group "G"\n').replace(
        "config firewall policy\n",
        'config firewall profile-group\n    edit "G"\n        set application-list "APPS"\n    next\nend\n'
        "config firewall policy\n")
    c = parse(text, "t.conf")
    assert [(d.source.text.strip(), d.scope) for d in c.diagnostics] == [("set session-ttl 300", "timeouts")]
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert [f.status for f in audit([c], site).findings if f.rule_id == "PRN120"] == ["unknown"]

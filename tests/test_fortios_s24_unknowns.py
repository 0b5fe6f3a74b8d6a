"""FortiOS: less unknown where the device is clear (a disabled policy route, a VIP6's scope, extip 0.0.0.0's
scope), and unknown where it is not (security profiles that may drop what an accept policy accepts).

Documents, each cited at its test:
- FortiOS CLI Reference, "config router policy" (https://docs.fortinet.com/document/fortigate/7.4.9/cli-reference/
  796289482): "status [enable|disable]", "Enable/disable this policy route".
- FortiOS Administration Guide, "Static virtual IPs" (https://docs.fortinet.com/document/fortigate/7.0.0/
  administration-guide/510402/static-virtual-ips): VIP types IPv4 ('config firewall vip') and IPv6 ('config
  firewall vip6'); "In a static NAT VIP, the external IP address is the IP address that the FortiGate listens for
  traffic on. When the external interface is not any, 0.0.0.0 can be used to make the external IP address
  equivalent to the external interface's IP address"; FortiOS 5.0 Help, "VIP46" (https://help.fortinet.com/
  fos50hlp/50/FortiOS%205.0%20Help/IPv6_Features.131.09.html): "To configure a dynamic virtual IP that accepts
  connections destined for any IP address, set extip to 0.0.0.0".
"""

from __future__ import annotations

from auditor.api import explain
from auditor.core.model import Impact
from parsers.fortios import parse

HEAD = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "ws"
        set ip 10.30.0.1 255.255.255.0
        config ipv6
            set ip6-address 2001:db8:30::1/64
        end
    next
    edit "srv"
        set ip 10.20.0.1 255.255.255.0
        config ipv6
            set ip6-address 2001:db8:20::1/64
        end
    next
end
"""

ACCEPT = """config firewall policy
    edit 5
        set srcintf "ws"
        set dstintf "srv"
        set srcaddr "all"
        set dstaddr "all"
        set srcaddr6 "all"
        set dstaddr6 "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def global_unknowns(c) -> list[str]:
    return [d.message for d in c.diagnostics if d.impact is Impact.GLOBAL]


def policy_route(*status: str) -> str:
    return ("config router policy\n    edit 1\n        set input-device \"ws\"\n"
            "        set src \"10.30.0.0/255.255.255.0\"\n"
            "        set gateway 10.20.0.254\n        set output-device \"srv\"\n"
            + "".join("        %s\n" % s for s in status) + "    next\nend\n")


# --- config router policy ----------------------------------------------------------------------
def test_a_disabled_policy_route_routes_nothing():
    # "status [enable|disable]": "Enable/disable this policy route" (CLI Reference, "config router policy"): a
    # disabled one sends nothing anywhere; was: the whole block not understood, every verdict unknown
    c = parse(HEAD + policy_route("set status disable") + ACCEPT, "t.conf")
    assert global_unknowns(c) == []
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "permit"


def test_an_enabled_policy_route_is_still_reported():
    # (enable by default; a later 'set status enable' enables it again: the last statement counts)
    for sets in ((), ("set status enable",), ("set status disable", "set status enable"),
                 ("set status disable", "unset status")):
        c = parse(HEAD + policy_route(*sets) + ACCEPT, "t.conf")
        got = global_unknowns(c)
        assert len(got) == 1 and "policy route 1" in got[0], sets


def test_a_statement_outside_an_entry_of_policy_routes_is_reported():
    text = HEAD + policy_route("set status disable").replace("end\n", "    move 1 before 2\nend\n") + ACCEPT
    assert len(global_unknowns(parse(text, "t.conf"))) == 1


# --- config firewall vip6 ------------------------------------------------------------------------
VIP6 = """config firewall vip6
    edit "v6web"
        set extip 2001:db8:30::10
        set mappedip 2001:db8:20::10
%s    next
end
"""


def test_a_vip6_makes_only_ipv6_traffic_to_its_external_address_unknown():
    # IPv6 VIPs are 'config firewall vip6' (Administration Guide, "Static virtual IPs"): destination NAT of the
    # IPv6 packets to its external address, not modelled. Was: every verdict unknown (block not understood)
    c = parse(HEAD + VIP6 % "" + ACCEPT, "t.conf")
    assert global_unknowns(c) == []
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "permit"
    assert explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 40000, 445)["decision"] == "permit"
    d = explain(c, "2001:db8:30::5", "2001:db8:30::10", "tcp", 40000, 443)
    assert d["decision"] == "unknown"


def test_a_disabled_vip6_translates_nothing():
    c = parse(HEAD + VIP6 % "        set status disable\n" + ACCEPT, "t.conf")
    assert global_unknowns(c) == []
    assert not any("VIP6" in d.message for d in c.diagnostics)


def test_a_vip6_external_range_and_a_bad_address():
    c = parse(HEAD + VIP6.replace("set extip 2001:db8:30::10", "set extip 2001:db8:30::10-2001:db8:30::12")
              % "" + ACCEPT, "t.conf")
    assert explain(c, "2001:db8:30::5", "2001:db8:30::12", "udp", 40000, 53)["decision"] == "unknown"
    bad = parse(HEAD + VIP6.replace("2001:db8:30::10", "2001:db8:30::zz") % "" + ACCEPT, "t.conf")
    assert len(global_unknowns(bad)) == 1


def test_a_policy_naming_a_vip6_is_uncertain_not_undefined():
    text = HEAD + VIP6 % "" + ACCEPT.replace('set dstaddr6 "all"', 'set dstaddr6 "v6web"')
    c = parse(text, "t.conf")
    assert not [d for d in c.diagnostics if d.code == "CFG301"]
    assert explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 40000, 445)["decision"] == "unknown"


# --- VIP extip 0.0.0.0 -----------------------------------------------------------------------------
VIP0 = """config firewall vip
    edit "dyn"
        set extip 0.0.0.0
        set extintf "ws"
        set mappedip "10.20.0.10"
        set portforward enable
        set extport 8443
        set mappedport 443
    next
end
config firewall policy
    edit 7
        set srcintf "ws"
        set dstintf "srv"
        set srcaddr "all"
        set dstaddr "dyn"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
end
"""


def test_a_vip_with_external_address_0_0_0_0_is_unknown_only_for_what_it_may_translate():
    # 0.0.0.0 is "the external interface's IP address" (Administration Guide 7.0, "Static virtual IPs") or "any IP
    # address" (FortiOS 5.0 Help, "VIP46"): taken as any address, so what this port forward may translate (TCP to
    # port 8443, to any IPv4 address) is unknown, at the VIP's line; was: every verdict unknown
    c = parse(HEAD + VIP0 + ACCEPT.replace("edit 5", "edit 6"), "t.conf")
    assert global_unknowns(c) == []
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "permit"
    assert explain(c, "10.30.0.5", "10.20.0.10", "udp", 40000, 8443)["decision"] == "permit"
    for dst in ("10.30.0.1", "10.20.0.10", "198.51.100.7"):
        d = explain(c, "10.30.0.5", dst, "tcp", 40000, 8443)
        assert d["decision"] == "unknown", dst
    msgs = [m.message for m in c.diagnostics if "0.0.0.0" in m.message]
    assert len(msgs) == 1 and "tcp port 8443" in msgs[0]


def test_a_static_nat_vip_with_external_address_0_0_0_0_leaves_ipv6_decided():
    text = HEAD + VIP0.replace("        set portforward enable\n        set extport 8443\n        set mappedport 443\n",
                               "") + ACCEPT.replace("edit 5", "edit 6")
    c = parse(text, "t.conf")
    assert global_unknowns(c) == []
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "unknown"
    assert explain(c, "2001:db8:30::5", "2001:db8:20::10", "tcp", 40000, 445)["decision"] == "permit"


# --- security profiles that may drop what an accept policy accepts ---------------------------------
# (parsers/fortios/profiles.py cites each: FortiOS CLI Reference "config webfilter profile" (7.6.1, 285848147):
# FortiGuard filters' 'action [block|authenticate|monitor|warning]'; "firewall profile-protocol-options" (6.0.5,
# 219019): HTTP "Ports to scan for content (1 - 65535, default = 80)", 'inspect-all', 'status'; "config firewall
# ssl-ssh-profile" (6.4.7, 305620): 'config https' 'status [disable|certificate-inspection|deep-inspection]',
# 'ports', the '*-cert' block actions; "config dlp sensor" filters' 'proto' and 'action'; "config file-filter
# profile" rules' 'protocol' and 'action log-only|block')
# (HTTP's 'unknown-http-version' written as 'tunnel': not set, it counts as 'reject', which may block on the HTTP
# ports: tests/test_fortios_s24_profiles2.py)
PROTO_OPTS = """config firewall profile-protocol-options
    edit "default"
        config http
            set ports 80 8080
            set unknown-http-version tunnel
        end
        config cifs
            set ports 445
        end
    next
end
config firewall ssl-ssh-profile
    edit "certificate-inspection"
        config https
            set ports 443
            set status certificate-inspection
        end
    next
    edit "no-inspection"
        config https
            set status disable
        end
        config ssl
            set inspect-all disable
        end
    next
end
"""

WEBFILTER = """config webfilter profile
    edit "WF"
        config ftgd-wf
            config filters
                edit 1
                    set category 2
                    set action %s
                next
            end
        end
    next
end
"""

UTM = ACCEPT.replace('        set service "ALL"\n', '        set service "ALL"\n        set utm-status enable\n%s')


def profiled(*sets: str) -> str:
    return UTM % "".join("        set %s\n" % s for s in sets)


def test_a_web_filter_that_blocks_categories_makes_http_and_https_unknown_on_its_policy_only():
    # was: a plain accept (the web filter profile ignored): IIS on 80 and license traffic on 443 passed
    text = HEAD + PROTO_OPTS + WEBFILTER % "block" + profiled('webfilter-profile "WF"',
                                                             'ssl-ssh-profile "certificate-inspection"')
    c = parse(text, "t.conf")
    assert global_unknowns(c) == []
    for port in (80, 8080, 443):
        assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, port)["decision"] == "unknown", port
    for proto, port in (("tcp", 445), ("tcp", 81), ("udp", 80)):
        assert explain(c, "10.30.0.5", "10.20.0.10", proto, 40000, port)["decision"] == "permit", (proto, port)
    told = [d for d in c.diagnostics if "web filter profile WF" in d.message]
    assert len(told) == 1 and told[0].source.text.strip() == "edit 1"


def test_a_monitor_only_web_filter_without_ssl_inspection_blocks_nothing():
    # ('error-allow': pages whose FortiGuard rating fails pass; without it they are blocked, monitor or not:
    # tests/test_fortios_s24_profiles2.py)
    wf = (WEBFILTER % "monitor").replace("        config ftgd-wf\n", "        config ftgd-wf\n"
                                         "            set options error-allow\n")
    text = HEAD + PROTO_OPTS + wf + profiled('webfilter-profile "WF"', 'ssl-ssh-profile "no-inspection"')
    c = parse(text, "t.conf")
    for port in (80, 443, 445):
        assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, port)["decision"] == "permit", port


def test_ssl_inspection_makes_its_https_ports_unknown():
    # certificate inspection may block expired, revoked or untrusted certificates; deep inspection re-signs them
    # (no antivirus profile: one not in the input may block anything, tests/test_fortios_s24_profiles2.py)
    text = HEAD + PROTO_OPTS + profiled('ssl-ssh-profile "certificate-inspection"')
    c = parse(text, "t.conf")
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 443)["decision"] == "unknown"
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 80)["decision"] == "permit"


def test_a_blocking_web_filter_of_a_profile_group():
    group = ('config firewall profile-group\n    edit "PG"\n        set webfilter-profile "WF"\n'
             '        set ssl-ssh-profile "no-inspection"\n    next\nend\n')
    text = HEAD + PROTO_OPTS + WEBFILTER % "warning" + group + profiled("profile-type group", 'profile-group "PG"')
    c = parse(text, "t.conf")
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 8080)["decision"] == "unknown"
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "permit"


DLP = """config dlp sensor
    edit "D"
        config filter
            edit 1
                set proto cifs
                set action %s
            next
        end
    next
end
"""


def test_a_blocking_dlp_sensor_on_cifs_makes_smb_unknown():
    text = HEAD + PROTO_OPTS + DLP % "block" + profiled('dlp-sensor "D"', 'ssl-ssh-profile "no-inspection"')
    c = parse(text, "t.conf")
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "unknown"
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 80)["decision"] == "permit"
    quiet = parse(HEAD + PROTO_OPTS + DLP % "log-only" + profiled('dlp-sensor "D"'), "t.conf")
    assert explain(quiet, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "permit"


def test_a_file_filter_or_a_profile_not_in_the_input_is_unknown_on_every_tcp_port_it_may_see():
    ff = ('config file-filter profile\n    edit "FF"\n        config rules\n            edit "r"\n'
          '                set protocol cifs\n                set action block\n            next\n        end\n'
          '    next\nend\n')
    c = parse(HEAD + PROTO_OPTS + ff + profiled('file-filter-profile "FF"'), "t.conf")
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "unknown"
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 80)["decision"] == "permit"
    # (a profile not in the input: what it blocks, and where, is not known: every TCP port; UDP decided)
    c = parse(HEAD + profiled('webfilter-profile "ELSEWHERE"'), "t.conf")
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "unknown"
    assert explain(c, "10.30.0.5", "10.20.0.10", "udp", 40000, 53)["decision"] == "permit"


def test_a_deny_policy_with_a_web_filter_still_denies():
    text = HEAD + PROTO_OPTS + WEBFILTER % "block" + profiled('webfilter-profile "WF"').replace(
        "set action accept", "set action deny")
    c = parse(text, "t.conf")
    assert explain(c, "10.30.0.5", "10.20.0.10", "tcp", 40000, 80)["decision"] == "deny"

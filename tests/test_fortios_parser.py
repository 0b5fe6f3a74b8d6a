"""FortiOS parser: each modelled behaviour, with the Fortinet document that says so.

Decisions are asked of the engine for one packet (``explain``), through the device's paths
(interfaces and routes) or one zone-pair filter.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.api import explain
from auditor.core.model import Action, Impact
from auditor.core.packets import ISet, addr_to_int
from parsers import InputError, detect
from parsers.fortios import parse
from parsers.fortios.objects import MAX_WILDCARD_SPLIT, wildcard

IFACES = """config system interface
    edit "port1"
        set vdom "root"
        set ip 10.1.0.1 255.255.255.0
    next
    edit "port2"
        set vdom "root"
        set ip 10.2.0.1/24
    next
    edit "port3"
        set vdom "root"
        set ip 10.3.0.1 255.255.255.0
    next
    edit "port4"
        set vdom "root"
        set ip 10.4.0.1 255.255.255.0
    next
end
config firewall address
    edit "net1"
        set subnet 10.1.0.0 255.255.255.0
    next
    edit "net2"
        set subnet 10.2.0.0/24
    next
    edit "host2"
        set subnet 10.2.0.10 255.255.255.255
    next
end
"""


def cfg(policies: str, extra: str = "", ifaces: str = IFACES):
    return parse(ifaces + extra + "config firewall policy\n" + policies + "end\n", "t.conf")


def pol(pid, src="port1", dst="port2", sa="all", da="all", svc="ALL", action="accept", more=""):
    lines = ["    edit %s" % pid, '        set srcintf %s' % src, '        set dstintf %s' % dst,
             '        set srcaddr %s' % sa, '        set dstaddr %s' % da, '        set service %s' % svc,
             '        set schedule "always"']
    if action:
        lines.append("        set action %s" % action)
    lines += ["        " + m for m in more.splitlines() if m.strip()]
    return "\n".join(lines + ["    next"]) + "\n"


def decide(c, src, dst, proto="tcp", dport=80, sport=1024, filt=None):
    return explain(c, src, dst, proto, sport, dport, filt)


# --- detection and bad input ------------------------------------------------------------

def test_detects_backup_and_show_output():
    backup = "#config-version=FGT60F-7.0.12-FW-build0523-230530:opmode=0:vdom=0:user=admin\n" + IFACES
    assert detect(backup) == "fortios"
    assert detect(IFACES) == "fortios"  # `show` output has no header
    assert detect(pol(1).join(["config firewall policy\n", "end\n"])) == "fortios"


def test_not_fortios_is_refused():
    with pytest.raises(InputError):
        parse("hello world\nthis is not a firewall\n", "x.conf")


def test_garbage_inside_is_reported_not_dropped():
    c = parse("config firewall policy\n    edit 1\n        frobnicate 7\n    next\nend\n", "t.conf")
    lines = [d.source.line for d in c.unrecognized]
    assert lines[0] == 3 and set(lines) == {2, 3}  # the statement, then what the empty policy lacks
    assert c.aux["lines"].unaccounted() == []


def test_unclosed_block_is_reported():
    c = parse("config firewall address\n    edit \"a\"\n        set subnet 1.1.1.0/24\n", "t.conf")
    assert any("not closed" in d.message for d in c.unrecognized)


# --- policy order, action, status, the implicit deny ----------------------------------------

def test_first_match_in_written_order_not_by_id():
    # "The policies are consulted from top to bottom. The first rule that matches is applied"
    # (Fortinet KB 207381 "Technical Tip: How policy order works on FortiGate"); the policy ID is an
    # identifier, the sequence is the order (KB 212244 "How to find the ordered sequence number").
    c = cfg(pol(9, svc="ALL", action="deny") + pol(1, svc="ALL"))
    d = decide(c, "10.1.0.5", "10.2.0.10")
    assert d["decision"] == "deny" and d["rule"].strip() == "edit 9"


def test_action_defaults_to_deny():
    # FortiOS CLI Reference, "config firewall policy": action [accept|deny|...], default deny; aerleon's
    # fortigate generator writes no 'set action' for deny terms and Batfish's firewall_policy test config
    # has a policy without one.
    c = cfg(pol(1, action=""))
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "deny"
    assert c.filters["port1->port2"].rules[0].action is Action.DENY


def test_disabled_policy_is_skipped():
    c = cfg(pol(1, action="deny", more="set status disable") + pol(2))
    d = decide(c, "10.1.0.5", "10.2.0.10")
    assert d["decision"] == "permit" and d["rule"].strip() == "edit 2"
    assert c.filters["port1->port2"].rules[0].enabled is False


def test_implicit_deny_policy_0():
    # "If there is no matching policy ... the packet finally drops down to ... an implicit policy ...
    # 'policy0'. This policy denies everything." (FortiOS 5.0 Help, Security policies > Policy order)
    c = cfg(pol(1, svc="HTTPS"))
    d = decide(c, "10.1.0.5", "10.2.0.10", dport=80)
    assert d["decision"] == "deny" and d["rule"] is None and "policy 0" in d["reason"]
    assert d["default_line"] == IFACES.count("\n") + 1  # the 'config firewall policy' line (the table's end)
    assert decide(c, "10.2.0.10", "10.1.0.5", dport=443)["decision"] == "deny"  # no reverse policy
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=443)["decision"] == "permit"


def test_same_interface_traffic_does_not_cross():
    c = cfg(pol(1))
    d = decide(c, "10.1.0.5", "10.1.0.6")
    assert d["decision"] == "permit" and d["rule"] is None


def test_schedule_other_than_always_makes_the_policy_unknown():
    # the schedule decides when the policy matches (FortiOS 5.0 Help "Policy order": matching compares
    # "the time that the packet connected"); the time of an audit says nothing about it
    c = cfg(pol(1).replace('"always"', '"workhours"'))
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    [d] = c.unrecognized
    assert "workhours" in d.message and d.impact is Impact.FILTER


def test_a_policy_that_may_match_still_has_its_action():
    # a schedule decides when a policy matches, not what it does then: a deny policy in a schedule above the
    # implicit deny denies either way; an accept in a schedule above an accept of the same traffic accepts
    # either way; an accept in a schedule above the implicit deny is unknown
    c = cfg(pol(1, action="deny").replace('"always"', '"workhours"'))
    got = decide(c, "10.1.0.5", "10.2.0.10")
    assert got["decision"] == "deny" and got["line"] is None
    c = cfg(pol(1).replace('"always"', '"workhours"') + pol(2))
    got = decide(c, "10.1.0.5", "10.2.0.10")
    assert (got["decision"], got["rule"].strip()) == ("permit", "edit 2") and "schedule workhours" in got["reason"]
    c = cfg(pol(1).replace('"always"', '"workhours"'))
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    # an action that is not understood: whatever follows, unknown
    c = cfg(pol(1, action="frobnicate") + pol(2, action="deny"))
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


# --- interfaces, zones, any ------------------------------------------------------------------

ZONES = """config system zone
    edit "inside"
        set interface "port2" "port3"
    next
    edit "dmz"
        set interface "port4"
        set intrazone allow
    next
end
"""


def test_zone_policy_applies_to_member_interfaces():
    # "You can configure policies for connections to and from a zone" (FortiOS Administration Guide, Zone)
    c = cfg(pol(1, dst="inside"), ZONES)
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.3.0.10")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.4.0.10")["decision"] == "deny"
    # (and the gates of the same-interface paths, "derived": tests/test_hunt23_fortios_hairpin.py)
    assert {n for n, f in c.filters.items() if f.kind != "derived"} == {"port1->inside"}


def test_intrazone_deny_by_default_allow_when_set():
    # "Block intra-zone traffic" / set intrazone {deny | allow} (KB 279733 "Block or allow intra-zone
    # traffic"); an explicit policy is matched before the intrazone setting (KB 264457 "Information about
    # policy matching order when the intrazone setting is used")
    c = cfg(pol(1, src="dmz", dst="dmz", action="deny", svc="SSH"), ZONES.replace(
        '"port4"\n        set intrazone allow', '"port4" "port1"\n        set intrazone allow'))
    assert decide(c, "10.2.0.5", "10.3.0.10")["decision"] == "deny"  # inside: intrazone deny
    d = decide(c, "10.4.0.5", "10.1.0.10")
    assert d["decision"] == "permit" and "intrazone allow" in d["reason"]
    assert decide(c, "10.4.0.5", "10.1.0.10", dport=22)["decision"] == "deny"


def test_any_interface():
    c = cfg(pol(1, src="any", dst="any", da="net2"))
    assert decide(c, "10.3.0.5", "10.2.0.10")["decision"] == "permit"
    assert decide(c, "10.3.0.5", "10.1.0.10")["decision"] == "deny"


def test_undefined_interface_is_reported():
    c = cfg(pol(1, dst="port9"))
    assert [d.code for d in c.diagnostics] == ["CFG301"]


def test_static_route_reaches_an_interface():
    c = cfg(pol(1, src="port1", dst="port3"), "config router static\n    edit 1\n        set dst 172.16.0.0 "
            "255.240.0.0\n        set gateway 10.3.0.254\n        set device \"port3\"\n    next\n    edit 2\n"
            "        set gateway 10.4.0.254\n        set device \"port4\"\n    next\nend\n")
    assert decide(c, "10.1.0.5", "172.20.0.1")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "8.8.8.8")["decision"] == "deny"  # default route via port4
    assert [r.prefix_len for r in c.routes] == [12, 0]


# --- addresses ---------------------------------------------------------------------------

def test_address_forms_and_negation():
    # firewall address: type ipmask (default, "subnet A M" or prefix), iprange (start-ip/end-ip)
    # (FortiOS CLI Reference, config firewall address); srcaddr-negate inverts the sources
    extra = ("config firewall address\n    edit \"rng\"\n        set type iprange\n        set start-ip 10.1.0.10\n"
             "        set end-ip 10.1.0.20\n    next\nend\n")
    c = cfg(pol(1, sa="rng"), extra)
    assert decide(c, "10.1.0.10", "10.2.0.9")["decision"] == "permit"
    assert decide(c, "10.1.0.21", "10.2.0.9")["decision"] == "deny"
    c = cfg(pol(1, sa="rng", more="set srcaddr-negate enable"), extra)
    assert decide(c, "10.1.0.10", "10.2.0.9")["decision"] == "deny"
    assert decide(c, "10.1.0.21", "10.2.0.9")["decision"] == "permit"


@pytest.mark.parametrize("body, what", [
    ('set type fqdn\n        set fqdn "server.example.com"', "fqdn"),
    ('set type geography\n        set country "FR"', "geography"),
    ('set type wildcard-fqdn\n        set wildcard-fqdn "*.example.com"', "wildcard-fqdn"),
    # a wildcard of more scattered free bits than the bound (2**12 blocks): reported, not evaluated
    ("set type wildcard\n        set wildcard 10.2.0.0 170.170.170.170", "wildcard mask"),
    ('set type dynamic\n        set sdn "aws"', "dynamic"),
])
def test_addresses_not_in_the_config_are_unknown(body, what):
    c = cfg(pol(1, da="x"), "config firewall address\n    edit \"x\"\n        %s\n    next\nend\n" % body)
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    assert any(what in d.message for d in c.unrecognized)


WILDCARD_DOC = ("Fortinet, FortiOS Administration Guide, 'Wildcard addressing': \"A wildcard address consists of an "
                "IP address and a wildcard netmask ... In a wildcard netmask, zero denotes ignoring the value of the "
                "octet in the IP address\"; Fortinet Community, 'Technical Tip: Wildcard addresses usage': the netmask "
                "is \"a bitmask that is applied to both values (the wildcard base IP address and the evaluated IP) "
                "before comparing them\"",
                "https://docs.fortinet.com/document/fortigate/latest/administration-guide/838461/wildcard-addressing",
                "https://community.fortinet.com/t5/FortiGate/Technical-Tip-Wildcard-addresses-usage/ta-p/317702")


def test_wildcard_addresses_in_policies():
    # WILDCARD_DOC: 10.1.0.5 255.255.0.255 is 10.1.x.5; 10.2.0.10 255.255.255.1 is 10.2.0.x with x even
    extra = ("config firewall address\n    edit \"fifth\"\n        set type wildcard\n"
             "        set wildcard 10.1.0.5 255.255.0.255\n    next\n"
             "    edit \"even\"\n        set type wildcard\n        set wildcard 10.2.0.10 255.255.255.1\n"
             "    next\nend\n")
    c = cfg(pol(1, sa="fifth", da="even"), extra)
    assert not c.diagnostics
    assert decide(c, "10.1.0.5", "10.2.0.12")["decision"] == "permit"  # was: unknown
    assert decide(c, "10.1.0.6", "10.2.0.12")["decision"] == "deny"
    assert decide(c, "10.1.0.5", "10.2.0.11")["decision"] == "deny"
    # negated, in a group, with an exclusion: as any other address
    c = cfg(pol(1, sa="fifth", da="even", more="set srcaddr-negate enable"), extra)
    assert decide(c, "10.1.0.6", "10.2.0.12")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.12")["decision"] == "deny"
    grp = ("config firewall addrgrp\n    edit \"g\"\n        set member \"net2\"\n        set exclude enable\n"
           "        set exclude-member \"even\"\n    next\nend\n")
    c = cfg(pol(1, da="g"), extra + grp)
    assert decide(c, "10.1.0.5", "10.2.0.11")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.12")["decision"] == "deny"
    # a type wildcard without its wildcard: not known (reported)
    c = cfg(pol(1, da="w"), "config firewall address\n    edit \"w\"\n        set type wildcard\n    next\nend\n")
    assert decide(c, "10.1.0.5", "10.2.0.12")["decision"] == "unknown" and c.unrecognized


def test_nested_groups_with_exclude():
    # addrgrp members may be groups; "set exclude enable" + exclude-member removes addresses
    # (FortiOS CLI Reference, config firewall addrgrp; Batfish's addrgrp test config)
    extra = ("config firewall addrgrp\n    edit \"inner\"\n        set member \"net2\"\n    next\n"
             "    edit \"outer\"\n        set member \"inner\" \"net1\"\n        set exclude enable\n"
             "        set exclude-member \"host2\"\n    next\nend\n")
    c = cfg(pol(1, da="outer"), extra)
    assert decide(c, "10.1.0.5", "10.2.0.11")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "deny"


def test_undefined_address_is_cfg301_and_unknown():
    c = cfg(pol(1, da="ghost"))
    assert [d.code for d in c.diagnostics] == ["CFG301"]
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


def test_all_and_none_are_predefined():
    c = cfg(pol(1, da="none") + pol(2, action="deny"))
    assert decide(c, "10.1.0.5", "10.2.0.10")["rule"].strip() == "edit 2"


def test_ipv6_addresses_in_the_same_policy():
    six = ("config firewall address6\n    edit \"v6net\"\n        set ip6 2001:db8:2::/48\n    next\nend\n")
    ifaces = IFACES.replace('set ip 10.2.0.1/24', 'set ip 10.2.0.1/24\n        config ipv6\n'
                            '            set ip6-address 2001:db8:2::1/48\n        end')
    ifaces = ifaces.replace('set ip 10.1.0.1 255.255.255.0', 'set ip 10.1.0.1 255.255.255.0\n        config ipv6\n'
                            '            set ip6-address 2001:db8:1::1/48\n        end')
    c = cfg(pol(1, da="host2", more='set srcaddr6 "all"\nset dstaddr6 "v6net"'), six, ifaces)
    assert decide(c, "2001:db8:1::5", "2001:db8:2::9")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.11")["decision"] == "deny"


# --- services ---------------------------------------------------------------------------------

SVCS = """config firewall service custom
    edit "web-from-high"
        set tcp-portrange 8080-8081:1024-65535 443
        set udp-portrange 53
    next
    edit "ping"
        set protocol ICMP
        set icmptype 8
    next
    edit "gre"
        set protocol IP
        set protocol-number 47
    next
    edit "to-one-host"
        set tcp-portrange 22
        set iprange 10.2.0.10
    next
end
config firewall service group
    edit "grp"
        set member "ping" "gre"
    next
end
"""


def test_port_ranges_destination_then_source():
    # tcp-portrange <dstport_low>[-<dstport_high>:<srcport_low>-<srcport_high>] (FortiOS CLI Reference,
    # config firewall service custom); without a source part the source ports are 1-65535 (Batfish
    # Service.DEFAULT_SOURCE_PORT_RANGE; aerleon's generator: "Fortinet defaults source to 1-65535")
    c = cfg(pol(1, svc='"web-from-high"'), SVCS)
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=8081, sport=1024)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=8081, sport=1023)["decision"] == "deny"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=443, sport=5)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=443, sport=0)["decision"] == "deny"
    assert decide(c, "10.1.0.5", "10.2.0.10", "udp", dport=53)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", "udp", dport=443)["decision"] == "deny"


def test_icmp_ip_groups_and_iprange():
    c = cfg(pol(1, svc='"grp" "to-one-host"'), SVCS)
    assert decide(c, "10.1.0.5", "10.2.0.10", "icmp", dport=8 * 256)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", "icmp", dport=0)["decision"] == "deny"
    assert decide(c, "10.1.0.5", "10.2.0.10", "47", dport=0, sport=0)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=22)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.11", dport=22)["decision"] == "deny"  # iprange narrows it


def test_service_negate():
    c = cfg(pol(1, svc="HTTP", more="set service-negate enable"))
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "deny"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=81)["decision"] == "permit"


def test_predefined_services_when_not_defined():
    # a `show firewall policy` excerpt names predefined services without their definitions (Fortinet,
    # "Services and TCP ports", FortiOS 5.2 Online Help: the predefined services list)
    c = cfg(pol(1, svc='"HTTPS" "DNS"'))
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=443)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", "udp", dport=53)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "deny"
    assert not c.diagnostics


def test_defined_service_wins_over_the_predefined_table():
    c = cfg(pol(1, svc="HTTP"), 'config firewall service custom\n    edit "HTTP"\n        set tcp-portrange 8000\n'
            '    next\nend\n')
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=8000)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "deny"


def test_changing_protocol_drops_the_former_ports():
    # Batfish's service_custom test config: "Previously set protocol-values should be unset when
    # protocol is changed"
    c = cfg(pol(1, svc="s"), 'config firewall service custom\n    edit "s"\n        set tcp-portrange 22\n'
            '        set protocol ICMP\n    next\nend\n')
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=22)["decision"] == "deny"
    assert decide(c, "10.1.0.5", "10.2.0.10", "icmp", dport=0)["decision"] == "permit"


def test_undefined_service_is_cfg301_and_unknown():
    c = cfg(pol(1, svc="NOPE"))
    assert [d.code for d in c.diagnostics] == ["CFG301"]
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"


# --- what a policy may hold that is not modelled ------------------------------------------------

@pytest.mark.parametrize("more", ['set groups "staff"', 'set users "bob"', "set internet-service enable",
                                  'set application 15832', "set frobnicate 3"])
def test_policy_conditions_not_modelled_make_it_unknown(more):
    c = cfg(pol(1, more=more))
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "unknown"
    assert c.unrecognized and all(d.impact is Impact.FILTER for d in c.unrecognized)


def test_security_profiles_and_logging_are_ignored_with_a_reason():
    # (the antivirus profile and protocol options in the input: one that is not may block anything, and an HTTP
    # 'unknown-http-version' not set counts as 'reject': tests/test_fortios_s24_profiles2.py)
    av = ('config antivirus profile\n    edit "default"\n        config http\n            set av-scan block\n'
          '        end\n    next\nend\nconfig firewall profile-protocol-options\n    edit "default"\n'
          '        config http\n            set unknown-http-version tunnel\n        end\n    next\nend\n')
    c = cfg(pol(1, more='set utm-status enable\nset av-profile "default"\nset logtraffic all\nset nat enable'), av)
    assert decide(c, "10.1.0.5", "10.2.0.10")["decision"] == "permit"
    assert not c.diagnostics
    why = c.aux["lines"].ignored_why
    assert why["logging"] == 1 and why["security profiles"] == 1


def test_unknown_block_could_change_any_verdict():
    c = cfg(pol(1), "config firewall frobnicator\n    edit 1\n        set x y\n    next\nend\n")
    [d] = c.unrecognized
    assert d.impact is Impact.GLOBAL and d.source.line == len(IFACES.splitlines()) + 1
    assert c.aux["lines"].unaccounted() == []


def test_repeated_edit_amends_the_object():
    # editing an existing entry changes it (a later block of a backup or a pasted change)
    c = cfg(pol(1, da="net2"), "config firewall address\n    edit \"net2\"\n        set subnet 10.3.0.0/24\n"
            "    next\nend\n")
    assert decide(c, "10.1.0.5", "10.3.0.10")["decision"] == "deny"  # (port1->port2 only)
    assert c.objects[[o.name for o in c.objects].index("net2")].addresses == ISet.of(
        addr_to_int("10.3.0.0"), addr_to_int("10.3.0.255"))


def test_every_line_accounted_for_in_the_example():
    from conftest import EXAMPLES
    c = parse((EXAMPLES / "fortios-site" / "fortigate.conf").read_text(), "fortigate.conf")
    assert c.aux["lines"].unaccounted() == []
    assert not c.unrecognized


def test_address_objects_made_in_one_step_equal_the_dataclass():
    # parsers.fortios.objects._named_address builds NamedObject without the frozen dataclass's
    # field-by-field set-up (a backup may hold tens of thousands): it must be the very same record
    import dataclasses

    from auditor.core.model import NamedObject, Source
    from parsers.fortios.objects import _named_address

    assert [f.name for f in dataclasses.fields(NamedObject)] == [
        "name", "kind", "source", "members", "addresses", "services", "complete"]
    s = Source("fgt.conf", 3, '    edit "A"')
    for complete in (True, False):
        fast = _named_address("A", s, ISet.of(5, 9), complete)
        slow = NamedObject("A", "address", s, addresses=ISet.of(5, 9), complete=complete)
        assert fast == slow and repr(fast) == repr(slow) and hash(fast) == hash(slow)
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.name = "B"  # type: ignore[misc]


def test_scan_fast_paths_read_as_the_general_path():
    # the scan reads the common lines (set, edit, next) on a fast path; the same lines with their
    # verbs in capitals take the general path: the trees must be the same
    from parsers.fortios.scan import scan

    lines = ["edit 0", "next", "config firewall address", "    edit \"a b\"", "        set subnet 10.0.0.0 255.0.0.0",
             "    edit 'c'", "        set comment \"x \"\"y\"", "    next", "    next", "    edit d", "    edit d2",
             "    edit \"q", "z\"", "        set name \"open", "  still\"", "    next", "end", "next", "set a b",
             "config x", "    edit \"e\" extra", "        set k \"v\" w \"u\"", "        next", "    edit  7", "end"]

    def shout(line: str) -> str:
        s = line.lstrip()
        for v in ("set ", "edit ", "next"):
            if s.startswith(v):
                return line[:len(line) - len(s)] + v.upper() + s[len(v):]
        return line

    def dump(t):
        def node(n):
            return (n.kind, n.words, n.line, n.close,
                    [node(x) if hasattr(x, "kind") else (x.verb, x.key, x.args, x.line, x.last) for x in n.items])
        return node(t.root), t.bad, t.inside, [b.line for b in t.blocks]

    assert [shout(x) for x in lines] != lines
    for k in range(len(lines)):
        part = lines[k:]
        assert dump(scan(part)) == dump(scan([shout(x) for x in part]))


# NGFW policy-based mode: a session accepted by the firewall (SSL inspection & authentication)
# policies must also match a security policy, whose 'action deny' drops it; they are not
# modelled, so an enabled one makes the audit's verdict unknown (never a pass from the firewall
# policy alone).  A disabled one decides nothing.
# https://docs.fortinet.com/document/fortigate/7.0.0/administration-guide/38324/ngfw-policy
# https://docs.fortinet.com/document/fortigate/6.4.12/cli-reference/310620 (config firewall security-policy)
NGFW = """config system settings
    set ngfw-mode policy-based
end
config firewall security-policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set service "ALL"
        set schedule "always"
        set status %s
        set action deny
    next
end
"""


def test_ngfw_security_policies_are_reported_not_ignored():
    c = cfg(pol(1), NGFW % "enable")
    [d] = [d for d in c.diagnostics if d.code == "CFG300"]
    assert d.impact is Impact.GLOBAL and "security polic" in d.message
    assert d.source.text.strip() == "edit 1"
    c = cfg(pol(1), NGFW % "disable")
    assert not c.diagnostics


# Of static routes to one destination the lowest distance wins, then the lowest priority; when
# both tie, the FortiGate spreads sessions over them (ECMP).  (FortiOS CLI reference, router
# {static | static6}: "selects the entries having the lowest distances ... Any ties are resolved by
# comparing the routes' priority, with lowest priority being preferred ... If both administrative
# distance and priority are tied for two or more routes, an equal cost multi-path (ECMP) situation
# occurs", https://docs.fortinet.com/document/fortigate/6.0.5/cli-reference/524231/router-static-static6)
def _routes(*entries: str) -> str:
    out = ["config router static"]
    for k, body in enumerate(entries, 1):
        out += ["    edit %d" % k] + ["        " + b for b in body.split(";")] + ["    next"]
    return "\n".join(out + ["end"]) + "\n"


NET = 'set dst 172.16.0.0 255.255.0.0'


def test_the_route_of_lowest_distance_then_priority_is_used():
    backup_first = _routes(NET + ';set device "port4";set gateway 10.4.0.254;set distance 20',
                           NET + ';set device "port3";set gateway 10.3.0.254')  # (distance 10 by default)
    c = cfg(pol(1, src="port1", dst="port3"), backup_first)
    assert decide(c, "10.1.0.5", "172.16.0.1")["decision"] == "permit"  # through port3, not the backup port4
    assert not c.diagnostics
    by_priority = _routes(NET + ';set device "port4";set gateway 10.4.0.254;set priority 5',
                          NET + ';set device "port3";set gateway 10.3.0.254;set priority 2')
    c = cfg(pol(1, src="port1", dst="port4"), by_priority)
    assert decide(c, "10.1.0.5", "172.16.0.1")["decision"] == "deny"  # port3 (priority 2): no policy to it


def test_equal_cost_routes_over_two_interfaces_are_reported():
    ecmp = _routes(NET + ';set device "port3";set gateway 10.3.0.254',
                   NET + ';set device "port4";set gateway 10.4.0.254')
    c = cfg(pol(1, src="port1", dst="port3"), ecmp)
    [d] = c.diagnostics
    # (only packets from or to 172.16.0.0/16 are in doubt: tests/test_ties23.py)
    assert d.impact is Impact.NONE and "ECMP" in d.message and d.source.line == c.routes[1].source.line
    assert decide(c, "10.1.0.5", "172.16.0.1")["decision"] == "unknown"


@pytest.mark.parametrize("more", ['set internet-service 327786', 'set src 10.1.0.0 255.255.255.0', 'set vrf 5'])
def test_a_static_route_with_a_condition_is_reported_not_taken_for_its_dst(more):
    # an Internet Service route (its destinations are the ISDB's), a route for one source prefix ("src:
    # Source prefix for this route"), a route of another VRF: none is a plain route to its dst (before,
    # each was a default route via port4).  CLI reference, config router static (internet-service,
    # src, vrf): https://docs.fortinet.com/document/fortigate/7.0.8/cli-reference/556620
    c = cfg(pol(1, src="port1", dst="port4"), _routes('set device "port4";set gateway 10.4.0.254;' + more))
    assert not c.routes
    [d] = c.diagnostics
    assert d.impact is Impact.GLOBAL and d.source.text.strip() == more


# --- wildcard addresses against a brute-force enumeration --------------------------------------

def _dotted(v):
    return ".".join(str(v >> s & 255) for s in (24, 16, 8, 0))


V4 = addr_to_int("0.0.0.0")


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**12 - 1), st.integers(0, 2**32 - 1))
def test_wildcard_set_is_the_brute_force_one(base, low_mask, other):
    # WILDCARD_DOC: x is in 'A M' exactly when x & M == A & M.  The 20 high bits of the mask are fixed and its
    # 12 low bits drawn: every address of the 4,096 with A's high bits is checked, and one that differs there
    mask = 0xFFFFF000 | low_mask
    got = wildcard(_dotted(base), _dotted(mask))
    hi = base & 0xFFFFF000
    want = [x for x in range(hi, hi + 4096) if x & mask == base & mask]
    assert [x for x in range(hi, hi + 4096) if V4 + x in got] == want
    assert got.size() == len(want)
    outside = (other & 0xFFFFF000) | (base & 0xFFF)
    assert (V4 + outside in got) == (outside & mask == base & mask)


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.lists(st.integers(0, 2**32 - 1), max_size=20))
def test_wildcard_set_membership_or_refusal(base, mask, probes):
    # any mask: exact membership when at most 12 scattered free bits (2**12 blocks), else refused (unknown)
    free = ~mask & 0xFFFFFFFF
    low = ((free + 1) & ~free) - 1
    if bin(free & ~low).count("1") > MAX_WILDCARD_SPLIT:
        with pytest.raises(ValueError):
            wildcard(_dotted(base), _dotted(mask))
        return
    got = wildcard(_dotted(base), _dotted(mask))
    assert got.size() == 2 ** bin(free).count("1")
    for x in probes + [base, base ^ 1, base | free, base & mask]:
        assert (V4 + x in got) == (x & mask == base & mask)


def test_a_static_route_whose_gateway_is_not_an_address_is_reported():
    # (found by fuzzing: the gateway was read outside the route's error handling, a traceback)
    routes = ('config router static\n    edit 1\n        set gateway 203.0.113.999\n    next\n'
              '    edit 2\n        set dst 10.9.0.0 255.255.0.0\n        set gateway 10.0.1.254\n    next\nend\n')
    c = cfg(pol(1), extra=routes)
    said = [(d.source.text.strip(), d.impact) for d in c.diagnostics if "static route 1 not understood" in d.message]
    assert said == [("edit 1", Impact.GLOBAL)]


def test_a_blackhole_route_drops_what_it_routes_and_names_its_line():
    # Fortinet, FortiOS CLI reference, "config router static": "blackhole: Enable/disable black hole" (the
    # route drops what it routes); the longest prefix still wins over the default route
    from test_own_addresses import FORTIOS  # (port1 10.30.0.1/24 to port2 10.20.0.1/24, all accepted)

    from auditor.api import decision_json, make_packet
    from parsers import parse_text

    text = FORTIOS + ("config router static\n    edit 1\n        set gateway 10.20.0.254\n"
                      "        set device \"port2\"\n    next\n    edit 2\n        set dst 198.51.100.0 255.255.255.0\n"
                      "        set blackhole enable\n    next\nend\n")
    cfg = parse_text(text, "fgt.conf")
    line = text.splitlines().index("    edit 2") + 1  # (the blackhole route's 'edit')
    got = decision_json(cfg, make_packet("10.30.0.5", "198.51.100.7", "tcp", 40000, 443))
    assert (got["decision"], got.get("line") or got.get("default_line")) == ("deny", line)
    assert decision_json(cfg, make_packet("10.30.0.5", "8.8.8.8", "tcp", 40000, 443))["decision"] == "permit"


def test_an_interface_set_down_carries_no_traffic():
    # FortiOS CLI reference, "config system interface", status {up | down} (default up): an interface that is
    # administratively down "does not accept or send packets" (FortiOS 5.2 CLI reference, system interface,
    # https://help.fortinet.com/fgt/handbook/cli52_html/FortiOS%205.2%20CLI/config_system.23.035.html); and
    # Fortinet KB 197595 "Technical Tip: How to identify Inactive Routes in the Routing Table"
    # (https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-to-identify-Inactive-Routes-in-the-Routing/ta-p/197595):
    # "If an interface is down ... that route is also considered inactive and will not be added to the routing
    # table".  Before, 'set status down' was read and ignored: port1 -> port2 passed through a down port2.
    routes = _routes('set dst 10.9.0.0 255.255.0.0;set device "port2";set gateway 10.2.0.254',
                     'set dst 10.8.0.0 255.255.0.0;set gateway 10.2.0.254',
                     'set device "port3";set gateway 10.3.0.254')
    up = cfg(pol(1) + pol(2, dst="port3", action="deny"), routes)
    assert [decide(up, "10.1.0.5", d)["decision"] for d in ("10.2.0.10", "10.9.0.5", "10.8.0.5")] == ["permit"] * 3
    down = IFACES.replace("set ip 10.2.0.1/24", "set ip 10.2.0.1/24\n        set status down")
    c = cfg(pol(1) + pol(2, dst="port3", action="deny"), routes, ifaces=down)
    assert not c.diagnostics  # (a policy naming the down interface is not an undefined name)
    assert "port2" not in [i.name for i in c.interfaces]
    # its connected subnet falls to the default route (port3), where policy 2 denies; so do its static routes
    for dst in ("10.2.0.10", "10.9.0.5", "10.8.0.5"):
        got = decide(c, "10.1.0.5", dst)
        assert (got["decision"], got["stage"]) == ("deny", "policy port1->port3"), dst
    # and nothing comes in through it
    assert decide(c, "10.2.0.10", "10.1.0.5")["decision"] == "deny"


def test_a_route_whose_gateway_is_on_no_network_of_its_interface_is_reported():
    # Fortinet KB 197595 "Technical Tip: How to identify Inactive Routes in the Routing Table"
    # (https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-to-identify-Inactive-Routes-in-the-Routing/ta-p/197595):
    # a static route whose gateway is not reachable on its interface's subnet is inactive, out of the routing
    # table, so its destinations follow another route.  Before, it was used as written (10.9.0.0/16 through
    # port2, where policy 1 permits); now it is reported (could change any verdict), not used
    routes = _routes('set dst 10.9.0.0 255.255.0.0;set device "port2";set gateway 10.77.0.254',
                     'set device "port3";set gateway 10.3.0.254')
    c = cfg(pol(1) + pol(2, dst="port3", action="deny"), routes)
    [d] = c.unrecognized
    assert "10.77.0.254 is on no network of interface port2" in d.message and d.impact is Impact.GLOBAL
    assert not [r for r in c.routes if r.prefix_len == 16]
    # a gateway on the interface's network is a route as before
    ok = cfg(pol(1), _routes('set dst 10.9.0.0 255.255.0.0;set device "port2";set gateway 10.2.0.254'))
    assert not ok.unrecognized and [r.interface for r in ok.routes if r.prefix_len == 16] == ["port2"]


def test_an_interface_in_a_vrf_is_reported():
    # FortiOS administration guide, "VRF routing support" (https://docs.fortinet.com/document/fortigate/7.0.13/
    # administration-guide/509828) and "Support cross-VRF local-in and local-out traffic for local services"
    # (7.6.0, .../531656: "By default, all routing is done in VRF 0. So all routes in different VRFs ... will all
    # be included in VRF 0"): 'set vrf N' gives an interface another routing table, which the model does not
    # hold; before, the setting was ignored as having no effect on policy matching (one merged table)
    ifaces = IFACES.replace("set ip 10.2.0.1/24", "set ip 10.2.0.1/24\n        set vrf 10")
    c = cfg(pol(1), ifaces=ifaces)
    [d] = c.unrecognized
    assert d.impact is Impact.GLOBAL and "VRF 10" in d.message
    assert not cfg(pol(1), ifaces=IFACES.replace("set ip 10.2.0.1/24", "set ip 10.2.0.1/24\n        set vrf 0")
                   ).unrecognized

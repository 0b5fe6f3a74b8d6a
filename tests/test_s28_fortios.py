"""FortiOS red team (session 28): policy-based NAT VIPs with service-negate and with sources not all known.

Documents, each cited at its test:
- FortiOS CLI Reference, "config firewall policy" (e.g. 7.0.5, https://docs.fortinet.com/document/fortigate/7.0.5/
  cli-reference/323620): "service-negate: When enabled service specifies what the service must NOT be."
- FortiOS Administration Guide, "Static virtual IPs" / "Virtual IPs with port forwarding": in policy-based NAT
  (central NAT disabled) a policy applies a VIP by naming it in 'dstaddr'; the VIP's traffic reaches the server at
  its 'mappedip' and 'mappedport' (the policy's service is the service the server sees).
- FortiOS CLI Reference, "config firewall address": 'type fqdn' addresses resolve through DNS, so which addresses
  they hold is not in the configuration.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.api import explain
from parsers import InputError
from parsers.fortios import parse
from parsers.fortios.change import apply_change

HEAD = """#config-version=FG100F-%s-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.248
    next
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "wan1"
    next
end
config firewall address
    edit "BAD-NET"
        set subnet 198.51.100.0 255.255.255.0
    next
    edit "BAD-FQDN"
        set type fqdn
        set fqdn "bad.example.com"
    next
end
config firewall vip
    edit "VIP-TRACK"
        set extip 203.0.113.5
        set mappedip "10.20.0.10"
        set extintf "wan1"
        set portforward enable
        set extport 8443
        set mappedport 443
    next
    edit "VIP-ALL"
        set extip 203.0.113.6
        set mappedip "10.20.0.11"
        set extintf "wan1"
    next
end
config firewall service custom
    edit "HTTPS"
        set tcp-portrange 443
    next
    edit "ALL"
        set protocol IP
    next
end
"""


def policy(pid: int, src: str, dst: str, service: str, action: str, *extra: str) -> str:
    lines = "".join("        %s\n" % x for x in extra)
    return ("    edit %d\n        set srcintf \"wan1\"\n        set dstintf \"servers\"\n        set srcaddr %s\n"
            "        set dstaddr \"%s\"\n        set action %s\n        set schedule \"always\"\n"
            "        set service \"%s\"\n%s    next\n" % (pid, src, dst, action, service, lines))


def config(*policies: str, version: str = "7.2.8") -> str:
    return HEAD % version + "config firewall policy\n" + "".join(policies) + "end\n"


def decide(text: str, dst: str, port: int, src: str = "198.51.100.7") -> str:
    return explain(parse(text, "t.conf"), src, dst, "tcp", 40000, port)["decision"]


def test_service_negate_on_a_vip_policy_excludes_the_vips_traffic_to_the_named_service():
    # "service-negate: When enabled service specifies what the service must NOT be": an accept of every service but
    # HTTPS to VIP-TRACK does not accept what the VIP forwards to the server's port 443 (tcp 8443 -> 10.20.0.10:443);
    # the implicit deny drops it (before: permitted, the negation was not applied to the VIP's traffic)
    text = config(policy(1, '"all"', "VIP-TRACK", "HTTPS", "accept", "set service-negate enable"))
    assert decide(text, "203.0.113.5", 8443) == "deny"


def test_service_negate_on_a_vip_policy_matches_the_vips_other_ports():
    # a VIP without port forwarding translates every port: every service but HTTPS is accepted (port 445), HTTPS
    # (the mapped port is the same, 443) is not
    text = config(policy(1, '"all"', "VIP-ALL", "HTTPS", "accept", "set service-negate enable"))
    assert decide(text, "203.0.113.6", 445) == "permit"
    assert decide(text, "203.0.113.6", 443) == "deny"


def test_a_deny_of_service_negate_above_a_vip_accept_still_lets_the_named_service_through():
    # deny every service but HTTPS to the VIP, then accept all to it: HTTPS is not denied by policy 1 and is accepted
    # by policy 2; port 445 (VIP-ALL forwards every port) is denied by policy 1
    text = config(policy(1, '"all"', "VIP-ALL", "HTTPS", "deny", "set service-negate enable"),
                  policy(2, '"all"', "VIP-ALL", "ALL", "accept"))
    assert decide(text, "203.0.113.6", 443) == "permit"
    assert decide(text, "203.0.113.6", 445) == "deny"


def test_a_vip_deny_whose_sources_include_an_fqdn_denies_the_sources_it_names_for_certain():
    # policy 1 denies BAD-NET (and whatever bad.example.com resolves to) to the VIP: a packet from BAD-NET is denied
    # whatever the FQDN holds (before: unknown, the certain part was lost); one from elsewhere may come from the FQDN's
    # addresses: unknown, never permitted. FortiOS 7.0.12: match-vip's later default does not apply
    text = config(policy(1, '"BAD-NET" "BAD-FQDN"', "VIP-TRACK", "ALL", "deny"),
                  policy(2, '"all"', "VIP-TRACK", "ALL", "accept"), version="7.0.12")
    assert decide(text, "203.0.113.5", 8443) == "deny"
    assert decide(text, "203.0.113.5", 8443, src="192.0.2.9") == "unknown"


ICMP_LIST = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
end
config firewall service custom
    edit icmp-multi-icmp
        set protocol ICMP
        set icmptype %s
    next
end
config firewall policy
    edit 1
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "all"
        set schedule "always"
        set service "icmp-multi-icmp"
    next
    edit 2
        set srcintf "workshop"
        set dstintf "servers"
        set action accept
        set srcaddr "all"
        set dstaddr "all"
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_an_icmptype_list_is_not_read_as_its_first_type():
    # 'set icmptype {integer}' (FortiOS CLI Reference 7.4.8, "config firewall service custom", https://docs.fortinet.
    # com/document/fortigate/7.4.8/cli-reference/198499981): one type. aerleon's fortigate generator writes a term's
    # ICMP types as a list ('set icmptype 0 3 8'); what the device keeps of it is not documented, so the deny policy's
    # match is unknown for echo requests (type 8), not a sure miss that lets policy 2 permit them (before: permit)
    text = ICMP_LIST % "0 3 8"
    cfg = parse(text, "t.conf")
    assert explain(cfg, "10.30.0.5", "10.20.0.10", "icmp", 0, 8 * 256)["decision"] == "unknown"
    assert any("icmptype takes one value" in d.message for d in cfg.diagnostics)
    # one type: read exactly (type 8 denied by policy 1, type 0 permitted by policy 2)
    cfg = parse(ICMP_LIST % "8", "t.conf")
    assert explain(cfg, "10.30.0.5", "10.20.0.10", "icmp", 0, 8 * 256)["decision"] == "deny"
    assert explain(cfg, "10.30.0.5", "10.20.0.10", "icmp", 0, 0)["decision"] == "permit"


SCHEDULE = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
end
config firewall schedule recurring
    edit "always"
%s    next
    edit "none"
    next
end
config firewall policy
    edit 1
        set srcintf "workshop"
        set dstintf "servers"
        set action accept
        set srcaddr "all"
        set dstaddr "all"
        set schedule "always"
        set service "ALL"
    next
end
"""


def _always(*lines: str) -> str:
    return SCHEDULE % "".join("        %s\n" % x for x in lines)


def test_a_redefined_always_schedule_makes_its_policies_unknown():
    # FortiOS CLI Reference 6.4.5, "config firewall schedule recurring" (https://docs.fortinet.com/document/fortigate/
    # 6.4.5/cli-reference/288620): 'day' ("One or more days of the week on which the schedule is valid", default
    # none), 'start'/'end' ("Time of day to start/end the schedule"). 'always' is an entry of that table like any
    # other: limited to Monday and Tuesday, a policy naming it does not permit at every hour (before: a sure permit)
    for lines, at in ((("set day monday tuesday",), 12), (("set day sunday monday tuesday wednesday thursday friday "
                                                          "saturday", "set start 08:00", "set end 17:00"), 13),
                      ((), 11)):
        cfg = parse(_always(*lines), "t.conf")
        assert explain(cfg, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "unknown", lines
        told = [d for d in cfg.diagnostics if "recurring schedule 'always'" in d.message]
        assert [d.source.line for d in told] == [at], lines


def test_the_factory_always_schedule_is_every_day_all_day():
    # the factory entry, as a backup writes it (every day), or 'show full-configuration' (with start and end 00:00)
    for lines in (("set day sunday monday tuesday wednesday thursday friday saturday",),
                  ("set start 00:00", "set end 00:00",
                   "set day sunday monday tuesday wednesday thursday friday saturday", "set color 0")):
        cfg = parse(_always(*lines), "t.conf")
        assert explain(cfg, "10.30.0.5", "10.20.0.10", "tcp", 40000, 445)["decision"] == "permit", lines
        assert not [d for d in cfg.diagnostics if d.code == "CFG300"], lines


# --- check-change: 'clone' (FortiOS 6.0 Handbook, "Sub-commands", https://docs.fortinet.com/document/fortigate/
# 6.0.0/handbook/753045: "clone <table>: Clone (or make a copy of) a table from the current object ... clone 27 to
# 30"); the copy keeps every setting of the original
EXAMPLE = (Path(__file__).resolve().parent.parent / "examples" / "fortios-site" / "fortigate.conf").read_text()


def test_clone_copies_an_address_and_an_edit_then_changes_the_copy():
    change = ('config firewall address\n    clone "ADMIN-PC" to "ADMIN-PC2"\n    edit "ADMIN-PC2"\n'
              '        set subnet 10.40.0.6 255.255.255.255\n    next\nend\n'
              'config firewall policy\n    edit 20\n        append srcaddr "ADMIN-PC2"\n    next\nend\n')
    origins: list = []
    text = apply_change(EXAMPLE, change, "change.txt", origins)
    assert len(origins) == len(text.splitlines())
    cfg = parse(text, "fortigate.conf")
    # policy 20 (LAN -> servers, service ALL) now accepts the copy's address as well as the original's
    assert explain(cfg, "10.40.0.6", "10.20.0.10", "tcp", 40000, 3389)["decision"] == "permit"
    assert explain(cfg, "10.40.0.5", "10.20.0.10", "tcp", 40000, 3389)["decision"] == "permit"
    assert explain(cfg, "10.40.0.7", "10.20.0.10", "tcp", 40000, 3389)["decision"] == "deny"
    assert text.count("set subnet 10.40.0.5 255.255.255.255") == 1  # (the copy's own subnet replaced, once)
    assert not [d for d in cfg.diagnostics if d.code in ("CFG300", "CFG301")]


def test_clone_of_a_policy_is_refused_where_its_place_is_not_documented():
    # where the copy of policy 12 would sit in the rulebase, the documents do not say: refused at its line
    with pytest.raises(InputError, match=r"change.txt:2: clone: where FortiOS puts the copy"):
        apply_change(EXAMPLE, "config firewall policy\n    clone 12 to 13\nend\n", "change.txt")
    with pytest.raises(InputError, match=r"change.txt:2: clone: expected"):
        apply_change(EXAMPLE, 'config firewall address\n    clone "NOPE" to "X"\nend\n', "change.txt")

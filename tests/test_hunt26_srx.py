"""Junos SRX statements probed in session 26's red-team, checked against Juniper's documentation with small
synthetic configurations.

Documents cited (Juniper Networks):

* [PERSIST] "address-persistent", JUNOS Software CLI Reference (junos-es93),
  https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/address-persistent.html
  (``address-persistent;`` at ``[edit security nat source]``: "Enable the device to assign the same IP address
  from a source pool to a host for multiple concurrent sessions that require the same source IP address for each
  session").
* [PERSISTENT] "Persistent NAT Configuration Overview" (Junos Security 10.2),
  https://juniper.net/documentation/software/junos-security/junos-security10.2/junos-security-swconfig-security/topic-42827.html
  (persistent NAT is set "with the source NAT rule action (for either a source NAT pool or an egress
  interface)"; "An external host using any port can send a packet to the internal host by sending the packet to
  the reflexive IP address (with a configured incoming policy that allows external to internal traffic)").
"""

from __future__ import annotations

from tests.test_hunt7_srx import BASE, decide, parse, policy

N = len(BASE.splitlines())
OUT = policy("ws", "untrust", "out", "match source-address any", "match destination-address any",
             "match application any", "then permit")
POOL_NAT = """\
set security nat source pool p address 203.0.113.10/32 to 203.0.113.20/32
set security nat source rule-set s from zone ws
set security nat source rule-set s to zone untrust
set security nat source rule-set s rule r match source-address 10.1.0.0/16
set security nat source rule-set s rule r then source-nat pool p
"""


def test_address_persistent_chooses_a_pool_address_and_decides_nothing():  # [PERSIST]
    # a whole statement of four words: it was reported as a NAT statement not understood (scope: any verdict), so
    # every packet the policy permits was unknown
    for form in ("set security nat source address-persistent\n",
                 "set security nat source session-persistence-scan\n"):
        cfg = parse(form + OUT + POOL_NAT)
        assert not cfg.diagnostics, form
        assert decide(cfg, "10.1.0.5", "198.51.100.7") == "permit", form  # was: unknown
        assert decide(cfg, "10.2.0.5", "198.51.100.7") == "deny", form  # (no policy from srv)


PERSISTENT = """\
set security nat source pool p address 192.0.2.0/28
set security nat source rule-set s from zone ws
set security nat source rule-set s to zone untrust
set security nat source rule-set s rule r match source-address 10.1.0.0/16
set security nat source rule-set s rule r then source-nat pool p
set security nat source rule-set s rule r then source-nat pool p persistent-nat permit any-remote-host
"""
IN = policy("untrust", "ws", "in", "match source-address any", "match destination-address any",
            "match application any", "then permit")


def test_persistent_nat_lets_outside_hosts_in_through_the_pool_addresses_unknown():  # [PERSISTENT]
    # the pool 192.0.2.0/28 is not on a connected network: the outside router sends it to the SRX, whose default
    # route points back out.  With persistent NAT, a packet from outside to a pool address (the reflexive address of
    # a binding an inside host made) is translated to that inside host, and the policy 'in' permits it; which host
    # and port a binding holds is decided at run time.  The model had no such translation: untrust -> untrust, no
    # policy, denied for certain.
    cfg = parse(OUT + IN + PERSISTENT)
    assert decide(cfg, "198.51.100.7", "192.0.2.5", dport=5060) == "unknown"  # was: deny
    (rule,) = [r for n in cfg.nat for r in n.rules if "persistent" in r.label]
    assert not rule.match and rule.ingress == ("ge-0/0/0.0",)
    # the outbound translation is unchanged
    assert decide(cfg, "10.1.0.5", "198.51.100.7") == "permit"
    # without persistent NAT: no inbound translation, the packet is denied (no untrust -> untrust policy)
    cfg = parse(OUT + IN + PERSISTENT.replace("then source-nat pool p persistent-nat permit any-remote-host",
                                               "then source-nat pool p"))
    assert decide(cfg, "198.51.100.7", "192.0.2.5", dport=5060) == "deny"


STATIC_BY_NAME = """\
set security address-book global address partner dns-name partner.example.com
set security nat static rule-set S from zone untrust
set security nat static rule-set S rule r match source-address-name partner
set security nat static rule-set S rule r match destination-address 203.0.113.5/32
set security nat static rule-set S rule r then static-nat prefix 10.2.0.10/32
"""


def test_a_nat_rule_matching_a_dns_name_address_may_translate_what_the_name_may_hold():  # [ABOOK]
    # the partner's addresses are resolved by DNS at run time: the static NAT rule matches none of them for certain
    # and any address possibly.  The parser crashed (IndexError: a rule matching no packet for certain had no match
    # cube to read its ports from), and dropped the possible part: the rule translated nothing, and its reverse was
    # left out.
    from auditor.api import make_packet
    from tests.test_hunt8_junos import ONLY_PUBLIC, SRV_OUT

    cfg = parse(SRV_OUT + ONLY_PUBLIC + STATIC_BY_NAME)  # was: IndexError
    (fwd,) = [r for n in cfg.nat for r in n.rules if r.label.endswith("rule r")]
    assert not fwd.match
    assert fwd.maybe.contains(make_packet("198.51.100.7", "203.0.113.5", "tcp", 49152, 443))
    assert not fwd.maybe.contains(make_packet("198.51.100.7", "203.0.113.6", "tcp", 49152, 443))
    # the reverse (from 10.2.0.10, translated to 203.0.113.5, which the output filter alone accepts) may apply
    assert decide(cfg, "10.2.0.10", "192.0.2.1") == "unknown"
    assert decide(cfg, "10.2.0.11", "192.0.2.1") == "deny"  # (another host: never translated, discarded)
    # a destination NAT rule matching such a name with a pool port: read, the rule uncertain
    dnat = STATIC_BY_NAME.replace("nat static", "nat destination").replace(
        "then static-nat prefix 10.2.0.10/32", "then destination-nat pool d") \
        + "set security nat destination pool d address 10.2.0.10/32 port 8443\n" \
        + "set security nat destination rule-set S rule r match destination-port 443\n"
    cfg = parse(SRV_OUT + dnat)  # was: IndexError
    (fwd,) = [r for n in cfg.nat for r in n.rules if r.label.endswith("rule r")]
    assert not fwd.match and fwd.maybe.contains(make_packet("198.51.100.7", "203.0.113.5", "tcp", 49152, 443))


def test_the_idp_session_capacity_setting_decides_no_packet():  # [IDPCAP]
    # it sets how the device divides its session memory between the firewall and IDP (applied at the next reboot);
    # it was reported at global scope (any verdict unknown)
    ok = policy("ws", "srv", "a", "match source-address any", "match destination-address any",
                "match application any", "then permit")
    for line in ("set security forwarding-process application-services maximize-idp-sessions\n",
                 "set security forwarding-process application-services maximize-idp-sessions weight idp\n"):
        cfg = parse(line + ok)
        assert not cfg.diagnostics, line
        assert decide(cfg, "10.1.0.5", "10.2.0.10") == "permit", line  # was: unknown
    # the forwarding process's other settings (a services mode, ...) are still reported
    cfg = parse("set security forwarding-process enhanced-services-mode\n" + ok)
    assert [d.code for d in cfg.diagnostics] == ["CFG300"]

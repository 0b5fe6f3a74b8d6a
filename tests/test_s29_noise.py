"""Session 29, noise sweep: statements a vendor parser ignores as harmless that could drop or pass traffic (and
the reverse), each checked against the vendor's own documentation."""

from __future__ import annotations

from tests.test_hunt7_srx import BASE, decide, parse, policy

N = len(BASE.splitlines())
ANY = ("match source-address any", "match destination-address any", "match application any")
PERMIT = "".join(policy(a, b, "%s-%s" % (a, b), *ANY, "then permit") for a, b in (("ws", "srv"), ("srv", "ws")))


def test_junos_unicast_rpf_check_drops_nothing_the_model_lets_in():
    # Juniper, "rpf-check (interfaces)" ([edit interfaces IF unit N family (inet|inet6)],
    # https://juniper.net/documentation/en_US/junos12.3/topics/reference/configuration-statement/rpf-check-edit-interfaces.html):
    # "Check whether traffic is arriving on an expected path ... If the fail filter is not configured, the default
    # action is to silently discard the packet"; "mode (Interfaces)": strict unless 'mode loose' (the source must
    # be routed back through the receiving interface; loose: only routed at all).  The workshop 10.1.0.5 is on
    # ge-0/0/1's connected 10.1.0.0/16 and comes in there: it passes the check, so the policy's permit stands;
    # a source routed elsewhere is one the model never lets in through ge-0/0/1
    for words in ("rpf-check", "rpf-check mode loose", "rpf-check fail-filter F"):
        cfg = parse("set interfaces ge-0/0/1 unit 0 family inet %s\n" % words + PERMIT)
        assert not cfg.unrecognized, words
        assert decide(cfg, "10.1.0.5", "10.2.0.10") == "permit", words


# --- FortiOS: full cone NAT ---------------------------------------------------------------------------------
# Fortinet, FortiOS CLI Reference, "config firewall policy": "permit-any-host: Enable/disable fullcone NAT. Accept
# UDP packets from any host"; "permit-stun-host: Accept UDP packets from any Session Traversal Utilities for NAT
# (STUN) host".  FortiOS 7.6 Administration Guide, "Full cone NAT for fixed port range IP pools"
# (https://docs.fortinet.com/document/fortigate/7.6.6/administration-guide/949754): "It allows all external hosts
# to send packets to internal hosts through a mapped external IP address and port ... The packet sent from Server2
# to the NAT IP address and port is forwarded to Client1".  Before: both settings were ignored as "source NAT"
# (and the pool's whole block as "applied after the policy decision"), and an outside host's UDP to the inside
# server was a certain deny (no policy from port2 to port1) with nothing reported.

def _fortios(more: str = "", pool: str = ""):
    from tests.test_fortios_parser import cfg, pol
    return cfg(pol(1, more="set nat enable\n" + more), pool)


def _fortios_inbound(c) -> str:
    from tests.test_fortios_parser import decide as fdecide
    return fdecide(c, "10.2.0.10", "10.1.0.10", proto="udp", dport=5000)["decision"]


def test_fortios_policy_full_cone_nat_is_reported_and_leaves_inbound_unknown():
    plain = _fortios()
    assert not plain.unrecognized and _fortios_inbound(plain) == "deny"
    for key in ("permit-any-host", "permit-stun-host"):
        c = _fortios("set %s enable" % key)
        # (session 30: narrowed to UDP to the mapped addresses and into the policy's sources: no longer global)
        assert [(d.impact.value, key in d.message) for d in c.unrecognized] == [("none", True)], key
        assert _fortios_inbound(c) == "unknown", key
        off = _fortios("set %s disable" % key)  # (the default: nothing reported)
        assert not off.unrecognized and _fortios_inbound(off) == "deny", key


def test_fortios_ip_pool_full_cone_nat_is_reported():
    pool = ('config firewall ippool\n    edit "fpr"\n        set type fixed-port-range\n'
            '        set startip 10.2.0.50\n        set endip 10.2.0.50\n%s    next\nend\n')
    c = _fortios('set ippool enable\nset poolname "fpr"', pool % "        set permit-any-host enable\n")
    assert [(d.impact.value, "IP pool fpr" in d.message) for d in c.unrecognized] == [("none", True)]
    assert _fortios_inbound(c) == "unknown"
    c = _fortios('set ippool enable\nset poolname "fpr"', pool % "")
    assert not c.unrecognized and _fortios_inbound(c) == "deny"

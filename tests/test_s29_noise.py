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

"""Junos SRX statements probed in session 26's red-team, checked against Juniper's documentation with small
synthetic configurations.

Documents cited (Juniper Networks):

* [PERSIST] "address-persistent", JUNOS Software CLI Reference (junos-es93),
  https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/address-persistent.html
  (``address-persistent;`` at ``[edit security nat source]``: "Enable the device to assign the same IP address
  from a source pool to a host for multiple concurrent sessions that require the same source IP address for each
  session").
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

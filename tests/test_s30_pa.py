"""PAN-OS red-team, session 30: rules and objects whose reading the documents leave open.

Documents cited (Palo Alto Networks unless said):

* [RULE] "Components of a Security Policy Rule" (PAN-OS 11.1 administrator's guide),
  https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule
  ("intrazone—Applies the rule to all matching traffic within the specified source zones (you cannot specify a
  destination zone for intrazone rules)"); Batfish's PaloAltoConfiguration.checkIntrazoneValidityAndWarn skips an
  intrazone rule whose from and to differ ("Skipping invalid intrazone security rule").
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "panos"))

from panos_util import BASE, allow, cfg_of, decide  # noqa: E402

WS, WS2, SRV = "10.30.0.5", "10.31.0.5", "10.20.0.10"


def _cfg300(cfg, needle):
    return [d for d in cfg.diagnostics if d.code == "CFG300" and needle in d.message]


def test_an_intrazone_rule_whose_to_differs_from_its_from_is_reported_and_uncertain():  # [RULE]
    # a deny written 'rule-type intrazone' from workshop to servers: an intrazone rule has one zone list, so
    # whether it drops workshop's own traffic is not documented; it was taken as workshop->workshop for certain
    text = BASE + allow("odd", frm="workshop", to="servers", action="deny", rule_type="intrazone")
    cfg = cfg_of(text)
    assert decide(cfg, WS, WS2) == "unknown"
    assert _cfg300(cfg, "intrazone rule whose destination zones differ")
    # written as the web interface writes it (its 'to' its 'from'): certain, and nothing reported
    same = cfg_of(BASE + allow("ok", frm="workshop", to="workshop", action="deny", rule_type="intrazone"))
    assert decide(same, WS, WS2) == "deny"
    assert not _cfg300(same, "intrazone")
    both = cfg_of(BASE + allow("ok", frm="any", to="any", action="deny", rule_type="intrazone"))
    assert decide(both, WS, WS2) == "deny"
    assert decide(both, WS, SRV) == "deny"  # (the interzone default)

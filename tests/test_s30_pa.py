"""PAN-OS red-team, session 30: rules and objects whose reading the documents leave open.

Documents cited (Palo Alto Networks unless said):

* [RULE] "Components of a Security Policy Rule" (PAN-OS 11.1 administrator's guide),
  https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule
  ("intrazone—Applies the rule to all matching traffic within the specified source zones (you cannot specify a
  destination zone for intrazone rules)"); Batfish's PaloAltoConfiguration.checkIntrazoneValidityAndWarn skips an
  intrazone rule whose from and to differ ("Skipping invalid intrazone security rule").
* [NAME] batfish/batfish#2975 "Palo Alto Address Objects": an address object's name wins over the built-in values
  a member may be (an object named ``1.2.3.4``); no document says whether an object may be named ``any``, or
  what a rule's ``any`` then matches.
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


def test_a_service_named_any_makes_a_rules_service_any_uncertain_beyond_its_ports():  # [NAME]
    svc = "set service any protocol tcp port 80\n"
    cfg = cfg_of(BASE + svc + allow("web", svc="any"))
    assert decide(cfg, WS, SRV, dport=80) == "permit"  # (both readings hold TCP 80)
    assert decide(cfg, WS, SRV, dport=445) == "unknown"  # (was permit: 'any' read as every service)
    assert _cfg300(cfg, "service 'any' is named as PAN-OS's keyword")
    deny = cfg_of(BASE + svc + allow("no", svc="any", action="deny") + allow("rest"))
    assert decide(deny, WS, SRV, dport=445) == "unknown"  # (was deny)
    assert decide(deny, WS, SRV, dport=80) == "deny"


def test_an_address_named_any_makes_a_rules_any_uncertain_beyond_its_addresses():  # [NAME]
    addr = "set address any ip-netmask 10.99.0.0/24\n"
    cfg = cfg_of(BASE + addr + allow("no", src="any", action="deny") + allow("rest"))
    assert decide(cfg, WS, SRV) == "unknown"  # (was deny: 'any' read as every address)
    assert _cfg300(cfg, "address 'any' is named as PAN-OS's keyword")
    # a NAT rule's service 'any' alike: it translates maybe
    nat = cfg_of(BASE + "set service any protocol tcp port 80\n" + allow("rest") +
                 "set rulebase nat rules n from workshop to servers source any destination any service any "
                 "source-translation dynamic-ip-and-port interface-address interface ethernet1/1\n")
    assert _cfg300(nat, "service 'any' is named as PAN-OS's keyword")

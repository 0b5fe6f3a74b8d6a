"""PAN-OS: a rule whose zones are not known is uncertain everywhere, not nowhere (session 29, PAN-OS red team).

A security or NAT rule names its source and destination zones ("Security Policy Rule": Source Zone and
Destination Zone are required; PAN-OS refuses to commit a rule without them).  A rule read without them (its
'from' or 'to' missing, or written after a word this tool does not read, as Batfish's test config
'data-types-comprehensive' writes a UUID between a rule's name and its settings: 'set vsys vsys1 rulebase
security rules R <uuid> action deny') was placed in no zone pair: 'it applies to no traffic'.  So a deny rule
so written above an allow-all let the allow-all decide, a certain PERMIT; a NAT rule so written translated
nothing for certain.  Such a rule now applies to every zone pair maybe (as a zone list naming 'any' beside
other zones does): the packets it and the later rules decide differently are unknown.  Expected values follow
from the rule order ("Security Policy Overview": first match) and the documents above.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "panos"))
from panos_util import BASE, allow, cfg_of, decide, rule  # noqa: E402

UUID = "12345678-1234-5678-1234-567812345678"


def test_a_deny_rule_after_a_word_not_read_does_not_let_the_allow_below_decide():
    text = BASE + ("set rulebase security rules r1 %s from workshop to servers source any destination any "
                   "application any service any action deny\n" % UUID) + allow("a")
    assert decide(cfg_of(text), "10.30.0.5", "10.20.0.10") == "unknown"


@pytest.mark.parametrize("missing", ["from", "to"])
def test_a_deny_rule_without_a_zone_is_uncertain(missing):
    attrs = {"from": "workshop", "to": "servers", "source": "any", "destination": "any", "application": "any",
             "service": "any", "action": "deny"}
    del attrs[missing]
    text = BASE + rule("d", **attrs) + allow("a")
    cfg = cfg_of(text)
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "unknown"
    # (where the later rules decide as it would, the verdict stands: the interzone default denies too)
    text2 = BASE + rule("d", **attrs)
    assert decide(cfg_of(text2), "10.30.0.5", "10.20.0.10") == "deny"


def test_a_complete_rule_is_unchanged():
    text = BASE + allow("d", action="deny") + allow("a")
    assert decide(cfg_of(text), "10.30.0.5", "10.20.0.10") == "deny"


def test_a_nat_rule_without_a_zone_translates_maybe():
    # a destination NAT of a public address to the server (the Workshop reaching it by that address), its
    # 'from' not read: the Workshop's packets to 198.51.100.10 are translated (permitted by 'in' to the server)
    # or not (denied by 'out' to the Internet)
    nat = ("set address pub ip-netmask 198.51.100.10\nset address srv ip-netmask 10.20.0.10\n"
           "set rulebase nat rules dn to untrust source any destination pub service any "
           "destination-translation translated-address srv\n")
    sec = allow("in", frm="workshop", to="servers", dst="pub") + allow("out", frm="workshop", to="untrust",
                                                                       action="deny")
    whole = nat.replace("rules dn to untrust", "rules dn from workshop to untrust")
    assert decide(cfg_of(BASE + whole + sec), "10.30.0.5", "198.51.100.10") == "permit"
    assert decide(cfg_of(BASE + nat + sec), "10.30.0.5", "198.51.100.10") == "unknown"


@pytest.mark.parametrize("missing", ["application", "service", "source", "destination"])
def test_an_allow_rule_missing_a_required_match_setting_is_uncertain(missing):
    # (PAN-OS requires each of them, 'any' written out; a rule read without one may hold any value there: its
    # permit is not certain.  Before, a missing 'application' was read as 'any' for certain: a PERMIT)
    attrs = {"from": "workshop", "to": "servers", "source": "any", "destination": "any", "application": "any",
             "service": "any", "action": "allow"}
    del attrs[missing]
    assert decide(cfg_of(BASE + rule("a", **attrs)), "10.30.0.5", "10.20.0.10") == "unknown"

"""PAN-OS policy-based forwarding, DoS and authentication rules that do nothing (session 29, PAN-OS red team).

A rule of these rulebases can change the egress (PBF), drop (DoS) or hold traffic for authentication, so each
one made every verdict unknown (CFG300 at its line), as it should.  But a rule written ``disabled yes`` is not
evaluated (as a disabled security or NAT rule, which the model already skips), and a PBF rule of action
``no-pbf`` alters nothing: Palo Alto Networks, "Policy Based Forwarding Forwarding Tab" (PAN-OS web interface
help, https://docs.paloaltonetworks.com/pan-os/11-2/pan-os-web-interface-help/policies/policies-policy-based-forwarding/policy-based-forwarding-forwarding-tab):
"No PBF—Do not alter the path that the packet will take. ... Matching packets use the route table instead of
PBF".  Before, a disabled PBF or DoS rule left every verdict of the firewall unknown; now such a rule is ignored
with its reason, and an enabled one is still reported.  Expected values written from the documents.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "panos"))
from panos_util import BASE, allow, cfg_of, decide, line_of  # noqa: E402

PBF = ("set rulebase pbf rules p1 from zone workshop\n"
       "set rulebase pbf rules p1 source any destination any service any application any\n"
       "set rulebase pbf rules p1 action forward egress-interface ethernet1/3 nexthop ip-address 203.0.113.1\n")
PBF_ONE_LINE = ("set rulebase pbf rules p1 from zone workshop source any destination any service any "
                "application any action forward egress-interface ethernet1/3 nexthop ip-address 203.0.113.1%s\n")
DOS = ("set rulebase dos rules d1 from zone workshop\nset rulebase dos rules d1 to zone servers\n"
       "set rulebase dos rules d1 source any destination any service any action deny\n")
AUTH = ("set rulebase authentication rules a1 from workshop to servers source any destination any service any "
        "authentication-enforcement default-web-form\n")


def _verdict(text: str) -> str:
    return decide(cfg_of(BASE + text + allow("r1")), "10.30.0.5", "10.20.0.10")


@pytest.mark.parametrize("rules", [PBF, DOS, AUTH, PBF_ONE_LINE % ""], ids=["pbf", "dos", "auth", "pbf-one-line"])
def test_an_enabled_rule_still_leaves_the_verdicts_unknown(rules):
    assert _verdict(rules) == "unknown"
    assert _verdict(rules + rules.splitlines()[0].split(" from ")[0] + " disabled no\n") == "unknown"


@pytest.mark.parametrize("rules", [PBF, DOS, AUTH], ids=["pbf", "dos", "auth"])
def test_a_disabled_rule_is_not_evaluated(rules):
    name = rules.splitlines()[0].split(" from ")[0]  # ('set rulebase pbf rules p1')
    text = rules + name + " disabled yes\n"
    assert _verdict(text) == "permit"
    cfg = cfg_of(BASE + text + allow("r1"))
    assert not cfg.unrecognized, [d.message for d in cfg.unrecognized]


def test_a_disabled_rule_on_one_set_command_is_not_evaluated():
    assert _verdict(PBF_ONE_LINE % " disabled yes") == "permit"


def test_a_no_pbf_rule_alters_nothing():
    text = PBF.replace("action forward egress-interface ethernet1/3 nexthop ip-address 203.0.113.1", "action no-pbf")
    assert _verdict(text) == "permit"
    # (beside a forwarding rule, the forwarding rule is reported and the verdicts it may change are unknown)
    fwd = PBF.replace(" p1 ", " p2 ")
    assert _verdict(text + fwd) == "unknown"
    cfg = cfg_of(BASE + text + fwd + allow("r1"))
    assert {d.source.line for d in cfg.unrecognized} == {line_of(BASE + text + fwd, "rules p2 from")}


def test_a_disabled_pbf_rule_in_xml_is_not_evaluated():
    text = open(Path(__file__).parent.parent / "examples/panos-site/running-config.xml").read()
    pbf = ('<pbf><rules><entry name="p1"><from><zone><member>workshop</member></zone></from>'
           '<source><member>any</member></source><destination><member>any</member></destination>'
           '<service><member>any</member></service><application><member>any</member></application>'
           '<action><forward><egress-interface>ethernet1/3</egress-interface></forward></action>'
           '<disabled>%s</disabled></entry></rules></pbf>')
    anchor = "<rulebase>\n"
    assert anchor in text
    got = {}
    for v in ("yes", "no"):
        xml = text.replace(anchor, anchor + pbf % v + "\n", 1)
        got[v] = decide(cfg_of(xml, "fw.xml"), "10.30.0.2", "10.20.0.10")
    assert got == {"yes": "deny", "no": "unknown"}  # (the example's deny-guest-smb decides 445, as without it)


def test_a_dos_rule_of_action_allow_decides_nothing():
    # "DoS Protection Policy Rules" (PAN-OS 8.0 admin guide): "Allow—The firewall permits access and doesn't
    # apply a DoS protection profile"; "If a DoS Protection policy rule denies a packet, that packet never reaches
    # a Security policy rule" (Policies > DoS Protection): an allow leaves the decision to the security rules
    assert _verdict(DOS.replace("action deny", "action allow")) == "permit"
    assert _verdict(DOS.replace("action deny", "action protect")) == "unknown"  # (its thresholds may drop)

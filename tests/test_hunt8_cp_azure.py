"""Check Point NAT rulebase pages and NAT-policy package, and Azure NSG shapes, each reduced to a small
synthetic input and checked against the vendor's document cited in its test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    access_layer_info,
    decide,
    host,
    layer,
    nat_reply,
    nat_rule,
    package,
    rule,
    text,
)

from parsers.checkpoint.build import build  # noqa: E402
from parsers.checkpoint.document import read  # noqa: E402

WS, SRV, ELSEWHERE = "10.1.0.5", "10.2.0.10", "10.9.9.9"


def cp_config(*replies):
    """The config of several Check Point replies (one export: what the combine hook builds)."""
    return build([read(text(r), "reply%d.json" % i) for i, r in enumerate(replies)])


# --- Check Point: a show-nat-rulebase reply that is one page of the NAT rulebase ---------------------------
# Management API reference, show-nat-rulebase (https://sc1.checkpoint.com/documents/latest/APIs/#cli/
# show-nat-rulebase): like show-access-rulebase, the reply holds at most "limit" rules (50 by default, at most
# 500; "offset" the first) with "from", "to" and "total" (the rulebase's number of rules). The NAT rules are
# matched in order, the first match translates (R81 Security Management Administration Guide, "Configuring the
# NAT Policy"). Before, the rules after a page (or between two pages) were silently missing: a rule there that
# translates the flow's destination elsewhere was not seen (a wrong pass), nor one that translates it to the
# server (a wrong fail).

def _redirect(number: int, srv: dict, away: dict) -> dict:
    return nat_rule(number, odst=srv, tdst=away, method="static")


def test_nat_rules_after_the_last_nat_page_are_unknown():
    lu = "11111111-aaaa-4bbb-8ccc-000000000101"
    other, away = host("other", "10.8.8.8"), host("away", ELSEWHERE)
    access = layer("Network", [rule("any")], [], layer_uid=lu)
    nat = nat_reply([_redirect(1, other, away)], [other, away])
    nat["to"], nat["total"] = 1, 2  # the first page (limit 1) of a NAT rulebase of 2 rules
    cfg = cp_config(access, nat, package("Standard", [access_layer_info("Network", lu)]))
    assert decide(cfg, WS, SRV) == "unknown"
    assert any("rules 2-2 of the NAT rulebase" in d.message for d in cfg.diagnostics)
    # the whole NAT rulebase in the reply: the flow is not translated, the access rule accepts it
    nat["to"], nat["total"] = 1, 1
    cfg = cp_config(access, nat, package("Standard", [access_layer_info("Network", lu)]))
    assert decide(cfg, WS, SRV) == "permit"


def test_a_nat_page_missing_between_two_pages_is_unknown_there():
    lu = "11111111-aaaa-4bbb-8ccc-000000000102"
    other, away, third = host("other", "10.8.8.8"), host("away", ELSEWHERE), host("third", "10.7.7.7")
    access = layer("Network", [rule("any")], [], layer_uid=lu)
    first = nat_reply([_redirect(1, other, away)], [other, away])
    first["to"], first["total"] = 1, 3
    last = nat_reply([_redirect(3, third, away)], [third, away])
    last["uid"] = first["uid"]
    last["from"], last["to"], last["total"] = 3, 3, 3  # rule 2 (page 2) is not in the input
    pkg = package("Standard", [access_layer_info("Network", lu)])
    cfg = cp_config(access, last, first, pkg)
    assert decide(cfg, WS, SRV) == "unknown"
    assert decide(cfg, WS, "10.8.8.8") == "permit"  # (rule 1 decides it, before the missing rule)
    assert any("rules 2-2 of the NAT rulebase" in d.message for d in cfg.diagnostics)
    # every page: nothing is missing
    fourth = host("fourth", "10.6.6.6")
    middle = nat_reply([_redirect(2, fourth, away)], [fourth, away])
    middle["uid"], middle["from"], middle["to"], middle["total"] = first["uid"], 2, 2, 3
    cfg = cp_config(access, last, middle, first, pkg)
    assert not any("of the NAT rulebase" in d.message for d in cfg.diagnostics)
    assert decide(cfg, WS, SRV) == "permit"
    assert [r.label for r in cfg.nat[0].rules] == ["NAT rule %d (static)" % n for n in (1, 2, 3)]


# --- Check Point: the NAT policy of the package the policy is taken from ---------------------------------
# Management API reference, show-package: "nat-policy" (boolean) says whether the package holds a NAT policy;
# a package without it installs no NAT rules. The NAT rulebase applies with the package the audited layers
# belong to. Before, the first package of the input was asked, whichever it was: with another package listed
# first, its "nat-policy" decided whether the audited package's NAT applied.

def _two_packages(audited_nat: bool, other_nat: bool):
    lu = "11111111-aaaa-4bbb-8ccc-000000000103"
    srv, away = host("srv", SRV), host("away", ELSEWHERE)
    access = layer("Network", [rule("to srv", dst=[srv]), rule("cleanup", action="Drop")], [srv], layer_uid=lu)
    nat = nat_reply([_redirect(1, srv, away)], [srv, away])  # the server's address is translated away
    other = package("Other", [access_layer_info("Other Network", "11111111-aaaa-4bbb-8ccc-000000000104")],
                    nat=other_nat)
    audited = package("Standard", [access_layer_info("Network", lu)], nat=audited_nat)
    return cp_config(access, nat, other, audited)


def test_the_nat_policy_is_that_of_the_audited_package():
    # the audited package has NAT on: the NAT rule applies (another package, listed first, has it off)
    cfg = _two_packages(audited_nat=True, other_nat=False)
    assert len(cfg.nat) == 1 and len(cfg.nat[0].rules) == 1
    assert not any("has its NAT policy off" in d.message for d in cfg.diagnostics)
    # the audited package has NAT off: no NAT rule applies (another package, listed first, has it on)
    cfg = _two_packages(audited_nat=False, other_nat=True)
    assert cfg.nat == ()
    assert any("package Standard has its NAT policy off" in d.message for d in cfg.diagnostics)
    assert decide(cfg, WS, SRV) == "permit"


# --- Azure NSG: a security rule's priority is 100-4096 ----------------------------------------------------
# Microsoft, "Network security groups" (https://learn.microsoft.com/azure/virtual-network/
# network-security-groups-overview, "Security rules"): "Priority: a number between 100 and 4096"; the default
# rules alone have 65000, 65001 and 65500. Azure rejects a rule outside that range, so an input holding one
# (a template, hand-written JSON) is not what the NSG holds. Before, such a rule was evaluated as written: an
# allow at 50 was a sure pass, though no NSG holds it.

def _nsg(rules: list) -> str:
    import json

    return json.dumps({"name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups",
                       "properties": {"securityRules": rules}}, indent=2)


def _az_rule(name: str, prio: int, access: str = "Allow", src: str = "10.1.0.0/24", port: str = "445") -> dict:
    return {"name": name, "properties": {
        "protocol": "Tcp", "access": access, "priority": prio, "direction": "Inbound", "sourceAddressPrefix": src,
        "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": port}}


def _az_decide(text_: str, src: str, dport: int) -> str:
    from auditor.api import explain
    from parsers import azure_nsg

    return explain(azure_nsg.parse(text_, "nsg.json"), src, SRV, "tcp", 40000, dport)["decision"]


def test_an_nsg_rule_priority_outside_100_4096_is_unknown():
    deny_rest = _az_rule("deny-rest", 4000, access="Deny", src="*", port="*")
    assert _az_decide(_nsg([_az_rule("smb", 50), deny_rest]), WS, 445) == "unknown"
    assert _az_decide(_nsg([_az_rule("smb", 5000, src="192.0.2.0/24")]), "192.0.2.7", 445) == "unknown"
    # the bounds themselves are valid
    assert _az_decide(_nsg([_az_rule("smb", 100), deny_rest]), WS, 445) == "permit"
    assert _az_decide(_nsg([deny_rest, _az_rule("smb", 4096)]), WS, 445) == "deny"

"""Azure NSG shapes found by running Batfish's Azure test data through the auditor (session 23), each a small
synthetic input checked against the document cited in its test."""

from __future__ import annotations

import json
from dataclasses import replace

from auditor.api import explain
from auditor.core.packets import ISet, addr_to_int
from parsers import azure_nsg

WS, SRV = "10.1.0.5", "10.2.0.10"


def _nsg(*rules: dict) -> str:
    return json.dumps({"name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups",
                       "properties": {"securityRules": list(rules)}}, indent=2)


def _rule(name: str, prio: int, access: str = "Allow", **props) -> dict:
    p = {"protocol": "Tcp", "access": access, "priority": prio, "direction": "Inbound", "sourceAddressPrefix": "*",
         "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}
    p.update(props)
    return {"name": name, "properties": p}


def _decide(text: str, src: str = WS, dport: int = 445) -> str:
    cfg = replace(azure_nsg.parse(text, "nsg.json"), local_addresses=ISet.of(addr_to_int(SRV)))
    return explain(cfg, src, SRV, "tcp", 40000, dport)["decision"]


# --- a rule giving both the single field and the list ---------------------------------------------------------------
# A security rule holds either destinationPortRange or destinationPortRanges (and likewise the source ports and the
# address prefixes), not both: Azure refuses a rule with both ("... must specify a non-empty value for either
# DestinationPortRange or DestinationPortRanges, but not both", the error Azure returns, quoted in
# kubernetes-sigs/cloud-provider-azure#9355; "the user must supply one or the other", Azure/azure-rest-api-specs#1591).
# Batfish's NetworkSecurityGroupTest.json gives one of each pair, "sourcePortRange": "*" with "sourcePortRanges": [].
# Before, the list silently won: a deny of 445 written as destinationPortRange "445" with destinationPortRanges
# ["3389"] denied 3389 only, and the allow-all after it gave SMB a sure permit. Which of the two a deployed rule holds
# is not known: the rule is now reported and unknown.

def test_a_rule_with_both_the_port_range_and_the_port_ranges_is_unknown():
    both = _nsg(_rule("deny-smb", 100, "Deny", destinationPortRange="445", destinationPortRanges=["3389"]),
                _rule("allow-all", 200))
    assert _decide(both) == "unknown"
    cfg = azure_nsg.parse(both, "nsg.json")
    assert any("Azure accepts one of them, not both" in d.message for d in cfg.diagnostics)


def test_a_rule_with_both_the_address_prefix_and_the_prefixes_is_unknown():
    both = _nsg(_rule("deny-ws", 100, "Deny", sourceAddressPrefix="10.9.0.0/16", sourceAddressPrefixes=["10.1.0.0/16"]),
                _rule("allow-all", 200))
    assert _decide(both, src="10.9.0.5") == "unknown"
    assert _decide(both, src=WS) == "unknown"


def test_one_of_each_pair_is_read_as_before():
    # the list alone, the single field with an empty list (as the REST API returns it), and a single field that
    # repeats the list's only item: each exact
    deny = _nsg(_rule("deny-smb", 100, "Deny", destinationPortRange=None, destinationPortRanges=["445", "139"]),
                _rule("allow-all", 200))
    assert _decide(deny) == "deny" and _decide(deny, dport=80) == "permit"
    empty = _nsg(_rule("deny-smb", 100, "Deny", destinationPortRange="445", destinationPortRanges=[]),
                 _rule("allow-all", 200))
    assert _decide(empty) == "deny" and _decide(empty, dport=80) == "permit"
    same = _nsg(_rule("deny-smb", 100, "Deny", destinationPortRange="445", destinationPortRanges=["445"],
                      sourceAddressPrefix="10.1.0.0/16", sourceAddressPrefixes=["10.1.0.0/16"]),
                _rule("allow-all", 200))
    assert _decide(same) == "deny" and _decide(same, src="10.9.0.5") == "permit"

"""Azure NSG shapes found in Microsoft's own published outputs (session 23, round 2), each a small synthetic input in
the published shape, checked against the document cited in its test."""

from __future__ import annotations

import json
from dataclasses import replace

from auditor.api import explain
from auditor.core.packets import ISet, addr_to_int
from parsers import azure_nsg

WS, SRV = "10.1.0.5", "10.2.0.10"


def _decide(text: str, src: str = WS, dport: int = 445) -> str:
    cfg = replace(azure_nsg.parse(text, "nsg.json"), local_addresses=ISet.of(addr_to_int(SRV)))
    return explain(cfg, src, SRV, "tcp", 40000, dport)["decision"]


# --- 'az network nic list-effective-nsg' with the SDK's empty 'additionalProperties' --------------------------------
# Microsoft's quickstart "Diagnose a virtual machine network traffic filter problem - Azure CLI"
# (learn.microsoft.com/azure/network-watcher/diagnose-vm-network-traffic-filtering-problem-cli, "View details of a
# security rule") prints each effective rule of 'az network nic list-effective-nsg' with '"additionalProperties": {}':
# the Python SDK's (msrest's) collection of the properties of the reply its model does not know ("Add support for
# additional_properties. By default, all additional_properties are kept", msrest 0.4.20 release notes, pypi.org/
# project/msrest; "unmatched properties from the message are deserialized this collection", the SDKs'
# AdditionalProperties). Empty, it says the reply held nothing but the rule's known fields. Before, the key was an
# unknown rule property: every rule of such an output was unknown, and every required flow with it.

def _effective(*rules: dict, extra: dict | None = None) -> str:
    return json.dumps({"value": [{"association": {"additionalProperties": {}, "networkInterface": {
        "additionalProperties": {}, "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/"
        "networkInterfaces/vmNic"}, "subnet": None}, "effectiveSecurityRules": list(rules),
        "networkSecurityGroup": {"additionalProperties": {}, "id": "/subscriptions/0/resourceGroups/rg/providers/"
                                 "Microsoft.Network/networkSecurityGroups/vmNsg"}, "tagMap": None}]}, indent=1)


def _eff(name: str, prio: int, access: str, proto: str, ports: str, src: str = "0.0.0.0/0",
         direction: str = "Inbound", additional: dict | None = None) -> dict:
    return {"access": access, "additionalProperties": {} if additional is None else additional,
            "destinationAddressPrefix": "0.0.0.0/0", "destinationAddressPrefixes": ["0.0.0.0/0"],
            "destinationPortRange": ports, "destinationPortRanges": [ports], "direction": direction,
            "expandedDestinationAddressPrefix": None, "expandedSourceAddressPrefix": None, "name": name,
            "priority": prio, "protocol": proto, "sourceAddressPrefix": src, "sourceAddressPrefixes": [src],
            "sourcePortRange": "0-65535", "sourcePortRanges": ["0-65535"]}


_DENY_ALL_IN = _eff("defaultSecurityRules/DenyAllInBound", 65500, "Deny", "All", "0-65535")


def test_an_empty_additional_properties_is_read_as_nothing():
    text = _effective(_eff("securityRules/allow-smb", 1000, "Allow", "Tcp", "445-445", src="10.1.0.0/16"),
                      _DENY_ALL_IN)
    assert _decide(text) == "permit"
    assert _decide(text, dport=80) == "deny"
    assert not azure_nsg.parse(text, "nsg.json").unrecognized


def test_a_deny_with_an_empty_additional_properties_still_denies():
    text = _effective(_eff("securityRules/deny-smb", 1000, "Deny", "Tcp", "445-445"),
                      _eff("securityRules/allow-all", 1100, "Allow", "All", "0-65535"), _DENY_ALL_IN)
    assert _decide(text) == "deny"
    assert _decide(text, dport=80) == "permit"


def test_additional_properties_holding_something_leave_the_rule_unknown():
    # a field of the reply the SDK did not know: what it does to the rule is not known
    text = _effective(_eff("securityRules/deny-smb", 1000, "Deny", "Tcp", "445-445",
                           additional={"sourceServiceTags": ["Storage"]}),
                      _eff("securityRules/allow-all", 1100, "Allow", "All", "0-65535"), _DENY_ALL_IN)
    assert _decide(text) == "unknown"
    assert any("additionalProperties" in u.message for u in azure_nsg.parse(text, "nsg.json").unrecognized)


# --- 'az network nsg rule list --include-default' --------------------------------------------------------------------
# The Azure CLI's 'az network nsg rule list --include-default' prints one list: the NSG's rules, then its default
# rules (azure-cli, src/azure-cli/azure/cli/command_modules/network/custom.py, list_nsg_rules: 'rules +
# nsg["defaultSecurityRules"] if include_default'), each default rule with its type
# 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules' and an id under '.../defaultSecurityRules/'. The
# default rules' priorities are 65000-65500 ("Default security rules", learn.microsoft.com/azure/virtual-network/
# network-security-groups-overview). Before, the list's default rules were read as rules a user wrote with a priority
# Azure refuses (outside 100-4096): each was reported as a rule Azure rejects, and taken as not understood (the
# verdicts they reach stay unknown: their VirtualNetwork tag is not defined by a rule list).

def _flat(name: str, prio: int, access: str, proto: str, ports: str, src: str = "*", direction: str = "Inbound",
          kind: str = "securityRules") -> dict:
    return {"access": access, "destinationAddressPrefix": "*", "destinationAddressPrefixes": [],
            "destinationPortRange": ports, "destinationPortRanges": [], "direction": direction, "etag": 'W/"1"',
            "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg1/%s/%s"
                  % (kind, name), "name": name, "priority": prio, "protocol": proto, "provisioningState": "Succeeded",
            "resourceGroup": "rg", "sourceAddressPrefix": src, "sourceAddressPrefixes": [], "sourcePortRange": "*",
            "sourcePortRanges": [], "type": "Microsoft.Network/networkSecurityGroups/" + kind}


def _with_defaults(*rules: dict) -> str:
    d = "defaultSecurityRules"
    return json.dumps(list(rules) + [
        _flat("AllowVnetInBound", 65000, "Allow", "*", "*", "VirtualNetwork", kind=d),
        _flat("AllowAzureLoadBalancerInBound", 65001, "Allow", "*", "*", "AzureLoadBalancer", kind=d),
        _flat("DenyAllInBound", 65500, "Deny", "*", "*", kind=d),
        _flat("AllowVnetOutBound", 65000, "Allow", "*", "*", "VirtualNetwork", "Outbound", kind=d),
        _flat("AllowInternetOutBound", 65001, "Allow", "*", "*", "*", "Outbound", kind=d),
        _flat("DenyAllOutBound", 65500, "Deny", "*", "*", "*", "Outbound", kind=d)], indent=1)


def test_the_default_rules_of_a_rule_list_are_read_as_the_defaults():
    text = _with_defaults(_flat("allow-smb", 100, "Allow", "Tcp", "445", src="10.1.0.0/16"))
    cfg = azure_nsg.parse(text, "nsg.json")
    assert not any("outside 100-4096" in u.message for u in cfg.unrecognized)
    assert _decide(text) == "permit"


def test_a_rule_a_user_wrote_with_a_default_priority_is_still_refused():
    text = _with_defaults(_flat("allow-all", 65000, "Allow", "*", "*"))
    assert any("outside 100-4096" in u.message for u in azure_nsg.parse(text, "nsg.json").unrecognized)
    assert _decide(text, src="203.0.113.9") == "unknown"

"""Session 29: AWS, Azure and Windows Firewall inputs on the edges of what the vendors document, each expected
decision written from the document cited (not from the tool)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from auditor.api import explain
from auditor.core.packets import ISet, addr_to_int
from parsers import aws, azure_nsg, windows_fw

SRV, WS = "10.20.0.10", "10.30.0.5"


def _decide(cfg, src: str, dst: str, proto: str = "tcp", dport: int = 445, host: str = SRV) -> str:
    cfg = replace(cfg, local_addresses=ISet.of(addr_to_int(host)))
    return explain(cfg, src, dst, proto, 40000, dport)["decision"]


def _aws_template(*ingress: dict) -> str:
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"PrnSG": {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {"GroupDescription": "Prinergy", "VpcId": "vpc-1", "SecurityGroupIngress": list(ingress)}}}},
        indent=4)


NSG_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg1"


def _azure_nsg(*rules: dict) -> str:
    return json.dumps({"name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
                       "id": NSG_ID,
                       "properties": {"securityRules": list(rules)}}, indent=2)


def _azure_rule(name: str, priority, access: str, port, src: str = "10.30.0.0/24") -> dict:
    return {"name": name, "properties": {"protocol": "Tcp", "sourcePortRange": "*", "sourceAddressPrefix": src,
                                         "destinationAddressPrefix": "*", "destinationPortRange": port,
                                         "access": access, "priority": priority, "direction": "Inbound"}}


# --- numbers in other than ASCII digits -----------------------------------------------------------------------
# The EC2 API's FromPort/ToPort/RuleNumber are integers ("Type: Integer", EC2 API Reference, IpPermission,
# NetworkAclEntry); Azure's securityRules priority is an integer ("priority: integer (int32)", Network REST API,
# Security Rules - Create Or Update) and its port ranges "Integer or range between 0 and 65535"; netsh's
# localport/remoteport are "0-65535", protocol "0-255" (netsh advfirewall firewall add rule /?).  None of them reads
# Arabic-Indic ('٤٤٥') or full-width ('４４５') digits, '4_45' or '+445', all of which Python's int() takes: such a
# value was read as 445 and its allow rule permitted SMB (a rule the platform refuses: a wrong pass).

@pytest.mark.parametrize("port", ["٤٤٥", "４４５", "4_45", "+445", " 445"])
def test_aws_ports_in_other_digits_are_not_445(port):
    cfg = aws.parse(_aws_template({"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                                   "CidrIp": "10.30.0.0/24"}), "sg.json")
    assert _decide(cfg, WS, SRV) == "unknown"


def test_aws_ports_as_strings_of_ascii_digits_still_read():
    cfg = aws.parse(_aws_template({"IpProtocol": "tcp", "FromPort": "445", "ToPort": "445",
                                   "CidrIp": "10.30.0.0/24"}), "sg.json")
    assert _decide(cfg, WS, SRV) == "permit"
    assert _decide(cfg, WS, SRV, dport=446) == "deny"


@pytest.mark.parametrize("port", ["٤٤٥", "４４５"])
def test_azure_ports_in_other_digits_are_not_445(port):
    cfg = azure_nsg.parse(_azure_nsg(_azure_rule("smb", 100, "Allow", port)), "nsg.json")
    assert _decide(cfg, WS, SRV) == "unknown"


@pytest.mark.parametrize("priority", ["１００", "1_00", " 100", "١٠٠", 100.5])
def test_azure_priority_in_other_digits_is_no_priority(priority):
    # a deny at 150 and an allow whose priority Azure would refuse: the allow is no rule Azure holds (before, it was
    # priority 100, ahead of the deny: permit)
    cfg = azure_nsg.parse(_azure_nsg(_azure_rule("no-smb", 150, "Deny", "445"),
                                     _azure_rule("smb", priority, "Allow", "445")), "nsg.json")
    assert _decide(cfg, WS, SRV) == "unknown"


def test_azure_priority_as_a_string_of_ascii_digits_still_read():
    cfg = azure_nsg.parse(_azure_nsg(_azure_rule("no-smb", 150, "Deny", "445"),
                                     _azure_rule("smb", "100", "Allow", "445")), "nsg.json")
    assert _decide(cfg, WS, SRV) == "permit"


@pytest.mark.parametrize("cond", ["localport=٤٤٥ protocol=tcp", "localport=４４５ protocol=tcp", "protocol=٦",
                                  "protocol=icmpv4:٨,any"])
def test_windows_numbers_in_other_digits_are_not_read(cond):
    text = "netsh advfirewall firewall add rule name=smb dir=in remoteip=10.30.0.0/24 %s action=allow\n" % cond
    cfg = windows_fw.parse(text, "rules.netsh")
    assert _decide(cfg, WS, SRV) == "unknown"
    assert _decide(cfg, WS, SRV, "icmp", 8 * 256) == "unknown"
    assert any(d.source.line == 1 for d in cfg.diagnostics)


# --- Windows: a rule's Owner, Platform and dynamic keywords (Get-NetFirewallRule's own properties) --------------
# New-NetFirewallRule (learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule; MicrosoftDocs
# windows-powershell-docs, netsecurity/New-NetFirewallRule.md): -Owner "specifies that only network packets that are
# authenticated as coming from or going to an owner identified in the list of accounts (SID) match this rule";
# -Platform "Specifies which version of Windows the associated rule applies. ... If + is not specified, then only
# that version is associated".  Show-NetFirewallRule prints both in the rule's block ("Owner :", "Platform : {}");
# New-NetFirewallDynamicKeywordAddress (learn.microsoft.com/powershell/module/netsecurity/
# new-netfirewalldynamickeywordaddress): "A firewall rule can use dynamic keyword addresses instead of explicitly
# defining IP addresses for its remote address condition" (the rule's RemoteDynamicKeywordAddresses).  Before, all
# three were ignored and such an allow rule permitted SMB from every workstation (a wrong pass): which packets are
# its owner's, the host's Windows version and a keyword's addresses are not in the input.

def _ps_dump(extra: str) -> list:
    from test_s24_winps import ACTIVE_PROFILES, ACTIVE_RULES, _ps_rule

    from auditor.api import combine_inputs
    from parsers import parse_text

    profiles = ACTIVE_PROFILES + "".join(
        "\nName                  : %s\nEnabled               : True\nDefaultInboundAction  : Block\n"
        "DefaultOutboundAction : Allow\nAllowInboundRules     : True\nAllowLocalFirewallRules : True\n" % p
        for p in ("Domain", "Private", "Public"))
    rule = _ps_rule("SMB").replace("PolicyStoreSource ", extra + "PolicyStoreSource ")
    return combine_inputs([parse_text(profiles, "profiles.txt", "windows-firewall"),
                           parse_text(ACTIVE_RULES + rule, "rules.txt", "windows-firewall")])


@pytest.mark.parametrize("extra, expected", [
    ("", "permit"),
    ("Platform              : {}\nOwner                 :\n", "permit"),
    ("Owner                 : S-1-5-21-1004336348-1177238915-682003330-1001\n", "unknown"),
    ("Platform              : {6.1}\n", "unknown"),
    ("Platform              : {6.2+}\n", "unknown"),
    ("RemoteDynamicKeywordAddresses : {}\n", "permit"),
    ("RemoteDynamicKeywordAddresses : {01234567-89ab-cdef-0123-456789abcdef}\n", "unknown"),
])
def test_windows_owner_and_platform_are_conditions_the_input_cannot_settle(extra, expected):
    [cfg] = _ps_dump(extra)
    got = explain(cfg, WS, SRV, "tcp", 40000, 445)
    assert got["decision"] == expected
    if expected == "unknown":
        assert any(d.code == "CFG300" and extra.split()[0].lower() + "=" in d.message for d in cfg.diagnostics)


# --- AWS: network ACL rule numbers AWS refuses, and one number given to two entries -----------------------------
# EC2 API Reference, CreateNetworkAclEntry (docs.aws.amazon.com/AWSEC2/latest/APIReference/
# API_CreateNetworkAclEntry.html), RuleNumber: "Constraints: Positive integer from 1 to 32766. The range 32767 to
# 65535 is reserved for internal use"; "Each network ACL has a set of numbered ingress rules and a separate set of
# numbered egress rules"; "After you add an entry, you can't modify it; you must either replace it, or create an
# entry and delete the old one": a number names one entry of its direction.  Before, an allow entry numbered 0 or
# 40000 permitted SMB, and of an allow and a deny both numbered 100 the allow decided (a wrong pass either way).

def _acl(*inbound: dict) -> str:
    entries = [{"CidrBlock": "0.0.0.0/0", "Egress": True, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100},
               {"CidrBlock": "0.0.0.0/0", "Egress": True, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767},
               {"CidrBlock": "0.0.0.0/0", "Egress": False, "Protocol": "-1", "RuleAction": "deny",
                "RuleNumber": 32767}]
    entries += [dict(e, Egress=False) for e in inbound]
    return json.dumps({"NetworkAcls": [{
        "Associations": [{"NetworkAclAssociationId": "aclassoc-1", "NetworkAclId": "acl-1", "SubnetId": "subnet-1"}],
        "Entries": entries, "IsDefault": False, "NetworkAclId": "acl-1", "Tags": [], "VpcId": "vpc-1",
        "OwnerId": "111122223333"}],
        "Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.20.0.0/24", "VpcId": "vpc-1"}]}, indent=4)


SMB_IN = {"CidrBlock": "10.30.0.0/24", "Protocol": "6", "PortRange": {"From": 445, "To": 445}, "RuleAction": "allow"}


@pytest.mark.parametrize("number, expected", [(1, "permit"), (100, "permit"), (32766, "permit"), (0, "unknown"),
                                              (32767, "unknown"), (40000, "unknown")])
def test_aws_acl_rule_number_outside_1_to_32766_is_not_in_force_for_certain(number, expected):
    cfg = aws.parse(_acl(dict(SMB_IN, RuleNumber=number)), "acls.json")
    assert _decide(cfg, WS, SRV) == expected
    assert _decide(cfg, WS, SRV, dport=80) == "deny"


def test_aws_acl_two_entries_of_one_number_leave_its_packets_unknown():
    cfg = aws.parse(_acl(dict(SMB_IN, RuleNumber=100),
                         {"CidrBlock": "10.30.0.0/24", "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 100}),
                    "acls.json")
    assert _decide(cfg, WS, SRV) == "unknown"
    # denied by the deny entry or by the '*' entry: never permitted (the engine reports a packet an entry may deny
    # unknown, even where the next entry denies it too)
    assert _decide(cfg, WS, SRV, dport=80) != "permit"
    assert _decide(cfg, "10.99.0.5", SRV) == "deny"  # (neither entry matches it)
    assert sum("rule number 100 is used by 2 inbound entries" in d.message for d in cfg.diagnostics) == 2
    # the same number once in each direction is no duplicate
    cfg = aws.parse(_acl(dict(SMB_IN, RuleNumber=100)), "acls.json")
    assert _decide(cfg, WS, SRV) == "permit" and not cfg.diagnostics


# --- Azure: two rules of one name in one NSG ----------------------------------------------------------------------
# Microsoft, "Network security groups" overview (learn.microsoft.com/azure/virtual-network/network-security-groups-
# overview), "Security rules": "Name | A unique name within the network security group."  Azure refuses one of two
# rules named alike (or the whole NSG), so which one the NSG holds is not in the input, as for two rules of one
# priority and direction.  Before, the duplicate name was reported with no effect and the first rule decided: an
# allow permitted SMB that a deny of the same name, the one Azure may hold, blocks.

@pytest.mark.parametrize("first, second", [("Allow", "Deny"), ("Deny", "Allow")])
def test_azure_two_rules_of_one_name_are_both_unknown(first, second):
    allow_smb = _azure_rule("smb", 100 if first == "Allow" else 200, "Allow", "445")
    deny_all = _azure_rule("smb", 200 if first == "Allow" else 100, "Deny", "*")
    rules = (allow_smb, deny_all) if first == "Allow" else (deny_all, allow_smb)
    cfg = azure_nsg.parse(_azure_nsg(*rules), "nsg.json")
    assert _decide(cfg, WS, SRV) == "unknown"
    assert any("rule name 'smb' is used twice" in d.message and d.impact.value == "filter" for d in cfg.diagnostics)
    # distinct names: the first by priority decides
    cfg = azure_nsg.parse(_azure_nsg(allow_smb, dict(deny_all, name="deny-all")), "nsg.json")
    assert _decide(cfg, WS, SRV) == ("permit" if first == "Allow" else "deny")

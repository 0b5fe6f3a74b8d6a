"""Azure NSG and AWS security group shapes (session 22), each a small synthetic input checked against the vendor's
document cited in its test."""

from __future__ import annotations

import json
from dataclasses import replace

from auditor.api import explain
from auditor.core.packets import ISet, addr_to_int
from parsers import aws, azure_nsg

WS, SRV, PUBLIC = "10.1.0.5", "10.2.0.10", "20.1.2.3"


def _nsg(*rules: dict) -> str:
    return json.dumps({"name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups",
                       "properties": {"securityRules": list(rules)}}, indent=2)


def _rule(name: str, prio: int, access: str = "Allow", dst: str = "*", port: str = "*", proto: str = "*",
          direction: str = "Inbound", src: str = "*") -> dict:
    return {"name": name, "properties": {
        "protocol": proto, "access": access, "priority": prio, "direction": direction, "sourceAddressPrefix": src,
        "sourcePortRange": "*", "destinationAddressPrefix": dst, "destinationPortRange": port}}


def _decide(cfg, src: str, dst: str, dport: int = 445, host: str | None = None) -> str:
    """The decision for a TCP packet; ``host``: the audited VM's address as the site names it."""
    if host is not None:
        cfg = replace(cfg, local_addresses=ISet.of(addr_to_int(host)))
    return explain(cfg, src, dst, "tcp", 40000, dport)["decision"]


# --- Azure: a VM named by its public address -----------------------------------------------------------------
# Microsoft, "Network security groups" (https://learn.microsoft.com/azure/virtual-network/
# network-security-groups-overview, "Security rules", Source or destination): "Network security groups are
# processed after Azure translates a public IP address to a private IP address for inbound traffic, and before
# Azure translates a private IP address to a public IP address for outbound traffic." A site that names the
# server by its public address (Workshop reaching it over the internet or a public endpoint) sends packets that
# the NSG sees with the VM's private address, which the export does not tie to the public one. Before, a deny
# to the private address 10.2.0.10 did not match traffic to the public role address: the later allow-all gave a
# sure permit (a wrong pass: the NSG drops SMB). Now such a rule only possibly matches a public address.

def test_a_deny_to_the_vm_s_private_address_is_not_skipped_for_its_public_address():
    cfg = azure_nsg.parse(_nsg(_rule("deny-smb", 100, "Deny", dst=SRV, port="445", proto="Tcp"),
                               _rule("allow-all", 200)), "nsg.json")
    assert _decide(cfg, WS, PUBLIC, host=PUBLIC) == "unknown"
    # the private address is exact, as before; and a port the deny does not name is a sure permit
    assert _decide(cfg, WS, SRV, host=SRV) == "deny"
    assert _decide(cfg, WS, PUBLIC, dport=80, host=PUBLIC) == "permit"
    # an outbound rule's source likewise (translated after the outbound rules)
    out = azure_nsg.parse(_nsg(_rule("deny-out", 100, "Deny", direction="Outbound", src=SRV),
                               _rule("allow-out", 200, direction="Outbound")), "nsg.json")
    assert _decide(out, PUBLIC, "192.0.2.7", dport=443, host=PUBLIC) == "unknown"
    assert _decide(out, SRV, "192.0.2.7", dport=443, host=SRV) == "deny"


def test_effective_rules_expanded_prefixes_on_the_vm_side_are_uncertain_for_a_public_address():
    # az network nic list-effective-nsg: the VirtualNetwork tag expanded into the virtual network's prefixes
    rule = {"name": "securityRules/deny-smb", "protocol": "Tcp", "access": "Deny", "priority": 100,
            "direction": "Inbound", "sourceAddressPrefix": "0.0.0.0/0", "sourcePortRange": "0-65535",
            "destinationAddressPrefix": "VirtualNetwork", "expandedDestinationAddressPrefix": ["10.2.0.0/16"],
            "destinationPortRange": "445-445"}
    allow = dict(rule, name="securityRules/allow-all", access="Allow", priority=200, protocol="All",
                 destinationAddressPrefix="0.0.0.0/0", expandedDestinationAddressPrefix=None,
                 destinationPortRange="0-65535")
    text = json.dumps({"networkSecurityGroup": {"id": "/subscriptions/x/networkSecurityGroups/nic-nsg"},
                       "effectiveSecurityRules": [rule, allow]}, indent=2)
    cfg = azure_nsg.parse(text, "effective.json")
    assert _decide(cfg, WS, PUBLIC, host=PUBLIC) == "unknown"
    assert _decide(cfg, WS, SRV, host=SRV) == "deny"


# --- Azure: two rules with one priority and direction ----------------------------------------------------------
# Same page, "Security rules": "You can't create two security rules with the same priority and direction."
# Azure refuses one of them (az network nsg rule create: "priority is already in use") or the whole template, so
# which one the NSG holds is not known. Before, they were evaluated in input order: the allow-all listed first
# gave SMB a sure pass although the NSG may hold the deny at that priority instead.

def test_two_rules_with_one_priority_are_both_unknown():
    cfg = azure_nsg.parse(_nsg(_rule("allow-all", 110), _rule("deny-smb", 110, "Deny", port="445", proto="Tcp"),
                               _rule("deny-80", 100, "Deny", port="80", proto="Tcp")), "nsg.json")
    assert _decide(cfg, WS, SRV, host=SRV) == "unknown"
    assert _decide(cfg, WS, SRV, dport=1024, host=SRV) == "unknown"  # (the allow-all may not exist either)
    assert _decide(cfg, WS, SRV, dport=80, host=SRV) == "deny"  # decided before the tie
    assert any("used twice" in d.message and "unknown" in d.message for d in cfg.diagnostics)
    # one priority in the two directions is allowed: both rules apply
    ok = azure_nsg.parse(_nsg(_rule("allow-all", 100), _rule("out", 100, "Deny", direction="Outbound")), "nsg.json")
    assert _decide(ok, WS, SRV, host=SRV) == "permit"
    assert not any("used twice" in d.message for d in ok.diagnostics)


# --- AWS CloudFormation: an empty SecurityGroupEgress list ----------------------------------------------------
# AWS CloudFormation Template Reference, AWS::EC2::SecurityGroup (https://docs.aws.amazon.com/AWSCloudFormation/
# latest/TemplateReference/aws-resource-ec2-securitygroup.html): "When you create a security group, if you do not
# add egress rules, we add egress rules that allow all outbound IPv4 and IPv6 traffic. Otherwise, we do not add
# them. After the security group is created, if you remove all egress rules that you added, we do not add egress
# rules, so no outbound traffic is allowed." An empty list adds no egress rule: allow-all when the group is created
# so, none when an update emptied it. Before, it was read as "no outbound traffic" (a sure deny of the server's
# connections, e.g. to Kodak's cloud services).

def test_an_empty_cloudformation_egress_list_is_unknown():
    def stack(egress):
        props = {"GroupDescription": "prinergy",
                 "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445,
                                           "CidrIp": "10.1.0.0/24"}]}
        if egress is not None:
            props["SecurityGroupEgress"] = egress
        text = json.dumps({"AWSTemplateFormatVersion": "2010-09-09",
                           "Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": props}}}, indent=1)
        return aws.parse(text, "stack.json")

    cfg = stack([])
    assert _decide(cfg, SRV, "192.0.2.1", dport=443, host=SRV) == "unknown"
    assert any("SecurityGroupEgress" in d.message for d in cfg.diagnostics)
    assert _decide(cfg, WS, SRV, host=SRV) == "permit"  # (ingress unchanged)
    # no list at all: AWS's allow-all; a list with a rule: only that rule
    assert _decide(stack(None), SRV, "192.0.2.1", dport=443, host=SRV) == "permit"
    one = stack([{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}])
    assert _decide(one, SRV, "192.0.2.1", dport=443, host=SRV) == "deny"
    assert _decide(one, SRV, "192.0.2.1", dport=80, host=SRV) == "permit"


# --- AWS network ACLs: the IPv6 '*' entry ----------------------------------------------------------------------
# AWS, "Use DescribeNetworkAcls with a CLI" (https://docs.aws.amazon.com/ec2/latest/devguide/
# example_ec2_DescribeNetworkAcls_section.html): an ACL of a VPC with IPv6 lists its immutable IPv6 catch-all deny
# as {"Ipv6CidrBlock": "::/0", "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32768} (the '*' rule; the
# IPv4 one is 32767; "Positive integer from 1 to 32766" for the user's own, CreateNetworkAclEntry). Before, only
# 32767 was the stage default: the IPv6 '*' entry was a rule of its own, reported as redundant (ACL201), which
# tells the admin to remove an entry AWS does not let anyone remove.

def test_the_ipv6_catch_all_entry_of_a_network_acl_is_the_default_not_a_rule():
    from auditor.api import audit
    from auditor.policy import load_site

    def entry(n, egress, action, v6=False):
        return {("Ipv6CidrBlock" if v6 else "CidrBlock"): "::/0" if v6 else "0.0.0.0/0", "Egress": egress,
                "Protocol": "-1", "RuleAction": action, "RuleNumber": n}

    entries = [e for eg in (False, True) for e in (entry(100, eg, "allow"), entry(32767, eg, "deny"),
                                                   entry(32768, eg, "deny", v6=True))]
    text = json.dumps({"NetworkAcls": [{"NetworkAclId": "acl-1", "Associations": [{"SubnetId": "subnet-1"}],
                                        "Entries": entries}]}, indent=1)
    cfg = aws.parse(text, "acl.json")
    v6_lines = {i + 1 for i, ln in enumerate(text.splitlines()) if '"RuleNumber": 32768' in ln}
    assert not [r for f in cfg.filters.values() for r in f.rules if r.source.line in v6_lines]
    found = audit([cfg], load_site(None, ["primary=10.2.0.10", "workshop=10.1.0.0/24"])).findings
    assert not [f for f in found if f.rule_id in ("ACL200", "ACL201") and f.source.line in v6_lines]
    # IPv6 traffic the ACL does not allow is still denied (by the stage default)
    v6 = replace(cfg, local_addresses=ISet.of(addr_to_int("2001:db8::10")))
    assert explain(v6, "2001:db8:1::5", "2001:db8::10", "tcp", 40000, 445)["decision"] == "deny"

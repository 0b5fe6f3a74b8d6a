"""Inputs other tools write that a sweep found refused or mislabelled (session 23): each a small synthetic input in the
documented shape, read or refused as the document cited in its test says."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from auditor.api import explain
from auditor.core.packets import ISet, addr_to_int
from parsers import InputError, parse_text

WS, SRV = "10.1.0.5", "10.2.0.10"


def _decide(text: str, src: str = WS, dport: int = 445, proto: str = "tcp") -> str:
    cfg = replace(parse_text(text, "in.json"), local_addresses=ISet.of(addr_to_int(SRV)))
    return explain(cfg, src, SRV, proto, 40000, dport)["decision"]


# --- Azure PowerShell: Get-AzEffectiveNetworkSecurityGroup | ConvertTo-Json -Depth 10 -------------------------------
# Microsoft Learn, "Get-AzEffectiveNetworkSecurityGroup" (learn.microsoft.com/powershell/module/az.network/
# get-azeffectivenetworksecuritygroup): "returns the effective network security group that is applied on a network
# interface", output type Microsoft.Azure.Commands.Network.Models.PSEffectiveNetworkSecurityGroup. Its class
# (github.com/Azure/azure-powershell, src/Network/Network/Models): NetworkSecurityGroup (Id), Association,
# EffectiveSecurityRules of PSEffectiveSecurityRule: Name, Protocol, SourcePortRange, DestinationPortRange,
# SourceAddressPrefix, DestinationAddressPrefix (each an IList<string>), ExpandedSourceAddressPrefix,
# ExpandedDestinationAddressPrefix, Access, Priority, Direction. The list is the REST rule's plural when that has more
# than one item, else its singular (src/Network/Network/Common/NetworkResourceManagerProfile.cs, the
# EffectiveNetworkSecurityRule -> PSEffectiveSecurityRule map). The same data as 'az network nic list-effective-nsg',
# which the parser reads; before, this shape was "could not recognise the configuration format".

def _ps_rule(name: str, prio: int, access: str, proto: str, dports: list[str], srcs: list[str],
             direction: str = "Inbound", expanded_src: list[str] | None = None) -> dict:
    return {"Name": name, "Protocol": proto, "SourcePortRange": ["0-65535"], "DestinationPortRange": dports,
            "SourceAddressPrefix": srcs, "DestinationAddressPrefix": ["0.0.0.0/0"],
            "ExpandedSourceAddressPrefix": expanded_src or [], "ExpandedDestinationAddressPrefix": [],
            "Access": access, "Priority": prio, "Direction": direction}


_PS_DEFAULTS = [
    _ps_rule("defaultSecurityRules/AllowVnetInBound", 65000, "Allow", "All", ["0-65535"], ["VirtualNetwork"],
             expanded_src=["10.2.0.0/16", "168.63.129.16/32"]),
    _ps_rule("defaultSecurityRules/AllowAzureLoadBalancerInBound", 65001, "Allow", "All", ["0-65535"],
             ["AzureLoadBalancer"], expanded_src=["168.63.129.16/32"]),
    _ps_rule("defaultSecurityRules/DenyAllInBound", 65500, "Deny", "All", ["0-65535"], ["0.0.0.0/0"]),
]


def _ps_effective(*rules: dict, many: bool = True) -> str:
    nsg = {"NetworkSecurityGroup": {"Id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/"
                                          "networkSecurityGroups/vmNsg"},
           "Association": {"NetworkInterface": {"Id": "/subscriptions/0/resourceGroups/rg/providers/"
                                                      "Microsoft.Network/networkInterfaces/vmNic"}, "Subnet": None},
           "EffectiveSecurityRules": list(rules) + _PS_DEFAULTS}
    # (ConvertTo-Json writes a list of the pipeline's objects, or the one object alone)
    return json.dumps([nsg] if many else nsg, indent=2)


@pytest.mark.parametrize("many", [True, False])
def test_powershell_effective_nsg_is_read_as_the_cli_shape(many):
    text = _ps_effective(_ps_rule("securityRules/allow-prinergy", 1000, "Allow", "Tcp", ["445-445", "80"],
                                  ["10.1.0.0/24", "10.9.0.0/16"]), many=many)
    cfg = parse_text(text, "in.json")
    assert cfg.vendor == "azure-nsg"
    assert not cfg.unrecognized
    assert _decide(text) == "permit"
    assert _decide(text, dport=80) == "permit"  # (the second item of the list)
    assert _decide(text, src="10.9.1.1") == "permit"
    assert _decide(text, dport=443) == "deny"  # (DenyAllInBound, listed by Azure)
    assert _decide(text, src="10.1.1.5") == "deny"  # (outside 10.1.0.0/24: its source list is exact)


def test_powershell_effective_deny_before_allow_keeps_priority_order():
    text = _ps_effective(_ps_rule("securityRules/deny-smb", 900, "Deny", "Tcp", ["445"], ["0.0.0.0/0"]),
                         _ps_rule("securityRules/allow-all", 1000, "Allow", "All", ["0-65535"], ["0.0.0.0/0"]))
    assert _decide(text) == "deny"
    assert _decide(text, dport=80) == "permit"


def test_powershell_effective_service_tag_uses_the_expanded_prefixes():
    # AllowVnetInBound's VirtualNetwork expanded by Azure to 10.2.0.0/16: a source there is permitted, one outside it
    # (10.1.0.5) meets DenyAllInBound
    text = _ps_effective()
    assert _decide(text, src="10.2.3.4") == "permit"
    assert _decide(text) == "deny"


# --- Azure PowerShell: Get-AzNetworkSecurityGroup | ConvertTo-Json -Depth 10 ----------------------------------------
# Microsoft Learn, "Get-AzNetworkSecurityGroup" (learn.microsoft.com/powershell/module/az.network/
# get-aznetworksecuritygroup), output PSNetworkSecurityGroup: SecurityRules, DefaultSecurityRules (PSSecurityRule:
# Name, Etag, Id, Description, Protocol, SourcePortRange, DestinationPortRange, SourceAddressPrefix,
# DestinationAddressPrefix (lists, mapped as above), Access, Priority, Direction, ProvisioningState,
# Source/DestinationApplicationSecurityGroups and their '...Text' copies, JSON of the same list:
# src/Network/Network/Models/PSSecurityRule.cs, PSNetworkSecurityGroup.cs).

def _ps_sec_rule(name: str, prio: int, access: str, proto: str, dports: list[str], srcs: list[str],
                 kind: str = "securityRules", direction: str = "Inbound") -> dict:
    return {"Description": None, "Protocol": proto, "SourcePortRange": ["*"], "DestinationPortRange": dports,
            "SourceAddressPrefix": srcs, "DestinationAddressPrefix": ["*"], "Access": access, "Priority": prio,
            "Direction": direction, "ProvisioningState": "Succeeded", "SourceApplicationSecurityGroups": [],
            "DestinationApplicationSecurityGroups": [], "SourceApplicationSecurityGroupsText": "[]",
            "DestinationApplicationSecurityGroupsText": "[]", "Name": name, "Etag": 'W/"1"',
            "Id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg1/%s/%s"
                  % (kind, name)}


def _ps_nsg(*rules: dict) -> str:
    d = "defaultSecurityRules"
    defaults = [_ps_sec_rule("AllowVnetInBound", 65000, "Allow", "*", ["*"], ["VirtualNetwork"], kind=d),
                _ps_sec_rule("AllowAzureLoadBalancerInBound", 65001, "Allow", "*", ["*"], ["AzureLoadBalancer"],
                             kind=d),
                _ps_sec_rule("DenyAllInBound", 65500, "Deny", "*", ["*"], ["*"], kind=d)]
    return json.dumps({
        "SecurityRules": list(rules), "DefaultSecurityRules": defaults, "NetworkInterfaces": [], "Subnets": [],
        "ProvisioningState": "Succeeded", "SecurityRulesText": "[]", "DefaultSecurityRulesText": "[]",
        "ResourceGroupName": "rg", "Location": "westeurope", "ResourceGuid": "00000000-0000-0000-0000-000000000000",
        "Type": "Microsoft.Network/networkSecurityGroups", "Tag": None, "TagsTable": None, "Name": "nsg1",
        "Etag": 'W/"1"', "Id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/"
                                "networkSecurityGroups/nsg1"}, indent=2)


def test_powershell_nsg_is_read_as_the_cli_shape():
    text = _ps_nsg(_ps_sec_rule("deny-80", 900, "Deny", "Tcp", ["80"], ["*"]),
                   _ps_sec_rule("allow-ws", 1000, "Allow", "Tcp", ["445", "80", "1024-9000"], ["10.1.0.0/16"]))
    cfg = parse_text(text, "in.json")
    assert cfg.vendor == "azure-nsg"
    # (only the default rules' service tags are uncertain, as in the CLI's 'az network nsg show')
    assert cfg.unrecognized and all("service tag" in u.message for u in cfg.unrecognized)
    assert _decide(text) == "permit"
    assert _decide(text, dport=2000) == "permit"
    assert _decide(text, dport=80) == "deny"  # (deny-80 first: priority 900)
    # (elsewhere AllowVnetInBound's VirtualNetwork, not expanded in this output, may match: unknown, as for the CLI's)
    assert _decide(text, dport=443) == "unknown"


def test_powershell_nsg_application_security_group_stays_unknown():
    rule = _ps_sec_rule("allow-asg", 1000, "Allow", "Tcp", ["445"], [])
    rule["SourceApplicationSecurityGroups"] = [{"Id": "/subscriptions/0/resourceGroups/rg/providers/"
                                                      "Microsoft.Network/applicationSecurityGroups/workshops"}]
    text = _ps_nsg(rule)
    assert _decide(text) == "unknown"
    assert any("workshops" in u.message for u in parse_text(text, "in.json").unrecognized)


# --- AWS CloudFormation: network ACL resources only --
# AWS::EC2::NetworkAcl and AWS::EC2::NetworkAclEntry (docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
# aws-resource-ec2-networkaclentry.html) are not read (docs/vendors/cloud-and-windows.md); a template holding only
# them (as aws-cloudformation-templates' VPC_With_Managed_NAT_And_Private_Subnet.json) was "could not recognise the
# configuration format ... use --vendor", and with '--vendor aws' "a CloudFormation template without
# AWS::EC2::SecurityGroup resources": now one line saying so and naming the input that is read.

_CFN_NACL = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
    "VPC": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
    "PrivateNetworkAcl": {"Type": "AWS::EC2::NetworkAcl", "Properties": {"VpcId": {"Ref": "VPC"}}},
    "InboundHTTPPrivateNetworkAclEntry": {"Type": "AWS::EC2::NetworkAclEntry", "Properties": {
        "NetworkAclId": {"Ref": "PrivateNetworkAcl"}, "RuleNumber": 100, "Protocol": 6, "RuleAction": "allow",
        "Egress": False, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 0, "To": 65535}}},
    "PrivateSubnetNetworkAclAssociation": {"Type": "AWS::EC2::SubnetNetworkAclAssociation", "Properties": {
        "SubnetId": {"Ref": "PrivateSubnet"}, "NetworkAclId": {"Ref": "PrivateNetworkAcl"}}}}}


@pytest.mark.parametrize("vendor", ["auto", "aws"])
def test_cloudformation_with_only_network_acls_is_refused_by_name(vendor):
    with pytest.raises(InputError) as e:
        parse_text(json.dumps(_CFN_NACL, indent=2), "vpc.json", vendor=vendor)
    msg = str(e.value)
    assert "network ACL resources" in msg and "not read" in msg and "describe-network-acls" in msg
    assert "\n" not in msg


# --- AWS CloudFormation: an intrinsic function as a rule's CidrIp --
# "The intrinsic function Ref returns the value of a specified parameter, resource, or another intrinsic function"
# (AWS CloudFormation, "Ref", docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
# intrinsic-function-reference-ref.html), resolved when the stack is deployed: the template does not hold the
# address. Before, the rule was reported as "bad IpRanges entry: ... is not an address or network" (as if the template
# were wrong); the verdict stays unknown.

@pytest.mark.parametrize("cidr", [{"Ref": "WorkshopCidr"}, {"Fn::Select": [0, {"Ref": "Cidrs"}]}])
def test_cloudformation_intrinsic_in_cidrip_is_named_and_unknown(cidr):
    text = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"ServerSG": {
        "Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "prinergy", "SecurityGroupIngress": [
            {"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "CidrIp": cidr}]}}}}, indent=2)
    cfg = parse_text(text, "t.json")
    fn = next(iter(cidr))
    msgs = [u.message for u in cfg.unrecognized]
    assert any("intrinsic function %s is not evaluated" % fn in m for m in msgs), msgs
    assert not any("bad IpRanges entry" in m for m in msgs)
    assert _decide(text) == "unknown"


# --- PAN-OS: a cloud-managed Prisma Access configuration --
# Prisma Access managed by Strata Cloud Manager keeps its configuration in folders ('All', 'Prisma Access', 'Mobile
# Users Container', the deployments 'Service Connections', 'Remote Networks', 'Mobile Users'): "The configurations
# defined under a folder is inherited by all folders nested under that folder hierarchy" (Palo Alto Networks, Prisma
# Access (Cloud Management) administrator's guide, "Configuration Folders", docs.paloaltonetworks.com/prisma/
# prisma-access/prisma-access-cloud-managed-admin/create-prisma-access-policy/folder-management-cloud-management/
# organizing-your-prisma-access-configurations), and in snippets, "a configuration object, or grouping of
# configuration objects, that you can associate with a folder, deployment, or device" (Strata Cloud Manager,
# "Snippets", docs.paloaltonetworks.com/cloud-management/administration/manage-configuration-ngfw-and-prisma-access/
# configuration-scope/snippets). Its XML (pan-os-php's utils/develop/fawkes_baseconfig.xml) puts them under
# 'devices entry container', 'snippet' and 'device cloud'. It was read as a firewall with every such line not
# understood (249 for that file); a Panorama's configuration is refused with one line, and so is this now.

_PRISMA = """<?xml version="1.0" encoding="UTF-8"?>
<config fawkes-config-version="3" urldb="paloaltonetworks.com" version="10.0.0">
  <mgt-config><users><entry name="admin"><permissions><role-based><superuser>yes</superuser></role-based>
  </permissions></entry></users></mgt-config>
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig><system><hostname>cloud</hostname></system></deviceconfig>
      <snippet>
        <entry name="predefined-snippet"/>
      </snippet>
      <container>
        <entry name="All">
          <snippets><member>predefined-snippet</member></snippets>
        </entry>
        <entry name="Prisma Access">
          <parent>All</parent>
          <pre-rulebase>
            <security>
              <rules>
                <entry name="allow-smb">
                  <from><member>trust</member></from><to><member>untrust</member></to>
                  <source><member>any</member></source><destination><member>any</member></destination>
                  <service><member>any</member></service><application><member>any</member></application>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
          </pre-rulebase>
        </entry>
      </container>
      <device>
        <cloud>
          <entry name="Remote Networks"><parent>Prisma Access</parent></entry>
        </cloud>
      </device>
    </entry>
  </devices>
</config>
"""


def test_prisma_access_cloud_managed_config_is_refused_with_one_line():
    with pytest.raises(InputError) as e:
        parse_text(_PRISMA, "fawkes.xml")
    msg = str(e.value)
    assert "Prisma Access" in msg and "not a firewall's" in msg
    assert msg.startswith("fawkes.xml:8:")  # (its first folder or snippet: <snippet>)
    assert "\n" not in msg


# --- Azure Network Watcher: topology and security group view --
# 'az network watcher show-topology' (REST Network Watchers "Get Topology": TopologyResource id, name, location,
# associations of TopologyAssociation name, resourceId, associationType "Associated" | "Contains";
# learn.microsoft.com/javascript/api/@azure/arm-network/topologyresource) says which resource is tied to which, and
# holds no rule: it was "could not recognise the configuration format". 'az network watcher show-security-group-view'
# (REST "Network Watchers - Get VM Security Rules": networkInterfaces[].securityRuleAssociations with
# networkInterfaceAssociation, subnetAssociation, defaultSecurityRules and one effectiveSecurityRules list for the
# interface; learn.microsoft.com/rest/api/network-watcher/network-watchers/get-vm-security-rules) does not say which NSG
# an effective rule belongs to: it was taken as an NSG and refused as "no securityRules found". Both now name the input
# that is read instead.

_TOPOLOGY = {"createdDateTime": "2024-01-01T00:00:00Z", "id": "00000000-0000-0000-0000-000000000000",
             "lastModified": "2024-01-01T00:00:00Z", "resources": [
                 {"associations": [{"associationType": "Associated", "name": "vmNsg",
                                    "resourceId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/"
                                                  "networkSecurityGroups/vmNsg"}],
                  "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/vmNic",
                  "location": "westeurope", "name": "vmNic"},
                 {"associations": [], "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/"
                                         "networkSecurityGroups/vmNsg", "location": "westeurope", "name": "vmNsg"}]}

_SG_VIEW = {"networkInterfaces": [{
    "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/vmNic",
    "securityRuleAssociations": {
        "defaultSecurityRules": [{"name": "DenyAllInBound", "protocol": "*", "sourcePortRange": "*",
                                  "destinationPortRange": "*", "sourceAddressPrefix": "*",
                                  "destinationAddressPrefix": "*", "access": "Deny", "priority": 65500,
                                  "direction": "Inbound"}],
        "effectiveSecurityRules": [{"name": "securityRules/allow-smb", "protocol": "Tcp", "sourcePortRange": "0-65535",
                                    "destinationPortRange": "445-445", "sourceAddressPrefix": "10.1.0.0/16",
                                    "destinationAddressPrefix": "0.0.0.0/0", "access": "Allow", "priority": 1000,
                                    "direction": "Inbound"}],
        "networkInterfaceAssociation": {"id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/"
                                              "networkInterfaces/vmNic", "securityRules": []}}}]}


@pytest.mark.parametrize("data, words", [(_TOPOLOGY, "show-topology"), (_SG_VIEW, "show-security-group-view")])
def test_network_watcher_outputs_are_refused_naming_list_effective_nsg(data, words):
    with pytest.raises(InputError) as e:
        parse_text(json.dumps(data, indent=2), "nw.json")
    msg = str(e.value)
    assert "Network Watcher" in msg and words in msg and "az network nic list-effective-nsg" in msg
    assert "\n" not in msg

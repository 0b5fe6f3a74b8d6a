"""Session 28: AWS, Azure and Windows Firewall inputs as users export them, each a small input in the documented
shape, its expected decisions written from the document cited (not from the tool)."""

from __future__ import annotations

import json
from dataclasses import replace

from auditor.api import explain
from auditor.core.packets import ISet, addr_to_int
from parsers import aws

SRV, WS = "10.20.0.10", "10.30.0.5"


def _decide(cfg, src: str, dst: str, proto: str = "tcp", dport: int = 445, host: str = SRV) -> dict:
    cfg = replace(cfg, local_addresses=ISet.of(addr_to_int(host)))
    return explain(cfg, src, dst, proto, 40000, dport)


# --- AWS: a TCP, UDP or ICMP permission without its port range ---------------------------------------------------
# EC2 API Reference, IpPermission / AWS::EC2::SecurityGroup Ingress (docs.aws.amazon.com/AWSCloudFormation/latest/
# UserGuide/aws-properties-ec2-securitygroup-ingress.html): "If the protocol is TCP or UDP, you must also specify a
# port or port range. If the protocol is ICMP or ICMPv6, you must also specify the ICMP/ICMPv6 type and code"; "For
# tcp, udp, and icmp, you must specify a port range. For icmpv6, the port range is optional; if you omit the port
# range, traffic for all types and codes is allowed" (IpProtocol).  AWS refuses such a rule ("Invalid value 'Must
# specify both from and to ports with TCP/UDP.' for portRange"; "TCP/UDP port (-1) out of range").  Before, a
# template's {"IpProtocol": "tcp", "CidrIp": ...} was read as every TCP port: SMB from the workstations 'permitted'
# by a rule CloudFormation never made (a wrong pass).

def _template(*ingress: dict) -> str:
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"PrnSG": {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {"GroupDescription": "Prinergy", "VpcId": "vpc-1", "SecurityGroupIngress": list(ingress)}}}},
        indent=4)


def test_aws_tcp_udp_icmp_without_a_port_range_is_refused_by_aws_so_unknown():
    cfg = aws.parse(_template({"IpProtocol": "tcp", "CidrIp": "10.30.0.0/24"}), "sg.json")
    d = _decide(cfg, WS, SRV)
    assert d["decision"] == "unknown" and d["line"] == 11
    assert any(x.source.line == 11 for x in cfg.diagnostics)
    for rule in ({"IpProtocol": "udp", "FromPort": 137, "CidrIp": "10.30.0.0/24"},
                 {"IpProtocol": "tcp", "FromPort": -1, "ToPort": -1, "CidrIp": "10.30.0.0/24"},
                 {"IpProtocol": "icmp", "CidrIp": "10.30.0.0/24"}):
        cfg = aws.parse(_template(rule), "sg.json")
        proto, port = ("icmp", 8 * 256) if rule["IpProtocol"] == "icmp" else (rule["IpProtocol"], 137)
        assert _decide(cfg, WS, SRV, proto, port)["decision"] == "unknown", rule


def test_aws_icmpv6_without_a_port_range_is_every_type_and_code():
    cfg = aws.parse(_template({"IpProtocol": "icmpv6", "CidrIpv6": "fd00::/8"},
                              {"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "CidrIp": "10.30.0.0/24"}),
                    "sg.json")
    assert _decide(cfg, "fd00::5", "fd00::10", "icmpv6", 128 * 256, host="fd00::10")["decision"] == "permit"
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    assert _decide(cfg, WS, SRV, dport=446)["decision"] == "deny"


# --- AWS: network ACLs none of which is associated with a subnet --------------------------------------------------
# VPC User Guide, "Control subnet traffic with network access control lists"
# (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html): "Each subnet in your VPC must be
# associated with a network ACL"; an ACL with no association filters nothing.  An input holding only such ACLs
# (`describe-network-acls --network-acl-ids acl-spare`) does not hold the ACL of the host's subnet; before, its
# audit passed every required flow (PASS, no finding), as a config that filters nothing.

def test_aws_acls_associated_with_no_subnet_alone_are_refused_not_passed():
    from parsers import InputError

    deny_all = {"Associations": [], "IsDefault": False, "NetworkAclId": "acl-spare", "Tags": [], "VpcId": "vpc-1",
                "OwnerId": "111122223333",
                "Entries": [{"CidrBlock": "0.0.0.0/0", "Egress": e, "Protocol": "-1", "RuleAction": "deny",
                             "RuleNumber": 32767} for e in (True, False)]}
    text = json.dumps({"NetworkAcls": [deny_all]}, indent=4)
    try:
        aws.parse(text, "acls.json")
    except InputError as e:
        assert "acl-spare" in str(e) and "associated with a subnet" in str(e)
    else:
        raise AssertionError("an input whose ACLs filter nothing was audited")
    # beside a security group the group is audited, the spare ACL filtering nothing (as before)
    sg = {"GroupId": "sg-1", "GroupName": "prn", "Description": "", "OwnerId": "111122223333", "VpcId": "vpc-1",
          "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "IpRanges": [{"CidrIp": WS + "/32"}],
                             "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
          "IpPermissionsEgress": []}
    cfg = aws.parse(json.dumps({"SecurityGroups": [sg], "NetworkAcls": [deny_all]}, indent=4), "both.json")
    assert _decide(cfg, WS, SRV)["decision"] == "permit"


# --- AWS: customer-managed prefix lists whose entries the input gives --------------------------------------------
# VPC User Guide, "Group CIDR blocks using managed prefix lists" (https://docs.aws.amazon.com/vpc/latest/userguide/
# managed-prefix-lists.html): "A managed prefix list is a set of one or more CIDR blocks"; a security group rule
# that references one applies to its CIDR blocks.  The AWS provider's aws_ec2_managed_prefix_list (its `entry`
# blocks, `cidr`) and aws_ec2_managed_prefix_list_entry (`prefix_list_id`, `cidr`)
# (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_managed_prefix_list); CloudFormation's
# AWS::EC2::PrefixList (`Entries[].Cidr`; a rule's SourcePrefixListId as {"Ref": NAME}: "Ref returns the ID of the
# prefix list").  Before, a rule naming a list was unknown even with the list's entries in the same state or
# template; an AWS-managed list (com.amazonaws.REGION.s3) and a list not in the input stay unknown.

def _tf_res(typ: str, name: str, values: dict) -> dict:
    return {"address": "%s.%s" % (typ, name), "mode": "managed", "type": typ, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values}


def _tf_rule(name: str, port: int, pl: str) -> dict:
    return _tf_res("aws_vpc_security_group_ingress_rule", name, {
        "arn": "arn:aws:ec2:eu-west-1:111122223333:security-group-rule/sgr-" + name, "cidr_ipv4": None,
        "cidr_ipv6": None, "description": None, "from_port": port, "to_port": port, "id": "sgr-" + name,
        "ip_protocol": "tcp", "prefix_list_id": pl, "referenced_security_group_id": None,
        "security_group_id": "sg-0prn", "security_group_rule_id": "sgr-" + name, "tags": None, "tags_all": {}})


PL_STATE = [
    _tf_res("aws_ec2_managed_prefix_list", "workshop", {
        "address_family": "IPv4", "arn": "arn:aws:ec2:eu-west-1:111122223333:prefix-list/pl-0aaa",
        "entry": [{"cidr": "10.30.0.0/24", "description": "workshop A"}], "id": "pl-0aaa", "max_entries": 5,
        "name": "workshop", "owner_id": "111122223333", "tags": {}, "tags_all": {}, "version": 2}),
    _tf_res("aws_ec2_managed_prefix_list_entry", "workshop_b", {
        "cidr": "10.31.0.0/24", "description": "workshop B", "id": "pl-0aaa,10.31.0.0/24",
        "prefix_list_id": "pl-0aaa"}),
    _tf_res("aws_security_group", "prn", {
        "arn": "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0prn", "description": "Prinergy",
        "egress": [], "id": "sg-0prn", "ingress": [], "name": "prn", "owner_id": "111122223333",
        "revoke_rules_on_delete": False, "tags": {}, "tags_all": {}, "timeouts": None, "vpc_id": "vpc-1"}),
    _tf_rule("smb", 445, "pl-0aaa"),
    _tf_rule("https", 443, "pl-6da54004"),  # (AWS-managed: com.amazonaws.eu-west-1.s3, entries not in the input)
]


def test_aws_terraform_prefix_list_entries_are_the_rule_s_addresses():
    state = {"format_version": "1.0", "terraform_version": "1.7.5", "values": {"root_module": {"resources": PL_STATE}}}
    cfg = aws.parse(json.dumps(state, indent=2), "tf.json")
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    assert _decide(cfg, "10.31.0.9", SRV)["decision"] == "permit"  # (the entry resource's CIDR)
    assert _decide(cfg, "10.32.0.9", SRV)["decision"] == "deny"
    assert _decide(cfg, "10.32.0.9", SRV, dport=443)["decision"] == "unknown"
    # a plan whose list entries are known only after apply: unknown, reported
    plan = {"format_version": "1.2", "terraform_version": "1.7.5",
            "planned_values": {"root_module": {"resources": PL_STATE}},
            "resource_changes": [{"address": "aws_ec2_managed_prefix_list.workshop",
                                  "type": "aws_ec2_managed_prefix_list", "name": "workshop",
                                  "change": {"actions": ["update"],
                                             "after_unknown": {"entry": [{"cidr": True}], "version": True}}}]}
    cfg = aws.parse(json.dumps(plan, indent=2), "plan.json")
    assert _decide(cfg, WS, SRV)["decision"] == "unknown"


def test_aws_cloudformation_prefix_list_of_the_template():
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "WorkshopList": {"Type": "AWS::EC2::PrefixList", "Properties": {
            "PrefixListName": "workshop", "AddressFamily": "IPv4", "MaxEntries": 5,
            "Entries": [{"Cidr": "10.30.0.0/24", "Description": "workshop A"}]}},
        "PrnSG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "Prinergy", "VpcId": "vpc-1", "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "SourcePrefixListId": {"Ref": "WorkshopList"}},
                {"IpProtocol": "tcp", "FromPort": 139, "ToPort": 139,
                 "SourcePrefixListId": {"Fn::GetAtt": ["WorkshopList", "PrefixListId"]}},
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "SourcePrefixListId": "pl-0other"}]}}}}
    cfg = aws.parse(json.dumps(template, indent=2), "cfn.json")
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    assert _decide(cfg, WS, SRV, dport=139)["decision"] == "permit"
    assert _decide(cfg, "10.31.0.9", SRV)["decision"] == "deny"
    assert _decide(cfg, WS, SRV, dport=80)["decision"] == "unknown"


# --- AWS: a rule naming another security group, whose members the run gives ---------------------------------------
# VPC User Guide, "Security group rules", "Security group referencing": "When you specify a security group as the
# source for a rule, traffic is allowed from the network interfaces that are associated with the source security
# group ... Incoming traffic is allowed based on the private IP addresses of the network interfaces that are
# associated with the source security group (and not the public IP or Elastic IP addresses)".  `aws ec2
# describe-instances` gives each interface's Groups and addresses.  Before, such a rule was unknown for every
# packet even for a workstation the run lists with the referenced group; an interface the run does not list may be
# a member too, so other addresses stay unknown.

def _group(gid: str, ingress: list) -> dict:
    every = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [],
             "UserIdGroupPairs": []}
    return {"Description": gid, "GroupName": gid, "GroupId": gid, "OwnerId": "111122223333", "VpcId": "vpc-1",
            "IpPermissions": ingress, "IpPermissionsEgress": [every]}


def _from_group(port: int, gid: str) -> dict:
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [], "Ipv6Ranges": [],
            "PrefixListIds": [], "UserIdGroupPairs": [{"GroupId": gid, "UserId": "111122223333"}]}


def _instance(iid: str, ip: str, groups: list, public: str | None = None) -> dict:
    eni = {"NetworkInterfaceId": "eni-" + iid, "Groups": [{"GroupId": g, "GroupName": g} for g in groups],
           "PrivateIpAddress": ip, "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}]}
    inst = {"InstanceId": "i-" + iid, "PrivateIpAddress": ip, "NetworkInterfaces": [eni]}
    if public:
        eni["Association"] = {"PublicIp": public}
        inst["PublicIpAddress"] = public
    return inst


def _run(groups: list, instances: list) -> object:
    from auditor.api import combine_inputs

    sgs = aws.parse(json.dumps({"SecurityGroups": groups}, indent=4), "sgs.json")
    inst = aws.parse(json.dumps({"Reservations": [{"Instances": instances}]}, indent=4), "instances.json")
    return combine_inputs([sgs, inst])[0]


def test_aws_a_group_reference_matches_the_private_addresses_of_the_members_the_run_lists():
    cfg = _run([_group("sg-srv", [_from_group(445, "sg-ws")]), _group("sg-ws", [])],
               [_instance("srv", SRV, ["sg-srv"]), _instance("ws", WS, ["sg-ws"], public="54.1.2.3")])
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    assert _decide(cfg, WS, SRV, dport=139)["decision"] == "deny"
    # another address may be an interface the run does not list; a member's public address is no match for certain
    assert _decide(cfg, "10.30.0.6", SRV)["decision"] == "unknown"
    assert _decide(cfg, "54.1.2.3", SRV)["decision"] == "unknown"


def test_aws_a_group_reference_for_a_host_with_one_of_several_groups_is_permitted_only_if_every_group_permits():
    # the host is in no interface the run lists: it has one of the groups, not said which
    one = _run([_group("sg-a", [_from_group(445, "sg-ws")]), _group("sg-b", []), _group("sg-ws", [])],
               [_instance("ws", WS, ["sg-ws"])])
    assert _decide(one, WS, SRV)["decision"] == "unknown"
    both = _run([_group("sg-a", [_from_group(445, "sg-ws")]), _group("sg-b", [_from_group(445, "sg-ws")])],
                [_instance("ws", WS, ["sg-ws"])])
    assert _decide(both, WS, SRV)["decision"] == "permit"


def test_aws_cloudformation_source_group_members_of_the_template():
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "WsSG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "workshop", "VpcId": "vpc-1"}},
        "SrvSG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "servers", "VpcId": "vpc-1", "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445,
                 "SourceSecurityGroupId": {"Fn::GetAtt": ["WsSG", "GroupId"]}}]}},
        "Srv": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": "ami-1", "PrivateIpAddress": SRV, "SecurityGroupIds": [{"Ref": "SrvSG"}]}},
        "Ws": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": "ami-1", "PrivateIpAddress": WS, "SecurityGroupIds": [{"Ref": "WsSG"}]}}}}
    cfg = aws.parse(json.dumps(template, indent=2), "cfn.json")
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    assert _decide(cfg, "10.30.0.6", SRV)["decision"] == "unknown"


# --- Azure: an application security group whose members the run gives ---------------------------------------------
# Microsoft, "Application security groups" (https://learn.microsoft.com/azure/virtual-network/
# application-security-groups): "Application security groups enable you to configure network security as a natural
# extension of an application's structure, allowing you to group virtual machines and define network security
# policies based on those groups"; a network interface's IP configuration names its groups
# (`az network nic list`: ipConfigurations[].applicationSecurityGroups[].id, with its privateIPAddress).  Before, a
# rule naming a group was unknown for every packet even for an admin VM the run lists in the group.

def test_azure_an_application_security_group_matches_the_members_the_run_lists(tmp_path):
    from auditor.api import combine_inputs, load_inputs

    rid = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/"
    nsg = {"name": "prn-nsg", "id": rid + "networkSecurityGroups/prn-nsg", "location": "westeurope",
           "type": "Microsoft.Network/networkSecurityGroups", "securityRules": [
               {"name": "AllowRdpAdmins", "priority": 300, "direction": "Inbound", "access": "Allow",
                "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "3389",
                "destinationAddressPrefix": "*",
                "sourceApplicationSecurityGroups": [{"id": rid + "applicationSecurityGroups/admins"}]},
               {"name": "DenyAll", "priority": 4096, "direction": "Inbound", "access": "Deny", "protocol": "*",
                "sourcePortRange": "*", "destinationPortRange": "*", "sourceAddressPrefix": "*",
                "destinationAddressPrefix": "*"}]}
    nic = {"name": "adminvm-nic", "id": rid + "networkInterfaces/adminvm-nic", "networkSecurityGroup": None,
           "type": "Microsoft.Network/networkInterfaces", "ipConfigurations": [
               {"name": "ipconfig1", "privateIPAddress": "10.40.0.5", "privateIPAddressVersion": "IPv4",
                "applicationSecurityGroups": [{"id": rid + "applicationSecurityGroups/admins", "resourceGroup": "rg"}],
                "subnet": {"id": rid + "virtualNetworks/vnet/subnets/admin"}}]}
    (tmp_path / "nsg.json").write_text(json.dumps(nsg, indent=2))
    (tmp_path / "nics.json").write_text(json.dumps([nic], indent=2))
    cfg = combine_inputs(load_inputs(str(tmp_path / "nsg.json")) + load_inputs(str(tmp_path / "nics.json")))[0]
    assert _decide(cfg, "10.40.0.5", SRV, dport=3389)["decision"] == "permit"
    assert _decide(cfg, "10.40.0.6", SRV, dport=3389)["decision"] == "unknown"  # (a member it does not list?)
    assert _decide(cfg, "10.40.0.5", SRV, dport=3390)["decision"] == "deny"


# --- AWS: Terraform's instances and network interfaces say which groups the host has -----------------------------
# EC2 User Guide, "Amazon EC2 security groups for your EC2 instances": "the rules from all of the security groups
# associated with the instance are aggregated" (only those).  The AWS provider's aws_instance records its primary
# interface's groups (`vpc_security_group_ids`) and addresses (`private_ip`, `secondary_private_ips`,
# `ipv6_addresses`, `public_ip`); aws_network_interface its `security_groups` and `private_ips`;
# aws_network_interface_sg_attachment adds `security_group_id` to `network_interface_id`
# (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance, network_interface,
# network_interface_sg_attachment).  Before, a state with two groups left every flow only one of them permits
# unknown ("does not say which of them the audited host has"), though its aws_instance said.

def _tf_group(gid: str, port: int, cidr: str) -> dict:
    rule = {"cidr_blocks": [cidr], "description": "", "from_port": port, "to_port": port, "protocol": "tcp",
            "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}
    return _tf_res("aws_security_group", gid, {"id": gid, "name": gid, "description": gid, "vpc_id": "vpc-1",
                                               "ingress": [rule], "egress": []})


def _state(*resources: dict) -> str:
    return json.dumps({"format_version": "1.0", "terraform_version": "1.7.5",
                       "values": {"root_module": {"resources": list(resources)}}}, indent=2)


def test_aws_terraform_instance_groups_are_the_host_s():
    groups = (_tf_group("sg-srv", 445, "10.30.0.0/24"), _tf_group("sg-admin", 3389, "10.40.0.0/24"))
    cfg = aws.parse(_state(*groups, _tf_res("aws_instance", "prn", {
        "id": "i-0prn", "ami": "ami-1", "private_ip": SRV, "public_ip": "", "secondary_private_ips": [],
        "ipv6_addresses": [], "network_interface": [], "primary_network_interface_id": "eni-0prn",
        "security_groups": [], "vpc_security_group_ids": ["sg-srv"]})), "tf.json")
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    assert _decide(cfg, "10.40.0.5", SRV, dport=3389)["decision"] == "deny"  # (sg-admin is not the server's)
    # an interface resource and a group attached to it
    cfg = aws.parse(_state(*groups, _tf_res("aws_network_interface", "prn", {
        "id": "eni-0prn", "private_ip": SRV, "private_ips": [SRV], "ipv6_addresses": [],
        "security_groups": ["sg-srv"]}),
        _tf_res("aws_network_interface_sg_attachment", "admin", {
            "id": "sg-admin_eni-0prn", "network_interface_id": "eni-0prn", "security_group_id": "sg-admin"})),
        "tf.json")
    assert _decide(cfg, "10.40.0.5", SRV, dport=3389)["decision"] == "permit"
    assert _decide(cfg, WS, SRV, dport=3389)["decision"] == "deny"
    # a plan's instance whose groups are known only after apply: its address stays unknown
    cfg = aws.parse(_state(*groups, _tf_res("aws_instance", "prn", {
        "ami": "ami-1", "private_ip": SRV, "network_interface": [], "security_groups": []})), "tf.json")
    assert _decide(cfg, WS, SRV)["decision"] == "unknown"


# --- AWS Terraform: a plan that makes a group and its rule resources ----------------------------------------------
# Terraform's JSON output format (developer.hashicorp.com/terraform/internals/json-format): a plan's
# planned_values leave out the values known only after apply (a new group's `id`; its `ingress`/`egress`, which the
# AWS provider computes when the configuration sets no inline rule), and its `configuration` gives each
# expression's "references" ("aws_security_group.prn.id").  The AWS provider (aws_security_group): "Terraform will
# remove this default rule [AWS's allow-all egress]"; the group's rules are then those its rule resources add.
# Before, such a plan (the usual shape of a new deployment) made every verdict unknown: the rule resources'
# `security_group_id` "not named", the group's rules "known only after apply".

def _plan(configured_ingress: bool = False, count: int = 1) -> str:
    groups = [dict(_tf_res("aws_security_group", "prn", {"description": "Prinergy", "name": "prn%d" % i,
                                                        "revoke_rules_on_delete": False, "tags": None,
                                                        "timeouts": None, "vpc_id": "vpc-1"}),
                   address="aws_security_group.prn" + ("[%d]" % i if count > 1 else ""))
              for i in range(count)]
    rule = _tf_res("aws_vpc_security_group_ingress_rule", "smb", {
        "cidr_ipv4": "10.30.0.0/24", "cidr_ipv6": None, "description": None, "from_port": 445, "ip_protocol": "tcp",
        "prefix_list_id": None, "referenced_security_group_id": None, "tags": None, "to_port": 445})
    unknown = {"arn": True, "egress": True, "id": True, "ingress": True, "owner_id": True, "tags_all": True}
    group_conf = {"description": {"constant_value": "Prinergy"}, "vpc_id": {"constant_value": "vpc-1"}}
    if configured_ingress:
        group_conf["ingress"] = {"references": ["var.ingress"]}
    changes = [{"address": g["address"], "mode": "managed", "type": "aws_security_group", "name": "prn",
                "change": {"actions": ["create"], "after_unknown": unknown}} for g in groups]
    changes.append({"address": "aws_vpc_security_group_ingress_rule.smb", "mode": "managed",
                    "type": "aws_vpc_security_group_ingress_rule", "name": "smb",
                    "change": {"actions": ["create"], "after_unknown": {"arn": True, "id": True,
                                                                         "security_group_id": True,
                                                                         "security_group_rule_id": True}}})
    conf = {"root_module": {"resources": [
        {"address": "aws_security_group.prn", "mode": "managed", "type": "aws_security_group", "name": "prn",
         "expressions": group_conf},
        {"address": "aws_vpc_security_group_ingress_rule.smb", "mode": "managed",
         "type": "aws_vpc_security_group_ingress_rule", "name": "smb", "expressions": {
             "cidr_ipv4": {"constant_value": "10.30.0.0/24"}, "from_port": {"constant_value": 445},
             "to_port": {"constant_value": 445}, "ip_protocol": {"constant_value": "tcp"},
             "security_group_id": {"references": ["aws_security_group.prn[0].id", "aws_security_group.prn[0]",
                                                  "aws_security_group.prn"] if count > 1 else
                                   ["aws_security_group.prn.id", "aws_security_group.prn"]}}}]}}
    return json.dumps({"format_version": "1.2", "terraform_version": "1.7.5",
                       "planned_values": {"root_module": {"resources": groups + [rule]}},
                       "resource_changes": changes, "configuration": conf}, indent=2)


def test_aws_terraform_plan_of_a_new_group_and_its_rule_resources():
    cfg = aws.parse(_plan(), "plan.json")
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    assert _decide(cfg, WS, SRV, dport=139)["decision"] == "deny"
    assert _decide(cfg, SRV, WS, dport=80, host=SRV)["decision"] == "deny"  # (no egress rule: Terraform removes it)
    # inline rules the configuration sets but the plan knows only after apply: unknown, as before
    assert _decide(aws.parse(_plan(configured_ingress=True), "plan.json"), WS, SRV)["decision"] == "unknown"
    # a reference that may be either of two groups (count): the rule's group is not told, unknown
    assert _decide(aws.parse(_plan(count=2), "plan.json"), WS, SRV)["decision"] == "unknown"


# --- AWS Terraform: rule resources of a group the input does not hold ---------------------------------------------
# A group managed in another configuration (or by hand) may have any other rule: the aws_security_group_rule /
# aws_vpc_security_group_ingress_rule resources of a state are some of its rules, not all (as an
# aws_network_acl_rule is one entry of its ACL: docs/vendors/cloud-and-windows.md).  Before, the group's inbound
# rules were taken as exactly those resources: RDP from the internet "denied" (PRN150 silent, a wrong pass) where the
# group's other rules may allow it.

def test_aws_terraform_rule_resources_of_a_group_not_in_the_input_leave_its_other_rules_unknown():
    cfg = aws.parse(_state(_tf_res("aws_security_group_rule", "smb", {
        "id": "sgrule-1", "type": "ingress", "security_group_id": "sg-ext", "protocol": "tcp", "from_port": 445,
        "to_port": 445, "cidr_blocks": ["10.30.0.0/24"], "ipv6_cidr_blocks": None, "prefix_list_ids": None,
        "self": False, "source_security_group_id": None, "description": None})), "tf.json")
    assert _decide(cfg, WS, SRV)["decision"] == "permit"
    d = _decide(cfg, "198.51.100.7", SRV, dport=3389)
    assert d["decision"] == "unknown" and d["line"] == 7
    assert _decide(cfg, SRV, "198.51.100.7", dport=80)["decision"] == "unknown"


def test_azure_arm_template_application_security_group_members_by_resource_id():
    asg = "[resourceId('Microsoft.Network/applicationSecurityGroups', 'admins')]"
    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Network/applicationSecurityGroups", "apiVersion": "2023-04-01", "name": "admins",
         "location": "westeurope", "properties": {}},
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "prn-nsg",
         "location": "westeurope", "properties": {"securityRules": [
             {"name": "AllowRdpAdmins", "properties": {
                 "priority": 300, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                 "sourcePortRange": "*", "destinationPortRange": "3389", "destinationAddressPrefix": "*",
                 "sourceApplicationSecurityGroups": [{"id": asg}]}}]}},
        {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-04-01", "name": "adminvm-nic",
         "location": "westeurope", "properties": {"ipConfigurations": [
             {"name": "ipconfig1", "properties": {
                 "privateIPAllocationMethod": "Static", "privateIPAddress": "10.40.0.5",
                 "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'admin')]"},
                 "applicationSecurityGroups": [{"id": asg}]}}]}}]}
    from parsers import azure_nsg

    cfg = azure_nsg.parse(json.dumps(template, indent=2), "azuredeploy.json")
    assert _decide(cfg, "10.40.0.5", SRV, dport=3389)["decision"] == "permit"
    assert _decide(cfg, "10.40.0.6", SRV, dport=3389)["decision"] == "unknown"

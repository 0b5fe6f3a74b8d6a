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

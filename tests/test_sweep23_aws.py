"""AWS shapes found by running Batfish's AWS test data through the auditor (session 23), each a small synthetic
input checked against the AWS document cited in its test."""

from __future__ import annotations

import json
from dataclasses import replace

from auditor.api import explain
from auditor.core.packets import ISet, addr_to_int
from parsers import aws

SRV = "10.2.0.10"


def _decide(cfg, src: str, dst: str, proto: str, dport: int) -> str:
    cfg = replace(cfg, local_addresses=ISet.of(addr_to_int(SRV)))
    return explain(cfg, src, dst, proto, 40000 if proto in ("tcp", "udp") else None, dport)["decision"]


# --- an ICMP permission for every type but one code ------------------------------------------------------------
# AWS, EC2 API Reference, IpPermission (FromPort / ToPort): "If the protocol is ICMP or ICMPv6, this is the type
# number. A value of -1 indicates all ICMP/ICMPv6 types. If you specify all ICMP/ICMPv6 types, you must specify all
# ICMP/ICMPv6 codes." A permission with FromPort -1 and ToPort 9 is one AWS refuses (Batfish's SecurityGroupsTest
# testIcmpInvalidCodeOnly, on its SecurityGroupTest.json, makes it match nothing and warns). Before, it was read as
# "every ICMP message" for certain: a sure permit of an echo request to the server. Now the permission is reported
# (CFG300) and what it may match is unknown.

def _sg(*perms: dict) -> str:
    return json.dumps({"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "IpPermissions": list(perms),
                                           "IpPermissionsEgress": []}]}, indent=1)


def _icmp(lo: int, hi: int) -> dict:
    return {"IpProtocol": "icmp", "FromPort": lo, "ToPort": hi, "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}


def test_every_icmp_type_with_one_code_is_unknown_not_every_icmp_message():
    cfg = aws.parse(_sg(_icmp(-1, 9)), "sg.json")
    assert _decide(cfg, "192.0.2.1", SRV, "icmp", 8 * 256) == "unknown"
    (d,) = [d for d in cfg.diagnostics if d.code == "CFG300"]
    assert "every type" in d.message and d.source.text.strip() == '"IpProtocol": "icmp",'  # (its permission)
    # the valid forms are exact, as before: every type and code; one type, every code; one type and code
    assert _decide(aws.parse(_sg(_icmp(-1, -1)), "sg.json"), "192.0.2.1", SRV, "icmp", 3 * 256 + 1) == "permit"
    one = aws.parse(_sg(_icmp(8, -1)), "sg.json")
    assert _decide(one, "192.0.2.1", SRV, "icmp", 8 * 256) == "permit"
    assert _decide(one, "192.0.2.1", SRV, "icmp", 13 * 256) == "deny"
    code = aws.parse(_sg(_icmp(8, 9)), "sg.json")
    assert _decide(code, "192.0.2.1", SRV, "icmp", 8 * 256 + 9) == "permit"
    assert _decide(code, "192.0.2.1", SRV, "icmp", 8 * 256) == "deny"
    assert not [d for d in one.diagnostics + code.diagnostics if d.code == "CFG300"]


def test_a_network_acl_entry_for_every_icmp_type_with_one_code_is_unknown():
    # AWS, EC2 API Reference, IcmpTypeCode: "Type ... A value of -1 means all types"; "Code ... A value of -1
    # means all codes for the specified ICMP type": what one code of every type means is not documented, so an
    # allow entry of that shape is unknown rather than every ICMP message.
    acl = {"NetworkAcls": [{"NetworkAclId": "acl-1", "Associations": [{"SubnetId": "subnet-1"}], "Entries": [
        {"CidrBlock": "0.0.0.0/0", "Egress": False, "Protocol": "1", "IcmpTypeCode": {"Type": -1, "Code": 9},
         "RuleAction": "allow", "RuleNumber": 100},
        {"CidrBlock": "0.0.0.0/0", "Egress": True, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100}]}]}
    cfg = aws.parse(json.dumps(acl, indent=1), "acl.json")
    assert _decide(cfg, "192.0.2.1", SRV, "icmp", 8 * 256) == "unknown"


# --- a group listed twice -----------------------------------------------------------------------------------------
# Batfish's SecurityGroupTest.json lists sg-0de0ddfa8a5a12348 three times (three test cases under one id). An AWS
# export lists a group once (DescribeSecurityGroups, EC2 API Reference: one SecurityGroup per group, identified by its
# GroupId); twice means two exports pasted together, and which listing holds the group's rules now is not known.
# Before, the later listing silently replaced the earlier one: a group whose first listing opened SMB to the
# internet and whose second opened only SSH to the workshop gave "deny" for SMB from the internet (the exposure
# unseen). Now each listing is kept, reported, and its rules are unknown.

def test_a_group_listed_twice_is_reported_and_its_rules_unknown():
    def grp(*perms):
        return {"GroupId": "sg-1", "GroupName": "g", "IpPermissions": list(perms), "IpPermissionsEgress": []}

    def tcp(port, cidr):
        return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}],
                "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}

    text = json.dumps({"SecurityGroups": [grp(tcp(445, "0.0.0.0/0")), grp(tcp(22, "10.1.0.0/16"))]}, indent=1)
    cfg = aws.parse(text, "sg.json")
    assert _decide(cfg, "192.0.2.1", SRV, "tcp", 445) == "unknown"
    assert _decide(cfg, "10.1.0.5", SRV, "tcp", 22) == "unknown"
    assert _decide(cfg, "10.1.0.5", SRV, "tcp", 80) == "deny"  # (what no listing names: denied, for certain)
    assert len([d for d in cfg.diagnostics if "is listed 2 times" in d.message]) == 2
    # one listing: exact, as before
    one = aws.parse(json.dumps({"SecurityGroups": [grp(tcp(445, "0.0.0.0/0"))]}, indent=1), "sg.json")
    assert _decide(one, "192.0.2.1", SRV, "tcp", 445) == "permit" and not one.diagnostics

"""Session 30, real inputs (pfSense/OPNsense, Check Point, Linux, cloud, Windows): shapes real exports have.

Expected values are written from the vendors' documents named at each test, not taken from the tool."""

from __future__ import annotations

import json

from auditor.api import explain
from parsers import aws

HOST = "10.9.9.9"


def _decide(cfg, src, dst, proto="tcp", dport=0):
    return explain(cfg, src, dst, proto, 1024, dport)["decision"]


def test_aws_null_lists_are_empty_not_unknown():
    # A tool built on the AWS SDK for Go writes an absent list member of an IpPermission as JSON null
    # (encoding/json writes a nil slice so). The EC2 API Reference, IpPermission: IpRanges, Ipv6Ranges,
    # PrefixListIds, UserIdGroupPairs are "Required: No"; absent is no entry. So a rule of null lists but one
    # CIDR allows that CIDR and nothing else, and nothing is reported as not understood.
    g = {"GroupId": "sg-1", "GroupName": "prinergy", "OwnerId": "286536233385", "VpcId": "vpc-1", "Tags": None,
         "IpPermissions": [
             {"FromPort": 445, "ToPort": 445, "IpProtocol": "tcp",
              "IpRanges": [{"CidrIp": "10.1.0.0/24", "Description": None}],
              "Ipv6Ranges": None, "PrefixListIds": None, "UserIdGroupPairs": None}],
         "IpPermissionsEgress": [
             {"FromPort": None, "ToPort": None, "IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
              "Ipv6Ranges": None, "PrefixListIds": None, "UserIdGroupPairs": None}]}
    cfg = aws.parse(json.dumps({"SecurityGroups": [g]}, indent=2), "sg.json")
    assert [d.message for d in cfg.unrecognized] == []
    assert _decide(cfg, "10.1.0.5", HOST, dport=445) == "permit"
    # security groups are allow-lists: what no rule allows is denied (EC2 User Guide, "Security group rules")
    assert _decide(cfg, "10.7.0.5", HOST, dport=445) == "deny"
    assert _decide(cfg, "10.1.0.5", HOST, dport=80) == "deny"


def test_aws_null_group_pairs_beside_a_reference_still_report_the_reference():
    # null is "no entry" only: a real UserIdGroupPairs entry (the default group's self reference) stays unknown
    # (its members' addresses are not in the input), and no "prefix list ?" appears for the null PrefixListIds.
    g = {"GroupId": "sg-c823c2a1", "GroupName": "default", "IpPermissions": [
        {"FromPort": 0, "ToPort": 65535, "IpProtocol": "tcp", "IpRanges": None, "Ipv6Ranges": None,
         "PrefixListIds": None,
         "UserIdGroupPairs": [{"GroupId": "sg-c823c2a1", "GroupName": "default", "UserId": "286536233385"}]}],
        "IpPermissionsEgress": []}
    cfg = aws.parse(json.dumps({"SecurityGroups": [g]}, indent=2), "sg.json")
    msgs = [d.message for d in cfg.unrecognized]
    assert len(msgs) == 1 and "sg-c823c2a1" in msgs[0] and "?" not in msgs[0]
    assert _decide(cfg, "10.7.0.5", HOST, dport=445) == "unknown"
    assert _decide(cfg, "10.7.0.5", HOST, proto="udp", dport=53) == "deny"


def test_nft_xt_extension_is_named_with_the_dump_that_shows_it():
    # nft prints an x_tables extension that iptables-nft added as 'xt match "NAME"' / 'xt target "NAME"', without
    # its options (nftables src/xt.c, xt_stmt_print): the rule cannot be read from this output; iptables-save
    # (iptables-nft-save) prints it whole. The report names the extension and that command.
    from parsers.linux import nftables

    text = """# Warning: table ip filter is managed by iptables-nft, do not touch!
table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy drop;
		ip saddr 10.1.0.0/24 meta l4proto tcp xt match "multiport" counter packets 0 bytes 0 accept
		meta l4proto tcp tcp dport 22 counter packets 0 bytes 0 xt target "REJECT"
		meta l4proto tcp tcp dport 23 counter packets 0 bytes 0 accept
	}
}
"""
    cfg = nftables.parse(text, "ipt.nft")
    msgs = [d.message for d in cfg.unrecognized]
    assert len(msgs) == 2
    assert 'xt match "multiport"' in msgs[0] and "iptables-save" in msgs[0]
    assert 'xt target "REJECT"' in msgs[1] and "iptables-save" in msgs[1]
    # the match's rule keeps its verdict (accept): what it does not accept goes on to the policy (drop)
    assert _decide(cfg, "10.1.0.5", HOST, dport=445) == "unknown"
    assert _decide(cfg, "10.7.0.5", HOST, dport=445) == "deny"
    # the target may be a verdict: its packets are unknown, not passed on to the accept of port 23
    assert _decide(cfg, "10.7.0.5", HOST, dport=22) == "unknown"
    assert _decide(cfg, "10.7.0.5", HOST, dport=23) == "permit"

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


# --- real inputs copied from public repositories (tests/fixtures/real2/PROVENANCE.md) ---

def _fixture(name: str) -> str:
    from pathlib import Path

    return str(Path(__file__).parent / "fixtures" / "real2" / name)


def test_real_aws_groups_with_describe_instances():
    # batfish's VPC-peering snapshot: describe-security-groups (bat_sg, default) with describe-instances
    # (Reservations: instance 10.1.1.100 has bat_sg only). AWS applies only the groups associated with the
    # instance's network interface (EC2 User Guide, "Security groups for your VPC"); a group is an allow-list.
    from auditor.api import combine_inputs, load_config

    cfgs = combine_inputs([load_config(_fixture("bf-vpcpeer-SecurityGroups.json")),
                           load_config(_fixture("bf-vpcpeer-Reservations.json"))])
    assert len(cfgs) == 1
    cfg = cfgs[0]
    msgs = [d.message for d in cfg.unrecognized]
    # the default group's self reference (its members' addresses are not in the input) and which of the two
    # groups a host other than the instance has
    assert len(msgs) == 2 and any("sg-0ffc7b9e504929f9b" in m for m in msgs)
    assert _decide(cfg, "198.51.100.7", "10.1.1.100", dport=22) == "permit"  # SSH Access 0.0.0.0/0
    assert _decide(cfg, "198.51.100.7", "10.1.1.100", proto="udp", dport=33434) == "permit"  # traceroute
    assert _decide(cfg, "10.1.0.5", "10.1.1.100", dport=445) == "deny"  # no rule of bat_sg allows it


def test_real_azure_nsg_resource_form():
    # batfish's test-nsg: an NSG in the REST resource form ('properties'). Rules are processed by priority, lower
    # first, and processing stops at the first match (Microsoft Learn, "How network security groups filter
    # network traffic"); the default AllowVnetInBound's VirtualNetwork tag is not in the input.
    from auditor.api import load_config

    cfg = load_config(_fixture("bf-test-nsg-vm2.json"))
    assert cfg.vendor == "azure-nsg"
    assert len(cfg.unrecognized) == 5
    # AllowCidrBlockSSHInbound has priority 5: "a number between 100 and 4096" (Microsoft Learn, "Network security
    # groups", Security rules): Azure refuses it (a template holding it does not deploy), so what the NSG holds is
    # not this export: its first rule makes every inbound packet unknown, never a pass or a certain deny
    assert any("priority 5" in d.message for d in cfg.unrecognized)
    for port in (22, 8080, 445):
        assert _decide(cfg, "198.51.100.7", "10.0.0.4", dport=port) == "unknown"
    # outbound, from the host the NSG guards (--host): BlockCloudflareDns (priority 100) denies udp 53 to 1.1.1.1,
    # first match; other DNS servers meet the default AllowInternetOutBound, whose Internet tag is not in the input
    from auditor.api import combine_inputs

    (host,) = combine_inputs([cfg], host="10.0.0.4")
    assert _decide(host, "10.0.0.4", "1.1.1.1", proto="udp", dport=53) == "deny"
    assert _decide(host, "10.0.0.4", "8.8.8.8", proto="udp", dport=53) == "unknown"


def test_real_iptables_save_without_forward_line():
    # batfish's unit-test dump (iptables-save v1.4.7, FORWARD's line removed): INPUT's policy ACCEPT decides
    # what no rule matches (iptables(8): the policy is the target of a packet no rule of a built-in chain decides)
    from auditor.api import load_config

    cfg = load_config(_fixture("bf-unit-tests-host1.iptables"))
    assert cfg.vendor == "iptables" and cfg.unrecognized == ()
    d = explain(cfg, "1.2.3.4", HOST, "tcp", 1024, 22)
    assert d["decision"] == "permit" and d["line"] == 16
    assert _decide(cfg, "10.1.0.5", HOST, dport=445) == "permit"  # the policy


def test_real_opnsense_config_without_lan_rules():
    # OPNsense's own test config: LAN and OPT1 with static addresses and no filter rule but an empty <rule/>,
    # which OPNsense skips (not an array: filter.lib.inc). Without a pass rule, the default 'block in' denies
    # (OPNsense manual, Firewall > Rules: "traffic ... is blocked by default").
    from auditor.api import load_config

    cfg = load_config(_fixture("opnsense-service-tests-config.xml"))
    assert cfg.vendor == "opnsense"
    msgs = [d.message for d in cfg.unrecognized]
    assert len(msgs) == 1 and "no interface" in msgs[0]
    assert _decide(cfg, "10.211.55.5", "10.211.56.10", dport=445) == "deny"


def test_real2_fixtures_each_have_a_provenance_row():
    from pathlib import Path

    d = Path(__file__).parent / "fixtures" / "real2"
    prov = (d / "PROVENANCE.md").read_text()
    for p in d.iterdir():
        if p.name != "PROVENANCE.md":
            assert "| %s |" % p.name in prov, p.name


def _sgr(rid, egress, cidr4=None, ports=(445, 445), proto="tcp", **more):
    # describe-security-group-rules as a tool built on the AWS SDK for Go writes it: every absent member null
    r = {"CidrIpv4": cidr4, "CidrIpv6": None, "Description": None, "FromPort": ports[0], "GroupId": "sg-1",
         "GroupOwnerId": "123456789012", "IpProtocol": proto, "IsEgress": egress, "PrefixListId": None,
         "ReferencedGroupInfo": None, "SecurityGroupRuleArn": None, "SecurityGroupRuleId": rid, "Tags": None,
         "ToPort": ports[1]}
    r.update(more)
    return r


def test_aws_security_group_rules_with_null_members():
    # EC2 API Reference, SecurityGroupRule: CidrIpv4, CidrIpv6, PrefixListId, ReferencedGroupInfo are optional
    # ("Required: No"); a rule names one of them. null is an absent member, not an unknown key.
    text = json.dumps({"SecurityGroupRules": [
        _sgr("sgr-1", False, "10.1.0.0/24"),
        _sgr("sgr-2", True, "0.0.0.0/0", ports=(-1, -1), proto="-1")]}, indent=2)
    cfg = aws.parse(text, "sgr.json")
    assert [d.message for d in cfg.unrecognized] == []
    assert _decide(cfg, "10.1.0.5", HOST, dport=445) == "permit"
    assert _decide(cfg, "10.1.0.5", HOST, dport=80) == "deny"  # allow-list


def test_aws_security_group_rule_without_a_peer_is_unknown_not_nothing():
    # a rule with no CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo is not one AWS returns: what it
    # allows is not in the input, so its group's verdicts stay unknown where it could allow (never a deny)
    text = json.dumps({"SecurityGroupRules": [_sgr("sgr-1", False, None)]}, indent=2)
    cfg = aws.parse(text, "sgr.json")
    msgs = [d.message for d in cfg.unrecognized]
    assert len(msgs) == 1 and "sgr-1" in msgs[0]
    assert _decide(cfg, "10.1.0.5", HOST, dport=445) == "unknown"


def test_firewall_cmd_list_all_is_named_with_what_to_give(tmp_path):
    # firewall-cmd(1), --list-all: "List everything added or enabled in zone": one zone's settings, not the
    # rules firewalld generated (nftables or iptables backend); the error names it and the dumps to give
    import pytest

    from auditor.api import load_config
    from parsers import InputError

    p = tmp_path / "fw.txt"
    p.write_text("public (active)\n  target: default\n  icmp-block-inversion: no\n  interfaces: eth0\n"
                 "  sources: \n  services: cockpit dhcpv6-client ssh\n  ports: 445/tcp\n  protocols: \n"
                 "  forward: yes\n  masquerade: no\n  forward-ports: \n  source-ports: \n  icmp-blocks: \n"
                 "  rich rules: \n")
    with pytest.raises(InputError) as e:
        load_config(str(p))
    assert "firewall-cmd --list-all" in str(e.value) and "nft list ruleset" in str(e.value)
    assert "iptables-save" in str(e.value)


def test_checkpoint_layers_without_show_package_message_reads():
    # three layers without show-package: the note says they "are among the package's ordered layers" (the text
    # said "are among of")
    from pathlib import Path

    from auditor.api import combine_inputs, load_config

    path = Path(__file__).parent / "fixtures" / "corpus" / "checkpoint" / "bf-standard-show-access-rulebase.json"
    cfgs = combine_inputs([load_config(str(path))])
    msgs = [d.message for c in cfgs for d in c.unrecognized if "show-package" in d.message]
    assert msgs and "are among the package's ordered layers" in msgs[0] and "among of" not in msgs[0]

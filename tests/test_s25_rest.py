"""Session 25 red-team of Check Point, nftables, AWS, Azure and Windows Firewall inputs: realistic shapes the
tool read wrongly or could not name."""

from __future__ import annotations

import pytest
from test_formats import cli


def one_line(err: str) -> str:
    assert err.strip().count("\n") == 0, err
    return err.strip()


# `netsh advfirewall export FILE.wfw` writes the policy as a registry hive, whose base block starts with the
# signature "regf" (github.com/msuhanov/regf, "Windows registry file format specification", "Base block";
# learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-advfirewall, "export"); a Group Policy
# backup's Registry.pol starts with "PReg" and the version 1 (learn.microsoft.com/previous-versions/windows/desktop/
# policy/registry-policy-file-format).  Both are binary: one line naming what the file is and what to give instead.
@pytest.mark.parametrize("name,data,what", [
    ("firewall.wfw", b"regf\x2a\x00\x00\x00\x2a\x00\x00\x00" + b"\x00" * 500, "registry hive"),
    ("Registry.pol", b"PReg\x01\x00\x00\x00[\x00S\x00o\x00f\x00t\x00" + b"\x00" * 100, "Registry.pol"),
])
def test_a_binary_windows_firewall_export_is_named_with_what_to_give(tmp_path, name, data, what):
    f = tmp_path / name
    f.write_bytes(data)
    code, _out, err = cli("audit", str(f), "--role", "primary=10.20.0.10")
    err = one_line(err)
    assert code == 2 and "is binary" in err and what in err
    assert "Show-NetFirewallRule -PolicyStore ActiveStore" in err and "Get-NetFirewallProfile" in err


def test_other_binary_input_keeps_the_plain_message(tmp_path):
    f = tmp_path / "fw.bin"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4)
    code, _out, err = cli("audit", str(f), "--role", "primary=10.20.0.10")
    assert code == 2 and one_line(err).endswith("is binary, not a text configuration")


# --- Terraform's JSON: `terraform show -json` of a state or a plan, and terraform.tfstate ---------------------------
# The format: developer.hashicorp.com/terraform/internals/json-format ("values" of a state, "planned_values" of a
# plan, each a "root_module" with "resources" and "child_modules"; "resource_changes[].change.after_unknown": the
# values known only after apply, left out of planned_values).  The attributes: the AWS provider's resources
# (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group: ingress/egress blocks with
# protocol, from_port, to_port, cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, security_groups, self; "When
# creating a new Security Group inside a VPC, Terraform will remove this default rule [ALLOW ALL egress]";
# .../vpc_security_group_ingress_rule: ip_protocol, cidr_ipv4, from_port, to_port, security_group_id).

import json  # noqa: E402

from parsers import parse_text  # noqa: E402


def _tf_state(resources: list, child: list | None = None, key: str = "values") -> str:
    module = {"resources": resources}
    if child:
        module["child_modules"] = [{"address": "module.net", "resources": child}]
    return json.dumps({"format_version": "1.0", "terraform_version": "1.5.7", key: {"root_module": module}},
                      indent=2)


def _sg(gid: str, ingress: list, egress: list | None = None, rtype: str = "aws_security_group") -> dict:
    return {"address": "%s.%s" % (rtype, gid), "mode": "managed", "type": rtype, "name": gid,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "values": {"id": gid, "name": gid, "description": "Managed by Terraform", "vpc_id": "vpc-1",
                       "ingress": ingress, "egress": egress if egress is not None else [], "tags": {}}}


def _block(proto: str, lo: int, hi: int, cidrs=(), **kw) -> dict:
    b = {"cidr_blocks": list(cidrs), "description": "", "from_port": lo, "ipv6_cidr_blocks": [],
         "prefix_list_ids": [], "protocol": proto, "security_groups": [], "self": False, "to_port": hi}
    b.update(kw)
    return b


def _decide(text: str, src: str, dst: str, proto: str, dport: int, tmp_path) -> str:
    """`explain`'s verdict for one packet, the input being the host firewall of 10.20.0.10."""
    f = tmp_path / "input.json"
    f.write_text(text)
    _code, out, err = cli("explain", str(f), "--host", "10.20.0.10", "--src", src, "--dst", dst, "--proto", proto,
                          "--dport", str(dport))
    return out.splitlines()[1].split(":")[0].split()[0].lower()


def test_terraform_show_json_state_security_group_is_read(tmp_path):
    text = _tf_state([_sg("sg-1", [_block("tcp", 445, 445, ["10.30.0.0/24"])],
                          [_block("-1", 0, 0, ["0.0.0.0/0"])])])
    assert parse_text(text, "state.json").vendor == "aws"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "permit"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 446, tmp_path) == "deny"
    assert _decide(text, "10.40.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "deny"
    # protocol "-1" with from_port = to_port = 0 is every protocol and port (the provider's docs)
    assert _decide(text, "10.20.0.10", "192.0.2.1", "udp", 53, tmp_path) == "permit"


def test_terraform_empty_egress_allows_nothing_out_and_self_is_unknown(tmp_path):
    text = _tf_state([_sg("sg-1", [_block("tcp", 445, 445, self=True)], [])])
    # `self = true`: the group's own members, whose addresses the input does not hold
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "unknown"
    assert _decide(text, "10.20.0.10", "192.0.2.1", "tcp", 443, tmp_path) == "deny"


def test_terraform_rule_resources_in_a_child_module_join_their_group(tmp_path):
    rule = {"address": "module.net.aws_vpc_security_group_ingress_rule.smb", "mode": "managed",
            "type": "aws_vpc_security_group_ingress_rule", "name": "smb",
            "values": {"security_group_id": "sg-1", "ip_protocol": "tcp", "from_port": 445, "to_port": 445,
                       "cidr_ipv4": "10.30.0.0/24", "cidr_ipv6": None, "prefix_list_id": None,
                       "referenced_security_group_id": None, "description": None, "tags": None, "id": "sgr-1",
                       "arn": "arn:aws:ec2:::security-group-rule/sgr-1", "security_group_rule_id": "sgr-1"}}
    old = {"address": "aws_security_group_rule.oracle", "mode": "managed", "type": "aws_security_group_rule",
           "name": "oracle", "values": {"type": "ingress", "security_group_id": "sg-1", "protocol": "tcp",
                                         "from_port": 1521, "to_port": 1521, "cidr_blocks": ["10.30.0.0/24"],
                                         "ipv6_cidr_blocks": None, "prefix_list_ids": [], "self": False,
                                         "source_security_group_id": None, "description": None, "id": "sgrule-1"}}
    text = _tf_state([_sg("sg-1", [], [_block("-1", 0, 0, ["0.0.0.0/0"])]), old], child=[rule])
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "permit"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 1521, tmp_path) == "permit"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 80, tmp_path) == "deny"


def test_terraform_tfstate_file_is_read(tmp_path):
    state = {"version": 4, "terraform_version": "1.5.7", "serial": 3, "lineage": "x", "outputs": {},
             "resources": [{"mode": "managed", "type": "aws_security_group", "name": "srv",
                            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                            "instances": [{"schema_version": 1, "attributes": _sg("sg-9", [
                                _block("tcp", 445, 445, ["10.30.0.0/24"])])["values"]}]}]}
    text = json.dumps(state, indent=2)
    assert parse_text(text, "terraform.tfstate").vendor == "aws"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "permit"


def test_terraform_plan_values_known_only_after_apply_are_unknown_never_a_deny_or_pass(tmp_path):
    # the plan leaves out of planned_values what is known only after apply (here the addresses of the rule,
    # taken from another resource): the rule's packets are not decided from what is left
    block = _block("tcp", 445, 445)
    del block["cidr_blocks"]
    plan = json.loads(_tf_state([_sg("sg-1", [block], [_block("-1", 0, 0, ["0.0.0.0/0"])])], key="planned_values"))
    plan["resource_changes"] = [{"address": "aws_security_group.sg-1", "mode": "managed",
                                 "type": "aws_security_group", "name": "sg-1",
                                 "change": {"actions": ["create"], "before": None, "after": {},
                                            "after_unknown": {"id": True, "arn": True,
                                                              "ingress": [{"cidr_blocks": True}]}}}]
    text = json.dumps(plan, indent=2)
    cfg = parse_text(text, "plan.json")
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "unknown"
    assert any("after apply" in d.message for d in cfg.diagnostics)


def test_terraform_network_acl_of_no_subnet_in_the_state_makes_verdicts_unknown(tmp_path):
    # (session 27 reads aws_network_acl; this one's subnets are not in the state: the host may be behind
    # another ACL, the VPC's default one, which the state need not hold)
    acl = {"address": "aws_network_acl.main", "mode": "managed", "type": "aws_network_acl", "name": "main",
           "values": {"id": "acl-1", "ingress": [], "egress": []}}
    text = _tf_state([_sg("sg-1", [_block("tcp", 445, 445, ["10.30.0.0/24"])]), acl])
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "unknown"


@pytest.mark.parametrize("text,needle", [
    ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n'
     '    Properties:\n      GroupDescription: x\n', "CloudFormation template in YAML"),
    ('{"format_version": "1.0", "terraform_version": "1.5.7", "values": {"root_module": {"resources": [{"type": '
     '"google_compute_firewall", "mode": "managed", "values": {}}]}}}\n', "Terraform state or plan JSON"),
])
def test_cloud_templates_not_read_are_named(tmp_path, text, needle):
    f = tmp_path / "input.txt"
    f.write_text(text)
    code, _out, err = cli("audit", str(f), "--role", "primary=10.20.0.10")
    assert code == 2 and needle in one_line(err)


# --- Check Point: the VPN column's All_GwToGw is not Any ---------------------------------------------------------
# "VPN: The VPN Community to which the rule applies" (sc1.checkpoint.com/documents/R82/WebAdminGuides/EN/
# CP_R82_SecurityManagement_AdminGuide, "The Columns of the Access Control Rule Base"); All_GwToGw is the built-in
# choice "connections between gateways of any site-to-site community": a rule with it matches only such
# connections, which the export does not tell apart, whatever type the object dictionary gives it.
def test_checkpoint_vpn_cell_all_gw_to_gw_is_not_any():
    import sys

    sys.path.insert(0, "tests/checkpoint")
    from cp_helpers import decide, host, layer, network, obj, parse, rule, tcp

    srv, ws, smb = host("srv", "10.20.0.10"), network("ws", "10.30.0.0", 24), tcp("smb", "445")
    gw2gw = obj("CpmiAnyObject", "All_GwToGw")
    reply = layer("Network", [rule("site to site", [ws], [srv], [smb], vpn=[gw2gw["uid"]]),
                              rule("cleanup", action="Drop")], [srv, ws, smb, gw2gw])
    assert decide(parse(reply), "10.30.0.5", "10.20.0.10") == "unknown"
    # the predefined Any, by its uid or by its name, still matches every connection
    anyobj = obj("CpmiAnyObject", "Any")
    reply = layer("Network", [rule("any vpn", [ws], [srv], [smb], vpn=[anyobj["uid"]]),
                              rule("cleanup", action="Drop")], [srv, ws, smb, anyobj])
    assert decide(parse(reply), "10.30.0.5", "10.20.0.10") == "permit"


# --- Terraform's JSON for Azure: the azurerm provider's NSGs and rules ----------------------------------------------
# registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_group: security_rule
# blocks (name, priority, direction, access, protocol, source_port_range(s), destination_port_range(s),
# source_address_prefix(es), destination_address_prefix(es), source/destination_application_security_group_ids);
# .../network_security_rule: the same for one rule, with network_security_group_name and resource_group_name.
def _az_nsg(name: str, rules: list, rg: str = "rg1") -> dict:
    return {"address": "azurerm_network_security_group.%s" % name, "mode": "managed",
            "type": "azurerm_network_security_group", "name": name,
            "values": {"id": "/subscriptions/s/resourceGroups/%s/providers/Microsoft.Network/"
                             "networkSecurityGroups/%s" % (rg, name),
                       "location": "westeurope", "name": name, "resource_group_name": rg, "security_rule": rules,
                       "tags": {}}}


def _az_rule(name: str, prio: int, access: str, proto: str, dport: str, src: str, **kw) -> dict:
    r = {"access": access, "description": "", "destination_address_prefix": "*", "destination_address_prefixes": [],
         "destination_application_security_group_ids": [], "destination_port_range": dport,
         "destination_port_ranges": [], "direction": "Inbound", "name": name, "priority": prio, "protocol": proto,
         "source_address_prefix": src, "source_address_prefixes": [], "source_application_security_group_ids": [],
         "source_port_range": "*", "source_port_ranges": []}
    r.update(kw)
    return r


def _az_separate(rule: dict, nsg: str, rg: str = "rg1") -> dict:
    values = dict(rule, network_security_group_name=nsg, resource_group_name=rg, id="/x/securityRules/" + rule["name"])
    return {"address": "azurerm_network_security_rule." + rule["name"], "mode": "managed",
            "type": "azurerm_network_security_rule", "name": rule["name"], "values": values}


def test_terraform_azure_nsg_rules_are_read_in_priority_order(tmp_path):
    text = _tf_state([_az_nsg("prinergy", [_az_rule("deny-all", 4000, "Deny", "*", "*", "*"),
                                           _az_rule("smb", 100, "Allow", "Tcp", "445", "10.30.0.0/24")])])
    assert parse_text(text, "state.json").vendor == "azure-nsg"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "permit"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 446, tmp_path) == "deny"


def test_terraform_azure_separate_rule_joins_its_nsg_once(tmp_path):
    smb = _az_rule("smb", 100, "Allow", "Tcp", "", "10.30.0.0/24", destination_port_ranges=["445", "1521"])
    # a refreshed state lists the separate rule in the NSG's security_rule too: one rule, not two of one priority
    text = _tf_state([_az_nsg("prinergy", [smb, _az_rule("deny-all", 4000, "Deny", "*", "*", "*")]),
                      _az_separate(smb, "prinergy")])
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 1521, tmp_path) == "permit"
    text = _tf_state([_az_nsg("prinergy", [_az_rule("deny-all", 4000, "Deny", "*", "*", "*")]),
                      _az_separate(smb, "prinergy")])
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "permit"
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 80, tmp_path) == "deny"


def test_terraform_azure_rule_without_its_nsg_or_with_an_asg_is_unknown(tmp_path):
    smb = _az_rule("smb", 100, "Allow", "Tcp", "445", "10.30.0.0/24")
    text = _tf_state([_az_separate(smb, "elsewhere")])
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 80, tmp_path) == "unknown"
    asg = _az_rule("asg", 100, "Deny", "Tcp", "445", "", source_application_security_group_ids=["/x/asg/web"])
    text = _tf_state([_az_nsg("prinergy", [asg, _az_rule("all", 200, "Allow", "*", "*", "*")])])
    assert _decide(text, "10.30.0.5", "10.20.0.10", "tcp", 445, tmp_path) == "unknown"


def test_terraform_aws_rule_resource_listed_in_its_refreshed_group_is_one_rule(tmp_path):
    # the provider reads a group's rules back into its ingress/egress, whichever resource made them
    # (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group: "NOTE on Security Groups
    # and Security Group Rules": inline rules and rule resources conflict): one rule, no redundancy finding
    rule = {"address": "aws_security_group_rule.smb", "mode": "managed", "type": "aws_security_group_rule",
            "name": "smb", "values": {"type": "ingress", "security_group_id": "sg-1", "protocol": "tcp",
                                      "from_port": 445, "to_port": 445, "cidr_blocks": ["10.30.0.0/24"],
                                      "self": False, "source_security_group_id": None, "id": "sgrule-1"}}
    f = tmp_path / "state.json"
    f.write_text(_tf_state([_sg("sg-1", [_block("tcp", 445, 445, ["10.30.0.0/24"])],
                                [_block("-1", 0, 0, ["0.0.0.0/0"])]), rule]))
    code, out, _err = cli("audit", str(f), "--host", "primary", "--role", "primary=10.20.0.10", "--role",
                          "workshop=10.30.0.0/24", "--format", "json")
    rules = {x["rule_id"] for x in json.loads(out)["findings"]}
    assert "ACL201" not in rules and "CFG300" not in rules

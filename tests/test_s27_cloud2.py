"""Session 27: cloud inputs given in separate files, and Terraform's network ACLs.  Expected decisions are written
from the documents cited, not from the tool.

Azure: Microsoft, "How network security groups filter network traffic" (https://learn.microsoft.com/azure/
virtual-network/network-security-group-how-it-works): "You can associate zero, or one, network security group to each
virtual network subnet and network interface in a virtual machine"; inbound the subnet's NSG first, then the
interface's.  'az network vnet list' (each subnet's addressPrefix and networkSecurityGroup.id), 'az network vnet subnet
list' and 'az network nic list' (each interface's ipConfigurations[].privateIPAddress and networkSecurityGroup.id) are
separate commands: their outputs place the NSGs of 'az network nsg list' given in the same run as if one file held
them all.  Microsoft, "Virtual network service tags" (https://learn.microsoft.com/azure/virtual-network/service-tags-
overview): VirtualNetwork is "the virtual network address space (all IP address ranges defined for the virtual
network)", so the vnet list's addressPrefixes are the tag's addresses wherever the list is given.
"""

from __future__ import annotations

import json

import pytest
from test_s26_cloud import _decide
from test_s27_cloud import DB, OUTSIDE, RID, SRV, VNET, WEB, _az_nsg, _az_rule, _nic

from auditor.api import combine_inputs
from parsers import parse_text
from parsers.kit import InputError


def _files(*items: tuple) -> list:
    """Each (file name, JSON value) parsed as the CLI reads a file (vendor detected), then combined as one run."""
    return combine_inputs([parse_text(json.dumps(v, indent=2), name) for name, v in items])


def _one(*items):
    (cfg,) = _files(*items)
    return cfg


# --- Azure: the virtual networks and the interfaces in files of their own -------------------------------------

def test_azure_vnet_list_in_its_own_file_places_the_nsgs():
    cfg = _one(("nsgs.json", [WEB, DB]), ("vnets.json", [VNET]))
    assert cfg.vendor == "azure-nsg"
    # the server in subnet web (10.20.0.0/24): nsg-web allows 445 (priority 100), denies the rest of TCP (4000)
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, SRV, 80) == "deny"
    # subnet db's host: nsg-db denies everything inbound
    assert _decide(cfg, OUTSIDE, "10.40.0.10", host="10.40.0.10") == "deny"
    # subnet mgmt has no NSG: nothing filters it
    assert _decide(cfg, OUTSIDE, "10.50.0.10", 3389, host="10.50.0.10") == "permit"
    # the edges of subnet web: 10.20.0.255 is in it, 10.20.1.0 in no subnet given (either NSG may be its)
    assert _decide(cfg, OUTSIDE, "10.20.0.255", host="10.20.0.255") == "permit"
    assert _decide(cfg, OUTSIDE, "10.20.1.0", host="10.20.1.0") == "unknown"


def test_azure_without_the_vnet_file_the_nsgs_stay_alternatives():
    cfg = _one(("nsgs.json", [WEB, DB]))
    assert _decide(cfg, OUTSIDE, SRV) == "unknown"  # nsg-web allows SMB, nsg-db denies it


def test_azure_three_files_decide_as_one_file_holding_them_all():
    vm1 = _az_nsg("nsg-vm1", [_az_rule("deny-smb", 100, "Deny", "445")])
    nics = [_nic("vm1-nic", SRV, "nsg-vm1"), _nic("vm2-nic", "10.20.0.11")]
    three = _one(("nsgs.json", [WEB, DB, vm1]), ("vnets.json", [VNET]), ("nics.json", nics))
    one = _one(("all.json", [WEB, DB, vm1, VNET] + nics))
    flows = [(OUTSIDE, SRV, 445, SRV), (OUTSIDE, "10.20.0.11", 445, "10.20.0.11"), (OUTSIDE, SRV, 80, SRV),
             ("10.40.0.5", SRV, 445, SRV), ("10.20.1.0", SRV, 445, SRV)]
    for src, dst, port, host in flows:
        assert _decide(three, src, dst, port, host=host) == _decide(one, src, dst, port, host=host), (src, dst, port)
    # the interface's NSG after the subnet's: nsg-web allows SMB, nsg-vm1 denies it
    assert _decide(three, OUTSIDE, SRV) == "deny"
    # vm2's interface has no NSG: nsg-web alone
    assert _decide(three, OUTSIDE, "10.20.0.11", host="10.20.0.11") == "permit"


def test_azure_the_vnet_file_gives_the_virtualnetwork_tag_its_address_space():
    # nsg-web's default rule AllowVnetInBound (65000) allows VirtualNetwork -> VirtualNetwork; 10.60.0.5 is in the
    # virtual network's 10.0.0.0/8 (vnets.json) and in no subnet given, so it reaches the server on UDP (the NSG's
    # own rules are TCP only); without the vnet list the tag's addresses are not known
    udp = {"src": "10.60.0.5", "dst": SRV}
    from dataclasses import replace

    from auditor.api import explain
    from auditor.core.packets import ISet, addr_to_int

    def decide(cfg):
        cfg = replace(cfg, local_addresses=ISet.of(addr_to_int(SRV)))
        return explain(cfg, udp["src"], udp["dst"], "udp", 40000, 1024)["decision"]

    assert decide(_one(("nsgs.json", [WEB]), ("vnets.json", [VNET]))) == "permit"
    assert decide(_one(("nsgs.json", [WEB]))) == "unknown"


def test_azure_subnet_list_and_nic_list_are_read_in_their_own_files():
    # 'az network vnet subnet list': the subnets alone, typed Microsoft.Network/virtualNetworks/subnets
    subnets = VNET["subnets"]
    cfg = _one(("nsgs.json", [WEB, DB]), ("subnets.json", subnets))
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, "10.40.0.10", host="10.40.0.10") == "deny"
    # 'az network nic list' alone: the server's interface names nsg-vm1, which denies SMB after nsg-web (the only
    # subnets' NSG of the input) allows it; the other interface has no NSG
    vm1 = _az_nsg("nsg-vm1", [_az_rule("deny-smb", 100, "Deny", "445")])
    nics = [_nic("vm1-nic", SRV, "nsg-vm1"), _nic("vm2-nic", "10.20.0.11")]
    cfg = _one(("nsgs.json", [WEB, vm1]), ("nics.json", nics))
    assert _decide(cfg, OUTSIDE, SRV) == "deny"
    assert _decide(cfg, OUTSIDE, "10.20.0.11", host="10.20.0.11") == "permit"
    assert _decide(cfg, OUTSIDE, "10.20.0.11", 80, host="10.20.0.11") == "deny"


@pytest.mark.parametrize("name, value", [("vnets.json", [VNET]), ("nics.json", [_nic("vm1-nic", SRV, "nsg-web")]),
                                         ("subnets.json", VNET["subnets"])])
def test_azure_places_without_nsgs_in_the_run_are_one_clear_error(name, value):
    with pytest.raises(InputError, match="az network nsg list"):
        _files((name, value))


def test_azure_an_nsg_named_by_the_vnet_file_but_not_given_is_unknown():
    vnet = json.loads(json.dumps(VNET).replace("/networkSecurityGroups/nsg-web", "/networkSecurityGroups/nsg-gone"))
    cfg = _one(("nsgs.json", [WEB, DB]), ("vnets.json", [vnet]))
    assert _decide(cfg, OUTSIDE, SRV, 80) == "unknown"
    assert RID in vnet["id"]


# --- AWS: Terraform's network ACLs -----------------------------------------------------------------------------
# Terraform registry, aws_network_acl (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/
# network_acl): "ingress"/"egress" blocks with "rule_no", "action", "protocol" ("If using the -1 'all' protocol, you
# must specify a from and to port of 0"), "from_port", "to_port", "cidr_block", "ipv6_cidr_block", "icmp_type",
# "icmp_code"; "subnet_ids"; aws_network_acl_rule ("network_acl_id", "rule_number", "egress", "protocol",
# "rule_action", ...); aws_network_acl_association ("network_acl_id", "subnet_id"); aws_subnet ("cidr_block").  The
# provider records protocols as numbers and leaves the '*' entries out.  AWS, VPC User Guide, "Network ACL rules"
# (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html): "Rules are evaluated starting with the lowest
# numbered rule.  As soon as a rule matches traffic, it's applied"; the last rule, '*', "ensures that if a packet
# doesn't match any of the other numbered rules, it's denied"; network ACLs are stateless (the replies must be allowed
# by the other direction's rules: "Ephemeral ports").

from test_s27_cloud import WS  # noqa: E402

from auditor.api import explain  # noqa: E402


def _tf(typ: str, name: str, values: dict) -> dict:
    return {"address": "%s.%s" % (typ, name), "mode": "managed", "type": typ, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values}


def _blk(no: int, action: str, proto: str = "6", ports=(0, 0), cidr: str = "0.0.0.0/0", v6: str = "",
         icmp=(0, 0)) -> dict:
    return {"action": action, "cidr_block": cidr, "from_port": ports[0], "icmp_code": icmp[1], "icmp_type": icmp[0],
            "ipv6_cidr_block": v6, "protocol": proto, "rule_no": no, "to_port": ports[1]}


def _nacl(name: str, aid: str, subnets: list, ingress: list, egress: list, typ: str = "aws_network_acl") -> dict:
    return _tf(typ, name, {"arn": "arn:aws:ec2:eu-west-1:111122223333:network-acl/" + aid, "egress": egress,
                           "id": aid, "ingress": ingress, "owner_id": "111122223333", "subnet_ids": subnets,
                           "tags": {"Name": name}, "tags_all": {"Name": name}, "vpc_id": "vpc-1"})


def _tf_subnet(name: str, sid: str, cidr: str, v6: str = "") -> dict:
    return _tf("aws_subnet", name, {"arn": "arn:aws:ec2:eu-west-1:111122223333:subnet/" + sid,
                                    "assign_ipv6_address_on_creation": False, "availability_zone": "eu-west-1a",
                                    "cidr_block": cidr, "id": sid, "ipv6_cidr_block": v6,
                                    "map_public_ip_on_launch": False, "vpc_id": "vpc-1"})


def _tf_rule(name: str, aid: str, no: int, egress: bool, action: str, proto: str = "6", ports=(0, 0),
             cidr: str = "0.0.0.0/0", icmp=(None, None)) -> dict:
    return _tf("aws_network_acl_rule", name, {
        "cidr_block": cidr, "egress": egress, "from_port": ports[0], "icmp_code": icmp[1], "icmp_type": icmp[0],
        "id": "nacl-%d" % no, "ipv6_cidr_block": "", "network_acl_id": aid, "protocol": proto, "rule_action": action,
        "rule_number": no, "to_port": ports[1]})


def _state(*resources, plan: bool = False, changes: list | None = None) -> str:
    key = "planned_values" if plan else "values"
    data = {"format_version": "1.2", "terraform_version": "1.9.5", key: {"root_module": {"resources": list(resources)}}}
    if changes is not None:
        data["resource_changes"] = changes
    return json.dumps(data, indent=2)


# the servers' subnet: SMB in, RDP denied by number before a wider allow, replies out on the ephemeral ports
SRV_ACL = _nacl("servers", "acl-srv", ["subnet-srv"],
                [_blk(100, "allow", ports=(445, 445)), _blk(110, "deny", ports=(3389, 3389)),
                 _blk(120, "allow", ports=(3000, 4000), cidr="198.51.100.0/24"),
                 _blk(130, "allow", "-1", cidr="10.99.0.0/16"),
                 _blk(140, "allow", ports=(445, 445), cidr="", v6="::/0")],
                [_blk(100, "allow", ports=(1024, 65535)), _blk(110, "allow", ports=(1024, 65535), cidr="", v6="::/0")])
# the clients' subnet: web out only (its association a resource of its own)
WS_ACL = _nacl("clients", "acl-ws", [], [_blk(100, "allow", ports=(1024, 65535))], [_blk(100, "allow", ports=(80, 80))])
WS_ASSOC = _tf("aws_network_acl_association", "clients", {"id": "aclassoc-1", "network_acl_id": "acl-ws",
                                                          "subnet_id": "subnet-ws"})
SUBNETS_TF = [_tf_subnet("servers", "subnet-srv", "10.20.0.0/24", "2001:db8:20::/64"),
              _tf_subnet("clients", "subnet-ws", "10.30.0.0/24")]


def _aws(text: str):
    (cfg,) = combine_inputs([parse_text(text, "tf.json")])
    assert cfg.vendor == "aws"
    return cfg


def _tcp(cfg, src, dst, dport, sport=40000, host=SRV):
    from dataclasses import replace

    from parsers.kit.addr import cidr_set

    cfg = replace(cfg, local_addresses=cidr_set(host))
    return explain(cfg, src, dst, "tcp", sport, dport)["decision"]


def test_terraform_network_acls_are_read_and_placed_by_subnet():
    cfg = _aws(_state(SRV_ACL, WS_ACL, WS_ASSOC, *SUBNETS_TF))
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "permit"  # ingress 100, the replies egress 100
    assert _tcp(cfg, OUTSIDE, SRV, 444) == "deny"  # (the edges of 445: the '*' entry)
    assert _tcp(cfg, OUTSIDE, SRV, 446) == "deny"
    assert _tcp(cfg, OUTSIDE, SRV, 3389) == "deny"  # ingress 110
    assert _tcp(cfg, "198.51.100.9", SRV, 3000) == "permit"  # ingress 120
    assert _tcp(cfg, "198.51.100.9", SRV, 4001) == "deny"
    assert _tcp(cfg, "198.51.101.9", SRV, 3000) == "deny"  # (outside 120's cidr_block)
    # stateless: a reply to a client port below 1024 is not allowed out (egress 100 is 1024-65535)
    assert _tcp(cfg, OUTSIDE, SRV, 445, sport=1023) == "deny"
    assert _tcp(cfg, OUTSIDE, SRV, 445, sport=1024) == "permit"
    # protocol -1: every protocol and port from 10.99.0.0/16
    assert _tcp(cfg, "10.99.1.1", SRV, 8443) == "permit"
    # between the subnets: out of the clients' (acl-ws egress: 80 only), into the servers'
    assert _tcp(cfg, WS, SRV, 445) == "deny"


def test_terraform_ipv6_entries():
    cfg = _aws(_state(SRV_ACL, WS_ACL, WS_ASSOC, *SUBNETS_TF))
    assert _tcp(cfg, "2001:db8:99::1", "2001:db8:20::10", 445, host="2001:db8:20::10") == "permit"
    assert _tcp(cfg, "2001:db8:99::1", "2001:db8:20::10", 3389, host="2001:db8:20::10") == "deny"


def test_terraform_network_acl_rule_resources_are_entries_of_their_acl():
    acl = _nacl("servers", "acl-srv", ["subnet-srv"], [], [])
    rules = [_tf_rule("smb", "acl-srv", 100, False, "allow", ports=(445, 445)),
             _tf_rule("rdp", "acl-srv", 90, False, "deny", "tcp", ports=(3389, 3389)),
             _tf_rule("eph", "acl-srv", 100, True, "allow", ports=(1024, 65535))]
    cfg = _aws(_state(acl, *rules, *SUBNETS_TF))
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "permit"
    assert _tcp(cfg, OUTSIDE, SRV, 3389) == "deny"
    assert _tcp(cfg, OUTSIDE, SRV, 80) == "deny"
    # a refreshed state also lists the rule resources' entries in the ACL's own lists: the same decisions
    listed = _nacl("servers", "acl-srv", ["subnet-srv"], [_blk(100, "allow", ports=(445, 445)),
                                                           _blk(90, "deny", ports=(3389, 3389))],
                   [_blk(100, "allow", ports=(1024, 65535))])
    cfg = _aws(_state(listed, *rules, *SUBNETS_TF))
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "permit"
    assert _tcp(cfg, OUTSIDE, SRV, 3389) == "deny"


def test_terraform_what_the_state_does_not_hold_is_unknown():
    # a rule of an ACL not in the input (the VPC's default ACL, managed elsewhere): its other entries are not known
    rule = _tf_rule("smb", "acl-default", 100, False, "deny", ports=(445, 445))
    cfg = _aws(_state(rule, _nacl("servers", "acl-srv", ["subnet-srv"], [], []), *SUBNETS_TF))
    assert _tcp(cfg, OUTSIDE, WS, 445, host=WS) == "unknown"  # (subnet-ws: not associated with acl-srv)
    # the ACL's list and a rule resource give rule number 100 two different entries: AWS holds one, not known which
    clash = _nacl("servers", "acl-srv", ["subnet-srv"], [_blk(100, "allow", ports=(445, 445))],
                  [_blk(100, "allow", ports=(1024, 65535))])
    cfg = _aws(_state(clash, _tf_rule("x", "acl-srv", 100, False, "deny", ports=(445, 445)), *SUBNETS_TF))
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "unknown"
    # an ICMP rule resource without its type and code: unknown, not every ICMP message
    icmp = _tf_rule("ping", "acl-srv", 100, False, "allow", "1")
    cfg = _aws(_state(_nacl("servers", "acl-srv", ["subnet-srv"], [], [_blk(100, "allow", "-1")]), icmp, *SUBNETS_TF))
    from dataclasses import replace

    from auditor.core.packets import ISet, addr_to_int
    hosted = replace(cfg, local_addresses=ISet.of(addr_to_int(SRV)))
    assert explain(hosted, OUTSIDE, SRV, "icmp", None, 8 * 256)["decision"] == "unknown"


def test_terraform_plan_values_known_only_after_apply_are_unknown():
    # a plan whose ingress entry's cidr_block is known only after apply (planned_values leaves it out)
    acl = _nacl("servers", "acl-srv", ["subnet-srv"], [_blk(100, "allow", ports=(445, 445))],
                [_blk(100, "allow", ports=(1024, 65535))])
    del acl["values"]["ingress"][0]["cidr_block"]
    change = {"address": "aws_network_acl.servers", "mode": "managed", "type": "aws_network_acl", "name": "servers",
              "change": {"actions": ["update"], "after_unknown": {"ingress": [{"cidr_block": True}]}}}
    cfg = _aws(_state(acl, *SUBNETS_TF, plan=True, changes=[change]))
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "unknown"
    # a new subnet whose id is known only after apply places nothing: its host may be behind any ACL, of the plan or
    # not (a subnet not explicitly associated is associated with the VPC's default network ACL, not in the plan)
    new = _tf_subnet("new", "subnet-new", "10.40.0.0/24")
    del new["values"]["id"]
    acls = [_nacl("servers", "acl-srv", ["subnet-srv"], [_blk(100, "allow", ports=(445, 445))],
                  [_blk(100, "allow", ports=(1024, 65535))]), WS_ACL, WS_ASSOC]
    cfg = _aws(_state(*acls, new, *SUBNETS_TF, plan=True, changes=[]))
    assert _tcp(cfg, OUTSIDE, "10.40.0.10", 445, host="10.40.0.10") == "unknown"  # (acl-srv allows, acl-ws denies)
    assert _tcp(cfg, OUTSIDE, "10.40.0.10", 3389, host="10.40.0.10") == "unknown"  # (both deny; the default ACL?)
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "permit"  # (subnet-srv's ACL is acl-srv)


def test_terraform_a_host_outside_the_state_s_subnets_may_be_behind_an_acl_not_in_the_state():
    # one ACL in the state, associated with no subnet the state gives: the host's ACL may be it, or the VPC's default
    # ACL; the security group decides what it denies (SG: 445 only)
    sg = _tf("aws_security_group", "srv", {
        "id": "sg-1", "name": "srv", "description": "x", "vpc_id": "vpc-1", "egress": [], "ingress": [
            {"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 445, "to_port": 445, "protocol": "tcp",
             "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}]})
    closed = _nacl("closed", "acl-closed", [], [], [])
    cfg = _aws(_state(sg, closed))
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "unknown"  # (the SG allows; acl-closed, if it is the host's, denies)
    assert _tcp(cfg, OUTSIDE, SRV, 3389) == "deny"  # (the SG denies, whatever the ACL)
    assert [d for d in cfg.diagnostics if "VPC's default network ACL" in d.message]


def test_terraform_acls_only_are_detected_and_a_subnet_without_acl_is_unknown():
    # a subnet of the state that no ACL of the state is associated with: the VPC's default ACL (not in the state)
    # or another is its ACL
    other = _tf_subnet("other", "subnet-other", "10.50.0.0/24")
    cfg = _aws(_state(SRV_ACL, *SUBNETS_TF, other))
    assert _tcp(cfg, OUTSIDE, "10.50.0.10", 445, host="10.50.0.10") == "unknown"
    assert _tcp(cfg, OUTSIDE, SRV, 445) == "permit"


def test_azure_arm_child_subnet_resources_place_the_nsgs():
    # an ARM template declaring a subnet as a child resource of its virtual network (type
    # Microsoft.Network/virtualNetworks/subnets, name 'VNET/SUBNET'), its NSG by resourceId
    from parsers import azure_nsg

    rules = [_az_rule("allow-smb", 100, "Allow", "445"), _az_rule("deny-rest", 4000, "Deny")]

    def nsg(name, rules):
        return {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": name,
                "location": "westeurope", "properties": {"securityRules": [
                    {"name": r["name"], "properties": {k: v for k, v in r.items() if k != "name"}} for r in rules]}}

    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": [
                    nsg("nsg-web", rules), nsg("nsg-db", [_az_rule("deny-all", 100, "Deny")]),
                    {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-09-01",
                     "name": "vnet/web", "properties": {"addressPrefix": "10.20.0.0/24", "networkSecurityGroup": {
                         "id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-web')]"}}},
                    {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-09-01",
                     "name": "vnet/db", "properties": {"addressPrefix": "10.40.0.0/24", "networkSecurityGroup": {
                         "id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-db')]"}}}]}
    cfg = azure_nsg.parse(json.dumps(template, indent=2), "template.json")
    # (the child subnets ignored, both NSGs were stages the flow had to pass: nsg-db denied SMB)
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, SRV, 80) == "deny"
    assert _decide(cfg, OUTSIDE, "10.40.0.10", host="10.40.0.10") == "deny"


def test_terraform_icmp_entries_and_their_replies():
    # ingress: ICMP echo request (type 8, every code: -1); the reply, an echo reply (type 0), must pass egress
    from dataclasses import replace

    from auditor.core.packets import ISet, addr_to_int

    ping = _blk(100, "allow", "1", cidr="0.0.0.0/0", icmp=(8, -1))

    def decide(egress, icmp_type):
        acl = _nacl("servers", "acl-srv", ["subnet-srv"], [ping], egress)
        cfg = replace(_aws(_state(acl, *SUBNETS_TF)), local_addresses=ISet.of(addr_to_int(SRV)))
        return explain(cfg, OUTSIDE, SRV, "icmp", None, icmp_type * 256)["decision"]

    assert decide([_blk(100, "allow", "-1")], 8) == "permit"
    assert decide([_blk(100, "allow", "1", icmp=(0, 0))], 8) == "permit"  # (egress: echo reply, code 0)
    assert decide([_blk(100, "allow", ports=(1024, 65535))], 8) == "deny"  # (the echo reply is not allowed out)
    assert decide([_blk(100, "allow", "-1")], 13) == "deny"  # (timestamp: ingress 100 is type 8 only)

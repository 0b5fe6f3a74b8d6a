"""Session 27: cloud inputs that say which subnet each network ACL (NSG) guards place it by the subnet's
addresses; where they do not, the ACLs (NSGs) stay alternatives (session 26).  Expected decisions are written
from the documents cited, not from the tool.

AWS, "Control subnet traffic with network access control lists"
(https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html): "Network ACL A determines which traffic
destined for subnet 1 is allowed to enter subnet 1, and which traffic destined for a location outside subnet 1 is
allowed to leave subnet 1"; "a subnet can be associated with only one network ACL at a time"; network ACLs are
stateless ("responses to allowed inbound traffic are subject to the rules for outbound traffic").
AWS, "Network ACL basics" (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html): "We evaluate the
network ACL rules when traffic enters and leaves the subnet, not as it is routed within a subnet."
``aws ec2 describe-subnets`` gives each subnet's ``SubnetId`` and ``CidrBlock``; ``describe-network-acls`` each
ACL's ``Associations[].SubnetId``.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from test_s26_cloud import _decide, _entry  # (the session-26 tests' one host's decision, one ACL entry)

from auditor.api import combine_inputs, explain
from auditor.core.packets import ISet, addr_to_int
from parsers import aws, parse_text

SRV, SRV2, WS, OUTSIDE = "10.20.0.10", "10.20.0.20", "10.30.0.5", "198.51.100.7"


def _acl(aid: str, subnets: tuple, entries: list) -> dict:
    return {"Associations": [{"NetworkAclAssociationId": "aclassoc-%s%d" % (aid[4:], i), "NetworkAclId": aid,
                              "SubnetId": s} for i, s in enumerate(subnets)],
            "Entries": entries + [_entry(32767, True, "deny"), _entry(32767, False, "deny")],
            "IsDefault": False, "NetworkAclId": aid, "Tags": [], "VpcId": "vpc-1", "OwnerId": "111122223333"}


def _subnet(sid: str, cidr: str) -> dict:
    return {"AvailabilityZone": "eu-west-1a", "AvailableIpAddressCount": 250, "CidrBlock": cidr,
            "DefaultForAz": False, "MapPublicIpOnLaunch": False, "State": "available", "SubnetId": sid,
            "VpcId": "vpc-1", "OwnerId": "111122223333", "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [], "SubnetArn": "arn:aws:ec2:eu-west-1:111122223333:subnet/" + sid}


# the servers' subnet: SMB in from anywhere, replies out on ephemeral ports
SERVERS = _acl("acl-srv", ("subnet-srv",), [_entry(100, False, "allow", ports=(445, 445)),
                                            _entry(100, True, "allow", ports=(1024, 65535))])
# the clients' subnet: only web out, and the replies of web in
CLIENTS = _acl("acl-ws", ("subnet-ws",), [_entry(100, True, "allow", ports=(80, 80)),
                                          _entry(100, False, "allow", ports=(1024, 65535))])
CLOSED = _acl("acl-closed", ("subnet-other",), [])
SUBNETS = [_subnet("subnet-srv", "10.20.0.0/24"), _subnet("subnet-ws", "10.30.0.0/24"),
           _subnet("subnet-other", "10.50.0.0/24")]


def _input(acls, subnets=None) -> str:
    data = {"NetworkAcls": list(acls)}
    if subnets is not None:
        data["Subnets"] = subnets
    return json.dumps(data, indent=4)


def test_without_the_subnets_the_acls_stay_alternatives():
    cfg = aws.parse(_input([SERVERS, CLOSED]), "acls.json")
    assert _decide(cfg, OUTSIDE, SRV) == "unknown"  # (session 26: acl-srv allows, acl-closed denies)


def test_the_host_s_subnet_acl_decides_when_the_subnets_are_given():
    cfg = aws.parse(_input([SERVERS, CLIENTS, CLOSED], SUBNETS), "acls.json")
    # to the server from outside the VPC: acl-srv inbound allows 445, its outbound the replies
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, SRV, 3389) == "deny"
    # the edge of the subnet: 10.20.0.255 is in it, 10.20.1.0 is not (then any ACL of the input may be its)
    assert _decide(cfg, OUTSIDE, "10.20.0.255", host="10.20.0.255") == "permit"
    assert _decide(cfg, OUTSIDE, "10.20.1.0", host="10.20.1.0") == "unknown"
    # the finding naming the alternatives is moot for a host in a given subnet, reported for one outside
    hosted = replace(cfg, local_addresses=ISet.of(addr_to_int(SRV)))
    assert not [d for d in hosted.reported() if "does not say which one" in d.message]
    lost = replace(cfg, local_addresses=ISet.of(addr_to_int("10.20.1.0")))
    assert [d for d in lost.reported() if "does not say which one" in d.message]


def test_a_packet_from_another_subnet_meets_that_subnet_s_acl_on_its_way_out():
    cfg = aws.parse(_input([SERVERS, CLIENTS, CLOSED], SUBNETS), "acls.json")
    # from a client: acl-ws outbound allows only port 80, so SMB never leaves the clients' subnet
    assert _decide(cfg, WS, SRV) == "deny"
    o = explain(replace(cfg, local_addresses=ISet.of(addr_to_int(SRV))), WS, SRV, "tcp", 40000, 445)
    assert "acl-ws outbound" in o["stage"]
    # the server to a client's web port: acl-srv outbound allows only 1024-65535: denied leaving the servers' subnet
    assert _decide(cfg, SRV, WS, 80) == "deny"
    # to a client's port 8080: out of subnet-srv (1024-65535: allowed), into subnet-ws (acl-ws inbound 1024-65535:
    # allowed), but the reply, 8080 -> 40000, leaves subnet-ws through acl-ws outbound, which allows only port 80
    assert _decide(cfg, SRV, WS, 8080) == "deny"


def test_within_one_subnet_no_network_acl_applies():
    cfg = aws.parse(_input([SERVERS, CLIENTS, CLOSED], SUBNETS), "acls.json")
    # 3389 is not allowed by acl-srv, but both ends are in subnet-srv: the ACL is not evaluated
    assert _decide(cfg, SRV2, SRV, 3389) == "permit"
    assert _decide(cfg, SRV, SRV2, 3389) == "permit"
    # one end just outside the subnet: the ACL applies again (10.20.1.5 is in no given subnet)
    assert _decide(cfg, "10.20.1.5", SRV, 3389) == "deny"


def test_a_subnet_no_acl_of_the_input_is_associated_with_has_its_acl_elsewhere():
    nets = SUBNETS + [_subnet("subnet-new", "10.60.0.0/24")]
    cfg = aws.parse(_input([SERVERS, CLOSED], nets), "acls.json")
    assert _decide(cfg, OUTSIDE, "10.60.0.10", host="10.60.0.10") == "unknown"
    hosted = replace(cfg, local_addresses=ISet.of(addr_to_int("10.60.0.10")))
    assert [d for d in hosted.reported() if "no network ACL of the input is associated" in d.message]
    # and the servers' host is not concerned by it
    assert _decide(cfg, OUTSIDE, SRV) == "permit"


def test_one_acl_with_its_subnet_given_keeps_its_decisions_outside_the_subnet():
    cfg = aws.parse(_input([SERVERS], SUBNETS[:1]), "acls.json")
    assert _decide(cfg, OUTSIDE, SRV) == "permit" and _decide(cfg, OUTSIDE, SRV, 3389) == "deny"
    assert _decide(cfg, SRV2, SRV, 3389) == "permit"


def test_a_subnet_associated_with_two_acls_of_the_input_is_not_placed():
    twice = _acl("acl-twice", ("subnet-srv",), [])
    cfg = aws.parse(_input([SERVERS, twice], SUBNETS[:1]), "acls.json")
    assert _decide(cfg, OUTSIDE, SRV) == "unknown"
    assert [d for d in cfg.diagnostics if "subnet-srv is associated with 2 network ACLs" in d.message]


def test_describe_subnets_as_its_own_input_places_the_acls_of_the_run():
    acls = parse_text(_input([SERVERS, CLIENTS, CLOSED]), "acls.json")
    nets = parse_text(json.dumps({"Subnets": SUBNETS}, indent=4), "subnets.json")
    assert nets.vendor == "aws"
    (cfg,) = combine_inputs([acls, nets])
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, WS, SRV) == "deny"
    with pytest.raises(Exception, match="describe-network-acls"):
        combine_inputs([nets])


def test_security_groups_and_acls_with_subnets_in_one_input():
    sg = {"GroupId": "sg-1", "GroupName": "srv", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}
    data = json.loads(_input([SERVERS, CLIENTS, CLOSED], SUBNETS))
    data["SecurityGroups"] = [sg]
    cfg = aws.parse(json.dumps(data, indent=4), "all.json")
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, SRV, 3389) == "deny"  # the group allows it, the subnet's ACL does not
    assert _decide(cfg, SRV2, SRV, 3389) == "permit"  # one subnet: the group alone
    assert _decide(cfg, WS, SRV) == "deny"  # acl-ws outbound


# --- Azure: NSGs placed by the virtual networks' subnets and the network interfaces ------------------------------
# Microsoft, "How network security groups filter network traffic" (https://learn.microsoft.com/azure/
# virtual-network/network-security-group-how-it-works): "You can associate zero, or one, network security group to
# each virtual network subnet and network interface in a virtual machine"; inbound, the subnet's NSG is processed
# first, then the interface's; outbound the interface's, then the subnet's; "Security rules in an NSG associated to
# a subnet can affect connectivity between VMs within it".  'az network vnet list' gives each subnet's
# addressPrefix and networkSecurityGroup.id, 'az network nic list' each interface's ipConfigurations[].
# privateIPAddress and networkSecurityGroup.id.

RID = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network"


def _az_rule(name: str, prio: int, access: str, port: str = "*", direction: str = "Inbound") -> dict:
    return {"access": access, "destinationAddressPrefix": "*", "destinationAddressPrefixes": [],
            "destinationPortRange": port, "destinationPortRanges": [], "direction": direction, "name": name,
            "priority": prio, "protocol": "Tcp", "sourceAddressPrefix": "*", "sourceAddressPrefixes": [],
            "sourcePortRange": "*", "sourcePortRanges": []}


def _az_nsg(name: str, rules: list, subnets: tuple = ()) -> dict:
    out = {"id": "%s/networkSecurityGroups/%s" % (RID, name), "location": "westeurope", "name": name,
           "provisioningState": "Succeeded", "resourceGroup": "rg", "securityRules": rules,
           "type": "Microsoft.Network/networkSecurityGroups"}
    if subnets:
        out["subnets"] = [{"id": "%s/virtualNetworks/vnet/subnets/%s" % (RID, s), "resourceGroup": "rg"}
                          for s in subnets]
    return out


def _vnet(*subnets: tuple) -> dict:
    def sub(name, prefix, nsg):
        out = {"addressPrefix": prefix, "id": "%s/virtualNetworks/vnet/subnets/%s" % (RID, name), "name": name,
               "provisioningState": "Succeeded", "resourceGroup": "rg",
               "type": "Microsoft.Network/virtualNetworks/subnets"}
        if nsg:
            out["networkSecurityGroup"] = {"id": "%s/networkSecurityGroups/%s" % (RID, nsg), "resourceGroup": "rg"}
        return out
    return {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}, "id": "%s/virtualNetworks/vnet" % RID,
            "location": "westeurope", "name": "vnet", "resourceGroup": "rg",
            "subnets": [sub(*s) for s in subnets], "type": "Microsoft.Network/virtualNetworks"}


def _nic(name: str, ip: str, nsg: str = "") -> dict:
    out = {"id": "%s/networkInterfaces/%s" % (RID, name), "ipConfigurations": [
        {"name": "ipconfig1", "primary": True, "privateIPAddress": ip, "privateIPAllocationMethod": "Dynamic",
         "subnet": {"id": "%s/virtualNetworks/vnet/subnets/web" % RID}}], "location": "westeurope", "name": name,
        "resourceGroup": "rg", "type": "Microsoft.Network/networkInterfaces"}
    if nsg:
        out["networkSecurityGroup"] = {"id": "%s/networkSecurityGroups/%s" % (RID, nsg), "resourceGroup": "rg"}
    return out


WEB = _az_nsg("nsg-web", [_az_rule("allow-smb", 100, "Allow", "445"), _az_rule("deny-rest", 4000, "Deny")],
              ("web",))
DB = _az_nsg("nsg-db", [_az_rule("deny-all", 100, "Deny"), _az_rule("deny-out", 100, "Deny", direction="Outbound")],
             ("db",))
VNET = _vnet(("web", "10.20.0.0/24", "nsg-web"), ("db", "10.40.0.0/24", "nsg-db"), ("mgmt", "10.50.0.0/24", ""))


def _azure(*items):
    from parsers import azure_nsg

    return azure_nsg.parse(json.dumps(list(items), indent=2), "az.json")


def test_azure_without_the_subnets_the_nsgs_stay_alternatives():
    assert _decide(_azure(WEB, DB), OUTSIDE, SRV) == "unknown"


def test_azure_the_host_s_subnet_nsg_decides_when_the_vnet_is_given():
    cfg = _azure(WEB, DB, VNET)
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, SRV, 80) == "deny"
    assert _decide(cfg, OUTSIDE, "10.40.0.10", host="10.40.0.10") == "deny"
    # the edge: 10.20.0.255 in subnet web, 10.20.1.0 in no given subnet (either NSG may be its)
    assert _decide(cfg, OUTSIDE, "10.20.0.255", host="10.20.0.255") == "permit"
    assert _decide(cfg, OUTSIDE, "10.20.1.0", host="10.20.1.0") == "unknown"


def test_azure_a_subnet_without_nsg_filters_nothing():
    cfg = _azure(WEB, DB, VNET)
    assert _decide(cfg, OUTSIDE, "10.50.0.10", 3389, host="10.50.0.10") == "permit"


def test_azure_the_source_vm_s_subnet_nsg_applies_outbound():
    cfg = _azure(WEB, DB, VNET)
    # from a VM of subnet db, whose NSG denies everything outbound, to the server: denied leaving db
    assert _decide(cfg, "10.40.0.5", SRV) == "deny"
    # within subnet web: nsg-web applies (outbound defaults allow the virtual network, inbound 445 allowed)
    assert _decide(cfg, "10.20.0.5", SRV) == "permit"
    assert _decide(cfg, "10.20.0.5", SRV, 80) == "deny"


def test_azure_the_interface_nsg_applies_after_the_subnet_s():
    vm1 = _az_nsg("nsg-vm1", [_az_rule("deny-smb", 100, "Deny", "445")])
    cfg = _azure(WEB, DB, vm1, VNET, _nic("vm1-nic", SRV, "nsg-vm1"), _nic("vm2-nic", "10.20.0.11"))
    assert _decide(cfg, OUTSIDE, SRV) == "deny"  # nsg-web allows, nsg-vm1 denies
    assert _decide(cfg, OUTSIDE, "10.20.0.11", host="10.20.0.11") == "permit"  # no interface NSG: nsg-web alone


def test_azure_an_nsg_named_but_not_in_the_input_is_unknown():
    vnet = _vnet(("web", "10.20.0.0/24", "nsg-elsewhere"))
    cfg = _azure(WEB, DB, vnet)
    assert _decide(cfg, OUTSIDE, SRV, 80) == "unknown"


def test_azure_arm_template_subnets_name_their_nsg_by_resource_id():
    # an ARM template (Microsoft's quickstarts' shape): the subnet's networkSecurityGroup.id is
    # "[resourceId('Microsoft.Network/networkSecurityGroups', NAME)]"
    from parsers import azure_nsg

    def nsg(name, rules):
        return {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": name,
                "location": "westeurope", "properties": {"securityRules": [
                    {"name": r["name"], "properties": {k: v for k, v in r.items() if k != "name"}} for r in rules]}}

    def subnet(name, prefix, nsg_name):
        props = {"addressPrefix": prefix}
        if nsg_name:
            props["networkSecurityGroup"] = {
                "id": "[resourceId('Microsoft.Network/networkSecurityGroups', '%s')]" % nsg_name}
        return {"name": name, "properties": props}

    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": [
                    nsg("nsg-web", [_az_rule("allow-smb", 100, "Allow", "445"), _az_rule("deny-rest", 4000, "Deny")]),
                    nsg("nsg-db", [_az_rule("deny-all", 100, "Deny")]),
                    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
                     "location": "westeurope", "properties": {
                         "addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
                         "subnets": [subnet("web", "10.20.0.0/24", "nsg-web"), subnet("db", "10.40.0.0/24", "nsg-db"),
                                     subnet("x", "10.70.0.0/24", "[parameters('nsg')]")]}}]}
    cfg = azure_nsg.parse(json.dumps(template, indent=2), "template.json")
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, "10.40.0.10", host="10.40.0.10") == "deny"
    # a subnet whose NSG is an expression (not evaluated): its host may be behind either NSG (both now known to be
    # subnets' NSGs), or another: nsg-web allows SMB, nsg-db denies it
    assert _decide(cfg, OUTSIDE, "10.70.0.10", host="10.70.0.10") == "unknown"


def test_azure_terraform_subnet_associations_place_the_nsgs():
    # azurerm provider: azurerm_subnet (address_prefixes), azurerm_subnet_network_security_group_association
    # (subnet_id, network_security_group_id); `terraform show -json` of a state
    from parsers import azure_nsg

    def res(typ, name, values):
        return {"address": "%s.%s" % (typ, name), "mode": "managed", "type": typ, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0, "values": values}

    def rule(name, prio, access, port="*"):
        return {"access": access, "description": "", "destination_address_prefix": "*",
                "destination_address_prefixes": [], "destination_port_range": port, "destination_port_ranges": [],
                "direction": "Inbound", "name": name, "priority": prio, "protocol": "Tcp",
                "source_address_prefix": "*", "source_address_prefixes": [], "source_port_range": "*",
                "source_port_ranges": []}

    def nsg(name, rules):
        return res("azurerm_network_security_group", name, {
            "id": "%s/networkSecurityGroups/%s" % (RID, name), "name": name, "location": "westeurope",
            "resource_group_name": "rg", "security_rule": rules, "tags": {}})

    def subnet(name, prefix):
        return res("azurerm_subnet", name, {"id": "%s/virtualNetworks/vnet/subnets/%s" % (RID, name), "name": name,
                                            "address_prefixes": [prefix], "resource_group_name": "rg",
                                            "virtual_network_name": "vnet"})

    def assoc(sub, nsg_name):
        return res("azurerm_subnet_network_security_group_association", sub, {
            "id": "%s/virtualNetworks/vnet/subnets/%s" % (RID, sub),
            "subnet_id": "%s/virtualNetworks/vnet/subnets/%s" % (RID, sub),
            "network_security_group_id": "%s/networkSecurityGroups/%s" % (RID, nsg_name)})

    state = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
        nsg("nsg-web", [rule("allow-smb", 100, "Allow", "445"), rule("deny-rest", 4000, "Deny")]),
        nsg("nsg-db", [rule("deny-all", 100, "Deny")]),
        subnet("web", "10.20.0.0/24"), subnet("db", "10.40.0.0/24"), subnet("mgmt", "10.50.0.0/24"),
        assoc("web", "nsg-web"), assoc("db", "nsg-db")]}}}
    cfg = azure_nsg.parse(json.dumps(state, indent=2), "tf.json")
    assert _decide(cfg, OUTSIDE, SRV) == "permit"
    assert _decide(cfg, OUTSIDE, "10.40.0.10", host="10.40.0.10") == "deny"
    # no association in the state: one may be made outside it, so the subnet is not placed (both NSGs deny 3389)
    assert _decide(cfg, OUTSIDE, "10.50.0.10", 3389, host="10.50.0.10") == "deny"
    assert _decide(cfg, OUTSIDE, "10.50.0.10", host="10.50.0.10") == "unknown"
    # a host in no subnet of the state: both NSGs are subnets' (by their associations), so alternatives: nsg-web
    # allows SMB, nsg-db denies it
    assert _decide(cfg, OUTSIDE, "10.60.0.10", host="10.60.0.10") == "unknown"


def test_azure_the_alternatives_finding_is_moot_for_a_placed_host():
    cfg = _azure(WEB, DB, VNET)
    placed = replace(cfg, local_addresses=ISet.of(addr_to_int(SRV)))
    assert not [d for d in placed.reported() if "NSGs associated with subnets" in d.message]
    lost = replace(cfg, local_addresses=ISet.of(addr_to_int("10.60.0.10")))
    assert [d for d in lost.reported() if "NSGs associated with subnets" in d.message]


def test_explain_takes_the_inputs_that_complete_a_config_as_audit_does(tmp_path):
    # explain of describe-network-acls with describe-subnets in a file of its own: the ACLs placed as audit places
    # them (acl-srv allows SMB from outside to its subnet); the ACLs alone stay alternatives (unknown); inputs of
    # two devices are one line, exit 2
    from test_formats import cli

    acls, nets = tmp_path / "acls.json", tmp_path / "subnets.json"
    acls.write_text(_input([SERVERS, CLIENTS, CLOSED]))
    nets.write_text(json.dumps({"Subnets": SUBNETS}, indent=4))
    args = ("--src", OUTSIDE, "--dst", SRV, "--dport", "445", "--host", SRV, "--format", "json")
    code, out, _err = cli("explain", str(acls), str(nets), *args)
    assert code == 0 and json.loads(out)["decision"] == "permit"
    code, out, _err = cli("explain", str(acls), *args)
    assert code == 0 and json.loads(out)["decision"] == "unknown"
    code, out, err = cli("explain", str(acls), "examples/prinergy-site/asa.cfg", *args)
    assert code == 2 and out == "" and "explain decides on one device" in err and len(err.strip().splitlines()) == 1


def test_azure_an_interface_nsg_the_input_names_by_id_only_may_be_any_unplaced_hosts():
    # 'az network nsg list' names an NSG's network interfaces by resource ID only ("networkInterfaces": [{"id"}]);
    # their addresses are in 'az network nic list'. Without it, a host of a subnet with no NSG may still be behind
    # that NSG on its interface (Microsoft: zero or one NSG per subnet and per interface; inbound the subnet's then
    # the interface's): permitted where it permits, unknown where it denies, never a pass the interface NSG would
    # refuse (before: permit on every port, the NSG ignored once the virtual network placed it on a subnet too)
    smb_only = _az_nsg("nsg-vms", [_az_rule("allow-smb", 100, "Allow", "445"), _az_rule("deny-rest", 4000, "Deny"),
                                   _az_rule("deny-out", 4000, "Deny", direction="Outbound")], ("db",))
    smb_only["networkInterfaces"] = [{"id": RID + "/networkInterfaces/vm9-nic", "resourceGroup": "rg"}]
    vnet = _vnet(("web", "10.20.0.0/24", "nsg-web"), ("db", "10.40.0.0/24", "nsg-vms"), ("mgmt", "10.50.0.0/24", ""))
    cfg = _azure(WEB, smb_only, vnet)
    host = "10.50.0.10"
    assert _decide(cfg, OUTSIDE, host, 445, host=host) == "permit"  # (none, or nsg-vms: both permit 445)
    assert _decide(cfg, OUTSIDE, host, 3389, host=host) == "unknown"
    # the other end too: from a VM of subnet web whose interface may be behind nsg-vms (denying outbound) to SRV
    assert _decide(cfg, "10.20.0.5", SRV) == "unknown"
    # the NSG without interfaces: the subnet with no NSG filters nothing (the other side of the edge)
    del smb_only["networkInterfaces"]
    cfg = _azure(WEB, smb_only, vnet)
    assert _decide(cfg, OUTSIDE, host, 3389, host=host) == "permit"
    assert _decide(cfg, "10.20.0.5", SRV) == "permit"
    # the host's interface given, with no NSG: decided again
    smb_only["networkInterfaces"] = [{"id": RID + "/networkInterfaces/vm9-nic", "resourceGroup": "rg"}]
    cfg = _azure(WEB, smb_only, vnet, _nic("vm1-nic", host))
    assert _decide(cfg, OUTSIDE, host, 3389, host=host) == "permit"


def test_azure_an_nsg_the_input_places_nowhere_may_apply_or_not():
    # an NSG that no subnet or interface of the input names, and that names none itself: it may be the host's
    # interface NSG, or be associated with nothing and filter nothing (Microsoft: "zero, or one" NSG per subnet
    # and per interface). Taken as certainly the host's (before), its deny-all hid what nsg-web exposes (a wrong
    # deny that would pass PRN150); now permitted only where it permits too, unknown elsewhere, and what nsg-web
    # denies is still denied
    x = _az_nsg("nsg-x", [_az_rule("deny-all", 100, "Deny"), _az_rule("deny-out", 100, "Deny", direction="Outbound")])
    cfg = _azure(WEB, x, VNET)
    assert _decide(cfg, OUTSIDE, SRV) == "unknown"
    assert _decide(cfg, OUTSIDE, SRV, 80) == "deny"
    # the host's interface given with its NSG (none): nsg-x is no NSG of it, nsg-web decides
    cfg = _azure(WEB, x, VNET, _nic("vm1-nic", SRV))
    assert _decide(cfg, OUTSIDE, SRV) == "permit"

"""AWS, Azure and Check Point behaviours from the vendors' documents (session 26), each a small input in the
documented shape, its expected decisions written from the document cited."""

from __future__ import annotations

import json
from dataclasses import replace

from auditor.api import audit, explain
from auditor.core.packets import ISet, addr_to_int
from auditor.policy import load_site
from parsers import aws

SRV, WS, OUTSIDE = "10.20.0.10", "10.30.0.5", "198.51.100.7"


def _decide(cfg, src: str, dst: str, dport: int = 445, host: str = SRV) -> str:
    cfg = replace(cfg, local_addresses=ISet.of(addr_to_int(host)))
    return explain(cfg, src, dst, "tcp", 40000, dport)["decision"]


# --- AWS: several network ACLs, one per subnet ----------------------------------------------------------------
# AWS, "Control subnet traffic with network access control lists"
# (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html): "Each subnet in your VPC must be
# associated with a network ACL ... A subnet can be associated with only one network ACL at a time." And
# `aws ec2 describe-network-acls` without a filter lists every ACL of the region. Before, each associated ACL of
# the input was a stage the flow had to pass: an ACL of another subnet that denies everything made the server
# look unreachable from the internet (PRN150 silent: a wrong pass) while the ACL of the server's subnet allows it.

def _entry(n: int, egress: bool, action: str, cidr: str = "0.0.0.0/0", ports: tuple | None = None) -> dict:
    e = {"CidrBlock": cidr, "Egress": egress, "Protocol": "6" if ports else "-1", "RuleAction": action,
         "RuleNumber": n}
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e


def _acl(aid: str, subnet: str, entries: list) -> dict:
    return {"Associations": [{"NetworkAclAssociationId": "aclassoc-" + aid[4:], "NetworkAclId": aid,
                              "SubnetId": subnet}],
            "Entries": entries + [_entry(32767, True, "deny"), _entry(32767, False, "deny")],
            "IsDefault": False, "NetworkAclId": aid, "Tags": [], "VpcId": "vpc-1", "OwnerId": "111122223333"}


def _acls(*acls: dict) -> str:
    return json.dumps({"NetworkAcls": list(acls)}, indent=4)


OPEN = _acl("acl-open", "subnet-servers", [_entry(100, False, "allow"), _entry(100, True, "allow")])
CLOSED = _acl("acl-closed", "subnet-other", [])
SMB_ONLY = _acl("acl-smb", "subnet-clients", [_entry(100, False, "allow", ports=(445, 445)),
                                              _entry(100, True, "allow", ports=(1024, 65535))])


def test_a_network_acl_of_another_subnet_does_not_deny_what_the_host_s_acl_may_allow():
    cfg = aws.parse(_acls(OPEN, CLOSED), "acls.json")
    # which ACL guards the server is not said: the internet may reach it (through acl-open), or not
    assert _decide(cfg, OUTSIDE, SRV) == "unknown"
    host = replace(cfg, local_addresses=ISet.of(addr_to_int(SRV)))
    found = audit([host], load_site(None, ["primary=%s" % SRV, "workshop=10.30.0.0/24"])).findings
    assert [f for f in found if f.rule_id == "PRN150" and f.status == "unknown"]
    assert [f for f in found if f.rule_id == "CFG300" and "acl-open, acl-closed" in f.message]


def test_what_every_network_acl_denies_or_permits_stays_decided():
    cfg = aws.parse(_acls(OPEN, SMB_ONLY), "acls.json")
    # SMB from a client, replies on its ephemeral port: both ACLs allow it
    assert _decide(cfg, WS, SRV, 445) == "permit"
    # port 80: acl-smb denies it, acl-open allows it: not known
    assert _decide(cfg, WS, SRV, 80) == "unknown"
    both_closed = aws.parse(_acls(CLOSED, replace_id(CLOSED, "acl-closed2", "subnet-x")), "acls.json")
    assert _decide(both_closed, OUTSIDE, SRV) == "deny"


def replace_id(acl: dict, aid: str, subnet: str) -> dict:
    return _acl(aid, subnet, [e for e in acl["Entries"] if e["RuleNumber"] != 32767])


def test_one_network_acl_is_the_host_s_as_before():
    cfg = aws.parse(_acls(CLOSED), "acl.json")
    assert _decide(cfg, OUTSIDE, SRV) == "deny"
    assert not [d for d in cfg.diagnostics if "network ACLs associated" in d.message]


# --- Azure: 'az network nsg list', NSGs of several subnets --------------------------------------------------
# Microsoft, "How network security groups filter network traffic" (https://learn.microsoft.com/azure/
# virtual-network/network-security-group-how-it-works): "You can associate zero, or one, network security group to
# each virtual network subnet and network interface in a virtual machine." 'az network nsg list' lists every NSG
# of the subscription, each with the subnets and interfaces it is associated with. Before, every NSG of the
# input was a stage the flow had to pass: the NSG of another subnet that denies the internet hid the server
# subnet's NSG that allows it (PRN150 silent: a wrong pass).

def _nsg(name: str, rules: list, subnets: tuple = (), nics: tuple = ()) -> dict:
    rid = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network"
    out = {"id": "%s/networkSecurityGroups/%s" % (rid, name), "location": "westeurope", "name": name,
           "provisioningState": "Succeeded", "resourceGroup": "rg", "securityRules": rules,
           "type": "Microsoft.Network/networkSecurityGroups"}
    if subnets:
        out["subnets"] = [{"id": "%s/virtualNetworks/vnet/subnets/%s" % (rid, s), "resourceGroup": "rg"}
                          for s in subnets]
    if nics:
        out["networkInterfaces"] = [{"id": "%s/networkInterfaces/%s" % (rid, n), "resourceGroup": "rg"} for n in nics]
    return out


def _nsg_rule(name: str, prio: int, access: str, src: str = "*", port: str = "*") -> dict:
    return {"access": access, "destinationAddressPrefix": "*", "destinationAddressPrefixes": [],
            "destinationPortRange": port, "destinationPortRanges": [], "direction": "Inbound", "name": name,
            "priority": prio, "protocol": "Tcp", "sourceAddressPrefix": src, "sourceAddressPrefixes": [],
            "sourcePortRange": "*", "sourcePortRanges": []}


def test_nsgs_of_different_subnets_are_one_of_them_for_the_host():
    from parsers import azure_nsg

    web = _nsg("nsg-web", [_nsg_rule("allow-any-smb", 100, "Allow", port="445"), _nsg_rule("deny-rest", 4000, "Deny")],
               subnets=("web",))
    db = _nsg("nsg-db", [_nsg_rule("deny-all", 100, "Deny")], subnets=("db",))
    cfg = azure_nsg.parse(json.dumps([web, db], indent=2), "nsgs.json")
    assert _decide(cfg, OUTSIDE, SRV) == "unknown"
    # port 80: denied by both NSGs, whichever is the host's
    assert _decide(cfg, OUTSIDE, SRV, 80) == "deny"
    assert [d for d in cfg.diagnostics if "2 NSGs associated with subnets (nsg-web, nsg-db)" in d.message]
    # a subnet's NSG and an interface's NSG both apply (inbound: the subnet's, then the interface's)
    nic = _nsg("nsg-vm1", [_nsg_rule("deny-all", 100, "Deny")], nics=("vm1-nic",))
    both = azure_nsg.parse(json.dumps([web, nic], indent=2), "nsgs.json")
    assert _decide(both, OUTSIDE, SRV) == "deny"
    assert not [d for d in both.diagnostics if "NSGs associated with" in d.message]


# --- Check Point: a rule installed on a gateway the package is not installed on ------------------------------
# Management API reference, show-package: "installation-targets: Which Gateways identified by the name or UID to
# install the policy on"; the Install On column: "network objects that will get the rule(s) of the security
# policy" (a rule whose Install On names only gateways that are not the package's targets is installed nowhere
# the package is: "Check Point: don't use the Install On column", lkhill.com). Before, such a rule made its
# packets unknown ("the policy names 2 gateways"), though the package names one target.

def _cp_policy(rules_of):
    import sys

    sys.path.insert(0, "tests/checkpoint")
    import cp_helpers as cp

    gw1 = cp.obj("simple-gateway", "gw1", ipv4_address="192.0.2.1")
    gw2 = cp.obj("simple-gateway", "gw2", ipv4_address="192.0.2.2")
    lay_uid = cp.uid()
    lay = cp.layer("Network", rules_of(cp, gw1, gw2), [gw1, gw2], layer_uid=lay_uid)
    pkg = cp.package("Standard", [cp.access_layer_info("Network", lay_uid)])
    pkg["installation-targets"] = [{"uid": gw1["uid"], "name": "gw1", "type": "simple-gateway"}]
    return cp, cp.parse([lay, pkg, cp.global_properties(**cp.NO_IMPLIED)])


def test_a_rule_installed_only_on_a_gateway_the_package_is_not_installed_on_does_not_apply():
    cp, cfg = _cp_policy(lambda cp, gw1, gw2: [cp.rule("accept-on-gw2", install_on=[gw2])])
    assert cp.decide(cfg, WS, SRV) == "deny"  # the implicit cleanup rule (drop)
    cp, cfg = _cp_policy(lambda cp, gw1, gw2: [cp.rule("drop-on-gw2", action="Drop", install_on=[gw2]),
                                               cp.rule("accept")])
    assert cp.decide(cfg, WS, SRV) == "permit"
    # a rule on the package's target applies
    cp, cfg = _cp_policy(lambda cp, gw1, gw2: [cp.rule("drop-on-gw1", action="Drop", install_on=[gw1]),
                                               cp.rule("accept")])
    assert cp.decide(cfg, WS, SRV) == "deny"

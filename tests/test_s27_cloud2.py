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

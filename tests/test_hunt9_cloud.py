"""Azure NSG and Check Point NAT shapes, each reduced to a small synthetic input and checked against the
vendor's document cited in its test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    access_layer_info,
    decide,
    host,
    layer,
    nat_reply,
    nat_rule,
    network,
    package,
    packet,
    rule,
    text,
)

from parsers.checkpoint.build import build  # noqa: E402
from parsers.checkpoint.document import read  # noqa: E402

WS, SRV = "10.1.0.5", "10.2.0.10"


# --- Azure NSG: rules see the VM's private address ---------------------------------------------------------
# Microsoft, "Network security groups" (https://learn.microsoft.com/azure/virtual-network/
# network-security-groups-overview, "Security rules", Source or destination): "If you specify an address for an
# Azure resource, specify the private IP address assigned to the resource. Network security groups are
# processed after Azure translates a public IP address to a private IP address for inbound traffic, and before
# Azure translates a private IP address to a public IP address for outbound traffic." An inbound rule whose
# destination is a VM's public address therefore never matches traffic to that VM; which addresses are public
# addresses rather than (possibly non-RFC 1918) virtual network space is not in an NSG export, so the part of a
# rule's own side (inbound destination, outbound source) outside RFC 1918 and the virtual networks of the
# input is uncertain. Before, an allow to the public address 20.1.2.3 was a sure permit for traffic to it.

def _nsg(rules: list, vnet: str | None = None) -> str:
    nsg = {"name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups",
           "properties": {"securityRules": rules}}
    if vnet is None:
        return json.dumps(nsg, indent=2)
    net = {"name": "vnet1", "type": "Microsoft.Network/virtualNetworks",
           "properties": {"addressSpace": {"addressPrefixes": [vnet]}}}
    return json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                       "resources": [net, nsg]}, indent=2)


def _az_rule(name: str, prio: int, direction: str = "Inbound", src: str = "10.1.0.0/24", dst: str = "*",
             port: str = "445") -> dict:
    return {"name": name, "properties": {
        "protocol": "Tcp", "access": "Allow", "priority": prio, "direction": direction, "sourceAddressPrefix": src,
        "sourcePortRange": "*", "destinationAddressPrefix": dst, "destinationPortRange": port}}


def _az(text_: str, src: str, dst: str, dport: int = 445) -> str:
    from auditor.api import explain
    from parsers import azure_nsg

    return explain(azure_nsg.parse(text_, "nsg.json"), src, dst, "tcp", 40000, dport)["decision"]


def test_an_nsg_rule_to_a_public_address_is_unknown_not_permit():
    from parsers import azure_nsg

    public = _nsg([_az_rule("smb", 100, dst="20.1.2.3")])
    assert _az(public, WS, "20.1.2.3") == "unknown"
    cfg = azure_nsg.parse(public, "nsg.json")
    assert any("20.1.2.3" in d.message and "private" in d.message for d in cfg.diagnostics)
    # a private destination is exact, as before
    private = _nsg([_az_rule("smb", 100, dst=SRV)])
    assert _az(private, WS, SRV) == "permit"
    assert not any("private" in d.message for d in azure_nsg.parse(private, "nsg.json").diagnostics)
    # a destination holding every IPv4 address holds the VM's private one too: exact
    assert _az(_nsg([_az_rule("smb", 100, dst="0.0.0.0/0")]), WS, "20.1.2.3") == "permit"
    # a virtual network of the input with public address space: its addresses are private IPs there
    assert _az(_nsg([_az_rule("smb", 100, dst="20.1.2.3")], vnet="20.1.0.0/16"), WS, "20.1.2.3") == "permit"


def test_an_outbound_nsg_rule_from_a_public_address_is_uncertain():
    from parsers import azure_nsg

    def out_rule(src: str):
        cfg = azure_nsg.parse(_nsg([_az_rule("out", 100, direction="Outbound", src=src, port="445")]), "nsg.json")
        return cfg.filters["nsg1 outbound"].rules[0]

    r = out_rule("20.1.2.3")
    assert not r.match.contains(packet("20.1.2.3", "192.0.2.7")) and r.maybe.contains(packet("20.1.2.3", "192.0.2.7"))
    r = out_rule("10.1.0.5")
    # (exact for the private address; a public source address may be translated to it: test_hunt22_cloud)
    assert r.match.contains(packet("10.1.0.5", "192.0.2.7")) and not r.maybe.contains(packet("10.1.0.5", "192.0.2.7"))


# --- Check Point: NAT rulebases of several packages ---------------------------------------------------------
# Management API reference, show-nat-rulebase (https://sc1.checkpoint.com/documents/latest/APIs/#cli/
# show-nat-rulebase): the request names the "package" (required) whose NAT rulebase is shown; the reply's "uid"
# is that rulebase's and the reply does not say the package. Each policy package has its own NAT rulebase, and a
# gateway enforces the one of the package installed on it. Replies of two rulebases (two uids) are two
# packages' NAT policies: joining them into one first-match table (as before, with no report) applies rules the
# gateway does not hold, ahead of or after its own. Which reply is the audited package's is not in the input:
# every NAT verdict is unknown, reported.

def cp_config(*replies):
    """The config of several Check Point replies (one export: what the combine hook builds)."""
    return build([read(text(r), "reply%d.json" % i) for i, r in enumerate(replies)])


def test_nat_replies_of_two_rulebases_are_not_joined():
    lu = "11111111-aaaa-4bbb-8ccc-000000000901"
    srv, away, other = host("srv", SRV), host("away", "10.9.9.9"), host("other", "10.8.8.8")
    access = layer("Network", [rule("any")], [], layer_uid=lu)
    pkg = package("Standard", [access_layer_info("Network", lu)])
    mine = nat_reply([nat_rule(1, odst=other, tdst=away)], [other, away])
    theirs = nat_reply([nat_rule(1, odst=srv, tdst=away)], [srv, away])  # another package's NAT rulebase
    cfg = cp_config(access, mine, theirs, pkg)
    assert decide(cfg, WS, SRV) == "unknown"
    assert any("NAT rulebases" in d.message for d in cfg.diagnostics)
    # one rulebase, in two pages of the same uid: joined, nothing reported
    second = nat_reply([nat_rule(2, odst=srv, tdst=away)], [srv, away])
    second["uid"], second["from"], second["to"], second["total"] = mine["uid"], 2, 2, 2
    mine["total"] = 2
    cfg = cp_config(access, mine, second, pkg)
    assert not any("NAT rulebases" in d.message for d in cfg.diagnostics)
    assert decide(cfg, WS, "10.7.7.7") == "permit"
    assert [r.label for r in cfg.nat[0].rules] == ["NAT rule 1 (static)", "NAT rule 2 (static)"]


# --- Check Point: automatic NAT without the NAT rulebase ----------------------------------------------------
# Management API reference, add-host / add-network (https://sc1.checkpoint.com/documents/latest/APIs/#cli/
# add-host), "nat-settings": "auto-rule" (boolean) "Whether to add automatic address translation rules",
# "method" static or hide, "ipv4-address" the translated address, "hide-behind" gateway or ip-address; the
# automatic rules are placed in the NAT rulebase (R81 Security Management Administration Guide, "Working with
# Automatic NAT Rules": static NAT makes a rule for connections from the object and one for connections to its
# valid address, hide NAT one for connections from it). An export with such an object but no show-nat-rulebase
# reply does not hold those rules: before, no NAT applied and nothing was reported (a hidden Workshop network's
# packets reached the server's rules untranslated, for certain).

def test_automatic_nat_without_the_nat_rulebase_is_unknown_and_reported():
    lu = "11111111-aaaa-4bbb-8ccc-000000000902"
    pkg = package("Standard", [access_layer_info("Network", lu)])
    lan = network("workshop-net", "10.1.0.0", 16, nat_settings={"auto-rule": True, "method": "hide",
                                                                 "hide-behind": "gateway"})
    srv = host("srv", SRV, nat_settings={"auto-rule": True, "method": "static", "ipv4-address": "203.0.113.10"})
    access = layer("Network", [rule("ws to srv", src=[lan], dst=[srv]), rule("any")], [lan, srv], layer_uid=lu)
    cfg = cp_config(access, pkg)
    assert decide(cfg, WS, SRV) == "unknown"  # (hidden behind the gateway: the rule translating it is not given)
    assert decide(cfg, "10.3.0.1", "203.0.113.10") == "unknown"  # (srv's valid address, translated to it)
    assert decide(cfg, "10.3.0.1", "10.4.0.1") == "permit"  # (no automatic rule matches it)
    assert sum("automatic NAT" in d.message and "show-nat-rulebase" in d.message for d in cfg.diagnostics) == 2
    # automatic NAT off, or the package without a NAT policy: nothing to report
    for o in (lan, srv):
        o["nat-settings"]["auto-rule"] = False
    cfg = cp_config(access, pkg)
    assert decide(cfg, WS, SRV) == "permit"
    assert not any("automatic NAT" in d.message for d in cfg.diagnostics)
    lan["nat-settings"]["auto-rule"] = True
    cfg = cp_config(access, package("Standard", [access_layer_info("Network", lu)], nat=False))
    assert decide(cfg, WS, SRV) == "permit" and cfg.nat == ()


def test_azure_health_probes_are_no_exposure():
    # Microsoft, "What is IP address 168.63.129.16?": "the virtual public IP address of the host" (health
    # probes, DHCP, DNS); the default rule AllowAzureLoadBalancerInBound lets it in and cannot be removed.
    # PRN150 reported every Azure NSG for it; another source that a rule lets in still is.
    from auditor.api import audit
    from auditor.policy import load_site
    from parsers import parse_text

    path = "tests/fixtures/corpus/azure/bf-NetworkSecurityGroupTest.json"
    cfg = parse_text(open(path).read(), path)
    found = [f for f in audit([cfg], load_site(None, ["workshop=10.0.0.0/8", "primary=10.0.1.4"])).findings
             if f.rule_id == "PRN150"]
    assert not [f for f in found if "AllowAzureLoadBalancerInBound" in f.message]
    assert [f.status for f in found] == ["unknown"]  # (line 62: a rule not fully understood, as before)

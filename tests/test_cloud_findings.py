"""Cloud findings name their rule, and never tell the admin to remove a platform's own rule."""

import json

from test_azure import SITE_ROLES, nsg_text, rule

from auditor.api import audit
from auditor.policy import load_site
from parsers import aws, azure_nsg


def test_azure_default_rules_are_never_reported_as_shadowed_or_redundant():
    # an allow-all at 100 covers DenyAllInBound (65500): still not "remove it", Azure keeps it
    # (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules:
    # "You can't remove the default rules")
    text = nsg_text([rule("AllowEverything", 100, proto="*")], defaults=True)
    cfg = azure_nsg.parse(text, "nsg.json")
    found = audit([cfg], load_site(None, SITE_ROLES)).findings
    lines = {f.source.line for f in found if f.rule_id in ("ACL200", "ACL201")}
    defaults = [r for fl in cfg.filters.values() for r in fl.rules if r.builtin]
    assert {r.label.split(" rule ")[1].split(" ")[0] for r in defaults} >= {"DenyAllInBound", "AllowVnetInBound"}
    assert not lines & {r.source.line for r in defaults}


def test_a_finding_on_a_cloud_rule_names_its_group_direction_and_ports():
    text = nsg_text([rule("Any-In", 100, proto="*", src="*", dst="*")])
    found = audit([azure_nsg.parse(text, "nsg.json")], load_site(None, SITE_ROLES)).findings
    broad = [f for f in found if f.rule_id == "ACL210"]
    assert broad and "NSG prinergy-nsg inbound rule Any-In (priority 100): allow * from * port * to * port *" \
        in broad[0].message
    sg = {"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "prinergy", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        "IpPermissionsEgress": []}]}
    found = audit([aws.parse(json.dumps(sg, indent=1), "sg.json")],
                  load_site(None, ["primary=10.2.0.10", "workshop=10.1.0.0/24"])).findings
    exposed = [f for f in found if f.rule_id == "PRN150"]
    assert exposed and "security group sg-1 (prinergy) inbound: allow tcp 445 from 0.0.0.0/0" in exposed[0].message


def test_a_listed_default_rule_covered_by_earlier_rules_is_not_reported():
    # `az network nsg show` lists the default rules (defaultSecurityRules) with their own lines
    from test_azure import CORPUS

    cfg = azure_nsg.parse((CORPUS / "bf-cloud-azure-VM1-nsg.json").read_text(), "vm1.json")
    deny_all = [r for f in cfg.filters.values() for r in f.rules if r.builtin and "DenyAllInBound" in r.label]
    assert [r.source.line for r in deny_all] == [122]
    found = audit([cfg], load_site(None, ["primary=10.0.0.4", "workshop=10.30.0.0/24"])).findings
    assert not [f for f in found if f.rule_id in ("ACL200", "ACL201") and f.source.line == 122]


def test_a_rule_for_the_other_address_family_exposes_nothing():
    # An IPv6 source never sends a packet to an IPv4 address (RFC 8200: one header, one family), so a
    # security group entry 'tcp 80 from ::/0' opens nothing to an IPv4 server: PRN150/PRN170 found
    # 'tcp [::1]:49152 -> 10.2.0.10:80' in AWS's own example group (bf-hybrid-cloud, launch-wizard-6).
    from conftest import ROOT

    path = str(ROOT / "tests/fixtures/corpus/aws/bf-hybrid-cloud-SecurityGroups.json")
    cfg = aws.parse(open(path).read(), path)
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"])
    r = audit([cfg], site)
    for f in r.findings:
        if f.rule_id in ("PRN150", "PRN160", "PRN170") and f.example is not None:
            src, dst = f.example[0], f.example[1]
            assert (src >> 32 == 0xFFFF) == (dst >> 32 == 0xFFFF), f.message
    assert not [f for f in r.findings if f.rule_id == "PRN170" and f.source.line == 301]

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

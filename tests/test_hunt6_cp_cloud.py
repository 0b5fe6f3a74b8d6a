"""Shapes of Check Point management API replies, AWS and Azure exports the parsers misread, each
reduced to a small synthetic input and checked against the vendor's document cited in its test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    access_layer_info,
    decide,
    host,
    layer,
    obj,
    package,
    rule,
    text,
)

from parsers.checkpoint.build import build  # noqa: E402
from parsers.checkpoint.document import read  # noqa: E402

WS, SRV = "10.1.0.5", "10.2.0.10"


def cp_config(*replies):
    """The config of several Check Point replies (one export: what the combine hook builds)."""
    return build([read(text(r), "reply%d.json" % i) for i, r in enumerate(replies)])


# --- Check Point: the package's installation targets ---------------------------------------------------
# Management API reference, show-package: "installation-targets" is "all" or the gateways the policy is
# installed on (Check Point's Ansible collection, cp_mgmt_package: "Which Gateways identified by the name or
# UID to install the policy on"). A rule's Install On names the gateways that get the rule; Policy Targets
# installs it on every gateway of the package
# (http://techblog.sansbound.com/2016/02/11/fields-description-in-check-point-firewall/), and a rule whose
# Install On is a firewall the policy is not installed on is silently not installed
# (http://lkhill.com/check-point-dont-use-the-install-on-column/). Before, the rules alone were read: one
# gateway named in them made the audit "as that gateway", even when the package is installed on another.

def _gateways():
    g1 = obj("simple-gateway", "gw1", ipv4_address="192.0.2.1", interfaces=[])
    g2 = obj("simple-gateway", "gw2", ipv4_address="192.0.2.2", interfaces=[])
    return g1, g2


def _target(g):
    return {"uid": g["uid"], "name": g["name"], "type": g["type"]}


def test_a_rule_on_one_of_the_package_s_two_gateways_is_not_a_certain_permit():
    g1, g2 = _gateways()
    lu = "11111111-aaaa-4bbb-8ccc-000000000001"
    lay = layer("Network", [rule("gw1 only", install_on=[g1]), rule("cleanup", action="Drop")], [g1, g2],
                layer_uid=lu)
    pkg = package("Standard", [access_layer_info("Network", lu)])
    pkg["installation-targets"] = [_target(g1), _target(g2)]
    cfg = cp_config(lay, pkg)
    # on gw2 the rule is not installed and the cleanup drops the flow: which gateway is audited is not known
    assert decide(cfg, WS, SRV) == "unknown"
    assert "installed on gw1 only" in cfg.filters["Network"].rules[0].note


def test_a_rule_installed_on_a_gateway_the_package_is_not_installed_on_is_not_a_permit():
    g1, g2 = _gateways()
    lu = "11111111-aaaa-4bbb-8ccc-000000000002"
    lay = layer("Network", [rule("stale", install_on=[g2]), rule("cleanup", action="Drop")], [g1, g2],
                layer_uid=lu)
    pkg = package("Standard", [access_layer_info("Network", lu)])
    pkg["installation-targets"] = [g1["uid"]]  # (as a uid: the export holds gw1's object)
    cfg = cp_config(lay, pkg)
    assert decide(cfg, WS, SRV) != "permit"


def test_a_rule_on_the_package_s_one_gateway_applies():
    g1, _g2 = _gateways()
    lu = "11111111-aaaa-4bbb-8ccc-000000000003"
    lay = layer("Network", [rule("gw1", install_on=[g1]), rule("cleanup", action="Drop")], [g1], layer_uid=lu)
    pkg = package("Standard", [access_layer_info("Network", lu)])
    pkg["installation-targets"] = [{"uid": g1["uid"], "name": "gw1", "type": "simple-gateway"}]
    assert decide(cp_config(lay, pkg), WS, SRV) == "permit"



# --- Check Point: a rulebase reply that is one page of its layer -----------------------------------------
# Management API reference, show-access-rulebase (https://sc1.checkpoint.com/documents/latest/APIs/#cli/
# show-access-rulebase): a reply holds at most "limit" rules (50 unless asked for more, at most 500), with
# "from" and "to" (the numbers of its first and last rules) and "total" (the layer's number of rules).
# Before, a reply of the first 50 rules of a longer layer was read as the whole layer: the rules after it were
# skipped, and a flow they drop reached the layer's cleanup rule (accept here): a permit.

def test_the_rules_after_the_last_page_of_a_layer_are_unknown():
    lu = "11111111-aaaa-4bbb-8ccc-000000000011"
    other = host("other", "10.9.9.9")
    lay = layer("Network", [rule("to other", dst=[other])], [other], layer_uid=lu)
    lay["to"], lay["total"] = 1, 3  # the first page (limit 1) of a layer of 3 rules
    cfg = cp_config(lay, package("Standard", [access_layer_info("Network", lu, cleanup="accept")]))
    assert decide(cfg, WS, SRV) == "unknown"
    assert any("rules 2-3 of layer Network" in d.message for d in cfg.diagnostics)
    # the whole layer in one reply: the cleanup accepts
    lay["to"], lay["total"] = 1, 1
    cfg = cp_config(lay, package("Standard", [access_layer_info("Network", lu, cleanup="accept")]))
    assert decide(cfg, WS, SRV) == "permit"


def test_a_page_missing_between_two_pages_is_unknown_there():
    lu = "11111111-aaaa-4bbb-8ccc-000000000012"
    other = host("other", "10.9.9.9")
    first = layer("Network", [rule("to other", dst=[other])], [other], layer_uid=lu)
    first["to"], first["total"] = 1, 3
    last = layer("Network", [rule("cleanup", action="Drop")], [], layer_uid=lu)
    last["from"], last["to"], last["total"] = 3, 3, 3  # rule 2 (page 2) is not in the input
    cfg = cp_config(last, first)
    assert decide(cfg, WS, SRV) == "unknown"
    assert decide(cfg, WS, "10.9.9.9") == "permit"


# --- AWS network ACLs: the replies of ICMP and of protocols without ports ----------------------------
# AWS, "Control subnet traffic with network access control lists"
# (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html): "Network ACLs are stateless,
# which means that responses to allowed inbound traffic are subject to the rules for outbound traffic (and
# vice versa)", whatever the protocol. An ICMP echo request's response is an echo reply (ICMP type 0;
# ICMPv6 129). Before, the replies of every protocol but TCP and UDP were let through unchecked: a ping, or
# GRE, that the outbound entries stop was a permit.

def _nacl(entries: list) -> str:
    import json

    return json.dumps({"NetworkAcls": [{
        "Associations": [{"NetworkAclAssociationId": "aclassoc-1", "NetworkAclId": "acl-1",
                          "SubnetId": "subnet-1"}],
        "Entries": entries, "IsDefault": False, "NetworkAclId": "acl-1", "Tags": [], "VpcId": "vpc-1",
        "OwnerId": "111122223333"}]}, indent=4) + "\n"


def _entry(num, egress, action, proto="-1", cidr="0.0.0.0/0", **kw):
    e = {"CidrBlock": cidr, "Egress": egress, "Protocol": proto, "RuleAction": action, "RuleNumber": num}
    e.update(kw)
    return e


def _aws_decide(text_, src, dst, proto, dport):
    from auditor.api import explain
    from parsers import aws

    return explain(aws.parse(text_, "nacl.json"), src, dst, proto, None, dport)["decision"]


def test_a_ping_whose_echo_reply_the_outbound_entries_deny_is_denied():
    text_ = _nacl([_entry(90, True, "allow", "1", IcmpTypeCode={"Code": -1, "Type": 3}),
                   _entry(32767, True, "deny"),
                   _entry(100, False, "allow", cidr="10.1.0.0/16"), _entry(32767, False, "deny")])
    assert _aws_decide(text_, WS, SRV, "icmp", 8 * 256) == "deny"


def test_a_ping_whose_echo_reply_an_outbound_entry_allows_is_permitted():
    text_ = _nacl([_entry(90, True, "allow", "1", cidr="10.1.0.0/16", IcmpTypeCode={"Code": 0, "Type": 0}),
                   _entry(32767, True, "deny"),
                   _entry(100, False, "allow", cidr="10.1.0.0/16"), _entry(32767, False, "deny")])
    assert _aws_decide(text_, WS, SRV, "icmp", 8 * 256) == "permit"
    # an ICMP message other than an echo request: whether it has a reply is not modelled
    assert _aws_decide(text_, WS, SRV, "icmp", 13 * 256) == "unknown"


def test_gre_whose_return_traffic_the_outbound_entries_deny_is_denied():
    text_ = _nacl([_entry(100, True, "allow", "6", cidr="10.1.0.0/16", PortRange={"From": 1024, "To": 65535}),
                   _entry(32767, True, "deny"),
                   _entry(100, False, "allow", cidr="10.1.0.0/16"), _entry(32767, False, "deny")])
    assert _aws_decide(text_, WS, SRV, "47", None) == "deny"
    allow_all = _nacl([_entry(100, True, "allow", cidr="10.1.0.0/16"), _entry(32767, True, "deny"),
                       _entry(100, False, "allow", cidr="10.1.0.0/16"), _entry(32767, False, "deny")])
    assert _aws_decide(allow_all, WS, SRV, "47", None) == "permit"
    assert _aws_decide(allow_all, WS, SRV, "icmp", 3 * 256) == "permit"

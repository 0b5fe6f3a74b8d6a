"""Check Point red-team findings of session 29 (numbers, services, change requests), each a small input in the
management API's own shapes, checked against the document cited in its test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    NO_IMPLIED,
    decide,
    global_properties,
    group,
    host,
    layer,
    network,
    rule,
    tcp,
    text,
)

from parsers.checkpoint import parse  # noqa: E402
from parsers.kit import InputError  # noqa: E402

WS_NET, WS, SRV = "10.30.0.0", "10.30.0.7", "10.20.0.10"


# --- check-change: numbers in digits of other scripts --------------------------------------------------------------
# The Management API takes a rule number, a position and a port as ASCII digits (Management API reference,
# delete-access-rule / set-access-rule "rule-number: Rule number" (integer), add-access-rule "position: Position in
# the rulebase ... a number, top, bottom", set-service-tcp "port: The number of the port used to provide this
# service"); Python's str.isdecimal() and int() take other scripts' digits too ("\u0661" is ARABIC-INDIC DIGIT ONE,
# "\uff11" FULLWIDTH DIGIT ONE).  Such a command was applied (rule 1 deleted, a rule added at position 1, a group's
# member set), so check-change reviewed a change the server refuses; now it is refused at the change file's line.

def _export() -> str:
    srv, ws, smb = host("Srv", SRV), network("Workshop_Net", WS_NET, 24), tcp("microsoft-ds", "445")
    net = layer("Network", [rule("Block SMB", None, [srv], [smb], action="Drop"),
                            rule("Allow", [ws], [srv], [smb]), rule("Cleanup rule", action="Drop")],
                [srv, ws, smb, group("Servers", [srv])])
    return text([net, global_properties(**NO_IMPLIED)])


def _changed(change: str):
    from parsers.checkpoint.change import apply_change

    return parse(apply_change(_export(), change + "\n", "change.txt"), "policy.json")


@pytest.mark.parametrize("change", [
    'mgmt_cli delete access-rule layer "Network" rule-number \u0661',
    'mgmt_cli set access-rule layer "Network" rule-number \uff11 enabled false',
    'mgmt_cli add access-rule layer "Network" position \u0661 source "Workshop_Net" destination "Srv" '
    'service "microsoft-ds" action "Accept"',
    'mgmt_cli add access-rule layer "Network" position 1 source.\u0661 "Workshop_Net" destination "Srv" '
    'service "microsoft-ds" action "Accept"',
    'mgmt_cli set access-rule layer "Network" rule-number 1 new-position \u0663',
    'mgmt_cli set service-tcp name "microsoft-ds" port "\u0664\u0664\u0665"',
    'mgmt_cli add network name "N" subnet "10.9.0.0" mask-length "\u0662\u0664"',
    'mgmt_cli set group name "Servers" members.\u0661 "Workshop_Net"',
])
def test_check_change_refuses_numbers_in_other_digits(change):
    with pytest.raises(InputError, match=r"change\.txt:1: "):
        _changed(change)


def test_check_change_ascii_numbers_still_apply():
    assert decide(_changed('mgmt_cli delete access-rule layer "Network" rule-number 1'), WS, SRV) == "permit"
    assert decide(_changed('mgmt_cli set service-tcp name "microsoft-ds" port "446"'), WS, SRV) == "deny"
    assert decide(_changed('mgmt_cli set service-tcp name "microsoft-ds" port "446"'), WS, SRV, dport=446) == "deny"


def test_check_change_refuses_a_port_the_api_refuses():
    # (was written into the export, the service then unknown: a command the server refuses, reviewed as applied)
    with pytest.raises(InputError, match=r"change\.txt:1: port '80-'"):
        _changed('mgmt_cli set service-tcp name "microsoft-ds" port "80-"')


# --- a service's source port written as a number ---------------------------------------------------------------------
# "source-port: Port number for the client side service. If specified, only those Source port Numbers will be
# Accepted, Dropped, or Rejected during packet inspection" (Management API reference, add-service-tcp).  A
# source-port the JSON gives as a number (1024, not "1024") was taken for "any source port": the rule's accept
# covered every client port, a certain permit of connections the gateway drops.

def test_source_port_as_a_json_number_is_read():
    srv, ws = host("Srv", SRV), network("WS", WS_NET, 24)
    svc = tcp("dns_from_53", "53")
    svc["source-port"] = 1024
    cfg = parse(text([layer("Network", [rule("a", [ws], [srv], [svc]), rule("Cleanup rule", action="Drop")],
                            [srv, ws, svc]), global_properties(**NO_IMPLIED)]), "policy.json")
    assert decide(cfg, WS, SRV, dport=53, sport=40000) == "deny"  # (before: permit)
    assert decide(cfg, WS, SRV, dport=53, sport=1024) == "permit"


# --- a rule's flags that are not booleans ---------------------------------------------------------------------
# add-access-rule: "enabled: Enable/Disable the rule" (boolean), "source-negate: True if negate is set for source"
# (boolean), and so destination-negate, service-negate, content-negate; add-nat-rule: "enabled" (boolean) (Management
# API reference).  A flag written as a string ("false", "true": a hand-made or converted export) was read as "not
# false": a disabled rule enabled and a negated cell not negated, so the rule accepted the very packets it was meant
# to leave out (a certain permit).  Now the rule's packets are unknown, reported at its line.

def _flagged(**kw):
    srv, ws = host("Srv", SRV), network("WS", WS_NET, 24)
    rules = [rule("a", [ws], [srv], **kw), rule("Cleanup rule", action="Drop")]
    return parse(text([layer("Network", rules, [srv, ws]), global_properties(**NO_IMPLIED)]), "policy.json")


@pytest.mark.parametrize("kw", [{"enabled": "false"}, {"src_neg": "true"}, {"dst_neg": 1}, {"svc_neg": "yes"}])
def test_a_flag_that_is_not_a_boolean_makes_the_rule_unknown(kw):
    cfg = _flagged(**kw)
    assert decide(cfg, WS, SRV) == "unknown"  # (before: permit)
    (d,) = [d for d in cfg.diagnostics if "is not true or false" in d.message]
    assert d.source.text.strip() == '"name": "a",'


def test_boolean_flags_as_before():
    assert decide(_flagged(enabled=False), WS, SRV) == "deny"
    assert decide(_flagged(src_neg=True), WS, SRV) == "deny"
    assert decide(_flagged(), WS, SRV) == "permit"


# --- install-on naming a group of gateways, or an object that is no gateway ----------------------------------------
# "Install On: Network objects that will get the rule(s) of the security policy" (the Install On column,
# http://techblog.sansbound.com/2016/02/11/fields-description-in-check-point-firewall/); "install-on: Which Gateways
# identified by the name or UID to install the policy on" (Management API reference, add-access-rule).  A group of
# gateways in the cell was taken for a gateway of its own name: with the package installed on GW1 (installation-
# targets), a Drop rule installed on the group holding GW1 was "never installed" and left out, so the Accept below it
# decided the packets (a certain permit of what the gateway drops).  Now a group names its members; an object that is
# no gateway or cluster (a cluster member, another type) leaves where the rule is installed unknown.

def _installed_on(cell, objects, targets):
    from cp_helpers import access_layer_info, package, uid

    srv, ws, smb = host("Srv", SRV), network("WS", WS_NET, 24), tcp("microsoft-ds", "445")
    lay = layer("Network", [rule("no smb", [ws], [srv], [smb], action="Drop", install_on=cell),
                            rule("ws to srv", [ws], [srv]), rule("Cleanup rule", action="Drop")],
                [srv, ws, smb, *objects], uid())
    pkg = package("Standard", [{"uid": lay["uid"], "name": "Network"}])
    pkg["installation-targets"] = targets
    return parse(text([lay, pkg, access_layer_info("Network", lay["uid"]), global_properties(**NO_IMPLIED)]),
                 "policy.json")


def _gateway(name, typ="simple-gateway", ip="192.0.2.1"):
    from cp_helpers import uid

    return {"uid": uid(), "name": name, "type": typ, "ipv4-address": ip, "interfaces": []}


def test_install_on_a_group_of_gateways_holding_the_target():
    gw1, gw2 = _gateway("GW1"), _gateway("GW2", ip="192.0.2.2")
    fws = group("FW_Group", [gw1, gw2])
    cfg = _installed_on([fws], [gw1, gw2, fws], [{"uid": gw1["uid"], "name": "GW1"}])
    assert decide(cfg, WS, SRV) == "deny"  # (before: permit, the Drop rule left out)
    # a group of other gateways only: the rule is not installed where the package is
    other = group("Other_FWs", [gw2])
    cfg = _installed_on([other], [gw1, gw2, other], [{"uid": gw1["uid"], "name": "GW1"}])
    assert decide(cfg, WS, SRV) == "permit"


def test_install_on_an_object_that_is_no_gateway_is_unknown():
    cl = _gateway("CL", "CpmiGatewayCluster")
    member = _gateway("CL_member1", "CpmiClusterMember", "192.0.2.3")
    cfg = _installed_on([member], [cl, member], [{"uid": cl["uid"], "name": "CL"}])
    assert decide(cfg, WS, SRV) == "unknown"  # (before: permit)
    lan = network("LAN", "192.0.2.0", 24)
    cfg = _installed_on([lan], [cl, lan], [{"uid": cl["uid"], "name": "CL"}])
    assert decide(cfg, WS, SRV) == "unknown"  # (before: permit)
    # the cluster itself: installed
    assert decide(_installed_on([cl], [cl], [{"uid": cl["uid"], "name": "CL"}]), WS, SRV) == "deny"


def test_install_on_a_group_whose_members_are_not_exported_is_unknown():
    gw1 = _gateway("GW1")
    fws = group("FW_Group", ["0000aaaa-aaaa-4bbb-8ccc-000000000001"])  # (its member not in the export)
    cfg = _installed_on([fws], [gw1, fws], [{"uid": gw1["uid"], "name": "GW1"}])
    assert decide(cfg, WS, SRV) == "unknown"  # (before: permit, the Drop rule left out)

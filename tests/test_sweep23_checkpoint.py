"""Check Point shapes found by comparing the auditor with Batfish's Check Point conversion tests (session 23), each
a small synthetic input in the management API's own shapes, checked against the document cited in its test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    NO_IMPLIED,
    decide,
    global_properties,
    host,
    layer,
    nat_reply,
    nat_rule,
    objects_reply,
    rule,
    text,
)

from auditor.core.model import Impact  # noqa: E402
from parsers.checkpoint.build import build  # noqa: E402
from parsers.checkpoint.document import read  # noqa: E402

WS, SRV = "10.1.0.5", "10.2.0.10"
NONE = {"uid": "97aeb36a-9aea-11d5-bd16-0090272ccb30", "name": "None", "type": "CpmiAnyObject",
        "domain": {"name": "Check Point Data"}}


def _config(*replies):
    """One export of several replies, the implied rules of Global Properties off."""
    return build([read(text(x), "r%d.json" % i) for i, x in enumerate((*replies, global_properties(**NO_IMPLIED)))])


# --- the predefined None object ---------------------------------------------------------------------------------
# Management API reference, set-policy-settings (as the check_point.mgmt collection documents it,
# docs.ansible.com/ansible/latest/collections/check_point/mgmt/cp_mgmt_set_policy_settings_module.html):
# "none_object_behavior: a 'None' object behavior. Rules with object 'None' will never be matched." The API's replies
# give None as {"uid": "97aeb36a-9aea-11d5-bd16-0090272ccb30", "name": "None", "type": "CpmiAnyObject"} (as they
# give Any, 97aeb369-..., "type": "CpmiAnyObject", and All, 97aeb368-...). Before, every
# CpmiAnyObject was taken as Any: an Accept rule whose source was None accepted every source (a wrong pass: the
# gateway never matches it, and the cleanup Drop decides).

def test_a_rule_with_the_none_object_never_matches():
    for cell in ("src", "dst", "svc"):
        acc = _config(layer("Network", [rule("none", **{cell: [NONE["uid"]]}), rule("cleanup", action="Drop")],
                            [NONE]))
        assert decide(acc, WS, SRV) == "deny", cell
        drop = _config(layer("Network", [rule("none", action="Drop", **{cell: [NONE["uid"]]}), rule("all")],
                             [NONE]))
        assert decide(drop, WS, SRV) == "permit", cell
    # a reply without the object in its dictionary: None by its uid, the same in every management database
    bare = _config(layer("Network", [rule("none", src=[NONE["uid"]]), rule("cleanup", action="Drop")], []))
    assert decide(bare, WS, SRV) == "deny"
    # negated, it is every address (what None does not hold)
    neg = _config(layer("Network", [rule("not-none", src=[NONE["uid"]], src_neg=True), rule("cleanup", action="Drop")],
                        [NONE]))
    assert decide(neg, WS, SRV) == "permit"


def test_any_is_still_everything():
    cfg = _config(layer("Network", [rule("any"), rule("cleanup", action="Drop")], []))
    assert decide(cfg, WS, SRV) == "permit"


# --- empty cells --------------------------------------------------------------------------------------------------
# The management server never leaves a rule's cell empty: "last-in-cell: Added object after removing the last object
# in cell" (None, or the cell's default, Any: set-policy-settings, same page). Batfish's
# CheckPointGatewayConversionsTest (testAppliesToGateway: "Empty install-on list does not apply") drops such a rule;
# before, the auditor read an empty
# source, destination or service as matching nothing and an empty install-on as Policy Targets, silently. An empty
# cell is not what the server holds: the rule is reported, and what it decides is unknown.

def test_an_empty_cell_is_reported_and_unknown():
    for key in ("source", "destination", "service", "install-on"):
        r = rule("r", action="Drop")
        r[key] = []
        cfg = _config(layer("Network", [r, rule("all")], []))
        assert decide(cfg, WS, SRV) == "unknown", key
        (d,) = [d for d in cfg.diagnostics if "empty %s cell" % key in d.message]
        assert d.impact is Impact.FILTER and d.source.text.strip().startswith('"name": "r"')
    ok = rule("all")
    ok["install-on"] = []
    assert decide(_config(layer("Network", [ok, rule("cleanup", action="Drop")], [])), WS, SRV) == "unknown"


def test_an_empty_install_on_cell_of_a_nat_rule_is_reported():
    n = nat_rule(1, method="hide")
    n["install-on"] = []
    cfg = _config(layer("Network", [rule("all")], []), nat_reply([n], []))
    assert [d.impact for d in cfg.diagnostics if "empty install-on cell" in d.message] == [Impact.GLOBAL]


# --- a file without the access rulebase ---------------------------------------------------------------------------
# Batfish's Check Point snapshot is one file per reply (show-hosts.json, show-services-tcp.json ...). Given alone,
# such a file holds objects and no rule: the verdict was unknown already, but the only reason given was "no required
# flow is routed through the device (check the site's addresses)". It now says what is missing: the access rulebase
# (show-access-rulebase, Management API reference), which decides every verdict; together with the rulebase's file
# nothing is said.

def test_objects_without_the_rulebase_say_the_rulebase_is_missing():
    objs = objects_reply([host("srv", SRV)])
    cfg = build([read(text(objs), "show-hosts.json")])
    (d,) = cfg.diagnostics
    assert "no access rulebase in the input" in d.message and d.impact is Impact.GLOBAL and d.source.line == 1
    both = build([read(text(objs), "show-hosts.json"), read(text(layer("Network", [rule("all")], [])), "l.json")])
    assert not [d for d in both.diagnostics if "no access rulebase" in d.message]

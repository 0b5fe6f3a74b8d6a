"""Check Point red-team findings of session 28, second round (input forms, layers, NAT, change requests), each a
small input in the management API's own shapes, checked against the document cited in its test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    NO_IMPLIED,
    access_layer_info,
    decide,
    global_properties,
    host,
    layer,
    network,
    package,
    rule,
    tcp,
    text,
    uid,
)

from parsers.checkpoint import parse  # noqa: E402

WS_NET, WS, SRV = "10.30.0.0", "10.30.0.7", "10.20.0.10"


# --- replies saved one after the other --------------------------------------------------------------------------
# show-access-rulebase answers at most `limit` rules a reply (Management API reference, show-access-rulebase:
# "limit ... Default: 50"), so a layer is saved as one reply per page, e.g. `mgmt_cli show access-rulebase ...
# offset 0 --format json > layer.json; mgmt_cli show access-rulebase ... offset 50 --format json >> layer.json`:
# one file holding JSON texts one after the other, not a JSON list.  Such a file was refused ("not valid JSON:
# Extra data"); now its replies are read as a list of them, the lines those of the file.

def _pages():
    srv, ws = host("Srv", SRV), network("WS", WS_NET, 24)
    smb, ptcp = tcp("microsoft-ds", "445"), tcp("Prinergy_TCP", "1024-9000")
    rules = [rule("ws to srv", [ws], [srv], [ptcp]), rule("deny smb", None, [srv], [smb], action="Drop"),
             rule("Cleanup rule", action="Drop")]
    lu = uid()
    p1, p2 = layer("Network", rules[:1], [srv, ws, ptcp], lu), layer("Network", rules[1:], [srv, smb], lu)
    p1.update({"from": 1, "to": 1, "total": 3})
    p2.update({"from": 2, "to": 3, "total": 3})
    return p1, p2, global_properties(**NO_IMPLIED)


def test_replies_concatenated_in_one_file_are_read_as_a_list():
    p1, p2, gp = _pages()
    body = text(p1) + text(p2) + text(gp)  # (as `>>` appends them)
    cfg = parse(body, "layer.json")
    assert decide(cfg, WS, SRV, dport=1024) == "permit"
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    (smb,) = [r for r in cfg.filters["Network"].rules if r.source.text.strip() == '"name": "deny smb",']
    assert body.splitlines()[smb.source.line - 1].strip() == '"name": "deny smb",'  # (the file's own line)
    assert not [d for d in cfg.diagnostics if d.impact.value != "none"]


def test_concatenated_pages_out_of_order_and_compact_keep_rule_order():
    p1, p2, gp = _pages()
    cfg = parse(json.dumps(p2) + json.dumps(p1) + "\n" + json.dumps(gp), "layer.json")  # page 2 saved first
    assert decide(cfg, WS, SRV, dport=1024) == "permit"
    assert decide(cfg, WS, SRV, dport=445) == "deny"


def test_a_concatenated_file_cut_short_is_still_refused_with_its_line():
    import pytest

    from parsers.kit import InputError

    p1, p2, _gp = _pages()
    body = text(p1) + text(p2)[:-40]
    with pytest.raises(InputError, match=r"not valid JSON \(line \d+"):
        parse(body, "layer.json")


# --- layers of the input without show-package -------------------------------------------------------------------
# The layers of a domain are not all ordered layers of the package: a layer can be shared, used inline, or belong to
# another package (Management API reference: show-access-layers lists every layer, show-package a package's
# "access-layers" in order; R81 Security Management Administration Guide, "Ordered Layers and Inline Layers": a
# packet goes on to the next ordered layer of *its policy package*).  Without show-package, every layer of the input
# was taken as an ordered layer for certain (a note of impact none): a layer of another package that drops a
# connection the policy's layer accepts made that connection a certain deny, so a forbidden flow passed (PRN150).
# Now what a later layer drops that the first accepts is unknown (said once, impact filter); what it accepts stays.

def _two_layers():
    srv, ws, smb = host("Srv", SRV), network("WS", WS_NET, 24), tcp("microsoft-ds", "445")
    net = layer("Network", [rule("any to srv", None, [srv]), rule("Cleanup rule", action="Drop")], [srv])
    lab = layer("Lab", [rule("ws smb", [ws], [srv], [smb]), rule("Cleanup rule", action="Drop")], [srv, ws, smb])
    return net, lab


def _build(*replies):
    return parse(text([*replies, global_properties(**NO_IMPLIED)]), "policy.json")


def test_a_later_layer_without_show_package_does_not_decide_its_drops():
    net, lab = _two_layers()
    cfg = _build(net, lab)
    assert decide(cfg, "192.0.2.7", SRV, dport=445) == "unknown"  # (before: deny, by Lab's cleanup rule)
    assert decide(cfg, WS, SRV, dport=445) == "permit"  # both accept
    assert decide(cfg, "192.0.2.7", "192.0.2.8") == "deny"  # the first layer drops it
    (d,) = [d for d in cfg.diagnostics if "no show-package" in d.message]
    assert "what it drops that Network accepts is unknown" in d.message and d.impact.value == "filter"


def test_with_show_package_the_ordered_layers_decide():
    net, lab = _two_layers()
    pkg = package("Standard", [{"uid": net["uid"], "name": "Network"}, {"uid": lab["uid"], "name": "Lab"}])
    cfg = _build(net, lab, pkg, access_layer_info("Lab", lab["uid"], "drop"))
    assert decide(cfg, "192.0.2.7", SRV, dport=445) == "deny"
    assert decide(cfg, WS, SRV, dport=445) == "permit"
    # a layer of the input the package does not install is left out (not audited), not taken as ordered
    cfg = _build(net, lab, package("Standard", [{"uid": net["uid"], "name": "Network"}]))
    assert decide(cfg, "192.0.2.7", SRV, dport=445) == "permit"


# show-package lists its layers by uid and name ("access-layers": Management API reference, show-package), without
# their implicit-cleanup-action; given before show-access-layers (or the layer object) in the input, its record hid
# theirs: a later layer's cleanup drop, given, was "not in the input" and its packets unknown.

def test_show_package_before_show_access_layers_keeps_the_cleanup_action():
    net, _lab = _two_layers()
    srv, ws, smb = host("Srv", SRV), network("WS", WS_NET, 24), tcp("microsoft-ds", "445")
    lab = layer("Lab", [rule("ws smb", [ws], [srv], [smb])], [srv, ws, smb])  # (no explicit cleanup rule)
    pkg = package("Standard", [{"uid": net["uid"], "name": "Network"}, {"uid": lab["uid"], "name": "Lab"}])
    cfg = _build(net, lab, pkg, {"access-layers": [access_layer_info("Network", net["uid"]),
                                                   access_layer_info("Lab", lab["uid"], "drop")]})
    assert decide(cfg, WS, SRV, dport=80) == "deny"  # Lab's implicit cleanup: drop, as given (before: unknown)
    assert decide(cfg, WS, SRV, dport=445) == "permit"
    assert not [d for d in cfg.diagnostics if "implicit-cleanup-action is not in the input" in d.message]


# --- check-change ------------------------------------------------------------------------------------------------
# add-access-rule's "position" is "Position in the rulebase ... a number, top, bottom, or an object of above, below,
# top, bottom" (Management API reference, add-access-rule; in the web API's JSON: "position": {"above": "Rule A"}).
# The object form was refused ("not a rule number"); it is now read as position.above/.below/.top/.bottom.

def _export_text():
    srv, ws, smb = host("Srv", SRV), network("Workshop_Net", WS_NET, 24), tcp("microsoft-ds", "445")
    net = layer("Network", [rule("Block SMB from clients", None, [srv], [smb], action="Drop"),
                            rule("Cleanup rule", action="Drop")], [srv, ws, smb])
    return text([net, global_properties(**NO_IMPLIED)])


def _changed(change: str, config: str | None = None):
    from parsers.checkpoint.change import apply_change

    return parse(apply_change(config or _export_text(), change + "\n", "change.txt"), "policy.json")


_ADD = ('mgmt_cli add access-rule layer "Network" position %s name "Workshop SMB" source "Workshop_Net" '
        'destination "Srv" service "microsoft-ds" action "Accept"')


def test_check_change_position_as_a_json_object():
    assert decide(_changed(_ADD % "'{\"above\": \"Block SMB from clients\"}'"), WS, SRV) == "permit"
    assert decide(_changed(_ADD % "'{\"below\": \"Block SMB from clients\"}'"), WS, SRV) == "deny"
    dotted = _ADD.replace("position %s", 'position.above "Block SMB from clients"')
    assert decide(_changed(dotted), WS, SRV) == "permit"  # (the mgmt_cli spelling, as before)


def test_check_change_position_object_not_understood_is_refused():
    import pytest

    from parsers.kit import InputError

    with pytest.raises(InputError, match="change.txt:1: position"):
        _changed(_ADD % "'{\"sideways\": \"Block SMB from clients\"}'")


def test_check_change_on_replies_concatenated_in_one_file():
    # (set access-rule new-position re-read the edited text as one JSON text: a file of replies one after the other
    # failed with a bare "Extra data")
    p1, p2, gp = _pages()
    body = text(p1) + text(p2) + text(gp)
    cfg = _changed('mgmt_cli set access-rule layer "Network" name "deny smb" new-position top', body)
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    cfg = _changed('mgmt_cli set access-rule layer "Network" name "Cleanup rule" new-position top', body)
    assert decide(cfg, WS, SRV, dport=1024) == "deny"


# --- check-change: object changes -------------------------------------------------------------------------------
# A change request often edits objects, not rules: "mgmt_cli set group name G members.add H" (Management API
# reference, set-group: "members ... add / remove"), "set service-tcp name S port P" (set-service-tcp), "add host name
# H ip-address A" (add-host), "add network name N subnet S mask-length L" (add-network).  They were refused ("not a
# change this tool applies"), so such a request could not be reviewed.  Now every copy of the object in the export
# (each page's dictionary) is rewritten, a new host or network put in the export's first objects list; any other
# parameter is still refused.

def _group_export(pages: int = 1) -> str:
    from cp_helpers import group

    srv, ws, ptcp = host("Prinergy_Srv", SRV), network("Workshop_Net", WS_NET, 24), tcp("Prinergy_TCP", "1024-9000")
    g = group("Prinergy_Servers", [srv])
    rules = [rule("Workshop to Prinergy", [ws], [g], [ptcp]), rule("to servers too", [ws], [g], [ptcp]),
             rule("Cleanup rule", action="Drop")]
    lu = uid()
    if pages == 1:
        replies = [layer("Network", rules, [srv, ws, ptcp, g], lu)]
    else:  # (the group in both pages' dictionaries)
        replies = [layer("Network", rules[:1], [srv, ws, ptcp, g], lu), layer("Network", rules[1:], [g, srv], lu)]
        replies[0].update({"from": 1, "to": 1, "total": 3})
        replies[1].update({"from": 2, "to": 3, "total": 3})
    return text([*replies, global_properties(**NO_IMPLIED)])


def test_set_group_members_remove_and_add():
    for pages in (1, 2):
        export = _group_export(pages)
        assert decide(parse(export, "p.json"), WS, SRV, dport=1024) == "permit"
        cfg = _changed('mgmt_cli set group name "Prinergy_Servers" members.remove "Prinergy_Srv"', export)
        assert decide(cfg, WS, SRV, dport=1024) == "deny"  # (the group is empty: the rules match nothing)
        cfg = _changed('mgmt_cli add host name "New_Srv" ip-address "10.20.0.11"\n'
                       'mgmt_cli set group name "Prinergy_Servers" members.add "New_Srv"', export)
        assert decide(cfg, WS, "10.20.0.11", dport=1024) == "permit"
        assert decide(cfg, WS, SRV, dport=1024) == "permit"


def test_set_service_tcp_port():
    cfg = _changed('mgmt_cli set service-tcp name "Prinergy_TCP" port "1024-2000"', _group_export())
    assert decide(cfg, WS, SRV, dport=2000) == "permit"
    assert decide(cfg, WS, SRV, dport=2001) == "deny"


def test_add_network_then_a_rule_naming_it():
    cfg = _changed('mgmt_cli add network name "Proof_Net" subnet "10.40.0.0" mask-length 24\n'
                   'mgmt_cli add access-rule layer "Network" position 1 name "proofers" source "Proof_Net" '
                   'destination "Prinergy_Servers" service "Prinergy_TCP" action "Accept"', _group_export())
    assert decide(cfg, "10.40.0.9", SRV, dport=1024) == "permit"
    assert decide(cfg, "10.41.0.9", SRV, dport=1024) == "deny"


def test_object_changes_not_understood_are_refused_with_their_line():
    import pytest

    from parsers.kit import InputError

    export = _group_export()
    for change, words in (
            ('mgmt_cli set service-tcp name "Prinergy_TCP" port "1024-9000" session-timeout 28800', "session-timeout"),
            ('mgmt_cli set group name "Nope" members.add "Prinergy_Srv"', "no group 'Nope'"),
            ('mgmt_cli set group name "Prinergy_Servers" members.remove "Workshop_Net"', "does not hold"),
            ('mgmt_cli add host name "Prinergy_Srv" ip-address "10.20.0.11"', "in the config already"),
            ('mgmt_cli add host name "H" ip-address "10.20.0.11" groups "Prinergy_Servers"', "'groups'"),
            ('mgmt_cli set host name "Prinergy_Srv" ip-address "10.20.0.12"', "not a change this tool applies")):
        with pytest.raises(InputError, match="change.txt:1: .*" + words):
            _changed(change, export)

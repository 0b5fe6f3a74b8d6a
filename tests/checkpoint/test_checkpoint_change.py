"""Change requests as ``mgmt_cli`` commands, applied to the export, then audited like any export.

Semantics from the Management API reference (https://sc1.checkpoint.com/documents/latest/APIs/):
add-access-rule "position: Position in the rulebase" (a number, top, bottom, or above/below a rule,
top/bottom of a section), "action ... Default: Drop"; set-access-rule (rule-number, name or uid;
new-name, source/destination/service with add/remove, enabled, new-position); delete-access-rule.
"""

from __future__ import annotations

import json

import pytest
from cp_helpers import decide, host, layer, network, rule, section, tcp, text
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditor.diff import apply_change as apply_change_for
from parsers.checkpoint import parse
from parsers.checkpoint.change import apply_change
from parsers.kit import InputError

WS, SRV = "10.30.0.5", "10.20.0.10"


@pytest.fixture
def export():
    ws, srv = network("Workshop_Net", "10.30.0.0", 24), host("Prinergy_Primary", SRV)
    smb, http = tcp("microsoft-ds", "445"), tcp("http", "80")
    reply = layer("Network", [
        section("Prinergy", [rule("web", [ws], [srv], [http]), rule("block smb", [ws], [srv], [smb], "Drop")]),
        section("Empty", []),
        section("Cleanup", [rule("Cleanup rule", action="Drop")]),
    ], [ws, srv, smb, http])
    return text(reply)


def names(cfg):
    return [r.source.text.strip()[len('"name": "'):-2] for r in cfg.filters["Network"].rules]


def test_add_above_the_blocking_rule_opens_the_flow(export):
    change = ('mgmt_cli add access-rule layer "Network" position 2 name "Prinergy SMB" source "Workshop_Net" '
              'destination "Prinergy_Primary" service "microsoft-ds" action "Accept" -s id.txt\n'
              "mgmt_cli publish -s id.txt\n")
    before = parse(export, "policy.json")
    assert decide(before, WS, SRV, dport=445) == "deny"
    origins: list = []
    new = apply_change(export, change, "change.txt", origins)
    after = parse(new, "policy.json")
    assert names(after) == ["web", "Prinergy SMB", "block smb", "Cleanup rule"]
    assert decide(after, WS, SRV, dport=445) == "permit"
    # the lines around the edit keep their origin; the new rule's lines come from the change's line 1
    assert len(origins) == len(new.splitlines())
    assert ("change", 1) in origins and origins[0] == ("config", 1)
    assert origins[-1] == ("config", len(export.splitlines()))


@pytest.mark.parametrize("position, order", [
    ("position top", ["new", "web", "block smb", "Cleanup rule"]),
    ("position bottom", ["web", "block smb", "Cleanup rule", "new"]),
    ("position 4", ["web", "block smb", "Cleanup rule", "new"]),  # one past the last rule: appended
    ("position 3", ["web", "block smb", "new", "Cleanup rule"]),
    ('position.above "Cleanup rule"', ["web", "block smb", "new", "Cleanup rule"]),
    ('position.below "web"', ["web", "new", "block smb", "Cleanup rule"]),
    ('position.bottom "Prinergy"', ["web", "block smb", "new", "Cleanup rule"]),
    ('position.top "Empty"', ["web", "block smb", "new", "Cleanup rule"]),
])
def test_positions(export, position, order):
    new = apply_change(export, 'add access-rule layer Network %s name new action Accept\n' % position, "c.txt")
    cfg = parse(new, "p.json")
    assert names(cfg) == order
    added = cfg.filters["Network"].rules[order.index("new")]
    assert decide(cfg, WS, SRV, dport=22) == ("permit" if order.index("new") < 3 else "deny")
    assert added.action.value == "permit"


def test_default_action_is_drop(export):
    cfg = parse(apply_change(export, "add access-rule layer Network position top name x\n", "c"), "p")
    assert cfg.filters["Network"].rules[0].action.value == "deny"


def test_set_and_delete(export):
    change = "\n".join([
        'mgmt_cli set access-rule layer Network name "block smb" enabled false',
        'mgmt_cli set access-rule layer Network rule-number 1 service.add "microsoft-ds" new-name "web and smb"',
        'mgmt_cli delete access-rule layer Network name "Cleanup rule"',
    ]) + "\n"
    cfg = parse(apply_change(export, change, "c.txt"), "p.json")
    assert names(cfg) == ["web and smb", "block smb"]
    assert not cfg.filters["Network"].rules[1].enabled
    assert decide(cfg, WS, SRV, dport=445) == "permit"
    assert decide(cfg, WS, SRV, dport=22) == "deny"  # the layer's implicit cleanup now


def test_set_new_position_moves_the_rule(export):
    cfg = parse(apply_change(export, 'set access-rule layer Network name "block smb" new-position top\n', "c"), "p")
    assert names(cfg) == ["block smb", "web", "Cleanup rule"]


def test_deleting_the_last_rule_of_an_array_keeps_the_json_valid(export):
    new = apply_change(export, 'delete access-rule layer Network name "block smb"\n'
                               'delete access-rule layer Network name "web"\n', "c")
    cfg = parse(new, "p")
    assert names(cfg) == ["Cleanup rule"]


@pytest.mark.parametrize("change, message", [
    ("add dns-domain name .example.com", "c.txt:1: 'add dns-domain' is not a change this tool applies"),
    ("add host name x ip-address 10.0.0.1 nat-settings.auto-rule true", "parameter 'nat-settings.auto-rule'"),
    ("add access-rule layer Network name x", "needs a position"),
    ("add access-rule layer Nope position 1 name x", "layer 'Nope' is not in the config"),
    ("add access-rule layer Network position 9 name x", "position '9' is not a rule number"),
    ("add access-rule layer Network position 1 source Ghost", "no object named 'Ghost'"),
    ("add access-rule layer Network position 1 time Off_Work", "parameter 'time' of add access-rule"),
    ("set access-rule layer Network name nothing enabled false", "no such rule"),
    ("set access-rule layer Network name web source.remove Prinergy_Primary", "does not hold"),
    ("delete access-rule layer Network", "names no rule"),
    ("discard", "'discard' is not a change"),
    ('add access-rule layer Network position 1 name "unclosed', "cannot read the command"),
])
def test_what_cannot_be_applied_is_an_error_naming_the_line(export, change, message):
    with pytest.raises(InputError, match=message):
        apply_change(export, "publish\n" + change + "\n" if message.startswith("c.txt:1") is False
                     else change + "\n", "c.txt")


def test_check_change_through_the_api(export):
    new, origins = apply_change_for("checkpoint", export, "policy.json",
                                    "add access-rule layer Network position 2 name smb service microsoft-ds "
                                    "action Accept\n", "change.txt")
    assert origins[1].path == "policy.json" and any(s.path == "change.txt" for s in origins.values())
    assert decide(parse(new, "policy.json"), WS, SRV, dport=445) == "permit"


def test_a_change_reads_the_export_once_whatever_its_commands(export, monkeypatch):
    """The export of a large policy is over 100 MB of JSON (1.3 s to read): the commands edit the export
    as read for the change, each editing the parsed export as it edits the text (ten commands on the
    20,000-rule export: 18 s before, 4 s)."""
    reads = []
    real = json.loads
    monkeypatch.setattr(json, "loads", lambda s, *a, **k: reads.append(len(s)) or real(s, *a, **k))
    one = 'mgmt_cli add access-rule layer "Network" position top name "first" action "Accept"\n'
    out = apply_change(export, "publish\n" + one, "c.txt")
    assert '"name": "first"' in out
    assert len([n for n in reads if n > len(export) // 2]) == 1
    reads.clear()
    more = (one + one.replace('"first"', '"second"').replace("top", "bottom")
            + 'mgmt_cli set access-rule layer "Network" name "web" action "Drop"\n'
            + 'mgmt_cli delete access-rule layer "Network" name "block smb"\n')
    apply_change(export, more, "c.txt")
    assert len([n for n in reads if n > len(export) // 2]) == 1


_COMMANDS = [
    'add access-rule layer "Network" position top name "n{k}" action "Accept"',
    'add access-rule layer "Network" position bottom name "n{k}"',
    'add access-rule layer "Network" position 2 name "n{k}" source "Workshop_Net" action "Accept"',
    'add access-rule layer "Network" position.top "Empty" name "n{k}"',
    'add access-rule layer "Network" position.bottom "Prinergy" name "n{k}"',
    'add access-rule layer "Network" position.above "web" name "n{k}"',
    'add access-rule layer "Network" position.below "web" name "n{k}"',
    'set access-rule layer "Network" rule-number 1 action "Drop"',
    'set access-rule layer "Network" rule-number 2 new-name "m{k}" service.add "http"',
    'set access-rule layer "Network" rule-number 1 new-position bottom',
    'delete access-rule layer "Network" rule-number 1',
]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_COMMANDS), min_size=1, max_size=6))
def test_the_parsed_export_each_command_edits_is_what_its_text_reads(commands):
    """Oracle: before each command, the export the editor works on (handed on from the command
    before) equals the edited text read afresh, and the result equals the text of a change applied
    command by command, each reading the text anew."""
    from parsers.checkpoint import change as mod

    ws, srv = network("Workshop_Net", "10.30.0.0", 24), host("Prinergy_Primary", SRV)
    smb, http = tcp("microsoft-ds", "445"), tcp("http", "80")
    base = text(layer("Network", [
        section("Prinergy", [rule("web", [ws], [srv], [http]), rule("block smb", [ws], [srv], [smb], "Drop")]),
        section("Empty", []),
        section("Cleanup", [rule("Cleanup rule", action="Drop")]),
    ], [ws, srv, smb, http]))
    change = "".join("mgmt_cli " + c.format(k=k) + "\n" for k, c in enumerate(commands))
    real_init = mod._Editor.__init__
    handed = []

    def init(self, t, where, origin, data=None):
        if data is not None:
            handed.append(data == json.loads(t.text()))
        real_init(self, t, where, origin, data)

    try:
        mod._Editor.__init__ = init
        try:
            got = apply_change(base, change, "c.txt")
        except InputError:
            assume(False)  # (a command that does not apply here, as deleting from an emptied layer)
    finally:
        mod._Editor.__init__ = real_init
    assert all(handed)
    step = base
    for k, c in enumerate(commands):  # (one command a change, at its line: each reads the text)
        step = apply_change(step, "\n" * k + "mgmt_cli " + c.format(k=k) + "\n", "c.txt")
    assert got == step

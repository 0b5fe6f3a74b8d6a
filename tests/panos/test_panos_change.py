"""check-change for PAN-OS: change requests as configuration-mode commands, applied as the CLI applies them.

PAN-OS CLI semantics used ("Use the CLI" / configuration mode: set, delete, move, rename, edit,
up, top): ``set`` adds a member to a list or replaces a single value, a new rule goes to the bottom
of its rulebase, ``move ... before|after|top|bottom`` reorders rules, ``delete`` removes an object,
a setting or list members.
"""

from __future__ import annotations

import json

import pytest
from panos_util import BASE, allow, cfg_of, decide, line_of
from test_formats import cli

from auditor.api import load_config
from auditor.diff import apply_change as apply_generic
from auditor.diff import diff_configs
from auditor.policy import load_site
from parsers import InputError
from parsers.panos.change import apply_change

CONFIG = BASE + allow("deny-smb", svc="smb", action="deny") + allow("ws-all") + \
    "set service smb protocol tcp port 445\n"
WS, SRV = "10.30.0.5", "10.20.0.10"


def applied(change: str, origins=None, config: str = CONFIG):
    return cfg_of(apply_change(config, change, "cr.txt", origins), "fw.set")


def rule_names(cfg, pair="workshop->servers"):
    return [r.source.text.split(" rules ")[1].split()[0] for r in cfg.filters[pair].rules]


def test_set_adds_a_rule_at_the_bottom_and_move_reorders():
    cfg = applied("set rulebase security rules allow-smb from workshop to servers source any destination any "
                  "application any service smb action allow\n")
    assert rule_names(cfg) == ["deny-smb", "ws-all", "allow-smb"]
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    cfg = applied("set rulebase security rules allow-smb from workshop to servers source any destination any "
                  "application any service smb action allow\n"
                  "move rulebase security rules allow-smb before deny-smb\n")
    assert rule_names(cfg) == ["allow-smb", "deny-smb", "ws-all"]
    assert decide(cfg, WS, SRV, dport=445) == "permit"
    for where, want in (("top", ["deny-smb", "ws-all"]), ("bottom", ["ws-all", "deny-smb"]),
                        ("after ws-all", ["ws-all", "deny-smb"])):
        assert rule_names(applied("move rulebase security rules deny-smb %s\n" % where)) == want, where
    assert rule_names(applied("move rulebase security rules ws-all top\n")) == ["ws-all", "deny-smb"]


def test_set_on_a_list_adds_members_and_on_a_value_replaces_it():
    # (a list keeps 'any' until it is deleted: [ any 10.30.0.0/25 ], which PAN-OS 10.1's CLI refuses and
    # older releases keep, and whose matching no document gives (test_panos_lists): certain for the
    # added member, unknown beyond it; it was read as 'any', and 10.30.0.200 denied for certain)
    cfg = applied("set rulebase security rules deny-smb source 10.30.0.0/25\n")
    assert decide(cfg, "10.30.0.5", SRV) == "deny"
    assert decide(cfg, "10.30.0.200", SRV) == "unknown"
    cfg = applied("delete rulebase security rules deny-smb source any\n"
                  "set rulebase security rules deny-smb source 10.30.0.0/25\n"
                  "set rulebase security rules deny-smb source 10.31.0.0/24\n")
    assert decide(cfg, "10.30.0.5", SRV) == "deny"
    assert decide(cfg, "10.31.0.5", SRV) == "deny"
    assert decide(cfg, "10.30.0.200", SRV) == "permit"  # not in the (narrowed) source: ws-all
    cfg = applied("set rulebase security rules deny-smb action allow\n")
    assert decide(cfg, WS, SRV) == "permit"


def test_delete_rules_settings_and_members():
    assert rule_names(applied("delete rulebase security rules deny-smb\n")) == ["ws-all"]
    cfg = applied("set rulebase security rules deny-smb source [ 10.30.0.5 10.30.0.6 ]\n"
                  "delete rulebase security rules deny-smb source any\n"
                  "delete rulebase security rules deny-smb source 10.30.0.6\n")
    assert decide(cfg, "10.30.0.5", SRV) == "deny" and decide(cfg, "10.30.0.6", SRV) == "permit"
    cfg = applied("delete rulebase security rules ws-all\ndelete rulebase security rules deny-smb\n")
    assert decide(cfg, WS, SRV) == "deny" and "workshop->servers" not in cfg.filters


def test_edit_up_top_rename_and_session_commands():
    cfg = applied("configure\nedit rulebase security rules deny-smb\nset action allow\ntop\n"
                  "rename rulebase security rules ws-all to everything\ncommit\nexit\n")
    assert rule_names(cfg) == ["deny-smb", "everything"]
    assert decide(cfg, WS, SRV) == "permit"


def test_origins_trace_every_line():
    origins: list = []
    text = apply_change(CONFIG, "set rulebase security rules deny-smb action allow\n", "cr.txt", origins)
    assert len(origins) == len(text.splitlines())
    assert origins[-1] == ("change", 1)
    assert origins[0] == ("config", 1)


@pytest.mark.parametrize("change,needle", [
    ("delete rulebase security rules nope\n", "nothing in the configuration matches"),
    ("move rulebase security rules nope top\n", "no rule 'nope'"),
    ("move rulebase security rules deny-smb before nope\n", "no rule 'nope'"),
    ("request restart system\n", "not a PAN-OS configuration command"),
    ("show rulebase\n", "not a PAN-OS configuration command"),
    # (found by fuzzing check-change: each was a traceback)
    ("]\n", "not a PAN-OS configuration command"),
    ("[ a b ] rulebase\n", "not a PAN-OS configuration command"),
    ("set [ system hostname\n", "the path starts with a '[ ]' list"),
    ("move\n", "no path"),
    ("rename [ a ] x to y\n", "the path starts with a '[ ]' list"),
])
def test_what_cannot_be_applied_is_an_error_naming_the_line(change, needle):
    with pytest.raises(InputError) as e:
        apply_change(CONFIG, "set address a ip-netmask 10.0.0.1\n" + change, "cr.txt")
    assert str(e.value).startswith("cr.txt:2: cannot apply") and needle in str(e.value)


def test_an_xml_config_is_edited_in_place():
    from test_panos_input import XML

    origins: list = []
    text = apply_change(XML, "set rulebase security rules ws-smb action deny\n", "cr.txt", origins)
    old, new = XML.splitlines(), text.splitlines()
    assert len(old) == len(new) == len(origins)
    changed = [k for k in range(len(old)) if old[k] != new[k]]
    assert [new[k].strip() for k in changed] == ["<action>deny</action>"]
    assert [origins[k] for k in changed] == [("change", 1)]
    assert all(origins[k] == ("config", k + 1) for k in range(len(old)) if k not in changed)
    assert decide(cfg_of(text, "fw.xml"), WS, "10.20.0.10", dport=445) == "deny"
    assert decide(load_config("fw.xml", text=XML), WS, "10.20.0.10", dport=445) == "permit"


def test_xml_edits_new_rules_members_moves_renames_and_deletes():
    from test_panos_input import XML

    change = ("set address ws1 ip-netmask 10.30.0.5\n"
              "set rulebase security rules block-ws1 from workshop to servers source ws1 destination any "
              "application any service any action deny\n")
    cfg = cfg_of(apply_change(XML, change, "cr.txt"), "fw.xml")
    assert rule_names_xml(cfg) == ["ws-smb", "block-ws1"]
    assert not cfg.diagnostics
    text = apply_change(XML, change + "move rulebase security rules block-ws1 top\n", "cr.txt")
    cfg = cfg_of(text, "fw.xml")
    assert rule_names_xml(cfg) == ["block-ws1", "ws-smb"]
    assert decide(cfg, WS, "10.20.0.10", dport=445) == "deny"
    assert decide(cfg, "10.30.0.6", "10.20.0.10", dport=445) == "permit"
    # a list gains a member; one is deleted; a rule is renamed, then deleted
    cfg = cfg_of(apply_change(XML, "set rulebase security rules ws-smb destination 10.20.0.11\n", "cr.txt"), "x.xml")
    assert decide(cfg, WS, "10.20.0.11", dport=445) == "permit"
    cfg = cfg_of(apply_change(XML, "delete rulebase security rules ws-smb service smb\n", "cr.txt"), "x.xml")
    assert decide(cfg, WS, "10.20.0.10", dport=445) == "deny" and decide(cfg, WS, "10.20.0.10", dport=443) == "permit"
    text = apply_change(XML, "rename rulebase security rules ws-smb to ws-files\n", "cr.txt")
    assert '<entry name="ws-files">' in text and rule_names_xml(cfg_of(text, "x.xml")) == ["ws-files"]
    cfg = cfg_of(apply_change(XML, "delete rulebase security rules ws-smb\n", "cr.txt"), "x.xml")
    assert "workshop->servers" not in cfg.filters
    with pytest.raises(InputError) as e:
        apply_change(XML, "delete rulebase security rules nope\n", "cr.txt")
    assert str(e.value).startswith("cr.txt:1: cannot apply")


def rule_names_xml(cfg, pair="workshop->servers"):
    return [r.source.text.split('"')[1] for r in cfg.filters[pair].rules]


def test_check_change_on_xml_keeps_unchanged_findings_unchanged(tmp_path):
    from conftest import EXAMPLES

    cfg = EXAMPLES / "panos-site" / "running-config.xml"
    cr = tmp_path / "cr.txt"
    cr.write_text("delete rulebase security rules deny-guest-smb\n")
    code, out, err = cli("check-change", str(cfg), str(cr), "--site", str(EXAMPLES / "panos-site" / "site.yaml"),
                         "--format", "json")
    data = json.loads(out)
    assert {f["key"] for f in data["resolved"] if f["rule_id"] == "PRN100"} >= {"smb:workshop->primary",
                                                                               "smb:workshop->secondary"}
    assert not [f for f in data["introduced"] if f["rule_id"].startswith("PRN")], data["introduced"]
    assert len(data["unchanged"]) >= 5


# --- the command line ------------------------------------------------------------------------------

def test_check_change_cli_reports_a_newly_blocked_flow(tmp_path):
    cfg = tmp_path / "fw.set"
    cfg.write_text(BASE + allow("ws-all") + allow("out", frm="servers", to="workshop"))
    cr = tmp_path / "cr.txt"
    cr.write_text("set service smb protocol tcp port 445\n"
                  "set rulebase security rules no-smb from workshop to servers source any destination any "
                  "application any service smb action deny\n"
                  "move rulebase security rules no-smb top\n")
    site = tmp_path / "site.yaml"
    site.write_text("policy: prinergy-8\nroles:\n  primary: [10.20.0.10]\n  workshop: [10.30.0.0/24]\n")
    code, out, err = cli("check-change", str(cfg), str(cr), "--site", str(site), "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert "smb:workshop->primary" in data["required_flows_newly_blocked"]
    [c] = [c for c in data["newly_denied"] if 445 == c["example"]["dport"]]
    assert c["new_line"] is not None
    # the new deny is anchored to the change file's line
    introduced = [f for f in data["introduced"] if f["rule_id"] == "PRN100"]
    assert introduced and all(f["origin"] == {"path": str(cr), "line": 2} for f in introduced)


def test_check_change_equals_diff_of_the_result(tmp_path):
    site = load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    change = "delete rulebase security rules deny-smb\n"
    new_text, origins = apply_generic("paloalto-panos", CONFIG, "fw.set", change, "cr.txt")
    after = tmp_path / "after.set"
    after.write_text(new_text)
    a = diff_configs(load_config("fw.set", text=CONFIG), load_config(str(after)), site)
    b = diff_configs(load_config("fw.set", text=CONFIG), load_config("fw.set", text=new_text), site,
                     origins=origins)
    assert [(f.rule_id, f.key) for f in a.resolved] == [(f.rule_id, f.key) for f in b.resolved]
    assert [c.flows for c in a.newly_permitted] == [c.flows for c in b.newly_permitted]
    assert b.resolved and any(f.rule_id == "PRN100" for f in b.resolved)
    assert line_of(CONFIG, "rules deny-smb from") in {f.source.line for f in b.resolved}

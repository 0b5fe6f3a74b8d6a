"""Junos change requests: set/delete/deactivate/activate/insert/edit applied in the configuration's own form
(Juniper, "Junos OS CLI User Guide": configuration mode commands), then audited like any configuration."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES
from test_formats import cli

from auditor.api import decision_json, make_packet
from parsers import InputError, parse_text
from parsers.junos.change import apply_change

SET_CFG = (EXAMPLES.parent / "tests" / "test_junos_parser.py").read_text().split('SET_CFG = """\\\n')[1] \
    .split('"""')[0]
EXAMPLE = EXAMPLES / "junos-site" / "srx.conf"


def decide(cfg, src, dst, dport, proto="tcp"):
    return decision_json(cfg, make_packet(src, dst, proto, 1024, dport))


def test_set_form_edits_keep_untouched_lines_and_origins():
    p = "security policies from-zone workshop to-zone servers policy"
    change = ("set %s deny-afp then permit\n"
              "deactivate %s web\n"
              "set %s smb match source-address WS-NET\n"
              "set %s smb match destination-address PRIMARY\n"
              "set %s smb match application junos-smb-session\n"
              "set %s smb then deny\n"
              "insert %s smb before policy deny-afp\n") % ((p,) * 7)
    origins: list = []
    out = apply_change(SET_CFG, change, "c.txt", origins)
    lines = out.splitlines()
    assert len(origins) == len(lines)
    # 'then deny' replaced by 'then permit' (one value), on a line from the change
    k = lines.index("set security policies from-zone workshop to-zone servers policy deny-afp then permit")
    assert origins[k] == ("change", 1)
    assert not any(x.endswith("policy deny-afp then deny") for x in lines)
    # untouched lines keep their text and origin
    assert origins[0] == ("config", 1) and lines[0] == SET_CFG.splitlines()[0]
    cfg = parse_text(out, "new.set")
    names = [r.note for r in cfg.filters["workshop->servers"].rules]
    assert names == ["policy smb", "policy deny-afp", "policy prinergy", "policy web"]
    assert [r.enabled for r in cfg.filters["workshop->servers"].rules] == [True, True, True, False]
    assert decide(cfg, "10.30.0.5", "10.20.0.10", 445)["decision"] == "deny"
    assert decide(cfg, "10.30.0.5", "10.20.0.10", 548)["decision"] == "permit"


def test_hierarchical_edits_stay_hierarchical():
    text = EXAMPLE.read_text()
    change = ("edit security policies from-zone workshop to-zone servers\n"
              "delete policy block-smb\n"
              "activate policy temp-any\n"
              "top\n"
              "set applications application PRINERGY-TCP inactivity-timeout 28800\n")
    out = apply_change(text, change, "c.txt")
    assert "policy block-smb" not in out and "inactive: policy temp-any" not in out
    assert "inactivity-timeout 28800;" in out and "inactivity-timeout 3600;" not in out
    cfg = parse_text(out, "new.conf")
    assert decide(cfg, "10.30.0.5", "10.20.0.10", 445)["decision"] == "permit"
    assert [r.enabled for r in cfg.filters["workshop->servers"].rules][-1] is True
    # the lines the change did not touch read the same
    assert out.splitlines()[:100] == text.splitlines()[:100]


@pytest.mark.parametrize("bad", [
    "delete security policies from-zone a to-zone b policy nope",
    "insert security policies from-zone workshop to-zone servers policy nope before policy web",
    "rename security policies from-zone workshop to-zone servers policy web to policy www",
    "activate security policies from-zone workshop to-zone servers policy web",
    'set security "unclosed',
    "insert after a b",  # (no path before 'after': found by fuzzing check-change, a traceback)
    "insert x before a b",
])
def test_a_change_that_does_not_apply_is_an_error(bad):
    with pytest.raises(InputError) as e:
        apply_change(SET_CFG, bad + "\n", "c.txt")
    assert str(e.value).startswith("c.txt:1: cannot apply")


def test_check_change_cli(tmp_path):
    chg = tmp_path / "fix.txt"
    chg.write_text("delete security policies from-zone workshop to-zone servers policy block-smb\n"
                   "set applications application PRINERGY-TCP inactivity-timeout 28800\n")
    code, out, _err = cli("check-change", str(EXAMPLE), str(chg), "--site", str(EXAMPLE.parent / "site.yaml"),
                          "--format", "json")
    data = json.loads(out)
    resolved = {f["rule_id"] for f in data["resolved"]}
    assert "PRN100" in resolved and "PRN120" in resolved
    # SMB now passes; its sessions get the policy's TCP default (1800 s), a finding the audit already had
    # for that policy's default-timeout applications, so nothing new is an error
    assert not [f for f in data["introduced"] if f["severity"] == "error"]
    assert any(f["rule_id"] == "PRN120" and "junos-smb-session" in f["message"] for f in data["unchanged"])
    assert data["newly_permitted"]


def test_each_line_of_a_set_form_configuration_is_read_once_whatever_the_commands(monkeypatch):
    """A new policy is several set commands, and each command looks at every line of the configuration
    (where the statement goes, what it replaces): each line's words are read once, not once per
    command (10 readings of a 118,000-line configuration took 11 s of a 16 s check-change)."""
    from parsers.junos import tree

    base = "".join("set security policies from-zone a to-zone b policy p%d match application any\n" % k
                   for k in range(300))
    p = "security policies from-zone a to-zone b policy deny-all"
    change = "".join("set %s %s\n" % (p, rest) for rest in (
        "match source-address any", "match destination-address any", "match application any", "then deny",
        "then log session-init"))
    calls = []
    real = tree.set_words
    monkeypatch.setattr(tree, "set_words", lambda line: calls.append(line) or real(line))
    out = apply_change(base, change, "c.txt", [])
    assert "set %s then deny" % p in out.splitlines()
    assert len(calls) <= 300 + 2 * 5  # (the configuration's lines once, each command's once or twice)


@pytest.mark.parametrize("compact", [False, True], ids=["one-leaf-a-line", "leaves-on-one-line"])
def test_a_new_policy_inserted_before_another_in_the_hierarchical_form(compact):
    # the usual change request: a new policy, then 'insert ... before' the one that blocks its traffic.
    # The CLI takes several leaves of 'match' in one command as well (Juniper, "Use the Configure Command");
    # the hierarchical editor wrote the new policy as statements of their own, which 'insert' refused
    # ("not configured as a block")
    p = "set security policies from-zone workshop to-zone servers policy new-smb"
    match = ["%s match source-address any destination-address any application junos-smb-session" % p] if compact \
        else ["%s match source-address any" % p, "%s match destination-address any" % p,
              "%s match application junos-smb-session" % p]
    change = "\n".join(match + ["%s then permit" % p, "insert security policies from-zone workshop to-zone servers "
                                                      "policy new-smb before policy block-smb"]) + "\n"
    before = parse_text(EXAMPLE.read_text(), "srx.conf")
    assert decide(before, "10.30.0.5", "10.20.0.10", 445)["decision"] == "deny"
    out = apply_change(EXAMPLE.read_text(), change, "c.txt")
    cfg = parse_text(out, "new.conf")
    names = [r.note for r in cfg.filters["workshop->servers"].rules]
    assert names.index("policy new-smb") == names.index("policy block-smb") - 1
    assert not [d for d in cfg.diagnostics if "new-smb" in d.message]
    got = decide(cfg, "10.30.0.5", "10.20.0.10", 445)
    assert got["decision"] == "permit"


def test_several_leaves_in_one_set_command_are_each_read():
    text = SET_CFG + ("set security policies from-zone workshop to-zone servers policy two match source-address "
                      "WS-NET destination-address PRIMARY application junos-smb-session\n"
                      "set security policies from-zone workshop to-zone servers policy two then permit\n"
                      "set firewall family inet filter F term t from protocol tcp destination-port 445 "
                      "tcp-established\nset firewall family inet filter F term t then accept\n")
    cfg = parse_text(text, "c.set")
    assert not [d for d in cfg.diagnostics if "two" in d.message or "term t" in d.message]
    two = [r for r in cfg.filters["workshop->servers"].rules if r.note == "policy two"][0]
    assert two.match.contains(make_packet("10.30.0.5", "10.20.0.10", "tcp", 1024, 445))
    assert not two.match.contains(make_packet("10.30.0.5", "10.20.0.10", "tcp", 1024, 80))


@pytest.mark.parametrize("compact", [False, True], ids=["one-leaf-a-line", "leaves-on-one-line"])
def test_a_policy_the_change_sets_can_be_deactivated_in_the_hierarchical_form(compact):
    # 'deactivate' marks any configured statement or hierarchy inactive, one the same change set too
    # (Juniper, "Junos OS CLI User Guide": deactivate); the hierarchical editor wrote the new policy as
    # statements of their own and refused to deactivate it ("no block or statement of its own")
    p = "security policies from-zone untrust to-zone servers policy new-web"
    match = ["set %s match source-address any destination-address PRIMARY application junos-http" % p] if compact \
        else ["set %s match source-address any" % p, "set %s match destination-address PRIMARY" % p,
              "set %s match application junos-http" % p]
    change = "\n".join(match + ["set %s then permit" % p]) + "\n"
    on = parse_text(apply_change(EXAMPLE.read_text(), change, "c.txt"), "new.conf")
    assert decide(on, "198.51.100.7", "10.20.0.10", 80)["decision"] == "permit"
    origins: list = []
    out = apply_change(EXAMPLE.read_text(), change + "deactivate %s\n" % p, "c.txt", origins)
    assert len(origins) == len(out.splitlines())
    off = parse_text(out, "new.conf")
    got = decide(off, "198.51.100.7", "10.20.0.10", 80)
    assert got["decision"] == "deny" and "default policy" in got["reason"]
    assert not [d for d in off.diagnostics if "new-web" in d.message]
    again = parse_text(apply_change(EXAMPLE.read_text(), change + "deactivate %s\nactivate %s\n" % (p, p), "c.txt"),
                       "new.conf")
    assert decide(again, "198.51.100.7", "10.20.0.10", 80)["decision"] == "permit"

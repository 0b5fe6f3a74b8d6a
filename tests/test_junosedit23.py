"""Junos: a pasted CLI session's 'edit' / 'up' / 'top' / 'exit' move the edit level its set commands are
relative to (Juniper, "Junos OS CLI User Guide", configuration mode commands and "Using the edit Command";
command summaries edit.html, up.html, top.html, exit.html:
https://juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/edit.html and siblings):

* 'edit statement-path' "move inside the specified statement hierarchy. If the statement does not exist,
  it is created" (relative to the current level);
* 'exit' "exit the current level of the statement hierarchy, returning to the level prior to the last edit
  command, or exit from configuration mode ... If you are at the top of the statement hierarchy, exit
  configuration mode";
* 'top' "return to the top level of configuration command mode, which is indicated by the [edit] banner";
  'top configuration-command' "issue configuration mode commands from the top of the hierarchy";
* 'up <number>' "move up one level in the statement hierarchy" / "the specified number of levels": a
  statement is a keyword and its identifier ('policy P', 'from-zone A to-zone B'), which the words of a
  path do not tell apart, so the level after 'up' below the top is not known and a command relative to it
  is reported (fail closed), as check-change refuses it.

Before, every 'edit'/'up'/'top'/'exit' below the top was reported and the relative set commands after an
'edit' were read as top-level paths.
"""

from __future__ import annotations

import json

from auditor.api import audit, decision_json, load_config, make_packet
from auditor.policy import load_site
from auditor.report import render
from parsers.junos import parse_lines

FLAT = """\
set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24
set security zones security-zone trust interfaces ge-0/0/0.0
set security zones security-zone servers interfaces ge-0/0/1.0
set security policies from-zone trust to-zone servers policy p1 match source-address any
set security policies from-zone trust to-zone servers policy p1 match destination-address any
set security policies from-zone trust to-zone servers policy p1 match application any
set security policies from-zone trust to-zone servers policy p1 then permit
"""

SESSION = """\
configure
edit security policies from-zone trust to-zone servers
set policy p1 match source-address any
set policy p1 match destination-address any
set policy p1 match application any
set policy p1 then permit
top
edit security zones
set security-zone trust interfaces ge-0/0/0.0
set security-zone servers interfaces ge-0/0/1.0
top
edit interfaces ge-0/0/0 unit 0
set family inet address 10.1.0.1/16
exit
set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24
commit
"""


def _parse(text: str):
    cfg, lines = parse_lines(text, "srx.cmd")
    assert lines.unaccounted() == []
    return cfg


def _smb(cfg) -> str:
    return decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 49152, 445))["decision"]


def _audit(path) -> dict:
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"])
    return json.loads(render("json", audit([load_config(str(path), "junos")], site)))


def test_an_edit_session_audits_as_the_flat_set_file(tmp_path):
    (tmp_path / "flat.conf").write_text(FLAT)
    (tmp_path / "session.conf").write_text(SESSION)
    flat, session = _audit(tmp_path / "flat.conf"), _audit(tmp_path / "session.conf")
    assert session["inputs"][0]["unrecognized"] == flat["inputs"][0]["unrecognized"] == 0
    assert session["verdict"] == flat["verdict"]
    assert session["flows"] == flat["flows"]
    assert any(f["status"] == "pass" for f in flat["flows"])
    assert ([(f["rule_id"], f["severity"], f.get("status")) for f in session["findings"]]
            == [(f["rule_id"], f["severity"], f.get("status")) for f in flat["findings"]])
    # a finding keeps the relative statement's own line
    lines = SESSION.splitlines()
    assert all(lines[f["line"] - 1] == f["text"] for f in session["findings"] if f.get("line"))
    assert _smb(_parse(SESSION)) == _smb(_parse(FLAT)) == "permit"


def test_exit_returns_to_the_level_before_the_last_edit():
    text = ("edit security\nedit policies from-zone trust to-zone servers policy p1\n"
            "set match source-address any\nset match destination-address any\nset match application any\n"
            "set then permit\nexit\n"  # back to [edit security]
            "set zones security-zone trust interfaces ge-0/0/0.0\nset zones security-zone servers interfaces "
            "ge-0/0/1.0\nexit\n"  # back to [edit]
            + FLAT[:FLAT.index("set security")])
    cfg = _parse(text)
    assert not cfg.unrecognized
    assert _smb(cfg) == "permit"


def test_up_leaves_the_level_unknown_and_the_relative_commands_after_it_reported():
    text = ("configure\n" + FLAT + "edit security policies from-zone trust to-zone servers policy p1\nup 2\n"
            "set policy p0 match source-address any\ntop\n"
            "set security policies from-zone trust to-zone servers policy p1 then deny\ncommit\n")
    cfg = _parse(text)
    assert [(d.source.line, d.impact.name) for d in cfg.unrecognized] == [(12, "GLOBAL")]
    assert "edit level is not known" in cfg.unrecognized[0].message
    # after 'top' the set command is read from the top again: p1 denies
    cfg = _parse(text.replace("set policy p0 match source-address any\n", ""))
    assert not cfg.unrecognized
    assert _smb(cfg) == "deny"


def test_top_command_runs_at_the_top():
    flat = FLAT.replace("set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16\n", "")
    text = ("edit security policies from-zone trust to-zone servers\n"
            "top set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16\n"
            "set policy p2 then deny\n"  # where 'top COMMAND' leaves the level is not documented
            "top\n" + flat)
    cfg = _parse(text)
    assert [d.source.line for d in cfg.unrecognized] == [3]
    assert "edit level is not known" in cfg.unrecognized[0].message
    # without the unknown line: the interface got its address from the 'top set' line, read at the top
    cfg = _parse(text.replace("set policy p2 then deny\n", ""))
    assert not cfg.unrecognized
    assert _smb(cfg) == "permit"
    assert _smb(_parse(flat)) == "deny"  # (without that address no route to the source: not the same)


def test_edit_creates_the_statement_it_names():
    # 'edit' "if the statement does not exist, it is created": an empty policy, as 'set' of its path writes it
    # (Junos refuses to commit a policy without match and then: reported on its line, as for the set form)
    edited = _parse(FLAT + "edit security policies from-zone trust to-zone servers policy p0\ntop\n")
    typed = _parse(FLAT + "set security policies from-zone trust to-zone servers policy p0\n")
    assert [(d.source.line, d.message) for d in edited.unrecognized] == [
        (d.source.line, d.message) for d in typed.unrecognized]
    assert any("policy p0 has no 'then" in d.message for d in edited.unrecognized)
    # an 'edit' with statements set under it writes nothing of its own
    assert not _parse(FLAT + "edit security policies from-zone trust to-zone servers policy p0\n"
                      "set match source-address any\nset match destination-address any\n"
                      "set match application any\nset then deny\ntop\n").unrecognized


# --- Junos: a pasted session whose set commands are all relative -----------------------------------------------
# 'edit statement-path': "move inside the specified statement hierarchy" (Juniper, Junos OS CLI User Guide, command
# summary 'edit', https://juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/edit.html);
# 'configure' enters configuration mode and 'commit' commits the candidate (same guide, configure.html,
# commit.html).  Such a session was refused "could not recognise".

# (SESSION with its last interface set relative too: no absolute set command left)
JUNOS_RELATIVE = SESSION.replace(
    "exit\nset interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24\n",
    "top\nedit interfaces ge-0/0/1 unit 0\nset family inet address 10.2.0.1/24\ntop\n")


def test_a_relative_junos_session_is_detected_and_read():
    import pytest

    from parsers import InputError, detect
    from parsers.junos import detect as junos_detect

    assert detect(JUNOS_RELATIVE, "s.txt") == "junos"                # was InputError "could not recognise"
    assert junos_detect(JUNOS_RELATIVE) >= 60
    # the same lines without the session's configure / commit are not claimed
    bare = "\n".join(x for x in JUNOS_RELATIVE.splitlines() if x not in ("configure", "commit"))
    assert junos_detect(bare) == 0
    # a VyOS session (same commands, VyOS's own statements) is not Junos
    vyos = ("configure\nedit firewall name WAN_IN\nset default-action drop\nset rule 10 action accept\ntop\n"
            "edit interfaces ethernet eth0\nset firewall in name WAN_IN\ncommit\nsave\n")
    assert junos_detect(vyos) == 0
    with pytest.raises(InputError):
        detect(vyos, "v.txt")
    # FortiOS's 'edit' lines are indented entries of a 'config' block
    forti = "config system interface\n    edit \"port1\"\n        set ip 10.1.0.1 255.255.0.0\n    next\nend\n"
    assert junos_detect(forti) == 0


def test_a_relative_junos_session_parses_the_policy():
    cfg, _ = parse_lines(JUNOS_RELATIVE, "s.txt")
    assert _smb(cfg) == "permit"     # policy p1 (trust -> servers)
    back = make_packet("10.2.0.10", "10.1.0.5", "tcp", 49152, 445)
    assert decision_json(cfg, back)["decision"] == "deny"       # no servers -> trust policy

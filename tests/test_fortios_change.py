"""FortiOS change requests: CLI blocks applied to a configuration (``check-change``).

The commands are FortiOS's own table commands (FortiOS CLI Reference, "CLI configuration commands":
config, edit, set, unset, append, next, end, delete, move, rename): ``move <id> before|after <id>``
reorders policies (Fortinet KB 207381 "How policy order works"), ``edit 0`` creates a policy with the
next free ID (FortiOS Administration Guide, "Policy ID": "edit 0" assigns the next available ID).
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from auditor.api import explain
from parsers import InputError
from parsers.fortios import parse
from parsers.fortios.change import apply_change

CONF = (EXAMPLES / "fortios-site" / "fortigate.conf").read_text()


def applied(change: str):
    origins: list = []
    text = apply_change(CONF, change, "change.txt", origins)
    assert len(origins) == len(text.splitlines())
    return parse(text, "fortigate.conf"), text, origins


def smb(c):
    return explain(c, "10.30.0.5", "10.20.0.10", "tcp", 1024, 445)


def test_set_replaces_a_setting_and_keeps_the_rest():
    c, text, origins = applied("config firewall policy\n    edit 11\n        set session-ttl 28800\n    next\nend\n")
    assert "set session-ttl 7200" not in text and text.count("set session-ttl 28800") == 1
    k = text.splitlines().index("        set session-ttl 28800")
    assert origins[k] == ("change", 3) and origins[0] == ("config", 1)
    assert [t.idle_seconds for t in c.timeouts if t.rule] == [28800]


def test_move_before_changes_the_first_match():
    assert smb(parse(CONF, "f"))["decision"] == "deny"
    c, _t, _o = applied("config firewall policy\n    move 11 before 10\nend\n")
    assert smb(c)["decision"] == "permit"


def test_edit_0_adds_a_policy_at_the_end_with_the_next_id():
    c, text, _o = applied('config firewall policy\n    edit 0\n        set srcintf "workshop"\n'
                          '        set dstintf "servers"\n        set srcaddr "all"\n        set dstaddr "all"\n'
                          '        set action accept\n        set schedule "always"\n        set service "ALL_UDP"\n'
                          '    next\nend\n')
    assert "    edit 41" in text
    assert explain(c, "10.30.0.5", "10.20.0.10", "udp", 1024, 37002)["rule"].strip() == "edit 41"


def test_delete_unset_append():
    c, text, _o = applied('config firewall policy\n    delete 10\n    edit 11\n        unset session-ttl\n'
                          '        append service "ALL_UDP"\n    next\nend\n')
    assert smb(c)["decision"] == "permit" and "edit 10\n" not in text
    assert [t.rule for t in c.timeouts if t.rule] == []
    assert explain(c, "10.30.0.5", "10.20.0.10", "udp", 1024, 37002)["decision"] == "permit"


def test_new_block_and_nested_block():
    c, _t, _o = applied("config system session-ttl\n    config port\n        edit 1\n            set protocol 6\n"
                        "            set start-port 1024\n            set end-port 9000\n"
                        "            set timeout never\n        next\n    end\nend\n")
    assert [t.label for t in c.timeouts][-2:] == ["system session-ttl port 1", "system session-ttl default"]


def test_a_used_object_cannot_be_deleted():
    with pytest.raises(InputError, match="change.txt:2: cannot delete 'WORKSHOP-NET'"):
        apply_change(CONF, 'config firewall address\n    delete "WORKSHOP-NET"\nend\n', "change.txt")


@pytest.mark.parametrize("change, line", [
    ("config firewall policy\n    move 99 before 10\nend\n", 2),
    ("config firewall policy\n    purge\nend\n", 2),
    ("config firewall policy\n    edit 5\n        set action accept\nend\nfrobnicate\n", 5),
    ("show firewall policy\n", 1),
])
def test_bad_change_is_refused_whole(change, line):
    with pytest.raises(InputError, match="change.txt:%d:" % line):
        apply_change(CONF, change, "change.txt")


def test_check_change_cli(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT
    chg = tmp_path / "change.txt"
    chg.write_text("config firewall policy\n    move 11 before 10\nend\n")
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "check-change", str(EXAMPLES / "fortios-site" /
                        "fortigate.conf"), str(chg), "--site", str(EXAMPLES / "fortios-site" / "site.yaml")],
                       capture_output=True, cwd=ROOT, text=True)
    assert "NEWLY PERMITTED" in p.stdout and "smb:workshop->primary" in p.stdout, p.stdout + p.stderr


def test_change_to_one_vdom():
    from test_fortios_vdom_nat_ttl import VDOMS

    from parsers.fortios import parse_vdom
    with pytest.raises(InputError, match="wrap the change in 'config vdom'"):
        apply_change(VDOMS, "config firewall policy\n    delete 1\nend\n", "change.txt")
    text = apply_change(VDOMS, "config vdom\nedit shop\nconfig firewall policy\n    edit 1\n"
                               "        set action accept\n    next\nend\nnext\nend\n", "change.txt")
    shop, root = parse_vdom(text, "f", "shop"), parse_vdom(text, "f", "root")
    assert explain(shop, "10.1.0.5", "10.2.0.5", "tcp", 1024, 80)["decision"] == "permit"
    assert root.filters["port1->port2"].rules[0].source.line == 35  # root's policy untouched, in place


def test_a_change_into_a_block_the_configuration_never_ends_is_an_error():
    # (found by fuzzing --fix: the block's missing 'end' was looked up as its place, a traceback)
    conf = CONF + "config firewall service custom\n    edit \"X\"\n        set tcp-portrange 1\n    next\n"
    with pytest.raises(InputError) as e:
        apply_change(conf, "config firewall service custom\n    edit \"Y\"\n        set tcp-portrange 2\n"
                           "    next\nend\n", "change.txt")
    assert "has no 'end'" in str(e.value) and str(e.value).startswith("change.txt:1:")


@pytest.mark.parametrize("new_id", ["50", "0"])
def test_a_policy_the_change_adds_can_be_moved_before_another(new_id):
    # the usual change request: a new policy, then 'move NEW before OLD' in the same block (FortiOS CLI
    # reference, "config firewall policy": move; 'edit 0' takes the next free ID, 41 here); the editor moved
    # only entries the configuration already held
    assert smb(parse(CONF, "f"))["decision"] == "deny"
    moved = "41" if new_id == "0" else new_id
    c, text, _o = applied('config firewall policy\n    edit %s\n        set srcintf "workshop"\n'
                          '        set dstintf "servers"\n        set srcaddr "all"\n        set dstaddr "all"\n'
                          '        set action accept\n        set schedule "always"\n        set service "SMB"\n'
                          '    next\n    move %s before 10\nend\n' % (new_id, moved))
    assert text.index("    edit %s" % moved) < text.index("    edit 10")
    assert smb(c)["decision"] == "permit"


def test_entries_added_by_an_earlier_block_of_the_change_count_in_a_later_one():
    # two 'config firewall policy' blocks in one change request, as pasted into the CLI one after the other:
    # the first 'edit 0' creates policy 41, so the second 'edit 0' takes 42 (FortiOS Administration Guide,
    # "Policy ID": edit 0 assigns the next available ID) and 'move 42 before 41' finds both (FortiOS CLI
    # reference, "config firewall policy": move).  The editor counted only the block it was in: both new
    # policies were written as 'edit 41' and the move was refused.
    pol = ('config firewall policy\n    edit 0\n        set srcintf "workshop"\n        set dstintf "servers"\n'
           '        set srcaddr "all"\n        set dstaddr "PRINERGY-PRIMARY"\n        set action %s\n'
           '        set schedule "always"\n        set service "%s"\n    next\n%send\n')
    c, text, _o = applied(pol % ("deny", "HTTP", "") + pol % ("accept", "ALL", "    move 42 before 41\n"))
    lines = text.splitlines()
    assert lines.count("    edit 41") == 1 and lines.count("    edit 42") == 1
    assert lines.index("    edit 42") < lines.index("    edit 41")
    flm = explain(parse(CONF, "f"), "10.30.0.5", "10.20.0.10", "udp", 49152, 50010)
    assert flm["decision"] == "deny"
    flm = explain(c, "10.30.0.5", "10.20.0.10", "udp", 49152, 50010)
    assert flm["decision"] == "permit" and flm["rule"] == "    edit 42"


def test_a_policy_the_change_added_can_be_deleted_by_it():
    # 'delete ID' removes any entry of the table (FortiOS CLI reference, "CLI configuration commands":
    # delete), one created earlier in the same change too; it was refused ("no entry '41' here")
    new = ('config firewall policy\n    edit 0\n        set srcintf "workshop"\n        set dstintf "servers"\n'
           '        set srcaddr "all"\n        set dstaddr "all"\n        set action accept\n'
           '        set schedule "always"\n        set service "ALL"\n    next\nend\n')
    c, text, _o = applied(new)
    assert explain(c, "10.30.0.5", "10.20.0.10", "udp", 49152, 50010)["decision"] == "permit"
    c, text, origins = applied(new + "config firewall policy\n    delete 41\nend\n")
    assert "    edit 41" not in text.splitlines() and len(origins) == len(text.splitlines())
    assert explain(c, "10.30.0.5", "10.20.0.10", "udp", 49152, 50010)["decision"] == "deny"

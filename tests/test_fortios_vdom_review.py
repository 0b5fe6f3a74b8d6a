"""Reviewing a change to one VDOM of a multi-VDOM FortiGate (``diff`` / ``check-change --vdom``).

Each VDOM is its own device: "A vdom is a virtual instance of the FortiGate that can be configured and
used as a different unit" (Fortinet's FortiOS Ansible collection, ``vdom`` parameter,
https://github.com/fortinet-ansible-dev/ansible-galaxy-fortios-sphinxdoc/blob/2.3.5/gen/fortios_system_vdom.rst),
and a change to one is written inside ``config vdom`` / ``edit NAME`` (how ``audit --fix --fix-out`` writes
it).  Before, ``diff`` and ``check-change`` had no ``--vdom``: they read the root VDOM, so a change that
deleted the policy the ``cust`` VDOM's Prinergy traffic needs was "diff verdict: PASS (0 introduced ...)".
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from auditor.api import diff, load_change, load_version
from auditor.cli import Fatal, app
from parsers import InputError

MULTI = """config vdom
edit root
next
edit cust
next
end
config vdom
edit cust
config system interface
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
end
config firewall policy
    edit 1
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
        set session-ttl never
    next
end
next
end
"""
# the change that breaks the cust VDOM: its only policy goes
BREAK = """config vdom
    edit cust
        config firewall policy
            delete 1
        end
    next
end
"""
ROLES = ["--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10", "--role", "secondary=10.20.0.11"]


def cli(*args) -> tuple[int, str]:
    """(exit code, output or the error): a usage or input error is exit 2 (``main``'s handling of ``Fatal``)."""
    res = CliRunner().invoke(app, list(args))
    if isinstance(res.exception, Fatal):
        return 2, str(res.exception)
    return res.exit_code, res.output


@pytest.fixture()
def files(tmp_path):
    cfg, change, after = tmp_path / "fg.conf", tmp_path / "change.txt", tmp_path / "after.conf"
    cfg.write_text(MULTI)
    change.write_text(BREAK)
    after.write_text(MULTI.replace("    edit 1\n", "    edit 9\n").replace('"ALL"', '"HTTP"'))
    return str(cfg), str(change), str(after)


def test_check_change_of_a_vdom_reviews_that_vdom(files):
    cfg, change, _after = files
    code, out = cli("check-change", cfg, change, *ROLES, "--vdom", "cust")
    assert code == 1, out
    assert "diff verdict: FAIL" in out and "newly blocks required flow" in out
    # the API the command calls: both versions read as the VDOM
    old, new, _text, _origins = load_change(MULTI, "fg.conf", BREAK, "change.txt", part="cust")
    assert (old.aux["vdom"], new.aux["vdom"]) == ("cust", "cust")
    assert diff(old, new).newly_denied


def test_a_multi_vdom_config_needs_vdom_to_be_reviewed(files):
    # (before: the root VDOM was reviewed, the change to cust unseen: PASS, exit 0)
    cfg, change, after = files
    for args in (["check-change", cfg, change], ["diff", cfg, after]):
        code, out = cli(*args, *ROLES)
        assert code == 2, out
        assert "several devices (VDOMs root, cust)" in out and "--vdom" in out
    with pytest.raises(InputError, match="VDOMs root, cust"):
        load_version("fg.conf", text=MULTI)
    # one VDOM (or none): nothing to pick
    assert load_version("one.conf", "fortios", text=MULTI.split("end\n", 1)[1].replace("cust", "root")).vendor


def test_a_change_to_another_vdom_is_refused_saying_it_changes_nothing_reviewed(files):
    cfg, change, _after = files
    code, out = cli("check-change", cfg, change, *ROLES, "--vdom", "root")
    assert code == 2, out
    assert "change.txt:2: this edits VDOM 'cust'" in out
    assert "changes nothing in 'root'" in out and "--vdom cust" in out


def test_diff_of_a_vdom_reads_both_versions_as_that_vdom(files):
    cfg, _change, after = files
    code, out = cli("diff", cfg, after, *ROLES, "--vdom", "cust")
    assert code == 1, out
    assert "newly blocks required flow" in out
    assert "leaves out" not in out  # (root, the part left out of this review, is the same in both)
    # the root VDOM of both is empty, but the change is to cust, which a review of root leaves out: it cannot
    # pass it (before: "diff verdict: PASS", exit 0, silent about the cust policy it replaced)
    code, out = cli("diff", cfg, after, *ROLES, "--vdom", "root")
    assert code == 1 and "diff verdict: UNKNOWN" in out, out
    assert "newly blocks" not in out
    assert "the change alters VDOM 'cust' (%s:18, %s:25, %s:18, %s:25), which this review leaves out" % (
        after, after, cfg, cfg) in out

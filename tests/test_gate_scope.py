"""The change gate (``diff``, ``check-change``) is never silent about a change to a part of the input it leaves
out of its review: it says which part, names the lines, and does not pass (``Config.left_out``, compared by
``auditor.diff.changed_outside``).

* FortiOS: "A vdom is a virtual instance of the FortiGate that can be configured and used as a different unit"
  (Fortinet's FortiOS Ansible collection, ``vdom`` parameter,
  https://github.com/fortinet-ansible-dev/ansible-galaxy-fortios-sphinxdoc/blob/2.3.5/gen/fortios_system_vdom.rst);
  an interface belongs to the VDOM its ``set vdom`` names (FortiOS CLI reference, ``config system interface``,
  ``set vdom {string}``: https://docs.fortinet.com/document/fortigate/6.2.9/cli-reference/8620).  A review of
  ``--vdom root`` reads neither another VDOM's policies nor its interfaces in ``config global``.
* iptables: a rule line marked ``-6`` among IPv4 rules (``-4`` among IPv6 ones) is skipped by this family's
  restore command and applied by the other's: "allowed to insert a -4 or -6 option at start of a rule line to
  ignore it if not matching the command's protocol. This allowed to mix specific ipv4 and ipv6 rules in a single
  file" (netfilter's iptables commit "restore legacy behaviour of iptables-restore when rules start with -4/-6",
  https://android.googlesource.com/platform/external/iptables/+/d76475ce%5E%21/).  The audit of the IPv4 rules
  of a dump whose first line says the legacy iptables-save (or iptables-nft from 1.8.4) wrote it leaves those out
  (iptables-nft before 1.8.4 applies them: tests/test_iptables.py).
* Check Point: tests/checkpoint/test_checkpoint_gate_scope.py.

Before, each of these reviews said "diff verdict: PASS", exit 0, with nothing about the change.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from auditor.api import diff, load_version
from auditor.cli import Fatal, app

ROLES = ["--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10", "--role", "secondary=10.20.0.11"]

FG = """config vdom
edit root
next
edit cust
next
end
config global
config system interface
    edit "port1"
        set vdom "root"
        set ip 10.30.0.1 255.255.255.0
    next
    edit "port2"
        set vdom "root"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "port3"
        set vdom "cust"
        set ip 10.40.0.1 255.255.255.0
    next
end
end
config vdom
edit root
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
next
edit cust
config firewall policy
    edit 1
        set srcintf "port3"
        set dstintf "port3"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
next
end
"""
# port3, cust's interface, renumbered in config global (line 19)
RENUMBER = """config global
    config system interface
        edit "port3"
            set ip 10.41.0.1 255.255.255.0
        next
    end
end
"""


def cli(*args) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args))
    if isinstance(res.exception, Fatal):
        return 2, str(res.exception)
    return res.exit_code, res.output


@pytest.fixture()
def fg(tmp_path):
    old, new, change = tmp_path / "fg.conf", tmp_path / "fg-new.conf", tmp_path / "change.txt"
    old.write_text(FG)
    new.write_text(FG.replace("10.40.0.1 255", "10.41.0.1 255"))
    change.write_text(RENUMBER)
    return str(old), str(new), str(change)


def test_diff_of_root_says_it_cannot_tell_what_a_change_to_another_vdoms_interface_does(fg):
    old, new, _change = fg
    code, out = cli("diff", old, new, *ROLES, "--vdom", "root")
    assert code == 1, out
    assert "diff verdict: UNKNOWN" in out
    assert "the change alters VDOM 'cust' (%s:19, %s:19), which this review leaves out" % (new, old) in out
    # the JSON says it too
    code, out = cli("diff", old, new, *ROLES, "--vdom", "root", "--format", "json")
    data = json.loads(out)
    assert data["verdict"] == "unknown"
    assert data["changed_outside_review"] == [{"part": "VDOM 'cust'", "where": ["%s:19" % new, "%s:19" % old]}]
    # a review of cust itself is not about a part left out: the change is reviewed there
    code, out = cli("diff", old, new, *ROLES, "--vdom", "cust", "--format", "json")
    assert json.loads(out)["changed_outside_review"] == []


def test_check_change_of_root_names_the_change_line_that_edits_another_vdoms_interface(fg):
    old, _new, change = fg
    code, out = cli("check-change", old, change, *ROLES, "--vdom", "root")
    assert code == 1, out
    assert "diff verdict: UNKNOWN" in out
    assert "the change alters VDOM 'cust' (%s:4), which this review leaves out" % change in out


def test_a_change_to_the_reviewed_vdom_alone_is_not_about_another_part():
    new = FG.replace("10.30.0.1 255", "10.30.0.2 255")  # (port1: root's)
    result = diff(load_version("fg.conf", text=FG, part="root"), load_version("fg.conf", text=new, part="root"))
    assert result.outside == []
    assert not any("leaves out" in r for r in result.reasons)


def test_a_secret_written_again_in_another_vdom_is_no_change_there():
    # FortiOS writes its secrets encrypted ("set passwd ENC ..."), and two backups of one configuration may hold
    # different ENC strings for the same secret: compared as redacted lines, a secret changes nothing the part
    # filters (a wrong "cannot tell" for every backup-to-backup review of a multi-VDOM device before)
    admin = ("config system admin\n    edit \"ops\"\n        set passwd ENC %s\n    next\nend\n"
             "config firewall policy\n")
    one = FG.replace("edit cust\nconfig firewall policy\n", "edit cust\n" + admin % "SH2a1b2c3d4e5f==")
    two = FG.replace("edit cust\nconfig firewall policy\n", "edit cust\n" + admin % "SH2zzzyyyxxx00==")
    result = diff(load_version("fg.conf", text=one, part="root"), load_version("fg.conf", text=two, part="root"))
    assert result.outside == [] and result.verdict == "pass"
    # a change of what the part filters is still named
    three = two.replace('set srcintf "port3"', 'set srcintf "port1"')
    result = diff(load_version("fg.conf", text=one, part="root"), load_version("fg.conf", text=three, part="root"))
    assert [part for part, _where in result.outside] == ["VDOM 'cust'"]


def test_a_failing_review_still_says_what_it_leaves_out(tmp_path):
    # root's only policy now lets DNS alone through (a required flow newly blocked: FAIL) and cust's interface is
    # renumbered: the review fails, and says what it left out
    new = tmp_path / "new.conf"
    new.write_text(FG.replace("10.40.0.1 255", "10.41.0.1 255").replace('set service "ALL"', 'set service "DNS"', 1))
    old = tmp_path / "fg.conf"
    old.write_text(FG)
    code, out = cli("diff", str(old), str(new), *ROLES, "--vdom", "root", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "fail"
    assert any(r.startswith("newly blocks required flow") for r in data["verdict_reasons"])
    assert data["verdict_reasons"][-1] == (
        "the change alters VDOM 'cust' (%s:19, %s:19), which this review leaves out: cannot tell what it does there"
        % (new, old))


# --- iptables: the rules of the other family ------------------------------------------------------------------

RESTORE = """# Generated by iptables-save v1.8.7 on Mon Jan  1 00:00:00 2024
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 445 -j ACCEPT
-A INPUT -6 -p tcp --dport 22 -j ACCEPT
-A INPUT -p tcp --dport 22 -j DROP
COMMIT
"""


def test_diff_of_iptables_rules_says_it_cannot_tell_what_a_change_to_the_other_familys_rule_does(tmp_path):
    old, new = tmp_path / "rules.v4", tmp_path / "rules.new"
    old.write_text(RESTORE)
    new.write_text(RESTORE.replace("-A INPUT -6 -p tcp --dport 22 -j ACCEPT", "-A INPUT -6 -j ACCEPT"))
    code, out = cli("diff", str(old), str(new), *ROLES, "--host", "primary")
    assert code == 1, out
    assert "diff verdict: UNKNOWN" in out
    assert "the change alters the IPv6 rules (-6) (%s:7, %s:7), which this review leaves out" % (new, old) in out
    # a change to the IPv4 rules alone is reviewed as before, nothing left out changed
    new.write_text(RESTORE.replace("--dport 445 -j ACCEPT", "--dport 139 -j ACCEPT"))
    code, out = cli("diff", str(old), str(new), *ROLES, "--host", "primary", "--format", "json")
    data = json.loads(out)
    assert data["changed_outside_review"] == [] and data["verdict"] == "fail"



def test_a_change_to_a_line_starting_with_minus_6_is_named_as_one_to_the_other_familys_rules(tmp_path):
    """A rule line may also start with -6 (iptables(8), -6/--ipv6: "If a rule using the -6 option is inserted with
    (and only with) iptables-restore, it will be silently ignored"): before, it was an unsupported command."""
    old, new = tmp_path / "rules.v4", tmp_path / "rules.new"
    lead = RESTORE.replace("-A INPUT -6 -p tcp --dport 22 -j ACCEPT", "-6 -A INPUT -p tcp --dport 22 -j ACCEPT")
    old.write_text(lead)
    new.write_text(lead.replace("-6 -A INPUT -p tcp --dport 22 -j ACCEPT", "-6 -A INPUT -j ACCEPT"))
    code, out = cli("diff", str(old), str(new), *ROLES, "--host", "primary", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "unknown"
    assert data["verdict_reasons"] == ["the change alters the IPv6 rules (-6) (%s:7, %s:7), which this review "
                                       "leaves out: cannot tell what it does there" % (new, old)]


def test_the_junit_and_markdown_reviews_say_it_too(fg):
    old, new, _change = fg
    code, out = cli("diff", old, new, *ROLES, "--vdom", "root", "--format", "junit")
    assert code == 1
    assert '<testcase classname="outside-review" name="VDOM \'cust\'">' in out
    assert 'errors="1"' in out and "%s:19\n%s:19</error>" % (new, old) in out
    code, out = cli("diff", old, new, *ROLES, "--vdom", "root", "--format", "markdown")
    assert out.startswith("## prinergy-audit diff: UNKNOWN")
    assert "\n- the change alters VDOM 'cust' (%s:19, %s:19), which this review leaves out" % (new, old) in out

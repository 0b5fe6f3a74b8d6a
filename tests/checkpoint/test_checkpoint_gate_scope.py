"""The change gate (``diff``, ``check-change``) and a Check Point layer the package does not install.

A policy package installs its access layers ("access-layers: Access policy layers", the Management API's
package object, as the check_point.mgmt collection documents it:
https://docs.ansible.com/ansible/latest/modules/cp_mgmt_package_module.html); a layer of the input that the
package names neither as an ordered layer nor inline is reported "not audited" (``build._ordered_layers``).  A
change to it, or to an object only it uses, is not reviewed: before, ``check-change`` and ``diff`` said "diff
verdict: PASS", exit 0; now "UNKNOWN", naming the layer and the lines (``Config.left_out``).
"""

from __future__ import annotations

import pytest
from cp_helpers import access_layer_info, host, layer, network, package, rule, tcp, text, uid
from typer.testing import CliRunner

from auditor.api import diff, load_change, load_version
from auditor.cli import app

ROLES = ["--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10", "--role", "secondary=10.20.0.11"]


def cli(*args) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args))
    return res.exit_code, res.output


WS_NET, SRV = network("Workshop_Net", "10.30.0.0", 24), host("Prinergy_Primary", "10.20.0.10")
SMB, WEB = tcp("microsoft-ds", "445"), tcp("http", "80")


def export(other_rules=None, objects=(WS_NET, SRV, SMB, WEB)) -> str:
    """Layer Network (the package Standard's) and layer Other (in the input, not in the package)."""
    a, b = "0000aaaa-aaaa-4bbb-8ccc-000000000001", "0000bbbb-aaaa-4bbb-8ccc-000000000002"
    net = layer("Network", [rule("smb", [WS_NET], [SRV], [SMB]), rule("Cleanup rule", action="Drop")],
                list(objects), layer_uid=a)
    other = layer("Other", other_rules or [rule("other", [WS_NET], [SRV], [WEB], "Drop")], list(objects), layer_uid=b)
    return text([net, other, package("Standard", [access_layer_info("Network", a)])])


@pytest.fixture()
def cp(tmp_path):
    cfg, change = tmp_path / "policy.json", tmp_path / "change.txt"
    cfg.write_text(export())
    change.write_text('mgmt_cli add access-rule layer "Other" position top name "x" action "Accept"\n'
                      "mgmt_cli publish\n")
    return str(cfg), str(change)


def test_check_change_of_a_layer_outside_the_package_cannot_pass(cp):
    cfg, change = cp
    code, out = cli("check-change", cfg, change, *ROLES)
    assert code == 1, out
    assert "diff verdict: UNKNOWN  (0 introduced" in out
    assert "the change alters layer Other (%s:1), which this review leaves out" % change in out
    # the same through the API
    old, new, _text, origins = load_change(export(), "policy.json", open(change).read(), "change.txt")
    assert diff(old, new, origins=origins).outside == [("layer Other", ["change.txt:1"])]


def test_diff_of_a_layer_outside_the_package_names_its_lines(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(export())
    new.write_text(export([rule("other", [WS_NET], [SRV], [WEB], "Accept")]))
    code, out = cli("diff", str(old), str(new), *ROLES)
    assert code == 1, out
    assert "diff verdict: UNKNOWN" in out
    lines = new.read_text().splitlines()
    rule_at = lines.index('                "name": "other",') + 1
    layer_at = lines.index('        "name": "Other",') + 1
    # the rule, and the layer's line for the objects it names (Accept now, Drop before)
    assert "the change alters layer Other (%s:%d, %s:%d, %s:%d, %s:%d), which this review leaves out" % (
        new, rule_at, new, layer_at, old, rule_at, old, layer_at) in out


def test_an_object_only_the_left_out_layer_uses_is_part_of_it(tmp_path):
    # (the reviewed layer does not name http: its new port changes only layer Other)
    old = export()
    new = old.replace('"port": "80"', '"port": "8080"')
    assert new != old
    a, b = load_version("p.json", text=old), load_version("p.json", text=new)
    assert diff(a, b).verdict == "unknown"
    assert [part for part, _where in diff(a, b).outside] == ["layer Other"]


def test_a_change_to_the_packages_layer_alone_passes(tmp_path):
    old = export()
    new = old.replace('"name": "smb"', '"name": "smb (renamed)"')
    assert new != old
    result = diff(load_version("p.json", text=old), load_version("p.json", text=new))
    assert result.outside == []
    assert result.verdict == "pass", result.reasons


def test_without_a_package_every_layer_is_reviewed():
    # (no show-package: the layers are the policy's ordered layers, none left out)
    cfg = load_version("p.json", text=text([layer("Network", [rule("any")], [], layer_uid=uid())]))
    assert cfg.left_out == ()

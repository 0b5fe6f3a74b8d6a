"""``explain --vdom`` on a FortiOS backup of several VDOMs: the text names the policy (its ``edit ID`` line) and
the VDOM that decides, a matched policy's and the implicit deny's alike (each VDOM is its own device: FortiOS
Administration Guide, "Virtual Domains"); a backup of one VDOM keeps the plain stage names."""

from __future__ import annotations

from test_cli import run
from typer.testing import CliRunner

from auditor.cli import Fatal, app

VD = """#config-version=FG100F-7.0.12-FW-build0523-230523:opmode=0:vdom=1:user=admin
config vdom
edit root
next
edit CUST
next
end
config global
config system interface
    edit "wan1"
        set vdom "CUST"
        set ip 203.0.113.2 255.255.255.248
    next
    edit "servers"
        set vdom "CUST"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set vdom "CUST"
        set ip 10.30.0.1 255.255.255.0
    next
end
end
config vdom
edit root
next
edit CUST
config firewall policy
    edit 5
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "all"
        set action deny
        set schedule "always"
        set service "SMB"
    next
    edit 7
        set srcintf "workshop"
        set dstintf "servers"
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


def _explain(tmp_path, *args):
    f = tmp_path / "vd.conf"
    f.write_text(VD)
    code, out, err = run("explain", str(f), "--vdom", "CUST", "--proto", "tcp", *args)
    assert code == 0, err
    return out


def test_a_matched_policy_is_named_with_its_vdom(tmp_path):
    out = _explain(tmp_path, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "445")
    assert "DENY by line" in out and "edit 5" in out and "VDOM CUST" in out


def test_the_implicit_deny_is_named_with_its_vdom(tmp_path):
    out = _explain(tmp_path, "--src", "10.20.0.5", "--dst", "10.30.0.10", "--dport", "445")
    assert "implicit deny (policy 0) in VDOM CUST" in out and "at: policy servers->workshop in VDOM CUST" in out


# --- explain --vdom chooses the VDOM; without it, several VDOMs are refused --------------------------------------
# ``explain --vdom``: on a FortiGate backup of several VDOMs, a packet is decided by the VDOM it enters.
#
# Each VDOM is its own device ("A vdom is a virtual instance of the FortiGate that can be configured and used as
# a different unit": Fortinet's FortiOS Ansible collection, ``vdom`` parameter, fortios_system_vdom).  Before,
# ``explain`` had no ``--vdom``: it read the root VDOM only and answered "DENY: no interface or route reaches these
# addresses" for the other VDOM's traffic, without saying that it had left that VDOM out (found by session 28's
# FortiOS red team).  Now it decides in the VDOM named, and without ``--vdom`` a config of several VDOMs is an
# error naming what it would leave out, as ``diff`` and ``check-change`` do.

TWO = """config vdom
edit root
next
edit CUST
next
end
config global
config system interface
    edit "wan1"
        set vdom "root"
        set ip 203.0.113.2 255.255.255.248
    next
    edit "servers"
        set vdom "CUST"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "workshop"
        set vdom "CUST"
        set ip 10.30.0.1 255.255.255.0
    next
end
end
config vdom
edit CUST
config firewall address
    edit "PRIMARY"
        set subnet 10.20.0.10 255.255.255.255
    next
end
config firewall policy
    edit 5
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "PRIMARY"
        set action deny
        set schedule "always"
        set service "ALL"
    next
    edit 7
        set srcintf "workshop"
        set dstintf "servers"
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
PACKET = ["--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "445"]


def cli(*args) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args))
    if isinstance(res.exception, Fatal):
        return 2, str(res.exception)
    return res.exit_code, res.output


def test_explain_decides_in_the_vdom_named(tmp_path):
    cfg = tmp_path / "fg.conf"
    cfg.write_text(TWO)
    code, out = cli("explain", str(cfg), "--vdom", "CUST", *PACKET)
    assert code == 0
    assert "DENY by line %d:" % (TWO.splitlines().index("    edit 5") + 1) in out  # (policy 5 denies the server)
    code, out = cli("explain", str(cfg), "--vdom", "CUST", "--src", "10.30.0.5", "--dst", "10.20.0.11",
                    "--dport", "445")
    assert code == 0 and "PERMIT by line %d:" % (TWO.splitlines().index("    edit 7") + 1) in out


def test_explain_of_several_vdoms_without_one_named_is_refused(tmp_path):
    cfg = tmp_path / "fg.conf"
    cfg.write_text(TWO)
    code, err = cli("explain", str(cfg), *PACKET)
    assert code == 2 and "--vdom" in err and "VDOM 'CUST'" in err
    code, err = cli("explain", str(cfg), "--vdom", "NOPE", *PACKET)
    assert code == 2 and "NOPE" in err


def test_explain_of_one_vdom_config_needs_no_vdom(tmp_path):
    one = TWO.replace("edit root\nnext\n", "", 1).replace("edit CUST\nnext\nend\nconfig global", "edit CUST\nnext\n"
                                                                                              "end\nconfig global", 1)
    cfg = tmp_path / "fg.conf"
    cfg.write_text(one.replace('        set vdom "root"\n', '        set vdom "CUST"\n'))
    code, out = cli("explain", str(cfg), *PACKET)
    assert code == 0 and "DENY by line" in out

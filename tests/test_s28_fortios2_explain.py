"""``explain --vdom`` on a FortiOS backup of several VDOMs: the text names the policy (its ``edit ID`` line) and
the VDOM that decides, a matched policy's and the implicit deny's alike (each VDOM is its own device: FortiOS
Administration Guide, "Virtual Domains"); a backup of one VDOM keeps the plain stage names."""

from __future__ import annotations

from test_cli import run

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

"""Session 25 red-team of Check Point, nftables, AWS, Azure and Windows Firewall inputs: realistic shapes the
tool read wrongly or could not name."""

from __future__ import annotations

import pytest
from test_formats import cli


def one_line(err: str) -> str:
    assert err.strip().count("\n") == 0, err
    return err.strip()


# `netsh advfirewall export FILE.wfw` writes the policy as a registry hive, whose base block starts with the
# signature "regf" (github.com/msuhanov/regf, "Windows registry file format specification", "Base block";
# learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-advfirewall, "export"); a Group Policy
# backup's Registry.pol starts with "PReg" and the version 1 (learn.microsoft.com/previous-versions/windows/desktop/
# policy/registry-policy-file-format).  Both are binary: one line naming what the file is and what to give instead.
@pytest.mark.parametrize("name,data,what", [
    ("firewall.wfw", b"regf\x2a\x00\x00\x00\x2a\x00\x00\x00" + b"\x00" * 500, "registry hive"),
    ("Registry.pol", b"PReg\x01\x00\x00\x00[\x00S\x00o\x00f\x00t\x00" + b"\x00" * 100, "Registry.pol"),
])
def test_a_binary_windows_firewall_export_is_named_with_what_to_give(tmp_path, name, data, what):
    f = tmp_path / name
    f.write_bytes(data)
    code, _out, err = cli("audit", str(f), "--role", "primary=10.20.0.10")
    err = one_line(err)
    assert code == 2 and "is binary" in err and what in err
    assert "Show-NetFirewallRule -PolicyStore ActiveStore" in err and "Get-NetFirewallProfile" in err


def test_other_binary_input_keeps_the_plain_message(tmp_path):
    f = tmp_path / "fw.bin"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4)
    code, _out, err = cli("audit", str(f), "--role", "primary=10.20.0.10")
    assert code == 2 and one_line(err).endswith("is binary, not a text configuration")

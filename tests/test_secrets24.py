"""Secrets written the way Windows admins pass them on a command line (session 24, rev24b's finding).

* PowerShell: ``ConvertTo-SecureString 'X' -AsPlainText -Force`` turns a plain-text password into a secure string
  (Microsoft.PowerShell.Security, ConvertTo-SecureString: "-AsPlainText Specifies a plain text string to convert
  to a secure string"), typically to build a ``-Credential`` for a remote ``-CimSession``;
* netsh: ``netsh [-r <Remotecomputer>] [-u [<domainname>\\]<username>] [-p <Password>] ...`` (Windows Commands
  reference, "netsh", https://github.com/MicrosoftDocs/windowsserverdocs/blob/main/WindowsServerDocs/administration/
  windows-commands/netsh.md).

A pasted session's line holding either was quoted whole where it was not understood.
"""

from __future__ import annotations

import json

from test_formats import cli

from auditor.core.secrets import redact

PASSWORD = "Hunter2!x"


def test_the_plain_text_of_a_secure_string_and_a_netsh_password_are_hidden():
    for line in ("PS C:\\> $p = ConvertTo-SecureString '%s' -AsPlainText -Force; Show-NetFirewallRule" % PASSWORD,
                 "PS C:\\> $c = [pscredential]::new('ops', (convertto-securestring -String %s -AsPlainText -Force))"
                 % PASSWORD,
                 "C:\\Windows\\system32>netsh -r fs1 -u corp\\ops -p %s advfirewall show allprofiles" % PASSWORD,
                 "netsh.exe -r fs1 -u ops -p %s" % PASSWORD):
        out = redact(line)
        assert PASSWORD not in out and "<redacted>" in out, out
    # (netsh's own rule options are no password)
    rule = "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=TCP localport=445"
    assert redact(rule) == rule


def test_no_report_quotes_them(tmp_path):
    f = tmp_path / "win.txt"
    f.write_text("C:\\>netsh -r fs1 -u ops -p %s advfirewall show allprofiles\n\n"
                 "PS C:\\> $p = ConvertTo-SecureString '%s' -AsPlainText -Force\n\n"
                 "Domain Profile Settings:\n----------------------------------------------------------------------\n"
                 "State                                 OFF\n" % (PASSWORD, PASSWORD))
    for fmt in ("text", "json", "sarif"):
        code, out, err = cli("audit", str(f), "--role", "primary=10.2.0.10", "--format", fmt)
        assert code in (0, 1), err
        assert PASSWORD not in out and PASSWORD not in err
    code, out, _err = cli("audit", str(f), "--role", "primary=10.2.0.10", "--format", "json")
    assert json.loads(out)["inputs"]

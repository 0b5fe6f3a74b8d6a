"""Session 24 review, third batch (rev24c): defects found in the merged changes, each with the input that shows it
(each test fails on the code before its fix)."""

from __future__ import annotations

from auditor.core.secrets import redact

# --- secrets -------------------------------------------------------------------------------------------------

PASSWORD = "Hunter2!x"


def test_a_plain_text_piped_into_convertto_securestring_is_hidden():
    # ConvertTo-SecureString's -String "Accept pipeline input: True (ByValue)" (Microsoft.PowerShell.Security,
    # ConvertTo-SecureString, PowerShell 7.4 reference, https://learn.microsoft.com/powershell/module/
    # microsoft.powershell.security/convertto-securestring): '"X" | ConvertTo-SecureString -AsPlainText -Force' is
    # the same plain-text password as 'ConvertTo-SecureString "X" -AsPlainText'; a387857 hid only what follows the
    # cmdlet's name, and the piped password was quoted whole
    for line in ('PS C:\\> $s = "%s" | ConvertTo-SecureString -AsPlainText -Force' % PASSWORD,
                 "PS C:\\> $c = New-Object PSCredential('ops', ('%s' | convertto-securestring -AsPlainText -Force))"
                 % PASSWORD,
                 'PS C:\\> $s = Write-Output "%s" | ConvertTo-SecureString -AsPlainText' % PASSWORD):
        out = redact(line)
        assert PASSWORD not in out and "<redacted>" in out, out

"""Windows Firewall, session 24: the command that printed a pasted dump says which policy store it shows (each test
fails on the code before its fix).

Microsoft, Get-NetFirewallRule and Get-NetFirewallProfile (learn.microsoft.com/powershell/module/netsecurity/
get-netfirewallrule, get-netfirewallprofile), -PolicyStore: "PersistentStore ... This policy is not from GPOs";
"ActiveStore: This store contains the currently active policy, which is the sum of all policy stores that apply to
the computer. This is the resultant set of policy (RSOP) for the local computer (the sum of all GPOs that apply to
the computer), and the local stores"; "RSOP: This read-only store contains the sum of all GPOs applied to the local
computer"; example 1: "Running this cmdlet without specifying the policy store retrieves the persistent store".
"""

from __future__ import annotations

from parsers.kit.paste import clean


def test_the_kit_keeps_the_prompt_lines_it_blanks():
    # parsers.kit.paste.clean blanks a prompt and its command; the line is kept (1-based) for a parser that reads
    # what its output is by the command that printed it; other lines taken out keep no text
    text = "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore\n\nName : Domain\n<--- More --->\n"
    out, skipped = clean(text)
    assert out.splitlines()[0] == "" and out.splitlines()[2] == "Name : Domain"
    assert [(s.line, s.kind, s.text) for s in skipped] == [
        (1, "prompt", "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore"), (4, "pager", "")]

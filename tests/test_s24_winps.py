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

from auditor.api import audit, combine_inputs
from auditor.policy import load_site
from parsers import parse_text
from parsers.kit.paste import clean

HOST = "10.2.0.10"
ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]


def _ps_profile(name: str, enabled: str) -> str:
    """Get-NetFirewallProfile | Format-List, one profile (the default list view: every property)."""
    return ("Name                            : %s\nEnabled                         : %s\n"
            "DefaultInboundAction            : NotConfigured\nDefaultOutboundAction           : NotConfigured\n"
            "AllowInboundRules               : NotConfigured\nAllowLocalFirewallRules         : NotConfigured\n"
            "NotifyOnListen                  : False\nLogAllowed                      : False\n"
            "DisabledInterfaceAliases        : {NotConfigured}\n\n" % (name, enabled))


def _profiles(enabled: str) -> str:
    return "\n" + "".join(_ps_profile(p, enabled) for p in ("Domain", "Private", "Public"))


def _ps_rule(name: str, store: str = "Local", action: str = "Allow", port: str = "445") -> str:
    """Show-NetFirewallRule's block of one rule (Get-NetFirewallRule's properties, then its filters)."""
    head = ("Name                  : %s\nDisplayName           : %s\nEnabled               : True\n"
            "Profile               : Any\nDirection             : Inbound\nAction                : %s\n"
            "PolicyStoreSource     : %s\nPolicyStoreSourceType : %s\n\n"
            % (name, name, action, "PersistentStore" if store == "Local" else "", store))
    sections = (("Address", "LocalAddress : Any\n     RemoteAddress : Any"), ("Service", "Service : Any"),
                ("Application", "Program : Any"), ("Interface", "InterfaceAlias : Any"),
                ("InterfaceType", "InterfaceType : Any"),
                ("Port", "Protocol : TCP\n     LocalPort : %s\n     RemotePort : Any" % port),
                ("Security", "Authentication : NotRequired\n     Encryption : NotRequired\n"
                             "     OverrideBlockRules : False"))
    return head + "".join("$_ | Get-NetFirewall%sFilter\n     %s\n\n" % s for s in sections)


def _audit(*texts: str, policy: str = "prinergy-9"):
    site = load_site(None, ROLES)
    cfgs = [parse_text(t, "fw%d.txt" % i, "windows-firewall") for i, t in enumerate(texts)]
    return audit(combine_inputs(cfgs, HOST, site), site, policy)


def _flows(*texts: str) -> dict[str, str]:
    return {f["flow"].split(":")[0]: f["status"] for f in _audit(*texts).flows}


def _doubts(text: str) -> list[str]:
    return [d.message for d in parse_text(text, "fw.txt", "windows-firewall").unrecognized
            if d.impact.value == "global"]


ACTIVE_PROFILES = "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore | Format-List\n"
ACTIVE_RULES = "PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore\n\n"


def test_the_kit_keeps_the_prompt_lines_it_blanks():
    # parsers.kit.paste.clean blanks a prompt and its command; the line is kept (1-based) for a parser that reads
    # what its output is by the command that printed it; other lines taken out keep no text
    text = "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore\n\nName : Domain\n<--- More --->\n"
    out, skipped = clean(text)
    assert out.splitlines()[0] == "" and out.splitlines()[2] == "Name : Domain"
    assert [(s.line, s.kind, s.text) for s in skipped] == [
        (1, "prompt", "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore"), (4, "pager", "")]


def test_get_netfirewallprofile_of_the_active_store_pasted_with_its_command_decides():
    # The admin ran what Microsoft says shows the profiles in force (Get-NetFirewallProfile example 1: "PS
    # C:\>Get-NetFirewallProfile -PolicyStore ActiveStore ... retrieves the active profile conditions"): every
    # profile off.  The prompt line was blanked before the parser saw it, and the output was taken for the persistent
    # store's: every flow unknown, the audit unknown.  Now every flow passes (nothing is filtered) and so does PRN140.
    text = ACTIVE_PROFILES + _profiles("False")
    assert _doubts(text) == []
    result = _audit(text, policy="prinergy-8")
    assert {f["status"] for f in result.flows} == {"pass"} and result.verdict == "pass"
    # the same output without the command, or of a command that does not show the active store as a whole, is not
    # known to be what is in force (a Group Policy may turn the firewall on): unknown, the command quoted
    for cmd, said in (("", "does not say which store"),
                      ("PS C:\\> Get-NetFirewallProfile | Format-List\n", "the persistent store"),
                      ("PS C:\\> Get-NetFirewallProfile -PolicyStore RSOP\n", "sum of all GPOs"),
                      ("PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore | Format-Table Name, Enabled\n",
                       "part of the active store"),
                      ("PS C:\\> Get-NetFirewallProfile -PolicyStore corp.contoso.com\\FW\n", "Group Policy object")):
        [doubt] = _doubts(cmd + _profiles("False"))
        assert said in doubt and (not cmd or "(line 1)" in doubt), doubt
        assert {f["status"] for f in _audit(cmd + _profiles("False")).flows} == {"unknown"}


def test_show_netfirewallrule_of_the_active_store_pasted_with_its_command_decides():
    # Show-NetFirewallRule, example: "PS C:\>Show-NetFirewallRule -PolicyStore ActiveStore ... displays all of the
    # firewall rules currently in the active policy" (learn.microsoft.com/powershell/module/netsecurity/
    # show-netfirewallrule).  On a computer no Group Policy reaches, every rule of it is Local: the dump was taken for
    # the persistent store's and the SMB flow was unknown; it passes, and a blocked port is denied.
    rules = ACTIVE_RULES + _ps_rule("SMB")
    profiles = ACTIVE_PROFILES + _profiles("True")
    assert _doubts(rules) == []
    assert _flows(profiles + rules)["smb"] == "pass"
    assert _flows(profiles, rules)["smb"] == "pass"  # (the two outputs in two files)
    blocked = ACTIVE_RULES + _ps_rule("SMB", port="446")
    assert _flows(profiles + blocked)["smb"] == "fail"
    # RSOP holds Group Policy's rules alone, without the local ones: not what is in force
    rsop = "PS C:\\> Show-NetFirewallRule -PolicyStore RSOP\n\n" + _ps_rule("{0A1D}", store="GroupPolicy")
    [doubt] = _doubts(rsop)
    assert "RSOP" in doubt and "(line 1)" in doubt
    assert _flows(profiles + rsop)["smb"] == "unknown"


def test_a_filtered_command_is_not_the_whole_active_store():
    # Get-NetFirewallRule's filters (-Action, -Direction, ... "Specifies that matching firewall rules of the indicated
    # action are retrieved") and a Where-Object after it show some rules only.  A dump of the allow rules of the
    # active store has Local and GroupPolicy rules side by side, which was taken for the whole active store: the SMB
    # flow PASSED, though a Group Policy's block rule, left out by -Action Allow, may stop it.  The command says what
    # was left out: unknown.
    dump = _ps_rule("SMB") + _ps_rule("{0A1E}", store="GroupPolicy", port="80")
    profiles = ACTIVE_PROFILES + _profiles("True")
    for cmd in ("PS C:\\> Get-NetFirewallRule -PolicyStore ActiveStore -Action Allow | Show-NetFirewallRule\n",
                "PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore | Where-Object Enabled\n",
                "PS C:\\> Get-NetFirewallPortFilter -Protocol TCP | Get-NetFirewallRule -PolicyStore ActiveStore\n"):
        [doubt] = _doubts(cmd + "\n" + dump)
        assert "(line 1)" in doubt, doubt
        assert _flows(profiles + cmd + "\n" + dump)["smb"] == "unknown"
    # the same rules in a file of their own, without a command: the same filtered output may be what they are
    # (session 24 read the rule types as the whole active store and this PASSED: s24-winfilt, below); after the
    # profiles' command, in the same paste, they are not that command's output
    assert _flows(profiles, dump)["smb"] == "unknown"
    assert _flows(profiles + dump)["smb"] == "unknown"


def test_a_rule_dump_without_its_prompt_line_is_not_known_to_be_whole():
    # Get-NetFirewallRule's query parameters select rules ("-Action: Specifies that matching firewall rules of the
    # indicated action are retrieved"; -Direction, -Enabled, -PolicyStoreSourceType likewise: learn.microsoft.com/
    # powershell/module/netsecurity/get-netfirewallrule, ByQuery), and so does '| Where-Object'.  A filtered dump
    # of the active store holds rules of PolicyStoreSourceType Local beside GroupPolicy ones, as the whole one
    # does: without the prompt line the output cannot tell them apart.  The rule types were read as the whole
    # active store: the SMB flow PASSED, though a Group Policy's block rule '-Action Allow' left out may stop it.
    # Now one line, at the first rule, names the command to paste with its prompt, and the flow is unknown.
    profiles = ACTIVE_PROFILES + _profiles("True")
    for other in ("GroupPolicy", "Dynamic"):
        dump = _ps_rule("SMB") + _ps_rule("{0A1E}", store=other, port="80")
        cfg = parse_text(dump, "fw.txt", "windows-firewall")
        [doubt] = [d for d in cfg.unrecognized if d.impact.value == "global"]
        assert doubt.source.line == 1 and doubt.message.startswith("PowerShell rule dump without the prompt line")
        assert "paste 'PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore' with its prompt line" in doubt.message
        assert _flows(profiles, dump)["smb"] == "unknown", other
        # a prompt line of another command (not a NetSecurity cmdlet: a file the dump was saved to) does not say it
        typed = "PS C:\\> type C:\\fw\\rules.txt\n\n" + dump
        assert [s.kind for s in clean(typed)[1]] == ["prompt"]
        [doubt] = _doubts(typed)
        assert doubt.startswith("PowerShell rule dump without the prompt line"), doubt
        assert _flows(profiles, typed)["smb"] == "unknown", other
        # pasted with the prompt line of the whole active store's command, the same rules decide
        assert _doubts(ACTIVE_RULES + dump) == []
        assert _flows(profiles, ACTIVE_RULES + dump)["smb"] == "pass", other


NETSH_OFF = "".join("%s Profile Settings:\n%s\nState                                 OFF\n"
                    "Firewall Policy                       BlockInbound,AllowOutbound\n"
                    "LocalFirewallRules                    N/A (GPO-store only)\n\n" % (p, "-" * 70)
                    for p in ("Domain", "Private", "Public"))


def test_netsh_show_output_is_of_the_local_store_not_the_policy_in_force():
    # "In Netsh, you must first specify the GPO that the commands in a Netsh session should modify. The commands you
    # enter are run against the contents of the GPO, and the execution remains in effect until the Netsh session is
    # ended or until another set store command is executed" (Microsoft, Manage Windows Firewall with the command
    # line, learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/
    # configure-with-command-line): netsh works on the local store unless 'set store gpo=...' names a GPO; its
    # 'show allprofiles' prints 'LocalFirewallRules N/A (GPO-store only)' there.  Neither store is the policy in
    # force, which a Group Policy may turn on: every profile shown off made every flow PASS and PRN140 pass.
    text = "C:\\Windows\\system32>netsh advfirewall show allprofiles\n\n" + NETSH_OFF + "Ok.\n"
    [doubt] = _doubts(text)
    assert doubt.startswith("netsh advfirewall 'show' output is of one policy store")
    result = _audit(text, policy="prinergy-8")
    assert {f["status"] for f in result.flows} == {"unknown"} and result.verdict == "unknown"
    # 'show rule' likewise: the SMB rule it lists may be overruled by a Group Policy's block rule
    rule = ("Rule Name:                            Prinergy SMB\n" + "-" * 70 + "\n"
            "Enabled:                              Yes\n"
            "Direction:                            In\nProfiles:                             Domain,Private,Public\n"
            "LocalIP:                              Any\nRemoteIP:                             Any\n"
            "Protocol:                             TCP\nLocalPort:                            445\n"
            "RemotePort:                           Any\nEdge traversal:                       No\n"
            "InterfaceTypes:                       Any\nSecurity:                             NotRequired\n"
            "Action:                               Allow\n")
    profiles = ACTIVE_PROFILES + _profiles("True")
    assert _flows(profiles, rule)["smb"] == "unknown"
    # a netsh script writes the rules it holds: no store is shown, the rules decide as before
    script = "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=tcp localport=445\n"
    assert _doubts(script) == [] and _flows(profiles, script)["smb"] == "pass"


def test_the_documented_commands_give_a_decided_verdict():
    # docs/vendors/cloud-and-windows.md ("Windows Firewall: the commands that give a decided verdict") and the
    # README's input row: each documented shape, pasted with its prompt line, decides every flow (no 'unknown').
    rules = ACTIVE_RULES + _ps_rule("SMB") + _ps_rule("Telnet", action="Block", port="23")
    shapes = {
        "one paste": (ACTIVE_PROFILES + _profiles("True") + rules,),
        "two files": (ACTIVE_PROFILES + _profiles("True"), rules),
        "no Format-List, -All": ("PS C:\\> Get-NetFirewallProfile -All -PolicyStore ActiveStore\n" + _profiles("True"),
                                 "PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore\n\n" + _ps_rule("SMB")),
        "a remote session": ("[srv01]: PS C:\\Users\\admin> Get-NetFirewallProfile -PolicyStore ActiveStore | fl\n"
                             + _profiles("True"), rules),
    }
    for name, texts in shapes.items():
        for text in texts:
            assert _doubts(text) == [], name
        result = _audit(*texts)
        statuses = {f["flow"].split(":")[0]: f["status"] for f in result.flows}
        assert statuses["smb"] == "pass" and "unknown" not in statuses.values(), (name, statuses)
        assert result.verdict != "unknown", name
    # '-Name' for some profiles: the others may be on or off, of any settings (documented: left unknown)
    some = "PS C:\\> Get-NetFirewallProfile -Name Domain,Private -PolicyStore ActiveStore\n" + "\n" + "".join(
        _ps_profile(p, "True") for p in ("Domain", "Private"))
    assert _doubts(some) == [] and _flows(some, rules)["smb"] == "unknown"

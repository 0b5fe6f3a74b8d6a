"""Windows Firewall, session 24: a host's rule dump without the profiles' state is not read as an enabled firewall
with Windows' defaults (each test fails on the code before its fix).

Microsoft, Set-NetFirewallProfile (learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile): each
profile has its own settings, which a Group Policy or the admin may set: -Enabled "False: Disables Windows Firewall
with Advanced Security when the specified profile is active"; -AllowInboundRules "False: All inbound firewall rules
are ignored. All inbound traffic will use the DefaultInboundAction parameter value"; -AllowLocalFirewallRules "False:
The firewall rules defined by the local administrator are ignored, and only firewall rules from GPOs are applied to
the computer"; -DefaultInboundAction / -DefaultOutboundAction "Block: Blocks ... network traffic that does not match
an ... rule", "Allow: Allows all ... network traffic, whether or not it matches"; "The default setting when managing
a computer is" True, Block inbound, Allow outbound.  None of it is in Show-NetFirewallRule's or 'netsh advfirewall
firewall show rule' output (rules only); Get-NetFirewallProfile -PolicyStore ActiveStore "retrieves the active
profile conditions" (get-netfirewallprofile, example 1).
"""

from __future__ import annotations

from pathlib import Path

from auditor.api import audit, combine_inputs, explain, load_config
from auditor.policy import load_site
from parsers import parse_text, windows_fw

HOST = "10.2.0.10"
ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]
SAMPLES = Path(__file__).parent / "fixtures" / "windows"
ACTIVE_RULES = "PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore\n\n"
ACTIVE_PROFILES = "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore | Format-List\n\n"


def _ps_profile(name: str, enabled: str = "True") -> str:
    return ("Name                  : %s\nEnabled               : %s\nDefaultInboundAction  : Block\n"
            "DefaultOutboundAction : Allow\n\n" % (name, enabled))


def _ps_rule(name: str, direction: str = "Inbound", action: str = "Allow", store: str = "Local",
             remote: str = "Any", port: str = "445") -> str:
    """Show-NetFirewallRule's block of one rule (Get-NetFirewallRule's properties, then its filters)."""
    local_port, remote_port = (port, "Any") if direction == "Inbound" else ("Any", port)
    head = ("Name                  : %s\nDisplayName           : %s\nEnabled               : True\n"
            "Profile               : Any\nDirection             : %s\nAction                : %s\n"
            "PolicyStoreSource     : %s\nPolicyStoreSourceType : %s\n\n"
            % (name, name, direction, action, "PersistentStore" if store == "Local" else "", store))
    sections = (("Address", "LocalAddress : Any\n     RemoteAddress : %s" % remote), ("Service", "Service : Any"),
                ("Application", "Program : Any"), ("Interface", "InterfaceAlias : Any"),
                ("InterfaceType", "InterfaceType : Any"),
                ("Port", "Protocol : TCP\n     LocalPort : %s\n     RemotePort : %s" % (local_port, remote_port)),
                ("Security", "Authentication : NotRequired\n     Encryption : NotRequired\n"
                             "     OverrideBlockRules : False"))
    return head + "".join("$_ | Get-NetFirewall%sFilter\n     %s\n\n" % s for s in sections)


def _parse(text: str, name: str = "fw.txt"):
    return parse_text(text, name, "windows-firewall")


def _audit(*texts: str, policy: str = "prinergy-9"):
    site = load_site(None, ROLES)
    cfgs = [_parse(t, "fw%d.txt" % i) for i, t in enumerate(texts)]
    return audit(combine_inputs(cfgs, HOST, site), site, policy)


def _decide(cfgs, src, dst, dport):
    [cfg] = combine_inputs(cfgs, host=HOST)
    return explain(cfg, src, dst, "tcp", 50000, dport)["decision"]


SMB = ACTIVE_RULES + _ps_rule("SMB")


def test_a_rule_dump_alone_does_not_pass_on_assumed_defaults():
    # The reported shape: the active store's rules, one Local SMB allow rule, and no profile output in the run.  It
    # was "taken to be of an enabled firewall with the Windows defaults": SMB PASSED on prinergy-9 (and every other
    # flow failed on the default block), though a profile may be off, or ignore the inbound or the local rules.
    result = _audit(SMB)
    assert {f["flow"].split(":")[0]: f["status"] for f in result.flows}["smb"] == "unknown"
    assert {f["status"] for f in result.flows} == {"unknown"} and result.verdict == "unknown"
    cfg = _parse(SMB)
    [line] = cfg.unrecognized  # (one line, saying what to add; the dump itself is the active store's)
    assert line.message == windows_fw.UNSTATED and line.source.line == 3  # (the first rule, after the prompt)
    assert "Get-NetFirewallProfile -PolicyStore ActiveStore" in line.message and line.impact.value == "filter"
    [smb] = [f for f in result.findings if f.rule_id == "PRN100" and "SMB" in f.message]
    assert "depends on the active profile" in smb.message
    assert [f.status for f in _audit(SMB, policy="prinergy-8").findings if f.rule_id == "PRN140"] == ["unknown"]
    # the profiles' state in the same run (the documented second command) decides, and the line goes
    profiles = ACTIVE_PROFILES + "".join(_ps_profile(p) for p in ("Domain", "Private", "Public"))
    [merged] = combine_inputs([cfg, _parse(profiles, "p.txt")])
    assert not merged.unrecognized
    result = _audit(profiles, SMB)
    assert {f["flow"].split(":")[0]: f["status"] for f in result.flows}["smb"] == "pass"
    # netsh's 'show rule' output alone likewise (what its lines decide: its store aside, test_s24_winps)
    show = load_config(str(SAMPLES / "show-rule.txt"))
    assert windows_fw.UNSTATED in [d.message for d in show.unrecognized]
    [show] = combine_inputs([show], host=HOST)
    got = explain(show, "10.1.0.5", HOST, "tcp", 1024, 445)
    assert got.get("modelled", got["decision"]) == "unknown"


DUMP = (ACTIVE_RULES + _ps_rule("SMB") + _ps_rule("Telnet", action="Block", port="23")
        + _ps_rule("Lic", direction="Outbound", remote="10.9.9.9", port="443")
        + _ps_rule("{0A1F}", direction="Outbound", store="GroupPolicy", remote="10.8.8.8", port="443")
        + _ps_rule("Bad", direction="Outbound", action="Block", remote="10.7.7.7", port="443"))


def test_a_dump_without_profile_state_decides_only_what_every_regime_decides_alike():
    # Each profile may be off (everything passes), or on with AllowInboundRules False (inbound allow rules ignored),
    # AllowLocalFirewallRules False (the local rules ignored, a Group Policy's kept) and either default action.
    # Before, the Windows defaults decided each packet (the old answer on the right).
    cfg = _parse(DUMP)
    for src, dst, port, old in (
            ("10.1.0.5", HOST, 445, "permit"),  # a local inbound allow rule: ignored, or the profile off
            ("10.1.0.5", HOST, 23, "deny"),  # a block rule: blocks where the profile is on, not where it is off
            ("10.1.0.5", HOST, 446, "deny"),  # no rule: DefaultInboundAction Allow, or the profile off
            (HOST, "10.9.9.9", 443, "permit"),  # a local outbound allow: ignored, DefaultOutboundAction Block
            (HOST, "10.7.7.7", 443, "deny"),  # an outbound block rule: the profile may be off
            (HOST, "10.5.5.5", 443, "permit")):  # no rule: DefaultOutboundAction Block
        assert _decide([cfg], src, dst, port) == "unknown", (dst, port, old)
    # a Group Policy's outbound allow rule is applied in every profile that is on, whatever its settings, and a
    # profile that is off passes everything: permitted for certain
    assert _decide([cfg], HOST, "10.8.8.8", 443) == "permit"


def test_a_profile_the_input_leaves_out_may_ignore_the_local_rules():
    # '-Name Domain,Private' shows two profiles; the Public one, left out, may be on with AllowLocalFirewallRules
    # False and DefaultOutboundAction Block: the local outbound allow rule was a certain permit.
    some = ("PS C:\\> Get-NetFirewallProfile -Name Domain,Private -PolicyStore ActiveStore\n\n"
            + _ps_profile("Domain") + _ps_profile("Private"))
    cfgs = [_parse(some, "p.txt"), _parse(DUMP)]
    assert _decide(cfgs, HOST, "10.9.9.9", 443) == "unknown"
    assert _decide(cfgs, HOST, "10.8.8.8", 443) == "permit"  # (a Group Policy's rule)
    # with the three profiles shown on, the local rule holds
    every = some.replace("-Name Domain,Private ", "") + _ps_profile("Public")
    assert _decide([_parse(every, "p.txt"), _parse(DUMP)], HOST, "10.9.9.9", 443) == "permit"


def test_the_default_is_unknown_when_only_left_out_profiles_may_be_on():
    # '-Name Domain' with the Domain profile off: the Private and Public profiles, left out, may be on or off with
    # any default action.  A packet no rule matches was denied for certain (the default "depends on which profile is
    # active" had no line to stand for it, as no profile that may be on has one): a wrong fail, not a decision.
    domain_off = ("PS C:\\> Get-NetFirewallProfile -Name Domain -PolicyStore ActiveStore\n\n"
                  + _ps_profile("Domain", "False"))
    cfgs = [_parse(domain_off, "p.txt"), _parse(DUMP)]
    assert _decide(cfgs, "10.1.0.5", HOST, 446) == "unknown"
    assert _decide(cfgs, HOST, "10.5.5.5", 443) == "unknown"


def test_a_netsh_script_is_read_as_on_an_enabled_firewall_with_the_defaults():
    # A 'netsh advfirewall firewall add rule' script (aerleon's windows_advfirewall output) is the rules an admin
    # will add, not a host's state: read as on an enabled firewall with Windows' defaults, as README and
    # docs/vendors/cloud-and-windows.md say (and tests/test_aerleon_shapes.py's differential test needs); no line.
    script = "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=tcp localport=445\n"
    cfg = _parse(script, "s.cmd")
    assert not cfg.unrecognized
    assert _decide([cfg], "10.1.0.5", HOST, 445) == "permit"
    assert _decide([cfg], "10.1.0.5", HOST, 446) == "deny"
    assert _decide([cfg], HOST, "10.5.5.5", 443) == "permit"
    # a script with a host's dump in the same file: the dump's profiles are still of unknown state
    mixed = _parse(script + "\n" + _ps_rule("{0A20}", store="GroupPolicy", port="80") + _ps_rule("X", port="81"))
    assert windows_fw.UNSTATED in [d.message for d in mixed.unrecognized]
    assert _decide([mixed], "10.1.0.5", HOST, 445) == "unknown"

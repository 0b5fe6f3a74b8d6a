"""Windows Firewall, session 24: which store an input shows, which profiles, NotConfigured (each test fails on the
code before its fix)."""

from __future__ import annotations

from auditor.api import audit, combine_inputs, explain
from auditor.policy import load_site
from parsers import parse_text, windows_fw

HOST = "10.2.0.10"
ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]
RULE = "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=tcp localport=445\n"


def _ps_profile(name: str, enabled: str, inbound: str = "NotConfigured", outbound: str = "NotConfigured") -> str:
    return ("Name                            : %s\nEnabled                         : %s\n"
            "DefaultInboundAction            : %s\nDefaultOutboundAction           : %s\n\n"
            % (name, enabled, inbound, outbound))


def _decide(cfg, src, dst, dport):
    [cfg] = combine_inputs([cfg], host=HOST)
    return explain(cfg, src, dst, "tcp", 50000, dport)


def _modelled(cfg, src, dst, dport):
    """What the input's lines decide (``explain``'s ``modelled``: Get-NetFirewallProfile's store aside)."""
    got = _decide(cfg, src, dst, dport)
    return got.get("modelled", got["decision"])


def test_enabled_notconfigured_is_the_computers_own_state_not_on():
    # Set-NetFirewallProfile (learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile), -Enabled:
    # "NotConfigured: Valid only when configuring a Group Policy Object (GPO). This parameter removes the setting
    # from the GPO, which results in the policy not changing the value on the computer when the policy is
    # applied"; likewise -DefaultInboundAction / -DefaultOutboundAction.  A profile whose Enabled is NotConfigured
    # is a GPO's, and the computer's own state is not in the input: it was read as on, its NotConfigured outbound
    # default as Allow (the computer may block outbound: an outbound flow passed), and PRN140 fired as if the
    # firewall were known to be on.
    text = "".join(_ps_profile(p, "NotConfigured") for p in ("Domain", "Private", "Public"))
    out = ("netsh advfirewall firewall add rule name=lic dir=out action=allow protocol=tcp remoteip=10.9.9.9\n")
    cfg = windows_fw.parse(text + out, "gpo.txt")
    assert [(p.name, p.enabled) for p in cfg.profiles] == [("Domain", None), ("Private", None), ("Public", None)]
    assert _modelled(cfg, HOST, "10.5.0.5", 443) == "unknown"  # default outbound: Allow or Block
    assert _modelled(cfg, HOST, "10.9.9.9", 443) == "permit"  # the allow rule holds either way
    site = load_site(None, ROLES)
    found = [f for f in audit([cfg], site).findings if f.rule_id == "PRN140"]
    assert found and all(f.status == "unknown" for f in found)
    # an explicit value in the same store is what the GPO sets: it decides
    text = "".join(_ps_profile(p, "NotConfigured", "Block", "Block") for p in ("Domain", "Private", "Public"))
    cfg = windows_fw.parse(text + out, "gpo.txt")
    assert _modelled(cfg, HOST, "10.5.0.5", 443) == "unknown"  # (the firewall may be off: all passes)
    # True/False are read as they are; the NotConfigured actions of such a profile are the computer's defaults
    # ("The default setting when managing a computer is Block" inbound, "Allow" outbound)
    text = "".join(_ps_profile(p, "True") for p in ("Domain", "Private", "Public"))
    cfg = windows_fw.parse(text + out, "local.txt")
    assert [p.enabled for p in cfg.profiles] == [True, True, True]
    assert _modelled(cfg, HOST, "10.5.0.5", 443) == "permit"
    assert _modelled(cfg, "10.1.0.5", HOST, 446) == "deny"


def test_netsh_state_notconfigured_is_not_on():
    # netsh advfirewall set <profile> state notconfigured: the same GPO "not set" (the value it has in the store it
    # is written to); it was read as on
    cfg = windows_fw.parse("netsh advfirewall set allprofiles state notconfigured\n" + RULE, "s.cmd")
    assert [p.enabled for p in cfg.profiles] == [None, None, None]
    assert _decide(cfg, "10.1.0.5", HOST, 446)["decision"] == "unknown"  # (off: nothing filtered)


DOMAIN_OFF = ("\nDomain Profile Settings:\n" + "-" * 70 + "\nState                                 OFF\n"
              "Firewall Policy                       BlockInbound,AllowOutbound\n\nOk.\n")


def test_an_input_of_some_profiles_does_not_say_which_is_active():
    # 'netsh advfirewall show domainprofile' prints the Domain profile's block alone, in the form of 'show
    # allprofiles' and 'show currentprofile' (the module docstring's inputs); nothing in the block says which
    # command printed it.  "Each network adapter is assigned the firewall profile that matches the detected network
    # type" (Understanding Firewall Profiles, go.microsoft.com/fwlink/p/?LinkId=233629: Domain, Private, Public).
    # The profiles shown were taken to be all there are: the Domain profile off made the firewall 'off in every
    # profile', every flow passed and no PRN140, though the Public profile, not shown, may be on.
    site = load_site(None, ROLES)
    cfg = windows_fw.parse(DOMAIN_OFF, "domain.txt")
    result = audit(combine_inputs([cfg], HOST, site), site, "prinergy-8")
    assert result.verdict == "unknown"
    assert {f["status"] for f in result.flows} == {"unknown"}
    [f] = [f for f in result.findings if f.rule_id == "PRN140"]
    assert f.status == "unknown" and "Private, Public" in f.message and f.source.line == 4
    # with rules: a rule limited to the Domain profile is not certain to apply, nor the Domain default
    rules = RULE + ("netsh advfirewall firewall add rule name=tn dir=in action=block protocol=tcp localport=23 "
                    "profile=domain\n")
    on = DOMAIN_OFF.replace(" OFF", " ON ")
    cfg = windows_fw.parse(on + rules, "domain.txt")
    # (a profile not shown may ignore allow rules: AllowInboundRules False / BlockInboundAlways)
    assert _decide(cfg, "10.1.0.5", HOST, 445)["decision"] == "unknown"
    assert _decide(cfg, "10.1.0.5", HOST, 23)["decision"] == "unknown"
    assert _decide(cfg, "10.1.0.5", HOST, 446)["decision"] == "unknown"
    # all three shown: each is a possible active profile, and they agree
    every = "".join(on.replace("Domain", p).replace("Ok.\n", "") for p in ("Domain", "Private", "Public"))
    cfg = windows_fw.parse(every + rules, "all.txt")
    # (what the lines decide: netsh shows the local store, not the policy in force: test_s24_winps)
    assert _modelled(cfg, "10.1.0.5", HOST, 445) == "permit"
    assert _modelled(cfg, "10.1.0.5", HOST, 446) == "deny"
    assert _modelled(cfg, "10.1.0.5", HOST, 23) == "unknown"  # (Domain-only block rule)


def _ps_rule(name: str, store: str = "Local", enabled: str = "True", action: str = "Allow", port: str = "445") -> str:
    """Show-NetFirewallRule's block of one rule (Get-NetFirewallRule's properties, then its filters)."""
    head = ("Name                  : %s\nDisplayName           : %s\nEnabled               : %s\n"
            "Profile               : Any\nDirection             : Inbound\nAction                : %s\n"
            "PolicyStoreSource     : %s\nPolicyStoreSourceType : %s\n\n"
            % (name, name, enabled, action, "PersistentStore" if store == "Local" else "", store))
    sections = (("Address", "LocalAddress : Any\n     RemoteAddress : Any"), ("Service", "Service : Any"),
                ("Application", "Program : Any"), ("Interface", "InterfaceAlias : Any"),
                ("InterfaceType", "InterfaceType : Any"),
                ("Port", "Protocol : TCP\n     LocalPort : %s\n     RemotePort : Any" % port),
                ("Security", "Authentication : NotRequired\n     Encryption : NotRequired\n"
                             "     OverrideBlockRules : False"))
    return head + "".join("$_ | Get-NetFirewall%sFilter\n     %s\n\n" % s for s in sections)


def _flows(*texts: str) -> dict[str, str]:
    site = load_site(None, ROLES)
    cfgs = [parse_text(t, "fw%d.txt" % i, "windows-firewall") for i, t in enumerate(texts)]
    return {f["flow"].split(":")[0]: f["status"] for f in audit(combine_inputs(cfgs, HOST, site), site,
                                                                 "prinergy-9").flows}


# (the profiles in force: Get-NetFirewallProfile's active store, pasted with its command; test_s24_winps)
STATES_ON = "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore | Format-List\n\n" + "".join(
    _ps_profile(p, "True", "Block", "Allow") for p in ("Domain", "Private", "Public"))


def test_a_powershell_dump_of_the_persistent_store_does_not_hold_group_policy():
    # Get-NetFirewallRule / Show-NetFirewallRule / Get-NetFirewallProfile: "Running this cmdlet without specifying
    # the policy store retrieves the persistent store"; PersistentStore "is not from GPOs", ActiveStore "the sum of
    # all policy stores that apply to the computer" (learn.microsoft.com/powershell/module/netsecurity/
    # get-netfirewallrule, -PolicyStore and example 1; get-netfirewallprofile, example 1).  A Group Policy's rules
    # are merged in (a block rule wins over an allow) and its AllowLocalFirewallRules False ignores the local ones
    # (set-netfirewallprofile).  A dump of local rules only was read as all that is in force: the SMB flow PASSED.
    local = _ps_rule("SMB")
    cfg = windows_fw.parse(local, "show.txt")
    [doubt] = [d for d in cfg.unrecognized if d.impact.value == "global"]
    assert doubt.source.line == 1 and "-PolicyStore ActiveStore" in doubt.message
    assert _flows(STATES_ON, local)["smb"] == "unknown"
    # the active store's dump says where each rule comes from (-PolicyStoreSourceType: "Local: The object
    # originates from the local store. GroupPolicy: The object originates from a GPO"), but not that a filter left
    # none out (-Action Allow keeps a Group Policy's allow rules and drops its block rules): session 24 read a Group
    # Policy's rule beside the local ones as the whole merged policy, which a filtered dump also is (s24-winfilt);
    # the pasted command of the whole active store (test_s24_winps) decides, the rule types alone do not
    gpo_block = _ps_rule("{0A1B}", store="GroupPolicy", action="Block")
    active = "PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore\n\n"
    cfg = parse_text(active + local + gpo_block, "show.txt", windows_fw.NAME)
    # (the one line reported: the dump alone does not say the profiles' state, given here by STATES_ON in the same
    # run: tests/test_s24_winrd.py)
    assert [d.message for d in cfg.unrecognized] == [windows_fw.UNSTATED]
    assert _flows(STATES_ON, active + local + gpo_block)["smb"] == "fail"  # the GPO's block rule wins
    gpo_other = _ps_rule("{0A1C}", store="GroupPolicy", action="Block", port="23")
    assert _flows(STATES_ON, active + local + gpo_other)["smb"] == "pass"
    assert _flows(STATES_ON, local + gpo_other)["smb"] == "unknown"  # (without the command)
    # a Group Policy's rules alone (RSOP, or one GPO's store) are not the local ones: still not all in force
    assert _flows(STATES_ON, _ps_rule("{0A1D}", store="GroupPolicy"))["smb"] == "unknown"


def test_get_netfirewallprofile_does_not_say_its_store():
    # Get-NetFirewallProfile without '-PolicyStore ActiveStore' shows the persistent store, and its output has no
    # property naming the store (MSFT_NetFirewallProfile: Name, Enabled, DefaultInboundAction, ...); a Group
    # Policy may turn a profile on ("Indicates whether a firewall is enabled locally (the effective result may
    # differ due to group policy settings)", INetFwPolicy2::get_FirewallEnabled, learn.microsoft.com/windows/
    # win32/api/netfw/nf-netfw-inetfwpolicy2-get_firewallenabled).  Three profiles False made every flow PASS.
    text = "".join(_ps_profile(p, "False") for p in ("Domain", "Private", "Public"))
    site = load_site(None, ROLES)
    cfg = windows_fw.parse(text, "p.txt")
    result = audit(combine_inputs([cfg], HOST, site), site, "prinergy-8")
    assert result.verdict == "unknown" and {f["status"] for f in result.flows} == {"unknown"}
    [doubt] = cfg.unrecognized
    assert doubt.source.line == 1 and doubt.impact.value == "global"
    # the modelled lines still decide what they decide: the profiles are off, nothing is filtered
    assert not any(p.crosses for p in cfg.paths)

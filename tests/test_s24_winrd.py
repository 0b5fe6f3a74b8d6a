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

from auditor.api import audit, combine_inputs, explain
from auditor.policy import load_site
from parsers import parse_text

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


DUMP = (ACTIVE_RULES + _ps_rule("SMB") + _ps_rule("Telnet", action="Block", port="23")
        + _ps_rule("Lic", direction="Outbound", remote="10.9.9.9", port="443")
        + _ps_rule("{0A1F}", direction="Outbound", store="GroupPolicy", remote="10.8.8.8", port="443")
        + _ps_rule("Bad", direction="Outbound", action="Block", remote="10.7.7.7", port="443"))


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

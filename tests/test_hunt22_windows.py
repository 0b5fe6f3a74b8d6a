"""Windows Firewall: wrong verdicts found in hunt 22 (each test fails on the code before its fix)."""

from __future__ import annotations

from auditor.api import audit, combine_inputs
from auditor.policy import load_site
from parsers import windows_fw

ROLES = ["workshop=10.1.0.0/24", "primary=10.2.0.10"]
RULES = "netsh advfirewall firewall add rule name=all dir=in action=allow remoteip=10.1.0.0/24\n"
STATES = ("Domain Profile Settings:\n" + "-" * 70 + "\nState                                 %s\n"
          "Firewall Policy                       BlockInbound,AllowOutbound\n\n")


def _audit(configs, policy="prinergy-8", host="10.2.0.10"):
    site = load_site(None, ROLES)
    cfgs = [windows_fw.parse(t, "w%d.txt" % i) if isinstance(t, str) else t for i, t in enumerate(configs)]
    return audit(combine_inputs(cfgs, host, site), site, policy)


def test_a_rule_dump_without_profile_state_cannot_pass_prn140():
    # A rule dump (netsh 'add rule' script, 'show rule', Show-NetFirewallRule) does not say whether the firewall
    # is on; its rules are filtered as by an enabled firewall, the Windows default ("PublicProfile_EnableFirewall
    # ... true: Enables Windows Firewall. This is the default value", learn.microsoft.com/windows-hardware/
    # customize/desktop/unattend/networking-mpssvc-svc-publicprofile-enablefirewall).  Kodak 8.0: "The Built-in
    # Windows Firewall is not supported" (PRN140 an error).  Every flow passed, no PRN140: the verdict was PASS.
    result = _audit([RULES])
    [f] = [f for f in result.findings if f.rule_id == "PRN140"]
    assert f.status == "unknown" and f.severity == "error" and f.source.line == 1
    assert "cannot tell" in f.message
    assert result.verdict == "unknown"
    # the state, given in the same run, decides it
    off = windows_fw.parse(STATES % "OFF" + STATES.replace("Domain", "Private") % "OFF"
                           + STATES.replace("Domain", "Public") % "OFF", "p.txt")
    merged = combine_inputs([windows_fw.parse(RULES, "r.txt"), off])
    result = _audit(merged)
    # (session 24: netsh shows the local store, which a Group Policy may override: no PRN140, but no pass either)
    assert [f.rule_id for f in result.findings if f.rule_id == "PRN140"] == [] and result.verdict == "unknown"
    on = _audit(combine_inputs([windows_fw.parse(RULES, "r.txt"), windows_fw.parse(STATES % "ON", "p.txt")]))
    assert [(f.severity, f.status) for f in on.findings if f.rule_id == "PRN140"] == [("error", "")]
    # Prinergy 9 makes an enabled firewall a warning only: an undecided one does not hold the verdict
    nine = _audit([RULES], "prinergy-9")
    assert not [f for f in nine.findings if f.rule_id == "PRN140"] and nine.verdict == "pass"
    # the export of a Workshop client's firewall is no Prinergy server's (PRN140 is about the servers)
    assert not [f for f in _audit([RULES], host="10.1.0.7").findings if f.rule_id == "PRN140"]


def test_netsh_set_firewallpolicy_without_state_is_no_profile_state():
    # 'netsh advfirewall set allprofiles firewallpolicy ...' sets the profiles' default actions, a setting apart
    # from their state (INetFwPolicy2's DefaultInboundAction and FirewallEnabled, learn.microsoft.com/windows/
    # win32/api/netfw/nf-netfw-inetfwpolicy2-get_defaultinboundaction and ...-get_firewallenabled): whether the
    # firewall is on is still not in the input
    script = "netsh advfirewall set allprofiles firewallpolicy blockinbound,allowoutbound\n" + RULES
    result = _audit([script])
    [f] = [f for f in result.findings if f.rule_id == "PRN140"]
    assert f.status == "unknown" and "Domain, Private, Public" in f.message
    assert _audit([script.replace("firewallpolicy blockinbound,allowoutbound", "state off")]).verdict == "pass"

"""Windows Firewall: profile states (PRN140), netsh rule dumps, precedence, combine, corpus, brute force."""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.api import audit, combine_inputs, explain, load_config
from auditor.checks import all_rules
from auditor.core.model import Impact
from auditor.core.packets import ISet, PacketSet, addr_to_int, cube
from auditor.engine import DENY, PERMIT, UNKNOWN, evaluate
from auditor.policy import load_site
from parsers import InputError, cisco_asa, detect, parse_text, windows_fw

FIX = Path(__file__).parent / "fixtures"
CORPUS = FIX / "corpus" / "windows"
SAMPLES = FIX / "windows"
HOST = "10.2.0.10"
SITE_ROLES = ["workshop=10.1.0.0/24", "primary=10.2.0.10"]


def site():
    return load_site(None, SITE_ROLES)


def decide(cfg, src, dst, proto="tcp", sport=1024, dport=0):
    return explain(cfg, src, dst, proto, sport, dport)


def modelled(cfg, src, dst, proto="tcp", sport=1024, dport=0):
    """What the input's lines decide (``explain``'s ``modelled`` where a line could change any verdict)."""
    got = decide(cfg, src, dst, proto, sport, dport)
    return got.get("modelled", got["decision"])


# every profile on with Windows' defaults, as the active store shows them (Get-NetFirewallProfile pasted with its
# command): a host's rule dump alone does not say the profiles' state, and its verdicts are unknown then
# (tests/test_s24_winrd.py); the tests of what a dump's rules do give it this state
PROFILES_ON = "PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore | Format-List\n\n" + "".join(
    "Name                  : %s\nEnabled               : True\nDefaultInboundAction  : Block\n"
    "DefaultOutboundAction : Allow\n\n" % p for p in ("Domain", "Private", "Public"))


def profiles_on(cfg):
    """A rule dump with PROFILES_ON in the same run (``combine``)."""
    [merged] = combine_inputs([cfg, parse_text(PROFILES_ON, "profiles.txt", "windows-firewall")])
    return merged


def prn140(path: Path, policy: str):
    result = audit([load_config(str(path))], site(), policy)
    return [f for f in result.findings if f.rule_id == "PRN140"], result


# --- PRN140 -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, on, line", [("netsh-allprofiles.txt", ["Domain", "Public"], [4, 36]),
                                            ("get-netfirewallprofile.txt", ["Domain"], [4])])
def test_prn140_fires_per_enabled_profile_at_its_state_line(name, on, line):
    path = SAMPLES / name
    found, result = prn140(path, "prinergy-8")
    assert [f.key for f in found] == ["profile:%s" % p.lower() for p in on]
    assert [f.source.line for f in found] == line
    lines = path.read_text().splitlines()
    for f in found:
        assert f.severity == "error" and "does not support" in f.message
        assert lines[f.source.line - 1].split()[0] in ("State", "Enabled")
    assert result.verdict == "fail"
    found9, result9 = prn140(path, "prinergy-9")
    assert [f.severity for f in found9] == ["warning"] * len(on)
    assert all("Article 75521" in f.message for f in found9)


@pytest.mark.parametrize("name", ["netsh-allprofiles-off.txt", "get-netfirewallprofile-off.txt"])
def test_firewall_off_no_prn140_and_nothing_filtered(name):
    found, result = prn140(SAMPLES / name, "prinergy-8")
    assert not found
    cfg = load_config(str(SAMPLES / name))
    assert [p.enabled for p in cfg.profiles] == [False, False, False]
    assert not any(p.crosses for p in cfg.paths)
    # (session 24: Get-NetFirewallProfile reads the persistent store unless '-PolicyStore ActiveStore' is given, and
    # its output does not say which; netsh shows the local store unless 'set store' names a GPO: a Group Policy may
    # turn the firewall on, so neither is a pass)
    assert result.verdict == "unknown"


def test_prn140_only_for_a_prinergy_server_host():
    # Kodak, Prinergy 8.0 "Ports required" (/work/shared/reference/kodak-prinergy-8-ports-required.txt,
    # "The Built-in Windows Firewall is not supported"; prinergy-requirements.md section 4, R-WINFW):
    # "not supported on a Prinergy Connect/Direct/Powerpack server". A Windows export whose --host is
    # a Workshop client (no server address) is not a server's firewall: no PRN140 error for it; the
    # server's own export (--host primary, or its address), or one of an unknown host, still has it.
    cfg = load_config(str(SAMPLES / "netsh-allprofiles.txt"))
    for host, n in (("workshop", 0), ("10.1.0.7", 0), ("primary", 2), (HOST, 2), (None, 2)):
        cfgs = combine_inputs([cfg], host, site()) if host else [cfg]
        found = [f for f in audit(cfgs, site()).findings if f.rule_id == "PRN140"]
        assert len(found) == n, host
        assert all(f.severity == "error" for f in found)


def test_prn140_rule_metadata():
    info = all_rules()["PRN140"]
    assert info.name == "windows-firewall-on" and "75521" in info.why and info.fix


def test_profile_state_alone_makes_flows_unknown():
    cfg = load_config(str(SAMPLES / "netsh-allprofiles.txt"))
    assert [(p.name, p.enabled) for p in cfg.profiles] == [("Domain", True), ("Private", False), ("Public", True)]
    d = decide(cfg, "10.1.0.5", HOST, dport=445)
    assert d["decision"] == "unknown" and d["line"] == 4


def test_format_table_and_netsh_set_state_forms():
    table = "\nName    Enabled\n----    -------\nDomain     True\nPrivate   False\nPublic    False\n\n"
    assert detect(table) == "windows-firewall"
    cfg = windows_fw.parse(table, "t.txt")
    assert [(p.name, p.enabled, p.source.line) for p in cfg.profiles] == [
        ("Domain", True, 4), ("Private", False, 5), ("Public", False, 6)]
    script = ("@echo off\nnetsh advfirewall set allprofiles state off\n"
              "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=tcp localport=445\n")
    cfg = windows_fw.parse(script, "s.cmd")
    assert [p.enabled for p in cfg.profiles] == [False] * 3 and not any(p.crosses for p in cfg.paths)
    cfg = windows_fw.parse(script.replace("state off", "state on"), "s.cmd")
    assert [f.source.line for f in prn140_findings(cfg)] == [2, 2, 2] and not cfg.diagnostics
    assert decide(cfg, "10.1.0.5", HOST, dport=445)["decision"] == "permit"
    assert decide(cfg, "10.1.0.5", HOST, dport=446)["decision"] == "deny"


def prn140_findings(cfg):
    return [f for f in audit([cfg], site()).findings if f.rule_id == "PRN140"]


# --- detection and errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()) + sorted(SAMPLES.iterdir()), ids=lambda p: p.name)
def test_detected_as_windows_only(path):
    text = path.read_text()
    assert detect(text) == "windows-firewall"
    assert cisco_asa.detect(text) == 0


def test_garbage_and_wrong_vendor_raise_input_error(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("hello world\nthis is not a firewall\n")
    with pytest.raises(InputError, match="could not recognise"):
        load_config(str(p))
    with pytest.raises(InputError, match="no Windows Firewall"):
        load_config(str(p), "windows-firewall")
    p.write_text('{"securityRules": []}')
    with pytest.raises(InputError):
        load_config(str(p), "windows-firewall")


# --- netsh rules --------------------------------------------------------------------------------------------

def test_aerleon_corpus_rules():
    cfg = load_config(str(CORPUS / "aerleon-advfirewall-icmptypes.netsh"))
    out = cfg.filters["windows firewall outbound"].rules
    assert [r.source.line for r in out] == [8, 9, 10] and all(r.action.value == "deny" for r in out)
    host = replace(cfg, local_addresses=ISet.of(addr_to_int(HOST)))
    assert decide(host, HOST, "8.8.8.8", "icmp", None, 3 * 256 + 1)["decision"] == "deny"
    assert decide(host, HOST, "8.8.8.8", "icmp", None, 8 * 256)["decision"] == "permit"  # default allow out
    tcp = replace(load_config(str(CORPUS / "aerleon-advfirewall-tcp.netsh")),
                  local_addresses=ISet.of(addr_to_int(HOST)))
    assert decide(tcp, HOST, "10.3.3.3", dport=25)["line"] == 8
    # inbound: the Windows default (block), attributed to a line of the file
    d = decide(tcp, "10.1.0.5", HOST, dport=445)
    assert d["decision"] == "deny" and "default inbound action: block" in d["reason"]


def test_block_rules_win_over_allow_rules_regardless_of_order():
    script = ("netsh advfirewall firewall add rule name=all-in dir=in action=allow remoteip=10.1.0.0/24\n"
              "netsh advfirewall firewall add rule name=\"no telnet\" dir=in action=block protocol=tcp "
              "localport=23,2323\n"
              "netsh advfirewall firewall add rule name=off dir=in action=block enable=no protocol=tcp localport=445\n")
    cfg = windows_fw.parse(script, "s.cmd")
    d = decide(cfg, "10.1.0.5", HOST, dport=23)
    assert d["decision"] == "deny" and d["line"] == 2
    assert decide(cfg, "10.1.0.5", HOST, dport=445)["decision"] == "permit"
    assert decide(cfg, "10.7.0.5", HOST, dport=445)["decision"] == "deny"


def test_rule_keywords_and_qualifiers():
    script = "\n".join([
        "netsh advfirewall firewall add rule name=a dir=in action=allow protocol=tcp localport=445 "
        "remoteip=LocalSubnet",
        "netsh advfirewall firewall add rule name=b dir=in action=allow protocol=tcp localport=RPC",
        "netsh advfirewall firewall add rule name=c dir=in action=allow protocol=udp localport=37002 "
        "program=\"C:\\Program Files\\Kodak\\plocator.exe\"",
        "netsh advfirewall firewall add rule name=d dir=in action=allow protocol=tcp localport=80 "
        "remoteip=10.1.0.1-10.1.0.9,192.168.0.0/255.255.0.0 interfacetype=any",
        "netsh advfirewall firewall add rule name=e dir=in action=allow protocol=tcp localport=8080 frobnicate=yes",
        "netsh advfirewall firewall add rule name=f dir=in action=allow protocol=icmpv4:8,any",
    ])
    cfg = windows_fw.parse(script, "s.cmd")
    msgs = " | ".join(d.message for d in cfg.unrecognized)
    for word in ("LocalSubnet", "RPC", "program=", "frobnicate"):
        assert word in msgs
    assert decide(cfg, "10.1.0.5", HOST, dport=445)["decision"] == "unknown"
    assert decide(cfg, "10.1.0.5", HOST, "udp", 1024, 37002)["decision"] == "unknown"
    assert decide(cfg, "10.1.0.5", HOST, dport=80)["decision"] == "permit"
    assert decide(cfg, "192.168.3.3", HOST, dport=80)["decision"] == "permit"
    assert decide(cfg, "10.1.0.10", HOST, dport=80)["decision"] == "unknown"  # reaches the RPC keyword rule
    assert decide(cfg, "10.1.0.10", HOST, "icmp", None, 8 * 256 + 5)["decision"] == "permit"
    assert decide(cfg, "10.1.0.10", HOST, dport=8080)["decision"] == "unknown"  # the opaque allow rule


def test_show_rule_output():
    cfg = profiles_on(load_config(str(SAMPLES / "show-rule.txt")))  # (the profiles' state in the same run)
    lines = (SAMPLES / "show-rule.txt").read_text().splitlines()
    d = decide(cfg, "10.1.0.5", HOST, dport=445)
    # (what the lines decide: netsh shows the local store, not the policy in force, reported at line 2: session 24)
    assert d["modelled"] == "permit" and lines[d["line"] - 1].startswith("Rule Name:") and "SMB" in d["rule"]
    assert modelled(cfg, "10.7.0.5", HOST, dport=445) == "deny"
    # limited to the Domain profile, and which profile is active is unknown
    assert modelled(cfg, "10.1.0.5", HOST, dport=23) == "unknown"
    assert modelled(cfg, "10.7.0.5", HOST, "icmp", None, 8 * 256) == "unknown"
    # LocalSubnet; the disabled RPC rule is quiet; the store, at the first rule
    assert [d.source.line for d in cfg.unrecognized] == [36, 2]
    assert not any(r.enabled for r in cfg.filters["windows firewall inbound"].rules if r.source.line == 53)


def test_show_rule_without_verbose_hides_the_qualifiers_that_restrict_a_rule():
    # 'netsh advfirewall firewall show rule name=all' lists a rule's addresses, protocol and ports but
    # prints Program, Service, InterfaceTypes and Security only with 'verbose' ("show rule ... [verbose]",
    # learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2008-R2-and-2008/dd734783(v=ws.10));
    # an allow rule shown without them may hold only for one program's connections, some interface types or
    # authenticated (IPsec) connections.  Read as a plain allow, SMB passed where the rule requires IPsec.
    verbose = (SAMPLES / "show-rule.txt").read_text()
    terse = re.sub(r"(?m)^(InterfaceTypes|Security|Rule source):.*\n", "", verbose)
    cfg = profiles_on(windows_fw.parse(terse, "rules.txt"))
    got = decide(cfg, "10.1.0.5", HOST, dport=445)
    assert got.get("modelled", got["decision"]) == "unknown" and got["line"] == 2
    assert modelled(cfg, "10.7.0.5", HOST, dport=445) == "deny"  # no rule can allow it
    [diag] = [x for x in cfg.unrecognized if "verbose" in x.message]  # (reported once, at the first rule)
    assert diag.source.line == 2 and diag.impact is Impact.FILTER
    # the verbose output says what the terse one hides: a rule requiring IPsec is no plain allow
    secured = re.sub(r"(?m)^(Security: +)NotRequired$", r"\1Authenticate", verbose, count=1)
    assert modelled(profiles_on(windows_fw.parse(secured, "rules.txt")), "10.1.0.5", HOST, dport=445) == "unknown"
    assert modelled(profiles_on(windows_fw.parse(verbose, "rules.txt")), "10.1.0.5", HOST, dport=445) == "permit"


def test_combine_profiles_into_rules():
    rules = load_config(str(SAMPLES / "show-rule.txt"))
    states = load_config(str(SAMPLES / "netsh-allprofiles.txt"))
    merged = combine_inputs([rules, states])
    assert len(merged) == 1 and [p.name for p in merged[0].profiles] == ["Domain", "Private", "Public"]
    cfg = merged[0]
    # Private is off: packets the rules would block or leave to the default depend on the active profile (what the
    # lines decide: netsh shows the local store, not the policy in force: session 24)
    assert modelled(cfg, "10.1.0.5", HOST, dport=445) == "permit"
    assert modelled(cfg, "10.7.0.5", HOST, dport=445) == "unknown"
    assert [f.rule_id for f in audit([cfg], site()).findings].count("PRN140") == 2
    off = combine_inputs([load_config(str(SAMPLES / "netsh-allprofiles-off.txt")), rules])
    assert len(off) == 1 and not any(p.crosses for p in off[0].paths)
    domain_only = "\nName    Enabled\n----    -------\nDomain     True\n"
    merged = combine_inputs([rules, windows_fw.parse(domain_only, "p.txt")])
    # (session 24: a table of the Domain profile alone does not say Domain is the active one; Private and Public,
    # left out, may be on or off: the Domain-only block rule may not apply, and the default may not block)
    assert decide(merged[0], "10.7.0.5", HOST, dport=23)["decision"] == "unknown"
    assert decide(merged[0], "10.7.0.5", HOST, dport=445)["decision"] == "unknown"
    every = domain_only + "Private    True\nPublic     True\n"
    merged = combine_inputs([rules, windows_fw.parse(every, "p.txt")])
    assert decide(merged[0], "10.7.0.5", HOST, dport=23)["decision"] == "unknown"  # Domain-only rule
    # (what the input decides; Get-NetFirewallProfile's store may not be the one in force: session 24)
    assert modelled(merged[0], "10.7.0.5", HOST, dport=445) == "deny"


def _ps_rule(name, enabled="True", direction="Inbound", action="Allow", profile="Any", store="Local",
             **filters) -> str:
    """A Get-NetFirewallRule | Format-List block, then (with ``filters``) Show-NetFirewallRule's sections."""
    head = ["Name                  : %s" % name, "DisplayName           : %s" % name, "Description           :",
            "Enabled               : %s" % enabled, "Profile               : %s" % profile,
            "Platform              : {}", "Direction             : %s" % direction,
            "Action                : %s" % action, "EdgeTraversalPolicy   : Block", "Owner                 :",
            "PrimaryStatus         : OK",
            "Status                : The rule was parsed successfully from the store. (65536)",
            "PolicyStoreSource     : %s" % ("PersistentStore" if store == "Local" else ""),
            "PolicyStoreSourceType : %s" % store, ""]
    if filters:
        head += ["$_ | Get-NetFirewallAddressFilter",
                 "     LocalAddress             : Any",
                 "     RemoteAddress            : %s" % filters.get("remote", "Any"), "",
                 "$_ | Get-NetFirewallServiceFilter",
                 "     Service                  : Any", "",
                 "$_ | Get-NetFirewallApplicationFilter",
                 "     Program                  : %s" % filters.get("program", "Any"),
                 "     Package                  :", "",
                 "$_ | Get-NetFirewallInterfaceFilter",
                 "     InterfaceAlias           : Any", "",
                 "$_ | Get-NetFirewallInterfaceTypeFilter",
                 "     InterfaceType            : Any", "",
                 "$_ | Get-NetFirewallPortFilter",
                 "     Protocol                 : %s" % filters.get("proto", "TCP"),
                 "     LocalPort                : %s" % filters.get("port", "Any"),
                 "     RemotePort               : Any",
                 "     IcmpType                 : %s" % filters.get("icmp", "Any"),
                 "     DynamicTarget            : Any", "",
                 "$_ | Get-NetFirewallSecurityFilter",
                 "     Authentication           : NotRequired",
                 "     Encryption               : NotRequired",
                 "     OverrideBlockRules       : False", ""]
    return "\n".join(head) + "\n"


# the command that shows the active store's rules as a whole: a dump pasted after its prompt line is the policy in
# force (tests/test_s24_winps.py).  (Session 24 had a disabled Group Policy rule beside the local ones stand for it;
# a filtered dump holds both kinds too, and a dump without its prompt line is no longer known to be whole: s24-winfilt)
ACTIVE_RULES = "PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore\n\n"


def shown(text: str, path: str = "show.txt"):
    """A PowerShell rule dump, pasted after ACTIVE_RULES."""
    return parse_text(ACTIVE_RULES + text, path, windows_fw.NAME)


PROFILES_OFF = "".join("Name                  : %s\nEnabled               : False\n\n" % p
                       for p in ("Domain", "Private", "Public"))


def test_get_netfirewallrule_blocks_are_rules_not_profiles():
    # Get-NetFirewallRule | Format-List: a block per rule, "Name" its (GUID) name; its addresses, ports and
    # protocol are in separate filter objects (learn.microsoft.com/powershell/module/netsecurity/
    # get-netfirewallrule). Read as a profile, a disabled rule turned the firewall "off" (a pass), and an
    # enabled one made a phantom profile "on" (PRN140 on a server whose three profiles are off).
    rule = _ps_rule("{0F4A5D2B-1111-2222-3333-444455556666}", action="Block")
    cfg = shown(rule, "r.txt")
    assert {p.name for p in cfg.profiles if p.enabled is not None} == set()  # (only the unknown-state record)
    assert decide(cfg, "10.1.0.5", HOST, dport=445)["decision"] != "permit"
    allow = shown(_ps_rule("AllowSomething"), "r.txt")
    assert decide(allow, "10.1.0.5", HOST, dport=445)["decision"] == "unknown"
    assert any("Get-NetFirewallRule" in d.message for d in allow.unrecognized)
    disabled = profiles_on(shown(_ps_rule("Old", enabled="False") + _ps_rule("Older", enabled="False"), "r.txt"))
    assert decide(disabled, "10.1.0.5", HOST, dport=445)["decision"] == "deny"  # default inbound block
    assert not disabled.unrecognized
    # with Get-NetFirewallProfile saying all three profiles are off: nothing is filtered, no PRN140
    cfg = windows_fw.parse(PROFILES_OFF + _ps_rule("{0F4A5D2B-1111-2222-3333-444455556666}"), "r.txt")
    assert [p.name for p in cfg.profiles] == ["Domain", "Private", "Public"]
    assert not any(p.crosses for p in cfg.paths)
    result = audit([cfg], site())
    assert "PRN140" not in [f.rule_id for f in result.findings]
    assert detect(rule) == "windows-firewall"


def test_show_netfirewallrule_filters():
    # Show-NetFirewallRule prints each rule and then its filters (address, port, security...) as
    # "$_ | Get-NetFirewall*Filter" sections (learn.microsoft.com/powershell/module/netsecurity/show-netfirewallrule)
    text = (_ps_rule("SMB", remote="{10.1.0.0/255.255.255.0, 10.3.0.5}", port="{445, 139}")
            + _ps_rule("Telnet", action="Block", port="23", profile="Domain, Private")
            + _ps_rule("Ping", proto="ICMPv4", icmp="8"))
    assert detect(text) == "windows-firewall"
    cfg = profiles_on(shown(text))
    assert not cfg.unrecognized
    assert decide(cfg, "10.1.0.5", HOST, dport=445)["decision"] == "permit"
    assert decide(cfg, "10.3.0.5", HOST, dport=139)["decision"] == "permit"
    assert decide(cfg, "10.3.0.6", HOST, dport=139)["decision"] == "deny"
    assert decide(cfg, "10.1.0.5", HOST, dport=23)["decision"] == "unknown"  # a Domain/Private block rule
    assert decide(cfg, "10.7.0.5", HOST, "icmp", None, 8 * 256 + 3)["decision"] == "permit"
    assert decide(cfg, "10.7.0.5", HOST, "icmp", None, 13 * 256)["decision"] == "deny"
    # PowerShell cuts a list longer than $FormatEnumerationLimit (4) short with "..." (learn.microsoft.com/
    # powershell/module/microsoft.powershell.core/about/about_preference_variables): the rest is unknown
    cut = shown(_ps_rule("Many", remote="{10.5.0.1, 10.5.0.2, 10.5.0.3, 10.5.0.4...}", port="445"))
    assert decide(cut, "10.1.0.5", HOST, dport=445)["decision"] == "unknown"
    assert decide(cut, "10.5.0.1", HOST, dport=445)["decision"] == "unknown"


def test_show_netfirewallrule_sections_left_out_are_not_any():
    # Show-NetFirewallRule (learn.microsoft.com/powershell/module/netsecurity/show-netfirewallrule) shows each
    # rule with all its filter objects: address, service, application, interface, interface type, port and
    # security.  A dump holding only some of them (piped to Get-NetFirewallPortFilter alone, or cut) says
    # nothing of the others: a rule limited to one program, or to 10.9.0.0/16, was read as open to all.
    full = _ps_rule("SMB", port="445")
    assert decide(profiles_on(shown(full)), "10.1.0.5", HOST, dport=445)["decision"] == "permit"
    for section in ("Address", "Application", "Security"):
        text = re.sub(r"\$_ \| Get-NetFirewall%sFilter\n(?: {5}.*\n)*\n" % section, "", full)
        assert text != full
        cfg = profiles_on(shown(text))
        assert decide(cfg, "10.1.0.5", HOST, dport=445)["decision"] == "unknown", section
        [diag] = cfg.unrecognized
        assert section.lower() in diag.message and diag.impact is Impact.FILTER
        assert decide(cfg, "10.1.0.5", HOST, dport=446)["decision"] == "deny"  # no rule of port 446 at all


def test_block_inbound_always_ignores_allow_rules():
    text = ("".join("%s Profile Settings:\n" % p + "-" * 70 + "\nState                                 ON\n"
                    "Firewall Policy                       BlockInboundAlways,AllowOutbound\n\n"
                    for p in ("Domain", "Private", "Public"))
            + "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=tcp localport=445\n")
    cfg = windows_fw.parse(text, "x.txt")
    d = decide(cfg, "10.1.0.5", HOST, dport=445)
    assert d["modelled"] == "deny" and d["default_line"] == 4  # (netsh's local store aside: session 24)


# --- corpus, end to end ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()) + sorted(SAMPLES.iterdir()), ids=lambda p: p.name)
def test_audits_end_to_end(path):
    cfg = load_config(str(path))
    assert cfg.vendor == "windows-firewall"
    result = audit([cfg], site())
    assert len([f for f in result.findings if f.rule_id == "CFG300"]) == len(cfg.unrecognized)
    for f in result.findings:
        assert 1 <= f.source.line <= cfg.lines
    json.dumps(result.to_json())


# --- brute force: Windows precedence (block > allow > default) ---------------------------------------------

POOL = [ipaddress.ip_address("10.0.0.%d" % i) for i in range(9)] + [ipaddress.ip_address("2001:db8::1")]
ME = ipaddress.ip_address(HOST)
wrules = st.lists(st.tuples(
    st.sampled_from(["allow", "block"]), st.sampled_from(["in", "out"]), st.sampled_from(["tcp", "udp", "any"]),
    st.sampled_from(["any", "10.0.0.0/29", "10.0.0.4/30", "10.0.0.8", "10.0.0.1-10.0.0.3", "localsubnet"]),
    st.sampled_from(["any", "1", "2-4", "0,5", "RPC"]), st.booleans()), max_size=5)


def _ref_win(spec, pkt, direction) -> str:
    src, dst, proto, dport = pkt
    remote = src if direction == "in" else dst

    def match(r) -> tuple[bool, bool]:
        action, d, p, rip, port, enabled = r
        if d != direction or not enabled:
            return False, False
        if p != "any" and proto != (6 if p == "tcp" else 17):
            return False, False
        sure = maybe = True
        if rip == "localsubnet":
            sure = False
        elif rip != "any":
            if "-" in rip:
                lo, hi = (ipaddress.ip_address(x) for x in rip.split("-"))
                hit = remote.version == 4 and lo <= remote <= hi
            else:
                net = ipaddress.ip_network(rip)
                hit = remote.version == net.version and remote in net
            sure = sure and hit
            maybe = maybe and hit
        if p != "any" and port != "any":
            if port == "RPC":
                sure = False
            else:
                ok = any(int(a) <= dport <= int(b or a) for a, _, b in (x.partition("-") for x in port.split(",")))
                sure, maybe = sure and ok, maybe and ok
        return sure, maybe

    for action in ("block", "allow"):
        hits = [match(r) for r in spec if r[0] == action]
        if any(s for s, _ in hits):
            return "deny" if action == "block" else "permit"
        if any(m for _, m in hits):
            return "unknown"
    return "deny" if direction == "in" else "permit"


@settings(max_examples=25, deadline=None, derandomize=True)
@given(wrules)
def test_windows_engine_equals_brute_force(spec):
    lines = []
    for action, d, p, rip, port, enabled in spec:
        ports = " localport=%s" % port if p != "any" and d == "in" and port != "any" else (
            " remoteport=%s" % port if p != "any" and port != "any" else "")
        lines.append("netsh advfirewall firewall add rule name=r dir=%s action=%s protocol=%s remoteip=%s%s enable=%s"
                     % (d, action, p, rip, ports, "yes" if enabled else "no"))
    if not lines:
        return
    cfg = windows_fw.parse("\n".join(lines) + "\n", "s.cmd")
    me = ISet.of(addr_to_int(HOST))
    cfg = replace(cfg, local_addresses=me)
    pool = ISet([(addr_to_int(str(a)), addr_to_int(str(a))) for a in POOL])
    kinds = {PERMIT: "permit", DENY: "deny", UNKNOWN: "unknown"}
    for direction in ("in", "out"):
        src, dst = (pool, me) if direction == "in" else (me, pool)
        outs = evaluate(cfg, PacketSet([cube(src=src, dst=dst, proto=ISet([(1, 1), (6, 6), (17, 17)]),
                                             sport=ISet.of(1000), dport=ISet.of(0, 5))]))
        for other in POOL:
            for proto in (1, 6, 17):
                for dport in range(6):
                    s, t = (other, ME) if direction == "in" else (ME, other)
                    p = (addr_to_int(str(s)), addr_to_int(str(t)), proto, 1000, dport)
                    hits = [o for o in outs if o.packets.contains(p)]
                    assert len(hits) == 1
                    assert kinds[hits[0].kind] == _ref_win(spec, (s, t, proto, dport), direction), (direction, p)


def test_utf16_output_of_windows_powershell_is_read(tmp_path):
    # Windows PowerShell 5.1's redirection operator and Out-File write UTF-16LE with a BOM ("Unicode"), so
    # `netsh advfirewall firewall show rule name=all > rules.txt` gives such a file
    # (learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding)
    text = (SAMPLES / "show-rule.txt").read_text().replace("\n", "\r\n")
    p = tmp_path / "rules.txt"
    p.write_bytes(text.encode("utf-16"))  # (Python writes the BOM, little-endian here)
    cfg = load_config(str(p))
    assert cfg.vendor == "windows-firewall"
    assert modelled(profiles_on(cfg), "10.1.0.5", HOST, dport=445) == "permit"


def test_profile_settings_that_take_rules_or_interfaces_out_of_the_firewall():
    # AllowLocalFirewallRules False (a Group Policy setting) drops the local store's rules from the effective
    # policy, and DisabledInterfaceAliases turns the firewall off on those interfaces
    # (learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile); which rules are local and
    # which interface the traffic uses are not in the input: nothing is certain
    rules = "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=tcp localport=445\n"
    def profile(setting):
        text = "".join("Name                            : %s\nEnabled                         : True\n%s\n\n"
                       % (p, setting) for p in ("Domain", "Private", "Public"))
        return windows_fw.parse(text + rules, "x.txt")

    # the allow rule may be a local one (``modelled``: what the input decides, its store aside: session 24)
    cfg = profile("AllowLocalFirewallRules         : False")
    assert modelled(cfg, "10.1.0.5", HOST, dport=445) == "unknown"
    # what the default blocks may arrive on an interface the firewall does not filter; what it allows is allowed
    cfg = profile("DisabledInterfaceAliases        : {Ethernet 2}")
    assert modelled(cfg, "10.1.0.5", HOST, dport=446) == "unknown"
    assert modelled(cfg, "10.1.0.5", HOST, dport=445) == "permit"
    netsh = ("Domain Profile Settings:\n" + "-" * 70 + "\nState                                 ON\n"
             "LocalFirewallRules                    Disable\n\n")
    cfg = windows_fw.parse(netsh + rules, "x.txt")
    assert modelled(cfg, "10.1.0.5", HOST, dport=445) == "unknown"
    # the values of a machine without such a policy change nothing (the one line reported is netsh's store)
    [store] = load_config(str(SAMPLES / "netsh-allprofiles.txt")).unrecognized
    assert store.source.line == 2 and "local one" in store.message
    [store] = load_config(str(SAMPLES / "get-netfirewallprofile.txt")).unrecognized  # (session 24: its store)
    assert store.source.line == 3 and "persistent store" in store.message

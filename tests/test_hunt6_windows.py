"""Windows Firewall, hunt 6: localised netsh profile output and Format-Table profile columns."""

from __future__ import annotations

from auditor.api import combine_inputs, explain
from auditor.core.model import Impact
from parsers import windows_fw

HOST = "10.2.0.10"
DASHES = "-" * 70

RULE_OUT = """Rule Name:                            License server
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            Out
Profiles:                             Domain,Private,Public
Grouping:
LocalIP:                              Any
RemoteIP:                             10.9.9.9
Protocol:                             TCP
LocalPort:                            Any
RemotePort:                           Any
Edge traversal:                       No
InterfaceTypes:                       Any
Security:                             NotRequired
Rule source:                          Local Setting
Action:                               Allow
"""


def _outbound(cfg, dst="10.5.0.5", dport=56765):
    [cfg] = combine_inputs([cfg], host=HOST)
    return explain(cfg, HOST, dst, "tcp", 50000, dport)["decision"]


def _modelled(cfg, dst="10.5.0.5", dport=56765):
    [cfg] = combine_inputs([cfg], host=HOST)
    got = explain(cfg, HOST, dst, "tcp", 50000, dport)
    return got.get("modelled", got["decision"])


def test_netsh_profile_settings_in_another_language_are_not_ignored():
    # netsh prints its labels in the UI language and its values as netsh keywords: a German Windows prints
    # "Status EIN" and "Firewallrichtlinie BlockInbound,AllowOutbound" (as a public netsh-output parser's test
    # fixture keeps it). The policy's values are those of 'netsh advfirewall set allprofiles firewallpolicy
    # blockinbound,allowoutbound' (learn.microsoft.com/troubleshoot/windows-server/networking/
    # netsh-advfirewall-firewall-control-firewall-behavior, KB 947709); the outbound default is Allow only
    # unless set (learn.microsoft.com/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-put_defaultoutboundaction).
    # A policy line under a label the parser did not know was ignored as a setting without effect, so a
    # BlockOutbound profile was read as AllowOutbound: an outbound flow passed.  Get-NetFirewallProfile's
    # property names are not translated: that is the output to use on such a server.
    text = "".join("\n%s Profile Settings:\n%s\nEtat                                  ON\n"
                   "Stratégie de pare-feu                 BlockInbound,BlockOutbound\n" % (p, DASHES)
                   for p in ("Domain", "Private", "Public"))
    cfg = windows_fw.parse(text + "\n" + RULE_OUT, "fr.txt")
    assert _outbound(cfg) == "unknown"
    diags = [d for d in cfg.unrecognized if "Stratégie" in d.source.text]
    assert len(diags) == 3 and all(d.impact is Impact.GLOBAL for d in diags)
    assert "language" in diags[0].message
    # the English output of the same profiles decides it: BlockOutbound, no rule to 10.5.0.5
    english = text.replace("Etat  ", "State ").replace("Stratégie de pare-feu", "Firewall Policy      ")
    cfg = windows_fw.parse(english + "\n" + RULE_OUT, "en.txt")
    # (session 24: the one line reported is netsh's store, the local one; ``_modelled`` is what the input decides)
    assert [d.source.line for d in cfg.unrecognized] == [2]
    assert _modelled(cfg) == "deny"
    assert _modelled(cfg, "10.9.9.9") == "permit"


TABLE = """
Name    Enabled DefaultInboundAction DefaultOutboundAction
----    ------- -------------------- ---------------------
Domain     True                Block                 Block
Private    True                Block                 Block
Public     True                Block                 Block
"""


def test_profile_table_columns_beyond_enabled_are_read():
    # Get-NetFirewallProfile | Format-Table Name, Enabled, DefaultInboundAction, DefaultOutboundAction: a row
    # per profile, a column per property (learn.microsoft.com/powershell/module/netsecurity/get-netfirewallprofile;
    # DefaultOutboundAction Block blocks what no outbound rule allows:
    # learn.microsoft.com/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-put_defaultoutboundaction).  Only the
    # Enabled column was read, so the outbound default stayed Allow: an outbound flow passed.
    assert windows_fw.detect(TABLE) >= 30
    cfg = windows_fw.parse(TABLE + "\n" + RULE_OUT, "t.txt")
    # (session 24: the lines reported are the table's store, which its output does not say, and netsh's, the local
    # one, at RULE_OUT's 'show rule' block; ``_modelled`` is what the input decides)
    assert [d.source.line for d in cfg.unrecognized] == [8, 2]
    assert [(p.name, p.enabled, p.source.line) for p in cfg.profiles] == [
        ("Domain", True, 4), ("Private", True, 5), ("Public", True, 6)]
    assert _modelled(cfg) == "deny"
    assert _modelled(cfg, "10.9.9.9") == "permit"
    # one profile allowing outbound: which profile is active is not known
    mixed = TABLE.replace("Public     True                Block                 Block",
                          "Public     True                Block                 Allow")
    assert _modelled(windows_fw.parse(mixed + "\n" + RULE_OUT, "t.txt")) == "unknown"
    # a value with a space (an interface alias) shifts the columns: not read, every verdict unknown
    cut = ("\nName    Enabled DisabledInterfaceAliases\n----    ------- ------------------------\n"
           "Domain     True {Ethernet 2}\n")
    cfg = windows_fw.parse(cut + "\n" + RULE_OUT, "t.txt")
    # (and the stores: netsh's 'show rule' block at line 6, the table's at line 2: session 24; no profile's state
    # was read, so the rule dump is without it, reported at its first rule: tests/test_s24_winrd.py)
    assert [(d.source.line, d.impact) for d in cfg.unrecognized] == [(4, Impact.GLOBAL), (6, Impact.GLOBAL),
                                                                      (2, Impact.GLOBAL), (6, Impact.FILTER)]
    assert _outbound(cfg, "10.9.9.9") == "unknown"
    # Get-NetFirewallRule | Format-Table Name, Enabled lists rules, not profiles
    rules = "\nName                Enabled\n----                -------\nCoreNet-DHCP-In        True\n"
    cfg = windows_fw.parse(TABLE + rules + "\n" + RULE_OUT, "t.txt")
    assert {p.name for p in cfg.profiles} == {"Domain", "Private", "Public"}
    assert [d.source.line for d in cfg.unrecognized] == [10, 12, 2]  # (netsh's store at line 12: session 24)


def test_service_any_limits_a_netsh_rule_to_services():
    # netsh advfirewall firewall add rule help (Windows 7 / Server 2008 R2 and later, remarks): "If
    # service=any, the rule applies only to services" (French UI text of the same help: "Si service=any, la
    # règle s'applique uniquement aux services", colorconsole.de/cmd/fr/Windows_7/netsh/advfirewall/firewall/
    # add/rule.htm); service = {ServiceShortName | any} (technet dd734783, Netsh AdvFirewall Firewall Commands).
    # service=any was read as no condition: a program that is not a service was let through (a wrong pass).
    rule = "netsh advfirewall firewall add rule name=smb dir=in action=allow protocol=tcp localport=445%s\n"
    plain = windows_fw.parse(rule % "", "r.cmd")
    [plain] = combine_inputs([plain], host=HOST)
    assert explain(plain, "10.1.0.5", HOST, "tcp", 50000, 445)["decision"] == "permit"
    services = windows_fw.parse(rule % " service=any", "r.cmd")
    [services] = combine_inputs([services], host=HOST)
    assert explain(services, "10.1.0.5", HOST, "tcp", 50000, 445)["decision"] == "unknown"
    assert explain(services, "10.1.0.5", HOST, "tcp", 50000, 446)["decision"] == "deny"
    [diag] = services.unrecognized
    assert "service=any" in diag.message and diag.impact is Impact.FILTER

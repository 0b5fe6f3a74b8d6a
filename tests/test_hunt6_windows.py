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
    assert not cfg.unrecognized
    assert _outbound(cfg) == "deny"
    assert _outbound(cfg, "10.9.9.9") == "permit"

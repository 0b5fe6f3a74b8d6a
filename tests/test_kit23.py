"""Shared kit code (parsers/kit), session 23: defects found by the sweeps; each test fails on the code before its fix.

1. parsers/kit/nd.py: only ICMP code 0 is neighbour discovery.  RFC 4861 (https://www.rfc-editor.org/rfc/rfc4861),
   7.1.1 "Validation of Neighbor Solicitations" and 7.1.2 "Validation of Neighbor Advertisements": "A node MUST
   silently discard any received Neighbor Solicitation [Advertisement] messages that do not satisfy all of the
   following validity checks: ... ICMP Code is 0."  A filter that accepts exactly 135/0 and 136/0 (OpenWrt fw4's
   default wan zone: ``icmpv6 type . icmpv6 code { ..., 135 . 0, 136 . 0 }``) drops nothing a neighbour needs.
2. parsers/kit/paste.py: a PowerShell remoting prompt.  Microsoft, "Enter-PSSession"
   (learn.microsoft.com/powershell/module/microsoft.powershell.core/enter-pssession), example 2: "When the session
   starts, the command prompt changes to include the computer name": ``[Server01]: PS C:\\> Get-Process PowerShell
   > C:\\ps-test\\Process.txt``, ``[Server01]: PS>``.
3. netsh output in a language other than English (docs/vendors/cloud-and-windows.md: "Not read (refused with one
   line, exit 2): ... localized netsh output"): netsh prints its labels in the display language (a German Windows:
   ``Einstellungen für Privates Profil:``, ``Status EIN``, ``Firewallrichtlinie BlockInbound,AllowOutbound``, as a
   public netsh-output parser's test fixture keeps it); Get-NetFirewallProfile | Format-List prints the names of its
   objects' properties (MSFT_NetFirewallProfile: Name, Enabled, DefaultInboundAction; learn.microsoft.com/
   powershell/module/netsecurity/get-netfirewallprofile, and Format-List "formats the output of a command as a list
   of properties").
4. nftables masked matches: the nftables wiki, "Matching packet headers" (``ip saddr & 0xff == 1``, ``ip saddr &
   0.0.0.255 < 0.0.0.127``); OpenWrt fw4 tests/02_zones/05_subnet_mask_matches renders ``ip6 saddr & ::ffff ==
   ::1``.  Not modelled (unknown), but reported for what it is.
"""

from __future__ import annotations

import pytest
from test_linux_hunt5 import nft, path_decision
from test_sweep23b_linux import FW4_INPUT
from test_windows import _ps_rule

from auditor.api import audit, combine_inputs
from auditor.core.packets import PROTO_ICMP6, ISet, PacketSet, cube
from auditor.policy import load_site
from parsers import InputError, parse_text
from parsers.kit.nd import ND
from parsers.kit.paste import clean

# --- 1. neighbour discovery is ICMP code 0 ----------------------------------------------------------------------


def test_nd_is_types_135_and_136_with_code_0_only():
    def icmp6(t, c):
        return PacketSet([cube(proto=ISet.of(PROTO_ICMP6), dport=ISet.of(t * 256 + c))])

    assert ND.intersect(icmp6(135, 0)) and ND.intersect(icmp6(136, 0))
    for t, c in ((135, 1), (136, 255), (134, 0), (137, 0)):
        assert not ND.intersect(icmp6(t, c)), (t, c)


def test_fw4_accepting_nd_with_code_0_does_not_drop_neighbour_discovery():
    # before: "base chain inet/fw4/input drops IPv6 neighbour discovery" at the reject (line 8), as 135/1 ... reach
    # it, and every IPv6 packet to the host was unknown
    cfg = nft(FW4_INPUT)
    assert not cfg.unrecognized
    got = path_decision(cfg, "2001:db8::5", "2001:db8::10", dport=22)
    assert (got["decision"], got["line"]) == ("permit", 7)
    got = path_decision(cfg, "2001:db8::5", "2001:db8::10", dport=445)
    assert (got["decision"], got["line"]) == ("deny", 8)


def test_a_chain_accepting_nd_with_other_codes_only_still_drops_it():
    # (the check's intent stays: 135/1 and 136/1 are no neighbour discovery, 135/0 and 136/0 reach the reject)
    cfg = nft(FW4_INPUT.replace("135 . 0, 136 . 0", "135 . 1, 136 . 1"))
    assert [d.source.line for d in cfg.unrecognized] == [8]
    assert "neighbour discovery" in cfg.unrecognized[0].message
    assert path_decision(cfg, "2001:db8::5", "2001:db8::10", dport=22)["decision"] == "unknown"


# --- 2. a PowerShell remoting prompt ----------------------------------------------------------------------------

PROFILES_OFF = "".join("Name                  : %s\nEnabled               : False\n\n" % p
                       for p in ("Domain", "Private", "Public"))
REMOTE = "[SRV2.SPB.wse]: PS C:\\Users\\Administrator.SPB\\Documents> "


@pytest.mark.parametrize("prompt", [REMOTE + "Get-NetFirewallProfile", "[Server01]: PS C:\\> Get-NetFirewallRule",
                                    "[192.0.2.7]: PS C:\\> netsh advfirewall show allprofiles", "[Server01]: PS>"])
def test_a_remote_powershell_prompt_is_blanked(prompt):
    text = "x\n%s\ny\n" % prompt
    out, skipped = clean(text)
    assert out == "x\n\ny\n" and [(s.line, s.kind) for s in skipped] == [(2, "prompt")]
    # (the first line is looked at apart from the scan)
    out, skipped = clean(prompt + "\ny\n")
    assert out == "\ny\n" and [s.line for s in skipped] == [1]


@pytest.mark.parametrize("line", [
    # no command that prints a config, no prompt's end, or not PowerShell's: left as they are
    "[Server01]: PS C:\\> Get-Process",
    "[Server01]: C:\\>",
    "[edit security policies]",
    "[Server01]: PS C:\\temp",
    "[rule 5]: PS allow",
])
def test_lines_like_a_remote_prompt_are_not_taken(line):
    text = "x\n%s\ny\n" % line
    assert clean(text) == (text, [])


def test_get_netfirewallprofile_pasted_after_a_remote_prompt_is_read_whole():
    # before: line 1 'not a Windows Firewall rule or profile line' (could change any verdict)
    text = REMOTE + "Get-NetFirewallProfile | Format-List\n\n" + PROFILES_OFF
    cfg = parse_text(text, "remote.txt")
    # (session 24: the one line reported is the store's, Get-NetFirewallProfile's first, not the prompt)
    assert cfg.vendor == "windows-firewall" and [d.source.line for d in cfg.unrecognized] == [3]
    assert "persistent store" in cfg.unrecognized[0].message
    assert [(p.name, p.enabled) for p in cfg.profiles] == [("Domain", False), ("Private", False), ("Public", False)]


# --- 3. netsh output in another language ------------------------------------------------------------------------

DASHES = "-" * 70
GERMAN = "".join("\nEinstellungen für %s:\n%s\nStatus                                AUS\n"
                 "Firewallrichtlinie                    BlockInbound,AllowOutbound\n"
                 "LocalFirewallRules                    N/V (nur GPO-Speicher)\n" % (p, DASHES)
                 for p in ("Domänenprofil", "Privates Profil", "Öffentliches Profil")) + "\nOK.\n"
FRENCH = "".join("\nParamètres du profil %s :\n%s\nÉtat                                  INACTIF\n"
                 "Stratégie de pare-feu                 BlockInbound,AllowOutbound\n" % (p, DASHES)
                 for p in ("de domaine", "privé", "public")) + "\nOk.\n"


@pytest.mark.parametrize("text", [GERMAN, FRENCH])
def test_localised_netsh_output_is_named_when_detected(text):
    # before: "could not recognise the configuration format ...; use --vendor to choose one"
    with pytest.raises(InputError) as e:
        parse_text(text, "fw.txt")
    msg = str(e.value)
    assert msg.startswith("fw.txt: looks like a netsh advfirewall output in a language other than English")
    assert "Get-NetFirewallProfile | Format-List" in msg and "\n" not in msg


@pytest.mark.parametrize("text", [GERMAN, FRENCH])
def test_localised_netsh_output_is_refused_with_vendor_windows_firewall(text):
    with pytest.raises(InputError, match=r"^fw\.txt: line 2: .*language other than English is not read; give the "
                                         r"output of 'Get-NetFirewallProfile \| Format-List'"):
        parse_text(text, "fw.txt", vendor="windows-firewall")


def _flow_status(cfgs) -> set[str]:
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"])
    return {f["status"] for f in audit(combine_inputs(cfgs, "10.2.0.10", site), site, "prinergy-8").flows}


def test_localised_profiles_beside_rules_decide_no_flow():
    # every profile AUS (off): everything passes on the server.  Before, the unread profile blocks were profiles
    # of unknown state taken to be on with the default block, and the rule dump beside them decided: SMB passed,
    # every other required flow FAILED ("fully blocked")
    rules = _ps_rule("SMB", remote="Any", port="445")
    with pytest.raises(InputError, match="language other than English"):
        parse_text(GERMAN + "\n" + rules, "fw.txt")
    with pytest.raises(InputError, match="language other than English"):
        parse_text(GERMAN, "state.txt", vendor="windows-firewall")
    # the same state from Get-NetFirewallProfile is read: off in every profile, every flow passes, as far as the
    # input says (session 24: Get-NetFirewallProfile reads the persistent store; a Group Policy may turn the
    # firewall on: no flow passes for sure)
    assert _flow_status([parse_text(rules, "rules.txt"), parse_text(PROFILES_OFF, "state.txt")]) == {"unknown"}
    state = parse_text(PROFILES_OFF, "state.txt")
    assert [d.message.split(" reads ")[0] for d in state.unrecognized] == ["Get-NetFirewallProfile"]


# --- 4. nftables masked matches ---------------------------------------------------------------------------------

MASKED6 = """
table inet fw4 {
    chain input {
        type filter hook input priority filter; policy drop;
        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
        ip6 saddr & ::ffff == ::1 tcp dport 22 accept
        tcp dport 445 accept
    }
}
"""


def test_masked_ipv6_address_match_is_reported_as_such_and_unknown():
    # before: "IPv4 address '&' in an IPv6 ruleset"
    cfg = nft(MASKED6)
    [diag] = cfg.unrecognized
    assert diag.source.line == 5
    assert diag.message == ("line not understood: 'ip6 saddr & ::ffff == ::1': a masked match (the value of "
                            "'ip6 saddr' under a bitwise operation, then compared) is not supported")
    # ::1 and 2001:db8::1 both have ::1 as their last 16 bits; either way, not modelled
    for src in ("::1", "2001:db8::1", "2001:db8::5"):
        assert path_decision(cfg, src, "2001:db8::10", dport=22)["decision"] == "unknown", src
    # what the rule's other matches exclude stays decided
    got = path_decision(cfg, "2001:db8::5", "2001:db8::10", dport=23)
    assert (got["decision"], got["line"]) == ("deny", 3)
    got = path_decision(cfg, "2001:db8::5", "2001:db8::10", dport=445)
    assert (got["decision"], got["line"]) == ("permit", 6)
    # an IPv4 packet: the match is an IPv6 one
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", dport=22)["decision"] == "deny"


def test_masked_ipv4_address_match_is_reported_as_such():
    # the nftables wiki's own example (before: "bad address '&'")
    cfg = nft(MASKED6.replace("table inet", "table ip").replace("ip6 saddr & ::ffff == ::1",
                                                                  "ip saddr & 0.0.0.255 < 0.0.0.127").replace(
        "        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n", ""))
    [diag] = cfg.unrecognized
    assert "'ip saddr & 0.0.0.255 < 0.0.0.127': a masked match" in diag.message
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", dport=22)["decision"] == "unknown"
    assert path_decision(cfg, "10.1.0.5", "10.2.0.10", dport=445)["decision"] == "permit"


def test_netsh_show_global_beside_the_profiles_is_read_not_refused():
    """``netsh advfirewall show global`` (English) prints "Global Settings:" (IPsec, CRL checks, StatefulFTP), "Main
    Mode:" and "Categories:" blocks: settings that do not say which traffic the rules let in.  Pasted after
    ``show allprofiles`` they are ignored lines, not a language other than English (which is refused)."""
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "netsh-allprofiles-and-global.txt"
    cfg = parse_text(path.read_text(), str(path))
    # (session 24: the one line reported is the profiles' store, the local one: not the policy in force)
    assert [d.message.split(" output ")[0] for d in cfg.diagnostics if d.code.startswith("CFG3")] == [
        "netsh advfirewall 'show'"]
    assert cfg.vendor == "windows-firewall"
    german = path.read_text().replace("Global Settings:", "Globale Einstellungen:")
    with pytest.raises(InputError, match="language other than English"):
        parse_text(german, str(path), vendor="windows-firewall")

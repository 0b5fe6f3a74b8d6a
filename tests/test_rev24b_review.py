"""Session 24 review, second batch (rev24b): defects found in the merged changes, each with the input that shows it
(each test fails on the code before its fix)."""

from __future__ import annotations

from auditor.api import diff, load_version

# --- a change review compares the parts it leaves out line for line -------------------------------------------

# An iptables-restore file: the IPv4 rules, and one rule marked -6, which iptables-restore skips and
# ip6tables-restore applies ("If a rule using the -6 option is inserted with (and only with) iptables-restore, it
# will be silently ignored", iptables(8), PARAMETERS, -6/--ipv6, https://www.mankier.com/8/iptables): a part of the
# input the review of the IPv4 rules leaves out.  Its comment holds a word the shared redaction takes for a secret's
# keyword ('key'), and the redaction masks everything after it, the rule's target too.
DUAL = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.1.0.0/16 -p tcp --dport 445 -j ACCEPT
-6 -A INPUT -p tcp --dport 22 -m comment --comment "admin key login" -j DROP
COMMIT
"""


def test_a_change_to_a_left_out_rule_after_a_word_the_redaction_takes_for_a_keyword_is_named():
    # the IPv6 rule now accepts SSH: the parts left out were compared as redacted lines (99a9ab6), which both read
    # '... --comment "admin key <redacted>': no change seen, and the review said PASS
    old = load_version("rules.v4", text=DUAL)
    new = load_version("rules.v4", text=DUAL.replace('login" -j DROP', 'login" -j ACCEPT'))
    result = diff(old, new)
    assert [part for part, _where in result.outside] == ["the IPv6 rules (-6)"]
    assert result.verdict == "unknown"


def test_a_change_to_another_vdoms_policy_after_a_name_holding_a_keyword_is_named():
    # a FortiOS name may hold spaces and a word such as 'Key' ("Key Servers"): the whole-line redaction masked the
    # rest of 'set dstaddr "Key Servers" "DB"', so another VDOM's policy opened to every destination was no change
    # there; only the ENC values FortiOS writes anew in each copy are masked now (tests/test_gate_scope.py:
    # test_a_secret_written_again_in_another_vdom_is_no_change_there)
    from tests.test_gate_scope import FG

    one = FG.replace('set srcintf "port3"\n        set dstintf "port3"\n        set srcaddr "all"\n'
                     '        set dstaddr "all"',
                     'set srcintf "port3"\n        set dstintf "port3"\n        set srcaddr "all"\n'
                     '        set dstaddr "Key Servers" "DB"')
    two = one.replace('"Key Servers" "DB"', '"Key Servers" "all"')
    assert one != FG and two != one
    result = diff(load_version("fg.conf", text=one, part="root"), load_version("fg.conf", text=two, part="root"))
    assert [part for part, _where in result.outside] == ["VDOM 'cust'"]
    assert result.verdict == "unknown"


# --- Windows: a pasted prompt line is not quoted --------------------------------------------------------------

def test_the_store_a_pasted_command_shows_is_said_without_quoting_its_line():
    # Show-NetFirewallRule without '-PolicyStore ActiveStore' shows the persistent store (learn.microsoft.com/
    # powershell/module/netsecurity/show-netfirewallrule, -PolicyStore: "Running this cmdlet without specifying the
    # policy store retrieves the persistent store"): the doubt names the command's line.  It quoted the whole
    # prompt line, which may hold a credential in a form the shared redaction does not know (a plain-text password
    # given to ConvertTo-SecureString after PowerShell's abbreviated '-Cred'); the paste kit blanked such lines
    # and nothing showed them before the prompt lines were given to the parser (14f6a9f)
    from parsers import parse_text
    from tests.test_s24_winps import _ps_rule

    text = ("PS C:\\> Show-NetFirewallRule -CimSession (New-CimSession fs1 -Cred ([PSCredential]::new('ops', "
            "(ConvertTo-SecureString 'Hunter2!' -AsPlainText -Force))))\n\n" + _ps_rule("SMB"))
    cfg = parse_text(text, "fw.txt", "windows-firewall")
    said = [d.message for d in cfg.diagnostics if "(line 1)" in d.message]
    assert len(said) == 1 and said[0].startswith("Show-NetFirewallRule (line 1) shows the persistent store")
    assert not any("Hunter2" in d.message or "Hunter2" in d.source.text for d in cfg.diagnostics)

"""iptables, corpus sweep 23: Batfish's iptables parsing tests run through the auditor.

A policy on a chain that is not built in.  iptables(8), COMMANDS
(https://manpages.ubuntu.com/manpages/bionic/man8/iptables.8.html): "-P, --policy chain target: Set the
policy for the built-in (non-user-defined) chain to the given target".  libiptc refuses any other chain
(iptc_set_policy: ENOENT, "Bad built-in chain name"), and so does iptables-nft (nft_chain_new finds no
built-in chain); iptables-restore stops at the line that fails and commits nothing of its input
(iptables-restore.c: the ``:CHAIN POLICY`` line's "Can't set policy" and a command line's failure both
end the restore before COMMIT).  iptables-nft's restore creates a user chain of a ``:CHAIN ACCEPT`` line
and ignores its policy (xtables-restore.c: only a built-in chain's policy is set), so for that line which
rules are in force depends on the implementation.  Before: both were read as if the restore had loaded
the input, and a flow the input accepts was a "permit"/"pass".

Batfish's ``unsupported_command`` test config (IpTablesGrammarTest.testUnsupportedCommand) holds
``--new-chain chain`` / ``--policy chain ACCEPT``."""

from __future__ import annotations

from conftest import FIXTURES

from auditor.api import audit, combine_inputs, decision_json, make_packet
from auditor.core.model import Impact
from auditor.policy import load_site
from parsers.linux import iptables

SITE = ["workshop=10.1.0.0/16", "primary=10.2.0.10"]

RESTORE = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
%s
-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A INPUT -s 10.1.0.0/16 -d 10.2.0.10 -j ACCEPT
COMMIT
"""


def ipt(text: str):
    return iptables.parse(text.strip("\n") + "\n", "rules.v4")


def host_decision(cfg, dport: int, src: str = "10.1.0.5") -> str:
    [host] = combine_inputs([cfg], "10.2.0.10")
    return decision_json(host, make_packet(src, "10.2.0.10", "tcp", 49152, dport))["decision"]


def verdict(cfg) -> str:
    site = load_site(None, SITE)
    return audit(combine_inputs([cfg], "primary", site), site).verdict


def test_policy_command_on_a_user_chain_fails_the_restore():
    cfg = ipt(RESTORE % ":mychain - [0:0]\n-P mychain ACCEPT")
    [diag] = cfg.unrecognized
    assert diag.source.line == 6 and diag.impact is Impact.GLOBAL
    assert "Bad built-in chain name" in diag.message and "commits nothing" in diag.message
    assert host_decision(cfg, 445) == "unknown"  # (before: permit, by line 8)
    assert verdict(cfg) == "unknown"  # (before: pass)
    # the same command on a built-in chain is a policy
    cfg = ipt(RESTORE % "-P INPUT DROP")
    assert not cfg.unrecognized and verdict(cfg) == "pass"
    assert host_decision(cfg, 445) == "permit" and host_decision(cfg, 445, "10.9.0.5") == "deny"


def test_policy_line_of_a_user_chain_makes_the_restore_unknown():
    cfg = ipt(RESTORE % ":mychain ACCEPT [0:0]")
    [diag] = cfg.unrecognized
    assert diag.source.line == 5 and diag.impact is Impact.GLOBAL  # (before: scoped to mychain, no effect)
    assert host_decision(cfg, 445) == "unknown"  # (before: permit)
    assert verdict(cfg) == "unknown"  # (before: pass)
    # '-' (no policy), as iptables-save writes a user chain: loaded
    cfg = ipt(RESTORE % ":mychain - [0:0]")
    assert not cfg.unrecognized and verdict(cfg) == "pass"


def test_policy_command_on_a_user_chain_in_a_script_sets_nothing():
    # a command in a script fails alone: the rest stands
    cfg = ipt("iptables -P INPUT DROP\niptables -N mychain\niptables -P mychain ACCEPT\n"
              "iptables -A INPUT -p tcp --dport 445 -j mychain\niptables -A INPUT -p tcp --dport 445 -j ACCEPT\n")
    [diag] = cfg.diagnostics
    assert diag.source.line == 3 and diag.impact is Impact.NONE and "Bad built-in chain name" in diag.message
    assert host_decision(cfg, 445) == "permit" and host_decision(cfg, 22) == "deny"
    # the empty user chain returns: its 'policy' never accepts
    cfg = ipt("iptables -P INPUT DROP\niptables -N mychain\niptables -P mychain ACCEPT\n"
              "iptables -A INPUT -p tcp --dport 445 -j mychain\n")
    assert host_decision(cfg, 445) == "deny"


def test_batfish_unsupported_command_config():
    text = (FIXTURES / "corpus" / "iptables" / "bf-unsupported-command.iptables").read_text()
    cfg = iptables.parse(text, "bf-unsupported-command.iptables")
    lines = {d.source.line: d for d in cfg.unrecognized}
    # line 33: '--policy chain ACCEPT' on the chain '--new-chain chain' made (before: taken silently)
    assert "Bad built-in chain name" in lines[33].message and lines[33].impact is Impact.GLOBAL
    assert "Index of replacement too big" in lines[39].message

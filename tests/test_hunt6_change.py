"""Change requests as network admins write them, per vendor (hunt 6): each applied as the device would,
or refused with one line (never silently dropped, never read as harmless when the device opens more)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from auditor.api import decision_json, explain, make_packet
from parsers import InputError, parse_text
from parsers.cisco_asa.change import apply_change as asa_change
from parsers.fortios import parse as fortios_parse
from parsers.fortios.change import apply_change as fortios_change
from parsers.junos.change import apply_change as junos_change
from parsers.panos import parse as panos_parse
from parsers.panos.change import apply_change as panos_change

FORTIOS = (EXAMPLES / "fortios-site" / "fortigate.conf").read_text()
JUNOS = (EXAMPLES / "junos-site" / "srx.conf").read_text()


# --- FortiOS ----------------------------------------------------------------------------------------

def test_fortios_two_edit_0_blocks_get_two_ids():
    """'edit 0' takes the next free ID (FortiOS Administration Guide, "Policy ID": 'edit 0' assigns the next
    available ID): a second 'edit 0' in the same change is the ID after the first's.  Both were given 41, so the
    parser read one policy 41 with the second's settings: the first policy (accept UDP to the servers) was
    lost under the second's 'deny' (a wrong pass: what the change opens was not seen)."""
    change = ('config firewall policy\n'
              '    edit 0\n        set srcintf "workshop"\n        set dstintf "servers"\n'
              '        set srcaddr "all"\n        set dstaddr "all"\n        set action accept\n'
              '        set schedule "always"\n        set service "ALL_UDP"\n    next\n'
              '    edit 0\n        set srcintf "LAN"\n        set dstintf "servers"\n'
              '        set srcaddr "all"\n        set dstaddr "all"\n        set action deny\n'
              '        set schedule "always"\n        set service "ALL"\n    next\nend\n')
    text = fortios_change(FORTIOS, change, "change.txt")
    assert text.count("    edit 41\n") == 1 and text.count("    edit 42\n") == 1
    got = explain(fortios_parse(text, "fortigate.conf"), "10.30.0.5", "10.20.0.10", "udp", 1024, 37002)
    assert got["decision"] == "permit" and got["rule"].strip() == "edit 41"


# --- Junos ------------------------------------------------------------------------------------------

def _decide(text: str, dport: int) -> str:
    cfg = parse_text(text, "srx.conf")
    return decision_json(cfg, make_packet("10.30.0.5", "10.20.0.10", "tcp", 1024, dport))["decision"]


def test_junos_top_with_a_command_runs_it_from_the_top():
    """'top <configuration-command>: issue configuration mode commands from the top of the hierarchy' (Juniper
    CLI reference, 'top', juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/top.html).
    The command after 'top' was dropped: the block-smb policy stayed (and the change read as harmless)."""
    change = ("edit applications\n"
              "top delete security policies from-zone workshop to-zone servers policy block-smb\n")
    assert _decide(JUNOS, 445) == "deny"
    out = junos_change(JUNOS, change, "c.txt")
    assert "policy block-smb" not in out and _decide(out, 445) == "permit"


@pytest.mark.parametrize("change, why", [
    # rollback loads an earlier configuration (or drops what was typed before it): it was skipped
    ("delete security policies from-zone workshop to-zone servers policy block-smb\nrollback 1\n", "rollback"),
    # a file or pasted text this tool never sees: it was skipped
    ("load override /var/tmp/old.conf\n", "load set terminal"),
    ("load merge terminal\n", "load set terminal"),
    # 'up' climbs statements ('policy P' is one level), not words: the level after it is not known
    ("edit security policies from-zone workshop to-zone servers policy block-smb\nup\n"
     "set policy x then permit\n", "not known"),
    # the level after 'top COMMAND' is not documented
    ("edit security policies\ntop set applications application A protocol tcp\n"
     "set from-zone a to-zone b policy p then permit\n", "not known"),
])
def test_junos_commands_not_followed_are_refused(change, why):
    """Juniper CLI reference: 'rollback' ("return to a previously committed configuration"), 'load' (a file
    or terminal text in the given format), 'up <number> <configuration-command>' ("move up one level in the
    statement hierarchy")."""
    with pytest.raises(InputError, match=why):
        junos_change(JUNOS, change, "c.txt")


def test_junos_exit_returns_to_the_level_before_the_last_edit():
    """'exit: return to the level prior to the last edit command ... The quit and exit commands are synonyms'
    (Juniper CLI reference, 'exit', juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/
    exit.html).  'quit' did nothing and 'exit' dropped one word: after 'edit security policies from-zone
    workshop to-zone servers' an exit left '... to-zone', so the next command wrote a path of its own."""
    change = ("edit security policies from-zone workshop to-zone servers\n"
              "quit\n"
              "delete security policies from-zone workshop to-zone servers policy block-smb\n")
    out = junos_change(JUNOS, change, "c.txt")
    assert "policy block-smb" not in out and _decide(out, 445) == "permit"
    change = ("edit security\nedit policies from-zone workshop to-zone servers\nexit\n"
              "delete policies from-zone workshop to-zone servers policy block-smb\n")
    assert _decide(junos_change(JUNOS, change, "c.txt"), 445) == "permit"


# --- Cisco ASA --------------------------------------------------------------------------------------

ASA = (EXAMPLES / "change" / "before.cfg").read_text()
SMB_DENY = "access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log"


@pytest.mark.parametrize("config, change", [
    (ASA, SMB_DENY + " time-range OFFICE-HOURS"),
])
def test_asa_an_entry_typed_again_with_other_options_is_refused(config, change):
    """ASA command reference, access-list extended: "inactive: disables an ACE. To reenable it, enter the
    entire ACE without the inactive keyword": the entry typed again with other options is that element
    changed where it stands, not a new one (a log option alone decides nothing, and is not refused).
    It was appended at the end as a second entry, so deactivating
    the SMB deny (which opens SMB) read as no change at all; how other options are taken over is not modelled,
    so the change is refused (exit 2) with the way to write it.  (Since session 30, ``inactive`` typed on or
    off is modelled: tests/test_s30_ci.py.)"""
    with pytest.raises(InputError, match="already has this entry with other options"):
        asa_change(config, change + "\n", "change.txt")


# --- PAN-OS -----------------------------------------------------------------------------------------

PANOS = (EXAMPLES / "panos-site" / "running-config.xml").read_text()
ANY_ANY = ("set rulebase security rules any-any from any to any source any destination any application any "
           "service any action allow\n")


def test_panos_configure_starts_at_the_top():
    """Configuration mode starts at the top: "[edit] indicates that the relative context is the top level"
    (Palo Alto, "Navigate the Hierarchy", docs.paloaltonetworks.com).  After 'edit ... rules R', 'exit' and
    'configure', the next 'set rulebase ...' was written inside rule R (the level was kept): the allow-all
    rule the device adds at the bottom of the rulebase was never seen."""
    change = ("configure\nedit rulebase security rules workshop-prinergy\nset description x\nexit\nconfigure\n"
              + ANY_ANY + "commit\n")
    c = panos_parse(panos_change(PANOS, change, "change.txt"), "running-config.xml")
    got = explain(c, "198.51.100.9", "10.20.0.10", "tcp", 1024, 3389)
    assert got["decision"] == "permit" and "any-any" in got["rule"]
    with pytest.raises(InputError, match="not known"):  # (where 'exit' leaves the level is not documented)
        panos_change(PANOS, "edit rulebase security\nexit\nset rules x action allow\n", "change.txt")

"""Small fixes from the corpus sweeps (session 23): Junos CLI session commands pasted with set commands,
FortiManager / FortiAnalyzer configurations refused, FortiOS 'config system auto-scale', PAN-OS zone
'net-inspection'."""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers.junos import parse_lines as junos_lines

# --- Junos: a CLI session (configure ... commit) around set commands ----------------------------------------

SRX = """\
set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24
set security zones security-zone inside interfaces ge-0/0/0.0
set security zones security-zone servers interfaces ge-0/0/1.0
set security policies from-zone inside to-zone servers policy ALL match source-address any
set security policies from-zone inside to-zone servers policy ALL match destination-address any
set security policies from-zone inside to-zone servers policy ALL match application any
set security policies from-zone inside to-zone servers policy ALL then permit
"""


def _junos(text: str):
    cfg, lines = junos_lines(text, "srx.cmd")
    assert lines.unaccounted() == []
    return cfg, lines


def _smb(cfg) -> str:
    return decision_json(cfg, make_packet("10.1.0.5", "10.2.0.10", "tcp", 49152, 445))["decision"]


# Juniper, "Junos OS CLI User Guide", configuration mode commands: 'configure' enters configuration mode,
# 'commit' "commit the set of changes to the database and cause the changes to take operational effect"
# (https://juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/commit.html; options
# and-quit, check, confirmed N, comment), 'exit' "exit the current level of the statement hierarchy,
# returning to the level prior to the last edit command, or exit from configuration mode. The quit and exit
# commands are synonyms ... If you are at the top of the statement hierarchy, exit configuration mode"
# (https://juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/exit.html).  Such a
# session (kmarquis/labs' junos_sec_config_srx1.cmd) reported each of these lines as not understood.

def test_session_commands_around_set_commands_are_ignored():
    cfg, lines = _junos("configure\n" + SRX + "show | compare\ncommit check\ncommit confirmed 5\ncommit\nexit\n")
    assert not cfg.unrecognized
    assert lines.ignored_why["CLI session command (configure, commit, exit...): changes nothing in the "
                             "configuration"] == 6
    assert _smb(cfg) == "permit"


# 'edit' "move inside the specified statement hierarchy" (command-summary/edit.html): the set commands that
# follow are relative to it; 'up', 'top' move it too (command-summary/up.html, top.html), and 'exit' below the
# top returns to the previous edit level (the level is modelled since: tests/test_junosedit23.py).

def test_edit_up_top_and_exit_below_the_top_move_the_level():
    cfg, _ = _junos("configure\n" + SRX + "edit security policies\nset default-policy permit-all\nexit\n"
                    "up\ntop\nexit\n")
    assert not cfg.unrecognized  # after 'top', 'exit' leaves configuration mode
    # 'set default-policy permit-all' at [edit security policies]: servers -> inside, which no policy names
    back = decision_json(cfg, make_packet("10.2.0.10", "10.1.0.5", "tcp", 49152, 445))["decision"]
    assert back == "permit"


# 'rollback' "return to a previously committed configuration" replaces the candidate: what the set commands
# before it wrote is not what the device has.
def test_rollback_is_reported():
    cfg, _ = _junos("configure\n" + SRX + "rollback 1\ncommit\n")
    assert [(d.source.line, d.impact.name) for d in cfg.unrecognized] == [(10, "GLOBAL")]
    assert "rollback" in cfg.unrecognized[0].message


# 'commit and-quit' / 'exit' at the top leave configuration mode (Juniper, "Committing a Configuration and
# Exiting Configuration Mode": "commit and-quit ... exiting configuration mode / user@host>"): a set command
# typed afterwards is an operational-mode command, not configuration, until 'configure' again.
def test_set_commands_after_leaving_configuration_mode_are_not_configuration():
    zones, policy = SRX[:SRX.index("set security policies")], SRX[SRX.index("set security policies"):]
    cfg, _ = _junos("configure\n" + zones + "commit and-quit\n" + policy)
    assert [d.source.line for d in cfg.unrecognized] == [7, 8, 9, 10]
    assert "after line 6 left configuration mode" in cfg.unrecognized[0].message
    assert _smb(cfg) == "unknown"  # (a wrong permit before: the policy was read as configuration)
    # after 'configure' again the set commands are configuration
    cfg, _ = _junos("configure\n" + zones + "exit\nconfigure\n" + policy + "commit\n")
    assert not cfg.unrecognized
    assert _smb(cfg) == "permit"


# --- FortiManager / FortiAnalyzer configurations are not a FortiGate's -----------------------------------------

# FortiManager CLI Reference, "CLI objects" (https://docs.fortinet.com/document/fortimanager/7.4.3/cli-reference/
# 218786): "fmupdate ... system" are the top-level objects; FortiAnalyzer CLI Reference, "route" (https://docs.
# fortinet.com/document/fortianalyzer/6.4.5/cli-reference/502432): 'config system route / edit <seq_int> / set
# device / set dst / set gateway' is its routing table.  The bootstrap configuration of fortinet/azure-templates'
# FortiManager/FortiAnalyzer (config system global, admin setting, interface, route) was audited as a FortiGate.
FAZ = """\
config system global
    set hostname "faz"
end
config system interface
    edit "port1"
        set ip 10.2.0.20/24
        set allowaccess ping https ssh
    next
end
config system route
    edit 1
        set device "port1"
        set gateway 10.2.0.1
    next
end
"""


def test_a_fortianalyzer_configuration_is_refused():
    import pytest

    from parsers import InputError
    from parsers.fortios import parse

    with pytest.raises(InputError, match=r"faz\.conf:10: a FortiManager or FortiAnalyzer configuration "
                                         r"\('config system route'\)"):
        parse(FAZ, "faz.conf")
    with pytest.raises(InputError, match=r"fmg\.conf:10: .*'config fmupdate'"):
        parse(FAZ.replace("config system route", "config fmupdate service\nend\nconfig system route"), "fmg.conf")


def test_a_fortigate_with_policies_is_not_refused_for_the_marker():
    # (the refusal needs both the marker and no firewall policy: a FortiGate's policies are audited, and a block
    # it does not know is reported as usual)
    from parsers.fortios import parse

    cfg = parse(FAZ + "config firewall policy\n    edit 1\n        set srcintf \"port1\"\n        set dstintf "
                "\"port1\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set service \"ALL\"\n"
                "        set schedule \"always\"\n        set action accept\n    next\nend\n", "fgt.conf")
    assert any(d.source.line == 10 for d in cfg.unrecognized)


# --- FortiOS 'config system auto-scale' ------------------------------------------------------------------------

# FortiOS 6.0 CLI Reference, "system auto-scale" (https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/
# 447357/system-auto-scale): "enable and configure support for AWS auto-scaling": status, role, sync-interface,
# master-ip, callback-url, hb-interval, psksecret; the primary synchronizes its configuration to the secondaries
# (AliCloud Administration Guide, "Manual deployment of auto scaling on AliCloud"), as HA's config sync does
# ('config system ha' is ignored: the cluster forwards as one device).  It was reported (CFG300, any verdict).

FGT = """\
config system interface
    edit "port1"
        set ip 10.1.0.1 255.255.0.0
    next
    edit "port2"
        set ip 10.2.0.1 255.255.255.0
    next
end
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_system_auto_scale_is_ignored_and_its_secret_not_shown():
    from parsers.fortios import parse

    text = FGT + """\
config system auto-scale
    set status enable
    set role master
    set sync-interface "port1"
    set psksecret SECRET-PSK-1234
end
"""
    cfg = parse(text, "fgt.conf")
    assert not cfg.unrecognized
    why = cfg.aux["lines"].ignored_why
    assert why["cloud autoscale group membership and configuration sync (like high availability)"] == 6
    assert "SECRET-PSK" not in repr(cfg.diagnostics)


# --- PAN-OS: a zone's settings at their level of PAN-OS's zone schema ------------------------------------------

# Palo Alto Networks pan-os-codegen, specs/network/zone.yaml (the schema of PAN-OS's zone entry): the zone holds
# device-acl, enable-device-identification, enable-user-identification, network and user-acl; 'network' holds
# enable-packet-buffer-protection, log-setting, net-inspection, zone-protection-profile and the mode (layer3, ...)
# with its interfaces.  'zone Z network net-inspection yes' was ignored but 'zone Z zone-protection-profile P'
# (not in the schema at that level) was too, while 'zone Z net-inspection yes' was reported: each setting is now
# known at its own level only, and what follows a setting not known there is reported.
PAN = """\
set deviceconfig system hostname fw
set network interface ethernet ethernet1/1 layer3 ip 10.1.0.1/16
set network interface ethernet ethernet1/2 layer3 ip 10.2.0.1/24
set network virtual-router VR1 interface [ ethernet1/1 ethernet1/2 ]
set zone ws network layer3 ethernet1/1
set zone srv network layer3 ethernet1/2
set rulebase security rules A from ws to srv source any destination any application any service any action allow
"""


def _pan(line: str):
    from parsers.panos import parse

    cfg = parse(PAN + line + "\n", "fw.set")
    return [d.message for d in cfg.diagnostics if d.code == "CFG300"]


def test_zone_settings_are_known_at_their_level_of_the_schema():
    for ok in ("set zone ws network net-inspection yes", "set zone ws network zone-protection-profile ZP",
               "set zone ws network log-setting LF enable-packet-buffer-protection yes",
               "set zone ws enable-user-identification yes", "set zone ws enable-device-identification no",
               "set zone ws user-acl include-list [ 10.1.0.0/16 ]"):
        assert _pan(ok) == [], ok
    for bad, word in (("set zone ws net-inspection yes", "net-inspection"),
                      ("set zone ws zone-protection-profile ZP", "zone-protection-profile"),
                      ("set zone ws network enable-user-identification yes", "enable-user-identification"),
                      ("set zone ws network foo bar", "foo")):
        assert _pan(bad) == ["line not understood: unknown zone setting '%s'" % word], bad

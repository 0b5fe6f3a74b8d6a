"""FortiOS security profiles that can drop what a firewall policy accepts (application control), and those
that cannot drop a connection that matches none of their signatures (kept ignored, said why).

Documents:
- FortiOS CLI Reference, "config application list" (https://docs.fortinet.com/document/fortigate/7.0.16/
  cli-reference/117262721; 6.2.8: .../6.2.8/cli-reference/407620): an entry's ``action pass|block|reset``
  ("Pass or block traffic, or reset connection for traffic from this application"), ``quarantine``; the
  list's ``other-application-action`` / ``unknown-application-action [pass|block]``,
  ``enforce-default-app-port``, ``control-default-network-services``.
- The factory list ``block-high-risk`` as FortiGate backups write it: ``edit 1`` / ``set category 2 6`` (no
  action: it blocks, as the list's name says) then ``edit 2`` / ``set action pass``; the factory ``default``
  list ("Monitor all applications.") is one entry with ``set action pass``: an entry without an action blocks.
- Which application a connection is, FortiGuard's signatures decide (Administration Guide, "Application
  control"), not the configuration: Prinergy's SMB, its daemons on 1024-9000 and its other ports may be any
  application (or an unknown one) there.  A policy whose list may block is uncertain: unknown, the list's line
  reported, never a pass.
"""

from __future__ import annotations

from auditor.api import audit
from auditor.core.model import Impact
from auditor.policy import load_site
from parsers.fortios import parse

HEAD = """config system interface
    edit "ws"
        set ip 10.30.0.1 255.255.255.0
    next
    edit "srv"
        set ip 10.20.0.1 255.255.255.0
    next
end
"""

POLICY = """config firewall policy
    edit 5
        set srcintf "ws"
        set dstintf "srv"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
        set utm-status enable
        set application-list "APPS"
    next
end
"""


def applist(body: str, entries: str = "") -> str:
    return ('config application list\n    edit "APPS"\n' + body + "        config entries\n" + entries
            + "        end\n    next\nend\n")


def entry(n: int, *sets: str) -> str:
    return "            edit %d\n" % n + "".join("                set %s\n" % s for s in sets) + "            next\n"


SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]


def prn100(text: str) -> dict[str, str]:
    """The PRN100 status of each required flow workshop -> primary the audit checked (flow id -> status);
    a flow the config passes has no PRN100."""
    c = parse(text, "t.conf")
    got = {}
    for f in audit([c], load_site(None, SITE)).findings:
        if f.rule_id == "PRN100":
            got[f.message.split("required flow ")[1].split(" (")[0]] = f.status
    return got


def test_an_application_list_that_blocks_categories_makes_the_policy_unknown():
    # the reproduction (/tmp/h22tz/f4.conf): 'category 2 3' with 'action block' on an accept of everything:
    # the audit passed SMB and the daemons' ports; P2P/VoIP signatures are FortiGuard's, not the config's
    text = HEAD + applist("", entry(1, "category 2 3", "action block")) + POLICY
    got = prn100(text)
    assert got.get("SMB job volumes") == "unknown"  # was: no finding (a pass)
    assert got.get("daemons, JTPs, UADM, Workshop") == "unknown"
    assert set(got.values()) == {"unknown"}
    c = parse(text, "t.conf")
    [d] = c.diagnostics
    assert d.source.text.strip() == "edit 1" and d.impact is Impact.FILTER  # the list's blocking entry


def test_every_way_a_list_may_drop_is_unknown():
    for body, entries in (
        ("", entry(1, "category 2", "action reset")),  # reset the connection
        ("", entry(1, "category 2")),  # no action: block (the factory 'block-high-risk')
        ("", entry(1, "application 15832", "action pass", "quarantine attacker")),
        ("        set other-application-action block\n", entry(1, "application 15832", "action pass")),
        ("        set unknown-application-action block\n", entry(1, "action pass")),
        ("        set enforce-default-app-port enable\n", entry(1, "action pass")),
        ("        set control-default-network-services enable\n", entry(1, "action pass")),
        ("        set p2p-block-list skype\n", entry(1, "action pass")),
    ):
        got = prn100(HEAD + applist(body, entries) + POLICY)
        assert got.get("SMB job volumes") == "unknown", (body, entries)


def test_a_list_that_passes_everything_drops_nothing():
    # the factory 'default' list ("Monitor all applications.": one entry, 'set action pass'), with the list's
    # other settings at what drops nothing: the policy's accept stands (nothing reported)
    body = ('        set comment "Monitor all applications."\n        set other-application-action pass\n'
            "        set unknown-application-action pass\n        set other-application-log enable\n"
            "        set deep-app-inspection enable\n        set options allow-dns\n")
    text = HEAD + applist(body, entry(1, "action pass", "log enable")) + POLICY
    assert prn100(text) == {}
    assert parse(text, "t.conf").diagnostics == ()


def test_a_later_deny_does_not_settle_a_blocking_list():
    # a session the list drops is dropped by this policy; one it passes is accepted: the later deny decides
    # neither (still unknown), and a deny policy's list drops nothing more
    deny = POLICY.replace("    next\nend\n", "    next\n    edit 6\n        set srcintf \"ws\"\n"
                          "        set dstintf \"srv\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n"
                          "        set schedule \"always\"\n        set service \"ALL\"\n        set action deny\n"
                          "    next\nend\n")
    assert prn100(HEAD + applist("", entry(1, "category 2", "action block")) + deny).get("SMB job volumes") \
        == "unknown"
    denied = POLICY.replace("set action accept", "set action deny")
    assert prn100(HEAD + applist("", entry(1, "category 2", "action block")) + denied).get("SMB job volumes") \
        == "fail"


def test_a_list_not_in_the_input_is_unknown():
    # 'show firewall policy' alone: the list's entries are not known
    got = prn100(HEAD + POLICY)
    assert got.get("SMB job volumes") == "unknown"
    c = parse(HEAD + POLICY, "t.conf")
    assert [d.source.text.strip() for d in c.diagnostics] == ['set application-list "APPS"']


def test_a_profile_groups_application_list_counts():
    # FortiOS CLI Reference, "config firewall profile-group" (its 'application-list'), used by a policy with
    # 'set profile-type group' / 'set profile-group NAME'
    grp = 'config firewall profile-group\n    edit "G"\n        set application-list "APPS"\n    next\nend\n'
    pol = POLICY.replace('        set application-list "APPS"\n',
                         '        set profile-type group\n        set profile-group "G"\n')
    blocking = applist("", entry(1, "category 2", "action block"))
    assert prn100(HEAD + blocking + grp + pol).get("SMB job volumes") == "unknown"
    assert prn100(HEAD + applist("", entry(1, "action pass")) + grp + pol) == {}
    assert prn100(HEAD + blocking + pol).get("SMB job volumes") == "unknown"  # (a group not in the input)


IPS_POLICY = POLICY.replace('        set application-list "APPS"\n', '        set ips-sensor "S"\n')
SENSOR = ('config ips sensor\n    edit "S"\n        config entries\n            edit 1\n'
          '                set severity medium high critical\n                set action block\n'
          '            next\n        end\n    next\nend\n')


def test_an_ips_sensor_with_custom_signatures_is_unknown():
    # FortiOS 6.0 CLI Reference, "ips custom" (https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/
    # 99874): "Custom signatures can be used to block or allow specific traffic"; a filter by severity takes in
    # the custom signatures of that severity: a signature on --dst_port 445 blocks SMB
    custom = ("config ips custom\n    edit \"smb-block\"\n        set signature \"F-SBID( --name smb-block; "
              "--protocol tcp; --dst_port 445; --flow from_client; )\"\n        set severity high\n    next\nend\n")
    text = HEAD + custom + SENSOR + IPS_POLICY
    assert prn100(text).get("SMB job volumes") == "unknown"  # was: no finding (a pass)
    [d] = parse(text, "t.conf").diagnostics
    assert d.source.text.strip() == 'edit "smb-block"'


def test_profiles_that_drop_only_what_their_signatures_match_stay_ignored():
    # kept ignored, with why: an IPS sensor's predefined signatures "detect attacks" (6.0 CLI Reference, "ips
    # rule": https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/594662), antivirus blocks infected
    # files, 'inspection-mode' chooses flow or proxy inspection: none drops a connection no signature matches,
    # and Prinergy's own traffic is not taken to be an attack or malware.  (Web filter, DLP, file filter and SSL
    # inspection may block what no signature matches: unknown where they inspect, tests/test_fortios_s24_unknowns)
    more = ('        set av-profile "default"\n        set inspection-mode proxy\n'
            '        set utm-status enable\n')
    # (the antivirus profile and the protocol options in the input, as a backup writes them: one not in the
    # input may block anything; 'av-scan block' blocks what its signatures detect, not counted; protocol options
    # that may block: tests/test_fortios_s24_profiles2.py)
    av = ('config antivirus profile\n    edit "default"\n        config http\n            set av-scan block\n'
          '        end\n        config cifs\n            set av-scan block\n        end\n    next\nend\n'
          'config firewall profile-protocol-options\n    edit "default"\n        config http\n'
          '            set unknown-http-version tunnel\n        end\n    next\nend\n')
    text = HEAD + SENSOR + av + IPS_POLICY.replace("        set utm-status enable\n", more)
    got = prn100(text)
    assert "SMB job volumes" not in got and "daemons, JTPs, UADM, Workshop" not in got
    assert parse(text, "t.conf").diagnostics == ()

"""Session 29, the change gate red-teamed (round 2): a change behind a line not understood.

A FortiOS policy with a recurring schedule matches only while the schedule is active ("Schedules control
when policies are enabled or disabled", FortiOS Administration Guide, Policy and Objects > Schedules,
https://docs.fortinet.com/document/fortigate/7.4.0/administration-guide/); the audit cannot know the
time, so such a policy is not understood for the packets it matches (verdict unknown).  What decides
those packets while it is inactive is the policies below it.  Two versions that both leave a packet
undecided at the same scheduled policy were compared as deciding it alike, so a change that turned the
permit below it into a deny (a required flow blocked on weekday nights) passed, exit 0; so did a change
of the scheduled policy's own action (accept to deny: the day shift's SMB blocked).  Fixed by the lead
(``diff._at_rule``, ``diff._behind``): two outcomes undecided at rules that may match are alike only if those
rules do the same when they match and the versions decide the packets alike where no such rule matches (the
brute-force oracle of ``test_diff_narrow`` names an undecided packet so: "unknown:ACTION:FIRST-SURE-DECISION").
"""

from __future__ import annotations

from auditor.api import load_change
from auditor.diff import PASS, UNDECIDED, diff_configs
from auditor.policy import load_site

FORTI, FORTI_SITE = "examples/fortios-site/fortigate.conf", "examples/fortios-site/site.yaml"

SCHEDULES = """config firewall schedule recurring
    edit "weekdays"
        set start 06:00
        set end 22:00
        set day monday tuesday wednesday thursday friday
    next
    edit "weekends"
        set start 00:00
        set end 23:59
        set day saturday sunday
    next
end
"""

WEEKEND_BLOCK = """    edit 13
        set name "weekend-smb-block"
        set srcintf "workshop"
        set dstintf "servers"
        set srcaddr "all"
        set dstaddr "PRINERGY-SERVERS"
        set action deny
        set schedule "weekends"
        set service "SMB"
    next
"""

# the service group that policy 11 (workshop -> servers, accept) uses loses SMB
NO_SMB = 'config firewall service group\n    edit "PRINERGY-TCP"\n        unselect member "SMB"\n    next\nend\n'


def _config(tmp_path) -> str:
    with open(FORTI, encoding="utf-8") as fh:
        text = fh.read()
    # policy 10: SMB accepted on the day shift only; policy 13: SMB denied at weekends; policy 11 (accept,
    # PRINERGY-TCP with SMB) decides it on weekday nights
    old = ('        set action deny\n        set schedule "always"\n        set service "SMB"\n')
    assert text.count(old) == 1
    text = text.replace(old, '        set action accept\n        set schedule "weekdays"\n        set service "SMB"\n')
    text = text.replace("config firewall policy\n", SCHEDULES + "config firewall policy\n", 1)
    text = text.replace("    edit 11\n", WEEKEND_BLOCK + "    edit 11\n", 1)
    path = tmp_path / "fortigate.conf"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _review(config: str, change: str):
    with open(config, encoding="utf-8") as fh:
        text = fh.read()
    old, new, _text, origins = load_change(text, config, change, "change.txt")
    return diff_configs(old, new, site=load_site(FORTI_SITE), origins=origins)



def test_a_permit_removed_behind_two_scheduled_policies_is_not_a_pass(tmp_path):
    diff = _review(_config(tmp_path), NO_SMB)
    # weekday nights: policy 11 accepted SMB before, the implicit deny drops it after; the schedules are not
    # modelled, so the review cannot say the required SMB flow is unharmed
    assert diff.verdict != PASS
    assert diff.verdict == UNDECIDED
    assert any("smb:workshop->primary" in c.flows for c in diff.newly_unknown)
    assert any("smb:workshop->primary" in r for r in diff.reasons)
    ex = next(c for c in diff.newly_unknown if "smb:workshop->primary" in c.flows).example
    assert ex[4] == 445  # (proto, src, dst, sport, dport): the example is an SMB packet


def test_a_change_outside_the_scheduled_policies_packets_still_passes(tmp_path):
    # a comment edited on policy 11 decides no packet otherwise: still a pass
    change = 'config firewall policy\n    edit 11\n        set comments "CR-7: owner is prepress IT"\n    next\nend\n'
    assert _review(_config(tmp_path), change).verdict == PASS



def test_a_scheduled_permit_turned_into_a_deny_is_not_a_pass(tmp_path):
    # policy 10 (schedule weekdays 06:00-22:00) accepted SMB on the day shift; now it denies it then
    change = 'config firewall policy\n    edit 10\n        set action deny\n    next\nend\n'
    diff = _review(_config(tmp_path), change)
    assert diff.verdict == UNDECIDED
    assert any("smb:workshop->primary" in c.flows for c in diff.newly_unknown + diff.newly_denied)

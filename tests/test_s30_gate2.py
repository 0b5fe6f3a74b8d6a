"""Session 30, the change gate's two open gaps (round 4).

1. A NAT line that may translate packets or not (``NatRule.maybe``: a line not understood, a match partly
   not understood) before the rules a change edits: both versions leave those packets undecided at the NAT
   line, and ``diff.traffic_changes`` compared them as alike, so check-change passed a change that, on the way
   the NAT line may send the packets, decides them otherwise.  The README's promise: what the tool does not
   model makes the verdict unknown, never pass.  Each way the NAT line may go is now a world
   (``diff._worlds``), and packets some world decides otherwise in the two versions are newly undecided; a
   NAT line whose translation is not known at all (not modelled) may send its packets anywhere: those that
   arrive on an interface whose rules the change edited (``diff._any_translation``).
"""

from __future__ import annotations

import dataclasses

from auditor.api import load_change
from auditor.core.model import Action, Config, Filter, Interface, Nat, NatRule, Path, Rewrite, Rule, Source, Stage
from auditor.core.packets import ISet, PacketSet, cube, format_packet
from auditor.diff import PASS, UNDECIDED, diff_configs, traffic_changes
from auditor.policy import load_site

BEFORE, SITE = "examples/change/before.cfg", "examples/change/site.yaml"

# Cisco ASA object NAT, static, of the Workshop's /24 to a range of ten addresses: the ASA guide ("Network
# Object NAT", static NAT) maps real to mapped addresses one to one; a mapped range of another size is not
# modelled by the parser (CFG300: "static mapping between blocks of different sizes"), so what the line does to
# the Workshop's packets is not known
UNMODELLED_NAT = ("object network WS-MAPPED\n range 10.99.0.1 10.99.0.10\n"
                  "object network WS-NET\n subnet 10.30.0.0 255.255.255.0\n nat (workshop,servers) static WS-MAPPED\n")


def _nat_config() -> str:
    with open(BEFORE, encoding="utf-8") as fh:
        text = fh.read()
    assert text.count("Cryptochecksum") == 1
    return text.replace("Cryptochecksum", UNMODELLED_NAT + "Cryptochecksum")


def _review(text: str, change: str):
    old, new, _text, origins = load_change(text, "fw.cfg", change, "change.txt")
    return diff_configs(old, new, site=load_site(SITE), origins=origins)


def test_a_deny_behind_an_object_nat_line_not_understood_is_not_a_pass():
    # the Workshop's web traffic to the primary is undecided at the NAT line in both versions; where the line
    # does not translate it (or translates its source only: the ASA's access lists see real addresses), the
    # inserted deny now drops it: the change may block the IIS flow, so the verdict cannot be a pass (it was)
    diff = _review(_nat_config(), "access-list WORKSHOP_IN line 1 extended deny tcp any any eq www\n")
    assert diff.verdict == UNDECIDED
    assert any("iis:workshop->primary" in r for r in diff.reasons)
    assert any("iis:workshop->primary" in c.flows for c in diff.newly_unknown)


def test_a_remark_behind_that_nat_line_still_passes():
    diff = _review(_nat_config(), "access-list WORKSHOP_IN line 1 remark CR-90: owner prepress IT\n")
    assert diff.verdict == PASS and not diff.newly_unknown


def test_a_change_on_another_interface_leaves_the_workshops_packets_alone():
    # a translation does not change where a packet arrives: the Workshop's packets meet WORKSHOP_IN, not the
    # outside list the change edits, whichever way the NAT line translates them
    diff = _review(_nat_config(), "access-list OUTSIDE_IN line 1 extended deny tcp any any eq 3389\n")
    assert not any("workshop" in k for c in diff.newly_unknown for k in c.flows)
    assert not any("workshop->" in r for r in diff.reasons)


# --- the model: a NAT line whose match is partly not understood, translating as its match does -------

_SRC = Source("t.cfg", 1, "x")


def _device(rules: tuple[Rule, ...]) -> Config:
    """Side a (0-3), side b (4-7); a destination NAT of 4 to 6 whose match is not understood (it may match 4,
    or not), before a filter F of ``rules`` and a default permit."""
    nat = NatRule(PacketSet(), (Rewrite(1, 2),), Source("t.cfg", 5, "nat maybe"),
                  maybe=PacketSet([cube(dst=ISet.of(4))]))
    stage = Stage("in", ("F",), Action.PERMIT, _SRC, "default permit")
    paths = tuple(Path(a, b, (stage,)) for a in "ab" for b in "ab")
    ifaces = (Interface("a", ISet.of(0, 3), _SRC), Interface("b", ISet.of(4, 7), _SRC))
    return Config("t.cfg", "test", 30, {"F": Filter("F", rules)}, paths, interfaces=ifaces, nat=(Nat("nat", (nat,)),))


def _unknown(old: Config, new: Config) -> PacketSet:
    return PacketSet([c for ch in traffic_changes(old, new)["unknown"] for c in ch.packets.cubes])


def test_a_deny_of_where_the_nat_line_may_send_packets_changes_them():
    # a packet to 4 arrives as 4 or as 6; denying 6 drops it in the world where the line translates it
    old = _device(())
    new = dataclasses.replace(old, filters={"F": Filter("F", (Rule("F", 0, Action.DENY, PacketSet([cube(
        dst=ISet.of(6))]), Source("t.cfg", 20, "deny 6")),))})
    changed = _unknown(old, new)
    assert changed.contains((1, 4, 6, 49152, 80))
    assert not changed.contains((1, 5, 6, 49152, 80))  # (not a packet the line may translate)


def test_a_deny_of_where_it_sends_none_changes_nothing_undecided():
    # denying 7: no way the line may go sends the packet to 4 there (it arrives as 4 or 6): nothing undecided
    old = _device(())
    new = dataclasses.replace(old, filters={"F": Filter("F", (Rule("F", 0, Action.DENY, PacketSet([cube(
        dst=ISet.of(7))]), Source("t.cfg", 20, "deny 7")),))})
    assert not _unknown(old, new).cubes


# --- 2. a member taken out of a group: the findings it causes are located at the change line ------------------
#
# A change that narrows a group (Cisco ASA ``object-group network X`` / `` no network-object host A``, Cisco ASA
# Series Command Reference, "network-object"; Junos ``delete security address-book global address-set S address A``,
# "Junos OS CLI User Guide", delete; FortiOS ``unselect member "A"``, "FortiOS CLI Reference", unselect) leaves the
# rules that name the group as they are written, and the flow to A is now blocked by the default deny.  The finding
# was located at that deny (a line the pull request does not touch); it belongs on the change line that removed
# the member, and says so.  Its verdict is the same.


def _flow_finding(diff, flow: str):
    return next(f for f in diff.introduced if f.rule_id == "PRN100" and f.key == flow)


def _check_located(config: str, site: str, change: str, change_line: int, flow: str, removed: int):
    with open(config, encoding="utf-8") as fh:
        text = fh.read()
    old, new, _text, origins = load_change(text, config, change, "change.txt")
    diff = diff_configs(old, new, site=load_site(site), origins=origins)
    f = _flow_finding(diff, flow)
    assert (diff.anchor(f.source).path, diff.anchor(f.source).line) == ("change.txt", change_line)
    msg = diff.message(f, "new")
    assert "caused by the change's line %d" % change_line in msg
    assert "line %d of %s" % (removed, config) in msg
    from auditor.report.github import render_diff

    assert any(a.startswith("::error file=change.txt,line=%d," % change_line) and flow.split(":")[0] in a.lower()
               for a in render_diff(diff).splitlines() if "PRN100" in a)
    return diff


def test_asa_no_network_object_locates_the_blocked_flow_at_the_change_line():
    with open(BEFORE, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    assert lines[54] == " network-object host 10.20.0.11"
    assert lines[86] == "access-list WORKSHOP_IN extended deny ip any any log"
    diff = _check_located(BEFORE, SITE, "object-group network PRINERGY-SERVERS\n no network-object host 10.20.0.11\n",
                          2, "iis:workshop->secondary", 55)
    f = _flow_finding(diff, "iis:workshop->secondary")
    assert "line 87 of %s" % BEFORE in diff.message(f, "new")  # (the deny that blocks it now, named with its file)
    assert diff.verdict == "fail"  # (the verdict is the same: the flow is newly blocked)


def test_junos_delete_of_an_address_set_member_locates_the_blocked_flow_at_the_change_line():
    config = "examples/junos-site/srx.conf"
    with open(config, encoding="utf-8") as fh:
        assert fh.read().split("\n")[99].strip() == "address SECONDARY-1;"
    _check_located(config, "examples/junos-site/site.yaml",
                   "delete security address-book global address-set SECONDARIES address SECONDARY-1\n", 1,
                   "iis:workshop->secondary", 100)


def test_fortios_unselect_member_locates_the_blocked_flow_at_the_change_line():
    config = "examples/fortios-site/fortigate.conf"
    with open(config, encoding="utf-8") as fh:
        assert fh.read().split("\n")[98].strip().startswith('set member "PRINERGY-PRIMARY" "PRINERGY-SECONDARY-1"')
    _check_located(config, "examples/fortios-site/site.yaml",
                   'config firewall addrgrp\n    edit "PRINERGY-SERVERS"\n'
                   '        unselect member "PRINERGY-SECONDARY-1"\n    next\nend\n', 3, "iis:workshop->secondary", 99)


def test_only_the_findings_about_the_removed_member_move_to_the_change_line():
    # (the findings about other addresses keep their lines)
    with open(BEFORE, encoding="utf-8") as fh:
        text = fh.read()
    old, new, _text, origins = load_change(text, BEFORE, "object-group network PRINERGY-SERVERS\n no network-object "
                                                         "host 10.20.0.11\n", "change.txt")
    diff = diff_configs(old, new, site=load_site(SITE), origins=origins)
    moved = [f for f in diff.introduced if f.source.path == "change.txt"]
    assert moved and all("10.20.0.11" in format_packet(f.example) for f in moved)


def test_asa_no_access_list_of_a_permit_locates_the_blocked_flow_at_the_change_line():
    # the permit's own line removed: the flows it carried now meet the deny at line 87, a line the change kept;
    # the finding belongs on the 'no access-list' line, and says so
    with open(BEFORE, encoding="utf-8") as fh:
        text = fh.read()
    permit = ("access-list WORKSHOP_IN extended permit udp object-group WORKSHOP object-group PRINERGY-SERVERS "
              "object-group PRINERGY-UDP")
    assert text.split("\n")[77] == permit
    old, new, _text, origins = load_change(text, BEFORE, "no " + permit + "\n", "change.txt")
    diff = diff_configs(old, new, site=load_site(SITE), origins=origins)
    f = _flow_finding(diff, "plocator:workshop->primary")
    assert (diff.anchor(f.source).path, diff.anchor(f.source).line) == ("change.txt", 1)
    msg = diff.message(f, "new")
    assert "line 87 of %s" % BEFORE in msg and "removed or rewrote line 78 of %s" % BEFORE in msg
    assert diff.verdict == "fail"


def test_a_finding_a_line_the_change_added_causes_is_not_put_on_a_removal():
    # the deny inserted first blocks rdp to the secondary; the same change narrows MAC-CLIENTS, which has nothing
    # to do with it: no finding is put on the removal's line, none says a removal caused it
    with open(BEFORE, encoding="utf-8") as fh:
        text = fh.read()
    change = ("access-list WORKSHOP_IN line 1 extended deny tcp any host 10.20.0.11 eq 3389\n"
              "object-group network MAC-CLIENTS\n network-object 10.30.0.128 255.255.255.224\n"
              " no network-object 10.30.0.128 255.255.255.192\n")
    old, new, _text, origins = load_change(text, BEFORE, change, "change.txt")
    diff = diff_configs(old, new, site=load_site(SITE), origins=origins)
    assert origins.removed and diff.introduced
    assert not [f for f in diff.introduced if diff.anchor(f.source).path == "change.txt"
                and diff.anchor(f.source).line == 4]
    assert not any("caused by the change" in diff.message(f, "new") for f in diff.introduced)

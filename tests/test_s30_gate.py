"""Session 30, the change gate red-teamed (round 3).

A packet whose path a route learned at run time decides is undecided before any rule: an ASA running OSPF
learns routes from its neighbours ("ASA/PIX with OSPF Configuration Example", Cisco document 107196,
https://www.cisco.com/c/en/us/support/docs/security/asa-5500-x-series-next-generation-firewalls/107196-ASA8-OSPF.html),
so which interface, and which interface's access list, a packet from a network it does not connect meets is not
in the configuration.  Two versions that both left such packets undecided were compared as deciding them
alike, whatever the change did to the rules they may meet: a deny of the required IIS flow (port 80) on the
interface the Workshop sits behind passed, exit 0.  Now such packets, among those the change may decide
otherwise, are "newly undecided" (``diff._open``), and the verdict is unknown.

The anomaly checks name several lines at once ("lines 77, 88"); for a change request those numbers, lines of the
config after the change, were shown as they were, so they named the wrong lines of the config file.
"""

from __future__ import annotations

from auditor.api import load_change
from auditor.core.packets import format_packet
from auditor.diff import PASS, UNDECIDED, diff_configs
from auditor.policy import load_site

BEFORE, SITE = "examples/change/before.cfg", "examples/change/site.yaml"


def _ospf_config(tmp_path) -> str:
    """The example ASA with OSPF on the servers' and the Workshop's networks, and a second Workshop network
    (10.60.0.0/24) behind a router on the workshop interface, known only through OSPF (no static route)."""
    with open(BEFORE, encoding="utf-8") as fh:
        text = fh.read()
    route = "route outside 0.0.0.0 0.0.0.0 203.0.113.1 1\n"
    member = " network-object 10.30.0.0 255.255.255.0\n"
    assert text.count(route) == 1 and text.count(member) == 1
    text = text.replace(route, route + "router ospf 1\n network 10.30.0.0 255.255.255.0 area 0\n"
                                       " network 10.20.0.0 255.255.255.0 area 0\n")
    text = text.replace(member, member + " network-object 10.60.0.0 255.255.255.0\n")
    path = tmp_path / "fw.cfg"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _site(tmp_path):
    with open(SITE, encoding="utf-8") as fh:
        text = fh.read()
    assert "workshop: [10.30.0.0/24]" in text
    path = tmp_path / "site.yaml"
    path.write_text(text.replace("workshop: [10.30.0.0/24]", "workshop: [10.60.0.0/24]"), encoding="utf-8")
    return load_site(str(path))


def _review(config: str, change: str, site):
    with open(config, encoding="utf-8") as fh:
        text = fh.read()
    old, new, _text, origins = load_change(text, config, change, "change.txt")
    return diff_configs(old, new, site=site, origins=origins)


def test_a_deny_of_a_flow_whose_path_a_learned_route_decides_is_not_a_pass(tmp_path):
    # the Workshop (10.60.0.0/24) reaches the servers through the workshop interface, whose list (line 77) permits
    # tcp 80 to them; the change denies tcp 80 there first.  Which interface the Workshop's packets arrive on is
    # OSPF's to say, so the audit cannot tell the flow passes either way; but the change may block it: not a pass
    diff = _review(_ospf_config(tmp_path), "access-list WORKSHOP_IN line 1 extended deny tcp any any eq www\n",
                   _site(tmp_path))
    assert diff.verdict != PASS
    assert diff.verdict == UNDECIDED
    assert any("iis:workshop->primary" in r for r in diff.reasons)
    change = next(c for c in diff.newly_unknown if "iis:workshop->primary" in c.flows)
    shown = format_packet(change.example)
    assert shown.startswith("tcp 10.60.0.") and shown.endswith(" -> 10.20.0.10:80"), shown


def test_a_change_that_decides_nothing_otherwise_still_passes_behind_a_learned_route(tmp_path):
    # a remark decides no packet: the packets undecided by OSPF are not among those the change may decide otherwise
    diff = _review(_ospf_config(tmp_path), "access-list WORKSHOP_IN line 2 remark CR-88: owner prepress IT\n",
                   _site(tmp_path))
    assert diff.verdict == PASS
    assert not diff.newly_unknown


def test_a_change_lines_own_numbers_of_several_lines_name_the_config_files_lines():
    # the deny of tcp 445 inserted first is redundant: without it, line 76 (deny tcp any PRINERGY-SERVERS eq 445)
    # and line 87 (deny ip any any) of before.cfg decide its packets; in the config after the change those are
    # lines 77 and 88, which the message must not show as before.cfg's
    with open(BEFORE, encoding="utf-8") as fh:
        text = fh.read()
    lines = text.split("\n")
    assert lines[75].startswith("access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445")
    assert lines[86] == "access-list WORKSHOP_IN extended deny ip any any log"
    old, new, _text, origins = load_change(text, BEFORE, "access-list WORKSHOP_IN line 1 extended deny tcp any any "
                                                         "eq 445\n", "change.txt")
    diff = diff_configs(old, new, site=load_site(SITE), origins=origins)
    f = next(f for f in diff.introduced if f.rule_id == "ACL201" and diff.anchor(f.source).path == "change.txt")
    msg = diff.message(f, "new")
    assert "lines 76, 87 of %s" % BEFORE in msg
    assert "77" not in msg and "88" not in msg


def test_the_reason_of_such_an_unknown_verdict_is_at_the_change_line(tmp_path):
    # code scanning and the annotations show the reason on the change request's line that may decide the flow,
    # not on the config's "router ospf" line, which the pull request does not touch
    config = _ospf_config(tmp_path)
    diff = _review(config, "access-list WORKSHOP_IN line 1 extended deny tcp any any eq www\n", _site(tmp_path))
    why = [f for f in diff.located if f.rule_id == "CHG501"]
    assert why and all(diff.anchor(f.source).path == "change.txt" and diff.anchor(f.source).line == 1 for f in why)
    with open(config, encoding="utf-8") as fh:
        ospf = fh.read().split("\n").index("router ospf 1") + 1
    assert "where their traffic goes is not known" in why[0].message and "%s:%d" % (config, ospf) in why[0].message

"""Verdicts fail closed: nothing unchecked, unrouted or not understood becomes a pass."""

import ipaddress

from auditor.api import audit
from auditor.core.packets import packet_json
from auditor.policy import load_site
from parsers.cisco_asa import parse

BASE = ("ASA Version 9.12(4)\n"
        "interface G0\n nameif inside\n security-level 100\n ip address 10.30.0.1 255.255.255.0\n"
        "interface G1\n nameif servers\n security-level 90\n ip address 10.20.0.1 255.255.255.0\n"
        "access-list IN extended permit ip 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0\n"
        "access-group IN in interface inside\n"
        "timeout conn 0:00:00\n")


def run(text, roles):
    return audit([parse(text, "t.cfg")], load_site(None, roles))


def before_the_permit(*entries):
    """BASE with ``entries`` (access-list IN lines) ahead of its one permit."""
    return BASE.replace("access-list IN extended permit ip",
                        "".join(e + "\n" for e in entries) + "access-list IN extended permit ip")


def test_open_firewall_passes():
    r = run(BASE, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert r.verdict == "pass", [f.message for f in r.findings]


def test_roles_the_device_does_not_route_are_not_a_pass():
    r = run(BASE, ["workshop=192.0.2.0/24", "primary=198.51.100.10"])
    assert {f["status"] for f in r.flows} == {"not_routed"}
    assert r.verdict == "unknown"


def test_no_roles_is_unknown():
    assert run(BASE, []).verdict == "unknown"


def test_unknown_global_command_makes_the_verdict_unknown():
    r = run(BASE + "firewall transparent\n", ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert r.verdict == "unknown"


def test_line_not_understood_in_the_path_is_unknown_not_pass():
    text = before_the_permit("access-list IN extended permit tcp any any eq 1", "access-list IN extended frobnicate")
    r = run(text, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert r.verdict == "unknown"
    assert any(f.rule_id == "PRN100" and f.status == "unknown" for f in r.findings)


def test_a_line_that_may_expose_a_server_is_unknown_not_pass():
    # ASA 9.x: "access-list ... permit ip user DOMAIN\user ..." matches by identity (the user logged in at
    # the source), which the auditor cannot know: from an outside network it may expose the server
    # (PRN150); before, the check looked only at decided permits and the verdict was "pass"
    text = BASE.replace("interface G1\n", "interface G2\n nameif office\n security-level 50\n"
                        " ip address 10.40.0.1 255.255.255.0\ninterface G1\n")
    text += ("access-list OFFICE extended permit ip user PRINT\\ops any host 10.20.0.10\n"
             "access-group OFFICE in interface office\n")
    r = run(text, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    exposed = [f for f in r.findings if f.rule_id == "PRN150"]
    assert [(f.status, f.severity, f.source.line) for f in exposed] == [("unknown", "warning", 17)]
    pkt = packet_json(exposed[0].example)
    assert ipaddress.ip_address(pkt["src"]) not in ipaddress.ip_network("10.30.0.0/24")
    assert pkt["dst"] == "10.20.0.10"
    assert r.verdict == "unknown"


def test_an_undecided_line_the_outside_cannot_reach_adds_nothing():
    # the same identity line, but only on the workshop's interface: its sources are the workshop's
    text = before_the_permit("access-list IN extended permit ip user PRINT\\ops 10.30.0.0 255.255.255.0 "
                             "host 10.20.0.10")
    r = run(text, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert not [f for f in r.findings if f.rule_id == "PRN150"]


def test_a_fail_beside_a_line_that_could_change_any_verdict_says_so():
    """The error findings of a FAIL are what the modelled lines decide; a line not understood that could
    change any verdict is one of the verdict's reasons too (``explain`` answers UNKNOWN for such a packet,
    with "the modelled lines alone" decision), so the report does not present the block as the whole truth."""
    text = before_the_permit("access-list IN extended deny ip any any") + "frobnicate everything\n"
    r = run(text, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert r.verdict == "fail"
    assert r.reasons[0].endswith("error finding(s)")
    assert r.reasons[1:] == ["t.cfg: 1 line(s) not understood could change any verdict"]
    clean = run(before_the_permit("access-list IN extended deny ip any any"),
                ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert clean.verdict == "fail" and len(clean.reasons) == 1


def test_no_flow_passes_for_sure_beside_a_line_that_could_change_any_verdict():
    """``explain`` answers UNKNOWN for a packet of such a config; the audit's flow list does not call the
    same flow "pass" (it is unknown), and its verdict is not a pass."""
    good = run(BASE, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert {f["status"] for f in good.flows} == {"pass"}
    r = run(BASE + "frobnicate everything\n", ["workshop=10.30.0.0/24", "primary=10.20.0.10"])
    assert {f["status"] for f in r.flows} == {"unknown"}
    assert r.verdict == "unknown"

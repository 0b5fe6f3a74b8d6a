"""The change review lists every change of decision, also from undecided: a packet the old config
leaves undecided (the device's own address, a line whose objects are not defined) and the new one
permits or denies is newly permitted or denied, its old decision "unknown"; a finding undecided
before and decided now is introduced, not unchanged.

Traffic to the device's own addresses is not decided by its access rules (Cisco ASA Series Firewall
CLI Configuration Guide, "Access Rules": "To access the ASA interface for management access, you do
not also need an access rule allowing the host IP address"; management access rules are "control
plane" access groups), which the engine does not model: ``explain`` answers unknown for such a packet
(``test_diff_explain_agree``).  When the interface's address moves, the old address becomes an
address like any other, which the access rules decide.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_diff_explain_agree import NEW, OLD  # (the outside address moves: 10.2.0.1 no longer the device's)
from test_formats import cli

from auditor.api import decision_json, make_packet
from auditor.diff import decision, diff_configs
from auditor.policy import load_site
from auditor.report.github import render_diff as github_diff
from auditor.report.junit import render_diff as junit_diff
from auditor.report.markdown import render_diff as markdown_diff
from auditor.report.text import render_diff as text_diff
from parsers.cisco_asa import parse as parse_asa

ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.20"]
# the workshop's network inside, the servers' on their own interface
_INSIDE_SERVERS = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0
"""


def _lists(d, pkt) -> dict:
    return {k: [c for c in getattr(d, "newly_" + k) if c.packets.contains(pkt)]
            for k in ("permitted", "denied", "unknown")}


def test_traffic_to_the_old_device_address_now_permitted_is_listed_as_newly_permitted():
    old, new = parse_asa(OLD, "old.cfg"), parse_asa(NEW, "new.cfg")
    pkt = make_packet("10.1.0.5", "10.2.0.1", "tcp", None, 80)
    assert decision_json(old, pkt)["decision"] == "unknown"
    assert decision_json(new, pkt)["decision"] == "permit" and decision_json(new, pkt)["line"] == 11
    d = diff_configs(old, new, load_site(None, ROLES))
    got = _lists(d, pkt)
    assert got["denied"] == [] and got["unknown"] == []
    (c,) = got["permitted"]
    j = d.change_json(c)
    assert (j["old_decision"], j["new_decision"], j["new_line"]) == ("unknown", "permit", 11)
    assert j["old_reason"].startswith("sent by or addressed to the device itself")
    assert c.undecided_before
    # every format shows it
    text = text_diff(d)
    permitted = text.split("NEWLY PERMITTED (")[1].split("NEWLY DENIED")[0]
    assert "old: unknown: sent by or addressed to the device itself" in permitted
    assert "new: permit at new.cfg:11 | access-list IN extended permit tcp any any" in permitted
    md = markdown_diff(d)
    assert "| Traffic newly permitted | %d group(s) of packets (%d undecided before) |" % (
        len(d.newly_permitted), sum(x.undecided_before for x in d.newly_permitted)) in md
    assert any(line.startswith("::notice file=new.cfg,line=11,title=traffic newly permitted::newly permits ")
               and "(was unknown by sent by or addressed to the device itself" in line
               for line in github_diff(d).splitlines())
    data = json.loads(json.dumps(d.to_json()))
    assert data["schema_version"] == 1
    assert any(x["old_decision"] == "unknown" and x["new_line"] == 11 for x in data["newly_permitted"])


def test_a_server_exposure_undecided_before_is_introduced_and_fails(tmp_path):
    """A line whose object is not defined leaves undecided whether it lets the internet reach the
    primary server (PRN150 warning, status unknown); the change defines the object as the server:
    now it does (PRN150 error).  The fingerprint leaves the status out, so the two matched as one
    finding "unchanged" and the change passed; the traffic, undecided before, was not listed."""
    old_text = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address 10.2.0.1 255.255.255.0
interface GigabitEthernet0/2
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
access-list OUTSIDE_IN extended permit tcp any object-group SRV eq 3389
access-group OUTSIDE_IN in interface outside
route outside 0.0.0.0 0.0.0.0 203.0.113.1
"""
    new_text = old_text.replace("access-list OUTSIDE_IN", "object-group network SRV\n network-object host 10.2.0.20\n"
                                "access-list OUTSIDE_IN", 1)
    d = diff_configs(parse_asa(old_text, "asa.cfg"), parse_asa(new_text, "asa.cfg"), load_site(None, ROLES))
    exposed = [(f.severity, f.status) for f in d.introduced if f.rule_id == "PRN150"]
    assert exposed == [("error", "")]
    assert [(f.severity, f.status) for f in d.resolved if f.rule_id == "PRN150"] == [("warning", "unknown")]
    assert not [f for f in d.unchanged if f.rule_id == "PRN150"]
    assert d.verdict == "fail"
    pkt = make_packet("1.0.0.1", "10.2.0.20", "tcp", None, 3389)
    (c,) = _lists(d, pkt)["permitted"]
    assert (decision(c.old), decision(c.new), c.new.source.line) == ("unknown", "permit", 17)
    # the exit code follows --fail-on for the introduced finding, SARIF marks it new
    old_f, new_f = tmp_path / "old.cfg", tmp_path / "asa.cfg"
    old_f.write_text(old_text)
    new_f.write_text(new_text)
    args = ("diff", str(old_f), str(new_f), "--vendor", "cisco-asa", "--role", ROLES[0], "--role", ROLES[1])
    code, out, _err = cli(*args, "--format", "sarif")
    assert code == 1
    states = {(r["ruleId"], r["baselineState"]) for r in json.loads(out)["runs"][0]["results"]}
    assert ("PRN150", "new") in states and ("PRN150", "unchanged") not in states
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- rule_id: PRN150\n  contains: OUTSIDE_IN\n  justification: RDP for the vendor, CR-7\n"
                       "  expires: 2999-01-01\n")
    code, out, _err = cli(*args, "--format", "json", "--waivers", str(waivers))
    assert code == 0 and json.loads(out)["verdict"] == "pass", json.loads(out)["verdict_reasons"]


def test_a_required_flow_undecided_before_and_denied_now_fails_but_is_not_said_newly_blocked():
    """The workshop's SMB traffic to the primary reaches a line whose object is not defined
    (undecided); the change defines it as another host, so the flow falls to the implicit deny.  The
    blocked-flow finding (PRN100, on the list's only line both times) matched the old "cannot tell"
    one and the change passed."""
    old_text = _INSIDE_SERVERS + """access-list IN extended permit tcp any object-group SRV eq 445
access-group IN in interface inside
"""
    new_text = old_text.replace("access-list IN", "object-group network SRV\n network-object host 10.2.0.30\n"
                                "access-list IN", 1)
    d = diff_configs(parse_asa(old_text, "asa.cfg"), parse_asa(new_text, "asa.cfg"), load_site(None, ROLES),
                     select=("PRN100",))
    assert d.verdict == "fail"
    assert [(f.key, f.status) for f in d.introduced] == [("smb:workshop->primary", "fail")]
    # the old version did not decide it: not "newly blocked", but listed as denied, undecided before
    assert d.blocked_flows == [] and not any("newly blocks" in r for r in d.reasons)
    pkt = make_packet("10.1.0.5", "10.2.0.20", "tcp", None, 445)
    (c,) = _lists(d, pkt)["denied"]
    assert c.undecided_before and c.flows == ("smb:workshop->primary",)
    junit = junit_diff(d)
    case = junit.split('name="smb:workshop-&gt;primary"')[1].split("</testcase>")[0]
    assert "<error" in case and "<failure" not in case and "denied at asa.cfg:13 (was unknown by asa.cfg:11)" in case
    assert "title=required flow denied (undecided before)::newly denies tcp 10.1.0.2:49152 -> 10.2.0.20:445" \
        in github_diff(d)


def test_part_of_a_required_flow_undecided_before_and_denied_now_leaves_the_change_undecided():
    """The daemons flow is blocked in part at line 12 before and after; ports 1024-2000 reached a line
    whose object is not defined (undecided); the change deletes that line, and line 12 denies them.
    Whether the change blocked more of the flow is not known: the blocked-flow finding is the same
    (line 12), and the review passed, listing nothing."""
    old_text = _INSIDE_SERVERS + """access-list IN extended permit tcp any object-group SRV range 1024 2000
access-list IN extended deny tcp any any range 1024 9000
access-list IN extended permit ip any any
access-group IN in interface inside
"""
    new_text = old_text.replace("access-list IN extended permit tcp any object-group SRV range 1024 2000\n", "")
    d = diff_configs(parse_asa(old_text, "asa.cfg"), parse_asa(new_text, "asa.cfg"), load_site(None, ROLES),
                     select=("PRN100",))
    assert d.introduced == [] and d.blocked_flows == []
    assert d.verdict == "unknown"
    assert d.reasons == ["cannot tell what the change does to required flow(s): daemons:workshop->primary"]
    (c,) = _lists(d, make_packet("10.1.0.5", "10.2.0.20", "tcp", None, 1500))["denied"]
    assert c.undecided_before and (c.old.source.line, c.new.source.line) == (11, 11)


# --- every packet of a grid, against ``explain`` on each side ----------------------------------

_HEAD = """ASA Version 9.16(4)
hostname t
interface GigabitEthernet0/0
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 nameif servers
 security-level 50
 ip address {box} 255.255.255.0
interface GigabitEthernet0/2
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
route outside 0.0.0.0 0.0.0.0 203.0.113.1
"""
_SRC = ["any", "host 10.1.0.5", "10.1.0.0 255.255.0.0", "host 1.0.0.1"]
# (an object group not defined: the line is undecided; the device's own address: undecided too)
_DST = ["any", "host 10.2.0.10", "host 10.2.0.1", "10.2.0.0 255.255.255.0", "object-group SRV", "host 203.0.113.9"]
_PORTS = ["", " eq 80", " eq 445", " range 80 445"]
_GRID = [make_packet(s, d, p, None, port)
         for s in ("10.1.0.5", "10.1.0.9", "1.0.0.1", "10.2.0.10")
         for d in ("10.2.0.1", "10.2.0.10", "10.2.0.20", "203.0.113.9", "10.1.0.5")
         for p in ("tcp", "udp") for port in (80, 445, 1000)]


@st.composite
def _ace(draw) -> str:
    proto = draw(st.sampled_from(["tcp", "udp", "ip"]))
    port = draw(st.sampled_from(_PORTS)) if proto != "ip" else ""
    return "%s %s %s %s%s" % (draw(st.sampled_from(["permit", "deny"])), proto, draw(st.sampled_from(_SRC)),
                              draw(st.sampled_from(_DST)), port)


@st.composite
def _version(draw) -> tuple:
    box = draw(st.sampled_from(["10.2.0.1", "10.2.0.10"]))
    srv = draw(st.sampled_from([None, "10.2.0.10", "10.2.0.20"]))
    return box, srv, {name: draw(st.lists(_ace(), max_size=4)) for name in ("IN", "OUT")}


def _text(box, srv, acls) -> str:
    out = [_HEAD.format(box=box)]
    if srv:
        out.append("object-group network SRV\n network-object host %s\n" % srv)
    for name, where in (("IN", "inside"), ("OUT", "outside")):
        out += ["access-list %s extended %s\n" % (name, ace) for ace in acls[name]]
        if acls[name]:
            out.append("access-group %s in interface %s\n" % (name, where))
    return "".join(out)


@st.composite
def _pair(draw) -> tuple:
    """(old, new): a version, and either another or the same with its lists edited a little."""
    old = draw(_version())
    if draw(st.booleans()):
        return old, draw(_version())
    box, srv, acls = old
    acls = {k: list(v) for k, v in acls.items()}
    for _ in range(draw(st.integers(1, 2))):
        name = draw(st.sampled_from(["IN", "OUT"]))
        rules = acls[name]
        at = draw(st.integers(0, len(rules)))
        if rules and at < len(rules) and draw(st.booleans()):
            del rules[at]
        else:
            rules.insert(at, draw(_ace()))
    box = draw(st.sampled_from([box, "10.2.0.1", "10.2.0.10"]))
    return old, (box, draw(st.sampled_from([srv, None, "10.2.0.20"])), acls)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_pair())
def test_every_packet_decided_otherwise_is_in_exactly_one_list_with_its_decisions(pair):
    """Random rule lists, interface addresses and object definitions for OLD and NEW: each packet of
    a grid whose decision (``explain``) differs between them is in exactly one group of one list of
    the review, the list of its new decision, with its old and new decisions; every other packet in
    none."""
    old = parse_asa(_text(*pair[0]), "old.cfg")
    new = parse_asa(_text(*pair[1]), "new.cfg")
    d = diff_configs(old, new, load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"]), limit=10 ** 6)
    kind = {"permit": "permitted", "deny": "denied", "unknown": "unknown"}
    for pkt in _GRID:
        a, b = decision_json(old, pkt), decision_json(new, pkt)
        assert "modelled" not in a and "modelled" not in b  # (no line that could change any verdict)
        have = [(k, decision(c.old), decision(c.new)) for k, cs in _lists(d, pkt).items() for c in cs]
        want = [(kind[b["decision"]], a["decision"], b["decision"])] if a["decision"] != b["decision"] else []
        if b["decision"] == "deny" and "if it does:" in (a.get("reason") or ""):
            want = []  # (denied wherever it reached the device before, engine ``_back_out``: never let through)
        assert have == want, (pkt, a, b)

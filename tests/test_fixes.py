"""Fixes proven safe (issue 18): for every vendor with change support, on random configs with a
blocked required flow, the offered fix closes the gap and the diff of before and after shows
newly permitted traffic only inside the flow; the proof refuses what a wrong hook writes.

Each offered fix is checked here again from the outside: the change is applied with the vendor's
``apply_change`` (as ``check-change`` does), the changed config is parsed, the flow is decided
exactly (every phase of the connection) and packet by packet at the blocked examples (the indexed
single-packet path, not the set evaluation), and ``traffic_changes`` over the whole packet space
must show nothing newly denied or undecided and every newly permitted packet inside the flow (its
packets or their replies).
"""

from __future__ import annotations

import json
import tempfile
import textwrap
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_cli import run

from auditor.api import apply_change, audit, load_config
from auditor.core.packets import ALL, PacketSet, replies
from auditor.diff import traffic_changes
from auditor.engine import DENY, NOT_FILTERED, PERMIT, as_sent, connection, decide_packet
from auditor.policy import load_site

# a small pack keeps each example fast: three flows, two server roles
PACK_DIR = Path(tempfile.mkdtemp(prefix="prinergy-fix-pack-"))
PACK = PACK_DIR / "small.yaml"
PACK.write_text(textwrap.dedent("""\
    name: small
    extends: prinergy-8
    remove_flows: [iis, oracle, veris, orbacus, link, diagview, flm-udp, flm-tcp, dashboard, rba,
                   layout-automation, digital-print, colorflow, help, license-renewal, ephemeral,
                   rba-secondary]
    """))
ROLES = ["workshop=10.30.0.0/24", "primary=10.20.0.10", "secondary=10.20.0.11"]
# (no shrinking: each example parses and proves several changes, and a shrink takes minutes; the
# failing example is printed as generated)
PROPERTY = settings(max_examples=12, deadline=None, derandomize=True, phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow])


def fixes_of(text: str, vendor: str, roles=ROLES, policy: str | None = str(PACK)):
    cfg = load_config("fw.cfg", vendor, text=text)
    site = load_site(None, roles)
    result = audit([cfg], site, policy, texts={"fw.cfg": text})
    return cfg, site, result


def check_offered(cfg, text: str, site, result) -> None:
    """Every offered fix, checked from the outside (see the module doc)."""
    flows = {f.key: f for f in result.required}
    for fix in result.fixes.fixes:
        flow = flows[fix.flow]
        new_text, _ = apply_change(cfg.vendor, text, cfg.path, fix.change, "fix.txt")
        new = load_config(cfg.path, cfg.vendor, text=new_text)
        before = connection(cfg, as_sent(cfg, flow.packets))
        after = connection(new, as_sent(new, flow.packets))
        assert not [o for o in after if o.kind == DENY], (fix.change, [(o.source, o.reason) for o in after])
        for o in before:
            if o.kind == DENY and o.phase == "new":
                pkt = o.packets.example()
                assert decide_packet(new, pkt).kind in (PERMIT, NOT_FILTERED), (fix.change, pkt)
        got = traffic_changes(cfg, new, [flow], ALL)
        assert not got["denied"] and not got["unknown"], fix.change
        sent = as_sent(cfg, flow.packets).union(flow.packets)
        inside = sent.union(replies(sent))
        opened = PacketSet([c for ch in got["permitted"] for c in ch.packets.cubes])
        assert opened, fix.change
        assert opened.issubset(inside), (fix.change, opened.subtract(inside).example())
    if len(result.fixes.fixes) > 1 and result.fixes.combined:
        # the --fix-out file: every fix at once, as check-change applies it
        combined = result.fixes.combined[cfg.path]
        new = load_config(cfg.path, cfg.vendor, text=apply_change(cfg.vendor, text, cfg.path, combined, "c.txt")[0])
        offered = [flows[x.flow] for x in result.fixes.fixes]
        for flow in offered:
            assert not [o for o in connection(new, as_sent(new, flow.packets)) if o.kind == DENY]
        got = traffic_changes(cfg, new, offered, ALL)
        assert not got["denied"] and not got["unknown"]
        inside = PacketSet()
        for flow in offered:
            sent = as_sent(cfg, flow.packets).union(flow.packets)
            inside = inside.union(sent).union(replies(sent))
        assert PacketSet([c for ch in got["permitted"] for c in ch.packets.cubes]).issubset(inside)


def blocked(result) -> set[str]:
    return {f.key for f in result.findings if f.rule_id == "PRN100" and f.status == "fail"}


# --- the bundled examples -------------------------------------------------------------------

# (prinergy-8's ephemeral 49152-65535 flow, Workshop -> primary and -> secondary, is two more where the
# example blocks it: the ASA, Junos and PAN-OS ones)
EXAMPLES = [
    ("examples/prinergy-site/asa.cfg", "examples/prinergy-site/site.yaml", 8, 0),
    ("examples/ios-site/ios.cfg", "examples/ios-site/site.yaml", 1, 0),
    # (Junos and FortiOS each had two fixes refused: their change added a policy, then moved it before the
    # blocking one, and the editors moved only what the configuration already held)
    ("examples/fortios-site/fortigate.conf", "examples/fortios-site/site.yaml", 8, 0),
    ("examples/junos-site/srx.conf", "examples/junos-site/site.yaml", 13, 0),
    ("examples/panos-site/running-config.xml", "examples/panos-site/site.yaml", 4, 0),
]


@pytest.mark.parametrize("config,site_file,offered,refused", EXAMPLES, ids=lambda x: str(x).split("/")[1]
                         if "/" in str(x) else str(x))
def test_bundled_examples(config, site_file, offered, refused, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = (ROOT / config).read_text()
    cfg = load_config(config, text=text)
    site = load_site(site_file)
    result = audit([cfg], site, texts={config: text})
    assert (len(result.fixes.fixes), len(result.fixes.refused)) == (offered, refused), (
        [r.reason for r in result.fixes.refused])
    assert {x.flow for x in result.fixes.fixes} | {x.flow for x in result.fixes.refused} == {
        f.key for f in result.findings if f.rule_id == "PRN100" and f.status == "fail"}
    assert not result.fixes.not_combined
    for fix in result.fixes.fixes:
        resolved = [f for f in result.findings if f.fingerprint in fix.resolves]
        assert resolved and all(f.rule_id == "PRN100" and f.key == fix.flow for f in resolved)
    check_offered(cfg, text, site, result)


def test_asa_example_fix_text_and_placement(monkeypatch):
    monkeypatch.chdir(ROOT)
    text = (ROOT / "examples/prinergy-site/asa.cfg").read_text()
    result = audit([load_config("examples/prinergy-site/asa.cfg", text=text)], load_site(
        "examples/prinergy-site/site.yaml"), texts={"examples/prinergy-site/asa.cfg": text})
    smb = next(x for x in result.fixes.fixes if x.flow == "smb:workshop->primary")
    # before the deny at line 76, the ACL's second entry (its remark is the first: the ASA counts it)
    assert smb.change == ("access-list WORKSHOP_IN line 2 extended permit tcp 10.30.0.0 255.255.255.0 range 1024 "
                          "65535 host 10.20.0.10 eq 445\n")
    assert [s.line for s in smb.closes] == [76]
    # the config file's edit: the entry as the running-config shows it, before line 76
    assert smb.edits == [{"before": 76, "insert": [smb.change.strip().replace(" line 2", "")]}]
    iis = next(x for x in result.fixes.fixes if x.flow == "iis:admin->primary")
    # the implicit deny of OFFICE_IN: appended to the list
    assert iis.change == ("access-list OFFICE_IN extended permit tcp host 10.40.0.5 range 1024 65535 "
                          "host 10.20.0.10 eq 80\n")


def test_cli_fix_out_is_what_check_change_accepts(tmp_path):
    out = tmp_path / "change.txt"
    cfg, site = "examples/prinergy-site/asa.cfg", "examples/prinergy-site/site.yaml"
    code, text, err = run("audit", cfg, "--site", site, "--fix-out", str(out))
    assert code == 1 and "FIXES (8), each proven" in text and "+ access-list WORKSHOP_IN line 2 extended" in text
    change = out.read_text()
    assert change.count("access-list ") == 8 and change.startswith("access-list OFFICE_IN")
    code, text, err = run("check-change", cfg, str(out), "--site", site, "--format", "json")
    data = json.loads(text)
    assert code == 0 and data["verdict"] == "pass" and not data["newly_denied"] and not data["truncated"]
    assert {f["rule_id"] for f in data["resolved"]} == {"PRN100"} and len(data["resolved"]) == 9
    # the eight failures, and the admin -> secondary flow that the identity entry at line 94 may permit first:
    # the fix permits it after that entry, so it is permitted either way (Rule.sure_action)
    assert sorted(f["status"] for f in data["resolved"]) == ["fail"] * 8 + ["unknown"]
    assert sorted({k for c in data["newly_permitted"] for k in c["required_flows"]}) == sorted(
        ["iis:admin->primary", "iis:admin->secondary", "smb:workshop->primary", "smb:workshop->secondary",
         "orbacus:workshop->primary", "orbacus:workshop->secondary", "ephemeral:workshop->primary",
         "ephemeral:workshop->secondary"])
    # without --fix, the audit's output stays as it was (no fixes computed)
    code, text, err = run("audit", cfg, "--site", site, "--format", "json")
    assert "fixes" not in json.loads(text)


def test_fixes_in_json_sarif_and_markdown(tmp_path):
    cfg, site = "examples/prinergy-site/asa.cfg", "examples/prinergy-site/site.yaml"
    code, text, err = run("audit", cfg, "--site", site, "--fix", "--format", "json")
    data = json.loads(text)
    assert len(data["fixes"]["fixes"]) == 8 and data["fixes"]["refused"] == []
    fx = next(x for x in data["fixes"]["fixes"] if x["flow"] == "smb:workshop->secondary")
    assert fx["proven"] and fx["closes"][0]["line"] == 76 and "object-group network PRINERGY-SMB-DST" in fx["change"]
    fps = {f["fingerprint"]: f for f in data["findings"]}
    assert all(fps[p]["rule_id"] == "PRN100" for x in data["fixes"]["fixes"] for p in x["resolves"])
    code, text, err = run("audit", cfg, "--site", site, "--fix", "--format", "sarif")
    doc = json.loads(text)
    jsonschema.validate(doc, json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text()))
    with_fix = [r for r in doc["runs"][0]["results"] if r.get("fixes")]
    assert {r["ruleId"] for r in with_fix} == {"PRN100"} and len(with_fix) == 8
    rep = next(r for r in with_fix if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 76)
    change = rep["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "examples/prinergy-site/asa.cfg"
    assert change["replacements"][-1]["deletedRegion"] == {"startLine": 76, "startColumn": 1, "endLine": 76,
                                                           "endColumn": 1}
    assert "access-list WORKSHOP_IN extended permit tcp" in change["replacements"][-1]["insertedContent"]["text"]
    code, text, err = run("audit", cfg, "--site", site, "--fix", "--format", "markdown")
    assert "### Fixes (8)" in text and "```" in text and "access-list WORKSHOP_IN line 2" in text


# --- the proof refuses what a wrong hook writes -----------------------------------------------

ASA_HEAD = """\
ASA Version 9.12(4)
interface G0
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface G1
 nameif servers
 security-level 90
 ip address 10.20.0.1 255.255.255.0
interface G2
 nameif office
 security-level 40
 ip address 10.40.0.1 255.255.255.0
"""


def with_hook(monkeypatch, vendor: str, hook) -> None:
    import dataclasses

    import parsers

    v = parsers.load(vendor)
    monkeypatch.setattr(__import__(parsers.VENDORS[vendor], fromlist=["VENDOR"]), "VENDOR",
                        dataclasses.replace(v, fix=hook))


@pytest.mark.parametrize("written,reason", [
    ("access-list IN line 1 extended permit tcp any any\n", "would also permit"),
    # (the same as the list's own last entry: the ASA does not move it to line 1, check_change tests)
    ("access-list IN line 1 extended permit ip any any\n", "already has this entry"),
    ("access-list IN line 1 extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 445\n",
     "would also permit"),  # (every client port: the flow's are 1024-65535)
    ("access-list IN extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 445\n", "leaves"),
    ("access-list IN line 1 extended deny ip any host 10.20.0.11\n"
     "access-list IN line 1 extended permit tcp 10.30.0.0 255.255.255.0 range 1024 65535 host 10.20.0.10 eq 445\n",
     "also make traffic denied"),
    ("no-such-command\n", "does not apply"),
])
def test_a_wrong_change_is_not_offered(monkeypatch, written, reason):
    text = ASA_HEAD + "access-list IN extended deny tcp any any eq 445\naccess-list IN extended permit ip any any\n" \
                      "access-group IN in interface workshop\n"
    with_hook(monkeypatch, "cisco-asa", lambda config_text, req: written)
    _cfg, _site, result = fixes_of(text, "cisco-asa", ROLES[:2])
    assert not result.fixes.fixes
    assert [r.flow for r in result.fixes.refused] == ["smb:workshop->primary"]
    assert reason in result.fixes.refused[0].reason, result.fixes.refused[0].reason


def test_no_access_list_to_add_to_is_said():
    # workshop (50) to servers (90) without an access list: the security levels deny it
    text = ASA_HEAD + "access-list OUT extended permit ip any any\naccess-group OUT in interface office\n"
    _cfg, _site, result = fixes_of(text, "cisco-asa", ROLES[:2])
    assert not result.fixes.fixes and result.fixes.refused
    assert all("no access list decides here" in r.reason for r in result.fixes.refused)


def test_a_vendor_without_change_support_is_said():
    text = ("# Generated by iptables-save v1.8.7 on Mon Jan  1 00:00:00 2024\n*filter\n"
            ":INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n"
            ":OUTPUT ACCEPT [0:0]\nCOMMIT\n")
    cfg = load_config("fw.cfg", "iptables", text=text)
    site = load_site(None, ROLES[:2])
    from auditor.api import combine_inputs

    result = audit(combine_inputs([cfg], "primary", site), site, str(PACK), texts={"fw.cfg": text})
    assert result.fixes.refused and not result.fixes.fixes
    assert "no fixes for iptables configs yet" in result.fixes.refused[0].reason


# --- property tests, one per vendor with change support ------------------------------------------

SRC = ["any", "10.30.0.0 255.255.255.0", "10.30.0.0 255.255.255.128", "10.30.0.128 255.255.255.192",
       "host 10.30.0.7", "10.40.0.0 255.255.255.0"]
DST = ["any", "host 10.20.0.10", "host 10.20.0.11", "10.20.0.0 255.255.255.0"]
PORT = ["", "eq 445", "eq 80", "range 1024 9000", "range 440 450", "gt 1000", "lt 1024", "eq 37002", "eq 3389"]
ace = st.tuples(st.sampled_from(["permit", "deny"]), st.sampled_from(["tcp", "udp", "ip"]), st.sampled_from(SRC),
                st.sampled_from(DST), st.sampled_from(PORT))


def _ace_text(a, cisco_ios: bool = False) -> str:
    action, proto, src, dst, port = a
    if cisco_ios:
        src = _wildcard(src)
        dst = _wildcard(dst)
    return "%s %s %s %s%s" % (action, proto, src, dst, (" " + port) if port and proto != "ip" else "")


def _wildcard(operand: str) -> str:
    t = operand.split()
    if len(t) == 2 and t[0] != "host":
        import ipaddress

        net = ipaddress.ip_network("%s/%s" % (t[0], t[1]))
        return "%s %s" % (t[0], net.hostmask)
    return operand


@PROPERTY
@given(st.lists(ace, min_size=1, max_size=5), st.lists(ace, max_size=3), st.booleans())
def test_asa_property(inbound, outbound, with_out):
    text = ASA_HEAD + "".join("access-list IN extended %s\n" % _ace_text(a) for a in inbound)
    text += "access-group IN in interface workshop\n"
    if with_out and outbound:
        text += "".join("access-list OUT extended %s\n" % _ace_text(a) for a in outbound)
        text += "access-group OUT out interface servers\n"
    cfg, site, result = fixes_of(text, "cisco-asa")
    check_offered(cfg, text, site, result)
    # an ASA with access lists on the path: every blocked flow gets a fix
    assert {x.flow for x in result.fixes.fixes} == blocked(result), [r.reason for r in result.fixes.refused]


IOS_HEAD = """\
hostname r1
interface GigabitEthernet0/0
 ip address 10.30.0.1 255.255.255.0
 ip access-group WS-IN in
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/2
 ip address 10.40.0.1 255.255.255.0
"""


@PROPERTY
@given(st.lists(ace, min_size=1, max_size=5), st.lists(ace, max_size=3), st.booleans(), st.booleans())
def test_ios_property(inbound, back, with_back, numbered):
    """IOS ACLs are stateless: a list on the servers' interface can drop the replies too."""
    text = IOS_HEAD
    if with_back and back:
        text = text.replace(" ip address 10.20.0.1 255.255.255.0\n",
                            " ip address 10.20.0.1 255.255.255.0\n ip access-group SRV-IN in\n")
    body = "ip access-list extended WS-IN\n"
    body += "".join(" %d %s\n" % (10 * (k + 1), _ace_text(a, True)) if numbered else " %s\n" % _ace_text(a, True)
                    for k, a in enumerate(inbound))
    if with_back and back:
        body += "ip access-list extended SRV-IN\n" + "".join(" %s\n" % _ace_text(a, True) for a in back)
    text += body
    cfg, site, result = fixes_of(text, "cisco-ios")
    check_offered(cfg, text, site, result)
    assert {x.flow for x in result.fixes.fixes} == blocked(result), [r.reason for r in result.fixes.refused]


JUNOS_HEAD = """\
set interfaces ge-0/0/1 unit 0 family inet address 10.30.0.1/24
set interfaces ge-0/0/2 unit 0 family inet address 10.20.0.1/24
set interfaces ge-0/0/3 unit 0 family inet address 10.40.0.1/24
set security zones security-zone workshop interfaces ge-0/0/1.0
set security zones security-zone servers interfaces ge-0/0/2.0
set security zones security-zone office interfaces ge-0/0/3.0
set security address-book global address WS 10.30.0.0/24
set security address-book global address WS-HALF 10.30.0.0/25
set security address-book global address PRIMARY 10.20.0.10/32
set security address-book global address SECONDARY 10.20.0.11/32
set security address-book global address SERVERS 10.20.0.0/24
set applications application A445 protocol tcp destination-port 445
set applications application A80 protocol tcp destination-port 80
set applications application ADAEMONS protocol tcp destination-port 1024-9000
set applications application ALOC protocol udp destination-port 37002
"""
JSRC = ["any", "WS", "WS-HALF"]
JDST = ["any", "PRIMARY", "SECONDARY", "SERVERS"]
JAPP = ["any", "A445", "A80", "ADAEMONS", "ALOC", "junos-ssh"]
policy = st.tuples(st.sampled_from(["permit", "deny"]), st.sampled_from(JSRC), st.sampled_from(JDST),
                   st.sampled_from(JAPP))


@PROPERTY
@given(st.lists(policy, min_size=1, max_size=5), st.sampled_from(["deny-all", "permit-all"]))
def test_junos_property(policies, default):
    text = JUNOS_HEAD
    for k, (action, src, dst, app) in enumerate(policies):
        head = "set security policies from-zone workshop to-zone servers policy p%d " % k
        text += head + "match source-address %s\n" % src + head + "match destination-address %s\n" % dst
        text += head + "match application %s\n" % app + head + "then %s\n" % action
    text += "set security policies default-policy %s\n" % default
    cfg, site, result = fixes_of(text, "junos")
    check_offered(cfg, text, site, result)
    assert {x.flow for x in result.fixes.fixes} == blocked(result), [r.reason for r in result.fixes.refused]


FORTI_HEAD = """\
config system interface
    edit "workshop"
        set ip 10.30.0.1 255.255.255.0
    next
    edit "servers"
        set ip 10.20.0.1 255.255.255.0
    next
    edit "office"
        set ip 10.40.0.1 255.255.255.0
    next
end
config firewall address
    edit "WS"
        set subnet 10.30.0.0 255.255.255.0
    next
    edit "WS-HALF"
        set subnet 10.30.0.0 255.255.255.128
    next
    edit "PRIMARY"
        set subnet 10.20.0.10 255.255.255.255
    next
    edit "SERVERS"
        set subnet 10.20.0.0 255.255.255.0
    next
end
config firewall service custom
    edit "S445"
        set tcp-portrange 445
    next
    edit "SDAEMONS"
        set tcp-portrange 1024-9000
    next
    edit "SLOC"
        set udp-portrange 37002
    next
end
"""
FSRC = ['"all"', '"WS"', '"WS-HALF"']
FDST = ['"all"', '"PRIMARY"', '"SERVERS"']
FSVC = ['"ALL"', '"S445"', '"SDAEMONS"', '"SLOC"', '"HTTP"']
fpolicy = st.tuples(st.sampled_from(["accept", "deny"]), st.sampled_from(FSRC), st.sampled_from(FDST),
                    st.sampled_from(FSVC))


@PROPERTY
@given(st.lists(fpolicy, max_size=4))
def test_fortios_property(policies):
    text = FORTI_HEAD + "config firewall policy\n"
    for k, (action, src, dst, svc) in enumerate(policies, 1):
        text += textwrap.indent(textwrap.dedent("""\
            edit %d
                set srcintf "workshop"
                set dstintf "servers"
                set srcaddr %s
                set dstaddr %s
                set action %s
                set schedule "always"
                set service %s
            next
            """ % (k, src, dst, action, svc)), "    ")
    text += "end\n"
    cfg, site, result = fixes_of(text, "fortios")
    check_offered(cfg, text, site, result)
    # FortiOS's change requests cannot move a policy they create (parsers/fortios/change.py), so a
    # flow a deny policy blocks gets no fix; one only the implicit deny blocks always does
    for r in result.fixes.refused:
        assert "move" in r.reason, r.reason
    prn100 = [f for f in result.findings if f.rule_id == "PRN100" and f.status == "fail"]
    by_policy = {f.key for f in prn100 if "implicit deny" not in f.message}
    by_default = {f.key for f in prn100} - by_policy
    assert by_default <= {x.flow for x in result.fixes.fixes}


PANOS_HEAD = """\
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 10.40.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ]
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set zone office network layer3 ethernet1/3
set service S445 protocol tcp port 445
set service SDAEMONS protocol tcp port 1024-9000
set service SLOC protocol udp port 37002
"""
PSRC = ["any", "10.30.0.0/24", "10.30.0.0/25", "10.30.0.7"]
PDST = ["any", "10.20.0.10", "10.20.0.11", "10.20.0.0/24"]
PSVC = ["any", "S445", "SDAEMONS", "SLOC", "service-http"]
prule = st.tuples(st.sampled_from(["allow", "deny"]), st.sampled_from(PSRC), st.sampled_from(PDST),
                  st.sampled_from(PSVC))


@PROPERTY
@given(st.lists(prule, max_size=5))
def test_panos_property(rules):
    text = PANOS_HEAD
    for k, (action, src, dst, svc) in enumerate(rules):
        head = "set rulebase security rules r%d " % k
        text += "".join(head + x + "\n" for x in ("from workshop", "to servers", "source %s" % src,
                                                  "destination %s" % dst, "application any", "service %s" % svc,
                                                  "action %s" % action))
    cfg, site, result = fixes_of(text, "paloalto-panos")
    check_offered(cfg, text, site, result)
    assert {x.flow for x in result.fixes.fixes} == blocked(result), [r.reason for r in result.fixes.refused]


def test_a_fix_that_only_lets_replies_through_has_no_example_and_says_so():
    """The IOS example with its servers' interface header overwritten (found by fuzzing --fix): the
    Workshop's IIS connections are permitted, their replies are not; the fix adds the 'established'
    reply line only, so it opens no connection and has no example packet (a traceback before)."""
    from auditor.policy import load_site
    from auditor.report import render
    from parsers import parse_text

    path = str(ROOT / "examples" / "ios-site" / "ios.cfg")
    lines = Path(path).read_text().splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("username "))
    to = next(k for k, line in enumerate(lines) if line.strip() == "description Prinergy servers")
    lines[at], lines[to] = lines[to], lines[at]
    text = "\n".join(lines) + "\n"
    result = audit([parse_text(text, path)], load_site(str(ROOT / "examples" / "ios-site" / "site.yaml"), []),
                   texts={path: text})
    replies = [x for x in result.fixes.fixes if not x.opens]
    assert replies and all("established" in x.change for x in replies)
    got = json.loads(render("json", result))["fixes"]["fixes"]
    assert [f["example"] for f in got if not f["opens"]] == [None] * len(replies)
    for fmt in ("text", "markdown"):
        assert "no new connection: it lets the flow's replies through" in render(fmt, result)


def test_junos_inet6_filter_term_matches_next_header():
    """A term for an IPv6 filter names the protocol with 'next-header': 'family inet6' has no
    'protocol' match condition (Juniper, "Firewall Filter Match Conditions for IPv6 Traffic",
    https://juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-match-conditions-for-ipv6-traffic.html:
    "we recommend that you also configure the next-header udp or next-header tcp match condition").
    The fix wrote 'from protocol tcp', which the device refuses."""
    text = textwrap.dedent("""\
        set interfaces ge-0/0/1 unit 0 family inet6 address 2001:db8:30::1/64
        set interfaces ge-0/0/2 unit 0 family inet6 address 2001:db8:20::1/64
        set interfaces ge-0/0/1 unit 0 family inet6 filter input WS-IN
        set firewall family inet6 filter WS-IN term no-smb from next-header tcp
        set firewall family inet6 filter WS-IN term no-smb from destination-port 445
        set firewall family inet6 filter WS-IN term no-smb then discard
        set firewall family inet6 filter WS-IN term rest then accept
        """)
    cfg, site, result = fixes_of(text, "junos", ["workshop=2001:db8:30::/64", "primary=2001:db8:20::10"])
    assert [x.flow for x in result.fixes.fixes] == ["smb:workshop->primary"], result.fixes.refused
    change = result.fixes.fixes[0].change
    assert "set firewall family inet6 filter WS-IN term prinergy-smb from next-header tcp\n" in change
    assert " from protocol " not in change
    check_offered(cfg, text, site, result)


def test_junos_fix_keeps_to_zone_address_books():
    """Zone address books and the global address book cannot be in one configuration: the commit
    fails with "Zone specific address books are not allowed when there are global address books
    defined" (Juniper, Junos Space Security Director, "NAT Global Address Book Overview": "If a global
    address book is defined, you cannot create zone-based address books";
    https://juniper.net/documentation/us/en/software/nm-apps23.1/junos-space-security-director/topics/concept/junos-space-nat-global-address-book-overview.html).
    The Workshop's zone has a book, the servers' has none: the fix wrote the server's address into
    the global book, a change the device refuses.  It goes into the servers' zone book."""
    text = textwrap.dedent("""\
        set interfaces ge-0/0/1 unit 0 family inet address 10.30.0.1/24
        set interfaces ge-0/0/2 unit 0 family inet address 10.20.0.1/24
        set security zones security-zone workshop interfaces ge-0/0/1.0
        set security zones security-zone servers interfaces ge-0/0/2.0
        set security zones security-zone workshop address-book address WS 10.30.0.0/24
        set security policies from-zone workshop to-zone servers policy web match source-address WS
        set security policies from-zone workshop to-zone servers policy web match destination-address any
        set security policies from-zone workshop to-zone servers policy web match application junos-http
        set security policies from-zone workshop to-zone servers policy web then permit
        """)
    cfg, site, result = fixes_of(text, "junos", ROLES[:2])
    assert "smb:workshop->primary" in {x.flow for x in result.fixes.fixes}, result.fixes.refused
    for fix in result.fixes.fixes:
        assert "security address-book global" not in fix.change, fix.change
    smb = next(x for x in result.fixes.fixes if x.flow == "smb:workshop->primary")
    assert "set security zones security-zone servers address-book address prinergy-smb-dst 10.20.0.10/32\n" \
        in smb.change
    check_offered(cfg, text, site, result)


def test_junos_global_policy_fix_refused_beside_zone_address_books():
    """A global policy's addresses come from the global address book, which a configuration with
    zone address books cannot have (the document above): no fix is written, and that is said."""
    text = textwrap.dedent("""\
        set interfaces ge-0/0/1 unit 0 family inet address 10.30.0.1/24
        set interfaces ge-0/0/2 unit 0 family inet address 10.20.0.1/24
        set security zones security-zone workshop interfaces ge-0/0/1.0
        set security zones security-zone servers interfaces ge-0/0/2.0
        set security zones security-zone workshop address-book address WS 10.30.0.0/24
        set security policies global policy g-deny match source-address any
        set security policies global policy g-deny match destination-address any
        set security policies global policy g-deny match application junos-smb-session
        set security policies global policy g-deny then deny
        set security policies default-policy permit-all
        """)
    _cfg, _site, result = fixes_of(text, "junos", ROLES[:2])
    assert not result.fixes.fixes
    assert [r.flow for r in result.fixes.refused] == ["smb:workshop->primary"]
    assert "zone address books" in result.fixes.refused[0].reason


def test_panos_fix_moves_before_a_rule_whose_name_has_spaces():
    """A rule name with spaces is quoted in set commands (PAN-OS CLI: 'set rulebase security rules
    "block smb" ...'; 'move rulebase security rules NAME before OTHER', PAN-OS Administrator's
    Guide, "Security Policy Rule Order").  The fix read the denying rule's name as 'block' and wrote
    'move ... before block', which names no rule: every fix was refused."""
    text = PANOS_HEAD + "".join('set rulebase security rules "block smb" %s\n' % x for x in (
        "from workshop", "to any", "source any", "destination any", "application any", "service S445",
        "action deny"))
    cfg, site, result = fixes_of(text, "paloalto-panos", ROLES[:2])
    assert not result.fixes.refused, [r.reason for r in result.fixes.refused]
    smb = next(x for x in result.fixes.fixes if x.flow == "smb:workshop->primary")
    assert smb.change.endswith('move rulebase security rules prinergy-smb before "block smb"\n')
    check_offered(cfg, text, site, result)


FORTI_VDOMS = textwrap.dedent("""\
    config vdom
    edit root
    next
    edit cust
    next
    end
    config vdom
    edit cust
    config system interface
        edit "workshop"
            set ip 10.30.0.1 255.255.255.0
        next
        edit "servers"
            set ip 10.20.0.1 255.255.255.0
        next
    end
    config firewall policy
        edit 1
            set srcintf "workshop"
            set dstintf "servers"
            set srcaddr "all"
            set dstaddr "all"
            set action accept
            set schedule "always"
            set service "HTTP"
        next
    end
    next
    end
    """)


def test_fortios_fix_for_a_vdom_is_proven_on_that_vdom():
    """A FortiOS configuration with VDOMs: each VDOM is its own device (Fortinet, "FortiOS
    Administration Guide: Virtual Domains"), audited with --vdom.  The fix is written inside
    'config vdom' / 'edit cust', but its proof read the changed copy as the default VDOM (root), so
    every fix was refused as "would also make traffic denied" (cust's own policy gone)."""
    text = FORTI_VDOMS
    cfg = load_config("fw.cfg", "fortios", text=text, part="cust")
    site = load_site(None, ROLES[:2])
    result = audit([cfg], site, str(PACK), texts={"fw.cfg": text}, part="cust")
    assert not result.fixes.refused, [r.reason for r in result.fixes.refused]
    assert {x.flow for x in result.fixes.fixes} == blocked(result) and result.fixes.fixes
    from parsers.fortios import parse_vdom

    for fix in result.fixes.fixes:
        assert fix.change.startswith("config vdom\n    edit cust\n"), fix.change
        new = parse_vdom(apply_change("fortios", text, "fw.cfg", fix.change, "fix.txt")[0], "fw.cfg", "cust")
        flow = next(f for f in result.required if f.key == fix.flow)
        assert not [o for o in connection(new, as_sent(new, flow.packets)) if o.kind == DENY]


def test_cli_fix_with_vdom(tmp_path):
    """The same through the CLI: 'audit --vdom cust --fix' offers the fixes (all were refused)."""
    cfg = tmp_path / "fw.conf"
    cfg.write_text(FORTI_VDOMS)
    code, out, err = run("audit", str(cfg), "--vdom", "cust", "--role", ROLES[0], "--role", ROLES[1],
                         "--policy", str(PACK), "--fix", "--format", "json", "--no-config")
    got = json.loads(out)["fixes"]
    assert not got["refused"] and len(got["fixes"]) == 3, (got["refused"], err)

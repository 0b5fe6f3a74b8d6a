"""diff: findings introduced/resolved/unchanged by fingerprint, and traffic newly permitted/denied, exactly."""

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT
from test_formats import cli

from auditor.api import load_config
from auditor.core.packets import ALL, PacketSet, format_packet
from auditor.diff import decision, diff_configs, traffic_changes
from auditor.engine import evaluate
from auditor.policy import load_site

BEFORE = "examples/change/before.cfg"
AFTER = "examples/change/after.cfg"
SITE = "examples/change/site.yaml"
ASA = ("--vendor", "cisco-asa")
# the Prinergy-requirement rule families; the ACL-anomaly rules (ACL2xx) evolve on their own
FAMILIES = ("PRN", "CFG", "WVR")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def example():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return diff_configs(load_config(BEFORE, "cisco-asa"), load_config(AFTER, "cisco-asa"), load_site(SITE))
    finally:
        os.chdir(cwd)


def keyed(findings) -> set:
    return {(f.rule_id, f.key, f.source.line) for f in findings if f.rule_id.startswith(FAMILIES)}


def test_example_findings_introduced_and_resolved_exactly(example):
    assert keyed(example.introduced) == {("PRN150", "exposed", 89), ("PRN160", "afp", 89),
                                         ("PRN170", "least-privilege", 89)}
    assert keyed(example.resolved) == {
        ("PRN130", "object", 57),
        ("PRN100", "smb:workshop->primary", 76), ("PRN100", "smb:workshop->secondary", 76),
        ("PRN100", "orbacus:workshop->primary", 87), ("PRN100", "orbacus:workshop->secondary", 87),
        ("PRN120", "policy-map global_policy class PRINERGY-WS", 148),
    }
    # unchanged findings moved lines (two lines went away above them) but kept their fingerprints
    assert keyed(example.unchanged) == {
        ("PRN160", "afp", 79), ("PRN150", "exposed", 87), ("PRN150", "exposed", 91),
        ("PRN100", "iis:admin->primary", 91), ("PRN100", "iis:admin->secondary", 91),
        ("PRN120", "timeout conn", 112),
        ("PRN100", "ephemeral:workshop->primary", 86), ("PRN100", "ephemeral:workshop->secondary", 86),
    } | {("PRN170", "least-privilege", n) for n in (75, 77, 79, 84, 85, 87, 90, 91)}
    assert all(example.fingerprint(f) == f.fingerprint for f in example.unchanged)


def flows_of(changes) -> set:
    return {(c.example, c.old.source.line if c.old.source else None, c.new.source.line if c.new.source else None,
             decision(c.old), decision(c.new), c.flows) for c in changes}


def test_example_traffic_newly_permitted_and_denied_exactly(example):
    from auditor.api import make_packet

    def pkt(src, dst, dport, proto="tcp"):
        return make_packet(src, dst, proto, None, dport)

    smb = ("smb:workshop->primary", "smb:workshop->secondary")
    orb = ("orbacus:workshop->primary", "orbacus:workshop->secondary")
    assert flows_of(example.newly_permitted) == {
        (pkt("10.30.0.2", "10.20.0.10", 445), 76, 75, "deny", "permit", smb),
        (pkt("10.30.0.2", "10.20.0.10", 49100), 87, 76, "deny", "permit", orb),
        # (from outside, only the primary's mapped address is newly reachable, 203.0.113.10 (its object static NAT):
        # the servers' real addresses stay dropped, now by the ASA's NAT reverse-path check (their replies match the
        # static NAT or the section 3 PAT, the first packet no rule: %ASA-5-305013; sources in tests/test_s28_rpf.py))
        (pkt("1.0.0.1", "203.0.113.10", 1024), 89, 89, "deny", "permit", ()),
    }
    assert flows_of(example.newly_denied) == {
        (pkt("10.30.0.2", "169.254.20.12", 80), 77, 86, "permit", "deny", ()),
        (pkt("10.30.0.2", "169.254.20.12", 37002, "udp"), 78, 86, "permit", "deny", ()),
        (pkt("10.30.0.128", "169.254.20.12", 548), 80, 86, "permit", "deny", ()),
        (pkt("10.40.0.5", "169.254.20.12", 37000), 90, 91, "permit", "deny", ()),
    }
    assert example.newly_unknown == [] and example.blocked_flows == []
    assert example.verdict == "fail" and example.reasons[0].endswith("at or above error")
    # the newly permitted outside traffic is the broad OUTSIDE_IN line, decided before by the implicit deny
    outside = [c for c in example.newly_permitted if not c.flows][0]
    assert outside.old.rule is None and "implicit deny" in outside.old.reason
    assert outside.new.rule.source.text == "access-list OUTSIDE_IN extended permit ip any object-group PRINERGY-SERVERS"


def test_pieces_are_exactly_the_set_difference(example):
    old, new = example.old.configs[0], example.new.configs[0]

    def permitted(cfg):
        return PacketSet([c for o in evaluate(cfg, ALL) if o.allowed for c in o.packets.cubes])

    p_old, p_new = permitted(old), permitted(new)
    got = traffic_changes(old, new)
    gained = PacketSet([c for ch in got["permitted"] for c in ch.packets.cubes])
    lost = PacketSet([c for ch in got["denied"] for c in ch.packets.cubes])
    assert gained.issubset(p_new) and not gained.overlaps(p_old)
    assert p_new.subtract(p_old).issubset(gained)
    assert lost.issubset(p_old) and not lost.overlaps(p_new)
    assert p_old.subtract(p_new).issubset(lost)
    for ch in got["permitted"] + got["denied"]:
        assert ch.packets.contains(ch.example)
        assert ch.old.packets.contains(ch.example) and ch.new.packets.contains(ch.example)


def test_json_contract(example):
    data = json.loads(json.dumps(example.to_json()))
    assert data["schema_version"] == 1 and data["verdict"] == "fail"
    for k in ("introduced", "resolved", "unchanged", "newly_permitted", "newly_denied"):
        assert isinstance(data[k], list)
    p = data["newly_permitted"][0]
    for k in ("example", "example_text", "old_line", "old_rule", "new_line", "new_rule", "required_flows"):
        assert k in p
    assert p["example"] == {"src": "10.30.0.2", "dst": "10.20.0.10", "proto": "tcp", "sport": 49152, "dport": 445}
    assert p["old_rule"] == "access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log"
    outside = [c for c in data["newly_permitted"] if not c["required_flows"]][0]
    assert outside["old_rule"] is None and outside["old_reason"].startswith("implicit deny")
    # findings are matched and reported with fingerprints relative to the new file name
    assert {f["fingerprint"] for f in data["unchanged"]} <= {f.fingerprint for f in example.new.findings}


def test_cli_diff_exit_codes(tmp_path):
    code, out, err = cli("diff", BEFORE, AFTER, "--site", SITE, *ASA, "--format", "json")
    assert code == 1 and json.loads(out)["verdict"] == "fail"
    code, out, err = cli("diff", BEFORE, BEFORE, "--site", SITE, *ASA)
    assert code == 0 and "diff verdict: PASS  (0 introduced, 0 resolved" in out
    code, out, err = cli("diff", BEFORE, "--site", SITE, *ASA)
    assert code == 2 and "OLD and NEW" in err


def test_unrelated_lines_above_change_nothing(tmp_path):
    moved = tmp_path / "before.cfg"
    moved.write_text(open(BEFORE).read().replace("names\n", "names\n!\n! change window 42\n!\n", 1))
    code, out, err = cli("diff", BEFORE, str(moved), "--site", SITE, *ASA, "--format", "json")
    data = json.loads(out)
    assert code == 0, data["verdict_reasons"]
    assert data["introduced"] == data["resolved"] == data["newly_permitted"] == data["newly_denied"] == []
    assert data["unchanged"]


def test_newly_blocking_a_required_flow_fails_even_if_its_finding_is_waived(tmp_path):
    new = tmp_path / "asa.cfg"
    new.write_text(open(BEFORE).read().replace(" port-object eq 18804\n", "", 1))
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- rule_id: PRN100\n  text: access-list WORKSHOP_IN extended deny ip any any log\n"
                       "  justification: tracked in CR-1\n  expires: 2999-01-01\n")
    code, out, err = cli("diff", BEFORE, str(new), "--site", SITE, *ASA, "--format", "json",
                         "--waivers", str(waivers))
    data = json.loads(out)
    assert code == 1
    assert data["required_flows_newly_blocked"] == ["rba:workshop->primary"]
    assert any("newly blocks required flow(s): rba:workshop->primary" in r for r in data["verdict_reasons"])
    rba = [f for f in data["introduced"] if f.get("key") == "rba:workshop->primary"]
    assert rba and rba[0]["waived"] is True
    denied = [c for c in data["newly_denied"] if c["required_flows"]]
    assert denied[0]["example_text"] == "tcp 10.30.0.2:49152 -> 10.20.0.10:18804"
    assert denied[0]["new_rule"] == "access-list WORKSHOP_IN extended deny ip any any log"


def test_a_line_not_understood_makes_the_diff_unknown(tmp_path):
    new = tmp_path / "asa.cfg"
    new.write_text(open(BEFORE).read().replace(
        "access-list WORKSHOP_IN extended permit udp",
        "access-list WORKSHOP_IN extended permit tcp any any eq nosuchport\n"
        "access-list WORKSHOP_IN extended permit udp", 1))
    d = diff_configs(load_config(BEFORE, "cisco-asa"), load_config(str(new), "cisco-asa"), load_site(SITE))
    unsure = {k for c in d.newly_unknown for k in c.flows}
    assert unsure >= {"plocator:workshop->primary", "flm-udp:workshop->license_server"}
    assert d.verdict == "unknown"
    assert any(r.startswith("cannot tell what the change does to required flow(s): ") for r in d.reasons)
    assert ("CFG300", "WORKSHOP_IN") in {(f.rule_id, f.key) for f in d.introduced}


def test_cap_and_truncation(example):
    d = diff_configs(example.old.configs[0], example.new.configs[0], load_site(SITE), limit=1)
    assert len(d.newly_permitted) == 1 and d.truncated == {"newly_permitted": 2, "newly_denied": 3}
    # the capped list keeps the changes that touch required flows first
    assert d.newly_permitted[0].flows


def test_fail_on_applies_to_introduced_findings():
    code, out, err = cli("diff", BEFORE, AFTER, "--site", SITE, *ASA, "--format", "json", "--fail-on", "info")
    data = json.loads(out)
    assert code == 1 and any("at or above info" in r for r in data["verdict_reasons"])


def _git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    p = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env)
    assert p.returncode == 0, p.stderr.decode(errors="replace")


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_base_ref_takes_old_from_git(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "fw").mkdir(parents=True)
    shutil.copy(ROOT / BEFORE, repo / "fw" / "asa.cfg")
    shutil.copy(ROOT / SITE, repo / "site.yaml")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    shutil.copy(ROOT / AFTER, repo / "fw" / "asa.cfg")
    monkeypatch.chdir(repo)
    code, out, err = cli("diff", "fw/asa.cfg", "--base-ref", "main", "--site", "site.yaml", *ASA, "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert data["old"]["path"] == "fw/asa.cfg@main" and data["new"]["path"] == "fw/asa.cfg"
    direct = json.loads(cli("diff", str(ROOT / BEFORE), "fw/asa.cfg", "--site", "site.yaml", *ASA,
                            "--format", "json")[1])
    for k in ("introduced", "resolved", "unchanged"):
        assert sorted(f["fingerprint"] for f in data[k]) == sorted(f["fingerprint"] for f in direct[k]), k
    for k in ("newly_permitted", "newly_denied"):
        assert [c["example_text"] for c in data[k]] == [c["example_text"] for c in direct[k]]
    code, out, err = cli("diff", "fw/asa.cfg", "--base-ref", "no-such-ref", "--site", "site.yaml", *ASA)
    assert code == 2 and "--base-ref no-such-ref: cannot read fw/asa.cfg from git" in err
    code, out, err = cli("diff", "fw/asa.cfg", "fw/asa.cfg", "--base-ref", "main")
    assert code == 2 and "only NEW" in err


def test_newly_permitted_traffic_no_flow_needs_is_shown_to_a_server(tmp_path):
    # (the office network newly reaches the whole servers' subnet on a port no required flow uses: the example is
    # a packet to one of the site's servers, not to the lowest host address of the subnet)
    new = tmp_path / "asa.cfg"
    new.write_text(open(BEFORE).read().replace(
        "access-group OFFICE_IN in interface office",
        "access-list OFFICE_IN line 1 extended permit tcp any 10.20.0.0 255.255.255.0 eq 2222\n"
        "access-group OFFICE_IN in interface office", 1))
    d = diff_configs(load_config(BEFORE, "cisco-asa"), load_config(str(new), "cisco-asa"), load_site(SITE))
    [c] = [c for c in d.newly_permitted if c.example is not None and c.example[4] == 2222]
    assert not c.flows
    assert format_packet(c.example) == "tcp 10.40.0.2:49152 -> 10.20.0.10:2222"


def test_a_line_not_understood_before_and_after_leaves_the_change_undecided(tmp_path):
    # (an unknown top-level command could change any verdict: whatever else the change does, what it does to the
    # traffic is that of the modelled lines alone, so the gate cannot pass it; a finding unchanged is no excuse)
    old, new = tmp_path / "old.cfg", tmp_path / "new.cfg"
    text = open(BEFORE).read() + "frobnicate all the things\n"
    old.write_text(text)
    new.write_text(text.replace("access-group OFFICE_IN in interface office",
                                "access-list OFFICE_IN remark reviewed\naccess-group OFFICE_IN in interface office", 1))
    d = diff_configs(load_config(str(old), "cisco-asa"), load_config(str(new), "cisco-asa"), load_site(SITE))
    assert not d.introduced and d.verdict == "unknown"
    assert any("could change any verdict" in r for r in d.reasons)
    clean = diff_configs(load_config(BEFORE, "cisco-asa"), load_config(BEFORE, "cisco-asa"), load_site(SITE))
    assert clean.verdict == "pass"


def test_traffic_permitted_by_both_but_translated_otherwise_is_a_change(tmp_path):
    # Moving a published address (destination NAT) leaves every packet permitted as before, but the
    # packets to the new public address now reach the server and those to the old one no longer do
    # (PAN-OS applies destination NAT before forwarding, the security rule matching the pre-NAT
    # address and post-NAT zone: "NAT Policy Rules" / "Destination NAT", PAN-OS Administrator's Guide).
    # A gate comparing permit/deny only reported "no change"; the change lists both pieces, with
    # where each arrives.
    change = tmp_path / "move.txt"
    change.write_text("set vsys vsys1 address PUB-PRIMARY ip-netmask 203.0.113.11/32\n")
    code, out, _err = cli("check-change", "examples/panos-site/running-config.xml", str(change),
                          "--site", "examples/panos-site/site.yaml", "--format", "json")
    data = json.loads(out)
    moved = {(c["example"]["dst"], c.get("old_delivered_as"), c.get("new_delivered_as"))
             for c in data["newly_permitted"] if c["example"]["dport"] == 3389}
    assert ("203.0.113.11", None, "tcp 1.0.0.1:49152 -> 10.20.0.10:3389") in moved
    assert ("203.0.113.10", "tcp 1.0.0.1:49152 -> 10.20.0.10:3389", None) in moved


def test_a_change_lists_only_packets_that_are_sent():
    # A packet goes from an IPv4 address to an IPv4 address, or IPv6 to IPv6 (RFC 791, RFC 8200: one
    # header, one family); rules written over "any" cover the mixed pairs too, and deleting a line of
    # pfSense's default config listed 'udp [::1]:67 -> 192.168.1.1:68' as newly denied.
    from auditor.core.packets import ALL_V4

    path = ROOT / "tests/fixtures/corpus/pfsense/pfsense-default-config.xml"
    text = path.read_text()
    lines = text.split("\n")
    old = load_config(str(path))
    for at in (59, 60, 61):
        new = load_config(str(path), text="\n".join(lines[:at] + lines[at + 1:]))
        for changes in traffic_changes(old, new).values():
            for ch in changes:
                for c in ch.packets.cubes:
                    src, dst = c.dims[0], c.dims[1]
                    assert src.issubset(ALL_V4) == dst.issubset(ALL_V4), format_packet(ch.example)
                    assert src.overlaps(ALL_V4) == dst.overlaps(ALL_V4)

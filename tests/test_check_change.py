"""check-change: ASA change requests applied as text, and the same answer as diff on the result."""

import json

import pytest
from conftest import EXAMPLES
from test_formats import cli

from auditor.api import load_config
from auditor.diff import apply_change as apply_generic
from auditor.diff import diff_configs
from auditor.policy import load_site
from parsers import InputError
from parsers.cisco_asa import parse
from parsers.cisco_asa.change import apply_change

CHANGE_DIR = EXAMPLES / "change"
BEFORE = str(CHANGE_DIR / "before.cfg")
AFTER = str(CHANGE_DIR / "after.cfg")
CHANGE = str(CHANGE_DIR / "change.txt")
SITE = str(CHANGE_DIR / "site.yaml")

BASE = """\
ASA Version 9.12(4)
hostname fw
interface GigabitEthernet1/1
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.255.0
object-group network SERVERS
 network-object host 10.2.0.10
 network-object host 10.2.0.11
object network WEB
 host 10.2.0.20
access-list IN remark first
access-list IN extended permit tcp any object-group SERVERS eq 445
access-list IN extended deny ip any any
access-list OUT extended permit tcp any any eq https
access-group IN in interface inside
timeout xlate 3:00:00
timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00
class-map WS
 match access-list IN
policy-map global_policy
 class inspection_default
  inspect ftp
 class WS
  set connection timeout idle 2:00:00 reset
 class class-default
  user-statistics accounting
service-policy global_policy global
: end
"""


def apply(change: str, origins=None) -> list[str]:
    return apply_change(BASE, change, "cr.txt", origins=origins).splitlines()


def acl(lines: list[str], name: str) -> list[str]:
    return [x for x in lines if x.startswith("access-list %s " % name)]


def test_insert_at_line_counts_remarks_like_the_device():
    out = apply("access-list IN line 2 extended permit udp any any eq 53\n")
    assert acl(out, "IN") == [
        "access-list IN remark first",
        "access-list IN extended permit udp any any eq 53",
        "access-list IN extended permit tcp any object-group SERVERS eq 445",
        "access-list IN extended deny ip any any",
    ]


def test_append_and_new_acl_placed_after_the_last_access_list():
    out = apply("access-list IN extended permit icmp any any\naccess-list NEW extended permit ip any any\n")
    assert acl(out, "IN")[-1] == "access-list IN extended permit icmp any any"
    k = out.index("access-list NEW extended permit ip any any")
    assert out[k - 1].startswith("access-list OUT ") and out[k + 1].startswith("access-group")


def test_line_one_past_the_end_appends_and_beyond_is_an_error():
    assert acl(apply("access-list OUT line 2 extended deny ip any any\n"), "OUT")[-1].endswith("deny ip any any")
    with pytest.raises(InputError, match=r"^cr.txt:1: .*beyond its end"):
        apply("access-list OUT line 5 extended deny ip any any\n")


def test_remove_entry_and_remark():
    out = apply("no access-list IN extended permit tcp any  object-group SERVERS eq 445\n"
                "no access-list IN remark first\n")
    assert acl(out, "IN") == ["access-list IN extended deny ip any any"]


def test_remove_with_line_must_match_that_line():
    out = apply("no access-list IN line 3 extended deny ip any any\n")
    assert acl(out, "IN")[-1].endswith("eq 445")
    with pytest.raises(InputError, match="line 2 of access-list IN is not this entry"):
        apply("no access-list IN line 2 extended deny ip any any\n")


def test_remove_missing_entry_names_change_file_and_line():
    with pytest.raises(InputError) as e:
        apply("! comment\n\nno access-list IN extended permit ip any any\n")
    assert str(e.value).startswith("cr.txt:3: cannot apply 'no access-list IN extended permit ip any any'")
    assert "no such entry" in str(e.value)


def test_object_group_add_remove_members_and_description():
    out = apply("object-group network SERVERS\n description the servers\n network-object host 10.2.0.12\n"
                " no network-object host 10.2.0.10\n network-object host 10.2.0.11\n")
    k = out.index("object-group network SERVERS")
    assert out[k + 1:k + 4] == [" description the servers", " network-object host 10.2.0.11",
                                " network-object host 10.2.0.12"]
    assert out[k + 4] == "object network WEB"


def test_new_object_group_after_the_last_object_and_object_replace():
    out = apply("object-group network NEW\n network-object 10.9.0.0 255.255.0.0\nobject network WEB\n"
                " subnet 10.2.0.0 255.255.255.0\n")
    k = out.index("object network WEB")
    assert out[k + 1] == " subnet 10.2.0.0 255.255.255.0"
    assert out[k + 2:k + 4] == ["object-group network NEW", " network-object 10.9.0.0 255.255.0.0"]


def test_delete_object_group_only_when_unused():
    with pytest.raises(InputError, match="SERVERS is still used by 'access-list IN extended permit tcp any"):
        apply("no object-group network SERVERS\n")
    out = apply("no access-list IN extended permit tcp any object-group SERVERS eq 445\n"
                "no object-group network SERVERS\n")
    assert not [x for x in out if "SERVERS" in x]


def test_object_kind_mismatch_and_missing_member_are_errors():
    with pytest.raises(InputError, match="already defined"):
        apply("object-group service SERVERS tcp\n port-object eq 80\n")
    with pytest.raises(InputError, match=r"cr.txt:2: .*has no member"):
        apply("object-group network SERVERS\n no network-object host 10.9.9.9\n")


def test_access_group_replace_add_and_remove():
    out = apply("access-group OUT in interface inside\naccess-group OUT out interface inside\n")
    assert [x for x in out if x.startswith("access-group")] == [
        "access-group OUT in interface inside", "access-group OUT out interface inside"]
    out = apply("no access-group IN in interface inside\n")
    assert not [x for x in out if x.startswith("access-group")]
    with pytest.raises(InputError, match="no such access-group"):
        apply("no access-group OUT in interface inside\n")


def test_timeout_conn_keeps_the_other_timers():
    out = apply("timeout conn 8:00:00\ntimeout floating-conn 0:01:00\n")
    assert "timeout conn 8:00:00 half-closed 0:10:00 udp 0:02:00" in out
    assert out[out.index("timeout conn 8:00:00 half-closed 0:10:00 udp 0:02:00") + 1] == "timeout floating-conn 0:01:00"
    with pytest.raises(InputError, match=r"expected 'timeout TIMER H:MM:SS"):
        apply("timeout uauth 0:05:00 absolute\n")


def test_policy_map_merges_classes_and_settings():
    out = apply("policy-map global_policy\n class WS\n  set connection timeout idle 8:00:00 dcd\n"
                " class NEW\n  set connection timeout idle 0:00:00\n")
    k = out.index("policy-map global_policy")
    assert out[k:k + 10] == [
        "policy-map global_policy", " class inspection_default", "  inspect ftp", " class WS",
        "  set connection timeout idle 8:00:00 dcd", " class NEW", "  set connection timeout idle 0:00:00",
        " class class-default", "  user-statistics accounting", "service-policy global_policy global"]
    out = apply("policy-map global_policy\n no class WS\n")
    assert " class WS" not in out


def test_dcd_added_on_its_own_line_keeps_the_idle_timeout():
    # 'set connection timeout dcd' is its own setting (command reference, set connection
    # timeout): entered in a class that sets an idle timeout, it adds DCD and keeps the timeout
    out = apply("policy-map global_policy\n class WS\n  set connection timeout dcd\n")
    k = out.index(" class WS")
    assert out[k:k + 3] == [" class WS", "  set connection timeout idle 2:00:00 reset", "  set connection timeout dcd"]
    cfg = parse("\n".join(out), "fw.cfg")
    (t,) = [t for t in cfg.timeouts if "class WS" in t.label]
    assert t.idle_seconds == 7200 and t.dcd


def test_class_map_match_is_replaced_and_new_class_map_placed_before_policy_maps():
    out = apply("class-map WS\n match port tcp eq 445\nclass-map OTHER\n match any\n")
    k = out.index("class-map WS")
    assert out[k + 1:k + 4] == [" match port tcp eq 445", "class-map OTHER", " match any"]
    with pytest.raises(InputError, match="WS is still used"):
        apply("no class-map WS\n")


def test_service_policy_replace_and_interface():
    out = apply("service-policy OTHER global\nservice-policy P2 interface inside\n")
    assert [x for x in out if x.startswith("service-policy")] == [
        "service-policy OTHER global", "service-policy P2 interface inside"]


@pytest.mark.parametrize("change,needle", [
    ("router ospf 1\n network 10.0.0.0 255.0.0.0 area 0\n", "not a supported command"),
    ("route outside 0.0.0.0 0.0.0.0 1.1.1.1\n extra\n", "takes no indented lines"),
    ("interface GigabitEthernet1/1\n bogus-setting\n", "not one a change may carry"),
    ("  network-object host 1.1.1.1\n", "indented line outside any block"),
    ("access-group IN in interface inside\n extra\n", "takes no indented lines"),
    ("no object-group network SERVERS\n network-object host 1.1.1.1\n", "takes no indented lines"),
    ("access-list IN extended\n", "incomplete entry"),
    ("username admin password Secr3t privilege 15\n", "not a supported command"),
])
def test_unsupported_commands_are_errors_never_ignored(change, needle):
    with pytest.raises(InputError) as e:
        apply(change)
    assert needle in str(e.value) and str(e.value).startswith("cr.txt:")
    assert "Secr3t" not in str(e.value)


def test_session_commands_are_accepted_and_origins_track_every_line():
    origins: list = []
    out = apply("configure terminal\naccess-list IN line 1 extended permit ip host 1.1.1.1 any\nend\nwrite memory\n",
                origins)
    assert len(origins) == len(out)
    k = out.index("access-list IN extended permit ip host 1.1.1.1 any")
    assert origins[k] == ("change", 2)
    assert origins[0] == ("config", 1) and origins[-1] == ("config", len(BASE.splitlines()))


def test_generic_hook_maps_origins_to_sources():
    text, origins = apply_generic("cisco-asa", BASE, "fw.cfg", "access-list IN extended permit ip any any\n", "cr.txt")
    k = text.splitlines().index("access-list IN extended permit ip any any") + 1
    assert (origins[k].path, origins[k].line) == ("cr.txt", 1)
    assert (origins[1].path, origins[1].line, origins[1].text) == ("fw.cfg", 1, "ASA Version 9.12(4)")


def test_after_cfg_is_exactly_what_the_change_produces():
    before = open(BEFORE).read()
    assert apply_change(before, open(CHANGE).read(), CHANGE) == open(AFTER).read()


def _key(f: dict) -> tuple:
    return (f["rule_id"], f.get("key", ""), f["text"], f["line"], json.dumps(f.get("example"), sort_keys=True))


def _changes(items: list[dict]) -> list[tuple]:
    return [(c["example_text"], c["old_line"], c["new_line"], c["old_decision"], c["new_decision"],
             tuple(c["required_flows"]), tuple(c["packets"])) for c in items]


def test_check_change_gives_the_same_answer_as_diff_on_the_result():
    """The issue's 'done when': check-change CONFIG CHANGE == diff CONFIG (CONFIG with CHANGE applied)."""
    code_d, out_d, err_d = cli("diff", BEFORE, AFTER, "--site", SITE, "--format", "json", "--vendor", "cisco-asa")
    code_c, out_c, err_c = cli("check-change", BEFORE, CHANGE, "--site", SITE, "--format", "json",
                               "--vendor", "cisco-asa")
    assert code_d == code_c == 1, (err_d, err_c)
    d, c = json.loads(out_d), json.loads(out_c)
    assert d["verdict"] == c["verdict"] == "fail"
    assert d["verdict_reasons"] == c["verdict_reasons"]
    for k in ("introduced", "resolved", "unchanged"):
        assert sorted(map(_key, d[k])) == sorted(map(_key, c[k])), k
    for k in ("newly_permitted", "newly_denied", "newly_unknown"):
        assert _changes(d[k]) == _changes(c[k]), k
    assert d["required_flows_newly_blocked"] == c["required_flows_newly_blocked"]
    # new lines are shown as the config after the change, and anchored to the change file
    assert c["new"]["path"] == BEFORE + " (after change)"
    prn150 = [f for f in c["introduced"] if f["rule_id"] == "PRN150"][0]
    assert prn150["path"] == BEFORE + " (after change)"
    assert prn150["origin"] == {"path": CHANGE, "line": 6}


def test_check_change_library_equals_diff_library():
    site = load_site(SITE)
    before = open(BEFORE).read()
    new_text, origins = apply_generic("cisco-asa", before, BEFORE, open(CHANGE).read(), CHANGE)
    a = diff_configs(load_config(BEFORE, "cisco-asa"), load_config(AFTER, "cisco-asa"), site)
    b = diff_configs(load_config(BEFORE, "cisco-asa"), load_config(BEFORE, "cisco-asa", text=new_text), site,
                     origins=origins)
    for k in ("introduced", "resolved", "unchanged"):
        assert [(f.rule_id, f.key, f.source.line) for f in getattr(a, k)] == \
               [(f.rule_id, f.key, f.source.line) for f in getattr(b, k)]
    assert [(c.example, c.flows) for c in a.newly_permitted] == [(c.example, c.flows) for c in b.newly_permitted]
    assert [(c.example, c.flows) for c in a.newly_denied] == [(c.example, c.flows) for c in b.newly_denied]


def test_check_change_errors_exit_2_with_one_line(tmp_path):
    bad = tmp_path / "cr.txt"
    bad.write_text("access-list WORKSHOP_IN extended permit tcp any any eq 22\nrouter ospf 1\n")
    code, out, err = cli("check-change", BEFORE, str(bad), "--site", SITE, "--vendor", "cisco-asa")
    assert code == 2 and out == ""
    assert err.startswith("%s:2: cannot apply 'router ospf" % bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, err = cli("check-change", BEFORE, str(empty), "--vendor", "cisco-asa")
    assert code == 2 and "empty" in err


def test_check_change_save_config(tmp_path):
    saved = tmp_path / "after.cfg"
    code, out, err = cli("check-change", BEFORE, CHANGE, "--site", SITE, "--vendor", "cisco-asa",
                         "--save-config", str(saved), "--format", "json")
    assert code == 1
    assert saved.read_text() == open(AFTER).read()


def test_check_change_that_fixes_things_passes(tmp_path):
    cr = tmp_path / "fix.txt"
    cr.write_text("no access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log\n")
    code, out, err = cli("check-change", BEFORE, str(cr), "--site", SITE, "--vendor", "cisco-asa", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["verdict"] == "pass" and not data["introduced"]
    assert {f["key"] for f in data["resolved"] if f["rule_id"].startswith("PRN")} == {
        "smb:workshop->primary", "smb:workshop->secondary"}


def test_a_vendor_without_the_hook_is_a_clear_error(monkeypatch):
    import parsers

    fake = parsers.Vendor("fake-vendor", "Fake", "nothing", lambda text: 0, lambda text, path: None)
    monkeypatch.setattr(parsers, "load", lambda vendor: fake)
    with pytest.raises(InputError, match=r"cannot apply changes to fake-vendor configs yet \(fw.cfg\)"):
        apply_generic("fake-vendor", BASE, "fw.cfg", "anything\n", "cr.txt")


def test_policy_map_setting_before_any_class_is_an_error():
    with pytest.raises(InputError, match="cr.txt:2: cannot apply 'set connection.*must follow the class"):
        apply("policy-map global_policy\n   set connection timeout idle 8:00:00 dcd\n  class WS\n")


# A repeated ACE given a line number is not moved there by the ASA: the existing element stays
# where it is (ASAv 9.12(4), https://github.com/ansible-collections/cisco.asa/issues/127; the
# IOS guide says the same of its lists: "If the user enters an entry that matches an already
# existing entry (except for the sequence number), then no changes are made", Cisco, IP Access
# List Entry Sequence Numbering).  Putting a shadowed permit first would be a wrong pass.
SHADOWED = BASE.replace("access-list IN extended deny ip any any\n",
                        "access-list IN extended deny tcp any any eq 8080\n"
                        "access-list IN extended permit tcp any host 10.2.0.30 eq www\n"
                        "access-list IN extended deny ip any any\n")


@pytest.mark.parametrize("entry", ["permit tcp any host 10.2.0.30 eq www", "permit tcp any host 10.2.0.30 eq 80",
                                   "permit tcp any 10.2.0.30 255.255.255.255 eq 80"])
def test_a_repeated_entry_inserted_before_itself_is_refused(entry):
    with pytest.raises(InputError, match=r"cr.txt:1: .*already has this entry"):
        apply_change(SHADOWED, "access-list IN line 1 extended %s\n" % entry, "cr.txt")


def test_a_repeated_entry_after_itself_or_a_new_entry_is_applied():
    out = apply_change(SHADOWED, "access-list IN extended permit tcp any host 10.2.0.30 eq www\n"
                       "access-list IN line 1 extended permit tcp any host 10.2.0.30 eq 8443\n", "cr.txt")
    lines = acl(out.splitlines(), "IN")
    assert lines[0] == "access-list IN extended permit tcp any host 10.2.0.30 eq 8443"
    assert lines[-1] == "access-list IN extended permit tcp any host 10.2.0.30 eq www"


def test_emptying_a_used_object_is_refused_as_the_asa_does():
    # "You cannot remove an object or make an object empty if it is used in a command, unless you enable
    # forward referencing" (Cisco ASA Series Firewall CLI Configuration Guide 9.x, Objects for Access
    # Control: Guidelines for Objects): the ASA refuses the line and keeps the group, so reading the
    # change as an empty group (every permit through it gone) is not what the device does
    with pytest.raises(InputError, match=r"cr.txt:3: cannot apply 'no network-object host 10.2.0.11'.*"
                                         r"does not make SERVERS empty while it is used"):
        apply("object-group network SERVERS\n no network-object host 10.2.0.10\n no network-object host 10.2.0.11\n"
              " network-object host 10.2.0.12\n")
    with pytest.raises(InputError, match=r"cr.txt:3: .*does not make WEB empty while it is used \(by 'access-list"):
        apply("access-list OUT extended permit tcp any object WEB eq https\nobject network WEB\n no host 10.2.0.20\n")
    # an object nothing uses may be emptied, and so may a used one with forward referencing on
    out = apply("object network WEB\n no host 10.2.0.20\n")
    assert out[out.index("object network WEB") + 1] == "access-list IN remark first"
    out = apply_change("forward-reference enable\n" + BASE,
                       "object-group network SERVERS\n no network-object host 10.2.0.10\n"
                       " no network-object host 10.2.0.11\n", "cr.txt").splitlines()
    assert out[out.index("object-group network SERVERS") + 1] == "object network WEB"


def test_a_flow_blocked_only_by_its_replies_is_newly_blocked(tmp_path):
    # An IOS interface ACL is stateless: applied inbound on the servers' interface, it drops the replies of
    # the Workshop's connections (Cisco IOS XE Security Configuration Guide: Access Control Lists, "IP Access
    # List Overview": an ACL filters every packet crossing the interface in that direction).  The audit of
    # the changed config fails the flows; the diff tagged the newly denied (reply) packets with no flow, so
    # it named no flow newly blocked, and with PRN100 findings ignored the gate passed (exit 0).
    change = tmp_path / "change.txt"
    change.write_text("interface GigabitEthernet0/0/1\n ip access-group ZBF-WS-TO-SRV in\n")
    cfg, site = str(EXAMPLES / "ios-site" / "ios.cfg"), str(EXAMPLES / "ios-site" / "site.yaml")
    code, out, _err = cli("check-change", cfg, str(change), "--site", site, "--ignore", "PRN100", "--format", "json")
    assert code == 1
    got = json.loads(out)
    assert "smb:workshop->secondary" in got["required_flows_newly_blocked"]
    assert got["verdict"] == "fail"
    code, _out, _err = cli("check-change", cfg, str(change), "--site", site, "--ignore", "PRN100", "--format", "json",
                           "--save-config", str(tmp_path / "after.cfg"))
    code, out, _err = cli("audit", str(tmp_path / "after.cfg"), "--site", site, "--format", "json")
    flows = {f["flow"]: f["status"] for f in json.loads(out)["flows"]}
    assert flows["smb:workshop->secondary"] == "fail"

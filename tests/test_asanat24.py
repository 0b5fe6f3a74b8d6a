"""check-change: ASA NAT changes (twice NAT ``nat ...`` / ``no nat ...`` and a network object's ``nat`` line).

Documents cited:

* [NAT-ORDER] Cisco ASA Series Firewall CLI Configuration Guide, "Network Address Translation (NAT)", NAT Rule
  Order: "Network object NAT rules and twice NAT rules are stored in a single table that is divided into three
  sections. Section 1 rules are applied first, then section 2, and finally section 3, until a match is found";
  section 1 twice NAT "Applied on a first match basis, in the order they appear in the configuration"; section 2
  network object NAT (static first, then by size, address, name); section 3 twice NAT written after-auto.
* [TWICE-DEFAULT] the same guide, "Configuring Twice NAT", Default Settings: "By default, the rule is added to
  the end of section 1 of the NAT table."
* [CMD-NAT] Cisco ASA Series Command Reference I-R, nat (global)
  (https://cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/I-R/asa-command-ref-I-R/n-commands.html):
  "after-auto: Inserts the rule at the end of section 3 of the NAT table, after the network object NAT rules.
  By default, twice NAT rules are added to section 1. You can insert a rule anywhere in section 3 using the
  line argument."
* [OBJ-ONE] the same guide, "Configuring Network Object NAT", Guidelines: "You can only define a single NAT
  rule for a given object"; NAT rules "configured as a parameter of a network object".
* [OBJ-USED] the same guide, Guidelines: "Objects and object groups used in NAT cannot be undefined"; Objects
  for Access Control: "You cannot remove an object or make an object empty if it is used in a command".
* ``no nat`` with a rule the config does not have (word for word), a line number past a section's end, a
  rule the config already has: what the ASA does is not documented, so the change is refused (exit 2) with
  one line naming the change file and line rather than guessed.

The running-config prints an object with NAT twice: its definition, then a block with its ``nat`` line only
(``parsers/cisco_asa/objects.py``); both blocks are one object.
"""

from __future__ import annotations

import json

import pytest
from test_formats import cli

from auditor.api import decision_json, make_packet
from parsers import InputError
from parsers.cisco_asa import parse
from parsers.cisco_asa.change import apply_change

# a branch workshop (198.51.100.0/24, on outside) reaches the primary (10.20.0.10, on servers) at its
# published address 203.0.113.10: object NAT in the show-run form (a second block with the nat line)
FW = """\
ASA Version 9.16(1)
hostname fw
interface GigabitEthernet0/1
 nameif outside
 security-level 0
 ip address 203.0.113.1 255.255.255.0
interface GigabitEthernet0/2
 nameif servers
 security-level 50
 ip address 10.20.0.1 255.255.255.0
object network PRIMARY
 host 10.20.0.10
object network PRIMARY_PUB
 host 203.0.113.10
object network BRANCH
 subnet 198.51.100.0 255.255.255.0
object network DECOY
 host 10.20.0.99
object network WEB
 host 10.20.0.20
object network WEB_PUB
 host 203.0.113.20
access-list OUT extended permit ip object BRANCH object PRIMARY
access-group OUT in interface outside
object network PRIMARY
 nat (servers,outside) static PRIMARY_PUB
route outside 0.0.0.0 0.0.0.0 203.0.113.254
: end
"""
# the same publication as a twice NAT rule (section 1)
TWICE = FW.replace("object network PRIMARY\n nat (servers,outside) static PRIMARY_PUB\n",
                   "nat (servers,outside) source static PRIMARY PRIMARY_PUB\n")
ROLES = ("--role", "workshop=198.51.100.0/24", "--role", "primary=203.0.113.10")
PUBLISH_WEB = "access-list OUT extended permit tcp any object WEB eq 443\n"
# branch traffic to the primary's published address sent to another host, which OUT does not permit
DIVERT = "source static BRANCH BRANCH destination static PRIMARY_PUB DECOY"


def check(tmp_path, change: str, config: str = FW) -> tuple[int, dict, str]:
    cfg, cr = tmp_path / "fw.cfg", tmp_path / "cr.txt"
    cfg.write_text(config)
    cr.write_text(change)
    code, out, err = cli("check-change", str(cfg), str(cr), *ROLES, "--format", "json")
    return code, (json.loads(out) if code != 2 else {}), err


def unpublished(d: dict) -> bool:
    """The review of a change that stops publishing the primary (its address, 203.0.113.10, on outside's own
    network, answered for by no NAT any more): from the branch, behind the outside router, that router delivers it
    on outside's network itself, and the ASA sees it only if it answers for the address: the smb flow is no longer
    known to pass (engine ``_back_out``, tests/test_back_out24.py), never a pass."""
    unsure = [c for c in d["newly_unknown"] if "smb:workshop->primary" in c["required_flows"]]
    return (d["verdict"] == "unknown" and any("smb:workshop->primary" in r for r in d["verdict_reasons"])
            and bool(unsure) and all("no NAT of the device translates it" in c["new_reason"] for c in unsure))


def delivered(d: dict) -> list[tuple[str, str]]:
    return [(c["example_text"], c.get("new_delivered_as", "")) for c in d["newly_permitted"]]


# --- publishing a server ------------------------------------------------------------------------

def test_twice_nat_publishing_a_server_is_newly_permitted_with_its_translation(tmp_path):
    # [TWICE-DEFAULT]: the rule goes to the end of section 1; static, so traffic to the mapped address is
    # untranslated to the real one, which the access list names (8.3+)
    change = "nat (servers,outside) source static WEB WEB_PUB\n" + PUBLISH_WEB
    code, d, err = check(tmp_path, change)
    assert code == 0, err
    assert d["verdict"] == "pass" and d["required_flows_newly_blocked"] == []
    got = delivered(d)
    # (to the published address: delivered to the real one)
    published = [(ex, arr) for ex, arr in got if "-> 203.0.113.20:443" in ex]
    assert published and all(arr.endswith("-> 10.20.0.20:443") for _, arr in published), got
    assert all(ex.endswith("-> 203.0.113.20:443") for ex, _ in got), got
    # (from the internet to the published address the old version decided nothing: no NAT answered for it on
    # outside's own network)
    olds = {(c["example_text"], c["old_decision"], c["new_decision"]) for c in d["newly_permitted"]}
    assert ("tcp 1.0.0.1:49152 -> 203.0.113.20:443", "unknown", "permit") in olds
    # the real address itself, routed from outside without translation, is not newly permitted although the list
    # names it: the ASA drops the connection in its NAT reverse-path check (the first packet matches no NAT rule,
    # its reply from 10.20.0.20 matches the new static rule: "%ASA-5-305013: Asymmetric NAT rules matched for
    # forward and reverse flows", packet-tracer "rpf-check ... DROP"; sources in tests/test_s28_rpf.py)
    assert not any(c["example_text"].endswith("-> 10.20.0.20:443") for c in d["newly_permitted"]), olds
    text = apply_change(FW, change, "cr.txt")
    real = decision_json(parse(text, "fw.cfg"), make_packet("1.0.0.1", "10.20.0.20", "tcp", 49152, 443))
    nat_line = text.splitlines().index("nat (servers,outside) source static WEB WEB_PUB") + 1
    assert real["decision"] == "deny" and real["default_line"] == nat_line, real  # (no access-list line: the NAT line)
    assert real["reason"].startswith("NAT reverse-path check: "), real
    first = d["newly_permitted"][0]
    # (before the change the ASA did not answer for 203.0.113.20, an address of outside's own network, so traffic to
    # it from behind the router reached the ASA only if that router sent it there, and was denied if it did: unknown,
    # never let through (tests/test_back_out24.py); now newly permitted, listed with its old decision)
    assert (first["old_decision"], first["new_decision"]) == ("unknown", "permit")
    assert "-> 203.0.113.20:443" in first["example_text"] and first["new_rule"] == PUBLISH_WEB.strip()


def test_object_nat_publishing_a_new_object_is_newly_permitted_with_its_translation(tmp_path):
    change = "object network WEB2\n host 10.20.0.21\n nat (servers,outside) static 203.0.113.21\n" \
             "access-list OUT extended permit tcp any object WEB2 eq 443\n"
    code, d, err = check(tmp_path, change)
    assert code == 0, err
    published = [(ex, arr) for ex, arr in delivered(d) if "-> 203.0.113.21:443" in ex]
    assert published and all(arr.endswith("-> 10.20.0.21:443") for _, arr in published), delivered(d)


def test_publishing_the_primary_to_anyone_is_newly_permitted_and_fails_the_gate(tmp_path):
    # the primary's published address opened to every source: reachable from outside the site's roles
    code, d, _ = check(tmp_path, "access-list OUT extended permit tcp any object PRIMARY eq 443\n")
    assert code == 1 and d["verdict"] == "fail"
    assert any("-> 10.20.0.10:443" in arr for _, arr in delivered(d))
    assert any(f["rule_id"] == "PRN150" for f in d["introduced"])


# --- no nat: a required flow newly blocked ----------------------------------------------------------

def test_no_nat_of_the_twice_nat_publishing_the_primary_newly_blocks(tmp_path):
    code, d, _ = check(tmp_path, "no nat (servers,outside) source static PRIMARY PRIMARY_PUB\n", TWICE)
    assert code == 1 and unpublished(d), d


def test_no_nat_under_the_object_in_the_running_configs_second_block_newly_blocks(tmp_path):
    # the nat line is in the object's second block: it is still the object's one rule [OBJ-ONE]
    code, d, err = check(tmp_path, "object network PRIMARY\n no nat (servers,outside) static PRIMARY_PUB\n")
    assert code == 1, err
    assert unpublished(d), d
    out = apply_change(FW, "object network PRIMARY\n no nat (servers,outside) static PRIMARY_PUB\n", "cr.txt")
    # (the NAT-only block is gone with its line; the definition stays)
    assert out.count("object network PRIMARY\n") == 1 and " host 10.20.0.10" in out and " nat (" not in out


def test_no_nat_must_match_the_rule_word_for_word(tmp_path):
    code, _, err = check(tmp_path, "! CR 7\nno nat (servers,outside) source static PRIMARY PRIMARY_PUB dns\n",
                         TWICE)
    assert code == 2
    assert "cr.txt:2" in err and "there is no such NAT rule in section 1" in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(InputError, match="has no NAT rule 'nat \\(servers,outside\\) static 203.0.113.10'"):
        apply_change(FW, "object network PRIMARY\n no nat (servers,outside) static 203.0.113.10\n", "cr.txt")


def test_no_nat_of_an_after_auto_rule_names_its_section():
    cfg = TWICE.replace("nat (servers,outside) source", "nat (servers,outside) after-auto source")
    with pytest.raises(InputError, match="no such NAT rule in section 1"):
        apply_change(cfg, "no nat (servers,outside) source static PRIMARY PRIMARY_PUB\n", "cr.txt")
    out = apply_change(cfg, "no nat (servers,outside) after-auto source static PRIMARY PRIMARY_PUB\n", "cr.txt")
    assert "nat (" not in out


def test_no_nat_with_a_line_number_must_name_the_rule_there():
    cfg = TWICE.replace("nat (servers,outside) source static PRIMARY PRIMARY_PUB\n",
                        "nat (servers,outside) source static PRIMARY PRIMARY_PUB\n"
                        "nat (servers,outside) source static WEB WEB_PUB\n")
    with pytest.raises(InputError, match="line 1 of NAT section 1 is not this rule"):
        apply_change(cfg, "no nat (servers,outside) 1 source static WEB WEB_PUB\n", "cr.txt")
    out = apply_change(cfg, "no nat (servers,outside) 2 source static WEB WEB_PUB\n", "cr.txt")
    assert "WEB_PUB\n" not in out.split("access-group")[1] and "source static PRIMARY PRIMARY_PUB" in out


# --- where a rule goes: line N of section 1, after-auto into section 3 -----------------------------

def test_line_1_puts_the_rule_before_the_one_that_publishes_the_primary(tmp_path):
    # [NAT-ORDER] first match in section 1: at line 1 the diverting rule decides the branch's traffic to
    # 203.0.113.10 before the publishing rule; without a line number it goes after it and changes nothing
    code, d, _ = check(tmp_path, "nat (outside,servers) 1 %s\n" % DIVERT, TWICE)
    assert code == 1 and "smb:workshop->primary" in d["required_flows_newly_blocked"]
    code, d, _ = check(tmp_path, "nat (outside,servers) %s\n" % DIVERT, TWICE)
    assert d["required_flows_newly_blocked"] == [] and d["newly_denied"] == []
    out = apply_change(TWICE, "nat (outside,servers) 1 %s\n" % DIVERT, "cr.txt").splitlines()
    k = out.index("nat (outside,servers) %s" % DIVERT)  # (written without the line number, as show run does)
    assert out[k + 1] == "nat (servers,outside) source static PRIMARY PRIMARY_PUB"


def test_after_auto_goes_to_section_3_behind_the_objects_nat(tmp_path):
    # [CMD-NAT] after-auto: section 3, after network object NAT, which publishes the primary first; the same
    # rule in section 1 (the default) decides before the object's NAT
    code, d, _ = check(tmp_path, "nat (outside,servers) after-auto %s\n" % DIVERT)
    assert d["required_flows_newly_blocked"] == [] and d["newly_denied"] == []
    code, d, _ = check(tmp_path, "nat (outside,servers) %s\n" % DIVERT)
    assert code == 1 and "smb:workshop->primary" in d["required_flows_newly_blocked"]


def test_line_numbers_count_within_a_section():
    cfg = TWICE.replace("nat (servers,outside) source static PRIMARY PRIMARY_PUB\n",
                        "nat (servers,outside) source static PRIMARY PRIMARY_PUB\n"
                        "nat (any,outside) after-auto source dynamic any interface\n")
    out = apply_change(cfg, "nat (outside,servers) after-auto 1 %s\n"
                            "nat (servers,outside) 2 source static WEB WEB_PUB\n" % DIVERT, "cr.txt").splitlines()
    rules = [x for x in out if x.startswith("nat ")]
    assert rules == ["nat (servers,outside) source static PRIMARY PRIMARY_PUB",
                     "nat (servers,outside) source static WEB WEB_PUB",
                     "nat (outside,servers) after-auto %s" % DIVERT,
                     "nat (any,outside) after-auto source dynamic any interface"]


def test_line_number_beyond_the_sections_end_is_refused():
    with pytest.raises(InputError, match="NAT section 1 has 1 rule\\(s\\); line 3 is beyond its end"):
        apply_change(TWICE, "nat (outside,servers) 3 %s\n" % DIVERT, "cr.txt")
    with pytest.raises(InputError, match="NAT section 3 has 0 rule"):
        apply_change(TWICE, "nat (outside,servers) after-auto 2 %s\n" % DIVERT, "cr.txt")


def test_a_rule_the_config_has_is_refused_also_with_other_options():
    for extra in ("", " inactive", " description again"):
        with pytest.raises(InputError, match="already has this rule"):
            apply_change(TWICE, "nat (servers,outside) source static PRIMARY PRIMARY_PUB%s\n" % extra, "cr.txt")


def test_config_with_numbered_nat_rules_is_refused():
    cfg = TWICE.replace("nat (servers,outside) source", "nat (servers,outside) 1 source")
    with pytest.raises(InputError, match="line number; write the rules out in order first"):
        apply_change(cfg, "nat (outside,servers) %s\n" % DIVERT, "cr.txt")


def test_pre_83_nat_and_a_nat_without_source_are_refused():
    with pytest.raises(InputError, match="pre-8.3 'nat \\(IF\\) ID"):
        apply_change(FW, "nat (inside) 1 10.0.0.0 255.0.0.0\n", "cr.txt")
    with pytest.raises(InputError, match="expected 'nat \\[\\(REAL_IF,MAPPED_IF\\)\\]"):
        apply_change(FW, "nat (servers,outside) static WEB_PUB\n", "cr.txt")


# --- object NAT: one rule per object ----------------------------------------------------------------

def test_second_nat_under_an_object_replaces_its_rule(tmp_path):
    # [OBJ-ONE]: the new nat line replaces the one in the running-config's second block; 203.0.113.10 is then
    # published no more (read as two rules, both addresses would stay published: a wrong pass)
    change = "object network PRIMARY\n nat (servers,outside) static 203.0.113.11\n"
    out = apply_change(FW, change, "cr.txt")
    assert [x for x in out.splitlines() if x.startswith(" nat ")] == [" nat (servers,outside) static 203.0.113.11"]
    code, d, _ = check(tmp_path, change)
    assert code == 1 and unpublished(d), d


def test_nat_is_added_to_an_object_without_one():
    out = apply_change(FW, "object network WEB\n nat (servers,outside) static WEB_PUB\n", "cr.txt").splitlines()
    k = out.index("object network WEB")
    assert out[k + 1:k + 3] == [" host 10.20.0.20", " nat (servers,outside) static WEB_PUB"]


def test_nat_in_an_object_group_or_service_object_is_refused():
    cfg = FW.replace("access-list OUT", "object-group network SERVERS\n network-object object WEB\naccess-list OUT", 1)
    with pytest.raises(InputError, match="'nat' is not a command of object-group network"):
        apply_change(cfg, "object-group network SERVERS\n nat (servers,outside) static WEB_PUB\n", "cr.txt")
    with pytest.raises(InputError, match="'nat' is not a command of object service"):
        apply_change(FW, "object service S\n service tcp destination eq 443\n nat (servers,outside) static WEB_PUB\n",
                     "cr.txt")


def test_object_used_by_nat_is_not_removed_or_emptied():
    # [OBJ-USED]: PRIMARY_PUB is the mapped address of PRIMARY's NAT; WEB is a twice NAT operand
    with pytest.raises(InputError, match="PRIMARY_PUB is still used by 'nat \\(servers,outside\\) static"):
        apply_change(FW, "no object network PRIMARY_PUB\n", "cr.txt")
    cfg = FW + "nat (servers,outside) source static WEB WEB_PUB\n"
    with pytest.raises(InputError, match="WEB is still used by 'nat \\(servers,outside\\) source static WEB"):
        apply_change(cfg, "no object network WEB\n", "cr.txt")
    with pytest.raises(InputError, match="does not make WEB_PUB empty while it is used"):
        apply_change(cfg, "object network WEB_PUB\n no host 203.0.113.20\n", "cr.txt")


def test_object_with_a_nat_rule_is_not_removed_with_it():
    # (whether the ASA removes the rule with the object or refuses is not documented: refused, with the way)
    cfg = FW.replace("route outside", "object network WEB\n nat (servers,outside) static WEB_PUB\nroute outside")
    with pytest.raises(InputError, match="WEB has a NAT rule .* remove it first"):
        apply_change(cfg, "no object network WEB\n", "cr.txt")
    out = apply_change(cfg, "object network WEB\n no nat (servers,outside) static WEB_PUB\nno object network WEB\n",
                       "cr.txt")
    assert "object network WEB\n" not in out and "WEB_PUB" in out


# --- NAT lines the ASA refuses ----------------------------------------------------------------------------------
# [PRE83] Cisco ASA 5500 Migration to Version 8.3 and Later, Migrated Features
# (http://www.cisco.com/c/en/us/td/docs/security/asa/asa83/upgrading/migrating.html): "NAT—The NAT feature has been
# redesigned ... All NAT and NAT-related commands have been redesigned" ("Old NAT Commands": static, nat, global;
# "New NAT Commands": object NAT and twice NAT).  The parser reports 8.3 NAT in a config before 8.3; the change is
# refused with one line instead of being applied and then not understood.
# [UNDEFINED] Configuring Network Object NAT / Twice NAT, Additional Guidelines: "Objects and object groups used in
# NAT cannot be undefined".  Forward referencing is documented for ACLs and object groups only ("Normally, you
# cannot reference an object or object group that does not exist in an ACL or object group ... However, you can
# change this default behavior so that you can 'forward reference' objects", Firewall CLI Configuration Guide,
# Guidelines for ACLs), so a NAT line naming an object the change defines only after it is refused, with
# 'forward-reference enable' too.  Before, both were applied as if the ASA took them.

PRE83 = FW.replace("ASA Version 9.16(1)", "ASA Version 8.2(5)").replace(
    "object network PRIMARY\n nat (servers,outside) static PRIMARY_PUB\n",
    "static (servers,outside) 203.0.113.10 10.20.0.10 netmask 255.255.255.255\n")


def test_twice_and_object_nat_in_a_config_before_83_are_refused(tmp_path):
    code, _, err = check(tmp_path, "! CR 9\nnat (servers,outside) source static WEB WEB_PUB\n", PRE83)
    assert code == 2 and "cr.txt:2" in err and "an ASA before 8.3, which has no object NAT or twice NAT" in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(InputError, match="before 8.3"):
        apply_change(PRE83, "object network WEB\n nat (servers,outside) static WEB_PUB\n", "cr.txt")
    # (without a version line, a config whose NAT is all in the pre-8.3 form is read as one before 8.3)
    with pytest.raises(InputError, match="before 8.3"):
        apply_change(PRE83.replace("ASA Version 8.2(5)\n", ""), "nat (servers,outside) source static WEB WEB_PUB\n",
                     "cr.txt")
    # (and an 8.3+ config still takes them)
    assert "source static WEB WEB_PUB" in apply_change(FW, "nat (servers,outside) source static WEB WEB_PUB\n",
                                                       "cr.txt")


WEB2 = "object network WEB2\n host 10.20.0.21\nobject network WEB2_PUB\n host 203.0.113.21\n"


def test_nat_naming_an_object_the_change_defines_later_is_refused(tmp_path):
    code, _, err = check(tmp_path, "nat (servers,outside) source static WEB2 WEB2_PUB\n" + WEB2)
    assert code == 2 and "cr.txt:1" in err
    assert "WEB2 is not defined before this line (the change defines it later)" in err
    with pytest.raises(InputError, match="NEW_PUB is not defined before this line"):
        apply_change(FW, "object network WEB\n nat (servers,outside) static NEW_PUB\n"
                         "object network NEW_PUB\n host 203.0.113.30\n", "cr.txt")
    with pytest.raises(InputError, match="WEB2 is not defined before this line"):
        apply_change("forward-reference enable\n" + FW, "nat (servers,outside) source static WEB2 WEB2_PUB\n" + WEB2,
                     "cr.txt")
    with pytest.raises(InputError, match="POOL is not defined in the config"):
        apply_change(FW, "nat (servers,outside) source dynamic WEB pat-pool POOL\n", "cr.txt")
    # defined first, the same lines are applied
    out = apply_change(FW, WEB2 + "nat (servers,outside) source static WEB2 WEB2_PUB\n", "cr.txt")
    assert "nat (servers,outside) source static WEB2 WEB2_PUB" in out
    # (an address written inline, 'interface', 'any': no object)
    apply_change(FW, "object network WEB\n nat (servers,outside) static 203.0.113.30\n", "cr.txt")
    apply_change(FW, "object network WEB\n nat (servers,outside) dynamic interface\n", "cr.txt")
    apply_change(FW, "nat (any,outside) source dynamic any interface\n", "cr.txt")


# [MAPPED-IF] Configuring Network Object NAT / Twice NAT, Additional Guidelines: "The mapped IP address pool cannot
# include: The mapped interface IP address. If you specify any interface for the rule, then all interface IP
# addresses are disallowed. For interface PAT (routed mode only), use the interface keyword instead of the IP
# address"; "You can use the same mapped object or group in multiple NAT rules" (so a mapped address another rule
# uses too is accepted, and is not refused here).  [STANDBY] Cisco TAC, "ASA 8.4(4): Certain identity NAT
# configurations prohibited" (document 113640, read in its Portuguese and Japanese editions:
# https://cisco.com/c/pt_br/support/docs/security/asa-5500-x-series-next-generation-firewalls/113640-id-nat-config-00.html):
# from 8.4(4), "ERROR: <mapped address range> overlaps with
# <interface> standby interface address / ERROR: NAT Policy is not downloaded" when a static rule's mapped range
# includes the standby address of the mapped interface.  Before, both were applied as if the ASA took them.

HA = FW.replace(" ip address 203.0.113.1 255.255.255.0\n",
                " ip address 203.0.113.1 255.255.255.0 standby 203.0.113.2\n")


def test_mapping_to_the_mapped_interfaces_own_or_standby_address_is_refused(tmp_path):
    code, _, err = check(tmp_path, "object network WEB\n nat (servers,outside) static 203.0.113.1\n")
    assert code == 2 and "cr.txt:2" in err and "203.0.113.1 is the address of interface outside" in err
    with pytest.raises(InputError, match="203.0.113.1 is the address of interface outside"):
        apply_change(FW, "object network OUTIF\n host 203.0.113.1\nnat (servers,outside) source static WEB OUTIF\n",
                     "cr.txt")
    with pytest.raises(InputError, match="203.0.113.2 is the failover standby address of interface outside"):
        apply_change(HA, "object network WEB\n nat (servers,outside) static 203.0.113.2\n", "cr.txt")
    # (before 8.4(4) the ASA took a static rule to the standby address; a dynamic one is refused only with VPN on)
    apply_change(HA.replace("9.16(1)", "8.4(3)"), "object network WEB\n nat (servers,outside) static 203.0.113.2\n",
                 "cr.txt")
    apply_change(HA, "object network WEB\n nat (servers,outside) dynamic 203.0.113.2\n", "cr.txt")
    # (the interface keyword, another address of its network, the same mapped object in two rules: accepted)
    apply_change(HA, "object network WEB\n nat (servers,outside) static interface service tcp 443 443\n", "cr.txt")
    apply_change(HA, "object network WEB\n nat (servers,outside) static 203.0.113.30\n", "cr.txt")
    apply_change(FW, "nat (servers,outside) source static WEB PRIMARY_PUB\n", "cr.txt")

"""Change requests written as IOS commands (``check-change``): applied as the device would."""

from __future__ import annotations

import pytest
from ios_helpers import HEAD, cfg, decide

from parsers import InputError
from parsers.cisco_ios.change import apply_change

BASE = (HEAD + "interface Gi1\n ip address 10.1.0.1 255.255.0.0\n ip access-group IN in\n"
        "interface Gi2\n ip address 10.2.0.1 255.255.0.0\n"
        "ip access-list extended IN\n deny tcp any any eq 445\n permit tcp any any eq 80\n"
        "access-list 10 permit 10.1.0.0 0.0.255.255\n"
        "object-group network SRV\n host 10.2.0.10\n"
        "parameter-map type inspect PM\n tcp idle-time 1800\n"
        "end\n")


def change(text: str, base: str = BASE) -> str:
    origins: list = []
    out = apply_change(base, text, "chg.txt", origins)
    assert len(origins) == len(out.splitlines())
    return out


def after(text: str):
    return cfg(change(text), head="")


def test_sequence_numbered_insert_goes_where_its_number_says():
    # entries without numbers are 10, 20, ... (ios_helpers.IPV6_DENY); '5' goes first
    out = change("ip access-list extended IN\n 5 permit tcp any host 10.2.0.10 eq 445\n")
    c = cfg(out, head="")
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=445)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.11", dport=445)["decision"] == "deny"
    # the list's entries are written out with the numbers IOS gave them
    assert " 10 deny tcp any any eq 445" in out and " 20 permit tcp any any eq 80" in out


def test_no_seq_and_no_entry_delete():
    c = after("ip access-list extended IN\n no 10\n")
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=445)["decision"] == "deny"  # implicit deny now
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "permit"
    c = after("ip access-list extended IN\n no permit tcp any any eq 80\n permit ip any any\n")
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=445)["decision"] == "deny"


def test_entry_without_number_is_appended():
    c = after("ip access-list extended IN\n permit tcp any any eq 22\n")
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=22)["decision"] == "permit"


def test_duplicate_number_and_missing_entry_fail_whole():
    with pytest.raises(InputError, match=r"chg.txt:2: .*already has an entry 10"):
        change("ip access-list extended IN\n 10 permit ip any any\n")
    with pytest.raises(InputError, match="no entry 99"):
        change("ip access-list extended IN\n no 99\n")


def test_numbered_list_append_and_no_deletes_the_whole_list():
    out = change("access-list 10 permit 10.3.0.0 0.0.255.255\n")
    assert out.splitlines().index("access-list 10 permit 10.3.0.0 0.0.255.255") == \
        out.splitlines().index("access-list 10 permit 10.1.0.0 0.0.255.255") + 1
    # IOS: 'no access-list 10 <anything>' removes the whole list
    out = change("no access-list 10 permit 10.1.0.0 0.0.255.255\n")
    assert "access-list 10" not in out


def test_new_list_and_binding():
    c = after("ip access-list extended OUT2\n deny tcp any any eq 23\n permit ip any any\n"
              "interface Gi2\n ip access-group OUT2 out\n")
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "permit"
    c2 = after("ip access-list extended OUT2\n deny tcp any any eq 80\n permit ip any any\n"
               "interface Gi2\n ip access-group OUT2 out\n")
    assert decide(c2, "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "deny"


def test_interface_binding_replaced_and_removed():
    c = after("interface Gi1\n no ip access-group IN in\n")
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=445)["decision"] == "permit"
    with pytest.raises(InputError, match="not in the config"):
        change("interface Gi9\n ip access-group IN in\n")


def test_no_access_group_naming_another_list_is_refused():
    # "To remove the specified access group, use the no form of this command" (Cisco IOS command reference,
    # 'ip access-group', https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/
    # ip_access-group.htm): what IOS does when the name is not the list applied in that direction is not
    # documented, so the change is refused (before: the applied list IN was removed, its denies newly permitted)
    with pytest.raises(InputError, match="interface Gi1 applies IN in, not OTHER; name that list"):
        change("interface Gi1\n no ip access-group OTHER in\n")


def test_parameter_map_setting_replaces_the_old_value():
    out = change("parameter-map type inspect PM\n tcp idle-time 28800\n")
    assert " tcp idle-time 28800" in out and "1800" not in out


def test_object_group_member_added_and_removed():
    out = change("object-group network SRV\n host 10.2.0.11\n no host 10.2.0.10\n")
    assert " host 10.2.0.11" in out and " host 10.2.0.10" not in out


def test_new_zone_firewall_blocks_are_added_whole_and_policy_actions_replace():
    text = ("class-map type inspect match-any CM\n match protocol http\n"
            "policy-map type inspect P\n class type inspect CM\n  inspect\n class class-default\n  drop\n")
    out = change(text)
    assert "policy-map type inspect P" in out
    out2 = change("policy-map type inspect P\n class type inspect CM\n  pass\n", base=out)
    lines = out2.splitlines()
    k = lines.index(" class type inspect CM")
    assert lines[k + 1] == "  pass" and "  inspect" not in lines


def test_unsupported_commands_fail_naming_the_line():
    with pytest.raises(InputError, match=r"chg.txt:2: cannot apply 'router bgp 1'"):
        change("configure terminal\nrouter bgp 1\n")


def test_secrets_are_redacted_in_errors():
    with pytest.raises(InputError) as e:
        change("username bob password hunter2\n")
    assert "hunter2" not in str(e.value)


def test_origins_point_at_config_and_change_lines():
    origins: list = []
    out = apply_change(BASE, "ip access-list extended IN\n permit tcp any any eq 22\n", "c", origins)
    k = out.splitlines().index(" permit tcp any any eq 22")
    assert origins[k] == ("change", 2)
    assert origins[0] == ("config", 1)


def test_an_entry_line_of_a_number_alone_does_not_stop_a_change():
    # (found by fuzzing --fix: ' 80' cut short in the list read as an entry of no words, a traceback)
    base = BASE.replace(" permit tcp any any eq 80\n", " permit tcp any any eq 80\n 80\n")
    out = change("ip access-list extended IN\n 5 permit tcp any host 10.2.0.10 eq 445\n", base)
    assert " 5 permit tcp any host 10.2.0.10 eq 445" in out


# Cisco, IP Access List Entry Sequence Numbering, 'Sequence Numbering Behavior' (Security
# Configuration Guide: Access Control Lists; copy at
# https://manualshive.com/en/manual/cisco/catalyst-2960-series/66776?page=1261): "If the user
# enters an entry that matches an already existing entry (except for the sequence number), then
# no changes are made."  A permit put first that repeats a shadowed permit stays where it was.
SHADOWED = BASE.replace(" deny tcp any any eq 445\n permit tcp any any eq 80\n",
                        " deny tcp any any eq 445\n permit tcp any any eq 445\n permit tcp any any eq www\n")


@pytest.mark.parametrize("entry", ["5 permit tcp any any eq 445", "5 permit tcp any any eq 80",
                                   "5 permit tcp any 0.0.0.0 255.255.255.255 eq 445"])
def test_an_entry_repeating_an_existing_one_changes_nothing(entry):
    out = change("ip access-list extended IN\n %s\n" % entry, SHADOWED)
    assert out == SHADOWED
    assert decide(cfg(out, head=""), "10.1.0.5", "10.2.0.10", dport=445)["decision"] == "deny"


def test_an_entry_differing_in_a_port_is_still_inserted():
    c = cfg(change("ip access-list extended IN\n 5 permit tcp any any eq 8080\n", SHADOWED), head="")
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=8080)["decision"] == "permit"
    assert decide(c, "10.1.0.5", "10.2.0.10", dport=445)["decision"] == "deny"


def test_routing_on_and_off_are_applied():
    # 'no ip routing' turns IPv4 routing off ("To disable IP routing, use the no form of this command", Cisco IOS
    # IP Routing: Protocol-Independent Command Reference, 'ip routing'); 'ipv6 unicast-routing' turns IPv6
    # forwarding on (its Command Default: "IPv6 unicast routing is disabled", Cisco IOS IPv6 Command Reference)
    assert decide(after("no ip routing\n"), "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "deny"
    off = change("no ip routing\n")
    assert decide(cfg(change("ip routing\n", off), head=""), "10.1.0.5", "10.2.0.10", dport=80)["decision"] == "permit"
    assert "routing" not in change("ip routing\n", off).replace("ip routing", "", 1)  # (one line says, not two)
    v6 = "interface Gi1\n ipv6 address 2001:db8:1::1/64\ninterface Gi2\n ipv6 address 2001:db8:2::1/64\n"
    base = BASE.replace("end\n", v6 + "end\n")
    pkt = ("2001:db8:1::5", "2001:db8:2::10")
    assert decide(cfg(base, head=""), *pkt, dport=80)["decision"] == "deny"  # (IOS's default: not routed)
    on = change("ipv6 unicast-routing\n", base)
    assert decide(cfg(on, head=""), *pkt, dport=80)["decision"] == "permit"
    assert decide(cfg(change("no ipv6 unicast-routing\n", on), head=""), *pkt, dport=80)["decision"] == "deny"
    with pytest.raises(InputError, match="takes no indented lines"):
        change("no ip routing\n foo\n")

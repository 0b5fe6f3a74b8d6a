"""Every ASA line builds the model, is on an explicit list of lines without effect on filtering
(with the reason), or is reported; and parsing stays linear in the input.

Issue 19: an interface sub-command not understood (``security-level 1OO``) is CFG300, not
ignored.  Issue 20: a 20,000-member object-group is built once from its members, and 10,000
identical entries parse in linear time (checked by counting the interval-normalisation work,
never by a wall-clock assertion).
"""

import random

import pytest
from conftest import EXAMPLES

from auditor.core.model import Impact
from parsers.cisco_asa import parse, parse_accounted
from parsers.cisco_asa.names import IGNORED_COMMANDS, IGNORED_INTERFACE

HEAD = "ASA Version 9.12(4)\n"


def iface(*subs):
    return HEAD + "interface G0\n nameif inside\n" + "".join(" %s\n" % s for s in subs)


def test_a_bad_security_level_is_reported_not_ignored():
    cfg = parse(iface("security-level 1OO", "ip address 10.0.0.1 255.255.255.0"), "t.cfg")
    (d,) = cfg.diagnostics
    assert d.code == "CFG300" and d.source.line == 4 and d.impact is Impact.GLOBAL
    assert "security level" in d.message
    for bad in ("security-level 101", "security-level -1", "security-level", "security-level 50 60"):
        assert [x.code for x in parse(iface(bad), "t.cfg").diagnostics] == ["CFG300"], bad


@pytest.mark.parametrize("sub", ["frobnicate", "ip adress 10.0.0.1 255.255.255.0", "nameif", "bridge-group 1",
                                 "ip address 10.0.0.1", "shutdown now"])
def test_an_interface_sub_command_not_understood_is_reported(sub):
    cfg, lines = parse_accounted(iface(sub), "t.cfg")
    assert [(d.code, d.source.line) for d in cfg.diagnostics] == [("CFG300", 4)]
    assert lines.unaccounted() == []


@pytest.mark.parametrize("word", sorted(IGNORED_INTERFACE))
def test_interface_sub_commands_known_to_have_no_effect_are_ignored_with_their_reason(word):
    cfg, lines = parse_accounted(iface("%s x" % word), "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []
    assert lines.ignored_why == {IGNORED_INTERFACE[word]: 1}


@pytest.mark.parametrize("word", sorted(w for w in IGNORED_COMMANDS if w not in ("ip", "aaa")))
def test_top_level_commands_known_to_have_no_effect_are_ignored_with_their_reason(word):
    cfg, lines = parse_accounted(HEAD + "%s something\n sub-line\n" % word, "t.cfg")
    assert not cfg.diagnostics and lines.unaccounted() == []
    assert lines.ignored_why == {IGNORED_COMMANDS[word]: 2}


@pytest.mark.parametrize("line", ["frobnicate now", "firewall transparent", "shun 10.0.0.1",
                                  "aaa authentication match AUTH inside LOCAL", "ip audit name X attack action drop",
                                  "nat-control", "no same-security-traffic",
                                  "sysopt-typo connection permit-vpn"])
def test_commands_that_can_change_what_passes_are_reported(line):
    cfg, lines = parse_accounted(HEAD + line + "\n", "t.cfg")
    assert [(d.code, d.source.line, d.impact) for d in cfg.diagnostics] == [("CFG300", 2, Impact.GLOBAL)]


def test_dhcp_setroute_is_a_default_route_through_the_interface():
    cfg = parse(iface("ip address dhcp setroute"), "t.cfg")
    (r,) = cfg.routes
    assert r.interface == "inside" and r.prefix_len == 0 and r.source.line == 4
    assert not cfg.diagnostics


def test_every_line_of_the_bundled_example_is_accounted_for():
    text = (EXAMPLES / "prinergy-site" / "asa.cfg").read_text()
    cfg, lines = parse_accounted(text, "asa.cfg")
    assert lines.unaccounted() == []
    assert lines.ignored == cfg.ignored_lines > 0
    assert all(why for why in lines.ignored_why)


# --- linear parsing ---------------------------------------------------------------------------

def big_group(n):
    r = random.Random(n)
    hosts = sorted({(r.randrange(256), r.randrange(256), 2 * r.randrange(1, 127)) for _ in range(n)})
    body = "".join(" network-object host 10.%d.%d.%d\n" % h for h in hosts)
    acl = "access-list A extended deny ip object-group BIG any\n"
    return HEAD + "object-group network BIG\n" + body + acl, len(hosts)


def test_a_large_object_group_is_built_once_from_its_members(normalised):
    # (a union per member re-sorted the whole group each time: 20,000 members took 50 s, and
    # about 2 * 10^8 intervals went through normalisation)
    text, n = big_group(20000)
    cfg = parse(text, "t.cfg")
    assert len(cfg.filters["A"].rules[0].match.cubes[0].dims[0].iv) == n  # (no two hosts adjacent)
    assert normalised[0] <= 4 * n


def test_identical_entries_parse_in_linear_work(normalised):
    def work(n):
        normalised[0] = 0
        cfg = parse(HEAD + "access-list A extended permit tcp any host 10.0.0.1 eq 80\n" * n, "t.cfg")
        assert len(cfg.filters["A"].rules) == n
        return normalised[0]

    small, large = work(10000), work(40000)
    assert large <= 4 * small + 100

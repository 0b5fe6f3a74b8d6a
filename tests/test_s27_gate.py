"""The gate (check-change, diff) on PAN-OS, FortiOS and Junos change syntax: session 27's red team.

PAN-OS quoting.  The CLI takes a value with spaces in double quotes; inside them an admin writes a double
quote as ``\\"`` (a JSON payload of an HTTP server profile, Palo Alto, "Device > Server Profiles > HTTP":
"modify the URL, HTTP header, parameters, and the payload in the HTTP request",
https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-web-interface-help/device/device-server-profiles-http).
The hierarchical form reads ``"(?:[^"\\\\]|\\\\.)*"`` as one quoted string already; ``set`` commands are
now split alike: ``\\"`` and ``\\\\`` are the character escaped, a backslash before anything else is itself
(a ``DOMAIN\\user`` stays as written).  The escaped quotes had split the value into several words, which
the XML edit wrote as element names: "not well-formed XML", naming no change line.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT
from test_formats import cli

from parsers import InputError
from parsers.panos.change import apply_change as panos_apply
from parsers.panos.scan import split_words

PAN_XML = "examples/panos-site/running-config.xml"
PAN_SITE = "examples/panos-site/site.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _check(tmp_path, config: str, site: str, change: str) -> tuple[int, dict, str]:
    cr = tmp_path / "cr.txt"
    cr.write_text(change)
    code, out, err = cli("check-change", config, str(cr), "--site", site, "--format", "json")
    return code, (json.loads(out) if code in (0, 1) else {}), err


# --- 1. PAN-OS: escaped quotes in a quoted value -----------------------------------------------------------

PAYLOAD = 'set shared server-profile http splunk format traffic payload "{\\"k\\": \\"v\\"}"\n'


def test_split_words_reads_backslash_escaped_quotes_inside_double_quotes():
    assert split_words('a payload "{\\"k\\": \\"v\\"}"') == ["a", "payload", '{"k": "v"}']
    assert split_words('source-user "CORP\\j doe" x') == ["source-user", "CORP\\j doe", "x"]
    assert split_words('d "ends in \\\\" next') == ["d", "ends in \\", "next"]
    assert split_words('r [ "a \\"b\\"" c ]') == ["r", ['a "b"', "c"]]


def test_a_json_payload_change_on_an_xml_config_passes_with_the_value_as_typed(tmp_path):
    code, doc, err = _check(tmp_path, PAN_XML, PAN_SITE, PAYLOAD)
    assert code == 0 and doc["verdict"] == "pass", err
    text = panos_apply((ROOT / PAN_XML).read_text(), PAYLOAD, "cr.txt")
    root = ET.fromstring(text)
    (payload,) = root.iter("payload")
    assert payload.text == '{"k": "v"}'


def test_a_profile_name_with_spaces_is_an_entry_not_an_element_name(tmp_path):
    change = 'set shared server-profile syslog "Syslog Srv 1" server s1 server 10.40.0.9\n'
    text = panos_apply((ROOT / PAN_XML).read_text(), change, "cr.txt")
    root = ET.fromstring(text)  # well-formed
    assert [e.get("name") for e in root.iter("entry") if e.get("name") == "Syslog Srv 1"] == ["Syslog Srv 1"]
    code, doc, err = _check(tmp_path, PAN_XML, PAN_SITE, change)
    assert code == 0 and doc["verdict"] == "pass", err


def test_a_value_xml_cannot_hold_is_one_clear_refusal_naming_the_change_line(tmp_path):
    code, _doc, err = _check(tmp_path, PAN_XML, PAN_SITE,
                             "configure\nset shared server-profile http splunk format system payload \"a\x01b\"\n")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cr.txt:2: cannot apply" in lines[0] and "Traceback" not in err
    with pytest.raises(InputError, match=r"cr\.txt:1: cannot apply"):
        panos_apply((ROOT / PAN_XML).read_text(), 'set shared log-settings x "a\x01b"\n', "cr.txt")


SET_CFG = """\
set rulebase security rules r1 description "say \\"hi"
set rulebase security rules r1 from any
set rulebase security rules r2 from any
"""


def test_an_escaped_quote_does_not_open_a_value_over_several_lines():
    from parsers.panos.scan import read_set

    sc = read_set(SET_CFG.splitlines())
    assert [(words, first) for _s, words, first, _l, _a in sc.statements] == [
        (["rulebase", "security", "rules", "r1", "description", 'say "hi'], 0),
        (["rulebase", "security", "rules", "r1", "from", "any"], 1),
        (["rulebase", "security", "rules", "r2", "from", "any"], 2)]


def test_a_set_config_keeps_the_payload_through_the_change():
    out = panos_apply("set deviceconfig system hostname fw\n", PAYLOAD, "cr.txt")
    assert split_words(out.splitlines()[-1]) == ["set", "shared", "server-profile", "http", "splunk", "format",
                                                 "traffic", "payload", '{"k": "v"}']


def test_deleting_list_members_given_as_a_list_from_an_xml_config_is_applied_not_a_crash(tmp_path):
    # 'delete PATH [ M1 M2 ]' removes members (the module's doc, the CLI's list syntax); on the XML
    # config it was an internal error (TypeError: a list looked up as an element)
    change = "delete rulebase security rules admin-tools service [ svc-diagview svc-dashboard ]\n"
    text = panos_apply((ROOT / PAN_XML).read_text(), change, "cr.txt")
    (rule,) = [e for e in ET.fromstring(text).iter("entry") if e.get("name") == "admin-tools"]
    assert [m.text for m in rule.find("service")] == ["service-https"]
    code, doc, err = _check(tmp_path, PAN_XML, PAN_SITE, change)
    assert code in (0, 1) and "internal error" not in err


@pytest.mark.parametrize("change", ["set rulebase security rules [ a b ] action deny\n",
                                    "rename rulebase security rules admin-tools to [ a b ]\n"])
def test_a_list_where_a_name_belongs_is_one_clear_refusal(tmp_path, change):
    code, _doc, err = _check(tmp_path, PAN_XML, PAN_SITE, change)
    assert code == 2 and "cr.txt:1: cannot apply" in err and len(err.strip().splitlines()) == 1


# --- 2. FortiOS: 'unselect' of a value the list does not have -----------------------------------------------
# "unselect <field> <value>: remove an option value from an existing list" (Fortinet, FortiOS CLI Reference,
# "Subcommands"): a value the list does not hold leaves it as it was, and the change would not do what it
# says; it passed as if applied

FGT = "examples/fortios-site/fortigate.conf"
FGT_SITE = "examples/fortios-site/site.yaml"


def test_fortios_unselect_of_a_value_the_list_does_not_hold_is_refused_at_its_line(tmp_path):
    code, _doc, err = _check(tmp_path, FGT, FGT_SITE, 'config firewall policy\n    edit 10\n'
                             '        unselect service "HTTP"\n    next\nend\n')
    assert code == 2 and 'cr.txt:3: unselect: "HTTP" is not a value of \'service\' here' in err


def test_fortios_unselect_of_a_value_it_holds_still_applies(tmp_path):
    code, doc, err = _check(tmp_path, FGT, FGT_SITE, 'config firewall policy\n    edit 40\n'
                            '        unselect srcintf "workshop"\n    next\nend\n')
    assert code == 0 and doc["verdict"] == "pass" and len(doc["newly_denied"]) == 1, err


# --- 3. Junos: 'annotate' ------------------------------------------------------------------------------------
# "annotate statement "comment-string"": adds a comment to a statement of the current level, shown as
# /* */ by 'show'; "If a comment for the specified statement already exists, it is deleted and replaced"
# (Juniper, Junos CLI reference, "annotate",
# https://juniper.net/documentation/en_US/junos12.3/topics/reference/command-summary/annotate.html).
# A comment changes nothing the device does: the change passes; it was refused as unsupported.

JUN = "examples/junos-site/srx.conf"
JUN_SITE = "examples/junos-site/site.yaml"


def test_junos_annotate_is_a_comment_that_passes(tmp_path):
    from parsers.junos.change import apply_change as junos_apply

    change = ('edit security policies from-zone workshop to-zone servers\n'
              'annotate policy prinergy-workshop "CR-1234: reviewed"\n')
    code, doc, err = _check(tmp_path, JUN, JUN_SITE, change)
    assert code == 0 and doc["verdict"] == "pass" and not doc["introduced"], err
    out = junos_apply((ROOT / JUN).read_text(), change, "cr.txt").splitlines()
    k = next(i for i, t in enumerate(out) if t.strip() == "policy prinergy-workshop {")
    assert out[k - 1].strip() == "/* CR-1234: reviewed */"
    # the existing comment of block-smb is replaced, not doubled
    out = junos_apply((ROOT / JUN).read_text(), 'annotate security policies from-zone workshop to-zone servers '
                      'policy block-smb "new"\n', "cr.txt").splitlines()
    k = next(i for i, t in enumerate(out) if t.strip() == "policy block-smb {")
    assert out[k - 1].strip() == "/* new */" and "old worm" not in "\n".join(out)


def test_junos_annotate_on_the_set_form_and_of_nothing(tmp_path):
    from parsers.junos.change import apply_change as junos_apply

    cfg = "set security policies from-zone a to-zone b policy p then permit\n"
    assert junos_apply(cfg, 'annotate security policies from-zone a to-zone b policy p "x"\n', "cr.txt") == cfg
    with pytest.raises(InputError, match=r"cr\.txt:1: cannot apply .*nothing is configured"):
        junos_apply(cfg, 'annotate security policies from-zone a to-zone b policy q "x"\n', "cr.txt")

"""The gate as a reviewer uses it (session 25's red team): what a change is judged by.

* A diff of two different devices' configs is bad input (exit 2), not a review.
* A pfSense rule is quoted by its ``<descr>`` line: a change that only edits the description keeps
  every finding (the README: a change that only edits a description passes), and one that widens the
  rule under that unchanged line does not keep the findings judged on what the rule permitted before
  (an any-to-any opened on WAN: introduced, the change fails).
* An ASA access list ends in an implicit deny (Cisco ASA Series Firewall CLI Configuration Guide,
  "Access Control Lists": "each ACL has an implicit deny statement at the end"): removing an explicit
  ``deny ip any any`` from its end changes no packet, and a required flow it blocked is still blocked,
  by the implicit deny: not newly blocked, so the change passes.
"""

import json

import pytest
from conftest import ROOT
from test_formats import cli

PF = "examples/pfsense-site/config.xml"
PF_SITE = "examples/pfsense-site/site.yaml"
ASA = "examples/change/before.cfg"
ASA_SITE = "examples/change/site.yaml"

# the WAN pass rule of the pfSense example: RDP to the primary for the vendor
WAN_RULE = """\t\t\t<protocol>tcp</protocol>
\t\t\t<source>
\t\t\t\t<any></any>
\t\t\t</source>
\t\t\t<destination>
\t\t\t\t<address>10.20.0.10</address>
\t\t\t\t<port>3389</port>
\t\t\t</destination>
\t\t\t<descr><![CDATA[NAT RDP to primary for the vendor]]></descr>"""


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _pf(tmp_path, old: str, new: str) -> str:
    text = (ROOT / PF).read_text()
    assert text.count(old) == 1
    out = tmp_path / "config.xml"
    out.write_text(text.replace(old, new))
    return str(out)


def test_a_diff_of_two_vendors_configs_is_bad_input():
    code, out, err = cli("diff", ASA, PF, "--site", ASA_SITE, "--format", "sarif")
    assert code == 2 and out == ""
    assert "cisco-asa" in err and "pfsense" in err and "two versions of one device" in err


def test_editing_a_pfsense_rules_description_alone_passes(tmp_path):
    new = _pf(tmp_path, "NAT RDP to primary for the vendor]]>", "NAT RDP to primary (CR-7)]]>")
    code, out, err = cli("diff", PF, new, "--site", PF_SITE)
    assert code == 0, out
    assert "diff verdict: PASS  (0 introduced, 0 resolved" in out


def test_opening_a_pfsense_wan_rule_to_any_fails_at_its_line(tmp_path):
    # the rule kept, its description line kept: source any, destination any, every protocol
    opened = WAN_RULE.replace("\t\t\t<protocol>tcp</protocol>\n", "").replace(
        "\t\t\t\t<address>10.20.0.10</address>\n\t\t\t\t<port>3389</port>\n", "\t\t\t\t<any></any>\n")
    new = _pf(tmp_path, WAN_RULE, opened)
    code, out, err = cli("diff", PF, new, "--site", PF_SITE, "--format", "github")
    assert code == 1, out
    descr = 1 + next(k for k, t in enumerate(open(new).read().split("\n")) if "NAT RDP to primary" in t)
    # the server exposed to every port from anywhere: an error at the rule's line of the new file
    assert ("::error file=%s,line=%d,title=PRN150" % (new.replace(":", "%3A").replace(",", "%2C"), descr)) in out
    assert "diff verdict FAIL" in out


def test_narrowing_a_pfsense_rule_keeps_its_findings(tmp_path):
    # 3389 only from one outside address: it permits less, what it was judged on is not widened
    narrowed = WAN_RULE.replace("\t\t\t\t<any></any>\n\t\t\t</source>",
                                "\t\t\t\t<address>198.51.100.7</address>\n\t\t\t</source>")
    new = _pf(tmp_path, WAN_RULE, narrowed)
    code, out, err = cli("diff", PF, new, "--site", PF_SITE)
    # (nothing introduced: the exposure it was judged on only shrank)
    assert code == 0 and "INTRODUCED" not in out and "diff verdict: PASS  (0 introduced," in out, out


def test_removing_the_explicit_deny_at_an_asa_lists_end_passes(tmp_path):
    change = tmp_path / "cr.txt"
    change.write_text("no access-list WORKSHOP_IN extended deny ip any any log\n")
    code, out, err = cli("check-change", ASA, str(change), "--site", ASA_SITE)
    assert code == 0, out
    assert "diff verdict: PASS  (0 introduced, 0 resolved" in out


def test_a_deny_inserted_above_a_flows_permit_still_fails(tmp_path):
    # (the flow newly blocked is not matched away as 'still blocked': it passed before)
    change = tmp_path / "cr.txt"
    change.write_text("access-list WORKSHOP_IN line 1 extended deny tcp any any range 1024 9000\n")
    code, out, err = cli("check-change", ASA, str(change), "--site", ASA_SITE)
    assert code == 1
    assert "newly blocks required flow(s): daemons:workshop->primary" in out


def test_a_fortios_policy_widened_under_its_edit_line_rejudges_its_exposure(tmp_path):
    # the internet policy's 'edit 30' line is unchanged; 'set service "ALL"' widens what it permits from
    # outside to the published server: its exposure finding is judged anew, an error, and the change fails
    change = tmp_path / "cr.txt"
    change.write_text('config firewall policy\n    edit 30\n        set service "ALL"\n    next\nend\n')
    code, out, err = cli("check-change", "examples/fortios-site/fortigate.conf", str(change),
                         "--site", "examples/fortios-site/site.yaml")
    assert code == 1, out
    introduced = out.split("INTRODUCED")[1].split("NEWLY")[0]
    assert "PRN150 examples/fortios-site/fortigate.conf:200" in introduced


def test_an_object_group_grown_reintroduces_the_findings_of_the_lines_using_it(tmp_path):
    change = tmp_path / "cr.txt"
    change.write_text("object-group network PRINERGY-SERVERS\n network-object 10.20.0.0 255.255.255.0\n")
    code, out, err = cli("check-change", ASA, str(change), "--site", ASA_SITE)
    introduced = out.split("INTRODUCED")[1].split("RESOLVED")[0]
    assert "PRN160 examples/change/before.cfg:80" in introduced  # (AFP now to the whole server network)


def test_where_a_changes_example_arrives_is_its_own_translation(tmp_path):
    # the narrowed port forward's newly denied traffic: a packet sent to the server's own address (10.20.0.10)
    # stands beside those sent to the WAN address the forward translates; the forward's translation was applied
    # to it as well ('arrives as tcp 1.0.0.1:49152 -> [::fffe:4927:8f12]:3389', an address no device sends to)
    narrowed = WAN_RULE.replace("\t\t\t\t<any></any>\n\t\t\t</source>",
                                "\t\t\t\t<address>198.51.100.7</address>\n\t\t\t</source>")
    new = _pf(tmp_path, WAN_RULE, narrowed)
    code, out, err = cli("diff", PF, new, "--site", PF_SITE, "--format", "json")
    changes = json.loads(out)["newly_denied"]
    assert changes
    for c in changes:
        if "old_delivered_as" in c:  # (only for an example the forward translates: to the WAN address)
            assert "203.0.113.2:" in c["example_text"] and "10.20.0.10:" in c["old_delivered_as"], c
        assert ":" not in c.get("old_delivered_as", "").split("->")[-1].rsplit(":", 1)[0], c

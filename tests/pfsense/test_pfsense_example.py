"""The bundled pfSense example: golden outputs (written by scripts/update_goldens.py, run by
hand), and each kind of finding on the line that causes it."""


import pytest
from conftest import EXAMPLES, GOLDENS, check_goldens, example_result

from auditor.api import audit
from auditor.policy import load_site

DIR = EXAMPLES / "pfsense-site"
TEXT = (DIR / "config.xml").read_text()


def test_golden_outputs():
    check_goldens("pfsense")


def _line(needle: str) -> int:
    hits = [n for n, line in enumerate(TEXT.splitlines(), 1) if needle in line]
    assert len(hits) == 1, needle
    return hits[0]


@pytest.fixture(scope="module")
def result():
    return example_result("pfsense")


def _at(result, rule_id):
    return {f.source.line for f in result.findings if f.rule_id == rule_id}


def test_a_blocked_required_flow(result):
    smb = [f for f in result.findings if f.rule_id == "PRN100" and f.key.startswith("smb:workshop")]
    assert {f.source.line for f in smb} == {_line("Block SMB from Workshop clients")}
    assert all(f.example[4] == 445 for f in smb)
    orbacus = [f for f in result.findings if f.rule_id == "PRN100" and f.key.startswith("orbacus:workshop")]
    # (the default deny of what enters WORKSHOP: its definition '<opt1>')
    assert orbacus and all(f.source.line == _line("<opt1>") and "Default deny rule" in f.message for f in orbacus)


def test_an_idle_timeout_finding(result):
    assert _at(result, "PRN120") == {_line("<statetimeout>3600</statetimeout>")}


def test_anomalies(result):
    assert _line("Job volumes on the primary") in _at(result, "ACL200")
    assert _line("Secondary web pages") in _at(result, "ACL201")


def test_exposure_through_the_port_forward(result):
    decided = {f.source.line for f in result.findings if f.rule_id == "PRN150" and f.status != "unknown"}
    assert decided == {_line("NAT RDP to primary for the vendor")}


def test_a_block_rule_with_unknown_addresses_leaves_exposure_undecided(result):
    # the URL-table alias's addresses are not in config.xml: whether the block rule stops office
    # traffic to the servers is unknown, so PRN150 cannot say "not exposed" for it
    # (and the vendor's RDP forward rule on WAN has pfSense's automatic reply-to ISP_GW: what it passes from the
    # WAN's own subnet, whose replies take the gateway instead of the direct route, is unknown too)
    undecided = [f for f in result.findings if f.rule_id == "PRN150" and f.status == "unknown"]
    assert [f.source.line for f in undecided] == [_line("NAT RDP to primary"),
                                                  _line("No office traffic to listed networks")]
    assert undecided[1].severity == "warning" and "reply-to" in undecided[0].message


def test_the_url_table_alias_is_reported(result):
    # (and the reply-to pfSense adds to WAN's pass rules, at WAN's gateway: test above)
    assert _at(result, "CFG300") == {_line("<name>BLOCKLIST</name>"), _line("<gateway>ISP_GW</gateway>")}


def test_no_secret_in_the_outputs():
    for out in GOLDENS.outputs("pfsense").values():
        assert "pr1nt-snmp-ro" not in out and "$2b$10$" not in out


def test_fingerprints_survive_unrelated_edits(result):
    # a comment and a new alias above everything shift every line: no finding is new or gone
    text = TEXT.replace("<pfsense>", "<pfsense>\n\t<!-- edited -->", 1).replace(
        "\t<aliases>", "\t<aliases>\n\t\t<alias>\n\t\t\t<name>UNUSED</name>\n\t\t\t<type>host</type>\n"
                       "\t\t\t<address>10.99.0.1</address>\n\t\t</alias>", 1)
    from parsers import load

    edited = audit([load("pfsense").parse(text, str(DIR / "config.xml"))], load_site(str(DIR / "site.yaml")))
    assert sorted(f.fingerprint for f in edited.findings) == sorted(f.fingerprint for f in result.findings)

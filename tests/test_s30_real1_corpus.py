"""Real configurations from public repositories (tests/fixtures/real1, PROVENANCE.md there): each audits without a
crash, every non-blank line is accounted for, what is not understood is pinned, and a verdict or two per file.

Documents the expected decisions are read from:

* [JDEF] Juniper, "default-policy (Security Policies)": "permit-all: Permit all traffic that does not match a
  policy" (testbed-3 sets it; its hostos zone has no policy to untrust).
* [FIMPL] Fortinet, FortiOS Administration Guide, "Firewall policy": "the implicit deny policy ... denies all
  traffic that does not match a configured policy" (policy 0); the terraform template's policies only leave
  from the GRE interface tgwc, none from port2.
* [PZONE] Palo Alto Networks, "Security Zone Overview": "traffic can flow only between zones" and an interface
  must be in a zone to pass traffic (iron-skillet's day-one configuration defines no zone and no interface
  address: nothing is routed through it).
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import FIXTURES

from auditor.api import audit, decision_json, load_config, make_packet
from auditor.policy import load_site
from parsers.fortios import parse as fortios_parse
from parsers.junos import parse_lines as junos_lines
from parsers.panos import parse_with_lines as panos_lines

REAL = FIXTURES / "real1"


def fortios_lines(text: str, path: str):
    cfg = fortios_parse(text, path)
    return cfg, cfg.aux["lines"]


READERS = {"junos": junos_lines, "fortios": fortios_lines, "panos": panos_lines}
VENDOR = {"junos": "junos", "fortios": "fortios", "panos": "paloalto-panos"}

# file -> (its roles, {(code, line)} of every diagnostic, the verdict, {status: count} of the required flows checked
# ('pass', 'fail': blocked, 'unknown', 'not_routed': no interface or route of the input reaches them))
EXPECTED = {
    "junos/bf-srx-testbed-3.conf": (["workshop=192.168.56.0/24", "primary=10.13.0.10"], set(), "fail", {"pass": 9}),
    "fortios/ftd-aws-7.2-transitgwyconnect.conf": (["workshop=10.1.1.0/24", "primary=10.1.0.50"], set(), "fail",
                                                   {"fail": 9}),
    # (the set script's two block rules name no zone: the one line reports it, of no verdict impact)
    "panos/iron-skillet-panos-full.set": (["workshop=10.30.0.0/24", "primary=10.20.0.10"], {("CFG300", 1)},
                                          "unknown", {"not_routed": 9}),
    "panos/iron-skillet-panos-full-mgmt-static.xml": (["workshop=10.30.0.0/24", "primary=10.20.0.10"], set(),
                                                      "unknown", {"not_routed": 9}),
}
FILES = sorted(EXPECTED)


def test_every_fixture_has_a_provenance_row_and_a_test():
    prov = (REAL / "PROVENANCE.md").read_text()
    on_disk = {"%s/%s" % (p.parent.name, p.name) for p in REAL.glob("*/*")}
    assert on_disk == set(EXPECTED)
    for name in FILES:
        assert "| %s |" % name in prov


def test_no_secret_is_left_in_the_fixtures():
    for name in FILES:
        text = (REAL / name).read_text()
        for mark in ("$1$", "$6$", "$9$", "<phash>$"):
            assert mark not in text, (name, mark)


@pytest.mark.parametrize("name", FILES)
def test_real_file_audits_with_its_lines_accounted_and_its_verdict(name):
    roles, diagnostics, verdict, flows = EXPECTED[name]
    path = REAL / name
    vendor = name.split("/")[0]
    cfg, lines = READERS[vendor](path.read_text(), str(path))
    assert lines.unaccounted() == []
    assert {(d.code, d.source.line) for d in cfg.diagnostics} == diagnostics, \
        [(d.code, d.source.line, d.message) for d in cfg.diagnostics]
    cfg = load_config(str(path))  # (the CLI's way: the vendor detected)
    assert cfg.vendor == VENDOR[vendor]
    result = audit([cfg], load_site(None, roles))
    assert result.verdict == verdict, result.reasons
    assert Counter(f["status"] for f in result.flows) == flows


def decide(path, src, dst, dport=445):
    return decision_json(load_config(str(REAL / path)), make_packet(src, dst, "tcp", 49152, dport))


def test_srx_testbed_3_default_policy_permits_the_zone_pair_without_a_policy():  # [JDEF]
    got = decide("junos/bf-srx-testbed-3.conf", "192.168.56.20", "10.13.0.10")
    assert got["decision"] == "permit" and "permit-all" in got["reason"], got


def test_fortigate_template_denies_what_no_policy_from_port2_accepts():  # [FIMPL]
    path = "fortios/ftd-aws-7.2-transitgwyconnect.conf"
    got = decide(path, "10.1.1.20", "10.1.0.50")
    assert got["decision"] == "deny" and "implicit deny" in got["reason"], got

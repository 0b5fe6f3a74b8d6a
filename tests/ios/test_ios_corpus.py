"""Every IOS config of the corpus (../shared/corpus/ios, copied with PROVENANCE rows) audits without a
crash; each line not understood is listed and counted here, with why.

Three of the files are Batfish's parser unit tests ("frankenparser" inputs mixing IOS with NX-OS,
EOS, ASA and IOS-XR syntax): they are read as IOS (``vendor="cisco-ios"``), and what is not IOS is
reported.  The others are detected as IOS.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import FIXTURES
from corpus_verdicts import check as assert_corpus_verdict

from auditor.api import audit, load_config
from auditor.core.model import Impact
from auditor.policy import load_site
from parsers.cisco_ios.parser import IosParser

CORPUS = sorted((FIXTURES / "corpus" / "ios").iterdir())
SITE = load_site(None, ["workshop=10.1.0.0/24", "primary=10.2.0.10", "secondary=10.2.0.11"])
FRANKEN = {"bf-parsing-cisco-acl.cfg", "bf-parsing-cisco-misc.cfg"}

# file -> {why (the message, names blanked) : how many lines}
NOT_UNDERSTOOD = {
    "aerleon-multitarget.acl": {},
    "bf-example-as2border1.cfg": {},
    "bf-ios-acl-object-group.cfg": {},
    # 'access-list NAME extended ...' and an indented 'access-list NAME standard' block are ASA /
    # NX-OS syntax; 'ipv6 access-list standard|extended NAME' is EOS: each list is unknown, its
    # lines reported
    "bf-ios-acl.cfg": {"'X' is not an IOS numbered access list": 4,
                       "'X' is not an IOS standard or extended access list": 2,
                       "inside an access list not understood": 4},
    "bf-ios-object-group-service.cfg": {},
    # a static NAT with a route-map and two of one VRF (not modelled); two static networks mapping
    # 2.2.3.0/24 differently (which applies is not documented)
    "bf-ios-nat-static.cfg": {"NAT rule (a conditional static translation (route-map) is not modelled)": 1,
                              "NAT rule (a translation limited to VRF vrf1 is not modelled)": 2,
                              "static NAT overlapping another static translation that maps the same addresses "
                              "differently: which one applies is not documented, those packets are unknown": 2},
    "bf-ios-zone-security.cfg": {},
    # EOS-style 'ip access-list NAME' blocks (with their entries), ASA 'access-list NAME extended',
    # ASA 'prefix-list', NX-OS 'arp access-list' blocks, an 'access-list' without entries
    "bf-parsing-cisco-acl.cfg": {"'X' is not an IOS standard or extended access list": 6,
                                 "inside an access list not understood": 54,
                                 "unknown command 'X'": 4, "bad access-list": 1,
                                 "inside the block of an unknown command": 11,
                                 "'X' is not an IOS numbered access list": 3},
    # 'icmpv6' is not an IOS protocol keyword (IOS IPv6 lists say 'icmp')
    "bf-parsing-cisco-ipv6-acl.cfg": {"access-list entry (unknown protocol 'X')": 7},
    # commands of ASA, NX-OS, EOS, IOS-XR, Brocade and more, one of each, with their blocks (IOS XE's
    # 'virtual-service' block, application hosting, is ignored)
    "bf-parsing-cisco-misc.cfg": {"unknown command 'X'": 79, "'X' is not supported": 10,
                                  "inside the block of an unknown command": 82},  # (s30: gatekeeper ignored)
}


def _why(message: str) -> str:
    return re.sub(r"'[^']*'", "'X'", message.split(":", 1)[1].strip())


def test_corpus_present_with_provenance():
    prov = (FIXTURES / "corpus" / "PROVENANCE.md").read_text()
    assert {f.name for f in CORPUS} == set(NOT_UNDERSTOOD)
    for f in CORPUS:
        row = next(r for r in prov.splitlines() if r.startswith("| ios/%s |" % f.name))
        cells = [c.strip() for c in row.strip("|").split("|")]
        # (bytes, and lines as 'wc -l' counts them: newlines)
        assert int(cells[5]) == f.stat().st_size and int(cells[6]) == f.read_bytes().count(b"\n")


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_audits(path):
    vendor = "cisco-ios" if path.name in FRANKEN else "auto"
    cfg = load_config(str(path), vendor)
    assert cfg.vendor == "cisco-ios"
    result = audit([cfg], SITE)
    assert_corpus_verdict(path, result)
    assert Counter(_why(d.message) for d in cfg.unrecognized) == Counter(NOT_UNDERSTOOD[path.name])
    reported = {f.source.line for f in result.findings if f.rule_id == "CFG300"}
    assert reported == {d.source.line for d in cfg.unrecognized}
    assert result.inputs_json()[0]["unrecognized"] == len(cfg.unrecognized)
    # every non-blank line is accounted for: used, ignored with a reason, or reported
    p = IosParser(path.read_text(), str(path))
    p.build()
    assert p.lines.unaccounted() == []


def test_what_the_corpus_files_say():
    def load(name):
        return load_config(str(FIXTURES / "corpus" / "ios" / name), "cisco-ios")

    c = load("bf-example-as2border1.cfg")
    # two named lists bound to Gi0/0, two numbered lists (used by route maps only)
    assert {n: len(f.rules) for n, f in c.filters.items()} == {
        "INSIDE_TO_AS1": 3, "OUTSIDE_TO_INSIDE": 3, "101": 2, "103": 2}
    p = [p for p in c.paths if p.ingress == "GigabitEthernet0/0" and p.egress == "GigabitEthernet1/0"]
    assert [s.name for s in p[0].stages] == ["in:GigabitEthernet0/0"]
    c = load("aerleon-multitarget.acl")
    assert {n: len(f.rules) for n, f in c.filters.items()} == {
        "edge-inbound": 43, "ipv6-edge-inbound": 25, "edge-outbound": 15, "ipv6-edge-outbound": 24}
    c = load("bf-ios-zone-security.cfg")
    # zone pair to an undefined zone: reported; the interfaces in z1 and z2 have no addresses
    assert [d.code for d in c.diagnostics] == ["CFG301"] and "zundefined" in c.diagnostics[0].message
    c = load("bf-ios-acl-object-group.cfg")
    assert sorted(d.message for d in c.diagnostics) == [
        "reference to undefined network object-group 'ognfake1'",
        "reference to undefined network object-group 'ognfake2'",
        "reference to undefined service object-group 'ogsfake'"]
    assert all(d.impact is Impact.FILTER for d in c.diagnostics)

"""Cisco IOS, corpus sweep 23: Batfish's IOS grammar tests run through the auditor.

Overlapping static NAT.  Batfish's ``ios-nat-static`` (CiscoGrammarTest.testIosStaticNat) has
``ip nat inside source static network 1.1.2.0 2.2.2.0 /14`` then ``... static network 1.1.3.0 2.2.3.0
255.255.255.0``: both map 2.2.3.x, differently (the /14 to 1.2.3.x, the /24 to 1.1.3.x).  Batfish tries
the longest prefix first; the auditor took the first written, and said "permit, translated to 1.2.3.x"
for sure.  Neither order is documented: Cisco's "NAT Order of Operation" (Document ID 6209) orders NAT
against routing and the access lists, and the IP Addressing: NAT Configuration Guide and the ``ip nat
inside source`` command reference say nothing of two static entries covering one address.  The house
rule for an undocumented behaviour is unknown, never a sure verdict: the packets both rules cover are
now unknown in each of them (``maybe``), in both directions; what only one covers is translated as before.
"""

from __future__ import annotations

from conftest import FIXTURES

from auditor.api import decision_json, make_packet
from auditor.core.model import Impact
from parsers import cisco_ios

BASE = """version 15.2
hostname r
interface Ethernet1
 ip address 10.0.1.1 255.255.255.0
 ip nat inside
interface Ethernet2
 ip address 10.0.2.1 255.255.255.0
 ip nat outside
ip route 0.0.0.0 0.0.0.0 10.0.2.254
ip route 1.0.0.0 255.0.0.0 10.0.1.254
%s
"""


def ios(nat: str):
    return cisco_ios.parse(BASE % nat, "r.cfg")


def decide(cfg, src: str, dst: str, dport: int = 80, proto: str = "tcp") -> dict:
    return decision_json(cfg, make_packet(src, dst, proto, 49152, dport))


OVERLAP = ("ip nat inside source static network 1.1.2.0 2.2.2.0 /14\n"
           "ip nat inside source static network 1.1.3.0 2.2.3.0 255.255.255.0")


def test_overlapping_static_networks_are_unknown_where_they_overlap():
    cfg = ios(OVERLAP)
    diags = [d for d in cfg.unrecognized if "overlapping" in d.message]
    assert sorted(d.source.line for d in diags) == [11, 12]
    assert all(d.impact is Impact.FILTER for d in diags)
    # outside -> the global addresses both rules map: unknown (before: permit, as 1.2.3.5 for sure)
    out = decide(cfg, "10.0.2.5", "2.2.3.5")
    assert out["decision"] == "unknown"
    # inside -> outside from a local address both rules map (1.1.3.x: the /14's 1.0.0.0/14 and the /24)
    # (before: translated to 2.1.3.5 for sure, by the /14)
    assert decide(cfg, "1.1.3.5", "10.0.2.5")["nat_out"].startswith("unknown")
    assert decide(cfg, "1.2.0.5", "10.0.2.5")["leaves"]["src"] == "2.2.0.5"
    # what one rule alone maps is translated as before
    out = decide(cfg, "10.0.2.5", "2.3.0.5")
    assert out["decision"] == "permit" and "1.3.0.5" in str(out)


def test_static_translations_that_do_not_overlap_are_not_reported():
    # port statics sharing one global address, on different ports; a host static elsewhere
    cfg = ios("ip nat inside source static tcp 1.1.1.5 80 2.2.2.5 80\n"
              "ip nat inside source static tcp 1.1.1.6 25 2.2.2.5 25\n"
              "ip nat inside source static 1.1.1.7 2.2.2.7")
    assert not cfg.unrecognized
    assert decide(cfg, "10.0.2.5", "2.2.2.5", 25)["decision"] == "permit"
    # the same translation written twice is no ambiguity
    cfg = ios("ip nat inside source static network 1.1.3.0 2.2.3.0 /24\n"
              "ip nat inside source static network 1.1.3.0 2.2.3.0 255.255.255.0")
    assert not cfg.unrecognized and decide(cfg, "10.0.2.5", "2.2.3.5")["decision"] == "permit"


def test_one_global_address_for_two_hosts_is_unknown():
    cfg = ios("ip nat inside source static 1.1.1.5 2.2.2.5\nip nat inside source static 1.1.1.6 2.2.2.5")
    assert [d.source.line for d in cfg.unrecognized] == [11, 12]
    assert decide(cfg, "10.0.2.5", "2.2.2.5")["decision"] == "unknown"  # (before: permit, to 1.1.1.5)


def test_batfish_ios_nat_static_config():
    path = FIXTURES / "corpus" / "ios" / "bf-ios-nat-static.cfg"
    cfg = cisco_ios.parse(path.read_text(), str(path))
    lines = {d.source.line: d.message for d in cfg.unrecognized}
    assert "overlapping" in lines[28] and "overlapping" in lines[29]

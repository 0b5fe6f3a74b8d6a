"""``explain`` shows how a forwarded packet leaves: the source NAT after routing, and the packet as it leaves.

Source NAT happens after the routing and policy decision on every vendor read here (Cisco ASA, "NAT
order": the source is translated as the packet leaves by the mapped interface; Cisco IOS, "ip nat inside
source ... overload": inside-to-outside translation after routing; Juniper, "Source NAT": applied after
the security policy lookup; https://www.juniper.net/documentation/us/en/software/junos/nat/topics/topic-map/nat-security-source-and-source-pool.html).
The decision does not depend on it (the filters see the real source), so the engine computes it only
where a stage sees the translated packet; ``explain`` computes it for the packet it shows, so that an
admin tracing outbound traffic sees the address the server or the Internet will see.  An address or port
the device picks from a pool is given as the pool (``picked``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from auditor.api import decision_json, load_inputs, make_packet

ROOT = Path(__file__).resolve().parent.parent


def explain(example: str, src: str, dst: str, dport: int = 443) -> dict:
    (cfg,) = load_inputs(str(ROOT / example), "auto")
    return decision_json(cfg, make_packet(src, dst, "tcp", 1024, dport))


def test_asa_interface_pat_shows_its_line_and_the_interface_address():
    # (10.20.0.11: a server the example does not publish; the section 3 PAT translates it)
    d = explain("examples/prinergy-site/asa.cfg", "10.20.0.11", "8.8.8.8")
    assert d["decision"] == "permit"
    assert d["nat_out"] == [{"line": 108, "rule": "nat (servers,outside) after-auto source dynamic any interface"}]
    assert d["leaves"]["src"] == "203.0.113.2" and d["leaves"]["dst"] == "8.8.8.8"
    assert d["leaves"]["picked"] == ["sport"]  # (PAT: the device picks the source port)
    # the primary's own object static NAT (section 2) is matched before the section 3 PAT: it leaves as its mapped
    # address, the source port kept
    d = explain("examples/prinergy-site/asa.cfg", "10.20.0.10", "8.8.8.8")
    assert d["nat_out"] == [{"line": 157, "rule": " nat (servers,outside) static 203.0.113.10"}]
    assert d["leaves"]["src"] == "203.0.113.10" and d["leaves"]["sport"] == 1024 and d["leaves"]["picked"] == []


def test_no_source_nat_no_nat_out():
    # the workshop's traffic to a server crosses no source NAT rule
    d = explain("examples/prinergy-site/asa.cfg", "10.30.0.5", "10.20.0.10", 80)
    assert "nat_out" not in d and "leaves" not in d


def test_ios_overload_and_junos_interface_nat_use_the_egress_interfaces_own_address():
    d = explain("examples/ios-site/ios.cfg", "10.30.0.5", "8.8.8.8")
    assert d["nat_out"][0]["rule"].startswith("ip nat inside source list NAT-INSIDE interface")
    assert d["leaves"]["src"] == "203.0.113.2" and d["leaves"]["picked"] == ["sport"]
    d = explain("examples/junos-site/srx.conf", "10.30.0.5", "8.8.8.8")
    assert d["decision"] == "permit" and d["nat_out"][0]["line"] == 131
    # (source-nat interface: the egress unit's own address, no longer any host of its network)
    assert d["leaves"]["src"] == "203.0.113.2" and d["leaves"]["picked"] == ["sport"]


def test_denied_packets_show_no_way_out():
    d = explain("examples/prinergy-site/asa.cfg", "10.30.0.5", "10.20.0.10", 445)
    assert d["decision"] == "deny" and "nat_out" not in d


def test_the_text_form_says_how_it_leaves():
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "explain", "examples/prinergy-site/asa.cfg", "--src",
                        "10.20.0.11", "--dst", "8.8.8.8", "--dport", "443"], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "  source NAT by line 108: nat (servers,outside) after-auto source dynamic any interface\n" in p.stdout
    assert "  it leaves as tcp 203.0.113.2:[one of 0-65535] -> 8.8.8.8:443\n" in p.stdout


SRX_POOL = """set interfaces ge-0/0/0 unit 0 family inet address 10.30.0.1/24
set interfaces ge-0/0/1 unit 0 family inet address 203.0.113.2/24
set security zones security-zone trust interfaces ge-0/0/0.0
set security zones security-zone untrust interfaces ge-0/0/1.0
set routing-options static route 0.0.0.0/0 next-hop 203.0.113.254
set security nat source pool P address 198.51.100.10/32
{port}set security nat source rule-set out from zone trust
set security nat source rule-set out to zone untrust
set security nat source rule-set out rule r match source-address 10.30.0.0/24
set security nat source rule-set out rule r then source-nat pool P
set security policies from-zone trust to-zone untrust policy p match source-address any
set security policies from-zone trust to-zone untrust policy p match destination-address any
set security policies from-zone trust to-zone untrust policy p match application any
set security policies from-zone trust to-zone untrust policy p then permit
"""


def test_a_junos_pool_translates_the_port_unless_it_says_no_translation():
    from parsers import parse_text

    for port, picked in (("", ["sport"]), ("set security nat source pool P port no-translation\n", [])):
        cfg = parse_text(SRX_POOL.format(port=port), "srx.conf")
        d = decision_json(cfg, make_packet("10.30.0.5", "8.8.8.8", "tcp", 1024, 443))
        assert d["decision"] == "permit" and d["leaves"]["src"] == "198.51.100.10", d
        assert d["leaves"]["picked"] == picked and (picked or d["leaves"]["sport"] == 1024), d


def test_panos_dynamic_ip_and_port_picks_the_source_port():
    # Palo Alto, "Source NAT": dynamic IP and port (DIPP) translates the source address and the source
    # port; PAN-OS applies the NAT policy on arrival, so it is 'translated', not 'nat_out'
    path = "examples/panos-site/running-config.xml"
    d = explain(path, "10.30.0.5", "8.8.8.8")
    rule = open(path).read().splitlines().index('                <entry name="outbound-pat">') + 1
    assert d["decision"] == "permit" and [n["line"] for n in d["nat"]] == [rule]
    assert d["translated"]["src"] == "203.0.113.2" and d["translated"]["picked"] == ["sport"]

"""Session 25 red-team of the Cisco ASA and IOS parsers: behaviours from Cisco's documents, each test
failing before its fix."""

from auditor.api import decision_json, make_packet
from parsers.cisco_asa import parse as parse_asa

ASA_IFACES = ("interface G0\n nameif inside\n security-level 100\n ip address 10.20.0.1 255.255.255.0\n"
              "interface G1\n nameif outside\n security-level 0\n ip address 203.0.113.2 255.255.255.0\n"
              "route outside 0.0.0.0 0.0.0.0 203.0.113.1\n")
ASA_OUT_ACL = "access-list OUT extended permit tcp any host %s eq 443\naccess-group OUT in interface outside\n"


def asa_decide(text, src, dst, dport=443, proto="tcp", sport=None):
    cfg = parse_asa(text, "t.cfg")
    return cfg, decision_json(cfg, make_packet(src, dst, proto, sport, dport))


def test_asa_sysopt_noproxyarp_makes_the_mapped_addresses_on_that_network_unknown():
    # Cisco ASA 5500 Series Configuration Guide using the CLI (8.4), "Routing Overview", "Disabling Proxy
    # ARPs" (http://www.manualsdir.com/manuals/743833/cisco-asa-5585-x-asa-5555-x-asa-5545-x-asa-5525-x-asa-5515-x-asa-5512-x-asa-5580-asa-5550-asa-5540-asa-5520-asa-5510-asa-5505-asa-5500-series.html?page=445):
    # "The ASA uses proxy ARP when you configure NAT and specify a mapped address that is on the same network
    # as the ASA interface. The only way traffic can reach the hosts is if the ASA uses proxy ARP";
    # 'sysopt noproxyarp IF' disables it on IF (command reference, sysopt noproxyarp; 'no sysopt noproxyarp
    # IF', proxy ARP on, is the default 'show running-config all' prints).  It was ignored: a pass.
    nat = "object network SRV\n host 10.20.0.10\n nat (inside,outside) static %s\n"
    for head in ("ASA Version 9.12(4)\n", "PIX Version 8.0(4)\n"):
        dst = "10.20.0.10" if head.startswith("ASA") else "203.0.113.10"
        rule = (nat % "203.0.113.10" if head.startswith("ASA")
                else "static (inside,outside) 203.0.113.10 10.20.0.10 netmask 255.255.255.255\n")
        text = head + ASA_IFACES + rule + ASA_OUT_ACL % dst
        cfg, d = asa_decide(text + "sysopt noproxyarp outside\n", "198.51.100.7", "203.0.113.10")
        assert d["decision"] == "unknown", head
        [diag] = cfg.unrecognized
        at, sysopt = (13, 16) if head.startswith("ASA") else (11, 14)
        assert diag.source.line == at and "'sysopt noproxyarp outside' (line %d)" % sysopt in diag.message
        # proxy ARP on (the default, written out or not), or off on another interface: decided
        for extra in ("", "no sysopt noproxyarp outside\n", "sysopt noproxyarp inside\n"):
            cfg, d = asa_decide(text + extra, "198.51.100.7", "203.0.113.10")
            assert d["decision"] == "permit" and not cfg.unrecognized, (head, extra)
    # a mapped address on a network of its own (routed to the ASA by the upstream router): decided
    text = "ASA Version 9.12(4)\n" + ASA_IFACES + nat % "198.51.100.10" + ASA_OUT_ACL % "10.20.0.10"
    cfg, d = asa_decide(text + "sysopt noproxyarp outside\n", "192.0.2.7", "198.51.100.10")
    assert d["decision"] == "permit" and not cfg.unrecognized

"""check-change: change requests applied as the device applies them (Junos, PAN-OS, FortiOS, iptables,
nftables), each behaviour checked against the vendor's documentation cited in its test."""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers import parse_text
from parsers.junos.change import apply_change as junos_change


def decide(cfg, src, dst, dport, proto="tcp"):
    return decision_json(cfg, make_packet(src, dst, proto, 1024, dport))["decision"]


# --- Junos: a filter term's match conditions are lists ----------------------------------------

JUNOS_FILTER = """set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24
set interfaces ge-0/0/1 unit 0 family inet filter output F
set firewall family inet filter F term BLOCK from protocol tcp
set firewall family inet filter F term BLOCK from destination-port 23
set firewall family inet filter F term BLOCK then discard
set firewall family inet filter F term REST then accept
"""

JUNOS_FILTER_TREE = """interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.1.0.1/16;
            }
        }
    }
    ge-0/0/1 {
        unit 0 {
            family inet {
                filter {
                    output F;
                }
                address 10.2.0.1/24;
            }
        }
    }
}
firewall {
    family inet {
        filter F {
            term BLOCK {
                from {
                    protocol tcp;
                    destination-port 23;
                }
                then discard;
            }
            term REST {
                then accept;
            }
        }
    }
}
"""


def test_junos_set_destination_port_adds_to_a_filter_term():
    # Juniper, "Understanding Firewall Filter Match Conditions"
    # (https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/
    # firewall-filter-match-understanding.html): "set source-port 22" then "set source-port 23" gives the
    # term both values; a packet matching any one of them matches.  The change added 445 to the discard term:
    # port 23 was let through in the model (its value replaced, as an application's port is).
    for cfg_text, name in ((JUNOS_FILTER, "new.set"), (JUNOS_FILTER_TREE, "new.conf")):
        out = junos_change(cfg_text, "set firewall family inet filter F term BLOCK from destination-port 445\n",
                           "c.txt")
        cfg = parse_text(out, name)
        assert decide(cfg, "10.1.0.5", "10.2.0.10", 23) == "deny", name
        assert decide(cfg, "10.1.0.5", "10.2.0.10", 445) == "deny", name
        assert decide(cfg, "10.1.0.5", "10.2.0.10", 80) == "permit", name


def test_junos_an_applications_port_is_still_one_value():
    # Juniper, "destination-port (Applications)": one port value per application (or term)
    # (https://juniper.net/documentation/en_US/junos13.1/topics/reference/configuration-statement/
    # destination-port-edit-applications.html)
    text = ("set applications application A protocol tcp\n"
            "set applications application A destination-port 23\n")
    out = junos_change(text, "set applications application A destination-port 445\n", "c.txt")
    assert "destination-port 23" not in out and "destination-port 445" in out


# --- Junos: an address-book address holds one value ----------------------------------------------

SRX_ZONE_BOOK = """set interfaces ge-0/0/0 unit 0 family inet address 10.1.0.1/16
set interfaces ge-0/0/1 unit 0 family inet address 10.2.0.1/24
set security zones security-zone ws interfaces ge-0/0/0.0
set security zones security-zone srv interfaces ge-0/0/1.0
set security zones security-zone srv address-book address PRIMARY 10.2.0.10/32
set security policies from-zone ws to-zone srv policy p match source-address any
set security policies from-zone ws to-zone srv policy p match destination-address PRIMARY
set security policies from-zone ws to-zone srv policy p match application SMB
set security policies from-zone ws to-zone srv policy p then permit
set applications application SMB protocol tcp
set applications application SMB destination-port 445
"""


def test_junos_setting_a_zone_address_book_address_replaces_its_prefix():
    # Juniper, "address-book" (https://juniper.net/documentation/software/junos-es/junos-es93/
    # junos-es-swcmdref/address-book.html): "address address-name (ip-prefix | dns-name dns-address-name)",
    # one value.  Only the global/named book's address was replaced: a zone book's kept the old prefix
    # too, and the policy still let 10.2.0.10 in after the change moved PRIMARY to 10.2.0.11.
    before = parse_text(SRX_ZONE_BOOK, "old.set")
    assert decide(before, "10.1.0.5", "10.2.0.10", 445) == "permit"
    out = junos_change(SRX_ZONE_BOOK,
                       "set security zones security-zone srv address-book address PRIMARY 10.2.0.11/32\n", "c.txt")
    cfg = parse_text(out, "new.set")
    assert decide(cfg, "10.1.0.5", "10.2.0.10", 445) == "deny"
    assert decide(cfg, "10.1.0.5", "10.2.0.11", 445) == "permit"


def test_junos_a_range_address_replaces_a_prefix_in_a_named_book():
    text = SRX_ZONE_BOOK.replace("security zones security-zone srv address-book address PRIMARY",
                                 "security address-book global address PRIMARY")
    out = junos_change(text, "set security address-book global address PRIMARY range-address 10.2.0.11 to "
                             "10.2.0.12\n", "c.txt")
    cfg = parse_text(out, "new.set")
    assert decide(cfg, "10.1.0.5", "10.2.0.10", 445) == "deny"
    assert decide(cfg, "10.1.0.5", "10.2.0.12", 445) == "permit"


# --- PAN-OS: an address object is of one type, a service of one protocol ------------------------

def test_panos_setting_another_address_type_replaces_the_value():
    # Palo Alto, "Address Objects" (https://docs.paloaltonetworks.com/pan-os/9-1/pan-os-admin/policy/
    # use-address-object-to-represent-ip-addresses/address-objects.html): an address object is "of type
    # IP Netmask, IP Range, or FQDN", one of them.  'set address PRIMARY ip-range ...' on an ip-netmask
    # address kept the old netmask (read first): the old server stayed permitted, the new range denied.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "panos"))
    from panos_util import BASE, allow, cfg_of
    from panos_util import decide as pan_decide

    from parsers.panos.change import apply_change as panos_change

    config = BASE + allow("ws-srv", dst="PRIMARY", svc="smb") + \
        "set service smb protocol tcp port 445\nset address PRIMARY ip-netmask 10.20.0.10/32\n"
    cfg = cfg_of(panos_change(config, "set address PRIMARY ip-range 10.20.0.11-10.20.0.12\n", "cr.txt"), "fw.set")
    assert pan_decide(cfg, "10.30.0.5", "10.20.0.10") == "deny"
    assert pan_decide(cfg, "10.30.0.5", "10.20.0.12") == "permit"
    # an FQDN: resolved at run time, so unknown (not the old netmask's permit)
    cfg = cfg_of(panos_change(config, "set address PRIMARY fqdn primary.example.com\n", "cr.txt"), "fw.set")
    assert pan_decide(cfg, "10.30.0.5", "10.20.0.10") == "unknown"

    xml = (Path(__file__).parent.parent / "examples" / "panos-site" / "running-config.xml").read_text()
    from parsers.panos import parse as panos_parse
    new = panos_parse(panos_change(xml, "set address PRIMARY ip-range 10.20.0.13-10.20.0.14\n", "cr.txt"), "r.xml")
    assert decision_json(new, make_packet("10.30.0.5", "10.20.0.10", "tcp", 40000, 80))["decision"] == "deny"
    assert decision_json(new, make_packet("10.30.0.5", "10.20.0.13", "tcp", 40000, 80))["decision"] == "permit"
    # a service's protocol: udp replaces tcp in the XML too (one <protocol> child)
    out = panos_change(xml, "set service svc-prinergy-web protocol udp port 80\n", "cr.txt")
    entry = out.split('<entry name="svc-prinergy-web">')[1].split("</entry>")[0]
    assert "<udp>" in entry and "<tcp>" not in entry

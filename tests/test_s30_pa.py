"""PAN-OS red-team, session 30: rules and objects whose reading the documents leave open.

Documents cited (Palo Alto Networks unless said):

* [RULE] "Components of a Security Policy Rule" (PAN-OS 11.1 administrator's guide),
  https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule
  ("intrazone—Applies the rule to all matching traffic within the specified source zones (you cannot specify a
  destination zone for intrazone rules)"); Batfish's PaloAltoConfiguration.checkIntrazoneValidityAndWarn skips an
  intrazone rule whose from and to differ ("Skipping invalid intrazone security rule").
* [NAME] batfish/batfish#2975 "Palo Alto Address Objects": an address object's name wins over the built-in values
  a member may be (an object named ``1.2.3.4``); no document says whether an object may be named ``any``, or
  what a rule's ``any`` then matches.
* [ZPP] "Zone Protection Profiles" (PAN-OS 10.0 administrator's guide),
  https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/zone-protection-and-dos-protection/zone-defense/zone-protection-profiles
  ("Apply a Zone Protection profile to each zone to defend it based on the aggregate traffic entering the ingress
  zone"); the web interface help's "Network > Network Profiles > Zone Protection": Flood Protection (SYN, UDP, ICMP,
  ICMPv6, Other IP: Random Early Drop or SYN cookies above the activation rate), Reconnaissance Protection (block,
  block-ip), Packet Based Attack Protection: IP Drop, "TCP Drop"
  (https://docs.paloaltonetworks.com/ngfw/help/10-1/network/network-network-profiles/network-network-profiles-zone-protection/packet-based-attack-protection/tcp-drop:
  "TCP SYN with Data: Prevents a TCP session from being established if the TCP SYN packet contains data"...),
  ICMP Drop (ping ID 0, fragments, large packets over 1024 bytes, ICMP embedded with error message).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "panos"))

from panos_util import BASE, allow, cfg_of, decide, line_of  # noqa: E402

from parsers.kit.lines import IGNORED  # noqa: E402
from parsers.panos import parse_with_lines  # noqa: E402

WS, WS2, SRV = "10.30.0.5", "10.31.0.5", "10.20.0.10"


def _cfg300(cfg, needle):
    return [d for d in cfg.diagnostics if d.code == "CFG300" and needle in d.message]


def test_an_intrazone_rule_whose_to_differs_from_its_from_is_reported_and_uncertain():  # [RULE]
    # a deny written 'rule-type intrazone' from workshop to servers: an intrazone rule has one zone list, so
    # whether it drops workshop's own traffic is not documented; it was taken as workshop->workshop for certain
    text = BASE + allow("odd", frm="workshop", to="servers", action="deny", rule_type="intrazone")
    cfg = cfg_of(text)
    assert decide(cfg, WS, WS2) == "unknown"
    assert _cfg300(cfg, "intrazone rule whose destination zones differ")
    # written as the web interface writes it (its 'to' its 'from'): certain, and nothing reported
    same = cfg_of(BASE + allow("ok", frm="workshop", to="workshop", action="deny", rule_type="intrazone"))
    assert decide(same, WS, WS2) == "deny"
    assert not _cfg300(same, "intrazone")
    both = cfg_of(BASE + allow("ok", frm="any", to="any", action="deny", rule_type="intrazone"))
    assert decide(both, WS, WS2) == "deny"
    assert decide(both, WS, SRV) == "deny"  # (the interzone default)


def test_a_service_named_any_makes_a_rules_service_any_uncertain_beyond_its_ports():  # [NAME]
    svc = "set service any protocol tcp port 80\n"
    cfg = cfg_of(BASE + svc + allow("web", svc="any"))
    assert decide(cfg, WS, SRV, dport=80) == "permit"  # (both readings hold TCP 80)
    assert decide(cfg, WS, SRV, dport=445) == "unknown"  # (was permit: 'any' read as every service)
    assert _cfg300(cfg, "service 'any' is named as PAN-OS's keyword")
    deny = cfg_of(BASE + svc + allow("no", svc="any", action="deny") + allow("rest"))
    assert decide(deny, WS, SRV, dport=445) == "unknown"  # (was deny)
    assert decide(deny, WS, SRV, dport=80) == "deny"


def test_an_address_named_any_makes_a_rules_any_uncertain_beyond_its_addresses():  # [NAME]
    addr = "set address any ip-netmask 10.99.0.0/24\n"
    cfg = cfg_of(BASE + addr + allow("no", src="any", action="deny") + allow("rest"))
    assert decide(cfg, WS, SRV) == "unknown"  # (was deny: 'any' read as every address)
    assert _cfg300(cfg, "address 'any' is named as PAN-OS's keyword")
    # a NAT rule's service 'any' alike: it translates maybe
    nat = cfg_of(BASE + "set service any protocol tcp port 80\n" + allow("rest") +
                 "set rulebase nat rules n from workshop to servers source any destination any service any "
                 "source-translation dynamic-ip-and-port interface-address interface ethernet1/1\n")
    assert _cfg300(nat, "service 'any' is named as PAN-OS's keyword")


ZP = "set zone workshop network zone-protection-profile zp\n"
PROFILE = "set network profiles zone-protection-profile zp "


def test_an_icmp_drop_of_a_zones_protection_profile_leaves_icmp_entering_it_unknown():  # [ZPP]
    text = BASE + ZP + PROFILE + "discard-icmp-large-packet yes\n" + allow("all") + allow("back", "servers", "workshop")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV, proto="icmp", dport=None) == "unknown"  # (was permit: a ping over 1024 bytes drops)
    assert decide(cfg, WS, SRV) == "permit"  # (TCP: not an ICMP packet)
    assert decide(cfg, SRV, WS, proto="icmp", dport=None) == "permit"  # (entering from servers: no profile)
    # the rule a later stage would deny anyway stays denied
    deny = cfg_of(BASE + ZP + PROFILE + "discard-icmp-large-packet yes\n" + allow("none", action="deny"))
    assert decide(deny, WS, SRV, proto="icmp", dport=None) == "deny"


def test_a_flood_or_scan_protection_is_reported_on_its_zone_without_changing_the_verdicts():  # [ZPP]
    text = BASE + ZP + PROFILE + "flood tcp-syn enable yes\n" + PROFILE + \
        "flood tcp-syn red alarm-rate 10000 activate-rate 10000 maximal-rate 40000\n" + PROFILE + \
        "scan 8001 action block-ip track-by source duration 3600\n" + allow("all")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "permit"  # (an exposure must not turn uncertain either)
    flood = _cfg300(cfg, "its tcp-syn protection drops new TCP sessions")
    assert [d.source.line for d in flood] == [line_of(text, "flood tcp-syn enable yes")]
    assert "zone workshop" in flood[0].message
    assert _cfg300(cfg, "its reconnaissance protection blocks a source")
    off = BASE + ZP + PROFILE + "flood tcp-syn enable no\n" + PROFILE + "scan 8001 action alert\n" + allow("all")
    assert not _cfg300(cfg_of(off), "zone protection")
    # a profile no zone names is no report
    assert not _cfg300(cfg_of(BASE + PROFILE + "flood tcp-syn enable yes\n" + allow("all")), "zone protection")


def test_packet_based_drops_of_packets_the_audit_does_not_send_are_ignored_with_their_reason():  # [ZPP]
    keys = ["discard-tcp-syn-with-data yes", "discard-tcp-synack-with-data yes", "tcp-reject-non-syn yes",
            "discard-ip-spoof yes", "discard-ip-frag yes", "discard-strict-source-routing yes",
            "remove-tcp-timestamp yes", "asymmetric-path drop", "strip-tcp-fast-open-and-data yes"]
    text = BASE + ZP + "".join(PROFILE + k + "\n" for k in keys) + allow("all")
    cfg, lines = parse_with_lines(text, "fw.set")
    assert decide(cfg, WS, SRV) == "permit"
    assert not [d for d in cfg.diagnostics if "zone" in d.message]
    for k in keys:
        assert lines.state[line_of(text, k) - 1] == IGNORED, k
    # a setting not understood may drop anything entering the zone
    odd = cfg_of(BASE + ZP + PROFILE + "discard-everything yes\n" + allow("all"))
    assert decide(odd, WS, SRV) == "unknown"
    assert _cfg300(odd, "unknown setting 'discard-everything'")


def test_a_zone_protection_profile_in_xml_reads_its_enable_wherever_it_is_written():  # [ZPP]
    def xml(enable):
        return """<config version="10.1.0"><devices><entry name="localhost.localdomain"><network>
<interface><ethernet>
<entry name="ethernet1/1"><layer3><ip><entry name="10.20.0.1/24"/></ip></layer3></entry>
<entry name="ethernet1/2"><layer3><ip><entry name="10.30.0.1/24"/></ip></layer3></entry>
</ethernet></interface>
<profiles><zone-protection-profile><entry name="zp"><flood><tcp-syn>
<red><alarm-rate>10000</alarm-rate><activate-rate>10000</activate-rate><maximal-rate>40000</maximal-rate></red>
<enable>%s</enable>
</tcp-syn></flood><discard-icmp-ping-zero-id>yes</discard-icmp-ping-zero-id></entry></zone-protection-profile></profiles>
<virtual-router><entry name="default"><interface><member>ethernet1/1</member><member>ethernet1/2</member></interface>
</entry></virtual-router></network>
<vsys><entry name="vsys1">
<zone><entry name="servers"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
<entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3>
<zone-protection-profile>zp</zone-protection-profile></network></entry></zone>
<rulebase><security><rules><entry name="all"><from><member>workshop</member></from><to><member>servers</member></to>
<source><member>any</member></source><destination><member>any</member></destination>
<application><member>any</member></application><service><member>any</member></service><action>allow</action>
</entry></rules></security></rulebase></entry></vsys></entry></devices></config>
""" % enable
    on, off = cfg_of(xml("yes"), "fw.xml"), cfg_of(xml("no"), "fw.xml")
    assert _cfg300(on, "its tcp-syn protection") and not _cfg300(off, "its tcp-syn protection")
    for cfg in (on, off):
        assert decide(cfg, WS, SRV) == "permit"
        assert decide(cfg, WS, SRV, proto="icmp", dport=None) == "unknown"


def test_a_rule_whose_only_zone_is_undefined_is_uncertain_not_gone():
    # docs/vendors/panos.md: "undefined zones ... PAN-OS refuses to commit them | CFG301; the rule is uncertain".
    # aerleon's paloalto generator writes a header's 'from-zone all' as the zone 'all' (<member>all</member>); a deny
    # from such a zone was placed in no zone pair, so the allow below it permitted for certain
    text = BASE + allow("typo", frm="wrokshop", action="deny") + allow("all")
    cfg = cfg_of(text)
    assert any(d.code == "CFG301" and "wrokshop" in d.message for d in cfg.diagnostics)
    assert decide(cfg, WS, SRV) == "unknown"  # (was permit)
    # a defined zone beside it is certain
    both = cfg_of(BASE + allow("typo", frm=["workshop", "wrokshop"], action="deny") + allow("all"))
    assert decide(both, WS, SRV) == "deny"



def test_a_nat_rule_naming_an_undefined_zone_translates_maybe_not_never():
    # a destination NAT from a mistyped zone: PAN-OS refuses the commit, so whether the device translates is not
    # known; it was dropped, and the untranslated packet (intrazone, allowed) passed for certain
    nat = ("set rulebase nat rules dn from wrokshop to workshop source any destination 10.31.0.200 service any "
           "destination-translation translated-address 10.20.0.10\n")
    cfg = cfg_of(BASE + nat + allow("srv", action="deny"))
    assert any(d.code == "CFG301" and "wrokshop" in d.message for d in cfg.diagnostics)
    assert decide(cfg, WS, "10.31.0.200") == "unknown"  # (was permit)
    fixed = cfg_of(BASE + nat.replace("wrokshop", "workshop") + allow("srv", action="deny"))
    assert decide(fixed, WS, "10.31.0.200") == "deny"  # (translated to the server: workshop->servers denies)

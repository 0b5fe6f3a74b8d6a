"""PAN-OS security rules' application and service edges probed in session 22 (coverage: each passed
before this file; kept so that a change that breaks them is seen).

Documents cited (Palo Alto Networks):

* [PAN61] Panorama 6.1 Administrator's Guide, "Panorama Overview" (centralized configuration): "On the
  firewall, you can edit default rules that are part of the predefined configuration, or pushed from a
  Panorama shared or device group context ... The order of precedence for default rules runs from the
  lowest context to the highest: settings edited at the firewall level override settings at the device
  group level, which override settings at the shared level."
* [ORR] "Overriding or Reverting a Security Policy Rule", PAN-OS 10.0 web interface help,
  https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-web-interface-help/policies/policies-security/overriding-or-reverting-a-security-policy-rule
  ("If a firewall receives the default rules from a device group, you can also override the device group
  settings. The firewall or virtual system where you perform the override stores a local version of the rule").
* [CSR] "Components of a Security Policy Rule", PAN-OS 11.1 admin guide,
  https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule
  (interzone: "not traffic within zones A, B, or C").
* [APD] "Tips & Tricks: What Does Application-default Under Service Mean?", Palo Alto Networks knowledge
  base ("the selected applications are allowed or denied only on their default ports").
"""

from __future__ import annotations

from panos_util import BASE, allow, cfg_of, decide, explain_of

WS, WS2, SRV = "10.30.0.5", "10.31.0.5", "10.20.0.10"
PANO_ALLOW = "set policy panorama post-rulebase default-security-rules rules interzone-default action allow\n"
LOCAL_DENY = "set rulebase default-security-rules rules interzone-default action deny\n"


def test_a_default_rule_pushed_by_panorama_applies_and_the_firewalls_own_override_wins():  # [PAN61] [ORR]
    cfg = cfg_of(BASE + PANO_ALLOW)
    assert decide(cfg, WS, SRV) == "permit"
    for text in (BASE + PANO_ALLOW + LOCAL_DENY, BASE + LOCAL_DENY + PANO_ALLOW):
        got = explain_of(cfg_of(text), WS, SRV)
        assert got["decision"] == "deny", text
        assert got["default_line"] == text.splitlines().index(LOCAL_DENY.strip()) + 1


def test_an_interzone_rule_from_a_zone_to_itself_matches_nothing():  # [CSR]
    cfg = cfg_of(BASE + allow("r", to="workshop", action="deny", rule_type="interzone"))
    assert decide(cfg, WS, WS2) == "permit"  # intrazone-default, not the rule
    assert "workshop->workshop" not in cfg.filters


def test_an_application_known_by_its_ip_protocol_never_matches_other_protocols():  # [APD]
    # a deny for ping (ICMP echo) above an allow-all: TCP is the allow-all's, ICMP echo unknown
    text = BASE + allow("no-ping", app="ping", svc="application-default", action="deny") + allow("all")
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "permit"
    assert decide(cfg, WS, SRV, "icmp", 8 * 256) == "unknown"
    # with a TCP service, an ICMP application matches nothing at all
    cfg = cfg_of(BASE + allow("odd", app="icmp", svc="smb", action="deny") + allow("all")
                 + "set service smb protocol tcp port 445\n")
    assert decide(cfg, WS, SRV) == "permit"
    assert decide(cfg, WS, SRV, "icmp", 8 * 256) == "permit"

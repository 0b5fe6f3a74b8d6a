"""FortiOS security profiles, fourth pass: a VoIP profile's SIP ALG inspects only the SIP and SCCP ports; an SCTP
filter profile may reset SCTP sessions; content disarm and web quotas are proxy-only on 7.2.

Documents, each cited at its test (and in parsers/fortios/profiles.py):
- FortiOS 6.0 CLI Reference, "voip profile" (https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/
  236303/voip-profile): "To apply the SIP ALG, you add a VoIP profile to a firewall policy that accepts SIP
  sessions. All SIP sessions accepted by the firewall policy will be processed by the SIP ALG".
- FortiOS 7.0 New Features, "Flow-based SIP inspection" (https://docs.fortinet.com/document/fortigate/7.0.0/
  new-features/644799/flow-based-sip-inspection): new in 7.0, done by the IPS engine; 7.0.19 Administration Guide,
  "SIP message inspection and filtering" (https://docs.fortinet.com/document/fortigate/7.0.19/administration-guide/
  681177): "The firewall policy's inspection mode decides whether inspection happens on the SIP ALG proxy or on the
  IPS engine".
- FortiOS 7.4.2 Administration Guide, "SIP ALG and SIP session helper" (https://docs.fortinet.com/document/
  fortigate/7.4.2/administration-guide/147933/sip-alg-and-sip-session-helper): 'set voip-profile
  <voipd-based_profile>' / 'set ips-voip-filter <ips-based_profile>'; a policy with a VoIP profile and no IPS VoIP
  filter: "SIP ALG".
- Fortinet Community, "SIP and SCCP Traffic is Handled by the VoIP ALG/Proxy by default" (https://
  community.fortinet.com/t5/FortiGate/SIP-and-SCCP-Traffic-is-Handled-by-the-VoIP-ALG-Proxy-by-default/ta-p/194651):
  "Monitored ports for SIP and SCCP traffic can be configured using following CLI commands: config system settings
  / set sip-ssl-port / set sip-tcp-port <port1_int> [<port2_int>] / set sip-udp-port / set sccp-port"; their
  defaults, Fortinet's Terraform provider, "fortios_system_settings" (github.com/fortinetdev/terraform-provider-
  fortios, website/docs/r/fortios_system_settings.html.markdown): "TCP port the SIP proxy monitors for SIP traffic
  (0 - 65535, default = 5060)", UDP 5060, SIP SSL/TLS 5061, "TCP port the SCCP proxy monitors for SCCP traffic
  (0 - 65535, default = 2000)".
- FortiOS CLI Reference 7.4.2, "config sctp-filter profile" (https://docs.fortinet.com/document/fortigate/7.4.2/
  cli-reference/364620): 'config ppid-filters' 'set action [pass|reset|replace]', default 'reset' ("Reset SCTP
  session", "Replace data chunk"); FortiOS Carrier 7.2.4, "SCTP data chunk filtering by PPID"
  (https://docs.fortinet.com/document/fortigate/7.2.4/fortios-carrier/359428).
- 7.2.13 Administration Guide, "Proxy mode inspection" (https://docs.fortinet.com/document/fortigate/7.2.13/
  administration-guide/969330): "Content Disarm and Reconstruction (CDR), Web quota" are not available to
  flow-based scanning.
"""

from __future__ import annotations

from test_fortios_s24_profiles3 import NO_SSL, PROTO_OPTS, decision, head, policy, profile, utm

from parsers.fortios import parse

SIP = "        config sip\n            set block-invite enable\n        end\n"
NO_SCCP = "        config sccp\n            set status disable\n        end\n"


def voip(version: str, *sets: str, settings: str = "", body: str = SIP + NO_SCCP) -> object:
    return parse(head(version) + settings + PROTO_OPTS + NO_SSL + profile("voip profile", "V", body)
                 + policy(*utm("voip-profile", "V"), *sets), "t.conf")


# --- 1. a VoIP profile: the SIP ALG's ports ---------------------------------------------------------
def test_a_voip_profile_on_the_sip_alg_blocks_only_on_the_sip_ports():
    # the SIP ALG (a proxy-mode policy: "The firewall policy's inspection mode decides whether inspection happens on
    # the SIP ALG proxy or on the IPS engine", 7.0.19 Administration Guide) monitors the SIP ports of 'config system
    # settings', by default TCP and UDP 5060 and SIP over TLS 5061.  Was: every TCP and UDP port unknown
    c = voip("7.2.8", "inspection-mode proxy")
    assert decision(c, 5060) == "unknown" and decision(c, 5060, "udp") == "unknown" and decision(c, 5061) == "unknown"
    assert decision(c, 445) == "permit" and decision(c, 80) == "permit" and decision(c, 50010, "udp") == "permit"
    assert decision(c, 2000) == "permit"  # (SCCP not inspected: 'config sccp' 'set status disable')


def test_the_sip_alg_ports_written_in_system_settings():
    # 'set sip-tcp-port <port1_int> [<port2_int>]', 'sip-udp-port', 'sip-ssl-port', 'sccp-port' (Fortinet Community,
    # "SIP and SCCP Traffic is Handled by the VoIP ALG/Proxy by default")
    settings = ("config system settings\n    set sip-tcp-port 5070 5071\n    set sip-udp-port 5080\n"
                "    set sip-ssl-port 5090\n    set sccp-port 2010\nend\n")
    c = voip("7.2.8", "inspection-mode proxy", settings=settings, body=SIP + "        config sccp\n"
             "            set block-mcast enable\n        end\n")
    for port in (5070, 5071, 5090, 2010):
        assert decision(c, port) == "unknown", port
    assert decision(c, 5080, "udp") == "unknown"
    assert decision(c, 5060) == "permit" and decision(c, 5060, "udp") == "permit" and decision(c, 2000) == "permit"
    # (SCCP runs over TCP only: "TCP port the SCCP proxy monitors")
    assert decision(c, 2010, "udp") == "permit"


def test_sccp_not_written_counts_on_its_port():
    # (the default of 'config sccp' 'set status' is not confirmed here: not written, SCCP counts, on its port 2000)
    c = voip("7.2.8", "inspection-mode proxy", body=SIP)
    assert decision(c, 2000) == "unknown" and decision(c, 445) == "permit"


def test_which_versions_and_modes_use_the_sip_alg():
    # before 7.0 the VoIP profile is the SIP ALG's (6.0 CLI Reference, "voip profile"; flow-based SIP inspection by
    # the IPS engine is new in 7.0); on 7.4 a policy's 'voip-profile' is voipd-based, the SIP ALG in either mode
    # (7.4.2 Administration Guide, "SIP ALG and SIP session helper").  A flow-mode policy of 7.0 or 7.2 hands SIP to
    # the IPS engine, whose ports are not documented: every port stays unknown; so do 7.6 and an unknown version
    for version, sets in (("6.4.9", ()), ("6.2.3", ()), ("7.4.4", ()), ("7.0.12", ("inspection-mode proxy",))):
        c = voip(version, *sets)
        assert decision(c, 5060) == "unknown" and decision(c, 445) == "permit", version
    for version in ("7.0.12", "7.2.8", "7.6.0"):
        c = voip(version)
        assert decision(c, 445) == "unknown" and decision(c, 50010, "udp") == "unknown", version
    text = (head() + PROTO_OPTS + NO_SSL + profile("voip profile", "V", SIP + NO_SCCP)
            + policy(*utm("voip-profile", "V"))).split("\n", 1)[1]  # (no '#config-version' header)
    assert decision(parse(text, "t.conf"), 445) == "unknown"
    assert decision(parse(text.replace("set voip-profile", "set inspection-mode proxy\n        set voip-profile"),
                          "t.conf"), 445) == "permit"


# --- 2. an SCTP filter profile ----------------------------------------------------------------------
def sctp(action: str) -> object:
    body = ("        config ppid-filters\n            edit 1\n                set ppid 46\n%s"
            "            next\n        end\n" % (("                set action %s\n" % action) if action else ""))
    return parse(head() + PROTO_OPTS + NO_SSL + profile("sctp-filter profile", "S", body)
                 + policy(*utm("sctp-filter-profile", "S")), "t.conf")


def test_an_sctp_filter_that_resets_makes_sctp_unknown():
    # "config sctp-filter profile" (CLI Reference 7.4.2): a PPID filter's 'action [pass|reset|replace]', default
    # 'reset' ("Reset SCTP session"); 'replace' zeroes the data chunk.  Was: the profile ignored (SCTP permitted)
    for action in ("reset", "replace", ""):
        c = sctp(action)
        assert decision(c, 2905, "132") == "unknown", action
        assert decision(c, 445) == "permit" and decision(c, 5060, "udp") == "permit", action
        assert any("SCTP filter profile S" in d.message for d in c.diagnostics), action
    c = sctp("pass")
    assert decision(c, 2905, "132") == "permit"
    assert not any("SCTP filter profile S" in d.message for d in c.diagnostics)


# --- 3. content disarm and web quotas are proxy-only on 7.2 ---------------------------------------------
AV_CDR = "        config http\n            set content-disarm enable\n        end\n"
WF_QUOTA = ("        config ftgd-wf\n            config quota\n                edit 1\n"
            "                    set category 2\n                    set type time\n"
            "                    set duration 5m\n                next\n            end\n        end\n")


def test_content_disarm_and_web_quota_do_not_apply_in_flow_mode_on_72():
    # "Proxy mode provides some security profile capabilities that are not available to flow-based scanning: ...
    # Content Disarm and Reconstruction (CDR), Web quota" (7.2.13 Administration Guide, "Proxy mode inspection").
    # Was: unknown on 80 in flow mode too
    for kind, setting, body in (("antivirus profile", "av-profile", AV_CDR),
                                ("webfilter profile", "webfilter-profile", WF_QUOTA)):
        text = head("7.2.8") + PROTO_OPTS + NO_SSL + profile(kind, "P", body)
        c = parse(text + policy(*utm(setting, "P")), "t.conf")
        assert decision(c, 80) == "permit", kind
        assert not [d for d in c.diagnostics if "profile P" in d.message], kind
        # (a proxy-mode policy applies them; so does 7.4, where the exception is not confirmed)
        assert decision(parse(text + policy(*utm(setting, "P"), "inspection-mode proxy"), "t.conf"), 80) == "unknown"
        text = head("7.4.4") + PROTO_OPTS + NO_SSL + profile(kind, "P", body)
        assert decision(parse(text + policy(*utm(setting, "P")), "t.conf"), 80) == "unknown", kind


def test_a_flow_mode_policy_still_counts_what_else_the_profile_blocks():
    # (only content disarm is proxy-only: the antivirus' archive blocking still counts in flow mode)
    body = AV_CDR.replace("set content-disarm enable", "set content-disarm enable\n            set archive-block "
                          "encrypted")
    text = head("7.2.8") + PROTO_OPTS + NO_SSL + profile("antivirus profile", "P", body)
    c = parse(text + policy(*utm("av-profile", "P")), "t.conf")
    assert decision(c, 80) == "unknown"
    told = [d for d in c.diagnostics if "antivirus profile P" in d.message]
    assert len(told) == 1 and "archive-block" in told[0].message

"""FortiOS security profiles, third pass: the SSL/SSH profile a policy uses when it names none, the profiles that
were still ignored (DNS filter, ICAP, web application firewall, e-mail filter, CASB, video filter, SSH filter,
VoIP), and a flow-mode policy's proxy-only profiles.

Documents, each cited at its test (and in parsers/fortios/profiles.py):
- FortiOS 7.4.4 Administration Guide, "Inspection mode per policy": "To see the default SSL-SSH policy set to no
  inspection using the CLI: config firewall policy / edit 1 / show fu | grep ssl-ssh-profile / set ssl-ssh-profile
  "no-inspection""; "When configuring a firewall policy, you can select a Flow-based or Proxy-based Inspection
  Mode. The default setting is Flow-based."  FortiOS 7.4.1 Administration Guide, "SSL & SSH Inspection"
  (https://docs.fortinet.com/document/fortigate/7.4.1/administration-guide/929997/ssl-ssh-inspection): the
  preloaded 'certificate-inspection', 'deep-inspection' and 'no-inspection' profiles are read-only.
- FortiOS CLI Reference: "config dnsfilter profile" (7.4.2, https://docs.fortinet.com/document/fortigate/7.4.2/
  cli-reference/496620), "config icap profile" (7.0.6, .../7.0.6/cli-reference/503620), "config emailfilter
  profile" (6.4.12, .../6.4.12/cli-reference/437620), "config ssh-filter profile" (7.4.0, .../7.4.0/cli-reference/
  491620); FortiOS 6.0 Handbook, "SSH MITM deep inspection" (.../6.0.0/Handbook/745988/ssh-mitm-deep-inspection);
  7.0.19 Administration Guide, "SIP message inspection and filtering" (.../7.0.19/administration-guide/681177).
- 7.2.13 Administration Guide, "Proxy mode inspection" (.../7.2.13/administration-guide/969330): Video Filter and
  WAF are not available to flow-based scanning; 7.0.13 Administration Guide, "Flow mode inspection (default mode)"
  (.../7.0.13/administration-guide/659145): flow is the default of new policies.
"""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse


def head(version: str = "7.4.4") -> str:
    return ("#config-version=FG100F-%s-FW-build2662-240514:opmode=0:vdom=0:user=admin\n" % version
            + "config system interface\n    edit \"ws\"\n        set ip 10.30.0.1 255.255.255.0\n    next\n"
            "    edit \"srv\"\n        set ip 10.20.0.1 255.255.255.0\n    next\nend\n")


def policy(*sets: str) -> str:
    return ("config firewall policy\n    edit 5\n        set srcintf \"ws\"\n        set dstintf \"srv\"\n"
            "        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action accept\n"
            "        set schedule \"always\"\n        set service \"ALL\"\n"
            + "".join("        set %s\n" % s for s in sets) + "    next\nend\n")


PROTO_OPTS = ('config firewall profile-protocol-options\n    edit "default"\n        config http\n'
              '            set ports 80\n            set unknown-http-version tunnel\n        end\n    next\nend\n')
# the factory 'no-inspection' profile (as a 7.4 backup writes it)
NO_SSL = ('config firewall ssl-ssh-profile\n    edit "no-inspection"\n'
          + "".join('        config %s\n            set status disable\n        end\n' % q
                    for q in ("https", "ftps", "imaps", "pop3s", "smtps", "ssh"))
          + '        config ssl\n            set inspect-all disable\n        end\n    next\nend\n')
WF_BLOCK = ('config webfilter profile\n    edit "WF"\n        config ftgd-wf\n            set options error-allow\n'
            '            config filters\n                edit 1\n                    set category 2\n'
            '                    set action block\n                next\n            end\n        end\n'
            '    next\nend\n')


def decision(c, port: int, proto: str = "tcp") -> str:
    return explain(c, "10.30.0.5", "10.20.0.10", proto, 40000, port)["decision"]


# --- 1. the SSL/SSH profile of a policy that names none ----------------------------------------------
def test_a_policy_without_an_ssl_profile_uses_no_inspection_on_74():
    # FortiOS 7.4.4 Administration Guide, "Inspection mode per policy": 'show full' of a policy gives
    # 'set ssl-ssh-profile "no-inspection"' (the default, so a backup does not write it); 'no-inspection' inspects no
    # HTTPS: the web filter's HTTPS traffic is not inspected.  Was: every TCP port unknown (443, 445, 1521 ...)
    text = head() + PROTO_OPTS + NO_SSL + WF_BLOCK + policy("utm-status enable", 'webfilter-profile "WF"')
    c = parse(text, "t.conf")
    assert decision(c, 80) == "unknown"
    assert decision(c, 443) == "permit" and decision(c, 445) == "permit" and decision(c, 1521) == "permit"


def test_the_default_ssl_profile_of_other_versions_stays_unknown():
    # (not confirmed for 7.2 and earlier, where 6.0 had no 'no-inspection' profile at all, nor for 7.6: every TCP
    # port stays unknown; and a 7.4 input without the 'no-inspection' profile: its ports are not known either)
    for version in ("7.2.8", "6.0.4", "7.6.0"):
        text = head(version) + PROTO_OPTS + NO_SSL + WF_BLOCK + policy("utm-status enable", 'webfilter-profile "WF"')
        c = parse(text, "t.conf")
        assert decision(c, 445) == "unknown", version
    text = head() + PROTO_OPTS + WF_BLOCK + policy("utm-status enable", 'webfilter-profile "WF"')
    assert decision(parse(text, "t.conf"), 445) == "unknown"


# --- 2. the profiles that were ignored ---------------------------------------------------------------
def profile(kind: str, name: str, body: str) -> str:
    return "config %s\n    edit \"%s\"\n%s    next\nend\n" % (kind, name, body)


def utm(setting: str, name: str) -> tuple:
    return ("utm-status enable", 'ssl-ssh-profile "no-inspection"', '%s "%s"' % (setting, name))


def test_a_dns_filter_that_blocks_categories_makes_dns_unknown():
    # "config dnsfilter profile" (CLI Reference 7.4.2, https://docs.fortinet.com/document/fortigate/7.4.2/
    # cli-reference/496620): 'config ftgd-dns' / 'config filters' 'set action [block|monitor]'; a Prinergy
    # server's name lookup may be blocked by its FortiGuard category.  Was: the DNS filter ignored (a pass on 53)
    body = ("        config ftgd-dns\n            set options error-allow\n            config filters\n"
            "                edit 1\n                    set category 26\n                    set action block\n"
            "                next\n            end\n        end\n")
    text = head() + PROTO_OPTS + NO_SSL + profile("dnsfilter profile", "D", body) + policy(*utm("dnsfilter-profile",
                                                                                                "D"))
    c = parse(text, "t.conf")
    assert decision(c, 53, "udp") == "unknown" and decision(c, 53) == "unknown"
    assert decision(c, 445) == "permit" and decision(c, 80) == "permit" and decision(c, 50010, "udp") == "permit"
    told = [d for d in c.diagnostics if "DNS filter profile D" in d.message]
    assert len(told) == 1 and "category filter 1" in told[0].message
    # a monitor-only filter with 'error-allow' ("Allow all domains when FortiGuard DNS servers fail") blocks
    # nothing; without 'error-allow', a rating error blocks the lookup
    monitor = body.replace("set action block", "set action monitor")
    ok = head() + PROTO_OPTS + NO_SSL + profile("dnsfilter profile", "D", monitor) + policy(*utm("dnsfilter-profile",
                                                                                                 "D"))
    assert decision(parse(ok, "t.conf"), 53, "udp") == "permit"
    assert decision(parse(ok.replace("            set options error-allow\n", ""), "t.conf"), 53, "udp") == "unknown"
    # (botnet blocking and a local domain table may block too)
    for extra in ("        set block-botnet enable\n",
                  "        config domain-filter\n            set domain-filter-table 1\n        end\n"):
        text = head() + PROTO_OPTS + NO_SSL + profile("dnsfilter profile", "D", monitor + extra) + policy(
            *utm("dnsfilter-profile", "D"))
        assert decision(parse(text, "t.conf"), 53, "udp") == "unknown", extra


def test_an_icap_profile_that_hands_http_to_a_server_makes_http_unknown():
    # "Enable/disable whether an HTTP request is passed to an ICAP server" (CLI Reference 7.0.6, "config icap
    # profile"): the ICAP server's answer may block it.  Was: a pass on 80
    on = "        set request enable\n        set request-server \"icap1\"\n"
    c = parse(head() + PROTO_OPTS + NO_SSL + profile("icap profile", "I", on) + policy(*utm("icap-profile", "I")),
              "t.conf")
    assert decision(c, 80) == "unknown" and decision(c, 445) == "permit"
    off = "        set request disable\n        set response disable\n"
    c = parse(head() + PROTO_OPTS + NO_SSL + profile("icap profile", "I", off) + policy(*utm("icap-profile", "I")),
              "t.conf")
    assert decision(c, 80) == "permit"


def test_waf_casb_and_video_filter_profiles_make_http_unknown():
    # a web application firewall's signatures and constraints, CASB's SaaS access rules, a video filter's
    # categories and channels block by what the requests hold.  Was: each ignored (a pass on 80)
    waf = ("        config constraint\n            config header-length\n                set status enable\n"
           "                set action block\n            end\n        end\n")
    for kind, setting, body in (("waf profile", "waf-profile", waf),
                                ("casb profile", "casb-profile", "        config saas-application\n"
                                 "            edit \"office365\"\n            next\n        end\n"),
                                ("videofilter profile", "videofilter-profile", "        set youtube enable\n")):
        text = head() + PROTO_OPTS + NO_SSL + profile(kind, "P", body) + policy(*utm(setting, "P"),
                                                                             "inspection-mode proxy")
        c = parse(text, "t.conf")
        assert decision(c, 80) == "unknown", kind
        assert decision(c, 445) == "permit", kind


def test_an_email_filter_discards_only_on_smtp_and_mapi():
    # "config emailfilter profile" (CLI Reference 6.4.12): IMAP and POP3 'action [pass|tag]' (tagged mail passes),
    # SMTP 'action [pass|tag|discard]', MAPI 'action [pass|discard]'.  Was: ignored (a pass on 25)
    body = ("        set spam-filtering enable\n        config smtp\n            set action discard\n"
            "        end\n        config imap\n            set action tag\n        end\n"
            "        config mapi\n            set action pass\n        end\n")
    c = parse(head() + PROTO_OPTS + NO_SSL + profile("emailfilter profile", "E", body)
              + policy(*utm("emailfilter-profile", "E")), "t.conf")
    assert decision(c, 25) == "unknown"
    assert decision(c, 143) == "permit" and decision(c, 80) == "permit" and decision(c, 445) == "permit"
    tagging = body.replace("set action discard", "set action tag")
    c = parse(head() + PROTO_OPTS + NO_SSL + profile("emailfilter profile", "E", tagging)
              + policy(*utm("emailfilter-profile", "E")), "t.conf")
    assert decision(c, 25) == "permit"


def test_an_ssh_filter_that_blocks_channels_makes_ssh_unknown():
    # "config ssh-filter profile" (CLI Reference 7.4.0): 'set block x11 shell exec port-forward ...'; the SSH
    # ports are those of the SSL/SSH profile's 'config ssh' (here written: 22).  Was: ignored (a pass on 22)
    ssl = NO_SSL.replace("config ssh\n            set status disable",
                         "config ssh\n            set ports 22\n            set status deep-inspection")
    c = parse(head() + PROTO_OPTS + ssl + profile("ssh-filter profile", "S", "        set block x11 exec\n")
              + policy(*utm("ssh-filter-profile", "S")), "t.conf")
    assert decision(c, 22) == "unknown" and decision(c, 445) == "permit"
    assert [d.source.text.strip() for d in c.diagnostics if "SSH filter profile S" in d.message] == [
        "set block x11 exec"]
    c = parse(head() + PROTO_OPTS + ssl + profile("ssh-filter profile", "S", "        set log x11 exec\n")
              + policy(*utm("ssh-filter-profile", "S")), "t.conf")
    assert not [d for d in c.diagnostics if "SSH filter profile S" in d.message]  # (logging only)
    # (SSH not inspected: 'config ssh' 'set status disable', the SSH filter sees nothing)
    c = parse(head() + PROTO_OPTS + NO_SSL + profile("ssh-filter profile", "S", "        set block x11 exec\n")
              + policy(*utm("ssh-filter-profile", "S")), "t.conf")
    assert decision(c, 22) == "permit"


def test_a_voip_profile_makes_every_port_unknown_unless_its_protocols_are_disabled():
    # SIP inspection verifies syntax, blocks request types and limits rates, in flow mode by the IPS engine (7.0.19
    # Administration Guide, "SIP message inspection and filtering"), on ports not documented.  Was: ignored
    # (a 7.2 flow-mode policy: the IPS engine; on 7.4, or in proxy mode, the SIP ALG's ports:
    # test_fortios_s24_profiles4)
    body = "        config sip\n            set block-invite enable\n        end\n"
    c = parse(head("7.2.8") + PROTO_OPTS + NO_SSL + profile("voip profile", "V", body)
              + policy(*utm("voip-profile", "V")), "t.conf")
    assert decision(c, 5060, "udp") == "unknown" and decision(c, 445) == "unknown"
    off = ("        config sip\n            set status disable\n        end\n        config sccp\n"
           "            set status disable\n        end\n")
    c = parse(head("7.2.8") + PROTO_OPTS + NO_SSL + profile("voip profile", "V", off)
              + policy(*utm("voip-profile", "V")), "t.conf")
    assert decision(c, 5060, "udp") == "permit" and decision(c, 445) == "permit"


def test_a_new_profile_not_in_the_input_makes_the_policy_unknown():
    c = parse(head() + PROTO_OPTS + NO_SSL + policy(*utm("dnsfilter-profile", "ELSEWHERE")), "t.conf")
    assert decision(c, 445) == "unknown"
    assert any("DNS filter profile ELSEWHERE, which is not in the input" in d.message for d in c.diagnostics)


# --- 3. a flow-mode policy's proxy-only profiles -----------------------------------------------------------
def test_a_flow_mode_policy_on_72_applies_no_waf_nor_video_filter():
    # "Proxy mode provides some security profile capabilities that are not available to flow-based scanning: Video
    # Filter, Web Application Firewall (WAF), ..." (7.2.13 Administration Guide, "Proxy mode inspection"); a policy
    # is flow-based unless it says 'set inspection-mode proxy' ("Flow-based inspection is selected by default on
    # new firewall policies", 7.0.13 Administration Guide).  Was: unknown on 80 (the profile counted)
    for kind, setting, body in (("waf profile", "waf-profile", "        set comment \"w\"\n"),
                                ("videofilter profile", "videofilter-profile", "        set youtube enable\n")):
        for mode in ((), ("inspection-mode flow",)):
            text = head("7.2.8") + PROTO_OPTS + NO_SSL + profile(kind, "P", body) + policy(*utm(setting, "P"), *mode)
            c = parse(text, "t.conf")
            assert decision(c, 80) == "permit", (kind, mode)
            assert not [d for d in c.diagnostics if "profile P" in d.message], (kind, mode)
        # (proxy mode applies them; on 7.4 the flow-mode exception is not confirmed: counted)
        text = head("7.2.8") + PROTO_OPTS + NO_SSL + profile(kind, "P", body) + policy(*utm(setting, "P"),
                                                                                    "inspection-mode proxy")
        assert decision(parse(text, "t.conf"), 80) == "unknown", kind
        text = head("7.4.4") + PROTO_OPTS + NO_SSL + profile(kind, "P", body) + policy(*utm(setting, "P"))
        assert decision(parse(text, "t.conf"), 80) == "unknown", kind


def test_a_cifs_profile_file_filter_makes_smb_unknown():
    # "config cifs profile" (CLI Reference 6.4.0, https://docs.fortinet.com/document/fortigate/6.4.0/cli-reference/
    # 522620): 'config file-filter' entries "action: log: Allow the content and write a log message. block: Block
    # the content": a Prinergy job file of a blocked type copied over SMB is dropped.  Was: ignored (a pass on 445)
    body = ('        set server-credential-type none\n        config file-filter\n            set status enable\n'
            '            config entries\n                edit "1"\n                    set action block\n'
            '                    set file-type "pdf"\n                next\n            end\n        end\n')
    sets = ("utm-status enable", "inspection-mode proxy", 'cifs-profile "C"')
    c = parse(head("6.4.9") + PROTO_OPTS + profile("cifs profile", "C", body) + policy(*sets), "t.conf")
    assert decision(c, 445) == "unknown" and decision(c, 80) == "permit"
    for ok in (body.replace("set action block", "set action log"),
               body.replace("set status enable", "set status disable")):
        c = parse(head("6.4.9") + PROTO_OPTS + profile("cifs profile", "C", ok) + policy(*sets), "t.conf")
        assert decision(c, 445) == "permit"

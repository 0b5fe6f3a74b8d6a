"""FortiOS security profiles, second pass: what protocol options, antivirus profiles and FortiGuard rating errors may
block on an accept policy, 'utm-status disable', and the protocols' documented default ports.

Documents, each cited at its test (and in parsers/fortios/profiles.py):
- FortiOS 6.0 Handbook, "Oversized files and emails" (https://docs2.fortinet.com/document/fortigate/6.0.0/handbook/
  692892/oversized-files-and-emails): "The default action for oversized files is to pass them through. If you
  wish to block the downloading of files over the threshold ... Enable Block Oversized File/Email" (protocol
  options 'set options oversize').
- Fortinet Community, "Technical Tip: FortiGate Explicit Proxy Drop non-HTTP traffic" (https://community.fortinet.
  com/t5/FortiGate/Technical-Tip-FortiGate-Explicit-Proxy-Drop-non-HTTP-traffic/ta-p/335937): with 'config http'
  'set tunnel-non-http disable', "traffic that does not contain HTTP headers ... will be dropped".
- FortiOS CLI Reference 6.4.0, "firewall profile-protocol-options" (https://docs.fortinet.com/document/fortigate/
  6.4.0/cli-reference/298620): 'unknown-http-version [reject|tunnel|best-effort]' ("How to handle HTTP sessions
  that do not comply with HTTP 0.9, 1.0, or 1.1"); its default is not given there: not set counts as 'reject'.
- FortiProxy Administration Guide 7.6.1, "Proxy Options" (https://docs.fortinet.com/document/fortiproxy/7.6.1/
  administration-guide/567074): "When a security profile requiring the use of a proxy is enabled in a policy, the
  Proxy Options field is displayed" (protocol options count with a content profile, not with IPS alone).
- FortiOS CLI Reference, "config antivirus profile" (6.4.4: https://docs.fortinet.com/document/fortigate/6.4.4/
  cli-reference/521620; 7.0.2: https://docs.fortinet.com/document/fortigate/7.0.2/cli-reference/531620): per
  protocol 'av-scan [disable|block|monitor]', 'archive-block', 'outbreak-prevention', 'external-blocklist',
  'fortisandbox', 'content-disarm [disable|enable]', 'quarantine'.
- FortiOS CLI Reference, "config webfilter profile" (7.6.1: https://docs.fortinet.com/document/fortigate/7.6.1/
  cli-reference/285848147), 'config ftgd-wf' 'set options': "error-allow: Allow web pages with a rating error to
  pass through" (without it a page whose rating fails is not let through); FortiOS Log Reference 7.2.1, "12558 -
  LOG_ID_URL_FILTER_RATING_ERR" (https://docs.fortinet.com/document/fortigate/7.2.1/fortios-log-message-reference/
  12558): "Rating error occurred", action "blocked - url is blocked by webfilter".
- FortiOS CLI Reference 7.4.6, "config firewall policy": "utm-status: Enable to add one or more security profiles
  (AV, IPS, etc.) to the firewall policy", default disable.
- Default ports: FortiOS CLI help "Ports to scan for content (1 - 65535, default = 445)" (CIFS; HTTP 80, FTP 21 ...)
  of 'config firewall profile-protocol-options', "Ports to use for scanning (1 - 65535, default = 443)" of
  'config firewall ssl-ssh-profile' 'config https', as Fortinet's Terraform provider documents them
  (github.com/fortinetdev/terraform-provider-fortios, website/docs/r/fortios_firewall_profileprotocoloptions and
  fortios_firewall_sslsshprofile); HTTP's 80: CLI Reference 6.0.5 (https://docs.fortinet.com/document/fortigate/
  6.0.5/cli-reference/219019).
"""

from __future__ import annotations

from auditor.api import explain
from auditor.core.model import Impact
from parsers.fortios import parse

HEAD = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit "ws"
        set ip 10.30.0.1 255.255.255.0
    next
    edit "srv"
        set ip 10.20.0.1 255.255.255.0
    next
end
"""


def policy(*sets: str) -> str:
    return ("config firewall policy\n    edit 5\n        set srcintf \"ws\"\n        set dstintf \"srv\"\n"
            "        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action accept\n"
            "        set schedule \"always\"\n        set service \"ALL\"\n"
            + "".join("        set %s\n" % s for s in sets) + "    next\nend\n")


def proto_opts(http: str = "set unknown-http-version tunnel", cifs: str | None = "set ports 445") -> str:
    return ("config firewall profile-protocol-options\n    edit \"default\"\n        config http\n"
            "            set ports 80\n            %s\n        end\n" % http
            + ("        config cifs\n            %s\n        end\n" % cifs if cifs is not None else "")
            + "    next\nend\n")


# an SSL/SSH profile that inspects nothing (the factory 'no-inspection'): HTTPS not inspected
NO_SSL = ('config firewall ssl-ssh-profile\n    edit "no-inspection"\n        config https\n'
          '            set status disable\n        end\n        config ssl\n            set inspect-all disable\n'
          '        end\n    next\nend\n')

# a DLP sensor that only logs SMB: a content profile that blocks nothing itself
DLP_LOG = ('config dlp sensor\n    edit "D"\n        config filter\n            edit 1\n'
           '                set proto cifs\n                set action log-only\n            next\n        end\n'
           '    next\nend\n')
UTM_DLP = ("utm-status enable", 'dlp-sensor "D"')


def decision(c, port: int, proto: str = "tcp") -> str:
    return explain(c, "10.30.0.5", "10.20.0.10", proto, 40000, port)["decision"]


def global_unknowns(c) -> list[str]:
    return [d.message for d in c.diagnostics if d.impact is Impact.GLOBAL]


# --- 1. protocol options that block ----------------------------------------------------------------
def test_oversize_blocking_on_cifs_makes_smb_unknown():
    # 'set options oversize': "Block Oversized File/Email" (6.0 Handbook, "Oversized files and emails"): a Prinergy
    # job file over 'oversize-limit' (10 MB by default) copied over SMB is blocked.  Was: a pass on 445
    text = HEAD + proto_opts(cifs="set options oversize") + DLP_LOG + policy(*UTM_DLP)
    c = parse(text, "t.conf")
    assert global_unknowns(c) == []
    assert decision(c, 445) == "unknown"
    assert decision(c, 80) == "permit" and decision(c, 1521) == "permit"
    told = [d for d in c.diagnostics if "protocol options profile default" in d.message]
    assert len(told) == 1 and told[0].source.text.strip() == "set options oversize"
    # (the default options pass oversized files: 445 decided)
    assert decision(parse(HEAD + proto_opts() + DLP_LOG + policy(*UTM_DLP), "t.conf"), 445) == "permit"


def test_non_http_traffic_dropped_on_the_http_ports():
    # 'tunnel-non-http disable': traffic without HTTP headers on the HTTP ports is dropped (Community, "Explicit
    # Proxy Drop non-HTTP traffic"); 'unknown-http-version reject', or not set (default not documented): sessions
    # not HTTP 0.9/1.0/1.1 may be rejected.  Was: a pass on 80
    for http in ("set tunnel-non-http disable", "set unknown-http-version reject", "set comfort-interval 10"):
        c = parse(HEAD + proto_opts(http=http) + DLP_LOG + policy(*UTM_DLP), "t.conf")
        assert decision(c, 80) == "unknown", http
        assert decision(c, 445) == "permit", http
    for http in ("set unknown-http-version tunnel", "set unknown-http-version best-effort"):
        assert decision(parse(HEAD + proto_opts(http=http) + DLP_LOG + policy(*UTM_DLP), "t.conf"), 80) == "permit"


def test_a_file_filter_inside_the_cifs_protocol_options_makes_smb_unknown():
    # (6.4+ 'config cifs' / 'config file-filter': its entries block files by type)
    cifs = ("set ports 445\n            config file-filter\n                set status enable\n"
            "            end")
    c = parse(HEAD + proto_opts(cifs=cifs) + DLP_LOG + policy(*UTM_DLP), "t.conf")
    assert decision(c, 445) == "unknown" and decision(c, 80) == "permit"


def test_protocol_options_count_only_with_a_profile_that_uses_the_proxy():
    # an IPS sensor alone does not hold traffic in the proxy: the protocol options' oversize blocking does not
    # apply ("Proxy Options": displayed when a security profile requiring the use of a proxy is enabled)
    sensor = ('config ips sensor\n    edit "S"\n        config entries\n            edit 1\n'
              '                set severity critical\n                set action block\n            next\n'
              '        end\n    next\nend\n')
    text = HEAD + proto_opts(cifs="set options oversize") + sensor + policy("utm-status enable", 'ips-sensor "S"')
    assert decision(parse(text, "t.conf"), 445) == "permit"


# --- 2. antivirus profiles -----------------------------------------------------------------------------
def av(*blocks: str) -> str:
    return 'config antivirus profile\n    edit "AV"\n' + "".join(blocks) + "    next\nend\n"


def av_proto(name: str, *sets: str) -> str:
    return "        config %s\n" % name + "".join("            set %s\n" % s for s in sets) + "        end\n"


UTM_AV = ("utm-status enable", 'av-profile "AV"')


def test_antivirus_archive_blocking_on_cifs_makes_smb_unknown():
    # 'archive-block encrypted corrupted ...' blocks archives whatever they hold (CLI Reference, "config antivirus
    # profile"): a password-protected job archive over SMB is dropped.  Was: the antivirus profile ignored (pass)
    text = HEAD + proto_opts() + av(av_proto("cifs", "av-scan block", "archive-block encrypted corrupted")) + policy(
        *UTM_AV)
    c = parse(text, "t.conf")
    assert global_unknowns(c) == []
    assert decision(c, 445) == "unknown"
    assert decision(c, 80) == "permit" and decision(c, 21) == "permit"
    told = [d for d in c.diagnostics if "antivirus profile AV" in d.message]
    assert len(told) == 1 and "archive-block" in told[0].source.text


def test_antivirus_content_disarm_and_sandbox_blocking_make_their_protocols_unknown():
    # (content disarm is proxy-only on 7.2, "Proxy mode inspection": a proxy-mode policy, test_fortios_s24_profiles4)
    for sets in (("av-scan block", "content-disarm enable"), ("av-scan monitor", "fortisandbox block"),
                 ("outbreak-prevention block",), ("quarantine enable",)):
        mode = ("inspection-mode proxy",) if "content-disarm enable" in sets else ()
        c = parse(HEAD + proto_opts() + NO_SSL + av(av_proto("http", *sets))
                  + policy(*UTM_AV, 'ssl-ssh-profile "no-inspection"', *mode), "t.conf")
        assert decision(c, 80) == "unknown", sets
        assert decision(c, 445) == "permit", sets
    # (6.x: 'outbreak-prevention disabled' and 'options scan avmonitor' block nothing beyond the signatures)
    c = parse(HEAD + proto_opts() + av(av_proto("smb", "options scan avmonitor", "outbreak-prevention disabled"))
              + policy(*UTM_AV), "t.conf")
    assert decision(c, 445) == "permit"


def test_antivirus_signature_scanning_alone_and_a_missing_profile():
    # 'av-scan block' blocks what the antivirus signatures detect: like an IPS sensor's predefined signatures,
    # Prinergy's own files are not taken to be malware (decided); a profile not in the input may block anything
    text = HEAD + proto_opts() + av(av_proto("cifs", "av-scan block"), av_proto("http", "av-scan block")) + policy(
        *UTM_AV)
    c = parse(text, "t.conf")
    assert decision(c, 445) == "permit" and decision(c, 80) == "permit"
    assert c.diagnostics == ()
    c = parse(HEAD + proto_opts() + policy("utm-status enable", 'av-profile "ELSEWHERE"'), "t.conf")
    assert decision(c, 445) == "unknown" and decision(c, 53, "udp") == "permit"


def test_antivirus_error_actions():
    # (a scan error or timeout that blocks the file: unknown; 'log-only' lets it through)
    blocking = av('        set fortisandbox-error-action block\n', av_proto("cifs", "av-scan block"))
    c = parse(HEAD + proto_opts() + blocking + policy(*UTM_AV), "t.conf")
    assert decision(c, 445) == "unknown"
    passing = av('        set fortisandbox-error-action log-only\n', av_proto("cifs", "av-scan block"))
    assert decision(parse(HEAD + proto_opts() + passing + policy(*UTM_AV), "t.conf"), 445) == "permit"


# --- 3. utm-status disable ---------------------------------------------------------------------------
WF_BLOCK = ('config webfilter profile\n    edit "WF"\n        config ftgd-wf\n            set options error-allow\n'
            '            config filters\n                edit 1\n                    set category 2\n'
            '                    set action block\n                next\n            end\n        end\n'
            '    next\nend\n')


def test_profiles_of_a_policy_with_utm_status_disable_are_not_applied():
    # "utm-status: Enable to add one or more security profiles (AV, IPS, etc.) to the firewall policy" (default
    # disable): with 'disable' its web filter is not applied.  Was: unknown on 80 and 443
    text = HEAD + proto_opts() + WF_BLOCK + policy("utm-status disable", 'webfilter-profile "WF"')
    c = parse(text, "t.conf")
    assert decision(c, 80) == "permit" and decision(c, 443) == "permit"
    assert c.diagnostics == ()
    # (enable, or not written: applied)
    for sets in (("utm-status enable", 'webfilter-profile "WF"'), ('webfilter-profile "WF"',)):
        assert decision(parse(HEAD + proto_opts() + WF_BLOCK + policy(*sets), "t.conf"), 80) == "unknown", sets


# --- 4. FortiGuard rating errors ---------------------------------------------------------------------
def test_a_monitor_only_web_filter_blocks_pages_whose_rating_fails_without_error_allow():
    # "error-allow: Allow web pages with a rating error to pass through"; a rating error's log says "blocked"
    # (Log Reference, 12558).  Was: a monitor-only web filter let everything through (pass on 80)
    monitor = WF_BLOCK.replace("set action block", "set action monitor")
    text = HEAD + proto_opts() + NO_SSL + monitor.replace("            set options error-allow\n", "") + policy(
        "utm-status enable", 'webfilter-profile "WF"', 'ssl-ssh-profile "no-inspection"')
    c = parse(text, "t.conf")
    assert decision(c, 80) == "unknown"
    assert decision(c, 445) == "permit"
    told = [d for d in c.diagnostics if "web filter profile WF" in d.message]
    assert len(told) == 1 and told[0].source.text.strip() == "config ftgd-wf"
    text = HEAD + proto_opts() + NO_SSL + monitor + policy("utm-status enable", 'webfilter-profile "WF"',
                                                         'ssl-ssh-profile "no-inspection"')
    assert decision(parse(text, "t.conf"), 80) == "permit"


# --- 5. the protocols' default ports -------------------------------------------------------------------
def test_cifs_inspected_on_its_default_port_when_the_protocol_options_do_not_write_it():
    # "Ports to scan for content (1 - 65535, default = 445)": a blocking DLP sensor on CIFS makes 445 unknown,
    # not every TCP port.  Was: every TCP port unknown (80, 1521 too)
    dlp = DLP_LOG.replace("set action log-only", "set action block")
    c = parse(HEAD + proto_opts(cifs=None) + dlp + policy(*UTM_DLP), "t.conf")
    assert decision(c, 445) == "unknown"
    assert decision(c, 80) == "permit" and decision(c, 1521) == "permit"


def test_https_inspected_on_its_default_port_when_the_ssl_profile_does_not_write_it():
    # "Ports to use for scanning (1 - 65535, default = 443)" of 'config https'.  Was: every TCP port unknown
    ssl = ('config firewall ssl-ssh-profile\n    edit "cert"\n        config https\n'
           '            set status certificate-inspection\n        end\n    next\nend\n')
    c = parse(HEAD + proto_opts() + ssl + policy("utm-status enable", 'ssl-ssh-profile "cert"'), "t.conf")
    assert decision(c, 443) == "unknown"
    assert decision(c, 8443) == "permit" and decision(c, 445) == "permit"

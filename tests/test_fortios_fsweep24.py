"""FortiOS security profiles on real configs (session 24 sweep): settings of the factory profiles, as FortiOS
backups write them, that block nothing and were taken to block.

The profiles below are copied from a FortiGate 70F 7.0.14 backup's factory profiles ('monitor-all' web filter,
'default' protocol options, 'no-inspection' SSL/SSH profile), cut to what the tests need.

Documents, each cited at its test (and in parsers/fortios/profiles.py):
- Fortinet's fortios_webfilter_profile module (https://docs.ansible.com/ansible/2.9/modules/
  fortios_webfilter_profile_module.html): "log-all-url: Enable/disable logging all URLs visited".
- FortiOS CLI Reference 6.4.4, "config webfilter profile" (https://docs.fortinet.com/document/fortigate/6.4.4/
  cli-reference/389620): 'set post-action [normal|block]' (what is done to HTTP POST: 'normal' lets it through).
"""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse

HEAD = """#config-version=FGT70F-7.0.14-FW-build0601-240206:opmode=0:vdom=0:user=admin
config system interface
    edit "internal1"
        set ip 10.1.0.1 255.255.0.0
    next
    edit "internal2"
        set ip 10.2.0.1 255.255.255.0
    next
end
config firewall profile-protocol-options
    edit "default"
        set comment "All default services."
        config http
            set ports 80
            set unknown-http-version tunnel
        end
        config cifs
            set ports 445
        end
    next
end
config firewall ssl-ssh-profile
    edit "no-inspection"
        set comment "Read-only profile that does no inspection."
        config https
            set status disable
        end
    next
end
"""

# the factory 'monitor-all' web filter (7.0.14), with its category filters' action written out ('monitor': the
# backup writes none, and the default action is not documented) and its FortiGuard rating errors let through
# ('error-allow'), so that only the profile's own settings are looked at
MONITOR_ALL = """config webfilter profile
    edit "monitor-all"
        set comment "Monitor and log all visited URLs, flow-based."
        config ftgd-wf
            set options error-allow
            config filters
                edit 1
                    set category 1
                    set action monitor
                next
                edit 2
                    set category 3
                    set action monitor
                next
            end
        end
%s        set web-content-log disable
        set web-url-log disable
    next
end
"""

POLICY = """config firewall policy
    edit 1
        set srcintf "internal1"
        set dstintf "internal2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
        set utm-status enable
        set webfilter-profile "monitor-all"
        set ssl-ssh-profile "no-inspection"
    next
end
"""


def decision(text: str, port: int) -> str:
    return explain(parse(text, "t.conf"), "10.1.0.5", "10.2.0.10", "tcp", 40000, port)["decision"]


def test_a_web_filter_that_logs_every_url_blocks_nothing():
    # 'log-all-url enable': "Enable/disable logging all URLs visited" (fortios_webfilter_profile module), set by the
    # factory 'monitor-all' profile.  Was: unknown on 80 ("may block: 'set log-all-url enable'")
    text = HEAD + MONITOR_ALL % "        set log-all-url enable\n" + POLICY
    assert decision(text, 80) == "permit"
    assert not [d for d in parse(text, "t.conf").diagnostics if "monitor-all" in d.message]


def test_post_action_normal_blocks_nothing_and_block_still_counts():
    # 'post-action [normal|block]' (CLI Reference 6.4.4, "config webfilter profile"): 'normal' lets HTTP POST
    # through (as 'show full-configuration' writes it); 'block' blocks it.  Was: unknown on 80 for 'normal'
    assert decision(HEAD + MONITOR_ALL % "        set post-action normal\n" + POLICY, 80) == "permit"
    assert decision(HEAD + MONITOR_ALL % "        set post-action block\n" + POLICY, 80) == "unknown"
    assert decision(HEAD + MONITOR_ALL % "        set post-action block\n" + POLICY, 445) == "permit"

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
NO_SSL = ('config firewall ssl-ssh-profile\n    edit "no-inspection"\n        config https\n'
          '            set status disable\n        end\n        config ssl\n            set inspect-all disable\n'
          '        end\n    next\nend\n')
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

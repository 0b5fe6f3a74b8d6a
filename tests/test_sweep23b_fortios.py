"""FortiOS defects found by running Fortinet's own deployment templates (session 23, round 2:
fortinet/fortigate-terraform-deploy, fortinet/azure-templates, fortinet/aws-cloudformation-templates; their
bootstrap configurations, ``${var}`` placeholders substituted with realistic values).

Documents cited (Fortinet):

* [ABBR] FortiOS 5.4 "Getting Started", "Using the CLI" > "Command syntax",
  http://help.fortinet.com/fos50hlp/54/Content/FortiOS/fortigate-getting-started-54/4-Using-the-CLI/Command%20syntax.htm
  ("Valid command lines must be unambiguous if abbreviated"), and its "Tips" > "Command abbreviation"
  (a word may be shortened to its fewest unambiguous characters); the same in FortiOS 5.0 "Install and
  System Administration", "Using the CLI" > "Command syntax" > "Terminology".  Fortinet's templates write
  'config sys ha', 'config sys glo', 'config sys sdn-connector', 'config system sdn'.
"""

from __future__ import annotations

from auditor.core.model import Impact
from parsers.fortios import parse

BASE = """\
config system interface
    edit "port1"
        set ip 10.0.1.10 255.255.255.0
    next
    edit "port2"
        set ip 10.0.2.10 255.255.255.0
    next
end
config firewall policy
    edit 1
        set srcintf "port2"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""

# as Fortinet's AWS / Azure / GCP HA templates write them (fortigate-terraform-deploy, aws/7.0/ha, config-active.conf)
SHORT = """\
config sys glo
    set hostname "FGT-A"
    set admin-sport 8443
end
config sys ha
    set group-name "AWS-HA"
    set mode a-p
    set hbdev "port2" 100
    set session-pickup enable
    config  ha-mgmt-interfaces
        edit 1
            set interface "port1"
            set gateway 10.0.1.1
        next
    end
    set unicast-hb enable
    set unicast-hb-peerip 10.0.2.11
end
config system sdn
    edit "aws-ha"
        set type aws
        set use-metadata-iam enable
    next
end
config sys sdn-connector
    edit "azuresdn"
        set type azure
    next
end
"""


def _cfg300(cfg):
    return [(d.source.text.strip(), d.impact) for d in cfg.diagnostics if d.code == "CFG300"]


def test_shortened_words_of_blocks_with_no_effect_are_read_whole():  # [ABBR]
    cfg = parse(BASE + SHORT, "fgt.conf")
    # were 4 blocks 'not understood (could change any verdict)': the audit's verdict unknown
    assert _cfg300(cfg) == []


def test_a_shortened_block_that_is_read_stays_reported():  # [ABBR] (read blocks are not guessed)
    text = BASE + "config fire pol\n    edit 2\n        set srcintf \"port1\"\n        set dstintf \"port2\"\n" \
        "        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set action accept\n" \
        "        set schedule \"always\"\n        set service \"ALL\"\n    next\nend\n"
    assert _cfg300(parse(text, "fgt.conf")) == [("config fire pol", Impact.GLOBAL)]
    # 'system global' holds the redirect settings the policies read: shortened, it stays reported
    text = BASE + "config sys glo\n    set allow-traffic-redirect disable\nend\n"
    assert _cfg300(parse(text, "fgt.conf")) == [("config sys glo", Impact.GLOBAL)]


def test_an_ambiguous_or_unknown_short_word_stays_reported():  # [ABBR]
    # 'system ha' and 'system ha-monitor' are both blocks: 'h' names neither; 'sys zz' names nothing
    text = BASE + "config sys h\n    set mode a-p\nend\nconfig sys zz\n    set x 1\nend\n"
    assert [t for t, _i in _cfg300(parse(text, "fgt.conf"))] == ["config sys h", "config sys zz"]

"""IOS / IOS-XE edge cases found in other people's configurations, each against Cisco's documentation."""

from __future__ import annotations

from ios_helpers import cfg, decide

from parsers.cisco_ios.parser import IosParser

# "Packets are unconditionally discarded by configuring the drop action inside a traffic class (inside of a
# policy map)" -- Cisco, "Modular QoS CLI (MQC) Unconditional Packet Discard",
# https://www.cisco.com/en/US/docs/ios-xml/ios/qos_plcshp/configuration/15-1mt/qos-plcshp-mod-cli-upd.html
QOS = """\
ip access-list extended SMB
 permit tcp any any eq 445
class-map match-all SMB
 match access-group name SMB
policy-map NO-SMB
 class SMB
  drop
policy-map SHAPE
 class class-default
  shape average 10000000
  service-policy NO-SMB
policy-map MARK
 class SMB
  set dscp af21
interface GigabitEthernet0/0
 ip address 10.30.0.1 255.255.255.0
 service-policy input {}
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
"""


def test_qos_policy_that_drops_a_class_is_not_a_pass():
    for name in ("NO-SMB", "SHAPE"):  # the drop directly, or in a policy nested in the applied one
        c = cfg(QOS.format(name))
        assert [(d.impact.value, d.source.text.strip()) for d in c.unrecognized] == [
            ("global", "service-policy input %s" % name)]
    # a policy that only marks or shapes does not change what passes
    c = cfg(QOS.format("MARK"))
    assert not c.unrecognized
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"


def test_show_running_config_all_interface_defaults_are_ignored():
    # 'show running-config all' prints every interface default: multicast forwarding, BGP policy
    # accounting, OSI route cache, MACsec key agreement (none of them filters)
    text = ("interface GigabitEthernet0/0\n ip address 10.30.0.1 255.255.255.0\n ip mfib forwarding input\n"
            " ipv6 mfib cef output\n no bgp-policy accounting input\n no bgp-policy source ip-qos-map\n"
            "  clns route-cache\n no mka pre-shared-key\n mka default-policy\n no medium p2p\n"
            " no h323-gateway voip interface\n")
    p = IosParser("version 17.3\n" + text, "r.cfg")
    c = p.build()
    assert not c.unrecognized and p.lines.unaccounted() == []

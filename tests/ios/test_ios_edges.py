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


def test_flexible_packet_matching_policy_that_drops_is_not_a_pass():
    # Cisco, "Flexible Packet Matching" (IOS 12.4(4)T): FPM policies have "multiple actions (such as drop, log,
    # or send Internet Control Message Protocol [ICMP] unreachable) to immediately block new viruses, worms,
    # and attacks", applied with 'service-policy type access-control input|output P' on an interface
    # https://paperzz.com/doc/7535446/pdf
    text = QOS.format("FPM").replace("interface GigabitEthernet0/0", """\
class-map type stack match-all ip-tcp
 match field IP protocol eq 0x6 next TCP
class-map type access-control match-all blaster
 match field TCP dest-port eq 135
policy-map type access-control fpm-tcp
 class blaster
  drop
policy-map type access-control FPM
 class ip-tcp
  service-policy fpm-tcp
interface GigabitEthernet0/0""").replace("service-policy input FPM", "service-policy type access-control input FPM")
    c = cfg(text)
    assert [(d.impact.value, d.source.text.strip()) for d in c.unrecognized] == [
        ("global", "service-policy type access-control input FPM")]  # was: ignored, so the audit could pass


def test_a_rate_limit_blocks_no_flow_a_conform_drop_is_reported():
    # Cisco, "Committed Access Rate" (IOS 11.1 feature guide): "Traffic that falls within the rate parameters is
    # transmitted, while packets that exceed the acceptable amount of traffic are dropped or transmitted with a
    # different priority"; actions "transmit, drop, set precedence, or set QoS group"
    # http://www.cisco.com/en/US/docs/ios/11_1/feature/guide/CAR.html
    # Cisco, "police (policy map)" (MWR 2941 command reference, IOS 15.1(3)MR): conform-action "drop--Drops
    # packets that do not exceed the rate set for the bps argument"
    # https://cisco.manymanuals.com/networking/mwr-2941/installation-manual-6877/309
    car = QOS.format("MARK").replace(" service-policy input MARK", " rate-limit input %s")
    limit = "8000000 1500 2000 conform-action transmit exceed-action drop"
    c = cfg(car % limit)
    assert not c.unrecognized  # was: 'interface command rate-limit input is not supported' (unknown)
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"
    c = cfg(car % ("access-group 101 " + limit.replace("transmit", "continue")))
    assert not c.unrecognized
    c = cfg(car % "8000 1500 2000 conform-action drop exceed-action drop")
    assert [(d.impact.value, d.source.line) for d in c.unrecognized] == [("global", 19)]
    # the same in a QoS policy map: a police rate limit is not reported, a conform-action drop is
    qos = QOS.replace("  set dscp af21", "%s")
    for police in ("  police cir 8000 conform-action transmit exceed-action drop",
                   "  police cir 8000 bc 1500 pir 16000 conform-action transmit exceed-action drop violate-action drop",
                   "  police 8000 1500 1500 conform-action set-dscp-transmit af11 exceed-action drop",
                   "  police cir 8000\n   conform-action transmit\n   exceed-action drop\n   violate-action drop"):
        c = cfg(qos.replace("{}", "MARK") % police)
        assert not c.unrecognized, police
    for police in ("  police cir 8000 conform-action drop exceed-action drop",
                   "  police cir 8000\n   conform-action drop\n   exceed-action drop",
                   "  police rate 100 pps\n   conform-action drop\n   exceed-action drop"):
        c = cfg(qos.replace("{}", "MARK") % police)
        assert [(d.impact.value, d.source.text.strip()) for d in c.unrecognized] == [
            ("global", "service-policy input MARK")], police


def _every_line_read(text: str) -> None:
    p = IosParser("version 17.3\n" + text, "r.cfg")
    c = p.build()
    assert not c.unrecognized and p.lines.unaccounted() == []


def test_show_running_config_all_interface_defaults_are_ignored():
    # 'show running-config all' prints every interface default: multicast forwarding, BGP policy
    # accounting, OSI route cache, MACsec key agreement (none of them filters)
    text = ("interface GigabitEthernet0/0\n ip address 10.30.0.1 255.255.255.0\n ip mfib forwarding input\n"
            " ipv6 mfib cef output\n no bgp-policy accounting input\n no bgp-policy source ip-qos-map\n"
            "  clns route-cache\n no mka pre-shared-key\n mka default-policy\n no medium p2p\n"
            " no h323-gateway voip interface\n")
    _every_line_read(text)


def test_link_and_switching_interface_commands_are_ignored():
    # (from Batfish's IOS interface test config: a set MAC address, an SVI's autostate and switch queueing
    # change no filtering; they were 'not supported', making every verdict unknown; NHRP was ignored already)
    text = ("interface Vlan10\n ip address 10.30.0.1 255.255.255.0\n mac-address abcd.df01.2345\n no autostate\n"
            " srr-queue bandwidth share 1 30 35 5\n wrr-queue cos-map 1 1 0\n"
            "interface Tunnel0\n ip address 172.16.0.1 255.255.255.0\n ip nhrp network-id 1\n"
            " ip nhrp map multicast dynamic\n ipv6 nhrp network-id 1\n")
    _every_line_read(text)
    # an interface command that may filter is still reported
    text = "version 17.3\ninterface Gi0/0\n ip address 10.30.0.1 255.255.255.0\n ip ips MYIPS in\n"
    c = IosParser(text, "r.cfg").build()
    assert [d.impact.value for d in c.unrecognized] == ["global"]


XR = """hostname xr1
ipv4 access-list IN
 10 deny tcp any any eq 23
 20 permit ipv4 any any
!
interface GigabitEthernet0/0/0/0
 ipv4 address 10.30.0.1 255.255.255.0
 ipv4 access-group IN ingress
!
interface GigabitEthernet0/0/0/1
 ipv4 address 10.20.0.1 255.255.255.0
!
"""


def test_ios_xr_interface_addresses_and_access_groups_are_read():
    # Cisco IOS XR IP Addresses and Services Command Reference, "ipv4 access-group": 'ipv4 access-group
    # access-list-name {ingress | egress}' filters the packets entering or leaving the interface; 'ipv4 address'
    # is XR's 'ip address' (the access list itself was read already: aerleon's ciscoxr renders it)
    p = IosParser(XR, "xr.cfg")
    c = p.build()
    assert not c.unrecognized and p.lines.unaccounted() == []
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=23)["decision"] == "deny"
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"
    # XR's common access lists (applied before the interface's own) are reported, not read as the interface's
    common = XR.replace(" ipv4 access-group IN ingress", " ipv4 access-group common C IN ingress")
    assert [d.impact.value for d in IosParser(common, "xr.cfg").build().unrecognized] == ["global"]

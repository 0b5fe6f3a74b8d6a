"""Cisco sweep 23: an IOS running-config without its header, and a Firepower Threat Defense paste
without its ``NGFW Version`` header.
"""

from __future__ import annotations

import pytest

from parsers import InputError, detect, parse_text

# --- 1. an IOS running-config whose header was cut ---------------------------------------------
#
# IOS numbers its terminal lines ('line con 0', 'line aux 0', 'line vty 0 4': Cisco's IOS-XE data
# model "Line", consoles / vtys / auxes each with a number,
# https://netascode.cisco.com/docs/data_models/iosxe/device/line/), where IOS-XR writes 'line console'
# and 'line default' (Cisco's IOS-XR data model "Line",
# https://netascode.cisco.com/docs/data_models/iosxr/device/line) and NX-OS 'line console' and
# 'line vty'; IOS writes 'ip cef' and 'ip forward-protocol nd' at the top level.  Without the
# 'Building configuration' / 'version 15.x' lines and without an access list, such a router's config
# scored 25 (hostname and an interface address) under the threshold of 30 and was refused as
# "could not recognise the configuration format".

IOS_NO_HEADER = """\
hostname BRANCH-RTR
!
ip cef
!
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.0.0
!
interface GigabitEthernet0/1
 ip address 10.2.0.1 255.255.255.0
!
ip forward-protocol nd
!
line con 0
line vty 0 4
 login
!
end
"""

NXOS = """\
hostname n9k
feature interface-vlan
interface Vlan10
  ip address 10.1.0.1/16
interface Ethernet1/1
  ip address 10.2.0.1/24
line console
line vty
"""

IOS_XR = """\
hostname xr1
service timestamps log datetime msec
interface GigabitEthernet0/0/0/0
 ipv4 address 10.1.0.1 255.255.0.0
!
line console
 exec-timeout 0 0
!
line default
 transport input ssh
!
control-plane
!
end
"""

EOS = """\
hostname leaf1
ip routing
interface Ethernet1
   no switchport
   ip address 10.1.0.1/16
interface Management1
   ip address 10.2.0.1/24
end
"""


def test_ios_running_config_without_header_is_detected_and_the_others_are_not():
    assert detect(IOS_NO_HEADER, "r.cfg") == "cisco-ios"  # before: InputError "could not recognise"
    assert parse_text(IOS_NO_HEADER, "r.cfg").vendor == "cisco-ios"
    # NX-OS, IOS-XR and EOS keep their answer (refused with one line), the signs being IOS's alone
    for text in (NXOS, IOS_XR, EOS):
        with pytest.raises(InputError, match="could not recognise"):
            detect(text, "other.cfg")

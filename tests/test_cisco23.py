"""Cisco sweep 23: an IOS running-config without its header, and a Firepower Threat Defense paste
without its ``NGFW Version`` header.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from parsers import InputError, detect, parse_text
from tests.test_sweep23b_asa import FTD_BODY, audit_cli

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


# --- 3. a Firepower Threat Defense paste without its 'NGFW Version' header ------------------------
#
# The ASA's access lists are 'extended', 'standard', 'webtype' or 'ethertype' (Cisco ASA Series CLI
# configuration guide, "Adding an Extended Access Control List": 'access-list access_list_name [line
# line_number] extended {deny | permit} ...'); 'advanced' is how an FTD deploys its access control
# policy into LINA, 'access-list CSM_FW_ACL_ line 10 advanced deny tcp host 192.168.1.40 host
# 192.168.2.40 eq www rule-id 268435461 event-log flow-start' (Cisco, "Clarify the Firepower Threat
# Defense Access Control Policy Rule Actions", document 212321,
# https://www.cisco.com/c/en/us/support/docs/security/firepower-ngfw/212321-clarify-the-firepower-threat-defense-acc.html),
# where a rule with application/URL/user conditions is a LINA 'permit' whatever its action and Snort
# (not in the text) decides.  A paste without the 'NGFW Version' line (refused since 36244cc) was
# audited as an ASA's, its 'advanced' lines not understood.

def test_ftd_paste_without_its_header_is_refused_in_one_line(tmp_path):
    p = audit_cli(tmp_path, FTD_BODY)
    assert p.returncode == 2 and p.stdout == b""  # before: audited as an ASA (exit 1)
    lines = p.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "line 12" in lines[0] and "Firepower Threat Defense" in lines[0]
    # the same with the 'line N' a 'show access-list' copy carries
    p = audit_cli(tmp_path, FTD_BODY.replace("CSM_FW_ACL_ advanced deny", "CSM_FW_ACL_ line 4 advanced deny")
                  .replace("CSM_FW_ACL_ advanced permit", "CSM_FW_ACL_ extended permit"))
    assert p.returncode == 2 and b"line 14" in p.stderr
    # an ASA's lists are still read, whatever their name (Cisco Security Manager names an ASA's
    # interface list CSM_FW_ACL_<interface>)
    asa = FTD_BODY.replace(" advanced ", " extended ").replace(" rule-id 268434435", "") \
        .replace(" rule-id 268434432 event-log flow-start", "")
    assert parse_text(asa, "asa.cfg").vendor == "cisco-asa"


# --- 2. 'ip address dhcp setroute' and the distance of the route it learns ------------------------
#
# With 'setroute' the ASA takes its default route from the DHCP server ("ip address dhcp": "setroute
# ... the ASA uses the default route from the DHCP server", Cisco ASA Series Command Reference, I
# commands), modelled as a default route out of that interface at distance 1 (its gateway is not
# needed: a route decides the egress interface).  'dhcp client route distance N' (or '... track N')
# changes that route's distance (or withdraws it with its SLA), which decides whether it or a static
# default route through another interface carries the traffic; it was ignored as a DHCP setting, so
# the DHCP route at distance 1 beat 'route INSIDE 0.0.0.0 0.0.0.0 192.0.2.2 5' and a flow was decided
# out of OUTSIDE (permit) that the ASA, with the DHCP route at distance 10, routes back out of INSIDE.
# Not modelled, the line is now reported: the verdict is unknown, not pass.

ASA_DHCP = """\
ASA Version 9.8(4)
hostname asa
interface Vlan100
 nameif OUTSIDE
 security-level 0
 ip address dhcp setroute
interface Vlan200
 nameif INSIDE
 security-level 100
 ip address 192.0.2.1 255.255.255.0
access-list INSIDE_in extended permit tcp any any eq 445
access-group INSIDE_in in interface INSIDE
route INSIDE 0.0.0.0 0.0.0.0 192.0.2.2 5
dhcp client route distance 10
"""


def _explain(tmp_path, text):
    path = tmp_path / "asa.cfg"
    path.write_text(text)
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "explain", str(path), "--src", "192.0.2.5", "--dst",
                        "198.51.100.10", "--dport", "445"], capture_output=True, cwd=ROOT, timeout=120)
    return p.stdout.decode()


def test_dhcp_client_route_distance_makes_the_default_route_unknown(tmp_path):
    out = _explain(tmp_path, ASA_DHCP)
    assert "UNKNOWN" in out and "line 14" in out  # before: PERMIT by line 11 (out of OUTSIDE)
    # without it, the DHCP route (distance 1) is the default route, out of OUTSIDE
    assert "PERMIT by line 11" in _explain(tmp_path, ASA_DHCP.replace("dhcp client route distance 10\n", ""))

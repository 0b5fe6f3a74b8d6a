"""PRN120 on IOS: classic IOS firewall (CBAC) inspection has an idle timer of its own.

CBAC inspects the sessions an interface's ``ip inspect NAME in|out`` names and closes each one idle for its
timer: the inspection rule's ``ip inspect name NAME tcp timeout SECONDS``, else the global ``ip inspect tcp
idle-time`` ("Defaults 3600 seconds (1 hour)": Cisco IOS Security Command Reference, ``ip inspect name`` and
``ip inspect tcp idle-time``).  CBAC is not modelled (the interface line is reported, every verdict
unknown), and PRN120 said nothing: no finding where a 900 s timer closes Workshop sessions.  It now says it
cannot tell.
"""

from __future__ import annotations

from auditor.api import audit
from auditor.policy import load_site
from parsers import cisco_ios

SITE = ["primary=10.20.0.10", "workshop=10.30.0.0/24"]

CONFIG = """hostname R1
!
ip inspect tcp idle-time 600
ip inspect name FW tcp timeout 900
!
interface GigabitEthernet0/0
 ip address 10.30.0.1 255.255.255.0
 ip access-group WS-IN in
%s
!
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.255.0
 ip access-group SRV-IN in
!
ip access-list extended WS-IN
 permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10
 permit udp 10.30.0.0 0.0.0.255 host 10.20.0.10
ip access-list extended SRV-IN
 permit tcp host 10.20.0.10 10.30.0.0 0.0.0.255 established
 deny ip any any
!
end
"""


def _prn120(text: str):
    cfg = cisco_ios.parse(text, "r1.cfg")
    return [f for f in audit([cfg], load_site(None, SITE)).findings if f.rule_id == "PRN120"]


def test_cbac_inspection_on_the_workshop_interface_makes_prn120_unknown():
    [f] = _prn120(CONFIG % " ip inspect FW in")          # was: no PRN120 finding at all
    assert f.status == "unknown" and f.source.line == 9


def test_access_lists_alone_keep_no_idle_timer():
    # (stateless access lists: no session, no idle timeout, nothing to say)
    assert not _prn120(CONFIG % " description no inspection")

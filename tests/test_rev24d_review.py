"""rev24d's review of session 24's merges: the defects found, each with the document that says what the device does.

A router's own traffic: "Access lists that are applied to interfaces on a device do not filter traffic that originates
from that device" (Cisco, Consolidated Platform Configuration Guide, Cisco IOS Release 15.2(4)E, "Applying Access
Control Lists", as copied at https://manualshive.com/en/manual/cisco/catalyst-2960-series/66776?page=1264).  The IOS
model has paths for what the router receives (``local="in"``) and none for what it sends, so a role given one of
its addresses (the router's for the server's: ``tests/test_own_role.py``) has flows from it that no path decides:
they are unknown (PRN100, "is the role's address mistyped?"), never "not routed", which passes.  bf009cb had left
out that check for every input with a path to the device itself; it is meant for host firewalls (iptables INPUT and
OUTPUT: both directions of the host's own traffic are decided by its paths).
"""

from __future__ import annotations

from auditor import api
from auditor.policy import load_site
from parsers import parse_text

IOS = """hostname r1
interface GigabitEthernet0/0
 ip address 10.1.0.1 255.255.0.0
interface GigabitEthernet0/1
 ip address 10.2.0.10 255.255.0.0
end
"""
ROLES = ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]


def test_a_router_whose_address_is_a_role_leaves_that_roles_flows_unknown():
    cfg = parse_text(IOS, "r1.cfg", vendor="cisco-ios")
    assert any(p.local == "in" for p in cfg.paths)  # (the router's paths to itself: what bf009cb keyed on)
    res = api.audit([cfg], load_site(None, ROLES), select=["PRN100"])
    status = {f["flow"]: f["status"] for f in res.flows}
    assert status["smb:primary->secondary"] == "unknown"
    own = [f for f in res.findings if f.rule_id == "PRN100" and f.extra.get("own_address")]
    assert {f.extra["own_address"] for f in own} == {"primary = 10.2.0.10"}


# --- secrets ---------------------------------------------------------------------------------------------------

PASSWORD = "Hunter2x9"


def test_a_plain_text_word_piped_into_convertto_securestring_is_hidden():
    # ConvertTo-SecureString's -String "Accept pipeline input: True (ByValue)" (Microsoft.PowerShell.Security,
    # ConvertTo-SecureString, https://learn.microsoft.com/powershell/module/microsoft.powershell.security/
    # convertto-securestring): the word 'Write-Output X' or 'echo X' sends is the plain-text password as much as a
    # quoted one (6be1795 hid only quoted strings before the cmdlet)
    from auditor.core.secrets import redact

    for line in ("PS C:\\> $s = Write-Output %s | ConvertTo-SecureString -AsPlainText -Force" % PASSWORD,
                 "PS C:\\> echo %s|ConvertTo-SecureString -AsPlainText -Force" % PASSWORD,
                 "$c = New-Object PSCredential('ops', (echo %s | ConvertTo-SecureString -AsPlainText -Force))"
                 % PASSWORD):
        out = redact(line)
        assert PASSWORD not in out and "<redacted>" in out, out

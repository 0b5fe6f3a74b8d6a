"""PAN-OS: a shared group's members are shared objects (session 29, PAN-OS red team, round 2).

Palo Alto Networks, "Device Group Objects" (Panorama 9.1/10.1 Administrator's Guide,
https://docs.paloaltonetworks.com/content/techdocs/en_US/panorama/9-1/panorama-admin/panorama-overview/centralized-firewall-configuration-and-update-management/device-groups/device-group-objects.html):
"if you add an object to the Shared location, all rules in the hierarchy can reference that shared object
because all device groups inherit objects from Shared. If you add an object to a particular device group,
only the rules in that device group and its descendant device groups can reference that device group
object."  On a firewall the same holds for ``shared`` and a virtual system: a vsys object is in the scope of
that vsys only, so a member of a shared group names the shared object of that name, even where the rule's
vsys defines one too (the vsys object wins for the rule's own members only: the closer scope).  Before, a
shared group's members were looked up from the rule's vsys: 'set shared address-group g static srv' with
'srv' both shared (10.20.0.11) and in vsys1 (10.20.0.10) permitted 10.20.0.10 and denied 10.20.0.11.
Expected values written from the document above.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "panos"))
from panos_util import BASE, allow, auto, cfg_of, decide  # noqa: E402

from auditor.api import audit  # noqa: E402
from auditor.policy import load_site  # noqa: E402

SHARED_SRV = "set shared address srv ip-netmask 10.20.0.11\nset address srv ip-netmask 10.20.0.10\n"


def test_a_shared_address_group_names_the_shared_object():
    cfg = cfg_of(BASE + SHARED_SRV + "set shared address-group g static srv\n" + allow("r1", dst="g"))
    assert decide(cfg, "10.30.0.5", "10.20.0.11") == "permit"
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "deny"


def test_a_vsys_address_group_names_the_vsys_object():
    # (the closer scope first: the vsys object of the name, as a rule naming it directly)
    cfg = cfg_of(BASE + SHARED_SRV + "set address-group g static srv\n" + allow("r1", dst="g"))
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "permit"
    assert decide(cfg, "10.30.0.5", "10.20.0.11") == "deny"


def test_a_shared_group_of_a_shared_group():
    cfg = cfg_of(BASE + SHARED_SRV + "set shared address-group inner static srv\n"
                 "set shared address-group g static inner\nset address-group inner static 10.20.0.12\n"
                 + allow("r1", dst="g"))
    assert decide(cfg, "10.30.0.5", "10.20.0.11") == "permit"
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "deny"
    assert decide(cfg, "10.30.0.5", "10.20.0.12") == "deny"


def test_a_shared_service_group_names_the_shared_service():
    svcs = ("set shared service smb protocol tcp port 445\nset service smb protocol tcp port 139\n"
            "set shared service-group sg members smb\n")
    cfg = cfg_of(BASE + svcs + allow("r1", svc="sg"))
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=445) == "permit"
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=139) == "deny"


def test_a_shared_service_groups_timeout_override_is_the_shared_services():
    # the vsys 'smb' has an 8-hour override; the shared one the group names has none: the sessions' timer is
    # App-ID's (unknown), not 28800 ("Maintain Custom Timeouts for Data Center Applications")

    svcs = ("set shared service smb protocol tcp port 445\n"
            "set service smb protocol tcp port 445 override yes timeout 28800\n"
            "set shared service-group sg members smb\n")
    text = BASE + svcs + allow("r1", svc="sg")
    got = [f for f in audit([auto(text, "fw")], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"]))
           .findings if f.rule_id == "PRN120"]
    assert got and all(f.status == "unknown" for f in got)

"""Change requests as network admins write them, per vendor (hunt 6): each applied as the device would,
or refused with one line (never silently dropped, never read as harmless when the device opens more)."""

from __future__ import annotations

from conftest import EXAMPLES

from auditor.api import explain
from parsers.fortios import parse as fortios_parse
from parsers.fortios.change import apply_change as fortios_change

FORTIOS = (EXAMPLES / "fortios-site" / "fortigate.conf").read_text()


# --- FortiOS ----------------------------------------------------------------------------------------

def test_fortios_two_edit_0_blocks_get_two_ids():
    """'edit 0' takes the next free ID (FortiOS Administration Guide, "Policy ID": 'edit 0' assigns the next
    available ID): a second 'edit 0' in the same change is the ID after the first's.  Both were given 41, so the
    parser read one policy 41 with the second's settings: the first policy (accept UDP to the servers) was
    lost under the second's 'deny' (a wrong pass: what the change opens was not seen)."""
    change = ('config firewall policy\n'
              '    edit 0\n        set srcintf "workshop"\n        set dstintf "servers"\n'
              '        set srcaddr "all"\n        set dstaddr "all"\n        set action accept\n'
              '        set schedule "always"\n        set service "ALL_UDP"\n    next\n'
              '    edit 0\n        set srcintf "LAN"\n        set dstintf "servers"\n'
              '        set srcaddr "all"\n        set dstaddr "all"\n        set action deny\n'
              '        set schedule "always"\n        set service "ALL"\n    next\nend\n')
    text = fortios_change(FORTIOS, change, "change.txt")
    assert text.count("    edit 41\n") == 1 and text.count("    edit 42\n") == 1
    got = explain(fortios_parse(text, "fortigate.conf"), "10.30.0.5", "10.20.0.10", "udp", 1024, 37002)
    assert got["decision"] == "permit" and got["rule"].strip() == "edit 41"

"""FortiOS ``rename A to B`` in a change request.

FortiOS 6.0 Handbook, "Sub-commands" (https://docs.fortinet.com/document/fortigate/6.0.0/handbook/753045), lists
``rename <table> to <table>`` among the commands for tables: it renames the entry.  No Fortinet document found
(CLI Reference "Sub-commands", the handbook, FortiManager's object renaming) says whether the settings that name
the entry (a policy's srcaddr, a group's member) are renamed with it.  So a rename of an entry something names is
refused with that reason and with what to write instead (the references set to the new name explicitly); a rename
of an entry nothing names changes nothing else and is applied.  (Junos alike: parsers/junos/change.py.)
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from parsers import InputError
from parsers.fortios import parse
from parsers.fortios.change import apply_change

CONF = (EXAMPLES / "fortios-site" / "fortigate.conf").read_text()


def test_a_rename_of_an_entry_a_policy_names_is_refused_with_the_reason():
    change = 'config firewall address\n    rename "WORKSHOP-NET" to "WS-NET"\nend\n'
    with pytest.raises(InputError, match=r"change.txt:2: rename .*WORKSHOP-NET.*line 162.*not documented"):
        apply_change(CONF, change, "change.txt")


def test_the_refusal_says_what_to_write_instead():
    change = 'config firewall address\n    rename "WORKSHOP-NET" to "WS-NET"\nend\n'
    with pytest.raises(InputError, match=r"clone \"WORKSHOP-NET\" to \"WS-NET\".*delete \"WORKSHOP-NET\""):
        apply_change(CONF, change, "change.txt")


def test_a_rename_of_an_entry_the_change_itself_makes_a_policy_name_is_refused():
    change = ('config firewall policy\n    edit 0\n        set srcintf "workshop"\n        set dstintf "servers"\n'
              '        set srcaddr "OLD-RIP"\n        set dstaddr "all"\n        set action accept\n'
              '        set schedule "always"\n        set service "HTTP"\n    next\nend\n'
              'config firewall address\n    rename "OLD-RIP" to "RIP-2"\nend\n')
    with pytest.raises(InputError, match=r"change.txt:13: rename .*OLD-RIP"):
        apply_change(CONF, change, "change.txt")


def test_a_rename_of_an_entry_nothing_names_is_applied():
    text = apply_change(CONF, 'config firewall address\n    rename "OLD-RIP" to "RIP-2"\nend\n', "change.txt")
    assert '    edit "RIP-2"' in text and '"OLD-RIP"' not in text
    c = parse(text, "fortigate.conf")
    assert not [d for d in c.diagnostics if "RIP-2" in d.message or "OLD-RIP" in d.message]

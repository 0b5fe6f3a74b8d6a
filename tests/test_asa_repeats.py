"""An access-list entry repeated word for word is built once (``acl._again``): the repeats get
the same rules as building each one, with their own line, position and inline addresses, and
an entry whose building reports something (an undefined object) is still reported on each line."""

from __future__ import annotations

from parsers.cisco_asa import acl as A
from parsers.cisco_asa import parse

CFG = """ASA Version 9.16(4)
hostname t
name 10.9.9.9 NAMED
object network WEB
 host 10.1.1.1
access-list IN extended permit tcp host 10.0.0.1 object WEB eq 80
access-list IN extended deny ip 10.2.0.0 255.255.0.0 host NAMED log
access-list IN extended permit tcp host 10.0.0.1 object WEB eq 80
access-list IN extended permit udp object UNDEFINED any eq 53
access-list IN extended deny ip 10.2.0.0 255.255.0.0 host NAMED log
access-list IN line 1 extended permit tcp host 10.0.0.1 object WEB eq 80
access-list IN extended permit udp object UNDEFINED any eq 53
access-list IN extended permit tcp host 10.0.0.1 object WEB eq 80 inactive
access-group IN in interface inside
"""


class _FindsNone(dict):
    def get(self, key, default=None):
        return default


def test_repeated_entries_get_the_rules_built_one_by_one(monkeypatch):
    fast = parse(CFG, "t.cfg")
    built = []
    real = A.build_ace
    monkeypatch.setattr(A, "build_ace", lambda *a: built.append(a[3].line) or real(*a))
    parse(CFG, "t.cfg")
    # (line 6 resolved WEB first, recording its address: built again on line 8, then cached;
    # line 9 reported the undefined name: built again on line 12)
    assert built == [6, 7, 8, 9, 12, 13]
    monkeypatch.setattr(A, "_Built", _FindsNone)
    slow = parse(CFG, "t.cfg")
    # (by their text: packet sets compare by identity, and each parse makes its own)
    assert repr(fast.filters) == repr(slow.filters)
    assert repr(fast.diagnostics) == repr(slow.diagnostics)
    assert repr(fast.address_refs) == repr(slow.address_refs)
    rules = fast.filters["IN"].rules
    assert [(r.source.line, r.index) for r in rules] == [(11, 0), (6, 1), (7, 2), (8, 3), (9, 4), (10, 5),
                                                         (12, 6), (13, 7)]
    # the inline addresses of a repeat name the repeat's line; a name's, the name's line
    assert [ref.source.line for ref in rules[5].addresses] == [10, 3]
    assert [ref.source.line for ref in rules[0].addresses][0] == 11
    assert sum(1 for d in fast.diagnostics if "UNDEFINED" in d.message) == 2

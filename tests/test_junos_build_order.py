"""The Junos parser's shortcut for large rulebases builds the same model as the plain way:
``AddressBooks.settle`` makes the usual address entries at once, before the policies look them up.

It is turned off here and the model (its repr: rules, timeouts and their labels, diagnostics and their
order, objects, the lines' states) compared with the one built with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.gen_junos import generate
from parsers.junos import objects, parse_lines

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "junos-site" / "srx.conf"

# zone pairs interleaved (A, B, A), a global policy between, an application set (the port-based table), an
# address set naming a global address, a zone book's set named like a global address, an undefined member
INTERLEAVED = """\
set security zones security-zone trust interfaces ge-0/0/0.0
set security zones security-zone untrust interfaces ge-0/0/1.0
set security zones security-zone dmz interfaces ge-0/0/2.0
set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/24
set interfaces ge-0/0/1 unit 0 family inet address 203.0.113.1/24
set interfaces ge-0/0/2 unit 0 family inet address 10.9.0.1/24
set security address-book global address WEB 10.9.0.10/32
set security address-book global address S 10.0.0.5/32
set security address-book global address-set T address S
set security address-book global address-set T address NOPE
set security zones security-zone trust address-book address-set S address-set T
set applications application tcp-8080 protocol tcp destination-port 8080 inactivity-timeout 7200
set applications application tcp-8081 protocol tcp destination-port 8080-8081 inactivity-timeout 60
set applications application-set WEBS application tcp-8080
set applications application-set WEBS application junos-http
set security policies from-zone trust to-zone dmz policy a1 match source-address S
set security policies from-zone trust to-zone dmz policy a1 match destination-address WEB
set security policies from-zone trust to-zone dmz policy a1 match application WEBS
set security policies from-zone trust to-zone dmz policy a1 then permit
set security policies from-zone untrust to-zone dmz policy b1 match source-address any
set security policies from-zone untrust to-zone dmz policy b1 match destination-address WEB
set security policies from-zone untrust to-zone dmz policy b1 match application any
set security policies from-zone untrust to-zone dmz policy b1 then permit
set security policies global policy g1 match source-address any
set security policies global policy g1 match destination-address any
set security policies global policy g1 match application junos-ssh
set security policies global policy g1 then deny
set security policies from-zone trust to-zone dmz policy a2 match source-address any
set security policies from-zone trust to-zone dmz policy a2 match destination-address T
set security policies from-zone trust to-zone dmz policy a2 match application tcp-8081
set security policies from-zone trust to-zone dmz policy a2 then permit
"""


def _grouped_text() -> str:
    """``INTERLEAVED`` with policy a2 moved up to a1: each zone pair's policies together."""
    lines = INTERLEAVED.splitlines(keepends=True)
    a2 = [x for x in lines if " policy a2 " in x]
    rest = [x for x in lines if " policy a2 " not in x]
    k = max(i for i, x in enumerate(rest) if " policy a1 " in x) + 1
    return "".join(rest[:k] + a2 + rest[k:])


def _model(text: str) -> str:
    cfg, lines = parse_lines(text, "t.conf")
    return repr(cfg) + repr(bytes(lines.state))


@pytest.mark.parametrize("text", [
    pytest.param(INTERLEAVED, id="interleaved"),
    pytest.param(_grouped_text(), id="grouped"),
    pytest.param(EXAMPLE.read_text(), id="example"),
    pytest.param(generate(300, seed=3), id="generated"),
])
def test_shortcuts_build_the_plain_model(text, monkeypatch):
    fast = _model(text)
    monkeypatch.setattr(objects.AddressBooks, "settle", lambda self: None)
    assert _model(text) == fast


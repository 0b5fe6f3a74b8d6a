"""Check Point red-team findings of session 28, second round (input forms, layers, NAT, change requests), each a
small input in the management API's own shapes, checked against the document cited in its test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    NO_IMPLIED,
    decide,
    global_properties,
    host,
    layer,
    network,
    rule,
    tcp,
    text,
    uid,
)

from parsers.checkpoint import parse  # noqa: E402

WS_NET, WS, SRV = "10.30.0.0", "10.30.0.7", "10.20.0.10"


# --- replies saved one after the other --------------------------------------------------------------------------
# show-access-rulebase answers at most `limit` rules a reply (Management API reference, show-access-rulebase:
# "limit ... Default: 50"), so a layer is saved as one reply per page, e.g. `mgmt_cli show access-rulebase ...
# offset 0 --format json > layer.json; mgmt_cli show access-rulebase ... offset 50 --format json >> layer.json`:
# one file holding JSON texts one after the other, not a JSON list.  Such a file was refused ("not valid JSON:
# Extra data"); now its replies are read as a list of them, the lines those of the file.

def _pages():
    srv, ws = host("Srv", SRV), network("WS", WS_NET, 24)
    smb, ptcp = tcp("microsoft-ds", "445"), tcp("Prinergy_TCP", "1024-9000")
    rules = [rule("ws to srv", [ws], [srv], [ptcp]), rule("deny smb", None, [srv], [smb], action="Drop"),
             rule("Cleanup rule", action="Drop")]
    lu = uid()
    p1, p2 = layer("Network", rules[:1], [srv, ws, ptcp], lu), layer("Network", rules[1:], [srv, smb], lu)
    p1.update({"from": 1, "to": 1, "total": 3})
    p2.update({"from": 2, "to": 3, "total": 3})
    return p1, p2, global_properties(**NO_IMPLIED)


def test_replies_concatenated_in_one_file_are_read_as_a_list():
    p1, p2, gp = _pages()
    body = text(p1) + text(p2) + text(gp)  # (as `>>` appends them)
    cfg = parse(body, "layer.json")
    assert decide(cfg, WS, SRV, dport=1024) == "permit"
    assert decide(cfg, WS, SRV, dport=445) == "deny"
    (smb,) = [r for r in cfg.filters["Network"].rules if r.source.text.strip() == '"name": "deny smb",']
    assert body.splitlines()[smb.source.line - 1].strip() == '"name": "deny smb",'  # (the file's own line)
    assert not [d for d in cfg.diagnostics if d.impact.value != "none"]


def test_concatenated_pages_out_of_order_and_compact_keep_rule_order():
    p1, p2, gp = _pages()
    cfg = parse(json.dumps(p2) + json.dumps(p1) + "\n" + json.dumps(gp), "layer.json")  # page 2 saved first
    assert decide(cfg, WS, SRV, dport=1024) == "permit"
    assert decide(cfg, WS, SRV, dport=445) == "deny"


def test_a_concatenated_file_cut_short_is_still_refused_with_its_line():
    import pytest

    from parsers.kit import InputError

    p1, p2, _gp = _pages()
    body = text(p1) + text(p2)[:-40]
    with pytest.raises(InputError, match=r"not valid JSON \(line \d+"):
        parse(body, "layer.json")

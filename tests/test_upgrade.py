"""The upgrade check (issue 18): on the bundled example, what the firewall must open before moving
from Prinergy 8 to 9 (with the blocking lines), and what the 8.0 flows it still permits are no
longer needed, each exactly (set arithmetic, not samples)."""

import json

from test_cli import CFG, SITE, run

from auditor.api import load_config
from auditor.core.packets import addr_to_int
from auditor.policy import load_site
from auditor.upgrade import render_text, upgrade


def result():
    return upgrade([load_config(CFG)], load_site(SITE), "prinergy-8", "prinergy-9")


def by_flow(items):
    return {i.flow.key: i for i in items}


def test_flows_to_open_on_the_bundled_example():
    r = result()
    opens = by_flow(r.to_open)
    # 49152-65535 is new in 9 (Kodak's newer table): the deny-all at line 87 blocks all of it but
    # the three ports line 77 happens to permit
    dyn = opens["dynamic:workshop->primary"]
    assert dyn.new and dyn.extent == "partly" and [x.source.line for x in dyn.lines] == [87]
    blocked = dyn.lines[0].packets
    assert not blocked.contains((addr_to_int("10.30.0.7"), addr_to_int("10.20.0.10"), 6, 1024, 56765))
    assert blocked.contains((addr_to_int("10.30.0.7"), addr_to_int("10.20.0.10"), 6, 1024, 49152))
    # SMB is blocked today already (line 76): needed by 8 too, so not new
    smb = opens["smb:workshop->primary"]
    assert not smb.new and smb.extent == "fully" and [x.source.line for x in smb.lines] == [76]
    # DiagView moved from 37000 to 49998: the new port is what is blocked
    diag = opens["diagview:admin->primary"]
    assert diag.new and diag.extent == "partly" and diag.lines[0].packets.example()[4] == 49998
    assert set(opens) == {"iis:admin->primary", "iis:admin->secondary", "smb:workshop->primary",
                          "smb:workshop->secondary", "dynamic:workshop->primary", "dynamic:workshop->secondary",
                          "orbacus-workshop:workshop->primary", "orbacus-workshop:workshop->secondary",
                          "diagview:admin->primary", "diagview:admin->secondary"}
    assert r.verdict == "blocked"


def test_flows_no_longer_needed_that_are_still_permitted():
    closes = by_flow(result().to_close)
    # 1024-9000 (8.0's daemons range) is gone from 9; line 77 still opens it from Workshop
    daemons = closes["daemons:workshop->primary"]
    assert [x.source.line for x in daemons.lines] == [77]
    still = daemons.lines[0].packets
    ws, primary = addr_to_int("10.30.0.7"), addr_to_int("10.20.0.10")
    assert still.contains((ws, primary, 6, 1024, 1024)) and still.contains((ws, primary, 6, 1024, 9000))
    assert not still.contains((ws, primary, 6, 1024, 445))  # SMB is still needed (and blocked anyway)
    # DiagView's 37000 is no longer needed; line 91 opens 37000-37101 to the servers
    diag = closes["diagview:admin->primary"]
    assert [x.source.line for x in diag.lines] == [91]
    assert diag.lines[0].packets.example()[4] == 37000
    assert not diag.lines[0].packets.contains((addr_to_int("10.40.0.5"), primary, 6, 1024, 37001))
    assert set(closes) == {"daemons:workshop->primary", "daemons:workshop->secondary",
                           "diagview:admin->primary", "diagview:admin->secondary"}


def test_the_same_pack_has_nothing_to_close():
    r = upgrade([load_config(CFG)], load_site(SITE), "prinergy-9", "prinergy-9")
    assert r.to_close == [] and {i.flow.key for i in r.to_open} == {i.flow.key for i in result().to_open}
    assert not any(i.new for i in r.to_open)


def test_cli_text_json_and_exit_codes(tmp_path):
    code, out, err = run("upgrade", CFG, "--site", SITE, "--from", "prinergy-8", "--to", "prinergy-9")
    assert code == 1 and err == ""
    assert out == render_text(result())
    assert "TO OPEN before the upgrade (10)" in out and "examples/prinergy-site/asa.cfg:87" in out
    assert "upgrade verdict: BLOCKED  (10 to open, 4 no longer needed, 2 undecided)" in out
    code, out, err = run("upgrade", CFG, "--site", SITE, "--from", "prinergy-8", "--to", "prinergy-9",
                         "--format", "json")
    data = json.loads(out)
    assert data["verdict"] == "blocked" and len(data["to_open"]) == 10 and len(data["to_close"]) == 4
    dyn = next(i for i in data["to_open"] if i["flow"] == "dynamic:workshop->primary")
    assert dyn["new_in_target"] and dyn["lines"][0]["line"] == 87
    code, out, err = run("upgrade", CFG, "--site", SITE, "--from", "prinergy-8", "--to", "prinergy-10")
    assert code == 2 and "unknown policy 'prinergy-10'" in err
    code, out, err = run("upgrade", CFG, "--site", SITE, "--from", "prinergy-8", "--to", "prinergy-9",
                         "--format", "sarif")
    assert code == 2 and "text or json" in err
    # a site with everything open: ready
    ok = tmp_path / "open.cfg"
    ok.write_text("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n")
    code, out, err = run("upgrade", str(ok), "--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10",
                         "--from", "prinergy-8", "--to", "prinergy-9", "--host", "primary")
    assert code == 0 and "upgrade verdict: READY" in out, out + err


def test_upgrade_to_a_site_pack_with_roles_of_its_own():
    """A site moving to its own pack: the pack's new roles are the site's, its new flows are new."""
    from conftest import ROOT

    site = load_site(str(ROOT / "examples/policies/insite-site.yaml"))
    r = upgrade([load_config(CFG)], site, "prinergy-8", str(ROOT / "examples/policies/insite-dmz.yaml"))
    web = by_flow(r.to_open)["portal-web:internet->portal"]
    assert web.new and {x.source.line for x in web.lines} == {90, 94}
    assert r.target.name == "insite-dmz" and r.source.name == "prinergy-8"

"""``prinergy-audit init``: a site file proposed from the names in a config, every address a guess
with its line; and the paragraph an audit without roles gives."""

from __future__ import annotations

import os

import pytest
import yaml
from conftest import EXAMPLES, ROOT
from test_formats import cli

from auditor.api import audit, load_config
from auditor.init import addresses_text, roles_named, site_yaml, suggest
from auditor.policy import load_site

ASA = "examples/prinergy-site/asa.cfg"
SRX = "examples/junos-site/srx.conf"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name,roles", [
    ("PRINERGY-PRIMARY", ["primary"]), ("PrinergyPrimary", ["primary"]), ("PRG-PRI", []),
    ("PRINERGY-PRI", ["primary"]), ("SECONDARY-1", ["secondary"]), ("SECONDARIES", ["secondary"]),
    ("WORKSHOP", ["workshop"]), ("workshop-clients", ["workshop"]), ("WORKSHOPS", ["workshop"]),
    ("ADMIN-PC", ["admin"]), ("fwadmin", []), ("LICENSE-SRV", ["license_server"]), ("FLEXLM", ["license_server"]),
    ("VERIS-PROOF", ["veris"]), ("ColorFlow", ["colorflow"]), ("COLOR-FLOW", ["colorflow"]),
    ("NAS-JOBS", ["storage"]), ("MIS-LINK", ["mis_link"]), ("FIERY-DFE", ["digital_front_end"]),
    ("KODAK-CLOUD", ["kodak_cloud"]), ("PRINERGY-SERVERS", []), ("MAC-CLIENTS", []), ("outside", []),
    ("PRIMARY-ADMIN", ["primary", "admin"]),  # ambiguous: never used alone
    # the address a role is published at (a NAT rule's public side) is not the role's own
    ("PUB-PRIMARY", []), ("PRIMARY-NAT", []), ("WorkshopPublic", []), ("EXT-SECONDARY", []),
])
def test_names(name, roles):
    assert roles_named(name) == roles


def test_asa_example_guesses_with_their_lines():
    cfg = load_config(ASA)
    got = {(g.role, g.value): g for g in suggest([cfg])}
    assert sorted(got) == [("primary", "10.20.0.10"), ("secondary", "10.20.0.11"), ("secondary", "10.20.0.12"),
                           ("workshop", "10.30.0.0/24")]
    # each from a line of the config that says so
    assert got[("primary", "10.20.0.10")].source.line == 54  # network-object host PRINERGY-PRIMARY
    assert "PRINERGY-PRIMARY" in got[("primary", "10.20.0.10")].why
    assert got[("secondary", "10.20.0.11")].source.line == 52  # the PRINERGY-SERVERS group, less the primary
    assert got[("workshop", "10.30.0.0/24")].source.line == 47
    assert any("interface workshop" in a for a in got[("workshop", "10.30.0.0/24")].also)
    # the link-local member of PRINERGY-SERVERS is never proposed
    assert not any(v.startswith("169.254.") for _r, v in got)


def test_junos_example_guesses_zones_and_address_book():
    got = {(g.role, g.value) for g in suggest([load_config(SRX)])}
    assert {("primary", "10.20.0.10"), ("secondary", "10.20.0.11"), ("secondary", "10.20.0.12"),
            ("workshop", "10.30.0.0/24"), ("admin", "10.40.0.5"), ("colorflow", "10.20.0.20")} == got


PANOS = "examples/panos-site/running-config.xml"


def test_panos_example_proposes_neither_link_local_nor_published_addresses():
    """The PAN-OS example names SECONDARY-OLD 169.254.20.12 (link-local: PRN130 makes it an error in
    any role) and PUB-PRIMARY 203.0.113.10 (the public address NAT maps to the primary): proposed,
    they turned 22 of the example's passing flows into blocked ones.  The proposal now audits as
    the example's own site file does."""
    got = {(g.role, g.value) for g in suggest([load_config(PANOS)])}
    assert got == {("primary", "10.20.0.10"), ("secondary", "10.20.0.11"), ("secondary", "10.20.0.12"),
                   ("workshop", "10.30.0.0/24"), ("admin", "10.40.0.5"), ("colorflow", "10.25.0.20")}
    code, out, err = cli("init", PANOS)
    assert code == 0 and "169.254." not in out and "203.0.113.10" not in out


def test_the_site_file_is_valid_yaml_every_address_marked_and_the_audit_checks_flows(tmp_path):
    code, out, err = cli("init", ASA)
    assert code == 0
    data = yaml.safe_load(out)
    assert data["policy"] == "prinergy-8" and set(data["roles"]) == {"primary", "secondary", "workshop"}
    for line in out.splitlines():
        if line.strip().startswith("- "):
            assert "# guess: " in line and "examples/prinergy-site/asa.cfg:" in line
    assert "#  admin: []" in out and "check each one" in out
    site = tmp_path / "site.yaml"
    site.write_text(out)
    result = audit([load_config(ASA)], load_site(str(site)))
    assert result.flows and any(f["status"] == "fail" for f in result.flows)


def test_init_output_file_and_force(tmp_path):
    dest = tmp_path / "site.yaml"
    code, out, err = cli("init", SRX, "-o", str(dest))
    assert code == 0 and out == "" and dest.exists()
    assert load_site(str(dest)).roles["workshop"][0].text == "10.30.0.0/24"
    code, out, err = cli("init", SRX, "-o", str(dest))
    assert code == 2 and "exists" in err and "--force" in err
    assert cli("init", SRX, "-o", str(dest), "--force")[0] == 0
    assert cli("init", SRX, "--policy", "prinergy-0")[0] == 2


def test_nothing_named_gives_a_file_with_every_role_to_fill(tmp_path):
    cfg = tmp_path / "fw.cfg"
    cfg.write_text("ASA Version 9.12(4)\ninterface Gi0/0\n nameif inside\n security-level 100\n"
                   " ip address 10.0.0.1 255.255.255.0\naccess-list IN extended permit ip any any\n"
                   "access-group IN in interface inside\n")
    code, out, err = cli("init", str(cfg))
    assert code == 0 and yaml.safe_load(out)["roles"] == {}
    assert "#  primary: []" in out and "#  workshop: []" in out


def test_weird_names_stay_in_comments():
    from dataclasses import replace

    from auditor.core.model import NamedObject, Source
    from auditor.core.packets import ISet, addr_to_int

    cfg = load_config(ASA)
    odd = NamedObject("PRIMARY#: {x}\n- y", "address", Source(ASA, 3, "x"),
                      addresses=ISet.of(addr_to_int("10.0.0.9")))
    text = site_yaml(suggest([replace(cfg, objects=cfg.objects + (odd,))]), [cfg], "prinergy-8", "audit")
    assert sorted(yaml.safe_load(text)["roles"]["primary"]) == ["10.0.0.9", "10.20.0.10"]


def test_addresses_text():
    from auditor.core.packets import ISet, addr_to_int

    a = addr_to_int
    assert addresses_text(ISet.of(a("10.0.0.0"), a("10.0.0.255"))) == ["10.0.0.0/24"]
    assert addresses_text(ISet.of(a("10.0.0.11"), a("10.0.0.12"))) == ["10.0.0.11", "10.0.0.12"]
    assert addresses_text(ISet.of(a("10.0.0.1"), a("10.0.1.7"))) == ["10.0.0.1-10.0.1.7"]


# --- an audit without roles -------------------------------------------------------------------

def test_an_audit_without_roles_says_how_to_give_them():
    code, out, err = cli("audit", ASA)
    para = out[out.index("No roles are defined"):out.index("verdict:")]
    assert "--role NAME=ADDR" in para and "prinergy-audit init examples/prinergy-site/asa.cfg > site.yaml" in para
    cmd = [x for x in para.splitlines() if x.startswith("  prinergy-audit audit ")][0].split()
    assert cmd[:3] == ["prinergy-audit", "audit", ASA]
    assert "primary=10.20.0.10" in cmd and "workshop=10.30.0.0/24" in cmd
    # the suggested command line runs and checks flows
    code2, out2, err2 = cli(*cmd[1:])
    assert code2 in (0, 1), err2
    assert "No roles are defined" not in out2 and "required flows: 0 checked" not in out2
    # with roles given, no paragraph
    assert "No roles are defined" not in cli("audit", ASA, "--site", str(EXAMPLES / "prinergy-site" / "site.yaml"))[1]


def test_without_roles_markdown_and_html_say_it_too():
    md = cli("audit", ASA, "--format", "markdown")[1]
    assert "No roles are defined" in md and "```\nprinergy-audit audit examples/prinergy-site/asa.cfg --role" in md
    page = cli("audit", ASA, "--format", "html")[1]
    assert 'id="roles-hint"' in page


def test_roles_that_make_up_no_flow_say_so():
    out = cli("audit", ASA, "--role", "veris=10.9.9.9")[1]
    assert "The roles given make up no required flow" in out


def test_stdin_suggestion():
    with open(os.path.join(ROOT, ASA)) as fh:
        out = cli("audit", "-", input=fh.read())[1]
    assert "  prinergy-audit audit - --role primary=10.20.0.10" in out


def test_a_pack_path_is_written_relative_to_the_site_file(tmp_path, monkeypatch):
    """A site file's ``policy:`` path is read relative to the site file (load_site): init wrote the
    path as given (relative to the working directory), so ``init fw.cfg --policy pk.yaml -o
    sites/site.yaml`` named sites/pk.yaml, a missing pack or another one; and a path with ' #'
    lost its end to a YAML comment."""
    import shutil

    shutil.copy(ROOT / "examples" / "policies" / "insite-dmz.yaml", tmp_path / "pk #1.yaml")
    (tmp_path / "sites").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("init", str(ROOT / ASA), "--policy", "pk #1.yaml", "-o", "sites/site.yaml")
    assert code == 0, err
    assert "policy: \"../pk #1.yaml\"\n" in (tmp_path / "sites" / "site.yaml").read_text()
    site = load_site("sites/site.yaml")
    assert os.path.samefile(site.policy, tmp_path / "pk #1.yaml")
    # on stdout (written anywhere): the pack's absolute path
    code, out, err = cli("init", str(ROOT / ASA), "--policy", "pk #1.yaml")
    assert yaml.safe_load(out)["policy"] == str(tmp_path / "pk #1.yaml")


def test_a_config_path_with_a_line_break_stays_in_the_comment(tmp_path):
    """The header quotes the config's path and the audit command: a name with a line break put the
    rest of the name on a YAML line of its own (here a second 'roles:' key)."""
    cfg = tmp_path / "fw\nroles: {}\n.cfg"
    cfg.write_text((ROOT / ASA).read_text())
    code, out, err = cli("init", str(cfg))
    assert code == 0, err
    assert sorted(yaml.safe_load(out)["roles"]) == ["primary", "secondary", "workshop"]
    assert all(x.startswith(("#", "policy:", "shift_hours:", "roles:", "  ")) for x in out.splitlines())


def test_the_defaults_are_said_and_through_can_be_uncommented(tmp_path):
    """shift_hours and through are written with what they mean and their defaults; uncommenting
    ``through`` with one of the devices listed gives a site file the audit takes."""
    code, out, err = cli("init", ASA)
    assert "\nshift_hours: 8  # the default: a production shift, in hours" in out
    line = next(x for x in out.splitlines() if x.startswith("# through: []"))
    assert "none by default" in line and "aws-nat-gateway" in line and "azure-load-balancer" in line
    site = tmp_path / "site.yaml"
    site.write_text(out.replace("# through: []", "through: [azure-load-balancer]"))
    loaded = load_site(str(site))
    assert loaded.through == ("azure-load-balancer",) and loaded.shift_hours == 8
    audit([load_config(ASA)], loaded)

"""Fleets: ``prinergy-audit audit --each`` and ``api.audit_each`` audit each config on its own.

Each device's verdict and reports are those of auditing it alone (byte for byte); a config
that cannot be read is one device's error, not the fleet's end; with ``--jobs`` the same.
"""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from auditor import api

EX = ROOT / "examples"
DEVICES = [("prinergy-site", "asa.cfg"), ("ios-site", "ios.cfg"), ("junos-site", "srx.conf"),
           ("fortios-site", "fortigate.conf"), ("pfsense-site", "config.xml")]


def run(*args, cwd=ROOT):
    p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=cwd, timeout=300,
                       env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout.decode(), p.stderr.decode()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """The five example sites, a site map giving each its own site file, and a file that is
    no configuration."""
    d = tmp_path_factory.mktemp("fleet")
    paths = []
    for site, name in DEVICES:
        (d / name).write_bytes((EX / site / name).read_bytes())
        paths.append(str(d / name))
    (d / "notes.txt").write_text("hello\nthis is not a firewall\n")
    (d / "sites.yaml").write_text("".join("%s: %s\n" % (name, EX / site / "site.yaml") for site, name in DEVICES))
    return d, paths


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_device_is_audited_on_its_own(fleet, tmp_path, jobs):
    d, paths = fleet
    out_dir = tmp_path / "reports"
    code, out, err = run("audit", "--each", *paths, "--site-map", str(d / "sites.yaml"), "--jobs", jobs,
                         "--output-dir", str(out_dir), "--format", "json", "--format", "text")
    assert code == 1, err  # every example fails
    lines = out.splitlines()
    assert lines[0].split() == ["device", "vendor", "verdict", "errors", "warnings", "info"]
    assert [line.split()[0] for line in lines[1:-1]] == paths  # in input order
    assert lines[-1] == "5 device(s): 5 fail"
    for (site, name), path in zip(DEVICES, paths):
        code1, alone, _ = run("audit", path, "--site", str(EX / site / "site.yaml"), "--format", "json")
        assert code1 == 1
        assert (out_dir / (name + ".json")).read_text() == alone  # byte for byte the same report
        data = json.loads(alone)
        errors = sum(1 for f in data["findings"] if f["severity"] == "error" and not f.get("waived"))
        row = next(line for line in lines if line.startswith(path + " "))
        assert row.split()[2:4] == ["FAIL", str(errors)]
        assert (out_dir / (name + ".txt")).read_text().startswith(path)


def test_an_unreadable_config_is_one_devices_error(fleet):
    d, paths = fleet
    code, out, err = run("audit", "--each", paths[0], str(d / "notes.txt"), str(d / "missing.cfg"),
                         "--site", str(EX / "prinergy-site" / "site.yaml"))
    assert code == 2, err  # an input could not be read: as for one config
    rows = out.splitlines()
    assert rows[1].split()[2] == "FAIL"
    assert rows[2].split()[2] == "ERROR" and "could not recognise" in rows[2]
    assert rows[3].split()[2] == "ERROR" and "no such file" in rows[3]
    assert rows[-1] == "3 device(s): 1 fail, 2 error"
    assert "Traceback" not in err


def test_a_passing_fleet_exits_0(tmp_path):
    cfg = tmp_path / "ok.cfg"
    cfg.write_text("ASA Version 9.16(4)\nhostname ok\ninterface GigabitEthernet0/0\n nameif inside\n"
                   " security-level 100\n ip address 10.20.0.1 255.255.0.0\n")
    code, out, err = run("audit", "--each", str(cfg), str(cfg), "--role", "primary=10.20.0.10",
                         "--role", "workshop=10.20.1.0/24")
    assert out.splitlines()[-1] == "2 device(s): 2 pass", out  # (the two hosts are on one interface)
    assert code == 0, err


@pytest.mark.parametrize("args,needle", [
    (["--jobs", "2"], "go with --each"),
    (["--output-dir", "x"], "go with --each"),
    (["--each", "-o", "x.json"], "--output-dir"),
    (["--each", "--format", "json"], "--output-dir"),
    (["--each", "-"], "not -"),
])
def test_fleet_usage_errors(args, needle):
    code, out, err = run("audit", str(EX / "prinergy-site" / "asa.cfg"), *args)
    assert code == 2 and needle in err and out == ""


def test_api_audit_each_equals_audit_per_config(tmp_path):
    """The library's ``audit_each``: in input order, each result the one ``audit`` gives
    that config alone with its own site (from a site map: a config's path or file name)."""
    from auditor.policy import load_site

    paths = [str(EX / s / n) for s, n in DEVICES[:3]]
    (tmp_path / "map.yaml").write_text("%s: %s\nios.cfg: %s\n" % (
        paths[0], EX / "prinergy-site" / "site.yaml", EX / "ios-site" / "site.yaml"))
    sites = api.load_site_map(str(tmp_path / "map.yaml"), paths)
    assert set(sites) == set(paths[:2])  # (the Junos config has no entry: it is audited for --site)
    devices = list(api.audit_each(paths, sites=sites))
    assert [d.path for d in devices] == paths
    for d, (site, _name) in zip(devices, DEVICES):
        alone = api.audit([api.load_config(d.path)], load_site(str(EX / site / "site.yaml")) if d.path in sites
                          else None)
        assert (d.verdict, d.kept.to_json()) == (alone.verdict, alone.to_json())


def test_a_fleet_keeps_no_earlier_device_alive(fleet, monkeypatch):
    """A single audit freezes what it built out of the cycle collector's reach (it lives until the
    program ends); in a fleet each device's records, reference cycles included, must go once it is
    done, or memory grows with the number of devices (40 small configs: 243 MB, now flat)."""
    import gc
    import weakref

    from auditor.policy import load_site

    results = []

    def keep(result, device):
        results.append(weakref.ref(result))

    _d, paths = fleet
    monkeypatch.setattr(api, "_FROZEN_MAX", 0)  # (after every device; by default past 250,000 objects)
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"])
    devices = list(api.audit_each(paths, site, keep=keep, progress=False))
    assert len(devices) == len(paths) and len(results) == len(paths)
    assert all(r() is None for r in results)  # (no collection asked for here: the fleet did it)
    assert gc.get_freeze_count() == 0

"""`diff` of two exports that are folders or archives of files (a Check Point show-package), read as `audit`
reads them: `audit` took the folder and the .tar.gz; `diff` refused both ("is a directory", "is binary"),
though the README's input table lists both forms.  The change here disables rule 2, "Workshop to Prinergy",
of the example's Network layer: Workshop's TCP 1024-9000 to the primary is then dropped by a later rule
(or the layer's cleanup), a required flow newly blocked: FAIL."""

from __future__ import annotations

import json
import shutil
import tarfile

from test_formats import cli

EXPORT = "examples/checkpoint-site/export"
SITE = "examples/checkpoint-site/site.yaml"


def _disabled_rule_2(tmp_path):
    new = tmp_path / "new"
    shutil.copytree(EXPORT, new)
    p = new / "Network.json"
    data = json.loads(p.read_text())

    def walk(x):
        if isinstance(x, dict):
            if x.get("type") == "access-rule" and x.get("name") == "Workshop to Prinergy":
                x["enabled"] = False
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(data)
    p.write_text(json.dumps(data, indent=4))
    return new


def test_diff_of_two_show_package_folders(tmp_path):
    new = _disabled_rule_2(tmp_path)
    code, out, err = cli("diff", EXPORT, str(new), "--site", SITE, "--format", "json")
    assert code == 1, err
    doc = json.loads(out)
    assert doc["verdict"] == "fail"
    assert any(f["rule_id"] == "PRN100" for f in doc["introduced"])
    # the same export on both sides: nothing changes
    code, out, err = cli("diff", EXPORT, EXPORT, "--site", SITE, "--format", "json")
    assert code == 0 and json.loads(out)["verdict"] == "pass", err


def test_diff_of_two_show_package_archives(tmp_path):
    new = _disabled_rule_2(tmp_path)
    archives = []
    for name, folder in (("old.tar.gz", EXPORT), ("new.tar.gz", str(new))):
        a = tmp_path / name
        with tarfile.open(a, "w:gz") as t:
            t.add(folder, arcname="show_package")
        archives.append(str(a))
    code, out, err = cli("diff", *archives, "--site", SITE, "--format", "json")
    assert code == 1 and json.loads(out)["verdict"] == "fail", err


def test_base_ref_with_a_folder_is_one_clear_line(tmp_path):
    code, out, err = cli("diff", EXPORT, "--base-ref", "HEAD", "--site", SITE)
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "export of several files" in err


def test_check_change_on_a_folder_or_an_archive_is_one_clear_line(tmp_path):
    # check-change edits one config file; an export of several files is read by audit and diff, not edited:
    # one line saying what to give instead (before: "is a directory, not a configuration file" / "is binary")
    change = tmp_path / "change.txt"
    change.write_text('mgmt_cli set access-rule layer "Network" rule-number 2 enabled false\n')
    archive = tmp_path / "export.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(EXPORT, arcname="export")
    for config in (EXPORT, str(archive)):
        code, out, err = cli("check-change", config, str(change), "--site", SITE)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
        assert "edits one config file" in err and "diff OLD NEW" in err

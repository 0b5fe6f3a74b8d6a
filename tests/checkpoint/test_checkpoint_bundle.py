"""A Check Point package export given as a folder or an archive is read whole by the command."""

import subprocess
import sys
import tarfile

from conftest import EXAMPLES, ROOT

EXPORT = EXAMPLES / "checkpoint-site" / "export"
SITE = EXAMPLES / "checkpoint-site" / "site.yaml"


def run(*args):
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", *args, "--format", "json"], capture_output=True,
                       cwd=ROOT, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def test_a_folder_and_an_archive_give_the_audit_of_their_files(tmp_path):
    import json

    files = sorted(str(p) for p in EXPORT.glob("*.json"))
    code_files, out_files, _ = run(*files, "--site", str(SITE))
    code_dir, out_dir, err = run(str(EXPORT), "--site", str(SITE))
    assert code_dir == code_files == 1, err
    assert json.loads(out_dir)["findings"] == json.loads(out_files)["findings"]
    archive = tmp_path / "package.tar.gz"
    with tarfile.open(archive, "w:gz") as t:
        for p in EXPORT.glob("*.json"):
            t.add(p, arcname=p.name)
    code_tar, out_tar, err = run(str(archive), "--site", str(SITE))
    assert code_tar == 1, err
    assert [(f["rule_id"], f["line"]) for f in json.loads(out_tar)["findings"]] == \
        [(f["rule_id"], f["line"]) for f in json.loads(out_files)["findings"]]


def test_a_folder_that_is_not_an_export_is_still_refused(tmp_path):
    (tmp_path / "notes.json").write_text('{"hello": "world"}\n')
    code, out, err = run(str(tmp_path), "--role", "primary=10.20.0.10")
    assert code == 2 and out == "" and "is a directory, not a configuration file" in err

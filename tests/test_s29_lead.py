"""Lead's fixes of session 29 that no helper's file holds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "examples" / "checkpoint-site" / "export"


def test_a_check_point_export_with_a_key_written_twice_is_refused(tmp_path):
    """A second ``"rulebase"`` in one object: Python's JSON reader keeps the last, so the first's rules (an
    accept-any) were read as if they were not there.  The management API writes no such file; JSON's names
    "SHOULD be unique" (RFC 8259, section 4), and which one counts is the reader's choice: refused, one line,
    exit 2, naming the file and the lines (session 29's mop-up helper's reproducer)."""
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    net = export / "Network.json"
    text = net.read_text()
    assert text.count('"rulebase": [') >= 1
    net.write_text(text.replace('    "rulebase": [', '    "rulebase": [],\n    "rulebase": [', 1))
    got = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", str(export), "--site",
                          str(ROOT / "examples" / "checkpoint-site" / "site.yaml")],
                         capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "CI": "true"})
    assert got.returncode == 2, got.stderr
    err = got.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "Network.json: line 5: key 'rulebase' is written twice in one object (first on line 4)" in err
    assert got.stdout == ""


def test_an_iptables_script_after_a_shebang_is_recognised():
    """Detection's 'iptables ... -A|-I|-P|-N' line test looks at every line (it was rebound, by a second regular
    expression of the same name, to one that looked at the text's first line only: a script's one rule after a
    '#!/bin/sh' line scored 20, 'could not recognise the configuration format')."""
    from parsers import detect

    text = ("#!/bin/sh\n# open SMB to the workshop\n"
            "iptables -A INPUT -s 10.30.0.0/24 -p tcp --dport 445 -j ACCEPT\n")
    assert detect(text) == "iptables"


def test_an_output_chains_accept_policy_is_not_a_broad_permit():
    """ACL210 ("Prinergy is not designed to be exposed ..."): a filter of the device's own packets only (an OUTPUT
    chain: iptables(8), "OUTPUT (for altering locally-generated packets before routing)") opens nothing to others;
    its ACCEPT policy, on nearly every Linux host, was an 'any-to-any permit' warning.  INPUT's still is one."""
    from auditor.api import audit, combine_inputs
    from auditor.policy import load_site
    from parsers import parse_text

    text = ("*filter\n:INPUT %s [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            "-A INPUT -s 10.30.0.0/24 -p tcp -m tcp --dport 445 -j ACCEPT\nCOMMIT\n")
    site = load_site(None, ["primary=10.2.0.10", "workshop=10.30.0.0/24"])
    for policy, lines in (("DROP", []), ("ACCEPT", [2])):
        cfgs = combine_inputs([parse_text(text % policy, "fw.rules")], "10.2.0.10", site)
        got = [f.source.line for f in audit(cfgs, site).findings if f.rule_id == "ACL210"]
        assert got == lines, policy

"""The command line: exit codes, stdin, bad input, NO_COLOR, explain, policies."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

CFG = str(ROOT / "examples/prinergy-site/asa.cfg")
SITE = str(ROOT / "examples/prinergy-site/site.yaml")


def run(*args, stdin: bytes | None = None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], input=stdin, capture_output=True, env=e,
                       cwd=ROOT, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def test_audit_example_fails_with_exit_1():
    code, out, err = run("audit", CFG, "--site", SITE)
    assert code == 1
    assert "verdict: FAIL" in out
    assert "\033[" not in out


def test_audit_stdin_and_role_flags():
    code, out, err = run("audit", "-", "--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10",
                         "--format", "json", stdin=open(CFG, "rb").read())
    assert code == 1, err
    data = json.loads(out)
    assert data["inputs"][0]["path"] == "<stdin>"
    assert any(f["rule_id"] == "PRN100" for f in data["findings"])
    assert err == ""


@pytest.mark.parametrize("payload,needle", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    (b"hello world\nthis is not a firewall\n", "could not recognise"),
    (bytes(range(1, 32)) * 50, "control characters"),
    (b"\xff\xfeabc", "UTF-16 text cut short"),  # (a BOM then 3 bytes: an odd number)
    (b"\xff\xfeab\x00\xd8", "not valid UTF-8 or UTF-16"),  # (a lone high surrogate)
])
def test_bad_input_one_line_exit_2(payload, needle):
    code, out, err = run("audit", "-", stdin=payload)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err
    assert "Traceback" not in err


def test_missing_file_and_bad_site():
    code, out, err = run("audit", "/nonexistent.cfg")
    assert code == 2 and "no such file" in err
    code, out, err = run("audit", CFG, "--role", "workshop")
    assert code == 2 and "--role takes" in err
    code, out, err = run("audit", CFG, "--policy", "prinergy-0")
    assert code == 2 and "unknown policy" in err


def test_bad_usage_exits_2():
    code, out, err = run("audit")
    assert code == 2


def test_help_is_fast_path_and_lists_commands():
    code, out, err = run("--help")
    assert code == 0
    for cmd in ("audit", "explain", "policies"):
        assert cmd in out


def test_explain_json_and_text():
    code, out, err = run("explain", CFG, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--proto", "tcp",
                         "--dport", "445", "--format", "json")
    d = json.loads(out)
    assert d["decision"] == "deny" and isinstance(d["line"], int) and "deny tcp any" in d["rule"]
    code, out, err = run("explain", CFG, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "7000",
                         "--filter", "WORKSHOP_IN", "--format", "json")
    d = json.loads(out)
    assert d["decision"] == "permit" and d["line"] is not None
    code, out, err = run("explain", CFG, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "1",
                         "--filter", "OFFICE_IN", "--format", "json")
    d = json.loads(out)
    assert d == {**d, "decision": "deny", "line": None, "rule": None}
    code, out, err = run("explain", CFG, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "80",
                         "--filter", "NOPE")
    assert code == 2 and "no filter named" in err


def test_explain_packets_file(tmp_path):
    pk = tmp_path / "p.jsonl"
    pk.write_text("\n".join(json.dumps({"src": "10.30.0.%d" % (i % 250 + 5), "dst": "10.20.0.10", "proto": "tcp",
                                        "sport": 40000, "dport": d}) for i, d in enumerate([445, 80, 49100])))
    code, out, err = run("explain", CFG, "--packets", str(pk))
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["decision"] for r in rows] == ["deny", "permit", "deny"]
    pk.write_text("{not json}\n")
    code, out, err = run("explain", CFG, "--packets", str(pk))
    assert code == 2 and ":1:" in err


def test_policies_list_and_show():
    code, out, err = run("policies", "list")
    assert "prinergy-8" in out and "prinergy-9" in out
    code, out, err = run("policies", "show", "prinergy-9")
    assert "49152-65535" in out and "inferred" in out


def test_color_only_on_terminal_and_never_with_no_color():
    from auditor.cli import use_color

    class Tty:
        def isatty(self):
            return True

    os.environ.pop("NO_COLOR", None)
    try:
        assert use_color(Tty())
        os.environ["NO_COLOR"] = "1"
        assert not use_color(Tty())
    finally:
        os.environ["NO_COLOR"] = "1"


def test_audit_hands_what_it_built_to_main():
    """``main`` keeps the audit's configs and result until ``os._exit`` ends the process (freeing a
    100k-entry config's records one by one costs a tenth of a second): the command hands them over
    through the context's object; run without one (CliRunner's default, as every other test) it runs as
    before."""
    from typer.testing import CliRunner

    from auditor.cli import app

    built: list = []
    res = CliRunner().invoke(app, ["audit", CFG, "--site", SITE, "--format", "json"], obj=built)
    assert res.exit_code == 1, res.output
    [(cfgs, result, texts)] = built
    assert [c.path for c in cfgs] == [CFG] and result.verdict == "fail" and texts is None
    assert CliRunner().invoke(app, ["audit", CFG, "--site", SITE, "--format", "json"]).exit_code == 1


def test_explain_is_unknown_where_a_line_not_understood_could_change_any_decision(tmp_path):
    # an IOS VLAN map (not modelled, reported as able to drop anything in its VLANs): the audit's verdict is
    # unknown, and so is explain's, which still shows what the modelled lines alone decide (before: PERMIT)
    cfg = tmp_path / "r.cfg"
    cfg.write_text("hostname r\ninterface Gi1\n ip address 10.1.0.1 255.255.0.0\ninterface Gi2\n"
                   " ip address 10.2.0.1 255.255.0.0\nvlan access-map NO-SMB 10\n action drop\n"
                   "vlan filter NO-SMB vlan-list 30\n")
    args = ("explain", str(cfg), "--vendor", "cisco-ios", "--src", "10.1.0.5", "--dst", "10.2.0.5", "--dport", "445")
    code, out, err = run(*args)
    assert code == 0 and out.splitlines()[1:] == [
        "UNKNOWN: line 6 could change any decision (3 such lines): line not understood: VLAN map (VLAN access "
        "control list) is not modelled: it can drop any packet routed into or out of its VLANs",
        "  the modelled lines alone: PERMIT: no access list or zone applies: IOS forwards the packet (line 2)",
        "  at: forward:Gi1"]  # (the stage: forwarded in from Gi1, no list applied)
    d = json.loads(run(*args, "--format", "json")[1])
    assert (d["decision"], d["modelled"], d["doubt"]["line"], d["doubt"]["lines"]) == ("unknown", "permit", 6, 3)

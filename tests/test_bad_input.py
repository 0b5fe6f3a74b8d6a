"""Bad input of every kind is one clear error (exit 2), never an internal error, a hang or a
half-written report: what a sweep of every command against garbage, wrong-shape, wrong-vendor,
nested and oversized inputs found, kept fixed.  In-process and small (no large files)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from test_formats import cli

from parsers import InputError, parse_text

ASA = str(EXAMPLES / "prinergy-site" / "asa.cfg")
SITE = str(EXAMPLES / "prinergy-site" / "site.yaml")


def one_line(err: str) -> str:
    assert err.strip() and "\n" not in err.strip() and "Traceback" not in err, err
    return err


def test_fortios_blocks_nested_past_any_configuration_are_one_error(tmp_path):
    deep = tmp_path / "deep.conf"
    deep.write_text("config firewall address\n edit a\n next\nend\n" + "config x\n" * 3000)
    code, out, err = cli("audit", str(deep))
    assert code == 2 and out == ""
    assert "nested more than 64 deep" in one_line(err) and "deep.conf:" in err
    with pytest.raises(InputError, match="nested more than"):
        parse_text(deep.read_text(), "deep.conf", "fortios")


def test_a_parser_recursing_too_deep_is_one_error_not_an_internal_error(monkeypatch):
    import types

    import parsers

    def recurse(text, path):
        raise RecursionError("maximum recursion depth exceeded")

    fake = types.SimpleNamespace(parse=recurse, parse_part=None, parse_session=None, title="Fake")
    monkeypatch.setattr(parsers, "load", lambda name: fake)
    with pytest.raises(InputError, match="^x.cfg: nested too deeply to be a Fake configuration$"):
        parse_text("a {\n", "x.cfg", "fake")


def _laughs(last: str) -> str:
    """A YAML alias bomb: nine lines naming a list 9**9 times."""
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    prev = "a"
    for name in "bcdefghi":
        text += "%s: &%s [%s]\n" % (name, name, ", ".join(["*" + prev] * 9))
        prev = name
    return text + last


@pytest.mark.parametrize("text,needle", [
    (_laughs("roles:\n  primary: *i\n"), "expands to more than"),
    ("x:\n" + "".join("  " + line + "\n" for line in _laughs("").splitlines()) + "roles:\n  primary: [10.20.0.10]\n",
     "expands to more than"),
    ("roles: &r\n  primary: *r\n", "an alias refers to the value that holds it"),
    ("roles: " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    ("roles:\n  primary: [" + "9" * 5000 + "]\n", "has a value that cannot be read"),
    ("roles:\n  primary: [10.20.0.10]\nx: 2026-02-30\n", "has a value that cannot be read"),
])
def test_a_hostile_site_file_is_one_error_naming_it(tmp_path, text, needle):
    site = tmp_path / "site.yaml"
    site.write_text(text)
    code, out, err = cli("audit", ASA, "--site", str(site))
    assert code == 2 and out == ""
    assert needle in one_line(err) and str(site) in err


def test_a_hostile_waivers_file_or_site_map_is_one_error(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_laughs("x: *i\n"))
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x91\x00\xff" * 10)
    for path, needle in ((bomb, "expands to more than"), (binary, "is not UTF-8 text")):
        code, out, err = cli("audit", ASA, "--site", SITE, "--waivers", str(path))
        assert code == 2 and needle in one_line(err) and str(path) in err
        code, out, err = cli("audit", "--each", ASA, "--site-map", str(path))
        assert code == 2 and needle in one_line(err) and str(path) in err


def test_the_site_file_can_come_from_stdin_but_not_with_the_config():
    site = open(SITE).read()
    code, out, err = cli("audit", ASA, "--site", "-", "--format", "json", input=site)
    assert code == 1, err
    import json

    assert json.loads(out)["verdict"] == "fail"
    code, out, err = cli("audit", "-", "--site", "-", input=site)
    assert code == 2 and "only one input can come from stdin" in one_line(err)
    code, out, err = cli("audit", ASA, "--site", "-", "--waivers", "-", input=site)
    assert code == 2 and "only one input can come from stdin" in err


def test_a_binary_or_folder_settings_file_is_one_error(tmp_path):
    binary = tmp_path / "settings.toml"
    binary.write_bytes(b"\x91\x00\xff" * 10)
    code, out, err = cli("audit", ASA, "--site", SITE, "--config", str(binary))
    assert code == 2 and "not UTF-8 text" in one_line(err) and str(binary) in err
    code, out, err = cli("audit", ASA, "--site", SITE, "--config", str(tmp_path))
    assert code == 2 and "a folder, not a file" in one_line(err)


@pytest.mark.parametrize("data,needle", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4, "is binary"),
    (b"[" * 5000 + b"]" * 5000 + b"\n", ":1: not a packet (JSON nested too deeply)"),
    (b'{"src": "10.30.0.5", "dst": "10.20.0.10", "dport": ' + b"9" * 5000 + b"}\n", "too many digits"),
    ('{"src": "10.30.0.5", "dst": "10.20.0.10", "dport": 445, "x": "\xe9"}\n'.encode("latin-1"), "unknown field 'x'"),
    (b'{"src": "10.30.0.5", "dst": "10.20.0.10", "dport": 445}\n{"src": 5}\n', ":2: field 'src'"),
])
def test_a_bad_packets_file_is_one_error_and_no_partial_output(tmp_path, data, needle):
    packets = tmp_path / "packets.jsonl"
    packets.write_bytes(data)
    code, out, err = cli("explain", ASA, "--packets", str(packets))
    assert code == 2 and out == ""  # (not the lines before the bad one: the output is whole or nothing)
    assert needle in one_line(err)


CORPUS = EXAMPLES.parent / "tests" / "fixtures" / "corpus"


@pytest.mark.parametrize("path,given,really", [
    (EXAMPLES / "junos-site" / "srx.conf", "cisco-asa", "Juniper Junos"),
    (EXAMPLES / "prinergy-site" / "asa.cfg", "cisco-ios", "Cisco ASA"),
    (EXAMPLES / "ios-site" / "ios.cfg", "cisco-asa", "Cisco IOS"),
    (EXAMPLES / "panos-site" / "running-config.xml", "iptables", "Palo Alto"),
    (EXAMPLES / "fortios-site" / "fortigate.conf", "nftables", "FortiGate"),
    (EXAMPLES / "pfsense-site" / "config.xml", "paloalto-panos", "pfSense"),
    (CORPUS / "nftables" / "aerleon-nftables.nft", "junos", "nftables"),
    (CORPUS / "aws" / "bf-hybrid-cloud-SecurityGroups.json", "linux-sysctl", "Amazon"),
    (CORPUS / "windows" / "aerleon-advfirewall-tcp.netsh", "cisco-asa", "Windows"),
])
def test_a_config_given_as_another_vendors_is_one_error(path, given, really):
    code, out, err = cli("audit", str(path), "--vendor", given, "--format", "json")
    assert code == 2 and out == ""
    assert really in one_line(err) and "choose vendor" in err and str(path) in err


def test_vendors_read_by_one_parser_may_be_given_as_each_other():
    opnsense = CORPUS / "pfsense" / "opnsense-config-sample.xml"
    assert parse_text(opnsense.read_text(), "config.xml", "pfsense").vendor in ("pfsense", "opnsense")


@pytest.mark.parametrize("text", ["a {\n" * 20000, '{"a":' * 20000 + "1" + "}" * 20000])
def test_junos_braces_nested_past_any_configuration_are_one_quick_error(text):
    import time

    start = time.perf_counter()
    with pytest.raises(InputError, match=r"^deep.conf:\d+: braces nested more than 64 deep"):
        parse_text(text, "deep.conf", "junos")
    assert time.perf_counter() - start < 5  # (was 40 s: every block copied the path above it)


def test_a_fleet_with_an_unreadable_config_says_so_on_stderr_in_one_line(tmp_path):
    garbage = tmp_path / "garbage.cfg"
    garbage.write_bytes(b"\x00\x01" * 50)
    code, out, err = cli("audit", "--each", ASA, str(garbage), "--site", SITE, "--jobs", "1")
    assert code == 2
    assert out.splitlines()[-1] == "2 device(s): 1 fail, 1 error"  # (the summary is whole)
    assert "1 of 2 config(s) could not be audited (%s)" % garbage in one_line(err)


def test_an_output_dir_that_is_a_file_is_named_as_such(tmp_path):
    taken = tmp_path / "reports"
    taken.write_text("a file\n")
    code, out, err = cli("audit", "--each", ASA, "--output-dir", str(taken))
    assert code == 2 and out == "" and "is a file, not a folder" in one_line(err)
    assert taken.read_text() == "a file\n"


@pytest.mark.parametrize("text,needle", [
    ('<?xml version="1.0"?>\n<!DOCTYPE config [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
     '<config version="10.1.0"><devices/></config>\n', "declares a DTD, entities or external references"),
    ('<?xml version="1.0"?>\n<config version="10.1.0"><devices><entry na', "not well-formed XML (line 2"),
    ("hello\n", "not a PAN-OS configuration"),
])
def test_a_bad_panos_file_is_one_error_naming_the_file(text, needle):
    with pytest.raises(InputError) as e:
        parse_text(text, "fw.xml", "paloalto-panos")
    assert str(e.value).startswith("fw.xml: ") and needle in str(e.value)
    assert "Forbidden" not in str(e.value)  # (no exception class for a message)


def test_a_failed_report_leaves_no_saved_config_or_fix_file_behind(tmp_path):
    change = EXAMPLES / "change"
    saved, fixes = tmp_path / "after.cfg", tmp_path / "fixes.txt"
    nowhere = str(tmp_path / "no-such-folder" / "report.json")
    code, out, err = cli("check-change", str(change / "before.cfg"), str(change / "change.txt"), "--site",
                         str(change / "site.yaml"), "--save-config", str(saved), "--format", "json", "-o", nowhere)
    assert code == 2 and "cannot write" in one_line(err)
    code, out, err = cli("audit", ASA, "--site", SITE, "--fix-out", str(fixes), "--format", "json", "-o", nowhere)
    assert code == 2 and "cannot write" in one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # (both or neither: here neither)
    code, out, err = cli("audit", ASA, "--site", SITE, "--fix-out", str(fixes), "--format", "json",
                         "-o", str(tmp_path / "report.json"))
    assert code == 1 and fixes.exists() and (tmp_path / "report.json").exists()


def _tar(path, members):
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return path


def test_an_archive_or_folder_that_is_no_export_says_what_it_is(tmp_path):
    wrong = _tar(tmp_path / "package.tar.gz", [("a.json", b"[1, 2, 3]")])
    code, out, err = cli("audit", str(wrong))
    assert code == 2 and "is an archive, but not a Check Point export" in one_line(err)  # (was 'is binary')
    zipped = tmp_path / "export.zip"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    code, out, err = cli("audit", str(zipped))
    assert code == 2 and "is a .zip archive: a Check Point export is read as a folder or a .tar.gz" in one_line(err)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(wrong.read_bytes()[:40])
    code, out, err = cli("audit", str(cut))
    assert code == 2 and "not a readable .tar or .tar.gz archive (cut short)" in one_line(err)
    assert "Error" not in err  # (no exception class for a reason)


def test_progress_never_in_ci_nor_for_redirected_output_and_without_escapes_under_no_color():
    import io

    from auditor.cli import _enable_progress
    from auditor.core import progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    def shown(environ, stdout):
        err = Tty()
        _enable_progress(progress, environ, stdout, err)
        progress._state["delay"] = progress._state["interval"] = 0
        progress.report("rule anomalies", 5, 10)
        progress.finish()
        return err.getvalue()

    assert "5/10" in shown({}, Tty()) and "\033[" in shown({}, Tty())
    assert shown({"CI": "true"}, Tty()) == ""
    assert shown({}, io.StringIO()) == ""  # (stdout to a file or a pipe: --format json > out.json)
    plain = shown({"NO_COLOR": "1"}, Tty())
    assert "5/10" in plain and "\033" not in plain and plain.endswith("\r")


def test_a_malformed_multipart_body_is_a_400_and_nothing_is_logged():
    import subprocess
    import sys

    from conftest import ROOT

    code = ("from auditor.web.app import BadForm, parse_form\n"
            "try:\n    parse_form(b'\\x00garbage' * 100, 'multipart/form-data; boundary=xyz')\n"
            "except BadForm as e:\n    print(e)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert "malformed multipart body" in p.stdout.decode()
    assert p.stderr.decode() == ""  # (was "Expected boundary character 45, got 0 at index 2", logged)


@pytest.mark.parametrize("vendor", ["cisco-asa", "cisco-ios", "iptables", "nftables", "linux-sysctl"])
def test_text_no_line_of_which_the_chosen_vendor_understands_is_one_error(tmp_path, vendor):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("lorem ipsum dolor\nsit amet consectetur\n" * 200)
    code, out, err = cli("audit", str(garbage), "--vendor", vendor, "--format", "json")
    assert code == 2 and out == ""  # (was exit 1: a report of 400 'line not understood' findings)
    assert "no line of it was understood" in one_line(err) and str(garbage) in err


def test_a_config_with_something_understood_is_still_audited():
    assert parse_text("hostname fw\n", "fw.cfg", "cisco-asa").vendor == "cisco-asa"
    assert parse_text("! a comment\n", "fw.cfg", "cisco-ios").vendor == "cisco-ios"


def test_thousands_of_yaml_brackets_are_refused_at_once(tmp_path):
    import time

    deep = tmp_path / "deep.yaml"
    deep.write_text("roles: " + "[" * 20000 + "]" * 20000 + "\n")
    start = time.perf_counter()
    for flag in ("--site", "--waivers"):
        code, out, err = cli("audit", ASA, "--site", SITE, flag, str(deep)) if flag == "--waivers" else \
            cli("audit", ASA, flag, str(deep))
        assert code == 2 and "nested too deeply" in one_line(err)
    assert time.perf_counter() - start < 2  # (the YAML reader took 3 s each to overflow)


def test_the_page_names_a_bad_role_field_without_command_line_words():
    from auditor.web.app import Submission, run_audit

    sub = Submission()
    sub.inputs = [("asa.cfg", open(ASA).read())]
    sub.roles = {"primary": "300.1.1.1"}
    got = run_audit(sub)
    assert got["error"] == "role primary: '300.1.1.1' is not an address, network or range"
    sub.roles = {"primry": "10.20.0.10"}
    assert run_audit(sub)["error"] == "unknown role 'primry' (did you mean 'primary'?)"


@pytest.mark.parametrize("args,redirect,needle", [
    (["audit", ASA, "--site", SITE], ">&-", "cannot write to standard output: standard output is closed"),
    (["--help"], ">&-", "cannot write: standard output is closed"),
    (["audit", "-"], "<&-", "<stdin> is empty"),
])
def test_a_closed_standard_stream_is_one_line_and_exit_2(args, redirect, needle):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    p = subprocess.run(["sh", "-c", 'exec "$0" -m auditor.cli "$@" %s' % redirect, sys.executable, *args],
                       stderr=subprocess.PIPE, cwd=ROOT, timeout=120,
                       env=dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT)))
    err = p.stderr.decode()
    assert p.returncode == 2 and needle in one_line(err)  # (were an internal AttributeError, a traceback, exit 1)


def test_an_output_naming_an_input_is_refused_before_anything_is_written(tmp_path):
    cfg = tmp_path / "asa.cfg"
    cfg.write_text(open(ASA).read())
    before = cfg.read_text()
    code, out, err = cli("audit", str(cfg), "--site", SITE, "--format", "json", "-o", str(cfg))
    assert code == 2 and "is also an input of the run" in one_line(err)
    assert cfg.read_text() == before  # (was overwritten with the report)


def test_a_misspelt_through_device_is_one_error(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("through: [aws-nat-gatway]\nroles:\n  primary: [10.20.0.10]\n")
    code, out, err = cli("audit", ASA, "--site", str(site))
    assert code == 2 and out == ""  # (was audited, the NAT gateway's timeout silently left out)
    assert "through: unknown device 'aws-nat-gatway' (did you mean 'aws-nat-gateway'?)" in one_line(err)


def test_every_device_a_parser_puts_a_timeout_on_can_be_named_in_through():
    import glob

    from parsers import THROUGH_DEVICES

    named = set()
    for path in glob.glob(str(CORPUS / "aws" / "*.json")) + glob.glob(str(CORPUS / "azure" / "*.json")):
        named |= {t.through for t in parse_text(open(path).read(), path).timeouts if t.through}
    assert named and named <= set(THROUGH_DEVICES)

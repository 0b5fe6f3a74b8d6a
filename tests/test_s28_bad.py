"""Bad input the session-28 red team found handled wrongly.

* A waivers file whose entries are not mappings (``- PRN100``, ``- [a, b]``) ended the audit with
  Python's own words ("not enough values to unpack (expected 2, got 1)") or as an internal error
  (TypeError): it is the same one-line error, at the entry's line and column, as any other entry that
  is not a mapping.
* An ``explain --packets`` line naming a field twice (``"src"`` twice) was tested with the last value,
  silently: which one counts is the reader's guess (RFC 8259, 4), so the line is refused, naming the field.
* A change request of another vendor (an IOS ``ip access-list extended`` change given for an ASA, a
  Junos ``set security policies`` one for IOS) said only that its first line was "not a supported
  command", listing the config's commands: it says the change is the other vendor's.
* An error quoting an input's line of a megabyte (a change line ``router ospf 999...``) wrote that
  megabyte to stderr as its "one line": the line keeps its start (where) and end (why), and says how
  much it leaves out.
* ``explain --src 10.30.0.5 --dst 2001:db8::10`` answered "DENY: no interface or route reaches these
  addresses", exit 0: no such packet exists (an IPv4 header's addresses are 32-bit, RFC 791 3.1; an
  IPv6 header's 128-bit, RFC 8200 3), so it is bad input, as a bad address is.  An IPv4-mapped
  IPv6 address (``::ffff:10.20.0.10``, RFC 4291 2.5.5.2) is the IPv4 address it maps.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES
from test_formats import cli

ASA = str(EXAMPLES / "prinergy-site/asa.cfg")
SITE = str(EXAMPLES / "prinergy-site/site.yaml")


@pytest.mark.parametrize("entry", ["PRN100", "ab", "[a, b]", "[[a, b]]", "1"])
def test_a_waiver_that_is_not_a_mapping_is_one_line_at_its_place(tmp_path, entry):
    w = tmp_path / "waivers.yaml"
    w.write_text("- rule_id: PRN160\n  text: x\n  justification: y\n  expires: 2099-01-01\n- %s\n" % entry)
    code, out, err = cli("audit", ASA, "--site", SITE, "--waivers", str(w))
    assert code == 2 and out == ""
    assert err == "%s:5:3: each waiver is a mapping with rule_id, justification, expires, ..." % w


def test_a_packet_that_names_a_field_twice_is_refused(tmp_path):
    # RFC 8259, 4 (Objects): "The names within an object SHOULD be unique ... When the names within an
    # object are not unique, the behavior of software that receives such an object is unpredictable."
    # The packet tested was the last 'src' (1.1.1.1) without a word; it is one line naming the field.
    p = tmp_path / "p.jsonl"
    p.write_text('{"src": "10.30.0.5", "dst": "10.20.0.10", "proto": "tcp", "dport": 445}\n'
                 '{"src": "10.30.0.5", "dst": "10.20.0.10", "proto": "tcp", "dport": 445, "src": "1.1.1.1"}\n')
    code, out, err = cli("explain", ASA, "--packets", str(p))
    assert code == 2 and out == ""
    assert err == "%s:2: field 'src' is given twice" % p


IOS = str(EXAMPLES / "ios-site/ios.cfg")


@pytest.mark.parametrize(("config", "vendor", "change", "other"), [
    (ASA, "cisco-asa", "ip access-list extended WORKSHOP-IN\n 5 permit tcp any any eq 445\n", "cisco-ios"),
    (IOS, "cisco-ios", "set security policies from-zone trust to-zone untrust policy p1 then permit\n", "junos"),
    (ASA, "cisco-asa", "config firewall policy\n edit 0\n  set action accept\n next\nend\n", "fortios"),
])
def test_a_change_of_another_vendor_says_so(tmp_path, config, vendor, change, other):
    c = tmp_path / "change.txt"
    c.write_text(change)
    code, out, err = cli("check-change", config, str(c), "--site", SITE)
    assert code == 2 and out == ""
    assert err == ("%s looks like a %s change and %s is a %s config: a change request is written in the "
                   "config's own commands" % (c, other, config, vendor))


def test_a_change_of_the_config_vendor_still_names_its_line(tmp_path):
    c = tmp_path / "change.txt"
    c.write_text("access-list WORKSHOP_IN line 1 extended permit tcp any any eq 445\nrouter ospf 1\n")
    code, out, err = cli("check-change", ASA, str(c), "--site", SITE)
    assert code == 2 and out == ""
    assert err.startswith("%s:2: cannot apply 'router ospf 1': not a supported command" % c)


def test_an_error_quoting_a_line_of_a_megabyte_keeps_its_start_and_end(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    c = tmp_path / "change.txt"
    c.write_text("router ospf " + "9" * 1_000_000 + "\n")
    p = subprocess.run([sys.executable, "-m", "auditor.cli", "check-change", ASA, str(c), "--site", SITE],
                       capture_output=True, cwd=ROOT, timeout=120,
                       env=dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT)))
    err = p.stderr.decode()
    assert p.returncode == 2 and p.stdout == b""
    assert err.endswith("\n") and "\n" not in err[:-1] and len(err) < 2500
    assert err.startswith("prinergy-audit: error: %s:1: cannot apply 'router ospf 9999" % c)
    assert "characters left out) ..." in err and "': not a supported command (supported: access-list," in err


@pytest.mark.parametrize(("src", "dst"), [("10.30.0.5", "2001:db8::10"), ("2001:db8::5", "10.20.0.10")])
def test_a_packet_of_two_ip_versions_is_refused(tmp_path, src, dst):
    code, out, err = cli("explain", ASA, "--src", src, "--dst", dst, "--dport", "445")
    assert code == 2 and out == ""
    assert err == "a packet's source and destination are both IPv4 or both IPv6, got %s and %s" % (src, dst)
    p = tmp_path / "p.jsonl"
    p.write_text('{"src": "%s", "dst": "%s", "proto": "tcp", "dport": 445}\n' % (src, dst))
    code, out, err = cli("explain", ASA, "--packets", str(p))
    assert code == 2 and out == ""
    assert err == "%s:1: a packet's source and destination are both IPv4 or both IPv6, got %s and %s" % (p, src, dst)


def test_an_ipv4_mapped_destination_is_the_ipv4_packet():
    _c1, plain, _e1 = cli("explain", ASA, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--dport", "445",
                          "--format", "json")
    code, mapped, err = cli("explain", ASA, "--src", "10.30.0.5", "--dst", "::ffff:10.20.0.10", "--dport", "445",
                            "--format", "json")
    assert code == 0, err
    assert json.loads(mapped)["decision"] == json.loads(plain)["decision"] == "deny"

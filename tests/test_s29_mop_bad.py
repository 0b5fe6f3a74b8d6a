"""Bad input the session-29 red team found handled wrongly (README, "Bad input": one line on stderr, exit 2):

* An empty site file (no document, or only comments) was read as a site with no roles: every flow
  unchecked, exit 1 (``audit``) or 0 (``diff``, ``check-change``), no word about the file.
* ``shift_hours: .nan`` said "Input should be less than or equal to 168", ``.inf`` the same: the value is no
  number of hours at all ("a finite number").
* A key written twice in one object of an AWS or Azure JSON input (two ``"IpPermissions"`` in one security
  group) was read as its last value, the first's rules silently gone (RFC 8259, 4: "The names within an object
  SHOULD be unique ... the behavior of software that receives such an object is unpredictable"): refused, naming
  the key and its line, pretty-printed or compact.
* ``audit --each`` with a site file naming an unknown role (``primray``) audited no device, each an ERROR in the
  summary, and said on stderr only that the summary says why: it is the one line any other command gives.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES
from test_formats import cli

IOS = str(EXAMPLES / "ios-site/ios.cfg")
SITE = str(EXAMPLES / "ios-site/site.yaml")
CHANGE = str(EXAMPLES / "ios-site/change.txt")


def _commands(site: str) -> list[tuple[str, ...]]:
    return [("audit", IOS, "--site", site), ("audit", "--each", IOS, "--site", site),
            ("diff", IOS, IOS, "--site", site), ("check-change", IOS, CHANGE, "--site", site),
            ("upgrade", IOS, "--from", "prinergy-8", "--to", "prinergy-9", "--site", site)]


@pytest.mark.parametrize("text", ["", "\n", "# the roles go here\n", "---\n"])
def test_an_empty_site_file_is_refused_by_every_command(tmp_path, text):
    site = tmp_path / "site.yaml"
    site.write_text(text)
    for args in _commands(str(site)):
        code, out, err = cli(*args)
        assert code == 2 and out == "", args
        assert err.startswith("%s:" % site) and ": site file is empty: " in err and "\n" not in err.strip(), args


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf"])
def test_a_shift_that_is_no_finite_number_says_so(tmp_path, value):
    site = tmp_path / "site.yaml"
    site.write_text("policy: prinergy-8\nshift_hours: %s\nroles:\n  primary: [10.20.0.10]\n" % value)
    for args in _commands(str(site)):
        code, out, err = cli(*args)
        assert code == 2 and out == "", args
        assert err == "%s:2:14: site file is invalid: shift_hours: Input should be a finite number" % site, args


def test_each_with_an_unknown_role_is_one_line_before_any_device(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("policy: prinergy-8\nroles:\n  primray: [10.20.0.10]\n")
    code, out, err = cli("audit", "--each", IOS, str(EXAMPLES / "junos-site/srx.conf"), "--site", str(site))
    assert code == 2 and out == ""
    assert err == "%s:3:3: unknown role 'primray' (did you mean 'primary'?)" % site


GROUP = {"GroupId": "sg-0123456789abcdef0", "GroupName": "prinergy", "VpcId": "vpc-1", "IpPermissionsEgress": []}
ALLOW_ALL = '[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]'
SMB = '[{"IpProtocol": "tcp", "FromPort": 445, "ToPort": 445, "IpRanges": [{"CidrIp": "10.30.0.0/24"}]}]'


def _group_twice(indent: bool) -> str:
    """A security group whose ``IpPermissions`` is written twice: the first allows everything."""
    body = json.dumps({"SecurityGroups": [dict(GROUP, IpPermissions="@1", Twice="@2")]}, indent=4 if indent else None)
    return body.replace('"@1"', ALLOW_ALL).replace('"Twice": "@2"', '"IpPermissions": ' + SMB)


@pytest.mark.parametrize("indent", [True, False])
def test_an_aws_key_written_twice_is_refused_naming_it(tmp_path, indent):
    path = tmp_path / "sg.json"
    path.write_text(_group_twice(indent))
    line, first = (9, 8) if indent else (1, 1)
    for args in (("audit", str(path), "--site", SITE), ("explain", str(path), "--src", "10.30.0.5", "--dst",
                                                         "10.20.0.10", "--dport", "445")):
        code, out, err = cli(*args)
        assert code == 2 and out == "", args
        assert err == ("%s: line %d: key 'IpPermissions' is written twice in one object (first on line %d): which "
                       "one counts is the reader's choice, so this input is not audited" % (path, line, first)), args


def test_an_azure_key_written_twice_is_refused_naming_it(tmp_path):
    path = tmp_path / "nsg.json"
    path.write_text('{\n  "name": "nsg-1",\n  "properties": {\n    "securityRules": [],\n'
                    '    "securityRules": [\n      {"name": "deny-smb"}\n    ]\n  }\n}\n')
    code, out, err = cli("audit", str(path), "--vendor", "azure-nsg", "--site", SITE)
    assert code == 2 and out == ""
    assert err.startswith("%s: line 5: key 'securityRules' is written twice in one object (first on line 4)" % path)


def test_a_site_file_in_utf16_as_windows_powershell_writes_it_is_read(tmp_path):
    """Windows PowerShell 5.1's ``prinergy-audit init fw.cfg > site.yaml`` writes UTF-16LE with a byte-order mark
    and CRLF line ends; YAML 1.2.2, 5.2 ("Character Encodings"): a YAML processor must support UTF-8 and UTF-16 on
    input, told apart by the BOM.  It was refused: "site file site.yaml is not UTF-8 text"."""
    text = (EXAMPLES / "ios-site/site.yaml").read_text()
    site = tmp_path / "site.yaml"
    site.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    code, out, err = cli("audit", IOS, "--site", str(site))
    want = cli("audit", IOS, "--site", SITE)
    assert (code, out) == want[:2] and code == 1
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe" + "roles:".encode("utf-16-le") + b"\x00\xd8")  # (a lone surrogate)
    code, out, err = cli("audit", IOS, "--site", str(bad))
    assert (code, out, err) == (2, "", "site file %s is not UTF-16 text" % bad)

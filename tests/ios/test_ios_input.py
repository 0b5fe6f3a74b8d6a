"""IOS detection (against the ASA and the other vendors), bad input, secrets, and the block
structure read against ciscoconfparse2's."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT

from parsers import InputError, detect, load, parse_text
from parsers.cisco_ios.scan import blocks

IOS = load("cisco-ios")
ASA = load("cisco-asa")


@pytest.mark.parametrize("text", [
    "version 15.2\nhostname r\n",
    "ip access-list extended X\n permit ip any any\n",
    "interface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n ip access-group X in\n",
    "zone security IN\nzone security OUT\nzone-pair security Z source IN destination OUT\n",
    "access-list 101 permit tcp any any eq 80\nhostname r\n",
], ids=["version", "named-acl", "interface-binding", "zone-pair", "numbered"])
def test_ios_only_shapes_detect_as_ios(text):
    assert detect(text) == "cisco-ios"


def test_the_asa_example_stays_asa_and_the_ios_example_is_ios():
    asa = (EXAMPLES / "prinergy-site" / "asa.cfg").read_text()
    ios = (EXAMPLES / "ios-site" / "ios.cfg").read_text()
    assert detect(asa) == "cisco-asa" and IOS.detect(asa) < 30
    assert detect(ios) == "cisco-ios" and ASA.detect(ios) < IOS.detect(ios)
    for f in sorted((FIXTURES / "corpus" / "asa").iterdir()):
        assert IOS.detect(f.read_text()) < max(ASA.detect(f.read_text()), 30), f.name


def test_other_vendors_are_not_ios():
    for vendor in ("iptables", "nftables", "aws", "azure", "windows"):
        for f in sorted((FIXTURES / "corpus" / vendor).iterdir()):
            if f.is_file():
                assert IOS.detect(f.read_text(errors="replace")) < 30, f


def test_bad_input_is_one_clear_error_or_reported_lines():
    with pytest.raises(InputError):
        parse_text("\x01\x02 random words\nmore words\n", "g.cfg")  # not recognised: auto detection
    with pytest.raises(InputError, match="empty"):
        IOS.parse("   \n", "e.cfg")
    # forced as IOS, garbage is every line reported (never a traceback)
    cfg = IOS.parse("lorem ipsum\n dolor sit\namet\n", "g.cfg")
    assert len(cfg.unrecognized) == 3


def test_bad_input_on_the_command_line(tmp_path):
    bin_file = tmp_path / "b.cfg"
    bin_file.write_bytes(b"\x00\x01\x02" * 100)
    for args in (["audit", str(bin_file)], ["audit", str(bin_file), "--vendor", "cisco-ios"]):
        p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=ROOT)
        assert p.returncode == 2 and b"Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1


SECRETS = ["Ena8leS3cret", "Us3rPassw0rd", "C0mmun1tyRO", "K3yStr1ngX", "Isakmp9PSK", "Tac4csKey", "Chap5Pw",
           "Unkn0wnPw"]
SECRET_CFG = """version 15.4
hostname r
enable secret 5 Ena8leS3cret
username bob privilege 15 password 0 Us3rPassw0rd
snmp-server community C0mmun1tyRO RO 10
key chain K
 key 1
  key-string 7 K3yStr1ngX
crypto isakmp key Isakmp9PSK address 198.51.100.1
tacacs-server key Tac4csKey
interface Gi0/0
 ip address 10.0.0.1 255.255.255.0
 ppp chap password 0 Chap5Pw
 frobnicate password Unkn0wnPw
frobnicate secret Unkn0wnPw
 more password Unkn0wnPw
"""


def test_secrets_never_reach_any_output(tmp_path):
    f = tmp_path / "s.cfg"
    f.write_text(SECRET_CFG)
    outs = []
    for args in (["audit", str(f), "--format", "json", "--role", "primary=10.0.0.10"],
                 ["audit", str(f), "--format", "sarif"], ["audit", str(f)],
                 ["audit", str(f), "--format", "markdown"],
                 ["explain", str(f), "--src", "10.0.0.5", "--dst", "10.0.0.9", "--format", "json"]):
        p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=ROOT)
        outs.append(p.stdout.decode() + p.stderr.decode())
    cfg = IOS.parse(SECRET_CFG, "s.cfg")
    assert len(cfg.unrecognized) == 3  # the three 'frobnicate'/'more' lines are quoted, redacted
    for out in outs:
        assert "frobnicate" in outs[0]
        for s in SECRETS:
            assert s not in out, s


def test_blocks_agree_with_ciscoconfparse2():
    """The top-level commands and their indented lines, as ciscoconfparse2 (made for this indented
    syntax) reads them, for every IOS corpus file and the example."""
    from parsers.ccp_adapter import structural_parse

    files = sorted((FIXTURES / "corpus" / "ios").iterdir()) + [EXAMPLES / "ios-site" / "ios.cfg"]
    for f in files:
        raw = f.read_text().splitlines()
        if any(not line.strip() for line in raw) and f.suffix == ".acl":
            continue  # (generated with blank lines inside blocks: ciscoconfparse2 ends a block there)
        ccp = structural_parse(raw, "ios")
        theirs = {}
        for obj in ccp.objs:
            if obj.parent is obj or obj.parent is None or getattr(obj.parent, "linenum", -1) == obj.linenum:
                kids = [c.linenum for c in obj.all_children if not raw[c.linenum].strip().startswith("!")]
                theirs[obj.linenum] = kids
        ours = {}
        for i, j in blocks(raw):
            if raw[i][:1] not in (" ", "\t") and not raw[i].startswith("banner "):
                # (an indented '!' is a comment: ciscoconfparse2 does not count it as a child)
                ours[i] = [k for k in range(i + 1, j) if raw[k].strip() and not raw[k].strip().startswith("!")]
        common = {k for k in ours if k in theirs}
        assert common and all(sorted(ours[k]) == sorted(theirs[k]) for k in common), f.name

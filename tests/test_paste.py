"""What a paste carries around a config (parsers/kit/paste.py): recognized and blanked, line numbers kept,
the same audit as the clean file; and formats the tool does not read are named (parsers/kit/lookalike.py).

The terminal forms tested are those the devices print: Cisco ASA's pager prompt ``<--- More --->``
(Cisco ASA Series General Operations CLI Configuration Guide, "Terminal pager": the prompt is erased
by spaces after a carriage return), Cisco IOS's `` --More-- `` erased with backspaces (Cisco IOS
Configuration Fundamentals, "Using the Cisco IOS Command-Line Interface": the --More-- prompt),
Junos's ``---(more 45%)---`` (Junos CLI User Guide, "Pipe (|) filter functions": the more prompt)
and Huawei's ``---- More ----`` erased with an ANSI cursor-left sequence; ``Building configuration...``
and ``Current configuration : N bytes`` head an IOS ``show running-config``, ``: Saved`` an ASA's.
"""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parsers
from auditor.api import audit
from auditor.policy import load_site
from parsers import InputError, decode, parse_text
from parsers.kit.lookalike import SHAPES, name_of
from parsers.kit.paste import clean

ASA = (EXAMPLES / "prinergy-site" / "asa.cfg").read_text()
SRX = (EXAMPLES / "junos-site" / "srx.conf").read_text()

# whole lines a session adds around or inside a config (each alone on its line)
ALONE = [
    "prepress-fw# show running-config",
    "prepress-fw> enable",
    "prepress-fw# terminal pager 0",
    "prepress-fw/pri/act# sh run",
    "prepress-fw(config)# end",
    "prepress-fw#",
    "prepress-fw# ",
    "netadmin@prepress-srx> show configuration | no-more",
    "netadmin@prepress-srx>",
    "{master:0}",
    "FGT60E (root) # show full-configuration",
    "admin@PA-220> show config running",
    "[root@fw ~]# iptables-save",
    "root@fw:~# nft list ruleset",
    "$ sudo iptables-save",
    "PS C:\\Users\\admin> netsh advfirewall show allprofiles",
    # PowerShell remoting (Microsoft, "Enter-PSSession", example 2: "[Server01]: PS C:\\> ...")
    "[SRV2.SPB.wse]: PS C:\\Users\\Administrator.SPB\\Documents> Get-NetFirewallProfile",
    "[Server01]: PS>",
    "Building configuration...",
    "Current configuration : 8123 bytes",
    "Last login: Mon Nov 24 08:01:22 2026 from 10.40.0.5",
    "Type help or '?' for a list of available commands.",
    "<--- More --->",
    "---(more 45%)---",
    "---(more)---",
    " --More-- ",
]


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_a_clean_config_is_left_as_it_is():
    junos = SRX
    assert clean(junos) == (junos, [])
    text, skipped = clean(ASA)
    assert [(s.line, s.kind) for s in skipped] == [(1, "header")]  # ': Saved'
    assert _lines(text)[1:] == _lines(ASA)[1:] and _lines(text)[0] == ""


@pytest.mark.parametrize("line", ALONE)
def test_each_session_line_is_blanked_and_numbers_kept(line):
    text = "access-list A extended permit ip any any\n%s\naccess-list A extended deny ip any any\n" % line
    out, skipped = clean(text)
    assert _lines(out) == ["access-list A extended permit ip any any", "", "access-list A extended deny ip any any"]
    assert [s.line for s in skipped] == [2]


@pytest.mark.parametrize("text,expect", [
    # IOS: the prompt, then backspaces and spaces that erase it, then the next line on the same line
    (" --More-- " + "\b" * 10 + " " * 10 + "\b" * 10 + "interface GigabitEthernet0/1", "interface GigabitEthernet0/1"),
    # indentation of the next line survives the erasing
    (" --More-- " + "\b" * 10 + " " * 10 + "\b" * 10 + " ip access-group IN in", " ip access-group IN in"),
    # ASA with the carriage returns lost: as many spaces as the prompt had characters, then the line
    ("<--- More --->" + " " * 14 + " network-object host 10.0.0.1", " network-object host 10.0.0.1"),
    # Huawei: cursor left 42, spaces, cursor left 42
    ("  ---- More ----\x1b[42D" + " " * 42 + "\x1b[42D rule 5 name x", " rule 5 name x"),
    # reverse video around the prompt
    ("\x1b[7m--More--\x1b[m", ""),
])
def test_pager_prompt_followed_by_the_next_line(text, expect):
    out, skipped = clean("x\n%s\ny\n" % text)
    assert _lines(out) == ["x", expect, "y"] and skipped[0].kind == "pager"


def test_asa_pager_with_carriage_returns_keeps_every_line_number():
    # '<--- More --->' CR, 14 spaces, CR: str.splitlines sees three lines, and so do findings
    text = "a\n<--- More --->\r              \raccess-list X extended permit ip any any\nb\n"
    out, skipped = clean(text)
    assert len(_lines(out)) == len(_lines(text))
    assert _lines(out) == ["a", "", "", "access-list X extended permit ip any any", "b"]
    assert [s.line for s in skipped] == [2, 3]


@pytest.mark.parametrize("line", [
    # config lines that look a little like session output, never taken
    "access-list OUTSIDE_IN remark More servers: see ticket #42",
    "description Show room # 2 > lobby",
    "# Generated by iptables-save v1.8.7 on Mon Nov 24 08:00:00 2026",
    "## Last commit: 2026-11-20 09:14:02 UTC by netadmin",
    "    set comments \"Building configuration... done\"",
    "banner motd # Authorized access only #",
    "<rule><descr>show run</descr></rule>",
    "name 10.20.0.10 PRINERGY-PRIMARY description Prinergy primary server",
    "set security policies from-zone trust to-zone untrust policy p1 then permit",
    "  }",
    ": end",
    "Cryptochecksum:4f6e1c2b7a9d3e5f8a1b2c3d4e5f6a7b",
])
def test_config_lines_are_never_taken(line):
    text = "x\n%s\ny\n" % line
    assert clean(text) == (text, [])


def test_the_corpus_and_examples_lose_nothing_but_show_headers():
    """Every real config of the corpus: only a show command's header (the ASA's ': Saved', IOS's
    'Building configuration...' and 'Current configuration : N bytes') is ever taken."""
    import re

    header = re.compile(r"^(?:: Saved|Building configuration\.\.\.|Current configuration : \d+ bytes)$")
    seen = 0
    for folder in (ROOT / "tests" / "fixtures" / "corpus", EXAMPLES):
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix in (".md", ".json", ".yaml", ".yml") or "golden" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            _, skipped = clean(text)
            seen += 1
            for s in skipped:
                assert s.kind == "header" and header.match(_lines(text)[s.line - 1]), (path, s)
    assert seen >= 8


SAFE_TAIL = st.sampled_from(ALONE)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 170), SAFE_TAIL), max_size=6))
def test_session_lines_anywhere_give_the_config_with_blank_lines(inserts):
    """Oracle: the paste, cleaned, is the config with a blank line where each session line was."""
    lines = _lines(ASA)
    pasted, expected = list(lines), list(lines)
    expected[0] = ""  # ': Saved'
    for pos, extra in sorted(inserts, reverse=True):
        pos = min(pos, len(lines))
        pasted.insert(pos, extra)
        expected.insert(pos, "")
    out, _ = clean("\n".join(pasted) + "\n")
    assert _lines(out) == expected


def _audit(text: str, site: str):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return audit([parse_text(text, "x.cfg")], load_site(site))
    finally:
        os.chdir(cwd)


def _shifted(findings, by: int) -> list:
    return sorted((f.rule_id, f.source.line - by, f.message) for f in findings)


def test_a_pasted_asa_session_audits_like_the_file():
    """Prompt and command, 'Building configuration...', two pager forms, the next prompt: the same
    findings on the same config lines (shifted by the lines before them), the same verdict."""
    site = "examples/prinergy-site/site.yaml"
    plain = _audit(ASA, site)
    lines = _lines(ASA)
    k = next(i for i, x in enumerate(lines) if x.startswith("access-list WORKSHOP_IN extended permit udp"))
    j = next(i for i, x in enumerate(lines) if x.startswith("object-group network MAC-CLIENTS"))
    ios_erase = " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10
    pasted = (["prepress-fw# show running-config", "Building configuration..."] + lines[:j]
              + [ios_erase + lines[j]] + lines[j + 1:k] + ["<--- More --->", "              "] + lines[k:]
              + ["prepress-fw# "])
    # the config's line numbers move down by 2 up to line k (0-based), by 4 after it
    result = _audit("\n".join(pasted) + "\n", site)
    assert result.verdict == plain.verdict

    def original(line: int) -> int:
        return line - 2 if line - 2 <= k else line - 4

    got = sorted((f.rule_id, original(f.source.line), f.source.text) for f in result.findings)
    want = sorted((f.rule_id, f.source.line, f.source.text) for f in plain.findings)
    assert got == want
    assert len(result.configs[0].unrecognized) == len(plain.configs[0].unrecognized)
    assert result.configs[0].ignored_lines == plain.configs[0].ignored_lines + 6


def test_a_pasted_junos_session_audits_like_the_file():
    site = "examples/junos-site/site.yaml"
    plain = _audit(SRX, site)
    lines = _lines(SRX)
    pasted = (["netadmin@prepress-srx> show configuration | no-more", "{master:0}"] + lines[:40]
              + ["---(more 12%)---"] + lines[40:] + ["", "{master:0}", "netadmin@prepress-srx> "])
    result = _audit("\n".join(pasted) + "\n", site)
    assert result.verdict == plain.verdict
    assert len(result.configs[0].unrecognized) == len(plain.configs[0].unrecognized)

    def original(line: int) -> int:
        return line - 2 if line - 2 <= 40 else line - 3

    assert (sorted((f.rule_id, original(f.source.line), f.source.text) for f in result.findings)
            == sorted((f.rule_id, f.source.line, f.source.text) for f in plain.findings))


def test_the_head_of_a_pasted_config_is_its_first_config_line():
    cfg = parse_text("prepress-fw# show running-config\n" + ASA, "x.cfg")
    assert cfg.head.line == 3 and cfg.head.text == ":"


def test_a_paste_with_many_pager_backspaces_is_not_taken_for_binary():
    page = "\n".join("access-list A extended permit tcp any host 10.0.0.%d eq 80" % i for i in range(1, 24))
    erase = " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10
    text = ("ASA Version 9.12(4)\n" + "\n".join([page] * 20)).replace("\naccess-list A extended permit tcp any "
                                                                       "host 10.0.0.1 eq 80",
                                                                       "\n" + erase + "access-list A extended "
                                                                       "permit tcp any host 10.0.0.1 eq 80")
    assert text.count("\b") >= 400
    assert decode(text.encode(), "paste") == text
    cfg = parse_text(text, "paste")
    assert not cfg.unrecognized


# --- formats the tool does not read -------------------------------------------------------------

OTHERS = {
    "SonicWall SonicOS configuration": 'address-object ipv4 "WS" network 10.30.0.0 255.255.255.0 zone LAN\n'
                                       'access-rule from LAN to WAN action allow\n',
    "Juniper ScreenOS configuration": 'set zone "Trust" vrouter "trust-vr"\nset policy id 1 from "Trust" to '
                                      '"Untrust" "Any" "Any" "ANY" permit\n',
    "MikroTik RouterOS export": "/ip firewall filter\nadd action=accept chain=forward dst-port=445 protocol=tcp\n",
    "OpenBSD/FreeBSD pf ruleset (pf.conf)": 'ext_if = "em0"\nset skip on lo\npass in on $ext_if proto tcp from '
                                            'any to any port 445\n',
    "VyOS/EdgeOS firewall configuration": "set firewall name WAN_IN default-action drop\nset firewall name WAN_IN "
                                          "rule 10 action accept\n",
    "Huawei USG or H3C security policy": "security-policy\n rule name ws\n  source-zone trust\n  action permit\n",
    "ufw status output (ufw's own rule list, not the rules in force: give `iptables-save`, whose ufw-* chains the "
    "iptables parser reads)":
        "Status: active\n\nTo                         Action      From\n--  ------  ----\n"
                         "445/tcp                    ALLOW       10.30.0.0/24\n",
    "Google Cloud firewall rules (JSON)": '[{"kind": "compute#firewall", "name": "allow-smb"}]\n',
    # `Get-NetFirewallRule | ConvertTo-Json` (-Compress: one line): MSFT_NetFirewallRule's properties, no ports
    "Windows Firewall rule list in JSON (`Get-NetFirewallRule | ConvertTo-Json` holds no ports or addresses: Windows "
    "keeps them in Get-NetFirewallPortFilter and Get-NetFirewallAddressFilter; give `Show-NetFirewallRule "
    "-PolicyStore ActiveStore`, which the windows-firewall parser reads)":
        '[{"Name":"{0A1B}","DisplayName":"Prinergy Workshop","Enabled":1,"Profile":0,"Direction":1,"Action":2,'
        '"EdgeTraversalPolicy":0,"LooseSourceMapping":false,"LocalOnlyMapping":false,"PrimaryStatus":1,'
        '"PolicyStoreSource":"PersistentStore","PolicyStoreSourceType":1}]\n',
    # `Get-NetFirewallRule | Export-Csv` (Windows PowerShell 5.1: a '#TYPE' line, then the properties' header row)
    "Windows Firewall rule list in CSV (`Get-NetFirewallRule | Export-Csv` holds no ports or addresses: Windows "
    "keeps them in Get-NetFirewallPortFilter and Get-NetFirewallAddressFilter; give `Show-NetFirewallRule "
    "-PolicyStore ActiveStore`, which the windows-firewall parser reads)":
        '#TYPE Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule\n'
        '"Name","ID","DisplayName","Enabled","Profile","Direction","Action","EdgeTraversalPolicy",'
        '"LooseSourceMapping","LocalOnlyMapping","PolicyStoreSource"\n'
        '"{0A1B}","{0A1B}","Prinergy SMB","True","Any","Inbound","Allow","Block","False","False","PersistentStore"\n',
    # `Get-NetFirewallPortFilter` alone (Format-List): ports without their rules
    "Windows Firewall port-filter listing (`Get-NetFirewallPortFilter` alone does not say which rule, action or "
    "direction each belongs to; give `Show-NetFirewallRule -PolicyStore ActiveStore`, which the windows-firewall "
    "parser reads)":
        "\nProtocol      : TCP\nLocalPort     : 445\nRemotePort    : Any\nIcmpType      : Any\n"
        "DynamicTarget : Any\n",
    "Kubernetes NetworkPolicy": "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\n",
    # `show configuration | display xml` and `| display json` (Junos CLI User Guide)
    "Juniper Junos configuration in XML (the junos parser reads `show configuration | display set` or `show "
    "configuration`: give one of those)":
        '<rpc-reply xmlns:junos="http://xml.juniper.net/junos/21.4R0/junos">\n'
        '    <configuration junos:commit-seconds="1700000000" junos:commit-user="admin">\n'
        '        <security><policies><policy><from-zone-name>trust</from-zone-name></policy></policies></security>\n'
        '    </configuration>\n</rpc-reply>\n',
    "Juniper Junos configuration in JSON (the junos parser reads `show configuration | display set` or `show "
    "configuration`: give one of those)":
        '{\n    "configuration" : {\n        "@" : {\n            "junos:commit-seconds" : "1700000000"\n        },\n'
        '        "version" : "21.4R3.15",\n        "security" : {}\n    }\n}\n',
}


@pytest.mark.parametrize("title", sorted(OTHERS))
def test_a_format_not_read_is_named(title):
    with pytest.raises(InputError) as e:
        parse_text(OTHERS[title], "fw.txt")
    msg = str(e.value)
    assert msg.startswith("fw.txt: looks like a %s, which this version does not read" % title)
    assert "\n" not in msg


def test_a_registered_vendor_is_never_claimed_as_not_read(monkeypatch):
    fortios = "config firewall policy\n    edit 1\n        set srcintf \"port1\"\n    next\nend\n"
    assert name_of(fortios, {}) == "Fortinet FortiOS configuration"
    assert name_of(fortios, {"fortios": "parsers.fortios"}) is None
    for shape in SHAPES:
        if shape.vendor is not None:
            assert name_of("", {shape.vendor: "x"}) is None
    # whatever is registered now is never named as a format this version does not read
    for shape in SHAPES:
        if shape.vendor in parsers.VENDORS:
            assert shape.title not in str(_error_for(shape)), shape.title


def _error_for(shape) -> str:
    try:
        parse_text("\n".join(p.replace("^", "").replace("\\s*$", "").replace("\\", "") for p in shape.patterns),
                   "x")
    except InputError as e:
        return str(e)
    return ""


def test_a_weak_detection_stands_unless_a_line_only_another_format_writes_says_otherwise():
    # a fragment of ASA access-list lines is detected weakly, and read
    assert parse_text("access-list A extended permit ip any any\n", "a.cfg").vendor == "cisco-asa"
    # ScreenOS's 'set' lines are half claimed by the PAN-OS set form; its policy lines decide
    with pytest.raises(InputError, match="looks like a Juniper ScreenOS configuration"):
        parse_text(OTHERS["Juniper ScreenOS configuration"], "fw.txt")
    # pf's tables ('table <name> {...}', as aerleon's packetfilter generator writes them) are half claimed by
    # nftables' 'table X {'; their angle brackets decide (OpenBSD PF FAQ, "Tables")
    pf = ("table <D_t0> {10.0.2.0/24}\ntable <S_t0> {10.0.1.0/24}\n# term t0\n"
          "pass quick inet proto { tcp } from { <S_t0> } to { <D_t0> } port { 80 } flags S/SA keep state\n"
          "block drop quick inet proto { udp } from { any } to { any } port { 53 }\n")
    with pytest.raises(InputError, match=r"looks like a OpenBSD/FreeBSD pf ruleset \(pf.conf\)"):
        parse_text(pf, "pf.conf")
    assert parse_text("table inet filter {\n chain input {\n  type filter hook input priority 0;\n }\n}\n",
                      "nft.conf").vendor == "nftables"


def test_unrecognised_text_names_its_file():
    with pytest.raises(InputError, match="^notes.txt: could not recognise the configuration format"):
        parse_text("hello\nthis is not a firewall\n", "notes.txt")


BRACES = ["{master}", "{backup:node1}", "{primary:node0}", "{secondary}", "{linecard:fpc0}", "{", "{}",
          '{"uid": "a"}', "{master", "{masterful}", "{ master }", "    {", '    "name": "x",', "}", "access-list x"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", " ", "\t", "  \t"]),
                          st.sampled_from(BRACES + ALONE) | st.text(max_size=8)), max_size=12))
def test_the_fast_scan_cleans_as_looking_at_every_line(lines):
    """Oracle: ``clean`` looks only at the lines its one scan finds (JSON's many lines starting with "{" are
    not among them unless a Junos banner such as ``{master:0}`` starts so); ``_clean_lines`` looks at every
    line.  Both give the same text and the same lines taken."""
    from parsers.kit.paste import _clean_lines

    text = "\n".join(pre + line for pre, line in lines) + "\n"
    if any(ch in text for ch in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return  # (those take the every-line path anyway)
    assert clean(text) == _clean_lines(text)


# the scan's pattern before each line's indent was read once (each alternative read its own): the oracle
_AT_LINE_BEFORE = (
    r"\n(?:[\w.@:~/()\[\]\\-]{1,80}+ ?(?:\([\w.-]+\) )?[#>$%]|\[[^\]\n]{1,80}+\][#$>]|PS [A-Za-z]:|[$#] "
    r"|\[[\w.:-]{1,80}+\]: PS"
    r"|[ \t]*+(?:Building|Current configuration|: Saved|Last (?:failed )?login|Type help|Using username|"
    r"Authenticated with|login as|Connection to|--- JUNOS|\{(?:master|backup|primary|secondary|linecard)|"
    r"Windows PowerShell|Copyright \(C\) Microsoft)"
    r"|[^\n\s]{1,80}+'s password)")
STARTS = ["host# ", "fw(config)# x", "[admin@fw]# x", "PS C:\\> x", "$ ls", "# x", "Building configuration...",
          "Last login: x", "Last failed login: y", "{master:0}", "bob's password:", ": Saved", "Type help",
          "--- JUNOS 21", "login as: x", "Connection to x closed", "Copyright (C) Microsoft", "Windows PowerShell",
          "Using username", "Authenticated with", "Current configuration", "fw>", "x", '"uid": "a",', "}",
          "[Server01]: PS C:\\> x", "[SRV2.SPB.wse]: PS>", "[a]: P", "[::1]: PS"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", " ", "\t", "  \t", "\t  "]),
                          st.sampled_from(STARTS) | st.text(max_size=8)), max_size=12))
def test_the_scan_finds_the_line_starts_of_the_pattern_with_an_indent_in_each_alternative(lines):
    import re

    from parsers.kit.paste import _AT_LINE

    text = "\n" + "\n".join(pre + line for pre, line in lines) + "\n"
    assert [m.start() for m in _AT_LINE.finditer(text)] == [m.start() for m in
                                                            re.compile(_AT_LINE_BEFORE).finditer(text)]


PIECES = ["More", "Mor", "M", "---(more", "(more", "(", "-", "Press any key", "Press", "P", "\x08", "\x1b", "\n", "x",
          " ", "-- More --"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.integers(0, 3000), st.integers(0, 3000),
       st.sampled_from([0, 1, 1100, 5000]), st.sampled_from(range(5)))
def test_a_marker_is_found_where_str_find_finds_it(body, at, start, pad, which):
    """Oracle: ``str.find``.  Texts of a few thousand characters, so that both the search by the rare
    character and the hand-over to ``str.find`` after len // 1024 tries are taken."""
    from parsers.kit.paste import _MARKERS, _find

    marker, rare = _MARKERS[which]
    text = body[:at] + "x" * pad + body[at:] + body * (pad // 1000)
    start = min(start, len(text))
    assert _find(text, marker, rare, start) == text.find(marker, start)


def test_an_empty_line_after_a_pager_prompt_ends_its_erasing():
    """Found by the property test above (hypothesis): the spaces a pager prints to erase its prompt are on the line
    right after it; a line of spaces after an empty line is the config's own, kept on both paths."""
    from parsers.kit.paste import _clean_lines

    text = "<--- More --->\n\n \n"
    assert clean(text)[0] == _clean_lines(text)[0] == "\n\n \n"
    assert _clean_lines("<--- More --->\n \n")[0] == "\n\n"  # (right after it: the erasing, blanked)


def test_a_format_not_read_given_as_a_vendor_is_named_too():
    """``--vendor nftables`` on ``nft -j list ruleset`` JSON: the refusal names what the input looks like, as
    detection does (it said only "not Linux nftables input (no line of it was understood)")."""
    text = ('{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}, '
            '{"table": {"family": "inet", "name": "filter", "handle": 1}}]}\n')
    with pytest.raises(InputError) as e:
        parse_text(text, "rules.json", "nftables")
    msg = str(e.value)
    assert "no line of it was understood" in msg and "it looks like a JSON nftables ruleset" in msg
    assert "\n" not in msg

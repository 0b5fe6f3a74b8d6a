"""Machine and CI outputs against their consumers' specifications, with config text that quotes
characters those formats treat specially (session 22)."""

import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT
from test_formats import cli

SITE = "examples/change/site.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def rules(tmp_path, *lines: str) -> str:
    """An iptables-save dump of the filter table (INPUT drops) with ``lines``, written to a file."""
    p = tmp_path / "fw.rules"
    p.write_text("\n".join(["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                            *lines, "COMMIT"]) + "\n", encoding="utf-8")
    return str(p)


def test_junit_is_well_formed_when_a_quoted_line_holds_a_control_character(tmp_path):
    """XML 1.0 allows no C0 control character other than tab, newline and carriage return, not even
    as a character reference (https://www.w3.org/TR/xml/#charsets, production [2] Char): a comment
    holding one (here U+0001 and U+001F) made the whole JUnit file unreadable to GitLab/Jenkins."""
    path = rules(tmp_path, '-A INPUT -p tcp --dport 548 -m comment --comment "a\x01b\x1fc" -j ACCEPT')
    code, out, err = cli("audit", path, "--site", SITE, "--format", "junit")
    assert code == 1, err
    root = ET.fromstring(out)  # raised "not well-formed (invalid token)"
    texts = [c.find("system-out").text for c in root.iter("testcase") if c.find("system-out") is not None]
    assert any('--comment "a\\x01b\\x1fc"' in t for t in texts)


def test_markdown_quotes_a_line_with_a_backtick_as_code_and_no_html(tmp_path):
    """A backtick in a message (here CFG300 quoting the policy word of ':INPUT DR`OP') paired with the
    code span quoting the line after it (CommonMark 0.31 section 6.1: a code span ends at the first
    backtick string of the same length), so the rest of the config line was read as Markdown and raw
    HTML (section 6.6) in the PR comment: an <img> and a link from the config were rendered.  The line
    is quoted as it is, backtick included, in a code span with a longer fence."""
    markdown_it = pytest.importorskip("markdown_it")
    path = rules(tmp_path, ':INPUT DR`OP [0:0] <img src=https://example.invalid/x.png> [a](https://example.invalid)')
    code, out, err = cli("audit", path, "--site", SITE, "--format", "markdown")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(out)
    assert "<img" not in html and "<a href=\"https://example.invalid\"" not in html
    assert "<code>:INPUT DR`OP [0:0] &lt;img src=https://example.invalid/x.png&gt; [a](https://example.invalid)" \
           "</code>" in html
    assert "unknown policy 'DR`OP'" in html  # the message's backtick shown as itself


def test_markdown_cell_text_is_not_markdown():
    """A message is text: brackets, emphasis, strikethrough and backslashes in it (object names,
    comments) render as themselves (CommonMark 0.31 section 2.4, backslash escapes), pipes do not end the
    cell (GFM tables)."""
    markdown_it = pytest.importorskip("markdown_it")
    from auditor.report.markdown import cell, code

    text = r"[x](https://example.invalid) *a* _b_ ~~c~~ d\|e `f <b>"
    row = "| h |\n|---|\n| %s |\n" % cell(text)
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(row)
    assert "<td>[x](https://example.invalid) *a* _b_ ~~c~~ d\\|e `f &lt;b&gt;</td>" in html
    row = "| h |\n|---|\n| %s |\n" % code("a ``b`` |c` ")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(row)
    assert "<td><code>a ``b`` |c` </code></td>" in html


def test_sarif_uri_of_a_file_named_with_a_colon_is_a_relative_reference(tmp_path, monkeypatch):
    """SARIF 2.1.0 section 3.4.3: artifactLocation.uri is a URI reference; a relative one whose first
    segment holds a colon is read as a URI with that scheme (RFC 3986 section 4.2: 'fw:prod.rules'
    names scheme 'fw'), so code scanning could not place the alert on the repository's file."""
    from urllib.parse import unquote, urlsplit

    from auditor.report.sarif import artifact_uri

    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    uri = artifact_uri("fw:prod.rules")
    assert urlsplit(uri).scheme == "" and unquote(uri) == "fw:prod.rules"
    assert artifact_uri("dir/a b.cfg") == "dir/a%20b.cfg"


def test_text_report_does_not_replay_a_config_s_control_sequences(tmp_path):
    """The text report quotes config lines to a terminal (and to a CI log): a comment holding an
    OSC sequence (ECMA-48 section 8.3.89; xterm's OSC 0 sets the window title, OSC 52 writes the
    clipboard) was written as it is, so the terminal acted on it.  Control characters of quoted
    text are shown as \\xNN; the report's own colours are not affected (none without a terminal)."""
    path = rules(tmp_path, '-A INPUT -p tcp --dport 548 -m comment --comment "a\x1b]52;c;cGF5bG9hZA==\x07b" '
                           '-j ACCEPT')
    code, out, err = cli("audit", path, "--site", SITE, "--format", "text")
    assert code == 1, err
    assert "\x1b" not in out and "\x07" not in out
    assert '--comment "a\\x1b]52;c;cGF5bG9hZA==\\x07b"' in out


def test_annotation_lines_are_the_file_s_lines_after_a_windows_1252_ellipsis(tmp_path):
    """GitHub places an annotation at line=N of the file as git counts lines (each "\\n"), and SARIF's
    startLine is read the same way by code scanning.  Byte 0x85 ("…" in Windows-1252) of a file that
    is not UTF-8 is U+0085 (NEL) in latin-1, where str.splitlines ends a line: every later finding was
    put one line below its rule.  So was a form feed (here in an iptables comment)."""
    lines = open(ROOT / "examples/change/before.cfg", encoding="utf-8").read().split("\n")
    at = next(i for i, x in enumerate(lines) if x.startswith("access-list"))
    lines.insert(at, "access-list WORKSHOP_IN remark Caf\xe9 servers\x85 see the ticket")
    cfg = tmp_path / "fw.cfg"
    cfg.write_bytes("\n".join(lines).encode("latin-1"))
    want = 1 + next(i for i, x in enumerate(lines) if x.startswith("access-list WORKSHOP_IN extended deny tcp any "
                                                                     "object-group PRINERGY-SERVERS eq 445"))
    code, out, err = cli("audit", str(cfg), "--site", SITE, "--vendor", "cisco-asa", "--format", "github")
    assert code == 1, err
    assert ",line=%d,title=PRN100 required-flow-blocked::required flow SMB job volumes (445/tcp) workshop -> " \
           "primary is fully blocked by line %d%%0A| access-list WORKSHOP_IN extended deny" % (want, want) in out
    path = rules(tmp_path, '-A INPUT -p tcp --dport 8080 -m comment --comment "page\x0cbreak" -j DROP',
                 "-A INPUT -p tcp --dport 548 -j ACCEPT")
    code, out, err = cli("audit", path, "--site", SITE, "--format", "github")
    assert "::error file=%s,line=6,title=PRN150 server-exposed::" % path.replace(":", "%3A") in out, out


def test_decode_keeps_only_newline_and_carriage_return_as_line_breaks():
    """The other characters str.splitlines breaks at become spaces (whitespace to every tokenizer, as
    they were), so the text has as many lines as the file has "\\n"s."""
    from parsers.kit.decode import decode

    words = "access-list X remark " * 20
    text = decode((words + "a\x0bb\x0cc\x1cd\x1de\x1ef\nx\u2028y\u2029z\x85w\r\nv\n").encode("utf-8"), "c.cfg")
    assert text == words + "a b c d e f\nx y z w\r\nv\n" and len(text.splitlines()) == 3
    assert decode(b"caf\xe9\x85 ok\n", "c.cfg") == "caf\xe9  ok\n"


def test_reports_to_stdout_under_a_code_page_that_cannot_hold_the_config_s_text(tmp_path):
    """Windows writes a pipe or a file in the ANSI code page (cp1252) unless told otherwise: a config
    comment with a character outside it (here U+4E2D) ended every stdout report but JSON and SARIF
    (ASCII) as 'internal error: UnicodeEncodeError', exit 2 (bad input) with no report.  A machine
    format is written as UTF-8 (the JUnit file declares encoding="UTF-8"; the GitHub runner and
    Markdown readers read UTF-8); the text report escapes what the code page cannot show."""
    import os
    import subprocess
    import sys

    path = rules(tmp_path, '-A INPUT -p tcp --dport 548 -m comment --comment "caf\u00e9 \u4e2d" -j ACCEPT')
    env = dict(os.environ, PYTHONIOENCODING="cp1252", PYTHONPATH=str(ROOT))
    env.pop("PYTHONUTF8", None)
    outputs = {}
    for fmt in ("junit", "github", "markdown", "text"):
        p = subprocess.run([sys.executable, "-m", "auditor.cli", "audit", path, "--site", SITE, "--format", fmt],
                           capture_output=True, cwd=ROOT, env=env)
        assert p.returncode == 1, p.stderr.decode()
        outputs[fmt] = p.stdout
    root = ET.fromstring(outputs["junit"])  # (bytes: read in the declared encoding)
    assert any("caf\u00e9 \u4e2d" in (c.text or "") for c in root.iter("system-out"))
    assert "caf\u00e9 \u4e2d" in outputs["github"].decode("utf-8")
    assert "caf\u00e9 \u4e2d" in outputs["markdown"].decode("utf-8")
    assert "caf\u00e9 \\u4e2d" in outputs["text"].decode("cp1252")


def test_explain_does_not_replay_a_config_s_control_sequences(tmp_path):
    """explain quotes the deciding line as the text report does (ECMA-48 OSC, see above)."""
    path = rules(tmp_path, '-A INPUT -p tcp --dport 548 -m comment --comment "a\x1b]0;owned\x07b" -j ACCEPT')
    code, out, err = cli("explain", path, "--src", "10.30.0.5", "--dst", "10.20.0.10", "--proto", "tcp",
                         "--dport", "548")
    assert code == 0, err
    assert "\x1b" not in out and '--comment "a\\x1b]0;owned\\x07b"' in out, out

"""Fuzzing over mutated corpus files: a mutated config of any vendor is a config or one clear error.

Hypothesis takes a real config of the corpus (every vendor), damages it the way pastes, editors
and transfers do (a line dropped, repeated, cut short, garbled, swapped; bytes inserted; the file
truncated), and parses it, with detection and with its own vendor forced.  The parse must give a
``Config`` whose every diagnostic points at a line of the input, or raise ``InputError`` (one line,
exit 2 in the command line); any other exception is a bug.  Bounded: a fixed number of examples
per run, each small.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import InputError, decode, parse_text

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"
               and p.stat().st_size < 200_000)
VENDOR_OF = {"asa": "cisco-asa", "ios": "cisco-ios", "iptables": "iptables", "nftables": "nftables",
             "junos": "junos", "panos": "paloalto-panos", "fortios": "fortios", "aws": "aws", "azure": "azure-nsg",
             "windows": "windows-firewall", "checkpoint": "checkpoint", "pfsense": None}

JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def mutated(draw):
    path = draw(st.sampled_from(FILES))
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        k = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "repeat", "cut", "garble", "swap", "insert", "truncate"]))
        if how == "drop":
            del lines[k]
        elif how == "repeat":
            lines.insert(k, lines[k])
        elif how == "cut":
            lines[k] = lines[k][:draw(st.integers(0, max(0, len(lines[k]) - 1)))]
        elif how == "garble":
            lines[k] = draw(JUNK)
        elif how == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif how == "insert":
            lines.insert(k, draw(JUNK))
        else:
            lines = lines[:k]
    return path, "\n".join(lines) + "\n"


def _check(text: str, path: Path, vendor: str) -> None:
    try:
        data = decode(text.encode("utf-8", errors="replace"), path.name)
        cfg = parse_text(data, path.name, vendor)
    except InputError as e:
        assert "\n" not in str(e).strip(), "an error is one line"
        return
    n = len(data.splitlines())
    for d in cfg.diagnostics:
        assert d.source.path != path.name or 0 <= d.source.line <= n + 1, d


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(mutated())
def test_a_mutated_corpus_file_is_a_config_or_one_clear_error(case):
    path, text = case
    _check(text, path, "auto")
    vendor = VENDOR_OF.get(path.parent.name)
    if vendor is not None:
        _check(text, path, vendor)


def test_what_the_fuzzing_found_stays_fixed():
    # a PAN-OS <member> with no setting around it (a file cut before its first element)
    try:
        parse_text("<member>x</member>\n", "cut.xml", "paloalto-panos")
    except InputError as e:
        assert "not a PAN-OS configuration" in str(e)
    else:
        raise AssertionError("accepted")


def test_a_bare_junos_set_line_is_reported_not_a_crash():
    # a display-set line cut after its verb (found by fuzzing the whole audit): a statement of no
    # words reached the apply-groups check, which reads each statement's first word
    cfg = parse_text("set security policies from-zone a to-zone b policy p then permit\nset \n"
                     "set security zones security-zone a interfaces ge-0/0/0.0\n", "cut.conf", "auto")
    assert [d.code for d in cfg.diagnostics if d.source.line == 2] == ["CFG300"]
    assert "without a path" in next(d.message for d in cfg.diagnostics if d.source.line == 2)


def test_a_stray_bracket_in_a_panos_tree_is_reported_not_a_crash():
    # a ']' line pasted into an interface's settings (found by fuzzing the whole audit): the tree
    # reader makes it an empty member list where a setting's name belongs, which the collector
    # looked up in its tables (TypeError: unhashable type 'list')
    lines = (CORPUS / "panos" / "bf-destination-nat-panorama.set").read_text().splitlines()
    at = next(k for k, line in enumerate(lines) if line.strip() == "ethernet1/2.1 {") + 3  # after its address
    lines.insert(at, "]")
    cfg = parse_text("\n".join(lines) + "\n", "bracket.set", "auto")
    hit = [d for d in cfg.diagnostics if "unbalanced brackets" in d.message]
    assert hit and hit[0].source.line == at + 1 and hit[0].source.text == "]"


def test_a_junos_interface_unit_cut_short_is_reported_not_a_crash():
    cfg = parse_text("set interfaces ge-0/0/0 unit\nset interfaces ge-0/0/1 unit 0 family inet address 10.0.0.1/24\n"
                     "set security zones security-zone a interfaces ge-0/0/1.0\n", "cut.conf", "auto")
    assert [(d.source.line, d.code) for d in cfg.diagnostics if "without a number" in d.message] == [(1, "CFG300")]


def test_a_panos_tree_ending_inside_a_statement_is_reported_not_a_crash():
    # a file cut inside a statement (found by fuzzing the whole audit, then reduced to two lines): the
    # statement left open was reported at a span ending one line past the text, its last newline counted
    text = "role-based {\n*   banner text   [PROD VM500  firewalls]\n"
    cfg = parse_text(text, "cut.conf", "paloalto-panos")
    assert [(d.source.line, d.code) for d in cfg.diagnostics] == [(2, "CFG300")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(mutated())
def test_a_mutated_corpus_file_audits_reports_diffs_and_explains_or_is_one_clear_error(case):
    """Past the parse: every check, every report format, a diff against the file as it was, and
    explain, on the mutated config (the fuzzing that found the cases above ran this many times)."""
    from auditor import api
    from auditor.policy import load_site
    from auditor.report import FORMATS, render, render_diff

    path, text = case
    try:
        cfg = parse_text(decode(text.encode("utf-8", errors="replace"), path.name), path.name, "auto")
    except InputError:
        return
    site = load_site(None, ["workshop=10.0.0.0/8", "primary=192.168.1.10", "secondary=172.16.0.10"])
    result = api.audit([cfg], site)
    for fmt in FORMATS:
        render(fmt, result)
    try:
        before = parse_text(decode(path.read_bytes(), path.name), path.name, "auto")
    except InputError:
        return
    change = api.diff(before, cfg, site)
    for fmt in ("text", "json", "sarif", "markdown"):
        render_diff(fmt, change)
    api.explain(cfg, "10.1.2.3", "192.168.1.10", "tcp", 1024, 445)

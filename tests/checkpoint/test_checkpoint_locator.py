"""``Locator.line`` counts newlines from a position whose line it knows (the last one asked for, or
the start of the text, whichever is nearer), so that reading a file front to back counts each
newline once.  Oracle: the newlines before the position, counted from the start every time."""

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.checkpoint.jsonread import Locator


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n", max_size=60).flatmap(
    lambda t: st.tuples(st.just(t), st.lists(st.integers(0, len(t)), max_size=15))))
def test_line_in_any_order_is_the_newlines_before_plus_one(case):
    text, positions = case
    loc = Locator(text)
    for pos in positions:
        assert loc.line(pos) == text.count("\n", 0, pos) + 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a\n", max_size=3000), st.sampled_from([1, 7, 64, 1 << 22]))
def test_compact_json_is_told_as_from_the_whole_count(text, chunk):
    """``needs_reindent`` counts newlines only until there are enough of them; oracle: the average line
    length from the count of the whole text."""
    from parsers.kit import jsonsrc

    was = jsonsrc._CHUNK
    jsonsrc._CHUNK = chunk
    try:
        assert jsonsrc.needs_reindent(text) == (len(text) > jsonsrc.AVERAGE_LINE * (text.count("\n") + 1))
    finally:
        jsonsrc._CHUNK = was


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n", max_size=60), st.booleans())
def test_lines_counted_by_the_locator_are_the_lines_of_the_text(text, told):
    """``JsonLines`` without the count takes it from ``counted`` (the reader's locator at the end of the
    text) or counts it when first asked; either way as many lines as ``str.splitlines`` gives."""
    from parsers.checkpoint.jsonread import JsonLines

    loc = Locator(text)
    lines = JsonLines(text, "t", loc)
    if told:
        lines.counted(loc.line(len(text)) - 1)
    assert len(lines) == len(text.splitlines()) == len(lines.state)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.booleans(), st.sampled_from(["", "a", "b"])), max_size=15),
       st.lists(st.integers(0, 34), max_size=5))
def test_records_alike_are_marked_at_once_as_one_by_one(spans, reported):
    """``span_marks`` joins the spans of consecutive records alike; oracle: the span of each record
    marked on its own (the former loop), over lines some of which a diagnostic already took."""
    from parsers.checkpoint.document import span_marks
    from parsers.checkpoint.jsonread import JsonLines

    spans = sorted(spans)
    one_by_one = []
    for k, (line, used, why) in enumerate(spans):
        nxt = spans[k + 1][0] if k + 1 < len(spans) else line + 1
        one_by_one.append((line - 1, max(nxt - 1, line), used, why))
    text = "x\n" * 35
    got = []
    for marks in (span_marks(spans), one_by_one):
        lines = JsonLines(text, "t", Locator(text))
        for i in reported:
            lines.state[i] = 3
        lines.mark_spans(marks)
        got.append((bytes(lines.state), dict(lines.ignored_why)))
    assert got[0] == got[1]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=12) | st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=12))
def test_a_value_is_spelt_as_json_writers_spell_it(value):
    """``_quoted``'s shortcut for plain values (printable ASCII without a quote or a backslash) gives
    the spellings ``json.dumps`` gives, with and without ``ensure_ascii``."""
    import json

    from parsers.checkpoint.jsonread import _quoted

    a, b = json.dumps(value, ensure_ascii=False), json.dumps(value)
    assert _quoted(value) == ([a] if a == b else [a, b])

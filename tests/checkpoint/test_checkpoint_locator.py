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
    from parsers.checkpoint import jsonread

    was = jsonread._CHUNK
    jsonread._CHUNK = chunk
    try:
        assert jsonread.needs_reindent(text) == (len(text) > jsonread.AVERAGE_LINE * (text.count("\n") + 1))
    finally:
        jsonread._CHUNK = was


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

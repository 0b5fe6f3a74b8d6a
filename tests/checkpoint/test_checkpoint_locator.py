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

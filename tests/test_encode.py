"""The fast JSON encoder writes exactly what json.dumps(indent=2) writes."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.report.encode import dumps

# what the reports hold: strings (ASCII or not), ints (also beyond 64 bits), ordinary
# floats, booleans, None, nested lists and dicts with string keys
scalars = (st.text(max_size=8) | st.integers() | st.booleans() | st.none()
           | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15).filter(
               lambda x: x == 0 or abs(x) >= 1e-4))
docs = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                           max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(docs)
def test_dumps_equals_json_dumps_indent_2(doc):
    assert dumps(doc) == json.dumps(doc, indent=2) + "\n"


def test_non_ascii_and_huge_integers_take_the_fallback():
    doc = {"remark": "Zürich", "n": 1 << 70, "list": [], "obj": {}}
    assert dumps(doc) == json.dumps(doc, indent=2) + "\n"

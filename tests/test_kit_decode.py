"""``parsers.kit.decode`` refuses an empty input (nothing but ASCII whitespace) as ``not data.strip()`` did,
without copying the input to strip it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.kit import InputError
from parsers.kit.decode import decode


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x85", b"\xa0", b"x",
                                 b"\xc2\xa0"]), max_size=8).map(b"".join), st.booleans())
def test_empty_exactly_when_only_ascii_whitespace(data, mutable):
    data = bytearray(data) if mutable else data
    try:
        decode(data, "c.cfg")
        refused = None
    except InputError as e:
        refused = str(e)
    if not data.strip():
        assert refused == "c.cfg is empty"
    else:
        assert refused != "c.cfg is empty"


def test_whitespace_only_is_empty():
    with pytest.raises(InputError, match="is empty"):
        decode(b" \n\t\r\x0b\x0c", "c.cfg")
    assert decode(b" x\n", "c.cfg") == " x\n"

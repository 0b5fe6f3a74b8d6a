"""``Lines.use``/``Lines.ignore`` over a span mark exactly what the one-line-at-a-time loop did.

(The span forms work on the state bytes at C speed: a Check Point JSON export has millions of
lines.)  The oracle below is the loop the kit used before, written out independently.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.kit.lines import IGNORED, USED, Lines


def _oracle(n: int, ops) -> tuple[bytes, dict]:
    state = bytearray(n)
    why: dict[str, int] = {}
    for kind, i, j, reason in ops:
        for k in range(i, j):
            if state[k] == 0:
                state[k] = USED if kind == "use" else IGNORED
                if kind == "ignore":
                    why[reason] = why.get(reason, 0) + 1
    return bytes(state), why


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.tuples(
    st.sampled_from(["use", "ignore"]), st.integers(0, n - 1), st.integers(1, n), st.sampled_from(["a", "b"])),
    max_size=12))))
def test_span_marking_matches_line_by_line(case):
    n, raw_ops = case
    ops = [(k, i, max(i + 1, j), why) for k, i, j, why in raw_ops]
    lines = Lines("\n".join("x%d" % i for i in range(n)), "t")
    for kind, i, j, why in ops:
        if kind == "use":
            lines.use(i, j) if j - i > 1 else lines.use(i)
        else:
            lines.ignore(i, why, j) if j - i > 1 else lines.ignore(i, why)
    state, why = _oracle(n, ops)
    assert bytes(lines.state) == state
    assert dict(lines.ignored_why) == why
    assert lines.ignored == sum(why.values())
    assert lines.unaccounted() == [i for i in range(n) if state[i] == 0]
